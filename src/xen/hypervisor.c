/*
 * hypervisor.c: the hypercall channel (see hypervisor.h): the privcmd and
 * simulator transports, the interface-version probe, and one function per
 * operation that encodes with hypervisor_abi.c, runs the call and reports
 * the failure with the Xen errno name.  It must not interpret domains
 * beyond what Xen returns (names, configs and XML belong to the driver).
 *
 * Memory Xen reads or writes is one page-aligned region per connection,
 * reused by every call and grown on demand: from
 * /dev/xen/hypercall when the kernel has it (pages that are never migrated,
 * spec §1.5 item 4), otherwise anonymous memory mapped MAP_LOCKED and kept
 * out of forked children, as libxencall does.  The rejected alternative,
 * mlock() on the caller's own buffers as libvirt did, leaves the op struct
 * on the stack next to unrelated data and breaks on copy-on-write after a
 * fork in another thread.
 */
#define XV_FROM VIR_FROM_XEN
#include "xen/hypervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/error.h"

/* Linux uapi xen/privcmd.h: struct privcmd_hypercall, 48 bytes. */
typedef struct {
    guint64 op;
    guint64 arg[5];
} xvPrivcmdHypercall;
G_STATIC_ASSERT(sizeof(xvPrivcmdHypercall) == 48);
#define XV_IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(xvPrivcmdHypercall))

#define XV_HV_PAGE 4096
#define XV_HV_LIST_BATCH 1024           /* entries per getdomaininfolist call */
#define XV_HV_SIM_TIMEOUT_MS 10000      /* default: a stuck simulator gives an error */
#define XV_HV_DESTROY_TIMEOUT_US (60 * G_USEC_PER_SEC)

typedef enum {
    XV_HV_PRIVCMD,
    XV_HV_SIM,
    XV_HV_CUSTOM,
} xvHvKind;

struct _xvHv {
    xvHvKind kind;
    int fd;                    /* privcmd, or the simulator socket (-1: reconnect) */
    int bufFd;                 /* /dev/xen/hypercall or -1 */
    char *simPath;
    char *desc;
    xvHvTransportFunc fn;
    void *opaque;
    GMutex lock;               /* one call at a time per connection */
    guint64 calls;
    int timeoutMs;             /* simulator round trip limit */
    guint8 *cache;             /* locked arena kept between calls (privcmd) */
    gsize cacheSize;
    bool cacheFromDev;
    const xvHvAbi *abi;
    guint major, minor;
    char extra[XV_HV_XENVER_EXTRA_LEN + 1];
};

/* ---- transports ---------------------------------------------------------- */

/* Locked memory for the connection's arena; *fromDev says which kind to
 * release. */
static guint8 *
hvArenaAlloc(xvHv *hv, gsize size, bool *fromDev)
{
    void *p;

    *fromDev = false;
    if (hv->bufFd >= 0) {
        p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, hv->bufFd, 0);
        if (p != MAP_FAILED) {
            *fromDev = true;
            return p;
        }
        /* over the device's page limit: fall back to locked memory */
    }
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    if (p == MAP_FAILED) {
        xvReportSystemError(errno, "cannot allocate %zu bytes of locked memory for a hypercall",
                            size);
        return NULL;
    }
    if (madvise(p, size, MADV_DONTFORK) < 0) {
        xvReportSystemError(errno, "madvise(MADV_DONTFORK) on a hypercall buffer");
        munmap(p, size);
        return NULL;
    }
    memset(p, 0, size);        /* fault every page in now, breaking any CoW */
    return p;
}

static void
hvArenaFree(guint8 *p, gsize size, bool fromDev)
{
    if (!fromDev)
        madvise(p, size, MADV_DOFORK);
    munmap(p, size);
}

