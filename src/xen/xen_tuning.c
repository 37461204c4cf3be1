/*
 * xen_tuning.c: a domain's resources: memory (balloon target and maximum), vcpus
 * (count, hotplug, info, pinning) and the credit scheduler's weight and
 * cap.  Live changes go to the hypercall channel and xenstore as xl
 * makes them, or to xend where there is one; the maximum vcpu count of an
 * inactive domain is a change of its stored definition.
 */
#define XV_FROM VIR_FROM_XEN
#include "xen/xen_driver_priv.h"
#include "util/error.h"

#include <string.h>

#include "conf/domain_conf.h"

typedef struct {
    unsigned long kib;
    unsigned int flags;
} memReq;

static int
opSetMemory(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    memReq *r = data;
    bool max = r->flags & VIR_DOMAIN_MEM_MAXIMUM;
    g_autofree char *mib = g_strdup_printf("%lu", (r->kib + 1023) / 1024);

    if ((r->flags & VIR_DOMAIN_AFFECT_CONFIG) && !(r->flags & VIR_DOMAIN_AFFECT_LIVE) &&
        d->id >= 0 && !p->xend) {
        return xenNoChannel(p, "changing the persistent memory of a running domain", "xend");
    }
    if (!max && r->kib > d->max_kib) {
        xvReportError(VIR_ERR_INVALID_ARG, "cannot set memory of '%s' higher than its maximum "
                      "(%lu > %llu KiB)", dom->name, r->kib, d->max_kib);
        return -1;
    }
    if (p->xend)
        return xenXendDomainOp(p, d, NULL, "op", max ? "maxmem_set" : "mem_target_set",
                            max ? "memory" : "target", mib, NULL);
    if (d->id < 0)
        return xenNoChannel(p, "changing an inactive domain's memory", "xend");
    if (max) {
        g_autofree char *path = g_strdup_printf("/local/domain/%d/memory/static-max", d->id);
        g_autofree char *val = g_strdup_printf("%lu", r->kib);
        if (!p->hv)
            return xenNoChannel(p, "setting maximum memory", "the hypercall channel");
        if (xvHvSetMaxMem(p->hv, (guint32)d->id, r->kib) < 0)
            return -1;
        /* the ceiling xl and our getters read back (see staticMax) */
        if (d->id > 0 && p->xs && xvXsWrite(p->xs, XV_XS_NO_TX, path, val, strlen(val)) < 0)
            return -1;
        return 0;
    } else {
        /* The balloon driver follows memory/target (KiB), as with xl; like
         * xl, the hypervisor's limit moves to the target plus 1 MiB, or
         * the guest could not balloon up past its creation-time limit. */
        g_autofree char *path = g_strdup_printf("/local/domain/%d/memory/target", d->id);
        g_autofree char *val = g_strdup_printf("%lu", r->kib);
        if (!p->xs)
            return xenNoChannel(p, "setting memory", "the xenstore channel");
        if (p->hv && d->id > 0 && xvHvSetMaxMem(p->hv, (guint32)d->id, r->kib + 1024) < 0)
            return -1;
        return xvXsWrite(p->xs, XV_XS_NO_TX, path, val, strlen(val));
    }
}

int
xenDomainSetMemoryFlags(virDomainPtr dom, unsigned long memory, unsigned int flags)
{
    memReq r = {memory, flags};
    XV_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_MEM_MAXIMUM, -1);
    return xenWithDomain(dom, opSetMemory, &r);
}

int
xenDomainSetMaxMemory(virDomainPtr dom, unsigned long memory)
{
    return xenDomainSetMemoryFlags(dom, memory, VIR_DOMAIN_MEM_MAXIMUM);
}

typedef struct {
    unsigned int n;
    unsigned int flags;
} vcpuReq;

/* The maximum vcpu count of an inactive domain lives in its config: change
 * the definition and store it the way define does. */
static int
setMaxVcpusConfig(xenPriv *p, virDomainPtr dom, xenDomInfo *d, unsigned int n)
{
    xenDomInfo again = {0};
    g_autoptr(xvDomainDef) def = xenDomDef(p, dom, &again);

    xenDomInfoClear(&again);
    if (!def)
        return -1;
    {
        /* The current count stays what it was, within the new maximum. */
        unsigned int cur = MIN(def->vcpus_current ? def->vcpus_current : def->vcpus, n);
        def->vcpus = n;
        def->vcpus_current = cur == n ? 0 : cur;
    }
    return xenStoreDefinition(p, def, "changing the maximum vcpus");
}

