/*
 * xm_dir.h: inactive domains kept as config files in a directory
 * (/etc/xen), the way xm did for xend before 3.0.4 and xl does today.
 *
 * The directory is the truth: a cache keyed by file name holds the parsed
 * definition and the (mtime, size, inode) it came from, and is refreshed
 * when inotify reports a change or, without inotify, on every call.  Files
 * that are not configs (dot-files, editor backups, package-manager
 * leftovers, subdirectories, unparsable files) are skipped.  Writes are
 * atomic and durable; a domain name that is not a plain file name is
 * refused, so no name can reach outside the directory.  The file format is
 * the caller's: it passes parse/format functions (xm or xl syntax).
 */
#pragma once

#include <glib.h>

#include "conf/domain_conf.h"

/* Parse a config file's text; NULL with the error reported. */
typedef xvDomainDef *(*xvXmDirParseFn)(const char *text, size_t len, const char *filename);
/* Format a definition as config text; NULL with the error reported. */
typedef char *(*xvXmDirFormatFn)(const xvDomainDef *def);

typedef struct _xvXmDir xvXmDir;

#define XV_XM_DIR_MAX_FILE (1024 * 1024)
#define XV_XM_DIR_MAX_FILES 10000

xvXmDir *xvXmDirOpen(const char *path, xvXmDirParseFn parse, xvXmDirFormatFn format);
void xvXmDirFree(xvXmDir *dir);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvXmDir, xvXmDirFree);

/* Bring the cache up to date with the directory; 0 or -1 (reported). */
int xvXmDirRefresh(xvXmDir *dir);

/* Definitions currently in the directory, sorted by name; borrowed
 * pointers valid until the next call on dir.  Refreshes first. */
GPtrArray *xvXmDirList(xvXmDir *dir);
const xvDomainDef *xvXmDirLookupName(xvXmDir *dir, const char *name);
const xvDomainDef *xvXmDirLookupUUID(xvXmDir *dir, const unsigned char *uuid);
/* Is there a config file for uuid?  Quiet: no error for "no" (asked on
 * every GetInfo), and a directory that cannot be read counts as "no". */
bool xvXmDirHasUUID(xvXmDir *dir, const unsigned char *uuid);

/* Write def to DIR/<def->name>, replacing a file that holds the same
 * domain (same UUID); refuse another domain's name or UUID. */
int xvXmDirDefine(xvXmDir *dir, const xvDomainDef *def);
/* Remove the file holding the domain called name. */
int xvXmDirUndefine(xvXmDir *dir, const char *name);

/* Whether name can be a config file name in the directory. */
bool xvXmDirNameValid(const char *name);
/* Scans that re-read at least one file (for tests of the cache). */
unsigned int xvXmDirParseCount(const xvXmDir *dir);
