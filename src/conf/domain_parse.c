/*
 * domain_parse.c: libvirt domain XML -> xvDomainDef.
 *
 * Walks the libxml2 tree directly (first matching child, like libvirt's
 * "./name[1]" XPath) rather than compiling XPath expressions: the walk is
 * several times faster and keeps every lookup next to the value it fills.
 * The parser keeps what the user wrote: absent values stay absent (NULL,
 * has_ flags, tri-states) and defaults are the formatter's business.  Every
 * invalid value is an error naming the element and the value; unknown
 * elements and attributes are ignored, as libvirt does.  This file reads
 * the document and the domain-wide elements and holds the tree and value
 * helpers; everything under <devices>, and the single-device documents of
 * attach/detach, is read by domain_parse_dev.c (domain_parse_priv.h is
 * the seam between the two).
 *
 * Untrusted input: the document is read with no network access, no DTD
 * loading, no entity substitution, and a document carrying a DOCTYPE is
 * refused outright, so there is no XXE and no entity expansion.  Size, and
 * the number of devices of each kind, are capped (domain_conf.h).  The
 * parser does no I/O and keeps no state, which is what makes it fuzzable.
 */
#define XV_FROM VIR_FROM_DOMAIN
#include "conf/domain_conf.h"

#include <errno.h>
#include <string.h>

#include <libxml/parser.h>

#include "conf/domain_parse_priv.h"
#include "util/error.h"
#include "util/uuid.h"

/* ------------------------------------------------------------------ */
/* Document and tree helpers                                          */

static void
freeDoc(xmlDocPtr doc)
{
    if (doc)
        xmlFreeDoc(doc);
}

/* Parses untrusted XML.  Reports VIR_ERR_XML_ERROR on failure. */
static xmlDocPtr
readDocument(const char *xml, const char *what)
{
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    size_t len;

    if (!xml) {
        xvReportError(VIR_ERR_INVALID_ARG, "no %s XML given", what);
        return NULL;
    }
    len = strlen(xml);
    if (len > XV_DOMAIN_XML_MAX_BYTES) {
        xvReportError(VIR_ERR_XML_ERROR,
                      "%s XML is %zu bytes, more than the limit of %d bytes",
                      what, len, XV_DOMAIN_XML_MAX_BYTES);
        return NULL;
    }
    /* libxml2 2.9 initialises its globals lazily, which is not safe when
     * the first two parses race in different threads */
    static gsize initialised;
    if (g_once_init_enter(&initialised)) {
        xmlInitParser();
        g_once_init_leave(&initialised, 1);
    }
    if (!(ctxt = xmlNewParserCtxt())) {
        xvReportError(VIR_ERR_NO_MEMORY, "%s", "cannot create the XML parser");
        return NULL;
    }
    /* Deliberately absent: XML_PARSE_NOENT (entity substitution),
     * XML_PARSE_DTDLOAD / DTDATTR / DTDVALID (external subsets),
     * XML_PARSE_XINCLUDE and XML_PARSE_HUGE (lifts libxml2's limits). */
    doc = xmlCtxtReadMemory(ctxt, xml, (int)len, what, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (!doc) {
        const xmlError *err = xmlCtxtGetLastError(ctxt);

        if (err && err->message) {
            g_autofree char *msg = g_strchomp(g_strdup(err->message));
            xvReportError(VIR_ERR_XML_ERROR, "%s XML, line %d: %s", what, err->line, msg);
        } else {
            xvReportError(VIR_ERR_XML_ERROR, "%s XML is not well formed", what);
        }
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    xmlFreeParserCtxt(ctxt);
    if (doc->intSubset || doc->extSubset) {
        xvReportError(VIR_ERR_XML_ERROR,
                      "%s XML: a DOCTYPE declaration is not allowed", what);
        xmlFreeDoc(doc);
        return NULL;
    }
    if (!xmlDocGetRootElement(doc)) {
        xvReportError(VIR_ERR_XML_ERROR, "%s XML has no root element", what);
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

bool
xvXmlIsElement(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && node->ns == NULL &&
           strcmp((const char *)node->name, name) == 0;
}

/* The first child element called name, or NULL. */
xmlNodePtr
xvXmlChild(xmlNodePtr parent, const char *name)
{
    if (!parent)
        return NULL;
    for (xmlNodePtr cur = parent->children; cur; cur = cur->next) {
        if (xvXmlIsElement(cur, name))
            return cur;
    }
    return NULL;
}

/* Attribute value as a GLib string, or NULL if absent. */
char *
xvXmlAttr(xmlNodePtr node, const char *name)
{
    xmlChar *val;
    char *ret;

    if (!node || !(val = xmlGetNoNsProp(node, (const xmlChar *)name)))
        return NULL;
    ret = g_strdup((const char *)val);
    xmlFree(val);
    return ret;
}

/* Text content of an element as a GLib string, or NULL if node is NULL. */
char *
xvXmlContent(xmlNodePtr node)
{
    xmlChar *val;
    char *ret;

    if (!node)
        return NULL;
    if (!(val = xmlNodeGetContent(node)))
        return g_strdup("");
    ret = g_strdup((const char *)val);
    xmlFree(val);
    return ret;
}

/* Text content of the first child element called name; NULL if there is
 * none or it is empty (libvirt's XPath string lookups treat both alike). */
char *
xvXmlChildContent(xmlNodePtr parent, const char *name)
{
    char *ret = xvXmlContent(xvXmlChild(parent, name));

    if (ret && !*ret)
        g_clear_pointer(&ret, g_free);
    return ret;
}

/* Attribute of the first child element called name, or NULL. */
char *
xvXmlChildAttr(xmlNodePtr parent, const char *name, const char *attrname)
{
    return xvXmlAttr(xvXmlChild(parent, name), attrname);
}

/* ------------------------------------------------------------------ */
/* Value helpers: each reports naming `what` and the offending value.  */

int
xvParseULL(const char *what, const char *str, unsigned long long *out)
{
    g_autofree char *copy = g_strstrip(g_strdup(str));
    char *end = NULL;
    unsigned long long val;

    if (copy[0] == '-' && g_ascii_isdigit(copy[1])) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' must not be negative", what, str);
        return -1;
    }
    if (!g_ascii_isdigit(copy[0])) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is not a number", what, str);
        return -1;
    }
    errno = 0;
    val = g_ascii_strtoull(copy, &end, 10);
    if (*end != '\0') {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is not a number", what, str);
        return -1;
    }
    if (errno == ERANGE) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is too large", what, str);
        return -1;
    }
    *out = val;
    return 0;
}

int
xvParseUInt(const char *what, const char *str, unsigned int max, unsigned int *out)
{
    unsigned long long val;

    if (xvParseULL(what, str, &val) < 0)
        return -1;
    if (val > max) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is out of range (at most %u)",
                      what, str, max);
        return -1;
    }
    *out = (unsigned int)val;
    return 0;
}

