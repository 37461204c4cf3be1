/*
 * xm_dir.c: the config-file channel (see xm_dir.h).
 *
 * Cache validity is (inode, size, mtime with nanoseconds) per file, checked
 * on every refresh; inotify only lets a refresh skip the directory scan when
 * nothing happened.  mtime alone was rejected: two writes within one
 * timestamp tick, or an editor's rename of an older file, would be missed.
 */
#define XV_FROM VIR_FROM_XENXM
#include "xen/xm_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/file.h"
#include "util/uuid.h"

typedef struct {
    char *file;      /* name within the directory */
    ino_t ino;
    off_t size;
    struct timespec mtime;
    xvDomainDef *def;
} xmEntry;

struct _xvXmDir {
    char *path;
    xvXmDirParseFn parse;
    xvXmDirFormatFn format;
    GHashTable *entries; /* file name -> xmEntry* */
    int inotify_fd;      /* -1 when unavailable */
    bool scanned;
    unsigned int parses;
    GPtrArray *listed;   /* the last xvXmDirList result */
};

static void
xmEntryFree(gpointer p)
{
    xmEntry *e = p;
    if (!e)
        return;
    g_free(e->file);
    xvDomainDefFree(e->def);
    g_free(e);
}

bool
xvXmDirNameValid(const char *name)
{
    size_t len;

    if (!name)
        return false;
    len = strlen(name);
    if (len == 0 || len > 255 || name[0] == '.' || strchr(name, '/'))
        return false;
    for (const char *p = name; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    }
    return true;
}

/* Files xm and xl skip in /etc/xen, and editors' and package managers'
 * leftovers, which must never become domains. */
static bool
skipFile(const char *name)
{
    static const char *const suffixes[] = {
        "~", ".bak", ".orig", ".rej", ".swp", ".tmp", ".rpmnew", ".rpmsave",
        ".rpmorig", ".dpkg-old", ".dpkg-new", ".dpkg-dist", ".dpkg-bak", ".ucf-old",
        ".ucf-new", ".ucf-dist", ".sxp",
    };
    static const char *const names[] = {
        "xend-config.sxp", "xend-pci-permissive.sxp", "xend-pci-quirks.sxp",
        "xl.conf", "xlexample.hvm", "xlexample.pvlinux", "xlexample.pvhlinux",
        "xmexample1", "xmexample2", "xmexample3", "xmexample.hvm", "xmexample.vti",
        "README", "README.incompatibilities", "cpupool", "oxenstored.conf",
    };

    if (name[0] == '.' || name[0] == '#')
        return true;
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    for (size_t i = 0; i < G_N_ELEMENTS(suffixes); i++)
        if (g_str_has_suffix(name, suffixes[i]))
            return true;
    return false;
}

xvXmDir *
xvXmDirOpen(const char *path, xvXmDirParseFn parse, xvXmDirFormatFn format)
{
    struct stat st;
    xvXmDir *dir;

    if (stat(path, &st) < 0) {
        xvReportSystemError(errno, "config directory '%s'", path);
        return NULL;
    }
    if (!S_ISDIR(st.st_mode)) {
        xvReportError(VIR_ERR_OPEN_FAILED, "'%s' is not a directory", path);
        return NULL;
    }
    dir = g_new0(xvXmDir, 1);
    dir->path = g_strdup(path);
    dir->parse = parse;
    dir->format = format;
    dir->entries = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, xmEntryFree);
    dir->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (dir->inotify_fd >= 0 &&
        inotify_add_watch(dir->inotify_fd, path,
                          IN_CREATE | IN_DELETE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO |
                              IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF) < 0) {
        close(dir->inotify_fd);
        dir->inotify_fd = -1; /* fall back to scanning every time */
    }
    return dir;
}

void
xvXmDirFree(xvXmDir *dir)
{
    if (!dir)
        return;
    if (dir->inotify_fd >= 0)
        close(dir->inotify_fd);
    g_hash_table_destroy(dir->entries);
    if (dir->listed)
        g_ptr_array_free(dir->listed, TRUE);
    g_free(dir->path);
    g_free(dir);
}

unsigned int
xvXmDirParseCount(const xvXmDir *dir)
{
    return dir->parses;
}

