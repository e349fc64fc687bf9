//! Tauri commands of the import wizard, the duplicates page (merge), vCards and list
//! exports: thin calls into `crm-client`. Files chosen in the app arrive as bytes and
//! are kept in the data directory's `imports` folder; what the app writes for the user
//! (error files, exports) goes to their documents, where `open_export` opens it.

use crm_client::Client;
use crm_client::import::{ImportOptions, ImportPreview, ImportProgress, ImportReport, ImportSummary, UndoReport};
use crm_client::views::MergeReport;
use crm_core::{Code, Problem, RecordType};
use std::path::PathBuf;
use tauri::{Emitter, Manager, State};

type Answer<T> = Result<T, Problem>;

fn plain(e: crm_client::ClientError) -> Problem {
    e.problem()
}

fn imports_dir(client: &Client) -> PathBuf {
    client.data_dir().join("imports")
}

/// A file kept for import, by the name `import_upload` gave it (never a path elsewhere).
fn kept_file(client: &Client, name: &str) -> Answer<PathBuf> {
    let path = imports_dir(client).join(name);
    if name.contains(['/', '\\']) || name.starts_with('.') || !path.is_file() {
        return Err(Problem::new(Code::FileNotFound).param("path", name));
    }
    Ok(path)
}

/// Where the user's exported files go: their documents (the data directory's `exports`
/// when there is none).
pub fn exports_dir(app: &tauri::AppHandle, client: &Client) -> PathBuf {
    app.path().document_dir().unwrap_or_else(|_| client.data_dir().join("exports"))
}

/// Keeps a file chosen in the app (its bytes in the body, its name percent-encoded in
/// `x-file-name`) for the import; answers the name to give the other commands.
#[tauri::command]
pub fn import_upload(client: State<'_, Client>, request: tauri::ipc::Request<'_>) -> Answer<String> {
    let header = request.headers().get("x-file-name").and_then(|v| v.to_str().ok()).unwrap_or("fichier.csv");
    let original = percent_encoding::percent_decode_str(header).decode_utf8_lossy();
    let safe: String = original
        .chars()
        .map(|c| if c.is_alphanumeric() || "._- ".contains(c) { c } else { '_' })
        .collect::<String>()
        .trim_start_matches('.')
        .chars()
        .take(120)
        .collect();
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(Problem::new(Code::ImportEmpty).param("path", &*original));
    };
    let dir = imports_dir(&client);
    std::fs::create_dir_all(&dir).map_err(|e| plain(crm_client::ClientError::file(&dir, e)))?;
    let name = format!("{}-{safe}", uuid::Uuid::now_v7().simple());
    let path = dir.join(&name);
    std::fs::write(&path, bytes).map_err(|e| plain(crm_client::ClientError::file(&path, e)))?;
    Ok(name)
}

/// The sheets, headers, first rows and guessed mapping of a kept file.
#[tauri::command]
pub fn import_preview(
    client: State<'_, Client>,
    file: String,
    record_type: RecordType,
    sheet: Option<String>,
) -> Answer<ImportPreview> {
    let path = kept_file(&client, &file)?;
    client.import_preview(&path, record_type, sheet.as_deref()).map_err(plain)
}

