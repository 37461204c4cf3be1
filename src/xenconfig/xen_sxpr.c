/*
 * xen_sxpr.c: the domain model <-> xend's SXP records (see xen_sxpr.h).
 *
 * Reading follows what libvirt's xend driver read from a record (field by
 * field, with its defaults) and writing produces the exact (vm ...) text
 * libvirt POSTed, because xend's parser and the public test vectors
 * (libvirt's sexpr2xml/xml2sexpr data) both hold us to it.  The output is
 * built as an xvSexpr tree and printed in the CONFIG style of sexpr.c
 * rather than pasted together with printf: quoting and escaping then live
 * in one place, and the device-only expressions for device_create are the
 * same subtrees.  The xend_config_format differences (spec section 5.2) are
 * decided here and nowhere else.
 *
 * What xend shares with the /etc/xen files (the serial / parallel device
 * syntax, soundhw lists, vif rates, the defaults the Xen drivers add to a
 * parsed domain) is in xen_common.c.
 */
#define XV_FROM VIR_FROM_SEXPR
#include "xenconfig/xen_sxpr.h"

#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>

#include "util/error.h"
#include "util/uuid.h"

/* ------------------------------------------------------------------ */
/* Reading a (domain ...) record                                       */

/* The first child list of node headed by each component of path in turn. */
static const xvSexpr *
find(const xvSexpr *node, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);

    for (size_t i = 0; node && parts[i]; i++) {
        size_t idx = 1;
        node = xvSexprNextChild(node, parts[i], &idx);
    }
    return node;
}

/* The value of (key value) at path; NULL if absent, empty or a list. */
static const char *
str(const xvSexpr *node, const char *path)
{
    const xvSexpr *n = find(node, path);
    const xvSexpr *v;

    if (!n || !(v = xvSexprItem(n, 1)) || v->kind != XV_SEXPR_ATOM)
        return NULL;
    return v->value;
}

/* A copy of str() (so "" stays "", NULL when absent or a list). */
static char *
dupStr(const xvSexpr *node, const char *path)
{
    return g_strdup(str(node, path));
}

/* Integer at path: 1 with *out, 0 if absent/empty, -1 with an error. */
static int
getLL(const xvSexpr *node, const char *path, long long *out)
{
    const char *s = str(node, path);
    char *end = NULL;
    long long v;

    if (!s || !*s)
        return 0;
    errno = 0;
    v = g_ascii_strtoll(s, &end, 0);
    if (errno || end == s || *end) {
        /* xend writes floats for some counters; take the integer part */
        if (end && end != s && *end == '.' && !errno) {
            *out = v;
            return 1;
        }
        xvReportError(VIR_ERR_INTERNAL_ERROR, "sexpr: '%s' has value '%s', not an integer",
                      path, s);
        return -1;
    }
    *out = v;
    return 1;
}

/* 0/1 flag: absent or unparsable counts as 0, as in libvirt's sexpr_int. */
static bool
flag(const xvSexpr *node, const char *path)
{
    const char *s = str(node, path);

    return s && strtol(s, NULL, 0) != 0;
}

int
xvSexprGetDomid(const xvSexpr *root, int *id)
{
    long long v = -1;
    int rc = getLL(root, "domid", &v);

    if (rc < 0)
        return -1;
    if (rc == 0)
        v = -1;
    if (v < -1 || v > G_MAXINT) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "sexpr: domid %lld out of range", v);
        return -1;
    }
    *id = (int)v;
    return 0;
}

int
xvSexprGetState(const xvSexpr *root)
{
    const char *flags = str(root, "state");
    const char *status = str(root, "status");
    int id = -1;

    if (flags && *flags) {
        /* xend: r b p s c d, one column each ('-' or '?' when not set) */
        if (strchr(flags, 'c'))
            return VIR_DOMAIN_CRASHED;
        if (strchr(flags, 's'))
            return VIR_DOMAIN_SHUTOFF;
        if (strchr(flags, 'd'))
            return VIR_DOMAIN_SHUTDOWN;
        if (strchr(flags, 'p'))
            return VIR_DOMAIN_PAUSED;
        if (strchr(flags, 'b'))
            return VIR_DOMAIN_BLOCKED;
        if (strchr(flags, 'r'))
            return VIR_DOMAIN_RUNNING;
    }
    if (xvSexprGetDomid(root, &id) < 0) {
        xvErrorReset();
        id = -1;
    }
    if (id < 0 || g_strcmp0(status, "0") == 0)
        return VIR_DOMAIN_SHUTOFF;
    return VIR_DOMAIN_NOSTATE;
}

unsigned long long
xvSexprGetCpuTime(const xvSexpr *root)
{
    const char *s = str(root, "cpu_time");
    char *end = NULL;
    double secs;

    if (!s)
        return 0;
    secs = g_ascii_strtod(s, &end);
    if (end == s || *end || !(secs >= 0) || secs > 1.8e10)
        return 0;
    return (unsigned long long)(secs * 1e9 + 0.5);
}

static int
parseOS(const xvSexpr *root, xvDomainDef *def, bool hvm)
{
    if (hvm) {
        const xvSexpr *img = find(root, "image/hvm");

        def->os_loader = dupStr(img, "loader");
        if (!def->os_loader) {
            def->os_loader = dupStr(img, "kernel");
            if (!def->os_loader) {
                xvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                              "domain information incomplete, missing HVM loader");
                return -1;
            }
        } else {
            def->os_kernel = dupStr(img, "kernel");
            def->os_initrd = dupStr(img, "ramdisk");
            def->os_cmdline = dupStr(img, "args");
            def->os_root = dupStr(img, "root");
        }
        def->os_loader_type = g_strdup("rom");
        /* old xend repeats the loader as kernel; an empty kernel is none */
        if (def->os_kernel && (strcmp(def->os_kernel, def->os_loader) == 0 ||
                               !*def->os_kernel))
            g_clear_pointer(&def->os_kernel, g_free);
        if (!def->os_kernel)
            xvXenParseBoot(def, str(img, "boot"));
    } else {
        const xvSexpr *img = find(root, "image/linux");

        def->os_kernel = dupStr(img, "kernel");
        def->os_initrd = dupStr(img, "ramdisk");
        def->os_cmdline = dupStr(img, "args");
        def->os_root = dupStr(img, "root");
        if (!def->os_kernel && !def->bootloader) {
            xvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                          "domain information incomplete, missing kernel & bootloader");
            return -1;
        }
        /* (kernel '') next to a bootloader means "none" */
        if (def->os_kernel && !*def->os_kernel && def->bootloader)
            g_clear_pointer(&def->os_kernel, g_free);
    }
    return 0;
}

