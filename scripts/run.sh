#!/usr/bin/env bash
# Runs the product: the sync server on its embedded SQLite database (127.0.0.1:8080,
# data in ./crm-server-data) and the desktop app. A demo user is created the first time:
# demo@example.fr / demo-password. Without a display, the app runs under Xvfb and a
# screenshot is written to target/demo.png.
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
if ! "$BIN/crm-server" user list --data-dir crm-server-data | grep -q demo@example.fr; then
  echo demo-password | "$BIN/crm-server" user add --data-dir crm-server-data \
    --email demo@example.fr --name "Démo Commercial" --role rep
fi
echo "Server on http://$LISTEN — log in as demo@example.fr / demo-password"
if [[ -n "${DISPLAY:-}" ]]; then
  CRM_DATA_DIR="${CRM_DATA_DIR:-$ROOT/crm-desktop-data}" "$BIN/crm-desktop"
else
  echo "No display: running the app under Xvfb for 20 s and saving target/demo.png"
  mkdir -p target
  CRM_DATA_DIR="${CRM_DATA_DIR:-$ROOT/crm-desktop-data}" xvfb-run -a -s '-screen 0 1280x800x24' \
    bash -c "\"$BIN/crm-desktop\" & app=\$!; sleep 20; import -window root target/demo.png 2>/dev/null || true; kill \$app"
fi
