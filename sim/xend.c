/*
 * xend.c: xensim's xend (see xend.h).
 *
 * HTTP as xend's web server did it (spec section 1.3): request line +
 * headers + a Content-Length body (POST bodies over 10000 bytes get 413),
 * query and form arguments merged (blank query values dropped), replies
 * "HTTP/1.1 CODE REASON" with xend's header spelling (Content-type,
 * Content-length, Pragma, Cache-control, Expires), then the connection is
 * closed unless the request said Connection: keep-alive.  Bodies are written as xend's sxp.show()
 * wrote them (sections 2.3, 1.5): one line, Python repr() quoting, empty
 * strings as nothing up to 4.0 and '' from 4.1, with the 4.1+ trailing ''
 * after per-domain GETs and directory listings.
 *
 * Records: the domain's definition is converted by xvDomainDefToSexpr (the
 * config xend was given), and this file places its values and the live
 * ones in the order the version's XendDomainInfo/XendConfig wrote them
 * (section 4.1.1).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define XV_FROM VIR_FROM_XEN
#include "util/error.h"
#include "util/uuid.h"
#include "connserver.h"
#include "xend.h"
#include "xenconfig/sexpr.h"
#include "xenconfig/xen_sxpr.h"

#define XEND_MAX_CONTENT 10000        /* xend's max_content_length */
#define XEND_MAX_HEADER 65536

struct _XsimXend {
    XsimHost *host;
    char *path;
    XsimServer *srv;           /* UNIX socket and, with a port, TCP */
};

typedef struct {
    XsimConn conn;             /* first (connserver.h); owner the XsimXend */
    gboolean keep;             /* the request asked for keep-alive */
    gsize consumed;            /* bytes of the input the current request used */
} XendConn;

static XsimXend *
xendOf(XendConn *c)
{
    return c->conn.owner;
}

/* A reply being built. */
typedef struct {
    int code;
    char *reason;
    const char *ctype;         /* NULL: no Content-type header */
    GString *body;
    char *location;
    gboolean close;            /* error during the resource walk */
} XendReply;

typedef struct {
    XsimXend *xend;
    XsimHost *host;
    const char *method;
    GHashTable *args;          /* name -> GPtrArray of char * */
    XendReply rep;
} XendReq;

/* ---- SXP as xend wrote it --------------------------------------------- */

static gboolean
xendSince(XsimHost *host, guint major, guint minor, guint micro)
{
    return xsimHostSince(host, major, minor, micro);
}

static int
xendConfigFormat(XsimHost *host)
{
    if (xendSince(host, 3, 1, 0))
        return XV_XEND_CONFIG_VERSION_3_1_0;
    if (xendSince(host, 3, 0, 4))
        return XV_XEND_CONFIG_VERSION_3_0_4;
    if (xendSince(host, 3, 0, 3))
        return XV_XEND_CONFIG_VERSION_3_0_3;
    return XV_XEND_CONFIG_VERSION_3_0_2;
}

static void
xendShowAtom(XsimHost *host, GString *out, const char *s)
{
    if (!*s) {
        if (xendSince(host, 4, 1, 0))
            g_string_append(out, "''");
    } else if (xvSexprIsAtomSafe(s)) {
        g_string_append(out, s);
    } else {
        xvSexprAppendRepr(out, s);
    }
}

static void
xendShow(XsimHost *host, GString *out, const xvSexpr *v)
{
    if (v->kind == XV_SEXPR_ATOM) {
        /* XV_SEXPR_QUOTE_DOUBLE marks a Python value that is not a str
         * (None, a long): sxp.show writes repr(str(v)), always quoted */
        if (v->quote == XV_SEXPR_QUOTE_DOUBLE)
            xvSexprAppendRepr(out, v->value);
        else
            xendShowAtom(host, out, v->value);
        return;
    }
    g_string_append_c(out, '(');
    for (guint i = 0; i < v->items->len; i++) {
        if (i)
            g_string_append_c(out, ' ');
        xendShow(host, out, v->items->pdata[i]);
    }
    g_string_append_c(out, ')');
}

/* ---- records ------------------------------------------------------------ */

static void
addStr(xvSexpr *l, const char *key, const char *value)
{
    xvSexprAddPair(l, key, value ? value : "", XV_SEXPR_QUOTE_AUTO);
}

static void G_GNUC_PRINTF(3, 4)
addFmt(xvSexpr *l, const char *key, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *v = NULL;

    va_start(ap, fmt);
    v = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    addStr(l, key, v);
}

/* Copy (key ...) of cfg into rec, if present. */
static void
copyKey(xvSexpr *rec, const xvSexpr *cfg, const char *key)
{
    size_t i = 0;
    const xvSexpr *c = xvSexprNextChild(cfg, key, &i);
    g_autofree char *text = NULL;

    if (!c)
        return;
    text = xvSexprFormat(c, XV_SEXPR_FORMAT_CONFIG);
    xvSexprAppend(rec, xvSexprParseString(text, 0));
}

static const char *
cfgValue(const xvSexpr *cfg, const char *key, const char *fallback)
{
    g_autofree char *path = g_strdup_printf("vm/%s", key);
    const char *v = xvSexprNodeValue(cfg, path);

    return v ? v : fallback;
}

static int
xendStatus(XsimDomain *d)
{
    if (!d->active)
        return 0;
    if (d->shutdown)
        return d->shutdownReason == XSIM_SHUTDOWN_CRASH ? 5
               : d->shutdownReason == XSIM_SHUTDOWN_SUSPEND ? 3 : 4;
    if (d->paused)
        return 1;
    return 2;
}

static void
xendStateString(XsimDomain *d, char out[7])
{
    gboolean crashed = d->shutdown && d->shutdownReason == XSIM_SHUTDOWN_CRASH;

    g_strlcpy(out, "------", 7);
    if (!d->paused && !d->shutdown && !d->dying)
        out[0] = 'r';
    if (d->paused)
        out[2] = 'p';
    if (d->shutdown && !crashed)
        out[3] = 's';
    if (crashed)
        out[4] = 'c';
    if (d->dying)
        out[5] = 'd';
}

static guint64
xendVcpuAvail(XsimDomain *d)
{
    return d->onlineVcpus >= 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT(1) << d->onlineVcpus) - 1;
}

static void
addDevices(xvSexpr *rec, const xvSexpr *cfg, gboolean live)
{
    size_t i = 0;
    const xvSexpr *dev;

    while ((dev = xvSexprNextChild(cfg, "device", &i))) {
        g_autofree char *text = xvSexprFormat(dev, XV_SEXPR_FORMAT_CONFIG);
        xvSexpr *copy = xvSexprParseString(text, 0);
        if (live && xvSexprCount(copy) == 2) {
            xvSexpr *cls = (xvSexpr *)xvSexprItem(copy, 1);
            if (cls->kind == XV_SEXPR_LIST)
                xvSexprAddPair(cls, "backend", "0", XV_SEXPR_QUOTE_NONE);
        }
        xvSexprAppend(rec, copy);
    }
}

/* The (domain ...) record of d as this version's xend wrote it; NULL with
 * *msg when the definition cannot be expressed. */
