//! RGPD erasure: rewriting a person's record under a new history.
//!
//! An Automerge document keeps every value it ever held, so blanking the fields would
//! leave the name in the history, in the change log and on every device. Instead the
//! record is rebuilt from scratch as a deleted tombstone (same id, no personal field)
//! by the server, its whole change log is deleted, and devices are told to *replace*
//! their copy (history and unsent changes included) instead of merging. Changes made
//! before the erasure are refused forever. See docs/gdpr-erasure.md.

use super::{Backend, Db, DbError};
use crm_core::{Code, FieldValue, Problem, Record, RecordId, RecordType};
use crm_doc::{DeviceActor, RecordDoc};
use sqlx::Row;
use uuid::Uuid;

/// The name an erased person's record keeps.
pub const ERASED_NAME: &str = "[effacé]";

impl Db {
    /// Erases contact (or lead) `id` on the server; devices follow at their next sync.
    pub async fn gdpr_erase(&self, id: Uuid, now: i64) -> Result<RecordType, DbError> {
        let mut tx = self.write_tx().await?;
        tx.lock_records(&[id]).await?;
        let row = sqlx::query("SELECT doc_type, account_id, owner_id FROM docs WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(tx.conn())
            .await?
            .ok_or_else(|| {
                DbError::NotFound(Problem::new(Code::NotOnServer).param("detail", format!("no record has the id {id}")))
            })?;
        let doc_type: String = row.try_get("doc_type")?;
        let record_type: RecordType = doc_type.parse().map_err(|e: String| anyhow::anyhow!(e))?;
        if !matches!(record_type, RecordType::Contact | RecordType::Lead) {
            return Err(DbError::Invalid(Problem::new(Code::NotAPerson).param("id", id).param("type", record_type)));
        }
        // Everyone who held the record: its owner now and before each change of hands.
        // Their devices that can no longer read it purge what they kept (refused changes).
        let mut owners: std::collections::BTreeSet<String> =
            row.try_get::<Option<String>, _>("owner_id")?.into_iter().collect();
        for r in sqlx::query("SELECT prev_owner FROM changes WHERE doc_id = $1 AND prev_owner IS NOT NULL")
            .bind(id.to_string())
            .fetch_all(tx.conn())
            .await?
        {
            owners.insert(r.try_get("prev_owner")?);
        }
        let account: Option<String> = row.try_get("account_id")?;
        let mut tombstone = Record::new(RecordId(id), record_type);
        tombstone.fields.insert("name".into(), FieldValue::from(ERASED_NAME));
        tombstone.fields.insert(crm_core::DELETED_FIELD.into(), FieldValue::from("yes"));
        if let Some(account) = account.filter(|_| record_type == RecordType::Contact) {
            tombstone.fields.insert("account".into(), FieldValue::Text(account));
        }
        let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&Uuid::nil()), &tombstone, now)
            .map_err(anyhow::Error::from)?;
        let change = doc.all_changes().into_iter().next().ok_or_else(|| anyhow::anyhow!("empty tombstone"))?;
        let hash = crm_doc::hash_hex(&change.hash());
        let bytes = change.raw_bytes().to_vec();

        sqlx::query("DELETE FROM changes WHERE doc_id = $1").bind(id.to_string()).execute(tx.conn()).await?;
        tx.lock_log().await?;
        let seq = tx.take_seqs(1).await?;
        sqlx::query(
            "INSERT INTO changes (seq, hash, doc_id, device_id, user_id, data, received_at) \
             VALUES ($1, $2, $3, 'server', 'server', $4, $5)",
        )
        .bind(seq)
        .bind(hash)
        .bind(id.to_string())
        .bind(bytes)
        .bind(now)
        .execute(tx.conn())
        .await?;
        sqlx::query(
            "UPDATE docs SET data = $1, label = $2, fields = $3, heads = $4, conflicts = '[]', updated_at = $5, \
             first_seq = $6, last_seq = $6, scope_seq = $6, reset_seq = $6, erased_owners = $7 WHERE id = $8",
        )
        .bind(doc.save())
        .bind(tombstone.label())
        .bind(serde_json::to_string(&tombstone.fields).map_err(anyhow::Error::from)?)
        .bind(doc.heads_text())
        .bind(now)
        .bind(seq)
        .bind(owners.into_iter().collect::<Vec<_>>().join(","))
        .bind(id.to_string())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        self.reclaim_erased_pages().await?;
        Ok(record_type)
    }

    /// Makes sure no page of the erased data survives the erasure on disk. SQLite zeroes
    /// deleted rows (`secure_delete`), but the write-ahead log keeps copies of the old
    /// pages until it is checkpointed: it is truncated, and the result checked (a reader
    /// still on an old snapshot makes the checkpoint busy; it is tried again for a few
    /// seconds). PostgreSQL reclaims the dead rows with VACUUM.
    async fn reclaim_erased_pages(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => {
                for attempt in 0..50 {
                    let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.pool).await?;
                    let busy: i64 = row.try_get(0)?;
                    let log: i64 = row.try_get(1)?;
                    if busy == 0 && log == 0 {
                        return Ok(());
                    }
                    tracing::debug!(attempt, busy, log, "write-ahead log not truncated yet");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(DbError::Other(anyhow::anyhow!(
                    "the person was erased, but the database's write-ahead log could not be truncated (busy): \
                     it still holds the erased pages until its next checkpoint"
                )))
            }
            Backend::Postgres => {
                sqlx::query("VACUUM docs").execute(&self.pool).await?;
                sqlx::query("VACUUM changes").execute(&self.pool).await?;
                Ok(())
            }
        }
    }
}
