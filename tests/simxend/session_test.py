#!/usr/bin/env python3
"""session_test.py: one xensim host, one scripted session, one golden file.

The script (tests/simxenddata/*.session) has one step a line:
  xvirsh ARGS...     run xvirsh -c xen:///?root=ROOT ARGS (shell-split)
  hvclient           run the hypercall client on ROOT
  control CMD        a command on xensim's control socket (shown)
  stats              xensim's counters (shown)
  unlink PATH        remove ROOT/PATH (e.g. take xend's socket away)
  write PATH TEXT    replace ROOT/PATH's content with TEXT (garble a file)
  ls PATH            the names in directory ROOT/PATH, sorted (shown)
  xenstore-write P V Debian's xenstore-write (also -read, -rm) on xensim's
                     xenstored (a client that is neither the driver nor xensim)
  sleep S
  restart-host       stop xensim and start it again on the same root
@ROOT@ and @DATA@ in arguments are the host root and tests/simxenddata.
Output: each step, its stdout, stderr and exit status, with the root path,
times and run-dependent uuids normalised."""
import argparse
import os
import re
import shlex
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simtest  # noqa: E402


def run(cmd, env):
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
    out = res.stdout
    if res.stderr:
        out += "[stderr] " + res.stderr
    if res.returncode:
        out += "[exit %d]\n" % res.returncode
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xensim", required=True)
    ap.add_argument("--xvirsh", required=True)
    ap.add_argument("--hvclient", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--domains", type=int, default=1)
    ap.add_argument("session")
    ap.add_argument("golden")
    args = ap.parse_args()
    data = os.path.dirname(os.path.abspath(args.session))
    sim = simtest.Xensim(args.xensim, args.version, args.domains)
    env = dict(os.environ)
    env.pop("XENVIRT_XEN_ROOT", None)
    out = []
    try:
        uri = "xen:///?root=" + sim.root
        for line in open(args.session):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            words = [w.replace("@ROOT@", sim.root).replace("@DATA@", data)
                     for w in shlex.split(line)]
            out.append("$ %s\n" % line)
            if words[0] == "xvirsh":
                out.append(run([args.xvirsh, "-c", uri] + words[1:], env))
            elif words[0] == "hvclient":
                out.append(run([args.hvclient, sim.root], env))
            elif words[0] == "control":
                out.append(sim.control(" ".join(words[1:])))
            elif words[0] == "stats":
                st = sim.stats()
                out.append("".join("%s %d\n" % kv for kv in sorted(st.items())
                                   if kv[0] != "xenstore-connections"))
            elif words[0] in ("xenstore-write", "xenstore-read", "xenstore-rm"):
                xenv = dict(env)
                xenv["XENSTORED_PATH"] = os.path.join(sim.root, "var/run/xenstored/socket")
                xenv.pop("XENSTORED_RUNDIR", None)
                out.append(run(["/usr/bin/" + words[0]] + words[1:], xenv))
            elif words[0] == "unlink":
                os.unlink(os.path.join(sim.root, words[1]))
            elif words[0] == "write":
                with open(os.path.join(sim.root, words[1]), "w") as f:
                    f.write(" ".join(words[2:]))
            elif words[0] == "ls":
                out.append("".join(n + "\n" for n in sorted(os.listdir(os.path.join(sim.root, words[1])))))
            elif words[0] == "restart-host":
                sim.restart()
            elif words[0] == "sleep":
                time.sleep(float(words[1]))
            else:
                raise SystemExit("unknown step: %s" % line)
    finally:
        sim.stop()
    text = simtest.normalize("".join(out).replace(sim.root, "ROOT").replace(data, "DATA"))
    return simtest.compare(text, args.golden)


if __name__ == "__main__":
    sys.exit(main())
