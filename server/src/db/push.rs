//! Storing a push: load and lock what it touches, merge (CPU, on the blocking pool),
//! lock the log, read the owners as they are now, let [`crate::push::plan`] decide,
//! then number and store what it accepted, in one transaction.

use super::sql::{ROWS_PER_STATEMENT, placeholders, select_in};
use super::write::WriteTx;
use super::{Db, DbError};
use crate::auth::Session;
use crate::push::{self, Author, DocPushOutcome, Facts, RecordWrite, StoredDoc};
use crm_core::RecordType;
use crm_doc::DeviceActor;
use crm_protocol::Rejection;
use sqlx::Row;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, Default)]
pub struct PushOutcome {
    pub acked: Vec<String>,
    pub rejected: Vec<Rejection>,
}

/// A test hook: runs after a push has taken its sequence numbers and before it commits,
/// so a test can hold a transaction open there and provoke the cursor race.
pub type BeforeCommitHook =
    std::sync::Arc<dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> + Send + Sync>;

impl Db {
    /// Stores the pushed changes, grouped by record, in one transaction, with a handful
    /// of statements whatever the batch size (every round trip counts on PostgreSQL).
    /// Each record's changes are accepted or refused together.
    pub async fn push(
        &self,
        session: &Session,
        groups: Vec<(Uuid, Vec<Vec<u8>>)>,
        now: i64,
        before_commit: Option<&BeforeCommitHook>,
    ) -> Result<PushOutcome, DbError> {
        let viewer = self.viewer(session).await?;
        let relay = self.log_state().await?.recovering(now);
        let context = PushContext { viewer: &viewer, relay, max_doc_bytes: push::MAX_DOC_BYTES };
        self.push_with(session, &context, groups, now, before_commit).await
    }

    /// [`Db::push`] with what the request already knows: the user as the rules see
    /// them, whether the log is recovering from a restore, the largest record kept.
    pub async fn push_with(
        &self,
        session: &Session,
        context: &PushContext<'_>,
        groups: Vec<(Uuid, Vec<Vec<u8>>)>,
        now: i64,
        before_commit: Option<&BeforeCommitHook>,
    ) -> Result<PushOutcome, DbError> {
        let viewer = context.viewer;
        let device = Uuid::parse_str(&session.device_id).map_err(|e| anyhow::anyhow!("device id: {e}"))?;
        let territories = if session.role == crm_core::Role::Rep { Vec::new() } else { self.territories().await? };
        let author = Arc::new(Author {
            device: DeviceActor::from_device_id(&device),
            relay: context.relay,
            user_id: session.user_id.clone(),
            role: session.role,
            territories: Arc::new(territories),
            now,
            max_doc_bytes: context.max_doc_bytes,
        });

        // Decoding and the log's index need no lock: a change logged meanwhile by
        // another push is found again when its record is merged. A large push first asks
        // the log which of its changes it has (a push sent again then costs an index
        // lookup, not the loading of its records); a small one is merged at once.
        let doc_ids: Vec<Uuid> = groups.iter().map(|(doc, _)| *doc).collect();
        let bytes: usize = groups.iter().flat_map(|(_, changes)| changes).map(Vec::len).sum();
        let decoded = decode_all(groups).await?;
        let mut logged: HashSet<String> = HashSet::new();
        if bytes > LOOK_UP_FROM_BYTES {
            let hashes: Vec<String> = decoded.iter().flat_map(|(_, d)| push::hashes(d)).collect();
            for query in select_in(self.backend, "SELECT hash FROM changes WHERE hash IN ({list})", &hashes) {
                for row in query.fetch_all(&self.pool).await? {
                    logged.insert(row.try_get("hash")?);
                }
            }
        }

        let mut tx = self.write_tx().await?;
        tx.lock_records(&doc_ids).await?;
        let ids: Vec<String> = doc_ids.iter().map(Uuid::to_string).collect();
        let mut stored: HashMap<String, StoredDoc> = HashMap::new();
        let mut owners: HashMap<String, (RecordType, Option<String>)> = HashMap::new();
        let sql = "SELECT id, doc_type, owner_id, data, reset_seq FROM docs WHERE id IN ({list})";
        for query in select_in(tx.backend(), sql, &ids) {
            for row in query.fetch_all(tx.conn()).await? {
                let id: String = row.try_get("id")?;
                if let Ok(kind) = row.try_get::<String, _>("doc_type")?.parse::<RecordType>() {
                    owners.insert(id.clone(), (kind, row.try_get("owner_id")?));
                }
                let doc = StoredDoc { data: row.try_get("data")?, erased: row.try_get::<i64, _>("reset_seq")? > 0 };
                stored.insert(id, doc);
            }
        }
        let merged = merge_all(decoded, stored, Arc::new(logged), author).await?;

        tx.lock_log().await?;
        let facts_stored = current_owners(&mut tx, &merged, owners).await?;
        let plan = push::plan(merged, &Facts { viewer, stored: &facts_stored, now });
        let writes = plan.writes;
        if !writes.is_empty() {
            store(&mut tx, session, &writes, now).await?;
            super::record_events(&mut tx, &writes, now).await?;
            if let Some(hook) = before_commit {
                hook().await;
            }
        }
        tx.commit().await?;

        // Deletions and relayed changes go to the security log (ids, never content).
        for w in &writes {
            let was_deleted = w.merged.before.as_ref().is_some_and(|b| b.is_deleted());
            if w.merged.record.is_deleted() && !was_deleted {
                self.audit(&session.email, "record_deleted", &w.id, w.merged.record.record_type.as_str(), now).await?;
            }
        }
        let relayed = writes.iter().flat_map(|w| &w.changes).filter(|c| c.relayed).count();
        if relayed > 0 {
            self.audit(&session.email, "changes_relayed", &session.device_id, &relayed.to_string(), now).await?;
        }
        Ok(PushOutcome { acked: plan.acked, rejected: plan.rejected })
    }
}

