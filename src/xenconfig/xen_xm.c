/*
 * xen_xm.c: the domain model <-> xm config files (see xen_xm.h).
 *
 * The reading and writing follow libvirt's xen_common.c / xen_xm.c of
 * today (the public xmconfigdata vectors pin the exact text): which keys
 * are read with which defaults, and the order keys are written in, which
 * users of `virsh domxml-to-native` see.  The key order is the order of
 * the format functions below; the config writer of xen_cfg.c takes care
 * of quoting.  The keys both xm and xl know live here (the "common"
 * functions), so xen_xl.c only adds what xl changed.
 *
 * Rejected alternative: a single table of (key, field, type) driving both
 * directions.  Half the keys are not one-to-one with a field (vnc* versus
 * vfb, serial lists, clock) and the order differs between reading and
 * writing, so the table would need escape hatches for most rows.
 */
#define XV_FROM VIR_FROM_XENXM
#include "xenconfig/xen_xm.h"

#include <stdio.h>
#include <string.h>
#include <errno.h>

#include "util/error.h"
#include "util/uuid.h"
#include "xenconfig/xen_common.h"

/* ------------------------------------------------------------------ */
/* getters with libvirt's defaults                                     */

static int
getBool(const xvCfg *cfg, const char *name, int dflt)
{
    bool b;
    int rc = xvCfgGetBool(cfg, name, &b);

    if (rc < 0)
        return -1;
    return rc == 0 ? dflt : (b ? 1 : 0);
}

/* Unsigned number: 1 set, 0 absent, -1 error. */
static int
getULL(const xvCfg *cfg, const char *name, unsigned long long *out)
{
    return xvCfgGetULong(cfg, name, out);
}

static int
getStr(const xvCfg *cfg, const char *name, const char **out)
{
    *out = NULL;
    return xvCfgGetString(cfg, name, out);
}

/* ------------------------------------------------------------------ */
/* reading                                                             */

int
xvXenParseRootExtra(const xvCfg *cfg, xvDomainDef *def)
{
    const char *extra = NULL, *root = NULL;

    if (getStr(cfg, "extra", &extra) < 0 || getStr(cfg, "root", &root) < 0)
        return -1;
    if (root && extra)
        def->os_cmdline = g_strdup_printf("root=%s %s", root, extra);
    else if (root)
        def->os_cmdline = g_strdup_printf("root=%s", root);
    else if (extra)
        def->os_cmdline = g_strdup(extra);
    return 0;
}

static int
parseGeneral(const xvCfg *cfg, xvDomainDef *def, const char *arch)
{
    const char *s;

    if (getStr(cfg, "name", &s) < 0)
        return -1;
    if (!s || !*s) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s", "config value name was missing");
        return -1;
    }
    def->name = g_strdup(s);
    if (getStr(cfg, "uuid", &s) < 0)
        return -1;
    if (s) {
        if (xvUUIDParse(s, def->uuid) < 0) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "uuid '%s' not parseable", s);
            return -1;
        }
    } else {
        xvUUIDGenerate(def->uuid);
    }
    def->has_uuid = true;
    def->virt_type = XV_DOMAIN_VIRT_XEN;

    if (getStr(cfg, "type", &s) < 0)
        return -1;
    if (s) {
        if (strcmp(s, "hvm") == 0)
            def->os_type = XV_DOMAIN_OS_HVM;
        else if (strcmp(s, "pvh") == 0)
            def->os_type = XV_DOMAIN_OS_XENPVH;
        else if (strcmp(s, "pv") == 0)
            def->os_type = XV_DOMAIN_OS_XEN;
        else {
            xvReportError(VIR_ERR_CONF_SYNTAX, "type '%s' is not one of hvm, pv, pvh", s);
            return -1;
        }
    } else {
        if (getStr(cfg, "builder", &s) < 0)
            return -1;
        def->os_type = g_strcmp0(s, "hvm") == 0 ? XV_DOMAIN_OS_HVM : XV_DOMAIN_OS_XEN;
    }
    def->os_arch = g_strdup(arch ? arch : XV_XEN_DEFAULT_ARCH);
    return 0;
}

static int
parseMem(const xvCfg *cfg, xvDomainDef *def)
{
    unsigned long long mem = 64, maxmem;
    int rc;

    if ((rc = getULL(cfg, "memory", &mem)) < 0)
        return -1;
    if (rc == 0)
        mem = 64 * 2; /* libvirt's MIN_XEN_GUEST_SIZE * 2 */
    maxmem = mem;
    if (getULL(cfg, "maxmem", &maxmem) < 0)
        return -1;
    if (mem > G_MAXUINT64 / 1024 || maxmem > G_MAXUINT64 / 1024) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s", "memory or maxmem is too large");
        return -1;
    }
    def->current_memory = mem * 1024;
    def->max_memory = maxmem * 1024;
    if (def->max_memory == 0) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s", "memory must not be 0");
        return -1;
    }
    return 0;
}

static int
parseAction(const xvCfg *cfg, const char *key, const char *dflt, bool crash,
            bool *has, xvDomainLifecycleAction *out)
{
    const char *s;
    int v;

    if (getStr(cfg, key, &s) < 0)
        return -1;
    if (!s)
        s = dflt;
    v = xvDomainLifecycleActionTypeFromString(s);
    if (v < 0 || (!crash && v >= XV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY)) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "unexpected value %s for %s", s, key);
        return -1;
    }
    *has = true;
    *out = v;
    return 0;
}

