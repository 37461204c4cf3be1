#!/usr/bin/env bash
# tests/realxen/driver_suite.sh: the Xen driver (xvirsh -c xen:///) against
# real guests on the real Xen 4.17, run inside dom0 by tests/realxen/run.sh.
# Every figure xvirsh prints is compared with what xl, xenstore-ls/-read and
# (for the hypervisor's own max_pages) hvprobe say in the same run; a
# mismatch is a FAIL line showing both values.  The whole set runs twice:
# once with the xenstored socket, once with the socket hidden in a private
# mount namespace, so that the driver's xenstore channel is /dev/xen/xenbus
# (a third, negative run hides xenbus too and must lose the guest names,
# which proves the second run really used xenbus).  Then the config-file
# channel: an xl config in /etc/xen is a shut-off domain whose dumpxml
# matches the file; define/undefine write and remove /etc/xen/NAME.
#
#   driver_suite.sh OUT     (OUT holds bin/xvirsh, src/libxenvirt.so.0, hvprobe)
# Exit status: the number of failed checks (at most 100).
set -u
OUT=$1
XVIRSH=$OUT/bin/xvirsh
HV=$OUT/hvprobe
W=$OUT/drv
mkdir -p "$W"
fails=0
MODE=socket

pass() { echo "PASS  [$MODE] $*"; }
fail() { echo "FAIL  [$MODE] $*"; fails=$((fails + 1)); }
note() { echo "      $*"; }
phase() { echo "----  [${SECONDS}s in dom0] [$MODE] $*"; }
# check LABEL A B: equal non-empty strings pass; the LABEL says "A vs B"
check() {
  if [ -n "$2" ] && [ "$2" = "$3" ]; then pass "$1: $2 (both)"
  else fail "$1: '$2' vs '$3'"; fi
}
# near LABEL A B TOL: numbers within TOL of each other
near() {
  if [ -n "$2" ] && [ -n "$3" ] && awk -v a="$2" -v b="$3" -v t="$4" \
       'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; then
    pass "$1: $2 ~ $3 (tolerance $4)"
  else fail "$1: '$2' vs '$3' (tolerance $4)"; fi
}

# xvirsh on xen:///; in xenbus mode with the xenstored socket directory
# hidden, so that only /dev/xen/xenbus (or nothing) is left
V() {
  case $MODE in
    socket) "$XVIRSH" -c xen:/// "$@" ;;
    xenbus) unshare -m sh -c 'mount -t tmpfs none /run/xenstored && exec "$0" "$@"' \
              "$XVIRSH" -c xen:/// "$@" ;;
    # hypercalls only: /dev/xen keeps privcmd and hypercall, loses xenbus;
    # /proc/xen (xenfs, which has a xenbus file too) is hidden
    none) unshare -m sh -c 'd=$(mktemp -d) && mount -t tmpfs none "$d" &&
            cp -a /dev/xen/privcmd /dev/xen/hypercall "$d"/ && mount --bind "$d" /dev/xen &&
            mount -t tmpfs none /proc/xen && mount -t tmpfs none /run/xenstored &&
            exec "$0" "$@"' "$XVIRSH" -c xen:/// "$@" ;;
  esac
}
# the value of "Key:" in xvirsh's dominfo/nodeinfo output in file $1
field() { awk -F': *' -v k="$2" '$1 == k {print $2; exit}' "$1"; }
# xl list -v row of a domain without its name: 1 ID, 2 Mem, 3 VCPUs,
# 4 State, 5 Time, 6 UUID
xlrow() { xl list -v "$1" 2> /dev/null | awk 'NR == 2 {print $2, $3, $4, $5, $6, $7}'; }
xlcol() { xlrow "$1" | awk -v c="$2" '{print $c}'; }
xsr() { xenstore-read "$1" 2> /dev/null; }
# hypervisor max_pages of domid $1 (KiB), from hvprobe (our hypercall lib)
hvmax() { "$HV" dominfo "$1" 2> /dev/null | awk 'NR == 2 {print $2 * 4}'; }

wait_banner() { # NAME SECONDS
  local i=0
  while [ "$i" -lt "$2" ]; do
    grep -q 'xenhost-guest: up' "/var/log/xen/console/guest-$1.log" 2> /dev/null && return 0
    sleep 1; i=$((i + 1))
  done
  return 1
}
wait_gone() { # NAME SECONDS
  local i=0
  while [ "$i" -lt "$2" ]; do
    xl domid "$1" > /dev/null 2>&1 || return 0
    sleep 1; i=$((i + 1))
  done
  return 1
}

