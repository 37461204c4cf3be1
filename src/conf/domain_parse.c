/*
 * domain_parse.c: libvirt domain XML -> xvDomainDef.
 *
 * Walks the libxml2 tree directly (first matching child, like libvirt's
 * "./name[1]" XPath) rather than compiling XPath expressions: the walk is
 * several times faster and keeps every lookup next to the value it fills.
 * The parser keeps what the user wrote: absent values stay absent (NULL,
 * has_ flags, tri-states) and defaults are the formatter's business.  Every
 * invalid value is an error naming the element and the value; unknown
 * elements and attributes are ignored, as libvirt does.
 *
 * Untrusted input: the document is read with no network access, no DTD
 * loading, no entity substitution, and a document carrying a DOCTYPE is
 * refused outright, so there is no XXE and no entity expansion.  Size, and
 * the number of devices of each kind, are capped (domain_conf.h).  The
 * parser does no I/O and keeps no state, which is what makes it fuzzable.
 */
#define XV_FROM VIR_FROM_DOMAIN
#include "conf/domain_conf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

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

static bool
isElement(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && node->ns == NULL &&
           strcmp((const char *)node->name, name) == 0;
}

/* The first child element called name, or NULL. */
static xmlNodePtr
childElement(xmlNodePtr parent, const char *name)
{
    if (!parent)
        return NULL;
    for (xmlNodePtr cur = parent->children; cur; cur = cur->next) {
        if (isElement(cur, name))
            return cur;
    }
    return NULL;
}

/* Attribute value as a GLib string, or NULL if absent. */
static char *
attr(xmlNodePtr node, const char *name)
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
static char *
content(xmlNodePtr node)
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
static char *
childContent(xmlNodePtr parent, const char *name)
{
    char *ret = content(childElement(parent, name));

    if (ret && !*ret)
        g_clear_pointer(&ret, g_free);
    return ret;
}

/* Attribute of the first child element called name, or NULL. */
static char *
childAttr(xmlNodePtr parent, const char *name, const char *attrname)
{
    return attr(childElement(parent, name), attrname);
}

/* ------------------------------------------------------------------ */
/* Value helpers: each reports naming `what` and the offending value.  */

static int
parseULL(const char *what, const char *str, unsigned long long *out)
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

static int
parseUInt(const char *what, const char *str, unsigned int max, unsigned int *out)
{
    unsigned long long val;

    if (parseULL(what, str, &val) < 0)
        return -1;
    if (val > max) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is out of range (at most %u)",
                      what, str, max);
        return -1;
    }
    *out = (unsigned int)val;
    return 0;
}

static int
parseLL(const char *what, const char *str, long long *out)
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
static int
parseHexOrDec(const char *what, const char *str, unsigned int max, unsigned int *out)
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

/* yes/no attribute into a tri-state; absent stays absent. */
static int
parseYesNo(const char *what, const char *str, xvTristate *out)
{
    if (!str) {
        *out = XV_TRISTATE_ABSENT;
        return 0;
    }
    if (strcmp(str, "yes") == 0) {
        *out = XV_TRISTATE_YES;
    } else if (strcmp(str, "no") == 0) {
        *out = XV_TRISTATE_NO;
    } else {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is not 'yes' or 'no'", what, str);
        return -1;
    }
    return 0;
}

/* on/off attribute (libvirt's virTristateSwitch) into a tri-state. */
static int
parseOnOff(const char *what, const char *str, xvTristate *out)
{
    if (!str) {
        *out = XV_TRISTATE_ABSENT;
        return 0;
    }
    if (strcmp(str, "on") == 0) {
        *out = XV_TRISTATE_YES;
    } else if (strcmp(str, "off") == 0) {
        *out = XV_TRISTATE_NO;
    } else {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: '%s' is not 'on' or 'off'", what, str);
        return -1;
    }
    return 0;
}

/* str must be one of the NULL-terminated list; the error lists them. */
static int
checkOneOf(const char *what, const char *str, const char *const *allowed)
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

/* Appends item to a device list, enforcing the per-kind cap; takes
 * ownership of item, freeing it with freefn if the list is full. */
#define APPEND_DEVICE(list, count, item, kind, freefn) \
    do { \
        __typeof__(*(list)) item_ = (item); \
        if ((count) >= XV_DOMAIN_MAX_DEVICES_PER_KIND) { \
            freefn(item_); \
            xvReportError(VIR_ERR_XML_DETAIL, "devices: more than %d <%s> elements", \
                          XV_DOMAIN_MAX_DEVICES_PER_KIND, (kind)); \
            return -1; \
        } \
        (list) = g_renew(__typeof__(*(list)), (list), (count) + 1); \
        (list)[(count)++] = item_; \
    } while (0)

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

    if (parseULL(what, text, &val) < 0)
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
    g_autofree char *text = content(node);
    g_autofree char *unit = attr(node, "unit");

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
/* Disks                                                               */

/* Splits a disk name into prefix, 0-based disk index (a=0, z=25, aa=26)
 * and partition (0 = whole disk).  -1 if it is not such a name. */
static int
splitDiskName(const char *name, const char **prefix, unsigned long *idx,
              unsigned long *part)
{
    static const char *const prefixes[] = {"xvd", "hd", "sd", "vd", "fd", "ubd", NULL};
    const char *p = NULL;
    unsigned long val = 0;
    size_t nletters = 0;

    for (size_t i = 0; prefixes[i]; i++) {
        if (g_str_has_prefix(name, prefixes[i])) {
            *prefix = prefixes[i];
            p = name + strlen(prefixes[i]);
            break;
        }
    }
    if (!p)
        return -1;
    for (; g_ascii_islower(*p); p++) {
        if (++nletters > 4)
            return -1;
        val = val * 26 + (unsigned long)(*p - 'a') + 1;
    }
    if (nletters == 0)
        return -1;
    *idx = val - 1;
    *part = 0;
    if (*p) {
        char *end;
        if (!g_ascii_isdigit(*p) || *p == '0')
            return -1;
        *part = strtoul(p, &end, 10);
        if (*end || *part > 255)
            return -1;
    }
    return 0;
}

/* The Xen block front end can only name so many disks per prefix: hd a-t
 * (10 IDE majors of 2), sd a-p.. (8 SCSI majors of 16, 15 partitions),
 * xvd up to 2^20 disks with the extended scheme. */
static int
checkDiskName(const char *dst)
{
    const char *prefix;
    unsigned long idx, part;
    const char *why = NULL;

    if (splitDiskName(dst, &prefix, &idx, &part) < 0) {
        why = "not a valid disk name (expected hdX, sdX, xvdX, vdX or fdX)";
    } else if (strcmp(prefix, "hd") == 0) {
        if (idx >= 20)
            why = "not a valid Xen disk name (IDE disks are hda to hdt)";
        else if (part > 63)
            why = "not a valid Xen disk name (IDE partitions are 1 to 63)";
    } else if (strcmp(prefix, "sd") == 0) {
        if (idx >= 128)
            why = "not a valid Xen disk name (SCSI disks are sda to sddx)";
        else if (part > 15)
            why = "not a valid Xen disk name (SCSI partitions are 1 to 15)";
    } else if (strcmp(prefix, "xvd") == 0) {
        if (idx >= (1UL << 20))
            why = "not a valid Xen disk name (too many xvd disks)";
        else if (part > (idx < 16 ? 15UL : 255UL))
            why = "not a valid Xen disk name (partition number too large)";
    } else if (strcmp(prefix, "fd") == 0) {
        if (idx >= 2 || part)
            why = "not a valid floppy name (expected fda or fdb)";
    }
    if (why) {
        xvReportError(VIR_ERR_XML_DETAIL, "disk '%s': %s", dst, why);
        return -1;
    }
    return 0;
}

