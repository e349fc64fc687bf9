//! The Monday e-mail: from 07:00 (Paris) every Monday, each sales manager with a team
//! receives the team's previous week (each rep's figures, the totals, each rep's comment
//! or that none was sent), computed by `crm_core::reports` from the records the server
//! holds, as the manager's app would. Sent once per manager and week (claimed in
//! `weekly_mails`; a failed sending gives the claim back and is tried again ten minutes
//! later). Only when the server has an SMTP relay.

use crate::db::Db;
use crate::mail::Mailer;
use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use chrono_tz::Europe::Paris;
use crm_core::reports::{Week, WeeklyReport, weekly_of};
use crm_core::stages::SalesSettings;
use crm_core::{Record, RecordType};
use std::sync::Arc;

const TYPES: [RecordType; 6] = [
    RecordType::Activity,
    RecordType::Account,
    RecordType::Deal,
    RecordType::Task,
    RecordType::Quote,
    RecordType::Report,
];

/// Checks every ten minutes whether Monday's e-mails are due.
pub async fn run(db: Db, mailer: Arc<Mailer>) {
    loop {
        match send_due(&db, &mailer, Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sent = n, "weekly reports e-mailed to the managers"),
            Err(e) => tracing::warn!(error = %e, "e-mailing the weekly reports failed"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(600)).await;
    }
}

/// Sends the e-mails due at `now` (none before Monday 07:00 in Paris); answers how many
/// were sent.
pub async fn send_due(db: &Db, mailer: &Mailer, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let paris = now.with_timezone(&Paris);
    if paris.weekday() != Weekday::Mon || paris.hour() < 7 {
        return Ok(0);
    }
    let week = Week::of(now - Duration::days(7));
    let users = db.list_users().await?;
    let managers: Vec<_> = users
        .iter()
        .filter(|m| m.role == "manager" && !m.disabled)
        .filter(|m| users.iter().any(|u| u.manager_id.as_deref() == Some(m.id.as_str()) && !u.disabled))
        .collect();
    if managers.is_empty() {
        return Ok(0);
    }
    let mut records: Vec<Record> = Vec::new();
    for t in TYPES {
        records.extend(db.records_of_type(t).await?.into_iter().map(|(r, _)| r));
    }
    let settings_record = db.records_of_type(RecordType::Settings).await?.into_iter().next().map(|(r, _)| r);
    let settings = SalesSettings::from_record(settings_record.as_ref());
    let mut sent = 0;
    for manager in managers {
        let week_name = week.to_string();
        if !db.claim_weekly_mail(&manager.id, &week_name, crate::now_ms()).await? {
            continue;
        }
        let mut team: Vec<_> =
            users.iter().filter(|u| u.manager_id.as_deref() == Some(manager.id.as_str()) && !u.disabled).collect();
        team.sort_by(|a, b| a.name.cmp(&b.name));
        let ids: Vec<&str> = team.iter().map(|u| u.id.as_str()).collect();
        let total = weekly_of(&records, &ids, &manager.id, week, &settings);
        let reps: Vec<(String, WeeklyReport, Option<String>)> = team
            .iter()
            .map(|u| {
                let comment = records
                    .iter()
                    .find(|r| {
                        r.record_type == RecordType::Report
                            && r.text("owner") == Some(u.id.as_str())
                            && r.text("week") == Some(week_name.as_str())
                    })
                    .map(|r| r.text("comment").unwrap_or_default().to_string());
                (u.name.clone(), weekly_of(&records, &[u.id.as_str()], &u.id, week, &settings), comment)
            })
            .collect();
        let (subject, body) = compose(&manager.name, &total, &reps);
        match mailer.send_internal(&manager.email, &manager.name, &subject, &body).await {
            Ok(()) => sent += 1,
            Err(e) => {
                db.release_weekly_mail(&manager.id, &week_name).await?;
                tracing::warn!(manager = %manager.email, error = %e, "the weekly report could not be e-mailed");
            }
        }
    }
    Ok(sent)
}

fn figures(r: &WeeklyReport) -> String {
    format!(
        "visites {}, appels {}, tiers créés {}, affaires créées {} ({}), gagnées {} ({}), perdues {} ({}), \
         devis envoyés {} ; pipeline en fin de semaine {} (pondéré {})",
        r.visits,
        r.calls,
        r.accounts_created.count,
        r.deals_created.count,
        r.deals_created.amount.to_french(),
        r.deals_won.count,
        r.deals_won.amount.to_french(),
        r.deals_lost.count,
        r.deals_lost.amount.to_french(),
        r.quotes_sent.count,
        r.pipeline_amount.to_french(),
        r.pipeline_weighted.to_french(),
    )
}

/// The e-mail's subject and text, in French.
fn compose(manager: &str, total: &WeeklyReport, reps: &[(String, WeeklyReport, Option<String>)]) -> (String, String) {
    let day = |d: &str| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
    };
    let number = total.week.split_once("-W").map_or(total.week.as_str(), |(_, w)| w);
    let subject = format!("Rapport de l'équipe — semaine {number} (du {} au {})", day(&total.from), day(&total.to));
    let mut body = format!("Bonjour {manager},\n\nVoici la semaine de votre équipe.\n\nÉquipe : {}\n", figures(total));
    for (name, r, comment) in reps {
        body.push_str(&format!("\n{name} : {}\n", figures(r)));
        match comment {
            Some(c) if !c.trim().is_empty() => body.push_str(&format!("  Commentaire : {c}\n")),
            Some(_) => body.push_str("  Rapport envoyé, sans commentaire.\n"),
            None => body.push_str("  Rapport non envoyé.\n"),
        }
    }
    body.push_str(
        "\nLe détail (fiches derrière chaque chiffre, PDF, Excel) est dans l'application, page « Rapports ».\n",
    );
    (subject, body)
}
