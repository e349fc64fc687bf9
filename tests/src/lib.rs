//! Fixtures for end-to-end tests: the real `crm-server` on 127.0.0.1 over a real SQLite
//! file or a real PostgreSQL database, and real clients in temporary data directories.
//! Everything is cleaned up on drop.

use crm_client::Client;
use crm_server::db::{Db, NewUser};
use crm_server::{Settings, auth, now_ms};
use std::sync::{Arc, OnceLock};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const PASSWORD: &str = "correct-horse-battery";

/// The PostgreSQL server tests use: `CRM_TEST_PG_URL` (an admin connection), else the
/// local one. The README's test command starts a throwaway cluster when none answers.
pub fn pg_admin_url() -> String {
    std::env::var("CRM_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A fresh PostgreSQL database, dropped with the value.
pub struct PgDatabase {
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create() -> PgDatabase {
        use sqlx::Connection;
        let admin = pg_admin_url();
        let name = format!("crm_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL is needed at {admin} (set CRM_TEST_PG_URL): {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.unwrap();
        let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin.clone());
        PgDatabase { url: format!("{base}/{name}"), name }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Dropping needs async I/O; do it on a runtime of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                use sqlx::Connection;
                if let Ok(mut conn) = sqlx::PgConnection::connect(&pg_admin_url()).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await;
                }
            })
        })
        .join();
    }
}

/// A fresh, empty server database: a SQLite file in a temporary directory, or a new
/// PostgreSQL database. Removed on drop.
pub struct ServerDatabase {
    pub url: String,
    _dir: TempDir,
    _pg: Option<PgDatabase>,
}

impl ServerDatabase {
    pub async fn create(backend: Backend) -> ServerDatabase {
        let dir = tempfile::tempdir().unwrap();
        match backend {
            Backend::Sqlite => ServerDatabase {
                url: format!("sqlite://{}", dir.path().join("server.db").display()),
                _dir: dir,
                _pg: None,
            },
            Backend::Postgres => {
                let pg = PgDatabase::create().await;
                ServerDatabase { url: pg.url.clone(), _dir: dir, _pg: Some(pg) }
            }
        }
    }
}

/// Settings a test gives its server beyond the defaults.
type Configure = Arc<dyn Fn(&mut Settings) + Send + Sync>;

/// A running server on 127.0.0.1 and its database.
pub struct TestServer {
    pub url: String,
    pub database_url: String,
    pub backend: Backend,
    token_ttl_ms: Option<i64>,
    /// Settings beyond the defaults (an SMTP relay…), applied at every launch.
    configure: Option<Configure>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    /// The database, for the first instance (others share it and must not outlive it).
    _database: Option<ServerDatabase>,
}

/// Server logs on stderr when `CRM_TEST_LOG` is set (e.g. `CRM_TEST_LOG=debug`).
fn init_tracing() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        if let Ok(filter) = std::env::var("CRM_TEST_LOG") {
            let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
        }
    });
}

impl TestServer {
    pub async fn start(backend: Backend) -> TestServer {
        TestServer::start_with_token_ttl(backend, None).await
    }

    /// A second server instance on the same database as `self` (scaling out: several
    /// instances behind one PostgreSQL). It must not outlive `self`.
    pub async fn another_instance(&self) -> TestServer {
        init_tracing();
        let mut server = TestServer {
            url: String::new(),
            database_url: self.database_url.clone(),
            backend: self.backend,
            token_ttl_ms: self.token_ttl_ms,
            configure: self.configure.clone(),
            shutdown: None,
            task: None,
            _database: None,
        };
        server.launch().await;
        server
    }

    /// A server with settings of its own (an SMTP relay, a public address…).
    pub async fn start_with(backend: Backend, configure: impl Fn(&mut Settings) + Send + Sync + 'static) -> TestServer {
        init_tracing();
        let database = ServerDatabase::create(backend).await;
        let mut server = TestServer {
            url: String::new(),
            database_url: database.url.clone(),
            backend,
            token_ttl_ms: None,
            configure: Some(Arc::new(configure)),
            shutdown: None,
            task: None,
            _database: Some(database),
        };
        server.launch().await;
        server
    }

