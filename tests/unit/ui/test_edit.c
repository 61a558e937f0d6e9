/*
 * test_edit.c - the line editor: UTF-8 editing, the cursor on character
 * boundaries, keystroke filters, bool inputs and the view's scrolling
 * and padding by display columns.
 *
 * Texts used throughout:
 *   ü  U+00FC  2 bytes, 1 column
 *   中 U+4E2D  3 bytes, 2 columns (文 U+6587, 字 U+5B57 likewise)
 *   😀 U+1F600 4 bytes, 2 columns
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "base/utf8.h"
#include "ui/edit.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define UE "\xc3\xbc"           /* ü */
#define ZHONG "\xe4\xb8\xad"    /* 中 */
#define WEN "\xe6\x96\x87"      /* 文 */
#define ZI "\xe5\xad\x97"       /* 字 */
#define SMILE "\xf0\x9f\x98\x80" /* 😀 */
#define ACUTE "\xcc\x81"        /* U+0301 combining acute, 0 columns */

#define VIEW_MAX (EDIT_MAX * 4)

/* ------------------------------------------------------------ helpers */

/* A small deterministic generator (xorshift32): same run every time. */
static uint32_t rng = 2463534242u;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

static bool key(struct edit *e, enum ukey k)
{
	struct ukey_ev ev = { k, 0 };

	return edit_key(e, &ev);
}

static bool typech(struct edit *e, wchar_t c)
{
	struct ukey_ev ev = { UK_CHAR, c };

	return edit_key(e, &ev);
}

/* Types each character of the UTF-8 string s. */
static void type(struct edit *e, const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		uint32_t cp;
		int n = utf8_decode(s + i, len - i, &cp);

		assert_true(n > 0);
		typech(e, (wchar_t)cp);
		i += (size_t)n;
	}
}

/* The editor's own invariants, for well-formed text. */
static void check_sane(const struct edit *e)
{
	assert_int_equal(e->len, strlen(e->buf));
	assert_true(e->cur <= e->len);
	assert_true(utf8_valid(e->buf, e->len));
	/* never inside a character */
	if (e->cur < e->len)
		assert_int_not_equal((unsigned char)e->buf[e->cur] & 0xC0,
				     0x80);
}

/* Display columns of the first `bytes` bytes of s. */
static int width_of(const char *s, size_t bytes)
{
	char tmp[EDIT_MAX];

	assert_true(bytes < sizeof tmp);
	memcpy(tmp, s, bytes);
	tmp[bytes] = '\0';
	return (int)utf8_width(tmp);
}

/* Draws e and checks what every view must be; returns the cursor column. */
static int check_view(struct edit *e, char *out)
{
	int cc = -99;

	edit_view(e, out, VIEW_MAX, &cc);
	if ((int)utf8_width(out) != e->width)
		print_error("width %d: view \"%s\" has %zu columns\n",
			    e->width, out, utf8_width(out));
	assert_int_equal((int)utf8_width(out), e->width);
	assert_true(utf8_valid(out, strlen(out)));
	assert_in_range(cc, 0, e->width - 1);
	return cc;
}

/*
 * The view a window of `width` columns starting at column `scroll`
 * should show of the text s (no zero-width characters): characters
 * wholly inside as they are, a wide character cut at either edge as one
 * blank for the cell that is inside, blanks after the text.
 */
static void expected_view(const char *s, int scroll, int width, char *out)
{
	size_t len = strlen(s), i = 0, o = 0;
	int col = 0, shown = 0;

	while (i < len) {
		uint32_t cp;
		int n = utf8_decode(s + i, len - i, &cp);
		int w = utf8_cp_width(cp);

		assert_true(n > 0 && w > 0);
		if (col >= scroll && col + w <= scroll + width) {
			memcpy(out + o, s + i, (size_t)n);
			o += (size_t)n;
			shown += w;
		} else if (col < scroll + width && col + w > scroll) {
			out[o++] = ' ';        /* the one cell inside */
			shown++;
		}
		col += w;
		i += (size_t)n;
	}
	while (shown < width) {
		out[o++] = ' ';
		shown++;
	}
	out[o] = '\0';
}

/* ------------------------------------------------------------- basics */

static void test_init(void **state)
{
	struct edit e;
	char out[VIEW_MAX];

	(void)state;
	memset(&e, 0x5a, sizeof e);
	edit_init(&e, 10, EF_AMOUNT);
	assert_int_equal(e.width, 10);
	assert_int_equal(e.filter, EF_AMOUNT);
	assert_int_equal(e.len, 0);
	assert_int_equal(e.cur, 0);
	assert_string_equal(e.buf, "");
	assert_false(e.readonly || e.upper || e.fresh || e.changed);
	assert_int_equal(e.max_chars, 0);
	assert_string_equal(edit_text(&e), "");
	assert_int_equal(check_view(&e, out), 0);
	assert_string_equal(out, "          ");

	/* a width below one column is one column */
	edit_init(&e, 0, EF_TEXT);
	assert_int_equal(e.width, 1);
	edit_init(&e, -3, EF_TEXT);
	assert_int_equal(e.width, 1);
	check_view(&e, out);
	assert_string_equal(out, " ");
}

