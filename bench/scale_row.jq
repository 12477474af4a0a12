# One markdown row of bench/scales.sh: a results file written with --repeat
# at one time scale, against the verdicts the client is known to give.
#   jq -L bench -r --arg client NAME --slurpfile expected BASELINE.json \
#      -f bench/scale_row.jq RESULTS.json
# BASELINE: a results file whose verdict per (scenario, contract) is the
# expected one; an empty "results" list means PASS everywhere.
include "timing";
($expected[0].results | map({key: "\(.scenario) \(.contract)", value: .verdict}) | from_entries) as $want
| (.repeat.wall_s | sort) as $walls
# nominal: what the scenarios take at x1 one after another, i.e. the sum of
# their spans on the client's clock (journal and adapter events)
| ([.scenarios[] | [(.evidence.journal // [])[].t, (.evidence.events // [])[].t] | max // 0] | add) as $nominal
| ([.repeat.scenarios[] as $s | $s.results[] | .verdicts as $v
    | ($want["\($s.id) \(.contract)"] // "PASS") as $w
    | ($v | to_entries | map(select(.key != $w) | .value) | add // 0)] | add) as $wrong
| ([timing_rows] | max_by(.used)) as $worst
| "| \($client) | x\(.time_scale) | \(.repeat.runs) | \($walls[($walls | length) / 2 | floor] * 10 | round / 10) s | \($nominal / 60 | round) min | \($nominal / $walls[($walls | length) / 2 | floor] | round)x | \($wrong) of \(.results | length) x \(.repeat.runs) | \(.repeat.flaky) | \($worst.contract) \(signed($worst.worst)) s (\($worst.used * 100 | round) % of tolerance) |"