    /// A server whose login tokens last `ttl_ms` (instead of 30 days).
    pub async fn start_with_token_ttl(backend: Backend, ttl_ms: Option<i64>) -> TestServer {
        init_tracing();
        let database = ServerDatabase::create(backend).await;
        let mut server = TestServer {
            url: String::new(),
            database_url: database.url.clone(),
            backend,
            token_ttl_ms: ttl_ms,
            configure: None,
            shutdown: None,
            task: None,
            _database: Some(database),
        };
        server.launch().await;
        server
    }

    async fn launch(&mut self) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        self.url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let mut settings = Settings::new(self.database_url.clone());
        if let Some(ttl) = self.token_ttl_ms {
            settings.token_ttl_ms = ttl;
        }
        if let Some(configure) = &self.configure {
            configure(&mut settings);
        }
        self.task = Some(tokio::spawn(crm_server::launch_with_listener(settings, listener, async {
            let _ = rx.await;
        })));
        self.shutdown = Some(tx);
        assert!(healthy_within(&self.url, std::time::Duration::from_secs(5)).await, "the test server did not start");
    }

    /// Stops the server (in-flight requests finish) and waits for it to exit.
    pub async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
    }

    /// Stops and starts again on the same database, on a new port. Clients must be
    /// pointed at the new URL with [`TestClient::relogin`] or [`TestClient::set_server`].
    pub async fn restart(&mut self) {
        self.stop().await;
        self.launch().await;
    }

    pub async fn db(&self) -> Db {
        Db::connect(&self.database_url).await.unwrap()
    }

    pub async fn add_user(&self, email: &str, role: crm_core::Role) {
        add_user(&self.database_url, email, role).await;
    }

    /// Makes `manager` the sales manager of `email` (their team then includes them).
    pub async fn set_manager(&self, email: &str, manager: &str) {
        let db = self.db().await;
        db.set_user_manager(email, Some(manager)).await.unwrap();
        db.close().await;
    }

    pub async fn user_id(&self, email: &str) -> String {
        let db = self.db().await;
        let id = db.user_by_email(email).await.unwrap().expect("the user exists").id;
        db.close().await;
        id
    }

    /// Logs `email` in over raw HTTP as device `device`, as a hand-made client would;
    /// the session token.
    pub async fn raw_login(&self, email: &str, device: uuid::Uuid) -> String {
        let body = crm_protocol::LoginRequest {
            email: email.into(),
            password: PASSWORD.into(),
            device_id: device,
            device_name: "hand-made".into(),
        };
        let response: crm_protocol::LoginResponse = reqwest::Client::new()
            .post(format!("{}/v1/login", self.url))
            .header(crm_protocol::PROTOCOL_HEADER, crm_protocol::PROTOCOL_VERSION.to_string())
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        response.token
    }

    pub async fn client(&self, email: &str) -> TestClient {
        let dir = tempfile::tempdir().unwrap();
        let client = Client::open(dir.path()).unwrap();
        client.login(&self.url, email, PASSWORD, "test device").await.unwrap();
        TestClient { client, dir }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A device: a client with its own data directory.
pub struct TestClient {
    pub client: Client,
    pub dir: TempDir,
}

impl TestClient {
    /// Points the device at a server that moved (after a restart on a new port).
    pub async fn relogin(&self, server: &TestServer, email: &str) {
        self.client.login(&server.url, email, PASSWORD, "test device").await.unwrap();
    }

    pub async fn sync(&self) -> crm_client::SyncReport {
        self.client.sync(|_| {}).await.unwrap()
    }

    /// Everything the device shows: every account with its contacts and timeline.
    pub fn visible_state(&self) -> serde_json::Value {
        let accounts = self.client.list(crm_core::RecordType::Account).unwrap();
        let views: Vec<crm_client::views::AccountView> =
            accounts.iter().map(|a| self.client.account_view(a.id()).unwrap()).collect();
        serde_json::to_value(views).unwrap()
    }
}

/// A view as the front ends receive it (JSON): what the app reads, checked as such.
pub fn json<T: serde::Serialize>(view: T) -> serde_json::Value {
    serde_json::to_value(view).unwrap()
}

/// Adds a user with [`PASSWORD`] to the server database at `database_url` (a server
/// running elsewhere, e.g. in a child process, picks it up at its next login).
pub async fn add_user(database_url: &str, email: &str, role: crm_core::Role) {
    let db = Db::connect(database_url).await.unwrap();
    let user = NewUser {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        role,
        manager_email: None,
        password_hash: auth::hash_password(PASSWORD).unwrap(),
    };
    db.add_user(user, now_ms()).await.unwrap();
    db.close().await;
}

/// Whether the server at `url` answers `/health` with a success within `limit`
/// (polled every 25 ms): a server that was just started.
pub async fn healthy_within(url: &str, limit: std::time::Duration) -> bool {
    let http = reqwest::Client::new();
    let until = std::time::Instant::now() + limit;
    while std::time::Instant::now() < until {
        if http.get(format!("{url}/health")).send().await.is_ok_and(|r| r.status().is_success()) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    false
}

/// Runs one async scenario against SQLite and against PostgreSQL, as two tests.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                super::$name(crm_tests::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                super::$name(crm_tests::Backend::Postgres).await;
            }
        }
    };
}

