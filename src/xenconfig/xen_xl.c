/*
 * xen_xl.c: the domain model <-> xl config files (see xen_xl.h).
 *
 * xl reads the same file syntax as xm and most of the same keys; what it
 * changed is handled here, after xvXenParseConfigCommon has read the shared
 * keys: the OS keys (type=, cmdline instead of extra/root, direct kernel
 * boot of HVM guests, bios=), the disk spec (xl-disk-configuration.txt:
 * positional "target,format,vdev,access" or KEY=VALUE with target= last),
 * and xl-only devices.  Key order on output is libvirt's (pinned by the
 * public xlconfigdata vectors).
 */
#define XV_FROM VIR_FROM_XENXL
#include "xenconfig/xen_xl.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "util/error.h"
#include "xenconfig/xen_common.h"
#include "xenconfig/xen_xm.h"

#define XL_DEFAULT_LOADER "/usr/lib/xen/boot/hvmloader"
#define XL_OVMF_PATH "/usr/lib/xen/boot/ovmf.bin"

static int
getStr(const xvCfg *cfg, const char *name, const char **out)
{
    *out = NULL;
    return xvCfgGetString(cfg, name, out);
}

/* ------------------------------------------------------------------ */
/* disks                                                               */

static const char *const diskFormats[] = {
    "raw", "qcow", "qcow2", "vhd", "qed", "empty",
};

static bool
isFormat(const char *s)
{
    for (size_t i = 0; i < G_N_ELEMENTS(diskFormats); i++)
        if (strcmp(s, diskFormats[i]) == 0)
            return true;
    return false;
}

/* "rbd:pool/image:auth_supported=none:mon_host=h1\:p1\;h2\:p2" */
static int
parseRBD(xvDomainDiskDef *disk, const char *target)
{
    g_autofree char *rest = g_strdup(target + 4);
    char *opts = strchr(rest, ':');

    disk->type = XV_DISK_TYPE_NETWORK;
    disk->src_protocol = g_strdup("rbd");
    if (opts)
        *opts++ = '\0';
    disk->src = g_strdup(rest);
    while (opts && *opts) {
        char *next = opts;

        /* options end at an unescaped ':' */
        while (*next && !(*next == ':' && next[-1] != '\\'))
            next++;
        if (*next)
            *next++ = '\0';
        if (g_str_has_prefix(opts, "mon_host=")) {
            g_autoptr(GString) h = g_string_new(NULL);
            const char *p = opts + 9;

            for (;; p++) {
                if (*p == '\\' && p[1] == ';') {
                    p++;
                } else if (*p && !(*p == ';')) {
                    if (*p == '\\' && p[1] == ':')
                        p++;
                    g_string_append_c(h, *p);
                    continue;
                }
                {
                    /* one host[:port] */
                    char *colon = strrchr(h->str, ':');
                    disk->hosts = g_renew(xvDomainDiskHostDef, disk->hosts, disk->nhosts + 1);
                    disk->hosts[disk->nhosts].name =
                        colon ? g_strndup(h->str, colon - h->str) : g_strdup(h->str);
                    disk->hosts[disk->nhosts].port = colon ? g_strdup(colon + 1) : NULL;
                    disk->nhosts++;
                    g_string_truncate(h, 0);
                }
                if (!*p)
                    break;
            }
        }
        opts = next;
    }
    return 0;
}

/* The prefixes xl still accepts on a positional target (the xm syntax):
 * each is stripped, and the format it implies fills the format slot, so
 * the positional parameters become target,vdev,access. */
static const char *const deprecatedPrefixes[][2] = {
    {"tapdisk:", NULL}, {"tap2:", NULL}, {"tap:", NULL},
    {"aio:", "raw"}, {"ioemu:", NULL}, {"file:", NULL}, {"phy:", NULL},
    {"raw:", "raw"}, {"qcow:", "qcow"}, {"qcow2:", "qcow2"}, {"vhd:", "vhd"},
};

/* docs/misc/xl-disk-configuration.txt, checked against libxlutil's
 * xlu_disk_parse by tests/xenconv/xldiskoracle.c: comma-separated
 * KEY=VALUE pairs, bare flags and positional parameters; a positional
 * one fills the first of target,format,vdev,access not yet given; an
 * empty value means the default; target= takes the rest of the spec. */
