/*
 * xvirsh-vcpu.c: xvirsh commands about virtual CPUs and their scheduling:
 * setvcpus, vcpucount, vcpuinfo, vcpupin and schedinfo.
 *
 * Messages and layouts are virsh 9.0's.  Where virsh asks an API xenvirt
 * does not offer (virDomainGetVcpuPinInfo, for an inactive domain or
 * --config) the same facts are read from the domain's XML (<vcpu cpuset>
 * and <cputune><vcpupin>) instead of being guessed; CPU maps are sized by
 * the host's CPU count from virNodeGetInfo, as there is no
 * virNodeGetCPUMap.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "xvirsh.h"

/* ---- vcpus ------------------------------------------------------------ */

static const XvshOptDef opts_setvcpus[] = {
    XVSH_OPT_DOMAIN,
    {.name = "count", .type = XVSH_OT_INT, .flags = XVSH_OFLAG_REQ,
     .help = "the number of virtual CPUs"},
    {.name = "maximum", .type = XVSH_OT_BOOL, .help = "set the most the domain may have (next boot)"},
    XVSH_OPT_AFFECT,
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
    XVSH_OPT_DOMAIN,
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
    XVSH_OPT_DOMAIN,
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
    XVSH_OPT_DOMAIN,
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

/* ---- scheduler -------------------------------------------------------- */

static const XvshOptDef opts_schedinfo[] = {
    XVSH_OPT_DOMAIN,
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

/* The part of virsh's "Domain Management" group about vcpus, in its order. */
const XvshCmdDef xvshVcpuCmds[] = {
    {.name = "schedinfo", .handler = cmdSchedinfo, .opts = opts_schedinfo,
     .summary = "show/set scheduler parameters",
     .desc = "Prints the domain's scheduler and its parameters, after setting\n"
             "those given."},
    {.name = "setvcpus", .handler = cmdSetvcpus, .opts = opts_setvcpus,
     .summary = "change number of virtual CPUs",
     .desc = "Changes the number of virtual CPUs of the domain."},
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
