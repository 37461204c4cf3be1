#!/usr/bin/env bash
# tests/realxen/run.sh: the hypercall channel on the real Xen 4.17
# hypervisor.  On the host it boots Xen with a Debian dom0 under QEMU
# (../shared/realxen/xenhost) and re-runs itself inside dom0, where it uses
# tests/hypervisor/hvprobe (our library, /dev/xen/privcmd) and compares every
# figure with what xl says in the same run: interface versions detected by
# the probe, host CPUs and memory, the domain list (id, memory, vCPUs, state
# flags, cpu time, UUID), and on a PVH guest made with `xl create`: pause,
# unpause, max_mem, vCPU info and pinning, credit2 weight/cap, destroy.
# Then tests/realxen/driver_suite.sh checks the whole driver (xvirsh -c
# xen:///) against real PVH and PV guests, over the xenstored socket and
# over /dev/xen/xenbus, and the /etc/xen config-file channel.
#
#   tests/realxen/run.sh BUILD_DIR        (make check-realxen)
# Environment: XENHOST (path of the xenhost script), REALXEN_OUT (where the
# logs go; default BUILD_DIR/realxen), REALXEN_SUITES (default "hv driver":
# the hypercall probe part, the driver part, or both), REALXEN_FULL=1 (adds
# an HVM guest to the driver part: about a minute more).  Exit status: number of failures
# (0 = all passed; capped at 70), 77 when xenhost is not available, 124/125
# when xenhost timed out or could not boot.
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
  [ -x "$BUILD/tests/hypervisor/hvprobe" ] || { echo "no $BUILD/tests/hypervisor/hvprobe: build first" >&2; exit 1; }
  OUT=${REALXEN_OUT:-$BUILD/realxen}
  rm -rf "$OUT" && mkdir -p "$OUT"
  # a private copy: rebuilding the tree during the run must not change the
  # binary dom0 is using (the root view is a 9p cache of the host)
  cp "$BUILD/tests/hypervisor/hvprobe" "$OUT/hvprobe"
  [ -x "$BUILD/tools/xvirsh" ] || { echo "no $BUILD/tools/xvirsh: build first" >&2; exit 1; }
  # xvirsh finds libxenvirt through its rpath $ORIGIN/../src
  mkdir -p "$OUT/bin" "$OUT/src"
  cp "$BUILD/tools/xvirsh" "$OUT/bin/xvirsh"
  cp -L "$BUILD/src/libxenvirt.so.0" "$OUT/src/libxenvirt.so.0"
  start=$(date +%s.%N)
  "$XENHOST" run --share "$OUT" --timeout 900 --env "REALXEN_SUITES=${REALXEN_SUITES:-hv driver}" \
    --env "REALXEN_FULL=${REALXEN_FULL:-}" -- \
    bash "$SRC/tests/realxen/run.sh" --inside "$BUILD" "$OUT" 2>&1 | tee "$OUT/log.txt"
  rc=${PIPESTATUS[0]}
  end=$(date +%s.%N)
  printf 'realxen: exit %s, wall time %.1f s (boot + suite + power-off)\n' "$rc" \
    "$(echo "$end - $start" | bc)" | tee -a "$OUT/log.txt"
  exit "$rc"
fi

# ---------------------------------------------------------------- in dom0
BUILD=$2
OUT=$3
HV=$OUT/hvprobe
fails=0
pass() { echo "PASS  $*"; }
phase() { echo "----  [${SECONDS}s in dom0] $*"; }
# run CMD..., keeping its output in $OUT/last.txt; has 'awk-cond' succeeds
# only if some line of that output satisfies it (no output is a failure,
# never a pass); last shows the output on one line
run() { "$@" > "$OUT/last.txt" 2>&1; }
has() { awk "$1"' {f = 1} END {exit !f}' "$OUT/last.txt"; }
last() { tr '\n' '|' < "$OUT/last.txt"; }
fail() { echo "FAIL  $*"; fails=$((fails + 1)); }
note() { echo "      $*"; }

case " ${REALXEN_SUITES:-hv driver} " in *" hv "*) ;; *) SKIP_HV=1 ;; esac
if [ -z "${SKIP_HV:-}" ]; then
# 1. detection: the probe must find sysctl 0x15 / domctl 0x15 by itself
phase "probe and physinfo"
if "$HV" info > "$OUT/info.txt" 2> "$OUT/info.err"; then
  note "$(head -1 "$OUT/info.txt")"
  note "$(sed -n 2,3p "$OUT/info.txt")"
  grep -q 'abi 4.17 sysctl 0x15 domctl 0x15' "$OUT/info.txt" \
    && pass "probe detects Xen 4.17: sysctl 0x15, domctl 0x15" \
    || fail "probe detects Xen 4.17: sysctl 0x15, domctl 0x15"
  grep -q 'via privcmd /dev/xen/privcmd' "$OUT/info.txt" \
    && pass "transport is /dev/xen/privcmd" || fail "transport is /dev/xen/privcmd"
