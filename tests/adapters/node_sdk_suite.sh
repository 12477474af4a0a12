#!/bin/sh
# node_sdk.suite: the whole scenario suite against BoxLite's Node SDK
# (adapters/node, clients/node-sdk.json), gated on the known failures of the
# SDK version the adapter pins (reports/conformance/node-sdk-0.10.0.json).
#
#   node_sdk_suite.sh BOXCONFORM ROOT [extra boxconform run options...]
#
# Exit 77 (ctest SKIP) when Node, npm or the adapter's installed dependencies
# are missing: scripts/setup.sh runs `npm install` in adapters/node only when Node
# is present. Otherwise boxconform's own status: 0 when no result moved away
# from what the baseline had (to anything but PASS) and every UNSUPPORTED is
# one the profile declares (attach-by-id), 1 on a regression (listed as
# "regression:" lines), 2 for a harness error or a run that judged nothing.
set -u
boxconform=$1 root=$2
shift 2

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool not found (the Node SDK adapter needs Node.js and npm)"
        exit 77
    fi
done
if [ ! -d "$root/adapters/node/node_modules/@boxlite-ai/boxlite" ]; then
    echo "SKIP: $root/adapters/node/node_modules is not installed (run: cd adapters/node && npm install)"
    exit 77
fi

exec "$boxconform" run --root "$root" --client node-sdk \
    --baseline "$root/reports/conformance/node-sdk-0.10.0.json" "$@"
