//! Users, devices and login tokens.

use super::{Db, DbError};
use crate::auth::Session;
use sqlx::Row;

#[derive(Clone, Debug)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: crm_core::Role,
    pub manager_email: Option<String>,
    pub password_hash: String,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub manager_id: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub disabled: bool,
}

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        manager_id: row.try_get("manager_id")?,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
    })
}

const USER_COLUMNS: &str = "id, email, name, role, manager_id, password_hash, disabled";

impl Db {
    pub async fn add_user(&self, user: NewUser, now: i64) -> anyhow::Result<UserRow> {
        let email = user.email.trim().to_lowercase();
        if self.user_by_email(&email).await?.is_some() {
            anyhow::bail!("a user with the e-mail {email} already exists");
        }
        let manager_id = match &user.manager_email {
            Some(m) => Some(
                self.user_by_email(m)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("no user has the e-mail {m} (given as --manager)"))?
                    .id,
            ),
            None => None,
        };
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO users (id, email, name, role, manager_id, password_hash, disabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
        )
        .bind(&id)
        .bind(&email)
        .bind(user.name.trim())
        .bind(user.role.as_str())
        .bind(&manager_id)
        .bind(&user.password_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(self.user_by_email(&email).await?.expect("the user was just inserted"))
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"));
        let row = sqlx::query(sql).bind(email.trim().to_lowercase()).fetch_optional(&self.pool).await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn list_users(&self) -> Result<Vec<UserRow>, sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users ORDER BY email"));
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Registers (or renames) the device a user logs in from and stores a token for it;
    /// the device's older tokens end. Refused when the device id already belongs to
    /// another user.
    pub async fn open_session(
        &self,
        user_id: &str,
        device_id: &str,
        device_name: &str,
        token_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), DbError> {
        // SQLite: a transaction that reads then writes must not interleave with
        // another writer (it would fail with "database is locked"); writers queue.
        let _writer = self.sqlite_write_lock().await;
        let mut tx = self.begin_write().await?;
        let owner: Option<String> = sqlx::query("SELECT user_id FROM devices WHERE id = $1")
            .bind(device_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get("user_id"))
            .transpose()?;
        match owner {
            Some(owner) if owner != user_id => {
                return Err(DbError::Refused(crm_core::Problem::new(crm_core::Code::DeviceOfAnotherUser)));
            }
            Some(_) => {
                sqlx::query("UPDATE devices SET name = $1, last_seen_at = $2 WHERE id = $3")
                    .bind(device_name)
                    .bind(now)
                    .bind(device_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM tokens WHERE device_id = $1").bind(device_id).execute(&mut *tx).await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO devices (id, user_id, name, created_at, last_seen_at, revoked, scope_epoch) \
                     VALUES ($1, $2, $3, $4, $4, 0, (SELECT scope_epoch FROM users WHERE id = $2))",
                )
                .bind(device_id)
                .bind(user_id)
                .bind(device_name)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query(
            "INSERT INTO tokens (token_hash, device_id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(device_id)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Issues a new token for the session's device and lets the old one expire after
    /// `grace_ms` (never later than it would have). A token refreshes once: refreshing
    /// one already replaced (twice in a row, or in parallel) is refused, so the grace
    /// minute cannot be used to mint tokens.
    pub async fn rotate_token(
        &self,
        old_hash: &str,
        new_hash: &str,
        session: &Session,
        now: i64,
        expires_at: i64,
        grace_ms: i64,
    ) -> Result<(), DbError> {
        let _writer = self.sqlite_write_lock().await;
        let mut tx = self.begin_write().await?;
        let replaced = sqlx::query(
            "UPDATE tokens SET replaced = 1, expires_at = CASE WHEN expires_at > $1 THEN $1 ELSE expires_at END \
             WHERE token_hash = $2 AND replaced = 0",
        )
        .bind(now + grace_ms)
        .bind(old_hash)
        .execute(&mut *tx)
        .await?;
        if replaced.rows_affected() == 0 {
            return Err(DbError::Refused(crm_core::Problem::new(crm_core::Code::SessionRenewed)));
        }
        sqlx::query(
            "INSERT INTO tokens (token_hash, device_id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(new_hash)
        .bind(&session.device_id)
        .bind(&session.user_id)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn session_by_token(&self, token_hash: &str, now: i64) -> Result<Option<Session>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT u.id, u.email, u.name, u.role, u.disabled, u.scope_epoch, t.device_id, d.revoked, \
             d.scope_epoch AS device_scope_epoch FROM tokens t \
             JOIN users u ON u.id = t.user_id JOIN devices d ON d.id = t.device_id \
             WHERE t.token_hash = $1 AND t.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let role: String = row.try_get("role")?;
        Ok(Some(Session {
            user_id: row.try_get("id")?,
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            role: role.parse().map_err(|e: String| sqlx::Error::Decode(e.into()))?,
            disabled: row.try_get::<i64, _>("disabled")? != 0,
            device_id: row.try_get("device_id")?,
            device_revoked: row.try_get::<i64, _>("revoked")? != 0,
            scope_epoch: row.try_get("scope_epoch")?,
            device_scope_epoch: row.try_get("device_scope_epoch")?,
        }))
    }
}

impl Db {
    /// Disables (or re-enables) a user: a disabled user's tokens stop working at once.
    pub async fn set_user_disabled(&self, email: &str, disabled: bool) -> anyhow::Result<UserRow> {
        self.update_user(email, "UPDATE users SET disabled = $1 WHERE email = $2", disabled as i64).await
    }

    pub async fn set_user_role(&self, email: &str, role: crm_core::Role) -> anyhow::Result<UserRow> {
        self.update_user(
            email,
            "UPDATE users SET role = $1, scope_epoch = scope_epoch + 1 WHERE email = $2",
            role.as_str().to_string(),
        )
        .await
    }

    /// Sets (or with `None` removes) the user's sales manager, given by e-mail.
    pub async fn set_user_manager(&self, email: &str, manager: Option<&str>) -> anyhow::Result<UserRow> {
        let manager_id = match manager {
            Some(m) => {
                let row = self.user_by_email(m).await?.ok_or_else(|| anyhow::anyhow!("no user has the e-mail {m}"))?;
                if row.email == email.trim().to_lowercase() {
                    anyhow::bail!("a user cannot be their own manager");
                }
                Some(row.id)
            }
            None => None,
        };
        let old_manager = self.user_by_email(email).await?.and_then(|u| u.manager_id);
        let user = self
            .update_user(
                email,
                "UPDATE users SET manager_id = $1, scope_epoch = scope_epoch + 1 WHERE email = $2",
                manager_id.clone(),
            )
            .await?;
        // Both managers' teams changed: their devices start over too.
        for id in [old_manager, manager_id].into_iter().flatten() {
            sqlx::query("UPDATE users SET scope_epoch = scope_epoch + 1 WHERE id = $1")
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        Ok(user)
    }

    /// The ids of the users who report to `user_id`.
    pub async fn reports(&self, user_id: &str) -> anyhow::Result<std::collections::BTreeSet<String>> {
        let rows =
            sqlx::query("SELECT id FROM users WHERE manager_id = $1").bind(user_id).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?)
    }

    /// The rules' view of the session's user.
    pub async fn viewer(&self, session: &Session) -> anyhow::Result<crm_core::permissions::Viewer> {
        Ok(crm_core::permissions::Viewer {
            user_id: session.user_id.clone(),
            role: session.role,
            reports: self.reports(&session.user_id).await?,
        })
    }

    /// Records that this device now syncs under the user's current scope.
    pub async fn device_caught_up_scope(&self, session: &Session) -> anyhow::Result<()> {
        sqlx::query("UPDATE devices SET scope_epoch = $1 WHERE id = $2")
            .bind(session.scope_epoch)
            .bind(&session.device_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn update_user<T>(&self, email: &str, sql: &'static str, value: T) -> anyhow::Result<UserRow>
    where
        T: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send,
    {
        let email = email.trim().to_lowercase();
        let done = sqlx::query(sql).bind(value).bind(&email).execute(&self.pool).await?;
        if done.rows_affected() == 0 {
            anyhow::bail!("no user has the e-mail {email}");
        }
        Ok(self.user_by_email(&email).await?.expect("the user was just updated"))
    }
}

impl Db {
    pub async fn list_devices(&self, user_id: &str) -> anyhow::Result<Vec<crm_protocol::DeviceInfo>> {
        let rows = sqlx::query(
            "SELECT id, name, created_at, last_seen_at, revoked FROM devices WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(crm_protocol::DeviceInfo {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    created_at: r.try_get("created_at")?,
                    last_seen_at: r.try_get("last_seen_at")?,
                    revoked: r.try_get::<i64, _>("revoked")? != 0,
                    current: false,
                })
            })
            .collect()
    }

    pub async fn directory(&self) -> anyhow::Result<Vec<crm_protocol::DirectoryEntry>> {
        // Every user (a manager may never have logged in), once per device they have.
        let rows = sqlx::query(
            "SELECT COALESCE(d.id, '') AS id, u.id AS user_id, u.name, u.email, u.manager_id, k.name AS api_key \
             FROM users u LEFT JOIN devices d ON d.user_id = u.id LEFT JOIN api_keys k ON k.id = d.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(crm_protocol::DirectoryEntry {
                    device_id: r.try_get("id")?,
                    user_id: r.try_get("user_id")?,
                    user_name: r.try_get("name")?,
                    user_email: r.try_get("email")?,
                    manager_id: r.try_get("manager_id")?,
                    api_key: r.try_get("api_key")?,
                })
            })
            .collect()
    }

    /// The user a device belongs to, if the device exists.
    pub async fn device_owner(&self, device_id: &str) -> anyhow::Result<Option<String>> {
        let row =
            sqlx::query("SELECT user_id FROM devices WHERE id = $1").bind(device_id).fetch_optional(&self.pool).await?;
        Ok(row.map(|r| r.try_get("user_id")).transpose()?)
    }

    /// Revokes a device: it can no longer sync, and it erases its local data the next
    /// time it reaches the server (its tokens stay, so that it learns it was revoked).
    /// The user's calendar address dies too: a lost laptop may have carried it.
    pub async fn revoke_device(&self, device_id: &str) -> anyhow::Result<()> {
        sqlx::query("UPDATE devices SET revoked = 1 WHERE id = $1").bind(device_id).execute(&self.pool).await?;
        sqlx::query("DELETE FROM calendar_feeds WHERE user_id = (SELECT user_id FROM devices WHERE id = $1)")
            .bind(device_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
