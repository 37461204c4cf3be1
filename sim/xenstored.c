/*
 * xenstored.c: xensim's XenStore daemon (see xenstored.h).
 *
 * Fidelity target: Xen 4.17's C xenstored as seen by a dom0 client on its
 * socket, byte for byte (tests/sim/ plays the same raw conversation to the
 * real daemon and to this one).  That fixes details a cleaner design would
 * choose differently: child lists keep creation order; node "generations"
 * (visible in DIRECTORY_PART) advance exactly as the real daemon's counter
 * does; a transaction conflicts when a node it *accessed* (read, listed,
 * written, or looked at while finding out that a path is missing) changed
 * after that access, not when anything at all changed; watch events
 * caused by a request are queued before its reply, and those of a
 * transaction in the order its nodes were first accessed.
 *
 * The store is a flat table path -> record, each record naming its
 * children, rather than a pointer tree: a transaction is then just an
 * overlay table of records in first-access order, and committing copies
 * records over, with no structural merging.  A pointer tree was rejected
 * because transactions would need shadow subtrees.
 *
 * Limits a peer can push: payload 4096 bytes in (larger: the connection is
 * dropped, as xenstored does) and out (E2BIG); path length as 4.17
 * (2048 after a /local/domain/<id>/ prefix).  Quotas apply to unprivileged
 * domains only, and every socket connection is dom0, so none are checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "xenstored.h"

/* Bit beyond XsPermBits: "is owner" (full control, may SET_PERMS). */
#define XS_PERM_OWNER 4
#define XS_PATH_MAX 2048          /* 4.17's default path-max quota */
/* Replies and events queued for a peer that does not read them: past this
 * the peer is considered dead and is disconnected when next heard from
 * (memory stays bounded either way). */
#define XS_CONN_OUT_MAX (8 * 1024 * 1024)
#define DOMID_SELF 32752

/* ---- store records ---------------------------------------------------- */

typedef struct {
    guint8 *value;
    gsize vlen;
    XsPerm *perms;
    guint nperms;
    GPtrArray *children;      /* char * leaf names, creation order */
    guint64 gen;
} XsRec;

static void
xsRecFree(XsRec *r)
{
    if (!r)
        return;
    g_free(r->value);
    g_free(r->perms);
    if (r->children)
        g_ptr_array_unref(r->children);
    g_free(r);
}

static XsRec *
xsRecNew(const XsPerm *perms, guint nperms)
{
    XsRec *r = g_new0(XsRec, 1);

    r->perms = g_memdup2(perms, sizeof(XsPerm) * nperms);
    r->nperms = nperms;
    r->children = g_ptr_array_new_with_free_func(g_free);
    return r;
}

static XsRec *
xsRecDup(const XsRec *src)
{
    XsRec *r = xsRecNew(src->perms, src->nperms);

    r->value = g_memdup2(src->value, src->vlen);
    r->vlen = src->vlen;
    for (guint i = 0; i < src->children->len; i++)
        g_ptr_array_add(r->children, g_strdup(g_ptr_array_index(src->children, i)));
    r->gen = src->gen;
    return r;
}

static void
xsRecRemoveChild(XsRec *r, const char *name)
{
    for (guint i = 0; i < r->children->len; i++) {
        if (g_str_equal(g_ptr_array_index(r->children, i), name)) {
            g_ptr_array_remove_index(r->children, i);
            return;
        }
    }
}

/* ---- transactions, watches, connections -------------------------------- */

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

static void
xsAccessFree(XsAccess *a)
{
    g_free(a->path);
    xsRecFree(a->rec);
    g_free(a);
}

typedef struct {
    guint32 id;
    GPtrArray *accessed;      /* XsAccess *, first-access order */
    GHashTable *byPath;       /* path -> XsAccess * (borrowed) */
} XsTx;

static void
xsTxFree(XsTx *tx)
{
    g_hash_table_unref(tx->byPath);
    g_ptr_array_unref(tx->accessed);
    g_free(tx);
}

typedef struct {
    char *path;               /* canonical */
    char *token;
    gboolean relative;        /* registered relative: events relative too */
} XsWatch;

static void
xsWatchFree(XsWatch *w)
{
    g_free(w->path);
    g_free(w->token);
    g_free(w);
}

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
} XsDomain;

static void
xsDomainFree(XsDomain *d)
{
    g_array_unref(d->targetRefs);
    g_free(d);
}

struct _XsDaemon {
    GHashTable *nodes;        /* path -> XsRec * */
    guint64 gen;
    GPtrArray *conns;         /* XsConn *, connection order */
    GPtrArray *listeners;
    GHashTable *domains;      /* domid -> XsDomain *: introduced domains */
    XsPerm *specialPerms[2];  /* @introduceDomain, @releaseDomain */
    guint specialNPerms[2];
    XsDomainExistsFunc exists;
    gpointer opaque;
    guint version;            /* XS_SINCE() of the Xen being simulated */
};

static const char *const xsSpecialPaths[] = { "@introduceDomain", "@releaseDomain" };

/* An operation's view: which connection asks, inside which transaction. */
typedef struct {
    XsDaemon *xsd;
    XsConn *conn;             /* NULL: the host's own toolstack writes */
    XsTx *tx;
} XsCtx;

static void xsConnClose(XsConn *conn);

/* ---- paths ------------------------------------------------------------- */

static char *
xsParentPath(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (slash == path)
        return g_strdup("/");
    return g_strndup(path, slash - path);
}

static const char *
xsBaseName(const char *path)
{
    return strrchr(path, '/') + 1;
}

static char *
xsChildPath(const char *parent, const char *name)
{
    if (g_str_equal(parent, "/"))
        return g_strconcat("/", name, NULL);
    return g_strconcat(parent, "/", name, NULL);
}

static guint32
xsConnDomid(XsCtx *c)
{
    return c->conn ? c->conn->domid : 0;
}

/* Relative paths are under the connection's home (socket: dom0's). */
static char *
xsCanonicalize(XsCtx *c, const char *path)
{
    if (path[0] == '/' || path[0] == '@')
        return g_strdup(path);
    return g_strdup_printf("/local/domain/%u/%s", xsConnDomid(c), path);
}

/* 4.17's is_valid_nodename(): absolute, no trailing or double slash,
 * the length after a /local/domain/<id>/ prefix (id up to 5 digits) at
 * most path-max, and only [A-Za-z0-9-/_@]. */
static gboolean
xsValidNodeName(const char *path)
{
    gsize len = strlen(path);
    gsize localOff = 0;
    const char *p;

    if (path[0] != '/')
        return FALSE;
    if (len > 1 && path[len - 1] == '/')
        return FALSE;
    if (strstr(path, "//"))
        return FALSE;
    if (g_str_has_prefix(path, "/local/domain/")) {
        p = path + strlen("/local/domain/");
        gsize digits = 0;
        while (g_ascii_isdigit(p[digits]) && digits < 5)
            digits++;
        if (digits > 0 && p[digits] == '/')
            localOff = (p - path) + digits + 1;
    }
    if (len - localOff > XS_PATH_MAX)
        return FALSE;
    for (p = path; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-/_@", *p))
            return FALSE;
    }
    return TRUE;
}

