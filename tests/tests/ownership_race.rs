//! Ownership decided on what is true when a push commits: an account reassigned while a
//! contact is being added to it leaves the contact with the account's new owner (on
//! PostgreSQL the two pushes really run at once; SQLite takes them in turn).

use crm_core::{FieldValue, Record, RecordId, RecordType, Role};
use crm_doc::{DeviceActor, RecordDoc};
use crm_server::auth::Session;
use crm_server::db::{BeforeCommitHook, Db};
use crm_tests::{Backend, TestServer, on_both_backends};
use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, mpsc};

async fn session(server: &TestServer, email: &str, role: Role) -> Session {
    Session {
        user_id: server.user_id(email).await,
        email: email.into(),
        name: email.into(),
        role,
        device_id: uuid::Uuid::now_v7().to_string(),
        disabled: false,
        device_revoked: false,
        scope_epoch: 0,
        device_scope_epoch: 0,
    }
}

fn actor(session: &Session) -> DeviceActor {
    DeviceActor::from_device_id(&session.device_id.parse().unwrap())
}

async fn owner_of(db: &Db, id: RecordId) -> Option<String> {
    sqlx::query("SELECT owner_id FROM docs WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db.pool())
        .await
        .unwrap()
        .and_then(|r| r.try_get("owner_id").unwrap())
}

/// Marc hands Julie's account to Paul; his push stops before committing, holding the
/// log. Meanwhile `adder` adds a contact to the account; then Marc's push commits.
/// Where does the contact end up?
async fn race(backend: Backend, adder_email: &str, adder_role: Role) -> (String, String, Option<String>) {
    let server = TestServer::start(backend).await;
    server.add_user("marc@example.fr", Role::Manager).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    server.add_user("paul@example.fr", Role::Rep).await;
    server.set_manager("julie@example.fr", "marc@example.fr").await;
    server.set_manager("paul@example.fr", "marc@example.fr").await;
    let db = server.db().await;
    let julie = session(&server, "julie@example.fr", Role::Rep).await;
    let marc = session(&server, "marc@example.fr", Role::Manager).await;
    let adder = session(&server, adder_email, adder_role).await;
    let paul_id = server.user_id("paul@example.fr").await;

    let mut account = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Account);
    account.fields.insert("name".into(), "Garage Moreau".into());
    account.fields.insert("kind".into(), "customer".into());
    account.fields.insert("owner".into(), FieldValue::Text(julie.user_id.clone()));
    let mut doc = RecordDoc::create(&actor(&julie), &account, 1).unwrap();
    let created = db.push(&julie, vec![(account.id.0, vec![doc.all_changes()[0].raw_bytes().to_vec()])], 1, None);
    assert_eq!(created.await.unwrap().acked.len(), 1);

    let mut marcs = RecordDoc::load(&doc.save(), &actor(&marc)).unwrap();
    let reassign = marcs.edit(&[("owner".to_string(), Some(FieldValue::Text(paul_id.clone())))].into(), 2);
    let reassign = reassign.unwrap().unwrap().raw_bytes().to_vec();
    let (reached_tx, mut reached) = mpsc::unbounded_channel::<()>();
    let release = Arc::new(Notify::new());
    let hook: BeforeCommitHook = {
        let release = release.clone();
        Arc::new(move || {
            let (release, reached_tx) = (release.clone(), reached_tx.clone());
            Box::pin(async move {
                let _ = reached_tx.send(());
                release.notified().await;
            })
        })
    };
    let db_marc = db.clone();
    let account_id = account.id.0;
    let moving =
        tokio::spawn(async move { db_marc.push(&marc, vec![(account_id, vec![reassign])], 3, Some(&hook)).await });
    reached.recv().await.unwrap();

    let mut contact = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Contact);
    contact.fields.insert("account".into(), FieldValue::Text(account.id.to_string()));
    contact.fields.insert("name".into(), "Luc Moreau".into());
    let mut contact_doc = RecordDoc::create(&actor(&adder), &contact, 4).unwrap();
    let change = contact_doc.all_changes()[0].raw_bytes().to_vec();
    let db_adder = db.clone();
    let adding = tokio::spawn(async move { db_adder.push(&adder, vec![(contact.id.0, vec![change])], 4, None).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    release.notify_one();
    moving.await.unwrap().unwrap();
    adding.await.unwrap().unwrap();
    let owner = owner_of(&db, RecordId(contact_doc.record_id().unwrap().0)).await;
    db.close().await;
    (paul_id, julie.user_id, owner)
}

async fn a_contact_added_during_a_reassignment_follows_the_account_to_its_new_owner(backend: Backend) {
    let (paul, _, owner) = race(backend, "marc@example.fr", Role::Manager).await;
    assert_eq!(owner.as_deref(), Some(paul.as_str()), "the contact is with the account, now Paul's");
}
on_both_backends!(a_contact_added_during_a_reassignment_follows_the_account_to_its_new_owner);

async fn a_reps_contact_added_during_a_reassignment_never_stays_with_the_old_owner(backend: Backend) {
    let (paul, julie, owner) = race(backend, "julie@example.fr", Role::Rep).await;
    // Stored before the move (then moved with the account), or refused after it: never
    // left with Julie on an account that is Paul's.
    assert_ne!(owner.as_deref(), Some(julie.as_str()));
    if let Some(owner) = owner {
        assert_eq!(owner, paul);
    }
}
on_both_backends!(a_reps_contact_added_during_a_reassignment_never_stays_with_the_old_owner);
