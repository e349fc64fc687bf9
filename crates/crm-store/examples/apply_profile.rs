//! Times applying pulled snapshots (with the server's reading, as an initial sync
//! receives them) to a fresh encrypted store, page by page, as the store grows.
//! `cargo run --release -p crm-store --example apply_profile [records]`

use crm_core::{FieldValue, Record, RecordId, RecordType};
use crm_doc::{DeviceActor, RecordDoc};
use crm_store::{PulledDoc, SnapshotView, Store};
use std::time::Instant;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(40_000);
    let actor = DeviceActor::from_device_id(&uuid::Uuid::now_v7());
    let words = ["devis", "renouvellement", "contrat", "maintenance", "garde", "relance", "tarif", "remise"];
    let account = RecordId(uuid::Uuid::now_v7());
    let t = Instant::now();
    let snaps: Vec<(Record, Vec<u8>, String)> = (0..n)
        .map(|i| {
            let mut r = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Activity);
            r.fields.insert("account".into(), FieldValue::Text(account.to_string()));
            r.fields.insert("kind".into(), "visit".into());
            r.fields.insert("at".into(), "2026-03-14T09:30:00Z".into());
            r.fields.insert("subject".into(), FieldValue::Text(format!("Suivi {i}")));
            let body: Vec<&str> = (0..30).map(|j| words[(i * 7 + j * 3) % words.len()]).collect();
            r.fields.insert("body".into(), FieldValue::Text(body.join(" ")));
            let mut d = RecordDoc::create(&actor, &r, 0).unwrap();
            let heads = d.heads_text();
            (r, d.save(), heads)
        })
        .collect();
    println!("create+save {n}: {:?}", t.elapsed());

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_encrypted(&dir.path().join("crm.db"), &[7u8; 32]).unwrap();
    let mut account_record = Record::new(account, RecordType::Account);
    account_record.fields.insert("name".into(), "Garage".into());
    account_record.fields.insert("kind".into(), "customer".into());
    store.create_record(&account_record, 0).unwrap();
    let t = Instant::now();
    for (i, chunk) in snaps.chunks(2000).enumerate() {
        let items = chunk
            .iter()
            .map(|(r, data, heads)| PulledDoc::Snapshot {
                doc_id: r.id.to_string(),
                data: data.clone(),
                view: Some(SnapshotView { record: r.clone(), conflicts: Vec::new(), heads: heads.clone() }),
                replace: false,
            })
            .collect();
        let page = Instant::now();
        store.apply_pull(items, i as u64, "", 0).unwrap();
        println!("page {i}: {:?}", page.elapsed());
    }
    println!("apply_pull of {n} snapshots: {:?}", t.elapsed());
}
