//! The sales verbs: deals, contracts, products, quotes, agenda, tasks, settings.

use crate::output::Output;
use crate::sales_args::{
    ContractCommand, DealCommand, EventCommand, ProductCommand, QuoteCommand, SettingsCommand, TaskCommand,
    parse_contract_types, parse_line, parse_stages,
};
use crm_client::Client;
use crm_core::{FieldValue, RecordType};

pub fn deal(client: &Client, cmd: DealCommand, out: &Output) -> anyhow::Result<()> {
    match cmd {
        DealCommand::Add { account, title, deal_type, fields } => {
            let mut values: std::collections::BTreeMap<String, FieldValue> =
                fields.into_edit(Some(title)).into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
            values.insert("account".into(), FieldValue::Text(account));
            values.insert("deal_type".into(), FieldValue::Text(deal_type));
            out.record(&client.create_deal(values)?);
        }
        DealCommand::Edit { id, title, fields } => out.record(&client.edit_deal(&id, fields.into_edit(title))?),
        DealCommand::Show { id } => out.record(&client.deal_view(&id)?),
        DealCommand::List { account } => {
            let list = match account {
                Some(a) => client.list_for_account(&a, RecordType::Deal)?,
                None => client.list(RecordType::Deal)?,
            };
            out.records(&list, &["title", "stage", "amount", "expected_close"]);
        }
    }
    Ok(())
}

pub fn contract(client: &Client, cmd: ContractCommand, out: &Output) -> anyhow::Result<()> {
    match cmd {
        ContractCommand::List { account } => out.records(
            &client.list_contracts(account.as_deref())?,
            &["contract_type", "status", "start", "next_renewal", "notice_deadline"],
        ),
        ContractCommand::Show { id } => out.record(&client.contract_view(&id)?),
        ContractCommand::Add { account, fields } => {
            let mut values: std::collections::BTreeMap<String, FieldValue> =
                fields.into_edit().into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
            values.insert("account".into(), FieldValue::Text(account));
            out.record(&client.create_contract(values)?);
        }
        ContractCommand::Edit { id, fields } => out.record(&client.edit_contract(&id, fields.into_edit())?),
    }
    Ok(())
}

pub async fn product(client: &Client, cmd: ProductCommand, out: &Output) -> anyhow::Result<()> {
    match cmd {
        ProductCommand::Attach { reference, file } => out.record(&client.attach_media(&reference, &file)?),
        ProductCommand::Media { reference } => {
            let product =
                client.find(RecordType::Product, "reference", &reference)?.into_iter().next().ok_or_else(|| {
                    crm_core::Problem::new(crm_core::Code::UnknownProductReference).param("reference", &reference)
                })?;
            let mut files = Vec::new();
            for item in product["media"].as_array().into_iter().flatten().filter_map(|v| v.as_str()) {
                files.push(client.media_file(item).await?);
            }
            let text = files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join("\n");
            out.value(&serde_json::json!(files), &text);
        }
        ProductCommand::List => out.records(&client.list(RecordType::Product)?, &["reference", "designation", "price"]),
        add @ ProductCommand::Add { .. } => {
            let fields = add.fields();
            let reference = fields.get("reference").and_then(FieldValue::as_str).unwrap_or_default().to_string();
            if !client.find(RecordType::Product, "reference", &reference)?.is_empty() {
                anyhow::bail!("reference: {reference} is already in the catalogue");
            }
            out.record(&client.create(RecordType::Product, fields)?);
        }
    }
    Ok(())
}

pub fn quote(client: &Client, cmd: QuoteCommand, out: &Output) -> anyhow::Result<()> {
    match cmd {
        QuoteCommand::Add { account, deal, lines } => {
            let lines =
                lines.iter().map(|l| parse_line(l)).collect::<Result<Vec<_>, _>>().map_err(anyhow::Error::msg)?;
            out.record(&client.create_quote(&account, deal.as_deref(), &lines)?);
        }
        QuoteCommand::Edit { id, status, lines } => {
            if !lines.is_empty() {
                let lines =
                    lines.iter().map(|l| parse_line(l)).collect::<Result<Vec<_>, _>>().map_err(anyhow::Error::msg)?;
                let quote = client.edit_quote_lines(&id, &lines)?;
                if status.is_none() {
                    out.record(&quote);
                }
            }
            if let Some(status) = status {
                out.record(&client.set_quote_status(&id, &status)?);
            }
        }
        QuoteCommand::Show { id } => out.record(&client.quote_view(&id)?),
        QuoteCommand::Pdf { id, out: path } => {
            let pdf = client.quote_pdf(&id)?;
            std::fs::write(&path, &pdf).map_err(|e| crm_client::ClientError::file(&path, e))?;
            out.value(&serde_json::json!({"file": path, "bytes": pdf.len()}), &format!("Wrote {}", path.display()));
        }
    }
    Ok(())
}

pub fn event(client: &Client, cmd: EventCommand, out: &Output) -> anyhow::Result<()> {
    let EventCommand::Add { title, start, end, account, place } = cmd;
    let fields =
        [("title", Some(title)), ("start", Some(start)), ("end", Some(end)), ("account", account), ("place", place)]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), FieldValue::Text(v))))
            .collect();
    out.record(&client.create(RecordType::Event, fields)?);
    Ok(())
}

