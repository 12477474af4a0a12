#!/bin/sh
# python.suite: the whole scenario suite against boxclient, the independent
# Python client (adapters/python, clients/python.json). Every verdict must be
# PASS: this client has no known failures, WIRE-BYTES included.
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

# -j 4, not the default 8: fewer adapter start-ups (0.15 s of CPU each) land
# in the timing of the scenarios already running (adapters/python/README.md).
"$boxconform" run --root "$root" --client python -j 4 --json "$results" "$@"
status=$?
[ "$status" -le 1 ] || exit "$status"

"$python" - "$results" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
others = [r for r in results if r["verdict"] != "PASS"]
for r in others:
    print(f"not PASS: {r['scenario']} {r['contract']}={r['verdict']}: {r['message']}")
print(f"python.suite: {len(results) - len(others)} of {len(results)} verdicts PASS")
sys.exit(1 if others or not results else 0)
PY
