//! Webhooks on a real server and a real receiver: device and API writes are told once
//! each, in order, signed per Standard Webhooks; a failing receiver is retried, then
//! disabled with a line in the security log; private addresses need the
//! administrator's consent.

use base64::Engine;
use crm_core::{RecordType, Role};
use crm_tests::{Backend, ReceivedHook, TestServer, WebhookSink, fields};
use hmac::{Hmac, Mac};
use std::time::Duration;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Checks a delivery's signature as a receiver would (the Standard Webhooks recipe).
fn verified(hook: &ReceivedHook) -> bool {
    let key = base64::engine::general_purpose::STANDARD.decode(SECRET.trim_start_matches("whsec_")).unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", hook.id, hook.timestamp, hook.body).as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    hook.signature.split(' ').any(|s| s == format!("v1,{expected}"))
}

fn kinds(hooks: &[ReceivedHook]) -> Vec<String> {
    hooks.iter().map(|h| h.json()["type"].as_str().unwrap().to_string()).collect()
}

async fn quick(backend: Backend) -> TestServer {
    TestServer::start_with(backend, |s| {
        s.webhook_poll = Duration::from_millis(50);
        s.webhook_retry_base = Duration::from_millis(100);
        s.webhook_max_failures = 3;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_and_api_writes_reach_the_receiver_once_in_order_and_signed() {
    let server = quick(Backend::Postgres).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    let sink = WebhookSink::start(0).await;
    let db = server.db().await;
    let events = ["account.created", "deal.stage_changed", "deal.won"].map(String::from);
    db.add_webhook(&sink.url, &events, SECRET, true, crm_server::now_ms()).await.unwrap();
    let (_, key) = db.add_api_key("erp", "julie@example.fr", crm_server::now_ms()).await.unwrap();

    // From a device: the account is told; the deal's creation is not subscribed.
    let julie = server.client("julie@example.fr").await;
    let garage =
        julie.client.create(RecordType::Account, fields(&[("name", "Garage Girard"), ("kind", "customer")])).unwrap();
    let deal = julie.client.create_deal(fields(&[("account", garage.id()), ("title", "Garde")])).unwrap();
    julie.sync().await;
    julie.sync().await; // sent again: nothing new is told
    let first = sink.wait_for(1).await;
    assert_eq!(kinds(&first), ["account.created"]);
    assert_eq!(first[0].json()["data"]["name"], "Garage Girard");

    // From the API: the move, then the win, in that order.
    let response = reqwest::Client::new()
        .patch(format!("{}/api/v1/deals/{}", server.url, deal.id()))
        .bearer_auth(&key)
        .json(&serde_json::json!({"stage": "won"}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let all = sink.wait_for(3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let all_after = sink.received.lock().unwrap().clone();
    assert_eq!(all_after.len(), 3, "each event once: {:?}", kinds(&all_after));
    assert_eq!(kinds(&all), ["account.created", "deal.stage_changed", "deal.won"]);
    assert_eq!(all[2].json()["data"]["id"], deal.id());
    assert!(all.iter().all(verified), "every delivery carries a valid signature");
    let ids: std::collections::BTreeSet<&str> = all.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids.len(), 3);
    let log = db.deliveries(10).await.unwrap();
    assert_eq!(log.iter().filter(|d| d.delivered).count(), 3);
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_receiver_is_retried_then_a_dead_one_disabled() {
    let server = quick(Backend::Sqlite).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    let flaky = WebhookSink::start(2).await;
    // An address where nothing listens.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/gone", l.local_addr().unwrap())
    };
    let db = server.db().await;
    let events = ["account.created".to_string()];
    db.add_webhook(&flaky.url, &events, SECRET, true, crm_server::now_ms()).await.unwrap();
    let dead_hook = db.add_webhook(&dead, &events, SECRET, true, crm_server::now_ms()).await.unwrap();

    let julie = server.client("julie@example.fr").await;
    julie.client.create(RecordType::Account, fields(&[("name", "Garage Girard"), ("kind", "customer")])).unwrap();
    julie.sync().await;
    let got = flaky.wait_for(1).await;
    assert_eq!(kinds(&got), ["account.created"], "delivered at the third attempt");
    assert!(verified(&got[0]));

    let mut disabled = None;
    for _ in 0..100 {
        disabled = db.webhook(&dead_hook.id).await.unwrap().and_then(|h| h.disabled_at);
        if disabled.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(disabled.is_some(), "the dead receiver's webhook is disabled after 3 failures");
    let log = db.deliveries(50).await.unwrap();
    let flaky_id = db.webhooks().await.unwrap().into_iter().find(|h| h.url == flaky.url).unwrap().id;
    let mut attempts: Vec<(i64, bool)> =
        log.iter().filter(|d| d.webhook_id == flaky_id).map(|d| (d.attempt, d.delivered)).collect();
    attempts.sort();
    assert_eq!(attempts, [(1, false), (2, false), (3, true)]);
    assert_eq!(log.iter().filter(|d| d.webhook_id == dead_hook.id).count(), 3);
    let audit = db.audit_log(20).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "webhook_disabled" && e.subject == dead));
    db.close().await;
}

#[tokio::test]
async fn private_addresses_need_the_administrators_consent() {
    use crm_server::webhooks::check_url;
    for url in [
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://10.0.0.8/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest",
    ] {
        let refused = check_url(url, false).await.unwrap_err();
        assert!(refused.contains("--allow-private"), "{url}: {refused}");
        assert!(check_url(url, true).await.is_ok(), "{url}");
    }
    assert!(check_url("ftp://example.fr/x", true).await.is_err());
}
