/*
 * domain_parse_dev.c: the devices of a libvirt domain XML -> xvDomainDef.
 *
 * Reads <disk>, <interface>, <graphics>, the character devices (<serial>,
 * <parallel>, <console>, <channel>), <input>, <sound>, <hostdev>, <video>,
 * <controller> and <memballoon>, both inside a domain's <devices> and as the
 * one-device documents attach-device and detach-device take.  The same
 * rules as domain_parse.c, whose helpers it uses (domain_parse_priv.h):
 * what the user wrote is kept, absent stays absent, every invalid value is
 * an error naming the device and the value, unknown elements are ignored,
 * and each kind of device is capped at XV_DOMAIN_MAX_DEVICES_PER_KIND.  It
 * also checks what Xen's front ends can express (disk names a block front
 * end can number) and puts disks in the order libvirt's parser would.  No
 * I/O and no state.
 */
#define XV_FROM VIR_FROM_DOMAIN
#include "conf/domain_parse_priv.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

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
    xmlNodePtr bd = xvXmlChild(node, "backenddomain");

    if (!bd)
        return 0;
    *out = xvXmlAttr(bd, "name");
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
    g_autofree char *type = xvXmlAttr(node, "type");
    g_autofree char *device = xvXmlAttr(node, "device");
    g_autofree char *bus = NULL;
    g_autofree char *what = NULL;
    xmlNodePtr target = xvXmlChild(node, "target");
    xmlNodePtr source = xvXmlChild(node, "source");
    xmlNodePtr driver = xvXmlChild(node, "driver");
    xmlNodePtr address = xvXmlChild(node, "address");
    int val;

    if (!target || !(disk->dst = xvXmlAttr(target, "dev")) || !*disk->dst) {
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

    if ((bus = xvXmlAttr(target, "bus"))) {
        if ((val = xvDiskBusTypeFromString(bus)) <= XV_DISK_BUS_NONE) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "%s: bus '%s' is not supported (expected xen, ide, scsi, usb, virtio, sata or fdc)",
                          what, bus);
            return -1;
        }
        disk->bus = val;
    }

    if (driver) {
        disk->driver_name = xvXmlAttr(driver, "name");
        disk->driver_type = xvXmlAttr(driver, "type");
        if (disk->driver_name) {
            g_autofree char *w = g_strdup_printf("%s: driver name", what);
            if (xvParseOneOf(w, disk->driver_name, driverNames) < 0)
                return -1;
        }
        if (disk->driver_type) {
            g_autofree char *w = g_strdup_printf("%s: driver type", what);
            if (xvParseOneOf(w, disk->driver_type, driverTypes) < 0)
                return -1;
        }
    }

    if (source) {
        switch (disk->type) {
        case XV_DISK_TYPE_FILE:
            disk->src = xvXmlAttr(source, "file");
            break;
        case XV_DISK_TYPE_BLOCK:
            disk->src = xvXmlAttr(source, "dev");
            break;
        case XV_DISK_TYPE_NETWORK: {
            static const char *const protocols[] = {
                "nbd", "rbd", "iscsi", "http", "https", "ftp", "ftps", "tftp",
                "gluster", "sheepdog", "ssh", NULL
            };
            xmlNodePtr host;

            disk->src_protocol = xvXmlAttr(source, "protocol");
            disk->src = xvXmlAttr(source, "name");
            if (!disk->src_protocol) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s: network source needs a protocol", what);
                return -1;
            }
            {
                g_autofree char *w = g_strdup_printf("%s: source protocol", what);
                if (xvParseOneOf(w, disk->src_protocol, protocols) < 0)
                    return -1;
            }
            for (host = source->children; host; host = host->next) {
                xvDomainDiskHostDef *h;

                if (!xvXmlIsElement(host, "host"))
                    continue;
                if (disk->nhosts >= 64) {
                    xvReportError(VIR_ERR_XML_DETAIL, "%s: more than 64 source hosts", what);
                    return -1;
                }
                disk->hosts = g_renew(xvDomainDiskHostDef, disk->hosts, disk->nhosts + 1);
                h = &disk->hosts[disk->nhosts++];
                h->name = xvXmlAttr(host, "name");
                h->port = xvXmlAttr(host, "port");
                if (h->port) {
                    g_autofree char *w = g_strdup_printf("%s: source host port", what);
                    unsigned int port;
                    if (xvParseUInt(w, h->port, 65535, &port) < 0)
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
    disk->readonly = xvXmlChild(node, "readonly") != NULL;
    disk->shareable = xvXmlChild(node, "shareable") != NULL;

    if (address) {
        g_autofree char *atype = xvXmlAttr(address, "type");
        if (atype && strcmp(atype, "drive") == 0) {
            static const char *const names[] = {"controller", "bus", "target", "unit"};
            unsigned int *fields[] = {
                &disk->addr_controller, &disk->addr_bus, &disk->addr_target, &disk->addr_unit
            };
            for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
                g_autofree char *v = xvXmlAttr(address, names[i]);
                g_autofree char *w = g_strdup_printf("%s: address %s", what, names[i]);
                if (v && xvParseUInt(w, v, 65535, fields[i]) < 0)
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
        g_autofree char *v = xvXmlAttr(node, names[i]);
        g_autofree char *w = g_strdup_printf("%s %s", what, names[i]);
        if (v && xvParseULL(w, v, fields[i]) < 0)
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
    g_autofree char *type = xvXmlAttr(node, "type");
    g_autofree char *mac = xvXmlChildAttr(node, "mac", "address");
    xmlNodePtr source = xvXmlChild(node, "source");
    xmlNodePtr vlan = xvXmlChild(node, "vlan");
    xmlNodePtr bandwidth = xvXmlChild(node, "bandwidth");
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
        net->bridge = xvXmlAttr(source, "bridge");
        if (!net->bridge || !*net->bridge) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s",
                          "interface type 'bridge': missing <source bridge='...'/>");
            return -1;
        }
        break;
    case XV_NET_TYPE_NETWORK:
        net->network = xvXmlAttr(source, "network");
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

    net->script = xvXmlChildAttr(node, "script", "path");
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        g_autofree char *addr = NULL;
        g_autofree char *prefix = NULL;
        unsigned int pfx = 0;

        if (!xvXmlIsElement(cur, "ip"))
            continue;
        if (!(addr = xvXmlAttr(cur, "address"))) {
            xvReportError(VIR_ERR_XML_DETAIL, "%s", "interface: <ip> without address");
            return -1;
        }
        if (checkIPAddress(what, addr) < 0)
            return -1;
        if ((prefix = xvXmlAttr(cur, "prefix")) &&
            xvParseUInt("interface: ip prefix", prefix, strchr(addr, ':') ? 128 : 32, &pfx) < 0)
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
        g_autofree char *trunk = xvXmlAttr(vlan, "trunk");

        if (xvParseYesNo("interface: vlan trunk", trunk, &net->vlan_trunk) < 0)
            return -1;
        for (xmlNodePtr cur = vlan->children; cur; cur = cur->next) {
            g_autofree char *id = NULL;
            unsigned int tag;

            if (!xvXmlIsElement(cur, "tag"))
                continue;
            if (!(id = xvXmlAttr(cur, "id"))) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s", "interface: vlan <tag> without id");
                return -1;
            }
            if (xvParseUInt("interface: vlan tag id", id, 4095, &tag) < 0)
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
    net->virtualport_type = xvXmlChildAttr(node, "virtualport", "type");
    if (net->virtualport_type &&
        xvParseOneOf("interface: virtualport type", net->virtualport_type,
                   (const char *const[]){"openvswitch", "802.1Qbg", "802.1Qbh", "midonet", NULL}) < 0)
        return -1;
    if (bandwidth &&
        (parseRate(xvXmlChild(bandwidth, "inbound"), "interface: bandwidth inbound",
                   &net->bw_inbound) < 0 ||
         parseRate(xvXmlChild(bandwidth, "outbound"), "interface: bandwidth outbound",
                   &net->bw_outbound) < 0))
        return -1;
    if (parseBackendDomain(node, what, &net->backend_domain) < 0)
        return -1;
    net->ifname = xvXmlChildAttr(node, "target", "dev");
    net->model = xvXmlChildAttr(node, "model", "type");
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
    gr->listen = xvXmlAttr(node, "listen");
    for (xmlNodePtr cur = node->children; cur; cur = cur->next) {
        g_autofree char *ltype = NULL;
        g_autofree char *address = NULL;

        if (!xvXmlIsElement(cur, "listen"))
            continue;
        ltype = xvXmlAttr(cur, "type");
        if (!ltype || strcmp(ltype, "address") != 0) {
            xvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "graphics: listen type '%s' is not supported (expected address)",
                          ltype ? ltype : "(none)");
            return -1;
        }
        gr->listen_element = true;
        address = xvXmlAttr(cur, "address");
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
    g_autofree char *type = xvXmlAttr(node, "type");
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
        g_autofree char *port = xvXmlAttr(node, "port");
        g_autofree char *autoport = xvXmlAttr(node, "autoport");

        if (port) {
            long long p;
            if (xvParseLL("graphics vnc: port", port, &p) < 0)
                return -1;
            if (p < -1 || p > 65535) {
                xvReportError(VIR_ERR_XML_DETAIL,
                              "graphics vnc: port '%s' is out of range (-1 to 65535)", port);
                return -1;
            }
            gr->port = (int)p;
            gr->has_port = true;
        }
        if (xvParseYesNo("graphics vnc: autoport", autoport, &gr->autoport) < 0)
            return -1;
        if (parseListen(node, gr) < 0)
            return -1;
        gr->passwd = xvXmlAttr(node, "passwd");
        gr->passwd_valid_to = xvXmlAttr(node, "passwdValidTo");
        gr->keymap = xvXmlAttr(node, "keymap");
    } else if (gr->type == XV_GRAPHICS_SPICE) {
        static const char *const mouseModes[] = {"server", "client", NULL};
        static const char *const ports[] = {"port", "tlsPort"};
        int *portFields[] = {&gr->port, &gr->tls_port};
        bool *hasFields[] = {&gr->has_port, &gr->has_tls_port};
        g_autofree char *autoport = xvXmlAttr(node, "autoport");
        g_autofree char *copypaste = xvXmlChildAttr(node, "clipboard", "copypaste");

        for (size_t i = 0; i < G_N_ELEMENTS(ports); i++) {
            g_autofree char *v = xvXmlAttr(node, ports[i]);
            g_autofree char *w = g_strdup_printf("graphics spice: %s", ports[i]);
            long long p;

            if (!v)
                continue;
            if (xvParseLL(w, v, &p) < 0)
                return -1;
            if (p < -1 || p > 65535) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s '%s' is out of range (-1 to 65535)", w, v);
                return -1;
            }
            *portFields[i] = (int)p;
            *hasFields[i] = true;
        }
        if (xvParseYesNo("graphics spice: autoport", autoport, &gr->autoport) < 0)
            return -1;
        if (parseListen(node, gr) < 0)
            return -1;
        gr->passwd = xvXmlAttr(node, "passwd");
        gr->passwd_valid_to = xvXmlAttr(node, "passwdValidTo");
        gr->keymap = xvXmlAttr(node, "keymap");
        gr->mouse_mode = xvXmlChildAttr(node, "mouse", "mode");
        if (gr->mouse_mode && xvParseOneOf("graphics spice: mouse mode", gr->mouse_mode, mouseModes) < 0)
            return -1;
        if (xvParseYesNo("graphics spice: clipboard copypaste", copypaste, &gr->copypaste) < 0)
            return -1;
    } else {
        g_autofree char *fullscreen = xvXmlAttr(node, "fullscreen");

        gr->display = xvXmlAttr(node, "display");
        gr->xauth = xvXmlAttr(node, "xauth");
        if (xvParseYesNo("graphics sdl: fullscreen", fullscreen, &gr->fullscreen) < 0)
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
    g_autofree char *type = xvXmlAttr(node, "type");
    g_autofree char *what = NULL;
    xmlNodePtr target = xvXmlChild(node, "target");
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

        if (!xvXmlIsElement(cur, "source"))
            continue;
        mode = xvXmlAttr(cur, "mode");
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
                chr->path = xvXmlAttr(cur, "path");
            break;
        case XV_CHR_TYPE_UNIX:
            if (!chr->path) {
                chr->path = xvXmlAttr(cur, "path");
                chr->listen = mode && strcmp(mode, "bind") == 0;
            }
            break;
        case XV_CHR_TYPE_TCP:
            if (!chr->host && !chr->service) {
                chr->host = xvXmlAttr(cur, "host");
                chr->service = xvXmlAttr(cur, "service");
                chr->listen = mode && strcmp(mode, "bind") == 0;
            }
            break;
        case XV_CHR_TYPE_UDP:
            /* libvirt: a source without mode is the connect end */
            if (mode && strcmp(mode, "bind") == 0) {
                if (!chr->bind_host && !chr->bind_service) {
                    chr->bind_host = xvXmlAttr(cur, "host");
                    chr->bind_service = xvXmlAttr(cur, "service");
                }
            } else if (!chr->host && !chr->service) {
                chr->host = xvXmlAttr(cur, "host");
                chr->service = xvXmlAttr(cur, "service");
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
        chr->path = xvXmlAttr(node, "tty");

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
        chr->protocol = xvXmlChildAttr(node, "protocol", "type");
        if (chr->protocol) {
            g_autofree char *w = g_strdup_printf("%s: protocol", what);
            if (xvParseOneOf(w, chr->protocol, protocols) < 0)
                return -1;
        }
    }

    if (!target && devtype == XV_CHR_DEVICE_CHANNEL) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s: missing <target type='...'/>", what);
        return -1;
    }
    if (target) {
        g_autofree char *port = xvXmlAttr(target, "port");

        chr->target_type = xvXmlAttr(target, "type");
        if (chr->target_type && devtype == XV_CHR_DEVICE_CONSOLE) {
            static const char *const consoleTargets[] = {
                "serial", "xen", "uml", "virtio", "lxc", "openvz", "sclp", "sclplm", NULL
            };
            g_autofree char *w = g_strdup_printf("%s: target type", what);
            if (xvParseOneOf(w, chr->target_type, consoleTargets) < 0)
                return -1;
        } else if (chr->target_type && devtype == XV_CHR_DEVICE_SERIAL) {
            static const char *const serialTargets[] = {
                "isa-serial", "usb-serial", "pci-serial", "spapr-vio-serial",
                "system-serial", "sclp-serial", "isa-debug", NULL
            };
            g_autofree char *w = g_strdup_printf("%s: target type", what);
            if (xvParseOneOf(w, chr->target_type, serialTargets) < 0)
                return -1;
        } else if (devtype == XV_CHR_DEVICE_CHANNEL) {
            static const char *const channelTargets[] = {"xen", "virtio", NULL};
            g_autofree char *w = g_strdup_printf("%s: target type", what);
            if (!chr->target_type) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s: missing target type", what);
                return -1;
            }
            if (xvParseOneOf(w, chr->target_type, channelTargets) < 0)
                return -1;
            chr->target_name = xvXmlAttr(target, "name");
        } else if (chr->target_type) {
            g_clear_pointer(&chr->target_type, g_free); /* parallel has none */
        }
        if (port) {
            g_autofree char *w = g_strdup_printf("%s: target port", what);
            unsigned int p;
            if (xvParseUInt(w, port, 65535, &p) < 0)
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

    if (!(input->type = xvXmlAttr(node, "type"))) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "input: missing type attribute");
        return -1;
    }
    if (xvParseOneOf("input: type", input->type, types) < 0)
        return -1;
    input->bus = xvXmlAttr(node, "bus");
    if (input->bus) {
        g_autofree char *w = g_strdup_printf("input '%s': bus", input->type);
        if (xvParseOneOf(w, input->bus, buses) < 0)
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

    if (!(sound->model = xvXmlAttr(node, "model"))) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "sound: missing model attribute");
        return -1;
    }
    if (xvParseOneOf("sound: model", sound->model, models) < 0)
        return -1;
    *out = g_steal_pointer(&sound);
    return 0;
}

