//! What the permission matrix means on this device: deleting (refused early for roles
//! that may not), a record's history with the names of who changed what, and RGPD
//! erasure (administrators). The server enforces every rule; the checks here only
//! spare the user a change that would be refused.

use crate::views::{Author, Deleted, Erased, HistoryEntry, Reassigned};
use crate::{Client, ClientError, now_ms};
use crm_core::permissions::{self, Action, Scope};
use crm_core::{Code, FieldValue, Problem, RecordType, Role};
use std::collections::HashMap;

impl Client {
    /// The logged-in user's role, as the server gave it at login.
    pub fn role(&self) -> Result<Option<Role>, ClientError> {
        let user = self.with_store(|s| Ok(s.meta("user")?))?;
        Ok(user.and_then(|u| serde_json::from_str::<crm_protocol::UserInfo>(&u).ok()).and_then(|u| u.role.parse().ok()))
    }

    /// Deletes a record of `expected` type: it disappears from every device at their
    /// next sync. Reps may not delete; they are told so before anything changes.
    pub fn delete(&self, id: &str, expected: RecordType) -> Result<Deleted, ClientError> {
        let record = self.get(id)?;
        if record["type"] != expected.as_str() {
            return Err(ClientError::wrong_type(id, expected));
        }
        if let Some(role) = self.role()?
            && permissions::scope(role, expected, Action::Delete) == Scope::None
        {
            return Err(ClientError::Forbidden(
                Problem::new(Code::MayNotDeleteType).param("role", role).param("type", expected),
            ));
        }
        let edit: crm_doc::Edit =
            [(crm_core::DELETED_FIELD.to_string(), Some(FieldValue::from("yes")))].into_iter().collect();
        let record_id: crm_core::RecordId = id.parse().map_err(ClientError::Invalid)?;
        self.with_store(|s| Ok(s.edit_record(&record_id, &edit, now_ms())?))?;
        Ok(Deleted { deleted: id.to_string(), record_type: expected })
    }

    /// Who changed which field when, oldest first, from the record's own history. Names
    /// come from the server's directory when it can be reached (and are remembered for
    /// offline use); unknown devices show their id. Online, each entry also says when
    /// the server received the change and from whom (`received_at`, `sent_by`): the
    /// server's own observation, where `at` is the time the author's device gave the
    /// change. A change still on this device has no `received_at`.
    pub async fn history(&self, id: &str) -> Result<Vec<HistoryEntry>, ClientError> {
        self.history_with(id, true).await
    }

    /// The history; with `receipts`, the server's observation of each change and the
    /// directory fetched now (two requests), else names from the directory kept offline.
    pub(crate) async fn history_with(&self, id: &str, receipts: bool) -> Result<Vec<HistoryEntry>, ClientError> {
        let entries = self
            .with_store(|s| Ok(s.history(id)?))?
            .ok_or_else(|| ClientError::Invalid(Problem::new(Code::NotFound).param("id", id)))?;
        // Online with receipts: the directory fetched now; otherwise the copy kept.
        let directory = if receipts { self.directory_entries().await } else { self.cached_directory() };
        // A change written through the REST API names its key beside its user.
        let names: HashMap<&str, String> = directory
            .iter()
            .map(|d| {
                let name = match &d.api_key {
                    Some(key) => format!("{} (API « {key} »)", d.user_name),
                    None => d.user_name.clone(),
                };
                (d.device_id.as_str(), name)
            })
            .collect();
        let users: HashMap<&str, &str> = directory.iter().map(|d| (d.user_id.as_str(), d.user_name.as_str())).collect();
        let receipts: HashMap<String, crm_protocol::Receipt> = if receipts {
            self.receipts(id).await.into_iter().map(|r| (r.hash.clone(), r)).collect()
        } else {
            HashMap::new()
        };
        let time = |ms: i64| {
            chrono::DateTime::from_timestamp_millis(ms)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default()
        };
        Ok(entries
            .into_iter()
            .map(|e| {
                let device = e.device.to_string();
                let author = match names.get(device.as_str()) {
                    _ if e.device.is_nil() => Author::Server,
                    Some(name) => Author::User { name: name.to_string() },
                    None => Author::UnknownDevice,
                };
                let receipt = receipts.get(&e.hash);
                HistoryEntry {
                    at: time(e.at_ms),
                    author,
                    device,
                    change: e.hash,
                    fields: e.fields,
                    received_at: receipt.map(|r| time(r.received_at)),
                    sent_by: receipt
                        .map(|r| users.get(r.user_id.as_str()).copied().unwrap_or(r.user_id.as_str()).to_string()),
                    relayed: receipt.map(|r| r.relayed),
                }
            })
            .collect())
    }

