//! Taking in the spreadsheets of an earlier system: which column goes to which field
//! (guessed from French and English headers), and each cell read the way a French
//! spreadsheet writes it (`14/03/2026`, `1 234,56`, `04.78.00.00.00`, « Oui »). Pure: the
//! files are read and the records written by the client.

use crate::vocabulary::{self, Choice};
use crate::{Code, Problem, RecordType};
use unicode_normalization::UnicodeNormalization;

/// The record types a file can bring in.
pub const IMPORTABLE: [RecordType; 5] =
    [RecordType::Account, RecordType::Contact, RecordType::Contract, RecordType::Product, RecordType::Activity];

/// Where a column can go that is not one of the record's own fields: the account it
/// hangs from (by natural keys, never by internal id), its owner by e-mail, a contact's
/// first and last names, the contacts of an activity by e-mail, a SIREN to check.
pub const ACCOUNT_SIRET: &str = "account_siret";
pub const ACCOUNT_EXTERNAL_ID: &str = "account_external_id";
pub const ACCOUNT_NAME: &str = "account_name";
pub const ACCOUNT_POSTAL_CODE: &str = "account_postal_code";
pub const OWNER_EMAIL: &str = "owner_email";
pub const FIRST_NAME: &str = "first_name";
pub const LAST_NAME: &str = "last_name";
pub const CONTACT_EMAIL: &str = "contact_email";
pub const SIREN: &str = "siren";

/// One place a column can go, with its French label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Target {
    pub id: &'static str,
    pub label: &'static str,
}

const fn t(id: &'static str, label: &'static str) -> Target {
    Target { id, label }
}

const ACCOUNT_REFS: [Target; 4] = [
    t(ACCOUNT_SIRET, "SIRET du tiers"),
    t(ACCOUNT_EXTERNAL_ID, "identifiant externe du tiers"),
    t(ACCOUNT_NAME, "raison sociale du tiers"),
    t(ACCOUNT_POSTAL_CODE, "code postal du tiers"),
];

/// The fields of a record never filled from a file: ids of other records (relations
/// come by natural keys), what the app computes, the deletion mark.
const NOT_FROM_FILES: &[&str] = &[
    "account",
    "owner",
    "parent",
    "distributor",
    "price_list",
    "deal",
    "contract",
    "contacts",
    "media",
    "visit_every_weeks",
    "merged",
    "merged_into",
    crate::DELETED_FIELD,
];

/// Every place a column of a file of `record_type` can go.
pub fn targets(record_type: RecordType) -> Vec<Target> {
    let mut out: Vec<Target> = crate::schema(record_type)
        .iter()
        .filter(|s| !NOT_FROM_FILES.contains(&s.name))
        .map(|s| t(s.name, s.label))
        .collect();
    match record_type {
        RecordType::Account => {
            out.push(t(SIREN, "SIREN (contrôlé)"));
            out.push(t(OWNER_EMAIL, "e-mail du commercial"));
        }
        RecordType::Contact => {
            out.push(t(FIRST_NAME, "prénom"));
            out.push(t(LAST_NAME, "nom de famille"));
            out.extend(ACCOUNT_REFS);
        }
        RecordType::Contract | RecordType::Activity => {
            out.extend(ACCOUNT_REFS);
            out.push(t(
                OWNER_EMAIL,
                if record_type == RecordType::Activity { "e-mail de l'auteur" } else { "e-mail du commercial" },
            ));
            if record_type == RecordType::Activity {
                out.push(t(CONTACT_EMAIL, "e-mail du contact"));
            }
        }
        _ => {}
    }
    out
}