static int
parseDisk(const xvSexpr *dev, const char *cls, xvDomainDef *def, bool hvm,
          int version)
{
    g_autoptr(xvDomainDiskDef) disk = g_new0(xvDomainDiskDef, 1);
    const char *src = str(dev, "uname");
    const char *dst = str(dev, "dev");
    const char *mode = str(dev, "mode");
    const char *bootable = str(dev, "bootable");
    g_autofree char *target = NULL;
    char *colon;

    if (!dst || !*dst) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                      "domain information incomplete, vbd has no dev");
        return -1;
    }
    if (src && !*src)
        src = NULL;
    if (!src) {
        /* a CD-ROM drive without media has no uname */
        const char *suffix = strchr(dst, ':');
        if (!suffix || strcmp(suffix, ":cdrom") != 0) {
            xvReportError(VIR_ERR_INTERNAL_ERROR,
                          "domain information incomplete, vbd '%s' has no src", dst);
            return -1;
        }
        disk->type = XV_DISK_TYPE_FILE;
    } else {
        const char *path = strchr(src, ':');

        if (!path) {
            xvReportError(VIR_ERR_INTERNAL_ERROR,
                          "cannot parse vbd filename '%s', missing driver name", src);
            return -1;
        }
        if (strcmp(cls, "tap2") == 0 && g_str_has_prefix(src, "tap:"))
            disk->driver_name = g_strdup("tap2");
        else
            disk->driver_name = g_strndup(src, path - src);
        path++;
        if (strcmp(disk->driver_name, "tap") == 0 || strcmp(disk->driver_name, "tap2") == 0) {
            const char *colon2 = strchr(path, ':');
            g_autofree char *fmt = NULL;

            if (!colon2) {
                xvReportError(VIR_ERR_INTERNAL_ERROR,
                              "cannot parse vbd filename '%s', missing driver type", src);
                return -1;
            }
            fmt = g_strndup(path, colon2 - path);
            if (strcmp(fmt, "aio") == 0)
                disk->driver_type = g_strdup("raw");
            else if (strcmp(fmt, "qcow") == 0 || strcmp(fmt, "qcow2") == 0 ||
                     strcmp(fmt, "vhd") == 0 || strcmp(fmt, "raw") == 0 ||
                     strcmp(fmt, "vmdk") == 0)
                disk->driver_type = g_steal_pointer(&fmt);
            else {
                xvReportError(VIR_ERR_INTERNAL_ERROR, "unknown driver type '%s' in '%s'",
                              fmt, src);
                return -1;
            }
            path = colon2 + 1;
            disk->type = XV_DISK_TYPE_FILE;
        } else if (strcmp(disk->driver_name, "phy") == 0) {
            disk->type = XV_DISK_TYPE_BLOCK;
        } else {
            disk->type = XV_DISK_TYPE_FILE;
        }
        disk->src = g_strdup(path);
    }

    if (g_str_has_prefix(dst, "ioemu:"))
        dst += 6;
    target = g_strdup(dst);
    disk->device = XV_DISK_DEVICE_DISK;
    if ((colon = strrchr(target, ':'))) {
        /* 3.0.3+ tell the frontend type in the name; older xend wrote none */
        if (strcmp(colon, ":cdrom") == 0 && version >= XV_XEND_CONFIG_VERSION_3_0_3)
            disk->device = XV_DISK_DEVICE_CDROM;
        *colon = '\0';
    }
    disk->dst = g_steal_pointer(&target);
    if (g_str_has_prefix(disk->dst, "xvd"))
        disk->bus = XV_DISK_BUS_XEN;
    else if (g_str_has_prefix(disk->dst, "sd"))
        disk->bus = XV_DISK_BUS_SCSI;
    else
        disk->bus = XV_DISK_BUS_IDE;
    if (mode && strchr(mode, 'r'))
        disk->readonly = true;
    if (mode && strchr(mode, '!'))
        disk->shareable = true;

    xvXenAddDisk(def, g_steal_pointer(&disk));
    /* xend marks the disk to boot from; libvirt lists it first */
    if (g_strcmp0(bootable, "1") == 0 && def->ndisks > 1) {
        xvDomainDiskDef *tmp = def->disks[def->ndisks - 1];
        def->disks[def->ndisks - 1] = def->disks[0];
        def->disks[0] = tmp;
    }
    return 0;
}

static int
parseNet(const xvSexpr *dev, xvDomainDef *def, int index)
{
    g_autoptr(xvDomainNetDef) net = g_new0(xvDomainNetDef, 1);
    const char *script = str(dev, "script");
    const char *bridge = str(dev, "bridge");
    const char *model = str(dev, "model");
    const char *type = str(dev, "type");
    const char *ip = str(dev, "ip");
    const char *vifname = str(dev, "vifname");
    const char *mac = str(dev, "mac");
    const char *rate = str(dev, "rate");

    if (bridge || g_strcmp0(script, "vif-bridge") == 0) {
        net->type = XV_NET_TYPE_BRIDGE;
        net->bridge = g_strdup(bridge);
    } else {
        net->type = XV_NET_TYPE_ETHERNET;
    }
    net->script = g_strdup(script);
    if (ip && *ip)
        net->ip = g_strdup(ip);
    /* a live domain's backend interface is vif<domid>.<index> */
    if (vifname)
        net->ifname = g_strdup(vifname);
    else if (def->id != -1)
        net->ifname = g_strdup_printf("vif%d.%d", def->id, index);
    if (mac) {
        if (!xvXenParseMac(mac, net->mac)) {
            xvReportError(VIR_ERR_INTERNAL_ERROR, "malformed mac address '%s'", mac);
            return -1;
        }
        net->has_mac = true;
    }
    if (model)
        net->model = g_strdup(model);
    else if (g_strcmp0(type, "netfront") == 0)
        net->model = g_strdup("netfront");
    if (rate && xvXenSetVifRate(net, rate) < 0)
        return -1;
    xvXenAddNet(def, g_steal_pointer(&net));
    return 0;
}

/* xend lists every PCI device of a domain in ONE (device (pci (dev ..)..)). */
static int
parsePCI(const xvSexpr *pci, xvDomainDef *def)
{
    size_t i = 1;
    const xvSexpr *dev;

    while ((dev = xvSexprNextChild(pci, "dev", &i))) {
        static const char *const keys[] = {"domain", "bus", "slot", "func"};
        unsigned int vals[4];
        g_autoptr(xvDomainHostdevDef) hostdev = NULL;

        for (size_t k = 0; k < 4; k++) {
            const char *s = str(dev, keys[k]);
            char *end = NULL;
            unsigned long v;

            if (!s) {
                xvReportError(VIR_ERR_INTERNAL_ERROR, "missing PCI %s", keys[k]);
                return -1;
            }
            errno = 0;
            v = strtoul(s, &end, 0);
            if (errno || end == s || *end || v > 0xffff) {
                xvReportError(VIR_ERR_INTERNAL_ERROR, "cannot parse PCI %s '%s'", keys[k], s);
                return -1;
            }
            vals[k] = v;
        }
        hostdev = g_new0(xvDomainHostdevDef, 1);
        hostdev->domain = vals[0];
        hostdev->bus = vals[1];
        hostdev->slot = vals[2];
        hostdev->function = vals[3];
        hostdev->managed = XV_TRISTATE_NO;
        xvXenAddHostdev(def, g_steal_pointer(&hostdev));
    }
    return 0;
}

