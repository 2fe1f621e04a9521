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
# counted, and the total is divided by the number of searches. About 10 s per query.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
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
for query in "$@"; do
  total=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      --toggle-collect='catalog_indexer::search::engine::SearchEngine::search' \
      "$bench" "$tree" "$tree/.catalog" "$rounds" "$query" 2>&1 \
    | grep -o 'Collected : [0-9]*' | grep -o '[0-9]*$')
  awk -v total="$total" -v searches=$((rounds + 1)) -v query="$query" \
    'BEGIN { printf "%8.2f M  %s\n", total / searches / 1000000, query }'
done
