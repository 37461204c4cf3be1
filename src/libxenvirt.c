/*
 * libxenvirt.c: the public API -- argument checks, reference-counted
 * objects, and dispatch through the connection's driver table.
 *
 * Every entry point resets the thread's last error, validates its objects
 * and arguments the way libvirt does (same error codes), refuses writes on
 * read-only connections, and turns a missing driver entry into
 * VIR_ERR_NO_SUPPORT.  On failure the error is also recorded on the
 * connection (virConnGetLastError) and its handler called.  Nothing here
 * knows about Xen or XML; drivers do the work.  The alternative of letting
 * each driver check its own arguments was rejected: checks would drift and
 * the error codes a program sees would depend on the driver.
 */
#define XV_FROM VIR_FROM_NONE
#include "driver.h"
#include "util/error.h"

#include <limits.h>
#include <string.h>

#include "util/uuid.h"
#include "xenconfig/xen_native.h"

static const xvDriver *const drivers[] = {
    &xvTestDriver,
    &xvXenDriver,
};

#define DEFAULT_URI "xen:///system"

/* ---- objects ---------------------------------------------------------- */

static bool
connValid(virConnectPtr conn)
{
    return conn && conn->magic == XV_CONNECT_MAGIC && g_atomic_int_get(&conn->refs) > 0;
}

static bool
domValid(virDomainPtr dom)
{
    return dom && dom->magic == XV_DOMAIN_MAGIC && g_atomic_int_get(&dom->refs) > 0 &&
           connValid(dom->conn);
}

/* A public call on conn is failing: copy the thread's error onto the
 * connection, then call the connection's handler, else the global one
 * (libvirt's virDispatchError).  conn may be invalid or NULL. */
static void
connRecordError(virConnectPtr conn)
{
    virErrorPtr err = xvErrorEnsureSet();
    virErrorFunc handler = NULL;
    void *data = NULL;

    if (connValid(conn)) {
        g_mutex_lock(&conn->err_lock);
        virResetError(&conn->err);
        xvErrorCopy(&conn->err, err);
        handler = conn->handler;
        data = conn->handler_data;
        g_mutex_unlock(&conn->err_lock);
    }
    xvErrorDispatch(handler, data);
}

static void
connFree(virConnectPtr conn)
{
    if (conn->driver && conn->driver->connectClose)
        conn->driver->connectClose(conn);
    conn->magic = 0;
    virResetError(&conn->err);
    g_mutex_clear(&conn->err_lock);
    g_free(conn->uri);
    g_free(conn);
}

virDomainPtr
xvGetDomain(virConnectPtr conn, const char *name, const unsigned char *uuid, int id)
{
    virDomainPtr dom = g_new0(virDomain, 1);

    g_atomic_int_inc(&conn->refs);
    dom->magic = XV_DOMAIN_MAGIC;
    dom->refs = 1;
    dom->conn = conn;
    dom->name = g_strdup(name);
    memcpy(dom->uuid, uuid, VIR_UUID_BUFLEN);
    dom->id = id;
    return dom;
}

/* Errors name the public function the program called (libvirt does): an
 * entry point that forwards to a *Flags variant passes its own name down
 * through an Impl function, inside which API means that parameter. */
#define API __func__

/* Common entry checks.  The error label of each function records the error
 * on the connection. */
#define ENTER_CONN(conn, ret) \
    do { \
        virResetLastError(); \
        if (!connValid(conn)) { \
            xvReportError(VIR_ERR_INVALID_CONN, "%s", API); \
            connRecordError(NULL); \
            return ret; \
        } \
    } while (0)

#define ENTER_DOM(dom, ret) \
    do { \
        virResetLastError(); \
        if (!domValid(dom)) { \
            xvReportError(VIR_ERR_INVALID_DOMAIN, "%s", API); \
            connRecordError(NULL); \
            return ret; \
        } \
    } while (0)

#define CHECK_ARG(cond, what) \
    do { \
        if (!(cond)) { \
            xvReportError(VIR_ERR_INVALID_ARG, "%s in %s must be valid", what, API); \
            goto error; \
        } \
    } while (0)

