/*
 * control.h: xensim's control socket DIR/run/xensim/control, for tests.
 *
 * A line protocol; each command is answered by zero or more lines and
 * then "ok" or "error: MESSAGE":
 *   stats                 per-channel counters: "xend-requests N",
 *                         "hypercalls N", "xenstore-requests N",
 *                         "xenstore-connections N"
 *   reset                 zero the counters
 *   fault CHANNEL:SPEC    as --fault (xend, hv, xenstored)
 *   restart CHANNEL       drop the channel's clients and listen anew
 *   domains               one line per domain: "ID NAME STATE MEM-KiB"
 *                         (ID -1 for inactive managed domains)
 *
 * Next to it, the FIFO DIR/run/xensim/domctl takes the real xenstored test
 * shim's lines "create D", "shutdown D", "destroy D": hypervisor events for
 * domains that are not xensim's guests (domains a test introduces over the
 * XenStore wire), so @releaseDomain can be compared with the real daemon.
 */
#pragma once

#include "host.h"

gboolean xsimControlStart(XsimHost *host, GError **error);
void xsimControlFree(XsimControl *ctl);

/* Provided by xensim.c: the channel table's fault and restart entries. */
gboolean xsimAddFault(XsimHost *host, const char *arg, GError **error);
gboolean xsimRestartChannel(XsimHost *host, const char *name, GError **error);
