use super::*;
use crm_core::RecordId;
use proptest::prelude::*;
use std::sync::Arc;

const DEVICE: u128 = 9;

fn author(relay: bool) -> Author {
    Author {
        device: DeviceActor::from_device_id(&Uuid::from_u128(DEVICE)),
        relay,
        user_id: "julie".into(),
        role: crm_core::Role::Rep,
        territories: Arc::new(Vec::new()),
        now: 1_790_000_000_000,
        max_doc_bytes: MAX_DOC_BYTES,
    }
}

fn account(id: u128, owner: Option<&str>) -> Record {
    let mut record = Record::new(RecordId(Uuid::from_u128(id)), RecordType::Account);
    record.fields.insert("name".into(), "Garage Moreau".into());
    record.fields.insert("kind".into(), "customer".into());
    if let Some(owner) = owner {
        record.fields.insert("owner".into(), FieldValue::Text(owner.into()));
    }
    record
}

/// The change creating `record` on device `device`.
fn creation(record: &Record, device: u128) -> Vec<u8> {
    let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&Uuid::from_u128(device)), record, 0).unwrap();
    doc.all_changes()[0].raw_bytes().to_vec()
}

/// Decodes and merges, with nothing already in the log.
fn merge_bytes(doc: Uuid, stored: Option<&StoredDoc>, changes: &[Vec<u8>], author: &Author) -> DocPushOutcome {
    merge_record(doc, stored, decode_all(changes), &HashSet::new(), author)
}

fn viewer() -> Viewer {
    Viewer { user_id: "julie".into(), role: crm_core::Role::Rep, reports: Default::default() }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Random bytes are refused with a reason, never a panic, and never stored.
    #[test]
    fn random_bytes_never_crash_the_push(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let out = merge_bytes(Uuid::from_u128(1), None, &[bytes], &author(false));
        prop_assert!(out.merged.is_none() || !out.accepted.is_empty());
        for r in &out.rejected {
            prop_assert!(!r.reason.is_empty());
        }
    }

    /// A valid change with bytes flipped is refused or, if still a valid change of a
    /// valid record, accepted: never a panic, never an invalid record stored.
    #[test]
    fn damaged_changes_are_refused_or_valid(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6)) {
        let mut bytes = creation(&account(7, Some("julie")), DEVICE);
        for (at, value) in flips {
            let i = at % bytes.len();
            bytes[i] ^= value;
        }
        let out = merge_bytes(Uuid::from_u128(7), None, &[bytes], &author(false));
        if let Some(merged) = &out.merged {
            prop_assert!(crm_core::validate(&merged.record).is_ok());
        }
    }
}

#[test]
fn a_change_of_another_record_is_refused() {
    let bytes = creation(&account(7, Some("julie")), DEVICE);
    let out = merge_bytes(Uuid::from_u128(8), None, &[bytes], &author(false));
    assert!(out.merged.is_none());
    assert_eq!(out.rejected[0].code, RejectCode::Invalid);
    assert!(out.rejected[0].reason.contains("`_id` may not change"), "{}", out.rejected[0].reason);
}

#[test]
fn a_change_made_on_another_device_is_refused_unless_the_log_is_recovering() {
    let bytes = creation(&account(7, Some("julie")), 77);
    let out = merge_bytes(Uuid::from_u128(7), None, std::slice::from_ref(&bytes), &author(false));
    assert!(out.merged.is_none());
    assert_eq!(out.rejected[0].code, RejectCode::Forbidden);
    assert!(out.rejected[0].reason.contains("another device"), "{}", out.rejected[0].reason);
    let relayed = merge_bytes(Uuid::from_u128(7), None, &[bytes], &author(true));
    assert!(relayed.merged.is_some());
    assert!(relayed.accepted[0].relayed);
}

#[test]
fn a_new_account_of_a_rep_is_theirs_and_a_new_visit_report_names_its_author() {
    let out = merge_bytes(Uuid::from_u128(7), None, &[creation(&account(7, None), DEVICE)], &author(false));
    let merged = out.merged.as_ref().unwrap();
    assert_eq!(merged.record.text("owner"), Some("julie"));
    assert!(out.accepted.iter().any(|c| c.by_server), "the owner is the server's change");

    let mut report = Record::new(RecordId(Uuid::from_u128(11)), RecordType::Activity);
    report.fields.insert("account".into(), FieldValue::Text(Uuid::from_u128(7).to_string()));
    report.fields.insert("kind".into(), "visit".into());
    report.fields.insert("at".into(), "2026-03-14T09:30:00+01:00".into());
    let out = merge_bytes(Uuid::from_u128(11), None, &[creation(&report, DEVICE)], &author(false));
    assert_eq!(out.merged.unwrap().record.text("owner"), Some("julie"));
}

