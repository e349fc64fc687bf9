//! `crm report …` and `crm dashboard`: weekly reports and the dashboard, offline.

use crate::output::Output;
use clap::{Args, Subcommand};
use crm_client::Client;
use crm_client::report_export::ReportPeople;
use crm_client::reports::DashboardOptions;
use crm_core::dashboard::Dashboard;
use crm_core::reports::WeeklyReport;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ReportCommand {
    /// A week's report: visits, calls, deals created, moved, won and lost, the pipeline
    Weekly {
        /// The ISO week, e.g. 2026-W49 (this week by default, Paris time)
        #[arg(long)]
        week: Option<String>,
        /// Another user's week (e-mail), as far as this device holds their records
        #[arg(long, conflicts_with = "team")]
        user: Option<String>,
        /// The week of everyone who reports to you, and the totals
        #[arg(long)]
        team: bool,
        /// Also write the report as a printable PDF
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// Also write the report as an Excel workbook (.xlsx)
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Send your week to your manager, with a comment (it syncs at the next sync)
    Submit {
        #[arg(long)]
        week: Option<String>,
        #[arg(long)]
        comment: String,
    },
}

/// `crm dashboard`
#[derive(Args)]
pub struct DashboardArgs {
    /// First day of the period, YYYY-MM-DD (90 days before --to by default)
    #[arg(long)]
    from: Option<String>,
    /// Last day of the period, YYYY-MM-DD (today by default)
    #[arg(long)]
    to: Option<String>,
    /// One user's deals and activities (e-mail)
    #[arg(long, conflicts_with = "team")]
    user: Option<String>,
    /// Your team's (and yours)
    #[arg(long)]
    team: bool,
    /// One deal type (simple, complex, or a configured one)
    #[arg(long = "type")]
    deal_type: Option<String>,
    /// Also write the dashboard's tables as an Excel workbook (.xlsx)
    #[arg(long)]
    xlsx: Option<PathBuf>,
}

fn week_text(r: &WeeklyReport, name: &str) -> String {
    let money = |m: crm_core::Money| m.to_french();
    let mut t = format!(
        "{name} — semaine {} (du {} au {})\n  visites {}  appels {}  notes {}  e-mails {}  rendez-vous {}\n           tiers créés {}  affaires créées {} ({})  déplacées {}\n  gagnées {} ({})  perdues {} ({})  devis envoyés {} ({}), acceptés {}",
        r.week,
        r.from,
        r.to,
        r.visits,
        r.calls,
        r.notes,
        r.emails,
        r.meetings,
        r.accounts_created.count,
        r.deals_created.count,
        money(r.deals_created.amount),
        r.deals_moved.count,
        r.deals_won.count,
        money(r.deals_won.amount),
        r.deals_lost.count,
        money(r.deals_lost.amount),
        r.quotes_sent.count,
        money(r.quotes_sent.amount),
        r.quotes_accepted.count,
    );
    t.push_str(&format!(
        "\n  pipeline en fin de semaine : {} (pondéré {})",
        money(r.pipeline_amount),
        money(r.pipeline_weighted)
    ));
    for l in &r.pipeline {
        t.push_str(&format!(
            "\n    {:<24} {:>3}  {:>16}  pondéré {:>16}",
            l.label,
            l.count,
            money(l.amount),
            money(l.weighted)
        ));
    }
    if !r.next_steps.is_empty() {
        t.push_str("\n  à faire la semaine suivante :");
        for n in &r.next_steps {
            t.push_str(&format!("\n    {}  {}", n.date, n.title));
        }
    }
    if let Some(m) = &r.marketing {
        t.push_str(&format!(
            "\n  marketing : pistes reçues {}, qualifiées {}, converties {}, disqualifiées {}; campagnes envoyées {} ({} e-mails), désinscriptions {}",
            m.leads.count,
            m.qualified.count,
            m.converted.count,
            m.disqualified.count,
            m.campaigns_sent.count,
            m.emails_sent,
            m.unsubscribes.count
        ));
        for s in &m.by_source {
            t.push_str(&format!("\n    origine {:<20} {:>4}", s.label, s.count));
        }
        for note in &m.missing {
            t.push_str(&format!("\n  ({note})"));
        }
    }
    if let Some(s) = &r.service {
        let pct = |p: Option<f64>| p.map_or("—".to_string(), |p| format!("{p} %"));
        let hours = |h: Option<f64>| h.map_or("—".to_string(), |h| format!("{h} h"));
        t.push_str("\n  service client :");
        for l in std::iter::once(&s.total).chain(&s.by_priority) {
            t.push_str(&format!(
                "\n    {:<18} ouverts {:>3}  résolus {:>3}  en cours {:>3}  délais tenus {:>7}  1re réponse {:>8}  résolution {:>8}",
                l.label,
                l.opened.count,
                l.resolved.count,
                l.backlog.count,
                pct(l.sla_met_percent),
                hours(l.mean_first_response_hours),
                hours(l.mean_resolution_hours)
            ));
        }
    }
    t
}

fn sent_text(comment: Option<&str>, submitted_at: Option<&str>) -> String {
    match submitted_at {
        Some(at) => format!("\n  envoyé le {at} : {}", comment.unwrap_or("(sans commentaire)")),
        None => "\n  pas encore envoyé".to_string(),
    }
}

pub async fn report(client: &Client, cmd: ReportCommand, out: &Output) -> anyhow::Result<()> {
    match cmd {
        ReportCommand::Weekly { week, user, team, pdf, xlsx } => {
            let mut written = Vec::new();
            let mut write = |people: &ReportPeople<'_>| -> anyhow::Result<()> {
                if let Some(path) = &pdf {
                    std::fs::write(path, client.report_pdf(people))?;
                    written.push(format!("PDF écrit : {}", path.display()));
                }
                if let Some(path) = &xlsx {
                    client.report_xlsx(people, path)?;
                    written.push(format!("Classeur écrit : {}", path.display()));
                }
                Ok(())
            };
            if team {
                let r = client.team_report(week.as_deref())?;
                write(&ReportPeople::Team(&r))?;
                let mut text = week_text(&r.total, "Équipe");
                for rep in &r.reps {
                    text.push_str("\n\n");
                    text.push_str(&week_text(&rep.report, &rep.name));
                    text.push_str(&sent_text(rep.comment.as_deref(), rep.submitted_at.as_deref()));
                }
                for w in &written {
                    text.push_str(&format!("\n{w}"));
                }
                out.value(&r, &text);
            } else {
                let r = client.weekly_report(week.as_deref(), user.as_deref()).await?;
                write(&ReportPeople::Rep(&r))?;
                let mut text = week_text(&r.report, &r.name);
                text.push_str(&sent_text(r.comment.as_deref(), r.submitted_at.as_deref()));
                for w in &written {
                    text.push_str(&format!("\n{w}"));
                }
                out.value(&r, &text);
            }
        }
        ReportCommand::Submit { week, comment } => {
            let r = client.submit_report(week.as_deref(), &comment)?;
            let text = format!(
                "Rapport de la semaine {} enregistré : il part chez votre responsable à la prochaine synchronisation",
                r.report.week
            );
            out.value(&r, &text);
        }
    }
    Ok(())
}

