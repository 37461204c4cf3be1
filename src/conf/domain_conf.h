/*
 * domain_conf.h: the one domain model every channel and format converts
 * to and from.
 *
 * Plain structs, no behaviour beyond parse/format/free; no I/O and no global
 * state, so the layer is fuzzable.  "Not given" is representable for every
 * optional value (NULL strings, has_ flags, xvTristate) so that define ->
 * dumpxml returns what the user wrote.  Memory is always held in KiB, the
 * unit libvirt formats.  Fields may be added; existing names are a contract
 * with the drivers and xenconfig/.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "util/enum.h"

typedef enum {
    XV_TRISTATE_ABSENT = 0,
    XV_TRISTATE_YES,
    XV_TRISTATE_NO,
    XV_TRISTATE_LAST
} xvTristate;
XV_ENUM_DECL(xvTristate);

typedef enum {
    XV_DOMAIN_VIRT_XEN = 0,
    XV_DOMAIN_VIRT_TEST,
    XV_DOMAIN_VIRT_LAST
} xvDomainVirtType;
XV_ENUM_DECL(xvDomainVirtType);

typedef enum {
    XV_DOMAIN_OS_LINUX = 0, /* Xen PV, old spelling */
    XV_DOMAIN_OS_XEN,       /* Xen PV */
    XV_DOMAIN_OS_HVM,
    XV_DOMAIN_OS_XENPVH,
    XV_DOMAIN_OS_LAST
} xvDomainOSType;
XV_ENUM_DECL(xvDomainOSType);

typedef enum {
    XV_DOMAIN_LIFECYCLE_DESTROY = 0,
    XV_DOMAIN_LIFECYCLE_RESTART,
    XV_DOMAIN_LIFECYCLE_PRESERVE,
    XV_DOMAIN_LIFECYCLE_RENAME_RESTART,
    XV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY,
    XV_DOMAIN_LIFECYCLE_COREDUMP_RESTART,
    XV_DOMAIN_LIFECYCLE_LAST
} xvDomainLifecycleAction;
XV_ENUM_DECL(xvDomainLifecycleAction);

typedef enum {
    XV_DOMAIN_BOOT_FD = 0,
    XV_DOMAIN_BOOT_CDROM,
    XV_DOMAIN_BOOT_HD,
    XV_DOMAIN_BOOT_NETWORK,
    XV_DOMAIN_BOOT_LAST
} xvDomainBootDev;
XV_ENUM_DECL(xvDomainBootDev);

typedef enum {
    XV_DISK_TYPE_FILE = 0,
    XV_DISK_TYPE_BLOCK,
    XV_DISK_TYPE_NETWORK,
    XV_DISK_TYPE_LAST
} xvDiskType;
XV_ENUM_DECL(xvDiskType);

typedef enum {
    XV_DISK_DEVICE_DISK = 0,
    XV_DISK_DEVICE_CDROM,
    XV_DISK_DEVICE_FLOPPY,
    XV_DISK_DEVICE_LAST
} xvDiskDevice;
XV_ENUM_DECL(xvDiskDevice);

typedef enum {
    XV_DISK_BUS_NONE = 0, /* not given */
    XV_DISK_BUS_XEN,
    XV_DISK_BUS_IDE,
    XV_DISK_BUS_SCSI,
    XV_DISK_BUS_USB,
    XV_DISK_BUS_VIRTIO,
    XV_DISK_BUS_SATA,
    XV_DISK_BUS_FDC,
    XV_DISK_BUS_LAST
} xvDiskBus;
XV_ENUM_DECL(xvDiskBus);

typedef struct {
    char *name;
    char *port; /* as written (a number); NULL if not given */
} xvDomainDiskHostDef;

