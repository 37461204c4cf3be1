/*
 * libxl_json_fuzz.c: libFuzzer target for the reader of libxl's
 * per-domain configuration (src/xen/libxl_json.c), the file the Xen
 * driver reads from /var/lib/xen for a running domain without xend.
 *
 * The first byte chooses which devices "xenstore still lists" (bit 0:
 * disks of even devid only, bit 1: NICs of odd devid only), the rest is
 * the document.  Beyond "no crash, no leak": an accepted document must
 * format as domain XML that our own parser reads back.
 */
#include <stdint.h>
#include <stdlib.h>

#include "conf/domain_conf.h"
#include "util/error.h"
#include "xen/libxl_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
keep(xvLibxlDevKind kind, int devid, void *opaque)
{
    unsigned int sel = *(const uint8_t *)opaque;

    if (kind == XV_LIBXL_DEV_VBD)
        return !(sel & 1) || devid % 2 == 0;
    return !(sel & 2) || devid % 2 == 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xvDomainDef *def;

    if (size < 1)
        return 0;
    def = xvLibxlJSONToDomainDef((const char *)data + 1, size - 1, "fuzz", keep, (void *)data);
    if (def) {
        char *xml = xvDomainDefFormat(def, 0);
        xvDomainDef *again = xml ? xvDomainDefParseString(xml) : NULL;
        if (!xml || !again)
            abort();
        xvDomainDefFree(again);
        g_free(xml);
        xvDomainDefFree(def);
    }
    xvErrorReset();
    return 0;
}
