//! Crashes and cut links: the server killed with SIGKILL at random points of large
//! pushes and of a large pull, many times; TCP connections cut in the middle of requests
//! and of responses; a client killed after the server stored its push and before it
//! recorded the acknowledgement, and clients killed at random points of a large pull.
//! After restarting and syncing: nothing lost, nothing duplicated, nothing left
//! pending, every local store opens and holds what the server holds.
//!
//! The processes killed are real: this test binary runs itself again in a child mode
//! (`CRM_CRASH_CHILD=server|client`) as a server or as a client, and the parent sends it
//! SIGKILL. A `main` of its own (no libtest harness, so no test is a stand-in for the
//! child entry) runs every scenario on SQLite and on PostgreSQL. Random delays and cut
//! points come from a printed seed: `CRM_CRASH_SEED=<n> cargo test -p crm-tests --test
//! crash` uses the same ones again (where a kill lands still depends on the machine's
//! speed). A word on the command line runs only the scenarios whose name holds it.

use crm_client::{Client, KeyStore};
use crm_core::{FieldValue, RecordType, Role};
use crm_tests::{Backend, PASSWORD, ServerDatabase, TestServer, add_user, healthy_within};
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};

const CHILD: &str = "CRM_CRASH_CHILD";
/// A scenario, started on one backend with its own random numbers.
type Scenario = dyn Fn(Backend, StdRng) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;
const EMAIL: &str = "julie@example.fr";