/* Watch matching: the changed node or one of its descendants. */
static gboolean
xsIsChild(const char *child, const char *parent)
{
    gsize len;

    if (g_str_equal(parent, "/"))
        return child[0] == '/';
    len = strlen(parent);
    return strncmp(child, parent, len) == 0 &&
           (child[len] == '/' || child[len] == '\0');
}

/* ---- permissions ------------------------------------------------------- */

static gboolean
xsConnPrivileged(XsConn *conn)
{
    return !conn || conn->domid == 0;
}

static guint
xsPermForConn(XsCtx *c, const XsPerm *perms, guint nperms)
{
    guint mask = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
    guint32 domid = xsConnDomid(c);

    if (c->conn && !c->conn->canWrite)
        mask &= ~XS_PERM_WRITE;
    if (xsConnPrivileged(c->conn) || perms[0].domid == domid)
        return mask;
    for (guint i = 1; i < nperms; i++) {
        if (perms[i].domid == domid)
            return perms[i].perms & mask;
    }
    return perms[0].perms & mask;
}

/* ---- the store as one operation sees it -------------------------------- */

static XsAccess *
xsTxAccess(XsDaemon *xsd, XsTx *tx, const char *path)
{
    XsAccess *a = g_hash_table_lookup(tx->byPath, path);
    XsRec *live;

    if (a)
        return a;
    a = g_new0(XsAccess, 1);
    a->path = g_strdup(path);
    live = g_hash_table_lookup(xsd->nodes, path);
    a->hadLive = live != NULL;
    a->liveGen = live ? live->gen : 0;
    /* From now on the transaction sees this node as it is now, whatever
     * others do to it (Xen's test-xenstore "ta err" checks this). */
    a->rec = live ? xsRecDup(live) : NULL;
    g_ptr_array_add(tx->accessed, a);
    g_hash_table_insert(tx->byPath, a->path, a);
    return a;
}

/* The node as c sees it (borrowed; NULL if absent).  In a transaction the
 * access is recorded, also for an absent node, so a later creation by
 * someone else is a conflict. */
static XsRec *
xsCtxGet(XsCtx *c, const char *path)
{
    if (c->tx)
        return xsTxAccess(c->xsd, c->tx, path)->rec;
    return g_hash_table_lookup(c->xsd->nodes, path);
}

/* Store rec (taking it) as the new state of path: one generation step. */
static void
xsCtxPut(XsCtx *c, const char *path, XsRec *rec)
{
    rec->gen = ++c->xsd->gen;
    if (c->tx) {
        XsAccess *a = xsTxAccess(c->xsd, c->tx, path);
        xsRecFree(a->rec);
        a->rec = rec;
        a->modified = TRUE;
        return;
    }
    g_hash_table_replace(c->xsd->nodes, g_strdup(path), rec);
}

/* The record of path (which must exist in c's view) to change in place,
 * counted as one write.  Cheaper than copy-and-put: a parent with
 * thousands of children is not copied for each new child. */
static XsRec *
xsCtxModify(XsCtx *c, const char *path)
{
    XsRec *r;

    if (c->tx) {
        XsAccess *a = xsTxAccess(c->xsd, c->tx, path);
        a->modified = TRUE;
        r = a->rec;
    } else {
        r = g_hash_table_lookup(c->xsd->nodes, path);
    }
    g_assert(r);
    r->gen = ++c->xsd->gen;
    return r;
}

static void
xsCtxDelete(XsCtx *c, const char *path)
{
    if (c->tx) {
        XsAccess *a = xsTxAccess(c->xsd, c->tx, path);
        xsRecFree(a->rec);
        a->rec = NULL;
        a->modified = TRUE;
        return;
    }
    g_hash_table_remove(c->xsd->nodes, path);
}

static void xsFireWatches(XsDaemon *xsd, const char *path, gboolean exact);

/* A change to path: watchers hear of it now, or at commit. */
static void
xsCtxFire(XsCtx *c, const char *path, gboolean exact)
{
    if (c->tx) {
        XsAccess *a = xsTxAccess(c->xsd, c->tx, path);
        if (!a->fire) {
            a->fire = TRUE;
            a->exact = exact;
        } else {
            a->exact = a->exact && exact;
        }
        return;
    }
    xsFireWatches(c->xsd, path, exact);
}

/* Why path cannot be had: ENOENT if the caller may read the nearest
 * existing ancestor, else EACCES (no existence leak). */
static int
xsErrnoFromParents(XsCtx *c, const char *path)
{
    g_autofree char *name = g_strdup(path);
    XsRec *r = NULL;

    while (!g_str_equal(name, "/")) {
        char *parent = xsParentPath(name);
        g_free(name);
        name = parent;
        if ((r = xsCtxGet(c, name)))
            break;
    }
    if (!r)
        return EIO;
    return (xsPermForConn(c, r->perms, r->nperms) & XS_PERM_READ) ? ENOENT : EACCES;
}

static XsRec *
xsGetNode(XsCtx *c, const char *path, guint want, int *err)
{
    XsRec *r = xsCtxGet(c, path);

    if (r) {
        if ((xsPermForConn(c, r->perms, r->nperms) & want) != want) {
            *err = EACCES;
            return NULL;
        }
        return r;
    }
    *err = xsErrnoFromParents(c, path);
    return NULL;
}

/* Create path with value, and missing ancestors with empty values, all
 * inheriting the permissions of the nearest existing ancestor.  The real
 * daemon writes the new node first, then each new ancestor upwards, then
 * the existing ancestor's child list: generations follow that order. */
static int
xsCreateNode(XsCtx *c, const char *path, const guint8 *value, gsize vlen)
{
    g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *top = NULL;
    XsRec *existing;
    XsRec *r;
    g_autofree XsPerm *perms = NULL;
    guint nperms;

    if (c->conn && !c->conn->canWrite)
        return EACCES;
    g_ptr_array_add(missing, g_strdup(path));
    top = xsParentPath(path);
    while (!(existing = xsCtxGet(c, top))) {
        char *up = xsParentPath(top);
        g_ptr_array_add(missing, g_steal_pointer(&top));
        top = up;
    }
    if (!(xsPermForConn(c, existing->perms, existing->nperms) & XS_PERM_WRITE))
        return EACCES;
    nperms = existing->nperms;
    perms = g_memdup2(existing->perms, sizeof(XsPerm) * nperms);
    if (!xsConnPrivileged(c->conn))
        perms[0].domid = c->conn->domid;

    for (guint i = 0; i < missing->len; i++) {
        r = xsRecNew(perms, nperms);
        if (i == 0) {
            r->value = g_memdup2(value, vlen);
            r->vlen = vlen;
        } else {
            g_ptr_array_add(r->children,
                            g_strdup(xsBaseName(g_ptr_array_index(missing, i - 1))));
        }
        xsCtxPut(c, g_ptr_array_index(missing, i), r);
    }
    existing = xsCtxModify(c, top);
    g_ptr_array_add(existing->children,
                    g_strdup(xsBaseName(g_ptr_array_index(missing, missing->len - 1))));
    return 0;
}

