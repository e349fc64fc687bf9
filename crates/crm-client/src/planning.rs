//! Agenda, tasks and reminders: computed from local records, so they work offline.

use crate::{Client, ClientError};
use chrono::NaiveDate;
use crm_core::RecordType;
use serde::Serialize;
use serde_json::Value;

/// Something the user should act on, with the date it is due.
#[derive(Clone, Debug, Serialize)]
pub struct Reminder {
    /// `task`, `follow_up`, `contract_notice` or `deal_overdue`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    pub date: String,
    pub account_id: Option<String>,
    pub overdue: bool,
}

/// How far ahead reminders look.
const TASK_HORIZON_DAYS: u64 = 7;
const NOTICE_HORIZON_DAYS: u64 = 60;

impl Client {
    /// Events starting in `[from, to)`, earliest first; only `owner`'s when given.
    pub fn agenda(&self, from: NaiveDate, to: NaiveDate, owner: Option<&str>) -> Result<Vec<Value>, ClientError> {
        let mut events: Vec<Value> = self
            .list(RecordType::Event)?
            .into_iter()
            .filter(|e| {
                let day = e["start"]
                    .as_str()
                    .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                    .map(|d| d.date_naive());
                day.is_some_and(|d| d >= from && d < to) && owner.is_none_or(|o| e["owner"] == o)
            })
            .collect();
        events.sort_by(|a, b| a["start"].as_str().cmp(&b["start"].as_str()));
        Ok(events)
    }

    /// Tasks by due date; finished ones only when asked.
    pub fn tasks(&self, include_done: bool) -> Result<Vec<Value>, ClientError> {
        let mut tasks: Vec<Value> =
            self.list(RecordType::Task)?.into_iter().filter(|t| include_done || t["done"] != "yes").collect();
        tasks.sort_by(|a, b| a["due"].as_str().cmp(&b["due"].as_str()));
        Ok(tasks)
    }

    /// Tasks due within a week (or late), contract notice deadlines within 60 days, and
    /// open deals past their expected close date. Oldest first.
    pub fn reminders(&self, today: NaiveDate) -> Result<Vec<Reminder>, ClientError> {
        let date = |v: &Value, k: &str| v[k].as_str().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
        let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
        let mut out = Vec::new();
        for t in self.tasks(false)? {
            if let Some(due) = date(&t, "due")
                && due <= today + chrono::Days::new(TASK_HORIZON_DAYS)
            {
                out.push(Reminder {
                    kind: "task",
                    id: text(&t, "id"),
                    title: text(&t, "title"),
                    date: due.to_string(),
                    account_id: t["account"].as_str().map(str::to_string),
                    overdue: due < today,
                });
            }
        }
        // Follow-up dates set on visit reports and notes ("next steps").
        for a in self.list(RecordType::Activity)? {
            if let Some(due) = date(&a, "follow_up")
                && due <= today + chrono::Days::new(TASK_HORIZON_DAYS)
                && due + chrono::Days::new(30) >= today
            {
                let subject = a["subject"].as_str().map(str::to_string);
                out.push(Reminder {
                    kind: "follow_up",
                    id: text(&a, "id"),
                    title: subject.unwrap_or_else(|| text(&a, "body").chars().take(60).collect()),
                    date: due.to_string(),
                    account_id: a["account"].as_str().map(str::to_string),
                    overdue: due < today,
                });
            }
        }
        for c in self.list_contracts(None)? {
            if c["status"] == "ended" || c["status"] == "notice_given" {
                continue;
            }
            if let Some(deadline) = date(&c, "notice_deadline")
                && deadline <= today + chrono::Days::new(NOTICE_HORIZON_DAYS)
            {
                out.push(Reminder {
                    kind: "contract_notice",
                    id: text(&c, "id"),
                    title: format!(
                        "Préavis avant reconduction le {}",
                        date(&c, "next_renewal").map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
                    ),
                    date: deadline.to_string(),
                    account_id: c["account"].as_str().map(str::to_string),
                    overdue: deadline < today,
                });
            }
        }
        for d in self.list(RecordType::Deal)? {
            let open = !crm_core::stages::is_final(d["stage"].as_str().unwrap_or("won"));
            if let Some(close) = date(&d, "expected_close")
                && open
                && close < today
            {
                out.push(Reminder {
                    kind: "deal_overdue",
                    id: text(&d, "id"),
                    title: text(&d, "title"),
                    date: close.to_string(),
                    account_id: d["account"].as_str().map(str::to_string),
                    overdue: true,
                });
            }
        }
        out.sort_by(|a, b| a.date.cmp(&b.date));
        Ok(out)
    }
}

impl Client {
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
