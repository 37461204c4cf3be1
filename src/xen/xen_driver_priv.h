/*
 * xen_driver_priv.h: what the Xen driver's files share -- the connection
 * state (the channels and the mutex that serialises their I/O), what the
 * driver knows of one domain, and the helpers every operation uses to
 * find a domain and report a missing channel.  Only src/xen/xen_*.c
 * include it; the rest of the library sees the driver table alone.
 *
 * The driver is split by concern: xen_driver.c (open, listing, lookup,
 * definitions, life cycle: who is asked what), xen_host.c (the host),
 * xen_tuning.c (memory, vcpus, scheduler), xen_stats.c (block and
 * interface counters), xen_autostart.c and xen_devices.c (attach/detach).
 */
#pragma once

#include <stdbool.h>

#include "driver.h"
#include "driver_util.h"
#include "xen/hypervisor.h"
#include "xen/xend.h"
#include "xen/xenstore.h"
#include "xen/xm_dir.h"
#include "xenconfig/xen_sxpr.h"

#define XEN_PAGE_KIB 4
#define XEN_MAX_VCPUS 512

typedef struct {
    GMutex lock;
    char *root;           /* "" for the real host */
    bool readonly;
    bool remote;          /* http://: xend over TCP only */
    xvHv *hv;
    xvXs *xs;
    xvXend *xend;
    int xend_format;      /* xend_config_format; 0 without xend */
    xvXmDir *cfgdir;      /* inactive domains as files, or NULL */
    const char *cfg_format; /* XV_NATIVE_FORMAT_XM or _XL */
    GHashTable *names;    /* "domid:uuid" -> name, so a listing reads each
                           * active domain's name from xenstore once */
    GString *absent;      /* why channels are missing, for messages */
} xenPriv;

#define PRIV(conn) ((xenPriv *)(conn)->priv)

/* What the driver knows of one domain, from whichever channel. */
typedef struct {
    int id;                 /* -1 inactive */
    char *name;
    unsigned char uuid[16];
    int state, reason;
    unsigned long long max_kib, cur_kib, cpu_ns;
    unsigned int vcpus;
    bool persistent;
} xenDomInfo;

typedef int (*xenDomOpFn)(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data);

void xenDomInfoClear(xenDomInfo *d);
/* The connection's mutex, held around every channel exchange. */
void xenLock(xenPriv *p);
void xenUnlock(xenPriv *p);
/* Reports VIR_ERR_NO_SUPPORT: what needs which channel, and why the
 * connection lacks it; returns -1. */
int xenNoChannel(xenPriv *p, const char *what, const char *needs);
/* Store def as the domain's persistent definition, as define does: xend
 * (op=new, 3.0.4 and later) or the config directory; what names the
 * operation in the "not supported" error when there is neither. */
int xenStoreDefinition(xenPriv *p, const xvDomainDef *def, const char *what);
/* -1 with VIR_ERR_OPERATION_INVALID unless d is running. */
int xenRequireActive(const xenDomInfo *d, const char *name);
/* The current facts of dom (looked up by UUID: names and ids change). */
int xenDomInfoGet(xenPriv *p, virDomainPtr dom, xenDomInfo *out);
/* The full definition (see xen_driver.c); NULL with the error reported. */
xvDomainDef *xenDomDef(xenPriv *p, virDomainPtr dom, xenDomInfo *d);
/* /local/domain/ID/REL, or NULL (no error kept). */
char *xenXsReadDom(xenPriv *p, int id, const char *rel);
/* POST op to xend for the domain (by id when running). */
int xenXendDomainOp(xenPriv *p, const xenDomInfo *d, xvSexpr **reply, ...)
    G_GNUC_NULL_TERMINATED;
/* Lock, find the domain, run fn, unlock. */
int xenWithDomain(virDomainPtr dom, xenDomOpFn fn, void *data);

/* xen_host.c */
int xenConnectGetVersion(virConnectPtr conn, unsigned long *hvVer);
char *xenConnectGetHostname(virConnectPtr conn);
int xenConnectGetMaxVcpus(virConnectPtr conn, const char *type);
int xenNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info);
char *xenConnectGetCapabilities(virConnectPtr conn);
unsigned long long xenNodeGetFreeMemory(virConnectPtr conn);

/* xen_tuning.c */
int xenDomainSetMemoryFlags(virDomainPtr dom, unsigned long memory, unsigned int flags);
int xenDomainSetMaxMemory(virDomainPtr dom, unsigned long memory);
int xenDomainSetVcpusFlags(virDomainPtr dom, unsigned int nvcpus, unsigned int flags);
int xenDomainGetVcpusFlags(virDomainPtr dom, unsigned int flags);
int xenDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo, unsigned char *cpumaps,
                      int maplen);
int xenDomainPinVcpu(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap, int maplen);
char *xenDomainGetSchedulerType(virDomainPtr dom, int *nparams);
int xenDomainGetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                         int *nparams, unsigned int flags);
int xenDomainSetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                         int nparams, unsigned int flags);

/* xen_stats.c */
int xenDomainBlockStats(virDomainPtr dom, const char *disk, virDomainBlockStatsPtr stats);
int xenDomainInterfaceStats(virDomainPtr dom, const char *device, virDomainInterfaceStatsPtr stats);

/* xen_autostart.c */
int xenDomainGetAutostart(virDomainPtr dom, int *autostart);
int xenDomainSetAutostart(virDomainPtr dom, int autostart);

/* xen_devices.c */
int xenDomainAttachDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags);
int xenDomainDetachDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags);
