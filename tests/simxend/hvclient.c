/*
 * hvclient.c: a small hypercall client built on src/xen/hypervisor.h, run
 * against xensim's endpoint (ROOT/dev/xen/privcmd-sim) by the simxend
 * tests.  It exercises every operation the Xen driver uses and prints what
 * the hypervisor answered, one fact per line, so that a golden file per
 * Xen version shows the simulated hypervisor's behaviour (and its errors:
 * unknown domain, Domain-0, a vcpu out of range).  Times are printed only
 * as "grows" / "stays" checks, never as values.
 *
 *   hvclient ROOT
 */
#define XV_FROM VIR_FROM_XEN
#include "util/error.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "xen/hypervisor.h"

static void
lastError(const char *what)
{
    virErrorPtr e = xvErrorGetLast();

    printf("%s: error: %s\n", what, e && e->message ? e->message : "(none)");
    xvErrorReset();
}

static void
printDomain(const xvHvDomainInfo *d)
{
    char st[7];

    xvHvDomainInfoStateString(d, st);
    printf("  domain %u state %s reason %d pages %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
           " vcpus %u max_vcpu_id %u handle %02x%02x..%02x\n",
           d->domid, st, d->shutdownReason, d->totPages, d->maxPages, d->nrOnlineVcpus,
           d->maxVcpuId, d->handle[0], d->handle[1], d->handle[15]);
}

static int
state(xvHv *hv, guint32 domid, char out[7])
{
    xvHvDomainInfo info;

    if (xvHvGetDomainInfo(hv, domid, &info) < 0)
        return -1;
    xvHvDomainInfoStateString(&info, out);
    return 0;
}

int
main(int argc, char **argv)
{
    g_autoptr(xvHv) hv = NULL;
    g_autoptr(GArray) list = NULL;
    g_autofree char *caps = NULL;
    xvHvPhysInfo pi;
    xvHvDomainInfo a, b;
    xvHvVcpuInfo vi;
    guint major, minor;
    const char *extra;
    guint8 map[1] = {0x0a}, got[1] = {0};
    guint32 sched = 0;
    guint16 weight = 0, cap = 0;
    char st[7];

    if (argc != 2) {
        fprintf(stderr, "usage: hvclient ROOT\n");
        return 2;
    }
    if (!(hv = xvHvOpen(argv[1]))) {
        lastError("open");
        return 1;
    }
    xvHvGetVersion(hv, &major, &minor, &extra);
    printf("abi %s\nversion %u.%u%s\n", xvHvGetAbi(hv)->name, major, minor, extra);
    caps = xvHvGetCapabilities(hv);
    printf("capabilities %s\n", caps ? caps : "(none)");
    if (xvHvGetPhysInfo(hv, &pi) == 0)
        printf("physinfo cpus %u nodes %u cores %u threads %u khz %u total %" G_GUINT64_FORMAT
               " free %" G_GUINT64_FORMAT "\n", pi.nrCpus, pi.nrNodes, pi.coresPerSocket,
               pi.threadsPerCore, pi.cpuKhz, pi.totalPages, pi.freePages);
    else
        lastError("physinfo");

    if (xvHvListDomains(hv, &list) < 0) {
        lastError("list");
        return 1;
    }
    printf("list %u domains\n", list->len);
    for (guint i = 0; i < list->len; i++)
        printDomain(&g_array_index(list, xvHvDomainInfo, i));

    /* cpu time grows while running, stays while paused */
    xvHvGetDomainInfo(hv, 1, &a);
    g_usleep(20000);
    xvHvGetDomainInfo(hv, 1, &b);
    printf("cpu time while running: %s\n", b.cpuTime > a.cpuTime ? "grows" : "stays");
    if (xvHvPauseDomain(hv, 1) < 0)
        lastError("pause 1");
    else if (state(hv, 1, st) == 0)
        printf("pause 1: %s\n", st);
    xvHvGetDomainInfo(hv, 1, &a);
    g_usleep(20000);
    xvHvGetDomainInfo(hv, 1, &b);
    printf("cpu time while paused: %s\n", b.cpuTime > a.cpuTime ? "grows" : "stays");
    if (xvHvUnpauseDomain(hv, 1) < 0)
        lastError("unpause 1");
    else if (state(hv, 1, st) == 0)
        printf("unpause 1: %s\n", st);
    if (xvHvUnpauseDomain(hv, 1) < 0)
        lastError("unpause 1 again");
    else
        printf("unpause 1 again: ok\n");
    if (xvHvPauseDomain(hv, 0) < 0)
        lastError("pause 0");
    if (xvHvPauseDomain(hv, 999) < 0)
        lastError("pause 999");
    if (xvHvGetDomainInfo(hv, 999, &a) < 0)
        lastError("getdomaininfo 999");

    if (xvHvSetMaxMem(hv, 1, 512 * 1024) < 0)
        lastError("max_mem 1");
    else if (xvHvGetDomainInfo(hv, 1, &a) == 0)
        printf("max_mem 1: max pages %" G_GUINT64_FORMAT "\n", a.maxPages);

    if (xvHvGetVcpuInfo(hv, 1, 0, &vi) == 0)
        printf("vcpu 1/0: online %d running %d blocked %d cpu %u\n", vi.online, vi.running,
               vi.blocked, vi.cpu);
    else
        lastError("getvcpuinfo 1/0");
    if (xvHvGetVcpuInfo(hv, 1, 7, &vi) < 0)
        lastError("getvcpuinfo 1/7");

    if (xvHvSetVcpuAffinity(hv, 1, 0, map, sizeof(map)) < 0)
        lastError("setvcpuaffinity 1/0");
    else
        printf("setvcpuaffinity 1/0: ok\n");
    if (xvHvGetVcpuAffinity(hv, 1, 0, got, sizeof(got)) < 0)
        lastError("getvcpuaffinity 1/0");
    else
        printf("getvcpuaffinity 1/0: 0x%02x\n", got[0]);

    if (xvHvGetSchedId(hv, &sched) < 0)
        lastError("sched_id");
    else
        printf("sched_id %u\n", sched);
    if (xvHvGetSchedCredit(hv, 1, sched, &weight, &cap) < 0) {
        lastError("credit get");
    } else {
        printf("credit 1: weight %u cap %u\n", weight, cap);
        if (xvHvSetSchedCredit(hv, 1, sched, 512, 0xFFFF) < 0)
            lastError("credit set");
        else if (xvHvGetSchedCredit(hv, 1, sched, &weight, &cap) == 0)
            printf("credit 1 after set: weight %u cap %u\n", weight, cap);
    }

    if (xvHvDestroyDomain(hv, 0) < 0)
        lastError("destroy 0");
    if (xvHvDestroyDomain(hv, 1) < 0)
        lastError("destroy 1");
    else if (xvHvGetDomainInfo(hv, 1, &a) < 0)
        lastError("after destroy 1");
    printf("calls %" G_GUINT64_FORMAT "\n", xvHvCallCount(hv));
    return 0;
}
