//! The weekly report of a rep, computed from the records a device holds (pure: the same
//! records give the same figures on every device). A week is an ISO week in Paris time,
//! Monday 00:00 to the next Monday 00:00. Amounts are exact (`Money`); a weighted amount
//! is each deal's amount × its probability, rounded to the cent per deal, so that the
//! figure is the sum of the lines behind it.
//!
//! When something happened comes from the records themselves: an activity's `at`, a
//! deal's stage history (created, moved, won, lost: each move is dated), and a record's
//! creation time, read from its id (UUID v7: the first 48 bits are the creation instant).

use crate::stages::{LOST, SalesSettings, WON, is_final};
use crate::{Code, Money, Problem, Record, RecordType};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;

/// An ISO week.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Week {
    pub year: i32,
    pub week: u32,
}

impl Week {
    /// `2026-W49`.
    pub fn parse(text: &str) -> Result<Week, Problem> {
        let bad = || Problem::new(Code::WeekInvalid).param("value", text);
        let (y, w) = text.trim().split_once("-W").ok_or_else(bad)?;
        let week = Week { year: y.parse().map_err(|_| bad())?, week: w.parse().map_err(|_| bad())? };
        NaiveDate::from_isoywd_opt(week.year, week.week, Weekday::Mon).ok_or_else(bad)?;
        Ok(week)
    }

    /// The week holding `at`, in Paris.
    pub fn of(at: DateTime<Utc>) -> Week {
        let iso = at.with_timezone(&Paris).date_naive().iso_week();
        Week { year: iso.year(), week: iso.week() }
    }

    pub fn monday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).expect("a checked week")
    }

    /// Monday 00:00 Paris and the next Monday 00:00 Paris, as instants.
    pub fn bounds(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = |d: NaiveDate| {
            Paris.from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight")).earliest().expect("a Paris midnight")
        };
        (start(self.monday()).with_timezone(&Utc), start(self.monday() + Duration::days(7)).with_timezone(&Utc))
    }

    pub fn contains(self, at: DateTime<Utc>) -> bool {
        let (from, to) = self.bounds();
        at >= from && at < to
    }
}

impl std::fmt::Display for Week {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

/// A count and its amount.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
pub struct CountAmount {
    pub count: usize,
    #[ts(type = "string")]
    pub amount: Money,
    /// The records behind the figure.
    pub ids: Vec<String>,
}

impl CountAmount {
    pub(crate) fn add(&mut self, id: &str, amount: Money) {
        self.count += 1;
        self.amount = self.amount + amount;
        self.ids.push(id.to_string());
    }
}

/// The open deals of one stage at the end of the week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct PipelineLine {
    pub deal_type: String,
    pub stage: String,
    pub label: String,
    pub count: usize,
    #[ts(type = "string")]
    pub amount: Money,
    #[ts(type = "string")]
    pub weighted: Money,
    pub ids: Vec<String>,
}

/// Something due the next week: a follow-up set on an activity, or a task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct NextStep {
    /// `follow_up` or `task`.
    pub kind: String,
    pub id: String,
    pub title: String,
    pub date: String,
    pub account: Option<String>,
}

/// One rep's week.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct WeeklyReport {
    pub week: String,
    /// Monday and Sunday.
    pub from: String,
    pub to: String,
    pub user: String,
    pub visits: usize,
    pub calls: usize,
    pub notes: usize,
    pub emails: usize,
    pub meetings: usize,
    /// The activities counted above.
    pub activity_ids: Vec<String>,
    pub accounts_created: CountAmount,
    pub deals_created: CountAmount,
    /// Moves from stage to stage (won and lost included), each deal once.
    pub deals_moved: CountAmount,
    pub deals_won: CountAmount,
    pub deals_lost: CountAmount,
    /// Quotes made this week and sent since (a quote's sending is not dated: the
    /// quotes of the week that left the draft state), and those of them accepted.
    pub quotes_sent: CountAmount,
    pub quotes_accepted: CountAmount,
    pub pipeline: Vec<PipelineLine>,
    #[ts(type = "string")]
    pub pipeline_amount: Money,
    #[ts(type = "string")]
    pub pipeline_weighted: Money,
    pub next_steps: Vec<NextStep>,
    /// Marketing's week (leads, campaigns), for marketing people; `None` otherwise.
    pub marketing: Option<MarketingWeek>,
    /// Customer service's week (tickets, service targets), for support; `None` otherwise.
    pub service: Option<ServiceWeek>,
}

