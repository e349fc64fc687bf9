//! Customer service, offline: tickets with their service clock (business hours, paused
//! while waiting for the customer, computed by `crm_core::service` on the device), and
//! the incoming-call lookup (whatever the number's format).

use crate::views::{Rec, kind, record_json};
use crate::{Client, ClientError, now_ms};
use chrono::{DateTime, Utc};
use crm_core::service::{SlaTargets, TicketClock, history_entry};
use crm_core::stages::SETTINGS_ID;
use crm_core::vocabulary::{TICKET_DONE, TICKET_PAUSED};
use crm_core::{Code, FieldValue, Problem, Record, RecordId, RecordType};
use crm_store::StoredRecord;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// A ticket to open.
#[derive(Clone, Debug, Default, Deserialize, TS)]
pub struct NewTicket {
    pub account: String,
    #[ts(optional)]
    pub contact: Option<String>,
    pub title: String,
    #[ts(optional)]
    pub priority: Option<String>,
    #[ts(optional)]
    pub channel: Option<String>,
    /// When the customer asked (RFC 3339); now when absent.
    #[ts(optional)]
    pub opened_at: Option<String>,
    #[ts(optional)]
    pub description: Option<String>,
    /// Who handles it (user id or e-mail); the author when absent.
    #[ts(optional)]
    pub assignee: Option<String>,
}

/// A ticket with the names it shows and its service clock (the due times are absent
/// for a ticket without an opening time).
#[derive(Clone, Debug, Serialize, TS)]
pub struct TicketView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub ticket: Rec<kind::Ticket>,
    pub account_name: String,
    pub contact_name: Option<String>,
    /// The assignee's name (`owner`), from the directory.
    pub assignee_name: Option<String>,
    /// RFC 3339, UTC.
    pub first_response_due: Option<String>,
    pub resolution_due: Option<String>,
    pub first_response_breached: bool,
    pub resolution_breached: bool,
    /// A target missed: the flag the queue shows, and the escalation.
    pub breached: bool,
    /// Waiting for the customer: the clock is stopped.
    pub paused: bool,
}

/// What the caller's number finds: the people, their companies with what is open.
#[derive(Clone, Debug, Serialize, TS)]
pub struct CallerCard {
    /// The number as dialled, and in E.164 (`None` when it is not a number).
    pub number: String,
    pub e164: Option<String>,
    pub contacts: Vec<Rec<kind::Contact>>,
    pub accounts: Vec<CallerAccount>,
    pub leads: Vec<Rec<kind::Lead>>,
}

#[derive(Clone, Debug, Serialize, TS)]
pub struct CallerAccount {
    pub account: Rec<kind::Account>,
    pub open_tickets: Vec<TicketView>,
    pub contracts: Vec<Rec<kind::Contract>>,
}

