//! The contract between the core and the app: the Rust types the app receives, written
//! into TypeScript under `app-ui/src/generated/` (ts-rs), and the words of every
//! [`Problem`](crm_core::Problem) code, so the app tells the user the same sentences as
//! the command line. Nobody edits the generated files: `scripts/test.sh` writes them
//! before building the app (`CRM_WRITE_TYPES=1 cargo test -p crm-client --lib contract`),
//! and a test fails when they differ from what the Rust types say.

use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Where the app keeps the generated files.
pub fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../app-ui/src/generated")
}

/// Every generated file: its name and its content.
pub fn generated_files() -> Result<Vec<(String, String)>, String> {
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    export_types(scratch.path()).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    for entry in std::fs::read_dir(scratch.path()).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if name == crate::views::RECORDS_FILE {
            // ts-rs only names the record interfaces; records() below writes them.
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        files.push((name, text));
    }
    files.push(("sentences.ts".into(), sentences()));
    files.push(("vocabulary.ts".into(), vocabulary()));
    files.push(("records.ts".into(), records()));
    files.sort();
    Ok(files)
}

/// The root types of the contract; ts-rs follows their dependencies.
fn export_types(dir: &Path) -> Result<(), ts_rs::ExportError> {
    crm_core::Problem::export_all_to(dir)?;
    crate::Status::export_all_to(dir)?;
    crate::SyncReport::export_all_to(dir)?;
    crate::Reminder::export_all_to(dir)?;
    crate::SearchHit::export_all_to(dir)?;
    crm_protocol::DeviceInfo::export_all_to(dir)?;
    crm_protocol::About::export_all_to(dir)?;
    crate::filters::SavedFilter::export_all_to(dir)?;
    crm_core::RecordType::export_all_to(dir)?;
    crm_core::stages::SalesSettings::export_all_to(dir)?;
    crm_core::quote::QuoteLine::export_all_to(dir)?;
    crm_core::quote::QuoteTotals::export_all_to(dir)?;
    use crate::views;
    views::AccountView::export_all_to(dir)?;
    views::DealView::export_all_to(dir)?;
    views::ContractView::export_all_to(dir)?;
    views::QuoteView::export_all_to(dir)?;
    views::QuotePreview::export_all_to(dir)?;
    views::ContactView::export_all_to(dir)?;
    views::HistoryEntry::export_all_to(dir)?;
    views::Deleted::export_all_to(dir)?;
    views::Reassigned::export_all_to(dir)?;
    views::Erased::export_all_to(dir)?;
    views::AnyRecord::export_all_to(dir)?;
    views::LineInput::export_all_to(dir)?;
    views::AboutApp::export_all_to(dir)?;
    views::Refused::export_all_to(dir)?;
    views::OpenConflict::export_all_to(dir)?;
    views::Person::export_all_to(dir)?;
    views::DuplicateCandidate::export_all_to(dir)?;
    views::DuplicatePair::export_all_to(dir)?;
    views::CompanyInfo::export_all_to(dir)?;
    views::MergeReport::export_all_to(dir)?;
    crate::import::ImportOptions::export_all_to(dir)?;
    crate::import::ImportPreview::export_all_to(dir)?;
    crate::import::ImportReport::export_all_to(dir)?;
    crate::import::ImportProgress::export_all_to(dir)?;
    crate::import::ImportSummary::export_all_to(dir)?;
    crate::import::UndoReport::export_all_to(dir)?;
    crate::service::NewTicket::export_all_to(dir)?;
    crate::service::TicketView::export_all_to(dir)?;
    crate::service::CallerCard::export_all_to(dir)?;
    crate::leads::LeadView::export_all_to(dir)?;
    crate::leads::ConvertOptions::export_all_to(dir)?;
    crate::leads::Converted::export_all_to(dir)?;
    crate::campaigns::CampaignPreview::export_all_to(dir)?;
    crm_protocol::CampaignSent::export_all_to(dir)?;
    crate::mail::MailFiled::export_all_to(dir)?;
    crate::reports::RepReport::export_all_to(dir)?;
    crate::reports::TeamReport::export_all_to(dir)?;
    crate::reports::DashboardOptions::export_all_to(dir)?;
    crm_core::dashboard::Dashboard::export_all_to(dir)?;
    Ok(())
}

