/*
 * test_fieldcheck.c - a form file's checks on one field: required,
 * length in characters, choices, pattern, minimum and maximum compared
 * as values, the type's own parse, and the keystroke filter per type.
 *
 * The form field (struct fd_field) and the schema field (struct
 * store_field) are built by hand, as the form reader and an entity's
 * schema would give them.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/kerr.h"
#include "base/num.h"
#include "base/utf8.h"
#include "ui/fieldcheck.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define ZHONG "\xe4\xb8\xad"    /* 中 */
#define WEN "\xe6\x96\x87"      /* 文 */
#define ZI "\xe5\xad\x97"       /* 字 */

/* ------------------------------------------------------------ helpers */

/* A form field with a name and label and nothing else. */
static struct fd_field field(const char *name, const char *label)
{
	struct fd_field f;

	memset(&f, 0, sizeof f);
	f.name = (char *)name;
	f.label = (char *)label;
	f.row = 1;
	f.width = 12;
	return f;
}

static struct store_field sfield(const char *name, enum store_ftype t)
{
	struct store_field s;

	memset(&s, 0, sizeof s);
	s.tag = 1;
	s.name = name;
	s.type = t;
	return s;
}

/* fc_check must accept text. */
static void accepted(const struct fd_field *fd,
		     const struct store_field *sf, const char *text)
{
	struct kerr err;
	int rc;

	kerr_clear(&err);
	rc = fc_check(fd, sf, text, &err);
	if (rc != 0)
		print_error("\"%s\" refused: %s\n", text, err.msg);
	assert_int_equal(rc, 0);
}

/*
 * fc_check must refuse text with K_EINVAL, err->field the field's name
 * and a message containing each of the NULL-ended words.
 */
static void refused(const struct fd_field *fd,
		    const struct store_field *sf, const char *text, ...)
{
	struct kerr err;
	const char *w;
	va_list ap;
	int rc;

	kerr_clear(&err);
	rc = fc_check(fd, sf, text, &err);
	if (rc != K_EINVAL)
		print_error("\"%s\": %d (%s)\n", text, rc, err.msg);
	assert_int_equal(rc, K_EINVAL);
	assert_int_equal(err.code, K_EINVAL);
	assert_string_equal(err.field, fd->name);
	assert_true(utf8_valid(err.msg, strlen(err.msg)));
	va_start(ap, text);
	while ((w = va_arg(ap, const char *)) != NULL) {
		if (!strstr(err.msg, w))
			print_error("\"%s\": message \"%s\" lacks \"%s\"\n",
				    text, err.msg, w);
		assert_non_null(strstr(err.msg, w));
	}
	va_end(ap);
}

/* ----------------------------------------------------------- required */

static void test_required(void **state)
{
	struct fd_field fd = field("credit_limit", "Credit limit");
	struct store_field sf = sfield("credit_limit", SF_MONEY);
	struct fd_field name = field("name", "Name");
	struct store_field tf = sfield("name", SF_TEXT);
	struct kerr err;

	(void)state;
	fd.required = true;
	refused(&fd, &sf, "", "Credit limit", "required", NULL);
	kerr_clear(&err);
	assert_int_equal(fc_check(&fd, &sf, "", &err), K_EINVAL);
	assert_string_equal(err.field, "credit_limit");
	assert_string_equal(err.msg, "Credit limit is required");
	accepted(&fd, &sf, "0");

	/* not required: empty passes, whatever else is asked of it */
	fd.required = false;
	fd.min = "1";
	fd.max = "2";
	fd.pattern = "^x$";
	accepted(&fd, &sf, "");
	name.nchoices = 1;
	name.choices = (char *[]){ "only" };
	accepted(&name, &tf, "");

	/* a NULL err is allowed */
	fd.required = true;
	fd.pattern = NULL;
	assert_int_equal(fc_check(&fd, &sf, "", NULL), K_EINVAL);
	assert_int_equal(fc_check(&fd, &sf, "1.5", NULL), 0);
}

/* ------------------------------------------------------------- length */

static void test_max_len(void **state)
{
	struct fd_field fd = field("code", "Code");
	struct store_field sf = sfield("code", SF_TEXT);
	struct kerr err;

	(void)state;
	fd.max_len = 3;
	accepted(&fd, &sf, "a");
	accepted(&fd, &sf, "abc");
	refused(&fd, &sf, "abcd", "Code", "at most 3 characters", NULL);
	/* characters, not bytes: 9 bytes of CJK are 3 characters */
	accepted(&fd, &sf, ZHONG WEN ZI);
	refused(&fd, &sf, ZHONG WEN ZI "x", "Code", "3", NULL);
	accepted(&fd, &sf, "\xc3\xbc\xc3\xbc\xc3\xbc");          /* üüü */
	refused(&fd, &sf, "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc", "at most", NULL);

	kerr_clear(&err);
	fc_check(&fd, &sf, "abcd", &err);
	assert_string_equal(err.msg, "Code: at most 3 characters");

	/* 0: no limit */
	fd.max_len = 0;
	accepted(&fd, &sf, "a very long text that goes on and on and on");
}

