//! The whole route table. Handlers live in `handlers/<resource>.rs`.
//!
//! Limits, from the outside in: every request body must keep arriving (at most
//! [`BODY_IDLE`] between two pieces, by default), bodies are decompressed only up to each route's
//! limit (a few KiB for the routes callable before logging in, 16 MiB for a sync,
//! [`MAX_BLOB_BYTES`] for an attachment), each route has a time limit, and at most
//! [`MAX_REQUESTS`] requests are served at once ([`MAX_SYNCS`] syncs whose body may be
//! large, [`MAX_LIGHT_SYNCS`] with a small plain body, [`MAX_BLOBS`] attachment
//! transfers): the others wait their
//! turn, their bodies unread, so memory stays bounded whatever the clients send (see
//! `turns`).

use crate::AppState;
use crate::handlers::{blobs, calendar, campaigns, devices, gdpr, health, login, public, records, sync};
use crate::turns::{ByWeight, Turns, take_turn, take_turn_by_weight};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use crm_protocol::{COMPRESS_FROM_BYTES, MAX_BLOB_BYTES, MAX_PUBLIC_BODY_BYTES};
use std::convert::Infallible;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::TraceLayer;

/// The longest pause while a request body arrives (by default; `Settings::body_timeout`).
pub const BODY_IDLE: Duration = Duration::from_secs(30);
/// Requests served at once; more wait their turn.
pub const MAX_REQUESTS: usize = 256;
/// Syncs with a body that may be large (compressed, or over [`LIGHT_SYNC_BYTES`])
/// served at once: each may hold a 16 MiB body and its decoding.
pub const MAX_SYNCS: usize = 8;
/// Syncs with a small plain body (a pull, a few changes) served at once.
pub const MAX_LIGHT_SYNCS: usize = 64;
/// The largest plain body of a light sync.
pub const LIGHT_SYNC_BYTES: u64 = 64 * 1024;
/// Attachment uploads and downloads at once (each up to 50 MiB).
pub const MAX_BLOBS: usize = 4;

fn timeout(seconds: u64) -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(seconds))
}

pub fn app(state: AppState) -> Router {
    let body_timeout = state.settings.body_timeout;
    let sync_turns = ByWeight {
        light: Turns::new(MAX_LIGHT_SYNCS, "syncs"),
        heavy: Turns::new(MAX_SYNCS, "large syncs"),
        light_bytes: LIGHT_SYNC_BYTES,
    };
    let public = DefaultBodyLimit::max(MAX_PUBLIC_BODY_BYTES);
    let v1 = Router::new()
        .route("/login", post(login::create).layer(timeout(20)))
        .route("/password", post(login::change_password).layer(timeout(20)))
        .route("/session/refresh", post(login::refresh).layer(timeout(20)))
        .route(
            "/sync",
            post(sync::exchange)
                .layer::<_, Infallible>(from_fn_with_state(sync_turns, take_turn_by_weight))
                .layer(timeout(300)),
        )
        .route("/calendar-feed", post(calendar::create).layer(timeout(20)))
        // A campaign is sent while the marketing user waits (throttled): one at a time.
        .route(
            "/campaigns/{id}/send",
            post(campaigns::send)
                .layer::<_, Infallible>(from_fn_with_state(Turns::new(1, "campaign sendings"), take_turn))
                .layer(timeout(3600)),
        )
        .route("/devices", get(devices::index).layer(timeout(20)))
        .route("/devices/{id}", axum::routing::delete(devices::revoke).layer(timeout(20)))
        .route("/gdpr/erase/{id}", post(gdpr::erase).layer(timeout(60)))
        .route("/exports/{id}", post(devices::exported).layer(timeout(20)))
        .route("/directory", get(devices::directory).layer(timeout(20)))
        .route("/about", get(health::about).layer(timeout(20)))
        .route("/records/{id}/receipts", get(records::receipts).layer(timeout(20)))
        // A scan reads every record of a type: two at a time, a minute at most.
        .route(
            "/duplicates/{kind}",
            get(records::duplicates)
                .layer::<_, Infallible>(from_fn_with_state(Turns::new(2, "duplicate scans"), take_turn))
                .layer(timeout(60)),
        )
        .route(
            "/blobs/{hash}",
            get(blobs::get)
                .put(blobs::put)
                .layer::<_, Infallible>(DefaultBodyLimit::max(MAX_BLOB_BYTES))
                .layer::<_, Infallible>(from_fn_with_state(Turns::new(MAX_BLOBS, "attachment transfers"), take_turn))
                .layer(timeout(1800)),
        )
        .route_layer(axum::middleware::from_fn(crate::handlers::require_protocol))
        // Public: a web site's visitors post here (no login, no protocol header); eight
        // at once, ten seconds each, a few KiB (see handlers/public.rs).
        .route(
            "/public/leads/{form_key}",
            post(public::submit_lead)
                .options(public::preflight)
                .layer::<_, Infallible>(from_fn_with_state(Turns::new(8, "web forms"), take_turn))
                .layer(timeout(10)),
        )
        // Public: the unsubscribe link of campaign e-mails (a GET changes nothing).
        .route(
            "/public/unsubscribe/{contact}/{signature}",
            get(campaigns::unsubscribe_page)
                .post(campaigns::unsubscribe)
                .layer::<_, Infallible>(from_fn_with_state(Turns::new(8, "unsubscriptions"), take_turn))
                .layer(timeout(20)),
        );
    Router::new()
        .route("/health", get(health::show))
        .route("/metrics", get(health::metrics))
        // Calendar apps cannot send headers: the feed lives outside /v1, its secret in the path.
        .route("/calendar/{file}", get(calendar::show).layer(timeout(20)))
        .nest("/v1", v1)
        // Integrators: the REST API with its OpenAPI document (api/).
        .nest("/api/v1", crate::api::routes().layer(timeout(60)))
        // Built-in extractors (attachments) get the route's limit; others the public one.
        .layer(public)
        .layer(RequestDecompressionLayer::new().zstd(true))
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
        .layer(from_fn_with_state(Turns::new(MAX_REQUESTS, "requests"), take_turn))
        .layer(
            CompressionLayer::new().zstd(true).compress_when(
                SizeAbove::new(COMPRESS_FROM_BYTES as u16)
                    .and(tower_http::compression::predicate::NotForContentType::GRPC)
                    // Photos and videos are compressed already; sent as they are, their
                    // length is known and the app shows a download's progress.
                    .and(tower_http::compression::predicate::NotForContentType::const_new("application/octet-stream")),
            ),
        )
        // Every request gets an id (or keeps the proxy's `x-request-id`), logged on its
        // span and sent back, so a user's report can be found in the logs.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(tower_http::request_id::MakeRequestUuid))
        .with_state(state)
}
