//! Marketing's leads, offline: scored by the company's rules (`crm_core::leads`, never
//! stored, so new rules re-score every lead), qualified and handed to a rep, and
//! converted into an account (reused when it is a likely duplicate), a contact and a
//! deal, the lead kept with what it became.

use crate::views::{Rec, kind, record_json};
use crate::{Client, ClientError, now_ms};
use chrono::{DateTime, Utc};
use crm_core::leads::{LeadScore, ScoreRule, rules_from_settings, score};
use crm_core::permissions::{Action, Scope, scope};
use crm_core::stages::SETTINGS_ID;
use crm_core::{Code, FieldValue, Problem, RecordId, RecordType};
use crm_store::StoredRecord;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// A lead with its score and the reasons for it.
#[derive(Clone, Debug, Serialize, TS)]
pub struct LeadView {
    pub lead: Rec<kind::Lead>,
    pub score: LeadScore,
    /// Who has it, by name.
    pub owner_name: Option<String>,
    /// Waiting in marketing's queue: nobody's yet, or the web forms' (no territory took it).
    pub in_queue: bool,
}

/// How to convert a lead.
#[derive(Clone, Debug, Default, Deserialize, TS)]
pub struct ConvertOptions {
    /// The rep who gets the account and the deal (user id or e-mail); the lead's owner,
    /// else the user converting.
    #[ts(optional)]
    pub owner: Option<String>,
    /// An existing account to attach the contact and deal to (no duplicate check then).
    #[ts(optional)]
    pub account: Option<String>,
    #[ts(optional)]
    pub deal_title: Option<String>,
    #[ts(optional)]
    pub deal_type: Option<String>,
    #[ts(optional)]
    pub amount: Option<String>,
}

/// What a conversion made or reused.
#[derive(Clone, Debug, Serialize, TS)]
pub struct Converted {
    pub lead: Rec<kind::Lead>,
    pub account: Rec<kind::Account>,
    /// False when an existing account (a likely duplicate, or the one given) was reused.
    pub account_created: bool,
    pub contact: Rec<kind::Contact>,
    pub contact_created: bool,
    pub deal: Rec<kind::Deal>,
}

/// A likely duplicate account is reused when the match is at least this sure (the same
/// SIRET, e-mail or phone number).
const REUSE_SCORE: f64 = 0.85;

impl Client {
    fn score_rules(&self) -> Result<Vec<ScoreRule>, ClientError> {
        let settings = self.with_store(|s| Ok(s.get_record(&SETTINGS_ID.to_string())?))?;
        Ok(rules_from_settings(settings.as_ref().map(|s| &s.record)))
    }

    fn lead_view(&self, stored: &StoredRecord, rules: &[ScoreRule]) -> LeadView {
        let owner = stored.record.text("owner");
        let in_queue = owner.is_none_or(|o| self.user_email(o).as_deref() == Some(crm_protocol::WEB_FORMS_EMAIL));
        LeadView {
            lead: record_json(stored).cast(),
            score: score(&stored.record, rules),
            owner_name: owner.and_then(|u| self.user_name(u)),
            in_queue,
        }
    }

    fn stored_lead(&self, id: &str) -> Result<StoredRecord, ClientError> {
        self.stored_of_type(id, RecordType::Lead)
    }

    /// The leads on this device, best score first (then the newest); of one status
    /// when asked.
    pub fn leads(&self, status: Option<&str>) -> Result<Vec<LeadView>, ClientError> {
        let rules = self.score_rules()?;
        let stored = self.with_store(|s| Ok(s.list(RecordType::Lead)?))?;
        let mut out: Vec<LeadView> = stored
            .iter()
            .filter(|s| !s.record.is_deleted())
            .filter(|s| status.is_none_or(|st| s.record.text("status") == Some(st)))
            .map(|s| self.lead_view(s, &rules))
            .collect();
        out.sort_by(|a, b| {
            b.score
                .score
                .cmp(&a.score.score)
                .then_with(|| b.lead["received_at"].as_str().cmp(&a.lead["received_at"].as_str()))
        });
        Ok(out)
    }

    pub fn lead(&self, id: &str) -> Result<LeadView, ClientError> {
        Ok(self.lead_view(&self.stored_lead(id)?, &self.score_rules()?))
    }

