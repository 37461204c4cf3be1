/*
 * xenstore.c: the XenStore channel client (see xenstore.h).
 *
 * Messages are framed by the shared wire code (xs_wire.c) and written in a
 * single write() each, which the xenbus device requires.  Replies are
 * matched by req_id; WATCH_EVENT messages, which xenstored may interleave
 * at any time, are queued for xvXsReadWatch.  A broken frame (length over
 * 4096, reply to a request we never sent) poisons the connection: the
 * stream cannot be resynchronised, so every later call fails clearly
 * instead of misreading bytes.  libxenstore was not used: it is Xen's
 * library, versioned with Xen, absent on the old hosts we must support, and
 * it hides the request counts and timeouts we need.
 */
#define XV_FROM VIR_FROM_XENSTORE
#include "xen/xenstore.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/error.h"
#include "util/xs_wire.h"

typedef struct {
    char *path;
    char *token;
} xsEvent;

struct _xvXs {
    GMutex lock;
    int fd;
    char *describe;
    int timeout_ms;
    guint32 next_req;
    unsigned int requests;
    int last_errno;
    bool broken;
    XsReader reader;
    GQueue events; /* xsEvent* */
};

static void
xsEventFree(gpointer p)
{
    xsEvent *e = p;
    g_free(e->path);
    g_free(e->token);
    g_free(e);
}