#define CHECK_RW(conn) \
    do { \
        if ((conn)->flags & VIR_CONNECT_RO) { \
            xvReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s", API); \
            goto error; \
        } \
    } while (0)

#define NEED(conn, entry) \
    do { \
        if (!(conn)->driver->entry) { \
            xvReportError(VIR_ERR_NO_SUPPORT, "%s", API); \
            goto error; \
        } \
    } while (0)

#define DRV(conn) ((conn)->driver)

/* ---- connections ------------------------------------------------------ */

static virConnectPtr
connOpen(const char *name, unsigned int flags)
{
    g_autoptr(GUri) uri = NULL;
    g_autoptr(GError) gerr = NULL;
    virConnectPtr conn;

    virResetLastError();
    if (!name || !*name)
        name = g_getenv("LIBVIRT_DEFAULT_URI");
    if (!name || !*name)
        name = DEFAULT_URI;

    uri = g_uri_parse(name, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED_QUERY, &gerr);
    if (!uri) {
        xvReportErrorFull(VIR_FROM_URI, VIR_ERR_INVALID_ARG, "cannot parse URI '%s': %s", name,
                          gerr->message);
        connRecordError(NULL);
        return NULL;
    }

    conn = g_new0(virConnect, 1);
    conn->magic = XV_CONNECT_MAGIC;
    conn->refs = 1;
    conn->flags = flags;
    g_mutex_init(&conn->err_lock);

    for (size_t i = 0; i < G_N_ELEMENTS(drivers); i++) {
        xvDrvOpenStatus st = drivers[i]->connectOpen(conn, uri, name, flags);
        if (st == XV_DRV_OPEN_DECLINED)
            continue;
        if (st == XV_DRV_OPEN_ERROR)
            goto error;
        conn->driver = drivers[i];
        if (!conn->uri)
            conn->uri = g_strdup(name);
        return conn;
    }
    xvReportError(VIR_ERR_NO_CONNECT, "%s", name);

 error:
    conn->driver = NULL; /* a failed open has nothing to close */
    connFree(conn);
    connRecordError(NULL);
    return NULL;
}

virConnectPtr
virConnectOpen(const char *name)
{
    return connOpen(name, 0);
}

virConnectPtr
virConnectOpenReadOnly(const char *name)
{
    return connOpen(name, VIR_CONNECT_RO);
}

int
virConnectClose(virConnectPtr conn)
{
    ENTER_CONN(conn, -1);
    if (g_atomic_int_dec_and_test(&conn->refs)) {
        connFree(conn);
        return 0;
    }
    return g_atomic_int_get(&conn->refs);
}

int
virConnectRef(virConnectPtr conn)
{
    ENTER_CONN(conn, -1);
    g_atomic_int_inc(&conn->refs);
    return 0;
}

const char *
virConnectGetType(virConnectPtr conn)
{
    ENTER_CONN(conn, NULL);
    return DRV(conn)->name;
}

int
virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    ENTER_CONN(conn, -1);
    CHECK_ARG(hvVer, "hvVer");
    NEED(conn, connectGetVersion);
    if (DRV(conn)->connectGetVersion(conn, hvVer) < 0)
        goto error;
    return 0;
 error:
    connRecordError(conn);
    return -1;
}

/* The library version we report is the libvirt API level we implement, so
 * that programs comparing it with libvirt releases keep working; xenvirt's
 * own release is XENVIRT_VERSION_NUMBER. */
int
virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    ENTER_CONN(conn, -1);
    CHECK_ARG(libVer, "libVer");
    *libVer = LIBVIR_VERSION_NUMBER;
    return 0;
 error:
    connRecordError(conn);
    return -1;
}

int
virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer)
{
    virResetLastError();
    if (libVer)
        *libVer = LIBVIR_VERSION_NUMBER;
    if (typeVer) {
        if (!type)
            type = "Xen";
        for (size_t i = 0; i < G_N_ELEMENTS(drivers); i++) {
            if (g_ascii_strcasecmp(type, drivers[i]->name) == 0) {
                *typeVer = LIBVIR_VERSION_NUMBER;
                return 0;
            }
        }
        if (g_ascii_strcasecmp(type, "Xen") == 0) {
            *typeVer = LIBVIR_VERSION_NUMBER;
            return 0;
        }
        xvReportError(VIR_ERR_NO_SUPPORT, "no driver of type '%s'", type);
        connRecordError(NULL);
        return -1;
    }
    return 0;
}

int
virInitialize(void)
{
    return 0; /* nothing to set up: drivers are static tables */
}

char *
virConnectGetHostname(virConnectPtr conn)
{
    char *ret;
    ENTER_CONN(conn, NULL);
    NEED(conn, connectGetHostname);
    if (!(ret = DRV(conn)->connectGetHostname(conn)))
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return NULL;
}

char *
virConnectGetURI(virConnectPtr conn)
{
    ENTER_CONN(conn, NULL);
    return g_strdup(conn->uri);
}

char *
virConnectGetCapabilities(virConnectPtr conn)
{
    char *ret;
    ENTER_CONN(conn, NULL);
    NEED(conn, connectGetCapabilities);
    if (!(ret = DRV(conn)->connectGetCapabilities(conn)))
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return NULL;
}

int
virConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    int ret;
    ENTER_CONN(conn, -1);
    NEED(conn, connectGetMaxVcpus);
    if ((ret = DRV(conn)->connectGetMaxVcpus(conn, type)) < 0)
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return -1;
}

