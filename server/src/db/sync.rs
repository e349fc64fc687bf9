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
use crate::authz;
use crate::push::{DocPushOutcome, Merged, apply_doc_push};
use crm_core::RecordType;
use crm_core::permissions::{self, Viewer};
use crm_protocol::{Bytes, PulledItem, RecordView, RejectCode, Rejection};
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
    /// The effective owner after the push, and whether it comes from the account.
    owner: Option<String>,
    inherits: bool,
    /// The record changed hands: devices that saw it must be told (see `pull`).
    moved: bool,
    first_seq: i64,
    last_seq: i64,
    scope_seq: i64,
}

/// One record of a push, to merge: its id (parsed and as text), what is stored of it,
/// and the pushed changes.
type MergeJob = (Uuid, String, Option<StoredDoc>, Vec<Vec<u8>>);

/// What is stored of a record when a push arrives.
struct StoredDoc {
    data: Vec<u8>,
    owner: Option<String>,
    erased: bool,
}

impl Db {
    /// Stores the pushed changes, grouped by record, in one transaction, with a handful
    /// of statements whatever the batch size (every round trip counts on PostgreSQL).
    /// Each record's changes are accepted or refused together: malformed, invalid, or
    /// forbidden by the permission matrix (see `authz`).
    pub async fn push(
        &self,
        session: &Session,
        groups: Vec<(Uuid, Vec<Vec<u8>>)>,
        now: i64,
        before_commit: Option<&BeforeCommitHook>,
    ) -> anyhow::Result<PushOutcome> {
        let viewer = self.viewer(session).await?;
        let _writer = match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.lock().await),
            Backend::Postgres => None,
        };

        let mut outcome = PushOutcome::default();
        let mut tx = self.begin_write().await?;
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
                    placeholders(self.backend, chunk.len(), 1)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for key in chunk {
                    query = query.bind(*key);
                }
                query.fetch_all(&mut *tx).await?;
            }
        }
        let mut stored: HashMap<String, StoredDoc> = HashMap::new();
        let sql = "SELECT id, data, owner_id, reset_seq FROM docs WHERE id IN ({list})";
        for query in select_in(self.backend, sql, &ids) {
            for row in query.fetch_all(&mut *tx).await? {
                let doc = StoredDoc {
                    data: row.try_get("data")?,
                    owner: row.try_get("owner_id")?,
                    erased: row.try_get::<i64, _>("reset_seq")? > 0,
                };
                stored.insert(row.try_get("id")?, doc);
            }
        }

        // Merging and validating: CPU only, before any lock on the log is taken, on the
        // blocking pool (never on the threads serving requests), one share per core.
        let jobs: Vec<MergeJob> = groups
            .into_iter()
            .zip(ids)
            .map(|((doc_id, changes), id)| {
                let old = stored.remove(&id);
                (doc_id, id, old, changes)
            })
            .collect();
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let share = jobs.len().div_ceil(cores).max(1);
        let mut shares = Vec::new();
        let mut jobs = jobs.into_iter().peekable();
        while jobs.peek().is_some() {
            let part: Vec<_> = jobs.by_ref().take(share).collect();
            shares.push(tokio::task::spawn_blocking(move || {
                part.into_iter()
                    .map(|(doc_id, id, old, changes)| {
                        let (data, erased) =
                            old.as_ref().map_or((None, false), |s| (Some(s.data.as_slice()), s.erased));
                        let result = apply_doc_push(doc_id, data, erased, &changes);
                        (doc_id, id, result, old.and_then(|s| s.owner))
                    })
                    .collect::<Vec<_>>()
            }));
        }
        let mut merged: Vec<(Uuid, String, DocPushOutcome)> = Vec::new();
        let mut stored_owners: HashMap<String, Option<String>> = HashMap::new();
        for share in shares {
            for (doc_id, id, result, owner) in share.await? {
                stored_owners.insert(id.clone(), owner);
                merged.push((doc_id, id, result));
            }
        }

        // New accounts and leads without an owner get one: the territory rules, else
        // their author (a rep's are always theirs). The server writes it as its own change.
        let mut server_hashes: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut territories: Option<Vec<super::Territory>> = None;
        for (_, _, result) in &mut merged {
            let Some(m) = result.merged.as_mut() else { continue };
            let unowned = m.before.is_none()
                && matches!(m.record.record_type, RecordType::Account | RecordType::Lead)
                && permissions::own_owner(&m.record).is_none();
            if !unowned {
                continue;
            }
            let owner = if viewer.role == crm_core::Role::Rep {
                viewer.user_id.clone()
            } else {
                if territories.is_none() {
                    territories = Some(self.territories().await?);
                }
                let rules = territories.as_deref().unwrap_or_default();
                rules
                    .iter()
                    .find(|t| t.matches(&m.record))
                    .map_or_else(|| viewer.user_id.clone(), |t| t.owner_id.clone())
            };
            if let Some((hash, bytes)) = assign_owner(m, &owner, now)? {
                server_hashes.insert(hash.clone());
                result.accepted.push((hash, bytes));
            }
        }

        // Who owns what: accounts pushed in this batch, then the stored ones.
        let mut account_owners: HashMap<String, Option<String>> = HashMap::new();
        for (_, id, result) in &merged {
            if let Some(m) = result.merged.as_ref().filter(|m| m.record.record_type == RecordType::Account) {
                account_owners.insert(id.clone(), permissions::own_owner(&m.record).map(str::to_string));
            }
        }
        let wanted: Vec<String> = merged
            .iter()
            .filter_map(|(_, _, r)| r.merged.as_ref())
            .filter(|m| permissions::inherits_owner(&m.record))
            .filter_map(|m| m.record.text("account").map(str::to_string))
            .filter(|a| !account_owners.contains_key(a))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let sql = "SELECT id, owner_id FROM docs WHERE doc_type = 'account' AND id IN ({list})";
        for query in select_in(self.backend, sql, &wanted) {
            for row in query.fetch_all(&mut *tx).await? {
                account_owners.insert(row.try_get("id")?, row.try_get("owner_id")?);
            }
        }

        let mut writes: Vec<DocWrite> = Vec::new();
        let mut log_rows: Vec<(usize, String, Vec<u8>)> = Vec::new();
        let mut moved_accounts: Vec<(String, Option<String>)> = Vec::new();
        for (doc_id, id, mut result) in merged {
            let owner = result
                .merged
                .as_ref()
                .map(|m| authz::effective_owner(&m.record, |account| account_owners.get(account).cloned().flatten()));
            if let (Some(m), Some(owner)) = (&result.merged, &owner) {
                let old_owner = stored_owners.get(&id).and_then(|o| o.as_deref());
                let before = m.before.as_ref().map(|b| (b, old_owner));
                if let Err(reason) = authz::can_write(&viewer, before, (&m.record, owner.as_deref())) {
                    result.refuse(doc_id, RejectCode::Forbidden, &reason);
                }
            }
            outcome.acked.extend(result.duplicates);
            outcome.rejected.extend(result.rejected);
            let (Some(merged), Some(owner)) = (result.merged, owner) else { continue };
            for (hash, bytes) in result.accepted {
                log_rows.push((writes.len(), hash, bytes));
            }
            let moved = merged.before.is_some() && stored_owners.get(&id).and_then(|o| o.as_ref()) != owner.as_ref();
            if moved && merged.record.record_type == RecordType::Account {
                moved_accounts.push((id.clone(), owner.clone()));
            }
            let inherits = permissions::inherits_owner(&merged.record);
            writes.push(DocWrite { id, merged, owner, inherits, moved, first_seq: 0, last_seq: 0, scope_seq: 0 });
        }
        if !log_rows.is_empty() {
            // Records hanging from a reassigned account follow it.
            let mut followers: Vec<(String, Option<String>)> = Vec::new();
            for (account, owner) in &moved_accounts {
                let rows = sqlx::query("SELECT id FROM docs WHERE account_id = $1 AND inherits_owner = 1 AND id <> $1")
                    .bind(account)
                    .fetch_all(&mut *tx)
                    .await?;
                for row in rows {
                    let id: String = row.try_get("id")?;
                    if !writes.iter().any(|w| w.id == id) {
                        followers.push((id, owner.clone()));
                    }
                }
            }
            let moved_count = writes.iter().filter(|w| w.moved).count() + followers.len();
            let total = (log_rows.len() + moved_count) as i64;
            // Taken last and held to commit: this is what keeps the log gap-free in
            // commit order (see the module documentation).
            let last: i64 =
                sqlx::query("UPDATE counters SET value = value + $1 WHERE name = 'change_seq' RETURNING value")
                    .bind(total)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("value")?;
            let first = last - total + 1;
            for (i, (doc, _, _)) in log_rows.iter().enumerate() {
                let seq = first + i as i64;
                let w = &mut writes[*doc];
                if w.first_seq == 0 {
                    w.first_seq = seq;
                }
                w.last_seq = seq;
            }
            let mut next_scope = first + log_rows.len() as i64;
            let mut scope_rows: Vec<(i64, String)> = Vec::new();
            for w in writes.iter_mut().filter(|w| w.moved) {
                w.scope_seq = next_scope;
                scope_rows.push((next_scope, w.id.clone()));
                next_scope += 1;
            }
            for (id, owner) in &followers {
                sqlx::query("UPDATE docs SET owner_id = $1, scope_seq = $2 WHERE id = $3")
                    .bind(owner.clone())
                    .bind(next_scope)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                scope_rows.push((next_scope, id.clone()));
                next_scope += 1;
            }
            let mut rows: Vec<(i64, String, &str, &[u8])> = log_rows
                .iter()
                .enumerate()
                .map(|(i, (doc, hash, bytes))| (first + i as i64, hash.clone(), writes[*doc].id.as_str(), &bytes[..]))
                .collect();
            // A record changing hands is a log entry without change data.
            rows.extend(scope_rows.iter().map(|(seq, id)| (*seq, format!("scope:{seq}"), id.as_str(), &[][..])));
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                let sql = format!(
                    "INSERT INTO changes (seq, hash, doc_id, device_id, user_id, data, received_at) VALUES {} \
                     ON CONFLICT (hash) DO NOTHING",
                    placeholders(self.backend, chunk.len(), 7)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (seq, hash, doc, bytes) in chunk {
                    let device = if bytes.is_empty() {
                        ""
                    } else if server_hashes.contains(hash) {
                        "server"
                    } else {
                        session.device_id.as_str()
                    };
                    query = query
                        .bind(*seq)
                        .bind(hash.clone())
                        .bind(doc.to_string())
                        .bind(device.to_string())
                        .bind(&session.user_id)
                        .bind(bytes.to_vec())
                        .bind(now);
                }
                query.execute(&mut *tx).await?;
            }
            for chunk in writes.chunks(ROWS_PER_STATEMENT) {
                upsert_docs(&mut tx, self.backend, chunk, now).await?;
            }
            outcome.acked.extend(log_rows.into_iter().map(|(_, hash, _)| hash).filter(|h| !server_hashes.contains(h)));
            if let Some(hook) = before_commit {
                hook().await;
            }
        }
        tx.commit().await?;
        // Deletions go to the security log (the record's id and type, never its content).
        for w in &writes {
            let was_deleted = w.merged.before.as_ref().is_some_and(|b| b.is_deleted());
            if w.merged.record.is_deleted() && !was_deleted && w.last_seq > 0 {
                self.audit(&session.email, "record_deleted", &w.id, w.merged.record.record_type.as_str(), now).await?;
            }
        }
        Ok(outcome)
    }

    /// Up to `limit` log entries after `cursor` that `session` may read, as per-record
    /// items: a snapshot for a record first written after the cursor by someone else,
    /// or that changed hands after it; the missing changes otherwise; a drop for a
    /// record that changed hands and is no longer readable. The device's own changes
    /// are not sent back unless `full` (starting over after a reset).
    ///
    /// Two steps: the page's entries without their data (small rows) are read and
    /// filtered by the permission rules, then the data of what this user may read only.
    /// In a company log most entries are other people's records; they cost a short row.
    pub async fn pull(&self, session: &Session, cursor: u64, limit: u32, full: bool) -> anyhow::Result<PullPage> {
        let viewer = self.viewer(session).await?;
        let rows = sqlx::query(
            "SELECT c.seq, c.doc_id, c.device_id, d.first_seq, d.doc_type, d.owner_id, d.scope_seq \
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

        // What to send, in log order: per record, whole (now or as a moved-in snapshot),
        // its changes by sequence number, or a drop.
        use std::collections::hash_map::Entry;
        enum Want {
            Whole,
            Changes(Vec<i64>),
            Drop,
        }
        let mut order: Vec<String> = Vec::new();
        let mut wants: HashMap<String, Want> = HashMap::new();
        for row in &rows {
            let seq: i64 = row.try_get("seq")?;
            page.cursor = seq as u64;
            let doc_id: String = row.try_get("doc_id")?;
            let doc_type: String = row.try_get("doc_type")?;
            let owner: Option<String> = row.try_get("owner_id")?;
            let moved = row.try_get::<i64, _>("scope_seq")? > cursor as i64;
            if !authz::can_read(&viewer, &doc_type, owner.as_deref()) {
                if moved && let Entry::Vacant(slot) = wants.entry(doc_id.clone()) {
                    order.push(doc_id);
                    slot.insert(Want::Drop);
                }
                continue;
            }
            if moved {
                if let Entry::Vacant(slot) = wants.entry(doc_id.clone()) {
                    order.push(doc_id);
                    slot.insert(Want::Whole);
                }
                continue;
            }
            let device: String = row.try_get("device_id")?;
            if device == session.device_id && !full {
                continue;
            }
            let first_seq: Option<i64> = row.try_get("first_seq")?;
            match wants.get_mut(&doc_id) {
                Some(Want::Whole | Want::Drop) => {} // already whole
                Some(Want::Changes(seqs)) => seqs.push(seq),
                None => {
                    order.push(doc_id.clone());
                    let want = if first_seq == Some(seq) { Want::Whole } else { Want::Changes(vec![seq]) };
                    wants.insert(doc_id, want);
                }
            }
        }

        // The data, for what is sent only.
        let seqs: Vec<i64> = wants
            .values()
            .filter_map(|w| if let Want::Changes(s) = w { Some(s.clone()) } else { None })
            .flatten()
            .collect();
        let mut change_data: HashMap<i64, Vec<u8>> = HashMap::new();
        let sql = "SELECT seq, data FROM changes WHERE seq IN ({list})";
        for query in select_in(self.backend, sql, &seqs) {
            for row in query.fetch_all(&self.pool).await? {
                change_data.insert(row.try_get("seq")?, row.try_get("data")?);
            }
        }
        // The record as it is now, for each record sent as changes: the device uses it
        // instead of reading the document when the changes bring its copy to these heads.
        let changed: Vec<&String> =
            order.iter().filter(|id| matches!(wants.get(*id), Some(Want::Changes(_)))).collect();
        let mut views: HashMap<String, crm_protocol::RecordView> = HashMap::new();
        let sql = "SELECT id, doc_type, fields, conflicts, heads FROM docs WHERE id IN ({list})";
        for query in select_in(self.backend, sql, &changed) {
            for row in query.fetch_all(&self.pool).await? {
                let doc_type: String = row.try_get("doc_type")?;
                let view =
                    record_view(&doc_type, row.try_get("fields")?, row.try_get("conflicts")?, row.try_get("heads")?);
                if let Some(view) = view {
                    views.insert(row.try_get("id")?, view);
                }
            }
        }
        let whole: Vec<Uuid> = order
            .iter()
            .filter(|id| matches!(wants.get(*id), Some(Want::Whole)))
            .map(|id| Uuid::parse_str(id))
            .collect::<Result<_, _>>()?;
        let mut snapshots: HashMap<Uuid, PulledItem> = HashMap::new();
        for item in self.snapshots_for(&viewer, &whole, cursor).await? {
            if let PulledItem::Snapshot { doc, .. } = &item {
                snapshots.insert(*doc, item);
            }
        }
        for id in order {
            let doc = Uuid::parse_str(&id)?;
            match wants.remove(&id) {
                Some(Want::Drop) => page.items.push(PulledItem::Drop { doc }),
                Some(Want::Whole) => page.items.extend(snapshots.remove(&doc)),
                Some(Want::Changes(seqs)) => {
                    let changes = seqs.iter().filter_map(|s| change_data.remove(s)).map(Bytes).collect();
                    page.items.push(PulledItem::Changes { doc, changes, record: views.remove(&id) });
                }
                None => {}
            }
        }
        Ok(page)
    }
}

