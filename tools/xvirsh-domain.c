/*
 * xvirsh-domain.c: xvirsh commands that manage domains: life cycle
 * (define, create, start, shutdown, ...), identity (domid, domname,
 * domuuid, dumpxml), resources (memory, vcpus, pinning, scheduler),
 * devices, and native config conversion.
 *
 * Messages and layouts are virsh 9.0's.  Where virsh asks an API xenvirt
 * does not offer (virDomainGetVcpuPinInfo for an inactive domain) the
 * same facts are read from the domain's XML instead of being guessed.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "xvirsh.h"

#define OPT_DOMAIN \
    {.name = "domain", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ, \
     .help = "domain name, id or uuid"}
#define OPT_AFFECT \
    {.name = "config", .type = XVSH_OT_BOOL, .help = "change the persistent config (next boot)"}, \
    {.name = "live", .type = XVSH_OT_BOOL, .help = "change the running domain"}, \
    {.name = "current", .type = XVSH_OT_BOOL, .help = "change whichever of the two is current"}

static const XvshOptDef opts_domain[] = {
    OPT_DOMAIN,
    {.name = NULL}
};

/* --config/--live/--current as virDomainModificationImpact flags. */
static bool
xvshAffectFlags(XvshControl *ctl, const XvshCmd *cmd, unsigned int *flags)
{
    if (!xvshExclusive(ctl, cmd, "current", "live") ||
        !xvshExclusive(ctl, cmd, "current", "config"))
        return false;
    *flags = VIR_DOMAIN_AFFECT_CURRENT;
    if (xvshOptBool(cmd, "config"))
        *flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (xvshOptBool(cmd, "live"))
        *flags |= VIR_DOMAIN_AFFECT_LIVE;
    return true;
}

/* Whether any of --config/--live/--current was given at all. */
static bool
xvshAffectGiven(const XvshCmd *cmd)
{
    return xvshOptBool(cmd, "config") || xvshOptBool(cmd, "live") || xvshOptBool(cmd, "current");
}

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
    OPT_DOMAIN,
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

    if (!(xml = xvshReadFile(ctl, from)))
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
    OPT_DOMAIN,
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

static const XvshOptDef opts_create[] = {
    {.name = "file", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "file holding the domain's XML description"},
    {.name = "paused", .type = XVSH_OT_BOOL, .help = "leave the new domain paused"},
    {.name = "validate", .type = XVSH_OT_BOOL, .help = "check the XML against the schema"},
    {.name = NULL}
};

