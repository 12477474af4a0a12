#!/bin/sh
# short-run.sh TARGET SECONDS WORKDIR INPUT_DIR...
# A bounded fuzz run of TARGET from the checked-in inputs. New inputs go to a
# scratch dir under WORKDIR, removed afterwards; a crash input is kept in
# WORKDIR (crash-*) and fails the test.
set -u
target=$1 seconds=$2 work=$3
shift 3
scratch=$(mktemp -d "$work/short-XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT INT TERM
"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/" -print_final_stats=1 "$scratch" "$@"