fn main() {
    match std::env::var(CHILD).as_deref() {
        Ok("server") => return server_child(),
        Ok("client") => return client_child(),
        _ => {}
    }
    let seed = std::env::var("CRM_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random::<u64>);
    println!("crash and cut-link tests, seed {seed} (CRM_CRASH_SEED={seed} to use the same delays and cut points)");
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut run = |name: &str, scenario: &Scenario| {
            if !only.is_empty() && !only.iter().any(|w| name.contains(w.as_str())) {
                return;
            }
            println!("{name} on {backend:?}");
            let t = Instant::now();
            runtime.block_on(scenario(backend, StdRng::seed_from_u64(rng.r#gen())));
            println!("{name} on {backend:?}: ok in {:.1} s", t.elapsed().as_secs_f64());
        };
        run("the_server_killed_during_large_pushes_and_a_large_pull_loses_nothing", &|b, r| {
            Box::pin(the_server_killed_during_large_pushes_and_a_large_pull_loses_nothing(b, r))
        });
        run("connections_cut_mid_request_and_mid_response_lose_nothing", &|b, r| {
            Box::pin(connections_cut_mid_request_and_mid_response_lose_nothing(b, r))
        });
        run("a_client_killed_before_recording_the_acknowledgement_pushes_again_without_duplicates", &|b, r| {
            Box::pin(a_client_killed_before_recording_the_acknowledgement_pushes_again_without_duplicates(b, r))
        });
    }
}

// ---------------------------------------------------------------------------------
// The child processes.

/// A server on `CRM_CHILD_DATABASE`, port `CRM_CHILD_PORT`, until it is killed.
fn server_child() {
    let database = std::env::var("CRM_CHILD_DATABASE").unwrap();
    let port: u16 = std::env::var("CRM_CHILD_PORT").unwrap().parse().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        // The killed server's port may take a moment to be free again.
        let mut listener = None;
        for _ in 0..100 {
            match TcpListener::bind(("127.0.0.1", port)).await {
                Ok(l) => {
                    listener = Some(l);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        let listener = listener.expect("the port stays taken");
        let settings = crm_server::Settings::new(database);
        crm_server::launch_with_listener(settings, listener, std::future::pending()).await.unwrap();
    });
}

/// A device: opens `CRM_CHILD_DIR` with the password and syncs once; exits 0 when the
/// sync finished, 1 with the error otherwise.
fn client_child() {
    let dir = std::env::var("CRM_CHILD_DIR").unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let result = runtime.block_on(async { reopen(Path::new(&dir)).sync(|_| {}).await });
    if let Err(e) = result {
        eprintln!("sync failed: {e}");
        std::process::exit(1);
    }
}

fn child(mode: &str, env: &[(&str, String)]) -> Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.env(CHILD, mode).env("CRM_NO_KEYRING", "1").stdout(Stdio::null()).stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.kill_on_drop(true).spawn().unwrap()
}

/// SIGKILL, and wait until the process is gone.
async fn kill(child: &mut Child) {
    let _ = child.start_kill();
    let _ = child.wait().await;
}

/// A server process that can be killed and started again on the same address.
struct ServerProcess {
    child: Child,
    port: u16,
    database_url: String,
    restarts: usize,
}

impl ServerProcess {
    async fn start(database_url: &str) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = ServerProcess::spawn(database_url, port);
        let server = ServerProcess { child, port, database_url: database_url.into(), restarts: 0 };
        server.wait_ready().await;
        server
    }

    fn spawn(database_url: &str, port: u16) -> Child {
        child("server", &[("CRM_CHILD_DATABASE", database_url.into()), ("CRM_CHILD_PORT", port.to_string())])
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_ready(&self) {
        assert!(healthy_within(&self.url(), Duration::from_secs(10)).await, "the server process did not start");
    }

    async fn kill_and_restart(&mut self) {
        kill(&mut self.child).await;
        self.child = ServerProcess::spawn(&self.database_url, self.port);
        self.restarts += 1;
        self.wait_ready().await;
    }
}

// ---------------------------------------------------------------------------------
// Devices, records and what the server holds.

/// Opens a device's data directory the way the app does after a restart: with the
/// password (the key is not in any keyring here).
fn reopen(dir: &Path) -> Client {
    let client = Client::open_with(dir, KeyStore::PasswordOnly).unwrap();
    if client.is_locked() {
        client.unlock(PASSWORD).unwrap();
    }
    client
}

async fn new_device(server: &str) -> (TempDir, Client) {
    let dir = tempfile::tempdir().unwrap();
    let client = Client::open_with(dir.path(), KeyStore::PasswordOnly).unwrap();
    client.login(server, EMAIL, PASSWORD, "crash test device").await.unwrap();
    (dir, client)
}

const WORDS: &[&str] = &["devis", "relance", "chaudière", "contrat", "visite", "entretien", "budget", "livraison"];

/// `n` new accounts and as many visit reports (long texts), in two transactions; the
/// accounts' names are `{tag} {i}`.
fn create_batch(client: &Client, tag: &str, n: usize, rng: &mut StdRng) {
    let f = |pairs: Vec<(&str, String)>| -> BTreeMap<String, FieldValue> {
        pairs.into_iter().map(|(k, v)| (k.to_string(), FieldValue::Text(v))).collect()
    };
    let accounts: Vec<_> = (0..n)
        .map(|i| f(vec![("name", format!("{tag} {i:04}")), ("kind", "customer".into()), ("city", "Lyon".into())]))
        .collect();
    let ids: Vec<String> = client
        .create_many(RecordType::Account, accounts)
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    let reports: Vec<_> = ids
        .iter()
        .map(|id| {
            let body = (0..30).map(|_| WORDS[rng.gen_range(0..WORDS.len())]).collect::<Vec<_>>().join(" ");
            f(vec![
                ("account", id.clone()),
                ("kind", "visit".into()),
                ("at", "2026-11-30T09:00:00Z".into()),
                ("subject", format!("Visite {tag}")),
                ("body", body),
            ])
        })
        .collect();
    client.create_many(RecordType::Activity, reports).unwrap();
}

/// Every record the device holds, by id, as it shows them.
fn records(client: &Client) -> BTreeMap<String, serde_json::Value> {
    [RecordType::Account, RecordType::Activity]
        .into_iter()
        .flat_map(|t| client.list(t).unwrap())
        .map(|r| (r.id().to_string(), r.into_value()))
        .collect()
}

/// Accounts the device holds per name: a name held twice is a duplicated record.
fn duplicated_names(client: &Client) -> Vec<String> {
    let mut seen = BTreeMap::<String, usize>::new();
    for a in client.list(RecordType::Account).unwrap() {
        *seen.entry(a["name"].as_str().unwrap_or("").to_string()).or_default() += 1;
    }
    seen.into_iter().filter(|(_, n)| *n > 1).map(|(name, _)| name).collect()
}

fn pending(client: &Client) -> u64 {
    client.status().unwrap().pending
}

/// The server's log: changes stored, and distinct records they belong to.
async fn server_log(database_url: &str) -> (i64, i64) {
    use sqlx::Row;
    let db = crm_server::db::Db::connect(database_url).await.unwrap();
    let row = sqlx::query("SELECT COUNT(*) AS changes, COUNT(DISTINCT doc_id) AS docs FROM changes")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let counts = (row.try_get("changes").unwrap(), row.try_get("docs").unwrap());
    db.close().await;
    counts
}

/// Syncs until a sync finishes (the link may still fail at first); the failures.
async fn sync_until_done(client: &Client, attempts: usize) -> usize {
    for failures in 0..attempts {
        match client.sync(|_| {}).await {
            Ok(_) => return failures,
            Err(e) => assert!(e.is_offline(), "a broken link must read as being offline, not as: {e}"),
        }
    }
    panic!("no sync finished in {attempts} attempts");
}

// ---------------------------------------------------------------------------------
// The scenarios.

async fn the_server_killed_during_large_pushes_and_a_large_pull_loses_nothing(backend: Backend, mut rng: StdRng) {
    let db = ServerDatabase::create(backend).await;
    let mut server = ServerProcess::start(&db.url).await;
    add_user(&db.url, EMAIL, Role::Rep).await;
    let (_laptop_dir, laptop) = new_device(&server.url()).await;

    // How long one batch takes to push, so that kills land inside pushes.
    const BATCH: usize = 300;
    create_batch(&laptop, "Calibrage", BATCH, &mut rng);
    let t = Instant::now();
    laptop.sync(|_| {}).await.unwrap();
    let push_ms = (t.elapsed().as_millis() as u64).max(20);

    // Pushes of new batches, each with the server killed at a random instant of it.
    let mut interrupted = 0;
    for round in 0..8 {
        create_batch(&laptop, &format!("Lot {round}"), BATCH, &mut rng);
        let c = laptop.clone();
        let sync = tokio::spawn(async move { c.sync(|_| {}).await });
        tokio::time::sleep(Duration::from_millis(rng.gen_range(0..push_ms * 3 / 2))).await;
        server.kill_and_restart().await;
        match sync.await.unwrap() {
            Ok(_) => {}
            Err(e) => {
                assert!(e.is_offline(), "a killed server must read as being offline, not as: {e}");
                interrupted += 1;
            }
        }
    }
    sync_until_done(&laptop, 3).await;
    let created = 9 * BATCH * 2;
    assert_eq!(pending(&laptop), 0, "nothing stays pending");
    assert_eq!(server_log(&db.url).await, (created as i64, created as i64), "each record's change stored once");
    assert!(duplicated_names(&laptop).is_empty());

    // Fresh devices' initial pulls, each with the server killed at a random instant of
    // its first half; each device then finishes its sync.
    let (_d0_dir, reference) = new_device(&server.url()).await;
    let t = Instant::now();
    reference.sync(|_| {}).await.unwrap();
    let pull_ms = (t.elapsed().as_millis() as u64).max(20);
    let expected = records(&laptop);
    assert_eq!(expected.len(), created);
    assert_eq!(records(&reference), expected);
    let mut pull_interrupted = 0;
    for _ in 0..8 {
        let (_dir, desktop) = new_device(&server.url()).await;
        let c = desktop.clone();
        let sync = tokio::spawn(async move { c.sync(|_| {}).await });
        tokio::time::sleep(Duration::from_millis(rng.gen_range(0..pull_ms / 2))).await;
        server.kill_and_restart().await;
        if sync.await.unwrap().is_err() {
            pull_interrupted += 1;
        }
        sync_until_done(&desktop, 3).await;
        assert_eq!(records(&desktop), expected, "the interrupted device holds exactly what its author made");
        assert_eq!(pending(&desktop), 0);
    }
    println!(
        "  {} server kills: {interrupted} of 8 inside a push of {} changes ({push_ms} ms each), {pull_interrupted} of 8 inside the initial pull of {created} records ({pull_ms} ms)",
        server.restarts,
        BATCH * 2
    );
    let again = laptop.sync(|_| {}).await.unwrap();
    assert_eq!((again.pushed, again.pulled), (0, 0), "nothing comes back, nothing is sent twice");
    assert!(interrupted > 0 && pull_interrupted > 0, "no kill landed inside a sync: the test proved nothing");
}

/// What the link does to each new connection.
const PASS: u8 = 0;
const CUT: u8 = 1;
const SWALLOW_RESPONSES: u8 = 2;

/// A TCP proxy in front of a server. In `CUT` mode it cuts one connection in two at a
/// random byte of what the device sends or of what the server answers; in
/// `SWALLOW_RESPONSES` mode requests reach the server and answers never come back.
struct Link {
    url: String,
    mode: Arc<AtomicU8>,
    cuts: Arc<AtomicUsize>,
    /// Connections on which the server answered while answers were swallowed.
    swallowed: Arc<tokio::sync::Notify>,
}

async fn link(target: &str, seed: u64) -> Link {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let target = target.trim_start_matches("http://").to_string();
    let mode = Arc::new(AtomicU8::new(PASS));
    let cuts = Arc::new(AtomicUsize::new(0));
    let swallowed = Arc::new(tokio::sync::Notify::new());
    let (m, c, s) = (mode.clone(), cuts.clone(), swallowed.clone());
    tokio::spawn(async move {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut broken_once = false;
        while let Ok((device, _)) = listener.accept().await {
            let Ok(server) = TcpStream::connect(&target).await else { continue };
            // Where this connection breaks while the link cuts: at a random byte of
            // what goes up (requests) or of what comes down (answers), counted from
            // its start, spread log-uniformly (many breaks in headers and small
            // bodies, some big bodies through). The first connection opened once the
            // link is bad breaks early, and connections opened before (a pool's)
            // break at their next byte: the link surely breaks at least once.
            let (up, down) = if m.load(Ordering::SeqCst) != CUT {
                (Some(0), Some(0))
            } else {
                let upward: bool = rng.r#gen();
                let max = if !broken_once {
                    4e3
                } else if upward {
                    512e3
                } else {
                    2e6_f64
                };
                broken_once = true;
                let at = rng.gen_range(100f64.ln()..max.ln()).exp() as usize;
                if upward { (Some(at), None) } else { (None, Some(at)) }
            };
            let (m, c, s) = (m.clone(), c.clone(), s.clone());
            tokio::spawn(async move {
                let (mut device_read, mut device_write) = device.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let upward = pipe(&mut device_read, &mut server_write, &m, up, None);
                let downward = pipe(&mut server_read, &mut device_write, &m, down, Some(&*s));
                // Either direction ending (or being cut) ends the connection.
                let cut = tokio::select! { cut = upward => cut, cut = downward => cut };
                if cut {
                    c.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    });
    Link { url, mode, cuts, swallowed }
}

/// Copies `from` to `to` until the end (then false). While the link cuts, stops once
/// `cut_at` bytes went through (then true); while it swallows answers, `answers` (the
/// downward pipe's) is told of the first bytes, which go nowhere.
async fn pipe(
    from: &mut tokio::net::tcp::OwnedReadHalf,
    to: &mut tokio::net::tcp::OwnedWriteHalf,
    mode: &AtomicU8,
    cut_at: Option<usize>,
    answers: Option<&tokio::sync::Notify>,
) -> bool {
    let mut buf = vec![0u8; 16 * 1024];
    let mut sent = 0usize;
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        match (mode.load(Ordering::SeqCst), cut_at, answers) {
            (SWALLOW_RESPONSES, _, Some(answers)) => {
                answers.notify_one();
                continue;
            }
            (CUT, Some(at), _) if sent + n >= at => {
                let _ = to.write_all(&buf[..at.saturating_sub(sent)]).await;
                return true;
            }
            _ => {}
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return false;
        }
        sent += n;
    }
}

async fn connections_cut_mid_request_and_mid_response_lose_nothing(backend: Backend, mut rng: StdRng) {
    let server = TestServer::start(backend).await;
    server.add_user(EMAIL, Role::Rep).await;
    let link = link(&server.url, rng.r#gen()).await;
    let (_l, laptop) = new_device(&link.url).await;
    let (_d, desktop) = new_device(&link.url).await;
    create_batch(&laptop, "Client", 1_000, &mut rng);
    link.mode.store(CUT, Ordering::SeqCst);

    let mut failures = sync_until_done(&laptop, 100).await;
    failures += sync_until_done(&desktop, 100).await;
    // Then, four times, both work offline and meet again through the same bad link.
    let accounts = laptop.list(RecordType::Account).unwrap();
    for round in 0..4 {
        for a in &accounts[round * 50..(round + 1) * 50] {
            let edit = [("city".to_string(), Some(FieldValue::from("Grenoble")))].into_iter().collect();
            laptop.edit(a["id"].as_str().unwrap(), edit).unwrap();
        }
        create_batch(&desktop, &format!("Prospect {round}"), 50, &mut rng);
        for device in [&laptop, &desktop, &laptop] {
            failures += sync_until_done(device, 100).await;
        }
    }
    let cuts = link.cuts.load(Ordering::SeqCst);
    println!("  {cuts} connections cut, {failures} syncs failed on the way and were retried");

    link.mode.store(PASS, Ordering::SeqCst);
    let expected = records(&laptop);
    assert_eq!(expected.len(), 2 * 1_200);
    assert_eq!(records(&desktop), expected, "both devices hold the same records");
    assert_eq!(expected.values().filter(|r| r["city"] == "Grenoble").count(), 200, "every offline edit arrived");
    assert_eq!((pending(&laptop), pending(&desktop)), (0, 0), "nothing stays pending");
    assert!(duplicated_names(&desktop).is_empty());
    let (changes, docs) = server_log(&server.database_url).await;
    assert_eq!((changes, docs), (2 * 1_200 + 200, 2 * 1_200), "every change stored once");
    assert!(cuts > 0 && failures > 0, "no connection was cut inside a sync: the test proved nothing");
}

async fn a_client_killed_before_recording_the_acknowledgement_pushes_again_without_duplicates(
    backend: Backend,
    mut rng: StdRng,
) {
    let server = TestServer::start(backend).await;
    server.add_user(EMAIL, Role::Rep).await;
    let link = link(&server.url, rng.r#gen()).await;
    let (laptop_dir, laptop) = new_device(&link.url).await;
    create_batch(&laptop, "Client", 1_000, &mut rng);
    drop(laptop);

    // The push reaches the server, which stores it and answers; the answer never comes
    // back, and the laptop's process is killed while it waits for it.
    link.mode.store(SWALLOW_RESPONSES, Ordering::SeqCst);
    let dir_env = [("CRM_CHILD_DIR", laptop_dir.path().display().to_string())];
    let mut process = child("client", &dir_env);
    tokio::time::timeout(Duration::from_secs(120), link.swallowed.notified()).await.expect("the server never answered");
    kill(&mut process).await;
    assert_eq!(server_log(&server.database_url).await, (2_000, 2_000), "the server stored the push");
    assert_eq!(pending(&reopen(laptop_dir.path())), 2_000, "the killed laptop never recorded the acknowledgement");

    link.mode.store(PASS, Ordering::SeqCst);
    let status = child("client", &dir_env).wait().await.unwrap();
    assert!(status.success(), "the restarted laptop syncs");
    let laptop = reopen(laptop_dir.path());
    assert_eq!(pending(&laptop), 0, "the second push was acknowledged");
    assert_eq!(server_log(&server.database_url).await, (2_000, 2_000), "and stored nothing twice");

    // Fresh devices killed at random instants of their initial pull, restarted, killed
    // again, and so on: their stores open, and hold exactly what the laptop holds.
    let (reference_dir, reference) = new_device(&link.url).await;
    drop(reference);
    let t = Instant::now();
    assert!(
        child("client", &[("CRM_CHILD_DIR", reference_dir.path().display().to_string())])
            .wait()
            .await
            .unwrap()
            .success()
    );
    let pull_ms = (t.elapsed().as_millis() as u64).max(20);
    let (desktop_dir, desktop) = new_device(&link.url).await;
    drop(desktop);
    let dir_env = [("CRM_CHILD_DIR", desktop_dir.path().display().to_string())];
    let mut killed = 0;
    for _ in 0..6 {
        let mut process = child("client", &dir_env);
        tokio::time::sleep(Duration::from_millis(rng.gen_range(0..pull_ms))).await;
        if process.try_wait().unwrap().is_none() {
            killed += 1;
        }
        kill(&mut process).await;
    }
    assert!(child("client", &dir_env).wait().await.unwrap().success(), "the desktop syncs after its crashes");
    println!(
        "  laptop killed before its acknowledgement; desktop killed {killed} times while syncing ({pull_ms} ms for a whole run)"
    );
    let desktop = reopen(desktop_dir.path());
    let expected = records(&laptop);
    assert_eq!(expected.len(), 2_000);
    assert_eq!(records(&desktop), expected);
    assert_eq!(records(&reopen(reference_dir.path())), expected);
    assert_eq!(pending(&desktop), 0);
    assert!(killed > 0, "no kill landed inside the pull: the test proved nothing");
}
