/*
 * domainxml_bench.c: domain XML throughput, ours against libvirt's.
 *
 * Workload: the golden inputs of tests/domainxmldata (those that parse,
 * whole domains only, and that libvirt's test driver accepts), taken
 * round-robin.  Three loops over the same documents in the same run:
 *   xenvirt parse+format   xvDomainDefParseString + xvDomainDefFormat
 *   xenvirt API            virDomainDefineXML + virDomainGetXMLDesc +
 *                          virDomainUndefine through our libxenvirt.so on
 *                          its test:///default driver
 *   libvirt API            the same calls through libvirt 9's libvirt.so.0
 *                          on its test:///default driver
 * (documents get type='test', the one change libvirt-check.sh makes too),
 * and prints documents per second for each and the ratios to libvirt.
 *
 * Both libraries are loaded with dlopen(RTLD_DEEPBIND) rather than linked:
 * they export the same names, and DEEPBIND makes each bind to itself.  A
 * library that cannot be loaded is reported and its loop skipped.
 *
 * Usage: domainxml_bench [SECONDS-PER-LOOP] (default 2); the data and
 * libxenvirt.so are found through XENVIRT_SOURCE_ROOT / XENVIRT_BUILD_ROOT
 * or the compiled-in paths.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "conf/domain_conf.h"
#include "util/error.h"

typedef struct {
    char *xml;      /* as given (type='xen') */
    char *testXml;  /* type='test', unique name, for libvirt */
    char *name;
} Doc;

static GPtrArray *
loadDocs(const char *dir)
{
    GPtrArray *docs = g_ptr_array_new();
    g_autoptr(GDir) gdir = g_dir_open(dir, 0, NULL);
    const char *entry;

    if (!gdir)
        return docs;
    while ((entry = g_dir_read_name(gdir))) {
        g_autofree char *path = NULL;
        g_autofree char *base = NULL;
        g_autofree char *errPath = NULL;
        g_autofree char *xml = NULL;
        g_autoptr(xvDomainDef) def = NULL;
        Doc *doc;

        if (!g_str_has_suffix(entry, ".xml") || g_str_has_suffix(entry, ".out.xml") ||
            g_str_has_prefix(entry, "device-") || g_str_has_prefix(entry, "err-"))
            continue;
        path = g_build_filename(dir, entry, NULL);
        base = g_strndup(path, strlen(path) - 4);
        errPath = g_strdup_printf("%s.err", base);
        if (g_file_test(errPath, G_FILE_TEST_EXISTS) ||
            !g_file_get_contents(path, &xml, NULL, NULL) ||
            !(def = xvDomainDefParseString(xml)))
            continue;

        doc = g_new0(Doc, 1);
        doc->name = g_strdup_printf("bench%u", docs->len);
        /* libvirt's copy: our canonical output, renamed, type 'test',
         * without the xen: namespace the test driver would drop anyway */
        g_free(def->name);
        def->name = g_strdup(doc->name);
        def->has_uuid = false;
        def->virt_type = XV_DOMAIN_VIRT_TEST;
        g_clear_pointer(&def->xen_cmdline, g_strfreev);
        doc->testXml = xvDomainDefFormat(def, XV_DOMAIN_FORMAT_INACTIVE);
        doc->xml = g_steal_pointer(&xml);
        g_ptr_array_add(docs, doc);
    }
    return docs;
}

static double
runOurs(GPtrArray *docs, double seconds, guint64 *count)
{
    gint64 start = g_get_monotonic_time();
    gint64 deadline = start + (gint64)(seconds * G_USEC_PER_SEC);
    guint64 n = 0;

    while (g_get_monotonic_time() < deadline) {
        for (guint i = 0; i < docs->len; i++) {
            Doc *doc = g_ptr_array_index(docs, i);
            g_autoptr(xvDomainDef) def = xvDomainDefParseString(doc->xml);
            g_autofree char *out = def ? xvDomainDefFormat(def, 0) : NULL;

            if (!out) {
                fprintf(stderr, "%s: %s\n", doc->name, xvErrorGetLast()->message);
                exit(1);
            }
            n++;
        }
    }
    *count = n;
    return (double)n / ((double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC);
}

/* The handful of libvirt entry points the loop needs, resolved by dlsym. */
typedef struct {
    void *(*connectOpen)(const char *);
    int (*connectClose)(void *);
    void *(*defineXML)(void *, const char *);
    char *(*getXMLDesc)(void *, unsigned int);
    int (*undefine)(void *);
    int (*domainFree)(void *);
    void (*setErrorFunc)(void *, void (*)(void *, void *));
} Libvirt;

/* libvirt prints every error on stderr unless a handler is set. */
static void
quietErrors(void *data, void *err)
{
}

static const char *
loadLibvirt(Libvirt *lv, const char *path)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);

    if (!h)
        return dlerror();
    lv->connectOpen = (void *(*)(const char *))dlsym(h, "virConnectOpen");
    lv->connectClose = (int (*)(void *))dlsym(h, "virConnectClose");
    lv->defineXML = (void *(*)(void *, const char *))dlsym(h, "virDomainDefineXML");
    lv->getXMLDesc = (char *(*)(void *, unsigned int))dlsym(h, "virDomainGetXMLDesc");
    lv->undefine = (int (*)(void *))dlsym(h, "virDomainUndefine");
    lv->domainFree = (int (*)(void *))dlsym(h, "virDomainFree");
    lv->setErrorFunc = (void (*)(void *, void (*)(void *, void *)))dlsym(h, "virSetErrorFunc");
    if (!lv->connectOpen || !lv->connectClose || !lv->defineXML || !lv->getXMLDesc ||
        !lv->undefine || !lv->domainFree || !lv->setErrorFunc)
        return "an expected symbol is missing";
    lv->setErrorFunc(NULL, quietErrors);
    return NULL;
}

