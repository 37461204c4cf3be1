/*
 * domain_parse_priv.h: what the two halves of the domain XML parser share,
 * and nothing else may use.
 *
 * domain_parse.c reads the document and the domain-wide elements (memory,
 * vcpu, os, features, cpu, clock, lifecycle); domain_parse_dev.c reads
 * everything under <devices> and the single-device documents of
 * attach/detach.  Both read the tree through the same first-match helpers
 * and report bad values through the same checked conversions, declared
 * here, so an error names the element and the value the same way wherever
 * it is found.  Not a general XML library: other layers keep their own
 * readers (the formats in xenconfig/ are not XML).
 */
#pragma once

#include <libxml/tree.h>

#include "conf/domain_conf.h"

/* Tree helpers: unqualified elements only, first match wins (libvirt's
 * "./name[1]").  Strings are newly allocated; the caller frees them. */
bool xvXmlIsElement(xmlNodePtr node, const char *name);
xmlNodePtr xvXmlChild(xmlNodePtr parent, const char *name);
char *xvXmlAttr(xmlNodePtr node, const char *name);
char *xvXmlContent(xmlNodePtr node);
char *xvXmlChildContent(xmlNodePtr parent, const char *name);
char *xvXmlChildAttr(xmlNodePtr parent, const char *name, const char *attrname);

/* Checked conversions: 0, or -1 with an error naming `what` and the
 * offending text (VIR_ERR_XML_DETAIL, or VIR_ERR_CONFIG_UNSUPPORTED for
 * xvParseOneOf, whose message lists the accepted values). */
int xvParseULL(const char *what, const char *str, unsigned long long *out);
int xvParseUInt(const char *what, const char *str, unsigned int max, unsigned int *out);
int xvParseLL(const char *what, const char *str, long long *out);
int xvParseHexOrDec(const char *what, const char *str, unsigned int max, unsigned int *out);
int xvParseYesNo(const char *what, const char *str, xvTristate *out);
int xvParseOneOf(const char *what, const char *str, const char *const *allowed);

/* Appends item to a device list, enforcing the per-kind cap; takes
 * ownership of item, freeing it with freefn if the list is full.  On a
 * full list it reports and returns -1 from the function it is used in. */
#define APPEND_DEVICE(list, count, item, kind, freefn) \
    do { \
        __typeof__(*(list)) item_ = (item); \
        if ((count) >= XV_DOMAIN_MAX_DEVICES_PER_KIND) { \
            freefn(item_); \
            xvReportError(VIR_ERR_XML_DETAIL, "devices: more than %d <%s> elements", \
                          XV_DOMAIN_MAX_DEVICES_PER_KIND, (kind)); \
            return -1; \
        } \
        (list) = g_renew(__typeof__(*(list)), (list), (count) + 1); \
        (list)[(count)++] = item_; \
    } while (0)

/* domain_parse_dev.c.  xvDomainDevicesParse fills def from <devices>
 * (NULL: nothing to do); flags are the XV_DOMAIN_PARSE_* of the caller.
 * xvDomainDeviceParse reads one device element into dev. */
int xvDomainDevicesParse(xvDomainDef *def, xmlNodePtr devices, unsigned int flags);
int xvDomainDeviceParse(xvDomainDeviceDef *dev, xmlNodePtr node);
