//! How the rows of a file become records: each tied to its account by natural keys,
//! matched with the records already on the device, checked for duplicates against the
//! base and the earlier rows, and sorted into creations, updates, unchanged rows and
//! refusals with their reasons.

use super::ImportProgress;
use crate::{Client, ClientError};
use crm_core::duplicates::Fingerprint;
use crm_core::import::{self as rules, MatchKey, Mode};
use crm_core::{Code, FieldValue, Lang, Problem, Record, RecordId, RecordType};
use crm_doc::Edit;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One row on its way in.
pub(super) struct Row {
    pub(super) number: usize,
    pub(super) raw: Vec<String>,
    /// Target → value as the record keeps it.
    pub(super) values: BTreeMap<String, String>,
    pub(super) errors: Vec<(String, String)>,
}

/// The records a file is matched against, by each kind of key.
#[derive(Default)]
struct Index {
    by_key: HashMap<String, Vec<usize>>,
    records: Vec<Record>,
}

impl Index {
    fn add(&mut self, record: Record, keys: Vec<String>) {
        let i = self.records.len();
        for key in keys {
            self.by_key.entry(key).or_default().push(i);
        }
        self.records.push(record);
    }

    fn find(&self, key: &str) -> Vec<&Record> {
        self.by_key.get(key).map(|ids| ids.iter().map(|&i| &self.records[i]).collect()).unwrap_or_default()
    }
}

fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

/// The keys under which accounts are found from another file's columns.
fn account_keys(record: &Record) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(s) = record.text("siret") {
        keys.push(format!("siret:{s}"));
    }
    if let Some(e) = record.text("external_id") {
        keys.push(format!("ext:{}", compact(e)));
    }
    if let Some(n) = record.text("name") {
        let name = crm_core::duplicates::name_key(n);
        keys.push(format!("name:{name}"));
        if let Some(p) = record.text("postal_code") {
            keys.push(format!("name:{name}|{}", compact(p)));
        }
    }
    keys
}

/// The key of a record (or a row made into one) under a match key, for matching.
fn match_key(record_type: RecordType, key: Option<MatchKey>, record: &Record) -> Option<String> {
    let text = |f: &str| record.text(f).map(str::to_string);
    match key {
        Some(MatchKey::ExternalId) => text("external_id").map(|e| format!("ext:{}", compact(&e))),
        Some(MatchKey::Siret) => text("siret").map(|s| format!("siret:{s}")),
        Some(MatchKey::Email) => text("email").map(|e| format!("email:{}", e.to_lowercase())),
        Some(MatchKey::NamePostal) => {
            let name = crm_core::duplicates::name_key(record.text("name")?);
            let scope = match record_type {
                RecordType::Contact => text("account")?,
                _ => compact(record.text("postal_code").unwrap_or("")),
            };
            Some(format!("np:{name}|{scope}"))
        }
        None => match record_type {
            RecordType::Product => text("reference").map(|r| format!("ref:{}", r.to_uppercase())),
            RecordType::Contract => Some(format!(
                "contract:{}|{}|{}",
                text("account")?,
                text("contract_type").unwrap_or_default(),
                text("start")?
            )),
            RecordType::Activity => Some(format!(
                "activity:{}|{}|{}|{}",
                text("account")?,
                text("kind")?,
                chrono::DateTime::parse_from_rfc3339(record.text("at")?).ok()?.timestamp(),
                text("subject").unwrap_or_default().to_lowercase()
            )),
            _ => None,
        },
    }
}

