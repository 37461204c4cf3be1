/*
 * hypervisor_abi.h: the Xen hypercall ABI as data.  For every Xen interface
 * version we know (3.0.2's dom0_op through 4.17's sysctl/domctl 0x15) one
 * row of a table says which interface version numbers the hypervisor
 * accepts and which struct layout (size and field offsets) each operation
 * uses; a single encoder and a single decoder walk those layouts.  This
 * file is pure: bytes and structs in, bytes and structs out, no I/O, no
 * global state (hypervisor.c is the transport; ../shared/spec/hypercall.md
 * is where every number comes from).
 *
 * Layouts are those of an LP64 little-endian caller (x86_64, which is also
 * what a 32-bit caller sees from domctl 5 / sysctl 3 on, the "invariant"
 * interfaces).  The i386 variants of the 3.0.x eras are not described: a
 * 32-bit build refuses those rows (hypervisor.c).
 *
 * Rejected alternative: one C struct per version (libvirt's xen_v2d5_...,
 * xen_v2d6_..., ... with a switch per operation).  Each new Xen version
 * then costs a copy of every accessor; here it costs one table row.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

/* Hypercall numbers (__HYPERVISOR_*). */
#define XV_HV_HYPERCALL_DOM0_OP     7   /* platform_op from 3.0.3 on */
#define XV_HV_HYPERCALL_XEN_VERSION 17
#define XV_HV_HYPERCALL_SYSCTL      35
#define XV_HV_HYPERCALL_DOMCTL      36

/* xen_version commands used here. */
#define XV_HV_XENVER_VERSION      0
#define XV_HV_XENVER_EXTRAVERSION 1
#define XV_HV_XENVER_EXTRA_LEN    16
#define XV_HV_XENVER_CAPABILITIES 3   /* char[1024]: "xen-3.0-x86_64 hvm-3.0-x86_32 ..." */
#define XV_HV_XENVER_CHANGESET    4   /* char[64] */
#define XV_HV_XENVER_COMMANDLINE  9   /* char[1024], 4.0+ */

/* Size of the string buffer a xen_version command fills, 0 for none. */
guint32 xvHvXenVersionBufLen(int cmd);

/* Where the simulator transport and the golden files put the arena: a
 * fixed guest address, so the encoded bytes are reproducible. */
#define XV_HV_FIXED_BASE G_GUINT64_CONSTANT(0x0000100000000000)

/* Largest arena we ever build or accept (simulator frames included). */
#define XV_HV_MAX_ARENA (1024 * 1024)

/* Every field of every struct we encode or decode: one name list, used by
 * the layouts, the golden dumps and the layout tests. */
