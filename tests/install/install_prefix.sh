#!/bin/sh
# cmake --install into a fresh prefix; the installed boxconform, run from
# another directory, finds its programs and data relative to itself, expands
# ${LIBEXEC} and ${ROOT} to them and refuses ${BUILD}.
#   install_prefix.sh BUILD_DIR
set -u
build=$1
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/../scratch.sh"   # $tmp, removed at the end
prefix=$tmp/opt/bc
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" ||
    { cat "$tmp/install.log"; fail "cmake --install"; }
bc=$prefix/bin/boxconform
for f in libexec/boxconform/fakeserver libexec/boxconform/refclient; do
    [ -x "$prefix/$f" ] || fail "$f is not installed"
done
for d in scenarios clients adapters/node; do
    [ -d "$prefix/share/boxconform/$d" ] || fail "share/boxconform/$d is not installed"
done
[ ! -e "$prefix/share/boxconform/adapters/node/node_modules" ] || fail "node_modules was installed"

mkdir "$tmp/work" && cd "$tmp/work" || exit 1
"$bc" --version | grep -Eq '^boxconform [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
n=$(find "$prefix/share/boxconform/scenarios" -name "*.json" | wc -l)
[ "$("$bc" list | wc -l)" -eq "$n" ] || fail "list does not show the $n installed scenarios"

"$bc" run --filter 'exit-*' --json r.json > run.txt || { cat run.txt; fail "run"; }
grep -q "\"$prefix/libexec/boxconform/refclient\"" r.json ||
    fail "the refclient profile's \${LIBEXEC} is not the installed libexec"
"$bc" run --client refclient-testbuild --filter 'exit-frame-*' > tb.txt ||
    { cat tb.txt; fail "the testbuild profile"; }

# the same run with the prefix moved: nothing refers to where it was built
mv "$prefix" "$tmp/moved"
"$tmp/moved/bin/boxconform" run --filter 'exit-frame-*' > moved.txt ||
    { cat moved.txt; fail "a moved prefix"; }
mv "$tmp/moved" "$prefix"

cat > build-var.json <<'JSON'
{"name": "old", "command": ["${BUILD}/refclient/refclient"], "faketime": true}
JSON
"$bc" run --client "$PWD/build-var.json" > /dev/null 2> err.txt
[ $? -eq 2 ] || fail "a profile with \${BUILD} was not refused with exit 2"
grep -q 'build-var.json:1:29: ${BUILD} has no meaning in an installed boxconform' err.txt ||
    { cat err.txt; fail "the \${BUILD} error does not name file:line:column and the variable"; }
echo "ok: installed under $prefix"
