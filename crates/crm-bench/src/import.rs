//! `crm-bench import`: a go-live import (accounts, then their contacts) from `.xlsx`
//! workbooks with realistic French rows, next to the plain insert of the same records,
//! on a local store (no server). The import reads the file, maps the columns, ties each
//! contact to its account by SIRET, checks every new account and contact for duplicates
//! against the base and the file, and writes one batch.

use crm_client::import::{ImportOptions, ImportProgress};
use crm_core::{FieldValue, RecordType};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

const CITIES: &[(&str, &str)] = &[
    ("Lyon", "69003"),
    ("Villeurbanne", "69100"),
    ("Paris", "75011"),
    ("Marseille", "13001"),
    ("Bordeaux", "33000"),
    ("Nantes", "44000"),
    ("Lille", "59000"),
    ("Besançon", "25000"),
];
const TRADES: &[&str] =
    &["Boulangerie", "Garage", "Menuiserie", "Pharmacie", "Hôtel", "Cabinet", "Quincaillerie", "Librairie"];
const LEGAL: &[&str] = &["SARL", "SAS", "", "EURL", "SA"];
const FIRST: &[&str] = &["Hélène", "Paul", "Julie", "Marc", "Zoé", "Loïc", "Anaïs", "Jérôme", "Inès", "François"];
const LAST: &[&str] =
    &["Martin", "Dubois", "Lefèvre", "Müller", "Garçon", "Girard", "Bonnet", "Roux", "Faure", "André"];

/// A valid SIRET (Luhn) from a number.
fn siret(n: usize) -> String {
    let base = format!("{:013}", 100_000_000_000 + n as u64 * 7);
    for check in 0..10 {
        let s = format!("{base}{check}");
        let sum: u32 = s
            .chars()
            .rev()
            .enumerate()
            .map(|(i, c)| {
                let d = c.to_digit(10).unwrap_or(0);
                if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
            })
            .sum();
        if sum.is_multiple_of(10) {
            return s;
        }
    }
    unreachable!("one check digit always fits")
}

/// A family name of its own for each number (« Bavelot », « Dumirac »…): real bases
/// hold different names, not one name with a counter.
fn pseudo_name(n: usize) -> String {
    // Numbers spread over the syllables, so that neighbours do not share an ending.
    let mut n = {
        // splitmix64
        let mut z = (n as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    const SYLLABLES: &[&str] = &[
        "ba", "ve", "lo", "du", "mi", "rac", "ger", "son", "tin", "mar", "cha", "pel", "rou", "quet", "bel", "lan",
        "dre", "vil", "fo", "nel", "gau", "thi", "ber", "coz",
    ];
    let mut out = String::new();
    for _ in 0..4 {
        out.push_str(SYLLABLES[(n % 24) as usize]);
        n /= 24;
    }
    let mut chars = out.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

struct Rows {
    accounts: Vec<Vec<String>>,
    contacts: Vec<Vec<String>>,
}

fn rows(accounts: usize, contacts_per_account: usize) -> Rows {
    let mut a = Vec::with_capacity(accounts);
    let mut c = Vec::with_capacity(accounts * contacts_per_account);
    for i in 0..accounts {
        let (city, postal) = CITIES[i % CITIES.len()];
        let name = format!("{} {} {}", TRADES[i % TRADES.len()], pseudo_name(i), LEGAL[i % LEGAL.len()]);
        let s = siret(i);
        let spaced = format!("{} {} {} {}", &s[0..3], &s[3..6], &s[6..9], &s[9..]);
        a.push(vec![
            format!("C{i:06}"),
            name.trim().to_string(),
            spaced,
            format!("{} rue de la République", i % 200 + 1),
            postal.to_string(),
            city.to_string(),
            format!("04.{:02}.{:02}.{:02}.{:02}", i / 1_000_000 % 100, i / 10_000 % 100, i / 100 % 100, i % 100),
            "Client".to_string(),
        ]);
        for k in 0..contacts_per_account {
            let j = i * contacts_per_account + k;
            let (first, last) = (FIRST[j % FIRST.len()], LAST[(j / 7) % LAST.len()]);
            c.push(vec![
                last.to_string(),
                first.to_string(),
                ["Gérant", "Comptable", "Responsable achats"][k % 3].to_string(),
                s.clone(),
                format!("{}.{}.{j}@exemple.fr", first.to_lowercase(), last.to_lowercase()),
                format!("06 {:02} {:02} {:02} {:02}", j / 1_000_000 % 100, j / 10_000 % 100, j / 100 % 100, j % 100),
            ]);
        }
    }
    Rows { accounts: a, contacts: c }
}

fn workbook(path: &Path, header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, cell)?;
        }
    }
    book.save(path)?;
    Ok(())
}

const ACCOUNT_HEADER: &[&str] =
    &["Code client", "Raison sociale", "SIRET", "Adresse", "Code postal", "Ville", "Téléphone", "Type"];
const CONTACT_HEADER: &[&str] = &["Nom", "Prénom", "Fonction", "SIRET", "E-mail", "Portable"];

