/*
 * abitest.c: tests of the hypercall channel that need no hypervisor.
 *
 *  spec:     every release row of src/xen/hypervisor_abi.c against the
 *            offsets ../shared/spec/hypercall.md gives, transcribed in
 *            tests/hypervisordata/spec-layouts.txt (both ways: a field
 *            only one side has is a failure);
 *  encode:   for each release x operation the encoded privcmd arguments
 *            and arena bytes, golden in tests/hypervisordata/encode/;
 *  decode:   reply arenas captured from real Xen (tests/hypervisordata/
 *            decode/NAME.hex) decoded, golden in NAME.out;
 *  probe:    for each release, a fake hypervisor that accepts only that
 *            release's interface versions (and answers EACCES otherwise,
 *            as Xen does) must be detected as exactly that row, and its
 *            domain list must come back field for field;
 *  sim:      the same through the UNIX-socket framing, with a server
 *            thread, including a garbled reply and recovery;
 *  errors:   EPERM, pre-3.0 Xen, a reply that does not decode sanely.
 *
 * TAP, one line per case.
 */
#define XV_FROM VIR_FROM_XEN
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xen/hypervisor.h"
#include "util/error.h"
#include "testutil.h"

/* ---- hex dumps ------------------------------------------------------------ */

static void
hexDump(GString *out, const guint8 *b, gsize len)
{
    gsize off;
    bool starred = false;

    for (off = 0; off < len; off += 16) {
        gsize n = MIN(16, len - off), i;
        if (off > 0 && off + 16 <= len && memcmp(b + off, b + off - 16, 16) == 0 &&
            off + 16 < len) {
            if (!starred)
                g_string_append(out, "*\n");
            starred = true;
            continue;
        }
        starred = false;
        g_string_append_printf(out, "%04zx ", off);
        for (i = 0; i < n; i++)
            g_string_append_printf(out, "%s%02x", i == 8 ? "  " : " ", b[i + off]);
        g_string_append_c(out, '\n');
    }
}

static guint8 *
hexParse(const char *text, gsize *len)
{
    GByteArray *a = g_byte_array_new();
    const char *p = text;

    while (*p) {
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        if (*p == '#') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (!*p)
            break;
        if (g_ascii_isxdigit(p[0]) && g_ascii_isxdigit(p[1])) {
            guint8 v = (g_ascii_xdigit_value(p[0]) << 4) | g_ascii_xdigit_value(p[1]);
            g_byte_array_append(a, &v, 1);
            p += 2;
        } else {
            g_byte_array_unref(a);
            return NULL;
        }
    }
    *len = a->len;
    return g_byte_array_free(a, FALSE);
}

/* ---- spec ------------------------------------------------------------------- */

static const xvHvLayout *
rowLayout(const xvHvAbi *row, xvHvPayload pl)
{
    return row->payload[pl];
}

/* Compares layout l with column col of kind ("gdi"/"phys") in the spec
 * lines; appends differences to diff. */
static void
compareColumn(GPtrArray *lines, const char *kind, const char *col, const xvHvLayout *l,
              xvHvFieldId first, xvHvFieldId last, GString *diff)
{
    bool listed[XV_HVF_LAST] = {false};
    bool haveSize = false;
    guint i;
    int f;

    for (i = 0; i < lines->len; i++) {
        g_auto(GStrv) w = g_strsplit_set(g_ptr_array_index(lines, i), " \t", -1);
        g_autoptr(GPtrArray) words = g_ptr_array_new();
        guint j;
        guint64 v;

        for (j = 0; w[j]; j++)
            if (*w[j])
                g_ptr_array_add(words, w[j]);
        if (words->len != 4 || strcmp(g_ptr_array_index(words, 0), kind) != 0 ||
            strcmp(g_ptr_array_index(words, 1), col) != 0)
            continue;
        v = g_ascii_strtoull(g_ptr_array_index(words, 3), NULL, 0);
        if (strcmp(g_ptr_array_index(words, 2), "sizeof") == 0) {
            haveSize = true;
            if (v != l->size)
                g_string_append_printf(diff, "%s %s: sizeof %u, spec %" G_GUINT64_FORMAT "\n",
                                       kind, col, l->size, v);
            continue;
        }
        for (f = first; f <= (int) last; f++) {
            if (strcmp(xvHvFieldName(f), g_ptr_array_index(words, 2)) == 0)
                break;
        }
        if (f > (int) last) {
            g_string_append_printf(diff, "%s %s: spec field %s unknown\n", kind, col,
                                   (char *) g_ptr_array_index(words, 2));
            continue;
        }
        listed[f] = true;
        if (!l->f[f].size)
            g_string_append_printf(diff, "%s %s: field %s missing from the table\n", kind, col,
                                   xvHvFieldName(f));
        else if (l->f[f].off != v)
            g_string_append_printf(diff, "%s %s: %s at %u, spec %" G_GUINT64_FORMAT "\n", kind,
                                   col, xvHvFieldName(f), l->f[f].off, v);
    }
    if (!haveSize)
        g_string_append_printf(diff, "%s %s: column not in the spec file\n", kind, col);
    for (f = first; f <= (int) last; f++) {
        if (l->f[f].size && !listed[f])
            g_string_append_printf(diff, "%s %s: table has %s at %u, the spec column does not\n",
                                   kind, col, xvHvFieldName(f), l->f[f].off);
    }
}

