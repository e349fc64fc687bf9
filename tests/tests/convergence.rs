//! Several devices edit offline, then sync: everything converges, nothing is lost.

use crm_core::RecordType;
use crm_tests::{Backend, TestClient, TestServer, on_both_backends};
use crm_tests::{edit, fields};

/// A server with two users, Julie (rep) and Marc (manager), each on a device, sharing one
/// account that both devices already have.
async fn julie_and_marc_share_an_account(backend: Backend) -> (TestServer, TestClient, TestClient, String) {
    let server = TestServer::start(backend).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    server.add_user("marc@example.fr", crm_core::Role::Manager).await;
    server.set_manager("julie@example.fr", "marc@example.fr").await;
    let julie = server.client("julie@example.fr").await;
    let marc = server.client("marc@example.fr").await;
    let a = julie
        .client
        .create(RecordType::Account, fields(&[("name", "Boulangerie Martin"), ("kind", "customer")]))
        .unwrap();
    julie.sync().await;
    marc.sync().await;
    (server, julie, marc, a["id"].as_str().unwrap().to_string())
}

async fn offline_edits_on_three_devices_converge_to_identical_state(backend: Backend) {
    let server = TestServer::start(backend).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    server.add_user("marc@example.fr", crm_core::Role::Manager).await;
    server.set_manager("julie@example.fr", "marc@example.fr").await;
    let laptop = server.client("julie@example.fr").await;
    let desktop = server.client("julie@example.fr").await;
    let office = server.client("marc@example.fr").await;

    // Each device works offline.
    let a = laptop
        .client
        .create(RecordType::Account, fields(&[("name", "Boulangerie Martin"), ("kind", "customer"), ("city", "Lyon")]))
        .unwrap();
    let a_id = a["id"].as_str().unwrap().to_string();
    laptop
        .client
        .create(
            RecordType::Contact,
            fields(&[("account", &a_id), ("name", "Jeanne Martin"), ("email", "jeanne@martin.fr")]),
        )
        .unwrap();
    laptop
        .client
        .create(
            RecordType::Activity,
            fields(&[
                ("account", &a_id),
                ("kind", "visit"),
                ("at", "2026-03-14T09:30:00+01:00"),
                ("body", "Visite du site."),
            ]),
        )
        .unwrap();
    // The manager opens an account for Julie, his rep.
    let julie_id = a["owner"].as_str().unwrap();
    let b = office
        .client
        .create(RecordType::Account, fields(&[("name", "Garage Moreau"), ("kind", "prospect"), ("owner", julie_id)]))
        .unwrap();
    desktop.client.create(RecordType::Account, fields(&[("name", "Cave Dubois"), ("kind", "partner")])).unwrap();

    // Sync in an unhelpful order, twice round, so every change reaches everyone.
    for device in [&office, &laptop, &desktop, &office, &laptop, &desktop] {
        device.sync().await;
    }
    let b_id = b["id"].as_str().unwrap();
    // More offline edits on records that came from elsewhere.
    desktop.client.edit(&a_id, edit(&[("phone", "04 78 00 00 00")])).unwrap();
    laptop.client.edit(b_id, edit(&[("city", "Nantes")])).unwrap();
    office
        .client
        .create(
            RecordType::Activity,
            fields(&[
                ("account", &a_id),
                ("kind", "call"),
                ("at", "2026-03-15T10:00:00Z"),
                ("subject", "Relance devis"),
            ]),
        )
        .unwrap();
    for device in [&laptop, &office, &desktop, &laptop, &office] {
        device.sync().await;
    }

    let reference = laptop.visible_state();
    assert_eq!(reference.as_array().unwrap().len(), 3);
    assert_eq!(desktop.visible_state(), reference);
    assert_eq!(office.visible_state(), reference);
    let view = laptop.client.account_view(&a_id).unwrap();
    assert_eq!(view.account["phone"], "04 78 00 00 00");
    assert_eq!(view.contacts.len(), 1);
    assert_eq!(view.timeline.len(), 2);
    assert_eq!(view.timeline[0]["subject"], "Relance devis", "newest first");
    for device in [&laptop, &desktop, &office] {
        assert_eq!(device.client.status().unwrap().pending, 0);
    }
}
on_both_backends!(offline_edits_on_three_devices_converge_to_identical_state);

