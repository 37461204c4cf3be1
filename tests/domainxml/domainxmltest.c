/*
 * domainxmltest.c: golden tests for the domain XML parser and formatter.
 *
 * Every NAME.xml in tests/domainxmldata/ is one test (TAP output, one line
 * per file):
 *   - with NAME.err beside it, parsing must fail with exactly that message;
 *   - otherwise parse -> format must equal NAME.out.xml, formatting the
 *     result again after a second parse must give the same bytes (fixpoint),
 *     and xvDomainDefCopy must format identically;
 *   - with NAME.inactive.out.xml beside it, the inactive format is checked too.
 * Files named device-*.xml go through the single-device entry points.
 * XENVIRT_TEST_REGENERATE=1 rewrites the expectations instead of comparing
 * (review the diff before committing).  A mismatch prints `diff -u`.
 * Arguments, if given, restrict the run to those test names.
 *
 * With --vectors DIR it checks instead the shared conversion vectors (libvirt's
 * own expected XML, ../shared/vectors, see its README): every XML file that
 * cases.json lists must parse, and the canonical ones (xm/xl config and
 * sexpr2xml expectations) must format back byte for byte -- xm/xl as
 * inactive domains, sexpr2xml as live ones.  One normalisation, applied to
 * the expected side only: libvirt 1.3.1 wrote an empty <backingStore/> in
 * every disk, which libvirt 9's Xen driver no longer does.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "conf/domain_conf.h"
#include "util/error.h"

static bool regenerate;
static const char *dataDir;

/* Prints a unified diff of expected vs actual, falling back to both texts. */
static void
showDiff(const char *name, const char *expected, const char *actual)
{
    g_autofree char *tmpdir = g_dir_make_tmp("domainxml-XXXXXX", NULL);
    g_autofree char *efile = NULL;
    g_autofree char *afile = NULL;
    g_autofree char *out = NULL;
    const char *argv[] = {"diff", "-u", NULL, NULL, NULL};
    gboolean spawned = FALSE;

    if (tmpdir) {
        efile = g_build_filename(tmpdir, "expected", NULL);
        afile = g_build_filename(tmpdir, "actual", NULL);
        if (g_file_set_contents(efile, expected, -1, NULL) &&
            g_file_set_contents(afile, actual, -1, NULL)) {
            argv[2] = efile;
            argv[3] = afile;
            spawned = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH,
                                   NULL, NULL, &out, NULL, NULL, NULL);
        }
    }
    fprintf(stderr, "# %s: output differs from the expected file\n", name);
    if (spawned && out) {
        fputs(out, stderr);
    } else {
        fprintf(stderr, "# --- expected\n%s# --- actual\n%s", expected, actual);
    }
    if (efile)
        g_unlink(efile);
    if (afile)
        g_unlink(afile);
    if (tmpdir)
        g_rmdir(tmpdir);
}

/* Compares actual with the file (or rewrites it when regenerating). */
static bool
checkFile(const char *name, const char *path, const char *actual)
{
    g_autofree char *expected = NULL;
    g_autoptr(GError) err = NULL;

    if (regenerate) {
        if (!g_file_set_contents(path, actual, -1, &err)) {
            fprintf(stderr, "# %s: cannot write %s: %s\n", name, path, err->message);
            return false;
        }
        return true;
    }
    if (!g_file_get_contents(path, &expected, NULL, &err)) {
        fprintf(stderr, "# %s: cannot read %s: %s\n", name, path, err->message);
        return false;
    }
    if (strcmp(expected, actual) != 0) {
        showDiff(name, expected, actual);
        return false;
    }
    return true;
}

static const char *
lastMessage(void)
{
    virErrorPtr e = xvErrorGetLast();

    return e && e->message ? e->message : "(no error reported)";
}

