#!/usr/bin/env bash
# Lighthouse scores of the web pages: starts `catalog serve` on a copy of the bundled catalog
# and runs Lighthouse 12.2.3 (npm, installed into a temporary folder) in Debian's Chromium
# against `/`, a search, a problem page, `/stats` and `/triage`. Prints performance,
# accessibility, best practices and SEO.
#
#   scripts/lighthouse.sh
#
# Needs node and npm, and /usr/bin/chromium (or CHROME_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

make_work

echo "installing lighthouse into $work/npm ..." >&2
npm install --silent --prefix "$work/npm" lighthouse@12.2.3 >/dev/null 2>&1
lighthouse="$work/npm/node_modules/.bin/lighthouse"

cargo build --release --locked --quiet --bin catalog
cp -r catalog "$work/catalog"
rm -rf "$work/catalog/.catalog"
start_serve target/release/catalog "$work/catalog" "$work"

printf '%-45s %11s %13s %14s %5s\n' page performance accessibility best-practices seo
for path in "/" "/?q=too+many+clients+already" "/problems/availability/retry-storm" "/stats" "/triage"; do
  "$lighthouse" "http://$addr$path" --quiet --output=json --output-path="$work/report.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>&1
  node -e '
    const r = require(process.argv[1]);
    const s = (k) => Math.round(r.categories[k].score * 100);
    console.log(process.argv[2].padEnd(45), String(s("performance")).padStart(11),
      String(s("accessibility")).padStart(13), String(s("best-practices")).padStart(14),
      String(s("seo")).padStart(5));
    for (const [key, category] of Object.entries(r.categories)) {
      for (const ref of category.auditRefs) {
        const audit = r.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          console.log(`    ${key}: ${audit.id} (${audit.title})`);
        }
      }
    }
  ' "$work/report.json" "$path"
done