static void
setVNCPort(xvDomainGraphicsDef *gr, int port, const char *unused)
{
    if (g_strcmp0(unused, "1") == 0 || port == -1)
        gr->autoport = XV_TRISTATE_YES;
    if (port >= 0 && port < 5900)
        port += 5900;
    if (port >= 0) {
        gr->has_port = true;
        gr->port = port;
    }
}

/* (device (vfb ...)): PV >= 3.0.4, HVM >= 3.1. */
static int
parseGraphicsNew(const xvSexpr *vfb, xvDomainDef *def, int vncport)
{
    g_autoptr(xvDomainGraphicsDef) gr = g_new0(xvDomainGraphicsDef, 1);
    const char *type = str(vfb, "type");

    if (!type)
        type = str(vfb, "vnc") ? "vnc" : str(vfb, "sdl") ? "sdl" : "unknown";
    if (strcmp(type, "sdl") == 0) {
        gr->type = XV_GRAPHICS_SDL;
        gr->display = dupStr(vfb, "display");
        gr->xauth = dupStr(vfb, "xauthority");
    } else if (strcmp(type, "vnc") == 0) {
        int port = vncport;
        const char *listen = str(vfb, "vnclisten");

        gr->type = XV_GRAPHICS_VNC;
        if (port == -1) {
            long long v;
            if (getLL(vfb, "vncdisplay", &v) == 1 && v >= 0 && v < 65536)
                port = (int)v;
        }
        setVNCPort(gr, port, str(vfb, "vncunused"));
        gr->listen = g_strdup(listen);
        gr->passwd = dupStr(vfb, "vncpasswd");
        gr->keymap = dupStr(vfb, "keymap");
    } else {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "unknown graphics type '%s'", type);
        return -1;
    }
    xvXenAddGraphics(def, g_steal_pointer(&gr));
    return 0;
}

/* image/hvm/vnc or (<= 3.0.3) image/linux/vnc. */
static void
parseGraphicsOld(const xvSexpr *img, xvDomainDef *def, int vncport, int version)
{
    const char *vnc = str(img, "vnc");
    const char *sdl = str(img, "sdl");

    if (vnc && vnc[0] == '1') {
        g_autoptr(xvDomainGraphicsDef) gr = g_new0(xvDomainGraphicsDef, 1);
        int port = vncport;

        /* 3.0.2 had no vncunused: the port was 5900 + domid */
        if (port == -1 && version < XV_XEND_CONFIG_VERSION_3_0_3 && def->id > 0)
            port = 5900 + def->id;
        gr->type = XV_GRAPHICS_VNC;
        setVNCPort(gr, port, str(img, "vncunused"));
        gr->listen = dupStr(img, "vnclisten");
        gr->passwd = dupStr(img, "vncpasswd");
        gr->keymap = dupStr(img, "keymap");
        xvXenAddGraphics(def, g_steal_pointer(&gr));
    } else if (sdl && sdl[0] == '1') {
        g_autoptr(xvDomainGraphicsDef) gr = g_new0(xvDomainGraphicsDef, 1);

        gr->type = XV_GRAPHICS_SDL;
        gr->display = dupStr(img, "display");
        gr->xauth = dupStr(img, "xauthority");
        xvXenAddGraphics(def, g_steal_pointer(&gr));
    }
}

static int
addSerial(xvDomainDef *def, const char *value, const char *tty, int port)
{
    xvDomainChrDef *chr = xvXenParseChr(value, tty);

    if (!chr)
        return -1;
    chr->device = XV_CHR_DEVICE_SERIAL;
    chr->has_target_port = true;
    chr->target_port = port;
    xvXenAddChr(&def->serials, &def->nserials, chr);
    return 0;
}

static int
parseChr(const xvSexpr *img, xvDomainDef *def, const char *tty)
{
    const xvSexpr *serial = find(img, "serial");
    const char *par;

    if (serial && xvSexprCount(serial) >= 2 && xvSexprItem(serial, 1)->kind == XV_SEXPR_LIST) {
        /* several ports: (serial (pty none /dev/ttyS1)); "none" keeps a slot */
        const xvSexpr *ports = xvSexprItem(serial, 1);
        int port = 0;

        for (size_t i = 0; i < xvSexprCount(ports); i++, port++) {
            const xvSexpr *p = xvSexprItem(ports, i);

            if (p->kind != XV_SEXPR_ATOM || strcmp(p->value, "none") == 0)
                continue;
            if (addSerial(def, p->value, tty, port) < 0)
                return -1;
        }
    } else {
        const char *s = str(img, "serial");

        if (s && *s && strcmp(s, "none") != 0 && addSerial(def, s, tty, 0) < 0)
            return -1;
    }
    par = str(img, "parallel");
    if (par && *par && strcmp(par, "none") != 0) {
        xvDomainChrDef *chr = xvXenParseChr(par, NULL);

        if (!chr)
            return -1;
        chr->device = XV_CHR_DEVICE_PARALLEL;
        chr->has_target_port = true;
        chr->target_port = 0;
        xvXenAddChr(&def->parallels, &def->nparallels, chr);
    }
    return 0;
}

/* on_crash alone may also say coredump-destroy / coredump-restart. */
static int
parseLifecycle(const xvSexpr *root, const char *key, bool *has,
               xvDomainLifecycleAction *out, xvDomainLifecycleAction dflt)
{
    const char *s = str(root, key);
    int v;

    *has = true;
    if (!s) {
        *out = dflt;
        return 0;
    }
    if ((v = xvDomainLifecycleActionTypeFromString(s)) < 0 ||
        (strcmp(key, "on_crash") != 0 && v >= XV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY)) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "unknown lifecycle type '%s' for %s", s, key);
        return -1;
    }
    *out = v;
    return 0;
}

/* Domain XML is UTF-8: text xend sent in another encoding is refused here,
 * naming where, rather than producing XML no parser accepts. */
static int
checkUTF8(const xvSexpr *node)
{
    const char *bad = NULL;

    if (node->kind == XV_SEXPR_ATOM) {
        if (node->value && !g_utf8_validate(node->value, -1, &bad)) {
            xvReportError(VIR_ERR_INTERNAL_ERROR,
                          "sexpr: value at %u:%u is not valid UTF-8 (byte %zu)",
                          node->line, node->column, (size_t)(bad - node->value));
            return -1;
        }
        return 0;
    }
    for (size_t i = 0; i < xvSexprCount(node); i++)
        if (checkUTF8(xvSexprItem(node, i)) < 0)
            return -1;
    return 0;
}

