//! The sales dashboard, computed from the records a device holds (pure, like the weekly
//! report): the pipeline as it stands, the weighted forecast by month of expected close,
//! the win rate and sales cycle over a period, activity per rep and week, the contracts
//! coming up for renewal or notice, and the top accounts by signed value. Every figure
//! keeps the ids of the records behind it. Names (of people and accounts) are the
//! caller's to fill: the core knows ids.

use crate::reports::{
    CountAmount, PipelineLine, Week, add_to_pipeline, created_at, instant, money, stage_moves, weighted,
};
use crate::stages::{LOST, SalesSettings, WON, is_final};
use crate::{Code, Money, Problem, Record, RecordType};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use serde::Serialize;
use ts_rs::TS;

/// What the dashboard covers: a period (both days included), whose records, which deals.
#[derive(Clone, Debug)]
pub struct Filter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The owners taken (a rep, a team); `None`: everyone on this device.
    pub users: Option<Vec<String>>,
    pub deal_type: Option<String>,
    /// The day renewals are counted from (today).
    pub today: NaiveDate,
}

impl Filter {
    /// Checks a period typed by a user: `from` ≤ `to`, at most five years.
    pub fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), Problem> {
        let date = |text: &str, label: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| Problem::new(Code::DayInvalid).param("what", label).param("value", text))
        };
        let (a, b) = (date(from, "Début")?, date(to, "Fin")?);
        if b < a || (b - a).num_days() > 5 * 366 {
            return Err(Problem::new(Code::PeriodInvalid).param("from", a.to_string()).param("to", b.to_string()));
        }
        Ok((a, b))
    }

    /// Paris midnight starting `from`, and the one after `to`.
    pub fn bounds(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = |d: NaiveDate| {
            Paris
                .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
                .earliest()
                .expect("a Paris midnight")
                .with_timezone(&Utc)
        };
        (start(self.from), start(self.to + Duration::days(1)))
    }

    fn takes(&self, owner: Option<&str>) -> bool {
        match &self.users {
            None => true,
            Some(users) => owner.is_some_and(|o| users.iter().any(|u| u == o)),
        }
    }

    fn takes_deal(&self, deal: &Record) -> bool {
        self.takes(deal.text("owner"))
            && self.deal_type.as_deref().is_none_or(|t| deal.text("deal_type").unwrap_or("simple") == t)
    }
}

/// The open deals expected to close in one month (`month` `2026-12`, `""` when the deal
/// has no date).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ForecastMonth {
    pub month: String,
    pub count: usize,
    #[ts(type = "string")]
    pub amount: Money,
    #[ts(type = "string")]
    pub weighted: Money,
    pub ids: Vec<String>,
}

/// Deals closed in the period: won, lost, the win rate and the mean cycle of those won.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct WinRate {
    pub won: CountAmount,
    pub lost: CountAmount,
    /// Won ÷ (won + lost), percent with one decimal; `None` when nothing closed.
    pub rate_percent: Option<f64>,
    /// Mean days from creation to the win, one decimal.
    pub average_cycle_days: Option<f64>,
}

/// One rep's activities in one ISO week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ActivityWeek {
    pub user: String,
    pub name: String,
    pub week: String,
    pub visits: usize,
    pub calls: usize,
    /// Notes, e-mails and meetings.
    pub others: usize,
    pub ids: Vec<String>,
}

/// A contract with tacit renewal coming up, or its notice deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Renewal {
    pub id: String,
    pub account: String,
    pub account_name: String,
    pub label: String,
    pub renewal: String,
    pub notice_deadline: Option<String>,
    /// Billing amount × periods per year.
    #[ts(type = "string")]
    pub yearly_value: Money,
}

/// An account with what was signed with it in the period (deals won).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct TopAccount {
    pub account: String,
    pub name: String,
    pub count: usize,
    #[ts(type = "string")]
    pub amount: Money,
    pub ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct Dashboard {
    pub from: String,
    pub to: String,
    /// The open deals by type and stage, now.
    pub pipeline: Vec<PipelineLine>,
    #[ts(type = "string")]
    pub pipeline_amount: Money,
    #[ts(type = "string")]
    pub pipeline_weighted: Money,
    pub forecast: Vec<ForecastMonth>,
    pub win_rate: WinRate,
    pub activity: Vec<ActivityWeek>,
    /// Renewals and notice deadlines in the next 90 days, soonest first.
    pub renewals: Vec<Renewal>,
    /// The ten accounts with the most signed in the period.
    pub top_accounts: Vec<TopAccount>,
}

