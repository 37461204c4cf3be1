#!/usr/bin/python3
"""xsconv_test.py: the XenStore differential test (issue 8 item 1).

One scripted raw conversation (tests/simdata/xsconv/NAME.conv) is played by
xsconv.py against
  (a) xensim's xenstored, started fresh under a temporary root, and
  (b) Debian's real C xenstored 4.17, started fresh by real-xenstored
      (../shared/realxen/; no hypervisor needed),
and each transcript must equal NAME.out byte for byte (the transcript text
shows every header field and payload byte).  NAME.out is the real daemon's
transcript: XENVIRT_TEST_REGENERATE=1 rewrites it from (b), never from (a).
Where xensim deliberately answers differently (DIFFERENCES.md), the script
has a NAME.xensim.out that (a) is compared with instead; regeneration
rewrites that one from (a).  Scripts named xensim-*.conv exercise what the
real 4.17 daemon lacks (socket_ro): only (a) runs, against NAME.out written
from (a) and reviewed by hand.  A '# xensim-args: ...' line in a script
adds xensim options (later ones win, e.g. --xen-version 3.0.2).

Both hosts have domains 1-3 existing.  If real-xenstored cannot run here,
(b) is reported as skipped and (a) is still checked against NAME.out, which
was recorded from the real daemon.
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
XSCONV = os.path.join(HERE, "xsconv.py")
REGENERATE = os.environ.get("XENVIRT_TEST_REGENERATE") == "1"


def play(socket_path, script, domctl=None, ro_socket=None):
    cmd = [sys.executable, XSCONV, "--relative-generations", "--socket", socket_path]
    if domctl:
        cmd += ["--domctl", domctl]
    if ro_socket:
        cmd += ["--ro-socket", ro_socket]
    res = subprocess.run(cmd + [script], capture_output=True, text=True, timeout=300)
    if res.returncode != 0:
        raise RuntimeError("xsconv failed on %s:\n%s" % (script, res.stderr))
    return res.stdout


def xensim_args(script):
    """Defaults, then what the script's '# xensim-args:' lines add."""
    args = ["--domains", "3", "--xen-version", "4.17"]
    for line in open(script):
        if line.startswith("# xensim-args:"):
            args += line.split(":", 1)[1].split()
    return args


def run_xensim(xensim, script):
    with tempfile.TemporaryDirectory(prefix="xsconv-sim-") as root:
        pidfile = os.path.join(root, "xensim.pid")
        res = subprocess.run([xensim, "--root", root] + xensim_args(script) +
                             ["--daemon", "--pidfile", pidfile],
                             capture_output=True, text=True, timeout=30)
        if res.returncode != 0:
            raise RuntimeError("xensim did not start: %s" % res.stderr)
        pid = int(open(pidfile).read())
        try:
            return play(os.path.join(root, "var/run/xenstored/socket"), script,
                        os.path.join(root, "run/xensim/domctl"),
                        ro_socket=os.path.join(root, "var/run/xenstored/socket_ro"))
        finally:
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                if not os.path.exists(pidfile):
                    break
                time.sleep(0.02)


def find_real_xenstored():
    cand = os.environ.get("XENVIRT_REAL_XENSTORED")
    if not cand:
        src = os.environ.get("XENVIRT_SOURCE_ROOT", os.path.join(HERE, "..", ".."))
        cand = os.path.join(src, "..", "shared", "realxen", "real-xenstored")
    return cand if os.access(cand, os.X_OK) else None


def run_real(tool, script):
    """The real daemon's transcript, or (None, reason) if it cannot run."""
    # Short path: AF_UNIX paths are limited to 107 bytes.
    d = tempfile.mkdtemp(prefix="xsr-", dir="/tmp")
    try:
        res = subprocess.run([tool, "--daemon", "--domains", "1-3", d],
                             capture_output=True, text=True, timeout=600)
        if res.returncode != 0:
            return None, "real-xenstored did not start: " + res.stderr.strip()[-500:]
        try:
            return play(os.path.join(d, "socket"), script, os.path.join(d, "domctl")), None
        finally:
            subprocess.run([tool, "--stop", d], capture_output=True, timeout=60)
    finally:
        subprocess.run(["rm", "-rf", d])


def compare(label, expected_path, actual):
    expected = open(expected_path).read() if os.path.exists(expected_path) else ""
    if expected == actual:
        return True
    sys.stdout.write("FAIL %s differs from %s:\n" % (label, os.path.basename(expected_path)))
    sys.stdout.writelines(difflib.unified_diff(
        expected.splitlines(True), actual.splitlines(True),
        os.path.basename(expected_path), label))
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--xensim", required=True)
    ap.add_argument("--no-real", action="store_true",
                    help="do not run the real xenstored")
    ap.add_argument("script")
    args = ap.parse_args()

    base = args.script[:-len(".conv")]
    golden = base + ".out"
    sim_golden = base + ".xensim.out"
    if not os.path.exists(sim_golden):
        sim_golden = golden
    ok = True

    # xensim-*.conv use what 4.17 does not have (socket_ro): their golden
    # output is xensim's own, reviewed by hand (DIFFERENCES.md).
    xensim_only = os.path.basename(args.script).startswith("xensim-")
    real_out, why = (None, "--no-real")
    if xensim_only:
        args.no_real, why = True, "script uses xensim-only features"
    tool = None if args.no_real else find_real_xenstored()
    if tool:
        real_out, why = run_real(tool, args.script)
    elif not args.no_real:
        why = "real-xenstored not found (set XENVIRT_REAL_XENSTORED)"
    if real_out is None:
        if REGENERATE and not xensim_only:
            print("FAIL cannot regenerate %s without the real daemon: %s" % (golden, why))
            return 1
        print("SKIP real xenstored: %s" % why)
    elif REGENERATE:
        open(golden, "w").write(real_out)
        print("regenerated %s from the real xenstored" % golden)
    else:
        ok = compare("real-xenstored", golden, real_out) and ok
        if ok:
            print("ok   real xenstored 4.17 matches %s" % os.path.basename(golden))

    sim_out = run_xensim(args.xensim, args.script)
    if REGENERATE and (sim_golden != golden or xensim_only):
        open(sim_golden, "w").write(sim_out)
        print("regenerated %s from xensim" % sim_golden)
    elif compare("xensim", sim_golden, sim_out):
        print("ok   xensim matches %s" % os.path.basename(sim_golden))
    else:
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
