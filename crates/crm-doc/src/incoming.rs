//! What a change received from elsewhere may do to a record's document: exactly what
//! this product writes, operation by operation.
//!
//! Reading the merged record is not enough: a change can put a value and remove it
//! again, or overwrite it, and the value stays in the document's history, stored and
//! sent to everyone who reads the record. So every operation of every incoming change
//! is checked against the record's schema: at the root, only `_type`, `_id` and the
//! schema's fields, each with the shape of its kind (text for a short field, a text
//! object for a long text, a map for a set); inside a long text, characters inserted and
//! deleted; inside a set, items marked present or removed. Nothing else: no object the
//! schema does not have, no nested object, no counter, no mark, no value longer than its
//! field allows.

use crate::RecordDoc;
use automerge::legacy::{Key, ObjectId, OpType};
use automerge::{ActorId, Change, ObjType, ROOT, ReadDoc, ScalarValue};
use crm_core::{FieldKind, FieldSpec, RecordType, all_fields, max_chars};
use std::collections::HashMap;

const TYPE_KEY: &str = "_type";
const ID_KEY: &str = "_id";

/// Checks every operation of `changes` (in causal order) against the schema of record
/// `doc_id`, whose stored document is `stored` (absent for a new record). Returns the
/// record's type, or what is wrong in plain words.
pub fn check_changes(stored: Option<&RecordDoc>, doc_id: uuid::Uuid, changes: &[Change]) -> Result<RecordType, String> {
    // A stored record's type is known; a new record's is the first thing its first
    // change says (our clients write `_type` first), so every operation after it is
    // checked against the right schema in one pass.
    let mut record_type = match stored {
        Some(doc) => Some(doc.record_type().map_err(|e| e.to_string())?),
        None => None,
    };
    // The objects of the record's long texts and sets, by the operation that made them.
    let mut objects: HashMap<(u64, ActorId), &'static FieldSpec> = HashMap::new();
    if let (Some(doc), Some(record_type)) = (stored, record_type) {
        for spec in all_fields(record_type).filter(|s| s.kind != FieldKind::Short) {
            for (_, id) in doc.doc.get_all(ROOT, spec.name).map_err(|e| e.to_string())? {
                if let automerge::ObjId::Id(counter, actor, _) = id {
                    objects.insert((counter, actor), spec);
                }
            }
        }
    }
    let id_text = doc_id.to_string();
    for change in changes {
        // Automerge's own decoding unwraps indices it trusts (an operation naming an
        // actor the change does not list): a damaged change is refused, never a panic.
        let expanded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| change.decode()))
            .map_err(|_| "the change names an actor or object it does not carry".to_string())?;
        for (i, op) in expanded.operations.iter().enumerate() {
            let record_type = match record_type {
                Some(t) => t,
                None => {
                    let t = declared_type(&op.obj, &op.key, &op.action)?;
                    record_type = Some(t);
                    t
                }
            };
            let op_id = (expanded.start_op.get() + i as u64, expanded.actor_id.clone());
            match &op.obj {
                ObjectId::Root => {
                    let Key::Map(name) = &op.key else { return Err("the record's root is not a list".into()) };
                    let made = root_op(record_type, &id_text, name, &op.action, op.insert)?;
                    if let Some(spec) = made {
                        objects.insert(op_id, spec);
                    }
                }
                ObjectId::Id(object) => {
                    let spec = objects
                        .get(&(object.0, object.1.clone()))
                        .ok_or_else(|| "the change writes into an object this record does not have".to_string())?;
                    inner_op(spec, &op.key, &op.action, op.insert)?;
                }
            }
        }
    }
    record_type.ok_or_else(|| "the first change of a record must give its type".to_string())
}

/// The type a new record's first operation gives it.
fn declared_type(obj: &ObjectId, key: &Key, action: &OpType) -> Result<RecordType, String> {
    match (obj, key, action) {
        (ObjectId::Root, Key::Map(name), OpType::Put(ScalarValue::Str(t))) if name.as_str() == TYPE_KEY => t.parse(),
        _ => Err("the first change of a record must give its type first".into()),
    }
}

/// Checks one operation on the root map; returns the field whose object it makes.
fn root_op(
    record_type: RecordType,
    id: &str,
    name: &str,
    action: &OpType,
    insert: bool,
) -> Result<Option<&'static FieldSpec>, String> {
    if insert {
        return Err("the record's root is not a list".into());
    }
    match (name, action) {
        (TYPE_KEY, OpType::Put(ScalarValue::Str(t))) if t.as_str() == record_type.as_str() => return Ok(None),
        (ID_KEY, OpType::Put(ScalarValue::Str(t))) if t.as_str() == id => return Ok(None),
        (TYPE_KEY | ID_KEY, _) => return Err(format!("`{name}` may not change: a record keeps its type and id")),
        _ => {}
    }
    let spec = all_fields(record_type)
        .find(|s| s.name == name)
        .ok_or_else(|| format!("a {record_type} has no field `{}`", shown(name)))?;
    match (spec.kind, action) {
        (FieldKind::Short, OpType::Put(ScalarValue::Str(text))) => {
            let max = max_chars(record_type, name);
            if text.chars().count() > max {
                return Err(format!("{name}: at most {max} characters"));
            }
            Ok(None)
        }
        (FieldKind::Short, OpType::Delete) => Ok(None),
        (FieldKind::LongText, OpType::Make(ObjType::Text)) | (FieldKind::Set, OpType::Make(ObjType::Map)) => {
            Ok(Some(spec))
        }
        _ => Err(format!("{name}: not written the way this CRM writes a {}", kind_name(spec.kind))),
    }
}

/// Checks one operation inside the object of a long text or a set.
fn inner_op(spec: &FieldSpec, key: &Key, action: &OpType, insert: bool) -> Result<(), String> {
    let name = spec.name;
    let ok = match (spec.kind, key, action) {
        // A long text: characters inserted, characters deleted.
        (FieldKind::LongText, Key::Seq(_), OpType::Put(ScalarValue::Str(s))) => insert && s.chars().count() <= 16,
        (FieldKind::LongText, Key::Seq(_), OpType::Delete) => !insert,
        // A set: items marked present, items removed.
        (FieldKind::Set, Key::Map(item), OpType::Put(ScalarValue::Boolean(true))) => {
            !insert && item.chars().count() <= crm_core::MAX_SET_ITEM_CHARS
        }
        (FieldKind::Set, Key::Map(_), OpType::Delete) => !insert,
        _ => false,
    };
    if ok { Ok(()) } else { Err(format!("{name}: not written the way this CRM writes a {}", kind_name(spec.kind))) }
}

fn kind_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Short => "field",
        FieldKind::LongText => "long text",
        FieldKind::Set => "set of values",
    }
}

/// A key as shown in a message: at most 40 characters of it.
fn shown(name: &str) -> String {
    let short: String = name.chars().take(40).collect();
    if short.len() < name.len() { format!("{short}…") } else { short }
}

#[cfg(test)]
mod tests;
