//! The REST API for integrators, under `/api/v1`: the records of each type listed page
//! by page, read, created, changed and deleted, as the user an API key acts for.
//!
//! The API is one more writer of the same Automerge documents: a write becomes a change
//! made by the key's own device (named after the key, so `crm history` shows it) and
//! goes through the push every device change goes through (validation, the permission
//! matrix of `authz`, territories, the log), so devices receive it at their next sync;
//! reads see what devices pushed at once. Errors are JSON, in French, with the field at
//! fault: `{"code", "message", "field", "params"}`. No parameter is ever ignored: one
//! this route does not know is a 400.

pub mod openapi;
pub(crate) mod records;

use crate::AppState;
use crate::auth::Session;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use crm_core::permissions::Viewer;
use crm_core::{Code, Lang, Problem, RecordType};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

/// The largest request body: one record's fields.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The collections and the record type each holds, in the order the document lists them.
pub const COLLECTIONS: &[(&str, RecordType)] = &[
    ("accounts", RecordType::Account),
    ("contacts", RecordType::Contact),
    ("activities", RecordType::Activity),
    ("deals", RecordType::Deal),
    ("contracts", RecordType::Contract),
    ("products", RecordType::Product),
    ("quotes", RecordType::Quote),
    ("events", RecordType::Event),
    ("tasks", RecordType::Task),
    ("leads", RecordType::Lead),
    ("tickets", RecordType::Ticket),
];

fn collection(name: &str) -> Result<RecordType, Failure> {
    COLLECTIONS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).ok_or_else(|| {
        let known: Vec<&str> = COLLECTIONS.iter().map(|(n, _)| *n).collect();
        Failure::new(
            StatusCode::NOT_FOUND,
            Problem::new(Code::NotOnServer)
                .param("detail", format!("/api/v1/{name} (collections : {})", known.join(", "))),
        )
    })
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/docs", get(openapi::explorer))
        .route("/{collection}", get(records::list).post(records::create))
        .route("/{collection}/{id}", get(records::show).patch(records::update).delete(records::remove))
        .fallback(|uri: axum::http::Uri| async move {
            Failure::new(StatusCode::NOT_FOUND, Problem::new(Code::NotOnServer).param("detail", uri.path()))
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// Requests per key: a quota per minute, in bursts of up to a minute's worth.
pub struct RateLimits(DefaultKeyedRateLimiter<String>);

impl RateLimits {
    pub fn per_minute(n: u32) -> RateLimits {
        RateLimits(RateLimiter::keyed(Quota::per_minute(NonZeroU32::new(n.max(1)).expect("at least one"))))
    }

    /// `Err(seconds to wait)` when the key has used its quota.
    fn check(&self, key: &str) -> Result<(), u64> {
        use governor::clock::{Clock, DefaultClock};
        self.0
            .check_key(&key.to_string())
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1))
    }
}

/// Who calls: the user an API key acts for, as the rules see them.
pub struct Caller {
    pub session: Session,
    pub viewer: Viewer,
    pub key_name: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthorized = || Failure::new(StatusCode::UNAUTHORIZED, Problem::new(Code::ApiKeyInvalid));
        let key = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| k.starts_with(crate::db::KEY_PREFIX) && k.len() < 200)
            .ok_or_else(unauthorized)?;
        let now = crate::now_ms();
        let Some((session, key_name)) = state.db.session_by_api_key(key, now).await? else {
            return Err(unauthorized());
        };
        if session.disabled {
            return Err(Failure::new(StatusCode::FORBIDDEN, Problem::new(Code::AccountDisabled)));
        }
        if let Err(seconds) = state.api_limits.check(&session.device_id) {
            state.api_uses.note(&state.db, &key_name, "api_rate_limited", now).await;
            let mut failure = Failure::new(
                StatusCode::TOO_MANY_REQUESTS,
                Problem::new(Code::ApiRateLimited).param("seconds", seconds),
            );
            failure.retry_after = Some(seconds);
            return Err(failure);
        }
        state.api_uses.note(&state.db, &key_name, "api_key_used", now).await;
        let viewer = state.db.viewer(&session).await.map_err(Failure::internal)?;
        Ok(Caller { session, viewer, key_name })
    }
}

/// The security log's lines for API keys: a key's use and its being throttled are
/// written once an hour per key, not per request.
#[derive(Default)]
pub struct UseLog(std::sync::Mutex<std::collections::HashMap<(String, &'static str), i64>>);

impl UseLog {
    async fn note(&self, db: &crate::db::Db, key_name: &str, action: &'static str, now: i64) {
        let due = {
            let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let last = seen.entry((key_name.to_string(), action)).or_insert(i64::MIN);
            let due = now.saturating_sub(*last) >= 3_600_000;
            if due {
                *last = now;
            }
            due
        };
        if due && let Err(e) = db.audit(key_name, action, key_name, "", now).await {
            tracing::warn!(error = %e, "the security log could not be written");
        }
    }
}

/// An API error: the status and what is wrong, told in French.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub problem: Problem,
    pub retry_after: Option<u64>,
}

impl Failure {
    pub fn new(status: StatusCode, problem: Problem) -> Failure {
        Failure { status, problem, retry_after: None }
    }

    fn internal(e: impl Into<anyhow::Error>) -> Failure {
        let e = e.into();
        tracing::error!(error = %format!("{e:#}"), "API request failed");
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, Problem::new(Code::ServerError))
    }

    fn bad_param(name: &str, detail: impl std::fmt::Display) -> Failure {
        Failure::new(
            StatusCode::BAD_REQUEST,
            Problem::new(Code::ApiParamInvalid).param("name", name).param("detail", detail),
        )
    }

    fn unprocessable(problem: Problem) -> Failure {
        Failure::new(StatusCode::UNPROCESSABLE_ENTITY, problem)
    }
}

impl From<crate::db::DbError> for Failure {
    fn from(e: crate::db::DbError) -> Self {
        use crate::db::DbError;
        match e {
            DbError::NotFound(p) => Failure::new(StatusCode::NOT_FOUND, p),
            DbError::Refused(p) => Failure::new(StatusCode::FORBIDDEN, p),
            DbError::Invalid(p) => Failure::unprocessable(p),
            DbError::Other(e) => Failure::internal(e),
        }
    }
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::internal(e)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "code": self.problem.code,
            "message": self.problem.text(Lang::Fr),
            "field": self.problem.field,
            "params": self.problem.params,
        });
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}
