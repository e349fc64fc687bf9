//! `crm-server`: the sync server.
//!
//! It authenticates devices, authorises every pushed change ([`authz`]), stores each
//! change once in an append-only log with a server sequence number, keeps a merged copy
//! of every record, and serves each device what changed after its cursor. The database
//! is SQLite (embedded, the default) or PostgreSQL, behind [`db::Db`].

pub mod api;
pub mod auth;
pub mod authz;
pub mod db;
pub mod error;
mod handlers;
pub mod listener;
pub mod mail;
pub mod mailbox;
pub mod metrics;
pub mod push;
pub mod ratelimit;
pub mod router;
pub mod settings;
pub mod turns;
pub mod webhooks;
pub mod weekly_mail;

pub use router::app;
pub use settings::Settings;

use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub settings: Arc<Settings>,
    pub logins: Arc<ratelimit::Limiter>,
    /// Public form submissions (web-to-lead), per address.
    pub forms: Arc<ratelimit::Submissions>,
    /// The SMTP relay for campaigns, when configured.
    pub mailer: Option<Arc<mail::Mailer>>,
    pub metrics: Arc<metrics::Metrics>,
    /// API requests per key, and the security log's lines of their use.
    pub api_limits: Arc<api::RateLimits>,
    pub api_uses: Arc<api::UseLog>,
}

/// Runs the server on an already-bound listener until `shutdown` completes; in-flight
/// requests are allowed to finish. Tests bind 127.0.0.1:0 and pass the listener in.
pub async fn launch_with_listener(
    settings: Settings,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let db = db::Db::connect(&settings.database_url).await?;
    let mailer = mail::Mailer::from_settings(&settings)?.map(Arc::new);
    mailbox::check(&settings)?;
    let api_limits = Arc::new(api::RateLimits::per_minute(settings.api_requests_per_minute));
    let state = AppState {
        db: db.clone(),
        settings: Arc::new(settings),
        logins: Arc::default(),
        forms: Arc::default(),
        mailer,
        metrics: Arc::default(),
        api_limits,
        api_uses: Arc::default(),
    };
    tracing::info!(address = %listener.local_addr()?, "crm-server listening");
    let collector = tokio::spawn(collect_blobs_hourly(db.clone()));
    let poller =
        state.settings.imap_url.is_some().then(|| tokio::spawn(mailbox::run(db.clone(), state.settings.clone())));
    let monday_mail = state.mailer.clone().map(|m| tokio::spawn(weekly_mail::run(db.clone(), m)));
    let webhooks = Some(tokio::spawn(webhooks::run(db.clone(), state.settings.clone())));
    let service = app(state).into_make_service_with_connect_info::<listener::Peer>();
    let served = axum::serve(listener::Guarded::new(listener), service).with_graceful_shutdown(shutdown).await;
    collector.abort();
    for task in [poller, monday_mail, webhooks].into_iter().flatten() {
        task.abort();
    }
    // Every connection closed before returning: on SQLite the last one checkpoints and
    // removes the write-ahead log, which must not happen after the server has gone
    // (an operator restoring a backup would see the next server's log deleted).
    db.close().await;
    served?;
    Ok(())
}

/// Deletes the attachments no record names any more, at start and every hour.
async fn collect_blobs_hourly(db: db::Db) {
    loop {
        if let Err(e) = db.collect_blobs(now_ms()).await {
            tracing::warn!(error = %e, "collecting unused attachments failed");
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}

/// Milliseconds since the Unix epoch: the server's only clock reading.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
