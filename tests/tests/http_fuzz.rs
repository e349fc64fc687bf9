//! Hostile and broken requests against every endpoint of the real server: whatever the
//! body, headers or path, the answer is a 4xx with a reason (or a success), never a
//! 5xx, and the server keeps serving everyone else. Bounded, seeded by proptest (a
//! failure prints the seed and the shrunk request).

use crm_tests::{Backend, TestServer};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const ROUTES: [(&str, &str); 13] = [
    ("POST", "/v1/sync"),
    ("POST", "/v1/login"),
    ("POST", "/v1/password"),
    ("POST", "/v1/calendar-feed"),
    ("GET", "/v1/devices"),
    ("DELETE", "/v1/devices/{x}"),
    ("GET", "/v1/directory"),
    ("GET", "/v1/about"),
    ("POST", "/v1/gdpr/erase/{x}"),
    ("POST", "/v1/exports/{x}"),
    ("GET", "/v1/blobs/{x}"),
    ("PUT", "/v1/blobs/{x}"),
    ("GET", "/calendar/{x}"),
];

/// Bodies: random bytes, broken JSON, JSON of the wrong shape, sync requests with
/// absurd values, base64 that is not Automerge.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        "\\PC{0,200}".prop_map(String::into_bytes),
        (any::<i64>(), "\\PC{0,20}", any::<bool>()).prop_map(|(n, s, b)| {
            serde_json::json!({"cursor": n, "changes": [{"doc": s, "data": s}], "limit": n, "resync": [s], "full": b})
                .to_string()
                .into_bytes()
        }),
        (any::<u64>(), proptest::collection::vec(any::<u8>(), 0..100)).prop_map(|(n, data)| {
            use base64::Engine;
            let data = base64::engine::general_purpose::STANDARD.encode(data);
            serde_json::json!({"cursor": n, "changes": [{"doc": uuid::Uuid::nil(), "data": data}], "limit": 0})
                .to_string()
                .into_bytes()
        }),
        (any::<u64>(), proptest::collection::vec("[a-z0-9-]{0,40}", 0..5)).prop_map(|(n, ids)| {
            serde_json::json!({"cursor": n, "resync": ids, "email": "x@y.z", "password": ids, "current": n})
                .to_string()
                .into_bytes()
        }),
    ]
}

#[derive(Debug, Clone)]
struct Attempt {
    route: usize,
    segment: String,
    body: Vec<u8>,
    with_token: bool,
    protocol: Option<String>,
    zstd_header: bool,
}

fn attempts() -> impl Strategy<Value = Attempt> {
    (
        0..ROUTES.len(),
        prop_oneof!["[a-zA-Z0-9._-]{0,70}".boxed(), Just(uuid::Uuid::now_v7().to_string()).boxed()],
        bodies(),
        any::<bool>(),
        prop_oneof![Just(Some("1".to_string())), Just(None), "\\PC{0,5}".prop_map(Some)],
        any::<bool>(),
    )
        .prop_map(|(route, segment, body, with_token, protocol, zstd_header)| Attempt {
            route,
            segment,
            body,
            with_token,
            protocol,
            zstd_header,
        })
}

#[test]
fn no_request_makes_the_server_fail_or_stop() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (server, token) = rt.block_on(async {
        let server = TestServer::start(Backend::Sqlite).await;
        server.add_user("julie@example.fr", crm_core::Role::Rep).await;
        let device = server.client("julie@example.fr").await;
        assert!(device.client.status().unwrap().logged_in);
        // A raw token of our own, to reach the handlers behind authentication.
        let token = server.raw_login("julie@example.fr", uuid::Uuid::now_v7()).await;
        (server, token)
    });
    let http = reqwest::Client::new();
    let mut runner = TestRunner::new(Config { cases: 400, failure_persistence: None, ..Config::default() });
    runner
        .run(&attempts(), |a| {
            let (method, path) = ROUTES[a.route];
            let url = format!("{}{}", server.url, path.replace("{x}", &a.segment));
            let status = rt.block_on(async {
                let mut req = http.request(method.parse().unwrap(), &url).body(a.body.clone());
                if a.with_token {
                    req = req.bearer_auth(&token);
                }
                if let Some(p) = &a.protocol {
                    req = req.header("x-crm-protocol", p.as_str());
                }
                if a.zstd_header {
                    req = req.header("content-encoding", "zstd");
                }
                req = req.header("content-type", "application/json");
                req.send().await.map(|r| r.status().as_u16())
            });
            let status = status.map_err(|e| TestCaseError::fail(format!("no answer: {e}")))?;
            prop_assert!(status < 500, "{method} {url} answered {status}");
            Ok(())
        })
        .unwrap();
    // Still serving: a real device syncs.
    rt.block_on(async {
        let device = server.client("julie@example.fr").await;
        device.sync().await;
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_syncs_and_changes_and_requests_carry_an_id() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let device = server.client("julie@example.fr").await;
    let fields = [("name", "Garage Moreau"), ("kind", "customer")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), crm_core::FieldValue::from(v)))
        .collect();
    device.client.create(crm_core::RecordType::Account, fields).unwrap();
    device.sync().await;
    let response = reqwest::get(format!("{}/metrics", server.url)).await.unwrap();
    assert!(response.headers().contains_key("x-request-id"), "every answer names its request");
    let text = response.text().await.unwrap();
    let value = |name: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} missing from:\n{text}"))
    };
    assert!(value("crm_sync_requests_total") >= 1.0);
    assert_eq!(value("crm_changes_ingested_total"), 1.0);
    assert_eq!(value("crm_active_devices"), 1.0);
    assert!(value("crm_sync_duration_seconds_count") >= 1.0);
}
