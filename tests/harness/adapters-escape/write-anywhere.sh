#!/bin/sh
# A client that writes wherever it likes: a new file and an existing one in
# $BCESC_DIR (a directory of the machine outside the run), and one in its
# TMPDIR. It reports what each write did as its value, then exits.
try() { if (printf 'escaped\n' > "$1") 2>/dev/null; then echo written; else echo refused; fi; }
new=$(try "$BCESC_DIR/new.txt")
old=$(try "$BCESC_DIR/canary.txt")
tmp=$(try "$TMPDIR/scratch.txt")
printf '{"event":"value","value":{"new":"%s","existing":"%s","tmpdir":"%s"}}\n' "$new" "$old" "$tmp"