/// When a record was created: its id's UUID v7 time (`None` for other ids).
pub fn created_at(record: &Record) -> Option<DateTime<Utc>> {
    let uuid = record.id.0;
    if uuid.get_version_num() != 7 {
        return None;
    }
    let bytes = uuid.as_bytes();
    let ms = bytes[..6].iter().fold(0i64, |acc, b| (acc << 8) | i64::from(*b));
    DateTime::from_timestamp_millis(ms)
}

/// The smallest id a record created at `at` can have (UUID v7 ids sort by creation
/// time): the records created in `[a, b)` have ids in `[id_floor(a), id_floor(b))`.
pub fn id_floor(at: DateTime<Utc>) -> String {
    let ms = at.timestamp_millis().max(0) as u64;
    format!("{:08x}-{:04x}", ms >> 16, ms & 0xffff)
}

/// A deal's stage history, oldest first: (when, stage).
pub fn stage_moves(deal: &Record) -> Vec<(DateTime<Utc>, String)> {
    let mut moves: Vec<(DateTime<Utc>, String)> = deal
        .set("stage_history")
        .iter()
        .filter_map(|entry| {
            let mut parts = entry.split(' ');
            let at = DateTime::parse_from_rfc3339(parts.next()?).ok()?.with_timezone(&Utc);
            Some((at, parts.next()?.to_string()))
        })
        .collect();
    // Moves made within the same second (created and closed at once): the stage the deal
    // stands at is the last.
    let current = deal.text("stage").unwrap_or_default();
    moves.sort_by(|a, b| (a.0, a.1 == current, &a.1).cmp(&(b.0, b.1 == current, &b.1)));
    moves
}

pub(crate) fn money(record: &Record, field: &str) -> Money {
    record.text(field).and_then(|a| a.parse().ok()).unwrap_or(Money::ZERO)
}

pub(crate) fn instant(text: Option<&str>) -> Option<DateTime<Utc>> {
    text.and_then(|t| DateTime::parse_from_rfc3339(t).ok()).map(|d| d.with_timezone(&Utc))
}

/// The week of `user` from `records` (any types: each is taken for what it is).
pub fn weekly(records: &[Record], user: &str, week: Week, settings: &SalesSettings) -> WeeklyReport {
    weekly_of(records, &[user], user, week, settings)
}

