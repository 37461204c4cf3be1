#!/usr/bin/python3
"""clients_test.py: real XenStore clients against xensim, golden output.

Starts xensim (--domains 2 unless told, Xen 4.1 layout) under a temporary
root (optionally failing if that takes longer than --max-start-seconds), runs
each line of a .cmds file with bash, XENSTORED_PATH pointing at xensim's
socket and XS_RO at its socket_ro (TESTDIR is tests/sim), and records
  $ <command>
  <stdout and stderr>
  [exit N]            (only when N != 0)
The transcript must equal NAME.out next to the .cmds file;
XENVIRT_TEST_REGENERATE=1 rewrites it (review the diff).  With
--require-module M the test is skipped (exit 77) when the system python
cannot import M, saying which package provides it.
"""

import argparse
import difflib
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REGENERATE = os.environ.get("XENVIRT_TEST_REGENERATE") == "1"
SKIP = 77


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--xensim", required=True)
    ap.add_argument("--require-module", help="skip unless /usr/bin/python3 has it")
    ap.add_argument("--package", help="Debian package that provides the module")
    ap.add_argument("--domains", default="2", help="xensim --domains")
    ap.add_argument("--max-start-seconds", type=float,
                    help="fail if xensim takes longer to start listening")
    ap.add_argument("cmds")
    args = ap.parse_args()

    if args.require_module:
        res = subprocess.run(["/usr/bin/python3", "-c", "import " + args.require_module],
                             capture_output=True)
        if res.returncode != 0:
            print("SKIP: /usr/bin/python3 cannot import %s (apt-get install -y %s)"
                  % (args.require_module, args.package or "python3-" + args.require_module))
            return SKIP

    golden = args.cmds[:-len(".cmds")] + ".out"
    out = []
    with tempfile.TemporaryDirectory(prefix="xsclients-") as root:
        pidfile = os.path.join(root, "xensim.pid")
        t0 = time.monotonic()
        res = subprocess.run([args.xensim, "--root", root, "--domains", args.domains,
                              "--xen-version", "4.1", "--daemon", "--pidfile", pidfile],
                             capture_output=True, text=True, timeout=30)
        took = time.monotonic() - t0
        if res.returncode != 0:
            print("FAIL xensim did not start: %s" % res.stderr)
            return 1
        print("xensim --domains %s listening after %.3f s" % (args.domains, took))
        if args.max_start_seconds and took > args.max_start_seconds:
            print("FAIL start took longer than %.1f s" % args.max_start_seconds)
            os.kill(int(open(pidfile).read()), signal.SIGTERM)
            return 1
        pid = int(open(pidfile).read())
        env = dict(os.environ)
        env["XENSTORED_PATH"] = os.path.join(root, "var/run/xenstored/socket")
        env["XS_RO"] = os.path.join(root, "var/run/xenstored/socket_ro")
        env["TESTDIR"] = HERE
        env.pop("XENSTORED_RUNDIR", None)
        try:
            for line in open(args.cmds):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                res = subprocess.run(["bash", "-c", line], env=env, cwd=root,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, timeout=60)
                out.append("$ %s\n" % line)
                out.append(res.stdout)
                if res.stdout and not res.stdout.endswith("\n"):
                    out.append("\\ (no newline at end)\n")
                if res.returncode != 0:
                    out.append("[exit %d]\n" % res.returncode)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                print("FAIL xensim died during the test")
                return 1
        finally:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            for _ in range(100):
                if not os.path.exists(pidfile):
                    break
                time.sleep(0.02)

    actual = "".join(out)
    if REGENERATE:
        open(golden, "w").write(actual)
        print("regenerated %s" % golden)
        return 0
    expected = open(golden).read() if os.path.exists(golden) else ""
    if expected != actual:
        print("FAIL output differs from %s:" % os.path.basename(golden))
        sys.stdout.writelines(difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True),
            os.path.basename(golden), "actual"))
        return 1
    print("ok   %s" % os.path.basename(golden))
    return 0


if __name__ == "__main__":
    sys.exit(main())
