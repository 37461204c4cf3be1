/*
 * xen_cfg_fuzz.c: libFuzzer target for the /etc/xen config reader/writer.
 *
 * The first byte picks the dialect (and small limits), the rest is the
 * file.  Beyond "no crash, no leak" it checks the writer: the written file,
 * with and without the layout kept from reading, must read back to the
 * same entries.  A violation aborts, so the fuzzer reports it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "xenconfig/xen_cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sameValue(const xvCfgValue *a, const xvCfgValue *b)
{
    size_t i;

    if (a->type != b->type)
        return 0;
    if (a->type == XV_CFG_STRING)
        return strcmp(a->str, b->str) == 0;
    if (a->type == XV_CFG_NUMBER)
        return a->num == b->num;
    if (a->items->len != b->items->len)
        return 0;
    for (i = 0; i < a->items->len; i++) {
        if (!sameValue(g_ptr_array_index(a->items, i), g_ptr_array_index(b->items, i)))
            return 0;
    }
    return 1;
}

static void
checkRereads(const xvCfg *cfg)
{
    char *text = xvCfgFormat(cfg);
    xvCfg *again;
    size_t i;

    if (!text)
        abort();                /* whatever was read can be written */
    again = xvCfgParse(NULL, text, strlen(text), cfg->dialect, NULL);
    if (!again || again->entries->len != cfg->entries->len)
        abort();
    for (i = 0; i < cfg->entries->len; i++) {
        const xvCfgEntry *a = g_ptr_array_index(cfg->entries, i);
        const xvCfgEntry *b = g_ptr_array_index(again->entries, i);
        if (strcmp(a->name, b->name) != 0 || !sameValue(a->value, b->value))
            abort();
    }
    xvCfgFree(again);
    g_free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xvCfgLimits lim = { 0 };
    xvCfgDialect dialect;
    xvCfg *cfg;
    size_t i;

    if (size < 1)
        return 0;
    dialect = (data[0] & 1) ? XV_CFG_DIALECT_XL : XV_CFG_DIALECT_XM;
    if (data[0] & 0x80) {
        lim.maxDepth = 3;
        lim.maxItems = 8;
        lim.maxEntries = 8;
    }
    data++;
    size--;

    cfg = xvCfgParse("fuzz", (const char *) data, size, dialect, &lim);
    if (!cfg) {
        if (!xvErrorGetLast())
            abort();
        xvErrorReset();
        return 0;
    }
    checkRereads(cfg);
    for (i = 0; i < cfg->entries->len; i++) {
        const xvCfgEntry *e = g_ptr_array_index(cfg->entries, i);
        const char *s;
        long long ll;
        unsigned long long ull;
        bool b;
        char **strv = NULL;

        (void) xvCfgGetString(cfg, e->name, &s);
        (void) xvCfgGetLong(cfg, e->name, &ll);
        (void) xvCfgGetULong(cfg, e->name, &ull);
        (void) xvCfgGetBool(cfg, e->name, &b);
        if (xvCfgGetStringList(cfg, e->name, true, &strv) > 0)
            g_strfreev(strv);
    }
    g_free(xvCfgDump(cfg));
    /* the same from the values alone */
    for (i = 0; i < cfg->entries->len; i++) {
        xvCfgEntry *e = g_ptr_array_index(cfg->entries, i);
        g_clear_pointer(&e->pre, g_free);
        g_clear_pointer(&e->post, g_free);
    }
    g_clear_pointer(&cfg->tail, g_free);
    checkRereads(cfg);
    xvCfgFree(cfg);
    xvErrorReset();
    return 0;
}
