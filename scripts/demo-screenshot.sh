#!/usr/bin/env bash
# A screenshot of the demo without a display: the real app under Xvfb, started and driven
# by tauri-driver, signs in as the demo rep through its sign-in form, waits for the
# portfolio and saves the window to OUT.PNG (scripts/demo_screenshot.py). The app runs on
# a data directory of its own, removed afterwards.
#
# Usage: scripts/demo-screenshot.sh --app PATH --server URL --out OUT.PNG
# Needs xvfb-run, WebKitWebDriver (Debian: webkit2gtk-driver), python3 and tauri-driver
# (all installed by scripts/setup.sh). CRM_DEMO_DRIVER_PORT (default 18444) and the port
# after it are tauri-driver's and WebKitWebDriver's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Second stage, inside xvfb-run: tauri-driver, then the script that plays the user.
if [[ "${1:-}" == "--under-xvfb" ]]; then
  port="$CRM_DEMO_DRIVER_PORT"
  # setsid: tauri-driver, WebKitWebDriver and the app form one process group, stopped together.
  setsid "$TAURI_DRIVER" --port "$port" --native-port $((port + 1)) >"$CRM_DEMO_TMP/tauri-driver.log" 2>&1 </dev/null &
  driver=$!
  trap 'kill -- -"$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/status" >/dev/null 2>&1 && break
    sleep 0.2
  done
  CRM_WEBDRIVER_URL="http://127.0.0.1:$port" python3 "$ROOT/scripts/demo_screenshot.py"
  exit
fi

app="" server="" out=""
while (($#)); do
  case "$1" in
    --app) app="${2:?}"; shift 2 ;;
    --server) server="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    *) echo "demo-screenshot: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
[[ -n "$app" && -n "$server" && -n "$out" ]] || { echo "demo-screenshot: --app, --server and --out are needed" >&2; exit 2; }
export TAURI_DRIVER="${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}"
for tool in xvfb-run WebKitWebDriver python3 setsid curl "$TAURI_DRIVER"; do
  command -v "$tool" >/dev/null || { echo "demo-screenshot: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done

TMP="$(mktemp -d -t crm-demo.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$(dirname "$out")" "$TMP/app" "$TMP/xdg/data" "$TMP/xdg/config" "$TMP/xdg/cache"
export CRM_DEMO_TMP="$TMP" CRM_DEMO_DRIVER_PORT="${CRM_DEMO_DRIVER_PORT:-18444}"
CRM_DEMO_SHOT="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
export CRM_APP="$app" CRM_SERVER_URL="$server" CRM_DEMO_SHOT
export CRM_EMAIL="${CRM_DEMO_EMAIL:-demo@example.fr}" CRM_PASSWORD="${CRM_DEMO_PASSWORD:-demo-password}"
export CRM_DEMO_ACCOUNTS="${CRM_DEMO_ACCOUNTS:-36}"
# A fresh device: its own data, no keyring, WebKit's storage in a private home (French,
# nothing remembered), and the telephony hook on a port of its own.
export CRM_DATA_DIR="$TMP/app" CRM_NO_KEYRING=1 CRM_CALL_PORT=$((CRM_DEMO_DRIVER_PORT + 2))
# Paris time, as the rep sees the agenda.
export TZ=Europe/Paris
export XDG_DATA_HOME="$TMP/xdg/data" XDG_CONFIG_HOME="$TMP/xdg/config" XDG_CACHE_HOME="$TMP/xdg/cache"
if ! xvfb-run -a -s '-screen 0 1920x1080x24' bash "$0" --under-xvfb; then
  echo "demo-screenshot: failed; tauri-driver's log:" >&2
  tail -n 20 "$TMP/tauri-driver.log" >&2 || true
  exit 1
fi
