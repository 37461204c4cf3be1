/*
 * sexpr.c: reader, printers and lookups for xend's S-expressions.
 *
 * The reader accepts xend's syntax (tools/python/xen/xend/sxp.py, see
 * ../shared/spec/xend.md section 2): blanks, '#' comments, lists, bare
 * atoms, and strings in either quote style with C-like escapes.  It is
 * stricter than xend where xend's behaviour is an accident: an unknown
 * escape, a NUL byte anywhere (values are C strings) and a character xend
 * uses as an atom delimiter ({ } < > [ ] ;) outside quotes are errors with
 * a position, not silently odd values.  Every limit (input size, depth, list length) is named in
 * sexpr.h.  The reader is iterative over list items and recursive over
 * depth only, which the depth limit bounds.
 *
 * Rejected alternative: libvirt's cons-cell tree (car/cdr).  An array per
 * list makes counting, indexing and appending O(1) and the printers simpler;
 * nothing here needs shared tails.
 */
#define XV_FROM VIR_FROM_SEXPR
#include "xenconfig/sexpr.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

#define PRETTY_WIDTH 80

/* ------------------------------------------------------------------ */
/* nodes                                                               */

static xvSexpr *
nodeNew(xvSexprKind kind)
{
    xvSexpr *n = g_new0(xvSexpr, 1);
    n->kind = kind;
    if (kind == XV_SEXPR_LIST)
        n->items = g_ptr_array_new_with_free_func((GDestroyNotify) xvSexprFree);
    return n;
}

void
xvSexprFree(xvSexpr *node)
{
    if (!node)
        return;
    g_free(node->value);
    if (node->items)
        g_ptr_array_unref(node->items);
    g_free(node->pre);
    g_free(node->raw);
    g_free(node->closePre);
    g_free(node->post);
    g_free(node);
}

xvSexpr *
xvSexprNewAtom(const char *value, xvSexprQuote quote)
{
    xvSexpr *n = nodeNew(XV_SEXPR_ATOM);
    n->value = g_strdup(value ? value : "");
    n->quote = quote;
    return n;
}

xvSexpr *
xvSexprNewList(const char *head)
{
    xvSexpr *n = nodeNew(XV_SEXPR_LIST);
    if (head)
        g_ptr_array_add(n->items, xvSexprNewAtom(head, XV_SEXPR_QUOTE_NONE));
    return n;
}

xvSexpr *
xvSexprAppend(xvSexpr *list, xvSexpr *child)
{
    g_assert(list && list->kind == XV_SEXPR_LIST && child);
    g_ptr_array_add(list->items, child);
    return child;
}

xvSexpr *
xvSexprAddList(xvSexpr *list, const char *head)
{
    return xvSexprAppend(list, xvSexprNewList(head));
}

void
xvSexprAddPair(xvSexpr *list, const char *key, const char *value,
               xvSexprQuote quote)
{
    xvSexpr *pair = xvSexprAddList(list, key);
    xvSexprAppend(pair, xvSexprNewAtom(value, quote));
}

void
xvSexprAddPairf(xvSexpr *list, const char *key, xvSexprQuote quote,
                const char *fmt, ...)
{
    va_list ap;
    g_autofree char *value = NULL;

    va_start(ap, fmt);
    value = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    xvSexprAddPair(list, key, value, quote);
}

void
xvSexprAddLongLong(xvSexpr *list, const char *key, long long value)
{
    xvSexprAddPairf(list, key, XV_SEXPR_QUOTE_NONE, "%lld", value);
}

/* ------------------------------------------------------------------ */
/* reader                                                              */

typedef struct {
    const char *s;
    size_t len;
    size_t pos;
    unsigned int line;
    unsigned int col;
    unsigned int flags;
    xvSexprLimits lim;
    GString *scratch;           /* reused for each atom's text */
} Reader;

