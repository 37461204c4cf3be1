/*
 * xen_common.c: what xend's SXP records and the /etc/xen config files
 * (xm and xl) have in common, so that the three converters read and write
 * it one way (see xen_common.h).
 *
 * The character-device, sound, boot-order, CPU-list and vif-rate syntax,
 * the order libvirt inserts disks in, and the defaults libvirt's Xen
 * drivers add to a domain read from any native format.  Split out of
 * xen_sxpr.c, where it began because xend came first: it is not about SXP,
 * and keeping it there made the xm and xl readers depend on the SXP file.
 * Its errors keep the SEXPR error domain they carried before the split.
 * Pure: no I/O, no global state.
 */
#define XV_FROM VIR_FROM_SEXPR
#include "xenconfig/xen_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

/* Inserted where libvirt's XML parser would put it (virDomainDiskInsert):
 * before the first later disk on the same bus, else after the last disk
 * on that bus, else at the end; so that native -> XML -> native keeps the
 * order. */
void
xvXenAddDisk(xvDomainDef *def, xvDomainDiskDef *disk)
{
    int idx = xvXenDiskNameToIndex(disk->dst ? disk->dst : "");
    ssize_t at = -1;

    for (ssize_t i = (ssize_t)def->ndisks - 1; i >= 0; i--) {
        if (def->disks[i]->bus != disk->bus)
            continue;
        if (xvXenDiskNameToIndex(def->disks[i]->dst ? def->disks[i]->dst : "") > idx)
            at = i;
        else if (at == -1)
            at = i + 1;
    }
    if (at < 0)
        at = def->ndisks;
    def->disks = g_renew(xvDomainDiskDef *, def->disks, def->ndisks + 1);
    memmove(def->disks + at + 1, def->disks + at, (def->ndisks - at) * sizeof(*def->disks));
    def->disks[at] = disk;
    def->ndisks++;
}

int
xvXenCanonicalCpuset(const char *str, char **out)
{
    g_autofree bool *bits = g_new0(bool, XV_DOMAIN_MAX_VCPUS);
    g_auto(GStrv) parts = g_strsplit(str, ",", -1);
    g_autoptr(GString) buf = g_string_new(NULL);

    for (size_t i = 0; parts[i]; i++) {
        char *p = g_strstrip(parts[i]);
        bool neg = *p == '^';
        char *end = NULL;
        unsigned long lo, hi;

        if (neg)
            p++;
        if (!g_ascii_isdigit(*p))
            goto bad;
        lo = strtoul(p, &end, 10);
        hi = lo;
        if (*end == '-') {
            p = end + 1;
            if (neg || !g_ascii_isdigit(*p))
                goto bad;
            hi = strtoul(p, &end, 10);
        }
        if (*end || lo > hi || hi >= XV_DOMAIN_MAX_VCPUS)
            goto bad;
        for (unsigned long c = lo; c <= hi; c++)
            bits[c] = !neg;
    }
    for (unsigned int c = 0; c < XV_DOMAIN_MAX_VCPUS; c++) {
        unsigned int e = c;

        if (!bits[c])
            continue;
        while (e + 1 < XV_DOMAIN_MAX_VCPUS && bits[e + 1])
            e++;
        if (buf->len)
            g_string_append_c(buf, ',');
        if (e > c)
            g_string_append_printf(buf, "%u-%u", c, e);
        else
            g_string_append_printf(buf, "%u", c);
        c = e;
    }
    if (!buf->len)
        goto bad;
    *out = g_string_free(g_steal_pointer(&buf), FALSE);
    return 0;

 bad:
    xvReportError(VIR_ERR_CONF_SYNTAX,
                  "cpus '%s' is not a CPU list (e.g. 0-3,^2) of CPUs below %d", str,
                  XV_DOMAIN_MAX_VCPUS);
    return -1;
}

void
xvXenAddNet(xvDomainDef *def, xvDomainNetDef *net)
{
    def->nets = g_renew(xvDomainNetDef *, def->nets, def->nnets + 1);
    def->nets[def->nnets++] = net;
}

