/*
 * api_test.c: one program, written against libvirt's public API, built
 * twice -- against libxenvirt (the include line below) and, unchanged but
 * for that line and the link line, against Debian's real libvirt -- and run
 * against test:///default.  Both builds print the same report, compared with
 * tests/apidata/api_test.out, so the golden file is libvirt's own behaviour
 * and ours must match it call for call, error codes included.
 *
 * Only values both test drivers define identically are printed: no cpu
 * times (wall-clock based), no full XML (libvirt adds <address> elements).
 */
#ifdef USE_LIBVIRT
# include <libvirt/libvirt.h>
# include <libvirt/virterror.h>
#else
# include <xenvirt/xenvirt.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int handlerCalls;

static void
countingHandler(void *userData, virErrorPtr err)
{
    (void)userData;
    (void)err;
    handlerCalls++;
}

static int connHandlerCalls;

static void
countingConnHandler(void *userData, virErrorPtr err)
{
    (void)userData;
    (void)err;
    connHandlerCalls++;
}

/* Print the outcome of a call returning int. */
static void
reportInt(const char *what, int rc)
{
    if (rc < 0) {
        virErrorPtr err = virGetLastError();
        printf("%s: error code=%d\n", what, err ? err->code : -1);
    } else {
        printf("%s: %d\n", what, rc);
    }
}

static void
reportPtr(const char *what, const void *p)
{
    if (!p) {
        virErrorPtr err = virGetLastError();
        printf("%s: error code=%d\n", what, err ? err->code : -1);
    } else {
        printf("%s: ok\n", what);
    }
}

static const char newDomainXML[] =
    "<domain type='test'>\n"
    "  <name>apitest</name>\n"
    "  <uuid>3ecf7c44-3b1c-4a0e-9b5e-8b2a1c6f0d11</uuid>\n"
    "  <memory unit='KiB'>524288</memory>\n"
    "  <currentMemory unit='KiB'>262144</currentMemory>\n"
    "  <vcpu>4</vcpu>\n"
    "  <os><type>hvm</type></os>\n"
    "  <on_reboot>restart</on_reboot>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/var/lib/xen/images/apitest.img'/>\n"
    "      <target dev='hda' bus='ide'/>\n"
    "    </disk>\n"
    "    <interface type='bridge'>\n"
    "      <mac address='00:16:3e:00:00:01'/>\n"
    "      <source bridge='xenbr0'/>\n"
    "      <target dev='vif-api0'/>\n"
    "    </interface>\n"
    "  </devices>\n"
    "</domain>\n";

static const char diskXML[] =
    "<disk type='file' device='disk'>\n"
    "  <source file='/var/lib/xen/images/extra.img'/>\n"
    "  <target dev='hdb' bus='ide'/>\n"
    "</disk>\n";

static void
printInfo(const char *what, virDomainPtr dom)
{
    virDomainInfo info;
    if (virDomainGetInfo(dom, &info) < 0) {
        reportInt(what, -1);
        return;
    }
    printf("%s: state=%d maxMem=%lu memory=%lu nrVirtCpu=%u\n", what, info.state, info.maxMem,
           info.memory, info.nrVirtCpu);
}

static void
printState(const char *what, virDomainPtr dom)
{
    int state = -1, reason = -1;
    if (virDomainGetState(dom, &state, &reason, 0) < 0)
        reportInt(what, -1);
    else
        printf("%s: state=%d reason=%d\n", what, state, reason);
}

