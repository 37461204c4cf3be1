/*
 * xen_cfg.c: reader and writer for the /etc/xen config syntax (xm and xl).
 *
 * One hand-written reader serves both dialects; they differ in a handful
 * of lexical rules, listed here once:
 *
 *   rule                      xm (python 2)              xl (libxlutil)
 *   key                       [A-Za-z_][A-Za-z0-9_]*     [a-z][a-z0-9_]*
 *   sign on a number          allowed (-1)               error
 *   number token              python int (0X1F, 010)     [0-9][0-9a-fx]*
 *   """...""" / '''...'''     allowed, may span lines    error
 *   unknown escape (\q)       kept as written (\q)       error
 *   backslash-newline         line continuation          error
 *   indented setting          error (python)             allowed
 *   ';' with no setting       error (python)             allowed
 *   first `key += v`          error (NameError)          same as '='
 *
 * Both: '#' comments, statements ended by a newline or ';', lists in [ ]
 * that may nest, span lines, hold comments and end with a comma; strings
 * in "..." or '...' with the escapes \\ \' \" \a \b \f \n \r \t \v, \xHH
 * (two hex digits) and \ooo (one to three octal digits).  xl's own \x and
 * octal handling is broken (libxlu_cfg.c rejects every \x escape and reads
 * octal digits as decimal); we implement what the syntax means instead.
 * xl also takes any [0-9][0-9a-fx]* token (08, 1f) and fails only when a
 * getter converts it; we refuse a token that is not an integer when
 * reading, with its position.
 * A NUL byte, in any form, is refused: values are C strings.
 *
 * Rejected alternative: a flex/bison grammar like libxlutil's.  The
 * language is tiny, a generated parser would need a build dependency, and
 * our errors name the line and column and what was expected, which bison's
 * "syntax error" does not.
 */
#define XV_FROM VIR_FROM_CONF
#include "xenconfig/xen_cfg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

/* ------------------------------------------------------------------ */
/* values and the container                                            */

static xvCfgValue *
valueNew(xvCfgType type)
{
    xvCfgValue *v = g_new0(xvCfgValue, 1);
    v->type = type;
    if (type == XV_CFG_LIST)
        v->items = g_ptr_array_new_with_free_func((GDestroyNotify) xvCfgValueFree);
    return v;
}

void
xvCfgValueFree(xvCfgValue *value)
{
    if (!value)
        return;
    g_free(value->str);
    if (value->items)
        g_ptr_array_unref(value->items);
    g_free(value);
}

xvCfgValue *
xvCfgValueNewString(const char *str)
{
    xvCfgValue *v = valueNew(XV_CFG_STRING);
    v->str = g_strdup(str ? str : "");
    v->quote = XV_CFG_QUOTE_AUTO;
    return v;
}

xvCfgValue *
xvCfgValueNewNumber(long long num)
{
    xvCfgValue *v = valueNew(XV_CFG_NUMBER);
    v->num = num;
    v->str = g_strdup_printf("%lld", num);
    return v;
}

xvCfgValue *
xvCfgValueNewList(void)
{
    return valueNew(XV_CFG_LIST);
}

xvCfgValue *
xvCfgValueAppend(xvCfgValue *list, xvCfgValue *item)
{
    g_assert(list && list->type == XV_CFG_LIST && item);
    g_ptr_array_add(list->items, item);
    return item;
}

xvCfgValue *
xvCfgValueCopy(const xvCfgValue *value)
{
    xvCfgValue *v;
    size_t i;

    if (!value)
        return NULL;
    v = valueNew(value->type);
    v->str = g_strdup(value->str);
    v->num = value->num;
    v->quote = value->quote;
    v->line = value->line;
    v->column = value->column;
    if (value->items) {
        for (i = 0; i < value->items->len; i++)
            g_ptr_array_add(v->items, xvCfgValueCopy(g_ptr_array_index(value->items, i)));
    }
    return v;
}

const char *
xvCfgTypeToString(xvCfgType type)
{
    switch (type) {
    case XV_CFG_STRING: return "string";
    case XV_CFG_NUMBER: return "number";
    case XV_CFG_LIST: return "list";
    }
    return "?";
}

static void
entryFree(xvCfgEntry *e)
{
    if (!e)
        return;
    g_free(e->name);
    xvCfgValueFree(e->value);
    g_free(e->pre);
    g_free(e->post);
    g_free(e);
}

xvCfg *
xvCfgNew(xvCfgDialect dialect)
{
    xvCfg *cfg = g_new0(xvCfg, 1);
    cfg->dialect = dialect;
    cfg->entries = g_ptr_array_new_with_free_func((GDestroyNotify) entryFree);
    return cfg;
}

void
xvCfgFree(xvCfg *cfg)
{
    if (!cfg)
        return;
    if (cfg->entries)
        g_ptr_array_unref(cfg->entries);
    g_free(cfg->tail);
    g_free(cfg);
}

/* ------------------------------------------------------------------ */
/* reader                                                              */