static bool
cmdCreate(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *from = xvshOptString(cmd, "file");
    g_autofree char *xml = NULL;
    unsigned int flags = 0;
    virDomainPtr dom;

    if (xvshOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (xvshOptBool(cmd, "validate"))
        flags |= VIR_DOMAIN_START_VALIDATE;
    if (!(xml = xvshReadFile(ctl, from)))
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
    {.name = "force-boot", .type = XVSH_OT_BOOL, .help = "boot afresh, ignoring any saved state"},
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
    if (xvshOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (xvshOptBool(cmd, "force-boot"))
        flags |= VIR_DOMAIN_START_FORCE_BOOT;
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
    OPT_DOMAIN,
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
    OPT_DOMAIN,
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
    OPT_DOMAIN,
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
    OPT_DOMAIN,
    {.name = "size", .type = XVSH_OT_INT, .flags = XVSH_OFLAG_REQ,
     .help = "new memory size; KiB unless a unit suffix says otherwise"},
    OPT_AFFECT,
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

/* ---- vcpus ------------------------------------------------------------ */

static const XvshOptDef opts_setvcpus[] = {
    OPT_DOMAIN,
    {.name = "count", .type = XVSH_OT_INT, .flags = XVSH_OFLAG_REQ,
     .help = "the number of virtual CPUs"},
    {.name = "maximum", .type = XVSH_OT_BOOL, .help = "set the most the domain may have (next boot)"},
    OPT_AFFECT,
    {.name = "guest", .type = XVSH_OT_BOOL, .help = "let the guest (its agent) change its vcpus"},
    {.name = "hotpluggable", .type = XVSH_OT_BOOL, .help = "make added vcpus hot-unpluggable"},
    {.name = NULL}
};

static bool
cmdSetvcpus(XvshControl *ctl, const XvshCmd *cmd)
{
    unsigned int count = 0;
    unsigned int flags;
    virDomainPtr dom;
    int rc;

    if (!xvshAffectFlags(ctl, cmd, &flags) || !xvshExclusive(ctl, cmd, "guest", "config"))
        return false;
    if (xvshOptBool(cmd, "maximum") && !xvshOptBool(cmd, "config")) {
        xvshError(ctl, "%s", "Option --config is required by option --maximum");
        return false;
    }
    if (xvshOptBool(cmd, "maximum"))
        flags |= VIR_DOMAIN_VCPU_MAXIMUM;
    if (xvshOptBool(cmd, "guest"))
        flags |= VIR_DOMAIN_VCPU_GUEST;
    if (xvshOptBool(cmd, "hotpluggable"))
        flags |= VIR_DOMAIN_VCPU_HOTPLUGGABLE;
    if (!(dom = xvshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (xvshOptUInt(ctl, cmd, "count", &count) < 0) {
        virDomainFree(dom);
        return false;
    }
    if (flags == 0 && !xvshAffectGiven(cmd))
        rc = virDomainSetVcpus(dom, count); /* live, as virsh assumes */
    else
        rc = virDomainSetVcpusFlags(dom, count, flags);
    virDomainFree(dom);
    return rc == 0;
}

static const XvshOptDef opts_vcpucount[] = {
    OPT_DOMAIN,
    {.name = "maximum", .type = XVSH_OT_BOOL, .help = "the most vcpus the domain may have"},
    {.name = "active", .type = XVSH_OT_BOOL, .help = "the vcpus the domain has now"},
    {.name = "live", .type = XVSH_OT_BOOL, .help = "ask the running domain"},
    {.name = "config", .type = XVSH_OT_BOOL, .help = "ask the persistent config"},
    {.name = "current", .type = XVSH_OT_BOOL, .help = "ask whichever of the two is current"},
    {.name = "guest", .type = XVSH_OT_BOOL, .help = "ask the guest (its agent), not the hypervisor"},
    {.name = NULL}
};

/* A vcpu count, -1 when it does not apply (live count of an inactive
 * domain, config of a transient one) and CHECKSTATE is set, -2 on error. */
static int
xvshVcpuCount(virDomainPtr dom, unsigned int flags, bool checkstate)
{
    int count;

    if (checkstate &&
        (((flags & VIR_DOMAIN_AFFECT_LIVE) && virDomainIsActive(dom) < 1) ||
         ((flags & VIR_DOMAIN_AFFECT_CONFIG) && virDomainIsPersistent(dom) < 1)))
        return -1;
    if ((count = virDomainGetVcpusFlags(dom, flags)) < 0)
        return -2;
    return count;
}

static bool
cmdVcpucount(XvshControl *ctl, const XvshCmd *cmd)
{
    bool maximum = xvshOptBool(cmd, "maximum");
    bool active = xvshOptBool(cmd, "active");
    bool live = xvshOptBool(cmd, "live");
    bool config = xvshOptBool(cmd, "config");
    bool current = xvshOptBool(cmd, "current");
    bool guest = xvshOptBool(cmd, "guest");
    unsigned int flags = 0;
    virDomainPtr dom;
    bool ret = true;

    /* --current is the default and combines with either */
    if (!xvshExclusive(ctl, cmd, "live", "config") ||
        !xvshExclusive(ctl, cmd, "active", "maximum") ||
        !xvshExclusive(ctl, cmd, "guest", "config"))
        return false;
    if (!(dom = xvshCommandOptDomain(ctl, cmd, NULL)))
        return false;

    if (!(maximum || active || live || config || current || guest)) {
        /* all four: maximum/current x config/live, where they apply */
        static const struct {
            const char *which;
            const char *state;
            unsigned int flags;
        } rows[] = {
            {"maximum", "config", VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM},
            {"maximum", "live", VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM},
            {"current", "config", VIR_DOMAIN_AFFECT_CONFIG},
            {"current", "live", VIR_DOMAIN_AFFECT_LIVE},
        };
        int counts[G_N_ELEMENTS(rows)];

        for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
            if ((counts[i] = xvshVcpuCount(dom, rows[i].flags, true)) == -2)
                ret = false;
        }
        for (size_t i = 0; ret && i < G_N_ELEMENTS(rows); i++) {
            if (counts[i] > 0)
                xvshPrint(ctl, "%-12s %-12s %3d\n", rows[i].which, rows[i].state, counts[i]);
        }
    } else {
        int count;

        if (maximum)
            flags |= VIR_DOMAIN_VCPU_MAXIMUM;
        if (live)
            flags |= VIR_DOMAIN_AFFECT_LIVE;
        if (config)
            flags |= VIR_DOMAIN_AFFECT_CONFIG;
        if (guest)
            flags |= VIR_DOMAIN_VCPU_GUEST;
        if ((count = xvshVcpuCount(dom, flags, false)) < 0) {
            if (guest)
                xvshError(ctl, "%s", "Failed to retrieve vCPU count from the guest");
            ret = false;
        } else
            xvshPrint(ctl, "%d\n", count);
    }
    virDomainFree(dom);
    return ret;
}

/* Pinning of the NVCPUS vcpus from the domain's XML (the <vcpu cpuset>
 * default and <cputune><vcpupin>), for when the hypervisor cannot be
 * asked: an inactive domain, or --config.  MAPS holds NVCPUS maps of
 * MAPLEN bytes for MAXCPU host CPUs. */
typedef struct {
    int maxcpu;
    int nvcpus;
    int maplen;
    unsigned char *maps;
    char *defaultset;
    GPtrArray *pins; /* "vcpu=cpuset" strings */
    GQueue stack;
    bool bad;
} XvshPinParse;

static void
xvshPinStart(GMarkupParseContext *context, const char *element, const char **names,
             const char **values, gpointer data, GError **error)
{
    XvshPinParse *pp = data;
    const char *parent = g_queue_peek_tail(&pp->stack);
    const char *cpuset = NULL;
    const char *vcpu = NULL;

    for (size_t i = 0; names[i]; i++) {
        if (strcmp(names[i], "cpuset") == 0)
            cpuset = values[i];
        else if (strcmp(names[i], "vcpu") == 0)
            vcpu = values[i];
    }
    if (parent && strcmp(parent, "domain") == 0 && strcmp(element, "vcpu") == 0 && cpuset)
        pp->defaultset = g_strdup(cpuset);
    else if (parent && strcmp(parent, "cputune") == 0 && strcmp(element, "vcpupin") == 0 &&
             vcpu && cpuset)
        g_ptr_array_add(pp->pins, g_strdup_printf("%s=%s", vcpu, cpuset));
    g_queue_push_tail(&pp->stack, g_strdup(element));
}

static void
xvshPinEnd(GMarkupParseContext *context, const char *element, gpointer data, GError **error)
{
    XvshPinParse *pp = data;

    g_free(g_queue_pop_tail(&pp->stack));
}

static bool
xvshPinApply(XvshControl *ctl, XvshPinParse *pp, int vcpu, const char *cpuset)
{
    int last;
    g_autofree char *err = NULL;
    g_autofree unsigned char *map = xvshParseCPUList(cpuset, 1024, &last, &err);

    if (!map || last >= pp->maxcpu) {
        xvshError(ctl, "cannot use the domain's cpuset '%s'", cpuset);
        return false;
    }
    memcpy(pp->maps + (size_t) vcpu * pp->maplen, map, pp->maplen);
    return true;
}

static bool
xvshPinInfoFromXML(XvshControl *ctl, virDomainPtr dom, unsigned int xmlflags, int nvcpus,
                   int maxcpu, unsigned char *maps, int maplen)
{
    static const GMarkupParser parser = {.start_element = xvshPinStart, .end_element = xvshPinEnd};
    g_autofree char *xml = virDomainGetXMLDesc(dom, xmlflags);
    g_autoptr(GError) gerr = NULL;
    GMarkupParseContext *context;
    XvshPinParse pp = {
        .maxcpu = maxcpu, .nvcpus = nvcpus, .maplen = maplen, .maps = maps,
        .pins = g_ptr_array_new_with_free_func(g_free),
    };
    bool ret = false;

    g_queue_init(&pp.stack);
    if (!xml)
        goto cleanup;
    context = g_markup_parse_context_new(&parser, 0, &pp, NULL);
    if (!g_markup_parse_context_parse(context, xml, -1, &gerr) ||
        !g_markup_parse_context_end_parse(context, &gerr)) {
        g_markup_parse_context_free(context);
        xvshError(ctl, "cannot read the domain's XML: %s", gerr->message);
        goto cleanup;
    }
    g_markup_parse_context_free(context);

    for (int v = 0; v < nvcpus; v++) {
        if (pp.defaultset) {
            if (!xvshPinApply(ctl, &pp, v, pp.defaultset))
                goto cleanup;
        } else {
            for (int c = 0; c < maxcpu; c++)
                VIR_USE_CPU(maps + (size_t) v * maplen, c);
        }
    }
    for (guint i = 0; i < pp.pins->len; i++) {
        const char *pin = g_ptr_array_index(pp.pins, i);
        const char *eq = strchr(pin, '=');
        g_autofree char *num = g_strndup(pin, eq - pin);
        char *end = NULL;
        long v = strtol(num, &end, 10);

        if (*end || v < 0)
            continue;
        if (v < nvcpus && !xvshPinApply(ctl, &pp, (int) v, eq + 1))
            goto cleanup;
    }
    ret = true;

 cleanup:
    g_free(pp.defaultset);
    g_ptr_array_unref(pp.pins);
    g_queue_clear_full(&pp.stack, g_free);
    return ret;
}

static const XvshOptDef opts_vcpuinfo[] = {
    OPT_DOMAIN,
    {.name = "pretty", .type = XVSH_OT_BOOL, .help = "print affinity as a CPU list"},
    {.name = NULL}
};

static bool
cmdVcpuinfo(XvshControl *ctl, const XvshCmd *cmd)
{
    bool pretty = xvshOptBool(cmd, "pretty");
    g_autofree virVcpuInfo *cpuinfo = NULL;
    g_autofree unsigned char *cpumaps = NULL;
    virDomainInfo info;
    virDomainPtr dom;
    int maxcpu;
    int maplen;
    int ncpus;
    bool live = true;
    bool ret = false;

    if (!(dom = xvshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((maxcpu = xvshNodeCPUCount(ctl)) < 0 || virDomainGetInfo(dom, &info) < 0)
        goto cleanup;
    maplen = VIR_CPU_MAPLEN(maxcpu);
    cpuinfo = g_new0(virVcpuInfo, MAX(info.nrVirtCpu, 1));
    cpumaps = g_new0(unsigned char, (size_t) MAX(info.nrVirtCpu, 1) * maplen);

    if ((ncpus = virDomainGetVcpus(dom, cpuinfo, info.nrVirtCpu, cpumaps, maplen)) < 0) {
        if (info.state != VIR_DOMAIN_SHUTOFF)
            goto cleanup;
        /* an inactive domain has no vcpus to ask: show its configured pinning */
        xvshResetError(ctl);
        live = false;
        ncpus = info.nrVirtCpu;
        if (!xvshPinInfoFromXML(ctl, dom, VIR_DOMAIN_XML_INACTIVE, ncpus, maxcpu, cpumaps, maplen))
            goto cleanup;
    }

    for (int n = 0; n < ncpus; n++) {
        const unsigned char *map = cpumaps + (size_t) n * maplen;

        if (live) {
            xvshPrint(ctl, "%-15s %d\n", "VCPU:", cpuinfo[n].number);
            xvshPrint(ctl, "%-15s %d\n", "CPU:", cpuinfo[n].cpu);
            xvshPrint(ctl, "%-15s %s\n", "State:", xvshVcpuStateToString(cpuinfo[n].state));
            if (cpuinfo[n].cpuTime != 0)
                xvshPrint(ctl, "%-15s %.1lfs\n", "CPU time:", cpuinfo[n].cpuTime / 1000000000.0);
        } else {
            xvshPrint(ctl, "%-15s %d\n", "VCPU:", n);
            xvshPrint(ctl, "%-15s %s\n", "CPU:", "N/A");
            xvshPrint(ctl, "%-15s %s\n", "State:", "N/A");
            /* sic: virsh prints this label without its colon */
            xvshPrint(ctl, "%-15s %s\n", "CPU time", "N/A");
        }
        xvshPrint(ctl, "%-15s ", "CPU Affinity:");
        if (pretty) {
            g_autofree char *list = xvshFormatCPUList(map, maxcpu);

            xvshPrint(ctl, "%s (out of %d)", list, maxcpu);
        } else {
            for (int m = 0; m < maxcpu; m++)
                xvshPrint(ctl, "%c", VIR_CPU_USED(map, m) ? 'y' : '-');
        }
        xvshPrint(ctl, "\n");
        if (n < ncpus - 1)
            xvshPrint(ctl, "\n");
    }
    ret = true;

 cleanup:
    virDomainFree(dom);
    return ret;
}

static const XvshOptDef opts_vcpupin[] = {
    OPT_DOMAIN,
    {.name = "vcpu", .type = XVSH_OT_INT, .help = "the virtual CPU"},
    {.name = "cpulist", .type = XVSH_OT_STRING,
     .help = "host CPUs to allow, e.g. 0-3,^2 or r for all; omit to show the pinning"},
    {.name = "config", .type = XVSH_OT_BOOL, .help = "show the persistent config's pinning"},
    {.name = "live", .type = XVSH_OT_BOOL, .help = "affect the running domain"},
    {.name = "current", .type = XVSH_OT_BOOL, .help = "affect whichever is current"},
    {.name = NULL}
};

static bool
xvshVcpuPinQuery(XvshControl *ctl, virDomainPtr dom, int vcpu, bool got_vcpu, int maxcpu,
                 unsigned int flags)
{
    g_autoptr(XvshTable) table = NULL;
    g_autofree unsigned char *cpumaps = NULL;
    g_autofree virVcpuInfo *cpuinfo = NULL;
    int maplen = VIR_CPU_MAPLEN(maxcpu);
    bool live = flags & VIR_DOMAIN_AFFECT_LIVE;
    int ncpus;

    if (!(flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)))
        live = virDomainIsActive(dom) == 1;

    if (live) {
        virDomainInfo info;

        if (virDomainGetInfo(dom, &info) < 0)
            return false;
        ncpus = info.nrVirtCpu;
    } else {
        ncpus = virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM);
        if (ncpus < 0)
            return false;
    }
    if (got_vcpu && vcpu >= ncpus) {
        xvshError(ctl, "vcpu %d is out of range of %s cpu count %d", vcpu,
                  live ? "live" : "persistent", ncpus);
        return false;
    }

    cpumaps = g_new0(unsigned char, (size_t) MAX(ncpus, 1) * maplen);
    if (live) {
        cpuinfo = g_new0(virVcpuInfo, MAX(ncpus, 1));
        if ((ncpus = virDomainGetVcpus(dom, cpuinfo, ncpus, cpumaps, maplen)) < 0)
            return false;
    } else if (!xvshPinInfoFromXML(ctl, dom, VIR_DOMAIN_XML_INACTIVE, ncpus, maxcpu, cpumaps,
                                   maplen)) {
        return false;
    }

    table = xvshTableNew("VCPU", "CPU Affinity", NULL);
    for (int i = 0; i < ncpus; i++) {
        g_autofree char *num = NULL;
        g_autofree char *list = NULL;

        if (got_vcpu && i != vcpu)
            continue;
        num = g_strdup_printf("%d", i);
        list = xvshFormatCPUList(cpumaps + (size_t) i * maplen, maxcpu);
        xvshTableAddRow(table, num, list, NULL);
    }
    xvshTablePrint(ctl, table);
    return true;
}

static bool
cmdVcpupin(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *cpulist = xvshOptString(cmd, "cpulist");
    g_autofree unsigned char *map = NULL;
    unsigned int vcpu = 0;
    bool got_vcpu;
    unsigned int flags;
    virDomainPtr dom;
    int maxcpu;
    int lastbit = -1;
    bool ret = false;
    int rc;

    if (!xvshAffectFlags(ctl, cmd, &flags))
        return false;
    if ((rc = xvshOptUInt(ctl, cmd, "vcpu", &vcpu)) < 0)
        return false;
    got_vcpu = rc > 0;
    if (vcpu > INT_MAX) {
        xvshError(ctl, "Numeric value '%u' for <vcpu> option is malformed or out of range", vcpu);
        return false;
    }
    if (!got_vcpu && cpulist) {
        xvshError(ctl, "%s", "vcpupin: Missing vCPU number in pin mode.");
        return false;
    }
    if (!(dom = xvshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((maxcpu = xvshNodeCPUCount(ctl)) < 0)
        goto cleanup;

    if (!cpulist) {
        ret = xvshVcpuPinQuery(ctl, dom, vcpu, got_vcpu, maxcpu, flags);
        goto cleanup;
    }

    if (flags & VIR_DOMAIN_AFFECT_CONFIG) {
        /* the API has no virDomainPinVcpuFlags: do not pretend */
        xvshError(ctl, "%s", "vcpupin: pinning in the persistent config (--config) is not supported");
        goto cleanup;
    }
    if (cpulist[0] == 'r' && cpulist[1] == '\0') {
        map = g_new0(unsigned char, VIR_CPU_MAPLEN(maxcpu));
        for (int i = 0; i < maxcpu; i++)
            VIR_USE_CPU(map, i);
    } else {
        g_autofree char *err = NULL;

        if (!(map = xvshParseCPUList(cpulist, 1024, &lastbit, &err))) {
            xvshError(ctl, "Invalid cpulist '%s'", cpulist);
            xvshError(ctl, "invalid argument: %s", err);
            goto cleanup;
        }
        if (lastbit >= maxcpu) {
            xvshError(ctl, "CPU %d in cpulist '%s' exceed the maxcpu %d", lastbit, cpulist, maxcpu);
            goto cleanup;
        }
    }
    ret = virDomainPinVcpu(dom, vcpu, map, VIR_CPU_MAPLEN(maxcpu)) == 0;

 cleanup:
    virDomainFree(dom);
    return ret;
}

/* ---- devices ---------------------------------------------------------- */

static const XvshOptDef opts_device[] = {
    OPT_DOMAIN,
    {.name = "file", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ,
     .help = "file holding the device's XML"},
    {.name = "persistent", .type = XVSH_OT_BOOL,
     .help = "also change the persistent config of a running domain"},
    OPT_AFFECT,
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

/* ---- scheduler -------------------------------------------------------- */

static const XvshOptDef opts_schedinfo[] = {
    OPT_DOMAIN,
    {.name = "weight", .type = XVSH_OT_INT, .flags = XVSH_OFLAG_NOPOS,
     .help = "credit scheduler weight"},
    {.name = "cap", .type = XVSH_OT_INT, .flags = XVSH_OFLAG_NOPOS, .help = "credit scheduler cap"},
    {.name = "current", .type = XVSH_OT_BOOL, .help = "get/set whichever is current"},
    {.name = "config", .type = XVSH_OT_BOOL, .help = "get/set the persistent config"},
    {.name = "live", .type = XVSH_OT_BOOL, .help = "get/set the running domain"},
    {.name = "set", .type = XVSH_OT_ARGV, .help = "parameter=value"},
    {.name = NULL}
};

static char *
xvshTypedParamToString(const virTypedParameter *p)
{
    switch ((virTypedParameterType) p->type) {
    case VIR_TYPED_PARAM_INT:
        return g_strdup_printf("%d", p->value.i);
    case VIR_TYPED_PARAM_UINT:
        return g_strdup_printf("%u", p->value.ui);
    case VIR_TYPED_PARAM_LLONG:
        return g_strdup_printf("%lld", p->value.l);
    case VIR_TYPED_PARAM_ULLONG:
        return g_strdup_printf("%llu", p->value.ul);
    case VIR_TYPED_PARAM_DOUBLE:
        return g_strdup_printf("%f", p->value.d);
    case VIR_TYPED_PARAM_BOOLEAN:
        return g_strdup(p->value.b ? "yes" : "no");
    case VIR_TYPED_PARAM_STRING:
        return g_strdup(p->value.s);
    }
    return g_strdup_printf("unimplemented parameter type %d", p->type);
}

/* Converts VALUE to the type the driver reported for FIELD, into OUT. */
static bool
xvshTypedParamFromString(XvshControl *ctl, virTypedParameter *out, const virTypedParameter *src,
                         const char *value)
{
    const char *expected = NULL;
    char *end = NULL;
    gint64 sv;
    guint64 uv;

    memset(out, 0, sizeof(*out));
    g_strlcpy(out->field, src->field, sizeof(out->field));
    out->type = src->type;
    errno = 0;
    switch ((virTypedParameterType) src->type) {
    case VIR_TYPED_PARAM_INT:
        sv = g_ascii_strtoll(value, &end, 10);
        if (errno || end == value || *end || sv < INT_MIN || sv > INT_MAX)
            expected = "int";
        out->value.i = sv;
        break;
    case VIR_TYPED_PARAM_UINT:
        /* like libvirt, a negative value wraps ("-1" is the largest) */
        sv = g_ascii_strtoll(value, &end, 10);
        if (errno || end == value || *end || sv < INT_MIN || sv > (gint64) UINT_MAX)
            expected = "unsigned int";
        out->value.ui = (unsigned int) sv;
        break;
    case VIR_TYPED_PARAM_LLONG:
        sv = g_ascii_strtoll(value, &end, 10);
        if (errno || end == value || *end)
            expected = "long long";
        out->value.l = sv;
        break;
    case VIR_TYPED_PARAM_ULLONG:
        uv = g_ascii_strtoull(value, &end, 10);
        if (errno || end == value || *end)
            expected = "unsigned long long";
        out->value.ul = uv;
        break;
    case VIR_TYPED_PARAM_DOUBLE:
        out->value.d = g_ascii_strtod(value, &end);
        if (errno || end == value || *end)
            expected = "double";
        break;
    case VIR_TYPED_PARAM_BOOLEAN:
        if (g_ascii_strcasecmp(value, "true") == 0 || g_ascii_strcasecmp(value, "yes") == 0 ||
            strcmp(value, "1") == 0)
            out->value.b = 1;
        else if (g_ascii_strcasecmp(value, "false") == 0 || g_ascii_strcasecmp(value, "no") == 0 ||
                 strcmp(value, "0") == 0)
            out->value.b = 0;
        else
            expected = "boolean";
        break;
    case VIR_TYPED_PARAM_STRING:
        out->value.s = g_strdup(value);
        break;
    default:
        xvshError(ctl, "unexpected type %d of scheduler parameter '%s'", src->type, src->field);
        return false;
    }
    if (expected) {
        xvshError(ctl, "invalid argument: Invalid value for field '%s': expected %s", src->field,
                  expected);
        return false;
    }
    return true;
}

static void
xvshSchedUpdatesFree(GArray *updates)
{
    for (guint i = 0; i < updates->len; i++) {
        virTypedParameter *p = &g_array_index(updates, virTypedParameter, i);

        if (p->type == VIR_TYPED_PARAM_STRING)
            g_free(p->value.s);
    }
    g_array_unref(updates);
}

static bool
xvshSchedAddUpdate(XvshControl *ctl, GArray *updates, const virTypedParameter *params,
                   int nparams, const char *field, const char *value)
{
    virTypedParameter p;
    int i;

    for (i = 0; i < nparams; i++) {
        if (strcmp(params[i].field, field) == 0)
            break;
    }
    if (i == nparams) {
        xvshError(ctl, "invalid scheduler option: %s", field);
        return false;
    }
    for (guint j = 0; j < updates->len; j++) {
        if (strcmp(g_array_index(updates, virTypedParameter, j).field, field) == 0) {
            xvshError(ctl, "invalid argument: parameter '%s' occurs multiple times", field);
            return false;
        }
    }
    if (!xvshTypedParamFromString(ctl, &p, &params[i], value))
        return false;
    g_array_append_val(updates, p);
    return true;
}

/* The --set NAME=VALUE items, then --weight and --cap. */
static bool
xvshSchedCollectUpdates(XvshControl *ctl, const XvshCmd *cmd, const virTypedParameter *params,
                        int nparams, GArray *updates)
{
    static const char *const named[] = {"weight", "cap"};
    const XvshOptVal *val = NULL;

    while ((val = xvshOptArgv(cmd, "set", val))) {
        const char *eq = strchr(val->value, '=');
        g_autofree char *field = NULL;

        if (!eq) {
            xvshError(ctl, "%s", "Invalid syntax for --set, expecting name=value");
            return false;
        }
        field = g_strndup(val->value, eq - val->value);
        if (!xvshSchedAddUpdate(ctl, updates, params, nparams, field, eq + 1))
            return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(named); i++) {
        const char *value = xvshOptString(cmd, named[i]);

        if (value && !xvshSchedAddUpdate(ctl, updates, params, nparams, named[i], value))
            return false;
    }
    return true;
}

static bool
cmdSchedinfo(XvshControl *ctl, const XvshCmd *cmd)
{
    bool current = xvshOptBool(cmd, "current");
    g_autofree char *schedtype = NULL;
    g_autofree virTypedParameter *params = NULL;
    GArray *updates = NULL;
    unsigned int flags;
    int nparams = 0;
    virDomainPtr dom;
    bool ret = false;
    int rc;

    if (!xvshAffectFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = xvshCommandOptDomain(ctl, cmd, NULL)))
        return false;

    if (!(schedtype = virDomainGetSchedulerType(dom, &nparams))) {
        xvshPrint(ctl, "%-15s: %s\n", "Scheduler", "Unknown");
        goto cleanup;
    }
    xvshPrint(ctl, "%-15s: %s\n", "Scheduler", schedtype);
    if (nparams <= 0) {
        ret = true;
        goto cleanup;
    }

    params = g_new0(virTypedParameter, nparams);
    if (flags || current) {
        /* live and config cannot be read at once: read the current one */
        unsigned int getflags = flags;

        if (getflags == (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG))
            getflags = VIR_DOMAIN_AFFECT_CURRENT;
        rc = virDomainGetSchedulerParametersFlags(dom, params, &nparams, getflags);
    } else {
        rc = virDomainGetSchedulerParameters(dom, params, &nparams);
    }
    if (rc < 0)
        goto cleanup;

    updates = g_array_new(FALSE, TRUE, sizeof(virTypedParameter));
    if (!xvshSchedCollectUpdates(ctl, cmd, params, nparams, updates))
        goto cleanup;

    if (updates->len > 0) {
        virTypedParameter *up = (virTypedParameter *) (void *) updates->data;

        if (flags || current)
            rc = virDomainSetSchedulerParametersFlags(dom, up, updates->len, flags);
        else
            rc = virDomainSetSchedulerParameters(dom, up, updates->len);
        if (rc < 0)
            goto cleanup;
        virTypedParamsClear(params, nparams);
        if (flags || current)
            rc = virDomainGetSchedulerParametersFlags(
                dom, params, &nparams,
                (flags & VIR_DOMAIN_AFFECT_CONFIG) ? VIR_DOMAIN_AFFECT_CONFIG
                                                   : VIR_DOMAIN_AFFECT_CURRENT);
        else
            rc = virDomainGetSchedulerParameters(dom, params, &nparams);
        if (rc < 0)
            goto cleanup;
    } else if (xvshOptBool(cmd, "live") && xvshOptBool(cmd, "config")) {
        xvshError(ctl, "%s", "cannot query both live and config at once");
        goto cleanup;
    }

    for (int i = 0; i < nparams; i++) {
        g_autofree char *str = xvshTypedParamToString(&params[i]);

        xvshPrint(ctl, "%-15s: %s\n", params[i].field, str);
    }
    ret = true;

 cleanup:
    if (params)
        virTypedParamsClear(params, nparams);
    if (updates)
        xvshSchedUpdatesFree(updates);
    virDomainFree(dom);
    return ret;
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

    if (!(config = xvshReadFile(ctl, file)))
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

    if (!xvshExclusive(ctl, cmd, "domain", "xml"))
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

/* In virsh's order within its "Domain Management" group. */
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
    {.name = "schedinfo", .handler = cmdSchedinfo, .opts = opts_schedinfo,
     .summary = "show/set scheduler parameters",
     .desc = "Prints the domain's scheduler and its parameters, after setting\n"
             "those given."},
    {.name = "setmaxmem", .handler = cmdSetmaxmem, .opts = opts_setmem,
     .summary = "change maximum memory limit",
     .desc = "Changes the most memory the domain may have."},
    {.name = "setmem", .handler = cmdSetmem, .opts = opts_setmem,
     .summary = "change memory allocation",
     .desc = "Changes the memory the domain has (its balloon target)."},
    {.name = "setvcpus", .handler = cmdSetvcpus, .opts = opts_setvcpus,
     .summary = "change number of virtual CPUs",
     .desc = "Changes the number of virtual CPUs of the domain."},
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
    {.name = "vcpucount", .handler = cmdVcpucount, .opts = opts_vcpucount,
     .summary = "domain vcpu counts",
     .desc = "Prints the domain's current and maximum vcpu counts, live and\n"
             "configured, or the one the options select."},
    {.name = "vcpuinfo", .handler = cmdVcpuinfo, .opts = opts_vcpuinfo,
     .summary = "detailed domain vcpu information",
     .desc = "Prints each vcpu's host CPU, state, CPU time and affinity."},
    {.name = "vcpupin", .handler = cmdVcpupin, .opts = opts_vcpupin,
     .summary = "control or query domain vcpu affinity",
     .desc = "With a vcpu and a CPU list, restricts that vcpu to those host\n"
             "CPUs; otherwise prints the affinity of the vcpus."},
    {.name = NULL}
};
