//! `crm-bench call`: the incoming-call lookup (the caller's contacts, accounts with
//! their open tickets and contracts) over a device holding 100,000 contacts, each with
//! a mobile number, looked up in the formats telephony sends.

use crm_core::{FieldValue, RecordType};
use std::collections::BTreeMap;
use std::time::Instant;

fn mobile(i: usize) -> String {
    format!("06 {:02} {:02} {:02} {:02}", (i / 1_000_000) % 100, (i / 10_000) % 100, (i / 100) % 100, i % 100)
}

pub fn run(contacts: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let client = crm_client::Client::open(dir.path())?;
    let accounts = (contacts / 10).max(1);
    let t = Instant::now();
    let f = |pairs: Vec<(&str, String)>| -> BTreeMap<String, FieldValue> {
        pairs.into_iter().map(|(k, v)| (k.to_string(), FieldValue::Text(v))).collect()
    };
    let mut ids = Vec::with_capacity(accounts);
    for chunk in (0..accounts).collect::<Vec<_>>().chunks(5_000) {
        let batch = chunk
            .iter()
            .map(|i| f(vec![("name", format!("Société {i}")), ("kind", "customer".into()), ("city", "Lyon".into())]))
            .collect();
        ids.extend(client.create_many(RecordType::Account, batch)?.into_iter().map(|a| a.id().to_string()));
    }
    for chunk in (0..contacts).collect::<Vec<_>>().chunks(5_000) {
        let batch = chunk
            .iter()
            .map(|i| {
                f(vec![
                    ("account", ids[i % ids.len()].clone()),
                    ("name", format!("Contact {i}")),
                    ("mobile", mobile(*i)),
                ])
            })
            .collect();
        client.create_many(RecordType::Contact, batch)?;
    }
    // A ticket open on one account in ten.
    for chunk in ids.iter().step_by(10).collect::<Vec<_>>().chunks(5_000) {
        let batch = chunk
            .iter()
            .map(|a| {
                f(vec![
                    ("account", (*a).clone()),
                    ("title", "Panne".into()),
                    ("status", "open".into()),
                    ("priority", "high".into()),
                    ("opened_at", "2026-12-01T09:00:00Z".into()),
                ])
            })
            .collect();
        client.create_many(RecordType::Ticket, batch)?;
    }
    println!(
        "{accounts} accounts, {contacts} contacts, {} tickets created: {:.1} s",
        ids.len().div_ceil(10),
        t.elapsed().as_secs_f64()
    );

    let formats: [fn(&str) -> String; 5] = [
        |n| n.to_string(),
        |n| n.replace(' ', "."),
        |n| n.replace(' ', ""),
        |n| format!("+33 {}", &n[1..]),
        |n| format!("0033{}", &n.replace(' ', "")[1..]),
    ];
    let now = chrono::Utc::now();
    let mut times = Vec::new();
    let mut found = 0;
    for k in 0..1_000 {
        let i = (k * 7_919) % contacts;
        let number = formats[k % formats.len()](&mobile(i));
        let t = Instant::now();
        let card = client.incoming_call(&number, now)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if card.contacts.iter().any(|c| c["name"] == format!("Contact {i}").as_str()) {
            found += 1;
        }
    }
    let p50 = crate::ours::percentile(&mut times, 0.5);
    let p95 = crate::ours::percentile(&mut times, 0.95);
    let max = times.iter().cloned().fold(0.0, f64::max);
    println!(
        "incoming call (1,000 lookups, 5 formats): p50 {p50:.2} ms, p95 {p95:.2} ms, max {max:.2} ms; found {found}/1000"
    );
    Ok(())
}
