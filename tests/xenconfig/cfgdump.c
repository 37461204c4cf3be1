/*
 * cfgdump.c: test helper for xmoracle.py: reads one config file with
 * xvCfgParse and prints what it holds as JSON, one object, each key once
 * (its last assignment, as xm and xl use it): strings as {"s": HEX} (the
 * bytes in hex, so any byte survives JSON), numbers as {"n": N}, lists as
 * {"l": [...]}.  Exit 1 with the error on stderr if the file is refused.
 *
 * Usage: cfgdump xm|xl FILE
 */
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "xenconfig/xen_cfg.h"

static void
dumpValue(GString *out, const xvCfgValue *v)
{
    size_t i;
    const unsigned char *p;

    switch (v->type) {
    case XV_CFG_STRING:
        g_string_append(out, "{\"s\": \"");
        for (p = (const unsigned char *) v->str; *p; p++)
            g_string_append_printf(out, "%02x", *p);
        g_string_append(out, "\"}");
        break;
    case XV_CFG_NUMBER:
        g_string_append_printf(out, "{\"n\": %lld}", v->num);
        break;
    case XV_CFG_LIST:
        g_string_append(out, "{\"l\": [");
        for (i = 0; i < v->items->len; i++) {
            if (i)
                g_string_append(out, ", ");
            dumpValue(out, g_ptr_array_index(v->items, i));
        }
        g_string_append(out, "]}");
        break;
    }
}

int
main(int argc, char **argv)
{
    g_autofree char *text = NULL;
    g_autoptr(xvCfg) cfg = NULL;
    g_autoptr(GString) out = g_string_new("{");
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    gsize len = 0;
    size_t i;
    bool first = true;

    if (argc != 3 || (strcmp(argv[1], "xm") != 0 && strcmp(argv[1], "xl") != 0)) {
        fprintf(stderr, "usage: cfgdump xm|xl FILE\n");
        return 2;
    }
    if (!g_file_get_contents(argv[2], &text, &len, NULL)) {
        fprintf(stderr, "cannot read %s\n", argv[2]);
        return 2;
    }
    cfg = xvCfgParse(argv[2], text, len,
                     strcmp(argv[1], "xl") == 0 ? XV_CFG_DIALECT_XL : XV_CFG_DIALECT_XM, NULL);
    if (!cfg) {
        fprintf(stderr, "%s\n", xvErrorGetLast()->message);
        return 1;
    }
    for (i = 0; i < cfg->entries->len; i++) {
        const xvCfgEntry *e = g_ptr_array_index(cfg->entries, i);
        if (g_hash_table_contains(seen, e->name))
            continue;
        g_hash_table_add(seen, e->name);
        g_string_append_printf(out, "%s\"%s\": ", first ? "" : ", ", e->name);
        dumpValue(out, xvCfgGet(cfg, e->name));
        first = false;
    }
    g_string_append(out, "}\n");
    fputs(out->str, stdout);
    return 0;
}
