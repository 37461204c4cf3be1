/*
 * hvsim.c: the hypercall endpoint (see hvsim.h).
 *
 * Connections are read without blocking on the main loop; each complete
 * request frame (72-byte header + arena) is answered in order.  What Xen
 * would refuse is refused with its errno: an unknown domain ESRCH, a vcpu
 * beyond the domain's EINVAL, pausing or destroying Domain-0 EINVAL, and
 * on 4.5+ (pauses nest) unpausing a domain that is not paused EINVAL; up
 * to 4.4 a destroy first answers EAGAIN with the domain left dying.
 * Faults (hv:delay, hv:drop, hv:garble) spoil replies for client tests.
 */
#include <errno.h>
#include <string.h>

#include "connserver.h"
#include "hvsim.h"
#include "xen/hypervisor.h"

#define XSIM_SCHED_SEDF 4
#define XSIM_SCHED_CREDIT 5

struct _XsimHv {
    XsimHost *host;
    const xvHvAbi *abi;
    char *path;
    XsimServer *srv;           /* connections: XsimConn, owner the XsimHv */
};

static guint32
xsimHvSchedId(XsimHost *host)
{
    return xsimHostSince(host, 3, 0, 3) ? XSIM_SCHED_CREDIT : XSIM_SCHED_SEDF;
}

static void
xsimHvDomainInfo(XsimDomain *d, xvHvDomainInfo *out)
{
    memset(out, 0, sizeof(*out));
    out->domid = d->domid;
    out->dying = d->dying;
    out->shutdown = d->shutdown;
    out->shutdownReason = d->shutdown ? d->shutdownReason : -1;
    out->paused = d->paused;
    out->running = !d->paused && !d->shutdown && !d->dying;
    out->blocked = FALSE;
    out->hvm = d->def->os_type == XV_DOMAIN_OS_HVM;
    out->cpu = out->running ? (int)(d->domid % XSIM_HOST_CPUS) : -1;
    out->totPages = d->memoryKiB / 4;
    out->maxPages = d->maxMemoryKiB / 4;
    out->sharedInfoFrame = 0x1000 + d->domid;
    out->cpuTime = xsimDomainCpuNs(d);
    out->nrOnlineVcpus = d->onlineVcpus;
    out->maxVcpuId = d->vcpus - 1;
    memcpy(out->handle, d->uuidRaw, 16);
}

static gint64
xsimHvXenVersion(XsimHv *hv, const xvHvRequest *r, guint8 *arena)
{
    XsimHost *host = hv->host;
    g_autofree char *text = NULL;

    switch (r->xenverCmd) {
    case XV_HV_XENVER_VERSION:
        return hv->abi->xenver;
    case XV_HV_XENVER_EXTRAVERSION:
        /* 3.0.x report 3.0 and the third number here */
        text = host->vmajor == 3 && host->vminor == 0 ? g_strdup_printf(".%u", host->vmicro)
                                                      : g_strdup(".0");
        break;
    case XV_HV_XENVER_CAPABILITIES:
        text = g_strdup("xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p "
                        "hvm-3.0-x86_64");
        break;
    case XV_HV_XENVER_CHANGESET:
        text = g_strdup_printf("xensim %s", host->xenVersion);
        break;
    case XV_HV_XENVER_COMMANDLINE:
        if (!xsimHostSince(host, 4, 0, 0))
            return -ENOSYS;
        text = g_strdup("placeholder dom0_mem=1024M");
        break;
    default:
        return r->dataLen ? 0 : -ENOSYS;
    }
    if (r->dataLen) {
        memset(arena + r->dataOff, 0, r->dataLen);
        memcpy(arena + r->dataOff, text, MIN(strlen(text), r->dataLen - 1));
    }
    return 0;
}

/* Every active domain in ascending id order. */
static GArray *
xsimHvList(XsimHost *host)
{
    GArray *a = g_array_sized_new(FALSE, TRUE, sizeof(xvHvDomainInfo), host->domains->len);

    for (guint i = 0; i < host->domains->len; i++) {
        XsimDomain *d = g_ptr_array_index(host->domains, i);
        xvHvDomainInfo info;
        guint at;
        if (!d->active)
            continue;
        xsimHvDomainInfo(d, &info);
        /* domains are created with rising ids but restarts renumber */
        for (at = a->len; at > 0 && g_array_index(a, xvHvDomainInfo, at - 1).domid > info.domid;
             at--)
            ;
        g_array_insert_val(a, at, info);
    }
    return a;
}

