#!/bin/sh
# Reports a start and some output, then dies of SIGSEGV: CRASHED.
: > "$BCMIS_DIR/pid-$$"
echo '{"event":"started","execution_id":"e-1"}'
echo '{"event":"stdout","data_b64":"aGVsbG8K"}'
kill -SEGV $$