/// A header reduced to what identifies it: lower case, no accents, words separated by
/// one space (« Code Postal », "code_postal" and « CODE-POSTAL » are alike).
pub fn header_key(header: &str) -> String {
    let plain: String = header
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The headers that name each target, in French and English (as `header_key` writes them).
fn synonyms(record_type: RecordType) -> &'static [(&'static str, &'static [&'static str])] {
    const EXTERNAL: &[&str] =
        &["id", "identifiant", "external id", "id externe", "identifiant externe", "ref", "code", "reference externe"];
    match record_type {
        RecordType::Account => &[
            (
                "name",
                &[
                    "raison sociale",
                    "nom",
                    "societe",
                    "entreprise",
                    "company",
                    "company name",
                    "name",
                    "account",
                    "account name",
                    "denomination",
                    "client",
                    "tiers",
                    "nom du tiers",
                    "nom du client",
                ],
            ),
            ("siret", &["siret", "n siret", "numero siret", "siret number"]),
            (SIREN, &["siren", "n siren", "numero siren"]),
            ("kind", &["type", "type de tiers", "categorie", "kind", "account type", "nature"]),
            ("address", &["adresse", "address", "rue", "adresse 1", "street", "billing street"]),
            (
                "postal_code",
                &["code postal", "cp", "postal code", "zip", "zip code", "postcode", "billing postal code"],
            ),
            ("city", &["ville", "city", "commune", "localite", "billing city"]),
            ("country", &["pays", "country", "billing country"]),
            ("phone", &["telephone", "tel", "phone", "standard", "telephone standard", "phone number"]),
            ("email", &["e mail", "email", "mail", "courriel", "adresse e mail", "adresse mail"]),
            ("website", &["site web", "site", "site internet", "website", "web", "url"]),
            ("sector", &["secteur", "secteur d activite", "activite", "sector", "industry", "naf", "code naf"]),
            ("tags", &["etiquettes", "etiquette", "tags", "tag", "mots cles"]),
            ("discount_percent", &["remise", "remise negociee", "discount"]),
            (
                OWNER_EMAIL,
                &[
                    "commercial",
                    "e mail du commercial",
                    "email commercial",
                    "owner",
                    "owner email",
                    "proprietaire",
                    "responsable",
                    "account owner",
                ],
            ),
            (
                "external_id",
                &[
                    "code client",
                    "id client",
                    "numero client",
                    "n client",
                    "ref client",
                    "reference client",
                    "customer id",
                    "account id",
                    "account number",
                    "id",
                    "identifiant",
                    "external id",
                    "id externe",
                    "identifiant externe",
                ],
            ),
        ],
        RecordType::Contact => &[
            ("name", &["nom complet", "full name", "contact", "nom du contact", "contact name"]),
            (LAST_NAME, &["nom", "nom de famille", "last name", "lastname", "surname", "name"]),
            (FIRST_NAME, &["prenom", "first name", "firstname", "given name"]),
            ("job_title", &["fonction", "poste", "titre", "job title", "title", "position", "role"]),
            ("phone", &["telephone", "tel", "phone", "telephone fixe", "ligne directe", "business phone"]),
            ("mobile", &["mobile", "portable", "gsm", "telephone mobile", "tel mobile", "mobile phone", "cell"]),
            ("email", &["e mail", "email", "mail", "courriel", "adresse e mail", "adresse mail", "email address"]),
            (
                "consent_email",
                &[
                    "accord e mailing",
                    "consentement e mail",
                    "consentement email",
                    "optin",
                    "opt in",
                    "email opt in",
                    "newsletter",
                ],
            ),
            ("consent_phone", &["accord prospection telephonique", "consentement telephone", "phone opt in"]),
            ("consent_date", &["date du consentement", "date de consentement", "consent date"]),
            (ACCOUNT_SIRET, &["siret", "siret du tiers", "siret societe"]),
            (
                ACCOUNT_NAME,
                &[
                    "societe",
                    "entreprise",
                    "raison sociale",
                    "company",
                    "account",
                    "account name",
                    "client",
                    "tiers",
                    "organisation",
                    "organization",
                ],
            ),
            (ACCOUNT_POSTAL_CODE, &["code postal", "cp", "postal code", "zip", "code postal societe"]),
            (
                ACCOUNT_EXTERNAL_ID,
                &["code client", "id client", "numero client", "ref client", "account id", "customer id"],
            ),
            ("external_id", EXTERNAL),
        ],
        RecordType::Contract => &[
            ("contract_type", &["type", "type de contrat", "contrat", "contract type", "formule"]),
            ("status", &["statut", "etat", "status"]),
            ("start", &["debut", "date de debut", "date debut", "start", "start date", "date d effet"]),
            ("end", &["fin", "date de fin", "date fin", "end", "end date", "echeance"]),
            (
                "tacit_renewal",
                &["tacite reconduction", "reconduction tacite", "reconduction", "tacit renewal", "auto renewal"],
            ),
            ("term_months", &["duree", "duree mois", "duree en mois", "term", "term months"]),
            ("notice_months", &["preavis", "preavis mois", "preavis en mois", "notice", "notice months"]),
            (
                "billing_amount",
                &["montant", "montant facture", "montant de facturation", "montant ht", "billing amount", "amount"],
            ),
            (
                "billing_period",
                &[
                    "periodicite",
                    "periodicite de facturation",
                    "frequence de facturation",
                    "facturation",
                    "billing period",
                    "billing frequency",
                ],
            ),
            (ACCOUNT_SIRET, &["siret", "siret du tiers"]),
            (ACCOUNT_NAME, &["societe", "raison sociale", "client", "tiers", "account", "company"]),
            (ACCOUNT_POSTAL_CODE, &["code postal", "cp", "postal code"]),
            (ACCOUNT_EXTERNAL_ID, &["code client", "id client", "numero client", "account id", "customer id"]),
            (OWNER_EMAIL, &["commercial", "e mail du commercial", "owner", "owner email", "responsable"]),
            (
                "external_id",
                &[
                    "numero de contrat",
                    "n contrat",
                    "reference contrat",
                    "contract number",
                    "contract id",
                    "id",
                    "identifiant",
                    "id externe",
                ],
            ),
        ],
        RecordType::Product => &[
            ("reference", &["reference", "ref", "code article", "code produit", "sku", "product code"]),
            (
                "designation",
                &[
                    "designation",
                    "libelle",
                    "produit",
                    "nom",
                    "article",
                    "product",
                    "product name",
                    "name",
                    "description",
                ],
            ),
            (
                "price",
                &["prix", "prix unitaire", "prix ht", "prix unitaire ht", "tarif", "price", "unit price", "list price"],
            ),
            ("vat_percent", &["tva", "taux de tva", "taux tva", "vat", "vat rate", "tax rate"]),
            ("pitch", &["argumentaire", "pitch", "argumentaire commercial"]),
            ("strengths", &["points forts", "strengths"]),
            ("weaknesses", &["points faibles", "weaknesses"]),
            ("external_id", &["id", "identifiant", "external id", "id externe"]),
        ],
        RecordType::Activity => &[
            ("kind", &["type", "type d activite", "nature", "activity type", "kind"]),
            ("at", &["date", "le", "date de l activite", "date et heure", "date time", "activity date", "when"]),
            ("subject", &["objet", "sujet", "titre", "subject", "title"]),
            (
                "body",
                &[
                    "compte rendu",
                    "commentaire",
                    "commentaires",
                    "notes",
                    "note",
                    "description",
                    "details",
                    "body",
                    "comments",
                ],
            ),
            ("follow_up", &["relance", "date de relance", "a relancer le", "follow up", "follow up date"]),
            (OWNER_EMAIL, &["auteur", "commercial", "e mail de l auteur", "owner", "author", "owner email"]),
            (CONTACT_EMAIL, &["e mail du contact", "email contact", "contact email", "contact e mail", "contact"]),
            (ACCOUNT_SIRET, &["siret", "siret du tiers"]),
            (ACCOUNT_NAME, &["societe", "raison sociale", "client", "tiers", "account", "company"]),
            (ACCOUNT_POSTAL_CODE, &["code postal", "cp", "postal code"]),
            (ACCOUNT_EXTERNAL_ID, &["code client", "id client", "numero client", "account id", "customer id"]),
            ("external_id", EXTERNAL),
        ],
        _ => &[],
    }
}

