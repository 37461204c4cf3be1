/*
 * libxljsontest.c: golden tests of src/xen/libxl_json.c, the reader of
 * libxl's per-domain configuration, in tests/libxljsondata/:
 *
 *   NAME.json   a libxl-json document -> NAME.json.xml: the domain XML
 *               (inactive form), or "error CODE DOMAIN: message" when the
 *               document must be refused -- failure paths are golden too.
 *   NAME.json   also -> NAME.json.kept.xml when NAME.json.keep exists: its
 *               lines "vbd DEVID" / "vif DEVID" are the devices xenstore
 *               still lists (the rest must be left out).
 *
 * The *-4.17.json inputs are files real Xen 4.17 wrote (xl create in a
 * xenhost dom0).  XENVIRT_TEST_REGENERATE=1 rewrites the expectations.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "../xenconfig/testutil.h"
#include "conf/domain_conf.h"
#include "util/error.h"
#include "xen/libxl_json.h"

static char *
convert(const char *name, const char *text, size_t len, xvLibxlDevKeep keep, void *opaque)
{
    g_autoptr(xvDomainDef) def = NULL;
    virErrorPtr e;

    xvErrorReset();
    if ((def = xvLibxlJSONToDomainDef(text, len, name, keep, opaque)))
        return xvDomainDefFormat(def, XV_DOMAIN_FORMAT_INACTIVE);
    e = xvErrorGetLast();
    if (!e)
        return g_strdup("error (none reported)\n");
    return g_strdup_printf("error %d %d: %s\n", e->code, e->domain, e->message ? e->message : "");
}

static bool
keepListed(xvLibxlDevKind kind, int devid, void *opaque)
{
    g_autofree char *line = g_strdup_printf("%s %d\n", kind == XV_LIBXL_DEV_VBD ? "vbd" : "vif",
                                            devid);
    return strstr(opaque, line) != NULL;
}

static void
check(const char *dir, const char *expected, char *actual)
{
    g_autofree char *path = g_build_filename(dir, expected, NULL);
    g_autofree char *act = actual;

    tuResult(tuCheckGolden(path, act), "%s", expected);
}

int
main(void)
{
    g_autofree char *dir = tuSourcePath("tests/libxljsondata");
    g_autoptr(GPtrArray) names = tuListDir(dir, ".json");

    for (guint i = 0; names && i < names->len; i++) {
        const char *name = names->pdata[i];
        g_autofree char *path = g_build_filename(dir, name, NULL);
        g_autofree char *keepPath = g_strconcat(path, ".keep", NULL);
        g_autofree char *xmlName = g_strconcat(name, ".xml", NULL);
        g_autofree char *keptName = g_strconcat(name, ".kept.xml", NULL);
        g_autofree char *text = NULL;
        g_autofree char *keep = NULL;
        size_t len = 0;

        if (!(text = tuReadFile(path, &len))) {
            tuResult(false, "%s: unreadable", name);
            continue;
        }
        check(dir, xmlName, convert(name, text, len, NULL, NULL));
        if (g_file_test(keepPath, G_FILE_TEST_EXISTS) && (keep = tuReadFile(keepPath, NULL)))
            check(dir, keptName, convert(name, text, len, keepListed, keep));
    }
    return tuFinish();
}
