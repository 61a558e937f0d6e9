/*
 * lineidx.h - where each line and each page of a text file starts, so
 * that the report viewer shows any part of a report of a million lines
 * without loading it: one scan notes the offsets, and a line is read
 * from the file when it is drawn.  No curses here: the unit tests
 * drive it on plain files.
 *
 * Lines end at '\n'.  A form feed ('\f') starts a new page: at the
 * start of a line it only marks the page; after text on a line it ends
 * that line too.  A page holds at least one line, so a form feed at the
 * end of the file (or two in a row) makes no empty page.  '\r' before
 * a line's end is dropped.
 */
#ifndef KONTOR_UI_LINEIDX_H
#define KONTOR_UI_LINEIDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/kerr.h"

struct lineidx {
	int64_t *off;        /* start of each line; off[n] is the end */
	size_t n;            /* lines */
	size_t *page;        /* first line of each page */
	size_t npages;       /* 0 only for a file without lines */
};

/*
 * Scans f from its start and fills *ix (zeroed first; freed with
 * lineidx_free, also on error).  K_EIO or K_ENOMEM in err on failure.
 * Memory: 8 bytes a line and 8 a page.
 */
int lineidx_build(struct lineidx *ix, FILE *f, struct kerr *err);

/* Frees what lineidx_build allocated; *ix is zeroed.  Safe twice. */
void lineidx_free(struct lineidx *ix);

/*
 * Reads line `line` (0-based) of f into buf (n bytes, NUL-terminated,
 * without its end), cut at n - 1 bytes on a character boundary.
 * Returns the bytes written; 0 and "" past the end or on a read error.
 */
size_t lineidx_read(const struct lineidx *ix, FILE *f, size_t line,
		    char *buf, size_t n);

/* The page (0-based) that line is on; the last page past the end. */
size_t lineidx_page_of(const struct lineidx *ix, size_t line);

/* The first line of page (0-based); the last page's past the end. */
size_t lineidx_page_first(const struct lineidx *ix, size_t page);

/*
 * Looks for needle (ASCII letters in either case; other bytes as they
 * are) in the lines after `from`, to the end, then, when wrap is set,
 * from the first line up to and including `from`.  Returns 1 with
 * *line and *at (the byte offset of the match in the line as
 * lineidx_read gives it), 0 when not found, -1 on a read error.  An
 * empty needle is not found.  *wrapped (may be NULL) says whether the
 * match came after the wrap.
 */
int lineidx_search(const struct lineidx *ix, FILE *f, size_t from,
		   const char *needle, bool wrap, size_t *line, size_t *at,
		   bool *wrapped);

/*
 * The part of line s that shows from display column `from` in `cols`
 * columns, padded with blanks to exactly cols columns, into out (n
 * bytes; cols * 4 + 1 is always enough).  A wide character cut by
 * either edge shows as a blank; control characters and invalid bytes
 * as one blank each.  Returns out.
 */
char *lineidx_slice(const char *s, int from, int cols, char *out, size_t n);

/* Display columns of s[0..at) (as lineidx_slice counts them). */
int lineidx_cols(const char *s, size_t at);

#endif