static void test_invalid_utf8(void **state)
{
	struct fd_field fd = field("name", "Name");
	struct store_field sf = sfield("name", SF_TEXT);

	(void)state;
	refused(&fd, &sf, "\xff", "Name", "UTF-8", NULL);
	refused(&fd, &sf, "ab\xe4\xb8", "UTF-8", NULL);
	refused(&fd, &sf, "\xed\xa0\x80", "UTF-8", NULL);
	accepted(&fd, &sf, ZHONG);
}

/* ------------------------------------------------------------ choices */

static void test_choices(void **state)
{
	char *choices[] = { "active", "blocked", ZHONG WEN };
	struct fd_field fd = field("status", "Status");
	struct store_field sf = sfield("status", SF_TEXT);
	struct kerr err;

	(void)state;
	fd.choices = choices;
	fd.nchoices = NELEM(choices);
	accepted(&fd, &sf, "active");
	accepted(&fd, &sf, "blocked");
	accepted(&fd, &sf, ZHONG WEN);
	refused(&fd, &sf, "Active", "Status", "active, blocked, " ZHONG WEN,
		NULL);
	refused(&fd, &sf, "activ", "one of", NULL);
	refused(&fd, &sf, "active ", "one of", NULL);
	kerr_clear(&err);
	fc_check(&fd, &sf, "gone", &err);
	assert_string_equal(err.msg, "Status must be one of: active, blocked, "
			    ZHONG WEN);

	/* many long choices: the message is cut, never overrun */
	{
		static char long_choices[40][24];
		char *lc[40];
		size_t i;

		for (i = 0; i < NELEM(lc); i++) {
			snprintf(long_choices[i], sizeof long_choices[i],
				 "choice-number-%zu", i);
			lc[i] = long_choices[i];
		}
		fd.choices = lc;
		fd.nchoices = NELEM(lc);
		accepted(&fd, &sf, "choice-number-39");
		refused(&fd, &sf, "nope", "Status", "choice-number-0, ", NULL);
		kerr_clear(&err);
		fc_check(&fd, &sf, "nope", &err);
		assert_true(strlen(err.msg) < sizeof err.msg);
	}

	/* a list cut short never ends in half a character */
	{
		static char cjk[30][32];
		char *cc[30];
		size_t i, shift;

		for (shift = 0; shift < 9; shift++) {
			for (i = 0; i < NELEM(cc); i++) {
				snprintf(cjk[i], sizeof cjk[i], "%.*s%zu" ZHONG
					 WEN ZI, (int)shift, "xxxxxxxx", i);
				cc[i] = cjk[i];
			}
			fd.choices = cc;
			fd.nchoices = NELEM(cc);
			refused(&fd, &sf, "nope", "Status", "one of", NULL);
		}
	}
}

/* ------------------------------------------------------------ pattern */

static void test_pattern(void **state)
{
	struct fd_field fd = field("email", "E-mail");
	struct store_field sf = sfield("email", SF_TEXT);
	struct kerr err;

	(void)state;
	fd.pattern = "^[^@ ]+@[^@ ]+$";
	accepted(&fd, &sf, "a@b");
	accepted(&fd, &sf, "clerk@example.com");
	refused(&fd, &sf, "ab", "E-mail", "expected form", NULL);
	refused(&fd, &sf, "a@b@c", "E-mail", NULL);
	refused(&fd, &sf, "a b@c", "E-mail", NULL);

	/* the pattern is checked after the type's parse */
	{
		struct fd_field amt = field("amount", "Amount");
		struct store_field msf = sfield("amount", SF_MONEY);

		amt.pattern = "^[0-9]+$";
		accepted(&amt, &msf, "12");
		refused(&amt, &msf, "1.5", "expected form", NULL);
		refused(&amt, &msf, "x", "not an amount", NULL);
	}

	/* a pattern that does not compile is the form's fault */
	fd.pattern = "([a-z";
	kerr_clear(&err);
	assert_int_equal(fc_check(&fd, &sf, "abc", &err), K_EINTERNAL);
	assert_string_equal(err.field, "email");
	assert_non_null(strstr(err.msg, "pattern"));
}

