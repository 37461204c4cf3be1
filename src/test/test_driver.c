/*
 * test_driver.c: the built-in in-memory host behind test:///default and
 * test:///ABSOLUTE/PATH.xml.
 *
 * It keeps real state -- domains with persistent and live definitions, ids,
 * lifecycle states and reasons, cpu time that grows while a domain runs,
 * vcpu pinning, scheduler weight, autostart -- and enforces the same rules
 * and error codes libvirt's test driver does, so programs and the CLI can be
 * exercised end to end without a hypervisor.  test:///default is one host
 * per process shared by all its connections (as in libvirt); each open of a
 * file URI builds a private host from that file.  It must not do I/O beyond
 * reading the host file at open.
 */
#define XV_FROM VIR_FROM_TEST
#include "driver.h"
#include "util/error.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <unistd.h>

#include "conf/capabilities.h"
#include "conf/domain_conf.h"
#include "driver_util.h"
#include "util/uuid.h"

#define TEST_MAX_HOST_FILE (16 * 1024 * 1024)
#define TEST_MAX_VCPUS 32
#define TEST_SCHED_WEIGHT_DEFAULT 50

typedef struct {
    xvDomainDef *persistent; /* NULL for a transient domain */
    xvDomainDef *live;       /* NULL when inactive */
    int state;               /* virDomainState */
    int reason;
    bool autostart;
    unsigned long long cpu_ns;  /* accumulated while running */
    gint64 running_since;       /* monotonic us, 0 when not running */
    unsigned char *pins;        /* live pinning: vcpus * maplen bytes */
    unsigned int sched_weight;
} testDom;

typedef struct {
    GMutex lock;
    gint refs;
    virNodeInfo node;
    GPtrArray *doms; /* testDom* */
    int next_id;
} testHost;

static GMutex defaultLock;
static testHost *defaultHost;

/* ---- domain records --------------------------------------------------- */

static void
testDomFree(gpointer p)
{
    testDom *d = p;
    if (!d)
        return;
    xvDomainDefFree(d->persistent);
    xvDomainDefFree(d->live);
    g_free(d->pins);
    g_free(d);
}

/* The definition that describes the domain now. */
static xvDomainDef *
testDomDef(testDom *d)
{
    return d->live ? d->live : d->persistent;
}

static bool
testDomActive(testDom *d)
{
    return d->live != NULL;
}

static unsigned long long
testDomCpuTime(testDom *d)
{
    unsigned long long ns = d->cpu_ns;
    if (d->running_since)
        ns += (unsigned long long)(g_get_monotonic_time() - d->running_since) * 1000ULL;
    return ns;
}

static void
testDomSetState(testDom *d, int state, int reason)
{
    bool was_running = d->running_since != 0;
    bool running = state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED;

    if (was_running && !running) {
        d->cpu_ns = testDomCpuTime(d);
        d->running_since = 0;
    } else if (!was_running && running) {
        d->running_since = g_get_monotonic_time();
    }
    d->state = state;
    d->reason = reason;
}

static unsigned int
testHostCpus(testHost *h)
{
    return h->node.cpus;
}

static int
testMapLen(testHost *h)
{
    return VIR_CPU_MAPLEN(testHostCpus(h));
}

/* Make d running with a fresh id and a live copy of its definition. */
static int
testDomStart(testHost *h, testDom *d, xvDomainDef *live, bool paused)
{
    int maplen = testMapLen(h);
    unsigned int vcpus;

    if (!live && !(live = xvDomainDefCopy(d->persistent)))
        return -1;
    d->live = live;
    d->live->id = h->next_id++;
    vcpus = d->live->vcpus;
    g_free(d->pins);
    d->pins = g_malloc((size_t)vcpus * (size_t)maplen);
    for (unsigned int v = 0; v < vcpus; v++)
        for (unsigned int c = 0; c < testHostCpus(h); c++)
            VIR_USE_CPU(d->pins + (size_t)v * maplen, c);
    d->cpu_ns = 0;
    d->running_since = 0;
    if (paused)
        testDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    else
        testDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    return 0;
}

/* Stop d; a transient domain disappears (returns true if d was freed). */
static bool
testDomStop(testHost *h, testDom *d, int reason)
{
    testDomSetState(d, VIR_DOMAIN_SHUTOFF, reason);
    xvDomainDefFree(d->live);
    d->live = NULL;
    g_clear_pointer(&d->pins, g_free);
    if (!d->persistent) {
        g_ptr_array_remove(h->doms, d);
        return true;
    }
    return false;
}

static testDom *
testFindByName(testHost *h, const char *name)
{
    for (guint i = 0; i < h->doms->len; i++) {
        testDom *d = h->doms->pdata[i];
        if (strcmp(testDomDef(d)->name, name) == 0)
            return d;
    }
    return NULL;
}

static testDom *
testFindByUUID(testHost *h, const unsigned char *uuid)
{
    for (guint i = 0; i < h->doms->len; i++) {
        testDom *d = h->doms->pdata[i];
        if (memcmp(testDomDef(d)->uuid, uuid, 16) == 0)
            return d;
    }
    return NULL;
}

static testDom *
testFindByID(testHost *h, int id)
{
    for (guint i = 0; i < h->doms->len; i++) {
        testDom *d = h->doms->pdata[i];
        if (d->live && d->live->id == id)
            return d;
    }
    return NULL;
}

/* ---- hosts ------------------------------------------------------------ */

static const char defaultDomainXML[] =
    "<domain type='test'>"
    "<name>test</name>"
    "<uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
    "<memory>8388608</memory>"
    "<currentMemory>2097152</currentMemory>"
    "<vcpu>2</vcpu>"
    "<os><type arch='i686'>hvm</type><boot dev='hd'/></os>"
    "<clock offset='utc'/>"
    "<on_poweroff>destroy</on_poweroff>"
    "<on_reboot>restart</on_reboot>"
    "<on_crash>destroy</on_crash>"
    "<devices>"
    "<disk type='file' device='disk'>"
    "<source file='/guest/diskimage1'/><target dev='vda' bus='virtio'/>"
    "</disk>"
    "<interface type='network'>"
    "<mac address='aa:bb:cc:dd:ee:ff'/><source network='default'/>"
    "<target dev='testnet0'/>"
    "</interface>"
    "<memballoon model='virtio'/>"
    "</devices>"
    "</domain>";

static testHost *
testHostNew(void)
{
    testHost *h = g_new0(testHost, 1);
    g_mutex_init(&h->lock);
    h->refs = 1;
    h->doms = g_ptr_array_new_with_free_func(testDomFree);
    h->next_id = 1;
    /* libvirt's test host: 2 NUMA cells x 2 sockets x 2 cores x 2 threads. */
    g_strlcpy(h->node.model, "i686", sizeof(h->node.model));
    h->node.memory = 3145728;
    h->node.cpus = 16;
    h->node.mhz = 1400;
    h->node.nodes = 2;
    h->node.sockets = 2;
    h->node.cores = 2;
    h->node.threads = 2;
    return h;
}

