//! Backups and restores of the change log.
//!
//! After a restore the server's log may lack changes that devices already had
//! acknowledged. The log carries an epoch (a random number in `counters`); a new epoch
//! tells every device to send its whole history again (the server keeps what it lacks,
//! ignores what it has) and to pull from the beginning. The epoch changes when the
//! operator runs `crm-server restored`, and by itself when a device proves that the log
//! once reached further than it does now: every cursor the server gives out comes with
//! a proof (an HMAC of the epoch and the cursor under a key kept in the database, so a
//! restored database still knows its own cursors). A cursor beyond the log without a
//! valid proof makes only that device send its history again; it never disturbs the
//! others.
//!
//! For [`RECOVERY_WINDOW_MS`] after a new epoch, devices may relay changes made on
//! other devices (the log lost them; their authors may never come back).

use super::{Backend, Db, DbError};
use hmac::{Hmac, Mac};
use rand::{Rng, RngCore};
use sha2::Sha256;
use sqlx::Row;

/// How long after a restore devices may relay changes made elsewhere.
pub const RECOVERY_WINDOW_MS: i64 = 14 * 24 * 3600 * 1000;

/// The change log's epoch, and until when (ms) devices may relay changes made elsewhere.
#[derive(Clone, Copy, Debug)]
pub struct LogState {
    pub epoch: i64,
    pub recovery_until: i64,
}

impl LogState {
    /// Whether the log was restored recently (devices may relay changes made elsewhere).
    pub fn recovering(&self, now: i64) -> bool {
        self.recovery_until > now
    }
}

/// The secret that signs cursors.
pub struct CursorKey([u8; 32]);

/// The cursor key stored in the database, created on first use.
pub(super) async fn cursor_key(pool: &sqlx::AnyPool) -> anyhow::Result<CursorKey> {
    let mut fresh = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut fresh);
    let hex: String = fresh.iter().map(|b| format!("{b:02x}")).collect();
    sqlx::query("INSERT INTO server_secrets (name, value) VALUES ('cursor_key', $1) ON CONFLICT (name) DO NOTHING")
        .bind(hex)
        .execute(pool)
        .await?;
    let stored: String = sqlx::query("SELECT value FROM server_secrets WHERE name = 'cursor_key'")
        .fetch_one(pool)
        .await?
        .try_get("value")?;
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(stored.get(2 * i..2 * i + 2).unwrap_or("00"), 16)?;
    }
    Ok(CursorKey(key))
}

impl CursorKey {
    fn mac(&self, message: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length");
        mac.update(message.as_bytes());
        mac
    }
}

impl Db {
    /// The proof that this server gave out `cursor` in `epoch`.
    pub fn cursor_proof(&self, epoch: i64, cursor: u64) -> String {
        self.sign(&format!("{epoch}:{cursor}"))
    }

    /// Whether `proof` is this server's proof of `cursor` in `epoch` (compared in
    /// constant time).
    pub fn cursor_proven(&self, epoch: i64, cursor: u64, proof: &str) -> bool {
        self.signed(&format!("{epoch}:{cursor}"), proof)
    }

    /// This server's signature of `message` (hex): cursors, and the links it mails
    /// (unsubscribe), each with a message of its own form.
    pub fn sign(&self, message: &str) -> String {
        let tag = self.cursor_key.mac(message).finalize().into_bytes();
        tag.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether `tag` is this server's signature of `message` (compared in constant time).
    pub fn signed(&self, message: &str, tag: &str) -> bool {
        let Some(bytes) = (0..tag.len() / 2)
            .map(|i| tag.get(2 * i..2 * i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
            .collect::<Option<Vec<u8>>>()
        else {
            return false;
        };
        self.cursor_key.mac(message).verify_slice(&bytes).is_ok()
    }

    pub async fn log_epoch(&self) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT value FROM counters WHERE name = 'log_epoch'").fetch_one(&self.pool).await?;
        Ok(row.try_get("value")?)
    }

    /// Starts a new epoch (the operator restored a backup): every device re-sends its
    /// history at its next sync, and may relay changes made elsewhere for a while.
    pub async fn new_log_epoch(&self, now: i64) -> Result<i64, DbError> {
        let current = self.log_epoch().await?;
        self.restart_epoch_from(current, now).await
    }

    /// Starts a new epoch unless the current one is no longer `from` (another request
    /// started one meanwhile); the epoch in force.
    pub async fn restart_epoch_from(&self, from: i64, now: i64) -> Result<i64, DbError> {
        let epoch: i64 = rand::thread_rng().gen_range(1..1_000_000_000_000);
        let done = sqlx::query("UPDATE counters SET value = $1 WHERE name = 'log_epoch' AND value = $2")
            .bind(epoch)
            .bind(from)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return self.log_epoch().await;
        }
        sqlx::query("UPDATE counters SET value = $1 WHERE name = 'recovery_until'")
            .bind(now + RECOVERY_WINDOW_MS)
            .execute(&self.pool)
            .await?;
        tracing::warn!(epoch, "new log epoch: devices will send their history again");
        Ok(epoch)
    }

    /// The log's epoch and until when it recovers from a restore, in one read.
    pub async fn log_state(&self) -> Result<LogState, DbError> {
        let rows = sqlx::query("SELECT name, value FROM counters WHERE name IN ('log_epoch', 'recovery_until')")
            .fetch_all(&self.pool)
            .await?;
        let mut state = LogState { epoch: 0, recovery_until: 0 };
        for row in rows {
            match row.try_get::<String, _>("name")?.as_str() {
                "log_epoch" => state.epoch = row.try_get("value")?,
                _ => state.recovery_until = row.try_get("value")?,
            }
        }
        Ok(state)
    }

    /// A consistent copy of an SQLite server database, taken while it runs. For
    /// PostgreSQL use `pg_dump` (see the README).
    pub async fn backup_to(&self, path: &std::path::Path) -> anyhow::Result<()> {
        if self.backend != Backend::Sqlite {
            anyhow::bail!("back up PostgreSQL with pg_dump (see the README)");
        }
        if path.exists() {
            anyhow::bail!("{} already exists: choose a new file", path.display());
        }
        sqlx::query("VACUUM INTO $1").bind(path.to_string_lossy().to_string()).execute(&self.pool).await?;
        Ok(())
    }
}