int
xvParseLL(const char *what, const char *str, long long *out)
{
    g_autofree char *copy = g_strstrip(g_strdup(str));
    const char *digits = copy[0] == '-' || copy[0] == '+' ? copy + 1 : copy;
    char *end = NULL;
    long long val;

    if (!g_ascii_isdigit(digits[0])) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is not a number", what, str);
        return -1;
    }
    errno = 0;
    val = g_ascii_strtoll(copy, &end, 10);
    if (*end != '\0') {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is not a number", what, str);
        return -1;
    }
    if (errno == ERANGE) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is out of range", what, str);
        return -1;
    }
    *out = val;
    return 0;
}

/* PCI-style numbers: "0x1b" (hex) or decimal, as libvirt accepts them. */
int
xvParseHexOrDec(const char *what, const char *str, unsigned int max, unsigned int *out)
{
    g_autofree char *copy = g_strstrip(g_strdup(str));
    bool hex = copy[0] == '0' && (copy[1] == 'x' || copy[1] == 'X');
    const char *digits = hex ? copy + 2 : copy;
    char *end = NULL;
    unsigned long long val;

    if (!g_ascii_isxdigit(digits[0]) || (!hex && !g_ascii_isdigit(digits[0]))) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is not a number", what, str);
        return -1;
    }
    errno = 0;
    val = g_ascii_strtoull(digits, &end, hex ? 16 : 10);
    if (*end != '\0') {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is not a number", what, str);
        return -1;
    }
    if (errno == ERANGE || val > max) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is out of range (at most 0x%x)",
                      what, str, max);
        return -1;
    }
    *out = (unsigned int)val;
    return 0;
}

/* A two-word attribute (yes/no, on/off) into a tri-state; absent stays
 * absent. */
static int
parseTristate(const char *what, const char *str, const char *yes, const char *no,
              xvTristate *out)
{
    if (!str) {
        *out = XV_TRISTATE_ABSENT;
        return 0;
    }
    if (strcmp(str, yes) == 0) {
        *out = XV_TRISTATE_YES;
    } else if (strcmp(str, no) == 0) {
        *out = XV_TRISTATE_NO;
    } else {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is not '%s' or '%s'", what, str, yes, no);
        return -1;
    }
    return 0;
}

int
xvParseYesNo(const char *what, const char *str, xvTristate *out)
{
    return parseTristate(what, str, "yes", "no", out);
}

/* on/off attribute (libvirt's virTristateSwitch). */
static int
xvParseOnOff(const char *what, const char *str, xvTristate *out)
{
    return parseTristate(what, str, "on", "off", out);
}

/* str must be one of the NULL-terminated list; the error lists them. */
int
xvParseOneOf(const char *what, const char *str, const char *const *allowed)
{
    g_autofree char *list = NULL;

    for (size_t i = 0; allowed[i]; i++) {
        if (strcmp(str, allowed[i]) == 0)
            return 0;
    }
    list = g_strjoinv(", ", (char **)allowed);
    xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s: '%s' is not supported (expected one of: %s)",
                  what, str, list);
    return -1;
}

/* ------------------------------------------------------------------ */
/* Memory                                                              */

/* Scales value by unit (libvirt's spellings: b/bytes, k/KiB/KB, M/MiB/MB,
 * G, T, P, E; powers of 1024 unless spelt ..B) into KiB, rounding bytes up.
 * A missing unit means KiB, the legacy form. */
