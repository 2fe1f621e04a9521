# Shell helpers shared by the scripts in this folder; source it after `set -euo pipefail`.
#
#   make_work
#       sets `work` to a new temporary folder; on exit, a server started with start_serve is
#       stopped and the folder removed.
#   ensure_venv VENV REQUIREMENTS
#       a Python virtual environment in VENV holding exactly the pinned packages of the
#       requirements file REQUIREMENTS, dependencies included (installed once, again only when
#       the file changes; regenerate one with `pip freeze` in a fresh venv). Unpinned
#       dependencies drift: a new hypothesis release once broke the API fuzzing without any
#       change of ours.
#   start_serve CATALOG_BIN CATALOG_DIR WORK [SERVE ARGS…]
#       starts `catalog serve` on a free loopback port, logs in WORK/stdout and WORK/stderr,
#       and sets `server` (its pid) and `addr` (host:port). Environment variables set on the
#       call (`CATALOG_ADMIN_TOKEN=… start_serve …`) reach the server.
#   stop_serve
#       stops it (make_work's exit trap calls it).
#   median_ms RUNS COMMAND…
#       the median wall time in milliseconds of RUNS runs of COMMAND (exit status ignored).

start_serve() {
  local bin=$1 dir=$2 work=$3
  shift 3
  RUST_LOG=${RUST_LOG:-warn} "$bin" --catalog "$dir" serve --addr 127.0.0.1:0 "$@" \
    >"$work/stdout" 2>"$work/stderr" &
  server=$!
  addr=
  for _ in $(seq 1 600); do
    addr=$(sed -n 's/^Serving .* on http:\/\///p' "$work/stdout")
    [[ -n $addr ]] && return 0
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  echo "catalog serve did not start" >&2
  cat "$work/stderr" >&2
  exit 1
}

stop_serve() {
  if [[ -n ${server:-} ]]; then
    kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    server=
  fi
  return 0
}

median_ms() {
  local runs=$1
  shift
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

make_work() {
  work=$(mktemp -d)
  server=
  trap 'stop_serve; rm -rf "$work"' EXIT
}

ensure_venv() {
  local venv=$1 requirements=$2
  local stamp
  stamp=$(sha256sum "$requirements" | cut -d' ' -f1)
  if [[ ! -x $venv/bin/python ]] || [[ $(cat "$venv/.installed" 2>/dev/null) != "$stamp" ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements"
    echo "$stamp" >"$venv/.installed"
  fi
}