/* Delete path and its subtree.  Nodes are looked at parent first (a
 * transaction records them in that order), and removed and announced
 * children first; removed descendants notify only watches on exactly
 * their path.  Generations: the real daemon spends one per removed node
 * and one per child-list update of a removed node. */
static void
xsDeleteTree(XsCtx *c, const char *path, gboolean top)
{
    XsRec *r = xsCtxGet(c, path);
    g_autoptr(GPtrArray) kids = NULL;

    if (!r)
        return;
    kids = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < r->children->len; i++)
        g_ptr_array_add(kids, xsChildPath(path, g_ptr_array_index(r->children, i)));
    for (guint i = 0; i < kids->len; i++)
        xsDeleteTree(c, g_ptr_array_index(kids, i), FALSE);
    c->xsd->gen += top ? 1 : 2;
    xsCtxDelete(c, path);
    xsCtxFire(c, path, !top);
}

/* ---- watches ----------------------------------------------------------- */

static void
xsConnSend(XsConn *conn, guint32 type, guint32 req, guint32 tx,
           const void *payload, gsize len);

static void
xsWatchSend(XsConn *conn, XsWatch *w, const char *path)
{
    g_autoptr(GByteArray) ev = g_byte_array_new();

    if (w->relative) {
        g_autofree char *home = g_strdup_printf("/local/domain/%u", conn->domid);
        path += strlen(home);
        if (*path == '/')
            path++;
    }
    g_byte_array_append(ev, (const guint8 *)path, strlen(path) + 1);
    g_byte_array_append(ev, (const guint8 *)w->token, strlen(w->token) + 1);
    if (ev->len > XS_PAYLOAD_MAX) {
        g_warning("xenstored: watch event for '%s' exceeds %d bytes, dropped",
                  path, XS_PAYLOAD_MAX);
        return;
    }
    xsConnSend(conn, XS_WATCH_EVENT, 0, 0, ev->data, ev->len);
}

/* May conn learn that path changed?  (Its node or its parent readable.) */
static gboolean
xsConnMaySee(XsDaemon *xsd, XsConn *conn, const char *path)
{
    XsCtx c = { xsd, conn, NULL };
    g_autofree char *parent = NULL;
    XsRec *r;

    if (xsConnPrivileged(conn))
        return TRUE;
    if (path[0] == '@') {
        guint i = g_str_equal(path, xsSpecialPaths[0]) ? 0 : 1;
        return xsPermForConn(&c, xsd->specialPerms[i], xsd->specialNPerms[i]) & XS_PERM_READ;
    }
    if ((r = g_hash_table_lookup(xsd->nodes, path)) &&
        (xsPermForConn(&c, r->perms, r->nperms) & XS_PERM_READ))
        return TRUE;
    parent = xsParentPath(path);
    return (r = g_hash_table_lookup(xsd->nodes, parent)) &&
           (xsPermForConn(&c, r->perms, r->nperms) & XS_PERM_READ);
}

static void
xsFireWatches(XsDaemon *xsd, const char *path, gboolean exact)
{
    for (guint i = 0; i < xsd->conns->len; i++) {
        XsConn *conn = g_ptr_array_index(xsd->conns, i);
        for (guint j = 0; j < conn->watches->len; j++) {
            XsWatch *w = g_ptr_array_index(conn->watches, j);
            gboolean match;
            if (exact || path[0] == '@')
                match = g_str_equal(w->path, path);
            else
                match = xsIsChild(path, w->path);
            if (match && xsConnMaySee(xsd, conn, path))
                xsWatchSend(conn, w, path);
        }
    }
}

/* ---- requests ---------------------------------------------------------- */

/* A request handler fills reply (success payload) or returns an errno. */
typedef int (*XsHandler)(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply);

static void
xsReplyStr(GByteArray *reply, const char *s)
{
    g_byte_array_append(reply, (const guint8 *)s, strlen(s) + 1);
}

/* One path argument, canonical and valid, or an errno. */
static int
xsPathArg(XsCtx *c, const guint8 *p, gsize len, char **path)
{
    const char *arg = xsPayloadOneArg(p, len);
    g_autofree char *canon = NULL;

    if (!arg)
        return EINVAL;
    canon = xsCanonicalize(c, arg);
    if (!xsValidNodeName(canon))
        return EINVAL;
    *path = g_steal_pointer(&canon);
    return 0;
}

static int
xsDoRead(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    g_autofree char *path = NULL;
    XsRec *r;
    int err;

    if ((err = xsPathArg(c, p, len, &path)))
        return err;
    if (!(r = xsGetNode(c, path, XS_PERM_READ, &err)))
        return err;
    g_byte_array_append(reply, r->value, r->vlen);
    return 0;
}

static int
xsDoDirectory(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    g_autofree char *path = NULL;
    XsRec *r;
    int err;

    if ((err = xsPathArg(c, p, len, &path)))
        return err;
    if (!(r = xsGetNode(c, path, XS_PERM_READ, &err)))
        return err;
    for (guint i = 0; i < r->children->len; i++)
        xsReplyStr(reply, g_ptr_array_index(r->children, i));
    if (reply->len > XS_PAYLOAD_MAX)
        return E2BIG;
    return 0;
}

/* Reply "<gen>\0" plus the whole child names that fit from byte offset of
 * the concatenated list, and one more NUL when that reaches the end. */
static int
xsDoDirectoryPart(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    const char *args[2];
    g_autofree char *path = NULL;
    g_autoptr(GByteArray) all = g_byte_array_new();
    g_autofree char *gen = NULL;
    guint off;
    gsize maxlen, n = 0;
    XsRec *r;
    int err;

    if (xsPayloadStrings(p, len, args, 2) != 2)
        return EINVAL;
    path = xsCanonicalize(c, args[0]);
    if (!xsValidNodeName(path))
        return EINVAL;
    off = (guint)atoi(args[1]);
    if (!(r = xsGetNode(c, path, XS_PERM_READ, &err)))
        return err;
    for (guint i = 0; i < r->children->len; i++)
        xsReplyStr(all, g_ptr_array_index(r->children, i));
    gen = g_strdup_printf("%" G_GUINT64_FORMAT, r->gen);
    xsReplyStr(reply, gen);
    if (off >= all->len) {
        g_byte_array_append(reply, (const guint8 *)"", 1);
        return 0;
    }
    maxlen = XS_PAYLOAD_MAX - (strlen(gen) + 1) - 1;
    while (off + n < all->len) {
        gsize one = strlen((const char *)all->data + off + n) + 1;
        if (n + one > maxlen)
            break;
        n += one;
    }
    g_byte_array_append(reply, all->data + off, n);
    if (off + n == all->len)
        g_byte_array_append(reply, (const guint8 *)"", 1);
    return 0;
}

