#!/usr/bin/env bash
# Index and search figures on generated catalogs (release build):
#   - full index time and peak memory for 1,000 and 10,000 articles;
#   - re-index after one changed file in the 10,000-article catalog (five runs, a different
#     file each time);
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
  # A file modified less than 2 s before an index run read it is read again by the next run
  # (its time stamp cannot prove it unchanged): wait, as any tree edited a while ago would.
  sleep 2
  echo "full index, $count articles: $(measure "$catalog" --catalog "$tree" index)"
done

tree="$work/tree-10000"
# Write back what generating and indexing left dirty (about 400 MB): otherwise the syncs of
# the first re-index runs wait for that writeback, which is not what one edit of a catalog
# indexed a while ago costs.
sync
for n in 1 2 3 4 5; do
  file=$(ls "$tree"/concurrency/*.md | sed -n "${n}p")
  printf '\nOne more paragraph about a changed article.\n' >> "$file"
  echo "re-index after one changed file, 10000 articles (run $n): $(measure "$catalog" --catalog "$tree" index)"
done
printf '\nOne more paragraph about a changed article.\n' >> "$file"
CATALOG_INDEX_TIMINGS=1 "$catalog" --catalog "$tree" index 2>&1 | sed 's/^/  /'

cargo bench --quiet -p catalog-indexer --bench search_latency -- "$tree" "$tree/.catalog" 20
