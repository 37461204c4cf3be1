/*
 * capabilities.h: the host capabilities document (virConnectGetCapabilities)
 * built from a plain description; shared by the test and Xen drivers.  Pure:
 * the caller gathers the facts, this only formats them the way libvirt does.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct {
    const char *os_type;   /* hvm, xen, xenpvh */
    const char *arch;      /* i686, x86_64 */
    unsigned int wordsize; /* 32, 64 */
    const char *emulator;  /* may be NULL */
    const char *loader;    /* may be NULL */
    const char *domain_type; /* xen, test */
    const char *const *machines; /* NULL-terminated, may be NULL */
    bool pae, nonpae, acpi, apic, hap;
} xvCapsGuest;

typedef struct {
    const char *arch;
    unsigned long long memory_kib; /* whole host */
    unsigned int nodes, sockets, cores, threads; /* topology */
    const xvCapsGuest *guests;
    size_t nguests;
    const char *host_uuid; /* may be NULL */
} xvCaps;

/* Returns a newly allocated XML document; never fails. */
char *xvCapsFormat(const xvCaps *caps);