# ---------------------------------------------------------------- host
host_checks() {
  phase "nodeinfo, capabilities"
  V nodeinfo > "$W/nodeinfo-$MODE.txt" 2>&1 || fail "nodeinfo: $(cat "$W/nodeinfo-$MODE.txt")"
  xl info > "$W/xl-info.txt"
  xi() { awk -F': *' -v k="$1" '$1 ~ "^"k" *$" {print $2}' "$W/xl-info.txt"; }
  check "nodeinfo CPU(s) vs xl info nr_cpus" "$(field "$W/nodeinfo-$MODE.txt" 'CPU(s)')" "$(xi nr_cpus)"
  check "nodeinfo cores per socket vs xl info" "$(field "$W/nodeinfo-$MODE.txt" 'Core(s) per socket')" \
    "$(xi cores_per_socket)"
  check "nodeinfo threads per core vs xl info" "$(field "$W/nodeinfo-$MODE.txt" 'Thread(s) per core')" \
    "$(xi threads_per_core)"
  check "nodeinfo NUMA cells vs xl info nr_nodes" "$(field "$W/nodeinfo-$MODE.txt" 'NUMA cell(s)')" \
    "$(xi nr_nodes)"
  check "nodeinfo MHz vs xl info cpu_mhz" "$(field "$W/nodeinfo-$MODE.txt" 'CPU frequency' | awk '{print $1}')" \
    "$(xi cpu_mhz | cut -d. -f1)"
  # xl prints total_memory in MiB (pages / 256)
  check "nodeinfo memory (MiB) vs xl info total_memory" \
    "$(field "$W/nodeinfo-$MODE.txt" 'Memory size' | awk '{print int($1 / 1024)}')" "$(xi total_memory)"

  V capabilities > "$W/caps-$MODE.xml" 2>&1 || fail "capabilities: $(head -3 "$W/caps-$MODE.xml")"
  python3 - "$W/caps-$MODE.xml" "$(xi xen_caps)" "$(xi nr_cpus)" > "$W/caps-cmp.txt" <<'PY'
import sys, xml.etree.ElementTree as ET
caps, xen_caps, ncpus = ET.parse(sys.argv[1]).getroot(), sys.argv[2].split(), int(sys.argv[3])
ours = sorted((g.findtext('os_type'), g.find('arch').get('name')) for g in caps.findall('guest'))
want = sorted(('hvm' if w.startswith('hvm-') else 'xen',
               'x86_64' if w.endswith('x86_64') else 'i686') for w in xen_caps)
print('guests', ours == want, ours, want)
cpus = caps.findall('host/topology/cells/cell/cpus/cpu')
print('cpus', len(cpus) == ncpus, len(cpus), ncpus)
PY
  while read -r what ok a b; do
    [ "$ok" = True ] && pass "capabilities $what: $a = xl info ($b)" \
      || fail "capabilities $what: ours $a vs xl info $b"
  done < "$W/caps-cmp.txt"
}

# ---------------------------------------------------------------- guests
make_guest() { # NAME TYPE
  # HVM: QEMU's direct kernel boot needs the bzImage; maxmem = memory
  # (maxmem > memory would make it a populate-on-demand guest)
  if [ "$2" = hvm ]; then
    cat > "/root/$1.cfg" <<CFG
name = "$1"
type = "hvm"
kernel = "$XENHOST_GUEST_BZIMAGE"
ramdisk = "$XENHOST_GUEST_INITRD"
extra = "console=hvc0"
vga = "none"
nographic = 1
memory = 128
maxmem = 128
vcpus = 2
CFG
  else
    # PV and PVH guests get a disk (a loop-backed image, backendtype=phy)
    # and a NIC on xenbr0, so that dumpxml's devices have a peer to match
    dd if=/dev/zero of="/root/$1.img" bs=1M count=4 2> /dev/null
    cat > "/root/$1.cfg" <<CFG
name = "$1"
type = "$2"
kernel = "$XENHOST_GUEST_KERNEL"
ramdisk = "$XENHOST_GUEST_INITRD"
extra = "console=hvc0"
memory = 128
maxmem = 160
vcpus = 2
disk = [ 'format=raw,vdev=xvda,backendtype=phy,target=/root/$1.img' ]
vif = [ 'bridge=xenbr0' ]
CFG
  fi
  rm -f "/var/log/xen/console/guest-$1.log"
  if xl create "/root/$1.cfg" > "$W/create-$1.txt" 2>&1; then
    pass "xl create $1 ($2, $(awk -F' = ' '$1 == "memory" || $1 == "maxmem" {printf "%s%s", s, $2; s = "/"}' "/root/$1.cfg") MiB, 2 vCPUs)"
  else
    fail "xl create $1: $(tail -3 "$W/create-$1.txt" | tr '\n' '|')"; return 1
  fi
}