static void
testConnection(virConnectPtr conn)
{
    unsigned long ver = 0;
    char *s;
    virNodeInfo node;
    char host[256] = "";

    printf("virConnectGetType: %s\n", virConnectGetType(conn));
    reportInt("virConnectGetVersion", virConnectGetVersion(conn, &ver));
    printf("  hvVer=%lu\n", ver);
    reportInt("virConnectGetLibVersion", virConnectGetLibVersion(conn, &ver));
    printf("  libVer>=9000000: %s\n", ver >= 9000000 ? "yes" : "no");
    s = virConnectGetHostname(conn);
    gethostname(host, sizeof(host) - 1);
    printf("virConnectGetHostname: %s\n", s && strcmp(s, host) == 0 ? "matches gethostname" : "differs");
    free(s);
    s = virConnectGetURI(conn);
    printf("virConnectGetURI: %s\n", s ? s : "(null)");
    free(s);
    s = virConnectGetCapabilities(conn);
    printf("virConnectGetCapabilities: %s\n",
           s && strncmp(s, "<capabilities>", 14) == 0 ? "document" : "bad");
    free(s);
    reportInt("virConnectGetMaxVcpus", virConnectGetMaxVcpus(conn, NULL));
    reportInt("virNodeGetInfo", virNodeGetInfo(conn, &node));
    printf("  model=%s memory=%lu cpus=%u mhz=%u nodes=%u sockets=%u cores=%u threads=%u\n",
           node.model, node.memory, node.cpus, node.mhz, node.nodes, node.sockets, node.cores,
           node.threads);
    reportInt("virConnectIsAlive", virConnectIsAlive(conn));
    reportInt("virNodeGetInfo(NULL)", virNodeGetInfo(conn, NULL));
}

static void
testListing(virConnectPtr conn)
{
    int ids[8];
    char *names[8];
    virDomainPtr *doms = NULL;
    int n;

    reportInt("virConnectNumOfDomains", virConnectNumOfDomains(conn));
    n = virConnectListDomains(conn, ids, 8);
    reportInt("virConnectListDomains", n);
    for (int i = 0; i < n; i++)
        printf("  id %d\n", ids[i]);
    reportInt("virConnectNumOfDefinedDomains", virConnectNumOfDefinedDomains(conn));
    n = virConnectListDefinedDomains(conn, names, 8);
    reportInt("virConnectListDefinedDomains", n);
    for (int i = 0; i < n; i++) {
        printf("  name %s\n", names[i]);
        free(names[i]);
    }
    n = virConnectListAllDomains(conn, &doms, 0);
    reportInt("virConnectListAllDomains(0)", n);
    for (int i = 0; i < n; i++) {
        printf("  %s\n", virDomainGetName(doms[i]));
        virDomainFree(doms[i]);
    }
    free(doms);
    reportInt("virConnectListAllDomains(ACTIVE)",
              virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_ACTIVE));
    reportInt("virConnectListAllDomains(INACTIVE)",
              virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_INACTIVE));
    reportInt("virConnectListAllDomains(PAUSED)",
              virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_PAUSED));
    reportInt("virConnectListAllDomains(PERSISTENT|RUNNING)",
              virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_PERSISTENT |
                                                       VIR_CONNECT_LIST_DOMAINS_RUNNING));
}

