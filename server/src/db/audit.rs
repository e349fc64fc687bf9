//! The server's security log: who logged in (or failed to), changed a password or a
//! role, revoked a device. Append-only.

use super::Db;
use sqlx::Row;

#[derive(Clone, Debug, serde::Serialize)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

impl Db {
    /// Records a security event. `actor` is who did it (an e-mail, or `admin-cli`).
    pub async fn audit(&self, actor: &str, action: &str, subject: &str, detail: &str, now: i64) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO audit_log (id, at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(now)
            .bind(actor)
            .bind(action)
            .bind(subject)
            .bind(detail)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The most recent security events, newest first.
    pub async fn audit_log(&self, limit: i64) -> anyhow::Result<Vec<AuditEntry>> {
        let rows =
            sqlx::query("SELECT at, actor, action, subject, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT $1")
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// Replaces a user's password hash and ends every session of theirs.
    pub async fn set_password(&self, email: &str, password_hash: &str) -> anyhow::Result<()> {
        let email = email.trim().to_lowercase();
        let _writer = self.sqlite_write_lock().await;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2")
            .bind(password_hash)
            .bind(&email)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            anyhow::bail!("no user has the e-mail {email}");
        }
        sqlx::query("DELETE FROM tokens WHERE user_id = (SELECT id FROM users WHERE email = $1)")
            .bind(&email)
            .execute(&mut *tx)
            .await?;
        // The calendar address was given out under the old password: it dies with it.
        sqlx::query("DELETE FROM calendar_feeds WHERE user_id = (SELECT id FROM users WHERE email = $1)")
            .bind(&email)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
