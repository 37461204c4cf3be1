/*
 * host.c: the simulated host's domains and the XenStore keys that describe
 * them (see host.h).
 *
 * The keys are those a real host of the chosen version carries (see
 * ../shared/spec/xenstore.md section 4): the toolstack writes a guest's
 * home /local/domain/<id> readable by the guest (n0 r<id>), its /vm/<uuid>
 * record, its front ends (guest-owned) and dom0's back ends, and xend-era
 * hosts (up to 4.4) also the keys xend kept (image/ostype, running).
 * Guests get deterministic uuids and MACs derived from their names so that
 * test expectations do not depend on chance.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "host.h"

const char *const xsimXenVersions[] = {
    "3.0.2", "3.0.3", "3.0.4", "3.1", "3.2", "3.3", "4.0", "4.1", "4.4", "4.17", NULL,
};

gboolean
xsimXenVersionKnown(const char *version)
{
    return g_strv_contains(xsimXenVersions, version);
}

/* xend was removed in Xen 4.5: from then on libxl's layout. */
static gboolean
xsimHostHasXend(XsimHost *host)
{
    return !g_str_equal(host->xenVersion, "4.17");
}

static void
xsimDomainFree(XsimDomain *d)
{
    g_free(d->name);
    g_free(d);
}

static XsimDomain *
xsimDomainNew(guint32 domid, const char *name, guint64 memoryKiB, guint vcpus)
{
    XsimDomain *d = g_new0(XsimDomain, 1);

    d->domid = domid;
    d->name = g_strdup(name);
    d->memoryKiB = d->maxMemoryKiB = memoryKiB;
    d->vcpus = vcpus;
    if (domid == 0) {
        g_strlcpy(d->uuid, "00000000-0000-0000-0000-000000000000", sizeof(d->uuid));
    } else {
        g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA1, name, -1);
        /* A version-4 style uuid made from the name's digest. */
        g_snprintf(d->uuid, sizeof(d->uuid), "%.8s-%.4s-4%.3s-8%.3s-%.12s",
                   sum, sum + 8, sum + 12, sum + 15, sum + 18);
    }
    return d;
}

XsimHost *
xsimHostNew(const char *root, const char *xenVersion)
{
    XsimHost *host = g_new0(XsimHost, 1);

    host->root = g_canonicalize_filename(root, NULL);
    host->xenVersion = g_strdup(xenVersion);
    host->domains = g_ptr_array_new_with_free_func((GDestroyNotify)xsimDomainFree);
    g_ptr_array_add(host->domains, xsimDomainNew(0, "Domain-0", 1024 * 1024, 2));
    return host;
}

void
xsimHostFree(XsimHost *host)
{
    if (!host)
        return;
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
        if (d->domid == domid)
            return d;
    }
    return NULL;
}

static gboolean
xsimHostDomainExists(guint32 domid, gpointer opaque)
{
    return xsimHostFindDomain(opaque, domid) != NULL;
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
        g_error("xensim: cannot seed xenstore key %s: %s", path, xsErrorName(err));
}

