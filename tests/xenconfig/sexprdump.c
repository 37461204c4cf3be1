/*
 * sexprdump.c: test helper for wireoracle.py: reads one SXP file (with the
 * flags libvirt's test files need) and prints every atom of the tree, one
 * per line: its value's bytes in hex, a tab, and how the wire printer
 * (xend's sxp.show) writes it.  Exit 1 with the error on stderr if the
 * file is refused.
 *
 * Usage: sexprdump FILE
 */
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "xenconfig/sexpr.h"

static void
walk(const xvSexpr *n)
{
    size_t i;

    if (n->kind == XV_SEXPR_ATOM) {
        const unsigned char *p;
        g_autofree char *wire = xvSexprFormat(n, XV_SEXPR_FORMAT_WIRE);
        for (p = (const unsigned char *) n->value; *p; p++)
            printf("%02x", *p);
        printf("\t%s\n", wire);
        return;
    }
    for (i = 0; i < xvSexprCount(n); i++)
        walk(xvSexprItem(n, i));
}

int
main(int argc, char **argv)
{
    g_autofree char *text = NULL;
    g_autoptr(xvSexpr) tree = NULL;
    gsize len = 0;

    if (argc != 2 || !g_file_get_contents(argv[1], &text, &len, NULL)) {
        fprintf(stderr, "usage: sexprdump FILE\n");
        return 2;
    }
    tree = xvSexprParse(text, len, XV_SEXPR_PARSE_CONTINUATION | XV_SEXPR_PARSE_FIRST |
                        XV_SEXPR_PARSE_CLOSE_AT_EOF, NULL);
    if (!tree) {
        fprintf(stderr, "%s\n", xvErrorGetLast()->message);
        return 1;
    }
    walk(tree);
    return 0;
}
