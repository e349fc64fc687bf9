//! Customer service: the service-level targets of tickets and the clock of one ticket.
//!
//! A ticket's clock runs in business hours ([`crate::sla::BusinessHours`]: Paris time,
//! Monday to Friday, French public holidays off) from `opened_at`, and stops while the
//! ticket waits for the customer (its `status_history`). Every device computes the same
//! due times from the same record and the same settings; the server computes nothing.

use crate::sla::BusinessHours;
use crate::vocabulary::{TICKET_DONE, TICKET_PAUSED};
use crate::{Code, Problem, Record};
use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The targets of one priority, in business minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaTarget {
    pub priority: String,
    pub first_response_minutes: i64,
    pub resolution_minutes: i64,
}

/// The company's service targets (settings field `sla_targets`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaTargets {
    /// Opening hours, `HH:MM` Paris time.
    pub opens: String,
    pub closes: String,
    pub targets: Vec<SlaTarget>,
}

impl Default for SlaTargets {
    fn default() -> Self {
        let t = |priority: &str, first: i64, resolution: i64| SlaTarget {
            priority: priority.into(),
            first_response_minutes: first * 60,
            resolution_minutes: resolution * 60,
        };
        SlaTargets {
            opens: "09:00".into(),
            closes: "18:00".into(),
            // Business hours: urgent answered within the hour and solved the same day.
            targets: vec![t("urgent", 1, 4), t("high", 4, 16), t("normal", 8, 40), t("low", 16, 80)],
        }
    }
}

impl SlaTargets {
    /// The targets of the settings record; the defaults when it has none.
    pub fn from_settings(settings: Option<&Record>) -> SlaTargets {
        settings.and_then(|s| s.text("sla_targets")).and_then(|t| Self::parse(t).ok()).unwrap_or_default()
    }

    /// Reads and checks targets written as JSON.
    pub fn parse(text: &str) -> Result<SlaTargets, Problem> {
        let invalid = |detail: String| Problem::new(Code::SettingsInvalid).field("sla_targets").param("detail", detail);
        let targets: SlaTargets = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let hours = targets.hours().ok_or_else(|| invalid(format!("hours {}–{}", targets.opens, targets.closes)))?;
        if hours.opens >= hours.closes {
            return Err(invalid(format!("{} is not before {}", targets.opens, targets.closes)));
        }
        for t in &targets.targets {
            if crate::vocabulary::TICKET_PRIORITIES.iter().all(|c| c.id != t.priority) {
                return Err(invalid(format!("unknown priority {}", t.priority)));
            }
            if t.first_response_minutes <= 0 || t.resolution_minutes < t.first_response_minutes {
                return Err(invalid(format!(
                    "priority {}: targets must be positive, resolution ≥ response",
                    t.priority
                )));
            }
        }
        Ok(targets)
    }

    pub fn hours(&self) -> Option<BusinessHours> {
        let time = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").ok();
        Some(BusinessHours { opens: time(&self.opens)?, closes: time(&self.closes)? })
    }

    fn target(&self, priority: &str) -> Option<&SlaTarget> {
        self.targets.iter().find(|t| t.priority == priority)
    }
}

/// One ticket's clock at a moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct TicketClock {
    /// RFC 3339, UTC.
    pub first_response_due: String,
    pub resolution_due: String,
    pub first_response_breached: bool,
    pub resolution_breached: bool,
    /// Either target missed.
    pub breached: bool,
    /// Waiting for the customer now: the clock is stopped.
    pub paused: bool,
}

/// The fields a move of `ticket` to `status` at `now` writes: the status, its history
/// entry, the first response (the first move out of « new »), and the resolution time
/// (set when done, cleared when reopened). Empty when it already has that status.
pub fn move_fields(
    ticket: &Record,
    status: &str,
    now: DateTime<Utc>,
) -> std::collections::BTreeMap<String, Option<crate::FieldValue>> {
    use crate::FieldValue;
    let mut edit = std::collections::BTreeMap::new();
    if ticket.text("status") == Some(status) {
        return edit;
    }
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    edit.insert("status".into(), Some(FieldValue::Text(status.into())));
    let mut history = ticket.set("status_history").to_vec();
    history.push(history_entry(now, status));
    edit.insert("status_history".into(), Some(FieldValue::Set(history)));
    if status != "new" && ticket.text("first_response_at").is_none() {
        edit.insert("first_response_at".into(), Some(FieldValue::Text(stamp.clone())));
    }
    if TICKET_DONE.contains(&status) {
        if ticket.text("resolved_at").is_none() {
            edit.insert("resolved_at".into(), Some(FieldValue::Text(stamp)));
        }
    } else if ticket.text("resolved_at").is_some() {
        edit.insert("resolved_at".into(), None);
    }
    edit
}