static xvSexpr *
xendRecordFull(XsimHost *host, XsimDomain *d, gboolean live, char **msg)
{
    int fmt = xendConfigFormat(host);
    g_autofree char *cfgText = xvDomainDefToSexpr(d->def, fmt);
    g_autoptr(xvSexpr) cfg = NULL;
    xvSexpr *rec;
    char state[7];
    guint64 memMiB = d->memoryKiB / 1024, maxMiB = d->maxMemoryKiB / 1024;
    double cpu = xsimDomainCpuNs(d) / 1e9;
    double start = d->startTime / 1e6;

    if (!cfgText || !(cfg = xvSexprParseString(cfgText, 0))) {
        virErrorPtr e = xvErrorGetLast();
        *msg = g_strdup(e && e->message ? e->message : "cannot format the domain");
        return NULL;
    }
    xendStateString(d, state);
    rec = xvSexprNewList("domain");

    if (!xendSince(host, 3, 1, 0)) {
        /* 3.0.x: XendDomainInfo.sxpr() */
        if (live || !xendSince(host, 3, 0, 4))
            addFmt(rec, "domid", "%u", d->domid);
        addStr(rec, "uuid", d->uuid);
        if (!xendSince(host, 3, 0, 3))
            addStr(rec, "ssidref", "0");
        addFmt(rec, "vcpus", "%u", d->vcpus);
        addFmt(rec, "vcpu_avail", "%" G_GUINT64_FORMAT, xendVcpuAvail(d));
        addFmt(rec, "memory", "%" G_GUINT64_FORMAT, memMiB);
        if (xendSince(host, 3, 0, 3))
            addStr(rec, "shadow_memory", "0");
        addFmt(rec, "maxmem", "%" G_GUINT64_FORMAT, maxMiB);
        if (d->def->bootloader) {
            addStr(rec, "bootloader", d->def->bootloader);
            if (d->def->bootloader_args)
                addStr(rec, "bootloader_args", d->def->bootloader_args);
        }
        if (xendSince(host, 3, 0, 3))
            addStr(rec, "features", "");
        copyKey(rec, cfg, "localtime");
        addStr(rec, "name", d->name);
        addStr(rec, "on_poweroff", cfgValue(cfg, "on_poweroff", "destroy"));
        addStr(rec, "on_reboot", cfgValue(cfg, "on_reboot", "restart"));
        addStr(rec, "on_crash", cfgValue(cfg, "on_crash", "restart"));
        if (xendSince(host, 3, 0, 4)) {
            addStr(rec, "on_xend_start", d->autostart ? "start" : "ignore");
            addStr(rec, "on_xend_stop", "ignore");
        }
        copyKey(rec, cfg, "image");
        addDevices(rec, cfg, live);
        if (xendSince(host, 3, 0, 4))
            addFmt(rec, "status", "%d", (live ? xendStatus(d) : 0));
        if (live || !xendSince(host, 3, 0, 4)) {
            addStr(rec, "state", state);
            if (d->shutdown)
                addStr(rec, "shutdown_reason",
                       (const char *[]){"poweroff", "reboot", "suspend", "crash"}[d->shutdownReason & 3]);
            addFmt(rec, "cpu_time", "%.9f", cpu);
            addFmt(rec, "online_vcpus", "%u", d->onlineVcpus);
            addFmt(rec, "up_time", "%.6f", (g_get_real_time() - d->startTime) / 1e6);
            addFmt(rec, "start_time", "%.2f", start);
            addFmt(rec, "store_mfn", "%u", 0x10f000 + d->domid * 2);
            addFmt(rec, "console_mfn", "%u", 0x10f001 + d->domid * 2);
        }
        return rec;
    }

    /* 3.1 - 4.4: XendConfig.to_sxp() */
    if (live)
        addFmt(rec, "domid", "%u", d->domid);
    if (xendSince(host, 4, 0, 0)) {
        addFmt(rec, "cpu_weight", "%u", d->weight);
        addFmt(rec, "cpu_cap", "%u", d->cap);
    }
    addStr(rec, "uuid", d->uuid);
    addFmt(rec, "vcpus", "%u", d->vcpus);
    addStr(rec, "name", d->name);
    addStr(rec, "on_poweroff", cfgValue(cfg, "on_poweroff", "destroy"));
    addStr(rec, "on_reboot", cfgValue(cfg, "on_reboot", "restart"));
    addStr(rec, "on_crash", cfgValue(cfg, "on_crash", "restart"));
    addStr(rec, "bootloader", d->def->bootloader);
    addStr(rec, "bootloader_args", d->def->bootloader_args);
    if (xendSince(host, 4, 0, 0))
        addStr(rec, "description", d->def->description);
    if (xendSince(host, 4, 1, 0))
        addStr(rec, "pool_name", "Pool-0");
    addFmt(rec, "maxmem", "%" G_GUINT64_FORMAT, maxMiB);
    addFmt(rec, "memory", "%" G_GUINT64_FORMAT, memMiB);
    addStr(rec, "shadow_memory", "0");
    addFmt(rec, "vcpu_avail", "%" G_GUINT64_FORMAT, xendVcpuAvail(d));
    if (!xendSince(host, 3, 3, 0)) {
        addFmt(rec, "cpu_weight", "%u", d->weight);
        addFmt(rec, "cpu_cap", "%u", d->cap);
    }
    addStr(rec, "features", "");
    addStr(rec, "on_xend_start", d->autostart ? "start" : "ignore");
    addStr(rec, "on_xend_stop", "ignore");
    if (live) {
        addFmt(rec, "start_time", "%.2f", start);
        addFmt(rec, "cpu_time", "%.9f", cpu);
        addFmt(rec, "online_vcpus", "%u", d->onlineVcpus);
    }
    copyKey(rec, cfg, "image");
    addFmt(rec, "status", "%d", (live ? xendStatus(d) : 0));
    if (live) {
        addStr(rec, "state", state);
        addFmt(rec, "store_mfn", "%u", 0x10f000 + d->domid * 2);
        addFmt(rec, "console_mfn", "%u", 0x10f001 + d->domid * 2);
    }
    addDevices(rec, cfg, live);
    return rec;
}

static xvSexpr *
xendRecord(XsimHost *host, XsimDomain *d, char **msg)
{
    return xendRecordFull(host, d, d->active, msg);
}

static xvSexpr *
xendNodeRecord(XsimHost *host)
{
    xvSexpr *n = xvSexprNewList("node");
    guint64 totalMiB = XSIM_HOST_MEMORY_KIB / 1024;
    guint64 freeMiB = xsimHostFreeMemoryKiB(host) / 1024;

    addStr(n, "system", "Linux");
    addStr(n, "host", "xensim");
    addStr(n, "release", "2.6.32-5-xen-amd64");
    addStr(n, "version", "#1 SMP Sun Sep 23 09:49:36 UTC 2012");
    addStr(n, "machine", "x86_64");
    addFmt(n, "nr_cpus", "%d", XSIM_HOST_CPUS);
    addStr(n, "nr_nodes", "1");
    if (!xendSince(host, 3, 2, 0))
        addStr(n, "sockets_per_node", "1");
    addStr(n, "cores_per_socket", "2");
    addStr(n, "threads_per_core", "2");
    addStr(n, "cpu_mhz", "2400");
    addStr(n, "hw_caps", "bfebfbff:20100800:00000000:00000940:0000e3bd:00000000:00000001:00000000");
    if (xendSince(host, 3, 3, 0))
        addStr(n, "virt_caps", "hvm");
    addFmt(n, "total_memory", "%" G_GUINT64_FORMAT, totalMiB);
    addFmt(n, "free_memory", "%" G_GUINT64_FORMAT, freeMiB);
    if (xendSince(host, 4, 1, 0)) {
        addStr(n, "free_cpus", "0");
        addStr(n, "cpu_topology", "cpu:    core    socket     node\n"
                                  "  0:       0        0        0\n"
                                  "  1:       0        0        0\n"
                                  "  2:       1        0        0\n"
                                  "  3:       1        0        0\n");
        addFmt(n, "numa_info", "node:    memsize    memfree    distances\n"
                               "   0:     %5" G_GUINT64_FORMAT "      %5" G_GUINT64_FORMAT
                               "      10\n", totalMiB, freeMiB);
    } else if (xendSince(host, 3, 2, 0)) {
        addStr(n, "node_to_cpu", "node0:0-3");
        if (xendSince(host, 3, 3, 0))
            addFmt(n, "node_to_memory", "node0:%" G_GUINT64_FORMAT, freeMiB);
        if (xendSince(host, 4, 0, 0)) {
            addStr(n, "node_to_dma32_mem", "node0:2047");
            addStr(n, "max_node_id", "0");
        }
    }
    addFmt(n, "xen_major", "%u", host->vmajor);
    addFmt(n, "xen_minor", "%u", host->vmajor == 3 && host->vminor == 0 ? 0 : host->vminor);
    if (host->vmajor == 3 && host->vminor == 0)
        addFmt(n, "xen_extra", ".%u", host->vmicro);
    else
        addStr(n, "xen_extra", ".0");
    addStr(n, "xen_caps", "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p "
                          "hvm-3.0-x86_64");
    if (xendSince(host, 3, 1, 0))
        addStr(n, "xen_scheduler", "credit");
    if (xendSince(host, 3, 0, 3)) {
        addStr(n, "xen_pagesize", "4096");
        addStr(n, "platform_params", "virt_start=0xffff800000000000");
    }
    addFmt(n, "xen_changeset", "xensim %s", host->xenVersion);
    if (xendSince(host, 4, 0, 0)) {
        addStr(n, "xen_commandline", "placeholder dom0_mem=1024M");
        addStr(n, "cc_compiler", "gcc version 4.4.5 (Debian 4.4.5-8)");
        addStr(n, "cc_compile_by", "xensim");
        addStr(n, "cc_compile_domain", "localdomain");
        addStr(n, "cc_compile_date", "Thu Jan  1 00:00:00 UTC 2015");
    }
    if (xendSince(host, 3, 0, 3))
        addFmt(n, "xend_config_format", "%d", xendConfigFormat(host));
    return n;
}

/* ---- replies ------------------------------------------------------------ */

static void
setReply(XendReq *r, int code, const char *reason, const char *ctype, const char *body)
{
    r->rep.code = code;
    g_free(r->rep.reason);
    r->rep.reason = g_strdup(reason);
    r->rep.ctype = ctype;
    g_string_assign(r->rep.body, body ? body : "");
}

static void
replySxp(XendReq *r, int code, const char *reason, const xvSexpr *v, gboolean suffix)
{
    setReply(r, code, reason, "application/sxp", NULL);
    if (v)
        xendShow(r->host, r->rep.body, v);
    if (suffix && xendSince(r->host, 4, 1, 0))
        g_string_append(r->rep.body, "''");
}

/* An op that raised: (xend.err 'message'), 500 from 3.0.3, 200 before. */
static void G_GNUC_PRINTF(3, 4)
opError(XendReq *r, const char *op, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    g_autofree char *reason = g_strdup_printf("Request failed: %s", op);
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (xendSince(r->host, 3, 0, 3))
        setReply(r, 500, reason, "application/sxp", NULL);
    else
        setReply(r, 200, "OK", "application/sxp", NULL);
    g_string_append(r->rep.body, "(xend.err ");
    xendShowAtom(r->host, r->rep.body, msg);
    g_string_append(r->rep.body, ")");
}

