//! Weekly reports on real devices: a rep's week holds only their records; their
//! manager's team report holds each rep and the totals, to the cent, offline.

use crm_core::{RecordType, Role};
use crm_tests::{Backend, TestServer, fields};

/// A server with Marc, sales manager, and two reps: Julie, in his team, and Paul (in his
/// team too when `paul_in_team`).
async fn marc_julie_and_paul(paul_in_team: bool) -> TestServer {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("marc@example.fr", Role::Manager).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    server.add_user("paul@example.fr", Role::Rep).await;
    server.set_manager("julie@example.fr", "marc@example.fr").await;
    if paul_in_team {
        server.set_manager("paul@example.fr", "marc@example.fr").await;
    }
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reps_week_is_their_own_and_the_managers_team_adds_up() {
    let server = marc_julie_and_paul(true).await;
    let julie = server.client("julie@example.fr").await;
    let paul = server.client("paul@example.fr").await;
    let week = crm_core::reports::Week::of(chrono::Utc::now()).to_string();
    let now = chrono::Utc::now().to_rfc3339();

    let a =
        julie.client.create(RecordType::Account, fields(&[("name", "Garage Girard"), ("kind", "customer")])).unwrap();
    julie.client.create(RecordType::Activity, fields(&[("account", a.id()), ("kind", "visit"), ("at", &now)])).unwrap();
    julie.client.create(RecordType::Activity, fields(&[("account", a.id()), ("kind", "call"), ("at", &now)])).unwrap();
    let won =
        julie.client.create_deal(fields(&[("account", a.id()), ("title", "Garde"), ("amount", "1200.50")])).unwrap();
    julie.client.edit_deal(won.id(), crm_tests::edit(&[("stage", "won")])).unwrap();
    julie
        .client
        .create_deal(fields(&[("account", a.id()), ("title", "Audit"), ("amount", "1000.01"), ("stage", "proposal")]))
        .unwrap();
    let b = paul
        .client
        .create(RecordType::Account, fields(&[("name", "Boulangerie Petit"), ("kind", "prospect")]))
        .unwrap();
    paul.client.create(RecordType::Activity, fields(&[("account", b.id()), ("kind", "call"), ("at", &now)])).unwrap();
    paul.client
        .create_deal(fields(&[("account", b.id()), ("title", "Four"), ("amount", "99.99"), ("stage", "proposal")]))
        .unwrap();
    julie.sync().await;
    paul.sync().await;

    let mine = julie.client.weekly_report(Some(&week), None).await.unwrap();
    let r = &mine.report;
    assert_eq!((r.visits, r.calls, r.accounts_created.count, r.deals_created.count), (1, 1, 1, 2));
    assert_eq!((r.deals_won.count, r.deals_won.amount.to_string()), (1, "1200.50".into()));
    assert_eq!(r.pipeline_amount.to_string(), "1000.01", "the won deal left the pipeline");
    let json = serde_json::to_value(&mine).unwrap();
    assert_eq!(json["deals_won"]["amount"], "1200.50", "amounts are exact decimal strings");
    assert_eq!(json["pipeline"][0]["count"], 1);

    let marc = server.client("marc@example.fr").await;
    marc.sync().await;
    let team = marc.client.team_report(Some(&week)).unwrap();
    assert_eq!(team.reps.len(), 2);
    let names: Vec<&str> = team.reps.iter().map(|r| r.name.as_str()).collect();
    assert!(names.iter().all(|n| uuid::Uuid::parse_str(n).is_err()), "reps by name, not by id: {names:?}");
    assert_eq!((team.total.visits, team.total.calls, team.total.deals_created.count), (1, 2, 3));
    assert_eq!(team.total.pipeline_amount.to_string(), "1100.00");
    assert_eq!(team.total.deals_won.amount.to_string(), "1200.50");
    // Offline, the same figures.
    drop(server);
    let again = marc.client.team_report(Some(&week)).unwrap();
    assert_eq!(again.total.pipeline_amount, team.total.pipeline_amount);
    assert!(julie.client.weekly_report(Some("2026-W60"), None).await.is_err(), "no such week");
}

/// Julie sends her week with a comment: it reaches her manager (the team report shows it,
/// and it prints in the PDF and the workbook), never a colleague.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sent_report_reaches_the_manager_and_prints() {
    let server = marc_julie_and_paul(true).await;
    let julie = server.client("julie@example.fr").await;
    let paul = server.client("paul@example.fr").await;
    let marc = server.client("marc@example.fr").await;
    let week = crm_core::reports::Week::of(chrono::Utc::now()).to_string();
    let a =
        julie.client.create(RecordType::Account, fields(&[("name", "Garage Girard"), ("kind", "customer")])).unwrap();
    let won =
        julie.client.create_deal(fields(&[("account", a.id()), ("title", "Garde"), ("amount", "1200.50")])).unwrap();
    julie.client.edit_deal(won.id(), crm_tests::edit(&[("stage", "won")])).unwrap();

    let first = julie.client.submit_report(Some(&week), "Bonne semaine").unwrap();
    assert!(first.submitted_at.is_some());
    // Sent again: the same report, its comment replaced.
    let sent = julie.client.submit_report(Some(&week), "Bonne semaine, Girard signé à 1 200,50 €").unwrap();
    assert_eq!(sent.comment.as_deref(), Some("Bonne semaine, Girard signé à 1 200,50 €"));
    assert_eq!(julie.client.list(RecordType::Report).unwrap().len(), 1, "one report per week");
    julie.sync().await;
    paul.sync().await;
    marc.sync().await;
    assert!(paul.client.list(RecordType::Report).unwrap().is_empty(), "a colleague never receives it");
    let team = marc.client.team_report(Some(&week)).unwrap();
    let julies = team.reps.iter().find(|r| r.comment.is_some()).expect("Julie's report reached Marc");
    assert_eq!(julies.comment.as_deref(), Some("Bonne semaine, Girard signé à 1 200,50 €"));
    let pauls = team.reps.iter().find(|r| r.comment.is_none()).unwrap();
    assert!(pauls.submitted_at.is_none(), "Paul has not sent his");
    // Paul cannot send a report in Julie's name: the server refuses a record made out to her.
    let mut forged = fields(&[("week", &week), ("owner", &julies.report.user), ("comment", "faux")]);
    forged.insert("figures".into(), crm_core::FieldValue::Text("{}".into()));
    if paul.client.create(RecordType::Report, forged).is_ok() {
        assert_eq!(paul.sync().await.rejected, 1, "the server refuses a report in someone else's name");
    }
    marc.sync().await;
    let team = marc.client.team_report(Some(&week)).unwrap();

    // Printed: the PDF read back by pdftotext, the workbook by calamine.
    let dir = tempfile::tempdir().unwrap();
    let people = crm_client::report_export::ReportPeople::Team(&team);
    let pdf = dir.path().join("semaine.pdf");
    std::fs::write(&pdf, marc.client.report_pdf(&people)).unwrap();
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&pdf).arg("-").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Rapport hebdomadaire"), "{text}");
    assert!(text.contains(&julies.name), "{text}");
    assert!(text.contains("Affaires gagnées"), "{text}");
    assert!(text.contains("1 200,50 €"), "French amounts: {text}");
    assert!(text.contains("Girard signé"), "the comment: {text}");
    let xlsx = dir.path().join("semaine.xlsx");
    marc.client.report_xlsx(&people, &xlsx).unwrap();
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["Semaine", "Pipeline", "À faire"]);
    let sheet = book.worksheet_range("Semaine").unwrap();
    let headers: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |h: &str| headers.iter().position(|x| x == h).unwrap_or_else(|| panic!("{h} in {headers:?}"));
    let row = sheet.rows().find(|r| r[0] == Data::String(julies.name.clone())).unwrap();
    assert_eq!(row[col("Affaires gagnées")], Data::Float(1.0));
    assert_eq!(row[col("Affaires gagnées (montant)")], Data::Float(1200.5));
    assert_eq!(row[col("Commentaire")].to_string(), "Bonne semaine, Girard signé à 1 200,50 €");
    assert!(marc.client.report_xlsx(&people, &dir.path().join("semaine.txt")).is_err(), "only .xlsx");
}

