/*
 * sexprtest.c: data-driven tests of the SXP reader and printers.
 *
 *  - tests/xenconfigdata/sexpr-ok/NAME.sexpr -> NAME.out: the tree, each
 *    printed form, and the lookups asked for by "#!lookup: PATH" /
 *    "#!children: PATH HEAD" lines in the input (they are SXP comments).
 *    "#!flags: first,continuation,close-at-eof" selects reader flags.
 *  - tests/xenconfigdata/sexpr-err/NAME.sexpr -> NAME.err: the message;
 *    "#!limits: input=N,depth=N,items=N" sets reader limits.
 *  - every *.sexpr of ../shared/vectors (libvirt's test files): read with
 *    layout, written back byte for byte; xml2sexprdata files (what libvirt
 *    POSTs to xend) equal our CONFIG form; the `xm list -l` style files
 *    equal our PRETTY form under the rules in prettyNormalise(); every form
 *    reads back to the same tree.
 */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "util/error.h"
#include "xenconfig/sexpr.h"

static unsigned int
parseFlags(const char *text)
{
    g_auto(GStrv) d = tuDirectives(text, "flags");
    unsigned int flags = 0;
    size_t i, j;

    for (i = 0; d[i]; i++) {
        g_auto(GStrv) words = g_strsplit(d[i], ",", -1);
        for (j = 0; words[j]; j++) {
            const char *w = g_strstrip(words[j]);
            if (strcmp(w, "first") == 0)
                flags |= XV_SEXPR_PARSE_FIRST;
            else if (strcmp(w, "continuation") == 0)
                flags |= XV_SEXPR_PARSE_CONTINUATION;
            else if (strcmp(w, "close-at-eof") == 0)
                flags |= XV_SEXPR_PARSE_CLOSE_AT_EOF;
            else if (*w)
                tuDiag("unknown flag '%s'", w);
        }
    }
    return flags;
}

static void
parseLimits(const char *text, xvSexprLimits *lim)
{
    unsigned long long v;

    memset(lim, 0, sizeof(*lim));
    if (tuDirectiveNumber(text, "limits", "input", &v))
        lim->maxInput = v;
    if (tuDirectiveNumber(text, "limits", "depth", &v))
        lim->maxDepth = (unsigned int) v;
    if (tuDirectiveNumber(text, "limits", "items", &v))
        lim->maxItems = v;
}

static bool
treeEqual(const xvSexpr *a, const xvSexpr *b)
{
    size_t i;

    if (a->kind != b->kind)
        return false;
    if (a->kind == XV_SEXPR_ATOM)
        return strcmp(a->value, b->value) == 0;
    if (xvSexprCount(a) != xvSexprCount(b))
        return false;
    for (i = 0; i < xvSexprCount(a); i++) {
        if (!treeEqual(xvSexprItem(a, i), xvSexprItem(b, i)))
            return false;
    }
    return true;
}

static const char *const styleNames[] = { "wire", "config", "pretty", "layout" };

/* Each printed form must read back to the same tree. */
static bool
checkReread(const char *name, const xvSexpr *tree)
{
    int style;
    bool ok = true;

    for (style = XV_SEXPR_FORMAT_WIRE; style <= XV_SEXPR_FORMAT_PRETTY; style++) {
        g_autofree char *text = xvSexprFormat(tree, style);
        g_autoptr(xvSexpr) again = xvSexprParseString(text, 0);
        if (!again) {
            tuDiag("%s: %s form does not read back: %s", name, styleNames[style], tuLastError());
            ok = false;
        } else if (!treeEqual(tree, again)) {
            g_autofree char *d1 = xvSexprDump(tree);
            g_autofree char *d2 = xvSexprDump(again);
            tuDiag("%s: %s form reads back as a different tree", name, styleNames[style]);
            tuDiff("original", d1, "reread", d2);
            ok = false;
        }
    }
    return ok;
}

