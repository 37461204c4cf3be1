/*
 * domain_format.c: xvDomainDef -> libvirt domain XML, in the element order,
 * attribute order, quoting and two-space indentation libvirt 9 writes.
 *
 * Tools diff and grep dumpxml output, so the layout is part of the
 * interface: output is byte-stable for a given def.  The formatter writes
 * back what the parser kept; the only values it supplies itself are the
 * ones libvirt prints for every domain whether or not they were given
 * (currentMemory, vcpu placement, clock offset -- with adjustment and basis
 * for 'variable' --, the three lifecycle actions, disk device, vnc
 * autoport, hostdev managed), so our output looks like libvirt's for any
 * input.  It never invents devices (controllers, consoles, video) or
 * per-device defaults (disk bus, serial port numbers): that is a driver's
 * decision.  Live-only values (id, pty paths, a vnc port chosen
 * automatically) are left out with XV_DOMAIN_FORMAT_INACTIVE, passwords
 * unless XV_DOMAIN_FORMAT_SECURE.  Checked byte for byte against libvirt's
 * own expected XML in ../shared/vectors (tests/domainxml).
 */
#define XV_FROM VIR_FROM_DOMAIN
#include "conf/domain_conf.h"

#include <string.h>

#include "util/error.h"
#include "util/uuid.h"

/* Appends str with the five XML specials escaped the way libvirt does,
 * dropping control characters XML 1.0 cannot carry.  Unlike libvirt, the
 * white space a parser would normalise away (newline and tab in attribute
 * values, carriage return anywhere) is written as a character reference,
 * so that the value survives a round trip. */
static void
escapeFull(GString *buf, const char *str, bool inAttr)
{
    for (const char *p = str; *p; p++) {
        switch (*p) {
        case '<': g_string_append(buf, "&lt;"); break;
        case '>': g_string_append(buf, "&gt;"); break;
        case '&': g_string_append(buf, "&amp;"); break;
        case '\'': g_string_append(buf, "&apos;"); break;
        case '"': g_string_append(buf, "&quot;"); break;
        case '\r': g_string_append(buf, "&#13;"); break;
        case '\n':
            g_string_append(buf, inAttr ? "&#10;" : "\n");
            break;
        case '\t':
            g_string_append(buf, inAttr ? "&#9;" : "\t");
            break;
        default:
            if ((unsigned char)*p >= 0x20)
                g_string_append_c(buf, *p);
            break;
        }
    }
}

static void
escape(GString *buf, const char *str)
{
    escapeFull(buf, str, false);
}

static void
indent(GString *buf, int level)
{
    for (int i = 0; i < level; i++)
        g_string_append(buf, "  ");
}

/* " name='value'" if value is set. */
static void
attr(GString *buf, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(buf, " %s='", name);
    escapeFull(buf, value, true);
    g_string_append_c(buf, '\'');
}

static void
attrUInt(GString *buf, const char *name, unsigned long long value)
{
    g_string_append_printf(buf, " %s='%llu'", name, value);
}

static void
attrYesNo(GString *buf, const char *name, xvTristate value)
{
    if (value == XV_TRISTATE_YES)
        attr(buf, name, "yes");
    else if (value == XV_TRISTATE_NO)
        attr(buf, name, "no");
}

/* <name>text</name> on its own line if text is set.  An empty text is
 * not written: the parser reads an empty element as absent (as libvirt
 * does), and formatting must give back what parsing our output gives. */
static void
textElement(GString *buf, int level, const char *name, const char *text)
{
    if (!text || !*text)
        return;
    indent(buf, level);
    g_string_append_printf(buf, "<%s>", name);
    escape(buf, text);
    g_string_append_printf(buf, "</%s>\n", name);
}

/* Closes an element whose start tag (without '>') is already in buf: as
 * "/>" when children is empty, else with the children and an end tag. */
static void
closeElement(GString *buf, int level, const char *name, GString *children)
{
    if (children->len == 0) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append(buf, ">\n");
    g_string_append_len(buf, children->str, children->len);
    indent(buf, level);
    g_string_append_printf(buf, "</%s>\n", name);
}

/* ------------------------------------------------------------------ */