const HEADER: &str = "// Generated from the Rust types by crm-client's contract: do not edit.\n";

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The choice lists of crm-core's vocabulary: ids with their French and English words.
fn vocabulary() -> String {
    use crm_core::vocabulary as v;
    let list = |choices: &[v::Choice], indent: &str| -> String {
        let items: Vec<String> = choices
            .iter()
            .map(|c| format!("{indent}  {{ id: {}, fr: {}, en: {} }},\n", json(&c.id), json(&c.fr), json(&c.en)))
            .collect();
        format!("[\n{}{indent}]", items.concat())
    };
    let mut out = format!(
        "{HEADER}// Source: crates/crm-core/src/vocabulary.rs.\n\n\
         /** One value of a fixed list, with its words. */\n\
         export interface Choice {{\n  id: string;\n  fr: string;\n  en: string;\n}}\n\n\
         /** The values each field may take, keyed `type.field`. */\n\
         export const CHOICES: Record<string, readonly Choice[]> = {{\n"
    );
    for (record_type, field, choices) in v::FIELD_CHOICES {
        out.push_str(&format!("  {}: {},\n", json(&format!("{record_type}.{field}")), list(choices, "  ")));
    }
    out.push_str("};\n\n");
    for (name, doc, choices) in [
        ("RECORD_TYPES", "What each record type is called.", v::RECORD_TYPES),
        ("ROLES", "The kinds of user.", v::ROLES),
        ("REMINDER_KINDS", "What a reminder is about.", v::REMINDER_KINDS),
    ] {
        out.push_str(&format!("/** {doc} */\nexport const {name}: readonly Choice[] = {};\n\n", list(choices, "")));
    }
    out.push_str("/** English words of the default deal types, stages and contract types. */\n");
    out.push_str("export const SETTINGS_LABELS_EN: Record<string, string> = {\n");
    for (id, en) in v::SETTINGS_LABELS_EN {
        out.push_str(&format!("  {id}: {},\n", json(en)));
    }
    out.push_str("};\n\n");
    out.push_str(&format!(
        "/** The two stages that end a deal, whatever its type. */\nexport const WON_STAGE = {};\nexport const LOST_STAGE = {};\n\n",
        json(&crm_core::stages::WON),
        json(&crm_core::stages::LOST)
    ));
    out.push_str(&format!(
        "/** Contract statuses for which no notice is due any more. */\nexport const CONTRACT_NOTICE_SETTLED: readonly string[] = {};\n\n",
        json(&v::CONTRACT_NOTICE_SETTLED)
    ));
    out.push_str(&format!(
        "/** The status of a contract entered directly. */\nexport const NEW_CONTRACT_STATUS = {};\n\n",
        json(&v::NEW_CONTRACT_STATUS)
    ));
    out.push_str(&format!(
        "/** The quote status that accepts a quote and wins its deal. */\nexport const QUOTE_ACCEPTED = {};\n\n",
        json(&crm_core::quote::ACCEPTED)
    ));
    out.push_str(&format!(
        "/** The status a quote is created with: the only one whose lines change. */\nexport const QUOTE_DRAFT = {};\n\n",
        json(&crm_core::quote::DRAFT)
    ));
    out.push_str(&format!(
        "/** The status of a quote sent to the customer. */\nexport const QUOTE_SENT = {};\n\n",
        json(&crm_core::quote::SENT)
    ));
    out.push_str(&permissions());
    out.push_str("/** The statuses a quote may move to from each status. */\n");
    out.push_str("export const QUOTE_MOVES: Record<string, readonly string[]> = {\n");
    for status in v::QUOTE_STATUSES {
        let next: Vec<&str> =
            v::QUOTE_STATUSES.iter().map(|c| c.id).filter(|to| crm_core::quote::may_move(status.id, to)).collect();
        out.push_str(&format!("  {}: {},\n", status.id, json(&next)));
    }
    out.push_str("};\n");
    out
}

