#!/bin/sh
# libvirt-check.sh DATADIR: every golden output of the domain XML tests must
# be accepted by libvirt itself -- its RelaxNG schema (virt-xml-validate,
# libvirt-clients) and its own parser (virsh -c test:///default define, after
# changing only the domain type from 'xen' to 'test').  device-*.out.xml
# fragments are checked inside a minimal domain.  TAP output, one test per
# file and check; skipped (with the reason) only if the tools are absent or
# the file is listed in libvirt-check.known.
set -u
datadir=${1:?usage: libvirt-check.sh DATADIR}
known="$(dirname "$0")/libvirt-check.known"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

have_validate=yes; command -v virt-xml-validate >/dev/null 2>&1 || have_validate=no
have_virsh=yes; command -v virsh >/dev/null 2>&1 || have_virsh=no

files=$(ls "$datadir"/*.out.xml 2>/dev/null)
if [ -z "$files" ]; then
    echo "Bail out! no *.out.xml in $datadir"
    exit 1
fi
count=$(echo "$files" | wc -l)
echo "1..$((count * 2))"

n=0
failed=0
for f in $files; do
    name=$(basename "$f" .out.xml)
    doc="$tmp/$name.xml"
    case "$name" in
    device-*)
        { printf "<domain type='xen'>\n  <name>devtest</name>\n  <memory unit='KiB'>65536</memory>\n"
          printf "  <os>\n    <type>hvm</type>\n  </os>\n  <devices>\n"
          cat "$f"
          printf "  </devices>\n</domain>\n"; } > "$doc" ;;
    *)
        cp "$f" "$doc" ;;
    esac

    n=$((n + 1))
    if [ $have_validate = no ]; then
        echo "ok $n - $name schema # SKIP virt-xml-validate not installed (package libvirt-clients)"
    elif out=$(virt-xml-validate "$doc" domain 2>&1); then
        echo "ok $n - $name schema"
    else
        echo "not ok $n - $name schema"
        echo "$out" | sed 's/^/# /' >&2
        failed=$((failed + 1))
    fi

    n=$((n + 1))
    sed "1s/<domain type='xen'/<domain type='test'/" "$doc" > "$tmp/$name.test.xml"
    reason=$(sed -n "s/^$name[ \t]\{1,\}//p" "$known" 2>/dev/null)
    if [ -n "$reason" ]; then
        echo "ok $n - $name libvirt-define # SKIP $reason"
    elif [ $have_virsh = no ]; then
        echo "ok $n - $name libvirt-define # SKIP virsh not installed (package libvirt-clients)"
    elif out=$(virsh -q -c test:///default define "$tmp/$name.test.xml" 2>&1); then
        echo "ok $n - $name libvirt-define"
    else
        echo "not ok $n - $name libvirt-define"
        echo "$out" | sed 's/^/# /' >&2
        failed=$((failed + 1))
    fi
done
[ $failed -eq 0 ]