impl Db {
    /// The current snapshots of the given records, those `session` may read.
    pub async fn snapshots(&self, session: &Session, ids: &[Uuid]) -> anyhow::Result<Vec<PulledItem>> {
        let viewer = self.viewer(session).await?;
        self.snapshots_for(&viewer, ids, u64::MAX).await
    }

    /// Snapshots of the records `viewer` may read among `ids`; those rewritten under a
    /// new history after `cursor` are marked to replace the device's copy.
    async fn snapshots_for(&self, viewer: &Viewer, ids: &[Uuid], cursor: u64) -> anyhow::Result<Vec<PulledItem>> {
        let mut items = Vec::new();
        let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        let sql =
            "SELECT id, doc_type, owner_id, data, fields, conflicts, heads, reset_seq FROM docs WHERE id IN ({list})";
        for query in select_in(self.backend, sql, &ids) {
            for row in query.fetch_all(&self.pool).await? {
                let doc_type: String = row.try_get("doc_type")?;
                let owner: Option<String> = row.try_get("owner_id")?;
                if !authz::can_read(viewer, &doc_type, owner.as_deref()) {
                    continue;
                }
                let doc = Uuid::parse_str(&row.try_get::<String, _>("id")?)?;
                let record =
                    record_view(&doc_type, row.try_get("fields")?, row.try_get("conflicts")?, row.try_get("heads")?);
                let reset_seq: i64 = row.try_get("reset_seq")?;
                let replace = reset_seq > 0 && (cursor == u64::MAX || reset_seq as u64 > cursor);
                items.push(PulledItem::Snapshot { doc, data: Bytes(row.try_get("data")?), record, replace });
            }
        }
        Ok(items)
    }
}

