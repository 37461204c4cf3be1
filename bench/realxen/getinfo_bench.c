/*
 * getinfo_bench.c: inside a real Xen 4.17 dom0, the cost of one
 * virDomainGetInfo over our hypercall channel (libxenvirt, xen:///) against
 * the bare round trip it is built on -- one IOCTL_PRIVCMD_HYPERCALL carrying
 * a domctl getdomaininfo (bare_domctl.h: fixed structs, interface 0x15, the
 * op in a page from /dev/xen/hypercall) -- and against Xen's own library
 * doing the same query (xc_domain_getinfo, xc_domain_getinfolist;
 * xc_column.c).  For a domain other than 0 a fifth column times libxenstore's
 * xs_read of memory/static-max, the xenstore read GetInfo makes there
 * (below).  Run by bench/realxen/run.sh (make bench-realxen), which boots the
 * machine and also shows, with strace, which channels one call of each column
 * touches.
 *
 * Method: the columns take turns in ROUNDS rounds (the first column of a
 * round rotates), each turn CALLS/ROUNDS calls, timed in runs of BATCH calls;
 * a run's time / BATCH is one sample, and min / median / mean of the samples
 * per call are printed with the ratios.  The clock is the TSC (nowUs says why
 * not CLOCK_MONOTONIC, which is also a system call in a PV dom0, ~18 µs under
 * TCG); runs rather than single calls keep the clock's own cost, measured and
 * printed, out of the figures.  Time never decides the exit status.  Values
 * do: every call of every column is checked against bare calls made just
 * before and just after its turn (domain id, UUID, pages, online vCPUs, the
 * dying / shutdown / paused bits and the maximum must equal one of the two,
 * cpu time must lie between them, give or take the clock skew between pCPUs,
 * see HVB_CPU_SKEW_NS), so a column that is fast because it is wrong fails.
 * Exit 1 on any mismatch or failed call, 77 without /dev/xen/privcmd (not
 * in a dom0), 2 on bad usage or when a channel cannot be opened.
 *
 * virDomainGetInfo on a running domain is, in src/xen/xen_driver.c
 * (xenDomInfoGet, domPersistent, staticMax): one domctl getdomaininfo
 * through hypervisor.c; a look in the /etc/xen config directory for a file
 * with the domain's UUID (an inotify read when nothing changed, then a hash
 * lookup that, when there is no such file, formats an error which is then
 * reset); and for a domain other than 0 without xend one xenstore read of
 * memory/static-max (the maximum xl set; that is where maxMem comes from,
 * so maxMem is not compared with the hypervisor's max_pages for such a
 * domain).  No xend.
 *
 * Measured (bench/realxen/run.sh, 2026-11-25 22:35 UTC: Xen 4.17.7 under
 * QEMU 7.2 TCG on the 2-core build machine; dom0 2 vCPUs, the benchmark on
 * dom0 vCPU 1 pinned alone to pCPU 1; 20,000 calls per column in runs of
 * 50; TCG makes every figure 10-50x a native one, so only the ratios carry
 * over), per call, min / median µs:
 *                               dom0             PVH guest (2 vCPUs)
 *   bare ioctl                  22.7 /  23.5     23.3 /  24.8
 *   virDomainGetInfo            79.4 /  84.2     794  / 872
 *   xc_domain_getinfo           27.2 /  28.2     27.7 /  29.3
 *   xc_domain_getinfolist       28.9 /  30.0     29.2 /  31.3
 *   xs_read static-max            -               692  / 784
 *   median ratios: dom0  api/bare 3.58, api/xc 2.99, xc/bare 1.20;
 *                  guest api/bare 35.2, api/xc 29.8, xc/bare 1.18.
 * strace of one call: bare, xc and xclist are one ioctl on privcmd; the
 * API on dom0 is that ioctl plus a read of the config directory's inotify
 * descriptor (EAGAIN), and the rest of its ~60 µs over bare is the
 * library's own work; on the guest it adds the xenstore read (two
 * clock_gettime, write, poll, read on xenstored's socket), which costs
 * about what libxenstore's xs_read costs and is nearly all of the call
 * (median api - xs_read = 88.6 µs, the dom0 figure).  Values: 180,000
 * calls checked, no mismatch; cpu time readings strayed up to 2.8 ms.
 *
 * Usage: getinfo_bench [-n CALLS] [-r ROUNDS] [-b BATCH] DOMID...
 *        getinfo_bench --trace COLUMN [-n CALLS] DOMID
 *   --trace runs only COLUMN (api, bare, xc, xclist, xsread): one warm-up
 *   call, then CALLS calls, each preceded by write(-1, "getinfo_bench:
 *   call N"), so that an strace of the run can be cut per call.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bare_domctl.h"
#include "xenvirt/xenvirt.h"

#define HVB_IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(HvbPrivcmdHypercall))
#define HVB_PAGE 4096
#define HVB_KIB_PER_PAGE 4

/* ---- the bare round trip -------------------------------------------- */

