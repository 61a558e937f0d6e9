/*
 * test_lineidx.c - the report viewer's line and page index: offsets of
 * lines and pages (form feeds at a line's start, in its middle, at the
 * end, twice), lines read back, cut on a character boundary, search
 * forward with and without wrapping, a file of 200,000 lines, and the
 * horizontal slice of a line by display columns (CJK cut at the edges).
 *
 *   中 U+4E2D  3 bytes, 2 columns
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ui/lineidx.h"

#define ZHONG "\xe4\xb8\xad"    /* 中 */
#define WEN "\xe6\x96\x87"      /* 文 */

/* A temporary file holding text (len bytes), at its start. */
static FILE *file_of(const char *text, size_t len)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fflush(f);
	rewind(f);
	return f;
}

#define FILE_OF(s) file_of(s, sizeof(s) - 1)

static const char *line(const struct lineidx *ix, FILE *f, size_t n)
{
	static char buf[256];

	lineidx_read(ix, f, n, buf, sizeof buf);
	return buf;
}

static void test_null_and_empty(void **state)
{
	struct lineidx ix;
	struct kerr err;
	char buf[8] = "x";
	size_t l = 9, at = 9;
	FILE *f;

	(void)state;
	assert_int_equal(lineidx_build(&ix, NULL, &err), K_EINVAL);
	assert_null(ix.off);
	lineidx_free(NULL);
	lineidx_free(&ix);
	f = FILE_OF("");
	assert_int_equal(lineidx_build(&ix, f, &err), 0);
	assert_int_equal(ix.n, 0);
	assert_int_equal(ix.npages, 0);
	assert_int_equal(lineidx_read(&ix, f, 0, buf, sizeof buf), 0);
	assert_string_equal(buf, "");
	assert_int_equal(lineidx_read(NULL, f, 0, buf, sizeof buf), 0);
	assert_int_equal(lineidx_read(&ix, f, 0, NULL, 0), 0);
	assert_int_equal(lineidx_page_of(&ix, 5), 0);
	assert_int_equal(lineidx_page_first(&ix, 5), 0);
	assert_int_equal(lineidx_search(&ix, f, 0, "a", true, &l, &at, NULL), 0);
	lineidx_free(&ix);
	lineidx_free(&ix);
	fclose(f);
}

static void test_lines(void **state)
{
	struct lineidx ix;
	struct kerr err;
	FILE *f = FILE_OF("one\n\ntwo words\r\nlast without end");

	(void)state;
	assert_int_equal(lineidx_build(&ix, f, &err), 0);
	assert_int_equal(ix.n, 4);
	assert_int_equal(ix.npages, 1);
	assert_string_equal(line(&ix, f, 0), "one");
	assert_string_equal(line(&ix, f, 1), "");
	assert_string_equal(line(&ix, f, 2), "two words");
	assert_string_equal(line(&ix, f, 3), "last without end");
	assert_string_equal(line(&ix, f, 4), "");
	assert_string_equal(line(&ix, f, 2), "two words");     /* again */
	assert_int_equal(ix.off[0], 0);
	assert_int_equal(ix.off[2], 5);
	assert_int_equal(ix.off[4], 32);
	lineidx_free(&ix);
	fclose(f);
}