/* The expected-error files carry the code and domain too, by name. */
static char *
lastErrorLine(void)
{
    static const struct {
        int code;
        const char *name;
    } codes[] = {
        {VIR_ERR_INTERNAL_ERROR, "VIR_ERR_INTERNAL_ERROR"},
        {VIR_ERR_INVALID_ARG, "VIR_ERR_INVALID_ARG"},
        {VIR_ERR_XML_ERROR, "VIR_ERR_XML_ERROR"},
        {VIR_ERR_XML_DETAIL, "VIR_ERR_XML_DETAIL"},
        {VIR_ERR_CONFIG_UNSUPPORTED, "VIR_ERR_CONFIG_UNSUPPORTED"},
        {VIR_ERR_NO_NAME, "VIR_ERR_NO_NAME"},
    };
    virErrorPtr e = xvErrorGetLast();
    g_autofree char *code = NULL;

    if (!e || !e->message)
        return g_strdup("(no error reported)\n");
    for (size_t i = 0; i < G_N_ELEMENTS(codes); i++) {
        if (codes[i].code == e->code)
            code = g_strdup(codes[i].name);
    }
    if (!code)
        code = g_strdup_printf("code %d", e->code);
    if (e->domain != VIR_FROM_DOMAIN)
        return g_strdup_printf("%s (from %d): %s\n", code, e->domain, e->message);
    return g_strdup_printf("%s: %s\n", code, e->message);
}

static bool
runDomain(const char *name, const char *input, const char *base)
{
    g_autofree char *errPath = g_strdup_printf("%s.err", base);
    g_autofree char *outPath = g_strdup_printf("%s.out.xml", base);
    g_autofree char *inactivePath = g_strdup_printf("%s.inactive.out.xml", base);
    g_autoptr(xvDomainDef) def = NULL;
    g_autoptr(xvDomainDef) def2 = NULL;
    g_autoptr(xvDomainDef) copy = NULL;
    g_autofree char *out = NULL;
    g_autofree char *out2 = NULL;
    g_autofree char *outCopy = NULL;
    bool ok = true;

    xvErrorReset();
    def = xvDomainDefParseString(input);
    if (g_file_test(errPath, G_FILE_TEST_EXISTS)) {
        g_autofree char *msg = NULL;
        if (def) {
            fprintf(stderr, "# %s: parsed, but %s expects an error\n", name, errPath);
            return false;
        }
        msg = lastErrorLine();
        return checkFile(name, errPath, msg);
    }
    if (!def) {
        fprintf(stderr, "# %s: parse failed: %s\n", name, lastMessage());
        return false;
    }
    if (!(out = xvDomainDefFormat(def, XV_DOMAIN_FORMAT_SECURE))) {
        fprintf(stderr, "# %s: format failed: %s\n", name, lastMessage());
        return false;
    }
    if (!checkFile(name, outPath, out))
        ok = false;

    if (!(def2 = xvDomainDefParseString(out))) {
        fprintf(stderr, "# %s: our own output does not parse: %s\n", name, lastMessage());
        return false;
    }
    if (!(out2 = xvDomainDefFormat(def2, XV_DOMAIN_FORMAT_SECURE)) || strcmp(out, out2) != 0) {
        fprintf(stderr, "# %s: parse -> format is not a fixpoint\n", name);
        if (out2)
            showDiff(name, out, out2);
        ok = false;
    }
    if (!(copy = xvDomainDefCopy(def)) ||
        !(outCopy = xvDomainDefFormat(copy, XV_DOMAIN_FORMAT_SECURE)) ||
        strcmp(out, outCopy) != 0) {
        fprintf(stderr, "# %s: xvDomainDefCopy does not format identically\n", name);
        ok = false;
    }
    /* parsing inactive drops exactly what formatting inactive leaves out */
    {
        g_autoptr(xvDomainDef) idef = xvDomainDefParseStringFlags(input, XV_DOMAIN_PARSE_INACTIVE);
        g_autofree char *a = idef ? xvDomainDefFormat(idef, XV_DOMAIN_FORMAT_SECURE) : NULL;
        g_autofree char *b = xvDomainDefFormat(def, XV_DOMAIN_FORMAT_INACTIVE |
                                                    XV_DOMAIN_FORMAT_SECURE);
        if (!a || !b || strcmp(a, b) != 0) {
            fprintf(stderr, "# %s: inactive parse and inactive format disagree\n", name);
            if (a && b)
                showDiff(name, b, a);
            ok = false;
        }
    }
    if (g_file_test(inactivePath, G_FILE_TEST_EXISTS)) {
        g_autofree char *inactive = xvDomainDefFormat(def, XV_DOMAIN_FORMAT_INACTIVE);
        if (!inactive || !checkFile(name, inactivePath, inactive))
            ok = false;
    }
    return ok;
}

