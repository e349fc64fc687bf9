//! Merging duplicates: the kept account takes the chosen values and every child of the
//! other; two devices merging the same pair offline converge; the merge is in the
//! history; vCards go out and come back in.

use crm_core::{Code, RecordType, Role};
use crm_tests::{Backend, TestServer, fields, on_both_backends};

async fn two_devices_merging_offline_converge_with_every_child_moved(backend: Backend) {
    let server = TestServer::start(backend).await;
    server.add_user("anne@example.fr", Role::Admin).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    let office = server.client("anne@example.fr").await;
    let laptop = server.client("anne@example.fr").await;
    let rep = server.client("julie@example.fr").await;
    let c = &office.client;

    let keep = c
        .create(
            RecordType::Account,
            fields(&[
                ("name", "Boulangerie Dupont SARL"),
                ("kind", "customer"),
                ("postal_code", "69003"),
                ("city", "Lyon"),
            ]),
        )
        .unwrap();
    let other = c
        .create(
            RecordType::Account,
            fields(&[
                ("name", "Ets Boulangerie Dupont"),
                ("kind", "customer"),
                ("postal_code", "69003"),
                ("city", "LYON 3"),
                ("phone", "04 78 00 00 00"),
                ("siret", "73282932000074"),
            ]),
        )
        .unwrap();
    let contact = c.create(RecordType::Contact, fields(&[("account", other.id()), ("name", "Paul Dupont")])).unwrap();
    let mut visit = fields(&[("account", other.id()), ("kind", "visit"), ("at", "2026-11-30T10:00:00+01:00")]);
    visit.insert("contacts".into(), crm_core::FieldValue::Set(vec![contact.id().to_string()]));
    let visit = c.create(RecordType::Activity, visit).unwrap();
    let deal = c.create_deal(fields(&[("account", other.id()), ("title", "Four neuf"), ("amount", "12000")])).unwrap();
    let shop = c
        .create(
            RecordType::Account,
            fields(&[("name", "Dupont Villeurbanne"), ("kind", "customer"), ("parent", other.id())]),
        )
        .unwrap();
    office.sync().await;
    laptop.sync().await;

    // A rep may not merge: merging deletes one of the two.
    rep.sync().await;
    let err = rep.client.merge(keep.id(), other.id(), &[]).unwrap_err();
    assert!(matches!(err.problem().code, Code::MayNotMerge | Code::NotFound), "{err:?}");

    // Both devices of the office merge the same pair while offline.
    let done = c.merge(keep.id(), other.id(), &["city".to_string()]).unwrap();
    assert_eq!(done.moved, 4, "contact, visit, deal and the shop's group: {done:?}");
    laptop.client.merge(keep.id(), other.id(), &["city".to_string()]).unwrap();
    assert!(c.merge(keep.id(), keep.id(), &[]).is_err());

    let kept = c.get(keep.id()).unwrap();
    assert_eq!(kept.text("name"), Some("Boulangerie Dupont SARL"), "the kept name stays");
    assert_eq!(kept.text("city"), Some("LYON 3"), "the value chosen from the other");
    assert_eq!(kept.text("phone"), Some("04 78 00 00 00"), "a value it lacked");
    assert_eq!(kept.text("siret"), Some("73282932000074"));
    assert!(c.get(other.id()).is_err(), "the other is gone from lists");
    assert_eq!(c.get(contact.id()).unwrap().text("account"), Some(keep.id()));
    assert_eq!(c.get(visit.id()).unwrap().text("account"), Some(keep.id()));
    assert_eq!(c.get(deal.id()).unwrap().text("account"), Some(keep.id()));
    assert_eq!(c.get(shop.id()).unwrap().text("parent"), Some(keep.id()));

    for _ in 0..2 {
        office.sync().await;
        laptop.sync().await;
    }
    assert_eq!(office.visible_state(), laptop.visible_state(), "both devices show the same");
    assert_eq!(c.status().unwrap().conflicts, 0, "the same values written twice agree");
    assert!(laptop.client.get(other.id()).is_err());

    // The merge is in the kept record's history, and the other keeps its own.
    let history = c.history(keep.id()).await.unwrap();
    assert!(history.iter().any(|h| h.fields.contains_key("merged")), "{history:?}");
    let theirs = c.history(other.id()).await;
    assert!(theirs.is_ok_and(|h| h.iter().any(|e| e.fields.contains_key("merged_into"))));
}
on_both_backends!(two_devices_merging_offline_converge_with_every_child_moved);

#[test]
fn contacts_go_out_as_vcards_and_come_back_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let c = crm_client::Client::open(&dir.path().join("device")).unwrap();
    let garage =
        c.create(RecordType::Account, fields(&[("name", "Garage Müller; Fils"), ("kind", "customer")])).unwrap();
    let paul = c
        .create(
            RecordType::Contact,
            fields(&[
                ("account", garage.id()),
                ("name", "Paul Müller"),
                ("job_title", "Gérant, fondateur"),
                ("email", "paul@garage.fr"),
                ("mobile", "06 12 34 56 78"),
            ]),
        )
        .unwrap();
    let path = dir.path().join("contacts.vcf");
    assert_eq!(c.export_vcard(&[paul.id().to_string()], &path, "3.0").unwrap(), 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Paul Müller\r\nN:Müller;Paul;;;\r\n"), "{text}");
    assert!(text.contains("ORG:Garage Müller\\; Fils\r\n"));
    assert!(text.contains("TITLE:Gérant\\, fondateur\r\n"));
    assert!(text.contains("TEL;TYPE=CELL,VOICE:06 12 34 56 78\r\n"));
    assert!(text.contains("EMAIL;TYPE=INTERNET,PREF:paul@garage.fr\r\n"));
    assert!(c.export_vcard(&[], &path, "2.1").is_err());

    // Back in: Paul is already here; a card from a phone brings a new person and company.
    let phone = "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Durand;Hélène;;;\r\nORG:Boulangerie Hélène;Direction\r\nTEL;TYPE=cell:+33 6 98 76 54 32\r\nEMAIL:Helene@Boulangerie.fr\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sans Société\r\nEND:VCARD\r\n";
    std::fs::write(dir.path().join("phone.vcf"), format!("{text}{phone}")).unwrap();
    let report = c.import_vcard(&dir.path().join("phone.vcf")).unwrap();
    assert_eq!((report.rows, report.created, report.duplicates), (3, 1, 1), "{report:?}");
    assert!(report.errors.iter().any(|e| e.message.contains("société")), "{:?}", report.errors);
    let helene =
        c.list(RecordType::Contact).unwrap().into_iter().find(|r| r.text("name") == Some("Hélène Durand")).unwrap();
    assert_eq!(helene.text("mobile"), Some("+33698765432"));
    assert_eq!(helene.text("email"), Some("helene@boulangerie.fr"));
    let company = c.get(helene.text("account").unwrap()).unwrap();
    assert_eq!(company.text("name"), Some("Boulangerie Hélène"));
    assert_eq!(company.text("kind"), Some("prospect"));
    // The vCard import is a batch like any other: undone, both go.
    c.import_undo(report.batch.as_deref().unwrap(), &|_| {}).unwrap();
    assert!(c.get(helene.id()).is_err() && c.get(company.id()).is_err());
}