/* <backenddomain name='...'/>: the Xen domain serving a disk or NIC. */
static int
parseBackendDomain(xmlNodePtr node, const char *what, char **out)
{
    xmlNodePtr bd = childElement(node, "backenddomain");

    if (!bd)
        return 0;
    *out = attr(bd, "name");
    if (!*out || !**out) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: <backenddomain> without name", what);
        return -1;
    }
    return 0;
}

static int
parseDisk(xmlNodePtr node, xvDomainDiskDef **out)
{
    static const char *const driverNames[] = {"phy", "file", "tap", "tap2", "qemu", NULL};
    static const char *const driverTypes[] = {
        "raw", "qcow", "qcow2", "vhd", "aio", "vmdk", "qed", "vpc", "iso", NULL
    };
    g_autoptr(xvDomainDiskDef) disk = g_new0(xvDomainDiskDef, 1);
    g_autofree char *type = attr(node, "type");
    g_autofree char *device = attr(node, "device");
    g_autofree char *bus = NULL;
    g_autofree char *what = NULL;
    xmlNodePtr target = childElement(node, "target");
    xmlNodePtr source = childElement(node, "source");
    xmlNodePtr driver = childElement(node, "driver");
    xmlNodePtr address = childElement(node, "address");
    int val;

    if (!target || !(disk->dst = attr(target, "dev")) || !*disk->dst) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "disk: missing <target dev='...'/>");
        return -1;
    }
    /* xend's "ioemu:hda" spelling of an emulated disk, accepted by libvirt */
    if (g_str_has_prefix(disk->dst, "ioemu:"))
        memmove(disk->dst, disk->dst + 6, strlen(disk->dst + 6) + 1);
    what = g_strdup_printf("disk '%s'", disk->dst);

    if (type) {
        if ((val = xvDiskTypeTypeFromString(type)) < 0) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "%s: disk type '%s' is not supported (expected file, block or network)",
                          what, type);
            return -1;
        }
        disk->type = val;
    } else {
        disk->type = XV_DISK_TYPE_FILE;
    }
    if (device) {
        if ((val = xvDiskDeviceTypeFromString(device)) < 0) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "%s: device '%s' is not supported (expected disk, cdrom or floppy)",
                          what, device);
            return -1;
        }
        disk->device = val;
    } else {
        disk->device = XV_DISK_DEVICE_DISK;
    }
    if (checkDiskName(disk->dst) < 0)
        return -1;

    if ((bus = attr(target, "bus"))) {
        if ((val = xvDiskBusTypeFromString(bus)) <= XV_DISK_BUS_NONE) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "%s: bus '%s' is not supported (expected xen, ide, scsi, usb, virtio, sata or fdc)",
                          what, bus);
            return -1;
        }
        disk->bus = val;
    }

    if (driver) {
        disk->driver_name = attr(driver, "name");
        disk->driver_type = attr(driver, "type");
        if (disk->driver_name) {
            g_autofree char *w = g_strdup_printf("%s: driver name", what);
            if (checkOneOf(w, disk->driver_name, driverNames) < 0)
                return -1;
        }
        if (disk->driver_type) {
            g_autofree char *w = g_strdup_printf("%s: driver type", what);
            if (checkOneOf(w, disk->driver_type, driverTypes) < 0)
                return -1;
        }
    }

    if (source) {
        switch (disk->type) {
        case XV_DISK_TYPE_FILE:
            disk->src = attr(source, "file");
            break;
        case XV_DISK_TYPE_BLOCK:
            disk->src = attr(source, "dev");
            break;
        case XV_DISK_TYPE_NETWORK: {
            static const char *const protocols[] = {
                "nbd", "rbd", "iscsi", "http", "https", "ftp", "ftps", "tftp",
                "gluster", "sheepdog", "ssh", NULL
            };
            xmlNodePtr host;

            disk->src_protocol = attr(source, "protocol");
            disk->src = attr(source, "name");
            if (!disk->src_protocol) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s: network source needs a protocol", what);
                return -1;
            }
            {
                g_autofree char *w = g_strdup_printf("%s: source protocol", what);
                if (checkOneOf(w, disk->src_protocol, protocols) < 0)
                    return -1;
            }
            for (host = source->children; host; host = host->next) {
                xvDomainDiskHostDef *h;

                if (!isElement(host, "host"))
                    continue;
                if (disk->nhosts >= 64) {
                    xvReportError(VIR_ERR_XML_DETAIL, "%s: more than 64 source hosts", what);
                    return -1;
                }
                disk->hosts = g_renew(xvDomainDiskHostDef, disk->hosts, disk->nhosts + 1);
                h = &disk->hosts[disk->nhosts++];
                h->name = attr(host, "name");
                h->port = attr(host, "port");
                if (h->port) {
                    g_autofree char *w = g_strdup_printf("%s: source host port", what);
                    unsigned int port;
                    if (parseUInt(w, h->port, 65535, &port) < 0)
                        return -1;
                }
            }
            break;
        }
        case XV_DISK_TYPE_LAST:
            break;
        }
        if (disk->src && !*disk->src)
            g_clear_pointer(&disk->src, g_free);
    }
    if (!disk->src && disk->device == XV_DISK_DEVICE_DISK) {
        xvReportError(VIR_ERR_XML_DETAIL,
                      "%s: missing <source>; only a cdrom or floppy may be empty", what);
        return -1;
    }

    if (parseBackendDomain(node, what, &disk->backend_domain) < 0)
        return -1;
    disk->readonly = childElement(node, "readonly") != NULL;
    disk->shareable = childElement(node, "shareable") != NULL;

    if (address) {
        g_autofree char *atype = attr(address, "type");
        if (atype && strcmp(atype, "drive") == 0) {
            static const char *const names[] = {"controller", "bus", "target", "unit"};
            unsigned int *fields[] = {
                &disk->addr_controller, &disk->addr_bus, &disk->addr_target, &disk->addr_unit
            };
            for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
                g_autofree char *v = attr(address, names[i]);
                g_autofree char *w = g_strdup_printf("%s: address %s", what, names[i]);
                if (v && parseUInt(w, v, 65535, fields[i]) < 0)
                    return -1;
            }
            disk->has_address = true;
        }
    }

    *out = g_steal_pointer(&disk);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Network interfaces                                                  */

static int
parseMac(const char *what, const char *str, unsigned char *mac)
{
    g_auto(GStrv) parts = g_strsplit(str, ":", -1);

    if (g_strv_length(parts) != 6)
        goto bad;
    for (size_t i = 0; i < 6; i++) {
        const char *p = parts[i];
        size_t n = strlen(p);
        if (n < 1 || n > 2 || !g_ascii_isxdigit(p[0]) || (n == 2 && !g_ascii_isxdigit(p[1])))
            goto bad;
        mac[i] = (unsigned char)(n == 2 ? (g_ascii_xdigit_value(p[0]) << 4) |
                                          g_ascii_xdigit_value(p[1])
                                        : g_ascii_xdigit_value(p[0]));
    }
    if (mac[0] & 1) {
        xvReportError(VIR_ERR_XML_DETAIL,
                      "%s: mac '%s' is a multicast address; a NIC needs a unicast one",
                      what, str);
        return -1;
    }
    return 0;

 bad:
    xvReportError(VIR_ERR_XML_DETAIL, "%s: mac '%s' is not a valid MAC address", what, str);
    return -1;
}

