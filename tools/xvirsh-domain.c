/*
 * xvirsh-domain.c: xvirsh commands that manage domains: identity (domid,
 * domname, domuuid, dumpxml), life cycle (define, create, start,
 * shutdown, ...), memory, devices, and native config conversion.  Virtual
 * CPUs and the scheduler are in xvirsh-vcpu.c.
 *
 * Messages and layouts are virsh 9.0's, including its choice of API per
 * option combination (setmem without a flag changes the running domain,
 * setmaxmem the current one).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "xvirsh.h"

static const XvshOptDef opts_domain[] = {
    XVSH_OPT_DOMAIN,
    {.name = NULL}
};

/* ---- identity --------------------------------------------------------- */

static bool
cmdDomid(XvshControl *ctl, const XvshCmd *cmd)
{
    virDomainPtr dom = xvshCommandOptDomainBy(ctl, cmd, "domain", NULL, XVSH_BYNAME | XVSH_BYUUID);
    unsigned int id;

    if (!dom)
        return false;
    id = virDomainGetID(dom);
    if (id == (unsigned int) -1)
        xvshPrint(ctl, "%s\n", "-");
    else
        xvshPrint(ctl, "%d\n", id);
    virDomainFree(dom);
    return true;
}

static bool
cmdDomname(XvshControl *ctl, const XvshCmd *cmd)
{
    virDomainPtr dom = xvshCommandOptDomainBy(ctl, cmd, "domain", NULL, XVSH_BYID | XVSH_BYUUID);

    if (!dom)
        return false;
    xvshPrint(ctl, "%s\n", virDomainGetName(dom));
    virDomainFree(dom);
    return true;
}

static bool
cmdDomuuid(XvshControl *ctl, const XvshCmd *cmd)
{
    virDomainPtr dom = xvshCommandOptDomainBy(ctl, cmd, "domain", NULL, XVSH_BYID | XVSH_BYNAME);
    char uuid[VIR_UUID_STRING_BUFLEN];
    bool ret = true;

    if (!dom)
        return false;
    if (virDomainGetUUIDString(dom, uuid) == 0) {
        xvshPrint(ctl, "%s\n", uuid);
    } else {
        xvshError(ctl, "%s", "failed to get domain UUID");
        ret = false;
    }
    virDomainFree(dom);
    return ret;
}

static const XvshOptDef opts_dumpxml[] = {
    XVSH_OPT_DOMAIN,
    {.name = "inactive", .type = XVSH_OT_BOOL,
     .help = "show the persistent config, not the running one"},
    {.name = "security-info", .type = XVSH_OT_BOOL,
     .help = "include secrets such as VNC passwords"},
    {.name = "update-cpu", .type = XVSH_OT_BOOL, .help = "describe the guest CPU from the host's"},
    {.name = "migratable", .type = XVSH_OT_BOOL, .help = "XML fit for migrating the domain"},
    {.name = "xpath", .type = XVSH_OT_STRING, .flags = XVSH_OFLAG_NOPOS,
     .help = "print only the nodes this XPath expression selects"},
    {.name = "wrap", .type = XVSH_OT_BOOL, .help = "wrap the --xpath results in one <nodes> element"},
    {.name = NULL}
};