static void
testHostUnref(testHost *h)
{
    if (!h || !g_atomic_int_dec_and_test(&h->refs))
        return;
    g_ptr_array_free(h->doms, TRUE);
    g_mutex_clear(&h->lock);
    g_free(h);
}

/* Add a domain from XML to h as persistent and running (host files and the
 * default host describe running domains). */
static int
testHostAddRunning(testHost *h, const char *xml, const char *where)
{
    xvDomainDef *def = xvDomainDefParseString(xml);
    testDom *d;

    if (!def) {
        virErrorPtr err = virGetLastError();
        xvReportError(VIR_ERR_XML_ERROR, "%s: %s", where, err ? err->message : "bad domain");
        return -1;
    }
    if (!def->has_uuid) {
        xvUUIDGenerate(def->uuid);
        def->has_uuid = true;
    }
    if (testFindByName(h, def->name) || testFindByUUID(h, def->uuid)) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "%s: domain '%s' is defined twice", where,
                      def->name);
        xvDomainDefFree(def);
        return -1;
    }
    d = g_new0(testDom, 1);
    d->persistent = def;
    d->sched_weight = TEST_SCHED_WEIGHT_DEFAULT;
    g_ptr_array_add(h->doms, d);
    if (testDomStart(h, d, NULL, false) < 0)
        return -1;
    d->reason = VIR_DOMAIN_RUNNING_UNKNOWN; /* found running, not booted by us */
    return 0;
}

static testHost *
testHostDefault(void)
{
    testHost *h;

    g_mutex_lock(&defaultLock);
    if (defaultHost) {
        g_atomic_int_inc(&defaultHost->refs);
        h = defaultHost;
    } else {
        h = testHostNew();
        if (testHostAddRunning(h, defaultDomainXML, "built-in test domain") < 0) {
            testHostUnref(h);
            h = NULL;
        } else {
            g_atomic_int_inc(&h->refs); /* the process keeps one */
            defaultHost = h;
        }
    }
    g_mutex_unlock(&defaultLock);
    return h;
}

static int
xmlChildUInt(xmlNodePtr parent, const char *name, unsigned long long *out, const char *path)
{
    for (xmlNodePtr n = parent->children; n; n = n->next) {
        g_autofree char *txt = NULL;
        char *end;

        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
            continue;
        txt = (char *)xmlNodeGetContent(n);
        errno = 0;
        *out = g_ascii_strtoull(txt ? txt : "", &end, 10);
        if (!txt || end == txt || *end != '\0' || errno) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s: <%s>: '%s' is not a number", path, name,
                          txt ? txt : "");
            return -1;
        }
        return 1;
    }
    return 0;
}

/* Parse a libvirt test-driver host file: <node> with optional <cpu>
 * (mhz, model, active, nodes, sockets, cores, threads), <memory> (KiB), and
 * <domain> elements inline or as <domain file='relative/path.xml'/>. */
static testHost *
testHostFromFile(const char *path)
{
    g_autofree char *data = NULL;
    g_autofree char *dir = g_path_get_dirname(path);
    g_autoptr(GError) gerr = NULL;
    gsize len = 0;
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    testHost *h = NULL;

    if (!g_file_get_contents(path, &data, &len, &gerr)) {
        xvReportError(VIR_ERR_OPEN_FAILED, "%s", gerr->message);
        return NULL;
    }
    if (len > TEST_MAX_HOST_FILE) {
        xvReportError(VIR_ERR_READ_FAILED, "%s: larger than %d bytes", path, TEST_MAX_HOST_FILE);
        return NULL;
    }
    doc = xmlReadMemory(data, (int)len, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                   XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *xe = xmlGetLastError();
        xvReportError(VIR_ERR_XML_ERROR, "%s:%d: %s", path, xe ? xe->line : 0,
                      xe && xe->message ? g_strchomp(xe->message) : "not well formed");
        return NULL;
    }
    root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "node") != 0) {
        xvReportError(VIR_ERR_XML_ERROR, "%s: root element must be <node>", path);
        goto error;
    }

    h = testHostNew();
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "cpu") == 0) {
            static const struct {
                const char *name;
                size_t off;
            } fields[] = {
                {"mhz", G_STRUCT_OFFSET(virNodeInfo, mhz)},
                {"active", G_STRUCT_OFFSET(virNodeInfo, cpus)},
                {"nodes", G_STRUCT_OFFSET(virNodeInfo, nodes)},
                {"sockets", G_STRUCT_OFFSET(virNodeInfo, sockets)},
                {"cores", G_STRUCT_OFFSET(virNodeInfo, cores)},
                {"threads", G_STRUCT_OFFSET(virNodeInfo, threads)},
            };
            for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
                unsigned long long v;
                int rc = xmlChildUInt(n, fields[i].name, &v, path);
                if (rc < 0)
                    goto error;
                if (rc == 0)
                    continue;
                if (v == 0 || v > 4096) {
                    xvReportError(VIR_ERR_XML_DETAIL, "%s: <cpu><%s>: %llu is out of range",
                                  path, fields[i].name, v);
                    goto error;
                }
                *(unsigned int *)((char *)&h->node + fields[i].off) = (unsigned int)v;
            }
            for (xmlNodePtr m = n->children; m; m = m->next) {
                if (m->type == XML_ELEMENT_NODE && strcmp((const char *)m->name, "model") == 0) {
                    g_autofree char *model = (char *)xmlNodeGetContent(m);
                    g_strlcpy(h->node.model, model ? model : "", sizeof(h->node.model));
                }
            }
        } else if (strcmp((const char *)n->name, "memory") == 0) {
            unsigned long long v;
            if (xmlChildUInt(root, "memory", &v, path) < 0)
                goto error;
            h->node.memory = (unsigned long)v;
        } else if (strcmp((const char *)n->name, "domain") == 0) {
            g_autofree char *file = (char *)xmlGetProp(n, (const xmlChar *)"file");
            g_autofree char *xml = NULL;
            g_autofree char *where = NULL;

            if (file) {
                g_autofree char *full = g_path_is_absolute(file)
                                            ? g_strdup(file)
                                            : g_build_filename(dir, file, NULL);
                g_clear_error(&gerr);
                if (!g_file_get_contents(full, &xml, NULL, &gerr)) {
                    xvReportError(VIR_ERR_OPEN_FAILED, "%s", gerr->message);
                    goto error;
                }
                where = g_steal_pointer(&full);
            } else {
                xmlBufferPtr b = xmlBufferCreate();
                xmlNodeDump(b, doc, n, 0, 0);
                xml = g_strdup((const char *)xmlBufferContent(b));
                xmlBufferFree(b);
                where = g_strdup_printf("%s:%ld", path, xmlGetLineNo(n));
            }
            if (testHostAddRunning(h, xml, where) < 0)
                goto error;
        }
    }
    if (h->node.cpus > h->node.nodes * h->node.sockets * h->node.cores * h->node.threads)
        h->node.cpus = h->node.nodes * h->node.sockets * h->node.cores * h->node.threads;
    xmlFreeDoc(doc);
    return h;

 error:
    testHostUnref(h);
    xmlFreeDoc(doc);
    return NULL;
}

/* ---- connection ------------------------------------------------------- */

