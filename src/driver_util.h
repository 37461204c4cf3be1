/*
 * driver_util.h: logic every driver shares and must apply the same way,
 * so that a program sees one behaviour whatever the URI.
 */
#pragma once

#include <stdbool.h>

#include "util/error.h"

/* Whether a domain with these properties passes virConnectListAllDomains'
 * filter flags (the groups ACTIVE/INACTIVE, PERSISTENT/TRANSIENT,
 * RUNNING/PAUSED/SHUTOFF/OTHER, AUTOSTART/NO_AUTOSTART each match when
 * none of their flags or the matching one is given).  Managed save,
 * snapshots and checkpoints are never kept, so their positive flags
 * match nothing. */
bool xvDomainMatchListFlags(bool active, bool persistent, int state, bool autostart,
                            unsigned int flags);

/* Refuse flags outside `allowed` the way libvirt's virCheckFlags does:
 * VIR_ERR_INVALID_ARG naming the bits and the function; returns ret. */
#define XV_CHECK_FLAGS(flags, allowed, ret) \
    do { \
        unsigned int unknown_ = (flags) & ~(unsigned int)(allowed); \
        if (unknown_) { \
            xvReportErrorVerbatimFull(XV_FROM, VIR_ERR_INVALID_ARG, \
                                      "unsupported flags (0x%x) in function %s", unknown_, \
                                      __func__); \
            return ret; \
        } \
    } while (0)