static void
appendLookups(GString *out, const xvSexpr *tree, const char *input)
{
    g_auto(GStrv) lookups = tuDirectives(input, "lookup");
    g_auto(GStrv) children = tuDirectives(input, "children");
    size_t i;

    for (i = 0; lookups[i]; i++) {
        const char *path = lookups[i];
        const char *v = xvSexprNodeValue(tree, path);
        long long ll = 0;
        unsigned long long ull = 0;
        double dbl = 0;
        bool b = false;
        int rc;

        g_string_append_printf(out, "lookup %s: has=%s", path,
                               xvSexprHas(tree, path) ? "yes" : "no");
        if (v) {
            g_autofree char *esc = g_strescape(v, NULL);
            g_string_append_printf(out, " value=\"%s\"", esc);
        } else {
            g_string_append(out, " value=NULL");
        }
        g_string_append_printf(out, " default=\"%s\"",
                               xvSexprNodeValueDefault(tree, path, "DEFAULT"));
        xvErrorReset();
        rc = xvSexprGetLongLong(tree, path, &ll);
        if (rc > 0)
            g_string_append_printf(out, "\n  longlong=%lld", ll);
        else
            g_string_append_printf(out, "\n  longlong:%s", rc == 0 ? "absent" : tuLastError());
        xvErrorReset();
        rc = xvSexprGetULongLong(tree, path, &ull);
        if (rc > 0)
            g_string_append_printf(out, "\n  ulonglong=%llu", ull);
        else
            g_string_append_printf(out, "\n  ulonglong:%s", rc == 0 ? "absent" : tuLastError());
        xvErrorReset();
        {
            int iv = 0;
            rc = xvSexprGetInt(tree, path, &iv);
            if (rc > 0)
                g_string_append_printf(out, "\n  int=%d", iv);
            else
                g_string_append_printf(out, "\n  int:%s", rc == 0 ? "absent" : tuLastError());
        }
        xvErrorReset();
        rc = xvSexprGetDouble(tree, path, &dbl);
        if (rc > 0)
            g_string_append_printf(out, "\n  double=%.9g", dbl);
        else
            g_string_append_printf(out, "\n  double:%s", rc == 0 ? "absent" : tuLastError());
        xvErrorReset();
        rc = xvSexprGetBool(tree, path, &b);
        if (rc > 0)
            g_string_append_printf(out, "\n  bool=%s", b ? "true" : "false");
        else
            g_string_append_printf(out, "\n  bool:%s", rc == 0 ? "absent" : tuLastError());
        g_string_append_c(out, '\n');
    }

    for (i = 0; children[i]; i++) {
        g_auto(GStrv) words = g_strsplit(children[i], " ", 2);
        const xvSexpr *parent = strcmp(words[0], ".") == 0 ? tree : xvSexprLookup(tree, words[0]);
        const char *head = words[1] && strcmp(words[1], "*") != 0 ? words[1] : NULL;
        const xvSexpr *c;
        size_t idx = 0;

        g_string_append_printf(out, "children %s %s:", words[0], head ? head : "*");
        while ((c = xvSexprNextChild(parent, head, &idx))) {
            g_autofree char *w = xvSexprFormat(c, XV_SEXPR_FORMAT_WIRE);
            g_string_append_printf(out, "\n  [%zu] %s", idx - 1, w);
        }
        g_string_append_c(out, '\n');
    }
}

static void
runOk(const char *dir, const char *file)
{
    g_auto(tuCase) tc = { 0 };
    bool readOk = tuCaseRead(&tc, dir, file, ".sexpr");
    const char *base = tc.base, *input = tc.input;
    g_autoptr(xvSexpr) tree = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    bool ok;
    int style;

    if (!readOk) {
        tuResult(false, "sexpr-ok/%s", base);
        return;
    }
    xvErrorReset();
    tree = xvSexprParse(input, tc.len, parseFlags(input) | XV_SEXPR_PARSE_LAYOUT, NULL);
    if (!tree) {
        tuDiag("unexpected error: %s", tuLastError());
        tuResult(false, "sexpr-ok/%s", base);
        return;
    }
    {
        g_autofree char *dump = xvSexprDump(tree);
        g_string_append_printf(out, "== tree\n%s", dump);
    }
    for (style = XV_SEXPR_FORMAT_WIRE; style <= XV_SEXPR_FORMAT_PRETTY; style++) {
        g_autofree char *text = xvSexprFormat(tree, style);
        g_string_append_printf(out, "== %s\n%s%s", styleNames[style], text,
                               style == XV_SEXPR_FORMAT_PRETTY ? "" : "\n");
    }
    appendLookups(out, tree, input);

    ok = tuCheckGolden(tc.outPath, out->str);
    {
        g_autofree char *layout = xvSexprFormat(tree, XV_SEXPR_FORMAT_LAYOUT);
        if (strcmp(layout, input) != 0) {
            tuDiag("layout form is not the input");
            tuDiff("input", input, "layout", layout);
            ok = false;
        }
    }
    ok = checkReread(base, tree) && ok;
    tuResult(ok, "sexpr-ok/%s", base);
}