static int
checkIPAddress(const char *what, const char *str)
{
    unsigned char buf[sizeof(struct in6_addr)];

    if (inet_pton(AF_INET, str, buf) == 1 || inet_pton(AF_INET6, str, buf) == 1)
        return 0;
    xvReportError(VIR_ERR_XML_DETAIL, "%s: ip '%s' is not a valid IP address", what, str);
    return -1;
}

/* <bandwidth><inbound|outbound average= peak= burst=/> */
static int
parseRate(xmlNodePtr node, const char *what, xvDomainNetRateDef *rate)
{
    static const char *const names[] = {"average", "peak", "burst"};
    unsigned long long *fields[] = {&rate->average, &rate->peak, &rate->burst};

    if (!node)
        return 0;
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *v = attr(node, names[i]);
        g_autofree char *w = g_strdup_printf("%s %s", what, names[i]);
        if (v && parseULL(w, v, fields[i]) < 0)
            return -1;
    }
    if (rate->average == 0) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: missing or zero average", what);
        return -1;
    }
    rate->set = true;
    return 0;
}

static int
parseInterface(xmlNodePtr node, xvDomainNetDef **out)
{
    g_autoptr(xvDomainNetDef) net = g_new0(xvDomainNetDef, 1);
    g_autofree char *type = attr(node, "type");
    g_autofree char *mac = childAttr(node, "mac", "address");
    xmlNodePtr source = childElement(node, "source");
    xmlNodePtr vlan = childElement(node, "vlan");
    xmlNodePtr bandwidth = childElement(node, "bandwidth");
    const char *what = "interface";
    int val;

    if (!type) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "interface: missing type attribute");
        return -1;
    }
    if ((val = xvNetTypeTypeFromString(type)) < 0) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "interface: type '%s' is not supported (expected bridge, ethernet or network)",
                      type);
        return -1;
    }
    net->type = val;

    if (mac) {
        if (parseMac(what, mac, net->mac) < 0)
            return -1;
        net->has_mac = true;
    }

    switch (net->type) {
    case XV_NET_TYPE_BRIDGE:
        net->bridge = attr(source, "bridge");
        if (!net->bridge || !*net->bridge) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s",
                          "interface type 'bridge': missing <source bridge='...'/>");
            return -1;
        }
        break;
    case XV_NET_TYPE_NETWORK:
        net->network = attr(source, "network");
        if (!net->network || !*net->network) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s",
                          "interface type 'network': missing <source network='...'/>");
            return -1;
        }
        break;
    case XV_NET_TYPE_ETHERNET:
    case XV_NET_TYPE_LAST:
        break;
    }

    net->script = childAttr(node, "script", "path");
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        g_autofree char *addr = NULL;
        g_autofree char *prefix = NULL;
        unsigned int pfx = 0;

        if (!isElement(cur, "ip"))
            continue;
        if (!(addr = attr(cur, "address"))) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s", "interface: <ip> without address");
            return -1;
        }
        if (checkIPAddress(what, addr) < 0)
            return -1;
        if ((prefix = attr(cur, "prefix")) &&
            parseUInt("interface: ip prefix", prefix, strchr(addr, ':') ? 128 : 32, &pfx) < 0)
            return -1;
        if (!net->ip) {
            net->ip = g_steal_pointer(&addr);
            net->ip_prefix = pfx;
            continue;
        }
        if (net->nextra_ips >= 63) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s", "interface: more than 64 <ip> elements");
            return -1;
        }
        net->extra_ips = g_renew(xvDomainNetIPDef, net->extra_ips, net->nextra_ips + 1);
        net->extra_ips[net->nextra_ips].address = g_steal_pointer(&addr);
        net->extra_ips[net->nextra_ips++].prefix = pfx;
    }
    if (vlan) {
        g_autofree char *trunk = attr(vlan, "trunk");

        if (parseYesNo("interface: vlan trunk", trunk, &net->vlan_trunk) < 0)
            return -1;
        for (xmlNodePtr cur = vlan->children; cur; cur = cur->next) {
            g_autofree char *id = NULL;
            unsigned int tag;

            if (!isElement(cur, "tag"))
                continue;
            if (!(id = attr(cur, "id"))) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s", "interface: vlan <tag> without id");
                return -1;
            }
            if (parseUInt("interface: vlan tag id", id, 4095, &tag) < 0)
                return -1;
            if (net->nvlan_tags >= 64) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s", "interface: more than 64 vlan tags");
                return -1;
            }
            net->vlan_tags = g_renew(unsigned int, net->vlan_tags, net->nvlan_tags + 1);
            net->vlan_tags[net->nvlan_tags++] = tag;
        }
        if (net->nvlan_tags == 0) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s", "interface: <vlan> without <tag id=.../>");
            return -1;
        }
        if (net->nvlan_tags > 1 && net->vlan_trunk == XV_TRISTATE_NO) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s",
                          "interface: several vlan tags need trunk='yes'");
            return -1;
        }
    }
    net->virtualport_type = childAttr(node, "virtualport", "type");
    if (net->virtualport_type &&
        checkOneOf("interface: virtualport type", net->virtualport_type,
                   (const char *const[]){"openvswitch", "802.1Qbg", "802.1Qbh", "midonet", NULL}) < 0)
        return -1;
    if (bandwidth &&
        (parseRate(childElement(bandwidth, "inbound"), "interface: bandwidth inbound",
                   &net->bw_inbound) < 0 ||
         parseRate(childElement(bandwidth, "outbound"), "interface: bandwidth outbound",
                   &net->bw_outbound) < 0))
        return -1;
    if (parseBackendDomain(node, what, &net->backend_domain) < 0)
        return -1;
    net->ifname = childAttr(node, "target", "dev");
    net->model = childAttr(node, "model", "type");
    if (net->model) {
        for (const char *p = net->model; *p; p++) {
            if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-') {
                xvReportError(VIR_ERR_XML_DETAIL,
                              "interface: model type '%s' may only contain letters, digits, '_' and '-'",
                              net->model);
                return -1;
            }
        }
    }
    *out = g_steal_pointer(&net);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Graphics                                                            */

/* listen= and/or <listen type='address' address=/> (libvirt >= 0.9.4
 * writes both); other listen types are not Xen's. */
static int
parseListen(xmlNodePtr node, xvDomainGraphicsDef *gr)
{
    gr->listen = attr(node, "listen");
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        g_autofree char *ltype = NULL;
        g_autofree char *address = NULL;

        if (!isElement(cur, "listen"))
            continue;
        ltype = attr(cur, "type");
        if (!ltype || strcmp(ltype, "address") != 0) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "graphics: listen type '%s' is not supported (expected address)",
                          ltype ? ltype : "(none)");
            return -1;
        }
        gr->listen_element = true;
        address = attr(cur, "address");
        if (address && *address) {
            if (gr->listen && strcmp(gr->listen, address) != 0) {
                xvReportError(VIR_ERR_XML_DETAIL,
                              "graphics: listen '%s' and listen address '%s' disagree",
                              gr->listen, address);
                return -1;
            }
            if (!gr->listen)
                gr->listen = g_steal_pointer(&address);
        }
        break;
    }
    if (gr->listen && !*gr->listen)
        g_clear_pointer(&gr->listen, g_free);
    return 0;
}

