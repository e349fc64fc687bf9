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
                "INSERT INTO rejections (hash, doc_id, code, reason, data, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (hash) DO UPDATE SET reason = excluded.reason, at = excluded.at",
            )?
            .execute(params![r.hash, r.doc_id, r.code, r.reason, data, now])?;
            tx.prepare_cached("DELETE FROM outbox WHERE hash = ?1")?.execute(params![r.hash])?;
        }
        let mut reverted: Vec<&RejectedChange> = rejected.iter().filter(|r| r.code == "forbidden").collect();
        reverted.dedup_by(|a, b| a.doc_id == b.doc_id);
        for r in &reverted {
            // Later changes of the record build on the refused one: they go with it.
            tx.prepare_cached(
                "INSERT OR IGNORE INTO rejections (hash, doc_id, code, reason, data, at) \
                 SELECT hash, doc_id, 'forbidden', ?2, data, ?3 FROM outbox WHERE doc_id = ?1",
            )?
            .execute(params![r.doc_id, r.reason, now])?;
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
        let mut stmt = self.conn.prepare("SELECT doc_id, hash, code, reason FROM rejections ORDER BY at DESC")?;
        let rows = stmt.query_map([], |r| {
            Ok(RejectedChange { doc_id: r.get(0)?, hash: r.get(1)?, code: r.get(2)?, reason: r.get(3)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
