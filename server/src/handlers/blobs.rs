//! `PUT /v1/blobs/{hash}` and `GET /v1/blobs/{hash}`: attachments, content-addressed.

use crate::auth::Session;
use crate::error::ApiError;
use crate::{AppState, authz, now_ms};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};

fn check_hash(hash: &str) -> Result<(), ApiError> {
    if hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!("`{hash}` is not a SHA-256 in lower-case hex")))
    }
}

pub async fn put(
    State(state): State<AppState>,
    session: Session,
    Path(hash): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    check_hash(&hash)?;
    authz::can_write_blob(&session).map_err(ApiError::Forbidden)?;
    let actual: String = Sha256::digest(&body).iter().map(|b| format!("{b:02x}")).collect();
    if actual != hash {
        return Err(ApiError::BadRequest(
            crm_core::Problem::new(crm_core::Code::AttachmentHash).param("actual", actual).param("expected", &hash),
        ));
    }
    let created =
        state.db.put_blob(&hash, &body, &session.user_id, now_ms(), state.settings.blob_quota_bytes).await.map_err(
            |e| match e {
                crate::db::DbError::Refused(problem) => ApiError::TooLarge(problem),
                other => other.into(),
            },
        )?;
    Ok(if created { StatusCode::CREATED } else { StatusCode::OK })
}

pub async fn get(
    State(state): State<AppState>,
    session: Session,
    Path(hash): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    check_hash(&hash)?;
    authz::can_read_blob(&session).map_err(ApiError::Forbidden)?;
    match state.db.get_blob(&hash).await? {
        Some(data) => Ok(([(header::CONTENT_TYPE, "application/octet-stream")], data)),
        None => Err(ApiError::not_found(format!("no attachment {hash} on the server (not uploaded yet?)"))),
    }
}
