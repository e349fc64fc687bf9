//! Imports of accounts, contacts, running contracts, products and past activities from
//! spreadsheets, offline. Each row is read (`crm_core::import`), tied to its account by
//! natural keys, matched with the records already here, checked for duplicates, then
//! every good row is written in one transaction filed as a batch that can be undone.
//! A refused row is reported (row, column, reason) and copied to an error file the user
//! can fix and import again; it never stops the good rows, and nothing is half-written.

use crate::import_file::{Table, read_table};
use crate::{Client, ClientError, now_ms};
use crm_core::duplicates::Fingerprint;
use crm_core::import::{self as rules, MatchKey, Mode, Target};
use crm_core::permissions::{Action, Scope};
use crm_core::{Code, FieldValue, Lang, Problem, Record, RecordId, RecordType};
use crm_doc::Edit;
use crm_store::{ImportBatch, Removal};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// How to read and apply a file (the command line's and the wizard's choices).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ImportOptions {
    pub sheet: Option<String>,
    /// Header → field (`None`: not imported). Columns it does not name are guessed.
    pub mapping: Option<BTreeMap<String, Option<String>>>,
    pub mode: Option<Mode>,
    pub match_key: Option<MatchKey>,
    #[serde(default)]
    pub dry_run: bool,
}

/// What a file holds and how its columns would be read, before importing.
#[derive(Clone, Debug, Serialize, TS)]
pub struct ImportPreview {
    pub file: String,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    /// The field each column goes to (guessed, or as saved from the last import).
    pub mapping: Vec<Option<String>>,
    /// The first rows as read.
    pub rows: Vec<Vec<String>>,
    pub total_rows: usize,
    /// Every field a column can go to.
    pub targets: Vec<ImportTarget>,
    /// The match key used when none is chosen.
    pub default_match: Option<MatchKey>,
}

#[derive(Clone, Debug, Serialize, TS)]
pub struct ImportTarget {
    pub id: String,
    pub label: String,
}

/// One refused row (or cell).
#[derive(Clone, Debug, Serialize, TS)]
pub struct ImportError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// What an import did (or would do, on a dry run).
#[derive(Clone, Debug, Serialize, TS)]
pub struct ImportReport {
    /// The batch to undo; `None` on a dry run or when nothing was written.
    pub batch: Option<String>,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows left out as likely duplicates of a record already here or of another row.
    pub duplicates: usize,
    pub errors: Vec<ImportError>,
    /// The refused rows, ready to be fixed and imported again.
    pub error_file: Option<String>,
    pub dry_run: bool,
}

/// How far an import is, for a progress bar.
#[derive(Clone, Debug, Serialize, TS)]
pub struct ImportProgress {
    /// "read", "check" or "write".
    pub phase: String,
    pub done: usize,
    pub total: usize,
}

/// An import as listed (`crm import list`).
#[derive(Clone, Debug, Serialize, TS)]
pub struct ImportSummary {
    pub batch: String,
    #[serde(rename = "type")]
    pub record_type: RecordType,
    pub file: String,
    /// Milliseconds since 1970.
    #[ts(type = "number")]
    pub at_ms: i64,
    pub created: usize,
    pub updated: usize,
    #[ts(type = "number | null")]
    pub undone_at_ms: Option<i64>,
}

/// What an undo did.
#[derive(Clone, Debug, Serialize, TS)]
pub struct UndoReport {
    pub batch: String,
    pub removed: usize,
    pub restored: usize,
    /// Fields changed by someone after the import, left as they are.
    pub kept: usize,
}

const PREVIEW_ROWS: usize = 10;