static void
runErr(const char *dir, const char *file)
{
    g_auto(tuCase) tc = { 0 };
    bool readOk = tuCaseRead(&tc, dir, file, ".sexpr");
    const char *base = tc.base, *input = tc.input;
    g_autofree char *msg = NULL;
    g_autoptr(xvSexpr) tree = NULL;
    xvSexprLimits lim;
    virErrorPtr e;

    if (!readOk) {
        tuResult(false, "sexpr-err/%s", base);
        return;
    }
    parseLimits(input, &lim);
    xvErrorReset();
    tree = xvSexprParse(input, tc.len, parseFlags(input), &lim);
    if (tree) {
        g_autofree char *dump = xvSexprDump(tree);
        tuDiag("parsed, but an error was expected:\n%s", dump);
        tuResult(false, "sexpr-err/%s", base);
        return;
    }
    e = xvErrorGetLast();
    if (!e || e->code != VIR_ERR_SEXPR_SERIAL || e->domain != VIR_FROM_SEXPR) {
        tuDiag("wrong error code/domain: %d/%d", e ? e->code : -1, e ? e->domain : -1);
        tuResult(false, "sexpr-err/%s", base);
        return;
    }
    msg = g_strdup_printf("%s\n", e->message);
    tuResult(tuCheckGolden(tc.errPath, msg), "sexpr-err/%s", base);
}

/* libvirt's test-file convention: backslash-newline joins lines. */
static char *
joinContinuations(const char *text)
{
    GString *buf = g_string_new(NULL);
    const char *p;

    for (p = text; *p; p++) {
        if (p[0] == '\\' && p[1] == '\n') {
            p++;
            continue;
        }
        g_string_append_c(buf, *p);
    }
    while (buf->len && buf->str[buf->len - 1] == '\n')
        g_string_truncate(buf, buf->len - 1);
    return g_string_free(buf, FALSE);
}

/*
 * The comparison rules between our PRETTY form and the `xm list -l` style
 * files in libvirt's sexpr2xmldata, applied to both sides:
 *  1. " )" is read as ")": xend 3.x wrote an empty string as nothing, so
 *     its pretty printer gave "(bootloader )"; the tree we read from that
 *     has no empty atom left, and we print "(bootloader)".
 *  2. A line whose text alone is wider than the 80-column width is
 *     compared without its indentation: libvirt's
 *     sexpr2xml-pv-vfb-type-crash.sexpr has its long FEATURES string at
 *     column 0, where PrettyPrint.py puts it at column 20 (the file was
 *     edited by hand; the printer never emits unindented continuation).
 */
static char *
prettyNormalise(const char *text)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    g_auto(GStrv) lines = NULL;
    g_auto(GStrv) parts = g_strsplit(text, " )", -1);
    g_autofree char *joined = g_strjoinv(")", parts);
    size_t i;

    lines = g_strsplit(joined, "\n", -1);
    for (i = 0; lines[i]; i++) {
        const char *l = lines[i];
        const char *t = l;
        while (*t == ' ')
            t++;
        g_string_append(buf, strlen(t) > 80 ? t : l);
        if (lines[i + 1])
            g_string_append_c(buf, '\n');
    }
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

