/*
 * xen_driver.c: the Xen driver -- one virConnect over up to four channels
 * (hypercalls, XenStore, XenD, config files in /etc/xen), each operation
 * asking them in a fixed order: the fast read-only channels first
 * (hypercall, then xenstore), xend for what only the toolstack can do
 * (create, define, devices), the config directory for inactive domains on
 * hosts whose xend cannot keep them (xend < 3.0.4) or that have no xend.
 *
 * A channel that cannot be opened (no privilege, no daemon) is simply
 * absent; an operation none of the present channels can do reports
 * VIR_ERR_NO_SUPPORT naming what is missing.  All paths are under a root
 * prefix (URI ?root=DIR or $XENVIRT_XEN_ROOT), which is how tests point the
 * driver at a xensim host.  Channel I/O of one connection is serialised by
 * its mutex.  Domain shape conversions live in src/xenconfig/; this file
 * only decides who is asked what: opening, listing, lookup, definitions
 * and the life cycle.  The host's figures (xen_host.c), a domain's
 * resources (xen_tuning.c), counters (xen_stats.c), autostart
 * (xen_autostart.c) and devices (xen_devices.c) live beside it, sharing
 * xen_driver_priv.h.
 */
#define XV_FROM VIR_FROM_XEN
#include "xen/xen_driver_priv.h"
#include "util/error.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf/domain_conf.h"
#include "driver_util.h"
#include "util/uuid.h"
#include "xen/hypervisor.h"
#include "xen/libxl_state.h"
#include "xen/xend.h"
#include "xen/xenstore.h"
#include "xen/xm_dir.h"
#include "xenconfig/xen_native.h"
#include "xenconfig/xen_sxpr.h"

#define XEN_ROOT_ENV "XENVIRT_XEN_ROOT"

void
xenDomInfoClear(xenDomInfo *d)
{
    g_clear_pointer(&d->name, g_free);
}

/* ---- paths under the root --------------------------------------------- */

static char *
xenPath(xenPriv *p, const char *abs)
{
    return g_strconcat(p->root, abs, NULL);
}

static xvDomainDef *
cfgParse(const char *text, size_t len, const char *filename);
static char *
cfgFormat(const xvDomainDef *def);

/* The config directory's format is fixed per connection; the callbacks
 * cannot carry it, so a thread-local names it during a call. */
static _Thread_local const char *cfgFormatName;

static xvDomainDef *
cfgParse(const char *text, size_t len, const char *filename)
{
    g_autofree char *copy = g_strndup(text, len);
    return xvNativeToDomainDef(cfgFormatName ? cfgFormatName : XV_NATIVE_FORMAT_XL, copy);
}

static char *
cfgFormat(const xvDomainDef *def)
{
    return xvDomainDefToNative(cfgFormatName ? cfgFormatName : XV_NATIVE_FORMAT_XL, def);
}

void
xenLock(xenPriv *p)
{
    g_mutex_lock(&p->lock);
    cfgFormatName = p->cfg_format;
}

void
xenUnlock(xenPriv *p)
{
    g_mutex_unlock(&p->lock);
}

/* ---- open / close ----------------------------------------------------- */

static void
noteAbsent(xenPriv *p, const char *channel)
{
    virErrorPtr err = virGetLastError();
    g_string_append_printf(p->absent, "%s%s: %s", p->absent->len ? "; " : "", channel,
                           err && err->message ? err->message : "unavailable");
    virResetLastError();
}

static int
xendProbe(xenPriv *p)
{
    g_autoptr(xvSexpr) node = NULL;
    int status = 0;

    if (xvXendGet(p->xend, "/xend/node/", &node, &status) < 0 || !node)
        return -1;
    p->xend_format = XV_XEND_CONFIG_VERSION_3_0_2; /* absent before 3.0.3 */
    for (guint i = 1; node->kind == XV_SEXPR_LIST && i < node->items->len; i++) {
        const xvSexpr *kv = node->items->pdata[i];
        const xvSexpr *k, *v;
        if (kv->kind != XV_SEXPR_LIST || kv->items->len < 2)
            continue;
        k = kv->items->pdata[0];
        v = kv->items->pdata[1];
        if (k->kind == XV_SEXPR_ATOM && v->kind == XV_SEXPR_ATOM &&
            strcmp(k->value, "xend_config_format") == 0)
            p->xend_format = (int)g_ascii_strtoll(v->value, NULL, 10);
    }
    return 0;
}

static void
xenPrivFree(xenPriv *p)
{
    if (!p)
        return;
    xvHvClose(p->hv);
    xvXsClose(p->xs);
    xvXendFree(p->xend);
    xvXmDirFree(p->cfgdir);
    if (p->names)
        g_hash_table_destroy(p->names);
    if (p->absent)
        g_string_free(p->absent, TRUE);
    g_mutex_clear(&p->lock);
    g_free(p->root);
    g_free(p);
}

static xvDrvOpenStatus
xenConnectOpen(virConnectPtr conn, GUri *uri, const char *name, unsigned int flags)
{
    const char *scheme = g_uri_get_scheme(uri);
    const char *path = g_uri_get_path(uri);
    const char *host = g_uri_get_host(uri);
    g_autoptr(GHashTable) params = NULL;
    const char *root = NULL;
    xenPriv *p;
    bool remote;

    if (g_strcmp0(scheme, "xen") != 0 && g_strcmp0(scheme, "http") != 0)
        return XV_DRV_OPEN_DECLINED;
    remote = g_strcmp0(scheme, "http") == 0;
    if (!remote) {
        if (host && *host) {
            xvReportError(VIR_ERR_NO_SUPPORT, "remote Xen URI '%s' (no remote driver; use "
                          "http://HOST:8000/ to reach a xend over TCP)", name);
            return XV_DRV_OPEN_ERROR;
        }
        if (path && *path && strcmp(path, "/") != 0 && strcmp(path, "/system") != 0) {
            xvReportError(VIR_ERR_INVALID_ARG, "unexpected Xen URI path '%s' in '%s' (use "
                          "xen:/// or xen:///system)", path, name);
            return XV_DRV_OPEN_ERROR;
        }
    }
    if (g_uri_get_query(uri)) {
        params = g_uri_parse_params(g_uri_get_query(uri), -1, "&", G_URI_PARAMS_NONE, NULL);
        if (params)
            root = g_hash_table_lookup(params, "root");
    }
    if (!root)
        root = g_getenv(XEN_ROOT_ENV);
    if (root && *root && !g_path_is_absolute(root)) {
        xvReportError(VIR_ERR_INVALID_ARG, "Xen root '%s' must be an absolute path", root);
        return XV_DRV_OPEN_ERROR;
    }

    p = g_new0(xenPriv, 1);
    g_mutex_init(&p->lock);
    p->root = g_strdup(root && strcmp(root, "/") != 0 ? root : "");
    p->readonly = flags & VIR_CONNECT_RO;
    p->remote = remote;
    p->absent = g_string_new(NULL);
    p->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

    if (remote) {
        p->xend = xvXendNewTCP(host, g_uri_get_port(uri) > 0 ? g_uri_get_port(uri) : 8000, 0);
        if (xendProbe(p) < 0) {
            xenPrivFree(p);
            return XV_DRV_OPEN_ERROR;
        }
    } else {
        g_autofree char *sock = xenPath(p, XV_XEND_DEFAULT_SOCKET);
        g_autofree char *xs_rw = xenPath(p, XV_XS_DEFAULT_SOCKET);
        g_autofree char *xs_ro = xenPath(p, XV_XS_DEFAULT_SOCKET_RO);
        g_autofree char *xenbus = xenPath(p, "/dev/xen/xenbus");
        g_autofree char *procbus = xenPath(p, "/proc/xen/xenbus");
        g_autofree char *etc = xenPath(p, "/etc/xen");
        const char *xspaths[] = {p->readonly ? xs_ro : xs_rw, xs_rw, xenbus, procbus, NULL};

        if (!(p->hv = xvHvOpen(*p->root ? p->root : NULL)))
            noteAbsent(p, "hypervisor");
        if (!(p->xs = xvXsOpen(xspaths, 0)))
            noteAbsent(p, "xenstore");
        p->xend = xvXendNewUnix(sock, 0);
        if (xendProbe(p) < 0) {
            noteAbsent(p, "xend");
            g_clear_pointer(&p->xend, xvXendFree);
        }
        /* Inactive domains live in files where xend cannot keep them. */
        if (!p->xend || p->xend_format < XV_XEND_CONFIG_VERSION_3_0_4) {
            p->cfg_format = p->xend ? XV_NATIVE_FORMAT_XM : XV_NATIVE_FORMAT_XL;
            if (!(p->cfgdir = xvXmDirOpen(etc, cfgParse, cfgFormat)))
                noteAbsent(p, "config directory");
        }
        if (!p->hv && !p->xs && !p->xend) {
            xvReportError(VIR_ERR_NO_CONNECT, "%s: no Xen channel could be opened (%s)", name,
                          p->absent->str);
            xenPrivFree(p);
            return XV_DRV_OPEN_ERROR;
        }
    }
    conn->priv = p;
    return XV_DRV_OPEN_SUCCESS;
}

