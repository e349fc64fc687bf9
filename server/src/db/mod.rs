//! [`Db`]: the server's database, SQLite or PostgreSQL through one set of queries.
//!
//! Queries are written once in the SQL both engines accept (`$1` placeholders, `ON
//! CONFLICT`, `RETURNING`) and run through sqlx's `Any` driver; the few places where the
//! engines differ (locking) branch on [`Backend`]. Migrations are per engine, applied on
//! connect.

mod api;
mod audit;
mod backup;
mod blobs;
mod calendar;
mod campaigns;
mod gdpr;
mod lead_forms;
mod mailbox;
mod pull;
mod push;
mod sql;
mod system;
mod territories;
mod users;
mod webhooks;
mod write;

pub use api::{ApiKeyRow, ApiRow, KEY_PREFIX, device_name};
pub use audit::AuditEntry;
pub use backup::{CursorKey, LogState};
pub use lead_forms::{Claim, LeadForm, check_origin, fingerprint};
pub use pull::PullPage;
pub use push::{BeforeCommitHook, PushContext, PushOutcome};
pub use system::{CAMPAIGNS, MAILBOX, SystemWriter, WEB_FORMS};
pub use territories::{NewTerritory, Territory};
pub use users::{NewUser, UserRow};
pub(crate) use webhooks::record_events;
pub use webhooks::{Delivery, Webhook, WebhookEvent};

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::sync::Arc;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/server-sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/server-postgres");

/// What can go wrong in the database layer, typed so that no caller matches on text.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// What was asked for does not exist (a user, a device, a record).
    #[error("{0}")]
    NotFound(crm_core::Problem),
    /// The request is understood and refused (a device of another user, a duplicate).
    #[error("{0}")]
    Refused(crm_core::Problem),
    /// The request asks for something that cannot be (erasing an account as a person).
    #[error("{0}")]
    Invalid(crm_core::Problem),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        DbError::Other(e.into())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time; pushes queue here instead of failing with
    /// "database is locked". PostgreSQL needs no such lock.
    sqlite_writer: Arc<tokio::sync::Mutex<()>>,
    /// The key that signs the cursors this server gives out (see `backup`).
    cursor_key: Arc<CursorKey>,
}

impl Db {
    /// Connects, creating a missing SQLite file, and applies pending migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            anyhow::bail!("unsupported database URL `{url}`: use sqlite:///path/server.db or postgres://…");
        };
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(30));
        let options = if backend == Backend::Sqlite {
            options.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;")
                        .await?;
                    Ok(())
                })
            })
        } else {
            options
        };
        let pool = options.connect(&url).await.with_context(|| format!("cannot open the database {}", redact(&url)))?;
        if backend == Backend::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await.context("cannot apply the database migrations")?;
        let cursor_key = Arc::new(backup::cursor_key(&pool).await?);
        Ok(Db { pool, backend, sqlite_writer: Arc::new(tokio::sync::Mutex::new(())), cursor_key })
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that read first and wrote later would fail
    /// ("database is locked") if another writer committed in between.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// On SQLite, the turn of one writing transaction; nothing on PostgreSQL.
    pub(crate) async fn sqlite_write_lock(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.lock().await),
            Backend::Postgres => None,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A database URL without its password, for messages and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(super::redact("postgres://bob:s3cret@db/crm"), "postgres://bob:***@db/crm");
        assert_eq!(super::redact("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }
}
