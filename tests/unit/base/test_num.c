/*
 * test_num.c - integer money: parsing, formatting, checked arithmetic,
 * rounding and allocation; also the kerr diagnostics they fill in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "base/kerr.h"
#include "base/num.h"

#define SENTINEL ((int64_t)0x5A5A5A5A5A5A5A5ALL)
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void parse_ok(const char *s, int scale, int64_t want)
{
	struct kerr err;
	int64_t v = SENTINEL;
	int rc;

	kerr_clear(&err);
	rc = num_parse(s, scale, &v, &err);
	if (rc != K_OK)
		print_error("num_parse(\"%s\", %d): %s\n", s, scale, err.msg);
	assert_int_equal(rc, K_OK);
	assert_int_equal(err.code, K_OK);
	assert_true(v == want);
}

/* Checks the code, that *out is untouched and that a message was set. */
static void parse_err(const char *s, int scale, int code)
{
	struct kerr err;
	int64_t v = SENTINEL;
	int rc;

	kerr_clear(&err);
	rc = num_parse(s, scale, &v, &err);
	if (rc != code)
		print_error("num_parse(\"%s\", %d) gave %d, want %d\n",
			    s ? s : "(null)", scale, rc, code);
	assert_int_equal(rc, code);
	assert_int_equal(err.code, code);
	assert_true(err.msg[0] != '\0');
	assert_true(v == SENTINEL);
	/* err may be NULL */
	assert_int_equal(num_parse(s, scale, &v, NULL), code);
	assert_true(v == SENTINEL);
}

static void assert_sum(const int64_t *parts, size_t n, int64_t total)
{
	__int128 sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += parts[i];
	assert_true(sum == total);
}

/* ------------------------------------------------------------- kerr */

static void test_kerr_set(void **state)
{
	struct kerr err;

	(void)state;
	assert_int_equal(kerr_set(NULL, K_EINVAL, "x", "nothing %d", 1),
			 K_EINVAL);
	assert_int_equal(kerr_set(&err, K_ENOTFOUND, "customer",
				  "no customer \"%s\"", "C-1"), K_ENOTFOUND);
	assert_int_equal(err.code, K_ENOTFOUND);
	assert_string_equal(err.field, "customer");
	assert_string_equal(err.msg, "no customer \"C-1\"");

	assert_int_equal(kerr_set(&err, K_EBUSY, NULL, NULL), K_EBUSY);
	assert_string_equal(err.field, "");
	assert_string_equal(err.msg, "records busy, try again");

	/* one line for people */
	kerr_set(&err, K_EINVAL, NULL, "bad \"%s\"", "a\nb\rc");
	assert_string_equal(err.msg, "bad \"a b c\"");

	kerr_clear(&err);
	assert_int_equal(err.code, K_OK);
	assert_string_equal(err.field, "");
	assert_string_equal(err.msg, "");
	kerr_clear(NULL);
}

static void test_kerr_truncate(void **state)
{
	struct kerr err;
	char big[1200];
	size_t len;

	(void)state;
	/* a 3-byte character repeated past the end of msg */
	big[0] = '\0';
	while (strlen(big) + 3 < sizeof big)
		strcat(big, "\xe4\xb8\xad");
	kerr_set(&err, K_EINVAL, big, "%s", big);
	len = strlen(err.msg);
	assert_true(len < sizeof err.msg);
	assert_int_equal(len % 3, 0);
	assert_int_equal(strlen(err.field) % 3, 0);
	assert_true(strlen(err.field) < sizeof err.field);
}

static void test_kerr_prefix(void **state)
{
	struct kerr err;

	(void)state;
	assert_int_equal(kerr_prefix(NULL, "x"), K_EINTERNAL);
	kerr_set(&err, K_ECONFIG, "users", "unknown role \"%s\"", "boss");
	assert_int_equal(kerr_prefix(&err, "%s:%d", "kontor.conf", 12),
			 K_ECONFIG);
	assert_string_equal(err.msg,
			    "kontor.conf:12: unknown role \"boss\"");
	assert_string_equal(err.field, "users");
	kerr_clear(&err);
	kerr_prefix(&err, "only");
	assert_string_equal(err.msg, "only");
}

