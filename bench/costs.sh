#!/usr/bin/env bash
# How well a scenario's nominal duration (harness/cost.c: what `list` prints,
# what --shard balances on) predicts what it takes: one run of the selection,
# its measured client seconds (wall_s x time_scale) against the nominal, and
# how balanced N shards are on each.
#   bench/costs.sh [SHARDS=4] [boxconform run options...]
# Needs jq.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shards=${1:-4}
shift || true
bc="$root/build/harness/boxconform"
[ -x "$bc" ] || { echo "costs.sh: build first (./run suite)" >&2; exit 2; }
command -v jq >/dev/null || { echo "costs.sh needs jq (apt-get install jq)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM
"$bc" run --json "$out/r.json" "$@" > /dev/null || true
"$bc" list "$@" 2>/dev/null | awk '{ print $1, $3 }' | sort > "$out/nominal"
jq -r '.time_scale as $k | .scenarios[] | "\(.id) \(.wall_s * $k)"' "$out/r.json" | sort > "$out/measured"
join "$out/nominal" "$out/measured" | awk '
    { n++; d = $3 - $2; a = d < 0 ? -d : d; r = $3 > 0 ? a / $3 : 0
      if (r <= 0.10 || a <= 5) close++
      else off[++m] = sprintf("%s: nominal %.1f s, measured %.1f s", $1, $2, $3)
      tn += $2; tm += $3 }
    END { printf "%d scenarios: nominal %.0f client s in all, measured %.0f\n", n, tn, tm
          printf "%d within 10 %% or 5 s of what they measured; the others:\n", close
          for (i = 1; i <= m; i++) print "  " off[i] }'
echo "$shards shards (nominal total / measured total, client s):"
for i in $(seq "$shards"); do
    "$bc" list --shard "$i/$shards" "$@" 2>/dev/null | awk '{ print $1 }' | sort > "$out/shard"
    join "$out/shard" "$out/nominal" | awk '{ t += $2 } END { printf "  %d scenarios, %.0f", NR, t }'
    join "$out/shard" "$out/measured" | awk '{ t += $2 } END { printf " / %.0f\n", t }'
done
