//! A record as the rest of the system sees it: a type, an id, and named field values.

use crate::{RecordId, RecordType};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of one field. Short fields and long texts are strings; sets (tags, the
/// contacts of an activity) are sorted lists of distinct strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(untagged)]
pub enum FieldValue {
    Text(String),
    Set(Vec<String>),
}

impl FieldValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            FieldValue::Text(s) => Some(s),
            FieldValue::Set(_) => None,
        }
    }
}

impl From<&str> for FieldValue {
    fn from(s: &str) -> Self {
        FieldValue::Text(s.to_string())
    }
}

impl From<String> for FieldValue {
    fn from(s: String) -> Self {
        FieldValue::Text(s)
    }
}

/// One record: its fields by name. Absent fields are simply not in the map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: RecordId,
    #[serde(rename = "type")]
    pub record_type: RecordType,
    pub fields: BTreeMap<String, FieldValue>,
}

impl Record {
    pub fn new(id: RecordId, record_type: RecordType) -> Record {
        Record { id, record_type, fields: BTreeMap::new() }
    }

    /// The text of a field, or `None` when it is absent or empty.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.fields.get(field).and_then(FieldValue::as_str).filter(|s| !s.is_empty())
    }

    /// The items of a set field (empty when absent).
    pub fn set(&self, field: &str) -> &[String] {
        match self.fields.get(field) {
            Some(FieldValue::Set(items)) => items,
            _ => &[],
        }
    }

    /// The account this record hangs from: itself for an account, none for a product.
    pub fn account_id(&self) -> Option<String> {
        match self.record_type {
            RecordType::Account => Some(self.id.to_string()),
            _ => self.text("account").map(str::to_string),
        }
    }

    /// Deleted records keep their document (so the deletion syncs and merges) but are
    /// no longer listed, searched or shown.
    /// The record as the front ends, `--json` and the REST API show it: `id`, `type`, then
    /// each field (a text, or a list for a set field).
    pub fn json_fields(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        map.insert("id".into(), self.id.to_string().into());
        map.insert("type".into(), self.record_type.as_str().into());
        for (name, value) in &self.fields {
            let v = match value {
                FieldValue::Text(t) => serde_json::Value::String(t.clone()),
                FieldValue::Set(items) => items.iter().cloned().map(serde_json::Value::String).collect(),
            };
            map.insert(name.clone(), v);
        }
        map
    }

    pub fn is_deleted(&self) -> bool {
        self.text(crate::DELETED_FIELD) == Some("yes")
    }

    /// A one-line label for lists and search results.
    pub fn label(&self) -> String {
        match self.text(self.record_type.label_field()) {
            Some(s) => s.to_string(),
            None => self.text("body").map(|b| b.chars().take(80).collect()).unwrap_or_default(),
        }
    }

    /// The date that orders the record in timelines and agendas.
    pub fn date(&self) -> Option<&str> {
        let key = match self.record_type {
            RecordType::Activity => "at",
            RecordType::Event | RecordType::Contract => "start",
            RecordType::Task => "due",
            RecordType::Deal => "expected_close",
            _ => return None,
        };
        self.text(key)
    }
}