static int
openPath(const char *path, GString *why)
{
    struct stat st;
    int fd;

    if (stat(path, &st) < 0) {
        g_string_append_printf(why, "%s%s: %s", why->len ? "; " : "", path, g_strerror(errno));
        return -1;
    }
    if (S_ISSOCK(st.st_mode)) {
        struct sockaddr_un sun = {.sun_family = AF_UNIX};
        if (strlen(path) >= sizeof(sun.sun_path)) {
            g_string_append_printf(why, "%s%s: path too long", why->len ? "; " : "", path);
            return -1;
        }
        strcpy(sun.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
            return fd;
    } else {
        fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd >= 0)
            return fd;
    }
    g_string_append_printf(why, "%s%s: %s", why->len ? "; " : "", path, g_strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

xvXs *
xvXsOpen(const char *const *paths, int timeout_ms)
{
    g_autoptr(GString) why = g_string_new(NULL);

    for (size_t i = 0; paths && paths[i]; i++) {
        int fd = openPath(paths[i], why);
        if (fd >= 0) {
            xvXs *xs = g_new0(xvXs, 1);
            g_mutex_init(&xs->lock);
            xs->fd = fd;
            xs->describe = g_strdup_printf("xenstore at %s", paths[i]);
            xs->timeout_ms = timeout_ms > 0 ? timeout_ms : XV_XS_DEFAULT_TIMEOUT_MS;
            xs->next_req = 1;
            xsReaderInit(&xs->reader);
            g_queue_init(&xs->events);
            return xs;
        }
    }
    xvReportError(VIR_ERR_NO_XENSTORE, "(%s)", why->len ? why->str : "no path given");
    return NULL;
}

void
xvXsClose(xvXs *xs)
{
    if (!xs)
        return;
    if (xs->fd >= 0)
        close(xs->fd);
    xsReaderClear(&xs->reader);
    g_queue_clear_full(&xs->events, xsEventFree);
    g_mutex_clear(&xs->lock);
    g_free(xs->describe);
    g_free(xs);
}

const char *
xvXsDescribe(const xvXs *xs)
{
    return xs->describe;
}

unsigned int
xvXsRequestCount(const xvXs *xs)
{
    return xs->requests;
}

int
xvXsLastErrno(const xvXs *xs)
{
    return xs->last_errno;
}

/* ---- framing ---------------------------------------------------------- */

static int
remainingMs(gint64 deadline)
{
    gint64 left = (deadline - g_get_monotonic_time()) / 1000;
    return left < 0 ? 0 : (int)MIN(left, G_MAXINT);
}

/* Read more bytes into the frame reader; 1 got some, 0 timed out, -1 error. */
static int
fillReader(xvXs *xs, gint64 deadline)
{
    char buf[4096 + 16];
    ssize_t n;

    for (;;) {
        struct pollfd p = {.fd = xs->fd, .events = POLLIN};
        int rc = poll(&p, 1, remainingMs(deadline));
        if (rc == 0)
            return 0;
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            xvReportSystemError(errno, "%s: poll", xs->describe);
            return -1;
        }
        n = read(xs->fd, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0) {
            xvReportSystemError(errno, "%s: read", xs->describe);
            xs->broken = true;
            return -1;
        }
        if (n == 0) {
            xvReportError(VIR_ERR_NO_XENSTORE, "%s closed the connection", xs->describe);
            xs->broken = true;
            return -1;
        }
        xsReaderFeed(&xs->reader, buf, (gsize)n);
        return 1;
    }
}

/* Take the next complete message off the stream; 1 got one, 0 timeout. */
static int
nextMessage(xvXs *xs, gint64 deadline, XsHeader *hdr, guint8 **payload)
{
    for (;;) {
        XsReaderStatus st = xsReaderNext(&xs->reader, hdr, payload);
        int rc;

        if (st == XS_READER_MESSAGE)
            return 1;
        if (st == XS_READER_TOO_BIG) {
            xvReportError(VIR_ERR_INTERNAL_ERROR, "%s sent a message of %u bytes, more than "
                          "the protocol's %d", xs->describe, hdr->len, XS_PAYLOAD_MAX);
            xs->broken = true;
            return -1;
        }
        if ((rc = fillReader(xs, deadline)) <= 0)
            return rc;
    }
}

static void
queueEvent(xvXs *xs, const guint8 *payload, gsize len)
{
    const char *parts[2] = {NULL, NULL};
    xsEvent *e;

    if (xsPayloadStrings(payload, len, parts, 2) < 2)
        return; /* malformed event: nothing to deliver */
    if (g_queue_get_length(&xs->events) >= XV_XS_MAX_QUEUED_EVENTS)
        xsEventFree(g_queue_pop_head(&xs->events)); /* keep the newest */
    e = g_new0(xsEvent, 1);
    e->path = g_strdup(parts[0]);
    e->token = g_strdup(parts[1]);
    g_queue_push_tail(&xs->events, e);
}

/*
 * Send one request and wait for its reply.  Returns 0 with the reply
 * payload (NUL-terminated, *len bytes), or -1: reported, except an ERROR
 * reply whose errno is in `quiet` (then xs->last_errno says which).
 */
static int
xsRequest(xvXs *xs, guint32 type, guint32 tx, const char *op, const char *path,
          const void *payload, size_t plen, int quiet, guint8 **reply, gsize *rlen)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)xs->timeout_ms * 1000;
    g_autoptr(GByteArray) msg = g_byte_array_new();
    guint32 req = xs->next_req++;
    size_t done = 0;

    *reply = NULL;
    xs->last_errno = 0;
    if (xs->broken) {
        xvReportError(VIR_ERR_NO_XENSTORE, "%s: connection unusable after an earlier "
                      "protocol error", xs->describe);
        return -1;
    }
    if (!xsMessageAppend(msg, type, req, tx, payload, plen)) {
        xvReportError(VIR_ERR_INVALID_ARG, "%s %s: request of %zu bytes exceeds xenstore's "
                      "%d-byte limit", op, path ? path : "", plen, XS_PAYLOAD_MAX);
        xs->last_errno = E2BIG;
        return -1;
    }
    xs->requests++;
    while (done < msg->len) {
        ssize_t n = write(xs->fd, msg->data + done, msg->len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            xvReportSystemError(errno, "%s: %s %s: write", xs->describe, op, path ? path : "");
            xs->broken = true;
            return -1;
        }
        done += (size_t)n;
    }

    for (;;) {
        XsHeader hdr;
        guint8 *p = NULL;
        int rc = nextMessage(xs, deadline, &hdr, &p);

        if (rc == 0) {
            xvReportError(VIR_ERR_OPERATION_TIMEOUT, "%s: no reply to %s %s within %d ms",
                          xs->describe, op, path ? path : "", xs->timeout_ms);
            xs->broken = true; /* a late reply would be misread as the next one */
            return -1;
        }
        if (rc < 0)
            return -1;
        if (hdr.type == XS_WATCH_EVENT) {
            queueEvent(xs, p, hdr.len);
            g_free(p);
            continue;
        }
        if (hdr.req_id != req) {
            g_free(p);
            xvReportError(VIR_ERR_INTERNAL_ERROR, "%s answered request %u while %u was "
                          "pending", xs->describe, hdr.req_id, req);
            xs->broken = true;
            return -1;
        }
        if (hdr.type == XS_ERROR) {
            const char *name = xsPayloadOneArg(p, hdr.len);
            xs->last_errno = xsErrorFromName(name ? name : "EINVAL");
            if (xs->last_errno != quiet)
                xvReportError(VIR_ERR_OPERATION_FAILED, "%s: %s %s: %s", xs->describe, op,
                              path ? path : "", name ? name : "malformed ERROR reply");
            g_free(p);
            return -1;
        }
        if (hdr.type != type) {
            xvReportError(VIR_ERR_INTERNAL_ERROR, "%s answered %s with a %s message",
                          xs->describe, op, xsMsgTypeName(hdr.type) ? xsMsgTypeName(hdr.type)
                                                                    : "unknown");
            g_free(p);
            xs->broken = true;
            return -1;
        }
        *reply = p;
        *rlen = hdr.len;
        return 0;
    }
}