typedef struct {
    const char *source;
    const char *s;
    size_t len;
    size_t pos;
    unsigned int line;
    unsigned int col;
    xvCfgDialect dialect;
    xvCfgLimits lim;
} Reader;

static void G_GNUC_PRINTF(4, 5)
readerError(Reader *r, unsigned int line, unsigned int col, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (r->source)
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s:%u:%u: %s", r->source, line, col, msg);
    else
        xvReportError(VIR_ERR_CONF_SYNTAX, "%u:%u: %s", line, col, msg);
}

static int
peekAt(Reader *r, size_t off)
{
    return r->pos + off < r->len ? (unsigned char) r->s[r->pos + off] : -1;
}

static int
peek(Reader *r)
{
    return peekAt(r, 0);
}

static void
advance(Reader *r)
{
    if (r->s[r->pos] == '\n') {
        r->line++;
        r->col = 1;
    } else {
        r->col++;
    }
    r->pos++;
}

/* A printable description of the byte at the cursor, for messages. */
static const char *
describe(int c, char *buf, size_t buflen)
{
    if (c < 0)
        return "end of input";
    if (c == '\n')
        return "end of line";
    if (c > 0x20 && c < 0x7f)
        g_snprintf(buf, buflen, "'%c'", c);
    else
        g_snprintf(buf, buflen, "byte 0x%02x", (unsigned int) c);
    return buf;
}

/* Python's backslash-newline outside strings (xm only). */
static bool
atContinuation(Reader *r)
{
    return r->dialect == XV_CFG_DIALECT_XM && peek(r) == '\\' &&
        (peekAt(r, 1) == '\n' || (peekAt(r, 1) == '\r' && peekAt(r, 2) == '\n'));
}

static void
skipContinuation(Reader *r)
{
    advance(r);                 /* '\\' */
    if (peek(r) == '\r')
        advance(r);
    advance(r);                 /* '\n' */
}

/* Blanks within a line. */
static void
skipInline(Reader *r)
{
    int c;
    for (;;) {
        c = peek(r);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f')
            advance(r);
        else if (atContinuation(r))
            skipContinuation(r);
        else
            break;
    }
}

static void
skipComment(Reader *r)
{
    while (peek(r) >= 0 && peek(r) != '\n')
        advance(r);
}

/* Inside [ ]: blanks, newlines and comments. */
static void
skipListTrivia(Reader *r)
{
    int c;
    for (;;) {
        skipInline(r);
        c = peek(r);
        if (c == '\n')
            advance(r);
        else if (c == '#')
            skipComment(r);
        else
            break;
    }
}

static bool
isKeyStart(Reader *r, int c)
{
    if (r->dialect == XV_CFG_DIALECT_XL)
        return c >= 'a' && c <= 'z';
    return g_ascii_isalpha(c) || c == '_';
}

static bool
isKeyChar(Reader *r, int c)
{
    if (r->dialect == XV_CFG_DIALECT_XL)
        return (c >= 'a' && c <= 'z') || g_ascii_isdigit(c) || c == '_';
    return g_ascii_isalnum(c) || c == '_';
}

/* One escape; the backslash is current.  Returns 0 or -1. */
static int
readEscape(Reader *r, GString *buf)
{
    unsigned int line = r->line, col = r->col;
    int e;

    advance(r);
    e = peek(r);
    switch (e) {
    case '\\': case '\'': case '"':
        g_string_append_c(buf, (char) e);
        break;
    case 'a': g_string_append_c(buf, '\a'); break;
    case 'b': g_string_append_c(buf, '\b'); break;
    case 'f': g_string_append_c(buf, '\f'); break;
    case 'n': g_string_append_c(buf, '\n'); break;
    case 'r': g_string_append_c(buf, '\r'); break;
    case 't': g_string_append_c(buf, '\t'); break;
    case 'v': g_string_append_c(buf, '\v'); break;
    case 'x': {
        int hi = g_ascii_xdigit_value(peekAt(r, 1));
        int lo = hi >= 0 ? g_ascii_xdigit_value(peekAt(r, 2)) : -1;
        if (lo < 0) {
            readerError(r, line, col, "escape \\x must be followed by two hex digits");
            return -1;
        }
        if (hi == 0 && lo == 0) {
            readerError(r, line, col, "NUL byte (\\x00) in a string");
            return -1;
        }
        advance(r);
        advance(r);
        g_string_append_c(buf, (char) (hi * 16 + lo));
        break;
    }
    case '0': case '1': case '2': case '3':
    case '4': case '5': case '6': case '7': {
        unsigned int v = 0;
        int n = 0;
        while (n < 3 && peekAt(r, 0) >= '0' && peekAt(r, 0) <= '7') {
            v = v * 8 + (unsigned int) (peek(r) - '0');
            n++;
            if (n < 3 && peekAt(r, 1) >= '0' && peekAt(r, 1) <= '7')
                advance(r);
            else
                break;
        }
        if (v > 0377) {
            readerError(r, line, col, "octal escape \\%o is above \\377", v);
            return -1;
        }
        if (v == 0) {
            readerError(r, line, col, "NUL byte (\\0) in a string");
            return -1;
        }
        g_string_append_c(buf, (char) v);
        break;
    }
    case '\n':
        if (r->dialect == XV_CFG_DIALECT_XM)
            break;              /* python: the string continues on the next line */
        readerError(r, line, col,
                    "backslash at the end of a line inside a string (xl strings cannot span lines)");
        return -1;
    case -1:
        readerError(r, line, col, "backslash at the end of input");
        return -1;
    default:
        if (r->dialect == XV_CFG_DIALECT_XM) {
            /* python keeps an unknown escape as written */
            g_string_append_c(buf, '\\');
            g_string_append_c(buf, (char) e);
            break;
        } else {
            char d[16];
            readerError(r, line, col, "invalid escape: backslash before %s in a string",
                        describe(e, d, sizeof(d)));
            return -1;
        }
    }
    advance(r);
    return 0;
}