static gint64
xsimHvDispatch(XsimHv *hv, const xvHvSimRequest *req, guint8 *arena)
{
    XsimHost *host = hv->host;
    const xvHvAbi *abi = hv->abi;
    xvHvRequest r;
    XsimDomain *d = NULL;
    int rc = xvHvParseRequest(abi, req->hypercall, req->arg, req->base, arena, req->arenaLen, &r);

    if (rc < 0)
        return rc;
    if (req->hypercall == XV_HV_HYPERCALL_XEN_VERSION)
        return xsimHvXenVersion(hv, &r, arena);
    switch (r.op) {
    case XV_HV_OP_PHYSINFO: {
        xvHvPhysInfo pi = {
            .threadsPerCore = 2, .coresPerSocket = 2, .socketsPerNode = 1,
            .nrCpus = XSIM_HOST_CPUS, .maxCpuId = XSIM_HOST_CPUS - 1, .nrNodes = 1,
            .maxNodeId = 0, .cpuKhz = 2400000, .capabilities = 1 /* hvm */,
            .totalPages = XSIM_HOST_MEMORY_KIB / 4,
            .freePages = xsimHostFreeMemoryKiB(host) / 4,
            .maxMfn = XSIM_HOST_MEMORY_KIB / 4 - 1,
            .hwCap = {0xbfebfbff, 0x20100800, 0x0000e3bd, 0, 0x0000e3bd, 0, 0x00000001, 0},
        };
        return xvHvReplyPhysInfo(abi, &r, arena, &pi);
    }
    case XV_HV_OP_SCHED_ID:
        return xvHvReplySchedId(abi, &r, arena, xsimHvSchedId(host));
    case XV_HV_OP_GETDOMAININFOLIST: {
        g_autoptr(GArray) list = xsimHvList(host);
        return xvHvReplyDomainList(abi, &r, arena, (const xvHvDomainInfo *)list->data, list->len);
    }
    case XV_HV_OP_GETDOMAININFO: {
        /* Xen up to 4.17 answers with the first domain at or after the id */
        g_autoptr(GArray) list = xsimHvList(host);
        for (guint i = 0; i < list->len; i++) {
            const xvHvDomainInfo *info = &g_array_index(list, xvHvDomainInfo, i);
            if (info->domid >= r.domid)
                return xvHvReplyDomainInfo(abi, &r, arena, info);
        }
        return -ESRCH;
    }
    case XV_HV_OP_LAST:
        return -ENOSYS;
    default:
        break;
    }

    /* The per-domain operations. */
    if (!(d = xsimHostFindDomain(host, r.domid)))
        return -ESRCH;
    switch (r.op) {
    case XV_HV_OP_PAUSEDOMAIN:
        if (d->domid == 0)
            return -EINVAL;
        xsimHostPause(host, d);
        return 0;
    case XV_HV_OP_UNPAUSEDOMAIN:
        if (d->domid == 0)
            return -EINVAL;
        if (abi->pauseCounted && !d->paused)
            return -EINVAL;
        xsimHostUnpause(host, d);
        return 0;
    case XV_HV_OP_DESTROYDOMAIN:
        if (d->domid == 0)
            return -EINVAL;
        if (!xsimHostSince(host, 4, 5, 0) && !d->dying) {
            /* up to 4.4 Xen tears a domain down in steps: the first call
             * leaves it dying and answers EAGAIN, libxc calls again */
            d->dying = TRUE;
            d->cpuNs = xsimDomainCpuNs(d);
            d->runSince = 0;
            return -EAGAIN;
        }
        xsimHostDestroy(host, d);
        return 0;
    case XV_HV_OP_MAX_MEM:
        d->maxMemoryKiB = r.params.value;
        return 0;
    case XV_HV_OP_MAX_VCPUS:
        if (r.params.value < d->onlineVcpus || r.params.value > XSIM_MAX_VCPUS)
            return -EINVAL;
        d->vcpus = r.params.value;
        return 0;
    case XV_HV_OP_GETVCPUINFO: {
        xvHvVcpuInfo vi = {0};
        if (r.params.vcpu >= d->vcpus)
            return -EINVAL;
        vi.vcpu = r.params.vcpu;
        vi.online = r.params.vcpu < d->onlineVcpus;
        vi.running = vi.online && !d->paused && !d->shutdown;
        vi.blocked = vi.online && !vi.running;
        vi.cpuTime = vi.online ? xsimDomainCpuNs(d) / MAX(d->onlineVcpus, 1u) : 0;
        vi.cpu = (d->domid + r.params.vcpu) % XSIM_HOST_CPUS;
        return xvHvReplyVcpuInfo(abi, &r, arena, &vi);
    }
    case XV_HV_OP_SETVCPUAFFINITY:
    case XV_HV_OP_GETVCPUAFFINITY: {
        guint8 map[8];
        if (r.params.vcpu >= d->vcpus)
            return -EINVAL;
        if (r.op == XV_HV_OP_SETVCPUAFFINITY) {
            guint64 bits = 0;
            for (guint i = 0; i < MIN(r.params.cpumapLen, 8u); i++)
                bits |= (guint64)r.params.cpumap[i] << (8 * i);
            bits &= (G_GUINT64_CONSTANT(1) << XSIM_HOST_CPUS) - 1;
            if (!bits)
                return -EINVAL;
            d->affinity[r.params.vcpu] = bits;
        }
        for (guint i = 0; i < 8; i++)
            map[i] = (d->affinity[r.params.vcpu] >> (8 * i)) & 0xff;
        return xvHvReplyAffinity(&r, arena, map, sizeof(map));
    }
    case XV_HV_OP_SCHED_CREDIT_GET:
    case XV_HV_OP_SCHED_CREDIT_SET:
        if (r.params.schedId != xsimHvSchedId(host))
            return -EINVAL;
        if (r.op == XV_HV_OP_SCHED_CREDIT_GET)
            return xvHvReplyCredit(abi, &r, arena, d->weight, d->cap);
        if (r.params.weight)
            d->weight = r.params.weight;
        if (r.params.cap != 0xFFFF)
            d->cap = r.params.cap;
        return 0;
    default:
        return -ENOSYS;
    }
}

