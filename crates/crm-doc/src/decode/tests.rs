use super::*;
use crate::{DeviceActor, RecordDoc};
use crm_core::{FieldValue, Record, RecordId, RecordType};

/// A real change: a visit report created with a body of `body_len` characters.
fn real_change(body_len: usize) -> automerge::Change {
    let mut record = Record::new(RecordId(uuid::Uuid::from_u128(5)), RecordType::Activity);
    record.fields.insert("account".into(), FieldValue::from(uuid::Uuid::from_u128(6).to_string()));
    record.fields.insert("kind".into(), "visit".into());
    record.fields.insert("at".into(), "2026-03-14T09:30:00+01:00".into());
    let body: String = "Rencontré le gérant. ".chars().cycle().take(body_len).collect();
    record.fields.insert("body".into(), FieldValue::Text(body));
    let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&uuid::Uuid::from_u128(9)), &record, 0).unwrap();
    doc.all_changes().remove(0)
}

use crate::wire::{change_body, chunk, sleb, uleb};

#[test]
fn a_change_this_product_writes_decodes_to_itself() {
    let change = real_change(5_000);
    let decoded = decode_change(change.raw_bytes()).unwrap();
    assert_eq!(decoded.hash(), change.hash());
    assert_eq!(decoded.len(), change.len());
}

#[test]
fn the_largest_text_this_product_accepts_fits_the_limits() {
    let change = real_change(200_000);
    assert!(change.raw_bytes().len() < MAX_CHANGE_BYTES);
    assert!(decode_change(change.raw_bytes()).is_ok());
}

#[test]
fn a_compressed_change_is_refused_before_it_is_inflated() {
    let mut change = real_change(20_000);
    let compressed = change.bytes().to_vec();
    assert_eq!(compressed[8], CHUNK_COMPRESSED, "automerge compresses a change this large");
    assert_eq!(decode_change(&compressed).unwrap_err(), DecodeError::Compressed);
    // A deflate bomb: the length of the inflated data is nowhere in the chunk.
    let bomb = crate::wire::compressed_bomb(64 << 20);
    assert_eq!(decode_change(&bomb).unwrap_err(), DecodeError::Compressed);
}

#[test]
fn a_run_declaring_a_billion_operations_is_refused_without_reading_them() {
    let bytes = crate::wire::run_length_bomb(1_000_000_000);
    assert!(matches!(decode_change(&bytes), Err(DecodeError::TooLarge(_))), "{:?}", decode_change(&bytes));
    // Many runs just under the limit each add up.
    let mut column = Vec::new();
    for _ in 0..3 {
        sleb(&mut column, 300_000);
        uleb(&mut column, 1);
    }
    let bytes = chunk(CHUNK_CHANGE, &change_body(&column));
    assert!(matches!(decode_change(&bytes), Err(DecodeError::TooLarge(_))));
    // A null run too.
    let mut column = Vec::new();
    sleb(&mut column, 0);
    uleb(&mut column, u64::MAX);
    let bytes = chunk(CHUNK_CHANGE, &change_body(&column));
    assert!(matches!(decode_change(&bytes), Err(DecodeError::TooLarge(_))));
}

#[test]
fn documents_bundles_trailing_bytes_and_oversize_changes_are_refused() {
    let change = real_change(100);
    let mut trailing = change.raw_bytes().to_vec();
    trailing.push(0);
    assert!(matches!(decode_change(&trailing), Err(DecodeError::Malformed(_))));
    let mut doc = automerge::AutoCommit::new();
    assert!(matches!(decode_change(&doc.save()), Err(DecodeError::Malformed(_))));
    let huge = vec![0u8; MAX_CHANGE_BYTES + 1];
    assert!(matches!(decode_change(&huge), Err(DecodeError::TooLarge(_))));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Damaged bytes of a real change are refused or decode: never a panic, and
        /// whatever decodes is within the limits.
        #[test]
        fn damaged_changes_decode_within_the_limits_or_are_refused(
            flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)
        ) {
            let mut bytes = real_change(300).raw_bytes().to_vec();
            for (at, value) in flips {
                let i = at % bytes.len();
                bytes[i] ^= value;
            }
            if let Ok(change) = decode_change(&bytes) {
                prop_assert!(change.len() as u64 <= MAX_CHANGE_OPS);
            }
        }

        /// Random column data under a valid framing never costs more than its bytes.
        #[test]
        fn random_columns_are_counted_or_refused(column in proptest::collection::vec(any::<u8>(), 0..64)) {
            let bytes = chunk(CHUNK_CHANGE, &change_body(&column));
            let _ = decode_change(&bytes);
        }
    }
}
