//! `crm-bench api`: the REST API and webhooks on a real server (in this process, on
//! 127.0.0.1): N accounts created on a rep's device and synced, told to a webhook
//! receiver on 127.0.0.1 (signed, one at a time, in order: the delivery rate), then
//! listed page by page through the API with an administrator's key.

use crate::ours::percentile;
use crm_core::{FieldValue, RecordType, Role};
use crm_tests::{Backend, TestServer, WebhookSink};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub async fn run(backend: Backend, accounts: usize) -> anyhow::Result<()> {
    let server = TestServer::start_with(backend, |s| {
        s.api_requests_per_minute = 1_000_000;
        s.webhook_poll = Duration::from_millis(50);
    })
    .await;
    server.add_user("rep@example.fr", Role::Rep).await;
    server.add_user("admin@example.fr", Role::Admin).await;
    let sink = WebhookSink::start(0).await;
    let db = server.db().await;
    let events = ["account.created".to_string()];
    db.add_webhook(&sink.url, &events, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true, crm_server::now_ms()).await?;
    let (_, key) = db.add_api_key("bench", "admin@example.fr", crm_server::now_ms()).await?;

    let rep = server.client("rep@example.fr").await;
    let batch: Vec<BTreeMap<String, FieldValue>> = (0..accounts)
        .map(|i| {
            [("name", format!("Client {i}")), ("kind", "customer".into()), ("city", "Amiens".into())]
                .into_iter()
                .map(|(k, v)| (k.to_string(), FieldValue::Text(v)))
                .collect()
        })
        .collect();
    rep.client.create_many(RecordType::Account, batch)?;
    let t = Instant::now();
    rep.sync().await;
    let synced = t.elapsed().as_secs_f64();
    let told = sink.wait_for_within(accounts, Duration::from_secs(600)).await.len();
    let all = t.elapsed().as_secs_f64();
    println!(
        "webhooks: {told} of {accounts} account.created delivered {all:.2} s after the sync began (sync {synced:.2} s): \
         {:.0} events/s end to end, {:.0} events/s after the sync",
        told as f64 / all,
        told as f64 / (all - synced).max(0.001)
    );

    let http = reqwest::Client::new();
    for limit in [100, 1000] {
        let mut page_ms = Vec::new();
        let mut listed = 0;
        let t = Instant::now();
        let mut next: Option<String> = None;
        loop {
            let url = match &next {
                Some(token) => format!("{}/api/v1/accounts?next={token}&limit={limit}", server.url),
                None => format!("{}/api/v1/accounts?limit={limit}", server.url),
            };
            let p = Instant::now();
            let page: serde_json::Value =
                http.get(url).bearer_auth(&key).send().await?.error_for_status()?.json().await?;
            page_ms.push(p.elapsed().as_secs_f64() * 1000.0);
            listed += page["items"].as_array().map_or(0, Vec::len);
            match page["next"].as_str() {
                Some(token) => next = Some(token.to_string()),
                None => break,
            }
        }
        let total = t.elapsed().as_secs_f64();
        println!(
            "API list of {listed} accounts, {limit} a page: {} pages in {total:.2} s ({:.0} records/s), page p50 {:.1} ms p95 {:.1} ms",
            page_ms.len(),
            listed as f64 / total,
            percentile(&mut page_ms.clone(), 0.5),
            percentile(&mut page_ms, 0.95)
        );
    }
    db.close().await;
    Ok(())
}
