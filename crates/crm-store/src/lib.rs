//! The device's local store: one SQLite file (WAL) holding every record's Automerge
//! document, the records materialised from them, a full-text index, and the outbox of
//! changes the server has not acknowledged.
//!
//! Invariant: every user action and every applied sync page is one SQLite transaction
//! that updates the document, its materialised row, its search entry and the outbox
//! together, so a crash never leaves a record half-written. Documents are loaded one at
//! a time, never all kept in memory.

mod error;
mod materialise;
mod media;
mod outbox;
mod pull;
mod records;
mod schema;
mod search;

pub use error::StoreError;
pub use outbox::{OutboxItem, RejectedChange};
pub use pull::{PullApplied, PulledDoc, SnapshotView};
pub use records::StoredRecord;
pub use search::SearchHit;

use crm_doc::DeviceActor;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

pub struct Store {
    conn: Connection,
    actor: DeviceActor,
    device_id: uuid::Uuid,
}

impl Store {
    /// Opens (creating if needed) the store in `path`, applies pending migrations, and
    /// mints this device's id the first time.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted records (dropped, erased) are overwritten on disk, not just unlinked.
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        schema::migrate(&mut conn)?;
        let device_id = match meta_get(&conn, "device_id")? {
            Some(id) => uuid::Uuid::parse_str(&id).map_err(|_| StoreError::Corrupt("device id".into()))?,
            None => {
                let id = uuid::Uuid::now_v7();
                meta_set(&conn, "device_id", &id.to_string())?;
                id
            }
        };
        Ok(Store { conn, actor: DeviceActor::from_device_id(&device_id), device_id })
    }

    pub fn device_id(&self) -> uuid::Uuid {
        self.device_id
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        meta_get(&self.conn, key)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        meta_set(&self.conn, key, value)
    }

    pub fn delete_meta(&self, key: &str) -> Result<(), StoreError> {
        self.conn.execute("DELETE FROM meta WHERE key = ?1", params![key])?;
        Ok(())
    }

    /// The sync cursor: the last server sequence number applied here.
    pub fn cursor(&self) -> Result<u64, StoreError> {
        Ok(self.meta("cursor")?.and_then(|c| c.parse().ok()).unwrap_or(0))
    }
}

fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| r.get(0)).optional()?)
}

fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;

impl Store {
    /// Erases every record, change and setting of this device (a revoked device), and
    /// makes sure no erased byte stays in the database files; the device gets a new id.
    pub fn wipe(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for table in ["docs", "records", "search", "outbox", "rejections", "repairs", "media", "meta"] {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        tx.commit()?;
        self.conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
        let id = uuid::Uuid::now_v7();
        meta_set(&self.conn, "device_id", &id.to_string())?;
        self.device_id = id;
        self.actor = DeviceActor::from_device_id(&id);
        Ok(())
    }
}