#define XV_HV_FIELDS(X) \
    /* op headers (dom0_op, sysctl, domctl) */ \
    X(HDR_CMD, "cmd") \
    X(HDR_IFACE, "interface_version") \
    X(HDR_DOMAIN, "domain") \
    X(HDR_PAYLOAD, "u") \
    /* getdomaininfo entry */ \
    X(GDI_DOMAIN, "domain") \
    X(GDI_FLAGS, "flags") \
    X(GDI_TOT_PAGES, "tot_pages") \
    X(GDI_MAX_PAGES, "max_pages") \
    X(GDI_OUTSTANDING_PAGES, "outstanding_pages") \
    X(GDI_SHR_PAGES, "shr_pages") \
    X(GDI_PAGED_PAGES, "paged_pages") \
    X(GDI_SHARED_INFO_FRAME, "shared_info_frame") \
    X(GDI_CPU_TIME, "cpu_time") \
    X(GDI_NR_ONLINE_VCPUS, "nr_online_vcpus") \
    X(GDI_MAX_VCPU_ID, "max_vcpu_id") \
    X(GDI_SSIDREF, "ssidref") \
    X(GDI_HANDLE, "handle") \
    X(GDI_CPUPOOL, "cpupool") \
    X(GDI_GPADDR_BITS, "gpaddr_bits") \
    X(GDI_ARCH_CONFIG, "arch_config") \
    /* getdomaininfolist */ \
    X(GDL_FIRST_DOMAIN, "first_domain") \
    X(GDL_MAX_DOMAINS, "max_domains") \
    X(GDL_BUFFER, "buffer") \
    X(GDL_NUM_DOMAINS, "num_domains") \
    /* physinfo */ \
    X(PHYS_THREADS_PER_CORE, "threads_per_core") \
    X(PHYS_CORES_PER_SOCKET, "cores_per_socket") \
    X(PHYS_SOCKETS_PER_NODE, "sockets_per_node") \
    X(PHYS_NR_CPUS, "nr_cpus") \
    X(PHYS_MAX_CPU_ID, "max_cpu_id") \
    X(PHYS_NR_NODES, "nr_nodes") \
    X(PHYS_MAX_NODE_ID, "max_node_id") \
    X(PHYS_CPU_KHZ, "cpu_khz") \
    X(PHYS_CAPABILITIES, "capabilities") \
    X(PHYS_ARCH_CAPABILITIES, "arch_capabilities") \
    X(PHYS_TOTAL_PAGES, "total_pages") \
    X(PHYS_FREE_PAGES, "free_pages") \
    X(PHYS_SCRUB_PAGES, "scrub_pages") \
    X(PHYS_OUTSTANDING_PAGES, "outstanding_pages") \
    X(PHYS_MAX_MFN, "max_mfn") \
    X(PHYS_HW_CAP, "hw_cap") \
    X(PHYS_CPU_TO_NODE, "cpu_to_node") \
    /* the dom0_op payloads name their domain first */ \
    X(D0_DOMAIN, "domain") \
    /* setvcpuaffinity / getvcpuaffinity */ \
    X(AFF_VCPU, "vcpu") \
    X(AFF_FLAGS, "flags") \
    X(AFF_HARD_BITMAP, "cpumap_hard.bitmap") \
    X(AFF_HARD_NR_BITS, "cpumap_hard.nr_bits") \
    X(AFF_SOFT_BITMAP, "cpumap_soft.bitmap") \
    X(AFF_SOFT_NR_BITS, "cpumap_soft.nr_bits") \
    X(AFF_INLINE_MAP, "cpumap") \
    /* getvcpuinfo */ \
    X(VCPU_VCPU, "vcpu") \
    X(VCPU_ONLINE, "online") \
    X(VCPU_BLOCKED, "blocked") \
    X(VCPU_RUNNING, "running") \
    X(VCPU_CPU_TIME, "cpu_time") \
    X(VCPU_CPU, "cpu") \
    X(VCPU_CPUMAP, "cpumap") \
    /* max_mem, max_vcpus */ \
    X(MEM_MAX_MEMKB, "max_memkb") \
    X(MAXV_MAX, "max") \
    /* scheduler_op (credit) and sched_id */ \
    X(SCHED_SCHED_ID, "sched_id") \
    X(SCHED_CMD, "cmd") \
    X(SCHED_WEIGHT, "u.credit.weight") \
    X(SCHED_CAP, "u.credit.cap") \
    X(SCHEDID_SCHED_ID, "sched_id")

typedef enum {
#define XV_HV_FIELD_ENUM(id, name) XV_HVF_##id,
    XV_HV_FIELDS(XV_HV_FIELD_ENUM)
#undef XV_HV_FIELD_ENUM
    XV_HVF_LAST
} xvHvFieldId;

/* The C spelling of a field as Xen's headers name it. */
const char *xvHvFieldName(xvHvFieldId f);

typedef struct {
    guint16 off;
    guint16 size;              /* 0: the field does not exist in this layout */
} xvHvField;

typedef struct {
    const char *name;          /* "getdomaininfo d0x14", used in dumps and tests */
    guint16 size;              /* sizeof the struct */
    xvHvField f[XV_HVF_LAST];
} xvHvLayout;

