//! What leaves and enters a device when records change hands, when a user's role
//! changes, when a client misbehaves on purpose, and when a person is erased (RGPD).

use crm_core::{RecordType, Role};
use crm_doc::{DeviceActor, RecordDoc};
use crm_protocol::{PushedChange, SyncRequest, SyncResponse};
use crm_tests::{Backend, TestServer, files_holding, on_both_backends};
use crm_tests::{edit, fields};

/// Julie and Paul, two reps of Marc's team.
async fn a_team(backend: Backend) -> TestServer {
    let server = TestServer::start(backend).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    server.add_user("paul@example.fr", Role::Rep).await;
    server.add_user("marc@example.fr", Role::Manager).await;
    server.set_manager("julie@example.fr", "marc@example.fr").await;
    server.set_manager("paul@example.fr", "marc@example.fr").await;
    server
}

async fn reassigning_an_account_moves_it_and_its_records_between_two_reps_devices(backend: Backend) {
    let server = a_team(backend).await;
    let julie = server.client("julie@example.fr").await;
    let paul = server.client("paul@example.fr").await;
    let marc = server.client("marc@example.fr").await;

    let account = julie.client.create(RecordType::Account, fields(&[("name", "Garage Moreau"), ("kind", "customer")]));
    let account = account.unwrap()["id"].as_str().unwrap().to_string();
    let contact = julie.client.create(RecordType::Contact, fields(&[("account", &account), ("name", "Luc Moreau")]));
    let contact = contact.unwrap()["id"].as_str().unwrap().to_string();
    julie.client.edit(&contact, edit(&[("job_title", "Gérant")])).unwrap();
    let deal = julie
        .client
        .create(
            RecordType::Deal,
            fields(&[
                ("account", &account),
                ("title", "Flotte 2027"),
                ("deal_type", "new_business"),
                ("stage", "qualification"),
            ]),
        )
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    julie.sync().await;
    paul.sync().await;
    assert!(paul.client.get(&account).is_err(), "a colleague's account is not on Paul's device");
    assert!(paul.client.get(&deal).is_err(), "nor is her deal");

    // Marc hands the account to Paul; meanwhile Julie, offline, keeps typing.
    marc.sync().await;
    let paul_id = server.user_id("paul@example.fr").await;
    let moved = crm_tests::json(marc.client.reassign_account(&account, "paul@example.fr").await.unwrap());
    assert_eq!(moved["owner"], paul_id.as_str());
    assert_eq!(moved["moved"].as_array().unwrap().len(), 2, "the account and Julie's deal on it: {moved}");
    julie.client.edit(&contact, edit(&[("phone", "03 22 00 00 00")])).unwrap();
    let late = julie.client.create(RecordType::Contact, fields(&[("account", &account), ("name", "Zoé Moreau")]));
    let late = late.unwrap()["id"].as_str().unwrap().to_string();
    marc.sync().await;

    let report = julie.sync().await;
    assert!(report.dropped >= 3, "account, contact and deal leave Julie's device: {report:?}");
    for id in [&account, &contact, &deal] {
        assert!(julie.client.get(id).is_err(), "{id} is still on Julie's device");
    }
    assert!(julie.client.get(&late).is_err(), "a creation the server refused does not stay on screen");
    let kept = julie.client.rejections().unwrap();
    assert!(kept.iter().any(|r| r.doc_id == late), "but what she typed is kept: {kept:?}");
    assert!(
        kept.iter().any(|r| r.doc_id == contact && r.reason.contains("reassigned")),
        "Julie's unsent change is kept, with the reason: {kept:?}"
    );

    paul.sync().await;
    let on_paul = paul.client.get(&contact).unwrap();
    assert_eq!(on_paul["job_title"], "Gérant");
    assert_eq!(paul.client.get(&deal).unwrap()["owner"], paul_id.as_str());
    // The history came along, with who did what.
    let history = crm_tests::json(paul.client.history(&contact).await.unwrap());
    let history = history.as_array().unwrap();
    assert!(history.len() >= 2, "{history:?}");
    assert_eq!(history[0]["author"]["name"], "julie", "{history:?}");
    assert_eq!(history[0]["fields"]["name"], "Luc Moreau");
    // The server's own evidence beside it: who sent each change, and when it arrived.
    assert_eq!(history[0]["sent_by"], "julie", "{history:?}");
    assert!(history[0]["received_at"].as_str().is_some_and(|t| t.starts_with("20")), "{history:?}");
    assert!(history.iter().any(|h| h["fields"]["job_title"] == "Gérant"));
    // Paul now works on it like any of his records.
    paul.client.edit(&contact, edit(&[("mobile", "06 12 34 56 78")])).unwrap();
    let report = paul.sync().await;
    assert_eq!(report.rejected, 0);
}
on_both_backends!(reassigning_an_account_moves_it_and_its_records_between_two_reps_devices);

