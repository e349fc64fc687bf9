//! Record services: what the user does with records, all offline.

use crate::views::{AccountView, AnyRecord, Named, Rec, kind};
use crate::{Client, ClientError, now_ms, record_json};
use crm_core::{Code, Problem};
use crm_core::{FieldValue, Record, RecordId, RecordType};
use crm_doc::Edit;
use crm_protocol::{LoginRequest, LoginResponse};
use crm_store::SearchHit;
use std::collections::BTreeMap;

impl Client {
    /// Logs in to `server` and binds this device to the user. Needs the network once.
    pub async fn login(
        &self,
        server: &str,
        email: &str,
        password: &str,
        device_name: &str,
    ) -> Result<crm_protocol::UserInfo, ClientError> {
        self.login_with(server, email, password, device_name, Transport::Encrypted).await
    }

    /// Logs in; with [`Transport::PlainHttpAllowed`] (`crm login --insecure`) a server
    /// on another machine may be reached over plain `http://`, which anyone on the
    /// network can read: only for a trusted network.
    pub async fn login_with(
        &self,
        server: &str,
        email: &str,
        password: &str,
        device_name: &str,
        transport: Transport,
    ) -> Result<crm_protocol::UserInfo, ClientError> {
        let server = server.trim().trim_end_matches('/').to_string();
        check_server_address(&server, transport)?;
        if self.is_locked() {
            // The same password usually unlocks the data; after an administrator's
            // reset it cannot, and the message says what to do.
            self.unlock(password)?;
        }
        let (device_id, previous_user) = self.with_store(|s| Ok((s.device_id(), s.meta("user_id")?)))?;
        let body = LoginRequest {
            email: email.trim().to_string(),
            password: password.to_string(),
            device_id,
            device_name: device_name.to_string(),
        };
        let response: LoginResponse = match self.post(&server, "/v1/login", None, &body).await {
            Ok(r) => r,
            Err(e) => {
                self.set_online(!e.is_offline());
                return Err(e);
            }
        };
        self.set_online(true);
        if let Some(previous) = previous_user
            && previous != response.user.id
        {
            return Err(ClientError::Auth(Problem::new(Code::OtherUsersDirectory)));
        }
        self.seal_key(password)?;
        let user_json = serde_json::to_string(&response.user).map_err(ClientError::internal)?;
        self.with_store(|s| {
            s.set_meta("server_url", &server)?;
            s.set_meta("token", &response.token)?;
            crate::http::remember_expiry(s, now_ms(), response.expires_at)?;
            s.set_meta("user_id", &response.user.id)?;
            s.set_meta("user", &user_json)?;
            Ok(())
        })?;
        Ok(response.user)
    }

    /// Forgets the session token. Local records and pending changes stay.
    pub fn logout(&self) -> Result<(), ClientError> {
        self.with_store(|s| Ok(s.delete_meta("token")?))
    }

    /// Creates a record from field values (strings, or lists for set fields).
    pub fn create(
        &self,
        record_type: RecordType,
        fields: BTreeMap<String, FieldValue>,
    ) -> Result<AnyRecord, ClientError> {
        let record = self.new_record(record_type, fields)?;
        let stored = self.with_store(|s| Ok(s.create_record(&record, now_ms())?))?;
        Ok(record_json(&stored))
    }

    /// Creates several records of one type in one transaction (imports, generated
    /// data): all of them, or none and the first invalid one named.
    pub fn create_many(
        &self,
        record_type: RecordType,
        many: Vec<BTreeMap<String, FieldValue>>,
    ) -> Result<Vec<AnyRecord>, ClientError> {
        let records =
            many.into_iter().map(|fields| self.new_record(record_type, fields)).collect::<Result<Vec<_>, _>>()?;
        let stored = self.with_store(|s| Ok(s.create_records(&records, now_ms())?))?;
        Ok(stored.iter().map(record_json).collect())
    }