/* The operations this library issues. */
typedef enum {
    XV_HV_OP_GETDOMAININFOLIST,
    XV_HV_OP_PHYSINFO,
    XV_HV_OP_SCHED_ID,
    XV_HV_OP_GETDOMAININFO,
    XV_HV_OP_PAUSEDOMAIN,
    XV_HV_OP_UNPAUSEDOMAIN,
    XV_HV_OP_DESTROYDOMAIN,
    XV_HV_OP_MAX_MEM,
    XV_HV_OP_SETVCPUAFFINITY,
    XV_HV_OP_GETVCPUAFFINITY,
    XV_HV_OP_GETVCPUINFO,
    XV_HV_OP_MAX_VCPUS,
    XV_HV_OP_SCHED_CREDIT_GET,
    XV_HV_OP_SCHED_CREDIT_SET,
    XV_HV_OP_LAST
} xvHvOp;

const char *xvHvOpName(xvHvOp op);

/* Which payload layout of a row an operation uses. */
typedef enum {
    XV_HV_PL_NONE,             /* header only (modern pause/unpause/destroy) */
    XV_HV_PL_DOMID,            /* dom0_op: just the domain */
    XV_HV_PL_GETDOMAININFO,
    XV_HV_PL_GETDOMAININFOLIST,
    XV_HV_PL_PHYSINFO,
    XV_HV_PL_SCHED_ID,
    XV_HV_PL_VCPUAFFINITY,
    XV_HV_PL_GETVCPUINFO,
    XV_HV_PL_MAX_MEM,
    XV_HV_PL_MAX_VCPUS,
    XV_HV_PL_SCHEDULER_OP,
    XV_HV_PL_LAST
} xvHvPayload;

/* Bit positions of the getdomaininfo flags word; -1 when absent. */
typedef struct {
    gint8 dying, hvm, shutdown, paused, blocked, running;
    gint8 cpuShift;            /* current CPU in bits cpuShift..+7 (3.x), or -1 */
    gint8 shutdownShift;       /* reason in bits shutdownShift..+7 */
} xvHvFlagBits;

/* One Xen interface version: a row of the table. */
typedef struct {
    const char *name;          /* "4.17", "3.0.2", "unstable sys 4 (Fedora 8)" */
    guint32 xenver;            /* XENVER_version that reports it: (major<<16)|minor */
    bool dom0op;               /* hypercall 7 dom0_op era (3.0.0 - 3.0.2) */
    guint32 sysIface;          /* XEN_SYSCTL_INTERFACE_VERSION, or DOM0_INTERFACE_VERSION */
    guint32 domIface;          /* XEN_DOMCTL_INTERFACE_VERSION, or DOM0_INTERFACE_VERSION */
    bool pauseCounted;         /* 4.5+: pauses nest; unpausing an unpaused domain is EINVAL */
    const xvHvLayout *header[2];             /* [0] sysctl-side, [1] domctl-side */
    const xvHvLayout *payload[XV_HV_PL_LAST];
    const xvHvFlagBits *flags;
} xvHvAbi;

/* The table, newest first. */
const xvHvAbi *xvHvAbiTable(size_t *n);
/* Row by name ("4.17"), or NULL. */
const xvHvAbi *xvHvAbiByName(const char *name);
/* Row by the accepted interface pair; prefers the one whose xenver matches
 * (3.2 and 3.3 share sys 6 / dom 5 but differ in physinfo). */
const xvHvAbi *xvHvAbiByIfaces(bool dom0op, guint32 sysIface, guint32 domIface, guint32 xenver);

/* The probe order (spec §6.2): rows whose xenver matches first, then every
 * other row, newest to oldest.  Returns indexes into the table, -1 ended. */
void xvHvAbiProbeOrder(guint32 xenver, int *order, size_t norder);

/* Whether the row supports op; if not, *why says why (static string). */
bool xvHvAbiSupports(const xvHvAbi *abi, xvHvOp op, const char **why);

/* ---- Encoded calls ------------------------------------------------------ */

/*
 * An encoded hypercall: the privcmd_hypercall (op + five args) and the
 * arena, i.e. every byte Xen reads or writes: the op struct at offset 0,
 * then any data buffer.  Guest addresses are stored as offsets from the
 * start of the arena; xvHvCallRelocate turns them into addresses once the
 * arena's final location is known (the locked memory for the ioctl, or
 * XV_HV_FIXED_BASE for the simulator and the golden files).
 */
