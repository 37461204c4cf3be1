/*
 * xenstored_int.h: what the parts of xensim's xenstored share, and nothing
 * else includes: xs_store.c (nodes, paths, permissions, transactions as an
 * operation sees them), xenstored_ops.c (the protocol's requests, domains)
 * and xenstored.c (watches, connections, sockets, the public API of
 * xenstored.h).
 */
#pragma once

#include "xenstored.h"

/* Bit beyond XsPermBits: "is owner" (full control, may SET_PERMS). */
#define XS_PERM_OWNER 4
#define XS_PATH_MAX 2048          /* 4.17's default path-max quota */
#define DOMID_SELF 32752
/* XS_SINCE(3, 3): a Xen version as one comparable number. */
#define XS_SINCE(major, minor) (((major) << 8) | (minor))

/* A node: value, permissions (entry 0 = owner) and child names in
 * creation order, and the generation of its last write. */
typedef struct {
    guint8 *value;
    gsize vlen;
    XsPerm *perms;
    guint nperms;
    GPtrArray *children;      /* (char *) leaf names, creation order */
    guint64 gen;
} XsRec;

typedef struct {
    char *path;
    gboolean hadLive;         /* state of the live node at first access */
    guint64 liveGen;
    gboolean modified;        /* to be written back at commit */
    XsRec *rec;               /* the transaction's copy, taken at first
                               * access; NULL = absent or deleted */
    gboolean fire;            /* fire watches at commit */
    gboolean exact;
} XsAccess;

typedef struct {
    guint32 id;
    GPtrArray *accessed;      /* XsAccess *, first-access order */
    GHashTable *byPath;       /* path -> XsAccess * (borrowed) */
} XsTx;

typedef struct {
    char *path;               /* canonical */
    char *token;
    gboolean relative;        /* registered relative: events relative too */
} XsWatch;

typedef struct {
    XsDaemon *xsd;
    int fd;
    guint32 domid;
    gboolean canWrite;
    XsReader rd;
    GByteArray *out;
    guint inSrc;
    guint outSrc;
    GPtrArray *watches;       /* XsWatch *, registration order */
    GPtrArray *txs;           /* XsTx * */
    guint32 nextTxId;
    gboolean overflow;        /* XS_CONN_OUT_MAX reached: to be dropped */
    guint replies;            /* replies sent so far (fault injection) */
    gboolean closing;         /* a fault cut a reply: close once flushed */
    guint delaySrc;           /* fault: output held back until this fires */
} XsConn;

typedef struct {
    int fd;
    guint src;
    char *path;
    gboolean readonly;
    XsDaemon *xsd;
} XsListener;

typedef struct {
    guint32 domid;
    gboolean hasTarget;
    guint32 target;
    /* Domains that named this one in SET_TARGET, one entry per call (a
     * later SET_TARGET does not drop the earlier one).  4.17 holds each as
     * a talloc reference on the domain's connection, and RELEASE then only
     * drops one reference until none are left: observed, kept. */
    GArray *targetRefs;      /* guint32 referrer domids */
    /* The hypervisor reported it shut down and @releaseDomain fired for
     * that; it fires again only when the domain is gone. */
    gboolean shutdown;
    /* Gone from the hypervisor while another domain's SET_TARGET still
     * refers to it: it stays introduced, silently, until the last such
     * referrer is gone too (4.17 unlinks its connection, which lives on
     * through the reference; observed in lifecycle.conv). */
    gboolean gone;
    /* Introduced while the hypervisor did not know it: 4.17's domain
     * check never forgets such a domain (observed). */
    gboolean unknownToHv;
} XsDomain;

typedef enum { XS_EXT_RUNNING = 1, XS_EXT_SHUTDOWN } XsExtState;

struct _XsDaemon {
    guint64 requests;         /* messages received on all connections */
    GHashTable *nodes;        /* path -> XsRec **/
    guint64 gen;
    GPtrArray *conns;         /* XsConn *, connection order */
    GPtrArray *listeners;
    GHashTable *domains;      /* domid -> XsDomain *: introduced domains */
    /* Domains outside xensim's own guests, as the hypervisor sees them:
     * domid -> XsExtState.  A client's INTRODUCE of an unknown domain
     * adds it running (it exists even after a RELEASE, which only makes
     * xenstored forget it); the domain-control FIFO (xsDaemonDomctl)
     * creates, shuts down and destroys them, as the real daemon's shim
     * does for its hypervisor stand-in. */
    GHashTable *extDomains;
    XsPerm *specialPerms[2];  /* @introduceDomain, @releaseDomain */
    guint specialNPerms[2];
    XsDomainExistsFunc exists;
    gpointer opaque;
    guint version;            /* XS_SINCE() of the Xen being simulated */
    XsFaults faults;
};

/* The two nodes that are not in the tree: watchable, with permissions. */
extern const char *const xsSpecialPaths[2];

/* An operation's view: which connection asks, inside which transaction. */
typedef struct {
    XsDaemon *xsd;
    XsConn *conn;             /* NULL: the host's own toolstack writes */
    XsTx *tx;
} XsCtx;

/* A request handler fills reply (success payload) or returns an errno. */
typedef int (*XsHandler)(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply);

/* xs_store.c */
void xsRecFree(XsRec *r);
XsRec *xsRecNew(const XsPerm *perms, guint nperms);
int xsRecFindChild(const XsRec *r, const char *name);
void xsAccessFree(XsAccess *a);
void xsTxFree(XsTx *tx);
char *xsParentPath(const char *path);
const char *xsBaseName(const char *path);
char *xsChildPath(const char *parent, const char *name);
char *xsCanonicalize(XsCtx *c, const char *path);
gboolean xsValidNodeName(const char *path);
gboolean xsIsChild(const char *child, const char *parent);
gboolean xsConnPrivileged(XsConn *conn);
guint xsPermForConn(XsCtx *c, const XsPerm *perms, guint nperms);
XsRec *xsCtxGet(XsCtx *c, const char *path);
void xsCtxPut(XsCtx *c, const char *path, XsRec *rec);
XsRec *xsCtxModify(XsCtx *c, const char *path);
void xsCtxFire(XsCtx *c, const char *path, gboolean exact);
XsRec *xsGetNode(XsCtx *c, const char *path, guint want, int *err);
int xsCreateNode(XsCtx *c, const char *path, const guint8 *value, gsize vlen);
int xsDeleteTree(XsCtx *c, const char *path, gboolean top);
int xsTxCommit(XsDaemon *xsd, XsTx *tx);

/* xenstored_ops.c */
void xsDomainFree(XsDomain *d);
int xsDoWrite(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply);
int xsDoMkdir(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply);
int xsDoRm(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply);
int xsDoSetPerms(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply);
gboolean xsIntroduce(XsDaemon *xsd, guint32 domid);
void xsReleaseDomain(XsDaemon *xsd, XsDomain *d);
/* Forget an introduced domain and the references it holds on others:
 * owned nodes removed, no event. */
void xsDropDomain(XsDaemon *xsd, XsDomain *d);
void xsConnDispatch(XsConn *conn, const XsHeader *hdr, const guint8 *payload);

/* xenstored.c */
void xsWatchSend(XsConn *conn, XsWatch *w, const char *path);
void xsFireWatches(XsDaemon *xsd, const char *path, gboolean exact);
void xsConnSend(XsConn *conn, guint32 type, guint32 req, guint32 tx, const void *payload, gsize len);