fn dashboard_text(d: &Dashboard) -> String {
    let money = |m: crm_core::Money| m.to_french();
    let mut t = format!("Tableau de bord du {} au {}", d.from, d.to);
    t.push_str(&format!("\n\nPipeline : {} (pondéré {})", money(d.pipeline_amount), money(d.pipeline_weighted)));
    for l in &d.pipeline {
        t.push_str(&format!(
            "\n  {:<24} {:>4}  {:>16}  pondéré {:>16}",
            l.label,
            l.count,
            money(l.amount),
            money(l.weighted)
        ));
    }
    t.push_str("\n\nPrévisions par mois de signature :");
    for f in &d.forecast {
        let month = if f.month.is_empty() { "sans date" } else { f.month.as_str() };
        t.push_str(&format!(
            "\n  {month:<10} {:>4}  {:>16}  pondéré {:>16}",
            f.count,
            money(f.amount),
            money(f.weighted)
        ));
    }
    let w = &d.win_rate;
    t.push_str(&format!(
        "\n\nGagnées {} ({}), perdues {} ({}) : taux de gain {}, cycle moyen {}",
        w.won.count,
        money(w.won.amount),
        w.lost.count,
        money(w.lost.amount),
        w.rate_percent.map_or("—".into(), |p| format!("{p} %")),
        w.average_cycle_days.map_or("—".into(), |d| format!("{d} jours"))
    ));
    t.push_str("\n\nActivité par semaine :");
    for a in &d.activity {
        t.push_str(&format!(
            "\n  {} {:<24} visites {:>3}  appels {:>3}  autres {:>3}",
            a.week, a.name, a.visits, a.calls, a.others
        ));
    }
    t.push_str(&format!("\n\nRenouvellements et préavis à {} jours :", crm_core::dashboard::RENEWAL_DAYS));
    for r in &d.renewals {
        t.push_str(&format!(
            "\n  {:<28} reconduction {}  préavis {}  {} / an",
            r.account_name,
            r.renewal,
            r.notice_deadline.as_deref().unwrap_or("—"),
            money(r.yearly_value)
        ));
    }
    t.push_str("\n\nMeilleurs tiers (signé sur la période) :");
    for a in &d.top_accounts {
        t.push_str(&format!("\n  {:<28} {:>3}  {:>16}", a.name, a.count, money(a.amount)));
    }
    t
}

pub async fn dashboard(client: &Client, args: DashboardArgs, out: &Output) -> anyhow::Result<()> {
    let options =
        DashboardOptions { from: args.from, to: args.to, user: args.user, team: args.team, deal_type: args.deal_type };
    let d = client.dashboard(&options).await?;
    let mut text = dashboard_text(&d);
    if let Some(path) = &args.xlsx {
        client.dashboard_xlsx(&d, path)?;
        text.push_str(&format!("\nClasseur écrit : {}", path.display()));
    }
    out.value(&d, &text);
    Ok(())
}