static void
notFoundDomain(XendReq *r, const char *x)
{
    if (!xendSince(r->host, 3, 0, 4)) {
        g_autofree char *b = g_strdup_printf("No such domain %s", x);
        setReply(r, 404, "Not found", "text/plain", b);
    } else if (!xendSince(r->host, 3, 1, 0)) {
        g_autofree char *b = g_strdup_printf("No domain named '%s'.", x);
        setReply(r, 404, "Not found", "text/plain", b);
    } else if (!xendSince(r->host, 4, 0, 0)) {
        /* XendInvalidDomain escaped the resource walk (fixed in 4.0) */
        setReply(r, 500, "Internal server error", NULL, "");
        r->rep.close = TRUE;
    } else {
        g_autofree char *b = g_strdup_printf("<Fault 3: '%s'>", x);
        setReply(r, 404, "Not found", "text/plain", b);
    }
}

/* ---- arguments ------------------------------------------------------------ */

static void
argsFree(gpointer p)
{
    g_ptr_array_unref(p);
}

/* cgi.parse_qs: '&' and ';' separate, '+' is a space, %XX decoded. */
static void
parseForm(GHashTable *args, const char *text, gsize len, gboolean keepBlank, gboolean override)
{
    g_autofree char *copy = g_strndup(text, len);
    g_auto(GStrv) parts = NULL;
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (char *p = copy; *p; p++)
        if (*p == ';')
            *p = '&';
    parts = g_strsplit(copy, "&", -1);
    for (guint i = 0; parts[i]; i++) {
        char *eq = strchr(parts[i], '=');
        g_autofree char *k = NULL;
        g_autofree char *v = NULL;
        GPtrArray *vals;

        if (!eq)
            continue;
        *eq = '\0';
        for (char *p = parts[i]; *p; p++)
            if (*p == '+')
                *p = ' ';
        for (char *p = eq + 1; *p; p++)
            if (*p == '+')
                *p = ' ';
        k = g_uri_unescape_string(parts[i], NULL);
        v = g_uri_unescape_string(eq + 1, NULL);
        if (!k || !v || (!*v && !keepBlank))
            continue;
        vals = g_hash_table_lookup(args, k);
        if (vals && override && !g_hash_table_contains(seen, k)) {
            g_ptr_array_set_size(vals, 0);   /* the body wins per key */
        }
        if (!vals) {
            vals = g_ptr_array_new_with_free_func(g_free);
            g_hash_table_insert(args, g_strdup(k), vals);
        }
        g_hash_table_add(seen, g_strdup(k));
        g_ptr_array_add(vals, g_steal_pointer(&v));
    }
}

static const char *
arg(XendReq *r, const char *name)
{
    GPtrArray *v = g_hash_table_lookup(r->args, name);

    return v && v->len ? v->pdata[0] : NULL;
}

/* FormFn int argument: FALSE (reply set) if missing or not a number. */
static gboolean
argInt(XendReq *r, const char *op, const char *name, gint64 *out)
{
    const char *v = arg(r, name);
    g_autofree char *s = NULL;
    char *end;

    if (!v) {
        opError(r, op, "Missing parameter: %s", name);
        return FALSE;
    }
    s = g_strstrip(g_strdup(v));
    *out = g_ascii_strtoll(s, &end, 10);
    if (!*s || *end) {
        opError(r, op, "invalid literal for int() with base 10: '%s'", v);
        return FALSE;
    }
    return TRUE;
}

/* ---- lookups -------------------------------------------------------------- */

static XsimDomain *
lookupDomain(XsimHost *host, const char *x)
{
    XsimDomain *d;
    char *end;
    gint64 id;

    if ((d = xsimHostFindName(host, x, TRUE)))
        return d;
    if (xendSince(host, 3, 0, 4) && (d = xsimHostFindName(host, x, FALSE)) && d->managed)
        return d;
    id = g_ascii_strtoll(x, &end, 10);
    if (*x && !*end && id >= 0 && id < 65536 && (d = xsimHostFindDomain(host, id)))
        return d;
    if (xendSince(host, 3, 0, 4) && strlen(x) == 36 && (d = xsimHostFindUUID(host, x)) &&
        (d->active || d->managed))
        return d;
    return NULL;
}

static gint
cmpNames(gconstpointer a, gconstpointer b)
{
    const XsimDomain *x = *(XsimDomain *const *)a, *y = *(XsimDomain *const *)b;
    return strcmp(x->name, y->name);
}

static gboolean
nameValid(XsimHost *host, const char *name)
{
    const char *extra = xendSince(host, 3, 1, 0) ? "_.:+-" : "_.:+-/";

    if (!*name)
        return FALSE;
    for (const char *p = name; *p; p++)
        if (!g_ascii_isalnum(*p) && !strchr(extra, *p))
            return FALSE;
    return TRUE;
}

/* ---- managed domains on disk ------------------------------------------------
 *
 * As xend kept them: DIR/var/lib/xend/domains/<uuid>/config.sxp, the
 * domain's record without live values, rewritten when xend changes the
 * domain, read back when xend starts (domains with on_xend_start start
 * are then started).
 */

static xvDomainDef *treeDef(XendReq *r, const char *op, xvSexpr *tree, gboolean *autostart);

static char *
storeDir(XsimHost *host, const char *uuid)
{
    return g_build_filename(host->root, "var/lib/xend/domains", uuid, NULL);
}

static void
storeSave(XsimHost *host, XsimDomain *d)
{
    g_autofree char *dir = storeDir(host, d->uuid);
    g_autofree char *path = g_build_filename(dir, "config.sxp", NULL);
    g_autofree char *tmp = g_build_filename(dir, "config.sxp.new", NULL);
    g_autofree char *msg = NULL;
    g_autoptr(xvSexpr) rec = NULL;
    g_autoptr(GString) text = g_string_new(NULL);
    g_autoptr(GError) err = NULL;

    if (!d->managed || !xendSince(host, 3, 0, 4))
        return;
    if (!(rec = xendRecordFull(host, d, FALSE, &msg))) {
        g_warning("xensim: cannot record managed domain %s: %s", d->name, msg);
        return;
    }
    xendShow(host, text, rec);
    g_string_append_c(text, '\n');
    if (g_mkdir_with_parents(dir, 0700) < 0 ||
        !g_file_set_contents(tmp, text->str, text->len, &err) || rename(tmp, path) < 0)
        g_warning("xensim: cannot write %s: %s", path, err ? err->message : g_strerror(errno));
}

static void
storeRemove(XsimHost *host, const char *uuid)
{
    g_autofree char *dir = storeDir(host, uuid);
    g_autofree char *path = g_build_filename(dir, "config.sxp", NULL);

    unlink(path);
    rmdir(dir);
}

/* Read the managed domains back; start those marked on_xend_start start. */
static void
storeLoad(XsimHost *host)
{
    g_autofree char *top = g_build_filename(host->root, "var/lib/xend/domains", NULL);
    g_autoptr(GDir) dir = g_dir_open(top, 0, NULL);
    const char *name;

    if (!dir || !xendSince(host, 3, 0, 4))
        return;
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *path = g_build_filename(top, name, "config.sxp", NULL);
        g_autofree char *text = NULL;
        g_autoptr(xvSexpr) tree = NULL;
        g_autoptr(GError) err = NULL;
        XendReq r = { .host = host };
        xvDomainDef *def;
        gboolean autostart = FALSE;
        XsimDomain *d;
        char uuid[XV_UUID_STRLEN];

        if (!g_file_get_contents(path, &text, NULL, NULL))
            continue;
        xvErrorReset();
        r.rep.body = g_string_new(NULL);
        if (!(tree = xvSexprParseString(text, XV_SEXPR_PARSE_FIRST)) ||
            !(def = treeDef(&r, "load", tree, &autostart))) {
            g_warning("xensim: ignoring %s: %s", path,
                      r.rep.body->len ? r.rep.body->str : "not SXP");
            g_string_free(r.rep.body, TRUE);
            g_free(r.rep.reason);
            continue;
        }
        g_string_free(r.rep.body, TRUE);
        xvUUIDFormat(def->uuid, uuid);
        if (xsimHostFindUUID(host, uuid) || xsimHostFindName(host, def->name, FALSE)) {
            g_warning("xensim: ignoring %s: domain %s exists already", path, def->name);
            xvDomainDefFree(def);
            continue;
        }
        d = xsimHostDefine(host, def, TRUE, NULL);
        d->autostart = autostart;
        if (autostart && !xsimHostStart(host, d, FALSE, &err))
            g_warning("xensim: cannot start %s: %s", d->name, err->message);
    }
}

/* ---- GET ------------------------------------------------------------------ */

