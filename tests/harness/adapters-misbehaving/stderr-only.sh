#!/bin/sh
# Writes only to stderr (some of it not UTF-8) and exits 1: CRASHED, with
# its stderr in the record.
: > "$BCMIS_DIR/pid-$$"
echo "misbehaving: $BCMIS_MARK cannot reach the SDK" >&2
printf 'caf\351 \377\376 not utf-8\n' >&2
exit 1