static void test_ascii(void **state)
{
	struct edit e;

	(void)state;
	edit_init(&e, 20, EF_TEXT);
	type(&e, "hello");
	assert_string_equal(e.buf, "hello");
	assert_int_equal(e.cur, 5);
	assert_true(e.changed);

	e.changed = false;
	assert_true(key(&e, UK_LEFT));
	assert_true(key(&e, UK_LEFT));
	assert_int_equal(e.cur, 3);
	assert_false(e.changed);           /* moving is no change */
	type(&e, "X");
	assert_string_equal(e.buf, "helXlo");
	assert_int_equal(e.cur, 4);
	assert_true(e.changed);

	assert_true(key(&e, UK_BS));
	assert_string_equal(e.buf, "hello");
	assert_int_equal(e.cur, 3);

	assert_true(key(&e, UK_HOME));
	assert_int_equal(e.cur, 0);
	assert_true(key(&e, UK_BS));       /* nothing before the cursor */
	assert_string_equal(e.buf, "hello");
	assert_true(key(&e, UK_LEFT));     /* nowhere to go */
	assert_int_equal(e.cur, 0);
	assert_true(key(&e, UK_DEL));
	assert_string_equal(e.buf, "ello");
	assert_int_equal(e.cur, 0);

	assert_true(key(&e, UK_END));
	assert_int_equal(e.cur, 4);
	assert_true(key(&e, UK_DEL));      /* nothing under the cursor */
	assert_string_equal(e.buf, "ello");
	assert_true(key(&e, UK_RIGHT));    /* nowhere to go */
	assert_int_equal(e.cur, 4);
	assert_true(key(&e, UK_BS));
	assert_string_equal(e.buf, "ell");

	assert_true(key(&e, UK_BOL));
	assert_int_equal(e.cur, 0);
	assert_true(key(&e, UK_RIGHT));
	assert_true(key(&e, UK_KILL));
	assert_string_equal(e.buf, "e");
	assert_int_equal(e.len, 1);
	assert_int_equal(e.cur, 1);
	e.changed = false;
	assert_true(key(&e, UK_KILL));     /* nothing after the cursor */
	assert_false(e.changed);
	assert_string_equal(e.buf, "e");

	assert_true(key(&e, UK_HOME));
	assert_true(key(&e, UK_EOL));
	assert_int_equal(e.cur, 1);
	check_sane(&e);
}

static void test_latin1(void **state)
{
	struct edit e;

	(void)state;
	edit_init(&e, 20, EF_TEXT);
	type(&e, "Gr" UE "\xc3\x9f" "e");          /* Grüße */
	assert_string_equal(e.buf, "Gr" UE "\xc3\x9f" "e");
	assert_int_equal(e.len, 7);
	assert_int_equal(e.cur, 7);

	key(&e, UK_LEFT);
	assert_int_equal(e.cur, 6);
	key(&e, UK_LEFT);                          /* over ß: two bytes */
	assert_int_equal(e.cur, 4);
	check_sane(&e);
	key(&e, UK_BS);                            /* ü goes whole */
	assert_string_equal(e.buf, "Gr\xc3\x9f" "e");
	assert_int_equal(e.cur, 2);
	key(&e, UK_DEL);                           /* ß goes whole */
	assert_string_equal(e.buf, "Gre");
	assert_int_equal(e.cur, 2);
	type(&e, UE);
	assert_string_equal(e.buf, "Gr" UE "e");
	assert_int_equal(e.cur, 4);
	key(&e, UK_HOME);
	key(&e, UK_RIGHT);
	key(&e, UK_RIGHT);
	key(&e, UK_RIGHT);                         /* over ü */
	assert_int_equal(e.cur, 4);
	key(&e, UK_KILL);
	assert_string_equal(e.buf, "Gr" UE);
	assert_string_equal(edit_text(&e), "Gr" UE);
	check_sane(&e);
}