/* Answer every complete frame in c->in; FALSE when c was closed or a
 * reply is held (connserver.h). */
static gboolean
xsimHvServe(XsimConn *c)
{
    XsimHv *hv = c->owner;
    XsimHost *host = hv->host;

    while (c->in->len >= XV_HV_SIM_REQ_HDR) {
        xvHvSimRequest req;
        g_autofree char *err = NULL;
        g_autoptr(GByteArray) out = NULL;
        guint8 hdr[XV_HV_SIM_REP_HDR];
        gint64 ret;
        gboolean garble;
        gsize n;

        if (xvHvSimRequestHeaderParse(c->in->data, c->in->len, &req, &err) < 0) {
            g_message("xensim: hypercall endpoint: %s; closing the connection", err);
            xsimConnClose(c);
            return FALSE;
        }
        if (c->in->len < XV_HV_SIM_REQ_HDR + (gsize)req.arenaLen)
            return TRUE;
        ret = xsimHvDispatch(hv, &req, c->in->data + XV_HV_SIM_REQ_HDR);
        host->counters.hypercalls++;
        xvHvSimReplyHeaderEncode(ret, req.arenaLen, hdr);
        out = g_byte_array_new();
        g_byte_array_append(out, hdr, sizeof(hdr));
        g_byte_array_append(out, c->in->data + XV_HV_SIM_REQ_HDR, req.arenaLen);
        g_byte_array_remove_range(c->in, 0, XV_HV_SIM_REQ_HDR + req.arenaLen);
        n = xsimFaultsNext(&host->hvFaults, out->len, &garble);
        if (garble)
            out->data[0] = 'Z';
        if (n < out->len) {
            xsimWriteAll(c->fd, out->data, n);
            xsimConnClose(c);
            return FALSE;
        }
        if (host->hvFaults.delayMs) {
            xsimConnHold(c, out->data, out->len, host->hvFaults.delayMs);
            return FALSE;
        }
        if (!xsimWriteAll(c->fd, out->data, out->len)) {
            xsimConnClose(c);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
xsimHvListen(XsimHv *hv, GError **error)
{
    return xsimServerListenUnix(hv->srv, hv->path, error);
}

gboolean
xsimHvStart(XsimHost *host, GError **error)
{
    XsimHv *hv = g_new0(XsimHv, 1);

    hv->host = host;
    hv->abi = xvHvAbiByName(host->xenVersion);
    if (!hv->abi) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "no hypercall interface known for Xen %s", host->xenVersion);
        g_free(hv);
        return FALSE;
    }
    hv->path = g_build_filename(host->root, XV_HV_SIM_SOCKET, NULL);
    /* an unfinished frame is never longer than the largest frame (the
     * header check refuses a larger arena): a backstop */
    hv->srv = xsimServerNew(hv, sizeof(XsimConn),
                            XV_HV_SIM_REQ_HDR + XV_HV_MAX_ARENA + 65536u, xsimHvServe, NULL);
    if (!xsimHvListen(hv, error)) {
        xsimServerFree(hv->srv);
        g_free(hv->path);
        g_free(hv);
        return FALSE;
    }
    host->hv = hv;
    return TRUE;
}

gboolean
xsimHvRestart(XsimHost *host, GError **error)
{
    XsimHv *hv = host->hv;

    if (!hv)
        return TRUE;
    xsimServerReset(hv->srv);
    return xsimHvListen(hv, error);
}

gboolean
xsimHvFault(XsimHost *host, const char *spec, GError **error)
{
    return xsimFaultsParse(&host->hvFaults, "hv", spec, error);
}