/* Drain inotify; true if anything happened (or we cannot tell). */
static bool
dirChanged(xvXmDir *dir)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool changed = false;

    if (dir->inotify_fd < 0 || !dir->scanned)
        return true;
    for (;;) {
        ssize_t n = read(dir->inotify_fd, buf, sizeof(buf));
        if (n > 0) {
            changed = true;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break; /* EAGAIN: drained */
    }
    return changed;
}

static int
loadEntry(xvXmDir *dir, const char *name, const struct stat *st, xmEntry **out)
{
    g_autofree char *full = g_build_filename(dir->path, name, NULL);
    g_autofree char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) gerr = NULL;
    xmEntry *e;

    *out = NULL;
    if (st->st_size > XV_XM_DIR_MAX_FILE)
        return 0; /* not a config anyone wrote by hand: skip */
    if (!g_file_get_contents(full, &text, &len, &gerr))
        return 0; /* vanished or unreadable between readdir and open */
    dir->parses++;
    e = g_new0(xmEntry, 1);
    e->file = g_strdup(name);
    e->ino = st->st_ino;
    e->size = st->st_size;
    e->mtime = st->st_mtim;
    e->def = dir->parse(text, len, full);
    virResetLastError(); /* an unparsable file is skipped, not an error of the caller */
    *out = e;
    return 0;
}

