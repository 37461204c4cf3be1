/*
 * driver_util.c: see driver_util.h.
 */
#include "driver_util.h"

#include "xenvirt/xenvirt.h"

/* One group of mutually exclusive filter flags: matches when no flag of
 * the group is set, or the one describing the domain is. */
static bool
groupMatches(unsigned int flags, unsigned int group, unsigned int mine)
{
    return !(flags & group) || (flags & mine);
}

bool
xvDomainMatchListFlags(bool active, bool persistent, int state, bool autostart,
                       unsigned int flags)
{
    const unsigned int stateGroup = VIR_CONNECT_LIST_DOMAINS_RUNNING |
                                    VIR_CONNECT_LIST_DOMAINS_PAUSED |
                                    VIR_CONNECT_LIST_DOMAINS_SHUTOFF |
                                    VIR_CONNECT_LIST_DOMAINS_OTHER;
    unsigned int stateFlag;

    if (!active)
        state = VIR_DOMAIN_SHUTOFF;
    if (state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED)
        stateFlag = VIR_CONNECT_LIST_DOMAINS_RUNNING;
    else if (state == VIR_DOMAIN_PAUSED)
        stateFlag = VIR_CONNECT_LIST_DOMAINS_PAUSED;
    else if (state == VIR_DOMAIN_SHUTOFF)
        stateFlag = VIR_CONNECT_LIST_DOMAINS_SHUTOFF;
    else
        stateFlag = VIR_CONNECT_LIST_DOMAINS_OTHER;

    return groupMatches(flags, VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE,
                        active ? VIR_CONNECT_LIST_DOMAINS_ACTIVE
                               : VIR_CONNECT_LIST_DOMAINS_INACTIVE) &&
           groupMatches(flags,
                        VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
                        persistent ? VIR_CONNECT_LIST_DOMAINS_PERSISTENT
                                   : VIR_CONNECT_LIST_DOMAINS_TRANSIENT) &&
           groupMatches(flags, stateGroup, stateFlag) &&
           groupMatches(flags,
                        VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
                        autostart ? VIR_CONNECT_LIST_DOMAINS_AUTOSTART
                                  : VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART) &&
           groupMatches(flags,
                        VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE |
                            VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
                        VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE) &&
           groupMatches(flags,
                        VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT | VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT,
                        VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT) &&
           groupMatches(flags,
                        VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT |
                            VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT,
                        VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT);
}
