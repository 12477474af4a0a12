# scratch.sh - sourced by the test scripts: $tmp, a directory of their own,
# removed when the script ends, also by a signal (dash runs no EXIT trap
# on a fatal one: a Ctrl-C of ctest left these directories in /tmp).
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
