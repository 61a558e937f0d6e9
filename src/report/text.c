/*
 * text.c - paginated text for line printers and the screen: 80 or 132
 * columns, a page header on every page, column headings repeated,
 * group headings and subtotals, the grand total, a form feed between
 * pages, and a block-character chart after the total.
 *
 * "Page N of M": the pages go to a temporary file (tmpfile()) as they
 * are made; the first line of each page there is a marker holding the
 * page number.  At the end M is known and the file is copied to the
 * output, each marker replaced by the company and "Page N of M".  Only
 * a line is held in memory, and one row held back so that a subtotal or
 * total never starts a page alone (a total split by currency keeps all
 * its lines with that row when they fit a page; a group's heading
 * likewise goes to the next page when its first row and a subtotal
 * would not fit).
 *
 * Widths are display columns (base/utf8.h): CJK text takes two columns
 * a character, a text too long for its column is cut without splitting
 * a character, and a number that does not fit shows as stars (never a
 * cut, wrong number).  Control characters in the data print as blanks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/utf8.h"
#include "report/report_int.h"

#define HEAD_LINES 6          /* company, title, parameters, blank,
				 headings, rule */
#define MARK '\x1e'           /* starts a page's first line in the file */
#define CELL_MAX 1024         /* bytes of one cell's text */

/* A growing line. */
struct sbuf {
	char *p;
	size_t len, cap;
};

struct text {
	FILE *tmp;
	int width;                /* of the page, in columns */
	int page_lines;           /* 0: one endless page */
	int page;                 /* pages begun */
	int used;                 /* lines on the current page */
	bool fresh;               /* no body line yet on this page */
	int *w;                   /* column widths */
	bool any_total;           /* some column is totalled */
	bool grouped;             /* a group was seen */
	char *group;              /* the open group's key, or NULL */
	bool in_total;            /* inside a block of total lines */
	struct sbuf line;
	struct sbuf pend;         /* the row held back */
	struct sbuf head;         /* the page header's lines */
	bool pending;
	char cell[CELL_MAX];
	char *pad;                /* utf8_pad's output, padcap bytes */
	size_t padcap;
	char params[512];
	char stamp[160];
};

/* ------------------------------------------------------------ helpers */

static int sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap)))
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static int sb_puts(struct sbuf *b, const char *s)
{
	return sb_put(b, s, strlen(s));
}

static int sb_spaces(struct sbuf *b, int n)
{
	static const char sp[] = "                                ";
	int ret = 0;

	while (n > 0 && !ret) {
		int k = n < (int)sizeof sp - 1 ? n : (int)sizeof sp - 1;
		ret = sb_put(b, sp, (size_t)k);
		n -= k;
	}
	return ret;
}

static void sb_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

