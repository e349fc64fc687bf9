//! A record's history: who changed which field when, read from its Automerge changes.
//!
//! Each change carries its author's actor (the device id, see [`DeviceActor`]) and the
//! time the user made it. What a change did is the difference between the record at
//! the change's parents and at the change itself, so concurrent edits made offline on
//! two devices each show what they did, not what the merge ended up with.

use crate::{DocError, RecordDoc};
use crm_core::{FieldValue, Record};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Serialize)]
pub struct HistoryEntry {
    /// When the change was made, in milliseconds since 1970 (the author's clock).
    pub at_ms: i64,
    /// The device that made it (the nil id for the server itself).
    pub device: uuid::Uuid,
    pub hash: String,
    /// The fields the change set (to their new value) or cleared (to `None`).
    pub fields: BTreeMap<String, Option<FieldValue>>,
}

/// At most this many entries, the most recent ones.
const MAX_ENTRIES: usize = 1_000;

impl RecordDoc {
    /// The record's changes, oldest first, with the fields each one changed.
    pub fn history(&mut self) -> Result<Vec<HistoryEntry>, DocError> {
        let changes = self.all_changes();
        let skip = changes.len().saturating_sub(MAX_ENTRIES);
        let mut out = Vec::new();
        for change in changes.into_iter().skip(skip) {
            let before = self.read_at(change.deps())?;
            let after =
                self.read_at(&[change.hash()])?.ok_or_else(|| DocError::Corrupt("a change without a record".into()))?;
            let mut fields = BTreeMap::new();
            let old = before.as_ref().map(|r| &r.fields);
            for (name, value) in &after.fields {
                if old.and_then(|o| o.get(name)) != Some(value) {
                    fields.insert(name.clone(), Some(value.clone()));
                }
            }
            if let Some(old) = old {
                for name in old.keys().filter(|n| !after.fields.contains_key(*n)) {
                    fields.insert(name.clone(), None);
                }
            }
            let device = uuid::Uuid::from_slice(change.actor_id().to_bytes()).unwrap_or_default();
            out.push(HistoryEntry { at_ms: change.timestamp(), device, hash: crate::hash_hex(&change.hash()), fields });
        }
        Ok(out)
    }

    /// The record as it was at `heads` (`None` before its first change).
    fn read_at(&mut self, heads: &[automerge::ChangeHash]) -> Result<Option<Record>, DocError> {
        if heads.is_empty() {
            return Ok(None);
        }
        let fork = RecordDoc::from_autocommit(self.fork_at(heads)?);
        Ok(Some(fork.read()?))
    }
}
