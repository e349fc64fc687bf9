//! Tauri commands of the sales screens: thin calls into `crm-client`.

use crm_client::views::{self, LineInput, Rec, kind};
use crm_client::{AnyRecord, Client, LineRequest, Reminder, edit_from_json};
use crm_core::{Code, Problem, RecordType};
use serde_json::{Map, Value};
use tauri::State;

/// What a command answers: its value, or the problem to tell the user (`{code, field,
/// params}`: the app says it in the user's language).
type Answer<T> = Result<T, crm_core::Problem>;

fn plain(e: crm_client::ClientError) -> crm_core::Problem {
    e.problem()
}

fn lines(input: Vec<LineInput>) -> Answer<Vec<LineRequest>> {
    input.into_iter().map(LineInput::parse).collect()
}

#[tauri::command]
pub fn list_deals(client: State<'_, Client>, account: Option<String>) -> Answer<Vec<AnyRecord>> {
    match account {
        Some(a) => client.list_for_account(&a, RecordType::Deal),
        None => client.list(RecordType::Deal),
    }
    .map_err(plain)
}

#[tauri::command]
pub fn deal_view(client: State<'_, Client>, id: String) -> Answer<views::DealView> {
    client.deal_view(&id).map_err(plain)
}

#[tauri::command]
pub fn create_deal(client: State<'_, Client>, fields: Map<String, Value>) -> Answer<AnyRecord> {
    let fields = edit_from_json(&fields).map_err(plain)?.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
    client.create_deal(fields).map_err(plain)
}

#[tauri::command]
pub fn edit_deal(client: State<'_, Client>, id: String, fields: Map<String, Value>) -> Answer<AnyRecord> {
    client.edit_deal(&id, edit_from_json(&fields).map_err(plain)?).map_err(plain)
}

/// A running contract entered directly for an account (not from a won deal).
#[tauri::command]
pub fn create_contract(client: State<'_, Client>, fields: Map<String, Value>) -> Answer<views::ContractView> {
    let fields = edit_from_json(&fields).map_err(plain)?.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
    client.create_contract(fields).map_err(plain)
}

#[tauri::command]
pub fn edit_contract(client: State<'_, Client>, id: String, fields: Map<String, Value>) -> Answer<views::ContractView> {
    client.edit_contract(&id, edit_from_json(&fields).map_err(plain)?).map_err(plain)
}

/// A customer's negotiated prices: the discount (empty removes it), special prices as
/// `REFERENCE=PRICE`, references whose special price goes.
#[tauri::command]
pub fn set_pricing(
    client: State<'_, Client>,
    id: String,
    discount: Option<String>,
    prices: Vec<String>,
    remove: Vec<String>,
) -> Answer<AnyRecord> {
    client.set_pricing(&id, discount.as_deref(), &prices, &remove).map_err(plain)
}

#[tauri::command]
pub fn list_contracts(client: State<'_, Client>, account: Option<String>) -> Answer<Vec<views::ContractView>> {
    client.list_contracts(account.as_deref()).map_err(plain)
}

#[tauri::command]
pub fn contract_view(client: State<'_, Client>, id: String) -> Answer<views::ContractView> {
    client.contract_view(&id).map_err(plain)
}

#[tauri::command]
pub fn list_products(client: State<'_, Client>) -> Answer<Vec<AnyRecord>> {
    client.list(RecordType::Product).map_err(plain)
}

#[tauri::command]
pub fn quote_preview(
    client: State<'_, Client>,
    account: Option<String>,
    lines: Vec<LineInput>,
) -> Answer<views::QuotePreview> {
    client.quote_preview(account.as_deref(), &self::lines(lines)?).map_err(plain)
}

#[tauri::command]
pub fn create_quote(
    client: State<'_, Client>,
    account: String,
    deal: Option<String>,
    lines: Vec<LineInput>,
) -> Answer<views::QuoteView> {
    client.create_quote(&account, deal.as_deref(), &self::lines(lines)?).map_err(plain)
}

#[tauri::command]
pub fn quote_view(client: State<'_, Client>, id: String) -> Answer<views::QuoteView> {
    client.quote_view(&id).map_err(plain)
}

#[tauri::command]
pub fn list_quotes(client: State<'_, Client>, account: Option<String>) -> Answer<Vec<AnyRecord>> {
    match account {
        Some(a) => client.list_for_account(&a, RecordType::Quote),
        None => client.list(RecordType::Quote),
    }
    .map_err(plain)
}

#[tauri::command]
pub fn set_quote_status(client: State<'_, Client>, id: String, status: String) -> Answer<views::QuoteView> {
    client.set_quote_status(&id, &status).map_err(plain)
}

#[tauri::command]
pub fn agenda(client: State<'_, Client>, from: String, to: String, mine: bool) -> Answer<Vec<Rec<kind::Event>>> {
    let day = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Problem::new(Code::DateInvalid).param("value", s))
    };
    let owner = if mine { client.status().map_err(plain)?.user.map(|u| u.id) } else { None };
    client.agenda(day(&from)?, day(&to)?, owner.as_deref()).map_err(plain)
}