/* Control characters become blanks, so that a line stays one line. */
static void sanitize(char *s)
{
	for (unsigned char *p = (unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

/* s cut or padded to exactly cols columns, appended to b. */
static int put_padded(struct text *x, struct sbuf *b, const char *s, int cols,
		      bool right)
{
	size_t need = (size_t)(cols > 0 ? cols : 0) + strlen(s) + 1;

	if (cols <= 0)
		return 0;
	if (need > x->padcap) {
		char *p = realloc(x->pad, need);
		if (!p)
			return -1;
		x->pad = p;
		x->padcap = need;
	}
	return sb_puts(b, utf8_pad(s, (size_t)cols, right, x->pad, x->padcap));
}

/* "left ... right" in width columns (left is cut to make room). */
static int two_sides(struct text *x, struct sbuf *b, const char *left,
		     const char *right, int width)
{
	int rw = (int)utf8_width(right);
	int lw = width - rw - 1;

	if (lw < 0)
		lw = 0;
	if (put_padded(x, b, left, lw, false) || sb_puts(b, " ") ||
	    sb_puts(b, right))
		return -1;
	return 0;
}

static void trim(struct sbuf *b)
{
	while (b->len > 0 && b->p[b->len - 1] == ' ')
		b->p[--b->len] = '\0';
}

static bool numeric(enum rfmt f)
{
	return f == RF_AMOUNT || f == RF_QTY || f == RF_PRICE ||
	       f == RF_PERCENT || f == RF_INT;
}

static bool right_aligned(const struct rcol *col)
{
	return col->align == RA_RIGHT || numeric(col->fmt);
}

static int io_error(struct kerr *err)
{
	return kerr_set(err, K_EIO, NULL, _("cannot write the report: %s"),
			strerror(errno ? errno : EIO));
}

static int no_memory(struct kerr *err)
{
	return kerr_set(err, K_ENOMEM, NULL, NULL);
}

/* ------------------------------------------------------------- layout */

/* Column widths; room left over widens the widest text column. */
static void layout(struct text *x, const struct report *r)
{
	int sum = 0, widest = -1;

	for (size_t i = 0; i < r->ncols; i++) {
		x->w[i] = r->cols[i].width > 0 ? r->cols[i].width : 1;
		sum += x->w[i] + (i ? 1 : 0);
		if (r->cols[i].fmt == RF_TEXT &&
		    (widest < 0 || x->w[i] > x->w[widest]))
			widest = (int)i;
		if (r->cols[i].total)
			x->any_total = true;
	}
	if (widest >= 0 && sum < x->width)
		x->w[widest] += x->width - sum;
}

/* ------------------------------------------------------------- output */

/* Writes b and a newline to the temporary file. */
static int emit_line(struct text *x, struct sbuf *b, struct kerr *err)
{
	trim(b);
	if (fwrite(b->p ? b->p : "", 1, b->len, x->tmp) != b->len ||
	    putc('\n', x->tmp) == EOF)
		return io_error(err);
	x->used++;
	return 0;
}

static int headings(struct text *x, const struct report *r, bool rule,
		    struct kerr *err)
{
	struct sbuf *b = &x->head;

	sb_reset(b);
	for (size_t i = 0; i < r->ncols; i++) {
		const struct rcol *col = &r->cols[i];
		if ((i && sb_puts(b, " ")))
			return no_memory(err);
		if (rule) {
			for (int k = 0; k < x->w[i]; k++)
				if (sb_puts(b, "-"))
					return no_memory(err);
		} else {
			snprintf(x->cell, sizeof x->cell, "%s", _(col->heading));
			sanitize(x->cell);
			if (put_padded(x, b, x->cell, x->w[i],
				       right_aligned(col)))
				return no_memory(err);
		}
	}
	return emit_line(x, b, err);
}

/*
 * Starts a page: form feed, then the header with the page marker.  Its
 * own buffer: the line that caused the break is still to be written.
 */
static int new_page(struct text *x, const struct rctx *c, struct kerr *err)
{
	struct sbuf *b = &x->head;
	char mark[32];

	x->page++;
	x->used = 0;
	x->fresh = true;
	if (x->page > 1 && putc('\f', x->tmp) == EOF)
		return io_error(err);
	snprintf(mark, sizeof mark, "%c%d", MARK, x->page);
	sb_reset(b);
	if (sb_puts(b, mark))
		return no_memory(err);
	if (emit_line(x, b, err))
		return err->code;
	sb_reset(b);
	if (two_sides(x, b, _(c->r->title), x->stamp, x->width))
		return no_memory(err);
	if (emit_line(x, b, err))
		return err->code;
	sb_reset(b);
	if (put_padded(x, b, x->params, x->width, false))
		return no_memory(err);
	if (emit_line(x, b, err))
		return err->code;
	sb_reset(b);
	if (emit_line(x, b, err) || headings(x, c->r, false, err) ||
	    headings(x, c->r, true, err))
		return err->code;
	return 0;
}

/* Lines left on this page (a lot when pages are endless). */
static int room(const struct text *x)
{
	if (x->page == 0)
		return 0;
	if (x->page_lines <= 0)
		return 1 << 30;
	return x->page_lines - x->used;
}

/* Makes sure n lines fit on the page (a new page when not). */
static int need(struct text *x, const struct rctx *c, int n,
		struct kerr *err)
{
	if (x->page == 0 || (room(x) < n && !x->fresh))
		return new_page(x, c, err);
	if (room(x) < 1)
		return new_page(x, c, err);
	return 0;
}

/* A body line: b, after a page break when the page is full. */
static int body(struct text *x, const struct rctx *c, struct sbuf *b,
		struct kerr *err)
{
	if (room(x) < 1 && new_page(x, c, err))
		return err->code;
	x->fresh = false;
	return emit_line(x, b, err);
}

/* "Category: 机床" (or "... (continued)" at the top of a page). */
static int group_heading(struct text *x, const struct rctx *c, bool cont,
			 struct kerr *err)
{
	struct sbuf *b = &x->line;
	const char *label = c->r->group_label;
	char buf[CELL_MAX];

	if (label)
		snprintf(buf, sizeof buf, cont ? _("%s: %s (continued)") :
			 "%s: %s", _(label), x->group);
	else
		snprintf(buf, sizeof buf, cont ? _("%s (continued)") : "%s",
			 x->group);
	sanitize(buf);
	sb_reset(b);
	if (put_padded(x, b, buf, x->width, false))
		return no_memory(err);
	return body(x, c, b, err);
}

/* Composes a row into x->pend, held back (see flush). */
static int row_line(struct text *x, const struct rctx *c,
		    const struct rrow *row, struct kerr *err)
{
	const struct report *r = c->r;
	struct sbuf *b = &x->pend;

	sb_reset(b);
	for (size_t i = 0; i < r->ncols; i++) {
		const struct rcol *col = &r->cols[i];
		int w = x->w[i];

		if (i && sb_puts(b, " "))
			return no_memory(err);
		report_cell_text(col, &row->cells[i], false, x->cell,
				 sizeof x->cell);
		sanitize(x->cell);
		if (i == 0 && row->indent > 0) {
			/*
			 * Two columns a level, less when that lets the text
			 * fit whole (a deep account's code).
			 */
			int tw = (int)utf8_width(x->cell);
			int ind = row->indent > w / 2 ? w / 2 * 2 :
							row->indent * 2;
			if (tw <= w && ind > w - tw)
				ind = w - tw;
			if (sb_spaces(b, ind))
				return no_memory(err);
			w -= ind;
		}
		if (col->fmt != RF_TEXT && (int)utf8_width(x->cell) > w) {
			memset(x->cell, '*', (size_t)w);
			x->cell[w] = '\0';
		}
		if (put_padded(x, b, x->cell, w, right_aligned(col)))
			return no_memory(err);
	}
	x->pending = true;
	return 0;
}

/* The column's left edge. */
static int col_x(const struct text *x, size_t i)
{
	int at = 0;

	for (size_t k = 0; k < i; k++)
		at += x->w[k] + 1;
	return at;
}

/* Dashes under the totalled columns. */
static int total_rule(struct text *x, const struct rctx *c, struct kerr *err)
{
	const struct report *r = c->r;
	struct sbuf *b = &x->line;
	int at = 0;

	sb_reset(b);
	for (size_t i = 0; i < r->ncols; i++) {
		int cx = col_x(x, i);
		if (!r->cols[i].total)
			continue;
		if (sb_spaces(b, cx - at))
			return no_memory(err);
		for (int k = 0; k < x->w[i]; k++)
			if (sb_puts(b, "-"))
				return no_memory(err);
		at = cx + x->w[i];
	}
	return body(x, c, b, err);
}

/*
 * A total line: the label on the left, each total right-aligned under
 * its column.  A total wider than its column takes blank room on its
 * left (the cells left of it are empty on this line); when there is
 * none it shows as stars.
 */
static int total_line(struct text *x, const struct rctx *c, const char *label,
		      const int64_t *totals, struct kerr *err)
{
	const struct report *r = c->r;
	struct sbuf *b = &x->line;
	char *nums = NULL;
	int first = x->width, prev_end = 0, end_all = 0;
	char v[CELL_MAX];

	if (!(nums = malloc((size_t)x->width + 1)))
		return no_memory(err);
	memset(nums, ' ', (size_t)x->width);
	nums[x->width] = '\0';
	for (size_t i = 0; totals && i < r->ncols; i++) {
		const struct rcol *col = &r->cols[i];
		int end, len, start;

		if (!col->total)
			continue;
		report_total_text(col, totals[i], false, v, sizeof v);
		end = col_x(x, i) + x->w[i];
		if (end > x->width)
			end = x->width;
		len = (int)strlen(v);
		start = end - len;
		if (start < prev_end + (prev_end ? 1 : 0) || start < 0) {
			start = end - x->w[i];
			if (start < 0)
				start = 0;
			memset(nums + start, '*', (size_t)(end - start));
		} else {
			memcpy(nums + start, v, (size_t)len);
		}
		if (start < first)
			first = start;
		prev_end = end;
		end_all = end;
	}
	snprintf(v, sizeof v, "%s", label);
	sanitize(v);
	sb_reset(b);
	/* The label takes the room left of the first total. */
	int lw = first == x->width ? x->width : first - 1;
	if (lw < 0)
		lw = 0;
	if (lw > 0 && put_padded(x, b, v, lw, false)) {
		free(nums);
		return no_memory(err);
	}
	if (end_all > lw && sb_put(b, nums + lw, (size_t)(end_all - lw))) {
		free(nums);
		return no_memory(err);
	}
	free(nums);
	return body(x, c, b, err);
}

/* ----------------------------------------------------------- renderer */

static void text_free(struct text *x)
{
	if (!x)
		return;
	if (x->tmp)
		fclose(x->tmp);
	free(x->w);
	free(x->group);
	free(x->line.p);
	free(x->pend.p);
	free(x->head.p);
	free(x->pad);
	free(x);
}

static int text_begin(struct rctx *c, struct kerr *err)
{
	struct text *x = c->priv;
	const struct rmeta *m = c->m;
	char ts[32];

	text_free(x);           /* begun again: start over */
	c->priv = NULL;
	if (!(x = calloc(1, sizeof *x)))
		return no_memory(err);
	c->priv = x;
	if (!(x->w = calloc(c->r->ncols ? c->r->ncols : 1, sizeof *x->w)))
		return no_memory(err);
	errno = 0;
	if (!(x->tmp = tmpfile()))
		return kerr_set(err, K_EIO, NULL,
				_("cannot make a temporary file for the report: %s"),
				strerror(errno ? errno : EIO));
	/*
	 * Closed on exec: a clerk evicted while a report runs execs itself
	 * afresh (ui/app.c) and must not keep the pages (unlinked, but
	 * taking room until the descriptor closes).
	 */
	if (fcntl(fileno(x->tmp), F_SETFD, FD_CLOEXEC) != 0)
		return kerr_set(err, K_EIO, NULL,
				_("cannot make a temporary file for the report: %s"),
				strerror(errno));
	x->width = report_width(c->r, c->m->width);
	x->page_lines = m->page_lines;
	if (x->page_lines > 0 && x->page_lines < HEAD_LINES + 4)
		x->page_lines = HEAD_LINES + 4;
	layout(x, c->r);
	report_params_line(c->r, c->p, x->params, sizeof x->params);
	sanitize(x->params);
	date_format_ts(m->run_us, ts, sizeof ts);
	snprintf(x->stamp, sizeof x->stamp, _("%s by %s"), ts,
		 m->user ? m->user : "");
	sanitize(x->stamp);
	return 0;
}

/*
 * Writes the row held back, with `extra` lines after it on the same
 * page: a subtotal or total never starts a page alone.
 */
static int flush(struct text *x, const struct rctx *c, int extra,
		 struct kerr *err)
{
	if (!x->pending)
		return extra ? need(x, c, extra, err) : 0;
	x->pending = false;
	if (need(x, c, 1 + extra, err))
		return err->code;
	if (x->fresh && x->group && group_heading(x, c, true, err))
		return err->code;
	return body(x, c, &x->pend, err);
}

/*
 * The lines a total starts with (its first line, the rule above it,
 * the blank before a grand total) were written; the next lines of its
 * block go on, after a page break when the block is longer than the
 * room left, under the group's heading again.
 */
static int total_next(struct text *x, const struct rctx *c, struct kerr *err)
{
	if (need(x, c, 1, err))
		return err->code;
	if (x->fresh && x->group && group_heading(x, c, true, err))
		return err->code;
	return 0;
}

static int text_line(struct rctx *c, enum rline kind, const struct rrow *row,
		     const int64_t *totals, struct kerr *err)
{
	struct text *x = c->priv;
	char label[CELL_MAX];
	/* The lines of this total after this one (a block: split totals). */
	int more = (int)(c->total_left < 1000 ? c->total_left : 1000);
	bool first = !x->in_total;
	int n;

	switch (kind) {
	case RL_GROUP:
		if (flush(x, c, 0, err))
			return err->code;
		free(x->group);
		if (!(x->group = strdup(row && row->group ? row->group : "")))
			return no_memory(err);
		x->grouped = true;
		/*
		 * A blank, the heading, a row and the subtotal (should the
		 * group have one row) together: a heading never ends a page.
		 */
		n = (x->fresh ? 2 : 3) + (x->any_total ? 2 : 1);
		if (need(x, c, n, err))
			return err->code;
		if (!x->fresh) {
			sb_reset(&x->line);
			if (body(x, c, &x->line, err))
				return err->code;
		}
		return group_heading(x, c, false, err);
	case RL_ROW:
		/* One row is held back until the next line shows what follows. */
		if (flush(x, c, 0, err))
			return err->code;
		return row_line(x, c, row, err);
	case RL_SUBTOTAL:
		if (first) {
			/* The group's last row, the rule and the block. */
			n = (x->any_total && totals ? 2 : 1) + more;
			if (flush(x, c, n, err))
				return err->code;
			if (x->fresh && x->group &&
			    group_heading(x, c, true, err))
				return err->code;
			if (x->any_total && totals && total_rule(x, c, err))
				return err->code;
		} else if (total_next(x, c, err)) {
			return err->code;
		}
		report_total_label(c, kind, x->group, x->grouped, label,
				   sizeof label);
		if (total_line(x, c, label, totals, err))
			return err->code;
		x->in_total = more > 0;
		if (!x->in_total) {
			free(x->group);
			x->group = NULL;
		}
		return 0;
	case RL_TOTAL:
		if (first) {
			n = (x->grouped ? 2 : x->any_total && totals ? 2 : 1) +
			    more;
			if (flush(x, c, n, err))
				return err->code;
			if (x->grouped && !x->fresh) {
				sb_reset(&x->line);
				if (body(x, c, &x->line, err))
					return err->code;
			}
			if (x->any_total && totals && !x->grouped &&
			    total_rule(x, c, err))
				return err->code;
		} else if (total_next(x, c, err)) {
			return err->code;
		}
		report_total_label(c, kind, NULL, x->grouped, label,
				   sizeof label);
		x->in_total = more > 0;
		return total_line(x, c, label, totals, err);
	}
	return 0;
}

/* The chart after the total: a caption and the block characters. */
static int chart(struct text *x, struct rctx *c, struct kerr *err)
{
	const struct report *r = c->r;
	char (*lines)[512];
	char caption[CELL_MAX];
	int n, max = RCHART_MAX + 4;

	if (r->chart == RC_NONE || c->chart_n == 0)
		return 0;
	if (!(lines = calloc((size_t)max, sizeof *lines)))
		return no_memory(err);
	n = report_chart_blocks(c, x->width, r->chart == RC_BAR ?
				RCHART_MAX : 10, lines, max);
	if (need(x, c, 3, err))
		goto fail;
	if (!x->fresh) {
		sb_reset(&x->line);
		if (body(x, c, &x->line, err))
			goto fail;
	}
	snprintf(caption, sizeof caption, _("%s by %s"),
		 _(r->cols[r->chart_value_col].heading),
		 _(r->cols[r->chart_label_col].heading));
	sb_reset(&x->line);
	if (sb_puts(&x->line, caption)) {
		no_memory(err);
		goto fail;
	}
	if (body(x, c, &x->line, err))
		goto fail;
	for (int i = 0; i < n; i++) {
		sb_reset(&x->line);
		if (sb_puts(&x->line, lines[i])) {
			no_memory(err);
			goto fail;
		}
		if (body(x, c, &x->line, err))
			goto fail;
	}
	if (c->chart_cut) {
		snprintf(caption, sizeof caption,
			 _("(the chart shows the first %d rows)"), RCHART_MAX);
		sb_reset(&x->line);
		if (sb_puts(&x->line, caption)) {
			no_memory(err);
			goto fail;
		}
		if (body(x, c, &x->line, err))
			goto fail;
	}
	free(lines);
	return 0;
fail:
	free(lines);
	return err->code;
}

/* Copies the temporary file to the output, filling in the page lines. */
static int copy_out(struct text *x, struct rctx *c, struct kerr *err)
{
	char *buf = NULL, page[64];
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	if (fflush(x->tmp) != 0 || fseek(x->tmp, 0, SEEK_SET) != 0)
		return io_error(err);
	while ((len = getline(&buf, &cap, x->tmp)) > 0) {
		char *p = buf;
		if (*p == '\f') {
			if (putc('\f', c->out) == EOF)
				break;
			p++;
			len--;
		}
		if (*p == MARK) {
			snprintf(page, sizeof page, _("Page %d of %d"),
				 atoi(p + 1), x->page);
			sb_reset(&x->line);
			if (two_sides(x, &x->line, c->m->company ?
				      c->m->company : "", page, x->width)) {
				ret = no_memory(err);
				break;
			}
			sanitize(x->line.p);
			trim(&x->line);
			if (fputs(x->line.p, c->out) == EOF ||
			    putc('\n', c->out) == EOF)
				break;
			continue;
		}
		if (fwrite(p, 1, (size_t)len, c->out) != (size_t)len)
			break;
	}
	if (!ret && (ferror(x->tmp) || ferror(c->out)))
		ret = io_error(err);
	free(buf);
	return ret;
}

static int text_end(struct rctx *c, struct kerr *err)
{
	struct text *x = c->priv;

	if (flush(x, c, 0, err))
		return err->code;
	if (x->page == 0 && new_page(x, c, err))
		return err->code;
	if (chart(x, c, err))
		return err->code;
	return copy_out(x, c, err);
}

static void text_cleanup(struct rctx *c)
{
	text_free(c->priv);
	c->priv = NULL;
}

const struct rrenderer report_text_renderer = {
	.two_pass = false,
	.begin = text_begin,
	.line = text_line,
	.end = text_end,
	.cleanup = text_cleanup,
};