/// The week of several users together (a team's totals), named `name`.
pub fn weekly_of(records: &[Record], users: &[&str], name: &str, week: Week, settings: &SalesSettings) -> WeeklyReport {
    let user = name;
    let (from, to) = week.bounds();
    let mut r = WeeklyReport {
        week: week.to_string(),
        from: week.monday().to_string(),
        to: (week.monday() + Duration::days(6)).to_string(),
        user: user.to_string(),
        visits: 0,
        calls: 0,
        notes: 0,
        emails: 0,
        meetings: 0,
        activity_ids: Vec::new(),
        accounts_created: CountAmount::default(),
        deals_created: CountAmount::default(),
        deals_moved: CountAmount::default(),
        deals_won: CountAmount::default(),
        deals_lost: CountAmount::default(),
        quotes_sent: CountAmount::default(),
        quotes_accepted: CountAmount::default(),
        pipeline: Vec::new(),
        pipeline_amount: Money::ZERO,
        pipeline_weighted: Money::ZERO,
        next_steps: Vec::new(),
        marketing: None,
        service: None,
    };
    let next_week = (week.monday() + Duration::days(7), week.monday() + Duration::days(13));
    let due_next_week = |d: Option<&str>| {
        d.and_then(|d| NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok())
            .filter(|d| *d >= next_week.0 && *d <= next_week.1)
    };
    let mine = |r: &Record, field: &str| r.text(field).is_some_and(|u| users.contains(&u));
    for rec in records.iter().filter(|r| !r.is_deleted()) {
        match rec.record_type {
            RecordType::Activity if mine(rec, "owner") => {
                if instant(rec.text("at")).is_some_and(|at| at >= from && at < to) {
                    let slot = match rec.text("kind") {
                        Some("visit") => &mut r.visits,
                        Some("call") => &mut r.calls,
                        Some("note") => &mut r.notes,
                        Some("email") => &mut r.emails,
                        Some("meeting") => &mut r.meetings,
                        _ => continue,
                    };
                    *slot += 1;
                    r.activity_ids.push(rec.id.to_string());
                }
                if let Some(day) = due_next_week(rec.text("follow_up")) {
                    r.next_steps.push(NextStep {
                        kind: "follow_up".into(),
                        id: rec.id.to_string(),
                        title: rec.label(),
                        date: day.to_string(),
                        account: rec.text("account").map(str::to_string),
                    });
                }
            }
            RecordType::Account if mine(rec, "owner") && created_at(rec).is_some_and(|at| at >= from && at < to) => {
                r.accounts_created.add(&rec.id.to_string(), Money::ZERO);
            }
            RecordType::Task if mine(rec, "assignee") && rec.text("done") != Some("yes") => {
                if let Some(day) = due_next_week(rec.text("due")) {
                    r.next_steps.push(NextStep {
                        kind: "task".into(),
                        id: rec.id.to_string(),
                        title: rec.label(),
                        date: day.to_string(),
                        account: rec.text("account").map(str::to_string),
                    });
                }
            }
            RecordType::Deal if mine(rec, "owner") => deal(rec, &mut r, (from, to), settings),
            RecordType::Quote if mine(rec, "owner") && created_at(rec).is_some_and(|at| at >= from && at < to) => {
                let total = rec
                    .text("lines")
                    .and_then(|l| crate::quote::parse_lines(l).ok())
                    .map(|lines| crate::quote::compute_totals(&lines).total_net)
                    .unwrap_or(Money::ZERO);
                let id = rec.id.to_string();
                if matches!(rec.text("status"), Some("sent" | "accepted" | "refused")) {
                    r.quotes_sent.add(&id, total);
                }
                if rec.text("status") == Some("accepted") {
                    r.quotes_accepted.add(&id, total);
                }
            }
            _ => {}
        }
    }
    r.next_steps.sort_by(|a, b| a.date.cmp(&b.date).then(a.title.cmp(&b.title)));
    r.pipeline_amount = r.pipeline.iter().map(|l| l.amount).sum();
    r.pipeline_weighted = r.pipeline.iter().map(|l| l.weighted).sum();
    r
}

fn deal(rec: &Record, r: &mut WeeklyReport, (from, to): (DateTime<Utc>, DateTime<Utc>), settings: &SalesSettings) {
    let id = rec.id.to_string();
    let amount = money(rec, "amount");
    let moves = stage_moves(rec);
    let created = moves.first().map(|(at, _)| *at).or_else(|| created_at(rec));
    if created.is_some_and(|at| at >= from && at < to) {
        r.deals_created.add(&id, amount);
    }
    let in_week: Vec<&(DateTime<Utc>, String)> =
        moves.iter().skip(1).filter(|(at, _)| *at >= from && *at < to).collect();
    if !in_week.is_empty() {
        r.deals_moved.add(&id, amount);
    }
    // Won or lost this week: the last move of the week to a final stage that is still
    // where the deal stands at the week's end.
    let at_end = moves.iter().rev().find(|(at, _)| *at < to).map(|(_, s)| s.as_str());
    if let Some(stage) = at_end
        && in_week.iter().any(|(_, s)| s == stage)
    {
        match stage {
            WON => r.deals_won.add(&id, amount),
            LOST => r.deals_lost.add(&id, amount),
            _ => {}
        }
    }
    // The pipeline at the week's end: the open deals created before it ended.
    let stage = match (at_end, created) {
        (Some(stage), _) => stage.to_string(),
        (None, Some(at)) if at < to => rec.text("stage").unwrap_or_default().to_string(),
        _ => return,
    };
    if stage.is_empty() || is_final(&stage) {
        return;
    }
    add_to_pipeline(&mut r.pipeline, rec, &stage, settings);
}