xvDomainDef *
xvSexprToDomainDef(const xvSexpr *root, const char *tty, int vncport, int version)
{
    g_autoptr(xvDomainDef) def = xvDomainDefNew();
    const char *head = root ? xvSexprHead(root) : NULL;
    const char *uuid;
    const xvSexpr *img;
    bool hvm;
    long long ll;
    int rc;
    int localtime = 0;
    size_t i;
    const xvSexpr *dev;
    int vifIndex = 0;

    if (!head || (strcmp(head, "domain") != 0 && strcmp(head, "vm") != 0)) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                      "sexpr: expected a (domain ...) record");
        return NULL;
    }
    if (version < XV_XEND_CONFIG_VERSION_3_0_2 || version > XV_XEND_CONFIG_VERSION_3_1_0) {
        xvReportError(VIR_ERR_INVALID_ARG, "unknown xend config version %d", version);
        return NULL;
    }
    if (checkUTF8(root) < 0)
        return NULL;
    def->virt_type = XV_DOMAIN_VIRT_XEN;
    if (xvSexprGetDomid(root, &def->id) < 0)
        return NULL;
    if (def->id == -1 && version < XV_XEND_CONFIG_VERSION_3_0_4 &&
        strcmp(head, "domain") == 0) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                      "domain information incomplete, missing id");
        return NULL;
    }
    if (!(def->name = dupStr(root, "name")) || !*def->name) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                      "domain information incomplete, missing name");
        return NULL;
    }
    if (!(uuid = str(root, "uuid"))) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                      "domain information incomplete, missing uuid");
        return NULL;
    }
    if (xvUUIDParse(uuid, def->uuid) < 0) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s': malformed uuid '%s'",
                      def->name, uuid);
        return NULL;
    }
    def->has_uuid = true;
    if ((uuid = str(root, "description")) && *uuid)
        def->description = g_strdup(uuid);

    hvm = find(root, "image/hvm") != NULL;
    if (!hvm) {
        /* (bootloader) present but empty still means "use a bootloader" */
        const char *bl = str(root, "bootloader");
        const char *kernel = str(root, "image/linux/kernel");

        /* xend 3.1+ writes (bootloader) even when empty; an empty one means
         * "use a bootloader" only when there is no kernel either (libvirt) */
        if (find(root, "bootloader") && ((bl && *bl) || !kernel || !*kernel)) {
            def->bootloader = g_strdup(bl ? bl : "");
            if ((bl = str(root, "bootloader_args")) && *bl)
                def->bootloader_args = g_strdup(bl);
        }
    }
    def->os_type = hvm ? XV_DOMAIN_OS_HVM : XV_DOMAIN_OS_LINUX;
    img = find(root, hvm ? "image/hvm" : "image/linux");

    if (def->id != 0 && find(root, "image") && parseOS(root, def, hvm) < 0)
        return NULL;

    /* memory and maxmem are MiB; either may be missing */
    if ((rc = getLL(root, "maxmem", &ll)) < 0)
        return NULL;
    if (rc == 1 && ll > 0 && (unsigned long long)ll <= G_MAXUINT64 >> 10)
        def->max_memory = (unsigned long long)ll << 10;
    if ((rc = getLL(root, "memory", &ll)) < 0)
        return NULL;
    if (rc == 1 && ll > 0 && (unsigned long long)ll <= G_MAXUINT64 >> 10)
        def->current_memory = (unsigned long long)ll << 10;
    if (def->max_memory == 0)
        def->max_memory = def->current_memory;
    if (def->current_memory > def->max_memory)
        def->current_memory = def->max_memory;
    if (def->max_memory == 0) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s': no memory or maxmem", def->name);
        return NULL;
    }

    if ((rc = getLL(root, "vcpus", &ll)) < 0)
        return NULL;
    if (rc == 1) {
        if (ll < 1 || ll > XV_DOMAIN_MAX_VCPUS) {
            xvReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s': vcpus %lld out of range",
                          def->name, ll);
            return NULL;
        }
        def->vcpus = (unsigned int)ll;
    }
    {
        const char *avail = str(root, "vcpu_avail");
        unsigned long long mask = avail ? g_ascii_strtoull(avail, NULL, 0) : 0;
        unsigned int n = (unsigned int)__builtin_popcountll(mask);

        if (n && n < def->vcpus)
            def->vcpus_current = n;
    }

    if (parseLifecycle(root, "on_poweroff", &def->has_on_poweroff, &def->on_poweroff,
                       XV_DOMAIN_LIFECYCLE_DESTROY) < 0 ||
        parseLifecycle(root, "on_reboot", &def->has_on_reboot, &def->on_reboot,
                       XV_DOMAIN_LIFECYCLE_RESTART) < 0 ||
        parseLifecycle(root, "on_crash", &def->has_on_crash, &def->on_crash,
                       XV_DOMAIN_LIFECYCLE_DESTROY) < 0)
        return NULL;

    if (hvm) {
        if (flag(img, "acpi"))
            def->feature_acpi = XV_TRISTATE_YES;
        if (flag(img, "apic"))
            def->feature_apic = XV_TRISTATE_YES;
        if (flag(img, "pae"))
            def->feature_pae = XV_TRISTATE_YES;
        if (flag(img, "hap"))
            def->feature_hap = XV_TRISTATE_YES;
        if (flag(img, "viridian"))
            def->feature_viridian = XV_TRISTATE_YES;
    }

    /* 3.0.3 added a top-level localtime; 3.1 moved it into the image */
    localtime = flag(root, "localtime");
    if (img && str(img, "localtime")) {
        if (getLL(img, "localtime", &ll) < 0)
            return NULL;
        localtime = ll != 0;
    }
    if (hvm) {
        def->clock_offset = g_strdup("variable");
        def->has_clock_adjustment = true;
        if (getLL(img, "rtc_timeoffset", &ll) < 0)
            return NULL;
        def->clock_adjustment = getLL(img, "rtc_timeoffset", &ll) == 1 ? ll : 0;
        def->clock_basis = g_strdup(localtime ? "localtime" : "utc");
        if (find(img, "hpet"))
            xvXenSetHpet(def, flag(img, "hpet"));
    } else {
        /* PV guests have no emulated RTC: the offset is fixed at boot */
        def->clock_offset = g_strdup(localtime ? "localtime" : "utc");
        def->clock_adjustment_reset = true;
    }

    if (img && str(img, "device_model"))
        def->emulator = dupStr(img, "device_model");

    /* disks, in record order (bootable one first) */
    i = 1;
    while ((dev = xvSexprNextChild(root, "device", &i))) {
        const xvSexpr *d = xvSexprItem(dev, 1);
        const char *cls = d ? xvSexprHead(d) : NULL;

        if (cls && (strcmp(cls, "vbd") == 0 || strcmp(cls, "tap") == 0 ||
                    strcmp(cls, "tap2") == 0) &&
            parseDisk(d, cls, def, hvm, version) < 0)
            return NULL;
    }
    /* 3.0.2 HVM: the CD-ROM image is image/hvm/cdrom, always hdc */
    if (hvm && version < XV_XEND_CONFIG_VERSION_3_0_3 && str(img, "cdrom") &&
        *str(img, "cdrom")) {
        xvDomainDiskDef *disk = g_new0(xvDomainDiskDef, 1);

        disk->type = XV_DISK_TYPE_FILE;
        disk->device = XV_DISK_DEVICE_CDROM;
        disk->driver_name = g_strdup("file");
        disk->src = dupStr(img, "cdrom");
        disk->dst = g_strdup("hdc");
        disk->bus = XV_DISK_BUS_IDE;
        disk->readonly = true;
        xvXenAddDisk(def, disk);
    }
    /* floppies live in the HVM image */
    for (const char *const *fd = (const char *const[]){"fda", "fdb", NULL}; hvm && *fd; fd++) {
        const char *path = str(img, *fd);

        if (path && *path)
            xvXenAddFloppy(def, *fd, path);
    }

    i = 1;
    while ((dev = xvSexprNextChild(root, "device", &i))) {
        const xvSexpr *d = xvSexprItem(dev, 1);

        if (d && g_strcmp0(xvSexprHead(d), "vif") == 0 && parseNet(d, def, vifIndex++) < 0)
            return NULL;
    }
    i = 1;
    while ((dev = xvSexprNextChild(root, "device", &i))) {
        const xvSexpr *d = xvSexprItem(dev, 1);

        if (d && g_strcmp0(xvSexprHead(d), "pci") == 0) {
            if (parsePCI(d, def) < 0)
                return NULL;
            break;
        }
    }
    i = 1;
    while ((dev = xvSexprNextChild(root, "device", &i))) {
        const xvSexpr *d = xvSexprItem(dev, 1);

        if (d && g_strcmp0(xvSexprHead(d), "vfb") == 0) {
            if (parseGraphicsNew(d, def, vncport) < 0)
                return NULL;
            break;
        }
    }
    if (def->ngraphics == 0 && img)
        parseGraphicsOld(img, def, vncport, version);

    if (hvm) {
        /* HVM USB input devices: one (usbdevice NAME) each */
        for (size_t k = 1; img && k < xvSexprCount(img); k++) {
            const xvSexpr *n = xvSexprItem(img, k);
            const xvSexpr *v = xvSexprItem(n, 1);

            if (g_strcmp0(xvSexprHead(n), "usbdevice") != 0 || !v || v->kind != XV_SEXPR_ATOM)
                continue;
            if (strcmp(v->value, "tablet") == 0 || strcmp(v->value, "mouse") == 0 ||
                strcmp(v->value, "keyboard") == 0)
                xvXenAddInput(def, v->value, "usb");
        }
        if (img && parseChr(img, def, tty) < 0)
            return NULL;
    } else if (def->id != 0) {
        /* a PV guest always has its xen console; the record does not say */
        xvDomainChrDef *con = xvXenParseChr("pty", tty);

        con->device = XV_CHR_DEVICE_CONSOLE;
        con->target_type = g_strdup("xen");
        con->has_target_port = true;
        con->target_port = 0;
        xvXenAddChr(&def->consoles, &def->nconsoles, con);
    }
    if (hvm && img && str(img, "soundhw") && *str(img, "soundhw") &&
        xvXenParseSound(def, str(img, "soundhw")) < 0)
        return NULL;

    if (xvXenDomainDefAddDefaults(def, XV_XEN_DEFAULTS_XEND, NULL) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

xvDomainDef *
xvSexprStringToDomainDef(const char *sexpr, const char *tty, int vncport, int version)
{
    g_autoptr(xvSexpr) root = NULL;

    if (!sexpr) {
        xvReportError(VIR_ERR_INVALID_ARG, "%s", "no sexpr given");
        return NULL;
    }
    if (!(root = xvSexprParseString(sexpr, XV_SEXPR_PARSE_FIRST | XV_SEXPR_PARSE_CLOSE_AT_EOF)))
        return NULL;
    return xvSexprToDomainDef(root, tty, vncport, version);
}

/* ------------------------------------------------------------------ */
/* Writing a (vm ...) config                                           */

static void
addQ(xvSexpr *list, const char *key, const char *value)
{
    xvSexprAddPair(list, key, value, XV_SEXPR_QUOTE_SINGLE);
}

static void
addBare(xvSexpr *list, const char *key, const char *value)
{
    xvSexprAddPair(list, key, value, XV_SEXPR_QUOTE_NONE);
}

static void
addInt(xvSexpr *list, const char *key, long long value)
{
    xvSexprAddLongLong(list, key, value);
}

static xvSexpr *
diskSexpr(const xvDomainDiskDef *disk, bool hvm, int version)
{
    const char *driver = disk->driver_name;
    const char *cls = "vbd";
    g_autoptr(xvSexpr) vbd = NULL;
    g_autofree char *dev = NULL;

    if (g_strcmp0(driver, "tap") == 0 || g_strcmp0(driver, "tap2") == 0)
        cls = driver;
    vbd = xvSexprNewList(cls);
    if (hvm && version < XV_XEND_CONFIG_VERSION_3_0_3)
        dev = g_strdup_printf("ioemu:%s", disk->dst);
    else if (hvm)
        dev = g_strdup_printf("%s:%s", disk->dst,
                              disk->device == XV_DISK_DEVICE_CDROM ? "cdrom" : "disk");
    else if (disk->device == XV_DISK_DEVICE_CDROM)
        dev = g_strdup_printf("%s:cdrom", disk->dst);
    else
        dev = g_strdup(disk->dst);
    addQ(vbd, "dev", dev);

    if (disk->src) {
        g_autofree char *uname = NULL;

        if (driver && (strcmp(driver, "tap") == 0 || strcmp(driver, "tap2") == 0)) {
            const char *fmt = disk->driver_type;

            if (!fmt || strcmp(fmt, "raw") == 0)
                fmt = "aio";
            uname = g_strdup_printf("%s:%s:%s", driver, fmt, disk->src);
        } else if (driver && strcmp(driver, "qemu") != 0) {
            uname = g_strdup_printf("%s:%s", driver, disk->src);
        } else if (disk->type == XV_DISK_TYPE_FILE) {
            uname = g_strdup_printf("file:%s", disk->src);
        } else if (disk->type == XV_DISK_TYPE_BLOCK) {
            uname = g_strdup_printf(disk->src[0] == '/' ? "phy:%s" : "phy:/dev/%s", disk->src);
        } else {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "disk '%s': disk type '%s' is not supported by xend", disk->dst,
                          xvDiskTypeTypeToString(disk->type));
            return NULL;
        }
        addQ(vbd, "uname", uname);
    }
    addQ(vbd, "mode", disk->readonly ? "r" : disk->shareable ? "w!" : "w");
    return g_steal_pointer(&vbd);
}

