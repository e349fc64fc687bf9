//! A server restored from a backup older than what devices have synced: the devices
//! notice, send back what the server lost, and nothing is duplicated.

use crm_core::{FieldValue, RecordType, Role};
use crm_tests::fields;
use crm_tests::{Backend, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_give_back_what_a_restored_server_lost() {
    let mut server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    let laptop = server.client("julie@example.fr").await;
    let desktop = server.client("julie@example.fr").await;
    let before =
        laptop.client.create(RecordType::Account, fields(&[("name", "Avant la sauvegarde"), ("kind", "customer")]));
    let before = before.unwrap()["id"].as_str().unwrap().to_string();
    laptop.sync().await;
    desktop.sync().await;

    // The nightly backup, taken while the server runs.
    let file = server.database_url.strip_prefix("sqlite://").unwrap().to_string();
    let backup = std::path::Path::new(&file).with_file_name("backup.db");
    let db = server.db().await;
    db.backup_to(&backup).await.unwrap();
    db.close().await;

    // A day of work after it, acknowledged by the server.
    let after =
        laptop.client.create(RecordType::Account, fields(&[("name", "Après la sauvegarde"), ("kind", "prospect")]));
    let after = after.unwrap()["id"].as_str().unwrap().to_string();
    laptop.client.edit(&before, [("city".to_string(), Some(FieldValue::from("Amiens")))].into()).unwrap();
    laptop.sync().await;
    desktop.sync().await;
    desktop.client.edit(&after, [("phone".to_string(), Some(FieldValue::from("03 22 00 00 00")))].into()).unwrap();
    desktop.sync().await;
    assert_eq!(laptop.client.status().unwrap().pending, 0, "everything was acknowledged");

    // The disk dies; the operator restores the backup.
    server.stop().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{file}{suffix}"));
    }
    std::fs::copy(&backup, &file).unwrap();
    server.restart().await;
    laptop.relogin(&server, "julie@example.fr").await;
    desktop.relogin(&server, "julie@example.fr").await;

    // The devices sync as usual: the first finds itself ahead of the log.
    laptop.sync().await;
    desktop.sync().await;
    laptop.sync().await;

    let fresh = server.client("julie@example.fr").await;
    fresh.sync().await;
    let restored_after = fresh.client.get(&after).expect("the record created after the backup is back");
    assert_eq!(restored_after["phone"], "03 22 00 00 00", "with the other device's edit");
    assert_eq!(fresh.client.get(&before).unwrap()["city"], "Amiens");
    for d in [&laptop, &desktop] {
        assert_eq!(d.client.status().unwrap().pending, 0);
        assert_eq!(d.client.list(RecordType::Account).unwrap().len(), 2, "no duplicate on a device");
    }
    let db = server.db().await;
    let (count, distinct): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT hash) FROM changes").fetch_one(db.pool()).await.unwrap();
    assert_eq!(count, distinct, "each change stored once");
    assert_eq!(count, 4, "two creations, two edits");
    db.close().await;
}