static int
parseHostdev(xmlNodePtr node, xvDomainHostdevDef **out)
{
    g_autoptr(xvDomainHostdevDef) hostdev = g_new0(xvDomainHostdevDef, 1);
    g_autofree char *mode = xvXmlAttr(node, "mode");
    g_autofree char *type = xvXmlAttr(node, "type");
    g_autofree char *managed = xvXmlAttr(node, "managed");
    xmlNodePtr address = xvXmlChild(xvXmlChild(node, "source"), "address");
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
    g_autofree char *writeFiltering = xvXmlChildAttr(node, "source", "writeFiltering");

    if (xvParseYesNo("hostdev: managed", managed, &hostdev->managed) < 0 ||
        xvParseYesNo("hostdev: source writeFiltering", writeFiltering, &hostdev->write_filtering) < 0)
        return -1;
    if (!address) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "hostdev: missing <source><address .../></source>");
        return -1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        g_autofree char *v = xvXmlAttr(address, fields[i].name);
        g_autofree char *w = g_strdup_printf("hostdev: address %s", fields[i].name);
        unsigned int *dst = G_STRUCT_MEMBER_P(hostdev, fields[i].offset);

        if (!v) {
            xvReportError(VIR_ERR_XML_DETAIL, "hostdev: address has no %s", fields[i].name);
            return -1;
        }
        if (xvParseHexOrDec(w, v, fields[i].max, dst) < 0)
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
    xmlNodePtr model = xvXmlChild(node, "model");
    g_autofree char *vram = xvXmlAttr(model, "vram");
    g_autofree char *heads = xvXmlAttr(model, "heads");
    g_autofree char *primary = xvXmlAttr(model, "primary");

    if (!model || !(video->model = xvXmlAttr(model, "type"))) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "video: missing <model type='...'/>");
        return -1;
    }
    if (xvParseOneOf("video: model type", video->model, models) < 0)
        return -1;
    if (vram) {
        if (xvParseUInt("video: vram", vram, G_MAXUINT, &video->vram) < 0)
            return -1;
        video->has_vram = true;
    }
    if (heads) {
        if (xvParseUInt("video: heads", heads, 16, &video->heads) < 0)
            return -1;
        video->has_heads = true;
    }
    if (xvParseYesNo("video: primary", primary, &video->primary) < 0)
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
    g_autofree char *index = xvXmlAttr(node, "index");
    g_autofree char *ports = xvXmlAttr(node, "ports");
    g_autofree char *grant = xvXmlAttr(node, "maxGrantFrames");
    g_autofree char *events = xvXmlAttr(node, "maxEventChannels");

    if (!(ctrl->type = xvXmlAttr(node, "type"))) {
        xvReportError(VIR_ERR_XML_DETAIL, "%s", "controller: missing type attribute");
        return -1;
    }
    if (xvParseOneOf("controller: type", ctrl->type, types) < 0)
        return -1;
    if (index && xvParseUInt("controller: index", index, G_MAXINT, &ctrl->index) < 0)
        return -1;
    ctrl->model = xvXmlAttr(node, "model");
    if (ports) {
        if (xvParseUInt("controller: ports", ports, 255, &ctrl->ports) < 0)
            return -1;
        ctrl->has_ports = true;
    }
    if (grant) {
        if (xvParseUInt("controller: maxGrantFrames", grant, G_MAXINT, &ctrl->max_grant_frames) < 0)
            return -1;
        ctrl->has_max_grant_frames = true;
    }
    if (events) {
        if (xvParseUInt("controller: maxEventChannels", events, G_MAXINT, &ctrl->max_event_channels) < 0)
            return -1;
        ctrl->has_max_event_channels = true;
    }
    *out = g_steal_pointer(&ctrl);
    return 0;
}