/* ------------------------------------------------- minimum, maximum */

static void test_money_range(void **state)
{
	struct fd_field fd = field("credit_limit", "Credit limit");
	struct store_field sf = sfield("credit_limit", SF_MONEY);
	struct kerr err;

	(void)state;
	fd.min = "0";
	fd.max = "99999999.99";
	accepted(&fd, &sf, "0");
	accepted(&fd, &sf, "0.00");
	accepted(&fd, &sf, "12.5");
	accepted(&fd, &sf, "1,234.50");
	accepted(&fd, &sf, "99999999.99");
	accepted(&fd, &sf, "99,999,999.99");
	refused(&fd, &sf, "-0.01", "Credit limit", "at least 0", NULL);
	refused(&fd, &sf, "(5)", "at least 0", NULL);
	refused(&fd, &sf, "100000000", "Credit limit", "at most 99999999.99",
		NULL);
	refused(&fd, &sf, "99999999.991", "too many decimals", NULL);
	kerr_clear(&err);
	fc_check(&fd, &sf, "-1", &err);
	assert_string_equal(err.msg, "Credit limit must be at least 0");
	kerr_clear(&err);
	fc_check(&fd, &sf, "100000000.00", &err);
	assert_string_equal(err.msg,
			    "Credit limit must be at most 99999999.99");

	/* values, not texts: "10" is more than "9" */
	fd.min = NULL;
	fd.max = "9";
	accepted(&fd, &sf, "9");
	accepted(&fd, &sf, "9.00");
	accepted(&fd, &sf, "8.99");
	refused(&fd, &sf, "10", "at most 9", NULL);
	refused(&fd, &sf, "9.01", "at most 9", NULL);
	fd.max = NULL;
	fd.min = "10";
	accepted(&fd, &sf, "10");
	accepted(&fd, &sf, "100");
	refused(&fd, &sf, "9", "at least 10", NULL);
	refused(&fd, &sf, "2", "at least 10", NULL);
}

static void test_other_amounts(void **state)
{
	struct fd_field fd = field("qty", "Quantity");
	struct store_field sf = sfield("qty", SF_QTY);

	(void)state;
	accepted(&fd, &sf, "1.234");
	refused(&fd, &sf, "1.2345", "Quantity", "too many decimals", NULL);
	sf.type = SF_PRICE;
	accepted(&fd, &sf, "1.2345");
	refused(&fd, &sf, "1.23456", "too many decimals", NULL);
	sf.type = SF_RATE;
	accepted(&fd, &sf, "0.123456");
	refused(&fd, &sf, "0.1234567", "too many decimals", NULL);
	sf.type = SF_MONEY;
	refused(&fd, &sf, "12.345", "too many decimals", NULL);
	refused(&fd, &sf, "abc", "not an amount: abc", NULL);
	refused(&fd, &sf, "1.2.3", "not an amount", NULL);
	refused(&fd, &sf, "1,23", "not an amount", NULL);
	refused(&fd, &sf, "--1", "not an amount", NULL);

	/* a quantity range compares at scale 3 */
	sf.type = SF_QTY;
	fd.min = "0.001";
	fd.max = "10";
	accepted(&fd, &sf, "0.001");
	accepted(&fd, &sf, "10.000");
	refused(&fd, &sf, "0", "at least 0.001", NULL);
	refused(&fd, &sf, "10.001", "at most 10", NULL);
}

static void test_int_range(void **state)
{
	struct fd_field fd = field("days", "Payment days");
	struct store_field sf = sfield("days", SF_INT);
	struct kerr err;

	(void)state;
	fd.min = "1";
	fd.max = "10";
	accepted(&fd, &sf, "1");
	accepted(&fd, &sf, "2");            /* more than "10" as text */
	accepted(&fd, &sf, "10");
	refused(&fd, &sf, "11", "Payment days", "at most 10", NULL);
	refused(&fd, &sf, "0", "at least 1", NULL);
	refused(&fd, &sf, "-3", "at least 1", NULL);
	refused(&fd, &sf, "100", "at most 10", NULL);
	refused(&fd, &sf, "1.5", "Payment days", "not a whole number: 1.5",
		NULL);
	refused(&fd, &sf, "ten", "not a whole number: ten", NULL);
	kerr_clear(&err);
	fc_check(&fd, &sf, "x1", &err);
	assert_string_equal(err.msg, "Payment days: not a whole number: x1");

	fd.min = "-5";
	fd.max = NULL;
	accepted(&fd, &sf, "-5");
	accepted(&fd, &sf, "1000000");
	refused(&fd, &sf, "-6", "at least -5", NULL);
}

