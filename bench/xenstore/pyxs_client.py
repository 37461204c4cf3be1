#!/usr/bin/python3
# pyxs_client.py: the python3-pyxs client of xenstore_bench.c -- the same
# three workloads (write+read pairs, transactions of 10 pairs, listings of
# a 100-child directory) on one connection to XENSTORED_PATH, every value
# checked.  Prints "WORKLOAD-INDEX REQUESTS SECONDS" per workload (0
# write+read, 1 transactions, 2 directory); exits 1 on a wrong value.
# Usage: pyxs_client.py PAIRS BASE
import sys
import time

from pyxs import Client

TX_PAIRS, CHILDREN = 10, 100


def main():
    pairs, base = int(sys.argv[1]), sys.argv[2].encode()
    with Client() as c:  # XENSTORED_PATH, as the C clients
        def clean():
            try:
                c.delete(base)
            except Exception:
                pass

        def check(path, want, got):
            if got != want:
                sys.exit("FAIL: read %r returned %r, wrote %r" % (path, got, want))

        clean()
        keys = [base + b"/rw/k%d" % (i % 100) for i in range(pairs)]
        vals = [b"value-%d" % i for i in range(pairs)]
        t0 = time.perf_counter()
        for k, v in zip(keys, vals):
            c.write(k, v)
            check(k, v, c.read(k))
        print(0, 2 * pairs, time.perf_counter() - t0)
        clean()

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
        print(1, reqs, time.perf_counter() - t0)
        last = pairs - pairs % TX_PAIRS
        for j in range(last - TX_PAIRS, last):
            check(keys[j], vals[j], c.read(keys[j]))
        clean()

        for i in range(CHILDREN):
            c.write(base + b"/dir/c%d" % i, b"x")
        want = sorted(b"c%d" % i for i in range(CHILDREN))
        t0 = time.perf_counter()
        for _ in range(pairs // 5):
            got = c.list(base + b"/dir")
            if sorted(got) != want:
                sys.exit("FAIL: directory %r listed %r" % (base + b"/dir", got))
        print(2, pairs // 5, time.perf_counter() - t0)
        clean()


main()