void
xvXenAddChr(xvDomainChrDef ***list, size_t *n, xvDomainChrDef *chr)
{
    *list = g_renew(xvDomainChrDef *, *list, *n + 1);
    (*list)[(*n)++] = chr;
}

void
xvXenAddGraphics(xvDomainDef *def, xvDomainGraphicsDef *gr)
{
    def->graphics = g_renew(xvDomainGraphicsDef *, def->graphics, def->ngraphics + 1);
    def->graphics[def->ngraphics++] = gr;
}

void
xvXenAddHostdev(xvDomainDef *def, xvDomainHostdevDef *hostdev)
{
    def->hostdevs = g_renew(xvDomainHostdevDef *, def->hostdevs, def->nhostdevs + 1);
    def->hostdevs[def->nhostdevs++] = hostdev;
}

void
xvXenAddInput(xvDomainDef *def, const char *type, const char *bus)
{
    xvDomainInputDef *input = g_new0(xvDomainInputDef, 1);

    input->type = g_strdup(type);
    input->bus = g_strdup(bus);
    def->inputs = g_renew(xvDomainInputDef *, def->inputs, def->ninputs + 1);
    def->inputs[def->ninputs++] = input;
}

void
xvXenAddController(xvDomainDef *def, const char *type, unsigned int index)
{
    xvDomainControllerDef *ctrl = g_new0(xvDomainControllerDef, 1);

    ctrl->type = g_strdup(type);
    ctrl->index = index;
    def->controllers = g_renew(xvDomainControllerDef *, def->controllers,
                               def->ncontrollers + 1);
    def->controllers[def->ncontrollers++] = ctrl;
}

void
xvXenSetHpet(xvDomainDef *def, bool present)
{
    xvDomainTimerDef *timer = NULL;

    for (size_t i = 0; i < def->ntimers; i++)
        if (def->timers[i]->name == XV_TIMER_HPET)
            timer = def->timers[i];
    if (!timer) {
        timer = g_new0(xvDomainTimerDef, 1);
        timer->name = XV_TIMER_HPET;
        def->timers = g_renew(xvDomainTimerDef *, def->timers, def->ntimers + 1);
        def->timers[def->ntimers++] = timer;
    }
    timer->present = present ? XV_TRISTATE_YES : XV_TRISTATE_NO;
    def->timer_hpet = timer->present;
}

int
xvXenDiskNameToIndex(const char *name)
{
    static const char *const prefixes[] = {"xvd", "hd", "sd", "vd", "fd"};
    const char *p = NULL;
    int idx = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(prefixes) && !p; i++)
        if (g_str_has_prefix(name, prefixes[i]))
            p = name + strlen(prefixes[i]);
    if (!p || !*p)
        return -1;
    /* a..z, then aa..zz, as libvirt counts them; a partition number may follow */
    for (; *p >= 'a' && *p <= 'z'; p++) {
        if (idx > 100000)
            return -1;
        idx = idx * 26 + (*p - 'a' + 1);
    }
    if (idx == 0 || (*p && !g_ascii_isdigit(*p)))
        return -1;
    idx--;
    return idx;
}

/* Xen's boot letters (qemu's -boot): floppy, disk, cdrom, network. */
static const char bootLetters[XV_DOMAIN_BOOT_LAST] = {
    [XV_DOMAIN_BOOT_FD] = 'a',
    [XV_DOMAIN_BOOT_HD] = 'c',
    [XV_DOMAIN_BOOT_CDROM] = 'd',
    [XV_DOMAIN_BOOT_NETWORK] = 'n',
};

void
xvXenParseBoot(xvDomainDef *def, const char *boot)
{
    def->nboot = 0;
    for (; boot && *boot && def->nboot < XV_DOMAIN_BOOT_LAST; boot++) {
        size_t b;

        for (b = 0; b < XV_DOMAIN_BOOT_LAST && bootLetters[b] != *boot; b++)
            ;
        /* an unknown letter boots from disk, as libvirt reads it */
        def->boot[def->nboot++] = b < XV_DOMAIN_BOOT_LAST ? b : XV_DOMAIN_BOOT_HD;
    }
}

