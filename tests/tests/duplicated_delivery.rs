//! Requests and responses delivered twice, by a proxy between the devices and the real
//! server: (a) every sync request reaches the server twice (a retrying middlebox) and
//! the device gets the second answer; (b) every other sync of a device is answered with
//! that device's previous sync response, not forwarded (a stale duplicate). Devices keep working
//! and syncing through it: nothing typed is lost, nothing is stored or shown twice,
//! nothing stays pending, both devices end up equal.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use crm_core::{FieldValue, RecordType, Role};
use crm_tests::fields;
use crm_tests::{Backend, PASSWORD, TestServer};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Clone, Copy, Debug)]
enum Mode {
    RequestTwice,
    StaleResponse,
}

struct Proxy {
    target: String,
    http: reqwest::Client,
    mode: Mode,
    duplicated: AtomicUsize,
    /// Per device (its token): sync requests seen, and the last sync response.
    last: Mutex<HashMap<String, (usize, Option<Reply>)>>,
}

type Reply = (u16, Vec<(String, String)>, Vec<u8>);

async fn forward(State(proxy): State<Arc<Proxy>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 64 << 20).await.unwrap();
    let is_sync = parts.uri.path() == "/v1/sync";
    let device = parts.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (n, previous) = {
        let mut last = proxy.last.lock().unwrap();
        let entry = last.entry(device.clone()).or_insert((0, None));
        if is_sync {
            entry.0 += 1;
        }
        (entry.0, entry.1.clone())
    };
    let replay = |last: &Reply| {
        let mut r = Response::builder().status(last.0);
        for (k, v) in &last.1 {
            r = r.header(k, v);
        }
        r.body(Body::from(last.2.clone())).unwrap()
    };
    if is_sync
        && matches!(proxy.mode, Mode::StaleResponse)
        && n.is_multiple_of(2)
        && let Some(previous) = previous
    {
        proxy.duplicated.fetch_add(1, Ordering::SeqCst);
        return replay(&previous);
    }
    let send = || {
        let mut r = proxy.http.request(parts.method.clone(), format!("{}{}", proxy.target, parts.uri));
        for (k, v) in &parts.headers {
            if k != "host" && k != "content-length" {
                r = r.header(k, v);
            }
        }
        r.body(body.clone()).send()
    };
    let mut answer = send().await.unwrap();
    if is_sync && matches!(proxy.mode, Mode::RequestTwice) {
        proxy.duplicated.fetch_add(1, Ordering::SeqCst);
        answer = send().await.unwrap(); // the first answer is lost on the way back
    }
    let status = answer.status().as_u16();
    let headers: Vec<(String, String)> = answer
        .headers()
        .iter()
        .filter(|(k, _)| !["content-length", "transfer-encoding", "connection"].contains(&k.as_str()))
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let bytes = answer.bytes().await.unwrap().to_vec();
    let last = (status, headers, bytes);
    let response = replay(&last);
    if is_sync && let Some(entry) = proxy.last.lock().unwrap().get_mut(&device) {
        entry.1 = Some(last);
    }
    response
}

async fn start_proxy(target: &str, mode: Mode) -> (String, Arc<Proxy>) {
    let proxy = Arc::new(Proxy {
        target: target.to_string(),
        // Bodies pass through as they are, compressed or not.
        http: reqwest::Client::builder().no_zstd().build().unwrap(),
        mode,
        duplicated: AtomicUsize::new(0),
        last: Mutex::new(HashMap::new()),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(forward).with_state(proxy.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, proxy)
}

fn names(client: &crm_client::Client) -> Vec<String> {
    let mut v: Vec<String> =
        client.list(RecordType::Account).unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect();
    v.sort();
    v
}

async fn through(server: &TestServer, mode: Mode, email: &str) {
    let (url, proxy) = start_proxy(&server.url, mode).await;
    let open = || async {
        let dir = tempfile::tempdir().unwrap();
        let client = crm_client::Client::open(dir.path()).unwrap();
        client.login(&url, email, PASSWORD, "appareil").await.unwrap();
        (client, dir)
    };
    let (laptop, _l) = open().await;
    let (desktop, _d) = open().await;
    let account =
        laptop.create(RecordType::Account, fields(&[("name", "Garage Moreau"), ("kind", "customer")])).unwrap();
    let account = account["id"].as_str().unwrap().to_string();
    let report = laptop
        .create(
            RecordType::Activity,
            fields(&[("account", &account), ("kind", "visit"), ("at", "2026-03-14T09:30:00Z"), ("body", "Visite.")]),
        )
        .unwrap();
    let report = report["id"].as_str().unwrap().to_string();
    let mut typed: BTreeSet<String> = ["Garage Moreau".to_string()].into();
    let mut words = Vec::new();

    for round in 0..6 {
        for i in 0..4 {
            let name = format!("Portable {round}-{i}");
            laptop.create(RecordType::Account, fields(&[("name", &name), ("kind", "prospect")])).unwrap();
            typed.insert(name);
            let name = format!("Bureau {round}-{i}");
            desktop.create(RecordType::Account, fields(&[("name", &name), ("kind", "partner")])).unwrap();
            typed.insert(name);
        }
        let body = laptop.get(&report).unwrap()["body"].as_str().unwrap().to_string();
        let word = format!("mot{round}");
        laptop.edit(&report, [("body".to_string(), Some(FieldValue::Text(format!("{body} {word}"))))].into()).unwrap();
        words.push(word);
        laptop.sync(|_| {}).await.unwrap();
        desktop.sync(|_| {}).await.unwrap();
    }
    for attempt in 0.. {
        assert!(attempt < 20, "{mode:?}: changes still pending after 20 syncs");
        laptop.sync(|_| {}).await.unwrap();
        desktop.sync(|_| {}).await.unwrap();
        if laptop.status().unwrap().pending + desktop.status().unwrap().pending == 0 && attempt > 1 {
            break;
        }
    }
    assert!(proxy.duplicated.load(Ordering::SeqCst) > 5, "{mode:?}: the proxy did duplicate deliveries");

    let expected: Vec<String> = typed.iter().cloned().collect();
    assert_eq!(names(&laptop), expected, "{mode:?}: the laptop has everything, once");
    assert_eq!(names(&desktop), expected, "{mode:?}: the desktop has everything, once");
    for client in [&laptop, &desktop] {
        let body = client.get(&report).unwrap()["body"].as_str().unwrap().to_string();
        for w in &words {
            assert_eq!(body.matches(w.as_str()).count(), 1, "{mode:?}: `{w}` once in the report: {body}");
        }
        assert!(client.rejections().unwrap().is_empty(), "{mode:?}: nothing refused");
    }
}

async fn delivered_twice(backend: Backend) {
    let server = TestServer::start(backend).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    server.add_user("paul@example.fr", Role::Rep).await;
    through(&server, Mode::RequestTwice, "julie@example.fr").await;
    through(&server, Mode::StaleResponse, "paul@example.fr").await;

    // The server stored each change once.
    let db = server.db().await;
    let (changes, distinct): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT hash) FROM changes").fetch_one(db.pool()).await.unwrap();
    assert_eq!(changes, distinct, "no change stored twice");
    db.close().await;
}

crm_tests::on_both_backends!(delivered_twice);
