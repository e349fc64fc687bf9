//! The shared mailbox, polled over IMAP (`crm-server serve --imap
//! imaps://user:password@host/INBOX --support-address support@exemple.fr`). Each poll
//! reads only the headers of the messages that arrived since the last one, and fetches
//! whole only those from or to a known contact or to the support address: the CRM never
//! takes in the whole box, and marks nothing read (`BODY.PEEK`). Each message is filed
//! once (its Message-ID) by the rules of `crm_core::mail`, written by the server's
//! « Boîte du service client » writer through the same push as a device's change.

use crate::Settings;
use crate::db::{Db, MAILBOX};
use crm_core::mail::{Known, Ticketing};
use crm_core::{FieldValue, Record, RecordId, RecordType};
use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Write};

/// Where the mailbox is.
#[derive(Clone, Debug)]
struct Mailbox {
    tls: bool,
    host: String,
    port: u16,
    user: String,
    password: String,
    name: String,
}

fn parse_url(text: &str) -> anyhow::Result<Mailbox> {
    let url = url::Url::parse(text).map_err(|e| anyhow::anyhow!("--imap {text}: {e}"))?;
    let tls = match url.scheme() {
        "imaps" => true,
        "imap" => false,
        other => anyhow::bail!("--imap: {other}:// is not imap:// or imaps://"),
    };
    let host = url.host_str().ok_or_else(|| anyhow::anyhow!("--imap {text}: no host"))?.to_string();
    let decode = |s: &str| percent_decode(s);
    let name = url.path().trim_start_matches('/');
    Ok(Mailbox {
        tls,
        port: url.port().unwrap_or(if tls { 993 } else { 143 }),
        host,
        user: decode(url.username()),
        password: decode(url.password().unwrap_or_default()),
        name: if name.is_empty() { "INBOX".into() } else { decode(name) },
    })
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Checks the settings at start (a wrong address fails at once, not at the first poll).
pub fn check(settings: &Settings) -> anyhow::Result<()> {
    if let Some(url) = &settings.imap_url {
        parse_url(url)?;
    }
    Ok(())
}

/// Polls until the server stops; a failed poll is logged and tried again next time.
pub async fn run(db: Db, settings: std::sync::Arc<Settings>) {
    loop {
        match poll_once(&db, &settings).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(filed = n, "e-mails filed from the shared mailbox"),
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "the shared mailbox could not be read"),
        }
        tokio::time::sleep(settings.imap_interval).await;
    }
}

/// The messages that arrived since the last poll and concern the CRM, whole; and how
/// far the mailbox now is read.
struct Fetched {
    uidvalidity: u32,
    last_uid: u32,
    messages: Vec<Vec<u8>>,
}

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

fn fetch(mailbox: &Mailbox, since: Option<(u32, u32)>, wanted: &dyn Fn(&[u8]) -> bool) -> anyhow::Result<Fetched> {
    let tcp = std::net::TcpStream::connect((mailbox.host.as_str(), mailbox.port))?;
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(60)))?;
    let stream: Box<dyn Stream> = if mailbox.tls {
        let connector = native_tls::TlsConnector::new()?;
        Box::new(connector.connect(&mailbox.host, tcp)?)
    } else {
        Box::new(tcp)
    };
    let mut client = imap::Client::new(stream);
    client.read_greeting()?;
    let mut session = client.login(&mailbox.user, &mailbox.password).map_err(|(e, _)| e)?;
    let selected = session.select(&mailbox.name)?;
    let uidvalidity = selected.uid_validity.unwrap_or(0);
    let from = match since {
        Some((validity, last)) if validity == uidvalidity => last + 1,
        _ => 1,
    };
    // `UID n:*` names the last message even when it is below n.
    let mut uids: Vec<u32> = session.uid_search(format!("UID {from}:*"))?.into_iter().filter(|u| *u >= from).collect();
    uids.sort_unstable();
    let last_uid = uids.last().copied().unwrap_or(from.saturating_sub(1));
    let mut messages = Vec::new();
    if !uids.is_empty() {
        let set = uids.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let headers = session.uid_fetch(&set, "BODY.PEEK[HEADER]")?;
        let relevant: Vec<String> = headers
            .iter()
            .filter(|f| f.header().is_some_and(wanted))
            .filter_map(|f| f.uid.map(|u| u.to_string()))
            .collect();
        if !relevant.is_empty() {
            for f in session.uid_fetch(relevant.join(","), "BODY.PEEK[]")?.iter() {
                if let Some(body) = f.body() {
                    messages.push(body.to_vec());
                }
            }
        }
    }
    let _ = session.logout();
    Ok(Fetched { uidvalidity, last_uid, messages })
}

