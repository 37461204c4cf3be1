/*
 * xenconfig_bench.c: throughput of the native-format readers/writers in
 * src/xenconfig, with Xen's own xl config parser (libxlutil's
 * xlu_cfg_readdata) measured in the same run on the same inputs when it is
 * available, and the ratio printed.
 *
 * Inputs: the xl/xm files of ../shared/vectors (libvirt's test data: small,
 * realistic files) and one synthetic large file (many settings and a long
 * disk list), so that both per-file overhead and raw scanning speed show.
 * Each measurement repeats until it has run for at least MIN_SECONDS, and
 * the best of RUNS such measurements is reported.
 * Both parsers build their full in-memory form and free it each round.
 *
 * Usage: xenconfig_bench [VECTORS_DIR]   (default: $XENVIRT_VECTORS_DIR,
 * then ../shared/vectors next to the source tree)
 */
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "xenconfig/sexpr.h"
#include "xenconfig/xen_cfg.h"

#ifdef HAVE_LIBXLUTIL
# include <libxlutil.h>
#endif

#define MIN_SECONDS 0.3
#define RUNS 3

typedef struct {
    GPtrArray *texts;   /* char * */
    size_t bytes;
} Corpus;

static void
corpusAdd(Corpus *c, char *text)
{
    g_ptr_array_add(c->texts, text);
    c->bytes += strlen(text);
}

static void
corpusLoad(Corpus *c, const char *dir, const char *suffix)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = NULL;
        char *text = NULL;
        if (!g_str_has_suffix(name, suffix))
            continue;
        path = g_build_filename(dir, name, NULL);
        if (g_file_get_contents(path, &text, NULL, NULL))
            corpusAdd(c, text);
    }
}

/* A large xl file: 2000 settings and a 2000-item disk list. */
static char *
syntheticCfg(void)
{
    GString *s = g_string_new("# synthetic config for the benchmark\n");
    int i;

    for (i = 0; i < 2000; i++)
        g_string_append_printf(s, "key_%d = \"value number %d with some text\"  # c\n", i, i);
    g_string_append(s, "disk = [\n");
    for (i = 0; i < 2000; i++)
        g_string_append_printf(s, "  \"format=raw,vdev=xvd%d,access=rw,target=/dev/vg/disk%d\",\n",
                               i, i);
    g_string_append(s, "]\n");
    return g_string_free(s, FALSE);
}

/* A large SXP record in xend's wire form. */
static char *
syntheticSexpr(void)
{
    GString *s = g_string_new("(domain (domid 3) (name vm1) (memory 256)");
    int i;

    for (i = 0; i < 2000; i++)
        g_string_append_printf(s, " (device (vbd (uname phy:/dev/vg/disk%d) (mode w) (dev xvd%d:disk)"
                               " (backend 0) (bootable 0) (args 'some quoted text %d')))", i, i, i);
    g_string_append(s, ")");
    return g_string_free(s, FALSE);
}

typedef bool (*ParseFn)(const char *text, size_t len, void *opaque);

/* MB/s over the corpus, one run. */
static double
measureOnce(const Corpus *c, ParseFn fn, void *opaque)
{
    gint64 start = g_get_monotonic_time();
    double secs = 0;
    size_t rounds = 0, i;

    do {
        for (i = 0; i < c->texts->len; i++) {
            const char *t = g_ptr_array_index(c->texts, i);
            if (!fn(t, strlen(t), opaque)) {
                fprintf(stderr, "parse failed: %s\n",
                        xvErrorGetLast() ? xvErrorGetLast()->message : "?");
                return -1;
            }
        }
        rounds++;
        secs = (g_get_monotonic_time() - start) / 1e6;
    } while (secs < MIN_SECONDS);
    return (double) c->bytes * rounds / secs / 1e6;
}

/* The best of RUNS runs: the machine is shared, and the best run is the
 * one least disturbed by others. */
static double
measure(const Corpus *c, ParseFn fn, void *opaque)
{
    double best = 0;
    int i;

    for (i = 0; i < RUNS; i++) {
        double v = measureOnce(c, fn, opaque);
        if (v < 0)
            return v;
        best = MAX(best, v);
    }
    return best;
}

static bool
parseXl(const char *text, size_t len, void *opaque)
{
    xvCfg *cfg = xvCfgParse(NULL, text, len, XV_CFG_DIALECT_XL, NULL);
    xvCfgFree(cfg);
    return cfg != NULL;
}

static bool
parseXm(const char *text, size_t len, void *opaque)
{
    xvCfg *cfg = xvCfgParse(NULL, text, len, XV_CFG_DIALECT_XM, NULL);
    xvCfgFree(cfg);
    return cfg != NULL;
}