int
virConnectIsAlive(virConnectPtr conn)
{
    ENTER_CONN(conn, -1);
    if (!DRV(conn)->connectIsAlive)
        return 1; /* in-process drivers cannot lose their peer */
    return DRV(conn)->connectIsAlive(conn);
}

int
virConnectIsSecure(virConnectPtr conn)
{
    ENTER_CONN(conn, -1);
    /* Local channels (UNIX sockets, ioctls, in-memory) cannot be snooped;
     * xend over TCP can. */
    return conn->uri && g_str_has_prefix(conn->uri, "http:") ? 0 : 1;
}

int
virConnectIsEncrypted(virConnectPtr conn)
{
    ENTER_CONN(conn, -1);
    return 0; /* no channel we speak is encrypted */
}

/* ---- node ------------------------------------------------------------- */

int
virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    ENTER_CONN(conn, -1);
    CHECK_ARG(info, "info");
    NEED(conn, nodeGetInfo);
    memset(info, 0, sizeof(*info));
    if (DRV(conn)->nodeGetInfo(conn, info) < 0)
        goto error;
    return 0;
 error:
    connRecordError(conn);
    return -1;
}

unsigned long long
virNodeGetFreeMemory(virConnectPtr conn)
{
    ENTER_CONN(conn, 0);
    NEED(conn, nodeGetFreeMemory);
    return DRV(conn)->nodeGetFreeMemory(conn);
 error:
    connRecordError(conn);
    return 0;
}

/* ---- domain listing and lookup ----------------------------------------- */

int
virConnectNumOfDomains(virConnectPtr conn)
{
    int ret;
    ENTER_CONN(conn, -1);
    NEED(conn, connectNumOfDomains);
    if ((ret = DRV(conn)->connectNumOfDomains(conn)) < 0)
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return -1;
}

int
virConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    int ret;
    ENTER_CONN(conn, -1);
    CHECK_ARG(maxids >= 0, "maxids");
    CHECK_ARG(ids || maxids == 0, "ids");
    NEED(conn, connectListDomains);
    if ((ret = DRV(conn)->connectListDomains(conn, ids, maxids)) < 0)
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return -1;
}

int
virConnectNumOfDefinedDomains(virConnectPtr conn)
{
    int ret;
    ENTER_CONN(conn, -1);
    NEED(conn, connectNumOfDefinedDomains);
    if ((ret = DRV(conn)->connectNumOfDefinedDomains(conn)) < 0)
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return -1;
}

int
virConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    int ret;
    ENTER_CONN(conn, -1);
    CHECK_ARG(maxnames >= 0, "maxnames");
    CHECK_ARG(names || maxnames == 0, "names");
    NEED(conn, connectListDefinedDomains);
    if ((ret = DRV(conn)->connectListDefinedDomains(conn, names, maxnames)) < 0)
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return -1;
}

int
virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    int ret;
    ENTER_CONN(conn, -1);
    if (domains)
        *domains = NULL;
    NEED(conn, connectListAllDomains);
    if ((ret = DRV(conn)->connectListAllDomains(conn, domains, flags)) < 0)
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return -1;
}

virDomainPtr
virDomainLookupByID(virConnectPtr conn, int id)
{
    virDomainPtr ret;
    ENTER_CONN(conn, NULL);
    CHECK_ARG(id >= 0, "id");
    NEED(conn, domainLookupByID);
    if (!(ret = DRV(conn)->domainLookupByID(conn, id)))
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return NULL;
}

virDomainPtr
virDomainLookupByName(virConnectPtr conn, const char *name)
{
    virDomainPtr ret;
    ENTER_CONN(conn, NULL);
    CHECK_ARG(name, "name");
    NEED(conn, domainLookupByName);
    if (!(ret = DRV(conn)->domainLookupByName(conn, name)))
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return NULL;
}

virDomainPtr
virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virDomainPtr ret;
    ENTER_CONN(conn, NULL);
    CHECK_ARG(uuid, "uuid");
    NEED(conn, domainLookupByUUID);
    if (!(ret = DRV(conn)->domainLookupByUUID(conn, uuid)))
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return NULL;
}

virDomainPtr
virDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    ENTER_CONN(conn, NULL);
    CHECK_ARG(uuidstr, "uuidstr");
    if (xvUUIDParse(uuidstr, uuid) < 0) {
        xvReportError(VIR_ERR_INVALID_ARG, "uuidstr in %s must be a valid UUID, not '%s'",
                      __func__, uuidstr);
        goto error;
    }
    return virDomainLookupByUUID(conn, uuid);
 error:
    connRecordError(conn);
    return NULL;
}

/* ---- domain lifecycle ------------------------------------------------- */

