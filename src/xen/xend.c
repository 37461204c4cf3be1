/*
 * xend.c: the XenD channel client (see xend.h and spec/xend.md).
 *
 * Requests are written the way libvirt wrote them (request line, the three
 * headers xend needs to answer in SXP, a form-encoded body), because that is
 * what every xend from 3.0.2 to 4.4 was tested with.  The reply is read to
 * EOF or Content-Length with poll() against one deadline for the whole
 * request, so a peer that stalls mid-reply cannot hold us longer than the
 * timeout.  GIO's socket client was considered and rejected: its
 * cancellable-based timeouts need a main context per call and it gives no
 * byte-level control over the header/body limits we enforce.
 */
#define XV_FROM VIR_FROM_XEND
#include "xen/xend.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/error.h"

struct _xvXend {
    char *unix_path; /* or NULL for TCP */
    char *host;
    int port;
    int timeout_ms;
    char *describe;
    unsigned int requests;
};

xvXend *
xvXendNewUnix(const char *path, int timeout_ms)
{
    xvXend *x = g_new0(xvXend, 1);
    x->unix_path = g_strdup(path);
    x->timeout_ms = timeout_ms > 0 ? timeout_ms : XV_XEND_DEFAULT_TIMEOUT_MS;
    x->describe = g_strdup_printf("xend at unix:%s", path);
    return x;
}

xvXend *
xvXendNewTCP(const char *host, int port, int timeout_ms)
{
    xvXend *x = g_new0(xvXend, 1);
    x->host = g_strdup(host && *host ? host : "localhost");
    x->port = port > 0 ? port : XV_XEND_DEFAULT_PORT;
    x->timeout_ms = timeout_ms > 0 ? timeout_ms : XV_XEND_DEFAULT_TIMEOUT_MS;
    x->describe = g_strdup_printf("xend at %s:%d", x->host, x->port);
    return x;
}

void
xvXendFree(xvXend *x)
{
    if (!x)
        return;
    g_free(x->unix_path);
    g_free(x->host);
    g_free(x->describe);
    g_free(x);
}

const char *
xvXendDescribe(const xvXend *x)
{
    return x->describe;
}

unsigned int
xvXendRequestCount(const xvXend *x)
{
    return x->requests;
}

/* ---- socket I/O under one deadline ------------------------------------ */

static int
remainingMs(gint64 deadline)
{
    gint64 left = (deadline - g_get_monotonic_time()) / 1000;
    return left < 0 ? 0 : (int)MIN(left, G_MAXINT);
}

/* Wait for fd to become ready for events; 0 ready, -1 reported. */
static int
waitFd(xvXend *x, int fd, short events, gint64 deadline, const char *what)
{
    for (;;) {
        struct pollfd p = {.fd = fd, .events = events};
        int rc = poll(&p, 1, remainingMs(deadline));
        if (rc > 0)
            return 0;
        if (rc == 0) {
            xvReportError(VIR_ERR_OPERATION_TIMEOUT, "%s: no answer while %s after %d ms",
                          x->describe, what, x->timeout_ms);
            return -1;
        }
        if (errno != EINTR) {
            xvReportSystemError(errno, "%s: poll failed while %s", x->describe, what);
            return -1;
        }
    }
}

static int
connectAddr(xvXend *x, int family, const struct sockaddr *addr, socklen_t len, gint64 deadline)
{
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int err = 0;
    socklen_t errlen = sizeof(err);

    if (fd < 0) {
        xvReportSystemError(errno, "%s: cannot create socket", x->describe);
        return -1;
    }
    if (family != AF_UNIX) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    if (connect(fd, addr, len) < 0) {
        if (errno != EINPROGRESS) {
            err = errno;
            goto fail;
        }
        if (waitFd(x, fd, POLLOUT, deadline, "connecting") < 0) {
            close(fd);
            return -1;
        }
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0)
            err = errno;
        if (err)
            goto fail;
    }
    return fd;

 fail:
    close(fd);
    xvReportSystemError(err, "cannot connect to %s (is xend running?)", x->describe);
    return -1;
}

