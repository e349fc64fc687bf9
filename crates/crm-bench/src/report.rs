//! `crm-bench report`: the weekly report computed on a device holding a generated
//! portfolio (85,000 records by default: 10,000 accounts, 20,000 contacts, 50,000
//! activities, 5,000 deals), as `crm report weekly` does: every record read from the
//! store, then the week's figures.

use crate::portfolio::{self, Size};
use std::time::Instant;

pub fn run(size: Size) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let client = crm_client::Client::open(dir.path())?;
    let t = Instant::now();
    portfolio::generate(&client, size)?;
    println!("{} records created: {:.1} s", size.records(), t.elapsed().as_secs_f64());
    // The generated activities fall on 2026 dates; the week of 2026-03-02 holds some.
    let week = crm_core::reports::Week::parse("2026-W10").map_err(|p| anyhow::anyhow!("{p}"))?;
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..20 {
        let t = Instant::now();
        last = Some(client.weekly_report_of(week, "bench-user")?);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let p50 = crate::ours::percentile(&mut times, 0.5);
    let p95 = crate::ours::percentile(&mut times, 0.95);
    let r = last.expect("twenty runs");
    println!(
        "weekly report over {} records (20 runs): p50 {p50:.1} ms, p95 {p95:.1} ms (week {}, {} visits found for the user)",
        size.records(),
        r.week,
        r.visits
    );
    Ok(())
}
