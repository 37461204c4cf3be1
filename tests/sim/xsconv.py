#!/usr/bin/python3
"""xsconv.py: play a scripted raw XenStore conversation against a daemon's
UNIX socket and print a transcript of everything sent and received.

It is the instrument of the differential test (issue 8 item 1): the same
script is played against the real C xenstored 4.17 (real-xenstored) and
against xensim's xenstored, and the transcripts must be identical.  It knows
nothing about either daemon; it never interprets replies beyond framing, so
a difference in any byte of any header or payload shows up in the text.

Script syntax, one step per line ('#' starts a comment line):
  CONN TYPE [req=N] [tx=N] [len=N] PAYLOAD...
      CONN is a name (A, B, ...; a connection is opened on first use, on
      --ro-socket if the name starts with RO), TYPE
      a message type name (READ, WRITE, ...) or a number.  PAYLOAD is zero
      or more parts, each "C-string" or "C-string"*COUNT, concatenated; \\0
      \\n \\t \\\\ \\" \\xNN escapes.  len= overrides the header length (the
      payload is still sent as given).  The step waits for the reply (same
      req_id, request type or ERROR), collecting any WATCH_EVENTs.
  CONN raw PAYLOAD...      send bytes as they are; wait briefly for output
  CONN close               close the connection
  repeat N STEP            run STEP N times; %d in its payload is replaced
                           by 0..N-1 and repeated identical output lines
                           are folded into one "[xN]" line.
  domctl LINE              write LINE to the daemon's domain-control FIFO
                           (--domctl), to simulate guest life cycle.
With --relative-generations, DIRECTORY_PART generations print as G+N
relative to the first one seen (see Runner.show).
Transcript: 'A> ' lines are requests, 'A< ' replies/events, 'A< EOF' when
the daemon closed the connection.  Runs of 8 or more equal bytes print as
{c*N}.
"""

import argparse
import os
import re
import select
import socket
import struct
import sys
import time

TYPES = ["CONTROL", "DIRECTORY", "READ", "GET_PERMS", "WATCH", "UNWATCH",
         "TRANSACTION_START", "TRANSACTION_END", "INTRODUCE", "RELEASE",
         "GET_DOMAIN_PATH", "WRITE", "MKDIR", "RM", "SET_PERMS",
         "WATCH_EVENT", "ERROR", "IS_DOMAIN_INTRODUCED", "RESUME",
         "SET_TARGET", "RESTRICT", "RESET_WATCHES", "DIRECTORY_PART"]
XS_WATCH_EVENT = 15
XS_ERROR = 16
HDR = struct.Struct("=IIII")   # native order, as the daemon sends it

REPLY_TIMEOUT = 5.0     # a missing reply is reported, never waited on forever
SYNC_REQ = 0x73796e63   # req_id of settle()'s unprinted sync requests
EVENT_SETTLE = 0.05     # quiet time after which a watcher has no more events


def type_name(t):
    if t < len(TYPES):
        return TYPES[t]
    return str(t)


def escape(data):
    out = []
    i = 0
    while i < len(data):
        b = data[i]
        j = i
        while j < len(data) and data[j] == b:
            j += 1
        if j - i >= 8:
            out.append("{%s*%d}" % (escape(bytes([b])), j - i))
            i = j
            continue
        if b == 0:
            out.append("\\0")
        elif b == 0x5c:
            out.append("\\\\")
        elif b == 0x22:
            out.append('\\"')
        elif b == 0x0a:
            out.append("\\n")
        elif b == 0x09:
            out.append("\\t")
        elif 0x20 <= b < 0x7f:
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
        i += 1
    return "".join(out)


PART_RE = re.compile(r'"((?:[^"\\]|\\.)*)"(?:\*(\d+))?')


def unescape(s, where):
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        n = s[i + 1:i + 2]
        if n == "0":
            out.append(0)
        elif n == "n":
            out.append(10)
        elif n == "t":
            out.append(9)
        elif n in ("\\", '"'):
            out += n.encode()
        elif n == "x":
            out.append(int(s[i + 2:i + 4], 16))
            i += 2
        else:
            raise SystemExit("%s: bad escape \\%s" % (where, n))
        i += 2
    return bytes(out)