static int
openConnection(xvXend *x, gint64 deadline)
{
    if (x->unix_path) {
        struct sockaddr_un sun = {.sun_family = AF_UNIX};
        if (strlen(x->unix_path) >= sizeof(sun.sun_path)) {
            xvReportError(VIR_ERR_INVALID_ARG, "xend socket path '%s' is too long",
                          x->unix_path);
            return -1;
        }
        strcpy(sun.sun_path, x->unix_path);
        return connectAddr(x, AF_UNIX, (struct sockaddr *)&sun, sizeof(sun), deadline);
    } else {
        struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_family = AF_UNSPEC};
        struct addrinfo *res = NULL;
        char port[16];
        int rc, fd = -1;

        g_snprintf(port, sizeof(port), "%d", x->port);
        rc = getaddrinfo(x->host, port, &hints, &res);
        if (rc != 0) {
            xvReportError(VIR_ERR_UNKNOWN_HOST, "%s: %s", x->host, gai_strerror(rc));
            return -1;
        }
        for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
            if (ai != res)
                virResetLastError();
            fd = connectAddr(x, ai->ai_family, ai->ai_addr, ai->ai_addrlen, deadline);
        }
        freeaddrinfo(res);
        return fd;
    }
}

static int
sendAll(xvXend *x, int fd, const char *buf, size_t len, gint64 deadline)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = send(fd, buf + done, len - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                if (waitFd(x, fd, POLLOUT, deadline, "sending the request") < 0)
                    return -1;
                continue;
            }
            xvReportSystemError(errno, "%s: cannot send request", x->describe);
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

/* Read the whole reply: until EOF, or until the header block and
 * Content-Length body bytes are in.  Bounded by the limits in xend.h. */
static int
readReply(xvXend *x, int fd, GString *buf, gint64 deadline)
{
    const size_t maxTotal = XV_XEND_MAX_REPLY + 16 * 1024;
    long long want = -1; /* total bytes, once the headers are known */

    for (;;) {
        char chunk[8192];
        ssize_t n;

        if (want >= 0 && buf->len >= (size_t)want)
            return 0;
        if (waitFd(x, fd, POLLIN, deadline, "reading the reply") < 0)
            return -1;
        n = recv(fd, chunk, sizeof(chunk), 0);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            xvReportSystemError(errno, "%s: cannot read reply", x->describe);
            return -1;
        }
        if (n == 0)
            return 0; /* EOF: whatever we have is the reply */
        g_string_append_len(buf, chunk, n);
        if (buf->len > maxTotal) {
            xvReportError(VIR_ERR_INTERNAL_ERROR, "%s: reply larger than %zu bytes",
                          x->describe, maxTotal);
            return -1;
        }
        if (want < 0) {
            const char *end = g_strstr_len(buf->str, (gssize)buf->len, "\r\n\r\n");
            if (end) {
                const char *p = buf->str;
                long long clen = -1;
                while (p < end) {
                    const char *eol = strstr(p, "\r\n");
                    if (g_ascii_strncasecmp(p, "Content-Length:", 15) == 0)
                        clen = g_ascii_strtoll(p + 15, NULL, 10);
                    p = eol + 2;
                }
                if (clen > XV_XEND_MAX_REPLY) {
                    xvReportError(VIR_ERR_INTERNAL_ERROR,
                                  "%s: reply Content-Length %lld exceeds the maximum of %d",
                                  x->describe, clen, XV_XEND_MAX_REPLY);
                    return -1;
                }
                if (clen >= 0)
                    want = (long long)(end - buf->str) + 4 + clen;
            }
        }
    }
}

typedef struct {
    int status;
    char *body; /* NUL-terminated */
    size_t body_len;
} xendReply;

static void
xendReplyClear(xendReply *r)
{
    g_free(r->body);
    r->body = NULL;
}

/* Split a raw reply into status and body; a missing or garbled status line
 * is an error naming what was received. */
