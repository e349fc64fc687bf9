//! Imports from the files an office really has: a Windows-1252 CSV with `;` from an old
//! CRM, workbooks with Nom/Prénom columns, French dates and amounts; refused rows
//! reported and written to a file to fix; re-import changing nothing; undo; garbage.

use crm_client::Client;
use crm_client::import::{ImportOptions, ImportProgress, ImportReport};
use crm_core::import::Mode;
use crm_core::{Code, RecordType};
use crm_tests::fields;
use std::path::{Path, PathBuf};

fn quiet(_: ImportProgress) {}

fn import(c: &Client, path: &Path, record_type: RecordType, mode: Option<Mode>) -> ImportReport {
    let options = ImportOptions { sheet: None, mapping: None, mode, match_key: None, dry_run: false };
    c.import_file(path, record_type, &options, &quiet).unwrap()
}

fn windows_1252(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn workbook(dir: &Path, name: &str, rows: &[&[&str]]) -> PathBuf {
    let path = dir.join(name);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Contacts").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save(&path).unwrap();
    path
}

fn by_name(c: &Client, record_type: RecordType, name: &str) -> crm_client::AnyRecord {
    c.list(record_type)
        .unwrap()
        .into_iter()
        .find(|r| r.text("name") == Some(name))
        .unwrap_or_else(|| panic!("no {name}"))
}

const OLD_CRM: &str = "Code client;Raison sociale;SIRET;Adresse;Code postal;Ville;Téléphone;Type\r\n\
C001;Boulangerie Hélène SARL;732 829 320 00074;12, rue de la Fontaine;69003;Lyon;04.78.00.00.00;Client\r\n\
C002;Garage Müller & Fils;;3 av. Foch;1000;Bourg-en-Bresse;+33 (0)4 74 11 22 33;Prospect\r\n\
C003;Établissements Çà et Là;552 100 554 00005;;75011;Paris;01 43 00 00 00;client\r\n\
C004;Menuiserie Dubois;732 829 320 00075;;33000;Bordeaux;05 56 00 00 00;Client\r\n\
C005;Quincaillerie Bernard;;;13001;Marseille;pas de numéro;Fournisseur\r\n";

#[test]
fn a_windows_1252_csv_from_an_old_crm_comes_in_once_with_its_bad_rows_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let c = Client::open(&dir.path().join("device")).unwrap();
    let file = windows_1252(dir.path(), "clients.csv", OLD_CRM);

    let preview = c.import_preview(&file, RecordType::Account, None).unwrap();
    assert_eq!(preview.total_rows, 5);
    let mapped: Vec<Option<&str>> = preview.mapping.iter().map(|m| m.as_deref()).collect();
    assert_eq!(
        mapped,
        [
            Some("external_id"),
            Some("name"),
            Some("siret"),
            Some("address"),
            Some("postal_code"),
            Some("city"),
            Some("phone"),
            Some("kind")
        ]
    );

    let report = import(&c, &file, RecordType::Account, None);
    assert_eq!((report.rows, report.created, report.updated, report.unchanged), (5, 3, 0, 0), "{report:?}");
    let mut refused: Vec<(usize, &str)> = report.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    refused.sort();
    assert_eq!(refused, [(5, "SIRET"), (6, "Téléphone")], "row numbers as Excel shows them: {:?}", report.errors);
    assert!(
        report.errors[0].message.contains("clé de contrôle") || report.errors[1].message.contains("clé de contrôle")
    );

    let helene = by_name(&c, RecordType::Account, "Boulangerie Hélène SARL");
    assert_eq!(helene.text("siret"), Some("73282932000074"));
    assert_eq!(helene.text("phone"), Some("+33478000000"), "phones stored in E.164");
    assert_eq!(helene.text("kind"), Some("customer"));
    assert_eq!(helene.text("external_id"), Some("C001"));
    let muller = by_name(&c, RecordType::Account, "Garage Müller & Fils");
    assert_eq!(muller.text("postal_code"), Some("01000"), "a postal code that lost its zero in Excel");
    assert_eq!(muller.text("phone"), Some("+33474112233"));
    assert_eq!(by_name(&c, RecordType::Account, "Établissements Çà et Là").text("kind"), Some("customer"));

    // The refused rows, in a file the user fixes and imports again.
    let error_file = PathBuf::from(report.error_file.clone().expect("an error file"));
    let text = crm_client_text(&error_file);
    assert!(text.starts_with("Code client;Raison sociale;"), "{text}");
    assert!(text.contains("Menuiserie Dubois") && text.contains("Quincaillerie Bernard"));
    assert!(!text.contains("Boulangerie Hélène"));
    assert!(text.contains("Ligne 5 : SIRET"), "{text}");

    // The same file again changes nothing.
    let again = import(&c, &file, RecordType::Account, None);
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3), "{again:?}");
    assert!(again.batch.is_none(), "nothing written, no batch to undo");
    assert_eq!(c.list(RecordType::Account).unwrap().len(), 3);

    // The fixed error file goes in.
    let fixed = text.replace("732 829 320 00075", "732 829 320 00082").replace("pas de numéro", "04 91 00 00 00");
    std::fs::write(&error_file, fixed).unwrap();
    let rest = import(&c, &error_file, RecordType::Account, None);
    assert_eq!((rest.created, rest.errors.len()), (2, 0), "{rest:?}");
    assert_eq!(c.list(RecordType::Account).unwrap().len(), 5);
}

