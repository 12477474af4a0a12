#!/bin/sh
# A mutant's doubtful PASS on a contract it lists runs again alone
# (harness/mutants.c): the probe's first 404 leaves 49 s into the 50 s
# probe timeout, too late for RECOV-GONE to count it, yet the
# reconnect-after-404 mutant reads it and reconnects until its budget is
# spent; the last probe's 404 comes in time and it gives up: a PASS resting
# on an answer set aside. The client's probe timeout is 50 s, so that the
# answer can be set aside (sent past 50 - 2 % - 0.25 = 48.75 s) and still
# come well inside the timeout: 1 s, 200 ms of real time at x5, which the
# loaded machine of the release tests does not eat (at 0.25 s and x10, 25 ms,
# it did). Backoff 2 s then 4 s in a 6 s budget, to keep the run short.
#   mutants_doubtful.sh BOXCONFORM REFCLIENT
set -u
boxconform=$1 refclient=$2
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/../scratch.sh"   # $tmp, removed at the end
mkdir "$tmp/sc"
cat > "$tmp/sc/probe-404-late.json" <<'JSON'
{
  "info": {
    "id": "probe-404-late",
    "title": "close without exit frame; the probe's first 404 leaves 1 s inside a 50 s probe timeout",
    "contracts": ["RECOV-GONE"]
  },
  "server": {
    "probe": [
      {"status": 404, "body_form": "runner", "message": "execution not found", "delay": 49},
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
{"name": "short-budget", "command": ["$refclient", "--probe-timeout", "50", "--backoff-initial", "2",
             "--backoff-max", "4", "--budget", "6"],
 "faketime": true,
 "constants": {"first_frame": 10, "watchdog": 45, "probe_timeout": 50, "backoff_initial": 2,
               "backoff_max": 4, "budget": 6, "handshake": 30, "ping_interval": 15}}
JSON
"$boxconform" mutants --client "$tmp/short-budget.json" --scenarios "$tmp/sc" --time-scale 5 \
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