static void test_date_range(void **state)
{
	struct fd_field fd = field("due", "Due date");
	struct store_field sf = sfield("due", SF_DATE);
	struct kerr err;

	(void)state;
	fd.min = "2025-01-01";
	fd.max = "2025-12-31";
	accepted(&fd, &sf, "2025-01-01");
	accepted(&fd, &sf, "2025-06-30");
	accepted(&fd, &sf, "2025-12-31");
	refused(&fd, &sf, "2024-12-31", "Due date", "at least 2025-01-01",
		NULL);
	refused(&fd, &sf, "2026-01-01", "at most 2025-12-31", NULL);
	refused(&fd, &sf, "2025-02-30", "Due date",
		"not a date (YYYY-MM-DD): 2025-02-30", NULL);
	refused(&fd, &sf, "tomorrow", "not a date", NULL);
	refused(&fd, &sf, "2025-1-5", "not a date", NULL);
	kerr_clear(&err);
	fc_check(&fd, &sf, "31.12.2025", &err);
	assert_string_equal(err.msg,
			    "Due date: not a date (YYYY-MM-DD): 31.12.2025");
}

/* A minimum the field's type cannot read is no constraint at all. */
static void test_unreadable_bounds(void **state)
{
	struct fd_field fd = field("amount", "Amount");
	struct store_field sf = sfield("amount", SF_MONEY);

	(void)state;
	fd.min = "lots";
	fd.max = "more";
	accepted(&fd, &sf, "-5");
	accepted(&fd, &sf, "5");
}

/* Texts compare by bytes. */
static void test_text_range(void **state)
{
	struct fd_field fd = field("name", "Name");
	struct store_field sf = sfield("name", SF_TEXT);

	(void)state;
	fd.min = "b";
	fd.max = "m";
	accepted(&fd, &sf, "b");
	accepted(&fd, &sf, "hello");
	accepted(&fd, &sf, "m");
	refused(&fd, &sf, "a", "Name", "at least b", NULL);
	refused(&fd, &sf, "n", "at most m", NULL);
	refused(&fd, &sf, "B", "at least b", NULL);
	fd.min = "10";
	fd.max = NULL;
	refused(&fd, &sf, "1", "at least 10", NULL);
	accepted(&fd, &sf, "9");            /* "9" > "10" as text */
}

/* The checks run in order: the first that fails is the one reported. */
static void test_order(void **state)
{
	char *choices[] = { "1", "22", "333" };
	struct fd_field fd = field("n", "N");
	struct store_field sf = sfield("n", SF_INT);

	(void)state;
	fd.choices = choices;
	fd.nchoices = NELEM(choices);
	fd.max_len = 2;
	fd.max = "10";
	refused(&fd, &sf, "333", "at most 2 characters", NULL);
	refused(&fd, &sf, "4", "one of", NULL);
	refused(&fd, &sf, "22", "at most 10", NULL);
	accepted(&fd, &sf, "1");
}

/* -------------------------------------------------------- scale, filter */

static void test_scale(void **state)
{
	(void)state;
	assert_int_equal(fc_scale(SF_MONEY), 2);
	assert_int_equal(fc_scale(SF_QTY), 3);
	assert_int_equal(fc_scale(SF_PRICE), 4);
	assert_int_equal(fc_scale(SF_RATE), 6);
	assert_int_equal(fc_scale(SF_MONEY), NUM_MONEY_SCALE);
	assert_int_equal(fc_scale(SF_QTY), NUM_QTY_SCALE);
	assert_int_equal(fc_scale(SF_PRICE), NUM_PRICE_SCALE);
	assert_int_equal(fc_scale(SF_RATE), NUM_RATE_SCALE);
	assert_int_equal(fc_scale(SF_INT), -1);
	assert_int_equal(fc_scale(SF_TEXT), -1);
	assert_int_equal(fc_scale(SF_DATE), -1);
	assert_int_equal(fc_scale(SF_BOOL), -1);
	assert_int_equal(fc_scale(SF_REF), -1);
	assert_int_equal(fc_scale(SF_LIST), -1);
}

