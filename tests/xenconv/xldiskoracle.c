/*
 * xldiskoracle.c: our reading of xl disk specs against Xen's own
 * (libxlutil's xlu_disk_parse, Debian libxen-dev).  Built only when
 * libxlutil and libxl's headers are installed.
 *
 * Specs come from tests/xenconvdata/xl-disks (edge syntax), the xl files
 * of our golden cases (inputs, and what our writer made of the XML
 * cases) and the disk lists of ../shared/vectors/xlconfigdata; each such
 * file must also be one libxlutil's xlu_cfg_readdata reads.
 * For each spec both parsers must agree on acceptance and, when both
 * accept, on vdev, target, format, backend, access and CD-ROM-ness.
 */
#include <stdio.h>
#include <string.h>
#include <libxl.h>
#include <libxlutil.h>

#include "../xenconfig/testutil.h"
#include "conf/domain_conf.h"
#include "util/error.h"
#include "xenconfig/xen_cfg.h"
#include "xenconfig/xen_xl.h"

static const char *
xlFormat(libxl_disk_format f)
{
    switch (f) {
    case LIBXL_DISK_FORMAT_UNKNOWN: return "raw"; /* libvirt's default */
    case LIBXL_DISK_FORMAT_RAW: return "raw";
    case LIBXL_DISK_FORMAT_QCOW: return "qcow";
    case LIBXL_DISK_FORMAT_QCOW2: return "qcow2";
    case LIBXL_DISK_FORMAT_VHD: return "vhd";
    case LIBXL_DISK_FORMAT_QED: return "qed";
    case LIBXL_DISK_FORMAT_EMPTY: return NULL;
    default: return "?";
    }
}

static const char *
xlBackend(libxl_disk_backend b)
{
    switch (b) {
    case LIBXL_DISK_BACKEND_PHY: return "phy";
    case LIBXL_DISK_BACKEND_TAP: return "tap";
    default: return "qemu"; /* qdisk, or unknown: libvirt's qdisk */
    }
}

static void
checkSpec(const char *origin, const char *spec)
{
    XLU_Config *xcfg = xlu_cfg_init(stderr, "xldiskoracle");
    libxl_device_disk xd;
    g_autoptr(xvCfg) cfg = NULL;
    g_autoptr(xvDomainDef) def = NULL;
    g_autoptr(GString) why = g_string_new(NULL);
    bool xlOk, ourOk;
    const char *specs[2] = {spec, NULL};

    libxl_device_disk_init(&xd);
    /* libxlutil prints its complaints to stderr; keep TAP output clean */
    xlOk = xlu_disk_parse(xcfg, 1, specs, &xd) == 0;

    cfg = xvCfgNew(XV_CFG_DIALECT_XL);
    xvCfgSetString(cfg, "name", "d");
    xvCfgSetLong(cfg, "memory", 64);
    xvCfgSetString(cfg, "type", "pv");
    xvCfgSetString(cfg, "kernel", "/k");
    xvCfgSetStringList(cfg, "disk", specs);
    def = xvXLConfigToDomainDef(cfg, NULL);
    ourOk = def && def->ndisks == 1;

    if (xlOk != ourOk) {
        g_string_append_printf(why, "libxlutil %s, we %s (%s)", xlOk ? "accepts" : "refuses",
                               ourOk ? "accept" : "refuse",
                               ourOk ? "" : (xvErrorGetLast() ? xvErrorGetLast()->message : "?"));
    } else if (xlOk) {
        const xvDomainDiskDef *d = def->disks[0];
        bool cdrom = d->device == XV_DISK_DEVICE_CDROM;
        const char *xtarget = xd.pdev_path && *xd.pdev_path ? xd.pdev_path : NULL;
        const char *xfmt = xlFormat(xd.format);

        if (g_strcmp0(d->dst, xd.vdev) != 0)
            g_string_append_printf(why, "vdev %s vs %s; ", d->dst, xd.vdev);
        if (d->type == XV_DISK_TYPE_NETWORK) {
            g_autofree char *prefix = g_strdup_printf("%s:%s", d->src_protocol, d->src);
            if (!xtarget || !g_str_has_prefix(xtarget, prefix))
                g_string_append_printf(why, "network target %s vs '%s'; ", prefix,
                                       xtarget ? xtarget : "");
        } else if (g_strcmp0(d->src, xtarget) != 0)
            g_string_append_printf(why, "target '%s' vs '%s'; ", d->src ? d->src : "",
                                   xtarget ? xtarget : "");
        if (cdrom != !!xd.is_cdrom)
            g_string_append_printf(why, "cdrom %d vs %d; ", cdrom, xd.is_cdrom);
        if (d->readonly != !xd.readwrite)
            g_string_append_printf(why, "readonly %d vs readwrite %d; ", d->readonly, xd.readwrite);
        /* a CD-ROM is qemu's whatever the backend (libvirt); format only
         * matters when there is media */
        if (!cdrom && g_strcmp0(d->driver_name, xlBackend(xd.backend)) != 0)
            g_string_append_printf(why, "backend %s vs %s; ", d->driver_name, xlBackend(xd.backend));
        if (d->src && xfmt && g_strcmp0(d->driver_type, xfmt) != 0)
            g_string_append_printf(why, "format %s vs %s; ", d->driver_type, xfmt);
    }
    tuResult(why->len == 0, "%s: %s%s%s", origin, spec, why->len ? " -- " : "",
             why->str);
    xvErrorReset();
    libxl_device_disk_dispose(&xd);
    xlu_cfg_destroy(xcfg);
}

