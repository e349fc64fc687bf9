//! `crm lead`, `crm ticket` and `crm call`: marketing and customer service, offline.

use crate::output::Output;
use clap::{Args, Subcommand};
use crm_client::Client;
use crm_client::leads::{ConvertOptions, LeadView};
use crm_client::service::{NewTicket, TicketView};
use crm_core::FieldValue;
use crm_core::vocabulary::{LEAD_STATUSES, TICKET_PRIORITIES, TICKET_STATUSES, label};
use std::collections::BTreeMap;

#[derive(Args, Default)]
pub struct LeadFields {
    /// The person's name
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub company: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub postal_code: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    /// Where it comes from (salon, site, recommandation, partenaire…)
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub campaign: Option<String>,
    #[arg(long)]
    pub message: Option<String>,
    /// yes or no
    #[arg(long)]
    pub consent_email: Option<String>,
}

impl LeadFields {
    fn into_fields(self) -> BTreeMap<String, FieldValue> {
        [
            ("name", self.name),
            ("company", self.company),
            ("email", self.email),
            ("phone", self.phone),
            ("postal_code", self.postal_code),
            ("city", self.city),
            ("source", self.source),
            ("campaign", self.campaign),
            ("message", self.message),
            ("consent_email", self.consent_email),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), FieldValue::Text(v))))
        .collect()
    }
}