static void
testSpec(void)
{
    g_autofree char *path = tuSourcePath("tests/hypervisordata/spec-layouts.txt");
    g_autofree char *text = tuReadFile(path, NULL);
    g_autoptr(GPtrArray) lines = g_ptr_array_new();
    g_auto(GStrv) all = NULL;
    size_t ntable, i, nrel = 0;
    const xvHvAbi *table = xvHvAbiTable(&ntable);
    bool *seenRow = g_new0(bool, ntable);

    if (!text) {
        tuResult(false, "spec: read %s", path);
        g_free(seenRow);
        return;
    }
    all = g_strsplit(text, "\n", -1);
    for (i = 0; all[i]; i++) {
        if (*all[i] && all[i][0] != '#')
            g_ptr_array_add(lines, all[i]);
    }
    for (i = 0; i < lines->len; i++) {
        char name[64], xv[32], sys[32], dom[32], gdi[16], phys[16];
        unsigned affSize, schedSize;
        g_autoptr(GString) diff = g_string_new(NULL);
        const xvHvAbi *row;

        if (sscanf(g_ptr_array_index(lines, i), "release %63s %31s %31s %31s %15s %15s %u %u", name,
                   xv, sys, dom, gdi, phys, &affSize, &schedSize) != 8)
            continue;
        nrel++;
        if (!(row = xvHvAbiByName(name))) {
            tuResult(false, "spec: release %s", name);
            tuDiag("release %s is not in the table", name);
            continue;
        }
        seenRow[row - table] = true;
        if (row->xenver != g_ascii_strtoull(xv, NULL, 0) ||
            row->sysIface != g_ascii_strtoull(sys, NULL, 0) ||
            row->domIface != g_ascii_strtoull(dom, NULL, 0))
            g_string_append_printf(diff, "versions: table 0x%08x sys 0x%x dom 0x%x, spec %s %s %s\n",
                                   row->xenver, row->sysIface, row->domIface, xv, sys, dom);
        compareColumn(lines, "gdi", gdi, rowLayout(row, XV_HV_PL_GETDOMAININFO),
                      XV_HVF_GDI_DOMAIN, XV_HVF_GDI_ARCH_CONFIG, diff);
        compareColumn(lines, "phys", phys, rowLayout(row, XV_HV_PL_PHYSINFO),
                      XV_HVF_PHYS_THREADS_PER_CORE, XV_HVF_PHYS_CPU_TO_NODE, diff);
        if (rowLayout(row, XV_HV_PL_VCPUAFFINITY)->size != affSize)
            g_string_append_printf(diff, "vcpuaffinity: sizeof %u, spec %u\n",
                                   rowLayout(row, XV_HV_PL_VCPUAFFINITY)->size, affSize);
        if ((rowLayout(row, XV_HV_PL_SCHEDULER_OP) ? rowLayout(row, XV_HV_PL_SCHEDULER_OP)->size : 0) !=
            schedSize)
            g_string_append_printf(diff, "scheduler_op: size differs from spec %u\n", schedSize);
        tuResult(diff->len == 0, "spec: release %s", name);
        if (diff->len)
            tuDiag("%s", diff->str);
    }
    for (i = 0; i < ntable; i++) {
        if (!seenRow[i]) {
            tuResult(false, "spec: table row %s", table[i].name);
            tuDiag("row %s has no release line in spec-layouts.txt", table[i].name);
        }
    }
    tuResult(nrel == ntable, "spec: %zu release lines for %zu table rows", nrel, ntable);
    g_free(seenRow);
}

/* ---- golden encodings -------------------------------------------------------- */

static void
dumpCall(GString *out, const xvHvCall *call)
{
    g_autofree guint8 *reloc = g_malloc(MAX(call->arena->len, 1));
    guint64 args[5];
    guint i;

    xvHvCallRelocate(call, reloc, XV_HV_FIXED_BASE, args);
    g_string_append_printf(out, "hypercall %" G_GUINT64_FORMAT " args", call->hypercall);
    for (i = 0; i < 5; i++)
        g_string_append_printf(out, " 0x%" G_GINT64_MODIFIER "x", args[i]);
    g_string_append_printf(out, "\narena %u bytes at 0x%" G_GINT64_MODIFIER "x\n",
                           call->arena->len, XV_HV_FIXED_BASE);
    hexDump(out, reloc, call->arena->len);
}

static const guint8 goldenMap[2] = {0x05, 0x00};

/* The parameters every golden encoding uses. */
static const xvHvParams goldenParams[XV_HV_OP_LAST] = {
    [XV_HV_OP_GETDOMAININFOLIST] = {.first = 0, .count = 3},
    [XV_HV_OP_SETVCPUAFFINITY] = {.vcpu = 1, .cpumap = goldenMap, .cpumapLen = 2},
    [XV_HV_OP_GETVCPUAFFINITY] = {.vcpu = 1, .cpumapLen = 2},
    [XV_HV_OP_GETVCPUINFO] = {.vcpu = 1},
    [XV_HV_OP_MAX_MEM] = {.value = 262144},
    [XV_HV_OP_MAX_VCPUS] = {.value = 4},
    [XV_HV_OP_SCHED_CREDIT_GET] = {.schedId = 5},
    [XV_HV_OP_SCHED_CREDIT_SET] = {.schedId = 5, .weight = 512, .cap = 50},
};

static char *
encodeSection(const xvHvAbi *row, xvHvOp op)
{
    GString *out = g_string_new(NULL);
    g_autofree char *err = NULL;
    xvHvCall call;

    xvHvCallInit(&call);
    g_string_append_printf(out, "== %s domain 5\n", xvHvOpName(op));
    if (xvHvEncode(row, op, 5, &goldenParams[op], &call, &err) < 0)
        g_string_append_printf(out, "error: %s\n", err);
    else
        dumpCall(out, &call);
    xvHvCallClear(&call);
    return g_string_free(out, FALSE);
}

/* The section of text starting with header, up to the next "== ". */
static char *
sectionOf(const char *text, const char *header)
{
    const char *s = text, *e;

    while (s && *s) {
        if (g_str_has_prefix(s, header))
            break;
        s = strstr(s, "\n== ");
        if (s)
            s++;
    }
    if (!s || !*s)
        return NULL;
    e = strstr(s + 1, "\n== ");
    return e ? g_strndup(s, e + 1 - s) : g_strdup(s);
}

static void
testEncode(void)
{
    size_t ntable, i;
    const xvHvAbi *table = xvHvAbiTable(&ntable);
    g_autofree char *dir = tuSourcePath("tests/hypervisordata/encode");

    g_mkdir_with_parents(dir, 0755);
    for (i = 0; i < ntable; i++) {
        g_autofree char *path = g_strdup_printf("%s/%s.txt", dir, table[i].name);
        g_autoptr(GString) whole = g_string_new(NULL);
        g_autofree char *expected = NULL;
        char *sections[XV_HV_OP_LAST];
        int op;

        g_string_append_printf(whole, "# Xen %s: sysctl 0x%x, domctl 0x%x%s\n", table[i].name,
                               table[i].sysIface, table[i].domIface,
                               table[i].dom0op ? " (dom0_op)" : "");
        for (op = 0; op < XV_HV_OP_LAST; op++) {
            sections[op] = encodeSection(&table[i], op);
            g_string_append(whole, sections[op]);
        }
        if (tuRegenerate()) {
            tuResult(tuCheckGolden(path, whole->str), "encode: %s (all operations)", table[i].name);
        } else if (!g_file_get_contents(path, &expected, NULL, NULL)) {
            tuResult(false, "encode: %s", table[i].name);
            tuDiag("missing %s (XENVIRT_TEST_REGENERATE=1 creates it)", path);
        } else {
            for (op = 0; op < XV_HV_OP_LAST; op++) {
                g_autofree char *header = g_strdup_printf("== %s domain", xvHvOpName(op));
                g_autofree char *exp = sectionOf(expected, header);
                bool ok = exp && strcmp(exp, sections[op]) == 0;
                tuResult(ok, "encode: %s %s", table[i].name, xvHvOpName(op));
                if (!ok)
                    tuDiff(path, exp ? exp : "", "actual", sections[op]);
            }
        }
        for (op = 0; op < XV_HV_OP_LAST; op++)
            g_free(sections[op]);
    }

    /* xen_version does not depend on the interface version */
    {
        g_autofree char *path = g_strdup_printf("%s/xen_version.txt", dir);
        g_autoptr(GString) out = g_string_new(NULL);
        xvHvCall call;

        xvHvCallInit(&call);
        g_string_append(out, "== XENVER_version\n");
        xvHvEncodeXenVersion(&call, XV_HV_XENVER_VERSION);
        dumpCall(out, &call);
        g_string_append(out, "== XENVER_extraversion\n");
        xvHvEncodeXenVersion(&call, XV_HV_XENVER_EXTRAVERSION);
        dumpCall(out, &call);
        g_string_append(out, "== XENVER_capabilities\n");
        xvHvEncodeXenVersion(&call, XV_HV_XENVER_CAPABILITIES);
        dumpCall(out, &call);
        xvHvCallClear(&call);
        tuResult(tuCheckGolden(path, out->str), "encode: xen_version");
    }
}

