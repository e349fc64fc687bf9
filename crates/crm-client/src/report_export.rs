//! A weekly report as a printable French PDF and as a workbook, and the dashboard's
//! tables as a workbook. The PDF is drawn with the quote's renderer (Helvetica, WinAnsi:
//! accents and €); the workbooks with the list export's (`rust_xlsxwriter`).

use crate::documents::{Mark, render_pdf};
use crate::export::{Cell, Table, write_workbook};
use crate::reports::{RepReport, TeamReport};
use crate::{Client, ClientError};
use crm_core::dashboard::Dashboard;
use crm_core::reports::WeeklyReport;
use crm_core::{Code, Money, Problem};
use std::path::Path;

/// The people of a report: one rep, or a team's total then each rep.
pub enum ReportPeople<'a> {
    Rep(&'a RepReport),
    Team(&'a TeamReport),
}

impl ReportPeople<'_> {
    /// (name, figures, comment) of each block, the team's total first.
    fn blocks(&self) -> Vec<(String, &WeeklyReport, Option<&str>)> {
        match self {
            ReportPeople::Rep(r) => vec![(r.name.clone(), &r.report, r.comment.as_deref())],
            ReportPeople::Team(t) => std::iter::once(("Équipe (total)".to_string(), &t.total, None))
                .chain(t.reps.iter().map(|r| (r.name.clone(), &r.report, r.comment.as_deref())))
                .collect(),
        }
    }

    fn week(&self) -> &WeeklyReport {
        match self {
            ReportPeople::Rep(r) => &r.report,
            ReportPeople::Team(t) => &t.total,
        }
    }
}

fn french_day(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
}

fn eur(m: Money) -> String {
    m.to_french()
}

const TOP: f32 = 800.0;
const BOTTOM: f32 = 50.0;

/// Lines laid out down A4 pages.
struct Pages {
    pages: Vec<Vec<Mark>>,
    y: f32,
    footer: String,
}

impl Pages {
    fn new(footer: String) -> Pages {
        Pages { pages: vec![Vec::new()], y: TOP, footer }
    }

    /// One line of cells at their x positions, `gap` points below the previous one.
    fn line(&mut self, size: f32, cells: &[(f32, String)]) {
        let gap = size + 5.0;
        if self.y - gap < BOTTOM {
            self.pages.push(Vec::new());
            self.y = TOP;
        }
        self.y -= gap;
        let page = self.pages.last_mut().expect("a page");
        for (x, text) in cells {
            page.push(Mark::Text(*x, self.y, size, text.clone()));
        }
    }

    fn text(&mut self, size: f32, text: impl Into<String>) {
        self.line(size, &[(50.0, text.into())]);
    }

    fn space(&mut self) {
        self.y -= 8.0;
    }

    fn finish(mut self) -> Vec<u8> {
        let n = self.pages.len();
        for (i, page) in self.pages.iter_mut().enumerate() {
            page.push(Mark::Text(50.0, 28.0, 8.0, format!("{} — page {} / {n}", self.footer, i + 1)));
        }
        render_pdf(&self.pages, None)
    }
}

/// Cuts `text` into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// The figures of one week as (label, count, amount) lines.
fn figure_lines(r: &WeeklyReport) -> Vec<(&'static str, usize, Option<Money>)> {
    vec![
        ("Visites", r.visits, None),
        ("Appels", r.calls, None),
        ("Notes", r.notes, None),
        ("E-mails", r.emails, None),
        ("Rendez-vous", r.meetings, None),
        ("Tiers créés", r.accounts_created.count, None),
        ("Affaires créées", r.deals_created.count, Some(r.deals_created.amount)),
        ("Affaires avancées d'étape", r.deals_moved.count, Some(r.deals_moved.amount)),
        ("Affaires gagnées", r.deals_won.count, Some(r.deals_won.amount)),
        ("Affaires perdues", r.deals_lost.count, Some(r.deals_lost.amount)),
        ("Devis envoyés", r.quotes_sent.count, Some(r.quotes_sent.amount)),
        ("Devis acceptés", r.quotes_accepted.count, Some(r.quotes_accepted.amount)),
    ]
}

