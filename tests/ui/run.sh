#!/usr/bin/env bash
# Real-window UI tests: a real crm-server, the real crm-desktop window under Xvfb, driven by
# tauri-driver, and tests/ui/ui_test.py, pipeline_test.py, account_test.py, import_test.py,
# service_test.py then reports_test.py playing the user (each in its own session of the
# app, on the same data directory; import_test.py also opens the administrator's app on a
# data directory of its own, service_test.py the marketing user's and the customer service
# user's, reports_test.py the sales manager's, each on one of its own). The last line
# printed is the combined "N passed, M failed".
#
# Usage:  CRM_TARGET_DIR=target tests/ui/run.sh
#
# Needs, already built by the caller (with the custom-protocol feature, so app-ui/dist is
# embedded):  $CRM_TARGET_DIR/debug/crm-server  and  $CRM_TARGET_DIR/debug/crm-desktop.
# Needs on the machine: xvfb-run, WebKitWebDriver (Debian: webkit2gtk-driver), python3,
# and tauri-driver (`cargo install tauri-driver --version '^2' --locked`).
#
# Screenshots and logs are kept in ${CRM_SHOT_DIR:-target/ui-artifacts}; everything else
# lives in a temporary directory removed on exit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

# Waits until URL answers 200 (and, with a third argument, a WebDriver status "ready").
wait_http() {
  python3 - "$@" <<'PY'
import json, sys, time, urllib.request
url, timeout = sys.argv[1], float(sys.argv[2])
need_ready = len(sys.argv) > 3
deadline = time.monotonic() + timeout
last = "no answer"
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            body = response.read()
            if not need_ready or (json.loads(body).get("value") or {}).get("ready"):
                sys.exit(0)
            last = body[:200]
    except Exception as error:  # connection refused while it starts
        last = error
    time.sleep(0.2)
print(f"run.sh: {url} was not ready within {timeout:.0f} s ({last})", file=sys.stderr)
sys.exit(1)
PY
}

# ---------------------------------------------------------------------------------------
# Second stage, inside xvfb-run: tauri-driver and the test share the virtual display.
# ---------------------------------------------------------------------------------------
if [[ "${1:-}" == "--under-xvfb" ]]; then
  # setsid: tauri-driver, the WebKitWebDriver it starts and the app form one process
  # group, stopped together on exit.
  setsid "$TAURI_DRIVER" --port 4444 >"$CRM_UI_TMP/tauri-driver.log" 2>&1 </dev/null &
  driver_pid=$!
  trap 'kill -- -"$driver_pid" 2>/dev/null || true; wait "$driver_pid" 2>/dev/null || true' EXIT
  if ! wait_http http://127.0.0.1:4444/status 20 ready; then
    echo "run.sh: tauri-driver did not start; its log:" >&2
    cat "$CRM_UI_TMP/tauri-driver.log" >&2 || true
    exit 1
  fi
  # Both tests run, in this order (the second uses the account the first one created);
  # each prints "N passed, M failed" last, and the totals are printed at the end.
  status=0
  total_passed=0
  total_failed=0
  for test in ui_test.py pipeline_test.py account_test.py import_test.py service_test.py reports_test.py; do
    echo "run.sh: $test"
    if ! python3 "$HERE/$test" 2>&1 | tee "$CRM_UI_TMP/$test.out"; then
      status=1
    fi
    summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$CRM_UI_TMP/$test.out" | tail -n 1 || true)"
    if [[ -z "$summary" ]]; then
      summary="0 passed, 1 failed"
      status=1
    fi
    read -r passed _ failed _ <<<"$summary"
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
  done
  if (( total_failed > 0 )); then
    status=1
  fi
  echo "$total_passed passed, $total_failed failed"
  exit "$status"
fi

# ---------------------------------------------------------------------------------------
# First stage: check the tools, start the server, create the user.
# ---------------------------------------------------------------------------------------
: "${CRM_TARGET_DIR:?set CRM_TARGET_DIR to the cargo target directory holding debug/crm-server, debug/crm-desktop and debug/crm}"
TARGET_DIR="$(cd "$CRM_TARGET_DIR" && pwd)"
SERVER_BIN="$TARGET_DIR/debug/crm-server"
export CRM_APP="$TARGET_DIR/debug/crm-desktop"
CLI_BIN="$TARGET_DIR/debug/crm"
export TAURI_DRIVER="${TAURI_DRIVER:-$HOME/.cargo/bin/tauri-driver}"

for binary in "$SERVER_BIN" "$CRM_APP" "$CLI_BIN" "$TAURI_DRIVER"; do
  [[ -x "$binary" ]] || { echo "run.sh: $binary is missing or not executable" >&2; exit 1; }
done
for tool in xvfb-run WebKitWebDriver python3 setsid; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed (see the header of this script)" >&2; exit 1; }
done