static int
hvRunPrivcmd(xvHv *hv, xvHvCall *call, gint64 *ret)
{
    xvPrivcmdHypercall h = {.op = call->hypercall};
    gsize len = call->arena->len;
    gsize size = MAX((len + XV_HV_PAGE - 1) & ~(gsize) (XV_HV_PAGE - 1), XV_HV_PAGE);
    long r;

    if (len) {
        /* one locked arena per connection, grown on demand: locking and
         * mapping per call costs more than the hypercall itself */
        if (size > hv->cacheSize) {
            if (hv->cache)
                hvArenaFree(hv->cache, hv->cacheSize, hv->cacheFromDev);
            hv->cache = NULL;
            hv->cacheSize = 0;
            if (!(hv->cache = hvArenaAlloc(hv, size, &hv->cacheFromDev)))
                return -1;
            hv->cacheSize = size;
        }
        xvHvCallRelocate(call, hv->cache, (guint64) (uintptr_t) hv->cache, h.arg);
    } else {
        xvHvCallRelocate(call, NULL, 0, h.arg);
    }
    r = ioctl(hv->fd, XV_IOCTL_PRIVCMD_HYPERCALL, &h);
    *ret = r < 0 ? -(gint64) errno : r;
    if (len)
        memcpy(call->arena->data, hv->cache, len);
    return 0;
}

static int
hvSimConnect(xvHv *hv)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(hv->simPath) >= sizeof(sa.sun_path)) {
        xvReportError(VIR_ERR_INVALID_ARG, "hypercall endpoint path too long: %s", hv->simPath);
        return -1;
    }
    strcpy(sa.sun_path, hv->simPath);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        xvReportSystemError(errno, "cannot create a socket for %s", hv->simPath);
        return -1;
    }
    if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
        int e = errno;
        close(fd);
        if (e == ENOENT || e == ECONNREFUSED)
            xvReportError(VIR_ERR_NO_XEN, "%s: cannot connect: %s", hv->simPath, g_strerror(e));
        else
            xvReportSystemError(e, "cannot connect to the hypercall endpoint %s", hv->simPath);
        return -1;
    }
    hv->fd = fd;
    return 0;
}

/* Moves len bytes over the simulator socket before the deadline. */
static int
hvSimIO(xvHv *hv, guint8 *buf, gsize len, bool out, gint64 deadline)
{
    gsize done = 0;

    while (done < len) {
        struct pollfd pfd = {.fd = hv->fd, .events = out ? POLLOUT : POLLIN};
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        ssize_t n;
        int pr;

        if (left <= 0 || (pr = poll(&pfd, 1, left)) == 0) {
            xvReportError(VIR_ERR_OPERATION_TIMEOUT,
                          "hypercall endpoint %s did not answer within %d ms", hv->simPath,
                          hv->timeoutMs);
            return -1;
        }
        if (pr < 0) {
            if (errno == EINTR)
                continue;
            xvReportSystemError(errno, "poll on %s", hv->simPath);
            return -1;
        }
        n = out ? send(hv->fd, buf + done, len - done, MSG_NOSIGNAL)
                : recv(hv->fd, buf + done, len - done, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0) {
            xvReportSystemError(errno, "%s the hypercall endpoint %s", out ? "writing to" : "reading from",
                                hv->simPath);
            return -1;
        }
        if (n == 0) {
            xvReportError(VIR_ERR_XEN_CALL, "hypercall endpoint %s closed the connection",
                          hv->simPath);
            return -1;
        }
        done += n;
    }
    return 0;
}

static int
hvRunSim(xvHv *hv, xvHvCall *call, gint64 *ret)
{
    xvHvSimRequest req = {.hypercall = call->hypercall, .base = XV_HV_FIXED_BASE,
                          .arenaLen = call->arena->len};
    gint64 deadline = g_get_monotonic_time() + hv->timeoutMs * (gint64) 1000;
    g_autofree guint8 *frame = g_malloc(XV_HV_SIM_REQ_HDR + call->arena->len);
    guint8 rep[XV_HV_SIM_REP_HDR];
    g_autofree char *err = NULL;
    guint32 repLen;

    if (hv->fd < 0 && hvSimConnect(hv) < 0)
        return -1;
    xvHvCallRelocate(call, frame + XV_HV_SIM_REQ_HDR, XV_HV_FIXED_BASE, req.arg);
    xvHvSimRequestHeaderEncode(&req, frame);
    if (hvSimIO(hv, frame, XV_HV_SIM_REQ_HDR + call->arena->len, true, deadline) < 0 ||
        hvSimIO(hv, rep, sizeof(rep), false, deadline) < 0)
        goto broken;
    if (xvHvSimReplyHeaderParse(rep, sizeof(rep), ret, &repLen, &err) < 0) {
        xvReportError(VIR_ERR_XEN_CALL, "%s: %s", hv->simPath, err);
        goto broken;
    }
    if (repLen != call->arena->len) {
        xvReportError(VIR_ERR_XEN_CALL, "%s: reply carries %u arena bytes for a request of %u",
                      hv->simPath, repLen, call->arena->len);
        goto broken;
    }
    if (hvSimIO(hv, call->arena->data, repLen, false, deadline) < 0)
        goto broken;
    return 0;

 broken:
    /* the stream is out of step: the next call reconnects */
    close(hv->fd);
    hv->fd = -1;
    return -1;
}

