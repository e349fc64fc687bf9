//! Validation of records and of single field values. Every refusal is a [`Problem`]
//! naming the field and the rule, so a user (or a script) knows what to fix, in their
//! language.

use crate::problem::{Code, Problem};
use crate::{FieldKind, FieldValue, Record, RecordType, schema};

/// A field or a record that breaks a rule.
pub type ValidationError = Problem;

/// A problem with field `name`.
fn at(name: &str, code: Code) -> Problem {
    Problem::new(code).field(name)
}

const MAX_SHORT: usize = 500;
const MAX_LONG: usize = 200_000;

/// Checks a whole record: every field known and valid, every required field present.
pub fn validate(record: &Record) -> Result<(), ValidationError> {
    for spec in schema(record.record_type) {
        if spec.required && record.text(spec.name).is_none() {
            return Err(at(spec.name, Code::Required).param("type", record.record_type));
        }
    }
    for (name, value) in &record.fields {
        validate_field(record.record_type, name, value).map_err(|p| p.param("type", record.record_type))?;
    }
    check_record_rules(record)
}

/// Rules that tie several fields of one record together.
fn check_record_rules(record: &Record) -> Result<(), ValidationError> {
    match record.record_type {
        // Which stages and types exist is configurable (the settings record); the device
        // checks against the configuration, every replica checks the shape.
        RecordType::Deal => {
            let stage = record.text("stage").unwrap_or_default();
            crate::stages::check_identifier(stage).map_err(|p| p.field("stage"))
        }
        RecordType::Settings => {
            if record.id != crate::stages::SETTINGS_ID {
                return Err(Problem::new(Code::SettingsFixedId));
            }
            crate::stages::SalesSettings::from_record(Some(record))
                .check()
                .map_err(|m| at("deal_types", Code::SettingsInvalid).param("detail", m))
        }
        RecordType::Account => {
            let own = record.id.to_string();
            match ["parent", "distributor"].into_iter().find(|f| record.text(f) == Some(own.as_str())) {
                Some(field) => Err(at(field, Code::OwnRelation)),
                None => Ok(()),
            }
        }
        RecordType::Contract => match (record.text("start"), record.text("end")) {
            (Some(start), Some(end)) if end < start => Err(at("end", Code::EndBeforeStart)),
            _ => Ok(()),
        },
        RecordType::Event => {
            let parse = |f| record.text(f).and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
            match (parse("start"), parse("end")) {
                (Some(start), Some(end)) if end <= start => Err(at("end", Code::EventEndBeforeStart)),
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

/// The most characters a value of this field may have: long texts and the fields that
/// hold one JSON value written whole (quote lines, price lists, settings) get the larger
/// bound. Also the bound on any value a pushed change writes, visible or not.
pub fn max_chars(record_type: RecordType, name: &str) -> usize {
    let whole_json = matches!(
        (record_type, name),
        (RecordType::Quote, "lines") | (RecordType::Account, "price_list") | (RecordType::Settings, _)
    );
    let long = schema(record_type).iter().any(|s| s.name == name && s.kind == FieldKind::LongText);
    if whole_json || long { MAX_LONG } else { MAX_SHORT }
}

/// Whether `item` names an attachment as this product does: the SHA-256 of its bytes in
/// lower-case hex, a dot, an extension of 1 to 8 lower-case letters and digits
/// (`^[0-9a-f]{64}\.[a-z0-9]{1,8}$`). Nothing else may become a file name on a device.
pub fn is_media_item(item: &str) -> bool {
    let Some((hash, ext)) = item.split_once('.') else { return false };
    hash.len() == 64
        && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && (1..=8).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// The most items a set field may hold, and the most characters of one item.
pub const MAX_SET_ITEMS: usize = 200;
pub const MAX_SET_ITEM_CHARS: usize = 100;

/// A value as the user typed it, in the form the record keeps: a SIRET without its
/// spaces (`732 829 320 00074`), an amount in its plain decimal form (`1 234,5` →
/// `1234.50`), a percentage with a decimal point (`5,5` → `5.5`). Anything it cannot read
/// is left as typed, for validation to name what is wrong.
pub fn normalize_record(record: &Record) -> Record {
    let mut record = record.clone();
    record.fields = std::mem::take(&mut record.fields)
        .into_iter()
        .map(|(name, value)| (name.clone(), normalize(&name, value)))
        .collect();
    record
}

/// One value in the form the record keeps (see [`normalize_record`]).
pub fn normalize(name: &str, value: FieldValue) -> FieldValue {
    let FieldValue::Text(text) = value else { return value };
    let normal = match name {
        "siret" | "company_siret" => {
            let compact: String = text.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
            if compact.chars().all(|c| c.is_ascii_digit()) { compact } else { text }
        }
        "amount" | "price" | "billing_amount" | "budget" if !text.trim().is_empty() => {
            text.parse::<crate::Money>().map(|m| m.to_string()).unwrap_or(text)
        }
        "vat_percent" | "discount_percent" | "probability" => text.trim().replace(',', "."),
        "company_vat" => text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase(),
        _ => text,
    };
    FieldValue::Text(normal)
}

/// Checks one field value against the schema and the field's own rule.
pub fn validate_field(record_type: RecordType, name: &str, value: &FieldValue) -> Result<(), ValidationError> {
    if name == crate::DELETED_FIELD {
        return match value {
            FieldValue::Text(t) => one_of(record_type, name, t, crate::vocabulary::YES_NO),
            FieldValue::Set(_) => Err(at(name, Code::YesNo)),
        };
    }
    let Some(spec) = schema(record_type).iter().find(|s| s.name == name) else {
        let known: Vec<&str> = schema(record_type).iter().map(|s| s.name).collect();
        return Err(at(name, Code::UnknownField).param("type", record_type).param("known", known.join(", ")));
    };
    match (spec.kind, value) {
        (FieldKind::Set, FieldValue::Set(items)) => {
            if items.len() > MAX_SET_ITEMS {
                return Err(at(name, Code::TooManyItems).param("max", MAX_SET_ITEMS));
            }
            for item in items {
                if item.trim().is_empty() || item.chars().count() > MAX_SET_ITEM_CHARS {
                    return Err(at(name, Code::ItemLength).param("max", MAX_SET_ITEM_CHARS));
                }
                if name == "contacts" || name == "merged" {
                    check_uuid(name, item)?;
                }
                if (record_type, name) == (RecordType::Ticket, "status_history")
                    && crate::service::parse_history_entry(item).is_none()
                {
                    return Err(at(name, Code::DateTimeInvalid).param("value", item));
                }
                if (record_type, name) == (RecordType::Product, "media") && !is_media_item(item) {
                    return Err(at(name, Code::MediaItem).param("value", item));
                }
            }
            Ok(())
        }
        (FieldKind::Set, FieldValue::Text(_)) => Err(at(name, Code::ListExpected)),
        (_, FieldValue::Set(_)) => Err(at(name, Code::SingleExpected)),
        (FieldKind::LongText, FieldValue::Text(text)) => {
            if text.chars().count() > MAX_LONG {
                return Err(at(name, Code::TooLong).param("max", MAX_LONG));
            }
            Ok(())
        }
        (FieldKind::Short, FieldValue::Text(text)) => {
            let max = max_chars(record_type, name);
            if text.chars().count() > max {
                return Err(at(name, Code::TooLong).param("max", max));
            }
            if text.chars().any(|c| c.is_control()) {
                return Err(at(name, Code::ControlCharacters));
            }
            if text.is_empty() {
                return Ok(());
            }
            check_short(record_type, name, text)
        }
    }
}

fn check_short(record_type: RecordType, name: &str, text: &str) -> Result<(), ValidationError> {
    if let Some(list) = crate::vocabulary::choices(record_type, name) {
        return one_of(record_type, name, text, list);
    }
    match (record_type, name) {
        (_, "name") if text.trim().is_empty() => Err(at(name, Code::Blank)),
        (_, "siret") => check_siret(text),
        (RecordType::Settings, "company_siret") => check_siret(text).map_err(|p| p.field(name)),
        (RecordType::Settings, "company_vat") => check_vat_number(text),
        (RecordType::Settings, "company_logo") => check_logo(text),
        (_, "email") | (RecordType::Settings, "support_email") => check_email(text),
        (_, "phone" | "mobile") => check_phone(name, text),
        (_, "website") => check_website(text),
        (_, "postal_code") => check_postal_code(text),
        (_, "account" | "deal" | "contract" | "activity" | "merged_into") => check_uuid(name, text),
        (RecordType::Account, "parent" | "distributor") => check_uuid(name, text),
        (RecordType::Account, "visit_every_weeks") => check_integer(name, text, 1, 104),
        (_, "at") | (RecordType::Event, "start" | "end") => check_datetime(name, text),
        (RecordType::Ticket, "opened_at" | "first_response_at" | "resolved_at") | (RecordType::Lead, "received_at") => {
            check_datetime(name, text)
        }
        (RecordType::Settings, "sla_targets") => crate::service::SlaTargets::parse(text).map(|_| ()),
        (RecordType::Campaign, "segment") => crate::campaigns::parse_segment(text).map(|_| ()),
        (RecordType::Campaign | RecordType::Report, "sent_at" | "submitted_at") => check_datetime(name, text),
        (RecordType::Report, "week") => crate::reports::Week::parse(text).map(|_| ()).map_err(|p| p.field(name)),
        (RecordType::Report, "figures") => serde_json::from_str::<serde_json::Value>(text)
            .map(|_| ())
            .map_err(|e| at(name, Code::ReportInvalid).param("detail", e.to_string())),
        (RecordType::Campaign, "sent_count") => check_integer(name, text, 0, 10_000_000),
        (RecordType::Settings, "lead_scoring") => crate::leads::parse_rules(text).map(|_| ()),
        (RecordType::Lead, "converted_account" | "converted_contact" | "converted_deal") => check_uuid(name, text),
        (_, "follow_up" | "expected_close" | "start" | "end" | "valid_until" | "due" | "consent_date") => {
            check_date(name, text)
        }
        (RecordType::Deal, "deal_type") | (RecordType::Contract, "contract_type") => {
            crate::stages::check_identifier(text).map_err(|p| p.field(name))
        }
        (RecordType::Settings, "deal_types") => serde_json::from_str::<Vec<crate::stages::DealType>>(text)
            .map(|_| ())
            .map_err(|e| at(name, Code::SettingsInvalid).param("detail", format!("not a list of deal types: {e}"))),
        (RecordType::Settings, "contract_types") => serde_json::from_str::<Vec<crate::stages::ContractType>>(text)
            .map(|_| ())
            .map_err(|e| at(name, Code::SettingsInvalid).param("detail", format!("not a list of contract types: {e}"))),
        (RecordType::Ticket, "contact") => check_uuid(name, text),
        (_, "amount" | "price" | "billing_amount" | "budget") => check_amount(name, text),
        (_, "probability") => check_integer(name, text, 0, 100),
        (_, "term_months" | "notice_months") => check_integer(name, text, 0, 600),
        (_, "vat_percent" | "discount_percent") => check_percent(name, text),
        (RecordType::Account, "price_list") => check_price_list(text),
        (RecordType::Product, "reference") => check_reference(text),
        (RecordType::Quote, "lines") => check_quote_lines(text),
        _ => Ok(()),
    }
}

fn check_datetime(name: &str, text: &str) -> Result<(), ValidationError> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|_| ())
        .map_err(|_| at(name, Code::DateTimeInvalid).param("value", text))
}

fn check_date(name: &str, text: &str) -> Result<(), ValidationError> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| at(name, Code::DateInvalid).param("value", text))
}

fn check_amount(name: &str, text: &str) -> Result<(), ValidationError> {
    let money: crate::Money = text.parse().map_err(|p: Problem| p.field(name))?;
    if money.amount().is_sign_negative() {
        return Err(at(name, Code::AmountNegative));
    }
    Ok(())
}

fn check_integer(name: &str, text: &str, min: i64, max: i64) -> Result<(), ValidationError> {
    match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(()),
        _ => Err(at(name, Code::IntegerRange).param("min", min).param("max", max)),
    }
}

