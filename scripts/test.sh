#!/usr/bin/env bash
# Runs every test: formatting and lints, unit and end-to-end tests (real server on
# 127.0.0.1, SQLite and PostgreSQL), then the UI test in the real Tauri window under Xvfb.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export CRM_TEST_PG_URL="${CRM_TEST_PG_URL:-$(bash scripts/postgres.sh)}"
trap "bash scripts/postgres.sh stop" EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="$HOME/.cargo/bin:$PATH"

# The app's types and sentences, generated from the Rust types, then the app built on them.
CRM_WRITE_TYPES=1 cargo test -q -p crm-client --lib contract
(cd app-ui && npm run build --silent && npm test --silent)
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --exclude crm-desktop
cargo build -p crm-server -p crm-desktop -p crm-cli
BIN="$CARGO_TARGET_DIR/debug"
# The REST API against its OpenAPI document; the server's package; the guides' commands.
bash tests/api/contract.sh "$BIN"
bash tests/packaging/check_deb.sh
python3 tests/docs/check_commands.py "$BIN"
CRM_TARGET_DIR="$CARGO_TARGET_DIR" bash tests/ui/run.sh
