/*
 * xvirsh-util.c: formatting and parsing helpers shared by xvirsh commands.
 *
 * The words virsh prints for states and reasons, its table layout, and the
 * CPU-list syntax ("0-3,^2") live here, each described once, so every
 * command prints them the same way, together with dumpxml's XPath
 * filter (the one place xvirsh reads XML with libxml2).  Nothing here
 * talks to the library except xvshNodeCPUCount.
 */
#include <stdarg.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "xvirsh.h"

/* ---- state words ------------------------------------------------------ */

/* Indexed by virDomainState. */
static const char *const xvshStateWords[] = {
    [VIR_DOMAIN_NOSTATE] = "no state",
    [VIR_DOMAIN_RUNNING] = "running",
    [VIR_DOMAIN_BLOCKED] = "idle",
    [VIR_DOMAIN_PAUSED] = "paused",
    [VIR_DOMAIN_SHUTDOWN] = "in shutdown",
    [VIR_DOMAIN_SHUTOFF] = "shut off",
    [VIR_DOMAIN_CRASHED] = "crashed",
    [VIR_DOMAIN_PMSUSPENDED] = "pmsuspended",
};
G_STATIC_ASSERT(G_N_ELEMENTS(xvshStateWords) == VIR_DOMAIN_PMSUSPENDED + 1);

const char *
xvshDomainStateToString(int state)
{
    if (state < 0 || state >= (int) G_N_ELEMENTS(xvshStateWords))
        return "no state";
    return xvshStateWords[state];
}

static const char *const xvshReasonRunning[] = {
    [VIR_DOMAIN_RUNNING_UNKNOWN] = "unknown",
    [VIR_DOMAIN_RUNNING_BOOTED] = "booted",
    [VIR_DOMAIN_RUNNING_MIGRATED] = "migrated",
    [VIR_DOMAIN_RUNNING_RESTORED] = "restored",
    [VIR_DOMAIN_RUNNING_FROM_SNAPSHOT] = "from snapshot",
    [VIR_DOMAIN_RUNNING_UNPAUSED] = "unpaused",
    [VIR_DOMAIN_RUNNING_MIGRATION_CANCELED] = "migration canceled",
    [VIR_DOMAIN_RUNNING_SAVE_CANCELED] = "save canceled",
    [VIR_DOMAIN_RUNNING_WAKEUP] = "event wakeup",
    [VIR_DOMAIN_RUNNING_CRASHED] = "crashed",
    [VIR_DOMAIN_RUNNING_POSTCOPY] = "post-copy",
};
G_STATIC_ASSERT(G_N_ELEMENTS(xvshReasonRunning) == VIR_DOMAIN_RUNNING_POSTCOPY + 1);

static const char *const xvshReasonPaused[] = {
    [VIR_DOMAIN_PAUSED_UNKNOWN] = "unknown",
    [VIR_DOMAIN_PAUSED_USER] = "user",
    [VIR_DOMAIN_PAUSED_MIGRATION] = "migrating",
    [VIR_DOMAIN_PAUSED_SAVE] = "saving",
    [VIR_DOMAIN_PAUSED_DUMP] = "dumping",
    [VIR_DOMAIN_PAUSED_IOERROR] = "I/O error",
    [VIR_DOMAIN_PAUSED_WATCHDOG] = "watchdog",
    [VIR_DOMAIN_PAUSED_FROM_SNAPSHOT] = "from snapshot",
    [VIR_DOMAIN_PAUSED_SHUTTING_DOWN] = "shutting down",
    [VIR_DOMAIN_PAUSED_SNAPSHOT] = "creating snapshot",
    [VIR_DOMAIN_PAUSED_CRASHED] = "crashed",
    [VIR_DOMAIN_PAUSED_STARTING_UP] = "starting up",
    [VIR_DOMAIN_PAUSED_POSTCOPY] = "post-copy",
    [VIR_DOMAIN_PAUSED_POSTCOPY_FAILED] = "post-copy failed",
};
G_STATIC_ASSERT(G_N_ELEMENTS(xvshReasonPaused) == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED + 1);

