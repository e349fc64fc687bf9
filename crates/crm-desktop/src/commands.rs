//! Tauri commands: thin calls into [`crm_client::Client`]; errors become the plain
//! sentence the UI shows.

use crm_client::{AnyRecord, Client, SearchHit, Status, SyncReport, UserInfo, edit_from_json, views};
use crm_core::RecordType;
use serde_json::{Map, Value};
use tauri::{AppHandle, Emitter, State};

/// What a command answers: its value, or the problem to tell the user (`{code, field,
/// params}`: the app says it in the user's language).
type Answer<T> = Result<T, crm_core::Problem>;

fn plain(e: crm_client::ClientError) -> crm_core::Problem {
    e.problem()
}

#[tauri::command]
pub fn status(client: State<'_, Client>) -> Answer<Status> {
    client.status().map_err(plain)
}

#[tauri::command]
pub async fn login(
    app: AppHandle,
    client: State<'_, Client>,
    server: String,
    email: String,
    password: String,
    insecure: Option<bool>,
) -> Answer<UserInfo> {
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_default();
    let device =
        if host.is_empty() { "Application de bureau".to_string() } else { format!("Application de bureau ({host})") };
    let transport =
        if insecure == Some(true) { crm_client::Transport::PlainHttpAllowed } else { crm_client::Transport::Encrypted };
    let user = client.login_with(&server, &email, &password, &device, transport).await.map_err(plain)?;
    // The first sync starts at once, with its progress bar, rather than at the next tick.
    let client = client.inner().clone();
    tauri::async_runtime::spawn(async move {
        let report = client.sync(|p| {
            let _ = app.emit("sync-progress", p);
            if let Ok(status) = client.status() {
                let _ = app.emit("status-changed", status);
            }
        });
        let _ = report.await;
        if let Ok(status) = client.status() {
            let _ = app.emit("status-changed", status);
        }
    });
    Ok(user)
}

#[tauri::command]
pub fn logout(client: State<'_, Client>) -> Answer<()> {
    client.logout().map_err(plain)
}

#[tauri::command]
pub fn list_accounts(client: State<'_, Client>) -> Answer<Vec<AnyRecord>> {
    client.list(RecordType::Account).map_err(plain)
}

#[tauri::command]
pub fn search(client: State<'_, Client>, query: String) -> Answer<Vec<SearchHit>> {
    client.search(&query, 50).map_err(plain)
}

#[tauri::command]
pub fn account_view(client: State<'_, Client>, id: String) -> Answer<views::AccountView> {
    client.account_view(&id).map_err(plain)
}

#[tauri::command]
pub fn create_record(client: State<'_, Client>, record_type: String, fields: Map<String, Value>) -> Answer<AnyRecord> {
    let record_type: RecordType =
        record_type.parse().map_err(|e: String| crm_core::Problem::new(crm_core::Code::Internal).param("detail", e))?;
    let fields = edit_from_json(&fields).map_err(plain)?.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
    client.create(record_type, fields).map_err(plain)
}

#[tauri::command]
pub fn edit_record(client: State<'_, Client>, id: String, fields: Map<String, Value>) -> Answer<AnyRecord> {
    client.edit(&id, edit_from_json(&fields).map_err(plain)?).map_err(plain)
}

#[tauri::command]
pub fn resolve_conflict(client: State<'_, Client>, id: String, field: String, value: String) -> Answer<AnyRecord> {
    client.resolve_conflict(&id, &field, &value).map_err(plain)
}

#[tauri::command]
pub async fn sync_now(app: AppHandle, client: State<'_, Client>) -> Answer<SyncReport> {
    let report = client
        .sync(|p| {
            let _ = app.emit("sync-progress", p);
        })
        .await;
    if let Ok(status) = client.status() {
        let _ = app.emit("status-changed", status);
    }
    report.map_err(plain)
}

/// Unlocks the encrypted local data with the user's password (no keyring held its key).
#[tauri::command]
pub fn unlock(client: State<'_, Client>, password: String) -> Answer<Status> {
    client.unlock(&password).map_err(plain)?;
    client.status().map_err(plain)
}

/// Who changed which field of a record, when, from which device.
#[tauri::command]
pub async fn record_history(client: State<'_, Client>, id: String) -> Answer<Vec<views::HistoryEntry>> {
    client.history(&id).await.map_err(plain)
}

/// Deletes a record (refused for reps, with the reason).
#[tauri::command]
pub fn delete_record(client: State<'_, Client>, id: String, record_type: String) -> Answer<views::Deleted> {
    let record_type: RecordType =
        record_type.parse().map_err(|e: String| crm_core::Problem::new(crm_core::Code::Internal).param("detail", e))?;
    client.delete(&id, record_type).map_err(plain)
}

/// Hands an account and its records to another user (by e-mail).
#[tauri::command]
pub async fn reassign_account(client: State<'_, Client>, id: String, to: String) -> Answer<views::Reassigned> {
    client.reassign_account(&id, &to).await.map_err(plain)
}

/// RGPD erasure of a contact or lead (administrators).
#[tauri::command]
pub async fn erase_person(client: State<'_, Client>, id: String) -> Answer<views::Erased> {
    client.gdpr_erase(&id).await.map_err(plain)
}

/// The user's devices, this one marked `current`.
#[tauri::command]
pub async fn list_devices(client: State<'_, Client>) -> Answer<Vec<crm_protocol::DeviceInfo>> {
    client.devices().await.map_err(plain)
}

