//! The sales cycle: deals moving through stages, winning a deal (which creates its
//! service contract), quotes built from the catalogue.

use crate::views::{AnyRecord, ContractView, DealView, QuotePreview, QuoteView, Rec, StageRef, kind};
use crate::{Client, ClientError, now_ms, record_json};
use crm_core::quote::{QuoteLine, compute_totals, parse_lines};
use crm_core::stages::{ContractType, DealType, SETTINGS_ID, SalesSettings};
use crm_core::{Code, FieldValue, Problem, Record, RecordId, RecordType};
use crm_doc::Edit;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;

/// What quotes print about the company (French mentions: SIRET, RCS, VAT number, payment
/// terms) and its logo. `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct CompanyHeader {
    pub name: Option<String>,
    pub address: Option<String>,
    pub siret: Option<String>,
    /// E.g. "RCS Amiens B 732 829 320".
    pub rcs: Option<String>,
    pub vat_number: Option<String>,
    pub payment_terms: Option<String>,
    /// A JPEG image (at most 100 KB).
    pub logo: Option<Vec<u8>>,
}

/// One requested quote line: a catalogue reference, a quantity, a discount.
pub struct LineRequest {
    pub reference: String,
    pub quantity: Decimal,
    pub discount_percent: Decimal,
}

impl Client {
    fn user_id(&self) -> Result<Option<String>, ClientError> {
        self.with_store(|s| Ok(s.meta("user_id")?))
    }

    fn history_item(&self, stage: &str) -> Result<String, ClientError> {
        let user = self.user_id()?.unwrap_or_else(|| "local".into());
        Ok(crm_core::stages::stage_move(chrono::Utc::now(), stage, &user))
    }