static int
parseCPU(const xvCfg *cfg, xvDomainDef *def)
{
    unsigned long long n = 1;
    const char *s;
    int v;

    if (getULL(cfg, "vcpus", &n) < 0)
        return -1;
    if (n < 1 || n > XV_DOMAIN_MAX_VCPUS) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "vcpus %llu out of range", n);
        return -1;
    }
    def->vcpus = n;
    if (xvCfgHas(cfg, "maxvcpus")) {
        unsigned long long max = 0;

        if (getULL(cfg, "maxvcpus", &max) < 0)
            return -1;
        if (max < 1 || max > XV_DOMAIN_MAX_VCPUS) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "maxvcpus %llu out of range", max);
            return -1;
        }
        if (max < n) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "vcpus (%llu) is more than maxvcpus (%llu)",
                          n, max);
            return -1;
        }
        if (max > n)
            def->vcpus_current = n;
        def->vcpus = max;
    } else if (xvCfgHas(cfg, "vcpu_avail")) {
        /* xm 3.x: a bitmask of the vcpus online at boot */
        unsigned long long mask = 0;
        unsigned int online;

        if (getULL(cfg, "vcpu_avail", &mask) < 0)
            return -1;
        online = (unsigned int)__builtin_popcountll(mask);
        if (online && online < def->vcpus)
            def->vcpus_current = online;
    }
    if (getStr(cfg, "cpus", &s) < 0)
        return -1;
    if (s && *s && xvXenCanonicalCpuset(s, &def->cpuset) < 0)
        return -1;

    if (def->os_type == XV_DOMAIN_OS_HVM) {
        if ((v = getBool(cfg, "pae", 1)) < 0)
            return -1;
        if (v)
            def->feature_pae = XV_TRISTATE_YES;
        if ((v = getBool(cfg, "acpi", 1)) < 0)
            return -1;
        if (v)
            def->feature_acpi = XV_TRISTATE_YES;
        if ((v = getBool(cfg, "apic", 1)) < 0)
            return -1;
        if (v)
            def->feature_apic = XV_TRISTATE_YES;
        if ((v = getBool(cfg, "hap", 1)) < 0)
            return -1;
        if (!v)
            def->feature_hap = XV_TRISTATE_NO;
        if ((v = getBool(cfg, "viridian", 0)) < 0)
            return -1;
        if (v)
            def->feature_viridian = XV_TRISTATE_YES;
        if ((v = getBool(cfg, "hpet", -1)) < 0 && xvCfgHas(cfg, "hpet"))
            return -1;
        if (v != -1)
            xvXenSetHpet(def, v);
    }
    return 0;
}

static int
parseTimeOffset(const xvCfg *cfg, xvDomainDef *def)
{
    int localtime = getBool(cfg, "localtime", 0);

    if (localtime < 0)
        return -1;
    if (def->os_type == XV_DOMAIN_OS_HVM) {
        long long off = 0;

        if (xvCfgGetLong(cfg, "rtc_timeoffset", &off) < 0)
            return -1;
        def->clock_offset = g_strdup("variable");
        def->has_clock_adjustment = true;
        def->clock_adjustment = off;
        def->clock_basis = g_strdup(localtime ? "localtime" : "utc");
    } else {
        def->clock_offset = g_strdup(localtime ? "localtime" : "utc");
        def->clock_adjustment_reset = true;
    }
    return 0;
}

static int
parseVif(const xvCfg *cfg, xvDomainDef *def, const char *vifTypename)
{
    g_auto(GStrv) vifs = NULL;
    int rc = xvCfgGetStringList(cfg, "vif", false, &vifs);

    if (rc <= 0)
        return rc;
    for (size_t i = 0; vifs[i]; i++) {
        g_autoptr(xvDomainNetDef) net = g_new0(xvDomainNetDef, 1);
        g_auto(GStrv) keys = g_strsplit(vifs[i], ",", -1);
        const char *mac = NULL, *bridge = NULL, *script = NULL, *model = NULL;
        const char *type = NULL, *ip = NULL, *vifname = NULL, *rate = NULL;

        for (size_t k = 0; keys[k]; k++) {
            char *key = g_strstrip(keys[k]);
            char *eq = strchr(key, '=');

            if (!*key)
                continue;
            if (!eq) {
                xvReportError(VIR_ERR_CONF_SYNTAX, "vif '%s': '%s' is not KEY=VALUE",
                              vifs[i], key);
                return -1;
            }
            *eq++ = '\0';
            if (strcmp(key, "mac") == 0) mac = eq;
            else if (strcmp(key, "bridge") == 0) bridge = eq;
            else if (strcmp(key, "script") == 0) script = eq;
            else if (strcmp(key, "model") == 0) model = eq;
            else if (strcmp(key, "type") == 0) type = eq;
            else if (strcmp(key, "ip") == 0) ip = eq;
            else if (strcmp(key, "vifname") == 0) vifname = eq;
            else if (strcmp(key, "rate") == 0) rate = eq;
        }
        if (mac) {
            if (!xvXenParseMac(mac, net->mac)) {
                xvReportError(VIR_ERR_CONF_SYNTAX, "malformed mac address '%s'", mac);
                return -1;
            }
            net->has_mac = true;
        }
        if (bridge || g_strcmp0(script, "vif-bridge") == 0 || g_strcmp0(script, "vif-vnic") == 0)
            net->type = XV_NET_TYPE_BRIDGE;
        else
            net->type = XV_NET_TYPE_ETHERNET;
        if (net->type == XV_NET_TYPE_BRIDGE && bridge) {
            /* openvswitch: BRIDGE.TAG or BRIDGE:TAG:TAG (trunk) */
            const char *dot = g_strcmp0(script, "vif-openvswitch") == 0 ? strpbrk(bridge, ".:") : NULL;

            if (dot) {
                g_auto(GStrv) tags = g_strsplit_set(dot + 1, ".:", -1);

                net->bridge = g_strndup(bridge, dot - bridge);
                for (size_t t = 0; tags[t]; t++) {
                    net->vlan_tags = g_renew(unsigned int, net->vlan_tags, net->nvlan_tags + 1);
                    net->vlan_tags[net->nvlan_tags++] = strtoul(tags[t], NULL, 10);
                }
                if (*dot == ':')
                    net->vlan_trunk = XV_TRISTATE_YES;
                net->virtualport_type = g_strdup("openvswitch");
            } else {
                net->bridge = g_strdup(bridge);
            }
        }
        if (ip && *ip) {
            g_auto(GStrv) ips = g_strsplit(ip, " ", -1);

            for (size_t j = 0; ips[j]; j++) {
                char *slash;
                unsigned int prefix = 0;

                if (!*ips[j])
                    continue;
                if ((slash = strchr(ips[j], '/'))) {
                    *slash = '\0';
                    prefix = strtoul(slash + 1, NULL, 10);
                }
                if (!net->ip) {
                    net->ip = g_strdup(ips[j]);
                    net->ip_prefix = prefix;
                } else {
                    net->extra_ips = g_renew(xvDomainNetIPDef, net->extra_ips,
                                             net->nextra_ips + 1);
                    net->extra_ips[net->nextra_ips].address = g_strdup(ips[j]);
                    net->extra_ips[net->nextra_ips++].prefix = prefix;
                }
            }
        }
        if (script && *script)
            net->script = g_strdup(script);
        if (model)
            net->model = g_strdup(model);
        else if (type && strcmp(type, vifTypename) == 0)
            net->model = g_strdup("netfront");
        if (vifname)
            net->ifname = g_strdup(vifname);
        if (rate && xvXenSetVifRate(net, rate) < 0)
            return -1;
        xvXenAddNet(def, g_steal_pointer(&net));
    }
    return 0;
}