static void
formatDisk(GString *buf, int level, const xvDomainDiskDef *disk)
{
    g_autoptr(GString) child = g_string_new(NULL);

    indent(buf, level);
    g_string_append(buf, "<disk");
    attr(buf, "type", xvDiskTypeTypeToString(disk->type));
    attr(buf, "device", xvDiskDeviceTypeToString(disk->device));

    if (disk->driver_name || disk->driver_type) {
        indent(child, level + 1);
        g_string_append(child, "<driver");
        attr(child, "name", disk->driver_name);
        attr(child, "type", disk->driver_type);
        g_string_append(child, "/>\n");
    }
    if (disk->type == XV_DISK_TYPE_NETWORK) {
        g_autoptr(GString) hosts = g_string_new(NULL);

        indent(child, level + 1);
        g_string_append(child, "<source");
        attr(child, "protocol", disk->src_protocol);
        attr(child, "name", disk->src);
        for (size_t i = 0; i < disk->nhosts; i++) {
            indent(hosts, level + 2);
            g_string_append(hosts, "<host");
            attr(hosts, "name", disk->hosts[i].name);
            attr(hosts, "port", disk->hosts[i].port);
            g_string_append(hosts, "/>\n");
        }
        closeElement(child, level + 1, "source", hosts);
    } else if (disk->src && *disk->src) {
        indent(child, level + 1);
        g_string_append(child, "<source");
        attr(child, disk->type == XV_DISK_TYPE_BLOCK ? "dev" : "file", disk->src);
        g_string_append(child, "/>\n");
    }
    if (disk->backend_domain) {
        indent(child, level + 1);
        g_string_append(child, "<backenddomain");
        attr(child, "name", disk->backend_domain);
        g_string_append(child, "/>\n");
    }
    indent(child, level + 1);
    g_string_append(child, "<target");
    attr(child, "dev", disk->dst);
    if (disk->bus != XV_DISK_BUS_NONE)
        attr(child, "bus", xvDiskBusTypeToString(disk->bus));
    g_string_append(child, "/>\n");
    if (disk->readonly) {
        indent(child, level + 1);
        g_string_append(child, "<readonly/>\n");
    }
    if (disk->shareable) {
        indent(child, level + 1);
        g_string_append(child, "<shareable/>\n");
    }
    if (disk->has_address) {
        indent(child, level + 1);
        g_string_append(child, "<address type='drive'");
        attrUInt(child, "controller", disk->addr_controller);
        attrUInt(child, "bus", disk->addr_bus);
        attrUInt(child, "target", disk->addr_target);
        attrUInt(child, "unit", disk->addr_unit);
        g_string_append(child, "/>\n");
    }
    closeElement(buf, level, "disk", child);
}

static void
formatController(GString *buf, int level, const xvDomainControllerDef *ctrl)
{
    indent(buf, level);
    g_string_append(buf, "<controller");
    attr(buf, "type", ctrl->type);
    attrUInt(buf, "index", ctrl->index);
    attr(buf, "model", ctrl->model);
    if (ctrl->has_ports)
        attrUInt(buf, "ports", ctrl->ports);
    if (ctrl->has_max_grant_frames)
        attrUInt(buf, "maxGrantFrames", ctrl->max_grant_frames);
    if (ctrl->has_max_event_channels)
        attrUInt(buf, "maxEventChannels", ctrl->max_event_channels);
    g_string_append(buf, "/>\n");
}

/* libvirt 9 always names the family, which it derives from the address. */
static void
formatIP(GString *buf, int level, const char *ip, unsigned int prefix)
{
    indent(buf, level);
    g_string_append(buf, "<ip");
    attr(buf, "address", ip);
    attr(buf, "family", strchr(ip, ':') ? "ipv6" : "ipv4");
    if (prefix)
        attrUInt(buf, "prefix", prefix);
    g_string_append(buf, "/>\n");
}

static void
formatRate(GString *buf, int level, const char *name, const xvDomainNetRateDef *rate)
{
    if (!rate->set)
        return;
    indent(buf, level);
    g_string_append_printf(buf, "<%s", name);
    attrUInt(buf, "average", rate->average);
    if (rate->peak)
        attrUInt(buf, "peak", rate->peak);
    if (rate->burst)
        attrUInt(buf, "burst", rate->burst);
    g_string_append(buf, "/>\n");
}

