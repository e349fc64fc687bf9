//! Record types and their fields. Adding a record type (deal, contract…) means adding a
//! variant and its field list here; storage, sync and merge follow from the schema.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum RecordType {
    Account,
    Contact,
    Activity,
    Deal,
    Contract,
    Product,
    Quote,
    Event,
    Task,
    Settings,
    Lead,
    Campaign,
    Ticket,
    /// A rep's weekly report as sent to their manager: the figures and a comment.
    Report,
}

impl RecordType {
    pub const ALL: [RecordType; 14] = [
        RecordType::Account,
        RecordType::Contact,
        RecordType::Activity,
        RecordType::Deal,
        RecordType::Contract,
        RecordType::Product,
        RecordType::Quote,
        RecordType::Event,
        RecordType::Task,
        RecordType::Settings,
        RecordType::Lead,
        RecordType::Campaign,
        RecordType::Ticket,
        RecordType::Report,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Account => "account",
            RecordType::Contact => "contact",
            RecordType::Activity => "activity",
            RecordType::Deal => "deal",
            RecordType::Contract => "contract",
            RecordType::Product => "product",
            RecordType::Quote => "quote",
            RecordType::Event => "event",
            RecordType::Task => "task",
            RecordType::Settings => "settings",
            RecordType::Lead => "lead",
            RecordType::Campaign => "campaign",
            RecordType::Ticket => "ticket",
            RecordType::Report => "report",
        }
    }

    /// The field that names a record in lists and search results.
    pub fn label_field(self) -> &'static str {
        match self {
            RecordType::Account | RecordType::Contact => "name",
            RecordType::Activity => "subject",
            RecordType::Deal | RecordType::Event | RecordType::Task => "title",
            RecordType::Contract => "contract_type",
            RecordType::Product => "designation",
            RecordType::Quote => "number",
            RecordType::Settings | RecordType::Lead | RecordType::Campaign => "name",
            RecordType::Ticket => "title",
            RecordType::Report => "week",
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
        RecordType::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            let all: Vec<&str> = RecordType::ALL.iter().map(|t| t.as_str()).collect();
            format!("unknown record type `{s}` (expected one of {})", all.join(", "))
        })
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
    // The customer's pricing rules: a default discount on every quote line, and special
    // unit prices by catalogue reference (JSON object, e.g. {"SRV-0001": "89.00"}).
    short("discount_percent", "remise négociée"),
    short("price_list", "tarifs négociés"),
    // Key accounts: the group this company belongs to. Distributors: the distributor
    // through which this end customer buys. Both hold an account id.
    short("parent", "société mère"),
    short("distributor", "distributeur"),
    // Regular follow-up: a visit every N weeks; a reminder comes when one is late.
    short("visit_every_weeks", "fréquence de visite (semaines)"),
    // The record's id in the system it was imported from (a customer code).
    short("external_id", "identifiant externe"),
    // Merges: the records merged into this one (a set: merges made on two devices
    // offline are all kept), and on a merged record, the one it went into.
    set("merged", "fiches fusionnées"),
    short("merged_into", "fusionnée dans"),
];

const CONTACT: &[FieldSpec] = &[
    required("account", "tiers"),
    required("name", "nom"),
    short("job_title", "fonction"),
    short("phone", "téléphone"),
    short("mobile", "mobile"),
    short("email", "e-mail"),
    // RGPD consent: "yes" or "no", with the date it was given or withdrawn.
    short("consent_email", "accord e-mailing"),
    short("consent_phone", "accord prospection téléphonique"),
    short("consent_date", "date du recueil du consentement"),
    short("external_id", "identifiant externe"),
    set("merged", "fiches fusionnées"),
    short("merged_into", "fusionnée dans"),
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
    short("external_id", "identifiant externe"),
];

const fn long(name: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec { name, kind: FieldKind::LongText, required: false, label }
}

const fn set(name: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec { name, kind: FieldKind::Set, required: false, label }
}

