//! Webhooks: the subscriptions, the events a push produces (written in the push's own
//! transaction: an event exists exactly when its change landed), and each delivery
//! attempt. Events are numbered under the change log's lock, so their numbers follow
//! commit order and a webhook's cursor never passes an event still being committed.

use super::sql::{ROWS_PER_STATEMENT, placeholders};
use super::write::WriteTx;
use super::{Db, DbError};
use crate::push::RecordWrite;
use crm_core::{Code, Problem};
use serde::Serialize;
use sqlx::Row;

/// A subscription, as `crm-server webhook list` shows it (never its secret).
#[derive(Clone, Debug, Serialize)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    #[serde(skip)]
    pub secret: String,
    pub allow_private: bool,
    pub created_at: i64,
    pub cursor: i64,
    pub failures: i64,
    pub retry_at: i64,
    pub disabled_at: Option<i64>,
}

/// One event waiting to be told.
#[derive(Clone, Debug)]
pub struct WebhookEvent {
    pub seq: i64,
    pub id: String,
    pub kind: String,
    pub payload: String,
}

/// One attempt, as `crm-server webhook deliveries` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Delivery {
    pub webhook_id: String,
    pub event_id: String,
    pub kind: String,
    pub attempt: i64,
    pub at: i64,
    pub status: Option<i64>,
    pub error: String,
    pub delivered: bool,
}

fn webhook_from(row: &sqlx::any::AnyRow) -> Result<Webhook, sqlx::Error> {
    let events: String = row.try_get("events")?;
    Ok(Webhook {
        id: row.try_get("id")?,
        url: row.try_get("url")?,
        events: events.split(',').map(str::to_string).collect(),
        secret: row.try_get("secret")?,
        allow_private: row.try_get::<i64, _>("allow_private")? != 0,
        created_at: row.try_get("created_at")?,
        cursor: row.try_get("cursor")?,
        failures: row.try_get("failures")?,
        retry_at: row.try_get("retry_at")?,
        disabled_at: row.try_get("disabled_at")?,
    })
}

const COLUMNS: &str = "id, url, events, secret, allow_private, created_at, cursor, failures, retry_at, disabled_at";

impl Db {
    /// Subscribes `url` to `events` (checked by the caller). It starts with the events
    /// that land from now on.
    pub async fn add_webhook(
        &self,
        url: &str,
        events: &[String],
        secret: &str,
        allow_private: bool,
        now: i64,
    ) -> Result<Webhook, DbError> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.write_tx().await?;
        tx.lock_log().await?;
        let cursor: i64 = sqlx::query("SELECT value FROM counters WHERE name = 'webhook_event_seq'")
            .fetch_one(tx.conn())
            .await?
            .try_get("value")?;
        sqlx::query(
            "INSERT INTO webhooks (id, url, events, secret, allow_private, created_at, cursor) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(url)
        .bind(events.join(","))
        .bind(secret)
        .bind(allow_private as i64)
        .bind(now)
        .bind(cursor)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        self.audit("admin", "webhook_added", &id, url, now).await?;
        self.webhook(&id).await?.ok_or_else(|| DbError::Other(anyhow::anyhow!("the webhook {id} vanished")))
    }

