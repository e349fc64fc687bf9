//! Deciding what to do with the pushed changes of one record: pure logic, no I/O.
//!
//! The database layer locks the record, hands its stored document here with the
//! incoming changes, and stores what [`apply_doc_push`] accepted.

use crm_core::Record;
use crm_doc::{Change, DeviceActor, RecordDoc, hash_hex};
use crm_protocol::{RejectCode, Rejection};
use std::collections::HashSet;
use uuid::Uuid;

/// The outcome for one record.
pub struct DocPushOutcome {
    /// Hashes the server already had: acknowledged, nothing to store.
    pub duplicates: Vec<String>,
    /// Changes to append to the log, in order, with their hashes.
    pub accepted: Vec<(String, Vec<u8>)>,
    pub rejected: Vec<Rejection>,
    /// The merged document and what was read from it, when something was accepted.
    pub merged: Option<Merged>,
}

pub struct Merged {
    pub data: Vec<u8>,
    /// The record before the push (absent for a new record) and after it.
    pub before: Option<Record>,
    pub record: Record,
    pub conflicts: Vec<crm_doc::Conflict>,
    pub heads: String,
}

/// Applies `incoming` (raw change bytes, in the device's order) to the stored document
/// of record `doc_id`, refusing what is malformed, out of order or invalid. Whether the
/// user may make the change is decided by the caller (`authz`), which needs the
/// records' owners, and undone with [`DocPushOutcome::refuse`].
/// `erased`: the record was rewritten under a new history (RGPD erasure); changes that
/// do not follow the new history are refused for good.
pub fn apply_doc_push(doc_id: Uuid, stored: Option<&[u8]>, erased: bool, incoming: &[Vec<u8>]) -> DocPushOutcome {
    let mut out = DocPushOutcome { duplicates: Vec::new(), accepted: Vec::new(), rejected: Vec::new(), merged: None };
    let reject = |hash: String, code: RejectCode, reason: String| Rejection { doc: doc_id, hash, code, reason };
    let server_actor = DeviceActor::from_device_id(&Uuid::nil());
    let mut doc = match stored.map(|b| RecordDoc::load(b, &server_actor)) {
        Some(Ok(doc)) => doc,
        Some(Err(e)) => {
            let reason = format!("the stored record is unreadable: {e}");
            out.rejected =
                incoming.iter().map(|_| reject(String::new(), RejectCode::Invalid, reason.clone())).collect();
            return out;
        }
        None => RecordDoc::empty(&server_actor),
    };
    let before = stored.and_then(|_| doc.read().ok());
    // Fields of the wrong shape already there (written by an older version) are not
    // held against a new push; new ones are.
    let misshapen_before = stored.and_then(|_| doc.shape_errors().ok()).unwrap_or_default();

    let mut candidates: Vec<Change> = Vec::new();
    let mut seen: HashSet<automerge::ChangeHash> = HashSet::new();
    for bytes in incoming {
        let change = match Change::try_from(bytes.as_slice()) {
            Ok(c) => c,
            Err(e) => {
                out.rejected.push(reject(
                    String::new(),
                    RejectCode::Malformed,
                    format!("not an Automerge change: {e}"),
                ));
                continue;
            }
        };
        let hash = change.hash();
        if doc.has_change(&hash) {
            out.duplicates.push(hash_hex(&hash));
            continue;
        }
        if !seen.insert(hash) {
            continue;
        }
        let deps_known = change.deps().iter().all(|d| doc.has_change(d) || candidates.iter().any(|c| c.hash() == *d));
        if erased && (!deps_known || change.deps().is_empty()) {
            out.rejected.push(reject(
                hash_hex(&hash),
                RejectCode::Forbidden,
                "this record was erased at the person's request (RGPD): changes made before the erasure are refused"
                    .into(),
            ));
            continue;
        }
        if !deps_known {
            out.rejected.push(reject(
                hash_hex(&hash),
                RejectCode::MissingDeps,
                "the server lacks earlier changes of this record: send its whole history".into(),
            ));
            continue;
        }
        candidates.push(change);
    }
    if candidates.is_empty() {
        return out;
    }

    let hashes: Vec<String> = candidates.iter().map(|c| hash_hex(&c.hash())).collect();
    let reject_all = |out: &mut DocPushOutcome, code: RejectCode, reason: String| {
        for h in &hashes {
            out.rejected.push(reject(h.clone(), code, reason.clone()));
        }
    };
    let raw: Vec<(String, Vec<u8>)> =
        candidates.iter().map(|c| (hash_hex(&c.hash()), c.raw_bytes().to_vec())).collect();
    // A change can decode yet still trip an internal assertion of the CRDT library when
    // it is damaged or hostile (found by the property test below). Such a panic must
    // refuse the change, not take the request (or the server) down; the half-applied
    // document is dropped with it.
    let applied =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || doc.apply_changes(candidates).map(|_| doc)));
    let mut doc = match applied {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => {
            reject_all(&mut out, RejectCode::Malformed, format!("the change cannot be applied: {e}"));
            return out;
        }
        Err(_) => {
            reject_all(&mut out, RejectCode::Malformed, "the change is damaged and cannot be applied".into());
            return out;
        }
    };
    let misshapen: Vec<String> =
        doc.shape_errors().unwrap_or_default().into_iter().filter(|e| !misshapen_before.contains(e)).collect();
    if !misshapen.is_empty() {
        reject_all(&mut out, RejectCode::Invalid, format!("not a record this CRM writes: {}", misshapen.join(", ")));
        return out;
    }
    let after = match check_record(&doc, doc_id, before.as_ref()) {
        Ok(record) => record,
        Err(reason) => {
            reject_all(&mut out, RejectCode::Invalid, reason);
            return out;
        }
    };
    let conflicts = match doc.conflicts() {
        Ok(c) => c,
        Err(e) => {
            reject_all(&mut out, RejectCode::Invalid, e.to_string());
            return out;
        }
    };
    let heads = doc.heads_text();
    out.merged = Some(Merged { data: doc.save(), before, record: after, conflicts, heads });
    out.accepted = raw;
    out
}

