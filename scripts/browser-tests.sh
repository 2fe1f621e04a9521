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
source scripts/lib.sh

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
  stop_serve
  rm -rf "$work"
}
trap cleanup EXIT

cp -r catalog "$work/catalog"
rm -rf "$work/catalog/.catalog"
start_serve target/debug/catalog "$work/catalog" "$work"

rm -rf target/browser-screenshots
CATALOG_URL="http://$addr" SCREENSHOTS=target/browser-screenshots \
  "$venv/bin/python" tests/browser/test_pages.py
