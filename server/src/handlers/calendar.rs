//! The calendar feed: `POST /v1/calendar-feed` gives the user a secret address;
//! `GET /calendar/{token}.ics` serves their events to Outlook or any calendar app.

use crate::auth::{self, Session};
use crate::error::ApiError;
use crate::{AppState, now_ms};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::{Value, json};

/// Creates (or replaces, which revokes the old address) the user's feed address.
pub async fn create(State(state): State<AppState>, session: Session) -> Result<Json<Value>, ApiError> {
    let (token, hash) = auth::new_token();
    state.db.set_calendar_feed(&session.user_id, &hash, now_ms()).await?;
    Ok(Json(json!({ "path": format!("/calendar/{token}.ics") })))
}

pub async fn show(State(state): State<AppState>, Path(file): Path<String>) -> Result<impl IntoResponse, ApiError> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let user = state
        .db
        .calendar_feed_user(&auth::token_hash(token))
        .await?
        .ok_or_else(|| ApiError::NotFound(crm_core::Problem::new(crm_core::Code::CalendarUnknown)))?;
    let events = state.db.events_of(&user).await?;
    let body = crm_core::ics::events_to_ics("CRM Terrain", &events, chrono::Utc::now());
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body))
}
