//! `GET /v1/records/{id}/receipts`: how the server received each change of a record the
//! user may read (who sent it, from which device, when), the evidence `crm history`
//! shows beside what the changes say of themselves.

use crate::auth::Session;
use crate::error::ApiError;
use crate::{AppState, authz};
use axum::Json;
use axum::extract::{Path, State};
use crm_protocol::Receipt;

pub async fn receipts(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<Vec<Receipt>>, ApiError> {
    let id = uuid::Uuid::parse_str(&id).map_err(|_| ApiError::bad_request(format!("`{id}` is not a record id")))?;
    let viewer = state.db.viewer(&session).await?;
    let unknown = || ApiError::not_found(format!("no record {id} that you may see"));
    let (doc_type, owner) = state.db.record_owner(id).await?.ok_or_else(unknown)?;
    if !authz::can_read(&viewer, &doc_type, owner.as_deref()) {
        return Err(unknown());
    }
    Ok(Json(state.db.receipts(id).await?))
}
