//! Calendar feed addresses and the events they serve.

use super::Db;
use crm_core::{Record, RecordId, RecordType};
use sqlx::Row;

impl Db {
    pub async fn set_calendar_feed(&self, user_id: &str, token_hash: &str, now: i64) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn calendar_feed_user(&self, token_hash: &str) -> anyhow::Result<Option<String>> {
        let row = sqlx::query(
            "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.token_hash = $1 AND u.disabled = 0",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.try_get("user_id")).transpose()?)
    }

    /// The events a user organises, from the materialised records (deleted ones left out).
    pub async fn events_of(&self, user_id: &str) -> anyhow::Result<Vec<Record>> {
        let rows = sqlx::query("SELECT id, fields FROM docs WHERE doc_type = 'event' AND owner_id = $1")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for row in rows {
            let id: String = row.try_get("id")?;
            let fields: String = row.try_get("fields")?;
            let (Ok(id), Ok(fields)) = (id.parse::<RecordId>(), serde_json::from_str(&fields)) else { continue };
            let event = Record { id, record_type: RecordType::Event, fields };
            if !event.is_deleted() {
                out.push(event);
            }
        }
        Ok(out)
    }
}
