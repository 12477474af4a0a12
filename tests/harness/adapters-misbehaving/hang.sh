#!/bin/sh
# Never answers, with a background grandchild carrying the test's marker:
# HUNG, and the whole process group is killed.
: > "$BCMIS_DIR/pid-$$"
echo '{"event":"started","execution_id":"e-1"}'
sh -c 'while :; do sleep 1; done' "$BCMIS_MARK" &
while :; do sleep 1; done