# dominfo of NAME against xl list -v taken before and after it, xenstore
# and the hypervisor; leaves our cpu time in $cpu
cpu=
dominfo_vs_xl() { # NAME LABEL
  local n=$1 l=$2 before after id smax
  before=$(xlrow "$n")
  V dominfo "$n" > "$W/dominfo.txt" 2>&1 || { fail "$l dominfo $n: $(cat "$W/dominfo.txt")"; return; }
  id=${before%% *}
  smax=$(xsr "/local/domain/$id/memory/static-max")
  after=$(xlrow "$n")
  # a guest that triple-faults while booting under QEMU is restarted by xl
  # under a new domid (see below); a snapshot that straddles that restart
  # compares two different domains, so it is noted and not judged
  if [ "${after%% *}" != "$id" ]; then
    note "$l dominfo $n: restarted during the check (domid $id -> ${after%% *}), snapshot not compared"
    cpu=
    return
  fi
  check "$l dominfo $n Id vs xl" "$(field "$W/dominfo.txt" Id)" "$id"
  check "$l dominfo $n Name" "$(field "$W/dominfo.txt" Name)" "$n"
  check "$l dominfo $n UUID vs xl list -v" "$(field "$W/dominfo.txt" UUID)" "$(echo "$before" | awk '{print $6}')"
  check "$l dominfo $n CPU(s) vs xl VCPUs" "$(field "$W/dominfo.txt" 'CPU(s)')" "$(echo "$before" | awk '{print $3}')"
  check "$l dominfo $n Max memory vs xenstore memory/static-max" \
    "$(field "$W/dominfo.txt" 'Max memory' | awk '{print $1}')" "$smax"
  # xl's Mem is tot_pages in MiB, rounded down; the balloon may move
  # between the calls: 1 MiB slack
  near "$l dominfo $n Used memory (MiB) vs xl Mem" \
    "$(field "$W/dominfo.txt" 'Used memory' | awk '{print int($1 / 1024)}')" "$(echo "$before" | awk '{print $2}')" 1
  cpu=$(field "$W/dominfo.txt" 'CPU time' | tr -d s)
  local tb ta
  tb=$(echo "$before" | awk '{print $5}'); ta=$(echo "$after" | awk '{print $5}')
  if [ -n "$cpu" ] && awk -v c="$cpu" -v b="$tb" -v a="$ta" 'BEGIN { exit !(c + 0.1 >= b && c <= a + 0.1) }'; then
    pass "$l dominfo $n CPU time ${cpu}s within xl's [$tb, $ta]"
  else fail "$l dominfo $n CPU time '$cpu' not within xl's [$tb, $ta]"; fi
  # state: xl's flags r/b/p/s/c/d; ours running/idle/no state/paused/...
  local xs st
  xs=$(echo "$before" | awk '{print $4}'); st=$(field "$W/dominfo.txt" State)
  case $xs in
    ??p*) check "$l dominfo $n State vs xl $xs" "$st" paused ;;
    r*|?b*|------)
      case $st in running|idle|"no state") pass "$l dominfo $n State '$st' vs xl $xs" ;;
                  *) fail "$l dominfo $n State: ours '$st' vs xl '$xs'" ;; esac ;;
    *) fail "$l dominfo $n: unexpected xl state '$xs' (ours '$st')" ;;
  esac
}

# vcpuinfo with the guest paused (xl pause: nothing moves) vs xl vcpu-list
vcpus_vs_xl() { # NAME
  local n=$1
  xl pause "$n"
  check "domstate $n after xl pause" "$(V domstate "$n" | head -1)" paused
  V vcpuinfo "$n" > "$W/vcpuinfo.txt" 2>&1 || fail "vcpuinfo $n: $(cat "$W/vcpuinfo.txt")"
  xl vcpu-list "$n" > "$W/xl-vcpu.txt"
  xl unpause "$n"
  awk -v mode="$MODE" -v n="$n" '
    FILENAME ~ /xl-vcpu/ { if (FNR > 1) { xc[$3] = $4; xt[$3] = $6; xa[$3] = $7; xn++ } next }
    /^VCPU:/ { v = $2; m++ } /^CPU:/ { c[v] = $2 } /^CPU time:/ { t[v] = $3 + 0 }
    /^CPU Affinity:/ { a[v] = $3 }
    END {
      bad = 0
      for (v in c) {
        # affinity yy.. -> "all" when every cpu is set, else the cpu list
        s = a[v]; all = s !~ /-/; list = ""
        for (i = 1; i <= length(s); i++) if (substr(s, i, 1) == "y") list = list (list == "" ? "" : ",") (i - 1)
        aff = all ? "all" : list
        ok = (v in xc) && c[v] == xc[v] && t[v] + 0.1 >= xt[v] && t[v] <= xt[v] + 0.1 && aff == xa[v]
        printf "%s  [%s] vcpuinfo %s vcpu %s: cpu %s/%s time %s/%s affinity %s/%s (ours/xl)\n",
               ok ? "PASS" : "FAIL", mode, n, v, c[v], xc[v], t[v], xt[v], aff, xa[v]
        bad += !ok
      }
      if (m != xn || xn == 0) { printf "FAIL  [%s] vcpuinfo %s: %d vcpus, xl vcpu-list %d\n", mode, n, m, xn; bad++ }
      else printf "PASS  [%s] vcpuinfo %s: %d vcpus, as xl vcpu-list\n", mode, n, m
      exit bad
    }' "$W/xl-vcpu.txt" "$W/vcpuinfo.txt"
  fails=$((fails + $?))

  # pin ours, read with xl; pin with xl, read ours
  V vcpupin "$n" 0 1 > "$W/pin.txt" 2>&1 || fail "vcpupin $n 0 1: $(cat "$W/pin.txt")"
  check "vcpupin $n 0 1: xl vcpu-list hard affinity of vcpu 0" \
    "$(xl vcpu-list "$n" | awk '$3 == 0 {print $7}')" 1
  xl vcpu-pin "$n" 1 0
  V vcpupin "$n" > "$W/pin.txt" 2>&1
  check "xl vcpu-pin $n 1 0: our vcpupin listing" \
    "$(awk '$1 ~ /^[0-9]+$/ {printf "%s:%s ", $1, $2}' "$W/pin.txt")" "0:1 1:0 "
  V vcpupin "$n" 1 0-1 > /dev/null 2>&1
  check "vcpupin $n 1 0-1: xl vcpu-list says all" "$(xl vcpu-list "$n" | awk '$3 == 1 {print $7}')" all
}

