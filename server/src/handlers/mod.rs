//! Request handlers, one file per resource, named by verb.

pub mod blobs;
pub mod calendar;
pub mod campaigns;
pub mod devices;
pub mod gdpr;
pub mod health;
pub mod login;
pub mod public;
pub mod records;
pub mod sync;

use crate::error::ApiError;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use crm_protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION};

/// Every `/v1` request names the protocol it speaks; any other version gets a clear
/// "please update" answer before anything else is read.
pub async fn require_protocol(request: Request, next: Next) -> Response {
    let sent = request.headers().get(PROTOCOL_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
    match sent.as_deref() {
        Some(v) if v.trim() == PROTOCOL_VERSION.to_string() => next.run(request).await,
        Some(v) => ApiError::ProtocolUnsupported(format!("version {v}")).into_response(),
        None => ApiError::ProtocolUnsupported(format!("no {PROTOCOL_HEADER} header")).into_response(),
    }
}

/// A JSON body of at most `LIMIT` bytes (once decompressed), with decoding errors
/// turned into a 400 that says what is wrong and an oversize body into a 413 that names
/// the limit.
pub struct JsonBody<T, const LIMIT: usize = { crm_protocol::MAX_BODY_BYTES }>(pub T);

/// The body of a route anyone may call before logging in: a few KiB at most.
pub type PublicJson<T> = JsonBody<T, { crm_protocol::MAX_PUBLIC_BODY_BYTES }>;

impl<S, T, const LIMIT: usize> axum::extract::FromRequest<S> for JsonBody<T, LIMIT>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::to_bytes(req.into_body(), LIMIT).await.map_err(|e| {
            let too_large = std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            if too_large {
                ApiError::TooLarge(crm_core::Problem::new(crm_core::Code::RequestTooLarge).param("limit", size(LIMIT)))
            } else {
                ApiError::bad_request(format!("cannot read the request body: {e}"))
            }
        })?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::bad_request(format!("the request body is not valid: {e}")))
    }
}

/// A size for messages: `8 KiB`, `16 MiB`.
fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 { format!("{} MiB", bytes / 1024 / 1024) } else { format!("{} KiB", bytes / 1024) }
}

/// The address a request comes from: the peer, or with `--trust-forwarded` (the
/// server behind a reverse proxy on the same machine) the last address the proxy
/// added to `X-Forwarded-For`.
pub struct ClientAddress(pub std::net::IpAddr);

impl axum::extract::FromRequestParts<crate::AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .settings
            .trust_forwarded
            .then(|| parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()))
            .flatten()
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok());
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<crate::listener::Peer>>().map(|c| c.0.0.ip());
        Ok(ClientAddress(forwarded.or(peer).unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]))))
    }
}
