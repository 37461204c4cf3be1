/*
 * hypervisor.h: the hypercall channel of the Xen driver.  A connection
 * (xvHv) carries hypercalls encoded by hypervisor_abi.c either to the real
 * hypervisor (IOCTL_PRIVCMD_HYPERCALL on /dev/xen/privcmd or
 * /proc/xen/privcmd, with every byte Xen touches in locked memory) or to
 * xensim's endpoint (a UNIX socket, same bytes, framing in
 * hypervisor_abi.h).  Opening a connection detects the hypervisor's
 * interface version by itself (spec §6.2).  This layer knows nothing of
 * xenstore, xend or the domain model: it returns plain structs.
 *
 * Errors are reported once, here, with VIR_FROM_XEN: the operation, the
 * domain and the Xen errno name ("domctl pausedomain (domain 7): ESRCH").
 * ESRCH becomes VIR_ERR_NO_DOMAIN, EPERM/EACCES VIR_ERR_OPERATION_DENIED,
 * anything else VIR_ERR_XEN_CALL.
 */
#pragma once

#include "xen/hypervisor_abi.h"

typedef struct _xvHv xvHv;

/* Where the simulator's endpoint lives below a xensim root. */
#define XV_HV_SIM_SOCKET "dev/xen/privcmd-sim"

/*
 * Opens the hypercall channel and detects the interface version.  root
 * NULL: the real privcmd device; otherwise ROOT/dev/xen/privcmd-sim.
 * Returns NULL with an error: VIR_ERR_NO_XEN when there is no hypervisor
 * (no device, or not running on Xen), VIR_ERR_OPERATION_DENIED when not
 * permitted.
 */
xvHv *xvHvOpen(const char *root);

/* For tests: a transport function that runs one relocated call.  It gets
 * the privcmd arguments and the arena (already relocated to base) and
 * returns the hypercall's value (>= 0) or -errno. */
typedef gint64 (*xvHvTransportFunc)(void *opaque, guint64 hypercall, const guint64 args[5],
                                    guint64 base, guint8 *arena, guint32 len);
xvHv *xvHvOpenCustom(xvHvTransportFunc fn, void *opaque);

void xvHvClose(xvHv *hv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvHv, xvHvClose);

/* The detected row of the ABI table. */
const xvHvAbi *xvHvGetAbi(xvHv *hv);
/* XENVER_version: major, minor; extraversion (".7") as reported. */
void xvHvGetVersion(xvHv *hv, guint *major, guint *minor, const char **extra);
/* XENVER_capabilities, e.g. "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_64";
 * caller frees. */
char *xvHvGetCapabilities(xvHv *hv);
/* Round-trip limit of the simulator transport in ms (default 10000; <= 0
 * restores it).  A late reply gives VIR_ERR_OPERATION_TIMEOUT and the
 * next call reconnects.  The real ioctl has no timeout: Xen answers. */
void xvHvSetTimeout(xvHv *hv, int ms);
/* Hypercalls issued so far on this connection (probe included). */
guint64 xvHvCallCount(xvHv *hv);
/* "privcmd /dev/xen/privcmd (buffers: /dev/xen/hypercall)" or "sim PATH". */
const char *xvHvDescribe(xvHv *hv);

/* Low level: runs an encoded call as is (the caller checks *ret, the
 * hypercall's value or -errno).  -1 only when the transport failed
 * (reported).  For tools that capture raw replies and for benchmarks. */
int xvHvRun(xvHv *hv, xvHvCall *call, gint64 *ret);

/* Every domain, ascending ids, one hypercall per 1024 domains. */
int xvHvListDomains(xvHv *hv, GArray **out /* of xvHvDomainInfo */);
/* One domain; VIR_ERR_NO_DOMAIN if it does not exist (the "next domain"
 * answer of Xen <= 4.17 is checked, not trusted). */
int xvHvGetDomainInfo(xvHv *hv, guint32 domid, xvHvDomainInfo *out);
int xvHvGetPhysInfo(xvHv *hv, xvHvPhysInfo *out);
int xvHvGetSchedId(xvHv *hv, guint32 *schedId);

int xvHvPauseDomain(xvHv *hv, guint32 domid);
int xvHvUnpauseDomain(xvHv *hv, guint32 domid);
/* Repeats while Xen answers EAGAIN (Xen <= 4.4 tears down in steps). */
int xvHvDestroyDomain(xvHv *hv, guint32 domid);
int xvHvSetMaxMem(xvHv *hv, guint32 domid, guint64 kib);
int xvHvSetMaxVcpus(xvHv *hv, guint32 domid, guint32 max);
int xvHvGetVcpuInfo(xvHv *hv, guint32 domid, guint32 vcpu, xvHvVcpuInfo *out);
/* map: bit c of byte c/8 is pCPU c; len bytes. */
int xvHvSetVcpuAffinity(xvHv *hv, guint32 domid, guint32 vcpu, const guint8 *map, guint32 len);
/* Fills map (len bytes) with the hard affinity. */
int xvHvGetVcpuAffinity(xvHv *hv, guint32 domid, guint32 vcpu, guint8 *map, guint32 len);
/* Credit scheduler parameters; schedId is the domain pool's scheduler
 * (xvHvGetSchedId for pool 0).  weight 0 / cap 0xFFFF leave a value. */
int xvHvGetSchedCredit(xvHv *hv, guint32 domid, guint32 schedId, guint16 *weight, guint16 *cap);
int xvHvSetSchedCredit(xvHv *hv, guint32 domid, guint32 schedId, guint16 weight, guint16 cap);
