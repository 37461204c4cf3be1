/*
 * xmdirtest.c: the config-file channel's directory mechanics -- listing,
 * caching, define/undefine, junk files, unsafe names, changes made by
 * other processes, and a define killed at random points never leaving a
 * half-written config.  The file format here is domain XML (the channel
 * takes the format as functions); the xm/xl formats are tested with their
 * converters.
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/error.h"
#include "xen/xm_dir.h"

static xvDomainDef *
parseXML(const char *text, size_t len, const char *filename)
{
    return xvDomainDefParseString(text);
}

static char *
formatXML(const xvDomainDef *def)
{
    return xvDomainDefFormat(def, XV_DOMAIN_FORMAT_INACTIVE);
}

static xvDomainDef *
makeDef(const char *name, const char *uuid, unsigned int extra_disks)
{
    GString *xml = g_string_new(NULL);
    xvDomainDef *def;

    g_string_append_printf(xml, "<domain type='xen'><name>%s</name><uuid>%s</uuid>"
                                "<memory>65536</memory><os><type>linux</type>"
                                "<kernel>/boot/vmlinuz</kernel></os><devices>",
                           name, uuid);
    for (unsigned int i = 0; i < extra_disks; i++)
        g_string_append_printf(xml, "<disk type='file' device='disk'><source "
                                    "file='/var/lib/xen/images/%s-%u.img'/><target dev='xvd%c%c'"
                                    "/></disk>",
                               name, i, 'a' + (i / 26) % 26, 'a' + i % 26);
    g_string_append(xml, "</devices></domain>");
    def = xvDomainDefParseString(xml->str);
    g_assert_nonnull(def);
    g_string_free(xml, TRUE);
    return def;
}

static char *tmpdir;

static void
rmFile(const char *name)
{
    g_autofree char *p = g_build_filename(tmpdir, name, NULL);
    g_unlink(p);
}

static void
writeFile(const char *name, const char *text)
{
    g_autofree char *p = g_build_filename(tmpdir, name, NULL);
    g_assert_true(g_file_set_contents(p, text, -1, NULL));
}

static void
testDefineList(void)
{
    g_autoptr(xvXmDir) dir = xvXmDirOpen(tmpdir, parseXML, formatXML);
    g_autoptr(xvDomainDef) a = makeDef("alpha", "11111111-1111-1111-1111-111111111111", 1);
    g_autoptr(xvDomainDef) a2 = makeDef("alpha", "22222222-2222-2222-2222-222222222222", 1);
    g_autoptr(xvDomainDef) b = makeDef("beta", "11111111-1111-1111-1111-111111111111", 1);
    g_autofree char *alien = NULL;
    GPtrArray *list;
    unsigned int parses;
    g_autofree char *text = NULL;
    g_autofree char *path = g_build_filename(tmpdir, "alpha", NULL);
    struct stat st;

    g_assert_nonnull(dir);
    list = xvXmDirList(dir);
    g_assert_cmpuint(list->len, ==, 0);

    g_assert_cmpint(xvXmDirDefine(dir, a), ==, 0);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_nonnull(strstr(text, "<name>alpha</name>"));
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    list = xvXmDirList(dir);
    g_assert_cmpuint(list->len, ==, 1);
    g_assert_nonnull(xvXmDirLookupName(dir, "alpha"));
    g_assert_nonnull(xvXmDirLookupUUID(dir, a->uuid));

    /* The cache: nothing changed, nothing re-read. */
    parses = xvXmDirParseCount(dir);
    for (int i = 0; i < 5; i++)
        xvXmDirList(dir);
    g_assert_cmpuint(xvXmDirParseCount(dir), ==, parses);

    /* Redefining the same domain replaces its file. */
    g_assert_cmpint(xvXmDirDefine(dir, a), ==, 0);
    g_assert_cmpuint(xvXmDirList(dir)->len, ==, 1);

    /* Another domain's name or UUID is refused. */
    g_assert_cmpint(xvXmDirDefine(dir, a2), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_FAILED);
    g_assert_cmpint(xvXmDirDefine(dir, b), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_FAILED);

    /* A file we did not write, named like a new domain, is not clobbered. */
    writeFile("gamma", "not a config at all");
    {
        g_autoptr(xvDomainDef) g = makeDef("gamma", "33333333-3333-3333-3333-333333333333", 0);
        g_assert_cmpint(xvXmDirDefine(dir, g), ==, -1);
        g_autofree char *gp = g_build_filename(tmpdir, "gamma", NULL);
        g_assert_true(g_file_get_contents(gp, &alien, NULL, NULL));
        g_assert_cmpstr(alien, ==, "not a config at all");
    }

    g_assert_cmpint(xvXmDirUndefine(dir, "alpha"), ==, 0);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_cmpint(xvXmDirUndefine(dir, "alpha"), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_DOMAIN);
    g_assert_null(xvXmDirLookupName(dir, "alpha"));
    rmFile("gamma");
}