/// How many days ahead renewals are shown.
pub const RENEWAL_DAYS: i64 = 90;

/// The dashboard of `filter` from `records` (deals, activities, contracts; others are
/// ignored).
pub fn dashboard(records: &[Record], filter: &Filter, settings: &SalesSettings) -> Dashboard {
    let (from, to) = filter.bounds();
    let mut d = Dashboard {
        from: filter.from.to_string(),
        to: filter.to.to_string(),
        pipeline: Vec::new(),
        pipeline_amount: Money::ZERO,
        pipeline_weighted: Money::ZERO,
        forecast: Vec::new(),
        win_rate: WinRate {
            won: CountAmount::default(),
            lost: CountAmount::default(),
            rate_percent: None,
            average_cycle_days: None,
        },
        activity: Vec::new(),
        renewals: Vec::new(),
        top_accounts: Vec::new(),
    };
    let mut cycle_days = Vec::new();
    for rec in records.iter().filter(|r| !r.is_deleted()) {
        let id = rec.id.to_string();
        match rec.record_type {
            RecordType::Deal if filter.takes_deal(rec) => {
                let stage = rec.text("stage").unwrap_or_default();
                if !stage.is_empty() && !is_final(stage) {
                    add_to_pipeline(&mut d.pipeline, rec, stage, settings);
                    let month = rec.text("expected_close").and_then(|c| c.get(..7)).unwrap_or("").to_string();
                    let w = weighted(rec, stage, settings);
                    match d.forecast.iter_mut().find(|f| f.month == month) {
                        Some(f) => {
                            f.count += 1;
                            f.amount = f.amount + money(rec, "amount");
                            f.weighted = f.weighted + w;
                            f.ids.push(id.clone());
                        }
                        None => d.forecast.push(ForecastMonth {
                            month,
                            count: 1,
                            amount: money(rec, "amount"),
                            weighted: w,
                            ids: vec![id.clone()],
                        }),
                    }
                }
                // Closed in the period: its last move, to won or lost, falls in it.
                let moves = stage_moves(rec);
                let Some((closed_at, last)) = moves.last() else { continue };
                if !(is_final(stage) && last == stage && *closed_at >= from && *closed_at < to) {
                    continue;
                }
                let amount = money(rec, "amount");
                if stage == WON {
                    d.win_rate.won.add(&id, amount);
                    let created = moves.first().map(|(at, _)| *at).or_else(|| created_at(rec));
                    if let Some(created) = created {
                        cycle_days.push((*closed_at - created).num_seconds() as f64 / 86_400.0);
                    }
                    let account = rec.text("account").unwrap_or_default().to_string();
                    match d.top_accounts.iter_mut().find(|a| a.account == account) {
                        Some(a) => {
                            a.count += 1;
                            a.amount = a.amount + amount;
                            a.ids.push(id);
                        }
                        None => d.top_accounts.push(TopAccount {
                            name: account.clone(),
                            account,
                            count: 1,
                            amount,
                            ids: vec![id],
                        }),
                    }
                } else if stage == LOST {
                    d.win_rate.lost.add(&id, amount);
                }
            }
            RecordType::Activity if filter.takes(rec.text("owner")) => {
                let Some(at) = instant(rec.text("at")).filter(|at| *at >= from && *at < to) else { continue };
                let user = rec.text("owner").unwrap_or_default().to_string();
                let week = Week::of(at).to_string();
                let line = match d.activity.iter_mut().position(|a| a.user == user && a.week == week) {
                    Some(i) => &mut d.activity[i],
                    None => {
                        d.activity.push(ActivityWeek {
                            name: user.clone(),
                            user,
                            week,
                            visits: 0,
                            calls: 0,
                            others: 0,
                            ids: Vec::new(),
                        });
                        d.activity.last_mut().expect("just pushed")
                    }
                };
                match rec.text("kind") {
                    Some("visit") => line.visits += 1,
                    Some("call") => line.calls += 1,
                    _ => line.others += 1,
                }
                line.ids.push(id);
            }
            RecordType::Contract if filter.takes(rec.text("owner")) => {
                if let Some(r) = renewal(rec, filter.today) {
                    d.renewals.push(r);
                }
            }
            _ => {}
        }
    }
    d.pipeline_amount = d.pipeline.iter().map(|l| l.amount).sum();
    d.pipeline_weighted = d.pipeline.iter().map(|l| l.weighted).sum();
    // Dated months in order, the undated last.
    d.forecast.sort_by(|a, b| (a.month.is_empty(), &a.month).cmp(&(b.month.is_empty(), &b.month)));
    let (won, lost) = (d.win_rate.won.count, d.win_rate.lost.count);
    if won + lost > 0 {
        d.win_rate.rate_percent = Some(one_decimal(100.0 * won as f64 / (won + lost) as f64));
    }
    if !cycle_days.is_empty() {
        d.win_rate.average_cycle_days = Some(one_decimal(cycle_days.iter().sum::<f64>() / cycle_days.len() as f64));
    }
    d.activity.sort_by(|a, b| a.week.cmp(&b.week).then(a.user.cmp(&b.user)));
    d.renewals.sort_by(|a, b| soonest(a).cmp(soonest(b)).then(a.id.cmp(&b.id)));
    d.top_accounts.sort_by(|a, b| b.amount.cmp(&a.amount).then(a.account.cmp(&b.account)));
    d.top_accounts.truncate(10);
    d
}

