/*
 * test_fa_calc.c - depreciation schedules (finance/fa_calc.c) against
 * worked examples computed by hand: every method, both first-month
 * conventions, the declining-balance switch, units of production, and
 * totals equal to cost - salvage to the cent.  No database.
 *
 * Amounts in the comments are in yuan; the code holds fen (x 100).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "base/date.h"
#include "base/kerr.h"
#include "base/num.h"
#include "finance/fa.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define Y(v) ((int64_t)(v) * 100)          /* whole yuan in fen */

static kdate day(const char *iso)
{
	kdate d;

	assert_int_equal(date_parse(iso, &d, NULL), 0);
	return d;
}

static const char *month_text(kdate d, char *buf)
{
	date_format(d, buf, DATE_BUFSZ);
	buf[7] = '\0';
	return buf;
}

/* Every month of the schedule of t into m (max n); returns how many. */
static int run(const struct fa_terms *t, struct fa_month *m, int n)
{
	struct fa_sched s;
	struct kerr err;
	int k = 0, ret;

	kerr_clear(&err);
	ret = fa_sched_init(&s, t, &err);
	if (ret)
		print_error("fa_sched_init: %s: %s\n", err.field, err.msg);
	assert_int_equal(ret, 0);
	while (k < n && (ret = fa_sched_next(&s, &m[k])) == 0)
		k++;
	assert_true(k < n);          /* the schedule ended by itself */
	assert_int_equal(ret, K_ENOTFOUND);
	assert_int_equal(fa_sched_next(&s, &m[k]), K_ENOTFOUND);
	return k;
}

/* Sum of months [from, to) of m. */
static int64_t sum(const struct fa_month *m, int from, int to)
{
	int64_t s = 0;

	for (int i = from; i < to; i++)
		s += m[i].amount;
	return s;
}

/* The running totals hold: accumulated and book follow the amounts. */
static void consistent(const struct fa_terms *t, const struct fa_month *m,
		       int n)
{
	int64_t acc = 0;
	kdate first = fa_first_month(t);

	for (int i = 0; i < n; i++) {
		assert_true(m[i].amount >= 0);
		acc += m[i].amount;
		assert_true(m[i].accumulated == acc);
		assert_true(m[i].book == t->cost - acc);
		assert_int_equal(m[i].index, i);
		assert_int_equal(m[i].month, date_add_months(first, i));
		assert_int_equal(m[i].last, i == n - 1);
	}
}

static struct fa_terms terms(const char *acquired, int64_t cost,
			     int64_t salvage, int life, enum fa_method method,
			     enum fa_convention conv)
{
	struct fa_terms t;

	memset(&t, 0, sizeof t);
	t.acquired = day(acquired);
	t.cost = cost;
	t.salvage = salvage;
	t.life = life;
	t.method = method;
	t.convention = conv;
	return t;
}

/* ------------------------------------------------------ names, checks */

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(fa_method_parse("straight-line"), FA_STRAIGHT);
	assert_int_equal(fa_method_parse("declining"), FA_DECLINING);
	assert_int_equal(fa_method_parse("declining-cn"), FA_DECLINING_CN);
	assert_int_equal(fa_method_parse("sum-of-years"), FA_SYD);
	assert_int_equal(fa_method_parse("units"), FA_UNITS);
	assert_int_equal(fa_method_parse("Straight-line"), FA_NONE);
	assert_int_equal(fa_method_parse(""), FA_NONE);
	assert_int_equal(fa_method_parse(NULL), FA_NONE);
	assert_string_equal(fa_method_name(FA_SYD), "sum-of-years");
	assert_null(fa_method_name(FA_NONE));
	assert_int_equal(fa_convention_parse("next-month"), FA_NEXT_MONTH);
	assert_int_equal(fa_convention_parse("full-month"), FA_FULL_MONTH);
	assert_int_equal(fa_convention_parse("half-month"), FA_CONV_NONE);
	assert_null(fa_convention_name(FA_CONV_NONE));
}