#[test]
fn a_document_over_the_size_cap_is_refused_as_too_large() {
    // A visit report written on and on, push after push: the document grows past the
    // cap (small here; MAX_DOC_BYTES in the server).
    let author = Author { max_doc_bytes: 64 * 1024, ..author(false) };
    let mut report = Record::new(RecordId(Uuid::from_u128(21)), RecordType::Activity);
    report.fields.insert("account".into(), FieldValue::Text(Uuid::from_u128(7).to_string()));
    report.fields.insert("kind".into(), "visit".into());
    report.fields.insert("at".into(), "2026-03-14T09:30:00+01:00".into());
    report.fields.insert("owner".into(), "julie".into());
    let actor = DeviceActor::from_device_id(&Uuid::from_u128(DEVICE));
    let mut doc = RecordDoc::create(&actor, &report, 0).unwrap();
    let mut stored: Option<StoredDoc> = None;
    let mut pending: Vec<Vec<u8>> = doc.all_changes().iter().map(|c| c.raw_bytes().to_vec()).collect();
    let mut seed = 7u64;
    let mut text = String::new();
    for round in 0..100i64 {
        text.extend((0..4_000).map(|_| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            char::from(b'a' + (seed >> 59) as u8 % 26)
        }));
        let edit: crm_doc::Edit = [("body".to_string(), Some(FieldValue::Text(text.clone())))].into();
        pending.push(doc.edit(&edit, round + 1).unwrap().unwrap().raw_bytes().to_vec());
        let out = merge_bytes(Uuid::from_u128(21), stored.as_ref(), &pending, &author);
        if let Some(r) = out.rejected.first() {
            assert_eq!(r.code, RejectCode::TooLarge, "{}", r.reason);
            assert!(stored.as_ref().is_some_and(|s| s.data.len() <= 64 * 1024), "what was kept is under the cap");
            return;
        }
        stored = Some(StoredDoc { data: out.merged.unwrap().data, erased: false });
        pending.clear();
    }
    panic!("the record never grew past the cap");
}

#[test]
fn a_refused_account_does_not_decide_the_owner_of_its_contacts_in_the_batch() {
    // The stored account is Paul's; the batch hands it to Julie (refused: a rep may not
    // take an account) and adds a contact to it.
    let account_id = Uuid::from_u128(30);
    let stored_account = {
        let mut doc =
            RecordDoc::create(&DeviceActor::from_device_id(&Uuid::from_u128(55)), &account(30, Some("paul")), 0)
                .unwrap();
        StoredDoc { data: doc.save(), erased: false }
    };
    let mut take =
        RecordDoc::load(&stored_account.data, &DeviceActor::from_device_id(&Uuid::from_u128(DEVICE))).unwrap();
    let steal: crm_doc::Edit = [("owner".to_string(), Some(FieldValue::from("julie")))].into();
    let steal = take.edit(&steal, 5).unwrap().unwrap().raw_bytes().to_vec();
    let mut contact = Record::new(RecordId(Uuid::from_u128(31)), RecordType::Contact);
    contact.fields.insert("account".into(), FieldValue::Text(account_id.to_string()));
    contact.fields.insert("name".into(), "Jeanne Martin".into());
    let a = author(false);
    let merged = vec![
        merge_bytes(Uuid::from_u128(31), None, &[creation(&contact, DEVICE)], &a),
        merge_bytes(account_id, Some(&stored_account), &[steal], &a),
    ];
    // Before, the refused hand-over still made the contact Julie's, and it was stored.
    let stored: HashMap<String, (RecordType, Option<String>)> =
        [(account_id.to_string(), (RecordType::Account, Some("paul".to_string())))].into();
    let viewer = Viewer { user_id: "julie".into(), role: crm_core::Role::Rep, reports: Default::default() };
    let plan = plan(merged, &Facts { viewer: &viewer, stored: &stored, now: 0 });
    assert!(plan.writes.is_empty(), "neither the stolen account nor the contact under it is stored");
    let codes: Vec<RejectCode> = plan.rejected.iter().map(|r| r.code).collect();
    assert!(codes.iter().all(|c| *c == RejectCode::Forbidden), "{codes:?}");
}

#[test]
fn of_a_record_the_user_cannot_read_a_refusal_says_forbidden_and_nothing_else() {
    let id = Uuid::from_u128(40);
    let stored_doc = {
        let mut doc =
            RecordDoc::create(&DeviceActor::from_device_id(&Uuid::from_u128(55)), &account(40, Some("paul")), 0)
                .unwrap();
        StoredDoc { data: doc.save(), erased: false }
    };
    // An invalid change (a SIRET of the wrong length) of Paul's account.
    let mut doc = RecordDoc::load(&stored_doc.data, &DeviceActor::from_device_id(&Uuid::from_u128(DEVICE))).unwrap();
    let mut raw = automerge::AutoCommit::load(&doc.save())
        .unwrap()
        .with_actor(DeviceActor::from_device_id(&Uuid::from_u128(DEVICE)).0);
    use automerge::transaction::Transactable;
    raw.put(automerge::ROOT, "siret", "123").unwrap();
    raw.commit();
    let bad = raw.get_last_local_change().unwrap().raw_bytes().to_vec();
    let known = doc.all_changes()[0].raw_bytes().to_vec();
    let merged = vec![merge_bytes(id, Some(&stored_doc), &[bad, known], &author(false))];
    let stored: HashMap<String, (RecordType, Option<String>)> =
        [(id.to_string(), (RecordType::Account, Some("paul".to_string())))].into();
    let plan = plan(merged, &Facts { viewer: &viewer(), stored: &stored, now: 0 });
    assert!(plan.acked.is_empty(), "not even the change the server has is acknowledged");
    assert_eq!(plan.rejected.len(), 2);
    for r in &plan.rejected {
        assert_eq!(r.code, RejectCode::Forbidden);
        assert_eq!(r.reason, "this record is outside what you may see (it may have been reassigned)");
    }
}

#[test]
fn changes_the_log_already_has_are_acknowledged_without_the_document() {
    let bytes = creation(&account(7, Some("julie")), DEVICE);
    let hash = hashes(&decode_all(std::slice::from_ref(&bytes))).next().unwrap();
    // No stored document is given: it is not needed, so not loaded.
    let out = merge_record(Uuid::from_u128(7), None, decode_all(&[bytes]), &[hash.clone()].into(), &author(false));
    assert_eq!(out.duplicates, vec![hash]);
    assert!(out.merged.is_none() && out.rejected.is_empty());
}