static bool
isBlank(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Characters xend (4.0+) ends an atom at besides blanks, parens and '#'.
 * We refuse them outside quotes instead of starting a new token. */
static bool
isDelimiter(int c)
{
    return c > 0 && strchr("{}<>[];", c) != NULL;
}

static bool
isAtomChar(int c)
{
    switch (c) {
    case '(': case ')': case '#':
    case '{': case '}': case '<': case '>': case '[': case ']': case ';':
        return false;
    default:
        return c > 0x20 && c < 0x7f;
    }
}

static void G_GNUC_PRINTF(4, 5)
readerError(Reader *r, unsigned int line, unsigned int col, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    xvReportError(VIR_ERR_SEXPR_SERIAL, "parse error at %u:%u: %s", line, col, msg);
}

/* Skip a line continuation if the flag asks for it. */
static void
skipContinuations(Reader *r)
{
    if (!(r->flags & XV_SEXPR_PARSE_CONTINUATION))
        return;
    while (r->pos + 1 < r->len && r->s[r->pos] == '\\' && r->s[r->pos + 1] == '\n') {
        r->pos += 2;
        r->line++;
        r->col = 1;
    }
}

/* The current byte, or -1 at the end. */
static int
peek(Reader *r)
{
    skipContinuations(r);
    return r->pos < r->len ? (unsigned char) r->s[r->pos] : -1;
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

static void
skipTrivia(Reader *r)
{
    int c;

    while ((c = peek(r)) >= 0) {
        if (isBlank(c)) {
            advance(r);
        } else if (c == '#') {
            while ((c = peek(r)) >= 0 && c != '\n')
                advance(r);
        } else {
            break;
        }
    }
}

static char *
sliceFrom(Reader *r, size_t start)
{
    if (!(r->flags & XV_SEXPR_PARSE_LAYOUT))
        return NULL;
    return g_strndup(r->s + start, r->pos - start);
}

/* A quoted string; the opening quote is current. */
static xvSexpr *
readString(Reader *r)
{
    unsigned int line = r->line, col = r->col;
    size_t start = r->pos;
    int q = peek(r);
    GString *buf = r->scratch;
    xvSexpr *n;
    int c;

    g_string_truncate(buf, 0);
    advance(r);
    for (;;) {
        c = peek(r);
        if (c < 0) {
            readerError(r, r->line, r->col,
                        "unterminated quoted string (opened at %u:%u)", line, col);
            return NULL;
        }
        if (c == q) {
            advance(r);
            break;
        }
        if (c != '\\') {
            g_string_append_c(buf, (char) c);
            advance(r);
            continue;
        }
        {
            unsigned int eline = r->line, ecol = r->col;
            int e;

            advance(r);
            e = peek(r);
            switch (e) {
            case 'a': g_string_append_c(buf, '\a'); advance(r); break;
            case 'b': g_string_append_c(buf, '\b'); advance(r); break;
            case 't': g_string_append_c(buf, '\t'); advance(r); break;
            case 'n': g_string_append_c(buf, '\n'); advance(r); break;
            case 'v': g_string_append_c(buf, '\v'); advance(r); break;
            case 'f': g_string_append_c(buf, '\f'); advance(r); break;
            case 'r': g_string_append_c(buf, '\r'); advance(r); break;
            case '\\': case '\'': case '"':
                g_string_append_c(buf, (char) e);
                advance(r);
                break;
            case 'x': {
                int hi, lo;
                advance(r);
                hi = g_ascii_xdigit_value(peek(r));
                if (hi >= 0) {
                    advance(r);
                    lo = g_ascii_xdigit_value(peek(r));
                } else {
                    lo = -1;
                }
                if (lo < 0) {
                    readerError(r, eline, ecol,
                                "escape \\x must be followed by two hex digits");
                    return NULL;
                }
                advance(r);
                if (hi == 0 && lo == 0) {
                    readerError(r, eline, ecol, "NUL byte (\\x00) in quoted string");
                    return NULL;
                }
                g_string_append_c(buf, (char) (hi * 16 + lo));
                break;
            }
            case '0': case '1': case '2': case '3':
            case '4': case '5': case '6': case '7': {
                unsigned int v = 0;
                int digits = 0;
                while (digits < 3 && (c = peek(r)) >= '0' && c <= '7') {
                    v = v * 8 + (unsigned int) (c - '0');
                    advance(r);
                    digits++;
                }
                if (v > 255) {
                    readerError(r, eline, ecol, "octal escape \\%o is above \\377", v);
                    return NULL;
                }
                if (v == 0) {
                    readerError(r, eline, ecol, "NUL byte (\\0) in quoted string");
                    return NULL;
                }
                g_string_append_c(buf, (char) v);
                break;
            }
            case -1:
                readerError(r, r->line, r->col,
                            "unterminated quoted string (opened at %u:%u)", line, col);
                return NULL;
            default:
                if (e >= 0x21 && e < 0x7f)
                    readerError(r, eline, ecol, "unknown escape '\\%c' in quoted string", e);
                else
                    readerError(r, eline, ecol,
                                "unknown escape (backslash before byte 0x%02x) in quoted string", e);
                return NULL;
            }
        }
    }

    n = nodeNew(XV_SEXPR_ATOM);
    n->value = g_strndup(buf->str, buf->len);
    n->quote = q == '\'' ? XV_SEXPR_QUOTE_SINGLE : XV_SEXPR_QUOTE_DOUBLE;
    n->line = line;
    n->column = col;
    n->raw = sliceFrom(r, start);
    return n;
}

static bool
explainBadChar(Reader *r, int c)
{
    if (c == ')') {
        readerError(r, r->line, r->col, "unexpected ')' with no list open");
    } else if (isDelimiter(c)) {
        readerError(r, r->line, r->col,
                    "character '%c' is not allowed in an unquoted atom (quote the value)", c);
    } else {
        readerError(r, r->line, r->col,
                    "invalid byte 0x%02x outside a quoted string", (unsigned int) c);
    }
    return false;
}

static xvSexpr *readValue(Reader *r, unsigned int depth);

/* A list; the '(' is current. */
static xvSexpr *
readList(Reader *r, unsigned int depth)
{
    unsigned int line = r->line, col = r->col;
    g_autoptr(xvSexpr) list = NULL;

    if (depth >= r->lim.maxDepth) {
        readerError(r, line, col, "lists nested deeper than %u levels", r->lim.maxDepth);
        return NULL;
    }
    list = nodeNew(XV_SEXPR_LIST);
    list->line = line;
    list->column = col;
    advance(r);

    for (;;) {
        size_t start = r->pos;
        xvSexpr *child;
        int c;

        skipTrivia(r);
        c = peek(r);
        if (c < 0 && (r->flags & XV_SEXPR_PARSE_CLOSE_AT_EOF)) {
            list->closePre = sliceFrom(r, start);
            list->unclosed = true;
            return g_steal_pointer(&list);
        }
        if (c < 0) {
            readerError(r, r->line, r->col,
                        "unexpected end of input: list opened at %u:%u is not closed",
                        line, col);
            return NULL;
        }
        if (c == ')') {
            list->closePre = sliceFrom(r, start);
            advance(r);
            return g_steal_pointer(&list);
        }
        if (list->items->len >= r->lim.maxItems) {
            readerError(r, r->line, r->col, "list opened at %u:%u has more than %zu items",
                        line, col, r->lim.maxItems);
            return NULL;
        }
        {
            g_autofree char *pre = sliceFrom(r, start);
            if (!(child = readValue(r, depth + 1)))
                return NULL;
            child->pre = g_steal_pointer(&pre);
        }
        g_ptr_array_add(list->items, child);
    }
}

/* One value; trivia before it has been skipped. */
static xvSexpr *
readValue(Reader *r, unsigned int depth)
{
    int c = peek(r);

    if (c == '(')
        return readList(r, depth);
    if (c == '\'' || c == '"')
        return readString(r);
    if (c < 0) {
        readerError(r, r->line, r->col, "unexpected end of input");
        return NULL;
    }
    if (isAtomChar(c)) {
        size_t start = r->pos;
        unsigned int line = r->line, col = r->col;
        GString *buf = r->scratch;
        xvSexpr *n;

        g_string_truncate(buf, 0);
        while ((c = peek(r)) >= 0 && isAtomChar(c)) {
            g_string_append_c(buf, (char) c);
            advance(r);
        }
        n = nodeNew(XV_SEXPR_ATOM);
        n->value = g_strndup(buf->str, buf->len);
        n->quote = XV_SEXPR_QUOTE_NONE;
        n->line = line;
        n->column = col;
        n->raw = sliceFrom(r, start);
        return n;
    }
    explainBadChar(r, c);
    return NULL;
}

xvSexpr *
xvSexprParse(const char *text, size_t len, unsigned int flags,
             const xvSexprLimits *limits)
{
    g_autoptr(GString) scratch = g_string_sized_new(64);
    Reader r = { .s = text, .len = len, .line = 1, .col = 1, .flags = flags,
                 .scratch = scratch };
    g_autoptr(xvSexpr) root = NULL;
    g_autofree char *pre = NULL;
    size_t start;

    r.lim.maxInput = limits && limits->maxInput ? limits->maxInput : XV_SEXPR_MAX_INPUT;
    r.lim.maxDepth = limits && limits->maxDepth ? limits->maxDepth : XV_SEXPR_MAX_DEPTH;
    r.lim.maxItems = limits && limits->maxItems ? limits->maxItems : XV_SEXPR_MAX_ITEMS;

    if (!text && len) {
        xvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "no S-expression text given");
        return NULL;
    }
    if (len > r.lim.maxInput) {
        xvReportError(VIR_ERR_SEXPR_SERIAL,
                      "S-expression of %zu bytes exceeds the limit of %zu bytes",
                      len, r.lim.maxInput);
        return NULL;
    }

    /* Values and layout are C strings: refuse NUL anywhere, even in a
     * comment or in what XV_SEXPR_PARSE_FIRST would ignore. */
    {
        const char *nul = len ? memchr(text, '\0', len) : NULL;
        if (nul) {
            while (r.pos < (size_t) (nul - text))
                advance(&r);
            readerError(&r, r.line, r.col, "NUL byte in input");
            return NULL;
        }
    }

    skipTrivia(&r);
    pre = sliceFrom(&r, 0);
    if (peek(&r) < 0) {
        readerError(&r, r.line, r.col, "no S-expression in input (only blanks or comments)");
        return NULL;
    }
    if (!(root = readValue(&r, 0)))
        return NULL;
    root->pre = g_steal_pointer(&pre);

    start = r.pos;
    if (!(flags & XV_SEXPR_PARSE_FIRST)) {
        unsigned int endLine = r.line, endCol = r.col;
        skipTrivia(&r);
        if (peek(&r) >= 0) {
            readerError(&r, r.line, r.col,
                        "unexpected data after the S-expression that ended at %u:%u",
                        endLine, endCol);
            return NULL;
        }
    } else {
        r.pos = r.len;
    }
    root->post = sliceFrom(&r, start);
    return g_steal_pointer(&root);
}

xvSexpr *
xvSexprParseString(const char *text, unsigned int flags)
{
    return xvSexprParse(text, text ? strlen(text) : 0, flags, NULL);
}

/* ------------------------------------------------------------------ */
/* printers                                                            */

bool
xvSexprIsAtomSafe(const char *str)
{
    const char *p;

    if (!str || !*str)
        return false;
    if (strcmp(str, "@") == 0)
        return true;
    for (p = str; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("._:/~-", *p))
            return false;
    }
    return true;
}

