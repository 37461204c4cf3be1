/*
 * host.c: the simulated host's domains, their life cycle, and the
 * XenStore keys that describe them (see host.h).
 *
 * The keys are those a real host of the chosen version carries (see
 * ../shared/spec/xenstore.md section 4): the toolstack writes a guest's
 * home /local/domain/<id> readable by the guest (n0 r<id>), its /vm/<uuid>
 * record, its front ends (guest-owned) and dom0's back ends -- one per
 * disk and NIC of the domain's definition -- and xend-era hosts (up to
 * 4.4) also the keys xend kept (image/ostype, running).  Guests made by
 * --domains get deterministic uuids and MACs derived from their names so
 * that test expectations do not depend on chance.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "control.h"
#include "host.h"
#include "util/uuid.h"
#include "xenconfig/xen_sxpr.h"

const char *const xsimXenVersions[] = {
    "3.0.2", "3.0.3", "3.0.4", "3.1", "3.2", "3.3", "4.0", "4.1", "4.4", "4.17", NULL,
};

gboolean
xsimXenVersionKnown(const char *version)
{
    return g_strv_contains(xsimXenVersions, version);
}

gboolean
xsimHostSince(XsimHost *host, guint major, guint minor, guint micro)
{
    if (host->vmajor != major)
        return host->vmajor > major;
    if (host->vminor != minor)
        return host->vminor > minor;
    return host->vmicro >= micro;
}

/* xend was removed in Xen 4.5: from then on libxl's layout. */
gboolean
xsimHostHasXend(XsimHost *host)
{
    return !xsimHostSince(host, 4, 5, 0);
}

static void
xsimDomainFree(XsimDomain *d)
{
    xvDomainDefFree(d->def);
    g_free(d->name);
    g_free(d);
}

/* Cpu time: each online vcpu of a running domain uses a tenth of a pCPU. */
guint64
xsimDomainCpuNs(XsimDomain *d)
{
    guint64 ns = d->cpuNs;

    if (d->runSince)
        ns += (guint64)(g_get_monotonic_time() - d->runSince) * 100 * d->onlineVcpus;
    return ns;
}

static void
xsimDomainStopClock(XsimDomain *d)
{
    d->cpuNs = xsimDomainCpuNs(d);
    d->runSince = 0;
}

static void
xsimDomainStartClock(XsimDomain *d)
{
    if (!d->runSince)
        d->runSince = g_get_monotonic_time();
}

static void
xsimDomainSetDef(XsimDomain *d, xvDomainDef *def)
{
    char buf[XV_UUID_STRLEN];

    xvDomainDefFree(d->def);
    d->def = def;
    g_free(d->name);
    d->name = g_strdup(def->name);
    memcpy(d->uuidRaw, def->uuid, 16);
    g_strlcpy(d->uuid, xvUUIDFormat(def->uuid, buf), sizeof(d->uuid));
    d->maxMemoryKiB = def->max_memory;
    d->memoryKiB = def->current_memory ? def->current_memory : def->max_memory;
    d->vcpus = MIN(MAX(def->vcpus, 1u), XSIM_MAX_VCPUS);
    d->onlineVcpus = def->vcpus_current ? MIN(def->vcpus_current, d->vcpus) : d->vcpus;
}

/* The definition of a guest made by --domains: PV, one disk, one NIC. */
static xvDomainDef *
xsimDefaultDef(const char *name, const char *uuid, guint domid, guint64 memoryKiB, guint vcpus)
{
    g_autofree char *xml = NULL;
    guint mac = domid & 0xffffff;
    xvDomainDef *def;

    xml = g_strdup_printf(
        "<domain type='xen'><name>%s</name><uuid>%s</uuid>"
        "<memory unit='KiB'>%" G_GUINT64_FORMAT "</memory><vcpu>%u</vcpu>"
        "<os><type>linux</type><kernel>/boot/vmlinuz-xen</kernel>"
        "<initrd>/boot/initrd-xen</initrd><cmdline>root=/dev/xvda1 ro</cmdline></os>"
        "<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot>"
        "<on_crash>restart</on_crash><devices>"
        "<disk type='file' device='disk'><driver name='file'/>"
        "<source file='/var/lib/xen/images/%s.img'/><target dev='xvda' bus='xen'/></disk>"
        "<interface type='bridge'><mac address='00:16:3e:%02x:%02x:%02x'/>"
        "<source bridge='xenbr0'/><script path='/etc/xen/scripts/vif-bridge'/></interface>"
        "<console type='pty'/></devices></domain>",
        name, uuid, memoryKiB, vcpus, name, mac >> 16, (mac >> 8) & 0xff, mac & 0xff);
    if (!(def = xvDomainDefParseString(xml)))
        g_error("xensim: cannot build the definition of %s", name);
    return def;
}

static xvDomainDef *
xsimDom0Def(void)
{
    const char *xml =
        "<domain type='xen'><name>Domain-0</name>"
        "<uuid>00000000-0000-0000-0000-000000000000</uuid>"
        "<memory unit='KiB'>1048576</memory><vcpu>2</vcpu>"
        "<os><type>linux</type><kernel>/boot/vmlinuz-xen0</kernel></os>"
        "<devices><console type='pty'/></devices></domain>";
    xvDomainDef *def = xvDomainDefParseString(xml);

    if (!def)
        g_error("xensim: cannot build Domain-0's definition");
    return def;
}

XsimHost *
xsimHostNew(const char *root, const char *xenVersion)
{
    XsimHost *host = g_new0(XsimHost, 1);
    XsimDomain *d0 = g_new0(XsimDomain, 1);

    host->root = g_canonicalize_filename(root, NULL);
    host->xenVersion = g_strdup(xenVersion);
    sscanf(xenVersion, "%u.%u.%u", &host->vmajor, &host->vminor, &host->vmicro);
    host->domains = g_ptr_array_new_with_free_func((GDestroyNotify)xsimDomainFree);
    xsimDomainSetDef(d0, xsimDom0Def());
    d0->active = TRUE;
    d0->domid = 0;
    d0->weight = 256;
    d0->startTime = g_get_real_time();
    for (guint v = 0; v < XSIM_MAX_VCPUS; v++)
        d0->affinity[v] = (1u << XSIM_HOST_CPUS) - 1;
    xsimDomainStartClock(d0);
    g_ptr_array_add(host->domains, d0);
    host->nextDomid = 1;
    return host;
}

static void xsimAgentFree(XsimAgent *a);

void
xsimHostFree(XsimHost *host)
{
    if (!host)
        return;
    xsimControlFree(host->control);
    xsimAgentFree(host->agent);
    xsDaemonFree(host->xenstored);
    g_ptr_array_unref(host->domains);
    g_free(host->root);
    g_free(host->xenVersion);
    g_free(host);
}

XsimDomain *
xsimHostFindDomain(XsimHost *host, guint32 domid)
{
    for (guint i = 0; i < host->domains->len; i++) {
        XsimDomain *d = g_ptr_array_index(host->domains, i);
        if (d->active && d->domid == domid)
            return d;
    }
    return NULL;
}