char *
xvDomainDiskToSexpr(const xvDomainDiskDef *disk, bool hvm, int version)
{
    g_autoptr(xvSexpr) s = NULL;

    if (hvm && disk->device == XV_DISK_DEVICE_FLOPPY) {
        xvReportError(VIR_ERR_INVALID_ARG, "cannot directly attach floppy '%s'",
                      disk->src ? disk->src : disk->dst);
        return NULL;
    }
    if (hvm && version < XV_XEND_CONFIG_VERSION_3_0_3 &&
        disk->device == XV_DISK_DEVICE_CDROM) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "disk '%s': xend 3.0.2 cannot attach a CD-ROM", disk->dst);
        return NULL;
    }
    if (!(s = diskSexpr(disk, hvm, version)))
        return NULL;
    return xvSexprFormat(s, XV_SEXPR_FORMAT_CONFIG);
}

static xvSexpr *
netSexpr(const xvDomainNetDef *net, bool hvm, int version)
{
    g_autoptr(xvSexpr) vif = xvSexprNewList("vif");
    char mac[18];

    if (net->type == XV_NET_TYPE_NETWORK) {
        /* a libvirt network would need a host to resolve its bridge */
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "interface: network '%s' cannot be resolved to a bridge offline",
                      net->network ? net->network : "");
        return NULL;
    }
    if (net->nextra_ips > 0) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "Driver does not support setting multiple IP addresses");
        return NULL;
    }
    g_snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", net->mac[0], net->mac[1],
               net->mac[2], net->mac[3], net->mac[4], net->mac[5]);
    addQ(vif, "mac", mac);
    if (net->bw_outbound.set && net->bw_outbound.average) {
        g_autofree char *rate = g_strdup_printf("%lluKB/s", net->bw_outbound.average);
        addQ(vif, "rate", rate);
    }
    if (net->type == XV_NET_TYPE_BRIDGE) {
        addQ(vif, "bridge", net->bridge ? net->bridge : "");
        /* no script: xend uses its configured vif-script */
        if (net->script)
            addQ(vif, "script", net->script);
        if (net->ip)
            addQ(vif, "ip", net->ip);
    } else {
        if (net->script)
            addQ(vif, "script", net->script);
        if (net->ip)
            addQ(vif, "ip", net->ip);
    }
    if (net->ifname && !g_str_has_prefix(net->ifname, "vif"))
        addQ(vif, "vifname", net->ifname);
    if (hvm && g_strcmp0(net->model, "netfront") == 0) {
        addBare(vif, "type", "netfront");
    } else {
        if (net->model)
            addQ(vif, "model", net->model);
        /* xend before 3.1 needed to be told the NIC is emulated */
        if (hvm && version <= XV_XEND_CONFIG_VERSION_3_0_4)
            addBare(vif, "type", "ioemu");
    }
    return g_steal_pointer(&vif);
}