#undef API
#define API apiName
static virDomainPtr
virDomainCreateXMLImpl(virConnectPtr conn, const char *xmlDesc, unsigned int flags, const char *apiName)
{
    virDomainPtr ret;
    ENTER_CONN(conn, NULL);
    CHECK_ARG(xmlDesc, "xmlDesc");
    CHECK_RW(conn);
    NEED(conn, domainCreateXML);
    if (!(ret = DRV(conn)->domainCreateXML(conn, xmlDesc, flags)))
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return NULL;
}
#undef API
#define API __func__

virDomainPtr
virDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    return virDomainCreateXMLImpl(conn, xmlDesc, flags, __func__);
}

virDomainPtr
virDomainCreateLinux(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    return virDomainCreateXMLImpl(conn, xmlDesc, flags, __func__);
}

#undef API
#define API apiName
static virDomainPtr
virDomainDefineXMLFlagsImpl(virConnectPtr conn, const char *xml, unsigned int flags, const char *apiName)
{
    virDomainPtr ret;
    ENTER_CONN(conn, NULL);
    CHECK_ARG(xml, "xml");
    CHECK_RW(conn);
    NEED(conn, domainDefineXMLFlags);
    if (!(ret = DRV(conn)->domainDefineXMLFlags(conn, xml, flags)))
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return NULL;
}
#undef API
#define API __func__

virDomainPtr
virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    return virDomainDefineXMLFlagsImpl(conn, xml, flags, __func__);
}

virDomainPtr
virDomainDefineXML(virConnectPtr conn, const char *xml)
{
    return virDomainDefineXMLFlagsImpl(conn, xml, 0, __func__);
}

/* The many "int f(dom)" entry points that only need checks + dispatch. */
#define DOM_SIMPLE(dom, rw, entry, ...) \
    do { \
        ENTER_DOM(dom, -1); \
        if (rw) \
            CHECK_RW((dom)->conn); \
        NEED((dom)->conn, entry); \
        if (DRV((dom)->conn)->entry(__VA_ARGS__) < 0) \
            goto error; \
        return 0; \
     error: \
        connRecordError((dom)->conn); \
        return -1; \
    } while (0)

/* The lifecycle entry points of shape int f(dom, flags) that change the
 * domain: one body, the driver entry picked by its offset in the table,
 * the error naming the public function the program called. */
typedef int (*domFlagsEntry)(virDomainPtr dom, unsigned int flags);

#undef API
#define API apiName
static int
domainFlagsCall(virDomainPtr domain, unsigned int flags, size_t entry, const char *apiName)
{
    domFlagsEntry fn;

    ENTER_DOM(domain, -1);
    CHECK_RW(domain->conn);
    memcpy(&fn, (const char *)DRV(domain->conn) + entry, sizeof(fn));
    if (!fn) {
        xvReportError(VIR_ERR_NO_SUPPORT, "%s", API);
        goto error;
    }
    if (fn(domain, flags) < 0)
        goto error;
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}
#undef API
#define API __func__

#define DOM_FLAGS_CALL(dom, flags, entry) \
    domainFlagsCall((dom), (flags), G_STRUCT_OFFSET(xvDriver, entry), __func__)

int
virDomainUndefineFlags(virDomainPtr domain, unsigned int flags)
{
    return DOM_FLAGS_CALL(domain, flags, domainUndefineFlags);
}

int
virDomainUndefine(virDomainPtr domain)
{
    return DOM_FLAGS_CALL(domain, 0, domainUndefineFlags);
}

int
virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    return DOM_FLAGS_CALL(domain, flags, domainCreateWithFlags);
}

int
virDomainCreate(virDomainPtr domain)
{
    return DOM_FLAGS_CALL(domain, 0, domainCreateWithFlags);
}

int
virDomainSuspend(virDomainPtr domain)
{
    DOM_SIMPLE(domain, true, domainSuspend, domain);
}

int
virDomainResume(virDomainPtr domain)
{
    DOM_SIMPLE(domain, true, domainResume, domain);
}

int
virDomainShutdownFlags(virDomainPtr domain, unsigned int flags)
{
    return DOM_FLAGS_CALL(domain, flags, domainShutdownFlags);
}

int
virDomainShutdown(virDomainPtr domain)
{
    return DOM_FLAGS_CALL(domain, 0, domainShutdownFlags);
}

int
virDomainReboot(virDomainPtr domain, unsigned int flags)
{
    return DOM_FLAGS_CALL(domain, flags, domainReboot);
}

int
virDomainDestroyFlags(virDomainPtr domain, unsigned int flags)
{
    return DOM_FLAGS_CALL(domain, flags, domainDestroyFlags);
}

int
virDomainDestroy(virDomainPtr domain)
{
    return DOM_FLAGS_CALL(domain, 0, domainDestroyFlags);
}

