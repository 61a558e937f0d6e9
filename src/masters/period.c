/*
 * period.c - fiscal years and their posting periods: creating a year
 * with its months, finding the period of a day, closing and opening.
 *
 * Neither years nor periods overlap, so the period of a day is the one
 * with the latest start on or before it (an index on start), and a
 * closed year has only closed periods.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "masters/entity.h"
#include "masters/fin.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Shared inside the family (party.c). */
int masters_check_code(const char *code, struct kerr *err);
int fyear_validate(struct store_txn *t, const struct entity *e, void *rec,
		   struct kerr *err);
int period_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err);
int fyear_close(struct store *st, const struct entity *e, void *rec,
		char *msg, size_t n, struct kerr *err);
int fyear_open(struct store *st, const struct entity *e, void *rec,
	       char *msg, size_t n, struct kerr *err);
int period_close(struct store *st, const struct entity *e, void *rec,
		 char *msg, size_t n, struct kerr *err);
int period_open(struct store *st, const struct entity *e, void *rec,
		char *msg, size_t n, struct kerr *err);

/* ------------------------------------------------------------ schemas */

#define Y(tag, name, type) \
	{ tag, #name, type, offsetof(struct fyear, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field fyear_fields[] = {
	Y(1, code, SF_TEXT),
	Y(2, start, SF_DATE),
	Y(3, end, SF_DATE),
	Y(4, status, SF_TEXT),
};
#undef Y

static const struct store_index fyear_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "start", STORE_IX_UNIQUE, { "start" } },
};

const struct store_schema fyear_schema = {
	"fyear", 1, sizeof(struct fyear), fyear_fields, NELEM(fyear_fields),
	fyear_ix, NELEM(fyear_ix), 0,
};

#define P(tag, name, type) \
	{ tag, #name, type, offsetof(struct period, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field period_fields[] = {
	P(1, code, SF_TEXT),
	{ 2, "fyear", SF_REF, offsetof(struct period, fyear), NULL, "fyear" },
	P(3, number, SF_INT),
	P(4, start, SF_DATE),
	P(5, end, SF_DATE),
	P(6, status, SF_TEXT),
};
#undef P

static const struct store_index period_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "start", STORE_IX_UNIQUE, { "start" } },   /* period_find */
	{ "fyear", 0, { "fyear", "number" } },       /* a year's periods */
};

const struct store_schema period_schema = {
	"period", 1, sizeof(struct period), period_fields,
	NELEM(period_fields), period_ix, NELEM(period_ix), 0,
};

static const struct ent_referrer fyear_refs[] = {
	{ "period", "fyear", N_("periods") },
};

static const struct ent_hook fyear_hooks[] = {
	{ "fyear_validate", HOOK_VALIDATE, "fyear", fyear_validate, NULL,
	  NULL, NULL },
	{ "fyear_close", HOOK_ACTION, "fyear", NULL, NULL, fyear_close,
	  "close" },
	{ "fyear_open", HOOK_ACTION, "fyear", NULL, NULL, fyear_open,
	  "close" },
};

static const struct ent_hook period_hooks[] = {
	{ "period_validate", HOOK_VALIDATE, "period", period_validate, NULL,
	  NULL, NULL },
	{ "period_close", HOOK_ACTION, "period", NULL, NULL, period_close,
	  "close" },
	{ "period_open", HOOK_ACTION, "period", NULL, NULL, period_open,
	  "close" },
};

static const struct ent_default open_default[] = {
	{ "status", "open" },
};

const struct entity fyear_entity = {
	.name = "fyear",
	.title = N_("Fiscal year"),
	.schema = &fyear_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "start",      /* an index too: look-ups sort by it */
	.perm = "fyear",
	.validate = fyear_validate,
	.change = NULL,
	.refs = fyear_refs,
	.nrefs = NELEM(fyear_refs),
	.hooks = fyear_hooks,
	.nhooks = NELEM(fyear_hooks),
	.defaults = open_default,
	.ndefaults = NELEM(open_default),
};

const struct entity period_entity = {
	.name = "period",
	.title = N_("Period"),
	.schema = &period_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "start",
	.perm = "period",
	.validate = period_validate,
	.change = NULL,
	.refs = NULL,
	.nrefs = 0,
	.hooks = period_hooks,
	.nhooks = NELEM(period_hooks),
	.defaults = open_default,
	.ndefaults = NELEM(open_default),
};

/* -------------------------------------------------------------- rules */