ids_vs_xl() { # NAME
  local n=$1 id uuid
  id=$(xl domid "$n"); uuid=$(xlcol "$n" 6)
  check "domid $n vs xl domid" "$(V domid "$n" | head -1)" "$id"
  check "domname $id vs xl domname" "$(V domname "$id" | head -1)" "$(xl domname "$id")"
  check "domuuid $n vs xl list -v" "$(V domuuid "$n" | head -1)" "$uuid"
  check "domuuid of the id $id" "$(V domuuid "$id" | head -1)" "$uuid"
  check "domname of the uuid" "$(V domname "$uuid" | head -1)" "$n"
}

list_vs_xl() {
  V list --all > "$W/list.txt" 2>&1 || fail "list --all: $(cat "$W/list.txt")"
  xl list > "$W/xl-list.txt"
  awk -v mode="$MODE" '
    FILENAME ~ /xl-list/ { if (FNR > 1) { xid[$2] = $1 } next }
    $1 ~ /^[0-9]+$/ { oid[$1] = $2; ost[$1] = $3 }
    $1 == "-" { off[$2] = $3 " " $4 }
    END {
      bad = 0
      for (i in xid) {
        ok = (i in oid) && oid[i] == xid[i]
        printf "%s  [%s] list --all: id %s name %s/%s (ours/xl)\n", ok ? "PASS" : "FAIL", mode, i, oid[i], xid[i]
        bad += !ok
      }
      for (i in oid) if (!(i in xid)) { printf "FAIL  [%s] list --all: id %s (%s) not in xl list\n", mode, i, oid[i]; bad++ }
      exit bad
    }' "$W/xl-list.txt" "$W/list.txt"
  fails=$((fails + $?))
}

# xl rename behind our back: xvirsh finds the domain under its new name
# and no longer under the old one; then the name is given back
rename_vs_xl() { # NAME
  local n=$1 id new="$1-renamed"
  id=$(xl domid "$n")
  if ! xl rename "$n" "$new" 2> "$W/rename.err"; then
    fail "xl rename $n $new: $(cat "$W/rename.err")"; return
  fi
  check "after xl rename $n $new: xvirsh domname $id vs xl domname" \
    "$(V domname "$id" 2>&1)" "$(xl domname "$id")"
  check "after xl rename $n $new: xvirsh domid $new vs xl domid" "$(V domid "$new" 2>&1)" "$id"
  if V domid "$n" > "$W/rename.old" 2>&1; then
    fail "after xl rename $n $new: xvirsh still finds $n: $(tr '\n' ' ' < "$W/rename.old")"
  else
    pass "after xl rename $n $new: xvirsh no longer finds $n"
  fi
  xl rename "$new" "$n" || fail "xl rename $new $n (back)"
}

dumpxml_vs_xl() { # NAME
  local n=$1 id
  id=$(xl domid "$n")
  V dumpxml "$n" > "$W/dump.xml" 2>&1 || { fail "dumpxml $n: $(head -3 "$W/dump.xml")"; return; }
  python3 - "$W/dump.xml" > "$W/dump.txt" <<'PY'
import sys, xml.etree.ElementTree as ET
d = ET.parse(sys.argv[1]).getroot()
print(d.get('id'), d.findtext('name'), d.findtext('uuid'), d.findtext('memory'),
      d.findtext('currentMemory'), d.findtext('vcpu'), d.findtext('os/type'))
PY
  read -r did dname duuid dmem dcur dvcpu dos < "$W/dump.txt"
  check "dumpxml $n id" "$did" "$id"
  check "dumpxml $n name" "$dname" "$n"
  check "dumpxml $n uuid vs xl list -v" "$duuid" "$(xlcol "$n" 6)"
  check "dumpxml $n memory vs xenstore static-max" "$dmem" "$(xsr "/local/domain/$id/memory/static-max")"
  near "dumpxml $n currentMemory (MiB) vs xl Mem" "$((dcur / 1024))" "$(xlcol "$n" 2)" 1
  check "dumpxml $n vcpu vs xl VCPUs" "$dvcpu" "$(xlcol "$n" 3)"
  local xt; xt=$(xsr "/libxl/$id/type")
  case $xt in pv) xt=linux ;; pvh) xt=xenpvh ;; esac
  check "dumpxml $n os type vs libxl's type ($(xsr "/libxl/$id/type"))" "$dos" "$xt"
  check "dominfo $n OS Type" "$(V dominfo "$n" | awk -F': *' '$1 == "OS Type" {print $2}')" "$xt"
  # the configuration: kernel, initrd, cmdline, disks and NICs against
  # `xl list -l` (libxl's record) and the dom0 backends in xenstore
  xl list -l "$n" > "$W/xl-l.json" 2> "$W/xl-l.err" || { fail "xl list -l $n: $(cat "$W/xl-l.err")"; return; }
  xenstore-ls -f "/local/domain/0/backend" > "$W/xs-be.txt" 2> /dev/null
  python3 - "$W/dump.xml" "$W/xl-l.json" "$W/xs-be.txt" "$id" > "$W/cfg-cmp.txt" <<'PY'
