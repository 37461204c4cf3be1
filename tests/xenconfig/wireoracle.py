#!/usr/bin/env python3
"""wireoracle.py: our SXP wire printer's atoms against python's own repr().

xend writes an SXP string bare when it is atom-safe, else as python 2's
repr() of the byte string (sxp.show).  Python 3's repr() of a bytes object
follows the same rules as python 2's repr() of a str (minus the b prefix),
so for every atom in our SXP inputs (tests/xenconfigdata/sexpr-ok and the
vectors' .sexpr files) this checks what sexprdump prints against
repr(bytes)[1:], or the bare text for atom-safe values.

Usage: wireoracle.py SEXPRDUMP SOURCE_ROOT [VECTORS_DIR]   (TAP output;
VECTORS_DIR defaults to $XENVIRT_VECTORS_DIR, then SOURCE_ROOT/../shared/vectors)
"""
import os
import re
import subprocess
import sys

SAFE = re.compile(rb"^([A-Za-z0-9._:/~-]+|@)$")


def expected(value):
    if SAFE.match(value):
        return value.decode("ascii")
    return repr(value)[1:]


def main():
    dump, root = sys.argv[1], sys.argv[2]
    vdir = (sys.argv[3] if len(sys.argv) > 3 else
            os.environ.get("XENVIRT_VECTORS_DIR") or os.path.join(root, "..", "shared", "vectors"))
    inputs = []
    d = os.path.join(root, "tests", "xenconfigdata", "sexpr-ok")
    inputs += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".sexpr")]
    for s in ("sexpr2xmldata", "xml2sexprdata"):
        sd = os.path.join(vdir, s)
        if os.path.isdir(sd):
            inputs += [os.path.join(sd, f) for f in sorted(os.listdir(sd)) if f.endswith(".sexpr")]

    n = failed = 0
    for path in inputs:
        n += 1
        name = os.path.relpath(path, os.path.dirname(os.path.dirname(path)))
        r = subprocess.run([dump, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        problems = []
        if r.returncode != 0:
            problems.append("sexprdump failed: " + r.stderr.decode(errors="replace").strip())
        else:
            for line in r.stdout.decode("ascii").splitlines():
                hexval, wire = line.split("\t", 1)
                want = expected(bytes.fromhex(hexval))
                if wire != want:
                    problems.append("ours %s, python %s" % (wire, want))
        if problems:
            failed += 1
            print("not ok %d - %s" % (n, name))
            for p in problems:
                print("# " + p)
        else:
            print("ok %d - %s" % (n, name))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
