//! Server settings, from the command line and the environment.

use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite:///abs/path/server.db` or `postgres://user@host/db`.
    pub database_url: String,
    /// How long a login token stays valid.
    pub token_ttl_ms: i64,
    /// The most bytes of attachments one user may upload (all kept attachments).
    pub blob_quota_bytes: u64,
    /// Read the client's address from `X-Forwarded-For` (the server is behind a
    /// reverse proxy on the same machine): login throttling is per address.
    pub trust_forwarded: bool,
    /// The largest record document kept, in bytes (`push::MAX_DOC_BYTES`).
    pub max_doc_bytes: usize,
    /// The longest pause while a request body arrives.
    pub body_timeout: std::time::Duration,
    /// Campaigns: the SMTP relay (`smtp://host:port`, `smtps://user:pass@host`…), the
    /// sender, and the address the unsubscribe links point to. No relay: no sending.
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub public_url: Option<String>,
    /// E-mails sent per second at most (relays and receivers throttle bulk senders).
    pub mails_per_second: u32,
    /// The shared mailbox polled over IMAP (`imaps://user:password@host/INBOX`), the
    /// support address (a message to it opens a ticket), and how often it is read.
    pub imap_url: Option<String>,
    pub support_address: Option<String>,
    pub imap_interval: std::time::Duration,
    /// REST API requests one key may make per minute (in bursts of up to as many).
    pub api_requests_per_minute: u32,
    /// Webhooks: how often due events are looked for, the delay after a first failure
    /// (doubling after each next one), and the failures in a row that disable one.
    pub webhook_poll: std::time::Duration,
    pub webhook_retry_base: std::time::Duration,
    pub webhook_max_failures: u32,
}

impl Settings {
    pub fn new(database_url: impl Into<String>) -> Settings {
        Settings {
            database_url: database_url.into(),
            token_ttl_ms: 30 * 24 * 3600 * 1000,
            blob_quota_bytes: 2 * 1024 * 1024 * 1024,
            trust_forwarded: false,
            max_doc_bytes: crate::push::MAX_DOC_BYTES,
            body_timeout: crate::router::BODY_IDLE,
            smtp_url: None,
            mail_from: None,
            public_url: None,
            mails_per_second: 10,
            imap_url: None,
            support_address: None,
            imap_interval: std::time::Duration::from_secs(60),
            api_requests_per_minute: 600,
            webhook_poll: std::time::Duration::from_millis(500),
            webhook_retry_base: std::time::Duration::from_secs(10),
            webhook_max_failures: 10,
        }
    }

    /// The database URL from `--database`, else the SQLite file `server.db` in the data
    /// directory (created with its directory when missing).
    pub fn database_url(database: Option<&str>, data_dir: Option<&Path>) -> anyhow::Result<String> {
        if let Some(url) = database {
            return Ok(url.to_string());
        }
        let dir = data_dir.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("crm-server-data"));
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow::anyhow!("cannot create the data directory {}: {e}", dir.display()))?;
        let dir = std::fs::canonicalize(&dir)?;
        Ok(format!("sqlite://{}", dir.join("server.db").display()))
    }
}