typedef struct {
    int fd;
    HvbDomctl *op;              /* in one page Xen may touch */
    bool fromDev;               /* the page came from /dev/xen/hypercall */
} Bare;

static int
bareOpen(Bare *b)
{
    int bufFd;
    void *p = MAP_FAILED;

    if ((b->fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC)) < 0) {
        fprintf(stderr, "getinfo_bench: /dev/xen/privcmd: %s\n", g_strerror(errno));
        return -1;
    }
    /* hypercall-safe memory: pages the kernel never migrates, else
     * anonymous memory locked, kept out of children and faulted in */
    if ((bufFd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC)) >= 0) {
        p = mmap(NULL, HVB_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, bufFd, 0);
        close(bufFd);   /* the mapping keeps the pages */
        b->fromDev = p != MAP_FAILED;
    }
    if (p == MAP_FAILED) {
        p = mmap(NULL, HVB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED,
                 -1, 0);
        if (p == MAP_FAILED || madvise(p, HVB_PAGE, MADV_DONTFORK) < 0) {
            int err = errno;
            fprintf(stderr, "getinfo_bench: locked page for the hypercall: %s\n",
                    g_strerror(err));
            if (p != MAP_FAILED)
                munmap(p, HVB_PAGE);
            close(b->fd);
            b->fd = -1;
            return -1;
        }
        memset(p, 0, HVB_PAGE);
    }
    b->op = p;
    return 0;
}

static void
bareClose(Bare *b)
{
    if (b->op)
        munmap(b->op, HVB_PAGE);
    if (b->fd >= 0)
        close(b->fd);
}

/* One domctl getdomaininfo; -1 with errno (ESRCH also when Xen 4.17
 * answered with the next domain up). */
static int
bareGetInfo(Bare *b, uint32_t domid, HvbInfo *out)
{
    HvbDomctl *op = b->op;
    const HvbGetDomainInfo *gi = &op->u.getdomaininfo;
    HvbPrivcmdHypercall h = {.op = HVB_HYPERCALL_DOMCTL, .arg = {(uint64_t)(uintptr_t)op}};

    memset(op, 0, sizeof(*op));
    op->cmd = HVB_DOMCTL_GETDOMAININFO;
    op->interface_version = HVB_DOMCTL_IFACE_417;
    op->domain = (uint16_t)domid;
    if (ioctl(b->fd, HVB_IOCTL_PRIVCMD_HYPERCALL, &h) < 0)
        return -1;
    if (gi->domain != domid) {
        errno = ESRCH;
        return -1;
    }
    out->domid = gi->domain;
    out->flags = gi->flags;
    out->tot_pages = gi->tot_pages;
    out->max_kib = gi->max_pages * HVB_KIB_PER_PAGE;
    out->cpu_time = gi->cpu_time;
    out->nr_online_vcpus = gi->nr_online_vcpus;
    memcpy(out->handle, gi->handle, 16);
    return 0;
}

/* ---- the columns ------------------------------------------------------ */

