//! The grammar of the sales verbs: deals, contracts, products, quotes.

use crate::args::{Edit, collect};
use clap::{Args, Subcommand};
use crm_core::FieldValue;
use std::collections::BTreeMap;

#[derive(Subcommand)]
pub enum DealCommand {
    /// Create a deal ("affaire")
    Add {
        #[arg(long)]
        account: String,
        #[arg(long)]
        title: String,
        /// simple or complex
        #[arg(long = "type", default_value = "simple")]
        deal_type: String,
        #[command(flatten)]
        fields: DealFields,
    },
    /// Change a deal; `--stage` moves it (moving to `won` creates its contract)
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        fields: DealFields,
    },
    Show {
        id: String,
    },
    List {
        #[arg(long)]
        account: Option<String>,
    },
}

#[derive(Args)]
pub struct DealFields {
    #[arg(long)]
    pub stage: Option<String>,
    /// EUR, e.g. 1200.50
    #[arg(long)]
    pub amount: Option<String>,
    /// low, normal or high
    #[arg(long)]
    pub priority: Option<String>,
    /// 0 to 100
    #[arg(long)]
    pub probability: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    pub expected_close: Option<String>,
    #[arg(long)]
    pub lost_reason: Option<String>,
}

impl DealFields {
    pub fn into_edit(self, title: Option<String>) -> Edit {
        collect(
            vec![
                ("title", title),
                ("stage", self.stage),
                ("amount", self.amount),
                ("priority", self.priority),
                ("probability", self.probability),
                ("expected_close", self.expected_close),
                ("lost_reason", self.lost_reason),
            ],
            vec![],
        )
    }
}

#[derive(Subcommand)]
pub enum ContractCommand {
    /// Enter a running contract of an existing customer (not from a won deal)
    Add {
        #[arg(long)]
        account: String,
        #[command(flatten)]
        fields: ContractFields,
    },
    /// Change a contract: dates, renewal terms, billing, status
    Edit {
        id: String,
        #[command(flatten)]
        fields: ContractFields,
    },
    List {
        #[arg(long)]
        account: Option<String>,
    },
    Show {
        id: String,
    },
}

#[derive(Args)]
pub struct ContractFields {
    /// One of the company's contract types (crm settings show)
    #[arg(long = "type")]
    pub contract_type: Option<String>,
    /// draft, active, notice_given or ended (active by default)
    #[arg(long)]
    pub status: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    pub start: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    pub end: Option<String>,
    /// yes or no
    #[arg(long)]
    pub tacit_renewal: Option<String>,
    #[arg(long)]
    pub term_months: Option<String>,
    #[arg(long)]
    pub notice_months: Option<String>,
    /// EUR per period, e.g. 380.00
    #[arg(long)]
    pub billing_amount: Option<String>,
    /// monthly, quarterly or yearly
    #[arg(long)]
    pub billing_period: Option<String>,
}

impl ContractFields {
    pub fn into_edit(self) -> Edit {
        collect(
            vec![
                ("contract_type", self.contract_type),
                ("status", self.status),
                ("start", self.start),
                ("end", self.end),
                ("tacit_renewal", self.tacit_renewal),
                ("term_months", self.term_months),
                ("notice_months", self.notice_months),
                ("billing_amount", self.billing_amount),
                ("billing_period", self.billing_period),
            ],
            vec![],
        )
    }
}

#[derive(Subcommand)]
pub enum ProductCommand {
    /// Add a product or service to the catalogue
    Add {
        /// Exactly 8 characters
        #[arg(long)]
        reference: String,
        #[arg(long)]
        designation: String,
        /// EUR, e.g. 99.90
        #[arg(long)]
        price: String,
        /// VAT rate in percent (default 20)
        #[arg(long)]
        vat: Option<String>,
        #[arg(long)]
        pitch: Option<String>,
        #[arg(long)]
        strengths: Option<String>,
        #[arg(long)]
        weaknesses: Option<String>,
    },
    List,
    /// Attach a photo or video (up to 50 MB) to a product
    Attach {
        reference: String,
        file: std::path::PathBuf,
    },
    /// Download a product's photos and videos (if needed) and print their paths
    Media {
        reference: String,
    },
}

impl ProductCommand {
    pub fn fields(self) -> BTreeMap<String, FieldValue> {
        let ProductCommand::Add { reference, designation, price, vat, pitch, strengths, weaknesses } = self else {
            return BTreeMap::new();
        };
        collect(
            vec![
                ("reference", Some(reference)),
                ("designation", Some(designation)),
                ("price", Some(price)),
                ("vat_percent", Some(vat.unwrap_or_else(|| "20".into()))),
                ("pitch", pitch),
                ("strengths", strengths),
                ("weaknesses", weaknesses),
            ],
            vec![],
        )
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
    }
}

