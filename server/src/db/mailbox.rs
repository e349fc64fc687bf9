//! How far the shared mailbox was read, the messages already filed, and the Monday
//! e-mails already sent.

use super::{Db, DbError};
use sqlx::Row;

impl Db {
    /// The UIDVALIDITY and last UID read of a mailbox, if it was ever read.
    pub async fn mailbox_state(&self, mailbox: &str) -> Result<Option<(i64, i64)>, DbError> {
        let row = sqlx::query("SELECT uidvalidity, last_uid FROM mailbox_state WHERE mailbox = $1")
            .bind(mailbox)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| Ok::<_, sqlx::Error>((r.try_get("uidvalidity")?, r.try_get("last_uid")?))).transpose()?)
    }

    pub async fn set_mailbox_state(&self, mailbox: &str, uidvalidity: i64, last_uid: i64) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO mailbox_state (mailbox, uidvalidity, last_uid) VALUES ($1, $2, $3) \
             ON CONFLICT (mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid",
        )
        .bind(mailbox)
        .bind(uidvalidity)
        .bind(last_uid)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Claims a Message-ID: true the first time.
    pub async fn mail_first_seen(&self, message_id: &str, now: i64) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO mail_seen (message_id, filed_at) VALUES ($1, $2) ON CONFLICT (message_id) DO NOTHING",
        )
        .bind(message_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets a claim whose filing failed (the next poll tries again).
    pub async fn mail_unseen(&self, message_id: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM mail_seen WHERE message_id = $1").bind(message_id).execute(&self.pool).await?;
        Ok(())
    }
}

impl Db {
    /// Claims the Monday e-mail of `manager_id` for `week`: true the first time.
    pub async fn claim_weekly_mail(&self, manager_id: &str, week: &str, now: i64) -> Result<bool, DbError> {
        let done = sqlx::query(
            "INSERT INTO weekly_mails (manager_id, week, sent_at) VALUES ($1, $2, $3) \
             ON CONFLICT (manager_id, week) DO NOTHING",
        )
        .bind(manager_id)
        .bind(week)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives the claim back (the sending failed: the next round tries again).
    pub async fn release_weekly_mail(&self, manager_id: &str, week: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM weekly_mails WHERE manager_id = $1 AND week = $2")
            .bind(manager_id)
            .bind(week)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