const DEAL: &[FieldSpec] = &[
    required("account", "tiers"),
    required("title", "intitulé"),
    required("deal_type", "type d'affaire"),
    required("stage", "étape"),
    short("priority", "priorité"),
    short("amount", "montant"),
    short("probability", "probabilité"),
    short("expected_close", "date de signature prévue"),
    short("owner", "commercial"),
    short("manager", "responsable commercial"),
    short("lost_reason", "motif de perte"),
    short("contract", "contrat"),
    // One item per move: "<RFC 3339 time> <stage> <user id>". A set, so moves made on two
    // devices offline are all kept.
    set("stage_history", "historique des étapes"),
];

const CONTRACT: &[FieldSpec] = &[
    required("account", "tiers"),
    short("deal", "affaire"),
    short("contract_type", "type de contrat"),
    required("status", "statut"),
    required("start", "date de début"),
    short("end", "date de fin"),
    short("tacit_renewal", "tacite reconduction"),
    short("term_months", "durée (mois)"),
    short("notice_months", "préavis (mois)"),
    short("billing_amount", "montant facturé"),
    short("billing_period", "périodicité de facturation"),
    short("owner", "commercial"),
    short("external_id", "identifiant externe"),
];

const PRODUCT: &[FieldSpec] = &[
    required("reference", "référence"),
    required("designation", "désignation"),
    required("price", "prix"),
    short("vat_percent", "taux de TVA"),
    long("pitch", "argumentaire"),
    long("strengths", "points forts"),
    long("weaknesses", "points faibles"),
    set("media", "photos et vidéos"),
    short("external_id", "identifiant externe"),
];

const QUOTE: &[FieldSpec] = &[
    required("account", "tiers"),
    required("number", "numéro"),
    short("deal", "affaire"),
    required("status", "statut"),
    // The lines as JSON (reference, designation, quantity, unit price, discount, VAT).
    required("lines", "lignes"),
    short("valid_until", "date de validité"),
    short("owner", "commercial"),
];

const EVENT: &[FieldSpec] = &[
    required("title", "titre"),
    required("start", "début"),
    required("end", "fin"),
    short("account", "tiers"),
    short("place", "lieu"),
    set("attendees", "participants"),
    short("owner", "organisateur"),
    long("notes", "notes"),
];

const TASK: &[FieldSpec] = &[
    required("title", "titre"),
    required("due", "échéance"),
    short("account", "tiers"),
    short("assignee", "assigné à"),
    short("done", "terminée"),
    short("activity", "activité d'origine"),
    long("notes", "notes"),
];

/// The company's sales settings (see `stages::SalesSettings`), as JSON.
const SETTINGS: &[FieldSpec] = &[
    required("name", "nom"),
    // The company header printed on quotes.
    short("company", "raison sociale de l'entreprise"),
    short("company_address", "adresse de l'entreprise"),
    // The mentions a French quote needs, and the company's logo (a JPEG, base64).
    short("company_siret", "SIRET de l'entreprise"),
    short("company_rcs", "RCS de l'entreprise"),
    short("company_vat", "numéro de TVA intracommunautaire"),
    short("payment_terms", "conditions de paiement"),
    short("company_logo", "logo de l'entreprise"),
    short("deal_types", "types d'affaires et étapes"),
    short("contract_types", "types de contrats"),
    // Customer service: targets per priority (JSON, see `crm_core::service`).
    short("sla_targets", "délais de service"),
    // Customer service: the address customers write to (an e-mail to it opens a ticket).
    short("support_email", "adresse du service client"),
    // Marketing: the rules that score leads (JSON, see `crm_core::leads`).
    short("lead_scoring", "règles de score des pistes"),
];

