# The timing contracts of a results file written with --repeat, as a
# markdown table: per contract the median and the worst error of what was
# measured against its nominal value over every run and scenario, the
# check's tolerance there, and how much of it the worst error took.
#   jq -L bench -rf bench/timing_table.jq RESULTS.json
include "timing";
"| contract | scenarios | measurements | nominal (client s) | median error | worst error | tolerance | worst / tolerance |",
"|---|---|---|---|---|---|---|---|",
([timing_rows] | group_by(.contract)[]
 | (map(.median) | sort) as $medians
 | (max_by(.used)) as $w
 | if .[0].limit then
     "| \(.[0].contract) | \(length) | \(map(.n) | add) | <= \(.[0].nominal) | - | max \(map(.max) | max * 100 | round / 100) s | <= \(.[0].nominal + .[0].tol.late) s | \($w.used * 100 | round) % |"
   else
     "| \(.[0].contract) | \(length) | \(map(.n) | add) | \(.[0].nominal) | \(signed($medians[length / 2 | floor])) s | \(signed($w.worst)) s | -\(.[0].tol.early * 100 | round / 100) / +\(.[0].tol.late * 100 | round / 100) s | \($w.used * 100 | round) % |"
   end)
