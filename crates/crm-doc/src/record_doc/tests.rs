use super::*;
use crm_core::{FieldValue, Record, RecordId, RecordType};

fn actor(n: u8) -> DeviceActor {
    DeviceActor::from_device_id(&uuid::Uuid::from_bytes([n; 16]))
}

fn account() -> Record {
    let mut r = Record::new(RecordId::from_parts(1_700_000_000_000, [3; 10]), RecordType::Account);
    r.fields.insert("name".into(), "Boulangerie Martin".into());
    r.fields.insert("kind".into(), "customer".into());
    r.fields.insert("city".into(), "Lyon".into());
    r
}

fn visit() -> Record {
    let mut r = Record::new(RecordId::from_parts(1_700_000_000_001, [4; 10]), RecordType::Activity);
    r.fields.insert("account".into(), account().id.to_string().into());
    r.fields.insert("kind".into(), "visit".into());
    r.fields.insert("at".into(), "2026-03-14T09:30:00+01:00".into());
    r.fields.insert("body".into(), "Met the owner.".into());
    r
}

fn set(field: &str, value: &str) -> Edit {
    [(field.to_string(), Some(FieldValue::from(value)))].into_iter().collect()
}

/// Two replicas of one saved document, each with its own device actor.
fn two_replicas(record: &Record) -> (RecordDoc, RecordDoc) {
    let mut a = RecordDoc::create(&actor(1), record, 0).unwrap();
    let bytes = a.save();
    (RecordDoc::load(&bytes, &actor(1)).unwrap(), RecordDoc::load(&bytes, &actor(2)).unwrap())
}

fn exchange(a: &mut RecordDoc, b: &mut RecordDoc) {
    let from_a = a.all_changes();
    let from_b = b.all_changes();
    a.apply_changes(from_b).unwrap();
    b.apply_changes(from_a).unwrap();
}

#[test]
fn a_created_record_reads_back_with_its_fields() {
    let record = account();
    let doc = RecordDoc::create(&actor(1), &record, 0).unwrap();
    assert_eq!(doc.read().unwrap(), record);
}

#[test]
fn concurrent_edits_of_different_fields_both_survive() {
    let (mut a, mut b) = two_replicas(&account());
    a.edit(&set("phone", "04 78 00 00 00"), 1).unwrap();
    b.edit(&set("city", "Villeurbanne"), 1).unwrap();
    exchange(&mut a, &mut b);
    let (ra, rb) = (a.read().unwrap(), b.read().unwrap());
    assert_eq!(ra, rb);
    assert_eq!(ra.text("phone"), Some("04 78 00 00 00"));
    assert_eq!(ra.text("city"), Some("Villeurbanne"));
    assert!(a.conflicts().unwrap().is_empty());
}

#[test]
fn concurrent_edits_of_one_field_converge_and_keep_the_loser_as_a_conflict() {
    let (mut a, mut b) = two_replicas(&account());
    a.edit(&set("city", "Paris"), 1).unwrap();
    b.edit(&set("city", "Marseille"), 1).unwrap();
    exchange(&mut a, &mut b);
    let winner = a.read().unwrap().text("city").unwrap().to_string();
    assert_eq!(b.read().unwrap().text("city"), Some(winner.as_str()));
    let conflicts = a.conflicts().unwrap();
    assert_eq!(conflicts, b.conflicts().unwrap());
    assert_eq!(conflicts.len(), 1);
    let loser = if winner == "Paris" { "Marseille" } else { "Paris" };
    assert_eq!(conflicts[0].field, "city");
    assert_eq!(conflicts[0].others, vec![loser.to_string()]);

    // Choosing the losing value resolves the conflict everywhere.
    a.edit(&set("city", loser), 2).unwrap();
    exchange(&mut a, &mut b);
    assert!(b.conflicts().unwrap().is_empty());
    assert_eq!(b.read().unwrap().text("city"), Some(loser));
}