static void test_kerr_codes(void **state)
{
	(void)state;
	assert_string_equal(kerr_str(K_OK), "success");
	assert_string_equal(kerr_str(K_EINTERNAL), "internal error");
	assert_string_equal(kerr_str(-1), "unknown error");
	assert_string_equal(kerr_str(K_ECOUNT), "unknown error");
	assert_int_equal(kerr_exit_status(K_OK), 0);
	assert_int_equal(kerr_exit_status(K_EINVAL), 65);
	assert_int_equal(kerr_exit_status(K_ENOTFOUND), 66);
	assert_int_equal(kerr_exit_status(K_EUSAGE), 64);
	assert_int_equal(kerr_exit_status(K_ECONFIG), 78);
	assert_int_equal(kerr_exit_status(K_ECOUNT), 70);
	assert_int_equal(kerr_exit_status(-5), 70);
}

/* ------------------------------------------------------------ pow10 */

static void test_pow10(void **state)
{
	(void)state;
	assert_true(num_pow10(0) == 1);
	assert_true(num_pow10(2) == 100);
	assert_true(num_pow10(9) == 1000000000);
	assert_true(num_pow10(18) == 1000000000000000000LL);
	assert_true(num_pow10(-1) == 0);
	assert_true(num_pow10(19) == 0);
}

/* ------------------------------------------------------------ parse */

static void test_parse_empty(void **state)
{
	(void)state;
	parse_err(NULL, 2, K_EINVAL);
	parse_err("", 2, K_EINVAL);
	parse_err("   ", 2, K_EINVAL);
	parse_err("\t", 0, K_EINVAL);
	parse_err("-", 2, K_EINVAL);
	parse_err("+", 2, K_EINVAL);
	parse_err(".", 2, K_EINVAL);
	parse_err("-.", 2, K_EINVAL);
	parse_err("()", 2, K_EINVAL);
	parse_err(",", 2, K_EINVAL);
}

static void test_parse_plain(void **state)
{
	(void)state;
	parse_ok("1234.5", 2, 123450);
	parse_ok("0", 2, 0);
	parse_ok("-0", 2, 0);
	parse_ok("0.00", 2, 0);
	parse_ok("+3", 2, 300);
	parse_ok("-3", 2, -300);
	parse_ok("  42  ", 2, 4200);
	parse_ok("\t-7.5\n", 2, -750);
	parse_ok("007", 2, 700);
	parse_ok(".5", 2, 50);
	parse_ok("-.05", 2, -5);
	parse_ok("12.", 2, 1200);
	parse_ok("12.", 0, 12);
	parse_ok("12", 0, 12);
	parse_ok("1.2345", 4, 12345);
	parse_ok("2.5", 3, 2500);
	parse_ok("1", 9, 1000000000);
	parse_ok("0.000000001", 9, 1);
}

static void test_parse_grouped(void **state)
{
	(void)state;
	parse_ok("1,234.50", 2, 123450);
	parse_ok("-1,234.50", 2, -123450);
	parse_ok("+1,234", 2, 123400);
	parse_ok("1,234,567", 0, 1234567);
	parse_ok("12,345,678.9", 2, 1234567890);
	parse_ok("999", 0, 999);
	parse_ok("(12.50)", 2, -1250);
	parse_ok(" (1,234.50) ", 2, -123450);
	parse_ok("(3)", 0, -3);
	parse_ok("(0)", 0, 0);
}

static void test_parse_syntax(void **state)
{
	static const char *const bad[] = {
		"1,23.00", "1234,567", ",123", "1,,234", "1,234,", "12,34",
		"1,2345", "1.2.3", "1..2", "12a", "a12", "1e5", "1E5", "--1",
		"+-1", "-+1", "- 1", "1 2", "1.2,3", "1.234,5", "0x10",
		"(12", "12)", "(-12)", "-(12)", "((1))", "(1)2", "$12", "12%",
		"\xef\xbc\x91\xef\xbc\x92", ("1\xc2\xa0" "000"),
	};
	struct kerr err;
	int64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++)
		parse_err(bad[i], 2, K_EINVAL);

	num_parse("1,23.00", 2, &v, &err);
	assert_string_equal(err.field, "amount");
	assert_non_null(strstr(err.msg, "\"1,23.00\""));
	num_parse("  12a ", 2, &v, &err);
	assert_non_null(strstr(err.msg, "\"12a\""));
	num_parse("1.2.3", 2, &v, &err);
	assert_non_null(strstr(err.msg, "\"1.2.3\""));
	num_parse("(12", 2, &v, &err);
	assert_non_null(strstr(err.msg, "\"(12\""));
}

