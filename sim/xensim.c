/*
 * xensim.c: the xensim program, a simulated Xen host under one directory.
 *
 *   xensim --root DIR [--xen-version V] [--domains N] [--daemon --pidfile F]
 *          [--tcp-port P] [--fault CHANNEL:SPEC]...
 *
 * main() only parses options, builds the host (sim/host.c) and starts
 * each channel from the table below on one GLib main loop; a channel is
 * a function that binds its endpoints under DIR and registers its sources.
 * The table holds xenstored, xend (up to Xen 4.4), the hypercall
 * endpoint, the config dir and the control socket (counters and faults for
 * tests).  It listens on nothing but UNIX sockets under DIR and, with
 * --tcp-port, xend on 127.0.0.1.  With --daemon it forks once every endpoint is listening, so
 * a caller may connect as soon as the parent has exited.  SIGHUP restarts
 * the channels (clients dropped, state kept); --fault spoils replies so
 * that clients' failure paths can be tested.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>

#include "control.h"
#include "host.h"
#include "hvsim.h"
#include "xend.h"

typedef struct {
    const char *name;
    gboolean (*start)(XsimHost *host, GError **error);
    /* SIGHUP: drop the clients, serve anew (NULL: nothing to restart) */
    gboolean (*restart)(XsimHost *host, GError **error);
    /* --fault NAME:SPEC (NULL: the channel has no faults to inject) */
    gboolean (*fault)(XsimHost *host, const char *spec, GError **error);
} XsimChannel;

static const XsimChannel xsimChannels[] = {
    { "xenstored", xsimHostStartXenstored, xsimHostRestartXenstored,
      xsimHostXenstoredFault },
    { "xend", xsimXendStart, xsimXendRestart, xsimXendFault },
    { "hv", xsimHvStart, xsimHvRestart, xsimHvFault },
    { "configdir", xsimHostStartConfigDir, NULL, NULL },
    { "control", xsimControlStart, NULL, NULL },
};

gboolean
xsimRestartChannel(XsimHost *host, const char *name, GError **error)
{
    for (guint i = 0; i < G_N_ELEMENTS(xsimChannels); i++) {
        if (g_str_equal(xsimChannels[i].name, name) && xsimChannels[i].restart)
            return xsimChannels[i].restart(host, error);
    }
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "no channel '%s' to restart (known: xenstored, xend, hv)", name);
    return FALSE;
}

gboolean
xsimAddFault(XsimHost *host, const char *arg, GError **error)
{
    const char *colon = strchr(arg, ':');

    for (guint i = 0; colon && i < G_N_ELEMENTS(xsimChannels); i++) {
        if (strlen(xsimChannels[i].name) == (gsize)(colon - arg) &&
            strncmp(arg, xsimChannels[i].name, colon - arg) == 0 &&
            xsimChannels[i].fault)
            return xsimChannels[i].fault(host, colon + 1, error);
    }
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--fault '%s': expected CHANNEL:SPEC with CHANNEL one of: xenstored, xend, hv",
                arg);
    return FALSE;
}

static gboolean
xsimRestart(gpointer opaque)
{
    XsimHost *host = opaque;

    for (guint i = 0; i < G_N_ELEMENTS(xsimChannels); i++) {
        g_autoptr(GError) err = NULL;
        if (xsimChannels[i].restart && !xsimChannels[i].restart(host, &err))
            g_warning("xensim: cannot restart %s: %s", xsimChannels[i].name, err->message);
        else if (xsimChannels[i].restart)
            g_message("xensim: %s restarted", xsimChannels[i].name);
    }
    return G_SOURCE_CONTINUE;
}

#define XSIM_DEFAULT_VERSION "4.1"
#define XSIM_MAX_DOMAINS 32000       /* domids below DOMID_FIRST_RESERVED */

static gboolean
xsimQuit(gpointer opaque)
{
    g_main_loop_quit(opaque);
    return G_SOURCE_CONTINUE;
}

static gboolean
xsimWritePidfile(const char *path, pid_t pid, GError **error)
{
    g_autofree char *text = g_strdup_printf("%ld\n", (long)pid);

    return g_file_set_contents(path, text, -1, error);
}

/* Fork into the background; the parent records the child's pid and exits.
 * Endpoints are already listening, so the child serves at once. */
static gboolean
xsimDaemonize(const char *root, const char *pidfile, GError **error)
{
    g_autofree char *logdir = g_build_filename(root, "var/log", NULL);
    g_autofree char *log = g_build_filename(logdir, "xensim.log", NULL);
    pid_t pid;
    int fd;

    if (g_mkdir_with_parents(logdir, 0755) < 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot create '%s': %s", logdir, g_strerror(errno));
        return FALSE;
    }
    if ((pid = fork()) < 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot fork: %s", g_strerror(errno));
        return FALSE;
    }
    if (pid > 0) {
        g_autoptr(GError) err = NULL;
        if (!xsimWritePidfile(pidfile, pid, &err)) {
            fprintf(stderr, "xensim: %s\n", err->message);
            kill(pid, SIGTERM);
            _exit(1);
        }
        _exit(0);
    }
    setsid();
    if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0) {
        dup2(fd, STDIN_FILENO);
        close(fd);
    }
    if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) >= 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
    return TRUE;
}