/// A prospect not yet qualified into an account (marketing's work).
const LEAD: &[FieldSpec] = &[
    required("name", "nom"),
    short("company", "société"),
    short("email", "e-mail"),
    short("phone", "téléphone"),
    short("postal_code", "code postal"),
    short("city", "ville"),
    short("country", "pays"),
    short("sector", "secteur"),
    short("source", "origine"),
    short("campaign", "campagne"),
    short("status", "statut"),
    short("owner", "commercial"),
    short("consent_email", "accord e-mailing"),
    long("message", "message"),
    // When it came in (a web form's lead: the server's time of the submission).
    short("received_at", "reçue le"),
    // The web form it came from (its name), and the key that makes a double submit one lead.
    short("form", "formulaire"),
    short("disqualify_reason", "motif de disqualification"),
    // What the conversion created or reused.
    short("converted_account", "tiers créé"),
    short("converted_contact", "contact créé"),
    short("converted_deal", "affaire créée"),
];

/// A marketing campaign.
const CAMPAIGN: &[FieldSpec] = &[
    required("name", "nom"),
    short("channel", "canal"),
    short("start", "date de début"),
    short("end", "date de fin"),
    short("budget", "budget"),
    short("status", "statut"),
    short("owner", "responsable"),
    long("description", "description"),
    // An e-mailing: who receives it (`kind=customer,city=Lyon,tag=vip`, see
    // `crm_core::campaigns`), what they read, and how the sending went (the server's).
    short("segment", "destinataires"),
    short("subject", "objet de l'e-mail"),
    long("body", "texte de l'e-mail"),
    short("sent_at", "envoyée le"),
    short("sent_count", "e-mails envoyés"),
];

/// A customer-service request about an account (and maybe one of its contracts).
const TICKET: &[FieldSpec] = &[
    required("account", "tiers"),
    required("title", "objet"),
    required("status", "statut"),
    short("priority", "priorité"),
    short("channel", "canal"),
    // The service clock: when the customer asked, first answered, and was served.
    short("opened_at", "ouvert le"),
    short("first_response_at", "première réponse le"),
    short("resolved_at", "résolu le"),
    // Each status change as « RFC 3339 instant|status »: the waiting periods pause the clock.
    set("status_history", "historique des statuts"),
    short("contract", "contrat"),
    short("contact", "contact"),
    short("owner", "traité par"),
    long("description", "description"),
    // The Message-IDs of the e-mails filed on it (replies thread into the ticket).
    set("message_ids", "e-mails"),
];

const REPORT: &[FieldSpec] = &[
    // The ISO week, `2026-W49`; one report per author and week.
    required("week", "semaine"),
    short("owner", "auteur"),
    long("comment", "commentaire"),
    // The week's figures as sent (`crm_core::reports::WeeklyReport`, JSON).
    long("figures", "chiffres"),
    short("submitted_at", "envoyé le"),
];

/// The field every record type has besides its own: the deletion mark.
pub static DELETED_SPEC: FieldSpec = short(crate::DELETED_FIELD, "supprimé");

/// Every field a record of this type may hold: its schema and the deletion mark.
pub fn all_fields(record_type: RecordType) -> impl Iterator<Item = &'static FieldSpec> {
    schema(record_type).iter().chain(std::iter::once(&DELETED_SPEC))
}

/// The fields of a record type.
pub fn schema(record_type: RecordType) -> &'static [FieldSpec] {
    match record_type {
        RecordType::Account => ACCOUNT,
        RecordType::Contact => CONTACT,
        RecordType::Activity => ACTIVITY,
        RecordType::Deal => DEAL,
        RecordType::Contract => CONTRACT,
        RecordType::Product => PRODUCT,
        RecordType::Quote => QUOTE,
        RecordType::Event => EVENT,
        RecordType::Task => TASK,
        RecordType::Settings => SETTINGS,
        RecordType::Lead => LEAD,
        RecordType::Campaign => CAMPAIGN,
        RecordType::Ticket => TICKET,
        RecordType::Report => REPORT,
    }
}

/// The five kinds of user. Permissions by role come with the permission model; for now
/// the role is stored and carried in tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
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