    /// Creates a deal, at its type's first stage unless one is given. A deal created as
    /// won gets its contract in the same transaction.
    pub fn create_deal(&self, mut fields: BTreeMap<String, FieldValue>) -> Result<AnyRecord, ClientError> {
        let settings = self.sales_settings()?;
        let deal_type = fields.get("deal_type").and_then(FieldValue::as_str).unwrap_or("simple").to_string();
        let first = settings
            .stages(&deal_type)
            .and_then(|s| s.first())
            .ok_or_else(|| ClientError::Invalid(settings.check_stage(&deal_type, "").unwrap_err()))?
            .id
            .clone();
        let stage = fields.get("stage").and_then(FieldValue::as_str).unwrap_or(&first).to_string();
        let spec = settings.check_stage(&deal_type, &stage)?;
        fields.insert("deal_type".into(), FieldValue::Text(deal_type));
        fields.insert("stage".into(), FieldValue::Text(stage.clone()));
        fields.entry("probability".into()).or_insert_with(|| FieldValue::Text(spec.probability.to_string()));
        fields.entry("priority".into()).or_insert_with(|| FieldValue::Text("normal".into()));
        fields.insert("stage_history".into(), FieldValue::Set(vec![self.history_item(&stage)?]));
        if let Some(user) = self.user_id()? {
            fields.entry("owner".into()).or_insert(FieldValue::Text(user));
        }
        let mut deal = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Deal);
        deal.fields = fields;
        let mut records = vec![deal];
        if stage == "won" {
            let contract = contract_for(&records[0]);
            records[0].fields.insert("contract".into(), FieldValue::Text(contract.id.to_string()));
            records.push(contract);
        }
        let created = self.with_store(|s| Ok(s.create_records(&records, now_ms())?))?;
        Ok(record_json(&created[0]))
    }

    /// Changes a deal. Moving it records who moved it and when; moving it to `won`
    /// creates its service contract (once, even when two devices win it offline).
    pub fn edit_deal(&self, id: &str, mut edit: Edit) -> Result<AnyRecord, ClientError> {
        let current = self.get(id)?;
        if current["type"] != "deal" {
            return Err(ClientError::wrong_type(id, RecordType::Deal));
        }
        let mut follow_up = None;
        if let Some(Some(FieldValue::Text(stage))) = edit.get("stage").cloned() {
            let deal_type = current["deal_type"].as_str().unwrap_or("simple");
            let settings = self.sales_settings()?;
            let spec = settings.check_stage(deal_type, &stage)?;
            if current["stage"] != stage.as_str() {
                let mut history: Vec<String> = current["stage_history"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                    .unwrap_or_default();
                history.push(self.history_item(&stage)?);
                edit.insert("stage_history".into(), Some(FieldValue::Set(history)));
                edit.entry("probability".into())
                    .or_insert_with(|| Some(FieldValue::Text(spec.probability.to_string())));
            }
            if stage == "won" {
                let mut deal = self.stored(id)?;
                for (k, v) in &edit {
                    if let Some(v) = v {
                        deal.fields.insert(k.clone(), v.clone());
                    }
                }
                let contract = contract_for(&deal);
                edit.insert("contract".into(), Some(FieldValue::Text(contract.id.to_string())));
                follow_up = Some(contract);
            }
        }
        let record_id: RecordId = id.parse().map_err(ClientError::Invalid)?;
        let stored = self.with_store(|s| Ok(s.edit_then_create(&record_id, &edit, follow_up.as_ref(), now_ms())?))?;
        Ok(record_json(&stored))
    }

    fn stored(&self, id: &str) -> Result<Record, ClientError> {
        self.with_store(|s| Ok(s.get_record(id)?))?
            .map(|s| s.record)
            .ok_or_else(|| ClientError::Invalid(Problem::new(Code::NotFound).param("id", id)))
    }

    /// A deal with its stages (ids and French labels, in order), its contract, and the
    /// names of its account, its rep and their sales manager.
    pub fn deal_view(&self, id: &str) -> Result<DealView, ClientError> {
        let deal: Rec<kind::Deal> = self.require(id, RecordType::Deal)?;
        let settings = self.sales_settings()?;
        let list = settings.stages(deal.text("deal_type").unwrap_or("simple")).unwrap_or(&[]);
        // The spec: each deal is followed by a rep and their sales manager.
        let owner = deal.text("owner").map(str::to_string);
        let manager = deal.text("manager").map(str::to_string).or_else(|| self.manager_of(owner.as_deref()?));
        Ok(DealView {
            stages: list.iter().map(|s| StageRef { id: s.id.clone(), label: s.label.clone() }).collect(),
            contract_record: deal.text("contract").and_then(|c| self.contract_view(c).ok()),
            owner_name: owner.and_then(|o| self.user_name(&o)),
            manager_name: manager.and_then(|m| self.user_name(&m)),
            account_name: deal
                .text("account")
                .and_then(|a| self.get(a).ok())
                .and_then(|a| a.text("name").map(str::to_string)),
            deal,
        })
    }

    /// Builds a quote from catalogue references, offline.
    pub fn create_quote(
        &self,
        account: &str,
        deal: Option<&str>,
        lines: &[LineRequest],
    ) -> Result<QuoteView, ClientError> {
        if lines.is_empty() {
            return Err(ClientError::Invalid(Problem::new(Code::QuoteNeedsLine).field("lines")));
        }
        let quote_lines = self.quote_lines(Some(account), lines)?;
        let id = RecordId(uuid::Uuid::now_v7());
        let number = format!("DEV-{}-{}", chrono::Local::now().format("%Y%m%d"), &id.0.simple().to_string()[24..])
            .to_uppercase();
        let valid_until = (chrono::Local::now().date_naive() + chrono::Days::new(30)).to_string();
        let mut record = Record::new(id, RecordType::Quote);
        let text = |s: &str| FieldValue::Text(s.to_string());
        record.fields.insert("account".into(), text(account));
        record.fields.insert("number".into(), text(&number));
        record.fields.insert("status".into(), text(crm_core::quote::DRAFT));
        record.fields.insert("valid_until".into(), text(&valid_until));
        record.fields.insert(
            "lines".into(),
            FieldValue::Text(serde_json::to_string(&quote_lines).map_err(ClientError::internal)?),
        );
        if let Some(deal) = deal {
            record.fields.insert("deal".into(), text(deal));
        }
        if let Some(user) = self.user_id()? {
            record.fields.insert("owner".into(), FieldValue::Text(user));
        }
        self.with_store(|s| Ok(s.create_record(&record, now_ms())?))?;
        self.quote_view(&id.to_string())
    }

    /// Replaces the lines of a draft quote, priced again with its customer's rules; a
    /// quote sent, accepted or refused keeps its lines (taken back to draft, it changes).
    pub fn edit_quote_lines(&self, id: &str, lines: &[LineRequest]) -> Result<QuoteView, ClientError> {
        let current = self.quote_view(id)?;
        if current.quote.text("status") != Some(crm_core::quote::DRAFT) {
            return Err(ClientError::Invalid(Problem::new(Code::QuoteNotDraft).field("status")));
        }
        if lines.is_empty() {
            return Err(ClientError::Invalid(Problem::new(Code::QuoteNeedsLine).field("lines")));
        }
        let quote_lines = self.quote_lines(current.quote.text("account"), lines)?;
        let text = serde_json::to_string(&quote_lines).map_err(ClientError::internal)?;
        self.edit(id, [("lines".to_string(), Some(FieldValue::Text(text)))].into_iter().collect())?;
        self.quote_view(id)
    }

    /// The totals of lines not yet saved, for a quote editor's live totals.
    pub fn quote_preview(&self, account: Option<&str>, lines: &[LineRequest]) -> Result<QuotePreview, ClientError> {
        let lines = self.quote_lines(account, lines)?;
        Ok(QuotePreview { totals: compute_totals(&lines), lines })
    }

    /// Catalogue lines for the requested references, priced with the customer's pricing
    /// rules: the account's special price for a reference if it has one, else the
    /// catalogue price; the account's negotiated discount on lines that give none.
    fn quote_lines(&self, account: Option<&str>, lines: &[LineRequest]) -> Result<Vec<QuoteLine>, ClientError> {
        let account = match account {
            Some(id) => Some(self.stored(id)?),
            None => None,
        };
        let price_list = account
            .as_ref()
            .and_then(|a| a.text("price_list"))
            .map(crm_core::quote::parse_price_list)
            .transpose()
            .map_err(|_| ClientError::Invalid(Problem::new(Code::PriceListInvalid).field("price_list")))?
            .unwrap_or_default();
        let account_discount: Decimal = account
            .as_ref()
            .and_then(|a| a.text("discount_percent"))
            .and_then(|d| d.replace(',', ".").parse().ok())
            .unwrap_or_default();
        let mut quote_lines = Vec::new();
        for l in lines {
            let product = self
                .with_store(|s| Ok(s.find_by_field(RecordType::Product, "reference", &l.reference)?))?
                .into_iter()
                .next()
                .ok_or_else(|| {
                    ClientError::Invalid(
                        Problem::new(Code::UnknownProductReference).field("lines").param("reference", &l.reference),
                    )
                })?
                .record;
            let price = match price_list.get(&l.reference) {
                Some(special) => *special,
                None => product.text("price").unwrap_or("0").parse().map_err(ClientError::Invalid)?,
            };
            let vat = product.text("vat_percent").unwrap_or("20").replace(',', ".");
            let line = QuoteLine {
                reference: l.reference.clone(),
                designation: product.text("designation").unwrap_or_default().to_string(),
                quantity: l.quantity,
                unit_price: price,
                discount_percent: if l.discount_percent.is_zero() { account_discount } else { l.discount_percent },
                vat_percent: vat
                    .parse()
                    .map_err(|_| ClientError::Invalid(Problem::new(Code::PercentRange).field("vat_percent")))?,
            };
            crm_core::quote::check_line(&line)?;
            quote_lines.push(line);
        }
        Ok(quote_lines)
    }

    /// A quote with its lines and exact totals.
    pub fn quote_view(&self, id: &str) -> Result<QuoteView, ClientError> {
        let mut quote: Rec<kind::QuoteBody> = self.require(id, RecordType::Quote)?;
        let text = quote.take("lines");
        let lines =
            parse_lines(text.as_ref().and_then(Value::as_str).unwrap_or("[]")).map_err(ClientError::internal)?;
        Ok(QuoteView { totals: compute_totals(&lines), lines, quote })
    }

    /// Changes a quote's status; an accepted quote wins its deal.
    pub fn set_quote_status(&self, id: &str, status: &str) -> Result<QuoteView, ClientError> {
        let current = self.quote_view(id)?;
        crm_core::quote::check_move(current.quote.text("status").unwrap_or("draft"), status)?;
        let edit: Edit = [("status".to_string(), Some(FieldValue::Text(status.to_string())))].into_iter().collect();
        self.edit(id, edit)?;
        let quote = self.quote_view(id)?;
        if status == crm_core::quote::ACCEPTED
            && let Some(deal) = quote.quote.text("deal")
        {
            let win: Edit =
                [("stage".to_string(), Some(FieldValue::Text(crm_core::stages::WON.into())))].into_iter().collect();
            self.edit_deal(deal, win)?;
        }
        Ok(quote)
    }
}