static void
getDomainList(XendReq *r)
{
    XsimHost *host = r->host;
    const char *state = arg(r, "state");
    gboolean detail = arg(r, "detail") != NULL;
    g_autoptr(GPtrArray) sel = g_ptr_array_new();
    g_autoptr(xvSexpr) out = xvSexprNewList(NULL);

    for (guint i = 0; i < host->domains->len; i++) {
        XsimDomain *d = g_ptr_array_index(host->domains, i);
        int st = xendStatus(d);
        gboolean take;

        if (!d->active && !d->managed)
            continue;
        if (!xendSince(host, 3, 0, 4)) {
            take = d->active;
        } else if (detail || !state) {
            take = st == 2;
        } else {
            static const char *const names[] = {"halted", "paused", "running", "suspended",
                                                "halted", "crashed", "unknown"};
            take = g_ascii_strcasecmp(state, "all") == 0 ||
                   g_ascii_strcasecmp(state, names[st]) == 0;
        }
        if (take)
            g_ptr_array_add(sel, d);
    }
    g_ptr_array_sort(sel, cmpNames);
    for (guint i = 0; i < sel->len; i++) {
        XsimDomain *d = sel->pdata[i];
        if (detail) {
            g_autofree char *msg = NULL;
            xvSexpr *rec = xendRecord(host, d, &msg);
            if (rec)
                xvSexprAppend(out, rec);
        } else {
            xvSexprAppend(out, xvSexprNewAtom(d->name, XV_SEXPR_QUOTE_AUTO));
        }
    }
    replySxp(r, 200, "OK", out, FALSE);
}

static void
getVcpuInfo(XendReq *r, XsimDomain *d)
{
    g_autoptr(xvSexpr) out = xvSexprNewList("domain");

    if (d->active)
        addFmt(out, "domid", "%u", d->domid);
    else
        xvSexprAddPair(out, "domid", "None", XV_SEXPR_QUOTE_DOUBLE); /* Python's None */
    addStr(out, "name", d->name);
    addFmt(out, "vcpu_count", "%u", d->vcpus);
    for (guint v = 0; v < d->vcpus; v++) {
        xvSexpr *vc = xvSexprAddList(out, "vcpu");
        xvSexpr *map;
        gboolean online = d->active && v < d->onlineVcpus;
        gboolean running = online && !d->paused && !d->shutdown;

        addFmt(vc, "number", "%u", v);
        addFmt(vc, "online", "%d", online);
        addFmt(vc, "blocked", "%d", online && !running);
        addFmt(vc, "running", "%d", running);
        addFmt(vc, "cpu_time", "%.9f",
               online ? xsimDomainCpuNs(d) / 1e9 / MAX(d->onlineVcpus, 1u) : 0.0);
        addFmt(vc, "cpu", "%d", online ? (int)((d->domid + v) % XSIM_HOST_CPUS) : -1);
        map = xvSexprAddList(vc, "cpumap");
        map = xvSexprAppend(map, xvSexprNewList(NULL));
        /* an inactive domain's map: every CPU xend could name (0..63) */
        for (guint c = 0; c < (d->active ? XSIM_HOST_CPUS : 64u); c++) {
            char num[16];

            if (d->active && !((d->affinity[v] >> c) & 1))
                continue;
            g_snprintf(num, sizeof(num), "%u", c);
            xvSexprAppend(map, xvSexprNewAtom(num, XV_SEXPR_QUOTE_NONE));   /* copies */
        }
    }
    replySxp(r, 200, "OK", out, FALSE);
}

/* ---- POST /xend/domain/ ----------------------------------------------------- */

/* A file xend reads or writes on its host: below DIR, so the simulator
 * never touches anything outside its root.  NULL with the reply set. */
static char *
hostFile(XendReq *r, const char *op, const char *path, const char *verb)
{
    g_auto(GStrv) parts = NULL;

    if (!g_path_is_absolute(path)) {
        opError(r, op, "can't %s guest state file %s: path must be absolute", verb, path);
        return NULL;
    }
    parts = g_strsplit(path, "/", -1);
    for (guint i = 0; parts[i]; i++) {
        if (g_str_equal(parts[i], "..")) {
            opError(r, op, "can't %s guest state file %s: '..' is not allowed", verb, path);
            return NULL;
        }
    }
    return g_build_filename(r->host->root, path, NULL);
}

#define XEND_SAVE_SIGNATURE "LinuxGuestRecord"

/* Python's str() of an IOError: "[Errno 2] No such file or directory: '/p'". */
static char *
ioErrorText(int err, const char *shown)
{
    return g_strdup_printf("[Errno %d] %s: '%s'", err, g_strerror(err), shown);
}

/* Write or read a whole file; 0 or an errno. */
static int
fileWrite(const char *path, const char *data, gsize len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err = 0;

    if (fd < 0)
        return errno;
    while (len && !err) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : EIO;
            break;
        }
        data += n;
        len -= n;
    }
    if (close(fd) < 0 && !err)
        err = errno;
    return err;
}

static int
fileRead(const char *path, char **data, gsize *len)
{
    g_autoptr(GError) gerr = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return errno;
    close(fd);
    if (!g_file_get_contents(path, data, len, &gerr))
        return EIO;
    return 0;
}


/* A (vm ...) config, or a (domain ...) record posted back, -> a definition;
 * NULL with the reply set.  As xend: the name is checked first, a missing
 * uuid is generated. */
static xvDomainDef *
treeDef(XendReq *r, const char *op, xvSexpr *tree, gboolean *autostart)
{
    const char *head = xvSexprHead(tree);
    g_autofree char *namePath = g_strdup_printf("%s/name", head ? head : "vm");
    g_autofree char *uuidPath = g_strdup_printf("%s/uuid", head ? head : "vm");
    g_autofree char *startPath = g_strdup_printf("%s/on_xend_start", head ? head : "vm");
    const char *name = head ? xvSexprNodeValue(tree, namePath) : NULL;
    const char *start;
    xvDomainDef *def;

    if (!name || !*name) {
        opError(r, op, "Error creating domain: Missing VM Name");
        return NULL;
    }
    if (!nameValid(r->host, name)) {
        opError(r, op, "Error creating domain: Invalid VM Name");
        return NULL;
    }
    if (!xvSexprHas(tree, uuidPath)) {
        unsigned char raw[16];
        char uuid[XV_UUID_STRLEN];
        xvUUIDGenerate(raw);
        xvSexprAddPair(tree, "uuid", xvUUIDFormat(raw, uuid), XV_SEXPR_QUOTE_NONE);
    }
    xvErrorReset();
    if (!(def = xvSexprToDomainDef(tree, NULL, -1, xendConfigFormat(r->host)))) {
        virErrorPtr e = xvErrorGetLast();
        opError(r, op, "Error creating domain: %s", e && e->message ? e->message : "bad config");
        return NULL;
    }
    def->id = -1;
    start = xvSexprNodeValue(tree, startPath);
    if (autostart)
        *autostart = start && g_str_equal(start, "start");
    return def;
}

static xvDomainDef *
configDef(XendReq *r, const char *op, gboolean *autostart)
{
    const char *config = arg(r, "config");
    g_autoptr(xvSexpr) tree = NULL;

    if (!config) {
        opError(r, op, "Missing parameter: config");
        return NULL;
    }
    xvErrorReset();
    if (!(tree = xvSexprParseString(config, XV_SEXPR_PARSE_FIRST)) ||
        tree->kind != XV_SEXPR_LIST) {
        virErrorPtr e = xvErrorGetLast();
        opError(r, op, "Invalid configuration %s",
                e && e->message ? e->message : "not a list");
        return NULL;
    }
    return treeDef(r, op, tree, autostart);
}

static void
postCreate(XendReq *r)
{
    XsimHost *host = r->host;
    g_autoptr(xvDomainDef) def = configDef(r, "create", NULL);
    char uuid[XV_UUID_STRLEN];
    XsimDomain *d, *same;
    g_autoptr(GError) err = NULL;
    g_autoptr(xvSexpr) rec = NULL;
    g_autofree char *msg = NULL;

    if (!def)
        return;
    xvUUIDFormat(def->uuid, uuid);
    if ((same = xsimHostFindName(host, def->name, TRUE))) {
        opError(r, "create", "Error creating domain: Domain '%s' already exists with ID '%u'",
                def->name, same->domid);
        return;
    }
    if ((same = xsimHostFindUUID(host, uuid)) && (same->active || same->managed)) {
        g_autofree char *as = same->active ? g_strdup_printf(" as domain %u", same->domid)
                                           : g_strdup("");
        opError(r, "create", "Error creating domain: VM name '%s' already exists%s", same->name,
                as);
        return;
    }
    if ((same = xsimHostFindName(host, def->name, FALSE)) && same->managed) {
        opError(r, "create", "Error creating domain: VM name '%s' already exists", def->name);
        return;
    }
    d = xsimHostDefine(host, g_steal_pointer(&def), FALSE, NULL);
    if (!xsimHostStart(host, d, TRUE, &err)) {
        opError(r, "create", "Error creating domain: %s", err->message);
        xsimHostUndefine(host, d);
        return;
    }
    if (!(rec = xendRecord(host, d, &msg))) {
        opError(r, "create", "Error creating domain: %s", msg);
        return;
    }
    replySxp(r, 201, "Created", rec, FALSE);
    r->rep.location = g_strdup_printf("/xend/domain/%s", d->name);
}

