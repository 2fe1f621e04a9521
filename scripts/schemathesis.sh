#!/usr/bin/env bash
# Schema-driven fuzzing of the HTTP API: starts `catalog serve` on a copy of the bundled
# catalog (admin enabled) and runs schemathesis against the served OpenAPI document with every
# check enabled. Fails on any finding: a 5xx, a response that violates the document, a valid
# request rejected or an invalid one accepted.
#
#   scripts/schemathesis.sh [MAX_EXAMPLES]     (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

max_examples=${1:-100}
venv=target/schemathesis-venv
ensure_venv "$venv" scripts/python/schemathesis.txt

cargo build --locked --quiet --bin catalog
make_work

cp -r catalog "$work/catalog"
rm -rf "$work/catalog/.catalog"
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
CATALOG_ADMIN_TOKEN=$token start_serve target/debug/catalog "$work/catalog" "$work"

# One worker: with two, schemathesis parses Python sources (hypothesis describing its lambdas)
# in two threads at once, and CPython 3.11 can then fail with "SystemError: AST constructor
# recursion depth mismatch" (python/cpython#106905); CI stopped on that once with every request
# passing.
# `filter_too_much` is a health check of the example generator, not a finding about the API:
# with some seeds schemathesis discards too many of the values it generates for
# `GET /api/v1/problems/{id}` before sending them, and the run stopped with every request
# that was sent passing (seen once in CI, seed 142062330803115212779979396806489129431).
"$venv/bin/schemathesis" run "http://$addr/api/openapi.json" \
  --checks all \
  --suppress-health-check=filter_too_much \
  --header "Authorization: Bearer $token" \
  --max-examples "$max_examples" \
  --workers 1 \
  --no-color
