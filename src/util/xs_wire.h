/*
 * xs_wire.h: the XenStore wire protocol as bytes, shared by xensim's
 * xenstored and (later) the driver's XenStore client (src/xen/xenstore.c).
 *
 * Pure encoding and decoding: the 16-byte header (type, req_id, tx_id,
 * len in the host's byte order, as Xen's struct xsd_sockmsg), the message
 * type numbers of Xen 4.17's xs_wire.h, the errno names carried by ERROR
 * replies, the 4096-byte payload limit, NUL-separated payload lists,
 * permission strings ("r5") and an incremental frame reader.  It does no
 * I/O, keeps no global state and reports nothing: callers decide what a
 * failure means (the daemon answers EINVAL or drops the connection, the
 * client reports a driver error).  Path *semantics* (what a daemon accepts,
 * relative paths, length limits) belong to the daemon, not here.
 */
#pragma once

#include <glib.h>

#define XS_HEADER_SIZE 16
/* XENSTORE_PAYLOAD_MAX: both directions; a larger incoming len is fatal. */
#define XS_PAYLOAD_MAX 4096
/* XENSTORE_ABS_PATH_MAX / XENSTORE_REL_PATH_MAX from xs_wire.h. */
#define XS_ABS_PATH_MAX 3072
#define XS_REL_PATH_MAX 2048

typedef enum {
    XS_CONTROL = 0,          /* called XS_DEBUG before Xen 4.9 */
    XS_DIRECTORY,
    XS_READ,
    XS_GET_PERMS,
    XS_WATCH,
    XS_UNWATCH,
    XS_TRANSACTION_START,
    XS_TRANSACTION_END,
    XS_INTRODUCE,
    XS_RELEASE,
    XS_GET_DOMAIN_PATH,
    XS_WRITE,
    XS_MKDIR,
    XS_RM,
    XS_SET_PERMS,
    XS_WATCH_EVENT,
    XS_ERROR,
    XS_IS_DOMAIN_INTRODUCED,
    XS_RESUME,
    XS_SET_TARGET,
    XS_RESTRICT,             /* removed in Xen 4.9: answered ENOSYS */
    XS_RESET_WATCHES,
    XS_DIRECTORY_PART,

    XS_TYPE_COUNT,           /* 23 in Xen 4.17 */
    XS_INVALID = 0xffff,
} XsMsgType;

/* "READ", "WATCH_EVENT", ...; NULL for numbers Xen 4.17 does not define. */
const char *xsMsgTypeName(guint32 type);
/* -1 if unknown. */
int xsMsgTypeFromName(const char *name);

typedef struct {
    guint32 type;
    guint32 req_id;
    guint32 tx_id;
    guint32 len;
} XsHeader;

void xsHeaderDecode(const guint8 buf[XS_HEADER_SIZE], XsHeader *hdr);
void xsHeaderEncode(const XsHeader *hdr, guint8 buf[XS_HEADER_SIZE]);

/* Header + payload in one buffer; FALSE (nothing appended) if len exceeds
 * XS_PAYLOAD_MAX, which is what libxenstore calls E2BIG. */
gboolean xsMessageAppend(GByteArray *out, guint32 type, guint32 req_id,
                         guint32 tx_id, const void *payload, gsize len);

/* ERROR payload names (xsd_errors[] of Xen 4.17) <-> errno values. */
/* The name for errnum; "EINVAL" for errnos Xen does not name (as xenstored
 * does when it cannot translate an error). */
const char *xsErrorName(int errnum);
/* errno for a name; EINVAL for names not in the table (libxenstore's rule,
 * which also covers oxenstored's "EQUOTA"). */
int xsErrorFromName(const char *name);
/* TRUE if the name is in the table. */
gboolean xsErrorNameKnown(const char *name);

/* Payload lists: every element NUL-terminated ("a\0b\0").  Fills at most
 * max pointers into payload (not copied) and returns the number of
 * NUL-terminated strings found; bytes after the last NUL are not counted
 * (Xen's get_strings() rule). */
guint xsPayloadStrings(const guint8 *payload, gsize len,
                       const char **out, guint max);
/* The one-argument rule of xenstored (onearg): exactly one NUL, and it is
 * the last byte.  Returns the string or NULL. */
const char *xsPayloadOneArg(const guint8 *payload, gsize len);

/* Permissions: "<letter><domid>" with n = none, r = read, w = write,
 * b = both. */
typedef enum {
    XS_PERM_NONE = 0,
    XS_PERM_READ = 1,
    XS_PERM_WRITE = 2,
    XS_PERM_BOTH = XS_PERM_READ | XS_PERM_WRITE,
} XsPermBits;

typedef struct {
    guint32 domid;
    guint8 perms;     /* XsPermBits */
} XsPerm;

/* Parse one entry as xenstored does (letter, then strtol base 0, nothing
 * after the number, at least one digit).  FALSE if malformed. */
gboolean xsPermParse(const char *str, XsPerm *perm);
/* Append "r5\0" (with its NUL) to out. */
void xsPermAppend(GByteArray *out, const XsPerm *perm);

/* Incremental frame reader for a byte stream with arbitrary fragmentation.
 * Feed bytes as they arrive; take whole messages out. */
typedef struct {
    GByteArray *buf;
} XsReader;

typedef enum {
    XS_READER_NEED_MORE = 0,
    XS_READER_MESSAGE = 1,
    XS_READER_TOO_BIG = -1,   /* header len > XS_PAYLOAD_MAX: stream is dead */
} XsReaderStatus;

void xsReaderInit(XsReader *rd);
void xsReaderClear(XsReader *rd);
void xsReaderFeed(XsReader *rd, const void *data, gsize len);
/* On XS_READER_MESSAGE, *payload is a new buffer of hdr->len bytes plus a
 * terminating NUL that is not counted (so a string payload can be used
 * directly); the caller frees it. */
XsReaderStatus xsReaderNext(XsReader *rd, XsHeader *hdr, guint8 **payload);
