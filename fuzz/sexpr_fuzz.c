/*
 * sexpr_fuzz.c: libFuzzer target for the SXP reader and printers.
 *
 * The first byte picks the reader flags and small limits, the rest is the
 * text.  Beyond "no crash, no leak" it checks the printers: every form must
 * read back to the same tree, and the layout form must give the input back
 * byte for byte.  A violation aborts, so the fuzzer reports it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "xenconfig/sexpr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
same(const xvSexpr *a, const xvSexpr *b)
{
    size_t i;

    if (a->kind != b->kind)
        return 0;
    if (a->kind == XV_SEXPR_ATOM)
        return strcmp(a->value, b->value) == 0;
    if (xvSexprCount(a) != xvSexprCount(b))
        return 0;
    for (i = 0; i < xvSexprCount(a); i++) {
        if (!same(xvSexprItem(a, i), xvSexprItem(b, i)))
            return 0;
    }
    return 1;
}

static void
lookups(const xvSexpr *tree)
{
    static const char *const paths[] = {
        "domain/name", "domain/memory", "domain/image/hvm/kernel", "a/b", "a/b/c", "a",
    };
    size_t i, idx = 0;
    long long ll;
    unsigned long long ull;
    double d;
    bool b;
    int n;
    unsigned int u;

    for (i = 0; i < G_N_ELEMENTS(paths); i++) {
        (void) xvSexprNodeValue(tree, paths[i]);
        (void) xvSexprGetLongLong(tree, paths[i], &ll);
        (void) xvSexprGetULongLong(tree, paths[i], &ull);
        (void) xvSexprGetInt(tree, paths[i], &n);
        (void) xvSexprGetUInt(tree, paths[i], &u);
        (void) xvSexprGetDouble(tree, paths[i], &d);
        (void) xvSexprGetBool(tree, paths[i], &b);
    }
    while (xvSexprNextChild(tree, NULL, &idx))
        ;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xvSexprLimits lim = { 0 };
    unsigned int flags;
    xvSexpr *tree;
    int style;

    if (size < 1)
        return 0;
    flags = data[0] & (XV_SEXPR_PARSE_CONTINUATION | XV_SEXPR_PARSE_FIRST |
                       XV_SEXPR_PARSE_CLOSE_AT_EOF);
    flags |= XV_SEXPR_PARSE_LAYOUT;
    if (data[0] & 0x80) {
        lim.maxDepth = 4;
        lim.maxItems = 8;
    }
    data++;
    size--;

    tree = xvSexprParse((const char *) data, size, flags, &lim);
    if (!tree) {
        if (!xvErrorGetLast())
            abort();            /* every failure must say why */
        xvErrorReset();
        return 0;
    }
    {
        char *layout = xvSexprFormat(tree, XV_SEXPR_FORMAT_LAYOUT);
        if (strlen(layout) != size || memcmp(layout, data, size) != 0)
            abort();
        g_free(layout);
    }
    for (style = XV_SEXPR_FORMAT_WIRE; style <= XV_SEXPR_FORMAT_PRETTY; style++) {
        char *text = xvSexprFormat(tree, style);
        xvSexpr *again = xvSexprParse(text, strlen(text), 0, NULL);
        if (!again || !same(tree, again))
            abort();
        xvSexprFree(again);
        g_free(text);
    }
    g_free(xvSexprDump(tree));
    lookups(tree);
    xvSexprFree(tree);
    xvErrorReset();
    return 0;
}
