/*
 * libxl_json.c: libxl's per-domain "libxl-json" document -> the domain
 * model (see libxl_json.h).  Without xend (Xen 4.5 and later) this is the
 * only place a running domain's full configuration lives: xl stores no
 * config of its own any more (checked on Xen 4.17: /var/lib/xen holds only
 * the libxl-json files), and `xl list -l` prints exactly this document,
 * corrected by xenstore's device list (libxl_retrieve_domain_configuration).
 *
 * The document is the JSON form of libxl_domain_config (libxl_types.idl):
 * c_info (name, uuid, type), b_info (memory in KiB, vcpus, kernel,
 * ramdisk, cmdline, the per-type unions "type.pv"/"type.hvm"), disks[],
 * nics[] and the on_* actions; members equal to libxl's default are left
 * out, and libxl's defbools are the strings "True"/"False".
 *
 * How: the members are mapped onto the xl config keys they came from (an
 * in-memory xvCfg, never text, so no quoting question arises) and
 * xen_xl.c's reader makes the definition, so a running domain reads back
 * exactly as its config file would.  Memory is then set from the KiB
 * figures (xl's keys are MiB).  Rejected: a second mapping from libxl's
 * structs straight to the model, which would have to repeat every rule
 * of xen_xl.c (disk bus by vdev, the cdrom defaults, vif types) and drift.
 *
 * JSON parsing is json-glib's; this file bounds what it is given (size,
 * nesting, which json-glib's recursive parser does not) and checks the
 * type of every member it reads.  Pure: no I/O, no global state.
 */
#define XV_FROM VIR_FROM_LIBXL
#include "xen/libxl_json.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "util/error.h"
#include "xenconfig/xen_cfg.h"
#include "xenconfig/xen_xl.h"

int
xvXenVdevDevid(const char *name)
{
    static const int hdMajors[] = {3, 22, 33, 34, 56, 57, 88, 89, 90, 91};
    const char *p;
    int disk = 0, part = 0;

    if (g_str_has_prefix(name, "xvd"))
        p = name + 3;
    else if (g_str_has_prefix(name, "sd") || g_str_has_prefix(name, "hd"))
        p = name + 2;
    else
        return -1;
    if (!g_ascii_islower(*p))
        return -1;
    while (g_ascii_islower(*p)) {
        if (disk > (1 << 20))
            return -1;
        disk = disk * 26 + (*p - 'a' + 1);
        p++;
    }
    disk--;
    if (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (*end || v < 0 || v > 255)
            return -1;
        part = (int)v;
    }
    if (name[0] == 'x') {
        if (disk < 16 && part < 16)
            return (202 << 8) | (disk << 4) | part;
        return disk < (1 << 20) ? (1 << 28) | (disk << 8) | part : -1;
    }
    if (name[0] == 's')
        return disk < 16 && part < 16 ? (8 << 8) | (disk << 4) | part : -1;
    if (disk >= 20 || part > 63)
        return -1;
    return (hdMajors[disk / 2] << 8) | ((disk % 2) << 6) | part;
}

/* ---- reading members, each checked for its type ----------------------- */

typedef struct {
    const char *source;
    xvCfg *cfg;
} jCtx;

/* The member name of obj, or NULL when absent or JSON null. */
static JsonNode *
jMember(JsonObject *obj, const char *name)
{
    JsonNode *n = obj ? json_object_get_member(obj, name) : NULL;
    return n && !JSON_NODE_HOLDS_NULL(n) ? n : NULL;
}

static int
jTypeError(const jCtx *c, const char *where, const char *name, const char *want)
{
    xvReportError(VIR_ERR_CONF_SYNTAX, "%s: %s%s%s is not %s", c->source, where,
                  *where ? "." : "", name, want);
    return -1;
}

/* 1 and *out (borrowed) when present, 0 when absent, -1 when not a string. */
static int
jString(const jCtx *c, JsonObject *obj, const char *where, const char *name, const char **out)
{
    JsonNode *n = jMember(obj, name);

    *out = NULL;
    if (!n)
        return 0;
    if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
        return jTypeError(c, where, name, "a string");
    *out = json_node_get_string(n);
    return 1;
}

/* A non-negative integer. */
static int
jUInt(const jCtx *c, JsonObject *obj, const char *where, const char *name, guint64 *out)
{
    JsonNode *n = jMember(obj, name);

    if (!n)
        return 0;
    if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64 ||
        json_node_get_int(n) < 0)
        return jTypeError(c, where, name, "a non-negative integer");
    *out = (guint64)json_node_get_int(n);
    return 1;
}