/* Whether our reader gives this text back as one bare atom. */
static bool
isBareReadable(const char *str)
{
    const char *p;

    if (!*str || *str == '\'' || *str == '"')
        return false;
    for (p = str; *p; p++) {
        if (!isAtomChar((unsigned char) *p))
            return false;
    }
    return true;
}

/* str between q quotes with the quote and the backslash escaped, and
 * control bytes too so the text stays on one line (xend decodes all of
 * these); escapeHigh also escapes bytes above 0x7f, as Python 2's repr()
 * does and libvirt's config writer does not. */
static void
appendEscaped(GString *buf, const char *str, char q, bool escapeHigh)
{
    const unsigned char *p;

    g_string_append_c(buf, q);
    for (p = (const unsigned char *) str; *p; p++) {
        if (*p == '\\' || *p == (unsigned char) q)
            g_string_append_printf(buf, "\\%c", *p);
        else if (*p == '\n')
            g_string_append(buf, "\\n");
        else if (*p == '\r')
            g_string_append(buf, "\\r");
        else if (*p == '\t')
            g_string_append(buf, "\\t");
        else if (*p < 0x20 || *p == 0x7f || (escapeHigh && *p > 0x7f))
            g_string_append_printf(buf, "\\x%02x", *p);
        else
            g_string_append_c(buf, (char) *p);
    }
    g_string_append_c(buf, q);
}

