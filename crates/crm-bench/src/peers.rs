//! `crm-bench peers`: the same workloads, in the same run, on the sync systems a user
//! might pick instead: PouchDB (pouchdb-server with its LevelDB storage, a PouchDB
//! client on LevelDB) and automerge-repo (its sync server, a Node.js repo on the file
//! system, one document per record). Their clients are driven by `peers/peers.mjs`;
//! every system's traffic goes through a counting proxy; every server listens on
//! 127.0.0.1 only; every step is bounded in time.

use crate::ours::{self, EditPlan, Numbers, Workload};
use crate::portfolio::Size;
use crate::proxy::{CountingProxy, Traffic};
use crm_core::Role;
use crm_tests::Backend;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

const PEERS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/peers");

/// What a peer measured; `None` where a step did not finish in its time.
#[derive(Debug, Default, Clone)]
struct PeerNumbers {
    create_s: Option<f64>,
    upload_s: Option<f64>,
    initial_s: Option<f64>,
    initial_traffic: Traffic,
    noop_ms: Option<f64>,
    noop_traffic: Traffic,
    week_s: Option<f64>,
    week_traffic: Traffic,
    failure: Option<String>,
}

/// Installs the peers' npm packages when they are missing.
fn prepare() -> anyhow::Result<()> {
    let node = std::process::Command::new("node").arg("--version").output();
    anyhow::ensure!(node.is_ok_and(|o| o.status.success()), "Node.js is needed for the peers (scripts/setup.sh)");
    if !Path::new(PEERS_DIR).join("node_modules").exists() {
        println!("installing the peers' npm packages in {PEERS_DIR}");
        let ok = std::process::Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(PEERS_DIR)
            .status()?
            .success();
        anyhow::ensure!(ok, "npm install failed in {PEERS_DIR}");
    }
    Ok(())
}

/// A server process of a peer, killed on drop.
struct PeerServer {
    child: tokio::process::Child,
    port: u16,
}

impl PeerServer {
    async fn start(program: &[&str], env: &[(&str, String)], cwd: &Path, port: u16) -> anyhow::Result<PeerServer> {
        let mut cmd = tokio::process::Command::new("node");
        cmd.args(program).current_dir(cwd).stdout(Stdio::null()).stderr(Stdio::null()).kill_on_drop(true);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn()?;
        for _ in 0..400 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Ok(PeerServer { child, port });
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        anyhow::bail!("{program:?} did not start")
    }