/* Runs call: 0 with *ret = the hypercall's value or -errno, or -1 when the
 * transport itself failed (reported). */
static int
hvRun(xvHv *hv, xvHvCall *call, gint64 *ret)
{
    int rc;

    g_mutex_lock(&hv->lock);
    hv->calls++;
    switch (hv->kind) {
    case XV_HV_PRIVCMD:
        rc = hvRunPrivcmd(hv, call, ret);
        break;
    case XV_HV_SIM:
        rc = hvRunSim(hv, call, ret);
        break;
    case XV_HV_CUSTOM:
    default: {
        guint64 args[5];
        g_autofree guint8 *copy = g_malloc(MAX(call->arena->len, 1));
        xvHvCallRelocate(call, copy, XV_HV_FIXED_BASE, args);
        *ret = hv->fn(hv->opaque, call->hypercall, args, XV_HV_FIXED_BASE, copy, call->arena->len);
        if (call->arena->len)
            memcpy(call->arena->data, copy, call->arena->len);
        rc = 0;
        break;
    }
    }
    g_mutex_unlock(&hv->lock);
    return rc;
}

int
xvHvRun(xvHv *hv, xvHvCall *call, gint64 *ret)
{
    return hvRun(hv, call, ret);
}

/* ---- reporting ----------------------------------------------------------- */

static void
hvReportCallError(xvHv *hv, xvHvOp op, guint32 domid, gint64 ret)
{
    int e = (int) -ret;
    const char *name = xvHvErrnoName(e);
    g_autofree char *what = NULL;
    g_autofree char *errtxt = name ? g_strdup_printf("%s (%s)", name, g_strerror(e))
                                   : g_strdup_printf("Xen error %d", e);
    const char *family = !hv->abi || hv->abi->dom0op ? "dom0_op" :
                         op == XV_HV_OP_GETDOMAININFOLIST || op == XV_HV_OP_PHYSINFO ||
                         op == XV_HV_OP_SCHED_ID ? "sysctl" : "domctl";
    int code;

    if (op == XV_HV_OP_LAST)
        what = g_strdup("xen_version");
    else if (op == XV_HV_OP_GETDOMAININFOLIST || op == XV_HV_OP_PHYSINFO || op == XV_HV_OP_SCHED_ID)
        what = g_strdup_printf("%s %s", family, xvHvOpName(op));
    else
        what = g_strdup_printf("%s %s (domain %u)", family, xvHvOpName(op), domid);

    switch (e) {
    case ESRCH:
        code = VIR_ERR_NO_DOMAIN;
        break;
    case EPERM:
    case EACCES:
        code = VIR_ERR_OPERATION_DENIED;
        break;
    default:
        code = VIR_ERR_XEN_CALL;
    }
    /* the code's text says the rest: "failed Xen syscall", "Domain not
     * found", "operation forbidden" */
    xvReportError(code, "%s: %s", what, errtxt);
}

/* Encodes and runs op; -1 reported on any failure.  With rawRet the
 * hypercall's own failure is returned in *rawRet instead (the probe). */
static int
hvDo(xvHv *hv, const xvHvAbi *abi, xvHvOp op, guint32 domid, const xvHvParams *p,
     xvHvCall *call, gint64 *rawRet)
{
    g_autofree char *err = NULL;
    gint64 ret = 0;

    if (xvHvEncode(abi, op, domid, p, call, &err) < 0) {
        xvReportError(VIR_ERR_OPERATION_UNSUPPORTED, "%s", err);
        return -1;
    }
    if (hvRun(hv, call, &ret) < 0)
        return -1;
    if (rawRet) {
        *rawRet = ret;
        return 0;
    }
    if (ret < 0) {
        hvReportCallError(hv, op, domid, ret);
        return -1;
    }
    return 0;
}

