//! `GET /v1/devices` and `DELETE /v1/devices/{id}`: a user's devices, and revoking one
//! (a lost laptop). Users manage their own devices; administrators anyone's.

use crate::auth::Session;
use crate::error::ApiError;
use crate::{AppState, authz};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use crm_protocol::DeviceInfo;

pub async fn index(State(state): State<AppState>, session: Session) -> Result<Json<Vec<DeviceInfo>>, ApiError> {
    let mut devices = state.db.list_devices(&session.user_id).await?;
    for d in &mut devices {
        d.current = d.id == session.device_id;
    }
    Ok(Json(devices))
}

pub async fn revoke(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let owner =
        state.db.device_owner(&id).await?.ok_or_else(|| {
            ApiError::NotFound(crm_core::Problem::new(crm_core::Code::DeviceUnknown).param("id", &id))
        })?;
    authz::can_revoke_device(&session, &owner).map_err(ApiError::Forbidden)?;
    state.db.revoke_device(&id).await?;
    state.db.audit(&session.email, "device_revoked", &id, &owner, crate::now_ms()).await?;
    tracing::warn!(by = %session.email, device = %id, "device revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/directory`: every user (once per device, or once with an empty device id)
/// with their name, work e-mail and sales manager, so a record's history can say who
/// made each change, a deal can name its rep and their manager, and a manager can name
/// the rep an account goes to. No device names, nothing else.
pub async fn directory(
    State(state): State<AppState>,
    _session: Session,
) -> Result<Json<Vec<crm_protocol::DirectoryEntry>>, ApiError> {
    Ok(Json(state.db.directory().await?))
}

/// `POST /v1/exports/{id}`: a device reports that it exported a person's data (RGPD),
/// for the security log.
pub async fn exported(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = uuid::Uuid::parse_str(&id).map_err(|_| ApiError::bad_request(format!("`{id}` is not a record id")))?;
    state.db.audit(&session.email, "gdpr_exported", &id.to_string(), &session.device_id, crate::now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}
