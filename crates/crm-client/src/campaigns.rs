//! E-mailing campaigns: written and previewed offline (who receives it, who is left out
//! and why: no e-mail, no consent), sent by the server over SMTP when the marketing
//! user is online (`POST /v1/campaigns/{id}/send`).

use crate::views::{Rec, kind, record_json};
use crate::{Client, ClientError};
use crm_core::campaigns::{Excluded, account_matches, parse_segment, recipient};
use crm_core::{Code, FieldValue, Problem, RecordType};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// One person a campaign goes to.
#[derive(Clone, Debug, Serialize, TS)]
pub struct Recipient {
    pub contact: String,
    pub name: String,
    pub email: String,
    pub account_name: String,
}

/// Who a campaign reaches, as this device sees it.
#[derive(Clone, Debug, Serialize, TS)]
pub struct CampaignPreview {
    pub campaign: Rec<kind::Any>,
    pub accounts: usize,
    pub recipients: Vec<Recipient>,
    /// Contacts of the segment without e-mail consent « yes »: never mailed.
    pub excluded_no_consent: usize,
    pub excluded_no_email: usize,
}

pub use crm_protocol::CampaignSent as SendReport;

impl Client {
    /// A draft campaign: its segment is checked now.
    pub fn add_campaign(&self, name: &str, segment: &str, subject: &str, body: &str) -> Result<Rec, ClientError> {
        parse_segment(segment)?;
        let mut fields: BTreeMap<String, FieldValue> = BTreeMap::new();
        for (k, v) in [("name", name), ("segment", segment), ("subject", subject), ("body", body), ("status", "draft")]
        {
            fields.insert(k.into(), FieldValue::Text(v.into()));
        }
        fields.insert("channel".into(), FieldValue::Text("email".into()));
        self.create(RecordType::Campaign, fields)
    }

    /// The campaign's recipients and those left out, from the accounts and contacts on
    /// this device.
    pub fn campaign_preview(&self, id: &str) -> Result<CampaignPreview, ClientError> {
        let campaign = self.stored_of_type(id, RecordType::Campaign)?;
        let segment = parse_segment(campaign.record.text("segment").unwrap_or_default())?;
        let accounts: HashMap<String, String> = self
            .with_store(|s| Ok(s.list(RecordType::Account)?))?
            .into_iter()
            .filter(|a| !a.record.is_deleted() && account_matches(&a.record, &segment))
            .map(|a| (a.record.id.to_string(), a.record.label()))
            .collect();
        let mut preview = CampaignPreview {
            campaign: record_json(&campaign),
            accounts: accounts.len(),
            recipients: Vec::new(),
            excluded_no_consent: 0,
            excluded_no_email: 0,
        };
        for c in self.with_store(|s| Ok(s.list(RecordType::Contact)?))? {
            let Some(account_name) = c.record.text("account").and_then(|a| accounts.get(a)) else { continue };
            if c.record.is_deleted() {
                continue;
            }
            match recipient(&c.record) {
                Ok(email) => preview.recipients.push(Recipient {
                    contact: c.record.id.to_string(),
                    name: c.record.label(),
                    email: email.to_string(),
                    account_name: account_name.clone(),
                }),
                Err(Excluded::NoConsent) => preview.excluded_no_consent += 1,
                Err(Excluded::NoEmail) => preview.excluded_no_email += 1,
            }
        }
        preview.recipients.sort_by(|a, b| a.account_name.cmp(&b.account_name).then(a.name.cmp(&b.name)));
        Ok(preview)
    }

    /// Has the server send the campaign (synced first, so it has the latest text).
    pub async fn send_campaign(&self, id: &str) -> Result<SendReport, ClientError> {
        let campaign = self.stored_of_type(id, RecordType::Campaign)?;
        for field in ["subject", "body"] {
            if campaign.record.text(field).is_none() {
                return Err(ClientError::Invalid(
                    Problem::new(Code::CampaignIncomplete).field(field).param("type", RecordType::Campaign),
                ));
            }
        }
        if campaign.record.text("status") == Some("sent") {
            return Err(ClientError::Invalid(Problem::new(Code::CampaignSent)));
        }
        self.sync(|_| {}).await?;
        let (server, token) = self.session()?;
        let url = format!("{}/v1/campaigns/{id}/send", server.trim_end_matches('/'));
        let bytes = self.send(&server, &token, self.inner.http.post(url)).await?;
        let report: SendReport = serde_json::from_slice(&bytes).map_err(|e| ClientError::unexpected(&server, e))?;
        // The campaign's status and each e-mail in the timelines come back now.
        self.sync(|_| {}).await?;
        Ok(report)
    }
}