typedef struct {
    xvDiskType type;
    xvDiskDevice device;
    char *driver_name;  /* phy, file, tap, tap2, qemu; NULL if not given */
    char *driver_type;  /* raw, qcow, qcow2, vhd, aio; NULL if not given */
    char *src;          /* file path, block device, or network name; NULL = empty */
    char *src_protocol; /* network disks only */
    xvDomainDiskHostDef *hosts; /* network disks: <source><host/>... */
    size_t nhosts;
    char *dst;          /* target dev, required */
    xvDiskBus bus;
    char *backend_domain; /* <backenddomain name=>: a Xen driver domain */
    bool readonly;
    bool shareable;
    bool has_address;   /* <address type='drive' .../> */
    unsigned int addr_controller, addr_bus, addr_target, addr_unit;
} xvDomainDiskDef;

typedef enum {
    XV_NET_TYPE_BRIDGE = 0,
    XV_NET_TYPE_ETHERNET,
    XV_NET_TYPE_NETWORK,
    XV_NET_TYPE_LAST
} xvNetType;
XV_ENUM_DECL(xvNetType);

typedef struct {
    char *address;
    unsigned int prefix; /* 0 = not given */
} xvDomainNetIPDef;

/* <bandwidth><inbound|outbound average= peak= burst=/>; 0 = not given */
typedef struct {
    bool set;
    unsigned long long average, peak, burst; /* KiB/s, KiB/s, KiB */
} xvDomainNetRateDef;

typedef struct {
    xvNetType type;
    bool has_mac;
    unsigned char mac[6];
    char *bridge;   /* type=bridge: source bridge */
    char *network;  /* type=network: source network */
    char *script;   /* script path */
    char *ip;       /* first <ip address=> */
    unsigned int ip_prefix; /* its prefix=; 0 = not given */
    xvDomainNetIPDef *extra_ips; /* further <ip> elements */
    size_t nextra_ips;
    unsigned int *vlan_tags; /* <vlan><tag id=/>... */
    size_t nvlan_tags;
    xvTristate vlan_trunk;
    char *virtualport_type; /* openvswitch, ...; NULL if not given */
    xvDomainNetRateDef bw_inbound;
    xvDomainNetRateDef bw_outbound;
    char *ifname;   /* target dev (vifname) */
    char *backend_domain; /* <backenddomain name=>: a Xen driver domain */
    char *model;    /* model type */
} xvDomainNetDef;

typedef enum {
    XV_GRAPHICS_VNC = 0,
    XV_GRAPHICS_SDL,
    XV_GRAPHICS_SPICE,
    XV_GRAPHICS_LAST
} xvGraphicsType;
XV_ENUM_DECL(xvGraphicsType);

typedef struct {
    xvGraphicsType type;
    int port;          /* vnc: -1 = auto; valid only with has_port */
    bool has_port;
    xvTristate autoport;
    char *listen;
    char *passwd;
    char *keymap;
    char *display;     /* sdl */
    char *xauth;       /* sdl */
    xvTristate fullscreen;
    char *passwd_valid_to; /* vnc passwdValidTo= */
    bool listen_element;   /* a <listen type='address'/> child was given */
    int tls_port;          /* spice tlsPort=; valid only with has_tls_port */
    bool has_tls_port;
    char *mouse_mode;      /* spice <mouse mode=/> */
    xvTristate copypaste;  /* spice <clipboard copypaste=/> */
} xvDomainGraphicsDef;

typedef enum {
    XV_CHR_DEVICE_CONSOLE = 0,
    XV_CHR_DEVICE_SERIAL,
    XV_CHR_DEVICE_PARALLEL,
    XV_CHR_DEVICE_CHANNEL,
    XV_CHR_DEVICE_LAST
} xvChrDeviceType;
XV_ENUM_DECL(xvChrDeviceType);

typedef enum {
    XV_CHR_TYPE_PTY = 0,
    XV_CHR_TYPE_FILE,
    XV_CHR_TYPE_NULL,
    XV_CHR_TYPE_STDIO,
    XV_CHR_TYPE_PIPE,
    XV_CHR_TYPE_DEV,
    XV_CHR_TYPE_TCP,
    XV_CHR_TYPE_UDP,
    XV_CHR_TYPE_UNIX,
    XV_CHR_TYPE_VC,
    XV_CHR_TYPE_LAST
} xvChrType;
XV_ENUM_DECL(xvChrType);

