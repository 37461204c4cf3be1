/*
 * xen_native.c: format name -> converter dispatch for offline conversion
 * (see xen_native.h).  The table below is the single list of formats; an
 * unknown name is VIR_ERR_INVALID_ARG naming it, as libvirt reports it.
 * SXP is read and written as xend 3.1+ (xend_config_format 4) speaks it,
 * the newest form and the one libvirt's converter used.
 */
#define XV_FROM VIR_FROM_XEN
#include "xenconfig/xen_native.h"

#include <string.h>

#include "util/error.h"
#include "xenconfig/sexpr.h"
#include "xenconfig/xen_cfg.h"
#include "xenconfig/xen_sxpr.h"
#include "xenconfig/xen_xm.h"
#include "xenconfig/xen_xl.h"

typedef enum {
    NATIVE_SXPR,
    NATIVE_XM,
    NATIVE_XL,
} nativeFormat;

static const struct {
    const char *name;
    nativeFormat fmt;
} formats[] = {
    {XV_NATIVE_FORMAT_SXPR, NATIVE_SXPR},
    {XV_NATIVE_FORMAT_XM, NATIVE_XM},
    {XV_NATIVE_FORMAT_XL, NATIVE_XL},
};

static int
lookupFormat(const char *name)
{
    for (size_t i = 0; name && i < G_N_ELEMENTS(formats); i++)
        if (strcmp(formats[i].name, name) == 0)
            return formats[i].fmt;
    xvReportError(VIR_ERR_INVALID_ARG, "unsupported config type %s", name ? name : "(null)");
    return -1;
}

xvDomainDef *
xvNativeToDomainDef(const char *format, const char *config)
{
    int fmt = lookupFormat(format);

    if (fmt < 0)
        return NULL;
    if (!config) {
        xvReportError(VIR_ERR_INVALID_ARG, "%s", "no native config given");
        return NULL;
    }
    if (fmt == NATIVE_SXPR)
        return xvSexprStringToDomainDef(config, NULL, -1, XV_XEND_CONFIG_VERSION_DEFAULT);
    {
        xvCfgDialect dialect = fmt == NATIVE_XM ? XV_CFG_DIALECT_XM : XV_CFG_DIALECT_XL;
        g_autoptr(xvCfg) cfg = xvCfgParse(NULL, config, strlen(config), dialect, NULL);

        if (!cfg)
            return NULL;
        return fmt == NATIVE_XM ? xvXMConfigToDomainDef(cfg, NULL)
                                : xvXLConfigToDomainDef(cfg, NULL);
    }
}

char *
xvDomainDefToNative(const char *format, const xvDomainDef *def)
{
    int fmt = lookupFormat(format);
    g_autoptr(xvCfg) cfg = NULL;

    if (fmt < 0)
        return NULL;
    if (def->virt_type != XV_DOMAIN_VIRT_XEN) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "domain '%s': type '%s' cannot be converted to %s", def->name,
                      xvDomainVirtTypeTypeToString(def->virt_type), format);
        return NULL;
    }
    if (fmt == NATIVE_SXPR)
        return xvDomainDefToSexpr(def, XV_XEND_CONFIG_VERSION_DEFAULT);
    cfg = fmt == NATIVE_XM ? xvDomainDefToXMConfig(def) : xvDomainDefToXLConfig(def);
    if (!cfg)
        return NULL;
    return xvCfgFormat(cfg);
}

char *
xvDomainXMLFromNative(const char *format, const char *config, unsigned int flags)
{
    g_autoptr(xvDomainDef) def = NULL;

    if (flags != 0) {
        xvReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x)", flags);
        return NULL;
    }
    if (!(def = xvNativeToDomainDef(format, config)))
        return NULL;
    /* a running domain's vif<domid>.<n> names are live state, not config */
    for (size_t i = 0; def->id >= 0 && i < def->nnets; i++) {
        g_autofree char *prefix = g_strdup_printf("vif%d.", def->id);

        if (def->nets[i]->ifname && g_str_has_prefix(def->nets[i]->ifname, prefix))
            g_clear_pointer(&def->nets[i]->ifname, g_free);
    }
    return xvDomainDefFormat(def, XV_DOMAIN_FORMAT_INACTIVE);
}

char *
xvDomainXMLToNative(const char *format, const char *xml, unsigned int flags)
{
    g_autoptr(xvDomainDef) def = NULL;

    if (flags != 0) {
        xvReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x)", flags);
        return NULL;
    }
    if (lookupFormat(format) < 0)
        return NULL;
    if (!xml) {
        xvReportError(VIR_ERR_INVALID_ARG, "%s", "no domain XML given");
        return NULL;
    }
    if (!(def = xvDomainDefParseString(xml)))
        return NULL;
    return xvDomainDefToNative(format, def);
}