int
virDomainFree(virDomainPtr domain)
{
    virConnectPtr conn;

    ENTER_DOM(domain, -1);
    if (!g_atomic_int_dec_and_test(&domain->refs))
        return 0;
    conn = domain->conn;
    domain->magic = 0;
    g_free(domain->name);
    g_free(domain);
    virConnectClose(conn);
    return 0;
}

int
virDomainRef(virDomainPtr domain)
{
    ENTER_DOM(domain, -1);
    g_atomic_int_inc(&domain->refs);
    return 0;
}

/* ---- domain queries --------------------------------------------------- */

virConnectPtr
virDomainGetConnect(virDomainPtr domain)
{
    ENTER_DOM(domain, NULL);
    return domain->conn;
}

int
virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info)
{
    ENTER_DOM(domain, -1);
    CHECK_ARG(info, "info");
    memset(info, 0, sizeof(*info));
    NEED(domain->conn, domainGetInfo);
    if (DRV(domain->conn)->domainGetInfo(domain, info) < 0)
        goto error;
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}

int
virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    int dummy;
    ENTER_DOM(domain, -1);
    CHECK_ARG(state, "state");
    NEED(domain->conn, domainGetState);
    if (DRV(domain->conn)->domainGetState(domain, state, reason ? reason : &dummy, flags) < 0)
        goto error;
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}

char *
virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    char *ret;
    ENTER_DOM(domain, NULL);
    if ((flags & VIR_DOMAIN_XML_SECURE) && (domain->conn->flags & VIR_CONNECT_RO)) {
        xvReportError(VIR_ERR_OPERATION_DENIED, "%s",
                      "virDomainGetXMLDesc with secure flag");
        goto error;
    }
    NEED(domain->conn, domainGetXMLDesc);
    if (!(ret = DRV(domain->conn)->domainGetXMLDesc(domain, flags)))
        goto error;
    return ret;
 error:
    connRecordError(domain->conn);
    return NULL;
}

const char *
virDomainGetName(virDomainPtr domain)
{
    ENTER_DOM(domain, NULL);
    return domain->name;
}

unsigned int
virDomainGetID(virDomainPtr domain)
{
    ENTER_DOM(domain, (unsigned int)-1);
    return (unsigned int)domain->id;
}

int
virDomainGetUUID(virDomainPtr domain, unsigned char *uuid)
{
    ENTER_DOM(domain, -1);
    CHECK_ARG(uuid, "uuid");
    memcpy(uuid, domain->uuid, VIR_UUID_BUFLEN);
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}

int
virDomainGetUUIDString(virDomainPtr domain, char *buf)
{
    ENTER_DOM(domain, -1);
    CHECK_ARG(buf, "buf");
    xvUUIDFormat(domain->uuid, buf);
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}

char *
virDomainGetOSType(virDomainPtr domain)
{
    char *ret;
    ENTER_DOM(domain, NULL);
    NEED(domain->conn, domainGetOSType);
    if (!(ret = DRV(domain->conn)->domainGetOSType(domain)))
        goto error;
    return ret;
 error:
    connRecordError(domain->conn);
    return NULL;
}

/* Entry points returning a count or a boolean: <0 is an error. */
#define DOM_INT(dom, rw, entry, ...) \
    do { \
        int ret_; \
        ENTER_DOM(dom, -1); \
        if (rw) \
            CHECK_RW((dom)->conn); \
        NEED((dom)->conn, entry); \
        if ((ret_ = DRV((dom)->conn)->entry(__VA_ARGS__)) < 0) \
            goto error; \
        return ret_; \
     error: \
        connRecordError((dom)->conn); \
        return -1; \
    } while (0)

int
virDomainIsActive(virDomainPtr domain)
{
    DOM_INT(domain, false, domainIsActive, domain);
}

int
virDomainIsPersistent(virDomainPtr domain)
{
    DOM_INT(domain, false, domainIsPersistent, domain);
}

int
virDomainIsUpdated(virDomainPtr domain)
{
    DOM_INT(domain, false, domainIsUpdated, domain);
}

/* ---- memory ----------------------------------------------------------- */

unsigned long
virDomainGetMaxMemory(virDomainPtr domain)
{
    unsigned long ret;
    ENTER_DOM(domain, 0);
    NEED(domain->conn, domainGetMaxMemory);
    if ((ret = DRV(domain->conn)->domainGetMaxMemory(domain)) == 0)
        goto error;
    return ret;
 error:
    connRecordError(domain->conn);
    return 0;
}

int
virDomainSetMaxMemory(virDomainPtr domain, unsigned long memory)
{
    ENTER_DOM(domain, -1);
    CHECK_RW(domain->conn);
    CHECK_ARG(memory > 0, "memory");
    NEED(domain->conn, domainSetMaxMemory);
    if (DRV(domain->conn)->domainSetMaxMemory(domain, memory) < 0)
        goto error;
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}

