/*
 * xvirsh.c: the shell of xvirsh, a virsh-compatible command-line tool.
 *
 * This file owns everything that is not a command: the program's own
 * options, splitting a command line into commands and options exactly as
 * virsh 9.0 does (so scripts written for virsh work unchanged), running the
 * commands, reporting errors as "error: ..." lines on stderr, the
 * interactive shell (GNU readline when stdin is a terminal, a plain line
 * reader that echoes like readline when it is not, so a script can be piped
 * in), `help`, and the shell's own commands (cd, pwd, connect, quit).
 * The other commands live in xvirsh-domain.c, xvirsh-vcpu.c,
 * xvirsh-monitor.c and xvirsh-host.c and use only the public API.
 *
 * The library never prints: we install an error callback that keeps a copy
 * of the last error, and print it once when the command fails, after the
 * command's own message -- the order virsh uses ("error: Failed to start
 * domain 'x'" then "error: <the library's reason>").  One deliberate
 * difference: when a domain cannot be found we keep the library's reason
 * ("Domain not found: ...") after "failed to get domain 'x'", where virsh
 * 9.0 drops it.
 *
 * We chose to parse options with a small table-driven parser instead of
 * getopt per command because virsh's rules (any non-boolean option may
 * also be positional, in table order; "--opt=value"; "--" ends options)
 * are not getopt's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "xvirsh.h"

#define XVSH_MAX_XML_FILE (10 * 1024 * 1024)
#define XVSH_HISTSIZE 500

/* ---- errors ----------------------------------------------------------- */

static void
xvshErrorFree(virErrorPtr err)
{
    if (!err)
        return;
    g_free(err->message);
    g_free(err->str1);
    g_free(err->str2);
    g_free(err->str3);
    g_free(err);
}

static virErrorPtr
xvshErrorCopy(const virError *err)
{
    virErrorPtr copy = g_new0(virError, 1);

    copy->code = err->code;
    copy->domain = err->domain;
    copy->level = err->level;
    copy->message = g_strdup(err->message);
    copy->str1 = g_strdup(err->str1);
    copy->str2 = g_strdup(err->str2);
    copy->str3 = g_strdup(err->str3);
    copy->int1 = err->int1;
    copy->int2 = err->int2;
    return copy;
}

/* Installed with virSetErrorFunc: keep the error for the end of the
 * command instead of letting the library print it. */
static void
xvshErrorHandler(void *opaque, virErrorPtr err)
{
    XvshControl *ctl = opaque;

    xvshErrorFree(ctl->last_error);
    ctl->last_error = err ? xvshErrorCopy(err) : NULL;
    if (g_getenv("XVIRSH_DEBUG") && err && err->message)
        fprintf(stderr, "debug: library error %d/%d: %s\n", err->domain, err->code, err->message);
}

void
xvshResetError(XvshControl *ctl)
{
    xvshErrorFree(ctl->last_error);
    ctl->last_error = NULL;
    virResetLastError();
}

int
xvshLastErrorCode(XvshControl *ctl)
{
    virErrorPtr err;

    if (ctl->last_error)
        return ctl->last_error->code;
    err = virGetLastError();
    return err ? err->code : VIR_ERR_OK;
}

void
xvshReportError(XvshControl *ctl)
{
    if (!ctl->last_error) {
        virErrorPtr err = virGetLastError();

        if (!err || err->code == VIR_ERR_OK)
            goto out;
        ctl->last_error = xvshErrorCopy(err);
    }

    if (ctl->last_error->code == VIR_ERR_OK || !ctl->last_error->message)
        xvshError(ctl, "%s", "unknown error");
    else
        xvshError(ctl, "%s", ctl->last_error->message);

 out:
    xvshResetError(ctl);
}

/* A reason found by xvirsh itself (not the library) that must be printed
 * at the end of the command, where virsh prints the library's reason. */
static void G_GNUC_PRINTF(3, 4)
xvshSetPendingError(XvshControl *ctl, int code, const char *fmt, ...)
{
    va_list ap;
    virError err = { .code = code, .domain = VIR_FROM_NONE, .level = VIR_ERR_ERROR };

    va_start(ap, fmt);
    err.message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    xvshErrorFree(ctl->last_error);
    ctl->last_error = xvshErrorCopy(&err);
    g_free(err.message);
}

/* ---- output ----------------------------------------------------------- */