static void
testLookups(virConnectPtr conn)
{
    virDomainPtr dom;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    char *os;

    dom = virDomainLookupByID(conn, 1);
    reportPtr("virDomainLookupByID(1)", dom);
    if (dom) {
        printf("  name=%s id=%u\n", virDomainGetName(dom), virDomainGetID(dom));
        reportInt("virDomainGetUUID", virDomainGetUUID(dom, uuid));
        reportInt("virDomainGetUUIDString", virDomainGetUUIDString(dom, uuidstr));
        printf("  uuid=%s\n", uuidstr);
        os = virDomainGetOSType(dom);
        printf("virDomainGetOSType: %s\n", os ? os : "(error)");
        free(os);
        virDomainFree(dom);
        dom = virDomainLookupByUUID(conn, uuid);
        reportPtr("virDomainLookupByUUID", dom);
        if (dom)
            virDomainFree(dom);
    }
    reportPtr("virDomainLookupByID(99)", virDomainLookupByID(conn, 99));
    reportPtr("virDomainLookupByName(nosuch)", virDomainLookupByName(conn, "nosuch"));
    dom = virDomainLookupByUUIDString(conn, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    reportPtr("virDomainLookupByUUIDString", dom);
    if (dom)
        virDomainFree(dom);
    reportPtr("virDomainLookupByUUIDString(bad)", virDomainLookupByUUIDString(conn, "xyz"));
    reportPtr("virDomainLookupByUUIDString(unknown)",
              virDomainLookupByUUIDString(conn, "00000000-0000-0000-0000-00000000abcd"));
}

static void
testDefaultDomain(virConnectPtr conn)
{
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    char *xml;
    int autostart = -1;

    reportPtr("virDomainLookupByName(test)", dom);
    if (!dom)
        return;
    printInfo("virDomainGetInfo", dom);
    printState("virDomainGetState", dom);
    xml = virDomainGetXMLDesc(dom, 0);
    printf("virDomainGetXMLDesc: %s\n",
           xml && strstr(xml, "<name>test</name>") && strstr(xml, "id='1'") ? "has name and id"
                                                                             : "bad");
    free(xml);
    printf("virDomainGetMaxMemory: %lu\n", virDomainGetMaxMemory(dom));
    reportInt("virDomainGetMaxVcpus", virDomainGetMaxVcpus(dom));
    reportInt("virDomainIsActive", virDomainIsActive(dom));
    reportInt("virDomainIsPersistent", virDomainIsPersistent(dom));
    reportInt("virDomainGetAutostart", virDomainGetAutostart(dom, &autostart));
    printf("  autostart=%d\n", autostart);
    reportInt("virDomainSetAutostart(1)", virDomainSetAutostart(dom, 1));
    virDomainGetAutostart(dom, &autostart);
    printf("  autostart=%d\n", autostart);
    reportInt("virDomainSetAutostart(0)", virDomainSetAutostart(dom, 0));
    virDomainFree(dom);
}

static void
testLifecycle(virConnectPtr conn)
{
    virDomainPtr dom = virDomainDefineXML(conn, newDomainXML);
    virDomainPtr dup;
    virVcpuInfo vinfo[8];
    unsigned char cpumaps[8 * 2];
    unsigned char pin[2] = {0x05, 0x00};
    int n;

    reportPtr("virDomainDefineXML", dom);
    if (!dom)
        return;
    printf("  id=%d\n", (int)virDomainGetID(dom));
    printState("virDomainGetState(defined)", dom);
    printInfo("virDomainGetInfo(defined)", dom);
    reportInt("virConnectNumOfDefinedDomains", virConnectNumOfDefinedDomains(conn));
    reportInt("virDomainSuspend(inactive)", virDomainSuspend(dom));
    reportInt("virDomainGetVcpus(inactive)", virDomainGetVcpus(dom, vinfo, 8, NULL, 0));
    reportInt("virDomainSetVcpusFlags(2,CONFIG)",
              virDomainSetVcpusFlags(dom, 2, VIR_DOMAIN_AFFECT_CONFIG));
    reportInt("virDomainGetVcpusFlags(CONFIG)", virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG));
    reportInt("virDomainGetVcpusFlags(CONFIG|MAX)",
              virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM));
    reportInt("virDomainSetVcpusFlags(9,CONFIG)",
              virDomainSetVcpusFlags(dom, 9, VIR_DOMAIN_AFFECT_CONFIG));
    reportInt("virDomainCreate", virDomainCreate(dom));
    reportInt("virDomainCreate(again)", virDomainCreate(dom));
    printState("virDomainGetState(started)", dom);
    printInfo("virDomainGetInfo(started)", dom);
    dup = virDomainDefineXML(conn, "<domain type='test'><name>apitest</name>"
                                   "<memory>1024</memory><os><type>hvm</type></os></domain>");
    reportPtr("virDomainDefineXML(same name, other uuid)", dup);
    reportInt("virDomainSuspend", virDomainSuspend(dom));
    printState("virDomainGetState(suspended)", dom);
    reportInt("virDomainSuspend(again)", virDomainSuspend(dom));
    reportInt("virDomainResume", virDomainResume(dom));
    printState("virDomainGetState(resumed)", dom);
    reportInt("virDomainResume(again)", virDomainResume(dom));

    reportInt("virDomainSetMemory(131072)", virDomainSetMemory(dom, 131072));
    printInfo("virDomainGetInfo(setmem)", dom);
    reportInt("virDomainSetMemory(too big)", virDomainSetMemory(dom, 9999999));
    reportInt("virDomainSetMaxMemory(393216)", virDomainSetMaxMemory(dom, 393216));
    printInfo("virDomainGetInfo(setmaxmem)", dom);

    n = virDomainGetVcpus(dom, vinfo, 8, cpumaps, 2);
    reportInt("virDomainGetVcpus", n);
    for (int i = 0; i < n; i++)
        printf("  vcpu %u state=%d\n", vinfo[i].number, vinfo[i].state);
    reportInt("virDomainPinVcpu(0, 0+2)", virDomainPinVcpu(dom, 0, pin, 2));
    n = virDomainGetVcpus(dom, vinfo, 8, cpumaps, 2);
    for (int i = 0; i < n; i++)
        printf("  vcpu %u map=%02x%02x usable0=%d usable1=%d usable2=%d\n", vinfo[i].number,
               cpumaps[i * 2], cpumaps[i * 2 + 1], VIR_CPU_USABLE(cpumaps, 2, i, 0) ? 1 : 0,
               VIR_CPU_USABLE(cpumaps, 2, i, 1) ? 1 : 0, VIR_CPU_USABLE(cpumaps, 2, i, 2) ? 1 : 0);
    reportInt("virDomainPinVcpu(7)", virDomainPinVcpu(dom, 7, pin, 2));
    reportInt("virDomainSetVcpus(1)", virDomainSetVcpus(dom, 1));
    reportInt("virDomainGetVcpusFlags(LIVE)", virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE));
    reportInt("virDomainSetVcpus(5)", virDomainSetVcpus(dom, 5));

    reportInt("virDomainAttachDevice", virDomainAttachDevice(dom, diskXML));
    reportInt("virDomainAttachDevice(again)", virDomainAttachDevice(dom, diskXML));
    {
        char *xml = virDomainGetXMLDesc(dom, 0);
        printf("  live xml has hdb: %s\n", xml && strstr(xml, "dev='hdb'") ? "yes" : "no");
        free(xml);
        xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
        printf("  inactive xml has hdb: %s\n", xml && strstr(xml, "dev='hdb'") ? "yes" : "no");
        free(xml);
    }
    reportInt("virDomainDetachDevice", virDomainDetachDevice(dom, diskXML));
    reportInt("virDomainDetachDevice(again)", virDomainDetachDevice(dom, diskXML));

    reportInt("virDomainReboot", virDomainReboot(dom, 0));
    printState("virDomainGetState(rebooted)", dom);
    reportInt("virDomainShutdown", virDomainShutdown(dom));
    printState("virDomainGetState(shutdown)", dom);
    reportInt("virDomainShutdown(again)", virDomainShutdown(dom));
    reportInt("virDomainCreateWithFlags(PAUSED)",
              virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED));
    printState("virDomainGetState(started paused)", dom);
    reportInt("virDomainDestroy", virDomainDestroy(dom));
    printState("virDomainGetState(destroyed)", dom);
    reportInt("virDomainDestroy(again)", virDomainDestroy(dom));
    reportInt("virDomainUndefine", virDomainUndefine(dom));
    reportInt("virDomainUndefine(again)", virDomainUndefine(dom));
    virDomainFree(dom);
}