int
main(int argc, char **argv)
{
    g_autofree char *root = NULL;
    g_autofree char *version = NULL;
    g_autofree char *pidfile = NULL;
    gint domains = 0;
    gint tcpPort = 0;
    gboolean daemonize = FALSE;
    g_auto(GStrv) faults = NULL;
    GOptionEntry entries[] = {
        { "root", 0, 0, G_OPTION_ARG_FILENAME, &root,
          "Directory the host lives under (required)", "DIR" },
        { "xen-version", 0, 0, G_OPTION_ARG_STRING, &version,
          "Xen version to simulate (default " XSIM_DEFAULT_VERSION ")", "V" },
        { "domains", 0, 0, G_OPTION_ARG_INT, &domains,
          "Running guests besides Domain-0 at start (vm1 ... vmN)", "N" },
        { "tcp-port", 0, 0, G_OPTION_ARG_INT, &tcpPort,
          "Serve xend also on TCP 127.0.0.1:P (never another address)", "P" },
        { "daemon", 0, 0, G_OPTION_ARG_NONE, &daemonize,
          "Run in the background (needs --pidfile)", NULL },
        { "pidfile", 0, 0, G_OPTION_ARG_FILENAME, &pidfile,
          "Write the server's pid to F", "F" },
        { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
          "Inject a fault (repeatable): xenstored:delay=MS, xenstored:cut-header=N, "
          "xenstored:truncate=N, xenstored:oversize=N; xend: and hv: delay=MS, drop=N, "
          "garble=N", "CHANNEL:SPEC" },
        { NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("- simulated Xen host");
    g_autoptr(GError) err = NULL;
    g_autoptr(XsimHost) host = NULL;
    g_autoptr(GMainLoop) loop = NULL;

    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "xensim: %s\n", err->message);
        return 2;
    }
    if (argc > 1) {
        fprintf(stderr, "xensim: unexpected argument '%s'\n", argv[1]);
        return 2;
    }
    if (!root) {
        fprintf(stderr, "xensim: --root DIR is required\n");
        return 2;
    }
    if (!version)
        version = g_strdup(XSIM_DEFAULT_VERSION);
    if (!xsimXenVersionKnown(version)) {
        g_autofree char *known = g_strjoinv(", ", (char **)xsimXenVersions);
        fprintf(stderr, "xensim: unknown --xen-version '%s' (known: %s)\n", version, known);
        return 2;
    }
    if (domains < 0 || domains > XSIM_MAX_DOMAINS) {
        fprintf(stderr, "xensim: --domains %d is outside 0..%d\n", domains, XSIM_MAX_DOMAINS);
        return 2;
    }
    if (tcpPort < 0 || tcpPort > 65535) {
        fprintf(stderr, "xensim: --tcp-port %d is outside 0..65535\n", tcpPort);
        return 2;
    }
    if (daemonize && !pidfile) {
        fprintf(stderr, "xensim: --daemon needs --pidfile F\n");
        return 2;
    }

    signal(SIGPIPE, SIG_IGN);
    host = xsimHostNew(root, version);
    host->xendPort = (guint16)tcpPort;
    for (gint i = 1; i <= domains; i++) {
        g_autofree char *name = g_strdup_printf("vm%d", i);
        xsimHostAddGuest(host, name, 256 * 1024, 1);
    }
    for (guint i = 0; faults && faults[i]; i++) {
        if (!xsimAddFault(host, faults[i], &err)) {
            fprintf(stderr, "xensim: %s\n", err->message);
            return 2;
        }
    }
    for (guint i = 0; i < G_N_ELEMENTS(xsimChannels); i++) {
        if (!xsimChannels[i].start(host, &err)) {
            fprintf(stderr, "xensim: %s: %s\n", xsimChannels[i].name, err->message);
            return 1;
        }
    }

    if (daemonize) {
        if (!xsimDaemonize(host->root, pidfile, &err)) {
            fprintf(stderr, "xensim: %s\n", err->message);
            return 1;
        }
    } else if (pidfile && !xsimWritePidfile(pidfile, getpid(), &err)) {
        fprintf(stderr, "xensim: %s\n", err->message);
        return 1;
    }

    loop = g_main_loop_new(NULL, FALSE);
    g_unix_signal_add(SIGTERM, xsimQuit, loop);
    g_unix_signal_add(SIGINT, xsimQuit, loop);
    g_unix_signal_add(SIGHUP, xsimRestart, host);
    g_main_loop_run(loop);

    if (pidfile)
        unlink(pidfile);
    return 0;
}
