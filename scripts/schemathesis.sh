#!/usr/bin/env bash
# Schema-driven fuzzing of the HTTP API: starts `catalog serve` on a copy of the bundled
# catalog (admin enabled) and runs schemathesis against the served OpenAPI document with every
# check enabled. Fails on any finding: a 5xx, a response that violates the document, a valid
# request rejected or an invalid one accepted.
#
#   scripts/schemathesis.sh [MAX_EXAMPLES]     (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."

max_examples=${1:-100}
schemathesis_version=4.32.5
venv=target/schemathesis-venv
if [[ ! -x $venv/bin/schemathesis ]] || ! "$venv/bin/schemathesis" --version | grep -qF "$schemathesis_version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

cargo build --locked --quiet --bin catalog
work=$(mktemp -d)
server=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cp -r catalog "$work/catalog"
rm -rf "$work/catalog/.catalog"
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
CATALOG_ADMIN_TOKEN=$token RUST_LOG=warn target/debug/catalog --catalog "$work/catalog" \
  serve --addr 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr" &
server=$!

addr=
for _ in $(seq 1 600); do
  addr=$(sed -n 's/^Serving .* on http:\/\///p' "$work/stdout")
  [[ -n $addr ]] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/stderr" >&2; exit 1; }
  sleep 0.1
done
[[ -n $addr ]] || { echo "catalog serve did not start" >&2; cat "$work/stderr" >&2; exit 1; }

"$venv/bin/schemathesis" run "http://$addr/api/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $token" \
  --max-examples "$max_examples" \
  --workers 2 \
  --no-color