static void
runVector(const char *vdir, const char *set, const char *file)
{
    g_autofree char *path = g_build_filename(vdir, set, file, NULL);
    g_autofree char *input = NULL;
    g_autoptr(xvSexpr) tree = NULL;
    size_t len = 0;
    bool ok = true;

    if (!(input = tuReadFile(path, &len))) {
        tuResult(false, "vector %s/%s", set, file);
        return;
    }
    xvErrorReset();
    tree = xvSexprParse(input, len,
                        XV_SEXPR_PARSE_LAYOUT | XV_SEXPR_PARSE_CONTINUATION |
                        XV_SEXPR_PARSE_FIRST | XV_SEXPR_PARSE_CLOSE_AT_EOF, NULL);
    if (!tree) {
        tuDiag("%s", tuLastError());
        tuResult(false, "vector %s/%s", set, file);
        return;
    }
    {
        g_autofree char *layout = xvSexprFormat(tree, XV_SEXPR_FORMAT_LAYOUT);
        if (strcmp(layout, input) != 0) {
            tuDiag("layout round trip differs");
            tuDiff(path, input, "layout", layout);
            ok = false;
        }
    }
    if (strcmp(set, "xml2sexprdata") == 0) {
        g_autofree char *joined = joinContinuations(input);
        g_autofree char *config = xvSexprFormat(tree, XV_SEXPR_FORMAT_CONFIG);
        if (strcmp(joined, config) != 0) {
            tuDiag("CONFIG form differs from libvirt's (continuations joined)");
            tuDiff(path, joined, "config", config);
            ok = false;
        }
    }
    if (g_str_has_prefix(input, "(domain\n")) {
        g_autofree char *pretty = xvSexprFormat(tree, XV_SEXPR_FORMAT_PRETTY);
        g_autofree char *a = prettyNormalise(input);
        g_autofree char *b = prettyNormalise(pretty);
        if (strcmp(a, b) != 0) {
            tuDiag("PRETTY form differs from the xm list -l layout");
            tuDiff(path, a, "pretty", b);
            ok = false;
        }
    }
    ok = checkReread(file, tree) && ok;
    tuResult(ok, "vector %s/%s", set, file);
}

/*
 * The building API: libvirt's (vm ...) for xml2sexpr-boot-grub, built node
 * by node, must print in the CONFIG form exactly as libvirt wrote it (the
 * vector file, continuations joined); the other quote styles and helpers
 * are shown in sexpr-built/vm.out.
 */
