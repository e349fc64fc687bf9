//! Two server instances on one PostgreSQL, the way IT scales out: devices switch
//! between them at every sync (as a load balancer would send them) while all push and
//! pull at once. Everything converges, nothing is stored twice, nothing is skipped.

use crm_core::{FieldValue, RecordType, Role};
use crm_tests::fields;
use crm_tests::{Backend, TestClient, TestServer};
use std::collections::BTreeSet;

/// Creates and edits records, syncing through `servers` in turn.
async fn work(device: &TestClient, email: &str, servers: &[&TestServer], label: &str, owner: &str) {
    for round in 0..6 {
        for i in 0..5 {
            let name = format!("{label} {round}-{i}");
            let created = device
                .client
                .create(RecordType::Account, fields(&[("name", &name), ("kind", "customer"), ("owner", owner)]))
                .unwrap();
            let id = created["id"].as_str().unwrap();
            let city = [("city".to_string(), Some(FieldValue::from("Amiens")))].into();
            device.client.edit(id, city).unwrap();
        }
        let server = servers[round % servers.len()];
        device.relogin(server, email).await;
        device.sync().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgresql_serve_the_same_devices() {
    let a = TestServer::start(Backend::Postgres).await;
    let b = a.another_instance().await;
    a.add_user("julie@example.fr", Role::Rep).await;
    a.add_user("marc@example.fr", Role::Manager).await;
    a.set_manager("julie@example.fr", "marc@example.fr").await;
    let julie_id = a.user_id("julie@example.fr").await;
    let marc_id = a.user_id("marc@example.fr").await;
    let laptop = a.client("julie@example.fr").await;
    let desktop = b.client("julie@example.fr").await;
    let office = a.client("marc@example.fr").await;

    let (ab, ba) = ([&a, &b], [&b, &a]);
    tokio::join!(
        work(&laptop, "julie@example.fr", &ab, "Portable", &julie_id),
        work(&desktop, "julie@example.fr", &ba, "Bureau", &julie_id),
        work(&office, "marc@example.fr", &ab, "Siège", &marc_id),
    );
    for _ in 0..2 {
        for (device, email, server) in
            [(&laptop, "julie@example.fr", &b), (&desktop, "julie@example.fr", &a), (&office, "marc@example.fr", &b)]
        {
            device.relogin(server, email).await;
            assert_eq!(device.sync().await.rejected, 0);
        }
    }

    let names = |d: &TestClient| -> BTreeSet<String> {
        d.client.list(RecordType::Account).unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect()
    };
    let julies = names(&laptop);
    assert_eq!(julies.len(), 60, "Julie's 60 accounts on her laptop");
    assert_eq!(names(&desktop), julies, "and the same on her desktop");
    let all = names(&office);
    assert_eq!(all.len(), 90, "the manager sees his team's and his own");
    assert!(julies.is_subset(&all));
    for d in [&laptop, &desktop, &office] {
        assert_eq!(d.client.status().unwrap().pending, 0);
        assert!(d.client.list(RecordType::Account).unwrap().iter().all(|r| r["city"] == "Amiens"));
    }
    // Each change stored once, numbered without gaps.
    let db = a.db().await;
    let (count, distinct, max): (i64, i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT hash), COALESCE(MAX(seq), 0) FROM changes")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(count, distinct);
    assert_eq!(count, 180, "90 creations and 90 edits");
    assert_eq!(max, count, "sequence numbers without gaps");
    db.close().await;
}