typedef enum { COL_BARE, COL_API, COL_XC, COL_XCLIST, COL_XSREAD, COL_LAST } ColId;

static const char *const colKeys[COL_LAST] = {"bare", "api", "xc", "xclist", "xsread"};
static const char *const colNames[COL_LAST] = {
    "bare ioctl, domctl getdomaininfo 0x15",
    "virDomainGetInfo, xen:/// (libxenvirt)",
    "xc_domain_getinfo (libxenctrl)",
    "xc_domain_getinfolist (libxenctrl)",
    "xs_read memory/static-max (libxenstore)",
};

typedef struct {
    uint32_t domid;
    Bare bare;
    virDomainPtr dom;
    HvbXc *xc;                  /* NULL: the xc columns are absent */
    HvbXs *xs;                  /* domains other than 0: the xs_read column */
    char *smaxPath;
    virDomainInfo lastApi;
} Target;

/* The driver's view of a hypervisor entry (xen_driver.c infoFromHv): the
 * maximum of a domain without a limit (max_pages ~0) is its current
 * memory.  Only domain 0 gets its maximum from the hypervisor; others
 * take xl's static-max from xenstore. */
static bool
apiMaxFromHv(uint32_t domid)
{
    return domid == 0;
}

static uint64_t
apiMaxKib(const HvbInfo *hv)
{
    return hv->max_kib / HVB_KIB_PER_PAGE >= 0xffffffffULL ? hv->tot_pages * HVB_KIB_PER_PAGE
                                                           : hv->max_kib;
}

static int
apiGetInfo(Target *t, HvbInfo *out)
{
    virDomainInfo *vi = &t->lastApi;

    if (virDomainGetInfo(t->dom, vi) < 0)
        return -1;
    out->domid = t->domid;      /* the API call is bound to this domain */
    switch (vi->state) {
    case VIR_DOMAIN_SHUTDOWN:
        out->flags = HVB_DOMINF_DYING;
        break;
    case VIR_DOMAIN_SHUTOFF:
    case VIR_DOMAIN_CRASHED:
        out->flags = HVB_DOMINF_SHUTDOWN;
        break;
    case VIR_DOMAIN_PAUSED:
        out->flags = HVB_DOMINF_PAUSED;
        break;
    default:
        out->flags = 0;
        break;
    }
    out->tot_pages = vi->memory / HVB_KIB_PER_PAGE;
    out->max_kib = vi->maxMem;
    out->cpu_time = vi->cpuTime;
    out->nr_online_vcpus = vi->nrVirtCpu;
    memset(out->handle, 0, 16); /* checked once, by virDomainGetUUID */
    return 0;
}

static int
colCall(Target *t, ColId c, HvbInfo *out)
{
    switch (c) {
    case COL_BARE:
        return bareGetInfo(&t->bare, t->domid, out);
    case COL_API:
        return apiGetInfo(t, out);
    case COL_XC:
        return hvbXcGetInfo(t->xc, t->domid, out);
    case COL_XCLIST:
        return hvbXcGetInfoList(t->xc, t->domid, out);
    case COL_XSREAD: {
        unsigned long long kib;
        if (hvbXsReadULL(t->xs, t->smaxPath, &kib) < 0)
            return -1;
        out->max_kib = kib;
        return 0;
    }
    case COL_LAST:
        break;
    }
    return -1;
}

static bool
colPresent(const Target *t, ColId c)
{
    return c == COL_BARE || c == COL_API || (c == COL_XSREAD ? t->xs != NULL : t->xc != NULL);
}

/* ---- value checks ----------------------------------------------------- */

#define HVB_STABLE_FLAGS (HVB_DOMINF_DYING | HVB_DOMINF_SHUTDOWN | HVB_DOMINF_PAUSED)

