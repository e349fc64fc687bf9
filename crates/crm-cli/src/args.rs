//! The command line's grammar (a contract: scripts depend on it).

use clap::{Args, Parser, Subcommand};
use crm_core::FieldValue;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Field changes: `Some` sets, `None` clears.
pub type Edit = BTreeMap<String, Option<FieldValue>>;

#[derive(Parser)]
#[command(name = "crm", version, about = "The offline-first CRM, from the command line")]
pub struct Cli {
    /// The device's data directory (default: $XDG_DATA_HOME/crm or ~/.local/share/crm)
    #[arg(long, env = "CRM_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print one JSON value on stdout instead of text
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Log in to the sync server (the password is read from standard input)
    Login {
        #[arg(long)]
        server: String,
        #[arg(long)]
        email: String,
        /// How this device appears in the user's device list
        #[arg(long)]
        device_name: Option<String>,
        /// Allow a plain http:// address of another machine (unencrypted: a trusted
        /// network only)
        #[arg(long)]
        insecure: bool,
    },
    /// Forget the session (local data and pending changes stay)
    Logout,
    /// Change my password: the current one then the new one, one per line on stdin
    Password,
    /// Online state, pending changes, last sync
    Status,
    /// Send local changes and receive everyone else's
    Sync,
    /// Accounts (customers, prospects, distributors, partners, suppliers)
    #[command(subcommand)]
    Account(AccountCommand),
    /// People at accounts
    #[command(subcommand)]
    Contact(ContactCommand),
    /// Visit reports, notes, calls, e-mails and meetings
    #[command(subcommand)]
    Activity(ActivityCommand),
    /// Full-text search over everything on this device
    Search {
        #[arg(required = true)]
        query: Vec<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Settle a conflict by choosing the value to keep
    Resolve {
        id: String,
        #[arg(long)]
        field: String,
        #[arg(long)]
        value: String,
    },
    /// Local changes the server refused, with its reasons
    Rejections,
    /// Likely duplicates on this device (same SIRET, e-mail, phone, or a close name in
    /// the same postal code or company), best first
    Duplicates {
        #[arg(value_enum, default_value = "accounts")]
        kind: DuplicateKind,
        /// Ask the server: every record you may read, beyond this device (managers,
        /// administrators; needs the network)
        #[arg(long)]
        server: bool,
    },
    /// A list to a spreadsheet (.xlsx, or .csv for French Excel): the accounts matching
    /// the criteria, or their contacts, deals or contracts (products: the catalogue)
    Export {
        #[arg(value_enum)]
        what: ExportKind,
        /// FILE.xlsx or FILE.csv
        #[arg(long)]
        out: std::path::PathBuf,
        #[command(flatten)]
        criteria: AccountListArgs,
    },
    /// Take in a spreadsheet (.xlsx, .xls, .ods) or CSV file of accounts, contacts,
    /// running contracts, products or past activities; `crm import undo BATCH` takes an
    /// import back out, `crm import list` lists them
    Import {
        #[arg(value_enum)]
        what: ImportWhat,
        /// The file to import (for `undo`: the batch id)
        file: Option<String>,
        /// The workbook's sheet (the first by default)
        #[arg(long)]
        sheet: Option<String>,
        /// A JSON file {"Header": "field" or null}; columns it does not name are guessed
        #[arg(long)]
        mapping: Option<std::path::PathBuf>,
        /// create: new records only; update: existing ones only; upsert: both (default)
        #[arg(long)]
        mode: Option<String>,
        /// How rows meet existing records: external_id, siret, email or name_postal
        #[arg(long = "match")]
        match_key: Option<String>,
        /// Check everything and report, write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Deals ("affaires") and their stages
    #[command(subcommand)]
    Deal(crate::sales_args::DealCommand),
    /// Leads: enter, score, qualify, hand to a rep, convert
    #[command(subcommand)]
    Lead(crate::service::LeadCommand),
    /// Customer service tickets, with their service clock
    #[command(subcommand)]
    Ticket(crate::service::TicketCommand),
    /// E-mailing campaigns: write, preview, send
    #[command(subcommand)]
    Campaign(crate::service::CampaignCommand),
    /// Weekly reports, offline: yours, a colleague's, your team's; send yours
    #[command(subcommand)]
    Report(crate::reports::ReportCommand),
    /// The sales dashboard: pipeline, forecast, win rate, activity, renewals, top accounts
    Dashboard(crate::reports::DashboardArgs),
    /// E-mails into the CRM (.eml files)
    #[command(subcommand)]
    Mail(crate::service::MailCommand),
    /// The telephone: who is calling
    #[command(subcommand)]
    Call(crate::service::CallCommand),
    /// Service contracts
    #[command(subcommand)]
    Contract(crate::sales_args::ContractCommand),
    /// The product and service catalogue
    #[command(subcommand)]
    Product(crate::sales_args::ProductCommand),
    /// Quotes ("offres commerciales")
    #[command(subcommand)]
    Quote(crate::sales_args::QuoteCommand),
    /// Meetings and visits
    #[command(subcommand)]
    Event(crate::sales_args::EventCommand),
    /// The agenda: this week (default) or from a date; `--ics FILE` exports it
    Agenda {
        /// The week containing this date (default today)
        #[arg(long)]
        from: Option<String>,
        /// The current week (the default; kept for scripts)
        #[arg(long)]
        week: bool,
        /// Only my events
        #[arg(long)]
        mine: bool,
        /// Write the events as an iCalendar file (Outlook, Thunderbird…)
        #[arg(long)]
        ics: Option<std::path::PathBuf>,
        /// Print a new secret address of my events that calendar apps can subscribe to
        #[arg(long)]
        feed: bool,
    },
    /// Follow-up tasks
    #[command(subcommand)]
    Task(crate::sales_args::TaskCommand),
    /// Tasks due, contract notice deadlines and late deals
    Reminders,
    /// The company's deal types, stages and contract types
    #[command(subcommand)]
    Settings(crate::sales_args::SettingsCommand),
    /// My devices; revoke a lost one
    #[command(subcommand)]
    Device(DeviceCommand),
    /// RGPD: export everything held on a person, or erase them (administrators)
    #[command(subcommand)]
    Gdpr(GdprCommand),
    /// Who changed which field of a record, when, from which device
    History { id: String },
}

#[derive(Subcommand)]
pub enum GdprCommand {
    /// Write everything this device holds on a contact to a JSON file (or stdout)
    Export {
        id: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Erase a contact or lead from the server and every device, history included
    /// (administrators only; needs the network)
    Erase { id: String },
}

#[derive(Subcommand)]
pub enum DeviceCommand {
    /// My devices (this one has "current": true)
    List,
    /// Revoke a device: it stops syncing and erases its data when it next connects
    Revoke { id: String },
    /// Erase this device's copy (when its password is lost); log in and sync again
    Reset,
}

#[derive(Subcommand)]
pub enum AccountCommand {
    Add(AccountFields),
    /// Merge OTHER into KEEP (the same company entered twice): KEEP keeps its values
    /// (`--take FIELD` takes OTHER's), gets the ones it lacks and every record of OTHER;
    /// OTHER is deleted, its history kept
    Merge {
        keep: String,
        other: String,
        /// A field whose value comes from OTHER (repeat for several)
        #[arg(long)]
        take: Vec<String>,
    },

    Edit {
        id: String,
        #[command(flatten)]
        fields: AccountEditFields,
    },
    /// The portfolio, filtered by criteria or by a saved filter
    List(AccountListArgs),
    /// The saved filters of the portfolio
    Filters,
    /// Forget a saved filter
    ForgetFilter {
        name: String,
    },
    Show {
        id: String,
    },
    /// Delete an account (sales managers and administrators; reps may not)
    Delete {
        id: String,
    },
    /// The customer's negotiated prices: a discount on every quote line and special
    /// unit prices by catalogue reference
    Pricing {
        id: String,
        /// Discount in percent on every line (empty to remove)
        #[arg(long)]
        discount: Option<String>,
        /// A special price, REFERENCE=PRICE (repeat for several), e.g. GARDE-01=1100.00
        #[arg(long = "price")]
        prices: Vec<String>,
        /// Remove the special price of a reference (repeat for several)
        #[arg(long = "remove-price")]
        remove: Vec<String>,
    },
    /// Hand an account and its records to another user (sales managers, administrators)
    Reassign {
        id: String,
        /// The new owner's e-mail (or user id)
        #[arg(long)]
        to: String,
    },
}

#[derive(Args)]
pub struct AccountListArgs {
    /// prospect, customer, distributor, partner or supplier
    #[arg(long)]
    pub kind: Option<String>,
    /// The city (case and accents ignored)
    #[arg(long)]
    pub city: Option<String>,
    /// The start of the postal code, e.g. 69
    #[arg(long)]
    pub postal_code: Option<String>,
    #[arg(long)]
    pub tag: Option<String>,
    /// Words of the sector
    #[arg(long)]
    pub sector: Option<String>,
    /// The owner's e-mail (or user id)
    #[arg(long)]
    pub owner: Option<String>,
    /// Use a saved filter (the criteria given add to it)
    #[arg(long)]
    pub filter: Option<String>,
    /// Save these criteria under a name
    #[arg(long)]
    pub save: Option<String>,
}

#[derive(Subcommand)]
pub enum ContactCommand {
    /// Merge OTHER into KEEP (the same person entered twice): KEEP keeps its values
    /// (`--take FIELD` takes OTHER's), gets the ones it lacks and every record of OTHER;
    /// OTHER is deleted, its history kept
    Merge {
        keep: String,
        other: String,
        /// A field whose value comes from OTHER (repeat for several)
        #[arg(long)]
        take: Vec<String>,
    },
    /// Contacts from a vCard file (.vcf, from Outlook or a phone): each finds its
    /// company by name (created as a prospect when absent); likely duplicates are left out
    ImportVcf { file: PathBuf },
    /// Contacts (the given ids, or all) to a vCard file Outlook and phones read
    ExportVcf {
        ids: Vec<String>,
        #[arg(long)]
        out: PathBuf,
        /// 3.0 (default: Outlook, most phones) or 4.0
        #[arg(long, default_value = "3.0")]
        version: String,
    },
    Add {
        #[arg(long)]
        account: String,
        #[command(flatten)]
        fields: ContactFields,
    },
    Edit {
        id: String,
        #[command(flatten)]
        fields: ContactFields,
    },
    List {
        #[arg(long)]
        account: String,
    },
}

#[derive(Subcommand)]
pub enum ActivityCommand {
    Add {
        #[arg(long)]
        account: String,
        #[command(flatten)]
        fields: ActivityFields,
    },
    /// Change an activity; `--body` takes the whole new text (stored as a text diff)
    Edit {
        id: String,
        #[command(flatten)]
        fields: ActivityFields,
    },
    List {
        #[arg(long)]
        account: String,
    },
}

/// Turns `(field, value)` options into record fields; an empty value clears the field.
pub fn collect(pairs: Vec<(&str, Option<String>)>, sets: Vec<(&str, Vec<String>)>) -> Edit {
    let mut edit = Edit::new();
    for (name, value) in pairs {
        if let Some(v) = value {
            let v = v.trim().to_string();
            edit.insert(name.to_string(), if v.is_empty() { None } else { Some(FieldValue::Text(v)) });
        }
    }
    for (name, items) in sets {
        if !items.is_empty() {
            edit.insert(name.to_string(), Some(FieldValue::Set(items)));
        }
    }
    edit
}

fn only_set(edit: Edit) -> BTreeMap<String, FieldValue> {
    edit.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect()
}

#[derive(Args)]
pub struct AccountFields {
    #[arg(long)]
    pub name: String,
    #[command(flatten)]
    pub rest: AccountOptional,
}

#[derive(Args)]
pub struct AccountEditFields {
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub rest: AccountOptional,
}

#[derive(Args)]
pub struct AccountOptional {
    /// prospect, customer, distributor, partner or supplier
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub siret: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub postal_code: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub website: Option<String>,
    #[arg(long)]
    pub sector: Option<String>,
    /// A tag (repeat for several)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// The group this company belongs to (account id; empty to clear)
    #[arg(long)]
    pub parent: Option<String>,
    /// The distributor this end customer buys through (account id; empty to clear)
    #[arg(long)]
    pub distributor: Option<String>,
    /// Visit every N weeks (1 to 104): a reminder comes when a visit is late
    #[arg(long)]
    pub visit_every_weeks: Option<String>,
}

impl AccountOptional {
    fn pairs(self, name: Option<String>) -> Edit {
        collect(
            vec![
                ("name", name),
                ("kind", self.kind),
                ("siret", self.siret.map(|s| s.replace(' ', ""))),
                ("address", self.address),
                ("postal_code", self.postal_code),
                ("city", self.city),
                ("country", self.country),
                ("phone", self.phone),
                ("email", self.email),
                ("website", self.website),
                ("sector", self.sector),
                ("parent", self.parent),
                ("distributor", self.distributor),
                ("visit_every_weeks", self.visit_every_weeks),
            ],
            vec![("tags", self.tags)],
        )
    }
}

impl AccountFields {
    pub fn into_fields(self) -> BTreeMap<String, FieldValue> {
        only_set(self.rest.pairs(Some(self.name)))
    }
}

impl AccountEditFields {
    pub fn into_edit(self) -> Edit {
        self.rest.pairs(self.name)
    }
}

#[derive(Args)]
pub struct ContactFields {
    #[arg(long)]
    pub name: Option<String>,
    /// RGPD consent to e-mailing: yes or no
    #[arg(long)]
    pub consent_email: Option<String>,
    /// RGPD consent to phone prospecting: yes or no
    #[arg(long)]
    pub consent_phone: Option<String>,
    #[arg(long)]
    pub job_title: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub mobile: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
}

impl ContactFields {
    pub fn into_edit(self) -> Edit {
        collect(
            vec![
                ("name", self.name),
                ("job_title", self.job_title),
                ("phone", self.phone),
                ("mobile", self.mobile),
                ("email", self.email),
                ("consent_date", (self.consent_email.is_some() || self.consent_phone.is_some()).then(today)),
                ("consent_email", self.consent_email),
                ("consent_phone", self.consent_phone),
            ],
            vec![],
        )
    }

    pub fn into_fields(self) -> BTreeMap<String, FieldValue> {
        only_set(self.into_edit())
    }
}

#[derive(Args)]
pub struct ActivityFields {
    /// visit, note, call, email or meeting
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub subject: Option<String>,
    #[arg(long)]
    pub body: Option<String>,
    /// When it happened (RFC 3339; default now)
    #[arg(long)]
    pub at: Option<String>,
    /// Date to follow up (YYYY-MM-DD)
    #[arg(long)]
    pub follow_up: Option<String>,
    /// A contact id (repeat for several)
    #[arg(long = "contact")]
    pub contacts: Vec<String>,
}

impl ActivityFields {
    pub fn into_edit(self) -> Edit {
        let mut edit = collect(
            vec![("kind", self.kind), ("subject", self.subject), ("at", self.at), ("follow_up", self.follow_up)],
            vec![("contacts", self.contacts)],
        );
        // The body is long text: keep it exactly as typed (no trimming), so the diff
        // against the stored text touches only what changed.
        if let Some(body) = self.body {
            edit.insert("body".into(), if body.is_empty() { None } else { Some(FieldValue::Text(body)) });
        }
        edit
    }

    pub fn into_fields(self) -> BTreeMap<String, FieldValue> {
        only_set(self.into_edit())
    }
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum DuplicateKind {
    Accounts,
    Contacts,
}

impl DuplicateKind {
    pub fn record_type(self) -> crm_core::RecordType {
        match self {
            DuplicateKind::Accounts => crm_core::RecordType::Account,
            DuplicateKind::Contacts => crm_core::RecordType::Contact,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportWhat {
    Accounts,
    Contacts,
    Contracts,
    Products,
    Activities,
    Undo,
    List,
}

impl ImportWhat {
    pub fn record_type(self) -> Option<crm_core::RecordType> {
        use crm_core::RecordType as T;
        match self {
            ImportWhat::Accounts => Some(T::Account),
            ImportWhat::Contacts => Some(T::Contact),
            ImportWhat::Contracts => Some(T::Contract),
            ImportWhat::Products => Some(T::Product),
            ImportWhat::Activities => Some(T::Activity),
            ImportWhat::Undo | ImportWhat::List => None,
        }
    }
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ExportKind {
    Accounts,
    Contacts,
    Deals,
    Contracts,
    Products,
}

impl ExportKind {
    pub fn record_type(self) -> crm_core::RecordType {
        use crm_core::RecordType as T;
        match self {
            ExportKind::Accounts => T::Account,
            ExportKind::Contacts => T::Contact,
            ExportKind::Deals => T::Deal,
            ExportKind::Contracts => T::Contract,
            ExportKind::Products => T::Product,
        }
    }
}