SHOT_DIR="${CRM_SHOT_DIR:-$ROOT/target/ui-artifacts}"
mkdir -p "$SHOT_DIR"
CRM_SHOT_DIR="$(cd "$SHOT_DIR" && pwd)"
export CRM_SHOT_DIR
rm -f "$CRM_SHOT_DIR"/ui-final.{png,html} "$CRM_SHOT_DIR"/pipeline-final.{png,html} "$CRM_SHOT_DIR/pipeline.png" \
  "$CRM_SHOT_DIR"/import-final.{png,html} "$CRM_SHOT_DIR"/import-rep-final.{png,html} \
  "$CRM_SHOT_DIR"/service-marketing-final.{png,html} "$CRM_SHOT_DIR"/service-support-final.{png,html} \
  "$CRM_SHOT_DIR"/reports-manager-final.{png,html}

TMP="$(mktemp -d -t crm-ui.XXXXXX)"
export CRM_UI_TMP="$TMP"

cleanup() {
  local status=$?
  bash "$TMP/stop-server.sh" 2>/dev/null || true
  for log in server.log tauri-driver.log; do
    [[ -f "$TMP/$log" ]] && cp "$TMP/$log" "$CRM_SHOT_DIR/$log"
  done
  rm -rf "$TMP"
  if [[ $status -ne 0 ]]; then
    echo "run.sh: failed; screenshot and logs in $CRM_SHOT_DIR" >&2
  fi
  exit $status
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export CRM_SERVER_URL="http://127.0.0.1:$PORT"

# The commands ui_test.py runs to take the server down and bring it back. The server is
# started in the background and its pid kept in a file, so any shell can stop it.
cat >"$TMP/start-server.sh" <<EOF
#!/usr/bin/env bash
$(printf '%q' "$SERVER_BIN") serve --listen 127.0.0.1:$PORT --data-dir $(printf '%q' "$TMP/server") \\
  >>$(printf '%q' "$TMP/server.log") 2>&1 </dev/null &
echo \$! >$(printf '%q' "$TMP/server.pid")
EOF
cat >"$TMP/stop-server.sh" <<EOF
#!/usr/bin/env bash
pid=\$(cat $(printf '%q' "$TMP/server.pid") 2>/dev/null) || exit 0
kill "\$pid" 2>/dev/null || exit 0
for _ in \$(seq 100); do kill -0 "\$pid" 2>/dev/null || exit 0; sleep 0.1; done
kill -9 "\$pid" 2>/dev/null || true
EOF
export CRM_SERVER_START_CMD="bash $(printf '%q' "$TMP/start-server.sh")"
export CRM_SERVER_STOP_CMD="bash $(printf '%q' "$TMP/stop-server.sh")"

mkdir -p "$TMP/server" "$TMP/app"
bash "$TMP/start-server.sh"
if ! wait_http "$CRM_SERVER_URL/health" 20; then
  cat "$TMP/server.log" >&2 || true
  exit 1
fi

# The app keeps its data key out of any keyring: the second session must be unlocked
# with the password, through the unlock screen.
export CRM_NO_KEYRING=1
export CRM_EMAIL="rep@example.fr"
export CRM_PASSWORD="secret-pass"
echo "$CRM_PASSWORD" | "$SERVER_BIN" user add --data-dir "$TMP/server" \
  --email "$CRM_EMAIL" --name "Rep UI" --role rep

# The catalogue is the administrator's: one product with a photo, made with the real
# `crm` command, which the rep's app downloads only when it is opened.
echo "$CRM_PASSWORD" | "$SERVER_BIN" user add --data-dir "$TMP/server" \
  --email "admin@example.fr" --name "Admin UI" --role admin
python3 - "$TMP/photo.png" <<'PY'
import struct, sys, zlib
width, height = 320, 200
rows = b"".join(
    b"\x00" + bytes(v for x in range(width) for v in (x * 255 // width, y * 255 // height, 160))
    for y in range(height)
)
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
(
  export CRM_DATA_DIR="$TMP/admin"
  echo "$CRM_PASSWORD" | "$CLI_BIN" login --server "$CRM_SERVER_URL" --email admin@example.fr >/dev/null
  "$CLI_BIN" product add --reference PHOTO-UI --designation "Borne de garde UI" --price 1250 \
    --pitch "Un technicien chez vous en moins de 2 heures." >/dev/null
  "$CLI_BIN" product attach PHOTO-UI "$TMP/photo.png" >/dev/null
  "$CLI_BIN" sync >/dev/null
)

# account_test.py plays the administrator's other device with the same `crm` command, to
# change a record at the same time as the rep (a conflict).
export CRM_CLI="$CLI_BIN"
export CRM_ADMIN_DATA_DIR="$TMP/admin"

# import_test.py merges duplicates, which a rep may not do (a merge deletes a record): it
# opens the administrator's app too, on a device of their own. The app reads its data
# directory from CRM_DATA_DIR only, so tauri-driver starts it through this wrapper.
mkdir -p "$TMP/admin-app"
cat >"$TMP/admin-app.sh" <<EOF
#!/usr/bin/env bash
export CRM_DATA_DIR=$(printf '%q' "$TMP/admin-app")
exec $(printf '%q' "$CRM_APP") "\$@"
EOF
chmod +x "$TMP/admin-app.sh"
export CRM_ADMIN_APP="$TMP/admin-app.sh"
export CRM_ADMIN_EMAIL="admin@example.fr"

# service_test.py plays marketing (the lead inbox) and customer service (the ticket queue
# and the incoming-call card): two more users, each with an app on a data directory of its
# own, started through wrappers like the administrator's. Customer service's app listens
# for the telephony hook on a free port of its own (CRM_CALL_PORT), which the test calls
# as a softphone would; marketing's gets another, so no two apps ever share one. The test
# seeds its lead with `crm` on a marketing device of its own, and the caller's account and
# contact with the administrator's `crm` (CRM_ADMIN_DATA_DIR).
export CRM_MARKETING_EMAIL="marketing@example.fr"
export CRM_SUPPORT_EMAIL="support@example.fr"
echo "$CRM_PASSWORD" | "$SERVER_BIN" user add --data-dir "$TMP/server" \
  --email "$CRM_MARKETING_EMAIL" --name "Marketing UI" --role marketing
echo "$CRM_PASSWORD" | "$SERVER_BIN" user add --data-dir "$TMP/server" \
  --email "$CRM_SUPPORT_EMAIL" --name "Support UI" --role support
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
CRM_SUPPORT_CALL_PORT="$(free_port)"
MARKETING_CALL_PORT="$(free_port)"
export CRM_SUPPORT_CALL_PORT
mkdir -p "$TMP/marketing-app" "$TMP/support-app"
cat >"$TMP/marketing-app.sh" <<EOF
#!/usr/bin/env bash
export CRM_DATA_DIR=$(printf '%q' "$TMP/marketing-app")
export CRM_CALL_PORT=$MARKETING_CALL_PORT
exec $(printf '%q' "$CRM_APP") "\$@"
EOF
cat >"$TMP/support-app.sh" <<EOF
#!/usr/bin/env bash
export CRM_DATA_DIR=$(printf '%q' "$TMP/support-app")
export CRM_CALL_PORT=$CRM_SUPPORT_CALL_PORT
exec $(printf '%q' "$CRM_APP") "\$@"
EOF
chmod +x "$TMP/marketing-app.sh" "$TMP/support-app.sh"
export CRM_MARKETING_APP="$TMP/marketing-app.sh"
export CRM_SUPPORT_APP="$TMP/support-app.sh"

# reports_test.py plays the sales manager of "Rep UI": the team's week (« Rapports », where
# a manager lands) and the dashboard, in an app on a data directory of its own started
# through a wrapper like the others (with a telephony port of its own). The test seeds the
# rep's week with `crm` on a rep device of its own.
export CRM_MANAGER_EMAIL="manager@example.fr"
echo "$CRM_PASSWORD" | "$SERVER_BIN" user add --data-dir "$TMP/server" \
  --email "$CRM_MANAGER_EMAIL" --name "Manager UI" --role manager
"$SERVER_BIN" user set-manager --data-dir "$TMP/server" --email "$CRM_EMAIL" --manager "$CRM_MANAGER_EMAIL"
MANAGER_CALL_PORT="$(free_port)"
mkdir -p "$TMP/manager-app"
cat >"$TMP/manager-app.sh" <<EOF
#!/usr/bin/env bash
export CRM_DATA_DIR=$(printf '%q' "$TMP/manager-app")
export CRM_CALL_PORT=$MANAGER_CALL_PORT
exec $(printf '%q' "$CRM_APP") "\$@"
EOF
chmod +x "$TMP/manager-app.sh"
export CRM_MANAGER_APP="$TMP/manager-app.sh"

# The app: its own data directory, a fast sync loop, and a private home for WebKit's
# storage so the test always starts in French with nothing remembered.
export CRM_DATA_DIR="$TMP/app"
export CRM_SYNC_INTERVAL_MS=1000
export XDG_DATA_HOME="$TMP/xdg/data" XDG_CONFIG_HOME="$TMP/xdg/config" XDG_CACHE_HOME="$TMP/xdg/cache"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"

echo "run.sh: server on $CRM_SERVER_URL, app data in $CRM_DATA_DIR"
xvfb-run -a -s '-screen 0 1280x800x24' bash "$HERE/run.sh" --under-xvfb