/* An object member; absent is an empty object (NULL). */
static int
jObject(const jCtx *c, JsonObject *obj, const char *where, const char *name, JsonObject **out)
{
    JsonNode *n = jMember(obj, name);

    *out = NULL;
    if (!n)
        return 0;
    if (!JSON_NODE_HOLDS_OBJECT(n))
        return jTypeError(c, where, name, "an object");
    *out = json_node_get_object(n);
    return 1;
}

static int
jArray(const jCtx *c, JsonObject *obj, const char *where, const char *name, JsonArray **out)
{
    JsonNode *n = jMember(obj, name);

    *out = NULL;
    if (!n)
        return 0;
    if (!JSON_NODE_HOLDS_ARRAY(n))
        return jTypeError(c, where, name, "an array");
    *out = json_node_get_array(n);
    return 1;
}

/* ---- the scalar members: one table ------------------------------------- */

typedef enum {
    M_STRING,   /* copied */
    M_DEFBOOL,  /* libxl_defbool "True"/"False" -> 1/0 */
    M_ENUM,     /* a libxl enum, in xl's spelling: coredump_destroy -> coredump-destroy */
} memberKind;

/* Where each scalar lives in the document and the xl key it came from.
 * The first row that sets a key wins: 4.17 keeps kernel, ramdisk and
 * cmdline in b_info, older libxl in b_info."type.pv" (still read). */
static const struct {
    const char *obj; /* "", "c_info", "b_info", "type.pv", "type.hvm" */
    const char *member;
    const char *key;
    memberKind kind;
} scalarMembers[] = {
    {"c_info", "name", "name", M_STRING},
    {"c_info", "uuid", "uuid", M_STRING},
    {"c_info", "type", "type", M_STRING},
    {"b_info", "kernel", "kernel", M_STRING},
    {"b_info", "ramdisk", "ramdisk", M_STRING},
    {"b_info", "cmdline", "cmdline", M_STRING},
    {"b_info", "device_model_version", "device_model_version", M_ENUM},
    {"b_info", "device_model", "device_model_override", M_STRING},
    {"b_info", "acpi", "acpi", M_DEFBOOL},
    {"type.pv", "kernel", "kernel", M_STRING},
    {"type.pv", "ramdisk", "ramdisk", M_STRING},
    {"type.pv", "cmdline", "cmdline", M_STRING},
    {"type.pv", "bootloader", "bootloader", M_STRING},
    {"type.hvm", "boot", "boot", M_STRING},
    {"type.hvm", "bios", "bios", M_STRING},
    {"type.hvm", "pae", "pae", M_DEFBOOL},
    {"type.hvm", "acpi", "acpi", M_DEFBOOL},
    {"type.hvm", "apic", "apic", M_DEFBOOL},
    {"type.hvm", "serial", "serial", M_STRING},
    {"", "on_poweroff", "on_poweroff", M_ENUM},
    {"", "on_reboot", "on_reboot", M_ENUM},
    {"", "on_crash", "on_crash", M_ENUM},
};

static int
mapScalar(const jCtx *c, JsonObject *obj, const char *where, guint row)
{
    const char *key = scalarMembers[row].key;
    const char *s;
    int rc;

    if (xvCfgHas(c->cfg, key))
        return 0;
    if ((rc = jString(c, obj, where, scalarMembers[row].member, &s)) <= 0)
        return rc;
    switch (scalarMembers[row].kind) {
    case M_STRING:
        xvCfgSetString(c->cfg, key, s);
        break;
    case M_DEFBOOL:
        if (strcmp(s, "True") != 0 && strcmp(s, "False") != 0)
            return jTypeError(c, where, scalarMembers[row].member, "\"True\" or \"False\"");
        xvCfgSetLong(c->cfg, key, strcmp(s, "True") == 0);
        break;
    case M_ENUM: {
        g_autofree char *xl = g_strdup(s);
        g_strdelimit(xl, "_", '-');
        xvCfgSetString(c->cfg, key, xl);
        break;
    }
    }
    return 0;
}

/* ---- devices -------------------------------------------------------- */

/* A spec value must not carry the spec's separators. */
static int
specValue(const jCtx *c, const char *where, const char *name, const char *v)
{
    if (strpbrk(v, ",=")) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s: %s.%s '%s' cannot be expressed as an xl "
                      "device setting (contains ',' or '=')", c->source, where, name, v);
        return -1;
    }
    return 0;
}