#define HOST(conn) ((testHost *)(conn)->priv)

static xvDrvOpenStatus
testConnectOpen(virConnectPtr conn, GUri *uri, const char *name, unsigned int flags)
{
    const char *path = g_uri_get_path(uri);
    testHost *h;

    if (g_strcmp0(g_uri_get_scheme(uri), "test") != 0)
        return XV_DRV_OPEN_DECLINED;
    if (g_uri_get_host(uri) && *g_uri_get_host(uri)) {
        xvReportError(VIR_ERR_NO_SUPPORT, "remote test URI '%s' (this build has no remote "
                      "driver)", name);
        return XV_DRV_OPEN_ERROR;
    }
    if (!path || !*path || strcmp(path, "/") == 0) {
        xvReportError(VIR_ERR_INVALID_ARG, "testOpen: supply a path or use test:///default");
        return XV_DRV_OPEN_ERROR;
    }
    if (strcmp(path, "/default") == 0)
        h = testHostDefault();
    else
        h = testHostFromFile(path);
    if (!h)
        return XV_DRV_OPEN_ERROR;
    conn->priv = h;
    conn->uri = g_strdup_printf("test://%s", path);
    return XV_DRV_OPEN_SUCCESS;
}

static int
testConnectClose(virConnectPtr conn)
{
    testHostUnref(HOST(conn));
    conn->priv = NULL;
    return 0;
}

static int
testConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    *hvVer = 2; /* libvirt's test driver reports 0.0.2 */
    return 0;
}

static char *
testConnectGetHostname(virConnectPtr conn)
{
    return g_strdup(g_get_host_name());
}

static int
testConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    return TEST_MAX_VCPUS;
}

static char *
testConnectGetCapabilities(virConnectPtr conn)
{
    testHost *h = HOST(conn);
    static const xvCapsGuest guests[] = {
        {.os_type = "hvm", .arch = "i686", .wordsize = 32, .domain_type = "test",
         .pae = true, .nonpae = true},
        {.os_type = "xen", .arch = "i686", .wordsize = 32, .domain_type = "test",
         .pae = true, .nonpae = true},
    };
    xvCaps caps = {.arch = "i686", .guests = guests, .nguests = G_N_ELEMENTS(guests)};
    char *ret;

    g_mutex_lock(&h->lock);
    caps.memory_kib = h->node.memory;
    caps.nodes = h->node.nodes;
    caps.sockets = h->node.sockets;
    caps.cores = h->node.cores;
    caps.threads = h->node.threads;
    ret = xvCapsFormat(&caps);
    g_mutex_unlock(&h->lock);
    return ret;
}

static int
testNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    testHost *h = HOST(conn);
    g_mutex_lock(&h->lock);
    *info = h->node;
    g_mutex_unlock(&h->lock);
    return 0;
}

static unsigned long long
testNodeGetFreeMemory(virConnectPtr conn)
{
    testHost *h = HOST(conn);
    unsigned long long used = 0;

    g_mutex_lock(&h->lock);
    for (guint i = 0; i < h->doms->len; i++) {
        testDom *d = h->doms->pdata[i];
        if (d->live)
            used += d->live->current_memory ? d->live->current_memory : d->live->max_memory;
    }
    used = MIN(used, (unsigned long long)h->node.memory);
    g_mutex_unlock(&h->lock);
    return ((unsigned long long)h->node.memory - used) * 1024ULL;
}

/* ---- listing ---------------------------------------------------------- */

static gint
testCompareDoms(gconstpointer a, gconstpointer b)
{
    testDom *x = *(testDom *const *)a;
    testDom *y = *(testDom *const *)b;

    if (x->live && y->live)
        return x->live->id - y->live->id;
    if (x->live || y->live)
        return x->live ? -1 : 1;
    return strcmp(x->persistent->name, y->persistent->name);
}

/* A sorted snapshot (active by id, then inactive by name); caller holds lock. */
static GPtrArray *
testSortedDoms(testHost *h)
{
    GPtrArray *arr = g_ptr_array_sized_new(h->doms->len);
    for (guint i = 0; i < h->doms->len; i++)
        g_ptr_array_add(arr, h->doms->pdata[i]);
    g_ptr_array_sort(arr, testCompareDoms);
    return arr;
}

static int
testConnectNumOfDomains(virConnectPtr conn)
{
    testHost *h = HOST(conn);
    int n = 0;
    g_mutex_lock(&h->lock);
    for (guint i = 0; i < h->doms->len; i++)
        n += testDomActive(h->doms->pdata[i]);
    g_mutex_unlock(&h->lock);
    return n;
}

static int
testConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    testHost *h = HOST(conn);
    g_autoptr(GPtrArray) arr = NULL;
    int n = 0;

    g_mutex_lock(&h->lock);
    arr = testSortedDoms(h);
    for (guint i = 0; i < arr->len && n < maxids; i++) {
        testDom *d = arr->pdata[i];
        if (d->live)
            ids[n++] = d->live->id;
    }
    g_mutex_unlock(&h->lock);
    return n;
}

static int
testConnectNumOfDefinedDomains(virConnectPtr conn)
{
    testHost *h = HOST(conn);
    int n = 0;
    g_mutex_lock(&h->lock);
    for (guint i = 0; i < h->doms->len; i++)
        n += !testDomActive(h->doms->pdata[i]);
    g_mutex_unlock(&h->lock);
    return n;
}

static int
testConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    testHost *h = HOST(conn);
    g_autoptr(GPtrArray) arr = NULL;
    int n = 0;

    g_mutex_lock(&h->lock);
    arr = testSortedDoms(h);
    for (guint i = 0; i < arr->len && n < maxnames; i++) {
        testDom *d = arr->pdata[i];
        if (!d->live)
            names[n++] = g_strdup(d->persistent->name);
    }
    g_mutex_unlock(&h->lock);
    return n;
}

static virDomainPtr
testNewDomainObj(virConnectPtr conn, testDom *d)
{
    xvDomainDef *def = testDomDef(d);
    return xvGetDomain(conn, def->name, def->uuid, d->live ? d->live->id : -1);
}

static int
testConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    testHost *h = HOST(conn);
    g_autoptr(GPtrArray) arr = NULL;
    GPtrArray *out;
    int n;

    XV_CHECK_FLAGS(flags, 0xffffu, -1);
    out = g_ptr_array_new();
    g_mutex_lock(&h->lock);
    arr = testSortedDoms(h);
    for (guint i = 0; i < arr->len; i++) {
        testDom *d = arr->pdata[i];
        if (!xvDomainMatchListFlags(testDomActive(d), d->persistent != NULL, d->state,
                                    d->autostart, flags))
            continue;
        g_ptr_array_add(out, domains ? testNewDomainObj(conn, d) : NULL);
    }
    g_mutex_unlock(&h->lock);
    n = (int)out->len;
    if (domains) {
        g_ptr_array_add(out, NULL); /* libvirt NULL-terminates the array */
        *domains = (virDomainPtr *)g_ptr_array_free(out, FALSE);
    } else {
        g_ptr_array_free(out, TRUE);
    }
    return n;
}