static int
parsePCI(const xvCfg *cfg, xvDomainDef *def)
{
    g_auto(GStrv) pcis = NULL;
    int rc = xvCfgGetStringList(cfg, "pci", false, &pcis);

    if (rc <= 0)
        return rc;
    for (size_t i = 0; pcis[i]; i++) {
        g_autofree char *spec = g_strdup(pcis[i]);
        char *opts = strchr(spec, ',');
        unsigned int dom = 0, bus, slot, func;
        char tail;
        g_autoptr(xvDomainHostdevDef) h = NULL;

        if (opts)
            *opts++ = '\0';
        if (sscanf(spec, "%x:%x:%x.%x%c", &dom, &bus, &slot, &func, &tail) != 4) {
            dom = 0;
            if (sscanf(spec, "%x:%x.%x%c", &bus, &slot, &func, &tail) != 3) {
                xvReportError(VIR_ERR_CONF_SYNTAX,
                              "pci '%s': expected [DOMAIN:]BUS:SLOT.FUNC", pcis[i]);
                return -1;
            }
        }
        if (dom > 0xffff || bus > 0xff || slot > 0x1f || func > 7) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "pci '%s': address out of range", pcis[i]);
            return -1;
        }
        h = g_new0(xvDomainHostdevDef, 1);
        h->domain = dom;
        h->bus = bus;
        h->slot = slot;
        h->function = func;
        h->managed = XV_TRISTATE_NO;
        if (opts) {
            g_auto(GStrv) kv = g_strsplit(opts, ",", -1);

            for (size_t k = 0; kv[k]; k++) {
                if (strcmp(kv[k], "permissive=1") == 0)
                    h->write_filtering = XV_TRISTATE_NO;
                else if (strcmp(kv[k], "permissive=0") == 0)
                    h->write_filtering = XV_TRISTATE_YES;
            }
        }
        xvXenAddHostdev(def, g_steal_pointer(&h));
    }
    return 0;
}

static int
parseVfb(const xvCfg *cfg, xvDomainDef *def)
{
    bool hvm = def->os_type == XV_DOMAIN_OS_HVM;
    const char *s;
    int v;

    if (hvm) {
        if ((v = getBool(cfg, "vnc", 0)) < 0)
            return -1;
        if (v) {
            g_autoptr(xvDomainGraphicsDef) gr = g_new0(xvDomainGraphicsDef, 1);
            int unused = getBool(cfg, "vncunused", 1);

            if (unused < 0)
                return -1;
            gr->type = XV_GRAPHICS_VNC;
            gr->autoport = unused ? XV_TRISTATE_YES : XV_TRISTATE_NO;
            if (!unused) {
                unsigned long long d = 0;

                if (getULL(cfg, "vncdisplay", &d) < 0)
                    return -1;
                if (d > 65535 - 5900) {
                    xvReportError(VIR_ERR_CONF_SYNTAX, "vncdisplay %llu out of range", d);
                    return -1;
                }
                gr->has_port = true;
                gr->port = (int)d + 5900;
            } else {
                gr->has_port = true;
                gr->port = -1;
            }
            if (getStr(cfg, "vnclisten", &s) < 0)
                return -1;
            gr->listen = g_strdup(s);
            gr->listen_element = true;
            if (getStr(cfg, "vncpasswd", &s) < 0)
                return -1;
            gr->passwd = g_strdup(s);
            if (getStr(cfg, "keymap", &s) < 0)
                return -1;
            gr->keymap = g_strdup(s);
            xvXenAddGraphics(def, g_steal_pointer(&gr));
        } else {
            if ((v = getBool(cfg, "sdl", 0)) < 0)
                return -1;
            if (v) {
                g_autoptr(xvDomainGraphicsDef) gr = g_new0(xvDomainGraphicsDef, 1);

                gr->type = XV_GRAPHICS_SDL;
                if (getStr(cfg, "display", &s) < 0)
                    return -1;
                gr->display = g_strdup(s);
                if (getStr(cfg, "xauthority", &s) < 0)
                    return -1;
                gr->xauth = g_strdup(s);
                xvXenAddGraphics(def, g_steal_pointer(&gr));
            }
        }
        return 0;
    }

    /* PV guests: vfb = [ "type=vnc,vncunused=1,..." ] */
    {
        const xvCfgValue *vfb = xvCfgGet(cfg, "vfb");
        const xvCfgValue *first;
        g_autoptr(xvDomainGraphicsDef) gr = NULL;
        g_auto(GStrv) keys = NULL;

        if (!vfb || vfb->type != XV_CFG_LIST || vfb->items->len == 0)
            return 0;
        first = g_ptr_array_index(vfb->items, 0);
        if (first->type != XV_CFG_STRING)
            return 0;
        gr = g_new0(xvDomainGraphicsDef, 1);
        gr->type = strstr(first->str, "type=sdl") ? XV_GRAPHICS_SDL : XV_GRAPHICS_VNC;
        /* xm's default for a vfb is vncunused=1 */
        if (gr->type == XV_GRAPHICS_VNC)
            gr->autoport = XV_TRISTATE_YES;
        keys = g_strsplit(first->str, ",", -1);
        for (size_t k = 0; keys[k]; k++) {
            char *key = g_strstrip(keys[k]);

            if (!strchr(key, '='))
                break;
            if (gr->type == XV_GRAPHICS_VNC) {
                if (g_str_has_prefix(key, "vncunused="))
                    gr->autoport = strcmp(key + 10, "1") == 0 ? XV_TRISTATE_YES : XV_TRISTATE_NO;
                else if (g_str_has_prefix(key, "vnclisten="))
                    g_free(gr->listen), gr->listen = g_strdup(key + 10);
                else if (g_str_has_prefix(key, "vncpasswd="))
                    g_free(gr->passwd), gr->passwd = g_strdup(key + 10);
                else if (g_str_has_prefix(key, "keymap="))
                    g_free(gr->keymap), gr->keymap = g_strdup(key + 7);
                else if (g_str_has_prefix(key, "vncdisplay=")) {
                    char *end = NULL;
                    long d = strtol(key + 11, &end, 10);

                    if (!end || *end || end == key + 11 || d < 0 || d > 65535 - 5900) {
                        xvReportError(VIR_ERR_CONF_SYNTAX, "invalid vncdisplay value '%s'",
                                      key + 11);
                        return -1;
                    }
                    gr->has_port = true;
                    gr->port = (int)d + 5900;
                }
            } else {
                if (g_str_has_prefix(key, "display="))
                    g_free(gr->display), gr->display = g_strdup(key + 8);
                else if (g_str_has_prefix(key, "xauthority="))
                    g_free(gr->xauth), gr->xauth = g_strdup(key + 11);
            }
        }
        if (gr->type == XV_GRAPHICS_VNC)
            gr->listen_element = true;
        if (gr->type == XV_GRAPHICS_VNC && gr->autoport == XV_TRISTATE_YES) {
            gr->has_port = true;
            gr->port = -1;
        }
        xvXenAddGraphics(def, g_steal_pointer(&gr));
    }
    return 0;
}