static void
testTransient(virConnectPtr conn)
{
    virDomainPtr dom = virDomainCreateXML(conn, newDomainXML, 0);

    reportPtr("virDomainCreateXML", dom);
    if (!dom)
        return;
    reportInt("virDomainIsPersistent", virDomainIsPersistent(dom));
    reportPtr("virDomainCreateXML(again)", virDomainCreateXML(conn, newDomainXML, 0));
    reportInt("virDomainSetAutostart(transient)", virDomainSetAutostart(dom, 1));
    reportInt("virDomainUndefine(transient)", virDomainUndefine(dom));
    reportInt("virDomainDestroy", virDomainDestroy(dom));
    reportPtr("virDomainLookupByName(after destroy)", virDomainLookupByName(conn, "apitest"));
    virDomainFree(dom);
    reportPtr("virDomainCreateXML(bad xml)", virDomainCreateXML(conn, "<domain", 0));
    reportPtr("virDomainDefineXML(bad xml)", virDomainDefineXML(conn, "not xml"));
}

static void
testSchedAndStats(virConnectPtr conn)
{
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virSchedParameter params[4];
    virDomainBlockStatsStruct bs;
    virDomainInterfaceStatsStruct is;
    int nparams = 0;
    char *type;

    if (!dom)
        return;
    type = virDomainGetSchedulerType(dom, &nparams);
    printf("virDomainGetSchedulerType: %s nparams=%d\n", type ? type : "(error)", nparams);
    free(type);
    nparams = 4;
    reportInt("virDomainGetSchedulerParameters", virDomainGetSchedulerParameters(dom, params, &nparams));
    for (int i = 0; i < nparams; i++)
        printf("  %s type=%d value=%u\n", params[i].field, params[i].type, params[i].value.ui);
    params[0].value.ui = 100;
    reportInt("virDomainSetSchedulerParameters", virDomainSetSchedulerParameters(dom, params, 1));
    nparams = 4;
    virDomainGetSchedulerParameters(dom, params, &nparams);
    printf("  weight now %u\n", params[0].value.ui);
    params[0].value.ui = 50;
    virDomainSetSchedulerParameters(dom, params, 1);

    reportInt("virDomainBlockStats(vda)", virDomainBlockStats(dom, "vda", &bs, sizeof(bs)));
    printf("  errs>=0: %s\n", bs.errs >= 0 ? "yes" : "no");
    reportInt("virDomainBlockStats(nosuch)", virDomainBlockStats(dom, "nosuch", &bs, sizeof(bs)));
    reportInt("virDomainInterfaceStats(testnet0)",
              virDomainInterfaceStats(dom, "testnet0", &is, sizeof(is)));
    reportInt("virDomainInterfaceStats(vnet0)", virDomainInterfaceStats(dom, "vnet0", &is, sizeof(is)));
    virDomainFree(dom);
}

