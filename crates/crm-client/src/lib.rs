//! Application services shared by the desktop app and the `crm` command: records,
//! search, login and the sync driver. Both front ends are thin layers over [`Client`].

mod documents;
mod error;
mod gdpr;
mod http;
mod json;
mod media;
mod planning;
mod sales;
mod security;
mod services;
mod status;
mod sync;

pub use crm_protocol::UserInfo;
pub use crm_store::{RejectedChange, SearchHit};
pub use error::ClientError;
pub use json::{edit_from_json, record_json};
pub use planning::Reminder;
pub use sales::LineRequest;
pub use status::{Progress, Status};
pub use sync::SyncReport;

use crm_store::Store;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One device's client: its local store, its server session and its sync state.
/// Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    data_dir: PathBuf,
    store: Mutex<Store>,
    http: reqwest::Client,
    /// One sync at a time per device.
    sync_lock: tokio::sync::Mutex<()>,
    runtime: Mutex<status::Runtime>,
}

impl Client {
    /// Opens the device's data directory, creating it on first use.
    pub fn open(data_dir: &Path) -> Result<Client, ClientError> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            ClientError::Invalid(format!("cannot create the data directory {}: {e}", data_dir.display()))
        })?;
        let store = Store::open(&data_dir.join("crm.db"))?;
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(300))
            .user_agent(concat!("crm/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Invalid(format!("cannot start the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                data_dir: data_dir.to_path_buf(),
                store: Mutex::new(store),
                http,
                sync_lock: tokio::sync::Mutex::new(()),
                runtime: Mutex::new(status::Runtime::default()),
            }),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    /// Runs `f` on the store. Store calls are short (one record, one page).
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T, ClientError>) -> Result<T, ClientError> {
        let mut store = self.inner.store.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut store)
    }

    /// Like [`Client::with_store`], off the async runtime's threads.
    async fn with_store_blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, ClientError> + Send + 'static,
    ) -> Result<T, ClientError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.with_store(f))
            .await
            .map_err(|e| ClientError::Invalid(format!("internal task failed: {e}")))?
    }
}

/// Milliseconds since the Unix epoch, read once per user action.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
