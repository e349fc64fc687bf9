//! Who may read and write which record: the one place where the server decides.
//!
//! For now every active user of the company may read and write every record; the
//! permission model by role (issue: roles and security) replaces these two functions
//! and nothing else.

use crate::auth::Session;
use crm_core::Record;

/// What the server knows of a stored record without loading its document.
pub struct DocMeta<'a> {
    pub doc_type: &'a str,
    pub owner_id: Option<&'a str>,
    pub account_id: Option<&'a str>,
}

pub fn can_read(session: &Session, _doc: &DocMeta<'_>) -> bool {
    !session.disabled
}

/// Attachments are shared by the whole company, like the catalogue they illustrate.
pub fn can_read_blob(session: &Session) -> Result<(), String> {
    if session.disabled { Err("your account is disabled".into()) } else { Ok(()) }
}

pub fn can_write_blob(session: &Session) -> Result<(), String> {
    can_read_blob(session)
}

/// May `session` turn `before` (absent for a new record) into `after`?
pub fn can_write(session: &Session, _before: Option<&Record>, _after: &Record) -> Result<(), String> {
    if session.disabled {
        return Err("your account is disabled".to_string());
    }
    Ok(())
}
