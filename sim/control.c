/*
 * control.c: the control socket (see control.h).  Connections are served
 * on the main loop, a line at a time, so a command sees and changes the
 * same host state the channels do.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>

#include "connserver.h"
#include "control.h"

struct _XsimControl {
    XsimHost *host;
    XsimServer *srv;
    int domctlFd;             /* the FIFO, opened read-write: never EOF */
    guint domctlSrc;
    GString *domctlIn;
};

static void
xsimCtlDomains(XsimHost *host, GString *out)
{
    for (guint i = 0; i < host->domains->len; i++) {
        XsimDomain *d = g_ptr_array_index(host->domains, i);
        const char *st = !d->active ? "inactive" : d->shutdown ? "shutdown"
                         : d->paused ? "paused" : "running";
        g_string_append_printf(out, "%d %s %s %" G_GUINT64_FORMAT "\n",
                               d->active ? (int)d->domid : -1, d->name, st, d->memoryKiB);
    }
}

static void
xsimCtlCommand(XsimHost *host, const char *line, GString *out)
{
    g_autoptr(GError) err = NULL;

    if (g_str_equal(line, "stats")) {
        g_string_append_printf(out, "xend-requests %" G_GUINT64_FORMAT "\n",
                               host->counters.xend);
        g_string_append_printf(out, "hypercalls %" G_GUINT64_FORMAT "\n",
                               host->counters.hypercalls);
        g_string_append_printf(out, "xenstore-requests %" G_GUINT64_FORMAT "\n",
                               host->xenstored ? xsDaemonRequestCount(host->xenstored) : 0);
        g_string_append_printf(out, "xenstore-connections %u\n",
                               host->xenstored ? xsDaemonConnectionCount(host->xenstored) : 0);
    } else if (g_str_equal(line, "reset")) {
        memset(&host->counters, 0, sizeof(host->counters));
        if (host->xenstored)
            xsDaemonResetRequestCount(host->xenstored);
    } else if (g_str_has_prefix(line, "fault ")) {
        if (!xsimAddFault(host, line + 6, &err)) {
            g_string_append_printf(out, "error: %s\n", err->message);
            return;
        }
    } else if (g_str_has_prefix(line, "restart ")) {
        if (!xsimRestartChannel(host, line + 8, &err)) {
            g_string_append_printf(out, "error: %s\n", err->message);
            return;
        }
    } else if (g_str_equal(line, "domains")) {
        xsimCtlDomains(host, out);
    } else {
        g_string_append_printf(out, "error: unknown command '%s' (known: stats, reset, "
                               "fault CHANNEL:SPEC, restart CHANNEL, domains)\n", line);
        return;
    }
    g_string_append(out, "ok\n");
}

/* Answers every complete line; a client that sends 64 KiB without a
 * newline is dropped (connserver's limit). */
static gboolean
xsimCtlServe(XsimConn *conn)
{
    XsimControl *ctl = conn->owner;
    guint8 *nl;

    while ((nl = memchr(conn->in->data, '\n', conn->in->len))) {
        gsize used = nl - conn->in->data + 1;
        g_autofree char *line = g_strndup((const char *)conn->in->data, used - 1);
        g_autoptr(GString) out = g_string_new(NULL);

        g_byte_array_remove_range(conn->in, 0, used);
        xsimCtlCommand(ctl->host, g_strstrip(line), out);
        if (!xsimWriteAll(conn->fd, out->str, out->len)) {
            xsimConnClose(conn);
            return FALSE;
        }
    }
    return TRUE;
}

/* DIR/run/xensim/domctl: hypervisor events for domains that are not
 * xensim's own guests, in the line protocol of the real daemon's test shim
 * (../shared/realxen/xenstored-shim.c), so one differential script drives
 * both.  Every complete line is applied, then xenstored checks its domains
 * once, as on VIRQ_DOM_EXC; a bad line is ignored, as the shim does. */
static gboolean
xsimDomctlReadable(gint fd, GIOCondition cond, gpointer opaque)
{
    XsimControl *ctl = opaque;
    char buf[512];
    ssize_t n;
    char *nl;

    while ((n = read(fd, buf, sizeof(buf))) > 0)
        g_string_append_len(ctl->domctlIn, buf, n);
    while ((nl = strchr(ctl->domctlIn->str, '\n'))) {
        char cmd[16];
        unsigned int domid;

        *nl = '\0';
        if (ctl->host->xenstored &&
            sscanf(ctl->domctlIn->str, "%15s %u", cmd, &domid) == 2)
            xsDaemonDomctl(ctl->host->xenstored, cmd, domid);
        g_string_erase(ctl->domctlIn, 0, nl - ctl->domctlIn->str + 1);
    }
    if (ctl->domctlIn->len > 4096)
        g_string_truncate(ctl->domctlIn, 0);   /* an overlong line: dropped */
    if (ctl->host->xenstored)
        xsDaemonCheckDomains(ctl->host->xenstored);
    return G_SOURCE_CONTINUE;
}

static gboolean
xsimDomctlStart(XsimControl *ctl, GError **error)
{
    g_autofree char *path = g_build_filename(ctl->host->root, "run/xensim/domctl", NULL);

    if (unlink(path) < 0 && errno != ENOENT)
        goto fail;
    if (mkfifo(path, 0600) < 0)
        goto fail;
    if ((ctl->domctlFd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
        goto fail;
    ctl->domctlIn = g_string_new(NULL);
    ctl->domctlSrc = g_unix_fd_add(ctl->domctlFd, G_IO_IN, xsimDomctlReadable, ctl);
    return TRUE;

 fail:
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                "cannot make the domain-control FIFO %s: %s", path, g_strerror(errno));
    return FALSE;
}

void
xsimControlFree(XsimControl *ctl)
{
    if (!ctl)
        return;
    xsimServerFree(ctl->srv);
    if (ctl->domctlSrc)
        g_source_remove(ctl->domctlSrc);
    if (ctl->domctlFd >= 0)
        close(ctl->domctlFd);
    if (ctl->domctlIn)
        g_string_free(ctl->domctlIn, TRUE);
    g_free(ctl);
}

gboolean
xsimControlStart(XsimHost *host, GError **error)
{
    g_autofree char *path = g_build_filename(host->root, "run/xensim/control", NULL);
    XsimControl *ctl = g_new0(XsimControl, 1);

    ctl->host = host;
    ctl->domctlFd = -1;
    ctl->srv = xsimServerNew(ctl, sizeof(XsimConn), 65536, xsimCtlServe, NULL);
    if (!xsimServerListenUnix(ctl->srv, path, error)) {
        xsimServerFree(ctl->srv);
        g_free(ctl);
        return FALSE;
    }
    host->control = ctl;
    return xsimDomctlStart(ctl, error);
}
