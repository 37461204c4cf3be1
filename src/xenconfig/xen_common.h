/*
 * xen_common.h: the syntax and defaults xend's SXP records and the
 * /etc/xen config files (xm and xl) share; used by xen_sxpr.c, xen_xm.c
 * and xen_xl.c alike.
 *
 * Character devices ("pty", "tcp:h:p,server" ...), soundhw lists, vif
 * rates, HVM boot letters, CPU lists, disk-name numbering, appending
 * devices to a def where libvirt's XML parser would put them, and the
 * defaults libvirt's Xen drivers add after reading a native config.
 * Pure: no I/O, no global state.
 */
#pragma once

#include "conf/domain_conf.h"

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

/* A vif's rate= ("10MB/s", "100Kb/s@20ms") as net's outbound average in
 * KiB/s; -1 with an error naming the rate. */
int xvXenSetVifRate(xvDomainNetDef *net, const char *rate);

/* "00:16:3e:aa:bb:cc" -> mac; false if it is not six hex bytes (the
 * caller reports, in its own channel's terms). */
bool xvXenParseMac(const char *str, unsigned char mac[6]);

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
/* An HVM image's floppy (dst "fda" or "fdb") holding the file path. */
void xvXenAddFloppy(xvDomainDef *def, const char *dst, const char *path);

/* Serial ports as xend and xm number them: a serial's target port, else
 * its place in def->serials. */
int xvXenSerialPort(const xvDomainDef *def, size_t i);
/* The highest port in use; -1 with no serials. */
int xvXenSerialMaxPort(const xvDomainDef *def);
/* The serial at port, or NULL (the first one when several claim it). */
const xvDomainChrDef *xvXenSerialAtPort(const xvDomainDef *def, int port);

/* The hpet <timer> (present yes/no), also mirrored in def->timer_hpet. */
void xvXenSetHpet(xvDomainDef *def, bool present);
