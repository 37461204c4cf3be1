/*
 * xen_cfg.h: the python-like syntax of /etc/xen domain config files, as
 * xm (python 2 exec) and xl (libxlutil's flex/bison parser) read them.
 *
 *     # comment
 *     name = "vm1"                      strings: "..." or '...' (xm also
 *     memory = 512                      """...""" / '''...'''), integers,
 *     disk = [ "phy:/dev/vg/a,xvda,w",  lists, possibly nested, spanning
 *              "file:/b.iso,hdc:cdrom,r", ]     lines, trailing comma
 *
 * This module is the syntax only: a parsed file is an ordered list of
 * entries (key -> value); what the keys mean is xen_xm.c's and xen_xl.c's
 * business.  Pure: no I/O, no global state.
 *
 * The writer produces the layout libvirt writes (and so what users of
 * virsh domxml-to-native see): `key = value` per line, strings in double
 * quotes unless the text makes another quote style necessary, lists on one
 * line as [ "a", "b" ].  For a parsed file it also keeps what it can of the
 * user's text: comment and blank lines, text after a value on its line
 * (an inline comment), ';' separators, each string's quote style and each
 * number's spelling.  What it does not keep is documented at xvCfgFormat.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

typedef enum {
    XV_CFG_DIALECT_XM,  /* python syntax subset, as xm exec()s the file */
    XV_CFG_DIALECT_XL,  /* libxlutil's grammar */
} xvCfgDialect;

typedef enum {
    XV_CFG_STRING,
    XV_CFG_NUMBER,
    XV_CFG_LIST,
} xvCfgType;

typedef enum {
    XV_CFG_QUOTE_AUTO,    /* the writer chooses (see xvCfgFormat) */
    XV_CFG_QUOTE_DOUBLE,  /* "..." */
    XV_CFG_QUOTE_SINGLE,  /* '...' */
    XV_CFG_QUOTE_TRIPLE,  /* """...""" (xm only) */
} xvCfgQuote;

typedef struct _xvCfgValue xvCfgValue;
struct _xvCfgValue {
    xvCfgType type;
    /* STRING: the decoded text.  NUMBER: the number as written ("0x1f"),
     * or in decimal for a built one; it is what the writer writes. */
    char *str;
    long long num;         /* NUMBER */
    xvCfgQuote quote;      /* STRING */
    GPtrArray *items;      /* LIST: xvCfgValue *, owned */
    unsigned int line;     /* where it started, 1-based; 0 when built */
    unsigned int column;
};

typedef struct {
    char *name;
    xvCfgValue *value;
    /* Layout of a parsed file, NULL for built entries: the text between
     * the previous entry's end and this key (comment lines, blank lines,
     * indentation), and the text after the value up to and including the
     * end of its line or its ';' (blanks, an inline comment). */
    char *pre;
    char *post;
    unsigned int line;
    unsigned int column;
} xvCfgEntry;

typedef struct {
    xvCfgDialect dialect;
    GPtrArray *entries;    /* xvCfgEntry *, in file order */
    char *tail;            /* text after the last entry (comments), or NULL */
} xvCfg;

/* Named limits on what a file can make us allocate. */
#define XV_CFG_MAX_INPUT (1024 * 1024)   /* bytes */
#define XV_CFG_MAX_DEPTH 16              /* list nesting (vnuma uses 2) */
#define XV_CFG_MAX_ITEMS 4096            /* items in one list */
#define XV_CFG_MAX_ENTRIES 4096          /* assignments in one file */

typedef struct {
    size_t maxInput;
    unsigned int maxDepth;
    size_t maxItems;
    size_t maxEntries;
} xvCfgLimits;

/* Parse text[0..len).  source names the text in messages (a file name;
 * NULL gives no prefix).  limits may be NULL.  On error reports
 * VIR_ERR_CONF_SYNTAX "SOURCE:LINE:COL: what" and returns NULL. */
xvCfg *xvCfgParse(const char *source, const char *text, size_t len,
                  xvCfgDialect dialect, const xvCfgLimits *limits);

xvCfg *xvCfgNew(xvCfgDialect dialect);
void xvCfgFree(xvCfg *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvCfg, xvCfgFree);

