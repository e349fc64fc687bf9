//! Contacts in and out as vCards (.vcf), the format of Outlook and phones. Reading uses
//! the `ical` crate's parser (line unfolding, parameters); the values are unescaped
//! here. Writing follows RFC 2426 (3.0, what Outlook reads) or RFC 6350 (4.0): CRLF
//! lines folded at 75 bytes, `\ , ;` and line breaks escaped.

use crate::import::{ImportError, ImportReport};
use crate::{Client, ClientError, now_ms};
use crm_core::{Code, FieldValue, Lang, Problem, Record, RecordId, RecordType};
use crm_store::ImportBatch;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// One card read: the contact's fields and the company it names.
#[derive(Debug, Default)]
struct Card {
    name: Option<String>,
    company: Option<String>,
    job_title: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    mobile: Option<String>,
}

fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// The first component of a structured value (`ORG:Company;Department`).
fn first_component(value: &str) -> String {
    let mut end = value.len();
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            ';' if !escaped => {
                end = i;
                break;
            }
            _ => escaped = false,
        }
    }
    unescape(&value[..end])
}

fn read_card(contact: &ical::parser::vcard::component::VcardContact) -> Card {
    let mut card = Card::default();
    let mut structured_name = None;
    for p in &contact.properties {
        let Some(value) = p.value.as_deref().filter(|v| !v.trim().is_empty()) else { continue };
        let types: Vec<String> = p
            .params
            .iter()
            .flatten()
            .filter(|(k, _)| k.eq_ignore_ascii_case("TYPE"))
            .flat_map(|(_, v)| v.iter().flat_map(|t| t.split(',')).map(|t| t.to_ascii_lowercase()))
            .collect();
        match p.name.to_ascii_uppercase().as_str() {
            "FN" => card.name = Some(unescape(value)),
            "N" => {
                let parts: Vec<String> = value.split(';').map(unescape).collect();
                let given = parts.get(1).cloned().unwrap_or_default();
                let family = parts.first().cloned().unwrap_or_default();
                structured_name = Some(format!("{given} {family}").trim().to_string());
            }
            "ORG" => card.company = Some(first_component(value)),
            "TITLE" => card.job_title = Some(unescape(value)),
            "EMAIL" if card.email.is_none() => card.email = Some(unescape(value).to_lowercase()),
            "TEL" => {
                let number = unescape(value.trim_start_matches("tel:"));
                if types.iter().any(|t| t == "cell") {
                    card.mobile.get_or_insert(number);
                } else {
                    card.phone.get_or_insert(number);
                }
            }
            _ => {}
        }
    }
    if card.name.as_deref().is_none_or(str::is_empty) {
        card.name = structured_name.filter(|n| !n.is_empty());
    }
    card
}

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace(',', "\\,").replace(';', "\\;").replace('\n', "\\n")
}

/// One content line, folded at 75 bytes (never inside a character).
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

