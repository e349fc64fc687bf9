//! Likely duplicates among the accounts and contacts on this device, found through the
//! blocking keys kept beside each record (`dup_keys`): a lookup by key on entry, a
//! grouping by key for a whole scan. Only records sharing a key are compared.

use crate::records::row_to_stored;
use crate::{Store, StoreError, StoredRecord};
use crm_core::duplicates::{Fingerprint, MAX_BLOCK, Match, blocking_keys, compare_prints};
use crm_core::{Record, RecordType};
use rusqlite::{Transaction, params};

/// The record types filed under their keys.
const FILED: [RecordType; 3] = [RecordType::Account, RecordType::Contact, RecordType::Lead];

/// Files a record under its keys (accounts, contacts and leads), in the caller's transaction.
pub(crate) fn index(tx: &Transaction<'_>, record: &Record) -> Result<(), StoreError> {
    if !FILED.contains(&record.record_type) {
        return Ok(());
    }
    let id = record.id.to_string();
    tx.prepare_cached("DELETE FROM dup_keys WHERE id = ?1")?.execute(params![id])?;
    let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO dup_keys (key, id) VALUES (?1, ?2)")?;
    for key in blocking_keys(record) {
        insert.execute(params![format!("{}:{key}", record.record_type.as_str()), id])?;
    }
    Ok(())
}

impl Store {
    /// Files the records present before the keys existed (once, after the migration).
    pub(crate) fn build_duplicate_keys(&mut self) -> Result<(), StoreError> {
        if crate::meta_get(&self.conn, "dup_keys_pending")?.is_none() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        let records: Vec<StoredRecord> = {
            let mut stmt = tx.prepare(
                "SELECT id, doc_type, fields, conflicts FROM records WHERE doc_type IN ('account', 'contact', 'lead')",
            )?;
            let rows = stmt.query_map([], row_to_stored)?;
            rows.map(|r| r?).collect::<Result<_, _>>()?
        };
        for stored in &records {
            index(&tx, &stored.record)?;
        }
        tx.execute("DELETE FROM meta WHERE key = 'dup_keys_pending'", [])?;
        tx.commit()?;
        Ok(())
    }

    /// The accounts, contacts and leads with this phone number (any field, any format:
    /// both sides are read as E.164), at most `limit`.
    pub fn find_by_phone(&self, phone: &str, limit: usize) -> Result<Vec<StoredRecord>, StoreError> {
        match crm_core::duplicates::phone_key(phone) {
            Some(key) => self.find_filed(&format!("phone:{key}"), limit),
            None => Ok(Vec::new()),
        }
    }

    /// The accounts, contacts and leads with this e-mail address (letter case aside).
    pub fn find_by_email(&self, email: &str, limit: usize) -> Result<Vec<StoredRecord>, StoreError> {
        self.find_filed(&format!("email:{}", email.trim().to_lowercase()), limit)
    }

    /// The live records filed under `key` (one of `blocking_keys`), of every filed type.
    fn find_filed(&self, key: &str, limit: usize) -> Result<Vec<StoredRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT id FROM dup_keys WHERE key = ?1 LIMIT ?2")?;
        let mut out = Vec::new();
        for kind in FILED {
            let ids: Vec<String> = stmt
                .query_map(params![format!("{}:{key}", kind.as_str()), limit as i64], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for id in ids {
                out.extend(self.get_record(&id)?.filter(|r| !r.record.is_deleted()));
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// The records of `record`'s type likely to be the same as it, best first (`record`
    /// itself, new or stored, is never among them).
    pub fn duplicates_of(&self, record: &Record) -> Result<Vec<(StoredRecord, Match)>, StoreError> {
        let keys: Vec<String> =
            blocking_keys(record).into_iter().map(|k| format!("{}:{k}", record.record_type.as_str())).collect();
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut ids: Vec<String> = Vec::new();
        let mut stmt = self.conn.prepare_cached("SELECT id FROM dup_keys WHERE key = ?1 LIMIT ?2")?;
        for key in &keys {
            let block: Vec<String> =
                stmt.query_map(params![key, MAX_BLOCK as i64 + 1], |r| r.get(0))?.collect::<Result<_, _>>()?;
            // A key shared by more records than a block holds is skipped, as in a scan.
            if block.len() <= MAX_BLOCK {
                ids.extend(block);
            }
        }
        ids.sort();
        ids.dedup();
        let print = Fingerprint::of(record);
        let mut out = Vec::new();
        for id in ids {
            if let Some(other) = self.get_record(&id)?
                && let Some(m) = compare_prints(&print, &Fingerprint::of(&other.record))
            {
                out.push((other, m));
            }
        }
        out.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
        Ok(out)
    }

    /// Every pair of likely duplicates of a type on this device, best first: records
    /// grouped by shared key, each pair compared once.
    pub fn duplicate_pairs(&self, record_type: RecordType) -> Result<Vec<(String, String, Match)>, StoreError> {
        let prefix = format!("{}:%", record_type.as_str());
        let mut stmt = self.conn.prepare(
            "SELECT group_concat(id, ' ') FROM dup_keys WHERE key LIKE ?1 GROUP BY key HAVING count(*) BETWEEN 2 AND ?2",
        )?;
        let blocks: Vec<String> =
            stmt.query_map(params![prefix, MAX_BLOCK as i64], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut pairs: Vec<(String, String)> = Vec::new();
        for block in &blocks {
            let ids: Vec<&str> = block.split(' ').collect();
            for (i, a) in ids.iter().enumerate() {
                for b in &ids[i + 1..] {
                    pairs.push(if a < b { (a.to_string(), b.to_string()) } else { (b.to_string(), a.to_string()) });
                }
            }
        }
        pairs.sort();
        pairs.dedup();
        let mut cache: std::collections::HashMap<String, Option<Fingerprint>> = std::collections::HashMap::new();
        let mut load = |id: &str| -> Result<Option<Fingerprint>, StoreError> {
            if let Some(r) = cache.get(id) {
                return Ok(r.clone());
            }
            let r = self.get_record(id)?.map(|s| Fingerprint::of(&s.record));
            cache.insert(id.to_string(), r.clone());
            Ok(r)
        };
        let mut out = Vec::new();
        for (a, b) in pairs {
            if let (Some(ra), Some(rb)) = (load(&a)?, load(&b)?)
                && let Some(m) = compare_prints(&ra, &rb)
            {
                out.push((a, b, m));
            }
        }
        out.sort_by(|x, y| y.2.score.total_cmp(&x.2.score).then_with(|| x.0.cmp(&y.0)));
        Ok(out)
    }

    /// Every blocking key of a record type with the records filed under it (keys
    /// without the type's prefix): an import checks thousands of rows against it in
    /// memory instead of querying each row's keys.
    pub fn duplicate_keys(
        &self,
        record_type: RecordType,
    ) -> Result<std::collections::HashMap<String, Vec<String>>, StoreError> {
        let (from, to) = (format!("{}:", record_type.as_str()), format!("{};", record_type.as_str()));
        let mut stmt = self.conn.prepare("SELECT key, id FROM dup_keys WHERE key >= ?1 AND key < ?2")?;
        let mut out: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        let rows = stmt.query_map(params![from, to], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (key, id) = row?;
            out.entry(key[from.len()..].to_string()).or_default().push(id);
        }
        Ok(out)
    }
}