static int
xsDoGetPerms(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    g_autofree char *path = NULL;
    XsRec *r;
    int err;

    if ((err = xsPathArg(c, p, len, &path)))
        return err;
    if (!(r = xsGetNode(c, path, XS_PERM_READ, &err)))
        return err;
    for (guint i = 0; i < r->nperms; i++)
        xsPermAppend(reply, &r->perms[i]);
    return 0;
}

static int
xsDoWrite(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    const guint8 *nul = memchr(p, '\0', len);
    g_autofree char *path = NULL;
    const guint8 *value;
    gsize vlen;
    XsRec *r;
    int err;

    if (!nul)
        return EINVAL;
    path = xsCanonicalize(c, (const char *)p);
    if (!xsValidNodeName(path))
        return EINVAL;
    value = nul + 1;
    vlen = len - (value - p);
    if ((r = xsGetNode(c, path, XS_PERM_WRITE, &err))) {
        r = xsCtxModify(c, path);
        g_free(r->value);
        r->value = g_memdup2(value, vlen);
        r->vlen = vlen;
    } else {
        if (err != ENOENT)
            return err;
        if ((err = xsCreateNode(c, path, value, vlen)))
            return err;
    }
    xsCtxFire(c, path, FALSE);
    xsReplyStr(reply, "OK");
    return 0;
}

static int
xsDoMkdir(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    g_autofree char *path = NULL;
    int err;

    if ((err = xsPathArg(c, p, len, &path)))
        return err;
    if (!xsGetNode(c, path, XS_PERM_WRITE, &err)) {
        if (err != ENOENT)
            return err;
        if ((err = xsCreateNode(c, path, NULL, 0)))
            return err;
        xsCtxFire(c, path, FALSE);
    }
    xsReplyStr(reply, "OK");
    return 0;
}

static int
xsDoRm(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    g_autofree char *path = NULL;
    g_autofree char *parentPath = NULL;
    XsRec *parent;
    int err;

    if ((err = xsPathArg(c, p, len, &path)))
        return err;
    parentPath = xsParentPath(path);
    if (!xsGetNode(c, path, XS_PERM_WRITE, &err)) {
        /* Already gone is fine, if the parent exists. */
        if (err != ENOENT)
            return err;
        if (!xsCtxGet(c, parentPath))
            return ENOENT;
        xsReplyStr(reply, "OK");
        return 0;
    }
    if (g_str_equal(path, "/"))
        return EINVAL;
    if (!xsCtxGet(c, parentPath))
        return EIO;
    xsDeleteTree(c, path, TRUE);
    parent = xsCtxModify(c, parentPath);
    xsRecRemoveChild(parent, xsBaseName(path));
    xsReplyStr(reply, "OK");
    return 0;
}

static gboolean
xsDomainExists(XsDaemon *xsd, guint32 domid)
{
    return domid == 0 ||
           g_hash_table_contains(xsd->domains, GUINT_TO_POINTER(domid)) ||
           (xsd->exists && xsd->exists(domid, xsd->opaque));
}

static int
xsDoSetPerms(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    const char *args[1];
    guint nstr = xsPayloadStrings(p, len, args, 1);
    g_autofree XsPerm *perms = NULL;
    g_autofree char *path = NULL;
    const char *s;
    guint nperms;
    XsRec *r;
    int err;

    if (nstr < 2)
        return EINVAL;
    nperms = nstr - 1;
    perms = g_new0(XsPerm, nperms);
    s = args[0] + strlen(args[0]) + 1;
    for (guint i = 0; i < nperms; i++) {
        if (!xsPermParse(s, &perms[i]))
            return EINVAL;
        s += strlen(s) + 1;
    }
    if (!xsDomainExists(c->xsd, perms[0].domid))
        return ENOENT;
    if (args[0][0] == '@') {
        guint i;
        for (i = 0; i < G_N_ELEMENTS(xsSpecialPaths); i++) {
            if (g_str_equal(args[0], xsSpecialPaths[i]))
                break;
        }
        if (i == G_N_ELEMENTS(xsSpecialPaths))
            return ENOENT;
        if ((xsPermForConn(c, c->xsd->specialPerms[i], c->xsd->specialNPerms[i]) &
             (XS_PERM_WRITE | XS_PERM_OWNER)) != (XS_PERM_WRITE | XS_PERM_OWNER))
            return EACCES;
        g_free(c->xsd->specialPerms[i]);
        c->xsd->specialPerms[i] = g_steal_pointer(&perms);
        c->xsd->specialNPerms[i] = nperms;
        xsReplyStr(reply, "OK");
        return 0;
    }
    path = xsCanonicalize(c, args[0]);
    if (!xsValidNodeName(path))
        return EINVAL;
    if (!(r = xsGetNode(c, path, XS_PERM_WRITE | XS_PERM_OWNER, &err)))
        return err;
    /* Xen 4.17: only the privileged may hand a node to another owner. */
    if (!xsConnPrivileged(c->conn) && perms[0].domid != r->perms[0].domid)
        return EPERM;
    r = xsCtxModify(c, path);
    g_free(r->perms);
    r->perms = g_steal_pointer(&perms);
    r->nperms = nperms;
    xsCtxFire(c, path, FALSE);
    xsReplyStr(reply, "OK");
    return 0;
}

/* WATCH and UNWATCH: exactly "path\0token\0". */
static int
xsWatchArgs(XsCtx *c, const guint8 *p, gsize len, char **path, const char **token,
            gboolean *relative)
{
    const char *args[2];

    if (xsPayloadStrings(p, len, args, 2) != 2)
        return EINVAL;
    *relative = args[0][0] != '/' && args[0][0] != '@';
    *path = xsCanonicalize(c, args[0]);
    *token = args[1];
    return 0;
}

static XsWatch *
xsConnFindWatch(XsConn *conn, const char *path, const char *token, guint *idx)
{
    for (guint i = 0; i < conn->watches->len; i++) {
        XsWatch *w = g_ptr_array_index(conn->watches, i);
        if (g_str_equal(w->path, path) && g_str_equal(w->token, token)) {
            if (idx)
                *idx = i;
            return w;
        }
    }
    return NULL;
}