else
  fail "hvprobe info: $(cat "$OUT/info.err")"
fi

# 2. physinfo against xl info
xl info > "$OUT/xl-info.txt"
xlval() { awk -F': *' -v k="$1" '$1 ~ "^"k" *$" {print $2}' "$OUT/xl-info.txt"; }
hvval() { sed -n 3p "$OUT/info.txt" | tr ' ' '\n' | awk -v k="$1" 'p {print; exit} $0 == k {p=1}'; }
for pair in nr_cpus:nr_cpus cores_per_socket:cores_per_socket threads_per_core:threads_per_core \
            nr_nodes:nr_nodes total_memory:total_mib; do
  x=$(xlval "${pair%%:*}"); h=$(hvval "${pair##*:}")
  [ -n "$x" ] && [ "$x" = "$h" ] && pass "physinfo ${pair##*:} $h = xl info ${pair%%:*} $x" \
    || fail "physinfo ${pair##*:} '$h' vs xl info ${pair%%:*} '$x'"
done
x=$(xlval xen_caps); h=$(sed -n 's/^capabilities //p' "$OUT/info.txt")
[ -n "$x" ] && [ "$x" = "$h" ] && pass "XENVER_capabilities '$h' = xl info xen_caps" \
  || fail "XENVER_capabilities '$h' vs xl info xen_caps '$x'"
x=$(xlval cpu_mhz); h=$(hvval cpu_khz)
[ -n "$x" ] && [ "$((h / 1000))" = "${x%%.*}" ] && pass "physinfo cpu_khz $h ~ xl cpu_mhz $x" \
  || fail "physinfo cpu_khz '$h' vs xl cpu_mhz '$x'"

# 3. the domain list against `xl list -v`, taken just before ours
compare_list() {
  local label=$1
  # xl before and after ours: every cpu time must fall in between
  xl list -v > "$OUT/xl-list-$label.txt"
  if ! "$HV" list > "$OUT/hv-list-$label.txt" 2> "$OUT/hv-list-$label.err"; then
    fail "$label: hvprobe list: $(cat "$OUT/hv-list-$label.err")"; return
  fi
  xl list -v > "$OUT/xl-list-after-$label.txt"
  grep -q ' in 1 hypercall(s)' "$OUT/hv-list-$label.err" \
    && pass "$label: whole list in one getdomaininfolist hypercall ($(cat "$OUT/hv-list-$label.err"))" \
    || fail "$label: list round trips: $(cat "$OUT/hv-list-$label.err")"
  # xl: Name ID Mem VCPUs State Time(s) UUID Reason-Code Security-Label
  #     (read from the right: names may contain blanks)
  # hv: ID Mem VCPUs State Time(s) UUID Reason
  awk -v label="$label" '
    FNR == 1 && FILENAME ~ /xl-list/ { next }
    FILENAME ~ /xl-list-after/ { xa[$(NF-7)] = $(NF-3); next }
    FILENAME ~ /xl-list/ {
      id = $(NF-7); xm[id] = $(NF-6); xv[id] = $(NF-5); xs[id] = $(NF-4); xt[id] = $(NF-3);
      xu[id] = $(NF-2); seen[id] = 1; next }
    { hm[$1] = $2; hv[$1] = $3; hs[$1] = $4; ht[$1] = $5; hu[$1] = $6; hseen[$1] = 1 }
    END {
      bad = 0
      for (id in seen) {
        if (!(id in hseen)) { printf "FAIL  %s: domain %s listed by xl, not by us\n", label, id; bad++; continue }
        msg = sprintf("domain %s: mem %s/%s vcpus %s/%s state %s/%s time %s in [%s, %s] uuid %s", id,
                      hm[id], xm[id], hv[id], xv[id], hs[id], xs[id], ht[id], xt[id], xa[id], hu[id])
        ok = hm[id] == xm[id] && hv[id] == xv[id] && hu[id] == xu[id]
        # paused/shutdown/crashed/dying must agree; running/blocked may
        # change between the calls
        ok = ok && substr(hs[id], 3) == substr(xs[id], 3)
        # xl prints one decimal: allow its rounding
        ok = ok && ht[id] + 0.05 >= xt[id] && ht[id] <= xa[id] + 0.05
        printf "%s  %s: %s (ours/xl)\n", ok ? "PASS" : "FAIL", label, msg
        if (!ok) bad++
      }
      for (id in hseen) if (!(id in seen)) { printf "FAIL  %s: domain %s listed by us, not by xl\n", label, id; bad++ }
      exit bad
    }' "$OUT/xl-list-$label.txt" "$OUT/xl-list-after-$label.txt" "$OUT/hv-list-$label.txt" > "$OUT/cmp-$label.txt"
  local bad=$?
  cat "$OUT/cmp-$label.txt"
  fails=$((fails + bad))
}
phase "domain list, dom0 only"
compare_list dom0-only