static void check_err(const struct fa_terms *t, const char *field,
		      const char *text)
{
	struct kerr err;
	struct fa_sched s;

	kerr_clear(&err);
	assert_int_equal(fa_terms_check(t, &err), K_EINVAL);
	assert_string_equal(err.field, field);
	if (!strstr(err.msg, text))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, text);
	/* The schedule refuses the same terms. */
	assert_int_equal(fa_sched_init(&s, t, NULL), K_EINVAL);
}

static void test_bad_terms(void **state)
{
	struct fa_terms t = terms("2026-01-15", Y(1000), 0, 12, FA_STRAIGHT,
				  FA_FULL_MONTH);
	struct fa_terms b;

	(void)state;
	assert_int_equal(fa_terms_check(&t, NULL), 0);
	b = t; b.acquired = DATE_NONE;
	check_err(&b, "acquired", "acquired is required");
	b = t; b.cost = 0;
	check_err(&b, "cost", "cost must be more than 0");
	b = t; b.salvage = -1;
	check_err(&b, "salvage", "0 or more");
	b = t; b.salvage = Y(1000) + 1;        /* 1,000.01 > 1,000.00 */
	check_err(&b, "salvage", "not be more than the cost");
	b = t; b.salvage = Y(1000);            /* equal: nothing to depreciate */
	assert_int_equal(fa_terms_check(&b, NULL), 0);
	b = t; b.life = 0;
	check_err(&b, "life_months", "life_months must be 1 to 1200");
	b = t; b.life = 1201;
	check_err(&b, "life_months", "1 to 1200");
	b = t; b.method = FA_NONE;
	check_err(&b, "method", "straight-line, declining");
	b = t; b.convention = FA_CONV_NONE;
	check_err(&b, "convention", "full-month or next-month");
	b = t; b.method = FA_SYD; b.life = 30;
	check_err(&b, "life_months", "whole years");
	b = t; b.method = FA_DECLINING; b.rate = 1000001;   /* 100.0001% */
	check_err(&b, "rate", "at most 1");
	b = t; b.method = FA_DECLINING; b.rate = -1;
	check_err(&b, "rate", "rate must be");
	b = t; b.method = FA_UNITS; b.total_units = 0;
	check_err(&b, "total_units", "more than 0");
	{
		struct fa_usage u[] = { { day("2026-02-01"), -1 } };
		b = t; b.method = FA_UNITS; b.total_units = 1000;
		b.usage = u; b.nusage = 1;
		check_err(&b, "usage", "usage 1: units must be 0 or more");
	}
}

/* ------------------------------------------------------- conventions */

static void test_first_month(void **state)
{
	struct fa_terms t = terms("2026-01-31", Y(1200), 0, 12, FA_STRAIGHT,
				  FA_FULL_MONTH);
	struct fa_month m[20];
	char b[DATE_BUFSZ];

	(void)state;
	/* full-month: the month of acquisition is the first. */
	assert_string_equal(month_text(fa_first_month(&t), b), "2026-01");
	assert_int_equal(run(&t, m, 20), 12);
	assert_string_equal(month_text(m[0].month, b), "2026-01");
	assert_string_equal(month_text(m[11].month, b), "2026-12");
	/* next-month (当月增加当月不提): February to January. */
	t.convention = FA_NEXT_MONTH;
	assert_string_equal(month_text(fa_first_month(&t), b), "2026-02");
	assert_int_equal(run(&t, m, 20), 12);
	assert_string_equal(month_text(m[0].month, b), "2026-02");
	assert_string_equal(month_text(m[11].month, b), "2027-01");
	/* Acquired in December: the next year's January. */
	t.acquired = day("2026-12-01");
	assert_string_equal(month_text(fa_first_month(&t), b), "2027-01");
	t.acquired = DATE_NONE;
	assert_int_equal(fa_first_month(&t), DATE_NONE);
}

