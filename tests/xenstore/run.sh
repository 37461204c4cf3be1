#!/usr/bin/env bash
# Run the XenStore client transcript (xsclienttest) against a xenstored and
# compare it with the golden transcript.
#   run.sh CLIENT real GOLDEN          the real C xenstored 4.17 via ../shared/realxen
#   run.sh CLIENT sim GOLDEN XENSIM    xensim's xenstored
# Exit 77 (skip) only when the real daemon cannot be had on this machine.
set -uo pipefail
client=$1 which=$2 golden=$3
src=${XENVIRT_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
dir=$(mktemp -d /tmp/xv-xs-XXXXXX)
trap 'stop; rm -rf "$dir"' EXIT
stop() { :; }

case $which in
real)
    rx=${REAL_XENSTORED:-$src/../shared/realxen/real-xenstored}
    if [ ! -x "$rx" ]; then
        echo "SKIP: $rx not found (the shared realxen tools are not here)"; exit 77
    fi
    if ! out=$("$rx" --daemon --domains 1,7 "$dir/xs" 2>"$dir/err"); then
        echo "SKIP: real-xenstored could not start:"; tail -5 "$dir/err"; exit 77
    fi
    eval "$out"
    stop() { "$rx" --stop "$dir/xs" >/dev/null 2>&1; }
    ;;
sim)
    xensim=$4
    "$xensim" --root "$dir/root" --domains 8 --daemon --pidfile "$dir/pid" || {
        echo "xensim failed to start"; exit 1; }
    export XENSTORED_PATH="$dir/root/var/run/xenstored/socket"
    stop() { [ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null; }
    ;;
*)
    echo "unknown daemon '$which'"; exit 2 ;;
esac

"$client" > "$dir/actual" 2>"$dir/stderr"
rc=$?
if [ $rc -ne 0 ]; then
    echo "client failed ($rc):"; cat "$dir/stderr"; exit 1
fi
if [ "${XENVIRT_TEST_REGENERATE:-}" = 1 ]; then
    cp "$dir/actual" "$golden"; exit 0
fi
if ! diff -u "$golden" "$dir/actual"; then
    echo "transcript against the $which xenstored differs from $golden"; exit 1
fi
echo "$(wc -l < "$golden") transcript lines match against the $which xenstored"
