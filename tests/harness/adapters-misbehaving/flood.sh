#!/bin/sh
# 50 MB of stdout events (51200 lines of 1 KiB), then a result: judged.
: > "$BCMIS_DIR/pid-$$"
echo '{"event":"started","execution_id":"e-1"}'
b64=$(printf 'QUFB%.0s' $(seq 250))
yes "{\"event\":\"stdout\",\"data_b64\":\"$b64\"}" | head -n 51200
echo '{"event":"result","exit_code":3,"error_message":null}'