static int check_status(const char *s, struct kerr *err)
{
	if (s && (strcmp(s, "open") == 0 || strcmp(s, "closed") == 0))
		return 0;
	return kerr_set(err, K_EINVAL, "status",
			_("status must be open or closed, not \"%s\""),
			s ? s : "");
}

static int check_dates(kdate start, kdate end, struct kerr *err)
{
	if (start == DATE_NONE)
		return kerr_set(err, K_EINVAL, "start", _("start is required"));
	if (end == DATE_NONE)
		return kerr_set(err, K_EINVAL, "end", _("end is required"));
	if (end < start)
		return kerr_set(err, K_EINVAL, "end",
				_("end is before start"));
	return 0;
}

/*
 * Another record of s (start and end fields, index "start") whose days
 * overlap [start, end]: since the stored ones do not overlap, only the
 * one with the latest start on or before end can.  *other gets its
 * code ("" when none).
 */
static int overlap(struct store_txn *t, const struct store_schema *s,
		   int64_t self, kdate start, kdate end, void *probe,
		   void *rec, char *other, size_t n, struct kerr *err)
{
	const struct store_field *fs = store_field_find(s, "start");
	const struct store_field *fe = store_field_find(s, "end");
	const struct store_field *fc = store_field_find(s, "code");
	struct store_cursor *c = NULL;
	int ret;

	other[0] = '\0';
	*(kdate *)((char *)probe + fs->offset) = end + 1;
	if ((ret = store_cursor_open(t, s, "start", &c, err)))
		return ret;
	ret = store_cursor_seek_rec(c, probe, rec, err);
	if (ret == 0 || ret == K_ENOTFOUND)
		ret = store_cursor_prev(c, rec, err);
	while (ret == 0 && ((struct store_rec *)rec)->id == self)
		ret = store_cursor_prev(c, rec, err);
	if (ret == 0 && *(kdate *)((char *)rec + fe->offset) >= start) {
		const char *code = *(char **)((char *)rec + fc->offset);
		snprintf(other, n, "%s", code ? code : "?");
	}
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	store_cursor_close(&c);
	return ret;
}

/*
 * A year's periods must lie inside it, and a closed year has no open
 * period.
 */
static int check_periods(struct store_txn *t, const struct fyear *y,
			 struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct period p;
	char key[24];
	int ret;

	if (y->h.id <= 0)
		return 0;
	memset(&p, 0, sizeof p);
	if ((ret = store_cursor_open(t, &period_schema, "fyear", &c, err)))
		return ret;
	snprintf(key, sizeof key, "%" PRId64, y->h.id);
	for (ret = store_cursor_seek(c, key, true, &p, err); ret == 0;
	     ret = store_cursor_next(c, &p, err)) {
		if (p.start < y->start || p.end > y->end) {
			ret = kerr_set(err, K_EINVAL,
				       p.start < y->start ? "start" : "end",
				       _("period %s lies outside these dates"),
				       p.code ? p.code : "");
			break;
		}
		if (strcmp(y->status, "closed") == 0 && p.status &&
		    strcmp(p.status, "closed") != 0) {
			ret = kerr_set(err, K_EINVAL, "status",
				       _("period %s is open; close every period of fiscal year %s first"),
				       p.code ? p.code : "", y->code);
			break;
		}
	}
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	store_cursor_close(&c);
	store_rec_clear(&period_schema, &p);
	return ret;
}

int fyear_validate(struct store_txn *t, const struct entity *e, void *rec,
		   struct kerr *err)
{
	struct fyear *y = rec, probe, other;
	char code[64];
	int ret;

	(void)e;
	if ((ret = masters_check_code(y->code, err)) ||
	    (ret = check_dates(y->start, y->end, err)) ||
	    (ret = check_status(y->status, err)))
		return ret;
	if (y->end >= date_add_months(y->start, 24))
		return kerr_set(err, K_EINVAL, "end",
				_("a fiscal year must be shorter than 24 months"));
	if (!t)
		return 0;
	memset(&probe, 0, sizeof probe);
	memset(&other, 0, sizeof other);
	ret = overlap(t, &fyear_schema, y->h.id, y->start, y->end, &probe,
		      &other, code, sizeof code, err);
	store_rec_clear(&fyear_schema, &other);
	if (ret)
		return ret;
	if (code[0])
		return kerr_set(err, K_EINVAL, "start",
				_("these dates overlap fiscal year %s"), code);
	return check_periods(t, y, err);
}

/*
 * Periods of a year close in order: a closed period has no open one
 * before it, an open one no closed one after it (so closing March asks
 * for February first, and opening February again asks for March).
 */