static int
parseGraphics(xmlNodePtr node, xvDomainGraphicsDef **out)
{
    g_autoptr(xvDomainGraphicsDef) gr = g_new0(xvDomainGraphicsDef, 1);
    g_autofree char *type = attr(node, "type");
    int val;

    if (!type) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "graphics: missing type attribute");
        return -1;
    }
    if ((val = xvGraphicsTypeTypeFromString(type)) < 0) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "graphics: type '%s' is not supported (expected vnc, sdl or spice)", type);
        return -1;
    }
    gr->type = val;

    if (gr->type == XV_GRAPHICS_VNC) {
        g_autofree char *port = attr(node, "port");
        g_autofree char *autoport = attr(node, "autoport");

        if (port) {
            long long p;
            if (parseLL("graphics vnc: port", port, &p) < 0)
                return -1;
            if (p < -1 || p > 65535) {
                xvReportError(VIR_ERR_XML_DETAIL,
                              "graphics vnc: port '%s' is out of range (-1 to 65535)", port);
                return -1;
            }
            gr->port = (int)p;
            gr->has_port = true;
        }
        if (parseYesNo("graphics vnc: autoport", autoport, &gr->autoport) < 0)
            return -1;
        if (parseListen(node, gr) < 0)
            return -1;
        gr->passwd = attr(node, "passwd");
        gr->passwd_valid_to = attr(node, "passwdValidTo");
        gr->keymap = attr(node, "keymap");
    } else if (gr->type == XV_GRAPHICS_SPICE) {
        static const char *const mouseModes[] = {"server", "client", NULL};
        static const char *const ports[] = {"port", "tlsPort"};
        int *portFields[] = {&gr->port, &gr->tls_port};
        bool *hasFields[] = {&gr->has_port, &gr->has_tls_port};
        g_autofree char *autoport = attr(node, "autoport");
        g_autofree char *copypaste = childAttr(node, "clipboard", "copypaste");

        for (size_t i = 0; i < G_N_ELEMENTS(ports); i++) {
            g_autofree char *v = attr(node, ports[i]);
            g_autofree char *w = g_strdup_printf("graphics spice: %s", ports[i]);
            long long p;

            if (!v)
                continue;
            if (parseLL(w, v, &p) < 0)
                return -1;
            if (p < -1 || p > 65535) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s '%s' is out of range (-1 to 65535)", w, v);
                return -1;
            }
            *portFields[i] = (int)p;
            *hasFields[i] = true;
        }
        if (parseYesNo("graphics spice: autoport", autoport, &gr->autoport) < 0)
            return -1;
        if (parseListen(node, gr) < 0)
            return -1;
        gr->passwd = attr(node, "passwd");
        gr->passwd_valid_to = attr(node, "passwdValidTo");
        gr->keymap = attr(node, "keymap");
        gr->mouse_mode = childAttr(node, "mouse", "mode");
        if (gr->mouse_mode && checkOneOf("graphics spice: mouse mode", gr->mouse_mode, mouseModes) < 0)
            return -1;
        if (parseYesNo("graphics spice: clipboard copypaste", copypaste, &gr->copypaste) < 0)
            return -1;
    } else {
        g_autofree char *fullscreen = attr(node, "fullscreen");

        gr->display = attr(node, "display");
        gr->xauth = attr(node, "xauth");
        if (parseYesNo("graphics sdl: fullscreen", fullscreen, &gr->fullscreen) < 0)
            return -1;
    }
    *out = g_steal_pointer(&gr);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Character devices                                                   */

static int
parseChr(xmlNodePtr node, xvChrDeviceType devtype, xvDomainChrDef **out)
{
    static const char *const protocols[] = {"raw", "telnet", "telnets", "tls", NULL};
    g_autoptr(xvDomainChrDef) chr = g_new0(xvDomainChrDef, 1);
    const char *kind = xvChrDeviceTypeTypeToString(devtype);
    g_autofree char *type = attr(node, "type");
    g_autofree char *what = NULL;
    xmlNodePtr target = childElement(node, "target");
    int val;

    chr->device = devtype;
    if (type) {
        if ((val = xvChrTypeTypeFromString(type)) < 0) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "%s: type '%s' is not supported (expected pty, file, null, stdio, pipe, dev, tcp, udp, unix or vc)",
                          kind, type);
            return -1;
        }
        chr->type = val;
    } else {
        chr->type = XV_CHR_TYPE_PTY; /* libvirt's default, and the legacy <console tty=/> */
    }
    what = g_strdup_printf("%s type '%s'", kind, xvChrTypeTypeToString(chr->type));

    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        g_autofree char *mode = NULL;

        if (!isElement(cur, "source"))
            continue;
        mode = attr(cur, "mode");
        if (mode && strcmp(mode, "bind") != 0 && strcmp(mode, "connect") != 0) {
            xvReportError(VIR_ERR_XML_DETAIL,
                          "%s: source mode '%s' is not 'bind' or 'connect'", what, mode);
            return -1;
        }
        switch (chr->type) {
        case XV_CHR_TYPE_PTY:
        case XV_CHR_TYPE_FILE:
        case XV_CHR_TYPE_PIPE:
        case XV_CHR_TYPE_DEV:
            if (!chr->path)
                chr->path = attr(cur, "path");
            break;
        case XV_CHR_TYPE_UNIX:
            if (!chr->path) {
                chr->path = attr(cur, "path");
                chr->listen = mode && strcmp(mode, "bind") == 0;
            }
            break;
        case XV_CHR_TYPE_TCP:
            if (!chr->host && !chr->service) {
                chr->host = attr(cur, "host");
                chr->service = attr(cur, "service");
                chr->listen = mode && strcmp(mode, "bind") == 0;
            }
            break;
        case XV_CHR_TYPE_UDP:
            /* libvirt: a source without mode is the connect end */
            if (mode && strcmp(mode, "bind") == 0) {
                if (!chr->bind_host && !chr->bind_service) {
                    chr->bind_host = attr(cur, "host");
                    chr->bind_service = attr(cur, "service");
                }
            } else if (!chr->host && !chr->service) {
                chr->host = attr(cur, "host");
                chr->service = attr(cur, "service");
            }
            break;
        case XV_CHR_TYPE_NULL:
        case XV_CHR_TYPE_STDIO:
        case XV_CHR_TYPE_VC:
        case XV_CHR_TYPE_LAST:
            break;
        }
    }
    /* The live pty path of old libvirt: <console tty='/dev/pts/5'/> */
    if (chr->type == XV_CHR_TYPE_PTY && !chr->path)
        chr->path = attr(node, "tty");

    switch (chr->type) {
    case XV_CHR_TYPE_FILE:
    case XV_CHR_TYPE_PIPE:
    case XV_CHR_TYPE_DEV:
    case XV_CHR_TYPE_UNIX:
        if (!chr->path || !*chr->path) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s: missing <source path='...'/>", what);
            return -1;
        }
        break;
    case XV_CHR_TYPE_TCP:
        if (!chr->service || !*chr->service) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s: missing source service (the port)", what);
            return -1;
        }
        break;
    case XV_CHR_TYPE_UDP:
        if (!chr->service || !*chr->service) {
            xvReportError(VIR_ERR_XML_DETAIL,
                          "%s: missing connect source service (the port)", what);
            return -1;
        }
        break;
    default:
        break;
    }

    if (chr->type == XV_CHR_TYPE_TCP) {
        chr->protocol = childAttr(node, "protocol", "type");
        if (chr->protocol) {
            g_autofree char *w = g_strdup_printf("%s: protocol", what);
            if (checkOneOf(w, chr->protocol, protocols) < 0)
                return -1;
        }
    }

    if (!target && devtype == XV_CHR_DEVICE_CHANNEL) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: missing <target type='...'/>", what);
        return -1;
    }
    if (target) {
        g_autofree char *port = attr(target, "port");

        chr->target_type = attr(target, "type");
        if (chr->target_type && devtype == XV_CHR_DEVICE_CONSOLE) {
            static const char *const consoleTargets[] = {
                "serial", "xen", "uml", "virtio", "lxc", "openvz", "sclp", "sclplm", NULL
            };
            g_autofree char *w = g_strdup_printf("%s: target type", what);
            if (checkOneOf(w, chr->target_type, consoleTargets) < 0)
                return -1;
        } else if (chr->target_type && devtype == XV_CHR_DEVICE_SERIAL) {
            static const char *const serialTargets[] = {
                "isa-serial", "usb-serial", "pci-serial", "spapr-vio-serial",
                "system-serial", "sclp-serial", "isa-debug", NULL
            };
            g_autofree char *w = g_strdup_printf("%s: target type", what);
            if (checkOneOf(w, chr->target_type, serialTargets) < 0)
                return -1;
        } else if (devtype == XV_CHR_DEVICE_CHANNEL) {
            static const char *const channelTargets[] = {"xen", "virtio", NULL};
            g_autofree char *w = g_strdup_printf("%s: target type", what);
            if (!chr->target_type) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s: missing target type", what);
                return -1;
            }
            if (checkOneOf(w, chr->target_type, channelTargets) < 0)
                return -1;
            chr->target_name = attr(target, "name");
        } else if (chr->target_type) {
            g_clear_pointer(&chr->target_type, g_free); /* parallel has none */
        }
        if (port) {
            g_autofree char *w = g_strdup_printf("%s: target port", what);
            unsigned int p;
            if (parseUInt(w, port, 65535, &p) < 0)
                return -1;
            chr->target_port = (int)p;
            chr->has_target_port = true;
        }
    }

    *out = g_steal_pointer(&chr);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Input, sound, hostdev, video, controller                            */

