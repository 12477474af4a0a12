#!/usr/bin/env bash
# Verdict stability under load: run the whole suite N times against a client
# while every core is kept busy by a spinning process, and report whether the
# verdicts were identical run after run, with the wall time of each run.
#   bench/stability.sh [RUNS=10] [boxconform run options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10}
shift || true
bc="$root/build/harness/boxconform"
command -v jq >/dev/null || { echo "stability.sh needs jq (apt-get install jq)" >&2; exit 2; }
out=$(mktemp -d)
hogs=()
cleanup() { kill "${hogs[@]}" 2>/dev/null || true; rm -rf "$out"; }
trap cleanup EXIT INT TERM

for _ in $(seq "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
echo "load: ${#hogs[@]} spinning processes on $(nproc) cores"

for i in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bc" run --json "$out/$i.json" "$@" >/dev/null 2>&1 || true
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  printf 'run %2d: %d.%01d s wall\n' "$i" $((ms / 1000)) $((ms % 1000 / 100))
done

# One line per (scenario, contract): its verdicts over the runs.
for i in $(seq "$runs"); do
  jq -r '.results[] | "\(.scenario) \(.contract) \(.verdict)"' "$out/$i.json" | sort > "$out/$i.txt"
done
differing=0
for i in $(seq 2 "$runs"); do
  if ! diff -q "$out/1.txt" "$out/$i.txt" >/dev/null; then
    differing=$((differing + 1))
    echo "run $i differs from run 1:"
    diff "$out/1.txt" "$out/$i.txt" | sed 's/^/  /' | head -20
  fi
done
total=$(wc -l < "$out/1.txt")
verdicts=$(awk '{print $3}' "$out/1.txt" | sort | uniq -c | tr '\n' ' ')
echo "$total verdicts per run ($verdicts); runs differing from the first: $differing of $((runs - 1))"
[ "$differing" -eq 0 ]
