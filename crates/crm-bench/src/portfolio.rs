//! A realistic generated portfolio: French company names, cities, SIRETs, contacts and
//! visit reports. Deterministic for a given size.

use crm_client::Client;
use crm_core::{FieldValue, RecordType};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;

const PREFIXES: &[&str] = &[
    "Boulangerie",
    "Garage",
    "Cabinet",
    "Transports",
    "Menuiserie",
    "Pharmacie",
    "Hôtel",
    "Clinique",
    "Imprimerie",
    "Laboratoire",
    "Société",
    "Atelier",
];
const NAMES: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
    "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
];
const CITIES: &[(&str, &str)] = &[
    ("Lyon", "69003"),
    ("Marseille", "13001"),
    ("Toulouse", "31000"),
    ("Nantes", "44000"),
    ("Bordeaux", "33000"),
    ("Lille", "59000"),
    ("Rennes", "35000"),
    ("Reims", "51100"),
    ("Saint-Étienne", "42000"),
    ("Grenoble", "38000"),
    ("Dijon", "21000"),
    ("Angers", "49000"),
];
const FIRST: &[&str] = &["Jeanne", "Pierre", "Camille", "Lucas", "Léa", "Hugo", "Chloé", "Louis", "Manon", "Jules"];
const WORDS: &[&str] = &[
    "devis",
    "renouvellement",
    "contrat",
    "maintenance",
    "garde",
    "comptabilité",
    "informatique",
    "relance",
    "rendez-vous",
    "démonstration",
    "tarif",
    "remise",
];

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

/// A SIRET that passes the product's own check (Luhn checksum).
fn siret(rng: &mut StdRng) -> String {
    let stem: String = (0..13)
        .map(|i| char::from_digit(if i == 0 { rng.gen_range(1..10) } else { rng.gen_range(0..10) }, 10).unwrap())
        .collect();
    (0..10)
        .map(|last| format!("{stem}{last}"))
        .find(|s| crm_core::validate_field(RecordType::Account, "siret", &FieldValue::Text(s.clone())).is_ok())
        .expect("one check digit always fits")
}

fn f(pairs: Vec<(&str, String)>) -> BTreeMap<String, FieldValue> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), FieldValue::Text(v))).collect()
}

/// Creates the portfolio on `client`; returns the account ids.
pub fn generate(client: &Client, accounts: usize, contacts: usize, activities: usize) -> anyhow::Result<Vec<String>> {
    let mut rng = StdRng::seed_from_u64(42);
    let mut ids = Vec::with_capacity(accounts);
    for i in 0..accounts {
        let (city, postal) = CITIES[rng.gen_range(0..CITIES.len())];
        let name = format!("{} {} {}", pick(&mut rng, PREFIXES), pick(&mut rng, NAMES), i);
        let a = client.create(
            RecordType::Account,
            f(vec![
                ("name", name),
                ("kind", ["prospect", "customer", "distributor", "partner"][i % 4].to_string()),
                ("siret", siret(&mut rng)),
                ("address", format!("{} rue {}", rng.gen_range(1..200), pick(&mut rng, NAMES))),
                ("postal_code", postal.to_string()),
                ("city", city.to_string()),
                ("country", "France".to_string()),
                (
                    "phone",
                    format!(
                        "0{} {:02} {:02} {:02} {:02}",
                        rng.gen_range(1..6),
                        rng.gen_range(0..100),
                        rng.gen_range(0..100),
                        rng.gen_range(0..100),
                        rng.gen_range(0..100)
                    ),
                ),
            ]),
        )?;
        ids.push(a["id"].as_str().unwrap().to_string());
    }
    for i in 0..contacts {
        let account = &ids[i % ids.len()];
        let (first, last) = (pick(&mut rng, FIRST), pick(&mut rng, NAMES));
        client.create(
            RecordType::Contact,
            f(vec![
                ("account", account.clone()),
                ("name", format!("{first} {last}")),
                ("job_title", ["Gérant", "DAF", "Directeur technique", "Acheteur"][i % 4].to_string()),
                ("email", format!("{}.{}{}@example.fr", first.to_lowercase(), last.to_lowercase(), i)),
            ]),
        )?;
    }
    for i in 0..activities {
        let account = &ids[i % ids.len()];
        let body = (0..30).map(|_| pick(&mut rng, WORDS)).collect::<Vec<_>>().join(" ");
        client.create(
            RecordType::Activity,
            f(vec![
                ("account", account.clone()),
                ("kind", ["visit", "note", "call", "email", "meeting"][i % 5].to_string()),
                ("at", format!("2026-{:02}-{:02}T{:02}:00:00Z", 1 + i % 12, 1 + i % 28, 8 + i % 10)),
                ("subject", format!("Suivi {}", pick(&mut rng, WORDS))),
                ("body", body),
            ]),
        )?;
    }
    Ok(ids)
}

pub fn search_word(i: usize) -> String {
    [NAMES[i % NAMES.len()], CITIES[i % CITIES.len()].0, WORDS[i % WORDS.len()]][i % 3].to_string()
}