/* ---- lookup ----------------------------------------------------------- */

static virDomainPtr
testDomainLookupByID(virConnectPtr conn, int id)
{
    testHost *h = HOST(conn);
    virDomainPtr ret = NULL;
    testDom *d;

    g_mutex_lock(&h->lock);
    if ((d = testFindByID(h, id)))
        ret = testNewDomainObj(conn, d);
    else
        xvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching id %d", id);
    g_mutex_unlock(&h->lock);
    return ret;
}

static virDomainPtr
testDomainLookupByName(virConnectPtr conn, const char *name)
{
    testHost *h = HOST(conn);
    virDomainPtr ret = NULL;
    testDom *d;

    g_mutex_lock(&h->lock);
    if ((d = testFindByName(h, name)))
        ret = testNewDomainObj(conn, d);
    else
        xvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", name);
    g_mutex_unlock(&h->lock);
    return ret;
}

static virDomainPtr
testDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    testHost *h = HOST(conn);
    virDomainPtr ret = NULL;
    testDom *d;

    g_mutex_lock(&h->lock);
    if ((d = testFindByUUID(h, uuid))) {
        ret = testNewDomainObj(conn, d);
    } else {
        char buf[XV_UUID_STRLEN];
        xvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s'",
                      xvUUIDFormat(uuid, buf));
    }
    g_mutex_unlock(&h->lock);
    return ret;
}

/* Find the record behind a domain object, by UUID (names can be reused).
 * Called with the lock held; reports VIR_ERR_NO_DOMAIN. */
static testDom *
testGetDom(virDomainPtr dom)
{
    testDom *d = testFindByUUID(HOST(dom->conn), dom->uuid);
    if (!d) {
        char buf[XV_UUID_STRLEN];
        xvReportError(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)",
                      xvUUIDFormat(dom->uuid, buf), dom->name);
    }
    return d;
}

static int
testRequireActive(testDom *d)
{
    if (!testDomActive(d)) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "domain is not running");
        return -1;
    }
    return 0;
}

/* Lock the host and find dom's record, or report and return NULL unlocked. */
static testDom *
testLockDom(virDomainPtr dom)
{
    testHost *h = HOST(dom->conn);
    testDom *d;

    g_mutex_lock(&h->lock);
    if (!(d = testGetDom(dom)))
        g_mutex_unlock(&h->lock);
    return d;
}

static void
testUnlock(virDomainPtr dom)
{
    g_mutex_unlock(&HOST(dom->conn)->lock);
}

/* ---- define / create / undefine --------------------------------------- */

static xvDomainDef *
testParseDef(const char *xml)
{
    xvDomainDef *def = xvDomainDefParseString(xml);
    if (!def)
        return NULL;
    if (!def->has_uuid) {
        xvUUIDGenerate(def->uuid);
        def->has_uuid = true;
    }
    if (def->vcpus > TEST_MAX_VCPUS) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "vcpu: %u is more than the %d this host allows",
                      def->vcpus, TEST_MAX_VCPUS);
        xvDomainDefFree(def);
        return NULL;
    }
    return def;
}

/* Name and UUID must agree with any domain already known. */
static int
testCheckIdentity(testHost *h, const xvDomainDef *def, testDom **existing)
{
    testDom *byName = testFindByName(h, def->name);
    testDom *byUUID = testFindByUUID(h, def->uuid);
    char buf[XV_UUID_STRLEN];

    if (byUUID && strcmp(testDomDef(byUUID)->name, def->name) != 0) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "domain '%s' is already defined with uuid %s",
                      testDomDef(byUUID)->name, xvUUIDFormat(def->uuid, buf));
        return -1;
    }
    if (byName && !byUUID) {
        xvReportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already exists with uuid %s",
                      def->name, xvUUIDFormat(testDomDef(byName)->uuid, buf));
        return -1;
    }
    *existing = byUUID;
    return 0;
}

static virDomainPtr
testDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    testHost *h = HOST(conn);
    xvDomainDef *def;
    testDom *d = NULL;
    virDomainPtr ret = NULL;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_DEFINE_VALIDATE, NULL);
    if (!(def = testParseDef(xml)))
        return NULL;
    g_mutex_lock(&h->lock);
    if (testCheckIdentity(h, def, &d) < 0) {
        xvDomainDefFree(def);
        goto out;
    }
    if (!d) {
        d = g_new0(testDom, 1);
        d->state = VIR_DOMAIN_SHUTOFF;
        d->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
        d->sched_weight = TEST_SCHED_WEIGHT_DEFAULT;
        g_ptr_array_add(h->doms, d);
    }
    xvDomainDefFree(d->persistent);
    def->id = -1;
    d->persistent = def;
    ret = testNewDomainObj(conn, d);
 out:
    g_mutex_unlock(&h->lock);
    return ret;
}

static virDomainPtr
testDomainCreateXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    testHost *h = HOST(conn);
    xvDomainDef *def;
    testDom *d = NULL;
    virDomainPtr ret = NULL;
    bool added = false;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_VALIDATE, NULL);
    if (!(def = testParseDef(xml)))
        return NULL;
    g_mutex_lock(&h->lock);
    if (testCheckIdentity(h, def, &d) < 0) {
        xvDomainDefFree(def);
        goto out;
    }
    if (d && testDomActive(d)) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "domain '%s' is already active", def->name);
        xvDomainDefFree(def);
        goto out;
    }
    if (!d) {
        d = g_new0(testDom, 1);
        d->sched_weight = TEST_SCHED_WEIGHT_DEFAULT;
        g_ptr_array_add(h->doms, d);
        added = true;
    }
    if (testDomStart(h, d, def, flags & VIR_DOMAIN_START_PAUSED) < 0) {
        if (added)
            g_ptr_array_remove(h->doms, d);
        goto out;
    }
    ret = testNewDomainObj(conn, d);
 out:
    g_mutex_unlock(&h->lock);
    return ret;
}

static int
testDomainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    testHost *h = HOST(dom->conn);
    testDom *d;

    if (!(d = testLockDom(dom)))
        return -1;
    if (!d->persistent) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "cannot undefine transient domain");
        testUnlock(dom);
        return -1;
    }
    d->autostart = false;
    if (testDomActive(d))
        g_clear_pointer(&d->persistent, xvDomainDefFree); /* becomes transient */
    else
        g_ptr_array_remove(h->doms, d);
    testUnlock(dom);
    return 0;
}

/* ---- lifecycle -------------------------------------------------------- */

static int
testDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    testHost *h = HOST(dom->conn);
    testDom *d;
    int ret = -1;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_START_PAUSED, -1);
    if (!(d = testLockDom(dom)))
        return -1;
    if (testDomActive(d)) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' is already running", dom->name);
        goto out;
    }
    if (testDomStart(h, d, NULL, flags & VIR_DOMAIN_START_PAUSED) < 0)
        goto out;
    dom->id = d->live->id;
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

/* Move dom from state `from` to `to`; anything else is an error.  libvirt's
 * test driver reports wrong states as internal errors; the codes are kept
 * so programs see what they see there. */