import json, re, sys, xml.etree.ElementTree as ET
d = ET.parse(sys.argv[1]).getroot()
c = json.load(open(sys.argv[2]))[0]['config']
dom = sys.argv[4]
be = {}
for line in open(sys.argv[3]):
    m = re.match(r'/local/domain/0/backend/(vbd|vif)/(\d+)/(\d+)/([^ ]+) = "(.*)"$', line.rstrip('\n'))
    if m and m.group(2) == dom:
        be.setdefault((m.group(1), m.group(3)), {})[m.group(4)] = m.group(5)
def out(label, ours, theirs):
    print('%s\t%s\t%s' % (label, ours, theirs))
b = c['b_info']
# libxl leaves out an action equal to its default, destroy
for key in ('on_poweroff', 'on_reboot', 'on_crash'):
    out('%s vs xl list -l %s' % (key, key), d.findtext(key) or '-', c.get(key, 'destroy'))
for tag, key in (('kernel', 'kernel'), ('initrd', 'ramdisk'), ('cmdline', 'cmdline')):
    out('os/%s vs xl list -l b_info.%s' % (tag, key), d.findtext('os/' + tag) or '-', b.get(key) or '-')
disks = sorted((x.find('target').get('dev'), (x.find('source').get('file') or x.find('source').get('dev'))
                if x.find('source') is not None else '-') for x in d.findall('devices/disk'))
out('disks (target source) vs xl list -l disks (vdev pdev_path)', disks,
    sorted((x['vdev'], x.get('pdev_path', '-')) for x in c.get('disks', [])))
out('disks (target source) vs xenstore backend/vbd (dev params)', disks,
    sorted((v.get('dev'), v.get('params') or '-') for k, v in be.items() if k[0] == 'vbd'))
nics = sorted((x.find('mac').get('address'), x.find('source').get('bridge') if x.find('source') is not None else '-')
              for x in d.findall('devices/interface'))
out('interfaces (mac bridge) vs xl list -l nics (mac bridge)', nics,
    sorted((x.get('mac'), x.get('bridge', '-')) for x in c.get('nics', [])))
out('interfaces (mac bridge) vs xenstore backend/vif (mac bridge)', nics,
    sorted((v.get('mac'), v.get('bridge', '-')) for k, v in be.items() if k[0] == 'vif'))
PY
  while IFS=$'\t' read -r label ours theirs; do
    check "dumpxml $n $label" "$ours" "$theirs"
  done < "$W/cfg-cmp.txt"
  [ -s "$W/cfg-cmp.txt" ] || fail "dumpxml $n: no configuration comparison (python failed?)"
}

memory_vs_xl() { # NAME
  local n=$1 id i hm
  id=$(xl domid "$n")
  V setmem "$n" 100000 > "$W/mem.txt" 2>&1 || fail "setmem $n 100000: $(cat "$W/mem.txt")"
  check "setmem $n 100000: xenstore memory/target vs asked" "$(xsr "/local/domain/$id/memory/target")" 100000
  # the guest's balloon driver follows; wait until xl sees it (<= 100 MiB)
  i=0
  while [ "$i" -lt 20 ] && [ "$(xlcol "$n" 2)" -gt 100 ]; do sleep 1; i=$((i + 1)); done
  V dominfo "$n" > "$W/dominfo.txt" 2>&1
  near "setmem $n 100000: dominfo Used memory (MiB) vs xl Mem after ballooning (${i}s)" \
    "$(field "$W/dominfo.txt" 'Used memory' | awk '{print int($1 / 1024)}')" "$(xlcol "$n" 2)" 1
  [ "$(xlcol "$n" 2)" -le 100 ] && pass "setmem $n 100000: the guest ballooned to $(xlcol "$n" 2) MiB" \
    || fail "setmem $n 100000: xl still says $(xlcol "$n" 2) MiB after ${i}s"
  # back up past the creation-time hypervisor limit (xl keeps max_pages at
  # target + 1 MiB: 132096 KiB here), below static-max 163840
  V setmem "$n" 150000 > "$W/mem.txt" 2>&1 || fail "setmem $n 150000: $(cat "$W/mem.txt")"
  check "setmem $n 150000: xenstore memory/target vs asked" "$(xsr "/local/domain/$id/memory/target")" 150000
  i=0
  while [ "$i" -lt 20 ] && [ "$(xlcol "$n" 2)" -lt 145 ]; do sleep 1; i=$((i + 1)); done
  [ "$(xlcol "$n" 2)" -ge 145 ] && pass "setmem $n 150000: the guest grew to $(xlcol "$n" 2) MiB (${i}s)" \
    || fail "setmem $n 150000: xl says $(xlcol "$n" 2) MiB after ${i}s (hypervisor max $(hvmax "$id") KiB)"

  V setmaxmem "$n" 200000 > "$W/mem.txt" 2>&1 || fail "setmaxmem $n 200000: $(cat "$W/mem.txt")"
  check "setmaxmem $n 200000: xenstore memory/static-max vs asked" "$(xsr "/local/domain/$id/memory/static-max")" 200000
  hm=$(hvmax "$id")
  [ -n "$hm" ] && [ "$hm" -ge 200000 ] && pass "setmaxmem $n 200000: hypervisor max_pages*4 = $hm KiB >= 200000" \
    || fail "setmaxmem $n 200000: hypervisor max_pages*4 '$hm' KiB < 200000"
  V dominfo "$n" > "$W/dominfo.txt" 2>&1
  check "setmaxmem $n: dominfo Max memory vs asked" "$(field "$W/dominfo.txt" 'Max memory' | awk '{print $1}')" 200000
  V setmem "$n" 300000 > "$W/mem.txt" 2>&1 && fail "setmem $n 300000 above max 200000 succeeded" \
    || pass "setmem above the maximum refused: $(head -1 "$W/mem.txt")"
}