static void test_cjk(void **state)
{
	struct edit e;

	(void)state;
	edit_init(&e, 20, EF_TEXT);
	type(&e, ZHONG WEN ZI);
	assert_string_equal(e.buf, ZHONG WEN ZI);
	assert_int_equal(e.len, 9);
	assert_int_equal(e.cur, 9);

	key(&e, UK_LEFT);
	assert_int_equal(e.cur, 6);
	key(&e, UK_LEFT);
	assert_int_equal(e.cur, 3);
	key(&e, UK_DEL);
	assert_string_equal(e.buf, ZHONG ZI);
	assert_int_equal(e.cur, 3);
	key(&e, UK_BS);
	assert_string_equal(e.buf, ZI);
	assert_int_equal(e.cur, 0);
	type(&e, "a" SMILE);
	assert_string_equal(e.buf, "a" SMILE ZI);
	assert_int_equal(e.cur, 5);
	key(&e, UK_LEFT);                          /* over the 4-byte emoji */
	assert_int_equal(e.cur, 1);
	key(&e, UK_RIGHT);
	assert_int_equal(e.cur, 5);
	key(&e, UK_RIGHT);
	assert_int_equal(e.cur, 8);
	key(&e, UK_HOME);
	key(&e, UK_RIGHT);
	key(&e, UK_KILL);
	assert_string_equal(e.buf, "a");
	check_sane(&e);

	/* a CJK text set from outside: cursor at the end, moves whole */
	edit_set(&e, ZHONG "x" WEN);
	assert_int_equal(e.cur, 7);
	key(&e, UK_LEFT);
	assert_int_equal(e.cur, 4);
	key(&e, UK_BS);
	assert_string_equal(e.buf, ZHONG WEN);
	assert_int_equal(e.cur, 3);
	check_sane(&e);
}

/* Random editing never leaves the cursor inside a character. */
static void test_cursor_boundaries(void **state)
{
	static const wchar_t alphabet[] = {
		'a', 'Z', '5', ' ', 0xFC, 0xDF, 0x4E2D, 0x6587, 0x1F600,
		0xAC00 /* 가 */, 0x0416 /* Ж */,
	};
	static const enum ukey keys[] = {
		UK_LEFT, UK_RIGHT, UK_HOME, UK_END, UK_BS, UK_DEL, UK_KILL,
		UK_BOL, UK_EOL,
	};
	struct edit e;
	char out[VIEW_MAX];
	int step;

	(void)state;
	edit_init(&e, 7, EF_TEXT);
	for (step = 0; step < 20000; step++) {
		uint32_t r = rnd(10);

		if (r < 5)
			typech(&e, alphabet[rnd(NELEM(alphabet))]);
		else if (r == 9 && e.len > 60)
			key(&e, UK_KILL);
		else
			key(&e, keys[rnd(NELEM(keys))]);
		check_sane(&e);
		if (step % 3 == 0)
			check_view(&e, out);
	}
}

/* --------------------------------------------------------------- view */

static void test_view_ascii_scroll(void **state)
{
	struct edit e;
	char out[VIEW_MAX];

	(void)state;
	edit_init(&e, 5, EF_TEXT);
	type(&e, "abcdefgh");
	assert_int_equal(check_view(&e, out), 4);
	assert_string_equal(out, "efgh ");        /* the cursor cell after h */
	key(&e, UK_HOME);
	assert_int_equal(check_view(&e, out), 0);
	assert_string_equal(out, "abcde");
	key(&e, UK_RIGHT);
	key(&e, UK_RIGHT);
	key(&e, UK_RIGHT);
	key(&e, UK_RIGHT);
	assert_int_equal(check_view(&e, out), 4);  /* no scroll yet */
	assert_string_equal(out, "abcde");
	key(&e, UK_RIGHT);
	assert_int_equal(check_view(&e, out), 4);  /* one column on */
	assert_string_equal(out, "bcdef");
	key(&e, UK_END);
	assert_int_equal(check_view(&e, out), 4);
	assert_string_equal(out, "efgh ");
	key(&e, UK_LEFT);
	key(&e, UK_LEFT);
	key(&e, UK_LEFT);
	key(&e, UK_LEFT);
	key(&e, UK_LEFT);
	assert_int_equal(check_view(&e, out), 0);  /* scrolled back to d */
	assert_string_equal(out, "defgh");

	/* exactly full: all of it, the cursor on the last cell */
	edit_set(&e, "abcde");
	assert_int_equal(check_view(&e, out), 4);
	assert_string_equal(out, "abcde");

	/* shorter than the input: padded */
	edit_set(&e, "ab");
	assert_int_equal(check_view(&e, out), 2);
	assert_string_equal(out, "ab   ");
	assert_int_equal(e.scroll, 0);
}