static int
testDomainPauseChange(virDomainPtr dom, int from, int to, int reason, const char *wrong)
{
    testDom *d;
    int ret = -1;

    if (!(d = testLockDom(dom)))
        return -1;
    if (!testDomActive(d) || d->state != from) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' %s", dom->name, wrong);
        goto out;
    }
    testDomSetState(d, to, reason);
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

static int
testDomainSuspend(virDomainPtr dom)
{
    return testDomainPauseChange(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_PAUSED,
                                 VIR_DOMAIN_PAUSED_USER, "not running");
}

static int
testDomainResume(virDomainPtr dom)
{
    return testDomainPauseChange(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_RUNNING,
                                 VIR_DOMAIN_RUNNING_UNPAUSED, "not paused");
}

static int
testDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    testHost *h = HOST(dom->conn);
    testDom *d;
    int ret = -1;

    if (!(d = testLockDom(dom)))
        return -1;
    if (!testDomActive(d) || d->state == VIR_DOMAIN_SHUTDOWN) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' not running", dom->name);
        goto out;
    }
    testDomStop(h, d, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    dom->id = -1;
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

static int
testDomainReboot(virDomainPtr dom, unsigned int flags)
{
    testHost *h = HOST(dom->conn);
    testDom *d;
    int ret = -1;

    if (!(d = testLockDom(dom)))
        return -1;
    if (testRequireActive(d) < 0)
        goto out;
    /* The guest reboots; what follows is its on_reboot action. */
    switch (d->live->has_on_reboot ? d->live->on_reboot : XV_DOMAIN_LIFECYCLE_RESTART) {
    case XV_DOMAIN_LIFECYCLE_DESTROY:
        testDomStop(h, d, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
        dom->id = -1;
        break;
    case XV_DOMAIN_LIFECYCLE_PRESERVE:
        testDomSetState(d, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_USER);
        break;
    default:
        testDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
        break;
    }
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

static int
testDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    testHost *h = HOST(dom->conn);
    testDom *d;
    int ret = -1;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_DESTROY_GRACEFUL, -1);
    if (!(d = testLockDom(dom)))
        return -1;
    if (testRequireActive(d) < 0)
        goto out;
    testDomStop(h, d, VIR_DOMAIN_SHUTOFF_DESTROYED);
    dom->id = -1;
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

/* ---- queries ---------------------------------------------------------- */

static unsigned long long
testCurMem(const xvDomainDef *def)
{
    return def->current_memory ? def->current_memory : def->max_memory;
}

static unsigned int
testCurVcpus(const xvDomainDef *def)
{
    return def->vcpus_current ? def->vcpus_current : def->vcpus;
}

static int
testDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    testDom *d;
    xvDomainDef *def;

    if (!(d = testLockDom(dom)))
        return -1;
    def = testDomDef(d);
    info->state = (unsigned char)(testDomActive(d) ? d->state : VIR_DOMAIN_SHUTOFF);
    info->maxMem = (unsigned long)def->max_memory;
    info->memory = (unsigned long)testCurMem(def);
    info->nrVirtCpu = (unsigned short)testCurVcpus(def);
    info->cpuTime = testDomActive(d) ? testDomCpuTime(d) : 0;
    testUnlock(dom);
    return 0;
}

static int
testDomainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    testDom *d;

    XV_CHECK_FLAGS(flags, 0, -1);
    if (!(d = testLockDom(dom)))
        return -1;
    *state = d->state;
    *reason = d->reason;
    testUnlock(dom);
    return 0;
}

static char *
testDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    testDom *d;
    char *ret;
    const xvDomainDef *def;
    unsigned int fmt = 0;

    if (!(d = testLockDom(dom)))
        return NULL;
    if ((flags & VIR_DOMAIN_XML_INACTIVE) && d->persistent)
        def = d->persistent;
    else
        def = testDomDef(d);
    if ((flags & VIR_DOMAIN_XML_INACTIVE) || !testDomActive(d))
        fmt |= XV_DOMAIN_FORMAT_INACTIVE;
    if (flags & VIR_DOMAIN_XML_SECURE)
        fmt |= XV_DOMAIN_FORMAT_SECURE;
    ret = xvDomainDefFormat(def, fmt);
    testUnlock(dom);
    return ret;
}

static char *
testDomainGetOSType(virDomainPtr dom)
{
    testDom *d;

    /* libvirt's test driver answers "linux" whatever the guest is; programs
     * written against it expect that. */
    if (!(d = testLockDom(dom)))
        return NULL;
    testUnlock(dom);
    return g_strdup("linux");
}

static int
testDomainIsActive(virDomainPtr dom)
{
    testDom *d;
    int ret;
    if (!(d = testLockDom(dom)))
        return -1;
    ret = testDomActive(d);
    testUnlock(dom);
    return ret;
}

static int
testDomainIsPersistent(virDomainPtr dom)
{
    testDom *d;
    int ret;
    if (!(d = testLockDom(dom)))
        return -1;
    ret = d->persistent != NULL;
    testUnlock(dom);
    return ret;
}

static int
testDomainIsUpdated(virDomainPtr dom)
{
    testDom *d;
    if (!(d = testLockDom(dom)))
        return -1;
    testUnlock(dom);
    return 0; /* no pending config change is tracked apart from the live def */
}

/* ---- memory and vcpus ------------------------------------------------- */

/* The definitions a change with these flags applies to: [0] live, [1]
 * config; NULL where not affected.  Reports and returns -1 for impossible
 * combinations, as libvirt's virDomainObjUpdateModificationImpact does. */
static int
testImpact(testDom *d, unsigned int flags, xvDomainDef **live, xvDomainDef **config)
{
    unsigned int impact = flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG);

    if (impact == VIR_DOMAIN_AFFECT_CURRENT)
        impact = testDomActive(d) ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if ((impact & VIR_DOMAIN_AFFECT_LIVE) && !testDomActive(d)) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "domain is not running");
        return -1;
    }
    if ((impact & VIR_DOMAIN_AFFECT_CONFIG) && !d->persistent) {
        xvReportError(VIR_ERR_OPERATION_INVALID,
                      "transient domains do not have any persistent config");
        return -1;
    }
    *live = (impact & VIR_DOMAIN_AFFECT_LIVE) ? d->live : NULL;
    *config = (impact & VIR_DOMAIN_AFFECT_CONFIG) ? d->persistent : NULL;
    return 0;
}

static unsigned long
testDomainGetMaxMemory(virDomainPtr dom)
{
    testDom *d;
    unsigned long ret;
    if (!(d = testLockDom(dom)))
        return 0;
    ret = (unsigned long)testDomDef(d)->max_memory;
    testUnlock(dom);
    return ret;
}

/* Set the maximum; the current balloon keeps its size unless it no
 * longer fits. */
static void
testSetMax(xvDomainDef *def, unsigned long memory)
{
    unsigned long long cur;

    if (!def)
        return;
    cur = testCurMem(def);
    def->max_memory = memory;
    def->current_memory = MIN(cur, (unsigned long long)memory);
}

