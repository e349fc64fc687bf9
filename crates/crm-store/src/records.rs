//! User actions on records: create, edit, read, list. Each write is one transaction.

use crate::imports::Prepared;
use crate::materialise::write_doc;
use crate::{Store, StoreError};
use crm_core::{FieldValue, Record, RecordId, RecordType};
use crm_doc::{Conflict, Edit, RecordDoc, hash_hex};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use std::collections::BTreeMap;

/// A record as stored on this device, with its unresolved conflicts.
#[derive(Clone, Debug, Serialize)]
pub struct StoredRecord {
    pub record: Record,
    pub conflicts: Vec<Conflict>,
}

impl Store {
    /// Creates a record: its document, row, search entry and outbox entry, atomically.
    pub fn create_record(&mut self, record: &Record, now: i64) -> Result<StoredRecord, StoreError> {
        let mut created = self.create_records(std::slice::from_ref(record), now)?;
        Ok(created.remove(0))
    }

    /// Creates several records in one transaction: all of them or none.
    pub fn create_records(&mut self, records: &[Record], now: i64) -> Result<Vec<StoredRecord>, StoreError> {
        // What the user typed, in the form the record keeps (a SIRET without its spaces,
        // French amounts), checked as it will be stored.
        let records: Vec<Record> = records.iter().map(crm_core::normalize_record).collect();
        let records = records.as_slice();
        for record in records {
            crm_core::validate(record)?;
            if let Some(account) = record.text("account")
                && record.record_type != RecordType::Account
                && !records.iter().any(|r| r.id.to_string() == account)
            {
                self.require(account, RecordType::Account)?;
            }
        }
        // The documents are built on every core, then written in one transaction.
        let actor = &self.actor;
        let done = std::sync::atomic::AtomicUsize::new(0);
        let prepared = crate::imports::parallel(records, &done, |r| Prepared::created(actor, r, now))?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(records.len());
        for p in prepared {
            let exists: Option<i64> = tx
                .prepare_cached("SELECT 1 FROM docs WHERE id = ?1")?
                .query_row(params![p.record.id.to_string()], |r| r.get(0))
                .optional()?;
            if exists.is_some() {
                return Err(StoreError::Invalid(format!("a record with the id {} already exists", p.record.id)));
            }
            p.write(&tx, now)?;
            out.push(StoredRecord { record: p.record, conflicts: p.conflicts });
        }
        crate::materialise::commit(tx)?;
        Ok(out)
    }

    /// Applies `edit` to record `id` as one Automerge change, atomically.
    pub fn edit_record(&mut self, id: &RecordId, edit: &Edit, now: i64) -> Result<StoredRecord, StoreError> {
        self.edit_then_create(id, edit, None, now)
    }

