use super::*;
use crm_core::{FieldValue, Record, RecordId, RecordType};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("crm.db")).unwrap();
    (dir, store)
}

fn account(name: &str, city: &str) -> Record {
    let mut r = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Account);
    r.fields.insert("name".into(), name.into());
    r.fields.insert("kind".into(), "prospect".into());
    r.fields.insert("city".into(), city.into());
    r
}

#[test]
fn a_created_record_is_listed_searchable_and_queued_for_the_server() {
    let (_dir, mut store) = store();
    store.create_record(&account("Boulangerie Étienne", "Saint-Étienne"), 1).unwrap();
    store.create_record(&account("Garage Moreau", "Nantes"), 1).unwrap();
    let names: Vec<_> = store.list(RecordType::Account).unwrap().into_iter().map(|s| s.record.label()).collect();
    assert_eq!(names, ["Boulangerie Étienne", "Garage Moreau"]);
    // Accents are ignored and words match as prefixes.
    let hits = store.search("etien boul", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].label, "Boulangerie Étienne");
    assert_eq!(store.pending_count().unwrap(), 2);
}

#[test]
fn a_siret_typed_with_spaces_is_kept_compact_and_a_mistyped_one_is_refused_by_its_checksum() {
    let (_dir, mut store) = store();
    let mut ok = account("Garage du Contrôle", "Lyon");
    ok.fields.insert("siret".into(), "732 829 320 00074".into());
    let created = store.create_record(&ok, 1).unwrap();
    assert_eq!(created.record.text("siret"), Some("73282932000074"));
    let mut bad = account("Garage du Contrôle", "Lyon");
    bad.fields.insert("siret".into(), "732 829 320 00075".into());
    let err = store.create_record(&bad, 1).unwrap_err().to_string();
    assert!(err.contains("checksum"), "the digits are right, their key is not: {err}");
}

#[test]
fn an_edit_updates_the_row_and_the_index_and_adds_one_change() {
    let (_dir, mut store) = store();
    let created = store.create_record(&account("Garage Moreau", "Nantes"), 1).unwrap();
    let edit = [("city".to_string(), Some(FieldValue::from("Rennes")))].into_iter().collect();
    store.edit_record(&created.record.id, &edit, 2).unwrap();
    let stored = store.get_record(&created.record.id.to_string()).unwrap().unwrap();
    assert_eq!(stored.record.text("city"), Some("Rennes"));
    assert!(store.search("nantes", 10).unwrap().is_empty());
    assert_eq!(store.search("rennes", 10).unwrap().len(), 1);
    assert_eq!(store.pending_count().unwrap(), 2);
}

#[test]
fn an_invalid_edit_changes_nothing_at_all() {
    let (_dir, mut store) = store();
    let created = store.create_record(&account("Garage Moreau", "Nantes"), 1).unwrap();
    let edit = [("email".to_string(), Some(FieldValue::from("nope")))].into_iter().collect();
    assert!(store.edit_record(&created.record.id, &edit, 2).is_err());
    assert_eq!(store.pending_count().unwrap(), 1);
    let stored = store.get_record(&created.record.id.to_string()).unwrap().unwrap();
    assert_eq!(stored.record, created.record);
}

#[test]
fn a_contact_must_belong_to_an_account_on_this_device() {
    let (_dir, mut store) = store();
    let mut contact = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Contact);
    contact.fields.insert("name".into(), "Jeanne Martin".into());
    contact.fields.insert("account".into(), uuid::Uuid::now_v7().to_string().into());
    let err = store.create_record(&contact, 1).unwrap_err();
    assert!(err.to_string().contains("no account"), "{err}");
}

#[test]
fn the_device_id_is_minted_once_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let first = Store::open(&dir.path().join("crm.db")).unwrap().device_id();
    let again = Store::open(&dir.path().join("crm.db")).unwrap().device_id();
    assert_eq!(first, again);
}

#[test]
fn a_pulled_snapshot_becomes_a_local_record_and_moves_the_cursor() {
    let (_dir, mut a) = store();
    let (_dir2, mut b) = store();
    let created = a.create_record(&account("Cave Dubois", "Dijon"), 1).unwrap();
    let data: Vec<u8> = a.conn.query_row("SELECT data FROM docs", [], |r| r.get(0)).unwrap();
    let applied = b
        .apply_pull(
            vec![PulledDoc::Snapshot { doc_id: created.record.id.to_string(), data, view: None, replace: false }],
            42,
            "proof",
            2,
        )
        .unwrap();
    assert_eq!(applied.records, 1);
    assert_eq!(b.cursor().unwrap(), 42);
    assert_eq!(b.cursor_proof().unwrap().as_deref(), Some("proof"), "the proof goes with its cursor");
    assert_eq!(b.get_record(&created.record.id.to_string()).unwrap().unwrap().record, created.record);
    assert_eq!(b.pending_count().unwrap(), 0, "pulled records are not pushed back");
}

/// Whether any page of the search index holds `word` (as FTS5 stores terms: lowercase,
/// no accents; a term sorting after all others is stored whole).
fn index_holds(store: &Store, word: &str) -> bool {
    let mut stmt = store.conn.prepare("SELECT block FROM search_data").unwrap();
    let blocks: Vec<Vec<u8>> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    blocks.iter().any(|b| b.windows(word.len()).any(|w| w == word.as_bytes()))
}