async fn a_role_change_restarts_the_sync_and_keeps_only_what_the_new_role_sees(backend: Backend) {
    let server = a_team(backend).await;
    let julie = server.client("julie@example.fr").await;
    let account = julie.client.create(RecordType::Account, fields(&[("name", "Cave Dubois"), ("kind", "customer")]));
    let account = account.unwrap()["id"].as_str().unwrap().to_string();
    let deal = julie
        .client
        .create(
            RecordType::Deal,
            fields(&[("account", &account), ("title", "Cuves"), ("deal_type", "new_business"), ("stage", "proposal")]),
        )
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    julie.sync().await;
    let marc = server.client("marc@example.fr").await;
    let lead = marc.client.create(RecordType::Lead, fields(&[("name", "Salon Amiens")])).unwrap();
    marc.sync().await;
    assert!(julie.sync().await.pulled == 0, "a rep does not see her manager's leads");

    let db = server.db().await;
    db.set_user_role("julie@example.fr", Role::Marketing).await.unwrap();
    db.close().await;
    let report = julie.sync().await;
    assert!(julie.client.get(&deal).is_err(), "marketing does not hold deals");
    assert!(julie.client.get(&account).is_ok(), "marketing reads accounts");
    assert!(julie.client.get(lead["id"].as_str().unwrap()).is_ok(), "and every lead");
    assert!(report.dropped >= 1, "{report:?}");
    // A second sync is an ordinary one: nothing more to drop.
    assert_eq!(julie.sync().await.dropped, 0);
}
on_both_backends!(a_role_change_restarts_the_sync_and_keeps_only_what_the_new_role_sees);

