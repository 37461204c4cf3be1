/*
 * hypervisor_abi.c: the tables behind hypervisor_abi.h and the one
 * encoder/decoder that reads them.  Every offset here is transcribed from
 * ../shared/spec/hypercall.md (section numbers in the comments); the 4.17
 * row is checked against Xen's own headers by tests/hypervisor/layouttest,
 * the older rows against the spec's tables by the same program.  No I/O.
 */
#include "xen/hypervisor_abi.h"

#include <errno.h>
#include <string.h>

#include "xenvirt/xenvirt.h"

#define F(id, o, s) [XV_HVF_##id] = {(o), (s)}

static const char *const fieldNames[] = {
#define XV_HV_FIELD_NAME(id, name) name,
    XV_HV_FIELDS(XV_HV_FIELD_NAME)
#undef XV_HV_FIELD_NAME
};
G_STATIC_ASSERT(G_N_ELEMENTS(fieldNames) == XV_HVF_LAST);

const char *
xvHvFieldName(xvHvFieldId f)
{
    return f < XV_HVF_LAST ? fieldNames[f] : "?";
}

/* ---- op headers (§4.2, §5.1, §7.2) --------------------------------------- */

static const xvHvLayout hdrDom0Op = {"dom0_op", 136, {
    F(HDR_CMD, 0, 4), F(HDR_IFACE, 4, 4), F(HDR_PAYLOAD, 8, 128)}};
static const xvHvLayout hdrSysctl = {"xen_sysctl", 136, {
    F(HDR_CMD, 0, 4), F(HDR_IFACE, 4, 4), F(HDR_PAYLOAD, 8, 128)}};
static const xvHvLayout hdrDomctl = {"xen_domctl", 144, {
    F(HDR_CMD, 0, 4), F(HDR_IFACE, 4, 4), F(HDR_DOMAIN, 8, 2), F(HDR_PAYLOAD, 16, 128)}};

/* ---- getdomaininfo entries (§5.4, §7.3; x86_64) -------------------------- */

#define GDI_D3_FIELDS \
    F(GDI_DOMAIN, 0, 2), F(GDI_FLAGS, 4, 4), F(GDI_TOT_PAGES, 8, 8), F(GDI_MAX_PAGES, 16, 8), \
    F(GDI_SHARED_INFO_FRAME, 24, 8), F(GDI_CPU_TIME, 32, 8), F(GDI_NR_ONLINE_VCPUS, 40, 4), \
    F(GDI_MAX_VCPU_ID, 44, 4), F(GDI_SSIDREF, 48, 4), F(GDI_HANDLE, 52, 16)
static const xvHvLayout gdiDom0 = {"getdomaininfo dom0_op", 72, {GDI_D3_FIELDS}};
static const xvHvLayout gdiD3 = {"getdomaininfo d3", 72, {GDI_D3_FIELDS}};
static const xvHvLayout gdiD5 = {"getdomaininfo d5", 72, {GDI_D3_FIELDS}};

#define GDI_D6_FIELDS \
    F(GDI_DOMAIN, 0, 2), F(GDI_FLAGS, 4, 4), F(GDI_TOT_PAGES, 8, 8), F(GDI_MAX_PAGES, 16, 8), \
    F(GDI_SHR_PAGES, 24, 8), F(GDI_SHARED_INFO_FRAME, 32, 8), F(GDI_CPU_TIME, 40, 8), \
    F(GDI_NR_ONLINE_VCPUS, 48, 4), F(GDI_MAX_VCPU_ID, 52, 4), F(GDI_SSIDREF, 56, 4), \
    F(GDI_HANDLE, 60, 16)
static const xvHvLayout gdiD6 = {"getdomaininfo d6", 80, {GDI_D6_FIELDS}};
static const xvHvLayout gdiD7 = {"getdomaininfo d7", 80, {GDI_D6_FIELDS, F(GDI_CPUPOOL, 76, 4)}};

static const xvHvLayout gdiD8 = {"getdomaininfo d8", 88, {
    F(GDI_DOMAIN, 0, 2), F(GDI_FLAGS, 4, 4), F(GDI_TOT_PAGES, 8, 8), F(GDI_MAX_PAGES, 16, 8),
    F(GDI_SHR_PAGES, 24, 8), F(GDI_PAGED_PAGES, 32, 8), F(GDI_SHARED_INFO_FRAME, 40, 8),
    F(GDI_CPU_TIME, 48, 8), F(GDI_NR_ONLINE_VCPUS, 56, 4), F(GDI_MAX_VCPU_ID, 60, 4),
    F(GDI_SSIDREF, 64, 4), F(GDI_HANDLE, 68, 16), F(GDI_CPUPOOL, 84, 4)}};

#define GDI_D9_FIELDS \
    F(GDI_DOMAIN, 0, 2), F(GDI_FLAGS, 4, 4), F(GDI_TOT_PAGES, 8, 8), F(GDI_MAX_PAGES, 16, 8), \
    F(GDI_OUTSTANDING_PAGES, 24, 8), F(GDI_SHR_PAGES, 32, 8), F(GDI_PAGED_PAGES, 40, 8), \
    F(GDI_SHARED_INFO_FRAME, 48, 8), F(GDI_CPU_TIME, 56, 8), F(GDI_NR_ONLINE_VCPUS, 64, 4), \
    F(GDI_MAX_VCPU_ID, 68, 4), F(GDI_SSIDREF, 72, 4), F(GDI_HANDLE, 76, 16), F(GDI_CPUPOOL, 92, 4)
static const xvHvLayout gdiD9 = {"getdomaininfo d9", 96, {GDI_D9_FIELDS}};
/* arch_config: x86 emulation_flags (u32; misc_flags follows from 4.15). */
static const xvHvLayout gdiD0f = {"getdomaininfo d0xf", 104, {
    GDI_D9_FIELDS, F(GDI_ARCH_CONFIG, 96, 4)}};
static const xvHvLayout gdiD14 = {"getdomaininfo d0x14", 112, {
    GDI_D9_FIELDS, F(GDI_GPADDR_BITS, 96, 1), F(GDI_ARCH_CONFIG, 104, 4)}};

/* ---- getdomaininfolist (§4.4, §7.2 cmd 38) ------------------------------- */

static const xvHvLayout gdlSysctl = {"getdomaininfolist", 24, {
    F(GDL_FIRST_DOMAIN, 0, 2), F(GDL_MAX_DOMAINS, 4, 4), F(GDL_BUFFER, 8, 8),
    F(GDL_NUM_DOMAINS, 16, 4)}};
static const xvHvLayout gdlDom0 = {"getdomaininfolist dom0_op", 24, {
    F(GDL_FIRST_DOMAIN, 0, 2), F(GDL_MAX_DOMAINS, 4, 4), F(GDL_BUFFER, 8, 8),
    F(GDL_NUM_DOMAINS, 16, 4)}};

/* ---- physinfo (§4.5 layouts A-J, §7.4) ----------------------------------- */

#define PHYS_OLD_COMMON \
    F(PHYS_THREADS_PER_CORE, 0, 4), F(PHYS_CORES_PER_SOCKET, 4, 4), F(PHYS_CPU_KHZ, 16, 4), \
    F(PHYS_TOTAL_PAGES, 24, 8), F(PHYS_FREE_PAGES, 32, 8)
static const xvHvLayout physDom0 = {"physinfo dom0_op", 72, {
    PHYS_OLD_COMMON, F(PHYS_SOCKETS_PER_NODE, 8, 4), F(PHYS_NR_NODES, 12, 4),
    F(PHYS_HW_CAP, 40, 32)}};
#define PHYS_3X_COMMON PHYS_OLD_COMMON, F(PHYS_SCRUB_PAGES, 40, 8), F(PHYS_HW_CAP, 48, 32)
static const xvHvLayout physA = {"physinfo A (sys 2)", 80, {
    PHYS_3X_COMMON, F(PHYS_SOCKETS_PER_NODE, 8, 4), F(PHYS_NR_NODES, 12, 4)}};
static const xvHvLayout physB = {"physinfo B (sys 3)", 80, {
    PHYS_3X_COMMON, F(PHYS_SOCKETS_PER_NODE, 8, 4), F(PHYS_NR_NODES, 12, 4)}};
static const xvHvLayout physC = {"physinfo C (sys 4)", 96, {
    PHYS_3X_COMMON, F(PHYS_SOCKETS_PER_NODE, 8, 4), F(PHYS_NR_NODES, 12, 4),
    F(PHYS_MAX_CPU_ID, 80, 4), F(PHYS_CPU_TO_NODE, 88, 8)}};
static const xvHvLayout physD = {"physinfo D (sys 5/6, 3.2)", 96, {
    PHYS_3X_COMMON, F(PHYS_NR_CPUS, 8, 4), F(PHYS_NR_NODES, 12, 4),
    F(PHYS_MAX_CPU_ID, 80, 4), F(PHYS_CPU_TO_NODE, 88, 8)}};
static const xvHvLayout physE = {"physinfo E (sys 6, 3.3-3.4)", 104, {
    PHYS_3X_COMMON, F(PHYS_NR_CPUS, 8, 4), F(PHYS_NR_NODES, 12, 4),
    F(PHYS_MAX_CPU_ID, 80, 4), F(PHYS_CPU_TO_NODE, 88, 8), F(PHYS_CAPABILITIES, 96, 4)}};
