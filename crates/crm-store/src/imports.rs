//! Imports: many records created and edited in one transaction, remembered as one batch
//! that can be undone. The Automerge work of each record (building, editing, saving its
//! document) runs on every core before the transaction; the transaction only writes rows.

use crate::materialise::{self, write};
use crate::records::queue_raw;
use crate::{Store, StoreError};
use crm_core::{FieldValue, Record, RecordId, RecordType};
use crm_doc::{Conflict, DeviceActor, Edit, RecordDoc, hash_hex};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A document built or edited off the transaction, ready to be written.
pub(crate) struct Prepared {
    pub record: Record,
    pub conflicts: Vec<Conflict>,
    pub data: Vec<u8>,
    pub heads: String,
    /// The new changes: (hash, bytes).
    pub changes: Vec<(String, Vec<u8>)>,
}

impl Prepared {
    pub(crate) fn of(doc: &mut RecordDoc, changes: Vec<crm_doc::Change>) -> Result<Prepared, StoreError> {
        Ok(Prepared {
            record: doc.read()?,
            conflicts: doc.conflicts()?,
            heads: doc.heads_text(),
            data: doc.save(),
            changes: changes.iter().map(|c| (hash_hex(&c.hash()), c.raw_bytes().to_vec())).collect(),
        })
    }

    pub(crate) fn created(actor: &DeviceActor, record: &Record, now: i64) -> Result<Prepared, StoreError> {
        let mut doc = RecordDoc::create(actor, record, now)?;
        let changes = doc.all_changes();
        Prepared::of(&mut doc, changes)
    }

    /// Writes the document, its row, search entry and outbox entries in `tx`.
    pub(crate) fn write(&self, tx: &rusqlite::Transaction<'_>, now: i64) -> Result<(), StoreError> {
        let id = self.record.id.to_string();
        for (hash, bytes) in &self.changes {
            queue_raw(tx, &id, hash, bytes)?;
        }
        write(tx, &self.record, &self.conflicts, &self.data, &self.heads, now)
    }
}

/// `f` over `items` on every core, results in order; `done` counts the items finished.
pub(crate) fn parallel<T: Sync, R: Send>(
    items: &[T],
    done: &AtomicUsize,
    f: impl Fn(&T) -> Result<R, StoreError> + Sync,
) -> Result<Vec<R>, StoreError> {
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    if workers == 1 || items.len() < 64 {
        return items
            .iter()
            .map(|item| {
                let r = f(item);
                done.fetch_add(1, Ordering::Relaxed);
                r
            })
            .collect();
    }
    let chunk = items.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let f = &f;
                scope.spawn(move || {
                    part.iter()
                        .map(|item| {
                            let r = f(item);
                            done.fetch_add(1, Ordering::Relaxed);
                            r
                        })
                        .collect::<Result<Vec<R>, StoreError>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for handle in handles {
            out.extend(handle.join().map_err(|_| StoreError::Corrupt("a worker thread failed".into()))??);
        }
        Ok(out)
    })
}

/// What one import changed in one record: created it, or set fields (with their earlier
/// values, and the values the import wrote, for undo).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportedChange {
    pub id: String,
    pub created: bool,
    /// field → (earlier value, value written).
    #[serde(default)]
    pub fields: BTreeMap<String, (Option<FieldValue>, Option<FieldValue>)>,
}

/// One import as this device remembers it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportBatch {
    pub id: String,
    pub record_type: RecordType,
    pub file: String,
    pub at_ms: i64,
    pub created: usize,
    pub updated: usize,
    pub undone_at_ms: Option<i64>,
}

/// What undoing a batch did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct UndoCounts {
    /// Created records removed (never sent: forgotten; sent: deleted everywhere).
    pub removed: usize,
    /// Updated records whose fields went back to their earlier values.
    pub restored: usize,
    /// Fields left as they are because someone changed them after the import.
    pub kept: usize,
}

/// How a record that an undo removes leaves the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    /// Never sent: it is forgotten, as if never imported.
    Forget,
    /// Already at the server: it gets the deletion mark, which syncs.
    Delete,
}

