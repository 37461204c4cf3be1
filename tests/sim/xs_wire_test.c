/*
 * xs_wire_test.c: unit tests of the pure XenStore codec (sim/xs_wire.c),
 * table-driven.  The daemon built on it is checked byte for byte against
 * the real xenstored by the xsconv-* tests; these pin down the codec's own
 * contract for its other user, the driver's XenStore client.
 */
#include <errno.h>
#include <string.h>

#include "util/xs_wire.h"

static void
testHeader(void)
{
    XsHeader h = { XS_WRITE, 0x01020304, 7, 4096 };
    XsHeader back;
    guint8 raw[XS_HEADER_SIZE];
    guint32 v[4];

    xsHeaderEncode(&h, raw);
    memcpy(v, raw, sizeof(v));   /* host order, fields in struct order */
    g_assert_cmpuint(v[0], ==, XS_WRITE);
    g_assert_cmpuint(v[1], ==, 0x01020304);
    g_assert_cmpuint(v[2], ==, 7);
    g_assert_cmpuint(v[3], ==, 4096);
    xsHeaderDecode(raw, &back);
    g_assert_cmpmem(&h, sizeof(h), &back, sizeof(back));
}

static void
testMessageAppend(void)
{
    g_autoptr(GByteArray) out = g_byte_array_new();
    g_autofree guint8 *big = g_malloc0(XS_PAYLOAD_MAX + 1);
    XsHeader h;

    g_assert_true(xsMessageAppend(out, XS_READ, 9, 0, "/a\0", 3));
    g_assert_cmpuint(out->len, ==, XS_HEADER_SIZE + 3);
    xsHeaderDecode(out->data, &h);
    g_assert_cmpuint(h.type, ==, XS_READ);
    g_assert_cmpuint(h.req_id, ==, 9);
    g_assert_cmpuint(h.len, ==, 3);
    g_assert_true(xsMessageAppend(out, XS_WRITE, 0, 0, big, XS_PAYLOAD_MAX));
    g_assert_false(xsMessageAppend(out, XS_WRITE, 0, 0, big, XS_PAYLOAD_MAX + 1));
    g_assert_cmpuint(out->len, ==, 2 * XS_HEADER_SIZE + 3 + XS_PAYLOAD_MAX);
}