static int
xsDoWatch(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    g_autofree char *path = NULL;
    const char *token;
    gboolean relative;
    XsWatch *w;
    int err;

    if ((err = xsWatchArgs(c, p, len, &path, &token, &relative)))
        return err;
    if (path[0] == '@') {
        if (strlen(path) > XS_REL_PATH_MAX)
            return EINVAL;
    } else if (!xsValidNodeName(path)) {
        return EINVAL;
    }
    if (xsConnFindWatch(c->conn, path, token, NULL))
        return EEXIST;
    w = g_new0(XsWatch, 1);
    w->path = g_steal_pointer(&path);
    w->token = g_strdup(token);
    w->relative = relative;
    g_ptr_array_add(c->conn->watches, w);
    /* The reply goes first, then the initial event (dispatch sends the
     * reply before anything this handler queues, see xsConnDispatch). */
    xsReplyStr(reply, "OK");
    return 0;
}

static int
xsDoUnwatch(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    g_autofree char *path = NULL;
    const char *token;
    gboolean relative;
    guint idx;
    int err;

    if ((err = xsWatchArgs(c, p, len, &path, &token, &relative)))
        return err;
    if (!xsConnFindWatch(c->conn, path, token, &idx))
        return ENOENT;
    g_ptr_array_remove_index(c->conn->watches, idx);
    xsReplyStr(reply, "OK");
    return 0;
}

static int
xsDoTransactionStart(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    XsTx *tx;
    g_autofree char *id = NULL;

    if (c->tx)
        return EBUSY;
    tx = g_new0(XsTx, 1);
    tx->id = c->conn->nextTxId++;
    tx->accessed = g_ptr_array_new_with_free_func((GDestroyNotify)xsAccessFree);
    tx->byPath = g_hash_table_new(g_str_hash, g_str_equal);
    g_ptr_array_add(c->conn->txs, tx);
    c->xsd->gen++;
    id = g_strdup_printf("%u", tx->id);
    xsReplyStr(reply, id);
    return 0;
}

static guint
xsConnTxIndex(XsConn *conn, XsTx *tx)
{
    guint i;

    if (!g_ptr_array_find(conn->txs, tx, &i))
        g_assert_not_reached();
    return i;
}

static int
xsTxCommit(XsDaemon *xsd, XsTx *tx)
{
    for (guint i = 0; i < tx->accessed->len; i++) {
        XsAccess *a = g_ptr_array_index(tx->accessed, i);
        XsRec *live = g_hash_table_lookup(xsd->nodes, a->path);
        if (a->hadLive ? (!live || live->gen != a->liveGen) : live != NULL)
            return EAGAIN;
    }
    for (guint i = 0; i < tx->accessed->len; i++) {
        XsAccess *a = g_ptr_array_index(tx->accessed, i);
        if (!a->modified)
            continue;
        if (a->rec) {
            XsRec *r = g_steal_pointer(&a->rec);
            r->gen = ++xsd->gen;
            g_hash_table_replace(xsd->nodes, g_strdup(a->path), r);
        } else {
            g_hash_table_remove(xsd->nodes, a->path);
        }
    }
    for (guint i = 0; i < tx->accessed->len; i++) {
        XsAccess *a = g_ptr_array_index(tx->accessed, i);
        if (a->fire)
            xsFireWatches(xsd, a->path, a->exact);
    }
    return 0;
}

static int
xsDoTransactionEnd(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    const char *arg = xsPayloadOneArg(p, len);
    XsTx *tx = c->tx;
    int err = 0;

    if (!arg || (!g_str_equal(arg, "T") && !g_str_equal(arg, "F")))
        return EINVAL;
    if (!tx)
        return ENOENT;
    /* Gone whatever the outcome. */
    g_ptr_array_steal_index_fast(c->conn->txs, xsConnTxIndex(c->conn, tx));
    c->tx = NULL;
    if (g_str_equal(arg, "T"))
        err = xsTxCommit(c->xsd, tx);
    xsTxFree(tx);
    if (err)
        return err;
    xsReplyStr(reply, "OK");
    return 0;
}

static int
xsDoGetDomainPath(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    const char *arg = xsPayloadOneArg(p, len);
    g_autofree char *path = NULL;

    if (!arg)
        return EINVAL;
    path = g_strdup_printf("/local/domain/%u", (guint)atoi(arg));
    xsReplyStr(reply, path);
    return 0;
}

static int
xsDoIsDomainIntroduced(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    const char *arg = xsPayloadOneArg(p, len);
    guint32 domid;

    if (!arg)
        return EINVAL;
    domid = (guint32)atoi(arg);
    xsReplyStr(reply, domid == DOMID_SELF || domid == 0 ||
                      g_hash_table_contains(c->xsd->domains, GUINT_TO_POINTER(domid))
                      ? "T" : "F");
    return 0;
}

static gboolean
xsIntroduce(XsDaemon *xsd, guint32 domid)
{
    XsDomain *d;

    if (domid == 0 || g_hash_table_contains(xsd->domains, GUINT_TO_POINTER(domid)))
        return FALSE;
    d = g_new0(XsDomain, 1);
    d->domid = domid;
    d->targetRefs = g_array_new(FALSE, FALSE, sizeof(guint32));
    g_hash_table_insert(xsd->domains, GUINT_TO_POINTER(domid), d);
    xsFireWatches(xsd, "@introduceDomain", TRUE);
    return TRUE;
}

static int
xsDoIntroduce(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    const char *args[3];

    if (xsPayloadStrings(p, len, args, 3) < 3)
        return EINVAL;
    /* The event channel port must be non-zero; the ring gfn is not used
     * (there is no shared memory to map on a simulated host). */
    if ((guint)atoi(args[2]) == 0)
        return EINVAL;
    /* A known domain is only re-bound: no second event. */
    xsIntroduce(c->xsd, (guint32)atoi(args[0]));
    xsReplyStr(reply, "OK");
    return 0;
}

static int
xsDomainArg(XsCtx *c, const guint8 *p, gsize len, XsDomain **d)
{
    const char *arg = xsPayloadOneArg(p, len);
    guint32 domid;

    if (!arg)
        return EINVAL;
    domid = (guint32)atoi(arg);
    if (domid == 0)
        return EINVAL;
    if (!(*d = g_hash_table_lookup(c->xsd->domains, GUINT_TO_POINTER(domid))))
        return ENOENT;
    return 0;
}

/* Remove the nodes domid owns, walking the tree parent first in child
 * order (XSA-322: nothing of a dead domain may stay behind for a new domain
 * with the same id to inherit). */
static void
xsRemoveOwnedNodes(XsDaemon *xsd, const char *path, guint32 domid)
{
    XsRec *r = g_hash_table_lookup(xsd->nodes, path);
    g_autoptr(GPtrArray) kids = NULL;

    if (!r)
        return;
    if (r->perms[0].domid == domid && !g_str_equal(path, "/")) {
        g_autofree char *req = g_strdup(path);
        g_autoptr(GByteArray) reply = g_byte_array_new();
        XsCtx c = { xsd, NULL, NULL };
        xsDoRm(&c, (const guint8 *)req, strlen(req) + 1, reply);
        return;
    }
    kids = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < r->children->len; i++)
        g_ptr_array_add(kids, xsChildPath(path, g_ptr_array_index(r->children, i)));
    for (guint i = 0; i < kids->len; i++)
        xsRemoveOwnedNodes(xsd, g_ptr_array_index(kids, i), domid);
}