suspend_vs_xl() { # NAME
  local n=$1
  V suspend "$n" > "$W/s.txt" 2>&1 || fail "suspend $n: $(cat "$W/s.txt")"
  check "suspend $n: xl list state has p" "$(xlcol "$n" 4 | cut -c3)" p
  check "suspend $n: domstate" "$(V domstate "$n" | head -1)" paused
  V resume "$n" > "$W/s.txt" 2>&1 || fail "resume $n: $(cat "$W/s.txt")"
  check "resume $n: xl list state has no p" "$(xlcol "$n" 4 | cut -c3)" -
  local st; st=$(V domstate "$n" | head -1)
  case $st in running|idle|"no state") pass "resume $n: domstate '$st'" ;;
              *) fail "resume $n: domstate '$st'" ;; esac
}

guest_suite() { # NAME TYPE
  local n=$1 t=$2 cpu0 id
  phase "$t guest $n"
  make_guest "$n" "$t" || return
  id=$(xl domid "$n")
  dominfo_vs_xl "$n" "fresh"; cpu0=$cpu
  local boot=60; [ "$t" = hvm ] && boot=180
  wait_banner "$n" $boot && pass "$n booted" || fail "$n: no boot banner in $boot s"
  # under QEMU's emulated SVM a booting PVH/HVM kernel now and then
  # triple-faults, which Xen turns into a reboot: xl restarts it under a
  # new domid (seen at ~11 s of guest boot, never after the banner)
  if [ "$(xl domid "$n" 2> /dev/null)" != "$id" ]; then
    note "$n rebooted during boot (domid $id -> $(xl domid "$n" 2> /dev/null)); xl says: $(grep -h 'reason code' "/var/log/xen/xl-$n.log" | tr '\n' ' ')"
    id=$(xl domid "$n"); cpu0=
  fi
  check "xenstore name of $id (what xvirsh shows)" "$(xsr "/local/domain/$id/name")" "$n"
  ids_vs_xl "$n"
  list_vs_xl
  dominfo_vs_xl "$n" "booted"
  vcpus_vs_xl "$n"
  suspend_vs_xl "$n"
  if [ -z "$cpu0" ]; then # compare across the work above instead
    cpu0=$cpu; dominfo_vs_xl "$n" "later"
  fi
  awk -v a="$cpu0" -v b="$cpu" 'BEGIN { exit !(b > a) }' \
    && pass "$n cpu time grew: ${cpu0}s -> ${cpu}s" || fail "$n cpu time did not grow: ${cpu0}s -> ${cpu}s"
  if [ "$t" != hvm ]; then
    memory_vs_xl "$n"
    dominfo_vs_xl "$n" "after setmem"
  fi
  dumpxml_vs_xl "$n"
  rename_vs_xl "$n"
}

# xenstore paths that still name domain ID (a path component) or UUID,
# with the id and uuid replaced by ID and UUID
litter() { # ID UUID
  xenstore-ls -f / 2> /dev/null | sed 's/ = .*//' |
    awk -v id="$1" -v u="$2" '{ n = split($0, c, "/"); hit = 0
      for (i = 2; i <= n; i++) { if (c[i] == id && i > 2) { c[i] = "ID"; hit = 1 } if (c[i] == u) { c[i] = "UUID"; hit = 1 } }
      if (!hit) next; out = ""; for (i = 2; i <= n; i++) out = out "/" c[i]; print out }' |
    grep -v '^/local/domain/0/\(domid\|memory\|name\|control\)' | sort
}

