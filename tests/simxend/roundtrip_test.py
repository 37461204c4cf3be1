#!/usr/bin/env python3
"""roundtrip_test.py: round trips per channel (xensim's counters) for
listing N running domains through xvirsh, for N = 10, 100 and 1000.
xensim's start-up time for 1000 guests is printed in the log, never judged
(timings belong in bench/, not in pass/fail tests).

Asserted: `xvirsh list --name --state-running` (virConnectListAllDomains
with a state filter: one getdomaininfolist batch) costs the same number of
hypercalls and xend requests for every N.  The golden file
(tests/simxenddata/roundtrip.out) holds what each listing showed; the
counts of every listing are printed in the test log."""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simtest  # noqa: E402

LISTINGS = [
    ["list", "--name", "--state-running"],
    ["list"],
    ["list", "--all"],
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xensim", required=True)
    ap.add_argument("--xvirsh", required=True)
    ap.add_argument("--version", default="4.1")
    ap.add_argument("golden")
    args = ap.parse_args()
    out = []
    counts = {}
    for n in (10, 100, 1000):
        t0 = time.monotonic()
        sim = simtest.Xensim(args.xensim, args.version, n)
        print("N=%d xensim started in %.2f s" % (n, time.monotonic() - t0))
        try:
            for listing in (LISTINGS if n < 1000 else LISTINGS[:1]):
                sim.control("reset")
                res = subprocess.run([args.xvirsh, "-c", "xen:///?root=" + sim.root] + listing,
                                     capture_output=True, text=True, timeout=120)
                rows = [l for l in res.stdout.splitlines() if l.strip()]
                st = sim.stats()
                key = " ".join(listing)
                counts[(n, key)] = (st["hypercalls"], st["xend-requests"])
                out.append("N=%d xvirsh %s: exit %d, %d lines\n" % (n, key, res.returncode,
                                                                      len(rows)))
                # the counts depend on the driver's current strategy: shown, not golden
                print("N=%d xvirsh %s: hypercalls %d, xend requests %d"
                      % (n, key, st["hypercalls"], st["xend-requests"]))
        finally:
            sim.stop()
    rc = simtest.compare("".join(out), args.golden)
    key = " ".join(LISTINGS[0])
    if not counts[(10, key)] == counts[(100, key)] == counts[(1000, key)]:
        print("FAIL round trips of 'xvirsh %s' grow with N: %s (N=10), %s (N=100), %s (N=1000)"
              % (key, counts[(10, key)], counts[(100, key)], counts[(1000, key)]))
        rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
