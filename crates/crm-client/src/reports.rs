//! Weekly reports, offline, from the records on this device (`crm_core::reports`): a
//! rep's own week, another user's (what this device holds of them), or a manager's team
//! with each rep and the totals.

use crate::{Client, ClientError};
use crm_core::RecordType;
use crm_core::reports::{Week, WeeklyReport, weekly, weekly_of};
use serde::Serialize;
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

/// One rep's week, with their name.
#[derive(Clone, Debug, Serialize, TS)]
pub struct RepReport {
    pub name: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub report: WeeklyReport,
}

const TYPES: [RecordType; 5] =
    [RecordType::Activity, RecordType::Account, RecordType::Deal, RecordType::Task, RecordType::Quote];

impl Client {
    fn report_records(&self) -> Result<Vec<crm_core::Record>, ClientError> {
        let mut out = Vec::new();
        for t in TYPES {
            out.extend(self.with_store(|s| Ok(s.list(t)?))?.into_iter().map(|r| r.record));
        }
        Ok(out)
    }

    /// The week (this week when absent, in Paris) of a user (given by e-mail or id; the
    /// user of this device when absent).
    pub async fn weekly_report(&self, week: Option<&str>, user: Option<&str>) -> Result<RepReport, ClientError> {
        let week = match week {
            Some(w) => Week::parse(w)?,
            None => Week::of(chrono::Utc::now()),
        };
        let user = match user {
            Some(u) => self.resolve_user(u).await?,
            None => self.with_store(|s| Ok(s.meta("user_id")?))?.ok_or(ClientError::NotLoggedIn)?,
        };
        let report = self.weekly_report_of(week, &user)?;
        Ok(RepReport { name: self.user_name(&user).unwrap_or_else(|| user.clone()), report })
    }

    /// The week of the user `user_id`, from the records on this device.
    pub fn weekly_report_of(&self, week: Week, user_id: &str) -> Result<WeeklyReport, ClientError> {
        Ok(weekly(&self.report_records()?, user_id, week, &self.sales_settings()?))
    }

    /// The week of the user's team: each person who reports to them, and the totals.
    pub fn team_report(&self, week: Option<&str>) -> Result<TeamReport, ClientError> {
        let week = match week {
            Some(w) => Week::parse(w)?,
            None => Week::of(chrono::Utc::now()),
        };
        let me = self.with_store(|s| Ok(s.meta("user_id")?))?.ok_or(ClientError::NotLoggedIn)?;
        let mut team: Vec<(String, String)> = self
            .people()
            .into_iter()
            .filter(|p| p.manager_id.as_deref() == Some(me.as_str()))
            .map(|p| (p.id, p.name))
            .collect();
        team.sort_by(|a, b| a.1.cmp(&b.1));
        let records = self.report_records()?;
        let settings = self.sales_settings()?;
        let reps = team
            .iter()
            .map(|(id, name)| RepReport { name: name.clone(), report: weekly(&records, id, week, &settings) })
            .collect();
        let ids: Vec<&str> = team.iter().map(|(id, _)| id.as_str()).collect();
        let total = weekly_of(&records, &ids, &me, week, &settings);
        Ok(TeamReport { total, reps })
    }
}