/// The service contract a won deal creates: same account, the deal's amount as its
/// billing amount, starting on the expected close date (or today), as a draft.
fn contract_for(deal: &Record) -> Record {
    crm_core::stages::contract_for_deal(deal, chrono::Local::now().date_naive())
}

impl Client {
    /// A contract with its computed next renewal and notice deadline (tacit renewal).
    pub fn contract_view(&self, id: &str) -> Result<ContractView, ClientError> {
        let contract = self.require(id, RecordType::Contract)?;
        Ok(with_renewal_dates(contract, chrono::Local::now().date_naive()))
    }

    /// A contract entered directly, not from a won deal: the running contracts of an
    /// existing customer. Active unless said otherwise, followed by the account's rep;
    /// its type must be one of the company's contract types.
    pub fn create_contract(&self, mut fields: BTreeMap<String, FieldValue>) -> Result<ContractView, ClientError> {
        let account = fields.get("account").and_then(FieldValue::as_str).map(str::to_string).ok_or_else(|| {
            ClientError::Invalid(Problem::new(Code::Required).field("account").param("type", "contract"))
        })?;
        let account = self.require_account(&account)?;
        if let Some(contract_type) = fields.get("contract_type").and_then(FieldValue::as_str) {
            self.sales_settings()?.check_contract_type(contract_type)?;
        }
        fields
            .entry("status".into())
            .or_insert_with(|| FieldValue::Text(crm_core::vocabulary::NEW_CONTRACT_STATUS.into()));
        let owner = account["owner"].as_str().map(str::to_string).or(self.user_id()?);
        if let Some(owner) = owner {
            fields.entry("owner".into()).or_insert(FieldValue::Text(owner));
        }
        let created = self.create(RecordType::Contract, fields)?;
        self.contract_view(created.id())
    }