static const char *const xvshReasonShutdown[] = {
    [VIR_DOMAIN_SHUTDOWN_UNKNOWN] = "unknown",
    [VIR_DOMAIN_SHUTDOWN_USER] = "user",
};

static const char *const xvshReasonShutoff[] = {
    [VIR_DOMAIN_SHUTOFF_UNKNOWN] = "unknown",
    [VIR_DOMAIN_SHUTOFF_SHUTDOWN] = "shutdown",
    [VIR_DOMAIN_SHUTOFF_DESTROYED] = "destroyed",
    [VIR_DOMAIN_SHUTOFF_CRASHED] = "crashed",
    [VIR_DOMAIN_SHUTOFF_MIGRATED] = "migrated",
    [VIR_DOMAIN_SHUTOFF_SAVED] = "saved",
    [VIR_DOMAIN_SHUTOFF_FAILED] = "failed",
    [VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT] = "from snapshot",
    [VIR_DOMAIN_SHUTOFF_DAEMON] = "daemon",
};
G_STATIC_ASSERT(G_N_ELEMENTS(xvshReasonShutoff) == VIR_DOMAIN_SHUTOFF_DAEMON + 1);

static const char *const xvshReasonCrashed[] = {
    [VIR_DOMAIN_CRASHED_UNKNOWN] = "unknown",
    [VIR_DOMAIN_CRASHED_PANICKED] = "panicked",
};

static const struct {
    const char *const *words;
    size_t n;
} xvshReasons[] = {
    [VIR_DOMAIN_RUNNING] = {xvshReasonRunning, G_N_ELEMENTS(xvshReasonRunning)},
    [VIR_DOMAIN_PAUSED] = {xvshReasonPaused, G_N_ELEMENTS(xvshReasonPaused)},
    [VIR_DOMAIN_SHUTDOWN] = {xvshReasonShutdown, G_N_ELEMENTS(xvshReasonShutdown)},
    [VIR_DOMAIN_SHUTOFF] = {xvshReasonShutoff, G_N_ELEMENTS(xvshReasonShutoff)},
    [VIR_DOMAIN_CRASHED] = {xvshReasonCrashed, G_N_ELEMENTS(xvshReasonCrashed)},
    [VIR_DOMAIN_PMSUSPENDED] = {NULL, 0},
};

const char *
xvshDomainStateReasonToString(int state, int reason)
{
    if (state < 0 || state >= (int) G_N_ELEMENTS(xvshReasons) || reason < 0 ||
        (size_t) reason >= xvshReasons[state].n)
        return "unknown";
    return xvshReasons[state].words[reason];
}

const char *
xvshVcpuStateToString(int state)
{
    switch ((virVcpuState) state) {
    case VIR_VCPU_OFFLINE:
        return "offline";
    case VIR_VCPU_BLOCKED:
        return "idle";
    case VIR_VCPU_RUNNING:
        return "running";
    }
    return "no state";
}

/* ---- tables ----------------------------------------------------------- */

struct _XvshTable {
    guint ncols;
    GPtrArray *rows; /* GStrv each; row 0 is the header */
};

static GStrv
xvshTableRowFromArgs(const char *first, va_list ap)
{
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();

    for (const char *s = first; s; s = va_arg(ap, const char *))
        g_strv_builder_add(b, s);
    return g_strv_builder_end(b);
}

XvshTable *
xvshTableNew(const char *first, ...)
{
    XvshTable *table = g_new0(XvshTable, 1);
    GStrv header;
    va_list ap;

    va_start(ap, first);
    header = xvshTableRowFromArgs(first, ap);
    va_end(ap);
    table->ncols = g_strv_length(header);
    table->rows = g_ptr_array_new_with_free_func((GDestroyNotify) g_strfreev);
    g_ptr_array_add(table->rows, header);
    return table;
}

void
xvshTableAddRow(XvshTable *table, const char *first, ...)
{
    GStrv row;
    va_list ap;

    va_start(ap, first);
    row = xvshTableRowFromArgs(first, ap);
    va_end(ap);
    g_assert(g_strv_length(row) == table->ncols);
    g_ptr_array_add(table->rows, row);
}