#define XV_HV_CALL_MAX_SLOTS 4
typedef struct {
    xvHvOp op;                 /* XV_HV_OP_LAST for xen_version */
    const xvHvAbi *abi;        /* NULL for xen_version */
    guint64 hypercall;
    guint64 arg[5];
    guint8 argIsAddr;          /* bit i: arg[i] is an arena offset */
    GByteArray *arena;
    guint32 slots[XV_HV_CALL_MAX_SLOTS]; /* arena offsets of 8-byte handle slots */
    guint nslots;
    guint32 dataOff, dataLen;  /* the data buffer (domain array, bitmap, string) */
    guint32 count;             /* entries asked for (list) */
} xvHvCall;

void xvHvCallInit(xvHvCall *call);
void xvHvCallClear(xvHvCall *call);

/* Copies the arena to dst (call->arena->len bytes) with every handle slot
 * set to base + offset, and fills args with the privcmd arguments. */
void xvHvCallRelocate(const xvHvCall *call, guint8 *dst, guint64 base, guint64 args[5]);

/* Parameters of the operations that take more than a domain id. */
typedef struct {
    guint32 first;             /* getdomaininfolist: first domain id */
    guint32 count;             /* getdomaininfolist: entries */
    guint32 vcpu;              /* vcpu ops */
    guint64 value;             /* max_mem (KiB), max_vcpus */
    const guint8 *cpumap;      /* setvcpuaffinity: bit c of byte c/8 = pCPU c */
    guint32 cpumapLen;         /* bytes in cpumap; get: bytes wanted */
    guint32 schedId;           /* credit ops: the pool's scheduler id */
    guint16 weight, cap;       /* credit set: 0 weight / 0xFFFF cap = unchanged */
} xvHvParams;

/* Encodes op for domain domid.  -1 with *err (static or g_strdup'ed into
 * *errOwned) when the row does not support the op or a parameter is out of
 * range.  xen_version calls use xvHvEncodeXenVersion. */
int xvHvEncode(const xvHvAbi *abi, xvHvOp op, guint32 domid, const xvHvParams *p,
               xvHvCall *call, char **err);
void xvHvEncodeXenVersion(xvHvCall *call, int cmd);

/* ---- Decoded replies ---------------------------------------------------- */

typedef struct {
    guint16 domid;
    guint32 flags;             /* raw word */
    bool dying, shutdown, paused, blocked, running;
    int hvm;                   /* 1 / 0, or -1 when this interface has no HVM bit */
    int shutdownReason;        /* SHUTDOWN_* when shutdown, else -1 */
    int cpu;                   /* current CPU (flags bits 8-15 before 4.0), else -1 */
    guint64 totPages, maxPages, outstandingPages, shrPages, pagedPages;
    guint64 sharedInfoFrame, cpuTime;
    guint32 nrOnlineVcpus, maxVcpuId, ssidref, cpupool;
    guint8 gpaddrBits;
    guint8 handle[16];
    guint64 present;           /* bit XV_HVF_GDI_*: the field exists in this layout */
} xvHvDomainInfo;

typedef struct {
    guint32 threadsPerCore, coresPerSocket, socketsPerNode, nrCpus, maxCpuId;
    guint32 nrNodes, maxNodeId, cpuKhz, capabilities, archCapabilities;
    guint64 totalPages, freePages, scrubPages, outstandingPages, maxMfn;
    guint32 hwCap[8];
    guint64 present;           /* bits (field - XV_HVF_PHYS_THREADS_PER_CORE) */
} xvHvPhysInfo;

typedef struct {
    guint32 vcpu;
    bool online, blocked, running;
    guint64 cpuTime;
    guint32 cpu;
} xvHvVcpuInfo;

/* Fields are decoded from the reply arena of call (after the transport has
 * run it).  Every decoder checks the arena holds what it reads and returns
 * -1 with a g_strdup'ed *err otherwise; none of them trusts a count. */
