//! Faults: the server process killed with SIGKILL at random moments of a large push and
//! a large pull, connections cut mid-request and mid-response by a proxy, and the
//! client stopped between sending a push and recording its acknowledgement. After
//! restarting and syncing: nothing lost, nothing duplicated, nothing stuck as pending.

use crm_client::{Client, KeyStore};
use crm_core::{FieldValue, RecordType};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PASSWORD: &str = "long-enough-password";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The real `crm-server` binary, as an operator runs it.
struct ServerProcess {
    data: std::path::PathBuf,
    port: u16,
    child: Option<Child>,
}

impl ServerProcess {
    fn start(data: &Path, port: u16) -> ServerProcess {
        let mut s = ServerProcess { data: data.to_path_buf(), port, child: None };
        s.spawn();
        s
    }

    fn spawn(&mut self) {
        let child = Command::new(env!("CARGO_BIN_EXE_crm-server"))
            .args(["serve", "--listen", &format!("127.0.0.1:{}", self.port), "--data-dir"])
            .arg(&self.data)
            .env("CRM_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("crm-server did not start");
    }

    /// SIGKILL: no shutdown, no flush, like a power cut of the process.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

fn add_user(data: &Path, email: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crm-server"))
        .args(["user", "add", "--email", email, "--name", "Julie", "--role", "rep", "--data-dir"])
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
}

/// A TCP proxy that cuts one connection in `cut_every` after a random number of bytes
/// in either direction.
async fn cutting_proxy(target: u16, cut_every: u32) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut n: u32 = 0;
        loop {
            let Ok((inbound, _)) = listener.accept().await else { return };
            n = n.wrapping_add(1);
            let cut = n.is_multiple_of(cut_every);
            let limit = if cut { 200 + (n as usize * 7919) % 20_000 } else { usize::MAX };
            tokio::spawn(async move {
                let Ok(outbound) = tokio::net::TcpStream::connect(("127.0.0.1", target)).await else { return };
                let (mut ri, mut wi) = inbound.into_split();
                let (mut ro, mut wo) = outbound.into_split();
                let up = async {
                    let mut reader = tokio::io::AsyncReadExt::take(&mut ri, limit as u64);
                    let _ = tokio::io::copy(&mut reader, &mut wo).await;
                };
                let down = async {
                    let mut reader = tokio::io::AsyncReadExt::take(&mut ro, limit as u64);
                    let _ = tokio::io::copy(&mut reader, &mut wi).await;
                };
                // Whichever side ends (or is cut) closes both.
                tokio::select! { _ = up => {}, _ = down => {} }
            });
        }
    });
    port
}

fn fields(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, FieldValue> {
    pairs.iter().map(|(k, v)| (k.to_string(), FieldValue::from(*v))).collect()
}

fn names(client: &Client) -> BTreeSet<String> {
    client.list(RecordType::Account).unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kills_cuts_and_interrupted_clients_lose_and_duplicate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server");
    add_user(&data, "julie@example.fr");
    let port = free_port();
    let mut server = ServerProcess::start(&data, port);
    let url = format!("http://127.0.0.1:{port}");

    let laptop_dir = dir.path().join("laptop");
    let laptop = Client::open_with(&laptop_dir, KeyStore::PasswordOnly).unwrap();
    laptop.login(&url, "julie@example.fr", PASSWORD, "portable").await.unwrap();
    let mut typed = BTreeSet::new();
    for i in 0..3_000 {
        let name = format!("Client {i:04}");
        laptop.create(RecordType::Account, fields(&[("name", &name), ("kind", "customer")])).unwrap();
        typed.insert(name);
    }

    // 1. A large push, the server killed at a different moment each time.
    for round in 0..6u64 {
        let pusher = laptop.clone();
        let push = tokio::spawn(async move { pusher.sync(|_| {}).await });
        tokio::time::sleep(Duration::from_millis(20 + round * 60)).await;
        server.kill();
        let _ = push.await.unwrap();
        server.spawn();
        laptop.sync(|_| {}).await.ok();
    }
    laptop.sync(|_| {}).await.unwrap();
    assert_eq!(laptop.status().unwrap().pending, 0, "nothing stuck as pending");

    // 2. A large pull on a fresh device, killed and cut.
    let desktop_dir = dir.path().join("desktop");
    let desktop = Client::open_with(&desktop_dir, KeyStore::PasswordOnly).unwrap();
    desktop.login(&url, "julie@example.fr", PASSWORD, "bureau").await.unwrap();
    for round in 0..4u64 {
        let puller = desktop.clone();
        let pull = tokio::spawn(async move { puller.sync(|_| {}).await });
        tokio::time::sleep(Duration::from_millis(30 + round * 70)).await;
        server.kill();
        let _ = pull.await.unwrap();
        server.spawn();
    }
    desktop.sync(|_| {}).await.unwrap();
    assert_eq!(names(&desktop), typed, "the whole portfolio, once");

    // 3. Connections cut mid-request and mid-response by a proxy, while both devices edit.
    let proxy = cutting_proxy(port, 2).await;
    let proxied = format!("http://127.0.0.1:{proxy}");
    laptop.login(&proxied, "julie@example.fr", PASSWORD, "portable").await.ok();
    while laptop.status().unwrap().server_url.as_deref() != Some(proxied.as_str()) {
        laptop.login(&proxied, "julie@example.fr", PASSWORD, "portable").await.ok();
    }
    for i in 0..200 {
        let name = format!("Prospect {i:03}");
        laptop.create(RecordType::Account, fields(&[("name", &name), ("kind", "prospect")])).unwrap();
        typed.insert(name);
    }
    let mut attempts = 0;
    while laptop.status().unwrap().pending > 0 {
        attempts += 1;
        assert!(attempts < 100, "the sync never got through the cutting proxy");
        let _ = laptop.sync(|_| {}).await;
    }

    // 4. The client stopped between sending a push and recording its acknowledgement:
    //    the sync future is dropped mid-flight, then the "process" reopens its data.
    for i in 0..50 {
        let name = format!("Partenaire {i:02}");
        laptop.create(RecordType::Account, fields(&[("name", &name), ("kind", "partner")])).unwrap();
        typed.insert(name);
    }
    let _ = tokio::time::timeout(Duration::from_millis(3), laptop.sync(|_| {})).await;
    drop(laptop);
    let laptop = Client::open_with(&laptop_dir, KeyStore::PasswordOnly).unwrap();
    laptop.unlock(PASSWORD).unwrap();
    laptop.login(&url, "julie@example.fr", PASSWORD, "portable").await.unwrap();
    laptop.sync(|_| {}).await.unwrap();
    assert_eq!(laptop.status().unwrap().pending, 0);

    desktop.sync(|_| {}).await.unwrap();
    assert_eq!(names(&laptop), typed, "the laptop has everything it typed");
    assert_eq!(names(&desktop), typed, "and the desktop the same, nothing twice");
    let count = desktop.list(RecordType::Account).unwrap().len();
    assert_eq!(count, typed.len(), "no record duplicated");

    // The server's log: each change once, numbered without gaps, after all the kills.
    server.kill();
    let db = crm_server::db::Db::connect(&format!("sqlite://{}", data.join("server.db").display())).await.unwrap();
    let (changes, distinct, max): (i64, i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT hash), MAX(seq) FROM changes")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(changes, distinct);
    assert_eq!(changes, max, "sequence numbers without gaps");
    assert_eq!(changes as usize, typed.len(), "one change per record created");
    db.close().await;
}
