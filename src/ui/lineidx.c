/*
 * lineidx.c - the line and page index of a text file (see lineidx.h).
 *
 * The scan reads the file in 64 KiB pieces and keeps only offsets; a
 * line is read again with fseeko() when it is shown or searched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "base/i18n.h"
#include "base/utf8.h"
#include "ui/lineidx.h"

#define CHUNK (64 * 1024)
#define LINE_MAX_READ (64 * 1024)    /* bytes of one line a search reads */

/* Room for one more line (and the end offset after it). */
static int grow_lines(struct lineidx *ix, size_t *cap)
{
	int64_t *p;
	size_t want;

	if (ix->n + 2 <= *cap)
		return 0;
	want = *cap ? *cap * 2 : 1024;
	if (!(p = realloc(ix->off, want * sizeof *p)))
		return -1;
	ix->off = p;
	*cap = want;
	return 0;
}

static int grow_pages(struct lineidx *ix, size_t *cap)
{
	size_t *p, want;

	if (ix->npages + 1 <= *cap)
		return 0;
	want = *cap ? *cap * 2 : 64;
	if (!(p = realloc(ix->page, want * sizeof *p)))
		return -1;
	ix->page = p;
	*cap = want;
	return 0;
}

/* Notes a line starting at start; a new page starts with it when page. */
static int add_line(struct lineidx *ix, size_t *lcap, size_t *pcap,
		    int64_t start, bool *page)
{
	if (grow_lines(ix, lcap))
		return -1;
	if (*page) {
		if (grow_pages(ix, pcap))
			return -1;
		ix->page[ix->npages++] = ix->n;
		*page = false;
	}
	ix->off[ix->n++] = start;
	return 0;
}