    /// Changes a contract (dates, renewal terms, billing, status); a type must be one
    /// of the company's contract types. Answers the contract with its renewal dates.
    pub fn edit_contract(&self, id: &str, edit: Edit) -> Result<ContractView, ClientError> {
        self.require::<kind::Contract>(id, RecordType::Contract)?;
        if let Some(Some(FieldValue::Text(contract_type))) = edit.get("contract_type") {
            self.sales_settings()?.check_contract_type(contract_type)?;
        }
        self.edit(id, edit)?;
        self.contract_view(id)
    }

    /// Sets a customer's negotiated prices: the discount on every quote line (`Some("")`
    /// removes it), special unit prices given as `REFERENCE=PRICE` (French amounts such
    /// as `1 100,00` accepted), and references whose special price goes. The quotes made
    /// afterwards use them, offline too.
    pub fn set_pricing(
        &self,
        id: &str,
        discount: Option<&str>,
        prices: &[String],
        remove: &[String],
    ) -> Result<AnyRecord, ClientError> {
        let account = self.require_account(id)?;
        let mut list = match account["price_list"].as_str() {
            Some(text) => crm_core::quote::parse_price_list(text)
                .map_err(|_| ClientError::Invalid(Problem::new(Code::PriceListInvalid).field("price_list")))?,
            None => Default::default(),
        };
        for entry in prices {
            let bad = || ClientError::Invalid(Problem::new(Code::PriceEntry).field("price_list").param("value", entry));
            let (reference, price) = entry.split_once('=').ok_or_else(bad)?;
            let price: crm_core::Money = price.parse().map_err(|_| bad())?;
            list.insert(reference.trim().to_string(), price);
        }
        for reference in remove {
            list.remove(reference.trim());
        }
        let mut edit = Edit::new();
        // A map of strings to amounts always serialises.
        let text = serde_json::to_string(&list).unwrap_or_default();
        edit.insert("price_list".into(), if list.is_empty() { None } else { Some(FieldValue::Text(text)) });
        if let Some(discount) = discount {
            let discount = discount.trim();
            edit.insert(
                "discount_percent".into(),
                if discount.is_empty() { None } else { Some(FieldValue::Text(discount.to_string())) },
            );
        }
        self.edit(id, edit)
    }