/* RELEASE: drop one SET_TARGET reference if any is left (nothing else
 * happens), else forget the domain, remove its nodes and tell the
 * @releaseDomain watchers. */
static void
xsReleaseDomain(XsDaemon *xsd, XsDomain *d)
{
    guint32 domid = d->domid;
    GHashTableIter it;
    gpointer value;

    if (d->targetRefs->len > 0) {
        g_array_remove_index(d->targetRefs, d->targetRefs->len - 1);
        return;
    }
    /* Its own references on other domains go with it. */
    g_hash_table_iter_init(&it, xsd->domains);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        GArray *refs = ((XsDomain *)value)->targetRefs;
        for (guint i = refs->len; i-- > 0;) {
            if (g_array_index(refs, guint32, i) == domid)
                g_array_remove_index(refs, i);
        }
    }
    g_hash_table_remove(xsd->domains, GUINT_TO_POINTER(domid));
    xsRemoveOwnedNodes(xsd, "/", domid);
    xsFireWatches(xsd, "@releaseDomain", TRUE);
}

static int
xsDoRelease(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    XsDomain *d;
    int err;

    if ((err = xsDomainArg(c, p, len, &d)))
        return err;
    xsReleaseDomain(c->xsd, d);
    xsReplyStr(reply, "OK");
    return 0;
}

static int
xsDoResume(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    XsDomain *d;
    int err;

    /* Re-arms the one-shot shutdown notification; xensim's domains report
     * shutdown through the host, so there is nothing more to reset. */
    if ((err = xsDomainArg(c, p, len, &d)))
        return err;
    xsReplyStr(reply, "OK");
    return 0;
}

static int
xsDoSetTarget(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    const char *args[2];
    guint32 domid, target;
    XsDomain *d;

    if (xsPayloadStrings(p, len, args, 2) < 2)
        return EINVAL;
    domid = (guint32)atoi(args[0]);
    target = (guint32)atoi(args[1]);
    if (!(d = g_hash_table_lookup(c->xsd->domains, GUINT_TO_POINTER(domid))) ||
        (target != 0 && !g_hash_table_contains(c->xsd->domains, GUINT_TO_POINTER(target))))
        return ENOENT;
    d->hasTarget = TRUE;
    d->target = target;
    if (target != 0) {
        XsDomain *t = g_hash_table_lookup(c->xsd->domains, GUINT_TO_POINTER(target));
        g_array_append_val(t->targetRefs, domid);
    }
    xsReplyStr(reply, "OK");
    return 0;
}

static int
xsDoResetWatches(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    g_ptr_array_set_size(c->conn->watches, 0);
    g_ptr_array_set_size(c->conn->txs, 0);
    c->tx = NULL;
    xsReplyStr(reply, "OK");
    return 0;
}

/* CONTROL: the 4.17 commands whose output does not depend on the real
 * daemon's memory layout.  Texts as xenstored prints them. */
static const char xsControlHelp[] =
    "check\t\n"
    "log\ton|off\n"
    "live-update\t[-c <cmdline>] [-F] [-t <timeout>] <file>\n"
    "    Default timeout is 60 seconds.\n"
    "logfile\t<file>\n"
    "memreport\t[<file>]\n"
    "print\t<string>\n"
    "quota\t[set <name> <val>|<domid>]\n"
    "quota-soft\t[set <name> <val>]\n"
    "help\t\n";

static const struct {
    const char *name;
    guint value;
    const char *descr;
} xsQuotas[] = {
    { "nodes", 1000, "Nodes per domain" },
    { "watches", 128, "Watches per domain" },
    { "transactions", 10, "Transactions per domain" },
    { "outstanding", 20, "Outstanding requests per domain" },
    { "transaction-nodes", 1024, "Max. number of accessed nodes per transaction" },
    { "memory", 2621440, "Total Xenstore memory per domain (error level)" },
    { "node-size", 2048, "Max. size of a node" },
    { "path-max", XS_PATH_MAX, "Max. length of a node path" },
    { "permissions", 5, "Max. number of permissions per node" },
};

static int
xsDoControl(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    const char *args[4];
    guint n = xsPayloadStrings(p, len, args, 4);
    g_autoptr(GString) out = g_string_new(NULL);

    if (n == 0)
        return EINVAL;
    if (g_str_equal(args[0], "help") && n == 1) {
        g_string_append(out, xsControlHelp);
    } else if (g_str_equal(args[0], "check") && n == 1) {
        g_string_append(out, "OK");
    } else if (g_str_equal(args[0], "print") && n == 2) {
        g_message("xenstored: %s", args[1]);
        g_string_append(out, "OK");
    } else if (g_str_equal(args[0], "log") && n == 2 &&
               (g_str_equal(args[1], "on") || g_str_equal(args[1], "off"))) {
        g_string_append(out, "OK");
    } else if (g_str_equal(args[0], "quota") && n == 1) {
        g_string_append(out, "Quota settings:\n");
        for (guint i = 0; i < G_N_ELEMENTS(xsQuotas); i++)
            g_string_append_printf(out, "%-17s: %8u %s\n", xsQuotas[i].name,
                                   xsQuotas[i].value, xsQuotas[i].descr);
    } else if (g_str_equal(args[0], "quota-soft") && n == 1) {
        g_string_append_printf(out, "Quota settings:\n%-17s: %8u %s\n", "memory",
                               2097152, "Total Xenstore memory per domain (warning level)");
    } else {
        /* logfile, memreport, live-update and per-domain quota reports
         * concern the real daemon's files and memory; not simulated. */
        return EINVAL;
    }
    xsReplyStr(reply, out->str);
    return 0;
}

typedef enum {
    XS_OP_NOTX = 1 << 0,      /* header tx_id ignored (WATCH, UNWATCH) */
    XS_OP_PRIV = 1 << 1,      /* dom0 with write access only */
} XsOpFlags;

/* XS_SINCE(3, 3): Xen version as one comparable number. */
#define XS_SINCE(major, minor) (((major) << 8) | (minor))