fn check_percent(name: &str, text: &str) -> Result<(), ValidationError> {
    match text.replace(',', ".").parse::<rust_decimal::Decimal>() {
        Ok(d) if d >= rust_decimal::Decimal::ZERO && d <= rust_decimal::Decimal::ONE_HUNDRED => Ok(()),
        _ => Err(at(name, Code::PercentRange)),
    }
}

/// A catalogue reference is exactly 8 characters: letters, digits, `-` or `_`.
fn check_reference(text: &str) -> Result<(), ValidationError> {
    let n = text.chars().count();
    if n != 8 {
        return Err(at("reference", Code::ReferenceLength).param("value", text).param("len", n));
    }
    if !text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(at("reference", Code::ReferenceCharacters));
    }
    Ok(())
}

/// Special prices by catalogue reference: `{"SRV-0001": "89.00", …}`.
fn check_price_list(text: &str) -> Result<(), ValidationError> {
    let list = crate::quote::parse_price_list(text).map_err(|_| at("price_list", Code::PriceListInvalid))?;
    for reference in list.keys() {
        check_reference(reference).map_err(|p| p.field("price_list"))?;
    }
    Ok(())
}

fn check_quote_lines(text: &str) -> Result<(), ValidationError> {
    let lines: Vec<crate::quote::QuoteLine> = serde_json_lines(text)?;
    if lines.is_empty() {
        return Err(at("lines", Code::QuoteLinesEmpty));
    }
    if lines.len() > 1000 {
        return Err(at("lines", Code::QuoteLinesTooMany));
    }
    for line in &lines {
        crate::quote::check_line(line).map_err(|p| p.field("lines"))?;
    }
    Ok(())
}

