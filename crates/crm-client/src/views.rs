//! What the front ends receive, as Rust types: records (one flat object per record,
//! typed in TypeScript by its record type) and the views built on them. ts-rs writes
//! them into the app's generated types, so the app never keeps its own copy of a shape.

use crm_core::quote::{QuoteLine, QuoteTotals};
use crm_core::{FieldValue, RecordType};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};
use std::path::PathBuf;
use ts_rs::TS;

/// The TypeScript name of a record's type, from the generated `records.ts`.
pub trait Kind: 'static {
    /// The TypeScript type (may be an expression such as `Omit<Quote, "lines">`).
    const TS: &'static str;
    /// The name imported from `records.ts`.
    const IMPORT: &'static str;
}

/// The record kinds a view names.
pub mod kind {
    macro_rules! kinds {
        ($($(#[$doc:meta])* $name:ident = $ts:literal from $import:literal),* $(,)?) => {$(
            $(#[$doc])*
            #[derive(Debug)]
            pub struct $name;
            impl super::Kind for $name {
                const TS: &'static str = $ts;
                const IMPORT: &'static str = $import;
            }
        )*};
    }
    kinds! {
        Any = "AnyRecord" from "AnyRecord",
        Account = "Account" from "Account",
        Contact = "Contact" from "Contact",
        Activity = "Activity" from "Activity",
        Deal = "Deal" from "Deal",
        Contract = "Contract" from "Contract",
        Event = "CalendarEvent" from "CalendarEvent",
        Task = "Task" from "Task",
        Ticket = "Ticket" from "Ticket",
        Lead = "Lead" from "Lead",
        /// A quote whose `lines` the view replaces by parsed lines.
        QuoteBody = "Omit<Quote, \"lines\">" from "Quote",
    }
}

/// One record as the front ends see it: `{ "id", "type", <field>: value…, "conflicts" }`.
/// Read like JSON (`record["name"]`); typed in TypeScript as `K`.
pub struct Rec<K: Kind = kind::Any> {
    fields: Map<String, Value>,
    kind: PhantomData<fn() -> K>,
}

/// A record of any type.
pub type AnyRecord = Rec<kind::Any>;

impl<K: Kind> Rec<K> {
    pub(crate) fn from_map(fields: Map<String, Value>) -> Self {
        Rec { fields, kind: PhantomData }
    }

    /// The record's id.
    pub fn id(&self) -> &str {
        self.fields.get("id").and_then(Value::as_str).unwrap_or_default()
    }

    /// A text field's value.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.fields.get(field).and_then(Value::as_str)
    }

    /// The same record, seen as another kind (its type checked by the caller).
    pub fn cast<L: Kind>(self) -> Rec<L> {
        Rec { fields: self.fields, kind: PhantomData }
    }

    /// Takes a field out (a view that replaces it with its own form).
    pub(crate) fn take(&mut self, field: &str) -> Option<Value> {
        self.fields.remove(field)
    }

    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.fields)
    }
}

impl<K: Kind> Clone for Rec<K> {
    fn clone(&self) -> Self {
        Rec::from_map(self.fields.clone())
    }
}

impl<K: Kind> std::fmt::Debug for Rec<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.fields.fmt(f)
    }
}

impl<K: Kind> PartialEq for Rec<K> {
    fn eq(&self, other: &Self) -> bool {
        self.fields == other.fields
    }
}

impl<K: Kind> Index<&str> for Rec<K> {
    type Output = Value;
    fn index(&self, field: &str) -> &Value {
        self.fields.get(field).unwrap_or(&Value::Null)
    }
}

impl<K: Kind> IndexMut<&str> for Rec<K> {
    fn index_mut(&mut self, field: &str) -> &mut Value {
        self.fields.entry(field).or_insert(Value::Null)
    }
}

impl<K: Kind> Serialize for Rec<K> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.fields.serialize(s)
    }
}

impl<'de, K: Kind> Deserialize<'de> for Rec<K> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::deserialize(d).map(Rec::from_map)
    }
}

impl<K: Kind> From<Rec<K>> for Value {
    fn from(record: Rec<K>) -> Value {
        record.into_value()
    }
}

/// In TypeScript a record is the interface of its type in the generated `records.ts`
/// (written from the schema, not by ts-rs).
impl<K: Kind> TS for Rec<K> {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;

    fn ident() -> String {
        K::IMPORT.to_string()
    }
    fn name() -> String {
        K::TS.to_string()
    }
    fn inline() -> String {
        K::TS.to_string()
    }
    fn inline_flattened() -> String {
        K::TS.to_string()
    }
    fn decl() -> String {
        format!("type {} = never;", K::IMPORT)
    }
    fn decl_concrete() -> String {
        Self::decl()
    }
    fn output_path() -> Option<PathBuf> {
        Some(PathBuf::from(RECORDS_FILE))
    }
    fn visit_dependencies(v: &mut impl ts_rs::TypeVisitor)
    where
        Self: 'static,
    {
        // So that a view which flattens a record imports its interface.
        v.visit::<Self>();
    }
}

