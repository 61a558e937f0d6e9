/*
 * report.c - the report engine: the list of reports, their parameters,
 * how a cell looks, and report_run(), which turns the rows of a source
 * into lines for a renderer inside one snapshot.
 *
 * report_run() keeps the totals (checked int64 sums: an overflow stops
 * the report, it never wraps), split by the report's total_by column
 * (a currency) when it has one, notices group changes, and collects
 * the chart's points.  It holds one row at a time: the source owns the row
 * and its texts only until emit returns.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/num.h"
#include "base/utf8.h"
#include "finance/fa.h"
#include "masters/entity.h"
#include "masters/reports.h"
#include "report/report_int.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define RPARAMS_MAX NELEM(((struct rparams *)0)->name)

/* ------------------------------------------------------------- the list */

const struct report *const report_all[] = {
	&report_parties,
	&report_items,
	&report_accounts,
	&report_asset_register,
	&report_depreciation_schedule,
};
const size_t report_count = NELEM(report_all);

const struct report *report_find(const char *name)
{
	for (size_t i = 0; name && i < report_count; i++)
		if (strcmp(report_all[i]->name, name) == 0)
			return report_all[i];
	return NULL;
}

int report_width(const struct report *r, int asked)
{
	int w = r && r->wide ? 132 : 80;

	if (asked > w)
		w = asked;
	return w > 400 ? 400 : w;
}

/* ------------------------------------------------------------ parameters */

static const struct rparam *param_find(const struct report *r,
				       const char *name)
{
	for (size_t i = 0; name && i < r->nparams; i++)
		if (strcmp(r->params[i].name, name) == 0)
			return &r->params[i];
	return NULL;
}

/* True when v is one of the '|'-separated words of choices. */
static bool choice_ok(const char *choices, const char *v)
{
	size_t len = strlen(v);
	const char *p = choices;

	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == len && strncmp(p, v, n) == 0)
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

/* "a, b, c" from "a|b|c", into buf. */
static char *choice_list(const char *choices, char *buf, size_t n)
{
	size_t k = 0;

	for (const char *p = choices; p && *p && k + 3 < n; p++) {
		if (*p == '|') {
			buf[k++] = ',';
			buf[k++] = ' ';
		} else {
			buf[k++] = *p;
		}
	}
	buf[k] = '\0';
	return buf;
}