static void
formatInterface(GString *buf, int level, const xvDomainNetDef *net, unsigned int flags)
{
    g_autoptr(GString) child = g_string_new(NULL);
    int l = level + 1;

    indent(buf, level);
    g_string_append(buf, "<interface");
    attr(buf, "type", xvNetTypeTypeToString(net->type));

    if (net->has_mac) {
        indent(child, l);
        g_string_append_printf(child, "<mac address='%02x:%02x:%02x:%02x:%02x:%02x'/>\n",
                               net->mac[0], net->mac[1], net->mac[2],
                               net->mac[3], net->mac[4], net->mac[5]);
    }
    if (net->type == XV_NET_TYPE_BRIDGE && net->bridge) {
        indent(child, l);
        g_string_append(child, "<source");
        attr(child, "bridge", net->bridge);
        g_string_append(child, "/>\n");
    } else if (net->type == XV_NET_TYPE_NETWORK && net->network) {
        indent(child, l);
        g_string_append(child, "<source");
        attr(child, "network", net->network);
        g_string_append(child, "/>\n");
    }
    if (net->nvlan_tags) {
        indent(child, l);
        g_string_append(child, "<vlan");
        attrYesNo(child, "trunk", net->vlan_trunk);
        g_string_append(child, ">\n");
        for (size_t i = 0; i < net->nvlan_tags; i++) {
            indent(child, l + 1);
            g_string_append_printf(child, "<tag id='%u'/>\n", net->vlan_tags[i]);
        }
        indent(child, l);
        g_string_append(child, "</vlan>\n");
    }
    if (net->virtualport_type) {
        indent(child, l);
        g_string_append(child, "<virtualport");
        attr(child, "type", net->virtualport_type);
        g_string_append(child, "/>\n");
    }
    if (net->bw_inbound.set || net->bw_outbound.set) {
        indent(child, l);
        g_string_append(child, "<bandwidth>\n");
        formatRate(child, l + 1, "inbound", &net->bw_inbound);
        formatRate(child, l + 1, "outbound", &net->bw_outbound);
        indent(child, l);
        g_string_append(child, "</bandwidth>\n");
    }
    if (net->ip)
        formatIP(child, l, net->ip, net->ip_prefix);
    for (size_t i = 0; i < net->nextra_ips; i++)
        formatIP(child, l, net->extra_ips[i].address, net->extra_ips[i].prefix);
    if (net->script) {
        indent(child, l);
        g_string_append(child, "<script");
        attr(child, "path", net->script);
        g_string_append(child, "/>\n");
    }
    if (net->backend_domain) {
        indent(child, l);
        g_string_append(child, "<backenddomain");
        attr(child, "name", net->backend_domain);
        g_string_append(child, "/>\n");
    }
    if (net->ifname &&
        !((flags & XV_DOMAIN_FORMAT_INACTIVE) && xvDomainNetIfnameIsGenerated(net->ifname))) {
        indent(child, l);
        g_string_append(child, "<target");
        attr(child, "dev", net->ifname);
        g_string_append(child, "/>\n");
    }
    if (net->model) {
        indent(child, l);
        g_string_append(child, "<model");
        attr(child, "type", net->model);
        g_string_append(child, "/>\n");
    }
    closeElement(buf, level, "interface", child);
}

static void
formatChrSource(GString *buf, int level, const xvDomainChrDef *chr, unsigned int flags)
{
    switch (chr->type) {
    case XV_CHR_TYPE_PTY:
        if (!chr->path || (flags & XV_DOMAIN_FORMAT_INACTIVE))
            break;
        G_GNUC_FALLTHROUGH;
    case XV_CHR_TYPE_FILE:
    case XV_CHR_TYPE_PIPE:
    case XV_CHR_TYPE_DEV:
        if (!chr->path)
            break;
        indent(buf, level);
        g_string_append(buf, "<source");
        attr(buf, "path", chr->path);
        g_string_append(buf, "/>\n");
        break;
    case XV_CHR_TYPE_UNIX:
        indent(buf, level);
        g_string_append(buf, "<source");
        attr(buf, "mode", chr->listen ? "bind" : "connect");
        attr(buf, "path", chr->path);
        g_string_append(buf, "/>\n");
        break;
    case XV_CHR_TYPE_TCP:
        indent(buf, level);
        g_string_append(buf, "<source");
        attr(buf, "mode", chr->listen ? "bind" : "connect");
        attr(buf, "host", chr->host);
        attr(buf, "service", chr->service);
        g_string_append(buf, "/>\n");
        if (chr->protocol) {
            indent(buf, level);
            g_string_append(buf, "<protocol");
            attr(buf, "type", chr->protocol);
            g_string_append(buf, "/>\n");
        }
        break;
    case XV_CHR_TYPE_UDP:
        if (chr->bind_host || chr->bind_service) {
            indent(buf, level);
            g_string_append(buf, "<source mode='bind'");
            attr(buf, "host", chr->bind_host);
            attr(buf, "service", chr->bind_service);
            g_string_append(buf, "/>\n");
        }
        if (chr->host || chr->service) {
            indent(buf, level);
            g_string_append(buf, "<source mode='connect'");
            attr(buf, "host", chr->host);
            attr(buf, "service", chr->service);
            g_string_append(buf, "/>\n");
        }
        break;
    case XV_CHR_TYPE_NULL:
    case XV_CHR_TYPE_STDIO:
    case XV_CHR_TYPE_VC:
    case XV_CHR_TYPE_LAST:
        break;
    }
}

