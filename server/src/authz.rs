//! Who may read and write which record: the one place where the server decides.
//!
//! The rules are the permission matrix of `crm_core::permissions` (written out in
//! docs/permissions.md). The database layer resolves each record's effective owner
//! (its own owner field, or its account's owner) and asks here; pushes and pulls
//! never decide on their own.

use crate::auth::Session;
use crm_core::permissions::{self, Action, Viewer};
use crm_core::{Record, RecordType};

/// May the viewer receive a stored record of type `doc_type` whose effective owner is
/// `owner`? An unknown type is never sent.
pub fn can_read(viewer: &Viewer, doc_type: &str, owner: Option<&str>) -> bool {
    doc_type.parse::<RecordType>().is_ok_and(|t| viewer.can(Action::Read, t, owner))
}

/// May the viewer turn `before` (with its stored effective owner; absent for a new
/// record) into `after` (with its new effective owner)? The refusal is shown to the
/// user as is.
pub fn can_write(
    viewer: &Viewer,
    before: Option<(&Record, Option<&str>)>,
    after: (&Record, Option<&str>),
) -> Result<(), String> {
    viewer.check_write(before, after)
}

/// The effective owner of `record`: its own owner field, or, for a record without one,
/// the owner of its account as `account_owner` finds it.
pub fn effective_owner(record: &Record, account_owner: impl FnOnce(&str) -> Option<String>) -> Option<String> {
    if let Some(owner) = permissions::own_owner(record) {
        return Some(owner.to_string());
    }
    if permissions::inherits_owner(record) { record.text("account").and_then(account_owner) } else { None }
}

/// Attachments are shared by the whole company, like the catalogue they illustrate.
pub fn can_read_blob(session: &Session) -> Result<(), String> {
    if session.disabled { Err("your account is disabled".into()) } else { Ok(()) }
}

pub fn can_write_blob(session: &Session) -> Result<(), String> {
    can_read_blob(session)
}
