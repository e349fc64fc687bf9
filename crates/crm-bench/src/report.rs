//! `crm-bench report`: the weekly report and the dashboard computed on a device holding a
//! generated portfolio (85,000 records by default: 10,000 accounts, 20,000 contacts,
//! 50,000 activities, 5,000 deals; the office desktop is `--accounts 100000 --contacts
//! 100000 --activities 100000 --deals 10000`, 310,000), as `crm report weekly` and
//! `crm dashboard` do: the period's records read from the store, then the figures.

use crate::portfolio::{self, Size};
use std::time::Instant;

fn timed<T>(runs: usize, mut f: impl FnMut() -> anyhow::Result<T>) -> anyhow::Result<(f64, f64, T)> {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f()?);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let p50 = crate::ours::percentile(&mut times, 0.5);
    let p95 = crate::ours::percentile(&mut times, 0.95);
    Ok((p50, p95, last.expect("at least one run")))
}

pub fn run(size: Size) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let client = crm_client::Client::open(dir.path())?;
    let t = Instant::now();
    portfolio::generate(&client, size)?;
    println!("{} records created: {:.1} s", size.records(), t.elapsed().as_secs_f64());
    // The generated activities fall on every month of 2026 (days 1 to 28) and the deals
    // are created now: this week holds both.
    let week = crm_core::reports::Week::of(chrono::Utc::now());
    let (p50, p95, r) = timed(20, || Ok(client.weekly_report_of(week, "bench-user")?))?;
    println!(
        "weekly report over {} records (20 runs): p50 {p50:.1} ms, p95 {p95:.1} ms (week {}, {} activities, {} deals created, pipeline {} deals)",
        size.records(),
        r.week,
        r.activity_ids.len(),
        r.deals_created.count,
        r.pipeline.iter().map(|l| l.count).sum::<usize>()
    );
    let today = chrono::Utc::now().date_naive();
    let filter = crm_core::dashboard::Filter {
        from: today - chrono::Duration::days(89),
        to: today,
        users: None,
        deal_type: None,
        today,
    };
    let (p50, p95, d) = timed(20, || Ok(client.dashboard_of(&filter)?))?;
    println!(
        "dashboard over {} records, last 90 days (20 runs): p50 {p50:.1} ms, p95 {p95:.1} ms ({} open deals, {} activities, {} renewals)",
        size.records(),
        d.pipeline.iter().map(|l| l.count).sum::<usize>(),
        d.activity.iter().map(|a| a.ids.len()).sum::<usize>(),
        d.renewals.len()
    );
    Ok(())
}
