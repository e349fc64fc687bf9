//! Likely duplicates of accounts and contacts (REQUIREMENTS C4): the same SIRET, e-mail
//! or phone number, or a close name in the same postal code (accounts) or the same
//! company (contacts), with accents, case, punctuation and legal forms (SARL, SAS,
//! « Ets »…) ignored. Pure: the store keeps each record's blocking keys so a check on
//! entry or a whole scan compares only records that share one, never all pairs.

use crate::{Record, RecordType};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// Why two records look like the same one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Siret,
    Email,
    Phone,
    /// Close names in the same postal code (accounts) or the same company (contacts).
    Name,
}

/// A record that may be the same as another, with a score (0..1) and the reasons.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Match {
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// From this score on, two records are shown as likely duplicates.
pub const THRESHOLD: f64 = 0.8;

/// Records sharing one key beyond this many are not compared pairwise for that key (a
/// key that common, e.g. the one word of a name everyone has, tells nothing).
pub const MAX_BLOCK: usize = 50;

/// Words that say nothing about which company it is: legal forms and articles.
const NOISE: &[&str] = &[
    "sa",
    "sas",
    "sasu",
    "sarl",
    "eurl",
    "sci",
    "snc",
    "scop",
    "sca",
    "selarl",
    "ei",
    "eirl",
    "ets",
    "etablissements",
    "etablissement",
    "ste",
    "societe",
    "cie",
    "compagnie",
    "groupe",
    "et",
    "la",
    "le",
    "les",
    "l",
    "de",
    "du",
    "des",
    "d",
    "au",
    "aux",
    "mr",
    "mme",
    "m",
];

/// A name reduced to what identifies it: lower case, no accents, no punctuation, no
/// legal form or article. « Ets Dupont & Fils S.A.R.L. » → « dupont fils ».
pub fn name_key(name: &str) -> String {
    let plain: String = name
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
        .collect();
    // « S.A.R.L. » became « s a r l »: letters standing alone are joined back first.
    let mut words: Vec<String> = Vec::new();
    let mut letters = String::new();
    for word in plain.split_whitespace() {
        if word.chars().count() == 1 {
            letters.push_str(word);
            continue;
        }
        if !letters.is_empty() {
            words.push(std::mem::take(&mut letters));
        }
        words.push(word.to_string());
    }
    if !letters.is_empty() {
        words.push(letters);
    }
    words.retain(|w| !NOISE.contains(&w.as_str()));
    words.join(" ")
}

/// A phone number as one comparable form: French numbers in E.164 (`+33…`), others
/// with their `+` and digits. `None` for something too short to be a number.
pub fn phone_key(phone: &str) -> Option<String> {
    let plus = phone.trim_start().starts_with('+');
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let e164 = if plus {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("+{rest}")
    } else if digits.len() == 10 && digits.starts_with('0') {
        format!("+33{}", &digits[1..])
    } else {
        digits
    };
    // « +33 (0)4 78… » keeps its trunk zero by mistake.
    let e164 = match e164.strip_prefix("+330") {
        Some(rest) if rest.len() == 9 => format!("+33{rest}"),
        _ => e164,
    };
    (e164.trim_start_matches('+').len() >= 8).then_some(e164)
}

fn email_key(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    e.contains('@').then_some(e)
}

fn siret_key(siret: &str) -> Option<String> {
    let s: String = siret.chars().filter(char::is_ascii_digit).collect();
    (s.len() == 14).then_some(s)
}

/// Where a close name counts: the postal code of an account, the company of a contact.
fn name_scope(record: &Record) -> Option<String> {
    match record.record_type {
        RecordType::Account => record.text("postal_code").map(|p| p.replace(' ', "")).filter(|p| !p.is_empty()),
        RecordType::Contact => record.text("account").map(str::to_string),
        _ => None,
    }
}

