/*
 * test_date.c - calendar dates: leap years, conversions, parsing,
 * weekdays, month arithmetic, today and timestamps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "base/date.h"
#include "base/kerr.h"

#define SENTINEL ((kdate)0x5A5A5A5A)
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static kdate ymd(int y, int m, int d)
{
	kdate k = SENTINEL;

	assert_int_equal(date_from_ymd(y, m, d, &k), K_OK);
	return k;
}

static void ymd_is(kdate k, int y, int m, int d)
{
	int yy = -1, mm = -1, dd = -1;

	date_to_ymd(k, &yy, &mm, &dd);
	assert_int_equal(yy, y);
	assert_int_equal(mm, m);
	assert_int_equal(dd, d);
}

static void parse_ok(const char *s, kdate want)
{
	struct kerr err;
	kdate k = SENTINEL;

	kerr_clear(&err);
	assert_int_equal(date_parse(s, &k, &err), K_OK);
	assert_int_equal(err.code, K_OK);
	assert_int_equal(k, want);
}

static void parse_bad(const char *s)
{
	struct kerr err;
	kdate k = SENTINEL;
	int rc;

	kerr_clear(&err);
	rc = date_parse(s, &k, &err);
	if (rc != K_EINVAL)
		print_error("date_parse(\"%s\") gave %d\n", s ? s : "(null)",
			    rc);
	assert_int_equal(rc, K_EINVAL);
	assert_int_equal(err.code, K_EINVAL);
	assert_string_equal(err.field, "date");
	assert_true(err.msg[0] != '\0');
	assert_int_equal(k, SENTINEL);
	assert_int_equal(date_parse(s, &k, NULL), K_EINVAL);
	assert_int_equal(k, SENTINEL);
}

static void fmt_is(kdate k, const char *want)
{
	char buf[DATE_BUFSZ];

	assert_ptr_equal(date_format(k, buf, sizeof buf), buf);
	assert_string_equal(buf, want);
}

/* ------------------------------------------------------------ tests */

static void test_leap(void **state)
{
	(void)state;
	assert_false(date_is_leap(1900));
	assert_true(date_is_leap(2000));
	assert_true(date_is_leap(2024));
	assert_false(date_is_leap(2023));
	assert_true(date_is_leap(1600));
	assert_false(date_is_leap(2100));
	assert_true(date_is_leap(4));
	assert_false(date_is_leap(1));
	assert_true(date_is_leap(9996));
}

static void test_days_in_month(void **state)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int m;

	(void)state;
	for (m = 1; m <= 12; m++)
		assert_int_equal(date_days_in_month(2023, m), days[m - 1]);
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2000, 2), 29);
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2024, 0), 0);
	assert_int_equal(date_days_in_month(2024, 13), 0);
	assert_int_equal(date_days_in_month(2024, -1), 0);
}

static void test_from_ymd(void **state)
{
	kdate k = SENTINEL;

	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1970, 1, 2), 1);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(2000, 1, 1), 10957);
	assert_int_equal(ymd(2000, 3, 1), 11017);
	assert_int_equal(ymd(2024, 1, 1), 19723);
	assert_int_equal(ymd(2024, 2, 29), 19782);
	assert_int_equal(ymd(1900, 1, 1), -25567);
	assert_int_equal(ymd(1, 1, 1), -719162);
	assert_int_equal(ymd(9999, 12, 31), 2932896);
	assert_int_equal(date_from_ymd(2024, 2, 29, NULL), K_OK);

	assert_int_equal(date_from_ymd(2023, 2, 29, &k), K_EINVAL);
	assert_int_equal(date_from_ymd(1900, 2, 29, &k), K_EINVAL);
	assert_int_equal(date_from_ymd(2024, 13, 1, &k), K_EINVAL);
	assert_int_equal(date_from_ymd(2024, 0, 10, &k), K_EINVAL);
	assert_int_equal(date_from_ymd(2024, 4, 31, &k), K_EINVAL);
	assert_int_equal(date_from_ymd(2024, 1, 0, &k), K_EINVAL);
	assert_int_equal(date_from_ymd(2024, 1, 32, &k), K_EINVAL);
	assert_int_equal(date_from_ymd(2024, 1, -1, &k), K_EINVAL);
	assert_int_equal(date_from_ymd(0, 1, 1, &k), K_EINVAL);
	assert_int_equal(date_from_ymd(-1, 1, 1, &k), K_EINVAL);
	assert_int_equal(date_from_ymd(10000, 1, 1, &k), K_EINVAL);
	assert_int_equal(k, SENTINEL);
}