/* ---- decoding real replies ---------------------------------------------------- */

static void
formatDomain(GString *out, const xvHvDomainInfo *d)
{
    char st[7];
    char uuid[37];
    static const char *const states[] = {"nostate", "running", "blocked", "paused", "shutdown",
                                         "shutoff", "crashed", "pmsuspended"};

    xvHvDomainInfoStateString(d, st);
    g_snprintf(uuid, sizeof(uuid),
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               d->handle[0], d->handle[1], d->handle[2], d->handle[3], d->handle[4], d->handle[5],
               d->handle[6], d->handle[7], d->handle[8], d->handle[9], d->handle[10],
               d->handle[11], d->handle[12], d->handle[13], d->handle[14], d->handle[15]);
    g_string_append_printf(out,
                           "domain %u flags 0x%x state %s (%s) hvm %d shutdown_reason %d\n"
                           "  tot_pages %" G_GUINT64_FORMAT " max_pages %" G_GUINT64_FORMAT
                           " outstanding %" G_GUINT64_FORMAT " shr %" G_GUINT64_FORMAT
                           " paged %" G_GUINT64_FORMAT "\n"
                           "  vcpus online %u max_vcpu_id %u ssidref %u cpupool %u gpaddr_bits %u\n"
                           "  uuid %s\n",
                           d->domid, d->flags, st, states[xvHvDomainInfoState(d)], d->hvm,
                           d->shutdownReason, d->totPages, d->maxPages, d->outstandingPages,
                           d->shrPages, d->pagedPages, d->nrOnlineVcpus, d->maxVcpuId, d->ssidref,
                           d->cpupool, d->gpaddrBits, uuid);
}

/* NAME.hex: "# abi 4.17", "# op getdomaininfolist", "# count N", then the
 * reply arena as hex. */
static void
testDecode(void)
{
    g_autofree char *dir = tuSourcePath("tests/hypervisordata/decode");
    g_autoptr(GPtrArray) names = tuListDir(dir, ".hex");
    guint i;

    for (i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_build_filename(dir, name, NULL);
        g_autofree char *base = g_strndup(name, strlen(name) - 4);
        g_autofree char *outPath = g_strdup_printf("%s/%s.out", dir, base);
        g_autofree char *text = tuReadFile(path, NULL);
        g_autoptr(GString) out = g_string_new(NULL);
        g_autofree char *err = NULL;
        g_autofree guint8 *bytes = NULL;
        char abiName[32] = "", opName[32] = "";
        unsigned count = 0;
        const char *p;
        const xvHvAbi *abi;
        gsize len = 0;
        xvHvCall call;

        if (!text) {
            tuResult(false, "decode: %s", base);
            continue;
        }
        if ((p = strstr(text, "# abi ")))
            sscanf(p, "# abi %31s", abiName);
        if ((p = strstr(text, "# op ")))
            sscanf(p, "# op %31s", opName);
        if ((p = strstr(text, "# count ")))
            sscanf(p, "# count %u", &count);
        abi = xvHvAbiByName(abiName);
        bytes = hexParse(text, &len);
        if (!abi || !bytes || !count) {
            tuResult(false, "decode: %s", base);
            tuDiag("%s: need '# abi', '# op', '# count' lines and hex bytes", path);
            continue;
        }
        /* rebuild the call as it was sent, then put the reply in its arena */
        xvHvCallInit(&call);
        if (strcmp(opName, "getdomaininfolist") == 0) {
            xvHvParams prm = {.first = 0, .count = count};
            g_autoptr(GArray) list = g_array_new(FALSE, TRUE, sizeof(xvHvDomainInfo));
            guint j;
            xvHvEncode(abi, XV_HV_OP_GETDOMAININFOLIST, 0, &prm, &call, &err);
            if (len != call.arena->len) {
                g_string_append_printf(out, "error: %zu bytes for a %u-byte arena\n", len,
                                       call.arena->len);
            } else {
                memcpy(call.arena->data, bytes, len);
                if (xvHvDecodeDomainList(&call, list, &err) < 0)
                    g_string_append_printf(out, "error: %s\n", err);
                for (j = 0; j < list->len; j++)
                    formatDomain(out, &g_array_index(list, xvHvDomainInfo, j));
            }
        } else if (strcmp(opName, "physinfo") == 0) {
            xvHvPhysInfo pi;
            xvHvEncode(abi, XV_HV_OP_PHYSINFO, 0, NULL, &call, &err);
            if (len != call.arena->len) {
                g_string_append_printf(out, "error: %zu bytes for a %u-byte arena\n", len,
                                       call.arena->len);
            } else {
                memcpy(call.arena->data, bytes, len);
                if (xvHvDecodePhysInfo(&call, &pi, &err) < 0)
                    g_string_append_printf(out, "error: %s\n", err);
                else
                    g_string_append_printf(out,
                                           "nr_cpus %u threads_per_core %u cores_per_socket %u "
                                           "nr_nodes %u max_cpu_id %u max_node_id %u\n"
                                           "cpu_khz %u capabilities 0x%x arch_capabilities 0x%x\n"
                                           "total_pages %" G_GUINT64_FORMAT
                                           " free_pages %" G_GUINT64_FORMAT
                                           " scrub_pages %" G_GUINT64_FORMAT
                                           " outstanding %" G_GUINT64_FORMAT
                                           " max_mfn 0x%" G_GINT64_MODIFIER "x\n",
                                           pi.nrCpus, pi.threadsPerCore, pi.coresPerSocket,
                                           pi.nrNodes, pi.maxCpuId, pi.maxNodeId, pi.cpuKhz,
                                           pi.capabilities, pi.archCapabilities, pi.totalPages,
                                           pi.freePages, pi.scrubPages, pi.outstandingPages,
                                           pi.maxMfn);
            }
        } else {
            g_string_append_printf(out, "error: unknown op %s\n", opName);
        }
        xvHvCallClear(&call);
        tuResult(tuCheckGolden(outPath, out->str), "decode: %s", base);
    }
    if (names->len == 0)
        tuSkip("decode", "no captured replies in tests/hypervisordata/decode");
}

/* ---- a fake hypervisor ----------------------------------------------------------- */

typedef struct {
    const xvHvAbi *row;        /* the interface it implements */
    int failAll;               /* errno for every sysctl/domctl/dom0_op, or 0 */
    bool insane;               /* report domain 0 with no pages */
    guint calls;
    xvHvDomainInfo doms[3];
    guint ndoms;
} FakeXen;

static guint32
le32(const guint8 *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (guint32) p[3] << 24;
}