/* Terminal cells, not bytes: wide characters take two, combining none. */
static size_t
xvshDisplayWidth(const char *s)
{
    size_t width = 0;

    if (!g_utf8_validate(s, -1, NULL))
        return strlen(s);
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if (g_unichar_iszerowidth(c))
            continue;
        width += g_unichar_iswide(c) ? 2 : 1;
    }
    return width;
}

void
xvshTablePrint(XvshControl *ctl, XvshTable *table)
{
    g_autofree size_t *widths = g_new0(size_t, table->ncols);
    guint first = ctl->quiet ? 1 : 0;
    g_autoptr(GString) line = g_string_new(NULL);

    for (guint r = first; r < table->rows->len; r++) {
        GStrv row = g_ptr_array_index(table->rows, r);

        for (guint c = 0; c < table->ncols; c++)
            widths[c] = MAX(widths[c], xvshDisplayWidth(row[c]));
    }

    for (guint r = first; r < table->rows->len; r++) {
        GStrv row = g_ptr_array_index(table->rows, r);

        g_string_truncate(line, 0);
        for (guint c = 0; c < table->ncols; c++) {
            g_string_append_c(line, ' ');
            g_string_append(line, row[c]);
            if (c + 1 < table->ncols) {
                for (size_t w = xvshDisplayWidth(row[c]); w < widths[c]; w++)
                    g_string_append_c(line, ' ');
                g_string_append(line, "  ");
            }
        }
        xvshPrint(ctl, "%s\n", line->str);
        if (r == 0) {
            size_t rule = 0;

            for (guint c = 0; c < table->ncols; c++)
                rule += widths[c] + 3;
            g_string_truncate(line, 0);
            for (size_t i = 0; i < rule; i++)
                g_string_append_c(line, '-');
            xvshPrint(ctl, "%s\n", line->str);
        }
    }
}

void
xvshTableFree(XvshTable *table)
{
    if (!table)
        return;
    if (table->rows)
        g_ptr_array_unref(table->rows);
    g_free(table);
}

/* ---- CPU lists -------------------------------------------------------- */

static bool
xvshParseCPUNumber(const char **p, int maxbits, int *value)
{
    const char *s = *p;
    long v = 0;

    if (!g_ascii_isdigit(*s))
        return false;
    while (g_ascii_isdigit(*s)) {
        v = v * 10 + (*s - '0');
        if (v >= maxbits)
            return false;
        s++;
    }
    *value = (int) v;
    *p = s;
    return true;
}

unsigned char *
xvshParseCPUList(const char *str, int maxbits, int *lastbit, char **err)
{
    g_autofree unsigned char *map = g_new0(unsigned char, VIR_CPU_MAPLEN(maxbits));
    const char *p = str;
    bool any = false;

    *lastbit = -1;
    while (*p) {
        bool negate = false;
        int lo, hi;

        while (g_ascii_isspace(*p))
            p++;
        if (*p == '^') {
            negate = true;
            p++;
        }
        if (!xvshParseCPUNumber(&p, maxbits, &lo))
            goto bad;
        hi = lo;
        if (*p == '-') {
            p++;
            if (negate || !xvshParseCPUNumber(&p, maxbits, &hi) || hi < lo)
                goto bad;
        }
        while (g_ascii_isspace(*p))
            p++;
        if (*p == ',') {
            p++;
            if (!*p)
                goto bad;
        } else if (*p) {
            goto bad;
        }
        for (int i = lo; i <= hi; i++) {
            if (negate)
                VIR_UNUSE_CPU(map, i);
            else
                VIR_USE_CPU(map, i);
        }
        any = true;
    }
    if (!any)
        goto bad;

    for (int i = maxbits - 1; i >= 0; i--) {
        if (VIR_CPU_USED(map, i)) {
            *lastbit = i;
            break;
        }
    }
    return g_steal_pointer(&map);

 bad:
    *err = g_strdup_printf("Failed to parse bitmap '%s'", str);
    return NULL;
}