static const struct {
    XsHandler fn;
    unsigned int flags;
    guint since;              /* first Xen release whose xenstored had it */
} xsOps[XS_TYPE_COUNT] = {
    [XS_CONTROL] = { xsDoControl, XS_OP_PRIV, 0 },
    [XS_DIRECTORY] = { xsDoDirectory, 0, 0 },
    [XS_READ] = { xsDoRead, 0, 0 },
    [XS_GET_PERMS] = { xsDoGetPerms, 0, 0 },
    [XS_WATCH] = { xsDoWatch, XS_OP_NOTX, 0 },
    [XS_UNWATCH] = { xsDoUnwatch, XS_OP_NOTX, 0 },
    [XS_TRANSACTION_START] = { xsDoTransactionStart, 0, 0 },
    [XS_TRANSACTION_END] = { xsDoTransactionEnd, 0, 0 },
    [XS_INTRODUCE] = { xsDoIntroduce, XS_OP_PRIV, 0 },
    [XS_RELEASE] = { xsDoRelease, XS_OP_PRIV, 0 },
    [XS_GET_DOMAIN_PATH] = { xsDoGetDomainPath, 0, 0 },
    [XS_WRITE] = { xsDoWrite, 0, 0 },
    [XS_MKDIR] = { xsDoMkdir, 0, 0 },
    [XS_RM] = { xsDoRm, 0, 0 },
    [XS_SET_PERMS] = { xsDoSetPerms, 0, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { xsDoIsDomainIntroduced, XS_OP_PRIV, 0 },
    [XS_RESUME] = { xsDoResume, XS_OP_PRIV, XS_SINCE(3, 1) },
    [XS_SET_TARGET] = { xsDoSetTarget, XS_OP_PRIV, XS_SINCE(3, 3) },
    [XS_RESET_WATCHES] = { xsDoResetWatches, 0, XS_SINCE(4, 2) },
    [XS_DIRECTORY_PART] = { xsDoDirectoryPart, 0, XS_SINCE(4, 9) },
    /* WATCH_EVENT and ERROR only go daemon -> client; RESTRICT (4.1 to
     * 4.8, turning a dom0 connection into a guest's) is not simulated:
     * all three are ENOSYS, as in 4.17. */
};

static XsTx *
xsConnFindTx(XsConn *conn, guint32 id)
{
    for (guint i = 0; i < conn->txs->len; i++) {
        XsTx *tx = g_ptr_array_index(conn->txs, i);
        if (tx->id == id)
            return tx;
    }
    return NULL;
}

static void
xsConnDispatch(XsConn *conn, const XsHeader *hdr, const guint8 *payload)
{
    XsCtx c = { conn->xsd, conn, NULL };
    g_autoptr(GByteArray) reply = g_byte_array_new();
    int err;

    if (hdr->type >= XS_TYPE_COUNT || !xsOps[hdr->type].fn ||
        xsOps[hdr->type].since > conn->xsd->version) {
        err = ENOSYS;
    } else if (!(xsOps[hdr->type].flags & XS_OP_NOTX) && hdr->tx_id != 0 &&
               !(c.tx = xsConnFindTx(conn, hdr->tx_id))) {
        err = ENOENT;
    } else if ((xsOps[hdr->type].flags & XS_OP_PRIV) &&
               (!xsConnPrivileged(conn) || !conn->canWrite)) {
        err = EACCES;
    } else {
        /* Events caused by the request are queued by the handler, ahead
         * of its reply, as the real daemon does. */
        err = xsOps[hdr->type].fn(&c, payload, hdr->len, reply);
    }
    if (!err && reply->len > XS_PAYLOAD_MAX)
        err = E2BIG;
    if (err) {
        const char *name = xsErrorName(err);
        xsConnSend(conn, XS_ERROR, hdr->req_id, hdr->tx_id, name, strlen(name) + 1);
        return;
    }
    xsConnSend(conn, hdr->type, hdr->req_id, hdr->tx_id, reply->data, reply->len);
    if (hdr->type == XS_WATCH) {
        /* "We fire once up front": the initial event follows the reply. */
        XsWatch *w = g_ptr_array_index(conn->watches, conn->watches->len - 1);
        xsWatchSend(conn, w, w->path);
    }
}

/* ---- connections and sockets ------------------------------------------- */

static gboolean xsConnWritable(gint fd, GIOCondition cond, gpointer opaque);

static void
xsConnSend(XsConn *conn, guint32 type, guint32 req, guint32 tx,
           const void *payload, gsize len)
{
    if (conn->fd < 0 || conn->overflow)
        return;
    if (conn->out->len + XS_HEADER_SIZE + len > XS_CONN_OUT_MAX) {
        g_warning("xenstored: a client has %u bytes of replies unread; disconnecting it",
                  conn->out->len);
        conn->overflow = TRUE;
        return;
    }
    if (!xsMessageAppend(conn->out, type, req, tx, payload, len))
        g_assert_not_reached();   /* callers check the size */
    if (!conn->outSrc)
        conn->outSrc = g_unix_fd_add(conn->fd, G_IO_OUT, xsConnWritable, conn);
}

static gboolean
xsConnWritable(gint fd, GIOCondition cond, gpointer opaque)
{
    XsConn *conn = opaque;
    ssize_t n;

    while (conn->out->len > 0) {
        n = send(fd, conn->out->data, conn->out->len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return G_SOURCE_CONTINUE;
            conn->outSrc = 0;
            xsConnClose(conn);
            return G_SOURCE_REMOVE;
        }
        g_byte_array_remove_range(conn->out, 0, n);
    }
    conn->outSrc = 0;
    return G_SOURCE_REMOVE;
}

static gboolean
xsConnReadable(gint fd, GIOCondition cond, gpointer opaque)
{
    XsConn *conn = opaque;
    guint8 buf[65536];
    ssize_t n;
    XsHeader hdr;
    guint8 *payload;
    XsReaderStatus st = XS_READER_NEED_MORE;

    n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        conn->inSrc = 0;
        xsConnClose(conn);
        return G_SOURCE_REMOVE;
    }
    xsReaderFeed(&conn->rd, buf, n);
    while (!conn->overflow &&
           (st = xsReaderNext(&conn->rd, &hdr, &payload)) == XS_READER_MESSAGE) {
        xsConnDispatch(conn, &hdr, payload);
        g_free(payload);
    }
    if (conn->overflow || st == XS_READER_TOO_BIG) {
        /* xenstored stops serving a peer that announces more than the
         * protocol allows: no error reply, the socket is closed. */
        conn->inSrc = 0;
        xsConnClose(conn);
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

static void
xsConnClose(XsConn *conn)
{
    XsDaemon *xsd = conn->xsd;

    if (conn->inSrc)
        g_source_remove(conn->inSrc);
    if (conn->outSrc)
        g_source_remove(conn->outSrc);
    if (conn->fd >= 0)
        close(conn->fd);
    xsReaderClear(&conn->rd);
    g_byte_array_unref(conn->out);
    g_ptr_array_unref(conn->watches);
    g_ptr_array_unref(conn->txs);   /* open transactions are aborted */
    g_ptr_array_remove(xsd->conns, conn);
    g_free(conn);
}

static gboolean
xsListenerAccept(gint fd, GIOCondition cond, gpointer opaque)
{
    XsListener *l = opaque;
    XsConn *conn;
    int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if (cfd < 0) {
        if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK &&
            errno != ECONNABORTED)
            g_warning("xenstored: accept on %s: %s", l->path, g_strerror(errno));
        return G_SOURCE_CONTINUE;
    }
    conn = g_new0(XsConn, 1);
    conn->xsd = l->xsd;
    conn->fd = cfd;
    conn->domid = 0;
    conn->canWrite = !l->readonly;
    conn->nextTxId = 1;
    xsReaderInit(&conn->rd);
    conn->out = g_byte_array_new();
    conn->watches = g_ptr_array_new_with_free_func((GDestroyNotify)xsWatchFree);
    conn->txs = g_ptr_array_new_with_free_func((GDestroyNotify)xsTxFree);
    conn->inSrc = g_unix_fd_add(cfd, G_IO_IN | G_IO_HUP | G_IO_ERR, xsConnReadable, conn);
    g_ptr_array_add(l->xsd->conns, conn);
    return G_SOURCE_CONTINUE;
}

gboolean
xsDaemonListen(XsDaemon *xsd, const char *path, gboolean readonly, GError **error)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    XsListener *l;
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG,
                    "socket path '%s' is longer than %zu bytes", path,
                    sizeof(sa.sun_path) - 1);
        return FALSE;
    }
    strcpy(sa.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0) {
        g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
                    "cannot create socket for '%s': %s", path, g_strerror(errno));
        return FALSE;
    }
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int probe;
        gboolean live;

        if (errno != EADDRINUSE) {
            g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
                        "cannot bind '%s': %s", path, g_strerror(errno));
            close(fd);
            return FALSE;
        }
        /* Replace a stale socket, never a live one. */
        probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        live = probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0;
        if (probe >= 0)
            close(probe);
        if (live) {
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                        "'%s' is in use by another xenstored", path);
            close(fd);
            return FALSE;
        }
        if (unlink(path) < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
                        "cannot bind '%s': %s", path, g_strerror(errno));
            close(fd);
            return FALSE;
        }
    }
    if (chmod(path, 0600) < 0 || listen(fd, 16) < 0) {
        g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
                    "cannot listen on '%s': %s", path, g_strerror(errno));
        close(fd);
        return FALSE;
    }
    l = g_new0(XsListener, 1);
    l->fd = fd;
    l->path = g_strdup(path);
    l->readonly = readonly;
    l->xsd = xsd;
    l->src = g_unix_fd_add(fd, G_IO_IN, xsListenerAccept, l);
    g_ptr_array_add(xsd->listeners, l);
    return TRUE;
}

