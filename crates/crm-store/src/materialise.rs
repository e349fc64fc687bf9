//! Writing a document and everything derived from it (materialised row, search entry)
//! inside the caller's transaction.

use crate::StoreError;
use crm_core::{FieldValue, Record, RecordType};
use crm_doc::{Conflict, RecordDoc};
use rusqlite::{OptionalExtension, Transaction, params};

/// Stores `data` as the document of `record` and refreshes its row and search entry.
pub fn write(
    tx: &Transaction<'_>,
    record: &Record,
    conflicts: &[Conflict],
    data: &[u8],
    heads: &str,
    now: i64,
) -> Result<(), StoreError> {
    let id = record.id.to_string();
    tx.prepare_cached(
        "INSERT INTO docs (id, doc_type, data, heads, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, heads = excluded.heads, updated_at = excluded.updated_at",
    )?
    .execute(params![id, record.record_type.as_str(), data, heads, now])?;
    if record.is_deleted() {
        remove_materialised(tx, &id)?;
        return Ok(());
    }
    let fields = serde_json::to_string(&record.fields).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let conflicts = serde_json::to_string(conflicts).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let rowid: i64 = tx
        .prepare_cached(
            "INSERT INTO records (id, doc_type, account_id, label, at, fields, conflicts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, label = excluded.label, at = excluded.at, \
             fields = excluded.fields, conflicts = excluded.conflicts RETURNING rowid",
        )?
        .query_row(
            params![id, record.record_type.as_str(), record.account_id(), record.label(), record.date(), fields, conflicts],
            |r| r.get(0),
        )?;
    crate::duplicates::index(tx, record)?;
    // The search entry is rewritten only when its words change (a pulled change of the
    // heads or of an unindexed field keeps it), and not here: see `queue_search`.
    let (label, content) = (record.label(), search_content(record));
    let indexed: Option<(String, String)> = tx
        .prepare_cached("SELECT label, content FROM search WHERE rowid = ?1")?
        .query_row(params![rowid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if indexed.as_ref().is_some_and(|(l, c)| *l == label && *c == content) {
        tx.prepare_cached("DELETE FROM temp.search_queue WHERE row = ?1")?.execute(params![rowid])?;
    } else {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO temp.search_queue (row, label, content, replace) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![rowid, label, content, indexed.is_some()])?;
    }
    Ok(())
}

/// The search index's writes wait in `temp.search_queue` (in memory) until the
/// transaction commits, then go in as one statement each. FTS5 writes its pending
/// entries to disk at every statement savepoint, and every write statement of a
/// transaction opens one: written one by one among the other rows, each entry became a
/// segment of its own and a page of 1,000 records spent most of its time in the index.
pub fn commit(tx: Transaction<'_>) -> Result<(), StoreError> {
    let queued: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM temp.search_queue)", [], |r| r.get(0))?;
    if queued {
        tx.execute_batch(
            "DELETE FROM search WHERE rowid IN (SELECT row FROM temp.search_queue WHERE replace); \
             INSERT INTO search (rowid, label, content) SELECT row, label, content FROM temp.search_queue; \
             DELETE FROM temp.search_queue;",
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// The in-memory queue of `commit`, created with each connection.
pub const SEARCH_QUEUE: &str = "CREATE TEMP TABLE IF NOT EXISTS search_queue \
     (row INTEGER PRIMARY KEY, label TEXT NOT NULL, content TEXT NOT NULL, replace INTEGER NOT NULL)";

/// Removes a record's row and search entry (its document stays).
fn remove_materialised(tx: &Transaction<'_>, id: &str) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM temp.search_queue WHERE row = (SELECT rowid FROM records WHERE id = ?1)")?
        .execute(params![id])?;
    tx.prepare_cached("DELETE FROM search WHERE rowid = (SELECT rowid FROM records WHERE id = ?1)")?
        .execute(params![id])?;
    tx.prepare_cached("DELETE FROM records WHERE id = ?1")?.execute(params![id])?;
    Ok(())
}

/// Removes a record from this device entirely: document, row, search entry.
pub fn remove(tx: &Transaction<'_>, id: &str) -> Result<(), StoreError> {
    remove_materialised(tx, id)?;
    tx.prepare_cached("DELETE FROM docs WHERE id = ?1")?.execute(params![id])?;
    tx.prepare_cached("DELETE FROM repairs WHERE doc_id = ?1")?.execute(params![id])?;
    Ok(())
}

/// Saves `doc` and materialises it.
pub fn write_doc(tx: &Transaction<'_>, doc: &mut RecordDoc, now: i64) -> Result<Record, StoreError> {
    // The caller queues the changes: none here.
    let prepared = crate::imports::Prepared::of(doc, Vec::new())?;
    prepared.write(tx, now)?;
    Ok(prepared.record)
}

/// The text indexed for search: every short field and long text, by record type.
fn search_content(record: &Record) -> String {
    let keys: &[&str] = match record.record_type {
        RecordType::Account => {
            &["city", "postal_code", "siret", "email", "phone", "sector", "address", "website", "tags"]
        }
        RecordType::Contact => &["job_title", "email", "phone", "mobile"],
        RecordType::Activity => &["kind", "body"],
        RecordType::Deal => &["stage", "amount", "lost_reason"],
        RecordType::Contract => &["status", "deal"],
        RecordType::Product => &["reference", "pitch", "strengths", "weaknesses"],
        RecordType::Quote => &["status"],
        RecordType::Event => &["place", "notes"],
        RecordType::Task => &["notes"],
        RecordType::Settings => &[],
        RecordType::Lead => &["company", "email", "phone", "postal_code", "sector", "status"],
        RecordType::Campaign => &["channel", "status", "description"],
        RecordType::Ticket => &["status", "priority", "description"],
        RecordType::Report => &["comment"],
    };
    let mut out = String::new();
    for key in keys {
        match record.fields.get(*key) {
            Some(FieldValue::Text(t)) => {
                out.push_str(t);
                out.push(' ');
            }
            Some(FieldValue::Set(items)) => {
                out.push_str(&items.join(" "));
                out.push(' ');
            }
            None => {}
        }
    }
    out
}
