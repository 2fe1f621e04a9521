#!/usr/bin/env bash
# Lint wall time on a real docs site adopted with `catalog init`, and beside it, on the same
# tree in the same run, markdownlint-cli2 with its default configuration.
#
#   scripts/bench-lint-site.sh SITE_DIR [RUNS]
#
# SITE_DIR is a folder of markdown (for the project's reference site: the `docs-site/content`
# folder of github:gauravprwl14/system-design-course). It is copied; the copy gets a
# catalog.toml from `catalog init`. Needs cargo, node and npm (markdownlint-cli2 is installed
# into a temporary folder). Prints the median wall time of RUNS runs (default 5) and the ratio.
set -euo pipefail
site=${1:?usage: scripts/bench-lint-site.sh SITE_DIR [RUNS]}
site=$(cd "$site" && pwd)
cd "$(dirname "$0")/.."
source scripts/lib.sh
runs=${2:-5}
make_work

cargo build --release --quiet --bin catalog
catalog=$PWD/target/release/catalog

echo "installing markdownlint-cli2 into $work/npm ..." >&2
npm install --silent --prefix "$work/npm" markdownlint-cli2@0.24.1 >/dev/null 2>&1
markdownlint="$work/npm/node_modules/.bin/markdownlint-cli2"

cp -r "$site" "$work/site"
"$catalog" init "$work/site" >/dev/null


files=$(find "$work/site" -name '*.md' -o -name '*.mdx' | wc -l)
ours=$(median_ms "$runs" "$catalog" --catalog "$work/site" lint)
theirs=$(cd "$work/site" && median_ms "$runs" "$markdownlint" "**/*.md" "**/*.mdx")
ratio=$(awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "%.1fx", a / b }')
printf '%s markdown files: catalog lint %s ms, markdownlint-cli2 %s ms, ratio %s\n' \
  "$files" "$ours" "$theirs" "$ratio"
echo "(median of $runs runs, $(nproc) cores; ratio = markdownlint-cli2 time / catalog lint time)"
