#!/bin/sh
# Run as root (as CI does), no client can change anything outside its
# sandbox, whatever it does:
#   1. the deliberately vulnerable refclient mutant tar-no-secure-flags on
#      every SEC-TAR scenario: each hostile tar's writes land inside the
#      run's sandbox, where the sandbox diff sees them (SEC-TAR FAILs naming
#      them), every run confined, nothing left behind;
#   2. an adapter that writes straight outside its sandbox (escape.sh): its
#      writes fail.
# Not root: nothing is confined (an unprivileged adapter can only change
# what its user owns), so the test is skipped (77).
#   confine_run.sh BOXCONFORM REFCLIENT SOURCE_DIR
set -u
bc=$1 refclient=$2 src=$3
[ "$(id -u)" = 0 ] || { echo "not root: the harness confines no adapter"; exit 77; }
. "$(dirname "$0")/../scratch.sh"   # $tmp, removed at the end
fail() { echo "confine_run: $*"; exit 1; }
mkdir "$tmp/runs" "$tmp/canary" && echo "keep" > "$tmp/canary/keep.txt"
export TMPDIR="$tmp/runs"

# 1. The vulnerable client against every hostile tar.
"$bc" run --root "$src" --client-cmd "$refclient --mutant tar-no-secure-flags" \
    --filter 'sec-tar-*' -j 2 --json "$tmp/tar.json" > "$tmp/tar.txt"
[ $? -eq 1 ] || { cat "$tmp/tar.txt"; fail "the vulnerable client should FAIL SEC-TAR"; }
python3 - "$tmp/tar.json" <<'PY' || fail "see above"
import json, sys
doc = json.load(open(sys.argv[1]))
bad = [s["id"] for s in doc["scenarios"] if not (s.get("confinement") or {}).get("confined")]
if bad: sys.exit("not confined: %s" % bad)
fails = [r for r in doc["results"] if r["verdict"] == "FAIL"]
# every escape it managed was seen inside the sandbox (host/ or outside/)
for r in fails:
    if "outside the destination" not in r["message"]:
        sys.exit("%s: %s" % (r["scenario"], r["message"]))
names = {r["scenario"] for r in fails}
for must in ("sec-tar-absolute-paths", "sec-tar-dotdot", "sec-tar-symlink-then-file",
             "sec-tar-hardlink-outside", "sec-tar-truncated-escape"):
    if must not in names: sys.exit("%s did not FAIL: its escape went unseen" % must)
print("vulnerable client: %d SEC-TAR FAILs, every escape inside its sandbox, all confined"
      % len(fails))
PY

# 2. An adapter that writes outside its sandbox outright.
BC_ESCAPE_TO="$tmp/canary" "$bc" run --root "$src" \
    --scenarios "$src/tests/harness/scenarios-actions" --filter act-info \
    --client-cmd "sh $src/tests/harness/adapters-misbehaving/escape.sh" \
    --json "$tmp/escape.json" > "$tmp/escape.txt" 2>&1
grep -q '"confined": *true' "$tmp/escape.json" || { cat "$tmp/escape.txt"; fail "escape.sh ran unconfined"; }
[ "$(ls "$tmp/canary")" = "keep.txt" ] || fail "an adapter wrote outside its sandbox: $(ls "$tmp/canary")"
[ "$(cat "$tmp/canary/keep.txt")" = keep ] || fail "an adapter changed a file outside its sandbox"
[ -z "$(ls -A "$tmp/runs")" ] || fail "runs left behind: $(ls -A "$tmp/runs")"
echo "escape.sh: its writes outside the sandbox failed"
