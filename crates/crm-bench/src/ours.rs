//! Our own sync, measured on a generated portfolio: the real server on 127.0.0.1
//! (SQLite or PostgreSQL), real clients in temporary directories, every request through
//! a counting proxy. The same workload as the peers run (`peers.rs`).

use crate::portfolio::{self, Size};
use crate::proxy::{CountingProxy, Traffic, port_of};
use crate::server::ServerProcess;
use crm_client::Client;
use crm_core::{FieldValue, RecordType, Role};
use crm_tests::{Backend, PASSWORD, add_user};
use serde_json::{Value, json};
use std::time::Instant;
use tempfile::TempDir;

/// A device: a client with its own data directory.
pub struct Device {
    pub client: Client,
    pub dir: TempDir,
}

impl Device {
    pub async fn login(url: &str, email: &str) -> anyhow::Result<Device> {
        let dir = tempfile::tempdir()?;
        let client = Client::open(dir.path())?;
        client.login(url, email, PASSWORD, "bench").await?;
        Ok(Device { client, dir })
    }

    pub async fn sync(&self) -> anyhow::Result<crm_client::SyncReport> {
        Ok(self.client.sync(|_| {}).await?)
    }

    /// The local database's size on disk, its write-ahead log included.
    pub fn database_bytes(&self) -> anyhow::Result<u64> {
        let mut total = 0;
        for name in ["crm.db", "crm.db-wal"] {
            if let Ok(m) = std::fs::metadata(self.dir.path().join(name)) {
                total += m.len();
            }
        }
        Ok(total)
    }
}

/// One edit of the week-offline workload.
#[derive(Clone, Debug)]
pub struct EditPlan {
    pub id: String,
    pub field: &'static str,
    pub value: String,
}

impl EditPlan {
    pub fn json(plans: &[EditPlan]) -> Value {
        Value::Array(plans.iter().map(|e| json!({"id": e.id, "field": e.field, "value": e.value})).collect())
    }
}

/// What the workload measured.
#[derive(Debug, Default, Clone)]
pub struct Numbers {
    pub records: usize,
    pub create_s: f64,
    pub upload_s: f64,
    pub initial_s: f64,
    pub initial_requests: u64,
    pub initial_traffic: Traffic,
    pub noop_ms: f64,
    pub noop_max_ms: f64,
    pub noop_requests: u64,
    pub noop_traffic: Traffic,
    pub week_s: f64,
    pub week_requests: u64,
    pub week_traffic: Traffic,
    pub week_pushed: u64,
    pub week_pulled: u64,
}

/// The server, its proxy, the author (who typed the portfolio) and a second device
/// (which started fresh), after the workload.
pub struct Fixture {
    pub server: ServerProcess,
    /// Kept for as long as the devices may sync.
    pub _proxy: CountingProxy,
    pub _author: Device,
    pub device: Device,
    /// Every record as the author holds it (id, type and fields).
    pub records: Vec<Value>,
    pub device_edits: Vec<EditPlan>,
    pub author_edits: Vec<EditPlan>,
}

pub struct Workload {
    pub size: Size,
    /// Edits made on the device while offline, then pushed.
    pub local_edits: usize,
    /// Edits made meanwhile by the author, then pulled by the device.
    pub remote_edits: usize,
    /// The second device's user: the same rep, or an office user who reads everything.
    pub reader: Role,
}

const TYPES: [RecordType; 4] = [RecordType::Account, RecordType::Contact, RecordType::Activity, RecordType::Deal];

/// The edits of the week offline: the device changes the first `local` records, the
/// author the next `remote` ones (a short field of each record's type).
pub fn week_plan(records: &[Value], local: usize, remote: usize) -> (Vec<EditPlan>, Vec<EditPlan>) {
    let plan = |r: &Value, tag: &str, i: usize| {
        let kind = r["type"].as_str().unwrap_or("account");
        EditPlan {
            id: r["id"].as_str().unwrap_or_default().to_string(),
            field: portfolio::edit_field(kind),
            value: format!("{tag} {i}"),
        }
    };
    let device = records.iter().take(local).enumerate().map(|(i, r)| plan(r, "Modifié hors ligne", i)).collect();
    let author =
        records.iter().skip(local).take(remote).enumerate().map(|(i, r)| plan(r, "Modifié au bureau", i)).collect();
    (device, author)
}

fn apply(device: &Device, edits: &[EditPlan]) -> anyhow::Result<()> {
    for e in edits {
        let edit = [(e.field.to_string(), Some(FieldValue::Text(e.value.clone())))].into_iter().collect();
        device.client.edit(&e.id, edit)?;
    }
    Ok(())
}

