//! Weekly reports and the dashboard, offline, from the records on this device
//! (`crm_core::reports`, `crm_core::dashboard`): a rep's own week, another user's (what
//! this device holds of them), a manager's team with each rep and the totals; a report
//! sent to the manager is a record of its own (`report`) that syncs like any other.
//!
//! Only what a period needs is read: the week's activities and follow-ups by their dated
//! indexes, the accounts and quotes created in the week by their time-ordered ids (of
//! activities, accounts and quotes only the fields the figures use), the next week's
//! tasks, and the deals (the pipeline needs every open one).

use crate::{Client, ClientError};
use crm_core::dashboard::{Dashboard, Filter};
use crm_core::reports::{Week, WeeklyReport, id_floor, marketing_week, service_week, weekly_of};
use crm_core::{Code, FieldValue, Problem, Record, RecordType, Role};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use ts_rs::TS;

/// A team's week: each rep, and the team's totals.
#[derive(Clone, Debug, Serialize, TS)]
pub struct TeamReport {
    /// The team's figures added up (`user` is the manager), the week's with them.
    #[serde(flatten)]
    #[ts(flatten)]
    pub total: WeeklyReport,
    pub reps: Vec<RepReport>,
}

/// One person's week, with their name and what they sent about it.
#[derive(Clone, Debug, Serialize, TS)]
pub struct RepReport {
    pub name: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub report: WeeklyReport,
    /// Their comment, once they sent the week (`crm report submit`).
    pub comment: Option<String>,
    /// When they sent it (RFC 3339); `None` while not sent.
    pub submitted_at: Option<String>,
}

fn week_of(week: Option<&str>) -> Result<Week, ClientError> {
    Ok(match week {
        Some(w) => Week::parse(w)?,
        None => Week::of(chrono::Utc::now()),
    })
}

/// What a report reads of an activity.
const ACTIVITY_FIELDS: &[&str] = &["owner", "kind", "at", "follow_up", "subject", "account"];
/// What the reports and the dashboard read of a deal and of a contract.
const DEAL_FIELDS: &[&str] = &[
    "owner",
    "title",
    "account",
    "deal_type",
    "stage",
    "stage_history",
    "amount",
    "probability",
    "expected_close",
    "priority",
];
const CONTRACT_FIELDS: &[&str] = &[
    "owner",
    "account",
    "deal",
    "contract_type",
    "status",
    "start",
    "tacit_renewal",
    "term_months",
    "notice_months",
    "billing_amount",
    "billing_period",
];

fn day(d: chrono::NaiveDate) -> String {
    d.to_string()
}

impl Client {
    fn me(&self) -> Result<String, ClientError> {
        self.with_store(|s| Ok(s.meta("user_id")?))?.ok_or(ClientError::NotLoggedIn)
    }

    /// The records a week's report reads (see the module's note).
    fn week_records(&self, week: Week) -> Result<Vec<Record>, ClientError> {
        let (from, to) = week.bounds();
        let monday = week.monday();
        let next_monday = monday + chrono::Duration::days(7);
        self.with_store(|s| {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            let mut take = |list: Vec<Record>| {
                for r in list {
                    if seen.insert(r.id) {
                        out.push(r);
                    }
                }
            };
            let full = |list: Vec<crm_store::StoredRecord>| list.into_iter().map(|r| r.record).collect::<Vec<_>>();
            // Dates carry offsets: a day wider on each side, the core keeps the exact week.
            let wide = (day(monday - chrono::Duration::days(1)), day(next_monday + chrono::Duration::days(1)));
            take(s.list_fields(RecordType::Activity, "at", &wide.0, &wide.1, ACTIVITY_FIELDS)?);
            let next = (day(next_monday), day(next_monday + chrono::Duration::days(7)));
            take(full(s.list_follow_ups(&next.0, &next.1)?));
            take(full(s.list_dated(RecordType::Task, &next.0, &next.1)?));
            let created = (id_floor(from), id_floor(to));
            take(s.list_fields(RecordType::Account, "id", &created.0, &created.1, &["owner"])?);
            take(s.list_fields(RecordType::Quote, "id", &created.0, &created.1, &["owner", "status", "lines"])?);
            take(s.list_fields(RecordType::Deal, "all", "", "", DEAL_FIELDS)?);
            Ok(out)
        })
    }

