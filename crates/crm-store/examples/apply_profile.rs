//! Times applying pulled snapshots to a fresh store, phase by phase.
//! `cargo run --release -p crm-store --example apply_profile`

use crm_core::{FieldValue, Record, RecordId, RecordType};
use crm_doc::{DeviceActor, RecordDoc};
use crm_store::{PulledDoc, Store};
use std::time::Instant;

fn main() {
    let n = 16_000;
    let actor = DeviceActor::from_device_id(&uuid::Uuid::now_v7());
    let body = "devis renouvellement contrat maintenance garde comptabilité informatique relance rendez-vous démonstration tarif remise ".repeat(3);
    let account = RecordId(uuid::Uuid::now_v7());
    let t = Instant::now();
    let snaps: Vec<(String, Vec<u8>)> = (0..n)
        .map(|i| {
            let mut r = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Activity);
            r.fields.insert("account".into(), FieldValue::Text(account.to_string()));
            r.fields.insert("kind".into(), "visit".into());
            r.fields.insert("at".into(), "2026-03-14T09:30:00Z".into());
            r.fields.insert("subject".into(), FieldValue::Text(format!("Suivi {i}")));
            r.fields.insert("body".into(), FieldValue::Text(body.clone()));
            let mut d = RecordDoc::create(&actor, &r, 0).unwrap();
            (r.id.to_string(), d.save())
        })
        .collect();
    println!("create+save {n}: {:?} ({} B per doc)", t.elapsed(), snaps.iter().map(|s| s.1.len()).sum::<usize>() / n);

    let t = Instant::now();
    for (_, data) in &snaps {
        let mut d = RecordDoc::load(data, &actor).unwrap();
        std::hint::black_box(d.heads());
    }
    println!("load only: {:?}", t.elapsed());
    let t = Instant::now();
    for (_, data) in &snaps {
        let d = RecordDoc::load(data, &actor).unwrap();
        std::hint::black_box(d.read().unwrap());
        std::hint::black_box(d.conflicts().unwrap());
    }
    println!("load+read+conflicts: {:?}", t.elapsed());

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("crm.db")).unwrap();
    let t = Instant::now();
    for (i, chunk) in snaps.chunks(2000).enumerate() {
        let items = chunk
            .iter()
            .map(|(id, data)| PulledDoc::Snapshot {
                doc_id: id.clone(),
                data: data.clone(),
                view: None,
                replace: false,
            })
            .collect();
        store.apply_pull(items, i as u64, 0).unwrap();
    }
    println!("apply_pull of {n} snapshots: {:?}", t.elapsed());
}
