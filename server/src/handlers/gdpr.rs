//! `POST /v1/gdpr/erase/{id}`: erasing a person (administrators only). The record is
//! rewritten without its history on the server; every device replaces its copy at its
//! next sync (see `db::gdpr`).

use crate::auth::Session;
use crate::error::ApiError;
use crate::{AppState, authz};
use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

pub async fn erase(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    authz::can_erase_person(&session).map_err(ApiError::Forbidden)?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| ApiError::bad_request(format!("`{id}` is not a record id")))?;
    let record_type = state.db.gdpr_erase(id, crate::now_ms()).await?;
    // The log names the record, never the person.
    state.db.audit(&session.email, "gdpr_erased", &id.to_string(), record_type.as_str(), crate::now_ms()).await?;
    tracing::warn!(by = %session.email, record = %id, "person erased (RGPD)");
    Ok(Json(json!({ "erased": id, "type": record_type.as_str() })))
}
