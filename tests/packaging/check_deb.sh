#!/usr/bin/env bash
# Checks the server's Debian package and tarball: builds them with
# scripts/package-server.sh from the debug binary, then reads them back with dpkg-deb
# (files, owners and modes, control fields, conffiles, maintainer scripts), runs the
# packaged binary, starts it with the packaged settings, and has systemd-analyze verify
# the unit (when systemd-analyze is there). Prints "packaging: N checks passed", or stops
# at the first failure saying what was expected and what was found.
#
# Usage:  CARGO_TARGET_DIR=target tests/packaging/check_deb.sh
# Needs $CARGO_TARGET_DIR/debug/crm-server (cargo build -p crm-server), dpkg-deb,
# objdump, python3 and curl.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

: "${CARGO_TARGET_DIR:?set CARGO_TARGET_DIR to the cargo target directory holding debug/crm-server}"
BINARY="$CARGO_TARGET_DIR/debug/crm-server"
[[ -x "$BINARY" ]] || { echo "packaging: $BINARY is missing: cargo build -p crm-server" >&2; exit 1; }

TMP="$(mktemp -d -t crm-check-deb.XXXXXX)"
server=""
cleanup() {
  if [[ -n "$server" ]]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

passed=0
# check DESCRIPTION COMMAND…: runs COMMAND; on failure prints DESCRIPTION and what the
# command printed, and stops.
check() {
  local description="$1" output
  shift
  if output="$("$@" 2>&1)"; then
    passed=$((passed + 1))
  else
    echo "packaging: FAIL: $description" >&2
    [[ -n "$output" ]] && printf '%s\n' "$output" | sed 's/^/  /' >&2
    exit 1
  fi
}
# has TEXT PATTERN: TEXT has a line matching the extended regular expression PATTERN.
has() {
  grep -Eq -- "$2" <<<"$1" || { echo "expected a line matching /$2/ in:"; echo "$1"; return 1; }
}

version="$(awk '
  /^\[/ { in_section = ($0 == "[workspace.package]") }
  in_section && $1 == "version" { gsub(/[" ]/, "", $3); print $3; exit }
' "$ROOT/Cargo.toml")"
arch="$(dpkg --print-architecture)"
deb="$TMP/out/crm-server_${version}_${arch}.deb"
machine="$(uname -m)"
tarball="$TMP/out/crm-server-$version-linux-$machine.tar.gz"

# --- Building ---------------------------------------------------------------------------
check "scripts/package-server.sh builds the package" \
  bash "$ROOT/scripts/package-server.sh" --binary "$BINARY" --out "$TMP/out" --fast
check "the package is named crm-server_${version}_${arch}.deb" test -s "$deb"
check "the tarball is named crm-server-$version-linux-$machine.tar.gz" test -s "$tarball"

# --- Control fields ---------------------------------------------------------------------
info="$(dpkg-deb --info "$deb")"
field() { dpkg-deb --field "$deb" "$1"; }
check "Package is crm-server" test "$(field Package)" = crm-server
check "Version is the workspace's ($version), found '$(field Version)'" test "$(field Version)" = "$version"
check "Architecture is $arch, found '$(field Architecture)'" test "$(field Architecture)" = "$arch"
check "Depends names adduser and the C library" has "$(field Depends)" '(^|, )adduser, libc6 \(>= 2\.[0-9]+\)'
# (Read whole first: `grep -q` closing the pipe early would fail the pipeline.)
needed="$(objdump -p "$BINARY" | awk '$1 == "NEEDED" { print $2 }')"
if grep -q '^libssl\.so' <<<"$needed"; then
  check "Depends names OpenSSL, which the binary links" has "$(field Depends)" 'libssl3'
fi
check "Maintainer and Description are filled" test -n "$(field Maintainer)" -a -n "$(field Description)"
check "Installed-Size is given" has "$(field Installed-Size)" '^[1-9][0-9]*$'
check "the env file is a conffile" test "$(dpkg-deb --info "$deb" conffiles)" = /etc/crm-server/crm-server.env
for script in postinst prerm postrm; do
  # dpkg-deb --info marks executable control files with '*'.
  check "DEBIAN/$script is there and executable" has "$info" "^ +[0-9]+ bytes, +[0-9]+ lines +\* +$script "
done
mkdir -p "$TMP/control"
dpkg-deb --control "$deb" "$TMP/control"
for script in postinst prerm postrm; do
  check "DEBIAN/$script is valid sh" sh -n "$TMP/control/$script"
done
check "postinst creates the system user crm-server" \
  has "$(cat "$TMP/control/postinst")" 'adduser --system --group --home /var/lib/crm-server .*crm-server$'
check "postinst reloads systemd only when systemd runs" \
  has "$(grep -B2 'daemon-reload' "$TMP/control/postinst")" 'if \[ -d /run/systemd/system \]'

# --- Files, owners and modes ------------------------------------------------------------
contents="$(dpkg-deb --contents "$deb")"
expect_file() { check "$1 is $2 root/root" has "$contents" "^$2 root/root +[0-9]+ .* \./$1$"; }
expect_file usr/bin/crm-server -rwxr-xr-x
expect_file lib/systemd/system/crm-server.service -rw-r--r--
expect_file etc/crm-server/crm-server.env -rw-------
expect_file usr/share/doc/crm-server/copyright -rw-r--r--
expect_file usr/share/doc/crm-server/README -rw-r--r--
outside() {
  ! grep -Ev ' \./(usr|lib|etc)?(/.*)?$' <<<"$contents"
}
check "nothing outside /usr, /lib and /etc" outside

# --- The packaged files -----------------------------------------------------------------
dpkg-deb -x "$deb" "$TMP/root"
check "the unit is packaging/crm-server.service" \
  cmp "$TMP/root/lib/systemd/system/crm-server.service" "$ROOT/packaging/crm-server.service"
check "the env file is packaging/crm-server.env" \
  cmp "$TMP/root/etc/crm-server/crm-server.env" "$ROOT/packaging/crm-server.env"
unit="$(cat "$TMP/root/lib/systemd/system/crm-server.service")"
for line in 'User=crm-server' 'StateDirectory=crm-server' 'EnvironmentFile=-?/etc/crm-server/crm-server.env' \
  'ExecStart=/usr/bin/crm-server serve --data-dir /var/lib/crm-server' 'Restart=on-failure' \
  'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
  'ReadWritePaths=/var/lib/crm-server' 'WantedBy=multi-user.target'; do
  check "the unit says $line" has "$unit" "^$line$"
done
check "the packaged binary tells its version ($version)" \
  has "$("$TMP/root/usr/bin/crm-server" --version)" "^crm-server $version$"

# Every variable the env file mentions, set or commented out, is one the server reads:
# the [env: …] of `crm-server serve --help`, and the two log variables.
known="$("$TMP/root/usr/bin/crm-server" serve --help | grep -o 'env: CRM_[A-Z_]*' | cut -c6-) CRM_LOG CRM_LOG_FORMAT"
env_file="$TMP/root/etc/crm-server/crm-server.env"
for name in $(grep -Eo '^#?CRM_[A-Z_]+=' "$env_file" | tr -d '#=' | sort -u); do
  check "the env file's $name is read by the server" has "$known" "(^|[[:space:]])$name([[:space:]]|$)"
done
check "the env file listens on 127.0.0.1:8080" has "$(cat "$env_file")" '^CRM_LISTEN=127\.0\.0\.1:8080$'

# The packaged server starts with the packaged settings (its address moved to a free port
# of this machine) and answers /health.
port="$(python3 -c '
import socket
for port in range(18600, 18700):
    try:
        socket.create_server(("127.0.0.1", port)).close()
        print(port)
        break
    except OSError:
        pass')"
(
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
  exec env CRM_LISTEN="127.0.0.1:$port" "$TMP/root/usr/bin/crm-server" serve --data-dir "$TMP/data"
) >"$TMP/server.log" 2>&1 &
server=$!
healthy() {
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null && return 0
    kill -0 "$server" 2>/dev/null || { cat "$TMP/server.log"; return 1; }
    sleep 0.1
  done
  cat "$TMP/server.log"
  return 1
}
check "the packaged server starts with the packaged settings and answers /health" healthy
check "it made its SQLite database in --data-dir" test -s "$TMP/data/server.db"

if command -v systemd-analyze >/dev/null; then
  # The unit as packaged, its ExecStart pointed at the extracted binary (this machine has
  # no /usr/bin/crm-server). systemd-analyze exits 0 on unknown keys and bad values and
  # only prints them: any line about the unit fails.
  mkdir -p "$TMP/unit"
  sed "s#/usr/bin/crm-server#$TMP/root/usr/bin/crm-server#" "$TMP/root/lib/systemd/system/crm-server.service" \
    >"$TMP/unit/crm-server.service"
  verify() {
    local output
    output="$(systemd-analyze verify "$TMP/unit/crm-server.service" 2>&1)" || { echo "$output"; return 1; }
    if grep -q 'crm-server' <<<"$output"; then echo "$output"; return 1; fi
  }
  check "systemd-analyze verify accepts the unit" verify
else
  echo "packaging: systemd-analyze is not installed: the unit is not verified"
fi

# --- The tarball ------------------------------------------------------------------------
listing="$(tar -tzvf "$tarball")"
for file in crm-server crm-server.service crm-server.env README; do
  check "the tarball holds crm-server-$version-linux-$machine/$file" \
    has "$listing" " crm-server-$version-linux-$machine/$file$"
done
check "the tarball's crm-server is executable" has "$listing" "^-rwxr-xr-x .* crm-server-$version-linux-$machine/crm-server$"

echo "packaging: $passed checks passed"