XsimDomain *
xsimHostFindName(XsimHost *host, const char *name, gboolean activeOnly)
{
    for (guint i = 0; i < host->domains->len; i++) {
        XsimDomain *d = g_ptr_array_index(host->domains, i);
        if ((d->active || !activeOnly) && g_str_equal(d->name, name))
            return d;
    }
    return NULL;
}

XsimDomain *
xsimHostFindUUID(XsimHost *host, const char *uuid)
{
    unsigned char raw[16];

    if (xvUUIDParse(uuid, raw) < 0)
        return NULL;
    for (guint i = 0; i < host->domains->len; i++) {
        XsimDomain *d = g_ptr_array_index(host->domains, i);
        if (memcmp(d->uuidRaw, raw, 16) == 0)
            return d;
    }
    return NULL;
}

static gboolean
xsimHostDomainExists(guint32 domid, gpointer opaque)
{
    return xsimHostFindDomain(opaque, domid) != NULL;
}

guint64
xsimHostFreeMemoryKiB(XsimHost *host)
{
    guint64 used = 0;

    for (guint i = 0; i < host->domains->len; i++) {
        XsimDomain *d = g_ptr_array_index(host->domains, i);
        if (d->active)
            used += d->memoryKiB;
    }
    return used < XSIM_HOST_MEMORY_KIB ? XSIM_HOST_MEMORY_KIB - used : 0;
}

/* ---- XenStore keys ------------------------------------------------------ */

typedef struct {
    XsDaemon *xsd;
    const char *base;
} XsimWriter;

static void G_GNUC_PRINTF(3, 4)
xsimPut(XsimWriter *w, const char *key, const char *fmt, ...)
{
    g_autofree char *path = g_strdup_printf("%s/%s", w->base, key);
    g_autofree char *value = NULL;
    va_list ap;
    int err;

    va_start(ap, fmt);
    value = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if ((err = xsDaemonWrite(w->xsd, path, value)))
        g_warning("xensim: cannot write xenstore key %s: %s", path, xsErrorName(err));
}

static void
xsimPerms(XsDaemon *xsd, const char *path, const char *perms)
{
    int err;

    if ((err = xsDaemonSetPerms(xsd, path, perms)))
        g_warning("xensim: cannot set permissions %s on %s: %s", perms, path,
                  xsErrorName(err));
}

static void
xsimHostWriteDom0(XsimHost *host, XsimDomain *d)
{
    XsDaemon *xsd = host->xenstored;
    XsimWriter w = { xsd, "/local/domain/0" };

    xsimPut(&w, "name", "%s", d->name);
    xsimPut(&w, "domid", "0");
    if (xsimHostHasXend(host)) {
        xsimPut(&w, "vm", "/vm/%s", d->uuid);
        xsimPut(&w, "memory/target", "%" G_GUINT64_FORMAT, d->memoryKiB);
        for (guint i = 0; i < d->vcpus; i++) {
            g_autofree char *key = g_strdup_printf("cpu/%u/availability", i);
            xsimPut(&w, key, "online");
        }
        w.base = "/vm/00000000-0000-0000-0000-000000000000";
        xsimPut(&w, "uuid", "%s", d->uuid);
        xsimPut(&w, "name", "%s", d->name);
    } else {
        /* What xen-init-dom0 writes on a 4.x libxl host. */
        xsimPut(&w, "control/feature-poweroff", "1");
        xsimPut(&w, "control/feature-reboot", "1");
        xsimPut(&w, "control/feature-suspend", "1");
    }
}

int
xsimDiskDevid(const char *dst)
{
    int idx = xvXenDiskNameToIndex(dst ? dst : "");

    if (idx < 0)
        return -1;
    if (g_str_has_prefix(dst, "xvd"))
        return idx < 16 ? (202 << 8) | (idx << 4) : (1 << 28) | (idx << 8);
    if (g_str_has_prefix(dst, "hd")) {
        static const int majors[] = {3, 22, 33, 34, 56, 57, 88, 89, 90, 91};
        if (idx / 2 >= (int)G_N_ELEMENTS(majors))
            return -1;
        return (majors[idx / 2] << 8) | ((idx % 2) << 6);
    }
    if (g_str_has_prefix(dst, "sd"))
        return (8 << 8) | (idx << 4);
    return -1;
}

/* The MAC of NIC i: the definition's, else one made from domid and index
 * (what the toolstack would have chosen at random). */
static char *
xsimNicMac(const XsimDomain *d, size_t i)
{
    const xvDomainNetDef *net = d->def->nets[i];

    if (net->has_mac)
        return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", net->mac[0], net->mac[1],
                               net->mac[2], net->mac[3], net->mac[4], net->mac[5]);
    return g_strdup_printf("00:16:3e:00:%02x:%02zx", d->domid & 0xff, i & 0xff);
}