static void
postNew(XendReq *r)
{
    XsimHost *host = r->host;
    gboolean autostart = FALSE;
    g_autoptr(xvDomainDef) def = configDef(r, "new", &autostart);
    char uuid[XV_UUID_STRLEN];
    XsimDomain *byName, *byUUID;

    if (!def)
        return;
    xvUUIDFormat(def->uuid, uuid);
    byName = xsimHostFindName(host, def->name, FALSE);
    byUUID = xsimHostFindUUID(host, uuid);
    if (byName && byName != byUUID && (byName->active || byName->managed)) {
        g_autofree char *as = byName->active ? g_strdup_printf(" as domain %u", byName->domid)
                                             : g_strdup("");
        opError(r, "new", "Error creating domain: VM name '%s' already exists%s", def->name, as);
        return;
    }
    if (byUUID) {
        /* a new config for a domain xend knows: kept, live state untouched */
        xvDomainDefFree(byUUID->def);
        byUUID->def = g_steal_pointer(&def);
        if (!byUUID->active) {
            XsimDomain *u = byUUID;
            u->maxMemoryKiB = u->def->max_memory;
            u->memoryKiB = u->def->current_memory ? u->def->current_memory : u->def->max_memory;
            u->vcpus = MIN(MAX(u->def->vcpus, 1u), XSIM_MAX_VCPUS);
            u->onlineVcpus = u->def->vcpus_current ? MIN(u->def->vcpus_current, u->vcpus)
                                                   : u->vcpus;
            g_free(u->name);
            u->name = g_strdup(u->def->name);
        }
        byUUID->managed = TRUE;
        byUUID->transient = FALSE;
        byUUID->autostart = autostart;
        storeSave(host, byUUID);
    } else {
        XsimDomain *d = xsimHostDefine(host, g_steal_pointer(&def), TRUE, NULL);
        d->autostart = autostart;
        storeSave(host, d);
    }
    setReply(r, 200, "OK", "application/sxp", NULL);
}

static void
postRestore(XendReq *r)
{
    XsimHost *host = r->host;
    const char *file = arg(r, "file");
    g_autofree char *path = NULL;
    g_autofree char *img = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(xvSexpr) tree = NULL;
    g_autoptr(xvDomainDef) def = NULL;
    gsize len = 0;
    guint32 be, clen;
    int rc;
    const gsize sig = strlen(XEND_SAVE_SIGNATURE);
    char uuid[XV_UUID_STRLEN];
    XsimDomain *d;

    if (!file) {
        opError(r, "restore", "'file'");
        return;
    }
    if (!(path = hostFile(r, "restore", file, "read")))
        return;
    if ((rc = fileRead(path, &img, &len))) {
        g_autofree char *why = ioErrorText(rc, file);
        opError(r, "restore", "can't read guest state file %s: %s", file, why);
        return;
    }
    if (len < sig + 4 || memcmp(img, XEND_SAVE_SIGNATURE, sig) != 0) {
        opError(r, "restore", "not a valid guest state file: signature mismatch");
        return;
    }
    memcpy(&be, img + sig, 4);
    clen = GUINT32_FROM_BE(be);
    xvErrorReset();
    if (clen > len - sig - 4 || !(tree = xvSexprParse(img + sig + 4, clen, 0, NULL))) {
        opError(r, "restore", "not a valid guest state file: config parse error");
        return;
    }
    if (!(def = treeDef(r, "restore", tree, NULL)))
        return;
    xvUUIDFormat(def->uuid, uuid);
    if ((d = xsimHostFindName(host, def->name, TRUE))) {
        opError(r, "restore", "Domain '%s' already exists with ID '%u'", def->name, d->domid);
        return;
    }
    if (!(d = xsimHostFindUUID(host, uuid)) || d->active) {
        d = xsimHostDefine(host, g_steal_pointer(&def), FALSE, NULL);
    }
    if (!xsimHostStart(host, d, FALSE, &err)) {
        opError(r, "restore", "%s", err->message);
        if (d->transient)
            xsimHostUndefine(host, d);
        return;
    }
    setReply(r, 201, "Created", "application/sxp", NULL);
    r->rep.location = g_strdup_printf("/xend/domain/%s", d->name);
}

/* ---- POST /xend/domain/X ---------------------------------------------------- */

typedef void (*OpFn)(XendReq *r, XsimDomain *d, const char *op);

static gboolean
requireLive(XendReq *r, XsimDomain *d, const char *op)
{
    if (!d->active) {
        opError(r, op, "Domain '%s' is not started", d->name);
        return FALSE;
    }
    return TRUE;
}

static void
accepted(XendReq *r)
{
    setReply(r, 202, "Accepted", "application/sxp", NULL);
}

static void
opPause(XendReq *r, XsimDomain *d, const char *op)
{
    gboolean pause = g_str_equal(op, "pause");

    if (!requireLive(r, d, op))
        return;
    if (d->domid == 0) {
        opError(r, op, "Cannot %s privileged domain 0", op);
        return;
    }
    if (d->shutdown) {
        opError(r, op, "Domain '%u' is not started", d->domid);
        return;
    }
    if (pause)
        xsimHostPause(r->host, d);
    else
        xsimHostUnpause(r->host, d);
    setReply(r, 200, "OK", "application/sxp", NULL);
}

static void
opShutdown(XendReq *r, XsimDomain *d, const char *op)
{
    static const char *const reasons[] = {"poweroff", "reboot", "halt", "suspend", "crash", NULL};
    const char *reason = arg(r, "reason");

    if (!reason) {
        opError(r, op, "'reason'");
        return;
    }
    if (!g_strv_contains(reasons, reason)) {
        opError(r, op, "Invalid reason: %s", reason);
        return;
    }
    if (d->active && d->domid == 0) {
        opError(r, op, "Domain 0 cannot be shutdown");
        return;
    }
    if (!d->active || d->shutdown) {
        opError(r, op, "Domain cannot be shutdown");
        return;
    }
    if (g_str_equal(reason, "crash"))
        xsimHostGuestShutdown(r->host, d, XSIM_SHUTDOWN_CRASH);
    else
        xsimHostRequestShutdown(r->host, d, reason);
    accepted(r);
}

static void
opDestroy(XendReq *r, XsimDomain *d, const char *op)
{
    if (d->active && d->domid == 0) {
        opError(r, op, "Cannot destroy privileged domain 0");
        return;
    }
    if (!d->active) {
        opError(r, op, "Domain is not running");
        return;
    }
    xsimHostDestroy(r->host, d);
    accepted(r);
}

static void
opStart(XendReq *r, XsimDomain *d, const char *op)
{
    g_autoptr(GError) err = NULL;

    if (d->active) {
        opError(r, op, "Domain is already running");
        return;
    }
    if (!xsimHostStart(r->host, d, FALSE, &err)) {
        opError(r, op, "%s", err->message);
        return;
    }
    accepted(r);
}

static void
opDelete(XendReq *r, XsimDomain *d, const char *op)
{
    if (d->active) {
        opError(r, op, "Domain is not halted.");
        return;
    }
    xsimHostUndefine(r->host, d);
    accepted(r);
}

static void
opMemory(XendReq *r, XsimDomain *d, const char *op)
{
    gboolean max = g_str_equal(op, "maxmem_set");
    gint64 mib;

    if (!argInt(r, op, max ? "memory" : "target", &mib))
        return;
    if (mib <= 0) {
        opError(r, op, "memory_dynamic_max too small");
        return;
    }
    if (max)
        xsimHostSetMaxMemory(r->host, d, (guint64)mib * 1024);
    else
        xsimHostSetMemory(r->host, d, (guint64)mib * 1024);
    setReply(r, 200, "OK", "application/sxp", NULL);
}

static void
opSetVcpus(XendReq *r, XsimDomain *d, const char *op)
{
    gint64 n;

    if (!argInt(r, op, "vcpus", &n))
        return;
    if (n <= 0) {
        opError(r, op, "Zero or less VCPUs is invalid");
        return;
    }
    if (n > d->vcpus) {
        if (d->active) {
            opError(r, op, "Cannot set vcpus greater than max vcpus on running domain");
            return;
        }
        d->vcpus = n;
        d->def->vcpus = n;
    }
    xsimHostSetVcpus(r->host, d, n);
    setReply(r, 200, "OK", "application/sxp", NULL);
}

static void
opWaitForDevices(XendReq *r, XsimDomain *d, const char *op)
{
    if (!requireLive(r, d, op))
        return;
    accepted(r);
}

static void
opCreditGet(XendReq *r, XsimDomain *d, const char *op)
{
    g_autofree char *v = g_strdup_printf("{'cap': %u, 'weight': %u}", d->cap, d->weight);

    setReply(r, 200, "OK", "application/sxp", NULL);
    xendShowAtom(r->host, r->rep.body, v);
}

