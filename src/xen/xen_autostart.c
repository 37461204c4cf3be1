/*
 * xen_autostart.c: whether a domain starts with the host: xend 3.0.4+ keeps it in the
 * managed config (on_xend_start), config-file hosts as a link in
 * /etc/xen/auto/ that the xendomains script follows at boot.
 */
#define XV_FROM VIR_FROM_XEN
#include "xen/xen_driver_priv.h"
#include "util/error.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* xend 3.0.4+: the managed config's (on_xend_start start|ignore).  Config
 * file hosts: a link in /etc/xen/auto/ to the domain's file, which is what
 * the xendomains init script starts at boot. */
static char *
autoLinkPath(xenPriv *p, const xenDomInfo *d)
{
    return g_strdup_printf("%s/etc/xen/auto/%s", p->root, d->name);
}

static xvSexpr *
xendRecord(xenPriv *p, const xenDomInfo *d)
{
    g_autofree char *esc = g_uri_escape_string(d->name, NULL, FALSE);
    g_autofree char *path = g_strdup_printf("/xend/domain/%s?detail=1", esc);
    xvSexpr *rec = NULL;

    if (xvXendGet(p->xend, path, &rec, NULL) < 0)
        return NULL;
    if (!rec)
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s gave an empty record for %s",
                      xvXendDescribe(p->xend), path);
    return rec;
}

static int
opGetAutostart(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    int *autostart = data;

    if (p->xend && p->xend_format >= XV_XEND_CONFIG_VERSION_3_0_4) {
        g_autoptr(xvSexpr) rec = xendRecord(p, d);
        const char *v;
        if (!rec)
            return -1;
        v = xvSexprNodeValue(rec, "domain/on_xend_start");
        *autostart = v && strcmp(v, "start") == 0;
        return 0;
    }
    if (p->cfgdir) {
        g_autofree char *link = autoLinkPath(p, d);
        *autostart = g_file_test(link, G_FILE_TEST_IS_SYMLINK) ? 1 : 0;
        return 0;
    }
    return xenNoChannel(p, "autostart", "xend 3.0.4+ or a config directory");
}

int
xenDomainGetAutostart(virDomainPtr dom, int *autostart)
{
    return xenWithDomain(dom, opGetAutostart, autostart);
}

static int
opSetAutostart(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    bool on = data != NULL;

    if (p->xend && p->xend_format >= XV_XEND_CONFIG_VERSION_3_0_4) {
        /* As libvirt did: post the record back to op=new with the one
         * field changed; xend replaces the managed config of that UUID. */
        g_autoptr(xvSexpr) rec = xendRecord(p, d);
        g_autofree char *config = NULL;
        bool replaced = false;

        if (!rec)
            return -1;
        for (guint i = 1; rec->kind == XV_SEXPR_LIST && i < rec->items->len; i++) {
            xvSexpr *kv = rec->items->pdata[i];
            if (g_strcmp0(xvSexprHead(kv), "on_xend_start") == 0 && kv->items->len == 2) {
                xvSexpr *v = kv->items->pdata[1];
                g_free(v->value);
                v->value = g_strdup(on ? "start" : "ignore");
                replaced = true;
            }
        }
        if (!replaced)
            xvSexprAddPair(rec, "on_xend_start", on ? "start" : "ignore", XV_SEXPR_QUOTE_NONE);
        config = xvSexprFormat(rec, XV_SEXPR_FORMAT_CONFIG);
        return xvXendPost(p->xend, "/xend/domain/", NULL, "op", "new", "config", config, NULL);
    }
    if (p->cfgdir) {
        g_autofree char *link = autoLinkPath(p, d);
        g_autofree char *dir = g_path_get_dirname(link);
        g_autofree char *target = g_strdup_printf("../%s", d->name);
        const xvDomainDef *file = xvXmDirLookupUUID(p->cfgdir, d->uuid);

        if (!file)
            return -1;
        if (!on) {
            if (unlink(link) < 0 && errno != ENOENT) {
                xvReportSystemError(errno, "cannot remove autostart link '%s'", link);
                return -1;
            }
            return 0;
        }
        if (g_mkdir_with_parents(dir, 0755) < 0) {
            xvReportSystemError(errno, "cannot create '%s'", dir);
            return -1;
        }
        if (symlink(target, link) < 0 && errno != EEXIST) {
            xvReportSystemError(errno, "cannot create autostart link '%s'", link);
            return -1;
        }
        return 0;
    }
    return xenNoChannel(p, "autostart", "xend 3.0.4+ or a config directory");
}

int
xenDomainSetAutostart(virDomainPtr dom, int autostart)
{
    return xenWithDomain(dom, opSetAutostart, autostart ? GINT_TO_POINTER(1) : NULL);
}
