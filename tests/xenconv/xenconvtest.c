/*
 * xenconvtest.c: the public conversion vectors (../shared/vectors, see its
 * README and cases.json) run through src/xenconfig in every direction
 * libvirt tested them, plus the round trip native -> XML -> native -> XML.
 * TAP, one line per (case, direction); a pass count per set at the end.
 *
 * Expected files are compared byte for byte after the reviewed comparison
 * rules in tests/xenconvdata/compare-rules (each rule says why); nothing is
 * skipped.  With XENCONV_XML_DIR set, every XML produced is also written
 * there for virt-xml-validate (validate.sh).
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "../xenconfig/testutil.h"
#include "conf/domain_conf.h"
#include "util/error.h"
#include "xenconfig/xen_native.h"
#include "xenconfig/xen_sxpr.h"
#include "xenconfig/xen_xl.h"
#include "xenconfig/xen_xm.h"

/* ---- a minimal JSON reader for cases.json (strings, arrays, objects) ---- */

typedef struct _JNode JNode;
struct _JNode {
    char kind; /* 's', 'a', 'o' */
    char *str;
    GPtrArray *items; /* JNode * (arrays), or key/value pairs (objects) */
};

static void
jfree(gpointer p)
{
    JNode *n = p;

    if (!n)
        return;
    g_free(n->str);
    if (n->items)
        g_ptr_array_unref(n->items);
    g_free(n);
}

static JNode *jparse(const char **p);

static void
jskip(const char **p)
{
    while (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r' || **p == ',' || **p == ':')
        (*p)++;
}

static JNode *
jparse(const char **p)
{
    JNode *n;

    jskip(p);
    if (**p == '"') {
        GString *s = g_string_new(NULL);

        for ((*p)++; **p && **p != '"'; (*p)++) {
            if (**p == '\\' && (*p)[1])
                (*p)++;
            g_string_append_c(s, **p);
        }
        if (**p)
            (*p)++;
        n = g_new0(JNode, 1);
        n->kind = 's';
        n->str = g_string_free(s, FALSE);
        return n;
    }
    if (**p == '[' || **p == '{') {
        char close = **p == '[' ? ']' : '}';

        n = g_new0(JNode, 1);
        n->kind = **p == '[' ? 'a' : 'o';
        n->items = g_ptr_array_new_with_free_func(jfree);
        (*p)++;
        for (;;) {
            jskip(p);
            if (**p == close) {
                (*p)++;
                break;
            }
            if (!**p)
                break;
            g_ptr_array_add(n->items, jparse(p));
        }
        return n;
    }
    /* numbers/literals are not used by cases.json: skip a token */
    while (**p && !strchr(",]}", **p))
        (*p)++;
    n = g_new0(JNode, 1);
    n->kind = 's';
    n->str = g_strdup("");
    return n;
}

static JNode *
jget(JNode *obj, const char *key)
{
    for (guint i = 0; obj && obj->kind == 'o' && i + 1 < obj->items->len; i += 2) {
        JNode *k = g_ptr_array_index(obj->items, i);
        if (k->kind == 's' && strcmp(k->str, key) == 0)
            return g_ptr_array_index(obj->items, i + 1);
    }
    return NULL;
}

/* ---- comparison rules ---- */

typedef struct {
    char *set;
    char *kind;
    char *arg1;
    char *arg2;
} Rule;

static GPtrArray *rules;

static void
loadRules(void)
{
    g_autofree char *path = tuSourcePath("tests/xenconvdata/compare-rules");
    g_autofree char *text = tuReadFile(path, NULL);
    g_auto(GStrv) lines = NULL;

    rules = g_ptr_array_new();
    if (!text)
        return;
    lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        g_auto(GStrv) f = NULL;
        Rule *r;

        if (!*lines[i] || lines[i][0] == '#')
            continue;
        f = g_strsplit(lines[i], "\t", 4);
        if (g_strv_length(f) < 3)
            continue;
        r = g_new0(Rule, 1);
        r->set = g_strdup(f[0]);
        r->kind = g_strdup(f[1]);
        r->arg1 = g_strdup(f[2]);
        r->arg2 = g_strdup(f[3] ? f[3] : "");
        g_ptr_array_add(rules, r);
    }
}

