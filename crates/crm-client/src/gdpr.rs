//! RGPD: everything this device holds on a person, as one file.

use crate::views::{AnyRecord, ContactView, Rec, kind};
use crate::{Client, ClientError};
use crm_core::RecordType;
use serde_json::{Value, json};

impl Client {
    /// A contact's page: the contact, their account's name, and their own timeline (the
    /// activities that name them, newest first).
    pub fn contact_view(&self, contact_id: &str) -> Result<ContactView, ClientError> {
        let contact: Rec<kind::Contact> = self.require(contact_id, RecordType::Contact)?;
        let account = contact.text("account").unwrap_or_default();
        let mut timeline: Vec<Rec<kind::Activity>> = self
            .list_for_account(account, RecordType::Activity)?
            .into_iter()
            .filter(|a| a["contacts"].as_array().is_some_and(|c| c.iter().any(|v| v == contact_id)))
            .map(Rec::cast)
            .collect();
        timeline.sort_by(|a, b| b.text("at").cmp(&a.text("at")));
        Ok(ContactView {
            account_name: self.get(account).ok().and_then(|a| a.text("name").map(str::to_string)),
            timeline,
            contact,
        })
    }

    /// The contact, their account, and every activity that names them (as a contact or in
    /// its text), as one JSON document to hand to the person.
    pub fn gdpr_export(&self, contact_id: &str) -> Result<Value, ClientError> {
        let contact = self.get(contact_id)?;
        if contact["type"] != "contact" {
            return Err(ClientError::wrong_type(contact_id, crm_core::RecordType::Contact));
        }
        let account = contact["account"].as_str().and_then(|a| self.get(a).ok());
        let name = contact["name"].as_str().unwrap_or_default().to_lowercase();
        let email = contact["email"].as_str().map(str::to_lowercase);
        let mentions = |a: &AnyRecord| {
            let in_contacts = a["contacts"].as_array().is_some_and(|c| c.iter().any(|v| v == contact_id));
            let text =
                format!("{} {}", a["subject"].as_str().unwrap_or(""), a["body"].as_str().unwrap_or("")).to_lowercase();
            in_contacts
                || (!name.is_empty() && text.contains(&name))
                || email.as_ref().is_some_and(|e| text.contains(e))
        };
        let activities: Vec<AnyRecord> = self.list(RecordType::Activity)?.into_iter().filter(mentions).collect();
        Ok(json!({
            "exported_at": chrono::Utc::now().to_rfc3339(),
            "scope": "everything this device holds on the person",
            "contact": contact,
            "account": account,
            "activities": activities,
        }))
    }
}
