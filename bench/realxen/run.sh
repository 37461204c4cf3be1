#!/usr/bin/env bash
# bench/realxen/run.sh: runs bench/realxen/getinfo_bench inside a real Xen
# 4.17 dom0 (../shared/realxen/xenhost under QEMU TCG): virDomainGetInfo
# over xen:/// against a bare privcmd domctl and libxenctrl, on dom0 and on
# a PVH guest made with `xl create` (128 MiB, maxmem 160, 2 vCPUs).  Before
# timing, strace shows which channels one steady-state call of each column
# touches (the system calls between two of the benchmark's markers, with
# the files and sockets behind each descriptor).
#
#   bench/realxen/run.sh BUILD_DIR        (make bench-realxen)
#
# On the host it copies the benchmark, libxenvirt.so.0 and itself to
# OUT (a rebuild during the run must not change what dom0 runs: the root
# view is a 9p cache of the host), waits for /var/tmp/xenhost-run.lock
# (one xenhost at a time on this machine; the wait can be minutes), and
# re-runs itself in dom0 with OUT shared.  Environment: XENHOST (path of
# the xenhost script), REALXEN_BENCH_OUT (default BUILD_DIR/bench-realxen),
# REALXEN_BENCH_CALLS (default 20000 per column), REALXEN_BENCH_ROUNDS
# (default 20), REALXEN_BENCH_CPU (dom0 CPU to pin the benchmark to,
# default 1; that dom0 vCPU also gets that pCPU to itself; empty: no
# pinning), REALXEN_BENCH_GUEST=0 (dom0 only).
# Exit status: the benchmark's (0; 1 on a wrong value or failed call, never
# on time), 77 when xenhost or the benchmark is not available.
set -u

if [ "${1:-}" != "--inside" ]; then
  BUILD=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
  SRC=$(cd "$(dirname "$0")/../.." && pwd)
  XENHOST=${XENHOST:-}
  if [ -z "$XENHOST" ]; then
    for c in "$SRC/../shared/realxen/xenhost" /work/shared/realxen/xenhost; do
      [ -x "$c" ] && { XENHOST=$c; break; }
    done
  fi
  if [ -z "$XENHOST" ] || [ ! -x "$XENHOST" ]; then
    echo "SKIP: xenhost not found (set XENHOST=/path/to/xenhost)" >&2
    exit 77
  fi
  BIN=$BUILD/bench/realxen/getinfo_bench
  if [ ! -x "$BIN" ]; then
    echo "SKIP: no $BIN (needs libxen-dev, pkg-config xencontrol; then build)" >&2
    exit 77
  fi
  OUT=${REALXEN_BENCH_OUT:-$BUILD/bench-realxen}
  rm -rf "$OUT" && mkdir -p "$OUT/bench/realxen" "$OUT/src"
  # same layout as the build tree, so the binary's own rpath
  # ($ORIGIN/../../src) finds the copied library too
  cp "$BIN" "$OUT/bench/realxen/getinfo_bench"
  cp -L "$BUILD/src/libxenvirt.so.0" "$OUT/src/libxenvirt.so.0"
  cp "$SRC/bench/realxen/run.sh" "$OUT/run.sh"
  LOCK=/var/tmp/xenhost-run.lock
  asked=$(date +%s.%N)
  echo "bench-realxen: waiting for $LOCK (other xenhost runs go first)"
  flock "$LOCK" bash -c '
    printf "bench-realxen: lock taken after %.1f s\n" "$(echo "$(date +%s.%N) - $1" | bc)"
    start=$(date +%s.%N)
    "$2" run --share "$3" --timeout 900 \
      --env "REALXEN_BENCH_CALLS=$4" --env "REALXEN_BENCH_ROUNDS=$5" \
      --env "REALXEN_BENCH_CPU=$6" --env "REALXEN_BENCH_GUEST=$7" -- \
      bash "$3/run.sh" --inside "$3"
    rc=$?
    printf "bench-realxen: exit %s, xenhost wall time %.1f s (boot + bench + power-off)\n" \
      "$rc" "$(echo "$(date +%s.%N) - $start" | bc)"
    exit $rc' _ "$asked" "$XENHOST" "$OUT" "${REALXEN_BENCH_CALLS:-20000}" \
      "${REALXEN_BENCH_ROUNDS:-20}" "${REALXEN_BENCH_CPU-1}" "${REALXEN_BENCH_GUEST:-1}" \
    2>&1 | tee "$OUT/log.txt"
  exit "${PIPESTATUS[0]}"
fi

# ---------------------------------------------------------------- in dom0
OUT=$2
BENCH=$OUT/bench/realxen/getinfo_bench
export LD_LIBRARY_PATH=$OUT/src
CALLS=${REALXEN_BENCH_CALLS:-20000}
ROUNDS=${REALXEN_BENCH_ROUNDS:-20}
CPU=${REALXEN_BENCH_CPU-1}
PIN=()
[ -n "$CPU" ] && PIN=(taskset -c "$CPU")
fails=0
phase() { echo "----  [${SECONDS}s in dom0] $*"; }
fail() { echo "FAIL  $*"; fails=$((fails + 1)); }