/* Applies the drop-line rules of set to an expected XML text. */
static char *
normaliseExpected(const char *set, const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    GString *out = g_string_new(NULL);

    for (size_t i = 0; lines[i]; i++) {
        bool drop = false;
        g_autofree char *trim = g_strstrip(g_strdup(lines[i]));

        for (guint r = 0; r < rules->len; r++) {
            Rule *rule = g_ptr_array_index(rules, r);
            if (strcmp(rule->set, set) == 0 && strcmp(rule->kind, "drop-line") == 0 &&
                strcmp(rule->arg1, trim) == 0)
                drop = true;
        }
        if (drop)
            continue;
        g_string_append(out, lines[i]);
        if (lines[i + 1])
            g_string_append_c(out, '\n');
    }
    return g_string_free(out, FALSE);
}

/* Applies the per-case rules for vectors from an older libvirt to our
 * output: "old-drop CASE LINE" removes a line newer libvirt adds,
 * "old-replace CASE FROM=>TO" rewrites a newer spelling. */
static char *
normaliseActual(const char *set, const char *name, const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    GString *out = g_string_new(NULL);

    for (size_t i = 0; lines[i]; i++) {
        g_autofree char *line = g_strdup(lines[i]);
        g_autofree char *trim = g_strstrip(g_strdup(lines[i]));
        bool drop = false;

        for (guint r = 0; r < rules->len; r++) {
            Rule *rule = g_ptr_array_index(rules, r);
            g_auto(GStrv) ft = NULL;

            if (strcmp(rule->set, set) != 0 || strcmp(rule->arg1, name) != 0)
                continue;
            if (strcmp(rule->kind, "old-drop") == 0 && strcmp(rule->arg2, trim) == 0)
                drop = true;
            if (strcmp(rule->kind, "old-replace") == 0 &&
                (ft = g_strsplit(rule->arg2, "=>", 2)) && ft[0] && ft[1]) {
                g_auto(GStrv) parts = g_strsplit(line, ft[0], -1);
                g_free(line);
                line = g_strjoinv(ft[1], parts);
            }
        }
        if (drop)
            continue;
        g_string_append(out, line);
        if (lines[i + 1])
            g_string_append_c(out, '\n');
    }
    return g_string_free(out, FALSE);
}

static const char *
ruleArch(const char *set, const char *name)
{
    for (guint r = 0; r < rules->len; r++) {
        Rule *rule = g_ptr_array_index(rules, r);
        if (strcmp(rule->set, set) == 0 && strcmp(rule->kind, "arch") == 0 &&
            strcmp(rule->arg1, name) == 0)
            return rule->arg2;
    }
    return NULL;
}

/* libvirt's test files wrap SXP with backslash-newline and may end with a
 * newline the harness ignored. */
static char *
joinSexpr(const char *text)
{
    GString *s = g_string_new(NULL);

    for (const char *p = text; *p; p++) {
        if (p[0] == '\\' && p[1] == '\n') {
            p++;
            continue;
        }
        g_string_append_c(s, *p);
    }
    while (s->len && s->str[s->len - 1] == '\n')
        g_string_truncate(s, s->len - 1);
    return g_string_free(s, FALSE);
}

static char *
replaceAll(const char *text, const char *from, const char *to)
{
    g_auto(GStrv) parts = g_strsplit(text, from, -1);
    return g_strjoinv(to, parts);
}

/* ---- output of produced XML for validate.sh ---- */

static void
dumpXML(const char *name, const char *tag, const char *xml)
{
    const char *dir = g_getenv("XENCONV_XML_DIR");
    g_autofree char *path = NULL;

    if (!dir || !xml)
        return;
    path = g_strdup_printf("%s/%s-%s.xml", dir, name, tag);
    g_file_set_contents(path, xml, -1, NULL);
}

/* The native text too, for peers that read it (xm: python). */
static void
dumpNative(const char *name, const char *set, const char *text)
{
    const char *dir = g_getenv("XENCONV_NATIVE_DIR");
    g_autofree char *path = NULL;

    if (!dir || !text)
        return;
    path = g_strdup_printf("%s/%s.%s", dir, name,
                           strcmp(set, "xmconfigdata") == 0 ? "xm" :
                           strcmp(set, "xlconfigdata") == 0 ? "xl" : "sxpr");
    g_file_set_contents(path, text, -1, NULL);
}

static const char *
lastError(void)
{
    virErrorPtr e = xvErrorGetLast();
    return e && e->message ? e->message : "(no error message)";
}

static bool
sameOrDiff(const char *labelA, const char *a, const char *labelB, const char *b)
{
    if (a && b && strcmp(a, b) == 0)
        return true;
    tuDiff(labelA, a ? a : "(null)\n", labelB, b ? b : "(null)\n");
    return false;
}