/* A quoted string as libvirt writes config values. */
static void
appendQuoted(GString *buf, const char *str, char q)
{
    appendEscaped(buf, str, q, false);
}

void
xvSexprAppendRepr(GString *buf, const char *str)
{
    appendEscaped(buf, str, (strchr(str, '\'') && !strchr(str, '"')) ? '"' : '\'', true);
}

static void
appendAtomConfig(GString *buf, const xvSexpr *n)
{
    switch (n->quote) {
    case XV_SEXPR_QUOTE_NONE:
        if (isBareReadable(n->value))
            g_string_append(buf, n->value);
        else
            appendQuoted(buf, n->value, '\'');
        return;
    case XV_SEXPR_QUOTE_AUTO:
        if (xvSexprIsAtomSafe(n->value))
            g_string_append(buf, n->value);
        else
            appendQuoted(buf, n->value, '\'');
        return;
    case XV_SEXPR_QUOTE_DOUBLE:
        appendQuoted(buf, n->value, '"');
        return;
    case XV_SEXPR_QUOTE_SINGLE:
    default:
        appendQuoted(buf, n->value, '\'');
        return;
    }
}

static void
appendAtomWire(GString *buf, const xvSexpr *n)
{
    if (xvSexprIsAtomSafe(n->value))
        g_string_append(buf, n->value);
    else
        xvSexprAppendRepr(buf, n->value);
}