static const xvHvLayout physF = {"physinfo F (sys 7)", 104, {
    PHYS_3X_COMMON, F(PHYS_NR_CPUS, 8, 4), F(PHYS_MAX_NODE_ID, 12, 4),
    F(PHYS_MAX_CPU_ID, 80, 4), F(PHYS_CPU_TO_NODE, 88, 8), F(PHYS_CAPABILITIES, 96, 4)}};
#define PHYS_41_COMMON \
    F(PHYS_THREADS_PER_CORE, 0, 4), F(PHYS_CORES_PER_SOCKET, 4, 4), F(PHYS_NR_CPUS, 8, 4), \
    F(PHYS_MAX_CPU_ID, 12, 4), F(PHYS_NR_NODES, 16, 4), F(PHYS_MAX_NODE_ID, 20, 4), \
    F(PHYS_CPU_KHZ, 24, 4)
static const xvHvLayout physG = {"physinfo G (sys 8-9)", 96, {
    PHYS_41_COMMON, F(PHYS_CAPABILITIES, 88, 4), F(PHYS_TOTAL_PAGES, 32, 8),
    F(PHYS_FREE_PAGES, 40, 8), F(PHYS_SCRUB_PAGES, 48, 8), F(PHYS_HW_CAP, 56, 32)}};
static const xvHvLayout physH = {"physinfo H (sys 0xa-0xf)", 104, {
    PHYS_41_COMMON, F(PHYS_CAPABILITIES, 96, 4), F(PHYS_TOTAL_PAGES, 32, 8),
    F(PHYS_FREE_PAGES, 40, 8), F(PHYS_SCRUB_PAGES, 48, 8), F(PHYS_OUTSTANDING_PAGES, 56, 8),
    F(PHYS_HW_CAP, 64, 32)}};
static const xvHvLayout physI = {"physinfo I (sys 0x10-0x14)", 104, {
    PHYS_41_COMMON, F(PHYS_CAPABILITIES, 28, 4), F(PHYS_TOTAL_PAGES, 32, 8),
    F(PHYS_FREE_PAGES, 40, 8), F(PHYS_SCRUB_PAGES, 48, 8), F(PHYS_OUTSTANDING_PAGES, 56, 8),
    F(PHYS_MAX_MFN, 64, 8), F(PHYS_HW_CAP, 72, 32)}};
static const xvHvLayout physJ = {"physinfo J (sys 0x15)", 112, {
    PHYS_41_COMMON, F(PHYS_CAPABILITIES, 28, 4), F(PHYS_ARCH_CAPABILITIES, 32, 4),
    F(PHYS_TOTAL_PAGES, 40, 8), F(PHYS_FREE_PAGES, 48, 8), F(PHYS_SCRUB_PAGES, 56, 8),
    F(PHYS_OUTSTANDING_PAGES, 64, 8), F(PHYS_MAX_MFN, 72, 8), F(PHYS_HW_CAP, 80, 32)}};

/* ---- small payloads ------------------------------------------------------ */

static const xvHvLayout schedIdAll = {"sched_id", 4, {F(SCHEDID_SCHED_ID, 0, 4)}};
static const xvHvLayout domidDom0 = {"domain dom0_op", 2, {F(D0_DOMAIN, 0, 2)}};

/* §5.7: one cpumap until domctl 9, hard + soft from 0xa; dom0_op inline u64. */
static const xvHvLayout affOld = {"vcpuaffinity d3-d9", 24, {
    F(AFF_VCPU, 0, 4), F(AFF_HARD_BITMAP, 8, 8), F(AFF_HARD_NR_BITS, 16, 4)}};
static const xvHvLayout affNew = {"vcpuaffinity d0xa+", 40, {
    F(AFF_VCPU, 0, 4), F(AFF_FLAGS, 4, 4), F(AFF_HARD_BITMAP, 8, 8), F(AFF_HARD_NR_BITS, 16, 4),
    F(AFF_SOFT_BITMAP, 24, 8), F(AFF_SOFT_NR_BITS, 32, 4)}};
static const xvHvLayout affDom0 = {"setvcpuaffinity dom0_op", 16, {
    F(D0_DOMAIN, 0, 2), F(AFF_VCPU, 4, 4), F(AFF_INLINE_MAP, 8, 8)}};

/* §5.8, §7.2 cmd 43 */
static const xvHvLayout vcpuDomctl = {"getvcpuinfo", 24, {
    F(VCPU_VCPU, 0, 4), F(VCPU_ONLINE, 4, 1), F(VCPU_BLOCKED, 5, 1), F(VCPU_RUNNING, 6, 1),
    F(VCPU_CPU_TIME, 8, 8), F(VCPU_CPU, 16, 4)}};
static const xvHvLayout vcpuDom0 = {"getvcpuinfo dom0_op", 40, {
    F(D0_DOMAIN, 0, 2), F(VCPU_VCPU, 4, 4), F(VCPU_ONLINE, 8, 1), F(VCPU_BLOCKED, 9, 1),
    F(VCPU_RUNNING, 10, 1), F(VCPU_CPU_TIME, 16, 8), F(VCPU_CPU, 24, 4), F(VCPU_CPUMAP, 32, 8)}};

static const xvHvLayout memDomctl = {"max_mem", 8, {F(MEM_MAX_MEMKB, 0, 8)}};
static const xvHvLayout memDom0 = {"setdomainmaxmem dom0_op", 16, {
    F(D0_DOMAIN, 0, 2), F(MEM_MAX_MEMKB, 8, 8)}};
static const xvHvLayout maxvDomctl = {"max_vcpus", 4, {F(MAXV_MAX, 0, 4)}};
static const xvHvLayout maxvDom0 = {"max_vcpus dom0_op", 8, {F(D0_DOMAIN, 0, 2), F(MAXV_MAX, 4, 4)}};

/* §5.9: the credit offsets never moved; the size did (SEDF, per-vCPU ops). */
#define SCHED_FIELDS \
    F(SCHED_SCHED_ID, 0, 4), F(SCHED_CMD, 4, 4), F(SCHED_WEIGHT, 8, 2), F(SCHED_CAP, 10, 2)
static const xvHvLayout schedSedf = {"scheduler_op (with sedf)", 40, {SCHED_FIELDS}};
static const xvHvLayout sched46 = {"scheduler_op 4.6", 16, {SCHED_FIELDS}};
static const xvHvLayout sched47 = {"scheduler_op 4.7+", 24, {SCHED_FIELDS}};

/* ---- flags words (§5.5, §7.3) -------------------------------------------- */

static const xvHvFlagBits flagsNoHvm = {0, -1, 2, 3, 4, 5, 8, 16};   /* dom0_op, d3 */
static const xvHvFlagBits flagsHvmCpu = {0, 1, 2, 3, 4, 5, 8, 16};   /* d4-d5 (3.0.4-3.4) */
static const xvHvFlagBits flagsHvm = {0, 1, 2, 3, 4, 5, -1, 16};     /* 4.0+ */

/* ---- the table (§4.1, §7.1), newest first -------------------------------- */

#define PL_DOM0(gdi_, phys_) \
    .header = {&hdrDom0Op, &hdrDom0Op}, \
    .payload = { \
        [XV_HV_PL_DOMID] = &domidDom0, [XV_HV_PL_GETDOMAININFO] = (gdi_), \
        [XV_HV_PL_GETDOMAININFOLIST] = &gdlDom0, [XV_HV_PL_PHYSINFO] = (phys_), \
        [XV_HV_PL_SCHED_ID] = &schedIdAll, [XV_HV_PL_VCPUAFFINITY] = &affDom0, \
        [XV_HV_PL_GETVCPUINFO] = &vcpuDom0, [XV_HV_PL_MAX_MEM] = &memDom0, \
        [XV_HV_PL_MAX_VCPUS] = &maxvDom0 }, \
    .flags = &flagsNoHvm

#define PL_CTL(gdi_, phys_, aff_, sched_, flags_) \
    .header = {&hdrSysctl, &hdrDomctl}, \
    .payload = { \
        [XV_HV_PL_GETDOMAININFO] = (gdi_), [XV_HV_PL_GETDOMAININFOLIST] = &gdlSysctl, \
        [XV_HV_PL_PHYSINFO] = (phys_), [XV_HV_PL_SCHED_ID] = &schedIdAll, \
        [XV_HV_PL_VCPUAFFINITY] = (aff_), [XV_HV_PL_GETVCPUINFO] = &vcpuDomctl, \
        [XV_HV_PL_MAX_MEM] = &memDomctl, [XV_HV_PL_MAX_VCPUS] = &maxvDomctl, \
        [XV_HV_PL_SCHEDULER_OP] = (sched_) }, \
    .flags = (flags_)

#define ROW(name_, xenver_, sys_, dom_, counted_, ...) \
    {.name = (name_), .xenver = (xenver_), .sysIface = (sys_), .domIface = (dom_), \
     .pauseCounted = (counted_), __VA_ARGS__}

