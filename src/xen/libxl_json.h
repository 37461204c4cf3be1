/*
 * libxl_json.h: the domain configuration libxl keeps for each domain it
 * made ("libxl-json" userdata, /var/lib/xen/userdata-d.DOMID.UUID.libxl-json
 * on Xen 4.5+, the document `xl list -l` prints as "config") -> the domain
 * model.  Pure: text in, definition out, no I/O (libxl_state.c reads the
 * file and asks xenstore which devices are still there).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "conf/domain_conf.h"

/* Named limits on what a file can make us do: libxl's documents are a
 * few KiB and nest five levels deep. */
#define XV_LIBXL_JSON_MAX_BYTES (1024 * 1024)
#define XV_LIBXL_JSON_MAX_DEPTH 32

typedef enum {
    XV_LIBXL_DEV_VBD,  /* a disk, by its Linux device number (xvXenVdevDevid) */
    XV_LIBXL_DEV_VIF,  /* a NIC, by its devid */
} xvLibxlDevKind;

/* Whether the device of kind and devid still exists (libxl drops from its
 * answer the devices of the file that xenstore no longer lists). */
typedef bool (*xvLibxlDevKeep)(xvLibxlDevKind kind, int devid, void *opaque);

/* The definition in text[0..len), a libxl_domain_config document.  source
 * names the text in messages (the file).  keep may be NULL (every device
 * of the file).  Memory is the file's max_memkb/target_memkb, vcpus its
 * max_vcpus with avail_vcpus online: the caller overlays live figures.
 * NULL with VIR_ERR_CONF_SYNTAX naming source and the member on bad
 * input (not JSON, a member of the wrong type, a limit exceeded, a value
 * the domain model cannot hold). */
xvDomainDef *xvLibxlJSONToDomainDef(const char *text, size_t len, const char *source,
                                    xvLibxlDevKeep keep, void *opaque);

/* The Linux device number of a Xen virtual disk name, as blkback names
 * its backend vbd-DOMID-DEVID and libxl its xenstore directories:
 * xvdX (major 202, 16 minors per disk; xvdq and later in the extended
 * 1<<28 space), hdX (majors 3/22/33/..., 64 minors, two disks per major),
 * sdX (major 8, 16 minors), each with an optional partition number.
 * -1 if name is not one of those. */
int xvXenVdevDevid(const char *name);
