#!/usr/bin/env bash
# Browser tests of the web pages: starts `catalog serve` on a copy of the bundled catalog and
# drives Debian's Chromium through ChromeDriver (Python selenium from PyPI) with JavaScript on
# and off. Screenshots of failing pages land in target/browser-screenshots/.
#
#   scripts/browser-tests.sh
#
# Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian packages chromium and
# chromium-driver; .ci/run installs them) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

selenium_version=4.27.1
venv=target/browser-venv
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$selenium_version')" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "selenium==$selenium_version"
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
RUST_LOG=warn target/debug/catalog --catalog "$work/catalog" \
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

rm -rf target/browser-screenshots
CATALOG_URL="http://$addr" SCREENSHOTS=target/browser-screenshots \
  "$venv/bin/python" tests/browser/test_pages.py
