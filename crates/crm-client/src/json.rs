//! Field changes as the front ends send them.

use crm_core::FieldValue;
use serde_json::{Map, Value};

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