static void test_parse_decimals(void **state)
{
	struct kerr err;
	int64_t v = SENTINEL;

	(void)state;
	assert_int_equal(num_parse("1.234", 2, &v, &err), K_EINVAL);
	assert_string_equal(err.msg,
			    "too many decimals in \"1.234\" (at most 2)");
	assert_string_equal(err.field, "amount");
	assert_true(v == SENTINEL);

	parse_err("12.5", 0, K_EINVAL);
	assert_int_equal(num_parse("12.5", 0, &v, &err), K_EINVAL);
	assert_string_equal(err.msg,
			    "too many decimals in \"12.5\" (at most 0)");
	/* strict: trailing zeros beyond the scale are decimals too */
	parse_err("1.230", 2, K_EINVAL);
	parse_err("0.0000000001", 9, K_EINVAL);

	/* bad scale */
	parse_err("1", -1, K_EINVAL);
	parse_err("1", NUM_MAX_SCALE + 1, K_EINVAL);
}

static void test_parse_limits(void **state)
{
	char huge[300];

	(void)state;
	parse_ok("9223372036854775807", 0, INT64_MAX);
	parse_ok("-9223372036854775808", 0, INT64_MIN);
	parse_ok("(9223372036854775808)", 0, INT64_MIN);
	parse_ok("9,223,372,036,854,775,807", 0, INT64_MAX);
	parse_ok("-9,223,372,036,854,775,808", 0, INT64_MIN);
	parse_ok("92233720368547758.07", 2, INT64_MAX);
	parse_ok("-92,233,720,368,547,758.08", 2, INT64_MIN);
	parse_ok("9.223372036", 9, 9223372036LL);
	parse_ok("000000000000000000000000000001", 0, 1);

	parse_err("9223372036854775808", 0, K_ERANGE);
	parse_err("-9223372036854775809", 0, K_ERANGE);
	parse_err("(9223372036854775809)", 0, K_ERANGE);
	parse_err("92233720368547758.08", 2, K_ERANGE);
	parse_err("-92233720368547758.09", 2, K_ERANGE);
	parse_err("10000000000", 9, K_ERANGE);
	parse_err("99999999999999999999999999999999999999999999", 0,
		  K_ERANGE);

	/* syntax is checked before range */
	memset(huge, '9', sizeof huge - 2);
	huge[sizeof huge - 2] = 'x';
	huge[sizeof huge - 1] = '\0';
	parse_err(huge, 2, K_EINVAL);
	huge[sizeof huge - 2] = '9';
	parse_err(huge, 2, K_ERANGE);
}

/* ----------------------------------------------------------- format */

static void fmt_is(int64_t v, int scale, bool group, const char *want)
{
	char buf[NUM_BUFSZ];

	assert_ptr_equal(num_format(v, scale, group, buf, sizeof buf), buf);
	assert_string_equal(buf, want);
}

static void test_format(void **state)
{
	(void)state;
	fmt_is(0, 2, true, "0.00");
	fmt_is(0, 0, true, "0");
	fmt_is(5, 2, true, "0.05");
	fmt_is(-5, 2, true, "-0.05");
	fmt_is(-50, 2, false, "-0.50");
	fmt_is(123450, 2, true, "1,234.50");
	fmt_is(123450, 2, false, "1234.50");
	fmt_is(-123450, 2, true, "-1,234.50");
	fmt_is(-123450, 2, false, "-1234.50");
	fmt_is(99999, 2, true, "999.99");
	fmt_is(100000, 2, true, "1,000.00");
	fmt_is(-100000, 2, true, "-1,000.00");
	fmt_is(999, 0, true, "999");
	fmt_is(-999, 0, true, "-999");
	fmt_is(123456, 0, true, "123,456");
	fmt_is(-123456, 0, true, "-123,456");
	fmt_is(1234567, 0, true, "1,234,567");
	fmt_is(12345, 4, true, "1.2345");
	fmt_is(2500, 3, true, "2.500");
	fmt_is(1, 18, false, "0.000000000000000001");
}

