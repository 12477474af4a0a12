#!/bin/sh
# Lines that are not events among good ones, then a result: judged, the bad
# lines reported in the record.
: > "$BCMIS_DIR/pid-$$"
echo '{"event":"started","execution_id":"e-1"}'
echo '{"event":"stdout","data_b64":'
echo 'not json at all'
printf 'caf\351 latin-1\n'
echo '["event","stdout"]'
echo '{"event":42}'
echo '{"event":"stdout","data_b64":"aGVsbG8K"}'
echo '{"event":"stderr","data_b64":"b29wcw=="}'
echo '{"event":"result","exit_code":3,"error_message":null}'
