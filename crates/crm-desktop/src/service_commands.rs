//! Tauri commands of the marketing and customer service screens: thin calls into
//! `crm-client` (leads, tickets, the incoming-call card).

use crm_client::leads::{ConvertOptions, Converted, LeadView};
use crm_client::service::{CallerCard, NewTicket, TicketView};
use crm_client::{Client, edit_from_json};
use serde_json::{Map, Value};
use tauri::State;

type Answer<T> = Result<T, crm_core::Problem>;

fn plain(e: crm_client::ClientError) -> crm_core::Problem {
    e.problem()
}

#[tauri::command]
pub fn list_leads(client: State<'_, Client>, status: Option<String>) -> Answer<Vec<LeadView>> {
    client.leads(status.as_deref()).map_err(plain)
}

#[tauri::command]
pub fn lead_view(client: State<'_, Client>, id: String) -> Answer<LeadView> {
    client.lead(&id).map_err(plain)
}

#[tauri::command]
pub fn add_lead(client: State<'_, Client>, fields: Map<String, Value>) -> Answer<LeadView> {
    let fields = edit_from_json(&fields).map_err(plain)?.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
    client.add_lead(fields, chrono::Utc::now()).map_err(plain)
}

#[tauri::command]
pub async fn qualify_lead(client: State<'_, Client>, id: String, rep: Option<String>) -> Answer<LeadView> {
    client.qualify_lead(&id, rep.as_deref()).await.map_err(plain)
}

#[tauri::command]
pub fn disqualify_lead(client: State<'_, Client>, id: String, reason: Option<String>) -> Answer<LeadView> {
    client.disqualify_lead(&id, reason.as_deref()).map_err(plain)
}

#[tauri::command]
pub async fn convert_lead(client: State<'_, Client>, id: String, options: ConvertOptions) -> Answer<Converted> {
    client.convert_lead(&id, options).await.map_err(plain)
}

#[tauri::command]
pub fn list_tickets(client: State<'_, Client>, open_only: bool, mine: bool) -> Answer<Vec<TicketView>> {
    client.tickets(open_only, mine, chrono::Utc::now()).map_err(plain)
}

#[tauri::command]
pub fn ticket_view(client: State<'_, Client>, id: String) -> Answer<TicketView> {
    client.ticket(&id, chrono::Utc::now()).map_err(plain)
}

#[tauri::command]
pub async fn add_ticket(client: State<'_, Client>, ticket: NewTicket) -> Answer<TicketView> {
    client.add_ticket(ticket, chrono::Utc::now()).await.map_err(plain)
}

#[tauri::command]
pub async fn update_ticket(
    client: State<'_, Client>,
    id: String,
    status: Option<String>,
    assignee: Option<String>,
) -> Answer<TicketView> {
    client.update_ticket(&id, status.as_deref(), assignee.as_deref(), chrono::Utc::now()).await.map_err(plain)
}

#[tauri::command]
pub fn incoming_call(client: State<'_, Client>, number: String) -> Answer<CallerCard> {
    client.incoming_call(&number, chrono::Utc::now()).map_err(plain)
}

#[tauri::command]
pub fn list_campaigns(client: State<'_, Client>) -> Answer<Vec<crm_client::AnyRecord>> {
    client.list(crm_core::RecordType::Campaign).map_err(plain)
}

#[tauri::command]
pub fn add_campaign(
    client: State<'_, Client>,
    name: String,
    segment: String,
    subject: String,
    body: String,
) -> Answer<crm_client::AnyRecord> {
    client.add_campaign(&name, &segment, &subject, &body).map_err(plain)
}

#[tauri::command]
pub fn campaign_preview(client: State<'_, Client>, id: String) -> Answer<crm_client::campaigns::CampaignPreview> {
    client.campaign_preview(&id).map_err(plain)
}

#[tauri::command]
pub async fn send_campaign(client: State<'_, Client>, id: String) -> Answer<crm_protocol::CampaignSent> {
    client.send_campaign(&id).await.map_err(plain)
}

/// An .eml file dropped on the app (read and parsed off the window's thread).
#[tauri::command]
pub async fn import_mail(client: State<'_, Client>, path: String) -> Answer<crm_client::mail::MailFiled> {
    let client = client.inner().clone();
    tauri::async_runtime::spawn_blocking(move || {
        let path = std::path::PathBuf::from(path);
        let bytes = std::fs::read(&path).map_err(|e| crm_client::ClientError::file(&path, e).problem())?;
        client.import_mail(&bytes, None).map_err(plain)
    })
    .await
    .map_err(|e| crm_core::Problem::new(crm_core::Code::RecordInvalid).param("detail", e.to_string()))?
}