static void test_view_cjk_edges(void **state)
{
	struct edit e;
	char out[VIEW_MAX];

	(void)state;
	/* ab中文: columns a 0, b 1, 中 2-3, 文 4-5 */
	edit_init(&e, 5, EF_TEXT);
	edit_set(&e, "ab" ZHONG WEN);
	assert_int_equal(check_view(&e, out), 4);
	assert_string_equal(out, ZHONG WEN " ");
	assert_int_equal(e.scroll, 2);

	/* from the start, 文 straddles the right edge: a blank */
	key(&e, UK_HOME);
	assert_int_equal(check_view(&e, out), 0);
	assert_string_equal(out, "ab" ZHONG " ");

	/* the cursor on 中, which fits */
	key(&e, UK_RIGHT);
	key(&e, UK_RIGHT);
	assert_int_equal(check_view(&e, out), 2);
	assert_string_equal(out, "ab" ZHONG " ");

	/* the cursor on 文: scrolled so that all of it shows */
	key(&e, UK_RIGHT);
	assert_int_equal(check_view(&e, out), 3);
	assert_string_equal(out, "b" ZHONG WEN);
	assert_int_equal(e.scroll, 1);

	/* abcd中 in 5 columns, the cursor on 中 in the last column */
	edit_set(&e, "abcd" ZHONG);
	key(&e, UK_HOME);
	check_view(&e, out);
	assert_string_equal(out, "abcd ");
	key(&e, UK_RIGHT);
	key(&e, UK_RIGHT);
	key(&e, UK_RIGHT);
	key(&e, UK_RIGHT);
	assert_int_equal(check_view(&e, out), 3);
	assert_string_equal(out, "bcd" ZHONG);

	/* 中文字 in 4 columns, cursor at the end: 文 is cut at the left edge */
	edit_init(&e, 4, EF_TEXT);
	edit_set(&e, ZHONG WEN ZI);
	assert_int_equal(check_view(&e, out), 3);
	assert_int_equal(e.scroll, 3);
	assert_string_equal(out, " " ZI " ");

	/* back to the start: shows 中文 exactly */
	key(&e, UK_HOME);
	assert_int_equal(check_view(&e, out), 0);
	assert_string_equal(out, ZHONG WEN);

	/* exactly full of wide characters */
	edit_set(&e, ZHONG WEN);
	assert_int_equal(check_view(&e, out), 3);
	assert_string_equal(out, ZHONG WEN);

	/* an odd width: the last cell can never hold a wide character */
	edit_init(&e, 3, EF_TEXT);
	edit_set(&e, ZHONG WEN);
	key(&e, UK_HOME);
	assert_int_equal(check_view(&e, out), 0);
	assert_string_equal(out, ZHONG " ");
	key(&e, UK_RIGHT);
	assert_int_equal(check_view(&e, out), 1);
	assert_string_equal(out, " " WEN);
}

/* Deleting backwards from a scrolled end brings the text back in. */
static void test_view_backspace(void **state)
{
	struct edit e;
	char out[VIEW_MAX];

	(void)state;
	edit_init(&e, 5, EF_TEXT);
	edit_set(&e, "abcdefgh");
	assert_int_equal(check_view(&e, out), 4);
	assert_string_equal(out, "efgh ");
	key(&e, UK_BS);
	assert_int_equal(check_view(&e, out), 4);
	assert_string_equal(out, "defg ");
	key(&e, UK_BS);
	key(&e, UK_BS);
	key(&e, UK_BS);
	assert_int_equal(check_view(&e, out), 4);
	assert_string_equal(out, "abcd ");
	key(&e, UK_BS);
	assert_int_equal(check_view(&e, out), 3);
	assert_string_equal(out, "abc  ");

	/* Ctrl-K from the middle of a scrolled text */
	edit_set(&e, "abcdefgh" ZHONG);
	check_view(&e, out);
	key(&e, UK_LEFT);
	key(&e, UK_LEFT);
	key(&e, UK_LEFT);
	check_view(&e, out);
	key(&e, UK_KILL);                    /* leaves abcdef */
	assert_int_equal(check_view(&e, out), 4);
	assert_string_equal(out, "cdef ");
	assert_int_equal(e.scroll, 2);
}

/* One column: a wide character can never show, the cursor stays at 0. */
static void test_view_one_column(void **state)
{
	struct edit e;
	char out[VIEW_MAX];

	(void)state;
	edit_init(&e, 1, EF_TEXT);
	edit_set(&e, "a" ZHONG "b");
	assert_int_equal(check_view(&e, out), 0);
	assert_string_equal(out, " ");
	key(&e, UK_HOME);
	assert_int_equal(check_view(&e, out), 0);
	assert_string_equal(out, "a");
	key(&e, UK_RIGHT);                   /* on 中 */
	assert_int_equal(check_view(&e, out), 0);
	assert_string_equal(out, " ");
	key(&e, UK_RIGHT);                   /* on b */
	assert_int_equal(check_view(&e, out), 0);
	assert_string_equal(out, "b");
	key(&e, UK_LEFT);
	assert_int_equal(check_view(&e, out), 0);
	key(&e, UK_LEFT);
	assert_int_equal(check_view(&e, out), 0);
	assert_string_equal(out, "a");
}

/*
 * Draws e and checks the view against the reference: the cursor column
 * is the cursor's place in the window, the character under the cursor
 * shows whole when it fits, and no text is hidden on the left while the
 * window has room on the right.
 */