typedef struct {
    xvChrDeviceType device;
    xvChrType type;
    char *path;          /* pty (live), file, pipe, dev, unix */
    char *host;          /* tcp/udp */
    char *service;       /* tcp/udp port */
    char *bind_host;     /* udp */
    char *bind_service;  /* udp */
    bool listen;         /* tcp/unix: mode='bind' */
    char *protocol;      /* tcp: raw or telnet; NULL if not given */
    bool has_target_port;
    int target_port;
    char *target_type;   /* console: xen, serial; channel: xen, virtio */
    char *target_name;   /* channel: org.qemu.guest_agent.0 ... */
} xvDomainChrDef;

typedef struct {
    char *type; /* mouse, tablet, keyboard */
    char *bus;  /* usb, ps2, xen */
} xvDomainInputDef;

typedef struct {
    char *model;
} xvDomainSoundDef;

typedef struct {
    unsigned int domain, bus, slot, function;
    xvTristate managed;
    xvTristate write_filtering; /* <source writeFiltering=> (pci permissive) */
} xvDomainHostdevDef;

typedef struct {
    char *model;
    bool has_vram;
    unsigned int vram; /* KiB */
    bool has_heads;
    unsigned int heads;
    xvTristate primary;
} xvDomainVideoDef;

typedef enum {
    XV_TIMER_PLATFORM = 0,
    XV_TIMER_PIT,
    XV_TIMER_RTC,
    XV_TIMER_HPET,
    XV_TIMER_TSC,
    XV_TIMER_KVMCLOCK,
    XV_TIMER_HYPERVCLOCK,
    XV_TIMER_ARMVTIMER,
    XV_TIMER_LAST
} xvTimerName;
XV_ENUM_DECL(xvTimerName);

/* <clock><timer name= present= tickpolicy= track= mode= frequency=/>.
 * hpet is mirrored in xvDomainDef.timer_hpet for the Xen channels. */
typedef struct {
    xvTimerName name;
    xvTristate present;
    char *tickpolicy;
    char *track;
    char *mode;
    bool has_frequency;
    unsigned long long frequency;
} xvDomainTimerDef;

typedef struct {
    char *type;   /* xenbus, ide, scsi, usb, fdc, ... */
    unsigned int index;
    char *model;  /* NULL if not given */
    bool has_ports;
    unsigned int ports;
    bool has_max_grant_frames;
    unsigned int max_grant_frames; /* xenbus maxGrantFrames= */
    bool has_max_event_channels;
    unsigned int max_event_channels; /* xenbus maxEventChannels= */
} xvDomainControllerDef;

typedef struct {
    char *policy; /* force, require, optional, disable, forbid */
    char *name;
} xvDomainCpuFeatureDef;

typedef struct {
    unsigned int id;
    unsigned int value;
} xvDomainNumaDistanceDef;

typedef struct {
    unsigned int id;
    char *cpus;                /* canonical CPU list */
    unsigned long long memory; /* KiB */
    xvDomainNumaDistanceDef *distances;
    size_t ndistances;
} xvDomainNumaCellDef;