static int
opSetVcpus(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    vcpuReq *r = data;
    g_autofree char *n = g_strdup_printf("%u", r->n);
    g_autoptr(xvDomainDef) def = NULL;
    xenDomInfo again = {0};

    if (r->flags & VIR_DOMAIN_VCPU_MAXIMUM) {
        if (d->id >= 0) {
            xvReportError(VIR_ERR_OPERATION_INVALID,
                          "cannot change the maximum vcpu count of a running domain");
            return -1;
        }
        return setMaxVcpusConfig(p, dom, d, r->n);
    }
    if ((def = xenDomDef(p, dom, &again)) && r->n > def->vcpus) {
        xvReportError(VIR_ERR_INVALID_ARG, "requested vcpus is greater than max allowable vcpus "
                      "for the domain: %u > %u", r->n, def->vcpus);
        xenDomInfoClear(&again);
        return -1;
    }
    xenDomInfoClear(&again);
    if (!def)
        return -1;
    if (p->xend)
        return xenXendDomainOp(p, d, NULL, "op", "set_vcpus", "vcpus", n, NULL);
    if (d->id < 0 || !p->xs)
        return xenNoChannel(p, "setting vcpus", "xend or the xenstore channel");
    /* Hotplug through the guest's cpu/N/availability nodes, as xl does. */
    for (unsigned int v = 0; v < def->vcpus; v++) {
        g_autofree char *path = g_strdup_printf("/local/domain/%d/cpu/%u/availability", d->id, v);
        const char *val = v < r->n ? "online" : "offline";
        if (xvXsWrite(p->xs, XV_XS_NO_TX, path, val, strlen(val)) < 0)
            return -1;
    }
    return 0;
}

int
xenDomainSetVcpusFlags(virDomainPtr dom, unsigned int nvcpus, unsigned int flags)
{
    vcpuReq r = {nvcpus, flags};
    XV_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM, -1);
    return xenWithDomain(dom, opSetVcpus, &r);
}

int
xenDomainGetVcpusFlags(virDomainPtr dom, unsigned int flags)
{
    xenPriv *p = PRIV(dom->conn);
    xenDomInfo d = {0};
    g_autoptr(xvDomainDef) def = NULL;
    int ret = -1;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM, -1);
    xenLock(p);
    def = xenDomDef(p, dom, &d);
    xenUnlock(p);
    if (def) {
        if ((flags & VIR_DOMAIN_AFFECT_LIVE) && d.id < 0)
            xvReportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not running", dom->name);
        else if (flags & VIR_DOMAIN_VCPU_MAXIMUM)
            ret = (int)def->vcpus;
        else if (d.id >= 0 && !(flags & VIR_DOMAIN_AFFECT_CONFIG))
            ret = (int)d.vcpus;
        else
            ret = (int)(def->vcpus_current ? def->vcpus_current : def->vcpus);
    }
    xenDomInfoClear(&d);
    return ret;
}

typedef struct {
    virVcpuInfoPtr info;
    int maxinfo;
    unsigned char *cpumaps;
    int maplen;
} vcpusReq;

static int
opGetVcpus(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    vcpusReq *r = data;
    int n = 0;

    if (d->id < 0) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "cannot list vcpus for an inactive domain");
        return -1;
    }
    if (!p->hv)
        return xenNoChannel(p, "vcpu information", "the hypercall channel");
    for (guint32 v = 0; n < r->maxinfo && v < XEN_MAX_VCPUS; v++) {
        xvHvVcpuInfo vi;
        if (xvHvGetVcpuInfo(p->hv, (guint32)d->id, v, &vi) < 0) {
            virResetLastError(); /* past the last vcpu */
            break;
        }
        r->info[n].number = v;
        r->info[n].state = !vi.online ? VIR_VCPU_OFFLINE
                           : vi.running ? VIR_VCPU_RUNNING : VIR_VCPU_BLOCKED;
        r->info[n].cpuTime = vi.cpuTime;
        r->info[n].cpu = vi.online ? (int)vi.cpu : -1;
        if (r->cpumaps &&
            xvHvGetVcpuAffinity(p->hv, (guint32)d->id, v,
                                VIR_GET_CPUMAP(r->cpumaps, r->maplen, n), (guint32)r->maplen) < 0)
            return -1;
        n++;
    }
    return n;
}

int
xenDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo, unsigned char *cpumaps,
                  int maplen)
{
    vcpusReq r = {info, maxinfo, cpumaps, maplen};
    return xenWithDomain(dom, opGetVcpus, &r);
}