#[derive(Subcommand)]
pub enum QuoteCommand {
    /// Build a quote from catalogue lines
    Add {
        #[arg(long)]
        account: String,
        #[arg(long)]
        deal: Option<String>,
        /// REF:QTY[:DISCOUNT%], repeat for each line
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
    },
    /// Change a draft's lines, or a quote's status (an accepted quote wins its deal)
    #[command(group(clap::ArgGroup::new("change").required(true).multiple(true).args(["status", "lines"])))]
    Edit {
        id: String,
        /// draft, sent, accepted or refused
        #[arg(long)]
        status: Option<String>,
        /// REF:QTY[:DISCOUNT%], repeat for each line: replaces the lines of a draft
        #[arg(long = "line")]
        lines: Vec<String>,
    },
    Show {
        id: String,
    },
    /// Write the quote as a PDF to send
    Pdf {
        id: String,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
pub enum EventCommand {
    /// Add a meeting or visit to the agenda
    Add {
        #[arg(long)]
        title: String,
        /// RFC 3339, e.g. 2026-03-14T09:30:00+01:00
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: String,
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        place: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum TaskCommand {
    /// Add a follow-up task
    Add {
        #[arg(long)]
        title: String,
        /// YYYY-MM-DD
        #[arg(long)]
        due: String,
        #[arg(long)]
        account: Option<String>,
    },
    /// Open tasks by due date (`--all` adds finished ones)
    List {
        #[arg(long)]
        all: bool,
    },
    /// Mark a task done
    Done { id: String },
}

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Show deal types with their stages, and contract types
    Show,
    /// Define a deal type's stages, in order, ending with won and lost
    DealType {
        #[arg(long)]
        id: String,
        #[arg(long)]
        label: String,
        /// id:label:probability, comma-separated, e.g.
        /// "qualification:Qualification:10,proposal:Proposition:40,won:Gagnée:100,lost:Perdue:0"
        #[arg(long)]
        stages: String,
    },
    /// Define the contract types: "id:label,id:label,…"
    ContractTypes {
        #[arg(long)]
        types: String,
    },
    /// Customer service and marketing: service targets per priority (a JSON file like
    /// the one `--json settings service` prints), the support address, the lead scoring
    /// rules (a JSON list); without options, shows them
    Service {
        #[arg(long)]
        sla_file: Option<std::path::PathBuf>,
        #[arg(long)]
        support_email: Option<String>,
        #[arg(long)]
        scoring_file: Option<std::path::PathBuf>,
    },
    /// The company header printed on quotes, with the mentions a French quote needs
    Company {
        #[arg(long)]
        name: String,
        #[arg(long)]
        address: Option<String>,
        #[arg(long)]
        siret: Option<String>,
        /// E.g. "RCS Amiens B 732 829 320"
        #[arg(long)]
        rcs: Option<String>,
        /// Intra-community VAT number, e.g. FR40732829320
        #[arg(long)]
        vat_number: Option<String>,
        /// E.g. "Paiement à 30 jours à réception de facture"
        #[arg(long)]
        payment_terms: Option<String>,
        /// A JPEG image of at most 100 KB, printed at the top of quotes
        #[arg(long)]
        logo: Option<std::path::PathBuf>,
    },
}

/// Parses `id:label:probability,…`.
pub fn parse_stages(text: &str) -> Result<Vec<crm_core::stages::Stage>, String> {
    text.split(',')
        .map(|item| {
            let parts: Vec<&str> = item.split(':').map(str::trim).collect();
            let bad = || format!("--stages: `{item}` is not id:label:probability");
            match parts.as_slice() {
                [id, label, p] => Ok(crm_core::stages::Stage {
                    id: id.to_string(),
                    label: label.to_string(),
                    probability: p.parse().map_err(|_| bad())?,
                }),
                _ => Err(bad()),
            }
        })
        .collect()
}

/// Parses `id:label,…`.
pub fn parse_contract_types(text: &str) -> Result<Vec<crm_core::stages::ContractType>, String> {
    text.split(',')
        .map(|item| match item.split_once(':') {
            Some((id, label)) => {
                Ok(crm_core::stages::ContractType { id: id.trim().into(), label: label.trim().into() })
            }
            None => Err(format!("--types: `{item}` is not id:label")),
        })
        .collect()
}

/// Parses `REF:QTY[:DISCOUNT%]`.
pub fn parse_line(text: &str) -> Result<crm_client::LineRequest, String> {
    let parts: Vec<&str> = text.split(':').collect();
    let bad = || format!("--line `{text}`: expected REF:QTY or REF:QTY:DISCOUNT%, e.g. SRV-0001:3:10%");
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let number =
        |s: &str| s.trim().trim_end_matches('%').replace(',', ".").parse::<rust_decimal::Decimal>().map_err(|_| bad());
    let quantity = number(parts[1])?;
    if quantity <= rust_decimal::Decimal::ZERO {
        return Err(format!("--line `{text}`: the quantity must be more than 0"));
    }
    let discount = match parts.get(2) {
        Some(d) => number(d)?,
        None => rust_decimal::Decimal::ZERO,
    };
    if discount < rust_decimal::Decimal::ZERO || discount > rust_decimal::Decimal::ONE_HUNDRED {
        return Err(format!("--line `{text}`: the discount must be between 0 and 100 %"));
    }
    Ok(crm_client::LineRequest { reference: parts[0].trim().to_string(), quantity, discount_percent: discount })
}
