# timing.jq - the timing results of a results file written with --repeat,
# one row per (scenario, timing contract), shared by timing_table.jq and
# scales.sh (include "timing"; with jq -L bench).
#
# A check's "expected" is its nominal value; TIME-KEEPALIVE and RECOV-BUDGET
# judge a range and have none, their nominal is the client's constant.
# RECOV-RECONNECT measures the worst deviation of a wait from the backoff
# (nominal 0, tolerance that of the 15 s wait). RECOV-GONE is a limit, not a
# target (a result within the probe timeout after a 404): limit is true.
# The tolerance is the checks' (suites/evidence.c): 2 % + 0.25 s early,
# 5 % + 1 s late; RECOV-BUDGET may also stop up to one backoff_max early.
def tolerance(x): {early: (0.02 * x + 0.25), late: (0.05 * x + 1)};

def timing_rows:
  .client.constants as $k
  | {"TIME-KEEPALIVE": $k.ping_interval, "RECOV-BUDGET": $k.budget} as $nominal
  | .repeat.scenarios[] as $s | $s.results[]
  | select(.measured and (.expected != null or $nominal[.contract] != null))
  | (.expected // $nominal[.contract]) as $nom
  | (if .contract == "RECOV-RECONNECT" then 15 else $nom end) as $at
  | {scenario: $s.id, contract, nominal: $nom, n: .measured.n, limit: (.contract == "RECOV-GONE"),
     median: (.measured.median - $nom), lo: (.measured.min - $nom), hi: (.measured.max - $nom),
     max: .measured.max,
     tol: tolerance($at)}
  | if .contract == "RECOV-BUDGET" then .tol.early += $k.backoff_max else . end
  # the error farthest from nominal, and how much of its side's tolerance it took
  | (if (.lo | fabs) > (.hi | fabs) then .lo else .hi end) as $w
  | . + {worst: $w, used: (if .limit then .max / (.nominal + .tol.late)
                           elif $w < 0 then -$w / .tol.early else $w / .tol.late end)};

def signed(x): (x * 1000 | round / 1000) as $r | if $r < 0 then "\($r)" else "+\($r)" end;
