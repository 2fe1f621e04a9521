#!/usr/bin/env bash
# HTTP figures on a generated catalog (release build, wrk on loopback, same machine):
#   - search throughput and latency (p50/p99) cycling through the dev queries, with the
#     response cache (the default: after the first round every query is a cache hit) and
#     without it (--cache-entries 0: every request runs the search);
#   - /healthz throughput in the same run, and the ratio search / healthz;
#   - server RSS after the runs.
#
#   scripts/bench-http.sh [ARTICLES] [SECONDS] [CONNECTIONS]     (defaults 10000 20 8)
#
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
count=${1:-10000}
seconds=${2:-20}
connections=${3:-8}
queries=../shared/relevance/dev-queries.tsv
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }

make_work

cargo build --release --locked --quiet --bin catalog
catalog=$PWD/target/release/catalog
"$catalog" generate "$work/tree" --count "$count" >/dev/null
"$catalog" --catalog "$work/tree" index >/dev/null

start() { # extra serve arguments…
  start_serve "$catalog" "$work/tree" "$work" "$@"
}
stop() {
  echo "server RSS after the runs: $(awk '/^VmRSS/ { printf "%d MiB", $2 / 1024 }' "/proc/$server/status")"
  kill "$server" && wait "$server" || true
  server=
}

# wrk cycles through the dev queries, URL-encoded.
python3 - "$queries" >"$work/paths.lua" <<'PY'
import sys, urllib.parse
paths = []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    query = line.split("\t")[0]
    paths.append("/api/v1/search?q=" + urllib.parse.quote(query))
print("paths = {" + ",".join('"%s"' % p for p in paths) + "}")
PY
cat >>"$work/paths.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
LUA

run() { # label, extra wrk args…
  local label=$1; shift
  wrk --latency -t 1 -c "$connections" -d "${seconds}s" "$@" >"$work/$label.txt"
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ { print $2 }' "$work/$label.txt")
  p50=$(awk '$1 == "50%" { print $2 }' "$work/$label.txt")
  p99=$(awk '$1 == "99%" { print $2 }' "$work/$label.txt")
  errors=$(grep -E 'Non-2xx|Socket errors' "$work/$label.txt" || true)
  echo "$label: $rps req/s, p50 $p50, p99 $p99${errors:+ ($errors)}"
  eval "${label}_rps=$rps"
}

start
# Warm the page cache and the server before measuring.
wrk -t 1 -c 2 -d 3s -s "$work/paths.lua" "http://$addr" >/dev/null
run search_cached -s "$work/paths.lua" "http://$addr"
run healthz "http://$addr/healthz"
stop
start --cache-entries 0
wrk -t 1 -c 2 -d 3s -s "$work/paths.lua" "http://$addr" >/dev/null
run search_uncached -s "$work/paths.lua" "http://$addr"
stop
for mode in cached uncached; do
  rps=search_${mode}_rps
  awk -v s="${!rps}" -v h="$healthz_rps" -v m="$mode" 'BEGIN { printf "search (%s) / healthz throughput: %.1f %%\n", m, 100 * s / h }'
done
echo "(articles $count, $connections connections, ${seconds} s per run, wrk 1 thread)"
