#!/usr/bin/env python3
"""xmoracle.py: our xm-dialect reader against python itself.

xm read a domain config by exec()ing it as python 2.  For every xm input we
accept (tests/xenconfigdata/cfg-xm cases without a .err, and the vectors in
../shared/vectors/xmconfigdata), run it through a python interpreter and
require the same settings with the same values as cfgdump (our reader).
The reverse direction is not checked: python is a whole language and
accepts far more than a config syntax.

The interpreter is python 2 when one is found ($XENVIRT_PYTHON2, else
python2.7 / python2 on PATH) -- xm's own language.  Otherwise python 3,
whose differences for these files are: no 010 octal literals and \\xHH
making code points instead of bytes; cases named py2-* rely on those and
are skipped (as TAP SKIP) under python 3.

Usage: xmoracle.py CFGDUMP SOURCE_ROOT [VECTORS_DIR]   (TAP output;
VECTORS_DIR defaults to $XENVIRT_VECTORS_DIR, then SOURCE_ROOT/../shared/vectors)
"""
import json
import os
import subprocess
import sys

# Runs inside the interpreter under test (python 2 or 3): exec the file,
# print its globals in cfgdump's JSON encoding.
PROBE = r'''
import json, sys
data = open(sys.argv[1], "rb").read()
ns = {}
exec(compile(data, sys.argv[1], "exec"), ns)
def enc(v):
    if isinstance(v, bool):
        return {"bool": v}
    if isinstance(v, (int, long) if sys.version_info[0] == 2 else int):
        return {"n": v}
    if isinstance(v, list):
        return {"l": [enc(x) for x in v]}
    if sys.version_info[0] == 2:
        if isinstance(v, unicode):
            v = v.encode("utf-8")
        if isinstance(v, str):
            return {"s": v.encode("hex")}
    elif isinstance(v, str):
        return {"s": v.encode("utf-8", "surrogateescape").hex()}
    return {"other": repr(v)}
print(json.dumps(dict((k, enc(v)) for k, v in ns.items() if k != "__builtins__")))
'''


def find_python2():
    cands = [os.environ.get("XENVIRT_PYTHON2"), "python2.7", "python2"]
    for c in cands:
        if not c:
            continue
        try:
            r = subprocess.run([c, "-c", "import sys; sys.exit(sys.version_info[0] != 2)"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            continue
        if r.returncode == 0:
            return c
    return None


def main():
    cfgdump, root = sys.argv[1], sys.argv[2]
    vdir = (sys.argv[3] if len(sys.argv) > 3 else
            os.environ.get("XENVIRT_VECTORS_DIR") or os.path.join(root, "..", "shared", "vectors"))
    py2 = find_python2()
    interp = py2 or sys.executable
    print("# python under test: %s" % subprocess.run(
        [interp, "-c", "import sys; print(sys.version.split()[0])"],
        stdout=subprocess.PIPE, universal_newlines=True).stdout.strip())

    inputs = []
    d = os.path.join(root, "tests", "xenconfigdata", "cfg-xm")
    for f in sorted(os.listdir(d)):
        if f.endswith(".cfg") and not os.path.exists(os.path.join(d, f[:-4] + ".err")):
            inputs.append(("cfg-xm", os.path.join(d, f)))
    vd = os.path.join(vdir, "xmconfigdata")
    if os.path.isdir(vd):
        for f in sorted(os.listdir(vd)):
            if f.endswith(".cfg"):
                inputs.append(("xmconfigdata", os.path.join(vd, f)))

    n = failed = 0
    for label, path in inputs:
        n += 1
        name = "%s/%s" % (label, os.path.basename(path))
        if not py2 and os.path.basename(path).startswith("py2-"):
            print("ok %d - %s # SKIP needs python 2" % (n, name))
            continue
        ours = subprocess.run([cfgdump, "xm", path], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
        theirs = subprocess.run([interp, "-c", PROBE, path], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, universal_newlines=True)
        problems = []
        if ours.returncode != 0:
            problems.append("we refuse it: " + ours.stderr.strip())
        if theirs.returncode != 0:
            problems.append("python refuses it: " + theirs.stderr.strip().splitlines()[-1])
        if not problems:
            a = json.loads(ours.stdout)
            b = json.loads(theirs.stdout)
            for k in sorted(set(a) | set(b)):
                if a.get(k) != b.get(k):
                    problems.append("%s: ours %s, python %s" % (k, a.get(k), b.get(k)))
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
