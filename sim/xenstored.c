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
 * The code is in three parts: xs_store.c (nodes and transactions),
 * xenstored_ops.c (the requests) and this file (watches, connections,
 * sockets and the toolstack API of xenstored.h).
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

#include "xenstored_int.h"

/* Replies and events queued for a peer that does not read them: past this
 * the peer is considered dead and is disconnected when next heard from
 * (memory stays bounded either way). */
#define XS_CONN_OUT_MAX (8 * 1024 * 1024)

static void
xsWatchFree(XsWatch *w)
{
    g_free(w->path);
    g_free(w->token);
    g_free(w);
}

/* ---- watches ----------------------------------------------------------- */

/* The event payload "path\0token\0" w gives for a change to path. */
static GByteArray *
xsWatchEvent(XsConn *conn, XsWatch *w, const char *path)
{
    GByteArray *ev = g_byte_array_new();

    if (w->relative) {
        g_autofree char *home = g_strdup_printf("/local/domain/%u", conn->domid);
        path += strlen(home);
        if (*path == '/')
            path++;
    }
    g_byte_array_append(ev, (const guint8 *)path, strlen(path) + 1);
    g_byte_array_append(ev, (const guint8 *)w->token, strlen(w->token) + 1);
    return ev;
}

static void
xsWatchSendEvent(XsConn *conn, GByteArray *ev)
{
    if (ev->len > XS_PAYLOAD_MAX) {
        g_warning("xenstored: watch event for '%s' exceeds %d bytes, dropped",
                  (const char *)ev->data, XS_PAYLOAD_MAX);
        return;
    }
    xsConnSend(conn, XS_WATCH_EVENT, 0, 0, ev->data, ev->len);
}