    /// A lead entered by hand (a card from a fair, a call): new, received now.
    pub fn add_lead(
        &self,
        mut fields: BTreeMap<String, FieldValue>,
        now: DateTime<Utc>,
    ) -> Result<LeadView, ClientError> {
        crm_core::leads::check_reachable(&fields)?;
        fields.entry("status".into()).or_insert_with(|| FieldValue::Text("new".into()));
        fields
            .entry("received_at".into())
            .or_insert_with(|| FieldValue::Text(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)));
        let created = self.create(RecordType::Lead, fields)?;
        self.lead(created.id())
    }

    /// Qualifies a lead, handing it to a rep when one is given (user id or e-mail).
    pub async fn qualify_lead(&self, id: &str, rep: Option<&str>) -> Result<LeadView, ClientError> {
        let lead = self.stored_lead(id)?;
        if lead.record.text("status") == Some("converted") {
            return Err(ClientError::Invalid(Problem::new(Code::LeadConverted)));
        }
        let mut edit: crm_doc::Edit = [("status".to_string(), Some(FieldValue::Text("qualified".into())))].into();
        if let Some(rep) = rep {
            edit.insert("owner".into(), Some(FieldValue::Text(self.resolve_user(rep).await?)));
        }
        self.edit_lead(id, edit)
    }

    /// Sets a lead aside, with the reason.
    pub fn disqualify_lead(&self, id: &str, reason: Option<&str>) -> Result<LeadView, ClientError> {
        let lead = self.stored_lead(id)?;
        if lead.record.text("status") == Some("converted") {
            return Err(ClientError::Invalid(Problem::new(Code::LeadConverted)));
        }
        let edit: crm_doc::Edit = [
            ("status".to_string(), Some(FieldValue::Text("disqualified".into()))),
            ("disqualify_reason".to_string(), reason.map(|r| FieldValue::Text(r.into()))),
        ]
        .into();
        self.edit_lead(id, edit)
    }

    fn edit_lead(&self, id: &str, edit: crm_doc::Edit) -> Result<LeadView, ClientError> {
        let record_id: RecordId = id.parse().map_err(ClientError::Invalid)?;
        let stored = self.with_store(|s| Ok(s.edit_record(&record_id, &edit, now_ms())?))?;
        Ok(self.lead_view(&stored, &self.score_rules()?))
    }

    /// Converts a lead: its account (a likely duplicate is reused, else a new prospect),
    /// its contact at that account (reused when the e-mail or name is already there), and
    /// a deal for the chosen rep at the first stage. The lead stays, marked converted
    /// with links to what it became. Only roles that may create accounts and deals.
    pub async fn convert_lead(&self, id: &str, options: ConvertOptions) -> Result<Converted, ClientError> {
        let lead = self.stored_lead(id)?.record;
        if lead.text("status") == Some("converted") {
            return Err(ClientError::Invalid(Problem::new(Code::LeadConverted)));
        }
        if let Some(role) = self.role()?
            && [RecordType::Account, RecordType::Deal].iter().any(|t| scope(role, *t, Action::Create) == Scope::None)
        {
            return Err(ClientError::Forbidden(Problem::new(Code::LeadMayNotConvert).param("role", role)));
        }
        let me = self.with_store(|s| Ok(s.meta("user_id")?))?;
        let owner = match options.owner.as_deref() {
            Some(who) => Some(self.resolve_user(who).await?),
            None => lead.text("owner").map(str::to_string).or(me),
        };
        let text = |k: &str| lead.text(k).map(|v| FieldValue::Text(v.to_string()));
        let company = lead.text("company").unwrap_or(lead.text("name").unwrap_or_default()).to_string();

        // The account: the one given, a sure duplicate, or a new prospect.
        let (account, account_created) = match options.account.as_deref() {
            Some(given) => (self.require_account(given)?.cast::<kind::Any>(), false),
            None => {
                let mut fields: BTreeMap<String, FieldValue> = BTreeMap::new();
                fields.insert("name".into(), FieldValue::Text(company.clone()));
                fields.insert("kind".into(), FieldValue::Text("prospect".into()));
                for k in ["postal_code", "city", "country", "sector", "phone"] {
                    if let Some(v) = text(k) {
                        fields.insert(k.into(), v);
                    }
                }
                if let Some(o) = owner.clone() {
                    fields.insert("owner".into(), FieldValue::Text(o));
                }
                let twin =
                    self.duplicates_for(RecordType::Account, &fields)?.into_iter().find(|c| c.score >= REUSE_SCORE);
                match twin {
                    Some(t) => (self.get(&t.id)?, false),
                    None => (self.create(RecordType::Account, fields)?, true),
                }
            }
        };
        let account_id = account.id().to_string();

        // The contact: the same e-mail or name at that account, else a new one.
        let email = lead.text("email").map(str::to_lowercase);
        let name = lead.text("name").unwrap_or_default().to_string();
        let existing = self.list_for_account(&account_id, RecordType::Contact)?.into_iter().find(|c| {
            let same_email = email.is_some() && c["email"].as_str().map(str::to_lowercase) == email;
            same_email || c["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(&name))
        });
        let (contact, contact_created) = match existing {
            Some(c) => (c, false),
            None => {
                let mut fields: BTreeMap<String, FieldValue> = BTreeMap::new();
                fields.insert("account".into(), FieldValue::Text(account_id.clone()));
                fields.insert("name".into(), FieldValue::Text(name.clone()));
                for k in ["email", "phone", "consent_email"] {
                    if let Some(v) = text(k) {
                        fields.insert(k.into(), v);
                    }
                }
                (self.create(RecordType::Contact, fields)?, true)
            }
        };

        // The deal, for the chosen rep.
        let mut fields: BTreeMap<String, FieldValue> = BTreeMap::new();
        fields.insert("account".into(), FieldValue::Text(account_id.clone()));
        let title = options.deal_title.clone().unwrap_or_else(|| format!("{company} — {name}"));
        fields.insert("title".into(), FieldValue::Text(title));
        if let Some(t) = options.deal_type.clone() {
            fields.insert("deal_type".into(), FieldValue::Text(t));
        }
        if let Some(a) = options.amount.clone() {
            fields.insert("amount".into(), FieldValue::Text(a));
        }
        if let Some(o) = owner.clone() {
            fields.insert("owner".into(), FieldValue::Text(o));
        }
        let deal = self.create_deal(fields)?;

        let mut edit: crm_doc::Edit = [
            ("status".to_string(), Some(FieldValue::Text("converted".into()))),
            ("converted_account".to_string(), Some(FieldValue::Text(account_id))),
            ("converted_contact".to_string(), Some(FieldValue::Text(contact.id().to_string()))),
            ("converted_deal".to_string(), Some(FieldValue::Text(deal.id().to_string()))),
        ]
        .into();
        if let Some(o) = owner {
            edit.insert("owner".into(), Some(FieldValue::Text(o)));
        }
        let lead = self.edit_lead(id, edit)?.lead;
        Ok(Converted {
            lead,
            account: account.cast(),
            account_created,
            contact: contact.cast(),
            contact_created,
            deal: deal.cast(),
        })
    }
}