/// crm-core's permission matrix (docs/permissions.md): for each role and record type, the
/// scope of each action, so the app offers only what the server will accept.
fn permissions() -> String {
    use crm_core::permissions::{Action, Scope, scope};
    let word = |s: Scope| match s {
        Scope::None => "none",
        Scope::Own => "own",
        Scope::Team => "team",
        Scope::All => "all",
    };
    let mut out = String::from(
        "/** What each role may do with each record type: the scope of each action (docs/permissions.md). */\n\
         export type Scope = 'none' | 'own' | 'team' | 'all';\n\
         export const PERMISSIONS: Record<string, Record<string, { read: Scope; create: Scope; edit: Scope; delete: Scope }>> = {\n",
    );
    for role in crm_core::vocabulary::ROLES {
        let Ok(parsed) = serde_json::from_value::<crm_core::Role>(serde_json::Value::from(role.id)) else { continue };
        out.push_str(&format!("  {}: {{\n", role.id));
        for record_type in crm_core::RecordType::ALL {
            let [read, create, edit, delete] = Action::ALL.map(|a| word(scope(parsed, record_type, a)));
            out.push_str(&format!(
                "    {record_type}: {{ read: '{read}', create: '{create}', edit: '{edit}', delete: '{delete}' }},\n"
            ));
        }
        out.push_str("  },\n");
    }
    out.push_str("};\n\n");
    out
}

/// The TypeScript name of a record type's interface (`Event` is the DOM's).
fn interface_name(record_type: crm_core::RecordType) -> String {
    match record_type {
        crm_core::RecordType::Event => "CalendarEvent".into(),
        crm_core::RecordType::Settings => "SettingsRecord".into(),
        other => {
            let id = other.as_str();
            id[..1].to_uppercase() + &id[1..]
        }
    }
}

/// One interface per record type, from crm-core's schema: required fields are always
/// there, the others may be missing or null; a choice field takes its list's ids.
fn records() -> String {
    use crm_core::FieldKind;
    let mut out = format!(
        "{HEADER}// Source: crates/crm-core/src/schema.rs and vocabulary.rs.\n\n\
         /** Concurrent edits of one field: `value` is the one kept, `others` were replaced. */\n\
         export interface Conflict {{\n  field: string;\n  value: string;\n  others: string[];\n}}\n\n"
    );
    let mut names = Vec::new();
    for record_type in crm_core::RecordType::ALL {
        let name = interface_name(record_type);
        out.push_str(&format!(
            "export interface {name} {{\n  id: string;\n  type: {};\n  conflicts?: Conflict[];\n",
            json(&record_type.as_str())
        ));
        for spec in crm_core::schema(record_type) {
            let ty = match (spec.kind, crm_core::vocabulary::choices(record_type, spec.name)) {
                (FieldKind::Set, _) => "string[]".to_string(),
                (_, Some(list)) => list.iter().map(|c| json(&c.id)).collect::<Vec<_>>().join(" | "),
                _ => "string".to_string(),
            };
            let doc = format!("  /** {} */\n", spec.label);
            if spec.required {
                out.push_str(&format!("{doc}  {}: {ty};\n", spec.name));
            } else {
                out.push_str(&format!("{doc}  {}?: {ty} | null;\n", spec.name));
            }
        }
        out.push_str("}\n\n");
        names.push(name);
    }
    out.push_str(&format!("/** Any record. */\nexport type AnyRecord = {};\n", names.join(" | ")));
    out
}

/// The words of every code, as a TypeScript table.
fn sentences() -> String {
    let mut out = String::from(
        "// Generated from crates/crm-core/src/problem.rs by crm-client's contract: do not edit.\n\
         import type { Code } from './Code';\n\n\
         /** The words of every problem code, French then English; `{name}` takes a parameter. */\n\
         export const SENTENCES: Record<Code, { fr: string; en: string }> = {\n",
    );
    for s in crm_core::problem::SENTENCES {
        let code = serde_json::to_value(s.code).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let fr = serde_json::to_string(s.fr).unwrap_or_default();
        let en = serde_json::to_string(s.en).unwrap_or_default();
        out.push_str(&format!("  {code}: {{ fr: {fr}, en: {en} }},\n"));
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With `CRM_WRITE_TYPES=1`, writes the generated files; otherwise checks them.
    #[test]
    fn the_apps_types_and_sentences_are_generated_from_rust() {
        let files = generated_files().unwrap();
        let dir = generated_dir();
        if std::env::var_os("CRM_WRITE_TYPES").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "ts") {
                    std::fs::remove_file(path).unwrap();
                }
            }
            for (name, text) in &files {
                std::fs::write(dir.join(name), text).unwrap();
            }
        }
        for (name, text) in &files {
            let on_disk = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            assert!(
                &on_disk == text,
                "app-ui/src/generated/{name} is not what the Rust types say: run \
                 `CRM_WRITE_TYPES=1 cargo test -p crm-client --lib contract` (scripts/test.sh does)"
            );
        }
    }
}
