#!/usr/bin/env bash
# Packages the sync server for Linux servers: a Debian package
#   crm-server_<version>_<arch>.deb   (binary, systemd unit, /etc/crm-server/crm-server.env)
# and a tarball for other distributions
#   crm-server-<version>-linux-<machine>.tar.gz
# from an already built binary. <version> is the workspace's ([workspace.package] in
# Cargo.toml). Needs dpkg-deb, objdump and ldd; no root (files are owned by root in the
# package through --root-owner-group).
#
# Usage: scripts/package-server.sh [--binary PATH] [--out DIR] [--fast]
#   --binary  the crm-server to package (default: $CARGO_TARGET_DIR/release/crm-server,
#             built by `cargo build --release -p crm-server`)
#   --out     where to write the .deb and the tarball (default: $CARGO_TARGET_DIR/packages)
#   --fast    light compression (for tests: a debug binary is large)
# The paths of what was written are printed on stdout, one a line.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

binary="$TARGET_DIR/release/crm-server"
out="$TARGET_DIR/packages"
fast=0
while (($#)); do
  case "$1" in
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --fast) fast=1; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package-server: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "package-server: $*" >&2; exit 1; }
[[ -x "$binary" ]] || fail "no executable $binary: build it first (cargo build --release -p crm-server) or give --binary PATH"
for tool in dpkg-deb objdump ldd; do
  command -v "$tool" >/dev/null || fail "$tool is missing (Debian: apt-get install dpkg binutils libc-bin)"
done

# The version every crate shares: the first `version = "…"` of [workspace.package].
version="$(awk '
  /^\[/ { in_section = ($0 == "[workspace.package]") }
  in_section && $1 == "version" { gsub(/[" ]/, "", $3); print $3; exit }
' "$ROOT/Cargo.toml")"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "no version in [workspace.package] of $ROOT/Cargo.toml"

# The binary's architecture, in Debian's words and in uname's.
case "$(objdump -f "$binary" | sed -n 's/^architecture: \([^,]*\).*/\1/p')" in
  i386:x86-64) deb_arch=amd64; machine=x86_64 ;;
  aarch64) deb_arch=arm64; machine=aarch64 ;;
  *) fail "$binary: unsupported architecture ($(objdump -f "$binary" | grep architecture))" ;;
esac

# The Debian packages the binary's shared libraries come from, found by dpkg on this
# machine; the C library with the newest GLIBC_ symbol version the binary uses.
depends() {
  local glibc soname path package packages=()
  glibc="$(objdump -T "$binary" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)"
  for soname in $(objdump -p "$binary" | awk '$1 == "NEEDED" { print $2 }'); do
    case "$soname" in
      libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|ld-linux*) continue ;;
    esac
    path="$(ldd "$binary" | awk -v so="$soname" '$1 == so { print $3 }')"
    [[ -n "$path" ]] || fail "$binary needs $soname, which this machine lacks"
    package="$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null || true)"
    package="${package%%:*}"
    [[ -n "$package" ]] || fail "no Debian package owns $path ($soname): is the binary linked against a library installed by hand?"
    # OpenSSL was renamed by the 64-bit time_t transition (Debian 13, Ubuntu 24.04):
    # either name will do, wherever the package was built.
    case "$package" in
      libssl3|libssl3t64) package="libssl3 | libssl3t64" ;;
    esac
    packages+=("$package")
  done
  printf '%s' "libc6 (>= ${glibc:-2.31})"
  if ((${#packages[@]})); then
    printf '%s\n' "${packages[@]}" | sort -u | while read -r package; do printf ', %s' "$package"; done
  fi
  echo
}

STAGE="$(mktemp -d -t crm-server-package.XXXXXX)"
trap 'rm -rf "$STAGE"' EXIT
PKG="$STAGE/crm-server_${version}_${deb_arch}"

install -D -m 0755 "$binary" "$PKG/usr/bin/crm-server"
# Line tables are for backtraces on the build machine; the package ships without them.
if command -v strip >/dev/null; then
  strip --strip-debug "$PKG/usr/bin/crm-server"
fi
install -D -m 0644 "$ROOT/packaging/crm-server.service" "$PKG/lib/systemd/system/crm-server.service"
# Root only: it may hold the database's and the SMTP relay's passwords (systemd reads it
# as root before starting the server as crm-server).
install -D -m 0600 "$ROOT/packaging/crm-server.env" "$PKG/etc/crm-server/crm-server.env"
install -D -m 0644 "$ROOT/packaging/README" "$PKG/usr/share/doc/crm-server/README"
install -D -m 0644 "$ROOT/packaging/copyright" "$PKG/usr/share/doc/crm-server/copyright"

mkdir -p "$PKG/DEBIAN"
cat >"$PKG/DEBIAN/control" <<EOF
Package: crm-server
Version: $version
Section: net
Priority: optional
Architecture: $deb_arch
Depends: adduser, $(depends)
Suggests: postgresql
Installed-Size: $(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
Maintainer: CRM Terrain <contact@crmterrain.fr>
Description: CRM Terrain - serveur de synchronisation
 Le serveur du CRM hors ligne des commerciaux terrain : il reçoit les
 modifications des postes (application de bureau, commande crm), vérifie
 les droits de chacun et renvoie à chaque poste celles des autres.
 .
 Base SQLite intégrée (/var/lib/crm-server) ou PostgreSQL ; service systemd
 crm-server, réglages dans /etc/crm-server/crm-server.env.
EOF
echo /etc/crm-server/crm-server.env >"$PKG/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$ROOT/packaging/debian/$script" "$PKG/DEBIAN/$script"
done

mkdir -p "$out"
out="$(cd "$out" && pwd)"
deb="$out/crm-server_${version}_${deb_arch}.deb"
if ((fast)); then compression=(-Zgzip -z1); else compression=(-Zxz); fi
dpkg-deb --build --root-owner-group "${compression[@]}" "$PKG" "$deb" >/dev/null

# The tarball: the same files in one folder, for a distribution without dpkg.
name="crm-server-$version-linux-$machine"
mkdir -p "$STAGE/$name"
cp "$PKG/usr/bin/crm-server" "$PKG/lib/systemd/system/crm-server.service" \
  "$ROOT/packaging/crm-server.env" "$ROOT/packaging/README" "$STAGE/$name/"
tarball="$out/$name.tar.gz"
GZIP_LEVEL=$((fast ? 1 : 9))
tar -C "$STAGE" --owner=0 --group=0 -cf - "$name" | gzip -"$GZIP_LEVEL" >"$tarball"

echo "$deb"
echo "$tarball"
