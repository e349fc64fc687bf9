#!/usr/bin/env bash
# Prints the admin URL of a PostgreSQL server for the tests. Uses the one on
# 127.0.0.1:5432 when it answers; otherwise starts a throwaway cluster (Debian's
# postgresql) on port 55432 in a temporary directory, stopped by `postgres.sh stop`.
# CRM_PG_FORCE_THROWAWAY=1 skips the local server (to test this path).
set -euo pipefail
DIR="${CRM_PG_TMP:-/tmp/crm-test-pg}"
PORT=55432
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [[ "${1:-}" == "stop" ]]; then
  [[ -d "$DIR/data" ]] && as_postgres "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi
if [[ -z "${CRM_PG_FORCE_THROWAWAY:-}" ]] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  echo "postgres://postgres@127.0.0.1:5432/postgres"
  exit 0
fi
if ! pg_isready -q -h 127.0.0.1 -p $PORT 2>/dev/null; then
  [[ -n "$BIN" ]] || { echo "postgres.sh: PostgreSQL is not installed (run scripts/setup.sh)" >&2; exit 1; }
  rm -rf "$DIR"; mkdir -p "$DIR"
  [[ $(id -u) -eq 0 ]] && chown postgres "$DIR"
  as_postgres "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null
  echo "postgres.sh: started a throwaway PostgreSQL on 127.0.0.1:$PORT" >&2
fi
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