/// The target each header most likely names (`None`: not imported). A target is given
/// to one column only; a contact file with « Nom » and « Prénom » reads « Nom » as the
/// last name, and as the whole name without a first-name column.
pub fn guess_mapping(record_type: RecordType, headers: &[String]) -> Vec<Option<String>> {
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let mut out: Vec<Option<String>> = vec![None; headers.len()];
    let mut taken: Vec<&str> = Vec::new();
    // Exact names of fields (a file this CRM exported) first, then synonyms in the
    // order of the table (its earlier targets are the likelier meaning of a word).
    for (i, key) in keys.iter().enumerate() {
        if let Some(target) =
            targets(record_type).iter().find(|t| t.id == key.replace(' ', "_") || header_key(t.label) == *key)
            && !taken.contains(&target.id)
        {
            out[i] = Some(target.id.to_string());
            taken.push(target.id);
        }
    }
    for (target, words) in synonyms(record_type) {
        if taken.contains(target) {
            continue;
        }
        if let Some(i) = keys.iter().enumerate().position(|(i, k)| out[i].is_none() && words.contains(&k.as_str())) {
            out[i] = Some(target.to_string());
            taken.push(target);
        }
    }
    // « Nom » beside « Prénom » is the last name.
    if record_type == RecordType::Contact && taken.contains(&FIRST_NAME) && !taken.contains(&LAST_NAME) {
        for slot in out.iter_mut() {
            if slot.as_deref() == Some("name") {
                *slot = Some(LAST_NAME.into());
            }
        }
    }
    if record_type == RecordType::Contact && !taken.contains(&FIRST_NAME) && !taken.contains(&"name") {
        for slot in out.iter_mut() {
            if slot.as_deref() == Some(LAST_NAME) {
                *slot = Some("name".into());
            }
        }
    }
    out
}