char *
xvDomainNetToSexpr(const xvDomainNetDef *net, bool hvm, int version)
{
    g_autoptr(xvSexpr) s = netSexpr(net, hvm, version);

    return s ? xvSexprFormat(s, XV_SEXPR_FORMAT_CONFIG) : NULL;
}

static void
pciDev(xvSexpr *list, const xvDomainHostdevDef *h)
{
    xvSexpr *dev = xvSexprAddList(list, "dev");

    xvSexprAddPairf(dev, "domain", XV_SEXPR_QUOTE_NONE, "0x%04x", h->domain);
    xvSexprAddPairf(dev, "bus", XV_SEXPR_QUOTE_NONE, "0x%02x", h->bus);
    xvSexprAddPairf(dev, "slot", XV_SEXPR_QUOTE_NONE, "0x%02x", h->slot);
    xvSexprAddPairf(dev, "func", XV_SEXPR_QUOTE_NONE, "0x%x", h->function);
}

char *
xvDomainHostdevToSexpr(const xvDomainHostdevDef *hostdev, bool detach)
{
    g_autoptr(xvSexpr) pci = NULL;

    if (hostdev->managed == XV_TRISTATE_YES) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "managed PCI devices not supported with XenD");
        return NULL;
    }
    pci = xvSexprNewList("pci");
    pciDev(pci, hostdev);
    addQ(pci, "state", detach ? "Closing" : "Initialising");
    return xvSexprFormat(pci, XV_SEXPR_FORMAT_CONFIG);
}

/* (vnc 1)(vncunused ..)... in an image (HVM, or PV before 3.0.4). */
static int
graphicsOld(xvSexpr *img, const xvDomainGraphicsDef *gr, int version)
{
    if (gr->type == XV_GRAPHICS_SDL) {
        addInt(img, "sdl", 1);
        if (gr->display)
            addQ(img, "display", gr->display);
        if (gr->xauth)
            addQ(img, "xauthority", gr->xauth);
    } else if (gr->type == XV_GRAPHICS_VNC) {
        bool autoport = gr->autoport == XV_TRISTATE_YES ||
                        (gr->autoport == XV_TRISTATE_ABSENT && (!gr->has_port || gr->port == -1));

        addInt(img, "vnc", 1);
        /* 3.0.2 knew only (vnc 1): port 5900 + domid, no options */
        if (version < XV_XEND_CONFIG_VERSION_3_0_3)
            return 0;
        if (autoport) {
            addInt(img, "vncunused", 1);
        } else {
            addInt(img, "vncunused", 0);
            if (gr->has_port && gr->port >= 5900)
                addInt(img, "vncdisplay", gr->port - 5900);
        }
        if (gr->listen)
            addQ(img, "vnclisten", gr->listen);
        if (gr->passwd)
            addQ(img, "vncpasswd", gr->passwd);
        if (gr->keymap)
            addQ(img, "keymap", gr->keymap);
    } else {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "graphics type '%s' is not supported by xend",
                      xvGraphicsTypeTypeToString(gr->type));
        return -1;
    }
    return 0;
}

