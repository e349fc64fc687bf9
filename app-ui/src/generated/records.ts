// Generated from the Rust types by crm-client's contract: do not edit.
// Source: crates/crm-core/src/schema.rs and vocabulary.rs.

/** Concurrent edits of one field: `value` is the one kept, `others` were replaced. */
export interface Conflict {
  field: string;
  value: string;
  others: string[];
}

export interface Account {
  id: string;
  type: "account";
  conflicts?: Conflict[];
  /** raison sociale */
  name: string;
  /** type de tiers */
  kind: "prospect" | "customer" | "distributor" | "partner" | "supplier";
  /** SIRET */
  siret?: string | null;
  /** adresse */
  address?: string | null;
  /** code postal */
  postal_code?: string | null;
  /** ville */
  city?: string | null;
  /** pays */
  country?: string | null;
  /** téléphone */
  phone?: string | null;
  /** e-mail */
  email?: string | null;
  /** site web */
  website?: string | null;
  /** secteur */
  sector?: string | null;
  /** étiquettes */
  tags?: string[] | null;
  /** commercial */
  owner?: string | null;
  /** remise négociée */
  discount_percent?: string | null;
  /** tarifs négociés */
  price_list?: string | null;
  /** société mère */
  parent?: string | null;
  /** distributeur */
  distributor?: string | null;
  /** fréquence de visite (semaines) */
  visit_every_weeks?: string | null;
  /** identifiant externe */
  external_id?: string | null;
  /** fiches fusionnées */
  merged?: string[] | null;
  /** fusionnée dans */
  merged_into?: string | null;
}

export interface Contact {
  id: string;
  type: "contact";
  conflicts?: Conflict[];
  /** tiers */
  account: string;
  /** nom */
  name: string;
  /** fonction */
  job_title?: string | null;
  /** téléphone */
  phone?: string | null;
  /** mobile */
  mobile?: string | null;
  /** e-mail */
  email?: string | null;
  /** accord e-mailing */
  consent_email?: "yes" | "no" | null;
  /** accord prospection téléphonique */
  consent_phone?: "yes" | "no" | null;
  /** date du recueil du consentement */
  consent_date?: string | null;
  /** identifiant externe */
  external_id?: string | null;
  /** fiches fusionnées */
  merged?: string[] | null;
  /** fusionnée dans */
  merged_into?: string | null;
}

export interface Activity {
  id: string;
  type: "activity";
  conflicts?: Conflict[];
  /** tiers */
  account: string;
  /** type d'activité */
  kind: "visit" | "note" | "call" | "email" | "meeting";
  /** date */
  at: string;
  /** objet */
  subject?: string | null;
  /** compte rendu */
  body?: string | null;
  /** contacts */
  contacts?: string[] | null;
  /** date de relance */
  follow_up?: string | null;
  /** auteur */
  owner?: string | null;
  /** identifiant externe */
  external_id?: string | null;
}

export interface Deal {
  id: string;
  type: "deal";
  conflicts?: Conflict[];
  /** tiers */
  account: string;
  /** intitulé */
  title: string;
  /** type d'affaire */
  deal_type: string;
  /** étape */
  stage: string;
  /** priorité */
  priority?: "low" | "normal" | "high" | null;
  /** montant */
  amount?: string | null;
  /** probabilité */
  probability?: string | null;
  /** date de signature prévue */
  expected_close?: string | null;
  /** commercial */
  owner?: string | null;
  /** responsable commercial */
  manager?: string | null;
  /** motif de perte */
  lost_reason?: string | null;
  /** contrat */
  contract?: string | null;
  /** historique des étapes */
  stage_history?: string[] | null;
}

export interface Contract {
  id: string;
  type: "contract";
  conflicts?: Conflict[];
  /** tiers */
  account: string;
  /** affaire */
  deal?: string | null;
  /** type de contrat */
  contract_type?: string | null;
  /** statut */
  status: "draft" | "active" | "notice_given" | "ended";
  /** date de début */
  start: string;
  /** date de fin */
  end?: string | null;
  /** tacite reconduction */
  tacit_renewal?: "yes" | "no" | null;
  /** durée (mois) */
  term_months?: string | null;
  /** préavis (mois) */
  notice_months?: string | null;
  /** montant facturé */
  billing_amount?: string | null;
  /** périodicité de facturation */
  billing_period?: "monthly" | "quarterly" | "yearly" | null;
  /** commercial */
  owner?: string | null;
  /** identifiant externe */
  external_id?: string | null;
}

export interface Product {
  id: string;
  type: "product";
  conflicts?: Conflict[];
  /** référence */
  reference: string;
  /** désignation */
  designation: string;
  /** prix */
  price: string;
  /** taux de TVA */
  vat_percent?: string | null;
  /** argumentaire */
  pitch?: string | null;
  /** points forts */
  strengths?: string | null;
  /** points faibles */
  weaknesses?: string | null;
  /** photos et vidéos */
  media?: string[] | null;
  /** identifiant externe */
  external_id?: string | null;
}

export interface Quote {
  id: string;
  type: "quote";
  conflicts?: Conflict[];
  /** tiers */
  account: string;
  /** numéro */
  number: string;
  /** affaire */
  deal?: string | null;
  /** statut */
  status: "draft" | "sent" | "accepted" | "refused";
  /** lignes */
  lines: string;
  /** date de validité */
  valid_until?: string | null;
  /** commercial */
  owner?: string | null;
}