static void
formatChr(GString *buf, int level, const xvDomainChrDef *chr, unsigned int flags)
{
    const char *name = xvChrDeviceTypeTypeToString(chr->device);
    g_autoptr(GString) child = g_string_new(NULL);

    indent(buf, level);
    g_string_append_printf(buf, "<%s", name);
    attr(buf, "type", xvChrTypeTypeToString(chr->type));
    if (chr->type == XV_CHR_TYPE_PTY && chr->path && !(flags & XV_DOMAIN_FORMAT_INACTIVE))
        attr(buf, "tty", chr->path);

    formatChrSource(child, level + 1, chr, flags);
    /* a parallel port has no target type */
    const char *ttype = chr->device == XV_CHR_DEVICE_PARALLEL ? NULL : chr->target_type;

    if (ttype || chr->has_target_port) {
        indent(child, level + 1);
        g_string_append(child, "<target");
        attr(child, "type", ttype);
        attr(child, "name", chr->target_name);
        if (chr->has_target_port)
            attrUInt(child, "port", (unsigned int)chr->target_port);
        g_string_append(child, "/>\n");
    }
    closeElement(buf, level, name, child);
}

/* VNC ports as libvirt writes them: autoport is always spelt out (not
 * given means yes unless a fixed port was given); an automatic port is
 * written as -1 except on a running domain that knows its live port; port
 * 0 means none. */
static void
formatVNCPort(GString *buf, const xvDomainGraphicsDef *gr, bool live)
{
    bool autoport = gr->autoport != XV_TRISTATE_ABSENT
                    ? gr->autoport == XV_TRISTATE_YES
                    : !gr->has_port || gr->port == -1;

    if (autoport) {
        if (live && gr->has_port && gr->port > 0)
            g_string_append_printf(buf, " port='%d'", gr->port);
        else
            g_string_append(buf, " port='-1'");
    } else if (gr->has_port && gr->port > 0) {
        g_string_append_printf(buf, " port='%d'", gr->port);
    }
    attr(buf, "autoport", autoport ? "yes" : "no");
}

/* libvirt writes the listen address both as listen= and as a child. */
static void
formatListen(GString *buf, int level, const xvDomainGraphicsDef *gr)
{
    const char *address = gr->listen && *gr->listen ? gr->listen : NULL;

    if (!address && !gr->listen_element)
        return;
    indent(buf, level);
    g_string_append(buf, "<listen type='address'");
    attr(buf, "address", address);
    g_string_append(buf, "/>\n");
}

static void
formatGraphics(GString *buf, int level, const xvDomainGraphicsDef *gr, bool live,
               unsigned int flags)
{
    g_autoptr(GString) child = g_string_new(NULL);

    indent(buf, level);
    g_string_append(buf, "<graphics");
    attr(buf, "type", xvGraphicsTypeTypeToString(gr->type));
    if (gr->type == XV_GRAPHICS_VNC) {
        formatVNCPort(buf, gr, live);
        attr(buf, "listen", gr->listen && *gr->listen ? gr->listen : NULL);
        attr(buf, "keymap", gr->keymap);
        if (flags & XV_DOMAIN_FORMAT_SECURE) {
            attr(buf, "passwd", gr->passwd);
            attr(buf, "passwdValidTo", gr->passwd_valid_to);
        }
        formatListen(child, level + 1, gr);
    } else if (gr->type == XV_GRAPHICS_SPICE) {
        if (gr->has_port)
            g_string_append_printf(buf, " port='%d'", gr->port);
        if (gr->has_tls_port)
            g_string_append_printf(buf, " tlsPort='%d'", gr->tls_port);
        attrYesNo(buf, "autoport", gr->autoport);
        attr(buf, "listen", gr->listen && *gr->listen ? gr->listen : NULL);
        attr(buf, "keymap", gr->keymap);
        if (flags & XV_DOMAIN_FORMAT_SECURE) {
            attr(buf, "passwd", gr->passwd);
            attr(buf, "passwdValidTo", gr->passwd_valid_to);
        }
        formatListen(child, level + 1, gr);
        if (gr->mouse_mode) {
            indent(child, level + 1);
            g_string_append(child, "<mouse");
            attr(child, "mode", gr->mouse_mode);
            g_string_append(child, "/>\n");
        }
        if (gr->copypaste != XV_TRISTATE_ABSENT) {
            indent(child, level + 1);
            g_string_append(child, "<clipboard");
            attrYesNo(child, "copypaste", gr->copypaste);
            g_string_append(child, "/>\n");
        }
    } else {
        attr(buf, "display", gr->display);
        attr(buf, "xauth", gr->xauth);
        attrYesNo(buf, "fullscreen", gr->fullscreen);
    }
    closeElement(buf, level, "graphics", child);
}