    /// A new record of `record_type` with `fields` (blank ones dropped) and its owner.
    fn new_record(&self, record_type: RecordType, fields: BTreeMap<String, FieldValue>) -> Result<Record, ClientError> {
        let mut record = Record::new(RecordId(uuid::Uuid::now_v7()), record_type);
        record.fields =
            fields.into_iter().filter(|(_, v)| !matches!(v, FieldValue::Text(t) if t.trim().is_empty())).collect();
        // A new record is its author's (the server refuses a rep's record made out to
        // someone else); contacts and tickets belong to their account's owner.
        if let Some((field, user)) = self.default_owner(record_type)?
            && !record.fields.contains_key(field)
        {
            record.fields.insert(field.into(), FieldValue::Text(user));
        }
        if let Some(contract_type) = record.text("contract_type").filter(|_| record_type == RecordType::Contract) {
            self.sales_settings()?.check_contract_type(contract_type)?;
        }
        Ok(record)
    }

    /// Changes some fields of a record; `None` clears a field.
    pub fn edit(&self, id: &str, edit: Edit) -> Result<AnyRecord, ClientError> {
        let id: RecordId = id.parse().map_err(ClientError::Invalid)?;
        if edit.is_empty() {
            return Err(ClientError::Invalid(Problem::new(Code::NothingToChange)));
        }
        if let Some(Some(FieldValue::Text(contract_type))) = edit.get("contract_type") {
            self.sales_settings()?.check_contract_type(contract_type)?;
        }
        let stored = self.with_store(|s| Ok(s.edit_record(&id, &edit, now_ms())?))?;
        Ok(record_json(&stored))
    }

    /// Settles a conflict on `field` by choosing `value` (one of the conflicting values
    /// or a new one); the choice syncs like any edit.
    pub fn resolve_conflict(&self, id: &str, field: &str, value: &str) -> Result<AnyRecord, ClientError> {
        let current = self.get(id)?;
        let in_conflict = current["conflicts"].as_array().is_some_and(|c| c.iter().any(|c| c["field"] == field));
        if !in_conflict {
            return Err(ClientError::Invalid(Problem::new(Code::NotInConflict).field(field).param("id", id)));
        }
        let record_id: RecordId = id.parse().map_err(ClientError::Invalid)?;
        let edit: Edit = [(field.to_string(), Some(FieldValue::Text(value.to_string())))].into_iter().collect();
        // A write to a field in conflict supersedes every concurrent value, even when
        // the chosen value is the current winner.
        let stored = self.with_store(|s| Ok(s.edit_record(&record_id, &edit, now_ms())?))?;
        Ok(record_json(&stored))
    }

    pub fn get(&self, id: &str) -> Result<AnyRecord, ClientError> {
        let stored = self.with_store(|s| Ok(s.get_record(id)?))?;
        stored
            .as_ref()
            .map(record_json)
            .ok_or_else(|| ClientError::Invalid(Problem::new(Code::NotFound).param("id", id)))
    }

    pub fn list(&self, record_type: RecordType) -> Result<Vec<AnyRecord>, ClientError> {
        let list = self.with_store(|s| Ok(s.list(record_type)?))?;
        Ok(list.iter().map(record_json).collect())
    }

    pub fn list_for_account(&self, account_id: &str, record_type: RecordType) -> Result<Vec<AnyRecord>, ClientError> {
        self.require_account(account_id)?;
        let list = self.with_store(|s| Ok(s.list_for_account(account_id, record_type)?))?;
        Ok(list.iter().map(record_json).collect())
    }