    /// Contracts, all or one account's, with their renewal dates.
    pub fn list_contracts(&self, account: Option<&str>) -> Result<Vec<ContractView>, ClientError> {
        let list = match account {
            Some(a) => self.list_for_account(a, RecordType::Contract)?,
            None => self.list(RecordType::Contract)?,
        };
        let today = chrono::Local::now().date_naive();
        Ok(list.into_iter().map(|c| with_renewal_dates(c.cast(), today)).collect())
    }
}

/// A contract with its next renewal and notice deadline as of `today` (tacit renewal).
fn with_renewal_dates(contract: Rec<kind::Contract>, today: chrono::NaiveDate) -> ContractView {
    use crm_core::renewal::{next_renewal, notice_deadline};
    let date = |k: &str| contract.text(k).and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    let months = |k: &str| contract.text(k).and_then(|s| s.parse::<u32>().ok());
    let renewal = match (contract.text("tacit_renewal"), date("start"), months("term_months")) {
        (Some("yes"), Some(start), Some(term)) => next_renewal(start, term, today),
        _ => None,
    };
    let deadline = renewal.and_then(|r| notice_deadline(r, months("notice_months").unwrap_or(0)));
    ContractView {
        next_renewal: renewal.map(|r| r.to_string()),
        notice_deadline: deadline.map(|d| d.to_string()),
        contract,
    }
}

/// `crm settings service`: what customer service and marketing run on.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ServiceSettings {
    pub sla: crm_core::service::SlaTargets,
    pub support_email: Option<String>,
    pub lead_scoring: Vec<crm_core::leads::ScoreRule>,
}

impl Client {
    /// Records of a type whose `field` equals `value`.
    pub fn find(&self, record_type: RecordType, field: &str, value: &str) -> Result<Vec<AnyRecord>, ClientError> {
        let list = self.with_store(|s| Ok(s.find_by_field(record_type, field, value)?))?;
        Ok(list.iter().map(record_json).collect())
    }
}

impl Client {
    /// The company's deal types, stages and contract types (defaults until configured).
    pub fn sales_settings(&self) -> Result<SalesSettings, ClientError> {
        let record = self.with_store(|s| Ok(s.get_record(&SETTINGS_ID.to_string())?))?;
        Ok(SalesSettings::from_record(record.as_ref().map(|r| &r.record)))
    }

    /// Replaces (or adds) one deal type and its stages.
    pub fn configure_deal_type(&self, deal_type: DealType) -> Result<SalesSettings, ClientError> {
        let mut settings = self.sales_settings()?;
        match settings.deal_types.iter_mut().find(|t| t.id == deal_type.id) {
            Some(t) => *t = deal_type,
            None => settings.deal_types.push(deal_type),
        }
        self.save_settings(settings)
    }

    pub fn configure_contract_types(&self, types: Vec<ContractType>) -> Result<SalesSettings, ClientError> {
        let mut settings = self.sales_settings()?;
        settings.contract_types = types;
        self.save_settings(settings)
    }

    /// The company header printed on quotes.
    pub fn configure_company(&self, name: &str, address: Option<&str>) -> Result<(), ClientError> {
        self.configure_company_header(&CompanyHeader {
            name: Some(name.into()),
            address: address.map(str::to_string),
            ..CompanyHeader::default()
        })
    }

    /// What quotes print about the company, as set.
    pub fn company_info(&self) -> Result<crate::views::CompanyInfo, ClientError> {
        let settings = self.with_store(|s| Ok(s.get_record(&SETTINGS_ID.to_string())?))?;
        let get = |k: &str| settings.as_ref().and_then(|s| s.record.text(k).map(str::to_string));
        Ok(crate::views::CompanyInfo {
            name: get("company"),
            address: get("company_address"),
            siret: get("company_siret"),
            rcs: get("company_rcs"),
            vat_number: get("company_vat"),
            payment_terms: get("payment_terms"),
            has_logo: get("company_logo").is_some(),
        })
    }