/// Runs the import (or its dry run) off the UI thread; `import-progress` events tell how
/// far it is. The error file, if any, is copied to the user's documents.
#[tauri::command]
pub async fn import_run(
    app: tauri::AppHandle,
    client: State<'_, Client>,
    file: String,
    record_type: RecordType,
    options: ImportOptions,
) -> Answer<ImportReport> {
    let path = kept_file(&client, &file)?;
    let client = client.inner().clone();
    let emitter = app.clone();
    let worker = client.clone();
    let mut report = tauri::async_runtime::spawn_blocking(move || {
        let progress = move |p: ImportProgress| {
            let _ = emitter.emit("import-progress", p);
        };
        worker.import_file(&path, record_type, &options, &progress)
    })
    .await
    .map_err(|e| Problem::new(Code::Internal).param("detail", e))?
    .map_err(plain)?;
    if let Some(error_file) = report.error_file.take() {
        let from = PathBuf::from(&error_file);
        let original = file.split_once('-').map(|(_, n)| n).unwrap_or(&file);
        let stem = std::path::Path::new(original).file_stem().and_then(|s| s.to_str()).unwrap_or("import");
        let dir = exports_dir(&app, &client);
        let to = dir.join(format!("{stem}-erreurs.csv"));
        std::fs::create_dir_all(&dir).map_err(|e| plain(crm_client::ClientError::file(&dir, e)))?;
        std::fs::copy(&from, &to).map_err(|e| plain(crm_client::ClientError::file(&to, e)))?;
        let _ = std::fs::remove_file(&from);
        report.error_file = Some(to.display().to_string());
    }
    Ok(report)
}

/// Takes an import back out (`import-progress` events while it runs).
#[tauri::command]
pub async fn import_undo(app: tauri::AppHandle, client: State<'_, Client>, batch: String) -> Answer<UndoReport> {
    let client = client.inner().clone();
    tauri::async_runtime::spawn_blocking(move || {
        let progress = move |p: ImportProgress| {
            let _ = app.emit("import-progress", p);
        };
        client.import_undo(&batch, &progress)
    })
    .await
    .map_err(|e| Problem::new(Code::Internal).param("detail", e))?
    .map_err(plain)
}

/// The imports made on this device, newest first.
#[tauri::command]
pub fn import_list(client: State<'_, Client>) -> Answer<Vec<ImportSummary>> {
    client.import_list().map_err(plain)
}

/// Merges `other` into `keep` (two accounts or two contacts); `take` names the fields
/// whose value comes from `other`.
#[tauri::command]
pub fn merge_records(client: State<'_, Client>, keep: String, other: String, take: Vec<String>) -> Answer<MergeReport> {
    client.merge(&keep, &other, &take).map_err(plain)
}

/// Writes the records `ids` (a list as the user filtered it) to a spreadsheet in the
/// user's documents; `format` is "xlsx" or "csv". Answers the file's path.
#[tauri::command]
pub fn export_list(
    app: tauri::AppHandle,
    client: State<'_, Client>,
    record_type: RecordType,
    ids: Vec<String>,
    format: String,
) -> Answer<String> {
    let records = ids.iter().map(|id| client.get(id)).collect::<Result<Vec<_>, _>>().map_err(plain)?;
    let word =
        crm_core::vocabulary::label(crm_core::vocabulary::RECORD_TYPES, record_type.as_str(), crm_core::Lang::Fr);
    let day = chrono::Local::now().format("%Y-%m-%d");
    let dir = exports_dir(&app, &client);
    std::fs::create_dir_all(&dir).map_err(|e| plain(crm_client::ClientError::file(&dir, e)))?;
    let path = dir.join(format!("{}-{day}.{format}", word.to_lowercase().replace(' ', "-")));
    client.export_records(record_type, &records, &path).map_err(plain)?;
    Ok(path.display().to_string())
}

/// Writes contacts (the given ids) as a vCard file in the user's documents.
#[tauri::command]
pub fn export_vcard(app: tauri::AppHandle, client: State<'_, Client>, ids: Vec<String>) -> Answer<String> {
    let dir = exports_dir(&app, &client);
    std::fs::create_dir_all(&dir).map_err(|e| plain(crm_client::ClientError::file(&dir, e)))?;
    let path = dir.join(format!("contacts-{}.vcf", chrono::Local::now().format("%Y-%m-%d")));
    client.export_vcard(&ids, &path, "3.0").map_err(plain)?;
    Ok(path.display().to_string())
}

/// Imports the contacts of a kept vCard file.
#[tauri::command]
pub fn import_vcard(client: State<'_, Client>, file: String) -> Answer<ImportReport> {
    let path = kept_file(&client, &file)?;
    client.import_vcard(&path).map_err(plain)
}