/* libxl_device_disk -> xl's disk spec (target= last: it takes the rest,
 * commas included).  A block script (script=) is left out: the domain
 * model has no place for it. */
static int
mapDisk(const jCtx *c, JsonObject *disk, const char *where, xvLibxlDevKeep keep, void *opaque,
        xvCfgValue *list)
{
    static const char *const specKeys[][2] = {
        {"vdev", "vdev"}, {"format", "format"}, {"backend", "backendtype"},
    };
    g_autoptr(GString) spec = g_string_new(NULL);
    const char *vdev, *path;
    guint64 rw = 0, cdrom = 0;
    int devid;

    if (jString(c, disk, where, "vdev", &vdev) < 0)
        return -1;
    if (!vdev || (devid = xvXenVdevDevid(vdev)) < 0) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s: %s.vdev '%s' is not a Xen disk name",
                      c->source, where, vdev ? vdev : "");
        return -1;
    }
    if (keep && !keep(XV_LIBXL_DEV_VBD, devid, opaque))
        return 0;
    for (guint i = 0; i < G_N_ELEMENTS(specKeys); i++) {
        const char *v;
        if (jString(c, disk, where, specKeys[i][0], &v) < 0)
            return -1;
        /* "unknown" is libxl's "not given" */
        if (!v || strcmp(v, "unknown") == 0)
            continue;
        if (specValue(c, where, specKeys[i][0], v) < 0)
            return -1;
        g_string_append_printf(spec, "%s=%s,", specKeys[i][1], v);
    }
    if (jUInt(c, disk, where, "readwrite", &rw) < 0 ||
        jUInt(c, disk, where, "is_cdrom", &cdrom) < 0 ||
        jString(c, disk, where, "pdev_path", &path) < 0)
        return -1;
    g_string_append_printf(spec, "access=%s,", rw ? "rw" : "ro");
    if (cdrom)
        g_string_append(spec, "devtype=cdrom,");
    g_string_append_printf(spec, "target=%s", path ? path : "");
    xvCfgValueAppend(list, xvCfgValueNewString(spec->str));
    return 0;
}

/* libxl_device_nic -> xl's vif spec. */
static int
mapNic(const jCtx *c, JsonObject *nic, const char *where, guint index, xvLibxlDevKeep keep,
       void *opaque, xvCfgValue *list)
{
    const char *domType = NULL;
    bool hvm = xvCfgGetString(c->cfg, "type", &domType) > 0 && g_strcmp0(domType, "hvm") == 0;
    static const char *const specKeys[][2] = {
        {"mac", "mac"}, {"bridge", "bridge"}, {"script", "script"}, {"model", "model"},
        {"ip", "ip"}, {"ifname", "vifname"},
    };
    g_autoptr(GString) spec = g_string_new(NULL);
    guint64 devid = index;
    const char *type;

    if (jUInt(c, nic, where, "devid", &devid) < 0)
        return -1;
    if (devid > G_MAXINT) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s: %s.devid %" G_GUINT64_FORMAT " is out of range",
                      c->source, where, devid);
        return -1;
    }
    if (keep && !keep(XV_LIBXL_DEV_VIF, (int)devid, opaque))
        return 0;
    for (guint i = 0; i < G_N_ELEMENTS(specKeys); i++) {
        const char *v;
        if (jString(c, nic, where, specKeys[i][0], &v) < 0)
            return -1;
        if (!v)
            continue;
        if (specValue(c, where, specKeys[i][0], v) < 0)
            return -1;
        g_string_append_printf(spec, "%s%s=%s", spec->len ? "," : "", specKeys[i][1], v);
    }
    if (jString(c, nic, where, "nictype", &type) < 0)
        return -1;
    /* libxl records the type it chose: vif (a PV frontend only) is the
     * only one a PV or PVH guest can have, vif_ioemu (an emulated NIC
     * too) the default of an HVM guest; only an HVM guest's vif is what
     * its config asked for (xl's type=vif, libvirt's model netfront). */
    if (hvm && type && strcmp(type, "vif") == 0)
        g_string_append_printf(spec, "%stype=vif", spec->len ? "," : "");
    xvCfgValueAppend(list, xvCfgValueNewString(spec->str));
    return 0;
}