    /// The week (this week when absent, in Paris) of a user (given by e-mail or id; the
    /// user of this device when absent).
    pub async fn weekly_report(&self, week: Option<&str>, user: Option<&str>) -> Result<RepReport, ClientError> {
        let week = week_of(week)?;
        let user = match user {
            Some(u) => self.resolve_user(u).await?,
            None => self.me()?,
        };
        self.rep_report(week, &user)
    }

    /// The week of the user `user_id`, from the records on this device.
    pub fn weekly_report_of(&self, week: Week, user_id: &str) -> Result<WeeklyReport, ClientError> {
        let mut report = weekly_of(&self.week_records(week)?, &[user_id], user_id, week, &self.sales_settings()?);
        self.add_team_sections(&mut report, week, user_id)?;
        Ok(report)
    }

    /// Marketing's and customer service's figures, in the week of someone of that trade
    /// (this device's user: the records are theirs to read).
    fn add_team_sections(&self, report: &mut WeeklyReport, week: Week, user_id: &str) -> Result<(), ClientError> {
        let me = self.with_store(|s| Ok(s.meta("user_id")?))?;
        if me.as_deref() != Some(user_id) {
            return Ok(());
        }
        match self.role()? {
            Some(Role::Marketing) => {
                let mut records = self.with_store(|s| Ok(s.list(RecordType::Lead)?))?;
                records.extend(self.with_store(|s| Ok(s.list(RecordType::Campaign)?))?);
                records.extend(self.with_store(|s| Ok(s.list(RecordType::Contact)?))?);
                let records: Vec<Record> = records.into_iter().map(|r| r.record).collect();
                report.marketing = Some(marketing_week(&records, week));
            }
            Some(Role::Support) => {
                let tickets: Vec<Record> =
                    self.with_store(|s| Ok(s.list(RecordType::Ticket)?))?.into_iter().map(|r| r.record).collect();
                report.service = Some(service_week(&tickets, week, &self.sla_targets()?));
            }
            _ => {}
        }
        Ok(())
    }

    fn rep_report(&self, week: Week, user: &str) -> Result<RepReport, ClientError> {
        let report = self.weekly_report_of(week, user)?;
        let sent = self.sent_report(week, user)?;
        Ok(RepReport {
            name: self.user_name(user).unwrap_or_else(|| user.to_string()),
            report,
            comment: sent.as_ref().and_then(|r| r.text("comment").map(str::to_string)),
            submitted_at: sent.as_ref().and_then(|r| r.text("submitted_at").map(str::to_string)),
        })
    }

    /// The report `user` sent for `week`, if this device holds it.
    fn sent_report(&self, week: Week, user: &str) -> Result<Option<Record>, ClientError> {
        let week = week.to_string();
        let list = self.with_store(|s| Ok(s.find_by_field(RecordType::Report, "week", &week)?))?;
        Ok(list.into_iter().map(|r| r.record).find(|r| r.text("owner") == Some(user)))
    }

    /// Sends this device user's week to their manager: the figures as they stand and a
    /// comment, as a `report` record (sent again, the same record is updated).
    pub fn submit_report(&self, week: Option<&str>, comment: &str) -> Result<RepReport, ClientError> {
        let week = week_of(week)?;
        let me = self.me()?;
        let figures = self.weekly_report_of(week, &me)?;
        let figures = serde_json::to_string(&figures).expect("a report serialises");
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let text = |s: &str| FieldValue::Text(s.to_string());
        let comment = comment.trim();
        match self.sent_report(week, &me)? {
            Some(sent) => {
                let mut edit = BTreeMap::new();
                edit.insert("comment".to_string(), (!comment.is_empty()).then(|| text(comment)));
                edit.insert("figures".to_string(), Some(text(&figures)));
                edit.insert("submitted_at".to_string(), Some(text(&now)));
                self.edit(&sent.id.to_string(), edit)?;
            }
            None => {
                let mut fields = BTreeMap::new();
                fields.insert("week".to_string(), text(&week.to_string()));
                fields.insert("owner".to_string(), text(&me));
                fields.insert("comment".to_string(), text(comment));
                fields.insert("figures".to_string(), text(&figures));
                fields.insert("submitted_at".to_string(), text(&now));
                self.create(RecordType::Report, fields)?;
            }
        }
        self.rep_report(week, &me)
    }

    /// The people who report to this device's user, by name.
    fn team(&self) -> Result<Vec<(String, String)>, ClientError> {
        let me = self.me()?;
        let mut team: Vec<(String, String)> = self
            .people()
            .into_iter()
            .filter(|p| p.manager_id.as_deref() == Some(me.as_str()))
            .map(|p| (p.id, p.name))
            .collect();
        team.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(team)
    }