/// Checks that the columns of a mapping go to places a file of `record_type` can fill,
/// each at most once, and that the record's required fields and its account are there.
pub fn check_mapping(record_type: RecordType, mapping: &[Option<String>]) -> Result<(), Problem> {
    let allowed = targets(record_type);
    let mut seen: Vec<&str> = Vec::new();
    for target in mapping.iter().flatten() {
        if !allowed.iter().any(|t| t.id == target) {
            let list: Vec<&str> = allowed.iter().map(|t| t.id).collect();
            return Err(Problem::new(Code::ImportTarget).param("value", target).param("allowed", list.join(", ")));
        }
        if seen.contains(&target.as_str()) {
            return Err(Problem::new(Code::ImportTargetTwice).param("value", target));
        }
        seen.push(target);
    }
    let has = |t: &str| seen.contains(&t);
    for spec in crate::schema(record_type).iter().filter(|s| s.required) {
        let covered = match spec.name {
            "account" => has(ACCOUNT_SIRET) || has(ACCOUNT_EXTERNAL_ID) || has(ACCOUNT_NAME),
            "name" if record_type == RecordType::Contact => has("name") || has(LAST_NAME),
            // A directly entered contract is active unless the file says otherwise; an
            // account's kind defaults to customer (it is in the old system's base).
            "status" if record_type == RecordType::Contract => true,
            "kind" if record_type == RecordType::Account => true,
            name => has(name),
        };
        if !covered {
            return Err(Problem::new(Code::ImportColumnMissing).field(spec.name).param("type", record_type));
        }
    }
    Ok(())
}

/// How the rows of a file are matched with records already on the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchKey {
    ExternalId,
    Siret,
    Email,
    NamePostal,
}

impl MatchKey {
    pub fn parse(text: &str) -> Result<MatchKey, Problem> {
        match text {
            "external_id" => Ok(MatchKey::ExternalId),
            "siret" => Ok(MatchKey::Siret),
            "email" => Ok(MatchKey::Email),
            "name_postal" => Ok(MatchKey::NamePostal),
            other => Err(Problem::new(Code::ImportMatchKey)
                .param("value", other)
                .param("allowed", "external_id, siret, email, name_postal")),
        }
    }

