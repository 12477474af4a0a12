#!/bin/sh
# A mutant's doubtful PASS on a contract it lists runs again alone
# (harness/mutants.c): the probe's first 404 leaves 4.75 s into the 5 s
# probe timeout, too late for RECOV-GONE to count it, yet the
# reconnect-after-404 mutant reads it and reconnects until its budget is
# spent; the last probe's 404 comes in time and it gives up: a PASS resting
# on an answer set aside. The budget is 45 s (the waits 15 + 30) to keep the
# run short.
#   mutants_doubtful.sh BOXCONFORM REFCLIENT
set -u
boxconform=$1 refclient=$2
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/sc"
cat > "$tmp/sc/probe-404-late.json" <<'JSON'
{
  "info": {
    "id": "probe-404-late",
    "title": "close without exit frame; the probe's first 404 leaves just inside the probe timeout",
    "contracts": ["RECOV-GONE"]
  },
  "server": {
    "probe": [
      {"status": 404, "body_form": "runner", "message": "execution not found", "delay": 4.75},
      {"status": 404, "body_form": "runner", "message": "execution not found", "repeat": true}
    ],
    "attach": [
      {"steps": [{"out": "working\n"}, {"close": 1001, "reason": "going away"}]},
      {"reject": {"status": 404, "body_form": "runner", "message": "execution not found"}, "repeat": true}
    ]
  },
  "client": {"command": "make", "deadline": 400},
  "verify": {"RECOV-GONE": {"error": true}}
}
JSON
cat > "$tmp/short-budget.json" <<JSON
{"name": "short-budget", "command": ["$refclient", "--budget", "45"], "faketime": true,
 "constants": {"first_frame": 10, "watchdog": 45, "probe_timeout": 5, "backoff_initial": 15,
               "backoff_max": 30, "budget": 45, "handshake": 30, "ping_interval": 15}}
JSON
# x10: the answer's 0.25 s short of the timeout is 25 ms real, which a
# loaded machine does not eat.
"$boxconform" mutants --client "$tmp/short-budget.json" --scenarios "$tmp/sc" --time-scale 10 \
    --json "$tmp/m.json" > "$tmp/m.txt" 2>&1
rc=$?
[ $rc -le 1 ] || { cat "$tmp/m.txt"; fail "exit $rc"; }
/usr/bin/python3 - "$tmp/m.json" <<'PY' || { cat "$tmp/m.txt"; fail "see above"; }
import json, sys
doc = json.load(open(sys.argv[1]))
row = next((m for m in doc["mutants"] if m["name"] == "reconnect-after-404"), None)
if row is None:
    sys.exit("no row for reconnect-after-404")
if row["verdicts"].get("probe-404-late", {}).get("RECOV-GONE") != "PASS":
    sys.exit("reconnect-after-404 did not PASS RECOV-GONE here: %s" % row["verdicts"])
if row["ran_again"] != ["probe-404-late"]:
    sys.exit("its doubtful PASS was not run again alone: ran_again %s" % row["ran_again"])
PY
echo "ok: a mutant's doubtful PASS on its own contract ran again alone"