    /// Edits record `id` and, in the same transaction, creates `follow_up` unless a record
    /// with its id already exists (winning a deal creates its contract this way).
    pub fn edit_then_create(
        &mut self,
        id: &RecordId,
        edit: &Edit,
        follow_up: Option<&Record>,
        now: i64,
    ) -> Result<StoredRecord, StoreError> {
        if let Some(Some(FieldValue::Text(account))) = edit.get("account") {
            self.require(account, RecordType::Account)?;
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let data: Vec<u8> = tx
            .query_row("SELECT data FROM docs WHERE id = ?1", params![id.to_string()], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        let mut doc = RecordDoc::load(&data, &self.actor)?;
        if let Some(change) = doc.edit(edit, now)? {
            queue_change(&tx, &id.to_string(), change)?;
        }
        let record = write_doc(&tx, &mut doc, now)?;
        let conflicts = doc.conflicts()?;
        if let Some(new) = follow_up {
            let exists: Option<i64> = tx
                .query_row("SELECT 1 FROM docs WHERE id = ?1", params![new.id.to_string()], |r| r.get(0))
                .optional()?;
            if exists.is_none() {
                let mut new_doc = RecordDoc::create(&self.actor, new, now)?;
                for change in new_doc.all_changes() {
                    queue_change(&tx, &new.id.to_string(), change)?;
                }
                write_doc(&tx, &mut new_doc, now)?;
            }
        }
        crate::materialise::commit(tx)?;
        Ok(StoredRecord { record, conflicts })
    }

    /// The records of a type whose `field` equals `value` (e.g. a product by reference).
    pub fn find_by_field(
        &self,
        record_type: RecordType,
        field: &str,
        value: &str,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, doc_type, fields, conflicts FROM records WHERE doc_type = ?1 AND json_extract(fields, '$.' || ?2) = ?3",
        )?;
        let rows = stmt.query_map(params![record_type.as_str(), field, value], row_to_stored)?;
        rows.map(|r| r?).collect()
    }

    fn require(&self, id: &str, record_type: RecordType) -> Result<(), StoreError> {
        let found: Option<String> =
            self.conn.query_row("SELECT doc_type FROM records WHERE id = ?1", params![id], |r| r.get(0)).optional()?;
        match found {
            Some(t) if t == record_type.as_str() => Ok(()),
            Some(t) => Err(StoreError::Invalid(format!("{id} is a {t}, not a {record_type}"))),
            None => Err(StoreError::Invalid(format!("no {record_type} has the id {id} on this device"))),
        }
    }

    /// The record's changes with what each did (see `RecordDoc::history`), if the
    /// record is on this device.
    pub fn history(&self, id: &str) -> Result<Option<Vec<crm_doc::HistoryEntry>>, StoreError> {
        let data: Option<Vec<u8>> =
            self.conn.query_row("SELECT data FROM docs WHERE id = ?1", params![id], |r| r.get(0)).optional()?;
        data.map(|d| -> Result<_, StoreError> { Ok(crm_doc::RecordDoc::load(&d, &self.actor)?.history()?) }).transpose()
    }

    pub fn get_record(&self, id: &str) -> Result<Option<StoredRecord>, StoreError> {
        self.conn
            .query_row("SELECT id, doc_type, fields, conflicts FROM records WHERE id = ?1", params![id], row_to_stored)
            .optional()?
            .transpose()
    }

    /// Every record of a type, by label (accounts by name).
    pub fn list(&self, record_type: RecordType) -> Result<Vec<StoredRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, doc_type, fields, conflicts FROM records WHERE doc_type = ?1 ORDER BY label COLLATE NOCASE, id",
        )?;
        let rows = stmt.query_map(params![record_type.as_str()], row_to_stored)?;
        rows.map(|r| r?).collect()
    }

    /// The records of a type whose date (`Record::date`: an activity's `at`, a task's
    /// `due`, a contract's `start`, a deal's expected close) is in `[from, to)`, compared
    /// as text: callers give bounds a day wider than they need when dates carry offsets.
    pub fn list_dated(&self, record_type: RecordType, from: &str, to: &str) -> Result<Vec<StoredRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, doc_type, fields, conflicts FROM records WHERE doc_type = ?1 AND at >= ?2 AND at < ?3 ORDER BY at",
        )?;
        let rows = stmt.query_map(params![record_type.as_str(), from, to], row_to_stored)?;
        rows.map(|r| r?).collect()
    }

    /// The activities whose follow-up date is in `[from, to)`.
    pub fn list_follow_ups(&self, from: &str, to: &str) -> Result<Vec<StoredRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, doc_type, fields, conflicts FROM records WHERE doc_type = 'activity' \
             AND json_extract(fields, '$.follow_up') >= ?1 AND json_extract(fields, '$.follow_up') < ?2",
        )?;
        let rows = stmt.query_map(params![from, to], row_to_stored)?;
        rows.map(|r| r?).collect()
    }

    /// The records of a type whose id is in `[from, to)`: with time-ordered ids (UUID v7),
    /// the records created in a period.
    pub fn list_id_range(
        &self,
        record_type: RecordType,
        from: &str,
        to: &str,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, doc_type, fields, conflicts FROM records WHERE id >= ?2 AND id < ?3 AND doc_type = ?1",
        )?;
        let rows = stmt.query_map(params![record_type.as_str(), from, to], row_to_stored)?;
        rows.map(|r| r?).collect()
    }

    /// Like `list_id_range` or `list_dated` (`by` is `"id"` or `"at"`; `"all"`: every
    /// record of the type, `from` and `to` unused), but only the named fields of each
    /// record are read (SQLite extracts them from the row's JSON; a set field arrives as
    /// its JSON list): reports read thousands of records for a few fields each.
    pub fn list_fields(
        &self,
        record_type: RecordType,
        by: &str,
        from: &str,
        to: &str,
        wanted: &[&str],
    ) -> Result<Vec<Record>, StoreError> {
        let range = match by {
            "id" => " AND id >= ?2 AND id < ?3",
            "at" => " AND at >= ?2 AND at < ?3",
            "all" => " AND ?2 = ?2 AND ?3 = ?3",
            other => return Err(StoreError::Invalid(format!("no range over {other}"))),
        };
        if let Some(bad) = wanted.iter().find(|f| !f.chars().all(|c| c.is_ascii_lowercase() || c == '_')) {
            return Err(StoreError::Invalid(format!("{bad} is not a field name")));
        }
        let is_set: Vec<bool> = wanted
            .iter()
            .map(|f| crm_core::all_fields(record_type).any(|s| s.name == *f && s.kind == crm_core::FieldKind::Set))
            .collect();
        let extracts: String = wanted.iter().map(|f| format!(", json_extract(fields, '$.{f}')")).collect();
        let sql = format!("SELECT id{extracts} FROM records WHERE doc_type = ?1{range}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![record_type.as_str(), from, to], |row| {
            let id: String = row.get(0)?;
            let mut values = Vec::with_capacity(wanted.len());
            for i in 0..wanted.len() {
                values.push(row.get::<_, Option<String>>(i + 1).ok().flatten());
            }
            Ok((id, values))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, values) = row?;
            let record_id = id.parse::<RecordId>().map_err(|_| StoreError::Corrupt(format!("id of record {id}")))?;
            let mut record = Record::new(record_id, record_type);
            for ((field, value), set) in wanted.iter().zip(values).zip(&is_set) {
                let Some(v) = value else { continue };
                let value = if *set {
                    let items = serde_json::from_str(&v)
                        .map_err(|_| StoreError::Corrupt(format!("{field} of record {id} is not a list")))?;
                    FieldValue::Set(items)
                } else {
                    FieldValue::Text(v)
                };
                record.fields.insert(field.to_string(), value);
            }
            out.push(record);
        }
        Ok(out)
    }

    /// How many fields are in conflict on this device.
    pub fn conflict_count(&self) -> Result<usize, StoreError> {
        let n: i64 = self.conn.query_row(
            "SELECT coalesce(sum(json_array_length(conflicts)), 0) FROM records WHERE conflicts <> '[]'",
            [],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// Every record with a conflict still open, by label.
    pub fn in_conflict(&self) -> Result<Vec<StoredRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, doc_type, fields, conflicts FROM records WHERE conflicts <> '[]' ORDER BY label COLLATE NOCASE, id",
        )?;
        let rows = stmt.query_map([], row_to_stored)?;
        rows.map(|r| r?).collect()
    }

    /// The records of a type that hang from an account; activities newest first.
    pub fn list_for_account(&self, account_id: &str, record_type: RecordType) -> Result<Vec<StoredRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, doc_type, fields, conflicts FROM records WHERE account_id = ?1 AND doc_type = ?2 \
             ORDER BY at DESC, label COLLATE NOCASE, id DESC",
        )?;
        let rows = stmt.query_map(params![account_id, record_type.as_str()], row_to_stored)?;
        rows.map(|r| r?).collect()
    }

    pub fn count(&self, record_type: RecordType) -> Result<u64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM records WHERE doc_type = ?1",
            params![record_type.as_str()],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }
}