static void
testErrors(virConnectPtr conn)
{
    virError copy;
    virErrorPtr err;
    virConnectPtr ro;
    virDomainPtr dom;

    memset(&copy, 0, sizeof(copy));
    virResetLastError();
    printf("virGetLastError after reset: %s\n", virGetLastError() ? "set" : "NULL");
    reportInt("virConnectNumOfDomains(NULL)", virConnectNumOfDomains(NULL));
    reportPtr("virDomainLookupByName(nosuch)", virDomainLookupByName(conn, "nosuch"));
    err = virGetLastError();
    printf("virGetLastError: code=%d level=%d has message=%s\n", err ? err->code : -1,
           err ? (int)err->level : -1, err && err->message ? "yes" : "no");
    printf("virCopyLastError: %d\n", virCopyLastError(&copy));
    printf("  copy code=%d\n", copy.code);
    virResetError(&copy);
    err = virConnGetLastError(conn);
    printf("virConnGetLastError: code=%d\n", err ? err->code : -1);

    virSetErrorFunc(NULL, countingHandler);
    handlerCalls = 0;
    virDomainLookupByName(conn, "nosuch2");
    printf("virSetErrorFunc: handler calls=%d\n", handlerCalls);
    /* handlers run when a public call fails, never on success */
    handlerCalls = 0;
    dom = virDomainLookupByName(conn, "test");
    if (dom) {
        virDomainInfo info;
        char *xml = virDomainGetXMLDesc(dom, 0);
        virDomainGetInfo(dom, &info);
        free(xml);
        virDomainFree(dom);
    }
    printf("virSetErrorFunc: handler calls for successful calls=%d\n", handlerCalls);
    /* a connection's handler replaces the global one for its calls; calls
     * with no valid connection go to the global one */
    handlerCalls = connHandlerCalls = 0;
    virConnSetErrorFunc(conn, NULL, countingConnHandler);
    virDomainLookupByName(conn, "nosuch3");
    printf("virConnSetErrorFunc: conn handler calls=%d, global handler calls=%d\n",
           connHandlerCalls, handlerCalls);
    handlerCalls = connHandlerCalls = 0;
    virConnectNumOfDomains(NULL);
    printf("  invalid connection: conn handler calls=%d, global handler calls=%d\n",
           connHandlerCalls, handlerCalls);
    virConnSetErrorFunc(conn, NULL, NULL);
    virSetErrorFunc(NULL, NULL);

    ro = virConnectOpenReadOnly("test:///default");
    reportPtr("virConnectOpenReadOnly", ro);
    if (ro) {
        dom = virDomainLookupByName(ro, "test");
        reportPtr("  lookup on read-only", dom);
        reportInt("  virDomainSuspend on read-only", virDomainSuspend(dom));
        reportInt("  virDomainSetMemory on read-only", virDomainSetMemory(dom, 1024));
        reportPtr("  virDomainDefineXML on read-only", virDomainDefineXML(ro, newDomainXML));
        virDomainFree(dom);
        reportInt("virConnectRef", virConnectRef(ro));
        reportInt("virConnectClose(ref)", virConnectClose(ro));
        reportInt("virConnectClose", virConnectClose(ro));
    }
    reportPtr("virConnectOpen(bogus:///)", virConnectOpen("bogus:///"));
    reportPtr("virConnectOpen(test:///nonexistent.xml)",
              virConnectOpen("test:///nonexistent/host.xml"));
}

