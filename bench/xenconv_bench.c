/*
 * xenconv_bench.c: conversion throughput between domain XML and Xen's
 * native formats (xend SXP, xm, xl) through the offline API functions, on
 * libvirt's public vectors.  Each direction is timed over every vector of
 * its set; the figure is conversions per second and MB/s of input, best of
 * RUNS runs of at least MIN_SECONDS.  The same run times our plain XML
 * parse+format of the produced XML, so each conversion is also printed as a
 * ratio to that baseline (how much the native side costs on top).
 *
 * Usage: xenconv_bench [VECTORS_DIR]  (default $XENVIRT_VECTORS_DIR)
 */
#include <stdio.h>
#include <string.h>

#include "conf/domain_conf.h"
#include "util/error.h"
#include "xenconfig/xen_native.h"

#define MIN_SECONDS 0.3
#define RUNS 3

typedef struct {
    const char *label;
    const char *subdir;
    const char *suffix;  /* input files */
    const char *format;  /* native format */
    bool to_native;      /* XML -> native, else native -> XML */
} Direction;

static const Direction directions[] = {
    {"sxpr -> xml", "sexpr2xmldata", ".sexpr", XV_NATIVE_FORMAT_SXPR, false},
    {"xml -> sxpr", "xml2sexprdata", ".xml", XV_NATIVE_FORMAT_SXPR, true},
    {"xm -> xml", "xmconfigdata", ".cfg", XV_NATIVE_FORMAT_XM, false},
    {"xml -> xm", "xmconfigdata", ".xml", XV_NATIVE_FORMAT_XM, true},
    {"xl -> xml", "xlconfigdata", ".cfg", XV_NATIVE_FORMAT_XL, false},
    {"xml -> xl", "xlconfigdata", ".xml", XV_NATIVE_FORMAT_XL, true},
};

/* Inputs that convert cleanly (a few vectors are error cases). */
static GPtrArray *
loadInputs(const char *dir, const Direction *d, size_t *bytes)
{
    g_autofree char *path = g_build_filename(dir, d->subdir, NULL);
    g_autoptr(GDir) gd = g_dir_open(path, 0, NULL);
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    *bytes = 0;
    while (gd && (name = g_dir_read_name(gd))) {
        g_autofree char *file = NULL;
        char *text = NULL;
        char *conv;
        if (!g_str_has_suffix(name, d->suffix))
            continue;
        file = g_build_filename(path, name, NULL);
        if (!g_file_get_contents(file, &text, NULL, NULL))
            continue;
        conv = d->to_native ? xvDomainXMLToNative(d->format, text, 0)
                            : xvDomainXMLFromNative(d->format, text, 0);
        virResetLastError();
        if (!conv) {
            g_free(text);
            continue;
        }
        g_free(conv);
        *bytes += strlen(text);
        g_ptr_array_add(out, text);
    }
    return out;
}

/* Best rate (passes over inputs per second) of fn over inputs. */
static double
timeIt(GPtrArray *inputs, const Direction *d, bool baseline)
{
    double best = 0;

    for (int run = 0; run < RUNS; run++) {
        gint64 t0 = g_get_monotonic_time();
        gint64 elapsed;
        unsigned long passes = 0;
        do {
            for (guint i = 0; i < inputs->len; i++) {
                const char *in = inputs->pdata[i];
                char *out;
                if (baseline) {
                    xvDomainDef *def = xvDomainDefParseString(in);
                    out = def ? xvDomainDefFormat(def, 0) : NULL;
                    xvDomainDefFree(def);
                } else {
                    out = d->to_native ? xvDomainXMLToNative(d->format, in, 0)
                                       : xvDomainXMLFromNative(d->format, in, 0);
                }
                g_free(out);
            }
            passes++;
            elapsed = g_get_monotonic_time() - t0;
        } while (elapsed < MIN_SECONDS * G_USEC_PER_SEC);
        best = MAX(best, passes / (elapsed / (double)G_USEC_PER_SEC));
    }
    return best;
}

int
main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : g_getenv("XENVIRT_VECTORS_DIR");

    if (!dir || !g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        printf("SKIP: vectors directory not found (%s)\n", dir ? dir : "unset");
        return 77;
    }
    printf("%-12s %6s %12s %9s %14s\n", "direction", "files", "conv/s", "MB/s",
           "cost vs XML p+f");
    for (size_t i = 0; i < G_N_ELEMENTS(directions); i++) {
        const Direction *d = &directions[i];
        size_t bytes;
        g_autoptr(GPtrArray) in = loadInputs(dir, d, &bytes);
        g_autoptr(GPtrArray) xml = g_ptr_array_new_with_free_func(g_free);
        double rate, base;

        if (in->len == 0) {
            printf("%-12s no convertible inputs\n", d->label);
            continue;
        }
        /* Baseline: the XML side of the same documents. */
        for (guint k = 0; k < in->len; k++) {
            char *x = d->to_native ? g_strdup(in->pdata[k])
                                   : xvDomainXMLFromNative(d->format, in->pdata[k], 0);
            if (x)
                g_ptr_array_add(xml, x);
        }
        rate = timeIt(in, d, false);
        base = timeIt(xml, d, true);
        printf("%-12s %6u %12.0f %9.1f %13.2fx\n", d->label, in->len, rate * in->len,
               rate * bytes / 1e6, (base * xml->len) / (rate * in->len));
    }
    return 0;
}
