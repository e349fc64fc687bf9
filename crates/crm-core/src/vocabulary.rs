//! The words of the domain: every value a field may take from a fixed list (an account's
//! kind, a contract's status…) with its label in French and in English, the labels of
//! record types, roles and reminder kinds, and the English labels of the default stages
//! and types of the sales settings (their French labels live in the settings).
//!
//! This is the one place these lists are written: validation accepts exactly these ids,
//! the command line and the app show these labels (the app receives them generated into
//! `app-ui/src/generated/vocabulary.ts`).

use crate::RecordType;
use serde::Serialize;

/// One value of a list, with its labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub id: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
}

const fn c(id: &'static str, fr: &'static str, en: &'static str) -> Choice {
    Choice { id, fr, en }
}

pub const ACCOUNT_KINDS: &[Choice] = &[
    c("prospect", "Prospect", "Prospect"),
    c("customer", "Client", "Customer"),
    c("distributor", "Distributeur", "Distributor"),
    c("partner", "Partenaire", "Partner"),
    c("supplier", "Fournisseur", "Supplier"),
];

pub const ACTIVITY_KINDS: &[Choice] = &[
    c("visit", "Compte rendu de visite", "Visit report"),
    c("note", "Note", "Note"),
    c("call", "Appel", "Call"),
    c("email", "E-mail", "E-mail"),
    c("meeting", "Rendez-vous", "Meeting"),
];

pub const PRIORITIES: &[Choice] =
    &[c("low", "Basse", "Low"), c("normal", "Normale", "Normal"), c("high", "Haute", "High")];

pub const CONTRACT_STATUSES: &[Choice] = &[
    c("draft", "Brouillon", "Draft"),
    c("active", "Actif", "Active"),
    c("notice_given", "Préavis donné", "Notice given"),
    c("ended", "Terminé", "Ended"),
];

pub const BILLING_PERIODS: &[Choice] = &[
    c("monthly", "Mensuelle", "Monthly"),
    c("quarterly", "Trimestrielle", "Quarterly"),
    c("yearly", "Annuelle", "Yearly"),
];

/// The status of a contract entered directly (a running contract of a customer).
pub const NEW_CONTRACT_STATUS: &str = "active";

/// Contract statuses for which no notice is due any more (given, or the contract ended).
pub const CONTRACT_NOTICE_SETTLED: &[&str] = &["notice_given", "ended"];

pub const QUOTE_STATUSES: &[Choice] = &[
    c("draft", "Brouillon", "Draft"),
    c("sent", "Envoyé", "Sent"),
    c("accepted", "Accepté", "Accepted"),
    c("refused", "Refusé", "Refused"),
];

pub const TICKET_STATUSES: &[Choice] = &[
    c("new", "Nouveau", "New"),
    c("open", "En cours", "Open"),
    c("waiting", "En attente du client", "Waiting for the customer"),
    c("resolved", "Résolu", "Resolved"),
    c("closed", "Clos", "Closed"),
];

/// Ticket statuses during which the service clock stops (the customer has the ball).
pub const TICKET_PAUSED: &[&str] = &["waiting"];
/// Ticket statuses that end the resolution clock.
pub const TICKET_DONE: &[&str] = &["resolved", "closed"];

pub const TICKET_PRIORITIES: &[Choice] = &[
    c("low", "Basse", "Low"),
    c("normal", "Normale", "Normal"),
    c("high", "Haute", "High"),
    c("urgent", "Urgente", "Urgent"),
];

pub const TICKET_CHANNELS: &[Choice] = &[
    c("phone", "Téléphone", "Phone"),
    c("email", "E-mail", "E-mail"),
    c("visit", "Visite", "Visit"),
    c("web", "Site web", "Web site"),
];

pub const LEAD_STATUSES: &[Choice] = &[
    c("new", "Nouvelle", "New"),
    c("contacted", "Contactée", "Contacted"),
    c("qualified", "Qualifiée", "Qualified"),
    c("converted", "Convertie", "Converted"),
    c("disqualified", "Disqualifiée", "Disqualified"),
];

pub const CAMPAIGN_STATUSES: &[Choice] =
    &[c("draft", "Brouillon", "Draft"), c("sending", "Envoi en cours", "Sending"), c("sent", "Envoyée", "Sent")];

pub const YES_NO: &[Choice] = &[c("yes", "Oui", "Yes"), c("no", "Non", "No")];