static void check_random_view(struct edit *e)
{
	char out[VIEW_MAX], want[VIEW_MAX];
	int cc = check_view(e, out), ccol = width_of(e->buf, e->cur);
	int width = e->width;

	assert_true(e->scroll >= 0 && e->scroll <= ccol);
	if (e->scroll > 0)
		assert_true(width_of(e->buf, e->len) + 1 - e->scroll >= width);
	if (ccol - e->scroll <= width - 1)
		assert_int_equal(cc, ccol - e->scroll);
	else    /* only when the text exactly fills the input */
		assert_true(e->cur == e->len && e->scroll == 0 &&
			    ccol == width && cc == width - 1);

	if (e->cur < e->len) {
		uint32_t cp;
		int cw;

		assert_true(utf8_decode(e->buf + e->cur, e->len - e->cur,
					&cp) > 0);
		cw = utf8_cp_width(cp);
		if (cw <= width)
			assert_true(ccol + cw <= e->scroll + width);
	}

	expected_view(e->buf, e->scroll, width, want);
	if (strcmp(out, want) != 0)
		print_error("text \"%s\" width %d scroll %d: view \"%s\", "
			    "expected \"%s\"\n", e->buf, width, e->scroll, out,
			    want);
	assert_string_equal(out, want);
}

/*
 * Many random texts, widths and cursor moves: the view is always exactly
 * the width, the cursor inside it and at the cursor's character; the
 * view matches the reference.
 */
static void test_view_random(void **state)
{
	static const char *const pieces[] = {
		"a", "b", "7", " ", "-", UE, "\xc3\x9f", ZHONG, WEN, ZI,
		SMILE, "\xea\xb0\x80", "\xef\xbc\xa1" /* fullwidth A */,
	};
	static const enum ukey moves[] = {
		UK_LEFT, UK_LEFT, UK_RIGHT, UK_RIGHT, UK_HOME, UK_END,
		UK_BS, UK_DEL,
	};
	char text[EDIT_MAX];
	struct edit e;
	int round;

	(void)state;
	for (round = 0; round < 3000; round++) {
		int width = 1 + (int)rnd(14), n = (int)rnd(24), i, step;
		size_t tl = 0;

		for (i = 0; i < n; i++) {
			const char *p = pieces[rnd(NELEM(pieces))];
			memcpy(text + tl, p, strlen(p));
			tl += strlen(p);
		}
		text[tl] = '\0';
		edit_init(&e, width, EF_TEXT);
		edit_set(&e, text);
		if (rnd(2))
			key(&e, UK_HOME);
		for (step = 0; step < 30; step++) {
			if (rnd(6) == 0)
				typech(&e, rnd(2) ? 'x' : 0x6587);
			else
				key(&e, moves[rnd(NELEM(moves))]);
			if (rnd(4) == 0)
				continue;       /* several keys between draws */
			check_sane(&e);
			check_random_view(&e);
		}
	}
}

/* Zero-width and invalid bytes keep the view's width right too. */
static void test_view_odd_texts(void **state)
{
	static const char *const texts[] = {
		"e" ACUTE "t" ACUTE "e" ACUTE,
		ACUTE "abc",
		"\xff\xfe" "abc",
		"ab\xe4\xb8",                   /* 中 cut short */
		"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80",
		ZHONG "\xc3" WEN "\xed\xa0\x80" ZI,  /* stray lead, surrogate */
		"?\xff?",
		"\xf0\x9f\x98",                 /* emoji cut short */
		"a\tb\x01" "c",                 /* control characters */
	};
	struct edit e;
	char out[VIEW_MAX];
	size_t t;
	int width, step;

	(void)state;
	for (t = 0; t < NELEM(texts); t++)
		for (width = 1; width <= 9; width++) {
			edit_init(&e, width, EF_TEXT);
			edit_set(&e, texts[t]);
			assert_int_equal(e.len, strlen(texts[t]));
			check_view(&e, out);
			key(&e, UK_HOME);
			for (step = 0; step < 40; step++) {
				key(&e, step < 20 ? UK_RIGHT : UK_LEFT);
				check_view(&e, out);
				assert_true(e.cur <= e.len);
			}
			/* editing around invalid bytes does not crash either */
			key(&e, UK_END);
			type(&e, "z");
			key(&e, UK_HOME);
			key(&e, UK_DEL);
			key(&e, UK_RIGHT);
			key(&e, UK_BS);
			assert_int_equal(e.len, strlen(e.buf));
			check_view(&e, out);
		}

	/* invalid bytes show as '?' */
	edit_init(&e, 6, EF_TEXT);
	edit_set(&e, "a\xff" "b");
	key(&e, UK_HOME);
	check_view(&e, out);
	assert_string_equal(out, "a?b   ");
}

/* A small output buffer is never overrun and stays terminated. */
static void test_view_small_buffer(void **state)
{
	struct edit e;
	char out[16];
	int cc;

	(void)state;
	edit_init(&e, 40, EF_TEXT);
	edit_set(&e, ZHONG WEN ZI ZHONG WEN ZI);
	memset(out, 'X', sizeof out);
	edit_view(&e, out, sizeof out, &cc);
	assert_true(strlen(out) < sizeof out);
	assert_true(utf8_valid(out, strlen(out)));
}

