//! Imports of accounts, contacts, running contracts, products and past activities from
//! spreadsheets, offline. Each row is read (`crm_core::import`), tied to its account by
//! natural keys, matched with the records already here, checked for duplicates, then
//! every good row is written in one transaction filed as a batch that can be undone.
//! A refused row is reported (row, column, reason) and copied to an error file the user
//! can fix and import again; it never stops the good rows, and nothing is half-written.

mod plan;

use crate::import_file::{Table, read_table};
use crate::{Client, ClientError, now_ms};
use crm_core::import::{self as rules, MatchKey, Mode, Target};
use crm_core::permissions::{Action, Scope};
use crm_core::{Code, Lang, Problem, RecordType};
use crm_store::{ImportBatch, Removal};
use plan::{Row, importable, json_word};
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

    /// The field and user a new record of `record_type` is given when nobody is named
    /// (a rep's records are theirs; the office's accounts go where the territories say).
    pub(crate) fn default_owner(&self, record_type: RecordType) -> Result<Option<(&'static str, String)>, ClientError> {
        let role = self.role()?.unwrap_or(crm_core::Role::Rep);
        let field = crm_core::permissions::default_owner_field(record_type, role);
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
