/*
 * reports.c - the reports on the master records: parties, items and
 * the chart of accounts.  Each is a definition (report/report.h) and a
 * row source that walks an index with cursors inside the snapshot
 * transaction report_run() hands it, and emits one row at a time.
 * Nothing here sorts or loads a table: the order is the index's.
 *
 *   parties   the "code" index: code order; credit limits totalled
 *             per currency (total_by), an empty one under the base
 *             currency
 *   items     the "category" index: category (case-folded), then the
 *             order the items were created in (the index is
 *             category + id); one group a category
 *   accounts  depth first from the top accounts (parent 0) through the
 *             "parent" index (parent + id): under each heading its
 *             accounts in the order they were created; a cursor a
 *             level, so memory follows the depth of the tree
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "masters/entity.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "masters/reports.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* True when status passes the filter ("all", "active", "blocked"). */
static bool status_passes(const char *filter, const char *status)
{
	return !*filter || strcmp(filter, "all") == 0 ||
	       strcmp(filter, status ? status : "") == 0;
}

/*
 * The codes of referenced records (terms, currencies, units) are few:
 * the last 16 looked up are kept, so a million rows do not cost a
 * million more reads.
 */
#define REFCACHE 16
struct refcache {
	const struct store_field *f;
	int64_t id[REFCACHE];
	char code[REFCACHE][64];
	unsigned next;
};

static void refcache_init(struct refcache *rc, const struct store_schema *s,
			  const char *field)
{
	memset(rc, 0, sizeof *rc);
	rc->f = store_field_find(s, field);
}

static const char *ref_code(struct store_txn *t, struct refcache *rc,
			    const void *rec)
{
	int64_t id;
	unsigned slot;

	if (!rc->f)
		return "";
	id = *(const int64_t *)((const char *)rec + rc->f->offset);
	if (id == 0)
		return "";
	for (unsigned i = 0; i < REFCACHE; i++)
		if (rc->id[i] == id)
			return rc->code[i];
	slot = rc->next++ % REFCACHE;
	ent_field_get(t, rc->f, rec, rc->code[slot], sizeof rc->code[slot]);
	rc->id[slot] = id;
	return rc->code[slot];
}

/* --------------------------------------------------------------- parties */

enum { PC_CODE, PC_NAME, PC_KINDS, PC_CITY, PC_TERMS, PC_CURRENCY,
       PC_CREDIT, PC_STATUS, PC_N };

static const struct rparam parties_params[] = {
	{ "kind", N_("Kind"), RP_CHOICE, NULL,
	  "all|customer|supplier|prospect", "all", false },
	{ "status", N_("Status"), RP_CHOICE, NULL, "all|active|blocked",
	  "all", false },
};

static const struct rcol parties_cols[PC_N] = {
	{ "code", N_("Code"), 8, RA_LEFT, RF_TEXT, false },
	{ "name", N_("Name"), 22, RA_LEFT, RF_TEXT, false },
	{ "kinds", N_("Kind"), 4, RA_LEFT, RF_TEXT, false },
	{ "city", N_("City"), 8, RA_LEFT, RF_TEXT, false },
	{ "payment_terms", N_("Terms"), 7, RA_LEFT, RF_TEXT, false },
	{ "currency", N_("Cur"), 3, RA_LEFT, RF_TEXT, false },
	{ "credit_limit", N_("Credit limit"), 14, RA_RIGHT, RF_AMOUNT, true },
	{ "status", N_("Status"), 7, RA_LEFT, RF_TEXT, false },
};

static bool kind_passes(const char *kind, const struct party *p)
{
	if (!*kind || strcmp(kind, "all") == 0)
		return true;
	if (strcmp(kind, "customer") == 0)
		return p->customer;
	if (strcmp(kind, "supplier") == 0)
		return p->supplier;
	if (strcmp(kind, "prospect") == 0)
		return p->prospect;
	return false;
}

static int parties_source(struct store_txn *t, const struct report *r,
			  const struct rparams *p, remit_fn emit, void *arg,
			  struct kerr *err)
{
	const char *kind = rparam(p, "kind"), *status = rparam(p, "status");
	struct store_cursor *cur = NULL;
	struct party rec;
	struct refcache terms, currency;
	struct rcell cells[PC_N];
	int ret;

