/*
 * cfgtest.c: data-driven tests of the /etc/xen config reader and writer.
 *
 *  - tests/xenconfigdata/cfg-xm/ and cfg-xl/ (the dialect is the folder):
 *    NAME.cfg -> NAME.out (entries, written form, whether the written
 *    form is the input, getter results and edits asked for by "#!"
 *    comment lines), or NAME.cfg -> NAME.err when it must be refused.
 *    Directives:  #!get: string|long|ulong|bool|list|list-or-string KEY
 *                 #!set-string: KEY VALUE   #!set-long: KEY N
 *                 #!set-list: KEY A B ...   #!remove: KEY
 *                 #!limits: input=N,depth=N,items=N,entries=N
 *  - every .cfg of ../shared/vectors xmconfigdata (xm) and xlconfigdata
 *    (xl), as libvirt wrote them: written back byte for byte, with the
 *    layout kept from reading, from the values alone, and from copies of
 *    the values rebuilt with the setter API (no quote style, decimal
 *    numbers: what the converters do); and read back to the same values.
 */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "util/error.h"
#include "xenconfig/xen_cfg.h"

static bool
valueEqual(const xvCfgValue *a, const xvCfgValue *b)
{
    size_t i;

    if (a->type != b->type)
        return false;
    switch (a->type) {
    case XV_CFG_STRING:
        return strcmp(a->str, b->str) == 0;
    case XV_CFG_NUMBER:
        return a->num == b->num;
    case XV_CFG_LIST:
        if (a->items->len != b->items->len)
            return false;
        for (i = 0; i < a->items->len; i++) {
            if (!valueEqual(g_ptr_array_index(a->items, i), g_ptr_array_index(b->items, i)))
                return false;
        }
        return true;
    }
    return false;
}

static bool
cfgEqual(const xvCfg *a, const xvCfg *b)
{
    size_t i;

    if (a->entries->len != b->entries->len)
        return false;
    for (i = 0; i < a->entries->len; i++) {
        const xvCfgEntry *ea = g_ptr_array_index(a->entries, i);
        const xvCfgEntry *eb = g_ptr_array_index(b->entries, i);
        if (strcmp(ea->name, eb->name) != 0 || !valueEqual(ea->value, eb->value))
            return false;
    }
    return true;
}

/* The written form must read back to the same entries. */
static bool
checkReread(const xvCfg *cfg, const char *written)
{
    g_autoptr(xvCfg) again = NULL;

    xvErrorReset();
    again = xvCfgParse("written", written, strlen(written), cfg->dialect, NULL);
    if (!again) {
        tuDiag("written form does not read back: %s", tuLastError());
        return false;
    }
    if (!cfgEqual(cfg, again)) {
        g_autofree char *d1 = xvCfgDump(cfg);
        g_autofree char *d2 = xvCfgDump(again);
        tuDiag("written form reads back as different entries");
        tuDiff("original", d1, "reread", d2);
        return false;
    }
    return true;
}

static void
parseLimits(const char *text, xvCfgLimits *lim)
{
    unsigned long long v;

    memset(lim, 0, sizeof(*lim));
    if (tuDirectiveNumber(text, "limits", "input", &v))
        lim->maxInput = v;
    if (tuDirectiveNumber(text, "limits", "depth", &v))
        lim->maxDepth = (unsigned int) v;
    if (tuDirectiveNumber(text, "limits", "items", &v))
        lim->maxItems = v;
    if (tuDirectiveNumber(text, "limits", "entries", &v))
        lim->maxEntries = v;
}

static void
appendGetters(GString *out, const xvCfg *cfg, const char *input)
{
    g_auto(GStrv) gets = tuDirectives(input, "get");
    size_t i;

    for (i = 0; gets[i]; i++) {
        g_auto(GStrv) w = g_strsplit(gets[i], " ", 2);
        const char *kind = w[0];
        const char *key = w[1] ? w[1] : "";
        int rc = -2;

        xvErrorReset();
        g_string_append_printf(out, "== get %s %s: ", kind, key);
        if (strcmp(kind, "string") == 0) {
            const char *s = NULL;
            if ((rc = xvCfgGetString(cfg, key, &s)) > 0) {
                g_autofree char *esc = g_strescape(s, NULL);
                g_string_append_printf(out, "\"%s\"", esc);
            }
        } else if (strcmp(kind, "long") == 0) {
            long long v = 0;
            if ((rc = xvCfgGetLong(cfg, key, &v)) > 0)
                g_string_append_printf(out, "%lld", v);
        } else if (strcmp(kind, "ulong") == 0) {
            unsigned long long v = 0;
            if ((rc = xvCfgGetULong(cfg, key, &v)) > 0)
                g_string_append_printf(out, "%llu", v);
        } else if (strcmp(kind, "bool") == 0) {
            bool v = false;
            if ((rc = xvCfgGetBool(cfg, key, &v)) > 0)
                g_string_append(out, v ? "true" : "false");
        } else if (strcmp(kind, "list") == 0 || strcmp(kind, "list-or-string") == 0) {
            g_auto(GStrv) v = NULL;
            size_t j;
            if ((rc = xvCfgGetStringList(cfg, key, strcmp(kind, "list") != 0, &v)) > 0) {
                g_string_append_printf(out, "%u items", g_strv_length(v));
                for (j = 0; v[j]; j++) {
                    g_autofree char *esc = g_strescape(v[j], NULL);
                    g_string_append_printf(out, " \"%s\"", esc);
                }
            }
        } else {
            g_string_append(out, "unknown getter");
        }
        if (rc == 0)
            g_string_append(out, "absent");
        else if (rc == -1)
            g_string_append_printf(out, "error: %s", tuLastError());
        g_string_append_c(out, '\n');
    }
}