export interface CalendarEvent {
  id: string;
  type: "event";
  conflicts?: Conflict[];
  /** titre */
  title: string;
  /** début */
  start: string;
  /** fin */
  end: string;
  /** tiers */
  account?: string | null;
  /** lieu */
  place?: string | null;
  /** participants */
  attendees?: string[] | null;
  /** organisateur */
  owner?: string | null;
  /** notes */
  notes?: string | null;
}

export interface Task {
  id: string;
  type: "task";
  conflicts?: Conflict[];
  /** titre */
  title: string;
  /** échéance */
  due: string;
  /** tiers */
  account?: string | null;
  /** assigné à */
  assignee?: string | null;
  /** terminée */
  done?: "yes" | "no" | null;
  /** activité d'origine */
  activity?: string | null;
  /** notes */
  notes?: string | null;
}

export interface SettingsRecord {
  id: string;
  type: "settings";
  conflicts?: Conflict[];
  /** nom */
  name: string;
  /** raison sociale de l'entreprise */
  company?: string | null;
  /** adresse de l'entreprise */
  company_address?: string | null;
  /** SIRET de l'entreprise */
  company_siret?: string | null;
  /** RCS de l'entreprise */
  company_rcs?: string | null;
  /** numéro de TVA intracommunautaire */
  company_vat?: string | null;
  /** conditions de paiement */
  payment_terms?: string | null;
  /** logo de l'entreprise */
  company_logo?: string | null;
  /** types d'affaires et étapes */
  deal_types?: string | null;
  /** types de contrats */
  contract_types?: string | null;
  /** délais de service */
  sla_targets?: string | null;
  /** adresse du service client */
  support_email?: string | null;
  /** règles de score des pistes */
  lead_scoring?: string | null;
}

export interface Lead {
  id: string;
  type: "lead";
  conflicts?: Conflict[];
  /** nom */
  name: string;
  /** société */
  company?: string | null;
  /** e-mail */
  email?: string | null;
  /** téléphone */
  phone?: string | null;
  /** code postal */
  postal_code?: string | null;
  /** ville */
  city?: string | null;
  /** pays */
  country?: string | null;
  /** secteur */
  sector?: string | null;
  /** origine */
  source?: string | null;
  /** campagne */
  campaign?: string | null;
  /** statut */
  status?: "new" | "contacted" | "qualified" | "converted" | "disqualified" | null;
  /** commercial */
  owner?: string | null;
  /** accord e-mailing */
  consent_email?: "yes" | "no" | null;
  /** message */
  message?: string | null;
  /** reçue le */
  received_at?: string | null;
  /** formulaire */
  form?: string | null;
  /** motif de disqualification */
  disqualify_reason?: string | null;
  /** tiers créé */
  converted_account?: string | null;
  /** contact créé */
  converted_contact?: string | null;
  /** affaire créée */
  converted_deal?: string | null;
}

export interface Campaign {
  id: string;
  type: "campaign";
  conflicts?: Conflict[];
  /** nom */
  name: string;
  /** canal */
  channel?: string | null;
  /** date de début */
  start?: string | null;
  /** date de fin */
  end?: string | null;
  /** budget */
  budget?: string | null;
  /** statut */
  status?: "draft" | "sending" | "sent" | null;
  /** responsable */
  owner?: string | null;
  /** description */
  description?: string | null;
  /** destinataires */
  segment?: string | null;
  /** objet de l'e-mail */
  subject?: string | null;
  /** texte de l'e-mail */
  body?: string | null;
  /** envoyée le */
  sent_at?: string | null;
  /** e-mails envoyés */
  sent_count?: string | null;
}

export interface Ticket {
  id: string;
  type: "ticket";
  conflicts?: Conflict[];
  /** tiers */
  account: string;
  /** objet */
  title: string;
  /** statut */
  status: "new" | "open" | "waiting" | "resolved" | "closed";
  /** priorité */
  priority?: "low" | "normal" | "high" | "urgent" | null;
  /** canal */
  channel?: "phone" | "email" | "visit" | "web" | null;
  /** ouvert le */
  opened_at?: string | null;
  /** première réponse le */
  first_response_at?: string | null;
  /** résolu le */
  resolved_at?: string | null;
  /** historique des statuts */
  status_history?: string[] | null;
  /** contrat */
  contract?: string | null;
  /** contact */
  contact?: string | null;
  /** traité par */
  owner?: string | null;
  /** description */
  description?: string | null;
  /** e-mails */
  message_ids?: string[] | null;
}

export interface Report {
  id: string;
  type: "report";
  conflicts?: Conflict[];
  /** semaine */
  week: string;
  /** auteur */
  owner?: string | null;
  /** commentaire */
  comment?: string | null;
  /** chiffres */
  figures?: string | null;
  /** envoyé le */
  submitted_at?: string | null;
}

/** Any record. */
export type AnyRecord = Account | Contact | Activity | Deal | Contract | Product | Quote | CalendarEvent | Task | SettingsRecord | Lead | Campaign | Ticket | Report;
