//! `POST /v1/sync`: one round of push and pull (see docs/sync-protocol.md).

use super::JsonBody;
use crate::auth::Session;
use crate::error::ApiError;
use crate::{AppState, now_ms};
use axum::Json;
use axum::extract::State;
use crm_protocol::{MAX_PUSH_CHANGES, MAX_RESYNC, SyncRequest, SyncResponse};
use std::collections::HashMap;
use uuid::Uuid;

const DEFAULT_PAGE: u32 = 2_000;
const MAX_PAGE: u32 = 10_000;

pub async fn exchange(
    State(state): State<AppState>,
    session: Session,
    JsonBody(req): JsonBody<SyncRequest>,
) -> Result<Json<SyncResponse>, ApiError> {
    let started = std::time::Instant::now();
    state.metrics.device_seen(&session.device_id);
    let response = answer(&state, &session, req).await;
    state.metrics.sync_requests.inc();
    state.metrics.sync_seconds.observe(started.elapsed().as_secs_f64());
    if let Ok(r) = &response {
        state.metrics.changes_ingested.inc_by(r.acked.len() as u64);
        state.metrics.changes_refused.inc_by(r.rejected.len() as u64);
        state.metrics.records_sent.inc_by(r.items.len() as u64);
    }
    response.map(Json)
}

async fn answer(state: &AppState, session: &Session, req: SyncRequest) -> Result<SyncResponse, ApiError> {
    if req.changes.len() > MAX_PUSH_CHANGES {
        return Err(ApiError::BadRequest(format!(
            "a push may carry at most {MAX_PUSH_CHANGES} changes; this one has {}",
            req.changes.len()
        )));
    }
    let mut response = SyncResponse::default();
    if !req.changes.is_empty() {
        let mut groups: Vec<(Uuid, Vec<Vec<u8>>)> = Vec::new();
        let mut index: HashMap<Uuid, usize> = HashMap::new();
        for change in req.changes {
            let slot = *index.entry(change.doc).or_insert_with(|| {
                groups.push((change.doc, Vec::new()));
                groups.len() - 1
            });
            groups[slot].1.push(change.data.0);
        }
        let outcome = state.db.push(session, groups, now_ms(), None).await?;
        response.acked = outcome.acked;
        response.rejected = outcome.rejected;
        if !response.rejected.is_empty() {
            tracing::warn!(device = %session.device_id, rejected = response.rejected.len(), "push partly refused");
        }
    }
    if req.resync.len() > MAX_RESYNC {
        return Err(ApiError::BadRequest(format!("at most {MAX_RESYNC} records may be asked for whole at once")));
    }
    if session.scope_epoch != session.device_scope_epoch {
        // What the user may see changed as a whole: the device starts over. The reset
        // is repeated until the device asks again from scratch, so a lost answer
        // cannot leave it with records it may no longer hold.
        if req.full && req.cursor == 0 {
            state.db.device_caught_up_scope(session).await?;
        } else {
            response.reset = true;
            response.epoch = state.db.log_epoch().await?;
            return Ok(response);
        }
    }
    let limit = req.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let page = state.db.pull(session, req.cursor, limit, req.full).await?;
    response.epoch = if req.cursor > page.head {
        // The device has seen more of the log than the log holds: it was restored from
        // a backup. A new epoch makes every device send back what may be missing.
        tracing::warn!(device = %session.device_id, cursor = req.cursor, head = page.head, "device ahead of the log");
        state.db.new_log_epoch().await?
    } else {
        state.db.log_epoch().await?
    };
    response.items = page.items;
    if !req.resync.is_empty() {
        response.items.extend(state.db.snapshots(session, &req.resync).await?);
    }
    response.cursor = page.cursor;
    response.more = page.more;
    response.head = page.head;
    Ok(response)
}
