#!/usr/bin/env python3
"""xend_curl_test.py: xensim's xend for one Xen version, through an
independent HTTP client (curl --unix-socket).  Plays
tests/simxenddata/xend.cmds and compares the replies (status line,
headers, body; times and the Content-length of bodies holding times
normalised, after checking Content-length is the body's real length) with
tests/simxenddata/xend-VERSION.out.  Xen 4.5+ has no xend: the socket must
not exist."""
import argparse
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simtest  # noqa: E402


def curl(sock, method, path, fields):
    cmd = ["curl", "-s", "-i", "--max-time", "10", "--unix-socket", sock,
           "-H", "User-Agent:", "-H", "Accept:", "-X", method]
    for f in fields:
        cmd += ["--data-urlencode", f]
    cmd.append("http://localhost" + path)
    res = subprocess.run(cmd, capture_output=True, timeout=20)
    return res.returncode, res.stdout.decode("utf-8", "replace")


def render(rc, raw):
    if rc != 0:
        return "curl exit %d\n" % rc
    head, _, body = raw.partition("\r\n\r\n")
    lines = head.split("\r\n")
    out = [lines[0]]
    clen = None
    for h in lines[1:]:
        name, _, value = h.partition(": ")
        if name.lower() == "content-length":
            clen = int(value)
            continue
        out.append(h)
    if clen is None or clen != len(body.encode()):
        out.append("BAD Content-length %r for a body of %d bytes" % (clen, len(body.encode())))
    else:
        norm = simtest.normalize(body)
        out.append("Content-length: %s" % (clen if norm == body else "<n>"))
    out.append("")
    out.append(simtest.normalize(body))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xensim", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("cmds")
    ap.add_argument("golden")
    args = ap.parse_args()
    if not shutil.which("curl"):
        print("SKIP: curl is not installed (apt-get install curl)")
        return 77
    sim = simtest.Xensim(args.xensim, args.version)
    sock = os.path.join(sim.root, "var/lib/xend/xend-socket")
    out = []
    try:
        if not os.path.exists(sock):
            out.append("no xend socket (Xen %s has no xend)\n" % args.version)
            rc, raw = curl(sock, "GET", "/xend/node/", [])
            out.append("> GET /xend/node/\n" + render(rc, raw))
        else:
            for line in open(args.cmds):
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                if line.startswith("SLEEP "):
                    time.sleep(float(line.split()[1]))
                    continue
                parts = line.split(" ", 2)
                method, path = parts[0], parts[1]
                fields = []
                if len(parts) > 2:
                    # key=value pairs; a config= value runs to the end
                    rest = parts[2]
                    while rest:
                        if rest.startswith("config="):
                            fields.append(rest)
                            break
                        item, _, rest = rest.partition(" ")
                        fields.append(item)
                rc, raw = curl(sock, method, path, fields)
                out.append("> %s\n%s" % (line, render(rc, raw)))
        st = sim.stats()
        out.append("stats: xend-requests %d\n" % st.get("xend-requests", -1))
    finally:
        sim.stop()
    return simtest.compare("".join(out), args.golden)


if __name__ == "__main__":
    sys.exit(main())
