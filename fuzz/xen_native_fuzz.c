/*
 * xen_native_fuzz.c: libFuzzer target for the native-format converters
 * (xen_sxpr.c, xen_xm.c, xen_xl.c through xen_native.c).
 *
 * The first byte picks the format (and for SXP the xend_config_format
 * version); the rest is the native text.  Whatever parses is formatted as
 * XML, the XML is read back, and the domain is written in every native
 * format and every xend version -- so the writers meet every def a reader
 * can produce.  Beyond "no crash, no leak" it checks two invariants (a
 * violation aborts so the fuzzer reports it): the XML of an accepted
 * config reads back, and what a native writer produces its reader accepts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "conf/domain_conf.h"
#include "util/error.h"
#include "xenconfig/xen_native.h"
#include "xenconfig/xen_sxpr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const formats[] = {
        XV_NATIVE_FORMAT_SXPR, XV_NATIVE_FORMAT_XM, XV_NATIVE_FORMAT_XL,
    };
    g_autofree char *text = NULL;
    g_autoptr(xvDomainDef) def = NULL;
    g_autoptr(xvDomainDef) back = NULL;
    g_autofree char *xml = NULL;
    unsigned int sel;

    if (size < 1)
        return 0;
    sel = data[0];
    text = g_strndup((const char *)data + 1, size - 1);

    if (sel % 3 == 0)
        def = xvSexprStringToDomainDef(text, (sel & 8) ? "/dev/pts/1" : NULL,
                                       (sel & 16) ? 5901 : -1, 1 + (sel / 3) % 4);
    else
        def = xvNativeToDomainDef(formats[sel % 3], text);
    if (!def) {
        xvErrorReset();
        return 0;
    }
    if (!(xml = xvDomainDefFormat(def, XV_DOMAIN_FORMAT_SECURE))) {
        xvErrorReset();
        return 0;
    }
    if (!(back = xvDomainDefParseString(xml))) {
        /* the XML we produce from an accepted config must read back */
        abort();
    }
    for (size_t f = 0; f < G_N_ELEMENTS(formats); f++) {
        g_autofree char *native = xvDomainDefToNative(formats[f], back);

        /* what a writer produces, its reader must accept */
        if (native) {
            g_autoptr(xvDomainDef) again = xvNativeToDomainDef(formats[f], native);
            if (!again)
                abort();
        }
        xvErrorReset();
    }
    for (int v = XV_XEND_CONFIG_VERSION_3_0_2; v <= XV_XEND_CONFIG_VERSION_3_1_0; v++) {
        g_autofree char *sxpr = xvDomainDefToSexpr(back, v);

        if (sxpr && sxpr[0] != '(')
            abort();
        xvErrorReset();
    }
    return 0;
}