static bool
runDevice(const char *name, const char *input, const char *base)
{
    g_autofree char *errPath = g_strdup_printf("%s.err", base);
    g_autofree char *outPath = g_strdup_printf("%s.out.xml", base);
    g_autoptr(xvDomainDeviceDef) dev = NULL;
    g_autoptr(xvDomainDeviceDef) dev2 = NULL;
    g_autofree char *out = NULL;
    g_autofree char *out2 = NULL;
    bool ok = true;

    xvErrorReset();
    dev = xvDomainDeviceDefParseString(input);
    if (g_file_test(errPath, G_FILE_TEST_EXISTS)) {
        g_autofree char *msg = NULL;
        if (dev) {
            fprintf(stderr, "# %s: parsed, but %s expects an error\n", name, errPath);
            return false;
        }
        msg = lastErrorLine();
        return checkFile(name, errPath, msg);
    }
    if (!dev || !(out = xvDomainDeviceDefFormat(dev, XV_DOMAIN_FORMAT_SECURE))) {
        fprintf(stderr, "# %s: failed: %s\n", name, lastMessage());
        return false;
    }
    if (!checkFile(name, outPath, out))
        ok = false;
    if (!(dev2 = xvDomainDeviceDefParseString(out)) ||
        !(out2 = xvDomainDeviceDefFormat(dev2, XV_DOMAIN_FORMAT_SECURE)) ||
        strcmp(out, out2) != 0) {
        fprintf(stderr, "# %s: parse -> format is not a fixpoint\n", name);
        ok = false;
    }
    return ok;
}

/* Limits and API misuse that no small file can show. Each returns the
 * error line it got, or NULL if parsing wrongly succeeded. */
static char *
parseExpectingError(const char *xml)
{
    g_autoptr(xvDomainDef) def = NULL;

    xvErrorReset();
    if ((def = xvDomainDefParseString(xml)))
        return NULL;
    return lastErrorLine();
}

static char *
domainWithDevices(const char *fmt, unsigned int count)
{
    GString *buf = g_string_new("<domain type='xen'><name>many</name><memory>65536</memory>"
                                "<os><type>linux</type></os><devices>");

    for (unsigned int i = 0; i < count; i++) {
        /* xvd names: a..z, aa.. for disks; the index for others */
        char name[8];
        unsigned int n = i + 1, len = 0;
        char rev[8];

        while (n > 0) {
            n--;
            rev[len++] = (char)('a' + n % 26);
            n /= 26;
        }
        for (unsigned int j = 0; j < len; j++)
            name[j] = rev[len - 1 - j];
        name[len] = '\0';
        g_string_append_printf(buf, fmt, name);
    }
    g_string_append(buf, "</devices></domain>");
    return g_string_free(buf, FALSE);
}

static bool
checkLimit(const char *name, char *got, const char *expected)
{
    g_autofree char *line = got;

    if (!line) {
        fprintf(stderr, "# %s: parsed, but an error was expected\n", name);
        return false;
    }
    if (strcmp(line, expected) != 0) {
        showDiff(name, expected, line);
        return false;
    }
    return true;
}