/// Revokes a lost device: it stops syncing and erases its data when it next connects.
#[tauri::command]
pub async fn revoke_device(client: State<'_, Client>, id: String) -> Answer<()> {
    client.revoke_device(&id).await.map_err(plain)
}

/// Changes the password; every session of the user ends, this one too.
#[tauri::command]
pub async fn change_password(client: State<'_, Client>, current: String, new: String) -> Answer<()> {
    client.change_password(&current, &new).await.map_err(plain)
}

/// A new secret calendar address (the previous one stops working).
#[tauri::command]
pub async fn calendar_feed(client: State<'_, Client>) -> Answer<String> {
    client.calendar_feed_url().await.map_err(plain)
}

/// What "À propos" shows: this app's version, and the server's when it answers.
#[tauri::command]
pub async fn about(client: State<'_, Client>) -> Answer<views::AboutApp> {
    Ok(views::AboutApp { app_version: env!("CARGO_PKG_VERSION").into(), server: client.server_about().await.ok() })
}

/// The portfolio filtered by criteria (kind, city, postal code, tag, sector, owner).
#[tauri::command]
pub fn filter_accounts(
    client: State<'_, Client>,
    filter: crm_client::filters::AccountFilter,
) -> Answer<Vec<views::Rec<views::kind::Account>>> {
    client.filter_accounts(&filter).map_err(plain)
}

#[tauri::command]
pub fn saved_filters(client: State<'_, Client>) -> Answer<Vec<crm_client::filters::SavedFilter>> {
    client.saved_filters().map_err(plain)
}

#[tauri::command]
pub fn save_filter(
    client: State<'_, Client>,
    name: String,
    filter: crm_client::filters::AccountFilter,
) -> Answer<Vec<crm_client::filters::SavedFilter>> {
    client.save_filter(&name, filter).map_err(plain)
}

#[tauri::command]
pub fn delete_filter(client: State<'_, Client>, name: String) -> Answer<Vec<crm_client::filters::SavedFilter>> {
    client.delete_filter(&name).map_err(plain)
}

/// Attaches a photo or a video to a product, offline: the bytes come raw in the request's
/// body, the product's reference and the file's extension in headers (`x-reference`,
/// `x-extension`).
#[tauri::command]
pub fn attach_media(client: State<'_, Client>, request: tauri::ipc::Request<'_>) -> Answer<AnyRecord> {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(
            crm_core::Problem::new(crm_core::Code::Internal).param("detail", "the file's bytes were not sent raw")
        );
    };
    let name = format!("media.{}", header("x-extension"));
    client.attach_media_bytes(header("x-reference"), &name, bytes.clone()).map_err(plain)
}

/// A product's photo or video, downloaded now if this device does not have it (its
/// progress sent as `media-progress` events: `{item, done, total}` in bytes), answered as
/// raw bytes.
#[tauri::command]
pub async fn media_bytes(app: AppHandle, client: State<'_, Client>, item: String) -> Answer<tauri::ipc::Response> {
    use std::sync::atomic::{AtomicU64, Ordering};
    let last = AtomicU64::new(u64::MAX);
    let progress = |done: u64, total: u64| {
        // One event per percent at most.
        let percent = (done * 100).checked_div(total).unwrap_or(done >> 20);
        if last.swap(percent, Ordering::Relaxed) != percent {
            let _ = app.emit("media-progress", serde_json::json!({"item": item, "done": done, "total": total}));
        }
    };
    let path = client.media_file_with_progress(&item, &progress).await.map_err(plain)?;
    let bytes = std::fs::read(&path).map_err(|e| {
        crm_core::Problem::new(crm_core::Code::LocalFile).param("path", path.display()).param("detail", e)
    })?;
    Ok(tauri::ipc::Response::new(bytes))
}

/// The changes the server refused, newest first, with the reason and what was typed.
#[tauri::command]
pub fn refused_changes(client: State<'_, Client>) -> Answer<Vec<views::Refused>> {
    client.refused_changes().map_err(plain)
}

/// Forgets a refused change the user has dealt with.
#[tauri::command]
pub fn dismiss_refused(client: State<'_, Client>, change: String) -> Answer<bool> {
    client.dismiss_refused(&change).map_err(plain)
}

/// Every field in conflict, with who wrote each value, when and on which device.
#[tauri::command]
pub async fn open_conflicts(client: State<'_, Client>) -> Answer<Vec<views::OpenConflict>> {
    client.open_conflicts().await.map_err(plain)
}

/// The users of the directory this device keeps, by name (owners, authors, pickers).
#[tauri::command]
pub fn people(client: State<'_, Client>) -> Answer<Vec<views::Person>> {
    Ok(client.people())
}

/// Records likely to be the same as an account or contact being entered (the form warns).
#[tauri::command]
pub fn find_duplicates(
    client: State<'_, Client>,
    record_type: RecordType,
    fields: Map<String, Value>,
) -> Answer<Vec<views::DuplicateCandidate>> {
    let fields = edit_from_json(&fields).map_err(plain)?.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
    client.duplicates_for(record_type, &fields).map_err(plain)
}

/// Every pair of likely duplicate accounts or contacts on this device, best first.
#[tauri::command]
pub fn duplicate_pairs(client: State<'_, Client>, record_type: RecordType) -> Answer<Vec<views::DuplicatePair>> {
    client.duplicate_pairs(record_type).map_err(plain)
}