impl Client {
    /// Decides for every row: create, update, unchanged or refused (with its reason).
    pub(super) fn plan(
        &self,
        record_type: RecordType,
        rows: &mut [Row],
        key: Option<MatchKey>,
        mode: Mode,
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> Result<Plan, ClientError> {
        let me = self.with_store(|s| Ok(s.meta("user_id")?))?;
        let role = self.role()?;
        let people = self.people();
        let settings = self.sales_settings()?;
        let needs_accounts = matches!(record_type, RecordType::Contact | RecordType::Contract | RecordType::Activity);
        let mut accounts = Index::default();
        if needs_accounts {
            for a in self.with_store(|s| Ok(s.list(RecordType::Account)?))? {
                let keys = account_keys(&a.record);
                accounts.add(a.record, keys);
            }
        }
        let mut contacts_by_email: HashMap<(String, String), String> = HashMap::new();
        if record_type == RecordType::Activity {
            for c in self.with_store(|s| Ok(s.list(RecordType::Contact)?))? {
                if let (Some(account), Some(email)) = (c.record.text("account"), c.record.text("email")) {
                    contacts_by_email.insert((account.to_string(), email.to_lowercase()), c.record.id.to_string());
                }
            }
        }
        let mut existing = Index::default();
        for r in self.with_store(|s| Ok(s.list(record_type)?))? {
            let keys = match_key(record_type, key, &r.record).into_iter().collect();
            existing.add(r.record, keys);
        }
        // The owner a new record gets when the file names none (as when typed in the app).
        let default_owner = self.default_owner(record_type)?;
        let mut base = BaseKeys {
            keys: match record_type {
                RecordType::Account | RecordType::Contact => self.with_store(|s| Ok(s.duplicate_keys(record_type)?))?,
                _ => HashMap::new(),
            },
            prints: HashMap::new(),
        };
        let mut plan = Plan::default();
        let mut seen_keys: HashMap<String, usize> = HashMap::new();
        let mut new_blocks: HashMap<String, Vec<(usize, Fingerprint)>> = HashMap::new();
        let total = rows.len();
        for (i, row) in rows.iter_mut().enumerate() {
            if i % 1000 == 0 {
                progress(ImportProgress { phase: "check".into(), done: i, total });
            }
            if !row.errors.is_empty() {
                continue;
            }
            let mut record = Record::new(RecordId(uuid::Uuid::now_v7()), record_type);
            let v = &row.values;
            // The account, by natural keys.
            if needs_accounts {
                match find_account(&accounts, v) {
                    Ok(id) => {
                        record.fields.insert("account".into(), FieldValue::Text(id));
                    }
                    Err((target, message)) => {
                        row.errors.push((target, message));
                        continue;
                    }
                }
            }
            for (target, value) in v {
                match target.as_str() {
                    rules::ACCOUNT_SIRET
                    | rules::ACCOUNT_EXTERNAL_ID
                    | rules::ACCOUNT_NAME
                    | rules::ACCOUNT_POSTAL_CODE
                    | rules::FIRST_NAME
                    | rules::LAST_NAME
                    | rules::SIREN => {}
                    rules::OWNER_EMAIL => match find_person(&people, value) {
                        Some(id) => {
                            record.fields.insert("owner".into(), FieldValue::Text(id));
                        }
                        None => row.errors.push((
                            target.clone(),
                            Problem::new(Code::ImportOwnerUnknown).param("email", value).text(Lang::Fr),
                        )),
                    },
                    rules::CONTACT_EMAIL => {
                        let account = record.text("account").unwrap_or_default().to_string();
                        match contacts_by_email.get(&(account, value.clone())) {
                            Some(id) => {
                                record.fields.insert("contacts".into(), FieldValue::Set(vec![id.clone()]));
                            }
                            None => row.errors.push((
                                target.clone(),
                                Problem::new(Code::ImportContactUnknown).param("email", value).text(Lang::Fr),
                            )),
                        }
                    }
                    "tags" => {
                        let items: Vec<String> = value
                            .split([',', ';'])
                            .map(str::trim)
                            .filter(|t| !t.is_empty())
                            .map(String::from)
                            .collect();
                        record.fields.insert("tags".into(), FieldValue::Set(items));
                    }
                    "contract_type" => match settings
                        .contract_types
                        .iter()
                        .find(|c| c.id == *value || rules::header_key(&c.label) == rules::header_key(value))
                    {
                        Some(c) => {
                            record.fields.insert(target.clone(), FieldValue::Text(c.id.clone()));
                        }
                        None => row.errors.push((
                            target.clone(),
                            settings.check_contract_type(value).err().map(|p| p.text(Lang::Fr)).unwrap_or_default(),
                        )),
                    },
                    field => {
                        record.fields.insert(field.to_string(), FieldValue::Text(value.clone()));
                    }
                }
            }
            if !row.errors.is_empty() {
                continue;
            }
            // What a file leaves implicit.
            if record_type == RecordType::Contact && !record.fields.contains_key("name") {
                let name = [v.get(rules::FIRST_NAME), v.get(rules::LAST_NAME)]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" ");
                record.fields.insert("name".into(), FieldValue::Text(name));
            }
            if let (Some(siren), Some(siret)) = (v.get(rules::SIREN), record.text("siret"))
                && !siret.starts_with(siren.as_str())
            {
                row.errors.push((
                    rules::SIREN.into(),
                    Problem::new(Code::SirenInvalid)
                        .param("value", format!("{siren} ≠ {}", &siret[..siret.len().min(9)]))
                        .text(Lang::Fr),
                ));
                continue;
            }
            let record = crm_core::normalize_record(&record);
            let matched = match_key(record_type, key, &record);
            if let Some(k) = &matched {
                if let Some(first) = seen_keys.get(k) {
                    row.errors
                        .push((String::new(), Problem::new(Code::ImportSameRow).param("row", first).text(Lang::Fr)));
                    plan.duplicates += 1;
                    continue;
                }
                seen_keys.insert(k.clone(), row.number);
            }
            let found = matched.as_deref().map(|k| existing.find(k)).unwrap_or_default();
            match (found.first(), mode) {
                (Some(current), _) if found.len() > 1 => {
                    row.errors.push((
                        String::new(),
                        Problem::new(Code::ImportAccountAmbiguous).param("value", current.label()).text(Lang::Fr),
                    ));
                }
                (Some(current), Mode::Update | Mode::Upsert) => {
                    let edit: Edit = record
                        .fields
                        .iter()
                        .filter(|(k, v)| current.fields.get(*k) != Some(*v))
                        .map(|(k, v)| (k.clone(), Some(v.clone())))
                        .collect();
                    if edit.is_empty() {
                        plan.unchanged += 1;
                        continue;
                    }
                    let mut after = (*current).clone();
                    for (k, v) in &edit {
                        if let Some(v) = v {
                            after.fields.insert(k.clone(), v.clone());
                        }
                    }
                    if let Err(p) = crm_core::validate(&after) {
                        row.errors.push((p.field.clone().unwrap_or_default(), p.text(Lang::Fr)));
                        continue;
                    }
                    plan.edits.push((current.id, edit));
                }
                (Some(current), Mode::Create) => {
                    let same = record.fields.iter().all(|(k, v)| current.fields.get(k) == Some(v));
                    if same {
                        plan.unchanged += 1;
                    } else {
                        plan.duplicates += 1;
                        row.errors.push((
                            String::new(),
                            Problem::new(Code::ImportExists).param("value", current.label()).text(Lang::Fr),
                        ));
                    }
                }
                (None, Mode::Update) => {
                    row.errors.push((
                        String::new(),
                        Problem::new(Code::ImportNoMatch).param("value", matched.unwrap_or_default()).text(Lang::Fr),
                    ));
                }
                (None, Mode::Create | Mode::Upsert) => {
                    let mut record = record;
                    if let Some((field, user)) = &default_owner
                        && !record.fields.contains_key(*field)
                    {
                        record.fields.insert(field.to_string(), FieldValue::Text(user.clone()));
                    }
                    if record_type == RecordType::Account && !record.fields.contains_key("kind") {
                        record.fields.insert("kind".into(), FieldValue::Text("customer".into()));
                    }
                    if record_type == RecordType::Contract && !record.fields.contains_key("status") {
                        record.fields.insert(
                            "status".into(),
                            FieldValue::Text(crm_core::vocabulary::NEW_CONTRACT_STATUS.into()),
                        );
                    }
                    if let Err(p) = crm_core::validate(&record) {
                        row.errors.push((p.field.clone().unwrap_or_default(), p.text(Lang::Fr)));
                        continue;
                    }
                    if let (Some(crm_core::Role::Rep), Some(me)) = (role, &me)
                        && let Some(owner) =
                            crm_core::permissions::owner_field(record_type).and_then(|f| record.text(f))
                        && owner != me
                    {
                        row.errors.push((
                            rules::OWNER_EMAIL.into(),
                            Problem::new(Code::MayOnlyCreateOwn)
                                .param("role", crm_core::Role::Rep)
                                .param("type", record_type)
                                .text(Lang::Fr),
                        ));
                        continue;
                    }
                    if matches!(record_type, RecordType::Account | RecordType::Contact) {
                        if let Some(message) = self.duplicate_in_base(&mut base, &record)? {
                            plan.duplicates += 1;
                            row.errors.push((String::new(), message));
                            continue;
                        }
                        if let Some(other_row) = duplicate_in_file(&mut new_blocks, row.number, &record) {
                            plan.duplicates += 1;
                            row.errors.push((
                                String::new(),
                                Problem::new(Code::ImportSameRow).param("row", other_row).text(Lang::Fr),
                            ));
                            continue;
                        }
                    }
                    plan.creates.push(record);
                }
            }
        }
        progress(ImportProgress { phase: "check".into(), done: total, total });
        Ok(plan)
    }