static void
opCreditSet(XendReq *r, XsimDomain *d, const char *op)
{
    gint64 weight = d->weight, cap = d->cap;

    if (arg(r, "weight") && !argInt(r, op, "weight", &weight))
        return;
    if (xendSince(r->host, 3, 2, 0) && arg(r, "cap") && !argInt(r, op, "cap", &cap))
        return;
    if (weight < 1 || weight > 65535) {
        opError(r, op, "Cpu weight out of range, valid values are within range from 1 to 65535");
        return;
    }
    if (cap < 0 || cap > 100 * (gint64)d->vcpus) {
        opError(r, op, "Cpu cap out of range, valid range is from 0 to %u for specified number "
                "of vcpus", 100 * d->vcpus);
        return;
    }
    d->weight = weight;
    d->cap = cap;
    setReply(r, 200, "OK", "application/sxp", "0");
}

static void
opPinCpu(XendReq *r, XsimDomain *d, const char *op)
{
    const char *vcpu = arg(r, "vcpu");
    const char *map = arg(r, "cpumap");
    g_auto(GStrv) cpus = NULL;
    guint64 bits = 0;
    gint64 v;
    char *end;

    if (!vcpu || !map) {
        opError(r, op, "Missing parameter: %s", vcpu ? "cpumap" : "vcpu");
        return;
    }
    cpus = g_strsplit_set(map, "[], ", -1);
    for (guint i = 0; cpus[i]; i++) {
        gint64 c;
        if (!*cpus[i])
            continue;
        c = g_ascii_strtoll(cpus[i], &end, 10);
        if (*end || c < 0 || c >= XSIM_HOST_CPUS) {
            opError(r, op, "Cannot pin vcpu: %s to cpu: %s - (22, 'Invalid argument')", vcpu, map);
            return;
        }
        bits |= G_GUINT64_CONSTANT(1) << c;
    }
    if (!bits) {
        opError(r, op, "Cannot pin vcpu: %s to cpu: %s - (22, 'Invalid argument')", vcpu, map);
        return;
    }
    if (xendSince(r->host, 3, 3, 0) && g_str_equal(vcpu, "all")) {
        for (guint i = 0; i < d->vcpus; i++)
            d->affinity[i] = bits;
    } else {
        v = g_ascii_strtoll(vcpu, &end, 10);
        if (*end || v < 0 || v >= d->vcpus) {
            opError(r, op, "Cannot pin vcpu: %s to cpu: %s - (22, 'Invalid argument')", vcpu, map);
            return;
        }
        d->affinity[v] = bits;
    }
    setReply(r, 200, "OK", "application/sxp", xendSince(r->host, 3, 3, 0) ? "0" : "");
}

/* The device is added to the definition by converting it back together
 * with the domain's config, so the converters decide what it means. */
static void
opDeviceCreate(XendReq *r, XsimDomain *d, const char *op)
{
    const char *config = arg(r, "config");
    int fmt = xendConfigFormat(r->host);
    g_autofree char *cfgText = NULL;
    g_autoptr(xvSexpr) cfg = NULL;
    g_autoptr(xvSexpr) dev = NULL;
    g_autoptr(xvDomainDef) def = NULL;
    xvSexpr *wrap;

    if (!config) {
        opError(r, op, "Missing parameter: config");
        return;
    }
    xvErrorReset();
    if (!(dev = xvSexprParseString(config, 0)) || dev->kind != XV_SEXPR_LIST ||
        !xvSexprHead(dev)) {
        virErrorPtr e = xvErrorGetLast();
        opError(r, op, "Invalid device configuration %s", e && e->message ? e->message : config);
        return;
    }
    cfgText = xvDomainDefToSexpr(d->def, fmt);
    if (!cfgText || !(cfg = xvSexprParseString(cfgText, 0))) {
        opError(r, op, "cannot read the domain's configuration");
        return;
    }
    wrap = xvSexprAddList(cfg, "device");
    xvSexprAppend(wrap, g_steal_pointer(&dev));
    if (!(def = xvSexprToDomainDef(cfg, NULL, -1, fmt))) {
        virErrorPtr e = xvErrorGetLast();
        opError(r, op, "%s", e && e->message ? e->message : "bad device");
        return;
    }
    for (size_t i = 0; i + 1 < def->ndisks; i++) {
        for (size_t j = i + 1; j < def->ndisks; j++) {
            if (g_strcmp0(def->disks[i]->dst, def->disks[j]->dst) == 0) {
                opError(r, op, "Device %s is already connected.", def->disks[j]->dst);
                return;
            }
        }
    }
    def->id = d->def->id;
    xvDomainDefFree(d->def);
    d->def = g_steal_pointer(&def);
    xsimHostDevicesChanged(r->host, d);
    setReply(r, 200, "OK", "application/sxp", NULL);
}

/* The disk name a vbd's dev carries ("hdc:cdrom" -> "hdc", "ioemu:hda" -> "hda"). */
static char *
vbdName(const char *dev)
{
    const char *colon = strchr(dev, ':');

    if (colon && g_str_has_prefix(dev, "ioemu:"))
        return g_strdup(colon + 1);
    return colon ? g_strndup(dev, colon - dev) : g_strdup(dev);
}

/* Replace the configuration of one device: libvirt changes a CD-ROM's
 * media this way (same target, new uname).  The device is matched by its
 * disk name or its device number. */
static void
opDeviceConfigure(XendReq *r, XsimDomain *d, const char *op)
{
    const char *config = arg(r, "config");
    const char *devArg = arg(r, "dev");
    int fmt = xendConfigFormat(r->host);
    g_autofree char *cfgText = NULL;
    g_autoptr(xvSexpr) cfg = NULL;
    g_autoptr(xvSexpr) dev = NULL;
    g_autoptr(xvDomainDef) def = NULL;
    g_autofree char *want = NULL;
    const char *newDev;
    gboolean replaced = FALSE;

    if (!config || !devArg) {
        opError(r, op, "Missing parameter: %s", config ? "dev" : "config");
        return;
    }
    xvErrorReset();
    if (!(dev = xvSexprParseString(config, 0)) || dev->kind != XV_SEXPR_LIST ||
        g_strcmp0(xvSexprHead(dev), "vbd") != 0 ||
        !(newDev = xvSexprNodeValue(dev, "vbd/dev"))) {
        opError(r, op, "Refusing to reconfigure device: only vbd media changes are supported");
        return;
    }
    want = vbdName(newDev);
    cfgText = xvDomainDefToSexpr(d->def, fmt);
    if (!cfgText || !(cfg = xvSexprParseString(cfgText, 0))) {
        opError(r, op, "cannot read the domain's configuration");
        return;
    }
    for (guint i = 1; i < cfg->items->len && !replaced; i++) {
        xvSexpr *item = cfg->items->pdata[i];
        const xvSexpr *cls = xvSexprItem(item, 1);
        const char *cur;
        g_autofree char *name = NULL;
        g_autofree char *num = NULL;

        if (g_strcmp0(xvSexprHead(item), "device") != 0 || !cls ||
            g_strcmp0(xvSexprHead(cls), "vbd") != 0 || !(cur = xvSexprNodeValue(cls, "vbd/dev")))
            continue;
        name = vbdName(cur);
        num = g_strdup_printf("%d", xsimDiskDevid(name));
        if (!g_str_equal(name, want) ||
            (!g_str_equal(devArg, name) && !g_str_equal(devArg, num)))
            continue;
        xvSexprFree(g_ptr_array_steal_index(item->items, 1));
        g_ptr_array_insert(item->items, 1, g_steal_pointer(&dev));
        replaced = TRUE;
    }
    if (!replaced) {
        opError(r, op, "Device %s not connected", devArg);
        return;
    }
    if (!(def = xvSexprToDomainDef(cfg, NULL, -1, fmt))) {
        virErrorPtr e = xvErrorGetLast();
        opError(r, op, "%s", e && e->message ? e->message : "bad device");
        return;
    }
    def->id = d->def->id;
    xvDomainDefFree(d->def);
    d->def = g_steal_pointer(&def);
    xsimHostDevicesChanged(r->host, d);
    setReply(r, 200, "OK", "application/sxp", xendSince(r->host, 3, 1, 0) ? "True" : "");
}

static void
opDeviceDestroy(XendReq *r, XsimDomain *d, const char *op)
{
    const char *type = arg(r, "type");
    const char *dev = arg(r, "dev");
    gint64 dummy;

    if (!type || !dev) {
        opError(r, op, "Missing parameter: %s", type ? "dev" : "type");
        return;
    }
    if (xendSince(r->host, 3, 3, 0) &&
        (!argInt(r, op, "force", &dummy) || !argInt(r, op, "rm_cfg", &dummy)))
        return;
    if (g_str_equal(type, "vbd") || g_str_equal(type, "tap") || g_str_equal(type, "tap2")) {
        for (size_t i = 0; i < d->def->ndisks; i++) {
            xvDomainDiskDef *disk = d->def->disks[i];
            if (g_strcmp0(disk->dst, dev) == 0) {
                xvDomainDiskDefFree(disk);
                memmove(d->def->disks + i, d->def->disks + i + 1,
                        (d->def->ndisks - i - 1) * sizeof(*d->def->disks));
                d->def->ndisks--;
                xsimHostDevicesChanged(r->host, d);
                setReply(r, 200, "OK", "application/sxp", NULL);
                return;
            }
        }
    } else if (g_str_equal(type, "vif")) {
        char *end;
        gint64 idx = g_ascii_strtoll(dev, &end, 10);
        if (!*end && idx >= 0 && (size_t)idx < d->def->nnets) {
            xvDomainNetDefFree(d->def->nets[idx]);
            memmove(d->def->nets + idx, d->def->nets + idx + 1,
                    (d->def->nnets - idx - 1) * sizeof(*d->def->nets));
            d->def->nnets--;
            xsimHostDevicesChanged(r->host, d);
            setReply(r, 200, "OK", "application/sxp", NULL);
            return;
        }
    }
    opError(r, op, "Device %s not connected", dev);
}