lifecycle_end() { # SHUTDOWN-NAME DESTROY-NAME [TYPE of DESTROY-NAME]
  local s=$1 d=$2 id rtype=${3:-pvh}
  phase "shutdown $s, destroy $d"
  if xl domid "$s" > /dev/null 2>&1; then
    V shutdown "$s" > "$W/sd.txt" 2>&1 || fail "shutdown $s: $(cat "$W/sd.txt")"
    wait_gone "$s" 30 && pass "shutdown $s: the guest went down and xl no longer lists it" \
      || fail "shutdown $s: still in xl list after 30 s: $(xlrow "$s")"
    V domstate "$s" > "$W/sd.txt" 2>&1 && fail "domstate $s after shutdown: $(cat "$W/sd.txt")" \
      || pass "domstate $s after shutdown: $(head -1 "$W/sd.txt")"
  fi
  if xl domid "$d" > /dev/null 2>&1; then
    local uuid dmpid
    id=$(xl domid "$d"); uuid=$(xlcol "$d" 6)
    dmpid=$(xsr "/local/domain/$id/image/device-model-pid")
    V destroy "$d" > "$W/sd.txt" 2>&1 || fail "destroy $d: $(cat "$W/sd.txt")"
    wait_gone "$d" 10 && pass "destroy $d: xl no longer lists it" || fail "destroy $d: xl still lists $(xlrow "$d")"
    xenstore-exists "/local/domain/$id" 2> /dev/null && fail "destroy $d: /local/domain/$id still in xenstore" \
      || pass "destroy $d: /local/domain/$id gone from xenstore"
    # libxl's configuration file goes with the domain, as xl destroy removes it
    ls /var/lib/xen/userdata-d."$id"."$uuid".* > /dev/null 2>&1 \
      && fail "destroy $d: libxl's files remain: $(ls /var/lib/xen/userdata-d."$id"."$uuid".* | tr '\n' ' ')" \
      || pass "destroy $d: no /var/lib/xen/userdata-d.$id.$uuid.* left"
    # nothing else of it may stay in xenstore either; xl destroy of an
    # identical guest is the reference
    litter "$id" "$uuid" > "$W/litter-ours.txt"
    if [ -n "$dmpid" ]; then
      sleep 1
      [ -d "/proc/$dmpid" ] && fail "destroy $d: its device model (pid $dmpid) still runs: $(tr '\0' ' ' < "/proc/$dmpid/cmdline" | cut -c1-100)" \
        || pass "destroy $d: its device model (pid $dmpid) is gone"
    fi
    make_guest "rxref-$MODE" "$rtype" > /dev/null && {
      local rid ruuid; rid=$(xl domid "rxref-$MODE"); ruuid=$(xlcol "rxref-$MODE" 6)
      xl destroy "rxref-$MODE"; litter "$rid" "$ruuid" > "$W/litter-xl.txt"
      check "destroy $d: xenstore paths left that name its domid or UUID vs after xl destroy" \
        "$(tr '\n' ' ' < "$W/litter-ours.txt")none" "$(tr '\n' ' ' < "$W/litter-xl.txt")none"; }
  fi
  list_vs_xl
}

# ---------------------------------------------------------------- /etc/xen
inactive_suite() {
  phase "inactive domains in /etc/xen"
  local uuid=5e1f0a55-7a3c-4d2b-9e61-0c0ffee0c0de
  cat > /etc/xen/rxoff.cfg <<CFG
name = "rxoff"
uuid = "$uuid"
type = "pvh"
kernel = "$XENHOST_GUEST_KERNEL"
ramdisk = "$XENHOST_GUEST_INITRD"
extra = "console=hvc0"
memory = 96
maxmem = 112
vcpus = 3
CFG
  V list --all > "$W/list.txt" 2>&1
  check "list --all: rxoff from /etc/xen/rxoff.cfg" "$(awk '$2 == "rxoff" {print $1, $3, $4}' "$W/list.txt")" "- shut off"
  check "domstate rxoff" "$(V domstate rxoff | head -1)" "shut off"
  V dumpxml rxoff > "$W/off.xml" 2>&1 || fail "dumpxml rxoff: $(head -3 "$W/off.xml")"
  python3 - "$W/off.xml" > "$W/off.txt" <<'PY'
import sys, xml.etree.ElementTree as ET
d = ET.parse(sys.argv[1]).getroot()
print(d.get('id', '-'), d.findtext('name'), d.findtext('uuid'), d.findtext('memory'),
      d.findtext('currentMemory'), d.findtext('vcpu'), d.findtext('os/type'),
      d.findtext('os/kernel'), d.findtext('os/initrd'), d.findtext('os/cmdline'))
PY
  check "dumpxml rxoff vs the file (id name uuid maxmem mem vcpus type kernel initrd cmdline)" \
    "$(cat "$W/off.txt")" \
    "- rxoff $uuid $((112 * 1024)) $((96 * 1024)) 3 xenpvh $XENHOST_GUEST_KERNEL $XENHOST_GUEST_INITRD console=hvc0"
  # what xl itself makes of the same file
  xl create -n /etc/xen/rxoff.cfg > "$W/xl-n.json" 2> /dev/null
  python3 - "$W/xl-n.json" > "$W/xl-n.txt" <<'PY'
import sys, json
c = json.load(open(sys.argv[1]))
print(c['c_info']['name'], c['c_info']['uuid'], c['b_info']['max_memkb'], c['b_info']['target_memkb'],
      c['b_info']['max_vcpus'])
PY
  check "dumpxml rxoff vs xl create -n (name uuid max_memkb target_memkb max_vcpus)" \
    "$(awk '{print $2, $3, $4, $5, $6}' "$W/off.txt")" "$(cat "$W/xl-n.txt")"
  check "dominfo rxoff Max memory" "$(V dominfo rxoff | awk -F': *' '$1 == "Max memory" {print $2}')" "114688 KiB"

  # define writes /etc/xen/rxdef; xl accepts it; undefine removes it
  cat > "$W/rxdef.xml" <<XML
<domain type='xen'>
  <name>rxdef</name>
  <uuid>0dd0c0de-1111-4222-8333-944455556666</uuid>
  <memory unit='KiB'>131072</memory>
  <currentMemory unit='KiB'>65536</currentMemory>
  <vcpu>2</vcpu>
  <os>
    <type arch='x86_64'>linux</type>
    <kernel>$XENHOST_GUEST_KERNEL</kernel>
    <initrd>$XENHOST_GUEST_INITRD</initrd>
    <cmdline>console=hvc0</cmdline>
  </os>
</domain>
XML
  rm -f /etc/xen/rxdef
  V define "$W/rxdef.xml" > "$W/def.txt" 2>&1 || fail "define rxdef: $(cat "$W/def.txt")"
  [ -f /etc/xen/rxdef ] && pass "define rxdef wrote /etc/xen/rxdef: $(tr '\n' ' ' < /etc/xen/rxdef | cut -c1-160)" \
    || fail "define rxdef: no /etc/xen/rxdef ($(ls /etc/xen | tr '\n' ' '))"
  if xl create -n /etc/xen/rxdef > "$W/xl-n.json" 2> "$W/xl-n.err"; then
    python3 - "$W/xl-n.json" > "$W/xl-n.txt" <<'PY'
import sys, json
c = json.load(open(sys.argv[1]))
print(c['c_info']['name'], c['c_info']['uuid'], c['b_info']['max_memkb'], c['b_info']['target_memkb'],
      c['b_info']['max_vcpus'], c['c_info']['type'])
PY
    check "xl create -n /etc/xen/rxdef (name uuid max_memkb target_memkb max_vcpus type)" \
      "$(cat "$W/xl-n.txt")" "rxdef 0dd0c0de-1111-4222-8333-944455556666 131072 65536 2 pv"
  else
    fail "xl cannot parse the file define wrote: $(tail -2 "$W/xl-n.err" | tr '\n' '|')"
  fi
  check "list --all shows rxdef shut off" "$(V list --all | awk '$2 == "rxdef" {print $1, $3, $4}')" "- shut off"
  V undefine rxdef > "$W/undef.txt" 2>&1 || fail "undefine rxdef: $(cat "$W/undef.txt")"
  [ ! -e /etc/xen/rxdef ] && pass "undefine rxdef removed /etc/xen/rxdef" || fail "undefine rxdef: /etc/xen/rxdef still there"
  check "list --all no longer shows rxdef" "$(V list --all | awk '$2 == "rxdef"' | wc -l)" 0
  rm -f /etc/xen/rxoff.cfg
}