impl Store {
    /// Creates `creates` and applies `edits` (each with the earlier values of the fields
    /// it sets) in one transaction, filed as batch `batch`. `progress` counts records
    /// done out of all.
    pub fn import(
        &mut self,
        batch: &ImportBatch,
        creates: &[Record],
        edits: &[(RecordId, Edit)],
        now: i64,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<(), StoreError> {
        let total = creates.len() + edits.len();
        let done = AtomicUsize::new(0);
        let creates: Vec<Record> = creates.iter().map(crm_core::normalize_record).collect();
        for record in &creates {
            crm_core::validate(record)?;
        }
        let report = |done: &AtomicUsize| progress(done.load(Ordering::Relaxed), total);
        let actor = &self.actor;
        let new_docs = parallel(&creates, &done, |r| Prepared::created(actor, r, now))?;
        report(&done);
        let edited: Vec<(Prepared, ImportedChange)> = self
            .prepare_edits(edits, now, &done)?
            .into_iter()
            .zip(edits)
            .map(|((prepared, before), (_, edit))| {
                let id = prepared.record.id.to_string();
                let fields = edit
                    .iter()
                    .map(|(k, v)| (k.clone(), (before.fields.get(k).cloned(), v.clone())))
                    .collect::<BTreeMap<_, _>>();
                (prepared, ImportedChange { id, created: false, fields })
            })
            .collect();
        report(&done);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO import_batches (id, record_type, file, at, created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                batch.id,
                batch.record_type.as_str(),
                batch.file,
                batch.at_ms,
                creates.len() as i64,
                edits.len() as i64
            ],
        )?;
        let file_item = |change: &ImportedChange| -> Result<(), StoreError> {
            let fields = serde_json::to_string(&change.fields).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.prepare_cached("INSERT INTO import_items (batch, id, created, fields) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![batch.id, change.id, change.created, fields])?;
            Ok(())
        };
        for prepared in &new_docs {
            let id = prepared.record.id.to_string();
            let exists: Option<i64> = tx
                .prepare_cached("SELECT 1 FROM docs WHERE id = ?1")?
                .query_row(params![id], |r| r.get(0))
                .optional()?;
            if exists.is_some() {
                return Err(StoreError::Invalid(format!("a record with the id {id} already exists")));
            }
            file_item(&ImportedChange { id, created: true, fields: BTreeMap::new() })?;
        }
        for (_, change) in &edited {
            file_item(change)?;
        }
        for prepared in new_docs.iter().chain(edited.iter().map(|(p, _)| p)) {
            prepared.write(&tx, now)?;
        }
        materialise::commit(tx)?;
        progress(total, total);
        Ok(())
    }

    /// Applies each edit to its record as one change, all in one transaction (a merge
    /// moving children, an undo). Records absent from the device are skipped.
    pub fn edit_records(&mut self, edits: &[(RecordId, Edit)], now: i64) -> Result<Vec<Record>, StoreError> {
        let done = AtomicUsize::new(0);
        let prepared = self.prepare_edits(edits, now, &done)?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (p, _) in &prepared {
            p.write(&tx, now)?;
        }
        materialise::commit(tx)?;
        Ok(prepared.into_iter().map(|(p, _)| p.record).collect())
    }

    /// The documents of `edits` loaded, edited and saved on every core, each with the
    /// record as it was before, in the order of `edits`.
    fn prepare_edits(
        &self,
        edits: &[(RecordId, Edit)],
        now: i64,
        done: &AtomicUsize,
    ) -> Result<Vec<(Prepared, Record)>, StoreError> {
        let mut loaded: Vec<(Vec<u8>, &Edit)> = Vec::with_capacity(edits.len());
        for (id, edit) in edits {
            let data: Vec<u8> = self
                .conn
                .query_row("SELECT data FROM docs WHERE id = ?1", params![id.to_string()], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
            loaded.push((data, edit));
        }
        let actor = &self.actor;
        parallel(&loaded, done, |(data, edit)| {
            let mut doc = RecordDoc::load(data, actor)?;
            let before = doc.read()?;
            let change = doc.edit(edit, now)?;
            Ok((Prepared::of(&mut doc, change.into_iter().collect())?, before))
        })
    }

    /// The imports made on this device, newest first.
    pub fn import_batches(&self) -> Result<Vec<ImportBatch>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, record_type, file, at, created, updated, undone_at FROM import_batches ORDER BY at DESC, id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, Option<i64>>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (id, record_type, file, at_ms, created, updated, undone_at_ms) = row?;
            Ok(ImportBatch {
                id,
                record_type: record_type.parse().map_err(StoreError::Corrupt)?,
                file,
                at_ms,
                created: created as usize,
                updated: updated as usize,
                undone_at_ms,
            })
        })
        .collect()
    }

    /// What batch `id` changed.
    pub fn import_items(&self, id: &str) -> Result<Vec<ImportedChange>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id, created, fields FROM import_items WHERE batch = ?1")?;
        let rows = stmt
            .query_map(params![id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, String>(2)?)))?;
        rows.map(|row| {
            let (id, created, fields) = row?;
            Ok(ImportedChange {
                id,
                created,
                fields: serde_json::from_str(&fields).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            })
        })
        .collect()
    }

    /// Whether record `id` is still only on this device: created here and none of its
    /// changes acknowledged by the server yet.
    pub fn never_sent(&self, id: &str) -> Result<bool, StoreError> {
        let pending: i64 =
            self.conn.query_row("SELECT count(*) FROM outbox WHERE doc_id = ?1", params![id], |r| r.get(0))?;
        if pending == 0 {
            return Ok(false);
        }
        let data: Option<Vec<u8>> =
            self.conn.query_row("SELECT data FROM docs WHERE id = ?1", params![id], |r| r.get(0)).optional()?;
        let Some(data) = data else { return Ok(false) };
        let changes = RecordDoc::load(&data, &self.actor)?.all_changes().len() as i64;
        Ok(changes == pending)
    }

    /// Undoes batch `id` in one transaction: created records are removed (`removal` says
    /// how, per record), updated fields go back to their earlier values unless changed
    /// since the import (those are kept and counted).
    pub fn undo_import(
        &mut self,
        id: &str,
        removal: &dyn Fn(&str) -> Removal,
        now: i64,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<UndoCounts, StoreError> {
        let items = self.import_items(id)?;
        let total = items.len();
        let mut counts = UndoCounts::default();
        let mut forget: Vec<String> = Vec::new();
        let mut edits: Vec<(Vec<u8>, String, Edit)> = Vec::new();
        let deleted: Edit =
            [(crm_core::DELETED_FIELD.to_string(), Some(FieldValue::from("yes")))].into_iter().collect();
        for item in &items {
            let current = self.get_record(&item.id)?;
            let data: Option<Vec<u8>> = self
                .conn
                .query_row("SELECT data FROM docs WHERE id = ?1", params![item.id], |r| r.get(0))
                .optional()?;
            let Some(data) = data else { continue };
            if item.created {
                counts.removed += 1;
                match removal(&item.id) {
                    Removal::Forget => forget.push(item.id.clone()),
                    Removal::Delete if current.is_some() => edits.push((data, item.id.clone(), deleted.clone())),
                    Removal::Delete => {}
                }
                continue;
            }
            let Some(current) = current else { continue };
            let mut edit = Edit::new();
            for (field, (before, written)) in &item.fields {
                if current.record.fields.get(field) == written.as_ref() {
                    edit.insert(field.clone(), before.clone());
                } else {
                    counts.kept += 1;
                }
            }
            if !edit.is_empty() {
                counts.restored += 1;
                edits.push((data, item.id.clone(), edit));
            }
        }
        let done = AtomicUsize::new(forget.len());
        let actor = &self.actor;
        let prepared = parallel(&edits, &done, |(data, _, edit)| {
            let mut doc = RecordDoc::load(data, actor)?;
            let change = doc.edit(edit, now)?;
            Prepared::of(&mut doc, change.into_iter().collect())
        })?;
        progress(done.load(Ordering::Relaxed), total);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for id in &forget {
            tx.prepare_cached("DELETE FROM outbox WHERE doc_id = ?1")?.execute(params![id])?;
            materialise::remove(&tx, id)?;
        }
        for p in &prepared {
            p.write(&tx, now)?;
        }
        let changed = tx.execute(
            "UPDATE import_batches SET undone_at = ?2 WHERE id = ?1 AND undone_at IS NULL",
            params![id, now],
        )?;
        if changed == 0 {
            return Err(StoreError::Invalid(format!("the import {id} was already undone")));
        }
        materialise::commit(tx)?;
        progress(total, total);
        Ok(counts)
    }

    /// Batch `id`, if this device made it.
    pub fn import_batch(&self, id: &str) -> Result<Option<ImportBatch>, StoreError> {
        Ok(self.import_batches()?.into_iter().find(|b| b.id == id))
    }
}