#[tauri::command]
pub fn list_tasks(client: State<'_, Client>, include_done: bool) -> Answer<Vec<Rec<kind::Task>>> {
    client.tasks(include_done).map_err(plain)
}

#[tauri::command]
pub fn reminders(client: State<'_, Client>) -> Answer<Vec<Reminder>> {
    client.reminders(chrono::Local::now().date_naive()).map_err(plain)
}

#[tauri::command]
pub fn sales_settings(client: State<'_, Client>) -> Answer<crm_core::stages::SalesSettings> {
    client.sales_settings().map_err(plain)
}

/// A contact with their account's name and their own timeline.
#[tauri::command]
pub fn contact_view(client: State<'_, Client>, id: String) -> Answer<views::ContactView> {
    client.contact_view(&id).map_err(plain)
}

/// Writes everything this device holds on a person (RGPD) to a JSON file in the user's
/// documents, tells the server's security log, and returns the file's path.
#[tauri::command]
pub async fn export_contact_data(app: tauri::AppHandle, client: State<'_, Client>, id: String) -> Answer<String> {
    let export = client.gdpr_export(&id).map_err(plain)?;
    client.report_export(&id).await;
    let name: String = export["contact"]["name"]
        .as_str()
        .unwrap_or("contact")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let bytes = serde_json::to_vec_pretty(&export).map_err(|e| Problem::new(Code::Internal).param("detail", e))?;
    write_export(&app, &client, &format!("donnees-{name}.json"), &bytes)
}

/// Writes a file the user exported into their documents (the data directory's `exports`
/// where there is none) and returns its path.
pub(crate) fn write_export(app: &tauri::AppHandle, client: &Client, name: &str, bytes: &[u8]) -> Answer<String> {
    let dir = crate::import_commands::exports_dir(app, client);
    let file = |path: &std::path::Path, e: std::io::Error| {
        Problem::new(Code::LocalFile).param("path", path.display()).param("detail", e)
    };
    std::fs::create_dir_all(&dir).map_err(|e| file(&dir, e))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| file(&path, e))?;
    Ok(path.display().to_string())
}

/// Writes the quote's PDF next to the user's documents and returns its path.
#[tauri::command]
pub fn export_quote_pdf(app: tauri::AppHandle, client: State<'_, Client>, id: String) -> Answer<String> {
    let pdf = client.quote_pdf(&id).map_err(plain)?;
    let number = client.quote_view(&id).map_err(plain)?.quote.text("number").unwrap_or("devis").to_string();
    write_export(&app, &client, &format!("{number}.pdf"), &pdf)
}

/// Replaces the lines of a draft quote (priced again with the customer's rules).
#[tauri::command]
pub fn edit_quote_lines(client: State<'_, Client>, id: String, lines: Vec<LineInput>) -> Answer<views::QuoteView> {
    client.edit_quote_lines(&id, &self::lines(lines)?).map_err(plain)
}

/// Opens a file this app exported (a quote's PDF, a person's data) with the system's
/// application for it. Only files in the folder exports are written to, by name.
#[tauri::command]
pub fn open_export(app: tauri::AppHandle, client: State<'_, Client>, path: String) -> Answer<()> {
    let dir = crate::import_commands::exports_dir(&app, &client);
    let path = std::path::PathBuf::from(path);
    let inside = path.parent() == Some(dir.as_path()) && path.is_file();
    if !inside {
        return Err(Problem::new(Code::FileNotFound).param("path", path.display()));
    }
    opener::open(&path).map_err(|e| Problem::new(Code::LocalFile).param("path", path.display()).param("detail", e))
}

/// What quotes print about the company.
#[tauri::command]
pub fn company_info(client: State<'_, Client>) -> Answer<views::CompanyInfo> {
    client.company_info().map_err(plain)
}

/// Changes what quotes print about the company (an empty field removes it). The logo,
/// when one is chosen, comes raw in the request's body (a JPEG file); the fields in the
/// `x-company` header as JSON.
#[tauri::command]
pub fn set_company_info(client: State<'_, Client>, request: tauri::ipc::Request<'_>) -> Answer<views::CompanyInfo> {
    let header = request.headers().get("x-company").and_then(|v| v.to_str().ok()).unwrap_or("{}");
    // The header is ASCII: the app sends the JSON percent-encoded.
    let json = percent_encoding::percent_decode_str(header).decode_utf8_lossy();
    let info: views::CompanyInfo =
        serde_json::from_str(&json).map_err(|e| Problem::new(Code::Internal).param("detail", e))?;
    let logo = match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) if !bytes.is_empty() => Some(bytes.clone()),
        _ => None,
    };
    let text = |v: Option<String>| Some(v.unwrap_or_default());
    client
        .configure_company_header(&crm_client::CompanyHeader {
            name: text(info.name),
            address: text(info.address),
            siret: text(info.siret),
            rcs: text(info.rcs),
            vat_number: text(info.vat_number),
            payment_terms: text(info.payment_terms),
            logo,
        })
        .map_err(plain)?;
    client.company_info().map_err(plain)
}
