/*
 * xenheaderstest.c: our Xen 4.17 table row against Xen's own public
 * headers (Debian libxen-dev 4.17, <xen/domctl.h>, <xen/sysctl.h>).
 * Compile-time: the interface version numbers and the struct sizes the
 * spec gives are static asserts, so a header that disagrees does not
 * build.  Run-time: every field of every layout the 4.17 row encodes or
 * decodes is compared with offsetof/sizeof of the real member, and every
 * real member we name must be in our layout.  TAP, one line per struct.
 */
#define __XEN_TOOLS__ 1
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/version.h>

#include "xen/hypervisor_abi.h"
#include "testutil.h"

/* What the spec says 4.17 is (§6.2), checked against the headers. */
G_STATIC_ASSERT(XEN_SYSCTL_INTERFACE_VERSION == 0x15);
G_STATIC_ASSERT(XEN_DOMCTL_INTERFACE_VERSION == 0x15);
G_STATIC_ASSERT(sizeof(struct xen_sysctl) == 136);
G_STATIC_ASSERT(sizeof(struct xen_domctl) == 144);
G_STATIC_ASSERT(sizeof(struct xen_domctl_getdomaininfo) == 112);
G_STATIC_ASSERT(sizeof(struct xen_sysctl_physinfo) == 112);
G_STATIC_ASSERT(sizeof(struct xen_sysctl_getdomaininfolist) == 24);
G_STATIC_ASSERT(sizeof(struct xen_domctl_vcpuaffinity) == 40);
G_STATIC_ASSERT(sizeof(struct xen_domctl_getvcpuinfo) == 24);
G_STATIC_ASSERT(sizeof(struct xen_domctl_scheduler_op) == 24);
G_STATIC_ASSERT(offsetof(struct xen_sysctl, u) == 8);
G_STATIC_ASSERT(offsetof(struct xen_domctl, u) == 16);
/* The op numbers hypervisor_abi.c uses. */
G_STATIC_ASSERT(__HYPERVISOR_xen_version == XV_HV_HYPERCALL_XEN_VERSION);
G_STATIC_ASSERT(__HYPERVISOR_sysctl == XV_HV_HYPERCALL_SYSCTL);
G_STATIC_ASSERT(__HYPERVISOR_domctl == XV_HV_HYPERCALL_DOMCTL);
G_STATIC_ASSERT(XENVER_version == XV_HV_XENVER_VERSION);
G_STATIC_ASSERT(XENVER_extraversion == XV_HV_XENVER_EXTRAVERSION);
G_STATIC_ASSERT(sizeof(xen_extraversion_t) == XV_HV_XENVER_EXTRA_LEN);
G_STATIC_ASSERT(XENVER_capabilities == XV_HV_XENVER_CAPABILITIES);
G_STATIC_ASSERT(XENVER_changeset == XV_HV_XENVER_CHANGESET);
G_STATIC_ASSERT(XENVER_commandline == XV_HV_XENVER_COMMANDLINE);

typedef struct {
    xvHvFieldId id;
    size_t off, size;
} RealField;

#define R(id, type, member) {XV_HVF_##id, offsetof(type, member), sizeof(((type *) 0)->member)}

/* Compares layout l with the real fields; both directions. */
static void
check(const char *what, const xvHvLayout *l, size_t realSize, const RealField *real, size_t n)
{
    g_autoptr(GString) why = g_string_new(NULL);
    bool named[XV_HVF_LAST] = {false};
    size_t i;
    int f;

    if (!l) {
        tuResult(false, "4.17 %s: no layout in the table", what);
        return;
    }
    if (l->size != realSize)
        g_string_append_printf(why, "sizeof: table %u, Xen %zu\n", l->size, realSize);
    for (i = 0; i < n; i++) {
        const xvHvField *t = &l->f[real[i].id];
        named[real[i].id] = true;
        if (t->off != real[i].off || t->size != real[i].size)
            g_string_append_printf(why, "%s: table @%u size %u, Xen @%zu size %zu\n",
                                   xvHvFieldName(real[i].id), t->off, t->size, real[i].off,
                                   real[i].size);
    }
    for (f = 0; f < XV_HVF_LAST; f++) {
        if (l->f[f].size && !named[f])
            g_string_append_printf(why, "%s: in the table but not compared with Xen\n",
                                   xvHvFieldName(f));
    }
    tuResult(why->len == 0, "4.17 %s (%s, %zu fields)", what, l->name, n);
    if (why->len)
        tuDiag("%s", why->str);
}