static void test_to_ymd(void **state)
{
	(void)state;
	ymd_is(0, 1970, 1, 1);
	ymd_is(-1, 1969, 12, 31);
	ymd_is(19782, 2024, 2, 29);
	ymd_is(11016, 2000, 2, 29);
	ymd_is(-719162, 1, 1, 1);
	ymd_is(2932896, 9999, 12, 31);
	/* outside the range, and DATE_NONE: 0-0-0 */
	ymd_is(DATE_NONE, 0, 0, 0);
	ymd_is(-719163, 0, 0, 0);
	ymd_is(2932897, 0, 0, 0);
	ymd_is(INT32_MAX, 0, 0, 0);
	/* any pointer may be NULL */
	date_to_ymd(0, NULL, NULL, NULL);
}

/* Walks day by day, checking each against a hand-counted calendar. */
static void walk(int y, int m, int d, int last_year)
{
	kdate k = ymd(y, m, d);
	int yy, mm, dd, wd = date_weekday(k);

	while (y <= last_year) {
		date_to_ymd(k, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			print_error("day %d is %d-%d-%d, want %d-%d-%d\n",
				    (int)k, yy, mm, dd, y, m, d);
		assert_true(yy == y && mm == m && dd == d);
		assert_int_equal(ymd(y, m, d), k);
		assert_int_equal(date_weekday(k), wd);
		wd = wd % 7 + 1;
		k++;
		if (++d > date_days_in_month(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
}

static void test_roundtrip_1900_2100(void **state)
{
	(void)state;
	walk(1900, 1, 1, 2100);
	assert_int_equal(ymd(2101, 1, 1) - ymd(1900, 1, 1),
			 201 * 365 + 49);
}

static void test_roundtrip_edges(void **state)
{
	(void)state;
	walk(1, 1, 1, 3);
	walk(1582, 1, 1, 1583);
	walk(9997, 1, 1, 9999);
	/* 400 years are always 146097 days */
	assert_int_equal(ymd(2001, 1, 1) - ymd(1601, 1, 1), 146097);
	assert_int_equal(ymd(401, 3, 1) - ymd(1, 3, 1), 146097);
}

static void test_parse_empty(void **state)
{
	struct kerr err;

	(void)state;
	parse_bad(NULL);
	parse_bad("");
	date_parse("", NULL, &err);
	assert_true(err.msg[0] != '\0');
}

static void test_parse(void **state)
{
	(void)state;
	parse_ok("1970-01-01", 0);
	parse_ok("2024-02-29", 19782);
	parse_ok("20240229", 19782);
	parse_ok("2000-02-29", 11016);
	parse_ok("0001-01-01", -719162);
	parse_ok("00010101", -719162);
	parse_ok("9999-12-31", 2932896);
	parse_ok("99991231", 2932896);
	assert_int_equal(date_parse("2024-01-05", NULL, NULL), K_OK);
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-01",
		"2024-01-00", "2024-01-32", "2024-04-31", "0000-01-01",
		"00000101", "2024-1-5", "2024-01-5", "2024-1-05", "24-01-05",
		"2024-01-05x", "2024-01-05 ", " 2024-01-05", "2024/01/05",
		"2024.01.05", "05.01.2024", "2024-01-0 ", "2024-0a-01",
		"+024-01-01", "-024-01-01", "2024--1-01", "2024010",
		"202401051", "20230229", "20241301", "2024-01-05T00:00",
		"x", "today", "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94",
		"2024-01-05\n",
	};
	struct kerr err;
	kdate k;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++)
		parse_bad(bad[i]);

	date_parse("2023-02-29", &k, &err);
	assert_non_null(strstr(err.msg, "\"2023-02-29\""));
	date_parse("2024-1-5", &k, &err);
	assert_non_null(strstr(err.msg, "\"2024-1-5\""));
	assert_non_null(strstr(err.msg, "YYYY-MM-DD"));
}

static void test_format(void **state)
{
	char buf[DATE_BUFSZ];

	(void)state;
	fmt_is(0, "1970-01-01");
	fmt_is(19782, "2024-02-29");
	fmt_is(-1, "1969-12-31");
	fmt_is(-719162, "0001-01-01");
	fmt_is(2932896, "9999-12-31");
	fmt_is(DATE_NONE, "");
	fmt_is(-719163, "####-##-##");
	fmt_is(2932897, "####-##-##");
	fmt_is(INT32_MAX, "####-##-##");

	/* too small a buffer gets "", nothing at all for n = 0 */
	date_format(0, buf, DATE_BUFSZ - 1);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	date_format(0, buf, 0);
	assert_int_equal(buf[0], 'x');
	assert_null(date_format(0, NULL, 0));
}

static void test_format_parse_roundtrip(void **state)
{
	char buf[DATE_BUFSZ];
	kdate k, back;

	(void)state;
	for (k = -719162; k <= 2932896; k += 997) {
		date_format(k, buf, sizeof buf);
		assert_int_equal(date_parse(buf, &back, NULL), K_OK);
		assert_int_equal(back, k);
	}
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(ymd(1970, 1, 1)), 4);   /* Thursday */
	assert_int_equal(date_weekday(ymd(2024, 2, 29)), 4);  /* Thursday */
	assert_int_equal(date_weekday(ymd(1969, 12, 31)), 3); /* Wednesday */
	assert_int_equal(date_weekday(ymd(2000, 1, 1)), 6);   /* Saturday */
	assert_int_equal(date_weekday(ymd(2024, 3, 3)), 7);   /* Sunday */
	assert_int_equal(date_weekday(ymd(2024, 3, 4)), 1);   /* Monday */
	assert_int_equal(date_weekday(ymd(1900, 1, 1)), 1);   /* Monday */
	assert_int_equal(date_weekday(ymd(1, 1, 1)), 1);      /* Monday */
	assert_int_equal(date_weekday(ymd(9999, 12, 31)), 5); /* Friday */
	assert_int_equal(date_weekday(DATE_NONE), 0);
}

static void add_is(kdate from, int months, kdate want)
{
	kdate got = date_add_months(from, months);

	if (got != want) {
		char a[DATE_BUFSZ], b[DATE_BUFSZ], c[DATE_BUFSZ];

		print_error("%s %+d months is %s, want %s\n",
			    date_format(from, a, sizeof a), months,
			    date_format(got, b, sizeof b),
			    date_format(want, c, sizeof c));
	}
	assert_int_equal(got, want);
}

static void test_add_months(void **state)
{
	(void)state;
	add_is(ymd(2024, 1, 31), 1, ymd(2024, 2, 29));
	add_is(ymd(2023, 1, 31), 1, ymd(2023, 2, 28));
	add_is(ymd(1900, 1, 31), 1, ymd(1900, 2, 28));
	add_is(ymd(2000, 1, 31), 1, ymd(2000, 2, 29));
	add_is(ymd(2024, 1, 31), 3, ymd(2024, 4, 30));
	add_is(ymd(2024, 5, 15), 0, ymd(2024, 5, 15));
	add_is(ymd(2024, 12, 15), 1, ymd(2025, 1, 15));
	add_is(ymd(2024, 1, 15), 12, ymd(2025, 1, 15));
	add_is(ymd(2024, 2, 29), 12, ymd(2025, 2, 28));
	add_is(ymd(2024, 2, 29), 48, ymd(2028, 2, 29));
	add_is(ymd(2024, 1, 1), 1200, ymd(2124, 1, 1));
	/* negative */
	add_is(ymd(2024, 1, 15), -1, ymd(2023, 12, 15));
	add_is(ymd(2024, 3, 31), -1, ymd(2024, 2, 29));
	add_is(ymd(2024, 3, 31), -13, ymd(2023, 2, 28));
	add_is(ymd(2024, 5, 31), -24, ymd(2022, 5, 31));
	add_is(ymd(2024, 1, 1), -12 * 2023, ymd(1, 1, 1));
	/* leaving 0001..9999, or no date: DATE_NONE */
	add_is(ymd(1, 1, 1), -1, DATE_NONE);
	add_is(ymd(9999, 12, 1), 1, DATE_NONE);
	add_is(ymd(9999, 11, 30), 1, ymd(9999, 12, 30));
	add_is(ymd(2024, 1, 1), INT32_MAX, DATE_NONE);
	add_is(ymd(2024, 1, 1), INT32_MIN, DATE_NONE);
	add_is(DATE_NONE, 1, DATE_NONE);
	add_is(DATE_NONE, 0, DATE_NONE);
}

static void test_month_start_end(void **state)
{
	(void)state;
	assert_int_equal(date_month_start(ymd(2024, 2, 15)), ymd(2024, 2, 1));
	assert_int_equal(date_month_end(ymd(2024, 2, 15)), ymd(2024, 2, 29));
	assert_int_equal(date_month_end(ymd(2023, 2, 1)), ymd(2023, 2, 28));
	assert_int_equal(date_month_end(ymd(1900, 2, 28)), ymd(1900, 2, 28));
	assert_int_equal(date_month_start(ymd(2024, 12, 31)),
			 ymd(2024, 12, 1));
	assert_int_equal(date_month_end(ymd(2024, 12, 1)), ymd(2024, 12, 31));
	assert_int_equal(date_month_start(ymd(1, 1, 1)), ymd(1, 1, 1));
	assert_int_equal(date_month_end(ymd(9999, 12, 5)),
			 ymd(9999, 12, 31));
	assert_int_equal(date_month_start(DATE_NONE), DATE_NONE);
	assert_int_equal(date_month_end(DATE_NONE), DATE_NONE);
}

static kdate clock_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	assert_non_null(localtime_r(&now, &tm));
	return ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void test_today(void **state)
{
	kdate before, got, after;

	(void)state;
	assert_int_equal(setenv("KONTOR_TODAY", "2024-02-29", 1), 0);
	assert_int_equal(date_today(), ymd(2024, 2, 29));
	assert_int_equal(setenv("KONTOR_TODAY", "1999-12-31", 1), 0);
	assert_int_equal(date_today(), ymd(1999, 12, 31));

	/* unset, or not a date: the clock */
	assert_int_equal(unsetenv("KONTOR_TODAY"), 0);
	before = clock_today();
	got = date_today();
	after = clock_today();
	assert_true(got == before || got == after);
	assert_true(got > ymd(2020, 1, 1));

	assert_int_equal(setenv("KONTOR_TODAY", "2023-02-29", 1), 0);
	before = clock_today();
	got = date_today();
	after = clock_today();
	assert_true(got == before || got == after);
	assert_int_equal(unsetenv("KONTOR_TODAY"), 0);
}

static void test_now_us(void **state)
{
	int64_t a, b;

	(void)state;
	a = date_now_us();
	b = date_now_us();
	/* after 2020-01-01, in microseconds */
	assert_true(a > (int64_t)1577836800 * 1000000);
	assert_true(b >= a);
	assert_true(a / 1000000 - (int64_t)time(NULL) <= 1);
}

static void ts_is(int64_t us, const char *want)
{
	char buf[32];

	assert_ptr_equal(date_format_ts(us, buf, sizeof buf), buf);
	assert_string_equal(buf, want);
}

static void test_format_ts(void **state)
{
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	char small[10];

	(void)state;
	assert_int_equal(setenv("TZ", "UTC0", 1), 0);
	ts_is(0, "1970-01-01 00:00:00");
	ts_is(999999, "1970-01-01 00:00:00");
	ts_is(-1, "1969-12-31 23:59:59");
	ts_is(-1000000, "1969-12-31 23:59:59");
	ts_is(-1000001, "1969-12-31 23:59:58");
	ts_is((int64_t)19782 * 86400 * 1000000 + 123456, "2024-02-29 00:00:00");
	ts_is((int64_t)1709251199 * 1000000, "2024-02-29 23:59:59");

	/* local time: UTC+8 without daylight saving */
	assert_int_equal(setenv("TZ", "CST-8", 1), 0);
	ts_is(0, "1970-01-01 08:00:00");
	ts_is((int64_t)1709251199 * 1000000, "2024-03-01 07:59:59");

	/* too small a buffer: "" */
	date_format_ts(0, small, sizeof small);
	assert_string_equal(small, "");
	assert_null(date_format_ts(0, NULL, 0));

	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_from_ymd),
		cmocka_unit_test(test_to_ymd),
		cmocka_unit_test(test_roundtrip_1900_2100),
		cmocka_unit_test(test_roundtrip_edges),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_parse_roundtrip),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_month_start_end),
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_now_us),
		cmocka_unit_test(test_format_ts),
	};

	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