/* Form feeds: at a line's start, after text, at the end, two in a row. */
static void test_pages(void **state)
{
	struct lineidx ix;
	struct kerr err;
	FILE *f = FILE_OF("p1 a\np1 b\n\fp2 a\np2 b\np2 c\fp3 a\n\f\fp4 a\n\f");

	(void)state;
	assert_int_equal(lineidx_build(&ix, f, &err), 0);
	assert_int_equal(ix.n, 7);
	assert_int_equal(ix.npages, 4);
	assert_string_equal(line(&ix, f, 0), "p1 a");
	assert_string_equal(line(&ix, f, 1), "p1 b");
	assert_string_equal(line(&ix, f, 2), "p2 a");
	assert_string_equal(line(&ix, f, 4), "p2 c");
	assert_string_equal(line(&ix, f, 5), "p3 a");
	assert_string_equal(line(&ix, f, 6), "p4 a");
	assert_int_equal(lineidx_page_first(&ix, 0), 0);
	assert_int_equal(lineidx_page_first(&ix, 1), 2);
	assert_int_equal(lineidx_page_first(&ix, 2), 5);
	assert_int_equal(lineidx_page_first(&ix, 3), 6);
	assert_int_equal(lineidx_page_first(&ix, 99), 6);
	assert_int_equal(lineidx_page_of(&ix, 0), 0);
	assert_int_equal(lineidx_page_of(&ix, 1), 0);
	assert_int_equal(lineidx_page_of(&ix, 2), 1);
	assert_int_equal(lineidx_page_of(&ix, 4), 1);
	assert_int_equal(lineidx_page_of(&ix, 5), 2);
	assert_int_equal(lineidx_page_of(&ix, 6), 3);
	assert_int_equal(lineidx_page_of(&ix, 1000), 3);
	lineidx_free(&ix);
	fclose(f);

	/* a form feed first, and one followed by an empty line */
	f = FILE_OF("\fhead\n\f\nafter\n");
	assert_int_equal(lineidx_build(&ix, f, &err), 0);
	assert_int_equal(ix.n, 3);
	assert_int_equal(ix.npages, 2);
	assert_string_equal(line(&ix, f, 0), "head");
	assert_string_equal(line(&ix, f, 1), "");
	assert_string_equal(line(&ix, f, 2), "after");
	assert_int_equal(lineidx_page_first(&ix, 1), 1);
	lineidx_free(&ix);
	fclose(f);
}

/* A line longer than the buffer is cut before a whole character. */
static void test_cut(void **state)
{
	struct lineidx ix;
	struct kerr err;
	char buf[6];
	FILE *f = FILE_OF("ab" ZHONG WEN "\n" ZHONG WEN "\nabcdefgh\nabcde\n");

	(void)state;
	assert_int_equal(lineidx_build(&ix, f, &err), 0);
	assert_int_equal(lineidx_read(&ix, f, 0, buf, sizeof buf), 5);
	assert_string_equal(buf, "ab" ZHONG);
	assert_int_equal(lineidx_read(&ix, f, 1, buf, sizeof buf), 3);
	assert_string_equal(buf, ZHONG);
	assert_int_equal(lineidx_read(&ix, f, 2, buf, sizeof buf), 5);
	assert_string_equal(buf, "abcde");
	assert_int_equal(lineidx_read(&ix, f, 3, buf, sizeof buf), 5);
	assert_string_equal(buf, "abcde");
	assert_int_equal(lineidx_read(&ix, f, 0, buf, 1), 0);
	assert_string_equal(buf, "");
	lineidx_free(&ix);
	fclose(f);
}

static void test_search(void **state)
{
	struct lineidx ix;
	struct kerr err;
	size_t l, at;
	bool wrapped;
	FILE *f = FILE_OF("Alpha\nbeta " ZHONG WEN "\n\fGAMMA alpha\ndelta\n");

	(void)state;
	assert_int_equal(lineidx_build(&ix, f, &err), 0);
	/* after line 0: line 2 (case does not matter), at byte 6 */
	assert_int_equal(lineidx_search(&ix, f, 0, "ALPHA", false, &l, &at,
					&wrapped), 1);
	assert_int_equal(l, 2);
	assert_int_equal(at, 6);
	assert_false(wrapped);
	/* after line 2 without wrapping: not found; with: line 0 */
	assert_int_equal(lineidx_search(&ix, f, 2, "alpha", false, &l, &at,
					NULL), 0);
	assert_int_equal(lineidx_search(&ix, f, 2, "alpha", true, &l, &at,
					&wrapped), 1);
	assert_int_equal(l, 0);
	assert_int_equal(at, 0);
	assert_true(wrapped);
	/* wrapping comes back to the line itself */
	assert_int_equal(lineidx_search(&ix, f, 3, "delta", true, &l, &at,
					&wrapped), 1);
	assert_int_equal(l, 3);
	assert_true(wrapped);
	/* CJK bytes as they are */
	assert_int_equal(lineidx_search(&ix, f, 3, WEN, true, &l, &at, NULL), 1);
	assert_int_equal(l, 1);
	assert_int_equal(at, 8);
	assert_int_equal(lineidx_search(&ix, f, 0, "", true, &l, &at, NULL), 0);
	assert_int_equal(lineidx_search(&ix, f, 0, NULL, true, &l, &at, NULL), 0);
	assert_int_equal(lineidx_search(&ix, f, 0, "zeta", true, &l, &at, NULL), 0);
	/* from past the end: the last line */
	assert_int_equal(lineidx_search(&ix, f, 99, "beta", true, &l, &at, NULL), 1);
	assert_int_equal(l, 1);
	lineidx_free(&ix);
	fclose(f);
}

