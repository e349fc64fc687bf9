//! [`ApiError`]: every way a request can fail, mapped to a precise HTTP status and a
//! JSON body that tells the client what is wrong without leaking internals.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use crm_protocol::{ErrorBody, ErrorCode, PROTOCOL_VERSION};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    RateLimited(String),
    /// Too many requests of this kind at once: try again shortly.
    #[error("{0}")]
    Busy(String),
    #[error("this device was revoked: its local data is erased; log in again from a trusted device")]
    DeviceRevoked,
    #[error("this server speaks sync protocol {PROTOCOL_VERSION} and the app sent {0}: please update the CRM app")]
    ProtocolUnsupported(String),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        use crate::db::DbError;
        match e {
            DbError::NotFound(m) => ApiError::NotFound(m),
            DbError::Refused(m) => ApiError::Forbidden(m),
            DbError::Invalid(m) => ApiError::BadRequest(m),
            DbError::Other(e) => ApiError::Internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            ApiError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge),
            ApiError::DeviceRevoked => (StatusCode::GONE, ErrorCode::DeviceRevoked),
            ApiError::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            ApiError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Busy),
            ApiError::ProtocolUnsupported(_) => (StatusCode::UPGRADE_REQUIRED, ErrorCode::ProtocolUnsupported),
            ApiError::Internal(e) => {
                tracing::error!(error = %format!("{e:#}"), "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        };
        let message = match &self {
            ApiError::Internal(_) => "the server hit an internal error; try again later".to_string(),
            other => other.to_string(),
        };
        let mut response = (status, Json(ErrorBody { code, message })).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("5"));
        }
        response
    }
}