/* How far a cpu time may lie outside the bare calls around it.  Xen adds
 * the current slice of a running vCPU as NOW() on the pCPU that answers
 * minus the slice's start stamped by the pCPU that runs it, so readings
 * from different pCPUs are monotonic only up to the skew between their
 * clocks: up to 0.5 ms was seen under QEMU TCG, even between two bare
 * calls.  A wrong field or unit is off by far more than this. */
#define HVB_CPU_SKEW_NS 20000000

/* NULL when got agrees with the bare calls made before and after it;
 * otherwise what differs (caller frees).  *skew keeps the largest cpu
 * time excursion seen. */
static char *
checkValues(ColId c, const HvbInfo *got, const HvbInfo *before, const HvbInfo *after,
            uint64_t *skew)
{
    uint64_t maxB = c == COL_API ? apiMaxKib(before) : before->max_kib;
    uint64_t maxA = c == COL_API ? apiMaxKib(after) : after->max_kib;

    if (got->domid != before->domid)
        return g_strdup_printf("domain %u, asked for %u", got->domid, before->domid);
    if (c != COL_API && memcmp(got->handle, before->handle, 16) != 0)
        return g_strdup("UUID differs");
    if (got->tot_pages != before->tot_pages && got->tot_pages != after->tot_pages)
        return g_strdup_printf("%" G_GUINT64_FORMAT " KiB, bare said %" G_GUINT64_FORMAT
                               " / %" G_GUINT64_FORMAT, got->tot_pages * HVB_KIB_PER_PAGE,
                               before->tot_pages * HVB_KIB_PER_PAGE,
                               after->tot_pages * HVB_KIB_PER_PAGE);
    if (got->nr_online_vcpus != before->nr_online_vcpus &&
        got->nr_online_vcpus != after->nr_online_vcpus)
        return g_strdup_printf("%u vCPUs, bare said %u / %u", got->nr_online_vcpus,
                               before->nr_online_vcpus, after->nr_online_vcpus);
    if (got->cpu_time < before->cpu_time || got->cpu_time > after->cpu_time) {
        uint64_t out = got->cpu_time < before->cpu_time ? before->cpu_time - got->cpu_time
                                                        : got->cpu_time - after->cpu_time;
        *skew = MAX(*skew, out);
        if (out > HVB_CPU_SKEW_NS)
            return g_strdup_printf("cpu time %" G_GUINT64_FORMAT " ns outside the bare calls' [%"
                                   G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "] by more than %d ms",
                                   got->cpu_time, before->cpu_time, after->cpu_time,
                                   HVB_CPU_SKEW_NS / 1000000);
    }
    if ((got->flags & HVB_STABLE_FLAGS) != (before->flags & HVB_STABLE_FLAGS) &&
        (got->flags & HVB_STABLE_FLAGS) != (after->flags & HVB_STABLE_FLAGS))
        return g_strdup_printf("state bits 0x%x, bare said 0x%x / 0x%x",
                               got->flags & HVB_STABLE_FLAGS, before->flags & HVB_STABLE_FLAGS,
                               after->flags & HVB_STABLE_FLAGS);
    if ((c != COL_API || apiMaxFromHv(before->domid)) && got->max_kib != maxB &&
        got->max_kib != maxA)
        return g_strdup_printf("maximum %" G_GUINT64_FORMAT " KiB, bare said %" G_GUINT64_FORMAT
                               " / %" G_GUINT64_FORMAT, got->max_kib, maxB, maxA);
    return NULL;
}

/* ---- timing ----------------------------------------------------------- */

static double
monoUs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The benchmark's clock: the TSC, read with rdtsc.  In a PV dom0
 * CLOCK_MONOTONIC is Xen's per-pCPU pvclock, and the emulated pCPUs'
 * clocks drift apart by up to milliseconds under TCG; Linux keeps the
 * clock from going back by holding it at the highest value any CPU read,
 * so it stands still for a while after a read on a pCPU that is ahead
 * (runs of 50 calls measured 0 µs).  QEMU's TSC is one host clock for
 * every vCPU.  Its rate is calibrated against CLOCK_MONOTONIC over
 * HVB_CALIBRATE_US, where a skew of a few ms is well under 1%; ratios do
 * not depend on it at all. */
