//! Attachments, stored once by content hash, within a quota per user; those no record
//! names any more are collected.

use super::{Db, DbError};
use sqlx::Row;
use std::collections::HashSet;

/// How long an attachment may wait for a record to name it before it is collected:
/// devices upload attachments right after the records that name them.
pub const BLOB_GRACE_MS: i64 = 24 * 3600 * 1000;

impl Db {
    /// Stores an attachment; `false` when the server already had it. Refused when the
    /// user's attachments would exceed `quota` bytes.
    pub async fn put_blob(
        &self,
        hash: &str,
        data: &[u8],
        user_id: &str,
        now: i64,
        quota: u64,
    ) -> Result<bool, DbError> {
        let mut tx = self.write_tx().await?;
        // One upload of a user at a time decides against the quota.
        if let Ok(user) = uuid::Uuid::parse_str(user_id) {
            tx.lock_records(&[user]).await?;
        }
        let exists = sqlx::query("SELECT 1 FROM blobs WHERE hash = $1").bind(hash).fetch_optional(tx.conn()).await?;
        if exists.is_some() {
            return Ok(false);
        }
        let used: i64 = sqlx::query("SELECT COALESCE(SUM(size), 0) AS used FROM blobs WHERE uploaded_by = $1")
            .bind(user_id)
            .fetch_one(tx.conn())
            .await?
            .try_get("used")?;
        if used as u64 + data.len() as u64 > quota {
            return Err(DbError::Refused(
                crm_core::Problem::new(crm_core::Code::AttachmentQuota)
                    .param("used", used / 1024 / 1024)
                    .param("quota", quota / 1024 / 1024),
            ));
        }
        let done = sqlx::query(
            "INSERT INTO blobs (hash, data, size, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (hash) DO NOTHING",
        )
        .bind(hash)
        .bind(data.to_vec())
        .bind(data.len() as i64)
        .bind(user_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn get_blob(&self, hash: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let row = sqlx::query("SELECT data FROM blobs WHERE hash = $1").bind(hash).fetch_optional(&self.pool).await?;
        Ok(row.map(|r| r.try_get("data")).transpose()?)
    }

    /// Deletes the attachments no product names any more and that are older than
    /// [`BLOB_GRACE_MS`]; how many were deleted.
    pub async fn collect_blobs(&self, now: i64) -> Result<usize, DbError> {
        let mut named: HashSet<String> = HashSet::new();
        for row in sqlx::query("SELECT fields FROM docs WHERE doc_type = 'product'").fetch_all(&self.pool).await? {
            let fields: String = row.try_get("fields")?;
            let Ok(fields) = serde_json::from_str::<serde_json::Value>(&fields) else { continue };
            for item in fields["media"].as_array().into_iter().flatten().filter_map(|v| v.as_str()) {
                named.insert(item.split('.').next().unwrap_or_default().to_string());
            }
        }
        let old: Vec<String> = sqlx::query("SELECT hash FROM blobs WHERE created_at < $1")
            .bind(now - BLOB_GRACE_MS)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("hash"))
            .collect::<Result<_, _>>()?;
        let mut deleted = 0;
        for hash in old.into_iter().filter(|h| !named.contains(h)) {
            deleted +=
                sqlx::query("DELETE FROM blobs WHERE hash = $1").bind(hash).execute(&self.pool).await?.rows_affected()
                    as usize;
        }
        if deleted > 0 {
            tracing::info!(deleted, "attachments no record names were collected");
        }
        Ok(deleted)
    }
}
