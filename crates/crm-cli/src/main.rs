//! `crm`: the command-line client, on the same core as the desktop app.
//!
//! Output is human-readable by default; `--json` (anywhere on the line) prints exactly
//! one JSON value on stdout. Errors go to stderr with a non-zero exit code. Every write
//! works offline.

mod args;
mod output;
mod reports;
mod sales;
mod sales_args;
mod service;

use anyhow::Context;
use args::{AccountCommand, ActivityCommand, Cli, Command, ContactCommand, DeviceCommand, GdprCommand};
use clap::Parser;
use crm_client::{Client, Transport};
use crm_core::{FieldValue, RecordType};
use output::Output;
use serde_json::json;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let out = Output { json: cli.json };
    if let Err(e) = run(cli, &out).await {
        eprintln!("{}", error_text(&e, lang()));
        std::process::exit(1);
    }
}

/// The user's language: French when the locale says so (`LC_ALL`, `LC_MESSAGES`, `LANG`,
/// the first one set), English otherwise.
fn lang() -> crm_core::Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|v| std::env::var(v).ok().filter(|l| !l.is_empty()));
    crm_core::Lang::from_locale(locale.as_deref())
}

/// An error in the user's words: the problem's sentence when the error is one the core
/// tells (`Problem`), the error itself otherwise (the command line's own messages).
/// The criteria of `crm account list` and `crm export`: a saved filter, completed by
/// the criteria given.
fn account_filter(
    client: &crm_client::Client,
    args: &args::AccountListArgs,
) -> anyhow::Result<crm_client::filters::AccountFilter> {
    let mut filter = match &args.filter {
        Some(name) => client.saved_filter(name)?,
        None => crm_client::filters::AccountFilter::default(),
    };
    for (slot, value) in [
        (&mut filter.kind, &args.kind),
        (&mut filter.city, &args.city),
        (&mut filter.postal_code, &args.postal_code),
        (&mut filter.tag, &args.tag),
        (&mut filter.sector, &args.sector),
        (&mut filter.owner, &args.owner),
    ] {
        if value.is_some() {
            *slot = value.clone();
        }
    }
    Ok(filter)
}

/// `crm export`: a list, with the accounts' criteria, to `.xlsx` or `.csv`.
fn export(
    client: &crm_client::Client,
    what: args::ExportKind,
    out_path: &std::path::Path,
    criteria: &args::AccountListArgs,
    out: &Output,
) -> anyhow::Result<()> {
    let record_type = what.record_type();
    let filter = account_filter(client, criteria)?;
    let accounts = client.filter_accounts(&filter)?;
    let records: Vec<crm_client::AnyRecord> = match record_type {
        RecordType::Account => accounts.into_iter().map(|a| a.cast()).collect(),
        RecordType::Product => client.list(RecordType::Product)?,
        other => {
            // The criteria choose accounts; their contacts, deals or contracts go out.
            let chosen: std::collections::HashSet<String> = accounts.iter().map(|a| a.id().to_string()).collect();
            client.list(other)?.into_iter().filter(|r| r.text("account").is_some_and(|a| chosen.contains(a))).collect()
        }
    };
    let rows = client.export_records(record_type, &records, out_path)?;
    let fr = lang() == crm_core::Lang::Fr;
    let text = if fr {
        format!("{rows} ligne(s) écrite(s) dans {}", out_path.display())
    } else {
        format!("{rows} row(s) written to {}", out_path.display())
    };
    out.value(&json!({"rows": rows, "file": out_path.display().to_string()}), &text);
    Ok(())
}

/// `crm account merge` and `crm contact merge`.
fn merge(client: &crm_client::Client, keep: &str, other: &str, take: &[String], out: &Output) -> anyhow::Result<()> {
    let report = client.merge(keep, other, take)?;
    let name = report.kept.text("name").unwrap_or_default().to_string();
    let text = format!("{other} fusionnée dans « {name} » ({keep}) : {} fiche(s) rattachée(s)", report.moved);
    out.value(&report, &text);
    Ok(())
}