/* Edits; returns whether any was asked for. */
static bool
applyEdits(xvCfg *cfg, const char *input)
{
    g_auto(GStrv) lines = g_strsplit(input, "\n", -1);
    bool any = false;
    size_t i;

    for (i = 0; lines[i]; i++) {
        const char *l = lines[i];
        g_auto(GStrv) w = NULL;

        if (!g_str_has_prefix(l, "#!set-") && !g_str_has_prefix(l, "#!remove:"))
            continue;
        any = true;
        if (g_str_has_prefix(l, "#!set-string:")) {
            w = g_strsplit(g_strstrip((char *) l + strlen("#!set-string:")), " ", 2);
            xvCfgSetString(cfg, w[0], w[1] ? w[1] : "");
        } else if (g_str_has_prefix(l, "#!set-long:")) {
            w = g_strsplit(g_strstrip((char *) l + strlen("#!set-long:")), " ", 2);
            xvCfgSetLong(cfg, w[0], w[1] ? g_ascii_strtoll(w[1], NULL, 10) : 0);
        } else if (g_str_has_prefix(l, "#!set-list:")) {
            w = g_strsplit(g_strstrip((char *) l + strlen("#!set-list:")), " ", -1);
            xvCfgSetStringList(cfg, w[0], (const char *const *) w + 1);
        } else if (g_str_has_prefix(l, "#!remove:")) {
            xvCfgRemove(cfg, g_strstrip((char *) l + strlen("#!remove:")));
        }
    }
    return any;
}

static void
runDir(const char *dir, const char *label, xvCfgDialect dialect)
{
    g_autoptr(GPtrArray) files = tuListDir(dir, ".cfg");
    size_t i;

    if (!files->len)
        tuResult(false, "golden data in %s", dir);
    for (i = 0; i < files->len; i++) {
        const char *file = g_ptr_array_index(files, i);
        g_auto(tuCase) tc = { 0 };
        bool readOk = tuCaseRead(&tc, dir, file, ".cfg");
        const char *base = tc.base, *input = tc.input;
        const char *outPath = tc.outPath, *errPath = tc.errPath;
        bool wantErr = g_file_test(errPath, G_FILE_TEST_EXISTS);
        g_autoptr(xvCfg) cfg = NULL;
        xvCfgLimits lim;
        bool ok = true;

        if (!readOk) {
            tuResult(false, "%s/%s", label, base);
            continue;
        }
        parseLimits(input, &lim);
        xvErrorReset();
        cfg = xvCfgParse(file, input, tc.len, dialect, &lim);

        if (wantErr) {
            virErrorPtr e = xvErrorGetLast();
            g_autofree char *msg = NULL;
            if (cfg) {
                g_autofree char *dump = xvCfgDump(cfg);
                tuDiag("parsed, but an error was expected:\n%s", dump);
                tuResult(false, "%s/%s", label, base);
                continue;
            }
            if (!e || e->code != VIR_ERR_CONF_SYNTAX || e->domain != VIR_FROM_CONF)
                tuDiag("wrong error code/domain: %d/%d", e ? e->code : -1, e ? e->domain : -1);
            msg = g_strdup_printf("%s\n", tuLastError());
            tuResult(e && e->code == VIR_ERR_CONF_SYNTAX && tuCheckGolden(errPath, msg),
                     "%s/%s", label, base);
            continue;
        }
        if (!cfg) {
            tuDiag("unexpected error: %s", tuLastError());
            tuResult(false, "%s/%s", label, base);
            continue;
        }
        {
            g_autoptr(GString) out = g_string_new(NULL);
            g_autofree char *dump = xvCfgDump(cfg);
            g_autofree char *written = xvCfgFormat(cfg);

            g_string_append_printf(out, "== entries\n%s", dump);
            if (!written) {
                g_string_append_printf(out, "== written: error: %s\n", tuLastError());
            } else {
                g_string_append_printf(out, "== written (%s)\n%s",
                                       strcmp(written, input) == 0 ? "same as input" : "differs from input",
                                       written);
                if (*written && written[strlen(written) - 1] != '\n')
                    g_string_append(out, "\n== (no newline at end)\n");
                ok = checkReread(cfg, written) && ok;
            }
            appendGetters(out, cfg, input);
            if (applyEdits(cfg, input)) {
                g_autofree char *edited = xvCfgFormat(cfg);
                if (edited) {
                    g_string_append_printf(out, "== after edits\n%s", edited);
                    ok = checkReread(cfg, edited) && ok;
                } else {
                    g_string_append_printf(out, "== after edits: error: %s\n", tuLastError());
                }
            }
            ok = tuCheckGolden(outPath, out->str) && ok;
        }
        tuResult(ok, "%s/%s", label, base);
    }
}