/* ------------------------------------------------------------------ */
/* The <devices> element and single-device documents                  */

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

/* The one place a device element is told by its name: reads node into
 * the member of dev its kind fills.  1: read; 0: not a device element
 * (dev untouched); -1: an error, reported. */
static int
parseDeviceElement(xmlNodePtr node, xvDomainDeviceDef *dev)
{
    static const struct {
        const char *element;
        xvChrDeviceType device;
    } chrs[] = {
        {"serial", XV_CHR_DEVICE_SERIAL},
        {"parallel", XV_CHR_DEVICE_PARALLEL},
        {"console", XV_CHR_DEVICE_CONSOLE},
        {"channel", XV_CHR_DEVICE_CHANNEL},
    };
    int rc;

    if (xvXmlIsElement(node, "disk"))
        rc = parseDisk(node, &dev->disk);
    else if (xvXmlIsElement(node, "interface"))
        rc = parseInterface(node, &dev->net);
    else if (xvXmlIsElement(node, "hostdev"))
        rc = parseHostdev(node, &dev->hostdev);
    else if (xvXmlIsElement(node, "input"))
        rc = parseInput(node, &dev->input);
    else if (xvXmlIsElement(node, "graphics"))
        rc = parseGraphics(node, &dev->graphics);
    else if (xvXmlIsElement(node, "sound"))
        rc = parseSound(node, &dev->sound);
    else if (xvXmlIsElement(node, "video"))
        rc = parseVideo(node, &dev->video);
    else if (xvXmlIsElement(node, "controller"))
        rc = parseController(node, &dev->controller);
    else {
        for (size_t i = 0; i < G_N_ELEMENTS(chrs); i++) {
            if (xvXmlIsElement(node, chrs[i].element))
                return parseChr(node, chrs[i].device, &dev->chr) < 0 ? -1 : 1;
        }
        return 0;
    }
    return rc < 0 ? -1 : 1;
}

