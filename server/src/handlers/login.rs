//! `POST /v1/login`: e-mail and password in, a token bound to one device out.

use super::JsonBody;
use crate::error::ApiError;
use crate::{AppState, auth, now_ms};
use axum::Json;
use axum::extract::State;
use crm_protocol::{LoginRequest, LoginResponse, UserInfo};

pub async fn create(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let device_name = req.device_name.trim();
    if device_name.is_empty() || device_name.chars().count() > 100 {
        return Err(ApiError::BadRequest("device_name must be 1 to 100 characters".into()));
    }
    let wrong = || ApiError::Unauthorized("wrong e-mail or password".into());
    let key = req.email.trim().to_lowercase();
    if let Err(wait) = state.logins.check(&key, now_ms()) {
        tracing::warn!(email = %key, "login refused: too many failures");
        return Err(ApiError::RateLimited(format!(
            "too many failed logins for this e-mail: try again in {} minute(s)",
            (wait + 59) / 60
        )));
    }
    let user = state.db.user_by_email(&req.email).await?;
    // Verify even for an unknown e-mail, so timing does not reveal who has an account.
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.clone());
    let password = req.password.clone();
    // Each check takes ~19 MiB (Argon2id): a morning rush of logins waits its turn
    // instead of taking gigabytes at once.
    let _permit = PASSWORD_CHECKS.acquire().await.map_err(|e| ApiError::Internal(e.into()))?;
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    let user = match user {
        Some(u) if ok => u,
        _ => {
            tracing::warn!(email = %req.email, "failed login");
            state.logins.failed(&key, now_ms());
            state.db.audit(&key, "login_failed", &key, "", now_ms()).await?;
            return Err(wrong());
        }
    };
    state.logins.succeeded(&key);
    if user.disabled {
        return Err(ApiError::Forbidden("this user account is disabled: ask an administrator".into()));
    }
    let (token, token_hash) = auth::new_token();
    let now = now_ms();
    state
        .db
        .open_session(
            &user.id,
            &req.device_id.to_string(),
            device_name,
            &token_hash,
            now,
            now + state.settings.token_ttl_ms,
        )
        .await
        .map_err(|e| {
            if e.to_string().contains("another user") {
                ApiError::Forbidden(e.to_string())
            } else {
                ApiError::Internal(e)
            }
        })?;
    tracing::info!(user = %user.email, device = %req.device_id, "login");
    state.db.audit(&user.email, "login", &req.device_id.to_string(), device_name, now).await?;
    Ok(Json(LoginResponse {
        token,
        user: UserInfo { id: user.id, email: user.email, name: user.name, role: user.role },
        device_id: req.device_id,
        expires_at: now + state.settings.token_ttl_ms,
    }))
}

/// `POST /v1/session/refresh`: swaps the caller's token for a new one of full lifetime.
/// The old token stops working a minute later (requests in flight still succeed).
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
        .ok_or_else(|| ApiError::Unauthorized("log in first: no bearer token was sent".into()))?;
    let (token, token_hash) = auth::new_token();
    let now = now_ms();
    let expires_at = now + state.settings.token_ttl_ms;
    state.db.rotate_token(&old, &token_hash, &session, now, expires_at, crm_protocol::TOKEN_GRACE_MS).await?;
    Ok(Json(crm_protocol::RefreshResponse { token, expires_at }))
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
/// (each device logs in again with the new password).
pub async fn change_password(
    State(state): State<AppState>,
    session: crate::auth::Session,
    JsonBody(req): JsonBody<PasswordChange>,
) -> Result<axum::http::StatusCode, ApiError> {
    if req.new.chars().count() < 8 {
        return Err(ApiError::BadRequest("the new password must be at least 8 characters".into()));
    }
    let user =
        state.db.user_by_email(&session.email).await?.ok_or_else(|| ApiError::Unauthorized("log in again".into()))?;
    let (current, hash) = (req.current.clone(), user.password_hash.clone());
    let _permit = PASSWORD_CHECKS.acquire().await.map_err(|e| ApiError::Internal(e.into()))?;
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&current, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    if !ok {
        return Err(ApiError::Forbidden("the current password is wrong".into()));
    }
    let new = req.new.clone();
    let new_hash = tokio::task::spawn_blocking(move || auth::hash_password(&new))
        .await
        .map_err(|e| ApiError::Internal(e.into()))??;
    state.db.set_password(&session.email, &new_hash).await?;
    state.db.audit(&session.email, "password_changed", &session.email, "", now_ms()).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
