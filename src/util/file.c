/*
 * file.c: atomic, durable file replacement (see file.h).
 *
 * The temporary lives in the target's directory so rename() is atomic (same
 * filesystem) and is named ".NAME.XXXXXX" so directory scanners that skip
 * dot-files (the /etc/xen scanner does) never see half-written files.
 * GLib's g_file_set_contents_full does much the same, but it does not fsync
 * the directory after the rename, so the new name could be lost on a crash;
 * that is why this is written here.
 */
#define XV_FROM VIR_FROM_NONE
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"

static int
syncDir(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0) {
        xvReportSystemError(errno, "cannot open directory '%s'", dir);
        return -1;
    }
    if (fsync(fd) < 0 && errno != EINVAL) {
        xvReportSystemError(errno, "cannot sync directory '%s'", dir);
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

int
xvFileWriteAtomic(const char *path, const char *data, size_t len, mode_t mode)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *tmp = NULL;
    size_t done = 0;
    int fd = -1;

    for (int attempt = 0; fd < 0; attempt++) {
        g_free(tmp);
        tmp = g_strdup_printf("%s/.%s.%08x", dir, base, g_random_int());
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0 && (errno != EEXIST || attempt >= 100)) {
            xvReportSystemError(errno, "cannot create '%s'", tmp);
            return -1;
        }
    }
    /* open() applies the umask; the caller's mode is what they asked for. */
    if (fchmod(fd, mode) < 0) {
        xvReportSystemError(errno, "cannot set mode of '%s'", tmp);
        goto error;
    }
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            xvReportSystemError(errno, "cannot write '%s'", tmp);
            goto error;
        }
        done += (size_t)n;
    }
    if (fsync(fd) < 0) {
        xvReportSystemError(errno, "cannot sync '%s'", tmp);
        goto error;
    }
    if (close(fd) < 0) {
        fd = -1;
        xvReportSystemError(errno, "cannot close '%s'", tmp);
        goto error;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        xvReportSystemError(errno, "cannot rename '%s' to '%s'", tmp, path);
        goto error;
    }
    return syncDir(path);

 error:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return -1;
}

int
xvFileRemoveDurable(const char *path)
{
    if (unlink(path) < 0) {
        xvReportSystemError(errno, "cannot remove '%s'", path);
        return -1;
    }
    return syncDir(path);
}
