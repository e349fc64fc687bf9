//! Reading a spreadsheet or a CSV file into rows of text, the way the user sees it in
//! Excel: workbooks (.xlsx, .xls, .ods) with calamine; CSV files in UTF-8 (with or
//! without a byte order mark), UTF-16 (Excel's « texte Unicode ») or Windows-1252, with
//! `;`, `,` or tab between columns, whichever the file uses.

use crate::ClientError;
use calamine::{Data, Reader};
use crm_core::{Code, Problem};
use std::path::Path;

/// The most rows one import takes.
pub const MAX_ROWS: usize = 500_000;

/// A file as rows of text: the header line, then each row with its number in the file
/// (the number Excel shows; empty rows are skipped but keep the numbering).
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

fn unreadable(path: &Path, detail: impl std::fmt::Display) -> ClientError {
    ClientError::Invalid(Problem::new(Code::ImportUnreadable).param("path", path.display()).param("detail", detail))
}

/// Reads `path`; `sheet` picks a workbook's sheet (the first by default).
pub fn read_table(path: &Path, sheet: Option<&str>) -> Result<Table, ClientError> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if !matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods" | "csv" | "txt" | "tsv") {
        return Err(ClientError::Invalid(Problem::new(Code::ImportFormat).param("path", path.display())));
    }
    let bytes = std::fs::read(path).map_err(|e| ClientError::file(path, e))?;
    let (headers, rows, sheets, chosen) = match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => {
            // calamine can panic on a damaged workbook: that is an unreadable file too.
            let read = std::panic::catch_unwind(|| read_workbook(path, &bytes, sheet));
            let (sheets, chosen, rows) = read.map_err(|_| unreadable(path, "le classeur est endommagé"))??;
            let (headers, rows) = split_header(rows);
            (headers, rows, sheets, Some(chosen))
        }
        "csv" | "txt" | "tsv" => {
            let text = decode_text(&bytes).ok_or_else(|| unreadable(path, "ce n'est pas un fichier texte"))?;
            let (headers, rows) = split_header(read_csv(path, &text)?);
            (headers, rows, Vec::new(), None)
        }
        _ => return Err(ClientError::Invalid(Problem::new(Code::ImportFormat).param("path", path.display()))),
    };
    if rows.is_empty() {
        return Err(ClientError::Invalid(Problem::new(Code::ImportEmpty).param("path", path.display())));
    }
    if rows.len() > MAX_ROWS {
        return Err(ClientError::Invalid(Problem::new(Code::ImportTooManyRows).param("max", MAX_ROWS)));
    }
    Ok(Table { sheets, sheet: chosen, headers, rows })
}

/// The first non-empty row is the header line; the rows after it are numbered as in the file.
fn split_header(rows: Vec<Vec<String>>) -> (Vec<String>, Vec<(usize, Vec<String>)>) {
    let mut numbered =
        rows.into_iter().enumerate().map(|(i, r)| (i + 1, r)).filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    let Some((_, headers)) = numbered.next() else { return (Vec::new(), Vec::new()) };
    let headers: Vec<String> =
        headers.into_iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).collect();
    let width = headers.len();
    let rows = numbered
        .map(|(n, mut r)| {
            r.resize(width.max(r.len()), String::new());
            (n, r)
        })
        .collect();
    (headers, rows)
}

type Workbook = (Vec<String>, String, Vec<Vec<String>>);

fn read_workbook(path: &Path, bytes: &[u8], sheet: Option<&str>) -> Result<Workbook, ClientError> {
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| unreadable(path, e))?;
    let sheets = book.sheet_names();
    let chosen = match sheet {
        Some(name) => {
            sheets.iter().find(|s| s.as_str() == name || s.eq_ignore_ascii_case(name)).cloned().ok_or_else(|| {
                ClientError::Invalid(
                    Problem::new(Code::ImportSheet).param("value", name).param("allowed", sheets.join(", ")),
                )
            })?
        }
        None => sheets.first().cloned().ok_or_else(|| unreadable(path, "le classeur n'a aucune feuille"))?,
    };
    let range = book.worksheet_range(&chosen).map_err(|e| unreadable(path, e))?;
    if range.height() > MAX_ROWS + 1 {
        return Err(ClientError::Invalid(Problem::new(Code::ImportTooManyRows).param("max", MAX_ROWS)));
    }
    // Rows are numbered from the sheet's first row, even when the used range starts lower.
    let offset = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); offset];
    rows.extend(range.rows().map(|r| r.iter().map(cell_text).collect()));
    Ok((sheets, chosen, rows))
}

/// A cell as the text it shows: whole numbers without `.0`, dates as `YYYY-MM-DD`
/// (with the time when it has one).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => {
            // Binary floats (0.1 + 0.2): the shortest decimal that reads back the same.
            let text = format!("{f}");
            if text.len() > 12 {
                format!("{f:.6}").trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                text
            }
        }
        Data::Bool(b) => if *b { "oui" } else { "non" }.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => d.to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}

/// The text of a CSV file: UTF-8 (a byte order mark dropped), UTF-16 with its mark, or
/// Windows-1252 when the bytes are not UTF-8. `None` for a binary file.
pub fn decode_text(bytes: &[u8]) -> Option<String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (!had_errors).then(|| text.into_owned());
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    };
    // A text file has no NUL bytes and few control characters.
    let controls = text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')).count();
    (controls == 0 || controls * 100 < text.len().max(1)).then_some(text)
}

/// The separator the header line uses most, outside quotes: `;`, tab or `,`.
pub fn sniff_separator(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b';', 0usize), (b'\t', 0), (b',', 0)];
    let mut quoted = false;
    for c in first.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted {
            for (sep, n) in counts.iter_mut() {
                if c == *sep as char {
                    *n += 1;
                }
            }
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).filter(|(_, n)| *n > 0).map(|(s, _)| *s).unwrap_or(b';')
}

fn read_csv(path: &Path, text: &str) -> Result<Vec<Vec<String>>, ClientError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_separator(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        if i > MAX_ROWS + 1 {
            return Err(ClientError::Invalid(Problem::new(Code::ImportTooManyRows).param("max", MAX_ROWS)));
        }
        let record = record.map_err(|e| unreadable(path, format!("ligne {} : {e}", i + 1)))?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_and_separators_are_recognised() {
        let latin1 = encoding_rs::WINDOWS_1252.encode("Raison sociale;Ville\nÉts Müller;Besançon\n").0;
        let text = decode_text(&latin1).unwrap();
        assert!(text.contains("Éts Müller;Besançon"));
        assert_eq!(sniff_separator(&text), b';');
        let bom = [b"\xEF\xBB\xBF".as_slice(), "Nom,Ville\n\"Dupont, fils\",Lyon\n".as_bytes()].concat();
        let text = decode_text(&bom).unwrap();
        assert!(text.starts_with("Nom"));
        assert_eq!(sniff_separator(&text), b',');
        assert_eq!(sniff_separator("Nom\tVille\n"), b'\t');
        assert_eq!(decode_text(b"\x00\x01\x02\x03PK\x00\x00garbage\x00"), None);
    }
}