static int
xenConnectClose(virConnectPtr conn)
{
    xenPrivFree(PRIV(conn));
    conn->priv = NULL;
    return 0;
}

int
xenNoChannel(xenPriv *p, const char *what, const char *needs)
{
    xvReportError(VIR_ERR_NO_SUPPORT, "%s needs %s, which this connection lacks (%s)", what,
                  needs, p->absent->len ? p->absent->str : "remote xend only");
    return -1;
}

int
xenStoreDefinition(xenPriv *p, const xvDomainDef *def, const char *what)
{
    if (p->xend && p->xend_format >= XV_XEND_CONFIG_VERSION_3_0_4) {
        g_autofree char *sxp = xvDomainDefToSexpr(def, p->xend_format);
        return sxp ? xvXendPost(p->xend, "/xend/domain/", NULL, "op", "new", "config", sxp, NULL)
                   : -1;
    }
    if (p->cfgdir)
        return xvXmDirDefine(p->cfgdir, def);
    return xenNoChannel(p, what, "xend 3.0.4+ or a config directory");
}

/* ---- domain facts ----------------------------------------------------- */

/* State from the hypervisor's flags (hypervisor_abi.c decides the
 * priority); the reason is what the flags can tell. */
static void
stateFromHv(const xvHvDomainInfo *hi, int *state, int *reason)
{
    *state = xvHvDomainInfoState(hi);
    switch (*state) {
    case VIR_DOMAIN_SHUTOFF:
        *reason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
        break;
    default:
        *reason = 0; /* every state's UNKNOWN reason */
        break;
    }
}

/* The name of an active domain, from xenstore (what xl and xend write). */
static char *
xsDomainName(xenPriv *p, int id)
{
    g_autofree char *path = g_strdup_printf("/local/domain/%d/name", id);
    char *v = NULL;

    if (!p->xs)
        return id == 0 ? g_strdup("Domain-0") : NULL;
    if (xvXsRead(p->xs, XV_XS_NO_TX, path, &v, NULL) <= 0) {
        virResetLastError();
        return id == 0 ? g_strdup("Domain-0") : NULL;
    }
    return v;
}

char *
xenXsReadDom(xenPriv *p, int id, const char *rel)
{
    g_autofree char *path = g_strdup_printf("/local/domain/%d/%s", id, rel);
    char *v = NULL;

    if (xvXsRead(p->xs, XV_XS_NO_TX, path, &v, NULL) <= 0)
        virResetLastError();
    return v;
}

/* UUID and memory of an active domain from xenstore alone. */
static void
xsDomainFacts(xenPriv *p, xenDomInfo *d)
{
    g_autofree char *vm = xenXsReadDom(p, d->id, "vm");
    g_autofree char *target = xenXsReadDom(p, d->id, "memory/target");
    g_autofree char *smax = xenXsReadDom(p, d->id, "memory/static-max");
    const char *slash = vm ? strrchr(vm, '/') : NULL;

    if (slash && xvUUIDParse(slash + 1, d->uuid) < 0)
        memset(d->uuid, 0, sizeof(d->uuid));
    if (target)
        d->cur_kib = g_ascii_strtoull(target, NULL, 10);
    d->max_kib = smax ? g_ascii_strtoull(smax, NULL, 10) : d->cur_kib;
}

/* The name of an active domain, cached under its (domid, uuid): a domid
 * reused by a new domain comes with a new UUID, so a listing of N running
 * domains costs one hypercall and no xenstore reads once names are known.
 * A rename behind our back (xl rename) shows in listings of this
 * connection once a lookup by name has read the names afresh
 * (findDomain). */
static char *
cachedDomainName(xenPriv *p, int id, const unsigned char *uuid)
{
    char ubuf[XV_UUID_STRLEN];
    g_autofree char *key = g_strdup_printf("%d:%s", id, xvUUIDFormat(uuid, ubuf));
    const char *hit = g_hash_table_lookup(p->names, key);
    char *name;

    if (hit)
        return g_strdup(hit);
    if (!(name = xsDomainName(p, id)))
        return NULL;
    if (g_hash_table_size(p->names) > 4 * 32768) /* more than any host has domids */
        g_hash_table_remove_all(p->names);
    g_hash_table_insert(p->names, g_steal_pointer(&key), g_strdup(name));
    return name;
}

static void
infoFromHv(xenPriv *p, const xvHvDomainInfo *hi, xenDomInfo *d)
{
    d->id = hi->domid;
    memcpy(d->uuid, hi->handle, 16);
    stateFromHv(hi, &d->state, &d->reason);
    d->cur_kib = hi->totPages * XEN_PAGE_KIB;
    /* Domain-0 may have no limit (~0 pages): report what it has. */
    d->max_kib = hi->maxPages >= (G_MAXUINT64 / XEN_PAGE_KIB) || hi->maxPages >= 0xffffffffULL
                     ? d->cur_kib
                     : hi->maxPages * XEN_PAGE_KIB;
    d->vcpus = hi->nrOnlineVcpus;
    d->cpu_ns = hi->cpuTime;
}