pub fn run(accounts: usize, contacts_per_account: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let data = rows(accounts, contacts_per_account);
    let (accounts_file, contacts_file) = (dir.path().join("clients.xlsx"), dir.path().join("contacts.xlsx"));
    workbook(&accounts_file, ACCOUNT_HEADER, &data.accounts)?;
    workbook(&contacts_file, CONTACT_HEADER, &data.contacts)?;
    println!(
        "crm-bench import: {} accounts and {} contacts, on {} core(s)",
        data.accounts.len(),
        data.contacts.len(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );

    // The plain insert of the same records (already mapped, no file, no checks).
    let plain = crm_client::Client::open(&dir.path().join("plain"))?;
    let t = Instant::now();
    let mut ids = Vec::with_capacity(data.accounts.len());
    for chunk in data.accounts.chunks(1000) {
        let batch: Vec<BTreeMap<String, FieldValue>> = chunk
            .iter()
            .map(|r| {
                [
                    ("external_id", &r[0]),
                    ("name", &r[1]),
                    ("siret", &r[2]),
                    ("address", &r[3]),
                    ("postal_code", &r[4]),
                    ("city", &r[5]),
                    ("phone", &r[6]),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), FieldValue::Text(v.clone())))
                .chain([("kind".to_string(), FieldValue::from("customer"))])
                .collect()
            })
            .collect();
        ids.extend(plain.create_many(RecordType::Account, batch)?.into_iter().map(|a| a.id().to_string()));
    }
    for (n, chunk) in data.contacts.chunks(1000).enumerate() {
        let batch: Vec<BTreeMap<String, FieldValue>> = chunk
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let account = &ids[(n * 1000 + k) / contacts_per_account.max(1)];
                [
                    ("account", account.clone()),
                    ("name", format!("{} {}", r[1], r[0])),
                    ("job_title", r[2].clone()),
                    ("email", r[4].clone()),
                    ("mobile", r[5].clone()),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), FieldValue::Text(v)))
                .collect()
            })
            .collect();
        plain.create_many(RecordType::Contact, batch)?;
    }
    let plain_s = t.elapsed().as_secs_f64();
    println!("plain insert (create_many, 1,000 per transaction): {plain_s:.1} s");

    // The import from the workbooks, duplicate check on.
    let client = crm_client::Client::open(&dir.path().join("import"))?;
    let options = ImportOptions { sheet: None, mapping: None, mode: None, match_key: None, dry_run: false };
    let quiet = |_: ImportProgress| {};
    // When each phase starts, to say where the time goes.
    let phases = std::sync::Mutex::new(Vec::<(String, Instant)>::new());
    let timed = |p: ImportProgress| {
        let mut list = phases.lock().expect("phases");
        if list.last().is_none_or(|(phase, _)| *phase != p.phase) {
            list.push((p.phase, Instant::now()));
        }
    };
    let split = |start: Instant| {
        let list = std::mem::take(&mut *phases.lock().expect("phases"));
        let mut at = start;
        let mut out = Vec::new();
        for (phase, t) in list.iter().skip(1).chain([&("end".to_string(), Instant::now())]) {
            let _ = phase;
            out.push(t.duration_since(at).as_secs_f64());
            at = *t;
        }
        let names: Vec<&str> = list.iter().map(|(p, _)| p.as_str()).collect();
        names.iter().zip(out).map(|(n, s)| format!("{n} {s:.1} s")).collect::<Vec<_>>().join(", ")
    };
    let t = Instant::now();
    let a = client.import_file(&accounts_file, RecordType::Account, &options, &timed)?;
    println!("  accounts: {}", split(t));
    let accounts_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let c = client.import_file(&contacts_file, RecordType::Contact, &options, &timed)?;
    let contacts_s = t.elapsed().as_secs_f64();
    println!("  contacts: {}", split(t));
    println!(
        "import from .xlsx: accounts {accounts_s:.1} s ({} created, {} refused), contacts {contacts_s:.1} s ({} created, {} refused); total {:.1} s ({:.0} rows/s)",
        a.created,
        a.errors.len(),
        c.created,
        c.errors.len(),
        accounts_s + contacts_s,
        (a.rows + c.rows) as f64 / (accounts_s + contacts_s)
    );
    for e in a.errors.iter().chain(&c.errors).take(3) {
        println!("  refused: row {} {}: {}", e.row, e.column, e.message);
    }
    let t = Instant::now();
    let again = client.import_file(&contacts_file, RecordType::Contact, &options, &quiet)?;
    println!(
        "the contacts file again: {:.1} s, {} unchanged, {} created",
        t.elapsed().as_secs_f64(),
        again.unchanged,
        again.created
    );
    let t = Instant::now();
    let undo = client.import_undo(c.batch.as_deref().unwrap_or_default(), &quiet)?;
    println!("undo of the contacts import: {:.1} s ({} removed)", t.elapsed().as_secs_f64(), undo.removed);
    Ok(())
}
