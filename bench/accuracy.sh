#!/usr/bin/env bash
# Timing accuracy and verdict stability under load: the whole suite RUNS
# times (boxconform run --repeat) while every core is kept busy by a spinning
# process. Prints each run's wall time, the results whose verdict was not
# the same every time, and per timing contract the measured figure over all
# runs and scenarios as a markdown table: median and worst error against the
# nominal value, and the check's tolerance at that value.
#   bench/accuracy.sh [RUNS=20] [boxconform run options...]
# ACCURACY_JSON=FILE keeps the results file (--json, with its "repeat" key).
# The load average before and after is printed: say what else ran.
# Exit 0 when no verdict flipped. Needs jq.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
shift || true
bc="$root/build/harness/boxconform"
[ -x "$bc" ] || { echo "accuracy.sh: build first (./run suite)" >&2; exit 2; }
command -v jq >/dev/null || { echo "accuracy.sh needs jq (apt-get install jq)" >&2; exit 2; }
out=$(mktemp -d)
hogs=()
cleanup() { [ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null || true; rm -rf "$out"; }
trap cleanup EXIT INT TERM

for _ in $(seq "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
echo "load: ${#hogs[@]} spinning processes on $(nproc) cores; $runs runs; $*"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
"$bc" run --repeat "$runs" --json "$out/r.json" "$@" > "$out/run.txt" || status=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill "${hogs[@]}" 2>/dev/null || true
hogs=()
[ -z "${ACCURACY_JSON:-}" ] || cp "$out/r.json" "$ACCURACY_JSON"
grep '^run ' "$out/run.txt"
grep '^FLAKY' "$out/run.txt" || true
grep 'results had one verdict' "$out/run.txt"
jq -L "$root/bench" -rf "$root/bench/timing_table.jq" "$out/r.json"
exit "$status"