impl Client {
    /// The report as a PDF: per person the week's figures, the pipeline at the week's
    /// end, the next week's steps and the comment sent.
    pub fn report_pdf(&self, people: &ReportPeople<'_>) -> Vec<u8> {
        let week = people.week();
        let company = self.company_info().ok().and_then(|c| c.name).unwrap_or_else(|| "CRM Terrain".into());
        let title = format!(
            "Rapport hebdomadaire — semaine {} ({} au {})",
            week.week.replace("-W", " n° "),
            french_day(&week.from),
            french_day(&week.to)
        );
        let mut pages = Pages::new(format!("{company} — {title}"));
        pages.text(16.0, title.clone());
        pages.text(9.0, format!("{company} — établi le {}", chrono::Local::now().format("%d/%m/%Y à %H:%M")));
        for (name, r, comment) in people.blocks() {
            pages.space();
            pages.text(13.0, name);
            for (label, count, amount) in figure_lines(r) {
                let amount = amount.map(eur).unwrap_or_default();
                pages.line(10.0, &[(60.0, label.to_string()), (260.0, count.to_string()), (320.0, amount)]);
            }
            pages.space();
            pages.line(
                11.0,
                &[
                    (60.0, "Pipeline en fin de semaine".into()),
                    (260.0, "Nombre".into()),
                    (320.0, "Montant".into()),
                    (430.0, "Pondéré".into()),
                ],
            );
            for l in &r.pipeline {
                pages.line(
                    10.0,
                    &[
                        (60.0, l.label.clone()),
                        (260.0, l.count.to_string()),
                        (320.0, eur(l.amount)),
                        (430.0, eur(l.weighted)),
                    ],
                );
            }
            pages.line(
                10.0,
                &[
                    (60.0, "Total".into()),
                    (260.0, r.pipeline.iter().map(|l| l.count).sum::<usize>().to_string()),
                    (320.0, eur(r.pipeline_amount)),
                    (430.0, eur(r.pipeline_weighted)),
                ],
            );
            if !r.next_steps.is_empty() {
                pages.space();
                pages.text(11.0, "À faire la semaine suivante");
                for s in &r.next_steps {
                    let kind = if s.kind == "task" { "Tâche" } else { "Relance" };
                    pages.line(10.0, &[(60.0, french_day(&s.date)), (130.0, kind.into()), (190.0, s.title.clone())]);
                }
            }
            if let Some(m) = &r.marketing {
                pages.space();
                pages.text(11.0, "Marketing");
                pages.line(10.0, &[(60.0, "Pistes reçues".into()), (260.0, m.leads.count.to_string())]);
                for s in &m.by_source {
                    pages.line(10.0, &[(80.0, format!("origine : {}", s.label)), (260.0, s.count.to_string())]);
                }
                for s in &m.by_campaign {
                    pages.line(10.0, &[(80.0, format!("campagne : {}", s.label)), (260.0, s.count.to_string())]);
                }
                for (label, n) in [
                    ("Qualifiées", m.qualified.count),
                    ("Converties", m.converted.count),
                    ("Disqualifiées", m.disqualified.count),
                    ("Campagnes envoyées", m.campaigns_sent.count),
                    ("E-mails envoyés", m.emails_sent),
                    ("Désinscriptions", m.unsubscribes.count),
                ] {
                    pages.line(10.0, &[(60.0, label.into()), (260.0, n.to_string())]);
                }
                for note in &m.missing {
                    pages.text(9.0, note.clone());
                }
            }
            if let Some(s) = &r.service {
                pages.space();
                pages.line(
                    11.0,
                    &[
                        (60.0, "Service client".into()),
                        (180.0, "Ouverts".into()),
                        (230.0, "Résolus".into()),
                        (280.0, "En cours".into()),
                        (335.0, "Délais tenus".into()),
                        (405.0, "1re réponse".into()),
                        (470.0, "Résolution".into()),
                    ],
                );
                let hours =
                    |h: Option<f64>| h.map_or("—".into(), |h| format!("{} h", h.to_string().replace('.', ",")));
                for l in std::iter::once(&s.total).chain(&s.by_priority) {
                    pages.line(
                        10.0,
                        &[
                            (60.0, l.label.clone()),
                            (180.0, l.opened.count.to_string()),
                            (230.0, l.resolved.count.to_string()),
                            (280.0, l.backlog.count.to_string()),
                            (
                                335.0,
                                l.sla_met_percent
                                    .map_or("—".into(), |p| format!("{} %", p.to_string().replace('.', ","))),
                            ),
                            (405.0, hours(l.mean_first_response_hours)),
                            (470.0, hours(l.mean_resolution_hours)),
                        ],
                    );
                }
            }
            if let Some(comment) = comment.filter(|c| !c.trim().is_empty()) {
                pages.space();
                pages.text(11.0, "Commentaire");
                for line in wrap(comment, 95) {
                    pages.line(10.0, &[(60.0, line)]);
                }
            }
        }
        pages.finish()
    }