/// The generated file that holds the record interfaces.
pub(crate) const RECORDS_FILE: &str = "records.ts";

/// A record as the front ends see it.
pub fn record_json(stored: &crm_store::StoredRecord) -> AnyRecord {
    let mut map = stored.record.json_fields();
    map.insert("conflicts".into(), serde_json::to_value(&stored.conflicts).unwrap_or(Value::Array(Vec::new())));
    Rec::from_map(map)
}

/// A person or company named in a view: the id and the name to show.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, TS)]
pub struct Named {
    pub id: String,
    pub name: String,
    pub city: Option<String>,
}

impl Named {
    pub(crate) fn of(record: &AnyRecord) -> Named {
        Named {
            id: record.id().to_string(),
            name: record.text("name").unwrap_or_default().to_string(),
            city: record.text("city").map(str::to_string),
        }
    }
}

/// `account_view`: the account with its contacts, its timeline (newest first), its
/// group and distributor by name, and the companies that point to it.
#[derive(Clone, Debug, Serialize, TS)]
pub struct AccountView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub account: Rec<kind::Account>,
    pub contacts: Vec<Rec<kind::Contact>>,
    pub timeline: Vec<Rec<kind::Activity>>,
    /// The rep's name.
    pub owner_name: Option<String>,
    pub parent_name: Option<String>,
    pub distributor_name: Option<String>,
    /// The companies whose group this account is.
    pub subsidiaries: Vec<Named>,
    /// The end customers of a distributor.
    pub end_customers: Vec<Named>,
}

/// One stage of a deal type, in order.
#[derive(Clone, Debug, Serialize, TS)]
pub struct StageRef {
    pub id: String,
    pub label: String,
}

/// `deal_view`: the deal, the stages of its type in order, its contract, and the names
/// of its account, its rep and their sales manager.
#[derive(Clone, Debug, Serialize, TS)]
pub struct DealView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub deal: Rec<kind::Deal>,
    pub stages: Vec<StageRef>,
    pub contract_record: Option<ContractView>,
    pub account_name: Option<String>,
    pub owner_name: Option<String>,
    pub manager_name: Option<String>,
}

/// A contract with its renewal dates (tacit renewal).
#[derive(Clone, Debug, Serialize, TS)]
pub struct ContractView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub contract: Rec<kind::Contract>,
    /// YYYY-MM-DD.
    pub next_renewal: Option<String>,
    /// The last day to give notice before `next_renewal` (YYYY-MM-DD).
    pub notice_deadline: Option<String>,
}

/// `quote_view`: the quote with its lines parsed and its exact totals.
#[derive(Clone, Debug, Serialize, TS)]
pub struct QuoteView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub quote: Rec<kind::QuoteBody>,
    pub lines: Vec<QuoteLine>,
    pub totals: QuoteTotals,
}

/// The totals of lines not saved yet (the quote editor's live totals).
#[derive(Clone, Debug, Serialize, TS)]
pub struct QuotePreview {
    pub lines: Vec<QuoteLine>,
    pub totals: QuoteTotals,
}

/// `contact_view`: the contact, their account's name, and the activities that name them
/// (newest first).
#[derive(Clone, Debug, Serialize, TS)]
pub struct ContactView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub contact: Rec<kind::Contact>,
    pub account_name: Option<String>,
    pub timeline: Vec<Rec<kind::Activity>>,
}

/// Who made a change of a record's history.
#[derive(Clone, Debug, Serialize, PartialEq, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Author {
    /// A user, by name.
    User { name: String },
    /// The server itself (a merge, an erasure).
    Server,
    /// A device the directory does not know (yet).
    UnknownDevice,
}

/// One change of a record's history, oldest first.
#[derive(Clone, Debug, Serialize, TS)]
pub struct HistoryEntry {
    /// When the author's device made it (RFC 3339).
    pub at: String,
    pub author: Author,
    /// The device's id.
    pub device: String,
    /// The change's hash.
    pub change: String,
    /// The fields it set; `null` means the field was cleared.
    pub fields: BTreeMap<String, Option<FieldValue>>,
    /// When the server received it (online only; RFC 3339).
    pub received_at: Option<String>,
    /// Who sent it to the server, by name.
    pub sent_by: Option<String>,
    /// Whether another device relayed it.
    pub relayed: Option<bool>,
}

/// A deleted record.
#[derive(Clone, Debug, Serialize, TS)]
pub struct Deleted {
    pub deleted: String,
    #[serde(rename = "type")]
    pub record_type: RecordType,
}

/// An account handed to another user.
#[derive(Clone, Debug, Serialize, TS)]
pub struct Reassigned {
    pub account: String,
    /// The new owner's user id.
    pub owner: String,
    /// The ids of the records that changed hands, the account first.
    pub moved: Vec<String>,
}