void
xvshPrint(XvshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void
xvshPrintExtra(XvshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    if (ctl->quiet)
        return;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void
xvshError(XvshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    /* keep stdout and stderr in order when both go to one terminal */
    fflush(stdout);
    fputs("error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

/* ---- option access ---------------------------------------------------- */

static const XvshOptVal *
xvshOptFind(const XvshCmd *cmd, const char *name)
{
    for (guint i = 0; i < cmd->vals->len; i++) {
        const XvshOptVal *val = g_ptr_array_index(cmd->vals, i);

        if (strcmp(val->def->name, name) == 0)
            return val;
    }
    return NULL;
}

bool
xvshOptBool(const XvshCmd *cmd, const char *name)
{
    return xvshOptFind(cmd, name) != NULL;
}

const char *
xvshOptString(const XvshCmd *cmd, const char *name)
{
    const XvshOptVal *val = xvshOptFind(cmd, name);

    return val ? val->value : NULL;
}

const XvshOptVal *
xvshOptArgv(const XvshCmd *cmd, const char *name, const XvshOptVal *prev)
{
    bool after = prev == NULL;

    for (guint i = 0; i < cmd->vals->len; i++) {
        const XvshOptVal *val = g_ptr_array_index(cmd->vals, i);

        if (!after) {
            after = val == prev;
            continue;
        }
        if (strcmp(val->def->name, name) == 0)
            return val;
    }
    return NULL;
}

/* Strict base-10 parse of the whole string; no sign for unsigned. */
static bool
xvshParseULL(const char *str, unsigned long long *value, char **end)
{
    char *tail = NULL;

    if (!g_ascii_isdigit(str[0]))
        return false;
    errno = 0;
    *value = g_ascii_strtoull(str, &tail, 10);
    if (errno != 0 || tail == str)
        return false;
    if (end)
        *end = tail;
    else if (*tail != '\0')
        return false;
    return true;
}

int
xvshOptUInt(XvshControl *ctl, const XvshCmd *cmd, const char *name, unsigned int *value)
{
    const char *str = xvshOptString(cmd, name);
    unsigned long long v;

    if (!str)
        return 0;
    if (!xvshParseULL(str, &v, NULL) || v > G_MAXUINT) {
        xvshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range", str, name);
        return -1;
    }
    *value = v;
    return 1;
}

/* The unit suffixes virsh accepts for sizes: a power of 1024 for "k",
 * "KiB" and friends, of 1000 for "KB". */
static int
xvshScaleInteger(XvshControl *ctl, unsigned long long *value, const char *suffix,
                 unsigned long long scale, unsigned long long limit)
{
    static const char powers[] = "kmgtpe";

    if (!suffix || !*suffix) {
        /* plain number: SCALE bytes per unit */
    } else if (g_ascii_strcasecmp(suffix, "b") == 0 || g_ascii_strcasecmp(suffix, "byte") == 0 ||
               g_ascii_strcasecmp(suffix, "bytes") == 0) {
        scale = 1;
    } else {
        unsigned long long base;
        const char *p;

        if (!suffix[1] || g_ascii_strcasecmp(suffix + 1, "iB") == 0) {
            base = 1024;
        } else if (g_ascii_tolower(suffix[1]) == 'b' && !suffix[2]) {
            base = 1000;
        } else {
            xvshSetPendingError(ctl, VIR_ERR_INVALID_ARG, "invalid argument: unknown suffix '%s'", suffix);
            return -1;
        }
        if (!(p = strchr(powers, g_ascii_tolower(suffix[0])))) {
            xvshSetPendingError(ctl, VIR_ERR_INVALID_ARG, "invalid argument: unknown suffix '%s'", suffix);
            return -1;
        }
        scale = 1;
        for (const char *q = powers; q <= p; q++)
            scale *= base;
    }

    if (*value && *value > limit / scale) {
        xvshSetPendingError(ctl, VIR_ERR_OVERFLOW, "numerical overflow: value too large: %llu%s",
                            *value, suffix ? suffix : "");
        return -1;
    }
    *value *= scale;
    return 0;
}

int
xvshOptScaledInt(XvshControl *ctl, const XvshCmd *cmd, const char *name,
                 unsigned long long *value, unsigned long long scale, unsigned long long max)
{
    const char *str = xvshOptString(cmd, name);
    char *end = NULL;

    if (!str)
        return 0;
    if (!xvshParseULL(str, value, &end) || xvshScaleInteger(ctl, value, end, scale, max) < 0) {
        xvshError(ctl, "Scaled numeric value '%s' for <%s> option is malformed or out of range",
                  str, name);
        return -1;
    }
    return 1;
}

bool
xvshExclusive(XvshControl *ctl, const XvshCmd *cmd, const char *a, const char *b)
{
    if (xvshOptFind(cmd, a) && xvshOptFind(cmd, b)) {
        xvshError(ctl, "Options --%s and --%s are mutually exclusive", a, b);
        return false;
    }
    return true;
}

bool
xvshOptEmptyCheck(XvshControl *ctl, const XvshCmd *cmd, const char *name)
{
    const char *value = xvshOptString(cmd, name);

    if (value && !*value) {
        xvshError(ctl, "Failed to get option '%s': Option argument is empty", name);
        return false;
    }
    return true;
}

bool
xvshAffectFlags(XvshControl *ctl, const XvshCmd *cmd, unsigned int *flags)
{
    if (!xvshExclusive(ctl, cmd, "current", "live") ||
        !xvshExclusive(ctl, cmd, "current", "config"))
        return false;
    *flags = VIR_DOMAIN_AFFECT_CURRENT;
    if (xvshOptBool(cmd, "config"))
        *flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (xvshOptBool(cmd, "live"))
        *flags |= VIR_DOMAIN_AFFECT_LIVE;
    return true;
}

bool
xvshAffectGiven(const XvshCmd *cmd)
{
    return xvshOptBool(cmd, "config") || xvshOptBool(cmd, "live") || xvshOptBool(cmd, "current");
}

/* ---- connection and lookups ------------------------------------------- */

bool
xvshConnect(XvshControl *ctl, const char *uri, bool readonly)
{
    virConnectPtr conn;

    if (ctl->conn) {
        virConnectClose(ctl->conn);
        ctl->conn = NULL;
    }
    conn = readonly ? virConnectOpenReadOnly(uri) : virConnectOpen(uri);
    if (!conn) {
        xvshError(ctl, "%s", "failed to connect to the hypervisor");
        xvshReportError(ctl);
        return false;
    }
    ctl->conn = conn;
    ctl->readonly = readonly;
    return true;
}

virConnectPtr
xvshConn(XvshControl *ctl)
{
    if (!ctl->conn && !xvshConnect(ctl, ctl->uri, ctl->readonly))
        return NULL;
    return ctl->conn;
}

virDomainPtr
xvshCommandOptDomainBy(XvshControl *ctl, const XvshCmd *cmd, const char *optname,
                       const char **name, unsigned int flags)
{
    const char *str = xvshOptString(cmd, optname);
    virDomainPtr dom = NULL;
    char *end = NULL;
    gint64 id;

    if (!str)
        return NULL; /* the parser already enforced required options */
    if (!xvshOptEmptyCheck(ctl, cmd, optname))
        return NULL;
    if (name)
        *name = str;

    errno = 0;
    id = g_ascii_strtoll(str, &end, 10);
    if ((flags & XVSH_BYID) && errno == 0 && end != str && *end == '\0' && id >= 0 &&
        id <= G_MAXINT)
        dom = virDomainLookupByID(ctl->conn, (int) id);
    if (!dom && (flags & XVSH_BYUUID) && strlen(str) == VIR_UUID_STRING_BUFLEN - 1)
        dom = virDomainLookupByUUIDString(ctl->conn, str);
    if (!dom && (flags & XVSH_BYNAME))
        dom = virDomainLookupByName(ctl->conn, str);

    /* Unlike virsh 9.0 we keep the library's reason ("Domain not found:
     * ...") and print it after our own line: it tells which lookup failed. */
    if (!dom)
        xvshError(ctl, "failed to get domain '%s'", str);
    else
        xvshResetError(ctl); /* an earlier way (ID, UUID) may have failed */
    return dom;
}

virDomainPtr
xvshCommandOptDomain(XvshControl *ctl, const XvshCmd *cmd, const char **name)
{
    return xvshCommandOptDomainBy(ctl, cmd, "domain", name, XVSH_BYALL);
}

char *
xvshReadFile(XvshControl *ctl, const char *path)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    char chunk[65536];
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        xvshError(ctl, "Failed to open file '%s': %s", path, g_strerror(errno));
        return NULL;
    }
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            xvshError(ctl, "Failed to read file '%s': %s", path, g_strerror(errno));
            close(fd);
            return NULL;
        }
        if (n == 0)
            break;
        if (buf->len + n > XVSH_MAX_XML_FILE) {
            xvshError(ctl, "Failed to read file '%s': larger than %d bytes", path,
                      XVSH_MAX_XML_FILE);
            close(fd);
            return NULL;
        }
        g_string_append_len(buf, chunk, n);
    }
    close(fd);
    if (strlen(buf->str) != buf->len) {
        xvshError(ctl, "Failed to read file '%s': it contains a NUL byte", path);
        return NULL;
    }
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

/* ---- command lookup and parsing --------------------------------------- */

static const XvshCmdDef *
xvshCmdDefSearch(const char *name)
{
    for (const XvshCmdGroup *grp = xvshGroups; grp->name; grp++) {
        for (size_t t = 0; t < G_N_ELEMENTS(grp->tables) && grp->tables[t]; t++) {
            for (const XvshCmdDef *def = grp->tables[t]; def->name; def++) {
                if (strcmp(def->name, name) == 0)
                    return def;
            }
        }
    }
    return NULL;
}

static gint
xvshCmdDefCompare(gconstpointer a, gconstpointer b)
{
    const XvshCmdDef *da = *(const XvshCmdDef *const *) a;
    const XvshCmdDef *db = *(const XvshCmdDef *const *) b;

    return strcmp(da->name, db->name);
}

/* The commands of GRP in the order help lists them. */
static GPtrArray *
xvshGroupCommands(const XvshCmdGroup *grp)
{
    GPtrArray *defs = g_ptr_array_new();
    size_t t;

    for (t = 0; t < G_N_ELEMENTS(grp->tables) && grp->tables[t]; t++) {
        for (const XvshCmdDef *def = grp->tables[t]; def->name; def++)
            g_ptr_array_add(defs, (gpointer) def);
    }
    if (t > 1)
        g_ptr_array_sort(defs, xvshCmdDefCompare);
    return defs;
}

static const XvshCmdGroup *
xvshCmdGroupSearch(const char *name)
{
    for (const XvshCmdGroup *grp = xvshGroups; grp->name; grp++) {
        if (strcmp(grp->keyword, name) == 0 || strcmp(grp->name, name) == 0)
            return grp;
    }
    /* virsh's keyword for the shell's own commands */
    if (strcmp(name, "virsh") == 0)
        return xvshCmdGroupSearch("xvirsh");
    return NULL;
}

static void
xvshOptValFree(gpointer p)
{
    XvshOptVal *val = p;

    g_free(val->value);
    g_free(val);
}

static void
xvshCmdFree(XvshCmd *cmd)
{
    if (!cmd)
        return;
    if (cmd->vals)
        g_ptr_array_unref(cmd->vals);
    g_free(cmd);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XvshCmd, xvshCmdFree)

static void
xvshCmdAddVal(XvshCmd *cmd, const XvshOptDef *def, const char *value)
{
    XvshOptVal *val = g_new0(XvshOptVal, 1);

    val->def = def;
    val->value = g_strdup(value);
    g_ptr_array_add(cmd->vals, val);
}

static const char *
xvshOptTypeName(const XvshOptDef *opt)
{
    return opt->type == XVSH_OT_INT ? "number" : "string";
}


/* Builds one command from its words (words[0] is the command name).
 * Returns NULL after reporting the problem. */
static XvshCmd *
xvshParseCommand(XvshControl *ctl, char **words, size_t nwords)
{
    g_autoptr(XvshCmd) cmd = g_new0(XvshCmd, 1);
    const XvshCmdDef *def;
    guint64 seen = 0;
    guint64 positional = 0;
    bool data_only = false;
    bool want_help = false;
    size_t nopts = 0;

    if (!(def = xvshCmdDefSearch(words[0]))) {
        xvshError(ctl, "unknown command: '%s'", words[0]);
        return NULL;
    }
    cmd->def = def;
    cmd->vals = g_ptr_array_new_with_free_func(xvshOptValFree);

    for (nopts = 0; def->opts && def->opts[nopts].name; nopts++) {
        const XvshOptDef *opt = &def->opts[nopts];

        g_assert(nopts < 64);
        if (opt->type != XVSH_OT_BOOL && !(opt->flags & XVSH_OFLAG_NOPOS))
            positional |= G_GUINT64_CONSTANT(1) << nopts;
    }

    for (size_t i = 1; i < nwords; i++) {
        const char *word = words[i];

        if (!data_only && g_str_has_prefix(word, "--")) {
            g_autofree char *name = NULL;
            const char *value = NULL;
            const char *eq;
            const XvshOptDef *opt = NULL;
            size_t idx;

            if (word[2] == '\0') {
                data_only = true;
                continue;
            }
            if ((eq = strchr(word + 2, '='))) {
                name = g_strndup(word + 2, eq - (word + 2));
                value = eq + 1;
            } else {
                name = g_strdup(word + 2);
            }
            if (strcmp(name, "help") == 0) {
                want_help = true;
                continue;
            }
            for (idx = 0; idx < nopts; idx++) {
                if (strcmp(def->opts[idx].name, name) == 0) {
                    opt = &def->opts[idx];
                    break;
                }
            }
            if (!opt) {
                xvshError(ctl, "command '%s' doesn't support option --%s", def->name, name);
                return NULL;
            }
            if ((seen & (G_GUINT64_CONSTANT(1) << idx)) && opt->type != XVSH_OT_ARGV) {
                xvshError(ctl, "option --%s already seen", name);
                return NULL;
            }
            seen |= G_GUINT64_CONSTANT(1) << idx;
            if (opt->type == XVSH_OT_BOOL) {
                if (value) {
                    xvshError(ctl, "invalid '=' after option --%s", name);
                    return NULL;
                }
                xvshCmdAddVal(cmd, opt, NULL);
                continue;
            }
            if (!value) {
                if (i + 1 >= nwords) {
                    xvshError(ctl, "expected syntax: --%s <%s>", name, xvshOptTypeName(opt));
                    return NULL;
                }
                value = words[++i];
            }
            if (opt->type != XVSH_OT_ARGV)
                positional &= ~(G_GUINT64_CONSTANT(1) << idx);
            xvshCmdAddVal(cmd, opt, value);
        } else {
            const XvshOptDef *opt;
            int idx;

            if (!positional) {
                xvshError(ctl, "unexpected data '%s'", word);
                return NULL;
            }
            for (idx = 0; !(positional & (G_GUINT64_CONSTANT(1) << idx)); idx++)
                ;
            opt = &def->opts[idx];
            if (opt->type != XVSH_OT_ARGV)
                positional &= ~(G_GUINT64_CONSTANT(1) << idx);
            seen |= G_GUINT64_CONSTANT(1) << idx;
            xvshCmdAddVal(cmd, opt, word);
        }
    }

    if (want_help) {
        /* "CMD --help" is "help CMD" */
        g_ptr_array_set_size(cmd->vals, 0);
        cmd->def = xvshCmdDefSearch("help");
        xvshCmdAddVal(cmd, &cmd->def->opts[0], def->name);
        return g_steal_pointer(&cmd);
    }

    for (size_t idx = 0; idx < nopts; idx++) {
        const XvshOptDef *opt = &def->opts[idx];

        if ((opt->flags & XVSH_OFLAG_REQ) && !(seen & (G_GUINT64_CONSTANT(1) << idx))) {
            if (opt->type == XVSH_OT_DATA || opt->type == XVSH_OT_ARGV)
                xvshError(ctl, "command '%s' requires <%s> option", def->name, opt->name);
            else
                xvshError(ctl, "command '%s' requires --%s option", def->name, opt->name);
            return NULL;
        }
    }
    return g_steal_pointer(&cmd);
}

/* Splits a command string into commands, each a list of words, with
 * virsh's rules: blanks separate words; ';' and newlines separate
 * commands; '...' is literal; "..." allows \-escapes; \ escapes one
 * character; a word starting with '#' starts a comment to end of line. */
static GPtrArray *
xvshSplitCommandString(XvshControl *ctl, const char *str)
{
    g_autoptr(GPtrArray) cmds = g_ptr_array_new_with_free_func((GDestroyNotify) g_ptr_array_unref);
    GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
    const char *p = str;

    g_ptr_array_add(cmds, words);
    while (*p) {
        g_autoptr(GString) word = NULL;

        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (*p == ';' || *p == '\n') {
            p++;
            if (words->len > 0) {
                words = g_ptr_array_new_with_free_func(g_free);
                g_ptr_array_add(cmds, words);
            }
            continue;
        }
        if (*p == '#') {
            while (*p && *p != '\n')
                p++;
            continue;
        }

        word = g_string_new(NULL);
        while (*p && *p != ' ' && *p != '\t' && *p != ';' && *p != '\n') {
            if (*p == '\\') {
                p++;
                if (!*p) {
                    xvshError(ctl, "%s", "dangling \\");
                    return NULL;
                }
                g_string_append_c(word, *p++);
            } else if (*p == '\'') {
                const char *close = strchr(p + 1, '\'');

                if (!close) {
                    xvshError(ctl, "%s", "missing '");
                    return NULL;
                }
                g_string_append_len(word, p + 1, close - (p + 1));
                p = close + 1;
            } else if (*p == '"') {
                p++;
                while (*p && *p != '"') {
                    if (*p == '\\' && p[1])
                        p++;
                    g_string_append_c(word, *p++);
                }
                if (!*p) {
                    xvshError(ctl, "%s", "missing \"");
                    return NULL;
                }
                p++;
            } else {
                g_string_append_c(word, *p++);
            }
        }
        g_ptr_array_add(words, g_string_free(g_steal_pointer(&word), FALSE));
    }
    if (words->len == 0)
        g_ptr_array_remove_index(cmds, cmds->len - 1);
    return g_steal_pointer(&cmds);
}

/* Parses every command first: a mistake anywhere runs nothing. */
static GPtrArray *
xvshParseCommands(XvshControl *ctl, GPtrArray *wordlists)
{
    g_autoptr(GPtrArray) cmds = g_ptr_array_new_with_free_func((GDestroyNotify) xvshCmdFree);

    for (guint i = 0; i < wordlists->len; i++) {
        GPtrArray *words = g_ptr_array_index(wordlists, i);
        XvshCmd *cmd = xvshParseCommand(ctl, (char **) words->pdata, words->len);

        if (!cmd)
            return NULL;
        g_ptr_array_add(cmds, cmd);
    }
    return g_steal_pointer(&cmds);
}

/* Runs the commands in order; the result is the last command's. */
static bool
xvshRunCommands(XvshControl *ctl, GPtrArray *cmds, bool *quit)
{
    bool ret = true;

    for (guint i = 0; i < cmds->len; i++) {
        const XvshCmd *cmd = g_ptr_array_index(cmds, i);

        if (!(cmd->def->flags & XVSH_CMD_NOCONNECT) && !xvshConn(ctl))
            return false;
        xvshResetError(ctl);
        ret = cmd->def->handler(ctl, cmd);
        if (!ret)
            xvshReportError(ctl);
        if (strcmp(cmd->def->name, "quit") == 0 || strcmp(cmd->def->name, "exit") == 0) {
            *quit = true;
            break;
        }
        xvshPrintExtra(ctl, "\n");
        fflush(stdout);
    }
    return ret;
}

static bool
xvshRunString(XvshControl *ctl, const char *str, bool *quit)
{
    g_autoptr(GPtrArray) wordlists = NULL;
    g_autoptr(GPtrArray) cmds = NULL;

    if (!(wordlists = xvshSplitCommandString(ctl, str)))
        return false;
    if (!(cmds = xvshParseCommands(ctl, wordlists)))
        return false;
    return xvshRunCommands(ctl, cmds, quit);
}

static bool
xvshRunArgv(XvshControl *ctl, char **argv, int argc)
{
    g_autoptr(XvshCmd) cmd = NULL;
    g_autoptr(GPtrArray) cmds = g_ptr_array_new();
    bool quit = false;

    if (!(cmd = xvshParseCommand(ctl, argv, argc)))
        return false;
    g_ptr_array_add(cmds, cmd);
    return xvshRunCommands(ctl, cmds, &quit);
}

/* ---- help ------------------------------------------------------------- */

static void
xvshOptSynopsis(GString *buf, const XvshOptDef *opt)
{
    const char *type = xvshOptTypeName(opt);
    bool positional = !(opt->flags & XVSH_OFLAG_NOPOS);

    switch (opt->type) {
    case XVSH_OT_BOOL:
        g_string_append_printf(buf, " [--%s]", opt->name);
        break;
    case XVSH_OT_DATA:
    case XVSH_OT_STRING:
    case XVSH_OT_INT:
        if ((opt->flags & XVSH_OFLAG_REQ) && positional)
            g_string_append_printf(buf, " <%s>", opt->name);
        else if (opt->flags & XVSH_OFLAG_REQ)
            g_string_append_printf(buf, " --%s <%s>", opt->name, type);
        else
            g_string_append_printf(buf, " [--%s <%s>]", opt->name, type);
        break;
    case XVSH_OT_ARGV:
        if (opt->flags & XVSH_OFLAG_REQ)
            g_string_append_printf(buf, " <%s>...", opt->name);
        else
            g_string_append_printf(buf, " [[--%s] <%s>]...", opt->name, type);
        break;
    }
}

static char *
xvshOptHelpName(const XvshOptDef *opt)
{
    const char *type = xvshOptTypeName(opt);

    switch (opt->type) {
    case XVSH_OT_BOOL:
        return g_strdup_printf("--%s", opt->name);
    case XVSH_OT_ARGV:
        return g_strdup_printf("[--%s] <%s>", opt->name, type);
    case XVSH_OT_DATA:
    case XVSH_OT_STRING:
    case XVSH_OT_INT:
        if ((opt->flags & XVSH_OFLAG_REQ) && !(opt->flags & XVSH_OFLAG_NOPOS))
            return g_strdup_printf("[--%s] <%s>", opt->name, type);
        return g_strdup_printf("--%s <%s>", opt->name, type);
    }
    return NULL;
}

static bool
xvshCmdDefHelp(XvshControl *ctl, const XvshCmdDef *def)
{
    g_autoptr(GString) synopsis = g_string_new(def->name);

    for (const XvshOptDef *opt = def->opts; opt && opt->name; opt++)
        xvshOptSynopsis(synopsis, opt);

    xvshPrint(ctl, "  NAME\n    %s - %s\n\n", def->name, def->summary);
    xvshPrint(ctl, "  SYNOPSIS\n    %s\n\n", synopsis->str);
    if (def->desc && *def->desc) {
        g_auto(GStrv) lines = g_strsplit(def->desc, "\n", -1);

        xvshPrint(ctl, "  DESCRIPTION\n");
        for (size_t i = 0; lines[i]; i++)
            xvshPrint(ctl, "    %s\n", lines[i]);
        xvshPrint(ctl, "\n");
    }
    if (def->opts && def->opts->name) {
        xvshPrint(ctl, "  OPTIONS\n");
        for (const XvshOptDef *opt = def->opts; opt->name; opt++) {
            g_autofree char *name = xvshOptHelpName(opt);

            xvshPrint(ctl, "    %-15s  %s\n", name, opt->help);
        }
        xvshPrint(ctl, "\n");
    }
    return true;
}

static void
xvshGroupHelp(XvshControl *ctl, const XvshCmdGroup *grp)
{
    g_autoptr(GPtrArray) defs = xvshGroupCommands(grp);

    xvshPrint(ctl, " %s (help keyword '%s'):\n", grp->name, grp->keyword);
    for (guint i = 0; i < defs->len; i++) {
        const XvshCmdDef *def = g_ptr_array_index(defs, i);

        xvshPrint(ctl, "    %-30s %s\n", def->name, def->summary);
    }
    xvshPrint(ctl, "\n");
}

static bool
cmdHelp(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *name = xvshOptString(cmd, "command");
    const XvshCmdDef *def;
    const XvshCmdGroup *grp;

    if (!name || !*name) {
        xvshPrint(ctl, "Grouped commands:\n\n");
        for (grp = xvshGroups; grp->name; grp++)
            xvshGroupHelp(ctl, grp);
        return true;
    }
    if ((def = xvshCmdDefSearch(name)))
        return xvshCmdDefHelp(ctl, def);
    if ((grp = xvshCmdGroupSearch(name))) {
        xvshGroupHelp(ctl, grp);
        return true;
    }
    xvshError(ctl, "command or command group '%s' doesn't exist", name);
    return false;
}

static const XvshOptDef opts_help[] = {
    {.name = "command", .type = XVSH_OT_STRING,
     .help = "a command or a command group keyword to describe"},
    {.name = NULL}
};


static bool
cmdQuit(XvshControl *ctl, const XvshCmd *cmd)
{
    return true;
}

static const XvshOptDef opts_cd[] = {
    {.name = "dir", .type = XVSH_OT_STRING, .help = "the directory (default: your home, else /)"},
    {.name = NULL}
};

static bool
cmdCd(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *dir = xvshOptString(cmd, "dir");

    if (!ctl->interactive) {
        xvshError(ctl, "%s", "cd: command valid only in interactive mode");
        return false;
    }
    if (!dir)
        dir = g_get_home_dir();
    if (!dir || !*dir)
        dir = "/";
    if (chdir(dir) < 0) {
        xvshError(ctl, "cd: %s: %s", g_strerror(errno), dir);
        return false;
    }
    return true;
}

static bool
cmdPwd(XvshControl *ctl, const XvshCmd *cmd)
{
    g_autofree char *cwd = g_get_current_dir();

    xvshPrint(ctl, "%s\n", cwd);
    return true;
}

static const XvshOptDef opts_connect[] = {
    {.name = "name", .type = XVSH_OT_STRING, .help = "the connection URI to open"},
    {.name = "readonly", .type = XVSH_OT_BOOL, .help = "open the connection read-only"},
    {.name = NULL}
};

static bool
cmdConnect(XvshControl *ctl, const XvshCmd *cmd)
{
    const char *uri = xvshOptString(cmd, "name");
    bool readonly = xvshOptBool(cmd, "readonly");

    if (uri) {
        g_free(ctl->uri);
        ctl->uri = g_strdup(uri);
    }
    return xvshConnect(ctl, ctl->uri, readonly);
}

const XvshCmdDef xvshShellCmds[] = {
    {.name = "cd", .handler = cmdCd, .opts = opts_cd,
     .summary = "change the current directory",
     .desc = "Changes the shell's working directory, against which file names\n"
             "are resolved.", .flags = XVSH_CMD_NOCONNECT},
    {.name = "exit", .handler = cmdQuit, .summary = "leave the interactive shell",
     .flags = XVSH_CMD_NOCONNECT},
    {.name = "help", .handler = cmdHelp, .opts = opts_help,
     .summary = "print help",
     .desc = "Without an argument, lists the commands by group; with one,\n"
             "describes that command or the commands of that group.",
     .flags = XVSH_CMD_NOCONNECT},
    {.name = "pwd", .handler = cmdPwd, .summary = "print the current directory",
     .flags = XVSH_CMD_NOCONNECT},
    {.name = "quit", .handler = cmdQuit, .summary = "leave the interactive shell",
     .flags = XVSH_CMD_NOCONNECT},
    {.name = "connect", .handler = cmdConnect, .opts = opts_connect,
     .summary = "(re)connect to a hypervisor",
     .desc = "Closes the current connection, if any, and opens the given URI\n"
             "(or the one xvirsh was started with).",
     .flags = XVSH_CMD_NOCONNECT},
    {.name = NULL}
};

const XvshCmdGroup xvshGroups[] = {
    {"Domain Management", "domain", {xvshDomainCmds, xvshVcpuCmds}},
    {"Domain Monitoring", "monitor", {xvshMonitorCmds}},
    {"Host and Hypervisor", "host", {xvshHostCmds}},
    {"Xvirsh itself", "xvirsh", {xvshShellCmds}},
    {NULL, NULL, {NULL}}
};

/* ---- interactive shell ------------------------------------------------ */

static char *
xvshCompleteCommand(const char *text, int state)
{
    static GPtrArray *names;
    static guint next;

    if (state == 0) {
        g_clear_pointer(&names, g_ptr_array_unref);
        names = g_ptr_array_new();
        next = 0;
        for (const XvshCmdGroup *grp = xvshGroups; grp->name; grp++) {
            g_autoptr(GPtrArray) defs = xvshGroupCommands(grp);

            for (guint i = 0; i < defs->len; i++) {
                const XvshCmdDef *def = g_ptr_array_index(defs, i);

                if (g_str_has_prefix(def->name, text))
                    g_ptr_array_add(names, (gpointer) def->name);
            }
        }
    }
    if (next < names->len)
        return strdup(g_ptr_array_index(names, next++)); /* readline frees it */
    return NULL;
}

static const XvshCmdDef *xvsh_completion_cmd;

static char *
xvshCompleteOption(const char *text, int state)
{
    static const XvshOptDef *opt;
    size_t len = strlen(text);

    if (!xvsh_completion_cmd || !xvsh_completion_cmd->opts)
        return NULL;
    if (state == 0)
        opt = xvsh_completion_cmd->opts;
    while (opt->name) {
        g_autofree char *name = g_strdup_printf("--%s", (opt++)->name);

        if (strncmp(name, text, len) == 0)
            return strdup(name);
    }
    return NULL;
}

/* readline's callbacks take no user data */
static XvshControl *xvsh_completion_ctl;

static bool
xvshCmdHasOpt(const XvshCmdDef *def, const char *const *names)
{
    for (const XvshOptDef *opt = def ? def->opts : NULL; opt && opt->name; opt++) {
        for (size_t i = 0; names[i]; i++) {
            if (strcmp(opt->name, names[i]) == 0)
                return true;
        }
    }
    return false;
}

/* Values: the names of the domains (when connected and the command takes
 * one), then file names (when it takes a file). */
static char *
xvshCompleteValue(const char *text, int state)
{
    static const char *const domain_opts[] = {"domain", NULL};
    static const char *const file_opts[] = {"file", "config", "xml", NULL};
    static GPtrArray *matches;
    static guint next;
    static bool files;
    static int files_started;
    XvshControl *ctl = xvsh_completion_ctl;

    if (state == 0) {
        g_clear_pointer(&matches, g_ptr_array_unref);
        matches = g_ptr_array_new_with_free_func(g_free);
        next = 0;
        files_started = 0;
        files = xvshCmdHasOpt(xvsh_completion_cmd, file_opts);
        if (ctl && ctl->conn && xvshCmdHasOpt(xvsh_completion_cmd, domain_opts)) {
            virDomainPtr *doms = NULL;
            int n = virConnectListAllDomains(ctl->conn, &doms, 0);

            for (int i = 0; i < n; i++) {
                const char *name = virDomainGetName(doms[i]);

                if (g_str_has_prefix(name, text))
                    g_ptr_array_add(matches, g_strdup(name));
                virDomainFree(doms[i]);
            }
            free(doms);
            xvshResetError(ctl);
        }
    }
    if (next < matches->len)
        return strdup(g_ptr_array_index(matches, next++));
    if (files) {
        char *file = rl_filename_completion_function(text, files_started);

        files_started = 1;
        if (!file)
            files = false;
        return file;
    }
    return NULL;
}

static char **
xvshCompletion(const char *text, int start, int end)
{
    const char *line = rl_line_buffer;
    int cmdstart = 0;
    g_autofree char *cmdname = NULL;
    int i;

    rl_attempted_completion_over = 1; /* never fall back to file names */
    for (i = start - 1; i >= 0; i--) {
        if (line[i] == ';') {
            cmdstart = i + 1;
            break;
        }
    }
    while (cmdstart < start && (line[cmdstart] == ' ' || line[cmdstart] == '\t'))
        cmdstart++;
    if (cmdstart == start)
        return rl_completion_matches(text, xvshCompleteCommand);

    i = cmdstart;
    while (i < start && line[i] != ' ' && line[i] != '\t')
        i++;
    cmdname = g_strndup(line + cmdstart, i - cmdstart);
    xvsh_completion_cmd = xvshCmdDefSearch(cmdname);
    if (text[0] == '-')
        return rl_completion_matches(text, xvshCompleteOption);
    return rl_completion_matches(text, xvshCompleteValue);
}

static char *
xvshHistoryPath(void)
{
    return g_build_filename(g_get_user_cache_dir(), "xvirsh", "history", NULL);
}

/* Without a terminal, read a line ourselves and echo it after the prompt,
 * as readline does, so a piped session's transcript reads naturally. */
static char *
xvshReadLineEcho(const char *prompt)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;

    fputs(prompt, stdout);
    fflush(stdout);
    if ((len = getline(&line, &cap, stdin)) < 0) {
        free(line);
        return NULL;
    }
    if (len > 0 && line[len - 1] == '\n')
        line[--len] = '\0';
    fputs(line, stdout);
    fputc('\n', stdout);
    return line;
}