static int
parseScaledKiB(const char *what, const char *text, const char *unit, unsigned long long *kib)
{
    unsigned long long val;
    unsigned long long base = 1024, scale = 1;
    unsigned int power = 0;

    if (xvParseULL(what, text, &val) < 0)
        return -1;

    if (!unit || !*unit) {
        power = 1; /* KiB: scaled like any unit so the same limit applies */
    } else if (g_ascii_strcasecmp(unit, "b") == 0 || g_ascii_strcasecmp(unit, "bytes") == 0) {
        power = 0;
    } else {
        const char *p = strchr("kmgtpe", g_ascii_tolower(unit[0]));

        if (!p || unit[0] == '\0')
            goto bad_unit;
        power = (unsigned int)(p - "kmgtpe") + 1;
        if (unit[1] == '\0' || g_ascii_strcasecmp(unit + 1, "iB") == 0)
            base = 1024;
        else if (g_ascii_strcasecmp(unit + 1, "B") == 0)
            base = 1000;
        else
            goto bad_unit;
    }
    for (unsigned int i = 0; i < power; i++)
        scale *= base;
    if (val > G_MAXUINT64 / scale) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s%s%s' is too large", what, text,
                      unit ? " " : "", unit ? unit : "");
        return -1;
    }
    val *= scale;
    *kib = val / 1024 + (val % 1024 ? 1 : 0);
    return 0;

 bad_unit:
    xvReportError(VIR_ERR_XML_DETAIL, "%s: unknown unit '%s'", what, unit);
    return -1;
}

/* <memory unit='...'>N</memory> and its siblings. */
static int
parseMemory(const char *what, xmlNodePtr node, unsigned long long *kib)
{
    g_autofree char *text = xvXmlContent(node);
    g_autofree char *unit = xvXmlAttr(node, "unit");

    return parseScaledKiB(what, text, unit, kib);
}

/* A plain decimal number with nothing around it; false otherwise. */
static bool
parseDigits(const char *str, unsigned long long *out)
{
    char *end = NULL;

    if (!g_ascii_isdigit(str[0]) || strlen(str) > 9)
        return false;
    *out = g_ascii_strtoull(str, &end, 10);
    return *end == '\0';
}

/* ------------------------------------------------------------------ */
/* CPU sets: "0-3,^2,8" -> canonical "0-1,3,8" (libvirt reformats too).  */

typedef enum {
    CPUSET_OK = 0,
    CPUSET_SYNTAX,
    CPUSET_BEYOND,
    CPUSET_EMPTY,
} CpusetResult;

static CpusetResult
cpusetCanonical(const char *str, char **out)
{
    g_autofree bool *bits = g_new0(bool, XV_DOMAIN_MAX_VCPUS);
    g_auto(GStrv) items = g_strsplit(str, ",", -1);
    g_autoptr(GString) buf = g_string_new(NULL);

    for (size_t i = 0; items[i]; i++) {
        g_autofree char *item = g_strstrip(g_strdup(items[i]));
        bool neg = item[0] == '^';
        const char *p = neg ? item + 1 : item;
        char *dash;
        unsigned long long lo, hi;

        if ((dash = strchr(p, '-')) && !neg) {
            g_autofree char *left = g_strndup(p, dash - p);
            if (!parseDigits(left, &lo) || !parseDigits(dash + 1, &hi))
                return CPUSET_SYNTAX;
        } else {
            if (!parseDigits(p, &lo))
                return CPUSET_SYNTAX;
            hi = lo;
        }
        if (lo > hi)
            return CPUSET_SYNTAX;
        if (hi >= XV_DOMAIN_MAX_VCPUS)
            return CPUSET_BEYOND;
        for (unsigned long long c = lo; c <= hi; c++)
            bits[c] = !neg;
    }
    for (unsigned int c = 0; c < XV_DOMAIN_MAX_VCPUS; c++) {
        unsigned int end = c;

        if (!bits[c])
            continue;
        while (end + 1 < XV_DOMAIN_MAX_VCPUS && bits[end + 1])
            end++;
        if (buf->len)
            g_string_append_c(buf, ',');
        if (end > c)
            g_string_append_printf(buf, "%u-%u", c, end);
        else
            g_string_append_printf(buf, "%u", c);
        c = end;
    }
    if (!buf->len)
        return CPUSET_EMPTY;
    *out = g_string_free(g_steal_pointer(&buf), FALSE);
    return CPUSET_OK;
}

char *
xvDomainCpusetCanonical(const char *str)
{
    char *out = NULL;

    if (!str || cpusetCanonical(str, &out) != CPUSET_OK)
        return NULL;
    return out;
}

static int
parseCpuset(const char *what, const char *str, char **out)
{
    switch (cpusetCanonical(str, out)) {
    case CPUSET_OK:
        return 0;
    case CPUSET_BEYOND:
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' names a CPU beyond %d", what, str,
                      XV_DOMAIN_MAX_VCPUS - 1);
        return -1;
    case CPUSET_EMPTY:
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' selects no CPU", what, str);
        return -1;
    case CPUSET_SYNTAX:
        break;
    }
    xvReportError(VIR_ERR_XML_DETAIL,
                  "%s: '%s' is not a valid CPU set (expected e.g. '0-3,^2,6')", what, str);
    return -1;
}

