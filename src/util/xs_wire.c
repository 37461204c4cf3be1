/*
 * xs_wire.c: XenStore message encoding and decoding (see xs_wire.h).
 *
 * The header is copied with memcpy in host byte order because Xen sends
 * struct xsd_sockmsg raw; a byte-swapping encoder would be "portable" and
 * wrong on a big-endian host talking to its own xenstored.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/xs_wire.h"

static const char *const xsMsgTypeNames[] = {
    [XS_CONTROL] = "CONTROL",
    [XS_DIRECTORY] = "DIRECTORY",
    [XS_READ] = "READ",
    [XS_GET_PERMS] = "GET_PERMS",
    [XS_WATCH] = "WATCH",
    [XS_UNWATCH] = "UNWATCH",
    [XS_TRANSACTION_START] = "TRANSACTION_START",
    [XS_TRANSACTION_END] = "TRANSACTION_END",
    [XS_INTRODUCE] = "INTRODUCE",
    [XS_RELEASE] = "RELEASE",
    [XS_GET_DOMAIN_PATH] = "GET_DOMAIN_PATH",
    [XS_WRITE] = "WRITE",
    [XS_MKDIR] = "MKDIR",
    [XS_RM] = "RM",
    [XS_SET_PERMS] = "SET_PERMS",
    [XS_WATCH_EVENT] = "WATCH_EVENT",
    [XS_ERROR] = "ERROR",
    [XS_IS_DOMAIN_INTRODUCED] = "IS_DOMAIN_INTRODUCED",
    [XS_RESUME] = "RESUME",
    [XS_SET_TARGET] = "SET_TARGET",
    [XS_RESTRICT] = "RESTRICT",
    [XS_RESET_WATCHES] = "RESET_WATCHES",
    [XS_DIRECTORY_PART] = "DIRECTORY_PART",
};
G_STATIC_ASSERT(G_N_ELEMENTS(xsMsgTypeNames) == XS_TYPE_COUNT);

const char *
xsMsgTypeName(guint32 type)
{
    if (type < G_N_ELEMENTS(xsMsgTypeNames))
        return xsMsgTypeNames[type];
    if (type == XS_INVALID)
        return "INVALID";
    return NULL;
}

int
xsMsgTypeFromName(const char *name)
{
    for (guint i = 0; i < G_N_ELEMENTS(xsMsgTypeNames); i++) {
        if (g_str_equal(xsMsgTypeNames[i], name))
            return (int)i;
    }
    if (g_str_equal(name, "DEBUG"))
        return XS_CONTROL;
    return -1;
}

void
xsHeaderDecode(const guint8 buf[XS_HEADER_SIZE], XsHeader *hdr)
{
    guint32 v[4];

    memcpy(v, buf, sizeof(v));
    hdr->type = v[0];
    hdr->req_id = v[1];
    hdr->tx_id = v[2];
    hdr->len = v[3];
}

void
xsHeaderEncode(const XsHeader *hdr, guint8 buf[XS_HEADER_SIZE])
{
    guint32 v[4] = { hdr->type, hdr->req_id, hdr->tx_id, hdr->len };

    memcpy(buf, v, sizeof(v));
}

gboolean
xsMessageAppend(GByteArray *out, guint32 type, guint32 req_id,
                guint32 tx_id, const void *payload, gsize len)
{
    XsHeader hdr = { type, req_id, tx_id, (guint32)len };
    guint8 raw[XS_HEADER_SIZE];

    if (len > XS_PAYLOAD_MAX)
        return FALSE;
    xsHeaderEncode(&hdr, raw);
    g_byte_array_append(out, raw, sizeof(raw));
    if (len)
        g_byte_array_append(out, payload, len);
    return TRUE;
}

/* xsd_errors[] of Xen 4.17's xs_wire.h, in its order.  EQUOTA is not there:
 * only oxenstored sends it, and clients map it to EINVAL. */