#define HVB_CALIBRATE_US 500000
static double ticksPerUs;

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
static inline double
nowUs(void)
{
    return __rdtsc() / ticksPerUs;
}

static void
clockSetup(void)
{
    double t0 = monoUs(), t1;
    uint64_t c0 = __rdtsc(), c1;

    g_usleep(HVB_CALIBRATE_US);
    t1 = monoUs();
    c1 = __rdtsc();
    ticksPerUs = (c1 - c0) / (t1 - t0);
    printf("clock: TSC (rdtsc), %.1f MHz against CLOCK_MONOTONIC over %.2f s\n", ticksPerUs,
           (t1 - t0) / 1e6);
}
#else
static inline double
nowUs(void)
{
    return monoUs();
}

static void
clockSetup(void)
{
    printf("clock: CLOCK_MONOTONIC\n");
}
#endif

static int
cmpDouble(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct {
    double min, median, mean;
} Stats;

static Stats
stats(double *v, size_t n)
{
    Stats s = {0};
    double sum = 0;

    if (!n)
        return s;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    qsort(v, n, sizeof(*v), cmpDouble);
    s.min = v[0];
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    s.mean = sum / n;
    return s;
}

static void
timerCost(size_t n)
{
    g_autofree double *v = g_new(double, n);
    Stats s;

    for (size_t i = 0; i < n; i++) {
        double t0 = nowUs();
        v[i] = nowUs() - t0;
    }
    s = stats(v, n);
    printf("clock: read back to back: min %.3f median %.3f µs (once per timed run below)\n",
           s.min, s.median);
}

/* ---- one domain ------------------------------------------------------- */

static int
openTarget(virConnectPtr conn, uint32_t domid, Target *t)
{
    t->domid = domid;
    t->bare.fd = -1;
    if (bareOpen(&t->bare) < 0)
        return -1;
    if (!(t->dom = virDomainLookupByID(conn, (int)domid))) {
        virErrorPtr e = virGetLastError();
        fprintf(stderr, "getinfo_bench: virDomainLookupByID(%u): %s\n", domid,
                e && e->message ? e->message : "failed");
        return -1;
    }
    if (!(t->xc = hvbXcOpen()))
        fprintf(stderr, "getinfo_bench: xc_interface_open: %s (xc columns left out)\n",
                g_strerror(errno));
    if (domid != 0) {
        t->smaxPath = g_strdup_printf("/local/domain/%u/memory/static-max", domid);
        if (!(t->xs = hvbXsOpen()))
            fprintf(stderr, "getinfo_bench: xs_open: %s (xs_read column left out)\n",
                    g_strerror(errno));
    }
    return 0;
}

static void
closeTarget(Target *t)
{
    if (t->dom)
        virDomainFree(t->dom);
    hvbXcClose(t->xc);
    hvbXsClose(t->xs);
    g_free(t->smaxPath);
    bareClose(&t->bare);
}

static void
reportCallError(ColId c, uint32_t domid)
{
    if (c == COL_API) {
        virErrorPtr e = virGetLastError();
        fprintf(stderr, "FAIL  %s, domain %u: %s\n", colKeys[c], domid,
                e && e->message ? e->message : "failed");
    } else {
        fprintf(stderr, "FAIL  %s, domain %u: %s\n", colKeys[c], domid, g_strerror(errno));
    }
}

/* Facts every column must agree on, before timing anything. */
static int
firstLook(Target *t)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    HvbInfo hv, api;
    const virDomainInfo *vi = &t->lastApi;
    int bad = 0;

    if (bareGetInfo(&t->bare, t->domid, &hv) < 0) {
        reportCallError(COL_BARE, t->domid);
        return 1;
    }
    if (apiGetInfo(t, &api) < 0) {
        reportCallError(COL_API, t->domid);
        return 1;
    }
    if (virDomainGetUUID(t->dom, uuid) < 0 || memcmp(uuid, hv.handle, 16) != 0) {
        fprintf(stderr, "FAIL  api, domain %u: virDomainGetUUID differs from the hypervisor's "
                "handle\n", t->domid);
        bad++;
    }
    printf("  bare:  %" G_GUINT64_FORMAT " KiB, max %" G_GUINT64_FORMAT " KiB, %u vCPUs, "
           "flags 0x%x, cpu %.3f s\n", hv.tot_pages * HVB_KIB_PER_PAGE, hv.max_kib,
           hv.nr_online_vcpus, hv.flags, hv.cpu_time / 1e9);
    printf("  api:   state %d, memory %lu KiB, maxMem %lu KiB%s, %u vCPUs, cpu %.3f s\n",
           vi->state, vi->memory, vi->maxMem,
           apiMaxFromHv(t->domid) ? "" : " (xenstore memory/static-max)", vi->nrVirtCpu,
           vi->cpuTime / 1e9);
    return bad;
}

