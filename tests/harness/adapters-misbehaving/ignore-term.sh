#!/bin/sh
# Never answers and ignores SIGTERM (so do its children, which inherit the
# ignored signal): HUNG, the group is killed by SIGKILL after the grace.
trap '' TERM
: > "$BCMIS_DIR/pid-$$"
echo '{"event":"started","execution_id":"e-1"}'
sh -c 'while :; do sleep 1; done' "$BCMIS_MARK" &
while :; do sleep 1; done