    /// Why `record` looks like one already on the device, if it does: the same rules and
    /// blocks as the check on entry, with the device's keys held in memory.
    fn duplicate_in_base(&self, base: &mut BaseKeys, record: &Record) -> Result<Option<String>, ClientError> {
        let print = Fingerprint::of(record);
        let mut best: Option<(String, crm_core::duplicates::Match)> = None;
        let mut ids: Vec<&String> = crm_core::duplicates::blocking_keys(record)
            .iter()
            .filter_map(|k| base.keys.get(k))
            .filter(|block| block.len() <= crm_core::duplicates::MAX_BLOCK)
            .flatten()
            .collect();
        ids.sort();
        ids.dedup();
        for id in ids {
            if !base.prints.contains_key(id) {
                let stored = self.with_store(|s| Ok(s.get_record(id)?))?;
                base.prints.insert(id.clone(), stored.map(|s| (Fingerprint::of(&s.record), s.record.label())));
            }
            if let Some(Some((other, label))) = base.prints.get(id)
                && let Some(m) = crm_core::duplicates::compare_prints(&print, other)
                && best.as_ref().is_none_or(|(_, b)| m.score > b.score)
            {
                best = Some((label.clone(), m));
            }
        }
        Ok(best.map(|(label, m)| {
            let reasons: Vec<String> = m.reasons.iter().map(|r| reason_words(&json_word(r))).collect();
            Problem::new(Code::ImportDuplicate).param("value", label).param("detail", reasons.join(", ")).text(Lang::Fr)
        }))
    }
}

