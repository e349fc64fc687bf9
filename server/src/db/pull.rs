//! Reading the change log back: what a device receives after its cursor, and records
//! asked for whole. Everything goes through [`authz::can_read`]; a device is told to
//! drop a record only when it could once read it.

use super::sql::select_in;
use super::{Db, DbError};
use crate::auth::Session;
use crate::authz;
use crm_core::permissions::Viewer;
use crm_protocol::{Bytes, PulledItem, RecordView};
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Default)]
pub struct PullPage {
    pub items: Vec<PulledItem>,
    pub cursor: u64,
    pub more: bool,
    pub head: u64,
}

impl Db {
    /// The last sequence number of the log.
    pub async fn log_head(&self) -> Result<u64, DbError> {
        let head: i64 = sqlx::query("SELECT value FROM counters WHERE name = 'change_seq'")
            .fetch_one(&self.pool)
            .await?
            .try_get("value")?;
        Ok(head.max(0) as u64)
    }

    /// Up to `limit` log entries after `cursor` (at most the head: the caller checks)
    /// that `session` may read, as per-record items: a snapshot for a record first
    /// written after the cursor by someone else, or that changed hands after it; the
    /// missing changes otherwise; a drop for a record that changed hands (or was erased)
    /// and that this user could read before but not now. A device that starts from
    /// nothing (cursor 0) holds nothing to drop and is told of nothing it cannot read.
    /// The device's own changes are not sent back unless `full` (starting over).
    ///
    /// Two steps: the page's entries without their data (small rows) are read and
    /// filtered by the permission rules, then the data of what this user may read only.
    /// In a company log most entries are other people's records; they cost a short row.
    pub async fn pull(&self, session: &Session, cursor: u64, limit: u32, full: bool) -> Result<PullPage, DbError> {
        let viewer = self.viewer(session).await?;
        self.pull_as(session, &viewer, cursor, limit, full).await
    }

