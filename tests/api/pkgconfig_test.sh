#!/usr/bin/env bash
# Build tests/api/api_test.c the way a libvirt user would build their own
# program against us: only `pkg-config xenvirt` for flags (the uninstalled
# xenvirt.pc of this build tree), then run it and compare with the golden
# report.  Proves the .pc file and the installed-header layout are usable.
set -euo pipefail
cc=$1 src=$2 build=$3
work="$build/tests/api/pkgconfig"
mkdir -p "$work"
export PKG_CONFIG_PATH="$build/meson-uninstalled"
flags=$(pkg-config --cflags --libs xenvirt)
$cc -o "$work/api_test_pc" "$src/tests/api/api_test.c" $flags
LD_LIBRARY_PATH="$build/src" "$work/api_test_pc" > "$work/report.txt"
if ! diff -u "$src/tests/apidata/api_test.out" "$work/report.txt"; then
    echo "program built with pkg-config xenvirt ($flags) reports differently"
    exit 1
fi
echo "built with: pkg-config --cflags --libs xenvirt -> $flags; report matches"
