#!/bin/sh
# boxconform diff and merge on two real runs: the reference client (all
# PASS) and a mutant that breaks TIME-WATCHDOG.
#   reports_diff.sh BOXCONFORM REFCLIENT
set -u
boxconform=$1 refclient=$2
scenario=watchdog-silence-after-output
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/../scratch.sh"   # $tmp, removed at the end
"$boxconform" run --filter "$scenario" -j 1 --json "$tmp/pass.json" > /dev/null ||
    fail "the reference client did not pass $scenario"
"$boxconform" run --client-cmd "$refclient --mutant watchdog-60" --filter "$scenario" -j 1 \
    --json "$tmp/mutant.json" > /dev/null
[ $? -eq 1 ] || fail "the mutant run did not exit 1"

"$boxconform" diff "$tmp/pass.json" "$tmp/mutant.json" > "$tmp/diff.txt"
rc=$?
cat "$tmp/diff.txt"
[ $rc -eq 1 ] || fail "diff pass -> mutant exited $rc, expected 1"
grep -q "^REGRESSION .*$scenario TIME-WATCHDOG: PASS -> FAIL" "$tmp/diff.txt" ||
    fail "diff does not name TIME-WATCHDOG as a regression"
"$boxconform" diff "$tmp/mutant.json" "$tmp/pass.json" > /dev/null ||
    fail "diff mutant -> pass (a fix) is not exit 0"
"$boxconform" diff "$tmp/pass.json" "$tmp/pass.json" > /dev/null || fail "diff of a file with itself"

echo '{"schema":"boxconform-results/1"' > "$tmp/bad.json"
"$boxconform" diff "$tmp/pass.json" "$tmp/bad.json" > /dev/null 2> "$tmp/err.txt"
rc=$?
[ $rc -eq 2 ] || fail "diff with a bad file exited $rc, expected 2"
grep -q "bad.json" "$tmp/err.txt" || fail "the error does not name bad.json"

"$boxconform" merge "$tmp/pass.json" "$tmp/mutant.json" --out "$tmp/merged.json" ||
    fail "merge"
"$boxconform" report markdown "$tmp/merged.json" > "$tmp/merged.md" || fail "report markdown"
grep -q "^| refclient | 2 | 0 " "$tmp/merged.md" || fail "merged table lacks the refclient row"
grep -q "^| .*--mutant watchdog-60 | 1 | 1 " "$tmp/merged.md" || fail "merged table lacks the mutant row"
"$boxconform" merge "$tmp/pass.json" "$tmp/bad.json" > /dev/null 2> "$tmp/err.txt"
[ $? -eq 2 ] && grep -q "bad.json" "$tmp/err.txt" || fail "merge with a bad file: exit 2 naming it"
"$boxconform" report html "$tmp/bad.json" > /dev/null 2>&1
[ $? -eq 2 ] || fail "report of a bad file is not exit 2"
echo "ok: diff and merge"
