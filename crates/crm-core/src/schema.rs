//! Record types and their fields. Adding a record type (deal, contract…) means adding a
//! variant and its field list here; storage, sync and merge follow from the schema.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordType {
    Account,
    Contact,
    Activity,
}

impl RecordType {
    pub const ALL: [RecordType; 3] = [RecordType::Account, RecordType::Contact, RecordType::Activity];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Account => "account",
            RecordType::Contact => "contact",
            RecordType::Activity => "activity",
        }
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RecordType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RecordType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("unknown record type `{s}` (expected account, contact or activity)"))
    }
}

/// How a field is stored in the record's Automerge document, and so how concurrent
/// edits of it merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// One value; concurrent writes converge to one winner and the others are kept as
    /// a conflict for the user to review.
    Short,
    /// Automerge text: concurrent edits merge character by character.
    LongText,
    /// A set of strings: concurrent additions all survive.
    Set,
}

#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    /// The French label shown to users in messages.
    pub label: &'static str,
}

const fn short(name: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec { name, kind: FieldKind::Short, required: false, label }
}

const fn required(name: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec { name, kind: FieldKind::Short, required: true, label }
}

const ACCOUNT: &[FieldSpec] = &[
    required("name", "raison sociale"),
    required("kind", "type de tiers"),
    short("siret", "SIRET"),
    short("address", "adresse"),
    short("postal_code", "code postal"),
    short("city", "ville"),
    short("country", "pays"),
    short("phone", "téléphone"),
    short("email", "e-mail"),
    short("website", "site web"),
    short("sector", "secteur"),
    FieldSpec { name: "tags", kind: FieldKind::Set, required: false, label: "étiquettes" },
    short("owner", "commercial"),
];

const CONTACT: &[FieldSpec] = &[
    required("account", "tiers"),
    required("name", "nom"),
    short("job_title", "fonction"),
    short("phone", "téléphone"),
    short("mobile", "mobile"),
    short("email", "e-mail"),
];

const ACTIVITY: &[FieldSpec] = &[
    required("account", "tiers"),
    required("kind", "type d'activité"),
    required("at", "date"),
    short("subject", "objet"),
    FieldSpec { name: "body", kind: FieldKind::LongText, required: false, label: "compte rendu" },
    FieldSpec { name: "contacts", kind: FieldKind::Set, required: false, label: "contacts" },
    short("follow_up", "date de relance"),
    short("owner", "auteur"),
];

/// The fields of a record type.
pub fn schema(record_type: RecordType) -> &'static [FieldSpec] {
    match record_type {
        RecordType::Account => ACCOUNT,
        RecordType::Contact => CONTACT,
        RecordType::Activity => ACTIVITY,
    }
}

/// The five kinds of user. Permissions by role come with the permission model; for now
/// the role is stored and carried in tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Rep,
    Manager,
    Marketing,
    Support,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Manager => "manager",
            Role::Marketing => "marketing",
            Role::Support => "support",
            Role::Admin => "admin",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Role::Rep, Role::Manager, Role::Marketing, Role::Support, Role::Admin]
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}` (expected rep, manager, marketing, support or admin)"))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