static int
addChr(xvDomainDef *def, const char *value, xvChrDeviceType kind, int port)
{
    xvDomainChrDef *chr = xvXenParseChr(value, NULL);

    if (!chr)
        return -1;
    chr->device = kind;
    chr->has_target_port = true;
    chr->target_port = port;
    if (kind == XV_CHR_DEVICE_SERIAL)
        xvXenAddChr(&def->serials, &def->nserials, chr);
    else
        xvXenAddChr(&def->parallels, &def->nparallels, chr);
    return 0;
}

static int
parseCharDev(const xvCfg *cfg, xvDomainDef *def)
{
    const char *s;

    if (def->os_type == XV_DOMAIN_OS_HVM) {
        const xvCfgValue *serial;

        if (getStr(cfg, "parallel", &s) < 0)
            return -1;
        if (s && strcmp(s, "none") != 0 && addChr(def, s, XV_CHR_DEVICE_PARALLEL, 0) < 0)
            return -1;
        serial = xvCfgGet(cfg, "serial");
        if (serial && serial->type == XV_CFG_LIST) {
            for (guint i = 0; i < serial->items->len; i++) {
                const xvCfgValue *v = g_ptr_array_index(serial->items, i);

                if (v->type != XV_CFG_STRING) {
                    xvReportError(VIR_ERR_CONF_SYNTAX, "serial: item %u is not a string", i);
                    return -1;
                }
                if (strcmp(v->str, "none") == 0)
                    continue;
                if (addChr(def, v->str, XV_CHR_DEVICE_SERIAL, (int)i) < 0)
                    return -1;
            }
        } else {
            if (getStr(cfg, "serial", &s) < 0)
                return -1;
            if (s && strcmp(s, "none") != 0 && addChr(def, s, XV_CHR_DEVICE_SERIAL, 0) < 0)
                return -1;
        }
    } else {
        xvDomainChrDef *con = xvXenParseChr("pty", NULL);

        con->device = XV_CHR_DEVICE_CONSOLE;
        con->target_type = g_strdup("xen");
        con->has_target_port = true;
        con->target_port = 0;
        xvXenAddChr(&def->consoles, &def->nconsoles, con);
    }
    return 0;
}

static int
checkValueUTF8(const char *key, const xvCfgValue *v)
{
    const char *bad = NULL;

    if (v->type == XV_CFG_STRING && v->str && !g_utf8_validate(v->str, -1, &bad)) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s (line %u): string is not valid UTF-8 (byte %zu)",
                      key, v->line, (size_t)(bad - v->str));
        return -1;
    }
    for (guint i = 0; v->type == XV_CFG_LIST && i < v->items->len; i++)
        if (checkValueUTF8(key, g_ptr_array_index(v->items, i)) < 0)
            return -1;
    return 0;
}

int
xvXenParseConfigCommon(const xvCfg *cfg, xvDomainDef *def, const char *arch)
{
    const char *s;

    /* domain XML is UTF-8; refuse other encodings here, naming the key */
    for (guint i = 0; i < cfg->entries->len; i++) {
        const xvCfgEntry *e = g_ptr_array_index(cfg->entries, i);

        if (checkValueUTF8(e->name, e->value) < 0)
            return -1;
    }

    if (parseGeneral(cfg, def, arch) < 0 ||
        parseMem(cfg, def) < 0 ||
        parseAction(cfg, "on_poweroff", "destroy", false, &def->has_on_poweroff,
                    &def->on_poweroff) < 0 ||
        parseAction(cfg, "on_reboot", "restart", false, &def->has_on_reboot,
                    &def->on_reboot) < 0 ||
        parseAction(cfg, "on_crash", "restart", true, &def->has_on_crash,
                    &def->on_crash) < 0 ||
        parseCPU(cfg, def) < 0 ||
        parseTimeOffset(cfg, def) < 0)
        return -1;
    if (getStr(cfg, "device_model_override", &s) < 0)
        return -1;
    if (!s && getStr(cfg, "device_model", &s) < 0)
        return -1;
    def->emulator = g_strdup(s);
    if (parseVif(cfg, def, cfg->dialect == XV_CFG_DIALECT_XL ? "vif" : "netfront") < 0 ||
        parsePCI(cfg, def) < 0)
        return -1;
    if (def->os_type == XV_DOMAIN_OS_HVM) {
        if (getStr(cfg, "soundhw", &s) < 0)
            return -1;
        if (s && xvXenParseSound(def, s) < 0)
            return -1;
    }
    if (parseVfb(cfg, def) < 0 || parseCharDev(cfg, def) < 0)
        return -1;
    return 0;
}