static void
formatInput(GString *buf, int level, const xvDomainInputDef *input)
{
    indent(buf, level);
    g_string_append(buf, "<input");
    attr(buf, "type", input->type);
    attr(buf, "bus", input->bus);
    g_string_append(buf, "/>\n");
}

static void
formatSound(GString *buf, int level, const xvDomainSoundDef *sound)
{
    indent(buf, level);
    g_string_append(buf, "<sound");
    attr(buf, "model", sound->model);
    g_string_append(buf, "/>\n");
}

static void
formatVideo(GString *buf, int level, const xvDomainVideoDef *video)
{
    indent(buf, level);
    g_string_append(buf, "<video>\n");
    indent(buf, level + 1);
    g_string_append(buf, "<model");
    attr(buf, "type", video->model);
    if (video->has_vram)
        attrUInt(buf, "vram", video->vram);
    if (video->has_heads)
        attrUInt(buf, "heads", video->heads);
    attrYesNo(buf, "primary", video->primary);
    g_string_append(buf, "/>\n");
    indent(buf, level);
    g_string_append(buf, "</video>\n");
}

static void
formatHostdev(GString *buf, int level, const xvDomainHostdevDef *hostdev)
{
    indent(buf, level);
    /* libvirt always says whether it manages the device; not given is no */
    g_string_append(buf, "<hostdev mode='subsystem' type='pci'");
    attr(buf, "managed", hostdev->managed == XV_TRISTATE_YES ? "yes" : "no");
    g_string_append(buf, ">\n");
    indent(buf, level + 1);
    g_string_append(buf, "<source");
    attrYesNo(buf, "writeFiltering", hostdev->write_filtering);
    g_string_append(buf, ">\n");
    indent(buf, level + 2);
    g_string_append_printf(buf,
                           "<address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>\n",
                           hostdev->domain, hostdev->bus, hostdev->slot, hostdev->function);
    indent(buf, level + 1);
    g_string_append(buf, "</source>\n");
    indent(buf, level);
    g_string_append(buf, "</hostdev>\n");
}

/* ------------------------------------------------------------------ */

static void
formatMemory(GString *buf, const char *name, unsigned long long kib)
{
    g_string_append_printf(buf, "  <%s unit='KiB'>%llu</%s>\n", name, kib, name);
}

static void
formatOS(GString *buf, const xvDomainDef *def)
{
    const char *ostype = xvDomainOSTypeTypeToString(def->os_type);

    /* libvirt writes Xen PV guests of Xen domains as 'linux', whichever
     * spelling was parsed (the capabilities say 'xen'). */
    if (def->virt_type == XV_DOMAIN_VIRT_XEN && def->os_type == XV_DOMAIN_OS_XEN)
        ostype = "linux";

    g_string_append(buf, "  <os>\n    <type");
    attr(buf, "arch", def->os_arch);
    attr(buf, "machine", def->os_machine);
    g_string_append_printf(buf, ">%s</type>\n", ostype);
    if (def->os_loader && *def->os_loader) {
        g_string_append(buf, "    <loader");
        attrYesNo(buf, "readonly", def->os_loader_readonly);
        attr(buf, "type", def->os_loader_type);
        g_string_append_c(buf, '>');
        escape(buf, def->os_loader);
        g_string_append(buf, "</loader>\n");
    }
    textElement(buf, 2, "kernel", def->os_kernel);
    textElement(buf, 2, "initrd", def->os_initrd);
    textElement(buf, 2, "cmdline", def->os_cmdline);
    textElement(buf, 2, "root", def->os_root);
    for (size_t i = 0; i < def->nboot; i++)
        g_string_append_printf(buf, "    <boot dev='%s'/>\n",
                               xvDomainBootDevTypeToString(def->boot[i]));
    g_string_append(buf, "  </os>\n");
}