fn crm_client_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    String::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes).to_vec()).unwrap()
}

#[test]
fn contacts_find_their_company_by_natural_keys_and_duplicates_stay_out() {
    let dir = tempfile::tempdir().unwrap();
    let c = Client::open(&dir.path().join("device")).unwrap();
    let helene = c
        .create(
            RecordType::Account,
            fields(&[
                ("name", "Boulangerie Hélène"),
                ("kind", "customer"),
                ("postal_code", "69003"),
                ("siret", "73282932000074"),
            ]),
        )
        .unwrap();
    let garage = c
        .create(
            RecordType::Account,
            fields(&[("name", "Garage Martin SAS"), ("kind", "customer"), ("postal_code", "75011")]),
        )
        .unwrap();
    c.create(
        RecordType::Contact,
        fields(&[("account", garage.id()), ("name", "Paul Martin"), ("email", "paul@garage.fr")]),
    )
    .unwrap();
    let file = workbook(
        dir.path(),
        "contacts.xlsx",
        &[
            &["Nom", "Prénom", "Fonction", "Société", "Code postal", "SIRET", "E-mail", "Portable"],
            &["Durand", "Hélène", "Gérante", "", "", "732 829 320 00074", "helene@boulangerie.fr", "06 12 34 56 78"],
            &["Martin", "Julie", "Comptable", "Garage Martin", "75011", "", "julie@garage.fr", ""],
            &["Martin", "Paul", "Gérant", "garage martin", "75011", "", "PAUL@garage.fr", ""],
            &["Petit", "Luc", "", "Société Inconnue", "", "", "luc@inconnue.fr", ""],
            &["Durand", "Hélène", "Gérante", "Boulangerie Hélène", "69003", "", "helene@boulangerie.fr", ""],
        ],
    );
    let report = import(&c, &file, RecordType::Contact, Some(Mode::Create));
    assert_eq!(report.created, 2, "{report:?}");
    let messages: Vec<(usize, String)> = report.errors.iter().map(|e| (e.row, e.message.clone())).collect();
    assert_eq!(report.duplicates, 2, "{messages:?}");
    assert!(messages.iter().any(|(row, m)| *row == 4 && m.contains("existe déjà")), "{messages:?}");
    assert!(messages.iter().any(|(row, m)| *row == 5 && m.contains("Aucun tiers")), "{messages:?}");
    assert!(messages.iter().any(|(row, m)| *row == 6 && m.contains("ligne 2")), "{messages:?}");
    let contact = by_name(&c, RecordType::Contact, "Hélène Durand");
    assert_eq!(contact.text("account"), Some(helene.id()), "tied by SIRET");
    assert_eq!(contact.text("mobile"), Some("+33612345678"));
    assert_eq!(
        by_name(&c, RecordType::Contact, "Julie Martin").text("account"),
        Some(garage.id()),
        "by name and postal code"
    );
}

