#!/usr/bin/env bash
# The main job: a short scripted xvirsh session against the built-in test
# host (test:///default).  The whole session runs in one xvirsh process, so
# the domains it defines live until the end of the script.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
xvirsh="$build/tools/xvirsh"
seed="$here/tests/demodata"

# xvirsh shows each command it reads from a pipe after its prompt.
"$xvirsh" -c test:///default <<EOF_CMDS
version
nodeinfo
list --all
define $seed/pv-kernel.xml
define $seed/hvm-bios.xml
list --all
start fc8
start fv0
list
dominfo fv0
dumpxml fc8
suspend fv0
domstate fv0 --reason
resume fv0
setmem fc8 65536
dominfo fc8
vcpuinfo test
destroy fv0
shutdown fc8
undefine fv0
undefine fc8
list --all
EOF_CMDS
