//! Likely duplicates of accounts and contacts, offline: on entry (before or after a
//! record is saved) and over the whole device. The rules are crm-core's; the store
//! finds the candidates through its blocking keys.

use crate::views::{DuplicateCandidate, DuplicatePair};
use crate::{Client, ClientError};
use crm_core::{Code, FieldValue, Problem, Record, RecordId, RecordType};
use std::collections::BTreeMap;

fn only_people_and_companies(record_type: RecordType) -> Result<(), ClientError> {
    match record_type {
        RecordType::Account | RecordType::Contact => Ok(()),
        other => Err(ClientError::Invalid(Problem::new(Code::WrongType).param("id", other).param("type", "account"))),
    }
}

impl Client {
    /// The records likely to be the same as one about to be entered with `fields`.
    pub fn duplicates_for(
        &self,
        record_type: RecordType,
        fields: &BTreeMap<String, FieldValue>,
    ) -> Result<Vec<DuplicateCandidate>, ClientError> {
        only_people_and_companies(record_type)?;
        let mut record = Record::new(RecordId(uuid::Uuid::nil()), record_type);
        record.fields = fields.clone();
        self.candidates(&crm_core::normalize_record(&record))
    }

    /// The records likely to be the same as the stored record `id`.
    pub fn duplicates_of(&self, id: &str) -> Result<Vec<DuplicateCandidate>, ClientError> {
        let stored = self
            .with_store(|s| Ok(s.get_record(id)?))?
            .ok_or_else(|| ClientError::Invalid(Problem::new(Code::NotFound).param("id", id)))?;
        only_people_and_companies(stored.record.record_type)?;
        self.candidates(&stored.record)
    }

    fn candidates(&self, record: &Record) -> Result<Vec<DuplicateCandidate>, ClientError> {
        let found = self.with_store(|s| Ok(s.duplicates_of(record)?))?;
        Ok(found
            .into_iter()
            .map(|(other, m)| DuplicateCandidate {
                id: other.record.id.to_string(),
                name: other.record.label(),
                detail: self.detail(&other.record),
                score: m.score,
                reasons: m.reasons,
            })
            .collect())
    }

    /// The city of an account, the company of a contact.
    fn detail(&self, record: &Record) -> Option<String> {
        match record.record_type {
            RecordType::Contact => {
                let account_id = record.text("account")?;
                let account = self.with_store(|s| Ok(s.get_record(account_id)?)).ok().flatten()?;
                Some(account.record.label())
            }
            _ => record.text("city").map(str::to_string),
        }
    }

    /// Every pair of likely duplicates of accounts or contacts on this device, best first.
    pub fn duplicate_pairs(&self, record_type: RecordType) -> Result<Vec<DuplicatePair>, ClientError> {
        only_people_and_companies(record_type)?;
        let pairs = self.with_store(|s| Ok(s.duplicate_pairs(record_type)?))?;
        let name =
            |id: &str| self.get(id).ok().map(|r| r.text("name").unwrap_or_default().to_string()).unwrap_or_default();
        Ok(pairs
            .into_iter()
            .map(|(a, b, m)| DuplicatePair {
                a_name: name(&a),
                b_name: name(&b),
                a,
                b,
                score: m.score,
                reasons: m.reasons,
            })
            .collect())
    }

    /// The likely duplicates the server finds among every record of the type the user
    /// may read (a manager's whole team, the office's whole base): needs the network and
    /// a role that may merge.
    pub async fn server_duplicate_pairs(&self, record_type: RecordType) -> Result<Vec<DuplicatePair>, ClientError> {
        only_people_and_companies(record_type)?;
        let (server, token) = self.session()?;
        let kind = if record_type == RecordType::Account { "accounts" } else { "contacts" };
        let url = format!("{}/v1/duplicates/{kind}", server.trim_end_matches('/'));
        let bytes = self.send(&server, &token, self.inner.http.get(url)).await?;
        let pairs: Vec<crm_protocol::ServerDuplicate> =
            serde_json::from_slice(&bytes).map_err(|e| ClientError::unexpected(&server, e))?;
        Ok(pairs
            .into_iter()
            .map(|p| DuplicatePair {
                a: p.a,
                b: p.b,
                a_name: p.a_name,
                b_name: p.b_name,
                score: p.score,
                reasons: p.reasons,
            })
            .collect())
    }
}