/* (device (vkbd))(device (vfb ...)): PV >= 3.0.4. */
static int
graphicsNew(xvSexpr *vm, const xvDomainGraphicsDef *gr)
{
    xvSexpr *vfb;

    if (gr->type != XV_GRAPHICS_SDL && gr->type != XV_GRAPHICS_VNC) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "graphics type '%s' is not supported by xend",
                      xvGraphicsTypeTypeToString(gr->type));
        return -1;
    }
    xvSexprAddList(xvSexprAddList(vm, "device"), "vkbd");
    vfb = xvSexprAddList(xvSexprAddList(vm, "device"), "vfb");
    if (gr->type == XV_GRAPHICS_SDL) {
        addBare(vfb, "type", "sdl");
        if (gr->display)
            addQ(vfb, "display", gr->display);
        if (gr->xauth)
            addQ(vfb, "xauthority", gr->xauth);
    } else {
        bool autoport = gr->autoport == XV_TRISTATE_YES ||
                        (gr->autoport == XV_TRISTATE_ABSENT && (!gr->has_port || gr->port == -1));

        addBare(vfb, "type", "vnc");
        if (autoport) {
            addInt(vfb, "vncunused", 1);
        } else {
            addInt(vfb, "vncunused", 0);
            if (gr->has_port && gr->port >= 5900)
                addInt(vfb, "vncdisplay", gr->port - 5900);
        }
        if (gr->listen)
            addQ(vfb, "vnclisten", gr->listen);
        if (gr->passwd)
            addQ(vfb, "vncpasswd", gr->passwd);
        if (gr->keymap)
            addQ(vfb, "keymap", gr->keymap);
    }
    return 0;
}

static int
chrValue(xvSexpr *list, const char *key, const xvDomainChrDef *chr)
{
    g_autofree char *s = xvXenFormatChr(chr);

    if (!s)
        return -1;
    addBare(list, key, s);
    return 0;
}

static int
serials(xvSexpr *img, const xvDomainDef *def)
{
    /* an HVM guest's console without a target type is its first serial
     * port (libvirt's compatibility rule) */
    if (def->nserials == 0 && def->nconsoles > 0 &&
        (!def->consoles[0]->target_type ||
         strcmp(def->consoles[0]->target_type, "serial") == 0))
        return chrValue(img, "serial", def->consoles[0]);
    if (def->nserials == 0) {
        addBare(img, "serial", "none");
        return 0;
    }
    if (def->nserials == 1 && xvXenSerialPort(def, 0) == 0)
        return chrValue(img, "serial", def->serials[0]);

    {
        xvSexpr *serial = xvSexprAddList(img, "serial");
        xvSexpr *ports = xvSexprAppend(serial, xvSexprNewList(NULL));
        int maxport = xvXenSerialMaxPort(def);

        if (maxport > 64) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "serial port %d is too high for xend",
                          maxport);
            return -1;
        }
        for (int port = 0; port <= maxport; port++) {
            const xvDomainChrDef *chr = xvXenSerialAtPort(def, port);

            if (chr) {
                g_autofree char *s = xvXenFormatChr(chr);
                if (!s)
                    return -1;
                xvSexprAppend(ports, xvSexprNewAtom(s, XV_SEXPR_QUOTE_NONE));
            } else {
                xvSexprAppend(ports, xvSexprNewAtom("none", XV_SEXPR_QUOTE_NONE));
            }
        }
    }
    return 0;
}

/* localtime flag and rtc offset from the clock, or -1 with an error. */
static int
clockValues(const xvDomainDef *def, bool hvm, int *localtime, long long *offset)
{
    const char *o = def->clock_offset ? def->clock_offset : "utc";

    *offset = 0;
    if (hvm && strcmp(o, "variable") == 0) {
        *localtime = g_strcmp0(def->clock_basis, "localtime") == 0;
        *offset = def->has_clock_adjustment ? def->clock_adjustment : 0;
        return 0;
    }
    if (strcmp(o, "utc") == 0 || strcmp(o, "localtime") == 0) {
        if (hvm && def->clock_adjustment_reset) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "unsupported clock adjustment='reset'");
            return -1;
        }
        *localtime = strcmp(o, "localtime") == 0;
        return 0;
    }
    xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported clock offset='%s'", o);
    return -1;
}