char *
xvXenFormatBoot(const xvDomainDef *def)
{
    char *boot = g_new0(char, XV_DOMAIN_BOOT_LAST + 1);
    size_t n = 0;

    for (size_t i = 0; i < def->nboot && i < XV_DOMAIN_BOOT_LAST; i++)
        boot[n++] = bootLetters[def->boot[i]];
    if (n == 0)
        boot[n++] = 'c';
    return boot;
}

/* Sets the drive address libvirt assigns to IDE and SCSI disks. */
static void
assignDiskAddress(xvDomainDiskDef *disk)
{
    int idx;

    if (disk->has_address)
        return;
    if (disk->bus != XV_DISK_BUS_IDE && disk->bus != XV_DISK_BUS_SCSI)
        return;
    if ((idx = xvXenDiskNameToIndex(disk->dst)) < 0)
        return;
    disk->has_address = true;
    if (disk->bus == XV_DISK_BUS_IDE) {
        disk->addr_controller = idx / 4;
        disk->addr_bus = (idx % 4) / 2;
        disk->addr_unit = idx % 2;
    } else {
        disk->addr_controller = idx / 7;
        disk->addr_bus = 0;
        disk->addr_unit = idx % 7;
    }
    disk->addr_target = 0;
}

static bool
hasController(const xvDomainDef *def, const char *type)
{
    for (size_t i = 0; i < def->ncontrollers; i++)
        if (g_strcmp0(def->controllers[i]->type, type) == 0)
            return true;
    return false;
}

static bool
hasInput(const xvDomainDef *def, const char *type, const char *bus)
{
    for (size_t i = 0; i < def->ninputs; i++)
        if (g_strcmp0(def->inputs[i]->type, type) == 0 &&
            g_strcmp0(def->inputs[i]->bus, bus) == 0)
            return true;
    return false;
}

static xvDomainChrDef *
chrCopy(const xvDomainChrDef *src)
{
    xvDomainChrDef *chr = g_new0(xvDomainChrDef, 1);

    *chr = *src;
    chr->path = g_strdup(src->path);
    chr->host = g_strdup(src->host);
    chr->service = g_strdup(src->service);
    chr->bind_host = g_strdup(src->bind_host);
    chr->bind_service = g_strdup(src->bind_service);
    chr->protocol = g_strdup(src->protocol);
    chr->target_type = g_strdup(src->target_type);
    chr->target_name = g_strdup(src->target_name);
    return chr;
}

