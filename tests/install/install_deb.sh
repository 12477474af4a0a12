#!/bin/sh
# The DEB package: built by cpack, installed with dpkg -i, boxconform on
# PATH runs the whole suite from a temporary directory, then dpkg removes
# every file it installed.
#   install_deb.sh BUILD_DIR
# SKIPPED (77) unless root with dpkg, or when a boxconform package is
# already installed (the test would replace it).
set -u
build=$1
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root (CI runs as root)"
command -v dpkg > /dev/null && command -v cpack > /dev/null || skip "needs dpkg and cpack"
. "$(dirname "$0")/../scratch.sh"   # $tmp; the EXIT trap below also removes the package
installed=0
cleanup() {
    [ $installed -eq 1 ] && dpkg -r boxconform > /dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT
# one at a time on this machine: two runs would install over each other
# (the lock is on this script, so that no lock file outlives the run)
exec 9< "$0"
flock 9
if dpkg-query -W -f='${Status}' boxconform 2>/dev/null | grep -q "install ok installed"; then
    skip "a boxconform package is installed already"
fi

cpack --config "$build/CPackConfig.cmake" -B "$tmp/pkg" > "$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log"; fail "cpack"; }
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
deb=$tmp/pkg/boxconform_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || { ls "$tmp/pkg"; fail "no $deb"; }
depends=$(dpkg-deb -f "$deb" Depends)
for pkg in libwebsockets17 libcurl4 libjansson4 libfaketime; do
    echo "$depends" | grep -q "\\b$pkg\\b" || fail "Depends lacks $pkg: $depends"
done
# and the package of every library a program links directly (libarchive13
# the day it is linked): the package must run where only Depends is installed
dpkg-deb -x "$deb" "$tmp/root"
for prog in "$tmp"/root/usr/bin/* "$tmp"/root/usr/libexec/boxconform/*; do
    objdump -p "$prog" | awk '$1 == "NEEDED" { print $2 }'
done | sort -u | while read -r lib; do
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ { print $NF; exit }')
    # merged /usr: dpkg knows a library by /lib/... or by /usr/lib/...
    pkg=$( (dpkg -S "$path" || dpkg -S "/usr$path") 2>/dev/null | head -1 | cut -d: -f1)
    [ -n "$pkg" ] || { echo "no package has $lib"; exit 1; }
    echo "$depends" | grep -q "\\b$pkg\\b" || { echo "$lib ($pkg) is not in Depends: $depends"; exit 1; }
done || fail "Depends misses a linked library's package"

dpkg -i "$deb" > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg -i"; }
installed=1
dpkg -L boxconform > "$tmp/files.txt"
[ "$(command -v boxconform)" = /usr/bin/boxconform ] || fail "boxconform is not /usr/bin/boxconform on PATH"
mkdir "$tmp/work" && cd "$tmp/work" || exit 1
boxconform --version | grep -qx "boxconform $version" || fail "--version is not $version"
boxconform run --json results.json > run.txt
rc=$?
tail -3 run.txt
[ $rc -eq 0 ] || { cat run.txt; fail "the installed suite exited $rc"; }
[ "$(grep -c '^PASS' run.txt)" -eq "$(boxconform list | wc -l)" ] ||
    fail "not every scenario of the installed copy passed"
cd / || exit 1

dpkg -r boxconform > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg -r"; }
installed=0
dpkg-query -W -f='${Status}' boxconform 2>/dev/null | grep -q "install ok installed" &&
    fail "still installed after dpkg -r"
left=0
while read -r f; do
    [ -f "$f" ] || [ -L "$f" ] || continue
    echo "left behind: $f"
    left=1
done < "$tmp/files.txt"
[ -d /usr/share/boxconform ] && { echo "left behind: /usr/share/boxconform"; left=1; }
[ -d /usr/libexec/boxconform ] && { echo "left behind: /usr/libexec/boxconform"; left=1; }
[ $left -eq 0 ] || fail "dpkg -r left files behind"
echo "ok: $deb installed, ran the suite, removed"
