//! Campaigns: `POST /v1/campaigns/{id}/send` (the marketing user's app asks; the
//! server sends over SMTP, throttled, each e-mail once per contact, and files each in
//! the contact's timeline), and the public unsubscribe link
//! `/v1/public/unsubscribe/{contact}/{signature}`: a GET shows a page with a button, a
//! POST (the button, or a mail client's RFC 8058 one-click) sets the contact's e-mail
//! consent to « no », which reaches every device at its next sync.

use crate::auth::Session;
use crate::db::CAMPAIGNS;
use crate::error::ApiError;
use crate::mail::Outgoing;
use crate::{AppState, authz};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use crm_core::campaigns::{Excluded, account_matches, parse_segment, recipient};
use crm_core::permissions::{Action, Scope, scope};
use crm_core::{Code, FieldValue, Problem, Record, RecordId, RecordType};
use crm_protocol::CampaignSent;
use std::collections::HashMap;

/// The path of a contact's unsubscribe link (signed: it cannot be guessed or altered).
pub fn unsubscribe_path(state: &AppState, contact: &str) -> String {
    format!("/v1/public/unsubscribe/{contact}/{}", state.db.sign(&format!("unsubscribe:{contact}")))
}

pub async fn send(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<CampaignSent>, ApiError> {
    let id = uuid::Uuid::parse_str(&id).map_err(|_| ApiError::bad_request(format!("`{id}` is not a record id")))?;
    let viewer = state.db.viewer(&session).await?;
    let unknown = || ApiError::not_found(format!("no campaign {id} that you may see"));
    let (doc_type, owner) = state.db.record_owner(id).await?.ok_or_else(unknown)?;
    if doc_type != "campaign" || !authz::can_read(&viewer, &doc_type, owner.as_deref()) {
        return Err(unknown());
    }
    if scope(viewer.role, RecordType::Campaign, Action::Edit) == Scope::None {
        return Err(ApiError::Forbidden(Problem::new(Code::RecordOutOfScope)));
    }
    let Some(mailer) = state.mailer.clone() else {
        return Err(ApiError::Busy(Problem::new(Code::MailNotConfigured)));
    };
    let campaigns = super::records::readable(&state, &viewer, RecordType::Campaign).await?;
    let campaign = campaigns.into_iter().find(|c| c.id.0 == id).ok_or_else(unknown)?;
    let field = |f: &str| campaign.text(f).map(str::to_string);
    for needed in ["subject", "body"] {
        if field(needed).is_none() {
            return Err(ApiError::BadRequest(
                Problem::new(Code::CampaignIncomplete).field(needed).param("type", RecordType::Campaign),
            ));
        }
    }
    let (subject, body) = (field("subject").unwrap_or_default(), field("body").unwrap_or_default());
    if campaign.text("status") == Some("sent") {
        return Err(ApiError::BadRequest(Problem::new(Code::CampaignSent)));
    }
    let segment = parse_segment(campaign.text("segment").unwrap_or_default()).map_err(ApiError::BadRequest)?;

    // The recipients: contacts of the segment's accounts who said yes.
    let accounts: HashMap<String, String> = super::records::readable(&state, &viewer, RecordType::Account)
        .await?
        .into_iter()
        .filter(|a| account_matches(a, &segment))
        .map(|a| (a.id.to_string(), a.label()))
        .collect();
    let already = state.db.campaign_reached(&id.to_string()).await?;
    let mut report = CampaignSent::default();
    let mut to_send: Vec<(Record, String)> = Vec::new();
    for contact in super::records::readable(&state, &viewer, RecordType::Contact).await? {
        let Some(account) = contact.text("account").filter(|a| accounts.contains_key(*a)).map(str::to_string) else {
            continue;
        };
        match recipient(&contact) {
            Ok(_) if already.contains(&contact.id.to_string()) => report.already += 1,
            Ok(_) => to_send.push((contact, account)),
            Err(Excluded::NoConsent) => report.excluded_no_consent += 1,
            Err(Excluded::NoEmail) => report.excluded_no_email += 1,
        }
    }

    let now = crate::now_ms();
    let name = campaign.label();
    // Under way: every device sees it (a sending cut short says so until resumed).
    let sending: crm_doc::Edit = [("status".to_string(), Some(FieldValue::Text("sending".into())))].into();
    if let Err(problem) = state.db.edit_as_system(&CAMPAIGNS, id, &sending, now).await? {
        tracing::warn!(campaign = %id, %problem, "the campaign's status was not written");
    }
    let pause = std::time::Duration::from_millis(1000 / u64::from(state.settings.mails_per_second.max(1)));
    let mut timeline: Vec<Record> = Vec::new();
    let at = chrono::DateTime::from_timestamp_millis(now).unwrap_or_default().to_rfc3339();
    for (contact, account) in &to_send {
        let email = contact.text("email").unwrap_or_default();
        let contact_id = contact.id.to_string();
        let path = unsubscribe_path(&state, &contact_id);
        let mail =
            Outgoing { to: email, to_name: &contact.label(), subject: &subject, body: &body, unsubscribe_path: &path };
        let started = std::time::Instant::now();
        match mailer.send(&mail).await {
            Ok(()) => {
                report.sent += 1;
                state.db.campaign_sent(&id.to_string(), &contact_id, email, crate::now_ms()).await?;
                let mut activity = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Activity);
                for (k, v) in [
                    ("account", account.clone()),
                    ("kind", "email".to_string()),
                    ("at", at.clone()),
                    ("subject", format!("Campagne « {name} » : {subject}")),
                ] {
                    activity.fields.insert(k.into(), FieldValue::Text(v));
                }
                activity.fields.insert("contacts".into(), FieldValue::Set(vec![contact_id]));
                timeline.push(activity);
            }
            Err(e) => {
                report.failed += 1;
                tracing::warn!(campaign = %id, error = %format!("{e:#}"), "a campaign e-mail was not sent");
            }
        }
        tokio::time::sleep(pause.saturating_sub(started.elapsed())).await;
    }
    for chunk in timeline.chunks(500) {
        if let Err(problem) = state.db.create_as_system(&CAMPAIGNS, chunk, now).await? {
            tracing::warn!(campaign = %id, %problem, "e-mails sent but not all filed in the timelines");
        }
    }
    let total = campaign.text("sent_count").and_then(|n| n.parse::<usize>().ok()).unwrap_or(0) + report.sent;
    // Sent when nobody is left to reach; still under way while some failed (sending
    // again reaches only them).
    let status = if report.failed == 0 { "sent" } else { "sending" };
    let mut edit: crm_doc::Edit = [
        ("status".to_string(), Some(FieldValue::Text(status.into()))),
        ("sent_count".to_string(), Some(FieldValue::Text(total.to_string()))),
    ]
    .into();
    if report.sent > 0 {
        edit.insert("sent_at".to_string(), Some(FieldValue::Text(at)));
    }
    if let Err(problem) = state.db.edit_as_system(&CAMPAIGNS, id, &edit, now).await? {
        tracing::warn!(campaign = %id, %problem, "the campaign's status was not written");
    }
    state.db.audit(&session.email, "campaign_sent", &id.to_string(), &format!("{} sent", report.sent), now).await?;
    Ok(Json(report))
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\">\
         <title>{title}</title></head><body style=\"font-family:sans-serif;max-width:36rem;margin:4rem auto\">\
         <h1>{title}</h1>{body}</body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

fn valid(state: &AppState, contact: &str, signature: &str) -> Option<uuid::Uuid> {
    let id = uuid::Uuid::parse_str(contact).ok()?;
    state.db.signed(&format!("unsubscribe:{id}"), signature).then_some(id)
}

fn invalid_link() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Lien invalide",
        "<p>Ce lien de désinscription n'est pas valide. Écrivez-nous pour ne plus recevoir nos e-mails.</p>",
    )
}