static const xvHvAbi abiTable[] = {
    ROW("4.17", 0x00040011, 0x15, 0x15, true, PL_CTL(&gdiD14, &physJ, &affNew, &sched47, &flagsHvm)),
    ROW("4.16", 0x00040010, 0x14, 0x14, true, PL_CTL(&gdiD14, &physI, &affNew, &sched47, &flagsHvm)),
    ROW("4.15", 0x0004000f, 0x13, 0x13, true, PL_CTL(&gdiD0f, &physI, &affNew, &sched47, &flagsHvm)),
    ROW("4.14", 0x0004000e, 0x13, 0x12, true, PL_CTL(&gdiD0f, &physI, &affNew, &sched47, &flagsHvm)),
    ROW("4.13", 0x0004000d, 0x12, 0x12, true, PL_CTL(&gdiD0f, &physI, &affNew, &sched47, &flagsHvm)),
    ROW("4.12", 0x0004000c, 0x12, 0x11, true, PL_CTL(&gdiD0f, &physI, &affNew, &sched47, &flagsHvm)),
    ROW("4.11", 0x0004000b, 0x11, 0x10, true, PL_CTL(&gdiD0f, &physI, &affNew, &sched47, &flagsHvm)),
    ROW("4.10.1", 0x0004000a, 0x10, 0x0f, true, PL_CTL(&gdiD0f, &physI, &affNew, &sched47, &flagsHvm)),
    ROW("4.10.0", 0x0004000a, 0x10, 0x0e, true, PL_CTL(&gdiD9, &physI, &affNew, &sched47, &flagsHvm)),
    ROW("4.9", 0x00040009, 0x0f, 0x0d, true, PL_CTL(&gdiD9, &physH, &affNew, &sched47, &flagsHvm)),
    ROW("4.8", 0x00040008, 0x0e, 0x0c, true, PL_CTL(&gdiD9, &physH, &affNew, &sched47, &flagsHvm)),
    ROW("4.7", 0x00040007, 0x0d, 0x0b, true, PL_CTL(&gdiD9, &physH, &affNew, &sched47, &flagsHvm)),
    ROW("4.6", 0x00040006, 0x0c, 0x0b, true, PL_CTL(&gdiD9, &physH, &affNew, &sched46, &flagsHvm)),
    ROW("4.5", 0x00040005, 0x0b, 0x0a, true, PL_CTL(&gdiD9, &physH, &affNew, &schedSedf, &flagsHvm)),
    ROW("4.4", 0x00040004, 0x0a, 0x09, false, PL_CTL(&gdiD9, &physH, &affOld, &schedSedf, &flagsHvm)),
    ROW("4.3", 0x00040003, 0x0a, 0x09, false, PL_CTL(&gdiD9, &physH, &affOld, &schedSedf, &flagsHvm)),
    ROW("4.2", 0x00040002, 0x09, 0x08, false, PL_CTL(&gdiD8, &physG, &affOld, &schedSedf, &flagsHvm)),
    ROW("4.1", 0x00040001, 0x08, 0x07, false, PL_CTL(&gdiD7, &physG, &affOld, &schedSedf, &flagsHvm)),
    ROW("4.0", 0x00040000, 0x07, 0x06, false, PL_CTL(&gdiD6, &physF, &affOld, &schedSedf, &flagsHvm)),
    ROW("3.4", 0x00030004, 0x06, 0x05, false, PL_CTL(&gdiD5, &physE, &affOld, &schedSedf, &flagsHvmCpu)),
    ROW("3.3", 0x00030003, 0x06, 0x05, false, PL_CTL(&gdiD5, &physE, &affOld, &schedSedf, &flagsHvmCpu)),
    ROW("3.2", 0x00030002, 0x06, 0x05, false, PL_CTL(&gdiD5, &physD, &affOld, &schedSedf, &flagsHvmCpu)),
    /* xen-unstable of late 2007 as shipped by distributions (libvirt's
     * "Fedora 8" pair is sys 4 / dom 5); they report a 3.1 XENVER. */
    ROW("unstable-sys5", 0x00030001, 0x05, 0x05, false, PL_CTL(&gdiD5, &physD, &affOld, &schedSedf, &flagsHvmCpu)),
    ROW("unstable-sys4", 0x00030001, 0x04, 0x05, false, PL_CTL(&gdiD5, &physC, &affOld, &schedSedf, &flagsHvmCpu)),
    ROW("3.1", 0x00030001, 0x03, 0x05, false, PL_CTL(&gdiD5, &physB, &affOld, &schedSedf, &flagsHvmCpu)),
    ROW("3.0.4", 0x00030000, 0x02, 0x04, false, PL_CTL(&gdiD3, &physA, &affOld, &schedSedf, &flagsHvmCpu)),
    ROW("3.0.3", 0x00030000, 0x02, 0x03, false, PL_CTL(&gdiD3, &physA, &affOld, &schedSedf, &flagsNoHvm)),
    /* dom0_op: both "interfaces" are DOM0_INTERFACE_VERSION.  The two
     * unstable values of mid-2006 have the 3.0.2 layouts on x86_64. */
    ROW("unstable-dom0-tools", 0x00030000, 0x13000001, 0x13000001, false, .dom0op = true,
        PL_DOM0(&gdiDom0, &physDom0)),
    ROW("unstable-dom0", 0x00030000, 0x03000001, 0x03000001, false, .dom0op = true,
        PL_DOM0(&gdiDom0, &physDom0)),
    ROW("3.0.2", 0x00030000, 0x03000000, 0x03000000, false, .dom0op = true,
        PL_DOM0(&gdiDom0, &physDom0)),
};

const xvHvAbi *
xvHvAbiTable(size_t *n)
{
    *n = G_N_ELEMENTS(abiTable);
    return abiTable;
}

const xvHvAbi *
xvHvAbiByName(const char *name)
{
    size_t i;
    for (i = 0; i < G_N_ELEMENTS(abiTable); i++) {
        if (strcmp(abiTable[i].name, name) == 0)
            return &abiTable[i];
    }
    return NULL;
}

const xvHvAbi *
xvHvAbiByIfaces(bool dom0op, guint32 sysIface, guint32 domIface, guint32 xenver)
{
    const xvHvAbi *found = NULL;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(abiTable); i++) {
        const xvHvAbi *a = &abiTable[i];
        if (a->dom0op != dom0op || a->sysIface != sysIface || a->domIface != domIface)
            continue;
        if (a->xenver == xenver)
            return a;
        if (!found)
            found = a;
    }
    return found;
}

void
xvHvAbiProbeOrder(guint32 xenver, int *order, size_t norder)
{
    size_t i, n = 0;

    for (i = 0; i < G_N_ELEMENTS(abiTable) && n + 1 < norder; i++) {
        if (abiTable[i].xenver == xenver)
            order[n++] = i;
    }
    for (i = 0; i < G_N_ELEMENTS(abiTable) && n + 1 < norder; i++) {
        if (abiTable[i].xenver != xenver)
            order[n++] = i;
    }
    if (norder)
        order[n] = -1;
}

/* ---- operations ---------------------------------------------------------- */

typedef struct {
    const char *name;
    int side;                  /* 0: sysctl, 1: domctl */
    guint32 cmd;               /* XEN_SYSCTL_* / XEN_DOMCTL_* (§4.3, §5.3) */
    guint32 dom0Cmd;           /* DOM0_* (§7.2); 0: none in that era */
    xvHvPayload pl;
    xvHvPayload dom0Pl;
} xvHvOpDesc;

static const xvHvOpDesc opTable[] = {
    [XV_HV_OP_GETDOMAININFOLIST] = {"getdomaininfolist", 0, 6, 38,
        XV_HV_PL_GETDOMAININFOLIST, XV_HV_PL_GETDOMAININFOLIST},
    [XV_HV_OP_PHYSINFO] = {"physinfo", 0, 3, 22, XV_HV_PL_PHYSINFO, XV_HV_PL_PHYSINFO},
    [XV_HV_OP_SCHED_ID] = {"sched_id", 0, 4, 24, XV_HV_PL_SCHED_ID, XV_HV_PL_SCHED_ID},
    [XV_HV_OP_GETDOMAININFO] = {"getdomaininfo", 1, 5, 12,
        XV_HV_PL_GETDOMAININFO, XV_HV_PL_GETDOMAININFO},
    [XV_HV_OP_PAUSEDOMAIN] = {"pausedomain", 1, 3, 10, XV_HV_PL_NONE, XV_HV_PL_DOMID},
    [XV_HV_OP_UNPAUSEDOMAIN] = {"unpausedomain", 1, 4, 11, XV_HV_PL_NONE, XV_HV_PL_DOMID},
    [XV_HV_OP_DESTROYDOMAIN] = {"destroydomain", 1, 2, 9, XV_HV_PL_NONE, XV_HV_PL_DOMID},
    [XV_HV_OP_MAX_MEM] = {"max_mem", 1, 11, 28, XV_HV_PL_MAX_MEM, XV_HV_PL_MAX_MEM},
    [XV_HV_OP_SETVCPUAFFINITY] = {"setvcpuaffinity", 1, 9, 20,
        XV_HV_PL_VCPUAFFINITY, XV_HV_PL_VCPUAFFINITY},
    [XV_HV_OP_GETVCPUAFFINITY] = {"getvcpuaffinity", 1, 25, 0,
        XV_HV_PL_VCPUAFFINITY, XV_HV_PL_LAST},
    [XV_HV_OP_GETVCPUINFO] = {"getvcpuinfo", 1, 14, 43, XV_HV_PL_GETVCPUINFO, XV_HV_PL_GETVCPUINFO},
    [XV_HV_OP_MAX_VCPUS] = {"max_vcpus", 1, 15, 41, XV_HV_PL_MAX_VCPUS, XV_HV_PL_MAX_VCPUS},
    [XV_HV_OP_SCHED_CREDIT_GET] = {"scheduler_op getinfo", 1, 16, 0,
        XV_HV_PL_SCHEDULER_OP, XV_HV_PL_LAST},
    [XV_HV_OP_SCHED_CREDIT_SET] = {"scheduler_op putinfo", 1, 16, 0,
        XV_HV_PL_SCHEDULER_OP, XV_HV_PL_LAST},
};
G_STATIC_ASSERT(G_N_ELEMENTS(opTable) == XV_HV_OP_LAST);

