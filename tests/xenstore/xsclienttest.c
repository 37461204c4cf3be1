/*
 * xsclienttest.c: the XenStore client through every operation it has,
 * against whatever xenstored XENSTORED_PATH names -- the real C xenstored
 * 4.17 (tests/xenstore/run.sh starts it with ../shared/realxen) and
 * xensim's.  The transcript it prints is compared with one golden file for
 * both daemons, so the client is proven against the real peer and the
 * simulator is held to the same answers.
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "xen/xenstore.h"

static GString *out;

static void
say(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static void
say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(out, fmt, ap);
    va_end(ap);
    g_string_append_c(out, '\n');
}

static const char *
errName(xvXs *xs)
{
    switch (xvXsLastErrno(xs)) {
    case 0: return "-";
    case ENOENT: return "ENOENT";
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case EEXIST: return "EEXIST";
    case E2BIG: return "E2BIG";
    case EAGAIN: return "EAGAIN";
    case ENOSPC: return "ENOSPC";
    default: return "other";
    }
}

static void
rc(xvXs *xs, const char *what, int r)
{
    if (r < 0) {
        virErrorPtr err = virGetLastError();
        say("%s -> error %s (code %d)", what, errName(xs), err ? err->code : -1);
    } else {
        say("%s -> %d", what, r);
    }
    virResetLastError();
}

static void
doRead(xvXs *xs, const char *path)
{
    char *v = NULL;
    size_t len = 0;
    int r = xvXsRead(xs, XV_XS_NO_TX, path, &v, &len);
    g_autofree char *what = g_strdup_printf("read %s", path);

    if (r == 1)
        say("%s -> '%s' (%zu bytes)", what, v, len);
    else
        rc(xs, what, r);
    g_free(v);
}

static int
cmpStr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directory order is the daemon's (hash order in the real one): sorted
 * here so the transcript says what is listed, not in which order. */
static void
doList(xvXs *xs, bool perms, const char *path)
{
    g_auto(GStrv) items = NULL;
    int r = perms ? xvXsGetPerms(xs, XV_XS_NO_TX, path, &items)
                  : xvXsDirectory(xs, XV_XS_NO_TX, path, &items);
    g_autofree char *what = g_strdup_printf("%s %s", perms ? "get-perms" : "directory", path);

    if (r == 1) {
        g_autofree char *joined = NULL;
        if (!perms)
            qsort(items, g_strv_length(items), sizeof(char *), cmpStr);
        joined = g_strjoinv(",", items);
        say("%s -> [%s]", what, joined);
    } else {
        rc(xs, what, r);
    }
}

static void
doWrite(xvXs *xs, guint32 tx, const char *path, const char *value)
{
    g_autofree char *what = NULL;
    g_autofree char *shown = strlen(path) > 64 ? g_strdup_printf("%.20s...(%zu bytes)", path,
                                                                  strlen(path))
                                               : g_strdup(path);
    g_autofree char *vshown = strlen(value) > 64 ? g_strdup_printf(" <%zu bytes>", strlen(value))
                                                 : g_strdup("");
    what = g_strdup_printf("write%s %s%s", tx ? "(tx)" : "", shown, vshown);
    rc(xs, what, xvXsWrite(xs, tx, path, value, strlen(value)));
}