# 4. a real guest
if [ -z "${XENHOST_GUEST_KERNEL:-}" ]; then
  note "SKIP guest checks: XENHOST_GUEST_KERNEL not set"
else
  cat > /root/g1.cfg <<CFG
name = "g1"
type = "pvh"
kernel = "$XENHOST_GUEST_KERNEL"
ramdisk = "$XENHOST_GUEST_INITRD"
extra = "console=hvc0"
memory = 128
maxmem = 160
vcpus = 2
CFG
  phase "xl create g1"
  if xl create /root/g1.cfg > "$OUT/xl-create.txt" 2>&1; then
    pass "xl create g1 (pvh, 128 MiB, 2 vCPUs)"
    id=$(xl domid g1)
    phase "domain list with g1"
    compare_list with-guest
    phase "pause, vCPUs, pinning, unpause, max_mem"

    run "$HV" pause "$id" && run xl list g1 && has 'NR == 2 && $5 ~ /^..p/' \
      && pass "pausedomain: xl list shows g1 paused" || fail "pausedomain: $(last)"
    run "$HV" dominfo "$id" && has 'NR == 1 && $4 ~ /^..p/' \
      && pass "getdomaininfo: paused flag" || fail "getdomaininfo: paused flag: $(last)"
    mkdir -p "$OUT/capture" && "$HV" capture "$OUT/capture" paused \
      && pass "captured raw replies with g1 paused" || fail "capture (paused)"

    # vCPUs while paused (CPUs do not move): ours vs xl vcpu-list
    "$HV" vcpuinfo "$id" > "$OUT/hv-vcpu.txt"; xl vcpu-list g1 > "$OUT/xl-vcpu.txt"
    awk 'FILENAME ~ /xl-vcpu/ { if (FNR > 1) { xc[$3] = $4; xt[$3] = $6; xa[$3] = $7; n++ } next }
         { m++; ok = ($1 in xc) && ($2 == xc[$1] || ($2 == -1 && xc[$1] == "-")) && $4 + 0.05 >= xt[$1] && $4 <= xt[$1] + 0.2 && ($5 == xa[$1] || (xa[$1] == "all" && $5 ~ /^0,1$/))
           printf "%s  vcpu %s: cpu %s/%s time %s/%s affinity %s/%s (ours/xl)\n", ok ? "PASS" : "FAIL", $1, $2, xc[$1], $4, xt[$1], $5, xa[$1]
           if (!ok) bad++ }
         END { if (m != n || n == 0) { printf "FAIL  vcpu count %d/%d\n", m, n; bad++ } exit bad }' \
      "$OUT/xl-vcpu.txt" "$OUT/hv-vcpu.txt"
    fails=$((fails + $?))

    run "$HV" pin "$id" 0 1 && run xl vcpu-list g1 && has '$3 == 0 && $7 == "1"' \
      && pass "setvcpuaffinity: xl vcpu-list shows vCPU 0 pinned to CPU 1" \
      || fail "setvcpuaffinity: $(last)"
    run "$HV" vcpuinfo "$id" && has '$1 == 0 && $5 == "1"' \
      && pass "getvcpuaffinity reads the pin back" || fail "getvcpuaffinity: $(last)"

    run "$HV" unpause "$id" && run xl list g1 && has 'NR == 2 && $5 !~ /^..p/' \
      && pass "unpausedomain: xl list shows g1 not paused" || fail "unpausedomain: $(last)"
    # 4.5+ counts pauses (the 4.17 row says pauseCounted): twice paused
    # needs two unpauses, and unpausing a running domain is EINVAL
    run "$HV" pause "$id" && run "$HV" pause "$id" && run "$HV" unpause "$id" \
      && run xl list g1 && has 'NR == 2 && $5 ~ /^..p/' \
      && run "$HV" unpause "$id" && run xl list g1 && has 'NR == 2 && $5 !~ /^..p/' \
      && pass "pause twice, unpause twice: paused until the second unpause" \
      || fail "counted pause: $(last)"
    ! run "$HV" unpause "$id" && has '/EINVAL/' \
      && pass "unpausing a running domain: $(last)" || fail "unpausing a running domain: $(last)"

    run "$HV" maxmem "$id" 200000 && run "$HV" dominfo "$id" && has 'NR == 2 && $2 == 50000' \
      && pass "max_mem 200000 KiB: max_pages 50000" || fail "max_mem: $(last)"
    xl mem-max g1 180m
    mp=$("$HV" dominfo "$id" | awk 'NR == 2 {print $2}')
    [ -n "$mp" ] && [ "$((mp * 4))" -ge 184320 ] && [ "$((mp * 4))" -le $((184320 + 2048)) ] \
      && pass "xl mem-max 180m seen by getdomaininfo: max_pages $mp ($((mp * 4)) KiB)" \
      || fail "xl mem-max 180m: max_pages '$mp'"

    phase "scheduler, capture, bench, destroy"
    sched=$(xl info | awk -F': *' '$1 ~ /^xen_scheduler/ {print $2}')
    "$HV" credit "$id" > "$OUT/hv-credit.txt" && note "scheduler $sched: $(cat "$OUT/hv-credit.txt")"
    "$HV" credit "$id" 512 50 > /dev/null
    run xl "sched-$sched" -d g1 && has '$1 == "g1" && $3 == 512 && $4 == 50' \
      && pass "scheduler_op putinfo weight 512 cap 50: xl sched-$sched agrees" \
      || fail "scheduler_op: xl says $(last)"
    xl "sched-$sched" -d g1 -w 300 > /dev/null 2>&1
    "$HV" credit "$id" | grep -q 'weight 300 cap 50' \
      && pass "scheduler_op getinfo sees xl's weight 300" || fail "scheduler_op getinfo: $("$HV" credit "$id")"

    mkdir -p "$OUT/capture" && "$HV" capture "$OUT/capture" \
      && pass "captured raw replies in $OUT/capture" || fail "capture"
    for r in 1 2 3; do
      "$HV" bench 500 > "$OUT/bench.txt" && while read -r l; do note "$l"; done < "$OUT/bench.txt"
    done

    "$HV" destroy "$id" && ! xl list g1 > /dev/null 2>&1 \
      && pass "destroydomain: g1 gone from xl list" || fail "destroydomain: $(xl list 2>&1 | tr '\n' '|')"
    "$HV" dominfo "$id" > /dev/null 2> "$OUT/gone.err"
    grep -q "no domain with id $id\|ESRCH" "$OUT/gone.err" \
      && pass "getdomaininfo after destroy: $(cat "$OUT/gone.err")" || fail "getdomaininfo after destroy: $(cat "$OUT/gone.err")"
  else
    fail "xl create g1: $(tail -3 "$OUT/xl-create.txt")"
  fi