#define SCHEDOP_PUTINFO 0
#define SCHEDOP_GETINFO 1
#define VCPUAFFINITY_HARD 1

const char *
xvHvOpName(xvHvOp op)
{
    return op < XV_HV_OP_LAST ? opTable[op].name : "xen_version";
}

static xvHvPayload
opPayload(const xvHvAbi *abi, xvHvOp op)
{
    return abi->dom0op ? opTable[op].dom0Pl : opTable[op].pl;
}

bool
xvHvAbiSupports(const xvHvAbi *abi, xvHvOp op, const char **why)
{
    xvHvPayload pl;

    if (op >= XV_HV_OP_LAST) {
        *why = "unknown operation";
        return false;
    }
    pl = opPayload(abi, op);
    if (pl == XV_HV_PL_LAST || (abi->dom0op && opTable[op].dom0Cmd == 0)) {
        *why = "the dom0_op interface (Xen 3.0.0 - 3.0.2) has no such operation";
        return false;
    }
    if (pl != XV_HV_PL_NONE && !abi->payload[pl]) {
        *why = "no layout for this interface version";
        return false;
    }
    return true;
}

/* ---- encoding ------------------------------------------------------------ */

guint64
xvHvFieldGet(const guint8 *base, const xvHvField *f)
{
    guint64 v = 0;
    guint i;

    for (i = 0; i < f->size && i < 8; i++)
        v |= (guint64) base[f->off + i] << (8 * i);
    return v;
}

void
xvHvFieldPut(guint8 *base, const xvHvField *f, guint64 v)
{
    guint i;

    for (i = 0; i < f->size && i < 8; i++)
        base[f->off + i] = (guint8) (v >> (8 * i));
}

void
xvHvCallInit(xvHvCall *call)
{
    memset(call, 0, sizeof(*call));
    call->op = XV_HV_OP_LAST;
    call->arena = g_byte_array_new();
}

void
xvHvCallClear(xvHvCall *call)
{
    if (call->arena)
        g_byte_array_unref(call->arena);
    memset(call, 0, sizeof(*call));
    call->op = XV_HV_OP_LAST;
}

static void
callReset(xvHvCall *call)
{
    GByteArray *arena = call->arena ? call->arena : g_byte_array_new();

    g_byte_array_set_size(arena, 0);
    memset(call, 0, sizeof(*call));
    call->arena = arena;
    call->op = XV_HV_OP_LAST;
}

/* Appends a zeroed, 8-aligned data buffer of len bytes; returns its offset. */
static guint32
callAddData(xvHvCall *call, guint32 len)
{
    guint32 old = call->arena->len;
    guint32 off = (old + 7) & ~7u;

    g_byte_array_set_size(call->arena, off + len);
    if (off + len > old)   /* the alignment gap too: every byte sent is defined */
        memset(call->arena->data + old, 0, off + len - old);
    call->dataOff = off;
    call->dataLen = len;
    return off;
}

/* Stores data offset target into the 8-byte handle slot at arena offset. */
static void
callAddSlot(xvHvCall *call, guint32 slotOff, guint32 target)
{
    xvHvField f = {slotOff, 8};

    g_assert(call->nslots < XV_HV_CALL_MAX_SLOTS);
    xvHvFieldPut(call->arena->data, &f, target);
    call->slots[call->nslots++] = slotOff;
}

void
xvHvCallRelocate(const xvHvCall *call, guint8 *dst, guint64 base, guint64 args[5])
{
    guint i;

    if (call->arena->len)
        memcpy(dst, call->arena->data, call->arena->len);
    for (i = 0; i < call->nslots; i++) {
        xvHvField f = {call->slots[i], 8};
        xvHvFieldPut(dst, &f, base + xvHvFieldGet(dst, &f));
    }
    for (i = 0; i < 5; i++)
        args[i] = (call->argIsAddr & (1u << i)) ? base + call->arg[i] : call->arg[i];
}

/* §3: the xen_version commands that fill a string buffer */
static const struct {
    int cmd;
    guint32 len;
} xenverBufs[] = {
    {XV_HV_XENVER_EXTRAVERSION, XV_HV_XENVER_EXTRA_LEN},
    {XV_HV_XENVER_CAPABILITIES, 1024},
    {XV_HV_XENVER_CHANGESET, 64},
    {XV_HV_XENVER_COMMANDLINE, 1024},
};

guint32
xvHvXenVersionBufLen(int cmd)
{
    size_t i;
    for (i = 0; i < G_N_ELEMENTS(xenverBufs); i++) {
        if (xenverBufs[i].cmd == cmd)
            return xenverBufs[i].len;
    }
    return 0;
}

void
xvHvEncodeXenVersion(xvHvCall *call, int cmd)
{
    guint32 len = xvHvXenVersionBufLen(cmd);

    callReset(call);
    call->hypercall = XV_HV_HYPERCALL_XEN_VERSION;
    call->arg[0] = cmd;
    if (len) {
        call->arg[1] = callAddData(call, len);
        call->argIsAddr = 1u << 1;
    }
}

/* Xen writes getdomaininfolist entries in its own layout: while probing we
 * may have guessed a smaller one, so never offer less than this. */
#define GDL_MIN_DATA 256
/* Largest bitmap we send: 32768 CPUs. */
#define CPUMAP_MAX_BYTES 4096

int
xvHvEncode(const xvHvAbi *abi, xvHvOp op, guint32 domid, const xvHvParams *p,
           xvHvCall *call, char **err)
{
    static const xvHvParams none;
    const xvHvOpDesc *d;
    const xvHvLayout *hdr, *pl = NULL;
    const char *why = NULL;
    xvHvPayload plKind;
    guint8 *b;
    guint32 plOff;

    if (!p)
        p = &none;
    callReset(call);
    if (!xvHvAbiSupports(abi, op, &why)) {
        *err = g_strdup_printf("%s: not supported by the Xen %s interface: %s",
                               xvHvOpName(op), abi->name, why);
        return -1;
    }
    if (domid > 0xFFFF) {
        *err = g_strdup_printf("%s: domain id %u out of range", xvHvOpName(op), domid);
        return -1;
    }
    d = &opTable[op];
    plKind = opPayload(abi, op);
    hdr = abi->header[d->side];
    if (plKind != XV_HV_PL_NONE)
        pl = abi->payload[plKind];

    call->op = op;
    call->abi = abi;
    call->hypercall = abi->dom0op ? XV_HV_HYPERCALL_DOM0_OP :
                      d->side ? XV_HV_HYPERCALL_DOMCTL : XV_HV_HYPERCALL_SYSCTL;
    call->arg[0] = 0;
    call->argIsAddr = 1;
    g_byte_array_set_size(call->arena, hdr->size);
    memset(call->arena->data, 0, hdr->size);

    b = call->arena->data;
    xvHvFieldPut(b, &hdr->f[XV_HVF_HDR_CMD], abi->dom0op ? d->dom0Cmd : d->cmd);
    xvHvFieldPut(b, &hdr->f[XV_HVF_HDR_IFACE], d->side ? abi->domIface : abi->sysIface);
    if (hdr->f[XV_HVF_HDR_DOMAIN].size)
        xvHvFieldPut(b, &hdr->f[XV_HVF_HDR_DOMAIN], domid);
    plOff = hdr->f[XV_HVF_HDR_PAYLOAD].off;
    if (!pl)
        return 0;

    g_assert(pl->size <= hdr->f[XV_HVF_HDR_PAYLOAD].size);
#define PUT(id, v) xvHvFieldPut(call->arena->data + plOff, &pl->f[XV_HVF_##id], (v))
    if (pl->f[XV_HVF_D0_DOMAIN].size)
        PUT(D0_DOMAIN, domid);
    if (op == XV_HV_OP_GETDOMAININFO && !hdr->f[XV_HVF_HDR_DOMAIN].size)
        PUT(GDI_DOMAIN, domid);

    switch (op) {
    case XV_HV_OP_GETDOMAININFOLIST: {
        guint32 entry = abi->payload[XV_HV_PL_GETDOMAININFO]->size;
        guint32 len;
        if (p->first > 0xFFFF || p->count == 0 ||
            p->count > (XV_HV_MAX_ARENA - hdr->size - 8) / entry) {
            *err = g_strdup_printf("getdomaininfolist: first domain %u / count %u out of range",
                                   p->first, p->count);
            return -1;
        }
        len = MAX(p->count * entry, GDL_MIN_DATA);
        PUT(GDL_FIRST_DOMAIN, p->first);
        PUT(GDL_MAX_DOMAINS, p->count);
        call->count = p->count;
        callAddSlot(call, plOff + pl->f[XV_HVF_GDL_BUFFER].off, callAddData(call, len));
        break;
    }
    case XV_HV_OP_SETVCPUAFFINITY:
    case XV_HV_OP_GETVCPUAFFINITY:
        if (p->cpumapLen == 0 || p->cpumapLen > CPUMAP_MAX_BYTES ||
            (op == XV_HV_OP_SETVCPUAFFINITY && !p->cpumap)) {
            *err = g_strdup_printf("%s: cpumap of %u bytes (must be 1 - %u)",
                                   xvHvOpName(op), p->cpumapLen, CPUMAP_MAX_BYTES);
            return -1;
        }
        PUT(AFF_VCPU, p->vcpu);
        if (pl->f[XV_HVF_AFF_INLINE_MAP].size) {
            /* dom0_op: at most 64 CPUs in one inline word */
            guint64 word = 0;
            guint32 i;
            for (i = 0; i < p->cpumapLen; i++) {
                if (i >= 8 && p->cpumap[i]) {
                    *err = g_strdup_printf("%s: the Xen %s interface pins to CPUs 0-63 only",
                                           xvHvOpName(op), abi->name);
                    return -1;
                }
                if (i < 8)
                    word |= (guint64) p->cpumap[i] << (8 * i);
            }
            PUT(AFF_INLINE_MAP, word);
            break;
        }
        if (pl->f[XV_HVF_AFF_FLAGS].size)
            PUT(AFF_FLAGS, VCPUAFFINITY_HARD);
        PUT(AFF_HARD_NR_BITS, (guint64) p->cpumapLen * 8);
        {
            guint32 off = callAddData(call, p->cpumapLen);
            if (op == XV_HV_OP_SETVCPUAFFINITY)
                memcpy(call->arena->data + off, p->cpumap, p->cpumapLen);
            callAddSlot(call, plOff + pl->f[XV_HVF_AFF_HARD_BITMAP].off, off);
        }
        break;
    case XV_HV_OP_GETVCPUINFO:
        PUT(VCPU_VCPU, p->vcpu);
        break;
    case XV_HV_OP_MAX_MEM:
        if (pl->f[XV_HVF_MEM_MAX_MEMKB].size < 8 && p->value > G_MAXUINT32) {
            *err = g_strdup_printf("max_mem: %" G_GUINT64_FORMAT " KiB too large", p->value);
            return -1;
        }
        PUT(MEM_MAX_MEMKB, p->value);
        break;
    case XV_HV_OP_MAX_VCPUS:
        if (p->value == 0 || p->value > 4096) {
            *err = g_strdup_printf("max_vcpus: %" G_GUINT64_FORMAT " out of range (1 - 4096)",
                                   p->value);
            return -1;
        }
        PUT(MAXV_MAX, p->value);
        break;
    case XV_HV_OP_SCHED_CREDIT_GET:
        PUT(SCHED_SCHED_ID, p->schedId);
        PUT(SCHED_CMD, SCHEDOP_GETINFO);
        break;
    case XV_HV_OP_SCHED_CREDIT_SET:
        PUT(SCHED_SCHED_ID, p->schedId);
        PUT(SCHED_CMD, SCHEDOP_PUTINFO);
        PUT(SCHED_WEIGHT, p->weight);
        PUT(SCHED_CAP, p->cap);
        break;
    case XV_HV_OP_PHYSINFO:
    case XV_HV_OP_SCHED_ID:
    case XV_HV_OP_GETDOMAININFO:
    case XV_HV_OP_PAUSEDOMAIN:
    case XV_HV_OP_UNPAUSEDOMAIN:
    case XV_HV_OP_DESTROYDOMAIN:
    case XV_HV_OP_LAST:
        break;
    }
#undef PUT
    return 0;
}

