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

/// The size of a generated portfolio.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub accounts: usize,
    pub contacts: usize,
    pub activities: usize,
    pub deals: usize,
}

impl Size {
    pub fn records(&self) -> usize {
        self.accounts + self.contacts + self.activities + self.deals
    }
}

/// Records are created this many per transaction (as an import would).
const BATCH: usize = 1_000;

/// Creates the portfolio on `client`; returns the account ids. Deterministic for a
/// given size (seeded), whatever the client.
pub fn generate(client: &Client, size: Size) -> anyhow::Result<Vec<String>> {
    let mut rng = StdRng::seed_from_u64(42);
    let mut ids = Vec::with_capacity(size.accounts);
    let mut batch = Vec::with_capacity(BATCH);
    for i in 0..size.accounts {
        let (city, postal) = CITIES[rng.gen_range(0..CITIES.len())];
        let name = format!("{} {} {}", pick(&mut rng, PREFIXES), pick(&mut rng, NAMES), i);
        let phone = format!(
            "0{} {:02} {:02} {:02} {:02}",
            rng.gen_range(1..6),
            rng.gen_range(0..100),
            rng.gen_range(0..100),
            rng.gen_range(0..100),
            rng.gen_range(0..100)
        );
        batch.push(f(vec![
            ("name", name),
            ("kind", ["prospect", "customer", "distributor", "partner"][i % 4].to_string()),
            ("siret", siret(&mut rng)),
            ("address", format!("{} rue {}", rng.gen_range(1..200), pick(&mut rng, NAMES))),
            ("postal_code", postal.to_string()),
            ("city", city.to_string()),
            ("country", "France".to_string()),
            ("phone", phone),
        ]));
        if batch.len() == BATCH || i + 1 == size.accounts {
            for a in client.create_many(RecordType::Account, std::mem::take(&mut batch))? {
                ids.push(a["id"].as_str().unwrap().to_string());
            }
        }
    }
    for i in 0..size.contacts {
        let account = &ids[i % ids.len()];
        let (first, last) = (pick(&mut rng, FIRST), pick(&mut rng, NAMES));
        batch.push(f(vec![
            ("account", account.clone()),
            ("name", format!("{first} {last}")),
            ("job_title", ["Gérant", "DAF", "Directeur technique", "Acheteur"][i % 4].to_string()),
            ("email", format!("{}.{}{}@example.fr", first.to_lowercase(), last.to_lowercase(), i)),
        ]));
        if batch.len() == BATCH || i + 1 == size.contacts {
            client.create_many(RecordType::Contact, std::mem::take(&mut batch))?;
        }
    }
    for i in 0..size.activities {
        let account = &ids[i % ids.len()];
        let body = (0..30).map(|_| pick(&mut rng, WORDS)).collect::<Vec<_>>().join(" ");
        batch.push(f(vec![
            ("account", account.clone()),
            ("kind", ["visit", "note", "call", "email", "meeting"][i % 5].to_string()),
            ("at", format!("2026-{:02}-{:02}T{:02}:00:00Z", 1 + i % 12, 1 + i % 28, 8 + i % 10)),
            ("subject", format!("Suivi {}", pick(&mut rng, WORDS))),
            ("body", body),
        ]));
        if batch.len() == BATCH || i + 1 == size.activities {
            client.create_many(RecordType::Activity, std::mem::take(&mut batch))?;
        }
    }
    for i in 0..size.deals {
        let account = &ids[i % ids.len()];
        let (deal_type, stage) = if i % 3 == 0 {
            ("complex", ["analysis", "solution", "committee"][(i / 3) % 3])
        } else {
            ("simple", ["qualification", "proposal", "negotiation"][i % 3])
        };
        client.create_deal(f(vec![
            ("account", account.clone()),
            ("title", format!("{} {}", pick(&mut rng, &["Contrat", "Maintenance", "Garde", "Audit"]), i)),
            ("deal_type", deal_type.to_string()),
            ("stage", stage.to_string()),
            ("amount", format!("{}.{:02}", rng.gen_range(500..90_000), rng.gen_range(0..100))),
            ("expected_close", format!("2027-{:02}-{:02}", 1 + i % 12, 1 + i % 28)),
        ]))?;
    }
    Ok(ids)
}

/// One field per record type that edits change (a short field every type has).
pub fn edit_field(record_type: &str) -> &'static str {
    match record_type {
        "account" => "city",
        "contact" => "job_title",
        "activity" => "subject",
        _ => "title",
    }
}

pub fn search_word(i: usize) -> String {
    [NAMES[i % NAMES.len()], CITIES[i % CITIES.len()].0, WORDS[i % WORDS.len()]][i % 3].to_string()
}