static void
put32(guint8 *p, guint32 v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

/* Header and list offsets hard-coded from the spec (§4.2, §4.4, §5.1,
 * §7.2), independent of the tables under test. */
static gint64
fakeXen(void *opaque, guint64 hypercall, const guint64 args[5], guint64 base, guint8 *arena,
        guint32 len)
{
    FakeXen *fx = opaque;
    const xvHvAbi *row = fx->row;
    guint32 cmd, iface, plOff;

    fx->calls++;
    if (hypercall == 17) {
        if (args[0] == 0)
            return row->xenver;
        if (args[0] == 1) {
            if (args[1] < base || args[1] - base + 16 > len)
                return -EFAULT;
            memcpy(arena + (args[1] - base), "-fake", 6);
            return 0;
        }
        return -ENOSYS;
    }
    if (hypercall != 7 && hypercall != 35 && hypercall != 36)
        return -ENOSYS;
    if ((hypercall == 7) != row->dom0op)
        return hypercall == 7 ? -EACCES : -ENOSYS;
    if (args[0] != base || len < 136)
        return -EFAULT;
    if (fx->failAll)
        return -fx->failAll;
    cmd = le32(arena);
    iface = le32(arena + 4);
    if (iface != (hypercall == 36 ? row->domIface : row->sysIface))
        return -EACCES;
    plOff = hypercall == 36 ? 16 : 8;
    if ((hypercall == 35 && cmd == 6) || (hypercall == 7 && cmd == 38)) {
        guint32 first = arena[plOff] | arena[plOff + 1] << 8;
        guint32 max = le32(arena + plOff + 4);
        guint64 buf = 0;
        guint32 entry = row->payload[XV_HV_PL_GETDOMAININFO]->size, n = 0, i;
        for (i = 0; i < 8; i++)
            buf |= (guint64) arena[plOff + 8 + i] << (8 * i);
        if (buf < base)
            return -EFAULT;
        buf -= base;
        for (i = 0; i < fx->ndoms && n < max; i++) {
            xvHvDomainInfo d = fx->doms[i];
            if (d.domid < first)
                continue;
            if (fx->insane)
                d.totPages = 0;
            if (buf + (guint64) (n + 1) * entry > len)
                return -EFAULT;
            xvHvAbiPutDomainInfo(row, arena + buf + n * entry, entry, &d);
            n++;
        }
        put32(arena + plOff + 16, n);
        return 0;
    }
    if ((hypercall == 36 && cmd == 14) || (hypercall == 7 && cmd == 43)) {
        xvHvVcpuInfo v = {.vcpu = 0, .online = true, .running = true, .cpuTime = 12345, .cpu = 1};
        xvHvAbiPutVcpuInfo(row, arena + plOff, 128, &v);
        return 0;
    }
    return -ENOSYS;
}

static void
fakeInit(FakeXen *fx, const xvHvAbi *row)
{
    static const guint8 uuid[16] = {0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    memset(fx, 0, sizeof(*fx));
    fx->row = row;
    fx->ndoms = 3;
    fx->doms[0] = (xvHvDomainInfo) {.domid = 0, .flags = 1u << 5, .totPages = 262144,
                                    .maxPages = 262400, .cpuTime = 4700000000ull,
                                    .nrOnlineVcpus = 2, .maxVcpuId = 1};
    /* paused + blocked, as a paused domain usually is */
    fx->doms[1] = (xvHvDomainInfo) {.domid = 3, .flags = (1u << 3) | (1u << 4), .totPages = 24576,
                                    .maxPages = 24832, .cpuTime = 123456789,
                                    .nrOnlineVcpus = 1, .maxVcpuId = 3, .ssidref = 7,
                                    .shrPages = 11, .pagedPages = 12, .outstandingPages = 13,
                                    .cpupool = 1, .gpaddrBits = 40};
    memcpy(fx->doms[1].handle, uuid, 16);
    /* crashed: shutdown with reason 3 */
    fx->doms[2] = (xvHvDomainInfo) {.domid = 12, .flags = (1u << 2) | (3u << 16),
                                    .totPages = 1024, .maxPages = 1024, .nrOnlineVcpus = 1};
}

/* The decoded entry must equal what the fake wrote, for every field the
 * layout has. */
static bool
sameDomain(const xvHvAbi *row, const xvHvDomainInfo *want, const xvHvDomainInfo *got, GString *why)
{
    const xvHvLayout *l = row->payload[XV_HV_PL_GETDOMAININFO];
#define CMP(field, id, fmt) \
    if (l->f[XV_HVF_##id].size && want->field != got->field) \
        g_string_append_printf(why, "domain %u " #field ": want " fmt " got " fmt "\n", \
                               want->domid, want->field, got->field)
    CMP(domid, GDI_DOMAIN, "%u");
    CMP(flags, GDI_FLAGS, "0x%x");
    CMP(totPages, GDI_TOT_PAGES, "%" G_GUINT64_FORMAT);
    CMP(maxPages, GDI_MAX_PAGES, "%" G_GUINT64_FORMAT);
    CMP(outstandingPages, GDI_OUTSTANDING_PAGES, "%" G_GUINT64_FORMAT);
    CMP(shrPages, GDI_SHR_PAGES, "%" G_GUINT64_FORMAT);
    CMP(pagedPages, GDI_PAGED_PAGES, "%" G_GUINT64_FORMAT);
    CMP(cpuTime, GDI_CPU_TIME, "%" G_GUINT64_FORMAT);
    CMP(nrOnlineVcpus, GDI_NR_ONLINE_VCPUS, "%u");
    CMP(maxVcpuId, GDI_MAX_VCPU_ID, "%u");
    CMP(ssidref, GDI_SSIDREF, "%u");
    CMP(cpupool, GDI_CPUPOOL, "%u");
    CMP(gpaddrBits, GDI_GPADDR_BITS, "%u");
#undef CMP
    if (memcmp(want->handle, got->handle, 16) != 0)
        g_string_append_printf(why, "domain %u handle differs\n", want->domid);
    return why->len == 0;
}

static void
checkList(xvHv *hv, FakeXen *fx, const char *label)
{
    g_autoptr(GArray) list = NULL;
    g_autoptr(GString) why = g_string_new(NULL);
    guint i;

    if (xvHvListDomains(hv, &list) < 0) {
        tuResult(false, "%s: list domains", label);
        tuDiag("%s", xvErrorGetLast() ? xvErrorGetLast()->message : "?");
        return;
    }
    if (list->len != fx->ndoms)
        g_string_append_printf(why, "%u domains, want %u\n", list->len, fx->ndoms);
    for (i = 0; i < list->len && i < fx->ndoms; i++)
        sameDomain(fx->row, &fx->doms[i], &g_array_index(list, xvHvDomainInfo, i), why);
    if (list->len == 3) {
        const xvHvDomainInfo *d3 = &g_array_index(list, xvHvDomainInfo, 1);
        const xvHvDomainInfo *d12 = &g_array_index(list, xvHvDomainInfo, 2);
        if (xvHvDomainInfoState(d3) != VIR_DOMAIN_PAUSED || !d3->paused || !d3->blocked)
            g_string_append(why, "domain 3 should be paused (and blocked)\n");
        if (xvHvDomainInfoState(d12) != VIR_DOMAIN_CRASHED || d12->shutdownReason != 3)
            g_string_append(why, "domain 12 should be crashed\n");
    }
    tuResult(why->len == 0, "%s: list domains", label);
    if (why->len)
        tuDiag("%s", why->str);
}

static void
testProbe(void)
{
    size_t ntable, i;
    const xvHvAbi *table = xvHvAbiTable(&ntable);

    for (i = 0; i < ntable; i++) {
        FakeXen fx;
        g_autoptr(xvHv) hv = NULL;
        xvHvDomainInfo info;
        xvHvVcpuInfo vi;

        fakeInit(&fx, &table[i]);
        xvErrorReset();
        hv = xvHvOpenCustom(fakeXen, &fx);
        if (!hv) {
            tuResult(false, "probe: %s", table[i].name);
            tuDiag("%s", xvErrorGetLast() ? xvErrorGetLast()->message : "no error");
            continue;
        }
        tuResult(xvHvGetAbi(hv) == &table[i], "probe: %s detected as %s (%u hypercalls)",
                 table[i].name, xvHvGetAbi(hv)->name, fx.calls);
        checkList(hv, &fx, table[i].name);
        /* getvcpuinfo decodes what the fake wrote */
        tuResult(xvHvGetVcpuInfo(hv, 0, 0, &vi) == 0 && vi.online && vi.running && !vi.blocked &&
                 vi.cpuTime == 12345 && vi.cpu == 1, "%s: getvcpuinfo", table[i].name);
        /* the fake does not implement getdomaininfo: the error names ENOSYS */
        xvErrorReset();
        tuResult(xvHvGetDomainInfo(hv, 3, &info) < 0 && xvErrorGetLast() &&
                 strstr(xvErrorGetLast()->message, "getdomaininfo (domain 3): ENOSYS"),
                 "%s: unimplemented op reports the Xen errno", table[i].name);
    }
}

static void
testErrors(void)
{
    FakeXen fx;
    xvHv *hv;
    virErrorPtr e;
    const xvHvAbi *row417 = xvHvAbiByName("4.17");
    xvHvAbi old = *row417;

    fakeInit(&fx, row417);
    fx.failAll = EPERM;
    xvErrorReset();
    hv = xvHvOpenCustom(fakeXen, &fx);
    e = xvErrorGetLast();
    tuResult(!hv && e && e->code == VIR_ERR_OPERATION_DENIED && strstr(e->message, "EPERM"),
             "errors: EPERM while probing -> operation denied");
    if (e)
        tuDiag("%s", e->message);
    xvHvClose(hv);

    fakeInit(&fx, row417);
    fx.insane = true;
    xvErrorReset();
    hv = xvHvOpenCustom(fakeXen, &fx);
    e = xvErrorGetLast();
    tuResult(!hv && e && strstr(e->message, "does not decode sanely"),
             "errors: domain 0 with no pages is not accepted");
    xvHvClose(hv);

    old.xenver = 0x00020000;
    fakeInit(&fx, &old);
    xvErrorReset();
    hv = xvHvOpenCustom(fakeXen, &fx);
    e = xvErrorGetLast();
    tuResult(!hv && e && e->code == VIR_ERR_NO_SUPPORT && strstr(e->message, "predates 3.0"),
             "errors: Xen 2.0 refused");
    xvHvClose(hv);

    /* an interface pair no release has: sys 0x15 with an unknown domctl */
    old = *row417;
    old.domIface = 0x99;
    fakeInit(&fx, &old);
    xvErrorReset();
    hv = xvHvOpenCustom(fakeXen, &fx);
    e = xvErrorGetLast();
    tuResult(!hv && e && strstr(e->message, "none of the known domctl"),
             "errors: unknown domctl interface named");
    if (e)
        tuDiag("%s", e->message);
    xvHvClose(hv);

    /* 4.10.0 and 4.10.1 report the same XENVER: the probe walks on */
    fakeInit(&fx, xvHvAbiByName("4.10.0"));
    hv = xvHvOpenCustom(fakeXen, &fx);
    tuResult(hv && xvHvGetAbi(hv) == xvHvAbiByName("4.10.0"), "errors: 4.10.0 told from 4.10.1");
    xvHvClose(hv);

    /* encoder limits */
    {
        xvHvCall call;
        g_autofree char *err = NULL;
        xvHvParams p = {.first = 0, .count = 100000};
        xvHvCallInit(&call);
        tuResult(xvHvEncode(row417, XV_HV_OP_GETDOMAININFOLIST, 0, &p, &call, &err) < 0 &&
                 strstr(err, "out of range"), "errors: list count over the arena limit");
        g_clear_pointer(&err, g_free);
        tuResult(xvHvEncode(row417, XV_HV_OP_PAUSEDOMAIN, 70000, NULL, &call, &err) < 0,
                 "errors: domain id over 16 bits");
        g_clear_pointer(&err, g_free);
        tuResult(xvHvEncode(xvHvAbiByName("3.0.2"), XV_HV_OP_SCHED_CREDIT_GET, 1, NULL, &call,
                            &err) < 0 && strstr(err, "dom0_op"),
                 "errors: credit scheduler on 3.0.2 unsupported");
        xvHvCallClear(&call);
    }
    tuResult(strcmp(xvHvErrnoName(13), "EACCES") == 0 && !xvHvErrnoName(9999), "errors: errno names");
}

/* ---- the simulator framing ------------------------------------------------- */

typedef struct {
    int lfd;
    FakeXen fx;
    int garbleNext;            /* 1: bad magic on the next reply */
    int delayNextMs;           /* sleep before the next reply */
    int dropNext;              /* close instead of the next reply */
    guint served;
} SimServer;

static bool
readAll(int fd, guint8 *b, gsize n)
{
    while (n) {
        ssize_t r = read(fd, b, n);
        if (r <= 0)
            return false;
        b += r;
        n -= r;
    }
    return true;
}

static gpointer
simThread(gpointer data)
{
    SimServer *s = data;
    int fd;

    while ((fd = accept(s->lfd, NULL, NULL)) >= 0) {
        guint8 hdr[XV_HV_SIM_REQ_HDR];
        while (readAll(fd, hdr, sizeof(hdr))) {
            xvHvSimRequest req;
            g_autofree char *err = NULL;
            g_autofree guint8 *arena = NULL;
            guint8 rep[XV_HV_SIM_REP_HDR];
            gint64 ret;

            if (xvHvSimRequestHeaderParse(hdr, sizeof(hdr), &req, &err) < 0)
                break;
            arena = g_malloc0(MAX(req.arenaLen, 1));
            if (!readAll(fd, arena, req.arenaLen))
                break;
            ret = fakeXen(&s->fx, req.hypercall, req.arg, req.base, arena, req.arenaLen);
            if (s->dropNext) {
                s->dropNext = 0;
                break;
            }
            if (s->delayNextMs) {
                g_usleep(s->delayNextMs * 1000);
                s->delayNextMs = 0;
            }
            xvHvSimReplyHeaderEncode(ret, req.arenaLen, rep);
            if (s->garbleNext) {
                s->garbleNext = 0;
                rep[0] = 'Z';
            }
            s->served++;
            /* the client may hang up after a garbled header: no SIGPIPE */
            if (send(fd, rep, sizeof(rep), MSG_NOSIGNAL) != sizeof(rep) ||
                send(fd, arena, req.arenaLen, MSG_NOSIGNAL) != (ssize_t) req.arenaLen)
                break;
        }
        close(fd);
    }
    return NULL;
}

static void
testSim(void)
{
    g_autofree char *root = g_dir_make_tmp("xvhvsim-XXXXXX", NULL);
    g_autofree char *devdir = g_build_filename(root, "dev", "xen", NULL);
    g_autofree char *sock = g_build_filename(root, XV_HV_SIM_SOCKET, NULL);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    SimServer srv = {0};
    g_autoptr(xvHv) hv = NULL;
    GThread *th;
    xvHv *none;
    virErrorPtr e;

    g_mkdir_with_parents(devdir, 0700);
    xvErrorReset();
    none = xvHvOpen(root);
    e = xvErrorGetLast();
    tuResult(!none && e && e->code == VIR_ERR_NO_XEN && strstr(e->message, "privcmd-sim"),
             "sim: no endpoint -> VIR_ERR_NO_XEN naming the socket");

    fakeInit(&srv.fx, xvHvAbiByName("4.17"));
    srv.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_strlcpy(sa.sun_path, sock, sizeof(sa.sun_path));
    if (bind(srv.lfd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || listen(srv.lfd, 4) < 0) {
        tuResult(false, "sim: listen on %s", sock);
        return;
    }
    th = g_thread_new("sim", simThread, &srv);

    hv = xvHvOpen(root);
    tuResult(hv && xvHvGetAbi(hv) == xvHvAbiByName("4.17"), "sim: 4.17 detected over the socket");
    if (hv) {
        guint64 before = xvHvCallCount(hv);
        checkList(hv, &srv.fx, "sim");
        tuResult(xvHvCallCount(hv) - before == 1, "sim: one round trip for the whole list");

        srv.garbleNext = 1;
        xvErrorReset();
        {
            g_autoptr(GArray) list = NULL;
            int rc = xvHvListDomains(hv, &list);
            e = xvErrorGetLast();
            tuResult(rc < 0 && e && strstr(e->message, "bad magic"), "sim: garbled reply reported");
        }
        checkList(hv, &srv.fx, "sim: after reconnect");

        /* a reply later than the timeout: an error in time, then recovery */
        xvHvSetTimeout(hv, 300);
        srv.delayNextMs = 1500;
        xvErrorReset();
        {
            g_autoptr(GArray) list = NULL;
            gint64 t0 = g_get_monotonic_time();
            int rc = xvHvListDomains(hv, &list);
            gint64 ms = (g_get_monotonic_time() - t0) / 1000;
            e = xvErrorGetLast();
            tuResult(rc < 0 && e && e->code == VIR_ERR_OPERATION_TIMEOUT && ms < 1000,
                     "sim: late reply -> timeout error after %" G_GINT64_FORMAT " ms", ms);
        }
        g_usleep(1600 * 1000);   /* let the server finish its late reply */
        checkList(hv, &srv.fx, "sim: after a timeout");

        /* the endpoint hangs up mid-call */
        srv.dropNext = 1;
        xvErrorReset();
        {
            g_autoptr(GArray) list = NULL;
            int rc = xvHvListDomains(hv, &list);
            e = xvErrorGetLast();
            tuResult(rc < 0 && e && strstr(e->message, "closed the connection"),
                     "sim: dropped connection reported");
        }
        checkList(hv, &srv.fx, "sim: after a dropped connection");
    }
    g_clear_pointer(&hv, xvHvClose);
    shutdown(srv.lfd, SHUT_RDWR);
    close(srv.lfd);
    g_thread_join(th);
    unlink(sock);
    rmdir(devdir);
    g_autofree char *devParent = g_build_filename(root, "dev", NULL);
    rmdir(devParent);
    rmdir(root);
}

/* ---- the hypervisor's side (xvHvParseRequest / xvHvReply*) ------------------- */

/* Every golden encoding parses back, on its own row, to what made it; on
 * a row with other interface versions Xen's EACCES comes back. */
static void
testParse(void)
{
    size_t ntable, i;
    const xvHvAbi *table = xvHvAbiTable(&ntable);

    for (i = 0; i < ntable; i++) {
        g_autoptr(GString) why = g_string_new(NULL);
        const xvHvAbi *other = &table[(i + 1) % ntable];
        int op;

        for (op = 0; op < XV_HV_OP_LAST; op++) {
            const xvHvParams *p = &goldenParams[op];
            g_autofree char *err = NULL;
            g_autofree guint8 *arena = NULL;
            guint64 args[5];
            xvHvRequest req;
            xvHvCall call;
            int rc;

            xvHvCallInit(&call);
            if (xvHvEncode(&table[i], op, 5, p, &call, &err) < 0) {
                xvHvCallClear(&call);
                continue;
            }
            arena = g_malloc(call.arena->len);
            xvHvCallRelocate(&call, arena, XV_HV_FIXED_BASE, args);
            rc = xvHvParseRequest(&table[i], call.hypercall, args, XV_HV_FIXED_BASE, arena,
                                  call.arena->len, &req);
            if (rc < 0) {
                g_string_append_printf(why, "%s: parse failed %d\n", xvHvOpName(op), rc);
            } else {
                if (req.op != (xvHvOp) op)
                    g_string_append_printf(why, "%s: parsed as %s\n", xvHvOpName(op),
                                           xvHvOpName(req.op));
                if (req.domid != 5 && op != XV_HV_OP_GETDOMAININFOLIST && op != XV_HV_OP_PHYSINFO &&
                    op != XV_HV_OP_SCHED_ID)
                    g_string_append_printf(why, "%s: domain %u\n", xvHvOpName(op), req.domid);
                if (req.params.first != p->first || req.params.count != p->count ||
                    req.params.vcpu != p->vcpu || req.params.value != p->value ||
                    req.params.schedId != p->schedId || req.params.weight != p->weight ||
                    req.params.cap != p->cap)
                    g_string_append_printf(why, "%s: parameters differ\n", xvHvOpName(op));
                if (p->cpumapLen && (op == XV_HV_OP_SETVCPUAFFINITY) &&
                    (req.params.cpumapLen < p->cpumapLen ||
                     memcmp(req.params.cpumap, p->cpumap, p->cpumapLen) != 0))
                    g_string_append_printf(why, "%s: cpumap differs\n", xvHvOpName(op));
            }
            if ((other->sysIface != table[i].sysIface || other->dom0op != table[i].dom0op) &&
                (op == XV_HV_OP_GETDOMAININFOLIST)) {
                rc = xvHvParseRequest(other, call.hypercall, args, XV_HV_FIXED_BASE, arena,
                                      call.arena->len, &req);
                if (rc != -EACCES && rc != -ENOSYS)
                    g_string_append_printf(why, "%s on %s: %d, want EACCES/ENOSYS\n",
                                           xvHvOpName(op), other->name, rc);
            }
            /* an address outside the arena is Xen's EFAULT */
            args[0] += 8;
            if (xvHvParseRequest(&table[i], call.hypercall, args, XV_HV_FIXED_BASE, arena,
                                 call.arena->len, &req) != -EFAULT)
                g_string_append_printf(why, "%s: bad address not EFAULT\n", xvHvOpName(op));
            xvHvCallClear(&call);
        }
        tuResult(why->len == 0, "parse: %s, every operation", table[i].name);
        if (why->len)
            tuDiag("%s", why->str);
    }
}

/* Many domains, served by the table-made reply. */
static gint64
bigXen(void *opaque, guint64 hypercall, const guint64 args[5], guint64 base, guint8 *arena,
       guint32 len)
{
    struct {
        const xvHvAbi *row;
        xvHvDomainInfo *doms;
        guint n;
    } *big = opaque;
    xvHvRequest req;
    int rc = xvHvParseRequest(big->row, hypercall, args, base, arena, len, &req);

    if (rc < 0)
        return rc;
    if (hypercall == XV_HV_HYPERCALL_XEN_VERSION)
        return req.xenverCmd == XV_HV_XENVER_VERSION ? (gint64) big->row->xenver : 0;
    if (req.op == XV_HV_OP_GETDOMAININFOLIST)
        return xvHvReplyDomainList(big->row, &req, arena, big->doms, big->n);
    if (req.op == XV_HV_OP_GETVCPUINFO)
        return 0;
    return -ENOSYS;
}

/* A hypervisor built only from xvHvParseRequest and xvHvReply*: what
 * xensim does.  The client must work against it on every row. */
typedef struct {
    const xvHvAbi *row;
    xvHvDomainInfo doms[2];
    guint8 affinity[2];
    guint16 weight, cap;
    bool paused;
} TableXen;

static gint64
tableXen(void *opaque, guint64 hypercall, const guint64 args[5], guint64 base, guint8 *arena,
         guint32 len)
{
    TableXen *tx = opaque;
    xvHvRequest req;
    int rc = xvHvParseRequest(tx->row, hypercall, args, base, arena, len, &req);
    guint i;

    if (rc < 0)
        return rc;
    if (hypercall == XV_HV_HYPERCALL_XEN_VERSION) {
        if (req.xenverCmd == XV_HV_XENVER_VERSION)
            return tx->row->xenver;
        if (req.xenverCmd == XV_HV_XENVER_EXTRAVERSION) {
            memcpy(arena + req.dataOff, ".9", 3);
            return 0;
        }
        if (req.xenverCmd == XV_HV_XENVER_CAPABILITIES) {
            /* fills the whole buffer, no NUL: the decoder bounds it */
            memset(arena + req.dataOff, 'x', req.dataLen);
            memcpy(arena + req.dataOff, "xen-3.0-x86_64 ", 15);
            return 0;
        }
        return -ENOSYS;
    }
    for (i = 0; i < 2; i++) {
        if (tx->doms[i].domid == req.domid)
            break;
    }
    switch (req.op) {
    case XV_HV_OP_GETDOMAININFOLIST:
        return xvHvReplyDomainList(tx->row, &req, arena, tx->doms, 2);
    case XV_HV_OP_GETDOMAININFO:
        for (i = 0; i < 2 && tx->doms[i].domid < req.domid; i++)
            ;
        if (i == 2)
            return -ESRCH;
        return xvHvReplyDomainInfo(tx->row, &req, arena, &tx->doms[i]);
    case XV_HV_OP_GETVCPUINFO: {
        xvHvVcpuInfo vi = {.vcpu = req.params.vcpu, .online = true, .blocked = true,
                           .cpuTime = 777, .cpu = 1};
        return i == 2 ? -ESRCH : xvHvReplyVcpuInfo(tx->row, &req, arena, &vi);
    }
    case XV_HV_OP_PAUSEDOMAIN:
    case XV_HV_OP_UNPAUSEDOMAIN:
        if (i == 2)
            return -ESRCH;
        tx->doms[i].paused = req.op == XV_HV_OP_PAUSEDOMAIN;
        return 0;
    case XV_HV_OP_MAX_MEM:
        if (i == 2)
            return -ESRCH;
        tx->doms[i].maxPages = req.params.value / 4;
        return 0;
    case XV_HV_OP_SETVCPUAFFINITY:
        memcpy(tx->affinity, req.params.cpumap, MIN(2, req.params.cpumapLen));
        return 0;
    case XV_HV_OP_GETVCPUAFFINITY:
        return xvHvReplyAffinity(&req, arena, tx->affinity, 2);
    case XV_HV_OP_SCHED_ID:
        return xvHvReplySchedId(tx->row, &req, arena, 5);
    case XV_HV_OP_SCHED_CREDIT_SET:
        if (req.params.schedId != 5)
            return -EINVAL;
        tx->weight = req.params.weight;
        tx->cap = req.params.cap;
        return 0;
    case XV_HV_OP_SCHED_CREDIT_GET:
        return req.params.schedId != 5 ? -EINVAL : xvHvReplyCredit(tx->row, &req, arena, tx->weight, tx->cap);
    default:
        return -ENOSYS;
    }
}

/* Listing N domains takes ceil((N + 1) / 1024) hypercalls: constant for
 * every N the benchmarks use, and correct beyond. */
static void
testListBatches(void)
{
    static const guint sizes[] = {10, 100, 1000, 1023, 1024, 2500};
    const xvHvAbi *row = xvHvAbiByName("4.17");
    size_t k;

    for (k = 0; k < G_N_ELEMENTS(sizes); k++) {
        guint n = sizes[k], i;
        g_autofree xvHvDomainInfo *doms = g_new0(xvHvDomainInfo, n);
        g_autoptr(GArray) list = NULL;
        g_autoptr(xvHv) hv = NULL;
        guint64 before;
        bool ok;
        struct {
            const xvHvAbi *row;
            xvHvDomainInfo *doms;
            guint n;
        } big = {row, doms, n};

        for (i = 0; i < n; i++)
            doms[i] = (xvHvDomainInfo) {.domid = i, .totPages = 100 + i, .nrOnlineVcpus = 1,
                                        .running = true};
        hv = xvHvOpenCustom(bigXen, &big);
        if (!hv) {
            tuResult(false, "list batches: %u domains", n);
            continue;
        }
        before = xvHvCallCount(hv);
        ok = xvHvListDomains(hv, &list) == 0 && list->len == n;
        for (i = 0; ok && i < n; i++)
            ok = g_array_index(list, xvHvDomainInfo, i).domid == i &&
                 g_array_index(list, xvHvDomainInfo, i).totPages == 100 + i;
        tuResult(ok && xvHvCallCount(hv) - before == n / 1024 + 1,
                 "list batches: %u domains in %" G_GUINT64_FORMAT " hypercall(s)", n,
                 xvHvCallCount(hv) - before);
    }
}

typedef struct {
    xvHv *hv;
    int failures;
} ThreadArg;

static gpointer
hammer(gpointer data)
{
    ThreadArg *a = data;
    int i;

    for (i = 0; i < 200; i++) {
        g_autoptr(GArray) list = NULL;
        xvHvDomainInfo d;
        if (xvHvListDomains(a->hv, &list) < 0 || list->len != 2 ||
            xvHvGetDomainInfo(a->hv, 9, &d) < 0 || d.totPages != 500)
            a->failures++;
    }
    return NULL;
}

/* One connection, several threads: calls are serialised per connection
 * and every answer matches its question. */
static void
testThreads(void)
{
    TableXen tx = {.row = xvHvAbiByName("4.17")};
    g_autoptr(xvHv) hv = NULL;
    ThreadArg args[4];
    GThread *th[4];
    guint64 before;
    int i, failures = 0;

    tx.doms[0] = (xvHvDomainInfo) {.domid = 0, .running = true, .totPages = 1000, .nrOnlineVcpus = 1};
    tx.doms[1] = (xvHvDomainInfo) {.domid = 9, .blocked = true, .totPages = 500, .nrOnlineVcpus = 1};
    if (!(hv = xvHvOpenCustom(tableXen, &tx))) {
        tuResult(false, "threads: open");
        return;
    }
    before = xvHvCallCount(hv);
    for (i = 0; i < 4; i++) {
        args[i] = (ThreadArg) {hv, 0};
        th[i] = g_thread_new("hammer", hammer, &args[i]);
    }
    for (i = 0; i < 4; i++) {
        g_thread_join(th[i]);
        failures += args[i].failures;
    }
    tuResult(failures == 0 && xvHvCallCount(hv) - before == 4 * 200 * 2,
             "threads: 4 threads x 200 (list + dominfo) on one connection, %d failures, %"
             G_GUINT64_FORMAT " calls", failures, xvHvCallCount(hv) - before);
}

static void
testTableXen(void)
{
    size_t ntable, i;
    const xvHvAbi *table = xvHvAbiTable(&ntable);

    for (i = 0; i < ntable; i++) {
        TableXen tx = {.row = &table[i], .weight = 256};
        g_autoptr(xvHv) hv = NULL;
        g_autoptr(GString) why = g_string_new(NULL);
        xvHvDomainInfo d;
        xvHvVcpuInfo vi;
        guint8 map[2] = {0x02, 0x00}, back[2] = {0};
        guint16 w = 0, c = 0;
        guint32 sched = 0;
        bool credit = xvHvAbiSupports(&table[i], XV_HV_OP_SCHED_CREDIT_GET, &(const char *){NULL});
        bool getaff = xvHvAbiSupports(&table[i], XV_HV_OP_GETVCPUAFFINITY, &(const char *){NULL});

        tx.doms[0] = (xvHvDomainInfo) {.domid = 0, .running = true, .totPages = 1000,
                                       .maxPages = 1000, .nrOnlineVcpus = 1, .hvm = 0};
        tx.doms[1] = (xvHvDomainInfo) {.domid = 9, .blocked = true, .totPages = 500,
                                       .maxPages = 600, .nrOnlineVcpus = 2, .maxVcpuId = 1,
                                       .hvm = 1, .cpuTime = 42};
        xvErrorReset();
        if (!(hv = xvHvOpenCustom(tableXen, &tx))) {
            tuResult(false, "tablexen: %s", table[i].name);
            tuDiag("%s", xvErrorGetLast() ? xvErrorGetLast()->message : "?");
            continue;
        }
        if (xvHvGetAbi(hv) != &table[i])
            g_string_append_printf(why, "detected as %s\n", xvHvGetAbi(hv)->name);
        if (xvHvPauseDomain(hv, 9) < 0 || xvHvGetDomainInfo(hv, 9, &d) < 0 || !d.paused ||
            !d.blocked || d.cpuTime != 42 || xvHvDomainInfoState(&d) != VIR_DOMAIN_PAUSED ||
            (table[i].flags->hvm >= 0 && d.hvm != 1))
            g_string_append(why, "pause / getdomaininfo\n");
        if (xvHvUnpauseDomain(hv, 9) < 0 || xvHvGetDomainInfo(hv, 9, &d) < 0 || d.paused ||
            xvHvDomainInfoState(&d) != VIR_DOMAIN_BLOCKED)
            g_string_append(why, "unpause\n");
        xvErrorReset();
        {
            g_autofree char *caps = xvHvGetCapabilities(hv);
            if (!caps || strlen(caps) != 1024 || !g_str_has_prefix(caps, "xen-3.0-x86_64 "))
                g_string_append(why, "capabilities\n");
        }
        {
            guint maj = 0, min = 0;
            const char *extra = NULL;
            xvHvGetVersion(hv, &maj, &min, &extra);
            if (((maj << 16) | min) != table[i].xenver || strcmp(extra, ".9") != 0)
                g_string_append_printf(why, "version %u.%u%s\n", maj, min, extra);
        }
        if (xvHvGetDomainInfo(hv, 5, &d) == 0 || !xvErrorGetLast() ||
            xvErrorGetLast()->code != VIR_ERR_NO_DOMAIN)
            g_string_append(why, "domain 5 (Xen answers with 9) must be 'not found'\n");
        if (xvHvSetMaxMem(hv, 9, 4096) < 0 || xvHvGetDomainInfo(hv, 9, &d) < 0 || d.maxPages != 1024)
            g_string_append(why, "max_mem\n");
        if (xvHvGetVcpuInfo(hv, 9, 1, &vi) < 0 || vi.vcpu != 1 || !vi.blocked || vi.cpuTime != 777)
            g_string_append(why, "getvcpuinfo\n");
        if (xvHvSetVcpuAffinity(hv, 9, 0, map, 2) < 0 || tx.affinity[0] != 0x02)
            g_string_append(why, "setvcpuaffinity\n");
        if (getaff && (xvHvGetVcpuAffinity(hv, 9, 0, back, 2) < 0 || back[0] != 0x02))
            g_string_append(why, "getvcpuaffinity\n");
        if (credit && (xvHvGetSchedId(hv, &sched) < 0 ||
                       xvHvSetSchedCredit(hv, 9, sched, 512, 50) < 0 ||
                       xvHvGetSchedCredit(hv, 9, sched, &w, &c) < 0 || w != 512 || c != 50))
            g_string_append(why, "credit\n");
        if (why->len && xvErrorGetLast())
            g_string_append_printf(why, "last error: %s\n", xvErrorGetLast()->message);
        tuResult(why->len == 0, "tablexen: %s: the client against a hypervisor made of "
                 "xvHvParseRequest/xvHvReply*", table[i].name);
        if (why->len)
            tuDiag("%s", why->str);
    }
}

int
main(void)
{
    testSpec();
    testEncode();
    testDecode();
    testProbe();
    testErrors();
    testParse();
    testTableXen();
    testListBatches();
    testThreads();
    testSim();
    return tuFinish();
}
