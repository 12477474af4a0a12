#!/bin/sh
# 50 MB of stdout events (BCMIS_FLOOD_LINES lines of 1 KiB, default 51200),
# then a result: judged.
: > "$BCMIS_DIR/pid-$$"
echo '{"event":"started","execution_id":"e-1"}'
b64=$(printf 'QUFB%.0s' $(seq 250))
yes "{\"event\":\"stdout\",\"data_b64\":\"$b64\"}" | head -n "${BCMIS_FLOOD_LINES:-51200}"
echo '{"event":"result","exit_code":3,"error_message":null}'