#undef API
#define API apiName
static int
virDomainSetMemoryFlagsImpl(virDomainPtr domain, unsigned long memory, unsigned int flags, const char *apiName)
{
    ENTER_DOM(domain, -1);
    CHECK_RW(domain->conn);
    CHECK_ARG(memory > 0, "memory");
    NEED(domain->conn, domainSetMemoryFlags);
    if (DRV(domain->conn)->domainSetMemoryFlags(domain, memory, flags) < 0)
        goto error;
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}
#undef API
#define API __func__

int
virDomainSetMemoryFlags(virDomainPtr domain, unsigned long memory, unsigned int flags)
{
    return virDomainSetMemoryFlagsImpl(domain, memory, flags, __func__);
}

int
virDomainSetMemory(virDomainPtr domain, unsigned long memory)
{
    return virDomainSetMemoryFlagsImpl(domain, memory, VIR_DOMAIN_AFFECT_LIVE, __func__);
}

/* ---- vcpus ------------------------------------------------------------ */

#undef API
#define API apiName
static int
virDomainSetVcpusFlagsImpl(virDomainPtr domain, unsigned int nvcpus, unsigned int flags, const char *apiName)
{
    ENTER_DOM(domain, -1);
    CHECK_RW(domain->conn);
    CHECK_ARG(nvcpus > 0 && nvcpus <= INT_MAX, "nvcpus");
    NEED(domain->conn, domainSetVcpusFlags);
    if (DRV(domain->conn)->domainSetVcpusFlags(domain, nvcpus, flags) < 0)
        goto error;
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}
#undef API
#define API __func__

int
virDomainSetVcpusFlags(virDomainPtr domain, unsigned int nvcpus, unsigned int flags)
{
    return virDomainSetVcpusFlagsImpl(domain, nvcpus, flags, __func__);
}

int
virDomainSetVcpus(virDomainPtr domain, unsigned int nvcpus)
{
    return virDomainSetVcpusFlagsImpl(domain, nvcpus, VIR_DOMAIN_AFFECT_LIVE, __func__);
}

int
virDomainGetVcpusFlags(virDomainPtr domain, unsigned int flags)
{
    DOM_INT(domain, false, domainGetVcpusFlags, domain, flags);
}

int
virDomainGetVcpus(virDomainPtr domain, virVcpuInfoPtr info, int maxinfo,
                  unsigned char *cpumaps, int maplen)
{
    int ret;
    ENTER_DOM(domain, -1);
    CHECK_ARG(info, "info");
    CHECK_ARG(maxinfo >= 1, "maxinfo");
    CHECK_ARG(cpumaps ? maplen > 0 : maplen == 0, "maplen");
    if (cpumaps && (size_t)maxinfo * (size_t)maplen > INT_MAX) {
        xvReportError(VIR_ERR_OVERFLOW, "%d * %d", maxinfo, maplen);
        goto error;
    }
    memset(info, 0, sizeof(*info) * (size_t)maxinfo);
    if (cpumaps)
        memset(cpumaps, 0, (size_t)maxinfo * (size_t)maplen);
    NEED(domain->conn, domainGetVcpus);
    if ((ret = DRV(domain->conn)->domainGetVcpus(domain, info, maxinfo, cpumaps, maplen)) < 0)
        goto error;
    return ret;
 error:
    connRecordError(domain->conn);
    return -1;
}

int
virDomainPinVcpu(virDomainPtr domain, unsigned int vcpu, unsigned char *cpumap, int maplen)
{
    ENTER_DOM(domain, -1);
    CHECK_RW(domain->conn);
    CHECK_ARG(cpumap, "cpumap");
    CHECK_ARG(maplen > 0, "maplen");
    CHECK_ARG(vcpu <= INT_MAX, "vcpu");
    NEED(domain->conn, domainPinVcpu);
    if (DRV(domain->conn)->domainPinVcpu(domain, vcpu, cpumap, maplen) < 0)
        goto error;
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}

int
virDomainGetMaxVcpus(virDomainPtr domain)
{
    DOM_INT(domain, false, domainGetMaxVcpus, domain);
}

/* ---- autostart and devices -------------------------------------------- */

int
virDomainGetAutostart(virDomainPtr domain, int *autostart)
{
    ENTER_DOM(domain, -1);
    CHECK_ARG(autostart, "autostart");
    NEED(domain->conn, domainGetAutostart);
    if (DRV(domain->conn)->domainGetAutostart(domain, autostart) < 0)
        goto error;
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}

int
virDomainSetAutostart(virDomainPtr domain, int autostart)
{
    DOM_SIMPLE(domain, true, domainSetAutostart, domain, autostart ? 1 : 0);
}

