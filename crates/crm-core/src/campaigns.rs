//! E-mailing campaigns: who receives one. A segment is a list of criteria on the
//! account (`kind=customer,city=Lyon,tag=vip`: every criterion must hold); its
//! recipients are the contacts of those accounts with an e-mail address and e-mail
//! consent « yes ». The others are counted, never mailed. Pure: the device's preview and
//! the server's sending read the same rule.

use crate::{Code, Problem, Record};
use serde::Serialize;
use ts_rs::TS;

/// The account fields a segment may test.
pub const SEGMENT_KEYS: [&str; 6] = ["kind", "city", "postal_code", "tag", "sector", "owner"];

/// One criterion: the account's `key` is `value` (letter case ignored); a postal code
/// matches by its start (a department), a tag when the account has it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Criterion {
    pub key: String,
    pub value: String,
}

/// Reads `key=value,key=value`.
pub fn parse_segment(text: &str) -> Result<Vec<Criterion>, Problem> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
            .filter(|(k, v)| SEGMENT_KEYS.contains(&k.as_str()) && !v.is_empty())
            .ok_or_else(|| {
                Problem::new(Code::SegmentInvalid)
                    .field("segment")
                    .param("value", part)
                    .param("allowed", SEGMENT_KEYS.join(", "))
            })?;
        out.push(Criterion { key, value });
    }
    Ok(out)
}

/// Whether an account is in the segment.
pub fn account_matches(account: &Record, segment: &[Criterion]) -> bool {
    segment.iter().all(|c| {
        let wanted = c.value.to_lowercase();
        match c.key.as_str() {
            "tag" => account.set("tags").iter().any(|t| t.to_lowercase() == wanted),
            "postal_code" => account.text("postal_code").is_some_and(|p| p.replace(' ', "").starts_with(&wanted)),
            key => account.text(key).is_some_and(|v| v.trim().to_lowercase() == wanted),
        }
    })
}

/// Why a contact of the segment is not mailed, if they are not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Excluded {
    NoEmail,
    NoConsent,
}

/// Whether a contact of a segment's account receives the campaign.
pub fn recipient(contact: &Record) -> Result<&str, Excluded> {
    let email = contact.text("email").ok_or(Excluded::NoEmail)?;
    if contact.text("consent_email") != Some("yes") {
        return Err(Excluded::NoConsent);
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldValue, RecordId, RecordType};

    fn record(t: RecordType, fields: &[(&str, &str)]) -> Record {
        let mut r = Record::new(RecordId::from_parts(1, [9; 10]), t);
        for (k, v) in fields {
            r.fields.insert(k.to_string(), FieldValue::Text(v.to_string()));
        }
        r
    }

    #[test]
    fn a_segment_selects_accounts_on_every_criterion() {
        let seg = parse_segment("kind=customer, city=Lyon,tag=VIP,postal_code=69").unwrap();
        let mut a = record(RecordType::Account, &[("kind", "customer"), ("city", "LYON"), ("postal_code", "69 003")]);
        assert!(!account_matches(&a, &seg), "no tag yet");
        a.fields.insert("tags".into(), FieldValue::Set(vec!["vip".into()]));
        assert!(account_matches(&a, &seg));
        a.fields.insert("city".into(), FieldValue::Text("Villeurbanne".into()));
        assert!(!account_matches(&a, &seg));
        assert!(parse_segment("colour=blue").is_err());
        assert!(parse_segment("city=").is_err());
        assert_eq!(parse_segment("").unwrap(), vec![], "everyone");
    }

    #[test]
    fn only_contacts_who_said_yes_are_mailed() {
        let yes = record(RecordType::Contact, &[("email", "a@b.fr"), ("consent_email", "yes")]);
        let no = record(RecordType::Contact, &[("email", "a@b.fr"), ("consent_email", "no")]);
        let unknown = record(RecordType::Contact, &[("email", "a@b.fr")]);
        let none = record(RecordType::Contact, &[("consent_email", "yes")]);
        assert_eq!(recipient(&yes), Ok("a@b.fr"));
        assert_eq!(recipient(&no), Err(Excluded::NoConsent));
        assert_eq!(recipient(&unknown), Err(Excluded::NoConsent), "no answer is no consent");
        assert_eq!(recipient(&none), Err(Excluded::NoEmail));
    }
}