    /// The key used when none is given: the strongest one the file's columns carry.
    pub fn default_for(record_type: RecordType, mapping: &[Option<String>]) -> Option<MatchKey> {
        let has = |t: &str| mapping.iter().flatten().any(|m| m == t);
        match record_type {
            _ if has("external_id") => Some(MatchKey::ExternalId),
            RecordType::Account if has("siret") => Some(MatchKey::Siret),
            RecordType::Account => Some(MatchKey::NamePostal),
            RecordType::Contact if has("email") => Some(MatchKey::Email),
            RecordType::Contact => Some(MatchKey::NamePostal),
            // Products by reference, contracts and activities by what they are.
            _ => None,
        }
    }

    /// Whether this key identifies records of `record_type`.
    pub fn fits(self, record_type: RecordType) -> bool {
        matches!(
            (self, record_type),
            (MatchKey::ExternalId, _)
                | (MatchKey::Siret, RecordType::Account)
                | (MatchKey::Email, RecordType::Contact)
                | (MatchKey::NamePostal, RecordType::Account | RecordType::Contact)
        )
    }
}

/// The three ways an import treats a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// New records only; a row matching an existing one is left out.
    Create,
    /// Existing records only; a row matching none is refused.
    Update,
    /// Both.
    Upsert,
}

impl Mode {
    pub fn parse(text: &str) -> Result<Mode, Problem> {
        match text {
            "create" => Ok(Mode::Create),
            "update" => Ok(Mode::Update),
            "upsert" => Ok(Mode::Upsert),
            other => Err(Problem::new(Code::ImportMode).param("value", other)),
        }
    }
}

/// A cell read into the form the field keeps; `Ok(None)` for an empty cell. Errors name
/// the field and the value.
pub fn convert(record_type: RecordType, target: &str, raw: &str) -> Result<Option<String>, Problem> {
    let text = raw.trim().trim_matches('\u{feff}').trim();
    if text.is_empty() {
        return Ok(None);
    }
    let value = match target {
        "start" | "end" | "follow_up" | "consent_date" | "expected_close" | "due" | "valid_until" => {
            french_date(text).ok_or_else(|| Problem::new(Code::DateInvalid).field(target).param("value", text))?
        }
        "at" => french_datetime(text)
            .ok_or_else(|| Problem::new(Code::DateTimeInvalid).field(target).param("value", text))?,
        // A number cell loses the leading zero: 478000000 was 04 78 00 00 00, 1000 was 01000.
        "phone" | "mobile" if text.len() == 9 && text.chars().all(|c| c.is_ascii_digit()) && !text.starts_with('0') => {
            format!("+33{text}")
        }
        "postal_code" | ACCOUNT_POSTAL_CODE if text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()) => {
            format!("0{text}")
        }
        "phone" | "mobile" => {
            crate::duplicates::phone_key(text).filter(|_| looks_like_phone(text)).unwrap_or_else(|| text.to_string())
        }
        "email" | CONTACT_EMAIL | OWNER_EMAIL => text.to_lowercase(),
        "siret" | ACCOUNT_SIRET => text.chars().filter(|c| !c.is_whitespace() && *c != '.').collect(),
        SIREN => {
            let digits: String = text.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
            check_siren(&digits)?;
            digits
        }
        "tacit_renewal" | "consent_email" | "consent_phone" => yes_no(text).ok_or_else(|| {
            Problem::new(Code::NotOneOf).field(target).param("value", text).param("allowed", "yes, no")
        })?,
        "price" | "billing_amount" | "amount" => {
            // Spreadsheets write 1234.5 for a cell of 1 234,50 €.
            text.parse::<crate::Money>().map_err(|p| p.field(target))?.to_string()
        }
        "vat_percent" | "discount_percent" => text.trim_end_matches('%').trim().replace(',', "."),
        "term_months" | "notice_months" => {
            text.strip_suffix(".0").unwrap_or(text).trim_end_matches(" mois").to_string()
        }
        _ => match vocabulary::choices(record_type, target) {
            Some(list) => choice(list, text)
                .or_else(|| extra_words(record_type, target, text))
                .ok_or_else(|| {
                    let allowed: Vec<&str> = list.iter().map(|c| c.id).collect();
                    Problem::new(Code::NotOneOf).field(target).param("value", text).param("allowed", allowed.join(", "))
                })?
                .to_string(),
            None => text.to_string(),
        },
    };
    Ok(Some(value))
}