pub fn agenda(
    client: &Client,
    from: Option<String>,
    mine: bool,
    ics: Option<std::path::PathBuf>,
    out: &Output,
) -> anyhow::Result<()> {
    use chrono::Datelike;
    let day = match from {
        Some(d) => chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
            .map_err(|_| crm_core::Problem::new(crm_core::Code::DateInvalid).field("--from").param("value", &d))?,
        None => chrono::Local::now().date_naive(),
    };
    let monday = day - chrono::Days::new(day.weekday().num_days_from_monday() as u64);
    let owner = if mine { client.status()?.user.map(|u| u.id) } else { None };
    let events = client.agenda(monday, monday + chrono::Days::new(7), owner.as_deref())?;
    if let Some(path) = ics {
        std::fs::write(&path, client.events_ics(&events)).map_err(|e| crm_client::ClientError::file(&path, e))?;
    }
    out.records(&events, &["start", "end", "title", "place"]);
    Ok(())
}

pub fn task(client: &Client, cmd: TaskCommand, out: &Output) -> anyhow::Result<()> {
    match cmd {
        TaskCommand::Add { title, due, account } => {
            let fields =
                [("title", Some(title)), ("due", Some(due)), ("account", account), ("done", Some("no".to_string()))]
                    .into_iter()
                    .filter_map(|(k, v)| v.map(|v| (k.to_string(), FieldValue::Text(v))))
                    .collect();
            out.record(&client.create(RecordType::Task, fields)?);
        }
        TaskCommand::List { all } => out.records(&client.tasks(all)?, &["due", "title", "done"]),
        TaskCommand::Done { id } => {
            let edit = [("done".to_string(), Some(FieldValue::Text("yes".into())))].into_iter().collect();
            out.record(&client.edit(&id, edit)?);
        }
    }
    Ok(())
}

pub fn settings(client: &Client, cmd: SettingsCommand, out: &Output) -> anyhow::Result<()> {
    let settings = match cmd {
        SettingsCommand::Show => client.sales_settings()?,
        SettingsCommand::Service { sla_file, support_email, scoring_file } => {
            return service_settings(client, sla_file, support_email, scoring_file, out);
        }
        SettingsCommand::DealType { id, label, stages } => {
            let stages = parse_stages(&stages).map_err(anyhow::Error::msg)?;
            client.configure_deal_type(crm_core::stages::DealType { id, label, stages })?
        }
        SettingsCommand::ContractTypes { types } => {
            client.configure_contract_types(parse_contract_types(&types).map_err(anyhow::Error::msg)?)?
        }
        SettingsCommand::Company { name, address, siret, rcs, vat_number, payment_terms, logo } => {
            let logo = match logo {
                Some(path) => Some(std::fs::read(&path).map_err(|e| crm_client::ClientError::file(&path, e))?),
                None => None,
            };
            client.configure_company_header(&crm_client::CompanyHeader {
                name: Some(name),
                address,
                siret,
                rcs,
                vat_number,
                payment_terms,
                logo,
            })?;
            client.sales_settings()?
        }
    };
    let mut text = String::new();
    for t in &settings.deal_types {
        let stages: Vec<String> = t.stages.iter().map(|s| format!("{} ({} %)", s.id, s.probability)).collect();
        text.push_str(&format!("deal type {} — {}: {}\n", t.id, t.label, stages.join(" → ")));
    }
    let types: Vec<&str> = settings.contract_types.iter().map(|c| c.id.as_str()).collect();
    text.push_str(&format!("contract types: {}", types.join(", ")));
    out.value(&serde_json::to_value(&settings)?, &text);
    Ok(())
}

/// `crm settings service`: reads and checks the files, saves, shows what is in force.
fn service_settings(
    client: &Client,
    sla_file: Option<std::path::PathBuf>,
    support_email: Option<String>,
    scoring_file: Option<std::path::PathBuf>,
    out: &Output,
) -> anyhow::Result<()> {
    let read =
        |path: &std::path::Path| std::fs::read_to_string(path).map_err(|e| crm_client::ClientError::file(path, e));
    let sla = match &sla_file {
        Some(path) => Some(crm_core::service::SlaTargets::parse(&read(path)?)?),
        None => None,
    };
    let scoring = match &scoring_file {
        Some(path) => Some(crm_core::leads::parse_rules(&read(path)?)?),
        None => None,
    };
    if sla.is_some() || scoring.is_some() || support_email.is_some() {
        client.configure_service(sla.as_ref(), support_email.as_deref(), scoring.as_deref())?;
    }
    let current = client.service_settings()?;
    let mut text = format!(
        "Heures ouvrées {}–{} (Paris, jours fériés exclus)\nAdresse du service client : {}\nDélais par priorité :",
        current.sla.opens,
        current.sla.closes,
        current.support_email.as_deref().unwrap_or("(aucune)")
    );
    for t in &current.sla.targets {
        let label =
            crm_core::vocabulary::label(crm_core::vocabulary::TICKET_PRIORITIES, &t.priority, crm_core::Lang::Fr);
        text.push_str(&format!(
            "\n  {label:<10} première réponse {} h, résolution {} h",
            t.first_response_minutes as f64 / 60.0,
            t.resolution_minutes as f64 / 60.0
        ));
    }
    text.push_str("\nRègles de score des pistes :");
    for r in &current.lead_scoring {
        text.push_str(&format!("\n  {:+}  {}", r.points, r.label));
    }
    out.value(&current, &text);
    Ok(())
}
