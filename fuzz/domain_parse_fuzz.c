/*
 * domain_parse_fuzz.c: libFuzzer target for the domain XML parser.
 *
 * Feeds arbitrary bytes to xvDomainDefParseString (and the single-device
 * parser); whatever parses must format, and the formatted XML must parse
 * again and format to the same bytes, and parsing it as inactive must agree
 * with formatting it as inactive -- so the fuzzer hunts for round-trip bugs
 * as well as crashes and leaks.  Seed corpus: tests/domainxmldata/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "conf/domain_conf.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
checkRoundTrip(const xvDomainDef *def)
{
    g_autofree char *out = xvDomainDefFormat(def, XV_DOMAIN_FORMAT_SECURE);
    g_autofree char *out2 = NULL;
    g_autoptr(xvDomainDef) def2 = NULL;

    if (!out)
        abort();
    if (!(def2 = xvDomainDefParseString(out)))
        abort(); /* our own output must parse */
    if (!(out2 = xvDomainDefFormat(def2, XV_DOMAIN_FORMAT_SECURE)) || strcmp(out, out2) != 0)
        abort(); /* and format to the same bytes */
}

/* Parsing inactive must drop exactly what formatting inactive leaves out. */
static void
checkInactive(const char *xml, const xvDomainDef *def)
{
    g_autoptr(xvDomainDef) idef = xvDomainDefParseStringFlags(xml, XV_DOMAIN_PARSE_INACTIVE);
    g_autofree char *a = NULL;
    g_autofree char *b = xvDomainDefFormat(def, XV_DOMAIN_FORMAT_INACTIVE |
                                                XV_DOMAIN_FORMAT_SECURE);

    if (!idef || !b || !(a = xvDomainDefFormat(idef, XV_DOMAIN_FORMAT_SECURE)) ||
        strcmp(a, b) != 0)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = g_strndup((const char *)data, size);
    g_autoptr(xvDomainDef) def = NULL;
    g_autoptr(xvDomainDeviceDef) dev = NULL;

    if ((def = xvDomainDefParseString(xml))) {
        checkRoundTrip(def);
        checkInactive(xml, def);
    }
    if ((dev = xvDomainDeviceDefParseString(xml)))
        g_free(xvDomainDeviceDefFormat(dev, XV_DOMAIN_FORMAT_SECURE));
    xvErrorReset();
    return 0;
}