/* Every entry point refuses a NULL object or a NULL out-argument with
 * libvirt's error code (INVALID_CONN, INVALID_DOMAIN or INVALID_ARG). */
static void
testInvalidArguments(virConnectPtr conn)
{
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    unsigned long ul;
    int n = 1;
    virSchedParameter params[1];
    virVcpuInfo vinfo[1];
    unsigned char map[1] = {1};
    char *names[1];
    int ids[1];

    memset(params, 0, sizeof(params));
    reportPtr("virConnectGetType(NULL)", virConnectGetType(NULL));
    reportInt("virConnectGetVersion(NULL)", virConnectGetVersion(NULL, &ul));
    reportInt("virConnectGetVersion(conn, NULL)", virConnectGetVersion(conn, NULL));
    reportInt("virConnectGetLibVersion(NULL)", virConnectGetLibVersion(NULL, &ul));
    reportPtr("virConnectGetHostname(NULL)", virConnectGetHostname(NULL));
    reportPtr("virConnectGetURI(NULL)", virConnectGetURI(NULL));
    reportPtr("virConnectGetCapabilities(NULL)", virConnectGetCapabilities(NULL));
    reportInt("virConnectGetMaxVcpus(NULL)", virConnectGetMaxVcpus(NULL, NULL));
    reportInt("virConnectClose(NULL)", virConnectClose(NULL));
    reportInt("virConnectRef(NULL)", virConnectRef(NULL));
    reportInt("virConnectListDomains(-1)", virConnectListDomains(conn, ids, -1));
    reportInt("virConnectNumOfDefinedDomains(NULL)", virConnectNumOfDefinedDomains(NULL));
    reportInt("virConnectListDefinedDomains(-1)", virConnectListDefinedDomains(conn, names, -1));
    reportInt("virConnectListAllDomains(NULL)", virConnectListAllDomains(NULL, NULL, 0));
    reportPtr("virDomainCreateXML(NULL xml)", virDomainCreateXML(conn, NULL, 0));
    reportPtr("virDomainDefineXML(NULL xml)", virDomainDefineXML(conn, NULL));
    reportInt("virDomainUndefine(NULL)", virDomainUndefine(NULL));
    reportInt("virDomainCreate(NULL)", virDomainCreate(NULL));
    reportInt("virDomainSuspend(NULL)", virDomainSuspend(NULL));
    reportInt("virDomainResume(NULL)", virDomainResume(NULL));
    reportInt("virDomainShutdown(NULL)", virDomainShutdown(NULL));
    reportInt("virDomainReboot(NULL)", virDomainReboot(NULL, 0));
    reportInt("virDomainDestroy(NULL)", virDomainDestroy(NULL));
    reportInt("virDomainFree(NULL)", virDomainFree(NULL));
    reportInt("virDomainRef(NULL)", virDomainRef(NULL));
    reportInt("virDomainGetInfo(NULL)", virDomainGetInfo(NULL, NULL));
    reportInt("virDomainGetInfo(dom, NULL)", virDomainGetInfo(dom, NULL));
    reportInt("virDomainGetState(dom, NULL)", virDomainGetState(dom, NULL, NULL, 0));
    reportPtr("virDomainGetXMLDesc(NULL)", virDomainGetXMLDesc(NULL, 0));
    reportPtr("virDomainGetName(NULL)", virDomainGetName(NULL));
    printf("virDomainGetID(NULL): %d\n", (int)virDomainGetID(NULL));
    reportInt("virDomainGetUUID(dom, NULL)", virDomainGetUUID(dom, NULL));
    reportInt("virDomainGetUUIDString(dom, NULL)", virDomainGetUUIDString(dom, NULL));
    reportPtr("virDomainGetOSType(NULL)", virDomainGetOSType(NULL));
    printf("virDomainGetMaxMemory(NULL): %lu\n", virDomainGetMaxMemory(NULL));
    reportInt("virDomainSetMaxMemory(NULL)", virDomainSetMaxMemory(NULL, 1024));
    reportInt("virDomainSetMemory(dom, 0)", virDomainSetMemory(dom, 0));
    reportInt("virDomainSetVcpus(dom, 0)", virDomainSetVcpus(dom, 0));
    reportInt("virDomainGetVcpus(dom, NULL)", virDomainGetVcpus(dom, NULL, 1, NULL, 0));
    reportInt("virDomainGetVcpus(maxinfo 0)", virDomainGetVcpus(dom, vinfo, 0, NULL, 0));
    reportInt("virDomainPinVcpu(dom, NULL map)", virDomainPinVcpu(dom, 0, NULL, 1));
    reportInt("virDomainPinVcpu(maplen 0)", virDomainPinVcpu(dom, 0, map, 0));
    reportInt("virDomainGetMaxVcpus(NULL)", virDomainGetMaxVcpus(NULL));
    reportInt("virDomainGetAutostart(dom, NULL)", virDomainGetAutostart(dom, NULL));
    reportInt("virDomainSetAutostart(NULL)", virDomainSetAutostart(NULL, 1));
    reportInt("virDomainAttachDevice(dom, NULL)", virDomainAttachDevice(dom, NULL));
    reportInt("virDomainDetachDevice(NULL)", virDomainDetachDevice(NULL, "<disk/>"));
    reportPtr("virDomainGetSchedulerType(NULL)", virDomainGetSchedulerType(NULL, &n));
    reportInt("virDomainGetSchedulerParameters(dom, NULL)",
              virDomainGetSchedulerParameters(dom, NULL, &n));
    reportInt("virDomainSetSchedulerParameters(NULL)",
              virDomainSetSchedulerParameters(NULL, params, 1));
    reportInt("virDomainBlockStats(dom, NULL)", virDomainBlockStats(dom, NULL, NULL, 0));
    reportInt("virDomainInterfaceStats(NULL)", virDomainInterfaceStats(NULL, "x", NULL, 0));
    reportPtr("virConnectDomainXMLFromNative(NULL)",
              virConnectDomainXMLFromNative(NULL, "xen-xm", "name='x'", 0));
    reportPtr("virConnectDomainXMLToNative(NULL)",
              virConnectDomainXMLToNative(NULL, "xen-xm", "<domain/>", 0));
    printf("virDomainGetConnect(NULL): %s\n", virDomainGetConnect(NULL) ? "conn" : "NULL");
    printf("virCopyLastError(NULL): %d\n", virCopyLastError(NULL));
    if (dom)
        virDomainFree(dom);
}

int
main(void)
{
    virConnectPtr conn;

    virSetErrorFunc(NULL, countingHandler); /* keep libvirt from printing */
    conn = virConnectOpen("test:///default");
    reportPtr("virConnectOpen", conn);
    if (!conn)
        return 1;
    virSetErrorFunc(NULL, NULL);
    virSetErrorFunc(NULL, countingHandler);

    testConnection(conn);
    testListing(conn);
    testLookups(conn);
    testDefaultDomain(conn);
    testLifecycle(conn);
    testTransient(conn);
    testSchedAndStats(conn);
    testErrors(conn);
    testInvalidArguments(conn);
    virSetErrorFunc(NULL, countingHandler);
    reportInt("virConnectClose", virConnectClose(conn));
    return 0;
}
