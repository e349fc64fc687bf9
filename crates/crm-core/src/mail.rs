//! E-mails into the CRM: what a message is (read with `mailparse`), and where it goes.
//! It is filed once (its Message-ID) in the timelines of the known contacts it is from
//! or to, one activity per account; a reply (In-Reply-To, References) threads into the
//! ticket it answers, and reopens it when the customer answered a ticket waiting for
//! them; a new message to the support address opens a ticket on the sender's account. A
//! message that concerns no known contact is not kept. Pure: the device (a dropped
//! `.eml`) and the server (the shared mailbox over IMAP) decide the same way.

use crate::vocabulary::TICKET_PAUSED;
use crate::{Code, FieldValue, Problem, Record};
use chrono::{DateTime, Utc};
use mailparse::{MailAddr, MailHeaderMap, ParsedMail};
use std::collections::{BTreeMap, BTreeSet};

/// One message, as the CRM reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub message_id: String,
    pub subject: String,
    /// Addresses, lowercase.
    pub from: Vec<String>,
    /// To and Cc, lowercase.
    pub recipients: Vec<String>,
    pub date: Option<DateTime<Utc>>,
    /// The messages it answers (In-Reply-To, References).
    pub answers: Vec<String>,
    /// Its plain text (the first text/plain part), at most [`MAX_BODY_CHARS`].
    pub body: String,
}

/// The longest text kept of a message.
pub const MAX_BODY_CHARS: usize = 20_000;

fn addresses(mail: &ParsedMail<'_>, header: &str) -> Vec<String> {
    let mut out = Vec::new();
    for h in mail.headers.iter().filter(|h| h.get_key().eq_ignore_ascii_case(header)) {
        if let Ok(list) = mailparse::addrparse_header(h) {
            for a in list.iter() {
                match a {
                    MailAddr::Single(s) => out.push(s.addr.trim().to_lowercase()),
                    MailAddr::Group(g) => out.extend(g.addrs.iter().map(|s| s.addr.trim().to_lowercase())),
                }
            }
        }
    }
    out
}

fn ids(mail: &ParsedMail<'_>, header: &str) -> Vec<String> {
    mail.headers
        .get_all_values(header)
        .iter()
        .filter_map(|v| mailparse::msgidparse(v).ok())
        .flat_map(|list| list.iter().cloned().collect::<Vec<_>>())
        .collect()
}

fn text_of(mail: &ParsedMail<'_>) -> String {
    fn find(part: &ParsedMail<'_>) -> Option<String> {
        if part.subparts.is_empty() {
            return (part.ctype.mimetype == "text/plain").then(|| part.get_body().unwrap_or_default());
        }
        part.subparts.iter().find_map(find)
    }
    if mail.subparts.is_empty() { mail.get_body().unwrap_or_default() } else { find(mail).unwrap_or_default() }
}

/// Reads a message (a whole `.eml`, or only its header lines).
pub fn parse(bytes: &[u8]) -> Result<Mail, Problem> {
    let unreadable = |detail: String| Problem::new(Code::MailUnreadable).param("detail", detail);
    let mail = mailparse::parse_mail(bytes).map_err(|e| unreadable(e.to_string()))?;
    let message_id =
        ids(&mail, "Message-ID").into_iter().next().ok_or_else(|| unreadable("Message-ID absent".into()))?;
    let mut recipients = addresses(&mail, "To");
    recipients.extend(addresses(&mail, "Cc"));
    Ok(Mail {
        message_id,
        subject: mail.headers.get_first_value("Subject").unwrap_or_default().trim().to_string(),
        from: addresses(&mail, "From"),
        recipients,
        date: mail
            .headers
            .get_first_value("Date")
            .and_then(|d| mailparse::dateparse(&d).ok())
            .and_then(|t| DateTime::from_timestamp(t, 0)),
        answers: ids(&mail, "In-Reply-To").into_iter().chain(ids(&mail, "References")).collect(),
        body: text_of(&mail).chars().take(MAX_BODY_CHARS).collect(),
    })
}

impl Mail {
    /// Everyone on it: sender first, then recipients.
    pub fn people(&self) -> impl Iterator<Item = &String> {
        self.from.iter().chain(&self.recipients)
    }

    fn title(&self) -> String {
        if self.subject.is_empty() { "(sans objet)".to_string() } else { self.subject.clone() }
    }
}

