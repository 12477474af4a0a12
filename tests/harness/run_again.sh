#!/bin/sh
# A failure judged while the machine made timers late runs again alone, and
# the second attempt is the verdict (harness/pool.h). BOXCONFORM_RUN_AGAIN is
# "always", so every failure counts as judged under load.
#   run_again.sh BOXCONFORM REFCLIENT
set -u
boxconform=$1 refclient=$2
scenario=watchdog-silence-after-output
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/../scratch.sh"   # $tmp, removed at the end
flat() { tr -d ' \n' < "$1"; }
export BOXCONFORM_RUN_AGAIN=always

# Late once: the first attempt runs the watchdog-60 mutant, the next the
# reference client. Reported: the PASS, with the first attempt's FAIL kept.
cat > "$tmp/late-once.sh" <<SH
#!/bin/sh
if mkdir "$tmp/ran" 2>/dev/null; then exec "$refclient" --mutant watchdog-60 "\$@"; fi
exec "$refclient" "\$@"
SH
chmod +x "$tmp/late-once.sh"
. "$(dirname "$0")/script_profile.sh"
profile late-once
"$boxconform" run --client "$tmp/late-once.profile.json" --filter "$scenario" \
    --json "$tmp/once.json" > "$tmp/once.txt"
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/once.txt"; fail "late once: exit $rc, expected 0"; }
grep -q "ran again alone" "$tmp/once.txt" || { cat "$tmp/once.txt"; fail "late once: no 'ran again alone' line"; }
flat "$tmp/once.json" | grep -q '"first_results":\[{"contract":"TIME-WATCHDOG","verdict":"FAIL"' ||
    fail "once.json: the first attempt's TIME-WATCHDOG FAIL is not kept under run_again"

# Always late: both attempts fail; the FAIL stands.
"$boxconform" run --client-cmd "$refclient --mutant watchdog-60" --filter "$scenario" \
    --json "$tmp/always.json" > "$tmp/always.txt"
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/always.txt"; fail "always late: exit $rc, expected 1"; }
flat "$tmp/always.json" | grep -q '"run_again"' || fail "always.json: not run again"

# The same FAIL known to the baseline (always.json) is not run again: alone
# it would show again. The gate passes: nothing moved.
"$boxconform" run --client-cmd "$refclient --mutant watchdog-60" --filter "$scenario" \
    --baseline "$tmp/always.json" --json "$tmp/known.json" > "$tmp/known.txt"
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/known.txt"; fail "known failure: exit $rc, expected 0"; }
flat "$tmp/known.json" | grep -q '"verdict":"FAIL"' || fail "known.json: the FAIL is gone"
flat "$tmp/known.json" | grep -q '"run_again"' && fail "known.json: a failure the baseline knows was run again"

# A passing client is never run again.
"$boxconform" run --client-cmd "$refclient" --filter "$scenario" --json "$tmp/pass.json" > "$tmp/pass.txt"
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/pass.txt"; fail "passing client: exit $rc"; }
flat "$tmp/pass.json" | grep -q '"run_again"' && fail "pass.json: a PASS was run again"
echo "ok: a failure under load runs again alone, the second attempt is the verdict; a known one does not"
