//! API keys: each acts as one user, through a device of its own (named after the key,
//! so `crm history` shows which integration wrote what). Only a key's SHA-256 is kept;
//! the key itself is shown once, when it is made.

use super::{Db, DbError};
use crate::auth::{Session, token_hash};
use crm_core::{Code, Problem};
use serde::Serialize;
use sqlx::Row;

/// A key as `crm-server api-key list` shows it (never the key).
#[derive(Clone, Debug, Serialize)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    pub user_email: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// The prefix of every key, so a key found in a file or a log is recognised.
pub const KEY_PREFIX: &str = "crm_";

/// The device a key writes through, as its history names it.
pub fn device_name(key_name: &str) -> String {
    format!("API « {key_name} »")
}

impl Db {
    /// Makes a key acting as `user_email`; returns it with the key itself (shown once).
    pub async fn add_api_key(&self, name: &str, user_email: &str, now: i64) -> Result<(ApiKeyRow, String), DbError> {
        let name = name.trim();
        if name.is_empty() || name.len() > 60 || name.chars().any(char::is_control) {
            return Err(DbError::Invalid(
                Problem::new(Code::RequestInvalid).param("detail", "the key's name: 1 to 60 printable characters"),
            ));
        }
        let user = self
            .user_by_email(user_email)
            .await?
            .ok_or_else(|| DbError::NotFound(Problem::new(Code::UnknownUserEmail).param("email", user_email)))?;
        if self.api_keys().await?.iter().any(|k| k.name == name) {
            return Err(DbError::Refused(
                Problem::new(Code::RequestInvalid).param("detail", format!("a key is already named `{name}`")),
            ));
        }
        let (secret, _) = crate::auth::new_token();
        let key = format!("{KEY_PREFIX}{secret}");
        let id = uuid::Uuid::new_v4().to_string();
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO devices (id, user_id, name, created_at, last_seen_at, revoked, scope_epoch) \
             VALUES ($1, $2, $3, $4, $4, 0, 0)",
        )
        .bind(&id)
        .bind(&user.id)
        .bind(device_name(name))
        .bind(now)
        .execute(tx.conn())
        .await?;
        sqlx::query("INSERT INTO api_keys (id, name, user_id, key_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(name)
            .bind(&user.id)
            .bind(token_hash(&key))
            .bind(now)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        self.audit("admin", "api_key_created", name, &user.email, now).await?;
        let row = ApiKeyRow {
            id,
            name: name.to_string(),
            user_email: user.email,
            created_at: now,
            revoked_at: None,
            last_used_at: None,
        };
        Ok((row, key))
    }

    pub async fn api_keys(&self) -> Result<Vec<ApiKeyRow>, DbError> {
        let rows = sqlx::query(
            "SELECT k.id, k.name, u.email, k.created_at, k.revoked_at, k.last_used_at \
             FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiKeyRow {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    user_email: r.try_get("email")?,
                    created_at: r.try_get("created_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                    last_used_at: r.try_get("last_used_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(DbError::from)
    }

    /// Revokes a key at once (its device too: nothing more is accepted from it).
    pub async fn revoke_api_key(&self, name: &str, now: i64) -> Result<(), DbError> {
        let row = sqlx::query("SELECT id FROM api_keys WHERE name = $1 AND revoked_at IS NULL")
            .bind(name.trim())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| {
                DbError::NotFound(
                    Problem::new(Code::NotOnServer).param("detail", format!("no key named `{name}` in use")),
                )
            })?;
        let id: String = row.try_get("id")?;
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2").bind(now).bind(&id).execute(tx.conn()).await?;
        sqlx::query("UPDATE devices SET revoked = 1 WHERE id = $1").bind(&id).execute(tx.conn()).await?;
        tx.commit().await?;
        self.audit("admin", "api_key_revoked", name.trim(), "", now).await?;
        Ok(())
    }

    /// The session a key acts as, with the key's name; `None` for an unknown or revoked
    /// key. Marks the key used.
    pub async fn session_by_api_key(&self, key: &str, now: i64) -> Result<Option<(Session, String)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT k.id AS key_id, k.name AS key_name, k.last_used_at, u.id, u.email, u.name, u.role, u.disabled, \
             u.scope_epoch FROM api_keys k JOIN users u ON u.id = k.user_id \
             WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
        )
        .bind(token_hash(key))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let role: String = row.try_get("role")?;
        let key_id: String = row.try_get("key_id")?;
        // Written at most once a minute: a busy integration does not write on every call.
        let last: Option<i64> = row.try_get("last_used_at")?;
        if last.is_none_or(|l| now - l > 60_000) {
            sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(&key_id)
                .execute(&self.pool)
                .await?;
        }
        let session = Session {
            user_id: row.try_get("id")?,
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            role: role.parse().map_err(|e: String| sqlx::Error::Decode(e.into()))?,
            disabled: row.try_get::<i64, _>("disabled")? != 0,
            device_id: key_id,
            device_revoked: false,
            scope_epoch: row.try_get("scope_epoch")?,
            device_scope_epoch: row.try_get("scope_epoch")?,
        };
        Ok(Some((session, row.try_get("key_name")?)))
    }
}

/// A stored record as the REST API reads it: its materialised fields, effective owner
/// and last change.
#[derive(Clone, Debug)]
pub struct ApiRow {
    pub record: crm_core::Record,
    pub owner: Option<String>,
    pub updated_at: i64,
}

fn api_row(row: &sqlx::any::AnyRow) -> Result<Option<ApiRow>, sqlx::Error> {
    let (id, kind, fields): (String, String, String) =
        (row.try_get("id")?, row.try_get("doc_type")?, row.try_get("fields")?);
    let (Ok(id), Ok(kind), Ok(fields)) =
        (id.parse::<crm_core::RecordId>(), kind.parse::<crm_core::RecordType>(), serde_json::from_str(&fields))
    else {
        return Ok(None);
    };
    let mut record = crm_core::Record::new(id, kind);
    record.fields = fields;
    Ok(Some(ApiRow { record, owner: row.try_get("owner_id")?, updated_at: row.try_get("updated_at")? }))
}

impl Db {
    /// One stored record, whatever its type.
    pub async fn api_record(&self, id: uuid::Uuid) -> Result<Option<ApiRow>, DbError> {
        let row = sqlx::query("SELECT id, doc_type, owner_id, fields, updated_at FROM docs WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(row) => api_row(&row)?,
            None => None,
        })
    }

    /// Up to `limit` records of a type in id order (creation order: ids are UUIDv7)
    /// after `after`, changed since `updated_since` (ms) when given; deleted ones
    /// included (the caller filters).
    pub async fn api_page(
        &self,
        record_type: crm_core::RecordType,
        after: Option<&str>,
        updated_since: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ApiRow>, DbError> {
        let rows = sqlx::query(
            "SELECT id, doc_type, owner_id, fields, updated_at FROM docs \
             WHERE doc_type = $1 AND id > $2 AND updated_at >= $3 ORDER BY id LIMIT $4",
        )
        .bind(record_type.as_str())
        .bind(after.unwrap_or(""))
        .bind(updated_since.unwrap_or(i64::MIN))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.extend(api_row(row)?);
        }
        Ok(out)
    }
}