/* The file text.  Values are written as libvirt writes them:
 *  - `key = value`, one entry per line (a parsed entry keeps its own
 *    leading text and line end, so comments and ';' survive);
 *  - lists on one line: "[ a, b ]" ("[  ]" when empty), nested alike;
 *    a list that spanned several lines is joined onto one, and comments
 *    inside a list are dropped;
 *  - numbers as written when parsed, else in decimal;
 *  - strings in the quote style they were read with (a """ string read
 *    in xm stays so only in xm); built strings use "...", or '...' when
 *    the text has a '"' but no "'", or in xm """...""" when it has both
 *    (in xl, whose strings cannot be triple-quoted, "..." with \").
 *    Backslashes and the quote are escaped; control bytes too, by name
 *    where one exists (\a \b \f \n \r \t \v), others as \xHH in xm and
 *    raw in xl (libxlutil refuses every \x escape).
 *  - `key += value` (xl) was folded into the earlier value when read; the
 *    combined value is written once, at the first assignment.
 * A key or value the dialect cannot express (an upper-case key or a
 * negative number in xl) fails with VIR_ERR_CONF_SYNTAX and NULL. */
char *xvCfgFormat(const xvCfg *cfg);

/* A test/debug view of the values: one line per value, indented. */
char *xvCfgDump(const xvCfg *cfg);

/* ---- values ---- */

xvCfgValue *xvCfgValueNewString(const char *str);
xvCfgValue *xvCfgValueNewNumber(long long num);
xvCfgValue *xvCfgValueNewList(void);
/* Appends item (taking ownership) to list; returns item. */
xvCfgValue *xvCfgValueAppend(xvCfgValue *list, xvCfgValue *item);
xvCfgValue *xvCfgValueCopy(const xvCfgValue *value);
void xvCfgValueFree(xvCfgValue *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xvCfgValue, xvCfgValueFree);
const char *xvCfgTypeToString(xvCfgType type);

/* ---- reading entries ---- */

/* The value of the last assignment to name (as xm and xl use it), or NULL. */
const xvCfgValue *xvCfgGet(const xvCfg *cfg, const char *name);
bool xvCfgHas(const xvCfg *cfg, const char *name);

/* Typed getters.  Each returns 1 and sets *out when name is set, 0 when it
 * is not (*out untouched), -1 and reports VIR_ERR_CONF_SYNTAX naming the
 * key and the line when the value has the wrong type or does not parse. */

/* A string; a number is accepted and given as written. *out is borrowed. */
int xvCfgGetString(const xvCfg *cfg, const char *name, const char **out);
/* An integer (decimal, 0x hex or 0 octal); a string holding one is
 * accepted, as libvirt's xm reader accepts memory = "512". */
int xvCfgGetLong(const xvCfg *cfg, const char *name, long long *out);
int xvCfgGetULong(const xvCfg *cfg, const char *name, unsigned long long *out);
/* 0/1 (any non-zero number is true, as in xl), or a string
 * "0"/"1"/"yes"/"no"/"true"/"false" in any case. */
int xvCfgGetBool(const xvCfg *cfg, const char *name, bool *out);
/* A list of strings, as a new NULL-terminated vector (g_strfreev).  With
 * allowString a single string is taken as a one-item list (xm accepts
 * vif = "mac=..." for one NIC). */
int xvCfgGetStringList(const xvCfg *cfg, const char *name, bool allowString,
                       char ***out);

/* ---- changing entries ---- */

/* Sets name to value (taking ownership): the first entry of that name is
 * changed in place and any later ones removed; else a new entry is
 * appended. */
void xvCfgSet(xvCfg *cfg, const char *name, xvCfgValue *value);
void xvCfgSetString(xvCfg *cfg, const char *name, const char *str);
void xvCfgSetLong(xvCfg *cfg, const char *name, long long num);
/* strv is NULL-terminated; an empty vector sets an empty list. */
void xvCfgSetStringList(xvCfg *cfg, const char *name, const char *const *strv);
/* Removes every entry of that name; returns how many. */
size_t xvCfgRemove(xvCfg *cfg, const char *name);
