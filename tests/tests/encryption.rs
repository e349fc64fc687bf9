//! A laptop lost in a hotel: its data directory, read byte by byte, gives away nothing
//! without the password.

use crm_client::{Client, KeyStore};
use crm_core::{RecordType, Role};
use crm_tests::fields;
use crm_tests::{Backend, PASSWORD, TestServer, files_holding};

const SECRETS: [&str; 4] = ["Ébénisterie Quintal", "Quintal", "odile.quintal@example.fr", "commande de 40 chaises"];

/// A rep's device without keyring: the password is the only way in.
async fn a_device_with_data(server: &TestServer, dir: &std::path::Path) -> (Client, String) {
    let client = Client::open_with(dir, KeyStore::PasswordOnly).unwrap();
    client.login(&server.url, "julie@example.fr", PASSWORD, "portable").await.unwrap();
    let account = client.create(RecordType::Account, fields(&[("name", SECRETS[0]), ("kind", "customer")])).unwrap();
    let account = account["id"].as_str().unwrap().to_string();
    client
        .create(RecordType::Contact, fields(&[("account", &account), ("name", "Odile Quintal"), ("email", SECRETS[2])]))
        .unwrap();
    client
        .create(
            RecordType::Activity,
            fields(&[
                ("account", &account),
                ("kind", "visit"),
                ("at", "2026-03-14T09:30:00Z"),
                ("body", &format!("Visite : {} pour la rentrée.", SECRETS[3])),
            ]),
        )
        .unwrap();
    client.sync(|_| {}).await.unwrap();
    (client, account)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encrypted_data_directory_holds_none_of_the_names_and_opens_only_with_the_password() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    let dir = tempfile::tempdir().unwrap();
    let (client, account) = a_device_with_data(&server, dir.path()).await;
    // Also what arrives from the server: a second device pulls everything.
    let other = tempfile::tempdir().unwrap();
    let second = Client::open_with(other.path(), KeyStore::PasswordOnly).unwrap();
    second.login(&server.url, "julie@example.fr", PASSWORD, "bureau").await.unwrap();
    second.sync(|_| {}).await.unwrap();
    assert_eq!(second.search("Quintal", 10).unwrap().len(), 2, "the data is there, and searchable");
    drop((client, second));

    for d in [dir.path(), other.path()] {
        for secret in SECRETS {
            let holding = files_holding(d, secret);
            assert!(holding.is_empty(), "`{secret}` readable in {holding:?}");
        }
        let header = std::fs::read(d.join("crm.db")).unwrap();
        assert!(!header.starts_with(b"SQLite format 3"), "the database file is not a readable SQLite file");
    }

    // Without the password, nothing opens.
    let locked = Client::open_with(dir.path(), KeyStore::PasswordOnly).unwrap();
    assert!(locked.status().unwrap().locked);
    let err = locked.list(RecordType::Account).unwrap_err();
    assert!(matches!(err, crm_client::ClientError::Locked), "{err}");
    let wrong = locked.unlock("not-the-password").unwrap_err();
    assert!(wrong.to_string().contains("wrong password"), "{wrong}");
    locked.unlock(PASSWORD).unwrap();
    assert_eq!(locked.get(&account).unwrap()["name"], SECRETS[0]);

    // A new password re-seals the key: the old one no longer opens the data.
    locked.change_password(PASSWORD, "un-nouveau-mot-de-passe").await.unwrap();
    drop(locked);
    let again = Client::open_with(dir.path(), KeyStore::PasswordOnly).unwrap();
    assert!(again.unlock(PASSWORD).is_err());
    again.unlock("un-nouveau-mot-de-passe").unwrap();
    assert_eq!(again.status().unwrap().pending, 0, "nothing was lost on the way");
}

#[test]
fn a_store_written_in_clear_by_an_earlier_version_is_encrypted_on_first_open() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut store = crm_store::Store::open(&dir.path().join("crm.db")).unwrap();
        let mut record = crm_core::Record::new(crm_core::RecordId(uuid::Uuid::now_v7()), RecordType::Account);
        record.fields = fields(&[("name", SECRETS[0]), ("kind", "customer")]);
        store.create_record(&record, 0).unwrap();
        record.id.to_string()
    };
    assert!(!files_holding(dir.path(), SECRETS[1]).is_empty(), "the old store holds the name in clear");
    let client = Client::open_with(dir.path(), KeyStore::PasswordOnly).unwrap();
    assert_eq!(client.get(&id).unwrap()["name"], SECRETS[0], "nothing is lost");
    drop(client);
    let holding = files_holding(dir.path(), SECRETS[1]);
    assert!(holding.is_empty(), "`{}` readable in {holding:?}", SECRETS[1]);
}
