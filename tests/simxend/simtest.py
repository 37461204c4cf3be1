"""simtest.py: shared helpers of the simxend tests -- start and stop xensim
under a temporary root, talk to its control socket, compare a transcript
with its golden file (XENVIRT_TEST_REGENERATE=1 rewrites it)."""
import difflib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

REGENERATE = os.environ.get("XENVIRT_TEST_REGENERATE") == "1"


class Xensim:
    def __init__(self, binary, version, domains=1, extra=()):
        self.root = tempfile.mkdtemp(prefix="simxend-")
        self.pidfile = os.path.join(self.root, "xensim.pid")
        cmd = [binary, "--root", self.root, "--xen-version", version,
               "--domains", str(domains), "--daemon", "--pidfile", self.pidfile]
        cmd += list(extra)
        self.cmd = cmd
        self.start()

    def start(self):
        res = subprocess.run(self.cmd, capture_output=True, text=True, timeout=30)
        if res.returncode != 0:
            raise RuntimeError("xensim failed: %s" % res.stderr)
        self.pid = int(open(self.pidfile).read())

    def kill(self):
        """SIGTERM, and wait until the process is gone (root kept)."""
        try:
            os.kill(self.pid, signal.SIGTERM)
            for _ in range(250):
                os.kill(self.pid, 0)
                time.sleep(0.02)
        except ProcessLookupError:
            pass

    def restart(self):
        """The host reboots: a new xensim on the same root."""
        self.kill()
        self.start()

    def control(self, command):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(10)
        s.connect(os.path.join(self.root, "run/xensim/control"))
        s.sendall(command.encode() + b"\n")
        data = b""
        while not (data.endswith(b"ok\n") or b"error:" in data):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        return data.decode()

    def stats(self):
        out = {}
        for line in self.control("stats").splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                out[parts[0]] = int(parts[1])
        return out

    def stop(self):
        self.kill()
        shutil.rmtree(self.root, ignore_errors=True)


def compare(actual, golden):
    """0 if actual equals the golden file, else print a diff and return 1."""
    if REGENERATE:
        with open(golden, "w") as f:
            f.write(actual)
        print("regenerated %s" % golden)
        return 0
    expected = open(golden).read() if os.path.exists(golden) else ""
    if expected != actual:
        print("FAIL output differs from %s:" % golden)
        print("".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                           golden, "actual")))
        return 1
    print("ok   %s" % os.path.basename(golden))
    return 0


TIMES = [
    (re.compile(r"\((cpu_time|start_time|up_time) [0-9.]+\)"), r"(\1 T)"),
    (re.compile(r"CPU time: +[0-9.]+s"), "CPU time:       Ts"),
]


def normalize(text):
    for rx, rep in TIMES:
        text = rx.sub(rep, text)
    return text