int
xvXenDomainDefAddDefaults(xvDomainDef *def, xvXenDefaultsStyle style, const char *arch)
{
    bool hvm = def->os_type == XV_DOMAIN_OS_HVM;
    bool ide = false;
    const char *bus = hvm ? "ps2" : "xen";

    for (size_t i = 0; i < def->ndisks; i++) {
        /* as libvirt's XML validation: only removable media may be empty */
        if (!def->disks[i]->src && def->disks[i]->device == XV_DISK_DEVICE_DISK) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "disk '%s' has no source; only a CD-ROM or floppy may be empty",
                          def->disks[i]->dst);
            return -1;
        }
        assignDiskAddress(def->disks[i]);
        if (def->disks[i]->bus == XV_DISK_BUS_IDE)
            ide = true;
    }
    if (style == XV_XEN_DEFAULTS_LIBXL) {
        if (arch && !def->os_arch)
            def->os_arch = g_strdup(arch);
        if (!def->os_machine)
            def->os_machine = g_strdup(def->os_type == XV_DOMAIN_OS_HVM ? "xenfv" :
                                       def->os_type == XV_DOMAIN_OS_XENPVH ? "xenpvh" :
                                       "xenpv");
        /* xenbus first, as libvirt's post-parse inserts it */
        /* after the controllers the config named (usb), before ide */
        if (!hasController(def, "xenbus"))
            xvXenAddController(def, "xenbus", 0);
        if (ide && !hasController(def, "ide"))
            xvXenAddController(def, "ide", 0);
    }

    /* The console: a PV guest's is its xen console; an HVM guest's mirrors
     * its first serial port (libvirt's compatibility console). */
    if (hvm && def->nserials > 0 && def->nconsoles == 0) {
        xvDomainChrDef *con = chrCopy(def->serials[0]);

        con->device = XV_CHR_DEVICE_CONSOLE;
        g_free(con->target_type);
        con->target_type = g_strdup("serial");
        con->has_target_port = true;
        con->target_port = xvXenSerialPort(def, 0);
        xvXenAddChr(&def->consoles, &def->nconsoles, con);
    }

    if (style == XV_XEN_DEFAULTS_LIBXL || def->ngraphics > 0) {
        if (!hasInput(def, "mouse", bus))
            xvXenAddInput(def, "mouse", bus);
        if (!hasInput(def, "keyboard", bus))
            xvXenAddInput(def, "keyboard", bus);
    }

    if (style == XV_XEN_DEFAULTS_LIBXL && def->ngraphics > 0 && def->nvideos == 0) {
        xvDomainVideoDef *video = g_new0(xvDomainVideoDef, 1);

        video->model = g_strdup(hvm ? "cirrus" : "xen");
        video->has_vram = true;
        video->vram = hvm ? 8192 : 4096;
        video->has_heads = true;
        video->heads = 1;
        video->primary = XV_TRISTATE_YES;
        def->videos = g_new0(xvDomainVideoDef *, 1);
        def->videos[0] = video;
        def->nvideos = 1;
    }
    if (!def->memballoon_model)
        def->memballoon_model = g_strdup("xen");

    /* The rules a domain must follow (unicast MACs, valid disk names,
     * port ranges ...) live in one place, the XML parser; a native config
     * is held to the same rules by reading its XML back, so that nothing
     * we accept here is refused later by define or dumpxml consumers.
     * (Rejected: a second copy of those checks in every converter.) */
    {
        g_autofree char *xml = xvDomainDefFormat(def, XV_DOMAIN_FORMAT_SECURE);
        g_autoptr(xvDomainDef) check = xml ? xvDomainDefParseString(xml) : NULL;

        if (!check)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Character devices, sound, rates: the syntax xend and xm/xl share    */

xvDomainChrDef *
xvXenParseChr(const char *value, const char *tty)
{
    g_autoptr(xvDomainChrDef) chr = g_new0(xvDomainChrDef, 1);
    g_autofree char *prefix = NULL;
    const char *rest = "";
    int type;

    if (!value || !*value) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "empty character device string");
        return NULL;
    }
    if (value[0] == '/') {
        chr->type = XV_CHR_TYPE_DEV;
        chr->path = g_strdup(value);
        return g_steal_pointer(&chr);
    }
    if (strchr(value, ':')) {
        prefix = g_strndup(value, strchr(value, ':') - value);
        rest = strchr(value, ':') + 1;
    } else {
        prefix = g_strdup(value);
    }
    if (g_str_has_prefix(prefix, "telnet")) {
        chr->type = XV_CHR_TYPE_TCP;
        chr->protocol = g_strdup("telnet");
    } else if ((type = xvChrTypeTypeFromString(prefix)) < 0) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "unknown chr device type '%s' in '%s'",
                      prefix, value);
        return NULL;
    } else {
        chr->type = type;
    }

    switch (chr->type) {
    case XV_CHR_TYPE_PTY:
        chr->path = g_strdup(tty);
        break;
    case XV_CHR_TYPE_FILE:
    case XV_CHR_TYPE_PIPE:
        chr->path = g_strdup(rest);
        break;
    case XV_CHR_TYPE_TCP:
    case XV_CHR_TYPE_UDP: {
        const char *colon = strchr(rest, ':');
        const char *at;

        if (!colon) {
            xvReportError(VIR_ERR_INTERNAL_ERROR,
                          "malformed char device string '%s': expected HOST:PORT", value);
            return NULL;
        }
        if (colon != rest)
            chr->host = g_strndup(rest, colon - rest);
        if (chr->type == XV_CHR_TYPE_TCP) {
            const char *comma = strchr(colon, ',');

            chr->service = comma ? g_strndup(colon + 1, comma - colon - 1) : g_strdup(colon + 1);
            if (comma && strstr(comma, ",server"))
                chr->listen = true;
            if (!chr->protocol)
                chr->protocol = g_strdup("raw");
        } else if ((at = strchr(colon, '@'))) {
            const char *colon2 = strchr(at, ':');

            chr->service = g_strndup(colon + 1, at - colon - 1);
            if (!colon2) {
                xvReportError(VIR_ERR_INTERNAL_ERROR,
                              "malformed char device string '%s': expected @HOST:PORT", value);
                return NULL;
            }
            if (colon2 > at + 1)
                chr->bind_host = g_strndup(at + 1, colon2 - at - 1);
            chr->bind_service = g_strdup(colon2 + 1);
        } else {
            chr->service = g_strdup(colon + 1);
        }
        break;
    }
    case XV_CHR_TYPE_UNIX: {
        const char *comma = strchr(rest, ',');

        chr->path = comma ? g_strndup(rest, comma - rest) : g_strdup(rest);
        if (comma && strstr(comma, ",server"))
            chr->listen = true;
        break;
    }
    default:
        break;
    }
    return g_steal_pointer(&chr);
}

