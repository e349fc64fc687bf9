//! Lists exported to a spreadsheet: `.xlsx` (rust_xlsxwriter) or `.csv` as French Excel
//! opens it (UTF-8 with a byte order mark, `;` between columns, decimal commas). Columns
//! are the record type's fields under their French names; values as the app shows them:
//! fixed lists by their words, people and companies by name, amounts as numbers.

use crate::{AnyRecord, Client, ClientError};
use crm_core::{Code, FieldKind, Problem, RecordType};
use std::collections::HashMap;
use std::path::Path;

/// Fields kept out of a spreadsheet: internal structures, not columns a person reads.
const HIDDEN: &[&str] = &["lines", "stage_history", "price_list", "media", "contract"];
/// Fields holding an amount: numbers in a workbook, decimal commas in a CSV.
const AMOUNTS: &[&str] =
    &["amount", "price", "billing_amount", "budget", "discount_percent", "vat_percent", "probability"];
/// Fields naming a user.
const PEOPLE: &[&str] = &["owner", "assignee", "manager"];
/// Fields naming an account.
const ACCOUNTS: &[&str] = &["account", "parent", "distributor"];

/// One cell: text, or an amount (a number in a workbook).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Amount(String),
    /// A count, or a figure with decimals (a rate, days).
    Number(f64),
}

/// A list as a table: French headers, then one row per record.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Client {
    /// `records` (all of `record_type`) as a table of the app's words.
    pub fn export_table(&self, record_type: RecordType, records: &[AnyRecord]) -> Table {
        let fields: Vec<&crm_core::FieldSpec> =
            crm_core::schema(record_type).iter().filter(|f| !HIDDEN.contains(&f.name)).collect();
        let mut headers = vec!["Identifiant".to_string()];
        headers.extend(fields.iter().map(|f| capitalise(f.label)));
        let mut accounts: HashMap<String, Option<String>> = HashMap::new();
        let people: HashMap<String, String> = self.people().into_iter().map(|p| (p.id, p.name)).collect();
        let rows = records
            .iter()
            .map(|r| {
                let mut row = vec![Cell::Text(r.id().to_string())];
                for f in &fields {
                    let value = &r[f.name];
                    let text = match value {
                        serde_json::Value::Array(items) => {
                            items.iter().filter_map(|i| i.as_str()).collect::<Vec<_>>().join(", ")
                        }
                        serde_json::Value::String(s) => s.clone(),
                        _ => String::new(),
                    };
                    let cell = if text.is_empty() {
                        Cell::Text(text)
                    } else if AMOUNTS.contains(&f.name) {
                        Cell::Amount(text)
                    } else if PEOPLE.contains(&f.name) {
                        Cell::Text(people.get(&text).cloned().unwrap_or(text))
                    } else if ACCOUNTS.contains(&f.name) && f.kind == FieldKind::Short {
                        let name = accounts
                            .entry(text.clone())
                            .or_insert_with(|| self.get(&text).ok().and_then(|a| a.text("name").map(str::to_string)));
                        Cell::Text(name.clone().unwrap_or(text))
                    } else if let Some(list) = crm_core::vocabulary::choices(record_type, f.name) {
                        Cell::Text(crm_core::vocabulary::label(list, &text, crm_core::Lang::Fr))
                    } else if text == "yes" || text == "no" {
                        Cell::Text(if text == "yes" { "oui" } else { "non" }.into())
                    } else {
                        Cell::Text(text)
                    };
                    row.push(cell);
                }
                row
            })
            .collect();
        Table { headers, rows }
    }

    /// Writes `records` to `path`, `.xlsx` or `.csv` by its extension. Answers how many
    /// rows were written.
    pub fn export_records(
        &self,
        record_type: RecordType,
        records: &[AnyRecord],
        path: &Path,
    ) -> Result<usize, ClientError> {
        let table = self.export_table(record_type, records);
        let failed = |e: &dyn std::fmt::Display| {
            ClientError::Invalid(Problem::new(Code::ExportFailed).param("path", path.display()).param("detail", e))
        };
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("xlsx") => write_xlsx(&table, path).map_err(|e| failed(&e))?,
            Some("csv") => {
                let bytes = csv_bytes(&table).map_err(|e| failed(&e))?;
                std::fs::write(path, bytes).map_err(|e| ClientError::file(path, e))?;
            }
            _ => {
                return Err(ClientError::Invalid(
                    Problem::new(Code::ExportFormat).field("out").param("path", path.display()),
                ));
            }
        }
        Ok(table.rows.len())
    }
}

fn capitalise(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

fn write_xlsx(table: &Table, path: &Path) -> Result<(), rust_xlsxwriter::XlsxError> {
    write_workbook(&[(None, table)], path)
}

/// One sheet per table (named, or Excel's default name), headers in bold and frozen.
pub(crate) fn write_workbook(sheets: &[(Option<&str>, &Table)], path: &Path) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    for (name, table) in sheets {
        let sheet = workbook.add_worksheet();
        if let Some(name) = name {
            sheet.set_name(*name)?;
        }
        for (c, header) in table.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, header, &bold)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Amount(text) => match text.parse::<f64>() {
                        Ok(n) => sheet.write_number_with_format(r, c, n, &money)?,
                        Err(_) => sheet.write_string(r, c, text)?,
                    },
                    Cell::Number(n) => sheet.write_number(r, c, *n)?,
                    Cell::Text(text) if !text.is_empty() => sheet.write_string(r, c, text)?,
                    Cell::Text(_) => sheet,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
    }
    workbook.save(path)
}

fn csv_bytes(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::from(*b"\xEF\xBB\xBF"));
    writer.write_record(&table.headers)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Text(t) => t.clone(),
            Cell::Amount(a) => a.replace('.', ","),
            Cell::Number(n) => n.to_string().replace('.', ","),
        }))?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