static void test_filter(void **state)
{
	static const struct {
		enum store_ftype t;
		enum edit_filter f;
	} plain[] = {
		{ SF_INT, EF_INT }, { SF_TEXT, EF_TEXT }, { SF_DATE, EF_DATE },
		{ SF_MONEY, EF_AMOUNT }, { SF_QTY, EF_AMOUNT },
		{ SF_PRICE, EF_AMOUNT }, { SF_RATE, EF_AMOUNT },
		{ SF_BOOL, EF_BOOL }, { SF_REF, EF_CODE }, { SF_LIST, EF_TEXT },
	};
	char *choices[] = { "A", "B" };
	struct fd_field fd = field("x", "X");
	struct store_field sf;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(plain); i++) {
		sf = sfield("x", plain[i].t);
		assert_int_equal(fc_filter(&fd, &sf), plain[i].f);
		assert_int_equal(fc_filter(NULL, &sf), plain[i].f);
	}

	/* an upper-case text is a code, unless it is a choice */
	sf = sfield("x", SF_TEXT);
	fd.upper = true;
	assert_int_equal(fc_filter(&fd, &sf), EF_CODE);
	fd.choices = choices;
	fd.nchoices = NELEM(choices);
	assert_int_equal(fc_filter(&fd, &sf), EF_TEXT);
	/* upper does not change other types */
	sf = sfield("x", SF_MONEY);
	assert_int_equal(fc_filter(&fd, &sf), EF_AMOUNT);
}

/* ---------------------------------------------------------- compare */

static void test_compare(void **state)
{
	bool ok;

	(void)state;
	/* amounts as values */
	ok = false;
	assert_true(fc_compare(SF_MONEY, "10", "9", &ok) > 0);
	assert_true(ok);
	assert_true(fc_compare(SF_MONEY, "9", "10", &ok) < 0);
	assert_true(ok);
	assert_int_equal(fc_compare(SF_MONEY, "9.5", "9.50", &ok), 0);
	assert_true(ok);
	assert_true(fc_compare(SF_MONEY, "1,000", "999.99", &ok) > 0);
	assert_true(ok);
	assert_true(fc_compare(SF_MONEY, "-1", "0", &ok) < 0);
	assert_true(ok);
	assert_true(fc_compare(SF_QTY, "0.001", "0", &ok) > 0);
	assert_true(ok);
	assert_true(fc_compare(SF_RATE, "0.000001", "0.000002", &ok) < 0);
	assert_true(ok);

	/* integers */
	assert_true(fc_compare(SF_INT, "-5", "3", &ok) < 0);
	assert_true(ok);
	assert_true(fc_compare(SF_INT, "10", "9", &ok) > 0);
	assert_true(ok);
	assert_int_equal(fc_compare(SF_INT, "007", "7", &ok), 0);
	assert_true(ok);

	/* dates */
	assert_true(fc_compare(SF_DATE, "2025-01-02", "2025-01-01", &ok) > 0);
	assert_true(ok);
	assert_true(fc_compare(SF_DATE, "2024-12-31", "2025-01-01", &ok) < 0);
	assert_true(ok);
	assert_int_equal(fc_compare(SF_DATE, "2025-03-01", "2025-03-01", &ok),
			 0);
	assert_true(ok);

	/* others by bytes, always comparable */
	assert_true(fc_compare(SF_TEXT, "10", "9", &ok) < 0);
	assert_true(ok);
	assert_true(fc_compare(SF_TEXT, "b", "a", &ok) > 0);
	assert_true(ok);
	assert_int_equal(fc_compare(SF_REF, "P1", "P1", &ok), 0);
	assert_true(ok);
	assert_true(fc_compare(SF_BOOL, "no", "yes", &ok) < 0);
	assert_true(ok);
	assert_true(fc_compare(SF_LIST, "x", "y", &ok) < 0);
	assert_true(ok);

	/* not comparable when either does not parse: 0 and ok false */
	ok = true;
	assert_int_equal(fc_compare(SF_MONEY, "abc", "1", &ok), 0);
	assert_false(ok);
	ok = true;
	assert_int_equal(fc_compare(SF_MONEY, "1", "1.234", &ok), 0);
	assert_false(ok);
	ok = true;
	assert_int_equal(fc_compare(SF_INT, "1.5", "1", &ok), 0);
	assert_false(ok);
	ok = true;
	assert_int_equal(fc_compare(SF_DATE, "2025-01-01", "2025-13-01", &ok),
			 0);
	assert_false(ok);
	ok = true;
	assert_int_equal(fc_compare(SF_DATE, "", "2025-01-01", &ok), 0);
	assert_false(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_max_len),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_choices),
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_money_range),
		cmocka_unit_test(test_other_amounts),
		cmocka_unit_test(test_int_range),
		cmocka_unit_test(test_date_range),
		cmocka_unit_test(test_unreadable_bounds),
		cmocka_unit_test(test_text_range),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_compare),
	};

	return cmocka_run_group_tests_name("fieldcheck", tests, NULL, NULL);
}
