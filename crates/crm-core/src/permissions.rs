//! Who may read, create, edit and delete which records: the permission matrix.
//!
//! One table, [`scope`], says for each role and record type how far each action
//! reaches: nothing, the user's own records, their team's, or the whole company. The
//! server enforces it on every push and every pull (`server/src/authz.rs`); the app
//! reads it only to hide buttons that would be refused. `docs/permissions.md` is this
//! table written out, and a test keeps the two identical.
//!
//! A record's *owner*, for these rules, is its `owner` field (the assignee for a
//! task); a record without one (a contact, an activity, a ticket, a task nobody is
//! assigned to) belongs to the owner of its account. Products, campaigns and the settings are the
//! company's.

use crate::problem::{Code, Problem};
use crate::{Record, RecordType, Role};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Read,
    Create,
    Edit,
    Delete,
}

impl Action {
    pub const ALL: [Action; 4] = [Action::Read, Action::Create, Action::Edit, Action::Delete];
}

/// How far an action reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    None,
    /// Records the user owns.
    Own,
    /// Records owned by the user or by someone who reports to them.
    Team,
    /// Every record of the type.
    All,
}

impl Scope {
    fn letter(self) -> &'static str {
        match self {
            Scope::None => "-",
            Scope::Own => "own",
            Scope::Team => "team",
            Scope::All => "all",
        }
    }
}

pub const ROLES: [Role; 5] = [Role::Rep, Role::Manager, Role::Marketing, Role::Support, Role::Admin];

/// The matrix: how far `action` on records of `record_type` reaches for `role`.
pub fn scope(role: Role, record_type: RecordType, action: Action) -> Scope {
    use Action::*;
    use RecordType as T;
    use Scope::{All, None as No, Own, Team};
    if role == Role::Admin {
        return match (record_type, action) {
            (T::Settings, Delete) => No,
            _ => All,
        };
    }
    // (read, create, edit, delete)
    let row: [Scope; 4] = match (role, record_type) {
        (_, T::Settings) => [All, No, No, No],

        (Role::Rep, T::Product) => [All, No, No, No],
        (Role::Rep, T::Campaign) => [No, No, No, No],
        (Role::Rep, T::Ticket) => [Own, No, No, No],
        // A weekly report is its author's; their manager reads it.
        (_, T::Report) => [if role == Role::Manager { Team } else { Own }, Own, Own, No],
        // Reps create and edit their own records and never delete any.
        (Role::Rep, _) => [Own, Own, Own, No],

        (Role::Manager, T::Product) => [All, All, All, No],
        (Role::Manager, T::Campaign) => [All, No, No, No],
        (Role::Manager, T::Ticket) => [Team, No, No, No],
        (Role::Manager, _) => [Team, Team, Team, Team],

        (Role::Marketing, T::Lead | T::Campaign) => [All, All, All, All],
        (Role::Marketing, T::Account) => [All, No, No, No],
        (Role::Marketing, T::Contact) => [All, No, All, No],
        (Role::Marketing, T::Product) => [All, No, All, No],
        (Role::Marketing, T::Event | T::Task) => [Own, Own, Own, Own],
        (Role::Marketing, _) => [No, No, No, No],

        (Role::Support, T::Ticket) => [All, All, All, No],
        (Role::Support, T::Account | T::Contract | T::Product) => [All, No, No, No],
        (Role::Support, T::Contact) => [All, No, All, No],
        (Role::Support, T::Activity) => [All, All, No, No],
        (Role::Support, T::Event | T::Task) => [Own, Own, Own, Own],
        (Role::Support, _) => [No, No, No, No],

        (Role::Admin, _) => unreachable!("handled above"),
    };
    row[action as usize]
}

/// The field naming a record's owner, for the types that have one.
pub fn owner_field(record_type: RecordType) -> Option<&'static str> {
    match record_type {
        RecordType::Task => Some("assignee"),
        // An activity's `owner` is its author; the activity belongs to the account's
        // portfolio, so whoever holds the account sees every visit report on it.
        RecordType::Activity
        | RecordType::Contact
        | RecordType::Ticket
        | RecordType::Product
        | RecordType::Settings => None,
        _ => Some("owner"),
    }
}

/// The field a new record of `record_type` made by a `role` gets its author's id in,
/// when none is given: a new record is its author's (the server refuses a rep's record
/// made out to someone else); an activity names its author. Contacts and tickets
/// belong to their account's owner; an account or lead made by the office waits for
/// the territories to give it an owner.
pub fn default_owner_field(record_type: RecordType, role: Role) -> Option<&'static str> {
    match record_type {
        RecordType::Activity => Some("owner"),
        RecordType::Campaign => None,
        RecordType::Account | RecordType::Lead if role != Role::Rep => None,
        _ => owner_field(record_type),
    }
}

/// The record's own owner, when its owner field is set.
pub fn own_owner(record: &Record) -> Option<&str> {
    owner_field(record.record_type).and_then(|f| record.text(f))
}

/// Whether the record's owner is its account's owner (it has none of its own).
pub fn inherits_owner(record: &Record) -> bool {
    own_owner(record).is_none() && record.record_type != RecordType::Account && record.text("account").is_some()
}

