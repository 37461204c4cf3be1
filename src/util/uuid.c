/*
 * uuid.c: see uuid.h.  GLib's g_uuid_string_is_valid rejects the dashless
 * form the seed uses, so parsing is done here.
 */
#include "util/uuid.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

int
xvUUIDParse(const char *str, unsigned char *uuid)
{
    const char *p = str;
    size_t n = 0;

    if (!str)
        return -1;
    while (g_ascii_isspace(*p))
        p++;
    while (n < XV_UUID_LEN) {
        if (*p == '-') {
            p++;
            continue;
        }
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]))
            return -1;
        uuid[n++] = (unsigned char)((g_ascii_xdigit_value(p[0]) << 4) |
                                    g_ascii_xdigit_value(p[1]));
        p += 2;
    }
    while (g_ascii_isspace(*p))
        p++;
    return *p == '\0' ? 0 : -1;
}

char *
xvUUIDFormat(const unsigned char *uuid, char *buf)
{
    snprintf(buf, XV_UUID_STRLEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7],
             uuid[8], uuid[9], uuid[10], uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
    return buf;
}

void
xvUUIDGenerate(unsigned char *uuid)
{
    g_autofree char *s = g_uuid_string_random();
    int rc = xvUUIDParse(s, uuid);
    g_assert(rc == 0);
}

bool
xvUUIDIsNull(const unsigned char *uuid)
{
    static const unsigned char zero[XV_UUID_LEN];
    return memcmp(uuid, zero, XV_UUID_LEN) == 0;
}