static const struct {
    int errnum;
    const char *name;
} xsErrors[] = {
    { EINVAL, "EINVAL" },
    { EACCES, "EACCES" },
    { EEXIST, "EEXIST" },
    { EISDIR, "EISDIR" },
    { ENOENT, "ENOENT" },
    { ENOMEM, "ENOMEM" },
    { ENOSPC, "ENOSPC" },
    { EIO, "EIO" },
    { ENOTEMPTY, "ENOTEMPTY" },
    { ENOSYS, "ENOSYS" },
    { EROFS, "EROFS" },
    { EBUSY, "EBUSY" },
    { EAGAIN, "EAGAIN" },
    { EISCONN, "EISCONN" },
    { E2BIG, "E2BIG" },
    { EPERM, "EPERM" },
};

const char *
xsErrorName(int errnum)
{
    for (guint i = 0; i < G_N_ELEMENTS(xsErrors); i++) {
        if (xsErrors[i].errnum == errnum)
            return xsErrors[i].name;
    }
    return "EINVAL";
}

gboolean
xsErrorNameKnown(const char *name)
{
    for (guint i = 0; i < G_N_ELEMENTS(xsErrors); i++) {
        if (g_str_equal(xsErrors[i].name, name))
            return TRUE;
    }
    return FALSE;
}

int
xsErrorFromName(const char *name)
{
    for (guint i = 0; i < G_N_ELEMENTS(xsErrors); i++) {
        if (g_str_equal(xsErrors[i].name, name))
            return xsErrors[i].errnum;
    }
    return EINVAL;
}

guint
xsPayloadStrings(const guint8 *payload, gsize len, const char **out, guint max)
{
    guint n = 0;
    gsize start = 0;

    for (gsize i = 0; i < len; i++) {
        if (payload[i] != '\0')
            continue;
        if (n < max)
            out[n] = (const char *)payload + start;
        n++;
        start = i + 1;
    }
    return n;
}

const char *
xsPayloadOneArg(const guint8 *payload, gsize len)
{
    if (len == 0 || memchr(payload, '\0', len) != payload + len - 1)
        return NULL;
    return (const char *)payload;
}

gboolean
xsPermParse(const char *str, XsPerm *perm)
{
    char *end = NULL;
    long id;

    switch (str[0]) {
    case 'n': perm->perms = XS_PERM_NONE; break;
    case 'r': perm->perms = XS_PERM_READ; break;
    case 'w': perm->perms = XS_PERM_WRITE; break;
    case 'b': perm->perms = XS_PERM_BOTH; break;
    default: return FALSE;
    }
    if (str[1] == '\0')
        return FALSE;
    errno = 0;
    id = strtol(str + 1, &end, 0);
    if (*end != '\0' || errno != 0)
        return FALSE;
    perm->domid = (guint32)id;
    return TRUE;
}

void
xsPermAppend(GByteArray *out, const XsPerm *perm)
{
    static const char letters[] = { 'n', 'r', 'w', 'b' };
    char buf[16];
    /* Xen prints the id with %i: an id given as -1 comes back as "-1". */
    int n = g_snprintf(buf, sizeof(buf), "%c%d", letters[perm->perms & 3], (int)perm->domid);

    g_byte_array_append(out, (const guint8 *)buf, n + 1);
}

void
xsReaderInit(XsReader *rd)
{
    rd->buf = g_byte_array_new();
}

void
xsReaderClear(XsReader *rd)
{
    if (rd->buf)
        g_byte_array_unref(rd->buf);
    rd->buf = NULL;
}

void
xsReaderFeed(XsReader *rd, const void *data, gsize len)
{
    g_byte_array_append(rd->buf, data, len);
}

XsReaderStatus
xsReaderNext(XsReader *rd, XsHeader *hdr, guint8 **payload)
{
    guint8 *p;

    if (rd->buf->len < XS_HEADER_SIZE)
        return XS_READER_NEED_MORE;
    xsHeaderDecode(rd->buf->data, hdr);
    /* Checked before the payload arrives, as xenstored does: a peer that
     * announces more cannot make us buffer it. */
    if (hdr->len > XS_PAYLOAD_MAX)
        return XS_READER_TOO_BIG;
    if (rd->buf->len < XS_HEADER_SIZE + hdr->len)
        return XS_READER_NEED_MORE;
    p = g_malloc(hdr->len + 1);
    memcpy(p, rd->buf->data + XS_HEADER_SIZE, hdr->len);
    p[hdr->len] = '\0';
    g_byte_array_remove_range(rd->buf, 0, XS_HEADER_SIZE + hdr->len);
    *payload = p;
    return XS_READER_MESSAGE;
}