static bool
cmdDumpxml(XvshControl *ctl, const XvshCmd *cmd)
{
    static const struct {
        const char *opt;
        unsigned int flag;
    } map[] = {
        {"inactive", VIR_DOMAIN_XML_INACTIVE},
        {"security-info", VIR_DOMAIN_XML_SECURE},
        {"update-cpu", VIR_DOMAIN_XML_UPDATE_CPU},
        {"migratable", VIR_DOMAIN_XML_MIGRATABLE},
    };
    const char *xpath = xvshOptString(cmd, "xpath");
    unsigned int flags = 0;
    virDomainPtr dom;
    bool ret = true;
    char *xml;

    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        if (xvshOptBool(cmd, map[i].opt))
            flags |= map[i].flag;
    }
    if (!(dom = xvshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    xml = virDomainGetXMLDesc(dom, flags);
    virDomainFree(dom);
    if (!xml)
        return false;
    if (xpath)
        ret = xvshPrintXPath(ctl, xml, xpath, xvshOptBool(cmd, "wrap"));
    else
        xvshPrint(ctl, "%s", xml);
    free(xml);
    return ret;
}

/* ---- life cycle ------------------------------------------------------- */

static const XvshOptDef opts_define[] = {
    {.name = "file", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "file holding the domain's XML description"},
    {.name = "validate", .type = XVSH_OT_BOOL, .help = "check the XML against the schema"},
    {.name = NULL}
};

static bool
cmdDefine(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *from = xvshOptString(cmd, "file");
    g_autofree char *xml = NULL;
    virDomainPtr dom;

    if (!xvshOptEmptyCheck(ctl, cmd, "file") || !(xml = xvshReadFile(ctl, from)))
        return false;
    if (xvshOptBool(cmd, "validate"))
        dom = virDomainDefineXMLFlags(ctl->conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
    else
        dom = virDomainDefineXML(ctl->conn, xml);
    if (!dom) {
        xvshError(ctl, "Failed to define domain from %s", from);
        return false;
    }
    xvshPrintExtra(ctl, "Domain '%s' defined from %s\n", virDomainGetName(dom), from);
    virDomainFree(dom);
    return true;
}

static const XvshOptDef opts_undefine[] = {
    XVSH_OPT_DOMAIN,
    {.name = "managed-save", .type = XVSH_OT_BOOL,
     .help = "also remove a managed save image (xenvirt keeps none)"},
    {.name = "snapshots-metadata", .type = XVSH_OT_BOOL,
     .help = "also remove snapshot metadata (xenvirt keeps none)"},
    {.name = "checkpoints-metadata", .type = XVSH_OT_BOOL, .help = "also remove checkpoint metadata"},
    {.name = "nvram", .type = XVSH_OT_BOOL, .help = "also remove the NVRAM file"},
    {.name = "keep-nvram", .type = XVSH_OT_BOOL, .help = "keep the NVRAM file"},
    {.name = "tpm", .type = XVSH_OT_BOOL, .help = "also remove the TPM state"},
    {.name = "keep-tpm", .type = XVSH_OT_BOOL, .help = "keep the TPM state"},
    {.name = NULL}
};

static bool
cmdUndefine(XvshControl *ctl, const XvshCmd *cmd)
{
    /* --managed-save and --snapshots-metadata add a flag in virsh only when
     * the domain has a managed save image or snapshots; xenvirt has
     * neither, so they never do */
    static const struct {
        const char *opt;
        unsigned int flag;
    } map[] = {
        {"checkpoints-metadata", VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA},
        {"nvram", VIR_DOMAIN_UNDEFINE_NVRAM},
        {"keep-nvram", VIR_DOMAIN_UNDEFINE_KEEP_NVRAM},
        {"tpm", VIR_DOMAIN_UNDEFINE_TPM},
        {"keep-tpm", VIR_DOMAIN_UNDEFINE_KEEP_TPM},
    };
    const char *name = NULL;
    unsigned int flags = 0;
    virDomainPtr dom;
    int rc;

    if (!xvshExclusive(ctl, cmd, "nvram", "keep-nvram") ||
        !xvshExclusive(ctl, cmd, "tpm", "keep-tpm"))
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        if (xvshOptBool(cmd, map[i].opt))
            flags |= map[i].flag;
    }
    if (!(dom = xvshCommandOptDomain(ctl, cmd, &name)))
        return false;
    rc = virDomainUndefineFlags(dom, flags);
    if (rc < 0 && flags && !(flags & VIR_DOMAIN_UNDEFINE_NVRAM) &&
        (xvshLastErrorCode(ctl) == VIR_ERR_NO_SUPPORT ||
         xvshLastErrorCode(ctl) == VIR_ERR_INVALID_ARG)) {
        /* as virsh: a driver that knows no such flag has nothing to keep
         * or remove, so the plain call does what was asked (removing the
         * NVRAM is the one request that cannot be dropped) */
        xvshResetError(ctl);
        rc = virDomainUndefine(dom);
    }
    virDomainFree(dom);
    if (rc < 0) {
        xvshError(ctl, "Failed to undefine domain '%s'", name);
        return false;
    }
    xvshPrintExtra(ctl, "Domain '%s' has been undefined\n", name);
    return true;
}

/* create's and start's options that are virDomainCreateFlags; each
 * command offers those that apply to it. */
static const struct {
    const char *opt;
    unsigned int flag;
} xvshStartFlags[] = {
    {"paused", VIR_DOMAIN_START_PAUSED},
    {"autodestroy", VIR_DOMAIN_START_AUTODESTROY},
    {"bypass-cache", VIR_DOMAIN_START_BYPASS_CACHE},
    {"force-boot", VIR_DOMAIN_START_FORCE_BOOT},
    {"validate", VIR_DOMAIN_START_VALIDATE},
    {"reset-nvram", VIR_DOMAIN_START_RESET_NVRAM},
};

static const XvshOptDef opts_create[] = {
    {.name = "file", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "file holding the domain's XML description"},
    {.name = "paused", .type = XVSH_OT_BOOL, .help = "leave the new domain paused"},
    {.name = "autodestroy", .type = XVSH_OT_BOOL,
     .help = "destroy the domain when xvirsh disconnects"},
    {.name = "validate", .type = XVSH_OT_BOOL, .help = "check the XML against the schema"},
    {.name = "reset-nvram", .type = XVSH_OT_BOOL, .help = "start from a pristine NVRAM"},
    {.name = NULL}
};

static bool
cmdCreate(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *from = xvshOptString(cmd, "file");
    g_autofree char *xml = NULL;
    unsigned int flags = 0;
    virDomainPtr dom;

    for (size_t i = 0; i < G_N_ELEMENTS(xvshStartFlags); i++) {
        if (xvshOptBool(cmd, xvshStartFlags[i].opt))
            flags |= xvshStartFlags[i].flag;
    }
    if (!xvshOptEmptyCheck(ctl, cmd, "file") || !(xml = xvshReadFile(ctl, from)))
        return false;
    if (!(dom = virDomainCreateXML(ctl->conn, xml, flags))) {
        xvshError(ctl, "Failed to create domain from %s", from);
        return false;
    }
    xvshPrintExtra(ctl, "Domain '%s' created from %s\n", virDomainGetName(dom), from);
    virDomainFree(dom);
    return true;
}

static const XvshOptDef opts_start[] = {
    {.name = "domain", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "name or uuid of the inactive domain"},
    {.name = "paused", .type = XVSH_OT_BOOL, .help = "leave the domain paused once started"},
    {.name = "autodestroy", .type = XVSH_OT_BOOL,
     .help = "destroy the domain when xvirsh disconnects"},
    {.name = "bypass-cache", .type = XVSH_OT_BOOL, .help = "avoid the file system cache on restore"},
    {.name = "force-boot", .type = XVSH_OT_BOOL, .help = "boot afresh, ignoring any saved state"},
    {.name = "reset-nvram", .type = XVSH_OT_BOOL, .help = "start from a pristine NVRAM"},
    {.name = NULL}
};

static bool
cmdStart(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *name = NULL;
    virDomainPtr dom = xvshCommandOptDomainBy(ctl, cmd, "domain", &name, XVSH_BYNAME | XVSH_BYUUID);
    unsigned int flags = 0;
    int rc;

    if (!dom)
        return false;
    if (virDomainGetID(dom) != (unsigned int) -1) {
        xvshError(ctl, "%s", "Domain is already active");
        virDomainFree(dom);
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(xvshStartFlags); i++) {
        if (xvshOptBool(cmd, xvshStartFlags[i].opt))
            flags |= xvshStartFlags[i].flag;
    }
    rc = flags ? virDomainCreateWithFlags(dom, flags) : virDomainCreate(dom);
    name = virDomainGetName(dom);
    if (rc < 0) {
        xvshError(ctl, "Failed to start domain '%s'", name);
        virDomainFree(dom);
        return false;
    }
    xvshPrintExtra(ctl, "Domain '%s' started\n", name);
    virDomainFree(dom);
    return true;
}

static const XvshOptDef opts_shutdown[] = {
    XVSH_OPT_DOMAIN,
    {.name = "mode", .type = XVSH_OT_STRING,
     .help = "how to ask the guest: acpi|agent|initctl|signal|paravirt"},
    {.name = NULL}
};

/* --mode takes a comma-separated list; each word is one flag bit, and the
 * shutdown and reboot flag values are the same. */
static bool
xvshParseShutdownMode(XvshControl *ctl, const XvshCmd *cmd, bool reboot, unsigned int *flags)
{
    static const struct {
        const char *word;
        unsigned int flag;
    } modes[] = {
        {"acpi", VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN},
        {"agent", VIR_DOMAIN_SHUTDOWN_GUEST_AGENT},
        {"initctl", VIR_DOMAIN_SHUTDOWN_INITCTL},
        {"signal", VIR_DOMAIN_SHUTDOWN_SIGNAL},
        {"paravirt", VIR_DOMAIN_SHUTDOWN_PARAVIRT},
    };
    const char *mode = xvshOptString(cmd, "mode");
    g_auto(GStrv) words = NULL;

    *flags = 0;
    if (!xvshOptEmptyCheck(ctl, cmd, "mode"))
        return false;
    if (!mode)
        return true;
    words = g_strsplit(mode, ",", -1);
    for (size_t i = 0; words[i]; i++) {
        size_t j;

        for (j = 0; j < G_N_ELEMENTS(modes); j++) {
            if (strcmp(words[i], modes[j].word) == 0)
                break;
        }
        if (j == G_N_ELEMENTS(modes)) {
            /* sic: virsh words the two messages differently */
            xvshError(ctl, "Unknown mode %s value, expecting "
                      "'acpi', 'agent', 'initctl', 'signal'%s or 'paravirt'", words[i],
                      reboot ? "" : ",");
            return false;
        }
        *flags |= modes[j].flag;
    }
    return true;
}

static bool
cmdShutdown(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *name = NULL;
    unsigned int flags;
    virDomainPtr dom;
    int rc;

    if (!xvshParseShutdownMode(ctl, cmd, false, &flags))
        return false;
    if (!(dom = xvshCommandOptDomain(ctl, cmd, &name)))
        return false;
    rc = flags ? virDomainShutdownFlags(dom, flags) : virDomainShutdown(dom);
    virDomainFree(dom);
    if (rc < 0) {
        xvshError(ctl, "Failed to shutdown domain '%s'", name);
        return false;
    }
    xvshPrintExtra(ctl, "Domain '%s' is being shutdown\n", name);
    return true;
}

static bool
cmdReboot(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *name = NULL;
    unsigned int flags;
    virDomainPtr dom;
    int rc;

    if (!xvshParseShutdownMode(ctl, cmd, true, &flags))
        return false;
    if (!(dom = xvshCommandOptDomain(ctl, cmd, &name)))
        return false;
    rc = virDomainReboot(dom, flags);
    virDomainFree(dom);
    if (rc < 0) {
        xvshError(ctl, "Failed to reboot domain '%s'", name);
        return false;
    }
    xvshPrintExtra(ctl, "Domain '%s' is being rebooted\n", name);
    return true;
}

static const XvshOptDef opts_destroy[] = {
    XVSH_OPT_DOMAIN,
    {.name = "graceful", .type = XVSH_OT_BOOL, .help = "give the domain a chance to stop cleanly"},
    {.name = "remove-logs", .type = XVSH_OT_BOOL, .help = "also remove the domain's log files"},
    {.name = NULL}
};

static bool
cmdDestroy(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *name = NULL;
    virDomainPtr dom = xvshCommandOptDomain(ctl, cmd, &name);
    unsigned int flags = 0;
    int rc;

    if (!dom)
        return false;
    if (xvshOptBool(cmd, "graceful"))
        flags |= VIR_DOMAIN_DESTROY_GRACEFUL;
    if (xvshOptBool(cmd, "remove-logs"))
        flags |= VIR_DOMAIN_DESTROY_REMOVE_LOGS;
    rc = flags ? virDomainDestroyFlags(dom, flags) : virDomainDestroy(dom);
    virDomainFree(dom);
    if (rc < 0) {
        xvshError(ctl, "Failed to destroy domain '%s'", name);
        return false;
    }
    xvshPrintExtra(ctl, "Domain '%s' destroyed\n", name);
    return true;
}

static bool
cmdSuspend(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *name = NULL;
    virDomainPtr dom = xvshCommandOptDomain(ctl, cmd, &name);
    int rc;

    if (!dom)
        return false;
    rc = virDomainSuspend(dom);
    virDomainFree(dom);
    if (rc < 0) {
        xvshError(ctl, "Failed to suspend domain '%s'", name);
        return false;
    }
    xvshPrintExtra(ctl, "Domain '%s' suspended\n", name);
    return true;
}

static bool
cmdResume(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *name = NULL;
    virDomainPtr dom = xvshCommandOptDomain(ctl, cmd, &name);
    int rc;

    if (!dom)
        return false;
    rc = virDomainResume(dom);
    virDomainFree(dom);
    if (rc < 0) {
        xvshError(ctl, "Failed to resume domain '%s'", name);
        return false;
    }
    xvshPrintExtra(ctl, "Domain '%s' resumed\n", name);
    return true;
}

static const XvshOptDef opts_autostart[] = {
    XVSH_OPT_DOMAIN,
    {.name = "disable", .type = XVSH_OT_BOOL, .help = "stop starting the domain with the host"},
    {.name = NULL}
};

static bool
cmdAutostart(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *name = NULL;
    bool disable = xvshOptBool(cmd, "disable");
    virDomainPtr dom = xvshCommandOptDomain(ctl, cmd, &name);
    int rc;

    if (!dom)
        return false;
    rc = virDomainSetAutostart(dom, !disable);
    virDomainFree(dom);
    if (rc < 0) {
        if (disable)
            xvshError(ctl, "Failed to unmark domain '%s' as autostarted", name);
        else
            xvshError(ctl, "Failed to mark domain '%s' as autostarted", name);
        return false;
    }
    if (disable)
        xvshPrintExtra(ctl, "Domain '%s' unmarked as autostarted\n", name);
    else
        xvshPrintExtra(ctl, "Domain '%s' marked as autostarted\n", name);
    return true;
}

/* ---- memory ----------------------------------------------------------- */

static const XvshOptDef opts_setmem[] = {
    XVSH_OPT_DOMAIN,
    {.name = "size", .type = XVSH_OT_INT, .flags = XVSH_OFLAG_REQ,
     .help = "new memory size; KiB unless a unit suffix says otherwise"},
    XVSH_OPT_AFFECT,
    {.name = NULL}
};

static bool
xvshSetMemory(XvshControl *ctl, const XvshCmd *cmd, bool maximum)
{
    unsigned long long bytes = 0;
    unsigned long kibibytes;
    unsigned int flags;
    virDomainPtr dom;
    int rc;

    if (!xvshAffectFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = xvshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    /* the API takes KiB in an unsigned long */
    if (xvshOptScaledInt(ctl, cmd, "size", &bytes, 1024, ULONG_MAX) < 0) {
        virDomainFree(dom);
        return false;
    }
    kibibytes = (bytes + 1023) / 1024;
    /* as virsh 9.0: without a flag, setmem changes the running domain and
     * setmaxmem whichever is current */
    if (maximum)
        flags |= VIR_DOMAIN_MEM_MAXIMUM;
    else if (!xvshAffectGiven(cmd))
        flags = VIR_DOMAIN_AFFECT_LIVE;
    rc = virDomainSetMemoryFlags(dom, kibibytes, flags);
    virDomainFree(dom);
    if (rc < 0) {
        if (maximum)
            xvshError(ctl, "%s", "Unable to change MaxMemorySize");
        return false;
    }
    return true;
}

static bool
cmdSetmem(XvshControl *ctl, const XvshCmd *cmd)
{
    return xvshSetMemory(ctl, cmd, false);
}

static bool
cmdSetmaxmem(XvshControl *ctl, const XvshCmd *cmd)
{
    return xvshSetMemory(ctl, cmd, true);
}

/* ---- devices ---------------------------------------------------------- */

static const XvshOptDef opts_device[] = {
    XVSH_OPT_DOMAIN,
    {.name = "file", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "file holding the device's XML"},
    {.name = "persistent", .type = XVSH_OT_BOOL,
     .help = "also change the persistent config of a running domain"},
    XVSH_OPT_AFFECT,
    {.name = NULL}
};

static bool
xvshDeviceCommand(XvshControl *ctl, const XvshCmd *cmd, bool attach)
{
    const char *from = xvshOptString(cmd, "file");
    bool persistent = xvshOptBool(cmd, "persistent");
    bool current = xvshOptBool(cmd, "current");
    g_autofree char *xml = NULL;
    unsigned int flags;
    virDomainPtr dom;
    int rc;

    if (!xvshExclusive(ctl, cmd, "persistent", "current") || !xvshAffectFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = xvshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!xvshOptEmptyCheck(ctl, cmd, "file")) {
        virDomainFree(dom);
        return false;
    }
    if (persistent) {
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
        if (virDomainIsActive(dom) == 1)
            flags |= VIR_DOMAIN_AFFECT_LIVE;
    }
    if (!(xml = xvshReadFile(ctl, from))) {
        virDomainFree(dom);
        return false;
    }
    if (attach)
        rc = (flags || current) ? virDomainAttachDeviceFlags(dom, xml, flags)
                                : virDomainAttachDevice(dom, xml);
    else
        rc = (flags || current) ? virDomainDetachDeviceFlags(dom, xml, flags)
                                : virDomainDetachDevice(dom, xml);
    virDomainFree(dom);
    if (rc < 0) {
        xvshError(ctl, "Failed to %s device from %s", attach ? "attach" : "detach", from);
        return false;
    }
    xvshPrintExtra(ctl, "Device %s successfully\n", attach ? "attached" : "detached");
    return true;
}

static bool
cmdAttachDevice(XvshControl *ctl, const XvshCmd *cmd)
{
    return xvshDeviceCommand(ctl, cmd, true);
}

static bool
cmdDetachDevice(XvshControl *ctl, const XvshCmd *cmd)
{
    return xvshDeviceCommand(ctl, cmd, false);
}

/* ---- native configs --------------------------------------------------- */

static const XvshOptDef opts_from_native[] = {
    {.name = "format", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "format of the config: xen-xm, xen-xl or xen-sxpr"},
    {.name = "config", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "file holding the native config"},
    {.name = NULL}
};

static bool
cmdDomXMLFromNative(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *format = xvshOptString(cmd, "format");
    const char *file = xvshOptString(cmd, "config");
    g_autofree char *config = NULL;
    char *xml;

    if (!xvshOptEmptyCheck(ctl, cmd, "format") || !xvshOptEmptyCheck(ctl, cmd, "config") ||
        !(config = xvshReadFile(ctl, file)))
        return false;
    if (!(xml = virConnectDomainXMLFromNative(ctl->conn, format, config, 0)))
        return false;
    xvshPrint(ctl, "%s", xml);
    free(xml);
    return true;
}

static const XvshOptDef opts_to_native[] = {
    {.name = "format", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "format to produce: xen-xm, xen-xl or xen-sxpr"},
    {.name = "domain", .type = XVSH_OT_STRING, .flags = XVSH_OFLAG_NOPOS,
     .help = "convert this domain's XML (name, id or uuid)"},
    {.name = "xml", .type = XVSH_OT_STRING, .help = "convert the domain XML in this file"},
    {.name = NULL}
};

static bool
cmdDomXMLToNative(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *format = xvshOptString(cmd, "format");
    const char *file = xvshOptString(cmd, "xml");
    g_autofree char *xml = NULL;
    char *native;

    if (!xvshOptEmptyCheck(ctl, cmd, "format") || !xvshOptEmptyCheck(ctl, cmd, "xml") ||
        !xvshExclusive(ctl, cmd, "domain", "xml"))
        return false;
    if (xvshOptString(cmd, "domain")) {
        virDomainPtr dom = xvshCommandOptDomain(ctl, cmd, NULL);

        if (!dom)
            return false;
        xml = virDomainGetXMLDesc(dom, 0);
        virDomainFree(dom);
        if (!xml)
            return false;
    } else if (file) {
        if (!(xml = xvshReadFile(ctl, file)))
            return false;
    } else {
        xvshError(ctl, "%s", "need either domain or domain XML");
        return false;
    }
    if (!(native = virConnectDomainXMLToNative(ctl->conn, format, xml, 0)))
        return false;
    xvshPrint(ctl, "%s", native);
    free(native);
    return true;
}

/* In virsh's order within its "Domain Management" group; xvirsh-vcpu.c
 * holds the rest of the group. */
const XvshCmdDef xvshDomainCmds[] = {
    {.name = "attach-device", .handler = cmdAttachDevice, .opts = opts_device,
     .summary = "attach device from an XML file",
     .desc = "Adds the device described in the file to the domain."},
    {.name = "autostart", .handler = cmdAutostart, .opts = opts_autostart,
     .summary = "autostart a domain",
     .desc = "Makes the domain start whenever the host boots (or, with\n"
             "--disable, stop doing so)."},
    {.name = "create", .handler = cmdCreate, .opts = opts_create,
     .summary = "create a domain from an XML file",
     .desc = "Starts a transient domain from an XML description; it is gone\n"
             "once it stops."},
    {.name = "define", .handler = cmdDefine, .opts = opts_define,
     .summary = "define (but don't start) a domain from an XML file",
     .desc = "Makes the domain described in the file known to the host,\n"
             "persistently, or updates the config of an existing one."},
    {.name = "destroy", .handler = cmdDestroy, .opts = opts_destroy,
     .summary = "destroy (stop) a domain",
     .desc = "Stops the domain at once, as pulling the power cord would."},
    {.name = "detach-device", .handler = cmdDetachDevice, .opts = opts_device,
     .summary = "detach device from an XML file",
     .desc = "Removes the device described in the file from the domain."},
    {.name = "domid", .handler = cmdDomid, .opts = opts_domain,
     .summary = "convert a domain name or UUID to domain id"},
    {.name = "domname", .handler = cmdDomname, .opts = opts_domain,
     .summary = "convert a domain id or UUID to domain name"},
    {.name = "domuuid", .handler = cmdDomuuid, .opts = opts_domain,
     .summary = "convert a domain name or id to domain UUID"},
    {.name = "domxml-from-native", .handler = cmdDomXMLFromNative, .opts = opts_from_native,
     .summary = "Convert native config to domain XML",
     .desc = "Reads a native Xen config and prints the equivalent domain XML."},
    {.name = "domxml-to-native", .handler = cmdDomXMLToNative, .opts = opts_to_native,
     .summary = "Convert domain XML to native config",
     .desc = "Prints the native Xen config equivalent to a domain XML file or\n"
             "to a domain's current XML."},
    {.name = "dumpxml", .handler = cmdDumpxml, .opts = opts_dumpxml,
     .summary = "domain information in XML",
     .desc = "Prints the domain's XML description."},
    {.name = "reboot", .handler = cmdReboot, .opts = opts_shutdown,
     .summary = "reboot a domain",
     .desc = "Asks the guest to restart."},
    {.name = "resume", .handler = cmdResume, .opts = opts_domain,
     .summary = "resume a domain",
     .desc = "Lets a paused domain run again."},
    {.name = "setmaxmem", .handler = cmdSetmaxmem, .opts = opts_setmem,
     .summary = "change maximum memory limit",
     .desc = "Changes the most memory the domain may have."},
    {.name = "setmem", .handler = cmdSetmem, .opts = opts_setmem,
     .summary = "change memory allocation",
     .desc = "Changes the memory the domain has (its balloon target)."},
    {.name = "shutdown", .handler = cmdShutdown, .opts = opts_shutdown,
     .summary = "gracefully shutdown a domain",
     .desc = "Asks the guest to shut down."},
    {.name = "start", .handler = cmdStart, .opts = opts_start,
     .summary = "start a (previously defined) inactive domain",
     .desc = "Boots a defined, inactive domain."},
    {.name = "suspend", .handler = cmdSuspend, .opts = opts_domain,
     .summary = "suspend a domain",
     .desc = "Pauses the domain; it keeps its memory but gets no CPU time."},
    {.name = "undefine", .handler = cmdUndefine, .opts = opts_undefine,
     .summary = "undefine a domain",
     .desc = "Removes the domain's persistent config; a running domain keeps\n"
             "running, as a transient one."},
    {.name = NULL}
};
