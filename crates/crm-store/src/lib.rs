//! The device's local store: one SQLite file (WAL) holding every record's Automerge
//! document, the records materialised from them, a full-text index, and the outbox of
//! changes the server has not acknowledged.
//!
//! Invariant: every user action and every applied sync page is one SQLite transaction
//! that updates the document, its materialised row, its search entry and the outbox
//! together, so a crash never leaves a record half-written. Documents are loaded one at
//! a time, never all kept in memory.

mod duplicates;
mod error;
mod imports;
mod materialise;
mod media;
mod outbox;
mod pull;
mod records;
mod schema;
mod search;

pub use error::StoreError;
pub use imports::{ImportBatch, ImportedChange, Removal, UndoCounts};
pub use outbox::{OutboxItem, RefusedChange, RejectedChange};
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
        Store::open_with(Connection::open(path)?)
    }

    /// Opens the store encrypted (SQLCipher, AES-256) with `key`. A store written in
    /// clear by an earlier version is encrypted in place first. A wrong key is an
    /// error, never an empty store.
    pub fn open_encrypted(path: &Path, key: &[u8; 32]) -> Result<Store, StoreError> {
        // SQLCipher sets its crypto provider up on the first keyed connection of the
        // process; two threads keying at once (parallel tests, the app and a sync) could
        // fail with "An error occurred with PRAGMA key". Keying is rare: one at a time.
        static KEYING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one_at_a_time = KEYING.lock().unwrap_or_else(|p| p.into_inner());
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        if is_plaintext(path) {
            encrypt_in_place(path, &hex)?;
        }
        let conn = Connection::open(path)?;
        conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))?;
        // SQLCipher only notices a wrong key on the first read.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())).map_err(|_| {
            StoreError::Invalid("the local database cannot be decrypted with this key (wrong password?)".into())
        })?;
        Store::open_with(conn)
    }

    fn open_with(mut conn: Connection) -> Result<Store, StoreError> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted records (dropped, erased) are overwritten on disk, not just unlinked.
        conn.pragma_update(None, "secure_delete", "ON")?;
        // 64 MiB of page cache (SQLite's default is 2 MiB): every page read from disk is
        // decrypted, and a sync or a search over a large portfolio touches far more than
        // 2 MiB; with the default, page reads were most of the time of applying a pull.
        conn.pragma_update(None, "cache_size", -65_536)?;
        // Temporary tables (the search queue) stay in memory, never in a clear file.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        schema::migrate(&mut conn)?;
        conn.execute_batch(materialise::SEARCH_QUEUE)?;
        let device_id = match meta_get(&conn, "device_id")? {
            Some(id) => uuid::Uuid::parse_str(&id).map_err(|_| StoreError::Corrupt("device id".into()))?,
            None => {
                let id = uuid::Uuid::now_v7();
                meta_set(&conn, "device_id", &id.to_string())?;
                id
            }
        };
        let mut store = Store { conn, actor: DeviceActor::from_device_id(&device_id), device_id };
        store.build_duplicate_keys()?;
        Ok(store)
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

impl Store {
    /// Writes a decrypted copy of every table to `to` (a new SQLite file in clear):
    /// for support and for tests that check what a device holds. Only someone who
    /// already has the key (the password) can call it.
    pub fn export_plaintext(&self, to: &Path) -> Result<(), StoreError> {
        self.conn.execute("ATTACH DATABASE ?1 AS plaintext KEY ''", params![to.to_string_lossy()])?;
        self.conn.query_row("SELECT sqlcipher_export('plaintext')", [], |_| Ok(()))?;
        self.conn.execute_batch("DETACH DATABASE plaintext;")?;
        Ok(())
    }
}

/// Whether `path` is a SQLite file in clear (it starts with SQLite's header).
fn is_plaintext(path: &Path) -> bool {
    let mut header = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header)).is_ok()
        && &header == b"SQLite format 3\0"
}

/// Rewrites a store in clear as an encrypted one, then removes every clear copy.
fn encrypt_in_place(path: &Path, hex: &str) -> Result<(), StoreError> {
    let encrypted = path.with_extension("encrypting");
    let _ = std::fs::remove_file(&encrypted);
    {
        let conn = Connection::open(path)?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        conn.execute(
            &format!("ATTACH DATABASE ?1 AS encrypted KEY \"x'{hex}'\""),
            params![encrypted.to_string_lossy()],
        )?;
        conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        conn.execute_batch(&format!("PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"))?;
    }
    // Overwrite the clear file before replacing it, so its bytes do not linger.
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    std::fs::write(path, vec![0u8; len as usize]).map_err(|e| StoreError::Invalid(e.to_string()))?;
    std::fs::rename(&encrypted, path).map_err(|e| StoreError::Invalid(e.to_string()))?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(())
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
    /// Drops the words of removed entries from the search index: removing an entry only
    /// marks it (fast), merging the index into one segment ('optimize') discards what
    /// is marked, and the freed pages are zeroed (`secure_delete`). Run when records
    /// leave the device.
    pub fn purge_search(&mut self) -> Result<(), StoreError> {
        self.conn.execute("INSERT INTO search (search) VALUES ('optimize')", [])?;
        Ok(())
    }

    /// Checkpoints the write-ahead log and truncates it to nothing, so that no copy of a
    /// page erased from the database stays in it; checked, since a reader on an old
    /// snapshot would leave the log in place (this store has one connection, so none
    /// should be).
    pub fn truncate_wal(&mut self) -> Result<(), StoreError> {
        let (busy, log): (i64, i64) =
            self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if busy != 0 || log > 0 {
            return Err(StoreError::Invalid(format!(
                "the local write-ahead log could not be emptied (busy {busy}, {log} pages left): erased data may \
                 remain in it until the app is restarted"
            )));
        }
        Ok(())
    }

    /// Erases every record, change and setting of this device (a revoked device), and
    /// makes sure no erased byte stays in the database files; the device gets a new id.
    pub fn wipe(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for table in [
            "docs",
            "records",
            "search",
            "outbox",
            "rejections",
            "repairs",
            "media",
            "import_items",
            "import_batches",
            "meta",
        ] {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        // The index rebuilt from its (now empty) content: no word of the old one stays.
        tx.execute("DELETE FROM temp.search_queue", [])?;
        tx.execute("INSERT INTO search (search) VALUES ('rebuild')", [])?;
        tx.commit()?;
        self.conn.execute_batch("VACUUM;")?;
        self.truncate_wal()?;
        let id = uuid::Uuid::now_v7();
        meta_set(&self.conn, "device_id", &id.to_string())?;
        self.device_id = id;
        self.actor = DeviceActor::from_device_id(&id);
        Ok(())
    }
}