static int
parseReply(xvXend *x, GString *raw, xendReply *r)
{
    const char *hdr_end = g_strstr_len(raw->str, (gssize)raw->len, "\r\n\r\n");
    const char *p = raw->str;
    long long clen = -1;
    int lines = 0;
    size_t body_off, avail;

    if (raw->len == 0) {
        xvReportError(VIR_ERR_HTTP_ERROR, "0 (%s closed the connection without replying)",
                      x->describe);
        return -1;
    }
    if (!hdr_end) {
        xvReportError(VIR_ERR_HTTP_ERROR, "0 (%s sent a truncated reply: no end of headers "
                      "in %zu bytes)", x->describe, raw->len);
        return -1;
    }
    if (g_ascii_strncasecmp(p, "HTTP/1.", 7) != 0 || !g_ascii_isdigit(p[7]) || p[8] != ' ' ||
        !g_ascii_isdigit(p[9]) || !g_ascii_isdigit(p[10]) || !g_ascii_isdigit(p[11])) {
        g_autofree char *line = g_strndup(p, MIN((size_t)(strstr(p, "\r\n") - p), 80));
        xvReportError(VIR_ERR_HTTP_ERROR, "0 (%s sent a malformed status line '%s')",
                      x->describe, line);
        return -1;
    }
    r->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    while (p < hdr_end) {
        const char *eol = strstr(p, "\r\n");
        if (++lines > XV_XEND_MAX_HEADERS) {
            xvReportError(VIR_ERR_HTTP_ERROR, "%d (%s sent more than %d header lines)",
                          r->status, x->describe, XV_XEND_MAX_HEADERS);
            return -1;
        }
        if (g_ascii_strncasecmp(p, "Content-Length:", 15) == 0) {
            char *end;
            clen = g_ascii_strtoll(p + 15, &end, 10);
            while (*end == ' ' || *end == '\t')
                end++;
            if (clen < 0 || end != eol) {
                xvReportError(VIR_ERR_HTTP_ERROR, "%d (%s sent a bad Content-Length)",
                              r->status, x->describe);
                return -1;
            }
        }
        p = eol + 2;
    }
    body_off = (size_t)(hdr_end - raw->str) + 4;
    avail = raw->len - body_off;
    if (clen >= 0 && (size_t)clen > avail) {
        xvReportError(VIR_ERR_HTTP_ERROR, "%d (%s closed the connection after %zu of %lld body "
                      "bytes)", r->status, x->describe, avail, clen);
        return -1;
    }
    r->body_len = clen >= 0 ? (size_t)clen : avail;
    if (r->body_len > XV_XEND_MAX_REPLY) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s: reply body of %zu bytes exceeds the maximum "
                      "of %d", x->describe, r->body_len, XV_XEND_MAX_REPLY);
        return -1;
    }
    r->body = g_strndup(raw->str + body_off, r->body_len);
    return 0;
}

static int
doRequest(xvXend *x, const char *method, const char *path, const char *form, xendReply *r)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)x->timeout_ms * 1000;
    g_autoptr(GString) req = g_string_new(NULL);
    g_autoptr(GString) raw = g_string_new(NULL);
    int fd, rc;

    memset(r, 0, sizeof(*r));
    g_string_append_printf(req, "%s %s HTTP/1.1\r\n", method, path);
    g_string_append(req, "Host: localhost:8000\r\n"
                         "Accept-Encoding: identity\r\n"
                         "Content-Type: application/x-www-form-urlencoded\r\n");
    if (form)
        g_string_append_printf(req, "Content-Length: %zu\r\n", strlen(form));
    g_string_append(req, "\r\n");
    if (form)
        g_string_append(req, form);

    x->requests++;
    if ((fd = openConnection(x, deadline)) < 0)
        return -1;
    rc = sendAll(x, fd, req->str, req->len, deadline);
    if (rc == 0) {
        shutdown(fd, SHUT_WR); /* one request per connection */
        rc = readReply(x, fd, raw, deadline);
    }
    close(fd);
    if (rc < 0)
        return -1;
    return parseReply(x, raw, r);
}

/* The text of (xend.err 'msg') anywhere at the top of a reply, or NULL. */
static const char *
xendErrorText(const xvSexpr *sx)
{
    const xvSexpr *head;

    if (!sx || sx->kind != XV_SEXPR_LIST || sx->items->len < 1)
        return NULL;
    head = sx->items->pdata[0];
    if (head->kind == XV_SEXPR_ATOM && strcmp(head->value, "xend.err") == 0) {
        const xvSexpr *msg = sx->items->len > 1 ? sx->items->pdata[1] : NULL;
        return msg && msg->kind == XV_SEXPR_ATOM ? msg->value : "(no message)";
    }
    return NULL;
}

/* Parse the body as SXP; an empty body is NULL without error. */
static int
parseBody(xvXend *x, const xendReply *r, const char *path, xvSexpr **out)
{
    const char *p = r->body;

    *out = NULL;
    while (*p && g_ascii_isspace(*p))
        p++;
    if (!*p || strcmp(p, "''") == 0)
        return 0;
    if (*p != '(') {
        /* Not SXP: xend's text/plain pages (404s, 501s). */
        return 0;
    }
    if (!(*out = xvSexprParse(r->body, r->body_len, XV_SEXPR_PARSE_FIRST, NULL))) {
        virErrorPtr err = virGetLastError();
        g_autofree char *why = g_strdup(err && err->message ? err->message : "bad SXP");
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s: malformed reply to %s: %s", x->describe,
                      path, why);
        return -1;
    }
    return 0;
}