/* ------------------------------------------------------ straight-line */

static void test_straight_line(void **state)
{
	/* Cost 100,000.00, salvage 4,000.00, 5 years = 60 months. */
	struct fa_terms t = terms("2026-01-15", Y(100000), Y(4000), 60,
				  FA_STRAIGHT, FA_FULL_MONTH);
	struct fa_month m[80];
	char b[DATE_BUFSZ];
	int n;

	(void)state;
	n = run(&t, m, 80);
	consistent(&t, m, n);
	assert_int_equal(n, 60);
	/* 96,000.00 / 60 = 1,600.00 every month, the last too. */
	for (int i = 0; i < 60; i++)
		assert_true(m[i].amount == Y(1600));
	assert_true(m[59].accumulated == Y(96000));
	assert_true(m[59].book == Y(4000));               /* = salvage */
	assert_string_equal(month_text(m[59].month, b), "2030-12");

	/*
	 * Cost 10,000.00, no salvage, 36 months: 10,000.00 / 36 =
	 * 277.777... -> 277.78 a month; 35 x 277.78 = 9,722.30; the last
	 * month takes 10,000.00 - 9,722.30 = 277.70.
	 */
	t = terms("2026-03-10", Y(10000), 0, 36, FA_STRAIGHT, FA_NEXT_MONTH);
	n = run(&t, m, 80);
	consistent(&t, m, n);
	assert_int_equal(n, 36);
	assert_true(m[0].amount == 27778);
	assert_true(m[34].amount == 27778);
	assert_true(sum(m, 0, 35) == 972230);
	assert_true(m[35].amount == 27770);
	assert_true(m[35].accumulated == Y(10000));
	assert_string_equal(month_text(m[0].month, b), "2026-04");
	assert_string_equal(month_text(m[35].month, b), "2029-03");

	/*
	 * Rounding up can never overshoot: 1.00 over 60 months is
	 * round(100 / 60 = 1.67 fen) = 0.02 a month; after 50 months the
	 * 1.00 is reached, the other 10 months are 0.
	 */
	t = terms("2026-01-01", 100, 0, 60, FA_STRAIGHT, FA_FULL_MONTH);
	n = run(&t, m, 80);
	consistent(&t, m, n);
	assert_int_equal(n, 60);
	assert_true(m[49].amount == 2 && m[49].accumulated == 100);
	assert_true(m[50].amount == 0 && m[59].amount == 0);

	/* Salvage = cost: 60 months of nothing. */
	t = terms("2026-01-01", Y(500), Y(500), 60, FA_STRAIGHT, FA_FULL_MONTH);
	n = run(&t, m, 80);
	assert_int_equal(n, 60);
	assert_true(sum(m, 0, 60) == 0);
}

/* ------------------------------------------------- declining balance */