static int
runLimits(int n)
{
    g_autofree char *big = NULL;
    g_autofree char *disks = NULL;
    g_autofree char *inputs = NULL;
    g_autoptr(GString) deep = g_string_new("<domain type='xen'><name>deep</name>");
    g_autofree char *limitMsg = NULL;
    g_autoptr(xvDomainDef) def = NULL;
    bool ok;
    int failed = 0;

#define LIMIT_TEST(title, cond) \
    do { \
        ok = (cond); \
        printf("%s %d - %s\n", ok ? "ok" : "not ok", ++n, title); \
        if (!ok) \
            failed++; \
    } while (0)

    xvErrorReset();
    LIMIT_TEST("limit-null-input",
               checkLimit("limit-null-input",
                          xvDomainDefParseString(NULL) ? NULL : lastErrorLine(),
                          "VIR_ERR_INVALID_ARG: invalid argument: no domain XML given\n"));

    big = g_malloc(XV_DOMAIN_XML_MAX_BYTES + 2);
    memset(big, ' ', XV_DOMAIN_XML_MAX_BYTES + 1);
    big[XV_DOMAIN_XML_MAX_BYTES + 1] = '\0';
    limitMsg = g_strdup_printf("VIR_ERR_XML_ERROR: XML error: domain XML is %d bytes, "
                               "more than the limit of %d bytes\n",
                               XV_DOMAIN_XML_MAX_BYTES + 1, XV_DOMAIN_XML_MAX_BYTES);
    LIMIT_TEST("limit-size", checkLimit("limit-size", parseExpectingError(big), limitMsg));

    disks = domainWithDevices("<disk type='file'><source file='/x'/><target dev='xvd%s'/></disk>",
                              XV_DOMAIN_MAX_DEVICES_PER_KIND + 1);
    LIMIT_TEST("limit-disks",
               checkLimit("limit-disks", parseExpectingError(disks),
                          "VIR_ERR_XML_DETAIL: devices: more than 1024 <disk> elements\n"));
    inputs = domainWithDevices("<input type='mouse' bus='xen'/><!-- %s -->",
                               XV_DOMAIN_MAX_DEVICES_PER_KIND + 1);
    LIMIT_TEST("limit-inputs",
               checkLimit("limit-inputs", parseExpectingError(inputs),
                          "VIR_ERR_XML_DETAIL: devices: more than 1024 <input> elements\n"));

    /* exactly at the limit is fine */
    g_free(disks);
    disks = domainWithDevices("<disk type='file'><source file='/x'/><target dev='xvd%s'/></disk>",
                              XV_DOMAIN_MAX_DEVICES_PER_KIND);
    xvErrorReset();
    def = xvDomainDefParseString(disks);
    LIMIT_TEST("limit-disks-at-limit", def && def->ndisks == XV_DOMAIN_MAX_DEVICES_PER_KIND);

    /* libxml2's own depth limit answers, as an error rather than a crash */
    for (int i = 0; i < 300; i++)
        g_string_append(deep, "<description>");
    for (int i = 0; i < 300; i++)
        g_string_append(deep, "</description>");
    g_string_append(deep, "<memory>1</memory><os><type>hvm</type></os></domain>");
    xvErrorReset();
    {
        g_autoptr(xvDomainDef) d = xvDomainDefParseString(deep->str);
        virErrorPtr e = xvErrorGetLast();
        ok = !d && e && e->code == VIR_ERR_XML_ERROR && strstr(e->message, "depth");
        if (!ok)
            fprintf(stderr, "# limit-depth: %s\n", d ? "parsed" : lastMessage());
        LIMIT_TEST("limit-depth", ok);
    }

    /* a def built by code (xenconfig) with values the parser would have
     * normalised (empty strings, a raw cpuset, a fixed clock adjustment on
     * localtime, a parallel port with a target type) must still format to
     * something that parses back to the same output */
    {
        g_autoptr(xvDomainDef) d = xvDomainDefNew();
        g_autoptr(xvDomainDef) d2 = NULL;
        g_autofree char *out1 = NULL;
        g_autofree char *out2 = NULL;
        xvDomainDiskDef *disk = g_new0(xvDomainDiskDef, 1);
        xvDomainGraphicsDef *gr = g_new0(xvDomainGraphicsDef, 1);
        xvDomainChrDef *par = g_new0(xvDomainChrDef, 1);

        d->name = g_strdup("empties");
        d->max_memory = 65536;
        d->os_type = XV_DOMAIN_OS_LINUX;
        d->bootloader = g_strdup("/usr/bin/pygrub");
        d->bootloader_args = g_strdup("");
        d->os_kernel = g_strdup("");
        d->os_loader = g_strdup("");
        d->emulator = g_strdup("");
        d->description = g_strdup("");
        disk->dst = g_strdup("hdc"); /* before hda: Copy must keep this order */
        disk->device = XV_DISK_DEVICE_CDROM;
        disk->src = g_strdup("");
        d->disks = g_new0(xvDomainDiskDef *, 2);
        d->disks[d->ndisks++] = disk;
        disk = g_new0(xvDomainDiskDef, 1);
        disk->dst = g_strdup("hda");
        disk->src = g_strdup("/images/a.img");
        d->disks[d->ndisks++] = disk;
        gr->type = XV_GRAPHICS_VNC;
        gr->listen = g_strdup("");
        d->graphics = g_new0(xvDomainGraphicsDef *, 1);
        d->graphics[d->ngraphics++] = gr;
        d->vcpus = 4;
        d->cpuset = g_strdup("0-3,^2");
        d->clock_offset = g_strdup("localtime");
        d->has_clock_adjustment = true;
        d->clock_adjustment = 60;
        par->device = XV_CHR_DEVICE_PARALLEL;
        par->type = XV_CHR_TYPE_NULL;
        par->target_type = g_strdup("serial");
        d->parallels = g_new0(xvDomainChrDef *, 1);
        d->parallels[d->nparallels++] = par;

        xvErrorReset();
        out1 = xvDomainDefFormat(d, 0);
        d2 = out1 ? xvDomainDefParseString(out1) : NULL;
        out2 = d2 ? xvDomainDefFormat(d2, 0) : NULL;
        {
            g_autoptr(xvDomainDef) copy = xvDomainDefCopy(d);
            g_autofree char *outCopy = copy ? xvDomainDefFormat(copy, 0) : NULL;

            if (!outCopy || strcmp(out1, outCopy) != 0) {
                fprintf(stderr, "# format-code-built: the copy formats differently\n");
                if (outCopy)
                    showDiff("format-code-built copy", out1, outCopy);
                ok = false;
            } else {
                ok = true;
            }
        }
        /* re-parsing (not copying) puts hda before hdc, as libvirt does */
        ok = ok && out2 && d2->ndisks == 2 && strcmp(d2->disks[0]->dst, "hda") == 0;
        if (!ok && out1 && out2)
            showDiff("format-code-built", out1, out2);
        else if (!ok)
            fprintf(stderr, "# format-code-built: %s\n", lastMessage());
        LIMIT_TEST("format-code-built", ok);
    }

    xvErrorReset();
    LIMIT_TEST("format-null",
               !xvDomainDefFormat(NULL, 0) && xvErrorGetLast() &&
               xvErrorGetLast()->code == VIR_ERR_INTERNAL_ERROR);
#undef LIMIT_TEST
    return failed;
}

