/*
 * xvirsh-monitor.c: xvirsh commands that look at domains without changing
 * them (list, dominfo, domstate, domblkstat, domifstat).
 *
 * Layouts, words and error lines are virsh 9.0's, so scripts that parse
 * virsh's output parse ours.  Where virsh would call an API xenvirt does
 * not have (managed save, security labels) we print what virsh prints when
 * the driver lacks that call.
 */
#include <limits.h>
#include <string.h>

#include "xvirsh.h"

static const XvshOptDef opts_domain[] = {
    {.name = "domain", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = NULL}
};

/* The state of DOM (and why, if REASON), -1 on error. */
static int
xvshDomainState(XvshControl *ctl, virDomainPtr dom, int *reason)
{
    int state;

    if (reason)
        *reason = 0;
    if (virDomainGetState(dom, &state, reason, 0) < 0)
        return -1;
    return state;
}

/* ---- list ------------------------------------------------------------- */

/* Active domains first by ID, then inactive ones by name. */
static gint
xvshDomainSorter(gconstpointer a, gconstpointer b)
{
    virDomainPtr da = *(virDomainPtr const *) a;
    virDomainPtr db = *(virDomainPtr const *) b;
    unsigned int ida = virDomainGetID(da);
    unsigned int idb = virDomainGetID(db);
    const unsigned int inactive = (unsigned int) -1;

    if (ida == inactive && idb == inactive)
        return g_ascii_strcasecmp(virDomainGetName(da), virDomainGetName(db));
    if (ida != inactive && idb != inactive)
        return ida < idb ? -1 : ida > idb;
    return ida != inactive ? -1 : 1;
}

static void
xvshDomainListFree(GPtrArray *list)
{
    if (list)
        g_ptr_array_unref(list);
}

static void
xvshDomainUnref(gpointer p)
{
    virDomainFree(p);
}

/* Every xenvirt driver implements virConnectListAllDomains, so unlike
 * virsh we need no fallback to the older listing calls. */
static GPtrArray *
xvshDomainListCollect(XvshControl *ctl, unsigned int flags)
{
    GPtrArray *list;
    virDomainPtr *doms = NULL;
    int n;

    if ((n = virConnectListAllDomains(ctl->conn, &doms, flags)) < 0) {
        xvshError(ctl, "%s", "Failed to list domains");
        return NULL;
    }
    list = g_ptr_array_new_full(n, xvshDomainUnref);
    for (int i = 0; i < n; i++)
        g_ptr_array_add(list, doms[i]);
    free(doms);
    g_ptr_array_sort(list, xvshDomainSorter);
    return list;
}

static const XvshOptDef opts_list[] = {
    {.name = "inactive", .type = XVSH_OT_BOOL, .help = "list inactive domains only"},
    {.name = "all", .type = XVSH_OT_BOOL, .help = "list active and inactive domains"},
    {.name = "transient", .type = XVSH_OT_BOOL, .help = "list transient domains"},
    {.name = "persistent", .type = XVSH_OT_BOOL, .help = "list persistent domains"},
    {.name = "with-snapshot", .type = XVSH_OT_BOOL, .help = "list domains that have a snapshot"},
    {.name = "without-snapshot", .type = XVSH_OT_BOOL, .help = "list domains without a snapshot"},
    {.name = "with-checkpoint", .type = XVSH_OT_BOOL, .help = "list domains that have a checkpoint"},
    {.name = "without-checkpoint", .type = XVSH_OT_BOOL,
     .help = "list domains without a checkpoint"},
    {.name = "state-running", .type = XVSH_OT_BOOL, .help = "list running domains"},
    {.name = "state-paused", .type = XVSH_OT_BOOL, .help = "list paused domains"},
    {.name = "state-shutoff", .type = XVSH_OT_BOOL, .help = "list shut off domains"},
    {.name = "state-other", .type = XVSH_OT_BOOL,
     .help = "list domains neither running, paused nor shut off"},
    {.name = "autostart", .type = XVSH_OT_BOOL, .help = "list domains that start with the host"},
    {.name = "no-autostart", .type = XVSH_OT_BOOL,
     .help = "list domains that do not start with the host"},
    {.name = "with-managed-save", .type = XVSH_OT_BOOL,
     .help = "list domains that have a managed save image"},
    {.name = "without-managed-save", .type = XVSH_OT_BOOL,
     .help = "list domains without a managed save image"},
    {.name = "uuid", .type = XVSH_OT_BOOL, .help = "print UUIDs only"},
    {.name = "name", .type = XVSH_OT_BOOL, .help = "print names only"},
    {.name = "id", .type = XVSH_OT_BOOL, .help = "print IDs only"},
    {.name = "table", .type = XVSH_OT_BOOL, .help = "print a table (the default)"},
    {.name = "managed-save", .type = XVSH_OT_BOOL,
     .help = "show inactive domains with a managed save image as \"saved\""},
    {.name = NULL}
};

