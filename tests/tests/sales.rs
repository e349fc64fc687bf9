//! The sales cycle across devices: deals move through stages offline; winning a deal
//! creates exactly one service contract, even when two devices win it concurrently.

use crm_core::{FieldValue, RecordType};
use crm_tests::fields;
use crm_tests::{Backend, TestServer, on_both_backends};

fn stage(s: &str) -> crm_doc::Edit {
    [("stage".to_string(), Some(FieldValue::from(s)))].into_iter().collect()
}

async fn a_deal_won_on_two_devices_offline_creates_one_contract(backend: Backend) {
    let server = TestServer::start(backend).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    server.add_user("marc@example.fr", crm_core::Role::Manager).await;
    server.set_manager("julie@example.fr", "marc@example.fr").await;
    let laptop = server.client("julie@example.fr").await;
    let office = server.client("marc@example.fr").await;

    // Created offline, moved on the laptop, then synced.
    let account = laptop
        .client
        .create(RecordType::Account, fields(&[("name", "Clinique du Parc"), ("kind", "customer")]))
        .unwrap();
    let account = account["id"].as_str().unwrap();
    let deal = laptop
        .client
        .create_deal(fields(&[
            ("account", account),
            ("title", "Service de garde 2027"),
            ("deal_type", "complex"),
            ("amount", "18000.00"),
        ]))
        .unwrap();
    let id = deal["id"].as_str().unwrap();
    assert_eq!(deal["stage"], "qualification");
    laptop.client.edit_deal(id, stage("analysis")).unwrap();
    laptop.sync().await;
    office.sync().await;
    office.client.edit_deal(id, stage("proposal")).unwrap();
    office.sync().await;
    laptop.sync().await;
    assert_eq!(laptop.client.get(id).unwrap()["stage"], "proposal");
    // Each deal is followed by a rep and their sales manager, shown by name on every
    // device, from the server's directory (kept for offline use).
    for device in [&laptop, &office] {
        let view = crm_tests::json(device.client.deal_view(id).unwrap());
        assert_eq!(view["owner_name"], "julie", "{view}");
        assert_eq!(view["manager_name"], "marc", "{view}");
        assert_eq!(view["account_name"], "Clinique du Parc");
    }
    // "À propos": the server tells its version to a signed-in user only.
    let about = laptop.client.server_about().await.unwrap();
    assert_eq!(about.version, env!("CARGO_PKG_VERSION"));
    let anonymous = reqwest::Client::new()
        .get(format!("{}/v1/about", server.url))
        .header(crm_protocol::PROTOCOL_HEADER, crm_protocol::PROTOCOL_VERSION.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401, "no version for an anonymous caller");

    // Both win it while offline.
    laptop.client.edit_deal(id, stage("won")).unwrap();
    office.client.edit_deal(id, stage("won")).unwrap();
    for device in [&laptop, &office, &laptop] {
        device.sync().await;
    }

    for device in [&laptop, &office] {
        let contracts = crm_tests::json(device.client.list_contracts(None).unwrap());
        let contracts = contracts.as_array().unwrap();
        assert_eq!(contracts.len(), 1, "one contract, not two: {contracts:?}");
        let contract = &contracts[0];
        assert_eq!(contract["deal"], id);
        assert_eq!(contract["account"], account);
        assert_eq!(contract["billing_amount"], "18000.00");
        assert_eq!(contract["conflicts"], serde_json::json!([]), "the same values written twice are no conflict");
        assert!(contract["next_renewal"].is_string());
        let deal = crm_tests::json(device.client.deal_view(id).unwrap());
        assert_eq!(deal["stage"], "won");
        assert_eq!(deal["contract"], contract["id"]);
        // Every move is in the history, including both wins.
        let history = deal["stage_history"].as_array().unwrap();
        assert_eq!(history.iter().filter(|h| h.as_str().unwrap().contains(" won ")).count(), 2, "{history:?}");
        assert!(history.iter().any(|h| h.as_str().unwrap().contains(" analysis ")));
    }
    assert_eq!(laptop.visible_state(), office.visible_state());
}
on_both_backends!(a_deal_won_on_two_devices_offline_creates_one_contract);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_quote_wins_its_deal_and_its_totals_are_exact() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    server.add_user("admin@example.fr", crm_core::Role::Admin).await;
    let rep = server.client("julie@example.fr").await;
    // The catalogue is the administrator's; reps read it.
    let admin = server.client("admin@example.fr").await;
    let a = &admin.client;
    a.create(
        RecordType::Product,
        fields(&[
            ("reference", "GARDE-01"),
            ("designation", "Service de garde"),
            ("price", "1250.00"),
            ("vat_percent", "20"),
        ]),
    )
    .unwrap();
    a.create(
        RecordType::Product,
        fields(&[("reference", "LIVRE-55"), ("designation", "Guide"), ("price", "3.33"), ("vat_percent", "5.5")]),
    )
    .unwrap();
    admin.sync().await;
    rep.sync().await;
    let c = &rep.client;
    let account = c.create(RecordType::Account, fields(&[("name", "Clinique du Parc"), ("kind", "customer")])).unwrap();
    let account = account["id"].as_str().unwrap();
    let deal = c.create_deal(fields(&[("account", account), ("title", "Garde"), ("deal_type", "simple")])).unwrap();
    let line = |r: &str, q: &str, d: &str| crm_client::LineRequest {
        reference: r.into(),
        quantity: q.parse().unwrap(),
        discount_percent: d.parse().unwrap(),
    };
    let quote = crm_tests::json(
        c.create_quote(account, deal["id"].as_str(), &[line("GARDE-01", "2", "12.5"), line("LIVRE-55", "7", "5")])
            .unwrap(),
    );
    assert_eq!(quote["totals"]["total_net"], "2209.64"); // 2187.50 + 22.14
    assert_eq!(quote["totals"]["total_vat"], "438.72"); // 437.50 + 1.22
    assert_eq!(quote["totals"]["total_gross"], "2648.36");
    assert!(
        c.create_quote(account, None, &[line("NOPE-000", "1", "0")]).unwrap_err().to_string().contains("no product")
    );

    // The customer's pricing rules: a special price for one reference, a negotiated
    // discount on lines that give none.
    let rules: crm_doc::Edit = [
        ("price_list".to_string(), Some(FieldValue::from(r#"{"GARDE-01": "1100.00"}"#))),
        ("discount_percent".to_string(), Some(FieldValue::from("5"))),
    ]
    .into_iter()
    .collect();
    c.edit(account, rules).unwrap();
    let priced = crm_tests::json(
        c.quote_preview(Some(account), &[line("GARDE-01", "1", "0"), line("LIVRE-55", "10", "20")]).unwrap(),
    );
    assert_eq!(priced["lines"][0]["unit_price"], "1100.00");
    assert_eq!(priced["lines"][0]["discount_percent"], "5");
    assert_eq!(priced["totals"]["lines"][0], "1045.00");
    assert_eq!(priced["totals"]["lines"][1], "26.64", "an explicit line discount wins: 33.30 − 20 %");
    let bad: crm_doc::Edit =
        [("price_list".to_string(), Some(FieldValue::from(r#"{"TOO-LONG-REF": "1"}"#)))].into_iter().collect();
    assert!(c.edit(account, bad).unwrap_err().to_string().contains("exactly 8 characters"));

    // A draft's lines change, priced again with the customer's rules.
    let quote_id = quote["id"].as_str().unwrap();
    let redone = c.edit_quote_lines(quote_id, &[line("GARDE-01", "1", "0")]).unwrap();
    assert_eq!(redone.lines.len(), 1);
    assert_eq!(redone.lines[0].unit_price.to_string(), "1100.00", "the special price of this customer");
    assert_eq!(redone.totals.total_net.to_string(), "1045.00", "with its negotiated discount");
    assert_eq!(c.edit_quote_lines(quote_id, &[]).unwrap_err().problem().code, crm_core::Code::QuoteNeedsLine);

    c.set_quote_status(quote_id, "accepted").unwrap();
    assert_eq!(c.get(deal["id"].as_str().unwrap()).unwrap()["stage"], "won");
    let frozen = c.edit_quote_lines(quote_id, &[line("LIVRE-55", "1", "0")]).unwrap_err();
    assert_eq!(frozen.problem().code, crm_core::Code::QuoteNotDraft, "an accepted quote keeps its lines");
    let err = c.set_quote_status(quote["id"].as_str().unwrap(), "draft").unwrap_err();
    assert_eq!(err.problem().code, crm_core::Code::QuoteMove);
    assert_eq!(
        err.problem().text(crm_core::Lang::Fr),
        "Statut : un devis « Accepté » ne peut pas passer à « Brouillon »",
        "an accepted quote has won its deal and stays accepted"
    );
    assert_eq!(c.list_contracts(Some(account)).unwrap().len(), 1);
    let report = rep.sync().await;
    assert_eq!(report.rejected, 0, "the server accepts every sales record");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_photo_reaches_a_second_device_on_demand() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    server.add_user("admin@example.fr", crm_core::Role::Admin).await;
    // The catalogue is the administrator's; the rep's laptop reads it.
    let office = server.client("admin@example.fr").await;
    let laptop = server.client("julie@example.fr").await;
    office
        .client
        .create(
            RecordType::Product,
            fields(&[("reference", "GARDE-01"), ("designation", "Service de garde"), ("price", "1250.00")]),
        )
        .unwrap();
    let photo: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let file = office.dir.path().join("Photo Garde.JPG");
    std::fs::write(&file, &photo).unwrap();
    let product = office.client.attach_media("GARDE-01", &file).unwrap();
    let item = product["media"][0].as_str().unwrap().to_string();
    assert!(item.ends_with(".jpg"), "{item}");
    let report = office.sync().await;
    assert_eq!(report.media_uploaded, 1);
    assert_eq!(office.sync().await.media_uploaded, 0, "sent once");

    // The laptop gets the record at sync, the photo only when it is opened.
    laptop.sync().await;
    assert!(!laptop.dir.path().join("media").join(&item).exists(), "attachments are not pulled with records");
    let seen = std::sync::Mutex::new(Vec::new());
    let path = laptop
        .client
        .media_file_with_progress(&item, &|done, total| seen.lock().unwrap().push((done, total)))
        .await
        .unwrap();
    assert_eq!(std::fs::read(path).unwrap(), photo);
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.last().copied(), Some((300_000, 300_000)), "the download's progress ends at its size");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "and only grows: {seen:?}");
    // Opened again, it is read from the device: no download, no progress.
    let again = std::sync::Mutex::new(0);
    laptop.client.media_file_with_progress(&item, &|_, _| *again.lock().unwrap() += 1).await.unwrap();
    assert_eq!(*again.lock().unwrap(), 0);

    // The app sends the bytes of the file the user chose.
    let with_bytes = office.client.attach_media_bytes("GARDE-01", "Démo.MP4", vec![1, 2, 3]).unwrap();
    assert!(with_bytes["media"].as_array().unwrap().iter().any(|m| m.as_str().unwrap().ends_with(".mp4")));

    let too_big = office.dir.path().join("film.mp4");
    std::fs::File::create(&too_big).unwrap().set_len(crm_protocol::MAX_BLOB_BYTES as u64 + 1).unwrap();
    let err = office.client.attach_media("GARDE-01", &too_big).unwrap_err();
    assert!(err.to_string().contains("limited to 50 MB"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_calendar_app_subscribes_to_a_reps_events_by_a_secret_address() {
    let server = TestServer::start(Backend::Postgres).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let rep = server.client("julie@example.fr").await;
    rep.client
        .create(
            RecordType::Event,
            fields(&[
                ("title", "Visite Clinique du Parc"),
                ("start", "2026-03-16T09:30:00+01:00"),
                ("end", "2026-03-16T11:00:00+01:00"),
                ("place", "Amiens"),
            ]),
        )
        .unwrap();
    rep.sync().await;
    let url = rep.client.calendar_feed_url().await.unwrap();
    // A calendar app sends no token and no protocol header: the address is the secret.
    let body = reqwest::get(&url).await.unwrap();
    assert_eq!(body.headers()["content-type"], "text/calendar; charset=utf-8");
    let body = body.text().await.unwrap();
    let calendars: Vec<_> =
        ical::IcalParser::new(std::io::BufReader::new(body.as_bytes())).collect::<Result<_, _>>().unwrap();
    let summaries: Vec<String> = calendars[0]
        .events
        .iter()
        .flat_map(|e| e.properties.iter().filter(|p| p.name == "SUMMARY").filter_map(|p| p.value.clone()))
        .collect();
    assert_eq!(summaries, ["Visite Clinique du Parc"]);

    // A new address revokes the old one.
    let newer = rep.client.calendar_feed_url().await.unwrap();
    assert_ne!(newer, url);
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configured_stages_and_contract_types_reach_every_device() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("admin@example.fr", crm_core::Role::Admin).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let admin = server.client("admin@example.fr").await;
    let rep = server.client("julie@example.fr").await;
    let stage = |id: &str, label: &str, probability: u8| crm_core::stages::Stage {
        id: id.into(),
        label: label.into(),
        probability,
    };
    admin
        .client
        .configure_deal_type(crm_core::stages::DealType {
            id: "simple".into(),
            label: "Projet simple".into(),
            stages: vec![
                stage("qualification", "Qualification", 10),
                stage("demo", "Démonstration", 30),
                stage("won", "Gagnée", 100),
                stage("lost", "Perdue", 0),
            ],
        })
        .unwrap();
    let bad = admin.client.configure_deal_type(crm_core::stages::DealType {
        id: "simple".into(),
        label: "x".into(),
        stages: vec![stage("won", "Gagnée", 100)],
    });
    assert!(bad.unwrap_err().to_string().contains("won then lost"));
    admin.sync().await;
    rep.sync().await;

    let account =
        rep.client.create(RecordType::Account, fields(&[("name", "Cabinet Roux"), ("kind", "prospect")])).unwrap();
    let deal =
        rep.client.create_deal(fields(&[("account", account["id"].as_str().unwrap()), ("title", "Audit")])).unwrap();
    let id = deal["id"].as_str().unwrap();
    let moved = rep.client.edit_deal(id, stage_edit("demo")).unwrap();
    assert_eq!(moved["probability"], "30");
    let err = rep.client.edit_deal(id, stage_edit("proposal")).unwrap_err();
    assert!(err.to_string().contains("qualification, demo, won, lost"), "{err}");
    assert_eq!(rep.client.deal_view(id).unwrap().stages[1].label, "Démonstration");
}

fn stage_edit(s: &str) -> crm_doc::Edit {
    stage(s)
}
