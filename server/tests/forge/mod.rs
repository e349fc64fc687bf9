//! What an attacker builds by hand: the real server as a process of its own, raw HTTP
//! requests, and Automerge changes no client of ours would write.

use crm_core::Role;
use crm_server::db::{Db, NewUser};
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Child, Command, Stdio};
use uuid::Uuid;

pub const PASSWORD: &str = "long-enough-password";

/// The `crm-server` binary serving a fresh SQLite database on 127.0.0.1.
pub struct Server {
    pub url: String,
    database: String,
    child: Child,
    _dir: tempfile::TempDir,
    http: reqwest::Client,
}

impl Server {
    pub async fn start(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_crm-server"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
            .arg(dir.path())
            .args(extra)
            .env("CRM_LOG", std::env::var("CRM_TEST_LOG").unwrap_or_else(|_| "error".into()))
            .stdout(Stdio::null())
            .stderr(if std::env::var_os("CRM_TEST_LOG").is_some() { Stdio::inherit() } else { Stdio::null() })
            .spawn()
            .unwrap();
        let server = Server {
            url: format!("http://127.0.0.1:{port}"),
            database: format!("sqlite://{}", dir.path().join("server.db").display()),
            child,
            _dir: dir,
            http: reqwest::Client::new(),
        };
        for _ in 0..400 {
            if server.http.get(format!("{}/health", server.url)).send().await.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the server did not start");
    }

    async fn db(&self) -> Db {
        Db::connect(&self.database).await.unwrap()
    }

    pub fn database_url(&self) -> String {
        self.database.clone()
    }

    pub async fn add_user(&self, email: &str, role: Role, manager: Option<&str>) {
        let db = self.db().await;
        let user = NewUser {
            email: email.into(),
            name: email.split('@').next().unwrap().into(),
            role,
            manager_email: manager.map(str::to_string),
            password_hash: crm_server::auth::hash_password(PASSWORD).unwrap(),
        };
        db.add_user(user, crm_server::now_ms()).await.unwrap();
        db.close().await;
    }

    pub async fn user_id(&self, email: &str) -> String {
        let db = self.db().await;
        let id = db.user_by_email(email).await.unwrap().unwrap().id;
        db.close().await;
        id
    }

    /// The devices that sent a record's changes, in log order.
    pub async fn log_of(&self, doc: Uuid) -> Vec<String> {
        use sqlx::Row;
        let db = self.db().await;
        let rows = sqlx::query("SELECT device_id FROM changes WHERE doc_id = $1 AND data <> $2 ORDER BY seq")
            .bind(doc.to_string())
            .bind(Vec::<u8>::new())
            .fetch_all(db.pool())
            .await
            .unwrap();
        rows.iter().map(|r| r.try_get("device_id").unwrap()).collect()
    }

    /// A field of a record as the server stores it.
    pub async fn stored_field(&self, doc: Uuid, field: &str) -> Option<String> {
        use sqlx::Row;
        let db = self.db().await;
        let row = sqlx::query("SELECT fields FROM docs WHERE id = $1").bind(doc.to_string()).fetch_one(db.pool()).await;
        let fields: String = row.unwrap().try_get("fields").unwrap();
        serde_json::from_str::<Value>(&fields).unwrap()[field].as_str().map(str::to_string)
    }

    pub async fn audit_count(&self, action: &str) -> usize {
        let db = self.db().await;
        db.audit_log(1000).await.unwrap().iter().filter(|e| e.action == action).count()
    }

    /// Collects unused attachments as the server will a day from now.
    pub async fn collect_blobs_after_a_day(&self) -> usize {
        let db = self.db().await;
        db.collect_blobs(crm_server::now_ms() + 25 * 3600 * 1000).await.unwrap()
    }

    pub async fn login(&self, email: &str, device: Uuid) -> String {
        let (status, body) = login_as(&self.url, email, PASSWORD, device).await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    pub async fn sync(&self, token: &str, request: Value) -> (u16, Value) {
        self.sync_raw(token, &request.to_string()).await
    }

    pub async fn sync_raw(&self, token: &str, body: &str) -> (u16, Value) {
        let (status, text) = self.raw("POST", "/v1/sync", Some(token), None, body.as_bytes().to_vec()).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn push(&self, token: &str, changes: &[(Uuid, Vec<u8>)]) -> (u16, Value) {
        push_to(&self.url, token, changes).await
    }

    /// The last sequence number, as a sync tells it.
    pub async fn head(&self, token: &str) -> u64 {
        self.sync(token, json!({"cursor": 0})).await.1["head"].as_u64().unwrap()
    }

    /// A request with any body; the status and the body as text. The answer is read
    /// while the body is still being written: a server that refuses a body early (413)
    /// and closes the connection would otherwise show as a broken pipe.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        encoding: Option<&str>,
        body: Vec<u8>,
    ) -> (u16, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let host = self.url.trim_start_matches("http://").to_string();
        let stream = tokio::net::TcpStream::connect(&host).await.unwrap();
        let (mut read, mut write) = stream.into_split();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nhost: {host}\r\nx-crm-protocol: 1\r\ncontent-type: application/json\r\n\
             content-length: {}\r\nconnection: close\r\n",
            body.len()
        );
        if let Some(token) = token {
            head.push_str(&format!("authorization: Bearer {token}\r\n"));
        }
        if let Some(encoding) = encoding {
            head.push_str(&format!("content-encoding: {encoding}\r\n"));
        }
        head.push_str("\r\n");
        // The writing half stays open until the answer is read: a client that closes
        // its side is a client gone, for the server.
        let writer = tokio::spawn(async move {
            write.write_all(head.as_bytes()).await?;
            write.write_all(&body).await?;
            Ok::<_, std::io::Error>(write)
        });
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(std::time::Duration::from_secs(60), read.read_to_end(&mut answer)).await;
        writer.abort();
        let text = String::from_utf8_lossy(&answer).to_string();
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    pub async fn put_blob(&self, token: &str, data: &[u8]) -> u16 {
        use sha2::Digest;
        let hash: String = sha2::Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect();
        self.raw("PUT", &format!("/v1/blobs/{hash}"), Some(token), None, data.to_vec()).await.0
    }

    pub async fn calendar_feed(&self, token: &str) -> String {
        let (status, body) = self.raw("POST", "/v1/calendar-feed", Some(token), None, Vec::new()).await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<Value>(&body).unwrap()["path"].as_str().unwrap().to_string()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.http.get(format!("{}{path}", self.url)).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap_or_default())
    }

    /// The server's resident memory, in KiB.
    pub fn memory_kib(&self) -> u64 {
        status_field(self.child.id(), "VmRSS")
    }

    /// The server still answers, and its peak memory stayed within `growth` KiB of
    /// `idle`.
    pub async fn assert_healthy_within(&self, idle: u64, growth: u64) {
        let (status, _) = self.get_text("/health").await;
        assert_eq!(status, 200, "the server still serves");
        let peak = status_field(self.child.id(), "VmHWM");
        assert!(peak <= idle + growth, "peak memory {peak} KiB, idle {idle} KiB: grew more than {growth} KiB");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn status_field(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

pub async fn login_as(url: &str, email: &str, password: &str, device: Uuid) -> (u16, Value) {
    login_request(url, email, password, device, None).await
}

/// A login from `address` (as the reverse proxy says, in X-Forwarded-For).
pub async fn login_from(url: &str, email: &str, password: &str, address: &str) -> (u16, Value) {
    login_request(url, email, password, Uuid::now_v7(), Some(address)).await
}

/// A login from the loopback address `address` (127.x.y.z): another peer address for
/// the server, without any proxy header.
pub async fn login_from_peer(url: &str, email: &str, password: &str, address: [u8; 4]) -> (u16, Value) {
    let http = reqwest::Client::builder().local_address(std::net::IpAddr::from(address)).build().unwrap();
    login_with(http, url, email, password, Uuid::now_v7(), None).await
}

async fn login_request(url: &str, email: &str, password: &str, device: Uuid, from: Option<&str>) -> (u16, Value) {
    login_with(reqwest::Client::new(), url, email, password, device, from).await
}

async fn login_with(
    http: reqwest::Client,
    url: &str,
    email: &str,
    password: &str,
    device: Uuid,
    from: Option<&str>,
) -> (u16, Value) {
    let body = json!({"email": email, "password": password, "device_id": device, "device_name": "hand-made"});
    let mut request = http.post(format!("{url}/v1/login")).header("x-crm-protocol", "1");
    if let Some(address) = from {
        request = request.header("x-forwarded-for", format!("10.9.9.9, {address}"));
    }
    let response = request.json(&body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

pub async fn refresh(url: &str, token: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{url}/v1/session/refresh"))
        .header("x-crm-protocol", "1")
        .bearer_auth(token)
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

pub async fn push_to(url: &str, token: &str, changes: &[(Uuid, Vec<u8>)]) -> (u16, Value) {
    use base64::Engine;
    let changes: Vec<Value> = changes
        .iter()
        .map(|(doc, data)| json!({"doc": doc, "data": base64::engine::general_purpose::STANDARD.encode(data)}))
        .collect();
    let body = json!({"cursor": 0, "changes": changes, "limit": 1}).to_string();
    let response = reqwest::Client::new()
        .post(format!("{url}/v1/sync"))
        .header("x-crm-protocol", "1")
        .header("content-type", "application/json")
        .bearer_auth(token)
        .body(body)
        .send()
        .await;
    match response {
        Ok(r) => {
            let status = r.status().as_u16();
            (status, r.json().await.unwrap_or_default())
        }
        Err(e) => (0, Value::String(format!("{e:?}"))),
    }
}

/// Sends a sync request whose body stops arriving halfway; the status of the answer
/// (0 when the server closed the connection without one).
pub async fn stalled_body(url: &str, token: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST /v1/sync HTTP/1.1\r\nhost: {host}\r\nx-crm-protocol: 1\r\ncontent-type: application/json\r\n\
         authorization: Bearer {token}\r\ncontent-length: 1000\r\n\r\n{{\"cursor\": "
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(50), stream.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer).to_string();
    text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// zstd of `size` zero bytes.
pub fn zstd_zeros(size: usize) -> Vec<u8> {
    let mut encoder = zstd::Encoder::new(Vec::new(), 19).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..size / zeros.len() {
        encoder.write_all(&zeros).unwrap();
    }
    encoder.finish().unwrap()
}

/// The change `f` makes, with raw Automerge calls, to the saved document `saved`, as
/// written on `device`.
pub fn raw_change(saved: &[u8], device: Uuid, f: impl FnOnce(&mut automerge::AutoCommit)) -> Vec<u8> {
    let actor = crm_doc::DeviceActor::from_device_id(&device).0;
    let mut doc = automerge::AutoCommit::load(saved).unwrap().with_actor(actor);
    f(&mut doc);
    doc.commit();
    doc.get_last_local_change().unwrap().raw_bytes().to_vec()
}

/// The creation of `record` as a modified client writes it: the fields as they are,
/// without the validation our clients apply.
pub fn unchecked_creation(record: &crm_core::Record, device: Uuid) -> Vec<u8> {
    use automerge::transaction::Transactable;
    let mut doc = automerge::AutoCommit::new().with_actor(crm_doc::DeviceActor::from_device_id(&device).0);
    doc.put(automerge::ROOT, "_type", record.record_type.as_str()).unwrap();
    doc.put(automerge::ROOT, "_id", record.id.to_string()).unwrap();
    for (k, v) in &record.fields {
        match v {
            crm_core::FieldValue::Text(text) => doc.put(automerge::ROOT, k.as_str(), text.as_str()).unwrap(),
            crm_core::FieldValue::Set(items) => {
                let set = doc.put_object(automerge::ROOT, k.as_str(), automerge::ObjType::Map).unwrap();
                for item in items {
                    doc.put(&set, item.as_str(), true).unwrap();
                }
            }
        }
    }
    doc.commit();
    doc.get_last_local_change().unwrap().raw_bytes().to_vec()
}
