/*
 * xenstored_ops.c: the requests of the XenStore protocol, as Xen 4.17's C
 * xenstored answers them to a dom0 socket client (part of xenstored, see
 * xenstored.c): argument rules, the order of checks (which decides which
 * error a bad request gets), replies, and the domain requests with their
 * @introduceDomain / @releaseDomain events.  Each handler returns 0 with a
 * reply payload, or the errno the client gets as an ERROR.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored_int.h"

const char *const xsSpecialPaths[2] = { "@introduceDomain", "@releaseDomain" };

void
xsDomainFree(XsDomain *d)
{
    g_array_unref(d->targetRefs);
    g_free(d);
}

/* ---- requests ---------------------------------------------------------- */

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

int
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

int
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

int
xsDoRm(XsCtx *c, const guint8 *p, gsize len, GByteArray *reply)
{
    g_autofree char *path = NULL;
    g_autofree char *parentPath = NULL;
    XsRec *parent;
    int idx;
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
    /* A transaction sees each node as it was when it first looked at it,
     * so its view can be inconsistent: the node may be there while its
     * parent is gone (4.17: EINVAL, nothing changed) or does not list it
     * (4.17 removes the subtree, then fails to strike it from the parent:
     * EIO, the removal stays). */
    if (!(parent = xsCtxGet(c, parentPath)))
        return EINVAL;
    if ((err = xsDeleteTree(c, path, TRUE)))
        return err;
    if ((idx = xsRecFindChild(xsCtxGet(c, parentPath), xsBaseName(path))) < 0)
        return EIO;
    parent = xsCtxModify(c, parentPath);
    g_ptr_array_remove_index(parent->children, idx);
    xsReplyStr(reply, "OK");
    return 0;
}

static gboolean
xsDomainExists(XsDaemon *xsd, guint32 domid)
{
    return domid == 0 ||
           g_hash_table_contains(xsd->domains, GUINT_TO_POINTER(domid)) ||
           g_hash_table_contains(xsd->extDomains, GUINT_TO_POINTER(domid)) ||
           (xsd->exists && xsd->exists(domid, xsd->opaque));
}

int
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

gboolean
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
    guint32 domid;
    gboolean known;

    if (xsPayloadStrings(p, len, args, 3) < 3)
        return EINVAL;
    /* The event channel port must be non-zero; the ring gfn is not used
     * (there is no shared memory to map on a simulated host). */
    if ((guint)atoi(args[2]) == 0)
        return EINVAL;
    /* A known domain is only re-bound: no second event. */
    domid = (guint32)atoi(args[0]);
    known = xsDomainExists(c->xsd, domid);
    if (xsIntroduce(c->xsd, domid) && !known) {
        XsDomain *d = g_hash_table_lookup(c->xsd->domains, GUINT_TO_POINTER(domid));
        d->unknownToHv = TRUE;
        g_hash_table_insert(c->xsd->extDomains, GUINT_TO_POINTER(domid),
                            GUINT_TO_POINTER(XS_EXT_RUNNING));
    }
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

/* Forget d: the SET_TARGET references it holds on other domains, its
 * entry and the nodes it owns go; no event (the callers fire it). */
void
xsDropDomain(XsDaemon *xsd, XsDomain *d)
{
    guint32 domid = d->domid;
    GHashTableIter it;
    gpointer value;

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
}

/* RELEASE: drop one SET_TARGET reference if any is left (nothing else
 * happens), else forget the domain and tell the @releaseDomain watchers. */
void
xsReleaseDomain(XsDaemon *xsd, XsDomain *d)
{
    if (d->targetRefs->len > 0) {
        g_array_remove_index(d->targetRefs, d->targetRefs->len - 1);
        return;
    }
    xsDropDomain(xsd, d);
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

    /* Re-arms the one-shot shutdown notification: the next domain check
     * that finds the domain shut down fires @releaseDomain again (4.17,
     * observed in lifecycle.conv). */
    if ((err = xsDomainArg(c, p, len, &d)))
        return err;
    d->shutdown = FALSE;
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

void
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
