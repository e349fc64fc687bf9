//! E-mails into the CRM, offline: an `.eml` file (dropped on the app, or `crm mail
//! import`) is filed once (its Message-ID) in the timelines of the known contacts it is
//! from or to; one sent to the support address opens a ticket on the sender's account,
//! and a reply (In-Reply-To, References) threads into the ticket it answers. A message
//! that concerns no known contact is not kept: the CRM never takes in a whole mailbox.

use crate::views::{Rec, kind, record_json};
use crate::{Client, ClientError};
use crm_core::permissions::{Action, Scope, scope};
use crm_core::stages::SETTINGS_ID;
use crm_core::{Code, FieldValue, Problem, RecordType};
use mailparse::{MailAddr, MailHeaderMap, ParsedMail};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
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

fn addresses(mail: &ParsedMail<'_>, header: &str) -> Vec<String> {
    let mut out = Vec::new();
    for h in mail.headers.iter().filter(|h| h.get_key().eq_ignore_ascii_case(header)) {
        if let Ok(list) = mailparse::addrparse_header(h) {
            for a in list.iter() {
                match a {
                    MailAddr::Single(s) => out.push(s.addr.trim().to_lowercase()),
                    MailAddr::Group(g) => out.extend(g.addrs.iter().map(|s| s.addr.trim().to_lowercase())),
                }
            }
        }
    }
    out
}

fn ids(mail: &ParsedMail<'_>, header: &str) -> Vec<String> {
    mail.headers
        .get_all_values(header)
        .iter()
        .filter_map(|v| mailparse::msgidparse(v).ok())
        .flat_map(|list| list.iter().cloned().collect::<Vec<_>>())
        .collect()
}

/// The plain text of a message: its first text/plain part, else its first part's text.
fn text_of(mail: &ParsedMail<'_>) -> String {
    if mail.subparts.is_empty() {
        return mail.get_body().unwrap_or_default();
    }
    fn find(part: &ParsedMail<'_>) -> Option<String> {
        if part.subparts.is_empty() {
            return (part.ctype.mimetype == "text/plain").then(|| part.get_body().unwrap_or_default());
        }
        part.subparts.iter().find_map(find)
    }
    find(mail).unwrap_or_default()
}