impl Client {
    /// Imports the contacts of a vCard file as one batch (undone like any import).
    /// Each card's company is found by name, or created as a prospect; a card without
    /// a name or a company, or likely a contact already here, is left out and reported.
    pub fn import_vcard(&self, path: &Path) -> Result<ImportReport, ClientError> {
        let bytes = std::fs::read(path).map_err(|e| ClientError::file(path, e))?;
        let text = crate::import_file::decode_text(&bytes).ok_or_else(|| {
            ClientError::Invalid(
                Problem::new(Code::ImportUnreadable)
                    .param("path", path.display())
                    .param("detail", "pas un fichier texte"),
            )
        })?;
        let default_owner = self.default_owner(RecordType::Contact)?;
        let account_owner = self.default_owner(RecordType::Account)?;
        let mut accounts: HashMap<String, String> = HashMap::new();
        for a in self.with_store(|s| Ok(s.list(RecordType::Account)?))? {
            if let Some(name) = a.record.text("name") {
                accounts.insert(crm_core::duplicates::name_key(name), a.record.id.to_string());
            }
        }
        let mut report = ImportReport {
            batch: None,
            rows: 0,
            created: 0,
            updated: 0,
            unchanged: 0,
            duplicates: 0,
            errors: Vec::new(),
            error_file: None,
            dry_run: false,
        };
        let mut creates: Vec<Record> = Vec::new();
        let refuse = |report: &mut ImportReport, row: usize, problem: Problem| {
            report.errors.push(ImportError { row, column: String::new(), message: problem.text(Lang::Fr) });
        };
        for (i, parsed) in ical::VcardParser::new(std::io::Cursor::new(text.as_bytes())).enumerate() {
            let row = i + 1;
            report.rows += 1;
            let card = match parsed {
                Ok(contact) => read_card(&contact),
                Err(e) => {
                    let problem = Problem::new(Code::ImportUnreadable).param("path", path.display()).param("detail", e);
                    refuse(&mut report, row, problem);
                    // The parser cannot find the next card after a broken one.
                    break;
                }
            };
            let Some(name) = card.name.clone() else {
                refuse(&mut report, row, Problem::new(Code::Required).field("name").param("type", RecordType::Contact));
                continue;
            };
            let Some(company) = card.company.clone().filter(|c| !c.is_empty()) else {
                refuse(&mut report, row, Problem::new(Code::VcardNoCompany).param("value", &name));
                continue;
            };
            let key = crm_core::duplicates::name_key(&company);
            let account = match accounts.get(&key) {
                Some(id) => id.clone(),
                None => {
                    let mut account = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Account);
                    account.fields.insert("name".into(), FieldValue::Text(company.clone()));
                    account.fields.insert("kind".into(), FieldValue::from("prospect"));
                    if let Some((field, user)) = &account_owner {
                        account.fields.insert(field.to_string(), FieldValue::Text(user.clone()));
                    }
                    let id = account.id.to_string();
                    creates.push(account);
                    accounts.insert(key, id.clone());
                    id
                }
            };
            let mut contact = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Contact);
            let phone = |p: Option<String>| p.map(|p| crm_core::duplicates::phone_key(&p).unwrap_or(p));
            for (field, value) in [
                ("account", Some(account)),
                ("name", Some(name)),
                ("job_title", card.job_title),
                ("email", card.email),
                ("phone", phone(card.phone)),
                ("mobile", phone(card.mobile)),
            ] {
                if let Some(value) = value {
                    contact.fields.insert(field.into(), FieldValue::Text(value));
                }
            }
            if let Some((field, user)) = &default_owner {
                contact.fields.insert(field.to_string(), FieldValue::Text(user.clone()));
            }
            let contact = crm_core::normalize_record(&contact);
            if let Err(p) = crm_core::validate(&contact) {
                refuse(&mut report, row, p);
                continue;
            }
            let in_base = self.with_store(|s| Ok(s.duplicates_of(&contact)?))?;
            let in_file = creates.iter().any(|r| crm_core::duplicates::compare(r, &contact).is_some());
            if let Some((other, _)) = in_base.first() {
                report.duplicates += 1;
                let problem = Problem::new(Code::ImportDuplicate)
                    .param("value", other.record.label())
                    .param("detail", "même e-mail, téléphone ou nom");
                refuse(&mut report, row, problem);
                continue;
            }
            if in_file {
                report.duplicates += 1;
                refuse(&mut report, row, Problem::new(Code::ImportSameRow).param("row", "précédente"));
                continue;
            }
            report.created += 1;
            creates.push(contact);
        }
        if !creates.is_empty() {
            let batch = ImportBatch {
                id: uuid::Uuid::now_v7().to_string(),
                record_type: RecordType::Contact,
                file: path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
                at_ms: now_ms(),
                created: creates.len(),
                updated: 0,
                undone_at_ms: None,
            };
            self.with_store(|s| Ok(s.import(&batch, &creates, &[], now_ms(), &|_, _| {})?))?;
            report.batch = Some(batch.id);
        }
        Ok(report)
    }

    /// Writes contacts (`ids`, or every contact when empty) as vCards `version` 3.0 or
    /// 4.0 to `path`; returns how many.
    pub fn export_vcard(&self, ids: &[String], path: &Path, version: &str) -> Result<usize, ClientError> {
        if !matches!(version, "3.0" | "4.0") {
            return Err(ClientError::Invalid(
                Problem::new(Code::NotOneOf).field("version").param("value", version).param("allowed", "3.0, 4.0"),
            ));
        }
        let contacts = if ids.is_empty() {
            self.list(RecordType::Contact)?
        } else {
            ids.iter().map(|id| self.get(id)).collect::<Result<Vec<_>, _>>()?
        };
        let mut companies: HashMap<String, String> = HashMap::new();
        let mut out = String::new();
        for c in &contacts {
            if c["type"] != "contact" {
                return Err(ClientError::wrong_type(c.id(), RecordType::Contact));
            }
            let name = c.text("name").unwrap_or_default();
            let (given, family) = name.split_once(' ').unwrap_or(("", name));
            line(&mut out, "BEGIN:VCARD");
            line(&mut out, &format!("VERSION:{version}"));
            line(&mut out, &format!("FN:{}", escape(name)));
            line(&mut out, &format!("N:{};{};;;", escape(family), escape(given)));
            if let Some(account) = c.text("account") {
                let company = match companies.get(account) {
                    Some(n) => n.clone(),
                    None => {
                        let n =
                            self.get(account).ok().and_then(|a| a.text("name").map(str::to_string)).unwrap_or_default();
                        companies.insert(account.to_string(), n.clone());
                        n
                    }
                };
                if !company.is_empty() {
                    line(&mut out, &format!("ORG:{}", escape(&company)));
                }
            }
            if let Some(title) = c.text("job_title") {
                line(&mut out, &format!("TITLE:{}", escape(title)));
            }
            let (work, cell, mail) = if version == "3.0" {
                ("TEL;TYPE=WORK,VOICE", "TEL;TYPE=CELL,VOICE", "EMAIL;TYPE=INTERNET,PREF")
            } else {
                ("TEL;TYPE=work,voice", "TEL;TYPE=cell,voice", "EMAIL;TYPE=work")
            };
            if let Some(phone) = c.text("phone") {
                line(&mut out, &format!("{work}:{}", escape(phone)));
            }
            if let Some(mobile) = c.text("mobile") {
                line(&mut out, &format!("{cell}:{}", escape(mobile)));
            }
            if let Some(email) = c.text("email") {
                line(&mut out, &format!("{mail}:{}", escape(email)));
            }
            line(&mut out, &format!("UID:urn:uuid:{}", c.id()));
            line(&mut out, "END:VCARD");
        }
        let mut file = std::fs::File::create(path).map_err(|e| ClientError::file(path, e))?;
        file.write_all(out.as_bytes()).map_err(|e| ClientError::file(path, e))?;
        Ok(contacts.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_without_cutting_a_character() {
        let mut out = String::new();
        line(&mut out, &format!("NOTE:{}", "é".repeat(60)));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), format!("NOTE:{}", "é".repeat(60)));
        assert_eq!(escape("Dupont; Fils, Cie"), "Dupont\\; Fils\\, Cie");
        assert_eq!(first_component("Dupont\\; Fils;Ventes"), "Dupont; Fils");
    }
}