    /// The week of the user's team: each person who reports to them, and the totals.
    pub fn team_report(&self, week: Option<&str>) -> Result<TeamReport, ClientError> {
        let week = week_of(week)?;
        let me = self.me()?;
        let team = self.team()?;
        let records = self.week_records(week)?;
        let settings = self.sales_settings()?;
        let mut reps = Vec::new();
        for (id, name) in &team {
            let sent = self.sent_report(week, id)?;
            reps.push(RepReport {
                name: name.clone(),
                report: weekly_of(&records, &[id.as_str()], id, week, &settings),
                comment: sent.as_ref().and_then(|r| r.text("comment").map(str::to_string)),
                submitted_at: sent.as_ref().and_then(|r| r.text("submitted_at").map(str::to_string)),
            });
        }
        let ids: Vec<&str> = team.iter().map(|(id, _)| id.as_str()).collect();
        let total = weekly_of(&records, &ids, &me, week, &settings);
        Ok(TeamReport { total, reps })
    }

    /// The dashboard over `from`–`to` (the last 90 days when absent) of a user (by
    /// e-mail or id), of this user's team, or of everything on this device, for one deal
    /// type or all.
    pub async fn dashboard(&self, options: &DashboardOptions) -> Result<Dashboard, ClientError> {
        let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris).date_naive();
        let (from, to) = match (&options.from, &options.to) {
            (Some(f), Some(t)) => Filter::period(f, t)?,
            (Some(f), None) => Filter::period(f, &today.to_string())?,
            (None, Some(t)) => {
                let (_, to) = Filter::period(t, t)?;
                (to - chrono::Duration::days(89), to)
            }
            (None, None) => (today - chrono::Duration::days(89), today),
        };
        let users = match (&options.user, options.team) {
            (Some(u), _) => Some(vec![self.resolve_user(u).await?]),
            (None, true) => {
                let mut ids: Vec<String> = self.team()?.into_iter().map(|(id, _)| id).collect();
                ids.push(self.me()?);
                Some(ids)
            }
            (None, false) => None,
        };
        if let Some(t) = &options.deal_type
            && self.sales_settings()?.stages(t).is_none()
        {
            let allowed: Vec<String> = self.sales_settings()?.deal_types.into_iter().map(|t| t.id).collect();
            return Err(ClientError::Invalid(
                Problem::new(Code::DealTypeUnknown).param("value", t).param("allowed", allowed.join(", ")),
            ));
        }
        let filter = Filter { from, to, users, deal_type: options.deal_type.clone(), today };
        self.dashboard_of(&filter)
    }

    /// The dashboard of `filter`, names filled in.
    pub fn dashboard_of(&self, filter: &Filter) -> Result<Dashboard, ClientError> {
        let (from, to) = (filter.from - chrono::Duration::days(1), filter.to + chrono::Duration::days(2));
        let mut records: Vec<Record> = self.with_store(|s| {
            let mut out = s.list_fields(RecordType::Deal, "all", "", "", DEAL_FIELDS)?;
            out.extend(s.list_fields(RecordType::Contract, "all", "", "", CONTRACT_FIELDS)?);
            out.extend(s.list_fields(RecordType::Activity, "at", &day(from), &day(to), &["owner", "kind", "at"])?);
            Ok(out)
        })?;
        records.retain(|r| !r.is_deleted());
        let mut d = crm_core::dashboard::dashboard(&records, filter, &self.sales_settings()?);
        for a in &mut d.activity {
            a.name = self.user_name(&a.user).unwrap_or_else(|| a.user.clone());
        }
        let account_name = |id: &str| {
            self.with_store(|s| Ok(s.get_record(id)?)).ok().flatten().map(|r| r.record.label()).unwrap_or_default()
        };
        for r in &mut d.renewals {
            r.account_name = account_name(&r.account);
        }
        for a in &mut d.top_accounts {
            a.name = account_name(&a.account);
        }
        Ok(d)
    }
}

/// What `crm dashboard` and the app's « Tableau de bord » ask for.
#[derive(Clone, Debug, Default, serde::Deserialize, TS)]
pub struct DashboardOptions {
    /// `YYYY-MM-DD`, both included.
    pub from: Option<String>,
    pub to: Option<String>,
    /// A user's e-mail or id.
    pub user: Option<String>,
    /// The user's team (with the user).
    #[serde(default)]
    pub team: bool,
    pub deal_type: Option<String>,
}