/* Moves the device dev holds to the end of def's list of its kind (a
 * disk where libvirt would insert it); kind names the element for the
 * cap's message.  On an error dev keeps what it holds, or the cap freed
 * it. */
static int
addDevice(xvDomainDef *def, xvDomainDeviceDef *dev, const char *kind, bool keepOrder)
{
    if (dev->disk) {
        if (insertDisk(def, dev->disk, keepOrder) < 0)
            return -1;
        dev->disk = NULL;
    } else if (dev->controller) {
        APPEND_DEVICE(def->controllers, def->ncontrollers, g_steal_pointer(&dev->controller),
                      kind, xvDomainControllerDefFree);
    } else if (dev->net) {
        APPEND_DEVICE(def->nets, def->nnets, g_steal_pointer(&dev->net), kind,
                      xvDomainNetDefFree);
    } else if (dev->graphics) {
        APPEND_DEVICE(def->graphics, def->ngraphics, g_steal_pointer(&dev->graphics), kind,
                      xvDomainGraphicsDefFree);
    } else if (dev->input) {
        APPEND_DEVICE(def->inputs, def->ninputs, g_steal_pointer(&dev->input), kind,
                      xvDomainInputDefFree);
    } else if (dev->sound) {
        APPEND_DEVICE(def->sounds, def->nsounds, g_steal_pointer(&dev->sound), kind,
                      xvDomainSoundDefFree);
    } else if (dev->hostdev) {
        APPEND_DEVICE(def->hostdevs, def->nhostdevs, g_steal_pointer(&dev->hostdev), kind,
                      xvDomainHostdevDefFree);
    } else if (dev->video) {
        APPEND_DEVICE(def->videos, def->nvideos, g_steal_pointer(&dev->video), kind,
                      xvDomainVideoDefFree);
    } else if (dev->chr) {
        xvDomainChrDef ***list[XV_CHR_DEVICE_LAST] = {
            [XV_CHR_DEVICE_SERIAL] = &def->serials,
            [XV_CHR_DEVICE_PARALLEL] = &def->parallels,
            [XV_CHR_DEVICE_CONSOLE] = &def->consoles,
            [XV_CHR_DEVICE_CHANNEL] = &def->channels,
        };
        size_t *count[XV_CHR_DEVICE_LAST] = {
            [XV_CHR_DEVICE_SERIAL] = &def->nserials,
            [XV_CHR_DEVICE_PARALLEL] = &def->nparallels,
            [XV_CHR_DEVICE_CONSOLE] = &def->nconsoles,
            [XV_CHR_DEVICE_CHANNEL] = &def->nchannels,
        };
        xvChrDeviceType device = dev->chr->device;

        APPEND_DEVICE(*list[device], *count[device], g_steal_pointer(&dev->chr), kind,
                      xvDomainChrDefFree);
    }
    return 0;
}

