/*
 * domain_conf.c: the enum <-> string tables of the domain model, and the
 * life cycle of its structs (New, Free, Copy).
 *
 * The tables are the single spelling of every enumerated value: the parser
 * (domain_parse.c) and the formatter (domain_format.c) both go through them,
 * so a value can never be accepted under one spelling and written under
 * another.  Every Free accepts NULL and half-built objects, because the
 * parser frees whatever it has built so far when it meets an error.  Copy is
 * format + parse on purpose: a hand-written deep copy would be a fourth list
 * of fields to keep in step with the struct, and the round trip is already
 * proven a fixpoint by the golden tests.
 */
#define XV_FROM VIR_FROM_DOMAIN
#include "conf/domain_conf.h"

#include "util/error.h"

XV_ENUM_IMPL(xvTristate, XV_TRISTATE_LAST, "absent", "yes", "no");
XV_ENUM_IMPL(xvDomainVirtType, XV_DOMAIN_VIRT_LAST, "xen", "test");
XV_ENUM_IMPL(xvDomainOSType, XV_DOMAIN_OS_LAST, "linux", "xen", "hvm", "xenpvh");
XV_ENUM_IMPL(xvDomainLifecycleAction, XV_DOMAIN_LIFECYCLE_LAST,
             "destroy", "restart", "preserve", "rename-restart",
             "coredump-destroy", "coredump-restart");
XV_ENUM_IMPL(xvDomainBootDev, XV_DOMAIN_BOOT_LAST, "fd", "cdrom", "hd", "network");
XV_ENUM_IMPL(xvDiskType, XV_DISK_TYPE_LAST, "file", "block", "network");
XV_ENUM_IMPL(xvDiskDevice, XV_DISK_DEVICE_LAST, "disk", "cdrom", "floppy");
XV_ENUM_IMPL(xvDiskBus, XV_DISK_BUS_LAST,
             "none", "xen", "ide", "scsi", "usb", "virtio", "sata", "fdc");
XV_ENUM_IMPL(xvNetType, XV_NET_TYPE_LAST, "bridge", "ethernet", "network");
XV_ENUM_IMPL(xvGraphicsType, XV_GRAPHICS_LAST, "vnc", "sdl", "spice");
XV_ENUM_IMPL(xvChrDeviceType, XV_CHR_DEVICE_LAST, "console", "serial", "parallel", "channel");
XV_ENUM_IMPL(xvChrType, XV_CHR_TYPE_LAST,
             "pty", "file", "null", "stdio", "pipe", "dev", "tcp", "udp", "unix", "vc");
XV_ENUM_IMPL(xvTimerName, XV_TIMER_LAST,
             "platform", "pit", "rtc", "hpet", "tsc", "kvmclock", "hypervclock",
             "armvtimer");

xvDomainDef *
xvDomainDefNew(void)
{
    xvDomainDef *def = g_new0(xvDomainDef, 1);

    def->id = -1;
    def->vcpus = 1;
    return def;
}

void
xvDomainDiskDefFree(xvDomainDiskDef *disk)
{
    if (!disk)
        return;
    g_free(disk->driver_name);
    g_free(disk->driver_type);
    g_free(disk->src);
    g_free(disk->src_protocol);
    for (size_t i = 0; i < disk->nhosts; i++) {
        g_free(disk->hosts[i].name);
        g_free(disk->hosts[i].port);
    }
    g_free(disk->hosts);
    g_free(disk->dst);
    g_free(disk->backend_domain);
    g_free(disk);
}

void
xvDomainNetDefFree(xvDomainNetDef *net)
{
    if (!net)
        return;
    g_free(net->bridge);
    g_free(net->network);
    g_free(net->script);
    g_free(net->ip);
    for (size_t i = 0; i < net->nextra_ips; i++)
        g_free(net->extra_ips[i].address);
    g_free(net->extra_ips);
    g_free(net->vlan_tags);
    g_free(net->virtualport_type);
    g_free(net->ifname);
    g_free(net->backend_domain);
    g_free(net->model);
    g_free(net);
}

void
xvDomainGraphicsDefFree(xvDomainGraphicsDef *graphics)
{
    if (!graphics)
        return;
    g_free(graphics->listen);
    g_free(graphics->passwd);
    g_free(graphics->passwd_valid_to);
    g_free(graphics->keymap);
    g_free(graphics->display);
    g_free(graphics->xauth);
    g_free(graphics->mouse_mode);
    g_free(graphics);
}

void
xvDomainChrDefFree(xvDomainChrDef *chr)
{
    if (!chr)
        return;
    g_free(chr->path);
    g_free(chr->host);
    g_free(chr->service);
    g_free(chr->bind_host);
    g_free(chr->bind_service);
    g_free(chr->protocol);
    g_free(chr->target_type);
    g_free(chr->target_name);
    g_free(chr);
}

void
xvDomainInputDefFree(xvDomainInputDef *input)
{
    if (!input)
        return;
    g_free(input->type);
    g_free(input->bus);
    g_free(input);
}

void
xvDomainSoundDefFree(xvDomainSoundDef *sound)
{
    if (!sound)
        return;
    g_free(sound->model);
    g_free(sound);
}