struct ImportArgs {
    sheet: Option<String>,
    mapping: Option<std::path::PathBuf>,
    mode: Option<String>,
    match_key: Option<String>,
    dry_run: bool,
}

/// `crm import`: a file in, an import undone, or the list of imports.
fn import(
    client: &crm_client::Client,
    what: args::ImportWhat,
    file: Option<String>,
    args: ImportArgs,
    out: &Output,
) -> anyhow::Result<()> {
    use crm_client::import::{ImportOptions, ImportProgress};
    use std::io::IsTerminal;
    let fr = lang() == crm_core::Lang::Fr;
    let terminal = std::io::stderr().is_terminal();
    let progress = move |p: ImportProgress| {
        if terminal && p.total > 0 {
            eprint!("\r{} {}/{}   ", p.phase, p.done, p.total);
        }
    };
    let Some(record_type) = what.record_type() else {
        if what == args::ImportWhat::List {
            let list = client.import_list()?;
            let text = list
                .iter()
                .map(|b| {
                    let at = chrono::DateTime::from_timestamp_millis(b.at_ms)
                        .map(|t| t.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M").to_string())
                        .unwrap_or_default();
                    let undone = if b.undone_at_ms.is_some() { " (annulé)" } else { "" };
                    format!(
                        "{}  {at}  {}  {} créée(s), {} mise(s) à jour{undone}",
                        b.batch, b.file, b.created, b.updated
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            out.value(&list, if list.is_empty() { "Aucun import sur cet appareil." } else { &text });
            return Ok(());
        }
        let batch = file.ok_or_else(|| {
            anyhow::anyhow!(if fr {
                "Indiquez l'import à annuler : crm import undo BATCH"
            } else {
                "give the batch to undo: crm import undo BATCH"
            })
        })?;
        let report = client.import_undo(&batch, &progress)?;
        let text = format!(
            "Import {} annulé : {} fiche(s) retirée(s), {} fiche(s) remise(s) dans leur état d'avant, {} champ(s) modifié(s) depuis laissé(s) tel(s) quel(s)",
            report.batch, report.removed, report.restored, report.kept
        );
        out.value(&report, &text);
        return Ok(());
    };
    let file = file.ok_or_else(|| {
        anyhow::anyhow!(if fr { "Indiquez le fichier à importer" } else { "give the file to import" })
    })?;
    let mapping = match &args.mapping {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| crm_client::ClientError::file(path, e))?;
            let map = serde_json::from_str(&text).map_err(|e| {
                crm_client::ClientError::Invalid(
                    crm_core::Problem::new(crm_core::Code::ImportMapping)
                        .param("path", path.display())
                        .param("detail", e),
                )
            })?;
            Some(map)
        }
        None => None,
    };
    let options = ImportOptions {
        sheet: args.sheet,
        mapping,
        mode: args
            .mode
            .as_deref()
            .map(crm_core::import::Mode::parse)
            .transpose()
            .map_err(crm_client::ClientError::Invalid)?,
        match_key: args
            .match_key
            .as_deref()
            .map(crm_core::import::MatchKey::parse)
            .transpose()
            .map_err(crm_client::ClientError::Invalid)?,
        dry_run: args.dry_run,
    };
    let report = client.import_file(std::path::Path::new(&file), record_type, &options, &progress)?;
    if terminal {
        eprint!("\r");
    }
    let mut text = format!(
        "{}{} ligne(s) : {} créée(s), {} mise(s) à jour, {} inchangée(s), {} doublon(s), {} refusée(s)",
        if report.dry_run { "Essai (rien n'est écrit) — " } else { "" },
        report.rows,
        report.created,
        report.updated,
        report.unchanged,
        report.duplicates,
        report.errors.iter().map(|e| e.row).collect::<std::collections::BTreeSet<_>>().len()
    );
    for e in report.errors.iter().take(20) {
        text.push_str(&format!(
            "\n  ligne {}{} : {}",
            e.row,
            if e.column.is_empty() { String::new() } else { format!(", colonne « {} »", e.column) },
            e.message
        ));
    }
    if report.errors.len() > 20 {
        text.push_str(&format!("\n  … et {} autre(s)", report.errors.len() - 20));
    }
    if let Some(path) = &report.error_file {
        text.push_str(&format!("\nLignes refusées, à corriger puis réimporter : {path}"));
    }
    if let Some(batch) = &report.batch {
        text.push_str(&format!("\nPour annuler : crm import undo {batch}"));
    }
    out.value(&report, &text);
    Ok(())
}

/// A record just entered, with `duplicates` when likely ones already exist.
fn with_duplicates(client: &crm_client::Client, created: crm_client::AnyRecord) -> anyhow::Result<serde_json::Value> {
    let duplicates = client.duplicates_of(created.id())?;
    let mut value = created.into_value();
    if !duplicates.is_empty() {
        value["duplicates"] = json!(duplicates);
    }
    Ok(value)
}

/// A record's history as lines: when, who (by name), what changed.
fn history_text(history: &[crm_client::views::HistoryEntry], lang: crm_core::Lang) -> String {
    use crm_client::views::Author;
    let fr = lang == crm_core::Lang::Fr;
    history
        .iter()
        .map(|h| {
            let who = match &h.author {
                Author::User { name } => name.clone(),
                Author::Server if fr => "serveur".into(),
                Author::Server => "server".into(),
                Author::UnknownDevice if fr => format!("appareil {}", h.device.get(..8).unwrap_or_default()),
                Author::UnknownDevice => format!("device {}", h.device.get(..8).unwrap_or_default()),
            };
            let fields = h
                .fields
                .iter()
                .map(|(k, v)| match v {
                    None if fr => format!("{k} effacé"),
                    None => format!("{k} cleared"),
                    Some(crm_core::FieldValue::Text(s)) => format!("{k} = {s}"),
                    Some(crm_core::FieldValue::Set(items)) => format!("{k} = {}", items.join(", ")),
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("{}  {:<20} {fields}", h.at, who)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reminders as lines a person reads, in their language: date, kind, what.
fn reminders_text(list: &[crm_client::Reminder], lang: crm_core::Lang) -> String {
    use crm_core::vocabulary::{REMINDER_KINDS, label};
    let fr = lang == crm_core::Lang::Fr;
    if list.is_empty() {
        return if fr { "Rien à faire pour l'instant." } else { "Nothing due." }.to_string();
    }
    let date = |ymd: &str| match chrono::NaiveDate::parse_from_str(ymd, "%Y-%m-%d") {
        Ok(d) if fr => d.format("%d/%m/%Y").to_string(),
        _ => ymd.to_string(),
    };
    list.iter()
        .map(|r| {
            let kind =
                serde_json::to_value(r.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let late = match (r.overdue, fr) {
                (false, _) => "",
                (true, true) => " (en retard)",
                (true, false) => " (late)",
            };
            let what = match (r.kind, r.related_date.as_deref()) {
                (crm_client::ReminderKind::ContractNotice, Some(renewal)) if fr => {
                    format!("préavis avant la reconduction du {}", date(renewal))
                }
                (crm_client::ReminderKind::ContractNotice, Some(renewal)) => {
                    format!("notice before renewal on {renewal}")
                }
                _ => r.title.clone(),
            };
            format!("{}{late}  {:<20} {what}", date(&r.date), label(REMINDER_KINDS, &kind, lang))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn error_text(e: &anyhow::Error, lang: crm_core::Lang) -> String {
    let word = if lang == crm_core::Lang::Fr { "erreur" } else { "error" };
    let problem = match (e.downcast_ref::<crm_client::ClientError>(), e.downcast_ref::<crm_core::Problem>()) {
        (Some(client), _) => client.problem(),
        (None, Some(problem)) => problem.clone(),
        (None, None) => return format!("{word}: {e:#}"),
    };
    format!("{word}: {}", problem.text(lang))
}

fn data_dir(cli: &Cli) -> PathBuf {
    if let Some(dir) = &cli.data_dir {
        return dir.clone();
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
    std::env::var_os("XDG_DATA_HOME").map(PathBuf::from).unwrap_or_else(|| home.join(".local/share")).join("crm")
}

async fn run(cli: Cli, out: &Output) -> anyhow::Result<()> {
    let client = Client::open(&data_dir(&cli))?;
    let unlocks_itself = matches!(cli.command, Command::Login { .. } | Command::Device(DeviceCommand::Reset));
    if client.is_locked() && !unlocks_itself {
        // No keyring holds the key: the password unlocks the data.
        let password = match std::env::var("CRM_PASSWORD") {
            Ok(p) if !p.is_empty() => p,
            _ => {
                if std::io::stdin().is_terminal() {
                    eprintln!("This device's data is encrypted and no keyring holds its key.");
                }
                read_password()?
            }
        };
        client.unlock(&password)?;
    }
    match cli.command {
        Command::Login { server, email, device_name, insecure } => {
            let password = read_password()?;
            let name = device_name.unwrap_or_else(default_device_name);
            let transport = if insecure { Transport::PlainHttpAllowed } else { Transport::Encrypted };
            let user = client.login_with(&server, &email, &password, &name, transport).await?;
            out.value(
                &json!(user),
                &format!("Logged in as {} <{}> ({}) on {server}.", user.name, user.email, user.role),
            );
        }
        Command::Logout => {
            client.logout()?;
            out.value(&json!({"logged_in": false}), "Logged out. Local data and pending changes are kept.");
        }
        Command::Password => {
            let current = read_password()?;
            let new = read_password()?;
            client.change_password(&current, &new).await?;
            out.value(&json!({"changed": true}), "Password changed. Log in again on each of your devices.");
        }
        Command::Status => {
            let status = client.status()?;
            out.status(&status);
        }
        Command::Sync => {
            let show_progress = !out.json && std::io::stderr().is_terminal();
            let report = client
                .sync(|p| {
                    if show_progress && p.total > 0 {
                        eprint!("\rsync: {}/{} changes", p.done, p.total);
                    }
                })
                .await;
            if show_progress {
                eprintln!();
            }
            let report = report?;
            let text = format!(
                "Synced: {} change(s) sent, {} record(s) received{}.",
                report.pushed,
                report.pulled,
                if report.rejected > 0 {
                    format!(", {} change(s) refused by the server (see `crm rejections`)", report.rejected)
                } else {
                    String::new()
                }
            );
            out.value(&json!(report), &text);
        }
        Command::Account(cmd) => account(&client, cmd, out).await?,
        Command::Contact(cmd) => contact(&client, cmd, out)?,
        Command::Activity(cmd) => activity(&client, cmd, out)?,
        Command::Search { query, limit } => {
            let hits = client.search(&query.join(" "), limit)?;
            out.hits(&hits);
        }
        Command::Resolve { id, field, value } => {
            let record = client.resolve_conflict(&id, &field, &value)?;
            out.record(&record);
        }
        Command::Deal(cmd) => sales::deal(&client, cmd, out)?,
        Command::Lead(cmd) => service::lead(&client, cmd, out).await?,
        Command::Ticket(cmd) => service::ticket(&client, cmd, out).await?,
        Command::Call(cmd) => service::call(&client, cmd, out)?,
        Command::Campaign(cmd) => service::campaign(&client, cmd, out).await?,
        Command::Mail(cmd) => service::mail(&client, cmd, out)?,
        Command::Report(cmd) => reports::report(&client, cmd, out).await?,
        Command::Dashboard(args) => reports::dashboard(&client, args, out).await?,
        Command::Contract(cmd) => sales::contract(&client, cmd, out)?,
        Command::Product(cmd) => sales::product(&client, cmd, out).await?,
        Command::Quote(cmd) => sales::quote(&client, cmd, out)?,
        Command::Event(cmd) => sales::event(&client, cmd, out)?,
        Command::Agenda { feed: true, .. } => {
            let url = client.calendar_feed_url().await?;
            out.value(
                &json!({"url": url}),
                &format!("Subscribe to this address in Outlook or your phone's calendar:\n{url}"),
            );
        }
        Command::Agenda { from, week: _, mine, ics, feed: false } => sales::agenda(&client, from, mine, ics, out)?,
        Command::Task(cmd) => sales::task(&client, cmd, out)?,
        Command::Settings(cmd) => sales::settings(&client, cmd, out)?,
        Command::Gdpr(GdprCommand::Erase { id }) => {
            let answer = client.gdpr_erase(&id).await?;
            out.value(
                &answer,
                &format!("Erased {id}: the server holds no trace of the person; devices follow at their next sync."),
            );
        }
        Command::History { id } => {
            let history = client.history(&id).await?;
            out.value(&history, &history_text(&history, lang()));
        }
        Command::Gdpr(GdprCommand::Export { id, out: file }) => {
            let export = client.gdpr_export(&id)?;
            client.report_export(&id).await;
            match file {
                Some(path) => {
                    std::fs::write(&path, serde_json::to_vec_pretty(&export)?)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    out.value(&json!({"file": path}), &format!("Wrote {}", path.display()));
                }
                None => println!("{}", serde_json::to_string_pretty(&export)?),
            }
        }
        Command::Device(DeviceCommand::List) => {
            let devices = client.devices().await?;
            let text = devices
                .iter()
                .map(|d| {
                    let mark = if d.current {
                        " (this device)"
                    } else if d.revoked {
                        " (revoked)"
                    } else {
                        ""
                    };
                    format!("{}  {}{mark}", d.id, d.name)
                })
                .collect::<Vec<_>>()
                .join("\n");
            out.value(&json!(devices), &text);
        }
        Command::Device(DeviceCommand::Reset) => {
            client.reset_local_data()?;
            out.value(
                &json!({"reset": true}),
                "This device's copy is erased. Log in again: your records come back at the next sync.",
            );
        }
        Command::Device(DeviceCommand::Revoke { id }) => {
            client.revoke_device(&id).await?;
            out.value(&json!({"revoked": id}), &format!("Revoked {id}: it will erase its data when it next connects."));
        }
        Command::Reminders => {
            let list = client.reminders(chrono::Local::now().date_naive())?;
            let text = reminders_text(&list, lang());
            out.value(&serde_json::json!(list), &text);
        }
        Command::Export { what, out: path, criteria } => export(&client, what, &path, &criteria, out)?,
        Command::Import { what, file, sheet, mapping, mode, match_key, dry_run } => {
            let options = ImportArgs { sheet, mapping, mode, match_key, dry_run };
            import(&client, what, file, options, out)?
        }
        Command::Duplicates { kind, server } => {
            let pairs = if server {
                client.server_duplicate_pairs(kind.record_type()).await?
            } else {
                client.duplicate_pairs(kind.record_type())?
            };
            let fr = lang() == crm_core::Lang::Fr;
            let text = if pairs.is_empty() {
                if fr { "Aucun doublon probable." } else { "No likely duplicate." }.to_string()
            } else {
                pairs
                    .iter()
                    .map(|p| {
                        format!("{:.2}  {} ({})  ~  {} ({})  {:?}", p.score, p.a_name, p.a, p.b_name, p.b, p.reasons)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            out.value(&pairs, &text);
        }
        Command::Rejections => {
            let list = client.rejections()?;
            out.value(
                &json!(list),
                &if list.is_empty() {
                    "The server has refused none of your changes.".to_string()
                } else {
                    list.iter()
                        .map(|r| format!("{}  {}: {}", r.doc_id, r.code, r.reason))
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            );
        }
    }
    Ok(())
}

async fn account(client: &Client, cmd: AccountCommand, out: &Output) -> anyhow::Result<()> {
    match cmd {
        AccountCommand::Add(fields) => {
            let mut values = fields.into_fields();
            values.entry("kind".into()).or_insert_with(|| FieldValue::Text("prospect".into()));
            let created = client.create(RecordType::Account, values)?;
            out.record(&with_duplicates(client, created)?);
        }
        AccountCommand::Edit { id, fields } => {
            let edit = fields.into_edit();
            out.record(&client.edit(&id, edit)?);
        }
        AccountCommand::List(args) => {
            let filter = account_filter(client, &args)?;
            let list = client.filter_accounts(&filter)?;
            if let Some(name) = &args.save {
                client.save_filter(name, filter)?;
            }
            out.records(&list, &["name", "kind", "postal_code", "city", "phone"]);
        }
        AccountCommand::Filters => {
            let saved = client.saved_filters()?;
            let text = saved
                .iter()
                .map(|s| format!("{}  {}", s.name, serde_json::to_string(&s.filter).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("\n");
            out.value(&json!(saved), &text);
        }
        AccountCommand::ForgetFilter { name } => {
            let saved = client.delete_filter(&name)?;
            out.value(&json!(saved), &format!("{} saved filter(s) left", saved.len()));
        }
        AccountCommand::Show { id } => out.account_view(&client.account_view(&id)?),
        AccountCommand::Pricing { id, discount, prices, remove } => {
            out.record(&client.set_pricing(&id, discount.as_deref(), &prices, &remove)?)
        }
        AccountCommand::Reassign { id, to } => {
            let done = client.reassign_account(&id, &to).await?;
            let n = done.moved.len();
            out.value(&done, &format!("Reassigned {id} to {to}: {n} record(s) change hands at the next sync."));
        }
        AccountCommand::Merge { keep, other, take } => merge(client, &keep, &other, &take, out)?,
        AccountCommand::Delete { id } => {
            let done = client.delete(&id, RecordType::Account)?;
            out.value(&done, &format!("Deleted {id}; other devices follow at their next sync."));
        }
    }
    Ok(())
}

fn contact(client: &Client, cmd: ContactCommand, out: &Output) -> anyhow::Result<()> {
    match cmd {
        ContactCommand::Merge { keep, other, take } => merge(client, &keep, &other, &take, out)?,
        ContactCommand::ImportVcf { file } => {
            let report = client.import_vcard(&file)?;
            let mut text = format!(
                "{} contact(s) créé(s), {} doublon(s) laissé(s) de côté, {} refusé(s)",
                report.created,
                report.duplicates,
                report.errors.len()
            );
            for e in &report.errors {
                text.push_str(&format!("\n  fiche {} : {}", e.row, e.message));
            }
            out.value(&report, &text);
        }
        ContactCommand::ExportVcf { ids, out: path, version } => {
            let n = client.export_vcard(&ids, &path, &version)?;
            out.value(
                &json!({"contacts": n, "file": path.display().to_string()}),
                &format!("{n} contact(s) écrit(s) dans {}", path.display()),
            );
        }
        ContactCommand::Add { account, fields } => {
            let mut values = fields.into_fields();
            values.insert("account".into(), FieldValue::Text(account));
            let created = client.create(RecordType::Contact, values)?;
            out.record(&with_duplicates(client, created)?);
        }
        ContactCommand::Edit { id, fields } => out.record(&client.edit(&id, fields.into_edit())?),
        ContactCommand::List { account } => out.records(
            &client.list_for_account(&account, RecordType::Contact)?,
            &["name", "job_title", "phone", "email"],
        ),
    }
    Ok(())
}

fn activity(client: &Client, cmd: ActivityCommand, out: &Output) -> anyhow::Result<()> {
    match cmd {
        ActivityCommand::Add { account, fields } => {
            let mut values = fields.into_fields();
            values.insert("account".into(), FieldValue::Text(account));
            values.entry("at".into()).or_insert_with(|| {
                FieldValue::Text(chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
            });
            if !values.contains_key("kind") {
                return Err(crm_core::Problem::new(crm_core::Code::Required)
                    .field("kind")
                    .param("type", "activity")
                    .into());
            }
            out.record(&client.create(RecordType::Activity, values)?);
        }
        ActivityCommand::Edit { id, fields } => out.record(&client.edit(&id, fields.into_edit())?),
        ActivityCommand::List { account } => {
            out.records(&client.list_for_account(&account, RecordType::Activity)?, &["at", "kind", "subject"])
        }
    }
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        eprint!("Password: ");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        anyhow::bail!("no password given on standard input");
    }
    Ok(password)
}

fn default_device_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_default();
    if host.is_empty() { "crm command line".to_string() } else { format!("crm on {host}") }
}