/* xend's save image: the signature, the config's length (network order),
 * the config (our record), then the guest's memory (here: nothing). */
static void
opSave(XendReq *r, XsimDomain *d, const char *op)
{
    const char *file = arg(r, "file");
    g_autofree char *path = NULL;
    g_autofree char *msg = NULL;
    g_autoptr(xvSexpr) rec = NULL;
    g_autoptr(GString) img = g_string_new(XEND_SAVE_SIGNATURE);
    g_autoptr(GString) cfg = g_string_new(NULL);
    guint32 be;
    int rc;

    if (!file) {
        opError(r, op, "'file'");
        return;
    }
    if (d->active && d->domid == 0) {
        opError(r, op, "Cannot save privileged domain 0");
        return;
    }
    if (!d->active) {
        opError(r, op, "Domain is not running");
        return;
    }
    if (!(path = hostFile(r, op, file, "write")))
        return;
    if (!(rec = xendRecord(r->host, d, &msg))) {
        opError(r, op, "%s", msg);
        return;
    }
    xendShow(r->host, cfg, rec);
    be = GUINT32_TO_BE(cfg->len);
    g_string_append_len(img, (const char *)&be, 4);
    g_string_append_len(img, cfg->str, cfg->len);
    if ((rc = fileWrite(path, img->str, img->len))) {
        g_autofree char *why = ioErrorText(rc, file);
        opError(r, op, "can't write guest state file %s: %s", file, why);
        return;
    }
    xsimHostDestroy(r->host, d);
    accepted(r);
}

static void
opDump(XendReq *r, XsimDomain *d, const char *op)
{
    const char *file = arg(r, "file");
    g_autofree char *path = NULL;
    g_autofree char *core = NULL;
    gint64 live, crash, reset = 0;
    int rc;

    if (!file) {
        opError(r, op, "Missing parameter: file");
        return;
    }
    if (!argInt(r, op, "live", &live) || !argInt(r, op, "crash", &crash) ||
        (xendSince(r->host, 4, 0, 0) && !argInt(r, op, "reset", &reset)))
        return;
    if (!requireLive(r, d, op))
        return;
    if (d->domid == 0) {
        opError(r, op, "Cannot dump core for privileged domain 0");
        return;
    }
    if (!(path = hostFile(r, op, file, "write")))
        return;
    core = g_strdup_printf("xensim core of domain %u (%s), %" G_GUINT64_FORMAT " KiB\n",
                           d->domid, d->name, d->memoryKiB);
    if ((rc = fileWrite(path, core, strlen(core)))) {
        g_autofree char *why = ioErrorText(rc, file);
        opError(r, op, "Failed to dump core: %s", why);
        return;
    }
    if (crash)
        xsimHostGuestShutdown(r->host, d, XSIM_SHUTDOWN_CRASH);
    else if (reset)
        xsimHostGuestShutdown(r->host, d, XSIM_SHUTDOWN_REBOOT);
    accepted(r);
}

typedef struct {
    const char *name;
    OpFn fn;
    guint major, minor, micro;    /* first version that has it */
} XendOp;

static const XendOp xendOps[] = {
    { "pause", opPause, 3, 0, 0 },
    { "unpause", opPause, 3, 0, 0 },
    { "shutdown", opShutdown, 3, 0, 0 },
    { "destroy", opDestroy, 3, 0, 0 },
    { "start", opStart, 3, 0, 4 },
    { "delete", opDelete, 3, 0, 4 },
    { "mem_target_set", opMemory, 3, 0, 0 },
    { "maxmem_set", opMemory, 3, 0, 0 },
    { "set_vcpus", opSetVcpus, 3, 0, 0 },
    { "wait_for_devices", opWaitForDevices, 3, 0, 0 },
    { "domain_sched_credit_get", opCreditGet, 3, 0, 3 },
    { "domain_sched_credit_set", opCreditSet, 3, 0, 3 },
    { "pincpu", opPinCpu, 3, 0, 0 },
    { "device_create", opDeviceCreate, 3, 0, 0 },
    { "device_destroy", opDeviceDestroy, 3, 0, 0 },
    { "device_configure", opDeviceConfigure, 3, 0, 0 },
    { "save", opSave, 3, 0, 0 },
    { "dump", opDump, 3, 0, 4 },
};

/* op must be given exactly once: 406 otherwise. */
static const char *
theOp(XendReq *r)
{
    GPtrArray *v = g_hash_table_lookup(r->args, "op");

    if (!v || v->len != 1) {
        setReply(r, 406, "Invalid request", "application/sxp",
                 xendSince(r->host, 4, 1, 0) ? "''" : "");
        return NULL;
    }
    return v->pdata[0];
}

static void
unknownOp(XendReq *r, const char *op)
{
    g_autofree char *text = g_strdup_printf("Operation not implemented: %s", op);

    setReply(r, 501, text, "application/sxp", text);
    if (xendSince(r->host, 4, 1, 0))
        g_string_append(r->rep.body, "''");
}

static void
domainRequest(XendReq *r, const char *x)
{
    XsimDomain *d = lookupDomain(r->host, x);
    const char *op;

    if (!d) {
        notFoundDomain(r, x);
        return;
    }
    if (g_str_equal(r->method, "GET") || g_str_equal(r->method, "HEAD")) {
        const char *gop = arg(r, "op");
        g_autofree char *msg = NULL;
        g_autoptr(xvSexpr) rec = NULL;

        if (gop && g_str_equal(gop, "vcpuinfo")) {
            getVcpuInfo(r, d);
            return;
        }
        if (!(rec = xendRecord(r->host, d, &msg))) {
            opError(r, "GET", "%s", msg);
            return;
        }
        replySxp(r, 200, "OK", rec, TRUE);
        return;
    }
    if (!(op = theOp(r)))
        return;
    if (g_str_equal(op, "vcpuinfo")) {
        getVcpuInfo(r, d);
        return;
    }
    for (guint i = 0; i < G_N_ELEMENTS(xendOps); i++) {
        const XendOp *o = &xendOps[i];
        if (g_str_equal(o->name, op) && xendSince(r->host, o->major, o->minor, o->micro)) {
            char uuid[37];
            g_strlcpy(uuid, d->uuid, sizeof(uuid));
            o->fn(r, d, op);
            /* xend keeps a managed domain's config in step (d may be gone) */
            if (r->rep.code < 300 && (d = xsimHostFindUUID(r->host, uuid)) && d->managed)
                storeSave(r->host, d);
            else if (r->rep.code < 300 && !d)
                storeRemove(r->host, uuid);
            return;
        }
    }
    unknownOp(r, op);
}

static void
domainDirRequest(XendReq *r)
{
    const char *op;

    if (g_str_equal(r->method, "GET") || g_str_equal(r->method, "HEAD")) {
        getDomainList(r);
        return;
    }
    if (!(op = theOp(r)))
        return;
    if (g_str_equal(op, "create"))
        postCreate(r);
    else if (g_str_equal(op, "new") && xendSince(r->host, 3, 0, 4))
        postNew(r);
    else if (g_str_equal(op, "restore"))
        postRestore(r);
    else if (g_str_equal(op, "list"))
        getDomainList(r);
    else
        unknownOp(r, op);
}

/* Route a request; the reply is left in r->rep. */
static void
xendRoute(XendReq *r, const char *rawPath)
{
    g_auto(GStrv) segs = g_strsplit(rawPath, "/", -1);
    g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; segs[i]; i++) {
        char *s = g_uri_unescape_string(segs[i], NULL);
        if (!s) {
            setReply(r, 400, "Bad request", NULL, "");
            r->rep.close = TRUE;
            return;
        }
        if (*s)
            g_ptr_array_add(path, s);
        else
            g_free(s);
    }
    if (!g_str_equal(r->method, "GET") && !g_str_equal(r->method, "POST") &&
        !g_str_equal(r->method, "HEAD")) {
        g_autofree char *b = g_strdup_printf("Request method not supported (%s)", r->method);
        setReply(r, 501, "Not implemented", "text/plain", b);
        return;
    }
    if (path->len == 0) {
        setReply(r, 200, "OK", "application/sxp", "(ls )");
        return;
    }
    if (!g_str_equal(path->pdata[0], "xend")) {
        g_autofree char *b = g_strdup_printf("Not found: %s", (char *)path->pdata[0]);
        setReply(r, 404, "Not found", "text/plain", b);
        return;
    }
    if (path->len == 1) {
        setReply(r, 200, "OK", "application/sxp", "(ls  node domain vnet)");
        if (xendSince(r->host, 4, 1, 0))
            g_string_append(r->rep.body, "''");
        return;
    }
    if (g_str_equal(path->pdata[1], "node") && path->len == 2) {
        g_autoptr(xvSexpr) node = xendNodeRecord(r->host);
        replySxp(r, 200, "OK", node, FALSE);
        return;
    }
    if (g_str_equal(path->pdata[1], "domain") && path->len == 2) {
        domainDirRequest(r);
        return;
    }
    if (g_str_equal(path->pdata[1], "domain") && path->len == 3) {
        domainRequest(r, path->pdata[2]);
        return;
    }
    {
        g_autofree char *b = g_strdup_printf("Not found: %s",
                                             (char *)path->pdata[path->len - 1]);
        setReply(r, 404, "Not found", "text/plain", b);
    }
}

