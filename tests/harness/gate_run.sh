#!/bin/sh
# A CI gate is never green when it tested nothing: boxconform run and diff
# through the real binary, each case's exit status and the words that say why.
#   gate_run.sh MODE BOXCONFORM REFCLIENT HARNESS_TESTS_DIR
# MODE start:       a command that cannot start (missing, not executable, a
#                   #! interpreter missing, env's program not in PATH) is exit
#                   2 naming it, with or without --baseline, nothing run.
# MODE unsupported: UNSUPPORTED takes an "unsupported" event and a profile
#                   that declares it; a bare 127 is CRASHED; a run that judged
#                   nothing, or selected nothing, is exit 2.
# MODE baseline:    --baseline: any move away from PASS (UNSUPPORTED,
#                   NON-STRICT, INFORMATIONAL) is a regression unless the
#                   baseline had it, listed first in the Markdown summary.
# MODE diff:        diff: PASS -> each other verdict is a regression; a new
#                   run that judged nothing is one too.
set -u
mode=$1 boxconform=$2 refclient=$3 tests=$4
adapters=$tests/adapters-misbehaving
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/../scratch.sh"   # $tmp, removed at the end

# Two scenarios: one exec (the reference client passes it), one attach.
mkdir "$tmp/sc"
cp "$tests/scenarios/hello-exit.json" "$tests/scenarios/attach-gone.json" "$tmp/sc/"

# expect STATUS WHAT -- boxconform ARGS...: runs it (stdout in out.txt,
# stderr in err.txt; PATH=$run_path when set), fails unless it exits STATUS.
run_path=
expect() {
    want=$1 what=$2
    shift 3
    PATH=${run_path:-$PATH} "$boxconform" "$@" > "$tmp/out.txt" 2> "$tmp/err.txt"
    rc=$?
    [ $rc -eq "$want" ] ||
        { cat "$tmp/out.txt" "$tmp/err.txt"; fail "$what: exit $rc, expected $want"; }
}
# has FILE TEXT WHAT: FILE holds TEXT (a fixed string).
has() { grep -qF -- "$2" "$1" || { cat "$1"; fail "$3: no \"$2\" in $(basename "$1")"; }; }

# profile NAME UNSUPPORTED_JSON_LIST: a client profile running the adapter
# that cannot attach.
profile() {
    cat > "$tmp/$1.json" <<JSON
{"name": "$1", "command": ["sh", "$adapters/unsupported-attach.sh", "$refclient"],
 "unsupported": $2}
JSON
}

good_run() { # the reference client on both scenarios: every result PASS
    expect 0 "the reference client" -- run --client-cmd "$refclient" --scenarios "$tmp/sc" \
        -j 2 --json "$tmp/good.json"
}

# cannot_start WHAT TEXT CLIENT_OPTION CLIENT [more options]
cannot_start() {
    what=$1 text=$2
    shift 2
    expect 2 "$what" -- run "$@" --scenarios "$tmp/sc" -j 2
    has "$tmp/err.txt" "the adapter cannot start: $text" "$what"
    [ ! -s "$tmp/out.txt" ] || { cat "$tmp/out.txt"; fail "$what: scenarios ran"; }
}

case $mode in
start)
    good_run
    cannot_start "a missing command" "/nonexistent/client: no such file" \
        --client-cmd /nonexistent/client
    cannot_start "a missing command, with a baseline" "/nonexistent/client: no such file" \
        --client-cmd /nonexistent/client --baseline "$tmp/good.json"
    printf '#!/bin/sh\nexit 0\n' > "$tmp/noexec.sh"
    cannot_start "a command not executable" "$tmp/noexec.sh: not executable (mode 0644)" \
        --client-cmd "$tmp/noexec.sh --flag"
    printf '#!/nonexistent/interpreter\n' > "$tmp/nointerp.sh"
    chmod +x "$tmp/nointerp.sh"
    cannot_start "a missing #! interpreter" \
        "$tmp/nointerp.sh (#!/nonexistent/interpreter): /nonexistent/interpreter: no such file" \
        --client-cmd "$tmp/nointerp.sh"
    # /usr/bin/env node without node: env starts, then exits 127.
    printf '#!/usr/bin/env node\n' > "$tmp/adapter.mjs"
    chmod +x "$tmp/adapter.mjs"
    mkdir "$tmp/bin"
    run_path=$tmp/bin
    cannot_start "#!/usr/bin/env node without node" \
        "$tmp/adapter.mjs (#!/usr/bin/env node): /usr/bin/env: node: not found in PATH ($tmp/bin)" \
        --client-cmd "$tmp/adapter.mjs"
    cannot_start "a profile's command not in PATH" \
        "node: not found in PATH ($tmp/bin)" --client "$tests/../../clients/node-sdk.json"
    run_path=
    # Shell syntax keeps a shell, which answers 127 itself: CRASHED, its
    # "not found" quoted, and never a green run.
    expect 1 "a shell command that is not found" -- run --scenarios "$tmp/sc" -j 2 \
        --client-cmd "cd '$tmp' && /nonexistent/client"
    has "$tmp/out.txt" "exited 127 without a result or an \"unsupported\" event; its stderr: " \
        "shell command"
    has "$tmp/out.txt" "/nonexistent/client: not found" "shell command"
    ;;