impl DocPushOutcome {
    /// Refuses every change this outcome had accepted, with one reason.
    pub fn refuse(&mut self, doc_id: Uuid, code: RejectCode, reason: &str) {
        self.merged = None;
        for (hash, _) in self.accepted.drain(..) {
            self.rejected.push(Rejection { doc: doc_id, hash, code, reason: reason.to_string() });
        }
    }
}

/// The record after the push must be a valid record of the same id and type.
fn check_record(doc: &RecordDoc, doc_id: Uuid, before: Option<&Record>) -> Result<Record, String> {
    let record = doc.read().map_err(|e| e.to_string())?;
    if record.id.0 != doc_id {
        return Err(format!("the change belongs to record {}, not {doc_id}", record.id));
    }
    if let Some(before) = before
        && before.record_type != record.record_type
    {
        return Err(format!("a {} cannot become a {}", before.record_type, record.record_type));
    }
    crm_core::validate(&record).map_err(|e| format!("the record would be invalid: {e}"))?;
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A valid change creating an account, to mutate.
    fn valid_change() -> (Uuid, Vec<u8>) {
        let id = crm_core::RecordId(Uuid::from_u128(7));
        let mut record = Record::new(id, crm_core::RecordType::Account);
        record.fields.insert("name".into(), "Garage Moreau".into());
        record.fields.insert("kind".into(), "customer".into());
        let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&Uuid::from_u128(9)), &record, 0).unwrap();
        (id.0, doc.all_changes()[0].raw_bytes().to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// Random bytes are refused with a reason, never a panic, and never stored.
        #[test]
        fn random_bytes_never_crash_the_push(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let out = apply_doc_push(Uuid::from_u128(1), None, false, &[bytes]);
            prop_assert!(out.merged.is_none() || !out.accepted.is_empty());
            for r in &out.rejected {
                prop_assert!(!r.reason.is_empty());
            }
        }

        /// A valid change with bytes flipped is refused or, if still a valid change of a
        /// valid record, accepted: never a panic, never an invalid record stored.
        #[test]
        fn damaged_changes_are_refused_or_valid(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6)) {
            let (doc, mut bytes) = valid_change();
            for (at, value) in flips {
                let i = at % bytes.len();
                bytes[i] ^= value;
            }
            let out = apply_doc_push(doc, None, false, &[bytes]);
            if let Some(merged) = &out.merged {
                prop_assert!(crm_core::validate(&merged.record).is_ok());
            }
        }
    }

    #[test]
    fn a_change_of_another_record_is_refused() {
        let (_, bytes) = valid_change();
        let out = apply_doc_push(Uuid::from_u128(8), None, false, &[bytes]);
        assert!(out.merged.is_none());
        assert!(out.rejected[0].reason.contains("belongs to record"), "{}", out.rejected[0].reason);
    }
}
