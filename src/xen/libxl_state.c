/*
 * libxl_state.c: a running domain's configuration as libxl keeps it (see
 * libxl_state.h): the file libxl_userdata_store() wrote when the domain
 * was made (and rewrites on device hotplug), and the device list libxl
 * keeps in xenstore, which wins when the two disagree -- a device in the
 * file whose /libxl/DOMID/device entry is gone was removed without the
 * file being updated, so `xl list -l` leaves it out, and so do we.
 *
 * Paths: XEN_LIB_DIR (/var/lib/xen on Debian and upstream) +
 * userdata-d.DOMID.UUID.libxl-json, the "d" domain-scoped userdata of
 * libxl__userdata_path.  Everything is read under the connection's root.
 */
#define XV_FROM VIR_FROM_LIBXL
#include "xen/libxl_state.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/uuid.h"
#include "xen/libxl_json.h"

#define LIBXL_USERDATA_DIR "/var/lib/xen"

char *
xvLibxlUserdataPath(const char *root, int domid, const unsigned char *uuid)
{
    char ubuf[XV_UUID_STRLEN];

    return g_strdup_printf("%s" LIBXL_USERDATA_DIR "/userdata-d.%d.%s.libxl-json", root, domid,
                           xvUUIDFormat(uuid, ubuf));
}

/* The whole file, at most XV_LIBXL_JSON_MAX_BYTES; NULL with the error
 * reported. */
static char *
readBounded(const char *path, size_t *len)
{
    g_autofree char *buf = NULL;
    struct stat st;
    size_t got = 0;
    /* O_NONBLOCK: a FIFO put in its place must not hang the open */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

    if (fd < 0) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "cannot open libxl's domain configuration "
                      "'%s': %s", path, g_strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) < 0) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "cannot stat '%s': %s", path, g_strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "'%s' is not a regular file", path);
        close(fd);
        return NULL;
    }
    if (st.st_size > XV_LIBXL_JSON_MAX_BYTES) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "'%s' is %lld bytes, more than the %d a libxl "
                      "domain configuration may have", path, (long long)st.st_size,
                      XV_LIBXL_JSON_MAX_BYTES);
        close(fd);
        return NULL;
    }
    buf = g_malloc((size_t)st.st_size + 1);
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            xvReportError(VIR_ERR_OPERATION_FAILED, "cannot read '%s': %s", path,
                          g_strerror(errno));
            close(fd);
            return NULL;
        }
        if (n == 0)
            break; /* shrank meanwhile: what is there */
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    *len = got;
    return g_steal_pointer(&buf);
}

typedef struct {
    GHashTable *present[2]; /* per xvLibxlDevKind: devid -> present, or NULL: keep all */
} devSets;

static bool
keepDevice(xvLibxlDevKind kind, int devid, void *opaque)
{
    devSets *s = opaque;

    return !s->present[kind] ||
           g_hash_table_contains(s->present[kind], GINT_TO_POINTER(devid));
}

/* The devids xenstore lists under /libxl/DOMID/device/KIND (none when the
 * directory is absent, as libxl reads it); NULL when xenstore could not be
 * asked, which keeps every device of the file. */
static GHashTable *
listDevices(xvXs *xs, int domid, const char *kind)
{
    g_autofree char *dir = g_strdup_printf("/libxl/%d/device/%s", domid, kind);
    g_auto(GStrv) ids = NULL;
    GHashTable *set;
    int rc;

    if (!xs)
        return NULL;
    if ((rc = xvXsDirectory(xs, XV_XS_NO_TX, dir, &ids)) < 0) {
        virResetLastError();
        return NULL;
    }
    set = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t i = 0; rc > 0 && ids && ids[i]; i++) {
        gint64 v;
        if (g_ascii_string_to_signed(ids[i], 10, 0, G_MAXINT, &v, NULL))
            g_hash_table_add(set, GINT_TO_POINTER((int)v));
    }
    return set;
}

xvDomainDef *
xvLibxlDomainDefLoad(const char *root, xvXs *xs, int domid, const unsigned char *uuid)
{
    g_autofree char *path = xvLibxlUserdataPath(root, domid, uuid);
    g_autofree char *text = NULL;
    devSets sets = {{NULL, NULL}};
    xvDomainDef *def;
    size_t len = 0;

    if (!(text = readBounded(path, &len)))
        return NULL;
    sets.present[XV_LIBXL_DEV_VBD] = listDevices(xs, domid, "vbd");
    sets.present[XV_LIBXL_DEV_VIF] = listDevices(xs, domid, "vif");
    def = xvLibxlJSONToDomainDef(text, len, path, keepDevice, &sets);
    for (guint i = 0; i < G_N_ELEMENTS(sets.present); i++)
        if (sets.present[i])
            g_hash_table_destroy(sets.present[i]);
    return def;
}

/* /local/domain/DOMID/REL, or NULL (no error kept). */
static char *
readDom(xvXs *xs, int domid, const char *rel)
{
    g_autofree char *path = g_strdup_printf("/local/domain/%d/%s", domid, rel);
    char *v = NULL;

    if (xvXsRead(xs, XV_XS_NO_TX, path, &v, NULL) <= 0)
        virResetLastError();
    return v;
}

xvDomainDef *
xvLibxlLiveDomainDef(const char *root, xvXs *xs, int domid, const unsigned char *uuid,
                     const xvLibxlLive *live)
{
    g_autoptr(xvDomainDef) def = xvLibxlDomainDefLoad(root, xs, domid, uuid);

    if (!def)
        return NULL;
    if (live->name) {
        g_free(def->name);
        def->name = g_strdup(live->name);
    }
    memcpy(def->uuid, uuid, 16);
    def->has_uuid = true;
    def->max_memory = live->max_kib;
    def->current_memory = live->cur_kib;
    def->vcpus = MAX(def->vcpus, live->vcpus);
    def->vcpus_current = live->vcpus == def->vcpus ? 0 : live->vcpus;
    for (size_t i = 0; xs && i < def->nserials; i++) {
        xvDomainChrDef *chr = def->serials[i];
        if (chr->type == XV_CHR_TYPE_PTY && !chr->path) {
            g_autofree char *rel = g_strdup_printf("serial/%d/tty",
                                                   chr->has_target_port ? chr->target_port
                                                                        : (int)i);
            chr->path = readDom(xs, domid, rel);
        }
    }
    if (xs && def->nconsoles && def->consoles[0]->type == XV_CHR_TYPE_PTY &&
        !def->consoles[0]->path) {
        xvDomainChrDef *con = def->consoles[0];
        if (g_strcmp0(con->target_type, "serial") == 0)
            con->path = def->nserials ? g_strdup(def->serials[0]->path) : NULL;
        else
            con->path = readDom(xs, domid, "console/tty");
    }
    return g_steal_pointer(&def);
}

void
xvLibxlUserdataRemove(const char *root, int domid, const unsigned char *uuid)
{
    g_autofree char *dir = g_strconcat(root, LIBXL_USERDATA_DIR, NULL);
    char ubuf[XV_UUID_STRLEN];
    g_autofree char *prefix = g_strdup_printf("userdata-d.%d.%s.", domid,
                                              xvUUIDFormat(uuid, ubuf));
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = NULL;
        if (!g_str_has_prefix(name, prefix))
            continue;
        path = g_build_filename(dir, name, NULL);
        (void)unlink(path);
    }
}