#[test]
fn concurrent_edits_of_a_visit_report_keep_both_peoples_words() {
    let (mut a, mut b) = two_replicas(&visit());
    a.edit(&set("body", "Met the owner. Wants a quote for 3 sites."), 1).unwrap();
    b.edit(&set("body", "Met the owner and the CFO. Met the owner."), 1).unwrap();
    b.edit(&set("body", "Met the owner and the CFO."), 2).unwrap();
    exchange(&mut a, &mut b);
    let body = a.read().unwrap().text("body").unwrap().to_string();
    assert_eq!(Some(body.as_str()), b.read().unwrap().text("body"));
    assert!(body.contains("and the CFO"), "{body}");
    assert!(body.contains("Wants a quote for 3 sites."), "{body}");
}

#[test]
fn every_write_after_a_load_uses_the_device_actor() {
    let mut doc = RecordDoc::create(&actor(1), &account(), 0).unwrap();
    let mut reloaded = RecordDoc::load(&doc.save(), &actor(7)).unwrap();
    let change = reloaded.edit(&set("city", "Nice"), 1).unwrap().unwrap();
    assert_eq!(change.actor_id(), &actor(7).0);
    assert_eq!(change.seq(), 1);
    let mut again = RecordDoc::load(&reloaded.save(), &actor(7)).unwrap();
    let change = again.edit(&set("city", "Cannes"), 2).unwrap().unwrap();
    assert_eq!(change.seq(), 2, "the same actor continues its own sequence");
}

#[test]
fn an_invalid_edit_is_refused_and_leaves_the_record_unchanged() {
    let mut doc = RecordDoc::create(&actor(1), &account(), 0).unwrap();
    let err = doc.edit(&set("email", "not-an-email"), 1).unwrap_err();
    assert!(err.to_string().contains("email"), "{err}");
    let err = doc.edit(&[("name".to_string(), None)].into_iter().collect(), 1).unwrap_err();
    assert!(err.to_string().contains("required"), "{err}");
    assert_eq!(doc.read().unwrap(), account());
}

#[test]
fn writing_the_same_value_again_is_no_change() {
    let mut doc = RecordDoc::create(&actor(1), &account(), 0).unwrap();
    assert!(doc.edit(&set("city", "Lyon"), 1).unwrap().is_none());
}

#[test]
fn tags_added_concurrently_all_survive() {
    let (mut a, mut b) = two_replicas(&account());
    let tags = |items: &[&str]| -> Edit {
        [("tags".to_string(), Some(FieldValue::Set(items.iter().map(|s| s.to_string()).collect())))]
            .into_iter()
            .collect()
    };
    a.edit(&tags(&["vip"]), 1).unwrap();
    b.edit(&tags(&["bakery"]), 1).unwrap();
    exchange(&mut a, &mut b);
    assert_eq!(a.read().unwrap().set("tags"), ["bakery".to_string(), "vip".to_string()]);
}

#[test]
fn history_names_the_device_time_and_fields_of_each_change_even_concurrent_ones() {
    let (mut a, mut b) = two_replicas(&account());
    a.edit(&set("city", "Villeurbanne"), 1_000).unwrap();
    b.edit(&set("phone", "04 78 00 00 00"), 2_000).unwrap();
    let mut deleted = Edit::new();
    deleted.insert("deleted".into(), Some(FieldValue::from("yes")));
    b.edit(&deleted, 3_000).unwrap();
    exchange(&mut a, &mut b);
    let history = a.history().unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(history[0].fields.get("name"), Some(&Some(FieldValue::from("Boulangerie Martin"))));
    let city = history.iter().find(|h| h.fields.contains_key("city") && h.at_ms == 1_000).unwrap();
    assert_eq!(city.device, uuid::Uuid::from_bytes([1; 16]));
    assert_eq!(city.fields.len(), 1, "only what that change did: {:?}", city.fields);
    let phone = history.iter().find(|h| h.at_ms == 2_000).unwrap();
    assert_eq!(phone.device, uuid::Uuid::from_bytes([2; 16]));
    assert_eq!(phone.fields.keys().collect::<Vec<_>>(), vec!["phone"]);
    assert!(a.read().unwrap().is_deleted());
}