static bool
isDomainPath(const char *path)
{
    return g_str_has_prefix(path, "/xend/domain/") && path[13] != '\0' && path[13] != '?';
}

int
xvXendGet(xvXend *x, const char *path, xvSexpr **reply, int *status)
{
    xendReply r;
    g_autoptr(xvSexpr) sx = NULL;
    int ret = -1;

    *reply = NULL;
    if (doRequest(x, "GET", path, NULL, &r) < 0)
        return -1;
    if (status)
        *status = r.status;
    if (r.status == 404 && isDomainPath(path)) {
        g_autofree char *name = g_strndup(path + 13, strcspn(path + 13, "?/"));
        g_autofree char *plain = g_uri_unescape_string(name, NULL);
        xvReportError(VIR_ERR_NO_DOMAIN, "%s has no domain '%s'", x->describe,
                      plain ? plain : name);
        goto out;
    }
    if (r.status >= 300 || r.status < 200) {
        g_autofree char *body = g_strescape(r.body, NULL);
        xvReportError(VIR_ERR_GET_FAILED, "%d status from %s: %s: %.200s", r.status,
                      x->describe, path, body);
        goto out;
    }
    if (parseBody(x, &r, path, &sx) < 0)
        goto out;
    if (xendErrorText(sx)) {
        xvReportError(VIR_ERR_GET_FAILED, "%s: %s: %s", x->describe, path, xendErrorText(sx));
        goto out;
    }
    *reply = g_steal_pointer(&sx);
    ret = 0;
 out:
    xendReplyClear(&r);
    return ret;
}

int
xvXendPostv(xvXend *x, const char *path, xvSexpr **reply, const char *const *kv)
{
    g_autoptr(GString) form = g_string_new(NULL);
    g_autoptr(xvSexpr) sx = NULL;
    const char *op = NULL;
    xendReply r;
    int ret = -1;

    if (reply)
        *reply = NULL;
    for (size_t i = 0; kv[i]; i += 2) {
        g_autofree char *k = g_uri_escape_string(kv[i], NULL, FALSE);
        g_autofree char *v = g_uri_escape_string(kv[i + 1] ? kv[i + 1] : "", NULL, FALSE);
        if (strcmp(kv[i], "op") == 0)
            op = kv[i + 1];
        g_string_append_printf(form, "%s%s=%s", i ? "&" : "", k, v);
    }
    if (form->len > XV_XEND_MAX_POST) {
        xvReportError(VIR_ERR_POST_FAILED, "%s: %s request of %zu bytes is larger than the "
                      "%d xend accepts", x->describe, op ? op : "POST", form->len,
                      XV_XEND_MAX_POST);
        return -1;
    }
    if (doRequest(x, "POST", path, form->str, &r) < 0)
        return -1;
    if (r.status == 404) {
        xvReportError(VIR_ERR_NO_DOMAIN, "%s: op '%s' on %s: no such domain", x->describe,
                      op ? op : "?", path);
        goto out;
    }
    if (parseBody(x, &r, path, &sx) < 0)
        goto out;
    if (xendErrorText(sx)) {
        xvReportError(VIR_ERR_POST_FAILED, "%s: op '%s' on %s failed (HTTP %d): %s",
                      x->describe, op ? op : "?", path, r.status, xendErrorText(sx));
        goto out;
    }
    if (r.status >= 300 || r.status < 200) {
        g_autofree char *body = g_strescape(r.body, NULL);
        xvReportError(VIR_ERR_POST_FAILED, "%s: op '%s' on %s failed (HTTP %d): %.200s",
                      x->describe, op ? op : "?", path, r.status, body);
        goto out;
    }
    if (reply)
        *reply = g_steal_pointer(&sx);
    ret = 0;
 out:
    xendReplyClear(&r);
    return ret;
}

int
xvXendPostValist(xvXend *x, const char *path, xvSexpr **reply, va_list ap)
{
    g_autoptr(GPtrArray) kv = g_ptr_array_new();
    const char *s;

    while ((s = va_arg(ap, const char *))) {
        g_ptr_array_add(kv, (gpointer)s);
        g_ptr_array_add(kv, va_arg(ap, char *));
    }
    g_ptr_array_add(kv, NULL);
    return xvXendPostv(x, path, reply, (const char *const *)kv->pdata);
}

int
xvXendPost(xvXend *x, const char *path, xvSexpr **reply, ...)
{
    va_list ap;
    int rc;

    va_start(ap, reply);
    rc = xvXendPostValist(x, path, reply, ap);
    va_end(ap);
    return rc;
}