/// A person erased (RGPD).
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
pub struct Erased {
    pub erased: String,
    #[serde(rename = "type")]
    pub record_type: RecordType,
}

/// One quote line as the quote editor sends it: quantity and discount as typed (French
/// decimals such as `1,5` and spaces accepted).
#[derive(Clone, Debug, Deserialize, TS)]
pub struct LineInput {
    pub reference: String,
    pub quantity: String,
    #[serde(default)]
    #[ts(optional)]
    pub discount: Option<String>,
}

impl LineInput {
    pub fn parse(self) -> Result<crate::LineRequest, crm_core::Problem> {
        let number = |s: &str, code: crm_core::Code| {
            s.trim()
                .replace(',', ".")
                .replace([' ', '\u{a0}', '\u{202f}'], "")
                .parse()
                .map_err(|_| crm_core::Problem::new(code).field("lines").param("reference", &self.reference))
        };
        Ok(crate::LineRequest {
            quantity: number(&self.quantity, crm_core::Code::QuoteQuantity)?,
            discount_percent: number(self.discount.as_deref().unwrap_or("0"), crm_core::Code::QuoteDiscount)?,
            reference: self.reference.clone(),
        })
    }
}

/// What "À propos" shows: the app's version, and the server's when it answers.
#[derive(Clone, Debug, Serialize, TS)]
pub struct AboutApp {
    pub app_version: String,
    pub server: Option<crm_protocol::About>,
}

/// A change the server refused, as the refused-changes page shows it: the reason, and
/// what the user typed, so they can copy or redo it.
#[derive(Clone, Debug, Serialize, TS)]
pub struct Refused {
    /// The change's hash (to dismiss it).
    pub change: String,
    pub record_id: String,
    pub record_type: Option<RecordType>,
    /// The record's name as typed, or as this device holds it.
    pub label: Option<String>,
    /// Why: the server's reason, told in the user's language.
    pub problem: crm_core::Problem,
    /// When the server refused it (RFC 3339).
    pub refused_at: String,
    /// When it was made on this device (RFC 3339).
    pub made_at: Option<String>,
    /// The fields it set; `null` means cleared. Empty when it cannot be read back.
    pub fields: BTreeMap<String, Option<FieldValue>>,
    /// Whether this device still shows the record (a refused edit of a record the user
    /// may see) or not (a refused creation).
    pub on_device: bool,
}

/// One value of a field in conflict, with who wrote it, when, on which device.
#[derive(Clone, Debug, Serialize, TS)]
pub struct ConflictValue {
    pub value: String,
    /// The value shown everywhere until someone chooses.
    pub kept: bool,
    pub author: Option<Author>,
    /// RFC 3339.
    pub at: Option<String>,
    pub device: Option<String>,
}

/// A field two people changed at the same time, still to settle.
#[derive(Clone, Debug, Serialize, TS)]
pub struct OpenConflict {
    pub record_id: String,
    pub record_type: RecordType,
    pub label: String,
    pub field: String,
    pub values: Vec<ConflictValue>,
}

/// A user as the app names them, from the directory this device keeps (works offline).
#[derive(Clone, Debug, Serialize, TS)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub email: String,
    /// Their sales manager's user id.
    pub manager_id: Option<String>,
}

/// An account or contact that may be the same as the one being entered.
#[derive(Clone, Debug, Serialize, TS)]
pub struct DuplicateCandidate {
    pub id: String,
    pub name: String,
    /// The city of an account, the company of a contact.
    pub detail: Option<String>,
    /// 0..1: 1 is certain (same SIRET).
    pub score: f64,
    pub reasons: Vec<crm_core::duplicates::Reason>,
}

/// Two records likely to be one (`crm duplicates`).
#[derive(Clone, Debug, Serialize, TS)]
pub struct DuplicatePair {
    pub a: String,
    pub b: String,
    pub a_name: String,
    pub b_name: String,
    pub score: f64,
    pub reasons: Vec<crm_core::duplicates::Reason>,
}

/// What quotes print about the company, as the settings page shows and changes it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, TS)]
pub struct CompanyInfo {
    pub name: Option<String>,
    pub address: Option<String>,
    pub siret: Option<String>,
    pub rcs: Option<String>,
    pub vat_number: Option<String>,
    pub payment_terms: Option<String>,
    /// Whether a logo is set (it is sent apart, as a JPEG file's bytes).
    #[serde(default)]
    pub has_logo: bool,
}

/// What a merge did: the record kept (as it is now), the one merged into it, and how
/// many records moved to it (contacts, activities, deals…).
#[derive(Clone, Debug, Serialize, TS)]
pub struct MergeReport {
    pub kept: AnyRecord,
    pub merged: String,
    pub moved: usize,
}
