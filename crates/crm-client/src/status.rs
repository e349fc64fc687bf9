//! What the user always sees: online or not, pending changes, last sync, progress, errors.

use crate::{Client, ClientError};
use crm_core::problem::Problem;
use crm_protocol::UserInfo;
use serde::Serialize;

#[derive(Clone, Copy, Debug, Default, Serialize, ts_rs::TS)]
pub struct Progress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

#[derive(Default)]
pub(crate) struct Runtime {
    pub online: bool,
    pub syncing: bool,
    pub progress: Option<Progress>,
    pub last_error: Option<Problem>,
}

#[derive(Clone, Debug, Serialize, ts_rs::TS)]
pub struct Status {
    /// The data waits for the password (nothing else below is known then).
    pub locked: bool,
    pub logged_in: bool,
    pub user: Option<UserInfo>,
    pub server_url: Option<String>,
    pub device_id: String,
    pub online: bool,
    #[ts(type = "number")]
    pub pending: u64,
    pub rejected: usize,
    /// Fields in conflict on this device, still to settle.
    pub conflicts: usize,
    pub last_sync_at: Option<String>,
    pub last_error: Option<Problem>,
    pub syncing: bool,
    pub progress: Option<Progress>,
}

impl Client {
    pub fn status(&self) -> Result<Status, ClientError> {
        if self.is_locked() {
            let runtime = self.inner.runtime.lock().unwrap_or_else(|p| p.into_inner());
            return Ok(Status {
                locked: true,
                logged_in: false,
                user: None,
                server_url: None,
                device_id: String::new(),
                online: runtime.online,
                pending: 0,
                rejected: 0,
                conflicts: 0,
                last_sync_at: None,
                last_error: None,
                syncing: false,
                progress: None,
            });
        }
        let (user, server_url, token, device_id, pending, rejected, conflicts, last_sync_at) =
            self.with_store(|s| {
                Ok((
                    s.meta("user")?,
                    s.meta("server_url")?,
                    s.meta("token")?,
                    s.device_id().to_string(),
                    s.pending_count()?,
                    s.rejections()?.len(),
                    s.conflict_count()?,
                    s.meta("last_sync_at")?,
                ))
            })?;
        let runtime = self.inner.runtime.lock().unwrap_or_else(|p| p.into_inner());
        Ok(Status {
            locked: false,
            logged_in: token.is_some(),
            user: user.and_then(|u| serde_json::from_str(&u).ok()),
            server_url,
            device_id,
            online: runtime.online,
            pending,
            conflicts,
            rejected,
            last_sync_at,
            last_error: runtime.last_error.clone(),
            syncing: runtime.syncing,
            progress: runtime.progress,
        })
    }

    pub(crate) fn set_online(&self, online: bool) {
        self.inner.runtime.lock().unwrap_or_else(|p| p.into_inner()).online = online;
    }

    pub(crate) fn update_runtime(&self, f: impl FnOnce(&mut Runtime)) {
        f(&mut self.inner.runtime.lock().unwrap_or_else(|p| p.into_inner()));
    }
}
