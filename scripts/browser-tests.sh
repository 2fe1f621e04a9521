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

venv=target/browser-venv
ensure_venv "$venv" scripts/python/selenium.txt

cargo build --locked --quiet --bin catalog
make_work

cp -r catalog "$work/catalog"
rm -rf "$work/catalog/.catalog"
start_serve target/debug/catalog "$work/catalog" "$work"

rm -rf target/browser-screenshots
CATALOG_URL="http://$addr" SCREENSHOTS=target/browser-screenshots \
  "$venv/bin/python" tests/browser/test_pages.py