static void
xsimHostWriteDevices(XsimHost *host, XsimDomain *d)
{
    XsDaemon *xsd = host->xenstored;
    g_autofree char *home = g_strdup_printf("/local/domain/%u", d->domid);
    g_autofree char *feperms = g_strdup_printf("n%u r0", d->domid);
    g_autofree char *beperms = g_strdup_printf("n0 r%u", d->domid);
    XsimWriter w = { xsd, NULL };

    for (size_t i = 0; i < d->def->ndisks; i++) {
        const xvDomainDiskDef *disk = d->def->disks[i];
        int devid = xsimDiskDevid(disk->dst);
        g_autofree char *fe = NULL;
        g_autofree char *be = NULL;
        const char *driver = disk->driver_name ? disk->driver_name
                             : disk->type == XV_DISK_TYPE_BLOCK ? "phy" : "file";

        if (devid < 0)
            continue;
        fe = g_strdup_printf("%s/device/vbd/%d", home, devid);
        be = g_strdup_printf("/local/domain/0/backend/vbd/%u/%d", d->domid, devid);
        xsDaemonMkdir(xsd, fe);
        xsimPerms(xsd, fe, feperms);
        w.base = fe;
        xsimPut(&w, "backend", "%s", be);
        xsimPut(&w, "backend-id", "0");
        xsimPut(&w, "virtual-device", "%d", devid);
        xsimPut(&w, "device-type", "%s", disk->device == XV_DISK_DEVICE_CDROM ? "cdrom" : "disk");
        xsimPut(&w, "state", "4");
        xsDaemonMkdir(xsd, be);
        xsimPerms(xsd, be, beperms);
        w.base = be;
        xsimPut(&w, "frontend", "%s", fe);
        xsimPut(&w, "frontend-id", "%u", d->domid);
        xsimPut(&w, "online", "1");
        xsimPut(&w, "state", "4");
        xsimPut(&w, "params", "%s", disk->src ? disk->src : "");
        xsimPut(&w, "type", "%s", xsimHostHasXend(host) ? driver : "phy");
        xsimPut(&w, "mode", "%s", disk->readonly ? "r" : disk->shareable ? "w!" : "w");
        xsimPut(&w, "dev", "%s", disk->dst);
        xsimPut(&w, "device-type", "%s", disk->device == XV_DISK_DEVICE_CDROM ? "cdrom" : "disk");
        xsimPut(&w, "removable", "%d", disk->device == XV_DISK_DEVICE_CDROM);
        xsimPut(&w, "bootable", "%d", i == 0);
        if (!xsimHostHasXend(host)) {
            /* libxl's own record of the device, which `xl list -l` and
             * our driver take as the list of devices that exist */
            g_autofree char *lx = g_strdup_printf("/libxl/%u/device/vbd/%d", d->domid, devid);
            w.base = lx;
            xsimPut(&w, "frontend", "%s", fe);
            xsimPut(&w, "backend", "%s", be);
            xsimPut(&w, "params", "%s", disk->src ? disk->src : "");
            xsimPut(&w, "dev", "%s", disk->dst);
            xsimPut(&w, "type", "phy");
            xsimPut(&w, "mode", "%s", disk->readonly ? "r" : "w");
            xsimPut(&w, "device-type", "%s",
                    disk->device == XV_DISK_DEVICE_CDROM ? "cdrom" : "disk");
        }
    }
    for (size_t i = 0; i < d->def->nnets; i++) {
        const xvDomainNetDef *net = d->def->nets[i];
        g_autofree char *fe = g_strdup_printf("%s/device/vif/%zu", home, i);
        g_autofree char *be = g_strdup_printf("/local/domain/0/backend/vif/%u/%zu", d->domid, i);
        g_autofree char *mac = xsimNicMac(d, i);
        xsDaemonMkdir(xsd, fe);
        xsimPerms(xsd, fe, feperms);
        w.base = fe;
        xsimPut(&w, "backend", "%s", be);
        xsimPut(&w, "backend-id", "0");
        xsimPut(&w, "handle", "%zu", i);
        xsimPut(&w, "mac", "%s", mac);
        xsimPut(&w, "state", "4");
        xsDaemonMkdir(xsd, be);
        xsimPerms(xsd, be, beperms);
        w.base = be;
        xsimPut(&w, "frontend", "%s", fe);
        xsimPut(&w, "frontend-id", "%u", d->domid);
        xsimPut(&w, "online", "1");
        xsimPut(&w, "state", "4");
        xsimPut(&w, "mac", "%s", mac);
        if (net->bridge)
            xsimPut(&w, "bridge", "%s", net->bridge);
        xsimPut(&w, "handle", "%zu", i);
        xsimPut(&w, "script", "%s", net->script ? net->script : "/etc/xen/scripts/vif-bridge");
        xsimPut(&w, "hotplug-status", "connected");
        if (!xsimHostHasXend(host)) {
            g_autofree char *lx = g_strdup_printf("/libxl/%u/device/vif/%zu", d->domid, i);
            w.base = lx;
            xsimPut(&w, "frontend", "%s", fe);
            xsimPut(&w, "backend", "%s", be);
            xsimPut(&w, "mac", "%s", mac);
            if (net->bridge)
                xsimPut(&w, "bridge", "%s", net->bridge);
            xsimPut(&w, "handle", "%zu", i);
            xsimPut(&w, "type", "vif");
        }
    }
}

/* ---- libxl's per-domain configuration file (Xen 4.5+) ------------------
 *
 * What libxl stores for every domain it makes, and `xl list -l` prints:
 * ROOT/var/lib/xen/userdata-d.DOMID.UUID.libxl-json, libxl_domain_config
 * as JSON in yajl's pretty layout, members equal to libxl's default left
 * out, the text followed by its terminating NUL (as seen on Xen 4.17). */

static void
xsimJsonString(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            g_string_append_printf(out, "\\%c", ch);
        else if (ch < 0x20)
            g_string_append_printf(out, "\\u%04x", ch);
        else
            g_string_append_c(out, (char)ch);
    }
    g_string_append_c(out, '"');
}

/* One `"key": value` line at indent (4 spaces a level); value is a string
 * when str, else written as is.  A comma ends every member but the last:
 * the caller passes last. */
static void
xsimJsonMember(GString *out, int indent, const char *key, const char *value, gboolean str,
               gboolean last)
{
    g_string_append_printf(out, "%*s", indent * 4, "");
    xsimJsonString(out, key);
    g_string_append(out, ": ");
    if (str)
        xsimJsonString(out, value);
    else
        g_string_append(out, value);
    g_string_append(out, last ? "\n" : ",\n");
}

/* libxl's spelling of a lifecycle action (libxl_action_on_shutdown). */
static char *
xsimLibxlAction(xvDomainLifecycleAction a)
{
    char *s = g_strdup(xvDomainLifecycleActionTypeToString(a));
    return g_strdelimit(s, "-", '_');
}

