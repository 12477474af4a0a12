#!/bin/sh
# The JUnit reports of the fixtures (one run, and two clients merged) are
# valid against junit.xsd, and a malformed report is not (so the check can
# fail). Exit 77 (ctest SKIP) without xmllint: apt-get install libxml2-utils.
set -u
tool=$1 xsd=$2 fixtures=$3
command -v xmllint >/dev/null || { echo "SKIP: xmllint not installed (libxml2-utils)"; exit 77; }
. "$(dirname "$0")/../scratch.sh"   # $tmp, removed at the end
"$tool" junit "$fixtures/run-a.json" "$tmp/a.xml" || exit 1
"$tool" merge junit "$tmp/m.xml" "$fixtures/run-a.json" "$fixtures/run-node.json" || exit 1
xmllint --noout --schema "$xsd" "$tmp/a.xml" "$tmp/m.xml" || exit 1
if xmllint --noout --schema "$xsd" "$fixtures/bad-junit.xml" 2>/dev/null; then
    echo "FAIL: the schema accepted bad-junit.xml"; exit 1
fi
echo "junit.xsd: both reports valid, the bad one rejected"