    /// The report as a workbook: « Semaine » (one row per person), « Pipeline », « À faire ».
    pub fn report_xlsx(&self, people: &ReportPeople<'_>, path: &Path) -> Result<(), ClientError> {
        let blocks = people.blocks();
        let mut week = Table { headers: vec!["Personne".into()], rows: Vec::new() };
        for (label, _, amount) in figure_lines(people.week()) {
            week.headers.push(label.into());
            if amount.is_some() {
                week.headers.push(format!("{label} (montant)"));
            }
        }
        week.headers.extend(["Pipeline (montant)".into(), "Pipeline pondéré".into(), "Commentaire".into()]);
        let mut pipeline = Table {
            headers: ["Personne", "Type d'affaire", "Étape", "Nombre", "Montant", "Pondéré"].map(String::from).to_vec(),
            rows: Vec::new(),
        };
        let mut steps =
            Table { headers: ["Personne", "Date", "Quoi", "Intitulé"].map(String::from).to_vec(), rows: Vec::new() };
        let types = self.sales_settings()?;
        for (name, r, comment) in &blocks {
            let mut row = vec![Cell::Text(name.clone())];
            for (_, count, amount) in figure_lines(r) {
                row.push(Cell::Number(count as f64));
                if let Some(amount) = amount {
                    row.push(Cell::Amount(amount.to_string()));
                }
            }
            row.push(Cell::Amount(r.pipeline_amount.to_string()));
            row.push(Cell::Amount(r.pipeline_weighted.to_string()));
            row.push(Cell::Text(comment.unwrap_or_default().to_string()));
            week.rows.push(row);
            for l in &r.pipeline {
                let type_label = types
                    .deal_types
                    .iter()
                    .find(|t| t.id == l.deal_type)
                    .map_or(l.deal_type.clone(), |t| t.label.clone());
                pipeline.rows.push(vec![
                    Cell::Text(name.clone()),
                    Cell::Text(type_label),
                    Cell::Text(l.label.clone()),
                    Cell::Number(l.count as f64),
                    Cell::Amount(l.amount.to_string()),
                    Cell::Amount(l.weighted.to_string()),
                ]);
            }
            for s in &r.next_steps {
                steps.rows.push(vec![
                    Cell::Text(name.clone()),
                    Cell::Text(french_day(&s.date)),
                    Cell::Text(if s.kind == "task" { "Tâche" } else { "Relance" }.into()),
                    Cell::Text(s.title.clone()),
                ]);
            }
        }
        save(path, &[(Some("Semaine"), &week), (Some("Pipeline"), &pipeline), (Some("À faire"), &steps)])
    }