async fn edits_of_different_fields_of_one_account_both_survive(backend: Backend) {
    let (_server, julie, marc, id) = julie_and_marc_share_an_account(backend).await;
    let id = id.as_str();

    julie.client.edit(id, edit(&[("phone", "04 78 00 00 00")])).unwrap();
    marc.client.edit(id, edit(&[("city", "Villeurbanne"), ("email", "contact@martin.fr")])).unwrap();
    julie.sync().await;
    marc.sync().await;
    julie.sync().await;

    for device in [&julie, &marc] {
        let r = device.client.get(id).unwrap();
        assert_eq!(r["phone"], "04 78 00 00 00");
        assert_eq!(r["city"], "Villeurbanne");
        assert_eq!(r["email"], "contact@martin.fr");
        assert_eq!(r["conflicts"], serde_json::json!([]));
    }
}
on_both_backends!(edits_of_different_fields_of_one_account_both_survive);

async fn concurrent_edits_of_one_visit_report_keep_both_peoples_words(backend: Backend) {
    let (_server, julie, marc, account) = julie_and_marc_share_an_account(backend).await;
    let report = julie
        .client
        .create(
            RecordType::Activity,
            fields(&[
                ("account", &account),
                ("kind", "visit"),
                ("at", "2026-03-14T09:30:00+01:00"),
                ("body", "Rencontré le gérant."),
            ]),
        )
        .unwrap();
    let id = report["id"].as_str().unwrap();
    julie.sync().await;
    marc.sync().await;

    julie.client.edit(id, edit(&[("body", "Rencontré le gérant. Il veut un devis pour 3 sites.")])).unwrap();
    marc.client.edit(id, edit(&[("body", "Rencontré le gérant et sa DAF.")])).unwrap();
    marc.sync().await;
    julie.sync().await;
    marc.sync().await;

    let body = julie.client.get(id).unwrap()["body"].as_str().unwrap().to_string();
    assert_eq!(marc.client.get(id).unwrap()["body"], body.as_str());
    assert!(body.contains("et sa DAF"), "Marc's words are kept: {body}");
    assert!(body.contains("Il veut un devis pour 3 sites."), "Julie's words are kept: {body}");
}
on_both_backends!(concurrent_edits_of_one_visit_report_keep_both_peoples_words);

async fn the_same_field_edited_on_two_devices_converges_and_shows_a_conflict(backend: Backend) {
    let (_server, julie, marc, id) = julie_and_marc_share_an_account(backend).await;
    let id = id.as_str();
    julie.client.edit(id, edit(&[("city", "Paris")])).unwrap();
    marc.client.edit(id, edit(&[("city", "Marseille")])).unwrap();
    julie.sync().await;
    marc.sync().await;
    julie.sync().await;

    let (rj, rm) = (julie.client.get(id).unwrap(), marc.client.get(id).unwrap());
    assert_eq!(rj, rm, "every replica picks the same winner");
    let conflicts = rj["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0]["field"], "city");
    let loser = conflicts[0]["others"][0].as_str().unwrap().to_string();
    assert!(["Paris", "Marseille"].contains(&loser.as_str()));

    // Marc keeps the losing value; the conflict closes everywhere.
    marc.client.resolve_conflict(id, "city", &loser).unwrap();
    marc.sync().await;
    julie.sync().await;
    let rj = julie.client.get(id).unwrap();
    assert_eq!(rj["city"], loser.as_str());
    assert_eq!(rj["conflicts"], serde_json::json!([]));
}
on_both_backends!(the_same_field_edited_on_two_devices_converges_and_shows_a_conflict);

async fn a_server_restart_between_syncs_loses_nothing(backend: Backend) {
    let mut server = TestServer::start(backend).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let laptop = server.client("julie@example.fr").await;
    let desktop = server.client("julie@example.fr").await;
    for i in 0..20 {
        laptop
            .client
            .create(RecordType::Account, fields(&[("name", &format!("Client {i:02}")), ("kind", "customer")]))
            .unwrap();
    }
    let pushed = laptop.sync().await.pushed;
    assert_eq!(pushed, 20);

    server.restart().await;
    laptop.relogin(&server, "julie@example.fr").await;
    desktop.relogin(&server, "julie@example.fr").await;
    let report = desktop.sync().await;
    assert_eq!(report.pulled, 20);
    assert_eq!(desktop.visible_state(), laptop.visible_state());
    assert_eq!(laptop.sync().await.pulled, 0, "nothing comes back to its author");
}
on_both_backends!(a_server_restart_between_syncs_loses_nothing);
