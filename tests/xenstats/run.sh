#!/usr/bin/env bash
# domblkstat / domifstat through the Xen driver against xensim: the
# counters come from the backend's sysfs statistics and the host's
# /proc/net/dev under the root prefix, laid out here as Linux lays them out
# (the kernel is the peer for these two; xensim has no backends).  The
# transcript, with the kernel's numbers and the swapped rx/tx, is golden.
set -uo pipefail
xvirsh=$1 xensim=$2 golden=$3 src=$4
root=$(mktemp -d /tmp/xv-stats-XXXXXX)
trap '[ -f "$root/pid" ] && kill "$(cat "$root/pid")" 2>/dev/null; rm -rf "$root"' EXIT
"$xensim" --root "$root/host" --xen-version 4.1 --domains 0 --daemon --pidfile "$root/pid" || exit 1
X=("$xvirsh" -c "xen:///?root=$root/host")
"${X[@]}" "define $src/tests/demodata/hvm-bios.xml; start fv0" >/dev/null || exit 1
id=$("${X[@]}" domid fv0 | head -1)
stat=$root/host/sys/bus/xen-backend/devices/vbd-$id-768/statistics   # hda: major 3, minor 0
mkdir -p "$stat" "$root/host/proc/net"
echo 10 > "$stat/rd_req"; echo 80 > "$stat/rd_sect"; echo 5 > "$stat/wr_req"
echo 16 > "$stat/wr_sect"; echo 1 > "$stat/oo_req"
printf '%s\n' 'Inter-|   Receive                                                |  Transmit' \
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed' \
  "    lo: 5 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0" \
  "vif$id.0: 1000 10 0 0 0 0 0 0 2000 20 1 2 0 0 0 0" > "$root/host/proc/net/dev"
out=$("${X[@]}" "domblkstat fv0 hda; domblkstat fv0 hdc; domblkstat fv0 hdz; domifstat fv0 vif$id.0; domifstat fv0 vif$id.7; domifstat fv0 eth0; destroy fv0; domblkstat fv0 hda" 2>&1 | sed "s/vif$id\./vifID./g; s|$root|ROOT|g")
if [ "${XENVIRT_TEST_REGENERATE:-}" = 1 ]; then printf '%s\n' "$out" > "$golden"; exit 0; fi
if ! diff -u "$golden" <(printf '%s\n' "$out"); then echo "stats transcript differs"; exit 1; fi
echo "stats transcript matches"
