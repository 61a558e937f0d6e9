/*
 * fa_reports.c - the fixed-asset reports: the asset register and an
 * asset's depreciation schedule.  Row sources in the manner of
 * masters/reports.c: cursors inside report_run()'s snapshot, one row at
 * a time.
 *
 *   asset-register         the asset index "class" (class id, code):
 *                          classes in the order they were created, in
 *                          each the assets by code; one group a class
 *   depreciation-schedule  the months of one asset's schedule
 *                          (fa_calc.c), computed as they are emitted
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "finance/fa.h"
#include "masters/entity.h"
#include "masters/ops.h"
#include "report/report.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------ asset register */

enum { RC_CODE, RC_NAME, RC_ACQUIRED, RC_METHOD, RC_LIFE, RC_DEPT, RC_COST,
       RC_ACC, RC_BOOK, RC_STATUS, RC_N };

static const struct rparam register_params[] = {
	{ "class", N_("Asset class"), RP_REF, "faclass", NULL, NULL, false },
	{ "status", N_("Status"), RP_CHOICE, NULL,
	  "in-service|all|active|fully-depreciated|disposed", "in-service",
	  false },
};

static const struct rcol register_cols[RC_N] = {
	{ "code", N_("Code"), 10, RA_LEFT, RF_TEXT, false },
	{ "name", N_("Name"), 19, RA_LEFT, RF_TEXT, false },
	{ "acquired", N_("Acquired"), 10, RA_LEFT, RF_DATE, false },
	{ "method", N_("Method"), 13, RA_LEFT, RF_TEXT, false },
	{ "life_months", N_("Life"), 4, RA_RIGHT, RF_INT, false },
	{ "department", N_("Dept"), 6, RA_LEFT, RF_TEXT, false },
	{ "cost", N_("Cost"), 14, RA_RIGHT, RF_AMOUNT, true },
	{ "accumulated", N_("Accumulated"), 14, RA_RIGHT, RF_AMOUNT, true },
	{ "book_value", N_("Book value"), 14, RA_RIGHT, RF_AMOUNT, true },
	{ "status", N_("Status"), 17, RA_LEFT, RF_TEXT, false },
};

static bool status_passes(const char *filter, const char *status)
{
	if (!*filter || strcmp(filter, "in-service") == 0)
		return !status || strcmp(status, "disposed") != 0;
	return strcmp(filter, "all") == 0 ||
	       strcmp(filter, status ? status : "") == 0;
}

/* The department's code, remembered for the next row. */
struct dept_cache {
	int64_t id;
	char code[64];
};

static const char *dept_code(struct store_txn *t, struct dept_cache *dc,
			     int64_t id)
{
	struct department d;

	if (!id)
		return "";
	if (dc->id == id)
		return dc->code;
	memset(&d, 0, sizeof d);
	dc->id = id;
	snprintf(dc->code, sizeof dc->code, "#%" PRId64, id);
	if (store_get(t, &department_schema, id, &d, NULL) == 0 && d.code)
		snprintf(dc->code, sizeof dc->code, "%s", d.code);
	store_rec_clear(&department_schema, &d);
	return dc->code;
}

static int register_source(struct store_txn *t, const struct report *r,
			   const struct rparams *p, remit_fn emit, void *arg,
			   struct kerr *err)
{
	const char *class = rparam(p, "class"), *status = rparam(p, "status");
	struct store_cursor *cur = NULL;
	struct asset a;
	struct faclass c;
	struct dept_cache dc = { 0 };
	struct rcell cells[RC_N];
	char group[160] = "", key[32];
	int64_t group_id = -1;
	int ret;

	(void)r;
	memset(&a, 0, sizeof a);
	memset(&c, 0, sizeof c);
	if (*class) {
		if ((ret = ent_get_code(t, &faclass_entity, class, &c, err)))
			goto out;
		snprintf(key, sizeof key, "%" PRId64, c.h.id);
	}
	if ((ret = store_cursor_open(t, &asset_schema, "class", &cur, err)))
		goto out;
	ret = *class ? store_cursor_seek(cur, key, true, &a, err) :
		       store_cursor_next(cur, &a, err);
	for (; ret == 0; ret = store_cursor_next(cur, &a, err)) {
		if (!status_passes(status, a.status))
			continue;
		if (a.class != group_id) {
			group_id = a.class;
			store_rec_clear(&faclass_schema, &c);
			if (store_get(t, &faclass_schema, a.class, &c, NULL) == 0)
				snprintf(group, sizeof group, "%s %s",
					 c.code ? c.code : "",
					 c.name ? c.name : "");
			else
				snprintf(group, sizeof group, "#%" PRId64,
					 a.class);
		}
		cells[RC_CODE] = rcell_text(a.code);
		cells[RC_NAME] = rcell_text(a.name);
		cells[RC_ACQUIRED] = rcell_num(a.acquired);
		cells[RC_METHOD] = rcell_text(a.method);
		cells[RC_LIFE] = rcell_num(a.life_months);
		cells[RC_DEPT] = rcell_text(dept_code(t, &dc, a.department));
		cells[RC_COST] = rcell_num(a.cost);
		cells[RC_ACC] = rcell_num(a.accumulated);
		cells[RC_BOOK] = rcell_num(a.cost - a.accumulated);
		cells[RC_STATUS] = rcell_text(a.status);
		struct rrow row = { .cells = cells, .group = group };
		if ((ret = emit(arg, &row, err)))
			break;
	}
	ret = store_walk_end(ret, err);
out:
	store_cursor_close(&cur);
	store_rec_clear(&faclass_schema, &c);
	store_rec_clear(&asset_schema, &a);
	return ret;
}