/* Many lines in many 64 KiB pieces: offsets and pages stay right. */
static void test_big(void **state)
{
	struct lineidx ix;
	struct kerr err;
	FILE *f = tmpfile();
	size_t l, at;
	char want[64];

	(void)state;
	assert_non_null(f);
	for (int i = 0; i < 200000; i++) {
		if (i && i % 60 == 0)
			fputc('\f', f);
		fprintf(f, "row %06d %s\n", i, i % 7 ? "x" : ZHONG);
	}
	fflush(f);
	assert_int_equal(lineidx_build(&ix, f, &err), 0);
	assert_int_equal(ix.n, 200000);
	assert_int_equal(ix.npages, (200000 + 59) / 60);
	assert_string_equal(line(&ix, f, 0), "row 000000 " ZHONG);
	assert_string_equal(line(&ix, f, 123457), "row 123457 x");
	assert_string_equal(line(&ix, f, 199999), "row 199999 x");
	assert_int_equal(lineidx_page_of(&ix, 123457), 123457 / 60);
	assert_int_equal(lineidx_page_first(&ix, 2000), 120000);
	assert_int_equal(lineidx_search(&ix, f, 10, "ROW 150001", false, &l, &at,
					NULL), 1);
	assert_int_equal(l, 150001);
	snprintf(want, sizeof want, "row %06d x", 150001);
	assert_string_equal(line(&ix, f, l), want);
	lineidx_free(&ix);
	fclose(f);
}

static void test_slice(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(lineidx_slice("abcdef", 0, 4, out, sizeof out), "abcd");
	assert_string_equal(lineidx_slice("abcdef", 2, 6, out, sizeof out), "cdef  ");
	assert_string_equal(lineidx_slice("abc", 5, 3, out, sizeof out), "   ");
	assert_string_equal(lineidx_slice(NULL, 0, 2, out, sizeof out), "  ");
	assert_string_equal(lineidx_slice("ab", -3, 2, out, sizeof out), "ab");
	/* 中 at columns 2-3, 文 at 4-5 */
	assert_string_equal(lineidx_slice("ab" ZHONG WEN "c", 0, 7, out, sizeof out),
			    "ab" ZHONG WEN "c");
	assert_string_equal(lineidx_slice("ab" ZHONG WEN "c", 3, 4, out, sizeof out),
			    " " WEN "c");
	assert_string_equal(lineidx_slice("ab" ZHONG WEN "c", 2, 3, out, sizeof out),
			    ZHONG " ");
	assert_string_equal(lineidx_slice("ab" ZHONG WEN "c", 1, 2, out, sizeof out),
			    "b ");
	/* controls and invalid bytes: one blank each */
	assert_string_equal(lineidx_slice("a\tb\xff" "c", 0, 6, out, sizeof out),
			    "a b c ");
	/* a small buffer is never overrun */
	assert_string_equal(lineidx_slice(ZHONG WEN, 0, 4, out, 5), ZHONG " ");
	assert_int_equal(lineidx_cols("ab" ZHONG WEN "c", 0), 0);
	assert_int_equal(lineidx_cols("ab" ZHONG WEN "c", 2), 2);
	assert_int_equal(lineidx_cols("ab" ZHONG WEN "c", 5), 4);
	assert_int_equal(lineidx_cols("ab" ZHONG WEN "c", 99), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_and_empty),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_slice),
	};

	return cmocka_run_group_tests_name("lineidx", tests, NULL, NULL);
}