static int
parseXLDisk(const char *spec, xvDomainDef *def)
{
    enum { SLOT_TARGET, SLOT_FORMAT, SLOT_VDEV, SLOT_ACCESS, SLOT_LAST };
    g_autoptr(xvDomainDiskDef) disk = g_new0(xvDomainDiskDef, 1);
    g_autofree char *copy = g_strdup(spec);
    char *slot[SLOT_LAST] = {NULL};
    bool given[SLOT_LAST] = {false};
    const char *backend = NULL;
    const char *format;
    bool cdrom = false;
    bool legacy = false;
    char *p = copy;

    for (;;) {
        char *comma;

        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (g_str_has_prefix(p, "target=")) {
            slot[SLOT_TARGET] = p + 7; /* the rest, commas included */
            given[SLOT_TARGET] = true;
            break;
        }
        comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (g_str_has_prefix(p, "format=")) {
            slot[SLOT_FORMAT] = p + 7;
            given[SLOT_FORMAT] = true;
        } else if (g_str_has_prefix(p, "vdev=")) {
            slot[SLOT_VDEV] = p + 5;
            given[SLOT_VDEV] = true;
        } else if (g_str_has_prefix(p, "access=")) {
            slot[SLOT_ACCESS] = p + 7;
            given[SLOT_ACCESS] = true;
        } else if (g_str_has_prefix(p, "devtype=")) {
            if (strcmp(p + 8, "cdrom") == 0)
                cdrom = true;
            else if (strcmp(p + 8, "disk") != 0 && *(p + 8)) {
                xvReportError(VIR_ERR_CONF_SYNTAX, "disk '%s': devtype '%s' is not disk or cdrom",
                              spec, p + 8);
                return -1;
            }
        } else if (g_str_has_prefix(p, "backendtype=")) {
            backend = p + 12;
        } else if (g_str_has_prefix(p, "backend=")) {
            /* a driver domain: not part of libvirt's model */
        } else if (g_str_has_prefix(p, "script=")) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "disk '%s': block scripts (script=) are not supported", spec);
            return -1;
        } else if (strcmp(p, "cdrom") == 0) {
            cdrom = true;
        } else if (strcmp(p, "direct-io-safe") == 0 || strcmp(p, "discard") == 0 ||
                   strcmp(p, "no-discard") == 0 || strcmp(p, "trusted") == 0 ||
                   strcmp(p, "untrusted") == 0) {
            /* hints libvirt does not model */
        } else if (strchr(p, '=')) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "disk '%s': unknown parameter '%s'", spec, p);
            return -1;
        } else {
            size_t s;

            /* xm's "hdc:cdrom" is the vdev after an empty or prefixed
             * (xm-style) target, as libxlutil reads it */
            if (g_str_has_suffix(p, ":cdrom") && !given[SLOT_VDEV] && given[SLOT_TARGET] &&
                (legacy || !slot[SLOT_TARGET] || !*slot[SLOT_TARGET])) {
                slot[SLOT_VDEV] = p;
                given[SLOT_VDEV] = given[SLOT_FORMAT] = given[SLOT_TARGET] = true;
                if (!comma)
                    break;
                p = comma + 1;
                continue;
            }
            for (s = 0; s < SLOT_LAST && given[s]; s++)
                ;
            if (s == SLOT_LAST) {
                xvReportError(VIR_ERR_CONF_SYNTAX,
                              "disk '%s': too many positional parameters at '%s'", spec, p);
                return -1;
            }
            if (s == SLOT_TARGET) {
                for (size_t k = 0; k < G_N_ELEMENTS(deprecatedPrefixes); k++) {
                    if (!g_str_has_prefix(p, deprecatedPrefixes[k][0]))
                        continue;
                    p += strlen(deprecatedPrefixes[k][0]);
                    legacy = true;
                    if (!given[SLOT_FORMAT] || deprecatedPrefixes[k][1]) {
                        slot[SLOT_FORMAT] = (char *)(deprecatedPrefixes[k][1]
                                                     ? deprecatedPrefixes[k][1] : "raw");
                        given[SLOT_FORMAT] = true;
                    }
                    k = (size_t)-1; /* tap:aio:... has two */
                }
            }
            slot[s] = p;
            given[s] = true;
        }
        if (!comma)
            break;
        p = comma + 1;
    }

    if (!slot[SLOT_VDEV] || !*slot[SLOT_VDEV]) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "disk '%s': no vdev", spec);
        return -1;
    }
    if (g_str_has_suffix(slot[SLOT_VDEV], ":cdrom")) {
        disk->dst = g_strndup(slot[SLOT_VDEV], strlen(slot[SLOT_VDEV]) - 6);
        cdrom = true;
    } else {
        disk->dst = g_strdup(slot[SLOT_VDEV]);
    }
    disk->device = cdrom ? XV_DISK_DEVICE_CDROM : XV_DISK_DEVICE_DISK;

    format = slot[SLOT_FORMAT] && *slot[SLOT_FORMAT] ? slot[SLOT_FORMAT] : "raw";
    if (!isFormat(format)) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "disk '%s': unknown format '%s'", spec, format);
        return -1;
    }
    if (slot[SLOT_ACCESS] && *slot[SLOT_ACCESS]) {
        const char *a = slot[SLOT_ACCESS];

        if (strcmp(a, "ro") == 0 || strcmp(a, "r") == 0)
            disk->readonly = true;
        else if (strcmp(a, "rw") != 0 && strcmp(a, "w") != 0) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "disk '%s': access '%s' is not ro, r, rw or w",
                          spec, a);
            return -1;
        }
    }
    if (cdrom) {
        /* a CD-ROM is read-only and qemu's, a file, raw unless empty */
        disk->readonly = true;
        disk->driver_name = g_strdup("qemu");
        disk->type = XV_DISK_TYPE_FILE;
        if (slot[SLOT_TARGET] && *slot[SLOT_TARGET]) {
            disk->src = g_strdup(slot[SLOT_TARGET]);
            if (strcmp(format, "empty") != 0)
                disk->driver_type = g_strdup(format);
        }
    } else {
        if (strcmp(format, "empty") == 0) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "disk '%s': format 'empty' needs a CD-ROM", spec);
            return -1;
        }
        disk->driver_type = g_strdup(format);
        if (!backend || !*backend || strcmp(backend, "qdisk") == 0)
            disk->driver_name = g_strdup("qemu");
        else if (strcmp(backend, "phy") == 0)
            disk->driver_name = g_strdup("phy");
        else if (strcmp(backend, "tap") == 0)
            disk->driver_name = g_strdup("tap");
        else {
            xvReportError(VIR_ERR_CONF_SYNTAX, "disk '%s': unknown backendtype '%s'",
                          spec, backend);
            return -1;
        }
        if (slot[SLOT_TARGET] && g_str_has_prefix(slot[SLOT_TARGET], "rbd:")) {
            if (parseRBD(disk, slot[SLOT_TARGET]) < 0)
                return -1;
        } else {
            disk->type = strcmp(disk->driver_name, "phy") == 0 ? XV_DISK_TYPE_BLOCK
                                                              : XV_DISK_TYPE_FILE;
            if (slot[SLOT_TARGET] && *slot[SLOT_TARGET])
                disk->src = g_strdup(slot[SLOT_TARGET]);
        }
    }
    if (g_str_has_prefix(disk->dst, "xvd") || def->os_type != XV_DOMAIN_OS_HVM)
        disk->bus = XV_DISK_BUS_XEN;
    else if (g_str_has_prefix(disk->dst, "sd"))
        disk->bus = XV_DISK_BUS_SCSI;
    else
        disk->bus = XV_DISK_BUS_IDE;
    xvXenAddDisk(def, g_steal_pointer(&disk));
    return 0;
}

