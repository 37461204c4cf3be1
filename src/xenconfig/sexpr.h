/*
 * sexpr.h: xend's S-expressions (SXP) as a tree, with a bounded reader,
 * printers for the forms xend and its clients exchange, and the lookup
 * helpers the converters and the XenD client use.
 *
 * A value is an atom (bare or quoted; xend makes no type distinction, a
 * number is just an atom) or a list.  A "record" is a list whose first item
 * is a name atom and whose fields are sub-lists: (domain (name vm1) ...).
 * This module is pure: strings in, trees and strings out, no I/O, no global
 * state.  It knows nothing about what a domain is; xen_sxpr.c does.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

typedef enum {
    XV_SEXPR_ATOM,
    XV_SEXPR_LIST,
} xvSexprKind;

/* How an atom is (or is to be) written. */
typedef enum {
    XV_SEXPR_QUOTE_NONE,    /* bare: memory 420 (quoted anyway if it must be) */
    XV_SEXPR_QUOTE_SINGLE,  /* 'value' */
    XV_SEXPR_QUOTE_DOUBLE,  /* "value" */
    XV_SEXPR_QUOTE_AUTO,    /* bare if xend would write it bare, else 'value' */
} xvSexprQuote;

typedef struct _xvSexpr xvSexpr;
struct _xvSexpr {
    xvSexprKind kind;
    /* XV_SEXPR_ATOM: the decoded text (never contains NUL) and its style. */
    char *value;
    xvSexprQuote quote;
    /* XV_SEXPR_LIST: the items (xvSexpr *), owned. */
    GPtrArray *items;
    /* Where the node started in the input (1-based; 0 when built). */
    unsigned int line;
    unsigned int column;
    /* Source layout, kept only by XV_SEXPR_PARSE_LAYOUT (else NULL):
     * the bytes before the node since the previous token, the atom's
     * lexeme as written, the bytes before a list's ')', and (root only)
     * everything after the expression.  XV_SEXPR_FORMAT_LAYOUT writes raw
     * instead of value: free and clear raw when changing an atom's value. */
    char *pre;
    char *raw;
    char *closePre;
    char *post;
    /* The list was closed by XV_SEXPR_PARSE_CLOSE_AT_EOF, not by ')';
     * XV_SEXPR_FORMAT_LAYOUT then writes no ')' either. */
    bool unclosed;
};

/* Limits on what a peer can make us allocate.  Zero fields mean "default". */
#define XV_SEXPR_MAX_INPUT (1024 * 1024)   /* bytes; xend replies are < 256 KiB */
#define XV_SEXPR_MAX_DEPTH 64              /* xend records nest about 6 deep */
#define XV_SEXPR_MAX_ITEMS 65536           /* items in one list */

typedef struct {
    size_t maxInput;
    unsigned int maxDepth;
    size_t maxItems;
} xvSexprLimits;

typedef enum {
    /* Keep whitespace, comments and lexemes so that XV_SEXPR_FORMAT_LAYOUT
     * gives the input back byte for byte. */
    XV_SEXPR_PARSE_LAYOUT = 1 << 0,
    /* A backslash immediately followed by a newline is a line continuation
     * and ignored everywhere (libvirt's test files wrap long SXP lines this
     * way; it is not SXP syntax and xend would read the backslash). */
    XV_SEXPR_PARSE_CONTINUATION = 1 << 1,
    /* Read the first complete expression and ignore whatever follows it
     * (xend 4.1+ appends '' to some replies; xend and libvirt both stop
     * after one value).  Without it, only blanks and comments may follow. */
    XV_SEXPR_PARSE_FIRST = 1 << 2,
    /* Lists still open at the end of input are closed there instead of
     * being an error.  libvirt's reader does this and one of libvirt's
     * test inputs (sexpr2xml-bridge-ipaddr) lacks its last ')'. */
    XV_SEXPR_PARSE_CLOSE_AT_EOF = 1 << 3,
} xvSexprParseFlags;

/* Parse one SXP value from text[0..len).  limits may be NULL.  On error
 * reports VIR_ERR_SEXPR_SERIAL "parse error at LINE:COL: what" (columns
 * count bytes from 1) and returns NULL. */
xvSexpr *xvSexprParse(const char *text, size_t len, unsigned int flags,
                      const xvSexprLimits *limits);
/* Convenience: NUL-terminated string, default limits. */
xvSexpr *xvSexprParseString(const char *text, unsigned int flags);

void xvSexprFree(xvSexpr *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvSexpr, xvSexprFree);