int
xvXenParseUSBDevice(const xvCfg *cfg, xvDomainDef *def)
{
    const xvCfgValue *v;
    int usb;

    if (def->os_type != XV_DOMAIN_OS_HVM)
        return 0;
    if ((usb = getBool(cfg, "usb", 0)) < 0)
        return -1;
    if (!usb)
        return 0;
    if (!(v = xvCfgGet(cfg, "usbdevice")))
        return 0;
    if (v->type == XV_CFG_STRING) {
        if (strcmp(v->str, "tablet") == 0 || strcmp(v->str, "mouse") == 0 ||
            strcmp(v->str, "keyboard") == 0)
            xvXenAddInput(def, v->str, "usb");
    } else if (v->type == XV_CFG_LIST) {
        for (guint i = 0; i < v->items->len; i++) {
            const xvCfgValue *it = g_ptr_array_index(v->items, i);

            if (it->type == XV_CFG_STRING &&
                (strcmp(it->str, "tablet") == 0 || strcmp(it->str, "mouse") == 0 ||
                 strcmp(it->str, "keyboard") == 0))
                xvXenAddInput(def, it->str, "usb");
        }
    }
    return 0;
}

/* disk = [ "phy:/dev/vg/lv,hda,w", "file:/x.iso,hdc:cdrom,r", ",hdc:cdrom,r" ] */
static int
parseXMDisk(const char *spec, xvDomainDef *def)
{
    g_autoptr(xvDomainDiskDef) disk = g_new0(xvDomainDiskDef, 1);
    g_autofree char *copy = g_strdup(spec);
    char *src = copy, *dev, *mode, *colon;

    if (!(dev = strchr(src, ','))) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "disk '%s': expected SOURCE,DEVICE,MODE", spec);
        return -1;
    }
    *dev++ = '\0';
    if (!(mode = strchr(dev, ','))) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "disk '%s': expected SOURCE,DEVICE,MODE", spec);
        return -1;
    }
    *mode++ = '\0';

    disk->type = XV_DISK_TYPE_FILE;
    if (*src) {
        /* DRIVER:[TYPE:]PATH; no driver means phy */
        if ((colon = strchr(src, ':')) && colon != src && src[0] != '/') {
            *colon = '\0';
            disk->driver_name = g_strdup(src);
            src = colon + 1;
            if (strcmp(disk->driver_name, "tap") == 0 || strcmp(disk->driver_name, "tap2") == 0) {
                char *c2 = strchr(src, ':');

                if (!c2) {
                    xvReportError(VIR_ERR_CONF_SYNTAX, "disk '%s': tap needs TYPE:PATH", spec);
                    return -1;
                }
                *c2 = '\0';
                disk->driver_type = g_strdup(strcmp(src, "aio") == 0 ? "raw" : src);
                src = c2 + 1;
            }
        } else {
            disk->driver_name = g_strdup("phy");
        }
        if (*src)
            disk->src = g_strdup(src);
    }
    if (!disk->driver_name)
        disk->driver_name = g_strdup("phy");
    if (strcmp(disk->driver_name, "phy") == 0)
        disk->type = XV_DISK_TYPE_BLOCK;
    if (!disk->driver_type)
        disk->driver_type = g_strdup("raw");

    if (g_str_has_prefix(dev, "ioemu:"))
        dev += 6;
    disk->device = XV_DISK_DEVICE_DISK;
    if ((colon = strchr(dev, ':'))) {
        if (strcmp(colon, ":cdrom") == 0)
            disk->device = XV_DISK_DEVICE_CDROM;
        *colon = '\0';
    }
    if (!*dev) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "disk '%s': no device name", spec);
        return -1;
    }
    disk->dst = g_strdup(dev);
    if (g_str_has_prefix(dev, "xvd") || def->os_type != XV_DOMAIN_OS_HVM)
        disk->bus = XV_DISK_BUS_XEN;
    else if (g_str_has_prefix(dev, "sd"))
        disk->bus = XV_DISK_BUS_SCSI;
    else
        disk->bus = XV_DISK_BUS_IDE;
    if (strcmp(mode, "r") == 0 || strcmp(mode, "ro") == 0)
        disk->readonly = true;
    else if (strcmp(mode, "w!") == 0 || strcmp(mode, "!") == 0)
        disk->shareable = true;
    xvXenAddDisk(def, g_steal_pointer(&disk));
    return 0;
}

static int
parseXMOS(const xvCfg *cfg, xvDomainDef *def)
{
    const char *s;

    if (def->os_type == XV_DOMAIN_OS_HVM) {
        if (getStr(cfg, "kernel", &s) < 0)
            return -1;
        def->os_loader = g_strdup(s ? s : "/usr/lib/xen/boot/hvmloader");
        def->os_loader_type = g_strdup("rom");
        if (getStr(cfg, "boot", &s) < 0)
            return -1;
        xvXenParseBoot(def, s ? s : "c");
    } else {
        if (getStr(cfg, "bootloader", &s) < 0)
            return -1;
        def->bootloader = g_strdup(s);
        if (getStr(cfg, "bootargs", &s) < 0)
            return -1;
        def->bootloader_args = g_strdup(s);
        if (getStr(cfg, "kernel", &s) < 0)
            return -1;
        def->os_kernel = g_strdup(s);
        if (getStr(cfg, "ramdisk", &s) < 0)
            return -1;
        def->os_initrd = g_strdup(s);
        if (xvXenParseRootExtra(cfg, def) < 0)
            return -1;
    }
    return 0;
}

