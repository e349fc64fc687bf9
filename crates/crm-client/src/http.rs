//! Talking to the sync server: JSON bodies, zstd above 1 KiB, errors in plain words.

use crate::{Client, ClientError};
use crm_core::{Code, Problem};
use crm_protocol::{COMPRESS_FROM_BYTES, ErrorBody, ErrorCode, PROTOCOL_HEADER, PROTOCOL_VERSION};
use reqwest::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;

impl Client {
    pub(crate) async fn post<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        server: &str,
        path: &str,
        token: Option<&str>,
        body: &Req,
    ) -> Result<Resp, ClientError> {
        let url = format!("{}{path}", server.trim_end_matches('/'));
        let json = serde_json::to_vec(body).map_err(ClientError::internal)?;
        let mut request = self
            .inner
            .http
            .post(&url)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        request = if json.len() >= COMPRESS_FROM_BYTES {
            let compressed = zstd::encode_all(json.as_slice(), 3).map_err(ClientError::internal)?;
            request.header(reqwest::header::CONTENT_ENCODING, "zstd").body(compressed)
        } else {
            request.body(json)
        };
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| offline(server, &e))?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| offline(server, &e))?;
        self.check(status, &bytes)?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::unexpected(server, e))
    }

    /// Turns an error answer into the matching error; a revoked device erases its data.
    fn check(&self, status: StatusCode, bytes: &[u8]) -> Result<(), ClientError> {
        if status.is_success() {
            return Ok(());
        }
        let body = serde_json::from_slice::<ErrorBody>(bytes).ok();
        let code = body.as_ref().map_or(ErrorCode::Internal, |b| b.code);
        if code == ErrorCode::DeviceRevoked {
            self.wipe_local_data()?;
            return Err(ClientError::DeviceRevoked);
        }
        // The server's own problem when it sent one; its words otherwise.
        let problem = body.as_ref().and_then(|b| b.problem.clone()).unwrap_or_else(|| match (&body, code) {
            (_, ErrorCode::Internal) => Problem::new(Code::ServerError),
            (Some(b), _) => Problem::new(Code::ServerRefused).param("detail", &b.message),
            (None, _) => Problem::new(Code::ServerRefused).param("detail", format!("HTTP {status}")),
        });
        Err(match (status, code) {
            (StatusCode::UPGRADE_REQUIRED, _) | (_, ErrorCode::ProtocolUnsupported) => ClientError::UpdateRequired,
            (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, _) => ClientError::Auth(problem),
            // A busy server is like a short absence: nothing is lost, the next sync sends it.
            (_, ErrorCode::Busy) => ClientError::Offline(Problem::new(Code::ServerBusy)),
            _ => ClientError::Server(problem),
        })
    }

    /// Is the server reachable and healthy? Answers within a few seconds.
    pub async fn ping(&self) -> bool {
        let Ok(Some(server)) = self.with_store(|s| Ok(s.meta("server_url")?)) else { return false };
        let url = format!("{}/health", server.trim_end_matches('/'));
        let ok = matches!(
            self.inner.http.get(url).timeout(std::time::Duration::from_secs(3)).send().await,
            Ok(r) if r.status().is_success()
        );
        self.set_online(ok);
        ok
    }
}

fn offline(server: &str, e: &reqwest::Error) -> ClientError {
    let why = if e.is_timeout() { "it did not answer in time" } else { "no connection could be made" };
    ClientError::Offline(Problem::new(Code::Offline).param("server", server).param("why", why))
}

impl Client {
    /// Erases everything this device holds (records, pending changes, session,
    /// attachments). Called when the server says the device was revoked.
    pub(crate) fn wipe_local_data(&self) -> Result<(), ClientError> {
        self.with_store(|s| Ok(s.wipe()?))?;
        let media = self.data_dir().join("media");
        if media.exists() {
            std::fs::remove_dir_all(&media).map_err(|e| ClientError::file(&media, e))?;
        }
        tracing::warn!("device revoked: local data erased");
        Ok(())
    }

