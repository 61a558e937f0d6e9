/*
 * csvio.h - CSV import and export of any entity (RFC 4180, UTF-8, with
 * or without a BOM), through libcsv.
 *
 * The header row names the columns by the schema's field names; a
 * reference column holds the referenced record's code.  Import is all
 * or nothing: every row is parsed and checked first, each problem is
 * written to errs as "FILE:LINE: column: reason", and only a file
 * without problems is written.
 */
#ifndef KONTOR_MASTERS_CSVIO_H
#define KONTOR_MASTERS_CSVIO_H

#include <stdbool.h>
#include <stdio.h>

#include "base/kerr.h"
#include "masters/entity.h"
#include "store/store.h"

/*
 * Imports path into entity e.  update: a row whose code exists updates
 * that record (else a duplicate code is an error).  *rows gets the rows
 * written.  K_EINVAL when any row was bad (each one printed to errs),
 * K_EIO when the file cannot be read.
 */
int csvio_import(struct store *st, const struct entity *e, const char *path,
		 bool update, unsigned long *rows, FILE *errs,
		 struct kerr *err);

/* Writes every record of e, in code order, to out. */
int csvio_export(struct store *st, const struct entity *e, FILE *out,
		 unsigned long *rows, struct kerr *err);

#endif