xvDomainDef *
xvXMConfigToDomainDef(const xvCfg *cfg, const char *arch)
{
    g_autoptr(xvDomainDef) def = xvDomainDefNew();
    g_auto(GStrv) disks = NULL;
    int rc;

    if (xvXenParseConfigCommon(cfg, def, arch) < 0 || parseXMOS(cfg, def) < 0)
        return NULL;
    if ((rc = xvCfgGetStringList(cfg, "disk", false, &disks)) < 0)
        return NULL;
    for (size_t i = 0; rc > 0 && disks[i]; i++)
        if (parseXMDisk(disks[i], def) < 0)
            return NULL;
    if (def->os_type == XV_DOMAIN_OS_HVM) {
        for (const char *const *fd = (const char *const[]){"fda", "fdb", NULL}; *fd; fd++) {
            const char *path = NULL;

            if (getStr(cfg, *fd, &path) < 0)
                return NULL;
            if (path && *path)
                xvXenAddFloppy(def, *fd, path);
        }
    }
    if (xvXenParseUSBDevice(cfg, def) < 0)
        return NULL;
    if (xvXenDomainDefAddDefaults(def, XV_XEN_DEFAULTS_LIBXL, NULL) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

/* ------------------------------------------------------------------ */
/* writing                                                             */

static void
setInt(xvCfg *cfg, const char *key, long long v)
{
    xvCfgSetLong(cfg, key, v);
}

static void
setStr(xvCfg *cfg, const char *key, const char *v)
{
    xvCfgSetString(cfg, key, v);
}

static void
appendStr(xvCfgValue *list, const char *s)
{
    xvCfgValueAppend(list, xvCfgValueNewString(s));
}

static int
formatNet(xvCfgValue *list, const xvDomainNetDef *net, bool hvm, const char *vifTypename)
{
    g_autoptr(GString) buf = g_string_new(NULL);

    if (xvXenCheckSpecValue("interface bridge", net->bridge, ",=") < 0 ||
        xvXenCheckSpecValue("interface script", net->script, ",=") < 0 ||
        xvXenCheckSpecValue("interface model", net->model, ",=") < 0 ||
        xvXenCheckSpecValue("interface target", net->ifname, ",=") < 0)
        return -1;
    g_string_append_printf(buf, "mac=%02x:%02x:%02x:%02x:%02x:%02x", net->mac[0], net->mac[1],
                           net->mac[2], net->mac[3], net->mac[4], net->mac[5]);
    switch (net->type) {
    case XV_NET_TYPE_BRIDGE:
        if (net->bridge) {
            g_string_append_printf(buf, ",bridge=%s", net->bridge);
            for (size_t i = 0; i < net->nvlan_tags; i++)
                g_string_append_printf(buf, "%c%u",
                                       net->vlan_trunk == XV_TRISTATE_YES ? ':' : '.',
                                       net->vlan_tags[i]);
        }
        G_GNUC_FALLTHROUGH;
    case XV_NET_TYPE_ETHERNET:
        if (net->ip) {
            g_string_append_printf(buf, ",ip=%s", net->ip);
            if (net->ip_prefix)
                g_string_append_printf(buf, "/%u", net->ip_prefix);
            for (size_t i = 0; i < net->nextra_ips; i++) {
                g_string_append_printf(buf, " %s", net->extra_ips[i].address);
                if (net->extra_ips[i].prefix)
                    g_string_append_printf(buf, "/%u", net->extra_ips[i].prefix);
            }
        }
        if (net->script)
            g_string_append_printf(buf, ",script=%s", net->script);
        break;
    default:
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "interface: network '%s' cannot be resolved to a bridge offline",
                      net->network ? net->network : "");
        return -1;
    }
    if (net->model) {
        if (hvm && strcmp(net->model, "netfront") == 0)
            g_string_append_printf(buf, ",type=%s", vifTypename);
        else
            g_string_append_printf(buf, ",model=%s", net->model);
    }
    if (net->ifname)
        g_string_append_printf(buf, ",vifname=%s", net->ifname);
    if (net->bw_outbound.set && net->bw_outbound.average)
        g_string_append_printf(buf, ",rate=%lluKB/s", net->bw_outbound.average);
    appendStr(list, buf->str);
    return 0;
}

static int
formatVfb(xvCfg *cfg, const xvDomainDef *def)
{
    const xvDomainGraphicsDef *gr;
    bool hvm = def->os_type == XV_DOMAIN_OS_HVM;
    bool autoport;

    if (def->ngraphics != 1 || def->graphics[0]->type == XV_GRAPHICS_SPICE)
        return 0;
    gr = def->graphics[0];
    autoport = gr->autoport == XV_TRISTATE_YES ||
               (gr->autoport == XV_TRISTATE_ABSENT && (!gr->has_port || gr->port == -1));
    if (hvm) {
        if (gr->type == XV_GRAPHICS_SDL) {
            setInt(cfg, "sdl", 1);
            setInt(cfg, "vnc", 0);
            if (gr->display)
                setStr(cfg, "display", gr->display);
            if (gr->xauth)
                setStr(cfg, "xauthority", gr->xauth);
        } else {
            setInt(cfg, "sdl", 0);
            setInt(cfg, "vnc", 1);
            setInt(cfg, "vncunused", autoport ? 1 : 0);
            if (!autoport && gr->has_port && gr->port >= 5900)
                setInt(cfg, "vncdisplay", gr->port - 5900);
            if (gr->listen)
                setStr(cfg, "vnclisten", gr->listen);
            if (gr->passwd)
                setStr(cfg, "vncpasswd", gr->passwd);
            if (gr->keymap)
                setStr(cfg, "keymap", gr->keymap);
        }
    } else {
        g_autoptr(GString) buf = g_string_new(NULL);
        xvCfgValue *list = NULL;

        if (xvXenCheckSpecValue("vnc listen address", gr->listen, ",") < 0 ||
            xvXenCheckSpecValue("vnc password", gr->passwd, ",") < 0 ||
            xvXenCheckSpecValue("keymap", gr->keymap, ",") < 0 ||
            xvXenCheckSpecValue("sdl display", gr->display, ",") < 0 ||
            xvXenCheckSpecValue("sdl xauth", gr->xauth, ",") < 0)
            return -1;
        list = xvCfgValueNewList();

        if (gr->type == XV_GRAPHICS_SDL) {
            g_string_append(buf, "type=sdl");
            if (gr->display)
                g_string_append_printf(buf, ",display=%s", gr->display);
            if (gr->xauth)
                g_string_append_printf(buf, ",xauthority=%s", gr->xauth);
        } else {
            g_string_append_printf(buf, "type=vnc,vncunused=%d", autoport ? 1 : 0);
            if (!autoport && gr->has_port && gr->port >= 5900)
                g_string_append_printf(buf, ",vncdisplay=%d", gr->port - 5900);
            if (gr->listen)
                g_string_append_printf(buf, ",vnclisten=%s", gr->listen);
            if (gr->passwd)
                g_string_append_printf(buf, ",vncpasswd=%s", gr->passwd);
            if (gr->keymap)
                g_string_append_printf(buf, ",keymap=%s", gr->keymap);
        }
        appendStr(list, buf->str);
        xvCfgSet(cfg, "vfb", list);
    }
    return 0;
}

static int
formatCharDev(xvCfg *cfg, const xvDomainDef *def)
{
    if (def->os_type != XV_DOMAIN_OS_HVM)
        return 0;
    if (def->nparallels) {
        g_autofree char *s = xvXenFormatChr(def->parallels[0]);
        if (!s)
            return -1;
        setStr(cfg, "parallel", s);
    } else {
        setStr(cfg, "parallel", "none");
    }
    if (def->nserials == 0) {
        setStr(cfg, "serial", "none");
    } else if (def->nserials == 1 && xvXenSerialPort(def, 0) == 0) {
        g_autofree char *s = xvXenFormatChr(def->serials[0]);
        if (!s)
            return -1;
        setStr(cfg, "serial", s);
    } else {
        xvCfgValue *list = xvCfgValueNewList();
        int maxport = xvXenSerialMaxPort(def);

        for (int port = 0; port <= maxport && port < 256; port++) {
            const xvDomainChrDef *chr = xvXenSerialAtPort(def, port);

            if (chr) {
                g_autofree char *s = xvXenFormatChr(chr);
                if (!s) {
                    xvCfgValueFree(list);
                    return -1;
                }
                appendStr(list, s);
            } else {
                appendStr(list, "none");
            }
        }
        xvCfgSet(cfg, "serial", list);
    }
    return 0;
}

void
xvXenFormatPVBoot(xvCfg *cfg, const xvDomainDef *def, const char *cmdlineKey)
{
    if (def->bootloader) {
        setStr(cfg, "bootloader", def->bootloader);
        if (def->bootloader_args)
            setStr(cfg, "bootargs", def->bootloader_args);
    }
    if (def->os_kernel)
        setStr(cfg, "kernel", def->os_kernel);
    if (def->os_initrd)
        setStr(cfg, "ramdisk", def->os_initrd);
    if (def->os_cmdline)
        setStr(cfg, cmdlineKey, def->os_cmdline);
}

int
xvXenFormatConfigCommon(xvCfg *cfg, const xvDomainDef *def)
{
    char uuid[XV_UUID_STRLEN];
    bool hvm = def->os_type == XV_DOMAIN_OS_HVM;
    const char *offset = def->clock_offset ? def->clock_offset : "utc";
    int localtime = 0;

    if (!def->name) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "domain has no name");
        return -1;
    }
    setStr(cfg, "name", def->name);
    setStr(cfg, "uuid", xvUUIDFormat(def->uuid, uuid));
    setInt(cfg, "maxmem", (long long)((def->max_memory + 1023) / 1024));
    setInt(cfg, "memory", (long long)(((def->current_memory ? def->current_memory
                                                           : def->max_memory) + 1023) / 1024));
    if (def->vcpus_current && def->vcpus_current < def->vcpus) {
        setInt(cfg, "maxvcpus", def->vcpus);
        setInt(cfg, "vcpus", def->vcpus_current);
    } else {
        setInt(cfg, "vcpus", def->vcpus);
    }
    if (def->cpuset)
        setStr(cfg, "cpus", def->cpuset);
    if (hvm) {
        setInt(cfg, "pae", def->feature_pae == XV_TRISTATE_YES);
        setInt(cfg, "acpi", def->feature_acpi == XV_TRISTATE_YES);
        setInt(cfg, "apic", def->feature_apic == XV_TRISTATE_YES);
        if (def->feature_hap == XV_TRISTATE_NO)
            setInt(cfg, "hap", 0);
        setInt(cfg, "viridian", def->feature_viridian == XV_TRISTATE_YES);
    }

    /* xl writes e820_host, passthrough, tsc_mode and hpet here; xm only hpet */
    if (cfg->dialect == XV_CFG_DIALECT_XL && def->feature_xen_e820_host != XV_TRISTATE_ABSENT)
        setInt(cfg, "e820_host", def->feature_xen_e820_host == XV_TRISTATE_YES);
    if (cfg->dialect == XV_CFG_DIALECT_XL && def->feature_xen_passthrough != XV_TRISTATE_ABSENT) {
        if (def->feature_xen_passthrough == XV_TRISTATE_NO)
            setStr(cfg, "passthrough", "disabled");
        else
            setStr(cfg, "passthrough", def->feature_xen_passthrough_mode
                                       ? def->feature_xen_passthrough_mode : "enabled");
    }
    if (hvm) {
        for (size_t i = 0; i < def->ntimers; i++) {
            const xvDomainTimerDef *t = def->timers[i];

            if (t->name == XV_TIMER_TSC && t->mode && cfg->dialect == XV_CFG_DIALECT_XL) {
                const char *m = t->mode;
                if (strcmp(m, "auto") == 0) m = "default";
                else if (strcmp(m, "paravirt") == 0) m = "native_paravirt";
                setStr(cfg, "tsc_mode", m);
            } else if (t->name == XV_TIMER_HPET && t->present != XV_TRISTATE_ABSENT) {
                setInt(cfg, "hpet", t->present == XV_TRISTATE_YES);
            }
        }
        if (def->ntimers == 0 && def->timer_hpet != XV_TRISTATE_ABSENT)
            setInt(cfg, "hpet", def->timer_hpet == XV_TRISTATE_YES);
    }

    if (hvm) {
        long long rtc = 0;

        if (strcmp(offset, "variable") == 0) {
            localtime = g_strcmp0(def->clock_basis, "localtime") == 0;
            rtc = def->has_clock_adjustment ? def->clock_adjustment : 0;
        } else if (strcmp(offset, "utc") == 0 || strcmp(offset, "localtime") == 0) {
            if (def->clock_adjustment_reset) {
                xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                              "unsupported clock adjustment='reset'");
                return -1;
            }
            localtime = strcmp(offset, "localtime") == 0;
        } else {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported clock offset='%s'", offset);
            return -1;
        }
        setInt(cfg, "rtc_timeoffset", rtc);
    } else {
        if (strcmp(offset, "utc") == 0 || strcmp(offset, "localtime") == 0) {
            localtime = strcmp(offset, "localtime") == 0;
        } else {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported clock offset='%s'", offset);
            return -1;
        }
    }
    setInt(cfg, "localtime", localtime);
    setStr(cfg, "on_poweroff", xvDomainLifecycleActionTypeToString(
               def->has_on_poweroff ? def->on_poweroff : XV_DOMAIN_LIFECYCLE_DESTROY));
    setStr(cfg, "on_reboot", xvDomainLifecycleActionTypeToString(
               def->has_on_reboot ? def->on_reboot : XV_DOMAIN_LIFECYCLE_RESTART));
    setStr(cfg, "on_crash", xvDomainLifecycleActionTypeToString(
               def->has_on_crash ? def->on_crash : XV_DOMAIN_LIFECYCLE_DESTROY));
    if (def->emulator)
        setStr(cfg, "device_model_override", def->emulator);
    if (formatVfb(cfg, def) < 0)
        return -1;

    if (def->nnets) {
        xvCfgValue *list = xvCfgValueNewList();

        for (size_t i = 0; i < def->nnets; i++) {
            if (formatNet(list, def->nets[i], hvm,
                          cfg->dialect == XV_CFG_DIALECT_XL ? "vif" : "netfront") < 0) {
                xvCfgValueFree(list);
                return -1;
            }
        }
        xvCfgSet(cfg, "vif", list);
    }
    if (def->nhostdevs) {
        xvCfgValue *list = xvCfgValueNewList();

        for (size_t i = 0; i < def->nhostdevs; i++) {
            const xvDomainHostdevDef *h = def->hostdevs[i];
            g_autofree char *s = g_strdup_printf("%04x:%02x:%02x.%x%s", h->domain, h->bus,
                                                 h->slot, h->function,
                                                 h->write_filtering == XV_TRISTATE_NO
                                                 ? ",permissive=1" : "");
            appendStr(list, s);
        }
        xvCfgSet(cfg, "pci", list);
    }
    if (formatCharDev(cfg, def) < 0)
        return -1;
    if (hvm && def->nsounds) {
        g_autofree char *s = xvXenFormatSound(def);
        setStr(cfg, "soundhw", s);
    }
    return 0;
}

