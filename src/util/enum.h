/*
 * enum.h: enum <-> string tables declared once and shared by parser and
 * formatter (libvirt's VIR_ENUM_DECL/IMPL pattern).  The IMPL macro
 * static-asserts that the table has exactly one string per enum value, so
 * adding a value without its spelling fails to build.
 */
#pragma once

#include <glib.h>

int xvEnumFromString(const char *const *table, unsigned int ntable, const char *str);
const char *xvEnumToString(const char *const *table, unsigned int ntable, int val);

#define XV_ENUM_DECL(name) \
    const char *name##TypeToString(int type); \
    int name##TypeFromString(const char *str)

#define XV_ENUM_IMPL(name, lastVal, ...) \
    static const char *const name##TypeList[] = {__VA_ARGS__}; \
    G_STATIC_ASSERT(G_N_ELEMENTS(name##TypeList) == (lastVal)); \
    const char *name##TypeToString(int type) \
    { return xvEnumToString(name##TypeList, G_N_ELEMENTS(name##TypeList), type); } \
    int name##TypeFromString(const char *str) \
    { return xvEnumFromString(name##TypeList, G_N_ELEMENTS(name##TypeList), str); }
