/*
 * connserver.c: listening, accepting and reading for xensim's
 * request/reply channels (see connserver.h).
 *
 * A connection's read source is dropped while its serve function runs
 * (serve may close and free it, and a source must not be removed twice)
 * and put back when serve says to keep reading.  Every fd is O_CLOEXEC and
 * non-blocking.  Kept out of here on purpose: what a request is, replies
 * and their faults -- those are each channel's.
 */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>

#include "connserver.h"
#include "host.h"

typedef struct {
    int fd;
    guint src;
} XsimListener;

struct _XsimServer {
    gpointer owner;
    gsize connSize;
    gsize maxIn;
    XsimServeFunc serve;
    XsimHeldFunc afterHeld;
    GArray *listeners;          /* XsimListener */
    GPtrArray *conns;           /* XsimConn *, owned */
    guint resumeSrc;            /* accepting paused: out of descriptors */
};

static gboolean xsimConnReadable(gint fd, GIOCondition cond, gpointer opaque);

static void
xsimConnFree(XsimConn *c)
{
    if (c->src)
        g_source_remove(c->src);
    if (c->heldSrc)
        g_source_remove(c->heldSrc);
    if (c->fd >= 0)
        close(c->fd);
    g_byte_array_unref(c->in);
    if (c->held)
        g_byte_array_unref(c->held);
    g_free(c);
}

void
xsimConnClose(XsimConn *c)
{
    g_ptr_array_remove(c->srv->conns, c);
}

static void
xsimConnWatch(XsimConn *c)
{
    c->src = g_unix_fd_add(c->fd, G_IO_IN | G_IO_HUP | G_IO_ERR, xsimConnReadable, c);
}

/* serve, then the limit: what serve left is one unfinished request, and
 * past maxIn it closes the connection (a burst of complete requests is
 * not limited, only a request).  FALSE: conn closed or a reply held. */
static gboolean
xsimConnServe(XsimConn *c)
{
    XsimServer *srv = c->srv;

    if (!srv->serve(c))
        return FALSE;
    if (srv->maxIn && c->in->len > srv->maxIn) {
        xsimConnClose(c);
        return FALSE;
    }
    return TRUE;
}

static gboolean
xsimConnSendHeld(gpointer opaque)
{
    XsimConn *c = opaque;
    XsimServer *srv = c->srv;
    gboolean ok = xsimWriteAll(c->fd, c->held->data, c->held->len);

    c->heldSrc = 0;
    g_clear_pointer(&c->held, g_byte_array_unref);
    if (!ok) {
        xsimConnClose(c);
        return G_SOURCE_REMOVE;
    }
    if (srv->afterHeld && !srv->afterHeld(c))
        return G_SOURCE_REMOVE;
    /* requests that came while the reply was held */
    if (xsimConnServe(c))
        xsimConnWatch(c);
    return G_SOURCE_REMOVE;
}

void
xsimConnHold(XsimConn *c, const void *buf, gsize len, guint delayMs)
{
    c->held = g_byte_array_new();
    g_byte_array_append(c->held, buf, len);
    if (c->src)
        g_source_remove(c->src);
    c->src = 0;
    c->heldSrc = g_timeout_add(delayMs, xsimConnSendHeld, c);
}

static gboolean
xsimConnReadable(gint fd, GIOCondition cond, gpointer opaque)
{
    XsimConn *c = opaque;
    XsimServer *srv = c->srv;
    guint8 buf[65536];
    gsize room = sizeof(buf);
    ssize_t n;
    guint src;

    /* Never more than maxIn + 1 bytes held: enough to see that an
     * unfinished request is over the limit, whatever the reads' sizes. */
    if (srv->maxIn)
        room = MIN(room, srv->maxIn + 1 - MIN(c->in->len, srv->maxIn));
    n = recv(fd, buf, room, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        c->src = 0;
        xsimConnClose(c);
        return G_SOURCE_REMOVE;
    }
    g_byte_array_append(c->in, buf, n);
    src = c->src;
    c->src = 0;                 /* serve may free c: not a source to remove */
    if (!xsimConnServe(c))
        return G_SOURCE_REMOVE;
    c->src = src;
    return G_SOURCE_CONTINUE;
}

