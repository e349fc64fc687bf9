//! Raw protocol checks: re-sending a push changes nothing; bad items are refused alone;
//! old clients are told to update.

use crm_core::{FieldValue, Record, RecordId, RecordType};
use crm_doc::{DeviceActor, RecordDoc};
use crm_protocol::{Bytes, PushedChange, SyncRequest, SyncResponse};
use crm_tests::{Backend, PASSWORD, TestServer, on_both_backends};
use serde_json::json;

async fn login(server: &TestServer, email: &str) -> (String, uuid::Uuid) {
    let device = uuid::Uuid::now_v7();
    (server.raw_login(email, device).await, device)
}

async fn sync(server: &TestServer, token: &str, req: &SyncRequest) -> SyncResponse {
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/sync", server.url))
        .header("x-crm-protocol", "1")
        .bearer_auth(token)
        .json(req)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

fn account_changes(device: uuid::Uuid, name: &str) -> (uuid::Uuid, Vec<PushedChange>) {
    let id = RecordId(uuid::Uuid::now_v7());
    let mut record = Record::new(id, RecordType::Account);
    record.fields.insert("name".into(), FieldValue::from(name));
    record.fields.insert("kind".into(), FieldValue::from("customer"));
    let actor = DeviceActor::from_device_id(&device);
    let mut doc = RecordDoc::create(&actor, &record, 0).unwrap();
    let edit = [("city".to_string(), Some(FieldValue::from("Lyon")))].into_iter().collect();
    doc.edit(&edit, 1).unwrap();
    let changes = doc
        .all_changes()
        .into_iter()
        .map(|c| PushedChange { doc: id.0, data: Bytes(c.raw_bytes().to_vec()) })
        .collect();
    (id.0, changes)
}

async fn change_count(server: &TestServer) -> i64 {
    use sqlx::Row;
    let db = server.db().await;
    let n = sqlx::query("SELECT COUNT(*) AS n FROM changes").fetch_one(db.pool()).await.unwrap().try_get("n").unwrap();
    db.close().await;
    n
}

async fn re_sending_the_same_push_changes_nothing(backend: Backend) {
    let server = TestServer::start(backend).await;
    server.add_user("julie@example.fr", crm_core::Role::Admin).await;
    let (token, device) = login(&server, "julie@example.fr").await;
    let (_, changes) = account_changes(device, "Boulangerie Martin");
    let req = SyncRequest { cursor: 0, changes, ..Default::default() };

    let first = sync(&server, &token, &req).await;
    assert_eq!(first.acked.len(), 2);
    assert!(first.rejected.is_empty());
    let head = first.head;
    let stored = change_count(&server).await;

    // The response was lost: the device sends the very same push again.
    let second = sync(&server, &token, &req).await;
    assert_eq!(second.acked, first.acked, "the same changes are acknowledged again");
    assert_eq!(second.head, head, "no new log entries");
    assert_eq!(change_count(&server).await, stored);
}
on_both_backends!(re_sending_the_same_push_changes_nothing);

async fn a_bad_change_is_refused_alone_and_the_rest_of_the_batch_is_stored(backend: Backend) {
    let server = TestServer::start(backend).await;
    server.add_user("julie@example.fr", crm_core::Role::Admin).await;
    let (token, device) = login(&server, "julie@example.fr").await;
    let (good_doc, mut changes) = account_changes(device, "Boulangerie Martin");
    changes.push(PushedChange { doc: uuid::Uuid::now_v7(), data: Bytes(b"not automerge".to_vec()) });
    // A valid change whose record would be invalid (no name).
    let (bad_doc, bad) = {
        let id = RecordId(uuid::Uuid::now_v7());
        let mut doc = automerge::AutoCommit::new().with_actor(automerge::ActorId::from(device.as_bytes().as_slice()));
        use automerge::transaction::Transactable;
        doc.put(automerge::ROOT, "_type", "account").unwrap();
        doc.put(automerge::ROOT, "_id", id.to_string()).unwrap();
        doc.put(automerge::ROOT, "kind", "customer").unwrap();
        doc.commit();
        let c = doc.get_changes(&[]).pop().unwrap();
        (id.0, PushedChange { doc: id.0, data: Bytes(c.raw_bytes().to_vec()) })
    };
    changes.push(bad);
    let resp = sync(&server, &token, &SyncRequest { cursor: 0, changes, ..Default::default() }).await;
    assert_eq!(resp.acked.len(), 2, "the good record's two changes are stored");
    assert_eq!(resp.rejected.len(), 2);
    let invalid = resp.rejected.iter().find(|r| r.doc == bad_doc).unwrap();
    assert_eq!(invalid.code, crm_protocol::RejectCode::Invalid);
    assert!(invalid.reason.contains("name"), "{}", invalid.reason);
    assert!(resp.rejected.iter().any(|r| r.code == crm_protocol::RejectCode::Malformed));

    // Another device receives the good record only.
    let (token2, _) = login(&server, "julie@example.fr").await;
    let pulled = sync(&server, &token2, &SyncRequest::default()).await;
    assert_eq!(pulled.items.len(), 1);
    assert!(matches!(&pulled.items[0], crm_protocol::PulledItem::Snapshot { doc, .. } if *doc == good_doc));
}
on_both_backends!(a_bad_change_is_refused_alone_and_the_rest_of_the_batch_is_stored);

#[tokio::test]
async fn an_old_client_is_told_to_update_and_a_bad_body_gets_a_reason() {
    let server = TestServer::start(Backend::Sqlite).await;
    let http = reqwest::Client::new();
    let resp = http
        .post(format!("{}/v1/sync", server.url))
        .header("x-crm-protocol", "0")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 426);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "protocol_unsupported");
    assert!(body["message"].as_str().unwrap().contains("please update"), "{body}");

    let resp = http
        .post(format!("{}/v1/login", server.url))
        .header("x-crm-protocol", "1")
        .header("content-type", "application/json")
        .body("{\"email\": 3")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("not valid"), "{body}");

    let resp = http
        .post(format!("{}/v1/sync", server.url))
        .header("x-crm-protocol", "1")
        .json(&json!({"cursor": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401, "no token, no data");
}

#[tokio::test]
async fn a_no_op_sync_is_one_small_request() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let device = server.client("julie@example.fr").await;
    for i in 0..50 {
        device
            .client
            .create(
                RecordType::Account,
                [
                    ("name".to_string(), FieldValue::from(format!("Client {i}").as_str())),
                    ("kind".to_string(), FieldValue::from("customer")),
                ]
                .into_iter()
                .collect(),
            )
            .unwrap();
    }
    device.sync().await;
    let report = device.sync().await;
    assert_eq!(report.requests, 1);
    assert_eq!((report.pushed, report.pulled), (0, 0));

    // The same exchange by hand, to see its size on the wire.
    let (token, _) = login(&server, "julie@example.fr").await;
    let cursor = sync(&server, &token, &SyncRequest::default()).await.cursor;
    let body = serde_json::to_vec(&SyncRequest { cursor, ..Default::default() }).unwrap();
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/sync", server.url))
        .header("x-crm-protocol", "1")
        .header("content-type", "application/json")
        .bearer_auth(&token)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let answer = resp.bytes().await.unwrap();
    assert!(body.len() + answer.len() < 1024, "request {} B + response {} B", body.len(), answer.len());
}