static int
parseInput(xmlNodePtr node, xvDomainInputDef **out)
{
    static const char *const types[] = {"mouse", "tablet", "keyboard", NULL};
    static const char *const buses[] = {"ps2", "usb", "xen", "virtio", NULL};
    g_autoptr(xvDomainInputDef) input = g_new0(xvDomainInputDef, 1);

    if (!(input->type = attr(node, "type"))) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "input: missing type attribute");
        return -1;
    }
    if (checkOneOf("input: type", input->type, types) < 0)
        return -1;
    input->bus = attr(node, "bus");
    if (input->bus) {
        g_autofree char *w = g_strdup_printf("input '%s': bus", input->type);
        if (checkOneOf(w, input->bus, buses) < 0)
            return -1;
        if (strcmp(input->bus, "ps2") == 0 && strcmp(input->type, "tablet") == 0) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s",
                          "input 'tablet': a tablet cannot be on the ps2 bus");
            return -1;
        }
    }
    *out = g_steal_pointer(&input);
    return 0;
}

static int
parseSound(xmlNodePtr node, xvDomainSoundDef **out)
{
    static const char *const models[] = {
        "sb16", "es1370", "pcspk", "ac97", "ich6", "ich9", "usb", "ich7", NULL
    };
    g_autoptr(xvDomainSoundDef) sound = g_new0(xvDomainSoundDef, 1);

    if (!(sound->model = attr(node, "model"))) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "sound: missing model attribute");
        return -1;
    }
    if (checkOneOf("sound: model", sound->model, models) < 0)
        return -1;
    *out = g_steal_pointer(&sound);
    return 0;
}

static int
parseHostdev(xmlNodePtr node, xvDomainHostdevDef **out)
{
    g_autoptr(xvDomainHostdevDef) hostdev = g_new0(xvDomainHostdevDef, 1);
    g_autofree char *mode = attr(node, "mode");
    g_autofree char *type = attr(node, "type");
    g_autofree char *managed = attr(node, "managed");
    xmlNodePtr address = childElement(childElement(node, "source"), "address");
    static const struct {
        const char *name;
        unsigned int max;
        size_t offset;
    } fields[] = {
        {"domain", 0xffff, G_STRUCT_OFFSET(xvDomainHostdevDef, domain)},
        {"bus", 0xff, G_STRUCT_OFFSET(xvDomainHostdevDef, bus)},
        {"slot", 0x1f, G_STRUCT_OFFSET(xvDomainHostdevDef, slot)},
        {"function", 0x7, G_STRUCT_OFFSET(xvDomainHostdevDef, function)},
    };

    if (mode && strcmp(mode, "subsystem") != 0) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "hostdev: mode '%s' is not supported (expected subsystem)", mode);
        return -1;
    }
    if (!type || strcmp(type, "pci") != 0) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "hostdev: type '%s' is not supported (expected pci)",
                      type ? type : "(none)");
        return -1;
    }
    g_autofree char *writeFiltering = childAttr(node, "source", "writeFiltering");

    if (parseYesNo("hostdev: managed", managed, &hostdev->managed) < 0 ||
        parseYesNo("hostdev: source writeFiltering", writeFiltering, &hostdev->write_filtering) < 0)
        return -1;
    if (!address) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "hostdev: missing <source><address .../></source>");
        return -1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        g_autofree char *v = attr(address, fields[i].name);
        g_autofree char *w = g_strdup_printf("hostdev: address %s", fields[i].name);
        unsigned int *dst = G_STRUCT_MEMBER_P(hostdev, fields[i].offset);

        if (!v) {
            xvReportError(VIR_ERR_XML_DETAIL, "hostdev: address has no %s", fields[i].name);
            return -1;
        }
        if (parseHexOrDec(w, v, fields[i].max, dst) < 0)
            return -1;
    }
    *out = g_steal_pointer(&hostdev);
    return 0;
}

static int
parseVideo(xmlNodePtr node, xvDomainVideoDef **out)
{
    static const char *const models[] = {
        "vga", "cirrus", "vmvga", "xen", "vbox", "qxl", "virtio", "gop", "bochs",
        "ramfb", "none", NULL
    };
    g_autoptr(xvDomainVideoDef) video = g_new0(xvDomainVideoDef, 1);
    xmlNodePtr model = childElement(node, "model");
    g_autofree char *vram = attr(model, "vram");
    g_autofree char *heads = attr(model, "heads");
    g_autofree char *primary = attr(model, "primary");

    if (!model || !(video->model = attr(model, "type"))) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "video: missing <model type='...'/>");
        return -1;
    }
    if (checkOneOf("video: model type", video->model, models) < 0)
        return -1;
    if (vram) {
        if (parseUInt("video: vram", vram, G_MAXUINT, &video->vram) < 0)
            return -1;
        video->has_vram = true;
    }
    if (heads) {
        if (parseUInt("video: heads", heads, 16, &video->heads) < 0)
            return -1;
        video->has_heads = true;
    }
    if (parseYesNo("video: primary", primary, &video->primary) < 0)
        return -1;
    *out = g_steal_pointer(&video);
    return 0;
}

