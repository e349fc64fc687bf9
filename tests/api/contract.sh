#!/usr/bin/env bash
# The REST API against its own OpenAPI document (schemathesis, from PyPI): a real server
# on 127.0.0.1 with a fresh SQLite database, an administrator's key and a rep's key, and
# every operation exercised with generated data. Checks: no 5xx, every status and
# content type the document declares, responses matching their schemas, and invalid
# data refused. Usage: tests/api/contract.sh BIN_DIR
set -euo pipefail
BIN="${1:?usage: tests/api/contract.sh BIN_DIR (where crm-server is)}"
# schemathesis in a virtual environment of its own (Debian's Python takes no system-wide pip install).
VENV="${CRM_PY_VENV:-$HOME/.cache/crm-py}"
if [[ ! -x "$VENV/bin/schemathesis" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check 'schemathesis>=4,<5'
fi
ST="$VENV/bin/schemathesis"
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
"$BIN/crm-server" serve --listen "127.0.0.1:$port" --data-dir "$work/data" --api-requests-per-minute 100000 \
  >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
echo 'contract-password' | "$BIN/crm-server" user add --data-dir "$work/data" --email admin@example.fr --name "Admin" --role admin >/dev/null
echo 'contract-password' | "$BIN/crm-server" user add --data-dir "$work/data" --email rep@example.fr --name "Rep" --role rep >/dev/null
key_of() { "$BIN/crm-server" api-key add --data-dir "$work/data" --name "$1" --user "$2" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])'; }
admin_key="$(key_of contract-admin admin@example.fr)"
rep_key="$(key_of contract-rep rep@example.fr)"

status=0
cd "$work"  # schemathesis keeps its cache (.schemathesis/) in the current directory
for key in "$admin_key" "$rep_key"; do
  "$ST" run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --header "Authorization: Bearer $key" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
    --phases examples,coverage,fuzzing --max-examples "${CRM_CONTRACT_EXAMPLES:-8}" --seed 1 \
    --workers 2 --no-shrink --suppress-health-check all >"$work/st.log" 2>&1 || status=$?
  tail -n 25 "$work/st.log"
  ((status == 0)) || break
done
if grep -q "panicked\|ERROR" "$work/server.log"; then
  echo "contract: the server logged errors:" >&2; grep "panicked\|ERROR" "$work/server.log" | head -20 >&2; status=1
fi
exit "$status"
