#!/usr/bin/env bash
# Instructions per search, counted by Callgrind: a figure a busy machine does not change,
# for comparing two versions of the search code where wall times are too noisy to.
#
#   scripts/search-instructions.sh CATALOG_DIR [QUERY...]
#
# CATALOG_DIR must be indexed already (`catalog --catalog CATALOG_DIR index`); its data is
# read from CATALOG_DIR/.catalog. Without QUERY, the slowest dev queries of the 10,000-article
# benchmark and two short ones are counted.
#
# Needs: cargo and valgrind (`apt-get install valgrind`). Each query runs 1 + ROUNDS times
# (ROUNDS from the environment, default 5); only the inside of `SearchEngine::search` is
# counted, and the total is divided by the number of searches. Two figures: the searching
# thread's, which is what a search waits for, and all threads' (a search runs on one thread
# today, so they agree unless work moves to other threads). About 10 s per query.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }
tree=$1
shift
rounds=${ROUNDS:-5}
if [ $# -eq 0 ]; then
  set -- \
    "threads blocked waiting for a free database connection" \
    "foreign key constraint error on insert" \
    "max connections reached on the database server" \
    "request threads all busy and the queue keeps growing" \
    "deleted cache entry came back stale" \
    "stock badge on the product page is out of date" \
    "databse" \
    "cache"
fi

bench=$(cargo bench --no-run -p catalog-indexer --bench search_latency --message-format=json 2>/dev/null \
  | grep -o '"executable":"[^"]*search_latency[^"]*"' | tail -1 | cut -d'"' -f4)
[ -x "$bench" ] || { echo "could not build the search_latency bench" >&2; exit 1; }

# The bench finds the dev queries relative to the indexer crate.
cd indexer
# Each thread counts apart: the searching thread (the one a search waits on), and any rayon
# job a search would hand to other threads, counted from the start of each job.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%10s %10s  %s\n' "thread" "all" "query"
for query in "$@"; do
  rm -f "$out"/cg*
  valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out/cg" \
      --toggle-collect='catalog_indexer::search::engine::SearchEngine::search' \
      --toggle-collect='<rayon_core::job::HeapJob<*> as rayon_core::job::Job>::execute' \
      "$bench" "$tree" "$tree/.catalog" "$rounds" "$query" >/dev/null 2>&1
  thread=$(sed -n 's/^totals: //p' "$out/cg-01")
  all=$(cat "$out"/cg-* | sed -n 's/^totals: //p' | awk '{ sum += $1 } END { print sum }')
  awk -v thread="$thread" -v all="$all" -v searches=$((rounds + 1)) -v query="$query" \
    'BEGIN { printf "%8.2f M %8.2f M  %s\n", thread / searches / 1e6, all / searches / 1e6, query }'
done
