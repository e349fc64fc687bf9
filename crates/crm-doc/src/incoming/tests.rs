use super::*;
use crate::{DeviceActor, Edit};
use automerge::transaction::Transactable;
use crm_core::{FieldValue, Record, RecordId};

const ID: u128 = 41;

fn device(n: u128) -> DeviceActor {
    DeviceActor::from_device_id(&uuid::Uuid::from_u128(n))
}

fn product() -> Record {
    let mut r = Record::new(RecordId(uuid::Uuid::from_u128(ID)), RecordType::Product);
    r.fields.insert("reference".into(), "SRV-0001".into());
    r.fields.insert("designation".into(), "Maintenance".into());
    r.fields.insert("price".into(), "120.00".into());
    r.fields.insert("pitch".into(), "Un contrat simple.".into());
    r.fields.insert("media".into(), FieldValue::Set(vec![format!("{}.jpg", "a".repeat(64))]));
    r
}

fn stored() -> RecordDoc {
    RecordDoc::create(&device(1), &product(), 0).unwrap()
}

/// The stored product loaded by another device, changed by `f` with raw Automerge
/// calls; the change made.
fn hand_made(f: impl FnOnce(&mut automerge::AutoCommit)) -> (RecordDoc, Change) {
    let mut base = stored();
    let bytes = base.save();
    let mut doc = automerge::AutoCommit::load(&bytes).unwrap().with_actor(device(2).0);
    f(&mut doc);
    doc.commit();
    let change = doc.get_last_local_change().unwrap();
    (RecordDoc::load(&bytes, &device(3)).unwrap(), change)
}

fn check(stored: Option<&RecordDoc>, changes: &[Change]) -> Result<RecordType, String> {
    check_changes(stored, uuid::Uuid::from_u128(ID), changes)
}

#[test]
fn every_change_this_product_writes_passes() {
    let mut doc = stored();
    let creation = doc.all_changes();
    assert_eq!(check(None, &creation), Ok(RecordType::Product));
    let before = RecordDoc::load(&doc.save(), &device(1)).unwrap();
    let edit: Edit = [
        ("price".to_string(), Some(FieldValue::from("99.00"))),
        ("pitch".to_string(), Some(FieldValue::from("Un contrat simple et clair."))),
        ("media".to_string(), Some(FieldValue::Set(vec![format!("{}.mp4", "b".repeat(64))]))),
        ("vat_percent".to_string(), None),
        ("deleted".to_string(), Some(FieldValue::from("yes"))),
    ]
    .into();
    let change = doc.edit(&edit, 1).unwrap().unwrap();
    assert_eq!(check(Some(&before), &[change]), Ok(RecordType::Product));
}

#[test]
fn a_second_device_creating_the_same_record_passes() {
    // Two devices winning one deal offline both create its contract (same id).
    let first = stored();
    let mut second = RecordDoc::create(&device(2), &product(), 5).unwrap();
    assert_eq!(check(Some(&first), &second.all_changes()), Ok(RecordType::Product));
}

#[test]
fn a_root_key_outside_the_schema_is_refused_even_when_removed_again() {
    let (before, change) = hand_made(|d| {
        d.put(ROOT, "payload", "x".repeat(200_000)).unwrap();
        d.delete(ROOT, "payload").unwrap();
    });
    let err = check(Some(&before), &[change]).unwrap_err();
    assert!(err.contains("no field `payload`"), "{err}");
}

#[test]
fn a_value_longer_than_its_field_is_refused_even_when_overwritten() {
    let (before, change) = hand_made(|d| {
        d.put(ROOT, "designation", "x".repeat(200_000)).unwrap();
        d.put(ROOT, "designation", "Maintenance").unwrap();
    });
    let err = check(Some(&before), &[change]).unwrap_err();
    assert!(err.contains("at most 500 characters"), "{err}");
}

#[test]
fn objects_types_and_operations_the_product_never_writes_are_refused() {
    type Writes = Box<dyn FnOnce(&mut automerge::AutoCommit)>;
    let cases: Vec<(&str, Writes)> = vec![
        ("a number in a short field", Box::new(|d| d.put(ROOT, "price", 12_i64).unwrap())),
        ("a map in a short field", Box::new(|d| drop(d.put_object(ROOT, "price", ObjType::Map).unwrap()))),
        ("a list for a long text", Box::new(|d| drop(d.put_object(ROOT, "pitch", ObjType::List).unwrap()))),
        ("a counter", Box::new(|d| d.put(ROOT, "price", ScalarValue::counter(1)).unwrap())),
        (
            "a map inside a set",
            Box::new(|d| {
                let (_, media) = d.get(ROOT, "media").unwrap().unwrap();
                d.put_object(&media, "nested", ObjType::Map).unwrap();
            }),
        ),
        (
            "a number inside a set",
            Box::new(|d| {
                let (_, media) = d.get(ROOT, "media").unwrap().unwrap();
                d.put(&media, "x", 5_i64).unwrap();
            }),
        ),
        (
            "a block inside a text",
            Box::new(|d| {
                let (_, pitch) = d.get(ROOT, "pitch").unwrap().unwrap();
                d.insert_object(&pitch, 0, ObjType::Map).unwrap();
            }),
        ),
        (
            "a mark on a text",
            Box::new(|d| {
                let (_, pitch) = d.get(ROOT, "pitch").unwrap().unwrap();
                let mark = automerge::marks::Mark::new("bold".into(), true, 0, 3);
                d.mark(&pitch, mark, automerge::marks::ExpandMark::None).unwrap();
            }),
        ),
        ("a new type", Box::new(|d| d.put(ROOT, "_type", "account").unwrap())),
        ("a new id", Box::new(|d| d.put(ROOT, "_id", uuid::Uuid::nil().to_string()).unwrap())),
        ("the text object deleted", Box::new(|d| d.delete(ROOT, "pitch").unwrap())),
    ];
    for (what, f) in cases {
        let (before, change) = hand_made(f);
        assert!(check(Some(&before), &[change]).is_err(), "{what} was accepted");
    }
}

#[test]
fn a_change_into_an_object_of_another_document_is_refused() {
    // The object ids of another product: same field names, other objects.
    let mut other = RecordDoc::create(&device(7), &product(), 9).unwrap();
    let other_bytes = other.save();
    let mut doc = automerge::AutoCommit::load(&other_bytes).unwrap().with_actor(device(7).0);
    let (_, pitch) = doc.get(ROOT, "pitch").unwrap().unwrap();
    doc.splice_text(&pitch, 0, 0, "Hé ").unwrap();
    doc.commit();
    let change = doc.get_last_local_change().unwrap();
    let err = check(Some(&stored()), &[change]).unwrap_err();
    assert!(err.contains("object this record does not have"), "{err}");
}

#[test]
fn a_new_record_must_say_what_it_is() {
    let mut doc = automerge::AutoCommit::new().with_actor(device(2).0);
    doc.put(ROOT, "name", "Garage").unwrap();
    doc.commit();
    let err = check(None, &[doc.get_last_local_change().unwrap()]).unwrap_err();
    assert!(err.contains("give its type"), "{err}");
}