static char *
xsimLibxlConfig(const XsimDomain *d)
{
    const xvDomainDef *def = d->def;
    g_autoptr(GString) o = g_string_new("{\n");
    const char *type = def->os_type == XV_DOMAIN_OS_HVM ? "hvm"
                       : def->os_type == XV_DOMAIN_OS_XENPVH ? "pvh" : "pv";
    g_autofree char *num = NULL;
    g_autoptr(GString) avail = g_string_new("[\n");

    g_string_append(o, "    \"c_info\": {\n");
    xsimJsonMember(o, 2, "type", type, TRUE, FALSE);
    xsimJsonMember(o, 2, "name", d->name, TRUE, FALSE);
    xsimJsonMember(o, 2, "domid", "4294967295", FALSE, FALSE);
    xsimJsonMember(o, 2, "uuid", d->uuid, TRUE, FALSE);
    xsimJsonMember(o, 2, "run_hotplug_scripts", "True", TRUE, TRUE);
    g_string_append(o, "    },\n    \"b_info\": {\n");
    num = g_strdup_printf("%u", d->vcpus);
    xsimJsonMember(o, 2, "max_vcpus", num, FALSE, FALSE);
    for (guint v = 0; v < d->onlineVcpus; v++)
        g_string_append_printf(avail, "            %u%s\n", v, v + 1 < d->onlineVcpus ? "," : "");
    g_string_append(avail, "        ]");
    xsimJsonMember(o, 2, "avail_vcpus", avail->str, FALSE, FALSE);
    g_free(num);
    num = g_strdup_printf("%" G_GUINT64_FORMAT, d->maxMemoryKiB);
    xsimJsonMember(o, 2, "max_memkb", num, FALSE, FALSE);
    g_free(num);
    num = g_strdup_printf("%" G_GUINT64_FORMAT, d->memoryKiB);
    xsimJsonMember(o, 2, "target_memkb", num, FALSE, FALSE);
    xsimJsonMember(o, 2, "video_memkb", "0", FALSE, FALSE);
    xsimJsonMember(o, 2, "sched_params", "{\n\n        }", FALSE, FALSE);
    xsimJsonMember(o, 2, "claim_mode", "True", TRUE, FALSE);
    if (def->os_kernel)
        xsimJsonMember(o, 2, "kernel", def->os_kernel, TRUE, FALSE);
    if (def->os_cmdline)
        xsimJsonMember(o, 2, "cmdline", def->os_cmdline, TRUE, FALSE);
    if (def->os_initrd)
        xsimJsonMember(o, 2, "ramdisk", def->os_initrd, TRUE, FALSE);
    g_string_append_printf(o, "        \"type.%s\": {\n\n        },\n", type);
    xsimJsonMember(o, 2, "arch_arm", "{\n\n        }", FALSE, FALSE);
    xsimJsonMember(o, 2, "arch_x86", "{\n            \"msr_relaxed\": \"False\"\n        }",
                   FALSE, TRUE);
    g_string_append(o, "    }");

    if (def->ndisks) {
        g_string_append(o, ",\n    \"disks\": [\n");
        for (size_t i = 0; i < def->ndisks; i++) {
            const xvDomainDiskDef *disk = def->disks[i];
            const char *drv = disk->driver_name ? disk->driver_name : "";
            const char *backend = strcmp(drv, "qemu") == 0 ? "qdisk"
                                  : g_str_has_prefix(drv, "tap") ? "tap" : "phy";
            gboolean cdrom = disk->device == XV_DISK_DEVICE_CDROM;

            g_string_append(o, "        {\n");
            if (disk->src)
                xsimJsonMember(o, 3, "pdev_path", disk->src, TRUE, FALSE);
            xsimJsonMember(o, 3, "vdev", disk->dst, TRUE, FALSE);
            xsimJsonMember(o, 3, "backend", backend, TRUE, FALSE);
            xsimJsonMember(o, 3, "format", !disk->src && cdrom ? "empty"
                           : disk->driver_type ? disk->driver_type : "raw", TRUE, FALSE);
            if (!disk->readonly)
                xsimJsonMember(o, 3, "readwrite", "1", FALSE, FALSE);
            if (cdrom)
                xsimJsonMember(o, 3, "is_cdrom", "1", FALSE, FALSE);
            xsimJsonMember(o, 3, "colo_restore_enable", "False", TRUE, TRUE);
            g_string_append_printf(o, "        }%s\n", i + 1 < def->ndisks ? "," : "");
        }
        g_string_append(o, "    ]");
    }
    if (def->nnets) {
        g_string_append(o, ",\n    \"nics\": [\n");
        for (size_t i = 0; i < def->nnets; i++) {
            const xvDomainNetDef *net = def->nets[i];
            g_autofree char *mac = xsimNicMac(d, i);
            g_autofree char *devid = g_strdup_printf("%zu", i);

            g_string_append(o, "        {\n");
            xsimJsonMember(o, 3, "devid", devid, FALSE, FALSE);
            xsimJsonMember(o, 3, "mac", mac, TRUE, FALSE);
            if (net->bridge)
                xsimJsonMember(o, 3, "bridge", net->bridge, TRUE, FALSE);
            if (net->script)
                xsimJsonMember(o, 3, "script", net->script, TRUE, FALSE);
            if (net->model)
                xsimJsonMember(o, 3, "model", net->model, TRUE, FALSE);
            xsimJsonMember(o, 3, "nictype", def->os_type == XV_DOMAIN_OS_HVM ? "vif_ioemu" : "vif",
                           TRUE, TRUE);
            g_string_append_printf(o, "        }%s\n", i + 1 < def->nnets ? "," : "");
        }
        g_string_append(o, "    ]");
    }
    /* destroy is libxl's default (0): left out */
    {
        const struct {
            const char *key;
            xvDomainLifecycleAction act;
        } actions[] = {
            {"on_poweroff", def->on_poweroff},
            {"on_reboot", def->on_reboot},
            {"on_crash", def->on_crash},
        };
        for (guint i = 0; i < G_N_ELEMENTS(actions); i++) {
            g_autofree char *v = NULL;
            if (actions[i].act == XV_DOMAIN_LIFECYCLE_DESTROY)
                continue;
            v = xsimLibxlAction(actions[i].act);
            g_string_append(o, ",\n");
            xsimJsonMember(o, 1, actions[i].key, v, TRUE, TRUE);
            g_string_truncate(o, o->len - 1);
        }
        g_string_append(o, ",\n");
        xsimJsonMember(o, 1, "on_soft_reset", "soft_reset", TRUE, TRUE);
        g_string_truncate(o, o->len - 1);
    }
    g_string_append(o, "\n}\n");
    return g_string_free(g_steal_pointer(&o), FALSE);
}

static char *
xsimLibxlConfigPath(XsimHost *host, const XsimDomain *d)
{
    g_autofree char *name = g_strdup_printf("userdata-d.%u.%s.libxl-json", d->domid, d->uuid);
    return g_build_filename(host->root, "var/lib/xen", name, NULL);
}

static void
xsimHostWriteLibxlConfig(XsimHost *host, XsimDomain *d)
{
    g_autofree char *path = xsimLibxlConfigPath(host, d);
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *text = d->domid ? xsimLibxlConfig(d) : NULL;
    g_autoptr(GError) err = NULL;

    if (!text) /* what xen-init-dom0 stores for Domain-0 */
        text = g_strdup("{\n    \"c_info\": {\n        \"type\": \"pv\"\n    },\n"
                        "    \"b_info\": {\n        \"sched_params\": {\n\n        },\n"
                        "        \"type.pv\": {\n\n        },\n        \"arch_arm\": {\n\n"
                        "        },\n        \"arch_x86\": {\n\n        }\n    }\n}\n");
    if (g_mkdir_with_parents(dir, 0755) < 0 ||
        !g_file_set_contents_full(path, text, (gssize)strlen(text) + 1,
                                  G_FILE_SET_CONTENTS_CONSISTENT, 0600, &err))
        g_warning("xensim: cannot write %s: %s", path, err ? err->message : g_strerror(errno));
}

static void
xsimHostRemoveLibxlConfig(XsimHost *host, XsimDomain *d)
{
    g_autofree char *path = xsimLibxlConfigPath(host, d);

    if (unlink(path) < 0 && errno != ENOENT)
        g_warning("xensim: cannot remove %s: %s", path, g_strerror(errno));
}

