/*
 * test_report.c - the report engine: parameters, how cells and totals
 * look, block-character charts, and report_run() with the text and CSV
 * renderers over small definitions of the test's own (page breaks,
 * groups, totals that overflow, CJK text cut to its column), on a real
 * environment in a temporary folder (tests/unit/testenv.h); the
 * masters' reports on it too.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../testenv.h"

#include "base/date.h"
#include "base/kerr.h"
#include "base/num.h"
#include "masters/entity.h"
#include "masters/masters.h"
#include "report/report_int.h"
#include "store/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ fixture */

/* A store with every entity's table in a temporary folder (testenv.h). */
static int setup(void **state)
{
	static const struct testenv_opts o = { .name = "report" };

	return testenv_setup(state, &o);
}

/* ------------------------------------------------- a report of our own */

/* The rows the fake source emits: name, amount, group. */
struct frow {
	const char *name;
	int64_t amount;
	const char *group;
	int indent;
};
static const struct frow *fake_rows;
static size_t fake_n;

static const struct rcol fake_cols[] = {
	{ "name", "Name", 5, RA_LEFT, RF_TEXT, false },
	{ "memo", "Memo", 10, RA_LEFT, RF_TEXT, false },
	{ "amount", "Amount", 10, RA_RIGHT, RF_AMOUNT, true },
};

static const struct rparam fake_params[] = {
	{ "from", "From", RP_DATE, NULL, NULL, "today", false },
	{ "period", "Period", RP_PERIOD, NULL, NULL, NULL, false },
	{ "n", "Count", RP_INT, NULL, NULL, "10", false },
	{ "party", "Party", RP_REF, "party", NULL, NULL, false },
	{ "kind", "Kind", RP_CHOICE, NULL, "all|customer|supplier", "all",
	  false },
	{ "note", "Note", RP_TEXT, NULL, NULL, NULL, false },
};

static int fake_source(struct store_txn *t, const struct report *r,
		       const struct rparams *p, remit_fn emit, void *arg,
		       struct kerr *err)
{
	(void)t;
	(void)r;
	(void)p;
	for (size_t i = 0; i < fake_n; i++) {
		struct rcell cells[3] = {
			{ .text = fake_rows[i].name },
			{ .text = "x" },
			{ .num = fake_rows[i].amount },
		};
		struct rrow row = { .cells = cells, .group = fake_rows[i].group,
				    .indent = fake_rows[i].indent };
		int ret = emit(arg, &row, err);
		if (ret)
			return ret;
	}
	return 0;
}

static const struct report fake = {
	.name = "fake", .title = "Fake report", .perm = "report.fake",
	.params = fake_params, .nparams = NELEM(fake_params),
	.cols = fake_cols, .ncols = NELEM(fake_cols),
	.group_label = "Group", .sorted = "as given",
	.chart = RC_BAR, .chart_label_col = 0, .chart_value_col = 2,
	.source = fake_source,
};

/* The same without the chart. */
static const struct report plain = {
	.name = "plain", .title = "Fake report", .perm = "report.plain",
	.params = fake_params, .nparams = NELEM(fake_params),
	.cols = fake_cols, .ncols = NELEM(fake_cols),
	.group_label = "Group", .sorted = "as given",
	.source = fake_source,
};

/* One with a required parameter and none of the others. */
static const struct rparam need_params[] = {
	{ "to", "To", RP_DATE, NULL, NULL, NULL, true },
};
static const struct report needy = {
	.name = "needy", .title = "Needy", .perm = "report.needy",
	.params = need_params, .nparams = 1,
	.cols = fake_cols, .ncols = NELEM(fake_cols),
	.source = fake_source,
};

/*
 * A report whose totals are split by currency: name, currency, amount
 * (what parties does with credit limits).
 */
struct crow {
	const char *name, *cur;
	int64_t amount;
	const char *group;
};
static const struct crow *cur_rows;
static size_t cur_n;

static const struct rcol cur_cols[] = {
	{ "name", "Name", 5, RA_LEFT, RF_TEXT, false },
	{ "currency", "Cur", 3, RA_LEFT, RF_TEXT, false },
	{ "amount", "Amount", 10, RA_RIGHT, RF_AMOUNT, true },
};

static int cur_source(struct store_txn *t, const struct report *r,
		      const struct rparams *p, remit_fn emit, void *arg,
		      struct kerr *err)
{
	(void)t;
	(void)r;
	(void)p;
	for (size_t i = 0; i < cur_n; i++) {
		struct rcell cells[3] = {
			{ .text = cur_rows[i].name },
			{ .text = cur_rows[i].cur, .empty = !*cur_rows[i].cur },
			{ .num = cur_rows[i].amount },
		};
		struct rrow row = { .cells = cells, .group = cur_rows[i].group };
		int ret = emit(arg, &row, err);
		if (ret)
			return ret;
	}
	return 0;
}

static const struct report percur = {
	.name = "percur", .title = "Per currency", .perm = "report.percur",
	.cols = cur_cols, .ncols = NELEM(cur_cols),
	.group_label = "Group", .total_by = "currency",
	.source = cur_source,
};

/* What rmeta.base_currency is in run() (NULL: none). */
static const char *run_base;

/* Runs r as fmt into a string (the caller frees it). */
static int run(struct store *st, const struct report *r,
	       const struct rparams *given, enum rformat fmt, int page_lines,
	       char **text, unsigned long *rows, struct kerr *err)
{
	struct rparams p;
	size_t len = 0;
	FILE *out;
	int ret;

	*text = NULL;
	if ((ret = report_params(r, given, &p, err)))
		return ret;
	out = open_memstream(text, &len);
	assert_non_null(out);
	struct rmeta m = {
		.company = "ACME 公司", .user = "tester",
		.run_us = INT64_C(1773532800) * 1000000,   /* 2026-03-15 */
		.width = 80, .page_lines = page_lines,
		.base_currency = run_base,
	};
	ret = report_run(st, r, &p, &m, fmt, out, rows, err);
	fclose(out);
	return ret;
}

