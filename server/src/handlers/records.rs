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

/// `GET /v1/duplicates/{accounts|contacts}`: likely duplicates among the records of that
/// type the user may read, best first (at most 1,000 pairs). Only for roles that may
/// delete (so merge) them: a scan reads every record of the type.
pub async fn duplicates(
    State(state): State<AppState>,
    session: Session,
    Path(kind): Path<String>,
) -> Result<Json<Vec<crm_protocol::ServerDuplicate>>, ApiError> {
    use crm_core::RecordType;
    use crm_core::permissions::{Action, Scope, scope};
    let record_type = match kind.as_str() {
        "accounts" => RecordType::Account,
        "contacts" => RecordType::Contact,
        other => return Err(ApiError::bad_request(format!("`{other}`: ask for accounts or contacts"))),
    };
    let viewer = state.db.viewer(&session).await?;
    if scope(viewer.role, record_type, Action::Delete) == Scope::None {
        return Err(ApiError::Forbidden(
            crm_core::Problem::new(crm_core::Code::MayNotMerge).param("role", viewer.role).param("type", record_type),
        ));
    }
    let records = readable(&state, &viewer, record_type).await?;
    let pairs = tokio::task::spawn_blocking(move || {
        crm_core::duplicates::pairs(&records)
            .into_iter()
            .take(1000)
            .map(|(i, j, m)| crm_protocol::ServerDuplicate {
                a: records[i].id.to_string(),
                b: records[j].id.to_string(),
                a_name: records[i].label(),
                b_name: records[j].label(),
                score: m.score,
                reasons: m.reasons,
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!(e)))?;
    Ok(Json(pairs))
}

/// Every live record of a type the user may read, as the server holds it (its
/// materialised fields).
pub(crate) async fn readable(
    state: &AppState,
    viewer: &crm_core::permissions::Viewer,
    record_type: crm_core::RecordType,
) -> Result<Vec<crm_core::Record>, ApiError> {
    let rows = state.db.records_of_type(record_type).await?;
    Ok(rows
        .into_iter()
        .filter(|(_, owner)| authz::can_read(viewer, record_type.as_str(), owner.as_deref()))
        .map(|(record, _)| record)
        .collect())
}