/// The most records a number brings up (a switchboard shared by a whole building).
const CALL_MATCHES: usize = 20;

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Client {
    pub(crate) fn sla_targets(&self) -> Result<SlaTargets, ClientError> {
        let settings = self.with_store(|s| Ok(s.get_record(&SETTINGS_ID.to_string())?))?;
        Ok(SlaTargets::from_settings(settings.as_ref().map(|s| &s.record)))
    }

    pub(crate) fn stored_of_type(&self, id: &str, record_type: RecordType) -> Result<StoredRecord, ClientError> {
        match self.with_store(|s| Ok(s.get_record(id)?))? {
            Some(r) if r.record.record_type == record_type && !r.record.is_deleted() => Ok(r),
            Some(_) => Err(ClientError::wrong_type(id, record_type)),
            None => Err(ClientError::Invalid(Problem::new(Code::NotFound).param("id", id))),
        }
    }

    fn name_of(&self, id: Option<&str>) -> Option<String> {
        let id = id?;
        self.with_store(|s| Ok(s.get_record(id)?)).ok().flatten().map(|r| r.record.label())
    }

    fn ticket_view(&self, stored: &StoredRecord, targets: &SlaTargets, now: DateTime<Utc>) -> TicketView {
        let ticket = &stored.record;
        let clock: Option<TicketClock> = crm_core::service::clock(ticket, targets, now);
        let flag = |f: fn(&TicketClock) -> bool| clock.as_ref().is_some_and(f);
        TicketView {
            ticket: record_json(stored).cast(),
            account_name: self.name_of(ticket.text("account")).unwrap_or_default(),
            contact_name: self.name_of(ticket.text("contact")),
            assignee_name: ticket.text("owner").and_then(|u| self.user_name(u)),
            first_response_due: clock.as_ref().map(|c| c.first_response_due.clone()),
            resolution_due: clock.as_ref().map(|c| c.resolution_due.clone()),
            first_response_breached: flag(|c| c.first_response_breached),
            resolution_breached: flag(|c| c.resolution_breached),
            breached: flag(|c| c.breached),
            paused: flag(|c| c.paused),
        }
    }

    /// Opens a ticket on an account (and one of its contacts), linked to the account's
    /// running contract when it has exactly one.
    pub async fn add_ticket(&self, new: NewTicket, now: DateTime<Utc>) -> Result<TicketView, ClientError> {
        let account = self.require_account(&new.account)?;
        if let Some(contact) = new.contact.as_deref() {
            let c = self.stored_of_type(contact, RecordType::Contact)?;
            if c.record.text("account") != Some(account.id()) {
                return Err(ClientError::Invalid(Problem::new(Code::TicketContactElsewhere).field("contact")));
            }
        }
        let opened = match new.opened_at.as_deref() {
            Some(t) => DateTime::parse_from_rfc3339(t)
                .map_err(|_| {
                    ClientError::Invalid(Problem::new(Code::DateTimeInvalid).field("opened_at").param("value", t))
                })?
                .with_timezone(&Utc),
            None => now,
        };
        let assignee = match new.assignee.as_deref() {
            Some(who) => Some(self.resolve_user(who).await?),
            None => self.with_store(|s| Ok(s.meta("user_id")?))?,
        };
        let running: Vec<_> = self
            .list_for_account(account.id(), RecordType::Contract)?
            .into_iter()
            .filter(|c| c["status"] == "active")
            .collect();
        let mut fields: BTreeMap<String, FieldValue> = BTreeMap::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
                fields.insert(k.into(), FieldValue::Text(v));
            }
        };
        put("account", Some(account.id().to_string()));
        put("contact", new.contact.clone());
        put("title", Some(new.title.clone()));
        put("status", Some("new".into()));
        put("priority", Some(new.priority.clone().unwrap_or_else(|| "normal".into())));
        put("channel", new.channel.clone());
        put("opened_at", Some(stamp(opened)));
        put("description", new.description.clone());
        put("owner", assignee);
        if let [only] = running.as_slice() {
            put("contract", Some(only.id().to_string()));
        }
        fields.insert("status_history".into(), FieldValue::Set(vec![history_entry(opened, "new")]));
        let created = self.create(RecordType::Ticket, fields)?;
        self.ticket(created.id(), now)
    }

    /// One ticket with its clock at `now`.
    pub fn ticket(&self, id: &str, now: DateTime<Utc>) -> Result<TicketView, ClientError> {
        let stored = self.stored_of_type(id, RecordType::Ticket)?;
        Ok(self.ticket_view(&stored, &self.sla_targets()?, now))
    }

    /// The tickets on this device: the open ones only, or only the user's, when asked.
    /// Breached first, then by the next time due (the response, then the resolution).
    pub fn tickets(&self, open_only: bool, mine: bool, now: DateTime<Utc>) -> Result<Vec<TicketView>, ClientError> {
        let me = self.with_store(|s| Ok(s.meta("user_id")?))?;
        let targets = self.sla_targets()?;
        let stored = self.with_store(|s| Ok(s.list(RecordType::Ticket)?))?;
        let mut out: Vec<TicketView> = stored
            .iter()
            .filter(|s| is_listed(&s.record, open_only))
            .filter(|s| !mine || s.record.text("owner") == me.as_deref())
            .map(|s| self.ticket_view(s, &targets, now))
            .collect();
        out.sort_by_key(sort_key);
        Ok(out)
    }

    /// Moves a ticket (its history records when: waiting periods stop the clock), and
    /// hands it to someone (user id or e-mail). The first move out of « new » is the
    /// first response; a resolved ticket reopened runs again.
    pub async fn update_ticket(
        &self,
        id: &str,
        status: Option<&str>,
        assignee: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<TicketView, ClientError> {
        let owner = match assignee {
            Some(who) => Some(self.resolve_user(who).await?),
            None => None,
        };
        self.move_ticket(id, status, owner, now)
    }

    /// [`Client::update_ticket`] with the assignee's user id.
    pub(crate) fn move_ticket(
        &self,
        id: &str,
        status: Option<&str>,
        owner: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<TicketView, ClientError> {
        let stored = self.stored_of_type(id, RecordType::Ticket)?;
        let ticket = &stored.record;
        let mut edit: crm_doc::Edit = match status {
            Some(status) => crm_core::service::move_fields(ticket, status, now),
            None => BTreeMap::new(),
        };
        if let Some(owner) = owner {
            edit.insert("owner".into(), Some(FieldValue::Text(owner)));
        }
        if edit.is_empty() {
            return Err(ClientError::Invalid(Problem::new(Code::NothingToChange)));
        }
        let record_id: RecordId = id.parse().map_err(ClientError::Invalid)?;
        self.with_store(|s| Ok(s.edit_record(&record_id, &edit, now_ms())?))?;
        self.ticket(id, now)
    }

    /// Breached tickets to escalate: those the user handles, and those handled by
    /// someone who reports to the user (their manager sees them too).
    pub(crate) fn breached_tickets(&self, now: DateTime<Utc>) -> Result<Vec<TicketView>, ClientError> {
        let me = self.with_store(|s| Ok(s.meta("user_id")?))?;
        Ok(self
            .tickets(true, false, now)?
            .into_iter()
            .filter(|t| t.breached && !t.paused)
            .filter(|t| {
                let owner = t.ticket["owner"].as_str();
                me.is_some() && (owner == me.as_deref() || owner.and_then(|o| self.manager_of(o)) == me)
            })
            .collect())
    }

    /// Who is calling: the contacts, accounts and leads with this number (stored in any
    /// format, compared in E.164), each account with its open tickets and contracts.
    pub fn incoming_call(&self, number: &str, now: DateTime<Utc>) -> Result<CallerCard, ClientError> {
        let e164 = crm_core::duplicates::phone_key(number);
        if e164.is_none() && !number.trim().is_empty() {
            return Err(ClientError::Invalid(Problem::new(Code::PhoneUnreadable).param("value", number)));
        }
        let found = self.with_store(|s| Ok(s.find_by_phone(number, CALL_MATCHES)?))?;
        let mut card = CallerCard {
            number: number.to_string(),
            e164,
            contacts: Vec::new(),
            accounts: Vec::new(),
            leads: Vec::new(),
        };
        let mut account_ids: Vec<String> = Vec::new();
        for r in &found {
            match r.record.record_type {
                RecordType::Contact => {
                    account_ids.extend(r.record.text("account").map(str::to_string));
                    card.contacts.push(record_json(r).cast());
                }
                RecordType::Account => account_ids.push(r.record.id.to_string()),
                RecordType::Lead => card.leads.push(record_json(r).cast()),
                _ => {}
            }
        }
        let targets = self.sla_targets()?;
        let mut seen = std::collections::HashSet::new();
        for id in account_ids.into_iter().filter(|id| seen.insert(id.clone())) {
            let Ok(account) = self.stored_of_type(&id, RecordType::Account) else { continue };
            let tickets = self.with_store(|s| Ok(s.list_for_account(&id, RecordType::Ticket)?))?;
            let open_tickets = tickets
                .iter()
                .filter(|t| is_listed(&t.record, true))
                .map(|t| self.ticket_view(t, &targets, now))
                .collect();
            let contracts = self
                .list_for_account(&id, RecordType::Contract)?
                .into_iter()
                .filter(|c| c["status"] == "active" || c["status"] == "notice_given")
                .map(Rec::cast)
                .collect();
            card.accounts.push(CallerAccount { account: record_json(&account).cast(), open_tickets, contracts });
        }
        Ok(card)
    }
}

/// Breached first, then the earliest due: the first response while none was given,
/// the resolution after; paused and done tickets last.
fn sort_key(t: &TicketView) -> (u8, String) {
    let (Some(first), Some(resolution)) = (&t.first_response_due, &t.resolution_due) else {
        return (3, String::new());
    };
    let status = t.ticket["status"].as_str().unwrap_or_default();
    if TICKET_DONE.contains(&status) || TICKET_PAUSED.contains(&status) {
        return (2, resolution.clone());
    }
    let due = if t.ticket["first_response_at"].is_null() { first.min(resolution) } else { resolution };
    (if t.breached { 0 } else { 1 }, due.clone())
}

/// A ticket that is not deleted (and still open, when only those are wanted).
fn is_listed(ticket: &Record, open_only: bool) -> bool {
    let done = ticket.text("status").is_some_and(|s| TICKET_DONE.contains(&s));
    !(ticket.is_deleted() || open_only && done)
}
