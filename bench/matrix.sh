#!/usr/bin/env bash
# The mutation matrix RUNS times (boxconform mutants --json): each run's wall
# time, CPU time (user + system of boxconform and every process it started),
# how many scenarios ran at once, and whether every run gave the same
# verdicts (the --json files, keys sorted, compared byte for byte).
#   bench/matrix.sh [RUNS=5] [boxconform mutants options...]   (default --time-scale 20)
# Exit 0 when every run passed and all runs agree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
shift || true
[ $# -gt 0 ] || set -- --time-scale 20
bc="$root/build/harness/boxconform"
[ -x "$bc" ] || { echo "matrix.sh: build first (./run suite)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM
echo "$runs runs of: boxconform mutants $*; $(nproc) cores; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| run | wall | CPU (user + sys) | at once: most / mean | mutants | verdicts |"
echo "|---|---|---|---|---|---|"
status=0
for i in $(seq "$runs"); do
    rc=0
    TIMEFORMAT='%R %U %S'
    { time "$bc" mutants --json "$out/m$i.json" "$@" > "$out/run$i.txt" 2>&1 || rc=$?; } 2> "$out/time.$i"
    read -r wall user sys < "$out/time.$i"
    at_once=$(sed -n 's/.* in [0-9.]* s, \([0-9]*\) at most at once (\([0-9.]*\) on average)/\1 \/ \2/p' "$out/run$i.txt")
    summary=$(grep -c '^OK' "$out/run$i.txt" || true)
    same="same as run 1"
    if [ "$i" -gt 1 ] && ! cmp -s "$out/m1.json" "$out/m$i.json"; then same="DIFFERENT from run 1"; status=1; fi
    [ "$i" -eq 1 ] && same="-"
    [ $rc -eq 0 ] || { status=1; grep -A2 '^MISMATCH' "$out/run$i.txt" >&2 || true; }
    printf '| %d | %.1f s | %.1f s | %s | %s OK%s | %s |\n' "$i" "$wall" \
        "$(awk "BEGIN { print $user + $sys }")" "$at_once" "$summary" "$([ $rc -eq 0 ] || echo ", exit $rc")" "$same"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