    pub async fn webhook(&self, id: &str) -> Result<Option<Webhook>, DbError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM webhooks WHERE id = $1"));
        let row = sqlx::query(sql).bind(id).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(webhook_from).transpose()?)
    }

    pub async fn webhooks(&self) -> Result<Vec<Webhook>, DbError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM webhooks ORDER BY created_at"));
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(webhook_from).collect::<Result<_, _>>()?)
    }

    pub async fn remove_webhook(&self, id: &str, now: i64) -> Result<(), DbError> {
        let done = sqlx::query("DELETE FROM webhooks WHERE id = $1").bind(id).execute(&self.pool).await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(
                Problem::new(Code::NotOnServer)
                    .param("detail", format!("no webhook {id}: see `crm-server webhook list`")),
            ));
        }
        self.audit("admin", "webhook_removed", id, "", now).await?;
        Ok(())
    }

    /// Takes a webhook's turn to deliver (for `lease_ms`), when it is due and enabled:
    /// two server instances never deliver one webhook's events at once.
    pub async fn claim_webhook(&self, id: &str, now: i64, lease_ms: i64) -> Result<bool, DbError> {
        let done =
            sqlx::query("UPDATE webhooks SET retry_at = $1 WHERE id = $2 AND retry_at <= $3 AND disabled_at IS NULL")
                .bind(now + lease_ms)
                .bind(id)
                .bind(now)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The events after `cursor`, oldest first.
    pub async fn webhook_events_after(&self, cursor: i64, limit: i64) -> Result<Vec<WebhookEvent>, DbError> {
        let rows =
            sqlx::query("SELECT seq, id, kind, payload FROM webhook_events WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(cursor)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(WebhookEvent {
                    seq: r.try_get("seq")?,
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    payload: r.try_get("payload")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// Where a webhook is after a round: its cursor, failures in a row, when it is due
    /// again, and whether it is now disabled.
    pub async fn webhook_progress(
        &self,
        id: &str,
        cursor: i64,
        failures: i64,
        retry_at: i64,
        disabled_at: Option<i64>,
    ) -> Result<(), DbError> {
        sqlx::query("UPDATE webhooks SET cursor = $1, failures = $2, retry_at = $3, disabled_at = $4 WHERE id = $5")
            .bind(cursor)
            .bind(failures)
            .bind(retry_at)
            .bind(disabled_at)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn log_delivery(&self, d: &Delivery) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO webhook_deliveries (id, webhook_id, event_id, kind, attempt, at, status, error, delivered) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&d.webhook_id)
        .bind(&d.event_id)
        .bind(&d.kind)
        .bind(d.attempt)
        .bind(d.at)
        .bind(d.status)
        .bind(&d.error)
        .bind(d.delivered as i64)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Forgets attempts older than 30 days, and events every webhook has passed that are
    /// older than a day.
    pub async fn prune_webhooks(&self, now: i64) -> Result<(), DbError> {
        const DAY: i64 = 24 * 3600 * 1000;
        sqlx::query("DELETE FROM webhook_deliveries WHERE at < $1").bind(now - 30 * DAY).execute(&self.pool).await?;
        sqlx::query(
            "DELETE FROM webhook_events WHERE created_at < $1 AND seq <= \
             (SELECT COALESCE(MIN(cursor), (SELECT value FROM counters WHERE name = 'webhook_event_seq')) \
              FROM webhooks WHERE disabled_at IS NULL)",
        )
        .bind(now - DAY)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The latest attempts, newest first.
    pub async fn deliveries(&self, limit: i64) -> Result<Vec<Delivery>, DbError> {
        let rows = sqlx::query(
            "SELECT webhook_id, event_id, kind, attempt, at, status, error, delivered FROM webhook_deliveries \
             ORDER BY at DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(Delivery {
                    webhook_id: r.try_get("webhook_id")?,
                    event_id: r.try_get("event_id")?,
                    kind: r.try_get("kind")?,
                    attempt: r.try_get("attempt")?,
                    at: r.try_get("at")?,
                    status: r.try_get("status")?,
                    error: r.try_get("error")?,
                    delivered: r.try_get::<i64, _>("delivered")? != 0,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }
}

/// Files the events of a push's writes, in its transaction (the log is locked), when
/// some webhook listens.
pub(crate) async fn record_events(tx: &mut WriteTx<'_>, writes: &[RecordWrite], now: i64) -> Result<(), DbError> {
    let listening = sqlx::query("SELECT id FROM webhooks WHERE disabled_at IS NULL LIMIT 1")
        .fetch_optional(tx.conn())
        .await?
        .is_some();
    if !listening {
        return Ok(());
    }
    let mut events = Vec::new();
    for w in writes {
        let row = crate::db::ApiRow { record: w.merged.record.clone(), owner: w.owner.clone(), updated_at: now };
        for kind in crate::webhooks::events_of(w.merged.before.as_ref(), &w.merged.record) {
            let payload = crate::webhooks::payload(&kind, &row, now);
            events.push((kind, payload));
        }
    }
    if events.is_empty() {
        return Ok(());
    }
    let last: i64 =
        sqlx::query("UPDATE counters SET value = value + $1 WHERE name = 'webhook_event_seq' RETURNING value")
            .bind(events.len() as i64)
            .fetch_one(tx.conn())
            .await?
            .try_get("value")?;
    let backend = tx.backend();
    let mut seq = last - events.len() as i64;
    let rows: Vec<(i64, String, String, crate::webhooks::Payload)> = events
        .into_iter()
        .map(|(kind, (id, payload))| {
            seq += 1;
            (seq, id, kind, payload)
        })
        .collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT / 6) {
        let sql = format!(
            "INSERT INTO webhook_events (seq, id, kind, record_id, payload, created_at) VALUES {}",
            placeholders(backend, chunk.len(), 6)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (seq, id, kind, payload) in chunk {
            query = query.bind(*seq).bind(id).bind(kind).bind(&payload.record_id).bind(&payload.body).bind(now);
        }
        query.execute(tx.conn()).await?;
    }
    Ok(())
}
