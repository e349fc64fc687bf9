//! The CRM's domain: record types, their fields, typed ids and validation.
//!
//! This crate is pure: it performs no I/O and never reads the clock. A record is a
//! [`Record`]: a type, an id and a map of named fields. Each record type has a fixed
//! schema ([`schema`]) saying which fields exist and how they merge (short field, long
//! text, set). Validation ([`validate`]) is the single place where the rules live; the
//! client, the server and the UI all rely on it.

pub mod campaigns;
pub mod dashboard;
pub mod duplicates;
pub mod ics;
mod ids;
pub mod import;
pub mod leads;
pub mod mail;
mod money;
pub mod permissions;
pub mod problem;
pub mod quote;
mod record;
pub mod renewal;
pub mod reports;
mod schema;
pub mod service;
pub mod sla;
pub mod stages;
mod validate;
pub mod vocabulary;

pub use ids::{RecordId, UserId};
pub use money::Money;
pub use problem::{Code, Lang, Problem};
pub use record::{FieldValue, Record};
pub use schema::{DELETED_SPEC, FieldKind, FieldSpec, RecordType, Role, all_fields, schema};
pub use validate::{
    MAX_SET_ITEM_CHARS, MAX_SET_ITEMS, ValidationError, is_media_item, max_chars, normalize, normalize_record,
    validate, validate_field,
};

/// The field that marks a record deleted ("yes"). Every record type has it; only roles
/// allowed to delete may set it (see [`permissions`]).
pub const DELETED_FIELD: &str = "deleted";
