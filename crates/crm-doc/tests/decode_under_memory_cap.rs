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
