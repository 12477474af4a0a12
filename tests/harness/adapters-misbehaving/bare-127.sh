#!/bin/sh
# Exits 127 without a word, as a shell's "command not found" would: CRASHED,
# never UNSUPPORTED (that takes an "unsupported" event first).
echo "bare-127: nothing to say" >&2
exit 127