/// Sets the owner of a merged new record as a change by the server itself; returns the
/// change (hash, bytes) to log after the device's own.
fn assign_owner(m: &mut Merged, owner: &str, now: i64) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    let Some(field) = permissions::owner_field(m.record.record_type) else { return Ok(None) };
    let mut doc = crm_doc::RecordDoc::load(&m.data, &crm_doc::DeviceActor::from_device_id(&Uuid::nil()))?;
    let edit: crm_doc::Edit = [(field.to_string(), Some(crm_core::FieldValue::Text(owner.to_string())))].into();
    let Some(change) = doc.edit(&edit, now)? else { return Ok(None) };
    m.data = doc.save();
    m.record = doc.read()?;
    m.heads = doc.heads_text();
    m.conflicts = doc.conflicts()?;
    Ok(Some((crm_doc::hash_hex(&change.hash()), change.raw_bytes().to_vec())))
}

/// Writes the merged documents and their materialised fields.
async fn upsert_docs(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    writes: &[DocWrite],
    now: i64,
) -> anyhow::Result<()> {
    let sql = format!(
        "INSERT INTO docs (id, doc_type, data, account_id, owner_id, label, fields, updated_at, heads, conflicts, \
         first_seq, last_seq, inherits_owner, scope_seq) VALUES {} \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, account_id = excluded.account_id, \
         owner_id = excluded.owner_id, label = excluded.label, fields = excluded.fields, \
         updated_at = excluded.updated_at, heads = excluded.heads, conflicts = excluded.conflicts, \
         first_seq = COALESCE(docs.first_seq, excluded.first_seq), last_seq = excluded.last_seq, \
         inherits_owner = excluded.inherits_owner, \
         scope_seq = CASE WHEN excluded.scope_seq > 0 THEN excluded.scope_seq ELSE docs.scope_seq END",
        placeholders(backend, writes.len(), 14)
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for w in writes {
        let record = &w.merged.record;
        query = query
            .bind(w.id.clone())
            .bind(record.record_type.as_str())
            .bind(w.merged.data.clone())
            .bind(record.account_id())
            .bind(w.owner.clone())
            .bind(record.label())
            .bind(serde_json::to_string(&record.fields)?)
            .bind(now)
            .bind(w.merged.heads.clone())
            .bind(serde_json::to_string(&w.merged.conflicts)?)
            .bind(w.first_seq)
            .bind(w.last_seq)
            .bind(w.inherits as i64)
            .bind(w.scope_seq);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// One placeholder: numbered (`$7`) for PostgreSQL, anonymous (`?`) for SQLite. The
/// SQLite driver looks every numbered placeholder up by name, a cost quadratic in their
/// number: seconds per 1,000-row push with `$N`, nothing with `?`. Statements built
/// with these take no other parameter.
fn placeholder(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Postgres => format!("${n}"),
        Backend::Sqlite => "?".to_string(),
    }
}

/// `($1, $2), ($3, $4), …`: `rows` tuples of `cols` placeholders.
fn placeholders(backend: Backend, rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| placeholder(backend, r * cols + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$1, $2, …, $n`
fn list_placeholders(backend: Backend, n: usize) -> String {
    (1..=n).map(|i| placeholder(backend, i)).collect::<Vec<_>>().join(", ")
}

/// The statements of `select` for all of `values`: `select` has `{list}` where the
/// values go, and each statement takes `ROWS_PER_STATEMENT` of them at most.
fn select_in<'a, T>(
    backend: Backend,
    select: &'a str,
    values: &'a [T],
) -> impl Iterator<Item = sqlx::query::Query<'a, sqlx::Any, sqlx::any::AnyArguments>>
where
    T: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Sync,
{
    values.chunks(ROWS_PER_STATEMENT).map(move |chunk| {
        let sql = select.replace("{list}", &list_placeholders(backend, chunk.len()));
        chunk.iter().fold(sqlx::query(sqlx::AssertSqlSafe(sql)), |query, value| query.bind(value))
    })
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
pub(super) fn advisory_key(doc: &Uuid) -> i64 {
    let b = doc.as_bytes();
    i64::from_le_bytes([b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]])
}