    /// Sets what quotes print about the company: each field given (`Some`) is set, an
    /// empty one removed; the logo is a JPEG file's bytes.
    pub fn configure_company_header(&self, header: &CompanyHeader) -> Result<(), ClientError> {
        use base64::Engine;
        let mut edit = Edit::new();
        let logo = header.logo.as_ref().map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes));
        for (field, value) in [
            ("company", &header.name),
            ("company_address", &header.address),
            ("company_siret", &header.siret),
            ("company_rcs", &header.rcs),
            ("company_vat", &header.vat_number),
            ("payment_terms", &header.payment_terms),
            ("company_logo", &logo),
        ] {
            if let Some(value) = value {
                let value = value.trim();
                edit.insert(field.into(), (!value.is_empty()).then(|| FieldValue::Text(value.to_string())));
            }
        }
        self.edit_settings(edit)
    }

    /// Changes fields of the company's settings record (made first when absent).
    fn edit_settings(&self, edit: Edit) -> Result<(), ClientError> {
        if self.with_store(|s| Ok(s.get_record(&SETTINGS_ID.to_string())?))?.is_none() {
            self.save_settings(self.sales_settings()?)?;
        }
        self.with_store(|s| Ok(s.edit_record(&SETTINGS_ID, &edit, now_ms())?))?;
        Ok(())
    }

    /// Customer service and marketing settings: the service targets, the support
    /// address, the lead scoring rules (each checked; `None` leaves it as it is).
    pub fn configure_service(
        &self,
        sla: Option<&crm_core::service::SlaTargets>,
        support_email: Option<&str>,
        scoring: Option<&[crm_core::leads::ScoreRule]>,
    ) -> Result<(), ClientError> {
        let json = ClientError::internal;
        let mut edit = Edit::new();
        if let Some(sla) = sla {
            edit.insert("sla_targets".into(), Some(FieldValue::Text(serde_json::to_string(sla).map_err(json)?)));
        }
        if let Some(email) = support_email {
            let email = email.trim();
            edit.insert("support_email".into(), (!email.is_empty()).then(|| FieldValue::Text(email.into())));
        }
        if let Some(rules) = scoring {
            edit.insert("lead_scoring".into(), Some(FieldValue::Text(serde_json::to_string(rules).map_err(json)?)));
        }
        if edit.is_empty() {
            return Err(ClientError::Invalid(Problem::new(Code::NothingToChange)));
        }
        self.edit_settings(edit)
    }

    /// The service targets, support address and lead scoring rules in force.
    pub fn service_settings(&self) -> Result<ServiceSettings, ClientError> {
        let record = self.with_store(|s| Ok(s.get_record(&SETTINGS_ID.to_string())?))?;
        let r = record.as_ref().map(|r| &r.record);
        Ok(ServiceSettings {
            sla: crm_core::service::SlaTargets::from_settings(r),
            support_email: r.and_then(|r| r.text("support_email")).map(str::to_string),
            lead_scoring: crm_core::leads::rules_from_settings(r),
        })
    }

    fn save_settings(&self, settings: SalesSettings) -> Result<SalesSettings, ClientError> {
        settings.check().map_err(|m| {
            ClientError::Invalid(Problem::new(Code::SettingsInvalid).field("deal_types").param("detail", m))
        })?;
        let json = ClientError::internal;
        let deal_types = serde_json::to_string(&settings.deal_types).map_err(json)?;
        let contract_types = serde_json::to_string(&settings.contract_types).map_err(json)?;
        let exists = self.with_store(|s| Ok(s.get_record(&SETTINGS_ID.to_string())?))?.is_some();
        if exists {
            let edit: Edit = [
                ("deal_types".to_string(), Some(FieldValue::Text(deal_types))),
                ("contract_types".to_string(), Some(FieldValue::Text(contract_types))),
            ]
            .into_iter()
            .collect();
            self.with_store(|s| Ok(s.edit_record(&SETTINGS_ID, &edit, now_ms())?))?;
        } else {
            let mut record = Record::new(SETTINGS_ID, RecordType::Settings);
            record.fields.insert("name".into(), FieldValue::Text("Paramètres commerciaux".into()));
            record.fields.insert("deal_types".into(), FieldValue::Text(deal_types));
            record.fields.insert("contract_types".into(), FieldValue::Text(contract_types));
            self.with_store(|s| Ok(s.create_record(&record, now_ms())?))?;
        }
        Ok(settings)
    }
}
