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
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        files.push((name, text));
    }
    files.push(("sentences.ts".into(), sentences()));
    files.sort();
    Ok(files)
}

/// The root types of the contract; ts-rs follows their dependencies.
fn export_types(dir: &Path) -> Result<(), ts_rs::ExportError> {
    crm_core::Problem::export_all_to(dir)?;
    Ok(())
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