/* Without hypercalls and xenstore (a remote xend, http://HOST:PORT/): the
 * live domains xend lists, one record each, as libvirt's xend driver did.
 * State from the record's flag string (crashed, shutoff, dying, paused,
 * blocked, running in that precedence, spec/xend.md 4.2). */
static int
listActiveXend(xenPriv *p, GArray *out)
{
    g_autoptr(xvSexpr) names = NULL;
    const char *path = p->xend_format >= XV_XEND_CONFIG_VERSION_3_0_4 ? "/xend/domain?state=all"
                                                                      : "/xend/domain";

    if (xvXendGet(p->xend, path, &names, NULL) < 0)
        return -1;
    for (guint i = 0; names && names->kind == XV_SEXPR_LIST && i < names->items->len; i++) {
        const xvSexpr *n = names->items->pdata[i];
        g_autofree char *rpath = NULL;
        g_autoptr(xvSexpr) rec = NULL;
        xenDomInfo d = {.id = -1, .state = VIR_DOMAIN_NOSTATE};
        const char *uuid, *st;
        unsigned long long mib = 0;
        unsigned int vcpus = 0;
        double cpu = 0;

        if (n->kind != XV_SEXPR_ATOM)
            continue;
        rpath = g_strdup_printf("/xend/domain/%s?detail=1", n->value);
        if (xvXendGet(p->xend, rpath, &rec, NULL) < 0 || !rec ||
            xvSexprGetDomid(rec, &d.id) < 0 || d.id < 0 ||
            !(uuid = xvSexprNodeValue(rec, "domain/uuid")) || xvUUIDParse(uuid, d.uuid) < 0) {
            virResetLastError(); /* gone, or not running */
            continue;
        }
        if (xvSexprGetULongLong(rec, "domain/memory", &mib) > 0)
            d.cur_kib = mib * 1024;
        if (xvSexprGetULongLong(rec, "domain/maxmem", &mib) > 0)
            d.max_kib = mib * 1024;
        if (xvSexprGetUInt(rec, "domain/online_vcpus", &vcpus) > 0 ||
            xvSexprGetUInt(rec, "domain/vcpus", &vcpus) > 0)
            d.vcpus = vcpus;
        if (xvSexprGetDouble(rec, "domain/cpu_time", &cpu) > 0)
            d.cpu_ns = (unsigned long long)(cpu * 1e9);
        virResetLastError();
        st = xvSexprNodeValueDefault(rec, "domain/state", "");
        d.state = strchr(st, 'c') ? VIR_DOMAIN_CRASHED : strchr(st, 's') ? VIR_DOMAIN_SHUTOFF
                  : strchr(st, 'd') ? VIR_DOMAIN_SHUTDOWN : strchr(st, 'p') ? VIR_DOMAIN_PAUSED
                  : strchr(st, 'b') ? VIR_DOMAIN_BLOCKED : strchr(st, 'r') ? VIR_DOMAIN_RUNNING
                  : VIR_DOMAIN_NOSTATE;
        d.name = g_strdup(n->value);
        g_array_append_val(out, d);
    }
    return 0;
}

/* Every active domain: one hypercall batch; names from xenstore. */
static int
listActive(xenPriv *p, GArray *out /* xenDomInfo */, bool names)
{
    g_autoptr(GArray) his = NULL;

    if (!p->hv) {
        /* Without hypercalls (unprivileged, or no hypervisor interface):
         * what the toolstack wrote in xenstore -- name, the /vm/UUID path,
         * memory target and static maximum.  The run state is not there. */
        g_auto(GStrv) ids = NULL;
        if (!p->xs && p->xend)
            return listActiveXend(p, out);
        if (!p->xs)
            return xenNoChannel(p, "listing domains", "the hypercall or xenstore channel");
        if (xvXsDirectory(p->xs, XV_XS_NO_TX, "/local/domain", &ids) < 0)
            return -1;
        for (size_t i = 0; ids && ids[i]; i++) {
            xenDomInfo d = {.id = (int)g_ascii_strtoll(ids[i], NULL, 10),
                            .state = VIR_DOMAIN_NOSTATE};
            xsDomainFacts(p, &d);
            if (names)
                d.name = xsDomainName(p, d.id);
            g_array_append_val(out, d);
        }
        return 0;
    }
    if (xvHvListDomains(p->hv, &his) < 0)
        return -1;
    for (guint i = 0; i < his->len; i++) {
        xenDomInfo d = {0};
        infoFromHv(p, &g_array_index(his, xvHvDomainInfo, i), &d);
        if (names)
            d.name = cachedDomainName(p, d.id, d.uuid);
        g_array_append_val(out, d);
    }
    return 0;
}

/* Inactive domains: xend's managed domains (3.0.4+) or config files. */
static int
listInactive(xenPriv *p, GArray *out /* xenDomInfo */)
{
    if (p->xend && p->xend_format >= XV_XEND_CONFIG_VERSION_3_0_4) {
        g_autoptr(xvSexpr) names = NULL;
        if (xvXendGet(p->xend, "/xend/domain?state=halted", &names, NULL) < 0)
            return -1;
        for (guint i = 0; names && names->kind == XV_SEXPR_LIST && i < names->items->len; i++) {
            const xvSexpr *n = names->items->pdata[i];
            g_autofree char *path = NULL;
            g_autoptr(xvSexpr) rec = NULL;
            g_autoptr(xvDomainDef) def = NULL;
            xenDomInfo d = {.id = -1, .state = VIR_DOMAIN_SHUTOFF, .persistent = true};

            if (n->kind != XV_SEXPR_ATOM)
                continue;
            path = g_strdup_printf("/xend/domain/%s?detail=1", n->value);
            if (xvXendGet(p->xend, path, &rec, NULL) < 0 || !rec) {
                virResetLastError(); /* gone between the two requests */
                continue;
            }
            if (!(def = xvSexprToDomainDef(rec, NULL, -1, p->xend_format))) {
                virResetLastError();
                continue;
            }
            d.name = g_strdup(def->name);
            memcpy(d.uuid, def->uuid, 16);
            d.max_kib = def->max_memory;
            d.cur_kib = def->current_memory ? def->current_memory : def->max_memory;
            d.vcpus = def->vcpus_current ? def->vcpus_current : def->vcpus;
            g_array_append_val(out, d);
        }
        return 0;
    }
    if (p->cfgdir) {
        GPtrArray *defs = xvXmDirList(p->cfgdir);
        if (!defs)
            return -1;
        for (guint i = 0; i < defs->len; i++) {
            const xvDomainDef *def = defs->pdata[i];
            xenDomInfo d = {.id = -1, .state = VIR_DOMAIN_SHUTOFF, .persistent = true};
            d.name = g_strdup(def->name);
            memcpy(d.uuid, def->uuid, 16);
            d.max_kib = def->max_memory;
            d.cur_kib = def->current_memory ? def->current_memory : def->max_memory;
            d.vcpus = def->vcpus_current ? def->vcpus_current : def->vcpus;
            g_array_append_val(out, d);
        }
    }
    return 0;
}

static bool domPersistent(xenPriv *p, const unsigned char *uuid);

/* All domains, active first; an inactive entry whose UUID is running is
 * the persistent config of that running domain, not a second domain. */