# ---------------------------------------------------------------- run
# guest disks and NICs: the backends, loop devices for phy images and the
# bridge, loaded before any xl create (under TCG a module loaded on demand
# can take longer than libxl's hotplug script timeout)
modprobe -a loop xen-blkback xen-netback bridge 2> /dev/null
losetup -f > /dev/null 2>&1
ip link show xenbr0 > /dev/null 2>&1 || { ip link add xenbr0 type bridge && ip link set xenbr0 up; } \
  || note "cannot create bridge xenbr0: guests with a vif will fail"

# are PV and PVH both possible here? (PVH needs HAP: virt_caps hap)
types="pv"
xl info | grep -q '^virt_caps.*hap' && types="pvh pv"
note "guest types on this host: $types"

for MODE in socket xenbus; do
  host_checks
  for t in $types; do guest_suite "rx$t-$MODE" "$t"; done
  set -- $types
  # shut down one (the PV one when both exist) and destroy the other
  if [ $# -eq 2 ]; then lifecycle_end "rx$2-$MODE" "rx$1-$MODE"; else lifecycle_end "" "rx$1-$MODE"; fi
  inactive_suite
done

# the full suite (REALXEN_FULL=1): an HVM guest with its QEMU device model,
# over the socket; destroyed by us, which must also end the device model
if [ -n "${REALXEN_FULL:-}" ] && xl info | grep -q '^virt_caps.*hvm'; then
  MODE=socket
  guest_suite rxhvm hvm
  lifecycle_end "" rxhvm hvm
fi

# negative control: without xenstored's socket and without /dev/xen, a
# running guest's name is unknown, so the xenbus run above did use xenbus
MODE=none
phase "negative control: no socket, no /dev/xen"
if make_guest rxneg pv > /dev/null; then
  V list > "$W/neg.txt" 2>&1
  if grep -q rxneg "$W/neg.txt"; then fail "without any xenstore channel the name rxneg was still found: $(tr '\n' '|' < "$W/neg.txt")"
  else pass "without any xenstore channel: no guest names ($(tr -s ' \n' ' ' < "$W/neg.txt" | cut -c1-160))"; fi
  xl destroy rxneg
fi

# guest consoles and xl's logs, for the host (a guest that rebooted or
# crashed shows it there)
mkdir -p "$W/xenlogs" && cp -r /var/log/xen/. "$W/xenlogs/" 2> /dev/null
echo "driver suite: $fails check(s) failed; ${SECONDS}s inside dom0"
exit $((fails > 100 ? 100 : fails))
