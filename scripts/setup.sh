#!/usr/bin/env bash
# Installs what building, running and testing the CRM needs, when it is missing:
# Debian packages (Tauri's build libraries, Xvfb, WebKitWebDriver, PostgreSQL, Node.js),
# tauri-driver, and the UI's npm packages. Safe to run again: it only installs what is absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need_apt=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in libwebkit2gtk-4.1-dev build-essential file libxdo-dev libssl-dev libayatana-appindicator3-dev \
           librsvg2-dev pkg-config xvfb xauth webkit2gtk-driver postgresql python3 python3-venv curl poppler-utils dovecot-imapd; do
  have_pkg "$pkg" || need_apt+=("$pkg")
done
command -v node >/dev/null || need_apt+=(nodejs npm)
if ((${#need_apt[@]})); then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "setup: Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    echo "setup: installing the Rust component $component"
    rustup component add "$component" || echo "setup: could not install $component (rustup component add $component)" >&2
  fi
done
if ! command -v tauri-driver >/dev/null && [[ ! -x "$HOME/.cargo/bin/tauri-driver" ]]; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked --quiet
fi

if [[ ! -d "$ROOT/app-ui/node_modules" ]]; then
  echo "setup: installing the UI's npm packages"
  (cd "$ROOT/app-ui" && npm install --no-audit --no-fund --loglevel=error)
fi