static int
testDomainSetMemoryFlags(virDomainPtr dom, unsigned long memory, unsigned int flags)
{
    testDom *d;
    xvDomainDef *live, *config;
    int ret = -1;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_MEM_MAXIMUM, -1);
    if (!(d = testLockDom(dom)))
        return -1;
    if (testImpact(d, flags, &live, &config) < 0)
        goto out;
    if (flags & VIR_DOMAIN_MEM_MAXIMUM) {
        if (live) {
            xvReportError(VIR_ERR_OPERATION_INVALID,
                          "cannot resize the maximum memory on an active domain");
            goto out;
        }
        testSetMax(config, memory);
    } else {
        xvDomainDef *defs[] = {live, config};
        for (size_t i = 0; i < G_N_ELEMENTS(defs); i++) {
            if (defs[i] && memory > defs[i]->max_memory) {
                xvReportError(VIR_ERR_INVALID_ARG,
                              "cannot set memory higher than max memory (%lu > %llu)", memory,
                              defs[i]->max_memory);
                goto out;
            }
        }
        if (live)
            live->current_memory = memory;
        if (config)
            config->current_memory = memory;
    }
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

static int
testDomainSetMaxMemory(virDomainPtr dom, unsigned long memory)
{
    /* As in libvirt: the maximum of the current definition, which an
     * active domain cannot change. */
    return testDomainSetMemoryFlags(dom, memory, VIR_DOMAIN_MEM_MAXIMUM);
}

static int
testDomainGetVcpusFlags(virDomainPtr dom, unsigned int flags)
{
    testDom *d;
    xvDomainDef *live, *config, *def;
    int ret = -1;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM, -1);
    if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        xvReportError(VIR_ERR_INVALID_ARG, "flags 'live' and 'config' are mutually exclusive");
        return -1;
    }
    if (!(d = testLockDom(dom)))
        return -1;
    if (testImpact(d, flags, &live, &config) < 0)
        goto out;
    def = live ? live : config;
    ret = (int)((flags & VIR_DOMAIN_VCPU_MAXIMUM) ? def->vcpus : testCurVcpus(def));
 out:
    testUnlock(dom);
    return ret;
}

static int
testDomainSetVcpusFlags(virDomainPtr dom, unsigned int nvcpus, unsigned int flags)
{
    testDom *d;
    xvDomainDef *live, *config;
    int ret = -1;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM, -1);
    if (!(d = testLockDom(dom)))
        return -1;
    if (testImpact(d, flags, &live, &config) < 0)
        goto out;
    if (nvcpus > TEST_MAX_VCPUS) {
        xvReportError(VIR_ERR_INVALID_ARG,
                      "requested vcpus is greater than max allowable vcpus for the "
                      "connection: %u > %d", nvcpus, TEST_MAX_VCPUS);
        goto out;
    }
    if (flags & VIR_DOMAIN_VCPU_MAXIMUM) {
        if (live) {
            xvReportError(VIR_ERR_OPERATION_INVALID,
                          "cannot change the maximum vcpu count of an active domain");
            goto out;
        }
        config->vcpus = nvcpus;
        if (config->vcpus_current > nvcpus)
            config->vcpus_current = nvcpus;
    } else {
        xvDomainDef *defs[] = {live, config};
        for (size_t i = 0; i < G_N_ELEMENTS(defs); i++) {
            if (defs[i] && nvcpus > defs[i]->vcpus) {
                xvReportError(VIR_ERR_INVALID_ARG,
                              "requested vcpus is greater than max allowable vcpus for the "
                              "domain: %u > %u", nvcpus, defs[i]->vcpus);
                goto out;
            }
        }
        if (live)
            live->vcpus_current = nvcpus == live->vcpus ? 0 : nvcpus;
        if (config)
            config->vcpus_current = nvcpus == config->vcpus ? 0 : nvcpus;
    }
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

static int
testDomainGetVcpus(virDomainPtr dom, virVcpuInfoPtr info, int maxinfo, unsigned char *cpumaps,
                   int maplen)
{
    testHost *h = HOST(dom->conn);
    testDom *d;
    int hostlen = testMapLen(h);
    int n, ret = -1;
    unsigned long long cpu;

    if (!(d = testLockDom(dom)))
        return -1;
    if (!testDomActive(d)) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "cannot list vcpus for an inactive domain");
        goto out;
    }
    n = MIN(maxinfo, (int)testCurVcpus(d->live));
    cpu = testDomCpuTime(d);
    for (int v = 0; v < n; v++) {
        const unsigned char *pin = d->pins + (size_t)v * hostlen;
        int first = -1;
        for (unsigned int c = 0; c < testHostCpus(h) && first < 0; c++)
            if (VIR_CPU_USED(pin, c))
                first = (int)c;
        info[v].number = (unsigned int)v;
        info[v].state = d->state == VIR_DOMAIN_RUNNING ? VIR_VCPU_RUNNING : VIR_VCPU_BLOCKED;
        info[v].cpuTime = cpu / testCurVcpus(d->live);
        info[v].cpu = first;
        if (cpumaps)
            memcpy(VIR_GET_CPUMAP(cpumaps, maplen, v), pin, (size_t)MIN(maplen, hostlen));
    }
    ret = n;
 out:
    testUnlock(dom);
    return ret;
}

static int
testDomainPinVcpu(virDomainPtr dom, unsigned int vcpu, unsigned char *cpumap, int maplen)
{
    testHost *h = HOST(dom->conn);
    testDom *d;
    int hostlen = testMapLen(h);
    unsigned char *pin;
    bool any = false;
    int ret = -1;

    if (!(d = testLockDom(dom)))
        return -1;
    if (!testDomActive(d)) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "cannot pin vcpus on an inactive domain");
        goto out;
    }
    if (vcpu >= testCurVcpus(d->live)) {
        xvReportError(VIR_ERR_INVALID_ARG,
                      "requested vcpu '%u' is not present in the domain (it has %u)", vcpu,
                      testCurVcpus(d->live));
        goto out;
    }
    for (unsigned int c = 0; c < testHostCpus(h) && (int)(c / 8) < maplen; c++)
        any |= VIR_CPU_USED(cpumap, c) != 0;
    if (!any) {
        xvReportError(VIR_ERR_INVALID_ARG, "cpumap for vcpu %u names no CPU of this host "
                      "(0-%u)", vcpu, testHostCpus(h) - 1);
        goto out;
    }
    pin = d->pins + (size_t)vcpu * hostlen;
    memset(pin, 0, (size_t)hostlen);
    for (unsigned int c = 0; c < testHostCpus(h) && (int)(c / 8) < maplen; c++)
        if (VIR_CPU_USED(cpumap, c))
            VIR_USE_CPU(pin, c);
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

static int
testDomainGetMaxVcpus(virDomainPtr dom)
{
    return testDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM);
}

/* ---- autostart -------------------------------------------------------- */

static int
testDomainGetAutostart(virDomainPtr dom, int *autostart)
{
    testDom *d;
    if (!(d = testLockDom(dom)))
        return -1;
    *autostart = d->autostart;
    testUnlock(dom);
    return 0;
}