static void
testTypeNames(void)
{
    static const struct {
        guint32 type;
        const char *name;
    } cases[] = {
        { 0, "CONTROL" }, { 1, "DIRECTORY" }, { 2, "READ" }, { 4, "WATCH" },
        { 6, "TRANSACTION_START" }, { 10, "GET_DOMAIN_PATH" }, { 15, "WATCH_EVENT" },
        { 16, "ERROR" }, { 17, "IS_DOMAIN_INTRODUCED" }, { 21, "RESET_WATCHES" },
        { 22, "DIRECTORY_PART" }, { 0xffff, "INVALID" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_cmpstr(xsMsgTypeName(cases[i].type), ==, cases[i].name);
        if (cases[i].type < XS_TYPE_COUNT)
            g_assert_cmpint(xsMsgTypeFromName(cases[i].name), ==, (int)cases[i].type);
    }
    g_assert_null(xsMsgTypeName(23));
    g_assert_null(xsMsgTypeName(100));
    g_assert_cmpint(xsMsgTypeFromName("DEBUG"), ==, XS_CONTROL);
    g_assert_cmpint(xsMsgTypeFromName("GET_FEATURE"), ==, -1);
}

static void
testErrors(void)
{
    static const struct {
        int errnum;
        const char *name;
    } cases[] = {
        { EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EEXIST, "EEXIST" },
        { EISDIR, "EISDIR" }, { ENOENT, "ENOENT" }, { ENOMEM, "ENOMEM" },
        { ENOSPC, "ENOSPC" }, { EIO, "EIO" }, { ENOTEMPTY, "ENOTEMPTY" },
        { ENOSYS, "ENOSYS" }, { EROFS, "EROFS" }, { EBUSY, "EBUSY" },
        { EAGAIN, "EAGAIN" }, { EISCONN, "EISCONN" }, { E2BIG, "E2BIG" },
        { EPERM, "EPERM" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_cmpstr(xsErrorName(cases[i].errnum), ==, cases[i].name);
        g_assert_cmpint(xsErrorFromName(cases[i].name), ==, cases[i].errnum);
        g_assert_true(xsErrorNameKnown(cases[i].name));
    }
    /* Untranslatable errnos become EINVAL, as xenstored sends them. */
    g_assert_cmpstr(xsErrorName(ETIMEDOUT), ==, "EINVAL");
    /* oxenstored's EQUOTA and anything unknown: EINVAL, as libxenstore. */
    g_assert_false(xsErrorNameKnown("EQUOTA"));
    g_assert_cmpint(xsErrorFromName("EQUOTA"), ==, EINVAL);
    g_assert_cmpint(xsErrorFromName(""), ==, EINVAL);
}

static void
testPayloadStrings(void)
{
    static const struct {
        const char *data;
        gsize len;
        guint count;
    } cases[] = {
        { "", 0, 0 },
        { "\0", 1, 1 },
        { "a\0b\0", 4, 2 },
        { "a\0b", 3, 1 },            /* unterminated tail not counted */
        { "path\0tok\0x\0", 11, 3 },
        { "\0\0\0", 3, 3 },
    };
    const char *out[2];

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        guint n = xsPayloadStrings((const guint8 *)cases[i].data, cases[i].len, out, 2);
        g_assert_cmpuint(n, ==, cases[i].count);
    }
    g_assert_cmpuint(xsPayloadStrings((const guint8 *)"ab\0cd\0", 6, out, 2), ==, 2);
    g_assert_cmpstr(out[0], ==, "ab");
    g_assert_cmpstr(out[1], ==, "cd");

    g_assert_cmpstr(xsPayloadOneArg((const guint8 *)"/a\0", 3), ==, "/a");
    g_assert_cmpstr(xsPayloadOneArg((const guint8 *)"\0", 1), ==, "");
    g_assert_null(xsPayloadOneArg((const guint8 *)"", 0));
    g_assert_null(xsPayloadOneArg((const guint8 *)"/a", 2));
    g_assert_null(xsPayloadOneArg((const guint8 *)"/a\0x\0", 5));
    g_assert_null(xsPayloadOneArg((const guint8 *)"/a\0x", 4));
}

static void
testPerms(void)
{
    static const struct {
        const char *in;
        gboolean ok;
        const char *out;        /* formatted back */
    } cases[] = {
        { "n0", TRUE, "n0" }, { "r5", TRUE, "r5" }, { "w12", TRUE, "w12" },
        { "b7", TRUE, "b7" }, { "r0x10", TRUE, "r16" }, { "b012", TRUE, "b10" },
        { "w-1", TRUE, "w-1" },  /* Xen prints ids with %i */
        /* strtol() skips blanks and takes a sign, in Xen too (perms.conv) */
        { "n", FALSE, NULL }, { "x0", FALSE, NULL }, { "n0x", FALSE, NULL },
        { "r 1", TRUE, "r1" }, { "r+2", TRUE, "r2" }, { "", FALSE, NULL }, { "R1", FALSE, NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        XsPerm p;
        gboolean ok = xsPermParse(cases[i].in, &p);
        g_assert_cmpint(ok, ==, cases[i].ok);
        if (ok) {
            g_autoptr(GByteArray) out = g_byte_array_new();
            xsPermAppend(out, &p);
            g_assert_cmpuint(out->len, ==, strlen(cases[i].out) + 1);
            g_assert_cmpmem(out->data, out->len, cases[i].out, strlen(cases[i].out) + 1);
        }
    }
}

static void
testReader(void)
{
    g_autoptr(GByteArray) stream = g_byte_array_new();
    XsReader rd;
    XsHeader h;
    guint8 *payload = NULL;
    guint got = 0;
    guint8 big[XS_HEADER_SIZE];
    XsHeader bigh = { XS_WRITE, 0, 0, XS_PAYLOAD_MAX + 1 };

    xsMessageAppend(stream, XS_READ, 1, 0, "/a\0", 3);
    xsMessageAppend(stream, XS_TRANSACTION_START, 2, 0, "", 0);
    xsMessageAppend(stream, XS_WRITE, 3, 5, "/b\0v", 4);

    /* One byte at a time: every fragmentation must give the same result. */
    xsReaderInit(&rd);
    for (guint i = 0; i < stream->len; i++) {
        xsReaderFeed(&rd, stream->data + i, 1);
        while (xsReaderNext(&rd, &h, &payload) == XS_READER_MESSAGE) {
            got++;
            g_assert_cmpuint(h.req_id, ==, got);
            g_assert_cmpuint(payload[h.len], ==, 0);   /* extra terminator */
            if (got == 3) {
                g_assert_cmpuint(h.tx_id, ==, 5);
                g_assert_cmpmem(payload, h.len, "/b\0v", 4);
            }
            g_free(payload);
        }
    }
    g_assert_cmpuint(got, ==, 3);

    /* A header announcing more than 4096 bytes is refused before its
     * payload arrives. */
    xsHeaderEncode(&bigh, big);
    xsReaderFeed(&rd, big, sizeof(big));
    g_assert_cmpint(xsReaderNext(&rd, &h, &payload), ==, XS_READER_TOO_BIG);
    xsReaderClear(&rd);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/xs_wire/header", testHeader);
    g_test_add_func("/xs_wire/message-append", testMessageAppend);
    g_test_add_func("/xs_wire/type-names", testTypeNames);
    g_test_add_func("/xs_wire/errors", testErrors);
    g_test_add_func("/xs_wire/payload-strings", testPayloadStrings);
    g_test_add_func("/xs_wire/perms", testPerms);
    g_test_add_func("/xs_wire/reader", testReader);
    return g_test_run();
}