/// `GET`: a page with a button; nothing changes (mail scanners open links).
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    Path((contact, signature)): Path<(String, String)>,
) -> Response {
    if valid(&state, &contact, &signature).is_none() {
        return invalid_link();
    }
    page(
        StatusCode::OK,
        "Se désinscrire",
        "<p>Vous ne recevrez plus nos e-mails d'information.</p>\
         <form method=\"post\"><button type=\"submit\">Confirmer la désinscription</button></form>",
    )
}

/// `POST`: the button, or the mail client's one-click (RFC 8058): consent « no ».
pub async fn unsubscribe(
    State(state): State<AppState>,
    Path((contact, signature)): Path<(String, String)>,
) -> Response {
    let Some(id) = valid(&state, &contact, &signature) else { return invalid_link() };
    let now = crate::now_ms();
    let today = chrono::DateTime::from_timestamp_millis(now).unwrap_or_default().date_naive().to_string();
    let edit: crm_doc::Edit = [
        ("consent_email".to_string(), Some(FieldValue::Text("no".into()))),
        ("consent_date".to_string(), Some(FieldValue::Text(today))),
    ]
    .into();
    match state.db.edit_as_system(&CAMPAIGNS, id, &edit, now).await {
        Ok(Ok(())) => {
            let _ = state.db.audit("unsubscribe-link", "unsubscribed", &id.to_string(), "", now).await;
            page(
                StatusCode::OK,
                "C'est fait",
                "<p>Vous êtes désinscrit : vous ne recevrez plus nos e-mails d'information.</p>",
            )
        }
        Ok(Err(_)) => invalid_link(),
        Err(e) => {
            tracing::error!(error = %e, "an unsubscription failed");
            page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Un instant",
                "<p>Le service est momentanément indisponible : réessayez dans un instant.</p>",
            )
        }
    }
}
