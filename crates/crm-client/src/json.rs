//! Records as the front ends see them: one flat JSON object per record.

use crm_core::FieldValue;
use crm_store::StoredRecord;
use serde_json::{Map, Value, json};

/// `{ "id", "type", <field>: value…, "conflicts": [...] }`
pub fn record_json(stored: &StoredRecord) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), json!(stored.record.id.to_string()));
    map.insert("type".into(), json!(stored.record.record_type.as_str()));
    for (name, value) in &stored.record.fields {
        let v = match value {
            FieldValue::Text(t) => json!(t),
            FieldValue::Set(items) => json!(items),
        };
        map.insert(name.clone(), v);
    }
    map.insert("conflicts".into(), json!(stored.conflicts));
    Value::Object(map)
}

/// Field changes from a front end's JSON object: a string sets a field, a list of
/// strings sets a set field, `null` clears.
pub fn edit_from_json(fields: &Map<String, Value>) -> Result<crm_doc::Edit, crate::ClientError> {
    let mut edit = crm_doc::Edit::new();
    for (name, value) in fields {
        let v = match value {
            Value::Null => None,
            Value::String(s) => Some(FieldValue::Text(s.clone())),
            Value::Array(items) => Some(FieldValue::Set(
                items.iter().map(|i| i.as_str().map(str::to_string)).collect::<Option<Vec<_>>>().ok_or_else(|| {
                    crate::ClientError::Invalid(crm_core::Problem::new(crm_core::Code::ListExpected).field(name))
                })?,
            )),
            other => Some(FieldValue::Text(other.to_string())),
        };
        edit.insert(name.clone(), v);
    }
    Ok(edit)
}
