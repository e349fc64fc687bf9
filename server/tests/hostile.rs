//! A logged-in user with a modified client, and strangers, attack the real `crm-server`
//! process with raw HTTP and hand-made Automerge changes. Each class of attack is
//! refused with a reason, the server stays healthy, and its memory stays bounded (read
//! from /proc). See docs/sync-protocol.md and SECURITY in the README.

mod forge;

use crm_core::{FieldValue, Record, RecordId, RecordType, Role};
use crm_doc::{DeviceActor, RecordDoc};
use forge::Server;
use serde_json::{Value, json};
use uuid::Uuid;

/// The most the server's resident memory may grow above idle under one attack.
const MAX_GROWTH_KIB: u64 = 200 * 1024;

fn account(name: &str, owner: Option<&str>) -> Record {
    let mut r = Record::new(RecordId(Uuid::now_v7()), RecordType::Account);
    r.fields.insert("name".into(), FieldValue::from(name));
    r.fields.insert("kind".into(), "customer".into());
    if let Some(owner) = owner {
        r.fields.insert("owner".into(), FieldValue::from(owner));
    }
    r
}

fn creation(record: &Record, device: Uuid) -> Vec<u8> {
    RecordDoc::create(&DeviceActor::from_device_id(&device), record, 1_700_000_000_000).unwrap().all_changes()[0]
        .raw_bytes()
        .to_vec()
}

