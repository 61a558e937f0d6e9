/*
 * csvio.h - CSV import and export of any entity (RFC 4180, UTF-8, with
 * or without a BOM), through libcsv.
 *
 * The header row names the columns by the schema's field names; a
 * reference column holds the referenced record's code.  A list field (a
 * party's contacts) is one column: one element per line inside the
 * field, the element's fields in the element schema's order separated by
 * '|', with "\|", "\\" and "\n" for a bar, a backslash and a line break
 * inside a value; an empty list is an empty field.
 *
 * Import is all or nothing: the file is read once, row by row, inside
 * one write transaction; every problem is noted as "FILE:LINE: column:
 * reason" and the transaction commits only when there is none.
 */
#ifndef KONTOR_MASTERS_CSVIO_H
#define KONTOR_MASTERS_CSVIO_H

#include <stdbool.h>
#include <stdio.h>

#include "base/kerr.h"
#include "masters/entity.h"
#include "store/store.h"

/* At most this many problems are noted; the scan stops at the next. */
#define CSVIO_MAX_ERRORS 1000

/*
 * Called during an import at most every 0.2 seconds with the rows read
 * so far, and once more at the end with done set.
 */
typedef void (*csvio_progress_fn)(void *arg, unsigned long rows, bool done);

struct csvio_opts {
	bool update;                  /* a row whose code exists updates it */
	bool dry_run;                 /* check and write, then roll back */
	csvio_progress_fn progress;   /* or NULL */
	void *arg;                    /* for progress */
};

/*
 * Imports path into entity e in one transaction.  With o->update a row
 * whose code exists updates that record (its other fields stay as they
 * are); without it that row is an error, as is a code twice in the file.
 * *rows gets the rows written (0 unless committed).  Problems are
 * written to errs (may be NULL) in line order, then K_EINVAL.  Other
 * results: K_ENOTFOUND when the file does not exist, K_EIO when it
 * cannot be read, K_EBUSY when another user holds a record the import
 * needs ("the database is busy ..."), or the store's error.
 */
int csvio_import_opts(struct store *st, const struct entity *e,
		      const char *path, const struct csvio_opts *o,
		      unsigned long *rows, FILE *errs, struct kerr *err);

/* csvio_import_opts() with only update set. */
int csvio_import(struct store *st, const struct entity *e, const char *path,
		 bool update, unsigned long *rows, FILE *errs,
		 struct kerr *err);

/*
 * Writes every record of e, in code order, to out, read in one
 * snapshot: a header of every field's name, then one row a record.
 */
int csvio_export(struct store *st, const struct entity *e, FILE *out,
		 unsigned long *rows, struct kerr *err);

/*
 * Puts every entity of ent_all[] into out (ent_count slots) in an order
 * in which they can be imported: each after the entities its fields and
 * list elements refer to (a cycle keeps the registry's order).
 */
void csvio_order(const struct entity **out);

/*
 * Describes the columns of e to out, one line each: the name, the type
 * ("text", "amount with 2 decimals", "date YYYY-MM-DD", "yes/no", "code
 * of party", "list: name|role|phone|email") and, for a column the
 * entity's rules refuse empty, "required" (or the rule's words), else
 * its default ("default active"), if any.
 */
int csvio_columns(struct store *st, const struct entity *e, FILE *out,
		  struct kerr *err);

/* ------------------------------------------------------------ the reader */

/*
 * The CSV reader and problem collector behind every import (this
 * module's and finance/journal_import.c's).  The file is read once, in
 * chunks, skipping a UTF-8 byte order mark; libcsv is handed one
 * physical line at a time, so that a row is named by the line it starts
 * on (a quoted field with line breaks inside counts them).  Each row
 * with at least one field is given to the row callback, the first being
 * the header.  A problem is noted as "FILE:LINE: column: reason" (made
 * one printable line) and the scan goes on; csvio_reader_report()
 * prints them in line order at the end.
 */
struct csv_parser;
struct csvio_note;
struct csvio_reader;

/*
 * A field of the row read: s ends with a NUL; len counts its bytes (a
 * NUL byte inside the field makes strlen(s) shorter).
 */
struct csvio_field {
	char *s;
	size_t len, cap;
};

/* Called for each row that has a field, unless the scan has stopped. */
typedef void (*csvio_row_fn)(struct csvio_reader *r, void *arg);

struct csvio_reader {
	/* set by csvio_reader_init() */
	const char *path;               /* named by every problem */
	size_t max_cols;                /* fields of a row that are kept */
	size_t row_max;                 /* bytes of a row kept; 0: no limit */
	csvio_row_fn row;
	void *arg;

	/* the row, for the row callback */
	struct csvio_field *cur;        /* the fields kept */
	size_t ncur;                    /* kept (<= max_cols) */
	size_t nrow;                    /* fields of the row, kept or not */
	bool row_big;                   /* a field was not kept: row_max */
	unsigned long line;             /* physical line being read */
	unsigned long row_line;         /* where the current row started */

	/* the outcome */
	int stop;                       /* the scan ends (a callback may set it) */
	struct kerr stop_err;           /* why, unless problems say it */
	size_t nprobs;                  /* problems noted */
	bool full;                      /* more than CSVIO_MAX_ERRORS */
	unsigned long full_line;        /* the line of the first not noted */

	/* private to csvio.c */
	struct csv_parser *p;
	struct csvio_note *probs;
	size_t capprobs, capcur, row_bytes;
	bool in_row, prev_cr, any_row;
};

/*
 * Readies r to read path (the name its problems show): rows of at most
 * max_cols kept fields and, unless row_max is 0, row_max bytes; row is
 * called with arg for each row.
 */
void csvio_reader_init(struct csvio_reader *r, const char *path,
		       size_t max_cols, size_t row_max, csvio_row_fn row,
		       void *arg);

/*
 * Reads fp to its end or until r->stop is set, calling the row
 * callback.  A file that cannot be parsed (bad quoting, a field longer
 * than 1 MiB, a quote left open, no row at all) is a problem noted in
 * r.  Returns 0, or K_ENOMEM or K_EIO (fp cannot be read) with err set.
 */
int csvio_reader_scan(struct csvio_reader *r, FILE *fp, struct kerr *err);

/*
 * Notes "FILE:LINE: column: reason" (column may be NULL or "").  After
 * CSVIO_MAX_ERRORS problems it notes no more: it sets r->full and stops
 * the scan.
 */
void csvio_problem(struct csvio_reader *r, unsigned long line,
		   const char *column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Stops the scan for a reason that is not the file's (memory, the
 * store): r->stop gets code, r->stop_err why (the first one kept).
 */
void csvio_halt(struct csvio_reader *r, int code, const struct kerr *why);

/*
 * Writes the problems noted to errs (may be NULL), one a line in line
 * order, then, when r->full, that the rest of the file was not checked.
 */
void csvio_reader_report(struct csvio_reader *r, FILE *errs);

/* Frees what r holds (its problems and its row); r can be read no more. */
void csvio_reader_free(struct csvio_reader *r);

#endif
