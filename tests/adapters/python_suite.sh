#!/bin/sh
# python.suite: the whole scenario suite against boxclient, the independent
# Python client (adapters/python, clients/python.json). Every verdict must be
# PASS: this client has no known failures, WIRE-BYTES included. It ports the
# exec-attach half only: the REST surface's scenarios are UNSUPPORTED, as its
# profile declares (an undeclared one fails the run and this test).
#
#   python_suite.sh BOXCONFORM ROOT [extra boxconform run options...]
#
# Exit 0 when every verdict is PASS; 1 otherwise (each other verdict listed);
# 2 for a harness error. Needs Debian's python3 and python3-websockets, which
# scripts/setup.sh installs: a missing one is a failure, not a skip.
set -u
boxconform=$1 root=$2
shift 2
python=/usr/bin/python3

if ! "$python" -c 'import websockets.legacy.client' 2>/dev/null; then
    echo "FAIL: $python cannot import websockets (scripts/setup.sh installs python3-websockets)"
    exit 1
fi

results=$(mktemp "${TMPDIR:-/tmp}/python-suite.XXXXXX.json")
trap 'rm -f "$results"' EXIT INT TERM

# No -j: the pool admits scenarios as the load allows (harness/load.h), so
# adapter start-ups (0.15 s of CPU each) do not pile up in the timing of the
# scenarios already running (adapters/python/README.md). A fixed -j 4 took
# 32 s; admitted by load, 23-25 s with the same verdicts in 5 runs.
"$boxconform" run --root "$root" --client python --json "$results" "$@"
status=$?
[ "$status" -le 1 ] || exit "$status"

"$python" - "$results" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
others = [r for r in results
          if r["verdict"] != "PASS" and not (r["verdict"] == "UNSUPPORTED" and r.get("declared"))]
for r in others:
    print(f"not PASS: {r['scenario']} {r['contract']}={r['verdict']}: {r['message']}")
passed = sum(r["verdict"] == "PASS" for r in results)
print(f"python.suite: {passed} of {len(results)} verdicts PASS, "
      f"{len(results) - passed - len(others)} declared UNSUPPORTED")
sys.exit(1 if others or not passed else 0)
PY