/// One row on its way in.
struct Row {
    number: usize,
    raw: Vec<String>,
    /// Target → value as the record keeps it.
    values: BTreeMap<String, String>,
    errors: Vec<(String, String)>,
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
    /// Reads the first rows of `path` and how its columns would be mapped.
    pub fn import_preview(
        &self,
        path: &Path,
        record_type: RecordType,
        sheet: Option<&str>,
    ) -> Result<ImportPreview, ClientError> {
        importable(record_type)?;
        let table = read_table(path, sheet)?;
        let mapping = self.mapping_for(record_type, &table.headers, None)?;
        Ok(ImportPreview {
            file: path.display().to_string(),
            sheets: table.sheets.clone(),
            sheet: table.sheet.clone(),
            default_match: MatchKey::default_for(record_type, &mapping),
            mapping,
            rows: table.rows.iter().take(PREVIEW_ROWS).map(|(_, r)| r.clone()).collect(),
            total_rows: table.rows.len(),
            targets: rules::targets(record_type)
                .into_iter()
                .map(|Target { id, label }| ImportTarget { id: id.into(), label: label.into() })
                .collect(),
            headers: table.headers,
        })
    }

    /// The field of each column: the explicit `mapping`, else the one saved from the
    /// last import of this type, else a guess from the header.
    fn mapping_for(
        &self,
        record_type: RecordType,
        headers: &[String],
        explicit: Option<&BTreeMap<String, Option<String>>>,
    ) -> Result<Vec<Option<String>>, ClientError> {
        let saved: BTreeMap<String, Option<String>> = self
            .with_store(|s| Ok(s.meta(&format!("import_mapping:{record_type}"))?))?
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let guessed = rules::guess_mapping(record_type, headers);
        let mut mapping: Vec<Option<String>> = headers
            .iter()
            .zip(guessed)
            .map(|(h, g)| match (explicit.and_then(|m| m.get(h)), saved.get(h)) {
                (Some(chosen), _) | (None, Some(chosen)) => chosen.clone(),
                (None, None) => g,
            })
            .collect();
        // A guess never takes a field another column was explicitly given.
        for i in 0..mapping.len() {
            if let Some(target) = mapping[i].clone()
                && explicit.is_some_and(|m| !m.contains_key(&headers[i]))
                && headers.iter().zip(&mapping).enumerate().any(|(j, (h, t))| {
                    j != i && t.as_deref() == Some(&target) && explicit.is_some_and(|m| m.contains_key(h))
                })
            {
                mapping[i] = None;
            }
        }
        Ok(mapping)
    }

