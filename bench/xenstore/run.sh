#!/usr/bin/env bash
# Benchmark driver: start the real C xenstored (../shared/realxen/
# real-xenstored) in a temporary directory, pin it and the clients to one
# CPU, run xenstore_bench (ours vs libxenstore, plus pyxs when installed)
# and always stop the daemon.  Never fails on time; fails only when a
# client fails or returns a wrong value.  Exit 77 (skip) when the real
# daemon is not available on this machine.
#   run.sh XENSTORE_BENCH PYXS_CLIENT [xenstore_bench options...]
# XV_BENCH_CPU picks the CPU (default 0); REAL_XENSTORED the script.
set -uo pipefail
bench=$1 pyclient=$2
shift 2
src=${XENVIRT_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
rx=${REAL_XENSTORED:-$src/../shared/realxen/real-xenstored}
cpu=${XV_BENCH_CPU:-0}

if [ ! -x "$rx" ]; then
    echo "SKIP: $rx not found (the shared realxen tools are not here)"; exit 77
fi
dir=$(mktemp -d /tmp/xv-xsbench-XXXXXX)
stop() { :; }
trap 'stop; rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM

if ! out=$("$rx" --daemon "$dir/xs" 2>"$dir/err"); then
    echo "SKIP: real-xenstored could not start:"; tail -5 "$dir/err"; exit 77
fi
stop() { "$rx" --stop "$dir/xs" >/dev/null 2>&1; }
eval "$out"
pid=$(cat "$dir/xs/xenstored.pid")

pin=()
if command -v taskset >/dev/null && taskset -a -pc "$cpu" "$pid" >/dev/null; then
    pin=(taskset -c "$cpu")
else
    echo "note: cannot pin to CPU $cpu (taskset missing or refused): figures are unpinned"
fi
pyxs=()
if /usr/bin/python3 -c 'import pyxs' 2>/dev/null; then
    pyxs=(--pyxs "$pyclient")
else
    echo "note: python3-pyxs not installed: no pyxs column"
fi
"${pin[@]}" "$bench" --daemon-pid "$pid" "${pyxs[@]}" "$@"