/* ------------------------------------------------------------ filters */

static void test_filter_int(void **state)
{
	struct edit e;

	(void)state;
	edit_init(&e, 10, EF_INT);
	type(&e, "-12a3b");
	assert_string_equal(e.buf, "-123");
	assert_true(typech(&e, 'x'));        /* refused, but handled */
	assert_true(typech(&e, '.'));
	assert_true(typech(&e, ','));
	assert_true(typech(&e, 0x4E2D));
	assert_true(typech(&e, ' '));
	assert_string_equal(e.buf, "-123");
}

static void test_filter_amount(void **state)
{
	struct edit e;

	(void)state;
	edit_init(&e, 14, EF_AMOUNT);
	type(&e, "1,234.50");
	assert_string_equal(e.buf, "1,234.50");
	key(&e, UK_HOME);
	type(&e, "-");
	assert_string_equal(e.buf, "-1,234.50");
	type(&e, "e$ " UE ZHONG "+");
	assert_string_equal(e.buf, "-1,234.50");
}

static void test_filter_date(void **state)
{
	struct edit e;

	(void)state;
	edit_init(&e, 10, EF_DATE);
	type(&e, "2025-01-0x1");
	assert_string_equal(e.buf, "2025-01-01");
	edit_set(&e, "");
	type(&e, "1/2.3 " ZHONG "4");
	assert_string_equal(e.buf, "1234");
}

static void test_filter_code(void **state)
{
	struct edit e;

	(void)state;
	edit_init(&e, 12, EF_CODE);
	e.upper = true;
	type(&e, "a");
	assert_string_equal(e.buf, "A");
	type(&e, "b-1_.z9");
	assert_string_equal(e.buf, "AB-1_.Z9");
	type(&e, ZHONG UE " /@");           /* CJK, ü, blank, punctuation */
	assert_string_equal(e.buf, "AB-1_.Z9");

	/* without upper, case is kept */
	edit_init(&e, 12, EF_CODE);
	type(&e, "aB" ZHONG "c");
	assert_string_equal(e.buf, "aBc");
}

static void test_filter_text(void **state)
{
	struct edit e;

	(void)state;
	edit_init(&e, 20, EF_TEXT);
	type(&e, "a b" UE ZHONG SMILE "!");
	assert_string_equal(e.buf, "a b" UE ZHONG SMILE "!");
	typech(&e, 0x07);                    /* control characters */
	typech(&e, '\t');
	typech(&e, 0x7F);
	typech(&e, 0x9B);
	typech(&e, 0xD800);                  /* a surrogate */
	typech(&e, 0x110000);                /* beyond Unicode */
	typech(&e, -1);
	assert_string_equal(e.buf, "a b" UE ZHONG SMILE "!");

	/* upper on text: ASCII only */
	edit_init(&e, 20, EF_TEXT);
	e.upper = true;
	type(&e, "ab" UE "c");
	assert_string_equal(e.buf, "AB" UE "C");
}

/* ------------------------------------------------- limits and modes */

static void test_max_chars(void **state)
{
	struct edit e;

	(void)state;
	edit_init(&e, 10, EF_TEXT);
	e.max_chars = 3;
	type(&e, "a" ZHONG UE "d");
	assert_string_equal(e.buf, "a" ZHONG UE);  /* 3 characters, 6 bytes */
	key(&e, UK_HOME);
	type(&e, "x");
	assert_string_equal(e.buf, "a" ZHONG UE);
	key(&e, UK_DEL);
	type(&e, "x");
	assert_string_equal(e.buf, "x" ZHONG UE);
	key(&e, UK_END);
	key(&e, UK_BS);
	type(&e, SMILE SMILE);
	assert_string_equal(e.buf, "x" ZHONG SMILE);
	check_sane(&e);

	/* fresh replacement is not refused by the limit */
	e.fresh = true;
	type(&e, "pqrs");
	assert_string_equal(e.buf, "pqr");
}

static void test_buffer_full(void **state)
{
	struct edit e;
	char text[EDIT_MAX + 8];

	(void)state;
	edit_init(&e, 10, EF_TEXT);
	memset(text, 'a', EDIT_MAX - 2);
	text[EDIT_MAX - 2] = '\0';
	edit_set(&e, text);
	assert_int_equal(e.len, EDIT_MAX - 2);
	type(&e, "b");                       /* the last byte that fits */
	assert_int_equal(e.len, EDIT_MAX - 1);
	type(&e, "c");
	assert_int_equal(e.len, EDIT_MAX - 1);
	key(&e, UK_BS);
	key(&e, UK_BS);
	type(&e, ZHONG);                     /* 3 bytes: one too many */
	assert_int_equal(e.len, EDIT_MAX - 3);
	type(&e, UE);                        /* 2 bytes fit */
	assert_int_equal(e.len, EDIT_MAX - 1);
	check_sane(&e);
}