void
xvXenFormatUSBDevice(xvCfg *cfg, const xvDomainDef *def)
{
    size_t n = 0;

    if (def->os_type != XV_DOMAIN_OS_HVM)
        return;
    for (size_t i = 0; i < def->ninputs; i++)
        if (g_strcmp0(def->inputs[i]->bus, "usb") == 0)
            n++;
    if (n == 0)
        return;
    setInt(cfg, "usb", 1);
    if (n == 1) {
        for (size_t i = 0; i < def->ninputs; i++)
            if (g_strcmp0(def->inputs[i]->bus, "usb") == 0)
                setStr(cfg, "usbdevice", def->inputs[i]->type);
    } else {
        xvCfgValue *list = xvCfgValueNewList();

        for (size_t i = 0; i < def->ninputs; i++)
            if (g_strcmp0(def->inputs[i]->bus, "usb") == 0)
                appendStr(list, def->inputs[i]->type);
        xvCfgSet(cfg, "usbdevice", list);
    }
}

static int
formatXMDisk(xvCfgValue *list, const xvDomainDiskDef *disk)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    const char *driver = disk->driver_name;

    if (disk->type == XV_DISK_TYPE_NETWORK) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "disk '%s': network disks cannot be written in xm format", disk->dst);
        return -1;
    }
    if (xvXenCheckSpecValue("disk source", disk->src, ",") < 0)
        return -1;
    if (disk->src) {
        if (driver && strcmp(driver, "qemu") != 0) {
            g_string_append_printf(buf, "%s:", driver);
            if (strcmp(driver, "tap") == 0 || strcmp(driver, "tap2") == 0)
                g_string_append_printf(buf, "%s:", !disk->driver_type ||
                                       strcmp(disk->driver_type, "raw") == 0
                                       ? "aio" : disk->driver_type);
        } else {
            g_string_append(buf, disk->type == XV_DISK_TYPE_BLOCK ? "phy:" : "file:");
        }
        g_string_append(buf, disk->src);
    }
    g_string_append_c(buf, ',');
    /* libvirt marked only HVM CD-ROMs; xend reads the suffix for PV too and
     * without it a CD-ROM would come back as a disk */
    if (disk->device == XV_DISK_DEVICE_CDROM)
        g_string_append_printf(buf, "%s:cdrom", disk->dst);
    else
        g_string_append(buf, disk->dst);
    g_string_append(buf, disk->readonly ? ",r" : disk->shareable ? ",w!" : ",w");
    appendStr(list, buf->str);
    return 0;
}