static void test_format_limits(void **state)
{
	char buf[NUM_BUFSZ];
	char small[6];

	(void)state;
	fmt_is(INT64_MAX, 0, true, "9,223,372,036,854,775,807");
	fmt_is(INT64_MAX, 0, false, "9223372036854775807");
	fmt_is(INT64_MIN, 0, true, "-9,223,372,036,854,775,808");
	fmt_is(INT64_MIN, 0, false, "-9223372036854775808");
	fmt_is(INT64_MIN, 2, true, "-92,233,720,368,547,758.08");
	fmt_is(INT64_MIN, 18, true, "-9.223372036854775808");
	fmt_is(INT64_MAX, 18, true, "9.223372036854775807");
	fmt_is(INT64_MIN + 1, 9, true, "-9,223,372,036.854775807");

	/* too small a buffer or a bad scale: '#', never a cut number */
	num_format(123456, 2, true, small, sizeof small);
	assert_string_equal(small, "#####");
	num_format(1234, 2, false, small, sizeof small);
	assert_string_equal(small, "12.34");
	num_format(1, -1, true, buf, 4);
	assert_string_equal(buf, "###");
	num_format(1, 19, true, buf, 4);
	assert_string_equal(buf, "###");
	assert_null(num_format(1, 2, true, NULL, 0));
	buf[0] = 'x';
	num_format(1, 2, true, buf, 0);
	assert_int_equal(buf[0], 'x');
}

static void test_format_roundtrip(void **state)
{
	static const int64_t vals[] = {
		0, 1, -1, 9, 10, 99, 100, 999, 1000, -1000, 123456789,
		-987654321012LL, INT64_MAX, INT64_MIN, INT64_MAX - 1,
		INT64_MIN + 1,
	};
	static const int scales[] = { 0, 2, 3, 4, 6, 9 };
	char buf[NUM_BUFSZ];
	size_t i, j;
	int g;

	(void)state;
	for (i = 0; i < NELEM(vals); i++)
		for (j = 0; j < NELEM(scales); j++)
			for (g = 0; g < 2; g++) {
				num_format(vals[i], scales[j], g, buf,
					   sizeof buf);
				parse_ok(buf, scales[j], vals[i]);
			}
}

/* ------------------------------------------------------- arithmetic */

static void test_add_sub(void **state)
{
	int64_t v = SENTINEL;

	(void)state;
	assert_int_equal(num_add(2, 3, &v), K_OK);
	assert_true(v == 5);
	assert_int_equal(num_add(INT64_MAX - 1, 1, &v), K_OK);
	assert_true(v == INT64_MAX);
	assert_int_equal(num_add(INT64_MAX, INT64_MIN, &v), K_OK);
	assert_true(v == -1);

	v = SENTINEL;
	assert_int_equal(num_add(INT64_MAX, 1, &v), K_ERANGE);
	assert_int_equal(num_add(INT64_MIN, -1, &v), K_ERANGE);
	assert_int_equal(num_add(INT64_MIN, INT64_MIN, &v), K_ERANGE);
	assert_true(v == SENTINEL);

	assert_int_equal(num_sub(5, 7, &v), K_OK);
	assert_true(v == -2);
	assert_int_equal(num_sub(-1, INT64_MAX, &v), K_OK);
	assert_true(v == INT64_MIN);
	v = SENTINEL;
	assert_int_equal(num_sub(INT64_MIN, 1, &v), K_ERANGE);
	assert_int_equal(num_sub(0, INT64_MIN, &v), K_ERANGE);
	assert_int_equal(num_sub(INT64_MAX, -1, &v), K_ERANGE);
	assert_true(v == SENTINEL);
}

static void test_mul(void **state)
{
	int64_t v = SENTINEL;

	(void)state;
	assert_int_equal(num_mul(-4, 25, &v), K_OK);
	assert_true(v == -100);
	assert_int_equal(num_mul(3037000499LL, 3037000499LL, &v), K_OK);
	assert_true(v == 9223372030926249001LL);
	assert_int_equal(num_mul(INT64_MIN, 1, &v), K_OK);
	assert_true(v == INT64_MIN);
	assert_int_equal(num_mul(INT64_MAX, -1, &v), K_OK);
	assert_true(v == -INT64_MAX);

	v = SENTINEL;
	assert_int_equal(num_mul(INT64_MIN, -1, &v), K_ERANGE);
	assert_int_equal(num_mul(INT64_MAX, 2, &v), K_ERANGE);
	assert_int_equal(num_mul(3037000500LL, 3037000500LL, &v), K_ERANGE);
	assert_int_equal(num_mul(INT64_MIN, INT64_MIN, &v), K_ERANGE);
	assert_true(v == SENTINEL);
}