static int period_order(struct store_txn *t, const struct period *p,
			struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct period q;
	bool closed = strcmp(p->status, "closed") == 0;
	int ret;

	memset(&q, 0, sizeof q);
	q.fyear = p->fyear;
	if ((ret = store_cursor_open(t, &period_schema, "fyear", &c, err)))
		return ret;
	ret = store_cursor_seek_rec(c, &q, &q, err);
	while (ret == 0 && q.fyear == p->fyear) {
		if (q.h.id != p->h.id && closed && q.start < p->start &&
		    strcmp(q.status, "open") == 0) {
			ret = kerr_set(err, K_EINVAL, "status",
				       _("close %s first: periods close in order"),
				       q.code);
			break;
		}
		if (q.h.id != p->h.id && !closed && q.start > p->start &&
		    strcmp(q.status, "closed") == 0) {
			ret = kerr_set(err, K_EINVAL, "status",
				       _("open %s first: periods open again from the last closed"),
				       q.code);
			break;
		}
		ret = store_cursor_next(c, &q, err);
	}
	store_cursor_close(&c);
	store_rec_clear(&period_schema, &q);
	return ret == K_ENOTFOUND ? 0 : ret;
}

int period_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err)
{
	struct period *p = rec, probe, other;
	struct fyear y;
	char code[64];
	int ret;

	(void)e;
	if ((ret = masters_check_code(p->code, err)))
		return ret;
	if (p->number < 1 || p->number > 13)
		return kerr_set(err, K_EINVAL, "number",
				_("number must be 1 to 13 (13 for adjustments)"));
	if ((ret = check_dates(p->start, p->end, err)) ||
	    (ret = check_status(p->status, err)))
		return ret;
	if (p->fyear == 0)
		return kerr_set(err, K_EINVAL, "fyear",
				_("fyear is required: the fiscal year of the period"));
	if (!t)
		return 0;
	memset(&y, 0, sizeof y);
	if ((ret = store_get(t, &fyear_schema, p->fyear, &y, err))) {
		if (ret == K_ENOTFOUND)
			kerr_set(err, K_ENOTFOUND, "fyear",
				 _("fiscal year #%" PRId64 " does not exist"),
				 p->fyear);
		return ret;
	}
	if (p->start < y.start || p->end > y.end)
		ret = kerr_set(err, K_EINVAL,
			       p->start < y.start ? "start" : "end",
			       _("a period of fiscal year %s must lie inside its dates"),
			       y.code ? y.code : "");
	else if (strcmp(p->status, "open") == 0 && y.status &&
		 strcmp(y.status, "closed") == 0)
		ret = kerr_set(err, K_EINVAL, "status",
			       _("fiscal year %s is closed; open it before a period of it"),
			       y.code ? y.code : "");
	store_rec_clear(&fyear_schema, &y);
	if (ret)
		return ret;
	memset(&probe, 0, sizeof probe);
	memset(&other, 0, sizeof other);
	ret = overlap(t, &period_schema, p->h.id, p->start, p->end, &probe,
		      &other, code, sizeof code, err);
	store_rec_clear(&period_schema, &other);
	if (ret)
		return ret;
	if (code[0])
		return kerr_set(err, K_EINVAL, "start",
				_("these dates overlap period %s"), code);
	return period_order(t, p, err);
}

/* ------------------------------------------------------ finding one */

int period_find(struct store_txn *t, kdate d, struct period *out,
		struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct period probe;
	char ds[DATE_BUFSZ];
	int ret;

	store_rec_clear(&period_schema, out);
	if (d == DATE_NONE)
		return kerr_set(err, K_EINVAL, "date", _("no date given"));
	memset(&probe, 0, sizeof probe);
	probe.start = d + 1;
	if ((ret = store_cursor_open(t, &period_schema, "start", &c, err)))
		return ret;
	ret = store_cursor_seek_rec(c, &probe, out, err);
	if (ret == 0 || ret == K_ENOTFOUND)
		ret = store_cursor_prev(c, out, err);
	store_cursor_close(&c);
	if (ret == 0 && out->start <= d && d <= out->end)
		return 0;
	if (ret && ret != K_ENOTFOUND)
		return ret;
	store_rec_clear(&period_schema, out);
	return kerr_set(err, K_ENOTFOUND, "date",
			_("no period holds %s (create its fiscal year: kontor period create YEAR)"),
			date_format(d, ds, sizeof ds));
}

/* ------------------------------------------------------ a whole year */

struct create {
	int year, month;
};