static void
formatWire(GString *buf, const xvSexpr *n)
{
    size_t i;

    if (n->kind == XV_SEXPR_ATOM) {
        appendAtomWire(buf, n);
        return;
    }
    g_string_append_c(buf, '(');
    for (i = 0; i < n->items->len; i++) {
        if (i)
            g_string_append_c(buf, ' ');
        formatWire(buf, g_ptr_array_index(n->items, i));
    }
    g_string_append_c(buf, ')');
}

/* libvirt's separator rule: after an atom a space, after a list nothing. */
static const char *
configSeparator(const xvSexpr *list, size_t i)
{
    const xvSexpr *prev;

    if (i == 0)
        return "";
    prev = g_ptr_array_index(list->items, i - 1);
    return prev->kind == XV_SEXPR_ATOM ? " " : "";
}

static void
formatConfig(GString *buf, const xvSexpr *n, bool layout)
{
    size_t i;

    if (n->kind == XV_SEXPR_ATOM) {
        if (layout && n->raw)
            g_string_append(buf, n->raw);
        else
            appendAtomConfig(buf, n);
        return;
    }
    g_string_append_c(buf, '(');
    for (i = 0; i < n->items->len; i++) {
        const xvSexpr *child = g_ptr_array_index(n->items, i);
        g_string_append(buf, layout && child->pre ? child->pre : configSeparator(n, i));
        formatConfig(buf, child, layout);
    }
    if (layout && n->closePre)
        g_string_append(buf, n->closePre);
    if (!(layout && n->unclosed))
        g_string_append_c(buf, ')');
}

/* Width of the one-line wire form, for the pretty printer. */
static size_t
wireWidth(const xvSexpr *n)
{
    g_autoptr(GString) tmp = g_string_new(NULL);
    formatWire(tmp, n);
    return tmp->len;
}

/* xend's PrettyPrint (an Oppen-style printer whose blocks break all-or-
 * nothing): a list starting at column col that fits in the width is
 * written flat; otherwise its first item follows the '(' and every further
 * item, then the ')', starts a new line indented col+4 (resp. col). */
static void
formatPretty(GString *buf, const xvSexpr *n, size_t col)
{
    size_t i;

    if (n->kind == XV_SEXPR_ATOM || col + wireWidth(n) <= PRETTY_WIDTH) {
        formatWire(buf, n);
        return;
    }
    g_string_append_c(buf, '(');
    for (i = 0; i < n->items->len; i++) {
        const xvSexpr *child = g_ptr_array_index(n->items, i);
        if (i == 0) {
            formatPretty(buf, child, col + 1);
        } else {
            g_string_append_c(buf, '\n');
            g_string_append_printf(buf, "%*s", (int) (col + 4), "");
            formatPretty(buf, child, col + 4);
        }
    }
    g_string_append_c(buf, '\n');
    g_string_append_printf(buf, "%*s", (int) col, "");
    g_string_append_c(buf, ')');
}

void
xvSexprFormatBuf(GString *buf, const xvSexpr *node, xvSexprFormatStyle style)
{
    switch (style) {
    case XV_SEXPR_FORMAT_WIRE:
        formatWire(buf, node);
        break;
    case XV_SEXPR_FORMAT_CONFIG:
        formatConfig(buf, node, false);
        break;
    case XV_SEXPR_FORMAT_PRETTY:
        formatPretty(buf, node, 0);
        g_string_append_c(buf, '\n');
        break;
    case XV_SEXPR_FORMAT_LAYOUT:
        if (node->pre)
            g_string_append(buf, node->pre);
        formatConfig(buf, node, true);
        if (node->post)
            g_string_append(buf, node->post);
        break;
    }
}