    /// The user's devices, this one marked `current`.
    pub async fn devices(&self) -> Result<Vec<crm_protocol::DeviceInfo>, ClientError> {
        let (server, token) = self.session()?;
        let url = format!("{}/v1/devices", server.trim_end_matches('/'));
        let request = self.inner.http.get(url);
        let bytes = self.send(&server, &token, request).await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::unexpected(&server, e))
    }

    /// The server's version and protocol (signed in).
    pub async fn server_about(&self) -> Result<crm_protocol::About, ClientError> {
        let (server, token) = self.session()?;
        let url = format!("{}/v1/about", server.trim_end_matches('/'));
        let bytes = self.send(&server, &token, self.inner.http.get(url)).await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::unexpected(&server, e))
    }

    /// Revokes one of the user's devices (a lost laptop): it stops syncing and erases its
    /// data the next time it reaches the server.
    pub async fn revoke_device(&self, id: &str) -> Result<(), ClientError> {
        let (server, token) = self.session()?;
        let url = format!("{}/v1/devices/{id}", server.trim_end_matches('/'));
        let request = self.inner.http.delete(url);
        self.send(&server, &token, request).await.map(|_| ())
    }

    pub(crate) async fn send(
        &self,
        server: &str,
        token: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, ClientError> {
        let response = Self::sent(server, token, request).await?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| offline(server, &e))?;
        self.check(status, &bytes)?;
        Ok(bytes.to_vec())
    }

    /// Sends an authenticated request of the protocol; a failure to reach the server is
    /// "offline".
    async fn sent(
        server: &str,
        token: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, ClientError> {
        request
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| offline(server, &e))
    }

    /// Like [`send`](Self::send) for a large answer: the body is read piece by piece and
    /// `progress(done, total)` called as it arrives (`total` 0 when the server gave none).
    pub(crate) async fn send_with_progress(
        &self,
        server: &str,
        token: &str,
        request: reqwest::RequestBuilder,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<Vec<u8>, ClientError> {
        let mut response = Self::sent(server, token, request).await?;
        let status = response.status();
        let total = response.content_length().unwrap_or(0);
        let mut body = Vec::with_capacity(usize::try_from(total).unwrap_or(0).min(crm_protocol::MAX_BLOB_BYTES));
        while let Some(chunk) = response.chunk().await.map_err(|e| offline(server, &e))? {
            body.extend_from_slice(&chunk);
            if body.len() > crm_protocol::MAX_BLOB_BYTES {
                return Err(ClientError::unexpected(server, "an attachment larger than allowed"));
            }
            progress(body.len() as u64, total);
        }
        self.check(status, &body)?;
        Ok(body)
    }

    pub(crate) fn session(&self) -> Result<(String, String), ClientError> {
        let (server, token) = self.with_store(|s| Ok((s.meta("server_url")?, s.meta("token")?)))?;
        match (server, token) {
            (Some(server), Some(token)) => Ok((server, token)),
            _ => Err(ClientError::NotLoggedIn),
        }
    }
}

/// Notes when the session token must be refreshed: halfway through its life.
pub(crate) fn remember_expiry(store: &crm_store::Store, now: i64, expires_at: i64) -> Result<(), ClientError> {
    if expires_at > now {
        store.set_meta("token_refresh_after", &(now + (expires_at - now) / 2).to_string())?;
    }
    Ok(())
}

impl Client {
    /// Swaps the session token for a fresh one when it is past half its life, so a
    /// device that syncs now and then never finds itself logged out. Quiet when the
    /// server cannot be reached (the sync that follows says so).
    pub(crate) async fn refresh_token_if_due(&self) -> Result<(), ClientError> {
        let due = self.with_store(|s| Ok(s.meta("token_refresh_after")?))?.and_then(|v| v.parse::<i64>().ok());
        if due.is_none_or(|due| crate::now_ms() < due) {
            return Ok(());
        }
        let (server, token) = self.session()?;
        let url = format!("{}/v1/session/refresh", server.trim_end_matches('/'));
        let bytes = match self.send(&server, &token, self.inner.http.post(url)).await {
            Ok(bytes) => bytes,
            Err(e) if e.is_offline() => return Ok(()),
            Err(e) => return Err(e),
        };
        let fresh: crm_protocol::RefreshResponse =
            serde_json::from_slice(&bytes).map_err(|e| ClientError::unexpected(&server, e))?;
        self.with_store(|s| {
            s.set_meta("token", &fresh.token)?;
            remember_expiry(s, crate::now_ms(), fresh.expires_at)
        })
    }
}