#[tokio::test]
async fn with_the_server_down_sync_says_so_and_local_data_is_untouched() {
    let mut server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let device = server.client("julie@example.fr").await;
    server.stop().await;
    let a = device
        .client
        .create(
            RecordType::Account,
            [
                ("name".to_string(), FieldValue::from("Hors ligne SA")),
                ("kind".to_string(), FieldValue::from("prospect")),
            ]
            .into_iter()
            .collect(),
        )
        .unwrap();
    let err = device.client.sync(|_| {}).await.unwrap_err();
    assert!(err.is_offline());
    assert!(err.to_string().starts_with("Cannot reach the server"), "{err}");
    let status = device.client.status().unwrap();
    assert_eq!(status.pending, 1);
    assert!(!status.online);
    assert_eq!(device.client.get(a["id"].as_str().unwrap()).unwrap()["name"], "Hors ligne SA");
}

#[tokio::test]
async fn a_disabled_user_can_no_longer_sync_and_keeps_local_data() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let device = server.client("julie@example.fr").await;
    device
        .client
        .create(
            RecordType::Account,
            [("name".to_string(), FieldValue::from("Cave Dubois")), ("kind".to_string(), FieldValue::from("partner"))]
                .into_iter()
                .collect(),
        )
        .unwrap();
    let db = server.db().await;
    db.set_user_disabled("julie@example.fr", true).await.unwrap();
    let err = device.client.sync(|_| {}).await.unwrap_err();
    assert!(err.to_string().contains("disabled"), "{err}");
    assert_eq!(device.client.status().unwrap().pending, 1, "nothing local is lost");
    db.set_user_disabled("julie@example.fr", false).await.unwrap();
    assert_eq!(device.sync().await.pushed, 1);
}

