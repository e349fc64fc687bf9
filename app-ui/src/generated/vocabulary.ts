// Generated from the Rust types by crm-client's contract: do not edit.
// Source: crates/crm-core/src/vocabulary.rs.

/** One value of a fixed list, with its words. */
export interface Choice {
  id: string;
  fr: string;
  en: string;
}

/** The values each field may take, keyed `type.field`. */
export const CHOICES: Record<string, readonly Choice[]> = {
  "account.kind": [
    { id: "prospect", fr: "Prospect", en: "Prospect" },
    { id: "customer", fr: "Client", en: "Customer" },
    { id: "distributor", fr: "Distributeur", en: "Distributor" },
    { id: "partner", fr: "Partenaire", en: "Partner" },
    { id: "supplier", fr: "Fournisseur", en: "Supplier" },
  ],
  "activity.kind": [
    { id: "visit", fr: "Compte rendu de visite", en: "Visit report" },
    { id: "note", fr: "Note", en: "Note" },
    { id: "call", fr: "Appel", en: "Call" },
    { id: "email", fr: "E-mail", en: "E-mail" },
    { id: "meeting", fr: "Rendez-vous", en: "Meeting" },
  ],
  "deal.priority": [
    { id: "low", fr: "Basse", en: "Low" },
    { id: "normal", fr: "Normale", en: "Normal" },
    { id: "high", fr: "Haute", en: "High" },
  ],
  "contract.status": [
    { id: "draft", fr: "Brouillon", en: "Draft" },
    { id: "active", fr: "Actif", en: "Active" },
    { id: "notice_given", fr: "Préavis donné", en: "Notice given" },
    { id: "ended", fr: "Terminé", en: "Ended" },
  ],
  "contract.billing_period": [
    { id: "monthly", fr: "Mensuelle", en: "Monthly" },
    { id: "quarterly", fr: "Trimestrielle", en: "Quarterly" },
    { id: "yearly", fr: "Annuelle", en: "Yearly" },
  ],
  "contract.tacit_renewal": [
    { id: "yes", fr: "Oui", en: "Yes" },
    { id: "no", fr: "Non", en: "No" },
  ],
  "quote.status": [
    { id: "draft", fr: "Brouillon", en: "Draft" },
    { id: "sent", fr: "Envoyé", en: "Sent" },
    { id: "accepted", fr: "Accepté", en: "Accepted" },
    { id: "refused", fr: "Refusé", en: "Refused" },
  ],
  "task.done": [
    { id: "yes", fr: "Oui", en: "Yes" },
    { id: "no", fr: "Non", en: "No" },
  ],
  "contact.consent_email": [
    { id: "yes", fr: "Oui", en: "Yes" },
    { id: "no", fr: "Non", en: "No" },
  ],
  "contact.consent_phone": [
    { id: "yes", fr: "Oui", en: "Yes" },
    { id: "no", fr: "Non", en: "No" },
  ],
  "lead.status": [
    { id: "new", fr: "Nouvelle", en: "New" },
    { id: "contacted", fr: "Contactée", en: "Contacted" },
    { id: "qualified", fr: "Qualifiée", en: "Qualified" },
    { id: "converted", fr: "Convertie", en: "Converted" },
    { id: "disqualified", fr: "Disqualifiée", en: "Disqualified" },
  ],
  "lead.consent_email": [
    { id: "yes", fr: "Oui", en: "Yes" },
    { id: "no", fr: "Non", en: "No" },
  ],
  "ticket.status": [
    { id: "new", fr: "Nouveau", en: "New" },
    { id: "open", fr: "En cours", en: "Open" },
    { id: "waiting", fr: "En attente du client", en: "Waiting for the customer" },
    { id: "resolved", fr: "Résolu", en: "Resolved" },
    { id: "closed", fr: "Clos", en: "Closed" },
  ],
  "campaign.status": [
    { id: "draft", fr: "Brouillon", en: "Draft" },
    { id: "sending", fr: "Envoi en cours", en: "Sending" },
    { id: "sent", fr: "Envoyée", en: "Sent" },
  ],
  "ticket.priority": [
    { id: "low", fr: "Basse", en: "Low" },
    { id: "normal", fr: "Normale", en: "Normal" },
    { id: "high", fr: "Haute", en: "High" },
    { id: "urgent", fr: "Urgente", en: "Urgent" },
  ],
  "ticket.channel": [
    { id: "phone", fr: "Téléphone", en: "Phone" },
    { id: "email", fr: "E-mail", en: "E-mail" },
    { id: "visit", fr: "Visite", en: "Visit" },
    { id: "web", fr: "Site web", en: "Web site" },
  ],
};