static void test_double_declining(void **state)
{
	/*
	 * Cost 100,000.00, salvage 4,000.00, 5 years; no rate given:
	 * 2 / 5 = 40% a year.  Year by year (the textbook table):
	 *   year 1: 100,000.00 x 40% = 40,000.00      book 60,000.00
	 *   year 2:  60,000.00 x 40% = 24,000.00      book 36,000.00
	 *   year 3:  36,000.00 x 40% = 14,400.00      book 21,600.00
	 *     (straight-line would give (36,000 - 4,000) / 3 = 10,666.67)
	 *   year 4:  21,600.00 x 40% =  8,640.00, but straight-line
	 *            gives (21,600.00 - 4,000.00) / 2 = 8,800.00: more,
	 *            so straight-line from year 4 (month 37, 2029-01)
	 *   year 5:  8,800.00                          book  4,000.00
	 *   total 40,000 + 24,000 + 14,400 + 8,800 + 8,800 = 96,000.00.
	 * Months: year 1 40,000.00 / 12 = 3,333.33 x 11 = 36,666.63, the
	 * 12th 3,333.37; year 2 2,000.00; year 3 1,200.00; years 4 and 5
	 * 8,800.00 / 12 = 733.33 x 11 = 8,066.63, the 12th 733.37.
	 */
	struct fa_terms t = terms("2026-01-15", Y(100000), Y(4000), 60,
				  FA_DECLINING, FA_FULL_MONTH);
	struct fa_month m[80];
	char b[DATE_BUFSZ];
	int n, sw = -1;

	(void)state;
	n = run(&t, m, 80);
	consistent(&t, m, n);
	assert_int_equal(n, 60);
	assert_true(sum(m, 0, 12) == Y(40000));
	assert_true(sum(m, 12, 24) == Y(24000));
	assert_true(sum(m, 24, 36) == Y(14400));
	assert_true(sum(m, 36, 48) == Y(8800));
	assert_true(sum(m, 48, 60) == Y(8800));
	assert_true(m[0].amount == 333333 && m[10].amount == 333333);
	assert_true(m[11].amount == 333337);
	assert_true(m[12].amount == Y(2000) && m[23].amount == Y(2000));
	assert_true(m[24].amount == Y(1200));
	assert_true(m[36].amount == 73333 && m[47].amount == 73337);
	assert_true(m[59].amount == 73337);
	assert_true(m[59].accumulated == Y(96000) && m[59].book == Y(4000));
	for (int i = 0; i < n; i++)
		if (m[i].straight) {
			sw = i;
			break;
		}
	assert_int_equal(sw, 36);               /* the switch month */
	assert_string_equal(month_text(m[sw].month, b), "2029-01");
	assert_false(m[35].straight);
	assert_true(m[59].straight);

	/* The same rate given: 0.400000 gives the same schedule. */
	{
		struct fa_month m2[80];
		t.rate = 400000;
		assert_int_equal(run(&t, m2, 80), 60);
		for (int i = 0; i < 60; i++)
			assert_true(m2[i].amount == m[i].amount);
	}
}

static void test_declining_cn(void **state)
{
	/*
	 * Cost 100,000.00, salvage 5,000.00, 10 years, 20% a year.
	 *   year 1 20,000.00  book 80,000.00   year 4 10,240.00  40,960.00
	 *   year 2 16,000.00       64,000.00   year 5  8,192.00  32,768.00
	 *   year 3 12,800.00       51,200.00   year 6  6,553.60  26,214.40
	 * (year 6: straight-line would be (26,214.40+6,553.60 - 5,000)/5 =
	 *  27,768.00 / 5 = 5,553.60, less than 6,553.60)
	 * Textbook: year 7 declining 26,214.40 x 20% = 5,242.88, straight-
	 * line (26,214.40 - 5,000.00) / 4 = 5,303.60: more, so years 7 to
	 * 10 take 5,303.60 each (switch in month 73).
	 *   20,000 + 16,000 + 12,800 + 10,240 + 8,192 + 6,553.60 = 73,785.60
	 *   + 4 x 5,303.60 = 21,214.40: 95,000.00.
	 * Chinese rule: declining through year 8, straight-line in the
	 * last two: year 7 5,242.88 (book 20,971.52), year 8 20,971.52 x
	 * 20% = 4,194.304 -> 4,194.30 (book 16,777.22), years 9 and 10
	 * (16,777.22 - 5,000.00) / 2 = 5,888.61 each.
	 *   73,785.60 + 5,242.88 + 4,194.30 + 2 x 5,888.61 = 95,000.00.
	 */
	struct fa_terms t = terms("2026-05-20", Y(100000), Y(5000), 120,
				  FA_DECLINING, FA_NEXT_MONTH);
	struct fa_month m[140];
	static const int64_t book6 = 2621440;    /* 26,214.40 */
	char b[DATE_BUFSZ];
	int n, sw = -1;

	(void)state;
	t.rate = 200000;
	n = run(&t, m, 140);
	consistent(&t, m, n);
	assert_int_equal(n, 120);
	assert_true(sum(m, 0, 12) == Y(20000));
	assert_true(sum(m, 12, 24) == Y(16000));
	assert_true(sum(m, 24, 36) == Y(12800));
	assert_true(sum(m, 36, 48) == Y(10240));
	assert_true(sum(m, 48, 60) == Y(8192));
	assert_true(sum(m, 60, 72) == 655360);
	assert_true(m[71].book == book6);
	for (int y = 6; y < 10; y++)
		assert_true(sum(m, 12 * y, 12 * y + 12) == 530360);
	assert_true(m[119].accumulated == Y(95000));
	for (int i = 0; i < n && sw < 0; i++)
		if (m[i].straight)
			sw = i;
	assert_int_equal(sw, 72);
	/* next-month from May 2026: month 73 is June 2032. */
	assert_string_equal(month_text(m[sw].month, b), "2032-06");

	/* The Chinese variant of the same asset. */
	t.method = FA_DECLINING_CN;
	n = run(&t, m, 140);
	consistent(&t, m, n);
	assert_int_equal(n, 120);
	assert_true(sum(m, 0, 72) == 7378560);
	assert_true(sum(m, 72, 84) == 524288);
	assert_true(sum(m, 84, 96) == 419430);
	assert_true(m[95].book == 1677722);
	assert_true(sum(m, 96, 108) == 588861);
	assert_true(sum(m, 108, 120) == 588861);
	assert_true(m[119].accumulated == Y(95000));
	assert_false(m[95].straight);
	assert_true(m[96].straight);
}