#[test]
fn an_import_is_undone_new_records_go_and_updated_fields_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let c = Client::open(&dir.path().join("device")).unwrap();
    let first = windows_1252(dir.path(), "v1.csv", "Code client;Raison sociale;Ville\nC1;Alpha;Lyon\nC2;Beta;Nantes\n");
    let one = import(&c, &first, RecordType::Account, None);
    assert_eq!(one.created, 2);
    let second = windows_1252(
        dir.path(),
        "v2.csv",
        "Code client;Raison sociale;Ville\nC1;Alpha;Villeurbanne\nC2;Beta;Rennes\nC3;Gamma;Brest\n",
    );
    let two = import(&c, &second, RecordType::Account, Some(Mode::Upsert));
    assert_eq!((two.created, two.updated), (1, 2), "{two:?}");
    // Someone changes Beta's city after the import: undo keeps their change.
    let beta = by_name(&c, RecordType::Account, "Beta");
    c.edit(beta.id(), crm_tests::edit(&[("city", "Saint-Malo")])).unwrap();

    let undo = c.import_undo(two.batch.as_deref().unwrap(), &quiet).unwrap();
    assert_eq!((undo.removed, undo.restored, undo.kept), (1, 1, 1), "{undo:?}");
    assert_eq!(by_name(&c, RecordType::Account, "Alpha").text("city"), Some("Lyon"));
    assert_eq!(by_name(&c, RecordType::Account, "Beta").text("city"), Some("Saint-Malo"));
    assert!(c.list(RecordType::Account).unwrap().iter().all(|a| a.text("name") != Some("Gamma")));
    let err = c.import_undo(two.batch.as_deref().unwrap(), &quiet).unwrap_err();
    assert_eq!(err.problem().code, Code::ImportUndone);
    let list = c.import_list().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0].undone_at_ms.is_some() && list[1].undone_at_ms.is_none());
    assert_eq!(c.import_undo("nope", &quiet).unwrap_err().problem().code, Code::ImportBatchUnknown);
}

#[test]
fn running_contracts_products_and_past_activities_come_from_french_cells() {
    let dir = tempfile::tempdir().unwrap();
    let c = Client::open(&dir.path().join("device")).unwrap();
    c.create(RecordType::Account, fields(&[("name", "Alpha"), ("kind", "customer"), ("external_id", "C1")])).unwrap();
    c.create(
        RecordType::Contact,
        fields(&[
            ("account", by_name(&c, RecordType::Account, "Alpha").id()),
            ("name", "Ana"),
            ("email", "ana@alpha.fr"),
        ]),
    )
    .unwrap();
    let contracts = windows_1252(
        dir.path(),
        "contrats.csv",
        "N° contrat;Code client;Type de contrat;Début;Fin;Tacite reconduction;Montant facturé;Périodicité\n\
         K1;C1;Service de garde;14/03/2026;13/03/2027;Oui;1 234,56;Trimestriel\n\
         K2;C9;on_call;01/01/2026;31/12/2026;Non;100;Mensuel\n\
         K3;C1;on_call;31/02/2026;;Non;100;Mensuel\n",
    );
    let report = import(&c, &contracts, RecordType::Contract, None);
    assert_eq!(report.created, 1, "{report:?}");
    let columns: Vec<&str> = report.errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(columns, ["Code client", "Début"]);
    let contract = &c.list(RecordType::Contract).unwrap()[0];
    assert_eq!(contract.text("start"), Some("2026-03-14"));
    assert_eq!(contract.text("billing_amount"), Some("1234.56"));
    assert_eq!(contract.text("billing_period"), Some("quarterly"));
    assert_eq!(contract.text("tacit_renewal"), Some("yes"));
    assert_eq!(contract.text("status"), Some("active"), "a running contract");

    let products = windows_1252(
        dir.path(),
        "catalogue.csv",
        "Référence;Désignation;Prix HT;TVA\nGARDE-01;Gardiennage;1 100,00;20\n",
    );
    assert_eq!(import(&c, &products, RecordType::Product, None).created, 1);
    assert_eq!(import(&c, &products, RecordType::Product, None).unchanged, 1, "matched by reference");

    let activities = windows_1252(
        dir.path(),
        "historique.csv",
        "Code client;Type;Date;Objet;Compte rendu;E-mail du contact\nC1;Visite;14/03/2026 10:30;Présentation;Très intéressés;ana@alpha.fr\nC1;Appel;15/03/2026;Relance;;\n",
    );
    let done = import(&c, &activities, RecordType::Activity, None);
    assert_eq!(done.created, 2, "{done:?}");
    let visit = c.list(RecordType::Activity).unwrap().into_iter().find(|a| a.text("kind") == Some("visit")).unwrap();
    assert_eq!(visit.text("at"), Some("2026-03-14T10:30:00+01:00"), "Paris time");
    assert_eq!(visit["contacts"].as_array().map(|a| a.len()), Some(1));
    assert_eq!(import(&c, &activities, RecordType::Activity, None).unchanged, 2, "the history is not doubled");
}

