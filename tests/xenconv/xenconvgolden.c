/*
 * xenconvgolden.c: our own golden data for the converters, in
 * tests/xenconvdata/cases/, through the same entry points the API uses.
 *
 *   NAME.xml          domain XML -> NAME.xml.{xm,xl,sxpr} (xvDomainXMLToNative)
 *                     and NAME.xml.sxpr-v{1,2,3} (xend_config_format 1..3)
 *   NAME.{xm,xl,sxpr} native -> NAME.{xm,xl,sxpr}.xml (xvDomainXMLFromNative)
 *   NAME.sxpr         also -> NAME.sxpr.v{1,2,3}.xml, the record read as
 *                     older xend wrote it, formatted live, and
 *                     NAME.sxpr.live: the live values (domid, state, cpu time)
 *   NAME.xml          also -> NAME.xml.devices: the device_create SXP of
 *                     each disk, interface and PCI device
 *
 * Every expected file holds either the output or, when the conversion must
 * fail, "error <code> <domain>: <message>" -- failure paths are golden too.
 * XENVIRT_TEST_REGENERATE=1 rewrites the expectations.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "../xenconfig/testutil.h"
#include "conf/domain_conf.h"
#include "util/error.h"
#include "xenconfig/xen_native.h"
#include "xenconfig/xen_sxpr.h"

static char *
errorText(void)
{
    virErrorPtr e = xvErrorGetLast();

    if (!e)
        return g_strdup("error (none reported)\n");
    return g_strdup_printf("error %d %d: %s\n", e->code, e->domain,
                           e->message ? e->message : "");
}

/* The output, or the error as text; never NULL. */
static char *
orError(char *out)
{
    if (out) {
        if (!g_str_has_suffix(out, "\n")) {
            char *tmp = g_strconcat(out, "\n", NULL);
            g_free(out);
            return tmp;
        }
        return out;
    }
    return errorText();
}

static void
check(const char *dir, const char *expected, char *actual)
{
    g_autofree char *path = g_build_filename(dir, expected, NULL);
    g_autofree char *act = orError(actual);

    tuResult(tuCheckGolden(path, act), "%s", expected);
    xvErrorReset();
}

/* NAME.sxpr read as xend_config_format version, formatted live. */
static char *
sexprVersion(const char *text, int version)
{
    g_autoptr(xvDomainDef) def = xvSexprStringToDomainDef(text, "/dev/pts/7", 5901, version);

    return def ? xvDomainDefFormat(def, 0) : NULL;
}

static char *
sexprLive(const char *text)
{
    g_autoptr(xvSexpr) root = xvSexprParseString(text, XV_SEXPR_PARSE_FIRST |
                                                       XV_SEXPR_PARSE_CLOSE_AT_EOF);
    int id = -1;

    if (!root || xvSexprGetDomid(root, &id) < 0)
        return NULL;
    return g_strdup_printf("domid %d\nstate %d\ncpu_time_ns %llu\n", id,
                           xvSexprGetState(root), xvSexprGetCpuTime(root));
}

/* One device_create expression per line; a device xend cannot take gives
 * its error text on its line. */
static char *
deviceSexprs(const char *xml)
{
    g_autoptr(xvDomainDef) def = xvDomainDefParseString(xml);
    GString *out;
    bool hvm;

    if (!def)
        return NULL;
    out = g_string_new(NULL);
    hvm = def->os_type == XV_DOMAIN_OS_HVM;
    for (size_t i = 0; i < def->ndisks; i++) {
        g_autofree char *s = xvDomainDiskToSexpr(def->disks[i], hvm,
                                                 XV_XEND_CONFIG_VERSION_DEFAULT);
        g_autofree char *e = s ? NULL : errorText();
        g_string_append_printf(out, "disk %s: %s%s", def->disks[i]->dst, s ? s : e,
                               s ? "\n" : "");
        xvErrorReset();
    }
    for (size_t i = 0; i < def->nnets; i++) {
        g_autofree char *s = xvDomainNetToSexpr(def->nets[i], hvm, XV_XEND_CONFIG_VERSION_DEFAULT);
        g_autofree char *e = s ? NULL : errorText();
        g_string_append_printf(out, "net %zu: %s%s", i, s ? s : e, s ? "\n" : "");
        xvErrorReset();
    }
    for (size_t i = 0; i < def->nhostdevs; i++) {
        g_autofree char *a = xvDomainHostdevToSexpr(def->hostdevs[i], false);
        g_autofree char *d = xvDomainHostdevToSexpr(def->hostdevs[i], true);
        g_string_append_printf(out, "pci %zu attach: %s\npci %zu detach: %s\n", i,
                               a ? a : "(error)", i, d ? d : "(error)");
        xvErrorReset();
    }
    return g_string_free(out, FALSE);
}