	(void)r;
	memset(&rec, 0, sizeof rec);
	refcache_init(&terms, &party_schema, "payment_terms");
	refcache_init(&currency, &party_schema, "currency");
	if ((ret = store_cursor_open(t, &party_schema, "code", &cur, err)))
		return ret;
	while ((ret = store_cursor_next(cur, &rec, err)) == 0) {
		char kinds[4];
		size_t k = 0;

		if (!kind_passes(kind, &rec) ||
		    !status_passes(status, rec.status))
			continue;
		if (rec.customer)
			kinds[k++] = 'C';
		if (rec.supplier)
			kinds[k++] = 'S';
		if (rec.prospect)
			kinds[k++] = 'P';
		kinds[k] = '\0';
		cells[PC_CODE] = rcell_text(rec.code);
		cells[PC_NAME] = rcell_text(rec.name);
		cells[PC_KINDS] = rcell_text(kinds);
		cells[PC_CITY] = rcell_text(rec.bill_city);
		cells[PC_TERMS] = rcell_text(ref_code(t, &terms, &rec));
		cells[PC_CURRENCY] = rcell_text(ref_code(t, &currency, &rec));
		cells[PC_CREDIT] = rcell_num(rec.credit_limit);
		cells[PC_STATUS] = rcell_text(rec.status);
		struct rrow row = { .cells = cells };
		if ((ret = emit(arg, &row, err)))
			break;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&cur);
	store_rec_clear(&party_schema, &rec);
	return ret;
}

const struct report report_parties = {
	.name = "parties",
	.title = N_("Parties"),
	.perm = "report.parties",
	.params = parties_params,
	.nparams = NELEM(parties_params),
	.cols = parties_cols,
	.ncols = PC_N,
	.wide = false,
	.group_label = NULL,
	/* Credit limits are in the party's currency: a total per currency. */
	.total_by = "currency",
	.sorted = N_("by code"),
	.chart = RC_NONE,
	.source = parties_source,
};

/* ----------------------------------------------------------------- items */

enum { IC_CODE, IC_DESC, IC_TYPE, IC_UNIT, IC_CATEGORY, IC_COST, IC_PRICE,
       IC_MARGIN, IC_N };

static const struct rparam items_params[] = {
	{ "type", N_("Type"), RP_CHOICE, NULL,
	  "all|stocked|purchased|manufactured|service", "all", false },
	{ "category", N_("Category"), RP_TEXT, NULL, NULL, NULL, false },
	{ "status", N_("Status"), RP_CHOICE, NULL, "all|active|blocked",
	  "all", false },
};

static const struct rcol items_cols[IC_N] = {
	{ "code", N_("Code"), 12, RA_LEFT, RF_TEXT, false },
	{ "description", N_("Description"), 40, RA_LEFT, RF_TEXT, false },
	{ "type", N_("Type"), 12, RA_LEFT, RF_TEXT, false },
	{ "unit", N_("Unit"), 4, RA_LEFT, RF_TEXT, false },
	{ "category", N_("Category"), 14, RA_LEFT, RF_TEXT, false },
	{ "standard_cost", N_("Standard cost"), 15, RA_RIGHT, RF_PRICE, false },
	{ "list_price", N_("List price"), 15, RA_RIGHT, RF_PRICE, false },
	{ "margin", N_("Margin"), 8, RA_RIGHT, RF_PERCENT, false },
};