static GArray *
listAll(xenPriv *p, bool active, bool inactive)
{
    GArray *all = g_array_new(FALSE, TRUE, sizeof(xenDomInfo));
    g_autoptr(GArray) off = g_array_new(FALSE, TRUE, sizeof(xenDomInfo));

    g_array_set_clear_func(all, (GDestroyNotify)xenDomInfoClear);
    g_array_set_clear_func(off, (GDestroyNotify)xenDomInfoClear);
    if (listActive(p, all, true) < 0)
        goto error;
    for (guint i = 0; i < all->len; i++) {
        xenDomInfo *a = &g_array_index(all, xenDomInfo, i);
        if (a->id > 0)
            a->persistent = domPersistent(p, a->uuid);
    }
    if (inactive) {
        if (listInactive(p, off) < 0)
            goto error;
        for (guint i = 0; i < off->len; i++) {
            xenDomInfo *o = &g_array_index(off, xenDomInfo, i);
            bool running = false;
            for (guint j = 0; j < all->len && !running; j++) {
                xenDomInfo *a = &g_array_index(all, xenDomInfo, j);
                if (memcmp(a->uuid, o->uuid, 16) == 0) {
                    a->persistent = true;
                    running = a->id >= 0;
                }
            }
            if (!running) {
                g_array_append_val(all, *o);
                memset(o, 0, sizeof(*o)); /* moved */
            }
        }
    }
    if (!active) {
        for (guint i = all->len; i-- > 0;)
            if (g_array_index(all, xenDomInfo, i).id >= 0)
                g_array_remove_index(all, i);
    }
    return all;

 error:
    g_array_free(all, TRUE);
    return NULL;
}

/* Find one domain by id, name or uuid among everything the host has. */
typedef enum { FIND_ID, FIND_NAME, FIND_UUID } findBy;

static int
findDomain(xenPriv *p, findBy by, int id, const char *name, const unsigned char *uuid,
           xenDomInfo *out)
{
    char buf[XV_UUID_STRLEN];

    /* Names are cached per connection (cachedDomainName), so the one found
     * is read again: a domain renamed behind our back (xl rename) gets its
     * new name, and by name a second pass with every name read afresh finds
     * it under that name and no longer under the old one. */
    for (int pass = 0; pass < (by == FIND_NAME ? 2 : 1); pass++) {
        g_autoptr(GArray) all = listAll(p, true, by != FIND_ID);
        bool renamed = false;

        if (!all)
            return -1;
        for (guint i = 0; i < all->len && !renamed; i++) {
            xenDomInfo *d = &g_array_index(all, xenDomInfo, i);
            g_autofree char *now = NULL;

            if (!((by == FIND_ID && d->id == id) ||
                  (by == FIND_NAME && d->name && strcmp(d->name, name) == 0) ||
                  (by == FIND_UUID && memcmp(d->uuid, uuid, 16) == 0)))
                continue;
            if (d->id > 0 && p->xs && (now = xsDomainName(p, d->id)) &&
                g_strcmp0(now, d->name) != 0) {
                g_hash_table_remove_all(p->names);
                if (by == FIND_NAME) {
                    renamed = true;
                    continue;
                }
                g_free(d->name);
                d->name = g_steal_pointer(&now);
            }
            *out = *d;
            memset(d, 0, sizeof(*d));
            return 0;
        }
        g_hash_table_remove_all(p->names);
    }
    if (by == FIND_ID)
        xvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching id %d", id);
    else if (by == FIND_NAME)
        xvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", name);
    else
        xvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s'",
                      xvUUIDFormat(uuid, buf));
    return -1;
}

/* Whether a running domain has a persistent config.  Config-file hosts:
 * a file with its UUID.  xend 3.0.4+ lists managed domains only while they
 * are halted, but keeps each one's config in
 * /var/lib/xend/domains/UUID/config.sxp on its host, which a local
 * connection can see (a remote http:// one cannot: it reads transient). */
static bool
domPersistent(xenPriv *p, const unsigned char *uuid)
{
    if (p->cfgdir)
        return xvXmDirHasUUID(p->cfgdir, uuid);
    if (p->xend && p->xend_format >= XV_XEND_CONFIG_VERSION_3_0_4 && !p->remote) {
        char ubuf[XV_UUID_STRLEN];
        g_autofree char *cfg = g_strdup_printf("%s/var/lib/xend/domains/%s/config.sxp", p->root,
                                               xvUUIDFormat(uuid, ubuf));
        return g_file_test(cfg, G_FILE_TEST_IS_REGULAR);
    }
    return false;
}

/* A guest's maximum is the balloon ceiling the toolstack wrote to
 * memory/static-max (xl's maxmem, `xl list -l` max_memkb).  The
 * hypervisor's max_pages is not it under libxl, which keeps max_pages at
 * the balloon target plus a 1 MiB slack: seen on real Xen 4.17.  xend
 * instead sets max_pages to the maximum itself (maxmem_set), so with xend
 * the hypervisor's figure stands. */
static void
staticMax(xenPriv *p, xenDomInfo *d)
{
    g_autofree char *smax = NULL;

    if (p->xend || d->id <= 0 || !p->xs ||
        !(smax = xenXsReadDom(p, d->id, "memory/static-max")))
        return;
    d->max_kib = g_ascii_strtoull(smax, NULL, 10);
}

/* The current facts of dom (looked up by UUID: names and ids change). */
int
xenDomInfoGet(xenPriv *p, virDomainPtr dom, xenDomInfo *out)
{
    /* Fast path: the domain still runs under the id we know -- one
     * hypercall.  Otherwise (stopped, restarted, inactive) search all. */
    if (p->hv && dom->id >= 0) {
        xvHvDomainInfo hi;
        if (xvHvGetDomainInfo(p->hv, (guint32)dom->id, &hi) == 0 &&
            memcmp(hi.handle, dom->uuid, 16) == 0) {
            memset(out, 0, sizeof(*out));
            infoFromHv(p, &hi, out);
            out->name = g_strdup(dom->name);
            out->persistent = domPersistent(p, dom->uuid);
            staticMax(p, out);
            return 0;
        }
        virResetLastError();
    }
    if (findDomain(p, FIND_UUID, 0, NULL, dom->uuid, out) < 0)
        return -1;
    dom->id = out->id;
    if (p->hv)
        staticMax(p, out);
    return 0;
}

/* ---- listing API ------------------------------------------------------ */

static int
xenConnectNumOfDomains(virConnectPtr conn)
{
    xenPriv *p = PRIV(conn);
    g_autoptr(GArray) a = g_array_new(FALSE, TRUE, sizeof(xenDomInfo));
    int rc;

    g_array_set_clear_func(a, (GDestroyNotify)xenDomInfoClear);
    xenLock(p);
    rc = listActive(p, a, false);
    xenUnlock(p);
    return rc < 0 ? -1 : (int)a->len;
}

static int
xenConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    xenPriv *p = PRIV(conn);
    g_autoptr(GArray) a = g_array_new(FALSE, TRUE, sizeof(xenDomInfo));
    int n = 0;

    g_array_set_clear_func(a, (GDestroyNotify)xenDomInfoClear);
    xenLock(p);
    if (listActive(p, a, false) < 0) {
        xenUnlock(p);
        return -1;
    }
    xenUnlock(p);
    for (guint i = 0; i < a->len && n < maxids; i++)
        ids[n++] = g_array_index(a, xenDomInfo, i).id;
    return n;
}