static void
xsimPerms(XsDaemon *xsd, const char *path, const char *perms)
{
    int err;

    if ((err = xsDaemonSetPerms(xsd, path, perms)))
        g_error("xensim: cannot set permissions %s on %s: %s", perms, path,
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

static void
xsimHostWriteGuest(XsimHost *host, XsimDomain *d)
{
    XsDaemon *xsd = host->xenstored;
    g_autofree char *home = g_strdup_printf("/local/domain/%u", d->domid);
    g_autofree char *vm = g_strdup_printf("/vm/%s", d->uuid);
    g_autofree char *fe = NULL;
    g_autofree char *be = NULL;
    g_autofree char *guestRead = g_strdup_printf("n0 r%u", d->domid);
    g_autofree char *guestOwn = g_strdup_printf("n%u", d->domid);
    g_autofree char *feperms = g_strdup_printf("n%u r0", d->domid);
    g_autofree char *beperms = g_strdup_printf("n0 r%u", d->domid);
    g_autofree char *path = NULL;
    XsimWriter w = { xsd, vm };
    guint mac = d->domid & 0xffffff;

    /* The VM record. */
    xsDaemonMkdir(xsd, vm);
    xsimPerms(xsd, vm, guestRead);
    xsimPut(&w, "uuid", "%s", d->uuid);
    xsimPut(&w, "name", "%s", d->name);
    if (xsimHostHasXend(host)) {
        xsimPut(&w, "image/ostype", "linux");
        xsimPut(&w, "memory", "%" G_GUINT64_FORMAT, d->maxMemoryKiB / 1024);
        xsimPut(&w, "vcpus", "%u", d->vcpus);
        xsimPut(&w, "vcpu_avail", "%u", (1u << MIN(d->vcpus, 31u)) - 1);
        xsimPut(&w, "on_poweroff", "destroy");
        xsimPut(&w, "on_reboot", "restart");
        xsimPut(&w, "on_crash", "restart");
    }
    xsimPut(&w, "start_time", "%.2f", g_get_real_time() / 1e6);

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
        xsimPut(&w, key, "online");
    }
    xsimPut(&w, "store/port", "1");
    xsimPut(&w, "store/ring-ref", "%u", 0x10000 + d->domid * 2);
    xsimPut(&w, "console/port", "2");
    xsimPut(&w, "console/ring-ref", "%u", 0x10001 + d->domid * 2);
    xsimPut(&w, "console/limit", "1048576");
    xsimPut(&w, "console/type", "xenconsoled");
    xsimPut(&w, "console/tty", "/dev/pts/%u", 10 + d->domid);
    if (xsimHostHasXend(host))
        xsimPut(&w, "running", "1");
    path = g_strdup_printf("%s/control/shutdown", home);
    xsimPut(&w, "control/shutdown", "%s", "");
    xsimPerms(xsd, path, guestOwn);
    g_clear_pointer(&path, g_free);
    path = g_strdup_printf("%s/data", home);
    xsDaemonMkdir(xsd, path);
    xsimPerms(xsd, path, guestOwn);
    g_clear_pointer(&path, g_free);

    /* One disk (xvda = 51712) and one NIC, front ends and dom0 back ends. */
    fe = g_strdup_printf("%s/device/vbd/51712", home);
    be = g_strdup_printf("/local/domain/0/backend/vbd/%u/51712", d->domid);
    xsDaemonMkdir(xsd, fe);
    xsimPerms(xsd, fe, feperms);
    w.base = fe;
    xsimPut(&w, "backend", "%s", be);
    xsimPut(&w, "backend-id", "0");
    xsimPut(&w, "virtual-device", "51712");
    xsimPut(&w, "device-type", "disk");
    xsimPut(&w, "state", "4");
    xsDaemonMkdir(xsd, be);
    xsimPerms(xsd, be, beperms);
    w.base = be;
    xsimPut(&w, "frontend", "%s", fe);
    xsimPut(&w, "frontend-id", "%u", d->domid);
    xsimPut(&w, "online", "1");
    xsimPut(&w, "state", "4");
    xsimPut(&w, "params", "/var/lib/xen/images/%s.img", d->name);
    xsimPut(&w, "type", "%s", xsimHostHasXend(host) ? "file" : "phy");
    xsimPut(&w, "mode", "w");
    xsimPut(&w, "dev", "xvda");
    xsimPut(&w, "device-type", "disk");
    xsimPut(&w, "removable", "0");
    xsimPut(&w, "bootable", "1");
    g_clear_pointer(&fe, g_free);
    g_clear_pointer(&be, g_free);

    fe = g_strdup_printf("%s/device/vif/0", home);
    be = g_strdup_printf("/local/domain/0/backend/vif/%u/0", d->domid);
    xsDaemonMkdir(xsd, fe);
    xsimPerms(xsd, fe, feperms);
    w.base = fe;
    xsimPut(&w, "backend", "%s", be);
    xsimPut(&w, "backend-id", "0");
    xsimPut(&w, "handle", "0");
    xsimPut(&w, "mac", "00:16:3e:%02x:%02x:%02x", mac >> 16, (mac >> 8) & 0xff, mac & 0xff);
    xsimPut(&w, "state", "4");
    xsDaemonMkdir(xsd, be);
    xsimPerms(xsd, be, beperms);
    w.base = be;
    xsimPut(&w, "frontend", "%s", fe);
    xsimPut(&w, "frontend-id", "%u", d->domid);
    xsimPut(&w, "online", "1");
    xsimPut(&w, "state", "4");
    xsimPut(&w, "mac", "00:16:3e:%02x:%02x:%02x", mac >> 16, (mac >> 8) & 0xff, mac & 0xff);
    xsimPut(&w, "bridge", "xenbr0");
    xsimPut(&w, "handle", "0");
    xsimPut(&w, "script", "/etc/xen/scripts/vif-bridge");
    xsimPut(&w, "hotplug-status", "connected");

    if (!xsimHostHasXend(host)) {
        g_autofree char *libxl = g_strdup_printf("/libxl/%u", d->domid);
        w.base = libxl;
        xsimPut(&w, "type", "pv");
        xsimPut(&w, "dm-version", "qemu_xen");
    }
    xsDaemonIntroduce(xsd, d->domid);
}

XsimDomain *
xsimHostAddGuest(XsimHost *host, const char *name, guint64 memoryKiB, guint vcpus)
{
    XsimDomain *last = g_ptr_array_index(host->domains, host->domains->len - 1);
    XsimDomain *d = xsimDomainNew(last->domid + 1, name, memoryKiB, vcpus);

    g_ptr_array_add(host->domains, d);
    if (host->xenstored)
        xsimHostWriteGuest(host, d);
    return d;
}

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
    xsDaemonMkdir(xsd, "/vm");
    for (guint i = 1; i < host->domains->len; i++)
        xsimHostWriteGuest(host, g_ptr_array_index(host->domains, i));
    xsDaemonSetFaults(xsd, &host->xenstoredFaults);
    if (!xsDaemonListen(xsd, sock, FALSE, error) ||
        !xsDaemonListen(xsd, sockro, TRUE, error)) {
        host->xenstored = NULL;
        return FALSE;
    }
    g_steal_pointer(&xsd);
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
    static const struct {
        const char *name;
        gsize offset;
    } knobs[] = {
        { "delay", G_STRUCT_OFFSET(XsFaults, delayMs) },
        { "cut-header", G_STRUCT_OFFSET(XsFaults, cutHeaderAt) },
        { "truncate", G_STRUCT_OFFSET(XsFaults, truncateAt) },
        { "oversize", G_STRUCT_OFFSET(XsFaults, oversizeAt) },
    };
    const char *eq = strchr(spec, '=');
    guint64 value;

    for (guint i = 0; eq && i < G_N_ELEMENTS(knobs); i++) {
        if (strlen(knobs[i].name) != (gsize)(eq - spec) ||
            strncmp(spec, knobs[i].name, eq - spec) != 0)
            continue;
        if (!g_ascii_string_to_unsigned(eq + 1, 10, 1, G_MAXUINT, &value, NULL)) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "fault '%s': '%s' is not a positive number", spec, eq + 1);
            return FALSE;
        }
        G_STRUCT_MEMBER(guint, &host->xenstoredFaults, knobs[i].offset) = value;
        return TRUE;
    }
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "unknown xenstored fault '%s' (known: delay=MS, cut-header=N, "
                "truncate=N, oversize=N)", spec);
    return FALSE;
}