int xvHvDecodeDomainList(const xvHvCall *call, GArray *out /* of xvHvDomainInfo */, char **err);
int xvHvDecodeDomainInfo(const xvHvCall *call, xvHvDomainInfo *out, char **err);
int xvHvDecodePhysInfo(const xvHvCall *call, xvHvPhysInfo *out, char **err);
int xvHvDecodeVcpuInfo(const xvHvCall *call, xvHvVcpuInfo *out, char **err);
int xvHvDecodeSchedId(const xvHvCall *call, guint32 *schedId, char **err);
int xvHvDecodeCredit(const xvHvCall *call, guint16 *weight, guint16 *cap, char **err);
/* The affinity bitmap Xen wrote back (hard map); *len bytes, owned by call. */
int xvHvDecodeAffinity(const xvHvCall *call, const guint8 **map, guint32 *len, char **err);
int xvHvDecodeXenExtraVersion(const xvHvCall *call, char extra[XV_HV_XENVER_EXTRA_LEN + 1]);
/* The string a xen_version command wrote (NUL-bounded by its buffer);
 * NULL if call was not one of those. */
char *xvHvDecodeXenVersionString(const xvHvCall *call);

/* Low level, for the simulator and the tests: one getdomaininfo entry at
 * buf (len bytes) in abi's layout, both directions. */
int xvHvAbiGetDomainInfo(const xvHvAbi *abi, const guint8 *buf, gsize len, xvHvDomainInfo *out);
int xvHvAbiPutDomainInfo(const xvHvAbi *abi, guint8 *buf, gsize len, const xvHvDomainInfo *in);
int xvHvAbiPutPhysInfo(const xvHvAbi *abi, guint8 *buf, gsize len, const xvHvPhysInfo *in);
int xvHvAbiPutVcpuInfo(const xvHvAbi *abi, guint8 *buf, gsize len, const xvHvVcpuInfo *in);
/* Generic field access in little-endian order; size 1, 2, 4 or 8. */
guint64 xvHvFieldGet(const guint8 *base, const xvHvField *f);
void xvHvFieldPut(guint8 *base, const xvHvField *f, guint64 v);

/* virDomainState for a decoded entry, by priority: dying, shutdown (crash
 * -> CRASHED), paused, running, blocked (libvirt switched on exact single
 * bits and so got NOSTATE for paused+blocked). */
int xvHvDomainInfoState(const xvHvDomainInfo *info);
/* xl's six-letter state column, "rbpscd" with '-' for unset. */
void xvHvDomainInfoStateString(const xvHvDomainInfo *info, char out[7]);

/* "ESRCH" for 3, NULL when unknown: Xen's errno values equal Linux x86's. */
const char *xvHvErrnoName(int err);

/* ---- Simulator framing ----------------------------------------------------
 *
 * The simulator transport (DIR/dev/xen/privcmd-sim, a SOCK_STREAM UNIX
 * socket) carries exactly the bytes the ioctl would hand to Xen.  One
 * request, then one reply, any number of times per connection.  All
 * integers little-endian.
 *
 * request  (72-byte header, then the arena):
 *   0  char[4]  magic "XVHC"
 *   4  u32      framing version, 1
 *   8  u64      hypercall number (__HYPERVISOR_*)
 *  16  u64[5]   privcmd_hypercall.arg[]; an argument that points at Xen
 *               data holds a guest address inside the arena
 *  56  u64      base: the guest address of arena byte 0
 *  64  u32      arena length (<= XV_HV_MAX_ARENA; may be 0)
 *  68  u32      0
 *  72  ...      arena: the op struct, then the data buffers it points to
 *
 * reply    (24-byte header, then the arena):
 *   0  char[4]  magic "XVHR"
 *   4  u32      framing version, 1
 *   8  s64      the hypercall's return value: >= 0, or -errno (Xen's
 *               values, e.g. -13 EACCES for a wrong interface_version)
 *  16  u32      arena length: equal to the request's
 *  20  u32      0
 *  24  ...      the arena as Xen left it (its writes applied)
 *
 * The server must treat an address outside [base, base + length) as Xen
 * treats an unmapped address: -EFAULT (14).  A malformed request closes
 * the connection.  The client closes its end after a reply it cannot
 * parse or that does not arrive within its timeout, so a server must
 * write with MSG_NOSIGNAL (or ignore SIGPIPE).
 */
