//! `POST /v1/public/leads/{form_key}`: the web-to-lead route, called by anyone on the
//! internet (no login, no protocol header). It answers in French (a visitor reads it),
//! and holds against abuse: a small body, JSON or an HTML form post only, the form's one
//! allowed origin (CORS for it alone), a honeypot field, submissions counted per
//! address and in all, and idempotence (the same submission within a day is one lead,
//! even sent twice at once). The lead is written through the push every device change
//! goes through, as the « Formulaires web » writer: territories give it an owner, or it
//! waits in marketing's queue, and devices receive it at their next sync.

use crate::AppState;
use crate::db::{Claim, LeadForm, WEB_FORMS, fingerprint};
use crate::handlers::ClientAddress;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use crm_core::{FieldValue, Lang, Problem, Record, RecordId, RecordType};
use std::collections::BTreeMap;

/// The largest submission: a form of a few fields and a message.
pub const MAX_FORM_BYTES: usize = 8 * 1024;
/// The fields a form may fill; others are ignored (a submit button's name, say).
const FIELDS: [&str; 9] =
    ["name", "company", "email", "phone", "postal_code", "city", "message", "source", "consent_email"];
/// The hidden field people never fill and robots do.
pub const HONEYPOT: &str = "website";
/// More fields than any form has: refused before anything else is read.
const MAX_FIELDS: usize = 40;

/// A refusal, in the visitor's words.
struct Refusal {
    status: StatusCode,
    code: &'static str,
    field: Option<String>,
    message: String,
    retry_after: Option<i64>,
}

fn refuse(status: StatusCode, code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal { status, code, field: None, message: message.into(), retry_after: None }
}

fn invalid(problem: &Problem) -> Refusal {
    Refusal {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid",
        field: problem.field.clone(),
        message: problem.text(Lang::Fr),
        retry_after: None,
    }
}

/// The origin's CORS headers, when the request comes from the form's site.
fn cors(form: Option<&LeadForm>, headers: &HeaderMap) -> Vec<(header::HeaderName, HeaderValue)> {
    let origin =
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).map(|o| o.trim_end_matches('/').to_lowercase());
    let mut out = vec![(header::VARY, HeaderValue::from_static("Origin"))];
    if let (Some(form), Some(origin)) = (form, origin)
        && origin == form.allowed_origin
        && let Ok(value) = HeaderValue::from_str(&form.allowed_origin)
    {
        out.push((header::ACCESS_CONTROL_ALLOW_ORIGIN, value));
    }
    out
}

fn wants_html(headers: &HeaderMap) -> bool {
    let content = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    content.starts_with("application/x-www-form-urlencoded") && !accept.contains("application/json")
}

fn page(title: &str, text: &str) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family:sans-serif;max-width:36rem;margin:4rem auto\"><h1>{}</h1><p>{}</p></body></html>",
        esc(title),
        esc(title),
        esc(text)
    )
}

fn answer(
    status: StatusCode,
    html: bool,
    extra: Vec<(header::HeaderName, HeaderValue)>,
    json: serde_json::Value,
    title: &str,
    text: &str,
) -> Response {
    let mut response = if html {
        (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page(title, text)).into_response()
    } else {
        (status, axum::Json(json)).into_response()
    };
    for (k, v) in extra {
        response.headers_mut().insert(k, v);
    }
    response
}

