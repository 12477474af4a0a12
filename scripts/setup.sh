#!/usr/bin/env bash
# Set-up shared by the README's two commands: install what is missing (when
# root), configure and build. Idempotent: a second run only rebuilds.
#   scripts/setup.sh [BUILD_DIR] [extra cmake args...]   all three steps below
#   scripts/setup.sh --deps-only         the packages and the Node adapter's modules
#   scripts/setup.sh --packages-only     the Debian packages
#   scripts/setup.sh --node-only         the Node adapter's modules (npm install)
#   scripts/setup.sh --build-only BUILD_DIR [extra cmake args...]
# BOXCONFORM_BUILD_TARGET names the one target to build (default: all).
# BOXCONFORM_TEST_TOOLS=1 also installs what only the tests use (xmllint to
# validate JUnit XML, headless Chromium to open the HTML report, clang and
# its libFuzzer runtime for the fuzz targets).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
steps="packages node build"
case "${1:-}" in
  --deps-only) steps="packages node"; shift ;;
  --packages-only) steps=packages; shift ;;
  --node-only) steps=node; shift ;;
  --build-only) steps=build; shift ;;
esac
build=${1:-$root/build}
shift || true
step() { [[ " $steps " == *" $1 "* ]]; }

packages=(build-essential cmake ninja-build pkg-config libwebsockets-dev libcurl4-openssl-dev
          libjansson-dev libcmocka-dev libfaketime faketime libssl-dev
          libarchive-dev python3 python3-websockets)
if [ "${BOXCONFORM_TEST_TOOLS:-0}" = 1 ]; then
  packages+=(libxml2-utils chromium clang libclang-rt-14-dev)
fi
missing=()
step packages || packages=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# The Node SDK adapter (adapters/node) is set up where Node is present.
if step node && [ -f "$root/adapters/node/package-lock.json" ] && command -v npm >/dev/null 2>&1; then
  if [ ! -d "$root/adapters/node/node_modules" ] ||
     [ "$root/adapters/node/package-lock.json" -nt "$root/adapters/node/node_modules" ]; then
    # Not `npm ci`: the SDK names optional builds for other platforms that
    # were never published (darwin-arm64 is a 404), so npm ci finds the lock
    # "out of sync" for ever. npm install installs exactly the locked versions
    # and leaves the lockfile as it is.
    (cd "$root/adapters/node" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi

step build || exit 0
# Ninja: a build from nothing took 58 CPU-s against 88 with Makefiles, whose
# recursive make and per-target cmake calls cost as much as the links
# (BENCHMARKS.md 7c). A tree configured before keeps its generator.
# A unity build (the sources of a target compiled a batch at a time, each
# header parsed once a batch): the release tests' targets in 20 CPU-s instead
# of 33, 11 s instead of 17.5 on 2 cores (BENCHMARKS.md 7i). ./run tests
# builds its ASan+UBSan tree file by file (-DCMAKE_UNITY_BUILD=OFF after
# this one), so that a source that compiles only beside its batch's other
# files (a missing #include) fails there.
generator=()
[ -f "$build/CMakeCache.txt" ] || generator=(-G Ninja)
cmake "${generator[@]}" -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_UNITY_BUILD=ON "$@" >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${BOXCONFORM_BUILD_TARGET:-all}" >/dev/null
