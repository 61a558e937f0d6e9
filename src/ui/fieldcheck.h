/*
 * fieldcheck.h - what a form file adds to a field: required, length,
 * choices, pattern, minimum and maximum.  These are the admin's checks
 * on one screen; the entity's own rules (masters/entity.h) run on save
 * whatever the screen says.  No curses: unit-tested directly.
 */
#ifndef KONTOR_UI_FIELDCHECK_H
#define KONTOR_UI_FIELDCHECK_H

#include "base/kerr.h"
#include "config/formdef.h"
#include "store/store.h"
#include "ui/edit.h"

/* The scale of an amount type (MONEY 2, QTY 3, PRICE 4, RATE 6), else -1. */
int fc_scale(enum store_ftype t);

/* Which characters an input of this type accepts as they are typed. */
enum edit_filter fc_filter(const struct fd_field *fd,
			   const struct store_field *sf);

/*
 * Checks text (trimmed) against the form's constraints for field fd of
 * schema type sf->type.  0, or K_EINVAL with err->field = the field's
 * name and a message that names its label and says what is expected.
 * The empty text passes unless required.
 */
int fc_check(const struct fd_field *fd, const struct store_field *sf,
	     const char *text, struct kerr *err);

/*
 * Compares two texts of field type t as values (amounts, dates,
 * integers numerically; others by bytes): <0, 0, >0.  *ok is false
 * when either does not parse.
 */
int fc_compare(enum store_ftype t, const char *a, const char *b, bool *ok);

#endif