static void
xsimHostWriteGuest(XsimHost *host, XsimDomain *d)
{
    XsDaemon *xsd = host->xenstored;
    g_autofree char *home = g_strdup_printf("/local/domain/%u", d->domid);
    g_autofree char *vm = g_strdup_printf("/vm/%s", d->uuid);
    g_autofree char *guestRead = g_strdup_printf("n0 r%u", d->domid);
    g_autofree char *guestOwn = g_strdup_printf("n%u", d->domid);
    g_autofree char *path = NULL;
    XsimWriter w = { xsd, vm };
    gboolean hvm = d->def->os_type == XV_DOMAIN_OS_HVM;

    /* The VM record. */
    xsDaemonMkdir(xsd, vm);
    xsimPerms(xsd, vm, guestRead);
    xsimPut(&w, "uuid", "%s", d->uuid);
    xsimPut(&w, "name", "%s", d->name);
    if (xsimHostHasXend(host)) {
        xsimPut(&w, "image/ostype", "%s", hvm ? "hvm" : "linux");
        xsimPut(&w, "memory", "%" G_GUINT64_FORMAT, d->memoryKiB / 1024);
        xsimPut(&w, "vcpus", "%u", d->vcpus);
        xsimPut(&w, "vcpu_avail", "%" G_GUINT64_FORMAT,
                d->onlineVcpus >= 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT(1) << d->onlineVcpus) - 1);
        xsimPut(&w, "on_poweroff", "%s", xvDomainLifecycleActionTypeToString(d->def->on_poweroff));
        xsimPut(&w, "on_reboot", "%s", xvDomainLifecycleActionTypeToString(d->def->on_reboot));
        xsimPut(&w, "on_crash", "%s", xvDomainLifecycleActionTypeToString(d->def->on_crash));
    }
    xsimPut(&w, "start_time", "%.2f", d->startTime / 1e6);

    /* The domain's home. */
    xsDaemonMkdir(xsd, home);
    xsimPerms(xsd, home, guestRead);
    w.base = home;
    xsimPut(&w, "vm", "%s", vm);
    xsimPut(&w, "name", "%s", d->name);
    xsimPut(&w, "domid", "%u", d->domid);
    xsimPut(&w, "memory/target", "%" G_GUINT64_FORMAT, d->memoryKiB);
    xsimPut(&w, "memory/static-max", "%" G_GUINT64_FORMAT, d->maxMemoryKiB);
    for (guint i = 0; i < d->vcpus; i++) {
        g_autofree char *key = g_strdup_printf("cpu/%u/availability", i);
        xsimPut(&w, key, i < d->onlineVcpus ? "online" : "offline");
    }
    xsimPut(&w, "store/port", "1");
    xsimPut(&w, "store/ring-ref", "%u", 0x10000 + d->domid * 2);
    xsimPut(&w, "console/port", "2");
    xsimPut(&w, "console/ring-ref", "%u", 0x10001 + d->domid * 2);
    xsimPut(&w, "console/limit", "1048576");
    xsimPut(&w, "console/type", "xenconsoled");
    xsimPut(&w, "console/tty", "/dev/pts/%u", 10 + d->domid);
    for (size_t i = 0; i < d->def->ngraphics; i++) {
        const xvDomainGraphicsDef *g = d->def->graphics[i];
        if (g->type == XV_GRAPHICS_VNC) {
            int port = g->has_port && g->port > 0 ? g->port : 5900 + (int)d->domid;
            xsimPut(&w, "console/vnc-port", "%d", port);
            break;
        }
    }
    if (xsimHostHasXend(host))
        xsimPut(&w, "running", "1");
    path = g_strdup_printf("%s/control/shutdown", home);
    xsimPut(&w, "control/shutdown", "%s", "");
    xsimPerms(xsd, path, guestOwn);
    g_clear_pointer(&path, g_free);
    path = g_strdup_printf("%s/data", home);
    xsDaemonMkdir(xsd, path);
    xsimPerms(xsd, path, guestOwn);

    xsimHostWriteDevices(host, d);

    if (!xsimHostHasXend(host)) {
        g_autofree char *libxl = g_strdup_printf("/libxl/%u", d->domid);
        w.base = libxl;
        xsimPut(&w, "type", "%s", hvm ? "hvm" : d->def->os_type == XV_DOMAIN_OS_XENPVH ? "pvh"
                                                                                   : "pv");
        xsimPut(&w, "dm-version", "qemu_xen");
        xsimHostWriteLibxlConfig(host, d);
    }
    xsDaemonIntroduce(xsd, d->domid);
}

/* What the toolstack removes when a domain is gone; the daemon fires
 * @releaseDomain. */
static void
xsimHostForgetGuest(XsimHost *host, XsimDomain *d)
{
    XsDaemon *xsd = host->xenstored;
    g_autofree char *home = g_strdup_printf("/local/domain/%u", d->domid);
    g_autofree char *vbd = g_strdup_printf("/local/domain/0/backend/vbd/%u", d->domid);
    g_autofree char *vif = g_strdup_printf("/local/domain/0/backend/vif/%u", d->domid);
    g_autofree char *vm = g_strdup_printf("/vm/%s", d->uuid);
    g_autofree char *libxl = g_strdup_printf("/libxl/%u", d->domid);

    if (!xsd)
        return;
    xsDaemonRm(xsd, home);
    xsDaemonRm(xsd, vbd);
    xsDaemonRm(xsd, vif);
    xsDaemonRm(xsd, vm);
    xsDaemonRm(xsd, libxl);
    xsDaemonRelease(xsd, d->domid);
}

void
xsimHostDevicesChanged(XsimHost *host, XsimDomain *d)
{
    g_autofree char *fe = NULL;
    g_autofree char *vbd = NULL;
    g_autofree char *vif = NULL;

    if (!d->active || !host->xenstored || d->domid == 0)
        return;
    fe = g_strdup_printf("/local/domain/%u/device", d->domid);
    vbd = g_strdup_printf("/local/domain/0/backend/vbd/%u", d->domid);
    vif = g_strdup_printf("/local/domain/0/backend/vif/%u", d->domid);
    xsDaemonRm(host->xenstored, fe);
    xsDaemonRm(host->xenstored, vbd);
    xsDaemonRm(host->xenstored, vif);
    if (!xsimHostHasXend(host)) {
        g_autofree char *lx = g_strdup_printf("/libxl/%u/device", d->domid);
        xsDaemonRm(host->xenstored, lx);
        xsimHostWriteLibxlConfig(host, d);
    }
    xsimHostWriteDevices(host, d);
}

/* ---- life cycle --------------------------------------------------------- */

static void
xsimDomainActivate(XsimHost *host, XsimDomain *d, gboolean paused)
{
    /* the next free id, wrapping below DOMID_FIRST_RESERVED as Xen does */
    while (xsimHostFindDomain(host, host->nextDomid) || host->nextDomid == 0 ||
           host->nextDomid >= 0x7FF0)
        host->nextDomid = host->nextDomid >= 0x7FF0 ? 1 : host->nextDomid + 1;
    d->active = TRUE;
    d->domid = host->nextDomid++;
    /* a fresh boot: what the definition says */
    d->maxMemoryKiB = d->def->max_memory;
    d->memoryKiB = d->def->current_memory ? d->def->current_memory : d->def->max_memory;
    d->vcpus = MIN(MAX(d->def->vcpus, 1u), XSIM_MAX_VCPUS);
    d->onlineVcpus = d->def->vcpus_current ? MIN(d->def->vcpus_current, d->vcpus) : d->vcpus;
    d->paused = paused;
    d->pauseCount = paused ? 1 : 0;
    d->shutdown = d->dying = FALSE;
    d->shutdownReason = 0;
    d->cpuNs = 0;
    d->runSince = 0;
    d->startTime = g_get_real_time();
    if (!d->weight)
        d->weight = 256;
    for (guint v = 0; v < XSIM_MAX_VCPUS; v++)
        d->affinity[v] = (1u << XSIM_HOST_CPUS) - 1;
    if (!paused)
        xsimDomainStartClock(d);
    if (host->xenstored)
        xsimHostWriteGuest(host, d);
}