static char *
formatXLDisk(const xvDomainDiskDef *disk)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    const char *backend = "qdisk";

    if (disk->device == XV_DISK_DEVICE_FLOPPY) {
        /* libxl has no floppy drives */
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "floppy '%s' is not supported by xl",
                      disk->dst);
        return NULL;
    }

    if (disk->shareable) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "disk '%s': xl cannot share a writable disk (<shareable/>)", disk->dst);
        return NULL;
    }
    g_string_append_printf(buf, "format=%s,vdev=%s,access=%s", disk->driver_type
                           ? disk->driver_type : "raw", disk->dst,
                           disk->readonly ? "ro" : "rw");
    if (g_strcmp0(disk->driver_name, "phy") == 0)
        backend = "phy";
    else if (g_strcmp0(disk->driver_name, "tap") == 0)
        backend = "tap";
    g_string_append_printf(buf, ",backendtype=%s", backend);
    if (disk->device == XV_DISK_DEVICE_CDROM)
        g_string_append(buf, ",devtype=cdrom");
    if (disk->type == XV_DISK_TYPE_NETWORK) {
        if (g_strcmp0(disk->src_protocol, "rbd") != 0) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "disk '%s': network protocol '%s' is not supported by xl", disk->dst,
                          disk->src_protocol ? disk->src_protocol : "");
            return NULL;
        }
        g_string_append_printf(buf, ",target=rbd:%s", disk->src ? disk->src : "");
        if (disk->nhosts) {
            g_string_append(buf, ":auth_supported=none:mon_host=");
            for (size_t i = 0; i < disk->nhosts; i++) {
                if (i)
                    g_string_append(buf, "\\;");
                g_string_append(buf, disk->hosts[i].name);
                if (disk->hosts[i].port)
                    g_string_append_printf(buf, "\\:%s", disk->hosts[i].port);
            }
        }
    } else if (disk->src) {
        g_string_append_printf(buf, ",target=%s", disk->src);
    }
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

/* ------------------------------------------------------------------ */
/* reading                                                             */

static int
parseXLOS(const xvCfg *cfg, xvDomainDef *def)
{
    const char *s;

    if (getStr(cfg, "kernel", &s) < 0)
        return -1;
    def->os_kernel = g_strdup(s);
    if (getStr(cfg, "ramdisk", &s) < 0)
        return -1;
    def->os_initrd = g_strdup(s);
    if (getStr(cfg, "cmdline", &s) < 0)
        return -1;
    if (s) {
        def->os_cmdline = g_strdup(s);
    } else if (def->os_type != XV_DOMAIN_OS_HVM) {
        if (xvXenParseRootExtra(cfg, def) < 0)
            return -1;
    }

    if (def->os_type == XV_DOMAIN_OS_HVM) {
        const char *bios = NULL, *override = NULL;

        if (getStr(cfg, "bios", &bios) < 0 || getStr(cfg, "bios_path_override", &override) < 0)
            return -1;
        if (g_strcmp0(bios, "ovmf") == 0) {
            def->os_loader = g_strdup(override ? override : XL_OVMF_PATH);
            def->os_loader_type = g_strdup("pflash");
            def->os_loader_readonly = XV_TRISTATE_YES;
        } else {
            def->os_loader = g_strdup(XL_DEFAULT_LOADER);
            def->os_loader_type = g_strdup("rom");
        }
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
    }
    return 0;
}

