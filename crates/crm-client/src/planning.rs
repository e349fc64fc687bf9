//! Agenda, tasks and reminders: computed from local records, so they work offline.

use crate::views::{Rec, kind};
use crate::{Client, ClientError};
use chrono::NaiveDate;
use crm_core::RecordType;
use serde::Serialize;
use serde_json::{Map, Value};

/// What a reminder is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// A task due soon or late.
    Task,
    /// A follow-up date set on a visit report or a note.
    FollowUp,
    /// The last day to give notice before a contract renews itself.
    ContractNotice,
    /// An open deal past its expected close date.
    DealOverdue,
    /// A customer not visited within their visit cadence.
    VisitDue,
    /// A ticket past its service target: for whoever handles it, and their manager.
    TicketSla,
}

/// Something the user should act on, with the date it is due. Data, not sentences: the
/// app and the command line word it in the user's language.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
pub struct Reminder {
    pub kind: ReminderKind,
    /// The record to open: the task, activity, contract, deal, or the account to visit.
    pub id: String,
    /// The record's own name (task title, subject, deal title, account name); empty for
    /// a contract, which the app names by its type.
    pub title: String,
    /// When it is due (YYYY-MM-DD).
    pub date: String,
    /// The date it leads to: a contract's next renewal, the last visit of an account.
    pub related_date: Option<String>,
    /// The contract's type id, for `contract_notice`.
    pub contract_type: Option<String>,
    pub account_id: Option<String>,
    pub overdue: bool,
}

/// How far ahead reminders look.
const TASK_HORIZON_DAYS: u64 = 7;
const NOTICE_HORIZON_DAYS: u64 = 60;

impl Client {
    /// Events starting in `[from, to)`, earliest first; only `owner`'s when given.
    pub fn agenda(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        owner: Option<&str>,
    ) -> Result<Vec<Rec<kind::Event>>, ClientError> {
        let mut events: Vec<Rec<kind::Event>> = self
            .list(RecordType::Event)?
            .into_iter()
            .filter(|e| {
                let day = e["start"]
                    .as_str()
                    .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                    .map(|d| d.date_naive());
                day.is_some_and(|d| d >= from && d < to) && owner.is_none_or(|o| e["owner"] == o)
            })
            .map(Rec::cast)
            .collect();
        events.sort_by(|a, b| a["start"].as_str().cmp(&b["start"].as_str()));
        Ok(events)
    }

    /// Tasks by due date; finished ones only when asked.
    pub fn tasks(&self, include_done: bool) -> Result<Vec<Rec<kind::Task>>, ClientError> {
        let mut tasks: Vec<Rec<kind::Task>> = self
            .list(RecordType::Task)?
            .into_iter()
            .filter(|t| include_done || t["done"] != "yes")
            .map(Rec::cast)
            .collect();
        tasks.sort_by(|a, b| a["due"].as_str().cmp(&b["due"].as_str()));
        Ok(tasks)
    }