/// The dashboard of a manager's team: pipeline, forecast, win rate, activity, renewals
/// and top accounts, to the cent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_dashboard_adds_up() {
    let server = marc_julie_and_paul(false).await;
    let julie = server.client("julie@example.fr").await;
    let paul = server.client("paul@example.fr").await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris).date_naive();
    let now = chrono::Utc::now().to_rfc3339();
    let a =
        julie.client.create(RecordType::Account, fields(&[("name", "Garage Girard"), ("kind", "customer")])).unwrap();
    julie.client.create(RecordType::Activity, fields(&[("account", a.id()), ("kind", "visit"), ("at", &now)])).unwrap();
    let won =
        julie.client.create_deal(fields(&[("account", a.id()), ("title", "Garde"), ("amount", "1200.50")])).unwrap();
    julie.client.edit_deal(won.id(), crm_tests::edit(&[("stage", "won")])).unwrap();
    let lost = julie.client.create_deal(fields(&[("account", a.id()), ("title", "Pneus"), ("amount", "10")])).unwrap();
    julie.client.edit_deal(lost.id(), crm_tests::edit(&[("stage", "lost"), ("lost_reason", "prix")])).unwrap();
    let close = (today + chrono::Duration::days(40)).to_string();
    julie
        .client
        .create_deal(fields(&[
            ("account", a.id()),
            ("title", "Audit"),
            ("amount", "1000.01"),
            ("stage", "proposal"),
            ("probability", "33"),
            ("expected_close", &close),
        ]))
        .unwrap();
    // A yearly contract renewed in 30 days, billed 100 € a month: 1 200 € a year.
    let start = (today + chrono::Duration::days(30)).checked_sub_months(chrono::Months::new(12)).unwrap().to_string();
    julie
        .client
        .create_contract(fields(&[
            ("account", a.id()),
            ("status", "active"),
            ("start", &start),
            ("tacit_renewal", "yes"),
            ("term_months", "12"),
            ("notice_months", "3"),
            ("billing_amount", "100"),
            ("billing_period", "monthly"),
        ]))
        .unwrap();
    // Paul is not in Marc's team.
    let b = paul
        .client
        .create(RecordType::Account, fields(&[("name", "Boulangerie Petit"), ("kind", "prospect")]))
        .unwrap();
    paul.client.create_deal(fields(&[("account", b.id()), ("title", "Four"), ("amount", "99.99")])).unwrap();
    julie.sync().await;
    paul.sync().await;
    let marc = server.client("marc@example.fr").await;
    marc.sync().await;

    let options = crm_client::reports::DashboardOptions { team: true, ..Default::default() };
    let d = marc.client.dashboard(&options).await.unwrap();
    assert_eq!(d.pipeline_amount.to_string(), "1000.01", "Paul's deal is not in Marc's team");
    assert_eq!(d.pipeline_weighted.to_string(), "330.00", "1 000,01 × 33 %");
    let month = &close[..7];
    let f = d.forecast.iter().find(|f| f.month == month).unwrap();
    assert_eq!((f.count, f.weighted.to_string()), (1, "330.00".into()));
    assert_eq!((d.win_rate.won.count, d.win_rate.won.amount.to_string()), (1, "1200.50".into()));
    assert_eq!(d.win_rate.lost.count, 1);
    assert_eq!(d.win_rate.rate_percent, Some(50.0));
    assert_eq!(d.activity.iter().map(|a| a.visits).sum::<usize>(), 1);
    assert!(d.activity.iter().all(|a| uuid::Uuid::parse_str(&a.name).is_err()), "reps by name");
    assert_eq!(d.renewals.len(), 1);
    assert_eq!(d.renewals[0].account_name, "Garage Girard");
    assert_eq!(d.renewals[0].yearly_value.to_string(), "1200.00");
    assert_eq!(d.top_accounts[0].name, "Garage Girard");
    assert_eq!(d.top_accounts[0].amount.to_string(), "1200.50");
    // Only simple deals, or only another type: the figures follow.
    let complex =
        crm_client::reports::DashboardOptions { team: true, deal_type: Some("complex".into()), ..Default::default() };
    assert!(marc.client.dashboard(&complex).await.unwrap().pipeline.is_empty());
    let bad = crm_client::reports::DashboardOptions { deal_type: Some("nope".into()), ..Default::default() };
    assert!(marc.client.dashboard(&bad).await.is_err(), "an unknown deal type is said");
    let reversed = crm_client::reports::DashboardOptions {
        from: Some("2026-12-31".into()),
        to: Some("2026-01-01".into()),
        ..Default::default()
    };
    let err = marc.client.dashboard(&reversed).await.unwrap_err();
    assert!(err.problem().text(crm_core::Lang::Fr).contains("la fin doit suivre le début"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("tableau.xlsx");
    marc.client.dashboard_xlsx(&d, &xlsx).unwrap();
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let renewals = book.worksheet_range("Renouvellements").unwrap();
    let row = renewals.rows().nth(1).unwrap();
    assert_eq!(row[0], Data::String("Garage Girard".into()));
    assert_eq!(row[4], Data::Float(1200.0));
}

/// Monday from 07:00 (Paris), Marc receives his team's previous week by e-mail, once:
/// Julie's figures and comment, and that Paul sent nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managers_receive_their_teams_week_on_monday_morning() {
    use chrono::TimeZone;
    let sink = crm_tests::SmtpSink::start().await;
    let server = marc_julie_and_paul(true).await;
    let julie = server.client("julie@example.fr").await;
    let a =
        julie.client.create(RecordType::Account, fields(&[("name", "Garage Girard"), ("kind", "customer")])).unwrap();
    let won =
        julie.client.create_deal(fields(&[("account", a.id()), ("title", "Garde"), ("amount", "1200.50")])).unwrap();
    julie.client.edit_deal(won.id(), crm_tests::edit(&[("stage", "won")])).unwrap();
    let week = crm_core::reports::Week::of(chrono::Utc::now());
    julie.client.submit_report(Some(&week.to_string()), "Girard signé").unwrap();
    julie.sync().await;

    let mut settings = crm_server::Settings::new(server.database_url.clone());
    settings.smtp_url = Some(sink.url.clone());
    settings.mail_from = Some("CRM Terrain <crm@example.fr>".into());
    settings.public_url = Some("https://crm.example.fr".into());
    let mailer = crm_server::mail::Mailer::from_settings(&settings).unwrap().unwrap();
    let db = server.db().await;
    let monday = week.monday() + chrono::Duration::days(7);
    let at = |hour: u32| {
        chrono_tz::Europe::Paris
            .from_local_datetime(&monday.and_hms_opt(hour, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    use crm_server::weekly_mail::send_due;
    assert_eq!(send_due(&db, &mailer, at(6)).await.unwrap(), 0, "not before 07:00");
    assert_eq!(send_due(&db, &mailer, at(8)).await.unwrap(), 1, "Marc, the one manager with a team");
    assert_eq!(send_due(&db, &mailer, at(9)).await.unwrap(), 0, "once a week");
    assert_eq!(send_due(&db, &mailer, at(8) + chrono::Duration::days(1)).await.unwrap(), 0, "only on Mondays");
    let mails = sink.received();
    assert_eq!(mails.len(), 1);
    let mail = mailparse::parse_mail(mails[0].as_bytes()).unwrap();
    let to = mail.headers.iter().find(|h| h.get_key() == "To").unwrap().get_value();
    assert!(to.contains("marc@example.fr"), "{to}");
    let subject = mail.headers.iter().find(|h| h.get_key() == "Subject").unwrap().get_value();
    assert!(subject.starts_with("Rapport de l'équipe — semaine"), "{subject}");
    let body = mail.get_body().unwrap().replace(['\u{202f}', '\u{a0}'], " ");
    assert!(body.contains("gagnées 1 (1 200,50 €)"), "{body}");
    assert!(body.contains("Commentaire : Girard signé"), "{body}");
    assert!(body.contains("Rapport non envoyé."), "Paul's: {body}");
    db.close().await;
}