int
main(void)
{
    const xvHvAbi *a = xvHvAbiByName("4.17");
    static const RealField sysctl[] = {
        R(HDR_CMD, struct xen_sysctl, cmd),
        R(HDR_IFACE, struct xen_sysctl, interface_version),
        R(HDR_PAYLOAD, struct xen_sysctl, u),
    };
    static const RealField domctl[] = {
        R(HDR_CMD, struct xen_domctl, cmd),
        R(HDR_IFACE, struct xen_domctl, interface_version),
        R(HDR_DOMAIN, struct xen_domctl, domain),
        R(HDR_PAYLOAD, struct xen_domctl, u),
    };
    static const RealField gdi[] = {
        R(GDI_DOMAIN, struct xen_domctl_getdomaininfo, domain),
        R(GDI_FLAGS, struct xen_domctl_getdomaininfo, flags),
        R(GDI_TOT_PAGES, struct xen_domctl_getdomaininfo, tot_pages),
        R(GDI_MAX_PAGES, struct xen_domctl_getdomaininfo, max_pages),
        R(GDI_OUTSTANDING_PAGES, struct xen_domctl_getdomaininfo, outstanding_pages),
        R(GDI_SHR_PAGES, struct xen_domctl_getdomaininfo, shr_pages),
        R(GDI_PAGED_PAGES, struct xen_domctl_getdomaininfo, paged_pages),
        R(GDI_SHARED_INFO_FRAME, struct xen_domctl_getdomaininfo, shared_info_frame),
        R(GDI_CPU_TIME, struct xen_domctl_getdomaininfo, cpu_time),
        R(GDI_NR_ONLINE_VCPUS, struct xen_domctl_getdomaininfo, nr_online_vcpus),
        R(GDI_MAX_VCPU_ID, struct xen_domctl_getdomaininfo, max_vcpu_id),
        R(GDI_SSIDREF, struct xen_domctl_getdomaininfo, ssidref),
        R(GDI_HANDLE, struct xen_domctl_getdomaininfo, handle),
        R(GDI_CPUPOOL, struct xen_domctl_getdomaininfo, cpupool),
        R(GDI_GPADDR_BITS, struct xen_domctl_getdomaininfo, gpaddr_bits),
        R(GDI_ARCH_CONFIG, struct xen_domctl_getdomaininfo, arch_config.emulation_flags),
    };
    static const RealField gdl[] = {
        R(GDL_FIRST_DOMAIN, struct xen_sysctl_getdomaininfolist, first_domain),
        R(GDL_MAX_DOMAINS, struct xen_sysctl_getdomaininfolist, max_domains),
        R(GDL_BUFFER, struct xen_sysctl_getdomaininfolist, buffer),
        R(GDL_NUM_DOMAINS, struct xen_sysctl_getdomaininfolist, num_domains),
    };
    static const RealField phys[] = {
        R(PHYS_THREADS_PER_CORE, struct xen_sysctl_physinfo, threads_per_core),
        R(PHYS_CORES_PER_SOCKET, struct xen_sysctl_physinfo, cores_per_socket),
        R(PHYS_NR_CPUS, struct xen_sysctl_physinfo, nr_cpus),
        R(PHYS_MAX_CPU_ID, struct xen_sysctl_physinfo, max_cpu_id),
        R(PHYS_NR_NODES, struct xen_sysctl_physinfo, nr_nodes),
        R(PHYS_MAX_NODE_ID, struct xen_sysctl_physinfo, max_node_id),
        R(PHYS_CPU_KHZ, struct xen_sysctl_physinfo, cpu_khz),
        R(PHYS_CAPABILITIES, struct xen_sysctl_physinfo, capabilities),
        R(PHYS_ARCH_CAPABILITIES, struct xen_sysctl_physinfo, arch_capabilities),
        R(PHYS_TOTAL_PAGES, struct xen_sysctl_physinfo, total_pages),
        R(PHYS_FREE_PAGES, struct xen_sysctl_physinfo, free_pages),
        R(PHYS_SCRUB_PAGES, struct xen_sysctl_physinfo, scrub_pages),
        R(PHYS_OUTSTANDING_PAGES, struct xen_sysctl_physinfo, outstanding_pages),
        R(PHYS_MAX_MFN, struct xen_sysctl_physinfo, max_mfn),
        R(PHYS_HW_CAP, struct xen_sysctl_physinfo, hw_cap),
    };
    static const RealField schedid[] = {
        R(SCHEDID_SCHED_ID, struct xen_sysctl_sched_id, sched_id),
    };
    static const RealField aff[] = {
        R(AFF_VCPU, struct xen_domctl_vcpuaffinity, vcpu),
        R(AFF_FLAGS, struct xen_domctl_vcpuaffinity, flags),
        R(AFF_HARD_BITMAP, struct xen_domctl_vcpuaffinity, cpumap_hard.bitmap),
        R(AFF_HARD_NR_BITS, struct xen_domctl_vcpuaffinity, cpumap_hard.nr_bits),
        R(AFF_SOFT_BITMAP, struct xen_domctl_vcpuaffinity, cpumap_soft.bitmap),
        R(AFF_SOFT_NR_BITS, struct xen_domctl_vcpuaffinity, cpumap_soft.nr_bits),
    };
    static const RealField vcpu[] = {
        R(VCPU_VCPU, struct xen_domctl_getvcpuinfo, vcpu),
        R(VCPU_ONLINE, struct xen_domctl_getvcpuinfo, online),
        R(VCPU_BLOCKED, struct xen_domctl_getvcpuinfo, blocked),
        R(VCPU_RUNNING, struct xen_domctl_getvcpuinfo, running),
        R(VCPU_CPU_TIME, struct xen_domctl_getvcpuinfo, cpu_time),
        R(VCPU_CPU, struct xen_domctl_getvcpuinfo, cpu),
    };
    static const RealField mem[] = {
        R(MEM_MAX_MEMKB, struct xen_domctl_max_mem, max_memkb),
    };
    static const RealField maxv[] = {
        R(MAXV_MAX, struct xen_domctl_max_vcpus, max),
    };
    static const RealField sched[] = {
        R(SCHED_SCHED_ID, struct xen_domctl_scheduler_op, sched_id),
        R(SCHED_CMD, struct xen_domctl_scheduler_op, cmd),
        R(SCHED_WEIGHT, struct xen_domctl_scheduler_op, u.credit.weight),
        R(SCHED_CAP, struct xen_domctl_scheduler_op, u.credit.cap),
    };

    if (!a) {
        tuResult(false, "4.17 row present");
        return tuFinish();
    }
    tuResult(a->sysIface == XEN_SYSCTL_INTERFACE_VERSION &&
             a->domIface == XEN_DOMCTL_INTERFACE_VERSION,
             "4.17 interface versions: sysctl 0x%x domctl 0x%x", a->sysIface, a->domIface);
    tuResult(a->xenver == 0x00040011, "4.17 XENVER_version 0x%08x", a->xenver);
    tuResult(xvHvXenVersionBufLen(XENVER_extraversion) == sizeof(xen_extraversion_t) &&
             xvHvXenVersionBufLen(XENVER_capabilities) == sizeof(xen_capabilities_info_t) &&
             xvHvXenVersionBufLen(XENVER_changeset) == sizeof(xen_changeset_info_t) &&
             xvHvXenVersionBufLen(XENVER_commandline) == sizeof(xen_commandline_t),
             "4.17 xen_version string buffer sizes");
#define CHECK(what, layout, type, arr) \
    check(what, layout, sizeof(type), arr, G_N_ELEMENTS(arr))
    CHECK("xen_sysctl", a->header[0], struct xen_sysctl, sysctl);
    CHECK("xen_domctl", a->header[1], struct xen_domctl, domctl);
    CHECK("getdomaininfo", a->payload[XV_HV_PL_GETDOMAININFO], struct xen_domctl_getdomaininfo, gdi);
    CHECK("getdomaininfolist", a->payload[XV_HV_PL_GETDOMAININFOLIST],
          struct xen_sysctl_getdomaininfolist, gdl);
    CHECK("physinfo", a->payload[XV_HV_PL_PHYSINFO], struct xen_sysctl_physinfo, phys);
    CHECK("sched_id", a->payload[XV_HV_PL_SCHED_ID], struct xen_sysctl_sched_id, schedid);
    CHECK("vcpuaffinity", a->payload[XV_HV_PL_VCPUAFFINITY], struct xen_domctl_vcpuaffinity, aff);
    CHECK("getvcpuinfo", a->payload[XV_HV_PL_GETVCPUINFO], struct xen_domctl_getvcpuinfo, vcpu);
    CHECK("max_mem", a->payload[XV_HV_PL_MAX_MEM], struct xen_domctl_max_mem, mem);
    CHECK("max_vcpus", a->payload[XV_HV_PL_MAX_VCPUS], struct xen_domctl_max_vcpus, maxv);
    CHECK("scheduler_op", a->payload[XV_HV_PL_SCHEDULER_OP], struct xen_domctl_scheduler_op, sched);

    /* the op numbers: encode each op and read the cmd back */
    {
        static const struct {
            xvHvOp op;
            guint32 cmd;
        } ops[] = {
            {XV_HV_OP_GETDOMAININFOLIST, XEN_SYSCTL_getdomaininfolist},
            {XV_HV_OP_PHYSINFO, XEN_SYSCTL_physinfo},
            {XV_HV_OP_SCHED_ID, XEN_SYSCTL_sched_id},
            {XV_HV_OP_GETDOMAININFO, XEN_DOMCTL_getdomaininfo},
            {XV_HV_OP_PAUSEDOMAIN, XEN_DOMCTL_pausedomain},
            {XV_HV_OP_UNPAUSEDOMAIN, XEN_DOMCTL_unpausedomain},
            {XV_HV_OP_DESTROYDOMAIN, XEN_DOMCTL_destroydomain},
            {XV_HV_OP_MAX_MEM, XEN_DOMCTL_max_mem},
            {XV_HV_OP_SETVCPUAFFINITY, XEN_DOMCTL_setvcpuaffinity},
            {XV_HV_OP_GETVCPUAFFINITY, XEN_DOMCTL_getvcpuaffinity},
            {XV_HV_OP_GETVCPUINFO, XEN_DOMCTL_getvcpuinfo},
            {XV_HV_OP_MAX_VCPUS, XEN_DOMCTL_max_vcpus},
            {XV_HV_OP_SCHED_CREDIT_GET, XEN_DOMCTL_scheduler_op},
            {XV_HV_OP_SCHED_CREDIT_SET, XEN_DOMCTL_scheduler_op},
        };
        static const guint8 map[1] = {1};
        xvHvParams p = {.count = 1, .cpumap = map, .cpumapLen = 1, .value = 1};
        size_t i;

        G_STATIC_ASSERT(G_N_ELEMENTS(ops) == XV_HV_OP_LAST);
        for (i = 0; i < G_N_ELEMENTS(ops); i++) {
            xvHvCall call;
            g_autofree char *err = NULL;
            bool ok;
            guint32 cmd = 0;

            xvHvCallInit(&call);
            ok = xvHvEncode(a, ops[i].op, 1, &p, &call, &err) == 0;
            if (ok)
                memcpy(&cmd, call.arena->data, 4);
            tuResult(ok && cmd == ops[i].cmd, "4.17 %s: cmd %u (Xen %u)", xvHvOpName(ops[i].op),
                     cmd, ops[i].cmd);
            xvHvCallClear(&call);
        }
        tuResult(XEN_DOMCTL_SCHEDOP_getinfo == 1 && XEN_DOMCTL_SCHEDOP_putinfo == 0 &&
                 XEN_VCPUAFFINITY_HARD == 1 && XEN_SCHEDULER_CREDIT == 5,
                 "4.17 scheduler_op / affinity constants");
        /* the flags word bits we decode */
        tuResult(a->flags->dying == _XEN_DOMINF_dying && a->flags->hvm == _XEN_DOMINF_hvm_guest &&
                 a->flags->shutdown == _XEN_DOMINF_shutdown &&
                 a->flags->paused == _XEN_DOMINF_paused &&
                 a->flags->blocked == _XEN_DOMINF_blocked &&
                 a->flags->running == _XEN_DOMINF_running &&
                 a->flags->shutdownShift == XEN_DOMINF_shutdownshift && a->flags->cpuShift < 0,
                 "4.17 getdomaininfo flag bits");
    }
    return tuFinish();
}
