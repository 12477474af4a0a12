#!/bin/sh
# boxconform run --shard I/N: the N shards of the whole catalog are the
# catalog, each scenario in exactly one, balanced on the scenarios' costs;
# merging the shards' results gives the verdicts of one run of everything.
#   shard_run.sh BOXCONFORM
set -u
boxconform=$1
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/../scratch.sh"   # $tmp, removed at the end

# The deal, on the whole catalog (list: SCENARIO CONTRACTS COST).
"$boxconform" list > "$tmp/all.txt" || fail "list"
sort "$tmp/all.txt" > "$tmp/all.sorted"
largest=$(sort -k3,3 -g "$tmp/all.txt" | tail -1 | cut -d' ' -f3)
for n in 1 2 3 5; do
    : > "$tmp/union.txt"
    i=1
    while [ $i -le $n ]; do
        "$boxconform" list --shard $i/$n > "$tmp/shard.txt" || fail "list --shard $i/$n"
        [ -s "$tmp/shard.txt" ] || fail "shard $i/$n is empty"
        awk -v s=$i '{ t += $3 } END { print s, t }' "$tmp/shard.txt" >> "$tmp/totals.$n"
        cat "$tmp/shard.txt" >> "$tmp/union.txt"
        i=$((i + 1))
    done
    [ -z "$(cut -d' ' -f1 "$tmp/union.txt" | sort | uniq -d)" ] ||
        fail "$n shards: a scenario is in two shards"
    sort "$tmp/union.txt" | cmp -s - "$tmp/all.sorted" || fail "$n shards: their union is not the catalog"
    # dealt costliest first to the lightest shard: no shard exceeds another
    # by more than the costliest scenario
    awk -v big="$largest" -v n=$n 'NR == 1 || $2 > max { max = $2 } NR == 1 || $2 < min { min = $2 }
        END { if (max - min > big) { printf "%d shards: totals %.1f..%.1f differ by more than %.1f\n", n, min, max, big; exit 1 } }' \
        "$tmp/totals.$n" || fail "unbalanced"
done
for bad in 0/3 4/3 3 1/0 a/b 1/2x; do
    "$boxconform" list --shard "$bad" > /dev/null 2>&1
    [ $? -eq 2 ] || fail "--shard $bad was not refused with exit 2"
done

# Verdicts: three shards of a quick selection, merged, against one run.
sel=fallback-*
"$boxconform" run --filter "$sel" --json "$tmp/full.json" > "$tmp/full.txt" ||
    { cat "$tmp/full.txt"; fail "the whole selection did not pass"; }
for i in 1 2 3; do
    "$boxconform" run --filter "$sel" --shard $i/3 --json "$tmp/s$i.json" > "$tmp/s$i.txt" ||
        { cat "$tmp/s$i.txt"; fail "shard $i/3 did not pass"; }
done
"$boxconform" merge "$tmp/s1.json" "$tmp/s2.json" "$tmp/s3.json" --out "$tmp/merged.json" || fail "merge"
"$boxconform" merge "$tmp/full.json" --out "$tmp/full-m.json" || fail "merge of the one run"
"$boxconform" diff "$tmp/full-m.json" "$tmp/merged.json" > "$tmp/diff.txt"
grep -Eq '^no regression: 0 regressions, 0 newly passing, [0-9]+ drifted beyond [0-9.]+, 0 added, 0 removed$' \
    "$tmp/diff.txt" || { cat "$tmp/diff.txt"; fail "the merged shards differ from one run"; }

# --durations: a previous run's wall times (x its scale) replace the estimates.
"$boxconform" list --filter "$sel" > "$tmp/nominal.txt"
"$boxconform" list --filter "$sel" --durations "$tmp/full.json" > "$tmp/measured.txt" ||
    fail "list --durations"
! cmp -s "$tmp/nominal.txt" "$tmp/measured.txt" || fail "--durations changed no cost"
"$boxconform" list --durations "$tmp/missing.json" > /dev/null 2> "$tmp/err.txt"
[ $? -eq 2 ] && grep -q "missing.json" "$tmp/err.txt" || fail "a bad --durations file: exit 2 naming it"
echo "ok: shards"