static int
parseXLMisc(const xvCfg *cfg, xvDomainDef *def)
{
    const char *s;
    bool b;
    int rc;
    unsigned long long n;

    if ((rc = xvCfgGetBool(cfg, "e820_host", &b)) < 0)
        return -1;
    if (rc == 1)
        def->feature_xen_e820_host = b ? XV_TRISTATE_YES : XV_TRISTATE_NO;
    if (getStr(cfg, "passthrough", &s) < 0)
        return -1;
    if (s) {
        if (strcmp(s, "disabled") == 0) {
            def->feature_xen_passthrough = XV_TRISTATE_NO;
        } else {
            def->feature_xen_passthrough = XV_TRISTATE_YES;
            if (strcmp(s, "enabled") != 0)
                def->feature_xen_passthrough_mode = g_strdup(s);
        }
    }
    if (def->os_type == XV_DOMAIN_OS_HVM) {
        if ((rc = xvCfgGetBool(cfg, "nestedhvm", &b)) < 0)
            return -1;
        if (rc == 1) {
            def->has_cpu = true;
            if (b) {
                def->cpu_mode = g_strdup("host-passthrough");
            } else {
                xvDomainCpuFeatureDef *f = g_new0(xvDomainCpuFeatureDef, 1);

                def->cpu_mode = g_strdup("host-passthrough");
                f->policy = g_strdup("disable");
                f->name = g_strdup("vmx");
                def->cpu_features = g_new0(xvDomainCpuFeatureDef *, 1);
                def->cpu_features[0] = f;
                def->ncpu_features = 1;
            }
        }
        if (getStr(cfg, "tsc_mode", &s) < 0)
            return -1;
        if (s) {
            xvDomainTimerDef *t = g_new0(xvDomainTimerDef, 1);

            t->name = XV_TIMER_TSC;
            t->present = XV_TRISTATE_YES;
            t->mode = g_strdup(strcmp(s, "default") == 0 ? "auto" :
                               strcmp(s, "native_paravirt") == 0 ? "paravirt" : s);
            def->timers = g_renew(xvDomainTimerDef *, def->timers, def->ntimers + 1);
            /* tsc is listed before hpet, as libvirt reads it first */
            memmove(def->timers + 1, def->timers, def->ntimers * sizeof(*def->timers));
            def->timers[0] = t;
            def->ntimers++;
        }
    }
    /* max_grant_frames / max_event_channels belong to the xenbus controller */
    if ((rc = xvCfgGetULong(cfg, "max_grant_frames", &n)) < 0)
        return -1;
    if (rc == 1 || xvCfgHas(cfg, "max_event_channels")) {
        xvXenAddController(def, "xenbus", 0);
        if (rc == 1) {
            def->controllers[def->ncontrollers - 1]->has_max_grant_frames = true;
            def->controllers[def->ncontrollers - 1]->max_grant_frames = n;
        }
        if ((rc = xvCfgGetULong(cfg, "max_event_channels", &n)) < 0)
            return -1;
        if (rc == 1) {
            def->controllers[def->ncontrollers - 1]->has_max_event_channels = true;
            def->controllers[def->ncontrollers - 1]->max_event_channels = n;
        }
    }
    return 0;
}

/* xl's CPUID feature names where libvirt spells them differently. */
static const char *const cpuidNames[][2] = {
    {"sse3", "pni"},
    {"lahfsahf", "lahf_lm"},
    {"cmplegacy", "cmp_legacy"},
    {"altmovcr8", "cr8legacy"},
    {"nodeid", "nodeid_msr"},
    {"perfctr_core", "perfctr_core"},
    {"perfctr_nb", "perfctr_nb"},
};

static const char *
cpuidToLibvirt(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cpuidNames); i++)
        if (strcmp(cpuidNames[i][0], name) == 0)
            return cpuidNames[i][1];
    return name;
}

static const char *
cpuidFromLibvirt(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cpuidNames); i++)
        if (strcmp(cpuidNames[i][1], name) == 0)
            return cpuidNames[i][0];
    return name;
}

/* cpuid = "host,tm=0,sse3=0" (libxl syntax): host-passthrough plus one
 * feature per setting; 1 forces, 0 disables, x/k/s leave it optional.
 * The xend list syntax ("1:ecx=xxx...") has no libvirt equivalent. */
static int
parseCPUID(const xvCfg *cfg, xvDomainDef *def)
{
    const xvCfgValue *v = xvCfgGet(cfg, "cpuid");
    g_auto(GStrv) items = NULL;

    if (!v)
        return 0;
    if (v->type != XV_CFG_STRING) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s",
                      "cpuid: only the libxl string syntax (\"host,FEATURE=VALUE,...\") is supported");
        return -1;
    }
    items = g_strsplit(v->str, ",", -1);
    if (!items[0] || strcmp(items[0], "host") != 0) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "cpuid '%s': must start with 'host'", v->str);
        return -1;
    }
    def->has_cpu = true;
    if (!def->cpu_mode)
        def->cpu_mode = g_strdup("host-passthrough");
    for (size_t i = 1; items[i]; i++) {
        char *eq = strchr(items[i], '=');
        const char *policy;
        xvDomainCpuFeatureDef *f;

        if (!eq || eq == items[i] || !eq[1] || eq[2]) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "cpuid '%s': '%s' is not FEATURE=0|1|x|k|s",
                          v->str, items[i]);
            return -1;
        }
        *eq = '\0';
        switch (eq[1]) {
        case '1': policy = "force"; break;
        case '0': policy = "disable"; break;
        case 'x': case 'k': case 's': policy = "optional"; break;
        default:
            xvReportError(VIR_ERR_CONF_SYNTAX, "cpuid '%s': value '%c' of %s is not 0, 1, x, k or s",
                          v->str, eq[1], items[i]);
            return -1;
        }
        f = g_new0(xvDomainCpuFeatureDef, 1);
        f->policy = g_strdup(policy);
        f->name = g_strdup(cpuidToLibvirt(items[i]));
        def->cpu_features = g_renew(xvDomainCpuFeatureDef *, def->cpu_features,
                                    def->ncpu_features + 1);
        def->cpu_features[def->ncpu_features++] = f;
    }
    return 0;
}