/* ---- version probe (spec §6.2) -------------------------------------------- */

static int
hvXenVersion(xvHv *hv)
{
    xvHvCall call;
    gint64 ret = 0;
    int rc = -1;

    xvHvCallInit(&call);
    xvHvEncodeXenVersion(&call, XV_HV_XENVER_VERSION);
    if (hvRun(hv, &call, &ret) < 0)
        goto cleanup;
    if (ret <= 0) {
        xvReportError(VIR_ERR_NO_XEN, "Xen hypercall xen_version(XENVER_version) failed: %s",
                      ret < 0 && xvHvErrnoName(-ret) ? xvHvErrnoName(-ret) : "no version");
        goto cleanup;
    }
    hv->major = (guint32) ret >> 16;
    hv->minor = (guint32) ret & 0xFFFF;
    xvHvEncodeXenVersion(&call, XV_HV_XENVER_EXTRAVERSION);
    if (hvRun(hv, &call, &ret) < 0)
        goto cleanup;
    if (ret == 0)
        xvHvDecodeXenExtraVersion(&call, hv->extra);
    rc = 0;
 cleanup:
    xvHvCallClear(&call);
    return rc;
}

/* getdomaininfolist(0, 1) with row's interface: ret and the count. */
static int
hvProbeList(xvHv *hv, const xvHvAbi *row, gint64 *ret, guint32 *num, xvHvDomainInfo *dom0)
{
    xvHvParams p = {.first = 0, .count = 1};
    g_autoptr(GArray) list = g_array_new(FALSE, TRUE, sizeof(xvHvDomainInfo));
    g_autofree char *err = NULL;
    xvHvCall call;
    int rc = -1;

    *num = 0;
    xvHvCallInit(&call);
    if (hvDo(hv, row, XV_HV_OP_GETDOMAININFOLIST, 0, &p, &call, ret) < 0)
        goto cleanup;
    if (*ret == 0 && xvHvDecodeDomainList(&call, list, &err) == 0) {
        *num = list->len;
        if (list->len && dom0)
            *dom0 = g_array_index(list, xvHvDomainInfo, 0);
    }
    rc = 0;
 cleanup:
    xvHvCallClear(&call);
    return rc;
}

static int
hvProbeVcpu(xvHv *hv, const xvHvAbi *row, gint64 *ret)
{
    xvHvParams p = {.vcpu = 0};
    xvHvCall call;
    int rc;

    xvHvCallInit(&call);
    rc = hvDo(hv, row, XV_HV_OP_GETVCPUINFO, 0, &p, &call, ret);
    xvHvCallClear(&call);
    return rc;
}

static bool
seen(GArray *tried, guint32 v)
{
    guint i;
    for (i = 0; i < tried->len; i++) {
        if (g_array_index(tried, guint32, i) == v)
            return true;
    }
    g_array_append_val(tried, v);
    return false;
}

static void
hvReportProbeError(xvHv *hv, const char *what, guint32 iface, gint64 ret)
{
    const char *name = xvHvErrnoName((int) -ret);
    xvReportError(ret == -EPERM ? VIR_ERR_OPERATION_DENIED : VIR_ERR_XEN_CALL,
                  "probing Xen %u.%u: %s with interface version 0x%x failed: %s (%s)",
                  hv->major, hv->minor, what, iface, name ? name : "?", g_strerror((int) -ret));
}