static gint
compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One vector file: parse, and unless parseOnly format and compare. */
static bool
runVector(const char *dir, const char *rel, unsigned int flags, bool parseOnly)
{
    g_autofree char *path = g_build_filename(dir, rel, NULL);
    g_autofree char *input = NULL;
    g_autofree char *out = NULL;
    g_autoptr(xvDomainDef) def = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) expected = NULL;
    g_auto(GStrv) lines = NULL;

    if (!g_file_get_contents(path, &input, NULL, &err)) {
        fprintf(stderr, "# %s: %s\n", rel, err->message);
        return false;
    }
    xvErrorReset();
    if (!(def = xvDomainDefParseString(input))) {
        fprintf(stderr, "# %s: parse failed: %s\n", rel, lastMessage());
        return false;
    }
    if (parseOnly)
        return true;
    if (!(out = xvDomainDefFormat(def, flags))) {
        fprintf(stderr, "# %s: format failed: %s\n", rel, lastMessage());
        return false;
    }
    expected = g_string_new(NULL);
    lines = g_strsplit(input, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        if (!lines[i + 1] && lines[i][0] == '\0')
            break; /* after the final newline */
        {
            g_autofree char *trimmed = g_strstrip(g_strdup(lines[i]));
            if (strcmp(trimmed, "<backingStore/>") == 0)
                continue;
        }
        g_string_append(expected, lines[i]);
        g_string_append_c(expected, '\n');
    }
    if (strcmp(expected->str, out) != 0) {
        showDiff(rel, expected->str, out);
        return false;
    }
    return true;
}