/// The user asking, as the rules see them.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub user_id: String,
    pub role: Role,
    /// The ids of the users who report to this user.
    pub reports: BTreeSet<String>,
}

impl Viewer {
    pub fn reaches(&self, scope: Scope, owner: Option<&str>) -> bool {
        match scope {
            Scope::None => false,
            Scope::All => true,
            Scope::Own => owner == Some(self.user_id.as_str()),
            Scope::Team => owner.is_some_and(|o| o == self.user_id || self.reports.contains(o)),
        }
    }

    pub fn can(&self, action: Action, record_type: RecordType, owner: Option<&str>) -> bool {
        self.reaches(scope(self.role, record_type, action), owner)
    }

    /// May this user turn `before` (absent for a new record) into `after`? Owners are
    /// the effective owners (see the module documentation), resolved by the caller.
    /// The refusal says why without revealing anything of a record the user cannot read.
    pub fn check_write(
        &self,
        before: Option<(&Record, Option<&str>)>,
        after: (&Record, Option<&str>),
    ) -> Result<(), Problem> {
        let (record, owner) = after;
        let kind = record.record_type;
        let refuse = |code| Err(Problem::new(code).param("role", self.role).param("type", kind));
        match before {
            None => {
                if !self.can(Action::Create, kind, owner) {
                    return match scope(self.role, kind, Action::Create) {
                        Scope::None => refuse(Code::MayNotCreate),
                        _ => refuse(Code::MayOnlyCreateOwn),
                    };
                }
            }
            Some((old, old_owner)) => {
                if !self.can(Action::Read, kind, old_owner) {
                    return refuse(Code::RecordOutOfScope);
                }
                if !self.can(Action::Edit, kind, old_owner) {
                    return refuse(Code::MayNotChange);
                }
                if !self.can(Action::Edit, kind, owner) {
                    return refuse(Code::MayNotHandOver);
                }
                if old.is_deleted() != record.is_deleted() && !self.can(Action::Delete, kind, old_owner) {
                    return refuse(Code::MayNotDelete);
                }
                return Ok(());
            }
        }
        if record.is_deleted() && !self.can(Action::Delete, kind, owner) {
            return refuse(Code::MayNotDelete);
        }
        Ok(())
    }
}

/// The matrix as the Markdown table in `docs/permissions.md`.
pub fn markdown_matrix() -> String {
    let mut out = String::from("| record type |");
    for role in ROLES {
        out.push_str(&format!(" {role} |"));
    }
    out.push_str("\n|---|");
    for _ in ROLES {
        out.push_str("---|");
    }
    out.push('\n');
    for record_type in RecordType::ALL {
        out.push_str(&format!("| {record_type} |"));
        for role in ROLES {
            let cells: Vec<&str> = Action::ALL.iter().map(|a| scope(role, record_type, *a).letter()).collect();
            out.push_str(&format!(" {} |", cells.join(" / ")));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldValue, RecordId};

    fn viewer(role: Role) -> Viewer {
        Viewer { user_id: "me".into(), role, reports: ["report".to_string()].into() }
    }

    fn deal(owner: &str) -> Record {
        let mut r = Record::new(RecordId(uuid::Uuid::nil()), RecordType::Deal);
        r.fields.insert("owner".into(), FieldValue::Text(owner.into()));
        r
    }

    #[test]
    fn a_rep_edits_their_deal_but_never_deletes_it_nor_gives_it_away() {
        let rep = viewer(Role::Rep);
        let mine = deal("me");
        assert!(rep.check_write(None, (&mine, Some("me"))).is_ok());
        assert!(rep.check_write(Some((&mine, Some("me"))), (&mine, Some("me"))).is_ok());
        let mut deleted = mine.clone();
        deleted.fields.insert("deleted".into(), "yes".into());
        let refusal = rep.check_write(Some((&mine, Some("me"))), (&deleted, Some("me"))).unwrap_err();
        assert!(refusal.to_string().contains("may not delete"), "{refusal}");
        let theirs = deal("report");
        assert!(rep.check_write(Some((&mine, Some("me"))), (&theirs, Some("report"))).is_err());
        assert!(rep.check_write(None, (&theirs, Some("report"))).is_err());
        assert!(!rep.can(Action::Read, RecordType::Deal, Some("report")));
    }

    #[test]
    fn a_manager_reaches_their_reports_and_no_one_else() {
        let manager = viewer(Role::Manager);
        assert!(manager.can(Action::Read, RecordType::Quote, Some("report")));
        assert!(manager.can(Action::Delete, RecordType::Deal, Some("report")));
        assert!(!manager.can(Action::Read, RecordType::Quote, Some("stranger")));
        assert!(!manager.can(Action::Read, RecordType::Quote, None));
    }

    #[test]
    fn docs_permissions_md_is_this_matrix() {
        let doc = include_str!("../../../docs/permissions.md");
        assert!(
            doc.contains(&markdown_matrix()),
            "docs/permissions.md is out of date: paste the output of \
             `cargo run -p crm-core --example permission_table` into it"
        );
    }

    #[test]
    fn the_matrix_table_lists_every_type_and_role() {
        let table = markdown_matrix();
        assert_eq!(table.lines().count(), 2 + RecordType::ALL.len());
        assert!(table.contains("| deal | own / own / own / - | team / team / team / team |"), "{table}");
    }
}