static void
xvshInteractive(XvshControl *ctl)
{
    bool tty = isatty(STDIN_FILENO);
    g_autofree char *histfile = xvshHistoryPath();
    bool quit = false;

    ctl->interactive = true;
    /* connect now, so that completion can offer domain names; on failure
     * the shell still starts, and `connect` or any command retries */
    xvshConnect(ctl, ctl->uri, ctl->readonly);

    if (!ctl->quiet) {
        xvshPrint(ctl, "Welcome to xvirsh, the virtualization interactive terminal.\n\n");
        xvshPrint(ctl, "Type:  'help' for help with commands\n       'quit' to quit\n\n");
    }
    if (tty) {
        xvsh_completion_ctl = ctl;
        rl_readline_name = "xvirsh";
        rl_attempted_completion_function = xvshCompletion;
        using_history();
        stifle_history(XVSH_HISTSIZE);
        read_history(histfile);
    }

    while (!quit) {
        const char *prompt = ctl->readonly ? "xvirsh > " : "xvirsh # ";
        char *line;

        fflush(stdout);
        line = tty ? readline(prompt) : xvshReadLineEcho(prompt);
        if (!line)
            break;
        if (*line) {
            if (tty)
                add_history(line);
            xvshRunString(ctl, line, &quit);
        }
        free(line);
    }
    xvshPrint(ctl, "\n");

    if (tty) {
        g_autofree char *dir = g_path_get_dirname(histfile);

        if (g_mkdir_with_parents(dir, 0755) == 0)
            write_history(histfile);
    }
}