fn serde_json_lines(text: &str) -> Result<Vec<crate::quote::QuoteLine>, ValidationError> {
    crate::quote::parse_lines(text).map_err(|_| at("lines", Code::QuoteLinesInvalid))
}

fn one_of(
    record_type: RecordType,
    name: &str,
    text: &str,
    allowed: &[crate::vocabulary::Choice],
) -> Result<(), ValidationError> {
    if allowed.iter().any(|c| c.id == text) {
        Ok(())
    } else {
        let ids: Vec<&str> = allowed.iter().map(|c| c.id).collect();
        Err(at(name, Code::NotOneOf).param("type", record_type).param("value", text).param("allowed", ids.join(", ")))
    }
}

fn check_uuid(name: &str, text: &str) -> Result<(), ValidationError> {
    uuid::Uuid::parse_str(text).map(|_| ()).map_err(|_| at(name, Code::NotARecordId).param("value", text))
}

/// A SIRET is 14 digits whose Luhn checksum is valid (La Poste's establishments, SIREN
/// 356000000, use a digit sum divisible by 5 instead).
fn check_siret(text: &str) -> Result<(), ValidationError> {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 14 || text.chars().any(|c| !c.is_ascii_digit()) {
        return Err(at("siret", Code::SiretDigits));
    }
    let valid =
        if text.starts_with("356000000") { digits.iter().sum::<u32>().is_multiple_of(5) } else { luhn(&digits) };
    if valid { Ok(()) } else { Err(at("siret", Code::SiretChecksum)) }
}