/// Adds the open deal `rec`, standing at `stage`, to its line of `pipeline` (lines in
/// the settings' order of types and stages). Its weight is the deal's own probability
/// while it is at its current stage, the stage's otherwise.
pub fn add_to_pipeline(pipeline: &mut Vec<PipelineLine>, rec: &Record, stage: &str, settings: &SalesSettings) {
    let id = rec.id.to_string();
    let amount = money(rec, "amount");
    let deal_type = rec.text("deal_type").unwrap_or("simple").to_string();
    let spec = settings.stages(&deal_type).and_then(|s| s.iter().find(|st| st.id == stage));
    let weighted = weighted(rec, stage, settings);
    match pipeline.iter_mut().find(|l| l.deal_type == deal_type && l.stage == stage) {
        Some(line) => {
            line.count += 1;
            line.amount = line.amount + amount;
            line.weighted = line.weighted + weighted;
            line.ids.push(id);
        }
        None => {
            pipeline.push(PipelineLine {
                label: spec.map_or_else(|| stage.to_string(), |s| s.label.clone()),
                deal_type,
                stage: stage.to_string(),
                count: 1,
                amount,
                weighted,
                ids: vec![id],
            });
            let order = |l: &PipelineLine| {
                let t = settings.deal_types.iter().position(|t| t.id == l.deal_type).unwrap_or(usize::MAX);
                let s = settings.stages(&l.deal_type).and_then(|s| s.iter().position(|st| st.id == l.stage));
                (t, s.unwrap_or(usize::MAX))
            };
            pipeline.sort_by_key(order);
        }
    }
}

/// A deal's amount × its probability at `stage`, rounded to the cent.
pub fn weighted(rec: &Record, stage: &str, settings: &SalesSettings) -> Money {
    let deal_type = rec.text("deal_type").unwrap_or("simple");
    let spec = settings.stages(deal_type).and_then(|s| s.iter().find(|st| st.id == stage));
    let probability = match rec.text("probability").and_then(|p| p.parse::<u8>().ok()) {
        Some(p) if rec.text("stage") == Some(stage) => p,
        _ => spec.map_or(0, |s| s.probability),
    };
    Money::rounded(money(rec, "amount").amount() * Decimal::from(probability) / Decimal::from(100))
}

/// A count with the records behind it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
pub struct Count {
    pub count: usize,
    pub ids: Vec<String>,
}

impl Count {
    fn add(&mut self, id: String) {
        self.count += 1;
        self.ids.push(id);
    }
}

/// One part of a figure split by a key (a lead's source or campaign, a priority).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Breakdown {
    pub key: String,
    pub label: String,
    pub count: usize,
    pub ids: Vec<String>,
}

fn add_to(parts: &mut Vec<Breakdown>, key: &str, label: impl FnOnce() -> String, id: String) {
    match parts.iter_mut().find(|p| p.key == key) {
        Some(p) => {
            p.count += 1;
            p.ids.push(id);
        }
        None => parts.push(Breakdown { key: key.to_string(), label: label(), count: 1, ids: vec![id] }),
    }
}

/// Marketing's week: the leads that came in and what became of them, the campaigns sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct MarketingWeek {
    /// Leads received this week (a web form's time of submission, or their creation).
    pub leads: Count,
    pub by_source: Vec<Breakdown>,
    /// By campaign (`key` the campaign's id, `label` its name).
    pub by_campaign: Vec<Breakdown>,
    /// Of the week's leads: qualified (or already converted), converted, disqualified.
    pub qualified: Count,
    pub converted: Count,
    pub disqualified: Count,
    /// Campaigns sent this week, and the e-mails they sent.
    pub campaigns_sent: Count,
    pub emails_sent: usize,
    /// Contacts who withdrew their e-mail consent this week (unsubscribe links included).
    pub unsubscribes: Count,
    /// What the CRM cannot tell, said rather than shown as zero.
    pub missing: Vec<String>,
}