fn rejection(answer: &Value) -> (String, String) {
    let r = &answer["rejected"][0];
    (r["code"].as_str().unwrap_or_default().to_string(), r["reason"].as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compressed_and_run_length_bombs_are_refused_before_they_grow() {
    let server = Server::start(&[]).await;
    server.add_user("julie@example.fr", Role::Rep, None).await;
    let device = Uuid::now_v7();
    let token = server.login("julie@example.fr", device).await;
    let idle = server.memory_kib();

    // A compressed change chunk that inflates to 512 MiB.
    let bomb = crm_doc::wire::compressed_bomb(512 << 20);
    assert!(bomb.len() < 1 << 20, "the bomb is small: {} bytes", bomb.len());
    let started = std::time::Instant::now();
    let (status, answer) = server.push(&token, &[(Uuid::now_v7(), bomb)]).await;
    assert_eq!(status, 200, "{answer}");
    let (code, reason) = rejection(&answer);
    assert_eq!(code, "malformed");
    assert!(reason.contains("compressed"), "{reason}");
    assert!(started.elapsed().as_secs() < 10, "refused without inflating: {:?}", started.elapsed());

    // A change whose columns declare a billion operations in a few bytes.
    let (status, answer) =
        server.push(&token, &[(Uuid::now_v7(), crm_doc::wire::run_length_bomb(1_000_000_000))]).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(rejection(&answer).0, "too_large", "{answer}");

    // A good change in the same batch as both is stored.
    let good = account("Garage Moreau", Some(&server.user_id("julie@example.fr").await));
    let batch = [
        (Uuid::now_v7(), crm_doc::wire::compressed_bomb(64 << 20)),
        (good.id.0, creation(&good, device)),
        (Uuid::now_v7(), crm_doc::wire::run_length_bomb(i64::from(u32::MAX))),
    ];
    let (_, answer) = server.push(&token, &batch).await;
    assert_eq!(answer["acked"].as_array().unwrap().len(), 1, "{answer}");
    assert_eq!(answer["rejected"].as_array().unwrap().len(), 2, "{answer}");

    server.assert_healthy_within(idle, MAX_GROWTH_KIB).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compressed_bodies_stop_at_each_routes_limit_and_strangers_get_a_few_kib() {
    let server = Server::start(&[]).await;
    server.add_user("julie@example.fr", Role::Rep, None).await;
    let token = server.login("julie@example.fr", Uuid::now_v7()).await;
    let idle = server.memory_kib();

    // 4 GiB of zeros, compressed to a few hundred KiB, on the sync route: 413 at 16 MiB.
    let body = forge::zstd_zeros(4 << 30);
    let (status, message) = server.raw("POST", "/v1/sync", Some(&token), Some("zstd"), body).await;
    assert_eq!(status, 413, "{message}");
    assert!(message.contains("16 MiB"), "{message}");

    // Before logging in: a few KiB at most, compressed or not.
    let big_login = serde_json::to_vec(&json!({
        "email": "julie@example.fr", "password": "x".repeat(300_000),
        "device_id": Uuid::now_v7(), "device_name": "pc"
    }))
    .unwrap();
    let (status, message) = server.raw("POST", "/v1/login", None, None, big_login.clone()).await;
    assert_eq!(status, 413, "{message}");
    assert!(message.contains("8 KiB"), "{message}");
    let (status, _) =
        server.raw("POST", "/v1/login", None, Some("zstd"), zstd::encode_all(&big_login[..], 3).unwrap()).await;
    assert_eq!(status, 413);
    let (status, _) = server.raw("POST", "/v1/login", None, Some("zstd"), forge::zstd_zeros(1 << 30)).await;
    assert_eq!(status, 413);
    let (status, _) = server
        .raw(
            "POST",
            "/v1/password",
            Some(&token),
            None,
            serde_json::to_vec(&json!({"current": "x".repeat(20_000), "new": "y"})).unwrap(),
        )
        .await;
    assert_eq!(status, 413);

    server.assert_healthy_within(idle, MAX_GROWTH_KIB).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stops_arriving_is_dropped_and_many_parallel_pushes_wait_their_turn() {
    let server = Server::start(&["--body-timeout-secs", "10"]).await;
    server.add_user("julie@example.fr", Role::Rep, None).await;
    let device = Uuid::now_v7();
    let token = server.login("julie@example.fr", device).await;
    let idle = server.memory_kib();

    // 16 clients each push 3 MiB of visit reports at once: memory stays bounded because
    // only a few syncs are served at a time and the others wait, their bodies unread
    // (the worst case, with the largest bodies, is in BENCHMARKS.md).
    let user = server.user_id("julie@example.fr").await;
    let acct = account("Garage Moreau", Some(&user));
    server.push(&token, &[(acct.id.0, creation(&acct, device))]).await;
    let reports: Vec<(Uuid, Vec<u8>)> = (0..16)
        .map(|i| {
            let mut r = Record::new(RecordId(Uuid::now_v7()), RecordType::Activity);
            r.fields.insert("account".into(), FieldValue::Text(acct.id.to_string()));
            r.fields.insert("kind".into(), "visit".into());
            r.fields.insert("at".into(), "2026-03-14T09:30:00+01:00".into());
            r.fields.insert("owner".into(), FieldValue::Text(user.clone()));
            let body: String = (0..150_000).map(|k| char::from(b'a' + ((k * 7 + i * 3) % 26) as u8)).collect();
            r.fields.insert("body".into(), FieldValue::Text(body));
            (r.id.0, creation(&r, device))
        })
        .collect();
    let reports = std::sync::Arc::new(reports);
    let mut pushes = Vec::new();
    for _ in 0..16 {
        let (url, token, reports) = (server.url.clone(), token.clone(), reports.clone());
        pushes.push(tokio::spawn(async move { forge::push_to(&url, &token, &reports).await }));
    }
    let mut served = 0;
    for p in pushes {
        let (status, answer) = p.await.unwrap();
        match status {
            200 => {
                served += 1;
                assert_eq!(answer["acked"].as_array().unwrap().len(), 16, "stored once, acknowledged to all");
            }
            // Waited too long for a turn: told to come back, not left hanging.
            503 => assert_eq!(answer["code"], "busy", "{answer}"),
            _ => panic!("{status}: {answer}"),
        }
    }
    assert!(served >= 1, "the pushes were served in turn");
    server.assert_healthy_within(idle, MAX_GROWTH_KIB * 3).await;

    // A body that stops halfway: dropped after the idle limit (10 s here, 30 s by
    // default), not held forever; the answer is a 4xx or a closed connection.
    let started = std::time::Instant::now();
    let status = forge::stalled_body(&server.url, &token).await;
    assert!(status == 0 || (400..500).contains(&status), "{status}");
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_cannot_be_forged_by_another_device_id_an_author_or_a_stage_move() {
    let server = Server::start(&[]).await;
    server.add_user("marc@example.fr", Role::Manager, None).await;
    server.add_user("julie@example.fr", Role::Rep, Some("marc@example.fr")).await;
    let julie_device = Uuid::now_v7();
    let marc_device = Uuid::now_v7();
    let julie = server.login("julie@example.fr", julie_device).await;
    let marc = server.login("marc@example.fr", marc_device).await;
    let julie_id = server.user_id("julie@example.fr").await;
    let marc_id = server.user_id("marc@example.fr").await;

    // Julie's account, created honestly.
    let acct = account("Garage Moreau", Some(&julie_id));
    let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&julie_device), &acct, 1).unwrap();
    let (_, answer) = server.push(&julie, &[(acct.id.0, doc.all_changes()[0].raw_bytes().to_vec())]).await;
    assert_eq!(answer["acked"].as_array().unwrap().len(), 1, "{answer}");

    // A change written under Marc's device id, sent by Julie: refused.
    let mut forged = RecordDoc::load(&doc.save(), &DeviceActor::from_device_id(&marc_device)).unwrap();
    let change = forged.edit(&[("city".to_string(), Some(FieldValue::from("Amiens")))].into(), 2).unwrap().unwrap();
    let (_, answer) = server.push(&julie, &[(acct.id.0, change.raw_bytes().to_vec())]).await;
    let (code, reason) = rejection(&answer);
    assert_eq!(code, "forbidden", "{answer}");
    assert!(reason.contains("another device"), "{reason}");
    // Marc's own next change (the sequence number Julie tried to take) goes through.
    let mut his = RecordDoc::load(&doc.save(), &DeviceActor::from_device_id(&marc_device)).unwrap();
    let change = his.edit(&[("city".to_string(), Some(FieldValue::from("Abbeville")))].into(), 3).unwrap().unwrap();
    let (_, answer) = server.push(&marc, &[(acct.id.0, change.raw_bytes().to_vec())]).await;
    assert_eq!(answer["acked"].as_array().unwrap().len(), 1, "{answer}");
    // The log credits each change to the device that sent it.
    let log = server.log_of(acct.id.0).await;
    assert_eq!(log, vec![julie_device.to_string(), marc_device.to_string()]);

    // A visit report signed with Marc's name: refused. Unsigned: the server signs it.
    let mut report = Record::new(RecordId(Uuid::now_v7()), RecordType::Activity);
    report.fields.insert("account".into(), FieldValue::Text(acct.id.to_string()));
    report.fields.insert("kind".into(), "visit".into());
    report.fields.insert("at".into(), "2026-03-14T09:30:00+01:00".into());
    let mut signed = report.clone();
    signed.fields.insert("owner".into(), FieldValue::Text(marc_id.clone()));
    let (_, answer) = server.push(&julie, &[(signed.id.0, creation(&signed, julie_device))]).await;
    assert_eq!(rejection(&answer).0, "forbidden", "{answer}");
    let (_, answer) = server.push(&julie, &[(report.id.0, creation(&report, julie_device))]).await;
    assert_eq!(answer["acked"].as_array().unwrap().len(), 1, "{answer}");
    assert_eq!(server.stored_field(report.id.0, "owner").await.as_deref(), Some(julie_id.as_str()));

    // A deal whose stage history names Marc, or a move dated next year: refused.
    for item in [format!("2026-09-01T10:00:00Z won {marc_id}"), format!("2099-01-01T10:00:00Z won {julie_id}")] {
        let mut deal = Record::new(RecordId(Uuid::now_v7()), RecordType::Deal);
        for (k, v) in [("account", acct.id.to_string()), ("title", "Flotte".into()), ("deal_type", "simple".into())] {
            deal.fields.insert(k.into(), FieldValue::Text(v));
        }
        deal.fields.insert("stage".into(), "won".into());
        deal.fields.insert("owner".into(), FieldValue::Text(julie_id.clone()));
        deal.fields.insert("stage_history".into(), FieldValue::Set(vec![item]));
        let (_, answer) = server.push(&julie, &[(deal.id.0, creation(&deal, julie_device))]).await;
        assert_eq!(rejection(&answer).0, "forbidden", "{answer}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_carry_only_their_schema_and_no_more_than_the_size_cap() {
    let server = Server::start(&["--max-record-kib", "256"]).await;
    server.add_user("julie@example.fr", Role::Rep, None).await;
    let device = Uuid::now_v7();
    let token = server.login("julie@example.fr", device).await;
    let julie_id = server.user_id("julie@example.fr").await;
    let acct = account("Garage Moreau", Some(&julie_id));
    let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&device), &acct, 1).unwrap();
    server.push(&token, &[(acct.id.0, doc.all_changes()[0].raw_bytes().to_vec())]).await;

    // A 200 KB payload under a key no account has, removed in the same change.
    let hidden = forge::raw_change(&doc.save(), device, |d| {
        use automerge::transaction::Transactable;
        d.put(automerge::ROOT, "payload", "x".repeat(200_000)).unwrap();
        d.delete(automerge::ROOT, "payload").unwrap();
    });
    let (_, answer) = server.push(&token, &[(acct.id.0, hidden)]).await;
    let (code, reason) = rejection(&answer);
    assert_eq!(code, "invalid");
    assert!(reason.contains("payload"), "{reason}");
    // A nested map inside the tags.
    let nested = forge::raw_change(&doc.save(), device, |d| {
        use automerge::ReadDoc;
        use automerge::transaction::Transactable;
        let (_, tags) = d.get(automerge::ROOT, "tags").unwrap().unwrap();
        d.put_object(&tags, "vip", automerge::ObjType::Map).unwrap();
    });
    let (_, answer) = server.push(&token, &[(acct.id.0, nested)]).await;
    assert_eq!(rejection(&answer).0, "invalid", "{answer}");

    // A visit report that grows push after push: refused as too large past the cap.
    let mut report = Record::new(RecordId(Uuid::now_v7()), RecordType::Activity);
    report.fields.insert("account".into(), FieldValue::Text(acct.id.to_string()));
    report.fields.insert("kind".into(), "visit".into());
    report.fields.insert("at".into(), "2026-03-14T09:30:00+01:00".into());
    report.fields.insert("owner".into(), FieldValue::Text(julie_id.clone()));
    let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&device), &report, 1).unwrap();
    let (_, answer) = server.push(&token, &[(report.id.0, doc.all_changes()[0].raw_bytes().to_vec())]).await;
    assert_eq!(answer["acked"].as_array().unwrap().len(), 1, "{answer}");
    // Written on and on (and cut at the start, to stay within the field's length).
    let mut raw = automerge::AutoCommit::load(&doc.save()).unwrap().with_actor(DeviceActor::from_device_id(&device).0);
    let body = {
        use automerge::ReadDoc;
        raw.get(automerge::ROOT, "body").unwrap().unwrap().1
    };
    let mut seed = 11u64;
    let mut last = Value::Null;
    for _ in 0..80 {
        use automerge::ReadDoc;
        use automerge::transaction::Transactable;
        let words: String = (0..10_000)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                char::from(b'a' + (seed >> 59) as u8 % 26)
            })
            .collect();
        let len = raw.length(&body);
        raw.splice_text(&body, len, 0, &words).unwrap();
        if len > 150_000 {
            raw.splice_text(&body, 0, 100_000, "").unwrap();
        }
        raw.commit();
        let change = raw.get_last_local_change().unwrap().raw_bytes().to_vec();
        let (_, answer) = server.push(&token, &[(report.id.0, change)]).await;
        last = answer;
        if !last["rejected"].as_array().unwrap().is_empty() {
            break;
        }
    }
    let (code, reason) = rejection(&last);
    assert_eq!(code, "too_large", "{last}");
    assert!(reason.contains("256 KiB"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_cursor_and_no_refusal_yields_a_record_outside_the_users_scope() {
    let server = Server::start(&[]).await;
    server.add_user("marc@example.fr", Role::Manager, None).await;
    server.add_user("julie@example.fr", Role::Rep, Some("marc@example.fr")).await;
    server.add_user("paul@example.fr", Role::Rep, Some("marc@example.fr")).await;
    server.add_user("zoe@example.fr", Role::Rep, None).await;
    let (jd, md, zd) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let julie = server.login("julie@example.fr", jd).await;
    let marc = server.login("marc@example.fr", md).await;
    let zoe = server.login("zoe@example.fr", zd).await;
    let julie_id = server.user_id("julie@example.fr").await;
    let paul_id = server.user_id("paul@example.fr").await;
    let zoe_id = server.user_id("zoe@example.fr").await;

    // Julie's accounts; Marc hands two of them to Paul (scope entries in the log).
    let mut foreign = std::collections::BTreeSet::new();
    for n in 0..4 {
        let acct = account(&format!("Client {n}"), Some(&julie_id));
        let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&jd), &acct, 1).unwrap();
        server.push(&julie, &[(acct.id.0, doc.all_changes()[0].raw_bytes().to_vec())]).await;
        if n < 2 {
            let mut his = RecordDoc::load(&doc.save(), &DeviceActor::from_device_id(&md)).unwrap();
            let change = his.edit(&[("owner".to_string(), Some(FieldValue::Text(paul_id.clone())))].into(), 2);
            let (_, answer) = server.push(&marc, &[(acct.id.0, change.unwrap().unwrap().raw_bytes().to_vec())]).await;
            assert_eq!(answer["acked"].as_array().unwrap().len(), 1, "{answer}");
        }
        foreign.insert(acct.id.to_string());
    }
    // Zoé's own account.
    let hers = account("Chez Zoé", Some(&zoe_id));
    server.push(&zoe, &[(hers.id.0, creation(&hers, zd))]).await;
    let head = server.head(&zoe).await;

    // Every cursor from 0 to the head, and made-up ones: Zoé learns nothing of the others.
    for cursor in (0..=head).chain([head + 1, head + 1_000, i64::MAX as u64]) {
        let (status, answer) = server.sync(&zoe, json!({"cursor": cursor})).await;
        assert_eq!(status, 200, "cursor {cursor}: {answer}");
        let text = answer.to_string();
        for id in &foreign {
            assert!(!text.contains(id.as_str()), "cursor {cursor} leaks {id}: {text}");
        }
        if cursor > head {
            assert_eq!(answer["resend"], true, "a cursor beyond the log without proof: only this device starts over");
        }
    }
    for cursor in ["-1", "18446744073709551615", "1e3", "\"7\""] {
        let (status, _) = server.sync_raw(&zoe, &format!(r#"{{"cursor": {cursor}}}"#)).await;
        assert_eq!(status, 400, "cursor {cursor}");
    }
    // One device's made-up cursor does not start a new epoch for everyone.
    let (_, before) = server.sync(&julie, json!({"cursor": head})).await;
    let (_, after) = server.sync(&zoe, json!({"cursor": head + 50, "cursor_proof": "00".repeat(32)})).await;
    assert_eq!(after["resend"], true);
    let (_, again) = server.sync(&julie, json!({"cursor": head})).await;
    assert_eq!(before["epoch"], again["epoch"], "the company's epoch did not move");
    // A made-up cursor with a proof of another cursor is no proof either.
    let proof = again["cursor_proof"].as_str().unwrap().to_string();
    let (_, forged) = server.sync(&zoe, json!({"cursor": head + 50, "cursor_proof": proof})).await;
    assert_eq!(forged["resend"], true);

    // Julie's device, which held the two accounts before they moved, is told to drop
    // them; Zoé never is, whatever her cursor.
    let (_, answer) = server.sync(&julie, json!({"cursor": 1})).await;
    let drops: Vec<&str> = answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "drop")
        .map(|i| i["doc"].as_str().unwrap())
        .collect();
    assert_eq!(drops.len(), 2, "{answer}");

    // Pushing to a record she may not read: `forbidden`, nothing else, whatever the change.
    let target: Uuid = foreign.iter().next().unwrap().parse().unwrap();
    let mut r = Record::new(RecordId(target), RecordType::Account);
    r.fields.insert("name".into(), "x".into());
    r.fields.insert("kind".into(), "not-a-kind".into());
    let (_, answer) = server.push(&zoe, &[(target, forge::unchecked_creation(&r, zd))]).await;
    assert_eq!(
        rejection(&answer),
        ("forbidden".to_string(), "this record is outside what you may see (it may have been reassigned)".to_string())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_colleagues_contract_cannot_be_taken_in_advance() {
    let server = Server::start(&[]).await;
    server.add_user("julie@example.fr", Role::Rep, None).await;
    server.add_user("paul@example.fr", Role::Rep, None).await;
    let (jd, pd) = (Uuid::now_v7(), Uuid::now_v7());
    let julie = server.login("julie@example.fr", jd).await;
    let paul = server.login("paul@example.fr", pd).await;
    let julie_id = server.user_id("julie@example.fr").await;
    let paul_id = server.user_id("paul@example.fr").await;
    let acct = account("Garage Moreau", Some(&julie_id));
    server.push(&julie, &[(acct.id.0, creation(&acct, jd))]).await;
    let mut deal = Record::new(RecordId(Uuid::now_v7()), RecordType::Deal);
    for (k, v) in [("account", acct.id.to_string()), ("title", "Flotte".into()), ("deal_type", "simple".into())] {
        deal.fields.insert(k.into(), FieldValue::Text(v));
    }
    deal.fields.insert("stage".into(), "prospect".into());
    deal.fields.insert("owner".into(), FieldValue::Text(julie_id.clone()));
    server.push(&julie, &[(deal.id.0, creation(&deal, jd))]).await;

    // Paul computes the id of the contract Julie's deal will create, and takes it.
    let contract_id = RecordId::contract_of_deal(deal.id);
    for claimed_deal in [Some(deal.id.to_string()), None, Some(Uuid::now_v7().to_string())] {
        let mut squat = Record::new(contract_id, RecordType::Contract);
        for (k, v) in [("account", acct.id.to_string()), ("status", "draft".into()), ("start", "2027-01-01".into())] {
            squat.fields.insert(k.into(), FieldValue::Text(v));
        }
        squat.fields.insert("owner".into(), FieldValue::Text(paul_id.clone()));
        if let Some(d) = claimed_deal {
            squat.fields.insert("deal".into(), FieldValue::Text(d));
        }
        let (_, answer) = server.push(&paul, &[(contract_id.0, creation(&squat, pd))]).await;
        assert!(answer["acked"].as_array().unwrap().is_empty(), "{answer}");
    }
    // Julie wins her deal: its contract is hers.
    let mut contract = Record::new(contract_id, RecordType::Contract);
    for (k, v) in [
        ("account", acct.id.to_string()),
        ("deal", deal.id.to_string()),
        ("status", "draft".into()),
        ("start", "2027-01-01".into()),
        ("owner", julie_id.clone()),
    ] {
        contract.fields.insert(k.into(), FieldValue::Text(v));
    }
    let (_, answer) = server.push(&julie, &[(contract_id.0, creation(&contract, jd))]).await;
    assert_eq!(answer["acked"].as_array().unwrap().len(), 1, "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_passwords_in_parallel_is_counted_before_any_check() {
    // Behind a proxy: the client's address comes from X-Forwarded-For.
    let server = Server::start(&["--trust-forwarded"]).await;
    server.add_user("julie@example.fr", Role::Rep, None).await;
    let mut tries = Vec::new();
    for _ in 0..30 {
        let url = server.url.clone();
        tries.push(tokio::spawn(async move {
            forge::login_from(&url, "julie@example.fr", "wrong-password", "203.0.113.7").await.0
        }));
    }
    let mut statuses = Vec::new();
    for t in tries {
        statuses.push(t.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(checked <= 5, "at most 5 passwords were checked: {statuses:?}");
    assert_eq!(checked + refused, 30, "{statuses:?}");
    // The stranger is stopped; Julie, from her own address, logs in.
    assert_eq!(forge::login_from(&server.url, "julie@example.fr", "wrong-password", "203.0.113.7").await.0, 429);

    // The password change is throttled too, and each wrong try is in the security log.
    let token = server.login("julie@example.fr", Uuid::now_v7()).await;
    let mut last = 0;
    for _ in 0..7 {
        let body = serde_json::to_vec(&json!({"current": "not-it", "new": "a-new-password"})).unwrap();
        last = server.raw("POST", "/v1/password", Some(&token), None, body).await.0;
    }
    assert_eq!(last, 429);
    assert!(server.audit_count("password_change_failed").await >= 5);

    // Logging in again ends the device's older tokens; a token refreshes once.
    let device = Uuid::now_v7();
    let first = server.login("julie@example.fr", device).await;
    let second = server.login("julie@example.fr", device).await;
    assert_eq!(server.sync(&first, json!({"cursor": 0})).await.0, 401, "the older token ended");
    assert_eq!(server.sync(&second, json!({"cursor": 0})).await.0, 200);
    let mut refreshes = Vec::new();
    for _ in 0..5 {
        let (url, token) = (server.url.clone(), second.clone());
        refreshes.push(tokio::spawn(async move { forge::refresh(&url, &token).await }));
    }
    let mut ok = 0;
    for r in refreshes {
        if r.await.unwrap() == 200 {
            ok += 1;
        }
    }
    assert_eq!(ok, 1, "one refresh per token, even in parallel");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_guessing_from_one_address_does_not_lock_out_the_user_at_another() {
    // No proxy: the server tells clients apart by their own address (127.0.0.x here).
    let server = Server::start(&[]).await;
    server.add_user("julie@example.fr", Role::Rep, None).await;
    server.add_user("paul@example.fr", Role::Rep, None).await;
    let stranger = [127, 0, 0, 2];
    for _ in 0..5 {
        assert_eq!(forge::login_from_peer(&server.url, "julie@example.fr", "guess", stranger).await.0, 401);
    }
    assert_eq!(forge::login_from_peer(&server.url, "julie@example.fr", "guess", stranger).await.0, 429);
    // Julie at her own address, and Paul next to the stranger, log in.
    assert_eq!(forge::login_from_peer(&server.url, "julie@example.fr", forge::PASSWORD, [127, 0, 0, 3]).await.0, 200);
    assert_eq!(forge::login_from_peer(&server.url, "paul@example.fr", forge::PASSWORD, stranger).await.0, 200);
    // The security log names the address of the failures.
    let db = crm_server::db::Db::connect(&server.database_url()).await.unwrap();
    let failures: Vec<_> =
        db.audit_log(100).await.unwrap().into_iter().filter(|e| e.action == "login_failed").collect();
    assert!(!failures.is_empty() && failures.iter().all(|e| e.detail == "127.0.0.2"), "{failures:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_names_calendar_feeds_and_attachments_hold() {
    let server = Server::start(&["--blob-quota-mib", "1"]).await;
    server.add_user("marc@example.fr", Role::Manager, None).await;
    let device = Uuid::now_v7();
    let token = server.login("marc@example.fr", device).await;
    let marc_id = server.user_id("marc@example.fr").await;

    // A product naming an attachment with a path in it: refused.
    for name in ["../../../home/marc/.bashrc", "..\\..\\evil.exe", &format!("{}.JPG", "a".repeat(64))] {
        let mut product = Record::new(RecordId(Uuid::now_v7()), RecordType::Product);
        for (k, v) in [("reference", "SRV-0001"), ("designation", "Maintenance"), ("price", "10.00")] {
            product.fields.insert(k.into(), FieldValue::from(v));
        }
        // Built by hand: the product's own validation would not write it.
        product.fields.insert("media".into(), FieldValue::Set(vec![name.to_string()]));
        let change = forge::unchecked_creation(&product, device);
        let (_, answer) = server.push(&token, &[(product.id.0, change)]).await;
        assert_eq!(rejection(&answer).0, "invalid", "{name}: {answer}");
    }

    // Attachments: within the quota, then refused; unnamed ones are collected.
    let one = vec![1u8; 700 * 1024];
    let two = vec![2u8; 700 * 1024];
    assert_eq!(server.put_blob(&token, &one).await, 201);
    assert_eq!(server.put_blob(&token, &two).await, 413, "over the 1 MiB quota");
    assert_eq!(server.collect_blobs_after_a_day().await, 1, "nothing names the first attachment");
    assert_eq!(server.put_blob(&token, &two).await, 201, "room again");

    // The calendar feed: no deleted event; gone with a password change.
    let mut event = Record::new(RecordId(Uuid::now_v7()), RecordType::Event);
    for (k, v) in [("title", "Salon"), ("start", "2027-03-01T09:00:00+01:00"), ("end", "2027-03-01T18:00:00+01:00")] {
        event.fields.insert(k.into(), FieldValue::from(v));
    }
    event.fields.insert("owner".into(), FieldValue::Text(marc_id.clone()));
    let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&device), &event, 1).unwrap();
    server.push(&token, &[(event.id.0, doc.all_changes()[0].raw_bytes().to_vec())]).await;
    let feed = server.calendar_feed(&token).await;
    assert!(server.get_text(&feed).await.1.contains("Salon"));
    let deleted = doc.edit(&[("deleted".to_string(), Some(FieldValue::from("yes")))].into(), 2).unwrap().unwrap();
    server.push(&token, &[(event.id.0, deleted.raw_bytes().to_vec())]).await;
    assert!(!server.get_text(&feed).await.1.contains("Salon"), "a deleted event leaves the feed");
    let body = serde_json::to_vec(&json!({"current": forge::PASSWORD, "new": "another-long-password"})).unwrap();
    assert_eq!(server.raw("POST", "/v1/password", Some(&token), None, body).await.0, 204);
    assert_eq!(server.get_text(&feed).await.0, 404, "the feed dies with the password");
}
