#!/bin/sh
# 40 MB without a newline, then the same events as bad-json.sh's good ones:
# the harness drops the over-long line (reporting it) in bounded memory and
# judges the rest.
: > "$BCMIS_DIR/pid-$$"
echo '{"event":"started","execution_id":"e-1"}'
head -c 40000000 /dev/zero | tr '\0' x
echo
echo '{"event":"stdout","data_b64":"aGVsbG8K"}'
echo '{"event":"stderr","data_b64":"b29wcw=="}'
echo '{"event":"result","exit_code":3,"error_message":null}'
