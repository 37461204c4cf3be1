/*
 * error.h: reporting errors the libvirt way.
 *
 * Every failing internal function reports once, where the failure is
 * understood, into the calling thread's last-error slot (code + domain +
 * message); callers only propagate -1/NULL.  The message is prefixed with
 * libvirt's standard text for the code ("Domain not found: ..."), which
 * scripts match on.  Library code never prints.
 */
#pragma once

#include <glib.h>

#include "xenvirt/xenvirt.h"

void xvReportErrorFull(int domain, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* The message is exactly the formatted text, without the code's standard
 * prefix: for the few errors libvirt words that way (unsupported flags). */
void xvReportErrorVerbatimFull(int domain, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* code VIR_ERR_SYSTEM_ERROR; appends ": <strerror(errnum)>". */
void xvReportSystemErrorFull(int domain, int errnum, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Each .c file defines XV_FROM before including this, or gets VIR_FROM_NONE. */
#ifndef XV_FROM
# define XV_FROM VIR_FROM_NONE
#endif
#define xvReportError(code, ...) xvReportErrorFull(XV_FROM, (code), __VA_ARGS__)
#define xvReportSystemError(errnum, ...) xvReportSystemErrorFull(XV_FROM, (errnum), __VA_ARGS__)

/* The thread's last error, or NULL; owned by the thread. */
virErrorPtr xvErrorGetLast(void);
void xvErrorReset(void);
/* The thread's error, libvirt's generic one set first if there is none
 * (a failure that reported nothing). */
virErrorPtr xvErrorEnsureSet(void);
/* A public call is failing: xvErrorEnsureSet, then call the connection's handler if it has one,
 * else the global one (virSetErrorFunc), as libvirt's virDispatchError. */
void xvErrorDispatch(virErrorFunc connHandler, void *connData);
/* Preserve an error across cleanup code that may report its own. */
virErrorPtr xvErrorSave(void);
void xvErrorRestore(virErrorPtr *saved);
/* Deep copy of the fields of from into the (reset) to; object pointers
 * are not copied. */
void xvErrorCopy(virErrorPtr to, const virError *from);
/* libvirt's prefix for a code, e.g. "Domain not found". */
const char *xvErrorCodeText(int code);