/* ---- decoding ------------------------------------------------------------ */

/* Struct member for each getdomaininfo / physinfo field: the one list that
 * both the decoder and the encoder (simulator, tests) use. */
typedef struct {
    xvHvFieldId id;
    guint16 off;               /* offsetof in the C struct */
    guint16 size;              /* sizeof the member (bytes copied for arrays) */
} xvHvMember;

#define M(type, id, member) {XV_HVF_##id, offsetof(type, member), sizeof(((type *) 0)->member)}
static const xvHvMember gdiMembers[] = {
    M(xvHvDomainInfo, GDI_DOMAIN, domid),
    M(xvHvDomainInfo, GDI_FLAGS, flags),
    M(xvHvDomainInfo, GDI_TOT_PAGES, totPages),
    M(xvHvDomainInfo, GDI_MAX_PAGES, maxPages),
    M(xvHvDomainInfo, GDI_OUTSTANDING_PAGES, outstandingPages),
    M(xvHvDomainInfo, GDI_SHR_PAGES, shrPages),
    M(xvHvDomainInfo, GDI_PAGED_PAGES, pagedPages),
    M(xvHvDomainInfo, GDI_SHARED_INFO_FRAME, sharedInfoFrame),
    M(xvHvDomainInfo, GDI_CPU_TIME, cpuTime),
    M(xvHvDomainInfo, GDI_NR_ONLINE_VCPUS, nrOnlineVcpus),
    M(xvHvDomainInfo, GDI_MAX_VCPU_ID, maxVcpuId),
    M(xvHvDomainInfo, GDI_SSIDREF, ssidref),
    M(xvHvDomainInfo, GDI_HANDLE, handle),
    M(xvHvDomainInfo, GDI_CPUPOOL, cpupool),
    M(xvHvDomainInfo, GDI_GPADDR_BITS, gpaddrBits),
};
static const xvHvMember physMembers[] = {
    M(xvHvPhysInfo, PHYS_THREADS_PER_CORE, threadsPerCore),
    M(xvHvPhysInfo, PHYS_CORES_PER_SOCKET, coresPerSocket),
    M(xvHvPhysInfo, PHYS_SOCKETS_PER_NODE, socketsPerNode),
    M(xvHvPhysInfo, PHYS_NR_CPUS, nrCpus),
    M(xvHvPhysInfo, PHYS_MAX_CPU_ID, maxCpuId),
    M(xvHvPhysInfo, PHYS_NR_NODES, nrNodes),
    M(xvHvPhysInfo, PHYS_MAX_NODE_ID, maxNodeId),
    M(xvHvPhysInfo, PHYS_CPU_KHZ, cpuKhz),
    M(xvHvPhysInfo, PHYS_CAPABILITIES, capabilities),
    M(xvHvPhysInfo, PHYS_ARCH_CAPABILITIES, archCapabilities),
    M(xvHvPhysInfo, PHYS_TOTAL_PAGES, totalPages),
    M(xvHvPhysInfo, PHYS_FREE_PAGES, freePages),
    M(xvHvPhysInfo, PHYS_SCRUB_PAGES, scrubPages),
    M(xvHvPhysInfo, PHYS_OUTSTANDING_PAGES, outstandingPages),
    M(xvHvPhysInfo, PHYS_MAX_MFN, maxMfn),
    M(xvHvPhysInfo, PHYS_HW_CAP, hwCap),
};
static const xvHvMember vcpuMembers[] = {
    M(xvHvVcpuInfo, VCPU_VCPU, vcpu),
    M(xvHvVcpuInfo, VCPU_ONLINE, online),
    M(xvHvVcpuInfo, VCPU_BLOCKED, blocked),
    M(xvHvVcpuInfo, VCPU_RUNNING, running),
    M(xvHvVcpuInfo, VCPU_CPU_TIME, cpuTime),
    M(xvHvVcpuInfo, VCPU_CPU, cpu),
};
#undef M

/* Copies each present field between the wire (layout l at wire) and the C
 * struct; toWire selects the direction.  Scalars are converted between the
 * wire size and the member size (bool members take 0/1); arrays of u32
 * (hw_cap) and of bytes (handle) are copied element-wise little-endian.
 * Returns the present-field mask (bit = index in members). */
static guint64
copyMembers(const xvHvLayout *l, const xvHvMember *members, size_t n,
            guint8 *wire, void *cstruct, bool toWire)
{
    guint64 present = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        const xvHvField *f = &l->f[members[i].id];
        guint8 *m = (guint8 *) cstruct + members[i].off;

        if (!f->size)
            continue;
        present |= G_GUINT64_CONSTANT(1) << i;
        if (f->size > 8) {
            /* arrays: handle (u8[16]) or hw_cap (u32[8]) */
            guint elem = members[i].id == XV_HVF_PHYS_HW_CAP ? 4 : 1;
            guint j;
            for (j = 0; j < f->size / elem && (j + 1) * elem <= members[i].size; j++) {
                xvHvField ef = {f->off + j * elem, elem};
                if (elem == 4) {
                    guint32 *a = (guint32 *) m;
                    if (toWire)
                        xvHvFieldPut(wire, &ef, a[j]);
                    else
                        a[j] = xvHvFieldGet(wire, &ef);
                } else {
                    if (toWire)
                        wire[ef.off] = m[j];
                    else
                        m[j] = wire[ef.off];
                }
            }
            continue;
        }
        if (toWire) {
            guint64 v = 0;
            switch (members[i].size) {
            case 1: v = *(guint8 *) m; break;
            case 2: v = *(guint16 *) m; break;
            case 4: v = *(guint32 *) m; break;
            case 8: v = *(guint64 *) m; break;
            }
            xvHvFieldPut(wire, f, v);
        } else {
            guint64 v = xvHvFieldGet(wire, f);
            switch (members[i].size) {
            case 1:
                if (members[i].id == XV_HVF_VCPU_ONLINE || members[i].id == XV_HVF_VCPU_BLOCKED ||
                    members[i].id == XV_HVF_VCPU_RUNNING)
                    *(bool *) m = v != 0;
                else
                    *(guint8 *) m = v;
                break;
            case 2: *(guint16 *) m = v; break;
            case 4: *(guint32 *) m = v; break;
            case 8: *(guint64 *) m = v; break;
            }
        }
    }
    return present;
}

