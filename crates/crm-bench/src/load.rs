//! `crm-bench load`: many reps syncing at once for a bounded time against the real
//! `crm-server` process (so its memory is its own). Each simulated rep is a device of
//! its own user speaking the protocol directly (so the load generator stays light):
//! every `interval` it pushes one new account of its own and pulls what is new for it.
//! Reports throughput, p50/p99 latency, errors (any non-2xx, refusal or transport
//! failure), and the server's memory.

use crate::server::ServerProcess;
use crm_core::{FieldValue, Record, RecordId, RecordType};
use crm_doc::{DeviceActor, RecordDoc};
use crm_protocol::{LoginRequest, LoginResponse, PushedChange, SyncRequest, SyncResponse};
use crm_tests::{Backend, PASSWORD};
use std::time::{Duration, Instant};

struct RepResult {
    latencies_ms: Vec<f64>,
    errors: usize,
    pushed: usize,
}

async fn one_rep(
    http: reqwest::Client,
    url: String,
    email: String,
    until: Instant,
    interval: Duration,
) -> anyhow::Result<RepResult> {
    let device = uuid::Uuid::now_v7();
    // All reps log in at once from one address, as an office behind one router does:
    // the server checks a few dozen at a time and asks the others to try again.
    let request = LoginRequest { email, password: PASSWORD.into(), device_id: device, device_name: "load".into() };
    let mut tries = 0;
    let login: LoginResponse = loop {
        let response = http.post(format!("{url}/v1/login")).header("x-crm-protocol", "1").json(&request).send().await?;
        if response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS && tries < 100 {
            tries += 1;
            tokio::time::sleep(Duration::from_millis(50 + rand::random::<u64>() % 100)).await;
            continue;
        }
        break response.error_for_status()?.json().await?;
    };
    let actor = DeviceActor::from_device_id(&device);
    let mut out = RepResult { latencies_ms: Vec::new(), errors: 0, pushed: 0 };
    let mut cursor = 0;
    let mut n = 0;
    // Spread the reps' first requests over one interval.
    tokio::time::sleep(Duration::from_millis(rand::random::<u64>() % interval.as_millis().max(1) as u64)).await;
    while Instant::now() < until {
        n += 1;
        let mut record = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Account);
        record.fields.insert("name".into(), FieldValue::Text(format!("Client {n} de {}", login.user.name)));
        record.fields.insert("kind".into(), FieldValue::from("prospect"));
        record.fields.insert("owner".into(), FieldValue::Text(login.user.id.clone()));
        let mut doc = RecordDoc::create(&actor, &record, 0)?;
        let change = doc.all_changes().remove(0);
        let req = SyncRequest {
            cursor,
            changes: vec![PushedChange { doc: record.id.0, data: crm_protocol::Bytes(change.raw_bytes().to_vec()) }],
            ..Default::default()
        };
        let t = Instant::now();
        let answer = http
            .post(format!("{url}/v1/sync"))
            .header("x-crm-protocol", "1")
            .bearer_auth(&login.token)
            .json(&req)
            .send()
            .await;
        match answer {
            Ok(r) if r.status().is_success() => match r.json::<SyncResponse>().await {
                Ok(resp) if resp.rejected.is_empty() => {
                    out.latencies_ms.push(t.elapsed().as_secs_f64() * 1000.0);
                    out.pushed += resp.acked.len();
                    cursor = resp.cursor;
                }
                other => {
                    out.errors += 1;
                    if out.errors == 1 {
                        eprintln!("sync error: {:?}", other.map(|r| r.rejected));
                    }
                }
            },
            other => {
                out.errors += 1;
                if out.errors == 1 {
                    match other {
                        Ok(r) => eprintln!("sync error: {} {}", r.status(), r.text().await.unwrap_or_default()),
                        Err(e) => eprintln!("sync error: {e}"),
                    }
                }
            }
        }
        tokio::time::sleep(interval).await;
    }
    Ok(out)
}

pub async fn run(backend: Backend, reps: usize, seconds: u64, interval_ms: u64) -> anyhow::Result<()> {
    let server = ServerProcess::start(backend).await?;
    let t = Instant::now();
    let db = crm_server::db::Db::connect(&server.database.url).await?;
    let hash = crm_server::auth::hash_password(PASSWORD)?;
    for i in 0..reps {
        let user = crm_server::db::NewUser {
            email: format!("rep{i:03}@example.fr"),
            name: format!("Rep {i:03}"),
            role: crm_core::Role::Rep,
            manager_email: None,
            password_hash: hash.clone(),
        };
        db.add_user(user, crm_server::now_ms()).await?;
    }
    db.close().await;
    println!("{backend:?}: {reps} users added in {:.1} s", t.elapsed().as_secs_f64());
    let (_, before) = server.memory_mb();

    let http = reqwest::Client::builder().pool_max_idle_per_host(reps).build()?;
    let until = Instant::now() + Duration::from_secs(seconds);
    let interval = Duration::from_millis(interval_ms);
    let started = Instant::now();
    let tasks: Vec<_> = (0..reps)
        .map(|i| {
            tokio::spawn(one_rep(http.clone(), server.url.clone(), format!("rep{i:03}@example.fr"), until, interval))
        })
        .collect();
    let mut latencies = Vec::new();
    let (mut errors, mut pushed, mut failed_logins) = (0, 0, 0);
    for task in tasks {
        match task.await? {
            Ok(r) => {
                latencies.extend(r.latencies_ms);
                errors += r.errors;
                pushed += r.pushed;
            }
            Err(e) => {
                if failed_logins == 0 {
                    eprintln!("login error: {e:#}");
                }
                failed_logins += 1
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let (peak, now) = server.memory_mb();
    latencies.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| latencies.get(((latencies.len() as f64 - 1.0) * p) as usize).copied().unwrap_or(0.0);
    println!(
        "{reps} reps syncing every {interval_ms} ms for {elapsed:.0} s (logins included): {} syncs ({:.0} per second), \
         {pushed} changes stored, errors {errors}, failed logins {failed_logins}",
        latencies.len(),
        latencies.len() as f64 / elapsed
    );
    println!(
        "  sync latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        pct(0.5),
        pct(0.99),
        latencies.last().copied().unwrap_or(0.0)
    );
    println!("  crm-server memory: {before:.0} MB idle, {peak:.0} MB peak, {now:.0} MB at the end");
    Ok(())
}
