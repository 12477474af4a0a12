#!/bin/sh
# boxconform run writes every report and a repro bundle of a mutant's FAIL.
#   reports_run.sh MODE BOXCONFORM REFCLIENT XSD
# MODE junit: the JUnit validates against junit.xsd (77 without xmllint).
# MODE html:  the HTML has an <svg> timeline with the shaded window of the
#             failing contract, and the FAIL row of that contract.
# MODE bundle: the bundle holds the evidence, and its replay.sh FAILs again.
# MODE tap / markdown: the failing contract is in them.
set -u
mode=$1 boxconform=$2 refclient=$3 xsd=$4
scenario=watchdog-silence-after-output contract=TIME-WATCHDOG
fail() { echo "FAIL: $*"; exit 1; }
if [ "$mode" = junit ] && ! command -v xmllint >/dev/null; then
    echo "SKIP: xmllint not installed (libxml2-utils)"; exit 77
fi
. "$(dirname "$0")/../scratch.sh"   # $tmp, removed at the end
"$boxconform" run --client-cmd "$refclient --mutant watchdog-60" --filter "$scenario" -j 1 \
    --json "$tmp/r.json" --junit "$tmp/j.xml" --tap "$tmp/t.tap" --markdown "$tmp/m.md" \
    --html "$tmp/h.html" --bundles "$tmp/bundles" > "$tmp/out.txt"
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/out.txt"; fail "run exited $rc, expected 1 (the mutant FAILs)"; }
case $mode in
junit)
    grep -q "<failure message=\"$contract:" "$tmp/j.xml" || fail "no <failure> for $contract"
    xmllint --noout --schema "$xsd" "$tmp/j.xml" || fail "j.xml is not valid against junit.xsd"
    ;;
tap)
    grep -q "^not ok [0-9]* - $scenario $contract" "$tmp/t.tap" || fail "no 'not ok' for $contract"
    ;;
markdown)
    grep -q "\*\*FAIL\*\* $scenario \*\*$contract\*\*" "$tmp/m.md" || fail "no FAIL line in m.md"
    ;;
html)
    # the timeline: from <svg to </svg>, one line per element
    sed -n '/<svg/,/<\/svg>/p' "$tmp/h.html" > "$tmp/svg"
    [ -s "$tmp/svg" ] || fail "no <svg> timeline in the HTML"
    grep -q "class=\"window\"><title>$contract expected" "$tmp/svg" ||
        fail "no shaded $contract window in the timeline"
    grep -q "<td>$contract</td><td><span class=\"v v1\">FAIL</span>" "$tmp/h.html" ||
        fail "no FAIL row for $contract"
    ;;
bundle)
    dir=$tmp/bundles/$scenario
    for f in scenario.json journal.jsonl events.jsonl adapter.stderr replay.sh; do
        [ -e "$dir/$f" ] || fail "bundle lacks $f"
    done
    grep -q '"ev":"frame_out"' "$dir/journal.jsonl" || fail "journal.jsonl has no frames"
    grep -q '"event":"result"' "$dir/events.jsonl" || fail "events.jsonl has no result"
    [ "$(ls "$tmp/bundles")" = "$scenario" ] || fail "bundles for passing scenarios"
    # from another directory, as someone handed the bundle would
    (cd / && "$dir/replay.sh") > "$tmp/replay.txt" 2>&1
    rc=$?
    [ $rc -eq 1 ] || { cat "$tmp/replay.txt"; fail "replay.sh exited $rc, expected 1"; }
    grep -q "^FAIL .*$scenario" "$tmp/replay.txt" || fail "replay did not FAIL $scenario"
    ;;
*) fail "unknown mode $mode" ;;
esac
echo "ok: $mode"