int lineidx_build(struct lineidx *ix, FILE *f, struct kerr *err)
{
	char *buf = NULL;
	size_t lcap = 0, pcap = 0, got;
	int64_t pos = 0, start = 0;
	bool empty = true;        /* nothing on the current line yet */
	bool page = true;         /* the next line starts a page */
	int ret = 0;

	memset(ix, 0, sizeof *ix);
	if (!f)
		return kerr_set(err, K_EINVAL, NULL, NULL);
	if (!(buf = malloc(CHUNK)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if (fseeko(f, 0, SEEK_SET) != 0) {
		ret = kerr_set(err, K_EIO, NULL, _("cannot read the report: %s"),
			       strerror(errno));
		goto out;
	}
	while ((got = fread(buf, 1, CHUNK, f)) > 0) {
		for (size_t i = 0; i < got; i++, pos++) {
			char c = buf[i];
			if (c == '\n') {
				if (add_line(ix, &lcap, &pcap, start, &page))
					goto nomem;
				start = pos + 1;
				empty = true;
			} else if (c == '\f') {
				if (!empty &&
				    add_line(ix, &lcap, &pcap, start, &page))
					goto nomem;
				start = pos + 1;
				empty = true;
				page = true;
			} else {
				empty = false;
			}
		}
	}
	if (ferror(f)) {
		ret = kerr_set(err, K_EIO, NULL, _("cannot read the report: %s"),
			       strerror(errno));
		goto out;
	}
	if (!empty && add_line(ix, &lcap, &pcap, start, &page))
		goto nomem;
	if (grow_lines(ix, &lcap))
		goto nomem;
	ix->off[ix->n] = pos;
	goto out;
nomem:
	ret = kerr_set(err, K_ENOMEM, NULL, NULL);
out:
	free(buf);
	if (ret)
		lineidx_free(ix);
	return ret;
}

void lineidx_free(struct lineidx *ix)
{
	if (!ix)
		return;
	free(ix->off);
	free(ix->page);
	memset(ix, 0, sizeof *ix);
}

/*
 * Cuts s[0..len) at its first line end and drops a '\r' before it;
 * *ended says whether a line end was there.
 */
static size_t line_text(char *s, size_t len, bool *ended)
{
	*ended = false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' || s[i] == '\f') {
			len = i;
			*ended = true;
			break;
		}
	while (len > 0 && s[len - 1] == '\r')
		len--;
	return len;
}

/*
 * Reads line (at most n - 1 bytes of it) into buf, without its end;
 * *cut says whether the line was longer.  -1 on a read error.
 */
static long read_raw(const struct lineidx *ix, FILE *f, size_t line,
		     char *buf, size_t n, bool *cut)
{
	int64_t len;
	size_t want, got, k;
	bool ended;

	*cut = false;
	if (line >= ix->n || n == 0)
		return -1;
	len = ix->off[line + 1] - ix->off[line];
	want = len < 0 ? 0 : (size_t)len;
	if (want > n - 1)
		want = n - 1;
	if (fseeko(f, (off_t)ix->off[line], SEEK_SET) != 0)
		return -1;
	got = fread(buf, 1, want, f);
	if (got < want && ferror(f))
		return -1;
	k = line_text(buf, got, &ended);
	*cut = !ended && (int64_t)got < len;
	return (long)k;
}

/* Bytes of s[0..len) without a last character that was cut short. */
static size_t whole_chars(const char *s, size_t len)
{
	size_t j = len, need;
	unsigned char c;

	while (j > 0 && ((unsigned char)s[j - 1] & 0xC0) == 0x80 &&
	       len - j < 3)
		j--;
	if (j == 0)
		return len;
	c = (unsigned char)s[j - 1];
	need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	return len - (j - 1) < need ? j - 1 : len;
}

size_t lineidx_read(const struct lineidx *ix, FILE *f, size_t line,
		    char *buf, size_t n)
{
	long k;
	bool cut;

	if (!buf || n == 0)
		return 0;
	buf[0] = '\0';
	if (!ix || !f || (k = read_raw(ix, f, line, buf, n, &cut)) < 0)
		return 0;
	/* A line cut short must not end inside a character. */
	if (cut)
		k = (long)whole_chars(buf, (size_t)k);
	buf[k] = '\0';
	return (size_t)k;
}

size_t lineidx_page_of(const struct lineidx *ix, size_t line)
{
	size_t lo = 0, hi;

	if (!ix || ix->npages == 0)
		return 0;
	hi = ix->npages;
	/* the last page whose first line is <= line */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->page[mid] <= line)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

size_t lineidx_page_first(const struct lineidx *ix, size_t page)
{
	if (!ix || ix->npages == 0)
		return 0;
	if (page >= ix->npages)
		page = ix->npages - 1;
	return ix->page[page];
}

/* Byte offset of needle in hay[0..len) ignoring ASCII case, or -1. */
static long find_in(const char *hay, size_t len, const char *needle,
		    size_t nl)
{
	if (nl > len)
		return -1;
	for (size_t i = 0; i + nl <= len; i++) {
		size_t k = 0;
		while (k < nl) {
			unsigned char a = (unsigned char)hay[i + k];
			unsigned char b = (unsigned char)needle[k];
			if (a >= 'A' && a <= 'Z')
				a = (unsigned char)(a + 32);
			if (b >= 'A' && b <= 'Z')
				b = (unsigned char)(b + 32);
			if (a != b)
				break;
			k++;
		}
		if (k == nl)
			return (long)i;
	}
	return -1;
}

int lineidx_search(const struct lineidx *ix, FILE *f, size_t from,
		   const char *needle, bool wrap, size_t *line, size_t *at,
		   bool *wrapped)
{
	size_t nl = needle ? strlen(needle) : 0, i, count;
	char *buf;
	int ret = 0;

	if (wrapped)
		*wrapped = false;
	if (!ix || !f || nl == 0 || ix->n == 0)
		return 0;
	if (!(buf = malloc(LINE_MAX_READ)))
		return -1;
	if (from >= ix->n)
		from = ix->n - 1;
	/* The lines after from, then (wrap) from the top through from. */
	count = wrap ? ix->n : ix->n - 1 - from;
	i = from;
	for (size_t k = 0; k < count; k++) {
		long len, m;
		bool cut;
		i = i + 1 < ix->n ? i + 1 : 0;
		if ((len = read_raw(ix, f, i, buf, LINE_MAX_READ, &cut)) < 0) {
			ret = -1;
			break;
		}
		if ((m = find_in(buf, (size_t)len, needle, nl)) >= 0) {
			if (line)
				*line = i;
			if (at)
				*at = (size_t)m;
			if (wrapped)
				*wrapped = i <= from;
			ret = 1;
			break;
		}
	}
	free(buf);
	return ret;
}

/* The next character of s[0..len): its bytes and columns (see above). */
static size_t next_char(const char *s, size_t len, int *w, bool *blank)
{
	uint32_t cp;
	int k = utf8_decode(s, len, &cp);

	*blank = false;
	if (k <= 0) {
		*w = 1;
		*blank = true;
		return 1;
	}
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
		*w = 1;
		*blank = true;
	} else {
		*w = utf8_cp_width(cp);
	}
	return (size_t)k;
}

char *lineidx_slice(const char *s, int from, int cols, char *out, size_t n)
{
	size_t len = s ? strlen(s) : 0, i = 0, o = 0;
	int col = 0, shown = 0;

	if (!out || n == 0)
		return out;
	if (from < 0)
		from = 0;
	while (i < len && shown < cols) {
		int w;
		bool blank;
		size_t k = next_char(s + i, len - i, &w, &blank);
		if (col < from) {
			/* left of the view; a wide one cut by the edge: blank */
			if (col + w > from) {
				int part = col + w - from;
				while (part-- > 0 && shown < cols && o + 1 < n) {
					out[o++] = ' ';
					shown++;
				}
			}
		} else if (shown + w > cols) {
			break;
		} else if (blank) {
			if (o + 1 < n) {
				out[o++] = ' ';
				shown++;
			}
		} else if (o + k < n) {
			memcpy(out + o, s + i, k);
			o += k;
			shown += w;
		} else {
			break;
		}
		col += w;
		i += k;
	}
	while (shown < cols && o + 1 < n) {
		out[o++] = ' ';
		shown++;
	}
	out[o] = '\0';
	return out;
}

int lineidx_cols(const char *s, size_t at)
{
	size_t len = s ? strlen(s) : 0, i = 0;
	int col = 0;

	if (at > len)
		at = len;
	while (i < at) {
		int w;
		bool blank;
		i += next_char(s + i, len - i, &w, &blank);
		col += w;
	}
	return col;
}
