/*
 * xc_column.c: the libxenctrl columns of the in-dom0 GetInfo benchmark --
 * Xen's own library (Debian libxen-dev 4.17, pkg-config xencontrol) doing
 * the same query: xc_domain_getinfo (one domctl getdomaininfo, through
 * libxencall's hypercall buffers) and xc_domain_getinfolist (one sysctl
 * getdomaininfolist) -- and libxenstore's xs_read, to show what the one
 * xenstore read inside virDomainGetInfo of a guest costs by itself.  Kept
 * in its own file so that Xen's public headers meet our hand-written
 * layout (bare_domctl.h) only here, where every offset of it is checked
 * against them at compile time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>
#include <xenstore.h>

#include "bare_domctl.h"

/* Our layout must be Xen 4.17's, field for field. */
#define SAME_OFFSET(ours, theirs) \
    _Static_assert(offsetof(HvbGetDomainInfo, ours) == \
                   offsetof(struct xen_domctl_getdomaininfo, theirs), #ours " matches Xen")
SAME_OFFSET(domain, domain);
SAME_OFFSET(flags, flags);
SAME_OFFSET(tot_pages, tot_pages);
SAME_OFFSET(max_pages, max_pages);
SAME_OFFSET(outstanding_pages, outstanding_pages);
SAME_OFFSET(shr_pages, shr_pages);
SAME_OFFSET(paged_pages, paged_pages);
SAME_OFFSET(shared_info_frame, shared_info_frame);
SAME_OFFSET(cpu_time, cpu_time);
SAME_OFFSET(nr_online_vcpus, nr_online_vcpus);
SAME_OFFSET(max_vcpu_id, max_vcpu_id);
SAME_OFFSET(ssidref, ssidref);
SAME_OFFSET(handle, handle);
SAME_OFFSET(cpupool, cpupool);
SAME_OFFSET(gpaddr_bits, gpaddr_bits);
SAME_OFFSET(emulation_flags, arch_config);
_Static_assert(sizeof(HvbGetDomainInfo) == sizeof(struct xen_domctl_getdomaininfo),
               "getdomaininfo size matches Xen");
_Static_assert(sizeof(HvbDomctl) == sizeof(struct xen_domctl), "xen_domctl size matches Xen");
_Static_assert(offsetof(HvbDomctl, u) == offsetof(struct xen_domctl, u), "union offset matches");
_Static_assert(HVB_DOMCTL_IFACE_417 == XEN_DOMCTL_INTERFACE_VERSION, "domctl interface 0x15");
_Static_assert(HVB_DOMCTL_GETDOMAININFO == XEN_DOMCTL_getdomaininfo, "getdomaininfo is cmd 5");
_Static_assert(HVB_HYPERCALL_DOMCTL == __HYPERVISOR_domctl, "domctl is hypercall 36");
_Static_assert(HVB_DOMINF_DYING == XEN_DOMINF_dying && HVB_DOMINF_SHUTDOWN == XEN_DOMINF_shutdown &&
               HVB_DOMINF_PAUSED == XEN_DOMINF_paused && HVB_DOMINF_BLOCKED == XEN_DOMINF_blocked &&
               HVB_DOMINF_RUNNING == XEN_DOMINF_running, "flag bits match Xen");

struct HvbXc {
    xc_interface *xch;
};

HvbXc *
hvbXcOpen(void)
{
    HvbXc *xc = calloc(1, sizeof(*xc));

    if (!xc)
        return NULL;
    /* no logger: failures come back as -1/errno and are reported by the caller */
    if (!(xc->xch = xc_interface_open(NULL, NULL, 0))) {
        int e = errno;
        free(xc);
        errno = e ? e : ENOENT;
        return NULL;
    }
    return xc;
}

void
hvbXcClose(HvbXc *xc)
{
    if (!xc)
        return;
    xc_interface_close(xc->xch);
    free(xc);
}

int
hvbXcGetInfo(HvbXc *xc, uint32_t domid, HvbInfo *out)
{
    xc_dominfo_t info;

    if (xc_domain_getinfo(xc->xch, domid, 1, &info) != 1)
        return -1;
    out->domid = info.domid;
    out->flags = (info.dying ? HVB_DOMINF_DYING : 0) |
                 (info.shutdown || info.crashed ? HVB_DOMINF_SHUTDOWN : 0) |
                 (info.paused ? HVB_DOMINF_PAUSED : 0) | (info.blocked ? HVB_DOMINF_BLOCKED : 0) |
                 (info.running ? HVB_DOMINF_RUNNING : 0);
    out->tot_pages = info.nr_pages;
    out->max_kib = info.max_memkb;
    out->cpu_time = info.cpu_time;
    out->nr_online_vcpus = info.nr_online_vcpus;
    memcpy(out->handle, info.handle, 16);
    return 0;
}

int
hvbXcGetInfoList(HvbXc *xc, uint32_t domid, HvbInfo *out)
{
    xc_domaininfo_t info;

    if (xc_domain_getinfolist(xc->xch, domid, 1, &info) != 1)
        return -1;
    out->domid = info.domain;
    out->flags = info.flags;
    out->tot_pages = info.tot_pages;
    out->max_kib = info.max_pages * 4;
    out->cpu_time = info.cpu_time;
    out->nr_online_vcpus = info.nr_online_vcpus;
    memcpy(out->handle, info.handle, 16);
    return 0;
}

struct HvbXs {
    struct xs_handle *xsh;
};

HvbXs *
hvbXsOpen(void)
{
    HvbXs *xs = calloc(1, sizeof(*xs));

    if (!xs)
        return NULL;
    if (!(xs->xsh = xs_open(0))) {
        int e = errno;
        free(xs);
        errno = e ? e : ENOENT;
        return NULL;
    }
    return xs;
}

void
hvbXsClose(HvbXs *xs)
{
    if (!xs)
        return;
    xs_close(xs->xsh);
    free(xs);
}

int
hvbXsReadULL(HvbXs *xs, const char *path, unsigned long long *out)
{
    unsigned int len = 0;
    char *v = xs_read(xs->xsh, XBT_NULL, path, &len);
    char *end = NULL;

    if (!v)
        return -1;
    errno = 0;
    *out = strtoull(v, &end, 10);
    if (errno || end == v || *end) {
        free(v);
        errno = EINVAL;
        return -1;
    }
    free(v);
    return 0;
}