/* Equal under the index's folding (ASCII letters only). */
static bool fold_equal(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

static int items_source(struct store_txn *t, const struct report *r,
			const struct rparams *p, remit_fn emit, void *arg,
			struct kerr *err)
{
	const char *type = rparam(p, "type"), *prefix = rparam(p, "category"),
		   *status = rparam(p, "status");
	struct store_cursor *cur = NULL;
	struct item rec;
	struct refcache unit;
	struct rcell cells[IC_N];
	char *group = NULL;         /* the category as first seen */
	int ret;

	(void)r;
	memset(&rec, 0, sizeof rec);
	refcache_init(&unit, &item_schema, "uom");
	if ((ret = store_cursor_open(t, &item_schema, "category", &cur, err)))
		return ret;
	/* A prefix is a bounded seek; the index folds it like its keys. */
	ret = *prefix ? store_cursor_seek(cur, prefix, true, &rec, err) :
			store_cursor_next(cur, &rec, err);
	for (; ret == 0; ret = store_cursor_next(cur, &rec, err)) {
		const char *cat = rec.category ? rec.category : "";

		if ((*type && strcmp(type, "all") != 0 &&
		     strcmp(type, rec.type ? rec.type : "") != 0) ||
		    !status_passes(status, rec.status))
			continue;
		/*
		 * "Tools" and "tools" are one category in the index: the
		 * group keeps the spelling of its first item.
		 */
		if (!group || !fold_equal(group, cat)) {
			free(group);
			if (!(group = strdup(cat))) {
				ret = kerr_set(err, K_ENOMEM, NULL, NULL);
				break;
			}
		}
		cells[IC_CODE] = rcell_text(rec.code);
		cells[IC_DESC] = rcell_text(rec.description);
		cells[IC_TYPE] = rcell_text(rec.type);
		cells[IC_UNIT] = rcell_text(ref_code(t, &unit, &rec));
		cells[IC_CATEGORY] = rcell_text(rec.category);
		cells[IC_COST] = rcell_num(rec.standard_cost);
		cells[IC_PRICE] = rcell_num(rec.list_price);
		cells[IC_MARGIN] = rcell_num(rec.margin);
		struct rrow row = {
			.cells = cells,
			.group = *group ? group : _("(no category)"),
		};
		if ((ret = emit(arg, &row, err)))
			break;
	}
	ret = store_walk_end(ret, err);
	free(group);
	store_cursor_close(&cur);
	store_rec_clear(&item_schema, &rec);
	return ret;
}

const struct report report_items = {
	.name = "items",
	.title = N_("Items"),
	.perm = "report.items",
	.params = items_params,
	.nparams = NELEM(items_params),
	.cols = items_cols,
	.ncols = IC_N,
	.wide = true,
	.group_label = N_("Category"),
	.sorted = N_("by category, then in the order the items were created"),
	.chart = RC_BAR,
	.chart_label_col = IC_CODE,
	.chart_value_col = IC_MARGIN,
	.source = items_source,
};

/* -------------------------------------------------------------- accounts */

enum { AC_CODE, AC_NAME, AC_TYPE, AC_SIDE, AC_POSTABLE, AC_STATUS, AC_N };

static const struct rparam accounts_params[] = {
	{ "status", N_("Status"), RP_CHOICE, NULL, "all|active|blocked",
	  "all", false },
};

static const struct rcol accounts_cols[AC_N] = {
	{ "code", N_("Code"), 16, RA_LEFT, RF_TEXT, false },
	{ "name", N_("Name"), 29, RA_LEFT, RF_TEXT, false },
	{ "type", N_("Type"), 9, RA_LEFT, RF_TEXT, false },
	{ "side", N_("Side"), 6, RA_LEFT, RF_TEXT, false },
	{ "postable", N_("Postable"), 8, RA_LEFT, RF_TEXT, false },
	{ "status", N_("Status"), 7, RA_LEFT, RF_TEXT, false },
};

static int account_row(const struct account *a, int depth, remit_fn emit,
		       void *arg, struct kerr *err)
{
	struct rcell cells[AC_N];
	const char *side = a->side && *a->side ? a->side :
			   account_side_of(a->type);

	cells[AC_CODE] = rcell_text(a->code);
	cells[AC_NAME] = rcell_text(a->name);
	cells[AC_TYPE] = rcell_text(a->type);
	cells[AC_SIDE] = rcell_text(side);
	cells[AC_POSTABLE] = rcell_text(a->postable ? _("yes") : _("no"));
	cells[AC_STATUS] = rcell_text(a->status);
	struct rrow row = {
		.cells = cells,
		.indent = depth,
		.heading = !a->postable,
	};
	return emit(arg, &row, err);
}

struct accounts_walk {
	const char *status;       /* the filter */
	remit_fn emit;
	void *arg;
};

/* Every account is walked; those the filter passes are shown. */
static int accounts_visit(void *arg, const struct account *a, int depth,
			  bool *descend, struct kerr *err)
{
	struct accounts_walk *w = arg;

	(void)descend;
	if (!status_passes(w->status, a->status))
		return 0;
	return account_row(a, depth, w->emit, w->arg, err);
}

static int accounts_source(struct store_txn *t, const struct report *r,
			   const struct rparams *p, remit_fn emit, void *arg,
			   struct kerr *err)
{
	struct accounts_walk w = {
		.status = rparam(p, "status"),
		.emit = emit,
		.arg = arg,
	};

	(void)r;
	return account_walk(t, accounts_visit, &w, err);
}

const struct report report_accounts = {
	.name = "accounts",
	.title = N_("Chart of accounts"),
	.perm = "report.accounts",
	.params = accounts_params,
	.nparams = NELEM(accounts_params),
	.cols = accounts_cols,
	.ncols = AC_N,
	.wide = false,
	.group_label = NULL,
	.sorted = N_("as a tree: each heading followed by its accounts, in the order they were created"),
	.chart = RC_NONE,
	.source = accounts_source,
};