fi

# 5. the fallbacks: no /dev/xen at all (a private mount namespace hides
# it) leaves /proc/xen/privcmd and locked anonymous memory
phase "fallback: /proc/xen/privcmd, locked anonymous memory"
if unshare -m sh -c 'mount -t tmpfs none /dev/xen && "$0" info && "$0" list' "$HV" \
     > "$OUT/fallback.txt" 2>&1; then
  grep -q 'via privcmd /proc/xen/privcmd (buffers: locked anonymous memory)' "$OUT/fallback.txt" \
    && pass "fallback transport: $(sed -n 's/.* via //p' "$OUT/fallback.txt")" \
    || fail "fallback transport: $(tr '\n' '|' < "$OUT/fallback.txt")"
  want=$(awk '$1 == 0 {print $1, $2, $3; exit}' "$OUT/hv-list-dom0-only.txt")
  [ -n "$want" ] && grep -q "^$want " "$OUT/fallback.txt" \
    && pass "fallback transport lists dom0: $(grep '^0 ' "$OUT/fallback.txt")" \
    || fail "fallback list: $(tr '\n' '|' < "$OUT/fallback.txt")"
else
  fail "fallback run: $(tr '\n' '|' < "$OUT/fallback.txt")"
fi

# 6. errors as the user meets them
phase "errors"
run "$HV" destroy 4321; has '/Domain not found: .*ESRCH/' \
  && pass "destroying a domain that does not exist: $(last)" || fail "destroy 4321: $(last)"
if command -v setpriv > /dev/null; then
  run setpriv --reuid 65534 --regid 65534 --clear-groups "$HV" info; has '/operation forbidden: .*need root/' \
    && pass "as an unprivileged user: $(last)" || fail "unprivileged: $(last)"
fi

"$HV" pause 0 2> "$OUT/pause0.err"
grep -q 'EINVAL' "$OUT/pause0.err" && pass "pausing dom0 itself: $(cat "$OUT/pause0.err")" \
  || fail "pausing dom0: $(cat "$OUT/pause0.err")"

fi # hv

# 7. the driver through xvirsh (tests/realxen/driver_suite.sh)
case " ${REALXEN_SUITES:-hv driver} " in
  *" driver "*)
    phase "driver suite: xvirsh -c xen:/// against xl, xenstore and the hypervisor"
    bash "$(dirname "$0")/driver_suite.sh" "$OUT"
    fails=$((fails + $?)) ;;
esac

echo "$fails check(s) failed; ${SECONDS}s inside dom0"
# capped below 77 (xenhost absent) and 124/125 (xenhost's own failures)
exit $((fails > 70 ? 70 : fails))
