//! `POST /v1/sync`: one round of push and pull (see docs/sync-protocol.md).

use super::JsonBody;
use crate::auth::Session;
use crate::db::PushContext;
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

async fn answer(state: &AppState, session: &Session, mut req: SyncRequest) -> Result<SyncResponse, ApiError> {
    if req.changes.len() > MAX_PUSH_CHANGES {
        return Err(ApiError::bad_request(format!(
            "a push may carry at most {MAX_PUSH_CHANGES} changes; this one has {}",
            req.changes.len()
        )));
    }
    if req.resync.len() > MAX_RESYNC {
        return Err(ApiError::bad_request(format!("at most {MAX_RESYNC} records may be asked for whole at once")));
    }
    if i64::try_from(req.cursor).is_err() {
        return Err(ApiError::bad_request(format!("the cursor {} is not one this server gives out", req.cursor)));
    }
    let mut response = SyncResponse::default();
    // Read once for the whole request: the user as the rules see them, the log's state.
    let viewer = state.db.viewer(session).await?;
    let log = state.db.log_state().await?;
    if !req.changes.is_empty() {
        let mut groups: Vec<(Uuid, Vec<Vec<u8>>)> = Vec::new();
        let mut index: HashMap<Uuid, usize> = HashMap::new();
        for change in std::mem::take(&mut req.changes) {
            let slot = *index.entry(change.doc).or_insert_with(|| {
                groups.push((change.doc, Vec::new()));
                groups.len() - 1
            });
            groups[slot].1.push(change.data.0);
        }
        let context = PushContext {
            viewer: &viewer,
            relay: log.recovering(now_ms()),
            max_doc_bytes: state.settings.max_doc_bytes,
        };
        let outcome = state.db.push_with(session, &context, groups, now_ms(), None).await?;
        response.acked = outcome.acked;
        response.rejected = outcome.rejected;
        if !response.rejected.is_empty() {
            tracing::warn!(device = %session.device_id, rejected = response.rejected.len(), "push partly refused");
        }
    }
    let epoch = log.epoch;
    if session.scope_epoch != session.device_scope_epoch {
        // What the user may see changed as a whole: the device starts over. The reset
        // is repeated until the device asks again from scratch, so a lost answer
        // cannot leave it with records it may no longer hold.
        if req.full && req.cursor == 0 {
            state.db.device_caught_up_scope(session).await?;
        } else {
            response.reset = true;
            response.epoch = epoch;
            return Ok(response);
        }
    }
    let limit = req.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let page = state.db.pull_as(session, &viewer, req.cursor, limit, req.full).await?;
    if req.cursor > page.head {
        return ahead_of_the_log(state, session, &req, epoch, page.head, response).await;
    }
    response.items = page.items;
    if !req.resync.is_empty() {
        response.items.extend(state.db.snapshots(&viewer, &req.resync).await?);
    }
    response.epoch = epoch;
    response.cursor = page.cursor;
    response.cursor_proof = state.db.cursor_proof(epoch, page.cursor);
    response.more = page.more;
    response.head = page.head;
    Ok(response)
}

/// A device whose cursor is beyond the last sequence number. With this server's proof
/// that the log once reached that cursor in this epoch, the log was restored from a
/// backup and lost entries: a new epoch makes every device send back what may be
/// missing. Without it (a made-up cursor, a device from another server) only this
/// device starts over, sending its history and pulling from the beginning; the others
/// are not disturbed.
async fn ahead_of_the_log(
    state: &AppState,
    session: &Session,
    req: &SyncRequest,
    epoch: i64,
    head: u64,
    mut response: SyncResponse,
) -> Result<SyncResponse, ApiError> {
    let proven = req.cursor_proof.as_deref().is_some_and(|p| state.db.cursor_proven(epoch, req.cursor, p));
    let now = now_ms();
    if proven {
        tracing::warn!(device = %session.device_id, cursor = req.cursor, head, "device ahead of the log: restored");
        response.epoch = state.db.restart_epoch_from(epoch, now).await?;
        state
            .db
            .audit(&session.email, "log_restored_detected", &session.device_id, &req.cursor.to_string(), now)
            .await?;
    } else {
        tracing::warn!(device = %session.device_id, cursor = req.cursor, head, "cursor beyond the log, unproven");
        response.epoch = epoch;
        response.resend = true;
        state.db.audit(&session.email, "cursor_beyond_log", &session.device_id, &req.cursor.to_string(), now).await?;
    }
    response.head = head;
    Ok(response)
}