/* XML -> SXP for an older xend. */
static char *
xmlToSexprVersion(const char *xml, int version)
{
    g_autoptr(xvDomainDef) def = xvDomainDefParseString(xml);

    return def ? xvDomainDefToSexpr(def, version) : NULL;
}

int
main(void)
{
    g_autofree char *dir = tuSourcePath("tests/xenconvdata/cases");
    static const char *const natives[][2] = {
        {".xm", XV_NATIVE_FORMAT_XM},
        {".xl", XV_NATIVE_FORMAT_XL},
        {".sxpr", XV_NATIVE_FORMAT_SXPR},
    };
    g_autoptr(GPtrArray) names = tuListDir(dir, "");

    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_build_filename(dir, name, NULL);
        g_autofree char *text = NULL;

        if (g_str_has_suffix(name, ".xml") && !strchr(strchr(name, '.') + 1, '.')) {
            if (!(text = tuReadFile(path, NULL)))
                continue;
            for (size_t f = 0; f < G_N_ELEMENTS(natives); f++) {
                g_autofree char *exp = g_strconcat(name, natives[f][0], NULL);
                check(dir, exp, xvDomainXMLToNative(natives[f][1], text, 0));
            }
            for (int v = 1; v <= 3; v++) {
                g_autofree char *exp = g_strdup_printf("%s.sxpr-v%d", name, v);
                check(dir, exp, xmlToSexprVersion(text, v));
            }
            {
                g_autofree char *exp = g_strdup_printf("%s.devices", name);
                check(dir, exp, deviceSexprs(text));
            }
            continue;
        }
        for (size_t f = 0; f < G_N_ELEMENTS(natives); f++) {
            if (!g_str_has_suffix(name, natives[f][0]) ||
                strchr(name, '.') != strrchr(name, '.'))
                continue;
            if (!(text = tuReadFile(path, NULL)))
                break;
            {
                g_autofree char *exp = g_strconcat(name, ".xml", NULL);
                char *x1 = xvDomainXMLFromNative(natives[f][1], text, 0);

                /* and native -> XML -> native -> XML is a fixpoint */
                if (x1) {
                    g_autofree char *n2 = xvDomainXMLToNative(natives[f][1], x1, 0);
                    g_autofree char *x2 = n2 ? xvDomainXMLFromNative(natives[f][1], n2, 0) : NULL;
                    bool same = x2 && strcmp(x1, x2) == 0;

                    if (!same)
                        tuDiff("XML1", x1, "XML2", x2 ? x2 : "(failed)\n");
                    tuResult(same, "%s round trip", name);
                    xvErrorReset();
                }
                check(dir, exp, x1);
            }
            if (strcmp(natives[f][0], ".sxpr") == 0) {
                for (int v = 1; v <= 3; v++) {
                    g_autofree char *exp = g_strdup_printf("%s.v%d.xml", name, v);
                    check(dir, exp, sexprVersion(text, v));
                }
                {
                    g_autofree char *exp = g_strdup_printf("%s.live", name);
                    check(dir, exp, sexprLive(text));
                }
            }
            break;
        }
    }

    /* The API's own argument checks. */
    {
        char *out = xvDomainXMLFromNative("xen-foo", "name = \"x\"\n", 0);
        virErrorPtr e = xvErrorGetLast();

        tuResult(!out && e && e->code == VIR_ERR_INVALID_ARG && e->message &&
                 strstr(e->message, "xen-foo"),
                 "FromNative: unknown format is VIR_ERR_INVALID_ARG naming it (%s)",
                 e && e->message ? e->message : "no error");
        g_free(out);
        xvErrorReset();
        out = xvDomainXMLToNative("qemu-argv", "<domain type='xen'/>", 0);
        e = xvErrorGetLast();
        tuResult(!out && e && e->code == VIR_ERR_INVALID_ARG && e->message &&
                 strstr(e->message, "qemu-argv"),
                 "ToNative: unknown format is VIR_ERR_INVALID_ARG naming it (%s)",
                 e && e->message ? e->message : "no error");
        g_free(out);
        xvErrorReset();
        out = xvDomainXMLFromNative(XV_NATIVE_FORMAT_XM, "name = \"x\"\n", 1);
        e = xvErrorGetLast();
        tuResult(!out && e && e->code == VIR_ERR_INVALID_ARG, "FromNative: flags must be 0");
        g_free(out);
        xvErrorReset();
    }
    return tuFinish();
}
