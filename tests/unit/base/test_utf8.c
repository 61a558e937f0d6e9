/*
 * test_utf8.c - UTF-8 validation, decoding and display widths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "base/utf8.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static bool valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

/* ------------------------------------------------------------ valid */

static void test_valid_empty(void **state)
{
	(void)state;
	assert_true(utf8_valid(NULL, 0));
	assert_false(utf8_valid(NULL, 1));
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("\xff", 0));
}

static void test_valid_ok(void **state)
{
	static const char *const good[] = {
		"plain ascii",
		"\x7f",
		"\xc2\x80",             /* U+0080 */
		"caf\xc3\xa9",          /* café */
		"\xdf\xbf",             /* U+07FF */
		"\xe0\xa0\x80",         /* U+0800 */
		"\xe4\xb8\xad\xe6\x96\x87", /* 中文 */
		"\xed\x9f\xbf",         /* U+D7FF, just below the surrogates */
		"\xee\x80\x80",         /* U+E000, just above them */
		"\xef\xbf\xbd",         /* U+FFFD */
		"\xef\xbf\xbf",         /* U+FFFF */
		"\xf0\x90\x80\x80",     /* U+10000 */
		"\xf0\x9f\x98\x80",     /* U+1F600 😀 */
		"\xf4\x8f\xbf\xbf",     /* U+10FFFF */
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(good); i++) {
		if (!valid(good[i]))
			print_error("good[%zu] rejected\n", i);
		assert_true(valid(good[i]));
	}
	/* U+0000 is well-formed when len covers it */
	assert_true(utf8_valid("a\0b", 3));
	/* len is honoured: a cut after a whole character is fine */
	assert_true(utf8_valid("\xe4\xb8\xad\xe6\x96\x87", 3));
}

static void test_valid_bad(void **state)
{
	static const char *const bad[] = {
		"\x80",                 /* lone continuation bytes */
		"\xbf",
		"a\x80z",
		"\xc0\x80",             /* overlong U+0000 */
		"\xc1\xbf",             /* overlong U+007F */
		"\xe0\x80\x80",         /* overlong 3-byte */
		"\xe0\x9f\xbf",         /* overlong U+07FF */
		"\xf0\x80\x80\x80",     /* overlong 4-byte */
		"\xf0\x8f\xbf\xbf",     /* overlong U+FFFF */
		"\xed\xa0\x80",         /* U+D800 surrogate */
		"\xed\xbf\xbf",         /* U+DFFF surrogate */
		"\xed\xa0\xbd\xed\xb8\x80", /* CESU-8 surrogate pair */
		"\xf4\x90\x80\x80",     /* U+110000 */
		"\xf5\x80\x80\x80",
		"\xf8\x88\x80\x80\x80", /* 5-byte form */
		"\xfe",
		"\xff",
		"\xc3",                 /* truncated */
		"\xe4\xb8",
		"\xf0\x9f\x98",
		"abc\xc3",
		"\xc3\x28",             /* bad continuation */
		"\xe4\xb8\x28",
		"\xf0\x9f\x28\x80",
		"\xe4\xb8\xad\xe6\x96", /* 中 then half of 文 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		if (valid(bad[i]))
			print_error("bad[%zu] accepted\n", i);
		assert_false(valid(bad[i]));
	}
	/* cut in the middle of a character by len */
	assert_false(utf8_valid("\xe4\xb8\xad", 2));
}

/* ----------------------------------------------------------- decode */

static void test_decode(void **state)
{
	uint32_t cp = 1234;

	(void)state;
	assert_int_equal(utf8_decode(NULL, 5, &cp), 0);
	assert_int_equal(cp, 0);
	cp = 1234;
	assert_int_equal(utf8_decode("", 1, &cp), 0);
	assert_int_equal(cp, 0);
	assert_int_equal(utf8_decode("abc", 0, &cp), 0);

	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode("\xe4\xb8\xad", 3, &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	assert_int_equal(utf8_decode("\xe4\xb8\xad", 3, NULL), 3);

	assert_int_equal(utf8_decode("\xff", 1, &cp), -1);
	assert_int_equal(cp, 0xFFFD);
	cp = 0;
	assert_int_equal(utf8_decode("\xe4\xb8\xad", 2, &cp), -1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), -1);
	assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), -1);
	/* a NUL inside a sequence ends it, even when len says more */
	assert_int_equal(utf8_decode("\xe4\0\0\0", 4, &cp), -1);
}