static void test_declining_odd_life(void **state)
{
	/*
	 * A life that is not whole years: cost 9,000.00, no salvage, 30
	 * months (2.5 years), rate 2 / 2.5 = 80% (24 / 30 exactly).
	 *   year 1: 9,000.00 x 80% = 7,200.00         book 1,800.00
	 *   year 2: declining 1,800.00 x 80% = 1,440.00; straight-line
	 *           1,800.00 over 18 months = 100.00 a month, 1,200.00 a
	 *           year: less, so declining: 1,440.00  book 360.00
	 *   last 6 months: declining 360.00 x 80% x 6/12 = 144.00;
	 *           straight-line 360.00 / 6 = 60.00 a month, 360.00 for
	 *           the span: more, so 360.00.   Total 9,000.00.
	 */
	struct fa_terms t = terms("2026-01-01", Y(9000), 0, 30, FA_DECLINING,
				  FA_FULL_MONTH);
	struct fa_month m[40];
	int n;

	(void)state;
	n = run(&t, m, 40);
	consistent(&t, m, n);
	assert_int_equal(n, 30);
	assert_true(sum(m, 0, 12) == Y(7200));
	assert_true(m[0].amount == Y(600));
	assert_true(sum(m, 12, 24) == Y(1440));
	assert_true(sum(m, 24, 30) == Y(360));
	assert_true(m[24].amount == Y(60) && m[24].straight);
	assert_false(m[23].straight);
	assert_true(m[29].accumulated == Y(9000));
}

/* ---------------------------------------- sum of the years' digits */

