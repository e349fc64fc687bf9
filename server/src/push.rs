//! Deciding what to do with a push: pure logic, no I/O.
//!
//! Two steps. [`merge_record`] takes one record's stored document and the changes
//! pushed for it, and decodes, checks, applies and validates them (CPU only, run on the
//! blocking pool, one record at a time). [`plan`] then takes every merged record of the
//! batch with the facts the database holds (owners, territories, the user) and decides
//! what is stored, what is refused and who owns what, authorising each record through
//! [`authz`]. The database layer (`db::sync`) loads, locks and stores around them.

use crate::authz;
use crate::db::Territory;
use crm_core::permissions::{self, Viewer};
use crm_core::{Code, FieldValue, Problem, Record, RecordType};
use crm_doc::{Change, DecodeError, DeviceActor, RecordDoc, hash_hex};
use crm_protocol::{RejectCode, Rejection};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The largest record document the server keeps (saved, in bytes). A visit report at
/// its longest, edited many times, stays well under it.
pub const MAX_DOC_BYTES: usize = 8 * 1024 * 1024;

/// What is stored of a record when a push arrives (read under the record's lock).
pub struct StoredDoc {
    pub data: Vec<u8>,
    /// Rewritten under a new history (RGPD erasure): older changes are refused for good.
    pub erased: bool,
}

/// Who is pushing, as the merge sees it, and what the server writes for them.
pub struct Author {
    /// The sending device's Automerge actor: every change it makes carries it.
    pub device: DeviceActor,
    /// The server's log was restored recently: changes made elsewhere and lost with
    /// the log may be relayed by any device that holds them (docs/sync-protocol.md).
    pub relay: bool,
    pub user_id: String,
    pub role: crm_core::Role,
    /// The rules giving new accounts and leads of the office an owner.
    pub territories: std::sync::Arc<Vec<Territory>>,
    pub now: i64,
    /// The largest document kept ([`MAX_DOC_BYTES`]).
    pub max_doc_bytes: usize,
}

/// The outcome for one record after merging.
pub struct DocPushOutcome {
    pub doc_id: Uuid,
    /// Hashes the server already had: acknowledged, nothing to store.
    pub duplicates: Vec<String>,
    /// Changes to append to the log, in order: hash, bytes, written by the server.
    pub accepted: Vec<LoggedChange>,
    pub rejected: Vec<Rejection>,
    /// The merged document and what was read from it, when something was accepted.
    pub merged: Option<Merged>,
}

pub struct LoggedChange {
    pub hash: String,
    pub bytes: Vec<u8>,
    /// Written by the server itself (an owner or author it sets).
    pub by_server: bool,
    /// Made on another device and relayed by this one (after a restore).
    pub relayed: bool,
}

pub struct Merged {
    pub data: Vec<u8>,
    /// The record before the push (absent for a new record) and after it.
    pub before: Option<Record>,
    pub record: Record,
    pub conflicts: Vec<crm_doc::Conflict>,
    pub heads: String,
}

impl DocPushOutcome {
    fn new(doc_id: Uuid) -> DocPushOutcome {
        DocPushOutcome { doc_id, duplicates: Vec::new(), accepted: Vec::new(), rejected: Vec::new(), merged: None }
    }

    fn reject(&mut self, hash: String, code: RejectCode, problem: Problem) {
        let reason = problem.to_string();
        self.rejected.push(Rejection { doc: self.doc_id, hash, code, reason, problem: Some(problem) });
    }

    /// Refuses every change this outcome had accepted, with one reason.
    pub fn refuse(&mut self, code: RejectCode, problem: &Problem) {
        self.merged = None;
        for change in std::mem::take(&mut self.accepted) {
            if !change.by_server {
                self.reject(change.hash, code, problem.clone());
            }
        }
    }

    /// Refuses everything pushed for this record, acknowledged duplicates and earlier
    /// refusals included, with one reason that says nothing of the record.
    fn refuse_all(&mut self, code: RejectCode, problem: &Problem) {
        let earlier: Vec<String> = self.rejected.drain(..).map(|r| r.hash).collect();
        let duplicates = std::mem::take(&mut self.duplicates);
        self.refuse(code, problem);
        for hash in earlier.into_iter().chain(duplicates) {
            self.reject(hash, code, problem.clone());
        }
    }
}

/// One pushed change, decoded with bounded cost, or why it could not be.
pub type Decoded = Result<Change, DecodeError>;

/// Decodes the changes pushed for one record (CPU: run on the blocking pool).
pub fn decode_all(incoming: &[Vec<u8>]) -> Vec<Decoded> {
    incoming.iter().map(|bytes| crm_doc::decode_change(bytes)).collect()
}