char *
xvSexprFormat(const xvSexpr *node, xvSexprFormatStyle style)
{
    GString *buf = g_string_new(NULL);
    xvSexprFormatBuf(buf, node, style);
    return g_string_free(buf, FALSE);
}

static const char *const quoteNames[] = {
    [XV_SEXPR_QUOTE_NONE] = "bare",
    [XV_SEXPR_QUOTE_SINGLE] = "single",
    [XV_SEXPR_QUOTE_DOUBLE] = "double",
    [XV_SEXPR_QUOTE_AUTO] = "auto",
};

static void
dumpNode(GString *buf, const xvSexpr *n, unsigned int indent)
{
    size_t i;

    g_string_append_printf(buf, "%*s", (int) indent * 2, "");
    if (n->line)
        g_string_append_printf(buf, "%u:%u ", n->line, n->column);
    if (n->kind == XV_SEXPR_ATOM) {
        g_autofree char *esc = g_strescape(n->value, NULL);
        g_string_append_printf(buf, "atom %s \"%s\"\n", quoteNames[n->quote], esc);
        return;
    }
    g_string_append_printf(buf, "list %u\n", n->items->len);
    for (i = 0; i < n->items->len; i++)
        dumpNode(buf, g_ptr_array_index(n->items, i), indent + 1);
}

char *
xvSexprDump(const xvSexpr *node)
{
    GString *buf = g_string_new(NULL);
    dumpNode(buf, node, 0);
    return g_string_free(buf, FALSE);
}

/* ------------------------------------------------------------------ */
/* lookups                                                             */

size_t
xvSexprCount(const xvSexpr *node)
{
    return node && node->kind == XV_SEXPR_LIST ? node->items->len : 0;
}

const xvSexpr *
xvSexprItem(const xvSexpr *node, size_t i)
{
    if (!node || node->kind != XV_SEXPR_LIST || i >= node->items->len)
        return NULL;
    return g_ptr_array_index(node->items, i);
}

const char *
xvSexprHead(const xvSexpr *node)
{
    const xvSexpr *first = xvSexprItem(node, 0);
    return first && first->kind == XV_SEXPR_ATOM ? first->value : NULL;
}

const xvSexpr *
xvSexprNextChild(const xvSexpr *list, const char *head, size_t *idx)
{
    size_t i;

    /* an atom in front is the list's own head, never a child record; a
     * list of records such as GET /xend/domain?detail=1 has none */
    i = *idx;
    if (i == 0 && xvSexprHead(list))
        i = 1;
    for (; i < xvSexprCount(list); i++) {
        const xvSexpr *child = g_ptr_array_index(list->items, i);
        const char *h = xvSexprHead(child);
        if (h && (!head || strcmp(h, head) == 0)) {
            *idx = i + 1;
            return child;
        }
    }
    *idx = xvSexprCount(list);
    return NULL;
}

const xvSexpr *
xvSexprLookup(const xvSexpr *root, const char *path)
{
    const xvSexpr *cur = root;
    const char *p = path;
    bool first = true;

    if (!root || !path)
        return NULL;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t) (slash - p) : strlen(p);

        if (first) {
            const char *h = xvSexprHead(cur);
            if (!h || strlen(h) != n || strncmp(h, p, n) != 0)
                return NULL;
            first = false;
        } else {
            const xvSexpr *found = NULL;
            size_t i;
            for (i = 1; i < xvSexprCount(cur); i++) {
                const xvSexpr *child = g_ptr_array_index(cur->items, i);
                const char *h = xvSexprHead(child);
                if (h && strlen(h) == n && strncmp(h, p, n) == 0) {
                    found = child;
                    break;
                }
            }
            if (!found)
                return NULL;
            cur = found;
        }
        p += n;
        if (*p == '/')
            p++;
    }
    return first ? NULL : cur;
}

bool
xvSexprHas(const xvSexpr *root, const char *path)
{
    return xvSexprLookup(root, path) != NULL;
}

const char *
xvSexprNodeValue(const xvSexpr *root, const char *path)
{
    const xvSexpr *n = xvSexprLookup(root, path);
    const xvSexpr *v = xvSexprItem(n, 1);

    return v && v->kind == XV_SEXPR_ATOM ? v->value : NULL;
}

