//! Tauri commands of the « Rapports » and « Tableau de bord » pages: thin calls into
//! `crm-client` (weekly reports, sending one, the dashboard, their exports).

use crm_client::Client;
use crm_client::report_export::ReportPeople;
use crm_client::reports::{DashboardOptions, RepReport, TeamReport};
use crm_core::dashboard::Dashboard;
use tauri::State;

type Answer<T> = Result<T, crm_core::Problem>;

fn plain(e: crm_client::ClientError) -> crm_core::Problem {
    e.problem()
}

/// This user's week (`week` like `2026-W49`; this week when absent).
#[tauri::command]
pub async fn weekly_report(client: State<'_, Client>, week: Option<String>) -> Answer<RepReport> {
    client.weekly_report(week.as_deref(), None).await.map_err(plain)
}

/// The week of the people who report to this user, and the totals.
#[tauri::command]
pub fn team_report(client: State<'_, Client>, week: Option<String>) -> Answer<TeamReport> {
    client.team_report(week.as_deref()).map_err(plain)
}

/// Sends this user's week to their manager with a comment.
#[tauri::command]
pub fn submit_report(client: State<'_, Client>, week: Option<String>, comment: String) -> Answer<RepReport> {
    client.submit_report(week.as_deref(), &comment).map_err(plain)
}

/// Writes the week (the team's when `team`) as `pdf` or `xlsx` in the user's documents;
/// answers the file's path.
#[tauri::command]
pub async fn export_report(
    app: tauri::AppHandle,
    client: State<'_, Client>,
    week: Option<String>,
    team: bool,
    format: String,
) -> Answer<String> {
    let (rep, team_report) = if team {
        (None, Some(client.team_report(week.as_deref()).map_err(plain)?))
    } else {
        (Some(client.weekly_report(week.as_deref(), None).await.map_err(plain)?), None)
    };
    let people = match (&rep, &team_report) {
        (Some(r), _) => ReportPeople::Rep(r),
        (_, Some(t)) => ReportPeople::Team(t),
        _ => unreachable!("one of the two"),
    };
    let week_name = rep.as_ref().map(|r| r.report.week.clone()).or(team_report.as_ref().map(|t| t.total.week.clone()));
    let name = format!("rapport-{}{}", week_name.unwrap_or_default(), if team { "-equipe" } else { "" });
    match format.as_str() {
        "pdf" => {
            crate::sales_commands::write_export(&app, &client, &format!("{name}.pdf"), &client.report_pdf(&people))
        }
        _ => {
            let dir = crate::import_commands::exports_dir(&app, &client);
            std::fs::create_dir_all(&dir).map_err(|e| plain(crm_client::ClientError::file(&dir, e)))?;
            let path = dir.join(format!("{name}.xlsx"));
            client.report_xlsx(&people, &path).map_err(plain)?;
            Ok(path.display().to_string())
        }
    }
}

#[tauri::command]
pub async fn dashboard(client: State<'_, Client>, options: DashboardOptions) -> Answer<Dashboard> {
    client.dashboard(&options).await.map_err(plain)
}

/// Writes the dashboard's tables as a workbook in the user's documents.
#[tauri::command]
pub async fn export_dashboard(
    app: tauri::AppHandle,
    client: State<'_, Client>,
    options: DashboardOptions,
) -> Answer<String> {
    let d = client.dashboard(&options).await.map_err(plain)?;
    let dir = crate::import_commands::exports_dir(&app, &client);
    std::fs::create_dir_all(&dir).map_err(|e| plain(crm_client::ClientError::file(&dir, e)))?;
    let path = dir.join(format!("tableau-de-bord-{}-{}.xlsx", d.from, d.to));
    client.dashboard_xlsx(&d, &path).map_err(plain)?;
    Ok(path.display().to_string())
}
