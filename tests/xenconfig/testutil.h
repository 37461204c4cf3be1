/*
 * testutil.h: the small harness shared by the xenconfig test programs:
 * TAP output (one "ok"/"not ok" line per golden pair, so meson lists each
 * case), golden-file comparison with a unified diff on mismatch, and
 * XENVIRT_TEST_REGENERATE=1 support.
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

/* TAP */
void tuResult(bool ok, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void tuSkip(const char *name, const char *why);
void tuDiag(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Prints the plan and returns the exit status. */
int tuFinish(void);
