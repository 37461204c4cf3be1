/*
 * xen_host.c: the Xen host as the driver reports it: the hypervisor version, node
 * information and free memory (physinfo hypercall) and the capabilities
 * document built from XENVER_capabilities.  Hypercall channel only.
 */
#define XV_FROM VIR_FROM_XEN
#include "xen/xen_driver_priv.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#include "conf/capabilities.h"

int
xenConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    xenPriv *p = PRIV(conn);
    guint major, minor;
    const char *extra;

    if (!p->hv)
        return xenNoChannel(p, "the Xen version", "the hypercall channel");
    xvHvGetVersion(p->hv, &major, &minor, &extra);
    *hvVer = major * 1000000UL + minor * 1000UL +
             (extra && extra[0] == '.' ? strtoul(extra + 1, NULL, 10) : 0);
    return 0;
}

char *
xenConnectGetHostname(virConnectPtr conn)
{
    return g_strdup(g_get_host_name());
}

int
xenConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    if (type && g_ascii_strcasecmp(type, "xen") != 0) {
        xvReportError(VIR_ERR_INVALID_ARG, "unknown domain type '%s'", type);
        return -1;
    }
    return XEN_MAX_VCPUS;
}

static int
xenNodeGetInfoLocked(xenPriv *p, virNodeInfoPtr info)
{
    xvHvPhysInfo phys;

    if (!p->hv)
        return xenNoChannel(p, "node information", "the hypercall channel");
    if (xvHvGetPhysInfo(p->hv, &phys) < 0)
        return -1;
    g_strlcpy(info->model, "x86_64", sizeof(info->model));
    info->memory = (unsigned long)(phys.totalPages * XEN_PAGE_KIB);
    info->cpus = phys.nrCpus;
    info->mhz = phys.cpuKhz / 1000;
    info->nodes = phys.nrNodes ? phys.nrNodes : 1;
    info->threads = phys.threadsPerCore ? phys.threadsPerCore : 1;
    info->cores = phys.coresPerSocket ? phys.coresPerSocket : 1;
    info->sockets = info->cpus / (info->nodes * info->cores * info->threads);
    if (info->sockets == 0)
        info->sockets = 1;
    return 0;
}

int
xenNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    xenPriv *p = PRIV(conn);
    int rc;
    xenLock(p);
    rc = xenNodeGetInfoLocked(p, info);
    xenUnlock(p);
    return rc;
}

char *
xenConnectGetCapabilities(virConnectPtr conn)
{
    xenPriv *p = PRIV(conn);
    virNodeInfo node = {{0}};
    g_autofree char *hvcaps = NULL;
    g_autoptr(GArray) guests = g_array_new(FALSE, TRUE, sizeof(xvCapsGuest));
    g_auto(GStrv) words = NULL;
    xvCaps caps = {.arch = "x86_64"};
    char *ret = NULL;

    xenLock(p);
    if (xenNodeGetInfoLocked(p, &node) < 0)
        goto out;
    hvcaps = xvHvGetCapabilities(p->hv);
    words = g_strsplit(hvcaps ? hvcaps : "", " ", -1);
    for (size_t i = 0; words[i]; i++) {
        /* "xen-3.0-x86_64", "xen-3.0-x86_32p", "hvm-3.0-x86_32", ... */
        xvCapsGuest g = {.domain_type = "xen"};
        bool hvm = g_str_has_prefix(words[i], "hvm-");
        if (!hvm && !g_str_has_prefix(words[i], "xen-"))
            continue;
        g.os_type = hvm ? "hvm" : "xen";
        g.arch = g_str_has_suffix(words[i], "x86_64") ? "x86_64" : "i686";
        g.wordsize = strcmp(g.arch, "x86_64") == 0 ? 64 : 32;
        g.pae = g_str_has_suffix(words[i], "p") || hvm;
        g.nonpae = hvm && strcmp(g.arch, "i686") == 0;
        g.acpi = g.apic = hvm;
        if (hvm)
            g.loader = "/usr/lib/xen/boot/hvmloader";
        g_array_append_val(guests, g);
    }
    caps.memory_kib = node.memory;
    caps.nodes = node.nodes;
    caps.sockets = node.sockets;
    caps.cores = node.cores;
    caps.threads = node.threads;
    caps.guests = (const xvCapsGuest *)guests->data;
    caps.nguests = guests->len;
    ret = xvCapsFormat(&caps);
 out:
    xenUnlock(p);
    return ret;
}

unsigned long long
xenNodeGetFreeMemory(virConnectPtr conn)
{
    xenPriv *p = PRIV(conn);
    xvHvPhysInfo phys;
    unsigned long long ret = 0;

    xenLock(p);
    if (!p->hv)
        xenNoChannel(p, "free memory", "the hypercall channel");
    else if (xvHvGetPhysInfo(p->hv, &phys) == 0)
        ret = phys.freePages * XEN_PAGE_KIB * 1024ULL;
    xenUnlock(p);
    return ret;
}