/// The hashes (hex) of the changes that decoded.
pub fn hashes(decoded: &[Decoded]) -> impl Iterator<Item = String> + '_ {
    decoded.iter().filter_map(|d| d.as_ref().ok()).map(|c| hash_hex(&c.hash()))
}

/// Merges the changes pushed for one record into its stored document. `logged` holds
/// the hashes among them the log already has: acknowledged without loading the
/// document (a push sent again costs an index lookup). A panic inside the CRDT library
/// (a damaged or hostile change) refuses this record only.
pub fn merge_record(
    doc_id: Uuid,
    stored: Option<&StoredDoc>,
    changes: Vec<Decoded>,
    logged: &HashSet<String>,
    author: &Author,
) -> DocPushOutcome {
    let all: Vec<String> =
        changes.iter().map(|d| d.as_ref().map(|c| hash_hex(&c.hash())).unwrap_or_default()).collect();
    let merged =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| merge(doc_id, stored, changes, logged, author)));
    merged.unwrap_or_else(|_| {
        let mut out = DocPushOutcome::new(doc_id);
        for hash in all {
            out.reject(hash, RejectCode::Malformed, malformed("the change is damaged and cannot be applied"));
        }
        out
    })
}

fn merge(
    doc_id: Uuid,
    stored: Option<&StoredDoc>,
    changes: Vec<Decoded>,
    logged: &HashSet<String>,
    author: &Author,
) -> DocPushOutcome {
    let mut out = DocPushOutcome::new(doc_id);
    let mut fresh: Vec<Change> = Vec::new();
    for decoded in changes {
        match decoded {
            Ok(change) if logged.contains(&hash_hex(&change.hash())) => out.duplicates.push(hash_hex(&change.hash())),
            Ok(change) => fresh.push(change),
            Err(e) => {
                let code = match e {
                    DecodeError::TooLarge(_) => RejectCode::TooLarge,
                    DecodeError::Malformed(_) | DecodeError::Compressed => RejectCode::Malformed,
                };
                let problem = match e {
                    DecodeError::TooLarge(detail) => Problem::new(Code::ChangeTooLarge).param("detail", detail),
                    other => malformed(other.to_string().trim_start_matches("not an Automerge change: ")),
                };
                out.reject(String::new(), code, problem);
            }
        }
    }
    if fresh.is_empty() {
        return out;
    }
    let server_actor = DeviceActor::from_device_id(&Uuid::nil());
    let mut doc = match stored.map(|s| RecordDoc::load(&s.data, &server_actor)) {
        Some(Ok(doc)) => doc,
        Some(Err(e)) => {
            for change in fresh {
                out.reject(
                    hash_hex(&change.hash()),
                    RejectCode::Invalid,
                    Problem::new(Code::RecordInvalid).param("detail", format!("the stored record is unreadable: {e}")),
                );
            }
            return out;
        }
        None => RecordDoc::empty(&server_actor),
    };
    let erased = stored.is_some_and(|s| s.erased);
    let before = stored.and_then(|_| doc.read().ok());

    let mut candidates: Vec<Change> = Vec::new();
    let mut seen: HashSet<automerge::ChangeHash> = HashSet::new();
    for change in fresh {
        let hash = change.hash();
        if doc.has_change(&hash) {
            out.duplicates.push(hash_hex(&hash));
            continue;
        }
        if !seen.insert(hash) {
            continue;
        }
        // Signed by another device: refused, unless the log is recovering from a
        // restore (then relayed, and marked so in the log).
        if change.actor_id() != &author.device.0 && !author.relay {
            out.reject(hash_hex(&hash), RejectCode::Forbidden, Problem::new(Code::OtherDevicesChange));
            continue;
        }
        let deps_known = change.deps().iter().all(|d| doc.has_change(d) || candidates.iter().any(|c| c.hash() == *d));
        if erased && (!deps_known || change.deps().is_empty()) {
            out.reject(hash_hex(&hash), RejectCode::Forbidden, Problem::new(Code::ErasedRecord));
            continue;
        }
        if !deps_known {
            out.reject(hash_hex(&hash), RejectCode::MissingDeps, Problem::new(Code::MissingHistory));
            continue;
        }
        candidates.push(change);
    }
    if candidates.is_empty() {
        return out;
    }
    let accepted: Vec<LoggedChange> = candidates
        .iter()
        .map(|c| LoggedChange {
            hash: hash_hex(&c.hash()),
            bytes: c.raw_bytes().to_vec(),
            by_server: false,
            relayed: c.actor_id() != &author.device.0,
        })
        .collect();
    let hashes: Vec<String> = accepted.iter().map(|c| c.hash.clone()).collect();
    let reject_all = |out: &mut DocPushOutcome, code: RejectCode, problem: Problem| {
        for hash in &hashes {
            out.reject(hash.clone(), code, problem.clone());
        }
    };
    // Every operation must be one this product writes, before anything is applied.
    if let Err(reason) = crm_doc::check_changes(stored.map(|_| &doc), doc_id, &candidates) {
        reject_all(&mut out, RejectCode::Invalid, Problem::new(Code::NotThisProductsRecord).param("detail", reason));
        return out;
    }
    if let Err(e) = doc.apply_changes(candidates) {
        reject_all(&mut out, RejectCode::Malformed, malformed(&format!("the change cannot be applied: {e}")));
        return out;
    }
    let data = doc.save();
    if data.len() > author.max_doc_bytes {
        let problem = Problem::new(Code::RecordTooLarge)
            .param("size", data.len() / 1024)
            .param("max", author.max_doc_bytes / 1024);
        reject_all(&mut out, RejectCode::TooLarge, problem);
        return out;
    }
    let after = match check_record(&doc, doc_id, before.as_ref()) {
        Ok(record) => record,
        Err(problem) => {
            reject_all(&mut out, RejectCode::Invalid, problem);
            return out;
        }
    };
    let conflicts = match doc.conflicts() {
        Ok(c) => c,
        Err(e) => {
            reject_all(&mut out, RejectCode::Invalid, Problem::new(Code::RecordInvalid).param("detail", e));
            return out;
        }
    };
    let heads = doc.heads_text();
    let mut merged = Merged { data, before, record: after, conflicts, heads };
    let mut accepted = accepted;
    match server_fields(&mut merged, author) {
        Ok(server_changes) => accepted.extend(server_changes),
        Err(problem) => {
            reject_all(&mut out, RejectCode::Invalid, problem);
            return out;
        }
    }
    out.merged = Some(merged);
    out.accepted = accepted;
    out
}

