//! `crm-bench sales`: the sales screens' data on a local store (no server).

use crate::portfolio::{self, Size};
use crm_core::{FieldValue, RecordType};
use std::time::Instant;

/// The pipeline board's data (5,000 open deals, grouped by stage and filtered) and a
/// 200-line quote's totals, on a local store.
pub fn run() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let client = crm_client::Client::open(dir.path())?;
    let accounts = portfolio::generate(&client, Size { accounts: 500, contacts: 0, activities: 0, deals: 0 })?;
    let text = |s: String| FieldValue::Text(s);
    for i in 0..5_000 {
        let mut f = std::collections::BTreeMap::new();
        f.insert("account".to_string(), text(accounts[i % accounts.len()].clone()));
        f.insert("title".to_string(), text(format!("Affaire {i} {}", portfolio::search_word(i))));
        f.insert("deal_type".to_string(), text(if i % 3 == 0 { "complex" } else { "simple" }.into()));
        f.insert("amount".to_string(), text(format!("{}.50", 1000 + i)));
        client.create_deal(f)?;
    }
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let deals = client.list(RecordType::Deal)?;
        let mut columns: std::collections::HashMap<String, Vec<&crm_client::AnyRecord>> = Default::default();
        for d in deals.iter().filter(|d| d["title"].as_str().unwrap_or("").contains("Martin")) {
            columns.entry(d["stage"].as_str().unwrap_or("").to_string()).or_default().push(d);
        }
        std::hint::black_box(&columns);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "pipeline board data, 5,000 deals listed, filtered and grouped by stage: median {:.1} ms, max {:.1} ms (20 runs)",
        times[10], times[19]
    );

    for i in 0..20 {
        let mut f = std::collections::BTreeMap::new();
        f.insert("reference".to_string(), text(format!("REF-{i:04}")));
        f.insert("designation".to_string(), text(format!("Prestation {i}")));
        f.insert("price".to_string(), text(format!("{}.99", 10 + i)));
        client.create(RecordType::Product, f)?;
    }
    let lines: Vec<crm_client::LineRequest> = (0..200)
        .map(|i| crm_client::LineRequest {
            reference: format!("REF-{:04}", i % 20),
            quantity: ((i % 5) + 1).into(),
            discount_percent: (i % 15).into(),
        })
        .collect();
    let t = Instant::now();
    let n = 100;
    for _ in 0..n {
        std::hint::black_box(client.quote_preview(None, &lines)?);
    }
    println!(
        "quote of 200 lines, catalogue lookups and exact totals: {:.2} ms per recomputation ({n} runs)",
        t.elapsed().as_secs_f64() * 1000.0 / n as f64
    );
    let priced: Vec<crm_core::quote::QuoteLine> = client.quote_preview(None, &lines)?.lines;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(crm_core::quote::compute_totals(&priced));
    }
    println!("  of which the totals alone: {:.3} ms", t.elapsed().as_secs_f64() * 1000.0 / n as f64);
    Ok(())
}