static void test_readonly(void **state)
{
	static const enum ukey edits[] = { UK_BS, UK_DEL, UK_KILL };
	struct edit e;
	char out[VIEW_MAX];
	size_t i;

	(void)state;
	edit_init(&e, 10, EF_TEXT);
	edit_set(&e, "abc");
	e.readonly = true;
	e.fresh = true;
	assert_true(typech(&e, 'x'));
	assert_string_equal(e.buf, "abc");
	key(&e, UK_LEFT);
	assert_int_equal(e.cur, 2);          /* moving is allowed */
	for (i = 0; i < NELEM(edits); i++) {
		assert_true(key(&e, edits[i]));
		assert_string_equal(e.buf, "abc");
	}
	key(&e, UK_HOME);
	for (i = 0; i < NELEM(edits); i++)
		key(&e, edits[i]);
	type(&e, "yz");
	assert_string_equal(e.buf, "abc");
	assert_false(e.changed);
	check_view(&e, out);
	assert_string_equal(out, "abc       ");

	/* a readonly bool does not toggle */
	edit_init(&e, 3, EF_BOOL);
	edit_set(&e, "no");
	e.readonly = true;
	assert_true(typech(&e, ' '));
	assert_true(typech(&e, 'y'));
	assert_string_equal(e.buf, "no");
	assert_false(e.changed);
}

static void test_fresh(void **state)
{
	struct edit e;

	(void)state;
	edit_init(&e, 10, EF_AMOUNT);
	edit_set(&e, "100.00");
	e.fresh = true;
	type(&e, "5");
	assert_string_equal(e.buf, "5");
	assert_int_equal(e.cur, 1);
	assert_true(e.changed);
	assert_false(e.fresh);
	type(&e, "0");                       /* the second one appends */
	assert_string_equal(e.buf, "50");

	/* a refused character replaces nothing */
	edit_set(&e, "100.00");
	e.fresh = true;
	e.changed = false;
	type(&e, "x");
	assert_string_equal(e.buf, "100.00");
	assert_false(e.changed);
	type(&e, "7");                       /* the first one accepted does */
	assert_string_equal(e.buf, "7");

	/* a movement first: then typing inserts */
	edit_set(&e, "100.00");
	e.fresh = true;
	key(&e, UK_HOME);
	assert_false(e.fresh);
	type(&e, "2");
	assert_string_equal(e.buf, "2100.00");

	/* backspace on a fresh text deletes one character */
	edit_set(&e, "100.00");
	e.fresh = true;
	key(&e, UK_BS);
	assert_string_equal(e.buf, "100.0");
	assert_false(e.fresh);

	/* idle and resize keep it; other keys end it */
	edit_set(&e, "12");
	e.fresh = true;
	assert_false(key(&e, UK_IDLE));
	assert_false(key(&e, UK_RESIZE));
	assert_true(e.fresh);
	type(&e, "3");
	assert_string_equal(e.buf, "3");
	edit_set(&e, "12");
	e.fresh = true;
	assert_false(key(&e, UK_SAVE));
	assert_false(e.fresh);

	/* CJK replacing CJK */
	edit_init(&e, 10, EF_TEXT);
	edit_set(&e, ZHONG WEN);
	e.fresh = true;
	type(&e, ZI);
	assert_string_equal(e.buf, ZI);
	assert_int_equal(e.cur, 3);
}

static void test_bool(void **state)
{
	static const struct {
		const char *before;
		wchar_t ch;
		const char *after;
	} cases[] = {
		{ "no", 'y', "yes" }, { "no", 'Y', "yes" },
		{ "no", '1', "yes" }, { "no", 't', "yes" },
		{ "no", 'T', "yes" },
		{ "yes", 'n', "no" }, { "yes", 'N', "no" },
		{ "yes", '0', "no" }, { "yes", 'f', "no" },
		{ "yes", 'F', "no" },
		{ "yes", 'y', "yes" }, { "no", 'n', "no" },
		{ "no", ' ', "yes" }, { "yes", ' ', "no" }, { "", ' ', "yes" },
		{ "true", ' ', "no" }, { "false", ' ', "yes" },
		{ "1", ' ', "no" }, { "0", ' ', "yes" },
		{ "no", 'x', "no" }, { "yes", 'e', "yes" },
		{ "no", 0x4E2D, "no" },
	};
	struct edit e;
	char out[VIEW_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		edit_init(&e, 3, EF_BOOL);
		edit_set(&e, cases[i].before);
		e.fresh = i % 2 == 0;
		assert_true(typech(&e, cases[i].ch));
		if (strcmp(e.buf, cases[i].after) != 0)
			print_error("case %zu: \"%s\" + %#x gave \"%s\"\n",
				    i, cases[i].before, (unsigned)cases[i].ch,
				    e.buf);
		assert_string_equal(e.buf, cases[i].after);
		assert_int_equal(e.len, strlen(cases[i].after));
		check_sane(&e);
		check_view(&e, out);
		assert_false(e.fresh);
	}

	/* a toggle marks the input changed; a refused key does not */
	edit_init(&e, 3, EF_BOOL);
	edit_set(&e, "no");
	typech(&e, 'q');
	assert_false(e.changed);
	typech(&e, ' ');
	assert_true(e.changed);
	assert_string_equal(edit_text(&e), "yes");
	typech(&e, ' ');
	assert_string_equal(edit_text(&e), "no");
}