/* ---- main ------------------------------------------------------------- */

static void
xvshVersionString(char *buf, size_t len, unsigned long v)
{
    g_snprintf(buf, len, "%lu.%lu.%lu", v / 1000000, (v / 1000) % 1000, v % 1000);
}

static void
xvshUsage(const char *progname)
{
    printf("\n%s [options]... [<command_string>]\n"
           "%s [options]... <command> [args...]\n\n"
           "  options:\n"
           "    -c | --connect=URI      hypervisor connection URI\n"
           "    -h | --help             this help\n"
           "    -q | --quiet            quiet mode\n"
           "    -r | --readonly         connect readonly\n"
           "    -v                      short version\n"
           "    -V                      long version\n"
           "         --version[=TYPE]   version, TYPE is short or long (default short)\n"
           "  commands (non interactive mode):\n\n",
           progname, progname);
    for (const XvshCmdGroup *grp = xvshGroups; grp->name; grp++) {
        g_autoptr(GPtrArray) defs = xvshGroupCommands(grp);

        printf(" %s (help keyword '%s')\n", grp->name, grp->keyword);
        for (guint i = 0; i < defs->len; i++) {
            const XvshCmdDef *def = g_ptr_array_index(defs, i);

            printf("    %-30s %s\n", def->name, def->summary);
        }
        printf("\n");
    }
    printf("\n  (specify help <group> for details about the commands in the group)\n");
    printf("\n  (specify help <command> for details about the command)\n\n");
}