static int
xenConnectNumOfDefinedDomains(virConnectPtr conn)
{
    xenPriv *p = PRIV(conn);
    g_autoptr(GArray) a = NULL;

    xenLock(p);
    a = listAll(p, false, true);
    xenUnlock(p);
    return a ? (int)a->len : -1;
}

static int
xenConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    xenPriv *p = PRIV(conn);
    g_autoptr(GArray) a = NULL;
    int n = 0;

    xenLock(p);
    a = listAll(p, false, true);
    xenUnlock(p);
    if (!a)
        return -1;
    for (guint i = 0; i < a->len && n < maxnames; i++)
        names[n++] = g_strdup(g_array_index(a, xenDomInfo, i).name);
    return n;
}

static int
xenConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    xenPriv *p = PRIV(conn);
    g_autoptr(GArray) a = NULL;
    GPtrArray *out;
    bool wantInactive = !(flags & VIR_CONNECT_LIST_DOMAINS_ACTIVE) ||
                        (flags & VIR_CONNECT_LIST_DOMAINS_INACTIVE);

    if (flags & (VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART)) {
        xvReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "autostart filters are not supported by "
                      "the Xen driver");
        return -1;
    }
    xenLock(p);
    a = listAll(p, true, wantInactive);
    xenUnlock(p);
    if (!a)
        return -1;
    out = g_ptr_array_new();
    for (guint i = 0; i < a->len; i++) {
        xenDomInfo *d = &g_array_index(a, xenDomInfo, i);
        if (!xvDomainMatchListFlags(d->id >= 0, d->persistent, d->state, false, flags))
            continue;
        g_ptr_array_add(out, domains ? xvGetDomain(conn, d->name ? d->name : "", d->uuid, d->id)
                                     : NULL);
    }
    if (domains) {
        int n = (int)out->len;
        g_ptr_array_add(out, NULL);
        *domains = (virDomainPtr *)g_ptr_array_free(out, FALSE);
        return n;
    } else {
        int n = (int)out->len;
        g_ptr_array_free(out, TRUE);
        return n;
    }
}

static virDomainPtr
lookup(virConnectPtr conn, findBy by, int id, const char *name, const unsigned char *uuid)
{
    xenPriv *p = PRIV(conn);
    xenDomInfo d = {0};
    virDomainPtr ret = NULL;

    xenLock(p);
    if (findDomain(p, by, id, name, uuid, &d) == 0)
        ret = xvGetDomain(conn, d.name ? d.name : "", d.uuid, d.id);
    xenUnlock(p);
    xenDomInfoClear(&d);
    return ret;
}

static virDomainPtr
xenDomainLookupByID(virConnectPtr conn, int id)
{
    return lookup(conn, FIND_ID, id, NULL, NULL);
}

static virDomainPtr
xenDomainLookupByName(virConnectPtr conn, const char *name)
{
    return lookup(conn, FIND_NAME, 0, name, NULL);
}

static virDomainPtr
xenDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    return lookup(conn, FIND_UUID, 0, NULL, uuid);
}

/* ---- per-domain queries ----------------------------------------------- */

/* The current facts of dom, read under the connection's lock, for calls
 * that only look at them. */
static int
xenDomInfoLocked(virDomainPtr dom, xenDomInfo *out)
{
    xenPriv *p = PRIV(dom->conn);
    int rc;

    xenLock(p);
    rc = xenDomInfoGet(p, dom, out);
    xenUnlock(p);
    return rc;
}

static int
xenDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    xenDomInfo d = {0};

    if (xenDomInfoLocked(dom, &d) < 0)
        return -1;
    info->state = (unsigned char)d.state;
    info->maxMem = (unsigned long)d.max_kib;
    info->memory = (unsigned long)d.cur_kib;
    info->nrVirtCpu = (unsigned short)d.vcpus;
    info->cpuTime = d.cpu_ns;
    xenDomInfoClear(&d);
    return 0;
}

static int
xenDomainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    xenDomInfo d = {0};

    XV_CHECK_FLAGS(flags, 0, -1);
    if (xenDomInfoLocked(dom, &d) < 0)
        return -1;
    *state = d.state;
    *reason = d.reason;
    xenDomInfoClear(&d);
    return 0;
}

static int
xenDomainIsActive(virDomainPtr dom)
{
    xenDomInfo d = {0};
    int rc;

    if (xenDomInfoLocked(dom, &d) < 0)
        return -1;
    rc = d.id >= 0;
    xenDomInfoClear(&d);
    return rc;
}

static int
xenDomainIsPersistent(virDomainPtr dom)
{
    xenDomInfo d = {0};
    int rc;

    if (xenDomInfoLocked(dom, &d) < 0)
        return -1;
    rc = d.persistent;
    xenDomInfoClear(&d);
    return rc;
}

/* A running domain's configuration as libxl keeps it (no xend: Xen 4.5+),
 * with the live figures (see libxl_state.h).  NULL (no error kept) when
 * libxl keeps none for it or the file cannot be read: the caller falls
 * back to less. */
static xvDomainDef *
libxlLiveDef(xenPriv *p, const xenDomInfo *d)
{
    xvLibxlLive live = {d->name, d->max_kib, d->cur_kib, d->vcpus};
    xvDomainDef *def;

    if (d->id <= 0 || p->xend)
        return NULL;
    if (!(def = xvLibxlLiveDomainDef(p->root, p->xs, d->id, d->uuid, &live)))
        virResetLastError();
    return def;
}

/* The full definition: xend's record (live or managed); without xend, for
 * a running domain what libxl keeps of it (unless the persistent config
 * is asked for), else the config file; else what hypercalls and xenstore
 * tell of a running domain. */
