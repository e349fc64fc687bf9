//! E-mails into the CRM, offline: an `.eml` file (dropped on the app, or `crm mail
//! import`) filed by the rules of `crm_core::mail`, which the server's poller of the
//! shared mailbox follows too.

use crate::views::{Rec, kind, record_json};
use crate::{Client, ClientError};
use crm_core::mail::{Known, Ticketing};
use crm_core::permissions::{Action, Scope, scope};
use crm_core::stages::SETTINGS_ID;
use crm_core::{Code, FieldValue, Problem, RecordType};
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

/// What became of one e-mail.
#[derive(Clone, Debug, Serialize, TS)]
pub struct MailFiled {
    pub message_id: String,
    pub subject: String,
    /// Already filed earlier (the same Message-ID): nothing new.
    pub already: bool,
    /// The activities written, one per account concerned.
    pub activities: Vec<Rec<kind::Activity>>,
    /// The ticket opened, or the one the reply threads into.
    pub ticket: Option<Rec<kind::Ticket>>,
    pub ticket_opened: bool,
}

/// The largest e-mail read (attachments included).
pub const MAX_EML_BYTES: usize = 25 * 1024 * 1024;

impl Client {
    /// Files one e-mail (the bytes of an `.eml` file) by the rules of `crm_core::mail`.
    /// `support` is the support address (the settings' `support_email` when absent).
    pub fn import_mail(&self, bytes: &[u8], support: Option<&str>) -> Result<MailFiled, ClientError> {
        if bytes.len() > MAX_EML_BYTES {
            let detail = format!("plus de {} Mio", MAX_EML_BYTES / 1024 / 1024);
            return Err(ClientError::Invalid(Problem::new(Code::MailUnreadable).param("detail", detail)));
        }
        let role = self.role()?;
        if let Some(role) = role
            && scope(role, RecordType::Activity, Action::Create) == Scope::None
        {
            return Err(ClientError::Forbidden(Problem::new(Code::MailMayNotFile).param("role", role)));
        }
        let mail = crm_core::mail::parse(bytes)?;
        let mut filed = MailFiled {
            message_id: mail.message_id.clone(),
            subject: mail.subject.clone(),
            already: false,
            activities: Vec::new(),
            ticket: None,
            ticket_opened: false,
        };
        let earlier =
            self.with_store(|s| Ok(s.find_by_field(RecordType::Activity, "external_id", &mail.message_id)?))?;
        if !earlier.is_empty() {
            filed.already = true;
            filed.activities = earlier.iter().map(|r| record_json(r).cast()).collect();
            return Ok(filed);
        }
        let mut known = Vec::new();
        for address in mail.people() {
            for r in self.with_store(|s| Ok(s.find_by_email(address, 20)?))? {
                if let (RecordType::Contact, Some(account)) = (r.record.record_type, r.record.text("account")) {
                    let (contact, account) = (r.record.id.to_string(), account.to_string());
                    known.push(Known { contact, account, email: address.clone() });
                }
            }
        }
        let settings = self.with_store(|s| Ok(s.get_record(&SETTINGS_ID.to_string())?))?;
        let support = support
            .map(str::to_string)
            .or_else(|| settings.as_ref().and_then(|s| s.record.text("support_email")).map(str::to_string));
        let tickets: Vec<_> =
            self.with_store(|s| Ok(s.list(RecordType::Ticket)?))?.into_iter().map(|t| t.record).collect();
        let may_open = role.is_none_or(|r| scope(r, RecordType::Ticket, Action::Create) != Scope::None);
        let filing = crm_core::mail::file(&mail, &known, &tickets, support.as_deref(), may_open)?;
        let now = chrono::Utc::now();
        match filing.ticketing {
            Ticketing::Thread { ticket, reopen } => {
                let stored = self.stored_of_type(&ticket, RecordType::Ticket)?;
                let mut ids = stored.record.set("message_ids").to_vec();
                ids.push(mail.message_id.clone());
                let edit: crm_doc::Edit = [("message_ids".to_string(), Some(FieldValue::Set(ids)))].into();
                self.edit(&ticket, edit)?;
                filed.ticket = Some(if reopen {
                    self.move_ticket(&ticket, Some("open"), None, now)?.ticket
                } else {
                    self.get(&ticket)?.cast()
                });
            }
            Ticketing::Open { account, contact } => {
                let fields = crm_core::mail::ticket_fields(&mail, &account, &contact, now);
                filed.ticket = Some(self.create(RecordType::Ticket, fields)?.cast());
                filed.ticket_opened = true;
            }
            Ticketing::None => {}
        }
        let many: Vec<BTreeMap<String, FieldValue>> = filing
            .by_account
            .iter()
            .map(|(account, contacts)| crm_core::mail::activity_fields(&mail, account, contacts, now))
            .collect();
        filed.activities = self.create_many(RecordType::Activity, many)?.into_iter().map(Rec::cast).collect();
        Ok(filed)
    }
}