static xvCfgValue *
readString(Reader *r)
{
    unsigned int line = r->line, col = r->col;
    int q = peek(r);
    bool triple = peekAt(r, 1) == q && peekAt(r, 2) == q;
    g_autoptr(GString) buf = g_string_new(NULL);
    xvCfgValue *v;
    int c;

    if (triple && r->dialect == XV_CFG_DIALECT_XL) {
        readerError(r, line, col, "triple-quoted strings are not valid in xl syntax");
        return NULL;
    }
    advance(r);
    if (triple) {
        advance(r);
        advance(r);
    }
    for (;;) {
        c = peek(r);
        if (c < 0) {
            readerError(r, r->line, r->col,
                        "unterminated string (opened at %u:%u)", line, col);
            return NULL;
        }
        if (c == q && (!triple || (peekAt(r, 1) == q && peekAt(r, 2) == q))) {
            advance(r);
            if (triple) {
                advance(r);
                advance(r);
            }
            break;
        }
        if (c == '\n' && !triple) {
            readerError(r, r->line, r->col,
                        "unterminated string (opened at %u:%u): end of line before the closing %c",
                        line, col, q);
            return NULL;
        }
        if (c == '\\') {
            if (readEscape(r, buf) < 0)
                return NULL;
            continue;
        }
        g_string_append_c(buf, (char) c);
        advance(r);
    }

    v = valueNew(XV_CFG_STRING);
    v->str = g_string_free(g_steal_pointer(&buf), FALSE);
    v->quote = triple ? XV_CFG_QUOTE_TRIPLE :
        q == '"' ? XV_CFG_QUOTE_DOUBLE : XV_CFG_QUOTE_SINGLE;
    v->line = line;
    v->column = col;
    return v;
}

