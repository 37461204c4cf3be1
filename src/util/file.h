/*
 * file.h: writing files the way configs in /etc/xen must be written --
 * atomically (readers see the old or the new file, never a mix) and
 * durably (the new content and the rename survive a crash).
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

/* Replace path with data: write a temporary file in the same directory
 * (O_EXCL, O_CLOEXEC, mode), fsync it, rename it over path, fsync the
 * directory.  On any failure the temporary is removed, path is untouched,
 * and a system error naming the step and file is reported. */
int xvFileWriteAtomic(const char *path, const char *data, size_t len, mode_t mode);

/* Remove path and fsync its directory; reports on failure (ENOENT too). */
int xvFileRemoveDurable(const char *path);
