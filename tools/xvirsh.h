/*
 * xvirsh.h: shared declarations of the xvirsh command-line tool.
 *
 * xvirsh is split into the shell itself (xvirsh.c: argument and command
 * parsing, the interactive loop, help, error reporting), small output and
 * parsing helpers (xvirsh-util.c) and the command tables
 * (xvirsh-domain.c, xvirsh-vcpu.c, xvirsh-monitor.c, xvirsh-host.c).
 * Commands see only what is declared here plus the public API in
 * <xenvirt/xenvirt.h>; nothing in tools/ may include a header from src/,
 * so the tool exercises exactly the interface a third-party program would
 * use.
 */
#ifndef XVIRSH_H
#define XVIRSH_H

#include <stdbool.h>
#include <glib.h>

#include <xenvirt/xenvirt.h>

/* How an option takes its value.  Every non-boolean option can also be
 * given positionally, in table order, unless it carries XVSH_OFLAG_NOPOS
 * (virsh 9.0 behaves the same way). */
typedef enum {
    XVSH_OT_BOOL,   /* --flag, no value */
    XVSH_OT_STRING, /* --name VALUE, optional */
    XVSH_OT_INT,    /* --name NUMBER; parsed by the command */
    XVSH_OT_DATA,   /* required positional string: <name> */
    XVSH_OT_ARGV,   /* may be repeated; collects the remaining data */
} XvshOptType;

enum {
    XVSH_OFLAG_REQ = 1 << 0,   /* the command cannot run without it */
    XVSH_OFLAG_NOPOS = 1 << 1, /* only as --name VALUE, never positional */
};

typedef struct {
    const char *name;
    XvshOptType type;
    unsigned int flags;
    const char *help;
} XvshOptDef;

typedef struct _XvshControl XvshControl;
typedef struct _XvshCmd XvshCmd;
typedef bool (*XvshHandler)(XvshControl *ctl, const XvshCmd *cmd);

enum {
    XVSH_CMD_NOCONNECT = 1 << 0, /* runs without a hypervisor connection */
};

typedef struct {
    const char *name;
    XvshHandler handler;
    const XvshOptDef *opts; /* terminated by an entry with name == NULL */
    const char *summary;    /* one line, for the command list */
    const char *desc;       /* longer text for `help CMD`; may be NULL */
    unsigned int flags;
} XvshCmdDef;

typedef struct {
    const char *name;    /* "Domain Management" */
    const char *keyword; /* "domain", for `help domain` */
    /* Its commands: one or more tables, each ending with name == NULL.  A
     * group of several tables is listed in alphabetical order, a group of
     * one in table order. */
    const XvshCmdDef *tables[3];
} XvshCmdGroup;

struct _XvshControl {
    char *uri;             /* as given with -c / connect, or NULL */
    virConnectPtr conn;    /* opened on first use */
    bool readonly;
    bool quiet;
    bool interactive;      /* the shell reads commands (cd is allowed) */
    virErrorPtr last_error; /* our own copy of the library's last error */
};

/* One option value of a parsed command. */
typedef struct {
    const XvshOptDef *def;
    char *value; /* NULL for booleans */
} XvshOptVal;

struct _XvshCmd {
    const XvshCmdDef *def;
    GPtrArray *vals; /* XvshOptVal *, in the order given */
};

/* Options many commands share. */
#define XVSH_OPT_DOMAIN \
    {.name = "domain", .type = XVSH_OT_DATA, .flags = XVSH_OFLAG_REQ, \
     .help = "domain name, id or uuid"}
#define XVSH_OPT_AFFECT \
    {.name = "config", .type = XVSH_OT_BOOL, .help = "change the persistent config (next boot)"}, \
    {.name = "live", .type = XVSH_OT_BOOL, .help = "change the running domain"}, \
    {.name = "current", .type = XVSH_OT_BOOL, .help = "change whichever of the two is current"}

/* ---- command tables (xvirsh-*.c) ---- */
extern const XvshCmdDef xvshDomainCmds[];
extern const XvshCmdDef xvshVcpuCmds[];
extern const XvshCmdDef xvshMonitorCmds[];
extern const XvshCmdDef xvshHostCmds[];
extern const XvshCmdDef xvshShellCmds[];
extern const XvshCmdGroup xvshGroups[];