/* ------------------------------------------------------------ width */

static void test_cp_width(void **state)
{
	static const struct {
		uint32_t cp;
		int w;
	} cases[] = {
		{ 0x00, 0 }, { 0x07, 0 }, { 0x09, 0 }, { 0x0A, 0 }, { 0x1B, 0 },
		{ 0x7F, 0 }, { 0x85, 0 }, { 0x9F, 0 },
		{ 'a', 1 }, { ' ', 1 }, { '~', 1 }, { 0xA0, 1 }, { 0xAD, 1 },
		{ 0xE9, 1 }, { 0x3B1, 1 }, { 0x416, 1 }, { 0x5D0, 1 },
		{ 0x627, 1 }, { 0x20AC, 1 }, { 0xA5, 1 }, { 0x2603, 1 },
		/* combining and zero width */
		{ 0x300, 0 }, { 0x301, 0 }, { 0x36F, 0 }, { 0x5B0, 0 },
		{ 0x64B, 0 }, { 0x93C, 0 }, { 0x200B, 0 }, { 0x200C, 0 },
		{ 0x200D, 0 }, { 0x200E, 0 }, { 0x200F, 0 }, { 0x2060, 0 },
		{ 0x20D7, 0 }, { 0xFE00, 0 }, { 0xFE0F, 0 }, { 0xFE20, 0 },
		{ 0xFEFF, 0 }, { 0x1160, 0 }, { 0x11A8, 0 }, { 0x302A, 0 },
		{ 0x3099, 0 }, { 0x309A, 0 }, { 0xE0001, 0 }, { 0xE0100, 0 },
		/* wide and fullwidth */
		{ 0x1100, 2 }, { 0x115F, 2 }, { 0x2E80, 2 }, { 0x3000, 2 },
		{ 0x3001, 2 }, { 0x303E, 2 }, { 0x3041, 2 }, { 0x30A2, 2 },
		{ 0x30FC, 2 }, { 0x3400, 2 }, { 0x4DBF, 2 }, { 0x4E00, 2 },
		{ 0x4E2D, 2 }, { 0x9FFF, 2 }, { 0xA000, 2 }, { 0xAC00, 2 },
		{ 0xD55C, 2 }, { 0xD7A3, 2 }, { 0xF900, 2 }, { 0xFAFF, 2 },
		{ 0xFE30, 2 }, { 0xFE4F, 2 }, { 0xFF01, 2 }, { 0xFF21, 2 },
		{ 0xFF60, 2 }, { 0xFFE0, 2 }, { 0xFFE5, 2 }, { 0xFFE6, 2 },
		{ 0x1F300, 2 }, { 0x1F600, 2 }, { 0x1F64F, 2 }, { 0x1F680, 2 },
		{ 0x1F914, 2 }, { 0x1F9FF, 2 }, { 0x20000, 2 }, { 0x2A6D6, 2 },
		{ 0x2FFFD, 2 }, { 0x30000, 2 }, { 0x3FFFD, 2 },
		/* neighbours that are narrow */
		{ 0x303F, 1 }, { 0x1200, 1 }, { 0xFF61, 1 },
		{ 0xFF71, 1 }, { 0xFF9F, 1 }, { 0xFFE7, 1 }, { 0xD7A4, 1 },
		{ 0x2FFFE, 1 }, { 0x40000, 1 }, { 0x10FFFF, 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		int w = utf8_cp_width(cases[i].cp);

		if (w != cases[i].w)
			print_error("U+%04X is %d columns, want %d\n",
				    (unsigned)cases[i].cp, w, cases[i].w);
		assert_int_equal(w, cases[i].w);
	}
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(utf8_width(NULL), 0);
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width("\xe4\xb8\xad\xe6\x96\x87"), 4); /* 中文 */
	assert_int_equal(utf8_width("ab\xe4\xb8\xad"), 4);          /* ab中 */
	assert_int_equal(utf8_width("\xef\xbd\xb1"), 1);  /* ｱ halfwidth */
	assert_int_equal(utf8_width("\xe3\x82\xa2"), 2);  /* ア fullwidth */
	assert_int_equal(utf8_width("e\xcc\x81"), 1);     /* e + U+0301 */
	assert_int_equal(utf8_width("\xf0\x9f\x98\x80"), 2); /* 😀 */
	assert_int_equal(utf8_width("\xef\xbc\xa1"), 2);  /* Ａ */
	assert_int_equal(utf8_width("\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4"),
			 6);                               /* 한국어 */
	assert_int_equal(utf8_width("caf\xc3\xa9"), 4);   /* café */
	assert_int_equal(utf8_width("\xe4\xbb\xb7\xe6\xa0\xbc: \xc2\xa5"
				    "12.50"), 12);        /* 价格: ¥12.50 */
	assert_int_equal(utf8_width("a\xe2\x80\x8b" "b"), 2); /* ZWSP */
	assert_int_equal(utf8_width("\t\n"), 0);
	/* invalid bytes count one column each */
	assert_int_equal(utf8_width("\xff"), 1);
	assert_int_equal(utf8_width("a\xff" "b"), 3);
	assert_int_equal(utf8_width("\xe4\xb8"), 2);
	assert_int_equal(utf8_width("\xed\xa0\x80"), 3);
}