/* ------------------------------------------------------------------ */
/* Top level                                                           */

static int
parseVcpu(xvDomainDef *def, xmlNodePtr node)
{
    static const char *const placements[] = {"static", "auto", NULL};
    g_autofree char *text = xvXmlContent(node);
    g_autofree char *current = xvXmlAttr(node, "current");
    g_autofree char *cpuset = xvXmlAttr(node, "cpuset");

    if (xvParseUInt("vcpu", text, XV_DOMAIN_MAX_VCPUS, &def->vcpus) < 0)
        return -1;
    if (def->vcpus == 0) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "vcpu: a domain needs at least one vcpu");
        return -1;
    }
    if (current) {
        if (xvParseUInt("vcpu current", current, XV_DOMAIN_MAX_VCPUS, &def->vcpus_current) < 0)
            return -1;
        if (def->vcpus_current == 0 || def->vcpus_current > def->vcpus) {
            xvReportError(VIR_ERR_XML_DETAIL,
                          "vcpu current: '%s' must be between 1 and the maximum %u",
                          current, def->vcpus);
            return -1;
        }
    }
    def->vcpu_placement = xvXmlAttr(node, "placement");
    if (def->vcpu_placement && xvParseOneOf("vcpu placement", def->vcpu_placement, placements) < 0)
        return -1;
    if (cpuset && parseCpuset("vcpu cpuset", cpuset, &def->cpuset) < 0)
        return -1;
    return 0;
}

/* os may be NULL: a PV guest of libvirt < 0.6 said only <bootloader>. */
static int
parseOS(xvDomainDef *def, xmlNodePtr os)
{
    static const char *const arches[] = {
        "i686", "x86_64", "ia64", "armv6l", "armv7l", "aarch64", "ppc64", NULL
    };
    xmlNodePtr type = xvXmlChild(os, "type");
    xmlNodePtr loader = xvXmlChild(os, "loader");
    g_autofree char *typestr = xvXmlContent(type);
    int val;

    if (!typestr && def->bootloader) {
        def->os_type = XV_DOMAIN_OS_XEN; /* as libvirt: a bootloader means Xen PV */
    } else if (!typestr) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s",
                      os ? "os: missing <type>" : "os: missing; a domain needs <os><type>");
        return -1;
    } else {
        g_strstrip(typestr);
        if ((val = xvDomainOSTypeTypeFromString(typestr)) < 0) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "os: type '%s' is not supported (expected linux, xen, hvm or xenpvh)",
                          typestr);
            return -1;
        }
        def->os_type = val;
    }
    if (!os)
        return 0;
    def->os_arch = xvXmlAttr(type, "arch");
    if (def->os_arch && xvParseOneOf("os: arch", def->os_arch, arches) < 0)
        return -1;
    def->os_machine = xvXmlAttr(type, "machine");

    if (loader) {
        static const char *const loaderTypes[] = {"rom", "pflash", NULL};
        g_autofree char *ro = xvXmlAttr(loader, "readonly");

        def->os_loader = xvXmlContent(loader);
        def->os_loader_type = xvXmlAttr(loader, "type");
        if (def->os_loader_type && xvParseOneOf("os: loader type", def->os_loader_type, loaderTypes) < 0)
            return -1;
        if (xvParseYesNo("os: loader readonly", ro, &def->os_loader_readonly) < 0)
            return -1;
    }
    def->os_kernel = xvXmlChildContent(os, "kernel");
    def->os_initrd = xvXmlChildContent(os, "initrd");
    def->os_cmdline = xvXmlChildContent(os, "cmdline");
    def->os_root = xvXmlChildContent(os, "root");

    for (xmlNodePtr cur = os->children; cur; cur = cur->next) {
        g_autofree char *dev = NULL;

        if (!xvXmlIsElement(cur, "boot"))
            continue;
        if (!(dev = xvXmlAttr(cur, "dev"))) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s", "os: <boot> without dev attribute");
            return -1;
        }
        if ((val = xvDomainBootDevTypeFromString(dev)) < 0) {
            xvReportError(VIR_ERR_XML_DETAIL,
                          "os: boot dev '%s' is not valid (expected fd, cdrom, hd or network)",
                          dev);
            return -1;
        }
        if (def->nboot >= XV_DOMAIN_BOOT_LAST) {
            xvReportError(VIR_ERR_XML_DETAIL, "os: more than %d <boot> elements",
                          XV_DOMAIN_BOOT_LAST);
            return -1;
        }
        def->boot[def->nboot++] = val;
    }
    return 0;
}