async fn raw_sync(http: &reqwest::Client, server: &TestServer, token: &str, req: &SyncRequest) -> SyncResponse {
    let response = http
        .post(format!("{}/v1/sync", server.url))
        .header(crm_protocol::PROTOCOL_HEADER, "1")
        .bearer_auth(token)
        .json(req)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn a_hostile_client_crafting_changes_gets_nothing_beyond_its_role(backend: Backend) {
    let server = a_team(backend).await;
    let julie = server.client("julie@example.fr").await;
    let account = julie.client.create(RecordType::Account, fields(&[("name", "Hôtel Secret"), ("kind", "customer")]));
    let account = account.unwrap()["id"].as_str().unwrap().to_string();
    let deal = julie
        .client
        .create(
            RecordType::Deal,
            fields(&[
                ("account", &account),
                ("title", "Marché confidentiel"),
                ("deal_type", "new_business"),
                ("stage", "proposal"),
            ]),
        )
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    julie.sync().await;
    let deal_id: uuid::Uuid = deal.parse().unwrap();

    let http = reqwest::Client::new();
    let paul_device = uuid::Uuid::now_v7();
    let token = server.raw_login("paul@example.fr", paul_device).await;
    let paul_id = server.user_id("paul@example.fr").await;
    let actor = DeviceActor::from_device_id(&paul_device);

    // 1. Ask for everything, Julie's deal by name, and his own changes too.
    let everything =
        SyncRequest { cursor: 0, resync: vec![deal_id], full: true, limit: Some(10_000), ..Default::default() };
    let answer = raw_sync(&http, &server, &token, &everything).await;
    let text = serde_json::to_string(&answer).unwrap();
    assert!(answer.items.is_empty(), "nothing of Julie's reaches Paul: {text}");

    // 2. Write into her deal: a change made from scratch with the deal's id.
    let mut forged = crm_core::Record::new(crm_core::RecordId(deal_id), RecordType::Deal);
    forged.fields = fields(&[
        ("account", &account),
        ("title", "Volé"),
        ("deal_type", "new_business"),
        ("stage", "won"),
        ("owner", &paul_id),
    ]);
    let mut doc = RecordDoc::create(&actor, &forged, 0).unwrap();
    let change = PushedChange { doc: deal_id, data: crm_protocol::Bytes(doc.all_changes()[0].raw_bytes().to_vec()) };
    // 3. A contact on her account.
    let contact_id = uuid::Uuid::now_v7();
    let mut contact = crm_core::Record::new(crm_core::RecordId(contact_id), RecordType::Contact);
    contact.fields = fields(&[("account", &account), ("name", "Espion")]);
    let mut contact_doc = RecordDoc::create(&actor, &contact, 0).unwrap();
    let contact_change =
        PushedChange { doc: contact_id, data: crm_protocol::Bytes(contact_doc.all_changes()[0].raw_bytes().to_vec()) };
    // 4. And a record of his own, which must still be stored.
    let own_id = uuid::Uuid::now_v7();
    let mut own = crm_core::Record::new(crm_core::RecordId(own_id), RecordType::Account);
    own.fields = fields(&[("name", "Client de Paul"), ("kind", "prospect"), ("owner", &paul_id)]);
    let mut own_doc = RecordDoc::create(&actor, &own, 0).unwrap();
    let own_change =
        PushedChange { doc: own_id, data: crm_protocol::Bytes(own_doc.all_changes()[0].raw_bytes().to_vec()) };

    let push = SyncRequest { changes: vec![change, contact_change, own_change], ..Default::default() };
    let answer = raw_sync(&http, &server, &token, &push).await;
    assert_eq!(answer.rejected.len(), 2, "{:?}", answer.rejected);
    for r in &answer.rejected {
        assert_eq!(r.code, crm_protocol::RejectCode::Forbidden);
        assert!(!r.reason.contains("Marché") && !r.reason.contains("Hôtel"), "refusals reveal nothing: {}", r.reason);
    }
    assert_eq!(answer.acked.len(), 1, "the rest of the batch is stored");

    // 5. Giving his own account away is refused too.
    let julie_id = server.user_id("julie@example.fr").await;
    let away = own_doc.edit(&edit(&[("owner", &julie_id)]), 1).unwrap().unwrap();
    let push = SyncRequest {
        changes: vec![PushedChange { doc: own_id, data: crm_protocol::Bytes(away.raw_bytes().to_vec()) }],
        ..Default::default()
    };
    let answer = raw_sync(&http, &server, &token, &push).await;
    assert_eq!(answer.rejected.len(), 1, "{answer:?}");

    // Julie's deal is untouched on the server, and on her device.
    julie.sync().await;
    let on_julie = julie.client.get(&deal).unwrap();
    assert_eq!(on_julie["title"], "Marché confidentiel");
    assert_eq!(on_julie["stage"], "proposal");
    assert!(julie.client.list(RecordType::Contact).unwrap().is_empty());
}
on_both_backends!(a_hostile_client_crafting_changes_gets_nothing_beyond_its_role);

async fn erasure_leaves_no_trace_on_the_server_or_any_device(backend: Backend) {
    let server = a_team(backend).await;
    server.add_user("admin@example.fr", Role::Admin).await;
    let julie = server.client("julie@example.fr").await;
    let marc = server.client("marc@example.fr").await;
    let admin = server.client("admin@example.fr").await;
    let name = "Jeanne Effaçable";
    let email = "jeanne.effacable@example.fr";
    let account = julie.client.create(RecordType::Account, fields(&[("name", "Boulangerie"), ("kind", "customer")]));
    let account = account.unwrap()["id"].as_str().unwrap().to_string();
    let contact = julie
        .client
        .create(RecordType::Contact, fields(&[("account", &account), ("name", name), ("email", email)]))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    julie.client.edit(&contact, edit(&[("job_title", "Gérante"), ("name", &format!("{name} (Mme)"))])).unwrap();
    julie.sync().await;
    marc.sync().await;
    admin.sync().await;
    let scratch = tempfile::tempdir().unwrap();
    // Devices are encrypted: the check reads what they hold, decrypted.
    let before = crm_tests::decrypted_copy(marc.dir.path(), scratch.path());
    assert!(!files_holding(&before, email).is_empty(), "the test sees the e-mail where it is");
    std::fs::remove_file(before).unwrap();

    let refused = julie.client.gdpr_erase(&contact).await.unwrap_err();
    assert!(refused.to_string().contains("administrator"), "{refused}");
    // Julie, offline, edits the person once more before she hears of the erasure.
    julie.client.edit(&contact, edit(&[("mobile", "06 00 00 00 01")])).unwrap();

    admin.client.gdpr_erase(&contact).await.unwrap();
    julie.sync().await;
    marc.sync().await;
    assert!(julie.client.get(&contact).is_err() && marc.client.get(&contact).is_err());
    assert!(julie.client.search("Effaçable", 10).unwrap().is_empty());
    for device in [&julie, &marc, &admin] {
        let plain = crm_tests::decrypted_copy(device.dir.path(), scratch.path());
        for needle in ["Effaçable", email, "06 00 00 00 01"] {
            let holding = files_holding(device.dir.path(), needle);
            assert!(holding.is_empty(), "{needle} is still in {holding:?}");
            assert!(files_holding(&plain, needle).is_empty(), "{needle} is still in the device's database");
        }
    }
    // The old history cannot come back through a device that still had it.
    julie.sync().await;
    assert_eq!(julie.client.status().unwrap().pending, 0);

    let db = server.db().await;
    for needle in ["Effaçable", email] {
        let count: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM docs WHERE fields LIKE $1 OR label LIKE $1) + \
             (SELECT COUNT(*) FROM changes WHERE doc_id = $2 AND device_id <> 'server')",
        )
        .bind(format!("%{needle}%"))
        .bind(&contact)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(count, 0, "{needle} on the server");
    }
    db.close().await;
    if let Some(file) = server.database_url.strip_prefix("sqlite://") {
        let dir = std::path::Path::new(file).parent().unwrap();
        for needle in ["Effaçable", email] {
            let holding = files_holding(dir, needle);
            assert!(holding.is_empty(), "{needle} is still in the server's {holding:?}");
        }
    }
    let log = server.db().await.audit_log(20).await.unwrap();
    assert!(log.iter().any(|e| e.action == "gdpr_erased" && e.subject == contact));
}
on_both_backends!(erasure_leaves_no_trace_on_the_server_or_any_device);