static int
hvProbe(xvHv *hv)
{
    size_t ntable;
    const xvHvAbi *table = xvHvAbiTable(&ntable);
    g_autofree int *order = g_new(int, ntable + 1);
    g_autoptr(GArray) tried = g_array_new(FALSE, FALSE, sizeof(guint32));
    guint32 xenver, sysOk = 0, domOk = 0, num;
    bool haveSys = false, haveDom = false, dom0Path = false;
    const xvHvAbi *abi = NULL;
    xvHvDomainInfo dom0;
    gint64 ret;
    size_t i;
    int pass;

    if (hvXenVersion(hv) < 0)
        return -1;
    if (hv->major < 3) {
        xvReportError(VIR_ERR_NO_SUPPORT, "Xen %u.%u predates 3.0 and is not supported",
                      hv->major, hv->minor);
        return -1;
    }
    xenver = (hv->major << 16) | hv->minor;
    xvHvAbiProbeOrder(xenver, order, ntable + 1);

    /* sysctl: the expected version first, then every other known one; only
     * EACCES ("wrong interface_version") moves on. */
    for (i = 0; order[i] >= 0 && !haveSys && !dom0Path; i++) {
        const xvHvAbi *row = &table[order[i]];
        if (row->dom0op || seen(tried, row->sysIface))
            continue;
        if (hvProbeList(hv, row, &ret, &num, NULL) < 0)
            return -1;
        if (ret == 0 && num == 1) {
            sysOk = row->sysIface;
            haveSys = true;
        } else if (ret == -ENOSYS) {
            dom0Path = true;   /* no hypercall 35: before 3.0.3 */
        } else if (ret < 0 && ret != -EACCES) {
            hvReportProbeError(hv, "sysctl getdomaininfolist", row->sysIface, ret);
            return -1;
        }
    }

    if (haveSys) {
        /* domctl: rows with the accepted sysctl version, then all others */
        g_array_set_size(tried, 0);
        for (pass = 0; pass < 2 && !haveDom; pass++) {
            for (i = 0; order[i] >= 0 && !haveDom; i++) {
                const xvHvAbi *row = &table[order[i]];
                if (row->dom0op || (pass == 0 && row->sysIface != sysOk) ||
                    seen(tried, row->domIface))
                    continue;
                if (hvProbeVcpu(hv, row, &ret) < 0)
                    return -1;
                if (ret == 0) {
                    domOk = row->domIface;
                    haveDom = true;
                } else if (ret != -EACCES) {
                    hvReportProbeError(hv, "domctl getvcpuinfo", row->domIface, ret);
                    return -1;
                }
            }
        }
        if (!haveDom) {
            xvReportError(VIR_ERR_NO_SUPPORT,
                          "Xen %u.%u accepts sysctl interface 0x%x but none of the known domctl "
                          "interface versions", hv->major, hv->minor, sysOk);
            return -1;
        }
        if (!(abi = xvHvAbiByIfaces(false, sysOk, domOk, xenver))) {
            xvReportError(VIR_ERR_NO_SUPPORT,
                          "Xen %u.%u: no known release pairs sysctl interface 0x%x with domctl "
                          "interface 0x%x", hv->major, hv->minor, sysOk, domOk);
            return -1;
        }
    } else if (dom0Path) {
        for (i = 0; order[i] >= 0 && !abi; i++) {
            const xvHvAbi *row = &table[order[i]];
            if (!row->dom0op)
                continue;
            if (hvProbeList(hv, row, &ret, &num, NULL) < 0)
                return -1;
            if (ret == 0 && num == 1)
                abi = row;
            else if (ret < 0 && ret != -EACCES) {
                hvReportProbeError(hv, "dom0_op getdomaininfolist", row->sysIface, ret);
                return -1;
            }
        }
    }
    if (!abi) {
        xvReportError(VIR_ERR_NO_SUPPORT,
                      "Xen %u.%u%s accepts none of the known %s interface versions", hv->major,
                      hv->minor, hv->extra, dom0Path ? "dom0_op" : "sysctl");
        return -1;
    }
    if (sizeof(void *) < 8 && (abi->dom0op || abi->domIface < 5)) {
        xvReportError(VIR_ERR_NO_SUPPORT,
                      "the Xen %s interface has different layouts for 32-bit callers, which "
                      "are not described", abi->name);
        return -1;
    }

    /* With the layouts chosen, domain 0 must decode sanely. */
    if (hvProbeList(hv, abi, &ret, &num, &dom0) < 0)
        return -1;
    if (ret < 0 || num != 1 || dom0.domid != 0 || dom0.totPages == 0 ||
        (guint64) dom0.maxVcpuId + 1 < dom0.nrOnlineVcpus) {
        xvReportError(VIR_ERR_XEN_CALL,
                      "Xen %u.%u: interface %s accepted, but domain 0 does not decode sanely "
                      "(domain %u, %" G_GUINT64_FORMAT " pages, max vcpu id %u, %u online)",
                      hv->major, hv->minor, abi->name, dom0.domid, dom0.totPages,
                      dom0.maxVcpuId, dom0.nrOnlineVcpus);
        return -1;
    }
    hv->abi = abi;
    return 0;
}