/* -------------------------------------------------------------- fit */

static void fit_is(const char *s, size_t cols, size_t bytes, size_t width)
{
	size_t used = 12345;

	assert_int_equal(utf8_fit(s, cols, &used), bytes);
	assert_int_equal(used, width);
	assert_int_equal(utf8_fit(s, cols, NULL), bytes);
}

static void test_fit(void **state)
{
	const char *zh = "\xe4\xb8\xad\xe6\x96\x87";     /* 中文 */

	(void)state;
	fit_is(NULL, 5, 0, 0);
	fit_is("", 5, 0, 0);
	fit_is("abc", 0, 0, 0);
	fit_is("abc", 2, 2, 2);
	fit_is("abc", 3, 3, 3);
	fit_is("abc", 10, 3, 3);
	/* never half a wide character */
	fit_is(zh, 1, 0, 0);
	fit_is(zh, 2, 3, 2);
	fit_is(zh, 3, 3, 2);
	fit_is(zh, 4, 6, 4);
	fit_is(zh, 5, 6, 4);
	fit_is("a\xe4\xb8\xad", 2, 1, 1);
	fit_is("a\xe4\xb8\xad" "b", 3, 4, 3);
	fit_is("\xf0\x9f\x98\x80" "a", 1, 0, 0);
	/* a combining accent stays with its letter */
	fit_is("e\xcc\x81x", 1, 3, 1);
	fit_is("e\xcc\x81x", 0, 0, 0);
	fit_is("ab\xcc\x81", 1, 1, 1);
	/* invalid bytes: one byte, one column */
	fit_is("\xff\xfe", 1, 1, 1);
	fit_is("\xe4\xb8", 1, 1, 1);
}

/* -------------------------------------------------------------- pad */

static void pad_is(const char *s, size_t cols, bool right, const char *want)
{
	char buf[64];

	assert_ptr_equal(utf8_pad(s, cols, right, buf, sizeof buf), buf);
	assert_string_equal(buf, want);
	assert_true(utf8_valid(buf, strlen(buf)));
	assert_int_equal(utf8_width(buf), cols);
}

