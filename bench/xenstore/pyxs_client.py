#!/usr/bin/python3
# pyxs_client.py: the python3-pyxs client of xenstore_bench.c -- one of its
# workloads (0: write+read pairs, 1: transactions of 10 write+read pairs,
# 2: listings of a 100-child directory) on one connection to
# XENSTORED_PATH, every value checked.  Prints "REQUESTS SECONDS" (only the
# workload is timed, not start-up); exits 1 naming the first wrong value.
# Usage: pyxs_client.py WORKLOAD PAIRS BASE
import sys
import time

from pyxs import Client

TX_PAIRS, CHILDREN = 10, 100


def check(path, want, got):
    if got != want:
        sys.exit("read %r returned %r, wrote %r" % (path, got, want))


def write_read(c, base, pairs):
    keys = [base + b"/rw/k%d" % (i % 100) for i in range(pairs)]
    vals = [b"value-%d" % i for i in range(pairs)]
    t0 = time.perf_counter()
    for k, v in zip(keys, vals):
        c.write(k, v)
        check(k, v, c.read(k))
    return 2 * pairs, time.perf_counter() - t0


def transactions(c, base, pairs):
    keys = [base + b"/tx/k%d" % (i % TX_PAIRS) for i in range(pairs)]
    vals = [b"tx-value-%d" % i for i in range(pairs)]
    reqs = 0
    t0 = time.perf_counter()
    for i in range(0, pairs - TX_PAIRS + 1, TX_PAIRS):
        while True:
            c.transaction()
            for j in range(i, i + TX_PAIRS):
                c.write(keys[j], vals[j])
                check(keys[j], vals[j], c.read(keys[j]))
            reqs += 2 + 2 * TX_PAIRS
            if c.commit():
                break
    dt = time.perf_counter() - t0
    last = pairs - pairs % TX_PAIRS
    for j in range(last - TX_PAIRS, last):  # committed: visible outside
        check(keys[j], vals[j], c.read(keys[j]))
    return reqs, dt


def listings(c, base, pairs):
    for i in range(CHILDREN):
        c.write(base + b"/dir/c%d" % i, b"x")
    want = sorted(b"c%d" % i for i in range(CHILDREN))
    t0 = time.perf_counter()
    for _ in range(pairs // 5):
        got = c.list(base + b"/dir")
        if sorted(got) != want:
            sys.exit("directory %r listed %r" % (base + b"/dir", got))
    return pairs // 5, time.perf_counter() - t0


def main():
    workload, pairs, base = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode()
    run = (write_read, transactions, listings)[workload]
    with Client() as c:  # XENSTORED_PATH, as the C clients
        def clean():
            try:
                c.delete(base)
            except Exception:
                pass
        clean()
        reqs, dt = run(c, base, pairs)
        clean()
    print(reqs, dt)


main()