static void
runBuilt(const char *vdir)
{
    g_autofree char *outPath = tuSourcePath("tests/xenconfigdata/sexpr-built/vm.out");
    g_autoptr(xvSexpr) vm = xvSexprNewList("vm");
    g_autoptr(xvSexpr) extra = xvSexprNewList(NULL);
    g_autoptr(GString) out = g_string_new(NULL);
    xvSexpr *image, *linux, *device, *vbd;
    int style;
    bool ok = true;

    xvSexprAddPair(vm, "name", "pvtest", XV_SEXPR_QUOTE_SINGLE);
    xvSexprAddLongLong(vm, "memory", 420);
    xvSexprAddLongLong(vm, "maxmem", 420);
    xvSexprAddPairf(vm, "vcpus", XV_SEXPR_QUOTE_NONE, "%d", 2);
    xvSexprAddPair(vm, "uuid", "596a5d21-71f4-8fb2-e068-e2386a5c413e", XV_SEXPR_QUOTE_SINGLE);
    xvSexprAddPair(vm, "on_poweroff", "destroy", XV_SEXPR_QUOTE_SINGLE);
    xvSexprAddPair(vm, "on_reboot", "destroy", XV_SEXPR_QUOTE_SINGLE);
    xvSexprAddPair(vm, "on_crash", "destroy", XV_SEXPR_QUOTE_SINGLE);
    image = xvSexprAddList(vm, "image");
    linux = xvSexprAddList(image, "linux");
    xvSexprAddPair(linux, "kernel", "/usr/lib/xen/boot/pv-grub-x86_64.gz", XV_SEXPR_QUOTE_SINGLE);
    xvSexprAddPair(linux, "args", "(hd0,0)/grub/menu.lst", XV_SEXPR_QUOTE_SINGLE);
    xvSexprAddLongLong(linux, "localtime", 0);
    xvSexprAddLongLong(vm, "localtime", 0);
    device = xvSexprAddList(vm, "device");
    vbd = xvSexprAddList(device, "vbd");
    xvSexprAddPair(vbd, "dev", "xvda", XV_SEXPR_QUOTE_SINGLE);
    xvSexprAddPair(vbd, "uname", "phy:/dev/MainVG/GuestLV", XV_SEXPR_QUOTE_SINGLE);
    xvSexprAddPair(vbd, "mode", "w", XV_SEXPR_QUOTE_SINGLE);

    if (vdir) {
        g_autofree char *path = g_build_filename(vdir, "xml2sexprdata",
                                                 "xml2sexpr-boot-grub.sexpr", NULL);
        g_autofree char *text = tuReadFile(path, NULL);
        g_autofree char *joined = text ? joinContinuations(text) : NULL;
        g_autofree char *config = xvSexprFormat(vm, XV_SEXPR_FORMAT_CONFIG);
        if (!joined || strcmp(joined, config) != 0) {
            tuDiag("built (vm ...) differs from libvirt's xml2sexpr-boot-grub.sexpr");
            tuDiff(path, joined ? joined : "", "built", config);
            ok = false;
        }
    }

    /* every quote style, a value that needs quoting, (key), an empty list */
    xvSexprAppend(extra, xvSexprNewAtom("bare", XV_SEXPR_QUOTE_NONE));
    xvSexprAppend(extra, xvSexprNewAtom("needs quoting", XV_SEXPR_QUOTE_NONE));
    xvSexprAppend(extra, xvSexprNewAtom("auto-safe:/x", XV_SEXPR_QUOTE_AUTO));
    xvSexprAppend(extra, xvSexprNewAtom("auto 'q'", XV_SEXPR_QUOTE_AUTO));
    xvSexprAppend(extra, xvSexprNewAtom("single \\ 'q'", XV_SEXPR_QUOTE_SINGLE));
    xvSexprAppend(extra, xvSexprNewAtom("double \"q\"\n", XV_SEXPR_QUOTE_DOUBLE));
    xvSexprAppend(extra, xvSexprNewAtom("", XV_SEXPR_QUOTE_NONE));
    xvSexprAppend(extra, xvSexprNewAtom(NULL, XV_SEXPR_QUOTE_AUTO));
    xvSexprAddList(extra, "novalue");
    xvSexprAppend(extra, xvSexprNewList(NULL));
    xvSexprAppend(vm, g_steal_pointer(&extra));

    for (style = XV_SEXPR_FORMAT_WIRE; style <= XV_SEXPR_FORMAT_LAYOUT; style++) {
        g_autofree char *text = xvSexprFormat(vm, style);
        g_string_append_printf(out, "== %s\n%s%s", styleNames[style], text,
                               style == XV_SEXPR_FORMAT_PRETTY ? "" : "\n");
    }
    ok = tuCheckGolden(outPath, out->str) && ok;
    ok = checkReread("built", vm) && ok;
    tuResult(ok, "sexpr-built/vm");
}

int
main(void)
{
    g_autofree char *okDir = tuSourcePath("tests/xenconfigdata/sexpr-ok");
    g_autofree char *errDir = tuSourcePath("tests/xenconfigdata/sexpr-err");
    g_autofree char *vdir = tuVectorsDir();
    g_autoptr(GPtrArray) okFiles = tuListDir(okDir, ".sexpr");
    g_autoptr(GPtrArray) errFiles = tuListDir(errDir, ".sexpr");
    const char *sets[] = { "sexpr2xmldata", "xml2sexprdata" };
    size_t i, s;

    for (i = 0; i < okFiles->len; i++)
        runOk(okDir, g_ptr_array_index(okFiles, i));
    for (i = 0; i < errFiles->len; i++)
        runErr(errDir, g_ptr_array_index(errFiles, i));
    if (!okFiles->len || !errFiles->len)
        tuResult(false, "golden data found in %s and %s", okDir, errDir);

    runBuilt(vdir);
    if (!vdir) {
        tuSkip("vectors", "../shared/vectors not found");
    } else {
        for (s = 0; s < G_N_ELEMENTS(sets); s++) {
            g_autofree char *d = g_build_filename(vdir, sets[s], NULL);
            g_autoptr(GPtrArray) files = tuListDir(d, ".sexpr");
            if (!files->len)
                tuResult(false, "vectors in %s", d);
            for (i = 0; i < files->len; i++)
                runVector(vdir, sets[s], g_ptr_array_index(files, i));
        }
    }
    return tuFinish();
}
