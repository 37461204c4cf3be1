/*
 * xen_stats.c: block and interface counters of a running domain, read from dom0's
 * backends: blkback's sysfs statistics (vbd-DOMID-DEVID) and the host's
 * /proc/net/dev line of vifDOMID.N, both under the connection's root.
 */
#define XV_FROM VIR_FROM_XEN
#include "xen/xen_driver_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

#include "xen/libxl_json.h"

static int
readStat(const char *dir, const char *name, long long *out)
{
    g_autofree char *path = g_build_filename(dir, "statistics", name, NULL);
    g_autofree char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "cannot read %s", path);
        return -1;
    }
    *out = g_ascii_strtoll(text, NULL, 10);
    return 0;
}

typedef struct {
    const char *dev;
    void *stats;
} statsReq;

/* Disk counters from blkback's sysfs statistics (sectors of 512 bytes). */
static int
opBlockStats(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    statsReq *r = data;
    virDomainBlockStatsPtr st = r->stats;
    int devid = xvXenVdevDevid(r->dev);
    g_autofree char *dir = NULL;
    long long rd_sect, wr_sect, oo;

    if (xenRequireActive(d, dom->name) < 0)
        return -1;
    if (devid < 0) {
        xvReportError(VIR_ERR_INVALID_ARG, "invalid path: %s (not a Xen disk name)", r->dev);
        return -1;
    }
    dir = g_strdup_printf("%s/sys/bus/xen-backend/devices/vbd-%d-%d", p->root, d->id, devid);
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        g_free(dir);
        dir = g_strdup_printf("%s/sys/bus/xen-backend/devices/tap-%d-%d", p->root, d->id, devid);
    }
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        xvReportError(VIR_ERR_INVALID_ARG, "invalid path: %s (domain %d has no backend device "
                      "%d)", r->dev, d->id, devid);
        return -1;
    }
    if (readStat(dir, "rd_req", &st->rd_req) < 0 || readStat(dir, "rd_sect", &rd_sect) < 0 ||
        readStat(dir, "wr_req", &st->wr_req) < 0 || readStat(dir, "wr_sect", &wr_sect) < 0 ||
        readStat(dir, "oo_req", &oo) < 0)
        return -1;
    st->rd_bytes = rd_sect * 512;
    st->wr_bytes = wr_sect * 512;
    st->errs = oo;
    return 0;
}

int
xenDomainBlockStats(virDomainPtr dom, const char *disk, virDomainBlockStatsPtr stats)
{
    statsReq r = {disk, stats};
    return xenWithDomain(dom, opBlockStats, &r);
}

/* Interface counters from the host's /proc/net/dev line of vifDOMID.N;
 * the host's receive is the guest's transmit, so the columns swap. */
static int
opIfStats(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    statsReq *r = data;
    virDomainInterfaceStatsPtr st = r->stats;
    g_autofree char *path = g_strdup_printf("%s/proc/net/dev", p->root);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    int domid, idx;
    char extra;

    if (xenRequireActive(d, dom->name) < 0)
        return -1;
    if (sscanf(r->dev, "vif%d.%d%c", &domid, &idx, &extra) != 2 || domid != d->id) {
        xvReportError(VIR_ERR_INVALID_ARG, "'%s' is not a known interface of domain %d "
                      "(expected vif%d.N)", r->dev, d->id, d->id);
        return -1;
    }
    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "cannot read %s", path);
        return -1;
    }
    lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        char *colon = strchr(lines[i], ':');
        long long v[16];
        g_autofree char *name = NULL;

        if (!colon)
            continue;
        name = g_strstrip(g_strndup(lines[i], (gsize)(colon - lines[i])));
        if (strcmp(name, r->dev) != 0)
            continue;
        if (sscanf(colon + 1, "%lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld "
                   "%lld %lld %lld", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
                   &v[8], &v[9], &v[10], &v[11], &v[12], &v[13], &v[14], &v[15]) != 16) {
            xvReportError(VIR_ERR_OPERATION_FAILED, "%s: malformed line for %s", path, r->dev);
            return -1;
        }
        st->rx_bytes = v[8];
        st->rx_packets = v[9];
        st->rx_errs = v[10];
        st->rx_drop = v[11];
        st->tx_bytes = v[0];
        st->tx_packets = v[1];
        st->tx_errs = v[2];
        st->tx_drop = v[3];
        return 0;
    }
    xvReportError(VIR_ERR_INVALID_ARG, "'%s' is not a known interface (not in %s)", r->dev,
                  path);
    return -1;
}

int
xenDomainInterfaceStats(virDomainPtr dom, const char *device, virDomainInterfaceStatsPtr stats)
{
    statsReq r = {device, stats};
    return xenWithDomain(dom, opIfStats, &r);
}
