#!/bin/sh
# Every domain XML the converters produce for the public vectors must be
# valid against libvirt's own schema (virt-xml-validate from
# libvirt-clients).  TAP: one line per XML file.
set -u
test_bin=$1
if ! command -v virt-xml-validate >/dev/null 2>&1; then
    echo "1..0 # SKIP virt-xml-validate is not installed"
    exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
XENCONV_XML_DIR=$dir "$test_bin" >/dev/null 2>&1
# and the XML in our own golden files (those that are not error texts)
cases=${XENVIRT_SOURCE_ROOT:-.}/tests/xenconvdata/cases
for f in "$cases"/*.*.xml; do
    [ -e "$f" ] || continue
    head -c 6 "$f" | grep -q '^error' && continue
    cp "$f" "$dir/golden-$(basename "$f")"
done
n=0; fail=0
for f in "$dir"/*.xml; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    if out=$(virt-xml-validate "$f" domain 2>&1); then
        echo "ok $n - $(basename "$f")"
    else
        fail=$((fail + 1))
        echo "not ok $n - $(basename "$f")"
        printf '%s\n' "$out" | sed 's/^/# /'
    fi
done
if [ "$n" -eq 0 ]; then
    echo "not ok 1 - no XML was produced"
    n=1; fail=1
fi
echo "1..$n"
[ "$fail" -eq 0 ]
