#!/usr/bin/env python3
"""xm read its config files by exec()ing them as Python.  Every xm config
our writer produces (for the public vectors, via xenconvtest, and for our
golden cases) must therefore be Python that runs, and each key must hold a
value of a type xm accepts (str, int, or a list of str).  TAP output."""
import glob
import os
import subprocess
import sys
import tempfile

test_bin = sys.argv[1]
src = os.environ.get("XENVIRT_SOURCE_ROOT", ".")
files = []
with tempfile.TemporaryDirectory() as d:
    env = dict(os.environ, XENCONV_NATIVE_DIR=d)
    subprocess.run([test_bin], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    for f in sorted(glob.glob(os.path.join(d, "*.xm"))):
        with open(f) as fh:
            files.append(("roundtrip-" + os.path.basename(f), fh.read()))
for f in sorted(glob.glob(os.path.join(src, "tests/xenconvdata/cases/*.xml.xm"))):
    with open(f) as fh:
        text = fh.read()
    if not text.startswith("error"):
        files.append((os.path.basename(f), text))

n = fail = 0
for name, text in files:
    n += 1
    why = None
    scope = {}
    try:
        exec(compile(text, name, "exec"), {}, scope)
    except Exception as e:  # noqa: BLE001 - any failure is the finding
        why = "python refuses it: %s" % e
    if why is None:
        for k, v in scope.items():
            ok = isinstance(v, (str, int)) or (
                isinstance(v, list) and all(isinstance(i, str) for i in v))
            if not ok:
                why = "%s = %r is not a str, int or list of str" % (k, v)
                break
    if why:
        fail += 1
        print("not ok %d - %s # %s" % (n, name, why))
    else:
        print("ok %d - %s" % (n, name))
if n == 0:
    print("not ok 1 - no xm config was produced")
    n = fail = 1
print("1..%d" % n)
sys.exit(1 if fail else 0)