static void round_is(__int128 n, __int128 d, int64_t want)
{
	int64_t v = SENTINEL;

	assert_int_equal(num_round_div(n, d, &v), K_OK);
	assert_true(v == want);
}

static void test_round_div(void **state)
{
	const __int128 i128_min = -(__int128)(((unsigned __int128)1 << 127) - 1) - 1;
	const __int128 i128_max = (__int128)(((unsigned __int128)1 << 127) - 1);
	int64_t v = SENTINEL;

	(void)state;
	/* half away from zero */
	round_is(25, 10, 3);
	round_is(-25, 10, -3);
	round_is(25, -10, -3);
	round_is(-25, -10, 3);
	round_is(24, 10, 2);
	round_is(-24, 10, -2);
	round_is(26, 10, 3);
	round_is(-26, 10, -3);
	round_is(15, 10, 2);
	round_is(5, 2, 3);
	round_is(-5, 2, -3);
	round_is(1, 3, 0);
	round_is(2, 3, 1);
	round_is(-2, 3, -1);
	round_is(-1, 3, 0);
	round_is(0, 7, 0);
	round_is(49, 100, 0);
	round_is(50, 100, 1);
	round_is(-50, 100, -1);
	round_is(42, 1, 42);
	round_is(42, -1, -42);

	/* limits */
	round_is(INT64_MAX, 1, INT64_MAX);
	round_is(INT64_MIN, 1, INT64_MIN);
	round_is(-(__int128)INT64_MIN, -1, INT64_MIN);
	round_is((__int128)INT64_MAX * 10 + 4, 10, INT64_MAX);
	round_is((__int128)INT64_MIN * 10 - 4, 10, INT64_MIN);
	round_is(i128_min, i128_min, 1);
	round_is(i128_min + 1, i128_min, 1);
	round_is(i128_min / 2 + 1, i128_min, 0);
	round_is(i128_min / 2, i128_min, 1);
	round_is(1, i128_min, 0);
	round_is(i128_max, i128_max, 1);
	round_is(i128_max / 2, i128_max, 0);
	round_is(i128_max / 2 + 1, i128_max, 1);

	assert_int_equal(num_round_div(1, 0, &v), K_EINVAL);
	assert_int_equal(num_round_div((__int128)INT64_MAX + 1, 1, &v),
			 K_ERANGE);
	assert_int_equal(num_round_div((__int128)INT64_MAX * 10 + 5, 10, &v),
			 K_ERANGE);
	assert_int_equal(num_round_div((__int128)INT64_MIN * 10 - 5, 10, &v),
			 K_ERANGE);
	assert_int_equal(num_round_div(INT64_MIN, -1, &v), K_ERANGE);
	assert_int_equal(num_round_div(i128_min, -1, &v), K_ERANGE);
	assert_int_equal(num_round_div(i128_max, 1, &v), K_ERANGE);
	assert_int_equal(num_round_div(i128_min, 1, &v), K_ERANGE);
	assert_true(v == SENTINEL);
}

