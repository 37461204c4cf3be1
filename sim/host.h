/*
 * host.h: the one simulated Xen host behind all of xensim's channels.
 *
 * It holds the facts every channel must agree on -- the Xen version, the
 * physical host, the domains with their ids, names, uuids, run states,
 * cpu time, memory, vcpus and affinities, their definitions, and (xend
 * 3.0.4+) the managed domains xend keeps while they are not running -- and
 * keeps the XenStore tree in step with them, writing the keys the
 * toolstack of the simulated Xen version wrote.  Channels (xenstored,
 * xend, the hypercall endpoint) read and change domains only through this
 * module, so a domain created through one channel is seen by all.  Every
 * channel runs on the one GLib main loop: there is no locking.
 *
 * Guests behave as cooperative PV guests: a write of poweroff/reboot/halt
 * to their control/shutdown node (by xend or by any xenstore client)
 * makes them shut down, and the host then applies the domain's lifecycle
 * action (destroy, restart, preserve).
 */
#pragma once

#include <glib.h>

#include "conf/domain_conf.h"
#include "xenstored.h"

#define XSIM_HOST_CPUS 4              /* 1 node, 1 socket, 2 cores, 2 threads */
#define XSIM_HOST_MEMORY_KIB (8ULL * 1024 * 1024)
#define XSIM_MAX_VCPUS 64             /* affinity maps are one guint64 */

/* Xen's SHUTDOWN_* reasons. */
typedef enum {
    XSIM_SHUTDOWN_POWEROFF = 0,
    XSIM_SHUTDOWN_REBOOT = 1,
    XSIM_SHUTDOWN_SUSPEND = 2,
    XSIM_SHUTDOWN_CRASH = 3,
} XsimShutdownReason;

typedef struct {
    gboolean active;          /* exists in Xen (has a domid) */
    guint32 domid;            /* valid when active */
    char *name;
    char uuid[37];
    unsigned char uuidRaw[16];
    gboolean managed;         /* xend keeps its config (op=new, 3.0.4+) */
    gboolean transient;       /* created with op=create: gone when destroyed */
    xvDomainDef *def;         /* the definition (devices, image, lifecycle) */

    /* live state, meaningful when active */
    gboolean paused;
    guint pauseCount;         /* 4.5+: pauses nest */
    gboolean shutdown;
    int shutdownReason;       /* XsimShutdownReason when shutdown */
    gboolean dying;
    guint64 memoryKiB;        /* current (balloon target) */
    guint64 maxMemoryKiB;     /* Xen's max_pages limit */
    guint vcpus;              /* maximum */
    guint onlineVcpus;
    guint64 affinity[XSIM_MAX_VCPUS];
    guint16 weight, cap;      /* credit scheduler */
    guint64 cpuNs;            /* cpu time accumulated until runSince */
    gint64 runSince;          /* monotonic us when it last started running; 0 = not */
    gint64 startTime;         /* wall clock us of creation */
    gboolean autostart;       /* on_xend_start start */
} XsimDomain;

typedef struct {
    guint64 xend;             /* HTTP requests answered */
    guint64 hypercalls;       /* hypercall frames answered */
} XsimCounters;

/* Faults a channel applies to its next replies. */
typedef struct {
    guint delayMs;            /* hold every reply this long */
    guint dropAt;             /* reply N (counting from when set): half of it, then close */
    guint garbleAt;           /* reply N: malformed (bad SXP / bad magic) */
    guint served;             /* replies since the faults were set */
} XsimFaults;

typedef struct _XsimXend XsimXend;
typedef struct _XsimHv XsimHv;
typedef struct _XsimControl XsimControl;
typedef struct _XsimAgent XsimAgent;

typedef struct {
    char *root;               /* --root DIR, absolute */
    char *xenVersion;         /* "3.0.2" ... "4.17" */
    guint vmajor, vminor, vmicro;
    GPtrArray *domains;       /* XsimDomain *, by creation; [0] is Domain-0 */
    guint32 nextDomid;
    XsDaemon *xenstored;      /* NULL until the channel is started */
    XsFaults xenstoredFaults; /* --fault xenstored:... */
    XsimXend *xend;           /* NULL: not started (or none in this version) */
    XsimHv *hv;
    XsimControl *control;
    XsimAgent *agent;         /* the guests' side of control/shutdown */
    guint16 xendPort;         /* --tcp-port, 0 = none */
    XsimCounters counters;
    XsimFaults xendFaults, hvFaults;
} XsimHost;

/* Xen versions xensim can pretend to be, oldest first. */
extern const char *const xsimXenVersions[];
gboolean xsimXenVersionKnown(const char *version);

