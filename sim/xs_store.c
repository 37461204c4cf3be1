/*
 * xs_store.c: xensim's XenStore data as one request sees it (part of
 * xenstored, see xenstored.c for the fidelity target).
 *
 * The store is a flat table path -> record, each record naming its
 * children, rather than a pointer tree: a transaction is then an overlay
 * of records in first-access order (a copy of each node taken when the
 * transaction first looks at it, also "absent"), and a commit checks each
 * against the live node's generation and copies records over, with no
 * structural merging.  A pointer tree was rejected because transactions
 * would need shadow subtrees.  Generations advance exactly as in 4.17's
 * daemon, because clients can see them (DIRECTORY_PART).
 *
 * Also here: path syntax and canonical form, and the permission check.
 * Nothing here does I/O; watch firing is xenstored.c's.
 */
#include <errno.h>
#include <string.h>

#include "xenstored_int.h"

/* ---- store records ---------------------------------------------------- */

void
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

XsRec *
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

/* Index of child name in r's list, or -1. */
int
xsRecFindChild(const XsRec *r, const char *name)
{
    for (guint i = 0; i < r->children->len; i++) {
        if (g_str_equal(g_ptr_array_index(r->children, i), name))
            return (int)i;
    }
    return -1;
}

void
xsAccessFree(XsAccess *a)
{
    g_free(a->path);
    xsRecFree(a->rec);
    g_free(a);
}

void
xsTxFree(XsTx *tx)
{
    g_hash_table_unref(tx->byPath);
    g_ptr_array_unref(tx->accessed);
    g_free(tx);
}

/* ---- paths ------------------------------------------------------------- */

char *
xsParentPath(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (slash == path)
        return g_strdup("/");
    return g_strndup(path, slash - path);
}

const char *
xsBaseName(const char *path)
{
    return strrchr(path, '/') + 1;
}

char *
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
char *
xsCanonicalize(XsCtx *c, const char *path)
{
    if (path[0] == '/' || path[0] == '@')
        return g_strdup(path);
    return g_strdup_printf("/local/domain/%u/%s", xsConnDomid(c), path);
}

/* 4.17's is_valid_nodename(): absolute, no trailing or double slash,
 * the length after a /local/domain/<id>/ prefix (id up to 5 digits) at
 * most path-max, and only [A-Za-z0-9-/_@]. */
gboolean
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
gboolean
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

gboolean
xsConnPrivileged(XsConn *conn)
{
    return !conn || conn->domid == 0;
}

guint
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
XsRec *
xsCtxGet(XsCtx *c, const char *path)
{
    if (c->tx)
        return xsTxAccess(c->xsd, c->tx, path)->rec;
    return g_hash_table_lookup(c->xsd->nodes, path);
}

/* Store rec (taking it) as the new state of path: one generation step. */
void
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
XsRec *
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

/* A change to path: watchers hear of it now, or at commit. */
void
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

XsRec *
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
int
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

/* Delete path (which exists in c's view) and its subtree, as 4.17 does:
 * each child in list order is deleted, then struck from its parent's list
 * (a write: one generation), then the node itself goes (another).  Nodes
 * are looked at parent first (a transaction records them in that order)
 * and announced children first; removed descendants notify only watches
 * on exactly their path.  A listed child that is missing (possible in a
 * transaction's view) stops the removal half-way with EIO, keeping what
 * was already done, as the real daemon does. */
int
xsDeleteTree(XsCtx *c, const char *path, gboolean top)
{
    XsRec *r = xsCtxGet(c, path);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    int err;

    for (guint i = 0; i < r->children->len; i++)
        g_ptr_array_add(names, g_strdup(g_ptr_array_index(r->children, i)));
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *child = xsChildPath(path, name);
        int idx;

        if (!xsCtxGet(c, child))
            return EIO;
        if ((err = xsDeleteTree(c, child, FALSE)))
            return err;
        r = xsCtxModify(c, path);
        if ((idx = xsRecFindChild(r, name)) >= 0)
            g_ptr_array_remove_index(r->children, idx);
    }
    c->xsd->gen++;
    xsCtxDelete(c, path);
    xsCtxFire(c, path, !top);
    return 0;
}

int
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
        } else if (a->hadLive) {
            g_hash_table_remove(xsd->nodes, a->path);
        } else {
            /* Created and removed inside the transaction: to the world
             * nothing happened, and 4.17 tells no watcher. */
            a->fire = FALSE;
        }
    }
    for (guint i = 0; i < tx->accessed->len; i++) {
        XsAccess *a = g_ptr_array_index(tx->accessed, i);
        if (a->fire)
            xsFireWatches(xsd, a->path, a->exact);
    }
    return 0;
}