static void test_mul_scaled(void **state)
{
	int64_t v = SENTINEL;
	const int drop = NUM_QTY_SCALE + NUM_PRICE_SCALE - NUM_MONEY_SCALE;

	(void)state;
	/* 2.500 x 1.2345 = 3.08625 -> 3.09 */
	assert_int_equal(num_mul_scaled(2500, 12345, drop, &v), K_OK);
	assert_true(v == 309);
	/* 3.000 x 19.9900 = 59.97 exactly */
	assert_int_equal(num_mul_scaled(3000, 199900, drop, &v), K_OK);
	assert_true(v == 5997);
	/* 1.000 x 0.0050 = 0.005 -> 0.01; negative -> -0.01 */
	assert_int_equal(num_mul_scaled(1000, 50, drop, &v), K_OK);
	assert_true(v == 1);
	assert_int_equal(num_mul_scaled(-1000, 50, drop, &v), K_OK);
	assert_true(v == -1);
	assert_int_equal(num_mul_scaled(1000, -50, drop, &v), K_OK);
	assert_true(v == -1);
	/* 1.000 x 0.0049 = 0.0049 -> 0.00 */
	assert_int_equal(num_mul_scaled(1000, 49, drop, &v), K_OK);
	assert_true(v == 0);
	/* 0.333 x 3.0000 = 0.999 -> 1.00 */
	assert_int_equal(num_mul_scaled(333, 30000, drop, &v), K_OK);
	assert_true(v == 100);
	/* -2.500 x 1.2345 = -3.08625 -> -3.09 */
	assert_int_equal(num_mul_scaled(-2500, 12345, drop, &v), K_OK);
	assert_true(v == -309);
	/* 1,000,000.000 x 99,999.9999 = 99,999,999,900.00 */
	assert_int_equal(num_mul_scaled(1000000000LL, 999999999LL, drop, &v),
			 K_OK);
	assert_true(v == 9999999990000LL);
	/* drop 0 is plain multiplication */
	assert_int_equal(num_mul_scaled(-7, 6, 0, &v), K_OK);
	assert_true(v == -42);
	/* the product may exceed int64 as long as the result does not */
	assert_int_equal(num_mul_scaled(INT64_MAX, 10, 1, &v), K_OK);
	assert_true(v == INT64_MAX);
	assert_int_equal(num_mul_scaled(INT64_MIN, INT64_MIN, 18, &v),
			 K_ERANGE);
	assert_int_equal(num_mul_scaled(INT64_MIN, 1000, 3, &v), K_OK);
	assert_true(v == INT64_MIN);

	v = SENTINEL;
	assert_int_equal(num_mul_scaled(INT64_MAX, INT64_MAX, 0, &v),
			 K_ERANGE);
	assert_int_equal(num_mul_scaled(INT64_MAX, 2, 0, &v), K_ERANGE);
	assert_int_equal(num_mul_scaled(1, 1, -1, &v), K_EINVAL);
	assert_int_equal(num_mul_scaled(1, 1, 19, &v), K_EINVAL);
	assert_true(v == SENTINEL);
}

static void test_mul_div(void **state)
{
	int64_t v = SENTINEL;

	(void)state;
	/* 100.00 / 3 = 33.33; 200.00 / 3 = 66.67 */
	assert_int_equal(num_mul_div(10000, 1, 3, &v), K_OK);
	assert_true(v == 3333);
	assert_int_equal(num_mul_div(20000, 1, 3, &v), K_OK);
	assert_true(v == 6667);
	assert_int_equal(num_mul_div(-20000, 1, 3, &v), K_OK);
	assert_true(v == -6667);
	/* 13% (rate scale 6) of 100.00 and of 0.50 (0.065 -> 0.07) */
	assert_int_equal(num_mul_div(10000, 130000, 1000000, &v), K_OK);
	assert_true(v == 1300);
	assert_int_equal(num_mul_div(50, 130000, 1000000, &v), K_OK);
	assert_true(v == 7);
	assert_int_equal(num_mul_div(5, 1, -2, &v), K_OK);
	assert_true(v == -3);
	assert_int_equal(num_mul_div(INT64_MAX, INT64_MAX, INT64_MAX, &v),
			 K_OK);
	assert_true(v == INT64_MAX);
	assert_int_equal(num_mul_div(INT64_MIN, INT64_MIN, INT64_MIN, &v),
			 K_OK);
	assert_true(v == INT64_MIN);

	v = SENTINEL;
	assert_int_equal(num_mul_div(1, 1, 0, &v), K_EINVAL);
	assert_int_equal(num_mul_div(INT64_MAX, 3, 2, &v), K_ERANGE);
	assert_int_equal(num_mul_div(INT64_MIN, -1, 1, &v), K_ERANGE);
	assert_true(v == SENTINEL);
}