static void test_not_editing_keys(void **state)
{
	static const enum ukey other[] = {
		UK_NONE, UK_HELP, UK_SAVE, UK_BACK, UK_LOOKUP, UK_NEW,
		UK_DELETE, UK_PREV, UK_NEXT, UK_HISTORY, UK_ACTIONS, UK_GOTO,
		UK_SEARCH, UK_SORT, UK_FILTER, UK_ROWUP, UK_ROWDOWN, UK_REDRAW,
		UK_UP, UK_DOWN, UK_PGUP, UK_PGDN, UK_TAB, UK_BTAB, UK_ENTER,
		UK_RESIZE, UK_HANGUP, UK_IDLE,
	};
	struct edit e;
	size_t i;

	(void)state;
	edit_init(&e, 10, EF_TEXT);
	edit_set(&e, "abc");
	for (i = 0; i < NELEM(other); i++) {
		assert_false(key(&e, other[i]));
		assert_string_equal(e.buf, "abc");
		assert_int_equal(e.cur, 3);
	}
	assert_false(e.changed);
}

/* ------------------------------------------------- set and text */

static void test_set_truncates(void **state)
{
	static const char *const tails[] = { ZHONG, SMILE, UE, "z" };
	char text[EDIT_MAX + 16];
	struct edit e;
	size_t t, pad;

	(void)state;
	for (t = 0; t < NELEM(tails); t++)
		for (pad = EDIT_MAX - 6; pad <= EDIT_MAX + 2; pad++) {
			size_t tl = strlen(tails[t]), want;

			memset(text, 'a', pad);
			memcpy(text + pad, tails[t], tl + 1);
			/* what fits in EDIT_MAX - 1 bytes, whole characters */
			want = pad + tl <= EDIT_MAX - 1 ? pad + tl :
			       pad < EDIT_MAX - 1 ? pad : EDIT_MAX - 1;
			edit_init(&e, 8, EF_TEXT);
			edit_set(&e, text);
			if (e.len != want)
				print_error("tail %zu pad %zu: %zu bytes, "
					    "expected %zu\n", t, pad, e.len,
					    want);
			assert_int_equal(e.len, want);
			assert_int_equal(e.cur, e.len);
			check_sane(&e);
		}

	/* NULL is the empty text; the scroll starts over */
	edit_init(&e, 3, EF_TEXT);
	edit_set(&e, "abcdef");
	{
		char out[VIEW_MAX];
		check_view(&e, out);
		assert_true(e.scroll > 0);
	}
	edit_set(&e, NULL);
	assert_int_equal(e.len, 0);
	assert_int_equal(e.cur, 0);
	assert_int_equal(e.scroll, 0);
	assert_string_equal(e.buf, "");
}

static void test_text_trimmed(void **state)
{
	struct edit e;

	(void)state;
	edit_init(&e, 10, EF_TEXT);
	edit_set(&e, "abc   ");
	assert_string_equal(edit_text(&e), "abc");
	assert_string_equal(e.buf, "abc   ");   /* the input keeps them */
	edit_set(&e, "  a b  ");
	assert_string_equal(edit_text(&e), "  a b");
	edit_set(&e, "   ");
	assert_string_equal(edit_text(&e), "");
	edit_set(&e, ZHONG " ");
	assert_string_equal(edit_text(&e), ZHONG);
	type(&e, "x");
	assert_string_equal(edit_text(&e), ZHONG " x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_cjk),
		cmocka_unit_test(test_cursor_boundaries),
		cmocka_unit_test(test_view_ascii_scroll),
		cmocka_unit_test(test_view_cjk_edges),
		cmocka_unit_test(test_view_backspace),
		cmocka_unit_test(test_view_one_column),
		cmocka_unit_test(test_view_random),
		cmocka_unit_test(test_view_odd_texts),
		cmocka_unit_test(test_view_small_buffer),
		cmocka_unit_test(test_filter_int),
		cmocka_unit_test(test_filter_amount),
		cmocka_unit_test(test_filter_date),
		cmocka_unit_test(test_filter_code),
		cmocka_unit_test(test_filter_text),
		cmocka_unit_test(test_max_chars),
		cmocka_unit_test(test_buffer_full),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_fresh),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_not_editing_keys),
		cmocka_unit_test(test_set_truncates),
		cmocka_unit_test(test_text_trimmed),
	};

	return cmocka_run_group_tests_name("edit", tests, NULL, NULL);
}
