//! The sales verbs: deals, contracts, products, quotes.

use crate::output::Output;
use crate::sales_args::{ContractCommand, DealCommand, ProductCommand, QuoteCommand, parse_line};
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
    }
    Ok(())
}

pub fn product(client: &Client, cmd: ProductCommand, out: &Output) -> anyhow::Result<()> {
    match cmd {
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
        QuoteCommand::Edit { id, status } => out.record(&client.set_quote_status(&id, &status)?),
        QuoteCommand::Show { id } => out.record(&client.quote_view(&id)?),
    }
    Ok(())
}
