#!/bin/sh
# The HTML reports (one run; two clients merged) open in headless Chromium
# with no console error and carry the timeline; nothing is loaded from
# outside the file; a screenshot of the failing case's timeline has the
# window's size and is not blank (far larger than a blank page's PNG).
# Exit 77 (ctest SKIP) without chromium: apt-get install chromium.
set -u
tool=$1 fixtures=$2
command -v chromium >/dev/null || { echo "SKIP: chromium not installed"; exit 77; }
. "$(dirname "$0")/../scratch.sh"   # $tmp, removed at the end
browse() {
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 "$@"
}
"$tool" html "$fixtures/run-a.json" "$tmp/a.html" || exit 1
"$tool" merge html "$tmp/m.html" "$fixtures/run-a.json" "$fixtures/run-node.json" || exit 1
for page in a m; do
    if grep -Eq '(src|href)=|url\(|@import|<script' "$tmp/$page.html"; then
        echo "FAIL: $page.html refers to something outside itself"; exit 1
    fi
    browse --dump-dom "file://$tmp/$page.html" >"$tmp/$page.dom" 2>"$tmp/$page.log" || {
        echo "FAIL: chromium could not open $page.html"; cat "$tmp/$page.log"; exit 1; }
    if grep -E 'CONSOLE|Uncaught' "$tmp/$page.log"; then
        echo "FAIL: console messages for $page.html"; exit 1
    fi
    grep -q '<svg class="timeline"' "$tmp/$page.dom" || { echo "FAIL: no timeline in $page"; exit 1; }
    grep -q 'silent 60.06 s' "$tmp/$page.dom" || { echo "FAIL: no silence mark in $page"; exit 1; }
done
grep -q 'Contracts x clients' "$tmp/m.dom" || { echo "FAIL: no matrix in the merged report"; exit 1; }
printf '<!DOCTYPE html><html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>' >"$tmp/blank.html"
for page in a blank; do
    (cd "$tmp" && browse --screenshot="$tmp/$page.png" --window-size=1280,900 --hide-scrollbars \
        "file://$tmp/$page.html" >/dev/null 2>&1)
    [ -s "$tmp/$page.png" ] || { echo "FAIL: no screenshot of $page.html"; exit 1; }
done
# PNG: 8-byte signature, IHDR length and type, then width and height (big endian)
size=$(od -An -tu1 -j16 -N8 "$tmp/a.png" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
[ "$size" = 1280x900 ] || { echo "FAIL: screenshot is $size, expected 1280x900"; exit 1; }
shot=$(wc -c <"$tmp/a.png") blank=$(wc -c <"$tmp/blank.png")
[ "$shot" -gt $((blank * 4)) ] || { echo "FAIL: screenshot looks blank ($shot bytes, blank page $blank)"; exit 1; }
[ -n "${BC_KEEP_SCREENSHOT:-}" ] && cp "$tmp/a.png" "$BC_KEEP_SCREENSHOT"
echo "chromium: 2 reports open without console errors; screenshot $size, $shot bytes (blank $blank)"