async fn territories_give_the_offices_new_accounts_to_the_right_rep(backend: Backend) {
    let server = a_team(backend).await;
    let db = server.db().await;
    db.add_territory(
        crm_server::db::NewTerritory {
            name: "Somme".into(),
            owner_email: "paul@example.fr".into(),
            postal_prefixes: vec!["80".into()],
            countries: vec![],
            sectors: vec![],
            product_lines: vec![],
        },
        0,
    )
    .await
    .unwrap();
    db.close().await;
    let marc = server.client("marc@example.fr").await;
    let paul = server.client("paul@example.fr").await;
    let julie = server.client("julie@example.fr").await;
    let amiens = marc
        .client
        .create(
            RecordType::Account,
            fields(&[("name", "Pharmacie d'Amiens"), ("kind", "prospect"), ("postal_code", "80000")]),
        )
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let paris = marc
        .client
        .create(
            RecordType::Account,
            fields(&[("name", "Pharmacie de Paris"), ("kind", "prospect"), ("postal_code", "75001")]),
        )
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(marc.sync().await.rejected, 0);
    marc.sync().await;
    paul.sync().await;
    julie.sync().await;
    let paul_id = server.user_id("paul@example.fr").await;
    let marc_id = server.user_id("marc@example.fr").await;
    assert_eq!(paul.client.get(&amiens).unwrap()["owner"], paul_id.as_str(), "the Somme is Paul's");
    assert_eq!(marc.client.get(&amiens).unwrap()["owner"], paul_id.as_str(), "the office sees who got it");
    assert!(julie.client.get(&amiens).is_err(), "not Julie's territory");
    assert_eq!(marc.client.get(&paris).unwrap()["owner"], marc_id.as_str(), "no rule: its author keeps it");
    assert!(paul.client.get(&paris).is_err());
}
on_both_backends!(territories_give_the_offices_new_accounts_to_the_right_rep);

async fn a_device_that_lost_the_person_before_the_erasure_forgets_what_it_typed_too(backend: Backend) {
    let server = a_team(backend).await;
    server.add_user("admin@example.fr", Role::Admin).await;
    let julie = server.client("julie@example.fr").await;
    let marc = server.client("marc@example.fr").await;
    let admin = server.client("admin@example.fr").await;
    let _paul = server.client("paul@example.fr").await;
    let account = julie.client.create(RecordType::Account, fields(&[("name", "Boulangerie"), ("kind", "customer")]));
    let account = account.unwrap()["id"].as_str().unwrap().to_string();
    let contact = julie.client.create(RecordType::Contact, fields(&[("account", &account), ("name", "Jeanne Partie")]));
    let contact = contact.unwrap()["id"].as_str().unwrap().to_string();
    julie.sync().await;
    // Marc hands the account to Paul while Julie, offline, types the person's mobile.
    marc.sync().await;
    marc.client.reassign_account(&account, "paul@example.fr").await.unwrap();
    marc.sync().await;
    julie.client.edit(&contact, edit(&[("mobile", "06 11 22 33 44")])).unwrap();
    julie.sync().await;
    assert!(julie.client.get(&contact).is_err(), "the contact left Julie's device");
    assert!(julie.client.rejections().unwrap().iter().any(|r| r.doc_id == contact), "what she typed is kept");

    // The person is erased: Julie cannot read the record any more, yet her device is
    // told to forget it, refused change and all.
    admin.sync().await;
    admin.client.gdpr_erase(&contact).await.unwrap();
    julie.sync().await;
    assert!(julie.client.rejections().unwrap().iter().all(|r| r.doc_id != contact));
    let scratch = tempfile::tempdir().unwrap();
    let plain = crm_tests::decrypted_copy(julie.dir.path(), scratch.path());
    for needle in ["Jeanne Partie", "06 11 22 33 44"] {
        assert!(files_holding(&plain, needle).is_empty(), "{needle} is still in Julie's database");
        assert!(files_holding(julie.dir.path(), needle).is_empty(), "{needle} is still in Julie's files");
    }
}
on_both_backends!(a_device_that_lost_the_person_before_the_erasure_forgets_what_it_typed_too);