static void
formatFeatures(GString *buf, const xvDomainDef *def)
{
    bool xen = def->feature_xen_e820_host != XV_TRISTATE_ABSENT ||
               def->feature_xen_passthrough != XV_TRISTATE_ABSENT;

    if (def->feature_acpi != XV_TRISTATE_YES && def->feature_apic != XV_TRISTATE_YES &&
        def->feature_pae != XV_TRISTATE_YES && def->feature_hap == XV_TRISTATE_ABSENT &&
        def->feature_viridian != XV_TRISTATE_YES && !xen)
        return;
    g_string_append(buf, "  <features>\n");
    if (def->feature_acpi == XV_TRISTATE_YES)
        g_string_append(buf, "    <acpi/>\n");
    if (def->feature_apic == XV_TRISTATE_YES)
        g_string_append(buf, "    <apic/>\n");
    if (def->feature_pae == XV_TRISTATE_YES)
        g_string_append(buf, "    <pae/>\n");
    if (def->feature_hap == XV_TRISTATE_YES)
        g_string_append(buf, "    <hap state='on'/>\n");
    else if (def->feature_hap == XV_TRISTATE_NO)
        g_string_append(buf, "    <hap state='off'/>\n");
    if (def->feature_viridian == XV_TRISTATE_YES)
        g_string_append(buf, "    <viridian/>\n");
    if (xen) {
        g_string_append(buf, "    <xen>\n");
        if (def->feature_xen_e820_host != XV_TRISTATE_ABSENT)
            g_string_append_printf(buf, "      <e820_host state='%s'/>\n",
                                   def->feature_xen_e820_host == XV_TRISTATE_YES ? "on" : "off");
        if (def->feature_xen_passthrough != XV_TRISTATE_ABSENT) {
            g_string_append_printf(buf, "      <passthrough state='%s'",
                                   def->feature_xen_passthrough == XV_TRISTATE_YES ? "on" : "off");
            attr(buf, "mode", def->feature_xen_passthrough_mode);
            g_string_append(buf, "/>\n");
        }
        g_string_append(buf, "    </xen>\n");
    }
    g_string_append(buf, "  </features>\n");
}

static void
formatCpu(GString *buf, const xvDomainDef *def)
{
    g_autoptr(GString) child = g_string_new(NULL);

    if (!def->has_cpu && !def->cpu_mode && !def->ncpu_features && !def->nnuma_cells)
        return;
    g_string_append(buf, "  <cpu");
    attr(buf, "mode", def->cpu_mode);
    attr(buf, "match", def->cpu_match);
    attr(buf, "check", def->cpu_check);
    for (size_t i = 0; i < def->ncpu_features; i++) {
        g_string_append(child, "    <feature");
        attr(child, "policy", def->cpu_features[i]->policy);
        attr(child, "name", def->cpu_features[i]->name);
        g_string_append(child, "/>\n");
    }
    if (def->nnuma_cells) {
        g_string_append(child, "    <numa>\n");
        for (size_t i = 0; i < def->nnuma_cells; i++) {
            const xvDomainNumaCellDef *cell = def->numa_cells[i];

            g_autofree char *cpus = xvDomainCpusetCanonical(cell->cpus);

            g_string_append_printf(child, "      <cell id='%u'", cell->id);
            attr(child, "cpus", cpus ? cpus : cell->cpus);
            g_string_append_printf(child, " memory='%llu' unit='KiB'", cell->memory);
            if (!cell->ndistances) {
                g_string_append(child, "/>\n");
                continue;
            }
            g_string_append(child, ">\n        <distances>\n");
            for (size_t j = 0; j < cell->ndistances; j++)
                g_string_append_printf(child, "          <sibling id='%u' value='%u'/>\n",
                                       cell->distances[j].id, cell->distances[j].value);
            g_string_append(child, "        </distances>\n      </cell>\n");
        }
        g_string_append(child, "    </numa>\n");
    }
    closeElement(buf, 1, "cpu", child);
}