static void
testJunkAndNames(void)
{
    g_autoptr(xvXmDir) dir = xvXmDirOpen(tmpdir, parseXML, formatXML);
    g_autoptr(xvDomainDef) ok = makeDef("real", "44444444-4444-4444-4444-444444444444", 0);
    g_autofree char *xml = formatXML(ok);
    g_autofree char *sub = g_build_filename(tmpdir, "subdir", NULL);
    g_autofree char *link = g_build_filename(tmpdir, "link", NULL);
    static const char *const bad[] = {"", ".", "..", "../escape", "a/b", ".hidden", "tab\tname"};

    writeFile("real", xml);
    /* Copies of a valid config under names xm and editors leave behind. */
    writeFile("real~", xml);
    writeFile(".real.swp", xml);
    writeFile("real.rpmsave", xml);
    writeFile("real.dpkg-old", xml);
    writeFile("xmexample1", xml);
    writeFile("broken", "<domain>");
    g_mkdir(sub, 0700);
    g_assert_cmpint(symlink("real", link), ==, 0);

    g_assert_cmpuint(xvXmDirList(dir)->len, ==, 1);
    g_assert_cmpstr(((xvDomainDef *)xvXmDirList(dir)->pdata[0])->name, ==, "real");

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(xvDomainDef) d = makeDef("placeholder", "55555555-5555-5555-5555-555555555555",
                                           0);
        g_free(d->name);
        d->name = g_strdup(bad[i]);
        g_assert_false(xvXmDirNameValid(bad[i]));
        g_assert_cmpint(xvXmDirDefine(dir, d), ==, -1);
        g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    }
    {
        g_autofree char *esc = g_build_filename(tmpdir, "..", "escape", NULL);
        g_assert_false(g_file_test(esc, G_FILE_TEST_EXISTS));
    }

    /* Another process adds and edits files: the next list sees it. */
    {
        g_autoptr(xvDomainDef) o = makeDef("other", "66666666-6666-6666-6666-666666666666", 2);
        g_autofree char *oxml = formatXML(o);
        writeFile("other", oxml);
        g_assert_cmpuint(xvXmDirList(dir)->len, ==, 2);
        g_assert_cmpuint(xvXmDirLookupName(dir, "other")->ndisks, ==, 2);
        o->ndisks = 1; /* drop one disk, same size class of change */
        g_free(oxml);
        oxml = formatXML(o);
        o->ndisks = 2;
        writeFile("other", oxml);
        g_assert_cmpuint(xvXmDirLookupName(dir, "other")->ndisks, ==, 1);
        rmFile("other");
        g_assert_cmpuint(xvXmDirList(dir)->len, ==, 1);
    }

    g_rmdir(sub);
    g_unlink(link);
    for (const char *const *n = (const char *const[]){"real", "real~", ".real.swp",
                                                        "real.rpmsave", "real.dpkg-old",
                                                        "xmexample1", "broken", NULL};
         *n; n++)
        rmFile(*n);
}

/* Kill a writer at random moments: every config file left must be whole. */
static void
testKilledDefine(void)
{
    g_autoptr(xvDomainDef) big = makeDef("big", "77777777-7777-7777-7777-777777777777", 600);
    g_autofree char *whole = formatXML(big);

    for (int round = 0; round < 25; round++) {
        pid_t pid = fork();
        int status;
        GDir *d;
        const char *name;

        g_assert_cmpint(pid, >=, 0);
        if (pid == 0) {
            xvXmDir *dir = xvXmDirOpen(tmpdir, parseXML, formatXML);
            for (;;) {
                g_autofree char *p = g_build_filename(tmpdir, "big", NULL);
                g_unlink(p);
                xvXmDirDefine(dir, big);
            }
        }
        g_usleep(g_random_int_range(1000, 20000));
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);

        d = g_dir_open(tmpdir, 0, NULL);
        while ((name = g_dir_read_name(d))) {
            g_autofree char *p = g_build_filename(tmpdir, name, NULL);
            g_autofree char *text = NULL;
            if (name[0] == '.') {
                g_unlink(p); /* an interrupted temporary: invisible to scans */
                continue;
            }
            g_assert_true(g_file_get_contents(p, &text, NULL, NULL));
            g_assert_cmpstr(text, ==, whole);
        }
        g_dir_close(d);
    }
    rmFile("big");
}

int
main(int argc, char **argv)
{
    int rc;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("xv-xmdir-XXXXXX", NULL);
    g_test_add_func("/xmdir/define-list", testDefineList);
    g_test_add_func("/xmdir/junk-and-names", testJunkAndNames);
    g_test_add_func("/xmdir/killed-define", testKilledDefine);
    rc = g_test_run();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return rc;
}