/* ---- output and errors (xvirsh.c) ---- */
void xvshPrint(XvshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Like xvshPrint, but silent under --quiet. */
void xvshPrintExtra(XvshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Prints "error: MSG" on stderr. */
void xvshError(XvshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Prints the library's pending error, if any, and forgets it. */
void xvshReportError(XvshControl *ctl);
/* Forgets the library's pending error (a fallback path succeeded). */
void xvshResetError(XvshControl *ctl);
/* The pending library error code, or VIR_ERR_OK. */
int xvshLastErrorCode(XvshControl *ctl);

/* ---- option access (xvirsh.c) ---- */
bool xvshOptBool(const XvshCmd *cmd, const char *name);
/* The value of NAME or NULL when not given. */
const char *xvshOptString(const XvshCmd *cmd, const char *name);
/* Iterate an ARGV option: pass NULL first, then the previous result. */
const XvshOptVal *xvshOptArgv(const XvshCmd *cmd, const char *name, const XvshOptVal *prev);
/* 0 when absent, 1 when given and valid, -1 (error reported) otherwise. */
int xvshOptUInt(XvshControl *ctl, const XvshCmd *cmd, const char *name, unsigned int *value);
/* A size with virsh's units: plain numbers are in units of SCALE bytes,
 * suffixes (b, k/KiB, KB, M/MiB, MB, ... E/EiB, EB) override.  *value is in
 * bytes and must not exceed MAX.  Same return convention. */
int xvshOptScaledInt(XvshControl *ctl, const XvshCmd *cmd, const char *name,
                     unsigned long long *value, unsigned long long scale,
                     unsigned long long max);
/* Reports "Failed to get option 'NAME': Option argument is empty" when
 * NAME was given as "" (virsh refuses empty values of most options). */
bool xvshOptEmptyCheck(XvshControl *ctl, const XvshCmd *cmd, const char *name);
/* --config/--live/--current as virDomainModificationImpact flags (after
 * checking --current excludes the others). */
bool xvshAffectFlags(XvshControl *ctl, const XvshCmd *cmd, unsigned int *flags);
/* Whether any of --config/--live/--current was given at all. */
bool xvshAffectGiven(const XvshCmd *cmd);
/* Reports "Options --A and --B are mutually exclusive" when both are set. */
bool xvshExclusive(XvshControl *ctl, const XvshCmd *cmd, const char *a, const char *b);

/* ---- connection and lookups (xvirsh.c) ---- */
enum {
    XVSH_BYID = 1 << 0,
    XVSH_BYUUID = 1 << 1,
    XVSH_BYNAME = 1 << 2,
    XVSH_BYALL = XVSH_BYID | XVSH_BYUUID | XVSH_BYNAME,
};
/* Resolves the "domain" option (or OPTNAME) as virsh does: numeric ID,
 * then UUID, then name, as FLAGS allow.  On failure reports "failed to get
 * domain 'X'" and keeps the library's reason for the end of the command.
 * *name (optional) receives the string the user gave. */
virDomainPtr xvshCommandOptDomainBy(XvshControl *ctl, const XvshCmd *cmd, const char *optname,
                                    const char **name, unsigned int flags);
virDomainPtr xvshCommandOptDomain(XvshControl *ctl, const XvshCmd *cmd, const char **name);
/* Reads a whole file (at most 10 MiB) or reports why not. */
char *xvshReadFile(XvshControl *ctl, const char *path);

/* ---- helpers (xvirsh-util.c) ---- */
const char *xvshDomainStateToString(int state);
const char *xvshDomainStateReasonToString(int state, int reason);
const char *xvshVcpuStateToString(int state);

/* A text table laid out like virsh's: left-aligned columns, three spaces
 * apart, one leading space, and a rule under the header. */
typedef struct _XvshTable XvshTable;
XvshTable *xvshTableNew(const char *first, ...) G_GNUC_NULL_TERMINATED;
void xvshTableAddRow(XvshTable *table, const char *first, ...) G_GNUC_NULL_TERMINATED;
/* Without header (and with widths from the rows only) under --quiet. */
void xvshTablePrint(XvshControl *ctl, XvshTable *table);
void xvshTableFree(XvshTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvshTable, xvshTableFree)

/* CPU lists as in "0-3,^2": returns a newly allocated map of
 * VIR_CPU_MAPLEN(maxbits) bytes, or NULL with *err set to why. */
unsigned char *xvshParseCPUList(const char *str, int maxbits, int *lastbit, char **err);
/* Formats the set bits of MAP (NBITS long) as "0-1,3"; "" when empty. */
char *xvshFormatCPUList(const unsigned char *map, int nbits);

/* Prints the nodes of XML that XPATH selects, one per line, or with WRAP
 * as children of one <nodes> element (dumpxml --xpath). */
bool xvshPrintXPath(XvshControl *ctl, const char *xml, const char *xpath, bool wrap);

/* Number of host CPUs as the library reports it (nodeinfo), -1 on error. */
int xvshNodeCPUCount(XvshControl *ctl);

/* The connection, opening it if needed; NULL (error reported) on failure. */
virConnectPtr xvshConn(XvshControl *ctl);
bool xvshConnect(XvshControl *ctl, const char *uri, bool readonly);

#endif /* XVIRSH_H */
