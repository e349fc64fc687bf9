//! [`WriteTx`]: a transaction that writes records and the change log, the same on both
//! engines. SQLite has one writer at a time: the transaction takes the database's turn
//! (a mutex, then `BEGIN IMMEDIATE`) for its whole life. PostgreSQL has many: records
//! are locked with advisory locks, and the log with the row of its counter.

use super::sql::{ROWS_PER_STATEMENT, advisory_key, placeholders};
use super::{Backend, Db};
use sqlx::Row;

pub(crate) struct WriteTx<'a> {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    _turn: Option<tokio::sync::MutexGuard<'a, ()>>,
}

impl Db {
    /// Begins a writing transaction (on SQLite, waits for the database's turn).
    pub(crate) async fn write_tx(&self) -> Result<WriteTx<'_>, sqlx::Error> {
        let turn = self.sqlite_write_lock().await;
        let tx = self.begin_write().await?;
        Ok(WriteTx { tx, backend: self.backend, _turn: turn })
    }
}

impl WriteTx<'_> {
    pub(crate) fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection, for the transaction's own statements.
    pub(crate) fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    /// Serialises the writers of these records (new ones included) until commit, across
    /// transactions and server instances. Locks are taken in key order, the same in
    /// every transaction: no deadlock. SQLite's single writer needs nothing more.
    pub(crate) async fn lock_records(&mut self, ids: &[uuid::Uuid]) -> Result<(), sqlx::Error> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        let mut keys: Vec<i64> = ids.iter().map(advisory_key).collect();
        keys.sort_unstable();
        keys.dedup();
        for chunk in keys.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "SELECT pg_advisory_xact_lock(k) FROM (SELECT k FROM (VALUES {}) AS v(k) ORDER BY k) AS t",
                placeholders(self.backend, chunk.len(), 1)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for key in chunk {
                query = query.bind(*key);
            }
            query.fetch_all(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Takes the change log's lock, held to commit: from here on no other writer
    /// numbers changes or moves records, and what it committed before is visible. This
    /// is what keeps sequence numbers visible in commit order (docs/sync-protocol.md,
    /// "the cursor trap"), and what makes an ownership decision see a reassignment
    /// that committed while this push was merging.
    pub(crate) async fn lock_log(&mut self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT value FROM counters WHERE name = 'change_seq' FOR UPDATE")
                .fetch_one(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Whether what this transaction read under its locks is still what is committed
    /// when it takes the log: true where one writer at a time holds the database
    /// (SQLite), false where others commit meanwhile (PostgreSQL: read again after
    /// [`WriteTx::lock_log`]).
    pub(crate) fn sees_every_commit(&self) -> bool {
        self.backend == Backend::Sqlite
    }

    /// Takes `n` sequence numbers; returns the first.
    pub(crate) async fn take_seqs(&mut self, n: i64) -> Result<i64, sqlx::Error> {
        let last: i64 = sqlx::query("UPDATE counters SET value = value + $1 WHERE name = 'change_seq' RETURNING value")
            .bind(n)
            .fetch_one(&mut *self.tx)
            .await?
            .try_get("value")?;
        Ok(last - n + 1)
    }

    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}
