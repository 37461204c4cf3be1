/*
 * xenstore.h: the XenStore channel -- a client of xenstored's binary wire
 * protocol over its UNIX socket or the xenbus device (spec/xenstore.md).
 *
 * One connection, requests serialised by a mutex so a virConnect can be
 * shared by threads; watch events that arrive between replies are queued.
 * Every wait is bounded by the timeout.  This file knows the protocol and
 * nothing of domains: the driver decides which paths mean what.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#define XV_XS_DEFAULT_SOCKET "/var/run/xenstored/socket"
#define XV_XS_DEFAULT_SOCKET_RO "/var/run/xenstored/socket_ro"
#define XV_XS_DEFAULT_TIMEOUT_MS 10000
#define XV_XS_MAX_QUEUED_EVENTS 1024

typedef struct _xvXs xvXs;

/* Try each path in order (a UNIX socket or a xenbus device node) and use
 * the first that opens.  Reports VIR_ERR_NO_XENSTORE naming every path and
 * why it failed. */
xvXs *xvXsOpen(const char *const *paths, int timeout_ms);
void xvXsClose(xvXs *xs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvXs, xvXsClose);

const char *xvXsDescribe(const xvXs *xs);
unsigned int xvXsRequestCount(const xvXs *xs);
/* The errno of the last ERROR reply (ENOENT, EAGAIN, ...), 0 if none. */
int xvXsLastErrno(const xvXs *xs);

#define XV_XS_NO_TX 0u

/* 1 and *value (NUL-terminated, *len bytes) when the node exists, 0 when it
 * does not (ENOENT; nothing reported), -1 on any other error (reported). */
int xvXsRead(xvXs *xs, guint32 tx, const char *path, char **value, size_t *len);
int xvXsDirectory(xvXs *xs, guint32 tx, const char *path, char ***children);
int xvXsGetPerms(xvXs *xs, guint32 tx, const char *path, char ***perms);

/* 0 on success, -1 with the error reported (xenstore's errno name, the
 * operation and the path in the message). */
int xvXsWrite(xvXs *xs, guint32 tx, const char *path, const char *value, size_t len);
int xvXsMkdir(xvXs *xs, guint32 tx, const char *path);
int xvXsRm(xvXs *xs, guint32 tx, const char *path);
int xvXsSetPerms(xvXs *xs, guint32 tx, const char *path, const char *const *perms);
char *xvXsGetDomainPath(xvXs *xs, unsigned int domid);

int xvXsTransactionStart(xvXs *xs, guint32 *tx);
/* 0 committed (or aborted when !commit), 1 the transaction conflicted
 * (EAGAIN: redo it), -1 error. */
int xvXsTransactionEnd(xvXs *xs, guint32 tx, bool commit);

int xvXsWatch(xvXs *xs, const char *path, const char *token);
int xvXsUnwatch(xvXs *xs, const char *path, const char *token);
/* Next watch event: 1 with *path and *token, 0 when none came within
 * timeout_ms (0 = only what is already queued), -1 on error. */
int xvXsReadWatch(xvXs *xs, int timeout_ms, char **path, char **token);