static void test_rescale(void **state)
{
	int64_t v = SENTINEL;

	(void)state;
	assert_int_equal(num_rescale(12345, 2, 4, &v), K_OK);
	assert_true(v == 1234500);
	assert_int_equal(num_rescale(12345, 4, 2, &v), K_OK);
	assert_true(v == 123);
	assert_int_equal(num_rescale(12350, 4, 2, &v), K_OK);
	assert_true(v == 124);
	assert_int_equal(num_rescale(-12350, 4, 2, &v), K_OK);
	assert_true(v == -124);
	assert_int_equal(num_rescale(-12349, 4, 2, &v), K_OK);
	assert_true(v == -123);
	assert_int_equal(num_rescale(250, 2, 0, &v), K_OK);
	assert_true(v == 3);
	assert_int_equal(num_rescale(-250, 2, 0, &v), K_OK);
	assert_true(v == -3);
	assert_int_equal(num_rescale(-240, 2, 0, &v), K_OK);
	assert_true(v == -2);
	assert_int_equal(num_rescale(777, 3, 3, &v), K_OK);
	assert_true(v == 777);
	assert_int_equal(num_rescale(INT64_MIN, 18, 0, &v), K_OK);
	assert_true(v == -9);
	assert_int_equal(num_rescale(INT64_MAX, 1, 0, &v), K_OK);
	assert_true(v == 922337203685477581LL);

	v = SENTINEL;
	assert_int_equal(num_rescale(INT64_MAX, 0, 1, &v), K_ERANGE);
	assert_int_equal(num_rescale(INT64_MIN, 2, 4, &v), K_ERANGE);
	assert_int_equal(num_rescale(10, 0, 18, &v), K_ERANGE);
	assert_int_equal(num_rescale(1, -1, 2, &v), K_EINVAL);
	assert_int_equal(num_rescale(1, 2, 19, &v), K_EINVAL);
	assert_true(v == SENTINEL);
}

/* ------------------------------------------------------- allocation */

static void test_allocate(void **state)
{
	int64_t p[10];
	int64_t one = SENTINEL;
	size_t i;

	(void)state;
	assert_int_equal(num_allocate(10000, 3, p), K_OK);
	assert_true(p[0] == 3334 && p[1] == 3333 && p[2] == 3333);
	assert_int_equal(num_allocate(-10000, 3, p), K_OK);
	assert_true(p[0] == -3334 && p[1] == -3333 && p[2] == -3333);
	assert_int_equal(num_allocate(2, 3, p), K_OK);
	assert_true(p[0] == 1 && p[1] == 1 && p[2] == 0);
	assert_int_equal(num_allocate(-2, 3, p), K_OK);
	assert_true(p[0] == -1 && p[1] == -1 && p[2] == 0);
	assert_int_equal(num_allocate(9, 3, p), K_OK);
	assert_true(p[0] == 3 && p[1] == 3 && p[2] == 3);

	assert_int_equal(num_allocate(0, 4, p), K_OK);
	for (i = 0; i < 4; i++)
		assert_true(p[i] == 0);
	assert_int_equal(num_allocate(5, 10, p), K_OK);
	for (i = 0; i < 10; i++)
		assert_true(p[i] == (i < 5 ? 1 : 0));

	assert_int_equal(num_allocate(1234, 1, &one), K_OK);
	assert_true(one == 1234);
	assert_int_equal(num_allocate(INT64_MIN, 1, &one), K_OK);
	assert_true(one == INT64_MIN);
	assert_int_equal(num_allocate(INT64_MIN, 3, p), K_OK);
	assert_sum(p, 3, INT64_MIN);
	assert_true(p[0] == p[1] && p[1] == p[2] - 1);
	assert_int_equal(num_allocate(INT64_MAX, 7, p), K_OK);
	assert_sum(p, 7, INT64_MAX);
	assert_int_equal(num_allocate(INT64_MAX, 10, p), K_OK);
	assert_sum(p, 10, INT64_MAX);

	one = SENTINEL;
	assert_int_equal(num_allocate(100, 0, &one), K_EINVAL);
	assert_true(one == SENTINEL);
	assert_int_equal(num_allocate(100, 3, NULL), K_EINVAL);
}

static void weighted_is(int64_t total, size_t n, const int64_t *w,
			const int64_t *want)
{
	int64_t p[16];
	size_t i;

	assert_true(n <= NELEM(p));
	assert_int_equal(num_allocate_weighted(total, n, w, p), K_OK);
	for (i = 0; i < n; i++) {
		if (p[i] != want[i])
			print_error("part %zu is %lld, want %lld\n", i,
				    (long long)p[i], (long long)want[i]);
		assert_true(p[i] == want[i]);
	}
	assert_sum(p, n, total);
}

