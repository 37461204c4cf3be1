#!/usr/bin/env bash
# The main job: two scripted xvirsh sessions.
#  1. the built-in test host (test:///default);
#  2. a simulated Xen 4.1 host (xensim: xend, xenstored, hypercalls under
#     one temporary root) driven through xen:///?root=DIR -- the four seed
#     domains are defined, started, inspected, changed and removed.
# Each session runs in one xvirsh process, which shows every command it
# reads from the pipe after its prompt.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
xvirsh="$build/tools/xvirsh"
xensim="$build/sim/xensim"
seed="$here/tests/demodata"

echo "=== 1. the built-in test host: test:///default"
"$xvirsh" -c test:///default <<EOF_CMDS
version
list --all
define $seed/pv-kernel.xml
start fc8
list
dominfo fc8
destroy fc8
undefine fc8
EOF_CMDS

echo
echo "=== 2. a simulated Xen 4.1 host (xensim) through the Xen driver"
root=$(mktemp -d /tmp/xenvirt-demo-XXXXXX)
cleanup() {
    [ -f "$root/xensim.pid" ] && kill "$(cat "$root/xensim.pid")" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT
"$xensim" --root "$root/host" --xen-version 4.1 --domains 1 --daemon --pidfile "$root/xensim.pid"

# The four seed examples share two names; give each its own name and let
# the driver generate UUIDs, so all four can be defined side by side.
for f in hvm-bios hvm-kernel pv-bootloader pv-kernel; do
    sed -e "s|<name>[^<]*</name>|<name>$f</name>|" -e '/<uuid>/d' \
        "$seed/$f.xml" > "$root/$f.xml"
done

"$xvirsh" -c "xen:///?root=$root/host" <<EOF_CMDS
version
nodeinfo
list --all
define $root/hvm-bios.xml
define $root/hvm-kernel.xml
define $root/pv-bootloader.xml
define $root/pv-kernel.xml
list --all
start hvm-bios
start hvm-kernel
start pv-bootloader
start pv-kernel
list
dominfo pv-kernel
dumpxml hvm-bios
suspend hvm-kernel
domstate hvm-kernel
resume hvm-kernel
setmem pv-kernel 65536
dominfo pv-kernel
vcpuinfo pv-bootloader
destroy hvm-bios
destroy hvm-kernel
destroy pv-bootloader
destroy pv-kernel
undefine hvm-bios
undefine hvm-kernel
undefine pv-bootloader
undefine pv-kernel
list --all
EOF_CMDS