static xvDomainDef *
domDefFlags(xenPriv *p, virDomainPtr dom, xenDomInfo *d, bool inactive)
{
    xvDomainDef *def = NULL;

    if (xenDomInfoGet(p, dom, d) < 0)
        return NULL;
    if (d->id > 0 && !p->xend &&
        !(inactive && p->cfgdir && xvXmDirLookupUUID(p->cfgdir, d->uuid)) &&
        (def = libxlLiveDef(p, d))) {
        def->id = d->id;
        return def;
    }
    virResetLastError();
    /* An inactive domain on a host whose xend cannot keep it (< 3.0.4)
     * exists only as its config file. */
    if (d->id < 0 && p->cfgdir) {
        const xvDomainDef *file = xvXmDirLookupUUID(p->cfgdir, d->uuid);
        if (!file)
            return NULL;
        def = xvDomainDefCopy(file);
    } else if (p->xend) {
        g_autofree char *path = NULL;
        g_autofree char *tty = NULL;
        g_autoptr(xvSexpr) rec = NULL;
        int vncport = -1;

        if (d->id >= 0) {
            g_autofree char *ttyp = g_strdup_printf("/local/domain/%d/console/tty", d->id);
            g_autofree char *vncp = g_strdup_printf("/local/domain/%d/console/vnc-port", d->id);
            char *v = NULL;
            if (p->xs && xvXsRead(p->xs, XV_XS_NO_TX, ttyp, &tty, NULL) < 0)
                virResetLastError();
            if (p->xs && xvXsRead(p->xs, XV_XS_NO_TX, vncp, &v, NULL) == 1)
                vncport = (int)g_ascii_strtoll(v, NULL, 10);
            g_free(v);
            virResetLastError();
            path = g_strdup_printf("/xend/domain/%d?detail=1", d->id);
        } else {
            g_autofree char *esc = g_uri_escape_string(d->name, NULL, FALSE);
            path = g_strdup_printf("/xend/domain/%s?detail=1", esc);
        }
        if (xvXendGet(p->xend, path, &rec, NULL) < 0)
            return NULL;
        if (!rec) {
            xvReportError(VIR_ERR_INTERNAL_ERROR, "%s gave an empty record for %s",
                          xvXendDescribe(p->xend), path);
            return NULL;
        }
        def = xvSexprToDomainDef(rec, tty, vncport, p->xend_format);
    } else if (p->cfgdir) {
        const xvDomainDef *file = xvXmDirLookupUUID(p->cfgdir, d->uuid);
        if (file)
            def = xvDomainDefCopy(file);
        else if (d->id < 0)
            return NULL;
        else
            virResetLastError();
    }
    if (!def && d->id >= 0) {
        /* A running domain nobody keeps a config for (made by hand or by
         * another toolstack): what the fast channels tell. */
        def = xvDomainDefNew();
        def->virt_type = XV_DOMAIN_VIRT_XEN;
        def->name = g_strdup(d->name);
        memcpy(def->uuid, d->uuid, 16);
        def->has_uuid = true;
        def->max_memory = d->max_kib;
        def->current_memory = d->cur_kib;
        def->vcpus = d->vcpus;
        def->os_type = XV_DOMAIN_OS_XEN;
        if (p->xs && d->id > 0) {
            /* libxl records the guest type under /libxl/DOMID/type */
            g_autofree char *tpath = g_strdup_printf("/libxl/%d/type", d->id);
            g_autofree char *type = NULL;
            if (xvXsRead(p->xs, XV_XS_NO_TX, tpath, &type, NULL) <= 0)
                virResetLastError();
            else if (strcmp(type, "pvh") == 0)
                def->os_type = XV_DOMAIN_OS_XENPVH;
            else if (strcmp(type, "hvm") == 0)
                def->os_type = XV_DOMAIN_OS_HVM;
            if (def->os_type != XV_DOMAIN_OS_XEN)
                def->os_machine = g_strdup(def->os_type == XV_DOMAIN_OS_HVM ? "xenfv" : "xenpvh");
        }
    }
    if (def)
        def->id = d->id;
    return def;
}

xvDomainDef *
xenDomDef(xenPriv *p, virDomainPtr dom, xenDomInfo *d)
{
    return domDefFlags(p, dom, d, false);
}

static char *
xenDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    xenPriv *p = PRIV(dom->conn);
    xenDomInfo d = {0};
    g_autoptr(xvDomainDef) def = NULL;
    unsigned int fmt = 0;

    xenLock(p);
    def = domDefFlags(p, dom, &d, flags & VIR_DOMAIN_XML_INACTIVE);
    xenUnlock(p);
    if (!def) {
        xenDomInfoClear(&d);
        return NULL;
    }
    if ((flags & VIR_DOMAIN_XML_INACTIVE) || d.id < 0)
        fmt |= XV_DOMAIN_FORMAT_INACTIVE;
    if (flags & VIR_DOMAIN_XML_SECURE)
        fmt |= XV_DOMAIN_FORMAT_SECURE;
    xenDomInfoClear(&d);
    return xvDomainDefFormat(def, fmt);
}

static char *
xenDomainGetOSType(virDomainPtr dom)
{
    xenPriv *p = PRIV(dom->conn);
    xenDomInfo d = {0};
    g_autoptr(xvDomainDef) def = NULL;

    xenLock(p);
    def = xenDomDef(p, dom, &d);
    xenUnlock(p);
    xenDomInfoClear(&d);
    if (!def)
        return NULL;
    return g_strdup(xvDomainDefOSTypeString(def));
}

static unsigned long
xenDomainGetMaxMemory(virDomainPtr dom)
{
    virDomainInfo info;
    if (xenDomainGetInfo(dom, &info) < 0)
        return 0;
    return info.maxMem;
}

static int
xenDomainGetMaxVcpus(virDomainPtr dom)
{
    xenPriv *p = PRIV(dom->conn);
    xenDomInfo d = {0};
    g_autoptr(xvDomainDef) def = NULL;

    xenLock(p);
    def = xenDomDef(p, dom, &d);
    xenUnlock(p);
    xenDomInfoClear(&d);
    if (!def)
        return -1;
    return (int)def->vcpus;
}

/* ---- lifecycle -------------------------------------------------------- */

int
xenRequireActive(const xenDomInfo *d, const char *name)
{
    if (d->id < 0) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is not running", name);
        return -1;
    }
    return 0;
}

/* POST op to xend for the domain, by id when running (names can be
 * shared between a running domain and its managed config in old xends). */
int
xenXendDomainOp(xenPriv *p, const xenDomInfo *d, xvSexpr **reply, ...)
{
    g_autofree char *path = NULL;
    va_list ap;
    int rc;

    if (d->id >= 0) {
        path = g_strdup_printf("/xend/domain/%d", d->id);
    } else {
        g_autofree char *esc = g_uri_escape_string(d->name, NULL, FALSE);
        path = g_strdup_printf("/xend/domain/%s", esc);
    }
    va_start(ap, reply);
    rc = xvXendPostValist(p->xend, path, reply, ap);
    va_end(ap);
    return rc;
}

/* Lock, find the domain, run fn, unlock. */
int
xenWithDomain(virDomainPtr dom, xenDomOpFn fn, void *data)
{
    xenPriv *p = PRIV(dom->conn);
    xenDomInfo d = {0};
    int rc = -1;

    xenLock(p);
    if (xenDomInfoGet(p, dom, &d) == 0)
        rc = fn(p, dom, &d, data);
    xenUnlock(p);
    xenDomInfoClear(&d);
    return rc;
}

static int
opSuspend(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    bool pause = data != NULL;

    if (xenRequireActive(d, dom->name) < 0)
        return -1;
    if (d->id == 0) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "cannot %s Domain-0",
                      pause ? "suspend" : "resume");
        return -1;
    }
    if (p->hv)
        return pause ? xvHvPauseDomain(p->hv, (guint32)d->id)
                     : xvHvUnpauseDomain(p->hv, (guint32)d->id);
    if (p->xend)
        return xenXendDomainOp(p, d, NULL, "op", pause ? "pause" : "unpause", NULL);
    return xenNoChannel(p, pause ? "suspend" : "resume", "the hypercall channel or xend");
}

static int
xenDomainSuspend(virDomainPtr dom)
{
    return xenWithDomain(dom, opSuspend, GINT_TO_POINTER(1));
}

static int
xenDomainResume(virDomainPtr dom)
{
    return xenWithDomain(dom, opSuspend, NULL);
}

