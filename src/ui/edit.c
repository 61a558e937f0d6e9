/*
 * edit.c - the line editor: UTF-8 text, a cursor on character
 * boundaries, horizontal scrolling by display columns.
 */
#include <stddef.h>
#include <string.h>
#include <wctype.h>

#include "base/utf8.h"
#include "ui/edit.h"

void edit_init(struct edit *e, int width, enum edit_filter f)
{
	memset(e, 0, sizeof *e);
	e->width = width > 0 ? width : 1;
	e->filter = f;
}

/* Bytes of the character starting at s[0] (1 for invalid bytes). */
static size_t char_len(const char *s, size_t left)
{
	uint32_t cp;
	int n = utf8_decode(s, left, &cp);

	return n > 0 ? (size_t)n : 1;
}

static size_t prev_start(const struct edit *e, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)e->buf[at] & 0xC0) == 0x80)
		at--;
	return at;
}

static size_t nchars(const char *s, size_t len)
{
	size_t n = 0, i = 0;

	while (i < len) {
		i += char_len(s + i, len - i);
		n++;
	}
	return n;
}

void edit_set(struct edit *e, const char *text)
{
	size_t n = text ? strlen(text) : 0;

	if (n >= sizeof e->buf) {
		n = sizeof e->buf - 1;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(e->buf, text ? text : "", n);
	e->buf[n] = '\0';
	e->len = n;
	e->cur = n;
	e->scroll = 0;
}

const char *edit_text(struct edit *e)
{
	size_t n = e->len;

	while (n > 0 && e->buf[n - 1] == ' ')
		n--;
	memcpy(e->out, e->buf, n);
	e->out[n] = '\0';
	return e->out;
}

static bool accepts(const struct edit *e, wchar_t c)
{
	switch (e->filter) {
	case EF_TEXT:
		return iswprint((wint_t)c) || c >= 0x80;
	case EF_CODE:
		return (c < 0x80 && (iswalnum((wint_t)c) || c == '.' ||
				     c == '_' || c == '-'));
	case EF_INT:
		return (c >= '0' && c <= '9') || c == '-';
	case EF_AMOUNT:
		return (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		       c == ',';
	case EF_DATE:
		return (c >= '0' && c <= '9') || c == '-';
	case EF_BOOL:
		return c < 0x80 && strchr("yYnNtTfF01eEsSoOrRuUaAlL", (int)c);
	}
	return false;
}

static void insert(struct edit *e, wchar_t c)
{
	char mb[8];
	size_t n;
	uint32_t cp = (uint32_t)c;

	if (e->readonly || !accepts(e, c))
		return;
	if (e->upper && cp < 0x80 && cp >= 'a' && cp <= 'z')
		cp -= 32;
	if (utf8_cp_width(cp) == 0 && cp != 0x3000)
		return;
	if (cp < 0x80) {
		mb[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		mb[0] = (char)(0xC0 | (cp >> 6));
		mb[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return;
		mb[0] = (char)(0xE0 | (cp >> 12));
		mb[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		mb[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else if (cp < 0x110000) {
		mb[0] = (char)(0xF0 | (cp >> 18));
		mb[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		mb[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		mb[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	} else {
		return;
	}
	if (e->len + n >= sizeof e->buf)
		return;
	if (e->max_chars > 0 && nchars(e->buf, e->len) >= (size_t)e->max_chars)
		return;
	memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
	memcpy(e->buf + e->cur, mb, n);
	e->len += n;
	e->cur += n;
	e->changed = true;
}

static void delete_at(struct edit *e, size_t at)
{
	size_t n;

	if (at >= e->len)
		return;
	n = char_len(e->buf + at, e->len - at);
	memmove(e->buf + at, e->buf + at + n, e->len - at - n + 1);
	e->len -= n;
	e->changed = true;
}

bool edit_key(struct edit *e, const struct ukey_ev *ev)
{
	if (ev->k != UK_CHAR && ev->k != UK_IDLE && ev->k != UK_RESIZE)
		e->fresh = false;
	switch (ev->k) {
	case UK_CHAR:
		if (e->readonly)
			return true;
		if (e->filter == EF_BOOL) {
			wchar_t c = ev->ch;
			const char *now = e->buf;
			bool yes = (c == 'y' || c == 'Y' || c == '1' || c == 't' || c == 'T') ||
				   (c == ' ' && !(now[0] == 'y' || now[0] == 't' || now[0] == '1'));
			if (c == 'y' || c == 'Y' || c == '1' || c == 't' || c == 'T' ||
			    c == 'n' || c == 'N' || c == '0' || c == 'f' || c == 'F' || c == ' ') {
				edit_set(e, yes ? "yes" : "no");
				e->changed = true;
			}
			e->fresh = false;
			return true;
		}
		if (e->fresh && accepts(e, ev->ch)) {
			e->buf[0] = '\0';
			e->len = e->cur = 0;
			e->scroll = 0;
			e->changed = true;
			e->fresh = false;
		}
		insert(e, ev->ch);
		return true;
	case UK_LEFT:
		e->cur = prev_start(e, e->cur);
		return true;
	case UK_RIGHT:
		if (e->cur < e->len)
			e->cur += char_len(e->buf + e->cur, e->len - e->cur);
		return true;
	case UK_HOME:
	case UK_BOL:
		e->cur = 0;
		return true;
	case UK_END:
	case UK_EOL:
		e->cur = e->len;
		return true;
	case UK_BS:
		if (!e->readonly && e->cur > 0) {
			e->cur = prev_start(e, e->cur);
			delete_at(e, e->cur);
		}
		return true;
	case UK_DEL:
		if (!e->readonly)
			delete_at(e, e->cur);
		return true;
	case UK_KILL:
		if (!e->readonly && e->cur < e->len) {
			e->buf[e->cur] = '\0';
			e->len = e->cur;
			e->changed = true;
		}
		return true;
	default:
		return false;
	}
}

/* Display column of byte offset at. */
static int col_of(const struct edit *e, size_t at)
{
	int col = 0;
	size_t i = 0;

	while (i < at && i < e->len) {
		uint32_t cp;
		int n = utf8_decode(e->buf + i, e->len - i, &cp);
		if (n <= 0) {
			n = 1;
			cp = '?';
		}
		col += utf8_cp_width(cp);
		i += (size_t)n;
	}
	return col;
}

void edit_view(struct edit *e, char *out, size_t n, int *cursor_col)
{
	int ccol = col_of(e, e->cur), col = 0;
	size_t i = 0, o = 0;

	/* Keep the cursor inside the window, with room for a wide char. */
	if (ccol < e->scroll)
		e->scroll = ccol;
	if (e->cur == e->len && ccol == e->width && e->scroll == 0) {
		/* exactly full: show it all, the cursor on the last cell */
	} else {
		/* room for the cursor cell, and for a wide character under it */
		int need = 1;
		if (e->cur < e->len) {
			uint32_t cp;
			if (utf8_decode(e->buf + e->cur, e->len - e->cur, &cp) > 0)
				need = utf8_cp_width(cp) > 1 ? 2 : 1;
		}
		if (need > e->width)
			need = e->width;
		if (ccol + need > e->scroll + e->width)
			e->scroll = ccol - e->width + need;
	}
	/* text left of the window while the right of it is empty: scroll back */
	if (e->scroll > 0 && col_of(e, e->len) + 1 - e->scroll < e->width)
		e->scroll = col_of(e, e->len) + 1 - e->width;
	if (e->scroll < 0)
		e->scroll = 0;
	while (i < e->len && o + 8 < n) {
		uint32_t cp;
		int b = utf8_decode(e->buf + i, e->len - i, &cp);
		int w;
		if (b <= 0) {
			b = 1;
			cp = '?';
		}
		w = utf8_cp_width(cp);
		if (col >= e->scroll && col + w <= e->scroll + e->width) {
			if (cp == '?' && b == 1 && e->buf[i] != '?')
				out[o++] = '?';
			else {
				memcpy(out + o, e->buf + i, (size_t)b);
				o += (size_t)b;
			}
		} else if (col < e->scroll && col + w > e->scroll) {
			out[o++] = ' ';          /* cut at the left edge */
		} else if (col >= e->scroll && col < e->scroll + e->width) {
			out[o++] = ' ';          /* cut at the right edge */
		}
		col += w;
		i += (size_t)b;
		if (col >= e->scroll + e->width)
			break;
	}
	{
		int shown = col - e->scroll;
		if (shown < 0)
			shown = 0;
		if (shown > e->width)
			shown = e->width;
		while (shown < e->width && o + 1 < n) {
			out[o++] = ' ';
			shown++;
		}
	}
	out[o] = '\0';
	*cursor_col = ccol - e->scroll;
	if (*cursor_col >= e->width)
		*cursor_col = e->width - 1;
}

void edit_view_home(const struct edit *e, char *out, size_t n)
{
	struct edit tmp = *e;
	int cc;

	/* The same drawing from the first column (the cursor at the start). */
	tmp.cur = 0;
	tmp.scroll = 0;
	edit_view(&tmp, out, n, &cc);
}