/// The record after the push must be a valid record of the same id and type.
fn check_record(doc: &RecordDoc, doc_id: Uuid, before: Option<&Record>) -> Result<Record, Problem> {
    let invalid = |detail: String| Problem::new(Code::RecordInvalid).param("detail", detail);
    let record = doc.read().map_err(|e| invalid(e.to_string()))?;
    if record.id.0 != doc_id {
        return Err(invalid(format!("the change belongs to record {}, not {doc_id}", record.id)));
    }
    if let Some(before) = before
        && before.record_type != record.record_type
    {
        return Err(invalid(format!("a {} cannot become a {}", before.record_type, record.record_type)));
    }
    // The rule broken, as the user reads it (with the field at fault).
    crm_core::validate(&record)?;
    Ok(record)
}

/// A change that cannot be read.
fn malformed(detail: &str) -> Problem {
    Problem::new(Code::ChangeMalformed).param("detail", detail)
}

/// What the database holds that the plan needs, read once the log is locked (so a
/// reassignment committed meanwhile is seen).
pub struct Facts<'a> {
    pub viewer: &'a Viewer,
    /// The stored records of the batch, and the accounts and deals they name: type and
    /// effective owner.
    pub stored: &'a HashMap<String, (RecordType, Option<String>)>,
    pub now: i64,
}

/// One record to store.
pub struct RecordWrite {
    pub id: String,
    pub merged: Merged,
    pub changes: Vec<LoggedChange>,
    /// The effective owner after the push, and whether it comes from the account.
    pub owner: Option<String>,
    pub inherits: bool,
    /// The record changed hands: its previous owner (devices that could read it then
    /// are told to drop it, see `db::sync::pull`).
    pub moved_from: Option<Option<String>>,
}

/// What a push does.
#[derive(Default)]
pub struct Plan {
    pub acked: Vec<String>,
    pub rejected: Vec<Rejection>,
    pub writes: Vec<RecordWrite>,
}