char *
xvDomainDefToSexpr(const xvDomainDef *def, int version)
{
    g_autoptr(xvSexpr) vm = xvSexprNewList("vm");
    bool hvm = def->os_type == XV_DOMAIN_OS_HVM;
    xvSexpr *img = NULL;
    xvSexpr *os = NULL;
    char uuid[XV_UUID_STRLEN];
    int localtime = 0;
    long long rtc = 0;

    if (version < XV_XEND_CONFIG_VERSION_3_0_2 || version > XV_XEND_CONFIG_VERSION_3_1_0) {
        xvReportError(VIR_ERR_INVALID_ARG, "unknown xend config version %d", version);
        return NULL;
    }
    if (def->os_type == XV_DOMAIN_OS_XENPVH) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "xend cannot run PVH guests");
        return NULL;
    }
    addQ(vm, "name", def->name);
    addInt(vm, "memory", (long long)((def->current_memory ? def->current_memory
                                                           : def->max_memory) + 1023) / 1024);
    addInt(vm, "maxmem", (long long)(def->max_memory + 1023) / 1024);
    addInt(vm, "vcpus", def->vcpus);
    if (def->vcpus_current && def->vcpus_current < def->vcpus) {
        if (def->vcpus_current >= 64) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                          "xend cannot express more than 63 online vcpus");
            return NULL;
        }
        xvSexprAddPairf(vm, "vcpu_avail", XV_SEXPR_QUOTE_NONE, "%llu",
                        (1ULL << def->vcpus_current) - 1);
    }
    if (def->cpuset)
        addQ(vm, "cpus", def->cpuset);
    if (!def->has_uuid) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' has no uuid", def->name);
        return NULL;
    }
    addQ(vm, "uuid", xvUUIDFormat(def->uuid, uuid));
    if (def->description)
        addQ(vm, "description", def->description);
    if (def->bootloader) {
        if (def->bootloader[0])
            addQ(vm, "bootloader", def->bootloader);
        else
            xvSexprAddList(vm, "bootloader");
        if (def->bootloader_args)
            addQ(vm, "bootloader_args", def->bootloader_args);
    }
    addQ(vm, "on_poweroff", xvDomainLifecycleActionTypeToString(
             def->has_on_poweroff ? def->on_poweroff : XV_DOMAIN_LIFECYCLE_DESTROY));
    addQ(vm, "on_reboot", xvDomainLifecycleActionTypeToString(
             def->has_on_reboot ? def->on_reboot : XV_DOMAIN_LIFECYCLE_RESTART));
    addQ(vm, "on_crash", xvDomainLifecycleActionTypeToString(
             def->has_on_crash ? def->on_crash : XV_DOMAIN_LIFECYCLE_DESTROY));

    if (clockValues(def, hvm, &localtime, &rtc) < 0)
        return NULL;

    if (!hvm && !def->bootloader && !def->os_kernel) {
        /* xend would refuse it too ("kernel '' not found") */
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "domain '%s': a PV guest needs a kernel or a bootloader", def->name);
        return NULL;
    }
    if (!def->bootloader) {
        img = xvSexprAddList(vm, "image");
        os = xvSexprAddList(img, hvm ? "hvm" : "linux");
        if (hvm && !def->os_loader) {
            xvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no HVM domain loader");
            return NULL;
        }
        if (def->os_kernel)
            addQ(os, "kernel", def->os_kernel);
        if (def->os_initrd)
            addQ(os, "ramdisk", def->os_initrd);
        if (def->os_root)
            addQ(os, "root", def->os_root);
        if (def->os_cmdline)
            addQ(os, "args", def->os_cmdline);
        if (hvm) {
            g_autofree char *boot = xvXenFormatBoot(def);

            addQ(os, def->os_kernel ? "loader" : "kernel", def->os_loader);
            addInt(os, "vcpus", def->vcpus);
            if (def->vcpus_current && def->vcpus_current < def->vcpus)
                xvSexprAddPairf(os, "vcpu_avail", XV_SEXPR_QUOTE_NONE, "%llu",
                                (1ULL << def->vcpus_current) - 1);
            addBare(os, "boot", boot);
            if (def->feature_acpi == XV_TRISTATE_YES)
                addInt(os, "acpi", 1);
            if (def->feature_apic == XV_TRISTATE_YES)
                addInt(os, "apic", 1);
            if (def->feature_pae == XV_TRISTATE_YES)
                addInt(os, "pae", 1);
            if (def->feature_hap == XV_TRISTATE_YES)
                addInt(os, "hap", 1);
            if (def->feature_viridian == XV_TRISTATE_YES)
                addInt(os, "viridian", 1);
            /* floppies and (3.0.2) the CD-ROM are image keys */
            for (size_t i = 0; i < def->ndisks; i++) {
                const xvDomainDiskDef *d = def->disks[i];

                if (d->device == XV_DISK_DEVICE_FLOPPY && d->src &&
                    (g_strcmp0(d->dst, "fda") == 0 || g_strcmp0(d->dst, "fdb") == 0))
                    addQ(os, d->dst, d->src);
                else if (d->device == XV_DISK_DEVICE_CDROM &&
                         version < XV_XEND_CONFIG_VERSION_3_0_3 && d->src &&
                         g_strcmp0(d->dst, "hdc") == 0)
                    addQ(os, "cdrom", d->src);
            }
            addInt(os, "usb", 1);
            for (size_t i = 0; i < def->ninputs; i++) {
                const xvDomainInputDef *in = def->inputs[i];

                if (g_strcmp0(in->bus, "usb") != 0)
                    continue;
                if (g_strcmp0(in->type, "mouse") == 0 || g_strcmp0(in->type, "tablet") == 0 ||
                    g_strcmp0(in->type, "keyboard") == 0)
                    addBare(os, "usbdevice", in->type);
                else {
                    xvReportError(VIR_ERR_INTERNAL_ERROR, "unexpected input type '%s'",
                                  in->type ? in->type : "");
                    return NULL;
                }
            }
            if (def->nparallels) {
                if (chrValue(os, "parallel", def->parallels[0]) < 0)
                    return NULL;
            } else {
                addBare(os, "parallel", "none");
            }
            if (serials(os, def) < 0)
                return NULL;
            if (def->nsounds) {
                g_autofree char *snd = xvXenFormatSound(def);
                addQ(os, "soundhw", snd);
            }
        }
        if (def->emulator && (hvm || version >= XV_XEND_CONFIG_VERSION_3_0_4))
            addQ(os, "device_model", def->emulator);
        for (size_t i = 0; i < def->ntimers; i++) {
            if (def->timers[i]->name == XV_TIMER_HPET &&
                def->timers[i]->present != XV_TRISTATE_ABSENT) {
                addInt(os, "hpet", def->timers[i]->present == XV_TRISTATE_YES);
                break;
            }
        }
        if (def->ntimers == 0 && def->timer_hpet != XV_TRISTATE_ABSENT)
            addInt(os, "hpet", def->timer_hpet == XV_TRISTATE_YES);
        if (def->ngraphics >= 1 && hvm && graphicsOld(os, def->graphics[0], version) < 0)
            return NULL;
    } else if (def->os_cmdline) {
        /* a bootloader-booted PV guest still takes kernel arguments */
        img = xvSexprAddList(vm, "image");
        os = xvSexprAddList(img, "linux");
        addQ(os, "args", def->os_cmdline);
    }
    /* PV framebuffer before 3.0.4: image keys, as for HVM */
    if (!hvm && def->ngraphics >= 1 && version < XV_XEND_CONFIG_VERSION_3_0_4) {
        if (!os) {
            img = xvSexprAddList(vm, "image");
            os = xvSexprAddList(img, "linux");
        }
        if (graphicsOld(os, def->graphics[0], version) < 0)
            return NULL;
    }

    if (version >= XV_XEND_CONFIG_VERSION_3_1_0) {
        if (!os) {
            img = xvSexprAddList(vm, "image");
            os = xvSexprAddList(img, hvm ? "hvm" : "linux");
        }
        if (def->bootloader && !hvm && def->emulator)
            addQ(os, "device_model", def->emulator);
        if (hvm)
            addInt(os, "rtc_timeoffset", rtc);
        addInt(os, "localtime", localtime);
    } else if (hvm && rtc != 0) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                      "a clock adjustment needs xend 3.1 or later");
        return NULL;
    }
    /* the pre-3.1 location, which 3.1+ still reads */
    addInt(vm, "localtime", localtime);

    for (size_t i = 0; i < def->ndisks; i++) {
        const xvDomainDiskDef *d = def->disks[i];
        xvSexpr *s;

        if (hvm && d->device == XV_DISK_DEVICE_FLOPPY)
            continue;
        if (hvm && version < XV_XEND_CONFIG_VERSION_3_0_3 && d->device == XV_DISK_DEVICE_CDROM)
            continue;
        if (!(s = diskSexpr(d, hvm, version)))
            return NULL;
        xvSexprAppend(xvSexprAddList(vm, "device"), s);
    }
    for (size_t i = 0; i < def->nnets; i++) {
        xvSexpr *s = netSexpr(def->nets[i], hvm, version);

        if (!s)
            return NULL;
        xvSexprAppend(xvSexprAddList(vm, "device"), s);
    }
    /* xend wants every PCI device in one (device (pci (dev ..)(dev ..))) */
    if (def->nhostdevs > 0) {
        xvSexpr *pci = xvSexprAddList(xvSexprAddList(vm, "device"), "pci");

        for (size_t i = 0; i < def->nhostdevs; i++) {
            if (def->hostdevs[i]->managed == XV_TRISTATE_YES) {
                xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                              "managed PCI devices not supported with XenD");
                return NULL;
            }
            pciDev(pci, def->hostdevs[i]);
        }
    }
    if (!hvm && def->ngraphics >= 1 && version >= XV_XEND_CONFIG_VERSION_3_0_4 &&
        graphicsNew(vm, def->graphics[0]) < 0)
        return NULL;

    return xvSexprFormat(vm, XV_SEXPR_FORMAT_CONFIG);
}
