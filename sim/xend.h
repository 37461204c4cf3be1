/*
 * xend.h: xensim's xend -- the legacy SXP-over-HTTP interface of Xen's
 * management daemon (Xen 3.0.2 to 4.4; ../shared/spec/xend.md), on
 * DIR/var/lib/xend/xend-socket and, when asked, TCP 127.0.0.1:PORT only.
 *
 * It answers from the shared host state in the shape the chosen version's
 * xend produced: node and domain records with that version's fields and
 * field order (records are built from the domain's definition through the
 * project's own converters, src/xenconfig/xen_sxpr.h, then arranged as
 * xend arranged them), that version's xend_config_format, empty-string
 * and trailing '' conventions (4.1+), error statuses and bodies (spec
 * section 6), managed domains from 3.0.4 (kept in
 * DIR/var/lib/xend/domains/UUID/config.sxp across restarts, autostarted
 * with on_xend_start start).  Xen 4.5+ has no xend: the channel is then
 * not started.
 *
 * Not simulated: the HTML pages xend served to browsers (requests with
 * both User-Agent and Accept headers, Accept without application/sxp);
 * every reply is SXP, which is what libvirt and xm always got.  Migrate, the node's dmesg/log and vnet resources.  Files
 * named by save/restore/dump are taken below DIR.
 */
#pragma once

#include "host.h"

gboolean xsimXendStart(XsimHost *host, GError **error);
gboolean xsimXendRestart(XsimHost *host, GError **error);
/* "delay=MS", "drop=N" (half the reply, then close), "garble=N"
 * (malformed SXP body), "clear". */
gboolean xsimXendFault(XsimHost *host, const char *spec, GError **error);