/* Payload of NUL-terminated strings. */
static GByteArray *
argsPayload(const char *const *args)
{
    GByteArray *b = g_byte_array_new();
    for (size_t i = 0; args[i]; i++)
        g_byte_array_append(b, (const guint8 *)args[i], (guint)strlen(args[i]) + 1);
    return b;
}

static int
simpleOp(xvXs *xs, guint32 type, guint32 tx, const char *op, const char *path,
         const char *const *args, int quiet, guint8 **reply, gsize *rlen)
{
    g_autoptr(GByteArray) pl = argsPayload(args);
    int rc;

    g_mutex_lock(&xs->lock);
    rc = xsRequest(xs, type, tx, op, path, pl->data, pl->len, quiet, reply, rlen);
    g_mutex_unlock(&xs->lock);
    return rc;
}

/* Split a reply of NUL-separated strings into a GStrv. */
static char **
splitStrings(const guint8 *p, gsize len)
{
    GPtrArray *out = g_ptr_array_new();
    gsize start = 0;

    for (gsize i = 0; i < len; i++) {
        if (p[i] == '\0') {
            g_ptr_array_add(out, g_strndup((const char *)p + start, i - start));
            start = i + 1;
        }
    }
    if (start < len) /* tolerate a missing final NUL */
        g_ptr_array_add(out, g_strndup((const char *)p + start, len - start));
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

/* ---- operations ------------------------------------------------------- */

int
xvXsRead(xvXs *xs, guint32 tx, const char *path, char **value, size_t *len)
{
    const char *args[] = {path, NULL};
    guint8 *r;
    gsize n;

    *value = NULL;
    if (simpleOp(xs, XS_READ, tx, "read", path, args, ENOENT, &r, &n) < 0)
        return xs->last_errno == ENOENT ? 0 : -1;
    *value = (char *)r;
    if (len)
        *len = n;
    return 1;
}

static int
listOp(xvXs *xs, guint32 type, guint32 tx, const char *op, const char *path, char ***out)
{
    const char *args[] = {path, NULL};
    guint8 *r;
    gsize n;

    *out = NULL;
    if (simpleOp(xs, type, tx, op, path, args, ENOENT, &r, &n) < 0)
        return xs->last_errno == ENOENT ? 0 : -1;
    *out = splitStrings(r, n);
    g_free(r);
    return 1;
}

int
xvXsDirectory(xvXs *xs, guint32 tx, const char *path, char ***children)
{
    return listOp(xs, XS_DIRECTORY, tx, "directory", path, children);
}

int
xvXsGetPerms(xvXs *xs, guint32 tx, const char *path, char ***perms)
{
    return listOp(xs, XS_GET_PERMS, tx, "get-perms", path, perms);
}

int
xvXsWrite(xvXs *xs, guint32 tx, const char *path, const char *value, size_t len)
{
    g_autoptr(GByteArray) pl = g_byte_array_new();
    guint8 *r = NULL;
    gsize n;
    int rc;

    /* WRITE is "path\0value" with no NUL after the value. */
    g_byte_array_append(pl, (const guint8 *)path, (guint)strlen(path) + 1);
    g_byte_array_append(pl, (const guint8 *)value, (guint)len);
    g_mutex_lock(&xs->lock);
    rc = xsRequest(xs, XS_WRITE, tx, "write", path, pl->data, pl->len, 0, &r, &n);
    g_mutex_unlock(&xs->lock);
    g_free(r);
    return rc;
}

static int
voidOp(xvXs *xs, guint32 type, guint32 tx, const char *op, const char *path,
       const char *const *args)
{
    guint8 *r = NULL;
    gsize n;
    int rc = simpleOp(xs, type, tx, op, path, args, 0, &r, &n);
    g_free(r);
    return rc;
}

int
xvXsMkdir(xvXs *xs, guint32 tx, const char *path)
{
    const char *args[] = {path, NULL};
    return voidOp(xs, XS_MKDIR, tx, "mkdir", path, args);
}

int
xvXsRm(xvXs *xs, guint32 tx, const char *path)
{
    const char *args[] = {path, NULL};
    return voidOp(xs, XS_RM, tx, "rm", path, args);
}

int
xvXsSetPerms(xvXs *xs, guint32 tx, const char *path, const char *const *perms)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    g_ptr_array_add(args, (gpointer)path);
    for (size_t i = 0; perms[i]; i++)
        g_ptr_array_add(args, (gpointer)perms[i]);
    g_ptr_array_add(args, NULL);
    return voidOp(xs, XS_SET_PERMS, tx, "set-perms", path, (const char *const *)args->pdata);
}