static int
parseFeatures(xvDomainDef *def, xmlNodePtr features)
{
    xmlNodePtr hap, xen;

    if (!features)
        return 0;
    if (xvXmlChild(features, "pae"))
        def->feature_pae = XV_TRISTATE_YES;
    if (xvXmlChild(features, "acpi"))
        def->feature_acpi = XV_TRISTATE_YES;
    if (xvXmlChild(features, "apic"))
        def->feature_apic = XV_TRISTATE_YES;
    if (xvXmlChild(features, "viridian"))
        def->feature_viridian = XV_TRISTATE_YES;
    if ((xen = xvXmlChild(features, "xen"))) {
        xmlNodePtr e820 = xvXmlChild(xen, "e820_host");
        xmlNodePtr pt = xvXmlChild(xen, "passthrough");

        if (e820) {
            g_autofree char *state = xvXmlAttr(e820, "state");
            if (xvParseOnOff("features: xen e820_host state", state, &def->feature_xen_e820_host) < 0)
                return -1;
            if (def->feature_xen_e820_host == XV_TRISTATE_ABSENT)
                def->feature_xen_e820_host = XV_TRISTATE_YES;
        }
        if (pt) {
            g_autofree char *state = xvXmlAttr(pt, "state");
            if (xvParseOnOff("features: xen passthrough state", state, &def->feature_xen_passthrough) < 0)
                return -1;
            if (def->feature_xen_passthrough == XV_TRISTATE_ABSENT)
                def->feature_xen_passthrough = XV_TRISTATE_YES;
            def->feature_xen_passthrough_mode = xvXmlAttr(pt, "mode");
            if (def->feature_xen_passthrough_mode &&
                xvParseOneOf("features: xen passthrough mode", def->feature_xen_passthrough_mode,
                           (const char *const[]){"sync_pt", "share_pt", NULL}) < 0)
                return -1;
        }
    }
    if ((hap = xvXmlChild(features, "hap"))) {
        g_autofree char *state = xvXmlAttr(hap, "state");
        if (xvParseOnOff("features: hap state", state, &def->feature_hap) < 0)
            return -1;
        if (def->feature_hap == XV_TRISTATE_ABSENT)
            def->feature_hap = XV_TRISTATE_YES;
    }
    return 0;
}

static int
parseNumaCell(xvDomainDef *def, xmlNodePtr node)
{
    g_autoptr(xvDomainNumaCellDef) cell = g_new0(xvDomainNumaCellDef, 1);
    g_autofree char *id = xvXmlAttr(node, "id");
    g_autofree char *cpus = xvXmlAttr(node, "cpus");
    g_autofree char *memory = xvXmlAttr(node, "memory");
    g_autofree char *unit = xvXmlAttr(node, "unit");
    xmlNodePtr distances = xvXmlChild(node, "distances");

    if (!id || !cpus || !memory) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "cpu numa: <cell> needs id, cpus and memory");
        return -1;
    }
    if (xvParseUInt("cpu numa cell id", id, 255, &cell->id) < 0)
        return -1;
    if (cell->id != def->nnuma_cells) {
        xvReportError(VIR_ERR_XML_DETAIL,
                      "cpu numa cell id: '%s' is out of order (expected %zu)", id,
                      def->nnuma_cells);
        return -1;
    }
    if (parseCpuset("cpu numa cell cpus", cpus, &cell->cpus) < 0)
        return -1;
    if (parseScaledKiB("cpu numa cell memory", memory, unit, &cell->memory) < 0)
        return -1;
    if (distances) {
        for (xmlNodePtr cur = distances->children; cur; cur = cur->next) {
            g_autofree char *sid = NULL;
            g_autofree char *value = NULL;
            xvDomainNumaDistanceDef *d;

            if (!xvXmlIsElement(cur, "sibling"))
                continue;
            sid = xvXmlAttr(cur, "id");
            value = xvXmlAttr(cur, "value");
            if (!sid || !value) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s",
                              "cpu numa: <sibling> needs id and value");
                return -1;
            }
            if (cell->ndistances >= 256) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s", "cpu numa: more than 256 siblings");
                return -1;
            }
            cell->distances = g_renew(xvDomainNumaDistanceDef, cell->distances,
                                      cell->ndistances + 1);
            d = &cell->distances[cell->ndistances++];
            if (xvParseUInt("cpu numa sibling id", sid, 255, &d->id) < 0 ||
                xvParseUInt("cpu numa sibling value", value, 255, &d->value) < 0)
                return -1;
            if (d->value < 10) {
                xvReportError(VIR_ERR_XML_DETAIL,
                              "cpu numa sibling value: '%s' is less than 10", value);
                return -1;
            }
        }
    }
    APPEND_DEVICE(def->numa_cells, def->nnuma_cells, g_steal_pointer(&cell), "cell",
                  xvDomainNumaCellDefFree);
    return 0;
}

