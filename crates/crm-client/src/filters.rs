//! Segmentation (REQUIREMENTS C6): the portfolio filtered by criteria (kind, city, postal
//! code, tag, sector, owner), and saved filters to reuse them. Filters run on the records
//! this device holds, offline; saved filters are the user's, kept on this device.

use crate::views::{AnyRecord, Rec, kind};
use crate::{Client, ClientError};
use crm_core::{Code, Problem, RecordType};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// What an account must match; an empty criterion matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct AccountFilter {
    /// One of the account kinds (`customer`, `prospect`…).
    #[ts(optional)]
    pub kind: Option<String>,
    /// The city, whatever the case and accents ("saint-etienne" finds "Saint-Étienne").
    #[ts(optional)]
    pub city: Option<String>,
    /// The start of the postal code: "69" is the whole Rhône.
    #[ts(optional)]
    pub postal_code: Option<String>,
    /// A tag the account carries (case ignored).
    #[ts(optional)]
    pub tag: Option<String>,
    /// Words found in the sector.
    #[ts(optional)]
    pub sector: Option<String>,
    /// The owner, by user id or work e-mail.
    #[ts(optional)]
    pub owner: Option<String>,
}

/// A filter kept under a name, for one list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SavedFilter {
    pub name: String,
    pub filter: AccountFilter,
}

const SAVED_KEY: &str = "saved_account_filters";
const MAX_SAVED: usize = 50;

/// Lower case, without accents, trimmed: how criteria and values are compared.
fn fold(text: &str) -> String {
    text.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect::<String>().trim().to_lowercase()
}

impl AccountFilter {
    fn is_empty(&self) -> bool {
        *self == AccountFilter::default()
    }

    /// Whether `account` matches; `owner` is already resolved to a user id.
    fn matches(&self, account: &AnyRecord, owner: Option<&str>) -> bool {
        let field = |k: &str| account[k].as_str().map(fold).unwrap_or_default();
        let given = |v: &Option<String>| v.as_deref().map(fold).filter(|v| !v.is_empty());
        given(&self.kind).is_none_or(|k| field("kind") == k)
            && given(&self.city).is_none_or(|c| field("city") == c)
            && given(&self.postal_code).is_none_or(|p| field("postal_code").replace(' ', "").starts_with(&p))
            && given(&self.sector).is_none_or(|s| field("sector").contains(&s))
            && given(&self.tag).is_none_or(|t| {
                account["tags"]
                    .as_array()
                    .is_some_and(|tags| tags.iter().any(|x| x.as_str().map(fold) == Some(t.clone())))
            })
            && owner.is_none_or(|o| account["owner"].as_str() == Some(o))
    }
}

impl Client {
    /// The accounts matching `filter`, by name.
    pub fn filter_accounts(&self, filter: &AccountFilter) -> Result<Vec<Rec<kind::Account>>, ClientError> {
        let owner = match filter.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            None => None,
            Some(o) if uuid::Uuid::parse_str(o).is_ok() => Some(o.to_string()),
            Some(email) => Some(
                self.cached_directory()
                    .into_iter()
                    .find(|d| d.user_email.eq_ignore_ascii_case(email))
                    .map(|d| d.user_id)
                    .ok_or_else(|| ClientError::Invalid(Problem::new(Code::UnknownUserEmail).param("email", email)))?,
            ),
        };
        if let Some(kind) = filter.kind.as_deref().filter(|k| !k.trim().is_empty()) {
            crm_core::validate_field(RecordType::Account, "kind", &kind.trim().into())?;
        }
        let mut list: Vec<Rec<kind::Account>> = self
            .list(RecordType::Account)?
            .into_iter()
            .filter(|a| filter.matches(a, owner.as_deref()))
            .map(Rec::cast)
            .collect();
        list.sort_by_key(|a| fold(a["name"].as_str().unwrap_or_default()));
        Ok(list)
    }

    /// The saved filters of the portfolio, by name.
    pub fn saved_filters(&self) -> Result<Vec<SavedFilter>, ClientError> {
        let text = self.with_store(|s| Ok(s.meta(SAVED_KEY)?))?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default())
    }

    /// Saves `filter` under `name` (replacing one of the same name); answers the list.
    pub fn save_filter(&self, name: &str, filter: AccountFilter) -> Result<Vec<SavedFilter>, ClientError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ClientError::Invalid(Problem::new(Code::Blank).field("name")));
        }
        if filter.is_empty() {
            return Err(ClientError::Invalid(Problem::new(Code::FilterEmpty)));
        }
        let mut saved = self.saved_filters()?;
        saved.retain(|s| s.name != name);
        if saved.len() >= MAX_SAVED {
            return Err(ClientError::Invalid(Problem::new(Code::FilterTooMany).param("max", MAX_SAVED)));
        }
        saved.push(SavedFilter { name: name.to_string(), filter });
        saved.sort_by_key(|s| fold(&s.name));
        self.write_saved(&saved)?;
        Ok(saved)
    }

    /// Forgets a saved filter; answers the list.
    pub fn delete_filter(&self, name: &str) -> Result<Vec<SavedFilter>, ClientError> {
        let mut saved = self.saved_filters()?;
        saved.retain(|s| s.name != name);
        self.write_saved(&saved)?;
        Ok(saved)
    }

    /// The saved filter called `name`.
    pub fn saved_filter(&self, name: &str) -> Result<AccountFilter, ClientError> {
        self.saved_filters()?
            .into_iter()
            .find(|s| s.name == name)
            .map(|s| s.filter)
            .ok_or_else(|| ClientError::Invalid(Problem::new(Code::FilterUnknown).param("name", name)))
    }

    fn write_saved(&self, saved: &[SavedFilter]) -> Result<(), ClientError> {
        let text = serde_json::to_string(saved).map_err(ClientError::internal)?;
        self.with_store(|s| Ok(s.set_meta(SAVED_KEY, &text)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_ignore_case_and_accents_and_postal_codes_match_by_their_start() {
        let account: AnyRecord = serde_json::from_value(serde_json::json!({
            "name": "Boulangerie", "kind": "customer", "city": "Saint-Étienne", "postal_code": "42000",
            "tags": ["VIP", "boulangerie"], "sector": "Boulangerie artisanale", "owner": "u1"
        }))
        .unwrap();
        let f = |json: serde_json::Value| serde_json::from_value::<AccountFilter>(json).unwrap();
        assert!(f(serde_json::json!({"city": "saint-etienne"})).matches(&account, None));
        assert!(f(serde_json::json!({"postal_code": "42"})).matches(&account, None));
        assert!(!f(serde_json::json!({"postal_code": "69"})).matches(&account, None));
        assert!(f(serde_json::json!({"tag": "vip", "kind": "customer"})).matches(&account, None));
        assert!(!f(serde_json::json!({"tag": "vi"})).matches(&account, None), "a tag matches whole");
        assert!(f(serde_json::json!({"sector": "artisan"})).matches(&account, None));
        assert!(f(serde_json::json!({})).matches(&account, Some("u1")));
        assert!(!f(serde_json::json!({})).matches(&account, Some("u2")));
    }
}
