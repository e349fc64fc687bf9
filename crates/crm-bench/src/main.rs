//! `crm-bench`: measures sync and local work on a generated portfolio, with the real
//! server on 127.0.0.1 and real clients in temporary directories. Nothing here is a
//! test: numbers are printed, and written down in BENCHMARKS.md with the command.
//!
//! ```sh
//! cargo build --release -p crm-bench -p crm-server
//! target/release/crm-bench sync  --backend sqlite|postgres      # 10k accounts, 20k contacts, 50k activities, 5k deals
//! target/release/crm-bench sync  --backend postgres --office    # 100k accounts, read by an office user
//! target/release/crm-bench load  --backend postgres --reps 200 --seconds 60
//! target/release/crm-bench peers --backend sqlite               # the same workloads on PouchDB and automerge-repo
//! target/release/crm-bench sales
//! target/release/crm-bench hostile --clients 32                # memory under the worst payloads
//! target/release/crm-bench api --backend sqlite|postgres        # REST API pages and webhook deliveries
//! ```

mod api;
mod call;
mod campaign;
mod duplicates;
mod hostile;
mod import;
mod load;
mod ours;
mod peers;
mod portfolio;
mod proxy;
mod report;
mod sales;
mod server;

use clap::{Args, Parser, Subcommand};
use crm_core::{RecordType, Role};
use crm_tests::Backend;
use portfolio::Size;
use std::time::Instant;

#[derive(Parser)]
#[command(about = "Sync benchmarks of the CRM (real server on 127.0.0.1, real clients)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Common {
    /// The server's database: sqlite or postgres (CRM_TEST_PG_URL, else 127.0.0.1:5432)
    #[arg(long, default_value = "sqlite")]
    backend: String,
}

#[derive(Args, Clone, Copy)]
struct SizeArgs {
    #[arg(long, default_value_t = 10_000)]
    accounts: usize,
    #[arg(long, default_value_t = 20_000)]
    contacts: usize,
    #[arg(long, default_value_t = 50_000)]
    activities: usize,
    #[arg(long, default_value_t = 5_000)]
    deals: usize,
}

impl From<SizeArgs> for Size {
    fn from(a: SizeArgs) -> Size {
        Size { accounts: a.accounts, contacts: a.contacts, activities: a.activities, deals: a.deals }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Our sync on one portfolio: first upload, initial sync, no-op sync, a week
    /// offline, search, the account 360° view, the local database's size
    Sync {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        size: SizeArgs,
        /// The office variant: 100,000 accounts (100k contacts, 100k activities, 10k
        /// deals) read by an administrator's desktop
        #[arg(long)]
        office: bool,
    },
    /// Many reps syncing at once against the real `crm-server` process
    Load {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value_t = 200)]
        reps: usize,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Pause between one rep's syncs
        #[arg(long, default_value_t = 100)]
        interval_ms: u64,
    },
    /// The same workloads on PouchDB (pouchdb-server) and automerge-repo (its sync
    /// server), in the same run, with ratios
    Peers {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        size: SizeArgs,
        /// Records of the small run, which all three systems do (automerge-repo does not
        /// finish the full portfolio in reasonable time)
        #[arg(long, default_value_t = 2_500)]
        small: usize,
        /// Skip the full-size run (ours and PouchDB)
        #[arg(long)]
        small_only: bool,
    },
    /// The sales screens' data: the pipeline board over 5,000 deals, a 200-line quote
    Sales,
    /// The REST API listing N accounts page by page, and webhooks telling their creation
    Api {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value_t = 10_000)]
        accounts: usize,
    },
    /// A campaign sent through a local SMTP server, unthrottled
    Campaign {
        #[arg(long, default_value_t = 2_000)]
        contacts: usize,
    },
    /// The weekly report and the dashboard on a generated portfolio (85,000 records by default)
    Report {
        #[command(flatten)]
        size: SizeArgs,
    },
    /// The incoming-call lookup at 100,000 contacts
    Call {
        #[arg(long, default_value_t = 100_000)]
        contacts: usize,
    },
    /// Duplicates of accounts: the check on entry and the whole scan
    Duplicates {
        #[arg(long, default_value_t = 100_000)]
        accounts: usize,
    },
    /// A go-live import from .xlsx (accounts, then their contacts) next to the plain insert
    Import {
        #[arg(long, default_value_t = 10_000)]
        accounts: usize,
        #[arg(long, default_value_t = 2)]
        contacts_per_account: usize,
    },
    /// The server's memory while hostile clients push their worst payloads, next to idle
    Hostile {
        #[command(flatten)]
        common: Common,
        /// Clients sending at once
        #[arg(long, default_value_t = 32)]
        clients: usize,
        /// Times each client sends its payload
        #[arg(long, default_value_t = 2)]
        rounds: usize,
    },
}