static int
parseCpu(xvDomainDef *def, xmlNodePtr cpu)
{
    static const char *const modes[] = {"custom", "host-model", "host-passthrough", "maximum", NULL};
    static const char *const matches[] = {"minimum", "exact", "strict", NULL};
    static const char *const checks[] = {"none", "partial", "full", NULL};
    static const char *const policies[] = {"force", "require", "optional", "disable", "forbid", NULL};
    xmlNodePtr numa;

    if (!cpu)
        return 0;
    def->has_cpu = true;
    def->cpu_mode = xvXmlAttr(cpu, "mode");
    def->cpu_match = xvXmlAttr(cpu, "match");
    def->cpu_check = xvXmlAttr(cpu, "check");
    if ((def->cpu_mode && xvParseOneOf("cpu mode", def->cpu_mode, modes) < 0) ||
        (def->cpu_match && xvParseOneOf("cpu match", def->cpu_match, matches) < 0) ||
        (def->cpu_check && xvParseOneOf("cpu check", def->cpu_check, checks) < 0))
        return -1;
    for (xmlNodePtr cur = cpu->children; cur; cur = cur->next) {
        g_autoptr(xvDomainCpuFeatureDef) feature = NULL;

        if (!xvXmlIsElement(cur, "feature"))
            continue;
        feature = g_new0(xvDomainCpuFeatureDef, 1);
        feature->policy = xvXmlAttr(cur, "policy");
        feature->name = xvXmlAttr(cur, "name");
        if (!feature->name || !*feature->name) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s", "cpu: <feature> without name");
            return -1;
        }
        if (feature->policy) {
            g_autofree char *w = g_strdup_printf("cpu feature '%s': policy", feature->name);
            if (xvParseOneOf(w, feature->policy, policies) < 0)
                return -1;
        }
        APPEND_DEVICE(def->cpu_features, def->ncpu_features, g_steal_pointer(&feature),
                      "feature", xvDomainCpuFeatureDefFree);
    }
    if ((numa = xvXmlChild(cpu, "numa"))) {
        for (xmlNodePtr cur = numa->children; cur; cur = cur->next) {
            if (xvXmlIsElement(cur, "cell") && parseNumaCell(def, cur) < 0)
                return -1;
        }
    }
    return 0;
}

#define XEN_NS "http://libvirt.org/schemas/domain/xen/1.0"

/* <xen:commandline><xen:arg value='...'/></xen:commandline>: extra device
 * model arguments, in libvirt's Xen namespace (any prefix). */
static int
parseXenCommandline(xvDomainDef *def, xmlNodePtr root)
{
    g_autoptr(GPtrArray) args = NULL;

    for (xmlNodePtr cur = root->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE || !cur->ns || !cur->ns->href ||
            strcmp((const char *)cur->ns->href, XEN_NS) != 0 ||
            strcmp((const char *)cur->name, "commandline") != 0)
            continue;
        args = g_ptr_array_new_with_free_func(g_free);
        for (xmlNodePtr arg = cur->children; arg; arg = arg->next) {
            xmlChar *value;

            if (arg->type != XML_ELEMENT_NODE || !arg->ns ||
                strcmp((const char *)arg->ns->href, XEN_NS) != 0 ||
                strcmp((const char *)arg->name, "arg") != 0)
                continue;
            if (!(value = xmlGetNoNsProp(arg, (const xmlChar *)"value"))) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s", "xen:commandline: <xen:arg> without value");
                return -1;
            }
            g_ptr_array_add(args, g_strdup((const char *)value));
            xmlFree(value);
            if (args->len > 1024) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s", "xen:commandline: more than 1024 arguments");
                return -1;
            }
        }
        break;
    }
    if (args && args->len > 0) {
        g_ptr_array_add(args, NULL);
        def->xen_cmdline = (char **)g_ptr_array_steal(args, NULL);
    }
    return 0;
}

static int
parseTimer(xvDomainDef *def, xmlNodePtr node)
{
    static const char *const tickpolicies[] = {"delay", "catchup", "merge", "discard", NULL};
    static const char *const tracks[] = {"boot", "guest", "wall", "realtime", NULL};
    static const char *const modes[] = {"auto", "native", "emulate", "paravirt", "smpsafe", NULL};
    g_autoptr(xvDomainTimerDef) timer = g_new0(xvDomainTimerDef, 1);
    g_autofree char *name = xvXmlAttr(node, "name");
    g_autofree char *present = xvXmlAttr(node, "present");
    g_autofree char *frequency = xvXmlAttr(node, "frequency");
    g_autofree char *what = NULL;
    int val;

    if (!name) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "clock: <timer> without name");
        return -1;
    }
    if ((val = xvTimerNameTypeFromString(name)) < 0) {
        xvReportError(VIR_ERR_XML_DETAIL, "clock: unknown timer name '%s'", name);
        return -1;
    }
    timer->name = val;
    what = g_strdup_printf("timer '%s'", name);
    for (size_t i = 0; i < def->ntimers; i++) {
        if (def->timers[i]->name == timer->name) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s: given more than once", what);
            return -1;
        }
    }
    {
        g_autofree char *w = g_strdup_printf("%s: present", what);
        if (xvParseYesNo(w, present, &timer->present) < 0)
            return -1;
    }
    timer->tickpolicy = xvXmlAttr(node, "tickpolicy");
    timer->track = xvXmlAttr(node, "track");
    timer->mode = xvXmlAttr(node, "mode");
    if (timer->tickpolicy) {
        g_autofree char *w = g_strdup_printf("%s: tickpolicy", what);
        if (xvParseOneOf(w, timer->tickpolicy, tickpolicies) < 0)
            return -1;
    }
    if (timer->track) {
        g_autofree char *w = g_strdup_printf("%s: track", what);
        if (xvParseOneOf(w, timer->track, tracks) < 0)
            return -1;
    }
    if (timer->mode) {
        g_autofree char *w = g_strdup_printf("%s: mode", what);
        if (xvParseOneOf(w, timer->mode, modes) < 0)
            return -1;
    }
    if (frequency) {
        g_autofree char *w = g_strdup_printf("%s: frequency", what);
        if (xvParseULL(w, frequency, &timer->frequency) < 0)
            return -1;
        timer->has_frequency = true;
    }
    if (timer->name == XV_TIMER_HPET)
        def->timer_hpet = timer->present;
    APPEND_DEVICE(def->timers, def->ntimers, g_steal_pointer(&timer), "timer",
                  xvDomainTimerDefFree);
    return 0;
}