/* True for a text without control characters, in valid UTF-8. */
static bool text_ok(const char *v)
{
	if (!utf8_valid(v, strlen(v)))
		return false;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static bool period_ok(const char *v)
{
	int y, m;

	if (strlen(v) != 7 || v[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (v[i] < '0' || v[i] > '9'))
			return false;
	y = atoi(v);
	m = atoi(v + 5);
	return y >= 1 && m >= 1 && m <= 12;
}

static bool int_ok(const char *v)
{
	char *end;

	/* strtoll would skip leading blanks: a sign or a digit first. */
	if (!(*v == '-' || *v == '+' || (*v >= '0' && *v <= '9')))
		return false;
	errno = 0;
	(void)strtoll(v, &end, 10);
	return *end == '\0' && errno == 0 && end != v;
}

/* Checks one non-empty value against its parameter's type. */
static int value_check(const struct rparam *p, const char *v,
		       struct kerr *err)
{
	char list[256];
	kdate d;

	switch (p->type) {
	case RP_DATE:
		if (strcmp(v, "today") == 0 || date_parse(v, &d, NULL) == 0)
			return 0;
		return kerr_set(err, K_EUSAGE, p->name,
				_("parameter %s: not a date: %s (give YYYY-MM-DD or today)"),
				p->name, v);
	case RP_PERIOD:
		if (period_ok(v))
			return 0;
		return kerr_set(err, K_EUSAGE, p->name,
				_("parameter %s: not a period: %s (give YYYY-MM)"),
				p->name, v);
	case RP_INT:
		if (int_ok(v))
			return 0;
		return kerr_set(err, K_EUSAGE, p->name,
				_("parameter %s: not a whole number: %s"),
				p->name, v);
	case RP_CHOICE:
		if (choice_ok(p->choices, v))
			return 0;
		return kerr_set(err, K_EUSAGE, p->name,
				_("parameter %s: \"%s\" is not one of %s"),
				p->name, v,
				choice_list(p->choices, list, sizeof list));
	case RP_TEXT:
	case RP_REF:
		if (text_ok(v))
			return 0;
		return kerr_set(err, K_EUSAGE, p->name,
				_("parameter %s: not valid text"), p->name);
	}
	return kerr_set(err, K_EINTERNAL, p->name,
			"parameter %s has an unknown type", p->name);
}

/*
 * No store here, so that the parameter screen can check values as they
 * are typed: whether a reference names a record is checked by
 * report_run(), in the report's own snapshot (check_refs).
 */
int report_params(const struct report *r, const struct rparams *given,
		  struct rparams *out, struct kerr *err)
{
	size_t ngiven = given ? given->n : 0;

	memset(out, 0, sizeof *out);
	if (r->nparams > RPARAMS_MAX)
		return kerr_set(err, K_EINTERNAL, NULL,
				"report %s has too many parameters", r->name);
	if (ngiven > RPARAMS_MAX)
		return kerr_set(err, K_EUSAGE, NULL,
				_("at most %zu parameters"), RPARAMS_MAX);
	/* Every name given must be a parameter, once. */
	for (size_t i = 0; i < ngiven; i++) {
		const char *name = given->name[i] ? given->name[i] : "";
		if (!param_find(r, name)) {
			char names[512];
			size_t k = 0;
			names[0] = '\0';
			for (size_t j = 0; j < r->nparams && k < sizeof names; j++)
				k += (size_t)snprintf(names + k, sizeof names - k,
						      "%s%s", j ? ", " : "",
						      r->params[j].name);
			if (r->nparams == 0)
				return kerr_set(err, K_EUSAGE, name,
						_("report %s has no parameter \"%s\"; it takes none"),
						r->name, name);
			return kerr_set(err, K_EUSAGE, name,
					_("report %s has no parameter \"%s\"; its parameters are %s"),
					r->name, name, names);
		}
		for (size_t j = 0; j < i; j++)
			if (given->name[j] && strcmp(given->name[j], name) == 0)
				return kerr_set(err, K_EUSAGE, name,
						_("parameter %s is given twice"),
						name);
	}
	/* Then every parameter, in the definition's order. */
	for (size_t k = 0; k < r->nparams; k++) {
		const struct rparam *p = &r->params[k];
		const char *v = NULL;
		int ret;

		for (size_t i = 0; i < ngiven; i++)
			if (strcmp(given->name[i], p->name) == 0)
				v = given->value[i] ? given->value[i] : "";
		/* An empty value is no value: the default applies. */
		if (!v || !*v)
			v = p->def ? p->def : "";
		if (!*v && p->required)
			return kerr_set(err, K_EUSAGE, p->name,
					_("report %s needs parameter %s (--param %s=VALUE)"),
					r->name, p->name, p->name);
		if (*v && (ret = value_check(p, v, err)))
			return ret;
		out->name[k] = p->name;
		out->value[k] = v;
	}
	out->n = r->nparams;
	return 0;
}

/* Appends s to buf (n bytes, len used) without splitting a character. */
static void append(char *buf, size_t n, size_t *len, const char *s)
{
	size_t k = strlen(s);

	if (*len + 1 >= n)
		return;
	if (*len + k + 1 > n) {
		k = n - 1 - *len;
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	}
	memcpy(buf + *len, s, k);
	*len += k;
	buf[*len] = '\0';
}

char *report_params_line(const struct report *r, const struct rparams *p,
			 char *buf, size_t n)
{
	size_t len = 0;
	bool first = true;

	if (!buf || n == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; p && i < p->n; i++) {
		const struct rparam *d = param_find(r, p->name[i]);
		const char *v = p->value[i];
		char date[DATE_BUFSZ];

		if (!d || !v || !*v)
			continue;
		if (d->type == RP_DATE && strcmp(v, "today") == 0)
			v = date_format(date_today(), date, sizeof date);
		if (!first)
			append(buf, n, &len, ", ");
		append(buf, n, &len, _(d->label));
		append(buf, n, &len, " ");
		append(buf, n, &len, v);
		first = false;
	}
	return buf;
}

/* -------------------------------------------------------------- cells */

static int fmt_scale(enum rfmt f)
{
	switch (f) {
	case RF_AMOUNT:
		return NUM_MONEY_SCALE;
	case RF_QTY:
		return NUM_QTY_SCALE;
	case RF_PRICE:
		return NUM_PRICE_SCALE;
	case RF_PERCENT:
		return NUM_RATE_SCALE;
	default:
		return 0;
	}
}

/* A number in format fmt: grouped on paper, plain when raw. */
static char *num_text(enum rfmt fmt, int64_t v, bool raw, char *buf, size_t n)
{
	char tmp[NUM_BUFSZ];
	int64_t pct;

	buf[0] = '\0';
	switch (fmt) {
	case RF_TEXT:
		break;
	case RF_DATE:
		if (v != DATE_NONE && v >= INT32_MIN && v <= INT32_MAX)
			date_format((kdate)v, buf, n);
		break;
	case RF_PERCENT:
		if (raw) {
			num_format(v, NUM_RATE_SCALE, false, buf, n);
			break;
		}
		/* A rate of scale 6 is a percentage of scale 4: keep 2. */
		if (num_round_div(v, 100, &pct))
			pct = 0;
		num_format(pct, 2, true, tmp, sizeof tmp);
		snprintf(buf, n, "%s%%", tmp);
		break;
	default:
		num_format(v, fmt_scale(fmt), !raw, buf, n);
		break;
	}
	return buf;
}

char *report_cell_text(const struct rcol *col, const struct rcell *cell,
		       bool raw, char *buf, size_t n)
{
	size_t len = 0;

	if (!buf || n == 0)
		return buf;
	buf[0] = '\0';
	if (!cell || cell->empty)
		return buf;
	if (col->fmt == RF_TEXT) {
		append(buf, n, &len, cell->text ? cell->text : "");
		return buf;
	}
	return num_text(col->fmt, cell->num, raw, buf, n);
}

char *report_total_text(const struct rcol *col, int64_t v, bool raw,
			char *buf, size_t n)
{
	if (!buf || n == 0)
		return buf;
	return num_text(col->fmt, v, raw, buf, n);
}

/* -------------------------------------------------------------- totals */

/*
 * The totals of a group, or of the whole report: one slot summing
 * every row, or with report.total_by a slot per value of that column,
 * kept sorted.  Memory follows the number of different values (a few
 * currencies), not the rows; past RTOTAL_KEYS_MAX the report stops.
 */
#define RTOTAL_KEYS_MAX 1000

struct tset {
	size_t n, cap;                /* slots used, allocated */
	char **key;                   /* a copy of each value; NULL unsplit */
	unsigned long *rows;          /* rows summed in each slot */
	int64_t *sum;                 /* n * ncols */
	unsigned long all;            /* every RL_ROW of the group */
};

static void tset_free(struct tset *ts)
{
	for (size_t i = 0; ts->key && i < ts->n; i++)
		free(ts->key[i]);
	free(ts->key);
	free(ts->rows);
	free(ts->sum);
	memset(ts, 0, sizeof *ts);
}

/* Room for cap slots of ncols columns. */
static int tset_grow(struct tset *ts, size_t ncols, size_t cap)
{
	char **key;
	unsigned long *rows;
	int64_t *sum;

	if (cap <= ts->cap)
		return 0;
	if (!(key = realloc(ts->key, cap * sizeof *key)))
		return -1;
	ts->key = key;
	if (!(rows = realloc(ts->rows, cap * sizeof *rows)))
		return -1;
	ts->rows = rows;
	if (!(sum = realloc(ts->sum, cap * (ncols ? ncols : 1) * sizeof *sum)))
		return -1;
	ts->sum = sum;
	ts->cap = cap;
	return 0;
}

/* Empty again: no slot (split) or one slot at zero. */
static int tset_reset(struct tset *ts, size_t ncols, bool split)
{
	for (size_t i = 0; ts->key && i < ts->n; i++) {
		free(ts->key[i]);
		ts->key[i] = NULL;
	}
	ts->n = 0;
	ts->all = 0;
	if (split)
		return 0;
	if (tset_grow(ts, ncols, 1))
		return -1;
	ts->n = 1;
	ts->key[0] = NULL;
	ts->rows[0] = 0;
	memset(ts->sum, 0, ncols * sizeof *ts->sum);
	return 0;
}

/*
 * The slot of key (split; inserted in order when new), or slot 0
 * (unsplit, key NULL).  K_ERANGE past RTOTAL_KEYS_MAX values of col.
 */
static int tset_slot(struct tset *ts, size_t ncols, const char *key,
		     const struct rcol *col, size_t *slot, struct kerr *err)
{
	size_t lo = 0, hi = ts->n;
	char *copy;

	if (!key) {
		*slot = 0;
		return 0;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ts->key[mid], key);
		if (c == 0) {
			*slot = mid;
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (ts->n >= RTOTAL_KEYS_MAX)
		return kerr_set(err, K_ERANGE, col->name,
				_("more than %d different values of %s: too many totals"),
				RTOTAL_KEYS_MAX, _(col->heading));
	if ((ts->n == ts->cap &&
	     tset_grow(ts, ncols, ts->cap ? ts->cap * 2 : 8)) ||
	    !(copy = strdup(key)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	memmove(ts->key + lo + 1, ts->key + lo, (ts->n - lo) * sizeof *ts->key);
	memmove(ts->rows + lo + 1, ts->rows + lo,
		(ts->n - lo) * sizeof *ts->rows);
	memmove(ts->sum + (lo + 1) * ncols, ts->sum + lo * ncols,
		(ts->n - lo) * ncols * sizeof *ts->sum);
	ts->key[lo] = copy;
	ts->rows[lo] = 0;
	memset(ts->sum + lo * ncols, 0, ncols * sizeof *ts->sum);
	ts->n++;
	*slot = lo;
	return 0;
}

char *report_total_label(const struct rctx *c, enum rline kind,
			 const char *group, bool grouped, char *buf, size_t n)
{
	unsigned long k = c->total_rows;
	const char *key = c->total_key;
	char what[512];

	if (!buf || n == 0)
		return buf;
	if (kind == RL_SUBTOTAL) {
		if (key)
			snprintf(what, sizeof what, "%s %s", group ? group : "",
				 key);
		else
			snprintf(what, sizeof what, "%s", group ? group : "");
		snprintf(buf, n, k == 1 ? _("Total %s (1 row)") :
			 _("Total %s (%lu rows)"), what, k);
	} else if (grouped && key) {
		snprintf(buf, n, k == 1 ? _("Grand total %s (1 row)") :
			 _("Grand total %s (%lu rows)"), key, k);
	} else if (grouped) {
		snprintf(buf, n, k == 1 ? _("Grand total (1 row)") :
			 _("Grand total (%lu rows)"), k);
	} else if (key) {
		snprintf(buf, n, k == 1 ? _("Total %s (1 row)") :
			 _("Total %s (%lu rows)"), key, k);
	} else {
		snprintf(buf, n, k == 1 ? _("Total (1 row)") :
			 _("Total (%lu rows)"), k);
	}
	return buf;
}

/* ---------------------------------------------------------------- run */

struct run {
	struct rctx c;
	const struct rrenderer *rd;
	struct tset sub, grand;
	int split;                    /* the total_by column, or -1 */
	char *group;                  /* the current group's key (a copy) */
	bool in_group;
};

static void chart_reset(struct rctx *c)
{
	for (size_t i = 0; i < c->chart_n; i++)
		free((char *)c->chart_label[i]);
	c->chart_n = 0;
	c->chart_cut = false;
}

static bool same_group(const struct run *x, const char *g)
{
	if (!x->in_group)
		return g == NULL;
	return g && strcmp(g, x->group) == 0;
}

static int chart_add(struct run *x, const struct rrow *row, struct kerr *err)
{
	struct rctx *c = &x->c;
	const struct report *r = c->r;
	const struct rcell *v = &row->cells[r->chart_value_col];
	char label[256];
	char *copy;

	if (c->chart_n >= RCHART_MAX) {
		c->chart_cut = true;
		return 0;
	}
	report_cell_text(&r->cols[r->chart_label_col],
			 &row->cells[r->chart_label_col], false, label,
			 sizeof label);
	if (!(copy = strdup(label)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	c->chart_label[c->chart_n] = copy;
	c->chart_value[c->chart_n] = v->empty ? 0 : v->num;
	c->chart_n++;
	return 0;
}

/*
 * Writes the total ts as kind: one line, or (split) a line a value and
 * the line counting every row (see struct rctx, total_key).
 */
static int totals_out(struct run *x, enum rline kind, const struct tset *ts,
		      struct kerr *err)
{
	struct rctx *c = &x->c;
	size_t ncols = c->r->ncols;
	int ret = 0;

	if (x->split < 0) {
		c->total_key = NULL;
		c->total_rows = ts->all;
		c->total_left = 0;
		return x->rd->line(c, kind, NULL, ts->sum, err);
	}
	for (size_t i = 0; i < ts->n && !ret; i++) {
		c->total_key = ts->key[i][0] ? ts->key[i] : _("(none)");
		c->total_rows = ts->rows[i];
		c->total_left = ts->n - i;
		ret = x->rd->line(c, kind, NULL, ts->sum + i * ncols, err);
	}
	if (ret)
		return ret;
	c->total_key = NULL;
	c->total_rows = ts->all;
	c->total_left = 0;
	return x->rd->line(c, kind, NULL, NULL, err);
}

/* The value row's totals go under: its total_by text, or NULL unsplit. */
static const char *split_key(const struct run *x, const struct rrow *row)
{
	const struct rcell *cell;
	const char *base = x->c.m->base_currency;

	if (x->split < 0)
		return NULL;
	cell = &row->cells[x->split];
	if (!cell->empty && cell->text && *cell->text)
		return cell->text;
	return base ? base : "";
}

/* The source's emit: one row, with the group lines it implies. */
static int emit(void *arg, const struct rrow *row, struct kerr *err)
{
	struct run *x = arg;
	const struct report *r = x->c.r;
	int ret;

	if (!row || !row->cells)
		return kerr_set(err, K_EINTERNAL, NULL,
				"report %s: a row without cells", r->name);
	if (!same_group(x, row->group)) {
		if (x->in_group &&
		    (ret = totals_out(x, RL_SUBTOTAL, &x->sub, err)))
			return ret;
		if (tset_reset(&x->sub, r->ncols, x->split >= 0))
			return kerr_set(err, K_ENOMEM, NULL, NULL);
		free(x->group);
		x->group = NULL;
		x->in_group = false;
		if (row->group) {
			if (!(x->group = strdup(row->group)))
				return kerr_set(err, K_ENOMEM, NULL, NULL);
			x->in_group = true;
			if ((ret = x->rd->line(&x->c, RL_GROUP, row, NULL, err)))
				return ret;
		}
	}
	if (!row->heading) {
		const char *key = split_key(x, row);
		const struct rcol *kcol = x->split >= 0 ? &r->cols[x->split] :
				          NULL;
		size_t ss, gs;
		int64_t *sub, *grand;

		if ((ret = tset_slot(&x->sub, r->ncols, key, kcol, &ss, err)) ||
		    (ret = tset_slot(&x->grand, r->ncols, key, kcol, &gs, err)))
			return ret;
		sub = x->sub.sum + ss * r->ncols;
		grand = x->grand.sum + gs * r->ncols;
		for (size_t i = 0; i < r->ncols; i++) {
			const struct rcol *col = &r->cols[i];
			const struct rcell *cell = &row->cells[i];
			if (!col->total || cell->empty || col->fmt == RF_TEXT ||
			    col->fmt == RF_DATE)
				continue;
			if (num_add(sub[i], cell->num, &sub[i]) ||
			    num_add(grand[i], cell->num, &grand[i]))
				return kerr_set(err, K_ERANGE, col->name,
						_("the total of %s is too large"),
						_(col->heading));
		}
		x->sub.rows[ss]++;
		x->grand.rows[gs]++;
		if (r->chart != RC_NONE && (ret = chart_add(x, row, err)))
			return ret;
	}
	if ((ret = x->rd->line(&x->c, RL_ROW, row, NULL, err)))
		return ret;
	x->sub.all++;
	x->grand.all++;
	x->c.rows++;
	return 0;
}

/* Every reference parameter must name a record (in the snapshot). */
static int check_refs(struct store_txn *t, const struct report *r,
		      const struct rparams *p, struct kerr *err)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct rparam *d = param_find(r, p->name[i]);
		const struct entity *e;
		void *rec;
		int ret;

		if (!d || d->type != RP_REF || !p->value[i] || !*p->value[i])
			continue;
		if (!d->ref || !(e = ent_find(d->ref)))
			return kerr_set(err, K_EINTERNAL, d->name,
					"parameter %s: no entity %s", d->name,
					d->ref ? d->ref : "(none)");
		if (!(rec = calloc(1, e->schema->size)))
			return kerr_set(err, K_ENOMEM, NULL, NULL);
		ret = ent_get_code(t, e, p->value[i], rec, err);
		store_rec_clear(e->schema, rec);
		free(rec);
		if (ret == K_ENOTFOUND)
			return kerr_set(err, K_EUSAGE, d->name,
					_("parameter %s: no %s with code %s"),
					d->name, e->name, p->value[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* One pass: begin, the source's rows, the last subtotal, the total, end. */
static int run_pass(struct store_txn *t, struct run *x, int pass,
		    bool *begun, struct kerr *err)
{
	const struct report *r = x->c.r;
	int ret;

	x->c.pass = pass;
	x->c.rows = 0;
	x->c.total_key = NULL;
	x->c.total_rows = 0;
	x->c.total_left = 0;
	chart_reset(&x->c);
	if (tset_reset(&x->sub, r->ncols, x->split >= 0) ||
	    tset_reset(&x->grand, r->ncols, x->split >= 0))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	free(x->group);
	x->group = NULL;
	x->in_group = false;

	*begun = true;
	if ((ret = x->rd->begin(&x->c, err)))
		return ret;
	if ((ret = r->source(t, r, x->c.p, emit, x, err)))
		return ret;
	if (x->in_group && (ret = totals_out(x, RL_SUBTOTAL, &x->sub, err)))
		return ret;
	if ((ret = totals_out(x, RL_TOTAL, &x->grand, err)))
		return ret;
	return x->rd->end(&x->c, err);
}

static const struct rrenderer *renderer_of(enum rformat fmt)
{
	switch (fmt) {
	case RFMT_TEXT:
		return &report_text_renderer;
	case RFMT_CSV:
		return &report_csv_renderer;
	case RFMT_PDF:
		return &report_pdf_renderer;
	}
	return NULL;
}

int report_run(struct store *st, const struct report *r,
	       const struct rparams *params, const struct rmeta *meta,
	       enum rformat fmt, FILE *out, unsigned long *rows,
	       struct kerr *err)
{
	struct run x = { 0 };
	struct store_txn *t = NULL;
	bool begun = false;
	int ret;

	if (rows)
		*rows = 0;
	x.rd = renderer_of(fmt);
	if (!x.rd || !r || !r->source || !params || !meta || !out)
		return kerr_set(err, K_EINTERNAL, NULL, "report_run: bad call");
	if (r->chart != RC_NONE &&
	    (r->chart_label_col < 0 || (size_t)r->chart_label_col >= r->ncols ||
	     r->chart_value_col < 0 || (size_t)r->chart_value_col >= r->ncols))
		return kerr_set(err, K_EINTERNAL, NULL,
				"report %s: chart columns out of range", r->name);
	x.split = -1;
	if (r->total_by) {
		for (size_t i = 0; i < r->ncols; i++)
			if (strcmp(r->cols[i].name, r->total_by) == 0)
				x.split = (int)i;
		if (x.split < 0 || r->cols[x.split].fmt != RF_TEXT)
			return kerr_set(err, K_EINTERNAL, NULL,
					"report %s: total_by %s is not a text column",
					r->name, r->total_by);
	}
	x.c.r = r;
	x.c.p = params;
	x.c.m = meta;
	x.c.out = out;
	/*
	 * One snapshot for everything, both passes included.  Not
	 * store_read(): it may run its function again, and what a renderer
	 * wrote cannot be taken back.
	 */
	if ((ret = store_txn_begin(st, true, &t, err)))
		goto out;
	if ((ret = check_refs(t, r, params, err)))
		goto out;
	if (x.rd->two_pass && (ret = run_pass(t, &x, 0, &begun, err)))
		goto out;
	if ((ret = run_pass(t, &x, 1, &begun, err)))
		goto out;
	ret = store_txn_commit(&t, err);
	if (!ret && (fflush(out) != 0 || ferror(out)))
		ret = kerr_set(err, K_EIO, NULL, _("cannot write the report: %s"),
			       strerror(errno ? errno : EIO));
	if (!ret && rows)
		*rows = x.c.rows;
out:
	store_txn_abort(&t);
	if (begun && x.rd->cleanup)
		x.rd->cleanup(&x.c);
	chart_reset(&x.c);
	free(x.group);
	tset_free(&x.sub);
	tset_free(&x.grand);
	return ret;
}