static void
decodeFlags(const xvHvFlagBits *fb, xvHvDomainInfo *info)
{
    guint32 w = info->flags;
#define BIT(pos) ((pos) >= 0 && (w >> (pos)) & 1)
    info->dying = BIT(fb->dying);
    info->shutdown = BIT(fb->shutdown);
    info->paused = BIT(fb->paused);
    info->blocked = BIT(fb->blocked);
    info->running = BIT(fb->running);
    info->hvm = fb->hvm >= 0 ? BIT(fb->hvm) : -1;
#undef BIT
    info->shutdownReason = info->shutdown ? (int) ((w >> fb->shutdownShift) & 0xFF) : -1;
    info->cpu = fb->cpuShift >= 0 ? (int) ((w >> fb->cpuShift) & 0xFF) : -1;
}

int
xvHvAbiGetDomainInfo(const xvHvAbi *abi, const guint8 *buf, gsize len, xvHvDomainInfo *out)
{
    const xvHvLayout *l = abi->payload[XV_HV_PL_GETDOMAININFO];
    guint64 mask;
    size_t i;

    memset(out, 0, sizeof(*out));
    if (len < l->size)
        return -1;
    mask = copyMembers(l, gdiMembers, G_N_ELEMENTS(gdiMembers), (guint8 *) buf, out, false);
    for (i = 0; i < G_N_ELEMENTS(gdiMembers); i++) {
        if (mask & (G_GUINT64_CONSTANT(1) << i))
            out->present |= G_GUINT64_CONSTANT(1) << (gdiMembers[i].id - XV_HVF_GDI_DOMAIN);
    }
    decodeFlags(abi->flags, out);
    return 0;
}

int
xvHvAbiPutDomainInfo(const xvHvAbi *abi, guint8 *buf, gsize len, const xvHvDomainInfo *in)
{
    const xvHvLayout *l = abi->payload[XV_HV_PL_GETDOMAININFO];

    if (len < l->size)
        return -1;
    memset(buf, 0, l->size);
    copyMembers(l, gdiMembers, G_N_ELEMENTS(gdiMembers), buf, (void *) in, true);
    return 0;
}

int
xvHvAbiPutPhysInfo(const xvHvAbi *abi, guint8 *buf, gsize len, const xvHvPhysInfo *in)
{
    const xvHvLayout *l = abi->payload[XV_HV_PL_PHYSINFO];

    if (len < l->size)
        return -1;
    memset(buf, 0, l->size);
    copyMembers(l, physMembers, G_N_ELEMENTS(physMembers), buf, (void *) in, true);
    return 0;
}

int
xvHvAbiPutVcpuInfo(const xvHvAbi *abi, guint8 *buf, gsize len, const xvHvVcpuInfo *in)
{
    const xvHvLayout *l = abi->payload[XV_HV_PL_GETVCPUINFO];

    if (len < l->size)
        return -1;
    copyMembers(l, vcpuMembers, G_N_ELEMENTS(vcpuMembers), buf, (void *) in, true);
    return 0;
}

/* The payload of a decoded call, after checking the call is the expected
 * operation and the arena holds a whole header. */
static const guint8 *
replyPayload(const xvHvCall *call, xvHvOp op, const xvHvLayout **pl, char **err)
{
    const xvHvLayout *hdr;

    if (call->op != op || !call->abi) {
        *err = g_strdup_printf("internal: decoding %s from a %s call",
                               xvHvOpName(op), xvHvOpName(call->op));
        return NULL;
    }
    hdr = call->abi->header[opTable[op].side];
    *pl = call->abi->payload[opPayload(call->abi, op)];
    if (call->arena->len < hdr->size) {
        *err = g_strdup_printf("%s reply: %u bytes, shorter than the %u-byte %s",
                               xvHvOpName(op), call->arena->len, hdr->size, hdr->name);
        return NULL;
    }
    return call->arena->data + hdr->f[XV_HVF_HDR_PAYLOAD].off;
}

int
xvHvDecodeDomainList(const xvHvCall *call, GArray *out, char **err)
{
    const xvHvLayout *pl;
    const guint8 *b = replyPayload(call, XV_HV_OP_GETDOMAININFOLIST, &pl, err);
    guint32 num, entry, i;

    if (!b)
        return -1;
    num = xvHvFieldGet(b, &pl->f[XV_HVF_GDL_NUM_DOMAINS]);
    entry = call->abi->payload[XV_HV_PL_GETDOMAININFO]->size;
    if (num > call->count) {
        *err = g_strdup_printf("getdomaininfolist: Xen reported %u domains for a buffer of %u",
                               num, call->count);
        return -1;
    }
    if ((guint64) call->dataOff + (guint64) num * entry > call->arena->len) {
        *err = g_strdup_printf("getdomaininfolist: reply too short for %u entries", num);
        return -1;
    }
    for (i = 0; i < num; i++) {
        xvHvDomainInfo info;
        xvHvAbiGetDomainInfo(call->abi, call->arena->data + call->dataOff + i * entry, entry, &info);
        if (i > 0 && info.domid <= g_array_index(out, xvHvDomainInfo, out->len - 1).domid) {
            *err = g_strdup_printf("getdomaininfolist: entry %u (domain %u) out of order", i,
                                   info.domid);
            return -1;
        }
        g_array_append_val(out, info);
    }
    return 0;
}

int
xvHvDecodeDomainInfo(const xvHvCall *call, xvHvDomainInfo *out, char **err)
{
    const xvHvLayout *pl;
    const guint8 *b = replyPayload(call, XV_HV_OP_GETDOMAININFO, &pl, err);

    if (!b)
        return -1;
    xvHvAbiGetDomainInfo(call->abi, b, pl->size, out);
    return 0;
}

int
xvHvDecodePhysInfo(const xvHvCall *call, xvHvPhysInfo *out, char **err)
{
    const xvHvLayout *pl;
    const guint8 *b = replyPayload(call, XV_HV_OP_PHYSINFO, &pl, err);

    memset(out, 0, sizeof(*out));
    if (!b)
        return -1;
    out->present = copyMembers(pl, physMembers, G_N_ELEMENTS(physMembers), (guint8 *) b, out, false);
    /* Before 3.2 there is no nr_cpus: xend multiplied the topology. */
    if (!pl->f[XV_HVF_PHYS_NR_CPUS].size)
        out->nrCpus = out->nrNodes * out->socketsPerNode * out->coresPerSocket *
                      out->threadsPerCore;
    /* 4.0 reports the highest node id where nr_nodes used to be. */
    if (!pl->f[XV_HVF_PHYS_NR_NODES].size)
        out->nrNodes = out->maxNodeId + 1;
    return 0;
}

int
xvHvDecodeVcpuInfo(const xvHvCall *call, xvHvVcpuInfo *out, char **err)
{
    const xvHvLayout *pl;
    const guint8 *b = replyPayload(call, XV_HV_OP_GETVCPUINFO, &pl, err);

    memset(out, 0, sizeof(*out));
    if (!b)
        return -1;
    copyMembers(pl, vcpuMembers, G_N_ELEMENTS(vcpuMembers), (guint8 *) b, out, false);
    return 0;
}

int
xvHvDecodeSchedId(const xvHvCall *call, guint32 *schedId, char **err)
{
    const xvHvLayout *pl;
    const guint8 *b = replyPayload(call, XV_HV_OP_SCHED_ID, &pl, err);

    if (!b)
        return -1;
    *schedId = xvHvFieldGet(b, &pl->f[XV_HVF_SCHEDID_SCHED_ID]);
    return 0;
}

int
xvHvDecodeCredit(const xvHvCall *call, guint16 *weight, guint16 *cap, char **err)
{
    const xvHvLayout *pl;
    const guint8 *b = replyPayload(call, XV_HV_OP_SCHED_CREDIT_GET, &pl, err);

    if (!b)
        return -1;
    *weight = xvHvFieldGet(b, &pl->f[XV_HVF_SCHED_WEIGHT]);
    *cap = xvHvFieldGet(b, &pl->f[XV_HVF_SCHED_CAP]);
    return 0;
}

int
xvHvDecodeAffinity(const xvHvCall *call, const guint8 **map, guint32 *len, char **err)
{
    if ((call->op != XV_HV_OP_GETVCPUAFFINITY && call->op != XV_HV_OP_SETVCPUAFFINITY) ||
        !call->dataLen || (guint64) call->dataOff + call->dataLen > call->arena->len) {
        *err = g_strdup_printf("internal: no affinity bitmap in a %s call", xvHvOpName(call->op));
        return -1;
    }
    *map = call->arena->data + call->dataOff;
    *len = call->dataLen;
    return 0;
}

int
xvHvDecodeXenExtraVersion(const xvHvCall *call, char extra[XV_HV_XENVER_EXTRA_LEN + 1])
{
    guint32 n = MIN(call->dataLen, XV_HV_XENVER_EXTRA_LEN);

    extra[0] = '\0';
    if (call->hypercall != XV_HV_HYPERCALL_XEN_VERSION ||
        (guint64) call->dataOff + n > call->arena->len)
        return -1;
    memcpy(extra, call->arena->data + call->dataOff, n);
    extra[n] = '\0';
    return 0;
}

