#!/usr/bin/env bash
# Fake server capacity, side by side in one run: boxconform's fakeserver
# (without and with --journal, as the harness runs it), a fake server on
# Node's ws package doing the same job, and raw loopback TCP. Prints one
# markdown table. See README.md beside this file.
#
#   bench/capacity/capacity.sh            (BUILD=dir for another build tree)
#
# Builds nothing: it needs the build tree built (exit 2 if not) and
# node-ws-server/node_modules (exit 2 if not: it says how to install them).
# Sizes come from the scenario files in scenarios/; counts and durations can
# be changed with SESSIONS, SETUP_SECONDS, SETUP_CONC, SETUP_RUNS, RUNS.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
fakeserver=$build/fakeserver/fakeserver
loadgen=$build/bench/capacity/loadgen
rawtcp=$build/bench/capacity/rawtcp
node_server=$here/node-ws-server/server.mjs
scen=$here/scenarios
sessions_list=${SESSIONS:-1000 5000}
setup_seconds=${SETUP_SECONDS:-5}
setup_runs=${SETUP_RUNS:-3}  # setups runs per server and concurrency; the median counts
setup_conc=${SETUP_CONC:-1 16}
runs=${RUNS:-5}             # throughput runs per server and size; the median counts

for bin in "$fakeserver" "$loadgen" "$rawtcp"; do
  if [ ! -x "$bin" ]; then
    echo "capacity.sh: $bin is missing: build first (cmake -S . -B build && cmake --build build -j2)" >&2
    exit 2
  fi
done
command -v node >/dev/null || { echo "capacity.sh: node is not installed" >&2; exit 2; }
command -v jq >/dev/null || { echo "capacity.sh: jq is not installed (apt-get install jq)" >&2; exit 2; }
if [ ! -d "$here/node-ws-server/node_modules/ws" ]; then
  echo "capacity.sh: the Node server's packages are missing: (cd $here/node-ws-server && npm ci)" >&2
  exit 2
fi

# Three descriptors per client in our server, thousands of clients.
ulimit -n "$(ulimit -Hn)"
tmp=$(mktemp -d)
# The journal goes to memory when it can: a run of setups writes ~100 MB of
# it, and the disk's writeback stalls would be measured instead of the server.
jdir=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp" "$jdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- servers -----------------------------------------------------------------

# start_server KIND SCENARIO [CLIENTS]: KIND is ours, journal or node; sets
# server_pid, url. CLIENTS: connections at once beyond our default 1024.
start_server() {
  local kind=$1 scenario=$scen/$2.json max=(${3:+--max-clients "$3"})
  : > "$tmp/url"
  case $kind in
    ours) "$fakeserver" --scenario "$scenario" "${max[@]}" > "$tmp/url" 2> "$tmp/server.err" & ;;
    journal) "$fakeserver" --scenario "$scenario" "${max[@]}" --journal "$jdir/journal.jsonl" \
               > "$tmp/url" 2> "$tmp/server.err" & ;;
    node) node "$node_server" --port 0 --scenario "$scenario" > "$tmp/url" 2> "$tmp/server.err" & ;;
  esac
  server_pid=$!
  for _ in $(seq 100); do
    url=$(head -n 1 "$tmp/url")
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  echo "capacity.sh: the $kind server did not start:" >&2
  cat "$tmp/server.err" >&2
  exit 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  rm -f "$jdir/journal.jsonl"
}

# key=value from a result line
field() { sed -n "s/.*[ ^]$1=\([^ ]*\).*/\1/p" <<<" $2"; }

median() { sort -g | awk '{v[NR]=$1} END {print (NR ? v[int((NR+1)/2)] : "")}'; }

# runs_of N LABEL CMD...: N runs of CMD, each result line logged and kept
# for median_of.
runs_of() {
  local n=$1 label=$2 i out
  shift 2
  : > "$tmp/outs"
  for i in $(seq "$n"); do
    out=$("$@")
    log "  $label: $out"
    printf '%s\n' "$out" >> "$tmp/outs"
  done
}

# median_of KEY: the median of KEY over the lines runs_of kept.
median_of() {
  local line
  while read -r line; do field "$1" "$line"; done < "$tmp/outs" | median
}

# The flood step of a scenario: "BYTES FRAME".
flood_of() { jq -r '.server.steps[] | select(.flood) | "\(.flood) \(.frame)"' "$scen/$1.json"; }

declare -A R   # R[kind,figure] = value

log() { printf '%s\n' "$*" >&2; }

run_loadgen() {
  local out
  if ! out=$("$loadgen" "$url" "$@" 2>>"$tmp/loadgen.err"); then
    log "  loadgen $* reported errors: $(tail -n 3 "$tmp/loadgen.err" | tr '\n' ' ')"
  fi
  printf '%s\n' "$out"
}

measure_sessions() {
  local kind=$1 n out
  for n in $sessions_list; do
    start_server "$kind" bench-hold $((n + 100))
    out=$(run_loadgen sessions "$n" 2 64 "$server_pid")
    log "  $kind: $out"
    R[$kind,held$n]=$(field held "$out")
    R[$kind,mem$n]=$(field per_session_b "$out")
    stop_server
  done
}

measure_throughput() {
  local kind=$1 size scenario bytes frame
  for size in 64k 64; do
    scenario=bench-flood-$size
    read -r bytes frame < <(flood_of "$scenario")
    start_server "$kind" "$scenario"
    runs_of "$runs" "$kind" run_loadgen throughput "$bytes" "$frame"
    R[$kind,mbps$size]=$(median_of mbps)
    R[$kind,fps$size]=$(median_of fps)
    stop_server
  done
}

