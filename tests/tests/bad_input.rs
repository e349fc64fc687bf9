//! Sync requests a real server must refuse with a reason while it keeps serving
//! everyone else: an oversize body, a truncated zstd body, a body that claims zstd and
//! is not, wrong protocol versions, and valid Automerge changes of documents that are not
//! CRM records (a foreign document, a record with fields of the wrong shape), pushed in
//! the same batch as a good change that must be stored.

use crm_core::{FieldValue, Record, RecordId, RecordType, Role};
use crm_doc::{DeviceActor, RecordDoc};
use crm_protocol::{Bytes, PushedChange, SyncRequest, SyncResponse};
use crm_tests::{Backend, TestServer};

/// The status and the `message` of an answer.
async fn answer(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    (status, body["message"].as_str().unwrap_or_default().to_string())
}

/// The status and the whole answer to a sync request with a body of `size` bytes,
/// read while the body is still being written (and whatever happens to the writing).
async fn oversize_answer(url: &str, token: &str, size: usize) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let stream = tokio::net::TcpStream::connect(url.trim_start_matches("http://")).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let head = format!(
        "POST /v1/sync HTTP/1.1\r\nhost: {}\r\nx-crm-protocol: 1\r\ncontent-type: application/json\r\n\
         authorization: Bearer {token}\r\ncontent-length: {size}\r\nconnection: close\r\n\r\n",
        url.trim_start_matches("http://")
    );
    let writer = tokio::spawn(async move {
        write.write_all(head.as_bytes()).await?;
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..size / chunk.len() {
            write.write_all(&chunk).await?;
        }
        Ok::<_, std::io::Error>(())
    });
    let mut answer = Vec::new();
    let read_all = read.read_to_end(&mut answer);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(30), read_all).await.expect("no answer");
    writer.abort();
    let text = String::from_utf8_lossy(&answer).to_string();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

/// A valid Automerge change of a document with `put` applied at its root.
fn foreign_change(device: &uuid::Uuid, put: impl FnOnce(&mut automerge::AutoCommit)) -> Vec<u8> {
    let mut doc = automerge::AutoCommit::new().with_actor(automerge::ActorId::from(device.as_bytes().as_slice()));
    put(&mut doc);
    doc.get_changes(&[]).last().unwrap().raw_bytes().to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_sync_bodies_get_a_reason_and_the_server_keeps_serving() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    let device = uuid::Uuid::now_v7();
    let token = server.raw_login("julie@example.fr", device).await;
    let http = reqwest::Client::new();
    let sync = || {
        http.post(format!("{}/v1/sync", server.url))
            .header("x-crm-protocol", "1")
            .header("content-type", "application/json")
            .bearer_auth(&token)
    };

    // Oversize: 40 MiB of JSON. The server answers before it has read the body and
    // closes the connection, so an HTTP client still writing would see a broken pipe
    // rather than the answer: the body is written on the side while the answer is read.
    let (status, message) = oversize_answer(&server.url, &token, 40 << 20).await;
    assert_eq!(status, 413, "{message}");
    assert!(message.contains("MiB"), "the limit is named: {message}");

    // Truncated compression: a valid zstd body cut in half.
    let body = serde_json::to_vec(&SyncRequest { cursor: 0, ..Default::default() }).unwrap();
    let mut compressed = zstd::encode_all(body.repeat(50).as_slice(), 3).unwrap();
    compressed.truncate(compressed.len() / 2);
    let (status, message) =
        answer(sync().header("content-encoding", "zstd").body(compressed).send().await.unwrap()).await;
    assert!((400..500).contains(&status), "{status} {message}");
    // Claims zstd, is plain JSON.
    let (status, _) = answer(sync().header("content-encoding", "zstd").body(body.clone()).send().await.unwrap()).await;
    assert!((400..500).contains(&status), "{status}");

    // Wrong protocol versions: told to update, whatever the version says.
    for version in ["0", "2", "999", "un"] {
        let response = http
            .post(format!("{}/v1/sync", server.url))
            .header("x-crm-protocol", version)
            .bearer_auth(&token)
            .json(&SyncRequest::default())
            .send()
            .await
            .unwrap();
        let (status, message) = answer(response).await;
        assert_eq!(status, 426, "version {version}");
        assert!(message.contains("update"), "{message}");
    }

    // Valid Automerge, foreign to the CRM, in one batch with a good change.
    let actor = DeviceActor::from_device_id(&device);
    let foreign_doc = uuid::Uuid::now_v7();
    let not_a_record = foreign_change(&device, |d| {
        use automerge::transaction::Transactable;
        d.put(automerge::ROOT, "titre", "pas un enregistrement").unwrap();
        d.put_object(automerge::ROOT, "liste", automerge::ObjType::List).unwrap();
    });
    let wrong_shape_doc = uuid::Uuid::now_v7();
    // Looks like an account (the keys a record document has), with a number for a name.
    let wrong_shape = foreign_change(&device, |d| {
        use automerge::transaction::Transactable;
        d.put(automerge::ROOT, "_id", wrong_shape_doc.to_string()).unwrap();
        d.put(automerge::ROOT, "_type", "account").unwrap();
        d.put(automerge::ROOT, "name", 42).unwrap();
        d.put(automerge::ROOT, "kind", "customer").unwrap();
    });
    let mut good = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Account);
    good.fields.insert("name".into(), FieldValue::from("Garage Moreau"));
    good.fields.insert("kind".into(), FieldValue::from("customer"));
    let good_change = RecordDoc::create(&actor, &good, 0).unwrap().all_changes().remove(0).raw_bytes().to_vec();
    let request = SyncRequest {
        cursor: 0,
        changes: vec![
            PushedChange { doc: foreign_doc, data: Bytes(not_a_record) },
            PushedChange { doc: wrong_shape_doc, data: Bytes(wrong_shape) },
            PushedChange { doc: good.id.0, data: Bytes(good_change) },
        ],
        ..Default::default()
    };
    let response: SyncResponse =
        sync().json(&request).send().await.unwrap().error_for_status().unwrap().json().await.unwrap();
    assert_eq!(response.acked.len(), 1, "the good change is stored: {:?}", response.rejected);
    assert_eq!(response.rejected.len(), 2);
    for r in &response.rejected {
        assert!(r.doc == foreign_doc || r.doc == wrong_shape_doc);
        assert!(!r.reason.is_empty(), "a reason for {}", r.doc);
    }

    // Still serving: a real device logs in, syncs, and receives the good record only.
    let other = server.client("julie@example.fr").await;
    let report = other.sync().await;
    assert_eq!(report.pulled, 1);
    assert_eq!(other.client.get(&good.id.to_string()).unwrap()["name"], "Garage Moreau");
}