/// The files under `dir` (recursively) that contain `needle`, byte for byte.
pub fn files_holding(dir: &std::path::Path, needle: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if let Ok(bytes) = std::fs::read(&path)
            && bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        {
            found.push(path);
        }
    }
    found
}

/// What a device's encrypted database holds, decrypted with the user's password into a
/// plain SQLite file under `scratch` (to grep it like any file).
pub fn decrypted_copy(device_dir: &std::path::Path, scratch: &std::path::Path) -> std::path::PathBuf {
    let key = crm_client::unseal_data_key(device_dir, PASSWORD).unwrap();
    let store = crm_store::Store::open_encrypted(&device_dir.join("crm.db"), &key).unwrap();
    let out = scratch.join(format!("plain-{}.db", uuid::Uuid::now_v7()));
    store.export_plaintext(&out).unwrap();
    out
}

/// The fields of a new record, from `(name, value)` pairs.
pub fn fields(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, crm_core::FieldValue> {
    pairs.iter().map(|(k, v)| (k.to_string(), crm_core::FieldValue::from(*v))).collect()
}

/// An edit setting each `(name, value)` pair.
pub fn edit(pairs: &[(&str, &str)]) -> crm_doc::Edit {
    pairs.iter().map(|(k, v)| (k.to_string(), Some(crm_core::FieldValue::from(*v)))).collect()
}

/// A real SMTP server on 127.0.0.1 that keeps every message it receives (the DATA, as
/// received), for the tests of campaign sending.
pub struct SmtpSink {
    pub url: String,
    pub messages: Arc<std::sync::Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let messages: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
        let kept = messages.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(smtp_session(socket, kept.clone()));
            }
        });
        SmtpSink { url, messages }
    }

    pub fn received(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }
}

async fn smtp_session(socket: tokio::net::TcpStream, kept: Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let _ = socket.set_nodelay(true);
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    if write.write_all(b"220 sink ESMTP\r\n").await.is_err() {
        return;
    }
    let mut data: Option<String> = None;
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(buffer) = data.as_mut() {
            if line == "." {
                kept.lock().unwrap().push(std::mem::take(buffer));
                data = None;
                let _ = write.write_all(b"250 2.0.0 kept\r\n").await;
            } else {
                buffer.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
                buffer.push('\n');
            }
            continue;
        }
        let command = line.to_ascii_uppercase();
        let answer: &[u8] = if command.starts_with("EHLO") {
            b"250-sink\r\n250 8BITMIME\r\n"
        } else if command.starts_with("DATA") {
            data = Some(String::new());
            b"354 end with .\r\n"
        } else if command.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"250 OK\r\n"
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}

/// A real IMAP server on 127.0.0.1: Debian's dovecot, started with a configuration of
/// its own in a temporary directory (one user, `support@example.fr`), stopped on drop.
pub struct Dovecot {
    pub url: String,
    pub port: u16,
    child: std::process::Child,
    _dir: TempDir,
}

