//! The outbox: local changes waiting for the server's acknowledgement.

use crate::{Store, StoreError};
use crm_doc::RecordDoc;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

#[derive(Clone, Debug)]
pub struct OutboxItem {
    pub seq: i64,
    pub hash: String,
    pub doc_id: String,
    pub data: Vec<u8>,
}

/// A local change the server refused, kept with the reason.
#[derive(Clone, Debug, Serialize)]
pub struct RejectedChange {
    pub doc_id: String,
    pub hash: String,
    pub code: String,
    pub reason: String,
    /// The reason as a code the app tells in the user's language (from servers that send it).
    pub problem: Option<crm_core::Problem>,
}

/// A refused change with what it held: the record it was for and the fields it set, so
/// the user can see what they typed and copy or redo it.
#[derive(Clone, Debug, Serialize)]
pub struct RefusedChange {
    pub rejection: RejectedChange,
    /// When it was refused (milliseconds since 1970).
    pub at_ms: i64,
    /// When it was made, on this device.
    pub made_at_ms: Option<i64>,
    pub record_type: Option<crm_core::RecordType>,
    /// The fields it set (`None`: cleared); empty when the change cannot be read back.
    pub fields: std::collections::BTreeMap<String, Option<crm_core::FieldValue>>,
}

/// A rejection, when it happened, and the change's bytes.
type RefusedRow = (RejectedChange, i64, Option<Vec<u8>>);
/// A refused record read back: its type and its changes.
type ReadBack = (Option<crm_core::RecordType>, Vec<crm_doc::HistoryEntry>);

fn problem_text(r: &RejectedChange) -> Option<String> {
    r.problem.as_ref().and_then(|p| serde_json::to_string(p).ok())
}