/* ---- open / close -------------------------------------------------------- */

static xvHv *
hvNew(xvHvKind kind)
{
    xvHv *hv = g_new0(xvHv, 1);
    hv->kind = kind;
    hv->fd = -1;
    hv->bufFd = -1;
    hv->timeoutMs = XV_HV_SIM_TIMEOUT_MS;
    g_mutex_init(&hv->lock);
    return hv;
}

static int
hvOpenPrivcmd(xvHv *hv)
{
    static const char *const nodes[] = {"/dev/xen/privcmd", "/proc/xen/privcmd"};
    const char *node = NULL;
    int e = 0;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(nodes); i++) {
        node = nodes[i];
        if ((hv->fd = open(node, O_RDWR | O_CLOEXEC)) >= 0)
            break;
        e = errno;
        if (e != ENOENT && e != ENXIO && e != ENODEV)
            break;
    }
    if (hv->fd < 0) {
        if (e == EACCES || e == EPERM)
            xvReportError(VIR_ERR_OPERATION_DENIED,
                          "cannot open %s: %s (hypercalls need root)", node, g_strerror(e));
        else if (e == ENOENT || e == ENXIO || e == ENODEV)
            /* VIR_ERR_NO_XEN's text is "could not use Xen hypervisor entry %s" */
            xvReportError(VIR_ERR_NO_XEN,
                          "/dev/xen/privcmd (nor /proc/xen/privcmd): %s; not running on Xen?",
                          g_strerror(e));
        else
            xvReportSystemError(e, "cannot open %s", node);
        return -1;
    }
    hv->bufFd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
    hv->desc = g_strdup_printf("privcmd %s (buffers: %s)", node,
                               hv->bufFd >= 0 ? "/dev/xen/hypercall" : "locked anonymous memory");
    return 0;
}

xvHv *
xvHvOpen(const char *root)
{
    g_autoptr(xvHv) hv = NULL;

    if (root) {
        hv = hvNew(XV_HV_SIM);
        hv->simPath = g_build_filename(root, XV_HV_SIM_SOCKET, NULL);
        hv->desc = g_strdup_printf("sim %s", hv->simPath);
        if (hvSimConnect(hv) < 0)
            return NULL;
    } else {
        hv = hvNew(XV_HV_PRIVCMD);
        if (hvOpenPrivcmd(hv) < 0)
            return NULL;
    }
    if (hvProbe(hv) < 0)
        return NULL;
    return g_steal_pointer(&hv);
}

xvHv *
xvHvOpenCustom(xvHvTransportFunc fn, void *opaque)
{
    g_autoptr(xvHv) hv = hvNew(XV_HV_CUSTOM);

    hv->fn = fn;
    hv->opaque = opaque;
    hv->desc = g_strdup("custom transport");
    if (hvProbe(hv) < 0)
        return NULL;
    return g_steal_pointer(&hv);
}

void
xvHvClose(xvHv *hv)
{
    if (!hv)
        return;
    if (hv->fd >= 0)
        close(hv->fd);
    if (hv->cache)
        hvArenaFree(hv->cache, hv->cacheSize, hv->cacheFromDev);
    if (hv->bufFd >= 0)
        close(hv->bufFd);
    g_mutex_clear(&hv->lock);
    g_free(hv->simPath);
    g_free(hv->desc);
    g_free(hv);
}

const xvHvAbi *
xvHvGetAbi(xvHv *hv)
{
    return hv->abi;
}

void
xvHvGetVersion(xvHv *hv, guint *major, guint *minor, const char **extra)
{
    if (major)
        *major = hv->major;
    if (minor)
        *minor = hv->minor;
    if (extra)
        *extra = hv->extra;
}

void
xvHvSetTimeout(xvHv *hv, int ms)
{
    g_mutex_lock(&hv->lock);
    hv->timeoutMs = ms > 0 ? ms : XV_HV_SIM_TIMEOUT_MS;
    g_mutex_unlock(&hv->lock);
}