const struct report report_asset_register = {
	.name = "asset-register",
	.title = N_("Fixed asset register"),
	.perm = "report.asset-register",
	.params = register_params,
	.nparams = NELEM(register_params),
	.cols = register_cols,
	.ncols = RC_N,
	.wide = true,
	.group_label = N_("Class"),
	.sorted = N_("by class in the order the classes were created, then by code"),
	.chart = RC_NONE,
	.source = register_source,
};

/* ----------------------------------------------- depreciation schedule */

enum { SC_PERIOD, SC_DEPR, SC_ACC, SC_BOOK, SC_POSTED, SC_N };

static const struct rparam schedule_params[] = {
	{ "asset", N_("Asset"), RP_REF, "asset", NULL, NULL, true },
};

static const struct rcol schedule_cols[SC_N] = {
	{ "period", N_("Period"), 7, RA_LEFT, RF_TEXT, false },
	{ "depreciation", N_("Depreciation"), 15, RA_RIGHT, RF_AMOUNT, true },
	{ "accumulated", N_("Accumulated"), 15, RA_RIGHT, RF_AMOUNT, false },
	{ "book_value", N_("Book value"), 15, RA_RIGHT, RF_AMOUNT, false },
	{ "posted", N_("Posted"), 6, RA_LEFT, RF_TEXT, false },
};

static int schedule_source(struct store_txn *t, const struct report *r,
			   const struct rparams *p, remit_fn emit, void *arg,
			   struct kerr *err)
{
	struct asset a;
	struct fa_terms ft;
	struct fa_usage *u = NULL;
	struct fa_sched s;
	struct fa_month m;
	struct rcell cells[SC_N];
	char period[16], year[16];
	bool disposed;
	int ret;

	(void)r;
	memset(&a, 0, sizeof a);
	if ((ret = ent_get_code(t, &asset_entity, rparam(p, "asset"), &a, err)) ||
	    (ret = fa_asset_terms(&a, &ft, &u, err)) ||
	    (ret = fa_sched_init(&s, &ft, err)))
		goto out;
	disposed = a.status && strcmp(a.status, "disposed") == 0;
	while ((ret = fa_sched_next(&s, &m)) == 0) {
		int y, mo, d;
		bool posted;

		date_to_ymd(m.month, &y, &mo, &d);
		snprintf(period, sizeof period, "%04d-%02d", y % 10000, mo % 100);
		posted = a.depreciated_to && strcmp(period, a.depreciated_to) <= 0;
		/* A disposed asset's schedule ends where its postings did. */
		if (disposed && !posted)
			break;
		/* Groups: the years of the asset's life. */
		snprintf(year, sizeof year, _("Year %d"), m.index / 12 + 1);
		cells[SC_PERIOD] = rcell_text(period);
		cells[SC_DEPR] = rcell_num(m.amount);
		cells[SC_ACC] = rcell_num(m.accumulated);
		cells[SC_BOOK] = rcell_num(m.book);
		cells[SC_POSTED] = rcell_text(posted ? _("yes") : "");
		struct rrow row = {
			.cells = cells,
			.group = ft.method == FA_UNITS ? NULL : year,
		};
		if ((ret = emit(arg, &row, err)))
			break;
	}
	ret = store_walk_end(ret, err);
out:
	free(u);
	store_rec_clear(&asset_schema, &a);
	return ret;
}

const struct report report_depreciation_schedule = {
	.name = "depreciation-schedule",
	.title = N_("Depreciation schedule"),
	.perm = "report.depreciation-schedule",
	.params = schedule_params,
	.nparams = NELEM(schedule_params),
	.cols = schedule_cols,
	.ncols = SC_N,
	.wide = false,
	.group_label = NULL,        /* the groups say "Year 1" themselves */
	.sorted = N_("by month, from the first month depreciated"),
	.chart = RC_LINE,
	.chart_label_col = SC_PERIOD,
	.chart_value_col = SC_BOOK,
	.source = schedule_source,
};
