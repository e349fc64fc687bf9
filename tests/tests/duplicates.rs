//! Likely duplicates, offline: on entry and over the device, found through blocking keys.

use crm_client::Client;
use crm_core::RecordType;
use crm_core::duplicates::Reason;
use crm_tests::fields;

#[test]
fn accounts_entered_twice_are_found_by_siret_phone_email_or_a_close_name_nearby() {
    let dir = tempfile::tempdir().unwrap();
    let c = Client::open(dir.path()).unwrap();
    let dupont = c
        .create(
            RecordType::Account,
            fields(&[
                ("name", "Boulangerie Dupont SARL"),
                ("kind", "customer"),
                ("postal_code", "69003"),
                ("city", "Lyon"),
                ("siret", "732 829 320 00074"),
                ("phone", "04 78 00 00 00"),
            ]),
        )
        .unwrap();
    c.create(
        RecordType::Account,
        fields(&[("name", "Boulangerie Dupont"), ("kind", "prospect"), ("postal_code", "75011")]),
    )
    .unwrap();
    c.create(RecordType::Account, fields(&[("name", "Garage Martin"), ("kind", "prospect"), ("postal_code", "69003")]))
        .unwrap();

    // On entry, before saving: the same shop typed differently.
    let typed = fields(&[("name", "Ets Boulangrie Dupont"), ("postal_code", "69 003"), ("phone", "+33 4 78 00 00 00")]);
    let found = c.duplicates_for(RecordType::Account, &typed).unwrap();
    assert_eq!(found.len(), 1, "the namesake in Paris and the garage are not candidates: {found:?}");
    assert_eq!(found[0].id, dupont.id());
    assert_eq!(found[0].name, "Boulangerie Dupont SARL");
    assert_eq!(found[0].detail.as_deref(), Some("Lyon"));
    assert_eq!(found[0].reasons, vec![Reason::Phone, Reason::Name]);
    assert!(found[0].score >= 0.9, "{found:?}");
    let by_siret =
        c.duplicates_for(RecordType::Account, &fields(&[("name", "BD"), ("siret", "73282932000074")])).unwrap();
    assert_eq!((by_siret[0].score, by_siret[0].reasons.clone()), (1.0, vec![Reason::Siret]));

    // Saved anyway: the scan pairs them once, and keeps the others apart.
    let twin = c.create(
        RecordType::Account,
        fields(&[("kind", "prospect"), ("name", "Ets Boulangrie Dupont"), ("postal_code", "69003")]),
    );
    let twin = twin.unwrap();
    let pairs = c.duplicate_pairs(RecordType::Account).unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let mut ids = [pairs[0].a.clone(), pairs[0].b.clone()];
    ids.sort();
    let mut expected = [dupont.id().to_string(), twin.id().to_string()];
    expected.sort();
    assert_eq!(ids, expected);

    // A record deleted leaves no key behind.
    c.delete(twin.id(), RecordType::Account).unwrap();
    assert!(c.duplicate_pairs(RecordType::Account).unwrap().is_empty());
}

#[test]
fn contacts_are_duplicates_by_email_or_a_close_name_in_the_same_company() {
    let dir = tempfile::tempdir().unwrap();
    let c = Client::open(dir.path()).unwrap();
    let account = c.create(RecordType::Account, fields(&[("name", "Garage Martin"), ("kind", "customer")])).unwrap();
    let other = c.create(RecordType::Account, fields(&[("name", "Hôtel du Parc"), ("kind", "customer")])).unwrap();
    let luc = c
        .create(
            RecordType::Contact,
            fields(&[("account", account.id()), ("name", "Luc Moreau"), ("email", "luc.moreau@garage-martin.fr")]),
        )
        .unwrap();
    let same_mail = c
        .duplicates_for(
            RecordType::Contact,
            &fields(&[("account", other.id()), ("name", "L. Moreau"), ("email", "Luc.Moreau@Garage-Martin.fr")]),
        )
        .unwrap();
    assert_eq!(same_mail[0].id, luc.id());
    assert_eq!(same_mail[0].detail.as_deref(), Some("Garage Martin"), "a contact is shown with its company");
    assert_eq!(same_mail[0].reasons, vec![Reason::Email]);
    let accents =
        c.duplicates_for(RecordType::Contact, &fields(&[("account", account.id()), ("name", "LUC MORÉAU")])).unwrap();
    assert_eq!(accents.len(), 1);
    let elsewhere =
        c.duplicates_for(RecordType::Contact, &fields(&[("account", other.id()), ("name", "Luc Moreau")])).unwrap();
    assert!(elsewhere.is_empty(), "a namesake at another company is another person");
}