/// What a push needs from its request (see [`Db::push_with`]).
pub struct PushContext<'a> {
    pub viewer: &'a crm_core::permissions::Viewer,
    pub relay: bool,
    pub max_doc_bytes: usize,
}

/// Pushes carrying more change data than this first look their changes up in the log.
const LOOK_UP_FROM_BYTES: usize = 256 * 1024;

/// Merges under way at once, across all requests: one per core. Merging is CPU work
/// (and a record's document in memory): more at once would only hold more memory.
static MERGES: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
});

/// Decodes every pushed change on the blocking pool (bounded cost per change, see
/// `crm_doc::decode_change`).
async fn decode_all(groups: Vec<(Uuid, Vec<Vec<u8>>)>) -> Result<Vec<(Uuid, Vec<push::Decoded>)>, DbError> {
    let decoded = tokio::task::spawn_blocking(move || {
        groups.into_iter().map(|(doc, changes)| (doc, push::decode_all(&changes))).collect()
    });
    Ok(decoded.await.map_err(|e| anyhow::anyhow!("decoding failed: {e}"))?)
}

/// Merges every record of the batch on the blocking pool (never on the threads serving
/// requests), one share per core, each share when a core is free.
async fn merge_all(
    decoded: Vec<(Uuid, Vec<push::Decoded>)>,
    mut stored: HashMap<String, StoredDoc>,
    logged: Arc<HashSet<String>>,
    author: Arc<Author>,
) -> Result<Vec<DocPushOutcome>, DbError> {
    let jobs: Vec<(Uuid, Option<StoredDoc>, Vec<push::Decoded>)> =
        decoded.into_iter().map(|(doc, changes)| (doc, stored.remove(&doc.to_string()), changes)).collect();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let share = jobs.len().div_ceil(cores).max(1);
    let mut shares = Vec::new();
    let mut jobs = jobs.into_iter().peekable();
    while jobs.peek().is_some() {
        let part: Vec<_> = jobs.by_ref().take(share).collect();
        let (author, logged) = (author.clone(), logged.clone());
        let core = MERGES.acquire().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        shares.push(tokio::task::spawn_blocking(move || {
            let _core = core;
            part.into_iter()
                .map(|(doc, old, changes)| push::merge_record(doc, old.as_ref(), changes, &logged, &author))
                .collect::<Vec<_>>()
        }));
    }
    let mut merged = Vec::new();
    for share in shares {
        merged.extend(share.await.map_err(|e| anyhow::anyhow!("a merge failed: {e}"))?);
    }
    Ok(merged)
}

