/*
 * ops.h - the operations side's reference data: warehouses and their
 * locations, units of measure and their conversions, departments and
 * cost centres, and number series for documents.
 *
 * Each is an entity (masters/entity.h) with its rules in its own file:
 * warehouse.c, unit.c, department.c, series.c.  The calls below are what
 * stock, purchasing, sales and the ledgers use them for.
 */
#ifndef KONTOR_MASTERS_OPS_H
#define KONTOR_MASTERS_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"
#include "masters/entity.h"
#include "store/store.h"

/* ---------------------------------------------------------- warehouse */

/* A place inside a warehouse (element of warehouse.locations). */
struct location {
	struct store_elem e;
	char *code;              /* unique within the warehouse, upper case */
	char *name;
	char *kind;              /* storage | receiving | shipping | quality */
	bool blocked;            /* nothing is put in or taken out */
};

struct warehouse {
	struct store_rec h;
	char *code;              /* unique, upper case, [A-Z0-9._-], 1..20 */
	char *name;              /* required, CJK allowed, <= 100 chars */
	char *street, *city, *postcode, *country;
	char *manager;           /* login or name */
	char *status;            /* "active" | "blocked" */
	struct store_list locations;     /* struct location */
};

/*
 * Checks that warehouse `warehouse` has location `location` (codes).
 * 0 when it does: *warehouse_id (may be NULL) gets the warehouse's id
 * and *blocked (may be NULL) whether the warehouse or the location is
 * blocked (the caller decides what that forbids).  K_ENOTFOUND with
 * err->field "warehouse" or "location" naming what is missing.
 */
int warehouse_location(struct store_txn *t, const char *warehouse,
		       const char *location, int64_t *warehouse_id,
		       bool *blocked, struct kerr *err);

/* --------------------------------------------------------------- unit */

/* "1 of this unit = factor of `to`" (element of unit.conversions). */
struct conversion {
	struct store_elem e;
	int64_t to;              /* REF unit */
	int64_t factor;          /* rate scale 6, > 0: 1 BOX = 12.000000 EA */
};

struct unit {
	struct store_rec h;
	char *code;              /* "EA", "KG", "BOX" */
	char *name;
	int64_t decimals;        /* 0..3: quantities are rounded to these */
	struct store_list conversions;   /* struct conversion */
};

#define UNIT_MAX_DECIMALS 3

/*
 * Converts qty (scale 3) of unit id `from` into unit id `to`: by from's
 * conversion to `to`, by the inverse of to's conversion to `from`, or
 * through one unit in between (BOX -> EA -> DOZ), whichever is found
 * first in that order.  The factors are multiplied exactly and the
 * result is rounded once (num_round_div, half away from zero) to the
 * decimals of `to`.  from == to gives qty rounded to its decimals.
 * K_ENOTFOUND naming both units when no path exists or a unit is gone;
 * K_ERANGE when the result does not fit.
 */
int unit_convert(struct store_txn *t, int64_t from, int64_t to, int64_t qty,
		 int64_t *out, struct kerr *err);

/* Rounds qty (scale 3) to the decimals of unit id `unit`. */
int unit_round(struct store_txn *t, int64_t unit, int64_t qty, int64_t *out,
	       struct kerr *err);

/* --------------------------------------------------------- department */

struct department {
	struct store_rec h;
	char *code;
	char *name;
	char *kind;              /* department | cost-centre */
	int64_t parent;          /* REF department, 0 = top; no loops */
	char *manager;           /* login or name */
	char *status;            /* "active" | "blocked" */
};

/* ------------------------------------------------------------- series */

struct series {
	struct store_rec h;
	char *code;              /* "AR-INV" */
	char *name;
	char *doc_type;          /* what it numbers: "ar.invoice" */
	char *prefix;            /* "INV-", may be empty */
	int64_t width;           /* digits, 1..12, zero padded */
	bool gap_free;           /* never lowered below a number given */
	int64_t next;            /* see below */
	char *status;            /* "active" | "blocked" */
};

#define SERIES_MAX_WIDTH 12

/*
 * A series' next number lives in the store's counter "series.CODE", not
 * in the record, because documents take numbers without rewriting the
 * series (store_counter_next locks only the counter's row).  The record's
 * `next` is filled from the counter whenever the record is read through
 * the entity (ent_get_code, the screens: ent_fill), and what it holds
 * when saved is what the clerk wants the series to give next: when it
 * differs from the counter, the save sets the counter in its own
 * transaction (the entity's apply step, ent_apply).  A series never
 * gives a number twice: `next` may go below a number already given only
 * together with a new prefix, and never on a gap-free series.  0 leaves
 * the counter as it is.  The stored `next` is the counter as of the
 * last save, for the record's history.
 */

/* The counter's name for a series code: "series.CODE". */
void series_counter_name(const char *code, char *buf, size_t n);

/* The number series `code` will give next (1 for a fresh series). */
int series_next(struct store_txn *t, const char *code, int64_t *next,
		struct kerr *err);

/*
 * Takes the next number of series `code` inside t, the caller's posting
 * transaction, and formats it into buf (n bytes) as prefix + the number
 * zero padded to the series' width: "INV-000042".  The counter's row
 * stays locked until t ends, so an aborted posting gives its number back
 * and numbers never have gaps.  K_ENOTFOUND for an unknown series,
 * K_EINVAL for a blocked one, K_ERANGE when the number no longer fits
 * the width or buf; on any error t must be aborted.
 */
int series_take(struct store_txn *t, const char *code, char *buf, size_t n,
		struct kerr *err);

/* ------------------------------------------------------------ tables */

extern const struct store_schema warehouse_schema, location_schema,
	unit_schema, conversion_schema, department_schema, series_schema;
extern const struct entity warehouse_entity, unit_entity, department_entity,
	series_entity;

#endif