void
xvDomainHostdevDefFree(xvDomainHostdevDef *hostdev)
{
    g_free(hostdev);
}

void
xvDomainVideoDefFree(xvDomainVideoDef *video)
{
    if (!video)
        return;
    g_free(video->model);
    g_free(video);
}

void
xvDomainControllerDefFree(xvDomainControllerDef *controller)
{
    if (!controller)
        return;
    g_free(controller->type);
    g_free(controller->model);
    g_free(controller);
}

void
xvDomainTimerDefFree(xvDomainTimerDef *timer)
{
    if (!timer)
        return;
    g_free(timer->tickpolicy);
    g_free(timer->track);
    g_free(timer->mode);
    g_free(timer);
}

void
xvDomainCpuFeatureDefFree(xvDomainCpuFeatureDef *feature)
{
    if (!feature)
        return;
    g_free(feature->policy);
    g_free(feature->name);
    g_free(feature);
}

void
xvDomainNumaCellDefFree(xvDomainNumaCellDef *cell)
{
    if (!cell)
        return;
    g_free(cell->cpus);
    g_free(cell->distances);
    g_free(cell);
}

/* Frees an array of n device pointers with the given destructor. */
#define FREE_LIST(list, n, freefn) \
    do { \
        for (size_t i_ = 0; i_ < (n); i_++) \
            freefn((list)[i_]); \
        g_free(list); \
    } while (0)

void
xvDomainDefFree(xvDomainDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    g_free(def->cpuset);
    g_free(def->vcpu_placement);
    g_free(def->os_arch);
    g_free(def->os_machine);
    g_free(def->os_loader);
    g_free(def->os_loader_type);
    g_free(def->os_kernel);
    g_free(def->os_initrd);
    g_free(def->os_cmdline);
    g_free(def->os_root);
    g_free(def->bootloader);
    g_free(def->bootloader_args);
    g_free(def->feature_xen_passthrough_mode);
    g_free(def->cpu_mode);
    g_free(def->cpu_match);
    g_free(def->cpu_check);
    FREE_LIST(def->cpu_features, def->ncpu_features, xvDomainCpuFeatureDefFree);
    FREE_LIST(def->numa_cells, def->nnuma_cells, xvDomainNumaCellDefFree);
    FREE_LIST(def->timers, def->ntimers, xvDomainTimerDefFree);
    g_free(def->clock_offset);
    g_free(def->clock_basis);
    g_free(def->emulator);
    FREE_LIST(def->disks, def->ndisks, xvDomainDiskDefFree);
    FREE_LIST(def->controllers, def->ncontrollers, xvDomainControllerDefFree);
    FREE_LIST(def->nets, def->nnets, xvDomainNetDefFree);
    FREE_LIST(def->graphics, def->ngraphics, xvDomainGraphicsDefFree);
    FREE_LIST(def->serials, def->nserials, xvDomainChrDefFree);
    FREE_LIST(def->parallels, def->nparallels, xvDomainChrDefFree);
    FREE_LIST(def->consoles, def->nconsoles, xvDomainChrDefFree);
    FREE_LIST(def->channels, def->nchannels, xvDomainChrDefFree);
    FREE_LIST(def->inputs, def->ninputs, xvDomainInputDefFree);
    FREE_LIST(def->sounds, def->nsounds, xvDomainSoundDefFree);
    FREE_LIST(def->hostdevs, def->nhostdevs, xvDomainHostdevDefFree);
    FREE_LIST(def->videos, def->nvideos, xvDomainVideoDefFree);
    g_free(def->memballoon_model);
    g_strfreev(def->xen_cmdline);
    g_free(def);
}

void
xvDomainDeviceDefFree(xvDomainDeviceDef *dev)
{
    if (!dev)
        return;
    xvDomainDiskDefFree(dev->disk);
    xvDomainNetDefFree(dev->net);
    xvDomainHostdevDefFree(dev->hostdev);
    xvDomainInputDefFree(dev->input);
    xvDomainChrDefFree(dev->chr);
    xvDomainGraphicsDefFree(dev->graphics);
    xvDomainSoundDefFree(dev->sound);
    xvDomainVideoDefFree(dev->video);
    xvDomainControllerDefFree(dev->controller);
    g_free(dev);
}

xvDomainDef *
xvDomainDefCopy(const xvDomainDef *def)
{
    g_autofree char *xml = NULL;

    if (!def) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no domain definition to copy");
        return NULL;
    }
    if (!(xml = xvDomainDefFormat(def, XV_DOMAIN_FORMAT_SECURE)))
        return NULL;
    return xvDomainDefParseStringFlags(xml, XV_DOMAIN_PARSE_KEEP_ORDER);
}

bool
xvDomainNetIfnameIsGenerated(const char *ifname)
{
    return ifname && (g_str_has_prefix(ifname, "vnet") || g_str_has_prefix(ifname, "macvtap") ||
                      g_str_has_prefix(ifname, "macvlan"));
}

const char *
xvDomainDefOSTypeString(const xvDomainDef *def)
{
    /* libvirt's Xen drivers always answered "linux" for PV guests, whether
     * the XML said linux or xen. */
    if (def->os_type == XV_DOMAIN_OS_XEN)
        return "linux";
    return xvDomainOSTypeTypeToString(def->os_type);
}
