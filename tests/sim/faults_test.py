#!/usr/bin/python3
"""faults_test.py: xensim's fault injection for xenstored (--fault, SIGHUP).

Each scenario starts xensim with one fault and records, byte for byte,
what a raw client receives, plus how Debian's xenstore-read copes; the
transcript must equal tests/simdata/faults/faults.out
(XENVIRT_TEST_REGENERATE=1 rewrites it).  These faults exist so that the
driver's XenStore client can be tested on its failure paths; this test
makes sure each one does exactly what it says.
"""

import argparse
import difflib
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

HDR = struct.Struct("=IIII")
READ, WRITE = 2, 11
REGENERATE = os.environ.get("XENVIRT_TEST_REGENERATE") == "1"
out = []


def log(line):
    out.append(line + "\n")


def recv_all(sock, timeout=2.0):
    """Everything the daemon sends until it closes or goes quiet."""
    data = b""
    eof = False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([sock], [], [], 0.2)
        if not r:
            if data:
                break
            continue
        chunk = sock.recv(65536)
        if not chunk:
            eof = True
            break
        data += chunk
    return data, eof


def describe(data, eof):
    parts = []
    while len(data) >= HDR.size:
        t, rid, tx, ln = HDR.unpack(data[:HDR.size])
        body = data[HDR.size:HDR.size + ln]
        parts.append("[type=%d req=%d len=%d] %r%s" % (
            t, rid, ln, body, "" if len(body) == ln else " (only %d bytes)" % len(body)))
        data = data[HDR.size + ln:]
    if data:
        parts.append("partial header %r" % data)
    parts.append("EOF" if eof else "(connection open)")
    return "; ".join(parts)


def request(sock, t, payload, rid=0):
    sock.sendall(HDR.pack(t, rid, 0, len(payload)) + payload)


class Xensim:
    def __init__(self, xensim, *args):
        self.tmp = tempfile.TemporaryDirectory(prefix="xsfault-")
        root = self.tmp.name
        self.pidfile = os.path.join(root, "pid")
        self.sock = os.path.join(root, "var/run/xenstored/socket")
        res = subprocess.run([xensim, "--root", root, "--domains", "1", "--daemon",
                              "--pidfile", self.pidfile] + list(args),
                             capture_output=True, text=True, timeout=30)
        if res.returncode != 0:
            raise RuntimeError("xensim failed: " + res.stderr)
        self.pid = int(open(self.pidfile).read())

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.sock)
        return s

    def client(self, *cmd):
        env = dict(os.environ, XENSTORED_PATH=self.sock)
        res = subprocess.run(list(cmd), env=env, capture_output=True, text=True, timeout=30)
        log("  $ %s -> exit %d: %s" % (" ".join(cmd), res.returncode,
                                      (res.stdout + res.stderr).strip()))

    def stop(self):
        os.kill(self.pid, signal.SIGTERM)
        for _ in range(100):
            if not os.path.exists(self.pidfile):
                break
            time.sleep(0.02)
        self.tmp.cleanup()


NAME = b"/local/domain/0/name\0"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--xensim", required=True)
    ap.add_argument("golden")
    args = ap.parse_args()
    x = args.xensim

    log("== xenstored:delay=400 (every reply held back)")
    sim = Xensim(x, "--fault", "xenstored:delay=400")
    s = sim.connect()
    t0 = time.monotonic()
    request(s, READ, NAME)
    data, eof = recv_all(s)
    log("  reply after >= 0.4 s: %s" % ("yes" if time.monotonic() - t0 >= 0.4 else "NO"))
    log("  " + describe(data, eof))
    sim.stop()

    log("== xenstored:cut-header=2 (second reply: half a header, then close)")
    sim = Xensim(x, "--fault", "xenstored:cut-header=2")
    s = sim.connect()
    request(s, READ, NAME, 1)
    log("  1st: " + describe(*recv_all(s)))
    request(s, READ, NAME, 2)
    log("  2nd: " + describe(*recv_all(s)))
    sim.client("xenstore-read", "/local/domain/0/name")
    sim.stop()

    log("== xenstored:truncate=1 (header, half the payload, then close)")
    sim = Xensim(x, "--fault", "xenstored:truncate=1")
    s = sim.connect()
    request(s, READ, NAME)
    log("  " + describe(*recv_all(s)))
    sim.client("xenstore-read", "/local/domain/0/name")
    sim.stop()

    log("== xenstored:oversize=1 (a header announcing 4097 bytes, then close)")
    sim = Xensim(x, "--fault", "xenstored:oversize=1")
    s = sim.connect()
    request(s, READ, NAME)
    log("  " + describe(*recv_all(s)))
    sim.client("xenstore-read", "/local/domain/0/name")
    sim.stop()

    log("== SIGHUP restarts xenstored: clients dropped, data kept")
    sim = Xensim(x)
    s = sim.connect()
    request(s, WRITE, b"/kept\0across restart")
    log("  before: " + describe(*recv_all(s)))
    os.kill(sim.pid, signal.SIGHUP)
    log("  old connection: " + describe(*recv_all(s)))
    time.sleep(0.2)
    sim.client("xenstore-read", "/kept")
    sim.stop()

    log("== bad fault specifications")
    for spec in ["xenstored:delay=x", "xenstored:bogus=1", "nochannel:delay=1", "delay=1"]:
        with tempfile.TemporaryDirectory(prefix="xsfault-") as root:
            res = subprocess.run([x, "--root", root, "--fault", spec],
                                 capture_output=True, text=True, timeout=30)
            log("  --fault %s -> exit %d: %s" % (spec, res.returncode, res.stderr.strip()))

    actual = "".join(out)
    if REGENERATE:
        open(args.golden, "w").write(actual)
        print("regenerated %s" % args.golden)
        return 0
    expected = open(args.golden).read() if os.path.exists(args.golden) else ""
    if expected != actual:
        print("FAIL output differs from %s:" % args.golden)
        sys.stdout.writelines(difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True), "expected", "actual"))
        return 1
    print("ok   %s" % os.path.basename(args.golden))
    return 0


if __name__ == "__main__":
    sys.exit(main())