int
xvXmDirRefresh(xvXmDir *dir)
{
    g_autoptr(GHashTable) seen = NULL;
    GHashTableIter it;
    gpointer key, val;
    DIR *dh;
    struct dirent *de;
    unsigned int count = 0;

    if (!dirChanged(dir))
        return 0;
    if (!(dh = opendir(dir->path))) {
        xvReportSystemError(errno, "cannot read config directory '%s'", dir->path);
        return -1;
    }
    seen = g_hash_table_new(g_str_hash, g_str_equal);
    while ((de = readdir(dh))) {
        struct stat st;
        xmEntry *old, *fresh = NULL;

        if (skipFile(de->d_name))
            continue;
        if (fstatat(dirfd(dh), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
            !S_ISREG(st.st_mode))
            continue;
        if (++count > XV_XM_DIR_MAX_FILES)
            break;
        old = g_hash_table_lookup(dir->entries, de->d_name);
        if (old && old->ino == st.st_ino && old->size == st.st_size &&
            old->mtime.tv_sec == st.st_mtim.tv_sec && old->mtime.tv_nsec == st.st_mtim.tv_nsec) {
            g_hash_table_add(seen, old->file);
            continue;
        }
        loadEntry(dir, de->d_name, &st, &fresh);
        if (fresh) {
            g_hash_table_replace(dir->entries, fresh->file, fresh);
            g_hash_table_add(seen, fresh->file);
        }
    }
    closedir(dh);
    g_hash_table_iter_init(&it, dir->entries);
    while (g_hash_table_iter_next(&it, &key, &val)) {
        if (!g_hash_table_contains(seen, key))
            g_hash_table_iter_remove(&it);
    }
    dir->scanned = true;
    return 0;
}

static gint
compareDefs(gconstpointer a, gconstpointer b)
{
    const xvDomainDef *x = *(const xvDomainDef *const *)a;
    const xvDomainDef *y = *(const xvDomainDef *const *)b;
    return strcmp(x->name, y->name);
}

GPtrArray *
xvXmDirList(xvXmDir *dir)
{
    GHashTableIter it;
    gpointer val;

    if (xvXmDirRefresh(dir) < 0)
        return NULL;
    if (dir->listed)
        g_ptr_array_free(dir->listed, TRUE);
    dir->listed = g_ptr_array_new();
    g_hash_table_iter_init(&it, dir->entries);
    while (g_hash_table_iter_next(&it, NULL, &val)) {
        xmEntry *e = val;
        if (e->def && e->def->name)
            g_ptr_array_add(dir->listed, e->def);
    }
    g_ptr_array_sort(dir->listed, compareDefs);
    return dir->listed;
}

static xmEntry *
findByName(xvXmDir *dir, const char *name)
{
    GHashTableIter it;
    gpointer val;

    g_hash_table_iter_init(&it, dir->entries);
    while (g_hash_table_iter_next(&it, NULL, &val)) {
        xmEntry *e = val;
        if (e->def && e->def->name && strcmp(e->def->name, name) == 0)
            return e;
    }
    return NULL;
}

static xmEntry *
findByUUID(xvXmDir *dir, const unsigned char *uuid)
{
    GHashTableIter it;
    gpointer val;

    g_hash_table_iter_init(&it, dir->entries);
    while (g_hash_table_iter_next(&it, NULL, &val)) {
        xmEntry *e = val;
        if (e->def && e->def->has_uuid && memcmp(e->def->uuid, uuid, 16) == 0)
            return e;
    }
    return NULL;
}

const xvDomainDef *
xvXmDirLookupName(xvXmDir *dir, const char *name)
{
    xmEntry *e;
    if (xvXmDirRefresh(dir) < 0)
        return NULL;
    if (!(e = findByName(dir, name))) {
        xvReportError(VIR_ERR_NO_DOMAIN, "no config file in %s for domain '%s'", dir->path,
                      name);
        return NULL;
    }
    return e->def;
}

const xvDomainDef *
xvXmDirLookupUUID(xvXmDir *dir, const unsigned char *uuid)
{
    xmEntry *e;
    char buf[XV_UUID_STRLEN];

    if (xvXmDirRefresh(dir) < 0)
        return NULL;
    if (!(e = findByUUID(dir, uuid))) {
        xvReportError(VIR_ERR_NO_DOMAIN, "no config file in %s for uuid %s", dir->path,
                      xvUUIDFormat(uuid, buf));
        return NULL;
    }
    return e->def;
}

bool
xvXmDirHasUUID(xvXmDir *dir, const unsigned char *uuid)
{
    if (xvXmDirRefresh(dir) < 0) {
        virResetLastError();
        return false;
    }
    return findByUUID(dir, uuid) != NULL;
}

int
xvXmDirDefine(xvXmDir *dir, const xvDomainDef *def)
{
    g_autofree char *text = NULL;
    g_autofree char *full = NULL;
    xmEntry *byName, *byUUID;
    char buf[XV_UUID_STRLEN];

    if (!xvXmDirNameValid(def->name)) {
        xvReportError(VIR_ERR_INVALID_ARG, "domain name '%s' cannot be a config file name in "
                      "%s (no '/', no leading '.', no control characters, at most 255 bytes)",
                      def->name ? def->name : "", dir->path);
        return -1;
    }
    if (xvXmDirRefresh(dir) < 0)
        return -1;
    byName = findByName(dir, def->name);
    byUUID = def->has_uuid ? findByUUID(dir, def->uuid) : NULL;
    if (byName && def->has_uuid && byName->def->has_uuid &&
        memcmp(byName->def->uuid, def->uuid, 16) != 0) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "domain '%s' is already defined with uuid %s",
                      def->name, xvUUIDFormat(byName->def->uuid, buf));
        return -1;
    }
    if (byUUID && strcmp(byUUID->def->name, def->name) != 0) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "domain '%s' is already defined with uuid %s",
                      byUUID->def->name, xvUUIDFormat(def->uuid, buf));
        return -1;
    }
    if (!(text = dir->format(def)))
        return -1;
    /* A domain keeps the file it came from, even when the file's name is
     * not the domain's; a new domain gets a file named after it. */
    full = g_build_filename(dir->path, byName ? byName->file : def->name, NULL);
    if (!byName && g_file_test(full, G_FILE_TEST_EXISTS)) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "%s exists but holds no domain called '%s'; "
                      "not overwriting it", full, def->name);
        return -1;
    }
    if (xvFileWriteAtomic(full, text, strlen(text), 0600) < 0)
        return -1;
    dir->scanned = false; /* our own write: rescan on next use */
    return 0;
}

int
xvXmDirUndefine(xvXmDir *dir, const char *name)
{
    g_autofree char *full = NULL;
    xmEntry *e;

    if (xvXmDirRefresh(dir) < 0)
        return -1;
    if (!(e = findByName(dir, name))) {
        xvReportError(VIR_ERR_NO_DOMAIN, "no config file in %s for domain '%s'", dir->path,
                      name);
        return -1;
    }
    full = g_build_filename(dir->path, e->file, NULL);
    if (xvFileRemoveDurable(full) < 0)
        return -1;
    dir->scanned = false;
    return 0;
}