fn looks_like_phone(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_digit() || " +.-()/".contains(c))
}

/// A value of a fixed list from its id or its French or English label, any case or accents.
fn choice(list: &'static [Choice], text: &str) -> Option<&'static str> {
    let key = header_key(text);
    list.iter().find(|c| header_key(c.id) == key || header_key(c.fr) == key || header_key(c.en) == key).map(|c| c.id)
}

/// The words old systems use for some fixed values.
fn extra_words(record_type: RecordType, target: &str, text: &str) -> Option<&'static str> {
    let key = header_key(text);
    let table: &[(&str, &str)] = match (record_type, target) {
        (RecordType::Account, "kind") => &[
            ("clients", "customer"),
            ("prospects", "prospect"),
            ("revendeur", "distributor"),
            ("grossiste", "distributor"),
        ],
        (RecordType::Activity, "kind") => &[
            ("visite", "visit"),
            ("rdv", "meeting"),
            ("reunion", "meeting"),
            ("telephone", "call"),
            ("appel telephonique", "call"),
            ("mail", "email"),
            ("courriel", "email"),
        ],
        (RecordType::Contract, "billing_period") => &[
            ("mensuel", "monthly"),
            ("trimestriel", "quarterly"),
            ("annuel", "yearly"),
            ("par mois", "monthly"),
            ("par trimestre", "quarterly"),
            ("par an", "yearly"),
        ],
        (RecordType::Contract, "status") => &[
            ("en cours", "active"),
            ("actif", "active"),
            ("resilie", "ended"),
            ("termine", "ended"),
            ("preavis", "notice_given"),
        ],
        _ => &[],
    };
    table.iter().find(|(word, _)| *word == key).map(|(_, id)| *id)
}

fn yes_no(text: &str) -> Option<String> {
    match header_key(text).as_str() {
        "oui" | "o" | "yes" | "y" | "1" | "vrai" | "true" | "x" => Some("yes".into()),
        "non" | "n" | "no" | "0" | "faux" | "false" => Some("no".into()),
        _ => None,
    }
}

/// A date as `YYYY-MM-DD` from `14/03/2026`, `14-03-2026`, `14.03.26`, `2026-03-14` or
/// `2026-03-14 00:00:00` (what a spreadsheet's date cell becomes).
pub fn french_date(text: &str) -> Option<String> {
    let text = text.trim();
    let day_part = text.split([' ', 'T']).next()?;
    if let Ok(d) = chrono::NaiveDate::parse_from_str(day_part, "%Y-%m-%d") {
        return Some(d.format("%Y-%m-%d").to_string());
    }
    let parts: Vec<&str> = day_part.split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else { return None };
    let (d, m, mut y): (u32, u32, i32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    if y < 100 && parts[2].len() == 2 {
        y += if y < 70 { 2000 } else { 1900 };
    }
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
}

/// A moment as RFC 3339: as given when it carries its offset, else read as Paris time
/// (`14/03/2026 10:30`, or a date alone, at noon).
pub fn french_datetime(text: &str) -> Option<String> {
    let text = text.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.to_rfc3339());
    }
    let date = french_date(text)?;
    let time_part = text.split_once([' ', 'T']).map(|(_, t)| t.trim()).unwrap_or("");
    let time = ["%H:%M:%S", "%H:%M", "%Hh%M", "%Hh"]
        .iter()
        .find_map(|f| chrono::NaiveTime::parse_from_str(time_part, f).ok())
        .or_else(|| time_part.is_empty().then(|| chrono::NaiveTime::from_hms_opt(12, 0, 0).expect("noon")))?;
    let naive = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok()?.and_time(time);
    use chrono::TimeZone;
    let local = chrono_tz::Europe::Paris.from_local_datetime(&naive).earliest()?;
    Some(local.fixed_offset().to_rfc3339())
}