# One steady-state call of COLUMN on DOMID under strace: the system calls
# between the benchmark's "call 2" and "end" markers, each descriptor shown
# as the file or socket behind it.
trace_one() {
  local col=$1 dom=$2 t="$OUT/trace-$1-$2.txt"
  if ! strace -f -yy -o "$t" "$BENCH" --trace "$col" -n 2 "$dom" > /dev/null 2> "$t.err"; then
    fail "strace of $col on domain $dom: $(tail -2 "$t.err" | tr '\n' ' ')"
    return
  fi
  echo "  $col, domain $dom, one call ($(awk '/getinfo_bench: call 2/ {p = 1; next}
    /getinfo_bench: end/ {p = 0} p' "$t" | wc -l) system calls):"
  awk '/getinfo_bench: call 2/ {p = 1; next} /getinfo_bench: end/ {p = 0}
       p {sub(/^[0-9]+ +/, ""); if (length($0) > 150) $0 = substr($0, 1, 147) "..."; print "    " $0}' "$t"
}

phase "dom0: $(uname -r), $(xl info | awk -F': *' '/^xen_version/ {print "Xen " $2}'), $(nproc) vCPUs"
guest=
if [ "${REALXEN_BENCH_GUEST:-1}" != 0 ] && [ -n "${XENHOST_GUEST_KERNEL:-}" ]; then
  cat > /root/hvbench.cfg <<CFG
name = "hvbench"
type = "pvh"
kernel = "$XENHOST_GUEST_KERNEL"
ramdisk = "$XENHOST_GUEST_INITRD"
extra = "console=hvc0"
memory = 128
maxmem = 160
vcpus = 2
CFG
  phase "xl create hvbench (pvh, 128 MiB, maxmem 160, 2 vCPUs)"
  if xl create /root/hvbench.cfg > "$OUT/xl-create.txt" 2>&1; then
    guest=$(xl domid hvbench)
    # let it boot to its idle shell, so its boot does not compete with the
    # measurement for the two CPUs
    for _ in $(seq 60); do
      grep -q 'xenhost-guest: up' /var/log/xen/console/guest-hvbench.log 2>/dev/null && break
      sleep 1
    done
    guest=$(xl domid hvbench)   # a boot-time restart gives a new id
    grep -q 'xenhost-guest: up' /var/log/xen/console/guest-hvbench.log 2>/dev/null \
      && phase "guest up, domain $guest" || phase "guest $guest not up after 60 s; measuring anyway"
  else
    fail "xl create hvbench: $(tail -3 "$OUT/xl-create.txt" | tr '\n' ' ')"
  fi
fi

# The benchmark's dom0 vCPU gets a pCPU of its own (xenstored, dom0's
# other work and the guest share the rest), so the columns are not
# disturbed by whatever else the emulated machine runs.
if [ -n "$CPU" ]; then
  others=$(seq 0 $(($(xl info | awk -F': *' '/^nr_cpus/ {print $2}') - 1)) | grep -vx "$CPU" | paste -sd,)
  xl vcpu-pin Domain-0 all "$others" && xl vcpu-pin Domain-0 "$CPU" "$CPU" \
    && { [ -z "$guest" ] || xl vcpu-pin hvbench all "$others"; } \
    || fail "xl vcpu-pin (dom0 vCPU $CPU on pCPU $CPU, the rest on $others)"
  phase "pinned: dom0 vCPU $CPU on pCPU $CPU alone; $(xl vcpu-list | awk 'NR > 1 {printf "%s%s/%s:%s", s, $1, $3, $7; s = " "}')"
fi

phase "channels one call touches (strace -yy)"
for col in api bare xc xclist; do trace_one "$col" 0; done
[ -n "$guest" ] && { trace_one api "$guest"; trace_one xsread "$guest"; }

phase "timing: ${PIN[*]:-unpinned} getinfo_bench -n $CALLS -r $ROUNDS 0 $guest"
"${PIN[@]}" "$BENCH" -n "$CALLS" -r "$ROUNDS" 0 $guest | tee "$OUT/bench.txt"
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || fail "getinfo_bench exit $rc"

# the guest's maxMem is xl's static-max from xenstore, not max_pages
if [ -n "$guest" ]; then
  smax=$(xenstore-read "/local/domain/$guest/memory/static-max")
  got=$(awk -v d="$guest" '$1 == "domain" {cur = $2} cur == d && $1 == "api:" {
          for (i = 1; i <= NF; i++) if ($i == "maxMem") print $(i + 1)}' "$OUT/bench.txt")
  [ -n "$got" ] && [ "$got" = "$smax" ] \
    && echo "PASS  guest maxMem $got KiB = xenstore memory/static-max" \
    || fail "guest maxMem '$got' vs xenstore memory/static-max '$smax'"
  xl destroy hvbench > /dev/null 2>&1 || fail "xl destroy hvbench"
fi
echo "$fails failure(s)"
exit $((fails ? 1 : 0))