    /// How the server received each change of a record; empty offline.
    async fn receipts(&self, id: &str) -> Vec<crm_protocol::Receipt> {
        let Ok((server, token)) = self.session() else { return Vec::new() };
        let url = format!("{}/v1/records/{id}/receipts", server.trim_end_matches('/'));
        match self.send(&server, &token, self.inner.http.get(url)).await {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    }

    /// The directory as last fetched (works offline; empty before the first fetch).
    pub(crate) fn cached_directory(&self) -> Vec<crm_protocol::DirectoryEntry> {
        self.with_store(|s| Ok(s.meta("directory")?))
            .ok()
            .flatten()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// The users of the directory this device keeps, by name, once each: to show owners
    /// and authors by name and to pick a colleague. Empty before the first sync.
    pub fn people(&self) -> Vec<crate::views::Person> {
        let mut people: Vec<crate::views::Person> = Vec::new();
        for d in self.cached_directory() {
            if !people.iter().any(|p| p.id == d.user_id) {
                people.push(crate::views::Person {
                    id: d.user_id,
                    name: d.user_name,
                    email: d.user_email,
                    manager_id: d.manager_id,
                });
            }
        }
        people.sort_by_key(|p| p.name.to_lowercase());
        people
    }

    /// A user's name, from the directory; `None` for an id it does not know.
    pub fn user_name(&self, user_id: &str) -> Option<String> {
        self.cached_directory().into_iter().find(|d| d.user_id == user_id).map(|d| d.user_name)
    }

    /// A user's e-mail, from the directory.
    pub fn user_email(&self, user_id: &str) -> Option<String> {
        self.cached_directory().into_iter().find(|d| d.user_id == user_id).map(|d| d.user_email)
    }

    /// A user's sales manager (user id), from the directory.
    pub fn manager_of(&self, user_id: &str) -> Option<String> {
        self.cached_directory().into_iter().find(|d| d.user_id == user_id).and_then(|d| d.manager_id)
    }

    /// Fetches the directory again when the copy is older than ten minutes, so names
    /// stay right without a request on every sync. Failures keep the old copy.
    pub(crate) async fn refresh_directory(&self) {
        let fetched_at: i64 =
            self.with_store(|s| Ok(s.meta("directory_at")?)).ok().flatten().and_then(|t| t.parse().ok()).unwrap_or(0);
        if crate::now_ms() - fetched_at < 600_000 {
            return;
        }
        if !self.directory_entries().await.is_empty() {
            let _ = self.with_store(|s| Ok(s.set_meta("directory_at", &crate::now_ms().to_string())?));
        }
    }

    /// The server's directory of devices and users, remembered for offline use.
    async fn directory_entries(&self) -> Vec<crm_protocol::DirectoryEntry> {
        if let Ok((server, token)) = self.session() {
            let url = format!("{}/v1/directory", server.trim_end_matches('/'));
            if let Ok(bytes) = self.send(&server, &token, self.inner.http.get(url)).await
                && let Ok(list) = serde_json::from_slice::<Vec<crm_protocol::DirectoryEntry>>(&bytes)
            {
                if let Ok(text) = serde_json::to_string(&list) {
                    let _ = self.with_store(|s| Ok(s.set_meta("directory", &text)?));
                }
                return list;
            }
        }
        self.cached_directory()
    }

    /// A user given by id or e-mail, as their id (the directory, fetched when online).
    pub async fn resolve_user(&self, who: &str) -> Result<String, ClientError> {
        if uuid::Uuid::parse_str(who).is_ok() {
            return Ok(who.to_string());
        }
        let wanted = who.trim().to_lowercase();
        self.directory_entries()
            .await
            .into_iter()
            .find(|d| d.user_email == wanted)
            .map(|d| d.user_id)
            .ok_or_else(|| ClientError::Invalid(Problem::new(Code::UnknownUserEmail).param("email", who)))
    }

    /// Hands an account to another user (given by e-mail or id), with the records of
    /// it that belonged to the previous owner: deals, quotes, contracts, events, tasks.
    /// Contacts, visit reports and tickets follow the account by themselves. Sales
    /// managers (within their team) and administrators; the server checks.
    pub async fn reassign_account(&self, account_id: &str, to: &str) -> Result<Reassigned, ClientError> {
        let account = self.require_account(account_id)?;
        let new_owner = self.resolve_user(to).await?;
        if let Some(role) = self.role()?
            && permissions::scope(role, RecordType::Account, Action::Edit) < Scope::Team
        {
            return Err(ClientError::Forbidden(Problem::new(Code::MayNotReassign).param("role", role)));
        }
        let old_owner = account["owner"].as_str().map(str::to_string);
        let mut moved = vec![account_id.to_string()];
        let set_owner = |id: &str, field: &str| -> Result<(), ClientError> {
            let edit: crm_doc::Edit = [(field.to_string(), Some(FieldValue::Text(new_owner.clone())))].into();
            let record_id: crm_core::RecordId = id.parse().map_err(ClientError::Invalid)?;
            self.with_store(|s| Ok(s.edit_record(&record_id, &edit, now_ms())?))?;
            Ok(())
        };
        set_owner(account_id, "owner")?;
        for t in [RecordType::Deal, RecordType::Quote, RecordType::Contract, RecordType::Event, RecordType::Task] {
            let Some(field) = permissions::owner_field(t) else { continue };
            for record in self.list_for_account(account_id, t)? {
                let id = record["id"].as_str().unwrap_or_default();
                if record[field].as_str().map(str::to_string) == old_owner {
                    set_owner(id, field)?;
                    moved.push(id.to_string());
                }
            }
        }
        Ok(Reassigned { account: account_id.to_string(), owner: new_owner, moved })
    }

    /// Erases a person (contact or lead) from the server and, at their next sync, from
    /// every device, history included. Administrators only; needs the network.
    pub async fn gdpr_erase(&self, id: &str) -> Result<Erased, ClientError> {
        if let Some(role) = self.role()?
            && role != Role::Admin
        {
            return Err(ClientError::Forbidden(Problem::new(Code::AdminOnlyErase)));
        }
        let uuid = uuid::Uuid::parse_str(id)
            .map_err(|_| ClientError::Invalid(Problem::new(Code::NotARecordId).field("id").param("value", id)))?;
        let (server, token) = self.session()?;
        let url = format!("{}/v1/gdpr/erase/{uuid}", server.trim_end_matches('/'));
        let bytes = self.send(&server, &token, self.inner.http.post(url)).await?;
        let answer: Erased = serde_json::from_slice(&bytes).map_err(|e| ClientError::unexpected(&server, e))?;
        // This device follows at once: its copy is replaced by the erased one.
        self.sync(|_| {}).await?;
        Ok(answer)
    }

    /// Tells the server (for its security log) that this device exported a person's
    /// data. Best effort: an offline export is not blocked.
    pub async fn report_export(&self, id: &str) {
        if let Ok((server, token)) = self.session() {
            let url = format!("{}/v1/exports/{id}", server.trim_end_matches('/'));
            let _ = self.send(&server, &token, self.inner.http.post(url)).await;
        }
    }
}
