//! [`ApiError`]: every way a request can fail, mapped to a precise HTTP status and a
//! JSON body that tells the client what is wrong without leaking internals.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use crm_core::{Code, Problem};
use crm_protocol::{ErrorBody, ErrorCode, PROTOCOL_VERSION};

/// Each variant carries the [`Problem`] the client tells its user (in English in the
/// body's `message`, for logs and scripts; as a code in `problem`, for the app).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(Problem),
    #[error("{0}")]
    Unauthorized(Problem),
    #[error("{0}")]
    Forbidden(Problem),
    #[error("{0}")]
    NotFound(Problem),
    #[error("{0}")]
    TooLarge(Problem),
    #[error("{0}")]
    RateLimited(Problem),
    /// Too many requests of this kind at once: try again shortly.
    #[error("{0}")]
    Busy(Problem),
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
            DbError::NotFound(p) => ApiError::NotFound(p),
            DbError::Refused(p) => ApiError::Forbidden(p),
            DbError::Invalid(p) => ApiError::BadRequest(p),
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
        let problem = match &self {
            ApiError::BadRequest(p)
            | ApiError::Unauthorized(p)
            | ApiError::Forbidden(p)
            | ApiError::NotFound(p)
            | ApiError::TooLarge(p)
            | ApiError::RateLimited(p)
            | ApiError::Busy(p) => p.clone(),
            ApiError::DeviceRevoked => Problem::new(Code::DeviceRevoked),
            ApiError::ProtocolUnsupported(_) => Problem::new(Code::UpdateRequired),
            ApiError::Internal(_) => Problem::new(Code::ServerError),
        };
        let message = match &self {
            ApiError::Internal(_) => problem.to_string(),
            other => other.to_string(),
        };
        let mut response = (status, Json(ErrorBody { code, message, problem: Some(problem) })).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("5"));
        }
        response
    }
}

impl ApiError {
    /// A request this server cannot take as sent (a client's mistake, in English).
    pub fn bad_request(detail: impl std::fmt::Display) -> ApiError {
        ApiError::BadRequest(Problem::new(Code::RequestInvalid).param("detail", detail))
    }

    /// Nothing of that name here.
    pub fn not_found(detail: impl std::fmt::Display) -> ApiError {
        ApiError::NotFound(Problem::new(Code::NotOnServer).param("detail", detail))
    }
}
