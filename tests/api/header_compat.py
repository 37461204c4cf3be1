#!/usr/bin/env python3
"""Check include/xenvirt/xenvirt.h against libvirt's own public headers.

Every enum constant and #define value we declare, and the size and field
offsets of every public struct, are printed by one generated C program
compiled twice: once with our header, once with <libvirt/libvirt.h> +
<libvirt/virterror.h>.  The two outputs must be identical.  A constant we
declare that libvirt lacks fails the build of the libvirt variant, which
fails this test too.

usage: header_compat.py CC SOURCE_ROOT WORKDIR
"""
import os
import re
import shlex
import subprocess
import sys

STRUCTS = {
    "virNodeInfo": ["model", "memory", "cpus", "mhz", "nodes", "sockets", "cores", "threads"],
    "virDomainInfo": ["state", "maxMem", "memory", "nrVirtCpu", "cpuTime"],
    "virVcpuInfo": ["number", "state", "cpuTime", "cpu"],
    "virTypedParameter": ["field", "type", "value"],
    "virDomainBlockStatsStruct": ["rd_req", "rd_bytes", "wr_req", "wr_bytes", "errs"],
    "virDomainInterfaceStatsStruct": ["rx_bytes", "rx_packets", "rx_errs", "rx_drop",
                                      "tx_bytes", "tx_packets", "tx_errs", "tx_drop"],
    "virError": ["code", "domain", "message", "level", "conn", "dom", "str1", "str2",
                 "str3", "int1", "int2", "net"],
}
# Our own additions, not in libvirt.
OURS_ONLY = {"XENVIRT_VERSION_NUMBER", "XENVIRT_XENVIRT_H"}
# Function-like macros are checked by use, not value.
MACRO_USES = [
    'unsigned char m[4] = {0}; VIR_USE_CPU(m, 9); printf("VIR_USE_CPU %d %d\\n", m[1], VIR_CPU_USED(m, 9) != 0);',
    'printf("VIR_CPU_MAPLEN %d %d\\n", VIR_CPU_MAPLEN(1), VIR_CPU_MAPLEN(9));',
    'unsigned char ms[4] = {0, 0, 2, 0}; printf("VIR_CPU_USABLE %d\\n", VIR_CPU_USABLE(ms, 2, 1, 1) != 0);',
]


def constants(header):
    text = open(header).read()
    names = []
    for m in re.finditer(r"^\s+(VIR_[A-Z0-9_]+)\s*=", text, re.M):
        names.append(m.group(1))
    for m in re.finditer(r"^#\s*define\s+((?:VIR|LIBVIR)_[A-Z0-9_]+)\s+[^\s(]", text, re.M):
        names.append(m.group(1))
    return [n for n in dict.fromkeys(names) if n not in OURS_ONLY and
            n != "LIBVIR_VERSION_NUMBER"]


def program(header_names, use_libvirt):
    inc = ("#include <libvirt/libvirt.h>\n#include <libvirt/virterror.h>\n" if use_libvirt
           else "#include <xenvirt/xenvirt.h>\n")
    lines = [inc, "#include <stdio.h>\n#include <stddef.h>\n#include <string.h>\n",
             "int main(void) {\n"]
    for n in header_names:
        if n in ("VIR_DOMAIN_SCHEDULER_WEIGHT", "VIR_DOMAIN_SCHEDULER_CAP"):
            lines.append(f'  printf("{n} %s\\n", {n});\n')
        else:
            lines.append(f'  printf("{n} %lld\\n", (long long)({n}));\n')
    for s, fields in STRUCTS.items():
        lines.append(f'  printf("sizeof({s}) %zu\\n", sizeof({s}));\n')
        for f in fields:
            lines.append(f'  printf("offsetof({s}, {f}) %zu\\n", offsetof({s}, {f}));\n')
    for use in MACRO_USES:
        lines.append("  { " + use + " }\n")
    lines.append("  return 0;\n}\n")
    return "".join(lines)


def build_and_run(cc, src, out, cflags, libs):
    cmd = shlex.split(cc) + [src, "-o", out] + cflags + libs
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        print("compile failed:", " ".join(cmd))
        print(res.stderr[:4000])
        return None
    return subprocess.run([out], capture_output=True, text=True, check=True).stdout


def main():
    cc, root, work = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(work, exist_ok=True)
    names = constants(os.path.join(root, "include/xenvirt/xenvirt.h"))
    try:
        lv = subprocess.run(["pkg-config", "--cflags", "libvirt"], capture_output=True,
                            text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        print("SKIP: libvirt-dev (pkg-config libvirt) is not installed")
        return 77
    ours_c = os.path.join(work, "compat_ours.c")
    theirs_c = os.path.join(work, "compat_libvirt.c")
    open(ours_c, "w").write(program(names, False))
    open(theirs_c, "w").write(program(names, True))
    ours = build_and_run(cc, ours_c, os.path.join(work, "compat_ours"),
                         ["-I" + os.path.join(root, "include")], [])
    theirs = build_and_run(cc, theirs_c, os.path.join(work, "compat_libvirt"), lv, [])
    if ours is None or theirs is None:
        return 1
    if ours != theirs:
        a, b = ours.splitlines(), theirs.splitlines()
        for x, y in zip(a, b):
            if x != y:
                print(f"ours: {x}\nlibvirt: {y}")
        return 1
    print(f"{len(names)} constants and {len(STRUCTS)} struct layouts match libvirt's headers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