impl Client {
    /// Files one e-mail (the bytes of an `.eml` file). `support` is the support
    /// address (the settings' `support_email` when absent).
    pub fn import_mail(&self, bytes: &[u8], support: Option<&str>) -> Result<MailFiled, ClientError> {
        let unreadable =
            |detail: String| ClientError::Invalid(Problem::new(Code::MailUnreadable).param("detail", detail));
        if bytes.len() > MAX_EML_BYTES {
            return Err(unreadable(format!("more than {} MiB", MAX_EML_BYTES / 1024 / 1024)));
        }
        if let Some(role) = self.role()?
            && scope(role, RecordType::Activity, Action::Create) == Scope::None
        {
            return Err(ClientError::Forbidden(Problem::new(Code::MailMayNotFile).param("role", role)));
        }
        let mail = mailparse::parse_mail(bytes).map_err(|e| unreadable(e.to_string()))?;
        let message_id =
            ids(&mail, "Message-ID").into_iter().next().ok_or_else(|| unreadable("Message-ID absent".into()))?;
        let subject = mail.headers.get_first_value("Subject").unwrap_or_default().trim().to_string();
        let at = mail
            .headers
            .get_first_value("Date")
            .and_then(|d| mailparse::dateparse(&d).ok())
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .unwrap_or_else(chrono::Utc::now)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut filed = MailFiled {
            message_id: message_id.clone(),
            subject: subject.clone(),
            already: false,
            activities: Vec::new(),
            ticket: None,
            ticket_opened: false,
        };
        let earlier = self.with_store(|s| Ok(s.find_by_field(RecordType::Activity, "external_id", &message_id)?))?;
        if !earlier.is_empty() {
            filed.already = true;
            filed.activities = earlier.iter().map(|r| record_json(r).cast()).collect();
            return Ok(filed);
        }

        // The known contacts it is from or to, by account.
        let from = addresses(&mail, "From");
        let mut people: Vec<String> = from.clone();
        for h in ["To", "Cc"] {
            people.extend(addresses(&mail, h));
        }
        let mut by_account: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut sender: Option<(String, String)> = None;
        for address in &people {
            for r in self.with_store(|s| Ok(s.find_by_email(address, 20)?))? {
                if r.record.record_type != RecordType::Contact {
                    continue;
                }
                let Some(account) = r.record.text("account").map(str::to_string) else { continue };
                if sender.is_none() && from.contains(address) {
                    sender = Some((account.clone(), r.record.id.to_string()));
                }
                by_account.entry(account).or_default().insert(r.record.id.to_string());
            }
        }
        if by_account.is_empty() {
            return Err(ClientError::Invalid(Problem::new(Code::MailNoContact).param("value", people.join(", "))));
        }

        // A reply threads into its ticket; a new message to support opens one.
        let settings = self.with_store(|s| Ok(s.get_record(&SETTINGS_ID.to_string())?))?;
        let support = support
            .map(str::to_string)
            .or_else(|| settings.as_ref().and_then(|s| s.record.text("support_email")).map(str::to_string))
            .map(|s| s.trim().to_lowercase());
        let answered: Vec<String> = ids(&mail, "In-Reply-To").into_iter().chain(ids(&mail, "References")).collect();
        let tickets = self.with_store(|s| Ok(s.list(RecordType::Ticket)?))?;
        let thread = tickets.iter().find(|t| t.record.set("message_ids").iter().any(|m| answered.contains(m)));
        let body: String = text_of(&mail).chars().take(20_000).collect();
        let now = chrono::Utc::now();
        if let Some(t) = thread {
            let mut edit: crm_doc::Edit = BTreeMap::new();
            let mut mids = t.record.set("message_ids").to_vec();
            mids.push(message_id.clone());
            edit.insert("message_ids".into(), Some(FieldValue::Set(mids)));
            let record_id: crm_core::RecordId = t.record.id.to_string().parse().map_err(ClientError::Invalid)?;
            self.with_store(|s| Ok(s.edit_record(&record_id, &edit, crate::now_ms())?))?;
            // The customer answered: a ticket waiting for them runs again.
            let waiting = t.record.text("status").is_some_and(|s| crm_core::vocabulary::TICKET_PAUSED.contains(&s));
            let from_customer = sender.is_some();
            let id = t.record.id.to_string();
            filed.ticket = Some(if waiting && from_customer {
                self.move_ticket(&id, Some("open"), None, now)?.ticket
            } else {
                self.get(&id)?.cast()
            });
        } else if let (Some(support), Some((account, contact))) = (&support, &sender)
            && people.iter().any(|p| p == support)
            && self.role()?.is_none_or(|r| scope(r, RecordType::Ticket, Action::Create) != Scope::None)
        {
            let opened =
                chrono::DateTime::parse_from_rfc3339(&at).map(|d| d.with_timezone(&chrono::Utc)).unwrap_or(now);
            let mut fields: BTreeMap<String, FieldValue> = BTreeMap::new();
            for (k, v) in [
                ("account", account.clone()),
                ("contact", contact.clone()),
                ("title", if subject.is_empty() { "(sans objet)".to_string() } else { subject.clone() }),
                ("status", "new".into()),
                ("priority", "normal".into()),
                ("channel", "email".into()),
                ("opened_at", opened.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                ("description", body.clone()),
            ] {
                fields.insert(k.into(), FieldValue::Text(v));
            }
            fields.insert(
                "status_history".into(),
                FieldValue::Set(vec![crm_core::service::history_entry(opened, "new")]),
            );
            fields.insert("message_ids".into(), FieldValue::Set(vec![message_id.clone()]));
            filed.ticket = Some(self.create(RecordType::Ticket, fields)?.cast());
            filed.ticket_opened = true;
        }

        // One activity per account, naming its contacts.
        let mut many = Vec::new();
        for (account, contacts) in by_account {
            let mut fields: BTreeMap<String, FieldValue> = BTreeMap::new();
            for (k, v) in [
                ("account", account),
                ("kind", "email".to_string()),
                ("at", at.clone()),
                ("subject", if subject.is_empty() { "(sans objet)".to_string() } else { subject.clone() }),
                ("body", body.clone()),
                ("external_id", message_id.clone()),
            ] {
                fields.insert(k.into(), FieldValue::Text(v));
            }
            fields.insert("contacts".into(), FieldValue::Set(contacts.into_iter().collect()));
            many.push(fields);
        }
        filed.activities = self.create_many(RecordType::Activity, many)?.into_iter().map(Rec::cast).collect();
        Ok(filed)
    }
}
