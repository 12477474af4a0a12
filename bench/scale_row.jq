# bench/scales.sh's view of a results file written with --repeat at one
# time scale, against the verdicts the client is known to give:
#   jq -L bench -r --arg client NAME --arg what row|notes \
#      --slurpfile expected KNOWN.json -f bench/scale_row.jq RESULTS.json
# KNOWN: a results file whose verdict per (scenario, contract) is the known
# one (a baseline); a pair it does not list is known to PASS.
# row: one markdown row. notes: one line per result that was flaky or off
# its known verdict, with its verdicts and measured spread.
include "timing";
.time_scale as $k
| ($expected[0].results | map({key: "\(.scenario) \(.contract)", value: .verdict}) | from_entries) as $known
| def known(s; c): $known["\(s) \(c)"] // "PASS";
  [.repeat.scenarios[] as $s | $s.results[] | . + {scenario: $s.id, known: known($s.id; .contract)}
   | select((.stable | not) or (.verdicts | keys) != [.known])] as $odd
| if $what == "notes" then
    $odd[]
    | "\($client) x\($k): \(.scenario) \(.contract): \(.verdicts | to_entries | map("\(.key) x\(.value)") | join(" ")) (known \(.known))\(if .measured then "; measured \(.measured.min * 100 | round / 100) / \(.measured.median * 100 | round / 100) / \(.measured.max * 100 | round / 100)" else "" end)"
  else
    (.repeat.wall_s | sort) as $walls
    | ($walls[($walls | length) / 2 | floor]) as $wall
    # nominal: what the scenarios take at x1 one after another, i.e. the sum
    # of their spans on the client's clock (journal and adapter events)
    | ([.scenarios[] | [(.evidence.journal // [])[].t, (.evidence.events // [])[].t] | max // 0]
       | add) as $nominal
    # the timing nearest its limit among the results known to PASS
    | ([timing_rows | select(known(.scenario; .contract) == "PASS")] | max_by(.used)) as $worst
    | "| \($client) | x\(.time_scale) | \(.repeat.runs) | \($wall * 10 | round / 10) s | \($nominal / 60 | round) min | \($nominal / $wall | round)x | \($odd | map(select(.stable)) | length) | \(.repeat.flaky) | \($worst.contract) \(signed($worst.worst)) s (\($worst.used * 100 | round) % of tolerance) |"
  end
