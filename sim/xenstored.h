/*
 * xenstored.h: xensim's XenStore daemon, an in-memory store that speaks
 * the binary wire protocol on UNIX sockets the way Xen 4.17's C xenstored
 * does for dom0 socket clients (the reference every reply is checked
 * against, see tests/sim/).
 *
 * The daemon owns the node tree, connections, watches and transactions.
 * It knows nothing of how domains come to exist: the host (sim/host.c)
 * tells it through the functions below, which act as the toolstack in
 * dom0 would (privileged, firing watches like any client's writes), and
 * answers "does domain D exist?" through a callback, as the real daemon
 * asks the hypervisor.  It runs on the caller's GLib main context.
 */
#pragma once

#include <glib.h>

#include "util/xs_wire.h"

typedef struct _XsDaemon XsDaemon;

/* Does the hypervisor know domain domid?  (SET_PERMS owners must exist.) */
typedef gboolean (*XsDomainExistsFunc)(guint32 domid, gpointer opaque);

/* A daemon speaking Xen 4.17's protocol, with the tree xenstored makes
 * itself (/tool/xenstored). */
XsDaemon *xsDaemonNew(XsDomainExistsFunc exists, gpointer opaque);
/* Answer as the xenstored of Xen "MAJOR.MINOR[.x]" did: message types
 * added later (RESUME 3.1, SET_TARGET 3.3, RESET_WATCHES 4.2,
 * DIRECTORY_PART 4.9) get ENOSYS.  FALSE if version does not parse. */
gboolean xsDaemonSetXenVersion(XsDaemon *xsd, const char *version);
void xsDaemonFree(XsDaemon *xsd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XsDaemon, xsDaemonFree)

/* Bind and listen on a UNIX socket (mode 0600, as xenstored).  readonly:
 * the pre-4.15 "socket_ro" whose connections may not modify anything
 * (EACCES).  A stale socket file nobody answers on is replaced; a live
 * one is an error. */
gboolean xsDaemonListen(XsDaemon *xsd, const char *path, gboolean readonly,
                        GError **error);

/* Toolstack-side operations (privileged dom0, outside any transaction).
 * Each returns 0 or an errno value, exactly what a client would get. */
int xsDaemonWrite(XsDaemon *xsd, const char *path, const char *value);
int xsDaemonMkdir(XsDaemon *xsd, const char *path);
int xsDaemonRm(XsDaemon *xsd, const char *path);
/* perms: "n0 r5" style, blank separated. */
int xsDaemonSetPerms(XsDaemon *xsd, const char *path, const char *perms);
/* Mark a domain introduced / released, firing @introduceDomain or
 * @releaseDomain as the real daemon does. */
int xsDaemonIntroduce(XsDaemon *xsd, guint32 domid);
/* The domain is gone from the hypervisor: forgotten whatever references
 * it holds, its nodes removed, @releaseDomain fired. */
int xsDaemonRelease(XsDaemon *xsd, guint32 domid);
/* The hypervisor reports the domain shut down: @releaseDomain fires once
 * (the domain stays introduced until it is gone). */
int xsDaemonDomainShutdown(XsDaemon *xsd, guint32 domid);

/* Domains outside the host's own guests, driven by the same line protocol
 * as the real daemon's test shim ("create D", "shutdown D", "destroy D";
 * see run/xensim/domctl in sim/README.md): xsDaemonDomctl changes the
 * hypervisor's view (EINVAL for dom0, the host's guests or an unknown
 * command), xsDaemonCheckDomains then does what xenstored does on
 * VIRQ_DOM_EXC: introduced domains that are gone are forgotten (their
 * nodes removed), newly shut-down ones noted, and @releaseDomain fires
 * once if anything changed. */
int xsDaemonDomctl(XsDaemon *xsd, const char *cmd, guint32 domid);
void xsDaemonCheckDomains(XsDaemon *xsd);

/* Fault injection, for tests of clients' failure paths.  Reply numbers
 * count per connection from 1 (watch events are not replies). */
typedef struct {
    guint delayMs;            /* hold every reply and event this long */
    guint cutHeaderAt;        /* reply N: 8 bytes of its header, then close */
    guint truncateAt;         /* reply N: header, half its payload, close */
    guint oversizeAt;         /* reply N: a header announcing 4097 bytes, close */
} XsFaults;

void xsDaemonSetFaults(XsDaemon *xsd, const XsFaults *faults);

/* Restart: every client connection is dropped and the sockets are bound
 * anew; the data stays (as across 4.17's live update). */
gboolean xsDaemonRestart(XsDaemon *xsd, GError **error);

/* Number of live client connections (tests and fault injection). */
guint xsDaemonConnectionCount(XsDaemon *xsd);
/* Messages received from all clients (the in-process guest agent's too). */
guint64 xsDaemonRequestCount(XsDaemon *xsd);
void xsDaemonResetRequestCount(XsDaemon *xsd);
