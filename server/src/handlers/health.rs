//! `GET /health`: is the server up and its database reachable?

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

pub async fn show(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match sqlx::query("SELECT 1").execute(state.db.pool()).await {
        Ok(_) => (StatusCode::OK, Json(json!({"status": "ok", "protocol": crm_protocol::PROTOCOL_VERSION}))),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "database unreachable"})))
        }
    }
}

/// `GET /v1/about` (signed in): the server's version and protocol, for the app's "À
/// propos". Not on the public `/health`, so an anonymous caller learns no version.
pub async fn about(_session: crate::auth::Session) -> Json<crm_protocol::About> {
    Json(crm_protocol::About {
        version: env!("CARGO_PKG_VERSION").to_string(),
        protocol: crm_protocol::PROTOCOL_VERSION,
    })
}

/// `GET /metrics`: Prometheus text format (aggregates only: no record, user or token).
pub async fn metrics(State(state): State<AppState>) -> ([(axum::http::HeaderName, &'static str); 1], String) {
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