XsimDomain *
xsimHostAddGuest(XsimHost *host, const char *name, guint64 memoryKiB, guint vcpus)
{
    XsimDomain *d = g_new0(XsimDomain, 1);
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA1, name, -1);
    char uuid[37];

    /* A version-4 style uuid made from the name's digest. */
    g_snprintf(uuid, sizeof(uuid), "%.8s-%.4s-4%.3s-8%.3s-%.12s",
               sum, sum + 8, sum + 12, sum + 15, sum + 18);
    xsimDomainSetDef(d, xsimDefaultDef(name, uuid, host->nextDomid, memoryKiB, vcpus));
    d->transient = TRUE;
    g_ptr_array_add(host->domains, d);
    xsimDomainActivate(host, d, FALSE);
    return d;
}

XsimDomain *
xsimHostDefine(XsimHost *host, xvDomainDef *def, gboolean managed, GError **error)
{
    XsimDomain *d = g_new0(XsimDomain, 1);

    xsimDomainSetDef(d, def);
    d->managed = managed;
    d->transient = !managed;
    d->weight = 256;
    g_ptr_array_add(host->domains, d);
    return d;
}

gboolean
xsimHostStart(XsimHost *host, XsimDomain *d, gboolean paused, GError **error)
{
    if (d->active) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS, "Domain is already running");
        return FALSE;
    }
    if (d->memoryKiB > xsimHostFreeMemoryKiB(host)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                    "Not enough free memory and enable-dom0-ballooning is False, so I "
                    "cannot release any more.  I need %" G_GUINT64_FORMAT " KiB but only have %"
                    G_GUINT64_FORMAT ".", d->memoryKiB, xsimHostFreeMemoryKiB(host));
        return FALSE;
    }
    xsimDomainActivate(host, d, paused);
    return TRUE;
}

void
xsimHostUndefine(XsimHost *host, XsimDomain *d)
{
    g_ptr_array_remove(host->domains, d);
}

void
xsimHostDestroy(XsimHost *host, XsimDomain *d)
{
    if (!d->active || d->domid == 0)
        return;
    xsimHostForgetGuest(host, d);
    if (!xsimHostHasXend(host))
        xsimHostRemoveLibxlConfig(host, d);
    d->active = FALSE;
    d->runSince = 0;
    d->paused = d->shutdown = d->dying = FALSE;
    if (!d->managed)
        g_ptr_array_remove(host->domains, d);
}

void
xsimHostPause(XsimHost *host, XsimDomain *d)
{
    d->pauseCount++;
    if (!d->paused) {
        d->paused = TRUE;
        xsimDomainStopClock(d);
    }
}

void
xsimHostUnpause(XsimHost *host, XsimDomain *d)
{
    if (d->pauseCount)
        d->pauseCount--;
    if (d->paused && (d->pauseCount == 0 || !xsimHostSince(host, 4, 5, 0))) {
        d->paused = FALSE;
        d->pauseCount = 0;
        if (!d->shutdown)
            xsimDomainStartClock(d);
    }
}

typedef struct {
    XsimHost *host;
    char uuid[37];
    guint32 domid;
    XsimShutdownReason reason;
} XsimPending;

/* The toolstack's reaction to a shut-down domain, a moment later (as
 * xend's or xl's watch on @releaseDomain would). */
static gboolean
xsimHostReap(gpointer opaque)
{
    XsimPending *p = opaque;
    XsimDomain *d = xsimHostFindDomain(p->host, p->domid);
    xvDomainLifecycleAction act;

    if (!d || !g_str_equal(d->uuid, p->uuid) || !d->shutdown)
        return G_SOURCE_REMOVE;
    act = p->reason == XSIM_SHUTDOWN_REBOOT ? d->def->on_reboot
          : p->reason == XSIM_SHUTDOWN_CRASH ? d->def->on_crash
          : p->reason == XSIM_SHUTDOWN_SUSPEND ? XV_DOMAIN_LIFECYCLE_PRESERVE
          : d->def->on_poweroff;
    switch (act) {
    case XV_DOMAIN_LIFECYCLE_PRESERVE:
    case XV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY:
        if (act == XV_DOMAIN_LIFECYCLE_PRESERVE)
            break;
        /* fall through */
    case XV_DOMAIN_LIFECYCLE_DESTROY:
    case XV_DOMAIN_LIFECYCLE_LAST:
        xsimHostDestroy(p->host, d);
        break;
    case XV_DOMAIN_LIFECYCLE_RESTART:
    case XV_DOMAIN_LIFECYCLE_RENAME_RESTART:
    case XV_DOMAIN_LIFECYCLE_COREDUMP_RESTART: {
        gboolean wasManaged = d->managed;
        d->managed = TRUE;             /* keep it across the restart */
        xsimHostDestroy(p->host, d);
        d->managed = wasManaged;
        xsimDomainActivate(p->host, d, FALSE);
        break;
    }
    }
    return G_SOURCE_REMOVE;
}

void
xsimHostGuestShutdown(XsimHost *host, XsimDomain *d, XsimShutdownReason reason)
{
    XsimPending *p;

    if (!d->active || d->domid == 0 || d->shutdown)
        return;
    xsimDomainStopClock(d);
    d->shutdown = TRUE;
    d->shutdownReason = reason;
    /* The hypervisor's VIRQ_DOM_EXC: xenstored fires @releaseDomain for a
     * shut-down domain (again when it is gone), which is what xl and xend
     * watch for. */
    if (host->xenstored)
        xsDaemonDomainShutdown(host->xenstored, d->domid);
    p = g_new0(XsimPending, 1);
    p->host = host;
    p->domid = d->domid;
    p->reason = reason;
    g_strlcpy(p->uuid, d->uuid, sizeof(p->uuid));
    g_timeout_add_full(G_PRIORITY_DEFAULT, 20, xsimHostReap, p, g_free);
}

static int
xsimReasonFromString(const char *reason)
{
    static const char *const names[] = {"poweroff", "reboot", "suspend", "crash"};

    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        if (g_str_equal(reason, names[i]))
            return i;
    if (g_str_equal(reason, "halt"))
        return XSIM_SHUTDOWN_POWEROFF;
    return -1;
}

void
xsimHostRequestShutdown(XsimHost *host, XsimDomain *d, const char *reason)
{
    int r = xsimReasonFromString(reason);

    if (host->xenstored) {
        g_autofree char *path = g_strdup_printf("/local/domain/%u/control/shutdown", d->domid);
        xsDaemonWrite(host->xenstored, path, reason);
    }
    /* The agent (a watch on control/shutdown) acts on it; without a
     * xenstore the guest cannot hear, as on a real host. */
    if (!host->agent && r >= 0)
        xsimHostGuestShutdown(host, d, r);
}

void
xsimHostSetMemory(XsimHost *host, XsimDomain *d, guint64 kib)
{
    d->memoryKiB = MIN(kib, d->maxMemoryKiB);
    d->def->current_memory = d->memoryKiB == d->def->max_memory ? 0 : d->memoryKiB;
    if (d->active && host->xenstored) {
        g_autofree char *path = g_strdup_printf("/local/domain/%u/memory/target", d->domid);
        g_autofree char *val = g_strdup_printf("%" G_GUINT64_FORMAT, d->memoryKiB);
        xsDaemonWrite(host->xenstored, path, val);
    }
}