/// Decides the whole batch: accounts first, then deals, then the rest, so that a
/// record hanging from an account or a deal of the same batch sees that record's new
/// owner only if its changes are accepted.
pub fn plan(mut merged: Vec<DocPushOutcome>, facts: &Facts<'_>) -> Plan {
    let rank = |o: &DocPushOutcome| match o.merged.as_ref().map(|m| m.record.record_type) {
        Some(RecordType::Account) => 0,
        Some(RecordType::Deal) => 1,
        _ => 2,
    };
    merged.sort_by_key(rank);
    let mut plan = Plan::default();
    // Effective owners as this batch leaves them: accepted records only.
    let mut owners: HashMap<String, (RecordType, Option<String>)> = HashMap::new();
    for mut outcome in merged {
        let id = outcome.doc_id.to_string();
        let stored = facts.stored.get(&id);
        // Permission before validation: of a record the user may not read, a refusal
        // says `forbidden`, in the same words whatever the change or the record.
        if let Some((kind, owner)) = stored
            && !authz::can_read(facts.viewer, kind.as_str(), owner.as_deref())
        {
            outcome.refuse_all(RejectCode::Forbidden, &Problem::new(Code::RecordOutOfScope));
            plan.rejected.extend(outcome.rejected);
            continue;
        }
        if let Some(m) = outcome.merged.as_ref() {
            match decide(m, stored, &owners, facts) {
                Ok(owner) => {
                    let m = outcome.merged.take().expect("merged");
                    owners.insert(id.clone(), (m.record.record_type, owner.clone()));
                    let moved_from = stored.map(|(_, old)| old.clone()).filter(|old| *old != owner);
                    let inherits = permissions::inherits_owner(&m.record);
                    plan.acked.extend(outcome.accepted.iter().filter(|c| !c.by_server).map(|c| c.hash.clone()));
                    plan.writes.push(RecordWrite {
                        id,
                        merged: m,
                        changes: std::mem::take(&mut outcome.accepted),
                        owner,
                        inherits,
                        moved_from,
                    });
                }
                Err(problem) => outcome.refuse(RejectCode::Forbidden, &problem),
            }
        }
        plan.acked.extend(outcome.duplicates);
        plan.rejected.extend(outcome.rejected);
    }
    plan
}

/// Fields the user does not choose, written by the server: the owner of a new account
/// or lead (territories, else its author), the author of a new visit report.
fn server_fields(m: &mut Merged, author: &Author) -> Result<Vec<LoggedChange>, Problem> {
    if m.before.is_some() {
        return Ok(Vec::new());
    }
    let (field, value) = match m.record.record_type {
        RecordType::Account | RecordType::Lead if permissions::own_owner(&m.record).is_none() => {
            let territory = author.territories.iter().find(|t| t.matches(&m.record)).map(|t| t.owner_id.clone());
            let owner = match (author.role, territory) {
                (crm_core::Role::Rep, _) => author.user_id.clone(),
                (_, Some(owner)) => owner,
                // A lead marketing enters (or a web form brings) that no territory
                // takes waits in marketing's queue, nobody's until handed to a rep.
                (crm_core::Role::Marketing, None) if m.record.record_type == RecordType::Lead => {
                    return Ok(Vec::new());
                }
                (_, None) => author.user_id.clone(),
            };
            ("owner", owner)
        }
        RecordType::Activity if m.record.text("owner").is_none() => ("owner", author.user_id.clone()),
        _ => return Ok(Vec::new()),
    };
    write_as_server(m, field, &value, author.now).map_err(|e| {
        Problem::new(Code::RecordInvalid).param("detail", format!("the server could not complete it: {e}"))
    })
}

/// Sets `field` of a merged record as a change by the server itself.
fn write_as_server(m: &mut Merged, field: &str, value: &str, now: i64) -> anyhow::Result<Vec<LoggedChange>> {
    let mut doc = RecordDoc::load(&m.data, &DeviceActor::from_device_id(&Uuid::nil()))?;
    let edit: crm_doc::Edit = [(field.to_string(), Some(FieldValue::Text(value.to_string())))].into();
    let Some(change) = doc.edit(&edit, now)? else { return Ok(Vec::new()) };
    m.data = doc.save();
    m.record = doc.read()?;
    m.heads = doc.heads_text();
    m.conflicts = doc.conflicts()?;
    Ok(vec![LoggedChange {
        hash: hash_hex(&change.hash()),
        bytes: change.raw_bytes().to_vec(),
        by_server: true,
        relayed: false,
    }])
}

/// Authorises one merged record; its effective owner when allowed.
fn decide(
    m: &Merged,
    stored: Option<&(RecordType, Option<String>)>,
    batch: &HashMap<String, (RecordType, Option<String>)>,
    facts: &Facts<'_>,
) -> Result<Option<String>, Problem> {
    // The owner of a record of the batch or of the database: the batch's when it
    // was accepted, the stored one otherwise.
    let owner_of = |id: &str| batch.get(id).or_else(|| facts.stored.get(id)).cloned();
    let owner = authz::effective_owner(&m.record, |account| {
        owner_of(account).filter(|(t, _)| *t == RecordType::Account).and_then(|(_, o)| o)
    });
    authz::check_authorship(facts.viewer, m.before.as_ref(), &m.record, facts.now)?;
    if m.before.is_none() {
        authz::check_derived_id(facts.viewer, &m.record, owner.as_deref(), |deal| {
            owner_of(deal).filter(|(t, _)| *t == RecordType::Deal).map(|(_, o)| o)
        })?;
    }
    let before = m.before.as_ref().map(|b| (b, stored.and_then(|(_, o)| o.as_deref())));
    authz::can_write(facts.viewer, before, (&m.record, owner.as_deref()))?;
    Ok(owner)
}

#[cfg(test)]
mod tests;