static int
parseController(xmlNodePtr node, xvDomainControllerDef **out)
{
    static const char *const types[] = {
        "ide", "fdc", "scsi", "sata", "virtio-serial", "ccid", "usb", "pci",
        "xenbus", "isa", NULL
    };
    g_autoptr(xvDomainControllerDef) ctrl = g_new0(xvDomainControllerDef, 1);
    g_autofree char *index = attr(node, "index");
    g_autofree char *ports = attr(node, "ports");
    g_autofree char *grant = attr(node, "maxGrantFrames");
    g_autofree char *events = attr(node, "maxEventChannels");

    if (!(ctrl->type = attr(node, "type"))) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "controller: missing type attribute");
        return -1;
    }
    if (checkOneOf("controller: type", ctrl->type, types) < 0)
        return -1;
    if (index && parseUInt("controller: index", index, G_MAXINT, &ctrl->index) < 0)
        return -1;
    ctrl->model = attr(node, "model");
    if (ports) {
        if (parseUInt("controller: ports", ports, 255, &ctrl->ports) < 0)
            return -1;
        ctrl->has_ports = true;
    }
    if (grant) {
        if (parseUInt("controller: maxGrantFrames", grant, G_MAXINT, &ctrl->max_grant_frames) < 0)
            return -1;
        ctrl->has_max_grant_frames = true;
    }
    if (events) {
        if (parseUInt("controller: maxEventChannels", events, G_MAXINT, &ctrl->max_event_channels) < 0)
            return -1;
        ctrl->has_max_event_channels = true;
    }
    *out = g_steal_pointer(&ctrl);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Top level                                                           */