static void test_sum_of_years(void **state)
{
	/*
	 * Cost 100,000.00, salvage 4,000.00, 5 years: 1+2+3+4+5 = 15.
	 *   year 1 96,000.00 x 5/15 = 32,000.00   months 2,666.67 x 11 =
	 *          29,333.37, the 12th 2,666.63
	 *   year 2 96,000.00 x 4/15 = 25,600.00   2,133.33 x 11, 2,133.37
	 *   year 3 96,000.00 x 3/15 = 19,200.00   1,600.00
	 *   year 4 96,000.00 x 2/15 = 12,800.00   1,066.67 x 11, 1,066.63
	 *   year 5 the rest: 96,000.00 - 89,600.00 = 6,400.00
	 *          533.33 x 11 = 5,866.63, the 12th 533.37
	 */
	struct fa_terms t = terms("2026-01-15", Y(100000), Y(4000), 60,
				  FA_SYD, FA_NEXT_MONTH);
	struct fa_month m[80];
	int n;

	(void)state;
	n = run(&t, m, 80);
	consistent(&t, m, n);
	assert_int_equal(n, 60);
	assert_true(sum(m, 0, 12) == Y(32000));
	assert_true(m[0].amount == 266667 && m[11].amount == 266663);
	assert_true(sum(m, 12, 24) == Y(25600));
	assert_true(m[12].amount == 213333 && m[23].amount == 213337);
	assert_true(sum(m, 24, 36) == Y(19200));
	assert_true(m[30].amount == Y(1600));
	assert_true(sum(m, 36, 48) == Y(12800));
	assert_true(m[36].amount == 106667 && m[47].amount == 106663);
	assert_true(sum(m, 48, 60) == Y(6400));
	assert_true(m[48].amount == 53333 && m[59].amount == 53337);
	assert_true(m[59].accumulated == Y(96000));

	/*
	 * Rounding in the year amounts: cost 1,000.00, no salvage, 3
	 * years (6): 1,000.00 x 3/6 = 500.00, x 2/6 = 333.33 (333.333...),
	 * the last year the rest 166.67.
	 */
	t = terms("2026-01-15", Y(1000), 0, 36, FA_SYD, FA_FULL_MONTH);
	n = run(&t, m, 80);
	consistent(&t, m, n);
	assert_true(sum(m, 0, 12) == Y(500));
	assert_true(sum(m, 12, 24) == 33333);
	assert_true(sum(m, 24, 36) == 16667);
}

/* ------------------------------------------------ units of production */

static void test_units(void **state)
{
	/*
	 * A truck: cost 100,000.00, salvage 4,000.00, 100,000 km.
	 * 96,000.00 / 100,000 km = 0.96 a km.
	 *   2026-02   3,000 km      x 0.96 =  2,880.00
	 *   2026-03   nothing recorded:           0.00
	 *   2026-04   1,234.567 km  x 0.96 =  1,185.18 (1,185.18432)
	 *   2026-05  50,000 km      x 0.96 = 48,000.00
	 *   2026-06  50,000 km: the total (104,234.567 km) passes 100,000,
	 *            so June takes the rest: 96,000.00 - 52,065.18 =
	 *            43,934.82, and the schedule ends.
	 */
	struct fa_usage u[] = {
		{ day("2026-02-10"), 3000000 },
		{ day("2026-04-01"), 1234567 },
		{ day("2026-05-31"), 50000000 },
		{ day("2026-06-15"), 50000000 },
	};
	struct fa_terms t = terms("2026-01-15", Y(100000), Y(4000), 0,
				  FA_UNITS, FA_NEXT_MONTH);
	struct fa_month m[20];
	char b[DATE_BUFSZ];
	int n;

	(void)state;
	t.total_units = 100000000;          /* 100,000.000 km */
	t.usage = u;
	t.nusage = NELEM(u);
	n = run(&t, m, 20);
	consistent(&t, m, n);
	assert_int_equal(n, 5);
	assert_string_equal(month_text(m[0].month, b), "2026-02");
	assert_true(m[0].amount == Y(2880));
	assert_true(m[1].amount == 0);
	assert_true(m[2].amount == 118518);
	assert_true(m[3].amount == Y(48000));
	assert_true(m[4].amount == 4393482);
	assert_true(m[4].accumulated == Y(96000) && m[4].last);

	/*
	 * Usage recorded only through April: the schedule stops after
	 * April without ending (later months wait for their usage).
	 */
	t.nusage = 2;
	{
		struct fa_sched s;
		struct fa_month x;
		int k = 0;
		assert_int_equal(fa_sched_init(&s, &t, NULL), 0);
		while (fa_sched_next(&s, &x) == 0) {
			assert_false(x.last);
			k++;
		}
		assert_int_equal(k, 3);
		assert_true(x.accumulated == 406518);   /* 2,880.00 + 1,185.18 */
	}
	/* No usage at all: no months. */
	t.nusage = 0;
	{
		struct fa_sched s;
		struct fa_month x;
		assert_int_equal(fa_sched_init(&s, &t, NULL), 0);
		assert_int_equal(fa_sched_next(&s, &x), K_ENOTFOUND);
	}
	/* Usage before the first month does not count (January, next-month). */
	{
		struct fa_usage early[] = { { day("2026-01-20"), 5000000 },
					    { day("2026-02-01"), 1000000 } };
		t.usage = early;
		t.nusage = 2;
		n = run(&t, m, 20);
		assert_int_equal(n, 1);
		assert_true(m[0].amount == Y(960));   /* 1,000 km x 0.96 */
	}
}