/// One poll: the new messages that concern the CRM, filed. The number filed.
pub async fn poll_once(db: &Db, settings: &Settings) -> anyhow::Result<usize> {
    let Some(url) = settings.imap_url.as_deref() else { return Ok(0) };
    let mailbox = parse_url(url)?;
    let support = settings.support_address.as_deref().map(|s| s.trim().to_lowercase());
    let known: Vec<Known> = db
        .records_of_type(RecordType::Contact)
        .await?
        .into_iter()
        .map(|(c, _)| c)
        .filter_map(|c| {
            Some(Known {
                email: c.text("email")?.trim().to_lowercase(),
                account: c.text("account")?.to_string(),
                contact: c.id.to_string(),
            })
        })
        .collect();
    let addresses: HashSet<String> = known.iter().map(|k| k.email.clone()).chain(support.clone()).collect();
    let key = format!("{}@{}:{}/{}", mailbox.user, mailbox.host, mailbox.port, mailbox.name);
    let since = db.mailbox_state(&key).await?.map(|(v, l)| (v as u32, l as u32));
    let fetched = tokio::task::spawn_blocking(move || {
        let wanted =
            |header: &[u8]| crm_core::mail::parse(header).is_ok_and(|m| m.people().any(|p| addresses.contains(p)));
        fetch(&mailbox, since, &wanted)
    })
    .await??;

    let mut filed = 0;
    for bytes in &fetched.messages {
        let Ok(mail) = crm_core::mail::parse(bytes) else { continue };
        let now = crate::now_ms();
        if !db.mail_first_seen(&mail.message_id, now).await? {
            continue;
        }
        match file(db, &mail, &known, support.as_deref(), now).await {
            Ok(true) => filed += 1,
            Ok(false) => {}
            Err(e) => {
                db.mail_unseen(&mail.message_id).await?;
                return Err(e);
            }
        }
    }
    db.set_mailbox_state(&key, i64::from(fetched.uidvalidity), i64::from(fetched.last_uid)).await?;
    Ok(filed)
}

/// Files one message; false when it concerns no known contact after all.
async fn file(
    db: &Db,
    mail: &crm_core::mail::Mail,
    known: &[Known],
    support: Option<&str>,
    now: i64,
) -> anyhow::Result<bool> {
    let tickets: Vec<Record> = db.records_of_type(RecordType::Ticket).await?.into_iter().map(|(t, _)| t).collect();
    let Ok(filing) = crm_core::mail::file(mail, known, &tickets, support, true) else { return Ok(false) };
    let received = chrono::DateTime::from_timestamp_millis(now).unwrap_or_default();
    let new = |fields: BTreeMap<String, FieldValue>, record_type| {
        let mut r = Record::new(RecordId(uuid::Uuid::now_v7()), record_type);
        r.fields = fields;
        r
    };
    let mut created: Vec<Record> = filing
        .by_account
        .iter()
        .map(|(account, contacts)| {
            new(crm_core::mail::activity_fields(mail, account, contacts, received), RecordType::Activity)
        })
        .collect();
    match &filing.ticketing {
        Ticketing::Open { account, contact } => {
            created.push(new(crm_core::mail::ticket_fields(mail, account, contact, received), RecordType::Ticket));
        }
        Ticketing::Thread { ticket, reopen } => {
            let Some(t) = tickets.iter().find(|t| t.id.to_string() == *ticket) else { return Ok(false) };
            let mut edit: crm_doc::Edit =
                if *reopen { crm_core::service::move_fields(t, "open", received) } else { BTreeMap::new() };
            let mut ids = t.set("message_ids").to_vec();
            ids.push(mail.message_id.clone());
            edit.insert("message_ids".into(), Some(FieldValue::Set(ids)));
            if let Err(problem) = db.edit_as_system(&MAILBOX, t.id.0, &edit, now).await? {
                anyhow::bail!("the ticket {ticket} could not take the reply: {problem}");
            }
        }
        Ticketing::None => {}
    }
    if let Err(problem) = db.create_as_system(&MAILBOX, &created, now).await? {
        anyhow::bail!("the e-mail {} could not be filed: {problem}", mail.message_id);
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn mailbox_addresses_are_read_with_their_secrets_decoded() {
        let m = super::parse_url("imaps://support%40exemple.fr:p%40ss+w@imap.exemple.fr/INBOX").unwrap();
        assert!(m.tls);
        assert_eq!((m.user.as_str(), m.password.as_str(), m.port), ("support@exemple.fr", "p@ss+w", 993));
        let plain = super::parse_url("imap://u:p@127.0.0.1:1430").unwrap();
        assert_eq!((plain.tls, plain.port, plain.name.as_str()), (false, 1430, "INBOX"));
        assert!(super::parse_url("pop3://x@y").is_err());
    }
}
