//! Writing a document and everything derived from it (materialised row, search entry)
//! inside the caller's transaction.

use crate::StoreError;
use crm_core::{FieldValue, Record, RecordType};
use crm_doc::{Conflict, RecordDoc};
use rusqlite::{Transaction, params};

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
    tx.prepare_cached("DELETE FROM search WHERE rowid = ?1")?.execute(params![rowid])?;
    tx.prepare_cached("INSERT INTO search (rowid, label, content) VALUES (?1, ?2, ?3)")?.execute(params![
        rowid,
        record.label(),
        search_content(record)
    ])?;
    Ok(())
}

/// Removes a record's row and search entry (its document stays).
fn remove_materialised(tx: &Transaction<'_>, id: &str) -> Result<(), StoreError> {
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
    let record = doc.read()?;
    let conflicts = doc.conflicts()?;
    let heads = doc.heads_text();
    let data = doc.save();
    write(tx, &record, &conflicts, &data, &heads, now)?;
    Ok(record)
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
