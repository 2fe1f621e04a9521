#!/usr/bin/env bash
# Lint wall time on generated catalogs of 1,000 and 10,000 articles, and beside it, on the
# same trees in the same run, markdownlint-cli2 with its default configuration.
#
#   scripts/bench-lint.sh [RUNS]
#
# Needs: cargo, node and npm (markdownlint-cli2 is installed into a temporary folder).
# Prints the median wall time of RUNS runs (default 3) and the ratio of the two tools.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
runs=${1:-3}
make_work

cargo build --release --quiet --bin catalog
catalog=$PWD/target/release/catalog

echo "installing markdownlint-cli2 into $work/npm ..." >&2
npm install --silent --prefix "$work/npm" markdownlint-cli2@0.24.1 >/dev/null 2>&1
markdownlint="$work/npm/node_modules/.bin/markdownlint-cli2"


printf '%-10s %14s %22s %8s\n' articles "catalog lint" "markdownlint-cli2" ratio
for count in 1000 10000; do
  tree="$work/tree-$count"
  "$catalog" generate "$tree" --count "$count" >/dev/null
  ours=$(median_ms "$runs" "$catalog" --catalog "$tree" lint)
  theirs=$(cd "$tree" && median_ms "$runs" "$markdownlint" "**/*.md")
  ratio=$(awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "%.1fx", a / b }')
  printf '%-10s %11s ms %19s ms %8s\n' "$count" "$ours" "$theirs" "$ratio"
done
echo "(median of $runs runs, $(nproc) cores; ratio = markdownlint-cli2 time / catalog lint time)"