/* device_model_version = "qemu-xen-traditional" means qemu-dm. */
static int
parseDeviceModelVersion(const xvCfg *cfg, xvDomainDef *def)
{
    const char *s;

    if (getStr(cfg, "device_model_version", &s) < 0)
        return -1;
    if (!s)
        return 0;
    if (strcmp(s, "qemu-xen-traditional") == 0) {
        if (!def->emulator)
            def->emulator = g_strdup("/usr/lib/xen/bin/qemu-dm");
    } else if (strcmp(s, "qemu-xen") != 0) {
        xvReportError(VIR_ERR_CONF_SYNTAX,
                      "device_model_version '%s' is not qemu-xen or qemu-xen-traditional", s);
        return -1;
    }
    return 0;
}

static int
parseSpice(const xvCfg *cfg, xvDomainDef *def)
{
    g_autoptr(xvDomainGraphicsDef) gr = NULL;
    const char *s;
    bool b;
    long long n;
    int rc;

    if (def->os_type != XV_DOMAIN_OS_HVM)
        return 0;
    if ((rc = xvCfgGetBool(cfg, "spice", &b)) < 0)
        return -1;
    if (rc == 0 || !b)
        return 0;
    gr = g_new0(xvDomainGraphicsDef, 1);
    gr->type = XV_GRAPHICS_SPICE;
    if (getStr(cfg, "spicehost", &s) < 0)
        return -1;
    gr->listen = g_strdup(s);
    if ((rc = xvCfgGetLong(cfg, "spicetls_port", &n)) < 0)
        return -1;
    if (rc == 1) {
        gr->has_tls_port = true;
        gr->tls_port = (int)n;
    }
    if ((rc = xvCfgGetLong(cfg, "spiceport", &n)) < 0)
        return -1;
    if (rc == 1) {
        gr->has_port = true;
        gr->port = (int)n;
        gr->autoport = XV_TRISTATE_NO;
    } else {
        gr->autoport = XV_TRISTATE_YES;
    }
    if ((rc = xvCfgGetBool(cfg, "spicedisable_ticketing", &b)) < 0)
        return -1;
    if (rc == 0 || !b) {
        if (getStr(cfg, "spicepasswd", &s) < 0)
            return -1;
        gr->passwd = g_strdup(s);
    }
    if ((rc = xvCfgGetBool(cfg, "spiceagent_mouse", &b)) < 0)
        return -1;
    if (rc == 1)
        gr->mouse_mode = g_strdup(b ? "client" : "server");
    if ((rc = xvCfgGetBool(cfg, "spice_clipboard_sharing", &b)) < 0)
        return -1;
    if (rc == 1)
        gr->copypaste = b ? XV_TRISTATE_YES : XV_TRISTATE_NO;
    /* a spice display replaces the vnc/sdl one */
    for (size_t i = 0; i < def->ngraphics; i++)
        xvDomainGraphicsDefFree(def->graphics[i]);
    def->ngraphics = 0;
    xvXenAddGraphics(def, g_steal_pointer(&gr));
    return 0;
}

static int
parseUSBCtrl(const xvCfg *cfg, xvDomainDef *def)
{
    g_auto(GStrv) list = NULL;
    int rc = xvCfgGetStringList(cfg, "usbctrl", false, &list);

    if (rc <= 0)
        return rc;
    for (size_t i = 0; list[i]; i++) {
        g_auto(GStrv) kv = g_strsplit(list[i], ",", -1);
        const char *type = NULL;
        unsigned int version = 2, ports = 8;
        bool hasPorts = false;

        for (size_t k = 0; kv[k]; k++) {
            if (g_str_has_prefix(kv[k], "type="))
                type = kv[k] + 5;
            else if (g_str_has_prefix(kv[k], "version="))
                version = strtoul(kv[k] + 8, NULL, 10);
            else if (g_str_has_prefix(kv[k], "ports=")) {
                ports = strtoul(kv[k] + 6, NULL, 10);
                hasPorts = true;
            }
        }
        if (type && strcmp(type, "qusb") != 0) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "usbctrl '%s': type '%s' is not supported",
                          list[i], type);
            return -1;
        }
        xvXenAddController(def, "usb", i);
        def->controllers[def->ncontrollers - 1]->model =
            g_strdup(version == 1 ? "qusb1" : "qusb2");
        if (hasPorts) {
            def->controllers[def->ncontrollers - 1]->has_ports = true;
            def->controllers[def->ncontrollers - 1]->ports = ports;
        }
    }
    return 0;
}

