/*
 * xen_devices.c: attaching and detaching disks, interfaces and PCI devices of a
 * domain through xend (device_create / device_destroy); an interface is
 * named by the device id xenstore lists for its MAC.
 */
#define XV_FROM VIR_FROM_XEN
#include "xen/xen_driver_priv.h"
#include "util/error.h"

#include <string.h>

#include "conf/domain_conf.h"

typedef struct {
    const char *xml;
    bool attach;
} devReq;

static int
opDevice(xenPriv *p, virDomainPtr dom, xenDomInfo *d, void *data)
{
    devReq *r = data;
    g_autoptr(xvDomainDeviceDef) dev = xvDomainDeviceDefParseString(r->xml);
    g_autoptr(xvDomainDef) def = NULL;
    xenDomInfo again = {0};
    g_autofree char *sxp = NULL;
    bool hvm;

    if (!dev)
        return -1;
    if (!p->xend)
        return xenNoChannel(p, r->attach ? "attaching devices" : "detaching devices", "xend");
    if (!(def = xenDomDef(p, dom, &again)))
        return -1;
    xenDomInfoClear(&again);
    hvm = def->os_type == XV_DOMAIN_OS_HVM;
    if (r->attach) {
        if (dev->disk)
            sxp = xvDomainDiskToSexpr(dev->disk, hvm, p->xend_format);
        else if (dev->net)
            sxp = xvDomainNetToSexpr(dev->net, hvm, p->xend_format);
        else if (dev->hostdev)
            sxp = xvDomainHostdevToSexpr(dev->hostdev, false);
        else
            return xenNoChannel(p, "attaching this device type", "disk, interface or hostdev");
        if (!sxp)
            return -1;
        return xenXendDomainOp(p, d, NULL, "op", "device_create", "config", sxp, NULL);
    }
    if (dev->disk) {
        const char *type = dev->disk->driver_name && g_str_has_prefix(dev->disk->driver_name,
                                                                      "tap")
                               ? dev->disk->driver_name
                               : "vbd";
        return xenXendDomainOp(p, d, NULL, "op", "device_destroy", "type", type, "dev",
                            dev->disk->dst, "force", "0", "rm_cfg", "1", NULL);
    }
    if (dev->net && d->id >= 0 && p->xs && dev->net->has_mac) {
        /* xend names a NIC by its device id, which only xenstore knows: the
         * frontend entry device/vif/N whose mac matches. */
        g_autofree char *dir = g_strdup_printf("/local/domain/%d/device/vif", d->id);
        g_auto(GStrv) ids = NULL;
        char want[18];

        g_snprintf(want, sizeof(want), "%02x:%02x:%02x:%02x:%02x:%02x", dev->net->mac[0],
                   dev->net->mac[1], dev->net->mac[2], dev->net->mac[3], dev->net->mac[4],
                   dev->net->mac[5]);
        if (xvXsDirectory(p->xs, XV_XS_NO_TX, dir, &ids) < 0)
            return -1;
        for (size_t i = 0; ids && ids[i]; i++) {
            g_autofree char *rel = g_strdup_printf("device/vif/%s/mac", ids[i]);
            g_autofree char *mac = xenXsReadDom(p, d->id, rel);
            if (mac && g_ascii_strcasecmp(mac, want) == 0)
                return xenXendDomainOp(p, d, NULL, "op", "device_destroy", "type", "vif", "dev",
                                    ids[i], "force", "0", "rm_cfg", "1", NULL);
        }
        xvReportError(VIR_ERR_DEVICE_MISSING, "domain '%s' has no interface with MAC %s",
                      dom->name, want);
        return -1;
    }
    return xenNoChannel(p, "detaching this device", "a disk, or an interface with a MAC on a "
                     "running domain");
}

int
xenDomainAttachDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags)
{
    devReq r = {xml, true};
    return xenWithDomain(dom, opDevice, &r);
}

int
xenDomainDetachDeviceFlags(virDomainPtr dom, const char *xml, unsigned int flags)
{
    devReq r = {xml, false};
    return xenWithDomain(dom, opDevice, &r);
}