static bool
cmdList(XvshControl *ctl, const XvshCmd *cmd)
{
    static const struct {
        const char *opt;
        unsigned int flag;
    } filters[] = {
        {"persistent", VIR_CONNECT_LIST_DOMAINS_PERSISTENT},
        {"transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT},
        {"with-managed-save", VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE},
        {"without-managed-save", VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE},
        {"autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART},
        {"no-autostart", VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART},
        {"with-snapshot", VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT},
        {"without-snapshot", VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT},
        {"with-checkpoint", VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT},
        {"without-checkpoint", VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT},
        {"state-running", VIR_CONNECT_LIST_DOMAINS_RUNNING},
        {"state-paused", VIR_CONNECT_LIST_DOMAINS_PAUSED},
        {"state-shutoff", VIR_CONNECT_LIST_DOMAINS_SHUTOFF},
        {"state-other", VIR_CONNECT_LIST_DOMAINS_OTHER},
    };
    bool optTable = xvshOptBool(cmd, "table");
    bool optUUID = xvshOptBool(cmd, "uuid");
    bool optName = xvshOptBool(cmd, "name");
    bool optID = xvshOptBool(cmd, "id");
    unsigned int flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    g_autoptr(XvshTable) table = NULL;
    GPtrArray *list;

    /* virsh's rules: --state-shutoff implies looking at inactive domains */
    if (xvshOptBool(cmd, "inactive") || xvshOptBool(cmd, "state-shutoff"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    if (xvshOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE | VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++) {
        if (xvshOptBool(cmd, filters[i].opt))
            flags |= filters[i].flag;
    }

    if (!xvshExclusive(ctl, cmd, "table", "name") || !xvshExclusive(ctl, cmd, "table", "id") ||
        !xvshExclusive(ctl, cmd, "table", "uuid"))
        return false;
    if (!optUUID && !optName && !optID)
        optTable = true;

    if (!(list = xvshDomainListCollect(ctl, flags)))
        return false;

    if (optTable)
        table = xvshTableNew("Id", "Name", "State", NULL);

    for (guint i = 0; i < list->len; i++) {
        virDomainPtr dom = g_ptr_array_index(list, i);
        unsigned int id = virDomainGetID(dom);
        char uuid[VIR_UUID_STRING_BUFLEN] = "";
        g_autofree char *idstr = NULL;
        const char *sep = "";

        idstr = id == (unsigned int) -1 ? g_strdup("-") : g_strdup_printf("%d", id);
        if (optUUID && virDomainGetUUIDString(dom, uuid) < 0) {
            xvshError(ctl, "%s", "Failed to get domain's UUID");
            xvshDomainListFree(list);
            return false;
        }

        if (optTable) {
            int state = xvshDomainState(ctl, dom, NULL);

            if (state < 0) /* it went away while we looked */
                continue;
            xvshTableAddRow(table, idstr, virDomainGetName(dom), xvshDomainStateToString(state),
                            NULL);
            continue;
        }

        if (optUUID) {
            xvshPrint(ctl, "%s", uuid);
            sep = " ";
        }
        if (optID) {
            /* IDs alone: only running domains have one */
            if (id == (unsigned int) -1 && !optUUID && !optName)
                continue;
            xvshPrint(ctl, "%s%s", sep, idstr);
            sep = " ";
        }
        if (optName)
            xvshPrint(ctl, "%s%s", sep, virDomainGetName(dom));
        xvshPrint(ctl, "\n");
    }
    if (optTable)
        xvshTablePrint(ctl, table);
    xvshDomainListFree(list);
    return true;
}

/* ---- dominfo, domstate ------------------------------------------------ */

static bool
cmdDominfo(XvshControl *ctl, const XvshCmd *cmd)
{
    virDomainPtr dom;
    virDomainInfo info;
    char uuid[VIR_UUID_STRING_BUFLEN];
    unsigned int id;
    char *ostype;
    int persistent;
    int autostart;
    bool ret = true;

    if (!(dom = xvshCommandOptDomain(ctl, cmd, NULL)))
        return false;

    id = virDomainGetID(dom);
    if (id == (unsigned int) -1)
        xvshPrint(ctl, "%-15s %s\n", "Id:", "-");
    else
        xvshPrint(ctl, "%-15s %d\n", "Id:", id);
    xvshPrint(ctl, "%-15s %s\n", "Name:", virDomainGetName(dom));
    if (virDomainGetUUIDString(dom, uuid) == 0)
        xvshPrint(ctl, "%-15s %s\n", "UUID:", uuid);
    if ((ostype = virDomainGetOSType(dom))) {
        xvshPrint(ctl, "%-15s %s\n", "OS Type:", ostype);
        free(ostype);
    }

    if (virDomainGetInfo(dom, &info) == 0) {
        xvshPrint(ctl, "%-15s %s\n", "State:", xvshDomainStateToString(info.state));
        xvshPrint(ctl, "%-15s %d\n", "CPU(s):", info.nrVirtCpu);
        if (info.cpuTime != 0)
            xvshPrint(ctl, "%-15s %.1lfs\n", "CPU time:", info.cpuTime / 1000000000.0);
        if (info.maxMem != UINT_MAX)
            xvshPrint(ctl, "%-15s %lu KiB\n", "Max memory:", info.maxMem);
        else
            xvshPrint(ctl, "%-15s %s\n", "Max memory:", "no limit");
        xvshPrint(ctl, "%-15s %lu KiB\n", "Used memory:", info.memory);
    } else {
        ret = false;
    }

    persistent = virDomainIsPersistent(dom);
    if (persistent < 0)
        xvshPrint(ctl, "%-15s %s\n", "Persistent:", "unknown");
    else
        xvshPrint(ctl, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    if (virDomainGetAutostart(dom, &autostart) == 0)
        xvshPrint(ctl, "%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");
    /* xenvirt has no managed save; virsh prints this when a driver lacks it */
    xvshPrint(ctl, "%-15s %s\n", "Managed save:", "unknown");

    virDomainFree(dom);
    return ret;
}

static const XvshOptDef opts_domstate[] = {
    {.name = "domain", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "reason", .type = XVSH_OT_BOOL, .help = "also say why the domain is in that state"},
    {.name = NULL}
};

static bool
cmdDomstate(XvshControl *ctl, const XvshCmd *cmd)
{
    virDomainPtr dom;
    int state;
    int reason;

    if (!(dom = xvshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    state = xvshDomainState(ctl, dom, &reason);
    virDomainFree(dom);
    if (state < 0)
        return false;
    if (xvshOptBool(cmd, "reason"))
        xvshPrint(ctl, "%s (%s)\n", xvshDomainStateToString(state),
                  xvshDomainStateReasonToString(state, reason));
    else
        xvshPrint(ctl, "%s\n", xvshDomainStateToString(state));
    return true;
}

/* ---- statistics ------------------------------------------------------- */

static const XvshOptDef opts_domblkstat[] = {
    {.name = "domain", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "device", .type = XVSH_OT_STRING, .help = "the disk, by target name or source path"},
    {.name = "human", .type = XVSH_OT_BOOL, .help = "print labelled values"},
    {.name = NULL}
};

static bool
cmdDomblkstat(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *name = NULL;
    const char *device = xvshOptString(cmd, "device");
    bool human = xvshOptBool(cmd, "human");
    virDomainBlockStatsStruct stats;
    virDomainPtr dom;
    int rc;
    const struct {
        const char *field;
        const char *label; /* for --human */
        const long long *value;
    } rows[] = {
        {"rd_req", "number of read operations:", &stats.rd_req},
        {"rd_bytes", "number of bytes read:", &stats.rd_bytes},
        {"wr_req", "number of write operations:", &stats.wr_req},
        {"wr_bytes", "number of bytes written:", &stats.wr_bytes},
        {"errs", "error count:", &stats.errs},
    };

    if (!(dom = xvshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (!device)
        device = "";
    rc = virDomainBlockStats(dom, device, &stats, sizeof(stats));
    virDomainFree(dom);
    if (rc < 0) {
        xvshError(ctl, "Failed to get block stats %s %s", name, device);
        return false;
    }

    if (human)
        xvshPrint(ctl, "Device: %s\n", device);
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        if (*rows[i].value < 0) /* the driver does not know this one */
            continue;
        if (human)
            xvshPrint(ctl, " %-31s %lld\n", rows[i].label, *rows[i].value);
        else
            xvshPrint(ctl, "%s %s %lld\n", device, rows[i].field, *rows[i].value);
    }
    return true;
}

static const XvshOptDef opts_domifstat[] = {
    {.name = "domain", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "interface", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "the interface, by device name or MAC address"},
    {.name = NULL}
};

static bool
cmdDomifstat(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *name = NULL;
    const char *device = xvshOptString(cmd, "interface");
    virDomainInterfaceStatsStruct stats;
    virDomainPtr dom;
    int rc;
    const struct {
        const char *field;
        long long *value;
    } rows[] = {
        {"rx_bytes", &stats.rx_bytes}, {"rx_packets", &stats.rx_packets},
        {"rx_errs", &stats.rx_errs},   {"rx_drop", &stats.rx_drop},
        {"tx_bytes", &stats.tx_bytes}, {"tx_packets", &stats.tx_packets},
        {"tx_errs", &stats.tx_errs},   {"tx_drop", &stats.tx_drop},
    };

    if (!(dom = xvshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (!xvshOptEmptyCheck(ctl, cmd, "interface")) {
        virDomainFree(dom);
        return false;
    }
    rc = virDomainInterfaceStats(dom, device, &stats, sizeof(stats));
    virDomainFree(dom);
    if (rc < 0) {
        xvshError(ctl, "Failed to get interface stats %s %s", name, device);
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        if (*rows[i].value >= 0)
            xvshPrint(ctl, "%s %s %lld\n", device, rows[i].field, *rows[i].value);
    }
    return true;
}

/* In virsh's order within its "Domain Monitoring" group. */
const XvshCmdDef xvshMonitorCmds[] = {
    {.name = "domblkstat", .handler = cmdDomblkstat, .opts = opts_domblkstat,
     .summary = "get device block stats for a domain",
     .desc = "Prints the I/O counters of one disk of a running domain."},
    {.name = "domifstat", .handler = cmdDomifstat, .opts = opts_domifstat,
     .summary = "get network interface stats for a domain",
     .desc = "Prints the traffic counters of one network interface of a\n"
             "running domain."},
    {.name = "dominfo", .handler = cmdDominfo, .opts = opts_domain,
     .summary = "domain information",
     .desc = "Prints the domain's identity, state, CPUs and memory."},
    {.name = "domstate", .handler = cmdDomstate, .opts = opts_domstate,
     .summary = "domain state",
     .desc = "Prints the state of the domain, and with --reason why it is in it."},
    {.name = "list", .handler = cmdList, .opts = opts_list,
     .summary = "list domains",
     .desc = "Lists the running domains, or with options the inactive ones\n"
             "too, filtered by state, persistence or autostart."},
    {.name = NULL}
};