static int
testDomainSetAutostart(virDomainPtr dom, int autostart)
{
    testDom *d;
    int ret = -1;
    if (!(d = testLockDom(dom)))
        return -1;
    if (!d->persistent) {
        xvReportError(VIR_ERR_OPERATION_INVALID, "cannot set autostart for transient domain");
        goto out;
    }
    d->autostart = autostart != 0;
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

/* ---- devices ---------------------------------------------------------- */

#define PTR_APPEND(arr, n, item) \
    do { \
        (arr) = g_renew(__typeof__(*(arr)), (arr), (n) + 1); \
        (arr)[(n)++] = (item); \
    } while (0)

static void *
ptrRemoveAt(void **arr, size_t *n, size_t i)
{
    void *item = arr[i];
    memmove(arr + i, arr + i + 1, (*n - i - 1) * sizeof(*arr));
    (*n)--;
    return item;
}

static ssize_t
testFindDisk(const xvDomainDef *def, const char *dst)
{
    for (size_t i = 0; i < def->ndisks; i++)
        if (strcmp(def->disks[i]->dst, dst) == 0)
            return (ssize_t)i;
    return -1;
}

static ssize_t
testFindNet(const xvDomainDef *def, const xvDomainNetDef *net)
{
    for (size_t i = 0; i < def->nnets; i++) {
        const xvDomainNetDef *n = def->nets[i];
        if (net->has_mac && n->has_mac && memcmp(n->mac, net->mac, 6) == 0)
            return (ssize_t)i;
        if (!net->has_mac && net->ifname && n->ifname && strcmp(n->ifname, net->ifname) == 0)
            return (ssize_t)i;
    }
    return -1;
}

/* Apply one parsed device to def (attach or detach).  The device is copied
 * by reparsing, so the same parse can be applied to live and config. */
static int
testApplyDevice(xvDomainDef *def, const char *xml, bool attach)
{
    g_autoptr(xvDomainDeviceDef) dev = xvDomainDeviceDefParseString(xml);

    if (!dev)
        return -1;
    if (dev->disk) {
        ssize_t i = testFindDisk(def, dev->disk->dst);
        if (attach) {
            if (i >= 0) {
                xvReportError(VIR_ERR_OPERATION_FAILED, "target %s already exists",
                              dev->disk->dst);
                return -1;
            }
            PTR_APPEND(def->disks, def->ndisks, g_steal_pointer(&dev->disk));
        } else {
            if (i < 0) {
                xvReportError(VIR_ERR_DEVICE_MISSING, "no target device %s", dev->disk->dst);
                return -1;
            }
            xvDomainDiskDefFree(ptrRemoveAt((void **)def->disks, &def->ndisks, (size_t)i));
        }
        return 0;
    }
    if (dev->net) {
        ssize_t i = testFindNet(def, dev->net);
        char mac[18] = "";
        if (dev->net->has_mac)
            g_snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", dev->net->mac[0],
                       dev->net->mac[1], dev->net->mac[2], dev->net->mac[3], dev->net->mac[4],
                       dev->net->mac[5]);
        if (attach) {
            if (i >= 0) {
                xvReportError(VIR_ERR_OPERATION_FAILED, "interface with MAC %s already exists",
                              mac);
                return -1;
            }
            if (!dev->net->has_mac) {
                /* Xen's OUI, random tail, as libvirt generates. */
                dev->net->has_mac = true;
                dev->net->mac[0] = 0x00;
                dev->net->mac[1] = 0x16;
                dev->net->mac[2] = 0x3e;
                for (int k = 3; k < 6; k++)
                    dev->net->mac[k] = (unsigned char)g_random_int_range(0, 256);
            }
            PTR_APPEND(def->nets, def->nnets, g_steal_pointer(&dev->net));
        } else {
            if (i < 0) {
                xvReportError(VIR_ERR_DEVICE_MISSING, "no interface matching %s",
                              *mac ? mac : (dev->net->ifname ? dev->net->ifname : "(none)"));
                return -1;
            }
            xvDomainNetDefFree(ptrRemoveAt((void **)def->nets, &def->nnets, (size_t)i));
        }
        return 0;
    }
    if (dev->hostdev) {
        for (size_t i = 0; i < def->nhostdevs; i++) {
            xvDomainHostdevDef *x = def->hostdevs[i];
            if (x->domain == dev->hostdev->domain && x->bus == dev->hostdev->bus &&
                x->slot == dev->hostdev->slot && x->function == dev->hostdev->function) {
                if (attach) {
                    xvReportError(VIR_ERR_OPERATION_FAILED,
                                  "PCI device %04x:%02x:%02x.%x is already attached", x->domain,
                                  x->bus, x->slot, x->function);
                    return -1;
                }
                xvDomainHostdevDefFree(ptrRemoveAt((void **)def->hostdevs, &def->nhostdevs, i));
                return 0;
            }
        }
        if (!attach) {
            xvReportError(VIR_ERR_DEVICE_MISSING, "PCI device %04x:%02x:%02x.%x not found",
                          dev->hostdev->domain, dev->hostdev->bus, dev->hostdev->slot,
                          dev->hostdev->function);
            return -1;
        }
        PTR_APPEND(def->hostdevs, def->nhostdevs, g_steal_pointer(&dev->hostdev));
        return 0;
    }
    xvReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                  "%s of this device type is not supported; disk, interface and PCI hostdev are",
                  attach ? "attaching" : "detaching");
    return -1;
}

static int
testDomainChangeDevice(virDomainPtr dom, const char *xml, unsigned int flags, bool attach)
{
    testDom *d;
    xvDomainDef *live, *config;
    g_autoptr(xvDomainDef) newLive = NULL;
    g_autoptr(xvDomainDef) newConfig = NULL;
    int ret = -1;

    XV_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(d = testLockDom(dom)))
        return -1;
    if (testImpact(d, flags, &live, &config) < 0)
        goto out;
    /* Change copies and swap them in only when every step worked, so a
     * failure leaves the domain as it was. */
    if (live && (!(newLive = xvDomainDefCopy(live)) || testApplyDevice(newLive, xml, attach) < 0))
        goto out;
    if (config &&
        (!(newConfig = xvDomainDefCopy(config)) || testApplyDevice(newConfig, xml, attach) < 0))
        goto out;
    if (newLive) {
        newLive->id = d->live->id;
        xvDomainDefFree(d->live);
        d->live = g_steal_pointer(&newLive);
    }
    if (newConfig) {
        xvDomainDefFree(d->persistent);
        d->persistent = g_steal_pointer(&newConfig);
    }
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

static int
testDomainAttachDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags)
{
    return testDomainChangeDevice(dom, xml, flags, true);
}

static int
testDomainDetachDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags)
{
    return testDomainChangeDevice(dom, xml, flags, false);
}

/* ---- scheduler -------------------------------------------------------- */

static char *
testDomainGetSchedulerType(virDomainPtr dom, int *nparams)
{
    testDom *d;
    if (!(d = testLockDom(dom)))
        return NULL;
    testUnlock(dom);
    *nparams = 1;
    return g_strdup("fair"); /* libvirt's test driver: one "weight" parameter */
}