typedef struct {
    xvDomainVirtType virt_type;
    int id;                    /* -1 when inactive */
    char *name;
    unsigned char uuid[16];
    bool has_uuid;
    char *title;
    char *description;

    unsigned long long max_memory;     /* <memory>, KiB */
    unsigned long long current_memory; /* <currentMemory>, KiB; 0 = same as max */
    bool has_max_memory_slots;         /* <maxMemory> */
    unsigned long long hotplug_memory; /* <maxMemory>, KiB */
    unsigned int max_memory_slots;

    unsigned int vcpus;         /* <vcpu>, the maximum */
    unsigned int vcpus_current; /* current=; 0 = same as vcpus */
    char *cpuset;               /* cpuset= as written */
    char *vcpu_placement;       /* placement=; NULL if not given */

    xvDomainOSType os_type;
    char *os_arch;
    char *os_machine;
    char *os_loader;
    char *os_loader_type;     /* rom, pflash; NULL if not given */
    xvTristate os_loader_readonly;
    char *os_kernel;
    char *os_initrd;
    char *os_cmdline;
    char *os_root;
    char *bootloader;
    char *bootloader_args;
    xvDomainBootDev boot[XV_DOMAIN_BOOT_LAST];
    size_t nboot;

    xvTristate feature_pae;
    xvTristate feature_acpi;
    xvTristate feature_apic;
    xvTristate feature_hap;
    xvTristate feature_viridian;
    xvTristate feature_xen_e820_host;   /* <features><xen><e820_host state=/> */
    xvTristate feature_xen_passthrough; /* <features><xen><passthrough state=/> */
    char *feature_xen_passthrough_mode; /* sync_pt, share_pt; NULL if not given */

    char *cpu_mode;             /* <cpu mode=>; NULL if not given */
    char *cpu_match;            /* <cpu match=> */
    char *cpu_check;            /* <cpu check=> */
    bool has_cpu;               /* a <cpu> element was given */
    xvDomainCpuFeatureDef **cpu_features;
    size_t ncpu_features;
    xvDomainNumaCellDef **numa_cells;
    size_t nnuma_cells;

    xvTristate timer_hpet;      /* <clock><timer name='hpet' present=/> */
    xvDomainTimerDef **timers;  /* every <timer>, hpet included */
    size_t ntimers;

    char *clock_offset;           /* utc, localtime, variable; NULL if not given */
    bool has_clock_adjustment;
    long long clock_adjustment;   /* offset='variable' adjustment= */
    bool clock_adjustment_reset;  /* offset='utc|localtime' adjustment='reset' */
    char *clock_basis;            /* offset='variable' basis=; NULL if not given */

    bool has_on_poweroff, has_on_reboot, has_on_crash;
    xvDomainLifecycleAction on_poweroff;
    xvDomainLifecycleAction on_reboot;
    xvDomainLifecycleAction on_crash;

    char *emulator;
    xvDomainDiskDef **disks;
    size_t ndisks;
    xvDomainControllerDef **controllers;
    size_t ncontrollers;
    xvDomainNetDef **nets;
    size_t nnets;
    xvDomainGraphicsDef **graphics;
    size_t ngraphics;
    xvDomainChrDef **serials;
    size_t nserials;
    xvDomainChrDef **parallels;
    size_t nparallels;
    xvDomainChrDef **consoles;
    size_t nconsoles;
    xvDomainChrDef **channels;
    size_t nchannels;
    xvDomainInputDef **inputs;
    size_t ninputs;
    xvDomainSoundDef **sounds;
    size_t nsounds;
    xvDomainHostdevDef **hostdevs;
    size_t nhostdevs;
    xvDomainVideoDef **videos;
    size_t nvideos;
    char *memballoon_model; /* NULL if not given */
    char **xen_cmdline;     /* <xen:commandline><xen:arg value=/>; NULL-terminated or NULL */
} xvDomainDef;

/* A device parsed on its own, for attach/detach: exactly one member is set. */
typedef struct {
    xvDomainDiskDef *disk;
    xvDomainNetDef *net;
    xvDomainHostdevDef *hostdev;
    xvDomainInputDef *input;
    xvDomainChrDef *chr;
    xvDomainGraphicsDef *graphics;
    xvDomainSoundDef *sound;
    xvDomainVideoDef *video;
    xvDomainControllerDef *controller;
} xvDomainDeviceDef;

typedef enum {
    XV_DOMAIN_FORMAT_INACTIVE = 1 << 0, /* omit id= and live-only values */
    XV_DOMAIN_FORMAT_SECURE = 1 << 1,   /* include passwords */
} xvDomainFormatFlags;

/* Parse a <domain> document.  Returns NULL with the error reported
 * (VIR_ERR_XML_ERROR for malformed XML, VIR_ERR_XML_DETAIL /
 * VIR_ERR_CONFIG_UNSUPPORTED for bad values, naming element and value). */
xvDomainDef *xvDomainDefParseString(const char *xml);