/// The device's duplicate keys of the imported type, and the records read for them.
struct BaseKeys {
    keys: HashMap<String, Vec<String>>,
    prints: HashMap<String, Option<(Fingerprint, String)>>,
}

#[derive(Default)]
pub(super) struct Plan {
    pub(super) creates: Vec<Record>,
    pub(super) edits: Vec<(RecordId, Edit)>,
    pub(super) unchanged: usize,
    pub(super) duplicates: usize,
}

pub(super) fn importable(record_type: RecordType) -> Result<(), ClientError> {
    if rules::IMPORTABLE.contains(&record_type) {
        return Ok(());
    }
    Err(ClientError::Invalid(Problem::new(Code::WrongType).param("id", record_type).param("type", "account")))
}

/// A serde enum's word (`external_id`, `siret`).
pub(super) fn json_word(value: &impl Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn reason_words(reason: &str) -> String {
    match reason {
        "siret" => "même SIRET",
        "email" => "même e-mail",
        "phone" => "même téléphone",
        "name" => "nom proche au même code postal",
        other => other,
    }
    .to_string()
}

/// The account a row names, by SIRET, then customer code, then name (and postal code).
fn find_account(accounts: &Index, v: &BTreeMap<String, String>) -> Result<String, (String, String)> {
    let attempts = [
        (rules::ACCOUNT_SIRET, v.get(rules::ACCOUNT_SIRET).map(|s| format!("siret:{s}"))),
        (rules::ACCOUNT_EXTERNAL_ID, v.get(rules::ACCOUNT_EXTERNAL_ID).map(|e| format!("ext:{}", compact(e)))),
        (
            rules::ACCOUNT_NAME,
            v.get(rules::ACCOUNT_NAME).map(|n| {
                let name = crm_core::duplicates::name_key(n);
                match v.get(rules::ACCOUNT_POSTAL_CODE) {
                    Some(p) => format!("name:{name}|{}", compact(p)),
                    None => format!("name:{name}"),
                }
            }),
        ),
    ];
    let mut tried: Option<(&str, String)> = None;
    for (target, key) in attempts {
        let Some(key) = key else { continue };
        let found = accounts.find(&key);
        let shown = v.get(target).cloned().unwrap_or_default();
        match found.len() {
            1 => return Ok(found[0].id.to_string()),
            0 => {
                tried.get_or_insert((target, shown));
            }
            _ => {
                return Err((
                    target.to_string(),
                    Problem::new(Code::ImportAccountAmbiguous).param("value", shown).text(Lang::Fr),
                ));
            }
        }
    }
    let (target, shown) = tried.unwrap_or((rules::ACCOUNT_NAME, String::new()));
    Err((target.to_string(), Problem::new(Code::ImportAccountUnknown).param("value", shown).text(Lang::Fr)))
}

/// A user named by e-mail, or by name as exports of this CRM write them.
fn find_person(people: &[crate::views::Person], value: &str) -> Option<String> {
    let key = rules::header_key(value);
    people
        .iter()
        .find(|p| p.email.eq_ignore_ascii_case(value.trim()) || rules::header_key(&p.name) == key)
        .map(|p| p.id.clone())
}

/// The row of the file `record` duplicates, among the new records seen so far (then
/// files it under its blocking keys).
fn duplicate_in_file(
    blocks: &mut HashMap<String, Vec<(usize, Fingerprint)>>,
    number: usize,
    record: &Record,
) -> Option<usize> {
    let keys = crm_core::duplicates::blocking_keys(record);
    let print = Fingerprint::of(record);
    for key in &keys {
        // A key shared by too many rows (a trade word in a city) tells nothing, as in the store.
        if let Some(list) = blocks.get(key).filter(|l| l.len() <= crm_core::duplicates::MAX_BLOCK)
            && let Some((row, _)) =
                list.iter().find(|(_, other)| crm_core::duplicates::compare_prints(&print, other).is_some())
        {
            return Some(*row);
        }
    }
    for key in keys {
        let list = blocks.entry(key).or_default();
        if list.len() <= crm_core::duplicates::MAX_BLOCK {
            list.push((number, print.clone()));
        }
    }
    None
}
