//! Application services shared by the desktop app and the `crm` command: records,
//! search, login and the sync driver. Both front ends are thin layers over [`Client`].

pub mod campaigns;
pub mod contract;
mod documents;
mod duplicates;
mod error;
pub mod export;
pub mod filters;
mod gdpr;
mod http;
pub mod import;
mod import_file;
mod json;
mod keys;
pub mod leads;
pub mod mail;
mod media;
mod merge;
mod planning;
pub mod report_export;
pub mod reports;
mod review;
mod sales;
mod security;
pub mod service;
mod services;
mod status;
mod sync;
mod vcard;
pub mod views;

pub use crm_protocol::UserInfo;
pub use crm_store::{RejectedChange, SearchHit};
pub use error::ClientError;
pub use json::edit_from_json;
pub use keys::{KeyStore, read_key_file as unseal_data_key};
pub use planning::{Reminder, ReminderKind};
pub use sales::{CompanyHeader, LineRequest};
pub use services::Transport;
pub use status::{Progress, Status};
pub use sync::SyncReport;
pub use views::{AnyRecord, Rec, record_json};

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
    /// `None` while the data is locked (no keyring, password not given yet).
    store: Mutex<Option<Store>>,
    /// The data key, once known (to seal it under a new password).
    key: Mutex<Option<keys::DataKey>>,
    key_store: KeyStore,
    http: reqwest::Client,
    /// One sync at a time per device.
    sync_lock: tokio::sync::Mutex<()>,
    runtime: Mutex<status::Runtime>,
}

impl Client {
    /// Opens the device's data directory, creating it on first use. The data is
    /// encrypted; it opens at once when the keyring holds its key, and stays locked
    /// otherwise until [`Client::unlock`] (or a login) gives the password.
    /// `CRM_NO_KEYRING=1` keeps the key out of the keyring (the password only).
    pub fn open(data_dir: &Path) -> Result<Client, ClientError> {
        let key_store =
            if std::env::var_os("CRM_NO_KEYRING").is_some() { KeyStore::PasswordOnly } else { KeyStore::OsKeyring };
        Client::open_with(data_dir, key_store)
    }

    pub fn open_with(data_dir: &Path, key_store: KeyStore) -> Result<Client, ClientError> {
        std::fs::create_dir_all(data_dir).map_err(|e| ClientError::file(data_dir, e))?;
        let db = data_dir.join("crm.db");
        let from_keyring = || (key_store == KeyStore::OsKeyring).then(|| keys::keyring_get(data_dir)).flatten();
        let key = if keys::has_key_file(data_dir) {
            keys::read_unsealed(data_dir).or_else(from_keyring)
        } else {
            // A new directory (or one from a version that did not encrypt: it is
            // encrypted now). Its key waits, unsealed, for the first login.
            let key = keys::new_data_key();
            keys::write_unsealed(data_dir, &key)?;
            if key_store == KeyStore::OsKeyring {
                keys::keyring_set(data_dir, &key);
            }
            Some(key)
        };
        let store = key.map(|k| Store::open_encrypted(&db, &k)).transpose()?;
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(300))
            .user_agent(concat!("crm/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(ClientError::internal)?;
        Ok(Client {
            inner: Arc::new(Inner {
                data_dir: data_dir.to_path_buf(),
                store: Mutex::new(store),
                key: Mutex::new(key),
                key_store,
                http,
                sync_lock: tokio::sync::Mutex::new(()),
                runtime: Mutex::new(status::Runtime::default()),
            }),
        })
    }

    /// Whether the data waits for the password.
    pub fn is_locked(&self) -> bool {
        self.inner.store.lock().unwrap_or_else(|p| p.into_inner()).is_none()
    }

    /// Unlocks the data with the user's password (no network needed).
    pub fn unlock(&self, password: &str) -> Result<(), ClientError> {
        if !self.is_locked() {
            return Ok(());
        }
        let dir = self.data_dir();
        let key = keys::read_key_file(dir, password)?;
        let store = Store::open_encrypted(&dir.join("crm.db"), &key)?;
        if !keys::key_file_is_current(dir) {
            // Sealed by an earlier version with weaker parameters: sealed again now.
            keys::write_key_file(dir, &key, password)?;
        }
        if self.inner.key_store == KeyStore::OsKeyring {
            keys::keyring_set(dir, &key);
        }
        *self.inner.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key);
        *self.inner.store.lock().unwrap_or_else(|p| p.into_inner()) = Some(store);
        Ok(())
    }

    /// Seals the data key under `password` (at login and password change).
    pub(crate) fn seal_key(&self, password: &str) -> Result<(), ClientError> {
        let key = *self.inner.key.lock().unwrap_or_else(|p| p.into_inner());
        match key {
            Some(key) => keys::write_key_file(self.data_dir(), &key, password),
            None => Err(ClientError::Locked),
        }
    }

    /// Erases this device's copy when its password is lost (an administrator reset
    /// it): unsent changes are lost, everything else comes back at the next sync.
    pub fn reset_local_data(&self) -> Result<(), ClientError> {
        let dir = self.data_dir();
        *self.inner.store.lock().unwrap_or_else(|p| p.into_inner()) = None;
        remove_database(&dir.join("crm.db"));
        let _ = std::fs::remove_file(dir.join(keys::KEY_FILE));
        keys::keyring_forget(dir);
        let key = keys::new_data_key();
        if self.inner.key_store == KeyStore::OsKeyring {
            keys::keyring_set(dir, &key);
        }
        let store = Store::open_encrypted(&dir.join("crm.db"), &key)?;
        *self.inner.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key);
        *self.inner.store.lock().unwrap_or_else(|p| p.into_inner()) = Some(store);
        Ok(())
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    /// Runs `f` on the store. Store calls are short (one record, one page).
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T, ClientError>) -> Result<T, ClientError> {
        let mut store = self.inner.store.lock().unwrap_or_else(|p| p.into_inner());
        match store.as_mut() {
            Some(store) => f(store),
            None => Err(ClientError::Locked),
        }
    }

    /// Like [`Client::with_store`], off the async runtime's threads.
    async fn with_store_blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, ClientError> + Send + 'static,
    ) -> Result<T, ClientError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.with_store(f)).await.map_err(ClientError::internal)?
    }
}

/// Deletes a database file and its companions.
fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

/// Milliseconds since the Unix epoch, read once per user action.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