xvCfg *
xvDomainDefToXMConfig(const xvDomainDef *def)
{
    g_autoptr(xvCfg) cfg = xvCfgNew(XV_CFG_DIALECT_XM);
    bool hvm = def->os_type == XV_DOMAIN_OS_HVM;

    if (def->os_type == XV_DOMAIN_OS_XENPVH) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "xm cannot describe a PVH guest");
        return NULL;
    }
    if (xvXenFormatConfigCommon(cfg, def) < 0)
        return NULL;
    if (hvm) {
        g_autofree char *boot = xvXenFormatBoot(def);

        setStr(cfg, "builder", "hvm");
        if (def->os_loader)
            setStr(cfg, "kernel", def->os_loader);
        setStr(cfg, "boot", boot);
        /* xm reads HVM floppies from fda/fdb, not from disk */
        for (size_t i = 0; i < def->ndisks; i++) {
            const xvDomainDiskDef *d = def->disks[i];

            if (d->device != XV_DISK_DEVICE_FLOPPY)
                continue;
            if (!d->src || (strcmp(d->dst, "fda") != 0 && strcmp(d->dst, "fdb") != 0)) {
                xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "floppy '%s': xm knows only fda and fdb with an image", d->dst);
                return NULL;
            }
            setStr(cfg, d->dst, d->src);
        }
    } else {
        xvXenFormatPVBoot(cfg, def, "extra");
    }
    if (def->ndisks) {
        xvCfgValue *list = xvCfgValueNewList();

        for (size_t i = 0; i < def->ndisks; i++) {
            if (hvm && def->disks[i]->device == XV_DISK_DEVICE_FLOPPY)
                continue;
            if (formatXMDisk(list, def->disks[i]) < 0) {
                xvCfgValueFree(list);
                return NULL;
            }
        }
        xvCfgSet(cfg, "disk", list);
    }
    xvXenFormatUSBDevice(cfg, def);
    return g_steal_pointer(&cfg);
}
