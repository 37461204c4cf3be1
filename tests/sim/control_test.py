#!/usr/bin/python3
"""control_test.py: xensim's control socket (sim/control.h) as a client uses it.

The socket is served by sim/connserver.c with a 64 KiB limit on input the
channel has not consumed.  What must hold:
  - pipelined commands: a client that writes many complete lines at once
    (far more than 64 KiB in total) gets every answer, in order; only a
    line is limited, not a burst of lines;
  - an overlong line (more than 64 KiB without a newline) closes the
    connection, unanswered;
  - a line split over many writes is answered once it is complete.
Each check prints what it expected and what it got.
"""

import argparse
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "simxend"))
import simtest  # noqa: E402  (xensim under a temporary root)


def connect(sim):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(os.path.join(sim.root, "run/xensim/control"))
    s.settimeout(30)
    return s


def exchange(sock, data, chunks=1):
    """Send data (in chunks writes) while a thread reads; returns (reply, eof)."""
    got = []
    eof = []

    def reader():
        while True:
            try:
                b = sock.recv(65536)
            except socket.timeout:
                return
            except OSError:
                eof.append(True)
                return
            if not b:
                eof.append(True)
                return
            got.append(b)

    t = threading.Thread(target=reader)
    t.start()
    step = max(1, len(data) // chunks)
    try:
        for i in range(0, len(data), step):
            sock.sendall(data[i:i + step])
            if chunks > 1:
                time.sleep(0.01)
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass                    # the daemon closed: the reader sees EOF
    t.join(60)
    sock.close()
    return b"".join(got), bool(eof)


def short(v):
    r = repr(v)
    return r if len(r) <= 200 else r[:200] + "... (%d characters)" % len(r)


def check(failures, what, want, got):
    if want == got:
        print("ok   %s" % what)
    else:
        print("FAIL %s\n     expected: %s\n     got:      %s" % (what, short(want), short(got)))
        failures.append(what)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--xensim", required=True)
    args = ap.parse_args()
    failures = []
    sim = simtest.Xensim(args.xensim, "4.1")
    try:
        # 40000 "reset" commands (240000 bytes) in one burst: every 64 KiB
        # read ends inside a line, so a limit checked before the complete
        # lines are answered would drop this client.
        n = 40000
        reply, eof = exchange(connect(sim), b"reset\n" * n)
        check(failures, "burst of %d pipelined commands: every answer" % n,
              n, reply.count(b"ok\n"))
        check(failures, "burst: nothing but answers",
              len(reply), reply.count(b"ok\n") * 3)

        # One line longer than 64 KiB: dropped, unanswered.
        reply, eof = exchange(connect(sim), b"x" * 70000 + b"\nreset\n")
        check(failures, "overlong line: connection closed without an answer",
              (b"", True), (reply, eof))

        # A line written a few bytes at a time is answered once complete.
        reply, eof = exchange(connect(sim), b"stats\nreset\n", chunks=12)
        check(failures, "line in pieces: stats then reset answered",
              True, reply.startswith(b"xend-requests ") and reply.endswith(b"ok\nok\n"))

        # The daemon is still serving.
        reply, eof = exchange(connect(sim), b"reset\n")
        check(failures, "still serving afterwards", b"ok\n", reply)
    finally:
        sim.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