static int
opShutdown(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    const char *reason = data;
    g_autofree char *path = NULL;

    if (xenRequireActive(d, dom->name) < 0)
        return -1;
    if (d->id == 0) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "Domain-0 cannot be shut down or rebooted "
                      "this way");
        return -1;
    }
    if (p->xend)
        return xenXendDomainOp(p, d, NULL, "op", "shutdown", "reason", reason, NULL);
    /* What xl does: ask the guest through its control node. */
    if (!p->xs)
        return xenNoChannel(p, "shutdown", "xend or the xenstore channel");
    path = g_strdup_printf("/local/domain/%d/control/shutdown", d->id);
    return xvXsWrite(p->xs, XV_XS_NO_TX, path, reason, strlen(reason));
}

static int
xenDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    XV_CHECK_FLAGS(flags, VIR_DOMAIN_SHUTDOWN_PARAVIRT, -1);
    return xenWithDomain(dom, opShutdown, (void *)"poweroff");
}

static int
xenDomainReboot(virDomainPtr dom, unsigned int flags)
{
    XV_CHECK_FLAGS(flags, VIR_DOMAIN_REBOOT_PARAVIRT, -1);
    return xenWithDomain(dom, opShutdown, (void *)"reboot");
}

/* An HVM guest's device model (qemu-system-xen), whose pid libxl keeps
 * in /local/domain/ID/image/device-model-pid, outlives a bare destroy
 * hypercall; xl destroy kills it.  Only on the real host (no root
 * prefix), and only a process whose command line names this domid. */
static void
killDeviceModel(xenPriv *p, int id)
{
    g_autofree char *pidpath = g_strdup_printf("/local/domain/%d/image/device-model-pid", id);
    g_autofree char *pidstr = NULL;
    g_autofree char *cmdfile = NULL;
    g_autofree char *cmdline = NULL;
    char want[32]; /* "-xen-domid" NUL "ID" NUL, as in /proc/PID/cmdline */
    int wlen = g_snprintf(want, sizeof(want), "-xen-domid%c%d", '\0', id) + 1;
    gsize len = 0;
    long pid;

    if (*p->root || xvXsRead(p->xs, XV_XS_NO_TX, pidpath, &pidstr, NULL) <= 0) {
        virResetLastError();
        return;
    }
    pid = strtol(pidstr, NULL, 10);
    cmdfile = g_strdup_printf("/proc/%ld/cmdline", pid);
    if (pid <= 1 || !g_file_get_contents(cmdfile, &cmdline, &len, NULL))
        return;
    if (!memmem(cmdline, len, want, (size_t)wlen))
        return;
    kill((pid_t)pid, SIGKILL);
}

/* After a bare destroy hypercall: the xenstore entries xl removes when it
 * destroys a domain -- its own directory, the dom0 backend directories
 * for its devices, /vm/UUID and libxl's /libxl/DOMID (compared with
 * `xl destroy` on real 4.17).  Device teardown beyond that (hotplug
 * scripts for disks and vifs) is not done here.  Errors are ignored: the
 * domain is gone, these keys are only litter. */
static void
xsForgetDomain(xenPriv *p, const xenDomInfo *d)
{
    g_auto(GStrv) types = NULL;
    char ubuf[XV_UUID_STRLEN];
    g_autofree char *dom = g_strdup_printf("/local/domain/%d", d->id);
    g_autofree char *vm = g_strdup_printf("/vm/%s", xvUUIDFormat(d->uuid, ubuf));
    g_autofree char *libxl = g_strdup_printf("/libxl/%d", d->id);
    g_autofree char *dmdir = g_strdup_printf("/local/domain/0/device-model/%d", d->id);

    killDeviceModel(p, d->id);
    if (xvXsRm(p->xs, XV_XS_NO_TX, dmdir) < 0)
        virResetLastError();
    if (xvXsDirectory(p->xs, XV_XS_NO_TX, "/local/domain/0/backend", &types) > 0) {
        for (size_t i = 0; types && types[i]; i++) {
            g_autofree char *be = g_strdup_printf("/local/domain/0/backend/%s/%d", types[i], d->id);
            if (xvXsRm(p->xs, XV_XS_NO_TX, be) < 0)
                virResetLastError();
        }
    }
    virResetLastError();
    if (xvXsRm(p->xs, XV_XS_NO_TX, dom) < 0)
        virResetLastError();
    if (xvXsRm(p->xs, XV_XS_NO_TX, vm) < 0)
        virResetLastError();
    if (xvXsRm(p->xs, XV_XS_NO_TX, libxl) < 0)
        virResetLastError();
}

static int
opDestroy(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    if (xenRequireActive(d, dom->name) < 0)
        return -1;
    if (d->id == 0) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "cannot destroy Domain-0");
        return -1;
    }
    /* xend tears down devices and its records; the bare hypercall does
     * not, so it is only the way when there is no xend. */
    if (p->xend) {
        if (xenXendDomainOp(p, d, NULL, "op", "destroy", NULL) < 0)
            return -1;
    } else if (p->hv) {
        if (xvHvDestroyDomain(p->hv, (guint32)d->id) < 0)
            return -1;
        if (p->xs)
            xsForgetDomain(p, d);
        xvLibxlUserdataRemove(p->root, d->id, d->uuid);
    } else {
        return xenNoChannel(p, "destroy", "xend or the hypercall channel");
    }
    dom->id = -1;
    return 0;
}

static int
xenDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    XV_CHECK_FLAGS(flags, VIR_DOMAIN_DESTROY_GRACEFUL, -1);
    return xenWithDomain(dom, opDestroy, NULL);
}

/* ---- define, create, start, undefine ---------------------------------- */

static xvDomainDef *
parseXenDef(const char *xml)
{
    xvDomainDef *def = xvDomainDefParseString(xml);
    if (!def)
        return NULL;
    if (def->virt_type != XV_DOMAIN_VIRT_XEN) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "domain '%s': type must be 'xen' for a Xen "
                      "connection", def->name ? def->name : "");
        xvDomainDefFree(def);
        return NULL;
    }
    if (!def->has_uuid) {
        xvUUIDGenerate(def->uuid);
        def->has_uuid = true;
    }
    return def;
}

static virDomainPtr
xenDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    xenPriv *p = PRIV(conn);
    g_autoptr(xvDomainDef) def = NULL;
    virDomainPtr ret = NULL;
    int rc;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_DEFINE_VALIDATE, NULL);
    if (!(def = parseXenDef(xml)))
        return NULL;
    xenLock(p);
    rc = xenStoreDefinition(p, def, "defining a domain");
    xenUnlock(p);
    if (rc == 0)
        ret = lookup(conn, FIND_UUID, 0, NULL, def->uuid);
    return ret;
}

/* Create and run def through xend: op=create leaves it paused, so it is
 * unpaused afterwards (destroyed again if that fails), as libvirt did. */