    /// [`Db::pull`] for a user whose rules the request already read.
    pub async fn pull_as(
        &self,
        session: &Session,
        viewer: &Viewer,
        cursor: u64,
        limit: u32,
        full: bool,
    ) -> Result<PullPage, DbError> {
        let from = i64::try_from(cursor).map_err(|_| anyhow::anyhow!("cursor {cursor} is beyond any log"))?;
        // Most rows of a company's log are other people's records: each row stays short
        // (`prev_owner` is set on scope entries only; an erased record's owners come
        // only with its erasure's entry).
        let rows = sqlx::query(
            "SELECT c.seq, c.doc_id, c.device_id, d.first_seq, d.doc_type, d.owner_id, d.scope_seq, \
             c.prev_owner AS moved_from, \
             CASE WHEN d.reset_seq = c.seq THEN d.erased_owners END AS erased_owners \
             FROM changes c JOIN docs d ON d.id = c.doc_id \
             WHERE c.seq > $1 ORDER BY c.seq LIMIT $2",
        )
        .bind(from)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let head = self.log_head().await?;
        let mut page = PullPage { cursor, more: rows.len() as u64 == u64::from(limit), head, ..Default::default() };

        // What to send, in log order: per record, whole (now or as a moved-in snapshot),
        // its changes by sequence number, or a drop.
        use std::collections::hash_map::Entry;
        enum Want {
            Whole,
            Changes(Vec<i64>),
            Drop { purge: bool },
        }
        let mut order: Vec<String> = Vec::new();
        let mut wants: HashMap<String, Want> = HashMap::new();
        for row in &rows {
            let seq: i64 = row.try_get("seq")?;
            page.cursor = seq as u64;
            let doc_id: String = row.try_get("doc_id")?;
            let doc_type: String = row.try_get("doc_type")?;
            let owner: Option<String> = row.try_get("owner_id")?;
            let moved = row.try_get::<i64, _>("scope_seq")? > from;
            if !authz::can_read(viewer, &doc_type, owner.as_deref()) {
                // A record this user cannot read now: dropped only if it once could.
                let once = |owners: Option<String>| {
                    owners
                        .unwrap_or_default()
                        .split(',')
                        .any(|o| !o.is_empty() && authz::can_read(viewer, &doc_type, Some(o)))
                };
                let drop = if from == 0 {
                    None
                } else if once(row.try_get("erased_owners")?) {
                    Some(Want::Drop { purge: true })
                } else if once(row.try_get("moved_from")?) {
                    Some(Want::Drop { purge: false })
                } else {
                    None
                };
                if let Some(drop) = drop {
                    match wants.entry(doc_id.clone()) {
                        Entry::Vacant(slot) => {
                            order.push(doc_id);
                            slot.insert(drop);
                        }
                        Entry::Occupied(mut slot) => {
                            if matches!(drop, Want::Drop { purge: true }) {
                                slot.insert(drop);
                            }
                        }
                    }
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
                Some(Want::Whole | Want::Drop { .. }) => {} // already whole
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
        let mut views: HashMap<String, RecordView> = HashMap::new();
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
            .collect::<Result<_, _>>()
            .map_err(anyhow::Error::from)?;
        let mut snapshots: HashMap<Uuid, PulledItem> = HashMap::new();
        for item in self.snapshots_for(viewer, &whole, cursor).await? {
            if let PulledItem::Snapshot { doc, .. } = &item {
                snapshots.insert(*doc, item);
            }
        }
        for id in order {
            let doc = Uuid::parse_str(&id).map_err(anyhow::Error::from)?;
            match wants.remove(&id) {
                Some(Want::Drop { purge }) => page.items.push(PulledItem::Drop { doc, purge }),
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

    /// A record's type and effective owner, if the server has it.
    pub async fn record_owner(&self, id: Uuid) -> Result<Option<(String, Option<String>)>, DbError> {
        let row = sqlx::query("SELECT doc_type, owner_id FROM docs WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| Ok::<_, sqlx::Error>((r.try_get("doc_type")?, r.try_get("owner_id")?))).transpose()?)
    }

    /// Every live record of a type, read from its materialised fields, with its
    /// effective owner (the duplicate scan, campaigns and the mailbox read them; callers
    /// acting for a user keep those the user may read).
    pub async fn records_of_type(
        &self,
        record_type: crm_core::RecordType,
    ) -> Result<Vec<(crm_core::Record, Option<String>)>, DbError> {
        let rows = sqlx::query("SELECT id, owner_id, fields FROM docs WHERE doc_type = $1")
            .bind(record_type.as_str())
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (id, fields): (String, String) = (row.try_get("id")?, row.try_get("fields")?);
            let (Ok(id), Ok(fields)) = (id.parse::<crm_core::RecordId>(), serde_json::from_str(&fields)) else {
                continue;
            };
            let mut record = crm_core::Record::new(id, record_type);
            record.fields = fields;
            if !record.is_deleted() {
                out.push((record, row.try_get("owner_id")?));
            }
        }
        Ok(out)
    }

    /// How each change of a record reached the server, in log order.
    pub async fn receipts(&self, id: Uuid) -> Result<Vec<crm_protocol::Receipt>, DbError> {
        let rows = sqlx::query(
            "SELECT hash, device_id, user_id, received_at, relayed FROM changes \
             WHERE doc_id = $1 AND hash NOT LIKE 'scope:%' ORDER BY seq",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(crm_protocol::Receipt {
                    hash: r.try_get("hash")?,
                    device_id: r.try_get("device_id")?,
                    user_id: r.try_get("user_id")?,
                    received_at: r.try_get("received_at")?,
                    relayed: r.try_get::<i64, _>("relayed")? != 0,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(DbError::from)
    }

    /// The current snapshots of the given records, those `viewer` may read.
    pub async fn snapshots(&self, viewer: &Viewer, ids: &[Uuid]) -> Result<Vec<PulledItem>, DbError> {
        self.snapshots_for(viewer, ids, u64::MAX).await
    }

    /// Snapshots of the records `viewer` may read among `ids`; those rewritten under a
    /// new history after `cursor` are marked to replace the device's copy.
    async fn snapshots_for(&self, viewer: &Viewer, ids: &[Uuid], cursor: u64) -> Result<Vec<PulledItem>, DbError> {
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
                let doc = Uuid::parse_str(&row.try_get::<String, _>("id")?).map_err(anyhow::Error::from)?;
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