static int
parseClock(xvDomainDef *def, xmlNodePtr clock)
{
    static const char *const offsets[] = {"utc", "localtime", "variable", NULL};
    g_autofree char *offset = xvXmlAttr(clock, "offset");
    g_autofree char *adjustment = xvXmlAttr(clock, "adjustment");

    if (!clock)
        return 0;
    if (!offset) {
        /* libvirt < 0.5: <clock sync='localtime'/> */
        g_autofree char *sync = xvXmlAttr(clock, "sync");
        if (sync) {
            if (xvParseOneOf("clock sync", sync, (const char *const[]){"utc", "localtime", NULL}) < 0)
                return -1;
            offset = g_steal_pointer(&sync);
        }
    }
    if (offset) {
        if (xvParseOneOf("clock offset", offset, offsets) < 0)
            return -1;
        def->clock_offset = g_steal_pointer(&offset);
    }
    if (adjustment) {
        if (strcmp(adjustment, "reset") == 0 &&
            (!def->clock_offset || strcmp(def->clock_offset, "variable") != 0)) {
            def->clock_adjustment_reset = true;
        } else {
            if (xvParseLL("clock adjustment", adjustment, &def->clock_adjustment) < 0)
                return -1;
            def->has_clock_adjustment = true;
            /* libvirt: a fixed adjustment from utc or localtime is the
             * 'variable' offset with that basis */
            if (!def->clock_offset || strcmp(def->clock_offset, "variable") != 0) {
                def->clock_basis = def->clock_offset ? g_steal_pointer(&def->clock_offset)
                                                     : g_strdup("utc");
                def->clock_offset = g_strdup("variable");
            }
        }
    }
    if (def->clock_offset && strcmp(def->clock_offset, "variable") == 0 && !def->clock_basis) {
        def->clock_basis = xvXmlAttr(clock, "basis");
        if (def->clock_basis &&
            xvParseOneOf("clock basis", def->clock_basis, (const char *const[]){"utc", "localtime", NULL}) < 0)
            return -1;
    }
    for (xmlNodePtr cur = clock->children; cur; cur = cur->next) {
        if (xvXmlIsElement(cur, "timer") && parseTimer(def, cur) < 0)
            return -1;
    }
    return 0;
}

static int
parseLifecycle(xmlNodePtr root, const char *name, bool *has, xvDomainLifecycleAction *action)
{
    g_autofree char *text = xvXmlChildContent(root, name);
    int val;

    if (!text)
        return 0;
    g_strstrip(text);
    val = xvDomainLifecycleActionTypeFromString(text);
    if (val < 0 || (strcmp(name, "on_crash") != 0 && val >= XV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY)) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is not a valid action (expected %s)",
                      name, text,
                      strcmp(name, "on_crash") == 0
                      ? "destroy, restart, preserve, rename-restart, coredump-destroy or coredump-restart"
                      : "destroy, restart, preserve or rename-restart");
        return -1;
    }
    *has = true;
    *action = val;
    return 0;
}

/* What XV_DOMAIN_PARSE_INACTIVE drops: the state of a running domain. */
static void
dropLiveState(xvDomainDef *def)
{
    xvDomainChrDef **lists[] = {def->serials, def->parallels, def->consoles, def->channels};
    size_t counts[] = {def->nserials, def->nparallels, def->nconsoles, def->nchannels};

    def->id = -1;
    for (size_t l = 0; l < G_N_ELEMENTS(lists); l++) {
        for (size_t i = 0; i < counts[l]; i++) {
            if (lists[l][i]->type == XV_CHR_TYPE_PTY)
                g_clear_pointer(&lists[l][i]->path, g_free);
        }
    }
    for (size_t i = 0; i < def->ngraphics; i++) {
        xvDomainGraphicsDef *gr = def->graphics[i];
        if (gr->type == XV_GRAPHICS_VNC && gr->autoport == XV_TRISTATE_YES)
            gr->port = -1; /* the port a running domain was given */
    }
    for (size_t i = 0; i < def->nnets; i++) {
        if (xvDomainNetIfnameIsGenerated(def->nets[i]->ifname))
            g_clear_pointer(&def->nets[i]->ifname, g_free);
    }
}