/// The marketing week from `records` (leads, campaigns, contacts).
pub fn marketing_week(records: &[Record], week: Week) -> MarketingWeek {
    let (from, to) = week.bounds();
    let (monday, next_monday) = (week.monday(), week.monday() + Duration::days(7));
    let in_week = |at: Option<DateTime<Utc>>| at.is_some_and(|at| at >= from && at < to);
    let campaign_names: std::collections::HashMap<String, String> = records
        .iter()
        .filter(|r| r.record_type == RecordType::Campaign)
        .map(|r| (r.id.to_string(), r.label()))
        .collect();
    let mut m = MarketingWeek {
        leads: Count::default(),
        by_source: Vec::new(),
        by_campaign: Vec::new(),
        qualified: Count::default(),
        converted: Count::default(),
        disqualified: Count::default(),
        campaigns_sent: Count::default(),
        emails_sent: 0,
        unsubscribes: Count::default(),
        missing: vec!["Les ouvertures des e-mails ne sont pas suivies (aucun pixel espion).".into()],
    };
    for rec in records.iter().filter(|r| !r.is_deleted()) {
        let id = rec.id.to_string();
        match rec.record_type {
            RecordType::Lead if in_week(instant(rec.text("received_at")).or_else(|| created_at(rec))) => {
                m.leads.add(id.clone());
                let source = rec.text("source").unwrap_or("");
                add_to(
                    &mut m.by_source,
                    source,
                    || if source.is_empty() { "Sans origine".into() } else { source.to_string() },
                    id.clone(),
                );
                if let Some(c) = rec.text("campaign") {
                    add_to(
                        &mut m.by_campaign,
                        c,
                        || campaign_names.get(c).cloned().unwrap_or_else(|| c.to_string()),
                        id.clone(),
                    );
                }
                match rec.text("status") {
                    Some("qualified") => m.qualified.add(id),
                    Some("converted") => {
                        m.qualified.add(id.clone());
                        m.converted.add(id);
                    }
                    Some("disqualified") => m.disqualified.add(id),
                    _ => {}
                }
            }
            RecordType::Campaign if in_week(instant(rec.text("sent_at"))) => {
                m.campaigns_sent.add(id);
                m.emails_sent += rec.text("sent_count").and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
            }
            RecordType::Contact if rec.text("consent_email") == Some("no") => {
                let day =
                    rec.text("consent_date").and_then(|d| NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok());
                if day.is_some_and(|d| d >= monday && d < next_monday) {
                    m.unsubscribes.add(id);
                }
            }
            _ => {}
        }
    }
    m.by_source.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    m.by_campaign.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    m
}

/// Customer service's figures for one priority, or for all.
#[derive(Clone, Debug, Default, PartialEq, Serialize, TS)]
pub struct ServiceLine {
    /// The priority (`""` for all).
    pub priority: String,
    pub label: String,
    /// Opened this week, resolved this week, still open at the week's end.
    pub opened: Count,
    pub resolved: Count,
    pub backlog: Count,
    /// Of the tickets resolved this week, the share that met both targets (percent, one
    /// decimal), `None` when none was resolved.
    pub sla_met_percent: Option<f64>,
    pub sla_missed: Count,
    /// Mean wall-clock hours from opening to the first answer (tickets answered this
    /// week) and to the resolution (tickets resolved this week), one decimal.
    pub mean_first_response_hours: Option<f64>,
    pub mean_resolution_hours: Option<f64>,
}

