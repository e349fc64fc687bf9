//! `crm-bench duplicates`: the duplicate check on entry and the whole scan over a
//! generated portfolio of accounts, on a local store (no server).

use crate::portfolio::{self, Size};
use crm_core::{FieldValue, RecordType};
use std::collections::BTreeMap;
use std::time::Instant;

pub fn run(accounts: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let client = crm_client::Client::open(dir.path())?;
    let t = Instant::now();
    let ids = portfolio::generate(&client, Size { accounts, contacts: 0, activities: 0, deals: 0 })?;
    println!("{accounts} accounts created (keys filed as they are written): {:.1} s", t.elapsed().as_secs_f64());

    // On entry: 200 accounts typed again with a typo and spaces in the phone number,
    // and 200 new ones.
    let mut times = Vec::new();
    let mut found = 0;
    for (i, id) in ids.iter().step_by((ids.len() / 200).max(1)).take(200).enumerate() {
        let existing = client.get(id)?;
        let mut typed: BTreeMap<String, FieldValue> = BTreeMap::new();
        let name = existing.text("name").unwrap_or_default().replacen('e', "", 1);
        typed.insert("name".into(), FieldValue::Text(format!("Ets {name}")));
        typed.insert("postal_code".into(), FieldValue::Text(existing.text("postal_code").unwrap_or_default().into()));
        let fresh = {
            let mut f = typed.clone();
            f.insert("name".into(), FieldValue::Text(format!("Nouvelle enseigne {i} zqx")));
            f
        };
        for (fields, expect) in [(typed, true), (fresh, false)] {
            let t = Instant::now();
            let candidates = client.duplicates_for(RecordType::Account, &fields)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if expect && candidates.iter().any(|c| c.id == *id) {
                found += 1;
            }
        }
    }
    let p50 = crate::ours::percentile(&mut times, 0.5);
    let p95 = crate::ours::percentile(&mut times, 0.95);
    println!(
        "check on entry ({} lookups): p50 {p50:.2} ms, p95 {p95:.2} ms; typed-again accounts found: {found}/200",
        times.len()
    );

    let t = Instant::now();
    let pairs = client.duplicate_pairs(RecordType::Account)?;
    println!("whole scan: {:.2} s, {} likely pairs", t.elapsed().as_secs_f64(), pairs.len());
    Ok(())
}
