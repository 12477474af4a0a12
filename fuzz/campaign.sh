#!/bin/sh
# campaign.sh BUILD MINUTES TARGET... - the long runs, one target at a time
# (-fork=1: one job; a crash is kept and the run goes on). New inputs go to
# BUILD/campaign/<target>/ (minimize them into corpus/ with -merge=1 by
# hand), crash inputs to BUILD/campaign/<target>-crash-*, the log of each
# run to BUILD/campaign/<target>.log.
set -u
build=$1 minutes=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
for t in "$@"; do
    out="$build/campaign/$t"
    mkdir -p "$out"
    "$build/$t" -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
        -ignore_ooms=1 -artifact_prefix="$out-" \
        "$out" "$here/corpus/$t" "$here/regressions/$t" > "$out.log" 2>&1
    echo "$t exit $?" >> "$build/campaign/status"
done