#[derive(Subcommand)]
pub enum LeadCommand {
    /// Enter a lead (a card from a fair, a call)
    Add(LeadFields),
    /// Leads, best score first
    List {
        /// new, contacted, qualified, converted or disqualified
        #[arg(long)]
        status: Option<String>,
    },
    /// A lead with its score and the reasons for it
    Show { id: String },
    /// Change a lead's fields
    Edit {
        id: String,
        #[command(flatten)]
        fields: LeadFields,
    },
    /// Qualify a lead, handing it to a rep
    Qualify {
        id: String,
        /// The rep's e-mail
        #[arg(long)]
        rep: Option<String>,
    },
    /// Set a lead aside
    Disqualify {
        id: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Make the lead an account (a likely duplicate is reused), a contact and a deal
    Convert {
        id: String,
        /// The rep who gets the account and the deal (e-mail); the lead's owner by default
        #[arg(long)]
        rep: Option<String>,
        /// Attach to this existing account instead
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        deal_title: Option<String>,
        #[arg(long)]
        deal_type: Option<String>,
        #[arg(long)]
        amount: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum TicketCommand {
    /// Open a ticket on an account
    Add {
        #[arg(long)]
        account: String,
        #[arg(long)]
        contact: Option<String>,
        #[arg(long)]
        subject: String,
        /// low, normal, high or urgent
        #[arg(long)]
        priority: Option<String>,
        /// phone, email, visit or web
        #[arg(long)]
        channel: Option<String>,
        /// When the customer asked (RFC 3339); now by default
        #[arg(long)]
        opened_at: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// Who handles it (e-mail); you by default
        #[arg(long)]
        assignee: Option<String>,
    },
    /// Tickets, late ones first, then by the time due
    List {
        /// Only those not resolved or closed
        #[arg(long)]
        open: bool,
        /// Only those you handle
        #[arg(long)]
        mine: bool,
    },
    /// A ticket with its service clock
    Show { id: String },
    /// Move a ticket or hand it to someone
    Edit {
        id: String,
        /// new, open, waiting, resolved or closed
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        assignee: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum CampaignCommand {
    /// Write an e-mailing (a draft)
    Add {
        #[arg(long)]
        name: String,
        /// Accounts whose contacts receive it: kind=customer,city=Lyon,tag=vip (every
        /// criterion; also postal_code, sector, owner)
        #[arg(long, default_value = "")]
        segment: String,
        #[arg(long)]
        subject: String,
        /// The text of the e-mail (UTF-8)
        #[arg(long)]
        body_file: std::path::PathBuf,
    },
    /// Campaigns
    List,
    /// Who receives it, and how many are left out (no e-mail, no consent)
    Preview { id: String },
    /// Have the server send it (online), throttled, each contact once
    Send { id: String },
}

#[derive(Subcommand)]
pub enum MailCommand {
    /// File .eml files in the timelines of the known contacts they concern (a message to
    /// the support address opens a ticket; a reply threads into its ticket)
    Import {
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// The support address (the settings' `support_email` by default)
        #[arg(long)]
        support: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum CallCommand {
    /// Who is calling: contacts, accounts and leads with this number, in any format
    Incoming {
        #[arg(long)]
        phone: String,
    },
}

fn lead_line(v: &LeadView) -> String {
    let l = &v.lead;
    let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
    let status = label(LEAD_STATUSES, &s("status"), crm_core::Lang::Fr);
    let owner = v.owner_name.clone().unwrap_or_else(|| "file marketing".into());
    format!("{}  {:>4} pts  {}  |  {}  |  {}  |  {}", l.id(), v.score.score, s("name"), s("company"), status, owner)
}

fn lead_text(v: &LeadView) -> String {
    let mut out = lead_line(v);
    for r in &v.score.reasons {
        out.push_str(&format!("\n  {:+} {}", r.points, r.label));
    }
    out
}

pub async fn lead(client: &Client, cmd: LeadCommand, out: &Output) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    match cmd {
        LeadCommand::Add(fields) => {
            let v = client.add_lead(fields.into_fields(), now)?;
            out.value(&v, &lead_text(&v));
        }
        LeadCommand::List { status } => {
            let list = client.leads(status.as_deref())?;
            let text = if list.is_empty() {
                "(aucune piste)".to_string()
            } else {
                list.iter().map(lead_line).collect::<Vec<_>>().join("\n")
            };
            out.value(&list, &text);
        }
        LeadCommand::Show { id } => {
            let v = client.lead(&id)?;
            out.value(&v, &lead_text(&v));
        }
        LeadCommand::Edit { id, fields } => {
            let edit = fields.into_fields().into_iter().map(|(k, v)| (k, Some(v))).collect();
            client.edit(&id, edit)?;
            let v = client.lead(&id)?;
            out.value(&v, &lead_text(&v));
        }
        LeadCommand::Qualify { id, rep } => {
            let v = client.qualify_lead(&id, rep.as_deref()).await?;
            out.value(&v, &lead_text(&v));
        }
        LeadCommand::Disqualify { id, reason } => {
            let v = client.disqualify_lead(&id, reason.as_deref())?;
            out.value(&v, &lead_text(&v));
        }
        LeadCommand::Convert { id, rep, account, deal_title, deal_type, amount } => {
            let options = ConvertOptions { owner: rep, account, deal_title, deal_type, amount };
            let c = client.convert_lead(&id, options).await?;
            let name = |r: &serde_json::Value| r.as_str().unwrap_or_default().to_string();
            let text = format!(
                "Piste convertie.\n  tiers    {} « {} »{}\n  contact  {} « {} »{}\n  affaire  {} « {} »",
                c.account.id(),
                name(&c.account["name"]),
                if c.account_created { " (créé)" } else { " (existant, réutilisé)" },
                c.contact.id(),
                name(&c.contact["name"]),
                if c.contact_created { " (créé)" } else { " (existant)" },
                c.deal.id(),
                name(&c.deal["title"]),
            );
            out.value(&c, &text);
        }
    }
    Ok(())
}

/// A time of the service clock, in Paris time.
fn paris(at: Option<&str>) -> String {
    at.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|d| d.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|| "-".into())
}

fn ticket_line(t: &TicketView) -> String {
    let s = |k: &str| t.ticket[k].as_str().unwrap_or_default().to_string();
    let flag = if t.breached {
        "HORS DÉLAI "
    } else if t.paused {
        "en pause   "
    } else {
        "           "
    };
    let due = if t.ticket["first_response_at"].is_null() { &t.first_response_due } else { &t.resolution_due };
    format!(
        "{}  {flag}{}  |  {}  |  {}  |  {}  |  échéance {}",
        t.ticket.id(),
        s("title"),
        t.account_name,
        label(TICKET_STATUSES, &s("status"), crm_core::Lang::Fr),
        label(TICKET_PRIORITIES, &s("priority"), crm_core::Lang::Fr),
        paris(due.as_deref()),
    )
}

fn ticket_text(t: &TicketView) -> String {
    let s = |k: &str| t.ticket[k].as_str().map(str::to_string);
    format!(
        "{}\n  tiers                  {}\n  contact                {}\n  traité par             {}\n  ouvert le              {}\n  \
         première réponse due   {}{}\n  résolution due         {}{}",
        ticket_line(t),
        t.account_name,
        t.contact_name.clone().unwrap_or_else(|| "-".into()),
        t.assignee_name.clone().or(s("owner")).unwrap_or_else(|| "-".into()),
        paris(s("opened_at").as_deref()),
        paris(t.first_response_due.as_deref()),
        if t.first_response_breached { "  (dépassée)" } else { "" },
        paris(t.resolution_due.as_deref()),
        if t.resolution_breached { "  (dépassée)" } else { "" },
    )
}

pub async fn ticket(client: &Client, cmd: TicketCommand, out: &Output) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    match cmd {
        TicketCommand::Add { account, contact, subject, priority, channel, opened_at, description, assignee } => {
            let new =
                NewTicket { account, contact, title: subject, priority, channel, opened_at, description, assignee };
            let t = client.add_ticket(new, now).await?;
            out.value(&t, &ticket_text(&t));
        }
        TicketCommand::List { open, mine } => {
            let list = client.tickets(open, mine, now)?;
            let text = if list.is_empty() {
                "(aucun ticket)".to_string()
            } else {
                list.iter().map(ticket_line).collect::<Vec<_>>().join("\n")
            };
            out.value(&list, &text);
        }
        TicketCommand::Show { id } => {
            let t = client.ticket(&id, now)?;
            out.value(&t, &ticket_text(&t));
        }
        TicketCommand::Edit { id, status, assignee } => {
            let t = client.update_ticket(&id, status.as_deref(), assignee.as_deref(), now).await?;
            out.value(&t, &ticket_text(&t));
        }
    }
    Ok(())
}

pub fn call(client: &Client, cmd: CallCommand, out: &Output) -> anyhow::Result<()> {
    let CallCommand::Incoming { phone } = cmd;
    let card = client.incoming_call(&phone, chrono::Utc::now())?;
    let mut text = format!("Appel de {}", card.e164.as_deref().unwrap_or(&phone));
    let name = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    if card.contacts.is_empty() && card.accounts.is_empty() && card.leads.is_empty() {
        text.push_str("\nNuméro inconnu : créez un contact (crm contact add) ou une piste (crm lead add).");
    }
    for c in &card.contacts {
        text.push_str(&format!("\ncontact  {}  {}  {}", c.id(), name(&c["name"]), name(&c["job_title"])));
    }
    for a in &card.accounts {
        text.push_str(&format!(
            "\ntiers    {}  {}  {}",
            a.account.id(),
            name(&a.account["name"]),
            name(&a.account["city"])
        ));
        for t in &a.open_tickets {
            text.push_str(&format!("\n  ticket ouvert   {}", ticket_line(t)));
        }
        for c in &a.contracts {
            text.push_str(&format!("\n  contrat         {}  {}", c.id(), name(&c["contract_type"])));
        }
    }
    for l in &card.leads {
        text.push_str(&format!("\npiste    {}  {}  {}", l.id(), name(&l["name"]), name(&l["company"])));
    }
    out.value(&card, &text);
    Ok(())
}

pub async fn campaign(client: &Client, cmd: CampaignCommand, out: &Output) -> anyhow::Result<()> {
    match cmd {
        CampaignCommand::Add { name, segment, subject, body_file } => {
            let body = std::fs::read_to_string(&body_file).map_err(|e| crm_client::ClientError::file(&body_file, e))?;
            let c = client.add_campaign(&name, &segment, &subject, &body)?;
            let preview = client.campaign_preview(c.id())?;
            let text = format!(
                "Campagne {} « {name} » enregistrée (brouillon) : {} destinataire(s), {} sans accord e-mailing, {} sans e-mail.",
                c.id(),
                preview.recipients.len(),
                preview.excluded_no_consent,
                preview.excluded_no_email
            );
            out.value(&c, &text);
        }
        CampaignCommand::List => {
            out.records(&client.list(crm_core::RecordType::Campaign)?, &["name", "status", "sent_count"])
        }
        CampaignCommand::Preview { id } => {
            let p = client.campaign_preview(&id)?;
            let mut text = format!(
                "{} destinataire(s) dans {} tiers ; exclus : {} sans accord e-mailing, {} sans e-mail.",
                p.recipients.len(),
                p.accounts,
                p.excluded_no_consent,
                p.excluded_no_email
            );
            for r in &p.recipients {
                text.push_str(&format!("\n  {}  <{}>  {}", r.name, r.email, r.account_name));
            }
            out.value(&p, &text);
        }
        CampaignCommand::Send { id } => {
            let r = client.send_campaign(&id).await?;
            let text = format!(
                "{} e-mail(s) envoyé(s), {} en échec{}, {} déjà envoyé(s) ; exclus : {} sans accord, {} sans e-mail.",
                r.sent,
                r.failed,
                if r.failed > 0 { " (relancez l'envoi : seuls ceux-là partiront)" } else { "" },
                r.already,
                r.excluded_no_consent,
                r.excluded_no_email
            );
            out.value(&r, &text);
        }
    }
    Ok(())
}

pub fn mail(client: &Client, cmd: MailCommand, out: &Output) -> anyhow::Result<()> {
    let MailCommand::Import { files, support } = cmd;
    let mut results = Vec::new();
    let mut lines = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| crm_client::ClientError::file(&file, e))?;
        match client.import_mail(&bytes, support.as_deref()) {
            Ok(filed) => {
                let what = if filed.already {
                    "déjà enregistré".to_string()
                } else {
                    let mut w = format!("enregistré chez {} tiers", filed.activities.len());
                    if let Some(t) = &filed.ticket {
                        let verb = if filed.ticket_opened { "ticket ouvert" } else { "ajouté au ticket" };
                        w.push_str(&format!(", {verb} {}", t.id()));
                    }
                    w
                };
                lines.push(format!("{} : « {} » {what}", file.display(), filed.subject));
                results.push(serde_json::json!({"file": file.display().to_string(), "filed": filed}));
            }
            Err(e) => {
                let message = e.problem().text(crm_core::Lang::Fr);
                lines.push(format!("{} : {message}", file.display()));
                results.push(serde_json::json!({"file": file.display().to_string(), "error": message}));
            }
        }
    }
    out.value(&results, &lines.join("\n"));
    Ok(())
}
