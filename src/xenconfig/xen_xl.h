/*
 * xen_xl.h: the domain model <-> xl config files, on top of xen_xm.c's
 * shared keys: xl's spellings (type=, cmdline, device_model_args), its
 * KEY=VALUE disk syntax, spice, USB controllers, channels, vNUMA and the
 * xenbus limits.  Pure: no I/O, no global state.
 */
#pragma once

#include "conf/domain_conf.h"
#include "xenconfig/xen_cfg.h"

/* arch NULL means XV_XEN_DEFAULT_ARCH (xen_xm.h). */
xvDomainDef *xvXLConfigToDomainDef(const xvCfg *cfg, const char *arch);
xvCfg *xvDomainDefToXLConfig(const xvDomainDef *def);
