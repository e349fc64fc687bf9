//! Backups and restores of the change log.
//!
//! After a restore the server's log may lack changes that devices already had
//! acknowledged. The log carries an epoch (a random number in `counters`); a new epoch
//! tells every device to send its whole history again (the server keeps what it lacks,
//! ignores what it has) and to pull from the beginning. The epoch changes when the
//! operator runs `crm-server restored`, and by itself when a device turns out to be
//! ahead of the log (its cursor beyond the last sequence number).

use super::{Backend, Db};
use rand::Rng;
use sqlx::Row;

impl Db {
    pub async fn log_epoch(&self) -> anyhow::Result<i64> {
        let row = sqlx::query("SELECT value FROM counters WHERE name = 'log_epoch'").fetch_one(&self.pool).await?;
        Ok(row.try_get("value")?)
    }

    /// Starts a new epoch: every device re-sends its history at its next sync.
    pub async fn new_log_epoch(&self) -> anyhow::Result<i64> {
        let epoch: i64 = rand::thread_rng().gen_range(1..1_000_000_000_000);
        sqlx::query("UPDATE counters SET value = $1 WHERE name = 'log_epoch'").bind(epoch).execute(&self.pool).await?;
        tracing::warn!(epoch, "new log epoch: devices will send their history again");
        Ok(epoch)
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