    /// Tasks due within a week (or late), contract notice deadlines within 60 days, and
    /// open deals past their expected close date. Oldest first.
    pub fn reminders(&self, today: NaiveDate) -> Result<Vec<Reminder>, ClientError> {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let date = |v: &Map<String, Value>, k: &str| v.get(k).and_then(Value::as_str).and_then(day);
        let text = |v: &Map<String, Value>, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let mut out = Vec::new();
        for t in self.tasks(false)? {
            if let Some(due) = date(t.fields(), "due")
                && due <= today + chrono::Days::new(TASK_HORIZON_DAYS)
            {
                out.push(Reminder {
                    kind: ReminderKind::Task,
                    id: text(t.fields(), "id"),
                    title: text(t.fields(), "title"),
                    date: due.to_string(),
                    related_date: None,
                    contract_type: None,
                    account_id: t["account"].as_str().map(str::to_string),
                    overdue: due < today,
                });
            }
        }
        // Follow-up dates set on visit reports and notes ("next steps").
        for a in self.list(RecordType::Activity)? {
            if let Some(due) = date(a.fields(), "follow_up")
                && due <= today + chrono::Days::new(TASK_HORIZON_DAYS)
                && due + chrono::Days::new(30) >= today
            {
                let subject = a["subject"].as_str().map(str::to_string);
                out.push(Reminder {
                    kind: ReminderKind::FollowUp,
                    id: text(a.fields(), "id"),
                    title: subject.unwrap_or_else(|| text(a.fields(), "body").chars().take(60).collect()),
                    date: due.to_string(),
                    related_date: a["at"].as_str().map(|at| at.chars().take(10).collect()),
                    contract_type: None,
                    account_id: a["account"].as_str().map(str::to_string),
                    overdue: due < today,
                });
            }
        }
        for c in self.list_contracts(None)? {
            if crm_core::vocabulary::CONTRACT_NOTICE_SETTLED.contains(&c.contract.text("status").unwrap_or_default()) {
                continue;
            }
            if let Some(deadline) = c.notice_deadline.as_deref().and_then(day)
                && deadline <= today + chrono::Days::new(NOTICE_HORIZON_DAYS)
            {
                out.push(Reminder {
                    kind: ReminderKind::ContractNotice,
                    id: c.contract.id().to_string(),
                    title: String::new(),
                    date: deadline.to_string(),
                    related_date: c.next_renewal.clone(),
                    contract_type: c.contract.text("contract_type").map(str::to_string),
                    account_id: c.contract.text("account").map(str::to_string),
                    overdue: deadline < today,
                });
            }
        }
        for d in self.list(RecordType::Deal)? {
            let open = !crm_core::stages::is_final(d["stage"].as_str().unwrap_or("won"));
            if let Some(close) = date(d.fields(), "expected_close")
                && open
                && close < today
            {
                out.push(Reminder {
                    kind: ReminderKind::DealOverdue,
                    id: text(d.fields(), "id"),
                    title: text(d.fields(), "title"),
                    date: close.to_string(),
                    related_date: None,
                    contract_type: None,
                    account_id: d["account"].as_str().map(str::to_string),
                    overdue: true,
                });
            }
        }
        out.extend(self.visits_due(today)?);
        for t in self.breached_tickets(chrono::Utc::now())? {
            let due = if t.first_response_breached { &t.first_response_due } else { &t.resolution_due };
            out.push(Reminder {
                kind: ReminderKind::TicketSla,
                id: t.ticket.id().to_string(),
                title: t.ticket["title"].as_str().unwrap_or_default().to_string(),
                // The day it is due in Paris (a target due at 00:30 is that day's).
                date: due
                    .as_deref()
                    .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
                    .map(|d| d.with_timezone(&chrono_tz::Europe::Paris).date_naive().to_string())
                    .unwrap_or_default(),
                related_date: None,
                contract_type: None,
                account_id: t.ticket["account"].as_str().map(str::to_string),
                overdue: true,
            });
        }
        out.sort_by(|a, b| a.date.cmp(&b.date));
        Ok(out)
    }
}

impl Client {
    /// Customers with a visit cadence whose next visit falls within a week (or is late):
    /// due `visit_every_weeks` after the last visit, or today when none was ever logged.
    fn visits_due(&self, today: NaiveDate) -> Result<Vec<Reminder>, ClientError> {
        let mut last_visit: std::collections::HashMap<String, NaiveDate> = std::collections::HashMap::new();
        for a in self.list(RecordType::Activity)? {
            let (Some(account), Some(day)) = (
                a["account"].as_str(),
                a["at"].as_str().and_then(|at| NaiveDate::parse_from_str(at.get(..10)?, "%Y-%m-%d").ok()),
            ) else {
                continue;
            };
            if a["kind"] == "visit" && day <= today {
                let latest = last_visit.entry(account.to_string()).or_insert(day);
                *latest = (*latest).max(day);
            }
        }
        let mut out = Vec::new();
        for account in self.list(RecordType::Account)? {
            let Some(weeks) = account["visit_every_weeks"].as_str().and_then(|w| w.parse::<u64>().ok()) else {
                continue;
            };
            let id = account["id"].as_str().unwrap_or_default().to_string();
            let last = last_visit.get(&id).copied();
            let due = last.map_or(today, |d| d + chrono::Days::new(weeks * 7));
            if due <= today + chrono::Days::new(TASK_HORIZON_DAYS) {
                out.push(Reminder {
                    kind: ReminderKind::VisitDue,
                    title: account["name"].as_str().unwrap_or_default().to_string(),
                    date: due.to_string(),
                    related_date: last.map(|d| d.to_string()),
                    contract_type: None,
                    account_id: Some(id.clone()),
                    overdue: due < today,
                    id,
                });
            }
        }
        Ok(out)
    }

    /// A secret address serving this user's events as iCalendar, for Outlook or a phone
    /// to subscribe to. Asking again replaces (and so revokes) the previous address.
    pub async fn calendar_feed_url(&self) -> Result<String, ClientError> {
        let (server, token) = self.with_store(|s| Ok((s.meta("server_url")?, s.meta("token")?)))?;
        let (Some(server), Some(token)) = (server, token) else { return Err(ClientError::NotLoggedIn) };
        let answer: Value = self.post(&server, "/v1/calendar-feed", Some(&token), &serde_json::json!({})).await?;
        let path = answer["path"]
            .as_str()
            .ok_or_else(|| ClientError::unexpected(&server, "no calendar address in the answer"))?;
        Ok(format!("{}{path}", server.trim_end_matches('/')))
    }
}