void
xsimHostSetMaxMemory(XsimHost *host, XsimDomain *d, guint64 kib)
{
    d->maxMemoryKiB = kib;
    d->def->max_memory = kib;
    if (d->memoryKiB > kib)
        xsimHostSetMemory(host, d, kib);
    else
        d->def->current_memory = d->memoryKiB == kib ? 0 : d->memoryKiB;
}

void
xsimHostSetVcpus(XsimHost *host, XsimDomain *d, guint n)
{
    guint old = d->onlineVcpus;

    if (d->runSince)
        xsimDomainStopClock(d);
    d->onlineVcpus = MIN(n, d->vcpus);
    d->def->vcpus_current = d->onlineVcpus == d->def->vcpus ? 0 : d->onlineVcpus;
    if (d->active && !d->paused && !d->shutdown)
        xsimDomainStartClock(d);
    if (d->active && host->xenstored) {
        for (guint i = MIN(old, d->onlineVcpus); i < MAX(old, d->onlineVcpus); i++) {
            g_autofree char *path =
                g_strdup_printf("/local/domain/%u/cpu/%u/availability", d->domid, i);
            xsDaemonWrite(host->xenstored, path, i < d->onlineVcpus ? "online" : "offline");
        }
    }
}

/* ---- sockets ------------------------------------------------------------ */

static gboolean
xsimMkdirs(const char *dir, GError **error)
{
    if (g_mkdir_with_parents(dir, 0755) < 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot create directory '%s': %s", dir, g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

int
xsimListenUnix(const char *path, int mode, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (!xsimMkdirs(dir, error))
        return -1;
    if (strlen(path) >= sizeof(sa.sun_path)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG,
                    "socket path '%s' is too long", path);
        return -1;
    }
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        chmod(path, mode) < 0 || listen(fd, 64) < 0) {
        int e = errno;
        g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "cannot listen on '%s': %s",
                    path, g_strerror(e));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int
xsimListenTcpLocal(guint16 port, GError **error)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
        int e = errno;
        g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e),
                    "cannot listen on 127.0.0.1:%u: %s", port, g_strerror(e));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

gboolean
xsimWriteAll(int fd, const void *buf, gsize len)
{
    const guint8 *p = buf;

    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };
            if (poll(&pfd, 1, 10000) <= 0)
                return FALSE;
            continue;
        }
        if (n <= 0)
            return FALSE;
        p += n;
        len -= n;
    }
    return TRUE;
}

/* ---- faults -------------------------------------------------------------- */

/* A fault knob "NAME=N": which member of a faults struct N goes to. */
typedef struct {
    const char *name;
    gsize offset;
} XsimKnob;

/* Set the knob spec names in target: 1 done, 0 spec names no knob of the
 * table, -1 N is not a number of at least min (error set). */
static int
xsimKnobSet(const XsimKnob *knobs, gsize nknobs, gpointer target, const char *spec, guint min,
            GError **error)
{
    const char *eq = strchr(spec, '=');
    guint64 value;

    for (gsize i = 0; eq && i < nknobs; i++) {
        if (strlen(knobs[i].name) != (gsize)(eq - spec) ||
            strncmp(spec, knobs[i].name, eq - spec) != 0)
            continue;
        if (!g_ascii_string_to_unsigned(eq + 1, 10, min, G_MAXUINT, &value, NULL)) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "fault '%s': '%s' is not a %snumber", spec, eq + 1,
                        min > 0 ? "positive " : "");
            return -1;
        }
        G_STRUCT_MEMBER(guint, target, knobs[i].offset) = value;
        return 1;
    }
    return 0;
}

gboolean
xsimFaultsParse(XsimFaults *f, const char *channel, const char *spec, GError **error)
{
    static const XsimKnob knobs[] = {
        { "delay", G_STRUCT_OFFSET(XsimFaults, delayMs) },
        { "drop", G_STRUCT_OFFSET(XsimFaults, dropAt) },
        { "garble", G_STRUCT_OFFSET(XsimFaults, garbleAt) },
    };
    int set;

    if (g_str_equal(spec, "clear")) {
        memset(f, 0, sizeof(*f));
        return TRUE;
    }
    if ((set = xsimKnobSet(knobs, G_N_ELEMENTS(knobs), f, spec, 0, error)) < 0)
        return FALSE;
    if (set) {
        f->served = 0;
        return TRUE;
    }
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "unknown %s fault '%s' (known: delay=MS, drop=N, garble=N, clear)", channel, spec);
    return FALSE;
}

gsize
xsimFaultsNext(XsimFaults *f, gsize len, gboolean *garble)
{
    f->served++;
    *garble = f->garbleAt && f->served == f->garbleAt;
    if (f->dropAt && f->served == f->dropAt)
        return len / 2;
    return len;
}

/* ---- the guests' side of control/shutdown ---------------------------------
 *
 * Each guest's PV drivers watch control/shutdown; here one xenstore client
 * connection (dom0's socket, as any tool) watches /local/domain and, when
 * a domain's control/shutdown changes to a request, makes that guest shut
 * down; when its memory/target changes, its balloon follows.  It reconnects if the daemon drops it (restart, faults).
 */

struct _XsimAgent {
    XsimHost *host;
    int fd;
    guint src;
    XsReader rd;
    guint retry;
};

/* READ request ids: the domid in bits 0-15, what was read in bits 16-17
 * (control/shutdown, memory/target, cpu/N/availability), N in bits 20-27. */
#define XSIM_AGENT_ID(domid, kind, vcpu) ((domid) | ((kind) << 16) | ((vcpu) << 20))
enum { XSIM_AGENT_SHUTDOWN, XSIM_AGENT_BALLOON, XSIM_AGENT_VCPU };

static void xsimAgentConnect(XsimHost *host);

static gboolean
xsimAgentRetry(gpointer opaque)
{
    XsimHost *host = opaque;

    host->agent->retry = 0;
    xsimAgentConnect(host);
    return G_SOURCE_REMOVE;
}

static void
xsimAgentDrop(XsimAgent *a)
{
    if (a->src)
        g_source_remove(a->src);
    a->src = 0;
    if (a->fd >= 0)
        close(a->fd);
    a->fd = -1;
    xsReaderClear(&a->rd);
    xsReaderInit(&a->rd);
    if (!a->retry)
        a->retry = g_timeout_add(100, xsimAgentRetry, a->host);
}

static void
xsimAgentFree(XsimAgent *a)
{
    if (!a)
        return;
    xsimAgentDrop(a);
    if (a->retry)
        g_source_remove(a->retry);
    xsReaderClear(&a->rd);
    g_free(a);
}

static void
xsimAgentSend(XsimAgent *a, guint32 type, guint32 req, const char *arg1, const char *arg2)
{
    g_autoptr(GByteArray) msg = g_byte_array_new();
    g_autoptr(GByteArray) payload = g_byte_array_new();

    g_byte_array_append(payload, (const guint8 *)arg1, strlen(arg1) + 1);
    if (arg2)
        g_byte_array_append(payload, (const guint8 *)arg2, strlen(arg2) + 1);
    xsMessageAppend(msg, type, req, 0, payload->data, payload->len);
    if (!xsimWriteAll(a->fd, msg->data, msg->len))
        xsimAgentDrop(a);
}

