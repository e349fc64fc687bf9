//! `crm-bench`: measures sync on a generated portfolio, with the real server on
//! 127.0.0.1 and real clients in temporary directories.
//!
//! `cargo run --release -p crm-bench -- --accounts 10000 --contacts 20000 --activities 50000 [--backend sqlite|postgres]`

mod portfolio;

use clap::Parser;
use crm_core::{FieldValue, RecordType};
use crm_protocol::SyncRequest;
use crm_tests::{Backend, TestServer};
use std::time::Instant;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 10_000)]
    accounts: usize,
    #[arg(long, default_value_t = 20_000)]
    contacts: usize,
    #[arg(long, default_value_t = 50_000)]
    activities: usize,
    #[arg(long, default_value_t = 500)]
    edits: usize,
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// Only the sales measures: the pipeline board over 5,000 deals, a 200-line quote
    #[arg(long)]
    sales: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let backend = match args.backend.as_str() {
        "sqlite" => Backend::Sqlite,
        "postgres" => Backend::Postgres,
        other => anyhow::bail!("unknown backend {other}: sqlite or postgres"),
    };
    if args.sales {
        return sales_bench();
    }
    let server = TestServer::start(backend).await;
    server.add_user("rep@example.fr", crm_core::Role::Rep).await;
    let author = server.client("rep@example.fr").await;

    let t = Instant::now();
    let ids = portfolio::generate(&author.client, args.accounts, args.contacts, args.activities)?;
    let records = args.accounts + args.contacts + args.activities;
    report("generate portfolio locally (one transaction per record)", t, records);

    let t = Instant::now();
    let up = author.client.sync(|_| {}).await?;
    report(&format!("first push of the portfolio ({} changes, {} requests)", up.pushed, up.requests), t, records);

    let t = Instant::now();
    let (raw_requests, raw_bytes) = raw_pull(&server).await?;
    println!(
        "server side alone: the whole log pulled by a bare HTTP client, nothing applied: {:.2} s ({raw_requests} requests, {:.1} MB of JSON)",
        t.elapsed().as_secs_f64(),
        raw_bytes as f64 / 1e6
    );

    let fresh = server.client("rep@example.fr").await;
    let t = Instant::now();
    let down = fresh.client.sync(|_| {}).await?;
    report(
        &format!("initial sync of a fresh device ({} records, {} requests)", down.pulled, down.requests),
        t,
        records,
    );
    let db_size = std::fs::metadata(fresh.dir.path().join("crm.db"))?.len();
    println!("  local database after initial sync: {:.1} MB", db_size as f64 / 1e6);

    // No-op sync, through the client and by hand to weigh it on the wire.
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let r = fresh.client.sync(|_| {}).await?;
        assert_eq!((r.pushed, r.pulled, r.requests), (0, 0, 1));
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!("no-op sync: 1 request, median {:.2} ms, max {:.2} ms (20 runs)", times[10], times[19]);
    let (req_bytes, resp_bytes) = noop_bytes(&server).await?;
    println!("  no-op sync on the wire: request body {req_bytes} B, response body {resp_bytes} B");

    // A week offline: edits on the author device, pushed in one sync.
    let edits = args.edits.min(ids.len());
    for (i, id) in ids.iter().take(edits).enumerate() {
        let edit = [("city".to_string(), Some(FieldValue::Text(format!("Ville {i}"))))].into_iter().collect();
        author.client.edit(id, edit)?;
    }
    let t = Instant::now();
    let pushed = author.client.sync(|_| {}).await?;
    report(&format!("push of {edits} offline edits ({} acknowledged)", pushed.pushed), t, edits);
    let t = Instant::now();
    let pulled = fresh.client.sync(|_| {}).await?;
    report(&format!("pull of those edits on the other device ({} records)", pulled.pulled), t, edits);

    let t = Instant::now();
    let n = 200;
    for i in 0..n {
        let hits = fresh.client.search(&portfolio::search_word(i), 20)?;
        std::hint::black_box(hits);
    }
    println!("search: {:.2} ms per query on average ({n} queries)", t.elapsed().as_secs_f64() * 1000.0 / n as f64);
    Ok(())
}