static int
testDomainGetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                      int *nparams, unsigned int flags)
{
    testDom *d;
    if (!(d = testLockDom(dom)))
        return -1;
    g_strlcpy(params[0].field, VIR_DOMAIN_SCHEDULER_WEIGHT, VIR_TYPED_PARAM_FIELD_LENGTH);
    params[0].type = VIR_TYPED_PARAM_UINT;
    params[0].value.ui = d->sched_weight;
    *nparams = 1;
    testUnlock(dom);
    return 0;
}

static int
testDomainSetSchedulerParametersFlags(virDomainPtr dom, virTypedParameterPtr params,
                                      int nparams, unsigned int flags)
{
    testDom *d;
    int ret = -1;

    if (!(d = testLockDom(dom)))
        return -1;
    for (int i = 0; i < nparams; i++) {
        if (strcmp(params[i].field, VIR_DOMAIN_SCHEDULER_WEIGHT) != 0) {
            xvReportError(VIR_ERR_INVALID_ARG, "parameter '%s' not supported by the 'fair' "
                          "scheduler", params[i].field);
            goto out;
        }
        if (params[i].type != VIR_TYPED_PARAM_UINT) {
            xvReportError(VIR_ERR_INVALID_ARG, "parameter '%s' must be an unsigned int",
                          params[i].field);
            goto out;
        }
    }
    for (int i = 0; i < nparams; i++)
        d->sched_weight = params[i].value.ui;
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

/* ---- statistics ------------------------------------------------------- */

/* The simulated guest does I/O in proportion to the time it has run; the
 * counters are derived from its cpu time so they grow monotonically while
 * it runs and stay put while it is paused, as real counters do. */
static int
testDomainBlockStats(virDomainPtr dom, const char *disk, virDomainBlockStatsPtr stats)
{
    testDom *d;
    unsigned long long t;
    int ret = -1;

    if (!(d = testLockDom(dom)))
        return -1;
    if (testRequireActive(d) < 0)
        goto out;
    if (testFindDisk(d->live, disk) < 0) {
        bool found = false;
        for (size_t i = 0; i < d->live->ndisks && !found; i++)
            found = d->live->disks[i]->src && strcmp(d->live->disks[i]->src, disk) == 0;
        if (!found) {
            xvReportError(VIR_ERR_INVALID_ARG, "invalid path: %s", disk);
            goto out;
        }
    }
    t = testDomCpuTime(d) / 1000ULL; /* microseconds */
    stats->rd_req = (long long)(t / 10);
    stats->rd_bytes = (long long)(t / 10 * 4096);
    stats->wr_req = (long long)(t / 30);
    stats->wr_bytes = (long long)(t / 30 * 4096);
    stats->errs = 0;
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

static int
testDomainInterfaceStats(virDomainPtr dom, const char *device, virDomainInterfaceStatsPtr stats)
{
    testDom *d;
    unsigned long long t;
    bool found = false;
    unsigned char mac[6];
    bool isMac;
    int ret = -1;

    if (!(d = testLockDom(dom)))
        return -1;
    if (testRequireActive(d) < 0)
        goto out;
    isMac = sscanf(device, "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx", &mac[0], &mac[1], &mac[2],
                   &mac[3], &mac[4], &mac[5]) == 6;
    for (size_t i = 0; i < d->live->nnets && !found; i++) {
        const xvDomainNetDef *n = d->live->nets[i];
        found = (n->ifname && strcmp(n->ifname, device) == 0) ||
                (isMac && n->has_mac && memcmp(n->mac, mac, 6) == 0);
    }
    if (!found) {
        xvReportError(VIR_ERR_INVALID_ARG, "'%s' is not a known interface", device);
        goto out;
    }
    t = testDomCpuTime(d) / 1000ULL;
    stats->rx_bytes = (long long)(t * 12);
    stats->rx_packets = (long long)(t / 100);
    stats->rx_errs = 0;
    stats->rx_drop = 0;
    stats->tx_bytes = (long long)(t * 3);
    stats->tx_packets = (long long)(t / 250);
    stats->tx_errs = 0;
    stats->tx_drop = 0;
    ret = 0;
 out:
    testUnlock(dom);
    return ret;
}

const xvDriver xvTestDriver = {
    .name = "TEST",
    .connectOpen = testConnectOpen,
    .connectClose = testConnectClose,
    .connectGetVersion = testConnectGetVersion,
    .connectGetHostname = testConnectGetHostname,
    .connectGetCapabilities = testConnectGetCapabilities,
    .connectGetMaxVcpus = testConnectGetMaxVcpus,
    .nodeGetInfo = testNodeGetInfo,
    .nodeGetFreeMemory = testNodeGetFreeMemory,
    .connectNumOfDomains = testConnectNumOfDomains,
    .connectListDomains = testConnectListDomains,
    .connectNumOfDefinedDomains = testConnectNumOfDefinedDomains,
    .connectListDefinedDomains = testConnectListDefinedDomains,
    .connectListAllDomains = testConnectListAllDomains,
    .domainLookupByID = testDomainLookupByID,
    .domainLookupByName = testDomainLookupByName,
    .domainLookupByUUID = testDomainLookupByUUID,
    .domainCreateXML = testDomainCreateXML,
    .domainDefineXMLFlags = testDomainDefineXMLFlags,
    .domainUndefineFlags = testDomainUndefineFlags,
    .domainCreateWithFlags = testDomainCreateWithFlags,
    .domainSuspend = testDomainSuspend,
    .domainResume = testDomainResume,
    .domainShutdownFlags = testDomainShutdownFlags,
    .domainReboot = testDomainReboot,
    .domainDestroyFlags = testDomainDestroyFlags,
    .domainGetInfo = testDomainGetInfo,
    .domainGetState = testDomainGetState,
    .domainGetXMLDesc = testDomainGetXMLDesc,
    .domainGetOSType = testDomainGetOSType,
    .domainIsActive = testDomainIsActive,
    .domainIsPersistent = testDomainIsPersistent,
    .domainIsUpdated = testDomainIsUpdated,
    .domainGetMaxMemory = testDomainGetMaxMemory,
    .domainSetMaxMemory = testDomainSetMaxMemory,
    .domainSetMemoryFlags = testDomainSetMemoryFlags,
    .domainSetVcpusFlags = testDomainSetVcpusFlags,
    .domainGetVcpusFlags = testDomainGetVcpusFlags,
    .domainGetVcpus = testDomainGetVcpus,
    .domainPinVcpu = testDomainPinVcpu,
    .domainGetMaxVcpus = testDomainGetMaxVcpus,
    .domainGetAutostart = testDomainGetAutostart,
    .domainSetAutostart = testDomainSetAutostart,
    .domainAttachDeviceFlags = testDomainAttachDeviceFlags,
    .domainDetachDeviceFlags = testDomainDetachDeviceFlags,
    .domainGetSchedulerType = testDomainGetSchedulerType,
    .domainGetSchedulerParametersFlags = testDomainGetSchedulerParametersFlags,
    .domainSetSchedulerParametersFlags = testDomainSetSchedulerParametersFlags,
    .domainBlockStats = testDomainBlockStats,
    .domainInterfaceStats = testDomainInterfaceStats,
};