/// A French intra-community VAT number: FR, a two-character key, the 9-digit SIREN.
fn check_vat_number(text: &str) -> Result<(), ValidationError> {
    let ok = text.len() == 13
        && text.starts_with("FR")
        && text[2..4].chars().all(|c| c.is_ascii_alphanumeric())
        && text[4..].chars().all(|c| c.is_ascii_digit());
    if ok { Ok(()) } else { Err(at("company_vat", Code::VatNumber).param("value", text)) }
}

/// A logo is a JPEG image in base64, at most 100 KB.
fn check_logo(text: &str) -> Result<(), ValidationError> {
    use base64::Engine;
    match base64::engine::general_purpose::STANDARD.decode(text) {
        Ok(bytes) if bytes.len() <= MAX_LOGO_BYTES && bytes.starts_with(&[0xFF, 0xD8]) => Ok(()),
        _ => Err(at("company_logo", Code::LogoInvalid)),
    }
}

/// The largest logo printed on quotes.
pub const MAX_LOGO_BYTES: usize = 100 * 1024;

pub(crate) fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn check_email(text: &str) -> Result<(), ValidationError> {
    let bad = || at("email", Code::EmailInvalid).param("value", text);
    let (local, domain) = text.split_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && text.len() <= 254
        && !text.chars().any(char::is_whitespace);
    if ok { Ok(()) } else { Err(bad()) }
}

fn check_phone(name: &str, text: &str) -> Result<(), ValidationError> {
    let allowed = |c: char| c.is_ascii_digit() || " +.-()/".contains(c);
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if text.chars().all(allowed) && (6..=20).contains(&digits) {
        Ok(())
    } else {
        Err(at(name, Code::PhoneInvalid).param("value", text))
    }
}

fn check_website(text: &str) -> Result<(), ValidationError> {
    if text.contains('.') && !text.chars().any(char::is_whitespace) {
        Ok(())
    } else {
        Err(at("website", Code::WebsiteInvalid).param("value", text))
    }
}

