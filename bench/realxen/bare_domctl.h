/*
 * bare_domctl.h: the one hypercall the in-dom0 GetInfo benchmark issues by
 * hand -- domctl getdomaininfo (hypercall 36, cmd 5) with the Xen 4.17
 * interface version 0x15 -- written out as fixed structs from the facts in
 * ../shared/spec/hypercall.md (§1.2 privcmd_hypercall, §5.1 the domctl
 * header, §5.4 the d0x14-0x15 getdomaininfo entry).  No version probe, no
 * table, no relocation: the point is to be the cheapest correct round trip
 * through IOCTL_PRIVCMD_HYPERCALL that the library's path can be compared
 * with.  xc_column.c checks every offset here against Xen's own headers
 * when libxen-dev is present.  The prototypes of xc_column.c's wrappers
 * around Xen's libraries are here too.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define HVB_HYPERCALL_DOMCTL 36
#define HVB_DOMCTL_GETDOMAININFO 5
#define HVB_DOMCTL_IFACE_417 0x15

/* Linux uapi privcmd_hypercall: 48 bytes on 64- and 32-bit. */
typedef struct {
    uint64_t op;
    uint64_t arg[5];
} HvbPrivcmdHypercall;
_Static_assert(sizeof(HvbPrivcmdHypercall) == 48, "privcmd_hypercall is 48 bytes");

/* getdomaininfo entry, domctl 0x14-0x15 (x86): 112 bytes. */
typedef struct {
    uint16_t domain;
    uint16_t pad1;
    uint32_t flags;
    uint64_t tot_pages;
    uint64_t max_pages;
    uint64_t outstanding_pages;
    uint64_t shr_pages;
    uint64_t paged_pages;
    uint64_t shared_info_frame;
    uint64_t cpu_time;
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    uint8_t handle[16];
    uint32_t cpupool;
    uint8_t gpaddr_bits;
    uint8_t pad2[7];
    uint32_t emulation_flags;   /* arch_config (x86) */
    uint32_t misc_flags;
} HvbGetDomainInfo;
_Static_assert(offsetof(HvbGetDomainInfo, tot_pages) == 8, "tot_pages @8");
_Static_assert(offsetof(HvbGetDomainInfo, max_pages) == 16, "max_pages @16");
_Static_assert(offsetof(HvbGetDomainInfo, cpu_time) == 56, "cpu_time @56");
_Static_assert(offsetof(HvbGetDomainInfo, nr_online_vcpus) == 64, "nr_online_vcpus @64");
_Static_assert(offsetof(HvbGetDomainInfo, max_vcpu_id) == 68, "max_vcpu_id @68");
_Static_assert(offsetof(HvbGetDomainInfo, handle) == 76, "handle @76");
_Static_assert(offsetof(HvbGetDomainInfo, cpupool) == 92, "cpupool @92");
_Static_assert(offsetof(HvbGetDomainInfo, gpaddr_bits) == 96, "gpaddr_bits @96");
_Static_assert(offsetof(HvbGetDomainInfo, emulation_flags) == 104, "arch_config @104");
_Static_assert(sizeof(HvbGetDomainInfo) == 112, "getdomaininfo is 112 bytes");

/* struct xen_domctl: the union is 128 bytes, at 16; 144 in all. */
typedef struct {
    uint32_t cmd;
    uint32_t interface_version;
    uint16_t domain;
    uint16_t pad[3];
    union {
        HvbGetDomainInfo getdomaininfo;
        uint8_t pad[128];
    } u;
} HvbDomctl;
_Static_assert(offsetof(HvbDomctl, u) == 16, "domctl union @16");
_Static_assert(sizeof(HvbDomctl) == 144, "xen_domctl is 144 bytes");

/* getdomaininfo flag bits, Xen 4.9-4.17. */
#define HVB_DOMINF_DYING    (1u << 0)
#define HVB_DOMINF_SHUTDOWN (1u << 2)
#define HVB_DOMINF_PAUSED   (1u << 3)
#define HVB_DOMINF_BLOCKED  (1u << 4)
#define HVB_DOMINF_RUNNING  (1u << 5)

/* What every column decodes, for the value checks. */
typedef struct {
    uint32_t domid;
    uint32_t flags;             /* HVB_DOMINF_* bits as Xen set them */
    uint64_t tot_pages;
    uint64_t max_kib;           /* max_pages * 4, as libxenctrl computes it */
    uint64_t cpu_time;          /* ns */
    uint32_t nr_online_vcpus;
    uint8_t handle[16];
} HvbInfo;

/* The libxenctrl columns (xc_column.c; absent without libxen-dev).  Each
 * returns 0 with out filled from what Xen's library decoded, or -1 with
 * errno set. */
typedef struct HvbXc HvbXc;
HvbXc *hvbXcOpen(void);
void hvbXcClose(HvbXc *xc);
/* xc_domain_getinfo(xch, domid, 1, ...): one domctl getdomaininfo. */
int hvbXcGetInfo(HvbXc *xc, uint32_t domid, HvbInfo *out);
/* xc_domain_getinfolist(xch, domid, 1, ...): one sysctl getdomaininfolist. */
int hvbXcGetInfoList(HvbXc *xc, uint32_t domid, HvbInfo *out);

/* libxenstore (same file): one xs_read of PATH, parsed as a number. */
typedef struct HvbXs HvbXs;
HvbXs *hvbXsOpen(void);
void hvbXsClose(HvbXs *xs);
int hvbXsReadULL(HvbXs *xs, const char *path, unsigned long long *out);
