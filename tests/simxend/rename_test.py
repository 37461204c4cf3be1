#!/usr/bin/env python3
"""rename_test.py: a running domain renamed behind the driver's back (what
`xl rename` does: a new /local/domain/ID/name) while one connection stays
open.  The driver caches names per connection; through the public API
(libxenvirt called with ctypes, one connection for the whole test) the
domain must then be found under its new name, not under its old one, and
lookups by id and listings must show the new name.  The golden file holds
what each call answered."""
import argparse
import ctypes
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simtest  # noqa: E402


class VirError(ctypes.Structure):
    # the leading members of libvirt's virError
    _fields_ = [("code", ctypes.c_int), ("domain", ctypes.c_int),
                ("message", ctypes.c_char_p)]


def load(path):
    lib = ctypes.CDLL(path)
    vp, cp = ctypes.c_void_p, ctypes.c_char_p
    for name, res, args in [
            ("virConnectOpen", vp, [cp]),
            ("virConnectClose", ctypes.c_int, [vp]),
            ("virDomainLookupByName", vp, [vp, cp]),
            ("virDomainLookupByID", vp, [vp, ctypes.c_int]),
            ("virDomainGetName", cp, [vp]),
            ("virDomainGetID", ctypes.c_uint, [vp]),
            ("virDomainFree", ctypes.c_int, [vp]),
            ("virConnectListAllDomains", ctypes.c_int,
             [vp, ctypes.POINTER(ctypes.POINTER(vp)), ctypes.c_uint]),
            ("virGetLastError", ctypes.POINTER(VirError), [])]:
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    lib.free = ctypes.CDLL(None).free
    lib.free.argtypes = [vp]
    return lib


def preload_sanitizers(lib):
    """A sanitizer-built libxenvirt cannot be loaded into an uninstrumented
    python unless its runtimes come first: re-run this script with them
    preloaded (leak checking off: the leaks would be python's own)."""
    if os.environ.get("RENAME_TEST_PRELOADED"):
        return
    res = subprocess.run(["ldd", lib], capture_output=True, text=True)
    runtimes = [line.split("=>")[1].split()[0] for line in res.stdout.splitlines()
                if "=>" in line and ("libasan" in line or "libubsan" in line)]
    if not runtimes:
        return
    env = dict(os.environ, RENAME_TEST_PRELOADED="1", LD_PRELOAD=" ".join(runtimes),
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xensim", required=True)
    ap.add_argument("--lib", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("golden")
    args = ap.parse_args()
    preload_sanitizers(args.lib)
    lib = load(args.lib)
    sim = simtest.Xensim(args.xensim, args.version, 2)
    out = []

    def by_name(conn, name):
        dom = lib.virDomainLookupByName(conn, name.encode())
        if not dom:
            err = lib.virGetLastError()
            out.append("lookup name %s: error %d: %s\n"
                       % (name, err.contents.code, err.contents.message.decode()))
            return
        out.append("lookup name %s: id %d, name %s\n"
                   % (name, lib.virDomainGetID(dom), lib.virDomainGetName(dom).decode()))
        lib.virDomainFree(dom)

    def by_id(conn, domid):
        dom = lib.virDomainLookupByID(conn, domid)
        out.append("lookup id %d: name %s\n" % (domid, lib.virDomainGetName(dom).decode()
                                                 if dom else "(error)"))
        if dom:
            lib.virDomainFree(dom)

    def listing(conn):
        doms = ctypes.POINTER(ctypes.c_void_p)()
        n = lib.virConnectListAllDomains(conn, ctypes.byref(doms), 0)
        names = sorted(lib.virDomainGetName(doms[i]).decode() for i in range(max(n, 0)))
        for i in range(max(n, 0)):
            lib.virDomainFree(doms[i])
        if n >= 0:
            lib.free(doms)
        out.append("list: %s\n" % " ".join(names))

    try:
        conn = lib.virConnectOpen(("xen:///?root=" + sim.root).encode())
        if not conn:
            print("FAIL cannot open a connection to xensim")
            return 1
        # names now cached on this connection
        listing(conn)
        by_name(conn, "vm1")
        env = dict(os.environ,
                   XENSTORED_PATH=os.path.join(sim.root, "var/run/xenstored/socket"))
        res = subprocess.run(["xenstore-write", "/local/domain/1/name", "renamed"],
                             capture_output=True, text=True, env=env, timeout=30)
        out.append("xenstore-write /local/domain/1/name renamed: exit %d %s\n"
                   % (res.returncode, res.stderr.strip()))
        by_name(conn, "renamed")
        by_name(conn, "vm1")
        by_id(conn, 1)
        listing(conn)
        # renamed again, then looked up by id first
        res = subprocess.run(["xenstore-write", "/local/domain/1/name", "again"],
                             capture_output=True, text=True, env=env, timeout=30)
        out.append("xenstore-write /local/domain/1/name again: exit %d\n" % res.returncode)
        by_id(conn, 1)
        by_name(conn, "renamed")
        by_name(conn, "again")
        by_name(conn, "vm2")
        lib.virConnectClose(conn)
    finally:
        sim.stop()
    return simtest.compare("".join(out), args.golden)


if __name__ == "__main__":
    sys.exit(main())