const char *
xvSexprNodeValueDefault(const xvSexpr *root, const char *path, const char *fallback)
{
    const char *v = xvSexprNodeValue(root, path);
    return v && *v ? v : fallback;
}

/* Shared by the integer getters: 1 found, 0 absent, -1 error. */
static int
getText(const xvSexpr *root, const char *path, const char **text)
{
    const xvSexpr *n = xvSexprLookup(root, path);
    const xvSexpr *v = xvSexprItem(n, 1);

    if (!v)
        return 0;
    if (v->kind != XV_SEXPR_ATOM) {
        xvReportError(VIR_ERR_INTERNAL_ERROR,
                      "SXP field '%s' holds a list where a value was expected", path);
        return -1;
    }
    if (!*v->value)
        return 0;
    *text = v->value;
    return 1;
}

static int
badNumber(const char *path, const char *text, const char *what)
{
    g_autofree char *esc = g_strescape(text, NULL);
    xvReportError(VIR_ERR_INTERNAL_ERROR, "SXP field '%s': '%s' is not %s", path, esc, what);
    return -1;
}

int
xvSexprGetLongLong(const xvSexpr *root, const char *path, long long *out)
{
    const char *text = NULL;
    char *end = NULL;
    long long v;
    int rc = getText(root, path, &text);

    if (rc <= 0)
        return rc;
    errno = 0;
    v = g_ascii_strtoll(text, &end, 0);
    if (end == text || *end || g_ascii_isspace(*text))
        return badNumber(path, text, "an integer");
    if (errno == ERANGE)
        return badNumber(path, text, "within the range of a 64-bit integer");
    *out = v;
    return 1;
}

int
xvSexprGetULongLong(const xvSexpr *root, const char *path, unsigned long long *out)
{
    const char *text = NULL;
    char *end = NULL;
    unsigned long long v;
    int rc = getText(root, path, &text);

    if (rc <= 0)
        return rc;
    errno = 0;
    if (*text == '-' || g_ascii_isspace(*text))
        return badNumber(path, text, "an unsigned integer");
    v = g_ascii_strtoull(text, &end, 0);
    if (end == text || *end)
        return badNumber(path, text, "an unsigned integer");
    if (errno == ERANGE)
        return badNumber(path, text, "within the range of a 64-bit unsigned integer");
    *out = v;
    return 1;
}

int
xvSexprGetInt(const xvSexpr *root, const char *path, int *out)
{
    long long v;
    int rc = xvSexprGetLongLong(root, path, &v);

    if (rc <= 0)
        return rc;
    if (v < G_MININT || v > G_MAXINT)
        return badNumber(path, xvSexprNodeValue(root, path), "within the range of an int");
    *out = (int) v;
    return 1;
}

int
xvSexprGetUInt(const xvSexpr *root, const char *path, unsigned int *out)
{
    unsigned long long v;
    int rc = xvSexprGetULongLong(root, path, &v);

    if (rc <= 0)
        return rc;
    if (v > G_MAXUINT)
        return badNumber(path, xvSexprNodeValue(root, path),
                         "within the range of an unsigned int");
    *out = (unsigned int) v;
    return 1;
}

int
xvSexprGetDouble(const xvSexpr *root, const char *path, double *out)
{
    const char *text = NULL;
    char *end = NULL;
    double v;
    int rc = getText(root, path, &text);

    if (rc <= 0)
        return rc;
    errno = 0;
    v = g_ascii_strtod(text, &end);
    if (end == text || *end || errno == ERANGE || g_ascii_isspace(*text))
        return badNumber(path, text, "a number");
    *out = v;
    return 1;
}

int
xvSexprGetBool(const xvSexpr *root, const char *path, bool *out)
{
    const char *text = NULL;
    int rc = getText(root, path, &text);

    if (rc <= 0)
        return rc;
    if (strcmp(text, "1") == 0 || g_ascii_strcasecmp(text, "true") == 0 ||
        g_ascii_strcasecmp(text, "yes") == 0) {
        *out = true;
    } else if (strcmp(text, "0") == 0 || g_ascii_strcasecmp(text, "false") == 0 ||
               g_ascii_strcasecmp(text, "no") == 0) {
        *out = false;
    } else {
        return badNumber(path, text, "a boolean (1/0, True/False, yes/no)");
    }
    return 1;
}