static void
xsListenerFree(XsListener *l)
{
    g_source_remove(l->src);
    close(l->fd);
    unlink(l->path);
    g_free(l->path);
    g_free(l);
}

/* ---- daemon and toolstack API ------------------------------------------ */

gboolean
xsDaemonSetXenVersion(XsDaemon *xsd, const char *version)
{
    guint major, minor;

    if (sscanf(version, "%u.%u", &major, &minor) != 2 || minor > 255)
        return FALSE;
    xsd->version = XS_SINCE(major, minor);
    return TRUE;
}

XsDaemon *
xsDaemonNew(XsDomainExistsFunc exists, gpointer opaque)
{
    static const XsPerm dom0Only = { 0, XS_PERM_NONE };
    XsDaemon *xsd = g_new0(XsDaemon, 1);
    XsCtx c = { xsd, NULL, NULL };
    XsRec *root;

    xsd->nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify)xsRecFree);
    xsd->conns = g_ptr_array_new();
    xsd->listeners = g_ptr_array_new_with_free_func((GDestroyNotify)xsListenerFree);
    xsd->domains = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)xsDomainFree);
    for (guint i = 0; i < G_N_ELEMENTS(xsd->specialPerms); i++) {
        xsd->specialPerms[i] = g_memdup2(&dom0Only, sizeof(dom0Only));
        xsd->specialNPerms[i] = 1;
    }
    xsd->exists = exists;
    xsd->opaque = opaque;
    xsd->version = XS_SINCE(4, 17);
    /* The tree xenstored itself creates: /, /tool, /tool/xenstored. */
    root = xsRecNew(&dom0Only, 1);
    xsCtxPut(&c, "/", root);
    xsCreateNode(&c, "/tool/xenstored", NULL, 0);
    return xsd;
}

void
xsDaemonFree(XsDaemon *xsd)
{
    if (!xsd)
        return;
    while (xsd->conns->len)
        xsConnClose(g_ptr_array_index(xsd->conns, 0));
    g_ptr_array_unref(xsd->conns);
    g_ptr_array_unref(xsd->listeners);
    g_hash_table_unref(xsd->nodes);
    g_hash_table_unref(xsd->domains);
    for (guint i = 0; i < G_N_ELEMENTS(xsd->specialPerms); i++)
        g_free(xsd->specialPerms[i]);
    g_free(xsd);
}

guint
xsDaemonConnectionCount(XsDaemon *xsd)
{
    return xsd->conns->len;
}

/* Run a handler as the host's toolstack (privileged, no transaction). */
static int
xsDaemonRun(XsDaemon *xsd, XsHandler fn, const void *payload, gsize len)
{
    XsCtx c = { xsd, NULL, NULL };
    g_autoptr(GByteArray) reply = g_byte_array_new();

    return fn(&c, payload, len, reply);
}

int
xsDaemonWrite(XsDaemon *xsd, const char *path, const char *value)
{
    g_autoptr(GByteArray) p = g_byte_array_new();

    g_byte_array_append(p, (const guint8 *)path, strlen(path) + 1);
    g_byte_array_append(p, (const guint8 *)value, strlen(value));
    return xsDaemonRun(xsd, xsDoWrite, p->data, p->len);
}

int
xsDaemonMkdir(XsDaemon *xsd, const char *path)
{
    return xsDaemonRun(xsd, xsDoMkdir, path, strlen(path) + 1);
}

int
xsDaemonRm(XsDaemon *xsd, const char *path)
{
    return xsDaemonRun(xsd, xsDoRm, path, strlen(path) + 1);
}

int
xsDaemonSetPerms(XsDaemon *xsd, const char *path, const char *perms)
{
    g_autoptr(GByteArray) p = g_byte_array_new();
    g_auto(GStrv) list = g_strsplit(perms, " ", -1);

    g_byte_array_append(p, (const guint8 *)path, strlen(path) + 1);
    for (guint i = 0; list[i]; i++) {
        if (*list[i])
            g_byte_array_append(p, (const guint8 *)list[i], strlen(list[i]) + 1);
    }
    return xsDaemonRun(xsd, xsDoSetPerms, p->data, p->len);
}

int
xsDaemonIntroduce(XsDaemon *xsd, guint32 domid)
{
    xsIntroduce(xsd, domid);
    return 0;
}

int
xsDaemonRelease(XsDaemon *xsd, guint32 domid)
{
    XsDomain *d;

    if (domid == 0)
        return EINVAL;
    if (!(d = g_hash_table_lookup(xsd->domains, GUINT_TO_POINTER(domid))))
        return ENOENT;
    xsReleaseDomain(xsd, d);
    return 0;
}