static int
benchTarget(virConnectPtr conn, uint32_t domid, size_t calls, size_t rounds, size_t batch)
{
    Target t = {0};
    size_t per = calls / rounds;
    double *samples[COL_LAST] = {0};
    size_t nSamples[COL_LAST] = {0};
    guint64 checked = 0, bad = 0;
    uint64_t skew = 0;
    size_t stalls = 0, runs = 0;
    g_autofree HvbInfo *got = g_new0(HvbInfo, per);
    Stats st[COL_LAST] = {{0}};
    int ncols = 0;
    int rc = 0;

    if (openTarget(conn, domid, &t) < 0) {
        closeTarget(&t);
        return 2;
    }
    printf("\ndomain %u \"%s\": %zu calls per column in %zu alternating rounds of %zu, "
           "timed in runs of %zu\n", domid, virDomainGetName(t.dom), per * rounds, rounds, per,
           MIN(batch, per));
    bad += firstLook(&t);

    for (int c = 0; c < COL_LAST; c++) {
        if (colPresent(&t, c)) {
            samples[c] = g_new(double, rounds * ((per + batch - 1) / batch));
            ncols++;
        }
    }
    for (size_t r = 0; r < rounds; r++) {
        for (int k = 0; k < COL_LAST; k++) {
            ColId c = (ColId)((k + r) % COL_LAST);
            HvbInfo before, after;

            if (!colPresent(&t, c))
                continue;
            if (bareGetInfo(&t.bare, domid, &before) < 0) {
                reportCallError(COL_BARE, domid);
                rc = 1;
                goto done;
            }
            for (size_t i = 0; i < per; i += batch) {
                size_t n = MIN(batch, per - i);
                double t0 = nowUs();
                for (size_t j = i; j < i + n; j++) {
                    if (colCall(&t, c, &got[j]) < 0) {
                        reportCallError(c, domid);
                        rc = 1;
                        goto done;
                    }
                }
                samples[c][nSamples[c]++] = (nowUs() - t0) / n;
            }
            if (bareGetInfo(&t.bare, domid, &after) < 0) {
                reportCallError(COL_BARE, domid);
                rc = 1;
                goto done;
            }
            for (size_t i = 0; i < per; i++) {
                g_autofree char *why =
                    c != COL_XSREAD ? checkValues(c, &got[i], &before, &after, &skew) :
                    got[i].max_kib != t.lastApi.maxMem ?
                    g_strdup_printf("%" G_GUINT64_FORMAT " KiB, virDomainGetInfo said %lu",
                                    got[i].max_kib, t.lastApi.maxMem) : NULL;
                checked++;
                if (why && bad++ < 10)
                    fprintf(stderr, "FAIL  %s, domain %u, round %zu call %zu: %s\n", colKeys[c],
                            domid, r, i, why);
            }
        }
    }

    printf("  %-40s %10s %10s %10s   (per call)\n", "column", "min µs", "median µs", "mean µs");
    for (int c = 0; c < COL_LAST; c++) {
        if (!samples[c])
            continue;
        for (size_t i = 0; i < nSamples[c]; i++)
            stalls += samples[c][i] <= 0;
        runs += nSamples[c];
        st[c] = stats(samples[c], nSamples[c]);
        printf("  %-40s %10.2f %10.2f %10.2f\n", colNames[c], st[c].min, st[c].median,
               st[c].mean);
    }
    printf("  ratio median: api/bare %.2f", st[COL_API].median / st[COL_BARE].median);
    if (samples[COL_XC])
        printf("  api/xc %.2f  api/xclist %.2f  xc/bare %.2f  xclist/bare %.2f",
               st[COL_API].median / st[COL_XC].median, st[COL_API].median / st[COL_XCLIST].median,
               st[COL_XC].median / st[COL_BARE].median,
               st[COL_XCLIST].median / st[COL_BARE].median);
    printf("\n");
    if (stalls) {
        /* see nowUs: a clock that stands still measures 0 */
        printf("  note: the clock stood still during %zu of %zu timed runs, so min figures "
               "are not meaningful (medians are)\n", stalls, runs);
    } else {
        printf("  ratio min:    api/bare %.2f", st[COL_API].min / st[COL_BARE].min);
        if (samples[COL_XC])
            printf("  api/xc %.2f  api/xclist %.2f  xc/bare %.2f  xclist/bare %.2f",
                   st[COL_API].min / st[COL_XC].min, st[COL_API].min / st[COL_XCLIST].min,
                   st[COL_XC].min / st[COL_BARE].min, st[COL_XCLIST].min / st[COL_BARE].min);
        printf("\n");
    }
    if (samples[COL_XSREAD])
        printf("  median api - xs_read = %.2f µs for the rest of virDomainGetInfo (hypercall "
               "included)\n", st[COL_API].median - st[COL_XSREAD].median);
    if (!samples[COL_XC])
        printf("  (no libxenctrl columns: %s)\n", t.xc ? "" : "xc_interface_open failed");

 done:
    printf("  values: %" G_GUINT64_FORMAT " calls in %d columns checked against the bare calls "
           "around them, %" G_GUINT64_FORMAT " mismatch(es); largest cpu time excursion "
           "%.3f ms (allowed %d)\n", checked, ncols, bad, skew / 1e6, HVB_CPU_SKEW_NS / 1000000);
    for (int c = 0; c < COL_LAST; c++)
        g_free(samples[c]);
    closeTarget(&t);
    return rc ? rc : bad ? 1 : 0;
}