/// The server's scan sees what no single device holds: the same shop entered by two
/// reps in their own portfolios. Only roles that may merge may ask, and each sees the
/// pairs among the records they may read.
async fn the_server_finds_duplicates_across_portfolios(backend: crm_tests::Backend) {
    use crm_core::Role;
    let server = crm_tests::TestServer::start(backend).await;
    for (email, role) in [
        ("julie@example.fr", Role::Rep),
        ("marc@example.fr", Role::Rep),
        ("paul@example.fr", Role::Manager),
        ("anne@example.fr", Role::Admin),
        ("lea@example.fr", Role::Marketing),
    ] {
        server.add_user(email, role).await;
    }
    server.set_manager("julie@example.fr", "paul@example.fr").await;
    let julie = server.client("julie@example.fr").await;
    let marc = server.client("marc@example.fr").await;
    for (device, name) in [(&julie, "Boulangerie Dupont SARL"), (&marc, "Ets Boulangerie Dupont")] {
        device
            .client
            .create(
                RecordType::Account,
                fields(&[("name", name), ("kind", "customer"), ("siret", "732 829 320 00074")]),
            )
            .unwrap();
        device.sync().await;
    }
    assert!(julie.client.duplicate_pairs(RecordType::Account).unwrap().is_empty(), "neither device holds both");

    let anne = server.client("anne@example.fr").await;
    let pairs = anne.client.server_duplicate_pairs(RecordType::Account).await.unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert_eq!(pairs[0].reasons, vec![Reason::Siret], "no postal code: the names are not compared");
    let mut names = [pairs[0].a_name.as_str(), pairs[0].b_name.as_str()];
    names.sort();
    assert_eq!(names, ["Boulangerie Dupont SARL", "Ets Boulangerie Dupont"]);

    // Julie's manager reads only his team: Marc's shop is not his to see.
    let paul = server.client("paul@example.fr").await;
    assert!(paul.client.server_duplicate_pairs(RecordType::Account).await.unwrap().is_empty());
    for (email, device) in [("julie", &julie), ("lea", &server.client("lea@example.fr").await)] {
        let err = device.client.server_duplicate_pairs(RecordType::Account).await.unwrap_err();
        assert_eq!(err.problem().code, crm_core::Code::MayNotMerge, "{email}: {err:?}");
    }
    // The route as an attacker calls it: no token, a made-up kind, many scans at once.
    let http = reqwest::Client::new();
    let url = |kind: &str| format!("{}/v1/duplicates/{kind}", server.url);
    let protocol = (crm_protocol::PROTOCOL_HEADER, crm_protocol::PROTOCOL_VERSION.to_string());
    let anonymous = http.get(url("accounts")).header(protocol.0, &protocol.1).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let token = server.raw_login("anne@example.fr", uuid::Uuid::now_v7()).await;
    let made_up = http.get(url("passwords")).header(protocol.0, &protocol.1).bearer_auth(&token).send().await.unwrap();
    assert_eq!(made_up.status(), 400);
    let scans = (0..8).map(|_| http.get(url("contacts")).header(protocol.0, &protocol.1).bearer_auth(&token).send());
    let statuses: Vec<u16> = futures_statuses(scans).await;
    assert!(statuses.iter().all(|s| *s == 200 || *s == 503), "{statuses:?}");
    assert!(statuses.contains(&200));
}
crm_tests::on_both_backends!(the_server_finds_duplicates_across_portfolios);

async fn futures_statuses(
    requests: impl Iterator<Item = impl std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static>,
) -> Vec<u16> {
    let handles: Vec<_> = requests.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap().unwrap().status().as_u16());
    }
    out
}
