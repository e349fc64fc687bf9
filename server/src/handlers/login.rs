//! `POST /v1/login`, `POST /v1/session/refresh` and `POST /v1/password`: e-mail and
//! password in, a token bound to one device out; tokens renewed; passwords changed.
//! Every password check is counted against guessing before it runs (`ratelimit`).

use super::{ClientAddress, JsonBody, PublicJson};
use crate::db::DbError;
use crate::error::ApiError;
use crate::ratelimit::Refusal;
use crate::{AppState, auth, now_ms};
use axum::Json;
use axum::extract::State;
use crm_core::{Code, Problem};
use crm_protocol::{LoginRequest, LoginResponse, UserInfo};

pub async fn create(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    JsonBody(req): PublicJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let device_name = req.device_name.trim();
    if device_name.is_empty() || device_name.chars().count() > 100 {
        return Err(ApiError::BadRequest(Problem::new(Code::DeviceNameLength).field("device_name")));
    }
    let key = req.email.trim().to_lowercase();
    let attempt = state.logins.begin(address, &key, now_ms()).map_err(|refusal| match refusal {
        Refusal::TooManyFailures(wait) => {
            tracing::warn!(email = %key, %address, "login refused: too many failures");
            ApiError::RateLimited(Problem::new(Code::TooManyAttempts).param("what", "logins").param("seconds", wait))
        }
        Refusal::TooManyAtOnce => ApiError::RateLimited(Problem::new(Code::TooManyAtOnce)),
    })?;
    let user = state.db.user_by_email(&key).await?;
    // Verify even for an unknown e-mail, so timing does not reveal who has an account.
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.clone());
    let ok = check_password(req.password.clone(), hash).await?;
    let user = match user {
        Some(u) if ok => u,
        _ => {
            tracing::warn!(email = %key, %address, "failed login");
            state.db.audit(&key, "login_failed", &key, &address.to_string(), now_ms()).await?;
            return Err(ApiError::Unauthorized(Problem::new(Code::WrongCredentials)));
        }
    };
    attempt.succeeded();
    if user.disabled {
        return Err(ApiError::Forbidden(Problem::new(Code::AccountDisabled)));
    }
    let (token, token_hash) = auth::new_token();
    let now = now_ms();
    let device_id = req.device_id.to_string();
    let expires_at = now + state.settings.token_ttl_ms;
    state.db.open_session(&user.id, &device_id, device_name, &token_hash, now, expires_at).await?;
    tracing::info!(user = %user.email, device = %req.device_id, "login");
    state.db.audit(&user.email, "login", &device_id, device_name, now).await?;
    Ok(Json(LoginResponse {
        token,
        user: UserInfo { id: user.id, email: user.email, name: user.name, role: user.role },
        device_id: req.device_id,
        expires_at,
    }))
}

/// `POST /v1/session/refresh`: swaps the caller's token for a new one of full lifetime.
/// The old token stops working a minute later (requests in flight still succeed) and
/// cannot be refreshed again.
pub async fn refresh(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    session: crate::auth::Session,
) -> Result<Json<crm_protocol::RefreshResponse>, ApiError> {
    let old = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| auth::token_hash(t.trim()))
        .ok_or_else(|| ApiError::Unauthorized(Problem::new(Code::NoToken)))?;
    let (token, token_hash) = auth::new_token();
    let now = now_ms();
    let expires_at = now + state.settings.token_ttl_ms;
    state.db.rotate_token(&old, &token_hash, &session, now, expires_at, crm_protocol::TOKEN_GRACE_MS).await.map_err(
        |e| match e {
            DbError::Refused(problem) => ApiError::Unauthorized(problem),
            other => other.into(),
        },
    )?;
    Ok(Json(crm_protocol::RefreshResponse { token, expires_at }))
}

/// Checks a password on the blocking pool, one check per core at most: each takes
/// ~19 MiB (Argon2id), so a morning rush of logins waits its turn instead of taking
/// gigabytes at once.
async fn check_password(password: String, hash: String) -> Result<bool, ApiError> {
    let _permit = PASSWORD_CHECKS.acquire().await.map_err(|e| ApiError::Internal(e.into()))?;
    tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.into()))
}

/// At most this many password checks at once (one per core).
static PASSWORD_CHECKS: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
});

/// An argon2id hash of a random string, verified against when the e-mail is unknown.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| auth::hash_password(&uuid::Uuid::new_v4().to_string()).unwrap_or_default());

#[derive(serde::Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// `POST /v1/password`: the user changes their password; every session of theirs ends
/// (each device logs in again with the new password). Wrong current passwords count
/// against guessing like failed logins and go to the security log.
pub async fn change_password(
    State(state): State<AppState>,
    session: crate::auth::Session,
    JsonBody(req): PublicJson<PasswordChange>,
) -> Result<axum::http::StatusCode, ApiError> {
    if req.new.chars().count() < 8 {
        return Err(ApiError::BadRequest(Problem::new(Code::PasswordTooShort).field("new")));
    }
    let attempt = state.logins.begin_password_change(&session.user_id, now_ms()).map_err(|wait| {
        ApiError::RateLimited(Problem::new(Code::TooManyAttempts).param("what", "passwords").param("seconds", wait))
    })?;
    let user = state
        .db
        .user_by_email(&session.email)
        .await?
        .ok_or_else(|| ApiError::Unauthorized(Problem::new(Code::SessionExpired)))?;
    if !check_password(req.current.clone(), user.password_hash.clone()).await? {
        state.db.audit(&session.email, "password_change_failed", &session.email, &session.device_id, now_ms()).await?;
        return Err(ApiError::Forbidden(Problem::new(Code::CurrentPasswordWrong).field("current")));
    }
    attempt.succeeded();
    let new = req.new.clone();
    let new_hash = tokio::task::spawn_blocking(move || auth::hash_password(&new))
        .await
        .map_err(|e| ApiError::Internal(e.into()))??;
    state.db.set_password(&session.email, &new_hash).await?;
    state.db.audit(&session.email, "password_changed", &session.email, "", now_ms()).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