pub const IMAP_USER: &str = "support@example.fr";
pub const IMAP_PASSWORD: &str = "secret-imap";

impl Dovecot {
    pub fn start() -> Dovecot {
        let exe = "/usr/sbin/dovecot";
        assert!(
            std::path::Path::new(exe).exists(),
            "{exe} is missing: install Debian's dovecot-imapd (scripts/setup.sh does)"
        );
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for sub in ["run", "state", "home"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        // Mail is owned by an ordinary user: dovecot refuses root's.
        std::os::unix::fs::chown(d.join("home"), Some(65534), Some(65534)).unwrap();
        std::fs::write(d.join("passwd"), format!("{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}::::::\n")).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let p = d.display();
        let conf = format!(
            "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {p}/run\nstate_dir = {p}/state\n\
             log_path = {p}/dovecot.log\nssl = no\ndisable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             default_internal_user = dovecot\ndefault_login_user = dovenull\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {p}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid=65534 gid=65534 home={p}/home/%n\n}}\n\
             mail_location = maildir:~/Maildir\n\
             service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  \
             inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
             service stats {{\n  unix_listener stats-reader {{\n    mode = 0666\n  }}\n  \
             unix_listener stats-writer {{\n    mode = 0666\n  }}\n}}\n"
        );
        std::fs::write(d.join("dovecot.conf"), conf).unwrap();
        let child = std::process::Command::new(exe)
            .args(["-F", "-c"])
            .arg(d.join("dovecot.conf"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "dovecot did not start; its log: {:?}",
                std::fs::read_to_string(d.join("dovecot.log"))
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let url = format!("imap://support%40example.fr:{IMAP_PASSWORD}@127.0.0.1:{port}/INBOX");
        Dovecot { url, port, child, _dir: dir }
    }

    /// Delivers a message into the mailbox (IMAP APPEND, as a mail server would file it).
    pub fn deliver(&self, message: &str) {
        let tcp = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut client = imap::Client::new(tcp);
        client.read_greeting().unwrap();
        let mut session = client.login(IMAP_USER, IMAP_PASSWORD).map_err(|(e, _)| e).unwrap();
        session.append("INBOX", message.as_bytes()).unwrap();
        session.logout().unwrap();
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A webhook receiver on 127.0.0.1: keeps each request's signing headers and body, and
/// answers 500 to the first `fail_first` requests (a receiver that is down for a while).
pub struct WebhookSink {
    pub url: String,
    pub received: Arc<std::sync::Mutex<Vec<ReceivedHook>>>,
}

#[derive(Clone, Debug)]
pub struct ReceivedHook {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
}

impl ReceivedHook {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

impl WebhookSink {
    pub async fn start(fail_first: usize) -> WebhookSink {
        use axum::http::{HeaderMap, StatusCode};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks/crm", listener.local_addr().unwrap());
        let received: Arc<std::sync::Mutex<Vec<ReceivedHook>>> = Arc::default();
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let kept = received.clone();
        let app = axum::Router::new().route(
            "/hooks/crm",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let (kept, calls) = (kept.clone(), calls.clone());
                async move {
                    if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < fail_first {
                        return StatusCode::INTERNAL_SERVER_ERROR;
                    }
                    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                    kept.lock().unwrap().push(ReceivedHook {
                        id: h("webhook-id"),
                        timestamp: h("webhook-timestamp"),
                        signature: h("webhook-signature"),
                        body,
                    });
                    StatusCode::NO_CONTENT
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        WebhookSink { url, received }
    }

    /// What arrived once `n` requests did (at most ten seconds from now).
    pub async fn wait_for(&self, n: usize) -> Vec<ReceivedHook> {
        self.wait_for_within(n, std::time::Duration::from_secs(10)).await
    }

    /// What arrived once `n` requests did, or when `limit` has passed.
    pub async fn wait_for_within(&self, n: usize, limit: std::time::Duration) -> Vec<ReceivedHook> {
        let start = std::time::Instant::now();
        while self.received.lock().unwrap().len() < n && start.elapsed() < limit {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        self.received.lock().unwrap().clone()
    }
}