static int
parseVcpu(xvDomainDef *def, xmlNodePtr node)
{
    static const char *const placements[] = {"static", "auto", NULL};
    g_autofree char *text = content(node);
    g_autofree char *current = attr(node, "current");
    g_autofree char *cpuset = attr(node, "cpuset");

    if (parseUInt("vcpu", text, XV_DOMAIN_MAX_VCPUS, &def->vcpus) < 0)
        return -1;
    if (def->vcpus == 0) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "vcpu: a domain needs at least one vcpu");
        return -1;
    }
    if (current) {
        if (parseUInt("vcpu current", current, XV_DOMAIN_MAX_VCPUS, &def->vcpus_current) < 0)
            return -1;
        if (def->vcpus_current == 0 || def->vcpus_current > def->vcpus) {
            xvReportError(VIR_ERR_XML_DETAIL,
                          "vcpu current: '%s' must be between 1 and the maximum %u",
                          current, def->vcpus);
            return -1;
        }
    }
    def->vcpu_placement = attr(node, "placement");
    if (def->vcpu_placement && checkOneOf("vcpu placement", def->vcpu_placement, placements) < 0)
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
    xmlNodePtr type = childElement(os, "type");
    xmlNodePtr loader = childElement(os, "loader");
    g_autofree char *typestr = content(type);
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
    def->os_arch = attr(type, "arch");
    if (def->os_arch && checkOneOf("os: arch", def->os_arch, arches) < 0)
        return -1;
    def->os_machine = attr(type, "machine");

    if (loader) {
        static const char *const loaderTypes[] = {"rom", "pflash", NULL};
        g_autofree char *ro = attr(loader, "readonly");

        def->os_loader = content(loader);
        def->os_loader_type = attr(loader, "type");
        if (def->os_loader_type && checkOneOf("os: loader type", def->os_loader_type, loaderTypes) < 0)
            return -1;
        if (parseYesNo("os: loader readonly", ro, &def->os_loader_readonly) < 0)
            return -1;
    }
    def->os_kernel = childContent(os, "kernel");
    def->os_initrd = childContent(os, "initrd");
    def->os_cmdline = childContent(os, "cmdline");
    def->os_root = childContent(os, "root");

    for (xmlNodePtr cur = os->children; cur; cur = cur->next) {
        g_autofree char *dev = NULL;

        if (!isElement(cur, "boot"))
            continue;
        if (!(dev = attr(cur, "dev"))) {
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
    if (childElement(features, "pae"))
        def->feature_pae = XV_TRISTATE_YES;
    if (childElement(features, "acpi"))
        def->feature_acpi = XV_TRISTATE_YES;
    if (childElement(features, "apic"))
        def->feature_apic = XV_TRISTATE_YES;
    if (childElement(features, "viridian"))
        def->feature_viridian = XV_TRISTATE_YES;
    if ((xen = childElement(features, "xen"))) {
        xmlNodePtr e820 = childElement(xen, "e820_host");
        xmlNodePtr pt = childElement(xen, "passthrough");

        if (e820) {
            g_autofree char *state = attr(e820, "state");
            if (parseOnOff("features: xen e820_host state", state, &def->feature_xen_e820_host) < 0)
                return -1;
            if (def->feature_xen_e820_host == XV_TRISTATE_ABSENT)
                def->feature_xen_e820_host = XV_TRISTATE_YES;
        }
        if (pt) {
            g_autofree char *state = attr(pt, "state");
            if (parseOnOff("features: xen passthrough state", state, &def->feature_xen_passthrough) < 0)
                return -1;
            if (def->feature_xen_passthrough == XV_TRISTATE_ABSENT)
                def->feature_xen_passthrough = XV_TRISTATE_YES;
            def->feature_xen_passthrough_mode = attr(pt, "mode");
            if (def->feature_xen_passthrough_mode &&
                checkOneOf("features: xen passthrough mode", def->feature_xen_passthrough_mode,
                           (const char *const[]){"sync_pt", "share_pt", NULL}) < 0)
                return -1;
        }
    }
    if ((hap = childElement(features, "hap"))) {
        g_autofree char *state = attr(hap, "state");
        if (parseOnOff("features: hap state", state, &def->feature_hap) < 0)
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
    g_autofree char *id = attr(node, "id");
    g_autofree char *cpus = attr(node, "cpus");
    g_autofree char *memory = attr(node, "memory");
    g_autofree char *unit = attr(node, "unit");
    xmlNodePtr distances = childElement(node, "distances");

    if (!id || !cpus || !memory) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "cpu numa: <cell> needs id, cpus and memory");
        return -1;
    }
    if (parseUInt("cpu numa cell id", id, 255, &cell->id) < 0)
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

            if (!isElement(cur, "sibling"))
                continue;
            sid = attr(cur, "id");
            value = attr(cur, "value");
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
            if (parseUInt("cpu numa sibling id", sid, 255, &d->id) < 0 ||
                parseUInt("cpu numa sibling value", value, 255, &d->value) < 0)
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
    def->cpu_mode = attr(cpu, "mode");
    def->cpu_match = attr(cpu, "match");
    def->cpu_check = attr(cpu, "check");
    if ((def->cpu_mode && checkOneOf("cpu mode", def->cpu_mode, modes) < 0) ||
        (def->cpu_match && checkOneOf("cpu match", def->cpu_match, matches) < 0) ||
        (def->cpu_check && checkOneOf("cpu check", def->cpu_check, checks) < 0))
        return -1;
    for (xmlNodePtr cur = cpu->children; cur; cur = cur->next) {
        g_autoptr(xvDomainCpuFeatureDef) feature = NULL;

        if (!isElement(cur, "feature"))
            continue;
        feature = g_new0(xvDomainCpuFeatureDef, 1);
        feature->policy = attr(cur, "policy");
        feature->name = attr(cur, "name");
        if (!feature->name || !*feature->name) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s", "cpu: <feature> without name");
            return -1;
        }
        if (feature->policy) {
            g_autofree char *w = g_strdup_printf("cpu feature '%s': policy", feature->name);
            if (checkOneOf(w, feature->policy, policies) < 0)
                return -1;
        }
        APPEND_DEVICE(def->cpu_features, def->ncpu_features, g_steal_pointer(&feature),
                      "feature", xvDomainCpuFeatureDefFree);
    }
    if ((numa = childElement(cpu, "numa"))) {
        for (xmlNodePtr cur = numa->children; cur; cur = cur->next) {
            if (isElement(cur, "cell") && parseNumaCell(def, cur) < 0)
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
    g_autofree char *name = attr(node, "name");
    g_autofree char *present = attr(node, "present");
    g_autofree char *frequency = attr(node, "frequency");
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
        if (parseYesNo(w, present, &timer->present) < 0)
            return -1;
    }
    timer->tickpolicy = attr(node, "tickpolicy");
    timer->track = attr(node, "track");
    timer->mode = attr(node, "mode");
    if (timer->tickpolicy) {
        g_autofree char *w = g_strdup_printf("%s: tickpolicy", what);
        if (checkOneOf(w, timer->tickpolicy, tickpolicies) < 0)
            return -1;
    }
    if (timer->track) {
        g_autofree char *w = g_strdup_printf("%s: track", what);
        if (checkOneOf(w, timer->track, tracks) < 0)
            return -1;
    }
    if (timer->mode) {
        g_autofree char *w = g_strdup_printf("%s: mode", what);
        if (checkOneOf(w, timer->mode, modes) < 0)
            return -1;
    }
    if (frequency) {
        g_autofree char *w = g_strdup_printf("%s: frequency", what);
        if (parseULL(w, frequency, &timer->frequency) < 0)
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
    g_autofree char *offset = attr(clock, "offset");
    g_autofree char *adjustment = attr(clock, "adjustment");

    if (!clock)
        return 0;
    if (!offset) {
        /* libvirt < 0.5: <clock sync='localtime'/> */
        g_autofree char *sync = attr(clock, "sync");
        if (sync) {
            if (checkOneOf("clock sync", sync, (const char *const[]){"utc", "localtime", NULL}) < 0)
                return -1;
            offset = g_steal_pointer(&sync);
        }
    }
    if (offset) {
        if (checkOneOf("clock offset", offset, offsets) < 0)
            return -1;
        def->clock_offset = g_steal_pointer(&offset);
    }
    if (adjustment) {
        if (strcmp(adjustment, "reset") == 0 &&
            (!def->clock_offset || strcmp(def->clock_offset, "variable") != 0)) {
            def->clock_adjustment_reset = true;
        } else {
            if (parseLL("clock adjustment", adjustment, &def->clock_adjustment) < 0)
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
        def->clock_basis = attr(clock, "basis");
        if (def->clock_basis &&
            checkOneOf("clock basis", def->clock_basis, (const char *const[]){"utc", "localtime", NULL}) < 0)
            return -1;
    }
    for (xmlNodePtr cur = clock->children; cur; cur = cur->next) {
        if (isElement(cur, "timer") && parseTimer(def, cur) < 0)
            return -1;
    }
    return 0;
}

static int
parseLifecycle(xmlNodePtr root, const char *name, bool *has, xvDomainLifecycleAction *action)
{
    g_autofree char *text = childContent(root, name);
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

/* libvirt's disk index: a=0 ... z=25, aa=26 (partition ignored). */
static long
diskIndex(const xvDomainDiskDef *disk)
{
    const char *prefix;
    unsigned long idx = 0, part;

    if (splitDiskName(disk->dst, &prefix, &idx, &part) < 0)
        return -1;
    return (long)idx;
}

/* Adds a disk where libvirt's parser puts it, so that our order is the
 * one libvirt hands back: walking backwards over the disks on the same
 * bus *as written* (not given counts as a bus of its own), the new disk
 * goes before the earliest one with a higher index, else just after the
 * last one on its bus, else at the end.  A target named twice is an error. */
static int
insertDisk(xvDomainDef *def, xvDomainDiskDef *disk, bool keepOrder)
{
    long idx = diskIndex(disk);
    long insertAt = -1;

    for (size_t i = 0; i < def->ndisks; i++) {
        if (strcmp(def->disks[i]->dst, disk->dst) == 0) {
            xvReportError(VIR_ERR_XML_DETAIL, "disk '%s': target given more than once", disk->dst);
            return -1;
        }
    }
    if (def->ndisks >= XV_DOMAIN_MAX_DEVICES_PER_KIND) {
        xvReportError(VIR_ERR_XML_DETAIL, "devices: more than %d <disk> elements",
                      XV_DOMAIN_MAX_DEVICES_PER_KIND);
        return -1;
    }
    for (long i = (long)def->ndisks - 1; i >= 0 && !keepOrder; i--) {
        if (def->disks[i]->bus != disk->bus)
            continue;
        if (diskIndex(def->disks[i]) > idx)
            insertAt = i;
        else if (insertAt == -1)
            insertAt = i + 1;
    }
    if (insertAt == -1)
        insertAt = (long)def->ndisks;
    def->disks = g_renew(xvDomainDiskDef *, def->disks, def->ndisks + 1);
    memmove(def->disks + insertAt + 1, def->disks + insertAt,
            (def->ndisks - (size_t)insertAt) * sizeof(*def->disks));
    def->disks[insertAt] = disk;
    def->ndisks++;
    return 0;
}

static int
parseDevices(xvDomainDef *def, xmlNodePtr devices, unsigned int flags)
{
    if (!devices)
        return 0;
    for (xmlNodePtr cur = devices->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE || cur->ns)
            continue;
        if (isElement(cur, "emulator")) {
            g_free(def->emulator);
            def->emulator = content(cur);
        } else if (isElement(cur, "disk")) {
            xvDomainDiskDef *disk = NULL;
            if (parseDisk(cur, &disk) < 0)
                return -1;
            if (insertDisk(def, disk, flags & XV_DOMAIN_PARSE_KEEP_ORDER) < 0) {
                xvDomainDiskDefFree(disk);
                return -1;
            }
        } else if (isElement(cur, "controller")) {
            xvDomainControllerDef *ctrl = NULL;
            if (parseController(cur, &ctrl) < 0)
                return -1;
            APPEND_DEVICE(def->controllers, def->ncontrollers, ctrl, "controller",
                          xvDomainControllerDefFree);
        } else if (isElement(cur, "interface")) {
            xvDomainNetDef *net = NULL;
            if (parseInterface(cur, &net) < 0)
                return -1;
            APPEND_DEVICE(def->nets, def->nnets, net, "interface", xvDomainNetDefFree);
        } else if (isElement(cur, "graphics")) {
            xvDomainGraphicsDef *gr = NULL;
            if (parseGraphics(cur, &gr) < 0)
                return -1;
            APPEND_DEVICE(def->graphics, def->ngraphics, gr, "graphics", xvDomainGraphicsDefFree);
        } else if (isElement(cur, "serial")) {
            xvDomainChrDef *chr = NULL;
            if (parseChr(cur, XV_CHR_DEVICE_SERIAL, &chr) < 0)
                return -1;
            APPEND_DEVICE(def->serials, def->nserials, chr, "serial", xvDomainChrDefFree);
        } else if (isElement(cur, "parallel")) {
            xvDomainChrDef *chr = NULL;
            if (parseChr(cur, XV_CHR_DEVICE_PARALLEL, &chr) < 0)
                return -1;
            APPEND_DEVICE(def->parallels, def->nparallels, chr, "parallel", xvDomainChrDefFree);
        } else if (isElement(cur, "console")) {
            xvDomainChrDef *chr = NULL;
            if (parseChr(cur, XV_CHR_DEVICE_CONSOLE, &chr) < 0)
                return -1;
            APPEND_DEVICE(def->consoles, def->nconsoles, chr, "console", xvDomainChrDefFree);
        } else if (isElement(cur, "channel")) {
            xvDomainChrDef *chr = NULL;
            if (parseChr(cur, XV_CHR_DEVICE_CHANNEL, &chr) < 0)
                return -1;
            APPEND_DEVICE(def->channels, def->nchannels, chr, "channel", xvDomainChrDefFree);
        } else if (isElement(cur, "input")) {
            xvDomainInputDef *input = NULL;
            if (parseInput(cur, &input) < 0)
                return -1;
            APPEND_DEVICE(def->inputs, def->ninputs, input, "input", xvDomainInputDefFree);
        } else if (isElement(cur, "sound")) {
            xvDomainSoundDef *sound = NULL;
            if (parseSound(cur, &sound) < 0)
                return -1;
            APPEND_DEVICE(def->sounds, def->nsounds, sound, "sound", xvDomainSoundDefFree);
        } else if (isElement(cur, "hostdev")) {
            xvDomainHostdevDef *hostdev = NULL;
            if (parseHostdev(cur, &hostdev) < 0)
                return -1;
            APPEND_DEVICE(def->hostdevs, def->nhostdevs, hostdev, "hostdev", xvDomainHostdevDefFree);
        } else if (isElement(cur, "video")) {
            xvDomainVideoDef *video = NULL;
            if (parseVideo(cur, &video) < 0)
                return -1;
            APPEND_DEVICE(def->videos, def->nvideos, video, "video", xvDomainVideoDefFree);
        } else if (isElement(cur, "memballoon")) {
            static const char *const models[] = {"xen", "virtio", "none", NULL};
            g_free(def->memballoon_model);
            if (!(def->memballoon_model = attr(cur, "model"))) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s", "memballoon: missing model attribute");
                return -1;
            }
            if (checkOneOf("memballoon: model", def->memballoon_model, models) < 0)
                return -1;
        }
    }
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
    g_autofree char *type = attr(root, "type");
    g_autofree char *id = attr(root, "id");
    g_autofree char *uuid = NULL;
    xmlNodePtr node;
    int val;

    if (!isElement(root, "domain")) {
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
        if (parseLL("domain id", id, &v) < 0)
            return -1;
        if (v < -1 || v > G_MAXINT) {
            xvReportError(VIR_ERR_XML_DETAIL, "domain id: '%s' is out of range", id);
            return -1;
        }
        def->id = (int)v;
    }

    def->name = childContent(root, "name");
    if (!def->name || !*def->name) {
        xvReportError(VIR_ERR_NO_NAME, "%s", "domain");
        return -1;
    }
    if (strchr(def->name, '/') || strchr(def->name, '\n')) {
        xvReportError(VIR_ERR_XML_DETAIL, "name: '%s' must not contain '/' or a newline",
                      def->name);
        return -1;
    }
    if ((uuid = childContent(root, "uuid"))) {
        if (xvUUIDParse(uuid, def->uuid) < 0) {
            xvReportError(VIR_ERR_XML_DETAIL, "uuid: '%s' is not a valid UUID", uuid);
            return -1;
        }
        def->has_uuid = true;
    }
    def->title = childContent(root, "title");
    if (def->title && strchr(def->title, '\n')) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "title: must not contain a newline");
        return -1;
    }
    def->description = childContent(root, "description");

    if (!(node = childElement(root, "memory"))) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "memory: missing; a domain needs a <memory> size");
        return -1;
    }
    if (parseMemory("memory", node, &def->max_memory) < 0)
        return -1;
    if (def->max_memory == 0) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "memory: must be greater than 0");
        return -1;
    }
    if ((node = childElement(root, "currentMemory"))) {
        if (parseMemory("currentMemory", node, &def->current_memory) < 0)
            return -1;
        if (def->current_memory > def->max_memory) {
            xvReportError(VIR_ERR_XML_DETAIL,
                          "currentMemory: %llu KiB is more than memory (%llu KiB)",
                          def->current_memory, def->max_memory);
            return -1;
        }
    }
    if ((node = childElement(root, "maxMemory"))) {
        g_autofree char *slots = attr(node, "slots");
        if (!slots) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s", "maxMemory: missing slots attribute");
            return -1;
        }
        if (parseUInt("maxMemory slots", slots, G_MAXUINT, &def->max_memory_slots) < 0 ||
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

    if ((node = childElement(root, "vcpu")) && parseVcpu(def, node) < 0)
        return -1;

    def->bootloader = childContent(root, "bootloader");
    def->bootloader_args = childContent(root, "bootloader_args");

    if (parseOS(def, childElement(root, "os")) < 0)
        return -1;
    if (parseFeatures(def, childElement(root, "features")) < 0)
        return -1;
    if (parseCpu(def, childElement(root, "cpu")) < 0)
        return -1;
    if (parseClock(def, childElement(root, "clock")) < 0)
        return -1;
    if (parseLifecycle(root, "on_poweroff", &def->has_on_poweroff, &def->on_poweroff) < 0 ||
        parseLifecycle(root, "on_reboot", &def->has_on_reboot, &def->on_reboot) < 0 ||
        parseLifecycle(root, "on_crash", &def->has_on_crash, &def->on_crash) < 0)
        return -1;
    if (parseDevices(def, childElement(root, "devices"), flags) < 0)
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

static int
parseDevice(xvDomainDeviceDef *dev, xmlNodePtr node)
{
    if (isElement(node, "disk"))
        return parseDisk(node, &dev->disk);
    if (isElement(node, "interface"))
        return parseInterface(node, &dev->net);
    if (isElement(node, "hostdev"))
        return parseHostdev(node, &dev->hostdev);
    if (isElement(node, "input"))
        return parseInput(node, &dev->input);
    if (isElement(node, "serial"))
        return parseChr(node, XV_CHR_DEVICE_SERIAL, &dev->chr);
    if (isElement(node, "parallel"))
        return parseChr(node, XV_CHR_DEVICE_PARALLEL, &dev->chr);
    if (isElement(node, "console"))
        return parseChr(node, XV_CHR_DEVICE_CONSOLE, &dev->chr);
    if (isElement(node, "channel"))
        return parseChr(node, XV_CHR_DEVICE_CHANNEL, &dev->chr);
    if (isElement(node, "graphics"))
        return parseGraphics(node, &dev->graphics);
    if (isElement(node, "sound"))
        return parseSound(node, &dev->sound);
    if (isElement(node, "video"))
        return parseVideo(node, &dev->video);
    if (isElement(node, "controller"))
        return parseController(node, &dev->controller);
    xvReportError(VIR_ERR_XML_ERROR, "unknown device type <%s>", (const char *)node->name);
    return -1;
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
    rc = parseDevice(dev, xmlDocGetRootElement(doc));
    freeDoc(doc);
    if (rc < 0)
        return NULL;
    return g_steal_pointer(&dev);
}