char *
xvXsGetDomainPath(xvXs *xs, unsigned int domid)
{
    char id[16];
    const char *args[] = {id, NULL};
    guint8 *r;
    gsize n;

    g_snprintf(id, sizeof(id), "%u", domid);
    if (simpleOp(xs, XS_GET_DOMAIN_PATH, XV_XS_NO_TX, "get-domain-path", id, args, 0, &r,
                 &n) < 0)
        return NULL;
    return (char *)r;
}

int
xvXsTransactionStart(xvXs *xs, guint32 *tx)
{
    const char *args[] = {"", NULL};
    guint8 *r;
    gsize n;
    guint64 v;
    char *end;

    if (simpleOp(xs, XS_TRANSACTION_START, XV_XS_NO_TX, "transaction-start", NULL, args, 0, &r,
                 &n) < 0)
        return -1;
    v = g_ascii_strtoull((char *)r, &end, 10);
    if (end == (char *)r || *end != '\0' || v == 0 || v > G_MAXUINT32) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s gave a bad transaction id '%s'",
                      xs->describe, (char *)r);
        g_free(r);
        return -1;
    }
    g_free(r);
    *tx = (guint32)v;
    return 0;
}

int
xvXsTransactionEnd(xvXs *xs, guint32 tx, bool commit)
{
    const char *args[] = {commit ? "T" : "F", NULL};
    guint8 *r = NULL;
    gsize n;
    int rc = simpleOp(xs, XS_TRANSACTION_END, tx, "transaction-end", NULL, args, EAGAIN, &r, &n);

    g_free(r);
    if (rc < 0)
        return xs->last_errno == EAGAIN ? 1 : -1;
    return 0;
}

int
xvXsWatch(xvXs *xs, const char *path, const char *token)
{
    const char *args[] = {path, token, NULL};
    return voidOp(xs, XS_WATCH, XV_XS_NO_TX, "watch", path, args);
}

int
xvXsUnwatch(xvXs *xs, const char *path, const char *token)
{
    const char *args[] = {path, token, NULL};
    return voidOp(xs, XS_UNWATCH, XV_XS_NO_TX, "unwatch", path, args);
}

int
xvXsReadWatch(xvXs *xs, int timeout_ms, char **path, char **token)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)MAX(timeout_ms, 0) * 1000;
    int ret = -1;

    *path = *token = NULL;
    g_mutex_lock(&xs->lock);
    while (g_queue_is_empty(&xs->events)) {
        XsHeader hdr;
        guint8 *p = NULL;
        int rc;

        if (xs->broken) {
            xvReportError(VIR_ERR_NO_XENSTORE, "%s: connection unusable", xs->describe);
            goto out;
        }
        rc = nextMessage(xs, deadline, &hdr, &p);
        if (rc < 0)
            goto out;
        if (rc == 0) {
            ret = 0;
            goto out;
        }
        if (hdr.type == XS_WATCH_EVENT) {
            queueEvent(xs, p, hdr.len);
        } else {
            xvReportError(VIR_ERR_INTERNAL_ERROR, "%s sent an unrequested %s message",
                          xs->describe, xsMsgTypeName(hdr.type) ? xsMsgTypeName(hdr.type)
                                                                : "unknown");
            xs->broken = true;
            g_free(p);
            goto out;
        }
        g_free(p);
    }
    {
        xsEvent *e = g_queue_pop_head(&xs->events);
        *path = g_steal_pointer(&e->path);
        *token = g_steal_pointer(&e->token);
        xsEventFree(e);
        ret = 1;
    }
 out:
    g_mutex_unlock(&xs->lock);
    return ret;
}
