#!/usr/bin/env python3
"""Differential test: xvirsh against the real virsh (libvirt 9.0).

Every non-comment line of the list file is one xvirsh/virsh argument list
(shell-quoted; a single quoted argument may hold several commands joined by
';'; @DATA@ stands for the list's directory, tests/clidata).  Both programs run it against test:///default in a fresh process,
so commands that change a domain cannot affect the next line.  stdout,
stderr and the exit status must match after the normalisations below;
each one exists because the two *drivers* legitimately differ, never to
hide a difference in the command-line tool itself:

  cpu-time    "CPU time:" values: both test drivers derive CPU time from
              the clock.
  security    dominfo's "Security model/DOI/label" lines: xenvirt has no
              virNodeGetSecurityModel, and virsh prints no such lines for a
              driver without it.
  managedsave dominfo's "Managed save:" value: xenvirt has no managed save
              API, so xvirsh prints "unknown" as virsh does for such drivers.
  pcpu        vcpuinfo's "CPU:" value: which host CPU a vcpu last ran on.
  cpumap      affinity maps and lists: virsh sizes them with
              virNodeGetCPUMap (8 CPUs in libvirt's test driver), xvirsh
              with virNodeGetInfo's CPU count (16), as xenvirt has no
              virNodeGetCPUMap; also the "maxcpu N" of the range error.
  counters    domblkstat/domifstat values: libvirt's test driver makes
              them from the wall clock, xenvirt's from the domain's CPU
              time.
  address     dumpxml's <address> lines: libvirt's test driver assigns PCI
              addresses, a Xen domain has none; an element left empty by
              their removal is written <x/> as both formatters do.
  notfound    the "error: Domain not found: ..." line xvirsh prints after
              "error: failed to get domain 'x'": xvirsh keeps the library's
              reason on purpose (virsh 9.0 drops it).
  name        in interactive sessions, the program's name in the welcome
              line and the prompt ("virsh # " vs "xvirsh # ").

With --session FILE, the file is also piped as an interactive session to
both programs (plain, -q and -r), and the transcripts compared the same way.

Exit status 77 (skip) when virsh is not installed or cannot open
test:///default.
"""

import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys

URI = "test:///default"
TIMEOUT = 60

STATS_FIELDS = "rd_req|rd_bytes|wr_req|wr_bytes|errs|rx_bytes|rx_packets|rx_errs|rx_drop|" \
               "tx_bytes|tx_packets|tx_errs|tx_drop"

# (name, applies to, regex, replacement); "both" or "xvirsh"
RULES = [
    ("cpu-time", "both", r"^(CPU time:\s+)\d+\.\ds$", r"\1<cpu-time>"),
    ("security", "both", r"^Security (model|DOI|label):.*\n", ""),
    ("managedsave", "both", r"^(Managed save:\s+)\S+$", r"\1<managed-save>"),
    ("pcpu", "both", r"^(CPU:\s+)\d+$", r"\1<pcpu>"),
    ("cpumap", "both", r"^(CPU Affinity:\s+)[y-]+$", r"\1<cpumap>"),
    ("cpumap", "both", r"^(CPU Affinity:\s+)[0-9,-]* \(out of \d+\)$", r"\1<cpulist>"),
    ("cpumap", "both", r"^( \d+ +)[0-9,-]+$", r"\1<cpulist>"),
    ("cpumap", "both", r"(in cpulist '[^']*' exceed the maxcpu )\d+$", r"\1<n>"),
    ("counters", "both", r"^(\S* (?:" + STATS_FIELDS + r")) -?\d+$", r"\1 <n>"),
    ("counters", "both", r"^( (?:number of [a-z ]+|error count):\s+)-?\d+$", r"\1<n>"),
    ("address", "both", r"^ *<address [^>]*/>\n", ""),
    ("address", "both", r"<(\w+)([^<>]*)>\n\s*</\1>", r"<\1\2/>"),
    ("name", "virsh", r"^Welcome to virsh,", "Welcome to xvirsh,"),
    ("name", "virsh", r"^virsh ([#>]) ", r"xvirsh \1 "),
    ("notfound", "xvirsh", r"^(error: failed to get domain .*\n)error: Domain not found: .*\n",
     r"\1"),
]
COMPILED = [(name, who, re.compile(rx, re.M), repl) for name, who, rx, repl in RULES]


def normalise(text, who):
    for _name, applies, rx, repl in COMPILED:
        if applies in ("both", who):
            text = rx.sub(repl, text)
    return text


def run(prog, args, env, stdin=None):
    proc = subprocess.run([prog, "-c", URI] + args, env=env,
                          stdin=None if stdin is not None else subprocess.DEVNULL,
                          input=stdin, capture_output=True, text=True, timeout=TIMEOUT)
    return proc


def render(proc, who):
    # stderr and stdout are compared as separate sections
    return (f"--- stdout\n{normalise(proc.stdout, who)}--- stderr\n"
            f"{normalise(proc.stderr, who)}--- exit {proc.returncode}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xvirsh", required=True)
    ap.add_argument("--list", required=True)
    ap.add_argument("--virsh", default=shutil.which("virsh"))
    ap.add_argument("--session", help="a script to run as an interactive session")
    opts = ap.parse_args()

    if not opts.virsh:
        print("SKIP: virsh (libvirt-clients) is not installed; nothing to compare against")
        return 77

    env = {k: v for k, v in os.environ.items()
           if k not in ("XENVIRT_DEFAULT_URI", "VIRSH_DEFAULT_CONNECT_URI",
                        "LIBVIRT_DEFAULT_URI", "XVIRSH_DEBUG")}
    env["LC_ALL"] = "C.UTF-8"  # virsh escapes non-ASCII names in the C locale
    probe = run(opts.virsh, ["uri"], env)
    if probe.returncode != 0:
        print(f"SKIP: {opts.virsh} cannot open {URI}: {probe.stderr.strip()}")
        return 77

    with open(opts.list, encoding="utf-8") as f:
        lines = [(n + 1, l.strip()) for n, l in enumerate(f)
                 if l.strip() and not l.lstrip().startswith("#")]

    # @DATA@ names the directory of the list, where the XML files are
    datadir = os.path.dirname(os.path.abspath(opts.list))
    runs = [(f"{os.path.basename(opts.list)}:{lineno}",
             [a.replace("@DATA@", datadir) for a in shlex.split(line)], None)
            for lineno, line in lines]
    if opts.session:
        with open(opts.session, encoding="utf-8") as f:
            script = f.read()
        name = os.path.basename(opts.session)
        runs += [(name, [], script), (name, ["-q"], script), (name, ["-r"], script)]

    failures = 0
    for where, args, stdin in runs:
        label = shlex.join(args) + (f" < {where}" if stdin is not None else "")
        expected = render(run(opts.virsh, args, env, stdin), "virsh")
        actual = render(run(os.path.abspath(opts.xvirsh), args, env, stdin), "xvirsh")
        if expected == actual:
            print(f"ok   {label}")
            continue
        failures += 1
        print(f"FAIL {label}  ({where})")
        sys.stdout.writelines(difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True),
            fromfile="virsh (normalised)", tofile="xvirsh (normalised)"))
    print(f"{len(runs) - failures}/{len(runs)} runs behave alike")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
