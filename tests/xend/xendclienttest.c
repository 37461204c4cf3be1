/*
 * xendclienttest.c: the XenD client against a scripted peer.
 *
 * Each case in tests/xenddata/cases/NAME.reply is the raw byte stream a
 * xend sends back (status line, headers, body), taken from spec/xend.md's
 * worked exchanges and real xend outputs; a thread plays it on a UNIX
 * socket after reading the client's request.  The request the client sent
 * and what the client made of the reply (the SXP it returned, or the error
 * code and message) are written to tests/xenddata/NAME.out and compared.
 * Special replies: "@silent" never answers (timeout path), "@close" closes
 * without a byte, "@slow" sends half and stalls.  End-to-end tests against
 * xensim live elsewhere; this pins the client's HTTP and error handling.
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/error.h"
#include "xen/xend.h"

typedef struct {
    int listen_fd;
    char *reply;   /* bytes to send, or @silent/@close/@slow */
    GString *request;
} Peer;

static gpointer
peerThread(gpointer data)
{
    Peer *p = data;
    int fd = accept(p->listen_fd, NULL, NULL);
    char buf[4096];
    ssize_t n;

    if (fd < 0)
        return NULL;
    /* Read the request until the client half-closes. */
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        g_string_append_len(p->request, buf, n);
    if (strcmp(p->reply, "@silent") == 0) {
        g_usleep(600 * 1000);
    } else if (strcmp(p->reply, "@slow") == 0) {
        const char *half = "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n(domain (na";
        if (write(fd, half, strlen(half)) < 0)
            g_printerr("peer write failed\n");
        g_usleep(600 * 1000);
    } else if (strcmp(p->reply, "@close") != 0) {
        if (write(fd, p->reply, strlen(p->reply)) < 0)
            g_printerr("peer write failed\n");
    }
    close(fd);
    return NULL;
}

/* Turn the readable .reply file into wire bytes: lines end with CRLF in the
 * header block; the body (after the first empty line) is sent as is, minus
 * the file's final newline. */
static char *
wireReply(const char *text)
{
    GString *out = g_string_new(NULL);
    const char *p = text;
    bool body = false;

    if (text[0] == '@')
        return g_strchomp(g_strdup(text));
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (body) {
            g_string_append(out, p);
            if (out->len && out->str[out->len - 1] == '\n')
                g_string_truncate(out, out->len - 1);
            break;
        }
        g_string_append_len(out, p, len);
        g_string_append(out, "\r\n");
        if (len == 0)
            body = true;
        p = eol ? eol + 1 : p + len;
    }
    return g_string_free(out, FALSE);
}