/// The keys under which the store files a record: two records are compared only when
/// they share one. Names give one key per word, so a typo in one word still meets.
pub fn blocking_keys(record: &Record) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(s) = record.text("siret").and_then(siret_key) {
        keys.push(format!("siret:{s}"));
    }
    if let Some(e) = record.text("email").and_then(email_key) {
        keys.push(format!("email:{e}"));
    }
    for field in ["phone", "mobile"] {
        if let Some(p) = record.text(field).and_then(phone_key) {
            keys.push(format!("phone:{p}"));
        }
    }
    if let (Some(scope), Some(name)) = (name_scope(record), record.text("name")) {
        let key = name_key(name);
        // The whole name always meets its twins; each word meets a typo in another word
        // (a word too common to tell anything is left out by the store's block limit).
        if !key.is_empty() {
            keys.push(format!("fullname:{scope}:{key}"));
        }
        for word in key.split(' ').filter(|w| w.len() >= 3) {
            keys.push(format!("name:{scope}:{word}"));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// What of a record the comparison reads, worked out once (a scan compares each record
/// with many others).
#[derive(Clone, Debug)]
pub struct Fingerprint {
    record_type: RecordType,
    id: crate::RecordId,
    siret: Option<String>,
    email: Option<String>,
    phones: Vec<String>,
    scope: Option<String>,
    name: String,
}

impl Fingerprint {
    pub fn of(record: &Record) -> Fingerprint {
        Fingerprint {
            record_type: record.record_type,
            id: record.id,
            siret: record.text("siret").and_then(siret_key),
            email: record.text("email").and_then(email_key),
            phones: ["phone", "mobile"].iter().filter_map(|f| record.text(f).and_then(phone_key)).collect(),
            scope: name_scope(record),
            name: record.text("name").map(name_key).unwrap_or_default(),
        }
    }
}

/// How likely `a` and `b` are the same account or contact; `None` below [`THRESHOLD`].
pub fn compare(a: &Record, b: &Record) -> Option<Match> {
    compare_prints(&Fingerprint::of(a), &Fingerprint::of(b))
}

/// [`compare`] on fingerprints.
pub fn compare_prints(a: &Fingerprint, b: &Fingerprint) -> Option<Match> {
    if a.record_type != b.record_type || a.id == b.id {
        return None;
    }
    let mut found: Vec<(Reason, f64)> = Vec::new();
    if a.siret.is_some() && a.siret == b.siret {
        found.push((Reason::Siret, 1.0));
    }
    if a.email.is_some() && a.email == b.email {
        found.push((Reason::Email, 0.95));
    }
    if a.phones.iter().any(|p| b.phones.contains(p)) {
        found.push((Reason::Phone, 0.85));
    }
    if a.scope.is_some() && a.scope == b.scope && !a.name.is_empty() && !b.name.is_empty() {
        let similarity = word_alignment(&a.name, &b.name).max(token_overlap(&a.name, &b.name));
        if similarity >= 0.9 {
            found.push((Reason::Name, 0.8 + (similarity - 0.9)));
        }
    }
    let best = found.iter().map(|(_, s)| *s).fold(0.0, f64::max);
    // Each further reason makes it more certain.
    let score = (best + 0.05 * (found.len().saturating_sub(1)) as f64).min(1.0);
    if found.is_empty() || score < THRESHOLD {
        return None;
    }
    let mut reasons: Vec<Reason> = found.into_iter().map(|(r, _)| r).collect();
    reasons.sort();
    Some(Match { score: (score * 100.0).round() / 100.0, reasons })
}

/// How alike two names are word by word: each word's closest word in the other name
/// (Jaro-Winkler), averaged, the weaker direction counting. A typo in one word keeps
/// two names close; two shops of one trade in one street (« Boulangerie Martin »,
/// « Boulangerie Dubois ») are not, though a whole-string measure finds them alike.
fn word_alignment(a: &str, b: &str) -> f64 {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let side = |from: &[&str], to: &[&str]| -> f64 {
        let total: f64 = from.iter().map(|w| to.iter().map(|o| word_likeness(w, o)).fold(0.0, f64::max)).sum();
        total / from.len().max(1) as f64
    };
    side(&wa, &wb).min(side(&wb, &wa))
}

/// Every pair of likely duplicates among `records` (indexes into it), best first: the
/// records grouped by blocking key (a key shared by more than [`MAX_BLOCK`] is
/// skipped), each pair sharing a key compared once. What the server's scan runs over
/// the records a user may read.
pub fn pairs(records: &[Record]) -> Vec<(usize, usize, Match)> {
    let mut blocks: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
    for (i, r) in records.iter().enumerate() {
        for key in blocking_keys(r) {
            blocks.entry(key).or_default().push(i);
        }
    }
    let prints: Vec<Fingerprint> = records.iter().map(Fingerprint::of).collect();
    let mut candidates: Vec<(usize, usize)> = blocks
        .values()
        .filter(|b| b.len() >= 2 && b.len() <= MAX_BLOCK)
        .flat_map(|b| {
            b.iter().enumerate().flat_map(move |(k, &i)| b[k + 1..].iter().map(move |&j| (i.min(j), i.max(j))))
        })
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let mut out: Vec<(usize, usize, Match)> =
        candidates.into_iter().filter_map(|(i, j)| compare_prints(&prints[i], &prints[j]).map(|m| (i, j, m))).collect();
    out.sort_by(|x, y| y.2.score.total_cmp(&x.2.score).then_with(|| (x.0, x.1).cmp(&(y.0, y.1))));
    out
}

/// Two words alike: numbers (« Agence 12 », « Agence 14 ») only when equal.
fn word_likeness(a: &str, b: &str) -> f64 {
    let number = |w: &str| w.chars().all(|c| c.is_ascii_digit());
    if number(a) || number(b) {
        return if a == b { 1.0 } else { 0.0 };
    }
    strsim::jaro_winkler(a, b)
}

/// The share of words of the shorter name found in the other (« dupont » in « dupont
/// fils »), counted only for names of two words or more.
fn token_overlap(a: &str, b: &str) -> f64 {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let (short, long) = if wa.len() <= wb.len() { (&wa, &wb) } else { (&wb, &wa) };
    if long.len() < 2 {
        return 0.0;
    }
    let shared = short.iter().filter(|w| long.contains(w)).count();
    if shared == short.len() { 0.9 + 0.1 * (short.len() as f64 / long.len() as f64) } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldValue, RecordId};

    fn account(fields: &[(&str, &str)]) -> Record {
        // Ids from a counter: this crate never reads the clock or randomness.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut r = Record::new(RecordId(uuid::Uuid::from_u128(n.into())), RecordType::Account);
        for (k, v) in fields {
            r.fields.insert(k.to_string(), FieldValue::from(*v));
        }
        r
    }

    #[test]
    fn names_lose_accents_case_punctuation_and_legal_forms() {
        assert_eq!(name_key("Ets Dupont & Fils S.A.R.L."), "dupont fils");
        assert_eq!(name_key("BOULANGERIE  Hélène  (SAS)"), "boulangerie helene");
        assert_eq!(name_key("La Société Générale de Chauffage"), "generale chauffage");
    }

    #[test]
    fn phones_meet_whatever_their_format() {
        for p in ["04 78 00 00 00", "04.78.00.00.00", "+33 4 78 00 00 00", "0033478000000", "+33 (0)4 78 00 00 00"] {
            assert_eq!(phone_key(p).as_deref(), Some("+33478000000"), "{p}");
        }
        assert_eq!(phone_key("+44 20 7946 0958").as_deref(), Some("+442079460958"));
        assert_eq!(phone_key("12"), None);
    }

    #[test]
    fn same_siret_email_phone_or_close_name_in_the_same_postal_code() {
        let a = account(&[("name", "Boulangerie Dupont SARL"), ("postal_code", "69003"), ("siret", "73282932000074")]);
        let same_siret = account(&[("name", "BD"), ("siret", "732 829 320 00074")]);
        let m = compare(&a, &same_siret).unwrap();
        assert_eq!((m.score, m.reasons.as_slice()), (1.0, &[Reason::Siret][..]));

        let typo = account(&[("name", "Ets Boulangrie Dupont"), ("postal_code", "69 003")]);
        assert_eq!(compare(&a, &typo).unwrap().reasons, vec![Reason::Name]);
        let elsewhere = account(&[("name", "Boulangerie Dupont"), ("postal_code", "75011")]);
        assert_eq!(compare(&a, &elsewhere), None, "a namesake in another town is another shop");
        let other = account(&[("name", "Boucherie Martin"), ("postal_code", "69003")]);
        assert_eq!(compare(&a, &other), None);

        let phone_a = account(&[("name", "A"), ("phone", "04 78 00 00 00")]);
        let phone_b = account(&[("name", "B"), ("phone", "+33478000000")]);
        assert_eq!(compare(&phone_a, &phone_b).unwrap().reasons, vec![Reason::Phone]);
    }

    #[test]
    fn records_sharing_no_key_are_never_compared() {
        let a = account(&[("name", "Boulangerie Dupont"), ("postal_code", "69003")]);
        let b = account(&[("name", "Boulangrie Dupont"), ("postal_code", "69003")]);
        let c = account(&[("name", "Garage Martin"), ("postal_code", "69003")]);
        let shared = |x: &Record, y: &Record| blocking_keys(x).iter().any(|k| blocking_keys(y).contains(k));
        assert!(shared(&a, &b), "one word in common is enough to be compared");
        assert!(!shared(&a, &c));
    }

    #[test]
    fn two_shops_of_one_trade_in_one_postal_code_are_not_duplicates() {
        let a = account(&[("name", "Boulangerie Martin"), ("postal_code", "69003")]);
        let b = account(&[("name", "Boulangerie Dubois"), ("postal_code", "69003")]);
        let c = account(&[("name", "Quincaillerie Roux n°22 SA"), ("postal_code", "69003")]);
        let d = account(&[("name", "Quincaillerie Girard n°14"), ("postal_code", "69003")]);
        assert!(compare(&a, &b).is_none());
        assert!(compare(&c, &d).is_none());
        let typo = account(&[("name", "Ets Boulangrie Martin SARL"), ("postal_code", "69003")]);
        assert!(compare(&a, &typo).is_some_and(|m| m.reasons == [Reason::Name]));
    }
}