/* ---- converters by set ---- */

static xvDomainDef *
fromNative(const char *set, const char *name, const char *text)
{
    if (strcmp(set, "sexpr2xmldata") == 0 || strcmp(set, "xml2sexprdata") == 0) {
        g_autofree char *joined = joinSexpr(text);
        return xvSexprStringToDomainDef(joined, NULL, -1, XV_XEND_CONFIG_VERSION_DEFAULT);
    } else {
        bool xl = strcmp(set, "xlconfigdata") == 0;
        g_autoptr(xvCfg) cfg = xvCfgParse(name, text, strlen(text),
                                          xl ? XV_CFG_DIALECT_XL : XV_CFG_DIALECT_XM, NULL);
        const char *arch = ruleArch(set, name);

        if (!cfg)
            return NULL;
        return xl ? xvXLConfigToDomainDef(cfg, arch) : xvXMConfigToDomainDef(cfg, arch);
    }
}

static char *
toNative(const char *set, const xvDomainDef *def)
{
    if (strcmp(set, "sexpr2xmldata") == 0 || strcmp(set, "xml2sexprdata") == 0)
        return xvDomainDefToSexpr(def, XV_XEND_CONFIG_VERSION_DEFAULT);
    return xvDomainDefToNative(strcmp(set, "xlconfigdata") == 0 ? XV_NATIVE_FORMAT_XL
                                                                : XV_NATIVE_FORMAT_XM, def);
}

static unsigned int formatFlags(const char *set)
{
    /* xm/xl: libvirt's harness formats inactive and with passwords;
     * sexpr2xml formatted the running domain without them */
    if (strcmp(set, "sexpr2xmldata") == 0)
        return 0;
    return XV_DOMAIN_FORMAT_INACTIVE | XV_DOMAIN_FORMAT_SECURE;
}

typedef struct {
    unsigned int pass, total;
} Count;

static bool
checkNativeToXML(const char *set, const char *name, const char *native, const char *expXML)
{
    g_autoptr(xvDomainDef) def = fromNative(set, name, native);
    g_autofree char *xml = NULL;
    g_autofree char *exp = NULL;

    if (!def) {
        tuDiag("%s: native -> def failed: %s", name, lastError());
        return false;
    }
    if (!(xml = xvDomainDefFormat(def, formatFlags(set)))) {
        tuDiag("%s: format failed: %s", name, lastError());
        return false;
    }
    dumpXML(name, "from-native", xml);
    exp = normaliseExpected(set, expXML);
    {
        g_autofree char *act = normaliseActual(set, name, xml);
        return sameOrDiff("expected", exp, "actual", act);
    }
}

static bool
checkXMLToNative(const char *set, const char *name, const char *xml, const char *expNative)
{
    g_autoptr(xvDomainDef) def = xvDomainDefParseString(xml);
    g_autofree char *native = NULL;
    g_autofree char *exp = NULL;

    if (!def) {
        tuDiag("%s: XML parse failed: %s", name, lastError());
        return false;
    }
    if (!(native = toNative(set, def))) {
        tuDiag("%s: def -> native failed: %s", name, lastError());
        return false;
    }
    if (strcmp(set, "xml2sexprdata") == 0)
        exp = joinSexpr(expNative);
    else
        exp = g_strdup(expNative);
    return sameOrDiff("expected", exp, "actual", native);
}

/* native -> XML1 -> native -> XML2: XML1 == XML2 (inactive forms). */
static bool
checkRoundTrip(const char *set, const char *name, const char *native)
{
    g_autoptr(xvDomainDef) d1 = fromNative(set, name, native);
    g_autoptr(xvDomainDef) d1b = NULL;
    g_autoptr(xvDomainDef) d2 = NULL;
    g_autofree char *x1 = NULL, *n2 = NULL, *x2 = NULL;
    const unsigned int flags = XV_DOMAIN_FORMAT_INACTIVE | XV_DOMAIN_FORMAT_SECURE;

    if (!d1) {
        tuDiag("%s: native -> def failed: %s", name, lastError());
        return false;
    }
    /* a live record names its vifs vif<domid>.<n>; that name is live state,
     * not configuration, and is not part of the round trip */
    for (size_t i = 0; i < d1->nnets; i++)
        if (d1->id >= 0 && d1->nets[i]->ifname && g_str_has_prefix(d1->nets[i]->ifname, "vif"))
            g_clear_pointer(&d1->nets[i]->ifname, g_free);
    if (!(x1 = xvDomainDefFormat(d1, flags)) || !(d1b = xvDomainDefParseString(x1))) {
        tuDiag("%s: XML1 does not parse back: %s", name, lastError());
        return false;
    }
    dumpXML(name, "roundtrip", x1);
    if (!(n2 = toNative(set, d1b))) {
        tuDiag("%s: XML1 -> native failed: %s", name, lastError());
        return false;
    }
    dumpNative(name, set, n2);
    if (!(d2 = fromNative(set, name, n2))) {
        tuDiag("%s: native2 -> def failed: %s\n%s", name, lastError(), n2);
        return false;
    }
    if (!(x2 = xvDomainDefFormat(d2, flags)))
        return false;
    return sameOrDiff("XML1", x1, "XML2", x2);
}