typedef enum {
    /* xend's own writer (sxp.show), what an HTTP reply body looks like:
     * one line, one space between items, a string bare when it is made
     * only of [A-Za-z0-9._:/~-] (or is "@"), else Python repr() quoting. */
    XV_SEXPR_FORMAT_WIRE,
    /* What libvirt POSTs to xend as config=: a space after an atom, none
     * after a list, "(vm (name 'x')(memory 420)(image (linux (kernel ..))))";
     * atoms quoted as their xvSexprQuote says, escaping \ and the quote. */
    XV_SEXPR_FORMAT_CONFIG,
    /* xend's PrettyPrint at width 80 (as `xm list -l` shows a domain): a
     * list that does not fit breaks, one item per line indented 4 more
     * than its '(', the ')' on a line of its own; ends with a newline. */
    XV_SEXPR_FORMAT_PRETTY,
    /* The layout recorded by XV_SEXPR_PARSE_LAYOUT, falling back to the
     * CONFIG form for nodes that carry none (built or added later). */
    XV_SEXPR_FORMAT_LAYOUT,
} xvSexprFormatStyle;

/* Never fails; returns a new string. */
char *xvSexprFormat(const xvSexpr *node, xvSexprFormatStyle style);
void xvSexprFormatBuf(GString *buf, const xvSexpr *node, xvSexprFormatStyle style);
/* Whether xend writes this string bare (see XV_SEXPR_FORMAT_WIRE). */
bool xvSexprIsAtomSafe(const char *str);
/* Appends Python 2's repr() of the byte string str, xend's quoting for a
 * string that is not bare (double quotes when it holds ' and no "). */
void xvSexprAppendRepr(GString *buf, const char *str);

/* A debugging/test view of the tree: one node per line, indented. */
char *xvSexprDump(const xvSexpr *node);

/* ---- building ---- */

xvSexpr *xvSexprNewAtom(const char *value, xvSexprQuote quote);
/* A list, with head as its first (bare) atom when head is not NULL. */
xvSexpr *xvSexprNewList(const char *head);
/* Appends child to list, taking ownership; returns child. */
xvSexpr *xvSexprAppend(xvSexpr *list, xvSexpr *child);
/* Appends (head) and returns it (borrowed), to be filled by the caller. */
xvSexpr *xvSexprAddList(xvSexpr *list, const char *head);
/* Appends (key value). */
void xvSexprAddPair(xvSexpr *list, const char *key, const char *value,
                    xvSexprQuote quote);
void xvSexprAddPairf(xvSexpr *list, const char *key, xvSexprQuote quote,
                     const char *fmt, ...) G_GNUC_PRINTF(4, 5);
void xvSexprAddLongLong(xvSexpr *list, const char *key, long long value);

/* ---- reading ---- */

size_t xvSexprCount(const xvSexpr *node);           /* 0 for atoms */
const xvSexpr *xvSexprItem(const xvSexpr *node, size_t i); /* NULL if out of range */
/* The first item's text when node is a list starting with an atom. */
const char *xvSexprHead(const xvSexpr *node);
/* Next child list of `list` whose head is `head` (any head when NULL),
 * starting at *idx; on success *idx is moved past it, so
 *   size_t i = 0; while ((d = xvSexprNextChild(dom, "device", &i))) ...
 * visits every (device ...) in order. */
const xvSexpr *xvSexprNextChild(const xvSexpr *list, const char *head, size_t *idx);

/* Paths follow libvirt: "domain/image/hvm/kernel" needs the root's head to
 * be "domain", then descends into the FIRST child list headed "image", in
 * it the first headed "hvm", and so on (later lists with the same head
 * are not searched; use xvSexprNextChild for repeated keys). */
const xvSexpr *xvSexprLookup(const xvSexpr *root, const char *path);
bool xvSexprHas(const xvSexpr *root, const char *path);
/* The value of (key value ...) at path: the item after the key if it is
 * an atom.  NULL when the key is absent, written as (key), or its value is
 * a list. */
const char *xvSexprNodeValue(const xvSexpr *root, const char *path);
/* The value at path if present and non-empty, else fallback. */
const char *xvSexprNodeValueDefault(const xvSexpr *root, const char *path,
                                    const char *fallback);

/* Typed getters.  Return 1 and set *out when the key has a value, 0 when
 * the key is absent or has no value (*out untouched), -1 with an error
 * naming the path and the text when the value does not parse or is out of
 * range.  Integers accept an optional sign (not for unsigned), decimal or
 * 0x-hex; a quoted number reads like a bare one. */
int xvSexprGetLongLong(const xvSexpr *root, const char *path, long long *out);
int xvSexprGetULongLong(const xvSexpr *root, const char *path, unsigned long long *out);
int xvSexprGetInt(const xvSexpr *root, const char *path, int *out);
int xvSexprGetUInt(const xvSexpr *root, const char *path, unsigned int *out);
int xvSexprGetDouble(const xvSexpr *root, const char *path, double *out);
/* 1/0, True/False, yes/no (any case). */
int xvSexprGetBool(const xvSexpr *root, const char *path, bool *out);