static void
formatTimer(GString *buf, const xvDomainTimerDef *timer, xvTristate present)
{
    g_string_append(buf, "    <timer");
    attr(buf, "name", xvTimerNameTypeToString(timer->name));
    attrYesNo(buf, "present", present);
    attr(buf, "tickpolicy", timer->tickpolicy);
    attr(buf, "track", timer->track);
    if (timer->has_frequency)
        attrUInt(buf, "frequency", timer->frequency);
    attr(buf, "mode", timer->mode);
    g_string_append(buf, "/>\n");
}

static void
formatClock(GString *buf, const xvDomainDef *def)
{
    const char *offset = def->clock_offset ? def->clock_offset : "utc";
    const char *basis = def->clock_basis;
    g_autoptr(GString) child = g_string_new(NULL);
    bool hpet_done = false;

    /* a fixed adjustment from utc/localtime is 'variable' with that basis,
     * the form libvirt (and our parser) turn it into */
    if (def->has_clock_adjustment && strcmp(offset, "variable") != 0) {
        basis = offset;
        offset = "variable";
    }
    g_string_append(buf, "  <clock");
    attr(buf, "offset", offset);
    if (strcmp(offset, "variable") == 0) {
        g_string_append_printf(buf, " adjustment='%lld'",
                               def->has_clock_adjustment ? def->clock_adjustment : 0);
        attr(buf, "basis", basis ? basis : "utc");
    } else if (def->clock_adjustment_reset) {
        attr(buf, "adjustment", "reset");
    }
    /* timer_hpet is what the Xen channels set; it wins over the list. */
    for (size_t i = 0; i < def->ntimers; i++) {
        const xvDomainTimerDef *t = def->timers[i];
        xvTristate present = t->present;

        if (t->name == XV_TIMER_HPET) {
            hpet_done = true;
            if (def->timer_hpet != XV_TRISTATE_ABSENT)
                present = def->timer_hpet;
        }
        formatTimer(child, t, present);
    }
    if (!hpet_done && def->timer_hpet != XV_TRISTATE_ABSENT) {
        xvDomainTimerDef hpet = {.name = XV_TIMER_HPET};
        formatTimer(child, &hpet, def->timer_hpet);
    }
    closeElement(buf, 1, "clock", child);
}

static void
formatLifecycle(GString *buf, const char *name, bool has,
                xvDomainLifecycleAction action, xvDomainLifecycleAction dflt)
{
    g_string_append_printf(buf, "  <%s>%s</%s>\n", name,
                           xvDomainLifecycleActionTypeToString(has ? action : dflt), name);
}

static void
formatDevices(GString *buf, const xvDomainDef *def, unsigned int flags)
{
    g_string_append(buf, "  <devices>\n");
    textElement(buf, 2, "emulator", def->emulator);
    for (size_t i = 0; i < def->ndisks; i++)
        formatDisk(buf, 2, def->disks[i]);
    for (size_t i = 0; i < def->ncontrollers; i++)
        formatController(buf, 2, def->controllers[i]);
    for (size_t i = 0; i < def->nnets; i++)
        formatInterface(buf, 2, def->nets[i], flags);
    for (size_t i = 0; i < def->nserials; i++)
        formatChr(buf, 2, def->serials[i], flags);
    for (size_t i = 0; i < def->nparallels; i++)
        formatChr(buf, 2, def->parallels[i], flags);
    for (size_t i = 0; i < def->nconsoles; i++)
        formatChr(buf, 2, def->consoles[i], flags);
    for (size_t i = 0; i < def->nchannels; i++)
        formatChr(buf, 2, def->channels[i], flags);
    for (size_t i = 0; i < def->ninputs; i++)
        formatInput(buf, 2, def->inputs[i]);
    for (size_t i = 0; i < def->ngraphics; i++)
        formatGraphics(buf, 2, def->graphics[i],
                       def->id >= 0 && !(flags & XV_DOMAIN_FORMAT_INACTIVE), flags);
    for (size_t i = 0; i < def->nsounds; i++)
        formatSound(buf, 2, def->sounds[i]);
    for (size_t i = 0; i < def->nvideos; i++)
        formatVideo(buf, 2, def->videos[i]);
    for (size_t i = 0; i < def->nhostdevs; i++)
        formatHostdev(buf, 2, def->hostdevs[i]);
    if (def->memballoon_model)
        g_string_append_printf(buf, "    <memballoon model='%s'/>\n", def->memballoon_model);
    g_string_append(buf, "  </devices>\n");
}

