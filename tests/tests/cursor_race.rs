//! The cursor trap: a push that takes its sequence numbers first but commits last must
//! still reach a reader whose cursor has moved on. Provoked by holding one push open
//! between taking its numbers and committing while another push and a reader run.

use crm_core::{FieldValue, Record, RecordId, RecordType};
use crm_doc::{DeviceActor, RecordDoc};
use crm_server::auth::Session;
use crm_server::db::BeforeCommitHook;
use crm_tests::{Backend, TestServer, on_both_backends};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, mpsc};

fn session(device: uuid::Uuid) -> Session {
    Session {
        user_id: "u1".into(),
        email: "julie@example.fr".into(),
        name: "Julie".into(),
        role: crm_core::Role::Admin,
        device_id: device.to_string(),
        disabled: false,
        device_revoked: false,
        scope_epoch: 0,
        device_scope_epoch: 0,
    }
}

/// A new account written on `device`.
fn new_account(name: &str, device: uuid::Uuid) -> (uuid::Uuid, Vec<Vec<u8>>) {
    let id = RecordId(uuid::Uuid::now_v7());
    let mut record = Record::new(id, RecordType::Account);
    record.fields.insert("name".into(), FieldValue::from(name));
    record.fields.insert("kind".into(), FieldValue::from("customer"));
    let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&device), &record, 0).unwrap();
    (id.0, doc.all_changes().iter().map(|c| c.raw_bytes().to_vec()).collect())
}

async fn a_push_that_commits_late_is_never_skipped_by_a_reader(backend: Backend) {
    let server = TestServer::start(backend).await;
    let db = server.db().await;
    let reader = session(uuid::Uuid::now_v7());
    let (device_a, device_b) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let (doc_a, changes_a) = new_account("Pousse Lente SA", device_a);
    let (doc_b, changes_b) = new_account("Pousse Rapide SA", device_b);

    // Push A stops after taking its sequence numbers, until released.
    let (reached_tx, mut reached) = mpsc::unbounded_channel::<()>();
    let release = Arc::new(Notify::new());
    let hook: BeforeCommitHook = {
        let release = release.clone();
        Arc::new(move || {
            let release = release.clone();
            let reached_tx = reached_tx.clone();
            Box::pin(async move {
                let _ = reached_tx.send(());
                release.notified().await;
            })
        })
    };
    let db_a = db.clone();
    let push_a =
        tokio::spawn(
            async move { db_a.push(&session(device_a), vec![(doc_a, changes_a)], 1, Some(&hook)).await.unwrap() },
        );
    reached.recv().await.unwrap();

    // Push B starts while A is open; give it every chance to commit first.
    let db_b = db.clone();
    let push_b =
        tokio::spawn(async move { db_b.push(&session(device_b), vec![(doc_b, changes_b)], 2, None).await.unwrap() });
    tokio::time::sleep(Duration::from_millis(300)).await;

    // A reader syncs now, and keeps its cursor.
    let mut seen: HashSet<uuid::Uuid> = HashSet::new();
    let first = db.pull(&reader, 0, 100, false).await.unwrap();
    seen.extend(first.items.iter().map(doc_of));
    let cursor = first.cursor;

    release.notify_one();
    push_a.await.unwrap();
    push_b.await.unwrap();

    let second = db.pull(&reader, cursor, 100, false).await.unwrap();
    seen.extend(second.items.iter().map(doc_of));
    assert_eq!(seen, HashSet::from([doc_a, doc_b]), "both records reach the reader, whatever the commit order");
}
on_both_backends!(a_push_that_commits_late_is_never_skipped_by_a_reader);

fn doc_of(item: &crm_protocol::PulledItem) -> uuid::Uuid {
    match item {
        crm_protocol::PulledItem::Snapshot { doc, .. }
        | crm_protocol::PulledItem::Changes { doc, .. }
        | crm_protocol::PulledItem::Drop { doc, .. } => *doc,
    }
}
