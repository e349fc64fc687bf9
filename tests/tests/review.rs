//! What needs the user's eye after a sync: a change the server refused keeps what was
//! typed and says why in French; a field two people changed at once is listed with who
//! wrote each value.

use crm_client::views::Author;
use crm_core::{Code, FieldValue, RecordType, Role};
use crm_tests::{Backend, TestServer, edit, fields, on_both_backends};

async fn a_refused_creation_keeps_what_was_typed_with_the_reason(backend: Backend) {
    let server = TestServer::start(backend).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    let julie = server.client("julie@example.fr").await;

    // A rep may not add to the catalogue: her product is refused at the sync.
    let product = julie
        .client
        .create(
            RecordType::Product,
            fields(&[("reference", "REFUS-01"), ("designation", "Coffre ignifugé"), ("price", "990")]),
        )
        .unwrap();
    let report = julie.sync().await;
    assert_eq!(report.rejected, 1);
    assert!(julie.client.get(product.id()).is_err(), "the device no longer shows what the server refused");

    let refused = julie.client.refused_changes().unwrap();
    assert_eq!(refused.len(), 1, "{refused:?}");
    let r = &refused[0];
    assert_eq!(r.record_id, product.id());
    assert_eq!(r.record_type, Some(RecordType::Product));
    assert_eq!(r.label.as_deref(), Some("Coffre ignifugé"));
    assert_eq!(r.fields.get("reference"), Some(&Some(FieldValue::from("REFUS-01"))));
    assert_eq!(r.fields.get("price"), Some(&Some(FieldValue::from("990.00"))));
    assert!(!r.on_device);
    assert_eq!(r.problem.code, Code::MayNotCreate, "the server's reason, as a code the app words: {r:?}");
    assert_eq!(r.problem.text(crm_core::Lang::Fr), "Votre rôle ne permet pas de créer cette fiche");
    assert!(r.made_at.as_deref().is_some_and(|t| t.starts_with("20")), "{r:?}");
    assert_eq!(julie.client.status().unwrap().rejected, 1);

    // Once dealt with, it goes.
    assert!(julie.client.dismiss_refused(&r.change).unwrap());
    assert!(julie.client.refused_changes().unwrap().is_empty());
    assert_eq!(julie.client.status().unwrap().rejected, 0);
    assert!(!julie.client.dismiss_refused(&r.change).unwrap(), "dismissing twice changes nothing");
}
on_both_backends!(a_refused_creation_keeps_what_was_typed_with_the_reason);

async fn a_conflict_is_listed_with_who_wrote_each_value(backend: Backend) {
    let server = TestServer::start(backend).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    server.add_user("marc@example.fr", Role::Admin).await;
    let julie = server.client("julie@example.fr").await;
    let marc = server.client("marc@example.fr").await;

    let account = julie
        .client
        .create(RecordType::Account, fields(&[("name", "Boulangerie Martin"), ("kind", "customer")]))
        .unwrap();
    let id = account.id().to_string();
    julie.sync().await;
    marc.sync().await;
    assert_eq!(julie.client.status().unwrap().conflicts, 0);
    assert!(julie.client.open_conflicts().await.unwrap().is_empty());

    // Both change the phone before either syncs.
    julie.client.edit(&id, edit(&[("phone", "04 78 00 00 01")])).unwrap();
    marc.client.edit(&id, edit(&[("phone", "04 78 00 00 02")])).unwrap();
    marc.sync().await;
    julie.sync().await;

    assert_eq!(julie.client.status().unwrap().conflicts, 1);
    let conflicts = julie.client.open_conflicts().await.unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let c = &conflicts[0];
    assert_eq!(
        (c.record_id.as_str(), c.record_type, c.label.as_str()),
        (id.as_str(), RecordType::Account, "Boulangerie Martin")
    );
    assert_eq!(c.field, "phone");
    assert_eq!(c.values.len(), 2);
    assert_eq!(c.values.iter().filter(|v| v.kept).count(), 1, "one value is shown until someone chooses");
    let by = |phone: &str| c.values.iter().find(|v| v.value.ends_with(phone)).and_then(|v| v.author.clone());
    assert_eq!(by("01"), Some(Author::User { name: "julie".into() }), "{c:?}");
    assert_eq!(by("02"), Some(Author::User { name: "marc".into() }), "{c:?}");
    assert!(c.values.iter().all(|v| v.at.is_some() && v.device.is_some()), "{c:?}");
    // The same directory names owners and authors in the app, offline too.
    let people: Vec<(String, String)> = julie.client.people().into_iter().map(|p| (p.name, p.email)).collect();
    assert_eq!(
        people,
        [("julie".to_string(), "julie@example.fr".to_string()), ("marc".into(), "marc@example.fr".into())]
    );

    // Settled: the list empties.
    let chosen = c.values.iter().find(|v| !v.kept).unwrap().value.clone();
    julie.client.resolve_conflict(&id, "phone", &chosen).unwrap();
    assert!(julie.client.open_conflicts().await.unwrap().is_empty());
    assert_eq!(julie.client.status().unwrap().conflicts, 0);
}
on_both_backends!(a_conflict_is_listed_with_who_wrote_each_value);
