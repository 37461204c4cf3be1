/*
 * error.c: the thread-local last error behind virGetLastError and the
 * internal reporting functions.
 *
 * One GPrivate slot per thread holds a heap virError, freed when the thread
 * exits.  Handlers are called as libvirt 9 calls them: once, when a public
 * call fails (xvErrorDispatch, from libxenvirt.c), never for an internal
 * error that a caller handles and resets.
 * libvirt falls back to printing on stderr when no handler is set; we do
 * not, because library code must not print (STYLE.md): a program that wants
 * libvirt's behaviour installs virDefaultErrorFunc-like printing itself.
 */
#include "util/error.h"

#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void errorFree(gpointer p);
static GPrivate lastErrorKey = G_PRIVATE_INIT(errorFree);
static GMutex handlerLock;
static virErrorFunc globalHandler;
static void *globalHandlerData;

static void
errorFree(gpointer p)
{
    virErrorPtr err = p;
    if (!err)
        return;
    virResetError(err);
    g_free(err);
}

static virErrorPtr
errorSlot(void)
{
    virErrorPtr err = g_private_get(&lastErrorKey);
    if (!err) {
        err = g_new0(virError, 1);
        g_private_set(&lastErrorKey, err);
    }
    return err;
}

/* libvirt's standard texts, by code: the bare text, and the form with the
 * detail (exactly one %s).  Scripts match on these, so they follow libvirt. */