static int
mapDevices(const jCtx *c, JsonObject *root, xvLibxlDevKeep keep, void *opaque)
{
    g_autoptr(xvCfgValue) disks = xvCfgValueNewList();
    g_autoptr(xvCfgValue) vifs = xvCfgValueNewList();
    JsonArray *a;

    if (jArray(c, root, "", "disks", &a) < 0)
        return -1;
    for (guint i = 0; a && i < json_array_get_length(a); i++) {
        JsonNode *n = json_array_get_element(a, i);
        g_autofree char *where = g_strdup_printf("disks[%u]", i);
        if (!JSON_NODE_HOLDS_OBJECT(n)) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "%s: %s is not an object", c->source, where);
            return -1;
        }
        if (mapDisk(c, json_node_get_object(n), where, keep, opaque, disks) < 0)
            return -1;
    }
    if (jArray(c, root, "", "nics", &a) < 0)
        return -1;
    for (guint i = 0; a && i < json_array_get_length(a); i++) {
        JsonNode *n = json_array_get_element(a, i);
        g_autofree char *where = g_strdup_printf("nics[%u]", i);
        if (!JSON_NODE_HOLDS_OBJECT(n)) {
            xvReportError(VIR_ERR_CONF_SYNTAX, "%s: %s is not an object", c->source, where);
            return -1;
        }
        if (mapNic(c, json_node_get_object(n), where, i, keep, opaque, vifs) < 0)
            return -1;
    }
    if (disks->items->len)
        xvCfgSet(c->cfg, "disk", g_steal_pointer(&disks));
    if (vifs->items->len)
        xvCfgSet(c->cfg, "vif", g_steal_pointer(&vifs));
    return 0;
}

/* ---- the document --------------------------------------------------- */

/* json-glib recurses once per nesting level: refuse deep documents before
 * it sees them.  Brackets inside strings do not count. */
static int
checkShape(const char *text, size_t len, const char *source)
{
    unsigned int depth = 0;
    bool inString = false;

    if (len > XV_LIBXL_JSON_MAX_BYTES) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s: %zu bytes is more than the %d a libxl "
                      "document may have", source, len, XV_LIBXL_JSON_MAX_BYTES);
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (inString) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                inString = false;
        } else if (ch == '"') {
            inString = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > XV_LIBXL_JSON_MAX_DEPTH) {
                xvReportError(VIR_ERR_CONF_SYNTAX, "%s: nested deeper than %d levels at byte "
                              "%zu", source, XV_LIBXL_JSON_MAX_DEPTH, i);
                return -1;
            }
        } else if ((ch == ']' || ch == '}') && depth) {
            depth--;
        }
    }
    return 0;
}

static int
mapVcpus(const jCtx *c, JsonObject *binfo)
{
    JsonArray *avail;
    guint64 max = 0;
    int rc;

    if ((rc = jUInt(c, binfo, "b_info", "max_vcpus", &max)) < 0)
        return -1;
    if (rc == 0)
        return 0;
    if (jArray(c, binfo, "b_info", "avail_vcpus", &avail) < 0)
        return -1;
    /* avail_vcpus: the indices of the vcpus online at start */
    if (avail && json_array_get_length(avail) < max) {
        xvCfgSetLong(c->cfg, "maxvcpus", (long long)max);
        xvCfgSetLong(c->cfg, "vcpus", (long long)MAX(json_array_get_length(avail), 1u));
    } else {
        xvCfgSetLong(c->cfg, "vcpus", (long long)max);
    }
    return 0;
}

