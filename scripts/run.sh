#!/usr/bin/env bash
# Runs the product: the sync server on its embedded SQLite database (127.0.0.1:8080, or
# CRM_LISTEN; data in ./crm-server-data) and the desktop app. The first time, a demo is
# seeded (scripts/demo-seed.sh): the rep demo@example.fr and their manager
# manager@example.fr, password demo-password, with a portfolio of 36 accounts, contacts,
# visit reports, deals, quotes, contracts, appointments and tasks. Without a display, the
# app runs under Xvfb, signs in as the demo rep, and a screenshot of its window is written
# to target/demo.png (scripts/demo-screenshot.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
(cd app-ui && npm run build --silent)
cargo build -p crm-server -p crm-desktop -p crm-cli
BIN="$CARGO_TARGET_DIR/debug"
LISTEN="${CRM_LISTEN:-127.0.0.1:8080}"

"$BIN/crm-server" serve --listen "$LISTEN" --data-dir crm-server-data &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs "http://$LISTEN/health" >/dev/null && break; sleep 0.1; done
curl -fs "http://$LISTEN/health" >/dev/null || { echo "run.sh: the server did not answer on http://$LISTEN" >&2; exit 1; }
bash scripts/demo-seed.sh --bin "$BIN" --server "http://$LISTEN" --data-dir crm-server-data
echo "Server on http://$LISTEN — log in as demo@example.fr (rep) or manager@example.fr (manager), password demo-password"
if [[ -n "${DISPLAY:-}" ]]; then
  CRM_DATA_DIR="${CRM_DATA_DIR:-$ROOT/crm-desktop-data}" "$BIN/crm-desktop"
else
  echo "No display: the app signs in as demo@example.fr under Xvfb and its window is saved to target/demo.png"
  bash scripts/demo-screenshot.sh --app "$BIN/crm-desktop" --server "http://$LISTEN" --out target/demo.png
fi