/// A status history entry: `RFC 3339 instant|status`.
pub fn history_entry(at: DateTime<Utc>, status: &str) -> String {
    format!("{}|{status}", at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Reads a status history entry.
pub fn parse_history_entry(entry: &str) -> Option<(DateTime<Utc>, &str)> {
    let (at, status) = entry.split_once('|')?;
    let at = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
    crate::vocabulary::TICKET_STATUSES.iter().any(|c| c.id == status).then_some((at, status))
}

fn instant(record: &Record, field: &str) -> Option<DateTime<Utc>> {
    record.text(field).and_then(|t| DateTime::parse_from_rfc3339(t).ok()).map(|d| d.with_timezone(&Utc))
}

/// The periods the ticket waited for the customer, up to `now` for a wait not over.
pub fn pauses(ticket: &Record, now: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut moves: Vec<(DateTime<Utc>, &str)> =
        ticket.set("status_history").iter().filter_map(|e| parse_history_entry(e)).collect();
    moves.sort();
    let mut out = Vec::new();
    let mut since: Option<DateTime<Utc>> = None;
    for (at, status) in moves {
        let waiting = TICKET_PAUSED.contains(&status);
        match (since, waiting) {
            (None, true) => since = Some(at),
            (Some(from), false) => {
                out.push((from, at));
                since = None;
            }
            _ => {}
        }
    }
    if let Some(from) = since {
        out.push((from, now.max(from)));
    }
    out
}

/// The clock of a ticket at `now`; `None` when it has no opening time.
pub fn clock(ticket: &Record, targets: &SlaTargets, now: DateTime<Utc>) -> Option<TicketClock> {
    let opened = instant(ticket, "opened_at")?;
    let hours = targets.hours().unwrap_or_default();
    let priority = ticket.text("priority").unwrap_or("normal");
    let default = SlaTargets::default();
    let target = targets.target(priority).or_else(|| default.target(priority)).or_else(|| default.target("normal"))?;
    let paused_periods = pauses(ticket, now);
    let first_due = hours.add(opened, target.first_response_minutes, &paused_periods);
    let resolution_due = hours.add(opened, target.resolution_minutes, &paused_periods);
    let done = ticket.text("status").is_some_and(|s| TICKET_DONE.contains(&s));
    let answered = instant(ticket, "first_response_at");
    let resolved = instant(ticket, "resolved_at").filter(|_| done);
    let first_response_breached = answered.unwrap_or(now) > first_due;
    let resolution_breached = resolved.unwrap_or(if done { opened } else { now }) > resolution_due;
    let paused = ticket.text("status").is_some_and(|s| TICKET_PAUSED.contains(&s));
    let text = |d: DateTime<Utc>| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Some(TicketClock {
        first_response_due: text(first_due),
        resolution_due: text(resolution_due),
        first_response_breached,
        resolution_breached,
        breached: first_response_breached || resolution_breached,
        paused,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldValue, RecordId, RecordType};
    use chrono::TimeZone;
    use chrono_tz::Europe::Paris;

    fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Paris.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    fn ticket(priority: &str, opened: DateTime<Utc>, status: &str, history: &[(DateTime<Utc>, &str)]) -> Record {
        let mut r = Record::new(RecordId::from_parts(1, [7; 10]), RecordType::Ticket);
        r.fields.insert("priority".into(), FieldValue::Text(priority.into()));
        r.fields.insert("status".into(), FieldValue::Text(status.into()));
        r.fields.insert("opened_at".into(), FieldValue::Text(opened.to_rfc3339()));
        let set = history.iter().map(|(at, s)| history_entry(*at, s)).collect();
        r.fields.insert("status_history".into(), FieldValue::Set(set));
        r
    }

    #[test]
    fn an_urgent_ticket_opened_friday_evening_is_due_monday() {
        let targets = SlaTargets::default();
        // Friday 4 December 2026 at 17:30: half an hour on Friday, then Monday 9:30.
        let t = ticket("urgent", paris(2026, 12, 4, 17, 30), "new", &[]);
        let c = clock(&t, &targets, paris(2026, 12, 4, 17, 45)).unwrap();
        assert_eq!(c.first_response_due, paris(2026, 12, 7, 9, 30).to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        // Four hours: 0:30 Friday + 3:30 Monday = Monday 12:30.
        assert_eq!(c.resolution_due, paris(2026, 12, 7, 12, 30).to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        assert!(!c.breached, "nothing is late during the weekend");
        let monday = clock(&t, &targets, paris(2026, 12, 7, 9, 31)).unwrap();
        assert!(monday.first_response_breached && !monday.resolution_breached);
    }

    #[test]
    fn waiting_for_the_customer_stops_the_clock_and_holidays_do_not_count() {
        let targets = SlaTargets::default();
        // High: 4 h to answer, 16 h to solve. Opened Thursday 24 Dec 2026 at 14:00;
        // Christmas is a holiday, then the weekend: 4 h of Thursday, 12 h from Monday 28th.
        let opened = paris(2026, 12, 24, 14, 0);
        let t = ticket("high", opened, "open", &[(opened, "new"), (paris(2026, 12, 24, 15, 0), "open")]);
        let c = clock(&t, &targets, paris(2026, 12, 24, 16, 0)).unwrap();
        assert_eq!(c.first_response_due, "2026-12-24T17:00:00Z", "18:00 Paris on the 24th");
        // 16 h: 4 on the 24th, 9 on Monday the 28th, 3 on Tuesday: Tuesday 12:00 Paris.
        assert_eq!(c.resolution_due, "2026-12-29T11:00:00Z");
        // Waiting for the customer all Monday: the due time moves a whole business day.
        let waited = ticket(
            "high",
            opened,
            "open",
            &[(opened, "new"), (paris(2026, 12, 28, 9, 0), "waiting"), (paris(2026, 12, 29, 9, 0), "open")],
        );
        let c = clock(&waited, &targets, paris(2026, 12, 29, 10, 0)).unwrap();
        assert_eq!(c.resolution_due, "2026-12-30T11:00:00Z");
        // Still waiting: paused, and never breached by the wait itself.
        let waiting = ticket("high", opened, "waiting", &[(paris(2026, 12, 24, 15, 0), "waiting")]);
        let c = clock(&waiting, &targets, paris(2027, 1, 20, 10, 0)).unwrap();
        assert!(c.paused && !c.resolution_breached, "{c:?}");
    }

    #[test]
    fn a_ticket_solved_late_stays_breached_and_one_solved_in_time_does_not() {
        let targets = SlaTargets::default();
        let opened = paris(2026, 12, 7, 9, 0);
        let mut t = ticket("urgent", opened, "resolved", &[]);
        t.fields.insert("first_response_at".into(), FieldValue::Text(paris(2026, 12, 7, 9, 20).to_rfc3339()));
        t.fields.insert("resolved_at".into(), FieldValue::Text(paris(2026, 12, 7, 12, 0).to_rfc3339()));
        assert!(!clock(&t, &targets, paris(2026, 12, 20, 9, 0)).unwrap().breached);
        t.fields.insert("resolved_at".into(), FieldValue::Text(paris(2026, 12, 7, 14, 0).to_rfc3339()));
        let c = clock(&t, &targets, paris(2026, 12, 20, 9, 0)).unwrap();
        assert!(c.resolution_breached && !c.first_response_breached);
    }

    #[test]
    fn targets_from_settings_are_checked() {
        assert!(SlaTargets::parse(r#"{"opens":"18:00","closes":"09:00","targets":[]}"#).is_err());
        let bad = r#"{"opens":"09:00","closes":"18:00","targets":[{"priority":"vip","first_response_minutes":5,"resolution_minutes":10}]}"#;
        assert!(SlaTargets::parse(bad).is_err());
        let ok = serde_json::to_string(&SlaTargets::default()).unwrap();
        assert_eq!(SlaTargets::parse(&ok).unwrap(), SlaTargets::default());
    }
}