    /// Imports `path` as records of `record_type`. `progress` is told how far it is.
    pub fn import_file(
        &self,
        path: &Path,
        record_type: RecordType,
        options: &ImportOptions,
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> Result<ImportReport, ClientError> {
        importable(record_type)?;
        let mode = options.mode.unwrap_or(Mode::Upsert);
        let role = self.role()?;
        if let Some(role) = role {
            let needs = match mode {
                Mode::Create => vec![Action::Create],
                Mode::Update => vec![Action::Edit],
                Mode::Upsert => vec![Action::Create, Action::Edit],
            };
            if needs.iter().any(|&a| crm_core::permissions::scope(role, record_type, a) == Scope::None) {
                return Err(ClientError::Forbidden(
                    Problem::new(Code::ImportMayNot).param("role", role).param("type", record_type),
                ));
            }
        }
        progress(ImportProgress { phase: "read".into(), done: 0, total: 0 });
        let table = read_table(path, options.sheet.as_deref())?;
        let mapping = self.mapping_for(record_type, &table.headers, options.mapping.as_ref())?;
        rules::check_mapping(record_type, &mapping).map_err(ClientError::Invalid)?;
        let key = match options.match_key {
            Some(k) if !k.fits(record_type) => {
                return Err(ClientError::Invalid(
                    Problem::new(Code::ImportMatchKeyType).param("value", json_word(&k)).param("type", record_type),
                ));
            }
            Some(k) => {
                let field = match k {
                    MatchKey::ExternalId => "external_id",
                    MatchKey::Siret => "siret",
                    MatchKey::Email => "email",
                    MatchKey::NamePostal => "name",
                };
                let has = mapping.iter().flatten().any(|m| m == field || (field == "name" && m == rules::LAST_NAME));
                if !has {
                    return Err(ClientError::Invalid(
                        Problem::new(Code::ImportMatchColumn).field(field).param("value", json_word(&k)),
                    ));
                }
                Some(k)
            }
            None => MatchKey::default_for(record_type, &mapping),
        };
        let total = table.rows.len();
        let mut rows = self.read_rows(record_type, &table, &mapping);
        progress(ImportProgress { phase: "check".into(), done: 0, total });
        let plan = self.plan(record_type, &mut rows, key, mode, progress)?;
        let mut report = ImportReport {
            batch: None,
            rows: total,
            created: plan.creates.len(),
            updated: plan.edits.len(),
            unchanged: plan.unchanged,
            duplicates: plan.duplicates,
            errors: Vec::new(),
            error_file: None,
            dry_run: options.dry_run,
        };
        let header_of = |target: &str| -> String {
            mapping
                .iter()
                .position(|m| m.as_deref() == Some(target))
                .map(|i| table.headers[i].clone())
                .unwrap_or_else(|| target.to_string())
        };
        for row in &rows {
            for (target, message) in &row.errors {
                report.errors.push(ImportError {
                    row: row.number,
                    column: header_of(target),
                    message: message.clone(),
                });
            }
        }
        if !report.errors.is_empty() {
            report.error_file = Some(write_error_file(path, &table, &rows)?.display().to_string());
        }
        if options.dry_run || (plan.creates.is_empty() && plan.edits.is_empty()) {
            return Ok(report);
        }
        let batch = ImportBatch {
            id: uuid::Uuid::now_v7().to_string(),
            record_type,
            file: path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
            at_ms: now_ms(),
            created: plan.creates.len(),
            updated: plan.edits.len(),
            undone_at_ms: None,
        };
        let write_progress =
            |done: usize, all: usize| progress(ImportProgress { phase: "write".into(), done, total: all });
        self.with_store(|s| Ok(s.import(&batch, &plan.creates, &plan.edits, now_ms(), &write_progress)?))?;
        // The mapping is remembered for the next file of this type.
        let saved: BTreeMap<&String, &Option<String>> = table.headers.iter().zip(&mapping).collect();
        if let Ok(text) = serde_json::to_string(&saved) {
            self.with_store(|s| Ok(s.set_meta(&format!("import_mapping:{record_type}"), &text)?))?;
        }
        report.batch = Some(batch.id);
        Ok(report)
    }

    /// Each row's cells read into field values; unreadable cells are the row's errors.
    fn read_rows(&self, record_type: RecordType, table: &Table, mapping: &[Option<String>]) -> Vec<Row> {
        table
            .rows
            .iter()
            .map(|(number, raw)| {
                let mut row = Row { number: *number, raw: raw.clone(), values: BTreeMap::new(), errors: Vec::new() };
                for (cell, target) in raw.iter().zip(mapping) {
                    let Some(target) = target else { continue };
                    match rules::convert(record_type, target, cell) {
                        Ok(Some(value)) => {
                            row.values.insert(target.clone(), value);
                        }
                        Ok(None) => {}
                        Err(problem) => row.errors.push((target.clone(), problem.text(Lang::Fr))),
                    }
                }
                row
            })
            .collect()
    }

    /// Decides for every row: create, update, unchanged or refused (with its reason).
    fn plan(
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

    /// The field and user a new record of `record_type` is given when nobody is named
    /// (a rep's records are theirs; the office's accounts go where the territories say).
    pub(crate) fn default_owner(&self, record_type: RecordType) -> Result<Option<(&'static str, String)>, ClientError> {
        let field = match record_type {
            RecordType::Activity => Some("owner"),
            RecordType::Campaign => None,
            RecordType::Account | RecordType::Lead if self.role()?.is_some_and(|r| r != crm_core::Role::Rep) => None,
            _ => crm_core::permissions::owner_field(record_type),
        };
        let Some(field) = field else { return Ok(None) };
        Ok(self.with_store(|s| Ok(s.meta("user_id")?))?.map(|user| (field, user)))
    }

    /// The imports made on this device, newest first.
    pub fn import_list(&self) -> Result<Vec<ImportSummary>, ClientError> {
        Ok(self
            .with_store(|s| Ok(s.import_batches()?))?
            .into_iter()
            .map(|b| ImportSummary {
                batch: b.id,
                record_type: b.record_type,
                file: b.file,
                at_ms: b.at_ms,
                created: b.created,
                updated: b.updated,
                undone_at_ms: b.undone_at_ms,
            })
            .collect())
    }

    /// Undoes import `batch`: the records it created go (forgotten when they never left
    /// this device, deleted everywhere otherwise, which needs the right to delete), and
    /// the fields it updated return to their earlier values, unless changed since.
    pub fn import_undo(
        &self,
        batch: &str,
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> Result<UndoReport, ClientError> {
        let found = self.with_store(|s| Ok(s.import_batch(batch)?))?;
        let found =
            found.ok_or_else(|| ClientError::Invalid(Problem::new(Code::ImportBatchUnknown).param("id", batch)))?;
        if found.undone_at_ms.is_some() {
            return Err(ClientError::Invalid(Problem::new(Code::ImportUndone).param("id", batch)));
        }
        let items = self.with_store(|s| Ok(s.import_items(batch)?))?;
        let mut removal: HashMap<String, Removal> = HashMap::new();
        for item in items.iter().filter(|i| i.created) {
            let never_sent = self.with_store(|s| Ok(s.never_sent(&item.id)?))?;
            removal.insert(item.id.clone(), if never_sent { Removal::Forget } else { Removal::Delete });
        }
        if removal.values().any(|r| *r == Removal::Delete)
            && let Some(role) = self.role()?
            && crm_core::permissions::scope(role, found.record_type, Action::Delete) == Scope::None
        {
            return Err(ClientError::Forbidden(
                Problem::new(Code::MayNotDeleteType).param("role", role).param("type", found.record_type),
            ));
        }
        let report = |done: usize, total: usize| progress(ImportProgress { phase: "write".into(), done, total });
        let counts = self.with_store(|s| {
            Ok(s.undo_import(batch, &|id| removal.get(id).copied().unwrap_or(Removal::Delete), now_ms(), &report)?)
        })?;
        Ok(UndoReport {
            batch: batch.to_string(),
            removed: counts.removed,
            restored: counts.restored,
            kept: counts.kept,
        })
    }
}

/// The device's duplicate keys of the imported type, and the records read for them.
struct BaseKeys {
    keys: HashMap<String, Vec<String>>,
    prints: HashMap<String, Option<(Fingerprint, String)>>,
}

#[derive(Default)]
struct Plan {
    creates: Vec<Record>,
    edits: Vec<(RecordId, Edit)>,
    unchanged: usize,
    duplicates: usize,
}

fn importable(record_type: RecordType) -> Result<(), ClientError> {
    if rules::IMPORTABLE.contains(&record_type) {
        return Ok(());
    }
    Err(ClientError::Invalid(Problem::new(Code::WrongType).param("id", record_type).param("type", "account")))
}

/// A serde enum's word (`external_id`, `siret`).
fn json_word(value: &impl Serialize) -> String {
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

/// The refused rows as they were in the file, with a last column saying why, next to
/// the file (`clients-erreurs.csv`; in the temporary folder when that one is read-only).
fn write_error_file(source: &Path, table: &Table, rows: &[Row]) -> Result<PathBuf, ClientError> {
    let stem = source.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "import".into());
    let name = format!("{stem}-erreurs.csv");
    let mut out = Vec::from(b"\xEF\xBB\xBF".as_slice());
    {
        let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut out);
        let mut header = table.headers.clone();
        header.push("Erreur".into());
        writer.write_record(&header).map_err(ClientError::internal)?;
        for row in rows.iter().filter(|r| !r.errors.is_empty()) {
            let mut line = row.raw.clone();
            line.resize(table.headers.len(), String::new());
            let reasons: Vec<String> = row.errors.iter().map(|(_, m)| m.clone()).collect();
            line.push(format!("Ligne {} : {}", row.number, reasons.join(" ; ")));
            writer.write_record(&line).map_err(ClientError::internal)?;
        }
        writer.flush().map_err(|e| ClientError::file(source, e))?;
    }
    let beside = source.with_file_name(&name);
    match std::fs::write(&beside, &out) {
        Ok(()) => Ok(beside),
        Err(_) => {
            let elsewhere = std::env::temp_dir().join(&name);
            std::fs::write(&elsewhere, &out).map_err(|e| ClientError::file(&elsewhere, e))?;
            Ok(elsewhere)
        }
    }
}
