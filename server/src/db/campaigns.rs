//! Which contacts a campaign reached: each e-mail sent once per contact.

use super::{Db, DbError};
use sqlx::Row;
use std::collections::HashSet;

impl Db {
    /// The contacts a campaign already reached.
    pub async fn campaign_reached(&self, campaign: &str) -> Result<HashSet<String>, DbError> {
        let rows = sqlx::query("SELECT contact_id FROM campaign_sends WHERE campaign_id = $1")
            .bind(campaign)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.try_get("contact_id")).collect::<Result<_, _>>()?)
    }

    pub async fn campaign_sent(&self, campaign: &str, contact: &str, email: &str, now: i64) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO campaign_sends (campaign_id, contact_id, email, sent_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (campaign_id, contact_id) DO NOTHING",
        )
        .bind(campaign)
        .bind(contact)
        .bind(email)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