/* Both loops run only the documents libvirt's test driver accepts (it
 * refuses a few Xen-only values in type='test' domains). */
static void
keepDefinable(Libvirt *lv, GPtrArray *docs)
{
    void *conn = lv->connectOpen("test:///default");

    if (!conn)
        return;
    for (guint i = docs->len; i-- > 0;) {
        Doc *doc = g_ptr_array_index(docs, i);
        void *dom = lv->defineXML(conn, doc->testXml);

        if (!dom) {
            g_ptr_array_remove_index(docs, i);
            continue;
        }
        lv->undefine(dom);
        lv->domainFree(dom);
    }
    lv->connectClose(conn);
}

static double
runAPI(Libvirt *lv, const char *who, GPtrArray *docs, double seconds, guint64 *count)
{
    void *conn = lv->connectOpen("test:///default");
    gint64 start, deadline;
    guint64 n = 0;

    if (!conn) {
        fprintf(stderr, "%s: cannot open test:///default\n", who);
        return -1;
    }
    start = g_get_monotonic_time();
    deadline = start + (gint64)(seconds * G_USEC_PER_SEC);
    while (g_get_monotonic_time() < deadline) {
        for (guint i = 0; i < docs->len; i++) {
            Doc *doc = g_ptr_array_index(docs, i);
            void *dom = lv->defineXML(conn, doc->testXml);
            char *xml;

            if (!dom) {
                fprintf(stderr, "%s: cannot define %s\n", who, doc->name);
                lv->connectClose(conn);
                return -1;
            }
            xml = lv->getXMLDesc(dom, 0);
            free(xml);
            lv->undefine(dom);
            lv->domainFree(dom);
            n++;
        }
    }
    *count = n;
    lv->connectClose(conn);
    return (double)n / ((double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC);
}

int
main(int argc, char **argv)
{
    const char *root = g_getenv("XENVIRT_SOURCE_ROOT");
    g_autofree char *dir = root ? g_build_filename(root, "tests", "domainxmldata", NULL)
                                : g_strdup(SOURCE_DATA_DIR);
    double seconds = argc > 1 ? g_ascii_strtod(argv[1], NULL) : 2.0;
    g_autoptr(GPtrArray) docs = loadDocs(dir);
    const char *build = g_getenv("XENVIRT_BUILD_ROOT");
    g_autofree char *ourLib = build ? g_build_filename(build, "src", "libxenvirt.so.0", NULL)
                                    : g_strdup(BUILD_LIB_PATH);
    Libvirt lv = {0}, xv = {0};
    const char *why, *xvWhy;
    guint64 nOurs = 0, nLibvirt = 0, nXv = 0;
    double ours, theirs, xvApi = -1;

    if (seconds <= 0)
        seconds = 2.0;
    if (docs->len == 0) {
        fprintf(stderr, "no documents in %s\n", dir);
        return 1;
    }
    if (!(why = loadLibvirt(&lv, "libvirt.so.0")))
        keepDefinable(&lv, docs);
    xvWhy = loadLibvirt(&xv, ourLib);
    printf("workload: %u domain documents from %s, %.1f s per loop\n", docs->len, dir, seconds);
    ours = runOurs(docs, seconds, &nOurs);
    printf("xenvirt  parse+format:                   %9.0f docs/s (%" G_GUINT64_FORMAT " docs)\n",
           ours, nOurs);
    fflush(stdout);
    if (xvWhy) {
        printf("xenvirt  define+getXML+undefine:         skipped: %s\n", xvWhy);
    } else if ((xvApi = runAPI(&xv, "xenvirt", docs, seconds, &nXv)) > 0) {
        printf("xenvirt  define+getXML+undefine (test):  %9.0f docs/s (%" G_GUINT64_FORMAT " docs)\n",
               xvApi, nXv);
    }
    fflush(stdout);
    if (why) {
        printf("libvirt  define+getXML+undefine:         skipped: %s\n", why);
        return 0;
    }
    theirs = runAPI(&lv, "libvirt", docs, seconds, &nLibvirt);
    if (theirs <= 0)
        return 1;
    printf("libvirt  define+getXML+undefine (test):  %9.0f docs/s (%" G_GUINT64_FORMAT " docs)\n",
           theirs, nLibvirt);
    printf("ratio xenvirt parse+format / libvirt define loop: %.2f\n", ours / theirs);
    if (xvApi > 0)
        printf("ratio xenvirt define loop / libvirt define loop:  %.2f\n", xvApi / theirs);
    return 0;
}