static int
parseDomain(xvDomainDef *def, xmlNodePtr root, unsigned int flags)
{
    g_autofree char *type = xvXmlAttr(root, "type");
    g_autofree char *id = xvXmlAttr(root, "id");
    g_autofree char *uuid = NULL;
    xmlNodePtr node;
    int val;

    if (!xvXmlIsElement(root, "domain")) {
        xvReportError(VIR_ERR_XML_ERROR, "unexpected root element <%s>, expecting <domain>",
                      (const char *)root->name);
        return -1;
    }
    if (!type) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "domain: missing type attribute");
        return -1;
    }
    if ((val = xvDomainVirtTypeTypeFromString(type)) < 0) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "domain: type '%s' is not supported (expected xen or test)", type);
        return -1;
    }
    def->virt_type = val;
    if (id) {
        long long v;
        if (xvParseLL("domain id", id, &v) < 0)
            return -1;
        if (v < -1 || v > G_MAXINT) {
            xvReportError(VIR_ERR_XML_DETAIL, "domain id: '%s' is out of range", id);
            return -1;
        }
        def->id = (int)v;
    }

    def->name = xvXmlChildContent(root, "name");
    if (!def->name || !*def->name) {
        xvReportError(VIR_ERR_NO_NAME, "%s", "domain");
        return -1;
    }
    if (strchr(def->name, '/') || strchr(def->name, '\n')) {
        xvReportError(VIR_ERR_XML_DETAIL, "name: '%s' must not contain '/' or a newline",
                      def->name);
        return -1;
    }
    if ((uuid = xvXmlChildContent(root, "uuid"))) {
        if (xvUUIDParse(uuid, def->uuid) < 0) {
            xvReportError(VIR_ERR_XML_DETAIL, "uuid: '%s' is not a valid UUID", uuid);
            return -1;
        }
        def->has_uuid = true;
    }
    def->title = xvXmlChildContent(root, "title");
    if (def->title && strchr(def->title, '\n')) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "title: must not contain a newline");
        return -1;
    }
    def->description = xvXmlChildContent(root, "description");

    if (!(node = xvXmlChild(root, "memory"))) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "memory: missing; a domain needs a <memory> size");
        return -1;
    }
    if (parseMemory("memory", node, &def->max_memory) < 0)
        return -1;
    if (def->max_memory == 0) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "memory: must be greater than 0");
        return -1;
    }
    if ((node = xvXmlChild(root, "currentMemory"))) {
        if (parseMemory("currentMemory", node, &def->current_memory) < 0)
            return -1;
        if (def->current_memory > def->max_memory) {
            xvReportError(VIR_ERR_XML_DETAIL,
                          "currentMemory: %llu KiB is more than memory (%llu KiB)",
                          def->current_memory, def->max_memory);
            return -1;
        }
    }
    if ((node = xvXmlChild(root, "maxMemory"))) {
        g_autofree char *slots = xvXmlAttr(node, "slots");
        if (!slots) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s", "maxMemory: missing slots attribute");
            return -1;
        }
        if (xvParseUInt("maxMemory slots", slots, G_MAXUINT, &def->max_memory_slots) < 0 ||
            parseMemory("maxMemory", node, &def->hotplug_memory) < 0)
            return -1;
        def->has_max_memory_slots = true;
        if (def->hotplug_memory < def->max_memory) {
            xvReportError(VIR_ERR_XML_DETAIL,
                          "maxMemory: %llu KiB is less than memory (%llu KiB)",
                          def->hotplug_memory, def->max_memory);
            return -1;
        }
    }

    if ((node = xvXmlChild(root, "vcpu")) && parseVcpu(def, node) < 0)
        return -1;

    def->bootloader = xvXmlChildContent(root, "bootloader");
    def->bootloader_args = xvXmlChildContent(root, "bootloader_args");

    if (parseOS(def, xvXmlChild(root, "os")) < 0)
        return -1;
    if (parseFeatures(def, xvXmlChild(root, "features")) < 0)
        return -1;
    if (parseCpu(def, xvXmlChild(root, "cpu")) < 0)
        return -1;
    if (parseClock(def, xvXmlChild(root, "clock")) < 0)
        return -1;
    if (parseLifecycle(root, "on_poweroff", &def->has_on_poweroff, &def->on_poweroff) < 0 ||
        parseLifecycle(root, "on_reboot", &def->has_on_reboot, &def->on_reboot) < 0 ||
        parseLifecycle(root, "on_crash", &def->has_on_crash, &def->on_crash) < 0)
        return -1;
    if (xvDomainDevicesParse(def, xvXmlChild(root, "devices"), flags) < 0)
        return -1;
    if (parseXenCommandline(def, root) < 0)
        return -1;
    if (flags & XV_DOMAIN_PARSE_INACTIVE)
        dropLiveState(def);
    return 0;
}

xvDomainDef *
xvDomainDefParseStringFlags(const char *xml, unsigned int flags)
{
    g_autoptr(xvDomainDef) def = NULL;
    xmlDocPtr doc;
    int rc;

    if (!(doc = readDocument(xml, "domain")))
        return NULL;
    def = xvDomainDefNew();
    rc = parseDomain(def, xmlDocGetRootElement(doc), flags);
    freeDoc(doc);
    if (rc < 0)
        return NULL;
    return g_steal_pointer(&def);
}

xvDomainDef *
xvDomainDefParseString(const char *xml)
{
    return xvDomainDefParseStringFlags(xml, 0);
}


xvDomainDeviceDef *
xvDomainDeviceDefParseString(const char *xml)
{
    g_autoptr(xvDomainDeviceDef) dev = NULL;
    xmlDocPtr doc;
    int rc;

    if (!(doc = readDocument(xml, "device")))
        return NULL;
    dev = g_new0(xvDomainDeviceDef, 1);
    rc = xvDomainDeviceParse(dev, xmlDocGetRootElement(doc));
    freeDoc(doc);
    if (rc < 0)
        return NULL;
    return g_steal_pointer(&dev);
}
