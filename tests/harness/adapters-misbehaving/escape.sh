#!/bin/sh
# A client that writes where it was never asked to: into $BC_ESCAPE_TO, a
# directory outside its sandbox and its TMPDIR, then answers its action as
# if nothing happened. Run as root the harness confines it
# (harness/confine.h), so the write must fail; confine_run.sh checks.
echo "written by an adapter outside its sandbox" > "$BC_ESCAPE_TO/escaped" 2>/dev/null
mkdir "$BC_ESCAPE_TO/escaped-dir" 2>/dev/null
echo '{"event":"value","value":{}}'