static int
parseChannels(const xvCfg *cfg, xvDomainDef *def)
{
    g_auto(GStrv) list = NULL;
    int rc = xvCfgGetStringList(cfg, "channel", false, &list);

    if (rc <= 0)
        return rc;
    for (size_t i = 0; list[i]; i++) {
        g_auto(GStrv) kv = g_strsplit(list[i], ",", -1);
        const char *conn = NULL, *path = NULL, *name = NULL;
        xvDomainChrDef *chr;

        for (size_t k = 0; kv[k]; k++) {
            if (g_str_has_prefix(kv[k], "connection="))
                conn = kv[k] + 11;
            else if (g_str_has_prefix(kv[k], "path="))
                path = kv[k] + 5;
            else if (g_str_has_prefix(kv[k], "name="))
                name = kv[k] + 5;
        }
        chr = g_new0(xvDomainChrDef, 1);
        chr->device = XV_CHR_DEVICE_CHANNEL;
        if (g_strcmp0(conn, "pty") == 0) {
            chr->type = XV_CHR_TYPE_PTY;
        } else if (g_strcmp0(conn, "socket") == 0) {
            chr->type = XV_CHR_TYPE_UNIX;
            chr->path = g_strdup(path);
            chr->listen = true;
        } else {
            xvDomainChrDefFree(chr);
            xvReportError(VIR_ERR_CONF_SYNTAX, "channel '%s': connection '%s' is not supported",
                          list[i], conn ? conn : "");
            return -1;
        }
        chr->target_type = g_strdup("xen");
        chr->target_name = g_strdup(name);
        xvXenAddChr(&def->channels, &def->nchannels, chr);
    }
    return 0;
}

static int
parseVnuma(const xvCfg *cfg, xvDomainDef *def)
{
    const xvCfgValue *v = xvCfgGet(cfg, "vnuma");

    if (!v)
        return 0;
    if (v->type != XV_CFG_LIST) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s", "vnuma must be a list of lists");
        return -1;
    }
    for (guint i = 0; i < v->items->len; i++) {
        const xvCfgValue *node = g_ptr_array_index(v->items, i);
        g_autoptr(xvDomainNumaCellDef) cell = g_new0(xvDomainNumaCellDef, 1);

        if (node->type != XV_CFG_LIST) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "vnuma node %u must be a list", i);
            return -1;
        }
        cell->id = i;
        for (guint j = 0; j < node->items->len; j++) {
            const xvCfgValue *kv = g_ptr_array_index(node->items, j);

            if (kv->type != XV_CFG_STRING)
                continue;
            if (g_str_has_prefix(kv->str, "size=")) {
                char *end = NULL;
                unsigned long long mib = g_ascii_strtoull(kv->str + 5, &end, 10);

                if (!g_ascii_isdigit(kv->str[5]) || *end || mib == 0 ||
                    mib > G_MAXUINT64 / 1024) {
                    xvReportError(VIR_ERR_CONF_SYNTAX, "vnuma node %u: bad size '%s'", i,
                                  kv->str + 5);
                    return -1;
                }
                cell->memory = mib * 1024;
            } else if (g_str_has_prefix(kv->str, "vcpus=")) {
                g_clear_pointer(&cell->cpus, g_free);
                if (xvXenCanonicalCpuset(kv->str + 6, &cell->cpus) < 0)
                    return -1;
            } else if (g_str_has_prefix(kv->str, "vdistances=")) {
                g_auto(GStrv) d = g_strsplit(kv->str + 11, ",", -1);

                g_clear_pointer(&cell->distances, g_free);
                cell->ndistances = 0;
                for (size_t k = 0; d[k]; k++) {
                    char *end = NULL;
                    unsigned long val = strtoul(d[k], &end, 10);

                    if (!g_ascii_isdigit(d[k][0]) || *end || val > 255 || k >= 1024) {
                        xvReportError(VIR_ERR_CONF_SYNTAX, "vnuma node %u: bad distance '%s'",
                                      i, d[k]);
                        return -1;
                    }
                    cell->distances = g_renew(xvDomainNumaDistanceDef, cell->distances,
                                              cell->ndistances + 1);
                    cell->distances[cell->ndistances].id = k;
                    cell->distances[cell->ndistances++].value = val;
                }
            }
        }
        if (!cell->cpus || !cell->memory) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "vnuma node %u needs size= and vcpus=", i);
            return -1;
        }
        def->numa_cells = g_renew(xvDomainNumaCellDef *, def->numa_cells, def->nnuma_cells + 1);
        def->numa_cells[def->nnuma_cells++] = g_steal_pointer(&cell);
    }
    def->has_cpu = true;
    return 0;
}