/// A SIREN is 9 digits with a valid Luhn key.
pub fn check_siren(digits: &str) -> Result<(), Problem> {
    let numbers: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if numbers.len() != 9 || digits.len() != 9 {
        return Err(Problem::new(Code::SirenInvalid).field(SIREN).param("value", digits));
    }
    if !crate::validate::luhn(&numbers) {
        return Err(Problem::new(Code::SirenInvalid).field(SIREN).param("value", digits));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn french_and_english_headers_find_their_fields() {
        let guessed = guess_mapping(
            RecordType::Account,
            &headers(&[
                "Raison sociale",
                "SIRET",
                "Code Postal",
                "Ville",
                "Téléphone",
                "E-mail",
                "Commercial",
                "Divers",
            ]),
        );
        let got: Vec<Option<&str>> = guessed.iter().map(|g| g.as_deref()).collect();
        assert_eq!(
            got,
            [
                Some("name"),
                Some("siret"),
                Some("postal_code"),
                Some("city"),
                Some("phone"),
                Some("email"),
                Some(OWNER_EMAIL),
                None
            ]
        );
        let contact =
            guess_mapping(RecordType::Contact, &headers(&["Nom", "Prénom", "Fonction", "Société", "Portable"]));
        assert_eq!(contact[0].as_deref(), Some(LAST_NAME));
        assert_eq!(contact[1].as_deref(), Some(FIRST_NAME));
        assert_eq!(contact[3].as_deref(), Some(ACCOUNT_NAME));
        assert_eq!(contact[4].as_deref(), Some("mobile"));
        let whole = guess_mapping(RecordType::Contact, &headers(&["Name", "Email", "Company"]));
        assert_eq!(whole[0].as_deref(), Some("name"));
        assert!(check_mapping(RecordType::Contact, &whole).is_ok());
        let no_account = guess_mapping(RecordType::Contact, &headers(&["Nom", "Email"]));
        assert_eq!(check_mapping(RecordType::Contact, &no_account).unwrap_err().code, Code::ImportColumnMissing);
    }

    #[test]
    fn cells_are_read_the_french_way() {
        assert_eq!(french_date("14/03/2026").as_deref(), Some("2026-03-14"));
        assert_eq!(french_date("1.2.26").as_deref(), Some("2026-02-01"));
        assert_eq!(french_date("2026-03-14 00:00:00").as_deref(), Some("2026-03-14"));
        assert_eq!(french_date("31/02/2026"), None);
        assert_eq!(french_datetime("14/03/2026 10:30").as_deref(), Some("2026-03-14T10:30:00+01:00"));
        assert_eq!(french_datetime("14/07/2026").as_deref(), Some("2026-07-14T12:00:00+02:00"));
        let c = |target: &str, raw: &str| convert(RecordType::Contract, target, raw);
        assert_eq!(c("billing_amount", "1 234,56 €").unwrap().as_deref(), Some("1234.56"));
        assert_eq!(c("billing_period", "Trimestriel").unwrap().as_deref(), Some("quarterly"));
        assert_eq!(c("tacit_renewal", "Oui").unwrap().as_deref(), Some("yes"));
        assert_eq!(c("start", "").unwrap(), None);
        assert_eq!(c("start", "demain").unwrap_err().code, Code::DateInvalid);
        let a = |target: &str, raw: &str| convert(RecordType::Account, target, raw);
        assert_eq!(a("phone", "04.78.00.00.00").unwrap().as_deref(), Some("+33478000000"));
        assert_eq!(a("phone", "+33 (0)4 78 00 00 00").unwrap().as_deref(), Some("+33478000000"));
        assert_eq!(a("phone", "478000000").unwrap().as_deref(), Some("+33478000000"));
        assert_eq!(a("postal_code", "1000").unwrap().as_deref(), Some("01000"));
        assert_eq!(a("kind", "Client").unwrap().as_deref(), Some("customer"));
        assert_eq!(a("kind", "fournisseur").unwrap().as_deref(), Some("supplier"));
        assert_eq!(a("siret", "732 829 320 00074").unwrap().as_deref(), Some("73282932000074"));
        assert!(a(SIREN, "732829320").is_ok());
        assert_eq!(a(SIREN, "732829321").unwrap_err().code, Code::SirenInvalid);
        assert_eq!(convert(RecordType::Activity, "kind", "Visite").unwrap().as_deref(), Some("visit"));
    }
}