static void test_allocate_weighted(void **state)
{
	(void)state;
	/* ties go to the earlier part */
	weighted_is(10000, 3, (int64_t[]){ 1, 1, 1 },
		    (int64_t[]){ 3334, 3333, 3333 });
	weighted_is(-10000, 3, (int64_t[]){ 1, 1, 1 },
		    (int64_t[]){ -3334, -3333, -3333 });
	weighted_is(2, 3, (int64_t[]){ 5, 5, 5 }, (int64_t[]){ 1, 1, 0 });
	/* the largest remainder wins: 33.33.. and 66.66.. */
	weighted_is(100, 2, (int64_t[]){ 1, 2 }, (int64_t[]){ 33, 67 });
	weighted_is(-100, 2, (int64_t[]){ 1, 2 }, (int64_t[]){ -33, -67 });
	/* 1/6, 2/6, 3/6 of 10: 1.67, 3.33, 5 */
	weighted_is(10, 3, (int64_t[]){ 1, 2, 3 }, (int64_t[]){ 2, 3, 5 });
	weighted_is(1, 4, (int64_t[]){ 3, 3, 3, 1 },
		    (int64_t[]){ 1, 0, 0, 0 });
	weighted_is(1, 4, (int64_t[]){ 1, 3, 3, 3 },
		    (int64_t[]){ 0, 1, 0, 0 });
	/* zero weights get nothing, not even a remainder unit */
	weighted_is(100, 4, (int64_t[]){ 0, 1, 0, 1 },
		    (int64_t[]){ 0, 50, 0, 50 });
	weighted_is(1, 3, (int64_t[]){ 0, 1, 1 }, (int64_t[]){ 0, 1, 0 });
	weighted_is(101, 3, (int64_t[]){ 0, 1, 1 },
		    (int64_t[]){ 0, 51, 50 });
	weighted_is(7, 3, (int64_t[]){ 0, 0, 9 }, (int64_t[]){ 0, 0, 7 });
	/* n = 1, total 0 */
	weighted_is(12345, 1, (int64_t[]){ 42 }, (int64_t[]){ 12345 });
	weighted_is(0, 3, (int64_t[]){ 1, 2, 3 }, (int64_t[]){ 0, 0, 0 });
	/* limits */
	weighted_is(INT64_MIN, 1, (int64_t[]){ INT64_MAX },
		    (int64_t[]){ INT64_MIN });
	weighted_is(INT64_MIN, 2, (int64_t[]){ INT64_MAX, INT64_MAX },
		    (int64_t[]){ INT64_MIN / 2, INT64_MIN / 2 });
	weighted_is(INT64_MAX, 2, (int64_t[]){ INT64_MAX, INT64_MAX },
		    (int64_t[]){ INT64_MAX / 2 + 1, INT64_MAX / 2 });
	weighted_is(INT64_MAX, 3, (int64_t[]){ 1, INT64_MAX, 0 },
		    (int64_t[]){ 1, INT64_MAX - 1, 0 });
}

static void test_allocate_weighted_errors(void **state)
{
	int64_t p[3] = { SENTINEL, SENTINEL, SENTINEL };

	(void)state;
	assert_int_equal(num_allocate_weighted(100, 3, (int64_t[]){ 0, 0, 0 },
					       p), K_EINVAL);
	assert_int_equal(num_allocate_weighted(100, 3, (int64_t[]){ 1, -1, 1 },
					       p), K_EINVAL);
	assert_int_equal(num_allocate_weighted(100, 0, (int64_t[]){ 1 }, p),
			 K_EINVAL);
	assert_int_equal(num_allocate_weighted(100, 1, NULL, p), K_EINVAL);
	assert_int_equal(num_allocate_weighted(100, 1, (int64_t[]){ 1 },
					       NULL), K_EINVAL);
	assert_true(p[0] == SENTINEL && p[1] == SENTINEL && p[2] == SENTINEL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kerr_set),
		cmocka_unit_test(test_kerr_truncate),
		cmocka_unit_test(test_kerr_prefix),
		cmocka_unit_test(test_kerr_codes),
		cmocka_unit_test(test_pow10),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_plain),
		cmocka_unit_test(test_parse_grouped),
		cmocka_unit_test(test_parse_syntax),
		cmocka_unit_test(test_parse_decimals),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_limits),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_add_sub),
		cmocka_unit_test(test_mul),
		cmocka_unit_test(test_round_div),
		cmocka_unit_test(test_mul_scaled),
		cmocka_unit_test(test_mul_div),
		cmocka_unit_test(test_rescale),
		cmocka_unit_test(test_allocate),
		cmocka_unit_test(test_allocate_weighted),
		cmocka_unit_test(test_allocate_weighted_errors),
	};

	return cmocka_run_group_tests_name("num", tests, NULL, NULL);
}
