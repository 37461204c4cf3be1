/*
 * testutil.h: the small harness shared by the xenconfig test programs:
 * TAP output (one "ok"/"not ok" line per golden pair, so meson lists each
 * case), golden-file comparison with a unified diff on mismatch, and
 * XENVIRT_TEST_REGENERATE=1 support, and what the golden-file runners
 * (cfgtest, sexprtest) share: reading one case with the paths of its
 * expectations, the "#!key: ..." directive lines of an input, the last
 * error's message.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

/* $XENVIRT_SOURCE_ROOT/rel (or the compiled-in source root). */
char *tuSourcePath(const char *rel);
/* The shared vectors directory (../shared/vectors next to the tree, or
 * $XENVIRT_VECTORS_DIR), or NULL if absent. */
char *tuVectorsDir(void);

/* Whole file; NULL (and a diagnostic) on failure. */
char *tuReadFile(const char *path, size_t *len);
/* Sorted names in dir ending with suffix. */
GPtrArray *tuListDir(const char *dir, const char *suffix);

bool tuRegenerate(void);

/* Compares actual with the file expectedPath.  Regenerate mode writes the
 * file instead.  On mismatch prints a diff as TAP diagnostics and returns
 * false. */
bool tuCheckGolden(const char *expectedPath, const char *actual);
/* Prints a diff of two strings as diagnostics. */
void tuDiff(const char *labelA, const char *a, const char *labelB, const char *b);

/* One golden case: dir/file read whole, with the paths of its
 * expectations (dir/BASE.out, dir/BASE.err; BASE is file less suffix). */
typedef struct {
    char *path;
    char *base;
    char *outPath;
    char *errPath;
    char *input;
    size_t len;
} tuCase;
/* false (with a diagnostic) when the file cannot be read. */
bool tuCaseRead(tuCase *c, const char *dir, const char *file, const char *suffix);
void tuCaseClear(tuCase *c);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(tuCase, tuCaseClear)

/* The values of the "#!key: value" lines of text, stripped, in order. */
char **tuDirectives(const char *text, const char *key);
/* In the comma-separated "#!key: a=N,b=N" directives of text, the N of
 * the last name=N; false if no word gives name. */
bool tuDirectiveNumber(const char *text, const char *key, const char *name,
                       unsigned long long *out);

/* The message of the last reported error, or "(no error reported)". */
const char *tuLastError(void);

/* TAP */
void tuResult(bool ok, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void tuSkip(const char *name, const char *why);
void tuDiag(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Prints the plan and returns the exit status. */
int tuFinish(void);