#undef API
#define API apiName
/* Attach and detach share their checks; only the driver entry differs. */
static int
domainDeviceChange(virDomainPtr domain, const char *xml, unsigned int flags, bool attach,
                   const char *apiName)
{
    int (*change)(virDomainPtr, const char *, unsigned int);

    ENTER_DOM(domain, -1);
    CHECK_ARG(xml, "xml");
    CHECK_RW(domain->conn);
    change = attach ? DRV(domain->conn)->domainAttachDeviceFlags
                    : DRV(domain->conn)->domainDetachDeviceFlags;
    if (!change) {
        xvReportError(VIR_ERR_NO_SUPPORT, "%s", API);
        goto error;
    }
    if (change(domain, xml, flags) < 0)
        goto error;
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}
#undef API
#define API __func__

int
virDomainAttachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags)
{
    return domainDeviceChange(domain, xml, flags, true, __func__);
}

int
virDomainAttachDevice(virDomainPtr domain, const char *xml)
{
    return domainDeviceChange(domain, xml, VIR_DOMAIN_AFFECT_LIVE, true, __func__);
}

int
virDomainDetachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags)
{
    return domainDeviceChange(domain, xml, flags, false, __func__);
}

int
virDomainDetachDevice(virDomainPtr domain, const char *xml)
{
    return domainDeviceChange(domain, xml, VIR_DOMAIN_AFFECT_LIVE, false, __func__);
}

/* ---- scheduler -------------------------------------------------------- */

char *
virDomainGetSchedulerType(virDomainPtr domain, int *nparams)
{
    char *ret;
    int dummy;
    ENTER_DOM(domain, NULL);
    NEED(domain->conn, domainGetSchedulerType);
    if (!(ret = DRV(domain->conn)->domainGetSchedulerType(domain, nparams ? nparams : &dummy)))
        goto error;
    return ret;
 error:
    connRecordError(domain->conn);
    return NULL;
}

#undef API
#define API apiName
static int
virDomainGetSchedulerParametersFlagsImpl(virDomainPtr domain, virTypedParameterPtr params,
                                     int *nparams, unsigned int flags, const char *apiName)
{
    ENTER_DOM(domain, -1);
    CHECK_ARG(params, "params");
    CHECK_ARG(nparams && *nparams > 0, "nparams");
    CHECK_ARG((flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)) !=
                  (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG),
              "flags");
    memset(params, 0, sizeof(*params) * (size_t)*nparams);
    NEED(domain->conn, domainGetSchedulerParametersFlags);
    if (DRV(domain->conn)->domainGetSchedulerParametersFlags(domain, params, nparams, flags) < 0)
        goto error;
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}
#undef API
#define API __func__

int
virDomainGetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr params,
                                     int *nparams, unsigned int flags)
{
    return virDomainGetSchedulerParametersFlagsImpl(domain, params, nparams, flags, __func__);
}

int
virDomainGetSchedulerParameters(virDomainPtr domain, virSchedParameterPtr params, int *nparams)
{
    return virDomainGetSchedulerParametersFlagsImpl(domain, params, nparams,
                                                VIR_DOMAIN_AFFECT_CURRENT, __func__);
}

#undef API
#define API apiName
static int
virDomainSetSchedulerParametersFlagsImpl(virDomainPtr domain, virTypedParameterPtr params,
                                     int nparams, unsigned int flags, const char *apiName)
{
    ENTER_DOM(domain, -1);
    CHECK_RW(domain->conn);
    CHECK_ARG(params, "params");
    CHECK_ARG(nparams >= 0, "nparams");
    for (int i = 0; i < nparams; i++) {
        if (!memchr(params[i].field, '\0', VIR_TYPED_PARAM_FIELD_LENGTH)) {
            xvReportError(VIR_ERR_INVALID_ARG, "parameter %d: field name not terminated", i);
            goto error;
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(params[i].field, params[j].field) == 0) {
                xvReportError(VIR_ERR_INVALID_ARG, "parameter '%s' occurs multiple times",
                              params[i].field);
                goto error;
            }
        }
    }
    NEED(domain->conn, domainSetSchedulerParametersFlags);
    if (DRV(domain->conn)->domainSetSchedulerParametersFlags(domain, params, nparams, flags) < 0)
        goto error;
    return 0;
 error:
    connRecordError(domain->conn);
    return -1;
}
#undef API
#define API __func__

int
virDomainSetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr params,
                                     int nparams, unsigned int flags)
{
    return virDomainSetSchedulerParametersFlagsImpl(domain, params, nparams, flags, __func__);
}

int
virDomainSetSchedulerParameters(virDomainPtr domain, virSchedParameterPtr params, int nparams)
{
    return virDomainSetSchedulerParametersFlagsImpl(domain, params, nparams,
                                                VIR_DOMAIN_AFFECT_CURRENT, __func__);
}

