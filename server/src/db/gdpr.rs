//! RGPD erasure: rewriting a person's record under a new history.
//!
//! An Automerge document keeps every value it ever held, so blanking the fields would
//! leave the name in the history, in the change log and on every device. Instead the
//! record is rebuilt from scratch as a deleted tombstone (same id, no personal field)
//! by the server, its whole change log is deleted, and devices are told to *replace*
//! their copy (history and unsent changes included) instead of merging. Changes made
//! before the erasure are refused forever. See docs/gdpr-erasure.md.

use super::{Backend, Db};
use crm_core::{FieldValue, Record, RecordId, RecordType};
use crm_doc::{DeviceActor, RecordDoc};
use sqlx::Row;
use uuid::Uuid;

/// The name an erased person's record keeps.
pub const ERASED_NAME: &str = "[effacé]";

impl Db {
    /// Erases contact (or lead) `id` on the server; devices follow at their next sync.
    pub async fn gdpr_erase(&self, id: Uuid, now: i64) -> anyhow::Result<RecordType> {
        let _writer = match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.lock().await),
            Backend::Postgres => None,
        };
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(super::sync::advisory_key(&id))
                .execute(&mut *tx)
                .await?;
        }
        let row = sqlx::query("SELECT doc_type, account_id, owner_id FROM docs WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no record has the id {id}"))?;
        let doc_type: String = row.try_get("doc_type")?;
        let record_type: RecordType = doc_type.parse().map_err(|e: String| anyhow::anyhow!(e))?;
        if !matches!(record_type, RecordType::Contact | RecordType::Lead) {
            anyhow::bail!("{id} is a {record_type}: only a contact or a lead is a person that can be erased");
        }
        let account: Option<String> = row.try_get("account_id")?;
        let mut tombstone = Record::new(RecordId(id), record_type);
        tombstone.fields.insert("name".into(), FieldValue::from(ERASED_NAME));
        tombstone.fields.insert(crm_core::DELETED_FIELD.into(), FieldValue::from("yes"));
        if let Some(account) = account.filter(|_| record_type == RecordType::Contact) {
            tombstone.fields.insert("account".into(), FieldValue::Text(account));
        }
        let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&Uuid::nil()), &tombstone, now)?;
        let change = doc.all_changes().into_iter().next().ok_or_else(|| anyhow::anyhow!("empty tombstone"))?;
        let hash = crm_doc::hash_hex(&change.hash());
        let bytes = change.raw_bytes().to_vec();

        sqlx::query("DELETE FROM changes WHERE doc_id = $1").bind(id.to_string()).execute(&mut *tx).await?;
        let seq: i64 = sqlx::query("UPDATE counters SET value = value + 1 WHERE name = 'change_seq' RETURNING value")
            .fetch_one(&mut *tx)
            .await?
            .try_get("value")?;
        sqlx::query(
            "INSERT INTO changes (seq, hash, doc_id, device_id, user_id, data, received_at) \
             VALUES ($1, $2, $3, 'server', 'server', $4, $5)",
        )
        .bind(seq)
        .bind(hash)
        .bind(id.to_string())
        .bind(bytes)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE docs SET data = $1, label = $2, fields = $3, heads = $4, conflicts = '[]', updated_at = $5, \
             first_seq = $6, last_seq = $6, scope_seq = $6, reset_seq = $6 WHERE id = $7",
        )
        .bind(doc.save())
        .bind(tombstone.label())
        .bind(serde_json::to_string(&tombstone.fields)?)
        .bind(doc.heads_text())
        .bind(now)
        .bind(seq)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        // Deleted rows are zeroed on SQLite (secure_delete); make sure the write-ahead
        // log does not keep the old pages. PostgreSQL reclaims dead rows with VACUUM.
        match self.backend {
            Backend::Sqlite => {
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await?;
            }
            Backend::Postgres => {
                sqlx::query("VACUUM docs").execute(&self.pool).await?;
                sqlx::query("VACUUM changes").execute(&self.pool).await?;
            }
        }
        Ok(record_type)
    }
}
