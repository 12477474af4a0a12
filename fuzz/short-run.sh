#!/bin/sh
# short-run.sh TARGET SECONDS UNIT_TIMEOUT WORKDIR INPUT_DIR...
# A bounded fuzz run of TARGET from the checked-in inputs; a unit running
# past UNIT_TIMEOUT seconds fails it. New inputs go to a scratch dir under
# WORKDIR, removed afterwards; a crash or timeout input is kept in WORKDIR
# (crash-*, timeout-*) and fails the test.
set -u
target=$1 seconds=$2 unit_timeout=$3 work=$4
shift 4
scratch=$(mktemp -d "$work/short-XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT INT TERM
"$target" -max_total_time="$seconds" -timeout="$unit_timeout" -rss_limit_mb=2048 \
    -artifact_prefix="$work/" -print_final_stats=1 "$scratch" "$@"