static void
xvshPrintVersion(bool longform)
{
    char ver[64];

    xvshVersionString(ver, sizeof(ver), XENVIRT_VERSION_NUMBER);
    if (!longform) {
        printf("%s\n", ver);
        return;
    }
    printf("Xvirsh command line tool of xenvirt %s\n", ver);
    printf("Implements the libvirt API level %d.%d.%d\n", LIBVIR_VERSION_NUMBER / 1000000,
           (LIBVIR_VERSION_NUMBER / 1000) % 1000, LIBVIR_VERSION_NUMBER % 1000);
}

static const char *
xvshDefaultURI(void)
{
    static const char *const vars[] = {
        "XENVIRT_DEFAULT_URI", "VIRSH_DEFAULT_CONNECT_URI", "LIBVIRT_DEFAULT_URI",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(vars); i++) {
        const char *v = g_getenv(vars[i]);

        if (v && *v)
            return v;
    }
    return "xen:///system";
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"connect", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {"quiet", no_argument, NULL, 'q'},
        {"readonly", no_argument, NULL, 'r'},
        {"version", optional_argument, NULL, 'x'},
        {NULL, 0, NULL, 0},
    };
    XvshControl ctl = { 0 };
    g_autofree char *progname = g_path_get_basename(argv[0]);
    bool ret = true;
    int status;
    int c;

    ctl.uri = g_strdup(xvshDefaultURI());
    virSetErrorFunc(&ctl, xvshErrorHandler);

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:c:hqrvV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            g_free(ctl.uri);
            ctl.uri = g_strdup(optarg);
            break;
        case 'h':
            xvshUsage(progname);
            status = EXIT_SUCCESS;
            goto done;
        case 'q':
            ctl.quiet = true;
            break;
        case 'r':
            ctl.readonly = true;
            break;
        case 'v':
            xvshPrintVersion(false);
            status = EXIT_SUCCESS;
            goto done;
        case 'V':
            xvshPrintVersion(true);
            status = EXIT_SUCCESS;
            goto done;
        case 'x':
            if (!optarg || strcmp(optarg, "short") == 0) {
                xvshPrintVersion(false);
            } else if (strcmp(optarg, "long") == 0) {
                xvshPrintVersion(true);
            } else {
                xvshError(&ctl, "unknown version type '%s'", optarg);
                status = EXIT_FAILURE;
                goto done;
            }
            status = EXIT_SUCCESS;
            goto done;
        case ':':
            if (optopt == 'c')
                xvshError(&ctl, "%s", "option '-c'/'--connect' requires an argument");
            else
                xvshError(&ctl, "option '%s' requires an argument", argv[optind - 1]);
            status = EXIT_FAILURE;
            goto done;
        case '?':
        default:
            if (optopt)
                xvshError(&ctl, "unsupported option '-%c'. See --help.", optopt);
            else
                xvshError(&ctl, "unsupported option '%s'. See --help.", argv[optind - 1]);
            status = EXIT_FAILURE;
            goto done;
        }
    }

    if (optind < argc) {
        if (argc - optind == 1) {
            bool quit = false;

            /* as virsh: an empty command string fails (a blank one does not) */
            ret = argv[optind][0] != '\0' && xvshRunString(&ctl, argv[optind], &quit);
        } else {
            ret = xvshRunArgv(&ctl, argv + optind, argc - optind);
        }
    } else {
        xvshInteractive(&ctl);
    }

    status = ret ? EXIT_SUCCESS : EXIT_FAILURE;

 done:
    fflush(stdout);
    if (ctl.conn)
        virConnectClose(ctl.conn);
    xvshErrorFree(ctl.last_error);
    g_free(ctl.uri);
    return status;
}
