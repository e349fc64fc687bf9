//! The architecture invariants of ARCHITECTURE.md that a test can check.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

const PURE_CRATES: &[&str] = &["crm-core", "crm-doc", "crm-protocol"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_pure_crates_depend_on_no_io_library() {
    for krate in PURE_CRATES {
        let manifest = std::fs::read_to_string(root().join("crates").join(krate).join("Cargo.toml")).unwrap();
        let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
        for forbidden in ["tokio", "rusqlite", "sqlx", "reqwest", "tauri", "axum"] {
            assert!(
                !deps.lines().any(|l| l.trim_start().starts_with(forbidden)),
                "{krate} must not depend on {forbidden}"
            );
        }
    }
}

#[test]
fn the_pure_crates_never_read_the_clock() {
    for krate in PURE_CRATES {
        let mut files = Vec::new();
        rust_files(&root().join("crates").join(krate).join("src"), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for clock in ["Utc::now", "Local::now", "SystemTime::now", "Instant::now", "now_v7", "new_v4"] {
                let in_code = text.lines().any(|l| !l.trim_start().starts_with("//") && l.contains(clock));
                assert!(!in_code, "{} reads the clock or randomness ({clock}); pass it in instead", file.display());
            }
        }
    }
}

#[test]
fn the_desktop_shell_holds_no_business_logic() {
    let mut files = Vec::new();
    rust_files(&root().join("crates/crm-desktop/src"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for forbidden in ["rusqlite", "automerge", "crm_store", "crm_doc::RecordDoc", "validate("] {
            assert!(!text.contains(forbidden), "{} uses {forbidden}: put it in crm-client", file.display());
        }
    }
}