/// The type and effective owner, as stored now, of the batch's records and of the
/// accounts and deals they hang from. `read` holds the batch's, read under the records'
/// locks: still true where one writer at a time holds the database (SQLite); read again
/// where a reassignment may have committed since (PostgreSQL).
async fn current_owners(
    tx: &mut WriteTx<'_>,
    merged: &[DocPushOutcome],
    read: HashMap<String, (RecordType, Option<String>)>,
) -> Result<HashMap<String, (RecordType, Option<String>)>, DbError> {
    let fresh = tx.sees_every_commit();
    let mut out = if fresh { read } else { HashMap::new() };
    // The batch's own records were all read already (those absent are new) when
    // nothing committed since.
    let mut wanted: BTreeSet<String> =
        if fresh { BTreeSet::new() } else { merged.iter().map(|o| o.doc_id.to_string()).collect() };
    for m in merged.iter().filter_map(|o| o.merged.as_ref()) {
        wanted.extend(m.record.text("account").map(str::to_string));
        if m.record.record_type == RecordType::Contract {
            wanted.extend(m.record.text("deal").map(str::to_string));
        }
    }
    let batch: HashSet<String> = merged.iter().map(|o| o.doc_id.to_string()).collect();
    let wanted: Vec<String> =
        wanted.into_iter().filter(|id| !(out.contains_key(id) || fresh && batch.contains(id))).collect();
    let sql = "SELECT id, doc_type, owner_id FROM docs WHERE id IN ({list})";
    for query in select_in(tx.backend(), sql, &wanted) {
        for row in query.fetch_all(tx.conn()).await? {
            let Ok(kind) = row.try_get::<String, _>("doc_type")?.parse::<RecordType>() else { continue };
            out.insert(row.try_get("id")?, (kind, row.try_get("owner_id")?));
        }
    }
    Ok(out)
}

