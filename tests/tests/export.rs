//! Lists exported to `.xlsx` and `.csv`, read back as Excel would: French headers,
//! values as the app shows them, amounts as numbers.

use calamine::{Data, Reader, Xlsx, open_workbook};
use crm_client::Client;
use crm_core::RecordType;
use crm_tests::fields;

fn portfolio() -> (tempfile::TempDir, Client, Vec<crm_client::AnyRecord>) {
    let dir = tempfile::tempdir().unwrap();
    let c = Client::open(dir.path()).unwrap();
    let lyon = c
        .create(
            RecordType::Account,
            fields(&[("name", "Boulangerie Hélène"), ("kind", "customer"), ("city", "Lyon"), ("postal_code", "69003")]),
        )
        .unwrap();
    c.create(RecordType::Account, fields(&[("name", "Garage Martin"), ("kind", "prospect"), ("city", "Paris")]))
        .unwrap();
    c.create_deal(fields(&[("account", lyon.id()), ("title", "Maintenance 2027"), ("amount", "1 234,56")])).unwrap();
    let accounts = c.list(RecordType::Account).unwrap();
    (dir, c, accounts)
}

#[test]
fn a_list_goes_to_a_workbook_with_french_headers_words_and_numbers() {
    let (dir, c, accounts) = portfolio();
    let path = dir.path().join("comptes.xlsx");
    assert_eq!(c.export_records(RecordType::Account, &accounts, &path).unwrap(), 2);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], "Identifiant");
    assert!(rows[0].contains(&"Raison sociale".to_string()), "{:?}", rows[0]);
    let kind = rows[0].iter().position(|h| h == "Type de tiers").unwrap();
    let name = rows[0].iter().position(|h| h == "Raison sociale").unwrap();
    let helene = rows.iter().find(|r| r[name] == "Boulangerie Hélène").unwrap();
    assert_eq!(helene[kind], "Client", "a fixed list by its word, never its id");

    let deals = c.list(RecordType::Deal).unwrap();
    let path = dir.path().join("affaires.xlsx");
    c.export_records(RecordType::Deal, &deals, &path).unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let row: Vec<&Data> = sheet.rows().nth(1).unwrap().iter().collect();
    let at = |h: &str| header.iter().position(|x| x == h).unwrap_or_else(|| panic!("no column {h}: {header:?}"));
    assert_eq!(*row[at("Montant")], Data::Float(1234.56), "an amount is a number Excel sums");
    assert_eq!(row[at("Tiers")].to_string(), "Boulangerie Hélène", "the account by name");
}

#[test]
fn a_csv_opens_in_french_excel_and_an_unknown_format_is_refused() {
    let (dir, c, _) = portfolio();
    let deals = c.list(RecordType::Deal).unwrap();
    let path = dir.path().join("affaires.csv");
    c.export_records(RecordType::Deal, &deals, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a byte order mark, for Excel to read UTF-8");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    let record = reader.records().next().unwrap().unwrap();
    let at = |h: &str| header.iter().position(|x| x == h).unwrap();
    assert_eq!(&record[at("Montant")], "1234,56", "a decimal comma");
    assert_eq!(&record[at("Tiers")], "Boulangerie Hélène");

    let err = c.export_records(RecordType::Deal, &deals, &dir.path().join("affaires.pdf")).unwrap_err();
    assert_eq!(err.problem().code, crm_core::Code::ExportFormat);
    assert!(err.problem().text(crm_core::Lang::Fr).contains(".xlsx ou .csv"));
}
