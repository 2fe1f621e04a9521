#!/usr/bin/env bash
# Index and search figures on generated catalogs (release build):
#   - full index time and peak memory for 1,000 and 10,000 articles;
#   - re-index after one changed file in the 10,000-article catalog;
#   - in-process search p50/p99 over the dev queries at 10,000 articles.
#
#   scripts/bench-index-search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin catalog
catalog=$PWD/target/release/catalog

measure() { # prints "seconds peak-MiB" of a command
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null
  awk '{ printf "%.2f s, peak RSS %d MiB", $1, $2 / 1024 }' "$work/time"
}

for count in 1000 10000; do
  tree="$work/tree-$count"
  "$catalog" generate "$tree" --count "$count" >/dev/null
  echo "full index, $count articles: $(measure "$catalog" --catalog "$tree" index)"
done

tree="$work/tree-10000"
file="$tree/concurrency/problem-00007.md"
printf '\nOne more paragraph about a changed article.\n' >> "$file"
echo "re-index after one changed file, 10000 articles: $(measure "$catalog" --catalog "$tree" index)"
"$catalog" --catalog "$tree" index | sed 's/^/  /'

cargo bench --quiet -p catalog-indexer --bench search_latency -- "$tree" "$tree/.catalog" 20
