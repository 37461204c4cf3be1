/*
 * enum.c: lookups for the XV_ENUM_IMPL tables.  Unknown strings give -1 and
 * out-of-range values NULL; the caller reports, naming the element.
 */
#include "util/enum.h"

#include <string.h>

int
xvEnumFromString(const char *const *table, unsigned int ntable, const char *str)
{
    if (!str)
        return -1;
    for (unsigned int i = 0; i < ntable; i++) {
        if (table[i] && strcmp(table[i], str) == 0)
            return (int)i;
    }
    return -1;
}

const char *
xvEnumToString(const char *const *table, unsigned int ntable, int val)
{
    if (val < 0 || (unsigned int)val >= ntable)
        return NULL;
    return table[val];
}
