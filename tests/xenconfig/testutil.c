/*
 * testutil.c: see testutil.h.  Diffs come from diff(1) on two temporary
 * files; when diff is missing the two texts are printed whole.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"

static unsigned int nTests;
static unsigned int nFailed;

char *
tuSourcePath(const char *rel)
{
    const char *root = g_getenv("XENVIRT_SOURCE_ROOT");
    return g_build_filename(root ? root : XENVIRT_SOURCE_ROOT_DEFAULT, rel, NULL);
}

char *
tuVectorsDir(void)
{
    const char *env = g_getenv("XENVIRT_VECTORS_DIR");
    g_autofree char *root = tuSourcePath(".");
    g_autofree char *dir = NULL;

    if (env)
        return g_strdup(env);
    dir = g_build_filename(root, "..", "shared", "vectors", NULL);
    if (g_file_test(dir, G_FILE_TEST_IS_DIR))
        return g_steal_pointer(&dir);
    return NULL;
}

char *
tuReadFile(const char *path, size_t *len)
{
    g_autoptr(GError) err = NULL;
    char *buf = NULL;
    gsize n = 0;

    if (!g_file_get_contents(path, &buf, &n, &err)) {
        tuDiag("cannot read %s: %s", path, err->message);
        return NULL;
    }
    if (len)
        *len = n;
    return buf;
}

static gint
cmpStr(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

GPtrArray *
tuListDir(const char *dir, const char *suffix)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    if (!d)
        return names;
    while ((name = g_dir_read_name(d))) {
        if (g_str_has_suffix(name, suffix))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_ptr_array_sort(names, cmpStr);
    return names;
}

bool
tuCaseRead(tuCase *c, const char *dir, const char *file, const char *suffix)
{
    memset(c, 0, sizeof(*c));
    c->path = g_build_filename(dir, file, NULL);
    c->base = g_strndup(file, g_str_has_suffix(file, suffix) ? strlen(file) - strlen(suffix)
                                                             : strlen(file));
    c->outPath = g_strdup_printf("%s/%s.out", dir, c->base);
    c->errPath = g_strdup_printf("%s/%s.err", dir, c->base);
    return (c->input = tuReadFile(c->path, &c->len)) != NULL;
}

void
tuCaseClear(tuCase *c)
{
    g_free(c->path);
    g_free(c->base);
    g_free(c->outPath);
    g_free(c->errPath);
    g_free(c->input);
    memset(c, 0, sizeof(*c));
}

char **
tuDirectives(const char *text, const char *key)
{
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_autofree char *prefix = g_strdup_printf("#!%s:", key);

    for (size_t i = 0; lines[i]; i++) {
        if (g_str_has_prefix(lines[i], prefix))
            g_strv_builder_add(b, g_strstrip(lines[i] + strlen(prefix)));
    }
    return g_strv_builder_end(b);
}

bool
tuDirectiveNumber(const char *text, const char *key, const char *name, unsigned long long *out)
{
    g_auto(GStrv) d = tuDirectives(text, key);
    g_autofree char *fmt = g_strdup_printf("%s=%%llu", name);
    bool found = false;

    for (size_t i = 0; d[i]; i++) {
        g_auto(GStrv) words = g_strsplit(d[i], ",", -1);
        for (size_t j = 0; words[j]; j++) {
            unsigned long long v = 0;
            if (sscanf(g_strstrip(words[j]), fmt, &v) == 1) {
                *out = v;
                found = true;
            }
        }
    }
    return found;
}

const char *
tuLastError(void)
{
    virErrorPtr e = xvErrorGetLast();
    return e && e->message ? e->message : "(no error reported)";
}

bool
tuRegenerate(void)
{
    const char *v = g_getenv("XENVIRT_TEST_REGENERATE");
    return v && *v && strcmp(v, "0") != 0;
}

static char *
writeTemp(const char *text)
{
    g_autoptr(GError) err = NULL;
    char *path = NULL;
    int fd = g_file_open_tmp("xvtest-XXXXXX", &path, &err);

    if (fd < 0)
        return NULL;
    close(fd);
    if (!g_file_set_contents(path, text, -1, &err)) {
        g_free(path);
        return NULL;
    }
    return path;
}

static void
diagBlock(const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    size_t i;
    for (i = 0; lines[i]; i++) {
        if (!lines[i + 1] && !*lines[i])
            break;
        printf("# %s\n", lines[i]);
    }
}

void
tuDiff(const char *labelA, const char *a, const char *labelB, const char *b)
{
    g_autofree char *pa = writeTemp(a);
    g_autofree char *pb = writeTemp(b);
    g_autofree char *out = NULL;
    g_autofree char *la = g_strdup_printf("--label=%s", labelA);
    g_autofree char *lb = g_strdup_printf("--label=%s", labelB);
    const char *argv[] = { "diff", "-u", la, lb, pa, pb, NULL };
    bool shown = false;

    if (pa && pb &&
        g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, NULL, NULL) && out && *out) {
        diagBlock(out);
        shown = true;
    }
    if (!shown) {
        printf("# --- %s\n", labelA);
        diagBlock(a);
        printf("# +++ %s\n", labelB);
        diagBlock(b);
    }
    if (pa)
        unlink(pa);
    if (pb)
        unlink(pb);
}

bool
tuCheckGolden(const char *expectedPath, const char *actual)
{
    g_autofree char *expected = NULL;
    g_autoptr(GError) err = NULL;

    if (tuRegenerate()) {
        if (!g_file_set_contents(expectedPath, actual, -1, &err)) {
            tuDiag("cannot write %s: %s", expectedPath, err->message);
            return false;
        }
        return true;
    }
    if (!g_file_get_contents(expectedPath, &expected, NULL, NULL)) {
        tuDiag("missing expected file %s (run with XENVIRT_TEST_REGENERATE=1 to create it)",
               expectedPath);
        tuDiff("/dev/null", "", "actual", actual);
        return false;
    }
    if (strcmp(expected, actual) == 0)
        return true;
    tuDiff(expectedPath, expected, "actual", actual);
    return false;
}

void
tuResult(bool ok, const char *fmt, ...)
{
    va_list ap;

    nTests++;
    if (!ok)
        nFailed++;
    printf("%s %u - ", ok ? "ok" : "not ok", nTests);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

void
tuSkip(const char *name, const char *why)
{
    nTests++;
    printf("ok %u - %s # SKIP %s\n", nTests, name, why);
}

void
tuDiag(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    diagBlock(msg);
}

int
tuFinish(void)
{
    printf("1..%u\n", nTests);
    if (nFailed)
        printf("# %u of %u failed\n", nFailed, nTests);
    return nFailed ? 1 : 0;
}