static void
checkCfgFile(const char *origin, const char *path)
{
    g_autofree char *text = tuReadFile(path, NULL);
    g_autoptr(xvCfg) cfg = NULL;
    g_auto(GStrv) disks = NULL;

    if (!text || g_str_has_prefix(text, "error"))
        return;
    {
        /* the whole file must be one xl itself reads */
        XLU_Config *xcfg = xlu_cfg_init(stderr, origin);
        int rc = xlu_cfg_readdata(xcfg, text, strlen(text));

        tuResult(rc == 0, "%s: libxlutil reads the file (rc %d)", origin, rc);
        xlu_cfg_destroy(xcfg);
    }
    if (!(cfg = xvCfgParse(path, text, strlen(text), XV_CFG_DIALECT_XL, NULL))) {
        xvErrorReset();
        return;
    }
    if (xvCfgGetStringList(cfg, "disk", false, &disks) <= 0) {
        xvErrorReset();
        return;
    }
    for (size_t i = 0; disks[i]; i++)
        checkSpec(origin, disks[i]);
}

int
main(void)
{
    g_autofree char *listPath = tuSourcePath("tests/xenconvdata/xl-disks");
    g_autofree char *list = tuReadFile(listPath, NULL);
    g_autofree char *cases = tuSourcePath("tests/xenconvdata/cases");
    g_autofree char *vectors = tuVectorsDir();
    g_autoptr(GPtrArray) names = tuListDir(cases, ".xl");
    g_auto(GStrv) lines = NULL;

    /* libxlutil reports parse errors on stderr; they are expected here */
    if (!freopen("/dev/null", "w", stderr))
        return 99;
    if (!list)
        return 1;
    lines = g_strsplit(list, "\n", -1);
    for (size_t i = 0; lines[i]; i++)
        if (*lines[i] && lines[i][0] != '#')
            checkSpec("xl-disks", lines[i]);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_build_filename(cases, g_ptr_array_index(names, i), NULL);
        checkCfgFile(g_ptr_array_index(names, i), path);
    }
    {
        /* and what our writer produced for the golden cases */
        g_autoptr(GPtrArray) outs = tuListDir(cases, ".xml.xl");

        for (guint i = 0; i < outs->len; i++) {
            g_autofree char *path = g_build_filename(cases, g_ptr_array_index(outs, i), NULL);
            checkCfgFile(g_ptr_array_index(outs, i), path);
        }
    }
    if (vectors) {
        g_autofree char *dir = g_build_filename(vectors, "xlconfigdata", NULL);
        g_autoptr(GPtrArray) cfgs = tuListDir(dir, ".cfg");

        for (guint i = 0; i < cfgs->len; i++) {
            g_autofree char *path = g_build_filename(dir, g_ptr_array_index(cfgs, i), NULL);
            checkCfgFile(g_ptr_array_index(cfgs, i), path);
        }
    } else {
        tuSkip("xlconfigdata", "../shared/vectors not found");
    }
    return tuFinish();
}