/// Numbers and stores the accepted records: their changes in the log, a scope entry
/// (a log row without change data, naming the previous owner) for each record that
/// changed hands and for each record following a reassigned account, and the merged
/// documents.
async fn store(tx: &mut WriteTx<'_>, session: &Session, writes: &[RecordWrite], now: i64) -> Result<(), DbError> {
    let backend = tx.backend();
    // Records hanging from a reassigned account follow it.
    let mut followers: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    for w in writes.iter().filter(|w| w.moved_from.is_some() && w.merged.record.record_type == RecordType::Account) {
        let rows =
            sqlx::query("SELECT id, owner_id FROM docs WHERE account_id = $1 AND inherits_owner = 1 AND id <> $1")
                .bind(&w.id)
                .fetch_all(tx.conn())
                .await?;
        for row in rows {
            let id: String = row.try_get("id")?;
            if !writes.iter().any(|x| x.id == id) {
                followers.push((id, row.try_get("owner_id")?, w.owner.clone()));
            }
        }
    }
    let changes: usize = writes.iter().map(|w| w.changes.len()).sum();
    let moved = writes.iter().filter(|w| w.moved_from.is_some()).count() + followers.len();
    let first = tx.take_seqs((changes + moved) as i64).await?;

    // (seq, hash, doc, device, data, prev_owner, relayed)
    type LogRow<'a> = (i64, String, &'a str, &'a str, &'a [u8], Option<String>, bool);
    let mut rows: Vec<LogRow<'_>> = Vec::new();
    let mut seqs: Vec<(i64, i64)> = Vec::new(); // per write: first and last seq of its changes
    let mut next = first;
    for w in writes {
        let start = next;
        for c in &w.changes {
            let device = if c.by_server { "server" } else { session.device_id.as_str() };
            rows.push((next, c.hash.clone(), &w.id, device, &c.bytes, None, c.relayed));
            next += 1;
        }
        seqs.push((start, next - 1));
    }
    let mut scope_seqs: Vec<i64> = Vec::new();
    for w in writes {
        match &w.moved_from {
            Some(prev) => {
                rows.push((next, format!("scope:{next}"), &w.id, "", &[], prev.clone(), false));
                scope_seqs.push(next);
                next += 1;
            }
            None => scope_seqs.push(0),
        }
    }
    for (id, prev, owner) in &followers {
        rows.push((next, format!("scope:{next}"), id, "", &[], prev.clone(), false));
        sqlx::query("UPDATE docs SET owner_id = $1, scope_seq = $2 WHERE id = $3")
            .bind(owner.clone())
            .bind(next)
            .bind(id)
            .execute(tx.conn())
            .await?;
        next += 1;
    }
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO changes (seq, hash, doc_id, device_id, user_id, data, received_at, prev_owner, relayed) \
             VALUES {} ON CONFLICT (hash) DO NOTHING",
            placeholders(backend, chunk.len(), 9)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (seq, hash, doc, device, bytes, prev, relayed) in chunk {
            query = query
                .bind(*seq)
                .bind(hash.clone())
                .bind(doc.to_string())
                .bind(device.to_string())
                .bind(&session.user_id)
                .bind(bytes.to_vec())
                .bind(now)
                .bind(prev.clone())
                .bind(*relayed as i64);
        }
        query.execute(tx.conn()).await?;
    }
    let docs: Vec<(&RecordWrite, (i64, i64), i64)> =
        writes.iter().zip(seqs).zip(scope_seqs).map(|((w, s), scope)| (w, s, scope)).collect();
    for chunk in docs.chunks(ROWS_PER_STATEMENT) {
        upsert_docs(tx, chunk, now).await?;
    }
    Ok(())
}

/// Writes the merged documents and their materialised fields.
async fn upsert_docs(
    tx: &mut WriteTx<'_>,
    writes: &[(&RecordWrite, (i64, i64), i64)],
    now: i64,
) -> Result<(), DbError> {
    let sql = format!(
        "INSERT INTO docs (id, doc_type, data, account_id, owner_id, label, fields, updated_at, heads, conflicts, \
         first_seq, last_seq, inherits_owner, scope_seq) VALUES {} \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, account_id = excluded.account_id, \
         owner_id = excluded.owner_id, label = excluded.label, fields = excluded.fields, \
         updated_at = excluded.updated_at, heads = excluded.heads, conflicts = excluded.conflicts, \
         first_seq = COALESCE(docs.first_seq, excluded.first_seq), last_seq = excluded.last_seq, \
         inherits_owner = excluded.inherits_owner, \
         scope_seq = CASE WHEN excluded.scope_seq > 0 THEN excluded.scope_seq ELSE docs.scope_seq END",
        placeholders(tx.backend(), writes.len(), 14)
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (w, (first_seq, last_seq), scope_seq) in writes {
        let record = &w.merged.record;
        query = query
            .bind(w.id.clone())
            .bind(record.record_type.as_str())
            .bind(w.merged.data.clone())
            .bind(record.account_id())
            .bind(w.owner.clone())
            .bind(record.label())
            .bind(serde_json::to_string(&record.fields).map_err(anyhow::Error::from)?)
            .bind(now)
            .bind(w.merged.heads.clone())
            .bind(serde_json::to_string(&w.merged.conflicts).map_err(anyhow::Error::from)?)
            .bind(*first_seq)
            .bind(*last_seq)
            .bind(w.inherits as i64)
            .bind(*scope_seq);
    }
    query.execute(tx.conn()).await?;
    Ok(())
}
