/*
 * driver.h: the driver table and the internal shape of the public objects.
 *
 * A driver is one const struct of function pointers with designated
 * initializers; a NULL entry means "not supported" and libxenvirt.c turns it
 * into VIR_ERR_NO_SUPPORT uniformly, so no driver writes a stub.  Entry
 * points receive arguments already checked by libxenvirt.c (non-NULL
 * objects and out-pointers, read-only connections refused for writes) and
 * report their own errors.  Only libxenvirt.c and the drivers include this.
 */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "xenvirt/xenvirt.h"

typedef struct _xvDriver xvDriver;

#define XV_CONNECT_MAGIC 0x78766331u
#define XV_DOMAIN_MAGIC 0x78766431u

struct _virConnect {
    unsigned int magic;       /* XV_CONNECT_MAGIC while alive */
    gint refs;
    const xvDriver *driver;
    void *priv;               /* the driver's own state */
    char *uri;                /* as canonicalised by the driver */
    unsigned int flags;       /* virConnectFlags */
    GMutex err_lock;          /* guards err and the handler below */
    virError err;             /* this connection's last error */
    virErrorFunc handler;
    void *handler_data;
};

struct _virDomain {
    unsigned int magic;       /* XV_DOMAIN_MAGIC while alive */
    gint refs;
    virConnectPtr conn;       /* holds a reference */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;                   /* -1 when inactive */
};

typedef enum {
    XV_DRV_OPEN_DECLINED = 0, /* not my URI; try the next driver */
    XV_DRV_OPEN_SUCCESS = 1,
    XV_DRV_OPEN_ERROR = -1,   /* my URI, but it failed; error reported */
} xvDrvOpenStatus;

struct _xvDriver {
    const char *name;         /* virConnectGetType */
    xvDrvOpenStatus (*connectOpen)(virConnectPtr conn, GUri *uri, const char *name,
                                   unsigned int flags);
    int (*connectClose)(virConnectPtr conn);
    int (*connectGetVersion)(virConnectPtr conn, unsigned long *hvVer);
    char *(*connectGetHostname)(virConnectPtr conn);
    char *(*connectGetCapabilities)(virConnectPtr conn);
    int (*connectGetMaxVcpus)(virConnectPtr conn, const char *type);
    int (*connectIsAlive)(virConnectPtr conn);
    int (*nodeGetInfo)(virConnectPtr conn, virNodeInfoPtr info);
    unsigned long long (*nodeGetFreeMemory)(virConnectPtr conn);
    int (*connectNumOfDomains)(virConnectPtr conn);
    int (*connectListDomains)(virConnectPtr conn, int *ids, int maxids);
    int (*connectNumOfDefinedDomains)(virConnectPtr conn);
    int (*connectListDefinedDomains)(virConnectPtr conn, char **const names, int maxnames);
    int (*connectListAllDomains)(virConnectPtr conn, virDomainPtr **domains,
                                 unsigned int flags);
    virDomainPtr (*domainLookupByID)(virConnectPtr conn, int id);
    virDomainPtr (*domainLookupByName)(virConnectPtr conn, const char *name);
    virDomainPtr (*domainLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);
    virDomainPtr (*domainCreateXML)(virConnectPtr conn, const char *xml, unsigned int flags);
    virDomainPtr (*domainDefineXMLFlags)(virConnectPtr conn, const char *xml,
                                         unsigned int flags);
    int (*domainUndefineFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainCreateWithFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainSuspend)(virDomainPtr dom);
    int (*domainResume)(virDomainPtr dom);
    int (*domainShutdownFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainReboot)(virDomainPtr dom, unsigned int flags);
    int (*domainDestroyFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainGetInfo)(virDomainPtr dom, virDomainInfoPtr info);
    int (*domainGetState)(virDomainPtr dom, int *state, int *reason, unsigned int flags);
    char *(*domainGetXMLDesc)(virDomainPtr dom, unsigned int flags);
    char *(*domainGetOSType)(virDomainPtr dom);
    int (*domainIsActive)(virDomainPtr dom);
    int (*domainIsPersistent)(virDomainPtr dom);
    int (*domainIsUpdated)(virDomainPtr dom);
    unsigned long (*domainGetMaxMemory)(virDomainPtr dom);
    int (*domainSetMaxMemory)(virDomainPtr dom, unsigned long memory);
    int (*domainSetMemoryFlags)(virDomainPtr dom, unsigned long memory, unsigned int flags);
    int (*domainSetVcpusFlags)(virDomainPtr dom, unsigned int nvcpus, unsigned int flags);
    int (*domainGetVcpusFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainGetVcpus)(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo,
                          unsigned char *cpumaps, int maplen);
    int (*domainPinVcpu)(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap,
                         int maplen);
    int (*domainGetMaxVcpus)(virDomainPtr dom);
    int (*domainGetAutostart)(virDomainPtr dom, int *autostart);
    int (*domainSetAutostart)(virDomainPtr dom, int autostart);
    int (*domainAttachDeviceFlags)(virDomainPtr dom, const char *xml, unsigned int flags);
    int (*domainDetachDeviceFlags)(virDomainPtr dom, const char *xml, unsigned int flags);
    char *(*domainGetSchedulerType)(virDomainPtr dom, int *nparams);
    int (*domainGetSchedulerParametersFlags)(virDomainPtr dom, virTypedParameterPtr params,
                                             int *nparams, unsigned int flags);
    int (*domainSetSchedulerParametersFlags)(virDomainPtr dom, virTypedParameterPtr params,
                                             int nparams, unsigned int flags);
    int (*domainBlockStats)(virDomainPtr dom, const char *disk,
                            virDomainBlockStatsPtr stats);
    int (*domainInterfaceStats)(virDomainPtr dom, const char *device,
                                virDomainInterfaceStatsPtr stats);
    char *(*connectDomainXMLFromNative)(virConnectPtr conn, const char *format,
                                        const char *config, unsigned int flags);
    char *(*connectDomainXMLToNative)(virConnectPtr conn, const char *format,
                                      const char *xml, unsigned int flags);
};

/* Object constructors for drivers.  xvGetDomain returns a new reference. */
virDomainPtr xvGetDomain(virConnectPtr conn, const char *name,
                         const unsigned char *uuid, int id);

/* Driver registry, in the order URIs are offered to them. */
extern const xvDriver xvTestDriver;
extern const xvDriver xvXenDriver;