unsupported)
    profile declares '["ATTACH-*"]'
    expect 0 "an UNSUPPORTED the profile declares (by contract)" -- run \
        --client "$tmp/declares.json" --scenarios "$tmp/sc" -j 2
    has "$tmp/out.txt" "ATTACH-GONE: the adapter cannot do this: no attach-by-id in this test client" \
        "declared"
    profile by-id '["attach-gone"]'
    expect 0 "an UNSUPPORTED the profile declares (by scenario id)" -- run \
        --client "$tmp/by-id.json" --scenarios "$tmp/sc" -j 2
    expect 1 "an UNSUPPORTED no profile declares" -- run --scenarios "$tmp/sc" -j 2 \
        --client-cmd "sh $adapters/unsupported-attach.sh $refclient"
    has "$tmp/out.txt" "undeclared UNSUPPORTED: attach-gone ATTACH-GONE: the profile's \"unsupported\" list does not name attach-gone" \
        "undeclared"
    profile other '["WIRE-BYTES", "hello-*"]'
    expect 1 "an UNSUPPORTED the profile's list does not match" -- run \
        --client "$tmp/other.json" --scenarios "$tmp/sc" -j 2
    expect 1 "a bare exit 127" -- run --client-cmd "sh $adapters/bare-127.sh" \
        --scenarios "$tmp/sc" -j 2
    has "$tmp/out.txt" "CRASHED       attach-gone" "bare 127"
    has "$tmp/out.txt" "exited 127 without a result or an \"unsupported\" event; its stderr: bare-127: nothing to say" \
        "bare 127"
    expect 2 "every result UNSUPPORTED" -- run --client "$tmp/declares.json" \
        --scenarios "$tmp/sc" --filter attach-gone -j 2
    has "$tmp/err.txt" "nothing was judged: all 1 results are UNSUPPORTED or ERROR" "all UNSUPPORTED"
    expect 2 "no scenario selected" -- run --client-cmd "$refclient" --scenarios "$tmp/sc" \
        --filter no-such-scenario
    has "$tmp/err.txt" "no scenario was selected" "no scenario"
    ;;
baseline)
    good_run
    profile declares '["ATTACH-*"]'
    expect 1 "PASS -> UNSUPPORTED against a baseline" -- run --client "$tmp/declares.json" \
        --scenarios "$tmp/sc" -j 2 --baseline "$tmp/good.json" --json "$tmp/unsupported.json" \
        --markdown "$tmp/summary.md"
    has "$tmp/out.txt" "regression: attach-gone ATTACH-GONE PASS -> UNSUPPORTED" "baseline"
    # The summary says so first: before the counts table.
    has "$tmp/summary.md" "### boxconform: FAILED" "summary"
    move=$(grep -n -- "- \*\*PASS -> UNSUPPORTED\*\* attach-gone \*\*ATTACH-GONE\*\*" "$tmp/summary.md" | cut -d: -f1)
    table=$(grep -n "^| client" "$tmp/summary.md" | cut -d: -f1)
    [ -n "$move" ] && [ -n "$table" ] && [ "$move" -lt "$table" ] ||
        { cat "$tmp/summary.md"; fail "the summary does not show PASS -> UNSUPPORTED above the counts"; }
    expect 0 "UNSUPPORTED the baseline already had" -- run --client "$tmp/declares.json" \
        --scenarios "$tmp/sc" -j 2 --baseline "$tmp/unsupported.json"
    # NON-STRICT and INFORMATIONAL do not fail a run, but a move to them
    # from PASS does.
    for pair in wire-bytes-invalid-utf8:utf8-lossy:NON-STRICT:WIRE-BYTES \
                keepalive-pings-keep-idle-session:no-client-ping:INFORMATIONAL:TIME-KEEPALIVE; do
        IFS=: read -r scenario mutant verdict contract <<EOF
$pair
EOF
        expect 0 "$scenario, reference client" -- run --client-cmd "$refclient" \
            --filter "$scenario" -j 1 --json "$tmp/pass.json"
        expect 0 "$verdict alone" -- run --client-cmd "$refclient --mutant $mutant" \
            --filter "$scenario" -j 1
        has "$tmp/out.txt" "$contract=$verdict" "$mutant"
        expect 1 "PASS -> $verdict against a baseline" -- run \
            --client-cmd "$refclient --mutant $mutant" --filter "$scenario" -j 1 \
            --baseline "$tmp/pass.json"
        has "$tmp/out.txt" "regression: $scenario $contract PASS -> $verdict" "$mutant"
    done
    ;;
diff)
    good_run
    for verdict in UNSUPPORTED NON-STRICT INFORMATIONAL ERROR FAIL CRASHED HUNG; do
        sed "s/\"verdict\": \"PASS\"/\"verdict\": \"$verdict\"/" "$tmp/good.json" > "$tmp/new.json"
        expect 1 "diff PASS -> $verdict" -- diff "$tmp/good.json" "$tmp/new.json"
        has "$tmp/out.txt" "REGRESSION     hello-exit WIRE-EXIT: PASS -> $verdict" "diff $verdict"
        has "$tmp/out.txt" "REGRESSED: 5 regressions" "diff $verdict"
        expect 0 "diff $verdict -> PASS" -- diff "$tmp/new.json" "$tmp/good.json"
        case $verdict in
        UNSUPPORTED|ERROR)
            expect 1 "diff of a run that judged nothing with itself" -- \
                diff "$tmp/new.json" "$tmp/new.json"
            has "$tmp/out.txt" "the new run judged nothing" "diff $verdict" ;;
        *)
            expect 0 "diff $verdict with itself" -- diff "$tmp/new.json" "$tmp/new.json" ;;
        esac
    done
    ;;
*) fail "unknown mode $mode" ;;
esac
echo "ok: gate $mode"