static gboolean
xsimAgentReadable(gint fd, GIOCondition cond, gpointer opaque)
{
    XsimAgent *a = opaque;
    guint8 buf[8192];
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    XsHeader hdr;
    guint8 *payload;

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        a->src = 0;
        xsimAgentDrop(a);
        return G_SOURCE_REMOVE;
    }
    xsReaderFeed(&a->rd, buf, n);
    while (xsReaderNext(&a->rd, &hdr, &payload) == XS_READER_MESSAGE) {
        if (hdr.type == XS_WATCH_EVENT) {
            const char *path = (const char *)payload;
            guint domid, vcpu;
            char tail[32];
            if (hdr.len && payload[hdr.len - 1] == '\0' &&
                sscanf(path, "/local/domain/%u/%31s", &domid, tail) == 2 && domid != 0 &&
                domid < 0x10000) {
                if (g_str_equal(tail, "control/shutdown"))
                    xsimAgentSend(a, XS_READ, XSIM_AGENT_ID(domid, XSIM_AGENT_SHUTDOWN, 0),
                                  path, NULL);
                else if (g_str_equal(tail, "memory/target"))
                    xsimAgentSend(a, XS_READ, XSIM_AGENT_ID(domid, XSIM_AGENT_BALLOON, 0),
                                  path, NULL);
                else if (sscanf(tail, "cpu/%u/availabilit%*c", &vcpu) == 1 &&
                         g_str_has_suffix(tail, "/availability") && vcpu < XSIM_MAX_VCPUS)
                    xsimAgentSend(a, XS_READ, XSIM_AGENT_ID(domid, XSIM_AGENT_VCPU, vcpu),
                                  path, NULL);
            }
        } else if (hdr.type == XS_READ && hdr.req_id != 0) {
            g_autofree char *value = g_strndup((const char *)payload, hdr.len);
            XsimDomain *d = xsimHostFindDomain(a->host, hdr.req_id & 0xffff);
            guint kind = (hdr.req_id >> 16) & 3, vcpu = (hdr.req_id >> 20) & 0xff;
            guint64 kib;
            int r;

            if (!d) {
                /* gone meanwhile */
            } else if (kind == XSIM_AGENT_BALLOON) {
                /* the balloon driver follows memory/target (KiB) */
                if (g_ascii_string_to_unsigned(value, 10, 1, G_MAXUINT64, &kib, NULL))
                    d->memoryKiB = MIN(kib, d->maxMemoryKiB);
            } else if (kind == XSIM_AGENT_VCPU) {
                /* the guest's cpu hotplug: it onlines or offlines vcpus in
                 * order, so the online count is the first offline one */
                gboolean online = g_str_equal(value, "online");
                if (online && vcpu >= d->onlineVcpus && vcpu < d->vcpus)
                    xsimHostSetVcpus(a->host, d, vcpu + 1);
                else if (!online && g_str_equal(value, "offline") && vcpu < d->onlineVcpus)
                    xsimHostSetVcpus(a->host, d, vcpu);
            } else if ((r = xsimReasonFromString(value)) >= 0) {
                xsimHostGuestShutdown(a->host, d, r);
            }
        }
        g_free(payload);
        if (a->fd < 0)
            break;
    }
    return a->fd < 0 ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
xsimAgentConnect(XsimHost *host)
{
    XsimAgent *a = host->agent;
    g_autofree char *path = g_build_filename(host->root, "var/run/xenstored/socket", NULL);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        if (fd >= 0)
            close(fd);
        if (!a->retry)
            a->retry = g_timeout_add(100, xsimAgentRetry, host);
        return;
    }
    a->fd = fd;
    a->src = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR, xsimAgentReadable, a);
    xsimAgentSend(a, XS_WATCH, 0, "/local/domain", "xensim-guests");
}

/* ---- xenstored ----------------------------------------------------------- */

gboolean
xsimHostStartXenstored(XsimHost *host, GError **error)
{
    g_autofree char *dir = g_build_filename(host->root, "var/run/xenstored", NULL);
    g_autofree char *sock = g_build_filename(dir, "socket", NULL);
    g_autofree char *sockro = g_build_filename(dir, "socket_ro", NULL);
    g_autoptr(XsDaemon) xsd = NULL;

    if (!xsimMkdirs(dir, error))
        return FALSE;
    xsd = xsDaemonNew(xsimHostDomainExists, host);
    if (!xsDaemonSetXenVersion(xsd, host->xenVersion)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "cannot parse Xen version '%s'", host->xenVersion);
        return FALSE;
    }
    host->xenstored = xsd;
    /* The tree first, so the first client sees a complete host. */
    xsimHostWriteDom0(host, g_ptr_array_index(host->domains, 0));
    if (!xsimHostHasXend(host))
        xsimHostWriteLibxlConfig(host, g_ptr_array_index(host->domains, 0));
    xsDaemonMkdir(xsd, "/vm");
    for (guint i = 1; i < host->domains->len; i++) {
        XsimDomain *d = g_ptr_array_index(host->domains, i);
        if (d->active)
            xsimHostWriteGuest(host, d);
    }
    xsDaemonSetFaults(xsd, &host->xenstoredFaults);
    if (!xsDaemonListen(xsd, sock, FALSE, error) ||
        !xsDaemonListen(xsd, sockro, TRUE, error)) {
        host->xenstored = NULL;
        return FALSE;
    }
    g_steal_pointer(&xsd);
    host->agent = g_new0(XsimAgent, 1);
    host->agent->host = host;
    host->agent->fd = -1;
    xsReaderInit(&host->agent->rd);
    xsimAgentConnect(host);
    return TRUE;
}

gboolean
xsimHostRestartXenstored(XsimHost *host, GError **error)
{
    return xsDaemonRestart(host->xenstored, error);
}

gboolean
xsimHostXenstoredFault(XsimHost *host, const char *spec, GError **error)
{
    static const XsimKnob knobs[] = {
        { "delay", G_STRUCT_OFFSET(XsFaults, delayMs) },
        { "cut-header", G_STRUCT_OFFSET(XsFaults, cutHeaderAt) },
        { "truncate", G_STRUCT_OFFSET(XsFaults, truncateAt) },
        { "oversize", G_STRUCT_OFFSET(XsFaults, oversizeAt) },
    };
    int set = xsimKnobSet(knobs, G_N_ELEMENTS(knobs), &host->xenstoredFaults, spec, 1, error);

    if (set < 0)
        return FALSE;
    if (set) {
        if (host->xenstored)
            xsDaemonSetFaults(host->xenstored, &host->xenstoredFaults);
        return TRUE;
    }
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "unknown xenstored fault '%s' (known: delay=MS, cut-header=N, "
                "truncate=N, oversize=N)", spec);
    return FALSE;
}

gboolean
xsimHostStartConfigDir(XsimHost *host, GError **error)
{
    g_autofree char *dir = g_build_filename(host->root, "etc/xen", NULL);

    return xsimMkdirs(dir, error);
}
