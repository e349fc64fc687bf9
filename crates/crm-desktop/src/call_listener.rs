//! The telephony hook: a loopback-only address a softphone or a PBX client opens on an
//! incoming call, `http://127.0.0.1:PORT/call?number=…` (port 47863, or
//! `CRM_CALL_PORT`). The app comes to the front with the caller's card. Nothing else
//! is served; the number is checked, and a request from a web page (an `Origin`
//! header) or addressed to another host name (DNS rebinding) is refused, so a site the
//! user visits cannot drive the app.

use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use std::collections::HashMap;
use tauri::{AppHandle, Emitter, Manager};

pub const DEFAULT_PORT: u16 = 47863;

/// A phone number as dialled: digits and the usual separators, at most 32 characters.
fn plausible(number: &str) -> bool {
    let n = number.trim();
    !n.is_empty()
        && n.len() <= 32
        && n.chars().all(|c| c.is_ascii_digit() || " +.-()/".contains(c))
        && n.chars().filter(char::is_ascii_digit).count() >= 3
}

/// Serves the hook until the app exits; logs and gives up when the port is taken.
pub async fn serve(app: AppHandle) {
    let port = std::env::var("CRM_CALL_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(DEFAULT_PORT);
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(port, error = %e, "the telephony hook could not listen");
            return;
        }
    };
    let router = axum::Router::new().route(
        "/call",
        axum::routing::get(move |headers: HeaderMap, Query(q): Query<HashMap<String, String>>| {
            let app = app.clone();
            async move { call(&app, port, &headers, q.get("number").map(String::as_str)) }
        }),
    );
    if let Err(e) = axum::serve(listener, router).await {
        tracing::warn!(error = %e, "the telephony hook stopped");
    }
}

fn call(app: &AppHandle, port: u16, headers: &HeaderMap, number: Option<&str>) -> axum::response::Response {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let local = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if headers.contains_key(header::ORIGIN) || !local.iter().any(|l| l == host) {
        return (StatusCode::FORBIDDEN, "Réservé aux applications de téléphonie de ce poste.\n").into_response();
    }
    let Some(number) = number.filter(|n| plausible(n)) else {
        return (StatusCode::BAD_REQUEST, "Donnez le numéro de l'appelant : /call?number=0478000000\n").into_response();
    };
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    let _ = app.emit("incoming-call", number.trim().to_string());
    (StatusCode::OK, "Fiche de l'appelant ouverte dans le CRM.\n").into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_as_telephony_sends_them_pass_and_nothing_else() {
        for ok in ["04.78.00.00.00", "+33 (0)4 78 00 00 00", "0478000000", "+33478000000"] {
            assert!(super::plausible(ok), "{ok}");
        }
        for bad in ["", "<script>", "04 78 00 00 00; rm", "abc", &"1".repeat(40)] {
            assert!(!super::plausible(bad), "{bad}");
        }
    }
}
