//! The change log: storing pushed changes once, in order, and reading them back by
//! cursor.
//!
//! The cursor trap: a sequence number taken when a row is inserted can commit after a
//! larger one, and a reader that already moved its cursor past the larger one would
//! never see it. Here sequence numbers are taken from the `change_seq` counter row at
//! the very end of the pushing transaction; its row lock (PostgreSQL) or the single
//! writer (SQLite) is held until commit, so numbers become visible strictly in order
//! and `seq > cursor` never skips a row. See docs/sync-protocol.md.

use super::{Backend, Db};
use crate::auth::Session;
use crate::authz::{self, DocMeta};
use crate::push::{Merged, apply_doc_push};
use crm_protocol::{Bytes, PulledItem, RecordView, Rejection};
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Default)]
pub struct PushOutcome {
    pub acked: Vec<String>,
    pub rejected: Vec<Rejection>,
}

#[derive(Debug, Default)]
pub struct PullPage {
    pub items: Vec<PulledItem>,
    pub cursor: u64,
    pub more: bool,
    pub head: u64,
}

/// A test hook: runs after a push has taken its sequence numbers and before it commits,
/// so a test can hold a transaction open there and provoke the cursor race.
pub type BeforeCommitHook =
    std::sync::Arc<dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> + Send + Sync>;

/// Rows per multi-row statement: well under SQLite's and PostgreSQL's parameter limits.
const ROWS_PER_STATEMENT: usize = 500;

/// A record's new state, waiting for its sequence numbers.
struct DocWrite {
    id: String,
    merged: Merged,
    first_seq: i64,
    last_seq: i64,
}

