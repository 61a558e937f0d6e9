/*
 * chart.c - charts drawn with Unicode block characters, for plain text
 * and the screen.  A pure function of the points report_run() collected
 * (struct rctx): no I/O, no floating point.
 *
 * RC_BAR: one horizontal bar a point, its label on the left and its
 * value on the right; bar lengths are in eighths of a column (full
 * blocks and the left-eighth blocks), scaled so the largest magnitude
 * fills the room.  A negative value is drawn in light shade.
 * RC_LINE: the points left to right in `height` lines, each at its
 * level in eighths of a line (the lower-eighth blocks), so they read as
 * a dotted line; the highest and lowest value label the axis, the first
 * and last point's labels sit under it.
 */
#include <stdint.h>
#include <string.h>

#include "base/utf8.h"
#include "report/report_int.h"

#define LINE_BYTES 512
#define MAX_WIDTH 150           /* keeps a line under LINE_BYTES */
#define LABEL_MAX 20            /* columns for a bar's label at most */

static const char *const left_eighths[8] = {
	"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a",
	"\u2589",
};
static const char *const low_eighths[8] = {
	"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587",
	"\u2588",
};
#define FULL "\u2588"
#define SHADE "\u2591"
#define AXIS "\u2502"

/* A line being written: never past its LINE_BYTES. */
struct out {
	char *p;
	size_t len;
};

static void put(struct out *o, const char *s)
{
	size_t k = strlen(s);

	if (o->len + k + 1 > LINE_BYTES)
		return;
	memcpy(o->p + o->len, s, k);
	o->len += k;
	o->p[o->len] = '\0';
}

static void put_n(struct out *o, const char *s, int n)
{
	while (n-- > 0)
		put(o, s);
}

static void put_padded(struct out *o, const char *s, int cols, bool right)
{
	char buf[LINE_BYTES];

	if (cols <= 0)
		return;
	utf8_pad(s, (size_t)cols, right, buf, sizeof buf);
	put(o, buf);
}

