/*
 * hvsim.h: xensim's hypervisor -- the hypercall endpoint
 * DIR/dev/xen/privcmd-sim.  It receives the bytes a privcmd ioctl would
 * hand to Xen (framing in src/xen/hypervisor_abi.h), decodes them with the
 * ABI row of the simulated Xen version (xvHvParseRequest), so a caller
 * using another version's interface numbers gets Xen's EACCES, and answers
 * from the shared host state as Xen does (xvHvReply*): xen_version,
 * physinfo, sched_id, getdomaininfolist, getdomaininfo, pause, unpause,
 * destroy, max_mem, max_vcpus, getvcpuinfo, vcpu affinity, credit
 * scheduler parameters.
 */
#pragma once

#include "host.h"

gboolean xsimHvStart(XsimHost *host, GError **error);
/* Drop every client and listen anew. */
gboolean xsimHvRestart(XsimHost *host, GError **error);
/* "delay=MS", "drop=N", "garble=N" (bad reply magic), "clear". */
gboolean xsimHvFault(XsimHost *host, const char *spec, GError **error);