fn soonest(r: &Renewal) -> &str {
    r.notice_deadline.as_deref().filter(|n| *n < r.renewal.as_str()).unwrap_or(&r.renewal)
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// An active contract with tacit renewal whose renewal or notice deadline falls in the
/// next `RENEWAL_DAYS` days.
fn renewal(rec: &Record, today: NaiveDate) -> Option<Renewal> {
    use crate::renewal::{next_renewal, notice_deadline};
    if rec.text("tacit_renewal") != Some("yes") || rec.text("status") != Some("active") {
        return None;
    }
    let start = NaiveDate::parse_from_str(rec.text("start")?, "%Y-%m-%d").ok()?;
    let months = |k: &str| rec.text(k).and_then(|s| s.parse::<u32>().ok());
    let date = next_renewal(start, months("term_months")?, today)?;
    let notice = notice_deadline(date, months("notice_months").unwrap_or(0)).filter(|n| *n != date);
    let horizon = today + Duration::days(RENEWAL_DAYS);
    let upcoming = |d: NaiveDate| d >= today && d <= horizon;
    if !upcoming(date) && !notice.is_some_and(upcoming) {
        return None;
    }
    let per_year = match rec.text("billing_period") {
        Some("monthly") => 12,
        Some("quarterly") => 4,
        _ => 1,
    };
    let account = rec.text("account").unwrap_or_default().to_string();
    Some(Renewal {
        id: rec.id.to_string(),
        account_name: account.clone(),
        account,
        label: rec.label(),
        renewal: date.to_string(),
        notice_deadline: notice.map(|n| n.to_string()),
        yearly_value: Money::rounded(money(rec, "billing_amount").amount() * rust_decimal::Decimal::from(per_year)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldValue, RecordId};

    fn rec(t: RecordType, n: u8, fields: &[(&str, &str)]) -> Record {
        let mut r = Record::new(RecordId::from_parts(1, [n; 10]), t);
        for (k, v) in fields {
            r.fields.insert(k.to_string(), FieldValue::Text(v.to_string()));
        }
        r
    }

    fn deal(n: u8, owner: &str, amount: &str, stage: &str, close: Option<&str>, moves: &[(&str, &str)]) -> Record {
        let mut d = rec(
            RecordType::Deal,
            n,
            &[("owner", owner), ("amount", amount), ("stage", stage), ("deal_type", "simple")],
        );
        if let Some(c) = close {
            d.fields.insert("expected_close".into(), FieldValue::Text(c.into()));
        }
        let history = moves.iter().map(|(at, s)| format!("{at} {s} {owner}")).collect();
        d.fields.insert("stage_history".into(), FieldValue::Set(history));
        d
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn filter(users: Option<&[&str]>) -> Filter {
        Filter {
            from: d("2026-10-01"),
            to: d("2026-12-31"),
            users: users.map(|u| u.iter().map(|s| s.to_string()).collect()),
            deal_type: None,
            today: d("2026-12-04"),
        }
    }

    #[test]
    fn forecast_win_rate_cycle_and_renewals_add_up() {
        let settings = SalesSettings::default();
        let proposal = settings.stages("simple").unwrap().iter().find(|s| s.id == "proposal").unwrap().probability;
        let records = vec![
            // Open: two in January (one at its own 33 %), one undated.
            deal(1, "julie", "1000.01", "proposal", Some("2027-01-15"), &[("2026-11-01T09:00:00Z", "proposal")]),
            rec(
                RecordType::Deal,
                2,
                &[
                    ("owner", "julie"),
                    ("amount", "10.10"),
                    ("stage", "proposal"),
                    ("probability", "33"),
                    ("expected_close", "2027-01-31"),
                ],
            ),
            deal(3, "julie", "500", "qualification", None, &[("2026-11-01T09:00:00Z", "qualification")]),
            // Won after 10 days, lost: 50 %; a win before the period does not count.
            deal(
                4,
                "julie",
                "1200.50",
                "won",
                None,
                &[("2026-11-01T09:00:00Z", "proposal"), ("2026-11-11T09:00:00Z", "won")],
            ),
            deal(
                5,
                "julie",
                "99.99",
                "lost",
                None,
                &[("2026-11-01T09:00:00Z", "proposal"), ("2026-11-20T09:00:00Z", "lost")],
            ),
            deal(
                6,
                "julie",
                "7",
                "won",
                None,
                &[("2026-01-01T09:00:00Z", "proposal"), ("2026-02-01T09:00:00Z", "won")],
            ),
            // A colleague's deal.
            deal(7, "paul", "1", "proposal", Some("2027-01-15"), &[("2026-11-01T09:00:00Z", "proposal")]),
            // Renewal on 2027-01-10 (in 37 days); notice by 2026-10-10 (past): shown.
            rec(
                RecordType::Contract,
                8,
                &[
                    ("owner", "julie"),
                    ("account", "a"),
                    ("status", "active"),
                    ("start", "2025-01-10"),
                    ("tacit_renewal", "yes"),
                    ("term_months", "12"),
                    ("notice_months", "3"),
                    ("billing_amount", "250.25"),
                    ("billing_period", "quarterly"),
                ],
            ),
            // Renewal in 2027-06 but notice by 2027-04-01: beyond 90 days, not shown.
            rec(
                RecordType::Contract,
                9,
                &[
                    ("owner", "julie"),
                    ("account", "a"),
                    ("status", "active"),
                    ("start", "2024-06-01"),
                    ("tacit_renewal", "yes"),
                    ("term_months", "12"),
                    ("notice_months", "2"),
                    ("billing_amount", "1"),
                ],
            ),
            // Ended: never shown.
            rec(
                RecordType::Contract,
                10,
                &[
                    ("owner", "julie"),
                    ("account", "a"),
                    ("status", "ended"),
                    ("start", "2025-01-10"),
                    ("tacit_renewal", "yes"),
                    ("term_months", "12"),
                ],
            ),
        ];
        let dash = dashboard(&records, &filter(Some(&["julie"])), &settings);
        let months: Vec<&str> = dash.forecast.iter().map(|f| f.month.as_str()).collect();
        assert_eq!(months, ["2027-01", ""], "dated months first, the undated last");
        let january = &dash.forecast[0];
        assert_eq!(january.amount.to_string(), "1010.11");
        let first = Money::rounded(
            rust_decimal::Decimal::new(100001, 2) * rust_decimal::Decimal::from(proposal)
                / rust_decimal::Decimal::from(100),
        );
        assert_eq!(january.weighted, first + Money::rounded(rust_decimal::Decimal::new(333, 2)), "10,10 × 33 % = 3,33");
        assert_eq!(dash.pipeline_amount.to_string(), "1510.11");
        assert_eq!((dash.win_rate.won.count, dash.win_rate.lost.count), (1, 1));
        assert_eq!(dash.win_rate.rate_percent, Some(50.0));
        assert_eq!(dash.win_rate.average_cycle_days, Some(10.0));
        assert_eq!(dash.renewals.len(), 1);
        assert_eq!(
            (dash.renewals[0].renewal.as_str(), dash.renewals[0].yearly_value.to_string()),
            ("2027-01-10", "1001.00".into())
        );
        assert_eq!(dash.top_accounts.len(), 1);
        // Everyone: Paul's deal too; another deal type: nothing.
        assert_eq!(dashboard(&records, &filter(None), &settings).pipeline_amount.to_string(), "1511.11");
        let mut complex = filter(None);
        complex.deal_type = Some("complex".into());
        assert!(dashboard(&records, &complex, &settings).pipeline.is_empty());
    }

    #[test]
    fn a_period_is_checked() {
        assert!(Filter::period("2026-01-01", "2026-12-31").is_ok());
        assert!(Filter::period("2026-12-31", "2026-01-01").is_err());
        assert!(Filter::period("2020-01-01", "2026-12-31").is_err(), "more than five years");
        let bad = Filter::period("31/12/2026", "2027-01-01").unwrap_err();
        assert!(bad.text(crate::Lang::Fr).contains("31/12/2026"), "{}", bad.text(crate::Lang::Fr));
    }
}