xvDomainDef *
xvXLConfigToDomainDef(const xvCfg *cfg, const char *arch)
{
    g_autoptr(xvDomainDef) def = xvDomainDefNew();
    g_auto(GStrv) disks = NULL;
    g_auto(GStrv) args = NULL;
    int rc;

    if (xvXenParseConfigCommon(cfg, def, arch) < 0 ||
        parseXLOS(cfg, def) < 0 ||
        parseXLMisc(cfg, def) < 0 ||
        parseCPUID(cfg, def) < 0 ||
        parseDeviceModelVersion(cfg, def) < 0 ||
        parseVnuma(cfg, def) < 0)
        return NULL;
    if ((rc = xvCfgGetStringList(cfg, "disk", false, &disks)) < 0)
        return NULL;
    for (size_t i = 0; rc > 0 && disks[i]; i++)
        if (parseXLDisk(disks[i], def) < 0)
            return NULL;
    if (parseSpice(cfg, def) < 0 || xvXenParseUSBDevice(cfg, def) < 0 ||
        parseUSBCtrl(cfg, def) < 0 || parseChannels(cfg, def) < 0)
        return NULL;
    if ((rc = xvCfgGetStringList(cfg, "device_model_args", true, &args)) < 0)
        return NULL;
    if (rc > 0 && args[0])
        def->xen_cmdline = g_steal_pointer(&args);
    if (xvXenDomainDefAddDefaults(def, XV_XEN_DEFAULTS_LIBXL, NULL) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

/* ------------------------------------------------------------------ */
/* writing                                                             */

/* The features other than vmx/svm (which are nestedhvm) as cpuid. */
static int
formatCPUID(xvCfg *cfg, const xvDomainDef *def)
{
    g_autoptr(GString) buf = g_string_new("host");
    bool any = false;

    if (g_strcmp0(def->cpu_mode, "host-passthrough") != 0)
        return 0;
    for (size_t i = 0; i < def->ncpu_features; i++) {
        const xvDomainCpuFeatureDef *f = def->cpu_features[i];
        char val;

        /* vmx/svm on or off is nestedhvm; only "optional" needs cpuid */
        if ((g_strcmp0(f->name, "vmx") == 0 || g_strcmp0(f->name, "svm") == 0) &&
            g_strcmp0(f->policy, "optional") != 0)
            continue;
        if (g_strcmp0(f->policy, "force") == 0 || g_strcmp0(f->policy, "require") == 0)
            val = '1';
        else if (g_strcmp0(f->policy, "optional") == 0)
            val = 'x';
        else if (g_strcmp0(f->policy, "disable") == 0 || g_strcmp0(f->policy, "forbid") == 0)
            val = '0';
        else {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "cpu feature '%s': policy '%s' has no cpuid form",
                          f->name ? f->name : "", f->policy ? f->policy : "");
            return -1;
        }
        g_string_append_printf(buf, ",%s=%c", cpuidFromLibvirt(f->name ? f->name : ""), val);
        any = true;
    }
    if (any)
        xvCfgSetString(cfg, "cpuid", buf->str);
    return 0;
}

static void
formatSpice(xvCfg *cfg, const xvDomainDef *def)
{
    const xvDomainGraphicsDef *gr;

    if (def->os_type != XV_DOMAIN_OS_HVM || def->ngraphics != 1 ||
        def->graphics[0]->type != XV_GRAPHICS_SPICE)
        return;
    gr = def->graphics[0];
    xvCfgSetLong(cfg, "sdl", 0);
    xvCfgSetLong(cfg, "vnc", 0);
    xvCfgSetLong(cfg, "spice", 1);
    if (gr->listen)
        xvCfgSetString(cfg, "spicehost", gr->listen);
    if (gr->has_port)
        xvCfgSetLong(cfg, "spiceport", gr->port);
    if (gr->has_tls_port)
        xvCfgSetLong(cfg, "spicetls_port", gr->tls_port);
    if (gr->passwd) {
        xvCfgSetLong(cfg, "spicedisable_ticketing", 0);
        xvCfgSetString(cfg, "spicepasswd", gr->passwd);
    } else {
        xvCfgSetLong(cfg, "spicedisable_ticketing", 1);
    }
    if (gr->mouse_mode)
        xvCfgSetLong(cfg, "spiceagent_mouse", strcmp(gr->mouse_mode, "client") == 0);
    if (gr->copypaste != XV_TRISTATE_ABSENT) {
        xvCfgSetLong(cfg, "spicevdagent", 1);
        xvCfgSetLong(cfg, "spice_clipboard_sharing", gr->copypaste == XV_TRISTATE_YES);
    }
}

xvCfg *
xvDomainDefToXLConfig(const xvDomainDef *def)
{
    g_autoptr(xvCfg) cfg = xvCfgNew(XV_CFG_DIALECT_XL);
    bool hvm = def->os_type == XV_DOMAIN_OS_HVM;

    if (xvXenFormatConfigCommon(cfg, def) < 0)
        return NULL;
    if (hvm) {
        g_autofree char *boot = xvXenFormatBoot(def);

        xvCfgSetString(cfg, "builder", "hvm");
        if (def->os_kernel)
            xvCfgSetString(cfg, "kernel", def->os_kernel);
        if (def->os_initrd)
            xvCfgSetString(cfg, "ramdisk", def->os_initrd);
        if (def->os_cmdline)
            xvCfgSetString(cfg, "cmdline", def->os_cmdline);
        if (g_strcmp0(def->os_loader_type, "pflash") == 0) {
            xvCfgSetString(cfg, "bios", "ovmf");
            if (def->os_loader)
                xvCfgSetString(cfg, "bios_path_override", def->os_loader);
        }
        xvCfgSetString(cfg, "boot", boot);
        if (def->cpu_mode && strcmp(def->cpu_mode, "host-passthrough") == 0) {
            bool nested = true;

            for (size_t i = 0; i < def->ncpu_features; i++)
                if (g_strcmp0(def->cpu_features[i]->name, "vmx") == 0 ||
                    g_strcmp0(def->cpu_features[i]->name, "svm") == 0)
                    nested = g_strcmp0(def->cpu_features[i]->policy, "disable") != 0 &&
                             g_strcmp0(def->cpu_features[i]->policy, "forbid") != 0;
            xvCfgSetLong(cfg, "nestedhvm", nested);
        }
        if (def->nnuma_cells) {
            xvCfgValue *list = xvCfgValueNewList();

            for (size_t i = 0; i < def->nnuma_cells; i++) {
                const xvDomainNumaCellDef *c = def->numa_cells[i];
                xvCfgValue *node = xvCfgValueNewList();
                g_autofree char *pnode = g_strdup_printf("pnode=%u", c->id);
                g_autofree char *size = g_strdup_printf("size=%llu", c->memory / 1024);
                g_autofree char *vcpus = g_strdup_printf("vcpus=%s", c->cpus ? c->cpus : "");
                g_autoptr(GString) d = g_string_new("vdistances=");

                for (size_t k = 0; k < c->ndistances; k++)
                    g_string_append_printf(d, "%s%u", k ? "," : "", c->distances[k].value);
                /* no distances given: xl's defaults, 10 local and 20 remote */
                for (size_t k = 0; c->ndistances == 0 && k < def->nnuma_cells; k++)
                    g_string_append_printf(d, "%s%u", k ? "," : "", k == i ? 10 : 20);
                xvCfgValueAppend(node, xvCfgValueNewString(pnode));
                xvCfgValueAppend(node, xvCfgValueNewString(size));
                xvCfgValueAppend(node, xvCfgValueNewString(vcpus));
                xvCfgValueAppend(node, xvCfgValueNewString(d->str));
                xvCfgValueAppend(list, node);
            }
            xvCfgSet(cfg, "vnuma", list);
        }
    } else {
        if (def->os_type == XV_DOMAIN_OS_XENPVH)
            xvCfgSetString(cfg, "type", "pvh");
        xvXenFormatPVBoot(cfg, def, "cmdline");
    }
    if (formatCPUID(cfg, def) < 0)
        return NULL;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const xvDomainControllerDef *c = def->controllers[i];

        if (g_strcmp0(c->type, "xenbus") != 0)
            continue;
        if (c->has_max_grant_frames)
            xvCfgSetLong(cfg, "max_grant_frames", c->max_grant_frames);
        if (c->has_max_event_channels)
            xvCfgSetLong(cfg, "max_event_channels", c->max_event_channels);
    }
    if (def->ndisks) {
        xvCfgValue *list = xvCfgValueNewList();

        for (size_t i = 0; i < def->ndisks; i++) {
            char *s = formatXLDisk(def->disks[i]);

            if (!s) {
                xvCfgValueFree(list);
                return NULL;
            }
            xvCfgValueAppend(list, xvCfgValueNewString(s));
            g_free(s);
        }
        xvCfgSet(cfg, "disk", list);
    }
    xvXenFormatUSBDevice(cfg, def);
    formatSpice(cfg, def);
    {
        xvCfgValue *list = NULL;

        for (size_t i = 0; i < def->ncontrollers; i++) {
            const xvDomainControllerDef *c = def->controllers[i];
            g_autofree char *s = NULL;

            if (g_strcmp0(c->type, "usb") != 0)
                continue;
            if (c->model && strcmp(c->model, "qusb1") != 0 && strcmp(c->model, "qusb2") != 0) {
                xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "usb controller model '%s' is not supported by xl", c->model);
                xvCfgValueFree(list);
                return NULL;
            }
            s = g_strdup_printf("type=qusb,version=%d,ports=%u",
                                g_strcmp0(c->model, "qusb1") == 0 ? 1 : 2,
                                c->has_ports ? c->ports : 8);
            if (!list)
                list = xvCfgValueNewList();
            xvCfgValueAppend(list, xvCfgValueNewString(s));
        }
        if (list)
            xvCfgSet(cfg, "usbctrl", list);
    }
    if (def->nchannels) {
        xvCfgValue *list = xvCfgValueNewList();

        for (size_t i = 0; i < def->nchannels; i++) {
            const xvDomainChrDef *c = def->channels[i];
            g_autofree char *s = NULL;

            if (xvXenCheckSpecValue("channel path", c->path, ",") < 0 ||
                xvXenCheckSpecValue("channel name", c->target_name, ",") < 0) {
                xvCfgValueFree(list);
                return NULL;
            }
            if (c->type == XV_CHR_TYPE_PTY)
                s = g_strdup_printf("connection=pty,name=%s", c->target_name ? c->target_name : "");
            else if (c->type == XV_CHR_TYPE_UNIX)
                s = g_strdup_printf("connection=socket,path=%s,name=%s", c->path ? c->path : "",
                                    c->target_name ? c->target_name : "");
            else {
                xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "channel type '%s' is not supported by xl",
                              xvChrTypeTypeToString(c->type));
                xvCfgValueFree(list);
                return NULL;
            }
            xvCfgValueAppend(list, xvCfgValueNewString(s));
        }
        xvCfgSet(cfg, "channel", list);
    }
    if (def->xen_cmdline && def->xen_cmdline[0])
        xvCfgSetStringList(cfg, "device_model_args", (const char *const *)def->xen_cmdline);
    return g_steal_pointer(&cfg);
}