static bool
parseWriteXm(const char *text, size_t len, void *opaque)
{
    xvCfg *cfg = xvCfgParse(NULL, text, len, XV_CFG_DIALECT_XM, NULL);
    char *out = cfg ? xvCfgFormat(cfg) : NULL;
    xvCfgFree(cfg);
    g_free(out);
    return out != NULL;
}

static bool
parseSexpr(const char *text, size_t len, void *opaque)
{
    unsigned int flags = GPOINTER_TO_UINT(opaque);
    xvSexpr *t = xvSexprParse(text, len, flags, NULL);
    xvSexprFree(t);
    return t != NULL;
}

static bool
parseFormatSexpr(const char *text, size_t len, void *opaque)
{
    unsigned int flags = GPOINTER_TO_UINT(opaque);
    xvSexpr *t = xvSexprParse(text, len, flags, NULL);
    char *out = t ? xvSexprFormat(t, XV_SEXPR_FORMAT_WIRE) : NULL;
    xvSexprFree(t);
    g_free(out);
    return out != NULL;
}

#ifdef HAVE_LIBXLUTIL
static bool
parseLibxlutil(const char *text, size_t len, void *opaque)
{
    XLU_Config *cfg = xlu_cfg_init(opaque, "bench");
    int rc;

    if (!cfg)
        return false;
    rc = xlu_cfg_readdata(cfg, text, (int) len);
    xlu_cfg_destroy(cfg);
    return rc == 0;
}
#endif

static void
report(const char *what, const Corpus *c, ParseFn ours, void *ourOpaque, bool withXl)
{
    double mine = measure(c, ours, ourOpaque);

    printf("%-34s %7.1f MB/s", what, mine);
#ifdef HAVE_LIBXLUTIL
    if (withXl) {
        FILE *devnull = fopen("/dev/null", "w");
        double theirs = measure(c, parseLibxlutil, devnull);
        printf("   libxlutil %7.1f MB/s   ratio %.2fx", theirs, mine / theirs);
        fclose(devnull);
    }
#else
    if (withXl)
        printf("   (libxlutil not available: no ratio)");
#endif
    printf("   [%u files, %zu bytes]\n", c->texts->len, c->bytes);
}

int
main(int argc, char **argv)
{
    const char *vdir = argc > 1 ? argv[1] : g_getenv("XENVIRT_VECTORS_DIR");
    g_autofree char *xlDir = NULL, *xmDir = NULL, *s1 = NULL, *s2 = NULL;
    Corpus xl = { g_ptr_array_new_with_free_func(g_free), 0 };
    Corpus xm = { g_ptr_array_new_with_free_func(g_free), 0 };
    Corpus big = { g_ptr_array_new_with_free_func(g_free), 0 };
    Corpus sx = { g_ptr_array_new_with_free_func(g_free), 0 };
    Corpus sxBig = { g_ptr_array_new_with_free_func(g_free), 0 };
    unsigned int vecFlags = XV_SEXPR_PARSE_CONTINUATION | XV_SEXPR_PARSE_FIRST |
        XV_SEXPR_PARSE_CLOSE_AT_EOF;

    if (vdir) {
        xlDir = g_build_filename(vdir, "xlconfigdata", NULL);
        xmDir = g_build_filename(vdir, "xmconfigdata", NULL);
        s1 = g_build_filename(vdir, "sexpr2xmldata", NULL);
        s2 = g_build_filename(vdir, "xml2sexprdata", NULL);
        corpusLoad(&xl, xlDir, ".cfg");
        corpusLoad(&xm, xmDir, ".cfg");
        corpusLoad(&sx, s1, ".sexpr");
        corpusLoad(&sx, s2, ".sexpr");
    }
    corpusAdd(&big, syntheticCfg());
    corpusAdd(&sxBig, syntheticSexpr());

    printf("xenconfig throughput (higher is better; ratio = xenvirt / libxlutil)\n");
    if (xl.texts->len)
        report("xl cfg parse, libvirt vectors", &xl, parseXl, NULL, true);
    report("xl cfg parse, synthetic file", &big, parseXl, NULL, true);
    if (xm.texts->len) {
        report("xm cfg parse, libvirt vectors", &xm, parseXm, NULL, false);
        report("xm cfg parse+write, vectors", &xm, parseWriteXm, NULL, false);
    }
    if (sx.texts->len)
        report("SXP parse, libvirt vectors", &sx, parseSexpr, GUINT_TO_POINTER(vecFlags), false);
    report("SXP parse, synthetic record", &sxBig, parseSexpr, GUINT_TO_POINTER(0), false);
    report("SXP parse+wire print, synthetic", &sxBig, parseFormatSexpr, GUINT_TO_POINTER(0), false);

    g_ptr_array_unref(xl.texts);
    g_ptr_array_unref(xm.texts);
    g_ptr_array_unref(big.texts);
    g_ptr_array_unref(sx.texts);
    g_ptr_array_unref(sxBig.texts);
    return 0;
}