xvDomainDef *
xvLibxlJSONToDomainDef(const char *text, size_t len, const char *source, xvLibxlDevKeep keep,
                       void *opaque)
{
    g_autoptr(JsonParser) parser = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(xvCfg) cfg = xvCfgNew(XV_CFG_DIALECT_XL);
    g_autoptr(xvDomainDef) def = NULL;
    jCtx c = {source ? source : "libxl-json", cfg};
    JsonObject *root, *cinfo, *binfo, *pv, *hvm;
    guint64 maxKiB = 0, targetKiB = 0;
    int hasMax, hasTarget;
    JsonNode *rootNode;

    /* libxl stores the string with its terminating NUL */
    while (len && text[len - 1] == '\0')
        len--;
    if (checkShape(text, len, c.source) < 0)
        return NULL;
    if (len > G_MAXSSIZE)
        return NULL;
    parser = json_parser_new_immutable();
    if (!json_parser_load_from_data(parser, text, (gssize)len, &err)) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s: not a libxl JSON document: %s", c.source,
                      err->message);
        return NULL;
    }
    rootNode = json_parser_get_root(parser);
    if (!rootNode || !JSON_NODE_HOLDS_OBJECT(rootNode)) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s: the document is not a JSON object", c.source);
        return NULL;
    }
    root = json_node_get_object(rootNode);
    if (jObject(&c, root, "", "c_info", &cinfo) < 0 || jObject(&c, root, "", "b_info", &binfo) < 0 ||
        jObject(&c, binfo, "b_info", "type.pv", &pv) < 0 ||
        jObject(&c, binfo, "b_info", "type.hvm", &hvm) < 0)
        return NULL;
    if (!cinfo || !binfo) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s: no %s: not a libxl domain configuration",
                      c.source, cinfo ? "b_info" : "c_info");
        return NULL;
    }
    for (guint i = 0; i < G_N_ELEMENTS(scalarMembers); i++) {
        const char *o = scalarMembers[i].obj;
        JsonObject *obj = !*o ? root : strcmp(o, "c_info") == 0 ? cinfo
                          : strcmp(o, "b_info") == 0 ? binfo
                          : strcmp(o, "type.pv") == 0 ? pv : hvm;
        g_autofree char *where = strchr(o, '.') ? g_strdup_printf("b_info.%s", o) : g_strdup(o);
        if (mapScalar(&c, obj, where, i) < 0)
            return NULL;
    }
    /* an action equal to libxl's default, destroy, is left out of the
     * document (xl's own defaults differ: on_reboot restart) */
    for (guint i = 0; i < G_N_ELEMENTS(scalarMembers); i++)
        if (scalarMembers[i].kind == M_ENUM && g_str_has_prefix(scalarMembers[i].key, "on_") &&
            !xvCfgHas(cfg, scalarMembers[i].key))
            xvCfgSetString(cfg, scalarMembers[i].key, "destroy");
    if (pv) {
        /* bootloader_args: a list of words; xl's bootargs is one string */
        JsonArray *args;
        g_autoptr(GString) joined = g_string_new(NULL);
        if (jArray(&c, pv, "b_info.type.pv", "bootloader_args", &args) < 0)
            return NULL;
        for (guint i = 0; args && i < json_array_get_length(args); i++) {
            JsonNode *n = json_array_get_element(args, i);
            if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
                xvReportError(VIR_ERR_CONF_SYNTAX, "%s: b_info.type.pv.bootloader_args[%u] is "
                              "not a string", c.source, i);
                return NULL;
            }
            g_string_append_printf(joined, "%s%s", i ? " " : "", json_node_get_string(n));
        }
        if (joined->len)
            xvCfgSetString(cfg, "bootargs", joined->str);
    }
    if (mapVcpus(&c, binfo) < 0 || mapDevices(&c, root, keep, opaque) < 0)
        return NULL;
    if ((hasMax = jUInt(&c, binfo, "b_info", "max_memkb", &maxKiB)) < 0 ||
        (hasTarget = jUInt(&c, binfo, "b_info", "target_memkb", &targetKiB)) < 0)
        return NULL;
    /* 0 is "not given" to the domain model */
    hasMax = hasMax && maxKiB;
    hasTarget = hasTarget && targetKiB;
    if (hasMax && hasTarget && targetKiB > maxKiB) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s: b_info.target_memkb %" G_GUINT64_FORMAT " is more "
                      "than b_info.max_memkb %" G_GUINT64_FORMAT, c.source, targetKiB, maxKiB);
        return NULL;
    }
    /* xl's keys are MiB; the exact KiB figures are set below */
    if (hasMax)
        xvCfgSetLong(cfg, "maxmem", (long long)MIN((maxKiB + 1023) / 1024, (guint64)G_MAXINT32));
    /* libxl's default target is the maximum */
    if (hasTarget || hasMax)
        xvCfgSetLong(cfg, "memory", (long long)MIN(((hasTarget ? targetKiB : maxKiB) + 1023) / 1024,
                                                   (guint64)G_MAXINT32));

    if (!(def = xvXLConfigToDomainDef(cfg, NULL))) {
        /* the reader's message names the key; say which document */
        virErrorPtr e = virGetLastError();
        const char *m = e && e->message ? e->message : "unreadable";
        const char *prefix = e ? xvErrorCodeText(e->code) : NULL;
        g_autofree char *msg = NULL;
        if (prefix && g_str_has_prefix(m, prefix) && g_str_has_prefix(m + strlen(prefix), ": "))
            m += strlen(prefix) + 2;
        msg = g_strdup(m);
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s: %s", c.source, msg);
        return NULL;
    }
    if (hasMax || hasTarget) {
        def->max_memory = hasMax ? maxKiB : targetKiB;
        def->current_memory = hasTarget && targetKiB != def->max_memory ? targetKiB : 0;
    }
    return g_steal_pointer(&def);
}
