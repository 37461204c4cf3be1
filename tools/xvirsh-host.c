/*
 * xvirsh-host.c: xvirsh commands about the host and the connection
 * (nodeinfo, capabilities, version, uri, hostname).
 *
 * Each prints what the library returns in virsh 9.0's layout; none
 * computes or caches anything itself.
 */
#include "xvirsh.h"

static bool
cmdNodeinfo(XvshControl *ctl, const XvshCmd *cmd)
{
    virNodeInfo info;

    if (virNodeGetInfo(ctl->conn, &info) < 0) {
        xvshError(ctl, "%s", "failed to get node information");
        return false;
    }
    xvshPrint(ctl, "%-20s %s\n", "CPU model:", info.model);
    xvshPrint(ctl, "%-20s %d\n", "CPU(s):", info.cpus);
    if (info.mhz)
        xvshPrint(ctl, "%-20s %d MHz\n", "CPU frequency:", info.mhz);
    xvshPrint(ctl, "%-20s %d\n", "CPU socket(s):", info.sockets);
    xvshPrint(ctl, "%-20s %d\n", "Core(s) per socket:", info.cores);
    xvshPrint(ctl, "%-20s %d\n", "Thread(s) per core:", info.threads);
    xvshPrint(ctl, "%-20s %d\n", "NUMA cell(s):", info.nodes);
    xvshPrint(ctl, "%-20s %lu KiB\n", "Memory size:", info.memory);
    return true;
}

static bool
cmdCapabilities(XvshControl *ctl, const XvshCmd *cmd)
{
    g_autofree char *caps = virConnectGetCapabilities(ctl->conn);

    if (!caps) {
        xvshError(ctl, "%s", "failed to get capabilities");
        return false;
    }
    xvshPrint(ctl, "%s\n", caps);
    return true;
}

static void
xvshPrintVersionLine(XvshControl *ctl, const char *label, const char *what, unsigned long v)
{
    xvshPrint(ctl, "%s: %s %lu.%lu.%lu\n", label, what, v / 1000000, (v / 1000) % 1000, v % 1000);
}

static bool
cmdVersion(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *hvType;
    unsigned long libVersion = 0;
    unsigned long apiVersion = 0;
    unsigned long hvVersion = 0;

    /* The library lines give the libvirt API level, as scripts that check
     * virsh's version expect; `xvirsh --version` gives xenvirt's release. */
    xvshPrintVersionLine(ctl, "Compiled against library", "libvirt", LIBVIR_VERSION_NUMBER);

    if (!(hvType = virConnectGetType(ctl->conn))) {
        xvshError(ctl, "%s", "failed to get hypervisor type");
        return false;
    }
    if (virGetVersion(&libVersion, hvType, &apiVersion) < 0) {
        xvshError(ctl, "%s", "failed to get the library version");
        return false;
    }
    xvshPrintVersionLine(ctl, "Using library", "libvirt", libVersion);
    xvshPrintVersionLine(ctl, "Using API", hvType, apiVersion);

    if (virConnectGetVersion(ctl->conn, &hvVersion) < 0) {
        xvshError(ctl, "%s", "failed to get the hypervisor version");
        return false;
    }
    if (hvVersion == 0)
        xvshPrint(ctl, "Cannot extract running %s hypervisor version\n", hvType);
    else
        xvshPrintVersionLine(ctl, "Running hypervisor", hvType, hvVersion);

    if (xvshOptBool(cmd, "daemon")) {
        unsigned long daemonVersion = 0;

        /* the library that serves the connection: ours, or a daemon's */
        if (virConnectGetLibVersion(ctl->conn, &daemonVersion) < 0) {
            xvshError(ctl, "%s", "failed to get the daemon version");
            return false;
        }
        xvshPrint(ctl, "Running against daemon: %lu.%lu.%lu\n", daemonVersion / 1000000,
                  (daemonVersion / 1000) % 1000, daemonVersion % 1000);
    }
    return true;
}

static const XvshOptDef opts_version[] = {
    {.name = "daemon", .type = XVSH_OT_BOOL, .help = "also the version of the serving library"},
    {.name = NULL}
};

static bool
cmdURI(XvshControl *ctl, const XvshCmd *cmd)
{
    g_autofree char *uri = virConnectGetURI(ctl->conn);

    if (!uri) {
        xvshError(ctl, "%s", "failed to get URI");
        return false;
    }
    xvshPrint(ctl, "%s\n", uri);
    return true;
}

static bool
cmdHostname(XvshControl *ctl, const XvshCmd *cmd)
{
    g_autofree char *name = virConnectGetHostname(ctl->conn);

    if (!name) {
        xvshError(ctl, "%s", "failed to get hostname");
        return false;
    }
    xvshPrint(ctl, "%s\n", name);
    return true;
}

/* In virsh's order within its "Host and Hypervisor" group. */
const XvshCmdDef xvshHostCmds[] = {
    {.name = "capabilities", .handler = cmdCapabilities,
     .summary = "capabilities",
     .desc = "Prints the host's capabilities as XML: its CPU, and the guest\n"
             "types and architectures the hypervisor can run."},
    {.name = "hostname", .handler = cmdHostname,
     .summary = "print the hypervisor hostname"},
    {.name = "nodeinfo", .handler = cmdNodeinfo,
     .summary = "node information",
     .desc = "Prints the host's CPU model, CPU topology and memory size."},
    {.name = "uri", .handler = cmdURI,
     .summary = "print the hypervisor canonical URI"},
    {.name = "version", .handler = cmdVersion, .opts = opts_version,
     .summary = "show version",
     .desc = "Prints the versions of xvirsh's library, of the API the\n"
             "connection's driver implements and of the running hypervisor."},
    {.name = NULL}
};