static int
runVectors(const char *dir)
{
    static const struct {
        const char *subdir;
        unsigned int flags;
        bool parseOnly;
    } sets[] = {
        {"xmconfigdata", XV_DOMAIN_FORMAT_INACTIVE | XV_DOMAIN_FORMAT_SECURE, false},
        {"xlconfigdata", XV_DOMAIN_FORMAT_INACTIVE | XV_DOMAIN_FORMAT_SECURE, false},
        {"sexpr2xmldata", XV_DOMAIN_FORMAT_SECURE, false},
        {"xml2sexprdata", 0, true},
    };
    g_autofree char *casesPath = g_build_filename(dir, "cases.json", NULL);
    g_autofree char *cases = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GArray) setOf = g_array_new(FALSE, FALSE, sizeof(size_t));
    g_autoptr(GError) err = NULL;
    int failed = 0;

    if (!g_file_get_contents(casesPath, &cases, NULL, &err)) {
        printf("Bail out! %s\n", err->message);
        return 1;
    }
    for (size_t s = 0; s < G_N_ELEMENTS(sets); s++) {
        g_autofree char *sub = g_build_filename(dir, sets[s].subdir, NULL);
        g_autoptr(GDir) gdir = g_dir_open(sub, 0, NULL);
        g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
        const char *entry;

        if (!gdir) {
            printf("Bail out! cannot open %s\n", sub);
            return 1;
        }
        while ((entry = g_dir_read_name(gdir))) {
            g_autofree char *rel = g_strdup_printf("%s/%s", sets[s].subdir, entry);
            g_autofree char *quoted = g_strdup_printf("\"%s\"", rel);

            /* only the cases libvirt's harness actually ran */
            if (g_str_has_suffix(entry, ".xml") && strstr(cases, quoted))
                g_ptr_array_add(files, g_steal_pointer(&rel));
        }
        g_ptr_array_sort(files, compareNames);
        for (guint i = 0; i < files->len; i++) {
            g_ptr_array_add(names, g_strdup(g_ptr_array_index(files, i)));
            g_array_append_val(setOf, s);
        }
    }
    printf("1..%u\n", names->len);
    for (guint i = 0; i < names->len; i++) {
        size_t s = g_array_index(setOf, size_t, i);
        const char *rel = g_ptr_array_index(names, i);
        bool ok = runVector(dir, rel, sets[s].flags, sets[s].parseOnly);

        printf("%s %u - %s\n", ok ? "ok" : "not ok", i + 1, rel);
        if (!ok)
            failed++;
    }
    return failed ? 1 : 0;
}

int
main(int argc, char **argv)
{
    const char *root = g_getenv("XENVIRT_SOURCE_ROOT");
    g_autofree char *dir = NULL;
    g_autoptr(GDir) gdir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) err = NULL;
    const char *entry;
    int failed = 0;
    int n = 0;

    if (argc == 3 && strcmp(argv[1], "--vectors") == 0)
        return runVectors(argv[2]);
    regenerate = g_strcmp0(g_getenv("XENVIRT_TEST_REGENERATE"), "1") == 0;
    dir = root ? g_build_filename(root, "tests", "domainxmldata", NULL)
               : g_strdup(SOURCE_DATA_DIR);
    dataDir = dir;
    if (!(gdir = g_dir_open(dataDir, 0, &err))) {
        printf("Bail out! cannot open %s: %s\n", dataDir, err->message);
        return 1;
    }
    while ((entry = g_dir_read_name(gdir))) {
        if (!g_str_has_suffix(entry, ".xml") || g_str_has_suffix(entry, ".out.xml"))
            continue;
        g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 4));
    }
    g_ptr_array_sort(names, compareNames);

    if (argc > 1) {
        g_ptr_array_set_size(names, 0);
        for (int i = 1; i < argc; i++)
            g_ptr_array_add(names, g_strdup(argv[i]));
    }
    if (names->len == 0) {
        printf("Bail out! no test files in %s\n", dataDir);
        return 1;
    }

    /* the built-in limit tests run only in a full run */
    printf("1..%u\n", names->len + (argc > 1 ? 0 : 8));
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *base = g_build_filename(dataDir, name, NULL);
        g_autofree char *inPath = g_strdup_printf("%s.xml", base);
        g_autofree char *input = NULL;
        g_autoptr(GError) rerr = NULL;
        bool ok;

        if (!g_file_get_contents(inPath, &input, NULL, &rerr)) {
            fprintf(stderr, "# %s: %s\n", name, rerr->message);
            ok = false;
        } else if (g_str_has_prefix(name, "device-")) {
            ok = runDevice(name, input, base);
        } else {
            ok = runDomain(name, input, base);
        }
        printf("%s %d - %s\n", ok ? "ok" : "not ok", ++n, name);
        fflush(stdout);
        if (!ok)
            failed++;
    }
    if (argc <= 1)
        failed += runLimits(n);
    if (regenerate)
        fprintf(stderr, "# expectations rewritten; review `git diff tests/domainxmldata`\n");
    return failed ? 1 : 0;
}
