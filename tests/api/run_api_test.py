#!/usr/bin/env python3
"""Run an api_test binary and compare its report with the golden file.

With --expected-diff, the binary is the build against real libvirt: its
report must differ from the golden (ours) by exactly the reviewed diff in
that file -- each hunk there is a place where xenvirt deliberately does more
than libvirt's test driver (documented in tests/apidata/README).
XENVIRT_TEST_REGENERATE=1 rewrites the golden (or the expected diff); regenerate
with `meson test --suite api --num-processes 1` so the golden is rewritten
before the diff against it is.
"""
import difflib
import os
import subprocess
import sys


def main():
    binary, golden = sys.argv[1], sys.argv[2]
    expected_diff = None
    if len(sys.argv) > 4 and sys.argv[3] == "--expected-diff":
        expected_diff = sys.argv[4]
    env = dict(os.environ)
    env.pop("LIBVIRT_DEFAULT_URI", None)
    res = subprocess.run([binary], capture_output=True, text=True, timeout=120, env=env)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        print(f"{binary} exited with {res.returncode}")
        return 1
    out = res.stdout
    regen = os.environ.get("XENVIRT_TEST_REGENERATE") == "1"
    want = open(golden).read() if os.path.exists(golden) else ""

    if expected_diff is None:
        if regen:
            open(golden, "w").write(out)
            return 0
        if out != want:
            sys.stdout.writelines(difflib.unified_diff(
                want.splitlines(True), out.splitlines(True), "expected", "actual"))
            return 1
        print(f"{len(out.splitlines())} report lines match {os.path.basename(golden)}")
        return 0

    diff = "".join(difflib.unified_diff(want.splitlines(True), out.splitlines(True),
                                        "xenvirt", "libvirt", n=0))
    if regen:
        open(expected_diff, "w").write(diff)
        return 0
    known = open(expected_diff).read() if os.path.exists(expected_diff) else ""
    if diff != known:
        print("libvirt's report differs from ours other than by the reviewed diff:")
        sys.stdout.writelines(difflib.unified_diff(
            known.splitlines(True), diff.splitlines(True), "reviewed-diff", "actual-diff"))
        return 1
    print("libvirt agrees with xenvirt except for the reviewed differences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