    /// The dashboard's tables as a workbook, one sheet each.
    pub fn dashboard_xlsx(&self, d: &Dashboard, path: &Path) -> Result<(), ClientError> {
        let t = |h: &[&str]| Table { headers: h.iter().map(|s| s.to_string()).collect(), rows: Vec::new() };
        let mut pipeline = t(&["Type d'affaire", "Étape", "Nombre", "Montant", "Pondéré"]);
        for l in &d.pipeline {
            pipeline.rows.push(vec![
                Cell::Text(l.deal_type.clone()),
                Cell::Text(l.label.clone()),
                Cell::Number(l.count as f64),
                Cell::Amount(l.amount.to_string()),
                Cell::Amount(l.weighted.to_string()),
            ]);
        }
        let mut forecast = t(&["Mois de signature prévue", "Nombre", "Montant", "Pondéré"]);
        for f in &d.forecast {
            forecast.rows.push(vec![
                Cell::Text(if f.month.is_empty() { "Sans date".into() } else { f.month.clone() }),
                Cell::Number(f.count as f64),
                Cell::Amount(f.amount.to_string()),
                Cell::Amount(f.weighted.to_string()),
            ]);
        }
        let mut win = t(&[
            "Du",
            "Au",
            "Gagnées",
            "Montant gagné",
            "Perdues",
            "Montant perdu",
            "Taux de gain (%)",
            "Cycle moyen (jours)",
        ]);
        let opt = |x: Option<f64>| x.map_or(Cell::Text("—".into()), Cell::Number);
        win.rows.push(vec![
            Cell::Text(french_day(&d.from)),
            Cell::Text(french_day(&d.to)),
            Cell::Number(d.win_rate.won.count as f64),
            Cell::Amount(d.win_rate.won.amount.to_string()),
            Cell::Number(d.win_rate.lost.count as f64),
            Cell::Amount(d.win_rate.lost.amount.to_string()),
            opt(d.win_rate.rate_percent),
            opt(d.win_rate.average_cycle_days),
        ]);
        let mut activity = t(&["Semaine", "Commercial", "Visites", "Appels", "Autres"]);
        for a in &d.activity {
            activity.rows.push(vec![
                Cell::Text(a.week.clone()),
                Cell::Text(a.name.clone()),
                Cell::Number(a.visits as f64),
                Cell::Number(a.calls as f64),
                Cell::Number(a.others as f64),
            ]);
        }
        let mut renewals = t(&["Tiers", "Contrat", "Reconduction", "Préavis avant le", "Valeur annuelle"]);
        for r in &d.renewals {
            renewals.rows.push(vec![
                Cell::Text(r.account_name.clone()),
                Cell::Text(r.label.clone()),
                Cell::Text(french_day(&r.renewal)),
                Cell::Text(r.notice_deadline.as_deref().map(french_day).unwrap_or_default()),
                Cell::Amount(r.yearly_value.to_string()),
            ]);
        }
        let mut top = t(&["Tiers", "Affaires gagnées", "Montant signé"]);
        for a in &d.top_accounts {
            top.rows.push(vec![
                Cell::Text(a.name.clone()),
                Cell::Number(a.count as f64),
                Cell::Amount(a.amount.to_string()),
            ]);
        }
        save(
            path,
            &[
                (Some("Pipeline"), &pipeline),
                (Some("Prévisions"), &forecast),
                (Some("Taux de gain"), &win),
                (Some("Activité"), &activity),
                (Some("Renouvellements"), &renewals),
                (Some("Meilleurs tiers"), &top),
            ],
        )
    }
}

fn save(path: &Path, sheets: &[(Option<&str>, &Table)]) -> Result<(), ClientError> {
    if path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() != Some("xlsx") {
        return Err(ClientError::Invalid(Problem::new(Code::ExportFormat).field("out").param("path", path.display())));
    }
    write_workbook(sheets, path).map_err(|e| {
        ClientError::Invalid(Problem::new(Code::ExportFailed).param("path", path.display()).param("detail", e))
    })
}