/// A contact the CRM knows, by one of its addresses.
#[derive(Clone, Debug)]
pub struct Known {
    pub contact: String,
    pub account: String,
    pub email: String,
}

/// What becomes of a message's ticket side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ticketing {
    /// A reply to a ticket: its Message-ID joins the ticket; `reopen` when the customer
    /// answered a ticket waiting for them.
    Thread {
        ticket: String,
        reopen: bool,
    },
    /// A new message to the support address: a ticket on the sender's account.
    Open {
        account: String,
        contact: String,
    },
    None,
}

/// Where a message goes.
#[derive(Clone, Debug)]
pub struct Filing {
    /// The accounts concerned, each with its contacts on the message.
    pub by_account: BTreeMap<String, BTreeSet<String>>,
    pub ticketing: Ticketing,
}

/// Decides where `mail` goes: `known` are the contacts matching its addresses, `tickets`
/// those that may be answered, `support` the support address; `may_open` whether the
/// writer may open tickets. Refused when no known contact is on it.
pub fn file(
    mail: &Mail,
    known: &[Known],
    tickets: &[Record],
    support: Option<&str>,
    may_open: bool,
) -> Result<Filing, Problem> {
    let mut by_account: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut sender: Option<&Known> = None;
    for address in mail.people() {
        for k in known.iter().filter(|k| k.email.eq_ignore_ascii_case(address)) {
            if sender.is_none() && mail.from.contains(address) {
                sender = Some(k);
            }
            by_account.entry(k.account.clone()).or_default().insert(k.contact.clone());
        }
    }
    if by_account.is_empty() {
        let all: Vec<&str> = mail.people().map(String::as_str).collect();
        return Err(Problem::new(Code::MailNoContact).param("value", all.join(", ")));
    }
    let thread = tickets.iter().find(|t| t.set("message_ids").iter().any(|m| mail.answers.contains(m)));
    let to_support = support.is_some_and(|s| mail.recipients.iter().any(|r| r.eq_ignore_ascii_case(s.trim())));
    let ticketing = match (thread, sender) {
        (Some(t), _) => Ticketing::Thread {
            ticket: t.id.to_string(),
            reopen: sender.is_some() && t.text("status").is_some_and(|s| TICKET_PAUSED.contains(&s)),
        },
        (None, Some(k)) if to_support && may_open => {
            Ticketing::Open { account: k.account.clone(), contact: k.contact.clone() }
        }
        _ => Ticketing::None,
    };
    Ok(Filing { by_account, ticketing })
}

fn text(pairs: &[(&str, String)]) -> BTreeMap<String, FieldValue> {
    pairs.iter().map(|(k, v)| (k.to_string(), FieldValue::Text(v.clone()))).collect()
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The activity filing `mail` on `account`, naming its contacts there (`received`: when
/// the message has no date).
pub fn activity_fields(
    mail: &Mail,
    account: &str,
    contacts: &BTreeSet<String>,
    received: DateTime<Utc>,
) -> BTreeMap<String, FieldValue> {
    let mut fields = text(&[
        ("account", account.to_string()),
        ("kind", "email".into()),
        ("at", stamp(mail.date.unwrap_or(received))),
        ("subject", mail.title()),
        ("body", mail.body.clone()),
        ("external_id", mail.message_id.clone()),
    ]);
    fields.insert("contacts".into(), FieldValue::Set(contacts.iter().cloned().collect()));
    fields
}

/// The ticket a new message to support opens.
pub fn ticket_fields(
    mail: &Mail,
    account: &str,
    contact: &str,
    received: DateTime<Utc>,
) -> BTreeMap<String, FieldValue> {
    let opened = mail.date.unwrap_or(received);
    let mut fields = text(&[
        ("account", account.to_string()),
        ("contact", contact.to_string()),
        ("title", mail.title()),
        ("status", "new".into()),
        ("priority", "normal".into()),
        ("channel", "email".into()),
        ("opened_at", stamp(opened)),
        ("description", mail.body.clone()),
    ]);
    fields.insert("status_history".into(), FieldValue::Set(vec![crate::service::history_entry(opened, "new")]));
    fields.insert("message_ids".into(), FieldValue::Set(vec![mail.message_id.clone()]));
    fields
}