/* --trace: only one column, each call announced by a failing write(-1). */
static int
traceTarget(virConnectPtr conn, uint32_t domid, ColId c, size_t calls)
{
    Target t = {0};
    HvbInfo out;
    int rc = 0;

    if (openTarget(conn, domid, &t) < 0) {
        closeTarget(&t);
        return 2;
    }
    if (!colPresent(&t, c)) {
        fprintf(stderr, "getinfo_bench: column %s is not available\n", colKeys[c]);
        closeTarget(&t);
        return 2;
    }
    if (colCall(&t, c, &out) < 0) {    /* warm-up: caches, arenas */
        reportCallError(c, domid);
        rc = 1;
    }
    for (size_t i = 1; i <= calls && !rc; i++) {
        char mark[64];
        int len = g_snprintf(mark, sizeof(mark), "getinfo_bench: call %zu", i);
        if (write(-1, mark, len) >= 0)
            break;  /* cannot happen: fd -1 */
        if (colCall(&t, c, &out) < 0) {
            reportCallError(c, domid);
            rc = 1;
        }
    }
    if (write(-1, "getinfo_bench: end", 18) >= 0)
        rc = 2;
    closeTarget(&t);
    return rc;
}

static bool
parseDomid(const char *s, uint32_t *out)
{
    char *end = NULL;
    guint64 v;

    errno = 0;
    v = g_ascii_strtoull(s, &end, 10);
    if (errno || !end || *end || end == s || v >= 0x7FF0)
        return false;
    *out = (uint32_t)v;
    return true;
}