/* Checks and inserts rec, a record of e. */
static int insert(struct store_txn *t, const struct entity *e, void *rec,
		  struct kerr *err)
{
	int ret = ent_check(t, e, rec, err);

	return ret ? ret : store_insert(t, e->schema, rec, err);
}

static int create_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	const struct create *a = arg;
	struct fyear y;
	struct period p;
	char code[16];
	kdate start;
	int ret;

	memset(&y, 0, sizeof y);
	memset(&p, 0, sizeof p);
	snprintf(code, sizeof code, "%d", a->year);
	ret = store_find_text(t, &fyear_schema, "code", code, &y, err);
	if (ret == 0)
		ret = kerr_set(err, K_EEXIST, "code",
			       _("fiscal year %s exists already"), code);
	else if (ret == K_ENOTFOUND)
		ret = 0;
	store_rec_clear(&fyear_schema, &y);
	if (ret)
		return ret;
	if ((ret = date_from_ymd(a->year, a->month, 1, &start)))
		return kerr_set(err, ret, "start",
				_("fiscal year %d cannot start in month %d"),
				a->year, a->month);
	if (!(y.code = strdup(code)) || !(y.status = strdup("open"))) {
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		goto out;
	}
	y.start = start;
	y.end = date_add_months(start, 12) - 1;
	if ((ret = insert(t, &fyear_entity, &y, err)))
		goto out;
	for (int i = 0; i < 12 && !ret; i++) {
		int yy, mm, dd;
		store_rec_clear(&period_schema, &p);
		p.start = date_add_months(start, i);
		p.end = date_add_months(start, i + 1) - 1;
		date_to_ymd(p.start, &yy, &mm, &dd);
		snprintf(code, sizeof code, "%04d-%02d", yy, mm);
		p.fyear = y.h.id;
		p.number = i + 1;
		if (!(p.code = strdup(code)) || !(p.status = strdup("open")))
			ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		else
			ret = insert(t, &period_entity, &p, err);
	}
out:
	store_rec_clear(&period_schema, &p);
	store_rec_clear(&fyear_schema, &y);
	return ret;
}

int period_create_year(struct store *st, int year, int fy_start_month,
		       struct kerr *err)
{
	struct create a = { year, fy_start_month };

	if (year < 1 || year > 9998)
		return kerr_set(err, K_EINVAL, "code",
				_("year %d is not from 1 to 9998"), year);
	if (fy_start_month < 1 || fy_start_month > 12)
		return kerr_set(err, K_EINVAL, "start",
				_("the fiscal year starts in a month from 1 to 12, not %d"),
				fy_start_month);
	return store_write(st, create_fn, &a, err);
}

/* ------------------------------------------------------------ actions */

/* Sets the status of rec (its field at *status) to `to` and saves it. */
static int set_status(struct store *st, const struct entity *e, void *rec,
		      char **status, const char *code, const char *to,
		      const char *done, char *msg, size_t n, struct kerr *err)
{
	char *old = *status, *nw;
	int ret;

	if (old && strcmp(old, to) == 0)
		return kerr_set(err, K_EINVAL, "status",
				_("%s %s is %s already"), _(e->title),
				code ? code : "", to);
	if (!(nw = strdup(to)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	*status = nw;
	if ((ret = ent_save(st, e, rec, NULL, err))) {
		*status = old;            /* the caller's record as it was */
		free(nw);
		return ret;
	}
	free(old);
	if (msg && n)
		snprintf(msg, n, done, code ? code : "");
	return 0;
}

int fyear_close(struct store *st, const struct entity *e, void *rec,
		char *msg, size_t n, struct kerr *err)
{
	struct fyear *y = rec;

	return set_status(st, e, rec, &y->status, y->code, "closed",
			  _("Fiscal year %s closed"), msg, n, err);
}

int fyear_open(struct store *st, const struct entity *e, void *rec,
	       char *msg, size_t n, struct kerr *err)
{
	struct fyear *y = rec;

	return set_status(st, e, rec, &y->status, y->code, "open",
			  _("Fiscal year %s opened again"), msg, n, err);
}

int period_close(struct store *st, const struct entity *e, void *rec,
		 char *msg, size_t n, struct kerr *err)
{
	struct period *p = rec;

	return set_status(st, e, rec, &p->status, p->code, "closed",
			  _("Period %s closed"), msg, n, err);
}

int period_open(struct store *st, const struct entity *e, void *rec,
		char *msg, size_t n, struct kerr *err)
{
	struct period *p = rec;

	return set_status(st, e, rec, &p->status, p->code, "open",
			  _("Period %s opened again"), msg, n, err);
}