#[test]
fn the_words_of_a_record_that_leaves_the_device_leave_the_search_index() {
    let (_dir, mut store) = store();
    let leaving = store.create_record(&account("Garage Zygomatique", "Nantes"), 1).unwrap();
    store.create_record(&account("Boulangerie Martin", "Lyon"), 1).unwrap();
    assert!(index_holds(&store, "zygomatique"), "the check sees the word where it is");
    let drop = PulledDoc::Drop { doc_id: leaving.record.id.to_string(), purge: false };
    let applied = store.apply_pull(vec![drop], 5, "", 2).unwrap();
    assert_eq!(applied.dropped, 1);
    assert!(store.search("zygomatique", 10).unwrap().is_empty());
    assert!(!index_holds(&store, "zygomatique"), "the index no longer holds the word");
    assert_eq!(store.search("martin", 10).unwrap().len(), 1, "the other record stays searchable");
}

#[test]
fn a_wiped_store_keeps_no_word_in_its_search_index() {
    let (_dir, mut store) = store();
    store.create_record(&account("Garage Zygomatique", "Nantes"), 1).unwrap();
    store.wipe().unwrap();
    assert!(!index_holds(&store, "zygomatique"));
}

#[test]
fn records_created_together_are_all_searchable_and_a_failed_batch_indexes_nothing() {
    let (_dir, mut store) = store();
    let batch: Vec<Record> = (0..50).map(|i| account(&format!("Garage {i}"), &format!("Ville{i}"))).collect();
    store.create_records(&batch, 1).unwrap();
    for i in [0, 17, 49] {
        assert_eq!(store.search(&format!("ville{i}"), 10).unwrap().len(), 1, "ville{i}");
    }
    let mut bad = vec![account("Imprimerie Zénith", "Quimper")];
    let mut invalid = account("Sans type", "Brest");
    invalid.fields.insert("email".into(), "pas un e-mail".into());
    bad.push(invalid);
    assert!(store.create_records(&bad, 2).is_err());
    assert!(store.search("quimper", 10).unwrap().is_empty(), "nothing of a refused batch is indexed");
    store.create_record(&account("Imprimerie Zénith", "Quimper"), 3).unwrap();
    assert_eq!(store.search("quimper", 10).unwrap().len(), 1);
}

#[test]
fn names_come_first_then_the_newest_records_that_mention_the_words() {
    let (_dir, mut store) = store();
    let old = store.create_record(&account("Garage Dupuis", "Lyon"), 1).unwrap();
    let mut mentions = Vec::new();
    for i in 0..5 {
        let mut note = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Activity);
        note.fields.insert("account".into(), old.record.id.to_string().into());
        note.fields.insert("kind".into(), "note".into());
        note.fields.insert("at".into(), "2026-03-14T09:30:00Z".into());
        note.fields.insert("subject".into(), FieldValue::Text(format!("Note {i}")));
        note.fields.insert("body".into(), "Rappeler Moreau pour le devis.".into());
        mentions.push(store.create_record(&note, 2).unwrap().record.id.to_string());
    }
    let named = store.create_record(&account("Boulangerie Moreau", "Nantes"), 3).unwrap();
    let hits = store.search("moreau", 4).unwrap();
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids[0], named.record.id.to_string(), "the record named so comes first");
    assert_eq!(&ids[1..], [&mentions[4], &mentions[3], &mentions[2]], "then the newest mentions");
    assert!(hits[1].snippet.contains("[Moreau]"), "{}", hits[1].snippet);
}

#[test]
fn an_erased_record_leaves_nothing_behind_not_even_its_refused_changes() {
    let (_dir, mut store) = store();
    let person = store.create_record(&account("Jeanne Secrète", "Nantes"), 1).unwrap();
    let id = person.record.id.to_string();
    // Its record leaves the device (reassigned): the unsent creation is kept as refused.
    store.apply_pull(vec![PulledDoc::Drop { doc_id: id.clone(), purge: false }], 5, "", 2).unwrap();
    assert_eq!(store.rejections().unwrap().len(), 1, "nothing typed is lost while the record is only reassigned");
    // Then the person is erased: the refused change, which holds the name, goes too.
    store.apply_pull(vec![PulledDoc::Drop { doc_id: id, purge: true }], 6, "", 3).unwrap();
    assert!(store.rejections().unwrap().is_empty());
    let held: i64 =
        store.conn.query_row("SELECT COUNT(*) FROM rejections WHERE data IS NOT NULL", [], |r| r.get(0)).unwrap();
    assert_eq!(held, 0);
}

#[test]
fn accounts_stored_before_the_duplicate_keys_are_filed_at_the_next_opening() {
    let (dir, mut store) = store();
    for name in ["Boulangerie Dupont", "Boulangerie Dupond"] {
        let mut a = account(name, "Lyon");
        a.fields.insert("postal_code".into(), "69003".into());
        store.create_record(&a, 1).unwrap();
    }
    assert_eq!(store.duplicate_pairs(RecordType::Account).unwrap().len(), 1);
    // As a device that ran a version without the keys: none filed, the migration's flag set.
    store
        .conn
        .execute_batch("DELETE FROM dup_keys; INSERT INTO meta (key, value) VALUES ('dup_keys_pending', '1');")
        .unwrap();
    assert!(store.duplicate_pairs(RecordType::Account).unwrap().is_empty());
    drop(store);
    let store = Store::open(&dir.path().join("crm.db")).unwrap();
    assert_eq!(store.duplicate_pairs(RecordType::Account).unwrap().len(), 1);
    assert_eq!(store.meta("dup_keys_pending").unwrap(), None, "filed once");
}