/// Customer service's week: all priorities, then each.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct ServiceWeek {
    pub total: ServiceLine,
    pub by_priority: Vec<ServiceLine>,
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The service week from the tickets in `records`.
pub fn service_week(records: &[Record], week: Week, targets: &crate::service::SlaTargets) -> ServiceWeek {
    use crate::vocabulary::TICKET_PRIORITIES;
    let (from, to) = week.bounds();
    let in_week = |at: Option<DateTime<Utc>>| at.is_some_and(|at| at >= from && at < to);
    let mut lines: Vec<ServiceLine> = std::iter::once(("", "Toutes priorités".to_string()))
        .chain(TICKET_PRIORITIES.iter().rev().map(|c| (c.id, c.fr.to_string())))
        .map(|(p, label)| ServiceLine { priority: p.to_string(), label, ..ServiceLine::default() })
        .collect();
    let mut sums = vec![(0.0f64, 0usize, 0.0f64, 0usize, 0usize); lines.len()];
    for t in records.iter().filter(|r| r.record_type == RecordType::Ticket && !r.is_deleted()) {
        let Some(opened) = instant(t.text("opened_at")).or_else(|| created_at(t)) else { continue };
        let id = t.id.to_string();
        let priority = t.text("priority").unwrap_or("normal");
        let answered = instant(t.text("first_response_at"));
        let resolved = instant(t.text("resolved_at"))
            .filter(|_| t.text("status").is_some_and(|s| crate::vocabulary::TICKET_DONE.contains(&s)));
        let clock = crate::service::clock(t, targets, to);
        for (i, line) in lines.iter_mut().enumerate() {
            if !(line.priority.is_empty() || line.priority == priority) {
                continue;
            }
            if in_week(Some(opened)) {
                line.opened.add(id.clone());
            }
            if opened < to && resolved.is_none_or(|r| r >= to) {
                line.backlog.add(id.clone());
            }
            if let Some(a) = answered.filter(|a| in_week(Some(*a))) {
                sums[i].0 += (a - opened).num_seconds() as f64 / 3600.0;
                sums[i].1 += 1;
            }
            if let Some(r) = resolved.filter(|r| in_week(Some(*r))) {
                line.resolved.add(id.clone());
                sums[i].2 += (r - opened).num_seconds() as f64 / 3600.0;
                sums[i].3 += 1;
                if clock.as_ref().is_some_and(|c| c.breached) {
                    line.sla_missed.add(id.clone());
                } else {
                    sums[i].4 += 1;
                }
            }
        }
    }
    for (line, (fr, nf, res, nr, met)) in lines.iter_mut().zip(sums) {
        line.mean_first_response_hours = (nf > 0).then(|| one_decimal(fr / nf as f64));
        line.mean_resolution_hours = (nr > 0).then(|| one_decimal(res / nr as f64));
        line.sla_met_percent = (nr > 0).then(|| one_decimal(100.0 * met as f64 / nr as f64));
    }
    let total = lines.remove(0);
    ServiceWeek { total, by_priority: lines }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldValue, RecordId};

    const JULIE: &str = "julie";

    fn rec(t: RecordType, id: RecordId, fields: &[(&str, &str)]) -> Record {
        let mut r = Record::new(id, t);
        for (k, v) in fields {
            r.fields.insert(k.to_string(), FieldValue::Text(v.to_string()));
        }
        r
    }

    fn id_at(at: &str, n: u8) -> RecordId {
        let ms = DateTime::parse_from_rfc3339(at).unwrap().timestamp_millis() as u64;
        let mut bytes = [0u8; 16];
        bytes[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
        bytes[6] = 0x70;
        bytes[8] = 0x80;
        bytes[15] = n;
        RecordId(uuid::Uuid::from_bytes(bytes))
    }

    fn deal(n: u8, amount: &str, moves: &[(&str, &str)], fields: &[(&str, &str)]) -> Record {
        let mut d = rec(RecordType::Deal, id_at(moves[0].0, n), fields);
        d.fields.insert("owner".into(), FieldValue::Text(JULIE.into()));
        d.fields.insert("amount".into(), FieldValue::Text(amount.into()));
        d.fields.insert("deal_type".into(), FieldValue::Text("simple".into()));
        d.fields.insert("stage".into(), FieldValue::Text(moves.last().unwrap().1.into()));
        let history = moves.iter().map(|(at, s)| format!("{at} {s} {JULIE}")).collect();
        d.fields.insert("stage_history".into(), FieldValue::Set(history));
        d
    }

    #[test]
    fn weeks_are_iso_weeks_in_paris_across_a_year_end() {
        assert_eq!(Week::parse("2026-W53").unwrap().monday().to_string(), "2026-12-28");
        assert!(Week::parse("2025-W53").is_err(), "2025 has 52 weeks");
        // Sunday 3 January 2027 at 23:30 in Paris is still week 53 of 2026, and Monday
        // 00:30 in Paris (still Sunday in UTC) is week 1 of 2027.
        let sunday_night = Paris.with_ymd_and_hms(2027, 1, 3, 23, 30, 0).unwrap().with_timezone(&Utc);
        assert_eq!(Week::of(sunday_night).to_string(), "2026-W53");
        let monday = Paris.with_ymd_and_hms(2027, 1, 4, 0, 30, 0).unwrap().with_timezone(&Utc);
        assert_eq!(Week::of(monday).to_string(), "2027-W01");
        let (from, to) = Week::parse("2027-W01").unwrap().bounds();
        assert_eq!(from.to_rfc3339(), "2027-01-03T23:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2027-01-10T23:00:00+00:00");
    }

    #[test]
    fn a_week_adds_up_to_the_cent_and_counts_only_the_reps_own() {
        let settings = SalesSettings::default();
        let week = Week::parse("2026-W49").unwrap(); // Monday 30 November – Sunday 6 December
        let mut records = vec![
            // A visit on Sunday 6 December at 23:30 Paris counts; Monday 7 at 00:10 does not.
            rec(
                RecordType::Activity,
                id_at("2026-12-06T22:30:00Z", 1),
                &[("owner", JULIE), ("kind", "visit"), ("at", "2026-12-06T23:30:00+01:00")],
            ),
            rec(
                RecordType::Activity,
                id_at("2026-12-06T23:10:00Z", 2),
                &[("owner", JULIE), ("kind", "visit"), ("at", "2026-12-07T00:10:00+01:00")],
            ),
            rec(
                RecordType::Activity,
                id_at("2026-12-01T09:00:00Z", 3),
                &[("owner", JULIE), ("kind", "call"), ("at", "2026-12-01T10:00:00+01:00"), ("follow_up", "2026-12-08")],
            ),
            // A colleague's visit: not Julie's.
            rec(
                RecordType::Activity,
                id_at("2026-12-02T09:00:00Z", 4),
                &[("owner", "paul"), ("kind", "visit"), ("at", "2026-12-02T10:00:00+01:00")],
            ),
            rec(RecordType::Account, id_at("2026-12-02T09:00:00Z", 5), &[("owner", JULIE), ("name", "Nouveau")]),
            rec(RecordType::Account, id_at("2026-11-20T09:00:00Z", 6), &[("owner", JULIE), ("name", "Ancien")]),
            rec(
                RecordType::Task,
                id_at("2026-12-01T09:00:00Z", 7),
                &[("assignee", JULIE), ("title", "Relancer"), ("due", "2026-12-11"), ("done", "no")],
            ),
        ];
        // Won this week, 1 200,50 €; lost this week, 99,99 €; created this week at
        // proposal (30 %), 1 000,01 € → weighted 300,00 €; created before, moved to
        // negotiation (60 %) this week, 2 500,25 € → 1 500,15 €.
        records.push(deal(
            10,
            "1200.50",
            &[("2026-11-10T09:00:00Z", "qualification"), ("2026-12-03T15:00:00Z", "won")],
            &[],
        ));
        records.push(deal(11, "99.99", &[("2026-11-12T09:00:00Z", "proposal"), ("2026-12-04T15:00:00Z", "lost")], &[]));
        records.push(deal(12, "1000.01", &[("2026-12-02T09:00:00Z", "proposal")], &[("probability", "30")]));
        records.push(deal(
            13,
            "2500.25",
            &[("2026-11-02T09:00:00Z", "qualification"), ("2026-12-05T09:00:00Z", "negotiation")],
            &[],
        ));
        // Won the week after: in this week's pipeline still, at proposal.
        records.push(deal(14, "10.10", &[("2026-11-25T09:00:00Z", "proposal"), ("2026-12-08T09:00:00Z", "won")], &[]));
        let r = weekly(&records, JULIE, week, &settings);
        assert_eq!((r.visits, r.calls), (1, 1));
        assert_eq!(r.accounts_created.count, 1);
        assert_eq!(r.deals_created.count, 1);
        assert_eq!(r.deals_created.amount.to_string(), "1000.01");
        assert_eq!(r.deals_moved.count, 3);
        assert_eq!((r.deals_won.count, r.deals_won.amount.to_string()), (1, "1200.50".into()));
        assert_eq!((r.deals_lost.count, r.deals_lost.amount.to_string()), (1, "99.99".into()));
        let line = |stage: &str| r.pipeline.iter().find(|l| l.stage == stage).unwrap();
        assert_eq!((line("proposal").count, line("proposal").amount.to_string()), (2, "1010.11".into()));
        // 1 000,01 × 30 % = 300,003 → 300,00; 10,10 at proposal's default (see stages).
        let proposal_default =
            settings.stages("simple").unwrap().iter().find(|s| s.id == "proposal").unwrap().probability;
        let ten_weighted = Money::rounded(Decimal::new(1010, 2) * Decimal::from(proposal_default) / Decimal::from(100));
        assert_eq!(line("proposal").weighted, Money::rounded(Decimal::new(30000, 2)) + ten_weighted);
        let negotiation =
            settings.stages("simple").unwrap().iter().find(|s| s.id == "negotiation").unwrap().probability;
        assert_eq!(
            line("negotiation").weighted,
            Money::rounded(Decimal::new(250025, 2) * Decimal::from(negotiation) / Decimal::from(100))
        );
        assert_eq!(r.pipeline_amount.to_string(), "3510.36");
        assert_eq!(r.next_steps.iter().map(|n| n.date.as_str()).collect::<Vec<_>>(), ["2026-12-08", "2026-12-11"]);
        // Paul's week holds none of Julie's.
        let paul = weekly(&records, "paul", week, &settings);
        assert_eq!((paul.visits, paul.deals_won.count, paul.pipeline.len()), (1, 0, 0));
    }

    #[test]
    fn the_service_week_counts_targets_met_and_mean_times() {
        use crate::service::{SlaTargets, history_entry};
        let week = Week::parse("2026-W49").unwrap();
        let paris = |d: u32, h: u32, m: u32| Paris.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap().with_timezone(&Utc);
        let ticket = |n: u8,
                      priority: &str,
                      opened: DateTime<Utc>,
                      answered: Option<DateTime<Utc>>,
                      resolved: Option<DateTime<Utc>>| {
            let mut t = rec(
                RecordType::Ticket,
                id_at(&opened.to_rfc3339(), n),
                &[("priority", priority), ("opened_at", &opened.to_rfc3339())],
            );
            let status = if resolved.is_some() { "resolved" } else { "open" };
            t.fields.insert("status".into(), FieldValue::Text(status.into()));
            if let Some(a) = answered {
                t.fields.insert("first_response_at".into(), FieldValue::Text(a.to_rfc3339()));
            }
            let mut history = vec![history_entry(opened, "new")];
            if let Some(r) = resolved {
                t.fields.insert("resolved_at".into(), FieldValue::Text(r.to_rfc3339()));
                history.push(history_entry(r, "resolved"));
            }
            t.fields.insert("status_history".into(), FieldValue::Set(history));
            t
        };
        let monday = Paris.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap().with_timezone(&Utc);
        let records = vec![
            // Urgent, Monday 10:00, answered 10:30, solved 12:00: on time.
            ticket(1, "urgent", monday, Some(monday + Duration::minutes(30)), Some(monday + Duration::hours(2))),
            // Urgent, Monday, solved on Friday: late (4 business hours).
            ticket(2, "urgent", monday, Some(monday + Duration::hours(1)), Some(paris(4, 10, 0))),
            // Normal, Tuesday, still open: backlog.
            ticket(3, "normal", paris(1, 9, 0), None, None),
            // Opened the week before and solved then: not this week's.
            ticket(4, "normal", paris(1, 9, 0) - Duration::days(7), None, Some(paris(1, 9, 0) - Duration::days(6))),
        ];
        let s = service_week(&records, week, &SlaTargets::default());
        assert_eq!((s.total.opened.count, s.total.resolved.count, s.total.backlog.count), (3, 2, 1));
        assert_eq!(s.total.sla_met_percent, Some(50.0));
        assert_eq!(s.total.sla_missed.count, 1);
        assert_eq!(s.total.mean_first_response_hours, Some(0.8), "(0,5 h + 1 h) / 2 = 0,75 → 0,8");
        let urgent = s.by_priority.iter().find(|l| l.priority == "urgent").unwrap();
        assert_eq!((urgent.label.as_str(), urgent.opened.count), ("Urgente", 2));
        let normal = s.by_priority.iter().find(|l| l.priority == "normal").unwrap();
        assert_eq!((normal.backlog.count, normal.sla_met_percent), (1, None));
    }
}