int
xvDomainDevicesParse(xvDomainDef *def, xmlNodePtr devices, unsigned int flags)
{
    if (!devices)
        return 0;
    for (xmlNodePtr cur = devices->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE || cur->ns)
            continue;
        if (xvXmlIsElement(cur, "emulator")) {
            g_free(def->emulator);
            def->emulator = xvXmlContent(cur);
        } else if (xvXmlIsElement(cur, "memballoon")) {
            static const char *const models[] = {"xen", "virtio", "none", NULL};
            g_free(def->memballoon_model);
            if (!(def->memballoon_model = xvXmlAttr(cur, "model"))) {
                xvReportError(VIR_ERR_XML_DETAIL, "%s", "memballoon: missing model attribute");
                return -1;
            }
            if (xvParseOneOf("memballoon: model", def->memballoon_model, models) < 0)
                return -1;
        } else {
            g_autoptr(xvDomainDeviceDef) dev = g_new0(xvDomainDeviceDef, 1);
            int rc = parseDeviceElement(cur, dev);

            if (rc < 0)
                return -1;
            if (rc > 0 && addDevice(def, dev, (const char *)cur->name,
                                    flags & XV_DOMAIN_PARSE_KEEP_ORDER) < 0)
                return -1;
        }
    }
    return 0;
}

/* The root of an attach/detach document: one device, by element name. */
int
xvDomainDeviceParse(xvDomainDeviceDef *dev, xmlNodePtr node)
{
    int rc = parseDeviceElement(node, dev);

    if (rc == 0)
        xvReportError(VIR_ERR_XML_ERROR, "unknown device type <%s>", (const char *)node->name);
    return rc > 0 ? 0 : -1;
}
