#!/usr/bin/env bash
# Suite wall time against the nominal real time of the same scenarios, and
# where timing accuracy breaks, per client and time scale. For each client
# and K: the whole suite RUNS times at --time-scale K (boxconform run
# --repeat), then one markdown row: median wall time, the nominal time (the
# scenarios' spans on the client's clock, one after another: what the suite
# would take unaccelerated), the speed-up, verdicts that differ from the
# client's known ones (refclient: all PASS; node-sdk: its conformance
# report), flaky scenarios, and the timing result that took most of its
# tolerance. The machine is left otherwise idle.
#   bench/scales.sh [RUNS=3] [CLIENTS="refclient node-sdk"] [SCALES="10 20 50 100"]
# node-sdk is skipped without node or its adapter's node_modules. Needs jq.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
clients=${2:-refclient node-sdk}
scales=${3:-10 20 50 100}
bc="$root/build/harness/boxconform"
[ -x "$bc" ] || { echo "scales.sh: build first (./run suite)" >&2; exit 2; }
command -v jq >/dev/null || { echo "scales.sh needs jq (apt-get install jq)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
trap 'exit 130' INT TERM  # a signal ends the script through its EXIT trap
echo '{"results": []}' > "$out/all-pass.json"
baseline() {
  case $1 in
    node-sdk) echo "$root/reports/conformance/node-sdk-0.10.0.json" ;;
    *) echo "$out/all-pass.json" ;;
  esac
}

echo "| client | K | runs | wall (median) | nominal | speed-up | results steadily off the known verdict | flaky scenarios | timing result nearest its limit |"
echo "|---|---|---|---|---|---|---|---|---|"
for client in $clients; do
  if [ "$client" = node-sdk ] && ! { command -v node >/dev/null &&
                                     [ -d "$root/adapters/node/node_modules" ]; }; then
    echo "scales.sh: skipping node-sdk (no node, or adapters/node/node_modules: ./run suite --client node-sdk sets it up)" >&2
    continue
  fi
  for k in $scales; do
    "$bc" run --client "$client" --time-scale "$k" --repeat "$runs" \
        --json "$out/$client-$k.json" > "$out/$client-$k.txt" 2>&1 || true
    [ -s "$out/$client-$k.json" ] || { cat "$out/$client-$k.txt" >&2; exit 2; }
    for what in row notes; do
      jq -L "$root/bench" -r --arg client "$client" --arg what "$what" \
         --slurpfile expected "$(baseline "$client")" \
         -f "$root/bench/scale_row.jq" "$out/$client-$k.json" >> "$out/$what"
    done
    tail -1 "$out/row"
  done
done
echo
sed 's/^/- /' "$out/notes"
