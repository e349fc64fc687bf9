//! Webhooks out: what a landed change tells integrations (`account.created`,
//! `deal.won`…), signed per the Standard Webhooks scheme, delivered in order per
//! webhook (so in order per record), retried with a doubling delay, and disabled after
//! repeated failure with a line in the security log. Loopback and private addresses
//! are refused unless the administrator allowed them for that webhook: at `add`, and at
//! every delivery (a public name that later resolves to a private address is refused
//! too; redirects are not followed).

use crate::Settings;
use crate::db::{ApiRow, Db, Delivery, Webhook};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use crm_core::{Record, RecordType};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// The record types whose events go out (those of the REST API).
fn told(record_type: RecordType) -> bool {
    crate::api::COLLECTIONS.iter().any(|(_, t)| *t == record_type)
}

/// Every event a webhook may subscribe to.
pub fn kinds() -> Vec<String> {
    let mut out = Vec::new();
    for (_, t) in crate::api::COLLECTIONS {
        for what in ["created", "updated", "deleted"] {
            out.push(format!("{}.{what}", t.as_str()));
        }
    }
    out.extend(["deal.stage_changed", "deal.won", "deal.lost"].map(String::from));
    out
}

/// What a change from `before` (absent: a new record) to `after` tells, in order.
pub fn events_of(before: Option<&Record>, after: &Record) -> Vec<String> {
    let t = after.record_type;
    if !told(t) {
        return Vec::new();
    }
    let was_live = before.is_some_and(|b| !b.is_deleted());
    let kind = |what: &str| format!("{}.{what}", t.as_str());
    let mut out = Vec::new();
    if after.is_deleted() {
        if was_live {
            out.push(kind("deleted"));
        }
        return out;
    }
    let old_stage = before.filter(|_| was_live).and_then(|b| b.text("stage"));
    if was_live {
        if before.is_some_and(|b| b.fields == after.fields) {
            return out;
        }
        out.push(kind("updated"));
    } else {
        out.push(kind("created"));
    }
    if t == RecordType::Deal {
        let stage = after.text("stage");
        if was_live && stage.is_some() && stage != old_stage {
            out.push("deal.stage_changed".into());
        }
        if stage != old_stage {
            match stage {
                Some(crm_core::stages::WON) => out.push("deal.won".into()),
                Some(crm_core::stages::LOST) => out.push("deal.lost".into()),
                _ => {}
            }
        }
    }
    out
}

/// An event's body as sent.
pub struct Payload {
    pub record_id: String,
    pub body: String,
}

/// An event's id (`webhook-id`, the same on every retry) and body: `{"type",
/// "timestamp", "data"}`, the data being the record as the REST API shows it.
pub fn payload(kind: &str, row: &ApiRow, now: i64) -> (String, Payload) {
    let at = chrono::DateTime::from_timestamp_millis(now).unwrap_or_default();
    let body = serde_json::json!({
        "type": kind,
        "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": crate::api::records::item(row),
    });
    let id = format!("msg_{}", uuid::Uuid::now_v7().simple());
    (id, Payload { record_id: row.record.id.to_string(), body: body.to_string() })
}

/// The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}`. A secret written `whsec_<base64>` (the Standard Webhooks
/// form) signs with the bytes it encodes; any other secret with its own bytes.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let key = secret
        .strip_prefix("whsec_")
        .and_then(|b| STANDARD.decode(b).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec());
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes a key of any length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// A new secret in the Standard Webhooks form.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    format!("whsec_{}", STANDARD.encode(bytes))
}

/// Addresses a webhook may not reach unless allowed: this machine, private and
/// link-local networks, carrier-grade NAT, unspecified and multicast addresses.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || o[0] == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Checks a webhook's address: http or https, a host, and (unless `allow_private`)
/// only public addresses behind it. The reason, in French, when refused.
pub async fn check_url(url: &str, allow_private: bool) -> Result<url::Url, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("adresse illisible ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("seules les adresses http:// et https:// sont acceptées".into());
    }
    let host = parsed.host_str().ok_or("l'adresse n'a pas de serveur")?.trim_matches(['[', ']']).to_string();
    if allow_private {
        return Ok(parsed);
    }
    let port = parsed.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| format!("le nom {host} ne se résout pas ({e})"))?
            .collect(),
    };
    if addrs.iter().any(|a| is_private(a.ip())) {
        return Err(format!(
            "{host} mène à une adresse locale ou privée : ajoutez --allow-private si c'est voulu (réseau de confiance)"
        ));
    }
    Ok(parsed)
}

/// Resolves names to their public addresses only (the check made again at delivery).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| !is_private(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{} resolves to private addresses only", name.as_str()).into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The two HTTP clients: for webhooks to public addresses only, and for those allowed
/// private ones. Neither follows redirects.
struct Clients {
    public: reqwest::Client,
    any: reqwest::Client,
}

impl Clients {
    fn new() -> anyhow::Result<Clients> {
        let builder = || {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(10))
                .user_agent(concat!("crm-terrain-webhooks/", env!("CARGO_PKG_VERSION")))
        };
        Ok(Clients { public: builder().dns_resolver(Arc::new(PublicOnly)).build()?, any: builder().build()? })
    }
}

/// How long after the `failures`-th failure in a row the next attempt comes: the base
/// delay doubling, an hour at most.
pub fn backoff(base: Duration, failures: i64) -> Duration {
    let factor = 1u32 << failures.clamp(1, 16).saturating_sub(1) as u32;
    (base * factor).min(Duration::from_secs(3600))
}