fn check_postal_code(text: &str) -> Result<(), ValidationError> {
    if text.len() <= 10 && text.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') {
        Ok(())
    } else {
        Err(at("postal_code", Code::PostalCodeInvalid).param("value", text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_french_users_type_is_kept_in_the_records_form() {
        let n = |f: &str, v: &str| normalize(f, v.into());
        assert_eq!(n("siret", "732 829 320 00074"), "73282932000074".into());
        assert_eq!(n("siret", "73282932000074"), "73282932000074".into());
        assert_eq!(n("siret", "pas un siret"), "pas un siret".into(), "left for validation to name");
        assert_eq!(n("amount", "1 234,5"), "1234.50".into());
        assert_eq!(n("price", "99,90 €"), "99.90".into());
        assert_eq!(n("vat_percent", "5,5"), "5.5".into());
        assert!(validate_field(RecordType::Account, "siret", &n("siret", "732 829 320 00074")).is_ok());
    }
    use crate::RecordId;

    fn account(fields: &[(&str, &str)]) -> Record {
        let mut r = Record::new(RecordId::from_parts(1, [1; 10]), RecordType::Account);
        for (k, v) in fields {
            r.fields.insert(k.to_string(), (*v).into());
        }
        r
    }

    #[test]
    fn an_account_needs_a_name_and_a_kind() {
        let err = validate(&account(&[("kind", "customer")])).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("name"));
        assert!(validate(&account(&[("name", "Boulangerie Martin"), ("kind", "customer")])).is_ok());
    }

    #[test]
    fn a_siret_with_a_mistyped_digit_is_refused_and_a_real_one_accepted() {
        // 732 829 320 00074 is a published, valid SIRET.
        assert!(validate_field(RecordType::Account, "siret", &"73282932000074".into()).is_ok());
        let err = validate_field(RecordType::Account, "siret", &"73282932000075".into()).unwrap_err();
        assert!(err.to_string().contains("checksum"), "{err}");
        let err = validate_field(RecordType::Account, "siret", &"1234".into()).unwrap_err();
        assert!(err.to_string().contains("14 digits"), "{err}");
    }

    #[test]
    fn an_unknown_account_kind_lists_the_allowed_ones() {
        let err = validate_field(RecordType::Account, "kind", &"friend".into()).unwrap_err();
        assert!(err.to_string().contains("prospect, customer"), "{err}");
    }

    #[test]
    fn emails_phones_and_dates_are_checked() {
        assert!(validate_field(RecordType::Contact, "email", &"a@b.fr".into()).is_ok());
        assert!(validate_field(RecordType::Contact, "email", &"a@b".into()).is_err());
        assert!(validate_field(RecordType::Contact, "phone", &"+33 1 23 45 67 89".into()).is_ok());
        assert!(validate_field(RecordType::Contact, "phone", &"call me".into()).is_err());
        assert!(validate_field(RecordType::Activity, "at", &"2026-03-14T09:30:00Z".into()).is_ok());
        assert!(validate_field(RecordType::Activity, "at", &"yesterday".into()).is_err());
    }

    #[test]
    fn unknown_fields_and_wrong_shapes_are_refused() {
        let err = validate_field(RecordType::Account, "colour", &"red".into()).unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
        let err = validate_field(RecordType::Account, "tags", &"vip".into()).unwrap_err();
        assert!(err.to_string().contains("list"), "{err}");
    }

    fn record(record_type: RecordType, fields: &[(&str, &str)]) -> Record {
        let mut r = Record::new(RecordId::from_parts(1, [1; 10]), record_type);
        for (k, v) in fields {
            r.fields.insert(k.to_string(), (*v).into());
        }
        r
    }

    #[test]
    fn sales_records_refuse_bad_input_naming_the_field_and_the_rule() {
        let field = |t, f: &str, v: &str| validate_field(t, f, &v.into()).unwrap_err();
        let e = field(RecordType::Product, "reference", "ABCDEFGHI");
        assert!(e.field.as_deref() == Some("reference") && e.to_string().contains("exactly 8 characters"), "{e}");
        assert!(validate_field(RecordType::Product, "reference", &"SRV-0001".into()).is_ok());
        assert!(field(RecordType::Deal, "amount", "-3").to_string().contains("negative"));
        assert!(field(RecordType::Deal, "amount", "12.345").to_string().contains("two decimals"));
        assert!(field(RecordType::Deal, "probability", "140").to_string().contains("0 to 100"));
        let account = RecordId::from_parts(1, [2; 10]).to_string();
        let deal = record(
            RecordType::Deal,
            &[("account", &account), ("title", "T"), ("deal_type", "simple"), ("stage", "Won!")],
        );
        let e = validate(&deal).unwrap_err();
        assert!(e.field.as_deref() == Some("stage") && e.to_string().contains("not an id"), "{e}");
        let event = record(
            RecordType::Event,
            &[("title", "Visite"), ("start", "2026-03-14T10:00:00Z"), ("end", "2026-03-14T09:00:00Z")],
        );
        assert!(validate(&event).unwrap_err().to_string().contains("after the start"));
        let q = field(
            RecordType::Quote,
            "lines",
            r#"[{"reference":"SRV-0001","designation":"x","quantity":"-1","unit_price":"10.00","discount_percent":"0","vat_percent":"20"}]"#,
        );
        assert!(q.to_string().contains("more than 0"), "{q}");
    }
}
