//! What needs the user's eye after a sync: the changes the server refused (with what
//! was typed) and the fields in conflict (with who wrote each value).

use crate::views::{ConflictValue, OpenConflict, Refused};
use crate::{Client, ClientError};
use crm_core::{Code, Problem, RecordType};

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// The reason of a refusal from a server that sent only a code and English words.
fn problem_of(rejection: &crm_store::RejectedChange) -> Problem {
    if let Some(problem) = &rejection.problem {
        return problem.clone();
    }
    let detail = |code: Code| Problem::new(code).param("detail", &rejection.reason);
    match rejection.code.as_str() {
        "forbidden" => Problem::new(Code::MayNotChange),
        "invalid" => detail(Code::RecordInvalid),
        "malformed" => detail(Code::ChangeMalformed),
        "too_large" => detail(Code::ChangeTooLarge),
        _ => detail(Code::ServerRefused),
    }
}

impl Client {
    /// The changes the server refused, newest first, with what they held.
    pub fn refused_changes(&self) -> Result<Vec<Refused>, ClientError> {
        let refused = self.with_store(|s| Ok(s.refused_changes()?))?;
        Ok(refused
            .into_iter()
            .map(|r| {
                let current = self.get(&r.rejection.doc_id).ok();
                let typed = |k: &str| match r.fields.get(k) {
                    Some(Some(crm_core::FieldValue::Text(t))) => Some(t.clone()),
                    _ => None,
                };
                let label_field = r.record_type.map(RecordType::label_field);
                let label = label_field
                    .and_then(typed)
                    .or_else(|| current.as_ref().and_then(|c| c.text(label_field?).map(str::to_string)));
                Refused {
                    change: r.rejection.hash.clone(),
                    record_id: r.rejection.doc_id.clone(),
                    record_type: r.record_type,
                    label,
                    problem: problem_of(&r.rejection),
                    refused_at: rfc3339(r.at_ms),
                    made_at: r.made_at_ms.map(rfc3339),
                    fields: r.fields,
                    on_device: current.is_some(),
                }
            })
            .collect())
    }

    /// Forgets a refused change the user has dealt with. Answers whether there was one.
    pub fn dismiss_refused(&self, change: &str) -> Result<bool, ClientError> {
        self.with_store(|s| Ok(s.dismiss_rejection(change)?))
    }

    /// Every field in conflict on this device, with who wrote each value (from the
    /// record's history; names from the directory this device keeps: no request).
    pub async fn open_conflicts(&self) -> Result<Vec<OpenConflict>, ClientError> {
        let records = self.with_store(|s| Ok(s.in_conflict()?))?;
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for stored in records {
            let id = stored.record.id.to_string();
            let history = self.history_with(&id, false).await.unwrap_or_default();
            for conflict in &stored.conflicts {
                let values = std::iter::once((conflict.value.clone(), true))
                    .chain(conflict.others.iter().map(|o| (o.clone(), false)))
                    .map(|(value, kept)| {
                        // The latest change that wrote this value.
                        let entry = history.iter().rev().find(|e| {
                            matches!(e.fields.get(&conflict.field), Some(Some(crm_core::FieldValue::Text(t))) if *t == value)
                        });
                        ConflictValue {
                            kept,
                            author: entry.map(|e| e.author.clone()),
                            at: entry.map(|e| e.at.clone()),
                            device: entry.map(|e| e.device.clone()),
                            value,
                        }
                    })
                    .collect();
                out.push(OpenConflict {
                    record_id: id.clone(),
                    record_type: stored.record.record_type,
                    label: stored.record.label(),
                    field: conflict.field.clone(),
                    values,
                });
            }
        }
        Ok(out)
    }
}
