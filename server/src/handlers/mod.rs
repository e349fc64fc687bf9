//! Request handlers, one file per resource, named by verb.

pub mod blobs;
pub mod calendar;
pub mod devices;
pub mod gdpr;
pub mod health;
pub mod login;
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

/// A JSON body, with decoding errors turned into a 400 that says what is wrong.
pub struct JsonBody<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge(format!(
                    "the request body is larger than {} MiB: send fewer changes per request",
                    crm_protocol::MAX_BODY_BYTES / 1024 / 1024
                ))
            } else {
                ApiError::BadRequest(format!("cannot read the request body: {e}"))
            }
        })?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::BadRequest(format!("the request body is not valid: {e}")))
    }
}