/** What each record type is called. */
export const RECORD_TYPES: readonly Choice[] = [
  { id: "account", fr: "Tiers", en: "Account" },
  { id: "contact", fr: "Contact", en: "Contact" },
  { id: "activity", fr: "Activité", en: "Activity" },
  { id: "deal", fr: "Affaire", en: "Deal" },
  { id: "contract", fr: "Contrat", en: "Contract" },
  { id: "product", fr: "Produit", en: "Product" },
  { id: "quote", fr: "Devis", en: "Quote" },
  { id: "event", fr: "Rendez-vous", en: "Event" },
  { id: "task", fr: "Tâche", en: "Task" },
  { id: "settings", fr: "Paramètres", en: "Settings" },
  { id: "lead", fr: "Piste", en: "Lead" },
  { id: "campaign", fr: "Campagne", en: "Campaign" },
  { id: "ticket", fr: "Ticket", en: "Ticket" },
  { id: "report", fr: "Rapport hebdomadaire", en: "Weekly report" },
];

/** The kinds of user. */
export const ROLES: readonly Choice[] = [
  { id: "rep", fr: "Commercial", en: "Sales rep" },
  { id: "manager", fr: "Responsable commercial", en: "Sales manager" },
  { id: "marketing", fr: "Marketing", en: "Marketing" },
  { id: "support", fr: "Service client", en: "Customer service" },
  { id: "admin", fr: "Administrateur", en: "Administrator" },
];

/** What a reminder is about. */
export const REMINDER_KINDS: readonly Choice[] = [
  { id: "task", fr: "Tâche", en: "Task" },
  { id: "follow_up", fr: "Relance", en: "Follow-up" },
  { id: "contract_notice", fr: "Préavis de contrat", en: "Contract notice" },
  { id: "deal_overdue", fr: "Affaire en retard", en: "Overdue deal" },
  { id: "visit_due", fr: "Visite à faire", en: "Visit due" },
  { id: "ticket_sla", fr: "Ticket hors délai", en: "Ticket past its service target" },
];

/** English words of the default deal types, stages and contract types. */
export const SETTINGS_LABELS_EN: Record<string, string> = {
  simple: "Simple project",
  complex: "Advanced project",
  qualification: "Qualification",
  analysis: "Needs analysis",
  solution: "Solution design",
  proposal: "Proposal",
  negotiation: "Negotiation",
  committee: "Decision committee",
  won: "Won",
  lost: "Lost",
  on_call: "On-call service",
  accounting: "Accounting services",
  it_services: "IT services",
};

/** The two stages that end a deal, whatever its type. */
export const WON_STAGE = "won";
export const LOST_STAGE = "lost";

/** Contract statuses for which no notice is due any more. */
export const CONTRACT_NOTICE_SETTLED: readonly string[] = ["notice_given","ended"];

/** The status of a contract entered directly. */
export const NEW_CONTRACT_STATUS = "active";

/** The quote status that accepts a quote and wins its deal. */
export const QUOTE_ACCEPTED = "accepted";

/** The status a quote is created with: the only one whose lines change. */
export const QUOTE_DRAFT = "draft";

/** The status of a quote sent to the customer. */
export const QUOTE_SENT = "sent";

