/*
 * xen_list_bench.c: `list --all` plus virDomainGetInfo of every domain
 * through the public API on xen:///?root=DIR, against xensim hosts of 10,
 * 100 and 1000 running guests.  Printed as a table: wall time of one full
 * listing (best of RUNS), and the round trips xensim counted per channel
 * for one listing (its control socket's counters, whatever it reports).
 * The first listing of a connection is measured apart: it also reads each
 * domain's name from xenstore, which later listings take from the cache.
 * Round trips are shown for the listing alone (virConnectListAllDomains)
 * and with one virDomainGetInfo per domain, which the API makes a call
 * per domain (one hypercall each).
 *
 * Usage: xen_list_bench XENSIM_BINARY
 */
#include <glib.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xenvirt/xenvirt.h"

#define RUNS 5

static char *
control(const char *root, const char *cmd)
{
    g_autofree char *path = g_build_filename(root, "run/xensim/control", NULL);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    GString *out = g_string_new(NULL);
    char buf[1024];
    ssize_t n;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        if (fd >= 0)
            close(fd);
        return g_string_free(out, FALSE);
    }
    if (write(fd, cmd, strlen(cmd)) < 0 || write(fd, "\n", 1) < 0)
        g_printerr("control write failed\n");
    shutdown(fd, SHUT_WR);
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        g_string_append_len(out, buf, n);
    close(fd);
    return g_string_free(out, FALSE);
}

/* "name value" lines of the stats reply, joined as "name=value ...". */
static char *
counters(const char *root)
{
    g_autofree char *raw = control(root, "stats");
    g_auto(GStrv) lines = g_strsplit(raw, "\n", -1);
    GString *out = g_string_new(NULL);

    for (size_t i = 0; lines[i]; i++) {
        g_auto(GStrv) kv = g_strsplit(lines[i], " ", 2);
        if (!kv[0] || !kv[1] || strcmp(kv[0], "ok") == 0)
            continue;
        g_string_append_printf(out, "%s%s=%s", out->len ? " " : "", kv[0], kv[1]);
    }
    return g_string_free(out, FALSE);
}

/* One listing, with virDomainGetInfo of every domain when withInfo is set;
 * returns the domain count or -1. */
static int
listAll(virConnectPtr conn, bool withInfo)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);

    for (int i = 0; i < n && !withInfo; i++)
        virDomainFree(doms[i]);
    for (int i = 0; i < n && withInfo; i++) {
        virDomainInfo info;
        if (virDomainGetInfo(doms[i], &info) < 0)
            n = -1;
        virDomainFree(doms[i]);
        if (n < 0) {
            for (int j = i + 1; doms[j]; j++)
                virDomainFree(doms[j]);
            break;
        }
    }
    free(doms);
    return n;
}

int
main(int argc, char **argv)
{
    static const int sizes[] = {10, 100, 1000};

    if (argc < 2) {
        fprintf(stderr, "usage: %s XENSIM\n", argv[0]);
        return 2;
    }
    printf("%7s %7s %9s %9s  %-42s %s\n", "guests", "listed", "first ms", "best ms",
           "round trips: list only", "list + info each");
    for (size_t s = 0; s < G_N_ELEMENTS(sizes); s++) {
        g_autofree char *root = g_dir_make_tmp("xv-listbench-XXXXXX", NULL);
        g_autofree char *host = g_build_filename(root, "host", NULL);
        g_autofree char *pidfile = g_build_filename(root, "pid", NULL);
        g_autofree char *nstr = g_strdup_printf("%d", sizes[s]);
        g_autofree char *uri = g_strdup_printf("xen:///?root=%s", host);
        g_autofree char *pidtxt = NULL;
        g_autofree char *ctr = NULL;
        g_autofree char *ctrList = NULL;
        const char *args[] = {argv[1], "--root", host, "--xen-version", "4.1", "--domains",
                              nstr, "--daemon", "--pidfile", pidfile, NULL};
        g_autoptr(GError) err = NULL;
        virConnectPtr conn;
        double first, best = 1e99;
        int listed = 0;
        gint64 t0;

        if (!g_spawn_sync(NULL, (char **)args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                          NULL, &err)) {
            printf("SKIP: cannot start xensim: %s\n", err->message);
            return 77;
        }
        conn = virConnectOpen(uri);
        if (!conn) {
            printf("cannot open %s: %s\n", uri, virGetLastErrorMessage());
            return 1;
        }
        t0 = g_get_monotonic_time();
        listed = listAll(conn, true);
        first = (g_get_monotonic_time() - t0) / 1000.0;
        g_free(control(host, "reset"));
        listAll(conn, false);
        ctrList = counters(host);
        for (int r = 0; r < RUNS; r++) {
            g_free(control(host, "reset"));
            t0 = g_get_monotonic_time();
            listed = listAll(conn, true);
            best = MIN(best, (g_get_monotonic_time() - t0) / 1000.0);
            if (r == 0)
                ctr = counters(host);
        }
        printf("%7d %7d %9.1f %9.1f  %-42s %s\n", sizes[s], listed, first, best, ctrList, ctr);
        virConnectClose(conn);
        if (g_file_get_contents(pidfile, &pidtxt, NULL, NULL))
            kill((pid_t)g_ascii_strtoll(pidtxt, NULL, 10), SIGTERM);
        g_usleep(100 * 1000);
        {
            g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", root);
            if (system(cmd) != 0)
                g_printerr("could not remove %s\n", root);
        }
    }
    return 0;
}
