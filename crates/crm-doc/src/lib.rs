//! Records as Automerge documents.
//!
//! One record is one Automerge document whose root map holds `_type`, `_id` and one key
//! per field of the record's schema:
//! - short fields are scalar strings: concurrent writes converge on the same winner on
//!   every replica, and the losing values stay readable through [`RecordDoc::conflicts`];
//! - long texts (visit report bodies) are Automerge text objects created with the record
//!   and updated as a minimal diff, so concurrent edits keep everyone's words;
//! - sets (tags) are maps from item to `true`, so concurrent additions all survive.
//!
//! Every document is written with the device's stable actor id ([`DeviceActor`]); the
//! random actor that [`automerge::AutoCommit::load`] assigns is never used to write.
//! This crate is pure: time is passed in, bytes go in and out.

mod conflicts;
mod decode;
mod history;
mod incoming;
mod record_doc;
pub mod wire;

pub use automerge::{Change, ChangeHash};
pub use conflicts::Conflict;
pub use decode::{DecodeError, MAX_CHANGE_BYTES, MAX_CHANGE_OPS, decode_change};
pub use history::HistoryEntry;
pub use incoming::check_changes;
pub use record_doc::{DeviceActor, DocError, Edit, RecordDoc};

/// Hex form of a change hash, as used on the wire and in databases.
pub fn hash_hex(hash: &ChangeHash) -> String {
    hash.to_string()
}