/// What a reminder is about (crm-client's `ReminderKind`).
pub const REMINDER_KINDS: &[Choice] = &[
    c("task", "Tâche", "Task"),
    c("follow_up", "Relance", "Follow-up"),
    c("contract_notice", "Préavis de contrat", "Contract notice"),
    c("deal_overdue", "Affaire en retard", "Overdue deal"),
    c("visit_due", "Visite à faire", "Visit due"),
    c("ticket_sla", "Ticket hors délai", "Ticket past its service target"),
];

/// Which fields take their values from which list.
pub const FIELD_CHOICES: &[(RecordType, &str, &[Choice])] = &[
    (RecordType::Account, "kind", ACCOUNT_KINDS),
    (RecordType::Activity, "kind", ACTIVITY_KINDS),
    (RecordType::Deal, "priority", PRIORITIES),
    (RecordType::Contract, "status", CONTRACT_STATUSES),
    (RecordType::Contract, "billing_period", BILLING_PERIODS),
    (RecordType::Contract, "tacit_renewal", YES_NO),
    (RecordType::Quote, "status", QUOTE_STATUSES),
    (RecordType::Task, "done", YES_NO),
    (RecordType::Contact, "consent_email", YES_NO),
    (RecordType::Contact, "consent_phone", YES_NO),
    (RecordType::Lead, "status", LEAD_STATUSES),
    (RecordType::Lead, "consent_email", YES_NO),
    (RecordType::Ticket, "status", TICKET_STATUSES),
    (RecordType::Campaign, "status", CAMPAIGN_STATUSES),
    (RecordType::Ticket, "priority", TICKET_PRIORITIES),
    (RecordType::Ticket, "channel", TICKET_CHANNELS),
];

/// The values a field may take, when they come from a fixed list.
pub fn choices(record_type: RecordType, field: &str) -> Option<&'static [Choice]> {
    FIELD_CHOICES.iter().find(|(t, f, _)| *t == record_type && *f == field).map(|(_, _, list)| *list)
}

/// The label of `id` in a list, in the language; the id itself when it is not in it.
pub fn label(list: &[Choice], id: &str, lang: crate::Lang) -> String {
    match list.iter().find(|c| c.id == id) {
        Some(c) if lang == crate::Lang::Fr => c.fr.to_string(),
        Some(c) => c.en.to_string(),
        None => id.to_string(),
    }
}

/// What each record type is called.
pub const RECORD_TYPES: &[Choice] = &[
    c("account", "Tiers", "Account"),
    c("contact", "Contact", "Contact"),
    c("activity", "Activité", "Activity"),
    c("deal", "Affaire", "Deal"),
    c("contract", "Contrat", "Contract"),
    c("product", "Produit", "Product"),
    c("quote", "Devis", "Quote"),
    c("event", "Rendez-vous", "Event"),
    c("task", "Tâche", "Task"),
    c("settings", "Paramètres", "Settings"),
    c("lead", "Piste", "Lead"),
    c("campaign", "Campagne", "Campaign"),
    c("ticket", "Ticket", "Ticket"),
    c("report", "Rapport hebdomadaire", "Weekly report"),
];

pub const ROLES: &[Choice] = &[
    c("rep", "Commercial", "Sales rep"),
    c("manager", "Responsable commercial", "Sales manager"),
    c("marketing", "Marketing", "Marketing"),
    c("support", "Service client", "Customer service"),
    c("admin", "Administrateur", "Administrator"),
];

/// English labels of the default deal types, stages and contract types (the settings
/// hold the French ones; a company's own types show their configured label).
pub const SETTINGS_LABELS_EN: &[(&str, &str)] = &[
    ("simple", "Simple project"),
    ("complex", "Advanced project"),
    ("qualification", "Qualification"),
    ("analysis", "Needs analysis"),
    ("solution", "Solution design"),
    ("proposal", "Proposal"),
    ("negotiation", "Negotiation"),
    ("committee", "Decision committee"),
    ("won", "Won"),
    ("lost", "Lost"),
    ("on_call", "On-call service"),
    ("accounting", "Accounting services"),
    ("it_services", "IT services"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_field_exists_in_the_schema_and_every_id_is_unique() {
        for (record_type, field, list) in FIELD_CHOICES {
            assert!(crate::schema(*record_type).iter().any(|s| s.name == *field), "{record_type}.{field}");
            let mut ids: Vec<&str> = list.iter().map(|c| c.id).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), list.len(), "{record_type}.{field} repeats an id");
        }
        let types: Vec<&str> = RECORD_TYPES.iter().map(|c| c.id).collect();
        let all: Vec<&str> = RecordType::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(types, all);
    }
}
