#!/bin/sh
# The whole suite against the bundled reference client must PASS; in a
# sanitizer build (ASan + UBSan) every process it starts (boxconform, the
# fake servers, the reference client) must also end without a sanitizer
# report: the reports go to files, because an adapter's or a fake server's
# stderr is not the test's.
#   suite_run.sh BOXCONFORM [boxconform run options...]
set -u
boxconform=$1
shift
. "$(dirname "$0")/../scratch.sh"   # $tmp, removed at the end
ASAN_OPTIONS="log_path=$tmp/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="log_path=$tmp/ubsan:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS
"$boxconform" run "$@"
rc=$?
for report in "$tmp"/asan.* "$tmp"/ubsan.*; do
    [ -e "$report" ] || continue
    echo "== sanitizer report $report:"
    cat "$report"
    rc=1
done
exit $rc