/* ---- connections ------------------------------------------------------------ */

static void
xendConnClose(XendConn *c)
{
    xsimConnClose(&c->conn);
}

/* What became of a connection after a reply. */
typedef enum {
    XEND_CLOSED,               /* gone (freed) */
    XEND_KEPT,                 /* keep-alive: ready for the next request */
    XEND_HELD,                 /* a delayed reply is pending */
} XendAfter;

/* The reply went out: close, or (keep-alive) drop the request just
 * answered and go on with what the client sent since. */
static XendAfter
xendReplied(XendConn *c)
{
    if (!c->keep) {
        xendConnClose(c);
        return XEND_CLOSED;
    }
    g_byte_array_remove_range(c->conn.in, 0, MIN(c->consumed, c->conn.in->len));
    c->consumed = 0;
    return XEND_KEPT;
}

/* A held reply went out (connserver.h): as xendReplied; TRUE to go on. */
static gboolean
xendAfterHeld(XsimConn *conn)
{
    return xendReplied((XendConn *)conn) == XEND_KEPT;
}

static XendAfter
xendSend(XendConn *c, int code, const char *reason, const char *ctype, const char *location,
         const char *body, gsize blen)
{
    XsimHost *host = xendOf(c)->host;
    g_autoptr(GString) out = g_string_new(NULL);
    gboolean garble;

    host->counters.xend++;
    g_string_append_printf(out, "HTTP/1.1 %d %s\r\n", code, reason);
    if (ctype)
        g_string_append_printf(out, "Content-type: %s\r\n", ctype);
    g_string_append(out, "Pragma: no-cache\r\nCache-control: no-cache\r\nExpires: -1\r\n");
    if (location)
        g_string_append_printf(out, "Location: %s\r\n", location);
    if (c->keep)
        g_string_append(out, "Connection: keep-alive\r\n");
    xsimFaultsNext(&host->xendFaults, 0, &garble);
    if (garble) {
        /* a body that is not SXP: a list never closed */
        body = "(domain (name broken";
        blen = strlen(body);
    }
    g_string_append_printf(out, "Content-length: %zu\r\n\r\n", blen);
    g_string_append_len(out, body, blen);
    if (host->xendFaults.dropAt && host->xendFaults.served == host->xendFaults.dropAt) {
        xsimWriteAll(c->conn.fd, out->str, out->len / 2);
        xendConnClose(c);
        return XEND_CLOSED;
    }
    if (host->xendFaults.delayMs) {
        xsimConnHold(&c->conn, out->str, out->len, host->xendFaults.delayMs);
        return XEND_HELD;
    }
    if (!xsimWriteAll(c->conn.fd, out->str, out->len)) {
        xendConnClose(c);
        return XEND_CLOSED;
    }
    return xendReplied(c);
}

/* A complete request is in c's input (headers end at hend, body follows). */
static XendAfter
xendHandle(XendConn *c, gsize hend, gsize clen)
{
    g_autofree char *head = g_strndup((const char *)c->conn.in->data, hend);
    g_auto(GStrv) lines = g_strsplit(head, "\r\n", -1);
    g_auto(GStrv) rl = g_strsplit(lines[0], " ", -1);
    g_autofree char *ctype = NULL;
    XendReq r = { .xend = xendOf(c), .host = xendOf(c)->host };
    g_autofree char *rawPath = NULL;
    XendAfter after;
    char *q;

    c->consumed = hend + 4 + clen;
    c->keep = FALSE;
    if (g_strv_length(rl) != 3 && g_strv_length(rl) != 2)
        return xendSend(c, 400, "Bad request", NULL, NULL, "", 0);
    if (rl[1] && rl[2]) {
        /* "HTTP/major.minor"; above 2.0 xend answered 505 */
        guint maj = 0, min = 0;
        if (sscanf(rl[2], "HTTP/%u.%u", &maj, &min) != 2)
            return xendSend(c, 400, "Bad request", NULL, NULL, "", 0);
        if (maj > 2 || (maj == 2 && min > 0))
            return xendSend(c, 505, "HTTP version not supported", NULL, NULL, "", 0);
    }
    for (guint i = 1; lines[i]; i++) {
        if (g_ascii_strncasecmp(lines[i], "content-type:", 13) == 0) {
            g_free(ctype);
            ctype = g_strstrip(g_strdup(lines[i] + 13));
        } else if (g_ascii_strncasecmp(lines[i], "connection:", 11) == 0) {
            g_autofree char *v = g_strstrip(g_strdup(lines[i] + 11));
            /* only an explicit keep-alive keeps the socket open */
            c->keep = g_ascii_strcasecmp(v, "keep-alive") == 0;
        }
    }
    r.method = rl[0];
    r.args = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, argsFree);
    r.rep.body = g_string_new(NULL);
    rawPath = g_strdup(rl[1]);
    if ((q = strchr(rawPath, '?'))) {
        *q = '\0';
        parseForm(r.args, q + 1, strlen(q + 1), FALSE, FALSE);
    }
    if (g_str_equal(r.method, "POST") && ctype &&
        g_ascii_strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0)
        parseForm(r.args, (const char *)c->conn.in->data + hend + 4, clen, TRUE, TRUE);
    xendRoute(&r, rawPath);
    if (r.rep.close)
        c->keep = FALSE;
    after = xendSend(c, r.rep.code, r.rep.reason, r.rep.ctype, r.rep.location, r.rep.body->str,
                     g_str_equal(r.method, "HEAD") ? 0 : r.rep.body->len);
    g_hash_table_unref(r.args);
    g_string_free(r.rep.body, TRUE);
    g_free(r.rep.reason);
    g_free(r.rep.location);
    return after;
}

/* Answer the complete requests c's input holds.  TRUE: keep reading;
 * FALSE: c is gone or a reply is held (its timer resumes reading). */
static gboolean
xendServe(XsimConn *conn)
{
    XendConn *c = (XendConn *)conn;

    for (;;) {
        const guint8 *end = memmem(c->conn.in->data, c->conn.in->len, "\r\n\r\n", 4);
        gsize hend, clen = 0;
        XendAfter after;

        if (!end) {
            if (c->conn.in->len > XEND_MAX_HEADER) {
                c->keep = FALSE;
                xendSend(c, 400, "Bad request", NULL, NULL, "", 0);
                return FALSE;
            }
            return TRUE;
        }
        hend = end - c->conn.in->data;
        {
            g_autofree char *head = g_strndup((const char *)c->conn.in->data, hend);
            g_auto(GStrv) lines = g_strsplit(head, "\r\n", -1);
            for (guint i = 1; lines[i]; i++)
                if (g_ascii_strncasecmp(lines[i], "content-length:", 15) == 0)
                    clen = g_ascii_strtoull(lines[i] + 15, NULL, 10);
        }
        if (clen > XEND_MAX_CONTENT) {
            /* xend answers and closes: the body is never read */
            c->keep = FALSE;
            xendSend(c, 413, "Request entity too large", NULL, NULL, "", 0);
            return FALSE;
        }
        if (c->conn.in->len < hend + 4 + clen)
            return TRUE;
        after = xendHandle(c, hend, clen);
        if (after != XEND_KEPT)
            return FALSE;
    }
}

static gboolean
xendListen(XsimXend *xend, GError **error)
{
    if (!xsimServerListenUnix(xend->srv, xend->path, error))
        return FALSE;
    if (xend->host->xendPort && !xsimServerListenTcpLocal(xend->srv, xend->host->xendPort, error))
        return FALSE;
    return TRUE;
}

gboolean
xsimXendStart(XsimHost *host, GError **error)
{
    XsimXend *xend;

    if (!xsimHostHasXend(host))
        return TRUE;             /* Xen 4.5+: there is no xend */
    xend = g_new0(XsimXend, 1);
    xend->host = host;
    xend->path = g_build_filename(host->root, "var/lib/xend/xend-socket", NULL);
    /* header and body sizes are xendServe's to check */
    xend->srv = xsimServerNew(xend, sizeof(XendConn), 0, xendServe, xendAfterHeld);
    storeLoad(host);
    if (!xendListen(xend, error))
        return FALSE;
    host->xend = xend;
    return TRUE;
}

gboolean
xsimXendRestart(XsimHost *host, GError **error)
{
    XsimXend *xend = host->xend;

    if (!xend)
        return TRUE;
    xsimServerReset(xend->srv);
    return xendListen(xend, error);
}

gboolean
xsimXendFault(XsimHost *host, const char *spec, GError **error)
{
    return xsimFaultsParse(&host->xendFaults, "xend", spec, error);
}