char *
xvDomainDefFormat(const xvDomainDef *def, unsigned int flags)
{
    g_autoptr(GString) buf = NULL;
    const char *virt;

    if (!def || !def->name) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "cannot format a domain without a name");
        return NULL;
    }
    if (!(virt = xvDomainVirtTypeTypeToString(def->virt_type)) ||
        !xvDomainOSTypeTypeToString(def->os_type)) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s': invalid virt or os type", def->name);
        return NULL;
    }
    buf = g_string_sized_new(2048);

    g_string_append_printf(buf, "<domain type='%s'", virt);
    if (def->id >= 0 && !(flags & XV_DOMAIN_FORMAT_INACTIVE))
        g_string_append_printf(buf, " id='%d'", def->id);
    if (def->xen_cmdline && def->xen_cmdline[0])
        g_string_append(buf, " xmlns:xen='http://libvirt.org/schemas/domain/xen/1.0'");
    g_string_append(buf, ">\n");
    textElement(buf, 1, "name", def->name);
    if (def->has_uuid) {
        char uuid[XV_UUID_STRLEN];
        g_string_append_printf(buf, "  <uuid>%s</uuid>\n", xvUUIDFormat(def->uuid, uuid));
    }
    textElement(buf, 1, "title", def->title);
    textElement(buf, 1, "description", def->description);

    if (def->has_max_memory_slots)
        g_string_append_printf(buf, "  <maxMemory slots='%u' unit='KiB'>%llu</maxMemory>\n",
                               def->max_memory_slots, def->hotplug_memory);
    formatMemory(buf, "memory", def->max_memory);
    formatMemory(buf, "currentMemory",
                 def->current_memory ? def->current_memory : def->max_memory);

    g_string_append(buf, "  <vcpu");
    attr(buf, "placement", def->vcpu_placement ? def->vcpu_placement : "static");
    if (def->cpuset) {
        g_autofree char *canonical = xvDomainCpusetCanonical(def->cpuset);
        attr(buf, "cpuset", canonical ? canonical : def->cpuset);
    }
    if (def->vcpus_current && def->vcpus_current != def->vcpus)
        attrUInt(buf, "current", def->vcpus_current);
    g_string_append_printf(buf, ">%u</vcpu>\n", def->vcpus);

    textElement(buf, 1, "bootloader", def->bootloader);
    textElement(buf, 1, "bootloader_args", def->bootloader_args);
    formatOS(buf, def);
    formatFeatures(buf, def);
    formatCpu(buf, def);
    formatClock(buf, def);
    formatLifecycle(buf, "on_poweroff", def->has_on_poweroff, def->on_poweroff,
                    XV_DOMAIN_LIFECYCLE_DESTROY);
    formatLifecycle(buf, "on_reboot", def->has_on_reboot, def->on_reboot,
                    XV_DOMAIN_LIFECYCLE_RESTART);
    formatLifecycle(buf, "on_crash", def->has_on_crash, def->on_crash,
                    XV_DOMAIN_LIFECYCLE_DESTROY);
    formatDevices(buf, def, flags);
    if (def->xen_cmdline && def->xen_cmdline[0]) {
        g_string_append(buf, "  <xen:commandline>\n");
        for (char **arg = def->xen_cmdline; *arg; arg++) {
            g_string_append(buf, "    <xen:arg");
            attr(buf, "value", *arg);
            g_string_append(buf, "/>\n");
        }
        g_string_append(buf, "  </xen:commandline>\n");
    }
    g_string_append(buf, "</domain>\n");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

char *
xvDomainDeviceDefFormat(const xvDomainDeviceDef *dev, unsigned int flags)
{
    g_autoptr(GString) buf = g_string_new(NULL);

    if (dev && dev->disk)
        formatDisk(buf, 0, dev->disk);
    else if (dev && dev->net)
        formatInterface(buf, 0, dev->net, flags);
    else if (dev && dev->hostdev)
        formatHostdev(buf, 0, dev->hostdev);
    else if (dev && dev->input)
        formatInput(buf, 0, dev->input);
    else if (dev && dev->chr)
        formatChr(buf, 0, dev->chr, flags);
    else if (dev && dev->graphics)
        formatGraphics(buf, 0, dev->graphics, !(flags & XV_DOMAIN_FORMAT_INACTIVE), flags);
    else if (dev && dev->sound)
        formatSound(buf, 0, dev->sound);
    else if (dev && dev->video)
        formatVideo(buf, 0, dev->video);
    else if (dev && dev->controller)
        formatController(buf, 0, dev->controller);
    else {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no device to format");
        return NULL;
    }
    return g_string_free(g_steal_pointer(&buf), FALSE);
}
