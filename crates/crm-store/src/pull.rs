//! Applying what the server sent: snapshots of records new to this device, changes of
//! records it has. One page is one transaction, cursor included, so an interrupted sync
//! resumes from the last page applied.

use crate::materialise::{remove, write};
use crate::{Store, StoreError, meta_set};
use crm_core::Record;
use crm_doc::{Change, Conflict, RecordDoc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

/// One record's news from the server.
pub enum PulledDoc {
    /// A whole document; `view` is the server's reading of it, when it sent one.
    Snapshot {
        doc_id: String,
        data: Vec<u8>,
        view: Option<SnapshotView>,
        /// Replace the local copy (history and unsent changes included) instead of
        /// merging: the record was rewritten on the server (RGPD erasure).
        replace: bool,
    },
    Changes {
        doc_id: String,
        changes: Vec<Vec<u8>>,
        /// The server's reading of the record after them, when it sent one.
        view: Option<SnapshotView>,
    },
    /// The record is no longer this user's to hold; with `purge`, it was erased at the
    /// person's request (RGPD) and nothing of it may stay, refused changes included.
    Drop { doc_id: String, purge: bool },
}

impl PulledDoc {
    pub fn doc_id(&self) -> &str {
        match self {
            PulledDoc::Snapshot { doc_id, .. } | PulledDoc::Changes { doc_id, .. } | PulledDoc::Drop { doc_id, .. } => {
                doc_id
            }
        }
    }
}

/// Why a change still unsent when its record left this device was not delivered.
const DROPPED_REASON: &str = "this record was reassigned outside what you may see before your change reached the \
                              server; your change is kept here";

/// Whether `changes`, applied to a copy whose heads are `local_heads`, give exactly the
/// document the server read as `view`. The heads after applying are the local heads and
/// the changes' hashes, less everything a change depends on; when they equal the
/// server's heads, both documents hold the same changes and so the same state (a change
/// the copy already had would leave an ancestor among the heads, which no document's
/// heads can be).
fn fast_forward(doc_id: &str, local_heads: &str, changes: &[Vec<u8>], view: &SnapshotView) -> bool {
    use std::collections::BTreeSet;
    let mut heads: BTreeSet<String> = local_heads.split(',').filter(|h| !h.is_empty()).map(str::to_string).collect();
    let mut deps = Vec::new();
    for bytes in changes {
        let Ok(change) = crm_doc::decode_change(bytes) else { return false };
        heads.insert(crm_doc::hash_hex(&change.hash()));
        deps.extend(change.deps().iter().map(crm_doc::hash_hex));
    }
    for dep in deps {
        heads.remove(&dep);
    }
    let server: BTreeSet<String> = view.heads.split(',').filter(|h| !h.is_empty()).map(str::to_string).collect();
    !heads.is_empty()
        && heads == server
        && view.record.id.to_string() == doc_id
        && crm_core::validate(&view.record).is_ok()
}

/// A record as the server read it from a snapshot.
pub struct SnapshotView {
    pub record: Record,
    pub conflicts: Vec<Conflict>,
    pub heads: String,
}

#[derive(Debug, Default)]
pub struct PullApplied {
    /// Records created or changed on this device by the page.
    pub records: usize,
    /// Records that could not be applied and will be asked for whole next time.
    pub repairs: usize,
    /// Records removed from this device (no longer the user's, or erased).
    pub dropped: usize,
}

impl Store {
    /// Applies one page of the pull and moves the cursor to `cursor` (with the server's
    /// proof of it, `cursor_proof`), in one transaction.
    pub fn apply_pull(
        &mut self,
        items: Vec<PulledDoc>,
        cursor: u64,
        cursor_proof: &str,
        now: i64,
    ) -> Result<PullApplied, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut applied = PullApplied::default();
        let mut erased = false;
        for item in items {
            let doc_id = match &item {
                PulledDoc::Snapshot { doc_id, .. } | PulledDoc::Changes { doc_id, .. } => doc_id.clone(),
                PulledDoc::Drop { doc_id, purge } => {
                    if *purge {
                        purge_doc(&tx, doc_id)?;
                        erased = true;
                    } else {
                        drop_doc(&tx, doc_id, now)?;
                    }
                    applied.dropped += 1;
                    continue;
                }
            };
            if let PulledDoc::Snapshot { replace: true, .. } = &item {
                // Erasure: nothing of the old history may stay, unsent changes included.
                purge_doc(&tx, &doc_id)?;
                erased = true;
            }
            tx.prepare_cached("UPDATE docs SET sweep = 0 WHERE id = ?1")?.execute(params![doc_id])?;
            let local: Option<(Vec<u8>, String)> = tx
                .prepare_cached("SELECT data, heads FROM docs WHERE id = ?1")?
                .query_row(params![doc_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (local, local_heads) = match local {
                Some((data, heads)) => (Some(data), heads),
                None => (None, String::new()),
            };
            let result = match (item, local) {
                // The common case of later syncs: the changes bring this copy exactly to
                // the server's, whose reading came with them. The changes are appended
                // to the stored document (a saved document followed by changes loads as
                // one) and the reading is used as it is.
                (PulledDoc::Changes { changes, view: Some(view), .. }, Some(mut local))
                    if fast_forward(&doc_id, &local_heads, &changes, &view) =>
                {
                    for change in &changes {
                        local.extend_from_slice(change);
                    }
                    Ok((view.record, view.conflicts, local, view.heads))
                }
                // The common case of a first sync: store the server's bytes as they are,
                // with the server's reading of them. Loading every document here would
                // cost far more than the rest of the sync (long texts make loads slow).
                (PulledDoc::Snapshot { data, view: Some(view), .. }, None)
                    if view.record.id.to_string() == doc_id && crm_core::validate(&view.record).is_ok() =>
                {
                    Ok((view.record, view.conflicts, data, view.heads))
                }
                (PulledDoc::Snapshot { data, .. }, None) => RecordDoc::load(&data, &self.actor).and_then(|mut doc| {
                    let record = doc.read()?;
                    let conflicts = doc.conflicts()?;
                    let heads = doc.heads_text();
                    Ok((record, conflicts, data, heads))
                }),
                (PulledDoc::Snapshot { data, .. }, Some(local)) => {
                    RecordDoc::load(&local, &self.actor).and_then(|mut doc| {
                        doc.merge_snapshot(&data)?;
                        finish(&mut doc)
                    })
                }
                (PulledDoc::Drop { .. }, _) => unreachable!("handled above"),
                (PulledDoc::Changes { changes, .. }, local) => {
                    let mut doc = match local {
                        Some(bytes) => RecordDoc::load(&bytes, &self.actor),
                        None => Ok(RecordDoc::empty(&self.actor)),
                    };
                    let parsed: Result<Vec<Change>, _> = changes.iter().map(|c| crm_doc::decode_change(c)).collect();
                    match (&mut doc, parsed) {
                        (Ok(doc), Ok(parsed)) => doc.apply_changes(parsed).and_then(|_| {
                            if doc.missing_deps().is_empty() {
                                finish(doc)
                            } else {
                                Err(crm_doc::DocError::Corrupt("changes arrived before the ones they follow".into()))
                            }
                        }),
                        (Err(_), _) | (_, Err(_)) => Err(crm_doc::DocError::Corrupt("unreadable change".into())),
                    }
                }
            };
            match result {
                Ok((record, conflicts, data, heads)) => {
                    write(&tx, &record, &conflicts, &data, &heads, now)?;
                    tx.prepare_cached("DELETE FROM repairs WHERE doc_id = ?1")?.execute(params![doc_id])?;
                    applied.records += 1;
                }
                Err(_) => {
                    // Keep what we have untouched and ask for the whole record next time.
                    tx.prepare_cached("INSERT OR IGNORE INTO repairs (doc_id) VALUES (?1)")?
                        .execute(params![doc_id])?;
                    applied.repairs += 1;
                }
            }
        }
        meta_set(&tx, "cursor", &cursor.to_string())?;
        meta_set(&tx, "cursor_proof", &format!("{cursor}:{cursor_proof}"))?;
        crate::materialise::commit(tx)?;
        if erased || applied.dropped > 0 {
            // The words of what left stay in the search index until it is merged; deleted
            // pages are zeroed (secure_delete); the write-ahead log still holds old copies
            // until it is checkpointed and truncated.
            self.purge_search()?;
            self.truncate_wal()?;
        }
        Ok(applied)
    }

    /// The server's proof of the current cursor, when it came with it.
    pub fn cursor_proof(&self) -> Result<Option<String>, StoreError> {
        let cursor = self.cursor()?;
        Ok(self.meta("cursor_proof")?.and_then(|p| {
            let (at, proof) = p.split_once(':')?;
            (at.parse::<u64>().ok()? == cursor).then(|| proof.to_string())
        }))
    }

    /// The server says what this user may see changed as a whole: start over from
    /// cursor 0, marking every record, until [`Store::finish_sweep`].
    pub fn begin_sweep(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("UPDATE docs SET sweep = 1", [])?;
        meta_set(&tx, "sweep", "1")?;
        meta_set(&tx, "cursor", "0")?;
        crate::materialise::commit(tx)?;
        Ok(())
    }

    pub fn sweeping(&self) -> Result<bool, StoreError> {
        Ok(self.meta("sweep")?.is_some())
    }

    /// Ends a start-over: deletes the records the server did not send again (they are
    /// no longer this user's), except those with changes still to send. Returns how
    /// many were deleted.
    pub fn finish_sweep(&mut self, now: i64) -> Result<usize, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let ids: Vec<String> = tx
            .prepare("SELECT id FROM docs WHERE sweep = 1 AND id NOT IN (SELECT doc_id FROM outbox)")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in &ids {
            drop_doc(&tx, id, now)?;
        }
        tx.execute("UPDATE docs SET sweep = 0", [])?;
        tx.execute("DELETE FROM meta WHERE key = 'sweep'", [])?;
        crate::materialise::commit(tx)?;
        if !ids.is_empty() {
            self.purge_search()?;
        }
        Ok(ids.len())
    }

    /// Records whose local copy is incomplete, to request whole.
    pub fn repairs(&self, limit: usize) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT doc_id FROM repairs LIMIT ?1")?;
        let rows = stmt.query_map(params![limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Removes every trace of an erased person's record: the record, its unsent changes and
/// its refused ones (which hold the data the user typed).
fn purge_doc(tx: &rusqlite::Transaction<'_>, doc_id: &str) -> Result<(), StoreError> {
    remove(tx, doc_id)?;
    tx.prepare_cached("DELETE FROM outbox WHERE doc_id = ?1")?.execute(params![doc_id])?;
    tx.prepare_cached("DELETE FROM rejections WHERE doc_id = ?1")?.execute(params![doc_id])?;
    Ok(())
}

/// Removes a record that is no longer this user's. Changes to it not yet sent move to
/// the refused changes with the reason, so nothing typed is lost.
fn drop_doc(tx: &rusqlite::Transaction<'_>, doc_id: &str, now: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO rejections (hash, doc_id, code, reason, data, at) \
         SELECT hash, doc_id, 'forbidden', ?2, data, ?3 FROM outbox WHERE doc_id = ?1",
    )?
    .execute(params![doc_id, DROPPED_REASON, now])?;
    tx.prepare_cached("DELETE FROM outbox WHERE doc_id = ?1")?.execute(params![doc_id])?;
    remove(tx, doc_id)
}

type Materialised = (crm_core::Record, Vec<crm_doc::Conflict>, Vec<u8>, String);

fn finish(doc: &mut RecordDoc) -> Result<Materialised, crm_doc::DocError> {
    let record = doc.read()?;
    let conflicts = doc.conflicts()?;
    let heads = doc.heads_text();
    Ok((record, conflicts, doc.save(), heads))
}