impl Db {
    /// Stores the pushed changes, grouped by record, in one transaction, with a handful
    /// of statements whatever the batch size (every round trip counts on PostgreSQL).
    pub async fn push(
        &self,
        session: &Session,
        groups: Vec<(Uuid, Vec<Vec<u8>>)>,
        now: i64,
        before_commit: Option<&BeforeCommitHook>,
    ) -> anyhow::Result<PushOutcome> {
        let _writer = match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.lock().await),
            Backend::Postgres => None,
        };

        let mut outcome = PushOutcome::default();
        let mut tx = self.pool.begin().await?;
        let ids: Vec<String> = groups.iter().map(|(doc, _)| doc.to_string()).collect();
        if self.backend == Backend::Postgres {
            // Serialises pushes of the same record (new records included) across
            // transactions and server instances.
            // Locks are taken in key order, the same in every transaction: no deadlock.
            let mut keys: Vec<i64> = groups.iter().map(|(doc, _)| advisory_key(doc)).collect();
            keys.sort_unstable();
            for chunk in keys.chunks(ROWS_PER_STATEMENT) {
                let sql = format!(
                    "SELECT pg_advisory_xact_lock(k) FROM (SELECT k FROM (VALUES {}) AS v(k) ORDER BY k) AS t",
                    placeholders(chunk.len(), 1)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for key in chunk {
                    query = query.bind(*key);
                }
                query.fetch_all(&mut *tx).await?;
            }
        }
        let mut stored: HashMap<String, Vec<u8>> = HashMap::new();
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            let sql = format!("SELECT id, data FROM docs WHERE id IN ({})", list_placeholders(chunk.len()));
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(id);
            }
            for row in query.fetch_all(&mut *tx).await? {
                stored.insert(row.try_get("id")?, row.try_get("data")?);
            }
        }

        // Merging and validating: CPU only, before any lock on the log is taken.
        let mut writes: Vec<DocWrite> = Vec::new();
        let mut log_rows: Vec<(usize, String, Vec<u8>)> = Vec::new();
        for ((doc_id, changes), id) in groups.into_iter().zip(ids) {
            let result = apply_doc_push(session, doc_id, stored.get(&id).map(Vec::as_slice), &changes);
            outcome.acked.extend(result.duplicates);
            outcome.rejected.extend(result.rejected);
            let Some(merged) = result.merged else { continue };
            for (hash, bytes) in result.accepted {
                log_rows.push((writes.len(), hash, bytes));
            }
            writes.push(DocWrite { id, merged, first_seq: 0, last_seq: 0 });
        }
        if !log_rows.is_empty() {
            // Taken last and held to commit: this is what keeps the log gap-free in
            // commit order (see the module documentation).
            let last: i64 =
                sqlx::query("UPDATE counters SET value = value + $1 WHERE name = 'change_seq' RETURNING value")
                    .bind(log_rows.len() as i64)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("value")?;
            let first = last - log_rows.len() as i64 + 1;
            for (i, (doc, _, _)) in log_rows.iter().enumerate() {
                let seq = first + i as i64;
                let w = &mut writes[*doc];
                if w.first_seq == 0 {
                    w.first_seq = seq;
                }
                w.last_seq = seq;
            }
            for (n, chunk) in log_rows.chunks(ROWS_PER_STATEMENT).enumerate() {
                let sql = format!(
                    "INSERT INTO changes (seq, hash, doc_id, device_id, user_id, data, received_at) VALUES {} \
                     ON CONFLICT (hash) DO NOTHING",
                    placeholders(chunk.len(), 7)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (i, (doc, hash, bytes)) in chunk.iter().enumerate() {
                    query = query
                        .bind(first + (n * ROWS_PER_STATEMENT + i) as i64)
                        .bind(hash)
                        .bind(&writes[*doc].id)
                        .bind(&session.device_id)
                        .bind(&session.user_id)
                        .bind(bytes)
                        .bind(now);
                }
                query.execute(&mut *tx).await?;
            }
            for chunk in writes.chunks(ROWS_PER_STATEMENT) {
                upsert_docs(&mut tx, chunk, now).await?;
            }
            outcome.acked.extend(log_rows.into_iter().map(|(_, hash, _)| hash));
            if let Some(hook) = before_commit {
                hook().await;
            }
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// Up to `limit` log entries after `cursor` that `session` may read, as per-record
    /// items: a snapshot for a record first written after the cursor by someone else,
    /// the missing changes otherwise. The device's own changes are not sent back.
    pub async fn pull(&self, session: &Session, cursor: u64, limit: u32) -> anyhow::Result<PullPage> {
        let rows = sqlx::query(
            "SELECT c.seq, c.doc_id, c.device_id, c.data, d.first_seq, d.doc_type, d.owner_id, d.account_id, \
             CASE WHEN c.seq = d.first_seq THEN d.data END AS snapshot, \
             CASE WHEN c.seq = d.first_seq THEN d.fields END AS snapshot_fields, \
             CASE WHEN c.seq = d.first_seq THEN d.conflicts END AS snapshot_conflicts, \
             CASE WHEN c.seq = d.first_seq THEN d.heads END AS snapshot_heads \
             FROM changes c JOIN docs d ON d.id = c.doc_id \
             WHERE c.seq > $1 ORDER BY c.seq LIMIT $2",
        )
        .bind(cursor as i64)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        let head: i64 = sqlx::query("SELECT value FROM counters WHERE name = 'change_seq'")
            .fetch_one(&self.pool)
            .await?
            .try_get("value")?;
        let mut page =
            PullPage { cursor, more: rows.len() as u64 == limit as u64, head: head as u64, ..Default::default() };
        // Index of each record's item in `page.items`, and whether it is a snapshot.
        let mut slot: HashMap<String, (usize, bool)> = HashMap::new();
        for row in &rows {
            let seq: i64 = row.try_get("seq")?;
            page.cursor = seq as u64;
            let device: String = row.try_get("device_id")?;
            if device == session.device_id {
                continue;
            }
            let doc_id: String = row.try_get("doc_id")?;
            let doc_type: String = row.try_get("doc_type")?;
            let owner: Option<String> = row.try_get("owner_id")?;
            let account: Option<String> = row.try_get("account_id")?;
            let meta = DocMeta { doc_type: &doc_type, owner_id: owner.as_deref(), account_id: account.as_deref() };
            if !authz::can_read(session, &meta) {
                continue;
            }
            let doc = Uuid::parse_str(&doc_id)?;
            match slot.get(&doc_id) {
                Some((_, true)) => continue, // the snapshot already holds this change
                Some((index, false)) => {
                    if let PulledItem::Changes { changes, .. } = &mut page.items[*index] {
                        changes.push(Bytes(row.try_get("data")?));
                    }
                }
                None => {
                    let snapshot: Option<Vec<u8>> = row.try_get("snapshot")?;
                    let item = match snapshot {
                        Some(data) => PulledItem::Snapshot {
                            doc,
                            data: Bytes(data),
                            record: record_view(
                                &doc_type,
                                row.try_get("snapshot_fields")?,
                                row.try_get("snapshot_conflicts")?,
                                row.try_get("snapshot_heads")?,
                            ),
                        },
                        None => PulledItem::Changes { doc, changes: vec![Bytes(row.try_get("data")?)] },
                    };
                    let is_snapshot = matches!(item, PulledItem::Snapshot { .. });
                    slot.insert(doc_id, (page.items.len(), is_snapshot));
                    page.items.push(item);
                }
            }
        }
        Ok(page)
    }
}

impl Db {
    /// The current snapshots of the given records, those `session` may read.
    pub async fn snapshots(&self, session: &Session, ids: &[Uuid]) -> anyhow::Result<Vec<PulledItem>> {
        let mut items = Vec::new();
        for id in ids {
            let row = sqlx::query(
                "SELECT doc_type, owner_id, account_id, data, fields, conflicts, heads FROM docs WHERE id = $1",
            )
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
            let Some(row) = row else { continue };
            let doc_type: String = row.try_get("doc_type")?;
            let owner: Option<String> = row.try_get("owner_id")?;
            let account: Option<String> = row.try_get("account_id")?;
            let meta = DocMeta { doc_type: &doc_type, owner_id: owner.as_deref(), account_id: account.as_deref() };
            if authz::can_read(session, &meta) {
                let record =
                    record_view(&doc_type, row.try_get("fields")?, row.try_get("conflicts")?, row.try_get("heads")?);
                items.push(PulledItem::Snapshot { doc: *id, data: Bytes(row.try_get("data")?), record });
            }
        }
        Ok(items)
    }
}

/// Writes the merged documents and their materialised fields.
async fn upsert_docs(tx: &mut sqlx::Transaction<'_, sqlx::Any>, writes: &[DocWrite], now: i64) -> anyhow::Result<()> {
    let sql = format!(
        "INSERT INTO docs (id, doc_type, data, account_id, owner_id, label, fields, updated_at, heads, conflicts, \
         first_seq, last_seq) VALUES {} \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, account_id = excluded.account_id, \
         owner_id = excluded.owner_id, label = excluded.label, fields = excluded.fields, \
         updated_at = excluded.updated_at, heads = excluded.heads, conflicts = excluded.conflicts, \
         first_seq = COALESCE(docs.first_seq, excluded.first_seq), last_seq = excluded.last_seq",
        placeholders(writes.len(), 12)
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for w in writes {
        let record = &w.merged.record;
        query = query
            .bind(w.id.clone())
            .bind(record.record_type.as_str())
            .bind(w.merged.data.clone())
            .bind(record.account_id())
            .bind(record.text("owner").map(str::to_string))
            .bind(record.label())
            .bind(serde_json::to_string(&record.fields)?)
            .bind(now)
            .bind(w.merged.heads.clone())
            .bind(serde_json::to_string(&w.merged.conflicts)?)
            .bind(w.first_seq)
            .bind(w.last_seq);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// `($1, $2), ($3, $4), …`: `rows` tuples of `cols` numbered placeholders.
fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| format!("${}", r * cols + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$1, $2, …, $n`
fn list_placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// The stored materialisation of a record, or `None` when it is missing or unreadable
/// (the device then reads the document itself).
fn record_view(
    doc_type: &str,
    fields: Option<String>,
    conflicts: Option<String>,
    heads: Option<String>,
) -> Option<RecordView> {
    let heads = heads.filter(|h| !h.is_empty())?;
    Some(RecordView {
        record_type: doc_type.to_string(),
        fields: serde_json::from_str(&fields?).ok()?,
        conflicts: serde_json::from_str(&conflicts?).ok()?,
        heads,
    })
}

/// The 64-bit key of a record's PostgreSQL advisory lock.
fn advisory_key(doc: &Uuid) -> i64 {
    let b = doc.as_bytes();
    i64::from_le_bytes([b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]])
}