#[test]
fn garbage_files_are_refused_with_a_clear_message_never_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let c = Client::open(&dir.path().join("device")).unwrap();
    let good = workbook(dir.path(), "good.xlsx", &[&["Raison sociale", "Ville"], &["Alpha", "Lyon"]]);
    let bytes = std::fs::read(&good).unwrap();
    let options = ImportOptions { sheet: None, mapping: None, mode: None, match_key: None, dry_run: true };
    let check = |name: &str, content: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        match c.import_file(&path, RecordType::Account, &options, &quiet) {
            Ok(_) => {}
            Err(e) => {
                let text = e.problem().text(crm_core::Lang::Fr);
                assert!(!text.is_empty() && !text.contains("internal"), "{name}: {text}");
            }
        }
    };
    check("vide.csv", b"");
    check("entete.csv", b"Raison sociale;Ville\n");
    check("binaire.csv", &[0u8, 1, 2, 3, 255, 254, 0, 0, 7]);
    check("faux.xlsx", b"ceci n'est pas un classeur");
    check("tronque.xlsx", &bytes[..bytes.len() / 2]);
    check("faux.ods", &bytes);
    check("faux.xls", b"\xD0\xCF\x11\xE0garbage");
    // Seeded mutations of a good workbook and a good CSV.
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(13);
    let csv = OLD_CRM.as_bytes();
    for i in 0..60 {
        let (base, name): (&[u8], String) =
            if i % 2 == 0 { (&bytes, format!("m{i}.xlsx")) } else { (csv, format!("m{i}.csv")) };
        let mut mutated = base.to_vec();
        for _ in 0..rng.gen_range(1..20) {
            let at = rng.gen_range(0..mutated.len());
            mutated[at] = rng.r#gen();
        }
        check(&name, &mutated);
    }
    let err = c.import_file(&dir.path().join("absent.csv"), RecordType::Account, &options, &quiet).unwrap_err();
    assert_eq!(err.problem().code, Code::FileNotFound);
    let err = c.import_file(&dir.path().join("photo.png"), RecordType::Account, &options, &quiet).unwrap_err();
    assert_eq!(err.problem().code, Code::ImportFormat);
    let err = c.import_preview(&good, RecordType::Account, Some("Feuil9")).unwrap_err();
    assert_eq!(err.problem().code, Code::ImportSheet);
    assert!(c.list(RecordType::Account).unwrap().is_empty(), "dry runs write nothing");
}