/* A copy of v as a caller would build it: no quote style, numbers in
 * decimal. */
static xvCfgValue *
rebuild(const xvCfgValue *v)
{
    xvCfgValue *n = NULL;
    size_t i;

    switch (v->type) {
    case XV_CFG_STRING:
        return xvCfgValueNewString(v->str);
    case XV_CFG_NUMBER:
        return xvCfgValueNewNumber(v->num);
    case XV_CFG_LIST:
        n = xvCfgValueNewList();
        for (i = 0; i < v->items->len; i++)
            xvCfgValueAppend(n, rebuild(g_ptr_array_index(v->items, i)));
        return n;
    }
    return NULL;
}

/* The same file written from values built with the setter API. */
static char *
formatRebuilt(const xvCfg *cfg)
{
    g_autoptr(xvCfg) built = xvCfgNew(cfg->dialect);
    size_t i;

    for (i = 0; i < cfg->entries->len; i++) {
        const xvCfgEntry *e = g_ptr_array_index(cfg->entries, i);
        g_autoptr(xvCfgValue) copy = xvCfgValueCopy(e->value);
        xvCfgSet(built, e->name, rebuild(copy));
    }
    return xvCfgFormat(built);
}

static void
runVectors(const char *vdir, const char *set, xvCfgDialect dialect)
{
    g_autofree char *dir = g_build_filename(vdir, set, NULL);
    g_autoptr(GPtrArray) files = tuListDir(dir, ".cfg");
    size_t i, j;

    if (!files->len)
        tuResult(false, "vectors in %s", dir);
    for (i = 0; i < files->len; i++) {
        const char *file = g_ptr_array_index(files, i);
        g_autofree char *path = g_build_filename(dir, file, NULL);
        g_autofree char *input = NULL;
        g_autofree char *written = NULL;
        g_autofree char *canonical = NULL;
        g_autoptr(xvCfg) cfg = NULL;
        size_t len = 0;
        bool ok = true;

        if (!(input = tuReadFile(path, &len))) {
            tuResult(false, "vector %s/%s", set, file);
            continue;
        }
        xvErrorReset();
        if (!(cfg = xvCfgParse(file, input, len, dialect, NULL))) {
            tuDiag("%s", tuLastError());
            tuResult(false, "vector %s/%s", set, file);
            continue;
        }
        written = xvCfgFormat(cfg);
        if (!written || strcmp(written, input) != 0) {
            tuDiag("written form differs from the file");
            tuDiff(path, input, "written", written ? written : tuLastError());
            ok = false;
        }
        /* the same from the values alone: drop what reading kept */
        for (j = 0; j < cfg->entries->len; j++) {
            xvCfgEntry *e = g_ptr_array_index(cfg->entries, j);
            g_clear_pointer(&e->pre, g_free);
            g_clear_pointer(&e->post, g_free);
        }
        g_clear_pointer(&cfg->tail, g_free);
        canonical = xvCfgFormat(cfg);
        if (!canonical || strcmp(canonical, input) != 0) {
            tuDiag("form written from the values alone differs from the file");
            tuDiff(path, input, "canonical", canonical ? canonical : tuLastError());
            ok = false;
        }
        if (written)
            ok = checkReread(cfg, written) && ok;
        {
            g_autofree char *rebuilt = formatRebuilt(cfg);
            if (!rebuilt || strcmp(rebuilt, input) != 0) {
                tuDiag("form written from values built with the setters differs from the file");
                tuDiff(path, input, "rebuilt", rebuilt ? rebuilt : tuLastError());
                ok = false;
            }
        }
        tuResult(ok, "vector %s/%s", set, file);
    }
}

int
main(void)
{
    g_autofree char *xmDir = tuSourcePath("tests/xenconfigdata/cfg-xm");
    g_autofree char *xlDir = tuSourcePath("tests/xenconfigdata/cfg-xl");
    g_autofree char *vdir = tuVectorsDir();

    runDir(xmDir, "cfg-xm", XV_CFG_DIALECT_XM);
    runDir(xlDir, "cfg-xl", XV_CFG_DIALECT_XL);
    if (!vdir) {
        tuSkip("vectors", "../shared/vectors not found");
    } else {
        runVectors(vdir, "xmconfigdata", XV_CFG_DIALECT_XM);
        runVectors(vdir, "xlconfigdata", XV_CFG_DIALECT_XL);
    }
    return tuFinish();
}
