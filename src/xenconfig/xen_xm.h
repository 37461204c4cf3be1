/*
 * xen_xm.h: the domain model <-> xm config files (/etc/xen/NAME as xm
 * read them), on top of the config syntax of xen_cfg.h.
 *
 * The keys xm and xl share are read and written here (xenParseConfigCommon
 * in libvirt's terms); xen_xl.c adds xl's own keys and disk syntax.  Pure:
 * no I/O, no global state.
 */
#pragma once

#include "conf/domain_conf.h"
#include "xenconfig/xen_cfg.h"

/* The host architecture converted configs are given (libvirt takes it from
 * the host's capabilities). */
#define XV_XEN_DEFAULT_ARCH "x86_64"

/* cfg -> def (with the defaults today's libvirt adds).  arch NULL means
 * XV_XEN_DEFAULT_ARCH.  Errors name the key and value. */
xvDomainDef *xvXMConfigToDomainDef(const xvCfg *cfg, const char *arch);
/* def -> a new xm config, keys in the order libvirt writes them. */
xvCfg *xvDomainDefToXMConfig(const xvDomainDef *def);

/* ---- shared with xen_xl.c ---- */

/* The keys both dialects read, in libvirt's order; def must be new. */
int xvXenParseConfigCommon(const xvCfg *cfg, xvDomainDef *def, const char *arch);
int xvXenFormatConfigCommon(xvCfg *cfg, const xvDomainDef *def);
/* usb/usbdevice (both dialects write them after the disks). */
int xvXenParseUSBDevice(const xvCfg *cfg, xvDomainDef *def);
void xvXenFormatUSBDevice(xvCfg *cfg, const xvDomainDef *def);
/* A PV guest's command line from root= and extra= ("root=R E"), as
 * libvirt joins them; absent when neither is given. */
int xvXenParseRootExtra(const xvCfg *cfg, xvDomainDef *def);
/* A PV guest's bootloader, bootargs, kernel, ramdisk and command line,
 * the last under cmdlineKey (xm: extra, xl: cmdline). */
void xvXenFormatPVBoot(xvCfg *cfg, const xvDomainDef *def, const char *cmdlineKey);