fn report(what: &str, since: Instant, items: usize) {
    let s = since.elapsed().as_secs_f64();
    println!("{what}: {s:.2} s ({:.0} per second)", items as f64 / s);
}

async fn raw_login(server: &TestServer) -> anyhow::Result<String> {
    let login = crm_protocol::LoginRequest {
        email: "rep@example.fr".into(),
        password: crm_tests::PASSWORD.into(),
        device_id: uuid::Uuid::now_v7(),
        device_name: "bench".into(),
    };
    let response: crm_protocol::LoginResponse = reqwest::Client::new()
        .post(format!("{}/v1/login", server.url))
        .header("x-crm-protocol", "1")
        .json(&login)
        .send()
        .await?
        .json()
        .await?;
    Ok(response.token)
}

/// Pulls the whole log as a device would, decoding the JSON but applying nothing.
async fn raw_pull(server: &TestServer) -> anyhow::Result<(usize, usize)> {
    let token = raw_login(server).await?;
    let http = reqwest::Client::new();
    let (mut cursor, mut requests, mut bytes) = (0, 0, 0);
    loop {
        let body = serde_json::to_vec(&SyncRequest { cursor, ..Default::default() })?;
        let answer = http
            .post(format!("{}/v1/sync", server.url))
            .header("x-crm-protocol", "1")
            .header("content-type", "application/json")
            .bearer_auth(&token)
            .body(body)
            .send()
            .await?
            .bytes()
            .await?;
        requests += 1;
        bytes += answer.len();
        let resp: crm_protocol::SyncResponse = serde_json::from_slice(&answer)?;
        cursor = resp.cursor;
        if !resp.more {
            return Ok((requests, bytes));
        }
    }
}

async fn noop_bytes(server: &TestServer) -> anyhow::Result<(usize, usize)> {
    let token = raw_login(server).await?;
    let http = reqwest::Client::new();
    // Walk to the end of the log first, as a device in sync would be.
    let mut cursor = 0;
    loop {
        let body = serde_json::to_vec(&SyncRequest { cursor, limit: Some(10_000), ..Default::default() })?;
        let resp: crm_protocol::SyncResponse = http
            .post(format!("{}/v1/sync", server.url))
            .header("x-crm-protocol", "1")
            .header("content-type", "application/json")
            .bearer_auth(&token)
            .body(body)
            .send()
            .await?
            .json()
            .await?;
        cursor = resp.cursor;
        if !resp.more {
            break;
        }
    }
    let body = serde_json::to_vec(&SyncRequest { cursor, ..Default::default() })?;
    let answer = http
        .post(format!("{}/v1/sync", server.url))
        .header("x-crm-protocol", "1")
        .header("content-type", "application/json")
        .bearer_auth(&token)
        .body(body.clone())
        .send()
        .await?
        .bytes()
        .await?;
    Ok((body.len(), answer.len()))
}

/// The pipeline board's data (5,000 open deals, grouped by stage and filtered) and a
/// 200-line quote's totals, on a local store.
fn sales_bench() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let client = crm_client::Client::open(dir.path())?;
    let accounts = portfolio::generate(&client, 500, 0, 0)?;
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
        let mut columns: std::collections::HashMap<String, Vec<&serde_json::Value>> = Default::default();
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
    let priced: Vec<crm_core::quote::QuoteLine> =
        serde_json::from_value(client.quote_preview(None, &lines)?["lines"].clone())?;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(crm_core::quote::compute_totals(&priced));
    }
    println!("  of which the totals alone: {:.3} ms", t.elapsed().as_secs_f64() * 1000.0 / n as f64);
    Ok(())
}
