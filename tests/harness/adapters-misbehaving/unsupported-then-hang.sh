#!/bin/sh
# Says "unsupported" but never exits: the harness stops it a second later,
# and a declaration without exit 127 is CRASHED.
: > "$BCMIS_DIR/pid-$$"
echo '{"event":"unsupported","reason":"cannot, but stays"}'
sh -c 'while :; do sleep 1; done' "$BCMIS_MARK" &
while :; do sleep 1; done
