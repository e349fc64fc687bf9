//! Applying what the server sent: snapshots of records new to this device, changes of
//! records it has. One page is one transaction, cursor included, so an interrupted sync
//! resumes from the last page applied.

use crate::materialise::write;
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
    },
    Changes {
        doc_id: String,
        changes: Vec<Vec<u8>>,
    },
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
}

impl Store {
    pub fn apply_pull(&mut self, items: Vec<PulledDoc>, cursor: u64, now: i64) -> Result<PullApplied, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut applied = PullApplied::default();
        for item in items {
            let doc_id = match &item {
                PulledDoc::Snapshot { doc_id, .. } | PulledDoc::Changes { doc_id, .. } => doc_id.clone(),
            };
            let local: Option<Vec<u8>> = tx
                .prepare_cached("SELECT data FROM docs WHERE id = ?1")?
                .query_row(params![doc_id], |r| r.get(0))
                .optional()?;
            let result = match (item, local) {
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
                (PulledDoc::Changes { changes, .. }, local) => {
                    let mut doc = match local {
                        Some(bytes) => RecordDoc::load(&bytes, &self.actor),
                        None => Ok(RecordDoc::empty(&self.actor)),
                    };
                    let parsed: Result<Vec<Change>, _> =
                        changes.iter().map(|c| Change::try_from(c.as_slice())).collect();
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
        tx.commit()?;
        Ok(applied)
    }

    /// Records whose local copy is incomplete, to request whole.
    pub fn repairs(&self, limit: usize) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT doc_id FROM repairs LIMIT ?1")?;
        let rows = stmt.query_map(params![limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

type Materialised = (crm_core::Record, Vec<crm_doc::Conflict>, Vec<u8>, String);

fn finish(doc: &mut RecordDoc) -> Result<Materialised, crm_doc::DocError> {
    let record = doc.read()?;
    let conflicts = doc.conflicts()?;
    let heads = doc.heads_text();
    Ok((record, conflicts, doc.save(), heads))
}
