//! The whole route table. Handlers live in `handlers/<resource>.rs`.

use crate::AppState;
use crate::handlers::{blobs, calendar, devices, gdpr, health, login, sync};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use crm_protocol::{COMPRESS_FROM_BYTES, MAX_BODY_BYTES};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::trace::TraceLayer;

pub fn app(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/login", post(login::create))
        .route("/password", post(login::change_password))
        .route("/session/refresh", post(login::refresh))
        .route("/sync", post(sync::exchange))
        .route("/calendar-feed", post(calendar::create))
        .route("/devices", get(devices::index))
        .route("/devices/{id}", axum::routing::delete(devices::revoke))
        .route("/gdpr/erase/{id}", post(gdpr::erase))
        .route("/exports/{id}", post(devices::exported))
        .route("/directory", get(devices::directory))
        .route(
            "/blobs/{hash}",
            get(blobs::get).put(blobs::put).layer(DefaultBodyLimit::max(crm_protocol::MAX_BLOB_BYTES)),
        )
        .route_layer(axum::middleware::from_fn(crate::handlers::require_protocol));
    Router::new()
        .route("/health", get(health::show))
        .route("/metrics", get(health::metrics))
        // Calendar apps cannot send headers: the feed lives outside /v1, its secret in the path.
        .route("/calendar/{file}", get(calendar::show))
        .nest("/v1", v1)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestDecompressionLayer::new().zstd(true))
        .layer(CompressionLayer::new().zstd(true).compress_when(
            SizeAbove::new(COMPRESS_FROM_BYTES as u16).and(tower_http::compression::predicate::NotForContentType::GRPC),
        ))
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
