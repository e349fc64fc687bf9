//! Taking turns: at most so many requests of a kind are served at once, and the others
//! wait, their bodies unread, so memory stays bounded whatever the clients send. A
//! request waits at most [`MAX_WAIT`]: a client whose upload is held back longer gives
//! up on its own (HTTP clients abort a connection whose data goes unacknowledged for 30
//! seconds), so past that the server answers `503 busy` with `Retry-After`, and the
//! device simply syncs again a moment later.

use crate::error::ApiError;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The longest a request waits for its turn.
pub const MAX_WAIT: Duration = Duration::from_secs(15);

/// Turns for one kind of request.
#[derive(Clone)]
pub struct Turns {
    slots: Arc<Semaphore>,
    kind: &'static str,
}

impl Turns {
    pub fn new(at_once: usize, kind: &'static str) -> Turns {
        Turns { slots: Arc::new(Semaphore::new(at_once)), kind }
    }
}

/// The middleware: waits for a turn (at most [`MAX_WAIT`]), then serves the request.
pub async fn take_turn(turns: axum::extract::State<Turns>, request: Request, next: Next) -> Response {
    serve_in_turn(&turns, request, next).await
}

/// Light and heavy requests of one route: a request whose body is small and plain
/// (its length says so, it is not compressed) takes a light turn; any other may hold up
/// to the route's whole limit once decompressed, and takes a heavy one. A device's
/// sync with nothing to send never waits behind large pushes.
#[derive(Clone)]
pub struct ByWeight {
    pub light: Turns,
    pub heavy: Turns,
    /// The largest plain body that counts as light.
    pub light_bytes: u64,
}

pub async fn take_turn_by_weight(turns: axum::extract::State<ByWeight>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let plain = headers.get(axum::http::header::CONTENT_ENCODING).is_none_or(|e| e == "identity");
    let length = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let light = plain && length.is_some_and(|l| l <= turns.light_bytes);
    serve_in_turn(if light { &turns.light } else { &turns.heavy }, request, next).await
}

async fn serve_in_turn(turns: &Turns, request: Request, next: Next) -> Response {
    match tokio::time::timeout(MAX_WAIT, turns.slots.clone().acquire_owned()).await {
        Ok(Ok(_turn)) => next.run(request).await,
        _ => {
            tracing::warn!(kind = turns.kind, "busy: a request waited too long for its turn");
            ApiError::Busy(crm_core::Problem::new(crm_core::Code::ServerBusyRetry).param("kind", turns.kind))
                .into_response()
        }
    }
}
