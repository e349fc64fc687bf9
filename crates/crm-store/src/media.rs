//! Attachments known to this device, and which the server still lacks.

use crate::{Store, StoreError};
use rusqlite::{OptionalExtension, params};

impl Store {
    pub fn add_media(&self, hash: &str, file: &str, size: u64, uploaded: bool) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO media (hash, file, size, uploaded) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (hash) DO UPDATE SET file = excluded.file, uploaded = max(uploaded, excluded.uploaded)",
            params![hash, file, size as i64, uploaded as i64],
        )?;
        Ok(())
    }

    /// Attachments added here that the server does not have yet: `(hash, file)`.
    pub fn media_to_upload(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT hash, file FROM media WHERE uploaded = 0")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn media_uploaded(&self, hash: &str) -> Result<(), StoreError> {
        self.conn.execute("UPDATE media SET uploaded = 1 WHERE hash = ?1", params![hash])?;
        Ok(())
    }

    /// The local file of an attachment, when this device has it.
    pub fn media_file(&self, hash: &str) -> Result<Option<String>, StoreError> {
        Ok(self.conn.query_row("SELECT file FROM media WHERE hash = ?1", params![hash], |r| r.get(0)).optional()?)
    }
}