typedef struct {
    unsigned int vcpu;
    const unsigned char *map;
    int maplen;
} pinReq;

static int
opPin(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    pinReq *r = data;

    if (d->id < 0) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "cannot pin vcpus on an inactive domain");
        return -1;
    }
    if (!p->hv)
        return xenNoChannel(p, "vcpu pinning", "the hypercall channel");
    return xvHvSetVcpuAffinity(p->hv, (guint32)d->id, r->vcpu, r->map, (guint32)r->maplen);
}

int
xenDomainPinVcpu(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap, int maplen)
{
    pinReq r = {vcpu, cpumap, maplen};
    return xenWithDomain(dom, opPin, &r);
}

/* ---- scheduler -------------------------------------------------------- */

static int
opSched(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    virTypedParameterPtr params = data;
    guint32 sched;
    guint16 weight = 0, cap = 0;

    if (xenRequireActive(d, dom->name) < 0)
        return -1;
    if (!p->hv)
        return xenNoChannel(p, "scheduler parameters", "the hypercall channel");
    if (xvHvGetSchedId(p->hv, &sched) < 0 ||
        xvHvGetSchedCredit(p->hv, (guint32)d->id, sched, &weight, &cap) < 0)
        return -1;
    if (params) {
        g_strlcpy(params[0].field, VIR_DOMAIN_SCHEDULER_WEIGHT, VIR_TYPED_PARAM_FIELD_LENGTH);
        params[0].type = VIR_TYPED_PARAM_UINT;
        params[0].value.ui = weight;
        g_strlcpy(params[1].field, VIR_DOMAIN_SCHEDULER_CAP, VIR_TYPED_PARAM_FIELD_LENGTH);
        params[1].type = VIR_TYPED_PARAM_UINT;
        params[1].value.ui = cap;
    }
    return 0;
}

char *
xenDomainGetSchedulerType(virDomainPtr dom, int *nparams)
{
    if (xenWithDomain(dom, opSched, NULL) < 0)
        return NULL;
    *nparams = 2;
    return g_strdup("credit");
}

int
xenDomainGetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params, int *nparams,
                                     unsigned int flags)
{
    virTypedParameter tmp[2];

    if (xenWithDomain(dom, opSched, tmp) < 0)
        return -1;
    *nparams = MIN(*nparams, 2);
    memcpy(params, tmp, sizeof(tmp[0]) * (size_t)*nparams);
    return 0;
}

typedef struct {
    virTypedParameterPtr params;
    int nparams;
} schedSetReq;

static int
opSchedSet(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    schedSetReq *r = data;
    guint32 sched;
    guint16 weight = 0, cap = 0xFFFF; /* unchanged */

    if (xenRequireActive(d, dom->name) < 0)
        return -1;
    if (!p->hv)
        return xenNoChannel(p, "scheduler parameters", "the hypercall channel");
    for (int i = 0; i < r->nparams; i++) {
        const virTypedParameter *t = &r->params[i];
        bool isWeight = strcmp(t->field, VIR_DOMAIN_SCHEDULER_WEIGHT) == 0;
        if (!isWeight && strcmp(t->field, VIR_DOMAIN_SCHEDULER_CAP) != 0) {
            xvReportError(VIR_ERR_INVALID_ARG, "parameter '%s' is not one of the credit "
                          "scheduler's (weight, cap)", t->field);
            return -1;
        }
        if (t->type != VIR_TYPED_PARAM_UINT) {
            xvReportError(VIR_ERR_INVALID_ARG, "parameter '%s' must be an unsigned int",
                          t->field);
            return -1;
        }
        if (isWeight && (t->value.ui < 1 || t->value.ui > 65535)) {
            xvReportError(VIR_ERR_INVALID_ARG, "weight %u is out of range 1-65535", t->value.ui);
            return -1;
        }
        if (!isWeight && t->value.ui > 65534) {
            xvReportError(VIR_ERR_INVALID_ARG, "cap %u is out of range 0-65534", t->value.ui);
            return -1;
        }
        if (isWeight)
            weight = (guint16)t->value.ui;
        else
            cap = (guint16)t->value.ui;
    }
    if (xvHvGetSchedId(p->hv, &sched) < 0)
        return -1;
    return xvHvSetSchedCredit(p->hv, (guint32)d->id, sched, weight, cap);
}

int
xenDomainSetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params, int nparams,
                                     unsigned int flags)
{
    schedSetReq r = {params, nparams};
    return xenWithDomain(dom, opSchedSet, &r);
}