void
xsWatchSend(XsConn *conn, XsWatch *w, const char *path)
{
    g_autoptr(GByteArray) ev = xsWatchEvent(conn, w, path);

    xsWatchSendEvent(conn, ev);
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

void
xsFireWatches(XsDaemon *xsd, const char *path, gboolean exact)
{
    for (guint i = 0; i < xsd->conns->len; i++) {
        XsConn *conn = g_ptr_array_index(xsd->conns, i);
        g_autoptr(GPtrArray) sent =
            g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
        for (guint j = 0; j < conn->watches->len; j++) {
            XsWatch *w = g_ptr_array_index(conn->watches, j);
            gboolean match;
            if (exact || path[0] == '@')
                match = g_str_equal(w->path, path);
            else
                match = xsIsChild(path, w->path);
            if (match && xsConnMaySee(xsd, conn, path)) {
                g_autoptr(GByteArray) ev = xsWatchEvent(conn, w, path);
                /* Two watches with one token (say on /a and /a/b) give
                 * the same event for one change: it is sent once. */
                gboolean dup = FALSE;
                for (guint k = 0; k < sent->len && !dup; k++) {
                    GByteArray *prev = g_ptr_array_index(sent, k);
                    dup = prev->len == ev->len && memcmp(prev->data, ev->data, ev->len) == 0;
                }
                if (dup)
                    continue;
                xsWatchSendEvent(conn, ev);
                g_ptr_array_add(sent, g_steal_pointer(&ev));
            }
        }
    }
}

/* ---- connections and sockets ------------------------------------------- */

static gboolean xsConnWritable(gint fd, GIOCondition cond, gpointer opaque);
static void xsConnClose(XsConn *conn);

static gboolean
xsConnDelayDone(gpointer opaque)
{
    XsConn *conn = opaque;

    conn->delaySrc = 0;
    if (!conn->outSrc)
        conn->outSrc = g_unix_fd_add(conn->fd, G_IO_OUT, xsConnWritable, conn);
    return G_SOURCE_REMOVE;
}

/* The reply just queued (payload len bytes, at the end of conn->out) is
 * the conn->replies'th: spoil it if a fault says so. */
static void
xsConnInjectFault(XsConn *conn, gsize len)
{
    const XsFaults *f = &conn->xsd->faults;
    guint n = ++conn->replies;
    guint start = conn->out->len - XS_HEADER_SIZE - len;

    if (n == f->cutHeaderAt) {
        g_byte_array_set_size(conn->out, start + XS_HEADER_SIZE / 2);
    } else if (n == f->truncateAt) {
        g_byte_array_set_size(conn->out, start + XS_HEADER_SIZE + len / 2);
    } else if (n == f->oversizeAt) {
        XsHeader h;
        xsHeaderDecode(conn->out->data + start, &h);
        h.len = XS_PAYLOAD_MAX + 1;
        xsHeaderEncode(&h, conn->out->data + start);
        g_byte_array_set_size(conn->out, start + XS_HEADER_SIZE);
    } else {
        return;
    }
    conn->closing = TRUE;
}

void
xsConnSend(XsConn *conn, guint32 type, guint32 req, guint32 tx,
           const void *payload, gsize len)
{
    if (conn->fd < 0 || conn->overflow || conn->closing)
        return;
    if (conn->out->len + XS_HEADER_SIZE + len > XS_CONN_OUT_MAX) {
        g_warning("xenstored: a client has %u bytes of replies unread; disconnecting it",
                  conn->out->len);
        conn->overflow = TRUE;
        return;
    }
    if (!xsMessageAppend(conn->out, type, req, tx, payload, len))
        g_assert_not_reached();   /* callers check the size */
    if (type != XS_WATCH_EVENT)
        xsConnInjectFault(conn, len);
    if (conn->xsd->faults.delayMs) {
        if (!conn->outSrc && !conn->delaySrc)
            conn->delaySrc = g_timeout_add(conn->xsd->faults.delayMs, xsConnDelayDone, conn);
        return;
    }
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
    if (conn->closing)
        xsConnClose(conn);
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
    while (!conn->overflow && !conn->closing &&
           (st = xsReaderNext(&conn->rd, &hdr, &payload)) == XS_READER_MESSAGE) {
        conn->xsd->requests++;
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
    if (conn->delaySrc)
        g_source_remove(conn->delaySrc);
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
    if (!l)
        return;
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
    xsd->extDomains = g_hash_table_new(NULL, NULL);
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
xsDaemonSetFaults(XsDaemon *xsd, const XsFaults *faults)
{
    xsd->faults = *faults;
}

gboolean
xsDaemonRestart(XsDaemon *xsd, GError **error)
{
    g_autoptr(GPtrArray) old = xsd->listeners;

    while (xsd->conns->len)
        xsConnClose(g_ptr_array_index(xsd->conns, 0));
    xsd->listeners = g_ptr_array_new_with_free_func((GDestroyNotify)xsListenerFree);
    for (guint i = 0; i < old->len; i++) {
        XsListener *l = g_ptr_array_index(old, i);
        g_autofree char *path = g_strdup(l->path);
        gboolean ro = l->readonly;
        /* Close (and unlink) before binding the same path again. */
        g_ptr_array_index(old, i) = NULL;
        xsListenerFree(l);
        if (!xsDaemonListen(xsd, path, ro, error))
            return FALSE;
    }
    return TRUE;
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
    g_hash_table_unref(xsd->extDomains);
    for (guint i = 0; i < G_N_ELEMENTS(xsd->specialPerms); i++)
        g_free(xsd->specialPerms[i]);
    g_free(xsd);
}

guint
xsDaemonConnectionCount(XsDaemon *xsd)
{
    return xsd->conns->len;
}

guint64
xsDaemonRequestCount(XsDaemon *xsd)
{
    return xsd->requests;
}

void
xsDaemonResetRequestCount(XsDaemon *xsd)
{
    xsd->requests = 0;
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

/* The hypervisor no longer has d: its connection goes unless another
 * domain's SET_TARGET still holds it; when it goes, so do the references
 * it held, which may let a domain that went earlier go too.  One
 * @releaseDomain per domain forgotten. */
static void
xsDomainGone(XsDaemon *xsd, XsDomain *d)
{
    g_autoptr(GArray) held = g_array_new(FALSE, FALSE, sizeof(guint32));
    GHashTableIter it;
    gpointer value;

    d->gone = TRUE;
    if (d->targetRefs->len > 0)
        return;
    g_hash_table_iter_init(&it, xsd->domains);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        XsDomain *o = value;
        for (guint i = 0; i < o->targetRefs->len; i++) {
            if (g_array_index(o->targetRefs, guint32, i) == d->domid) {
                g_array_append_val(held, o->domid);
                break;
            }
        }
    }
    xsDropDomain(xsd, d);
    xsFireWatches(xsd, "@releaseDomain", TRUE);
    for (guint i = 0; i < held->len; i++) {
        XsDomain *o = g_hash_table_lookup(xsd->domains,
                                          GUINT_TO_POINTER(g_array_index(held, guint32, i)));
        if (o && o->gone && o->targetRefs->len == 0)
            xsDomainGone(xsd, o);
    }
}

int
xsDaemonRelease(XsDaemon *xsd, guint32 domid)
{
    XsDomain *d;

    if (domid == 0)
        return EINVAL;
    g_hash_table_remove(xsd->extDomains, GUINT_TO_POINTER(domid));
    if (!(d = g_hash_table_lookup(xsd->domains, GUINT_TO_POINTER(domid))))
        return ENOENT;
    if (!d->gone)
        xsDomainGone(xsd, d);
    return 0;
}

int
xsDaemonDomainShutdown(XsDaemon *xsd, guint32 domid)
{
    XsDomain *d = g_hash_table_lookup(xsd->domains, GUINT_TO_POINTER(domid));

    if (!d)
        return ENOENT;
    if (!d->shutdown) {
        d->shutdown = TRUE;
        xsFireWatches(xsd, "@releaseDomain", TRUE);
    }
    return 0;
}

int
xsDaemonDomctl(XsDaemon *xsd, const char *cmd, guint32 domid)
{
    gpointer key = GUINT_TO_POINTER(domid);

    if (domid == 0 || domid >= DOMID_SELF ||
        (xsd->exists && xsd->exists(domid, xsd->opaque)))
        return EINVAL;   /* dom0 always runs; xensim's guests are the host's */
    if (g_str_equal(cmd, "create"))
        g_hash_table_insert(xsd->extDomains, key, GUINT_TO_POINTER(XS_EXT_RUNNING));
    else if (g_str_equal(cmd, "shutdown"))
        g_hash_table_insert(xsd->extDomains, key, GUINT_TO_POINTER(XS_EXT_SHUTDOWN));
    else if (g_str_equal(cmd, "destroy"))
        g_hash_table_remove(xsd->extDomains, key);
    else
        return EINVAL;
    return 0;
}

void
xsDaemonCheckDomains(XsDaemon *xsd)
{
    g_autoptr(GList) ids = g_hash_table_get_keys(xsd->domains);
    g_autoptr(GArray) gone = g_array_new(FALSE, FALSE, sizeof(guint32));
    gboolean notify = FALSE;

    for (GList *l = ids; l; l = l->next) {
        guint32 domid = GPOINTER_TO_UINT(l->data);
        XsDomain *d = g_hash_table_lookup(xsd->domains, l->data);
        guint state = GPOINTER_TO_UINT(g_hash_table_lookup(xsd->extDomains, l->data));

        if (d->gone || d->unknownToHv || (xsd->exists && xsd->exists(domid, xsd->opaque)))
            continue;
        if (state == 0) {
            g_array_append_val(gone, domid);
        } else if (state == XS_EXT_SHUTDOWN && !d->shutdown) {
            d->shutdown = TRUE;
            notify = TRUE;
        }
    }
    /* A domain's going fires its own event, and 4.17 then drops the
     * pending shutdown notice. */
    for (guint i = 0; i < gone->len; i++) {
        XsDomain *d = g_hash_table_lookup(xsd->domains,
                                          GUINT_TO_POINTER(g_array_index(gone, guint32, i)));
        if (d && !d->gone) {
            xsDomainGone(xsd, d);
            notify = FALSE;
        }
    }
    if (notify)
        xsFireWatches(xsd, "@releaseDomain", TRUE);
}