typedef enum {
    /* as libvirt's define: ignore id= and live state (pty paths, the port
     * an autoport vnc display was given) */
    XV_DOMAIN_PARSE_INACTIVE = 1 << 0,
    /* keep disks in document order instead of libvirt's (used by Copy, so
     * that a copy of a def built by code keeps its order) */
    XV_DOMAIN_PARSE_KEEP_ORDER = 1 << 1,
} xvDomainParseFlags;
xvDomainDef *xvDomainDefParseStringFlags(const char *xml, unsigned int flags);
/* Format as libvirt does today; caller frees the string. */
char *xvDomainDefFormat(const xvDomainDef *def, unsigned int flags);
xvDomainDef *xvDomainDefNew(void);
void xvDomainDefFree(xvDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainDef, xvDomainDefFree);
/* Deep copy via format+parse is acceptable; NULL on error. */
xvDomainDef *xvDomainDefCopy(const xvDomainDef *def);

xvDomainDeviceDef *xvDomainDeviceDefParseString(const char *xml);
void xvDomainDeviceDefFree(xvDomainDeviceDef *dev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainDeviceDef, xvDomainDeviceDefFree);

void xvDomainDiskDefFree(xvDomainDiskDef *disk);
void xvDomainNetDefFree(xvDomainNetDef *net);
void xvDomainHostdevDefFree(xvDomainHostdevDef *hostdev);
void xvDomainInputDefFree(xvDomainInputDef *input);
void xvDomainChrDefFree(xvDomainChrDef *chr);
void xvDomainGraphicsDefFree(xvDomainGraphicsDef *graphics);
void xvDomainSoundDefFree(xvDomainSoundDef *sound);
void xvDomainVideoDefFree(xvDomainVideoDef *video);
void xvDomainControllerDefFree(xvDomainControllerDef *controller);
void xvDomainTimerDefFree(xvDomainTimerDef *timer);
void xvDomainCpuFeatureDefFree(xvDomainCpuFeatureDef *feature);
void xvDomainNumaCellDefFree(xvDomainNumaCellDef *cell);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainDiskDef, xvDomainDiskDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainNetDef, xvDomainNetDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainGraphicsDef, xvDomainGraphicsDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainChrDef, xvDomainChrDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainInputDef, xvDomainInputDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainSoundDef, xvDomainSoundDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainHostdevDef, xvDomainHostdevDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainVideoDef, xvDomainVideoDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainControllerDef, xvDomainControllerDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainTimerDef, xvDomainTimerDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainCpuFeatureDef, xvDomainCpuFeatureDefFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvDomainNumaCellDef, xvDomainNumaCellDefFree);

/* Format one device as libvirt does inside <devices> (no indentation);
 * caller frees.  NULL with an error if dev holds nothing. */
char *xvDomainDeviceDefFormat(const xvDomainDeviceDef *dev, unsigned int flags);

/* Limits a document can push on the parser; exceeding one is an error
 * naming the limit. */
#define XV_DOMAIN_XML_MAX_BYTES (10 * 1024 * 1024)
#define XV_DOMAIN_MAX_DEVICES_PER_KIND 1024
#define XV_DOMAIN_MAX_VCPUS 4096

/* A CPU list ("0-3,^2,8") in libvirt's canonical form ("0-1,3,8"), or
 * NULL if it is not a valid non-empty list; caller frees.  The parser
 * stores cpusets this way, and the formatter canonicalises what code put
 * in a def, so that output always parses back to itself. */
char *xvDomainCpusetCanonical(const char *str);

/* Interface names libvirt generates itself (vnet, macvtap, macvlan) are
 * live state: inactive parsing and formatting leave them out, as every
 * libvirt driver does.  (libvirt's libxl driver also treats names starting
 * with "vif" so; that is for the Xen driver to do before formatting.) */
bool xvDomainNetIfnameIsGenerated(const char *ifname);

/* The OS type string the API returns ("linux" for Xen PV, "hvm", ...). */
const char *xvDomainDefOSTypeString(const xvDomainDef *def);
