//! Weekly reports on real devices: a rep's week holds only their records; their
//! manager's team report holds each rep and the totals, to the cent, offline.

use crm_core::{RecordType, Role};
use crm_tests::{Backend, TestServer, fields};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reps_week_is_their_own_and_the_managers_team_adds_up() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("marc@example.fr", Role::Manager).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    server.add_user("paul@example.fr", Role::Rep).await;
    server.set_manager("julie@example.fr", "marc@example.fr").await;
    server.set_manager("paul@example.fr", "marc@example.fr").await;
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