static xvCfgValue *
readNumber(Reader *r)
{
    unsigned int line = r->line, col = r->col;
    size_t start = r->pos;
    g_autofree char *text = NULL;
    const char *digits;
    char *end = NULL;
    long long num;
    xvCfgValue *v;
    int c;

    if (peek(r) == '-' || peek(r) == '+') {
        if (r->dialect == XV_CFG_DIALECT_XL) {
            readerError(r, line, col,
                        "a sign before a number is not valid in xl syntax (quote the value)");
            return NULL;
        }
        advance(r);
    }
    if (r->dialect == XV_CFG_DIALECT_XL) {
        /* xl's number token is [0-9][0-9a-fx]*; whatever else follows is
         * a lexical error there */
        while ((c = peek(r)) >= 0 && (g_ascii_isdigit(c) || (c >= 'a' && c <= 'f') || c == 'x'))
            advance(r);
        if (c == '.') {
            while ((c = peek(r)) >= 0 && (g_ascii_isalnum(c) || c == '.'))
                advance(r);
            readerError(r, line, col, "'%.*s': only integers are supported, not fractions",
                        (int) (r->pos - start), r->s + start);
            return NULL;
        }
        if (c >= 0 && (g_ascii_isalnum(c) || c == '_')) {
            readerError(r, r->line, r->col,
                        "unexpected '%c' in a number (xl numbers are [0-9][0-9a-fx]*; quote the value)",
                        c);
            return NULL;
        }
    } else {
        while ((c = peek(r)) >= 0 && (g_ascii_isalnum(c) || c == '_' || c == '.'))
            advance(r);
    }
    text = g_strndup(r->s + start, r->pos - start);
    digits = text + (*text == '-' || *text == '+');

    if (!g_ascii_isdigit(*digits)) {
        readerError(r, line, col, "expected a number after the sign, found '%s'", text);
        return NULL;
    }
    if (strchr(digits, '.') || ((strchr(digits, 'e') || strchr(digits, 'E')) &&
                                !(digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')))) {
        readerError(r, line, col, "'%s': only integers are supported, not fractions", text);
        return NULL;
    }
    errno = 0;
    num = g_ascii_strtoll(text, &end, 0);
    if (*end || end == text) {
        readerError(r, line, col, "'%s' is not a valid integer", text);
        return NULL;
    }
    if (errno == ERANGE) {
        readerError(r, line, col, "integer '%s' is out of range", text);
        return NULL;
    }
    v = valueNew(XV_CFG_NUMBER);
    v->str = g_steal_pointer(&text);
    v->num = num;
    v->line = line;
    v->column = col;
    return v;
}

static xvCfgValue *readValue(Reader *r, unsigned int depth);

static xvCfgValue *
readList(Reader *r, unsigned int depth)
{
    unsigned int line = r->line, col = r->col;
    g_autoptr(xvCfgValue) list = NULL;
    char d[16];
    int c;

    if (depth >= r->lim.maxDepth) {
        readerError(r, line, col, "lists nested deeper than %u levels", r->lim.maxDepth);
        return NULL;
    }
    list = valueNew(XV_CFG_LIST);
    list->line = line;
    list->column = col;
    advance(r);

    for (;;) {
        xvCfgValue *item;

        skipListTrivia(r);
        c = peek(r);
        if (c == ']')
            break;
        if (c < 0)
            goto unterminated;
        if (list->items->len >= r->lim.maxItems) {
            readerError(r, r->line, r->col, "list opened at %u:%u has more than %zu items",
                        line, col, r->lim.maxItems);
            return NULL;
        }
        if (!(item = readValue(r, depth + 1)))
            return NULL;
        g_ptr_array_add(list->items, item);
        skipListTrivia(r);
        c = peek(r);
        if (c == ',') {
            advance(r);
            continue;
        }
        if (c == ']')
            break;
        if (c < 0)
            goto unterminated;
        readerError(r, r->line, r->col,
                    "expected ',' or ']' after an item of the list opened at %u:%u, found %s",
                    line, col, describe(c, d, sizeof(d)));
        return NULL;
    }
    advance(r);
    return g_steal_pointer(&list);

 unterminated:
    readerError(r, r->line, r->col, "unterminated list (the '[' at %u:%u has no ']')",
                line, col);
    return NULL;
}

static xvCfgValue *
readValue(Reader *r, unsigned int depth)
{
    int c = peek(r);
    char d[16];

    if (c == '[')
        return readList(r, depth);
    if (c == '"' || c == '\'')
        return readString(r);
    if (g_ascii_isdigit(c) || c == '-' || c == '+')
        return readNumber(r);
    if (c < 0 || c == '\n' || c == '#' || c == ';') {
        readerError(r, r->line, r->col, "expected a value, found %s",
                    c == '#' ? "a comment" : describe(c, d, sizeof(d)));
        return NULL;
    }
    if (g_ascii_isalpha(c)) {
        size_t start = r->pos;
        size_t n = 0;
        while (start + n < r->len && g_ascii_isalnum(r->s[start + n]))
            n++;
        readerError(r, r->line, r->col,
                    "expected a value (a quoted string, an integer or a [ list ]), found '%.*s'"
                    " (names and expressions are not supported)", (int) MIN(n, 40), r->s + start);
        return NULL;
    }
    readerError(r, r->line, r->col,
                "expected a value (a quoted string, an integer or a [ list ]), found %s",
                describe(c, d, sizeof(d)));
    return NULL;
}

static xvCfgEntry *
findLast(const xvCfg *cfg, const char *name)
{
    size_t i;

    for (i = cfg->entries->len; i > 0; i--) {
        xvCfgEntry *e = g_ptr_array_index(cfg->entries, i - 1);
        if (strcmp(e->name, name) == 0)
            return e;
    }
    return NULL;
}

/* `name += value`: fold into the earlier value, as xl does. */
static int
foldAddition(Reader *r, xvCfgEntry *prev, xvCfgValue *add,
             unsigned int line, unsigned int col)
{
    if (prev->value->type != add->type || add->type == XV_CFG_NUMBER) {
        readerError(r, line, col, "cannot add a %s to the %s '%s' with '+='",
                    xvCfgTypeToString(add->type), xvCfgTypeToString(prev->value->type),
                    prev->name);
        return -1;
    }
    if (add->type == XV_CFG_STRING) {
        char *joined = g_strconcat(prev->value->str, add->str, NULL);
        g_free(prev->value->str);
        prev->value->str = joined;
        return 0;
    }
    if (prev->value->items->len + add->items->len > r->lim.maxItems) {
        readerError(r, line, col, "list '%s' would have more than %zu items",
                    prev->name, r->lim.maxItems);
        return -1;
    }
    while (add->items->len)
        g_ptr_array_add(prev->value->items, g_ptr_array_steal_index(add->items, 0));
    return 0;
}

xvCfg *
xvCfgParse(const char *source, const char *text, size_t len,
           xvCfgDialect dialect, const xvCfgLimits *limits)
{
    Reader r = { .source = source, .s = text, .len = len, .line = 1, .col = 1,
                 .dialect = dialect };
    g_autoptr(xvCfg) cfg = xvCfgNew(dialect);
    /* comment lines before a folded `+=` statement, kept for the next entry */
    g_autoptr(GString) carried = g_string_new(NULL);
    size_t start = 0;
    bool lineStart = true;      /* no statement yet on the current line */
    char d[16];

    r.lim.maxInput = limits && limits->maxInput ? limits->maxInput : XV_CFG_MAX_INPUT;
    r.lim.maxDepth = limits && limits->maxDepth ? limits->maxDepth : XV_CFG_MAX_DEPTH;
    r.lim.maxItems = limits && limits->maxItems ? limits->maxItems : XV_CFG_MAX_ITEMS;
    r.lim.maxEntries = limits && limits->maxEntries ? limits->maxEntries : XV_CFG_MAX_ENTRIES;

    if (!text && len) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no config text given");
        return NULL;
    }
    if (len > r.lim.maxInput) {
        xvReportError(VIR_ERR_CONF_SYNTAX, "%s%sconfig of %zu bytes exceeds the limit of %zu bytes",
                      source ? source : "", source ? ": " : "", len, r.lim.maxInput);
        return NULL;
    }

    /* Values and the kept layout are C strings: refuse NUL anywhere,
     * comments included. */
    {
        const char *nul = len ? memchr(text, '\0', len) : NULL;
        if (nul) {
            while (r.pos < (size_t) (nul - text))
                advance(&r);
            readerError(&r, r.line, r.col, "NUL byte in input");
            return NULL;
        }
    }

    for (;;) {
        g_autofree char *name = NULL;
        g_autoptr(xvCfgValue) value = NULL;
        unsigned int line, col, opLine, opCol;
        bool add = false;
        size_t keyStart, valueEnd;
        int c;

        /* blanks, comments, empty statements (xl only: python refuses a
         * ';' with no statement before it) */
        for (;;) {
            skipInline(&r);
            c = peek(&r);
            if (c == '\n') {
                advance(&r);
                lineStart = true;
            } else if (c == ';' && dialect == XV_CFG_DIALECT_XL) {
                advance(&r);
            } else if (c == ';') {
                readerError(&r, r.line, r.col,
                            "';' with no setting before it (xm files are python)");
                return NULL;
            } else if (c == '#') {
                skipComment(&r);
            } else {
                break;
            }
        }
        c = peek(&r);
        if (c < 0)
            break;
        if (dialect == XV_CFG_DIALECT_XM && lineStart && r.col != 1) {
            readerError(&r, r.line, r.col,
                        "unexpected indentation (xm files are python: a setting starts its line)");
            return NULL;
        }

        line = r.line;
        col = r.col;
        keyStart = r.pos;
        if (!isKeyStart(&r, c)) {
            if (dialect == XV_CFG_DIALECT_XL && g_ascii_isupper(c))
                readerError(&r, line, col, "setting names must be lower case in xl syntax");
            else
                readerError(&r, line, col, "expected a setting name (as in: memory = 512), found %s",
                            describe(c, d, sizeof(d)));
            return NULL;
        }
        {
            size_t nstart = r.pos;
            while ((c = peek(&r)) >= 0 && isKeyChar(&r, c))
                advance(&r);
            if (c >= 0 && dialect == XV_CFG_DIALECT_XL && g_ascii_isupper(c)) {
                readerError(&r, r.line, r.col, "setting names must be lower case in xl syntax");
                return NULL;
            }
            name = g_strndup(r.s + nstart, r.pos - nstart);
        }
        skipInline(&r);
        opLine = r.line;
        opCol = r.col;
        c = peek(&r);
        if (c == '+' && peekAt(&r, 1) == '=') {
            add = true;
            advance(&r);
        } else if (c != '=') {
            readerError(&r, r.line, r.col, "expected '=' after '%s', found %s",
                        name, describe(c, d, sizeof(d)));
            return NULL;
        }
        advance(&r);
        skipInline(&r);
        if (!(value = readValue(&r, 0)))
            return NULL;

        /* the rest of the line: blanks, a comment, then newline, ';' or end */
        valueEnd = r.pos;
        skipInline(&r);
        c = peek(&r);
        if (c == '#') {
            skipComment(&r);
            c = peek(&r);
        }
        if (c == '\n' || c == ';') {
            advance(&r);
            lineStart = c == '\n';
        } else if (c >= 0) {
            readerError(&r, r.line, r.col,
                        "unexpected %s after the value of '%s' (one setting per line, or separate with ';')",
                        describe(c, d, sizeof(d)), name);
            return NULL;
        }

        if (add) {
            xvCfgEntry *prev = findLast(cfg, name);
            if (prev) {
                if (foldAddition(&r, prev, value, opLine, opCol) < 0)
                    return NULL;
                g_string_append_len(carried, r.s + start, keyStart - start);
                start = r.pos;
                continue;
            }
            if (dialect == XV_CFG_DIALECT_XM) {
                /* python: NameError; xl: the first '+=' assigns */
                readerError(&r, opLine, opCol, "'+=' on '%s', which is not set before", name);
                return NULL;
            }
        }

        if (cfg->entries->len >= r.lim.maxEntries) {
            readerError(&r, line, col, "more than %zu settings", r.lim.maxEntries);
            return NULL;
        }
        {
            xvCfgEntry *e = g_new0(xvCfgEntry, 1);

            g_string_append_len(carried, r.s + start, keyStart - start);
            e->pre = g_strdup(carried->str);
            g_string_truncate(carried, 0);
            e->post = g_strndup(r.s + valueEnd, r.pos - valueEnd);
            e->name = g_steal_pointer(&name);
            e->value = g_steal_pointer(&value);
            e->line = line;
            e->column = col;
            g_ptr_array_add(cfg->entries, e);
        }
        start = r.pos;
    }
    g_string_append_len(carried, r.s + start, r.len - start);
    if (carried->len)
        cfg->tail = g_strdup(carried->str);
    return g_steal_pointer(&cfg);
}

/* ------------------------------------------------------------------ */
/* writer                                                              */

static xvCfgQuote
pickQuote(xvCfgDialect dialect, const xvCfgValue *v)
{
    if (v->quote == XV_CFG_QUOTE_DOUBLE || v->quote == XV_CFG_QUOTE_SINGLE)
        return v->quote;
    if (v->quote == XV_CFG_QUOTE_TRIPLE && dialect == XV_CFG_DIALECT_XM)
        return v->quote;
    if (!strchr(v->str, '"'))
        return XV_CFG_QUOTE_DOUBLE;
    if (!strchr(v->str, '\''))
        return XV_CFG_QUOTE_SINGLE;
    return dialect == XV_CFG_DIALECT_XM ? XV_CFG_QUOTE_TRIPLE : XV_CFG_QUOTE_DOUBLE;
}

/* Escapes both python and xl read. */
static const char namedEscapes[] = "\a\b\f\n\r\t\v";
static const char *const namedEscapeText[] = {
    "\\a", "\\b", "\\f", "\\n", "\\r", "\\t", "\\v",
};

static void
writeString(GString *buf, xvCfgDialect dialect, const xvCfgValue *v)
{
    xvCfgQuote quote = pickQuote(dialect, v);
    const char *delim = quote == XV_CFG_QUOTE_TRIPLE ? "\"\"\"" :
        quote == XV_CFG_QUOTE_SINGLE ? "'" : "\"";
    char q = quote == XV_CFG_QUOTE_SINGLE ? '\'' : '"';
    const unsigned char *p;

    g_string_append(buf, delim);
    for (p = (const unsigned char *) v->str; *p; p++) {
        if (*p == '\\') {
            g_string_append(buf, "\\\\");
        } else if (*p == (unsigned char) q) {
            /* inside """...""" a '"' needs escaping only where it could
             * be read as (part of) the closing delimiter */
            if (quote != XV_CFG_QUOTE_TRIPLE || p[1] == '"' || p[1] == '\0')
                g_string_append_c(buf, '\\');
            g_string_append_c(buf, (char) *p);
        } else if (*p < 0x20 || *p == 0x7f) {
            const char *named = strchr(namedEscapes, *p) && *p ?
                namedEscapeText[strchr(namedEscapes, *p) - namedEscapes] : NULL;
            if (named)
                g_string_append(buf, named);
            else if (dialect == XV_CFG_DIALECT_XM)
                g_string_append_printf(buf, "\\x%02x", *p);
            else
                g_string_append_c(buf, (char) *p);  /* xl cannot read \x: see top */
        } else {
            g_string_append_c(buf, (char) *p);
        }
    }
    g_string_append(buf, delim);
}

static int
writeValue(GString *buf, xvCfgDialect dialect, const char *name, const xvCfgValue *v)
{
    size_t i;

    switch (v->type) {
    case XV_CFG_STRING:
        writeString(buf, dialect, v);
        return 0;
    case XV_CFG_NUMBER:
        if (dialect == XV_CFG_DIALECT_XL && v->num < 0) {
            xvReportError(VIR_ERR_CONF_SYNTAX,
                          "cannot write '%s': xl syntax has no negative numbers (%lld)",
                          name, v->num);
            return -1;
        }
        g_string_append(buf, v->str);
        return 0;
    case XV_CFG_LIST:
        g_string_append(buf, "[ ");
        for (i = 0; i < v->items->len; i++) {
            if (i)
                g_string_append(buf, ", ");
            if (writeValue(buf, dialect, name, g_ptr_array_index(v->items, i)) < 0)
                return -1;
        }
        g_string_append(buf, " ]");
        return 0;
    }
    return 0;
}

static bool
validKey(xvCfgDialect dialect, const char *name)
{
    Reader r = { .dialect = dialect };
    const char *p;

    if (!name || !isKeyStart(&r, (unsigned char) *name))
        return false;
    for (p = name + 1; *p; p++) {
        if (!isKeyChar(&r, (unsigned char) *p))
            return false;
    }
    return true;
}

char *
xvCfgFormat(const xvCfg *cfg)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    size_t i;

    for (i = 0; i < cfg->entries->len; i++) {
        const xvCfgEntry *e = g_ptr_array_index(cfg->entries, i);

        if (!validKey(cfg->dialect, e->name)) {
            g_autofree char *esc = g_strescape(e->name ? e->name : "", NULL);
            xvReportError(VIR_ERR_CONF_SYNTAX, "cannot write setting '%s': not a valid %s name",
                          esc, cfg->dialect == XV_CFG_DIALECT_XL ? "xl" : "xm");
            return NULL;
        }

        if (e->pre) {
            g_string_append(buf, e->pre);
        } else if (buf->len && buf->str[buf->len - 1] != '\n') {
            /* a built entry after a parsed last line that had no newline */
            g_string_append_c(buf, '\n');
        }
        g_string_append(buf, e->name);
        g_string_append(buf, " = ");
        if (writeValue(buf, cfg->dialect, e->name, e->value) < 0)
            return NULL;
        g_string_append(buf, e->post ? e->post : "\n");
    }
    if (cfg->tail)
        g_string_append(buf, cfg->tail);
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

static const char *const quoteNames[] = {
    [XV_CFG_QUOTE_AUTO] = "auto",
    [XV_CFG_QUOTE_DOUBLE] = "double",
    [XV_CFG_QUOTE_SINGLE] = "single",
    [XV_CFG_QUOTE_TRIPLE] = "triple",
};

static void
dumpValue(GString *buf, const xvCfgValue *v, unsigned int indent)
{
    size_t i;

    g_string_append_printf(buf, "%*s", (int) indent * 2, "");
    if (v->line)
        g_string_append_printf(buf, "%u:%u ", v->line, v->column);
    switch (v->type) {
    case XV_CFG_STRING: {
        g_autofree char *esc = g_strescape(v->str, NULL);
        g_string_append_printf(buf, "string %s \"%s\"\n", quoteNames[v->quote], esc);
        break;
    }
    case XV_CFG_NUMBER:
        g_string_append_printf(buf, "number %lld (%s)\n", v->num, v->str);
        break;
    case XV_CFG_LIST:
        g_string_append_printf(buf, "list %u\n", v->items->len);
        for (i = 0; i < v->items->len; i++)
            dumpValue(buf, g_ptr_array_index(v->items, i), indent + 1);
        break;
    }
}

char *
xvCfgDump(const xvCfg *cfg)
{
    GString *buf = g_string_new(NULL);
    size_t i;

    for (i = 0; i < cfg->entries->len; i++) {
        const xvCfgEntry *e = g_ptr_array_index(cfg->entries, i);
        g_string_append_printf(buf, "%u:%u %s =\n", e->line, e->column, e->name);
        dumpValue(buf, e->value, 1);
    }
    return g_string_free(buf, FALSE);
}

/* ------------------------------------------------------------------ */
/* getters                                                             */

const xvCfgValue *
xvCfgGet(const xvCfg *cfg, const char *name)
{
    xvCfgEntry *e = cfg && name ? findLast(cfg, name) : NULL;
    return e ? e->value : NULL;
}

bool
xvCfgHas(const xvCfg *cfg, const char *name)
{
    return xvCfgGet(cfg, name) != NULL;
}

static int G_GNUC_PRINTF(3, 4)
valueError(const char *name, const xvCfgValue *v, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (v->line)
        xvReportError(VIR_ERR_CONF_SYNTAX, "config value '%s' (line %u): %s",
                      name, v->line, msg);
    else
        xvReportError(VIR_ERR_CONF_SYNTAX, "config value '%s': %s", name, msg);
    return -1;
}

int
xvCfgGetString(const xvCfg *cfg, const char *name, const char **out)
{
    const xvCfgValue *v = xvCfgGet(cfg, name);

    if (!v)
        return 0;
    if (v->type == XV_CFG_LIST)
        return valueError(name, v, "expected a string, found a list");
    *out = v->str;
    return 1;
}

static int
parseLongText(const char *name, const xvCfgValue *v, long long *out)
{
    g_autofree char *esc = NULL;
    char *end = NULL;
    long long num;

    errno = 0;
    num = g_ascii_strtoll(v->str, &end, 0);
    if (!*v->str || *end || g_ascii_isspace(*v->str) || errno == ERANGE) {
        esc = g_strescape(v->str, NULL);
        return valueError(name, v, "expected an integer, found \"%s\"", esc);
    }
    *out = num;
    return 1;
}

int
xvCfgGetLong(const xvCfg *cfg, const char *name, long long *out)
{
    const xvCfgValue *v = xvCfgGet(cfg, name);

    if (!v)
        return 0;
    switch (v->type) {
    case XV_CFG_NUMBER:
        *out = v->num;
        return 1;
    case XV_CFG_STRING:
        return parseLongText(name, v, out);
    case XV_CFG_LIST:
        break;
    }
    return valueError(name, v, "expected an integer, found a list");
}

int
xvCfgGetULong(const xvCfg *cfg, const char *name, unsigned long long *out)
{
    const xvCfgValue *v = xvCfgGet(cfg, name);
    long long num;
    int rc;

    if (!v)
        return 0;
    if (v->type == XV_CFG_STRING && v->str[0] != '-') {
        /* full unsigned range for strings */
        char *end = NULL;
        unsigned long long u;
        errno = 0;
        u = g_ascii_strtoull(v->str, &end, 0);
        if (*v->str && !*end && !g_ascii_isspace(*v->str) && errno != ERANGE) {
            *out = u;
            return 1;
        }
    }
    if ((rc = xvCfgGetLong(cfg, name, &num)) <= 0)
        return rc;
    if (num < 0)
        return valueError(name, v, "expected a non-negative integer, found %lld", num);
    *out = (unsigned long long) num;
    return 1;
}

int
xvCfgGetBool(const xvCfg *cfg, const char *name, bool *out)
{
    const xvCfgValue *v = xvCfgGet(cfg, name);
    g_autofree char *esc = NULL;

    if (!v)
        return 0;
    switch (v->type) {
    case XV_CFG_NUMBER:
        *out = v->num != 0;
        return 1;
    case XV_CFG_STRING:
        if (strcmp(v->str, "1") == 0 || g_ascii_strcasecmp(v->str, "yes") == 0 ||
            g_ascii_strcasecmp(v->str, "true") == 0) {
            *out = true;
            return 1;
        }
        if (strcmp(v->str, "0") == 0 || g_ascii_strcasecmp(v->str, "no") == 0 ||
            g_ascii_strcasecmp(v->str, "false") == 0) {
            *out = false;
            return 1;
        }
        esc = g_strescape(v->str, NULL);
        return valueError(name, v, "expected a boolean (0 or 1), found \"%s\"", esc);
    case XV_CFG_LIST:
        break;
    }
    return valueError(name, v, "expected a boolean (0 or 1), found a list");
}

int
xvCfgGetStringList(const xvCfg *cfg, const char *name, bool allowString, char ***out)
{
    const xvCfgValue *v = xvCfgGet(cfg, name);
    g_autoptr(GStrvBuilder) b = NULL;
    size_t i;

    if (!v)
        return 0;
    if (v->type == XV_CFG_STRING && allowString) {
        b = g_strv_builder_new();
        g_strv_builder_add(b, v->str);
        *out = g_strv_builder_end(b);
        return 1;
    }
    if (v->type != XV_CFG_LIST)
        return valueError(name, v, "expected a list of strings, found a %s",
                          xvCfgTypeToString(v->type));
    b = g_strv_builder_new();
    for (i = 0; i < v->items->len; i++) {
        const xvCfgValue *item = g_ptr_array_index(v->items, i);
        if (item->type != XV_CFG_STRING)
            return valueError(name, v, "expected a list of strings, but item %zu is a %s",
                              i + 1, xvCfgTypeToString(item->type));
        g_strv_builder_add(b, item->str);
    }
    *out = g_strv_builder_end(b);
    return 1;
}

/* ------------------------------------------------------------------ */
/* setters                                                             */

void
xvCfgSet(xvCfg *cfg, const char *name, xvCfgValue *value)
{
    xvCfgEntry *first = NULL;
    size_t i = 0;

    while (i < cfg->entries->len) {
        xvCfgEntry *e = g_ptr_array_index(cfg->entries, i);
        if (strcmp(e->name, name) != 0) {
            i++;
        } else if (!first) {
            first = e;
            i++;
        } else {
            g_ptr_array_remove_index(cfg->entries, i);
        }
    }
    if (first) {
        xvCfgValueFree(first->value);
        first->value = value;
        return;
    }
    first = g_new0(xvCfgEntry, 1);
    first->name = g_strdup(name);
    first->value = value;
    g_ptr_array_add(cfg->entries, first);
}

void
xvCfgSetString(xvCfg *cfg, const char *name, const char *str)
{
    xvCfgSet(cfg, name, xvCfgValueNewString(str));
}

void
xvCfgSetLong(xvCfg *cfg, const char *name, long long num)
{
    xvCfgSet(cfg, name, xvCfgValueNewNumber(num));
}

void
xvCfgSetStringList(xvCfg *cfg, const char *name, const char *const *strv)
{
    xvCfgValue *list = xvCfgValueNewList();

    for (; strv && *strv; strv++)
        xvCfgValueAppend(list, xvCfgValueNewString(*strv));
    xvCfgSet(cfg, name, list);
}

size_t
xvCfgRemove(xvCfg *cfg, const char *name)
{
    size_t i = 0, n = 0;

    while (i < cfg->entries->len) {
        xvCfgEntry *e = g_ptr_array_index(cfg->entries, i);
        if (strcmp(e->name, name) == 0) {
            g_ptr_array_remove_index(cfg->entries, i);
            n++;
        } else {
            i++;
        }
    }
    return n;
}