/// Delivers due events every `webhook_poll`, until the server stops.
pub async fn run(db: Db, settings: Arc<Settings>) {
    let clients = match Clients::new() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhooks cannot be delivered: no HTTP client");
            return;
        }
    };
    let mut pruned_at = 0;
    loop {
        if let Err(e) = round(&db, &settings, &clients).await {
            tracing::warn!(error = %e, "webhook round failed");
        }
        let now = crate::now_ms();
        if now - pruned_at > 3_600_000 {
            pruned_at = now;
            if let Err(e) = db.prune_webhooks(now).await {
                tracing::warn!(error = %e, "pruning delivered webhook events failed");
            }
        }
        tokio::time::sleep(settings.webhook_poll).await;
    }
}

/// Each due webhook in turn: its events after its cursor, in order, until one fails.
async fn round(db: &Db, settings: &Settings, clients: &Clients) -> anyhow::Result<()> {
    for hook in db.webhooks().await? {
        let now = crate::now_ms();
        if hook.disabled_at.is_some() || hook.retry_at > now || !db.claim_webhook(&hook.id, now, LEASE_MS).await? {
            continue;
        }
        deliver(db, settings, clients, hook).await?;
    }
    Ok(())
}

/// A webhook's turn, renewed at each event.
const LEASE_MS: i64 = 60_000;

async fn deliver(db: &Db, settings: &Settings, clients: &Clients, hook: Webhook) -> anyhow::Result<()> {
    let mut cursor = hook.cursor;
    loop {
        let events = db.webhook_events_after(cursor, 100).await?;
        if events.is_empty() {
            db.webhook_progress(&hook.id, cursor, 0, 0, None).await?;
            return Ok(());
        }
        for event in events {
            if !hook.events.contains(&event.kind) {
                cursor = event.seq;
                continue;
            }
            let now = crate::now_ms();
            let timestamp = now / 1000;
            let client = if hook.allow_private { &clients.any } else { &clients.public };
            let sent = client
                .post(&hook.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header("webhook-id", &event.id)
                .header("webhook-timestamp", timestamp.to_string())
                .header("webhook-signature", signature(&hook.secret, &event.id, timestamp, &event.payload))
                .body(event.payload.clone())
                .send()
                .await;
            let (status, error) = match sent {
                Ok(r) if r.status().is_success() => (Some(r.status().as_u16() as i64), String::new()),
                Ok(r) => (Some(r.status().as_u16() as i64), format!("HTTP {}", r.status())),
                Err(e) => (None, format!("{e:#}")),
            };
            let delivered = error.is_empty();
            let failures = if delivered { 0 } else { hook.failures + 1 };
            db.log_delivery(&Delivery {
                webhook_id: hook.id.clone(),
                event_id: event.id.clone(),
                kind: event.kind.clone(),
                attempt: hook.failures + 1,
                at: now,
                status,
                error: error.clone(),
                delivered,
            })
            .await?;
            if !delivered {
                let disabled = (failures >= settings.webhook_max_failures as i64).then_some(now);
                let retry_at = now + backoff(settings.webhook_retry_base, failures).as_millis() as i64;
                db.webhook_progress(&hook.id, cursor, failures, retry_at, disabled).await?;
                if disabled.is_some() {
                    let detail = format!("{failures} failures in a row, last: {error}");
                    db.audit("webhooks", "webhook_disabled", &hook.url, &detail, now).await?;
                    tracing::warn!(webhook = %hook.id, "webhook disabled after repeated failures");
                }
                return Ok(());
            }
            cursor = event.seq;
            db.webhook_progress(&hook.id, cursor, 0, now + LEASE_MS, None).await?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::{FieldValue, RecordId};

    fn deal(stage: &str) -> Record {
        let mut r = Record::new(RecordId(uuid::Uuid::from_u128(7)), RecordType::Deal);
        r.fields.insert("stage".into(), FieldValue::Text(stage.into()));
        r
    }

    #[test]
    fn a_change_tells_what_it_did_in_order() {
        assert_eq!(events_of(None, &deal("qualification")), ["deal.created"]);
        assert_eq!(events_of(None, &deal("won")), ["deal.created", "deal.won"]);
        let moved = events_of(Some(&deal("qualification")), &deal("won"));
        assert_eq!(moved, ["deal.updated", "deal.stage_changed", "deal.won"]);
        assert!(events_of(Some(&deal("won")), &deal("won")).is_empty(), "nothing changed, nothing told");
        let mut gone = deal("won");
        gone.fields.insert("deleted".into(), FieldValue::Text("yes".into()));
        assert_eq!(events_of(Some(&deal("won")), &gone), ["deal.deleted"]);
        let settings = Record::new(RecordId(uuid::Uuid::from_u128(8)), RecordType::Settings);
        assert!(events_of(None, &settings).is_empty());
    }

    #[test]
    fn signatures_follow_standard_webhooks() {
        // The example of the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let sig = signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn private_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "0.0.0.0",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
        assert_eq!(backoff(Duration::from_secs(10), 1), Duration::from_secs(10));
        assert_eq!(backoff(Duration::from_secs(10), 3), Duration::from_secs(40));
        assert_eq!(backoff(Duration::from_secs(10), 30), Duration::from_secs(3600));
    }
}