int
xvXenCheckSpecValue(const char *what, const char *value, const char *forbidden)
{
    if (value && strpbrk(value, forbidden)) {
        xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "%s '%s' contains one of \"%s\", which the Xen config syntax cannot express",
                      what, value, forbidden);
        return -1;
    }
    return 0;
}

char *
xvXenFormatChr(const xvDomainChrDef *chr)
{
    const char *type = xvChrTypeTypeToString(chr->type);

    /* ',' separates the options (",server,nowait"), ':' and '@' the fields */
    if (xvXenCheckSpecValue("character device path", chr->path,
                            chr->type == XV_CHR_TYPE_DEV ? "" : ",") < 0 ||
        xvXenCheckSpecValue("character device host", chr->host, ",:@") < 0 ||
        xvXenCheckSpecValue("character device service", chr->service, ",:@") < 0 ||
        xvXenCheckSpecValue("character device host", chr->bind_host, ",:@") < 0 ||
        xvXenCheckSpecValue("character device service", chr->bind_service, ",:@") < 0)
        return NULL;

    switch (chr->type) {
    case XV_CHR_TYPE_NULL:
    case XV_CHR_TYPE_STDIO:
    case XV_CHR_TYPE_VC:
    case XV_CHR_TYPE_PTY:
        return g_strdup(type);
    case XV_CHR_TYPE_FILE:
    case XV_CHR_TYPE_PIPE:
        return g_strdup_printf("%s:%s", type, chr->path ? chr->path : "");
    case XV_CHR_TYPE_DEV:
        return g_strdup(chr->path ? chr->path : "");
    case XV_CHR_TYPE_TCP:
        return g_strdup_printf("%s:%s:%s%s",
                               g_strcmp0(chr->protocol, "telnet") == 0 ? "telnet" : "tcp",
                               chr->host ? chr->host : "", chr->service ? chr->service : "",
                               chr->listen ? ",server,nowait" : "");
    case XV_CHR_TYPE_UDP:
        return g_strdup_printf("udp:%s:%s@%s:%s",
                               chr->host ? chr->host : "", chr->service ? chr->service : "",
                               chr->bind_host ? chr->bind_host : "",
                               chr->bind_service ? chr->bind_service : "");
    case XV_CHR_TYPE_UNIX:
        return g_strdup_printf("unix:%s%s", chr->path ? chr->path : "",
                               chr->listen ? ",server,nowait" : "");
    default:
        break;
    }
    xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported chr device type '%s'",
                  type ? type : "?");
    return NULL;
}

/* The sound models libvirt knows (a soundhw name outside it is an error). */
static const char *const soundModels[] = {
    "sb16", "es1370", "pcspk", "ac97", "ich6", "ich9", "usb", "ich7",
};

