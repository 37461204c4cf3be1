/*
 * unit_util.c: unit tests for src/util -- UUID parse/format, enum tables,
 * and the thread-local error slot with libvirt's message texts.
 */
#define XV_FROM VIR_FROM_TEST
#include "util/error.h"

#include <errno.h>
#include <string.h>

#include "util/enum.h"
#include "util/file.h"
#include <glib/gstdio.h>
#include <sys/stat.h>
#include "util/uuid.h"

static void
testUUID(void)
{
    unsigned char u[16], v[16];
    char buf[XV_UUID_STRLEN];

    g_assert_cmpint(xvUUIDParse("4dea22b31d52d8f32516782e98ab3fa0", u), ==, 0);
    g_assert_cmpstr(xvUUIDFormat(u, buf), ==, "4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
    g_assert_cmpint(xvUUIDParse(" 4dea22b3-1d52-d8f3-2516-782e98ab3fa0\n", v), ==, 0);
    g_assert_cmpmem(u, 16, v, 16);
    g_assert_cmpint(xvUUIDParse("4dea22b31d52d8f32516782e98ab3fa", u), ==, -1);
    g_assert_cmpint(xvUUIDParse("4dea22b31d52d8f32516782e98ab3fa00", u), ==, -1);
    g_assert_cmpint(xvUUIDParse("zzea22b31d52d8f32516782e98ab3fa0", u), ==, -1);
    g_assert_cmpint(xvUUIDParse(NULL, u), ==, -1);
    xvUUIDGenerate(u);
    xvUUIDGenerate(v);
    g_assert_false(xvUUIDIsNull(u));
    g_assert_true(memcmp(u, v, 16) != 0);
    g_assert_cmpint(u[6] >> 4, ==, 4); /* version 4 */
}

typedef enum { FRUIT_APPLE, FRUIT_PEAR, FRUIT_LAST } fruit;
XV_ENUM_DECL(fruit);
XV_ENUM_IMPL(fruit, FRUIT_LAST, "apple", "pear");

static void
testEnum(void)
{
    g_assert_cmpint(fruitTypeFromString("pear"), ==, FRUIT_PEAR);
    g_assert_cmpint(fruitTypeFromString("plum"), ==, -1);
    g_assert_cmpint(fruitTypeFromString(NULL), ==, -1);
    g_assert_cmpstr(fruitTypeToString(FRUIT_APPLE), ==, "apple");
    g_assert_null(fruitTypeToString(FRUIT_LAST));
    g_assert_null(fruitTypeToString(-1));
}

static gpointer
otherThread(gpointer data)
{
    /* A fresh thread starts with no error, whatever the main thread has. */
    return GINT_TO_POINTER(virGetLastError() == NULL);
}

static void
testErrors(void)
{
    virErrorPtr err;
    GThread *t;

    virResetLastError();
    g_assert_null(virGetLastError());
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "no error");
    xvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", "x");
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpint(err->domain, ==, VIR_FROM_TEST);
    g_assert_cmpint(err->level, ==, VIR_ERR_ERROR);
    g_assert_cmpstr(err->message, ==, "Domain not found: no domain with matching name 'x'");
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_DOMAIN);

    t = g_thread_new("other", otherThread, NULL);
    g_assert_true(GPOINTER_TO_INT(g_thread_join(t)));
    g_assert_nonnull(virGetLastError()); /* still ours */

    xvReportError(VIR_ERR_INVALID_CONN, "%s", "virConnectClose");
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "invalid connection pointer in virConnectClose");
    xvReportError(VIR_ERR_XML_DETAIL, "memory: '12x' is not a number");
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "memory: '12x' is not a number");
    xvReportSystemError(ENOENT, "cannot open '%s'", "/nonexistent");
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "cannot open '/nonexistent': No such file or directory");
    virResetLastError();
    g_assert_null(virGetLastError());
}

static void
testAtomicWrite(void)
{
    g_autofree char *dir = g_dir_make_tmp("xv-file-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "guest.cfg", NULL);
    g_autofree char *nodir = g_build_filename(dir, "missing", "guest.cfg", NULL);
    g_autofree char *content = NULL;
    GDir *d;
    const char *name;
    int entries = 0;
    struct stat st;

    g_assert_cmpint(xvFileWriteAtomic(path, "name = 'a'\n", 11, 0600), ==, 0);
    g_assert_cmpint(xvFileWriteAtomic(path, "name = 'bb'\n", 12, 0644), ==, 0);
    g_assert_true(g_file_get_contents(path, &content, NULL, NULL));
    g_assert_cmpstr(content, ==, "name = 'bb'\n");
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0644);

    /* A failed write leaves no temporary behind and the old file intact. */
    g_assert_cmpint(xvFileWriteAtomic(nodir, "x", 1, 0600), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "missing"));
    d = g_dir_open(dir, 0, NULL);
    while ((name = g_dir_read_name(d)))
        entries++;
    g_dir_close(d);
    g_assert_cmpint(entries, ==, 1);

    g_assert_cmpint(xvFileRemoveDurable(path), ==, 0);
    g_assert_cmpint(xvFileRemoveDurable(path), ==, -1);
    g_assert_cmpint(g_rmdir(dir), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/uuid", testUUID);
    g_test_add_func("/util/enum", testEnum);
    g_test_add_func("/util/errors", testErrors);
    g_test_add_func("/util/atomic-write", testAtomicWrite);
    return g_test_run();
}