static void
runCase(const char *dir, const char *name, const char *method, const char *path,
        const char *const *kv, const char *sockdir, GString *report)
{
    g_autofree char *file = g_strdup_printf("%s/cases/%s.reply", dir, name);
    g_autofree char *text = NULL;
    g_autofree char *sock = g_build_filename(sockdir, name, NULL);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    Peer peer = {0};
    GThread *t;
    g_autoptr(xvXend) x = NULL;
    g_autoptr(xvSexpr) reply = NULL;
    int status = 0, rc;
    gint64 t0;

    if (!g_file_get_contents(file, &text, NULL, NULL))
        g_error("missing %s", file);
    peer.reply = wireReply(text);
    peer.request = g_string_new(NULL);
    peer.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_strlcpy(sun.sun_path, sock, sizeof(sun.sun_path));
    g_assert_cmpint(bind(peer.listen_fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    g_assert_cmpint(listen(peer.listen_fd, 1), ==, 0);
    t = g_thread_new(name, peerThread, &peer);

    x = xvXendNewUnix(sock, 300);
    virResetLastError();
    t0 = g_get_monotonic_time();
    if (strcmp(method, "GET") == 0)
        rc = xvXendGet(x, path, &reply, &status);
    else
        rc = xvXendPostv(x, path, &reply, kv);
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 2 * G_USEC_PER_SEC);
    g_thread_join(t);
    close(peer.listen_fd);
    g_unlink(sock);

    g_string_append_printf(report, "=== %s\n--- request\n", name);
    {
        g_autofree char *req = g_strdup(peer.request->str);
        g_autoptr(GString) shown = g_string_new(NULL);
        for (char *c = req; *c; c++) {
            if (*c != '\r')
                g_string_append_c(shown, *c);
        }
        g_string_append(report, shown->str);
        if (shown->len && shown->str[shown->len - 1] != '\n')
            g_string_append_c(report, '\n');
    }
    g_string_append(report, "--- result\n");
    if (rc < 0) {
        virErrorPtr err = virGetLastError();
        g_string_append_printf(report, "error code=%d domain=%d: %s\n", err ? err->code : -1,
                               err ? err->domain : -1, err ? err->message : "(none)");
    } else {
        g_autofree char *s = reply ? xvSexprFormat(reply, XV_SEXPR_FORMAT_WIRE) : NULL;
        g_string_append_printf(report, "ok status=%d reply=%s\n", status, s ? s : "(none)");
    }
    g_free(peer.reply);
    g_string_free(peer.request, TRUE);
}

/* Socket paths are temporary; the report names them SOCKDIR. */
static char *
normalise(const char *report, const char *sockdir)
{
    g_auto(GStrv) parts = g_strsplit(report, sockdir, -1);
    return g_strjoinv("SOCKDIR", parts);
}

int
main(int argc, char **argv)
{
    const char *src = g_getenv("XENVIRT_SOURCE_ROOT");
    g_autofree char *dir = g_build_filename(src ? src : ".", "tests", "xenddata", NULL);
    g_autofree char *golden = g_build_filename(dir, "client.out", NULL);
    g_autofree char *sockdir = g_dir_make_tmp("xv-xend-XXXXXX", NULL);
    g_autoptr(GString) report = g_string_new(NULL);
    g_autofree char *want = NULL;
    static const char *const none[] = {NULL};
    static const char *const pause[] = {"op", "pause", NULL};
    static const char *const mem[] = {"op", "mem_target_set", "target", "128", NULL};
    static const char *const create[] = {"op", "create", "config",
                                         "(vm (name 'a b') (memory 64))", NULL};
    static const char *const start[] = {"op", "start", NULL};

    runCase(dir, "get-domain-4.1", "GET", "/xend/domain/vm1?detail=1", none, sockdir, report);
    runCase(dir, "get-node", "GET", "/xend/node/", none, sockdir, report);
    runCase(dir, "get-domain-404", "GET", "/xend/domain/vm9?detail=1", none, sockdir, report);
    runCase(dir, "get-domain-500-3.1", "GET", "/xend/domain/vm9?detail=1", none, sockdir, report);
    runCase(dir, "post-pause-ok", "POST", "/xend/domain/vm1", pause, sockdir, report);
    runCase(dir, "post-mem-ok", "POST", "/xend/domain/vm1", mem, sockdir, report);
    runCase(dir, "post-create-201", "POST", "/xend/domain/", create, sockdir, report);
    runCase(dir, "post-start-err-500", "POST", "/xend/domain/vm1", start, sockdir, report);
    runCase(dir, "post-err-200-3.0.2", "POST", "/xend/domain/vm1", start, sockdir, report);
    runCase(dir, "bad-status-line", "GET", "/xend/node/", none, sockdir, report);
    runCase(dir, "http10-status", "GET", "/xend/node/", none, sockdir, report);
    runCase(dir, "garbled-sxp", "GET", "/xend/domain/vm1", none, sockdir, report);
    runCase(dir, "truncated-body", "GET", "/xend/domain/vm1", none, sockdir, report);
    runCase(dir, "too-large", "GET", "/xend/domain/vm1", none, sockdir, report);
    runCase(dir, "silent", "GET", "/xend/node/", none, sockdir, report);
    runCase(dir, "close", "GET", "/xend/node/", none, sockdir, report);
    runCase(dir, "slow", "GET", "/xend/domain/vm1", none, sockdir, report);
    g_rmdir(sockdir);
    {
        char *n = normalise(report->str, sockdir);
        g_string_assign(report, n);
        g_free(n);
    }

    if (g_strcmp0(g_getenv("XENVIRT_TEST_REGENERATE"), "1") == 0) {
        g_file_set_contents(golden, report->str, -1, NULL);
        return 0;
    }
    if (!g_file_get_contents(golden, &want, NULL, NULL) || strcmp(want, report->str) != 0) {
        g_autofree char *actual = g_build_filename(g_get_tmp_dir(), "xend-client.actual", NULL);
        g_autofree char *cmd = NULL;
        g_file_set_contents(actual, report->str, -1, NULL);
        cmd = g_strdup_printf("diff -u '%s' '%s'", golden, actual);
        if (system(cmd) < 0)
            g_printerr("cannot run diff\n");
        g_printerr("xend client report differs from %s\n", golden);
        return 1;
    }
    printf("17 xend client cases match %s\n", golden);
    return 0;
}