int
xvXenParseSound(xvDomainDef *def, const char *str)
{
    g_auto(GStrv) models = NULL;

    /* xend accepted soundhw='all'; libvirt maps it to the two models Xen's
     * qemu-dm historically had. */
    if (g_strcmp0(str, "all") == 0)
        models = g_strsplit("sb16,es1370", ",", -1);
    else
        models = g_strsplit(str, ",", -1);

    for (size_t i = 0; models[i]; i++) {
        xvDomainSoundDef *sound;
        bool known = false;

        for (size_t j = 0; j < G_N_ELEMENTS(soundModels); j++)
            if (strcmp(models[i], soundModels[j]) == 0)
                known = true;
        if (!known) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown sound model '%s' in soundhw '%s'",
                          models[i], str);
            return -1;
        }
        sound = g_new0(xvDomainSoundDef, 1);
        sound->model = g_strdup(models[i]);
        def->sounds = g_renew(xvDomainSoundDef *, def->sounds, def->nsounds + 1);
        def->sounds[def->nsounds++] = sound;
    }
    return 0;
}

char *
xvXenFormatSound(const xvDomainDef *def)
{
    g_autoptr(GString) buf = g_string_new(NULL);

    if (def->nsounds == 0)
        return NULL;
    for (size_t i = 0; i < def->nsounds; i++) {
        if (i)
            g_string_append_c(buf, ',');
        g_string_append(buf, def->sounds[i]->model ? def->sounds[i]->model : "");
    }
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

static int
parseVifRate(const char *rate, unsigned long long *kbytes_per_sec)
{
    const char *p = rate;
    char *end = NULL;
    unsigned long long val;

    /* NUMBER [G|M|K] (B|b) "/s" [ "@" interval ] */
    if (!g_ascii_isdigit(*p))
        goto bad;
    errno = 0;
    val = g_ascii_strtoull(p, &end, 10);
    if (errno || end == p)
        goto bad;
    p = end;
    if (*p == 'G') {
        val *= 1024 * 1024;
        p++;
    } else if (*p == 'M') {
        val *= 1024;
        p++;
    } else if (*p == 'K') {
        p++;
    }
    if (*p == 'b')
        val /= 8;
    else if (*p != 'B')
        goto bad;
    p++;
    if (strncmp(p, "/s", 2) != 0)
        goto bad;
    p += 2;
    if (*p && *p != '@')
        goto bad;
    *kbytes_per_sec = val;
    return 0;

 bad:
    xvReportError(VIR_ERR_INTERNAL_ERROR, "invalid rate '%s' (expected e.g. 10MB/s)", rate);
    return -1;
}

int
xvXenSetVifRate(xvDomainNetDef *net, const char *rate)
{
    unsigned long long kbs;

    if (parseVifRate(rate, &kbs) < 0)
        return -1;
    net->bw_outbound.set = true;
    net->bw_outbound.average = kbs;
    return 0;
}

bool
xvXenParseMac(const char *str, unsigned char mac[6])
{
    unsigned int b[6];
    char tail;

    if (sscanf(str, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5], &tail) != 6)
        return false;
    for (int i = 0; i < 6; i++)
        mac[i] = b[i];
    return true;
}

void
xvXenAddFloppy(xvDomainDef *def, const char *dst, const char *path)
{
    xvDomainDiskDef *disk = g_new0(xvDomainDiskDef, 1);

    disk->type = XV_DISK_TYPE_FILE;
    disk->device = XV_DISK_DEVICE_FLOPPY;
    disk->src = g_strdup(path);
    disk->dst = g_strdup(dst);
    disk->bus = XV_DISK_BUS_FDC;
    xvXenAddDisk(def, disk);
}

int
xvXenSerialPort(const xvDomainDef *def, size_t i)
{
    return def->serials[i]->has_target_port ? def->serials[i]->target_port : (int)i;
}

int
xvXenSerialMaxPort(const xvDomainDef *def)
{
    int maxport = -1;

    for (size_t i = 0; i < def->nserials; i++)
        maxport = MAX(maxport, xvXenSerialPort(def, i));
    return maxport;
}

const xvDomainChrDef *
xvXenSerialAtPort(const xvDomainDef *def, int port)
{
    for (size_t i = 0; i < def->nserials; i++) {
        if (xvXenSerialPort(def, i) == port)
            return def->serials[i];
    }
    return NULL;
}
