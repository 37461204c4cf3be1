/*
 * xen_native.h: offline conversion between domain XML and Xen's native
 * formats ("xen-sxpr", "xen-xm", "xen-xl"), the engine behind
 * virConnectDomainXMLFromNative / virConnectDomainXMLToNative.  Works on
 * any connection and needs no Xen host: strings in, strings out.
 */
#pragma once

#include "conf/domain_conf.h"

#define XV_NATIVE_FORMAT_SXPR "xen-sxpr"
#define XV_NATIVE_FORMAT_XM "xen-xm"
#define XV_NATIVE_FORMAT_XL "xen-xl"

/* Native config -> domain XML (inactive form, passwords left out, as
 * libvirt's API returns it).  flags must be 0.  NULL with the error
 * reported: VIR_ERR_INVALID_ARG for an unknown format (naming it),
 * the converter's error for bad input. */
char *xvDomainXMLFromNative(const char *format, const char *config, unsigned int flags);
/* Domain XML -> native config.  flags must be 0. */
char *xvDomainXMLToNative(const char *format, const char *xml, unsigned int flags);

/* The two halves, for callers holding a def (tests, the drivers). */
xvDomainDef *xvNativeToDomainDef(const char *format, const char *config);
char *xvDomainDefToNative(const char *format, const xvDomainDef *def);
