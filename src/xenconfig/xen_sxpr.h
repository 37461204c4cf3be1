/*
 * xen_sxpr.h: the domain model <-> xend's SXP records, both directions.
 *
 * Parsing takes the (domain ...) record xend returns for GET
 * /xend/domain/NAME (a tree from sexpr.h) plus the live values that are not
 * in it (console pty and VNC port come from xenstore); formatting gives the
 * (vm ...) config libvirt POSTs with op=create / op=new, and the single
 * device expressions device_create takes.  xend changed what it accepts
 * over its life (xend_config_format, see ../shared/spec/xend.md section 5):
 * every function takes that number.  Pure: no I/O, no global state.
 *
 * The second half of this header is the character-device, sound and rate
 * syntax that xend and the /etc/xen config files share, and the defaults
 * libvirt's Xen drivers add to a parsed domain; xen_xm.c and xen_xl.c use
 * them too.
 */
#pragma once

#include "conf/domain_conf.h"
#include "xenconfig/sexpr.h"

/* xend_config_format as xend reports it in GET /xend/node. */
typedef enum {
    XV_XEND_CONFIG_VERSION_3_0_2 = 1, /* absent from the node record */
    XV_XEND_CONFIG_VERSION_3_0_3 = 2, /* HVM CD-ROM as a vbd hdc:cdrom */
    XV_XEND_CONFIG_VERSION_3_0_4 = 3, /* managed domains; PV vfb devices */
    XV_XEND_CONFIG_VERSION_3_1_0 = 4, /* 3.1 .. 4.4: clock in image, no (type ioemu) */
} xvXendConfigVersion;

#define XV_XEND_CONFIG_VERSION_DEFAULT XV_XEND_CONFIG_VERSION_3_1_0

/* The domain id in a (domain ...) record, or -1 when it has none (an
 * inactive managed domain).  -1 with an error if domid does not parse. */
int xvSexprGetDomid(const xvSexpr *root, int *id);

/* The live state of a record as a virDomainState: from the six-letter
 * (state r-----) flags (crashed > shutoff > shutdown > paused > blocked >
 * running), else shutoff for an inactive managed domain (no domid or
 * (status 0)), else VIR_DOMAIN_NOSTATE.  Never fails. */
int xvSexprGetState(const xvSexpr *root);
/* (cpu_time SECONDS) in nanoseconds; 0 when absent or unreadable. */
unsigned long long xvSexprGetCpuTime(const xvSexpr *root);

/* (domain ...) -> def.  tty is the console pty from xenstore (NULL if
 * unknown), vncport the VNC port from xenstore (-1 if unknown).  Reports
 * VIR_ERR_INTERNAL_ERROR naming the missing or malformed field. */
xvDomainDef *xvSexprToDomainDef(const xvSexpr *root, const char *tty, int vncport,
                                int xendConfigVersion);
/* The same from text (one expression; a '' xend 4.1+ appends is ignored). */
xvDomainDef *xvSexprStringToDomainDef(const char *sexpr, const char *tty, int vncport,
                                      int xendConfigVersion);

/* def -> "(vm (name 'x')(memory ..)...)" as op=create/op=new take it. */
char *xvDomainDefToSexpr(const xvDomainDef *def, int xendConfigVersion);

/* One device for op=device_create (and device_configure): "(vbd ...)",
 * "(vif ...)", "(pci (dev ...)(state 'Initialising'|'Closing'))".  hvm says
 * whether the domain is HVM (disk dev suffix, NIC type). */
char *xvDomainDiskToSexpr(const xvDomainDiskDef *disk, bool hvm, int xendConfigVersion);
char *xvDomainNetToSexpr(const xvDomainNetDef *net, bool hvm, int xendConfigVersion);
char *xvDomainHostdevToSexpr(const xvDomainHostdevDef *hostdev, bool detach);

/* ---- shared with xen_xm.c and xen_xl.c ---- */

/* "pty", "file:/p", "/dev/ttyS0", "tcp:h:p,server,nowait", "telnet:..",
 * "udp:h:p@h:p", "unix:/p,server,nowait", "null", "stdio", "vc", "pipe:/p".
 * tty fills a pty's path.  NULL with an error on a bad string. */
xvDomainChrDef *xvXenParseChr(const char *value, const char *tty);
/* The same syntax back; NULL with an error for a type Xen cannot express. */
char *xvXenFormatChr(const xvDomainChrDef *chr);

/* -1 with an error naming what if value holds one of the forbidden
 * characters (the separators of a comma-separated device spec). */
int xvXenCheckSpecValue(const char *what, const char *value, const char *forbidden);

/* "sb16,es1370" or "all" -> def->sounds. */
int xvXenParseSound(xvDomainDef *def, const char *str);
/* def->sounds -> "sb16,es1370"; NULL when there are none. */
char *xvXenFormatSound(const xvDomainDef *def);

/* "10MB/s", "100Kb/s@20ms" -> KiB/s. */
int xvXenParseVifRate(const char *rate, unsigned long long *kbytes_per_sec);

/* HVM boot order letters ("dcn") <-> def->boot; format returns "c" when
 * no boot device is given. */
void xvXenParseBoot(xvDomainDef *def, const char *boot);
char *xvXenFormatBoot(const xvDomainDef *def);

/* "0-3,^2" -> "0-1,3" (libvirt's canonical CPU list); -1 with an error. */
int xvXenCanonicalCpuset(const char *str, char **out);

/* hda -> 0, xvdb -> 1, sdc -> 2 ...; -1 if not a disk name. */
int xvXenDiskNameToIndex(const char *name);

/* The defaults libvirt's Xen drivers add after parsing a native config. */
typedef enum {
    /* libvirt 1.3's xend driver: inputs only with graphics, no controllers,
     * no video, disk driver type not filled in. */
    XV_XEN_DEFAULTS_XEND = 0,
    /* today's libxl driver: arch/machine, xenbus (+ide) controllers, inputs
     * always, a default video with graphics. */
    XV_XEN_DEFAULTS_LIBXL = 1,
} xvXenDefaultsStyle;

int xvXenDomainDefAddDefaults(xvDomainDef *def, xvXenDefaultsStyle style,
                              const char *arch);

/* Appending to the device arrays of a def (ownership taken); disks go
 * where libvirt's XML parser would insert them. */
void xvXenAddDisk(xvDomainDef *def, xvDomainDiskDef *disk);
void xvXenAddNet(xvDomainDef *def, xvDomainNetDef *net);
void xvXenAddChr(xvDomainChrDef ***list, size_t *n, xvDomainChrDef *chr);
void xvXenAddGraphics(xvDomainDef *def, xvDomainGraphicsDef *gr);
void xvXenAddHostdev(xvDomainDef *def, xvDomainHostdevDef *hostdev);
void xvXenAddInput(xvDomainDef *def, const char *type, const char *bus);
void xvXenAddController(xvDomainDef *def, const char *type, unsigned int index);
/* The hpet <timer> (present yes/no), also mirrored in def->timer_hpet. */
void xvXenSetHpet(xvDomainDef *def, bool present);