static const struct {
    int code;
    const char *bare;
    const char *withInfo;
} codeTexts[] = {
    {VIR_ERR_INTERNAL_ERROR, "internal error", "internal error: %s"},
    {VIR_ERR_NO_MEMORY, "out of memory", "out of memory: %s"},
    {VIR_ERR_NO_SUPPORT, "this function is not supported by the connection driver",
     "this function is not supported by the connection driver: %s"},
    {VIR_ERR_NO_CONNECT, "no connection driver available", "no connection driver available for %s"},
    {VIR_ERR_INVALID_CONN, "invalid connection pointer in", "invalid connection pointer in %s"},
    {VIR_ERR_INVALID_DOMAIN, "invalid domain pointer in", "invalid domain pointer in %s"},
    {VIR_ERR_INVALID_ARG, "invalid argument", "invalid argument: %s"},
    {VIR_ERR_OPERATION_FAILED, "operation failed", "operation failed: %s"},
    {VIR_ERR_GET_FAILED, "GET operation failed", "GET operation failed: %s"},
    {VIR_ERR_POST_FAILED, "POST operation failed", "POST operation failed: %s"},
    {VIR_ERR_HTTP_ERROR, "got unknown HTTP error code", "got unknown HTTP error code %s"},
    {VIR_ERR_UNKNOWN_HOST, "unknown host", "unknown host %s"},
    {VIR_ERR_SEXPR_SERIAL, "failed to serialize S-Expr", "failed to serialize S-Expr: %s"},
    {VIR_ERR_NO_XEN, "could not use Xen hypervisor entry", "could not use Xen hypervisor entry %s"},
    {VIR_ERR_XEN_CALL, "failed Xen syscall", "failed Xen syscall %s"},
    {VIR_ERR_OS_TYPE, "unknown OS type", "unknown OS type %s"},
    {VIR_ERR_NO_KERNEL, "missing kernel information", "missing kernel information: %s"},
    {VIR_ERR_NO_SOURCE, "missing source information for device",
     "missing source information for device %s"},
    {VIR_ERR_NO_TARGET, "missing target information for device",
     "missing target information for device %s"},
    {VIR_ERR_NO_NAME, "missing name information", "missing name information in %s"},
    {VIR_ERR_NO_OS, "missing operating system information",
     "missing operating system information for %s"},
    {VIR_ERR_NO_DEVICE, "missing devices information", "missing devices information for %s"},
    {VIR_ERR_NO_XENSTORE, "could not connect to Xen Store", "could not connect to Xen Store %s"},
    {VIR_ERR_XML_ERROR, "XML description is invalid or not well formed", "XML error: %s"},
    {VIR_ERR_DOM_EXIST, "this domain exists already", "domain %s exists already"},
    {VIR_ERR_OPERATION_DENIED, "operation forbidden for read only access",
     "operation forbidden: %s"},
    {VIR_ERR_OPEN_FAILED, "failed to open configuration file for reading",
     "failed to open %s for reading"},
    {VIR_ERR_READ_FAILED, "failed to read configuration file",
     "failed to read configuration file %s"},
    {VIR_ERR_PARSE_FAILED, "failed to parse configuration file",
     "failed to parse configuration file %s"},
    {VIR_ERR_CONF_SYNTAX, "configuration file syntax error",
     "configuration file syntax error: %s"},
    {VIR_ERR_WRITE_FAILED, "failed to write configuration file",
     "failed to write configuration file: %s"},
    {VIR_ERR_XML_DETAIL, "parser error", "%s"},
    {VIR_ERR_SYSTEM_ERROR, "system call error", "%s"},
    {VIR_ERR_RPC, "RPC error", "%s"},
    {VIR_ERR_NO_DOMAIN, "Domain not found", "Domain not found: %s"},
    {VIR_ERR_INVALID_MAC, "invalid MAC address", "invalid MAC address: %s"},
    {VIR_ERR_AUTH_FAILED, "authentication failed", "authentication failed: %s"},
    {VIR_ERR_OPERATION_INVALID, "Requested operation is not valid",
     "Requested operation is not valid: %s"},
    {VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration", "unsupported configuration: %s"},
    {VIR_ERR_OPERATION_TIMEOUT, "Timed out during operation", "Timed out during operation: %s"},
    {VIR_ERR_ARGUMENT_UNSUPPORTED, "argument unsupported", "argument unsupported: %s"},
    {VIR_ERR_OVERFLOW, "value too large", "value too large: %s"},
    {VIR_ERR_OPERATION_UNSUPPORTED, "Operation not supported", "Operation not supported: %s"},
    {VIR_ERR_ACCESS_DENIED, "access denied", "access denied: %s"},
    {VIR_ERR_DEVICE_MISSING, "device not found", "device not found: %s"},
};

const char *
xvErrorCodeText(int code)
{
    for (size_t i = 0; i < G_N_ELEMENTS(codeTexts); i++) {
        if (codeTexts[i].code == code)
            return codeTexts[i].bare;
    }
    return "unexpected error";
}

static char *
errorMessage(int code, const char *detail)
{
    for (size_t i = 0; i < G_N_ELEMENTS(codeTexts); i++) {
        if (codeTexts[i].code != code)
            continue;
        if (!detail || !*detail)
            return g_strdup(codeTexts[i].bare);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        return g_strdup_printf(codeTexts[i].withInfo, detail);
#pragma GCC diagnostic pop
    }
    return g_strdup(detail && *detail ? detail : "unexpected error");
}

virErrorPtr
xvErrorEnsureSet(void)
{
    virErrorPtr err = errorSlot();

    if (err->code == VIR_ERR_OK) {
        /* a failure that reported nothing: libvirt's generic error */
        err->code = VIR_ERR_INTERNAL_ERROR;
        err->domain = VIR_FROM_NONE;
        err->level = VIR_ERR_ERROR;
        err->message = g_strdup("An error occurred, but the cause is unknown");
    }
    return err;
}

void
xvErrorDispatch(virErrorFunc connHandler, void *connData)
{
    virErrorPtr err = xvErrorEnsureSet();
    virErrorFunc handler = connHandler;
    void *data = connData;

    if (!handler) {
        g_mutex_lock(&handlerLock);
        handler = globalHandler;
        data = globalHandlerData;
        g_mutex_unlock(&handlerLock);
    }
    if (handler)
        handler(data, err);
}

static void
errorSetFull(int domain, int code, char *detail, bool verbatim)
{
    virErrorPtr err = errorSlot();

    virResetError(err);
    err->code = code;
    err->domain = domain;
    err->level = VIR_ERR_ERROR;
    err->message = verbatim ? g_strdup(detail) : errorMessage(code, detail);
    err->str1 = detail; /* takes ownership */
}

static void
errorSet(int domain, int code, char *detail)
{
    errorSetFull(domain, code, detail, false);
}

void
xvReportErrorVerbatimFull(int domain, int code, const char *fmt, ...)
{
    va_list ap;
    char *detail;

    va_start(ap, fmt);
    detail = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    errorSetFull(domain, code, detail, true);
}

void
xvReportErrorFull(int domain, int code, const char *fmt, ...)
{
    va_list ap;
    char *detail;

    va_start(ap, fmt);
    detail = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    errorSet(domain, code, detail);
}

void
xvReportSystemErrorFull(int domain, int errnum, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *what = NULL;

    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    errorSet(domain, VIR_ERR_SYSTEM_ERROR, g_strdup_printf("%s: %s", what, g_strerror(errnum)));
    errorSlot()->int1 = errnum;
}

virErrorPtr
xvErrorGetLast(void)
{
    virErrorPtr err = g_private_get(&lastErrorKey);
    if (!err || err->code == VIR_ERR_OK)
        return NULL;
    return err;
}

void
xvErrorReset(void)
{
    virErrorPtr err = g_private_get(&lastErrorKey);
    if (err)
        virResetError(err);
}

void
xvErrorCopy(virErrorPtr to, const virError *from)
{
    to->code = from->code;
    to->domain = from->domain;
    to->level = from->level;
    to->message = g_strdup(from->message);
    to->str1 = g_strdup(from->str1);
    to->str2 = g_strdup(from->str2);
    to->str3 = g_strdup(from->str3);
    to->int1 = from->int1;
    to->int2 = from->int2;
    to->conn = NULL;
    to->dom = NULL;
    to->net = NULL;
}

virErrorPtr
xvErrorSave(void)
{
    virErrorPtr err = xvErrorGetLast();
    virErrorPtr copy;

    if (!err)
        return NULL;
    copy = g_new0(virError, 1);
    xvErrorCopy(copy, err);
    return copy;
}

void
xvErrorRestore(virErrorPtr *saved)
{
    virErrorPtr err;

    if (!*saved)
        return;
    err = errorSlot();
    virResetError(err);
    *err = **saved;
    g_free(*saved);
    *saved = NULL;
}

/* ---- public API ------------------------------------------------------- */

virErrorPtr
virGetLastError(void)
{
    return xvErrorGetLast();
}

virErrorPtr
virSaveLastError(void)
{
    virErrorPtr copy = g_new0(virError, 1);
    virErrorPtr err = xvErrorGetLast();
    if (err)
        xvErrorCopy(copy, err);
    return copy;
}

void
virResetLastError(void)
{
    xvErrorReset();
}

void
virResetError(virErrorPtr err)
{
    if (!err)
        return;
    g_free(err->message);
    g_free(err->str1);
    g_free(err->str2);
    g_free(err->str3);
    memset(err, 0, sizeof(*err));
}

void
virFreeError(virErrorPtr err)
{
    virResetError(err);
    g_free(err);
}

const char *
virGetLastErrorMessage(void)
{
    virErrorPtr err = xvErrorGetLast();
    if (!err)
        return "no error";
    if (!err->message)
        return "unknown error";
    return err->message;
}

int
virGetLastErrorCode(void)
{
    virErrorPtr err = xvErrorGetLast();
    return err ? err->code : VIR_ERR_OK;
}

int
virGetLastErrorDomain(void)
{
    virErrorPtr err = xvErrorGetLast();
    return err ? err->domain : VIR_FROM_NONE;
}

int
virCopyLastError(virErrorPtr to)
{
    virErrorPtr err = xvErrorGetLast();

    if (!to)
        return -1;
    virResetError(to);
    if (!err)
        return 0;
    xvErrorCopy(to, err);
    return to->code;
}

void
virDefaultErrorFunc(virErrorPtr err)
{
    if (!err || err->code == VIR_ERR_OK)
        return;
    fprintf(stderr, "libxenvirt: %s\n", err->message ? err->message : "unknown error");
}

void
virSetErrorFunc(void *userData, virErrorFunc handler)
{
    g_mutex_lock(&handlerLock);
    globalHandler = handler;
    globalHandlerData = userData;
    g_mutex_unlock(&handlerLock);
}
