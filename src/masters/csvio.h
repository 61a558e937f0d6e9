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

#endif