/// Adds a local change to the outbox (a change already queued is left as it is).
/// Queues a change to send, uncompressed: the server refuses compressed changes (it
/// would have to inflate them before knowing their size); the request body as a whole
/// is compressed instead.
pub(crate) fn queue_change(
    tx: &rusqlite::Transaction<'_>,
    doc_id: &str,
    change: crm_doc::Change,
) -> Result<(), StoreError> {
    queue_raw(tx, doc_id, &hash_hex(&change.hash()), change.raw_bytes())
}

/// [`queue_change`] for a change already taken apart into its hash and bytes.
pub(crate) fn queue_raw(
    tx: &rusqlite::Transaction<'_>,
    doc_id: &str,
    hash: &str,
    bytes: &[u8],
) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT OR IGNORE INTO outbox (hash, doc_id, data) VALUES (?1, ?2, ?3)")?
        .execute(params![hash, doc_id, bytes])?;
    Ok(())
}

pub(crate) type RowResult = Result<StoredRecord, StoreError>;

pub(crate) fn row_to_stored(row: &rusqlite::Row<'_>) -> rusqlite::Result<RowResult> {
    let id: String = row.get(0)?;
    let doc_type: String = row.get(1)?;
    let fields: String = row.get(2)?;
    let conflicts: String = row.get(3)?;
    Ok((|| {
        let corrupt = |what: &str| StoreError::Corrupt(format!("{what} of record {id}"));
        let record_type = doc_type.parse::<RecordType>().map_err(|_| corrupt("type"))?;
        let record_id = id.parse::<RecordId>().map_err(|_| corrupt("id"))?;
        let fields: BTreeMap<String, FieldValue> = serde_json::from_str(&fields).map_err(|_| corrupt("fields"))?;
        let conflicts: Vec<ConflictRow> = serde_json::from_str(&conflicts).map_err(|_| corrupt("conflicts"))?;
        Ok(StoredRecord {
            record: Record { id: record_id, record_type, fields },
            conflicts: conflicts
                .into_iter()
                .map(|c| Conflict { field: c.field, value: c.value, others: c.others })
                .collect(),
        })
    })())
}

#[derive(serde::Deserialize)]
struct ConflictRow {
    field: String,
    value: String,
    others: Vec<String>,
}