static int count_char(const char *s, char c)
{
	int n = 0;

	for (; s && *s; s++)
		n += *s == c;
	return n;
}

/* Line k (0-based) of s, into buf. */
static const char *line_of(const char *s, int k, char *buf, size_t n)
{
	while (k-- > 0 && s && (s = strchr(s, '\n')))
		s++;
	buf[0] = '\0';
	if (!s)
		return buf;
	size_t len = strcspn(s, "\n");
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

/*
 * An expected line of 80 columns: left (lcols display columns), blanks,
 * right (ASCII) ending in column 80.
 */
static const char *lr(const char *left, int lcols, const char *right,
		      char *buf, size_t n)
{
	int rw = 0;

	for (const char *p = right; *p; p++)
		rw += *p != '\n';
	snprintf(buf, n, "%s%*s%s", left, 80 - lcols - rw, "", right);
	return buf;
}

/* -------------------------------------------------------------- tests */

static void test_find(void **state)
{
	(void)state;
	assert_true(report_count >= 3);
	assert_non_null(report_find("parties"));
	assert_non_null(report_find("items"));
	assert_non_null(report_find("accounts"));
	assert_null(report_find("nope"));
	assert_null(report_find(NULL));
	assert_null(report_find(""));
	for (size_t i = 0; i < report_count; i++) {
		const struct report *r = report_all[i];
		assert_ptr_equal(report_find(r->name), r);
		assert_non_null(r->source);
		assert_true(strncmp(r->perm, "report.", 7) == 0);
		assert_string_equal(r->perm + 7, r->name);
		/* Laid out for the page: 80 columns, or 132 when wide. */
		int w = -1;
		for (size_t k = 0; k < r->ncols; k++)
			w += r->cols[k].width + 1;
		assert_true(w <= (r->wide ? 132 : 80));
	}
}

static void test_params_defaults(void **state)
{
	struct rparams given = { 0 }, p;
	struct kerr e;

	(void)state;
	assert_int_equal(report_params(&fake, NULL, &p, &e), 0);
	assert_int_equal(p.n, NELEM(fake_params));
	assert_string_equal(p.name[0], "from");
	assert_string_equal(p.value[0], "today");
	assert_string_equal(p.value[1], "");
	assert_string_equal(p.value[2], "10");
	assert_string_equal(p.value[4], "all");

	/* Given values win; an empty one is no value: the default. */
	given.name[0] = "kind";
	given.value[0] = "supplier";
	given.name[1] = "n";
	given.value[1] = "";
	given.name[2] = "from";
	given.value[2] = "2026-01-31";
	given.n = 3;
	assert_int_equal(report_params(&fake, &given, &p, &e), 0);
	assert_string_equal(p.value[4], "supplier");
	assert_string_equal(p.value[2], "10");
	assert_string_equal(p.value[0], "2026-01-31");
}

/* Expects report_params to refuse name=value with text in the message. */
static void refused(const struct report *r, const char *name,
		    const char *value, const char *text)
{
	struct rparams given = { 0 }, p;
	struct kerr e;

	kerr_clear(&e);
	if (name) {
		given.name[0] = name;
		given.value[0] = value;
		given.n = 1;
	}
	assert_int_equal(report_params(r, &given, &p, &e), K_EUSAGE);
	if (!strstr(e.msg, text)) {
		fprintf(stderr, "message: %s\nexpected: %s\n", e.msg, text);
		fail();
	}
}

static void accepted(const char *name, const char *value)
{
	struct rparams given = { 0 }, p;
	struct kerr e;

	given.name[0] = name;
	given.value[0] = value;
	given.n = 1;
	if (report_params(&fake, &given, &p, &e)) {
		fprintf(stderr, "%s=%s: %s\n", name, value, e.msg);
		fail();
	}
}

static void test_params_errors(void **state)
{
	struct rparams given = { 0 }, p;
	struct kerr e;

	(void)state;
	refused(&fake, "nope", "1", "report fake has no parameter \"nope\"; "
		"its parameters are from, period, n, party, kind, note");
	refused(&fake, "kind", "both", "parameter kind: \"both\" is not one "
		"of all, customer, supplier");
	refused(&fake, "kind", "Customer", "not one of");
	refused(&fake, "kind", "al", "not one of");
	refused(&fake, "from", "2026-02-30", "parameter from: not a date: "
		"2026-02-30");
	refused(&fake, "from", "yesterday", "not a date");
	refused(&fake, "period", "2026-13", "parameter period: not a period");
	refused(&fake, "period", "2026-1", "not a period");
	refused(&fake, "period", "26-01", "not a period");
	refused(&fake, "n", "12x", "parameter n: not a whole number: 12x");
	refused(&fake, "n", "99999999999999999999", "not a whole number");
	refused(&fake, "n", " 5", "not a whole number");
	refused(&fake, "n", "-", "not a whole number");
	refused(&fake, "note", "a\tb", "parameter note: not valid text");
	refused(&fake, "note", "\xff", "not valid text");
	refused(&needy, NULL, NULL, "report needy needs parameter to "
		"(--param to=VALUE)");
	refused(&needy, "to", "", "needs parameter to");
	accepted("from", "today");
	accepted("from", "20260131");
	accepted("period", "2026-12");
	accepted("n", "-5");
	accepted("note", "上海 notes");
	accepted("party", "P1001");   /* existence: report_run's business */

	/* A name given twice. */
	given.name[0] = given.name[1] = "kind";
	given.value[0] = given.value[1] = "all";
	given.n = 2;
	kerr_clear(&e);
	assert_int_equal(report_params(&fake, &given, &p, &e), K_EUSAGE);
	assert_string_equal(e.field, "kind");
	assert_non_null(strstr(e.msg, "given twice"));
	/* The field names the parameter at fault. */
	given.name[0] = "bogus";
	given.n = 1;
	assert_int_equal(report_params(&fake, &given, &p, &e), K_EUSAGE);
	assert_string_equal(e.field, "bogus");
}

static void test_params_line(void **state)
{
	struct rparams given = { 0 }, p;
	struct kerr e;
	char buf[256], small[12];

	(void)state;
	setenv("KONTOR_TODAY", "2026-03-15", 1);
	given.name[0] = "kind";
	given.value[0] = "customer";
	given.name[1] = "note";
	given.value[1] = "上海";
	given.n = 2;
	assert_int_equal(report_params(&fake, &given, &p, &e), 0);
	assert_string_equal(report_params_line(&fake, &p, buf, sizeof buf),
			    "From 2026-03-15, Count 10, Kind customer, Note 上海");
	/* Cut short without splitting a character. */
	report_params_line(&fake, &p, small, sizeof small);
	assert_true(strlen(small) < sizeof small);
	assert_string_equal(small, "From 2026-0");
	unsetenv("KONTOR_TODAY");
}

static void test_cells(void **state)
{
	const struct rcol amount = { "a", "A", 10, RA_RIGHT, RF_AMOUNT, true };
	const struct rcol qty = { "q", "Q", 10, RA_RIGHT, RF_QTY, false };
	const struct rcol price = { "p", "P", 10, RA_RIGHT, RF_PRICE, false };
	const struct rcol pct = { "r", "R", 8, RA_RIGHT, RF_PERCENT, false };
	const struct rcol date = { "d", "D", 10, RA_LEFT, RF_DATE, false };
	const struct rcol num = { "n", "N", 6, RA_RIGHT, RF_INT, false };
	const struct rcol text = { "t", "T", 6, RA_LEFT, RF_TEXT, false };
	struct rcell c = { 0 };
	char buf[64], tiny[8];
	kdate d;

	(void)state;
	c.num = 123450;
	assert_string_equal(report_cell_text(&amount, &c, false, buf, sizeof buf),
			    "1,234.50");
	assert_string_equal(report_cell_text(&amount, &c, true, buf, sizeof buf),
			    "1234.50");
	c.num = -123456789;
	assert_string_equal(report_cell_text(&amount, &c, false, buf, sizeof buf),
			    "-1,234,567.89");
	assert_string_equal(report_cell_text(&amount, &c, true, buf, sizeof buf),
			    "-1234567.89");
	c.num = 2500;
	assert_string_equal(report_cell_text(&qty, &c, false, buf, sizeof buf),
			    "2.500");
	c.num = 12345678;
	assert_string_equal(report_cell_text(&price, &c, false, buf, sizeof buf),
			    "1,234.5678");
	/* Rates of scale 6 as percentages, rounded half away from zero. */
	c.num = 130000;
	assert_string_equal(report_cell_text(&pct, &c, false, buf, sizeof buf),
			    "13.00%");
	assert_string_equal(report_cell_text(&pct, &c, true, buf, sizeof buf),
			    "0.130000");
	c.num = 123450;
	assert_string_equal(report_cell_text(&pct, &c, false, buf, sizeof buf),
			    "12.35%");
	c.num = -123450;
	assert_string_equal(report_cell_text(&pct, &c, false, buf, sizeof buf),
			    "-12.35%");
	c.num = 10000000;
	assert_string_equal(report_cell_text(&pct, &c, false, buf, sizeof buf),
			    "1,000.00%");
	assert_int_equal(date_parse("2026-02-28", &d, NULL), 0);
	c.num = d;
	assert_string_equal(report_cell_text(&date, &c, false, buf, sizeof buf),
			    "2026-02-28");
	assert_string_equal(report_cell_text(&date, &c, true, buf, sizeof buf),
			    "2026-02-28");
	c.num = DATE_NONE;
	assert_string_equal(report_cell_text(&date, &c, false, buf, sizeof buf),
			    "");
	c.num = 1234567;
	assert_string_equal(report_cell_text(&num, &c, false, buf, sizeof buf),
			    "1,234,567");
	assert_string_equal(report_cell_text(&num, &c, true, buf, sizeof buf),
			    "1234567");
	/* Empty cells are blank, whatever the format. */
	c.empty = true;
	assert_string_equal(report_cell_text(&amount, &c, false, buf, sizeof buf),
			    "");
	assert_string_equal(report_cell_text(&amount, NULL, false, buf, sizeof buf),
			    "");
	c = (struct rcell){ .text = NULL };
	assert_string_equal(report_cell_text(&text, &c, false, buf, sizeof buf),
			    "");
	/* Text cut to the buffer never splits a character. */
	c.text = "ab上海";
	assert_string_equal(report_cell_text(&text, &c, false, tiny, sizeof tiny),
			    "ab上");
	c.text = "abc上海";
	assert_string_equal(report_cell_text(&text, &c, false, tiny, 6), "abc");
	/* Totals in the column's format. */
	assert_string_equal(report_total_text(&amount, 100000000, false, buf,
					      sizeof buf), "1,000,000.00");
	assert_string_equal(report_total_text(&amount, 100000000, true, buf,
					      sizeof buf), "1000000.00");
	assert_string_equal(report_total_text(&text, 5, false, buf, sizeof buf),
			    "");
	assert_string_equal(report_total_text(&amount, INT64_MIN, false, buf,
					      sizeof buf),
			    "-92,233,720,368,547,758.08");
}

/* A context with the given chart points on report r. */
static void chart_ctx(struct rctx *c, const struct report *r,
		      const char *const *labels, const int64_t *values,
		      size_t n)
{
	memset(c, 0, sizeof *c);
	c->r = r;
	for (size_t i = 0; i < n; i++) {
		c->chart_label[i] = labels[i];
		c->chart_value[i] = values[i];
	}
	c->chart_n = n;
}

static const struct rcol chart_cols[] = {
	{ "label", "Label", 5, RA_LEFT, RF_TEXT, false },
	{ "value", "Value", 5, RA_RIGHT, RF_INT, false },
};

static void test_chart_bars(void **state)
{
	static const char *const labels[] = { "a", "bb", "c", "d" };
	static const int64_t values[] = { 100, 50, 0, -25 };
	const struct report r = {
		.name = "c", .cols = chart_cols, .ncols = 2, .chart = RC_BAR,
		.chart_label_col = 0, .chart_value_col = 1,
	};
	struct rctx c;
	char lines[8][512];

	(void)state;
	chart_ctx(&c, &r, labels, values, 4);
	assert_int_equal(report_chart_blocks(&c, 20, 10, lines, 8), 4);
	/* Label, bar in eighths of a column, value: 20 columns. */
	assert_string_equal(lines[0], "a  \u2588\u2588\u2588\u2588\u2588\u2588"
			    "\u2588\u2588\u2588\u2588\u2588\u2588\u2588 100");
	assert_string_equal(lines[1], "bb \u2588\u2588\u2588\u2588\u2588\u2588"
			    "\u258c        50");
	assert_string_equal(lines[2], "c                  0");
	assert_string_equal(lines[3], "d  \u2591\u2591\u2591           -25");
	/* Fewer lines than points: the first ones. */
	assert_int_equal(report_chart_blocks(&c, 20, 2, lines, 8), 2);
	assert_int_equal(report_chart_blocks(&c, 20, 10, lines, 3), 3);
	/* No room, no points, no chart: nothing. */
	assert_int_equal(report_chart_blocks(&c, 5, 10, lines, 8), 0);
	c.chart_n = 0;
	assert_int_equal(report_chart_blocks(&c, 20, 10, lines, 8), 0);
	assert_int_equal(report_chart_blocks(NULL, 20, 10, lines, 8), 0);
	/* All zero: labels and values, no bars. */
	static const int64_t zeros[] = { 0, 0 };
	chart_ctx(&c, &r, labels, zeros, 2);
	assert_int_equal(report_chart_blocks(&c, 20, 10, lines, 8), 2);
	assert_string_equal(lines[1], "bb                 0");
	/* Extreme values do not overflow. */
	static const int64_t big[] = { INT64_MAX, INT64_MIN, 1 };
	chart_ctx(&c, &r, labels, big, 3);
	assert_int_equal(report_chart_blocks(&c, 60, 10, lines, 8), 3);
	/* A wide label is cut to a quarter of the width, CJK whole. */
	static const char *const cjk[] = { "上海华东机械有限公司" };
	static const int64_t one[] = { 1 };
	chart_ctx(&c, &r, cjk, one, 1);
	assert_int_equal(report_chart_blocks(&c, 22, 10, lines, 8), 1);
	assert_true(strncmp(lines[0], "上海 ", strlen("上海 ")) == 0);
}

static void test_chart_line(void **state)
{
	static const char *const labels[] = { "p1", "p2", "p3" };
	static const int64_t values[] = { 0, 50, 100 };
	const struct report r = {
		.name = "c", .cols = chart_cols, .ncols = 2, .chart = RC_LINE,
		.chart_label_col = 0, .chart_value_col = 1,
	};
	struct rctx c;
	char lines[8][512];

	(void)state;
	chart_ctx(&c, &r, labels, values, 3);
	assert_int_equal(report_chart_blocks(&c, 13, 3, lines, 8), 4);
	assert_string_equal(lines[0], "100\u2502      \u2588\u2588\u2588");
	assert_string_equal(lines[1], "   \u2502   \u2585\u2585\u2585");
	assert_string_equal(lines[2], "  0\u2502\u2581\u2581\u2581");
	assert_string_equal(lines[3], "    p1     p3");
	/* A flat line sits at the bottom. */
	static const int64_t flat[] = { 7, 7 };
	chart_ctx(&c, &r, labels, flat, 2);
	assert_int_equal(report_chart_blocks(&c, 13, 3, lines, 8), 4);
	assert_string_equal(lines[0], "7\u2502");
	assert_string_equal(lines[2], "7\u2502\u2581\u2581\u2581\u2581\u2581"
			    "\u2581\u2581\u2581\u2581\u2581");
	/* Too few lines for a line chart. */
	assert_int_equal(report_chart_blocks(&c, 13, 1, lines, 8), 0);
	/* Extremes: the span does not overflow. */
	static const int64_t big[] = { INT64_MIN, INT64_MAX };
	chart_ctx(&c, &r, labels, big, 2);
	assert_int_equal(report_chart_blocks(&c, 60, 4, lines, 8), 5);
}

static const struct frow five[] = {
	{ "A", 100, NULL, 0 }, { "B", 200, NULL, 0 }, { "C", 300, NULL, 0 },
	{ "D", 400, NULL, 0 }, { "E", 500, NULL, 0 },
};

static void test_text_pages(void **state)
{
	struct testenv *f = *state;
	char *out, line[512], want[512], rule[81];
	unsigned long rows = 0;
	struct kerr e;

	fake_rows = five;
	fake_n = NELEM(five);
	setenv("KONTOR_TODAY", "2026-03-15", 1);
	/* 10 lines a page: 6 of header, 4 of body. */
	assert_int_equal(run(f->st, &plain, NULL, RFMT_TEXT, 10, &out, &rows,
			     &e), 0);
	assert_int_equal(rows, 5);
	assert_int_equal(count_char(out, '\f'), 1);
	assert_int_not_equal(out[strlen(out) - 1], '\f');
	/* Page 1: the header, headings, four rows. */
	assert_string_equal(line_of(out, 0, line, sizeof line),
			    lr("ACME 公司", 9, "Page 1 of 2", want, sizeof want));
	assert_string_equal(line_of(out, 1, line, sizeof line),
			    lr("Fake report", 11, "2026-03-15 00:00:00 by tester",
			       want, sizeof want));
	assert_string_equal(line_of(out, 2, line, sizeof line),
			    "From 2026-03-15, Count 10, Kind all");
	assert_string_equal(line_of(out, 3, line, sizeof line), "");
	/* The widest text column (Memo) takes the room left: 63 columns. */
	assert_string_equal(line_of(out, 4, line, sizeof line),
			    lr("Name  Memo", 10, "Amount", want, sizeof want));
	memset(rule, '-', 80);
	rule[80] = '\0';
	rule[5] = rule[69] = ' ';
	assert_string_equal(line_of(out, 5, line, sizeof line), rule);
	assert_string_equal(line_of(out, 6, line, sizeof line),
			    lr("A     x", 7, "1.00", want, sizeof want));
	assert_string_equal(line_of(out, 9, line, sizeof line),
			    lr("D     x", 7, "4.00", want, sizeof want));
	/* Page 2: the same header; the last row stays with the total. */
	assert_string_equal(line_of(out, 10, line, sizeof line),
			    lr("\fACME 公司", 9, "Page 2 of 2", want, sizeof want));
	assert_string_equal(line_of(out, 14, line, sizeof line),
			    lr("Name  Memo", 10, "Amount", want, sizeof want));
	assert_string_equal(line_of(out, 15, line, sizeof line), rule);
	assert_string_equal(line_of(out, 16, line, sizeof line),
			    lr("E     x", 7, "5.00", want, sizeof want));
	assert_string_equal(line_of(out, 17, line, sizeof line),
			    lr("", 0, "----------", want, sizeof want));
	assert_string_equal(line_of(out, 18, line, sizeof line),
			    lr("Total (5 rows)", 14, "15.00", want, sizeof want));
	assert_string_equal(line_of(out, 19, line, sizeof line), "");
	assert_int_equal(count_char(out, '\n'), 19);
	free(out);

	/* With a chart: after the total, on further pages. */
	assert_int_equal(run(f->st, &fake, NULL, RFMT_TEXT, 10, &out, &rows,
			     &e), 0);
	assert_non_null(strstr(out, "Page 1 of 4"));
	assert_non_null(strstr(out, "\nAmount by Name\n"));
	assert_non_null(strstr(out, "\nE \u2588"));
	free(out);

	/* Endless pages (0 lines): one page, no form feed. */
	assert_int_equal(run(f->st, &plain, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), 0);
	assert_int_equal(count_char(out, '\f'), 0);
	assert_non_null(strstr(out, "Page 1 of 1"));
	free(out);

	/* No rows: one page with the headings and a zero total. */
	fake_n = 0;
	assert_int_equal(run(f->st, &fake, NULL, RFMT_TEXT, 10, &out, &rows,
			     &e), 0);
	assert_int_equal(rows, 0);
	assert_non_null(strstr(out, "Page 1 of 1"));
	assert_non_null(strstr(out, "Total (0 rows)"));
	free(out);
	unsetenv("KONTOR_TODAY");
}

static const struct frow grouped[] = {
	{ "A", 100, "g1", 0 }, { "B", 200, "g1", 0 }, { "C", 300, "g1", 0 },
	{ "D", 400, "g2", 0 }, { "E", 500, "g3", 0 }, { "F", 600, "g3", 0 },
};

static void test_text_groups(void **state)
{
	struct testenv *f = *state;
	char *out;
	unsigned long rows = 0;
	struct kerr e;

	fake_rows = grouped;
	fake_n = NELEM(grouped);
	assert_int_equal(run(f->st, &fake, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), 0);
	assert_int_equal(rows, 6);
	/* Headings, subtotals with their row counts, the grand total. */
	char w[7][512];
	const char *want[] = {
		"\nGroup: g1\nA     x",
		"\nC     x",
		lr("\nTotal g1 (3 rows)", 17, "6.00\n", w[0], sizeof w[0]),
		"\n\nGroup: g2\nD     x",
		lr("\nTotal g2 (1 row)", 16, "4.00\n", w[1], sizeof w[1]),
		"\n\nGroup: g3\nE     x",
		lr("\nTotal g3 (2 rows)", 17, "11.00\n", w[2], sizeof w[2]),
		lr("\n\nGrand total (6 rows)", 20, "21.00\n", w[3],
		   sizeof w[3]),
		"\nAmount by Name\nA \u2588",
	};
	const char *at = out;
	for (size_t i = 0; i < NELEM(want); i++) {
		const char *hit = strstr(at, want[i]);
		if (!hit) {
			fprintf(stderr, "%s\nmissing (in order): %s\n", out,
				want[i]);
			fail();
		}
		at = hit;
	}
	free(out);

	/*
	 * Small pages: a group's rows go over a page break; the next page
	 * starts with its heading again, and a subtotal never starts a
	 * page without the group's last row.
	 */
	assert_int_equal(run(f->st, &fake, NULL, RFMT_TEXT, 10, &out, &rows,
			     &e), 0);
	assert_non_null(strstr(out, "Group: g1 (continued)\n"));
	for (const char *p = out; (p = strchr(p, '\f')); p++) {
		/* Skip the header: the first body line follows the rule. */
		const char *body = p;
		for (int k = 0; k < 6 && body; k++)
			body = strchr(body + 1, '\n');
		assert_non_null(body);
		assert_false(strncmp(body + 1, "Total", 5) == 0);
		assert_false(strncmp(body + 1, "  ", 2) == 0);
	}
	free(out);
}

static void test_csv(void **state)
{
	struct testenv *f = *state;
	static const struct frow rows_in[] = {
		{ "A,1", -150, "g", 0 }, { "B\"2", 0, "g", 0 },
		{ " sp", 1, NULL, 0 },
	};
	char *out;
	unsigned long rows = 0;
	struct kerr e;

	fake_rows = rows_in;
	fake_n = NELEM(rows_in);
	assert_int_equal(run(f->st, &fake, NULL, RFMT_CSV, 10, &out, &rows,
			     &e), 0);
	assert_int_equal(rows, 3);
	/* Raw values, quoted only when they must be; no totals or groups. */
	assert_string_equal(out, "name,memo,amount\n"
			    "\"A,1\",x,-1.50\n"
			    "\"B\"\"2\",x,0.00\n"
			    "\" sp\",x,0.01\n");
	free(out);
}

static void test_total_overflow(void **state)
{
	struct testenv *f = *state;
	static const struct frow big[] = {
		{ "A", INT64_MAX - 1, NULL, 0 }, { "B", 1, NULL, 0 },
		{ "C", 1, NULL, 0 },
	};
	static const struct frow low[] = {
		{ "A", INT64_MIN + 1, NULL, 0 }, { "B", -1, NULL, 0 },
		{ "C", -1, NULL, 0 },
	};
	char *out;
	unsigned long rows = 7;
	struct kerr e;

	fake_rows = big;
	fake_n = 2;
	assert_int_equal(run(f->st, &fake, NULL, RFMT_CSV, 0, &out, &rows,
			     &e), 0);
	free(out);
	/* One more and the sum would wrap: an error naming the column. */
	fake_n = 3;
	kerr_clear(&e);
	assert_int_equal(run(f->st, &fake, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), K_ERANGE);
	assert_string_equal(e.field, "amount");
	assert_non_null(strstr(e.msg, "Amount"));
	assert_int_equal(rows, 0);
	free(out);
	fake_rows = low;
	assert_int_equal(run(f->st, &fake, NULL, RFMT_CSV, 0, &out, &rows,
			     &e), K_ERANGE);
	free(out);
}

/*
 * A row of percur on 80 columns: the name takes the room left (65),
 * the currency 3, the amount 10 on the right.
 */
static const char *cline(const char *name, const char *cur, const char *amt,
			 char *buf, size_t n)
{
	snprintf(buf, n, "%-65s %-3s %10s", name, cur, amt);
	return buf;
}

/* Expects the lines of want, in order, somewhere in out. */
static void in_order(const char *out, const char *const *want, size_t n)
{
	const char *at = out;

	for (size_t i = 0; i < n; i++) {
		const char *hit = strstr(at, want[i]);
		if (!hit) {
			fprintf(stderr, "%s\nmissing (in order): %s\n", out,
				want[i]);
			fail();
		}
		at = hit + strlen(want[i]);
	}
}

static void test_split_totals(void **state)
{
	struct testenv *f = *state;
	static const struct crow rows_in[] = {
		{ "A", "CNY", 100, NULL }, { "B", "EUR", 200, NULL },
		{ "C", "", 300, NULL },     /* the base currency's */
		{ "D", "CNY", 400, NULL }, { "E", "USD", 0, NULL },
	};
	char *out, w[8][512];
	unsigned long rows;
	struct kerr e;

	cur_rows = rows_in;
	cur_n = NELEM(rows_in);
	/*
	 * With CNY the base currency: CNY 1.00 + 3.00 + 4.00 = 8.00 in 3
	 * rows, EUR 2.00, USD 0.00; sorted by currency; then the count,
	 * without a sum (15.00 of mixed money would mean nothing).
	 */
	run_base = "CNY";
	assert_int_equal(run(f->st, &percur, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), 0);
	assert_int_equal(rows, 5);
	const char *want[] = {
		cline("E", "USD", "0.00", w[6], sizeof w[6]),
		lr("\n", 0, "----------\n", w[0], sizeof w[0]),
		lr("Total CNY (3 rows)", 18, "8.00\n", w[1], sizeof w[1]),
		lr("Total EUR (1 row)", 17, "2.00\n", w[2], sizeof w[2]),
		lr("Total USD (1 row)", 17, "0.00\n", w[3], sizeof w[3]),
		"Total (5 rows)\n",
	};
	in_order(out, want, NELEM(want));
	assert_null(strstr(out, "15.00"));
	/* The count is the last line. */
	assert_non_null(strstr(out, "\nTotal (5 rows)\n"));
	assert_string_equal(strstr(out, "\nTotal (5 rows)\n"),
			    "\nTotal (5 rows)\n");
	free(out);

	/* No base currency: the blank one is a total of its own, first. */
	run_base = NULL;
	assert_int_equal(run(f->st, &percur, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), 0);
	const char *want2[] = {
		lr("Total (none) (1 row)", 20, "3.00\n", w[4], sizeof w[4]),
		lr("Total CNY (2 rows)", 18, "5.00\n", w[5], sizeof w[5]),
	};
	in_order(out, want2, NELEM(want2));
	free(out);

	/* CSV is the rows alone, as ever. */
	assert_int_equal(run(f->st, &percur, NULL, RFMT_CSV, 0, &out, &rows,
			     &e), 0);
	assert_string_equal(out, "name,currency,amount\nA,CNY,1.00\n"
			    "B,EUR,2.00\nC,,3.00\nD,CNY,4.00\nE,USD,0.00\n");
	free(out);

	/* No rows: only the count. */
	cur_n = 0;
	assert_int_equal(run(f->st, &percur, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), 0);
	assert_non_null(strstr(out, "\nTotal (0 rows)\n"));
	assert_null(strstr(out, "  ----------\n"));     /* no rule */
	free(out);
}

static void test_split_groups(void **state)
{
	struct testenv *f = *state;
	static const struct crow rows_in[] = {
		{ "A", "CNY", 100, "g1" }, { "B", "EUR", 200, "g1" },
		{ "C", "CNY", 300, "g1" }, { "D", "CNY", 400, "g2" },
	};
	char *out, w[8][512];
	unsigned long rows;
	struct kerr e;

	cur_rows = rows_in;
	cur_n = NELEM(rows_in);
	run_base = NULL;
	assert_int_equal(run(f->st, &percur, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), 0);
	/* g1: CNY 1.00 + 3.00 = 4.00 in 2, EUR 2.00; g2: CNY 4.00. */
	const char *want[] = {
		"Group: g1\n",
		lr("Total g1 CNY (2 rows)", 21, "4.00\n", w[0], sizeof w[0]),
		lr("Total g1 EUR (1 row)", 20, "2.00\n", w[1], sizeof w[1]),
		"Total g1 (3 rows)\n",
		"Group: g2\n",
		lr("Total g2 CNY (1 row)", 20, "4.00\n", w[2], sizeof w[2]),
		"Total g2 (1 row)\n",
		lr("\nGrand total CNY (3 rows)", 24, "8.00\n", w[3],
		   sizeof w[3]),
		lr("Grand total EUR (1 row)", 23, "2.00\n", w[4], sizeof w[4]),
		"Grand total (4 rows)\n",
	};
	in_order(out, want, NELEM(want));
	free(out);
}

static void test_split_pages(void **state)
{
	struct testenv *f = *state;
	static const struct crow rows_in[] = {
		{ "A", "CNY", 100, NULL }, { "B", "EUR", 200, NULL },
		{ "C", "CNY", 300, NULL }, { "D", "EUR", 400, NULL },
		{ "E", "CNY", 500, NULL },
	};
	char *out, line[512], want[512];
	unsigned long rows;
	struct kerr e;

	cur_rows = rows_in;
	cur_n = NELEM(rows_in);
	run_base = NULL;
	setenv("KONTOR_TODAY", "2026-03-15", 1);
	/*
	 * 12 lines a page: 6 of header, 6 of body.  Page 1 holds A to D
	 * and room for 2 more; E and the 4 lines of the totals (rule, CNY,
	 * EUR, the count) go together to page 2.
	 */
	assert_int_equal(run(f->st, &percur, NULL, RFMT_TEXT, 12, &out, &rows,
			     &e), 0);
	assert_int_equal(count_char(out, '\f'), 1);
	assert_string_equal(line_of(out, 9, line, sizeof line),
			    cline("D", "EUR", "4.00", want, sizeof want));
	assert_string_equal(line_of(out, 10, line, sizeof line),
			    lr("\fACME 公司", 9, "Page 2 of 2", want,
			       sizeof want));
	assert_string_equal(line_of(out, 16, line, sizeof line),
			    cline("E", "CNY", "5.00", want, sizeof want));
	assert_string_equal(line_of(out, 17, line, sizeof line),
			    lr("", 0, "----------", want, sizeof want));
	/* CNY 1.00 + 3.00 + 5.00 = 9.00; EUR 2.00 + 4.00 = 6.00. */
	assert_string_equal(line_of(out, 18, line, sizeof line),
			    lr("Total CNY (3 rows)", 18, "9.00", want,
			       sizeof want));
	assert_string_equal(line_of(out, 19, line, sizeof line),
			    lr("Total EUR (2 rows)", 18, "6.00", want,
			       sizeof want));
	assert_string_equal(line_of(out, 20, line, sizeof line),
			    "Total (5 rows)");
	assert_int_equal(count_char(out, '\n'), 21);
	free(out);

	/*
	 * 10 lines a page (4 of body): E and the 4 lines of the totals do
	 * not fit any page.  They start a page together (page 2: E, the
	 * rule, CNY, EUR) and the rest goes on over the break (page 3:
	 * the count).
	 */
	assert_int_equal(run(f->st, &percur, NULL, RFMT_TEXT, 10, &out, &rows,
			     &e), 0);
	assert_int_equal(count_char(out, '\f'), 2);
	assert_string_equal(line_of(out, 9, line, sizeof line),
			    cline("D", "EUR", "4.00", want, sizeof want));
	assert_string_equal(line_of(out, 16, line, sizeof line),
			    cline("E", "CNY", "5.00", want, sizeof want));
	assert_string_equal(line_of(out, 19, line, sizeof line),
			    lr("Total EUR (2 rows)", 18, "6.00", want,
			       sizeof want));
	assert_string_equal(line_of(out, 20, line, sizeof line),
			    lr("\fACME 公司", 9, "Page 3 of 3", want,
			       sizeof want));
	assert_string_equal(line_of(out, 26, line, sizeof line),
			    "Total (5 rows)");
	free(out);
	unsetenv("KONTOR_TODAY");
}

static void test_split_overflow(void **state)
{
	struct testenv *f = *state;
	static const struct crow apart[] = {
		{ "A", "CNY", INT64_MAX - 1, NULL }, { "B", "EUR", 5, NULL },
	};
	static const struct crow same[] = {
		{ "A", "CNY", INT64_MAX - 1, NULL }, { "B", "CNY", 5, NULL },
	};
	static char keys[1001][8];
	static struct crow many[1001];
	char *out;
	unsigned long rows;
	struct kerr e;

	/* Money in different currencies is never added: no overflow. */
	cur_rows = apart;
	cur_n = NELEM(apart);
	assert_int_equal(run(f->st, &percur, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), 0);
	free(out);
	cur_rows = same;
	kerr_clear(&e);
	assert_int_equal(run(f->st, &percur, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), K_ERANGE);
	assert_string_equal(e.field, "amount");
	free(out);
	/* 1,000 currencies are kept; one more stops the report. */
	for (int i = 0; i < 1001; i++) {
		snprintf(keys[i], sizeof keys[i], "K%04d", 1000 - i);
		many[i] = (struct crow){ "x", keys[i], 1, NULL };
	}
	cur_rows = many;
	cur_n = 1000;
	assert_int_equal(run(f->st, &percur, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), 0);
	/* Sorted although they came last first. */
	assert_true(strstr(out, "Total K0001 (1 row)") <
		    strstr(out, "Total K1000 (1 row)"));
	free(out);
	cur_n = 1001;
	kerr_clear(&e);
	assert_int_equal(run(f->st, &percur, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), K_ERANGE);
	assert_string_equal(e.field, "currency");
	free(out);
}

static const struct rcol cjk_cols[] = {
	{ "name", "名称", 5, RA_LEFT, RF_TEXT, false },
	{ "memo", "Memo", 10, RA_LEFT, RF_TEXT, false },
	{ "amount", "Amount", 4, RA_RIGHT, RF_AMOUNT, false },
};

static const struct report cjk = {
	.name = "cjk", .title = "CJK", .perm = "report.cjk",
	.cols = cjk_cols, .ncols = NELEM(cjk_cols),
	.source = fake_source,
};

static void test_text_cjk(void **state)
{
	struct testenv *f = *state;
	static const struct frow rows_in[] = {
		{ "上海华东", 100, NULL, 0 },    /* 8 columns in 5: 上海 + blank */
		{ "a上海华", 100, NULL, 0 },     /* a上海 is 5 */
		{ "上\t海", 100, NULL, 0 },       /* a tab prints as a blank */
		{ "ab", 123456, NULL, 0 },       /* 1,234.56 does not fit in 4 */
		{ "ab", 0, NULL, 1 },         /* two columns a level */
		{ "abcd", 0, NULL, 3 },       /* less when the text needs it */
		{ "上海华东", 0, NULL, 1 },   /* too long anyway: indented */
	};
	char *out, line[512], want[512];
	unsigned long rows;
	struct kerr e;

	fake_rows = rows_in;
	fake_n = NELEM(rows_in);
	assert_int_equal(run(f->st, &cjk, NULL, RFMT_TEXT, 0, &out, &rows,
			     &e), 0);
	/* Headings by display width: 名称 is 4 columns, padded to 5. */
	assert_string_equal(line_of(out, 4, line, sizeof line),
			    lr("名称  Memo", 10, "Amou", want, sizeof want));
	assert_string_equal(line_of(out, 6, line, sizeof line),
			    lr("上海  x", 7, "1.00", want, sizeof want));
	assert_string_equal(line_of(out, 7, line, sizeof line),
			    lr("a上海 x", 7, "1.00", want, sizeof want));
	assert_string_equal(line_of(out, 8, line, sizeof line),
			    lr("上 海 x", 7, "1.00", want, sizeof want));
	/* A number is never cut: it shows as stars. */
	assert_string_equal(line_of(out, 9, line, sizeof line),
			    lr("ab    x", 7, "****", want, sizeof want));
	assert_string_equal(line_of(out, 10, line, sizeof line),
			    lr("  ab  x", 7, "0.00", want, sizeof want));
	assert_string_equal(line_of(out, 11, line, sizeof line),
			    lr(" abcd x", 7, "0.00", want, sizeof want));
	assert_string_equal(line_of(out, 12, line, sizeof line),
			    lr("  上  x", 7, "0.00", want, sizeof want));
	free(out);
}

static void test_ref_param(void **state)
{
	struct testenv *f = *state;
	struct rparams given = { 0 };
	struct party *p;
	char *out;
	unsigned long rows;
	struct kerr e;

	fake_rows = five;
	fake_n = 1;
	given.name[0] = "party";
	given.value[0] = "P1";
	given.n = 1;
	kerr_clear(&e);
	assert_int_equal(run(f->st, &fake, &given, RFMT_CSV, 0, &out, &rows,
			     &e), K_EUSAGE);
	assert_string_equal(e.field, "party");
	assert_string_equal(e.msg, "parameter party: no party with code P1");
	free(out);
	/* Once it exists the report runs. */
	assert_non_null(p = ent_new(&party_entity));
	assert_int_equal(ent_field_set(NULL, store_field_find(&party_schema,
			 "code"), p, "P1", &e), 0);
	assert_int_equal(ent_field_set(NULL, store_field_find(&party_schema,
			 "name"), p, "One", &e), 0);
	p->customer = true;
	assert_int_equal(ent_save(f->st, &party_entity, p, NULL, &e), 0);
	ent_free(&party_entity, p);
	assert_int_equal(run(f->st, &fake, &given, RFMT_CSV, 0, &out, &rows,
			     &e), 0);
	assert_int_equal(rows, 1);
	free(out);
}

/* True when r has a required parameter without a default. */
static bool needs_a_record(const struct report *r)
{
	for (size_t i = 0; i < r->nparams; i++)
		if (r->params[i].required && !r->params[i].def)
			return true;
	return false;
}

/* The masters' reports on an empty database and on one party. */
static void test_master_reports(void **state)
{
	struct testenv *f = *state;
	struct party *p;
	char *out;
	unsigned long rows;
	struct kerr e;

	for (size_t i = 0; i < report_count; i++) {
		/* A report about one record (an asset's schedule) needs it. */
		if (needs_a_record(report_all[i]))
			continue;
		assert_int_equal(run(f->st, report_all[i], NULL, RFMT_TEXT, 20,
				     &out, &rows, &e), 0);
		assert_int_equal(rows, 0);
		assert_non_null(strstr(out, "Page 1 of 1"));
		free(out);
	}
	assert_non_null(p = ent_new(&party_entity));
	assert_int_equal(ent_field_set(NULL, store_field_find(&party_schema,
			 "code"), p, "P2", &e), 0);
	assert_int_equal(ent_field_set(NULL, store_field_find(&party_schema,
			 "name"), p, "Zwei, \"GmbH\"", &e), 0);
	assert_int_equal(ent_field_set(NULL, store_field_find(&party_schema,
			 "credit_limit"), p, "1,234.50", &e), 0);
	p->supplier = p->prospect = true;
	assert_int_equal(ent_save(f->st, &party_entity, p, NULL, &e), 0);
	ent_free(&party_entity, p);
	assert_int_equal(run(f->st, report_find("parties"), NULL, RFMT_CSV, 20,
			     &out, &rows, &e), 0);
	assert_int_equal(rows, 1);
	assert_string_equal(out, "code,name,kinds,city,payment_terms,currency,"
			    "credit_limit,status\n"
			    "P2,\"Zwei, \"\"GmbH\"\"\",SP,,,,1234.50,active\n");
	free(out);
	struct rparams given = { .name = { "kind" }, .value = { "customer" },
				 .n = 1 };
	assert_int_equal(run(f->st, report_find("parties"), &given, RFMT_CSV,
			     20, &out, &rows, &e), 0);
	assert_int_equal(rows, 0);
	free(out);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testenv_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_params_defaults),
		cmocka_unit_test(test_params_errors),
		cmocka_unit_test(test_params_line),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_chart_bars),
		cmocka_unit_test(test_chart_line),
		T(test_text_pages),
		T(test_text_groups),
		T(test_csv),
		T(test_total_overflow),
		T(test_split_totals),
		T(test_split_groups),
		T(test_split_pages),
		T(test_split_overflow),
		T(test_text_cjk),
		T(test_ref_param),
		T(test_master_reports),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