#[tokio::test]
async fn a_revoked_device_erases_its_data_at_its_next_connection() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let office = server.client("julie@example.fr").await;
    let lost = server.client("julie@example.fr").await;
    let name = "Quincaillerie Zéphyrin";
    office
        .client
        .create(
            RecordType::Account,
            [("name".to_string(), FieldValue::from(name)), ("kind".to_string(), FieldValue::from("customer"))]
                .into_iter()
                .collect(),
        )
        .unwrap();
    office.sync().await;
    lost.sync().await;
    assert_eq!(lost.client.list(RecordType::Account).unwrap().len(), 1);

    let devices = office.client.devices().await.unwrap();
    assert_eq!(devices.len(), 2);
    assert_eq!(devices.iter().filter(|d| d.current).count(), 1, "this device is marked");
    let lost_id = lost.client.status().unwrap().device_id;
    office.client.revoke_device(&lost_id).await.unwrap();

    let err = lost.client.sync(|_| {}).await.unwrap_err();
    assert!(matches!(err, crm_client::ClientError::DeviceRevoked), "{err}");
    assert!(lost.client.list(RecordType::Account).unwrap().is_empty());
    assert!(!lost.client.status().unwrap().logged_in);
    // No byte of the customer's name stays in any file of the data directory.
    let holding = crm_tests::files_holding(lost.dir.path(), name);
    assert!(holding.is_empty(), "{holding:?} still hold the name");
    let again = office.client.devices().await.unwrap();
    assert!(again.iter().any(|d| d.id == lost_id && d.revoked));
}

#[tokio::test]
async fn repeated_wrong_passwords_are_slowed_down_with_a_clear_message() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let dir = tempfile::tempdir().unwrap();
    let client = crm_client::Client::open(dir.path()).unwrap();
    for _ in 0..5 {
        let err = client.login(&server.url, "julie@example.fr", "wrong-password", "d").await.unwrap_err();
        assert!(err.to_string().contains("wrong e-mail or password"), "{err}");
    }
    let err = client.login(&server.url, "julie@example.fr", PASSWORD, "d").await.unwrap_err();
    assert!(err.to_string().contains("too many failed logins"), "even the right password waits: {err}");
    let other_dir = tempfile::tempdir().unwrap();
    let other = crm_client::Client::open(other_dir.path()).unwrap();
    server.add_user("marc@example.fr", crm_core::Role::Rep).await;
    assert!(other.login(&server.url, "marc@example.fr", PASSWORD, "d").await.is_ok(), "other users are not affected");
}

#[tokio::test]
async fn a_password_change_ends_every_session_and_the_new_one_works() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let laptop = server.client("julie@example.fr").await;
    let phone = server.client("julie@example.fr").await;
    let err = laptop.client.change_password("not-the-password", "a-new-long-password").await.unwrap_err();
    assert!(err.to_string().contains("current password is wrong"), "{err}");
    laptop.client.change_password(PASSWORD, "a-new-long-password").await.unwrap();
    assert!(!laptop.client.status().unwrap().logged_in);
    let err = phone.client.sync(|_| {}).await.unwrap_err();
    assert!(err.to_string().contains("log in again"), "{err}");
    assert!(phone.client.login(&server.url, "julie@example.fr", PASSWORD, "d").await.is_err());
    phone.client.login(&server.url, "julie@example.fr", "a-new-long-password", "d").await.unwrap();
    phone.sync().await;
    let log = server.db().await.audit_log(10).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"password_changed") && actions.contains(&"login_failed"), "{actions:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_expire_and_a_device_that_syncs_refreshes_its_own() {
    let server = TestServer::start_with_token_ttl(Backend::Sqlite, Some(2_000)).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let busy = server.client("julie@example.fr").await;
    let idle = server.client("julie@example.fr").await;
    // Three syncs over more than the token's whole life: each refresh extends it.
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        busy.sync().await;
    }
    let err = idle.client.sync(|_| {}).await.unwrap_err();
    assert!(err.to_string().contains("log in again"), "an unused token expires: {err}");
}