int
main(int argc, char **argv)
{
    const char *sock = g_getenv("XENSTORED_PATH");
    const char *paths[] = {sock, NULL};
    g_autoptr(xvXs) xs = NULL;
    g_autofree char *big = g_strnfill(5000, 'x');
    g_autofree char *longpath = NULL;
    guint32 t1 = 0, t2 = 0;
    char *wpath = NULL, *wtoken = NULL;
    const char *perms[] = {"n0", "r1", NULL};
    const char *badperms[] = {"q0", NULL};
    char *dp;

    out = g_string_new(NULL);
    if (!sock) {
        fprintf(stderr, "XENSTORED_PATH is not set\n");
        return 2;
    }
    if (!(xs = xvXsOpen(paths, 5000))) {
        fprintf(stderr, "open: %s\n", virGetLastErrorMessage());
        return 1;
    }

    /* basic nodes */
    rc(xs, "rm /test (cleanup)", xvXsRm(xs, XV_XS_NO_TX, "/test") < 0 ? 0 : 0);
    doWrite(xs, 0, "/test/a", "hello");
    doRead(xs, "/test/a");
    doWrite(xs, 0, "/test/empty", "");
    doRead(xs, "/test/empty");
    doRead(xs, "/test/missing");
    doRead(xs, "/test/missing/deeper");
    rc(xs, "mkdir /test/dir", xvXsMkdir(xs, XV_XS_NO_TX, "/test/dir"));
    rc(xs, "mkdir /test/dir (again)", xvXsMkdir(xs, XV_XS_NO_TX, "/test/dir"));
    doWrite(xs, 0, "/test/dir/x/y/z", "deep");
    doList(xs, false, "/test");
    doList(xs, false, "/test/dir/x");
    doList(xs, false, "/test/nosuch");
    doRead(xs, "/test/dir/x");

    /* permissions */
    doList(xs, true, "/test/a");
    rc(xs, "set-perms /test/a n0,r1", xvXsSetPerms(xs, XV_XS_NO_TX, "/test/a", perms));
    doList(xs, true, "/test/a");
    rc(xs, "set-perms /test/a q0", xvXsSetPerms(xs, XV_XS_NO_TX, "/test/a", badperms));
    rc(xs, "set-perms /test/nosuch n0", xvXsSetPerms(xs, XV_XS_NO_TX, "/test/nosuch", perms));

    /* bad input */
    doWrite(xs, 0, "/test/bad path", "x");
    doWrite(xs, 0, "relative/path", "x");
    doWrite(xs, 0, "/test/trailing/", "x");
    doWrite(xs, 0, "/test/big", big);
    longpath = g_strdup_printf("/test/%s", big + 1000);
    doWrite(xs, 0, longpath, "x");
    doRead(xs, "/test/a"); /* the connection still works after errors */

    /* removal */
    rc(xs, "rm /test/dir", xvXsRm(xs, XV_XS_NO_TX, "/test/dir"));
    doRead(xs, "/test/dir/x/y/z");
    rc(xs, "rm /test/missing", xvXsRm(xs, XV_XS_NO_TX, "/test/missing"));

    /* domain paths */
    dp = xvXsGetDomainPath(xs, 0);
    say("get-domain-path 0 -> %s", dp ? dp : "(error)");
    g_free(dp);
    dp = xvXsGetDomainPath(xs, 7);
    say("get-domain-path 7 -> %s", dp ? dp : "(error)");
    g_free(dp);

    /* transactions: two writers of one node, the second commit conflicts */
    doWrite(xs, 0, "/test/tx", "0");
    rc(xs, "transaction-start t1", xvXsTransactionStart(xs, &t1));
    rc(xs, "transaction-start t2", xvXsTransactionStart(xs, &t2));
    say("t1 != t2 and both nonzero -> %s", t1 && t2 && t1 != t2 ? "yes" : "no");
    doWrite(xs, t1, "/test/tx", "1");
    doWrite(xs, t2, "/test/tx", "2");
    {
        char *v = NULL;
        int r = xvXsRead(xs, t1, "/test/tx", &v, NULL);
        say("read(tx t1) /test/tx -> %d '%s'", r, v ? v : "");
        g_free(v);
    }
    doRead(xs, "/test/tx");
    rc(xs, "transaction-end t1 commit", xvXsTransactionEnd(xs, t1, true));
    rc(xs, "transaction-end t2 commit (conflict)", xvXsTransactionEnd(xs, t2, true));
    doRead(xs, "/test/tx");
    rc(xs, "transaction-end t1 again", xvXsTransactionEnd(xs, t1, true));
    rc(xs, "transaction-start t3", xvXsTransactionStart(xs, &t1));
    doWrite(xs, t1, "/test/tx", "3");
    rc(xs, "transaction-end t3 abort", xvXsTransactionEnd(xs, t1, false));
    doRead(xs, "/test/tx");

    /* watches: the immediate first event, then one per change */
    rc(xs, "watch /test/w tok1", xvXsWatch(xs, "/test/w", "tok1"));
    rc(xs, "read-watch", xvXsReadWatch(xs, 2000, &wpath, &wtoken));
    say("  event %s %s", wpath ? wpath : "-", wtoken ? wtoken : "-");
    g_clear_pointer(&wpath, g_free);
    g_clear_pointer(&wtoken, g_free);
    doWrite(xs, 0, "/test/w/child", "1");
    rc(xs, "read-watch", xvXsReadWatch(xs, 2000, &wpath, &wtoken));
    say("  event %s %s", wpath ? wpath : "-", wtoken ? wtoken : "-");
    g_clear_pointer(&wpath, g_free);
    g_clear_pointer(&wtoken, g_free);
    rc(xs, "read-watch (nothing pending)", xvXsReadWatch(xs, 100, &wpath, &wtoken));
    rc(xs, "watch /test/w tok1 (again)", xvXsWatch(xs, "/test/w", "tok1"));
    rc(xs, "unwatch /test/w tok1", xvXsUnwatch(xs, "/test/w", "tok1"));
    rc(xs, "unwatch /test/w tok1 (again)", xvXsUnwatch(xs, "/test/w", "tok1"));
    doWrite(xs, 0, "/test/w/child", "2");
    rc(xs, "read-watch (unwatched)", xvXsReadWatch(xs, 100, &wpath, &wtoken));

    rc(xs, "rm /test", xvXsRm(xs, XV_XS_NO_TX, "/test"));
    say("requests sent: %u", xvXsRequestCount(xs));

    fputs(out->str, stdout);
    g_string_free(out, TRUE);
    return 0;
}