#define XV_HV_SIM_REQ_MAGIC "XVHC"
#define XV_HV_SIM_REP_MAGIC "XVHR"
#define XV_HV_SIM_VERSION 1
#define XV_HV_SIM_REQ_HDR 72
#define XV_HV_SIM_REP_HDR 24

typedef struct {
    guint64 hypercall;
    guint64 arg[5];
    guint64 base;
    guint32 arenaLen;
} xvHvSimRequest;

/* Header encode/decode; the parse functions check magic, version, the
 * reserved word and the length limit, -1 with *err otherwise. */
void xvHvSimRequestHeaderEncode(const xvHvSimRequest *req, guint8 out[XV_HV_SIM_REQ_HDR]);
int xvHvSimRequestHeaderParse(const guint8 *buf, gsize len, xvHvSimRequest *req, char **err);
void xvHvSimReplyHeaderEncode(gint64 ret, guint32 arenaLen, guint8 out[XV_HV_SIM_REP_HDR]);
int xvHvSimReplyHeaderParse(const guint8 *buf, gsize len, gint64 *ret, guint32 *arenaLen,
                            char **err);

/* ---- The hypervisor's side, for the simulator -------------------------------
 *
 * What Xen does with a request, described by the same tables: find the
 * operation and its parameters in a request arena, and write replies into
 * it.  xensim serves DIR/dev/xen/privcmd-sim with these; the tests check
 * that every golden encoding parses back to the parameters it was made
 * from.
 */
typedef struct {
    xvHvOp op;                 /* XV_HV_OP_LAST: xen_version (see xenverCmd) */
    int xenverCmd;
    guint32 domid;
    xvHvParams params;         /* cpumap points into the arena */
    guint32 payloadOff;        /* arena offset of the op's payload */
    guint32 dataOff, dataLen;  /* the guest buffer the op points to, checked */
} xvHvRequest;

/*
 * Parses a request as the hypervisor implementing abi would, with Xen's
 * answers for what it would refuse, as a negative errno in the return
 * value: -EFAULT (an address outside the arena, a short arena), -EACCES
 * (wrong interface_version), -ENOSYS (hypercall or command this
 * hypervisor does not have, or we do not simulate).  0 on success.
 */
int xvHvParseRequest(const xvHvAbi *abi, guint64 hypercall, const guint64 args[5], guint64 base,
                     guint8 *arena, guint32 len, xvHvRequest *req);

/* Replies, written into the request's arena.  Each returns the value the
 * hypercall returns (0, or -EFAULT when the guest buffer is too small).
 * Domain entries get their flags word composed from the booleans
 * (xvHvAbiComposeFlags); the list skips ids below the request's first. */
int xvHvReplyDomainList(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena,
                        const xvHvDomainInfo *doms, guint32 ndoms);
int xvHvReplyDomainInfo(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena,
                        const xvHvDomainInfo *dom);
int xvHvReplyPhysInfo(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena,
                      const xvHvPhysInfo *pi);
int xvHvReplyVcpuInfo(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena,
                      const xvHvVcpuInfo *vi);
int xvHvReplySchedId(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena, guint32 schedId);
int xvHvReplyCredit(const xvHvAbi *abi, const xvHvRequest *req, guint8 *arena, guint16 weight,
                    guint16 cap);
/* Copies map (len bytes) into the request's bitmap, zero-filled. */
int xvHvReplyAffinity(const xvHvRequest *req, guint8 *arena, const guint8 *map, guint32 len);
/* Composes a flags word from info's booleans, reason and hvm in abi's bit
 * positions (what Xen's getdomaininfo does). */
guint32 xvHvAbiComposeFlags(const xvHvAbi *abi, const xvHvDomainInfo *info);
