#!/usr/bin/python3
"""pyxs_client.py: python3-pyxs (0.4.2, Debian) used as an ordinary client
of the xenstored at $XENSTORED_PATH.  Prints what each call returns or the
error it raises; run by clients_test.py against xensim (tests/simdata/
clients/pyxs.cmds), where the printout is compared with golden output.

pyxs checks every reply's req_id and tx_id and drops the connection on a
mismatch, so merely getting through this script says the daemon frames
and echoes correctly.
"""

import errno
import os
import sys

from pyxs import Client, PyXSError

# Privileged calls (introduce/release) are only sent when pyxs thinks it
# runs in dom0 (it looks at /proc/xen/capabilities); over the socket we are.
Client.SU = True


def show(label, fn, *args):
    try:
        res = fn(*args)
    except PyXSError as e:
        code = e.args[0] if e.args else None
        name = errno.errorcode.get(code, str(code)) if isinstance(code, int) else str(code)
        print("%-40s error %s" % (label, name))
        return None
    except ValueError:
        # pyxs checks arguments before sending (7-bit only, path syntax)
        print("%-40s refused by pyxs itself" % label)
        return None
    if isinstance(res, list):
        res = sorted(res) if label.startswith("list-sorted") else res
    print("%-40s %r" % (label, res))
    return res


def main():
    path = os.environ["XENSTORED_PATH"]
    with Client(unix_socket_path=path) as c:
        show("read name of dom0", c.read, b"/local/domain/0/name")
        show("read name of vm1", c.read, b"/local/domain/1/name")
        show("read missing (default)", c.read, b"/nope", b"dflt")
        show("read missing", c.read, b"/nope")
        show("write", c.write, b"/pyxs/a", b"value-a")
        show("read back", c.read, b"/pyxs/a")
        show("write 8-bit", c.write, b"/pyxs/bin", b"\x00\x01\xff")
        show("write control chars", c.write, b"/pyxs/ctl", b"a\tb\x00c")
        show("read control chars", c.read, b"/pyxs/ctl")
        show("mkdir", c.mkdir, b"/pyxs/dir/sub")
        show("list", c.list, b"/pyxs")
        show("list domains", c.list, b"/local/domain")
        show("exists yes", c.exists, b"/pyxs/dir")
        show("exists no", c.exists, b"/pyxs/none")
        show("get_perms", c.get_perms, b"/local/domain/1")
        show("set_perms", c.set_perms, b"/pyxs/a", [b"n1", b"r0"])
        show("get_perms after", c.get_perms, b"/pyxs/a")
        show("set_perms unknown owner", c.set_perms, b"/pyxs/a", [b"n77"])
        show("walk", lambda p: list(c.walk(p)), b"/pyxs")
        show("get_domain_path", c.get_domain_path, 2)
        show("is_domain_introduced 1", c.is_domain_introduced, 1)
        show("is_domain_introduced 9", c.is_domain_introduced, 9)
        show("delete", c.delete, b"/pyxs/dir")
        show("list after delete", c.list, b"/pyxs")

        # a transaction, committed
        show("transaction", c.transaction)
        show("tx write", c.write, b"/pyxs/tx", b"in-tx")
        show("tx read", c.read, b"/pyxs/tx")
        show("commit", c.commit)
        show("read committed", c.read, b"/pyxs/tx")

        # a transaction that conflicts with another client's write
        with Client(unix_socket_path=path) as other:
            show("transaction", c.transaction)
            show("tx read", c.read, b"/pyxs/a")
            show("other client writes", other.write, b"/pyxs/a", b"changed")
            show("tx write", c.write, b"/pyxs/a", b"mine")
            show("commit (conflict)", c.commit)
            show("read after conflict", c.read, b"/pyxs/a")
        show("transaction", c.transaction)
        show("tx write", c.write, b"/pyxs/rolled", b"x")
        show("rollback", c.rollback)
        show("exists rolled back", c.exists, b"/pyxs/rolled")

        # watches, including the immediate first event and domain events
        with c.monitor() as m:
            show("watch /pyxs", m.watch, b"/pyxs", b"tok")
            show("watch @introduceDomain", m.watch, b"@introduceDomain", b"intro")
            show("watch @releaseDomain", m.watch, b"@releaseDomain", b"rel")
            with Client(unix_socket_path=path) as other:
                other.write(b"/pyxs/a/b", b"1")
                other.delete(b"/pyxs/a")
                other.introduce_domain(7, 12345, 9)
                other.release_domain(7)
            events = m.wait()
            for _ in range(7):
                ev = next(events)
                print("%-40s %r" % ("event", tuple(ev)))
            show("unwatch", m.unwatch, b"/pyxs", b"tok")
        show("release unknown", c.release_domain, 7)
        show("delete all", c.delete, b"/pyxs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