char *
xvHvDecodeXenVersionString(const xvHvCall *call)
{
    if (call->hypercall != XV_HV_HYPERCALL_XEN_VERSION || !call->dataLen ||
        (guint64) call->dataOff + call->dataLen > call->arena->len)
        return NULL;
    return g_strndup((const char *) call->arena->data + call->dataOff, call->dataLen);
}

/* ---- states -------------------------------------------------------------- */

#define SHUTDOWN_CRASH 3

int
xvHvDomainInfoState(const xvHvDomainInfo *info)
{
    if (info->dying)
        return VIR_DOMAIN_SHUTDOWN;
    if (info->shutdown)
        return info->shutdownReason == SHUTDOWN_CRASH ? VIR_DOMAIN_CRASHED : VIR_DOMAIN_SHUTOFF;
    if (info->paused)
        return VIR_DOMAIN_PAUSED;
    if (info->running)
        return VIR_DOMAIN_RUNNING;
    if (info->blocked)
        return VIR_DOMAIN_BLOCKED;
    return VIR_DOMAIN_NOSTATE;
}

void
xvHvDomainInfoStateString(const xvHvDomainInfo *info, char out[7])
{
    out[0] = info->running ? 'r' : '-';
    out[1] = info->blocked ? 'b' : '-';
    out[2] = info->paused ? 'p' : '-';
    out[3] = info->shutdown ? 's' : '-';
    out[4] = info->shutdown && info->shutdownReason == SHUTDOWN_CRASH ? 'c' : '-';
    out[5] = info->dying ? 'd' : '-';
    out[6] = '\0';
}

/* ---- errno names (Xen's public errno.h = Linux x86) ------------------------ */

static const struct {
    int err;
    const char *name;
} errnoNames[] = {
    {1, "EPERM"}, {2, "ENOENT"}, {3, "ESRCH"}, {4, "EINTR"}, {5, "EIO"}, {6, "ENXIO"},
    {7, "E2BIG"}, {9, "EBADF"}, {11, "EAGAIN"}, {12, "ENOMEM"}, {13, "EACCES"},
    {14, "EFAULT"}, {16, "EBUSY"}, {17, "EEXIST"}, {19, "ENODEV"}, {22, "EINVAL"},
    {24, "EMFILE"}, {25, "ENOTTY"}, {28, "ENOSPC"}, {34, "ERANGE"}, {38, "ENOSYS"},
    {61, "ENODATA"}, {62, "ETIME"}, {75, "EOVERFLOW"}, {85, "ERESTART"},
    {95, "EOPNOTSUPP"}, {98, "EADDRINUSE"}, {110, "ETIMEDOUT"},
};

const char *
xvHvErrnoName(int err)
{
    size_t i;
    for (i = 0; i < G_N_ELEMENTS(errnoNames); i++) {
        if (errnoNames[i].err == err)
            return errnoNames[i].name;
    }
    return NULL;
}

/* ---- simulator framing --------------------------------------------------- */

static void
putLE(guint8 *p, guint64 v, guint n)
{
    xvHvField f = {0, n};
    xvHvFieldPut(p, &f, v);
}

static guint64
getLE(const guint8 *p, guint n)
{
    xvHvField f = {0, n};
    return xvHvFieldGet(p, &f);
}

void
xvHvSimRequestHeaderEncode(const xvHvSimRequest *req, guint8 out[XV_HV_SIM_REQ_HDR])
{
    guint i;

    memset(out, 0, XV_HV_SIM_REQ_HDR);
    memcpy(out, XV_HV_SIM_REQ_MAGIC, 4);
    putLE(out + 4, XV_HV_SIM_VERSION, 4);
    putLE(out + 8, req->hypercall, 8);
    for (i = 0; i < 5; i++)
        putLE(out + 16 + 8 * i, req->arg[i], 8);
    putLE(out + 56, req->base, 8);
    putLE(out + 64, req->arenaLen, 4);
}

int
xvHvSimRequestHeaderParse(const guint8 *buf, gsize len, xvHvSimRequest *req, char **err)
{
    guint i;

    if (len < XV_HV_SIM_REQ_HDR) {
        *err = g_strdup_printf("hypercall request header: %zu bytes, need %d", len,
                               XV_HV_SIM_REQ_HDR);
        return -1;
    }
    if (memcmp(buf, XV_HV_SIM_REQ_MAGIC, 4) != 0 || getLE(buf + 4, 4) != XV_HV_SIM_VERSION ||
        getLE(buf + 68, 4) != 0) {
        *err = g_strdup("hypercall request header: bad magic, version or reserved word");
        return -1;
    }
    req->hypercall = getLE(buf + 8, 8);
    for (i = 0; i < 5; i++)
        req->arg[i] = getLE(buf + 16 + 8 * i, 8);
    req->base = getLE(buf + 56, 8);
    req->arenaLen = getLE(buf + 64, 4);
    if (req->arenaLen > XV_HV_MAX_ARENA) {
        *err = g_strdup_printf("hypercall request: arena of %u bytes exceeds the limit of %d",
                               req->arenaLen, XV_HV_MAX_ARENA);
        return -1;
    }
    return 0;
}

void
xvHvSimReplyHeaderEncode(gint64 ret, guint32 arenaLen, guint8 out[XV_HV_SIM_REP_HDR])
{
    memset(out, 0, XV_HV_SIM_REP_HDR);
    memcpy(out, XV_HV_SIM_REP_MAGIC, 4);
    putLE(out + 4, XV_HV_SIM_VERSION, 4);
    putLE(out + 8, (guint64) ret, 8);
    putLE(out + 16, arenaLen, 4);
}

int
xvHvSimReplyHeaderParse(const guint8 *buf, gsize len, gint64 *ret, guint32 *arenaLen, char **err)
{
    if (len < XV_HV_SIM_REP_HDR) {
        *err = g_strdup_printf("hypercall reply header: %zu bytes, need %d", len,
                               XV_HV_SIM_REP_HDR);
        return -1;
    }
    if (memcmp(buf, XV_HV_SIM_REP_MAGIC, 4) != 0 || getLE(buf + 4, 4) != XV_HV_SIM_VERSION ||
        getLE(buf + 20, 4) != 0) {
        *err = g_strdup("hypercall reply header: bad magic, version or reserved word");
        return -1;
    }
    *ret = (gint64) getLE(buf + 8, 8);
    *arenaLen = getLE(buf + 16, 4);
    if (*arenaLen > XV_HV_MAX_ARENA) {
        *err = g_strdup_printf("hypercall reply: arena of %u bytes exceeds the limit of %d",
                               *arenaLen, XV_HV_MAX_ARENA);
        return -1;
    }
    return 0;
}

/* ---- the hypervisor's side ------------------------------------------------ */

/* The handle slot at arena offset slot, resolved to an arena offset with
 * len bytes behind it; -EFAULT if it points elsewhere. */
static int
resolveHandle(const guint8 *arena, guint32 alen, guint32 slot, guint64 base, guint64 len,
              guint32 *off)
{
    xvHvField f = {slot, 8};
    guint64 addr = xvHvFieldGet(arena, &f);

    if (addr < base || addr - base > alen || len > alen - (addr - base))
        return -EFAULT;
    *off = addr - base;
    return 0;
}

