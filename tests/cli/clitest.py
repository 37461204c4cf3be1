#!/usr/bin/env python3
"""Golden-file tests of xvirsh, run the way a user runs it.

Each case is tests/clidata/NAME.cmd; its expectation is NAME.out.

NAME.cmd:
    # comment lines
    @env NAME=VALUE          (optional, repeatable) extra environment
    @mask REGEX => TEXT      (optional, repeatable) per-line substitution
                             applied to the output before comparing, for
                             values the test driver derives from the clock
    @hostname                replace lines equal to this host's name
    ARGS                     one line: xvirsh's arguments, shell-quoted
    --- stdin                (optional) the rest is fed to stdin, e.g. an
                             interactive session script

NAME.out holds stdout, stderr and the exit status in three sections.
xvirsh runs in tests/clidata (so XML files are named relative to it) with
a clean environment: no default-URI variables, HOME and XDG_CACHE_HOME in
a temporary directory, LC_ALL=C.  "CPU time:" values are always masked:
the test driver computes them from the clock.

XENVIRT_TEST_REGENERATE=1 rewrites NAME.out from the actual output;
review the diff before committing.  Usage:
    clitest.py --xvirsh PATH --data DIR NAME
    clitest.py --list DIR
"""

import argparse
import difflib
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile

TIMEOUT = 60
ALWAYS_MASKED = [(re.compile(r"^(CPU time:\s+)\d+\.\ds$", re.M), r"\1<cpu-time>")]


def parse_case(path):
    env = {}
    masks = list(ALWAYS_MASKED)
    hostname = False
    args = None
    stdin = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines):
        if args is not None:
            if line == "--- stdin":
                stdin = "\n".join(lines[i + 1:])
                break
            if line.strip():
                raise SystemExit(f"{path}:{i + 1}: unexpected line after the arguments: {line!r}")
            continue
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@env "):
            name, sep, value = line[5:].partition("=")
            if not sep:
                raise SystemExit(f"{path}:{i + 1}: expected @env NAME=VALUE")
            env[name.strip()] = value
        elif line.startswith("@mask "):
            regex, sep, repl = line[6:].partition(" => ")
            if not sep:
                raise SystemExit(f"{path}:{i + 1}: expected @mask REGEX => TEXT")
            masks.append((re.compile(regex, re.M), repl))
        elif line.strip() == "@hostname":
            hostname = True
        elif line.startswith("@"):
            raise SystemExit(f"{path}:{i + 1}: unknown directive {line.split()[0]}")
        else:
            args = shlex.split(line)
    if args is None:
        raise SystemExit(f"{path}: no argument line")
    if hostname:
        masks.append((re.compile("^" + re.escape(socket.gethostname()) + "$", re.M), "<hostname>"))
    return env, masks, args, stdin


def render(stdout, stderr, status):
    def section(name, text):
        if text and not text.endswith("\n"):
            text += "\n\\ no newline at end\n"
        return f"--- {name}\n{text}"
    return section("stdout", stdout) + section("stderr", stderr) + f"--- exit {status}\n"


def run_case(xvirsh, datadir, name):
    env_extra, masks, args, stdin = parse_case(os.path.join(datadir, name + ".cmd"))
    with tempfile.TemporaryDirectory(prefix="xvirsh-cli-") as tmp:
        env = {k: v for k, v in os.environ.items()
               if k not in ("XENVIRT_DEFAULT_URI", "VIRSH_DEFAULT_CONNECT_URI",
                            "LIBVIRT_DEFAULT_URI", "XVIRSH_DEBUG")}
        env.update({"HOME": tmp, "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
                    "LC_ALL": "C", "TERM": "dumb"})
        env.update(env_extra)
        try:
            proc = subprocess.run([xvirsh] + args, cwd=datadir, env=env,
                                  input=(stdin if stdin is not None else ""),
                                  capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            print(f"FAIL {name}: xvirsh did not finish within {TIMEOUT}s")
            return 1
    stdout, stderr = proc.stdout, proc.stderr
    for regex, repl in masks:
        stdout = regex.sub(repl, stdout)
        stderr = regex.sub(repl, stderr)
    if proc.returncode < 0:
        print(f"FAIL {name}: xvirsh died of signal {-proc.returncode}")
        print(stderr)
        return 1
    actual = render(stdout, stderr, proc.returncode)

    outpath = os.path.join(datadir, name + ".out")
    if os.environ.get("XENVIRT_TEST_REGENERATE") == "1":
        with open(outpath, "w", encoding="utf-8") as f:
            f.write(actual)
        print(f"regenerated {outpath}")
        return 0
    try:
        with open(outpath, encoding="utf-8") as f:
            expected = f.read()
    except FileNotFoundError:
        print(f"FAIL {name}: {outpath} does not exist (run with XENVIRT_TEST_REGENERATE=1)")
        print(actual)
        return 1
    if expected == actual:
        print(f"ok {name}: xvirsh {shlex.join(args)}")
        return 0
    print(f"FAIL {name}: xvirsh {shlex.join(args)}")
    sys.stdout.writelines(difflib.unified_diff(
        expected.splitlines(True), actual.splitlines(True),
        fromfile=f"{name}.out (expected)", tofile=f"{name} (actual)"))
    return 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xvirsh")
    ap.add_argument("--data")
    ap.add_argument("--list", metavar="DIR")
    ap.add_argument("name", nargs="?")
    opts = ap.parse_args()
    if opts.list:
        for f in sorted(os.listdir(opts.list)):
            if f.endswith(".cmd"):
                print(f[:-4])
        return 0
    if not (opts.xvirsh and opts.data and opts.name):
        ap.error("--xvirsh, --data and a case name are required")
    return run_case(os.path.abspath(opts.xvirsh), os.path.abspath(opts.data), opts.name)


if __name__ == "__main__":
    sys.exit(main())