    fn rss_mb(&self) -> f64 {
        let Some(pid) = self.child.id() else { return 0.0 };
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Runs one step of `peers.mjs`, bounded by `timeout`; its JSON answer.
async fn step(system: &str, step: &str, args: Value, timeout: Duration) -> anyhow::Result<Value> {
    let mut args = args;
    args["timeout_s"] = json!(timeout.as_secs());
    let child = tokio::process::Command::new("node")
        .arg(Path::new(PEERS_DIR).join("peers.mjs"))
        .args([system, step, &args.to_string()])
        .current_dir(PEERS_DIR)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let out = tokio::time::timeout(timeout + Duration::from_secs(10), child.wait_with_output())
        .await
        .map_err(|_| anyhow::anyhow!("{system} {step} did not finish in {} s", timeout.as_secs()))??;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        anyhow::bail!("{system} {step} failed: {}", err.lines().next().unwrap_or("").trim());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(serde_json::from_str(text.lines().last().unwrap_or("{}"))?)
}

fn secs(v: &Value, key: &str) -> Option<f64> {
    v[key].as_f64().map(|ms| ms / 1000.0)
}

/// The files the peers read: the records (JSONL) and the week's two edit lists.
struct Inputs {
    records: PathBuf,
    device_edits: PathBuf,
    author_edits: PathBuf,
}

fn write_inputs(dir: &Path, records: &[Value], device: &[EditPlan], author: &[EditPlan]) -> anyhow::Result<Inputs> {
    use std::io::Write;
    let inputs = Inputs {
        records: dir.join("records.jsonl"),
        device_edits: dir.join("device-edits.json"),
        author_edits: dir.join("author-edits.json"),
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(&inputs.records)?);
    for r in records {
        let mut fields = r.as_object().cloned().unwrap_or_default();
        let id = fields.remove("id").unwrap_or_default();
        let kind = fields.remove("type").unwrap_or_default();
        writeln!(out, "{}", json!({"id": id, "type": kind, "fields": fields}))?;
    }
    out.flush()?;
    std::fs::write(&inputs.device_edits, EditPlan::json(device).to_string())?;
    std::fs::write(&inputs.author_edits, EditPlan::json(author).to_string())?;
    Ok(inputs)
}

/// The workload on one peer: `server` is the client's address (through `proxy`).
async fn workload(
    system: &str,
    server: &str,
    proxy: &CountingProxy,
    work: &Path,
    inputs: &Inputs,
    timeout: Duration,
    noop_runs: usize,
) -> PeerNumbers {
    let mut n = PeerNumbers::default();
    let steps = async {
        let author = work.join(format!("{system}-author"));
        let device = work.join(format!("{system}-device"));
        let seed =
            step(system, "seed", json!({"server": server, "dir": author, "records": inputs.records}), timeout).await?;
        (n.create_s, n.upload_s) = (secs(&seed, "create_ms"), secs(&seed, "upload_ms"));
        println!(
            "  {system}: created locally in {:.2} s, uploaded in {:.2} s",
            n.create_s.unwrap_or(0.0),
            n.upload_s.unwrap_or(0.0)
        );

        let before = proxy.traffic();
        let index = author.join("index.json");
        let pull = step(system, "pull", json!({"server": server, "dir": device, "index": index}), timeout).await?;
        n.initial_s = secs(&pull, "ms");
        n.initial_traffic = proxy.traffic().since(before);
        println!(
            "  {system}: initial sync {:.2} s ({} documents), {:.1} MB",
            n.initial_s.unwrap_or(0.0),
            pull["docs"],
            n.initial_traffic.total() as f64 / 1e6
        );

        let mut times = Vec::new();
        let before = proxy.traffic();
        for _ in 0..noop_runs {
            let noop = step(system, "noop", json!({"server": server, "dir": device}), timeout).await?;
            times.push(noop["ms"].as_f64().unwrap_or(0.0));
        }
        let t = proxy.traffic().since(before);
        let runs = noop_runs.max(1) as u64;
        n.noop_traffic = Traffic { up: t.up / runs, down: t.down / runs, connections: t.connections / runs };
        n.noop_ms = Some(ours::percentile(&mut times, 0.5));
        println!("  {system}: no-op sync {:.1} ms, {} B", n.noop_ms.unwrap_or(0.0), n.noop_traffic.total());

        // The week offline: the device edits without network, the office edits and syncs,
        // then the device syncs both ways and must hold the office's edits.
        step(system, "edit", json!({"dir": device, "edits": inputs.device_edits}), timeout).await?;
        step(system, "edit", json!({"dir": author, "edits": inputs.author_edits}), timeout).await?;
        step(system, "sync", json!({"server": server, "dir": author}), timeout).await?;
        let before = proxy.traffic();
        let week =
            step(system, "sync", json!({"server": server, "dir": device, "expect": inputs.author_edits}), timeout)
                .await?;
        n.week_s = secs(&week, "ms");
        n.week_traffic = proxy.traffic().since(before);
        println!(
            "  {system}: week offline {:.2} s, {:.1} KB",
            n.week_s.unwrap_or(0.0),
            n.week_traffic.total() as f64 / 1e3
        );
        Ok::<_, anyhow::Error>(())
    };
    if let Err(e) = steps.await {
        println!("  {system}: {e:#}");
        n.failure = Some(format!("{e:#}"));
    }
    n
}

/// One size: ours, PouchDB and (when asked) automerge-repo on the same records.
async fn compare(backend: Backend, size: Size, with_automerge: bool) -> anyhow::Result<()> {
    let records = size.records();
    println!("\n== {records} records: {size:?} ==");
    let local_edits = 500.min(records / 5);
    let work = Workload { size, local_edits, remote_edits: 2_000.min(records - local_edits), reader: Role::Rep };
    let (ours, fixture) = ours::run(backend, &work).await?;
    ours.print(&format!("ours ({backend:?} server)"));

    let dir = tempfile::tempdir()?;
    let inputs = write_inputs(dir.path(), &fixture.records, &fixture.device_edits, &fixture.author_edits)?;
    drop(fixture);
    let timeout = Duration::from_secs(if with_automerge { 900 } else { 1_800 });

    // PouchDB: pouchdb-server on LevelDB, one database for the portfolio.
    let port = free_port()?;
    let pouch_data = dir.path().join("pouchdb-server");
    std::fs::create_dir_all(&pouch_data)?;
    let bin = Path::new(PEERS_DIR).join("node_modules/pouchdb-server/bin/pouchdb-server");
    let pouch = PeerServer::start(
        &[
            &bin.to_string_lossy(),
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--dir",
            &pouch_data.to_string_lossy(),
        ],
        &[],
        &pouch_data,
        port,
    )
    .await?;
    reqwest::Client::new().put(format!("http://127.0.0.1:{}/crm", pouch.port)).send().await?.error_for_status()?;
    let proxy = CountingProxy::start(pouch.port).await?;
    let pouch_url = format!("http://127.0.0.1:{}/crm", proxy.port);
    let pouchdb = workload("pouchdb", &pouch_url, &proxy, dir.path(), &inputs, timeout, 5).await;
    println!("  pouchdb-server peak memory: {:.0} MB", pouch.rss_mb());
    drop(pouch);

    let automerge = if with_automerge {
        let port = free_port()?;
        let data = dir.path().join("automerge-server");
        std::fs::create_dir_all(&data)?;
        let script = Path::new(PEERS_DIR).join("automerge-server.mjs");
        let server = PeerServer::start(
            &[&script.to_string_lossy()],
            &[("PORT", port.to_string()), ("DATA_DIR", data.to_string_lossy().to_string())],
            &data,
            port,
        )
        .await?;
        let proxy = CountingProxy::start(server.port).await?;
        let url = format!("ws://127.0.0.1:{}", proxy.port);
        let n = workload("automerge", &url, &proxy, dir.path(), &inputs, timeout, 1).await;
        println!("  automerge-repo sync server peak memory: {:.0} MB", server.rss_mb());
        Some(n)
    } else {
        None
    };
    print_table(records, &ours, &pouchdb, automerge.as_ref());
    Ok(())
}

fn print_table(records: usize, ours: &Numbers, pouch: &PeerNumbers, automerge: Option<&PeerNumbers>) {
    let ratio =
        |theirs: Option<f64>, mine: f64| theirs.map_or("did not finish".to_string(), |t| format!("{:.1}×", t / mine));
    let time = |t: Option<f64>| t.map_or("did not finish".to_string(), |t| format!("{t:.2} s"));
    println!("\n| {records} records | ours | PouchDB | ratio | automerge-repo | ratio |");
    println!("|---|---|---|---|---|---|");
    let none = PeerNumbers::default();
    let am = automerge.unwrap_or(&none);
    let am_time = |t: Option<f64>| if automerge.is_some() { time(t) } else { "not run".into() };
    let am_ratio = |t: Option<f64>, mine: f64| if automerge.is_some() { ratio(t, mine) } else { "".into() };
    let rows: [(&str, f64, Option<f64>, Option<f64>); 4] = [
        ("first upload", ours.upload_s, pouch.upload_s, am.upload_s),
        ("initial sync of a fresh device", ours.initial_s, pouch.initial_s, am.initial_s),
        ("no-op sync", ours.noop_ms / 1000.0, pouch.noop_ms.map(|m| m / 1000.0), am.noop_ms.map(|m| m / 1000.0)),
        ("week offline (local edits pushed, remote pulled)", ours.week_s, pouch.week_s, am.week_s),
    ];
    for (what, mine, p, a) in rows {
        println!(
            "| {what} | {:.3} s | {} | {} | {} | {} |",
            mine,
            time(p),
            ratio(p, mine),
            am_time(a),
            am_ratio(a, mine)
        );
    }
    let mb = |b: u64| b as f64 / 1e6;
    let bytes = |t: &Traffic| format!("{:.2} MB", mb(t.total()));
    let bratio = |t: &Traffic, mine: &Traffic| format!("{:.1}×", t.total() as f64 / mine.total().max(1) as f64);
    println!(
        "| bytes of the initial sync | {} | {} | {} | {} | {} |",
        bytes(&ours.initial_traffic),
        bytes(&pouch.initial_traffic),
        bratio(&pouch.initial_traffic, &ours.initial_traffic),
        if automerge.is_some() { bytes(&am.initial_traffic) } else { "".into() },
        if automerge.is_some() { bratio(&am.initial_traffic, &ours.initial_traffic) } else { "".into() },
    );
    println!(
        "| bytes of a no-op sync | {} B | {} B | {} | {} | {} |",
        ours.noop_traffic.total(),
        pouch.noop_traffic.total(),
        bratio(&pouch.noop_traffic, &ours.noop_traffic),
        if automerge.is_some() { format!("{} B", am.noop_traffic.total()) } else { "".into() },
        if automerge.is_some() { bratio(&am.noop_traffic, &ours.noop_traffic) } else { "".into() },
    );
    println!(
        "| bytes of the week offline | {} | {} | {} | {} | {} |",
        bytes(&ours.week_traffic),
        bytes(&pouch.week_traffic),
        bratio(&pouch.week_traffic, &ours.week_traffic),
        if automerge.is_some() { bytes(&am.week_traffic) } else { "".into() },
        if automerge.is_some() { bratio(&am.week_traffic, &ours.week_traffic) } else { "".into() },
    );
    for (name, p) in [("PouchDB", Some(pouch)), ("automerge-repo", automerge)] {
        if let Some(f) = p.and_then(|p| p.failure.as_ref()) {
            println!("{name}: {f}");
        }
    }
}

pub async fn run(backend: Backend, full: Size, small: usize, small_only: bool) -> anyhow::Result<()> {
    prepare()?;
    let scale = |n: usize| (n * small).div_ceil(full.records().max(1));
    let small_size = Size {
        accounts: scale(full.accounts).max(1),
        contacts: scale(full.contacts),
        activities: scale(full.activities),
        deals: scale(full.deals),
    };
    compare(backend, small_size, true).await?;
    if !small_only {
        compare(backend, full, false).await?;
    }
    Ok(())
}
