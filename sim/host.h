/*
 * host.h: the one simulated Xen host behind all of xensim's channels.
 *
 * It holds the facts every channel must agree on (Xen version, the
 * domains with their ids, names, uuids, memory and vcpus) and keeps the
 * XenStore tree in step with them, writing the keys the toolstack of the
 * simulated Xen version wrote.  Channels (xenstored today; xend, the
 * hypercall endpoint and the config dir later) read and change domains
 * only through this module, so a domain created through one channel is
 * seen by all.
 */
#pragma once

#include <glib.h>

#include "xenstored.h"

typedef struct {
    guint32 domid;
    char *name;
    char uuid[37];
    guint64 memoryKiB;        /* current (balloon target) */
    guint64 maxMemoryKiB;
    guint vcpus;
} XsimDomain;

typedef struct {
    char *root;               /* --root DIR, absolute */
    char *xenVersion;         /* "3.0.2" ... "4.17" */
    GPtrArray *domains;       /* XsimDomain *, by creation; [0] is Domain-0 */
    XsDaemon *xenstored;      /* NULL until the channel is started */
    XsFaults xenstoredFaults; /* --fault xenstored:... */
} XsimHost;

/* Xen versions xensim can pretend to be, oldest first. */
extern const char *const xsimXenVersions[];
gboolean xsimXenVersionKnown(const char *version);

XsimHost *xsimHostNew(const char *root, const char *xenVersion);
void xsimHostFree(XsimHost *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XsimHost, xsimHostFree)

/* Add a running guest (next free domid), recording it in xenstore as the
 * toolstack would and introducing it (@introduceDomain). */
XsimDomain *xsimHostAddGuest(XsimHost *host, const char *name,
                             guint64 memoryKiB, guint vcpus);
XsimDomain *xsimHostFindDomain(XsimHost *host, guint32 domid);

/* Start the xenstored channel on DIR/var/run/xenstored/{socket,socket_ro}
 * and write the tree of the domains that exist so far. */
gboolean xsimHostStartXenstored(XsimHost *host, GError **error);
/* Drop its clients and bind its sockets anew, keeping the data. */
gboolean xsimHostRestartXenstored(XsimHost *host, GError **error);
/* "delay=MS", "cut-header=N", "truncate=N" or "oversize=N" (see XsFaults). */
gboolean xsimHostXenstoredFault(XsimHost *host, const char *spec, GError **error);