/// `OPTIONS`: the CORS preflight, answered for the form's origin only.
pub async fn preflight(State(state): State<AppState>, Path(key): Path<String>, headers: HeaderMap) -> Response {
    let form = state.db.lead_form(&key).await.ok().flatten();
    let mut extra = cors(form.as_ref(), &headers);
    if extra.len() > 1 {
        extra.push((header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST")));
        extra.push((header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type")));
        extra.push((header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600")));
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    for (k, v) in extra {
        response.headers_mut().insert(k, v);
    }
    response
}

/// `POST`: a visitor's submission.
pub async fn submit_lead(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ClientAddress(address): ClientAddress,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    let html = wants_html(&headers);
    let form = state.db.lead_form(&key).await;
    let form = match form {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "lead form lookup failed");
            None
        }
    };
    let extra = cors(form.as_ref(), &headers);
    let refused = match receive(&state, form.as_ref(), address, &headers, request.into_body()).await {
        Ok(Received::Made) | Ok(Received::Again) | Ok(Received::Trapped) => {
            let json = serde_json::json!({"recu": true, "message": "Merci, votre demande a bien été reçue."});
            return answer(
                StatusCode::ACCEPTED,
                html,
                extra,
                json,
                "Merci !",
                "Votre demande a bien été reçue : nous vous recontactons très vite.",
            );
        }
        Err(r) => r,
    };
    let mut json = serde_json::json!({"recu": false, "erreur": refused.code, "message": refused.message});
    if let Some(field) = &refused.field {
        json["champ"] = serde_json::Value::String(field.clone());
    }
    let mut extra = extra;
    if let Some(wait) = refused.retry_after
        && let Ok(v) = HeaderValue::from_str(&wait.to_string())
    {
        extra.push((header::RETRY_AFTER, v));
    }
    answer(refused.status, html, extra, json, "Demande non envoyée", &refused.message)
}

enum Received {
    /// A new lead.
    Made,
    /// The same submission again: the lead made the first time stands.
    Again,
    /// A robot filled the honeypot: thanked, nothing kept.
    Trapped,
}

async fn receive(
    state: &AppState,
    form: Option<&LeadForm>,
    address: std::net::IpAddr,
    headers: &HeaderMap,
    body: Body,
) -> Result<Received, Refusal> {
    let Some(form) = form else {
        return Err(refuse(StatusCode::NOT_FOUND, "formulaire_inconnu", "Ce formulaire n'existe pas (ou plus)."));
    };
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default().trim_end_matches('/').to_lowercase();
        if origin != form.allowed_origin {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "origine_refusee",
                "Ce formulaire ne peut être envoyé que depuis le site de l'entreprise.",
            ));
        }
    }
    let now = crate::now_ms();
    if let Err(wait) = state.forms.allow(address, now) {
        let mut r = refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "trop_de_demandes",
            format!("Trop de demandes envoyées : réessayez dans {} minute(s).", (wait + 59) / 60),
        );
        r.retry_after = Some(wait);
        return Err(r);
    }
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "trop_long",
            format!("La demande dépasse {} Kio : raccourcissez le message.", MAX_FORM_BYTES / 1024),
        )
    })?;
    let fields = parse(headers, &bytes)?;
    if fields.get(HONEYPOT).is_some_and(|v| !v.trim().is_empty()) {
        let _ = state.db.audit(&address.to_string(), "lead_form_trap", &form.name, "", now).await;
        return Ok(Received::Trapped);
    }
    let record = lead_of(form, &fields, now)?;
    let print = fingerprint(&form.form_key, &fields);
    let internal = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "web-to-lead failed");
        refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "indisponible",
            "Le service est momentanément indisponible : réessayez dans un instant.",
        )
    };
    let id = match state.db.claim_submission(&print, now).await.map_err(|e| internal(&e))? {
        Claim::Seen(_) => return Ok(Received::Again),
        Claim::Fresh(id) => id,
    };
    let mut record = record;
    record.id = RecordId(id);
    match state.db.create_as_system(&WEB_FORMS, std::slice::from_ref(&record), now).await {
        Ok(Ok(())) => Ok(Received::Made),
        Ok(Err(problem)) => {
            let _ = state.db.release_submission(&print).await;
            Err(invalid(&problem))
        }
        Err(e) => {
            let _ = state.db.release_submission(&print).await;
            Err(internal(&e))
        }
    }
}

/// The submitted fields, from JSON (strings) or an HTML form post.
fn parse(headers: &HeaderMap, bytes: &[u8]) -> Result<BTreeMap<String, String>, Refusal> {
    let content = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_lowercase();
    let unreadable = || refuse(StatusCode::BAD_REQUEST, "illisible", "La demande est illisible.");
    let pairs: Vec<(String, String)> = if content.starts_with("application/json") {
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(bytes).map_err(|_| unreadable())?;
        let mut pairs = Vec::new();
        for (k, v) in map {
            match v {
                serde_json::Value::String(s) => pairs.push((k, s)),
                serde_json::Value::Bool(b) => pairs.push((k, if b { "yes" } else { "no" }.into())),
                serde_json::Value::Null => {}
                _ => {
                    return Err(Refusal {
                        field: Some(k),
                        ..refuse(StatusCode::UNPROCESSABLE_ENTITY, "invalid", "Chaque champ doit être un texte.")
                    });
                }
            }
        }
        pairs
    } else if content.starts_with("application/x-www-form-urlencoded") {
        serde_urlencoded::from_bytes(bytes).map_err(|_| unreadable())?
    } else {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "format",
            "Envoyez le formulaire en JSON ou comme un formulaire HTML.",
        ));
    };
    if pairs.len() > MAX_FIELDS {
        return Err(refuse(StatusCode::BAD_REQUEST, "trop_de_champs", "La demande a trop de champs."));
    }
    Ok(pairs.into_iter().filter(|(k, _)| FIELDS.contains(&k.as_str()) || k == HONEYPOT).collect())
}

/// The lead a submission makes, checked like any record.
fn lead_of(form: &LeadForm, fields: &BTreeMap<String, String>, now: i64) -> Result<Record, Refusal> {
    let mut record = Record::new(RecordId(uuid::Uuid::nil()), RecordType::Lead);
    for (k, v) in fields.iter().filter(|(k, _)| k.as_str() != HONEYPOT) {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        let v = match k.as_str() {
            "consent_email" => match v.to_lowercase().as_str() {
                "yes" | "oui" | "on" | "true" | "1" => "yes",
                _ => "no",
            },
            _ => v,
        };
        record.fields.insert(k.clone(), FieldValue::Text(v.to_string()));
    }
    crm_core::leads::check_reachable(&record.fields).map_err(|p| invalid(&p))?;
    record.fields.entry("source".into()).or_insert_with(|| FieldValue::Text(form.source.clone()));
    record.fields.insert("status".into(), FieldValue::Text("new".into()));
    record.fields.insert("form".into(), FieldValue::Text(form.name.clone()));
    let at = chrono::DateTime::from_timestamp_millis(now).unwrap_or_default();
    record.fields.insert("received_at".into(), FieldValue::Text(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)));
    let record = crm_core::normalize_record(&record);
    crm_core::validate(&record).map_err(|p| invalid(&p))?;
    Ok(record)
}