    /// The 360° view of an account: its fields, contacts and timeline (newest first).
    pub fn account_view(&self, id: &str) -> Result<AccountView, ClientError> {
        let account = self.require_account(id)?;
        let name_of = |field: &str| -> Option<String> {
            let other = account.text(field)?;
            self.get(other).ok().and_then(|a| a.text("name").map(str::to_string))
        };
        let brief = |list: Vec<AnyRecord>| list.iter().map(Named::of).collect();
        Ok(AccountView {
            contacts: self.list_for_account(id, RecordType::Contact)?.into_iter().map(Rec::cast).collect(),
            timeline: self.list_for_account(id, RecordType::Activity)?.into_iter().map(Rec::cast).collect(),
            parent_name: name_of("parent"),
            distributor_name: name_of("distributor"),
            // The companies that point here.
            subsidiaries: brief(self.find(RecordType::Account, "parent", id)?),
            end_customers: brief(self.find(RecordType::Account, "distributor", id)?),
            owner_name: account.text("owner").and_then(|o| self.user_name(o)),
            account,
        })
    }

    pub(crate) fn require_account(&self, id: &str) -> Result<Rec<kind::Account>, ClientError> {
        self.require(id, RecordType::Account)
    }

    /// A record that must be of `record_type`.
    pub(crate) fn require<K: crate::views::Kind>(
        &self,
        id: &str,
        record_type: RecordType,
    ) -> Result<Rec<K>, ClientError> {
        let record = self.get(id)?;
        if record["type"] != record_type.as_str() {
            return Err(ClientError::wrong_type(id, record_type));
        }
        Ok(record.cast())
    }

    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, ClientError> {
        self.with_store(|s| Ok(s.search(query, limit)?))
    }

    /// Changes the server refused, with its reasons.
    pub fn rejections(&self) -> Result<Vec<crm_store::RejectedChange>, ClientError> {
        self.with_store(|s| Ok(s.rejections()?))
    }
}

impl Client {
    /// Changes the user's password on the server. Every session of the user ends, this
    /// one included: each device logs in again with the new password.
    pub async fn change_password(&self, current: &str, new: &str) -> Result<(), ClientError> {
        let (server, token) = self.session()?;
        let body = serde_json::json!({"current": current, "new": new});
        let url = format!("{}/v1/password", server.trim_end_matches('/'));
        let request = self.inner.http.post(url).json(&body);
        self.send(&server, &token, request).await?;
        self.seal_key(new)?;
        self.logout()
    }
}

/// Whether a server on another machine may be reached over plain `http://`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// `https://`, or `http://` to this machine only (a server or a proxy on loopback).
    Encrypted,
    /// `http://` to any machine too (`--insecure`).
    PlainHttpAllowed,
}

/// A server address: `https://…`, or `http://` to this machine (or anywhere with
/// [`Transport::PlainHttpAllowed`]): passwords and customer data never cross a
/// network in clear by mistake.
fn check_server_address(server: &str, transport: Transport) -> Result<(), ClientError> {
    let url = reqwest::Url::parse(server)
        .map_err(|_| ClientError::Invalid(Problem::new(Code::ServerAddress).field("server").param("value", server)))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback || transport == Transport::PlainHttpAllowed => Ok(()),
        "http" => Err(ClientError::Invalid(Problem::new(Code::PlainHttp).field("server").param("value", server))),
        _ => Err(ClientError::Invalid(Problem::new(Code::ServerAddress).field("server").param("value", server))),
    }
}

#[cfg(test)]
mod address_tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_beyond_this_machine_unless_asked_for() {
        for ok in ["https://crm.example.fr", "http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:80"] {
            assert!(check_server_address(ok, Transport::Encrypted).is_ok(), "{ok}");
        }
        let err = check_server_address("http://crm.example.fr", Transport::Encrypted).unwrap_err();
        assert!(err.to_string().contains("--insecure"), "{err}");
        assert!(check_server_address("http://192.168.1.10:8080", Transport::Encrypted).is_err());
        assert!(check_server_address("http://192.168.1.10:8080", Transport::PlainHttpAllowed).is_ok());
        assert!(check_server_address("ftp://crm.example.fr", Transport::PlainHttpAllowed).is_err());
        assert!(check_server_address("crm.example.fr", Transport::PlainHttpAllowed).is_err());
    }
}