static void
runCase(const char *vecdir, const char *set, JNode *c, Count *cnt)
{
    JNode *nameN = g_ptr_array_index(c->items, 0);
    JNode *modeN = g_ptr_array_index(c->items, 1);
    JNode *files = g_ptr_array_index(c->items, 2);
    const char *name = nameN->str, *mode = modeN->str;
    g_autofree char *p0 = g_build_filename(vecdir, ((JNode *)g_ptr_array_index(files->items, 0))->str, NULL);
    g_autofree char *p1 = g_build_filename(vecdir, ((JNode *)g_ptr_array_index(files->items, 1))->str, NULL);
    g_autofree char *a = tuReadFile(p0, NULL);
    g_autofree char *b = tuReadFile(p1, NULL);
    g_autofree char *native = NULL, *xml = NULL;
    bool ok;

    if (!a || !b) {
        tuResult(false, "%s/%s: vector files missing", set, name);
        cnt->total++;
        return;
    }
    if (strcmp(mode, "X2S") == 0) {
        xml = g_steal_pointer(&a);
        native = g_steal_pointer(&b);
    } else {
        native = g_steal_pointer(&a);
        xml = g_steal_pointer(&b);
    }
    if (strcmp(mode, "R") == 0) {
        char *tmp = replaceAll(xml, "/LIBXL_FIRMWARE_DIR", "/usr/lib/xen/boot");
        g_free(xml);
        xml = tmp;
    }
    if (strcmp(mode, "S2X") == 0 || strcmp(mode, "B") == 0 || strcmp(mode, "F") == 0 ||
        strcmp(mode, "R") == 0) {
        ok = checkNativeToXML(set, name, native, xml);
        tuResult(ok, "%s/%s native->XML", set, name);
        cnt->total++;
        cnt->pass += ok;
    }
    if (strcmp(mode, "X2S") == 0 || strcmp(mode, "B") == 0 || strcmp(mode, "P") == 0 ||
        strcmp(mode, "R") == 0) {
        ok = checkXMLToNative(set, name, xml, native);
        tuResult(ok, "%s/%s XML->native", set, name);
        cnt->total++;
        cnt->pass += ok;
    }
    ok = checkRoundTrip(set, name, native);
    tuResult(ok, "%s/%s round trip", set, name);
    cnt->total++;
    cnt->pass += ok;
}

int
main(void)
{
    g_autofree char *vecdir = tuVectorsDir();
    g_autofree char *casesPath = NULL;
    g_autofree char *text = NULL;
    const char *p;
    JNode *root, *sets;
    static const char *const setNames[] = {
        "xmconfigdata", "xlconfigdata", "sexpr2xmldata", "xml2sexprdata",
    };
    Count counts[G_N_ELEMENTS(setNames)] = {{0}};

    if (!vecdir) {
        tuSkip("vectors", "../shared/vectors not found (set XENVIRT_VECTORS_DIR)");
        return tuFinish();
    }
    loadRules();
    casesPath = g_build_filename(vecdir, "cases.json", NULL);
    if (!(text = tuReadFile(casesPath, NULL))) {
        tuResult(false, "read %s", casesPath);
        return tuFinish();
    }
    p = text;
    root = jparse(&p);
    sets = jget(root, "sets");
    for (size_t s = 0; s < G_N_ELEMENTS(setNames); s++) {
        JNode *cases = jget(sets, setNames[s]);

        for (guint i = 0; cases && i < cases->items->len; i++)
            runCase(vecdir, setNames[s], g_ptr_array_index(cases->items, i), &counts[s]);
    }
    for (size_t s = 0; s < G_N_ELEMENTS(setNames); s++)
        printf("# %s: %u/%u pass\n", setNames[s], counts[s].pass, counts[s].total);
    jfree(root);
    return tuFinish();
}
