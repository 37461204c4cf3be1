/*
 * libxl_state.h: what libxl (xl's library, Xen 4.5+) keeps of a running
 * domain outside the hypervisor -- its configuration file under
 * /var/lib/xen and its device list in xenstore -- read as `xl list -l`
 * reads them.  Used by the Xen driver on hosts without xend.
 */
#pragma once

#include "conf/domain_conf.h"
#include "xen/xenstore.h"

/* The file libxl keeps domid's configuration in (under root, "" for the
 * real host); caller frees. */
char *xvLibxlUserdataPath(const char *root, int domid, const unsigned char *uuid);

/* The configuration of running domain domid (uuid): the libxl-json file,
 * less the devices xenstore no longer lists under /libxl/DOMID/device (as
 * libxl_retrieve_domain_configuration does; xs NULL keeps every device).
 * Memory and vcpus are the file's: the caller overlays live figures.
 * NULL with the error reported when the file is missing or unreadable
 * (VIR_ERR_OPERATION_FAILED naming it) or not a libxl document
 * (VIR_ERR_CONF_SYNTAX, from libxl_json.c). */
xvDomainDef *xvLibxlDomainDefLoad(const char *root, xvXs *xs, int domid,
                                  const unsigned char *uuid);

/* What the hypervisor and xenstore say of the running domain now. */
typedef struct {
    const char *name;            /* NULL: unknown (the file's is kept) */
    unsigned long long max_kib;  /* the balloon ceiling (static-max) */
    unsigned long long cur_kib;
    unsigned int vcpus;          /* online */
} xvLibxlLive;

/* xvLibxlDomainDefLoad with the live figures overlaid: name (a domain
 * renamed since), memory, the online vcpus (the file's max_vcpus stays the
 * maximum), and the ptys xenconsoled (PV console, console/tty) and QEMU
 * (an HVM guest's serial ports, serial/N/tty, which libxl writes) were
 * given; an HVM guest's console is its first serial port. */
xvDomainDef *xvLibxlLiveDomainDef(const char *root, xvXs *xs, int domid,
                                  const unsigned char *uuid, const xvLibxlLive *live);

/* After the domain is destroyed: remove libxl's files of it (every
 * userdata-d.DOMID.UUID.*, as libxl__userdata_destroyall does when xl
 * destroys a domain).  Errors are ignored: the domain is gone. */
void xvLibxlUserdataRemove(const char *root, int domid, const unsigned char *uuid);