def parse_payload(text, where, index):
    data = b""
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = PART_RE.match(text, pos)
        if not m:
            raise SystemExit("%s: cannot parse payload at %r" % (where, text[pos:]))
        part = unescape(m.group(1).replace("%d", str(index)), where)
        data += part * (int(m.group(2)) if m.group(2) else 1)
        pos = m.end()
        while pos < len(text) and text[pos] in " +":
            pos += 1
    return data


class Conn:
    def __init__(self, name, path):
        self.name = name
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = b""
        self.eof = False
        self.watching = False

    def fill(self, timeout):
        """Read what arrives within timeout; False if nothing came."""
        if self.eof:
            return False
        r, _, _ = select.select([self.sock], [], [], timeout)
        if not r:
            return False
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.eof = True
            return True
        self.buf += chunk
        return True

    def next_msg(self):
        if len(self.buf) < HDR.size:
            return None
        t, rid, tx, ln = HDR.unpack(self.buf[:HDR.size])
        if len(self.buf) < HDR.size + ln:
            return None
        payload = self.buf[HDR.size:HDR.size + ln]
        self.buf = self.buf[HDR.size + ln:]
        return t, rid, tx, payload


class Runner:
    def __init__(self, path, domctl, out, relgen=False, ro_path=None):
        self.ro_path = ro_path
        self.relgen = relgen
        self.gen_base = None
        self.path = path
        self.domctl = domctl
        self.conns = {}
        self.lines = []
        self.out = out

    def conn(self, name):
        if name not in self.conns or self.conns[name] is None:
            path = self.path
            if name.startswith("RO"):
                if not self.ro_path:
                    raise SystemExit("connection %s needs --ro-socket" % name)
                path = self.ro_path
            self.conns[name] = Conn(name, path)
        return self.conns[name]

    def show(self, c, msg):
        t, rid, tx, payload = msg
        shown_len = "%d" % len(payload)
        if t == TYPES.index("DIRECTORY_PART") and self.relgen:
            # The generation counts every node write since the daemon
            # started, so its absolute value depends on the initial tree;
            # print it relative to the first one seen (digits excluded
            # from len), which both daemons must then agree on.
            gen, _, rest = payload.partition(b"\0")
            if self.gen_base is None:
                self.gen_base = int(gen)
            payload = b"G%+d\0" % (int(gen) - self.gen_base) + rest
            shown_len = "gen+%d" % (len(rest) + 1)
        self.lines.append('%s< %s req=%d tx=%d len=%s "%s"' % (
            c.name, type_name(t), rid, tx, shown_len, escape(payload)))

    def drain(self, c, want=None, timeout=REPLY_TIMEOUT):
        """Print messages of c; with want=(type, req), stop after that reply."""
        deadline = time.monotonic() + timeout
        while True:
            msg = c.next_msg()
            if msg:
                self.show(c, msg)
                if want and msg[1] == want[1] and msg[0] in (want[0], XS_ERROR):
                    return
                continue
            if c.eof:
                if c.buf:
                    self.lines.append("%s< PARTIAL %s" % (c.name, escape(c.buf)))
                    c.buf = b""
                self.lines.append("%s< EOF" % c.name)
                self.conns[c.name] = None
                return
            left = deadline - time.monotonic()
            if want is None:
                left = min(left, EVENT_SETTLE)
            if left <= 0 or not c.fill(left):
                if want:
                    self.lines.append("%s< TIMEOUT" % c.name)
                return

    def sync(self, c):
        """Print what c has been sent so far.  A daemon queues the events a
        request causes before it answers that request, and answers each
        connection in order; so once c's answer to a harmless request sent
        now (GET_DOMAIN_PATH, not printed) arrives, every earlier event for
        c has arrived before it.  No guessing with timeouts."""
        try:
            c.sock.sendall(HDR.pack(TYPES.index("GET_DOMAIN_PATH"), SYNC_REQ, 0, 2) + b"0\0")
        except (BrokenPipeError, ConnectionResetError):
            pass
        deadline = time.monotonic() + REPLY_TIMEOUT
        while True:
            msg = c.next_msg()
            if msg:
                if msg[1] == SYNC_REQ and msg[0] != XS_WATCH_EVENT:
                    return
                self.show(c, msg)
                continue
            if c.eof:
                self.drain(c)
                return
            left = deadline - time.monotonic()
            if left <= 0 or not c.fill(left):
                self.lines.append("%s< TIMEOUT" % c.name)
                return

    def settle(self, acting, raw=False):
        for c in list(self.conns.values()):
            # Only watchers get unsolicited messages; the acting one has
            # its reply already (its own events came before it).
            if c is None or not c.watching or c.eof:
                continue
            if raw and c is acting:
                self.drain(c)    # may hold half a request: no sync
            else:
                self.sync(c)

    def step(self, words, rest, where, index):
        name = words[0]
        if name == "domctl":
            if not self.domctl:
                raise SystemExit("%s: domctl needs --domctl" % where)
            with open(self.domctl, "w") as f:
                f.write(rest + "\n")
            self.lines.append("domctl %s" % rest)
            time.sleep(0.1)
            self.settle(None)
            return
        op = words[1]
        c = self.conn(name)
        if op == "close":
            c.sock.close()
            self.conns[name] = None
            self.lines.append("%s> close" % name)
            return
        if op == "raw":
            data = parse_payload(rest, where, index)
            self.lines.append('%s> raw "%s"' % (name, escape(data)))
            c.sock.sendall(data)
            time.sleep(0.1)
            # No single reply to wait for: take what comes.
            self.drain(c)
            self.settle(c, raw=True)
            return
        if op in TYPES:
            t = TYPES.index(op)
        elif op == "DEBUG":             # the pre-4.9 name of CONTROL
            t = 0
        elif re.match(r"^(0x)?[0-9a-fA-F]+$", op):
            t = int(op, 0)
        else:
            raise SystemExit("%s: unknown message type %r" % (where, op))
        opts = {"req": 0, "tx": 0, "len": None}
        while rest and re.match(r"(req|tx|len)=", rest):
            kv, _, rest = rest.partition(" ")
            k, v = kv.split("=")
            opts[k] = int(v, 0)
        data = parse_payload(rest, where, index)
        ln = len(data) if opts["len"] is None else opts["len"]
        self.lines.append('%s> %s req=%d tx=%d len=%d "%s"' % (
            name, type_name(t), opts["req"], opts["tx"], ln, escape(data)))
        if t == TYPES.index("WATCH"):
            c.watching = True
        try:
            c.sock.sendall(HDR.pack(t, opts["req"], opts["tx"], ln) + data)
        except (BrokenPipeError, ConnectionResetError):
            self.lines.append("%s< EOF" % name)
            self.conns[name] = None
            return
        self.drain(c, (t, opts["req"]))
        self.settle(c)

    def run(self, script):
        for lineno, line in enumerate(open(script), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            where = "%s:%d" % (script, lineno)
            count = 1
            if line.startswith("repeat "):
                _, n, line = line.split(" ", 2)
                count = int(n)
            start = len(self.lines)
            for i in range(count):
                words = line.split(None, 2)
                rest = words[2] if len(words) > 2 else ""
                if words[0] == "domctl":
                    rest = line.split(None, 1)[1]
                self.step(words, rest, where, i)
            if count > 1:
                self.fold(start)
        text = "\n".join(self.lines) + "\n"
        self.out.write(text)

    def fold(self, start):
        folded = []
        for line in self.lines[start:]:
            if folded and folded[-1][0] == line:
                folded[-1][1] += 1
            else:
                folded.append([line, 1])
        self.lines[start:] = [l if n == 1 else "%s [x%d]" % (l, n) for l, n in folded]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--socket", required=True)
    ap.add_argument("--domctl")
    ap.add_argument("--ro-socket", help="socket for connections named RO...")
    ap.add_argument("--relative-generations", action="store_true",
                    help="print DIRECTORY_PART generations relative to the first")
    ap.add_argument("script")
    args = ap.parse_args()
    Runner(args.socket, args.domctl, sys.stdout,
           args.relative_generations, args.ro_socket).run(args.script)


if __name__ == "__main__":
    main()