fn backend(common: &Common) -> anyhow::Result<Backend> {
    match common.backend.as_str() {
        "sqlite" => Ok(Backend::Sqlite),
        "postgres" => Ok(Backend::Postgres),
        other => anyhow::bail!("unknown backend {other}: sqlite or postgres"),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `RUST_LOG=crm_client=debug` shows each sync request's and each pulled page's time.
    if let Ok(filter) = std::env::var("RUST_LOG") {
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    }
    match Cli::parse().command {
        Command::Sync { common, size, office } => {
            let size = if office {
                Size { accounts: 100_000, contacts: 100_000, activities: 100_000, deals: 10_000 }
            } else {
                size.into()
            };
            sync_bench(backend(&common)?, size, if office { Role::Admin } else { Role::Rep }).await
        }
        Command::Load { common, reps, seconds, interval_ms } => {
            load::run(backend(&common)?, reps, seconds, interval_ms).await
        }
        Command::Peers { common, size, small, small_only } => {
            peers::run(backend(&common)?, size.into(), small, small_only).await
        }
        Command::Sales => sales::run(),
        Command::Call { contacts } => call::run(contacts),
        Command::Report { size } => report::run(size.into()),
        Command::Campaign { contacts } => campaign::run(contacts).await,
        Command::Api { common, accounts } => api::run(backend(&common)?, accounts).await,
        Command::Duplicates { accounts } => duplicates::run(accounts),
        Command::Import { accounts, contacts_per_account } => import::run(accounts, contacts_per_account),
        Command::Hostile { common, clients, rounds } => hostile::run(backend(&common)?, clients, rounds).await,
    }
}

async fn sync_bench(backend: Backend, size: Size, reader: Role) -> anyhow::Result<()> {
    println!("crm-bench sync: {backend:?} server, {size:?}, read by {reader}");
    let work = ours::Workload { size, local_edits: 500, remote_edits: 2_000, reader };
    let (numbers, fixture) = ours::run(backend, &work).await?;
    numbers.print("ours");

    let t = Instant::now();
    let (requests, bytes) = raw_pull(&fixture.server.url).await?;
    println!(
        "  server side alone: the whole log pulled by a bare HTTP client, nothing applied: {:.2} s ({requests} requests, {:.1} MB of JSON)",
        t.elapsed().as_secs_f64(),
        bytes as f64 / 1e6
    );

    let device = &fixture.device;
    let db = device.database_bytes()?;
    let (plain, plain_fts) = plain_rows_bytes(&fixture.records)?;
    println!(
        "  local database: {:.1} MB ({:.0} B per record); the same data as plain rows: {:.1} MB, with a full-text index: {:.1} MB ({:.1}× the latter)",
        db as f64 / 1e6,
        db as f64 / numbers.records as f64,
        plain as f64 / 1e6,
        plain_fts as f64 / 1e6,
        db as f64 / plain_fts as f64
    );

    // Full-text search: one-word, two-word and prefix queries (100 of each).
    let mut all = Vec::new();
    for (kind, make) in [
        ("one word", (|i| portfolio::search_word(i)) as fn(usize) -> String),
        ("two words", |i| format!("{} {}", portfolio::search_word(i), portfolio::search_word(i + 1))),
        ("a 4-letter prefix", |i| portfolio::search_word(i).chars().take(4).collect()),
    ] {
        let (mut times, mut hits) = (Vec::new(), 0);
        for i in 0..100 {
            let q = make(i);
            let t = Instant::now();
            hits += device.client.search(&q, 20)?.len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        all.extend_from_slice(&times);
        println!(
            "  search, {kind} (100 queries, {:.1} hits each): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            hits as f64 / 100.0,
            ours::percentile(&mut times, 0.5),
            ours::percentile(&mut times, 0.95),
            ours::percentile(&mut times, 1.0)
        );
    }
    println!(
        "  search, all 300 queries: p50 {:.2} ms, p95 {:.2} ms",
        ours::percentile(&mut all, 0.5),
        ours::percentile(&mut all, 0.95)
    );

    // The account 360° view as the app loads it: the account with its contacts and
    // timeline, its deals, quotes and contracts.
    let accounts: Vec<&str> =
        fixture.records.iter().filter(|r| r["type"] == "account").filter_map(|r| r["id"].as_str()).collect();
    let mut times = Vec::new();
    let mut items = 0;
    for i in 0..200 {
        let id = accounts[(i * 7919) % accounts.len()];
        let t = Instant::now();
        let view = device.client.account_view(id)?;
        let deals = device.client.list_for_account(id, RecordType::Deal)?;
        let quotes = device.client.list_for_account(id, RecordType::Quote)?;
        let contracts = device.client.list_for_account(id, RecordType::Contract)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        items += view.contacts.len() + view.timeline.len() + deals.len() + quotes.len() + contracts.len();
    }
    println!(
        "  account 360° view ({} accounts, {:.1} items each): p50 {:.2} ms, p95 {:.2} ms",
        times.len(),
        items as f64 / times.len() as f64,
        ours::percentile(&mut times, 0.5),
        ours::percentile(&mut times, 0.95)
    );
    Ok(())
}

/// Pulls the whole log as a device of the rep would, decoding the JSON but applying
/// nothing: the server's share of an initial sync.
async fn raw_pull(url: &str) -> anyhow::Result<(usize, usize)> {
    let login = crm_protocol::LoginRequest {
        email: "rep@example.fr".into(),
        password: crm_tests::PASSWORD.into(),
        device_id: uuid::Uuid::now_v7(),
        device_name: "bench".into(),
    };
    let http = reqwest::Client::new();
    let token = http
        .post(format!("{url}/v1/login"))
        .header("x-crm-protocol", "1")
        .json(&login)
        .send()
        .await?
        .error_for_status()?
        .json::<crm_protocol::LoginResponse>()
        .await?
        .token;
    let (mut cursor, mut requests, mut bytes) = (0, 0, 0);
    loop {
        let body = serde_json::to_vec(&crm_protocol::SyncRequest { cursor, ..Default::default() })?;
        let answer = http
            .post(format!("{url}/v1/sync"))
            .header("x-crm-protocol", "1")
            .header("content-type", "application/json")
            .bearer_auth(&token)
            .body(body)
            .send()
            .await?
            .error_for_status()?
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

/// The same records as plain rows in an unencrypted SQLite file: one table per type,
/// one column per field; then with an FTS5 index over every text. Sizes after VACUUM.
fn plain_rows_bytes(records: &[serde_json::Value]) -> anyhow::Result<(u64, u64)> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("plain.db");
    let mut conn = rusqlite::Connection::open(&path)?;
    let mut columns: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for r in records {
        let kind = r["type"].as_str().unwrap_or("other").to_string();
        if let Some(m) = r.as_object() {
            columns.entry(kind).or_default().extend(m.keys().filter(|k| *k != "type").cloned());
        }
    }
    for (kind, cols) in &columns {
        let defs: Vec<String> = cols
            .iter()
            .map(|c| if c == "id" { "id TEXT PRIMARY KEY".into() } else { format!("\"{c}\" TEXT") })
            .collect();
        conn.execute_batch(&format!("CREATE TABLE \"{kind}\" ({});", defs.join(", ")))?;
    }
    let tx = conn.transaction()?;
    for r in records {
        let kind = r["type"].as_str().unwrap_or("other");
        let cols: Vec<&String> = columns[kind].iter().collect();
        let sql = format!(
            "INSERT INTO \"{kind}\" ({}) VALUES ({})",
            cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
            (1..=cols.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
        );
        let values: Vec<Option<String>> = cols
            .iter()
            .map(|c| match &r[c.as_str()] {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            })
            .collect();
        tx.execute(&sql, rusqlite::params_from_iter(values))?;
    }
    tx.commit()?;
    conn.execute_batch("VACUUM;")?;
    let plain = std::fs::metadata(&path)?.len();
    conn.execute_batch("CREATE VIRTUAL TABLE search USING fts5(body);")?;
    let tx = conn.transaction()?;
    for r in records {
        let text: Vec<&str> = r
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| !["id", "type", "account", "owner"].contains(&k.as_str()))
            .filter_map(|(_, v)| v.as_str())
            .collect();
        tx.execute("INSERT INTO search (body) VALUES (?1)", [text.join(" ")])?;
    }
    tx.commit()?;
    conn.execute_batch("VACUUM;")?;
    Ok((plain, std::fs::metadata(&path)?.len()))
}
