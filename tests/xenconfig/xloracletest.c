/*
 * xloracletest.c: our xl-dialect reader against Xen's own (libxlutil's
 * xlu_cfg_readdata), on every xl input we have: the cfg-xl golden cases
 * and ../shared/vectors/xlconfigdata.  Built only when libxlutil is
 * installed (Debian libxen-dev).
 *
 * For an input both accept, every key we read must have the same value in
 * libxlutil (strings, numbers as their text, nested lists item by item).
 * For acceptance itself the two must agree, except on cases whose name
 * says why they may not:
 *   xlbug-*  valid xl syntax libxlutil refuses or misreads (its \x escape
 *            check can never pass; it reads octal escapes as decimal)
 *   limit-*  refused by our named limits, which libxlutil does not have
 *   nul-*    refused by us because values are C strings
 *   strict-* refused by us when read, by xl only when a getter converts
 *            it (a number token that is not a number, such as 08)
 */
#include <stdio.h>
#include <string.h>
#include <libxlutil.h>

#include "testutil.h"
#include "util/error.h"
#include "xenconfig/xen_cfg.h"

static bool
sameValue(XLU_Config *xcfg, XLU_ConfigValue *xv, const xvCfgValue *v, GString *why)
{
    size_t i;

    if (v->type == XV_CFG_LIST) {
        XLU_ConfigList *xl = NULL;
        if (xlu_cfg_value_type(xv) != XLU_LIST ||
            xlu_cfg_value_get_list(xcfg, xv, &xl, 1) != 0) {
            g_string_append(why, "xl has no list here");
            return false;
        }
        for (i = 0; i < v->items->len; i++) {
            XLU_ConfigValue *xi = xlu_cfg_get_listitem2(xl, (int) i);
            if (!xi) {
                g_string_append_printf(why, "xl list has no item %zu", i + 1);
                return false;
            }
            if (!sameValue(xcfg, xi, g_ptr_array_index(v->items, i), why))
                return false;
        }
        if (xlu_cfg_get_listitem2(xl, (int) i)) {
            g_string_append_printf(why, "xl list has more than %zu items", i);
            return false;
        }
        return true;
    } else {
        char *s = NULL;
        bool same;
        if (xlu_cfg_value_type(xv) != XLU_STRING ||
            xlu_cfg_value_get_string(xcfg, xv, &s, 1) != 0 || !s) {
            g_string_append(why, "xl has no string here");
            return false;
        }
        same = strcmp(s, v->str) == 0;
        if (!same) {
            g_autofree char *a = g_strescape(s, NULL);
            g_autofree char *b = g_strescape(v->str, NULL);
            g_string_append_printf(why, "xl \"%s\" vs ours \"%s\"", a, b);
        }
        return same;
    }
}

/* xlu has no "get value" for a key, only typed getters; go through a
 * one-item view: strings via get_string, lists via get_list. */
static bool
sameEntry(XLU_Config *xcfg, const xvCfg *cfg, const char *name, GString *why)
{
    const xvCfgValue *v = xvCfgGet(cfg, name);
    size_t i;

    if (v->type != XV_CFG_LIST) {
        const char *s = NULL;
        if (xlu_cfg_get_string(xcfg, name, &s, 1) != 0 || !s) {
            g_string_append_printf(why, "%s: xl has no string", name);
            return false;
        }
        if (strcmp(s, v->str) != 0) {
            g_autofree char *a = g_strescape(s, NULL);
            g_autofree char *b = g_strescape(v->str, NULL);
            g_string_append_printf(why, "%s: xl \"%s\" vs ours \"%s\"", name, a, b);
            return false;
        }
        return true;
    } else {
        XLU_ConfigList *xl = NULL;
        int n = 0;
        if (xlu_cfg_get_list(xcfg, name, &xl, &n, 1) != 0) {
            g_string_append_printf(why, "%s: xl has no list", name);
            return false;
        }
        if ((size_t) n != v->items->len) {
            g_string_append_printf(why, "%s: xl has %d items, we have %u", name, n, v->items->len);
            return false;
        }
        for (i = 0; i < v->items->len; i++) {
            g_string_append_printf(why, "%s[%zu]: ", name, i);
            if (!sameValue(xcfg, xlu_cfg_get_listitem2(xl, (int) i),
                           g_ptr_array_index(v->items, i), why))
                return false;
            g_string_truncate(why, 0);
        }
        return true;
    }
}

static void
compare(const char *label, const char *path, bool mayDisagree)
{
    g_autofree char *input = NULL;
    g_autofree char *base = g_path_get_basename(path);
    g_autoptr(xvCfg) cfg = NULL;
    g_autofree char *report = NULL;
    size_t reportLen = 0;
    FILE *reportFile = open_memstream(&report, &reportLen);
    XLU_Config *xcfg = NULL;
    size_t len = 0;
    int xrc;
    bool ok = true;

    if (!(input = tuReadFile(path, &len)) || !reportFile) {
        tuResult(false, "%s/%s", label, base);
        if (reportFile)
            fclose(reportFile);
        return;
    }
    xvErrorReset();
    cfg = xvCfgParse(base, input, len, XV_CFG_DIALECT_XL, NULL);
    xcfg = xlu_cfg_init(reportFile, base);
    xrc = xcfg ? xlu_cfg_readdata(xcfg, input, (int) len) : -1;
    fflush(reportFile);

    if (!cfg != (xrc != 0)) {
        if (cfg)
            tuDiag("we accept it, libxlutil refuses: %s", report ? report : "");
        else
            tuDiag("libxlutil accepts it, we refuse: %s", xvErrorGetLast()->message);
        ok = mayDisagree;
        if (mayDisagree)
            tuDiag("(allowed by the case name)");
    } else if (cfg) {
        size_t i;
        for (i = 0; i < cfg->entries->len; i++) {
            const xvCfgEntry *e = g_ptr_array_index(cfg->entries, i);
            g_autoptr(GString) why = g_string_new(NULL);
            if (xvCfgGet(cfg, e->name) != e->value)
                continue;       /* a later assignment wins, as in xl */
            if (!sameEntry(xcfg, cfg, e->name, why)) {
                tuDiag("value differs: %s%s", why->str,
                       mayDisagree ? " (allowed by the case name)" : "");
                ok = ok && mayDisagree;
            }
        }
    }
    if (xcfg)
        xlu_cfg_destroy(xcfg);
    fclose(reportFile);
    tuResult(ok, "%s/%s", label, base);
}

static void
compareDir(const char *dir, const char *label)
{
    g_autoptr(GPtrArray) files = tuListDir(dir, ".cfg");
    size_t i;

    if (!files->len)
        tuResult(false, "inputs in %s", dir);
    for (i = 0; i < files->len; i++) {
        const char *f = g_ptr_array_index(files, i);
        g_autofree char *path = g_build_filename(dir, f, NULL);
        bool may = g_str_has_prefix(f, "xlbug-") || g_str_has_prefix(f, "limit-") ||
            g_str_has_prefix(f, "nul-") || g_str_has_prefix(f, "strict-");
        compare(label, path, may);
    }
}

int
main(void)
{
    g_autofree char *xlDir = tuSourcePath("tests/xenconfigdata/cfg-xl");
    g_autofree char *vdir = tuVectorsDir();

    compareDir(xlDir, "cfg-xl");
    if (vdir) {
        g_autofree char *d = g_build_filename(vdir, "xlconfigdata", NULL);
        compareDir(d, "xlconfigdata");
    } else {
        tuSkip("vectors", "../shared/vectors not found");
    }
    return tuFinish();
}
