/*
 * xend.h: the XenD channel -- xend's SXP-over-HTTP interface on its UNIX
 * socket or TCP port, as libvirt's Xen driver spoke it (spec/xend.md).
 *
 * One request per connection, as xend expects; every step is bounded by a
 * timeout and every reply by a size limit, so a stuck or hostile xend gives
 * an error, never a hang.  Replies are parsed with src/xenconfig/sexpr.h.
 * This file knows HTTP and xend's error conventions, nothing of domains.
 */
#pragma once

#include <glib.h>
#include <stdarg.h>

#include "xenconfig/sexpr.h"

#define XV_XEND_DEFAULT_SOCKET "/var/lib/xend/xend-socket"
#define XV_XEND_DEFAULT_PORT 8000
#define XV_XEND_DEFAULT_TIMEOUT_MS 30000
#define XV_XEND_MAX_REPLY (256 * 1024)  /* libvirt's limit on a reply body */
#define XV_XEND_MAX_HEADERS 100
#define XV_XEND_MAX_POST 10000          /* xend refuses larger POST bodies */

typedef struct _xvXend xvXend;

xvXend *xvXendNewUnix(const char *path, int timeout_ms);
xvXend *xvXendNewTCP(const char *host, int port, int timeout_ms);
void xvXendFree(xvXend *xend);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvXend, xvXendFree);

/* A description for messages: "xend at unix:/var/lib/xend/xend-socket". */
const char *xvXendDescribe(const xvXend *xend);
/* Requests sent so far (each is one connection and one round trip). */
unsigned int xvXendRequestCount(const xvXend *xend);

/*
 * GET path.  On success returns the first SXP expression of the body (an
 * empty body gives NULL with *status set and no error).  A 404 reply is
 * returned as -1 with *status = 404 and VIR_ERR_NO_DOMAIN reported when the
 * path is under /xend/domain/, VIR_ERR_GET_FAILED otherwise.
 */
int xvXendGet(xvXend *xend, const char *path, xvSexpr **reply, int *status);

/*
 * POST the NULL-terminated key, value pairs, form-encoded, to path.  A reply
 * carrying (xend.err 'msg'), whatever its status, or a status >= 300 is an
 * error: VIR_ERR_POST_FAILED with xend's message and the op; 404 is
 * VIR_ERR_NO_DOMAIN.  *reply (may be NULL) gets the body's SXP, if any.
 */
int xvXendPost(xvXend *xend, const char *path, xvSexpr **reply, ...) G_GNUC_NULL_TERMINATED;
int xvXendPostValist(xvXend *xend, const char *path, xvSexpr **reply, va_list ap);
int xvXendPostv(xvXend *xend, const char *path, xvSexpr **reply, const char *const *kv);