static void trim(struct out *o)
{
	while (o->len > 0 && o->p[o->len - 1] == ' ')
		o->p[--o->len] = '\0';
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* round(a * b / d) for magnitudes, d > 0. */
static uint64_t scale(uint64_t a, uint64_t b, uint64_t d)
{
	unsigned __int128 p = (unsigned __int128)a * b;

	return (uint64_t)((p + d / 2) / d);
}

static int bars(const struct rctx *c, int width, int n, char lines[][512])
{
	const struct rcol *vc = &c->r->cols[c->r->chart_value_col];
	char v[64];
	int lw = 1, vw = 1, room;
	uint64_t max = 0;

	for (int i = 0; i < n; i++) {
		int w = (int)utf8_width(c->chart_label[i] ? c->chart_label[i] :
					"");
		if (w > lw)
			lw = w;
		w = (int)strlen(report_total_text(vc, c->chart_value[i], false,
						  v, sizeof v));
		if (w > vw)
			vw = w;
		if (magnitude(c->chart_value[i]) > max)
			max = magnitude(c->chart_value[i]);
	}
	if (lw > LABEL_MAX)
		lw = LABEL_MAX;
	if (lw > width / 4)
		lw = width / 4 > 0 ? width / 4 : 1;
	room = width - lw - vw - 2;
	if (room < 1)
		return 0;
	for (int i = 0; i < n; i++) {
		struct out o = { lines[i], 0 };
		int64_t val = c->chart_value[i];
		uint64_t e = max ? scale(magnitude(val), (uint64_t)room * 8,
					 max) : 0;
		int used;

		lines[i][0] = '\0';
		put_padded(&o, c->chart_label[i] ? c->chart_label[i] : "", lw,
			   false);
		put(&o, " ");
		if (val >= 0) {
			put_n(&o, FULL, (int)(e / 8));
			put(&o, left_eighths[e % 8]);
			used = (int)(e / 8) + (e % 8 ? 1 : 0);
		} else {
			used = (int)((e + 4) / 8);
			put_n(&o, SHADE, used);
		}
		put_n(&o, " ", room - used + 1);
		put_padded(&o, report_total_text(vc, val, false, v, sizeof v),
			   vw, true);
		trim(&o);
	}
	return n;
}

static int line_chart(const struct rctx *c, int width, int height,
		      char lines[][512], int max_lines)
{
	const struct rcol *vc = &c->r->cols[c->r->chart_value_col];
	char hi_t[64], lo_t[64];
	int64_t hi, lo;
	int h = height, yw, plot, n = (int)c->chart_n, cw;
	uint64_t span, levels;

	if (h > max_lines - 1)
		h = max_lines - 1;
	if (h < 2)
		return 0;
	hi = lo = c->chart_value[0];
	for (int i = 1; i < n; i++) {
		if (c->chart_value[i] > hi)
			hi = c->chart_value[i];
		if (c->chart_value[i] < lo)
			lo = c->chart_value[i];
	}
	report_total_text(vc, hi, false, hi_t, sizeof hi_t);
	report_total_text(vc, lo, false, lo_t, sizeof lo_t);
	yw = (int)strlen(hi_t) > (int)strlen(lo_t) ? (int)strlen(hi_t) :
						      (int)strlen(lo_t);
	plot = width - yw - 1;
	if (plot < 1)
		return 0;
	if (n > plot)
		n = plot;
	cw = plot / n;
	/* hi - lo may not fit int64_t: the span as a magnitude. */
	span = (uint64_t)hi - (uint64_t)lo;
	levels = (uint64_t)h * 8 - 1;
	for (int r = 0; r < h; r++) {
		struct out o = { lines[r], 0 };

		lines[r][0] = '\0';
		put_padded(&o, r == 0 ? hi_t : r == h - 1 ? lo_t : "", yw,
			   true);
		put(&o, AXIS);
		for (int i = 0; i < n; i++) {
			uint64_t d = (uint64_t)c->chart_value[i] - (uint64_t)lo;
			uint64_t lv = span ? scale(d, levels, span) : 0;
			int row = h - 1 - (int)(lv / 8);
			if (row == r)
				put_n(&o, low_eighths[lv % 8], cw);
			else
				put_n(&o, " ", cw);
		}
		trim(&o);
	}
	/* The labels of the first and the last point under the axis. */
	struct out o = { lines[h], 0 };
	const char *first = c->chart_label[0] ? c->chart_label[0] : "";
	const char *last = c->chart_label[n - 1] ? c->chart_label[n - 1] : "";
	int fw = (int)utf8_width(first), lastw = (int)utf8_width(last);

	lines[h][0] = '\0';
	put_n(&o, " ", yw + 1);
	if (n == 1 || fw + 1 + lastw > plot) {
		put_padded(&o, first, fw < plot ? fw : plot, false);
	} else {
		put(&o, first);
		put_n(&o, " ", n * cw - fw - lastw > 1 ? n * cw - fw - lastw : 1);
		put(&o, last);
	}
	trim(&o);
	return h + 1;
}

int report_chart_blocks(const struct rctx *c, int width, int height,
			char lines[][512], int max_lines)
{
	int n;

	if (!c || !c->r || !lines || max_lines <= 0 || height <= 0 ||
	    c->chart_n == 0 || c->r->chart == RC_NONE ||
	    c->r->chart_value_col < 0 ||
	    (size_t)c->r->chart_value_col >= c->r->ncols)
		return 0;
	if (width > MAX_WIDTH)
		width = MAX_WIDTH;
	if (c->r->chart == RC_BAR) {
		n = (int)c->chart_n;
		if (n > height)
			n = height;
		if (n > max_lines)
			n = max_lines;
		return bars(c, width, n, lines);
	}
	return line_chart(c, width, height, lines, max_lines);
}