guint64
xvHvCallCount(xvHv *hv)
{
    guint64 n;
    g_mutex_lock(&hv->lock);
    n = hv->calls;
    g_mutex_unlock(&hv->lock);
    return n;
}

const char *
xvHvDescribe(xvHv *hv)
{
    return hv->desc;
}

/* ---- operations ---------------------------------------------------------- */

/* A call that lives for the scope of one operation. */
typedef xvHvCall xvHvScopedCall;
static void
scopedCallClear(xvHvScopedCall *c)
{
    xvHvCallClear(c);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(xvHvScopedCall, scopedCallClear);
#define HV_CALL(name) g_auto(xvHvScopedCall) name = {0}; xvHvCallInit(&name)

static int
hvDecodeFailed(xvHvOp op, char *err)
{
    xvReportError(VIR_ERR_XEN_CALL, "%s: malformed reply: %s", xvHvOpName(op), err);
    g_free(err);
    return -1;
}

int
xvHvListDomains(xvHv *hv, GArray **out)
{
    g_autoptr(GArray) list = g_array_new(FALSE, TRUE, sizeof(xvHvDomainInfo));
    xvHvParams p = {.first = 0, .count = XV_HV_LIST_BATCH};
    char *err = NULL;
    HV_CALL(call);

    for (;;) {
        guint before = list->len;
        if (hvDo(hv, hv->abi, XV_HV_OP_GETDOMAININFOLIST, 0, &p, &call, NULL) < 0)
            return -1;
        if (xvHvDecodeDomainList(&call, list, &err) < 0)
            return hvDecodeFailed(XV_HV_OP_GETDOMAININFOLIST, err);
        /* a full buffer may mean more domains: continue after the last */
        if (list->len - before < p.count)
            break;
        p.first = g_array_index(list, xvHvDomainInfo, list->len - 1).domid + 1;
        if (p.first > 0x7FEF)  /* DOMID_FIRST_RESERVED */
            break;
    }
    *out = g_steal_pointer(&list);
    return 0;
}

int
xvHvGetDomainInfo(xvHv *hv, guint32 domid, xvHvDomainInfo *out)
{
    char *err = NULL;
    HV_CALL(call);

    if (hvDo(hv, hv->abi, XV_HV_OP_GETDOMAININFO, domid, NULL, &call, NULL) < 0)
        return -1;
    if (xvHvDecodeDomainInfo(&call, out, &err) < 0)
        return hvDecodeFailed(XV_HV_OP_GETDOMAININFO, err);
    /* up to 4.17 Xen answers with the next domain >= domid */
    if (out->domid != domid) {
        xvReportError(VIR_ERR_NO_DOMAIN, "no domain with id %u", domid);
        return -1;
    }
    return 0;
}

char *
xvHvGetCapabilities(xvHv *hv)
{
    gint64 ret = 0;
    char *caps = NULL;
    HV_CALL(call);

    xvHvEncodeXenVersion(&call, XV_HV_XENVER_CAPABILITIES);
    if (hvRun(hv, &call, &ret) < 0)
        return NULL;
    if (ret < 0) {
        hvReportCallError(hv, XV_HV_OP_LAST, 0, ret);
        return NULL;
    }
    caps = xvHvDecodeXenVersionString(&call);
    return caps;
}

int
xvHvGetPhysInfo(xvHv *hv, xvHvPhysInfo *out)
{
    char *err = NULL;
    HV_CALL(call);

    if (hvDo(hv, hv->abi, XV_HV_OP_PHYSINFO, 0, NULL, &call, NULL) < 0)
        return -1;
    if (xvHvDecodePhysInfo(&call, out, &err) < 0)
        return hvDecodeFailed(XV_HV_OP_PHYSINFO, err);
    return 0;
}

int
xvHvGetSchedId(xvHv *hv, guint32 *schedId)
{
    char *err = NULL;
    HV_CALL(call);

    if (hvDo(hv, hv->abi, XV_HV_OP_SCHED_ID, 0, NULL, &call, NULL) < 0)
        return -1;
    if (xvHvDecodeSchedId(&call, schedId, &err) < 0)
        return hvDecodeFailed(XV_HV_OP_SCHED_ID, err);
    return 0;
}

static int
hvSimple(xvHv *hv, xvHvOp op, guint32 domid, const xvHvParams *p)
{
    HV_CALL(call);
    return hvDo(hv, hv->abi, op, domid, p, &call, NULL);
}

int
xvHvPauseDomain(xvHv *hv, guint32 domid)
{
    return hvSimple(hv, XV_HV_OP_PAUSEDOMAIN, domid, NULL);
}

int
xvHvUnpauseDomain(xvHv *hv, guint32 domid)
{
    return hvSimple(hv, XV_HV_OP_UNPAUSEDOMAIN, domid, NULL);
}

int
xvHvDestroyDomain(xvHv *hv, guint32 domid)
{
    gint64 deadline = g_get_monotonic_time() + XV_HV_DESTROY_TIMEOUT_US;
    gint64 ret = 0;
    HV_CALL(call);

    do {
        if (hvDo(hv, hv->abi, XV_HV_OP_DESTROYDOMAIN, domid, NULL, &call, &ret) < 0)
            return -1;
    } while (ret == -EAGAIN && g_get_monotonic_time() < deadline);
    if (ret < 0) {
        hvReportCallError(hv, XV_HV_OP_DESTROYDOMAIN, domid, ret);
        return -1;
    }
    return 0;
}

int
xvHvSetMaxMem(xvHv *hv, guint32 domid, guint64 kib)
{
    xvHvParams p = {.value = kib};
    return hvSimple(hv, XV_HV_OP_MAX_MEM, domid, &p);
}

int
xvHvSetMaxVcpus(xvHv *hv, guint32 domid, guint32 max)
{
    xvHvParams p = {.value = max};
    return hvSimple(hv, XV_HV_OP_MAX_VCPUS, domid, &p);
}

int
xvHvGetVcpuInfo(xvHv *hv, guint32 domid, guint32 vcpu, xvHvVcpuInfo *out)
{
    xvHvParams p = {.vcpu = vcpu};
    char *err = NULL;
    HV_CALL(call);

    if (hvDo(hv, hv->abi, XV_HV_OP_GETVCPUINFO, domid, &p, &call, NULL) < 0)
        return -1;
    if (xvHvDecodeVcpuInfo(&call, out, &err) < 0)
        return hvDecodeFailed(XV_HV_OP_GETVCPUINFO, err);
    return 0;
}

int
xvHvSetVcpuAffinity(xvHv *hv, guint32 domid, guint32 vcpu, const guint8 *map, guint32 len)
{
    xvHvParams p = {.vcpu = vcpu, .cpumap = map, .cpumapLen = len};
    return hvSimple(hv, XV_HV_OP_SETVCPUAFFINITY, domid, &p);
}

int
xvHvGetVcpuAffinity(xvHv *hv, guint32 domid, guint32 vcpu, guint8 *map, guint32 len)
{
    xvHvParams p = {.vcpu = vcpu, .cpumapLen = len};
    const guint8 *got;
    guint32 gotLen;
    char *err = NULL;
    HV_CALL(call);

    if (hvDo(hv, hv->abi, XV_HV_OP_GETVCPUAFFINITY, domid, &p, &call, NULL) < 0)
        return -1;
    if (xvHvDecodeAffinity(&call, &got, &gotLen, &err) < 0)
        return hvDecodeFailed(XV_HV_OP_GETVCPUAFFINITY, err);
    memset(map, 0, len);
    memcpy(map, got, MIN(len, gotLen));
    return 0;
}

int
xvHvGetSchedCredit(xvHv *hv, guint32 domid, guint32 schedId, guint16 *weight, guint16 *cap)
{
    xvHvParams p = {.schedId = schedId};
    char *err = NULL;
    HV_CALL(call);

    if (hvDo(hv, hv->abi, XV_HV_OP_SCHED_CREDIT_GET, domid, &p, &call, NULL) < 0)
        return -1;
    if (xvHvDecodeCredit(&call, weight, cap, &err) < 0)
        return hvDecodeFailed(XV_HV_OP_SCHED_CREDIT_GET, err);
    return 0;
}

int
xvHvSetSchedCredit(xvHv *hv, guint32 domid, guint32 schedId, guint16 weight, guint16 cap)
{
    xvHvParams p = {.schedId = schedId, .weight = weight, .cap = cap};
    return hvSimple(hv, XV_HV_OP_SCHED_CREDIT_SET, domid, &p);
}
