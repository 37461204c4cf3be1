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
 * The character-device, sound and rate syntax that xend and the /etc/xen
 * config files share, and the defaults libvirt's Xen drivers add to a
 * parsed domain, are declared in xen_common.h, included here so that the
 * SXP users (the xend channel, xensim) get them with this header.
 */
#pragma once

#include "conf/domain_conf.h"
#include "xenconfig/sexpr.h"
#include "xenconfig/xen_common.h"

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