impl Store {
    /// The oldest unsent changes: at most `limit` of them and `max_bytes` of change data
    /// (always at least one, so a large change is never stuck behind the limit).
    pub fn outbox_batch(&self, limit: usize, max_bytes: usize) -> Result<Vec<OutboxItem>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT seq, hash, doc_id, data FROM outbox ORDER BY seq LIMIT ?1")?;
        let rows = stmt.query_map(params![limit as i64], |r| {
            Ok(OutboxItem { seq: r.get(0)?, hash: r.get(1)?, doc_id: r.get(2)?, data: r.get(3)? })
        })?;
        let mut batch = Vec::new();
        let mut bytes = 0;
        for item in rows {
            let mut item = item?;
            // Queued compressed by an earlier version: sent in the plain form the server
            // takes (same change, same hash).
            if item.data.get(8) == Some(&2)
                && let Ok(change) = crm_doc::Change::try_from(item.data.as_slice())
            {
                item.data = change.raw_bytes().to_vec();
            }
            bytes += item.data.len();
            if bytes > max_bytes && !batch.is_empty() {
                break;
            }
            batch.push(item);
        }
        Ok(batch)
    }

    pub fn pending_count(&self) -> Result<u64, StoreError> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Records the server's answer to a push: acknowledged changes leave the outbox;
    /// refused ones move to `rejections` with their reason (nothing is deleted), except
    /// those refused for missing history, which are re-queued with the record's whole
    /// history behind them.
    /// A record whose change was refused as forbidden is taken back to the server's
    /// version: its local copy is removed (the refused changes stay in `rejections`,
    /// data included) and asked for whole at the next round, so the device never shows
    /// what the server did not accept. Returns how many records were taken back.
    pub fn settle_push(
        &mut self,
        acked: &[String],
        rejected: &[RejectedChange],
        now: i64,
    ) -> Result<usize, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for hash in acked {
            tx.prepare_cached("DELETE FROM outbox WHERE hash = ?1")?.execute(params![hash])?;
        }
        for r in rejected {
            if r.code == "missing_deps" {
                let data: Option<Vec<u8>> = tx
                    .query_row("SELECT data FROM docs WHERE id = ?1", params![r.doc_id], |row| row.get(0))
                    .optional()?;
                if let Some(data) = data {
                    let mut doc = RecordDoc::load(&data, &self.actor)?;
                    // The record's whole history goes to the back of the queue, oldest
                    // first, so the server can rebuild what it lost.
                    tx.prepare_cached("DELETE FROM outbox WHERE doc_id = ?1")?.execute(params![r.doc_id])?;
                    for change in doc.all_changes() {
                        crate::records::queue_change(&tx, &r.doc_id, change)?;
                    }
                }
                continue;
            }
            let data: Option<Vec<u8>> = tx
                .query_row("SELECT data FROM outbox WHERE hash = ?1", params![r.hash], |row| row.get(0))
                .optional()?;
            tx.prepare_cached(
                "INSERT INTO rejections (hash, doc_id, code, reason, data, at, problem) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (hash) DO UPDATE SET reason = excluded.reason, at = excluded.at, problem = excluded.problem",
            )?
            .execute(params![r.hash, r.doc_id, r.code, r.reason, data, now, problem_text(r)])?;
            tx.prepare_cached("DELETE FROM outbox WHERE hash = ?1")?.execute(params![r.hash])?;
        }
        let mut reverted: Vec<&RejectedChange> = rejected.iter().filter(|r| r.code == "forbidden").collect();
        reverted.dedup_by(|a, b| a.doc_id == b.doc_id);
        for r in &reverted {
            // Later changes of the record build on the refused one: they go with it.
            tx.prepare_cached(
                "INSERT OR IGNORE INTO rejections (hash, doc_id, code, reason, data, at, problem) \
                 SELECT hash, doc_id, 'forbidden', ?2, data, ?3, ?4 FROM outbox WHERE doc_id = ?1",
            )?
            .execute(params![r.doc_id, r.reason, now, problem_text(r)])?;
            tx.prepare_cached("DELETE FROM outbox WHERE doc_id = ?1")?.execute(params![r.doc_id])?;
            crate::materialise::remove(&tx, &r.doc_id)?;
            tx.prepare_cached("INSERT OR IGNORE INTO repairs (doc_id) VALUES (?1)")?.execute(params![r.doc_id])?;
        }
        crate::materialise::commit(tx)?;
        Ok(reverted.len())
    }

    /// The server's log was restored from a backup: queues every record's whole history
    /// (the server keeps what it lacks and acknowledges the rest) and pulls from the
    /// beginning. Returns how many changes were queued.
    pub fn resend_everything(&mut self) -> Result<usize, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let ids: Vec<String> =
            tx.prepare("SELECT id FROM docs ORDER BY id")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut queued = 0;
        for id in &ids {
            let data: Vec<u8> = tx.query_row("SELECT data FROM docs WHERE id = ?1", params![id], |r| r.get(0))?;
            let mut doc = RecordDoc::load(&data, &self.actor)?;
            for change in doc.all_changes() {
                crate::records::queue_change(&tx, id, change)?;
                queued += 1;
            }
        }
        crate::meta_set(&tx, "cursor", "0")?;
        crate::materialise::commit(tx)?;
        Ok(queued)
    }

    /// Forgets records asked for whole that the server did not send: they do not exist
    /// for this user (a refused creation, a record outside what they may see).
    pub fn forget_repairs(&mut self, ids: &[String]) -> Result<(), StoreError> {
        for id in ids {
            self.conn.execute("DELETE FROM repairs WHERE doc_id = ?1", params![id])?;
        }
        Ok(())
    }

    /// Changes the server refused, newest first.
    pub fn rejections(&self) -> Result<Vec<RejectedChange>, StoreError> {
        Ok(self.refused_rows()?.into_iter().map(|(r, _, _)| r).collect())
    }

    fn refused_rows(&self) -> Result<Vec<RefusedRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT doc_id, hash, code, reason, problem, at, data FROM rejections ORDER BY at DESC, rowid DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            let problem: Option<String> = r.get(4)?;
            Ok((
                RejectedChange {
                    doc_id: r.get(0)?,
                    hash: r.get(1)?,
                    code: r.get(2)?,
                    reason: r.get(3)?,
                    problem: problem.and_then(|p| serde_json::from_str(&p).ok()),
                },
                r.get(5)?,
                r.get(6)?,
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The refused changes with the record they were for and the fields they set, newest
    /// first. Each record's refused changes are read back on top of what this device
    /// holds of it (nothing, for a refused creation).
    pub fn refused_changes(&self) -> Result<Vec<RefusedChange>, StoreError> {
        let rows = self.refused_rows()?;
        let mut docs: std::collections::HashMap<String, Option<RecordDoc>> = std::collections::HashMap::new();
        for (r, _, data) in &rows {
            let doc = docs.entry(r.doc_id.clone()).or_insert_with(|| {
                let base: Option<Vec<u8>> = self
                    .conn
                    .query_row("SELECT data FROM docs WHERE id = ?1", params![r.doc_id], |row| row.get(0))
                    .optional()
                    .ok()
                    .flatten();
                match base {
                    Some(bytes) => RecordDoc::load(&bytes, &self.actor).ok(),
                    None => Some(RecordDoc::empty(&self.actor)),
                }
            });
            if let (Some(doc), Some(change)) =
                (doc.as_mut(), data.as_deref().and_then(|d| crm_doc::decode_change(d).ok()))
            {
                // A change whose history is missing stays unread (no fields shown).
                let _ = doc.apply_changes(vec![change]);
            }
        }
        let mut read: std::collections::HashMap<String, ReadBack> = std::collections::HashMap::new();
        for (id, doc) in docs {
            let Some(mut doc) = doc else { continue };
            let record_type = doc.record_type().ok();
            read.insert(id, (record_type, doc.history().unwrap_or_default()));
        }
        Ok(rows
            .into_iter()
            .map(|(rejection, at_ms, _)| {
                let (record_type, history) =
                    read.get(&rejection.doc_id).map(|(t, h)| (*t, h.as_slice())).unwrap_or((None, &[]));
                let entry = history.iter().find(|e| e.hash == rejection.hash);
                RefusedChange {
                    at_ms,
                    made_at_ms: entry.map(|e| e.at_ms),
                    record_type,
                    fields: entry.map(|e| e.fields.clone()).unwrap_or_default(),
                    rejection,
                }
            })
            .collect())
    }

    /// Forgets a refused change the user has dealt with (copied, redone, or let go).
    pub fn dismiss_rejection(&mut self, hash: &str) -> Result<bool, StoreError> {
        Ok(self.conn.execute("DELETE FROM rejections WHERE hash = ?1", params![hash])? > 0)
    }
}
