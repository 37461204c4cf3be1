/*
 * hvprobe.c: the hypercall channel on a real hypervisor, driven from
 * tests/realxen/run.sh inside dom0 (xenhost).  Each command opens the
 * channel, which detects the interface version by itself, runs one
 * operation and prints a line the script compares with xl's output:
 *
 *   hvprobe info                      abi row, versions, transport, physinfo
 *   hvprobe list                      every domain, one getdomaininfolist batch:
 *                                     ID MEM(MiB) VCPUS STATE TIME(s) UUID REASON
 *   hvprobe dominfo DOMID             the same line for one domain + max_pages
 *   hvprobe pause|unpause|destroy DOMID
 *   hvprobe maxmem DOMID KIB
 *   hvprobe vcpuinfo DOMID            VCPU CPU STATE TIME(s) AFFINITY per vCPU
 *   hvprobe pin DOMID VCPU CPULIST    hard affinity ("0", "0-1")
 *   hvprobe credit DOMID [WEIGHT CAP] scheduler parameters (credit/credit2)
 *   hvprobe capture DIR [TAG]         raw reply arenas as hex, for the
 *                                     decode goldens in tests/hypervisordata
 *   hvprobe bench N                   N getdomaininfo calls: library vs a
 *                                     bare privcmd ioctl round trip
 *
 * Exit status 0 on success, 1 on an error (printed on stderr).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xen/hypervisor.h"
#include "util/error.h"

static int
fail(void)
{
    virErrorPtr e = xvErrorGetLast();
    fprintf(stderr, "hvprobe: %s\n", e && e->message ? e->message : "failed");
    return 1;
}

static void
printDomain(const xvHvDomainInfo *d)
{
    char st[7];
    const guint8 *h = d->handle;

    xvHvDomainInfoStateString(d, st);
    /* xl list shows (current + outstanding) KiB / 1024 */
    printf("%u %" G_GUINT64_FORMAT " %u %s %.1f "
           "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x %d\n",
           d->domid, (d->totPages + d->outstandingPages) * 4 / 1024, d->nrOnlineVcpus, st,
           (double) d->cpuTime / 1e9, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9],
           h[10], h[11], h[12], h[13], h[14], h[15], d->shutdown ? d->shutdownReason : -1);
}

static guint32
parseId(const char *s)
{
    char *end;
    guint64 v = g_ascii_strtoull(s, &end, 10);
    if (!*s || *end || v > 0xFFFF) {
        fprintf(stderr, "hvprobe: bad domain id '%s'\n", s);
        exit(2);
    }
    return v;
}

static void
formatMap(GString *out, const guint8 *map, guint32 len, guint32 ncpus)
{
    guint32 c;
    bool first = true;

    for (c = 0; c < ncpus && c / 8 < len; c++) {
        if (map[c / 8] & (1u << (c % 8))) {
            g_string_append_printf(out, "%s%u", first ? "" : ",", c);
            first = false;
        }
    }
    if (first)
        g_string_append(out, "none");
}