pub async fn run(backend: Backend, work: &Workload) -> anyhow::Result<(Numbers, Fixture)> {
    let server = ServerProcess::start(backend).await?;
    add_user(&server.database.url, "rep@example.fr", Role::Rep).await;
    let reader_email = if work.reader == Role::Rep { "rep@example.fr" } else { "office@example.fr" };
    if work.reader != Role::Rep {
        add_user(&server.database.url, reader_email, work.reader).await;
    }
    let proxy = CountingProxy::start(port_of(&server.url)?).await?;
    let url = format!("http://127.0.0.1:{}", proxy.port);
    let mut n = Numbers { records: work.size.records(), ..Default::default() };

    let author = Device::login(&url, "rep@example.fr").await?;
    let t = Instant::now();
    portfolio::generate(&author.client, work.size)?;
    n.create_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let up = author.sync().await?;
    n.upload_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(up.pushed as usize >= n.records, "the first upload stored {} of {} records", up.pushed, n.records);

    let mut records = Vec::with_capacity(n.records);
    for t in TYPES {
        records.extend(author.client.list(t)?.into_iter().map(|r| {
            let mut r = r.into_value();
            if let Some(m) = r.as_object_mut() {
                m.remove("conflicts");
            }
            r
        }));
    }

    let device = Device::login(&url, reader_email).await?;
    let before = proxy.traffic();
    let t = Instant::now();
    let down = device.sync().await?;
    n.initial_s = t.elapsed().as_secs_f64();
    n.initial_requests = down.requests;
    n.initial_traffic = proxy.traffic().since(before);
    anyhow::ensure!(down.pulled as usize >= n.records, "the initial sync brought {} of {}", down.pulled, n.records);

    let mut times = Vec::new();
    let before = proxy.traffic();
    for _ in 0..20 {
        let t = Instant::now();
        let r = device.sync().await?;
        anyhow::ensure!(r.pushed + r.pulled == 0, "a sync with nothing to do moved records: {r:?}");
        n.noop_requests = r.requests;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let noop = proxy.traffic().since(before);
    n.noop_traffic = Traffic { up: noop.up / 20, down: noop.down / 20, connections: noop.connections };
    n.noop_ms = percentile(&mut times, 0.5);
    n.noop_max_ms = percentile(&mut times, 1.0);

    // A week offline: the device edits, the office edits meanwhile, then one sync.
    let (device_edits, author_edits) = week_plan(&records, work.local_edits, work.remote_edits);
    apply(&device, &device_edits)?;
    apply(&author, &author_edits)?;
    author.sync().await?;
    let before = proxy.traffic();
    let t = Instant::now();
    let week = device.sync().await?;
    n.week_s = t.elapsed().as_secs_f64();
    n.week_traffic = proxy.traffic().since(before);
    (n.week_requests, n.week_pushed, n.week_pulled) = (week.requests, week.pushed, week.pulled);
    if let Some(last) = author_edits.last() {
        let got = device.client.get(&last.id)?;
        anyhow::ensure!(got[last.field] == last.value.as_str(), "the office's edit did not reach the device");
    }
    anyhow::ensure!(week.pushed as usize == device_edits.len(), "pushed {} of {}", week.pushed, device_edits.len());

    Ok((n, Fixture { server, _proxy: proxy, _author: author, device, records, device_edits, author_edits }))
}

/// The `p` quantile (0..=1) of `values`, sorted in place.
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * p).round() as usize]
}

impl Numbers {
    pub fn print(&self, label: &str) {
        let mb = |b: u64| b as f64 / 1e6;
        println!("{label}: {} records", self.records);
        println!("  create locally (1,000 per transaction): {:.2} s", self.create_s);
        println!("  first upload: {:.2} s", self.upload_s);
        println!(
            "  initial sync of a fresh device: {:.2} s, {} requests, {:.1} MB down, {:.2} MB up",
            self.initial_s,
            self.initial_requests,
            mb(self.initial_traffic.down),
            mb(self.initial_traffic.up)
        );
        println!(
            "  no-op sync: median {:.2} ms, max {:.2} ms, {} request, {} B on the wire (HTTP included)",
            self.noop_ms,
            self.noop_max_ms,
            self.noop_requests,
            self.noop_traffic.total()
        );
        println!(
            "  week offline ({} pushed, {} pulled): {:.3} s, {} requests, {:.1} KB",
            self.week_pushed,
            self.week_pulled,
            self.week_s,
            self.week_requests,
            self.week_traffic.total() as f64 / 1e3
        );
    }
}