XsimHost *xsimHostNew(const char *root, const char *xenVersion);
void xsimHostFree(XsimHost *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XsimHost, xsimHostFree)

/* The simulated version is at least MAJOR.MINOR[.MICRO]. */
gboolean xsimHostSince(XsimHost *host, guint major, guint minor, guint micro);
/* xend exists up to 4.4 (removed in 4.5). */
gboolean xsimHostHasXend(XsimHost *host);

/* Add a running guest (next free domid) with a default definition: one
 * disk, one NIC, PV.  Recorded in xenstore and introduced. */
XsimDomain *xsimHostAddGuest(XsimHost *host, const char *name,
                             guint64 memoryKiB, guint vcpus);

XsimDomain *xsimHostFindDomain(XsimHost *host, guint32 domid);   /* active only */
XsimDomain *xsimHostFindName(XsimHost *host, const char *name, gboolean activeOnly);
XsimDomain *xsimHostFindUUID(XsimHost *host, const char *uuid);

/* Cpu time so far, in ns (grows while running, not while paused). */
guint64 xsimDomainCpuNs(XsimDomain *d);

/* A new inactive domain from a definition (takes def): managed (kept by
 * xend) or transient (gone once it stops; start it with xsimHostStart).
 * The caller has checked names and uuids; error is unused for now. */
XsimDomain *xsimHostDefine(XsimHost *host, xvDomainDef *def, gboolean managed,
                           GError **error);
/* Make a defined domain exist in Xen, with a new domid. */
gboolean xsimHostStart(XsimHost *host, XsimDomain *d, gboolean paused, GError **error);
/* Remove a managed inactive domain. */
void xsimHostUndefine(XsimHost *host, XsimDomain *d);
/* Tear an active domain down: xenstore keys removed, @releaseDomain;
 * transient domains vanish, managed ones become inactive. */
void xsimHostDestroy(XsimHost *host, XsimDomain *d);
void xsimHostPause(XsimHost *host, XsimDomain *d);
void xsimHostUnpause(XsimHost *host, XsimDomain *d);
/* What a cooperative guest does when asked (by control/shutdown) to stop:
 * it shuts down with reason, and the lifecycle action is applied. */
void xsimHostGuestShutdown(XsimHost *host, XsimDomain *d, XsimShutdownReason reason);
/* Ask the guest through xenstore, as xend and xl do. */
void xsimHostRequestShutdown(XsimHost *host, XsimDomain *d, const char *reason);
void xsimHostSetMemory(XsimHost *host, XsimDomain *d, guint64 kib);
void xsimHostSetMaxMemory(XsimHost *host, XsimDomain *d, guint64 kib);
void xsimHostSetVcpus(XsimHost *host, XsimDomain *d, guint n);
/* Linux's device number of a disk name (xvda 51712, hda 768, hdc 5632,
 * sda 2048), as the vbd nodes are named; -1 if not a disk name. */
int xsimDiskDevid(const char *dst);
/* Devices changed in d->def: rewrite the front/back ends in xenstore. */
void xsimHostDevicesChanged(XsimHost *host, XsimDomain *d);

guint64 xsimHostFreeMemoryKiB(XsimHost *host);

/* Start the xenstored channel on DIR/var/run/xenstored/{socket,socket_ro}
 * and write the tree of the domains that exist so far. */
gboolean xsimHostStartXenstored(XsimHost *host, GError **error);
/* Drop its clients and bind its sockets anew, keeping the data. */
gboolean xsimHostRestartXenstored(XsimHost *host, GError **error);
/* "delay=MS", "cut-header=N", "truncate=N" or "oversize=N" (see XsFaults). */
gboolean xsimHostXenstoredFault(XsimHost *host, const char *spec, GError **error);
/* "delay=MS", "drop=N", "garble=N", "clear" for xend and hv faults. */
gboolean xsimFaultsParse(XsimFaults *f, const char *channel, const char *spec, GError **error);
/* Apply the faults to the reply about to be sent: returns how many bytes
 * of len to send (len, or fewer to drop mid-reply) and sets *garble. */
gsize xsimFaultsNext(XsimFaults *f, gsize len, gboolean *garble);

/* DIR/etc/xen, empty, for config files. */
gboolean xsimHostStartConfigDir(XsimHost *host, GError **error);

/* ---- helpers for the socket channels ---- */

/* Bind and listen on a UNIX socket at path (parent dirs made, a stale
 * socket replaced); returns the fd or -1. */
int xsimListenUnix(const char *path, int mode, GError **error);
/* 127.0.0.1:port only. */
int xsimListenTcpLocal(guint16 port, GError **error);
/* Write all of buf to a (blocking or not) socket; FALSE if the peer left. */
gboolean xsimWriteAll(int fd, const void *buf, gsize len);