static gboolean xsimServerAccept(gint lfd, GIOCondition cond, gpointer opaque);

static gboolean
xsimServerResume(gpointer opaque)
{
    XsimServer *srv = opaque;

    srv->resumeSrc = 0;
    for (guint i = 0; i < srv->listeners->len; i++) {
        XsimListener *l = &g_array_index(srv->listeners, XsimListener, i);
        if (!l->src)
            l->src = g_unix_fd_add(l->fd, G_IO_IN, xsimServerAccept, srv);
    }
    return G_SOURCE_REMOVE;
}

static gboolean
xsimServerAccept(gint lfd, GIOCondition cond, gpointer opaque)
{
    XsimServer *srv = opaque;
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    XsimConn *c;

    if (fd < 0) {
        if (errno != EMFILE && errno != ENFILE && errno != ENOBUFS && errno != ENOMEM)
            return G_SOURCE_CONTINUE;
        /* Out of descriptors or memory: the connection stays queued and
         * the listener readable, so stop watching it for 100 ms rather
         * than being woken again at once, forever. */
        for (guint i = 0; i < srv->listeners->len; i++) {
            XsimListener *l = &g_array_index(srv->listeners, XsimListener, i);
            if (l->fd == lfd)
                l->src = 0;
        }
        if (!srv->resumeSrc)
            srv->resumeSrc = g_timeout_add(100, xsimServerResume, srv);
        return G_SOURCE_REMOVE;
    }
    c = g_malloc0(srv->connSize);
    c->srv = srv;
    c->owner = srv->owner;
    c->fd = fd;
    c->in = g_byte_array_new();
    xsimConnWatch(c);
    g_ptr_array_add(srv->conns, c);
    return G_SOURCE_CONTINUE;
}

XsimServer *
xsimServerNew(gpointer owner, gsize connSize, gsize maxIn, XsimServeFunc serve,
              XsimHeldFunc afterHeld)
{
    XsimServer *srv = g_new0(XsimServer, 1);

    g_assert(connSize >= sizeof(XsimConn) && serve);
    srv->owner = owner;
    srv->connSize = connSize;
    srv->maxIn = maxIn;
    srv->serve = serve;
    srv->afterHeld = afterHeld;
    srv->listeners = g_array_new(FALSE, FALSE, sizeof(XsimListener));
    srv->conns = g_ptr_array_new_with_free_func((GDestroyNotify)xsimConnFree);
    return srv;
}

static gboolean
xsimServerAddListener(XsimServer *srv, int fd)
{
    XsimListener l = { .fd = fd };

    if (fd < 0)
        return FALSE;
    l.src = g_unix_fd_add(fd, G_IO_IN, xsimServerAccept, srv);
    g_array_append_val(srv->listeners, l);
    return TRUE;
}

gboolean
xsimServerListenUnix(XsimServer *srv, const char *path, GError **error)
{
    return xsimServerAddListener(srv, xsimListenUnix(path, 0600, error));
}

gboolean
xsimServerListenTcpLocal(XsimServer *srv, guint16 port, GError **error)
{
    return xsimServerAddListener(srv, xsimListenTcpLocal(port, error));
}

void
xsimServerReset(XsimServer *srv)
{
    g_ptr_array_set_size(srv->conns, 0);
    if (srv->resumeSrc)
        g_source_remove(srv->resumeSrc);
    srv->resumeSrc = 0;
    for (guint i = 0; i < srv->listeners->len; i++) {
        XsimListener *l = &g_array_index(srv->listeners, XsimListener, i);
        if (l->src)
            g_source_remove(l->src);
        close(l->fd);
    }
    g_array_set_size(srv->listeners, 0);
}

void
xsimServerFree(XsimServer *srv)
{
    if (!srv)
        return;
    xsimServerReset(srv);
    g_array_unref(srv->listeners);
    g_ptr_array_unref(srv->conns);
    g_free(srv);
}