static int
writeHex(const char *dir, const char *name, const char *abi, const char *op, guint32 count,
         const xvHvCall *call)
{
    g_autofree char *path = g_strdup_printf("%s/%s.hex", dir, name);
    g_autoptr(GString) s = g_string_new(NULL);
    guint i;

    g_string_append_printf(s, "# captured on real Xen by tests/hypervisor/hvprobe capture\n"
                              "# abi %s\n# op %s\n# count %u\n", abi, op, count);
    for (i = 0; i < call->arena->len; i++)
        g_string_append_printf(s, "%02x%s", call->arena->data[i], i % 16 == 15 ? "\n" : " ");
    g_string_append_c(s, '\n');
    if (!g_file_set_contents(path, s->str, -1, NULL)) {
        fprintf(stderr, "hvprobe: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

/* The reply arenas of getdomaininfolist and physinfo.  Handle slots hold
 * the addresses of this run's locked memory: zero them so the file says
 * only what Xen wrote. */
static int
capture(xvHv *hv, const char *dir, const char *tag)
{
    const xvHvAbi *abi = xvHvGetAbi(hv);
    xvHvParams p = {.first = 0, .count = 8};
    g_autofree char *err = NULL;
    xvHvCall call;
    gint64 ret;
    int rc = 1;
    guint i;

    xvHvCallInit(&call);
    if (xvHvEncode(abi, XV_HV_OP_GETDOMAININFOLIST, 0, &p, &call, &err) < 0 ||
        xvHvRun(hv, &call, &ret) < 0 || ret < 0)
        goto out;
    for (i = 0; i < call.nslots; i++)
        memset(call.arena->data + call.slots[i], 0, 8);
    if (writeHex(dir, g_strdup_printf("%s-getdomaininfolist%s", abi->name, tag), abi->name,
                 "getdomaininfolist", p.count, &call))
        goto out;
    if (xvHvEncode(abi, XV_HV_OP_PHYSINFO, 0, NULL, &call, &err) < 0 ||
        xvHvRun(hv, &call, &ret) < 0 || ret < 0)
        goto out;
    if (writeHex(dir, g_strdup_printf("%s-physinfo%s", abi->name, tag), abi->name, "physinfo", 1,
                 &call))
        goto out;
    rc = 0;
 out:
    if (rc)
        fprintf(stderr, "hvprobe: capture failed: %s\n", err ? err : "hypercall error");
    xvHvCallClear(&call);
    return rc;
}

/* The bare round trip: one privcmd ioctl on a pre-built, pre-locked
 * getdomaininfo struct, no encoding, no decoding, no allocation. */
typedef struct {
    guint64 op;
    guint64 arg[5];
} BarePrivcmdHypercall;

static int
bench(xvHv *hv, guint n)
{
    const xvHvAbi *abi = xvHvGetAbi(hv);
    xvHvDomainInfo info;
    g_autofree char *err = NULL;
    BarePrivcmdHypercall h = {0};
    gint64 t0, t1, t2;
    xvHvCall call;
    guint8 *page;
    int fd;
    guint i;

    if ((fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC)) < 0) {
        perror("hvprobe: /dev/xen/privcmd");
        return 1;
    }
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    if (page == MAP_FAILED) {
        perror("hvprobe: mmap");
        return 1;
    }
    xvHvCallInit(&call);
    xvHvEncode(abi, XV_HV_OP_GETDOMAININFO, 0, NULL, &call, &err);
    h.op = call.hypercall;
    xvHvCallRelocate(&call, page, (guint64) (uintptr_t) page, h.arg);

    /* warm up both paths, then alternate rounds so that neither pays for
     * page-ins or a busy host alone */
    {
        gint64 lib = 0, bare = 0;
        guint round, rounds = 10, per = MAX(n / rounds, 1);

        for (round = 0; round <= rounds; round++) {
            t0 = g_get_monotonic_time();
            for (i = 0; i < per; i++) {
                if (xvHvGetDomainInfo(hv, 0, &info) < 0)
                    return fail();
            }
            t1 = g_get_monotonic_time();
            for (i = 0; i < per; i++) {
                if (ioctl(fd, _IOC(_IOC_NONE, 'P', 0, sizeof(h)), &h) < 0) {
                    perror("hvprobe: ioctl");
                    return 1;
                }
            }
            t2 = g_get_monotonic_time();
            if (round > 0) {   /* round 0 is the warm-up */
                lib += t1 - t0;
                bare += t2 - t1;
            }
        }
        n = per * rounds;
        printf("getdomaininfo x%u: library %.2f us/call, bare privcmd ioctl %.2f us/call, "
               "ratio %.2f\n", n, (double) lib / n, (double) bare / n,
               (double) lib / (double) MAX(bare, 1));
    }

    /* the library's own work without the hypercall: encode, copy, decode */
    {
        xvHvCall c2;
        xvHvDomainInfo d2;
        g_autofree char *e2 = NULL;
        xvHvCallInit(&c2);
        t1 = g_get_monotonic_time();
        for (i = 0; i < n; i++) {
            guint64 a2[5];
            xvHvEncode(abi, XV_HV_OP_GETDOMAININFO, 0, NULL, &c2, &e2);
            xvHvCallRelocate(&c2, page + 2048, (guint64) (uintptr_t) page + 2048, a2);
            xvHvDecodeDomainInfo(&c2, &d2, &e2);
        }
        t2 = g_get_monotonic_time();
        xvHvCallClear(&c2);
        printf("library encode + copy + decode alone: %.2f us/call\n", (double) (t2 - t1) / n);
    }

    /* the same bare call with its struct in a /dev/xen/hypercall page,
     * which is what the library uses when the device exists */
    {
        int bfd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
        guint8 *bpage = bfd < 0 ? MAP_FAILED :
                        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, bfd, 0);
        if (bpage != MAP_FAILED) {
            xvHvCallRelocate(&call, bpage, (guint64) (uintptr_t) bpage, h.arg);
            t1 = g_get_monotonic_time();
            for (i = 0; i < n; i++) {
                if (ioctl(fd, _IOC(_IOC_NONE, 'P', 0, sizeof(h)), &h) < 0) {
                    perror("hvprobe: ioctl");
                    return 1;
                }
            }
            t2 = g_get_monotonic_time();
            printf("bare privcmd ioctl, struct in a /dev/xen/hypercall page: %.2f us/call\n",
                   (double) (t2 - t1) / n);
            munmap(bpage, 4096);
        }
        if (bfd >= 0)
            close(bfd);
    }
    xvHvCallClear(&call);
    munmap(page, 4096);
    close(fd);
    return 0;
}

int
main(int argc, char **argv)
{
    g_autoptr(xvHv) hv = NULL;
    const char *cmd = argc > 1 ? argv[1] : "info";
    const char *root = g_getenv("XENVIRT_HV_ROOT");   /* a xensim root, or unset */
    const xvHvAbi *abi;
    guint major, minor;
    const char *extra;

    if (!(hv = xvHvOpen(root && *root ? root : NULL)))
        return fail();
    abi = xvHvGetAbi(hv);
    xvHvGetVersion(hv, &major, &minor, &extra);

    if (strcmp(cmd, "info") == 0) {
        xvHvPhysInfo pi;
        guint32 sched = 0;
        printf("xen %u.%u%s abi %s sysctl 0x%x domctl 0x%x probe_calls %" G_GUINT64_FORMAT
               " via %s\n", major, minor, extra, abi->name, abi->sysIface, abi->domIface,
               xvHvCallCount(hv), xvHvDescribe(hv));
        if (xvHvGetPhysInfo(hv, &pi) < 0 || xvHvGetSchedId(hv, &sched) < 0)
            return fail();
        {
            g_autofree char *caps = xvHvGetCapabilities(hv);
            if (!caps)
                return fail();
            printf("capabilities %s\n", caps);
        }
        printf("nr_cpus %u cores_per_socket %u threads_per_core %u nr_nodes %u cpu_khz %u "
               "total_mib %" G_GUINT64_FORMAT " free_mib %" G_GUINT64_FORMAT " sched_id %u\n",
               pi.nrCpus, pi.coresPerSocket, pi.threadsPerCore, pi.nrNodes, pi.cpuKhz,
               pi.totalPages * 4 / 1024, pi.freePages * 4 / 1024, sched);
        return 0;
    }
    if (strcmp(cmd, "list") == 0) {
        g_autoptr(GArray) list = NULL;
        guint64 before = xvHvCallCount(hv);
        guint i;
        if (xvHvListDomains(hv, &list) < 0)
            return fail();
        for (i = 0; i < list->len; i++)
            printDomain(&g_array_index(list, xvHvDomainInfo, i));
        fprintf(stderr, "hvprobe: %u domains in %" G_GUINT64_FORMAT " hypercall(s)\n", list->len,
                xvHvCallCount(hv) - before);
        return 0;
    }
    if (strcmp(cmd, "dominfo") == 0 && argc == 3) {
        xvHvDomainInfo d;
        if (xvHvGetDomainInfo(hv, parseId(argv[2]), &d) < 0)
            return fail();
        printDomain(&d);
        printf("max_pages %" G_GUINT64_FORMAT " max_vcpu_id %u hvm %d\n", d.maxPages, d.maxVcpuId,
               d.hvm);
        return 0;
    }
    if ((strcmp(cmd, "pause") == 0 || strcmp(cmd, "unpause") == 0 ||
         strcmp(cmd, "destroy") == 0) && argc == 3) {
        guint32 id = parseId(argv[2]);
        int rc = cmd[0] == 'p' ? xvHvPauseDomain(hv, id) :
                 cmd[0] == 'u' ? xvHvUnpauseDomain(hv, id) : xvHvDestroyDomain(hv, id);
        return rc < 0 ? fail() : 0;
    }
    if (strcmp(cmd, "maxmem") == 0 && argc == 4)
        return xvHvSetMaxMem(hv, parseId(argv[2]), g_ascii_strtoull(argv[3], NULL, 10)) < 0 ? fail() : 0;
    if (strcmp(cmd, "vcpuinfo") == 0 && argc == 3) {
        guint32 id = parseId(argv[2]), v;
        xvHvDomainInfo d;
        xvHvPhysInfo pi;
        if (xvHvGetDomainInfo(hv, id, &d) < 0 || xvHvGetPhysInfo(hv, &pi) < 0)
            return fail();
        for (v = 0; v <= d.maxVcpuId && d.maxVcpuId != G_MAXUINT32; v++) {
            xvHvVcpuInfo vi;
            guint8 map[16];
            g_autoptr(GString) aff = g_string_new(NULL);
            if (xvHvGetVcpuInfo(hv, id, v, &vi) < 0 ||
                xvHvGetVcpuAffinity(hv, id, v, map, sizeof(map)) < 0)
                return fail();
            formatMap(aff, map, sizeof(map), pi.nrCpus);
            printf("%u %d %s %.1f %s\n", vi.vcpu, vi.online ? (int) vi.cpu : -1,
                   !vi.online ? "-p" : vi.running ? "r-" : vi.blocked ? "-b" : "--",
                   (double) vi.cpuTime / 1e9, aff->str);
        }
        return 0;
    }
    if (strcmp(cmd, "pin") == 0 && argc == 5) {
        guint8 map[16] = {0};
        g_auto(GStrv) parts = g_strsplit(argv[4], ",", -1);
        guint i;
        for (i = 0; parts[i]; i++) {
            guint a, b;
            if (sscanf(parts[i], "%u-%u", &a, &b) != 2)
                a = b = (guint) g_ascii_strtoull(parts[i], NULL, 10);
            for (; a <= b && a < 128; a++)
                map[a / 8] |= 1u << (a % 8);
        }
        return xvHvSetVcpuAffinity(hv, parseId(argv[2]), (guint32) g_ascii_strtoull(argv[3], NULL, 10),
                                   map, sizeof(map)) < 0 ? fail() : 0;
    }
    if (strcmp(cmd, "credit") == 0 && (argc == 3 || argc == 5)) {
        guint32 sched;
        guint16 w, c;
        guint32 id = parseId(argv[2]);
        if (xvHvGetSchedId(hv, &sched) < 0)
            return fail();
        if (argc == 5 && xvHvSetSchedCredit(hv, id, sched, (guint16) atoi(argv[3]),
                                            (guint16) atoi(argv[4])) < 0)
            return fail();
        if (xvHvGetSchedCredit(hv, id, sched, &w, &c) < 0)
            return fail();
        printf("sched_id %u weight %u cap %u\n", sched, w, c);
        return 0;
    }
    if (strcmp(cmd, "capture") == 0 && (argc == 3 || argc == 4))
        return capture(hv, argv[2], argc == 4 ? g_strdup_printf("-%s", argv[3]) : "");
    if (strcmp(cmd, "bench") == 0 && argc == 3)
        return bench(hv, (guint) g_ascii_strtoull(argv[2], NULL, 10));
    fprintf(stderr, "usage: hvprobe info|list|dominfo ID|pause ID|unpause ID|destroy ID|"
                    "maxmem ID KIB|vcpuinfo ID|pin ID VCPU CPUS|credit ID [W C]|capture DIR [TAG]|"
                    "bench N\n");
    return 2;
}