int
main(int argc, char **argv)
{
    gint64 calls = 20000, rounds = 20, batch = 50;
    g_autofree char *trace = NULL;
    GOptionEntry entries[] = {
        {"calls", 'n', 0, G_OPTION_ARG_INT64, &calls, "calls per column (default 20000)", "N"},
        {"rounds", 'r', 0, G_OPTION_ARG_INT64, &rounds, "alternating rounds (default 20)", "R"},
        {"batch", 'b', 0, G_OPTION_ARG_INT64, &batch, "calls per timed run (default 50)", "B"},
        {"trace", 0, 0, G_OPTION_ARG_STRING, &trace,
         "run only COLUMN (api, bare, xc, xclist, xsread), calls marked for strace", "COLUMN"},
        {NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("DOMID...");
    g_autoptr(GError) err = NULL;
    virConnectPtr conn;
    unsigned long ver = 0;
    Dl_info dl;
    cpu_set_t cpus;
    int rc = 0;
    ColId traceCol = COL_LAST;

    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_summary(ctx, "virDomainGetInfo vs a bare privcmd domctl vs libxenctrl, "
                                      "inside a Xen 4.17 dom0.");
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "getinfo_bench: %s\n", err->message);
        return 2;
    }
    if (argc < 2 || calls < 1 || batch < 1 || rounds < 1 || (!trace && calls < rounds)) {
        fprintf(stderr, "usage: getinfo_bench [-n CALLS] [-r ROUNDS] [-b BATCH] DOMID... "
                "(CALLS >= ROUNDS >= 1, BATCH >= 1)\n"
                "       getinfo_bench --trace COLUMN [-n CALLS] DOMID\n");
        return 2;
    }
    if (trace) {
        for (int c = 0; c < COL_LAST; c++)
            if (strcmp(trace, colKeys[c]) == 0)
                traceCol = c;
        if (traceCol == COL_LAST) {
            fprintf(stderr, "getinfo_bench: --trace: unknown column '%s' (api, bare, xc, "
                    "xclist, xsread)\n", trace);
            return 2;
        }
    }
    for (int i = 1; i < argc; i++) {
        uint32_t d;
        if (!parseDomid(argv[i], &d)) {
            fprintf(stderr, "getinfo_bench: '%s' is not a domain id\n", argv[i]);
            return 2;
        }
    }
    if (access("/dev/xen/privcmd", F_OK) < 0) {
        fprintf(stderr, "getinfo_bench: no /dev/xen/privcmd: not in a Xen dom0 (run it with "
                "bench/realxen/run.sh)\n");
        return 77;
    }
    if (!(conn = virConnectOpen("xen:///"))) {
        virErrorPtr e = virGetLastError();
        fprintf(stderr, "getinfo_bench: virConnectOpen(xen:///): %s\n",
                e && e->message ? e->message : "failed");
        return 2;
    }

    if (traceCol == COL_LAST) {
        virConnectGetVersion(conn, &ver);
        printf("libxenvirt: %s; Xen %lu.%lu.%lu\n",
               dladdr((void *)virConnectOpen, &dl) && dl.dli_fname ? dl.dli_fname : "?",
               ver / 1000000, ver / 1000 % 1000, ver % 1000);
        if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
            printf("cpus: %d allowed of %ld online\n", CPU_COUNT(&cpus),
                   sysconf(_SC_NPROCESSORS_ONLN));
    }
    if (traceCol == COL_LAST) {
        clockSetup();
        timerCost(20000);
    }

    for (int i = 1; i < argc; i++) {
        uint32_t d;
        int r;
        parseDomid(argv[i], &d);
        r = traceCol == COL_LAST
                ? benchTarget(conn, d, (size_t)calls, (size_t)rounds, (size_t)batch)
                : traceTarget(conn, d, traceCol, (size_t)calls);
        rc = MAX(rc, r);
    }
    virConnectClose(conn);
    return rc;
}
