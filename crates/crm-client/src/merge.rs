//! Merging two accounts or two contacts that are the same: the one kept takes the values
//! chosen from the other (and every value it lacks), every child moves to it (contacts,
//! activities, deals, contracts, quotes, events, tasks, tickets; a contact's place in
//! activities and tickets), and the other is deleted with `merged_into` naming the one
//! kept. Both documents keep their whole history; the kept one lists the merged one in
//! its `merged` set. Everything is one transaction and syncs like any edit; two devices
//! merging the same pair offline write the same values, which agree.

use crate::views::{AnyRecord, MergeReport};
use crate::{Client, ClientError, now_ms};
use crm_core::permissions::{Action, Scope};
use crm_core::{Code, FieldKind, FieldValue, Problem, RecordId, RecordType};
use crm_doc::Edit;

/// The record types that hang from an account by their `account` field.
const CHILDREN: [RecordType; 8] = [
    RecordType::Contact,
    RecordType::Activity,
    RecordType::Deal,
    RecordType::Contract,
    RecordType::Quote,
    RecordType::Event,
    RecordType::Task,
    RecordType::Ticket,
];

/// Fields a merge never copies from the other record.
const OWN: &[&str] = &["merged", "merged_into", crm_core::DELETED_FIELD];

impl Client {
    /// Merges record `other` into record `keep` (two accounts or two contacts). `take`
    /// names the fields whose value comes from `other`; `keep`'s other values stay, and
    /// its empty fields are filled from `other`.
    pub fn merge(&self, keep: &str, other: &str, take: &[String]) -> Result<MergeReport, ClientError> {
        let kept = self.get(keep)?;
        let gone = self.get(other)?;
        let type_of = |r: &AnyRecord| r["type"].as_str().and_then(|t| t.parse::<RecordType>().ok());
        let record_type = type_of(&kept).ok_or_else(|| ClientError::wrong_type(keep, RecordType::Account))?;
        if !matches!(record_type, RecordType::Account | RecordType::Contact) {
            return Err(ClientError::wrong_type(keep, RecordType::Account));
        }
        if type_of(&gone) != Some(record_type) {
            return Err(ClientError::wrong_type(other, record_type));
        }
        if keep == other {
            return Err(ClientError::Invalid(Problem::new(Code::MergeSame)));
        }
        if let Some(role) = self.role()?
            && crm_core::permissions::scope(role, record_type, Action::Delete) == Scope::None
        {
            return Err(ClientError::Forbidden(
                Problem::new(Code::MayNotMerge).param("role", role).param("type", record_type),
            ));
        }
        let (keep_id, other_id): (RecordId, RecordId) =
            (keep.parse().map_err(ClientError::Invalid)?, other.parse().map_err(ClientError::Invalid)?);
        // The kept record: chosen values, values it lacks, sets joined.
        let mut edit = Edit::new();
        for spec in crm_core::schema(record_type).iter().filter(|s| !OWN.contains(&s.name)) {
            let (mine, theirs) = (field(&kept, spec.name), field(&gone, spec.name));
            let Some(theirs) = theirs else { continue };
            let value = match (spec.kind, mine) {
                (FieldKind::Set, Some(FieldValue::Set(mut items))) => {
                    let FieldValue::Set(more) = theirs else { continue };
                    items.extend(more.into_iter().filter(|m| !items.contains(m)).collect::<Vec<_>>());
                    FieldValue::Set(items)
                }
                (_, None) => theirs,
                (_, Some(_)) if take.iter().any(|t| t == spec.name) => theirs,
                _ => continue,
            };
            if field(&kept, spec.name).as_ref() != Some(&value) {
                edit.insert(spec.name.to_string(), Some(value));
            }
        }
        for name in take {
            if !crm_core::schema(record_type).iter().any(|s| s.name == name) || OWN.contains(&name.as_str()) {
                return Err(ClientError::Invalid(
                    Problem::new(Code::UnknownField).param("field", name).param("type", record_type),
                ));
            }
        }
        let mut merged = match field(&kept, "merged") {
            Some(FieldValue::Set(items)) => items,
            _ => Vec::new(),
        };
        merged.push(other.to_string());
        edit.insert("merged".into(), Some(FieldValue::Set(merged)));
        let mut edits: Vec<(RecordId, Edit)> = vec![(keep_id, edit)];
        // The children.
        let mut moved = 0;
        let one = |field: &str, value: FieldValue| -> Edit { [(field.to_string(), Some(value))].into_iter().collect() };
        match record_type {
            RecordType::Account => {
                for child_type in CHILDREN {
                    for child in self.with_store(|s| Ok(s.list_for_account(other, child_type)?))? {
                        edits.push((child.record.id, one("account", FieldValue::from(keep))));
                        moved += 1;
                    }
                }
                for account in self.with_store(|s| Ok(s.list(RecordType::Account)?))? {
                    let mut e = Edit::new();
                    for f in ["parent", "distributor"] {
                        if account.record.text(f) == Some(other) {
                            e.insert(f.into(), Some(FieldValue::from(keep)));
                        }
                    }
                    if !e.is_empty() && account.record.id != keep_id {
                        edits.push((account.record.id, e));
                        moved += 1;
                    }
                }
            }
            _ => {
                let account = gone.text("account").unwrap_or_default().to_string();
                for activity in self
                    .with_store(|s| Ok(s.list_for_account(&account, RecordType::Activity)?))?
                    .into_iter()
                    .chain(match kept.text("account") {
                        Some(a) if a != account => {
                            self.with_store(|s| Ok(s.list_for_account(a, RecordType::Activity)?))?
                        }
                        _ => Vec::new(),
                    })
                {
                    if let Some(FieldValue::Set(items)) = activity.record.fields.get("contacts")
                        && items.iter().any(|i| i == other)
                    {
                        let mut items: Vec<String> = items.iter().filter(|i| *i != other).cloned().collect();
                        if !items.iter().any(|i| i == keep) {
                            items.push(keep.to_string());
                        }
                        edits.push((activity.record.id, one("contacts", FieldValue::Set(items))));
                        moved += 1;
                    }
                }
                for ticket in self.with_store(|s| Ok(s.find_by_field(RecordType::Ticket, "contact", other)?))? {
                    edits.push((ticket.record.id, one("contact", FieldValue::from(keep))));
                    moved += 1;
                }
            }
        }
        // The other record: deleted, naming the one it went into.
        let mut last = Edit::new();
        last.insert("merged_into".into(), Some(FieldValue::from(keep)));
        last.insert(crm_core::DELETED_FIELD.into(), Some(FieldValue::from("yes")));
        edits.push((other_id, last));
        self.with_store(|s| Ok(s.edit_records(&edits, now_ms())?))?;
        Ok(MergeReport { kept: self.get(keep)?, merged: other.to_string(), moved })
    }
}

fn field(record: &AnyRecord, name: &str) -> Option<FieldValue> {
    match &record[name] {
        serde_json::Value::String(s) if !s.is_empty() => Some(FieldValue::Text(s.clone())),
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect();
            (!items.is_empty()).then_some(FieldValue::Set(items))
        }
        _ => None,
    }
}