/** What each role may do with each record type: the scope of each action (docs/permissions.md). */
export type Scope = 'none' | 'own' | 'team' | 'all';
export const PERMISSIONS: Record<string, Record<string, { read: Scope; create: Scope; edit: Scope; delete: Scope }>> = {
  rep: {
    account: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
    contact: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
    activity: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
    deal: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
    contract: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
    product: { read: 'all', create: 'none', edit: 'none', delete: 'none' },
    quote: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
    event: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
    task: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
    settings: { read: 'all', create: 'none', edit: 'none', delete: 'none' },
    lead: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
    campaign: { read: 'none', create: 'none', edit: 'none', delete: 'none' },
    ticket: { read: 'own', create: 'none', edit: 'none', delete: 'none' },
    report: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
  },
  manager: {
    account: { read: 'team', create: 'team', edit: 'team', delete: 'team' },
    contact: { read: 'team', create: 'team', edit: 'team', delete: 'team' },
    activity: { read: 'team', create: 'team', edit: 'team', delete: 'team' },
    deal: { read: 'team', create: 'team', edit: 'team', delete: 'team' },
    contract: { read: 'team', create: 'team', edit: 'team', delete: 'team' },
    product: { read: 'all', create: 'all', edit: 'all', delete: 'none' },
    quote: { read: 'team', create: 'team', edit: 'team', delete: 'team' },
    event: { read: 'team', create: 'team', edit: 'team', delete: 'team' },
    task: { read: 'team', create: 'team', edit: 'team', delete: 'team' },
    settings: { read: 'all', create: 'none', edit: 'none', delete: 'none' },
    lead: { read: 'team', create: 'team', edit: 'team', delete: 'team' },
    campaign: { read: 'all', create: 'none', edit: 'none', delete: 'none' },
    ticket: { read: 'team', create: 'none', edit: 'none', delete: 'none' },
    report: { read: 'team', create: 'own', edit: 'own', delete: 'none' },
  },
  marketing: {
    account: { read: 'all', create: 'none', edit: 'none', delete: 'none' },
    contact: { read: 'all', create: 'none', edit: 'all', delete: 'none' },
    activity: { read: 'none', create: 'none', edit: 'none', delete: 'none' },
    deal: { read: 'none', create: 'none', edit: 'none', delete: 'none' },
    contract: { read: 'none', create: 'none', edit: 'none', delete: 'none' },
    product: { read: 'all', create: 'none', edit: 'all', delete: 'none' },
    quote: { read: 'none', create: 'none', edit: 'none', delete: 'none' },
    event: { read: 'own', create: 'own', edit: 'own', delete: 'own' },
    task: { read: 'own', create: 'own', edit: 'own', delete: 'own' },
    settings: { read: 'all', create: 'none', edit: 'none', delete: 'none' },
    lead: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    campaign: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    ticket: { read: 'none', create: 'none', edit: 'none', delete: 'none' },
    report: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
  },
  support: {
    account: { read: 'all', create: 'none', edit: 'none', delete: 'none' },
    contact: { read: 'all', create: 'none', edit: 'all', delete: 'none' },
    activity: { read: 'all', create: 'all', edit: 'none', delete: 'none' },
    deal: { read: 'none', create: 'none', edit: 'none', delete: 'none' },
    contract: { read: 'all', create: 'none', edit: 'none', delete: 'none' },
    product: { read: 'all', create: 'none', edit: 'none', delete: 'none' },
    quote: { read: 'none', create: 'none', edit: 'none', delete: 'none' },
    event: { read: 'own', create: 'own', edit: 'own', delete: 'own' },
    task: { read: 'own', create: 'own', edit: 'own', delete: 'own' },
    settings: { read: 'all', create: 'none', edit: 'none', delete: 'none' },
    lead: { read: 'none', create: 'none', edit: 'none', delete: 'none' },
    campaign: { read: 'none', create: 'none', edit: 'none', delete: 'none' },
    ticket: { read: 'all', create: 'all', edit: 'all', delete: 'none' },
    report: { read: 'own', create: 'own', edit: 'own', delete: 'none' },
  },
  admin: {
    account: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    contact: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    activity: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    deal: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    contract: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    product: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    quote: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    event: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    task: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    settings: { read: 'all', create: 'all', edit: 'all', delete: 'none' },
    lead: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    campaign: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    ticket: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
    report: { read: 'all', create: 'all', edit: 'all', delete: 'all' },
  },
};

/** The statuses a quote may move to from each status. */
export const QUOTE_MOVES: Record<string, readonly string[]> = {
  draft: ["sent","accepted","refused"],
  sent: ["draft","accepted","refused"],
  accepted: [],
  refused: ["draft","sent"],
};
