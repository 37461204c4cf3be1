#!/usr/bin/env python3
"""tcp_test.py: xend with --tcp-port P answers on 127.0.0.1:P and listens
on no other address (checked in /proc/net/tcp and /proc/net/tcp6: every
listening socket of the xensim process is bound to 127.0.0.1), and the
driver reaches it through an http://127.0.0.1:P/ URI; a request with
Connection: keep-alive keeps the connection for the next one."""
import argparse
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simtest  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def listening_inodes(pid):
    inodes = set()
    fddir = "/proc/%d/fd" % pid
    for fd in os.listdir(fddir):
        try:
            target = os.readlink(os.path.join(fddir, fd))
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def tcp_listeners(inodes):
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in open(table).readlines()[1:]:
            f = line.split()
            if f[3] == "0A" and f[9] in inodes:   # LISTEN
                found.append((table, f[1]))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xensim", required=True)
    ap.add_argument("--xvirsh", required=True)
    args = ap.parse_args()
    port = free_port()
    sim = simtest.Xensim(args.xensim, "4.1", 1, ["--tcp-port", str(port)])
    failures = 0
    try:
        listeners = tcp_listeners(listening_inodes(sim.pid))
        want = "0100007F:%04X" % port
        if [l for _, l in listeners] != [want]:
            print("FAIL TCP listeners %r, want exactly %s (127.0.0.1:%d)" % (listeners, want, port))
            failures += 1
        else:
            print("ok   only 127.0.0.1:%d listens" % port)
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"GET /xend/domain HTTP/1.1\r\nHost: localhost:8000\r\n\r\n")
        reply = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
        if not reply.startswith(b"HTTP/1.1 200 OK") or not reply.endswith(b"(Domain-0 vm1)"):
            print("FAIL TCP reply %r" % reply)
            failures += 1
        else:
            print("ok   GET /xend/domain over TCP")
        # keep-alive: the connection stays for the next request, and only
        # an explicit keep-alive keeps it (the second request closes it)
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"GET /xend/domain HTTP/1.1\r\nConnection: keep-alive\r\n\r\n"
                  b"GET /xend/domain/0 HTTP/1.1\r\n\r\n")
        reply = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
        if reply.count(b"HTTP/1.1 200 OK") != 2 or reply.count(b"Connection: keep-alive") != 1:
            print("FAIL keep-alive: %r" % reply[:300])
            failures += 1
        else:
            print("ok   keep-alive: two pipelined requests, one connection, then closed")
        res = subprocess.run([args.xvirsh, "-c", "http://127.0.0.1:%d/" % port, "list", "--name"],
                             capture_output=True, text=True, timeout=60)
        names = res.stdout.split()
        if res.returncode != 0 or names != ["Domain-0", "vm1"]:
            print("FAIL xvirsh over http://: exit %d, %r %r" % (res.returncode, res.stdout,
                                                                res.stderr))
            failures += 1
        else:
            print("ok   xvirsh -c http://127.0.0.1:%d/ list --name" % port)
    finally:
        sim.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
