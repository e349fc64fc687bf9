//! [`RecordDoc`]: one record's Automerge document and the operations on it.

use crate::Conflict;
use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, Change, ChangeHash, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use crm_core::{FieldKind, FieldValue, Record, RecordId, RecordType, all_fields, schema, validate_field};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("the record's document is damaged or not a CRM record: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Invalid(#[from] crm_core::ValidationError),
    #[error("{0}")]
    Automerge(#[from] automerge::AutomergeError),
}

/// The stable Automerge actor of one device: the device's id bytes. Using it for every
/// write keeps history compact (one actor per device) and makes the author of each
/// change traceable to a device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceActor(pub ActorId);

impl DeviceActor {
    pub fn from_device_id(device_id: &uuid::Uuid) -> DeviceActor {
        DeviceActor(ActorId::from(device_id.as_bytes().as_slice()))
    }
}

/// The fields to change in one user action: `Some` sets a value, `None` clears it.
pub type Edit = BTreeMap<String, Option<FieldValue>>;

pub struct RecordDoc {
    pub(crate) doc: AutoCommit,
}

const TYPE_KEY: &str = "_type";
const ID_KEY: &str = "_id";

impl RecordDoc {
    /// Creates the document of a new record. Every long-text and set field gets its
    /// object now, so that two devices never create the same field's object twice.
    pub fn create(actor: &DeviceActor, record: &Record, unix_ms: i64) -> Result<RecordDoc, DocError> {
        let record = &crm_core::normalize_record(record);
        crm_core::validate(record)?;
        let mut doc = AutoCommit::new().with_actor(actor.0.clone());
        doc.put(ROOT, TYPE_KEY, record.record_type.as_str())?;
        doc.put(ROOT, ID_KEY, record.id.to_string())?;
        for spec in schema(record.record_type) {
            match spec.kind {
                FieldKind::LongText => {
                    doc.put_object(ROOT, spec.name, ObjType::Text)?;
                }
                FieldKind::Set => {
                    doc.put_object(ROOT, spec.name, ObjType::Map)?;
                }
                FieldKind::Short => {}
            }
        }
        let mut this = RecordDoc { doc };
        let edit: Edit = record.fields.iter().map(|(k, v)| (k.clone(), Some(v.clone()))).collect();
        this.write_fields(record.record_type, &edit)?;
        this.doc.commit_with(CommitOptions::default().with_time(unix_ms));
        Ok(this)
    }

    /// Loads a stored document and makes the device's actor the writer.
    pub fn load(bytes: &[u8], actor: &DeviceActor) -> Result<RecordDoc, DocError> {
        let doc = AutoCommit::load(bytes).map_err(|e| DocError::Corrupt(e.to_string()))?;
        Ok(RecordDoc { doc: doc.with_actor(actor.0.clone()) })
    }

    /// An empty document, to receive a record's changes from elsewhere.
    pub fn empty(actor: &DeviceActor) -> RecordDoc {
        RecordDoc { doc: AutoCommit::new().with_actor(actor.0.clone()) }
    }

    pub fn record_type(&self) -> Result<RecordType, DocError> {
        let text = self.root_string(TYPE_KEY).ok_or_else(|| DocError::Corrupt("no record type".into()))?;
        text.parse::<RecordType>().map_err(DocError::Corrupt)
    }

    pub fn record_id(&self) -> Result<RecordId, DocError> {
        let text = self.root_string(ID_KEY).ok_or_else(|| DocError::Corrupt("no record id".into()))?;
        text.parse::<RecordId>().map_err(|p| DocError::Corrupt(p.to_string()))
    }

    /// Applies one user action as one Automerge change and returns it (or `None` when
    /// the action changed nothing). The result is validated before it is kept.
    pub fn edit(&mut self, edit: &Edit, unix_ms: i64) -> Result<Option<Change>, DocError> {
        let record_type = self.record_type()?;
        let edit: Edit = edit
            .iter()
            .map(|(name, value)| (name.clone(), value.clone().map(|v| crm_core::normalize(name, v))))
            .collect();
        let edit = &edit;
        for (name, value) in edit {
            if let Some(value) = value {
                validate_field(record_type, name, value)?;
            } else {
                validate_field(record_type, name, &empty_value(record_type, name))?;
            }
        }
        let before = self.doc.get_heads();
        self.write_fields(record_type, edit)?;
        let after = self.read()?;
        if let Err(e) = crm_core::validate(&after) {
            self.doc.rollback();
            return Err(e.into());
        }
        let Some(hash) = self.doc.commit_with(CommitOptions::default().with_time(unix_ms)) else {
            return Ok(None);
        };
        debug_assert!(!before.contains(&hash));
        Ok(self.doc.get_change_by_hash(&hash))
    }

    fn write_fields(&mut self, record_type: RecordType, edit: &Edit) -> Result<(), DocError> {
        for (name, value) in edit {
            let spec = all_fields(record_type)
                .find(|s| s.name == name)
                .ok_or_else(|| DocError::Corrupt(format!("unknown field {name}")))?;
            match (spec.kind, value) {
                (FieldKind::Short, Some(FieldValue::Text(text))) if !text.is_empty() => {
                    // Writing the same value again would still be a change and would
                    // close a conflict the user has not looked at; skip it unless the
                    // field is in conflict (then the write is the user's resolution).
                    let current = self.doc.get_all(ROOT, name.as_str())?;
                    let same = current.len() == 1 && scalar_string(&current[0].0).as_deref() == Some(text);
                    if !same {
                        self.doc.put(ROOT, name.as_str(), text.as_str())?;
                    }
                }
                (FieldKind::Short, _) => {
                    if self.doc.get(ROOT, name.as_str())?.is_some() {
                        self.doc.delete(ROOT, name.as_str())?;
                    }
                }
                (FieldKind::LongText, value) => {
                    let text = value.as_ref().and_then(FieldValue::as_str).unwrap_or("");
                    let obj = self.object(name, ObjType::Text)?;
                    self.doc.update_text(&obj, text)?;
                }
                (FieldKind::Set, value) => {
                    let wanted: Vec<String> = match value {
                        Some(FieldValue::Set(items)) => items.clone(),
                        Some(FieldValue::Text(t)) if !t.is_empty() => vec![t.clone()],
                        _ => Vec::new(),
                    };
                    let obj = self.object(name, ObjType::Map)?;
                    let present: Vec<String> = self.doc.keys(&obj).collect();
                    for item in &present {
                        if !wanted.contains(item) {
                            self.doc.delete(&obj, item.as_str())?;
                        }
                    }
                    for item in &wanted {
                        if !present.contains(item) {
                            self.doc.put(&obj, item.as_str(), true)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The object of a long-text or set field, created if an older document lacks it.
    fn object(&mut self, name: &str, kind: ObjType) -> Result<automerge::ObjId, DocError> {
        match self.doc.get(ROOT, name)? {
            Some((Value::Object(k), id)) if k == kind => Ok(id),
            _ => Ok(self.doc.put_object(ROOT, name, kind)?),
        }
    }

    /// The record as every replica with the same changes sees it.
    pub fn read(&self) -> Result<Record, DocError> {
        let record_type = self.record_type()?;
        let mut record = Record::new(self.record_id()?, record_type);
        for spec in all_fields(record_type) {
            let value = match self.doc.get(ROOT, spec.name)? {
                None => continue,
                Some((Value::Scalar(s), _)) => match scalar_to_string(&s) {
                    Some(text) => FieldValue::Text(text),
                    None => continue,
                },
                Some((Value::Object(ObjType::Text), obj)) => {
                    let text = self.doc.text(&obj)?;
                    if text.is_empty() {
                        continue;
                    }
                    FieldValue::Text(text)
                }
                Some((Value::Object(ObjType::Map), obj)) => {
                    let items: Vec<String> = self.doc.keys(&obj).collect();
                    if items.is_empty() {
                        continue;
                    }
                    FieldValue::Set(items)
                }
                Some((Value::Object(_), _)) => continue,
            };
            record.fields.insert(spec.name.to_string(), value);
        }
        Ok(record)
    }

    /// The fields whose values do not have the shape this product writes (text for a
    /// short field, an Automerge text for a long one, a map for a set): what a document
    /// written by something else may hold. `read` is lenient with them; the server
    /// refuses a push that introduces one.
    pub fn shape_errors(&self) -> Result<Vec<String>, DocError> {
        let record_type = self.record_type()?;
        let mut errors = Vec::new();
        for spec in all_fields(record_type) {
            for (value, _) in self.doc.get_all(ROOT, spec.name)? {
                let (ok, expected) = match spec.kind {
                    FieldKind::Short => {
                        (matches!(&value, Value::Scalar(s) if matches!(s.as_ref(), ScalarValue::Str(_))), "text")
                    }
                    FieldKind::LongText => (matches!(value, Value::Object(ObjType::Text)), "a long text"),
                    FieldKind::Set => (matches!(value, Value::Object(ObjType::Map)), "a set of values"),
                };
                if !ok {
                    errors.push(format!("{}: expected {expected}", spec.name));
                }
            }
        }
        Ok(errors)
    }

    /// The short fields written concurrently by several devices, with the winning value
    /// and the others.
    pub fn conflicts(&self) -> Result<Vec<Conflict>, DocError> {
        let record_type = self.record_type()?;
        let mut out = Vec::new();
        for spec in all_fields(record_type).filter(|s| s.kind == FieldKind::Short) {
            let all = self.doc.get_all(ROOT, spec.name)?;
            if all.len() < 2 {
                continue;
            }
            let winner = self.doc.get(ROOT, spec.name)?.map(|(v, _)| v);
            let winner_text = winner.as_ref().and_then(scalar_string).unwrap_or_default();
            let winner_id = self.doc.get(ROOT, spec.name)?.map(|(_, id)| id);
            let mut others: Vec<String> = all
                .iter()
                .filter(|(_, id)| Some(id) != winner_id.as_ref())
                .filter_map(|(v, _)| scalar_string(v))
                .filter(|v| *v != winner_text)
                .collect();
            others.dedup();
            // Two devices writing the same value is agreement, not a conflict.
            if !others.is_empty() {
                out.push(Conflict { field: spec.name.to_string(), value: winner_text, others });
            }
        }
        Ok(out)
    }

    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// The heads as stored in databases: hex hashes, comma-separated.
    pub fn heads_text(&mut self) -> String {
        self.heads().iter().map(|h| h.to_string()).collect::<Vec<_>>().join(",")
    }

    /// Every change of the document, oldest first (to re-send a record whole).
    pub fn all_changes(&mut self) -> Vec<Change> {
        self.doc.get_changes(&[])
    }

    pub fn has_change(&mut self, hash: &ChangeHash) -> bool {
        self.doc.get_change_by_hash(hash).is_some()
    }

    /// Merges changes received from elsewhere. Changes whose dependencies are missing
    /// are reported by [`RecordDoc::missing_deps`] afterwards.
    pub fn apply_changes(&mut self, changes: Vec<Change>) -> Result<(), DocError> {
        self.doc.apply_changes(changes)?;
        Ok(())
    }

    /// Merges a saved document (a snapshot) into this one.
    pub fn merge_snapshot(&mut self, bytes: &[u8]) -> Result<(), DocError> {
        self.doc.load_incremental(bytes).map_err(|e| DocError::Corrupt(e.to_string()))?;
        Ok(())
    }

    /// Hashes that some received change depends on but this document does not have.
    pub fn missing_deps(&mut self) -> Vec<ChangeHash> {
        self.doc.get_missing_deps(&[])
    }

    pub(crate) fn fork_at(&mut self, heads: &[ChangeHash]) -> Result<AutoCommit, DocError> {
        Ok(self.doc.fork_at(heads)?)
    }

    pub(crate) fn from_autocommit(doc: AutoCommit) -> RecordDoc {
        RecordDoc { doc }
    }

    fn root_string(&self, key: &str) -> Option<String> {
        match self.doc.get(ROOT, key).ok().flatten() {
            Some((v, _)) => scalar_string(&v),
            None => None,
        }
    }
}

fn empty_value(record_type: RecordType, name: &str) -> FieldValue {
    match all_fields(record_type).find(|s| s.name == name).map(|s| s.kind) {
        Some(FieldKind::Set) => FieldValue::Set(Vec::new()),
        _ => FieldValue::Text(String::new()),
    }
}

fn scalar_string(value: &Value<'_>) -> Option<String> {
    match value {
        Value::Scalar(s) => scalar_to_string(s),
        Value::Object(_) => None,
    }
}

fn scalar_to_string(value: &ScalarValue) -> Option<String> {
    match value {
        ScalarValue::Str(s) => Some(s.to_string()),
        ScalarValue::Int(i) => Some(i.to_string()),
        ScalarValue::Uint(i) => Some(i.to_string()),
        ScalarValue::F64(f) => Some(f.to_string()),
        ScalarValue::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