measure_setups() {
  local kind=$1 c
  start_server "$kind" bench-exit
  for c in $setup_conc; do
    run_loadgen setups 2 "$c" > /dev/null   # warm-up (Node's JIT), not counted
    runs_of "$setup_runs" "$kind" run_loadgen setups "$setup_seconds" "$c"
    R[$kind,setups$c]=$(median_of per_s)
  done
  stop_server
}

measure_raw() {
  local size bytes frame c
  for size in 64k 64; do
    read -r bytes frame < <(flood_of "bench-flood-$size")
    runs_of "$runs" raw "$rawtcp" stream "$bytes" "$frame"
    R[raw,mbps$size]=$(median_of mbps)
  done
  for c in $setup_conc; do
    runs_of "$setup_runs" raw "$rawtcp" connects "$setup_seconds" "$c"
    R[raw,setups$c]=$(median_of per_s)
  done
}

# ---- the run ------------------------------------------------------------------

log "load before: $(cut -d' ' -f1-3 /proc/loadavg); other boxconform processes: $(pgrep -fc boxconform || true)"
started=$(date +%s)
for kind in ours journal node; do
  log "== $kind"
  measure_sessions "$kind"
  measure_throughput "$kind"
  measure_setups "$kind"
done
log "== raw TCP"
measure_raw
log "load after: $(cut -d' ' -f1-3 /proc/loadavg); $(( $(date +%s) - started )) s"

# ---- the table ------------------------------------------------------------------

# ratio A B: A/B to two digits ("-" if either is missing or zero)
ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || a+0 == 0 || b+0 == 0) print "-"; else printf "%.2fx\n", a / b }'; }
pct() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b+0 == 0) print "-"; else printf "%.0f %%\n", 100 * a / b }'; }
kb() { awk -v v="${1:-}" 'BEGIN { if (v == "" || v+0 < 0) print "-"; else printf "%.1f KiB\n", v / 1024 }'; }
num() { awk -v v="${1:-}" 'BEGIN { if (v == "") print "-"; else printf "%.0f\n", v }'; }
mbps() { awk -v v="${1:-}" -v f="${2:-}" 'BEGIN { if (v == "") print "-"; else if (f == "") printf "%.0f MB/s\n", v; else printf "%.0f MB/s (%.0fk frames/s)\n", v, f / 1000 }'; }

row() { printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$@"; }

read -r big_bytes big_frame < <(flood_of bench-flood-64k)
read -r small_bytes small_frame < <(flood_of bench-flood-64)
echo
echo "| figure | ours | ours + journal | Node ws | ours vs Node | ours + journal vs Node | raw TCP | ours / raw TCP |"
echo "|---|---|---|---|---|---|---|---|"
for n in $sessions_list; do
  row "sessions held of $n" "$(num "${R[ours,held$n]:-}")" "$(num "${R[journal,held$n]:-}")" \
      "$(num "${R[node,held$n]:-}")" "-" "-" "-" "-"
  row "memory per held session ($n)" "$(kb "${R[ours,mem$n]:-}")" "$(kb "${R[journal,mem$n]:-}")" \
      "$(kb "${R[node,mem$n]:-}")" "$(ratio "${R[node,mem$n]:-}" "${R[ours,mem$n]:-}")" \
      "$(ratio "${R[node,mem$n]:-}" "${R[journal,mem$n]:-}")" "-" "-"
done
row "stdout, $((big_bytes >> 20)) MiB in $((big_frame >> 10)) KiB frames" \
    "$(mbps "${R[ours,mbps64k]:-}")" "$(mbps "${R[journal,mbps64k]:-}")" "$(mbps "${R[node,mbps64k]:-}")" \
    "$(ratio "${R[ours,mbps64k]:-}" "${R[node,mbps64k]:-}")" \
    "$(ratio "${R[journal,mbps64k]:-}" "${R[node,mbps64k]:-}")" \
    "$(mbps "${R[raw,mbps64k]:-}") ($((big_frame >> 10)) KiB writes)" \
    "$(pct "${R[ours,mbps64k]:-}" "${R[raw,mbps64k]:-}")"
row "stdout, $((small_bytes >> 20)) MiB in $small_frame-byte frames" \
    "$(mbps "${R[ours,mbps64]:-}" "${R[ours,fps64]:-}")" "$(mbps "${R[journal,mbps64]:-}" "${R[journal,fps64]:-}")" \
    "$(mbps "${R[node,mbps64]:-}" "${R[node,fps64]:-}")" \
    "$(ratio "${R[ours,mbps64]:-}" "${R[node,mbps64]:-}")" \
    "$(ratio "${R[journal,mbps64]:-}" "${R[node,mbps64]:-}")" \
    "$(mbps "${R[raw,mbps64]:-}") ($small_frame-byte writes)" \
    "$(pct "${R[ours,mbps64]:-}" "${R[raw,mbps64]:-}")"
for c in $setup_conc; do
  row "setups/s (exec + attach + exit + close), concurrency $c" "$(num "${R[ours,setups$c]:-}")" \
      "$(num "${R[journal,setups$c]:-}")" "$(num "${R[node,setups$c]:-}")" \
      "$(ratio "${R[ours,setups$c]:-}" "${R[node,setups$c]:-}")" \
      "$(ratio "${R[journal,setups$c]:-}" "${R[node,setups$c]:-}")" \
      "$(num "${R[raw,setups$c]:-}") connect+accept+close/s" \
      "$(pct "${R[ours,setups$c]:-}" "${R[raw,setups$c]:-}")"
done
