//! Attachments, stored once by content hash.

use super::Db;
use sqlx::Row;

impl Db {
    /// Stores an attachment; `false` when the server already had it.
    pub async fn put_blob(&self, hash: &str, data: &[u8], user_id: &str, now: i64) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "INSERT INTO blobs (hash, data, size, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (hash) DO NOTHING",
        )
        .bind(hash)
        .bind(data.to_vec())
        .bind(data.len() as i64)
        .bind(user_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn get_blob(&self, hash: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let row = sqlx::query("SELECT data FROM blobs WHERE hash = $1").bind(hash).fetch_optional(&self.pool).await?;
        Ok(row.map(|r| r.try_get("data")).transpose()?)
    }
}