static void test_pad(void **state)
{
	(void)state;
	pad_is(NULL, 3, false, "   ");
	pad_is(NULL, 0, true, "");
	pad_is("", 2, true, "  ");
	pad_is("ab", 4, false, "ab  ");
	pad_is("ab", 4, true, "  ab");
	pad_is("abcdef", 3, false, "abc");
	pad_is("abcdef", 3, true, "abc");
	pad_is("abc", 3, true, "abc");
	pad_is("abc", 0, false, "");
	/* a wide character straddling the edge becomes a space */
	pad_is("\xe4\xb8\xad\xe6\x96\x87", 3, false, "\xe4\xb8\xad ");
	pad_is("\xe4\xb8\xad\xe6\x96\x87", 3, true, " \xe4\xb8\xad");
	pad_is("\xe4\xb8\xad\xe6\x96\x87", 1, false, " ");
	pad_is("\xe4\xb8\xad\xe6\x96\x87", 4, false,
	       "\xe4\xb8\xad\xe6\x96\x87");
	pad_is("\xe4\xb8\xad\xe6\x96\x87", 6, true,
	       "  \xe4\xb8\xad\xe6\x96\x87");
	pad_is("ab\xe4\xb8\xad\xe6\x96\x87", 5, false, "ab\xe4\xb8\xad ");
	pad_is("e\xcc\x81", 3, false, "e\xcc\x81  ");
	pad_is("\xef\xbd\xb1", 2, false, "\xef\xbd\xb1 ");
	/* invalid bytes are written as '?' */
	pad_is("a\xff" "b", 4, false, "a?b ");
	pad_is("\xe4\xb8", 3, true, " ??");
}

static void test_pad_table(void **state)
{
	static const char *const cells[] = {
		"Widget", "\xe8\x9e\xba\xe4\xb8\x9d",         /* 螺丝 */
		"\xe5\x8d\x8e\xe4\xb8\x9c\xe5\x85\xac\xe5\x8f\xb8"
		"\xe6\x9c\x89\xe9\x99\x90",                   /* 华东公司有限 */
		"M\xc3\xbcller GmbH", "\xef\xbd\xb1\xef\xbd\xb2",
		"\xf0\x9f\x98\x80 ok", "x\xe4\xb8\xad" "y\xe6\x96\x87" "z",
		"\xed\x95\x9c\xea\xb5\xad", "",
	};
	char buf[64];
	size_t i, cols;

	(void)state;
	for (cols = 0; cols <= 12; cols++)
		for (i = 0; i < NELEM(cells); i++) {
			utf8_pad(cells[i], cols, false, buf, sizeof buf);
			assert_int_equal(utf8_width(buf), cols);
			assert_true(utf8_valid(buf, strlen(buf)));
			utf8_pad(cells[i], cols, true, buf, sizeof buf);
			assert_int_equal(utf8_width(buf), cols);
			assert_true(utf8_valid(buf, strlen(buf)));
		}
}

static void test_pad_small_buffer(void **state)
{
	char buf[8];

	(void)state;
	assert_null(utf8_pad("abc", 3, false, NULL, 0));
	buf[0] = 'x';
	assert_ptr_equal(utf8_pad("abc", 3, false, buf, 0), buf);
	assert_int_equal(buf[0], 'x');
	utf8_pad("abc", 3, false, buf, 1);
	assert_string_equal(buf, "");
	utf8_pad("abcdef", 5, false, buf, 3);
	assert_string_equal(buf, "ab");
	utf8_pad("ab", 5, true, buf, 4);
	assert_string_equal(buf, "   ");
	/* never half a character */
	utf8_pad("\xe4\xb8\xad\xe6\x96\x87", 4, false, buf, 5);
	assert_string_equal(buf, "\xe4\xb8\xad");
	utf8_pad("\xe4\xb8\xad\xe6\x96\x87", 4, false, buf, 3);
	assert_string_equal(buf, "");
	/* exactly cols + strlen(s) + 1 is always enough */
	utf8_pad("\xe4\xb8\xad", 3, true, buf, 3 + 3 + 1);
	assert_string_equal(buf, " \xe4\xb8\xad");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_empty),
		cmocka_unit_test(test_valid_ok),
		cmocka_unit_test(test_valid_bad),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_cp_width),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_pad),
		cmocka_unit_test(test_pad_table),
		cmocka_unit_test(test_pad_small_buffer),
	};

	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