int
xvHvParseRequest(const xvHvAbi *abi, guint64 hypercall, const guint64 args[5], guint64 base,
                 guint8 *arena, guint32 len, xvHvRequest *req)
{
    const xvHvLayout *hdr, *pl;
    guint32 cmd, iface;
    int side, op, rc;
    const guint8 *b;

    memset(req, 0, sizeof(*req));
    req->op = XV_HV_OP_LAST;
    if (hypercall == XV_HV_HYPERCALL_XEN_VERSION) {
        guint32 need = xvHvXenVersionBufLen((int) args[0]);
        req->xenverCmd = (int) args[0];
        if (need) {
            if (args[1] < base || args[1] - base > len || need > len - (args[1] - base))
                return -EFAULT;
            req->dataOff = args[1] - base;
            req->dataLen = need;
        }
        return 0;
    }
    if (abi->dom0op ? hypercall != XV_HV_HYPERCALL_DOM0_OP :
        hypercall != XV_HV_HYPERCALL_SYSCTL && hypercall != XV_HV_HYPERCALL_DOMCTL)
        return -ENOSYS;
    side = hypercall == XV_HV_HYPERCALL_DOMCTL ? 1 : 0;
    hdr = abi->header[side];
    if (args[0] != base || len < hdr->size)
        return -EFAULT;
    cmd = xvHvFieldGet(arena, &hdr->f[XV_HVF_HDR_CMD]);
    iface = xvHvFieldGet(arena, &hdr->f[XV_HVF_HDR_IFACE]);
    /* Xen checks the version before it looks at the command */
    if (iface != (side ? abi->domIface : abi->sysIface))
        return -EACCES;
    for (op = 0; op < XV_HV_OP_LAST; op++) {
        const xvHvOpDesc *d = &opTable[op];
        const char *why;
        if (!xvHvAbiSupports(abi, op, &why))
            continue;
        if (abi->dom0op ? d->dom0Cmd == cmd : (d->side == side && d->cmd == cmd))
            break;
    }
    if (op == XV_HV_OP_LAST)
        return -ENOSYS;
    req->payloadOff = hdr->f[XV_HVF_HDR_PAYLOAD].off;
    b = arena + req->payloadOff;
    pl = opPayload(abi, op) == XV_HV_PL_NONE ? NULL : abi->payload[opPayload(abi, op)];
    if (hdr->f[XV_HVF_HDR_DOMAIN].size)
        req->domid = xvHvFieldGet(arena, &hdr->f[XV_HVF_HDR_DOMAIN]);
    if (pl && pl->f[XV_HVF_D0_DOMAIN].size)
        req->domid = xvHvFieldGet(b, &pl->f[XV_HVF_D0_DOMAIN]);
#define GET(id) xvHvFieldGet(b, &pl->f[XV_HVF_##id])
    switch ((xvHvOp) op) {
    case XV_HV_OP_GETDOMAININFO:
        if (!hdr->f[XV_HVF_HDR_DOMAIN].size)
            req->domid = GET(GDI_DOMAIN);
        break;
    case XV_HV_OP_GETDOMAININFOLIST: {
        guint32 entry = abi->payload[XV_HV_PL_GETDOMAININFO]->size;
        req->params.first = GET(GDL_FIRST_DOMAIN);
        req->params.count = GET(GDL_MAX_DOMAINS);
        if ((rc = resolveHandle(arena, len, req->payloadOff + pl->f[XV_HVF_GDL_BUFFER].off, base,
                                (guint64) req->params.count * entry, &req->dataOff)) < 0)
            return rc;
        req->dataLen = req->params.count * entry;
        break;
    }
    case XV_HV_OP_SETVCPUAFFINITY:
    case XV_HV_OP_GETVCPUAFFINITY:
        req->params.vcpu = GET(AFF_VCPU);
        if (pl->f[XV_HVF_AFF_INLINE_MAP].size) {
            /* dom0_op: the map is the payload's own u64 */
            req->dataOff = req->payloadOff + pl->f[XV_HVF_AFF_INLINE_MAP].off;
            req->dataLen = 8;
        } else {
            guint64 bits = GET(AFF_HARD_NR_BITS);
            if (pl->f[XV_HVF_AFF_FLAGS].size && !(GET(AFF_FLAGS) & VCPUAFFINITY_HARD))
                return -EINVAL;  /* soft-only affinity is not simulated */
            if ((rc = resolveHandle(arena, len, req->payloadOff + pl->f[XV_HVF_AFF_HARD_BITMAP].off,
                                    base, (bits + 7) / 8, &req->dataOff)) < 0)
                return rc;
            req->dataLen = (bits + 7) / 8;
        }
        req->params.cpumapLen = req->dataLen;
        req->params.cpumap = arena + req->dataOff;
        break;
    case XV_HV_OP_GETVCPUINFO:
        req->params.vcpu = GET(VCPU_VCPU);
        break;
    case XV_HV_OP_MAX_MEM:
        req->params.value = GET(MEM_MAX_MEMKB);
        break;
    case XV_HV_OP_MAX_VCPUS:
        req->params.value = GET(MAXV_MAX);
        break;
    case XV_HV_OP_SCHED_CREDIT_GET:
    case XV_HV_OP_SCHED_CREDIT_SET:
        req->params.schedId = GET(SCHED_SCHED_ID);
        if (GET(SCHED_CMD) == SCHEDOP_GETINFO) {
            op = XV_HV_OP_SCHED_CREDIT_GET;
        } else if (GET(SCHED_CMD) == SCHEDOP_PUTINFO) {
            op = XV_HV_OP_SCHED_CREDIT_SET;
            req->params.weight = GET(SCHED_WEIGHT);
            req->params.cap = GET(SCHED_CAP);
        } else {
            return -EINVAL;
        }
        break;
    case XV_HV_OP_PHYSINFO:
    case XV_HV_OP_SCHED_ID:
    case XV_HV_OP_PAUSEDOMAIN:
    case XV_HV_OP_UNPAUSEDOMAIN:
    case XV_HV_OP_DESTROYDOMAIN:
    case XV_HV_OP_LAST:
        break;
    }
#undef GET
    req->op = op;
    return 0;
}

static guint8 *
replyPayloadOf(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena, xvHvOp op,
               const xvHvLayout **pl)
{
    if (req->op != op)
        return NULL;
    *pl = abi->payload[opPayload(abi, op)];
    return arena + req->payloadOff;
}

int
xvHvReplyDomainList(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena,
                    const xvHvDomainInfo *doms, guint32 ndoms)
{
    const xvHvLayout *pl;
    guint8 *b = replyPayloadOf(abi, req, arena, XV_HV_OP_GETDOMAININFOLIST, &pl);
    guint32 entry = abi->payload[XV_HV_PL_GETDOMAININFO]->size, n = 0, i;

    if (!b)
        return -EINVAL;
    for (i = 0; i < ndoms && n < req->params.count; i++) {
        xvHvDomainInfo d = doms[i];
        if (d.domid < req->params.first)
            continue;
        d.flags = xvHvAbiComposeFlags(abi, &d);
        if ((guint64) (n + 1) * entry > req->dataLen)
            return -EFAULT;
        xvHvAbiPutDomainInfo(abi, arena + req->dataOff + n * entry, entry, &d);
        n++;
    }
    xvHvFieldPut(b, &pl->f[XV_HVF_GDL_NUM_DOMAINS], n);
    return 0;
}

int
xvHvReplyDomainInfo(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena,
                    const xvHvDomainInfo *dom)
{
    const xvHvLayout *pl;
    guint8 *b = replyPayloadOf(abi, req, arena, XV_HV_OP_GETDOMAININFO, &pl);
    xvHvDomainInfo d;
    const xvHvLayout *hdr = abi->header[1];

    if (!b)
        return -EINVAL;
    d = *dom;
    d.flags = xvHvAbiComposeFlags(abi, &d);
    xvHvAbiPutDomainInfo(abi, b, pl->size, &d);
    /* domctl echoes the domain it answered for in the header */
    if (hdr->f[XV_HVF_HDR_DOMAIN].size)
        xvHvFieldPut(arena, &hdr->f[XV_HVF_HDR_DOMAIN], d.domid);
    return 0;
}

int
xvHvReplyPhysInfo(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena, const xvHvPhysInfo *pi)
{
    const xvHvLayout *pl;
    guint8 *b = replyPayloadOf(abi, req, arena, XV_HV_OP_PHYSINFO, &pl);

    if (!b)
        return -EINVAL;
    copyMembers(pl, physMembers, G_N_ELEMENTS(physMembers), b, (void *) pi, true);
    return 0;
}

int
xvHvReplyVcpuInfo(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena, const xvHvVcpuInfo *vi)
{
    const xvHvLayout *pl;
    guint8 *b = replyPayloadOf(abi, req, arena, XV_HV_OP_GETVCPUINFO, &pl);

    if (!b)
        return -EINVAL;
    copyMembers(pl, vcpuMembers, G_N_ELEMENTS(vcpuMembers), b, (void *) vi, true);
    return 0;
}

int
xvHvReplySchedId(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena, guint32 schedId)
{
    const xvHvLayout *pl;
    guint8 *b = replyPayloadOf(abi, req, arena, XV_HV_OP_SCHED_ID, &pl);

    if (!b)
        return -EINVAL;
    xvHvFieldPut(b, &pl->f[XV_HVF_SCHEDID_SCHED_ID], schedId);
    return 0;
}

int
xvHvReplyCredit(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena, guint16 weight,
                guint16 cap)
{
    const xvHvLayout *pl;
    guint8 *b = replyPayloadOf(abi, req, arena, XV_HV_OP_SCHED_CREDIT_GET, &pl);

    if (!b)
        return -EINVAL;
    xvHvFieldPut(b, &pl->f[XV_HVF_SCHED_WEIGHT], weight);
    xvHvFieldPut(b, &pl->f[XV_HVF_SCHED_CAP], cap);
    return 0;
}

int
xvHvReplyAffinity(const xvHvRequest *req, guint8 *arena, const guint8 *map, guint32 len)
{
    if ((req->op != XV_HV_OP_GETVCPUAFFINITY && req->op != XV_HV_OP_SETVCPUAFFINITY) ||
        !req->dataLen)
        return -EINVAL;
    memset(arena + req->dataOff, 0, req->dataLen);
    memcpy(arena + req->dataOff, map, MIN(len, req->dataLen));
    return 0;
}

guint32
xvHvAbiComposeFlags(const xvHvAbi *abi, const xvHvDomainInfo *info)
{
    const xvHvFlagBits *fb = abi->flags;
    guint32 w = 0;

#define SET(pos, cond) if ((pos) >= 0 && (cond)) w |= 1u << (pos)
    SET(fb->dying, info->dying);
    SET(fb->hvm, info->hvm > 0);
    SET(fb->shutdown, info->shutdown);
    SET(fb->paused, info->paused);
    SET(fb->blocked, info->blocked);
    SET(fb->running, info->running);
#undef SET
    if (info->shutdown && info->shutdownReason >= 0)
        w |= (guint32) (info->shutdownReason & 0xFF) << fb->shutdownShift;
    if (fb->cpuShift >= 0 && info->cpu >= 0)
        w |= (guint32) (info->cpu & 0xFF) << fb->cpuShift;
    return w;
}