/* ---------------------------------------------------------- ranges */

static void test_range(void **state)
{
	/* 1,600.00 a month from 2026-01 to 2030-12 (straight-line above). */
	struct fa_terms t = terms("2026-01-15", Y(100000), Y(4000), 60,
				  FA_STRAIGHT, FA_FULL_MONTH);
	int64_t amount, acc;
	bool ends;

	(void)state;
	assert_int_equal(fa_sched_range(&t, day("2026-01-01"),
					day("2026-03-31"), &amount, &acc,
					&ends, NULL), 0);
	assert_true(amount == Y(4800) && acc == Y(4800) && !ends);
	/* Before the first month: nothing. */
	assert_int_equal(fa_sched_range(&t, day("2025-10-01"),
					day("2025-12-01"), &amount, &acc,
					&ends, NULL), 0);
	assert_true(amount == 0 && acc == 0 && !ends);
	/* Through and past the end: the rest, and it ends. */
	assert_int_equal(fa_sched_range(&t, day("2030-11-01"),
					day("2031-06-01"), &amount, &acc,
					&ends, NULL), 0);
	assert_true(amount == Y(3200) && acc == Y(96000) && ends);
}

/*
 * Totals to the cent over many shapes: every method, lives of 1 to 13
 * years and odd months, awkward costs; the months always add up to
 * cost - salvage exactly and no month is negative.
 */
static void test_totals(void **state)
{
	static const int64_t costs[] = { 1, 99, 123456789, 100000001,
					 3333333, 99999999999LL };
	static const int lives[] = { 1, 7, 12, 13, 24, 35, 36, 60, 61, 120,
				     156 };
	static const enum fa_method methods[] = { FA_STRAIGHT, FA_DECLINING,
						  FA_DECLINING_CN, FA_SYD };
	static struct fa_month m[200];

	(void)state;
	for (size_t c = 0; c < NELEM(costs); c++)
		for (size_t l = 0; l < NELEM(lives); l++)
			for (size_t k = 0; k < NELEM(methods); k++)
				for (int64_t rate = 0; rate <= 900000;
				     rate += 300000) {
					struct fa_terms t = terms(
						"2026-02-28", costs[c],
						costs[c] / 7, lives[l],
						methods[k], FA_NEXT_MONTH);
					int n;
					if (methods[k] == FA_SYD &&
					    lives[l] % 12)
						continue;
					if (rate && methods[k] != FA_DECLINING)
						continue;
					t.rate = rate;
					n = run(&t, m, 200);
					assert_int_equal(n, lives[l]);
					consistent(&t, m, n);
					assert_true(m[n - 1].accumulated ==
						    costs[c] - costs[c] / 7);
				}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bad_terms),
		cmocka_unit_test(test_first_month),
		cmocka_unit_test(test_straight_line),
		cmocka_unit_test(test_double_declining),
		cmocka_unit_test(test_declining_cn),
		cmocka_unit_test(test_declining_odd_life),
		cmocka_unit_test(test_sum_of_years),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_totals),
	};

	return cmocka_run_group_tests_name("fa_calc", tests, NULL, NULL);
}
