//! Decoding what a hostile client sends never takes much memory: random and adversarial
//! changes (run-length encoded columns declaring up to 2^62 operations, compressed
//! chunks inflating to a GiB, damaged real changes) are decoded, checked and
//! applied the way the server merges a push, in a child process whose address space is
//! capped at 512 MiB (`prlimit`), and whose peak resident memory must stay under
//! 128 MiB. (An allocation past the cap may fail quietly, a refused change among
//! others: the peak is what shows whether decoding inflated anything.)

use crm_core::{FieldValue, Record, RecordId, RecordType};
use crm_doc::wire::{CHUNK_CHANGE, change_body, chunk, compressed_bomb, sleb, uleb};
use crm_doc::{DeviceActor, RecordDoc, decode_change};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const CAP_BYTES: u64 = 512 << 20;

#[test]
fn decoding_hostile_changes_stays_under_a_memory_cap() {
    if std::env::var_os("CRM_UNDER_MEMORY_CAP").is_none() {
        let out = std::process::Command::new("prlimit")
            .arg(format!("--as={CAP_BYTES}"))
            .arg("--")
            .arg(std::env::current_exe().unwrap())
            .args(["--exact", "decoding_hostile_changes_stays_under_a_memory_cap", "--test-threads=1"])
            .env("CRM_UNDER_MEMORY_CAP", "1")
            .output()
            .expect("prlimit (util-linux) runs the properties under the cap");
        assert!(
            out.status.success(),
            "the properties failed or ran out of memory under {CAP_BYTES} bytes: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let mut runner = TestRunner::new(Config { cases: 300, failure_persistence: None, ..Config::default() });
    runner.run(&hostile_change(), |bytes| merge_like_the_server(&bytes)).unwrap();
    // The largest bombs, a few times (each costs its size in time to build).
    for size in [256 << 20, 1 << 30] {
        merge_like_the_server(&compressed_bomb(size)).unwrap();
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let peak_kib: u64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(peak_kib < PEAK_KIB, "decoding took {peak_kib} KiB at its peak");
}

const PEAK_KIB: u64 = 128 * 1024;

/// Decode, check and apply, as `push::merge_record` does; never a panic.
fn merge_like_the_server(bytes: &[u8]) -> Result<(), TestCaseError> {
    let Ok(change) = decode_change(bytes) else { return Ok(()) };
    prop_assert!(change.len() as u64 <= crm_doc::MAX_CHANGE_OPS);
    let changes = vec![change];
    if crm_doc::check_changes(None, uuid::Uuid::from_u128(5), &changes).is_ok() {
        let mut doc = RecordDoc::empty(&DeviceActor::from_device_id(&uuid::Uuid::nil()));
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| doc.apply_changes(changes)));
    }
    Ok(())
}

fn real_change() -> Vec<u8> {
    let mut record = Record::new(RecordId(uuid::Uuid::from_u128(5)), RecordType::Activity);
    record.fields.insert("account".into(), FieldValue::from(uuid::Uuid::from_u128(6).to_string()));
    record.fields.insert("kind".into(), "visit".into());
    record.fields.insert("at".into(), "2026-03-14T09:30:00+01:00".into());
    record.fields.insert("body".into(), "Rencontré le gérant, devis à faire.".into());
    let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&uuid::Uuid::from_u128(9)), &record, 0).unwrap();
    doc.all_changes()[0].raw_bytes().to_vec()
}

/// Changes an attacker writes: columns of runs with huge counts, a real change with
/// bytes flipped, compressed chunks of a few MiB.
fn hostile_change() -> impl Strategy<Value = Vec<u8>> {
    let runs = proptest::collection::vec((any::<i64>(), 0u64..1 << 20), 1..6).prop_map(|runs| {
        let mut column = Vec::new();
        for (count, value) in runs {
            sleb(&mut column, count >> (count.unsigned_abs() % 64));
            if count == 0 {
                uleb(&mut column, value << 40);
            } else {
                uleb(&mut column, value);
            }
        }
        chunk(CHUNK_CHANGE, &change_body(&column))
    });
    let damaged = proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8).prop_map(|flips| {
        let mut bytes = real_change();
        for (at, value) in flips {
            let i = at % bytes.len();
            bytes[i] ^= value;
        }
        bytes
    });
    let compressed = (1usize..8).prop_map(|mib| compressed_bomb(mib << 20));
    prop_oneof![4 => runs, 4 => damaged, 1 => compressed]
}

/// A damaged real change the properties found (CI, 2026-12-04): its operations name an
/// actor the change does not list; Automerge's decoding unwrapped it and panicked. It is
/// now refused as not this product's change.
#[test]
fn a_change_naming_an_actor_it_does_not_carry_is_refused_without_a_panic() {
    let bytes: Vec<u8> = vec![
        133, 111, 74, 131, 65, 84, 72, 111, 1, 176, 2, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 1, 1, 0,
        0, 0, 10, 1, 6, 2, 6, 17, 6, 19, 9, 21, 44, 52, 3, 66, 7, 86, 28, 87, 148, 1, 112, 2, 0, 6, 35, 0, 0, 1, 0, 6,
        35, 3, 0, 1, 0, 7, 34, 1, 0, 1, 0, 6, 126, 0, 7, 33, 1, 0, 1, 122, 5, 95, 116, 121, 112, 101, 3, 95, 105, 100,
        4, 98, 111, 100, 121, 8, 99, 111, 110, 116, 97, 99, 116, 115, 7, 97, 99, 99, 111, 117, 110, 116, 2, 97, 116, 0,
        35, 127, 4, 107, 105, 110, 100, 6, 35, 1, 2, 1, 126, 4, 0, 38, 1, 126, 134, 1, 198, 4, 2, 0, 126, 198, 4, 150,
        3, 8, 22, 127, 38, 5, 22, 127, 38, 12, 22, 127, 38, 7, 22, 127, 86, 97, 99, 116, 105, 118, 105, 116, 121, 48,
        48, 48, 48, 48, 48, 48, 48, 45, 48, 48, 48, 48, 45, 48, 48, 48, 48, 45, 48, 48, 48, 48, 45, 48, 48, 48, 48, 48,
        48, 48, 48, 48, 48, 48, 53, 48, 48, 48, 48, 48, 48, 48, 48, 45, 48, 48, 48, 48, 45, 48, 48, 48, 48, 45, 48, 48,
        48, 48, 45, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 54, 50, 48, 50, 54, 45, 48, 51, 45, 49, 52, 84, 48, 57,
        58, 51, 48, 58, 48, 48, 43, 48, 49, 58, 48, 48, 82, 101, 110, 99, 111, 110, 116, 114, 195, 169, 32, 108, 101,
        32, 103, 195, 169, 114, 97, 110, 116, 44, 32, 100, 101, 118, 105, 115, 32, 195, 160, 32, 102, 97, 105, 114,
        101, 46, 118, 105, 115, 105, 116, 42, 0,
    ];
    let change = decode_change(&bytes).expect("it passes the bounded decoding: the actor index is what is wrong");
    let checked = std::panic::catch_unwind(|| crm_doc::check_changes(None, uuid::Uuid::from_u128(5), &[change]));
    assert!(matches!(checked, Ok(Err(_))), "refused, not a panic");
}