static int
xendCreate(xenPriv *p, const xvDomainDef *def, bool paused)
{
    g_autofree char *sxp = xvDomainDefToSexpr(def, p->xend_format);
    g_autoptr(xvSexpr) rec = NULL;
    xenDomInfo d = {.id = -1};
    int id = -1;

    if (!sxp)
        return -1;
    if (xvXendPost(p->xend, "/xend/domain/", &rec, "op", "create", "config", sxp, NULL) < 0)
        return -1;
    if (!rec || xvSexprGetDomid(rec, &id) < 0 || id < 0) {
        g_autofree char *path = NULL;
        g_autofree char *esc = g_uri_escape_string(def->name, NULL, FALSE);
        virResetLastError();
        g_clear_pointer(&rec, xvSexprFree);
        path = g_strdup_printf("/xend/domain/%s?detail=1", esc);
        if (xvXendGet(p->xend, path, &rec, NULL) < 0 || !rec ||
            xvSexprGetDomid(rec, &id) < 0 || id < 0) {
            if (!virGetLastError())
                xvReportError(VIR_ERR_OPERATION_FAILED, "domain '%s' did not start",
                              def->name);
            return -1;
        }
    }
    d.id = id;
    d.name = def->name;
    if (paused)
        return 0;
    if (xenXendDomainOp(p, &d, NULL, "op", "unpause", NULL) < 0) {
        virErrorPtr saved = xvErrorSave();
        xenXendDomainOp(p, &d, NULL, "op", "destroy", NULL);
        xvErrorRestore(&saved);
        return -1;
    }
    return 0;
}

static virDomainPtr
xenDomainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    xenPriv *p = PRIV(conn);
    g_autoptr(xvDomainDef) def = NULL;
    int rc;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_START_PAUSED, NULL);
    if (!(def = parseXenDef(xml)))
        return NULL;
    xenLock(p);
    rc = p->xend ? xendCreate(p, def, flags & VIR_DOMAIN_START_PAUSED)
                 : xenNoChannel(p, "creating a domain", "xend");
    xenUnlock(p);
    if (rc < 0)
        return NULL;
    return lookup(conn, FIND_UUID, 0, NULL, def->uuid);
}

static int
opStart(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    bool paused = data != NULL;

    if (d->id >= 0) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is already running", dom->name);
        return -1;
    }
    if (!p->xend)
        return xenNoChannel(p, "starting a domain", "xend");
    if (p->xend_format >= XV_XEND_CONFIG_VERSION_3_0_4) {
        if (xenXendDomainOp(p, d, NULL, "op", "start", NULL) < 0)
            return -1;
        if (paused) {
            xenDomInfo now = {0};
            int rc = xenDomInfoGet(p, dom, &now) < 0
                         ? -1
                         : xenXendDomainOp(p, &now, NULL, "op", "pause", NULL);
            xenDomInfoClear(&now);
            return rc;
        }
        return 0;
    }
    /* Older xend: the config file is the definition; create from it. */
    {
        const xvDomainDef *file = p->cfgdir ? xvXmDirLookupUUID(p->cfgdir, d->uuid) : NULL;
        if (!file)
            return -1;
        return xendCreate(p, file, paused);
    }
}

static int
xenDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    int rc;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_START_PAUSED, -1);
    rc = xenWithDomain(dom, opStart, flags & VIR_DOMAIN_START_PAUSED ? GINT_TO_POINTER(1) : NULL);
    if (rc == 0) {
        xenDomInfo d = {0};
        if (xenDomInfoLocked(dom, &d) < 0)
            virResetLastError();
        xenDomInfoClear(&d);
    }
    return rc;
}

static int
opUndefine(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    if (!d->persistent) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "cannot undefine transient domain '%s'",
                      dom->name);
        return -1;
    }
    if (p->xend && p->xend_format >= XV_XEND_CONFIG_VERSION_3_0_4) {
        if (d->id >= 0) {
            xvReportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is running; xend deletes "
                          "only halted domains", dom->name);
            return -1;
        }
        return xenXendDomainOp(p, d, NULL, "op", "delete", NULL);
    }
    if (p->cfgdir)
        return xvXmDirUndefine(p->cfgdir, d->name);
    return xenNoChannel(p, "undefining a domain", "xend 3.0.4+ or a config directory");
}

static int
xenDomainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    XV_CHECK_FLAGS(flags, 0, -1);
    return xenWithDomain(dom, opUndefine, NULL);
}

const xvDriver xvXenDriver = {
    .name = "Xen",
    .connectOpen = xenConnectOpen,
    .connectClose = xenConnectClose,
    .connectGetVersion = xenConnectGetVersion,
    .connectGetHostname = xenConnectGetHostname,
    .connectGetCapabilities = xenConnectGetCapabilities,
    .connectGetMaxVcpus = xenConnectGetMaxVcpus,
    .nodeGetInfo = xenNodeGetInfo,
    .nodeGetFreeMemory = xenNodeGetFreeMemory,
    .connectNumOfDomains = xenConnectNumOfDomains,
    .connectListDomains = xenConnectListDomains,
    .connectNumOfDefinedDomains = xenConnectNumOfDefinedDomains,
    .connectListDefinedDomains = xenConnectListDefinedDomains,
    .connectListAllDomains = xenConnectListAllDomains,
    .domainLookupByID = xenDomainLookupByID,
    .domainLookupByName = xenDomainLookupByName,
    .domainLookupByUUID = xenDomainLookupByUUID,
    .domainCreateXML = xenDomainCreateXML,
    .domainDefineXMLFlags = xenDomainDefineXMLFlags,
    .domainUndefineFlags = xenDomainUndefineFlags,
    .domainCreateWithFlags = xenDomainCreateWithFlags,
    .domainSuspend = xenDomainSuspend,
    .domainResume = xenDomainResume,
    .domainShutdownFlags = xenDomainShutdownFlags,
    .domainReboot = xenDomainReboot,
    .domainDestroyFlags = xenDomainDestroyFlags,
    .domainGetInfo = xenDomainGetInfo,
    .domainGetState = xenDomainGetState,
    .domainGetXMLDesc = xenDomainGetXMLDesc,
    .domainGetOSType = xenDomainGetOSType,
    .domainIsActive = xenDomainIsActive,
    .domainIsPersistent = xenDomainIsPersistent,
    .domainGetMaxMemory = xenDomainGetMaxMemory,
    .domainSetMaxMemory = xenDomainSetMaxMemory,
    .domainSetMemoryFlags = xenDomainSetMemoryFlags,
    .domainSetVcpusFlags = xenDomainSetVcpusFlags,
    .domainGetVcpusFlags = xenDomainGetVcpusFlags,
    .domainGetVcpus = xenDomainGetVcpus,
    .domainPinVcpu = xenDomainPinVcpu,
    .domainGetMaxVcpus = xenDomainGetMaxVcpus,
    .domainBlockStats = xenDomainBlockStats,
    .domainInterfaceStats = xenDomainInterfaceStats,
    .domainGetAutostart = xenDomainGetAutostart,
    .domainSetAutostart = xenDomainSetAutostart,
    .domainAttachDeviceFlags = xenDomainAttachDeviceFlags,
    .domainDetachDeviceFlags = xenDomainDetachDeviceFlags,
    .domainGetSchedulerType = xenDomainGetSchedulerType,
    .domainGetSchedulerParametersFlags = xenDomainGetSchedulerParametersFlags,
    .domainSetSchedulerParametersFlags = xenDomainSetSchedulerParametersFlags,
};