void
virTypedParamsClear(virTypedParameterPtr params, int nparams)
{
    if (!params)
        return;
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            g_free(params[i].value.s);
        params[i].value.s = NULL;
    }
}

void
virTypedParamsFree(virTypedParameterPtr params, int nparams)
{
    virTypedParamsClear(params, nparams);
    g_free(params);
}

/* ---- statistics ------------------------------------------------------- */

int
virDomainBlockStats(virDomainPtr dom, const char *disk, virDomainBlockStatsPtr stats, size_t size)
{
    virDomainBlockStatsStruct full;

    ENTER_DOM(dom, -1);
    CHECK_ARG(disk, "disk");
    CHECK_ARG(stats, "stats");
    if (size > sizeof(full)) {
        xvReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                      "stats struct size %zu is larger than the %zu this library knows",
                      size, sizeof(full));
        goto error;
    }
    NEED(dom->conn, domainBlockStats);
    memset(&full, 0xff, sizeof(full)); /* -1: not known */
    if (DRV(dom->conn)->domainBlockStats(dom, disk, &full) < 0)
        goto error;
    memcpy(stats, &full, size);
    return 0;
 error:
    connRecordError(dom->conn);
    return -1;
}

int
virDomainInterfaceStats(virDomainPtr dom, const char *device, virDomainInterfaceStatsPtr stats,
                        size_t size)
{
    virDomainInterfaceStatsStruct full;

    ENTER_DOM(dom, -1);
    CHECK_ARG(device, "device");
    CHECK_ARG(stats, "stats");
    if (size > sizeof(full)) {
        xvReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                      "stats struct size %zu is larger than the %zu this library knows",
                      size, sizeof(full));
        goto error;
    }
    NEED(dom->conn, domainInterfaceStats);
    memset(&full, 0xff, sizeof(full));
    if (DRV(dom->conn)->domainInterfaceStats(dom, device, &full) < 0)
        goto error;
    memcpy(stats, &full, size);
    return 0;
 error:
    connRecordError(dom->conn);
    return -1;
}

/* ---- native formats --------------------------------------------------- */

char *
virConnectDomainXMLFromNative(virConnectPtr conn, const char *nativeFormat,
                              const char *nativeConfig, unsigned int flags)
{
    char *ret;
    ENTER_CONN(conn, NULL);
    CHECK_ARG(nativeFormat, "nativeFormat");
    CHECK_ARG(nativeConfig, "nativeConfig");
    /* The conversion needs no host: drivers without their own (the test
     * driver) use the offline converters, as the issue asks. */
    if (DRV(conn)->connectDomainXMLFromNative)
        ret = DRV(conn)->connectDomainXMLFromNative(conn, nativeFormat, nativeConfig, flags);
    else
        ret = xvDomainXMLFromNative(nativeFormat, nativeConfig, flags);
    if (!ret)
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return NULL;
}

char *
virConnectDomainXMLToNative(virConnectPtr conn, const char *nativeFormat, const char *domainXml,
                            unsigned int flags)
{
    char *ret;
    ENTER_CONN(conn, NULL);
    CHECK_ARG(nativeFormat, "nativeFormat");
    CHECK_ARG(domainXml, "domainXml");
    if (DRV(conn)->connectDomainXMLToNative)
        ret = DRV(conn)->connectDomainXMLToNative(conn, nativeFormat, domainXml, flags);
    else
        ret = xvDomainXMLToNative(nativeFormat, domainXml, flags);
    if (!ret)
        goto error;
    return ret;
 error:
    connRecordError(conn);
    return NULL;
}

/* ---- per-connection errors --------------------------------------------- */

virErrorPtr
virConnGetLastError(virConnectPtr conn)
{
    if (!connValid(conn))
        return NULL;
    return conn->err.code == VIR_ERR_OK ? NULL : &conn->err;
}

int
virConnCopyLastError(virConnectPtr conn, virErrorPtr to)
{
    if (!connValid(conn) || !to)
        return -1;
    virResetError(to);
    g_mutex_lock(&conn->err_lock);
    if (conn->err.code != VIR_ERR_OK)
        xvErrorCopy(to, &conn->err);
    g_mutex_unlock(&conn->err_lock);
    return to->code;
}

void
virConnResetLastError(virConnectPtr conn)
{
    if (!connValid(conn))
        return;
    g_mutex_lock(&conn->err_lock);
    virResetError(&conn->err);
    g_mutex_unlock(&conn->err_lock);
}

void
virConnSetErrorFunc(virConnectPtr conn, void *userData, virErrorFunc handler)
{
    if (!connValid(conn))
        return;
    g_mutex_lock(&conn->err_lock);
    conn->handler = handler;
    conn->handler_data = userData;
    g_mutex_unlock(&conn->err_lock);
}
