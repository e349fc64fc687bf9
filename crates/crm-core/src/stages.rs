//! The sales settings: deal types with their ordered stages, and contract types. They are
//! configurable: a company-wide settings record (id [`SETTINGS_ID`]) overrides the
//! defaults below, and syncs to every device like any record. Stage ids are stable (the
//! CLI and the API use them); the UI shows the labels. Every deal type ends with `won`
//! and `lost`.

use crate::problem::{Code, Problem};
use crate::{FieldValue, Record, RecordId, RecordType};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The one settings record of the company.
pub const SETTINGS_ID: RecordId = RecordId(uuid::Uuid::from_u128(0x0000_5e77_1265_4000_8000_0000_0000_0001));

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Stage {
    pub id: String,
    pub label: String,
    /// The default win probability at this stage, in percent.
    pub probability: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DealType {
    pub id: String,
    pub label: String,
    pub stages: Vec<Stage>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ContractType {
    pub id: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SalesSettings {
    pub deal_types: Vec<DealType>,
    pub contract_types: Vec<ContractType>,
}

fn stage(id: &str, label: &str, probability: u8) -> Stage {
    Stage { id: id.into(), label: label.into(), probability }
}

impl Default for SalesSettings {
    fn default() -> Self {
        let end = || vec![stage("won", "Gagnée", 100), stage("lost", "Perdue", 0)];
        let simple = [
            stage("qualification", "Qualification", 10),
            stage("proposal", "Proposition", 40),
            stage("negotiation", "Négociation", 70),
        ];
        let complex = [
            stage("qualification", "Qualification", 10),
            stage("analysis", "Analyse des besoins", 20),
            stage("solution", "Conception de la solution", 35),
            stage("proposal", "Proposition", 50),
            stage("negotiation", "Négociation", 70),
            stage("committee", "Comité de décision", 85),
        ];
        let contract = |id: &str, label: &str| ContractType { id: id.into(), label: label.into() };
        SalesSettings {
            deal_types: vec![
                DealType {
                    id: "simple".into(),
                    label: "Projet simple".into(),
                    stages: simple.into_iter().chain(end()).collect(),
                },
                DealType {
                    id: "complex".into(),
                    label: "Projet évolué".into(),
                    stages: complex.into_iter().chain(end()).collect(),
                },
            ],
            contract_types: vec![
                contract("on_call", "Service de garde"),
                contract("accounting", "Services comptables"),
                contract("it_services", "Services informatiques"),
            ],
        }
    }
}

impl SalesSettings {
    /// The settings stored in the company's settings record, defaults for what it lacks.
    pub fn from_record(record: Option<&Record>) -> SalesSettings {
        let mut settings = SalesSettings::default();
        if let Some(r) = record {
            if let Some(types) = r.text("deal_types").and_then(|t| serde_json::from_str(t).ok()) {
                settings.deal_types = types;
            }
            if let Some(types) = r.text("contract_types").and_then(|t| serde_json::from_str(t).ok()) {
                settings.contract_types = types;
            }
        }
        settings
    }

    /// The stages of a deal type, in order.
    pub fn stages(&self, deal_type: &str) -> Option<&[Stage]> {
        self.deal_types.iter().find(|t| t.id == deal_type).map(|t| t.stages.as_slice())
    }

    /// Checks that `stage` exists for `deal_type`, with a problem listing the allowed ones.
    pub fn check_stage(&self, deal_type: &str, stage: &str) -> Result<&Stage, Problem> {
        let list = self.stages(deal_type).ok_or_else(|| {
            let ids: Vec<&str> = self.deal_types.iter().map(|t| t.id.as_str()).collect();
            Problem::new(Code::DealTypeUnknown)
                .field("deal_type")
                .param("value", deal_type)
                .param("allowed", ids.join(" or "))
        })?;
        list.iter().find(|s| s.id == stage).ok_or_else(|| {
            let ids: Vec<&str> = list.iter().map(|s| s.id.as_str()).collect();
            Problem::new(Code::StageUnknown)
                .field("stage")
                .param("value", stage)
                .param("deal_type", deal_type)
                .param("allowed", ids.join(", "))
        })
    }

    pub fn check_contract_type(&self, contract_type: &str) -> Result<(), Problem> {
        if self.contract_types.iter().any(|c| c.id == contract_type) {
            return Ok(());
        }
        let ids: Vec<&str> = self.contract_types.iter().map(|c| c.id.as_str()).collect();
        Err(Problem::new(Code::ContractTypeUnknown)
            .field("contract_type")
            .param("value", contract_type)
            .param("allowed", ids.join(", ")))
    }

    /// The rules every configuration must follow (what is wrong, in English words: the
    /// settings are an administrator's, written from the command line).
    pub fn check(&self) -> Result<(), String> {
        if self.deal_types.is_empty() || self.contract_types.is_empty() {
            return Err("at least one deal type and one contract type are needed".into());
        }
        for t in &self.deal_types {
            check_identifier(&t.id).map_err(|p| p.to_string())?;
            let ids: Vec<&str> = t.stages.iter().map(|s| s.id.as_str()).collect();
            if ids.len() < 3 || ids[ids.len() - 2..] != ["won", "lost"] {
                return Err(format!(
                    "the stages of {} must end with won then lost, after at least one open stage",
                    t.id
                ));
            }
            for (i, s) in t.stages.iter().enumerate() {
                check_identifier(&s.id).map_err(|p| p.to_string())?;
                if ids[..i].contains(&s.id.as_str()) {
                    return Err(format!("the stage {} appears twice in {}", s.id, t.id));
                }
                if s.probability > 100 {
                    return Err(format!("the probability of {} must be 0 to 100", s.id));
                }
            }
        }
        for c in &self.contract_types {
            check_identifier(&c.id).map_err(|p| p.to_string())?;
        }
        Ok(())
    }
}

/// Stage and type ids: 1 to 40 lower-case letters, digits and `_`.
pub fn check_identifier(id: &str) -> Result<(), Problem> {
    let ok = !id.is_empty()
        && id.len() <= 40
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok { Ok(()) } else { Err(Problem::new(Code::IdentifierInvalid).param("value", id)) }
}

/// The stage that wins a deal (and creates its contract), whatever the deal type.
pub const WON: &str = "won";
/// The stage that loses a deal.
pub const LOST: &str = "lost";

pub fn is_final(stage: &str) -> bool {
    stage == WON || stage == LOST
}

/// One move of a deal as its `stage_history` keeps it: when (RFC 3339, seconds, UTC),
/// to which stage, by whom (the server checks the writer is that user).
pub fn stage_move(at: chrono::DateTime<chrono::Utc>, stage: &str, user_id: &str) -> String {
    format!("{} {stage} {user_id}", at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// The service contract a won deal creates (its id derived from the deal's, so two
/// devices winning it offline make the same one): a draft for the deal's account and
/// owner, from the expected close (else `today`), renewed tacitly every 12 months
/// with 3 months' notice, billed the deal's amount yearly.
pub fn contract_for_deal(deal: &Record, today: chrono::NaiveDate) -> Record {
    let mut contract = Record::new(RecordId::contract_of_deal(deal.id), RecordType::Contract);
    let text = |s: &str| FieldValue::Text(s.to_string());
    if let Some(account) = deal.text("account") {
        contract.fields.insert("account".into(), text(account));
    }
    contract.fields.insert("deal".into(), text(&deal.id.to_string()));
    contract.fields.insert("status".into(), text("draft"));
    let start = deal.text("expected_close").map(str::to_string).unwrap_or_else(|| today.to_string());
    contract.fields.insert("start".into(), FieldValue::Text(start));
    contract.fields.insert("tacit_renewal".into(), text("yes"));
    contract.fields.insert("term_months".into(), text("12"));
    contract.fields.insert("notice_months".into(), text("3"));
    if let Some(amount) = deal.text("amount") {
        contract.fields.insert("billing_amount".into(), text(amount));
        contract.fields.insert("billing_period".into(), text("yearly"));
    }
    if let Some(owner) = deal.text("owner") {
        contract.fields.insert("owner".into(), text(owner));
    }
    contract
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_deal_type_ends_with_won_then_lost() {
        assert!(SalesSettings::default().check().is_ok());
        for t in &SalesSettings::default().deal_types {
            let ids: Vec<&str> = t.stages.iter().map(|s| s.id.as_str()).collect();
            assert_eq!(&ids[ids.len() - 2..], ["won", "lost"]);
        }
    }

    #[test]
    fn an_unknown_stage_is_refused_with_the_allowed_list() {
        let s = SalesSettings::default();
        assert_eq!(s.check_stage("complex", "committee").unwrap().label, "Comité de décision");
        let err = s.check_stage("simple", "committee").unwrap_err().to_string();
        assert!(err.contains("qualification, proposal, negotiation, won, lost"), "{err}");
        assert!(s.check_stage("huge", "won").unwrap_err().to_string().contains("simple or complex"));
    }

    #[test]
    fn a_configuration_without_won_and_lost_last_is_refused() {
        let mut s = SalesSettings::default();
        s.deal_types[0].stages.retain(|st| st.id != "lost");
        assert!(s.check().unwrap_err().contains("won then lost"));
    }
}
