#!/usr/bin/env python3
"""xvirsh's interactive shell on a terminal: GNU readline, tab completion
of command and option names, and history kept across sessions.

The piped-stdin sessions are golden tests (tests/clidata/interactive*.cmd);
what only exists on a terminal is checked here, through a pseudo-terminal,
step by step: each step sends keys and waits for the text it must produce.
Usage: ttytest.py --xvirsh PATH
"""

import argparse
import os
import pty
import select
import sys
import tempfile
import time

STEP_TIMEOUT = 20


class Session:
    def __init__(self, argv, env, cwd):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            os.execve(argv[0], argv, env)
        self.out = b""

    def expect(self, text, what):
        """Read until TEXT appears after what was already consumed."""
        want = text.encode()
        deadline = time.time() + STEP_TIMEOUT
        while want not in self.out:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError(f"{what}: did not see {text!r}; the terminal showed:\n"
                                     + self.out.decode(errors="replace"))
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"{what}: xvirsh exited before showing {text!r}:\n"
                                         + self.out.decode(errors="replace"))
                self.out += chunk
        self.out = self.out[self.out.index(want) + len(want):]

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def wait(self):
        deadline = time.time() + STEP_TIMEOUT
        while time.time() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            try:
                if select.select([self.fd], [], [], 0.1)[0]:
                    os.read(self.fd, 4096)
            except OSError:
                pass
        os.kill(self.pid, 9)
        raise AssertionError("xvirsh did not exit after quit")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xvirsh", required=True)
    xvirsh = os.path.abspath(ap.parse_args().xvirsh)

    with tempfile.TemporaryDirectory(prefix="xvirsh-tty-") as tmp:
        env = {k: v for k, v in os.environ.items()
               if k not in ("XENVIRT_DEFAULT_URI", "VIRSH_DEFAULT_CONNECT_URI",
                            "LIBVIRT_DEFAULT_URI", "INPUTRC")}
        env.update({"HOME": tmp, "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
                    "TERM": "dumb", "LC_ALL": "C", "INPUTRC": "/dev/null"})
        history = os.path.join(tmp, "cache", "xvirsh", "history")
        argv = [xvirsh, "-c", "test:///default"]
        with open(os.path.join(tmp, "dom1.xml"), "w", encoding="utf-8") as f:
            f.write("<domain type='xen'><name>dom1</name><memory>65536</memory>"
                    "<os><type>linux</type><kernel>/k</kernel></os></domain>\n")

        try:
            s = Session(argv, env, tmp)
            s.expect("xvirsh # ", "first prompt")
            s.send("domst\t")
            s.expect("domstate ", "completing a command name")
            s.send("test --rea\t")
            s.expect("--reason ", "completing an option name")
            s.send("\r")
            s.expect("running (unknown)", "running the completed command")
            s.expect("xvirsh # ", "prompt after a command")
            s.send("dominfo --domain te\t")
            s.expect("--domain test ", "completing a domain name")
            s.send("\r")
            s.expect("Name:           test", "running dominfo on the completed name")
            s.expect("xvirsh # ", "prompt after dominfo")
            s.send("define dom\t")
            s.expect("dom1.xml ", "completing a file name")
            s.send("\r")
            s.expect("Domain 'dom1' defined from dom1.xml", "defining from the completed file")
            s.expect("xvirsh # ", "prompt after define")
            s.send("suspend test; list --al\t\r")
            s.expect("paused", "completion after ';' and a second command")
            s.expect("xvirsh # ", "prompt after the second command")
            s.send("quit\r")
            status = s.wait()
            if status != 0:
                raise AssertionError(f"exit status {status} after quit, expected 0")
            print("ok completion of command, option, domain and file names")

            with open(history, encoding="utf-8") as f:
                lines = f.read().splitlines()
            want = ["domstate test --reason ", "dominfo --domain test ", "define dom1.xml ",
                    "suspend test; list --all ", "quit"]
            if lines[-5:] != want:
                raise AssertionError(f"history file {history} holds {lines!r}, expected {want!r}")
            print("ok history written to $XDG_CACHE_HOME/xvirsh/history")

            # a new session recalls the previous one's lines (Ctrl-P: previous)
            s = Session(argv + ["-r"], env, tmp)
            s.expect("xvirsh > ", "read-only prompt of the second session")
            s.send("\x10\x10\x10\x10\x10\r")
            s.expect("running (unknown)", "recalling a line from the previous session")
            s.expect("xvirsh > ", "prompt after the recalled command")
            s.send("\x04")  # end of input
            status = s.wait()
            if status != 0:
                raise AssertionError(f"exit status {status} at end of input, expected 0")
            print("ok history read back by the next session")
        except AssertionError as e:
            print(f"FAIL {e}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