char *
xvshFormatCPUList(const unsigned char *map, int nbits)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    int i = 0;

    while (i < nbits) {
        int start;

        if (!VIR_CPU_USED(map, i)) {
            i++;
            continue;
        }
        start = i;
        while (i + 1 < nbits && VIR_CPU_USED(map, i + 1))
            i++;
        if (buf->len)
            g_string_append_c(buf, ',');
        if (start == i)
            g_string_append_printf(buf, "%d", start);
        else
            g_string_append_printf(buf, "%d-%d", start, i);
        i++;
    }
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

int
xvshNodeCPUCount(XvshControl *ctl)
{
    virNodeInfo info;

    if (virNodeGetInfo(ctl->conn, &info) < 0)
        return -1;
    return VIR_NODEINFO_MAXCPUS(info);
}

/* ---- XPath filter ----------------------------------------------------- */

static void
xvshXMLSilent(void *ctx, const char *msg, ...)
{
}

#if LIBXML_VERSION >= 21200
static void
xvshXMLSilentStructured(void *ctx, const xmlError *err)
{
}
#else
static void
xvshXMLSilentStructured(void *ctx, xmlErrorPtr err)
{
}
#endif

static void
xvshPrintNode(XvshControl *ctl, xmlDocPtr doc, xmlNodePtr node)
{
    xmlBufferPtr buf = xmlBufferCreate();

    xmlNodeDump(buf, doc, node, 0, 1);
    xvshPrint(ctl, "%s\n", (const char *) xmlBufferContent(buf));
    xmlBufferFree(buf);
}

bool
xvshPrintXPath(XvshControl *ctl, const char *xml, const char *xpath, bool wrap)
{
    xmlDocPtr doc = NULL;
    xmlXPathContextPtr xpctx = NULL;
    xmlXPathObjectPtr obj = NULL;
    xmlDocPtr wrapdoc = NULL;
    bool ret = false;

    /* libxml2 would print its own complaints to stderr */
    xmlSetGenericErrorFunc(NULL, xvshXMLSilent);
    xmlSetStructuredErrorFunc(NULL, xvshXMLSilentStructured);

    if (!(doc = xmlReadMemory(xml, strlen(xml), "domain.xml", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
                                  XML_PARSE_NOWARNING))) {
        xvshError(ctl, "%s", "cannot parse the domain's XML");
        goto cleanup;
    }
    if (!(xpctx = xmlXPathNewContext(doc)))
        goto cleanup;
    xpctx->node = xmlDocGetRootElement(doc);
    obj = xmlXPathEval((const xmlChar *) xpath, xpctx);
    if (!obj || obj->type != XPATH_NODESET) {
        /* virsh's words; it accepts node sets only.  (For a malformed
         * expression virsh 9.0 prints libxml2's complaint and succeeds;
         * we report it as the error it is.) */
        xvshError(ctl, "internal error: Incorrect xpath '%s'", xpath);
        goto cleanup;
    }

    if (wrap) {
        xmlNodePtr root;

        wrapdoc = xmlNewDoc((const xmlChar *) "1.0");
        root = xmlNewNode(NULL, (const xmlChar *) "nodes");
        xmlDocSetRootElement(wrapdoc, root);
        for (int i = 0; obj->nodesetval && i < obj->nodesetval->nodeNr; i++) {
            xmlNodePtr copy = xmlDocCopyNode(obj->nodesetval->nodeTab[i], wrapdoc, 1);

            if (copy && !xmlAddChild(root, copy))
                xmlFreeNode(copy);
        }
        xvshPrintNode(ctl, wrapdoc, root);
    } else {
        for (int i = 0; obj->nodesetval && i < obj->nodesetval->nodeNr; i++)
            xvshPrintNode(ctl, doc, obj->nodesetval->nodeTab[i]);
    }
    ret = true;

 cleanup:
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(xpctx);
    xmlFreeDoc(wrapdoc);
    xmlFreeDoc(doc);
    return ret;
}
