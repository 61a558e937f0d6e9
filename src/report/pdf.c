/*
 * pdf.c - the PDF renderer: cairo draws, pango lays out text.
 *
 * Two passes over the same lines (report_run runs the source twice in
 * one snapshot).  Every body line is LINE_PT high, so pass 0 needs no
 * cairo at all: it walks the page layout to count pages, and pass 1
 * draws with "Page N of M" known.  Both passes take the same decisions
 * in the same functions (need, flush_row), pass 0 only skips the
 * drawing, so they cannot disagree on where a page breaks.
 *
 * Memory does not grow with rows: one row is held back (its texts, in
 * a buffer made once) so that a subtotal or total never starts a page
 * alone, as in the text renderer; everything else is drawn at once and
 * forgotten.  What cairo keeps grows with pages, not rows (the offsets
 * of the objects written, for the cross-reference table, and the glyphs
 * used, for the font subsets).
 *
 * Page layout, in points (tests/report/pdf.sh counts pages from the
 * same figures):
 *
 *   margins   MARGIN_PT all round
 *   header    HEAD_PT: company, "DATE by USER", title, parameters
 *   headings  COLHEAD_PT: column headings (not on a page that holds
 *             the chart alone)
 *   body      LINE_PT a line: rows; a group's heading, after a blank
 *             line unless it starts the page, kept with its first row;
 *             "GROUP (continued)" atop a page that goes on with a
 *             group; a subtotal or total kept with the row before it
 *             (split by currency: all its lines, up to a page less two,
 *             keep_max); a blank line before the grand total of a
 *             grouped report
 *   footer    FOOT_PT: "Page N of M", centred
 *   chart     a blank line after the total, then CHART_PT high; on a
 *             page of its own (header and footer, no headings) when it
 *             does not fit; none when the report has no rows
 *
 * Columns share the printable width in proportion to rcol.width (plus
 * the text layout's gap).  Texts are cut with an ellipsis to their
 * column; numbers are never cut.
 *
 * Fonts: "Noto Sans CJK SC, Noto Sans, Sans 9" through fontconfig, so
 * Chinese names are drawn with a real font (fonts-noto-cjk); cairo
 * embeds subsets with Unicode maps, so the text can be searched and
 * copied (pdftotext reads it).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "report/report_int.h"

#ifdef HAVE_PDF

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#define A4_W_PT      595.27559  /* 210 mm */
#define A4_H_PT      841.88976  /* 297 mm */
#define LETTER_W_PT  612.0
#define LETTER_H_PT  792.0

#define MARGIN_PT    36.0
#define HEAD_PT      52.0
#define COLHEAD_PT   16.0
#define FOOT_PT      18.0
#define LINE_PT      12.0
#define CHART_PT     300.0
#define PAD_PT       6.0        /* between columns */
#define INDENT_PT    10.0       /* a tree level (two text columns) */
#define BASE_PT      9.5        /* baseline below a line's top */

#define FONT         "Noto Sans CJK SC, Noto Sans, Sans"
#define FONT_PT      9
#define TITLE_PT     13
#define SMALL_PT     7

#define CELL_MAX     512        /* bytes of a cell's text */

struct pdf_col {
	double x0, x1;            /* the cell's text box */
};

/*
 * Glyphs of the characters numbers are made of, looked up once through
 * pango: a number cell is then drawn with cairo_show_glyphs() without
 * a layout (digits need no shaping, no fallback font and no line
 * breaking; laying them out took a third of the time).
 */
#define GLYPH_CHARS "0123456789,.-+%:/() "
struct pdf_glyphs {
	cairo_scaled_font_t *font;    /* NULL: not looked up yet */
	bool failed;                  /* not one font, one glyph each */
	unsigned long glyph[sizeof GLYPH_CHARS];
	double adv[sizeof GLYPH_CHARS];
	bool draw[sizeof GLYPH_CHARS];    /* false: advance only */
};

struct pdf {
	int pass;                 /* the pass in progress, -1 between */
	int page;                 /* pages begun in this pass */
	int pages;                /* counted by pass 0 (0 = unknown) */
	bool open;                /* a page is begun */
	bool fresh;               /* nothing in its body yet */
	double page_w, page_h;
	double body_bottom;       /* above the footer */
	double y;                 /* top of the next line */

	bool in_group;            /* between RL_GROUP and RL_SUBTOTAL */
	bool grouped;             /* a group was seen */
	char group[256];          /* its key */
	bool in_total;            /* inside a block of total lines */
	bool held;                /* a row is held back */
	int held_indent;
	bool held_heading;

	/* pass 1 only */
	FILE *out;
	bool discard;             /* stop writing (an error, cleanup) */
	int write_errno;
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pctx;
	PangoLayout *text;        /* FONT_PT */
	PangoLayout *bold;        /* FONT_PT bold */
	PangoLayout *title;       /* TITLE_PT bold */
	PangoLayout *small;       /* SMALL_PT */
	struct pdf_glyphs gtext, gbold;   /* for text and bold */
	struct pdf_col *cols;     /* one per column */
	char *cells;              /* the held row: CELL_MAX a column */
	char *totals;             /* a total line: CELL_MAX a column */
	int label_col;            /* column of total labels, -1 none */
	double label_x1;          /* where such a label may run to */
};

/* ------------------------------------------------------------ geometry */

static void pdf_geometry(struct pdf *st, const struct rmeta *m)
{
	double w = m->a4 ? A4_W_PT : LETTER_W_PT;
	double h = m->a4 ? A4_H_PT : LETTER_H_PT;

	if (m->landscape) {
		st->page_w = h;
		st->page_h = w;
	} else {
		st->page_w = w;
		st->page_h = h;
	}
	st->body_bottom = st->page_h - MARGIN_PT - FOOT_PT;
}

/*
 * Column boxes across the printable width in proportion to rcol.width
 * plus one, the gap the text layout leaves after each column (without
 * it a 4-column "Unit" cannot hold its heading), and where total labels
 * go: the first column without a total, running on over the columns up
 * to the next one with a total.
 */
static void pdf_columns(struct pdf *st, const struct report *r)
{
	double left = MARGIN_PT, width = st->page_w - 2 * MARGIN_PT;
	long sum = 0, acc = 0;
	size_t i;

	for (i = 0; i < r->ncols; i++)
		sum += (r->cols[i].width > 0 ? r->cols[i].width : 0) + 1;
	for (i = 0; i < r->ncols; i++) {
		long cw = (r->cols[i].width > 0 ? r->cols[i].width : 0) + 1;
		double x0 = left + width * (double)acc / (double)sum;
		double x1 = left + width * (double)(acc + cw) / (double)sum;

		acc += cw;
		st->cols[i].x0 = x0 + (i > 0 ? PAD_PT / 2 : 0);
		st->cols[i].x1 = x1 - (i + 1 < r->ncols ? PAD_PT / 2 : 0);
	}
	st->label_col = -1;
	for (i = 0; i < r->ncols; i++)
		if (!r->cols[i].total) {
			st->label_col = (int)i;
			break;
		}
	if (st->label_col >= 0) {
		st->label_x1 = st->cols[st->label_col].x1;
		for (i = (size_t)st->label_col + 1; i < r->ncols &&
		     !r->cols[i].total; i++)
			st->label_x1 = st->cols[i].x1;
	}
}

/* ------------------------------------------------------------ drawing */

/*
 * Looks the characters of GLYPH_CHARS up in lay's font; false when one
 * of them is not a single glyph of the same font.
 */
static bool glyphs_load(struct pdf_glyphs *g, PangoLayout *lay)
{
	size_t i;

	if (g->font != NULL || g->failed)
		return !g->failed;
	pango_layout_set_width(lay, -1);
	pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_NONE);
	for (i = 0; GLYPH_CHARS[i] != '\0'; i++) {
		char ch[2] = { GLYPH_CHARS[i], '\0' };
		PangoLayoutLine *line;
		PangoGlyphItem *run;
		PangoGlyphInfo *gi;
		cairo_scaled_font_t *font;

		pango_layout_set_text(lay, ch, 1);
		line = pango_layout_get_line_readonly(lay, 0);
		if (line == NULL || line->runs == NULL || line->runs->next != NULL)
			goto failed;
		run = line->runs->data;
		if (run->glyphs->num_glyphs != 1)
			goto failed;
		gi = &run->glyphs->glyphs[0];
		if (gi->glyph != PANGO_GLYPH_EMPTY &&
		    (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) != 0)
			goto failed;
		font = pango_cairo_font_get_scaled_font(
			PANGO_CAIRO_FONT(run->item->analysis.font));
		if (font == NULL || (g->font != NULL && font != g->font))
			goto failed;
		if (g->font == NULL)
			g->font = cairo_scaled_font_reference(font);
		g->glyph[i] = gi->glyph;
		g->draw[i] = gi->glyph != PANGO_GLYPH_EMPTY;
		g->adv[i] = (double)gi->geometry.width / PANGO_SCALE;
	}
	return true;

failed:
	if (g->font != NULL)
		cairo_scaled_font_destroy(g->font);
	g->font = NULL;
	g->failed = true;
	return false;
}

/*
 * Draws s with the cached glyphs, right- or left-aligned in x0..x1 and
 * never cut; false (nothing drawn) when s has other characters.
 */
static bool glyphs_show(struct pdf *st, struct pdf_glyphs *g, const char *s,
			double x0, double x1, double top, enum ralign align)
{
	cairo_glyph_t gl[64];
	double w = 0, x;
	size_t k[64], i, n = strlen(s);
	int ng = 0;

	if (n > 64)
		return false;
	for (i = 0; i < n; i++) {
		const char *p = strchr(GLYPH_CHARS, s[i]);

		if (p == NULL)
			return false;
		k[i] = (size_t)(p - GLYPH_CHARS);
		w += g->adv[k[i]];
	}
	x = align == RA_RIGHT ? x1 - w : x0;
	for (i = 0; i < n; i++) {
		if (g->draw[k[i]]) {
			gl[ng].index = g->glyph[k[i]];
			gl[ng].x = x;
			gl[ng].y = top + BASE_PT;
			ng++;
		}
		x += g->adv[k[i]];
	}
	cairo_set_scaled_font(st->cr, g->font);
	cairo_show_glyphs(st->cr, gl, ng);
	return true;
}

/*
 * Draws s in lay with its baseline BASE_PT below top, between x0 and
 * x1: texts are cut with an ellipsis to fit; numbers are never cut (a
 * cut number is a wrong number) and only aligned.
 */
static void text_at(struct pdf *st, PangoLayout *lay, const char *s,
		    double x0, double x1, double top, enum ralign align,
		    bool cut)
{
	double x = x0;

	if (s == NULL || s[0] == '\0' || x1 <= x0)
		return;
	if (!cut) {
		struct pdf_glyphs *g = lay == st->text ? &st->gtext :
				       lay == st->bold ? &st->gbold : NULL;

		if (g != NULL && glyphs_load(g, lay) &&
		    glyphs_show(st, g, s, x0, x1, top, align))
			return;
	}
	pango_layout_set_text(lay, s, -1);
	if (cut) {
		pango_layout_set_width(lay, (int)((x1 - x0) * PANGO_SCALE));
		pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
		pango_layout_set_alignment(lay, align == RA_RIGHT ?
					   PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	} else {
		pango_layout_set_width(lay, -1);
		pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_NONE);
		pango_layout_set_alignment(lay, PANGO_ALIGN_LEFT);
		if (align == RA_RIGHT) {
			int w, h;

			pango_layout_get_size(lay, &w, &h);
			x = x1 - (double)w / PANGO_SCALE;
		}
	}
	cairo_move_to(st->cr, x, top + BASE_PT -
		      (double)pango_layout_get_baseline(lay) / PANGO_SCALE);
	pango_cairo_show_layout(st->cr, lay);
}

/* Draws s centred between x0 and x1, cut to fit. */
static void text_centre(struct pdf *st, PangoLayout *lay, const char *s,
			double x0, double x1, double top)
{
	if (s == NULL || s[0] == '\0' || x1 <= x0)
		return;
	pango_layout_set_text(lay, s, -1);
	pango_layout_set_width(lay, (int)((x1 - x0) * PANGO_SCALE));
	pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(lay, PANGO_ALIGN_CENTER);
	cairo_move_to(st->cr, x0, top + BASE_PT -
		      (double)pango_layout_get_baseline(lay) / PANGO_SCALE);
	pango_cairo_show_layout(st->cr, lay);
}

/* The width of s in lay, in points. */
static double text_width(PangoLayout *lay, const char *s)
{
	int w, h;

	pango_layout_set_text(lay, s, -1);
	pango_layout_set_width(lay, -1);
	pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_NONE);
	pango_layout_get_size(lay, &w, &h);
	return (double)w / PANGO_SCALE;
}

/* A horizontal line w points thick in grey (0 black, 1 white). */
static void rule(struct pdf *st, double x0, double x1, double y, double w,
		 double grey)
{
	cairo_save(st->cr);
	cairo_set_source_rgb(st->cr, grey, grey, grey);
	cairo_set_line_width(st->cr, w);
	cairo_move_to(st->cr, x0, y);
	cairo_line_to(st->cr, x1, y);
	cairo_stroke(st->cr);
	cairo_restore(st->cr);
}

/* A grey band behind a line (subtotals, the total). */
static void band(struct pdf *st, double top, double grey)
{
	cairo_save(st->cr);
	cairo_set_source_rgb(st->cr, grey, grey, grey);
	cairo_rectangle(st->cr, MARGIN_PT, top, st->page_w - 2 * MARGIN_PT,
			LINE_PT);
	cairo_fill(st->cr);
	cairo_restore(st->cr);
}

/* The page's header, its column headings (when asked) and footer. */
static void draw_frame(struct pdf *st, const struct rctx *c, bool headings)
{
	const struct report *r = c->r;
	const struct rmeta *m = c->m;
	double left = MARGIN_PT, right = st->page_w - MARGIN_PT;
	double mid = left + (right - left) / 2, y = MARGIN_PT;
	char when[32], run[192], params[512], page[64];
	size_t i;

	date_format_ts(m->run_us, when, sizeof when);
	snprintf(run, sizeof run, _("%s by %s"), when,
		 m->user != NULL ? m->user : "");
	text_at(st, st->bold, m->company, left, mid - PAD_PT, y, RA_LEFT, true);
	text_at(st, st->text, run, mid, right, y, RA_RIGHT, true);
	text_at(st, st->title, _(r->title), left, right, y + 19.5, RA_LEFT,
		true);
	params[0] = '\0';
	report_params_line(r, c->p, params, sizeof params);
	text_at(st, st->text, params, left, right, y + 33.5, RA_LEFT, true);
	rule(st, left, right, MARGIN_PT + HEAD_PT - 3, 0.8, 0.0);

	if (headings) {
		y = MARGIN_PT + HEAD_PT;
		for (i = 0; i < r->ncols; i++)
			text_at(st, st->bold, _(r->cols[i].heading),
				st->cols[i].x0, st->cols[i].x1, y,
				r->cols[i].align, true);
		rule(st, left, right, y + LINE_PT + 1.5, 0.5, 0.0);
	}

	if (st->pages > 0)
		snprintf(page, sizeof page, _("Page %d of %d"), st->page,
			 st->pages);
	else
		snprintf(page, sizeof page, _("Page %d"), st->page);
	text_centre(st, st->text, page, left, right,
		    st->page_h - MARGIN_PT - LINE_PT);
}

/*
 * A line of cell texts (CELL_MAX bytes a column): a row's, indented by
 * its depth in the first column, or a total line's with label in the
 * label column.
 */
static void draw_cells(struct pdf *st, const struct rctx *c, PangoLayout *lay,
		       double top, const char *cells, int indent,
		       const char *label)
{
	const struct report *r = c->r;
	size_t i;

	for (i = 0; i < r->ncols; i++) {
		const struct rcol *col = &r->cols[i];
		double x0 = st->cols[i].x0;

		if (label != NULL && (int)i == st->label_col) {
			text_at(st, lay, label, x0, st->label_x1, top, RA_LEFT,
				true);
			continue;
		}
		if (i == 0 && indent > 0)
			x0 += INDENT_PT * indent;
		text_at(st, lay, cells + i * CELL_MAX, x0, st->cols[i].x1, top,
			col->align, col->fmt == RF_TEXT);
	}
}

/* ------------------------------------------------------------ pages */

/* Says why cairo failed: the stream's errno when a write did. */
static int cairo_failed(struct pdf *st, struct kerr *err)
{
	cairo_status_t cs = CAIRO_STATUS_SUCCESS;

	if (st->surface != NULL)
		cs = cairo_surface_status(st->surface);
	if (cs == CAIRO_STATUS_SUCCESS && st->cr != NULL)
		cs = cairo_status(st->cr);
	if (st->write_errno != 0)
		return kerr_set(err, K_EIO, NULL, _("cannot write the PDF: %s"),
				strerror(st->write_errno));
	if (cs == CAIRO_STATUS_NO_MEMORY)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	return kerr_set(err, K_EINTERNAL, NULL, _("cannot draw the PDF: %s"),
			cairo_status_to_string(cs));
}

/*
 * Ends the page in progress and begins the next; headings says whether
 * it shows the column headings (not on a page that holds the chart
 * alone).  Pass 0 only counts.
 */
static int new_page(struct pdf *st, const struct rctx *c, bool headings,
		    struct kerr *err)
{
	if (st->open && st->cr != NULL) {
		cairo_show_page(st->cr);
		if (cairo_status(st->cr) != CAIRO_STATUS_SUCCESS)
			return cairo_failed(st, err);
	}
	st->page++;
	st->open = true;
	st->fresh = true;
	st->y = MARGIN_PT + HEAD_PT + (headings ? COLHEAD_PT : 0);
	if (st->cr != NULL)
		draw_frame(st, c, headings);
	return 0;
}

/* Takes a body line: its top. */
static double take(struct pdf *st)
{
	double top = st->y;

	st->y += LINE_PT;
	st->fresh = false;
	return top;
}

/* "Category: KEY" or "KEY", with " (continued)" atop a later page. */
static void group_heading(struct pdf *st, const struct rctx *c, bool cont)
{
	const char *label = c->r->group_label;
	char buf[CELL_MAX];
	double top = take(st);

	if (st->cr == NULL)
		return;
	if (label != NULL)
		snprintf(buf, sizeof buf, cont ? _("%s: %s (continued)") :
			 "%s: %s", _(label), st->group);
	else
		snprintf(buf, sizeof buf, cont ? _("%s (continued)") : "%s",
			 st->group);
	text_at(st, st->bold, buf, MARGIN_PT, st->page_w - MARGIN_PT, top,
		RA_LEFT, true);
}

/*
 * Makes room for n lines: a new page when they do not fit on this one,
 * which repeats the group's heading when the lines go on with it (cont).
 */
static int need(struct pdf *st, const struct rctx *c, int n, bool cont,
		struct kerr *err)
{
	int rc;

	if (st->open && st->y + n * LINE_PT <= st->body_bottom + 0.001)
		return 0;
	rc = new_page(st, c, true, err);
	if (rc == 0 && cont && st->in_group)
		group_heading(st, c, true);
	return rc;
}

/*
 * The most lines kept together with the row before them: a fresh page
 * holds them with a "(continued)" heading and that row.  A longer
 * block of totals goes on over the page break.
 */
static int keep_max(const struct pdf *st)
{
	int cap = (int)((st->body_bottom + 0.001 -
			 (MARGIN_PT + HEAD_PT + COLHEAD_PT)) / LINE_PT);

	return cap > 3 ? cap - 2 : 1;
}

/* Draws the row held back, with `extra` lines after it on its page. */
static int flush_row(struct pdf *st, const struct rctx *c, int extra,
		     struct kerr *err)
{
	double top;
	int rc;

	if (!st->held)
		return 0;
	st->held = false;
	rc = need(st, c, 1 + extra, true, err);
	if (rc != 0)
		return rc;
	top = take(st);
	if (st->cr != NULL)
		draw_cells(st, c, st->held_heading ? st->bold : st->text, top,
			   st->cells, st->held_indent, NULL);
	return 0;
}

/*
 * A subtotal or the total: band, rule (above the first line of a
 * block), label, the totals in bold.
 */
static void total_line(struct pdf *st, const struct rctx *c, double top,
		       const int64_t *totals, const char *label, double grey,
		       bool first)
{
	const struct report *r = c->r;
	size_t i;

	if (st->cr == NULL)
		return;
	for (i = 0; i < r->ncols; i++) {
		char *s = st->totals + i * CELL_MAX;

		s[0] = '\0';
		if (totals != NULL && r->cols[i].total)
			report_total_text(&r->cols[i], totals[i], false, s,
					  CELL_MAX);
	}
	band(st, top, grey);
	if (first)
		rule(st, MARGIN_PT, st->page_w - MARGIN_PT, top, 0.5, 0.0);
	draw_cells(st, c, st->bold, top, st->totals, 0, label);
}

/* ------------------------------------------------------------ lines */

static int line_do(struct pdf *st, const struct rctx *c, enum rline kind,
		   const struct rrow *row, const int64_t *totals,
		   struct kerr *err)
{
	const struct report *r = c->r;
	char label[CELL_MAX];
	bool first = !st->in_total;
	int more = (int)(c->total_left < 1000 ? c->total_left : 1000);
	int n = 1 + more;
	size_t i;
	int rc;

	/* A block of totals (split by currency) kept together if it fits. */
	if (n > keep_max(st))
		n = keep_max(st);
	switch (kind) {
	case RL_GROUP:
		rc = flush_row(st, c, 0, err);
		if (rc != 0)
			return rc;
		snprintf(st->group, sizeof st->group, "%s",
			 row != NULL && row->group != NULL ? row->group : "");
		st->grouped = true;
		/* a blank, the heading and a row on one page */
		rc = need(st, c, st->fresh ? 2 : 3, false, err);
		if (rc != 0)
			return rc;
		if (!st->fresh)
			take(st);
		st->in_group = true;
		group_heading(st, c, false);
		return 0;
	case RL_ROW:
		if (row == NULL || row->cells == NULL)
			break;
		rc = flush_row(st, c, 0, err);
		if (rc != 0)
			return rc;
		st->held = true;
		st->held_indent = row->indent;
		st->held_heading = row->heading;
		if (st->cr != NULL)
			for (i = 0; i < r->ncols; i++)
				report_cell_text(&r->cols[i], &row->cells[i],
						 false, st->cells + i * CELL_MAX,
						 CELL_MAX);
		return 0;
	case RL_SUBTOTAL:
		if (first) {
			rc = flush_row(st, c, n, err);
			if (rc == 0)
				rc = need(st, c, n, true, err);
		} else {
			rc = need(st, c, 1, true, err);
		}
		if (rc != 0)
			return rc;
		report_total_label(c, kind, st->group, st->grouped, label,
				   sizeof label);
		total_line(st, c, take(st), totals, label, 0.93, first);
		st->in_total = more > 0;
		if (!st->in_total)
			st->in_group = false;
		return 0;
	case RL_TOTAL:
		if (first) {
			rc = flush_row(st, c, n, err);
			if (rc == 0)
				rc = need(st, c, (st->grouped && !st->fresh ?
						  1 : 0) + n, false, err);
			if (rc == 0 && st->grouped && !st->fresh)
				take(st);
		} else {
			rc = need(st, c, 1, false, err);
		}
		if (rc != 0)
			return rc;
		report_total_label(c, kind, NULL, st->grouped, label,
				   sizeof label);
		total_line(st, c, take(st), totals, label, 0.86, first);
		st->in_total = more > 0;
		return 0;
	}
	return kerr_set(err, K_EINTERNAL, NULL, "pdf: bad line %d", (int)kind);
}

/* ------------------------------------------------------------ chart */

/* a / b rounded down and up (b > 0): the value axis ends on steps. */
static __int128 div_floor(__int128 a, __int128 b)
{
	__int128 q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

static __int128 div_ceil(__int128 a, __int128 b)
{
	__int128 q = a / b;

	return (a % b != 0 && a > 0) ? q + 1 : q;
}

/* A tick value as text in the value column's format ("" off the range). */
static const char *tick_text(const struct rcol *col, __int128 v, char *buf,
			     size_t n)
{
	buf[0] = '\0';
	if (v >= INT64_MIN && v <= INT64_MAX)
		report_total_text(col, (int64_t)v, false, buf, n);
	return buf;
}

/* Where v lies between lo (at y1, the foot) and hi (at y0). */
static double value_y(__int128 v, __int128 lo, __int128 hi, double y0,
		      double y1)
{
	return y1 - (y1 - y0) * (double)(v - lo) / (double)(hi - lo);
}

/*
 * The chart of rctx's points in the box (top, height) across the
 * printable width: a title, value ticks with grid lines, the axes,
 * bars or a line with markers, the labels under them (turned upright
 * when they are many), and a note when the points were cut.
 */
static void draw_chart(struct pdf *st, const struct rctx *c, double top,
		       double height)
{
	const struct report *r = c->r;
	const struct rcol *vcol = &r->cols[r->chart_value_col];
	const struct rcol *lcol = &r->cols[r->chart_label_col];
	cairo_t *cr = st->cr;
	double left = MARGIN_PT, right = st->page_w - MARGIN_PT;
	double px0, px1, py0, py1, slot, label_h, note_h, tw, y0;
	__int128 lo = 0, hi = 0, range, p, step = 1, t;
	char buf[512];
	size_t n = c->chart_n < RCHART_MAX ? c->chart_n : RCHART_MAX, i;
	bool upright;

	snprintf(buf, sizeof buf, _("%s by %s"), _(vcol->heading),
		 _(lcol->heading));
	text_at(st, st->bold, buf, left, right, top, RA_LEFT, true);
	if (n == 0)
		return;

	/* the value axis: 0 and every point, in steps of 1, 2 or 5 x 10^k */
	for (i = 0; i < n; i++) {
		if (c->chart_value[i] < lo)
			lo = c->chart_value[i];
		if (c->chart_value[i] > hi)
			hi = c->chart_value[i];
	}
	range = hi - lo;
	if (range == 0)
		range = 1;
	for (p = 1; p * 10 <= range / 5; p *= 10)
		;
	if (p * 5 >= range)
		step = p;
	else if (p * 2 * 5 >= range)
		step = p * 2;
	else if (p * 5 * 5 >= range)
		step = p * 5;
	else
		step = p * 10;
	lo = div_floor(lo, step) * step;
	hi = div_ceil(hi, step) * step;
	if (hi == lo)
		hi = lo + step;

	tw = 0;
	for (t = lo; t <= hi; t += step) {
		double w = text_width(st->small,
				      tick_text(vcol, t, buf, sizeof buf));

		if (w > tw)
			tw = w;
	}
	if (tw > 90)
		tw = 90;
	px0 = left + tw + 6;
	px1 = right - 4;
	slot = (px1 - px0) / (double)n;
	upright = slot < 48;
	label_h = upright ? 64 : LINE_PT + 2;
	note_h = c->chart_cut ? LINE_PT : 0;
	py0 = top + 2 * LINE_PT;
	py1 = top + height - note_h - label_h - 4;

	/* grid and ticks */
	for (t = lo; t <= hi; t += step) {
		double y = value_y(t, lo, hi, py0, py1);

		rule(st, px0, px1, y, 0.3, 0.8);
		tick_text(vcol, t, buf, sizeof buf);
		text_at(st, st->small, buf, left, px0 - 4, y - BASE_PT + 2.5,
			RA_RIGHT, false);
	}

	/* bars or the line */
	y0 = value_y(0, lo, hi, py0, py1);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.22, 0.42, 0.68);
	if (r->chart == RC_BAR) {
		for (i = 0; i < n; i++) {
			double x = px0 + slot * (double)i + slot * 0.15;
			double y = value_y(c->chart_value[i], lo, hi, py0, py1);

			cairo_rectangle(cr, x, y < y0 ? y : y0, slot * 0.7,
					y < y0 ? y0 - y : y - y0);
		}
		cairo_fill(cr);
	} else {
		cairo_set_line_width(cr, 1.2);
		for (i = 0; i < n; i++) {
			double x = px0 + slot * ((double)i + 0.5);
			double y = value_y(c->chart_value[i], lo, hi, py0, py1);

			if (i == 0)
				cairo_move_to(cr, x, y);
			else
				cairo_line_to(cr, x, y);
		}
		cairo_stroke(cr);
		for (i = 0; i < n; i++) {
			double x = px0 + slot * ((double)i + 0.5);
			double y = value_y(c->chart_value[i], lo, hi, py0, py1);

			cairo_new_sub_path(cr);
			cairo_arc(cr, x, y, 2.2, 0, 2 * 3.14159265358979);
		}
		cairo_fill(cr);
	}
	cairo_restore(cr);

	/* axes: the value axis and the zero line */
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, px0, py0);
	cairo_line_to(cr, px0, py1);
	cairo_move_to(cr, px0, y0);
	cairo_line_to(cr, px1, y0);
	cairo_stroke(cr);
	cairo_restore(cr);

	/* labels under the plot */
	for (i = 0; i < n; i++) {
		const char *s = c->chart_label[i] != NULL ? c->chart_label[i] : "";
		double cx = px0 + slot * ((double)i + 0.5);

		if (!upright) {
			text_centre(st, st->small, s, cx - slot / 2 + 1,
				    cx + slot / 2 - 1, py1 + 3);
			continue;
		}
		/* upright, reading upwards, ending under the axis */
		cairo_save(cr);
		cairo_translate(cr, cx - 4.5, py1 + 4 + label_h - 4);
		cairo_rotate(cr, -3.14159265358979 / 2);
		pango_cairo_update_context(cr, st->pctx);
		pango_layout_context_changed(st->small);
		text_at(st, st->small, s, 0, label_h - 4, -BASE_PT + 7,
			RA_RIGHT, true);
		cairo_restore(cr);
		pango_cairo_update_context(cr, st->pctx);
		pango_layout_context_changed(st->small);
	}

	if (c->chart_cut) {
		snprintf(buf, sizeof buf,
			 _("(the chart shows the first %d rows)"), RCHART_MAX);
		text_at(st, st->small, buf, left, right, top + height - LINE_PT,
			RA_LEFT, true);
	}
}

/* cairo's output: to c->out, nothing once discarded; keeps errno. */
static cairo_status_t pdf_write(void *closure, const unsigned char *data,
				unsigned int len)
{
	struct pdf *st = closure;

	if (st->discard || len == 0)
		return CAIRO_STATUS_SUCCESS;
	errno = 0;
	if (fwrite(data, 1, len, st->out) != len) {
		st->write_errno = errno != 0 ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* A one-line layout in base at size points, bold or not. */
static PangoLayout *new_layout(PangoContext *pctx,
			       const PangoFontDescription *base, int size,
			       bool bold)
{
	PangoFontDescription *fd = pango_font_description_copy(base);
	PangoLayout *lay = pango_layout_new(pctx);

	pango_font_description_set_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(lay, fd);
	pango_layout_set_single_paragraph_mode(lay, TRUE);
	pango_font_description_free(fd);
	return lay;
}

/* Frees what pass 1 made (the surface is finished first if it is not). */
static void release(struct pdf *st)
{
	if (st->text != NULL)
		g_object_unref(st->text);
	if (st->bold != NULL)
		g_object_unref(st->bold);
	if (st->title != NULL)
		g_object_unref(st->title);
	if (st->small != NULL)
		g_object_unref(st->small);
	if (st->pctx != NULL)
		g_object_unref(st->pctx);
	if (st->gtext.font != NULL)
		cairo_scaled_font_destroy(st->gtext.font);
	if (st->gbold.font != NULL)
		cairo_scaled_font_destroy(st->gbold.font);
	memset(&st->gtext, 0, sizeof st->gtext);
	memset(&st->gbold, 0, sizeof st->gbold);
	if (st->cr != NULL)
		cairo_destroy(st->cr);
	if (st->surface != NULL)
		cairo_surface_destroy(st->surface);
	st->text = st->bold = st->title = st->small = NULL;
	st->pctx = NULL;
	st->cr = NULL;
	st->surface = NULL;
}

/*
 * The start of a pass: the page state from scratch; pass 1 also makes
 * the PDF surface on c->out, the pango context and the layouts.
 */
static int pass_start(struct pdf *st, struct rctx *c, struct kerr *err)
{
	const struct report *r = c->r;
	PangoFontDescription *base;
	cairo_font_options_t *fo;

	st->pass = c->pass;
	st->page = 0;
	st->open = false;
	st->fresh = true;
	st->y = 0;
	st->in_group = st->grouped = st->held = false;
	st->group[0] = '\0';
	st->in_total = false;
	pdf_geometry(st, c->m);
	if (c->pass == 0)
		return 0;

	release(st);
	st->out = c->out;
	st->write_errno = 0;
	st->discard = false;
	pdf_columns(st, r);
	st->surface = cairo_pdf_surface_create_for_stream(pdf_write, st,
							  st->page_w,
							  st->page_h);
	if (cairo_surface_status(st->surface) != CAIRO_STATUS_SUCCESS)
		return cairo_failed(st, err);
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
	cairo_pdf_surface_set_metadata(st->surface, CAIRO_PDF_METADATA_TITLE,
				       _(r->title));
	if (c->m->company != NULL)
		cairo_pdf_surface_set_metadata(st->surface,
					       CAIRO_PDF_METADATA_AUTHOR,
					       c->m->company);
	cairo_pdf_surface_set_metadata(st->surface, CAIRO_PDF_METADATA_CREATOR,
				       PACKAGE_NAME " " PACKAGE_VERSION);
#endif
	st->cr = cairo_create(st->surface);
	if (cairo_status(st->cr) != CAIRO_STATUS_SUCCESS)
		return cairo_failed(st, err);
	cairo_set_source_rgb(st->cr, 0, 0, 0);

	st->pctx = pango_cairo_create_context(st->cr);
	/* points are cairo's units here: 72 a inch, not pango's 96 */
	pango_cairo_context_set_resolution(st->pctx, 72);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(st->pctx, fo);
	cairo_font_options_destroy(fo);
	base = pango_font_description_from_string(FONT " 9");
	st->text = new_layout(st->pctx, base, FONT_PT, false);
	st->bold = new_layout(st->pctx, base, FONT_PT, true);
	st->title = new_layout(st->pctx, base, TITLE_PT, true);
	st->small = new_layout(st->pctx, base, SMALL_PT, false);
	pango_font_description_free(base);
	return 0;
}

/* The end of a pass: the chart, then (pass 0) the count or (1) the file. */
static int pass_finish(struct pdf *st, struct rctx *c, struct kerr *err)
{
	const struct report *r = c->r;
	int rc;

	rc = flush_row(st, c, 0, err);
	if (rc == 0 && !st->open)
		rc = new_page(st, c, true, err);   /* not a line: still a page */
	if (rc != 0)
		return rc;
	if (r->chart != RC_NONE && c->chart_n > 0 &&
	    r->chart_value_col >= 0 && (size_t)r->chart_value_col < r->ncols &&
	    r->chart_label_col >= 0 && (size_t)r->chart_label_col < r->ncols) {
		double top = st->y + LINE_PT, height = CHART_PT;

		if (top + height > st->body_bottom + 0.001) {
			rc = new_page(st, c, false, err);
			if (rc != 0)
				return rc;
			top = st->y;
			if (top + height > st->body_bottom)
				height = st->body_bottom - top;
		}
		if (st->cr != NULL)
			draw_chart(st, c, top, height);
		st->y = top + height;
	}

	if (st->pass == 0) {
		st->pages = st->page;
		st->pass = -1;
		return 0;
	}
	st->pass = -1;
	if (st->pages > 0 && st->page != st->pages)
		return kerr_set(err, K_EINTERNAL, NULL,
				"pdf: %d pages counted, %d drawn", st->pages,
				st->page);
	cairo_show_page(st->cr);
	cairo_surface_finish(st->surface);
	if (cairo_surface_status(st->surface) != CAIRO_STATUS_SUCCESS)
		return cairo_failed(st, err);
	release(st);
	if (fflush(st->out) != 0 || ferror(st->out))
		return kerr_set(err, K_EIO, NULL, _("cannot write the PDF: %s"),
				strerror(errno != 0 ? errno : EIO));
	return 0;
}

/*
 * Follows c->pass: report_run calls begin and end once a pass, but a
 * caller that calls begin once and switches c->pass works too.
 */
static int pass_sync(struct rctx *c, struct kerr *err)
{
	struct pdf *st = c->priv;
	int rc;

	if (st->pass == c->pass)
		return 0;
	if (st->pass >= 0) {
		rc = pass_finish(st, c, err);
		if (rc != 0)
			return rc;
	}
	return pass_start(st, c, err);
}

/* The renderer: state made at the first begin, freed by cleanup. */
static int pdf_begin(struct rctx *c, struct kerr *err)
{
	struct pdf *st = c->priv;
	size_t n = c->r->ncols > 0 ? c->r->ncols : 1;

	if (st == NULL) {
		st = calloc(1, sizeof *st);
		if (st == NULL)
			return kerr_set(err, K_ENOMEM, NULL, NULL);
		st->pass = -1;
		st->label_col = -1;
		c->priv = st;
		st->cols = calloc(n, sizeof *st->cols);
		st->cells = calloc(n, CELL_MAX);
		st->totals = calloc(n, CELL_MAX);
		if (st->cols == NULL || st->cells == NULL || st->totals == NULL)
			return kerr_set(err, K_ENOMEM, NULL, NULL);
	}
	return pass_sync(c, err);
}

static int pdf_line(struct rctx *c, enum rline kind, const struct rrow *row,
		    const int64_t *totals, struct kerr *err)
{
	int rc;

	if (c->priv == NULL)
		return kerr_set(err, K_EINTERNAL, NULL, "pdf: line before begin");
	rc = pass_sync(c, err);
	if (rc != 0)
		return rc;
	return line_do(c->priv, c, kind, row, totals, err);
}

static int pdf_end(struct rctx *c, struct kerr *err)
{
	struct pdf *st = c->priv;
	int rc;

	if (st == NULL)
		return kerr_set(err, K_EINTERNAL, NULL, "pdf: end before begin");
	rc = pass_sync(c, err);
	if (rc != 0)
		return rc;
	return pass_finish(st, c, err);
}

static void pdf_cleanup(struct rctx *c)
{
	struct pdf *st = c->priv;

	if (st == NULL)
		return;
	st->discard = true;   /* a half-made file gets no more bytes */
	release(st);
	free(st->cols);
	free(st->cells);
	free(st->totals);
	free(st);
	c->priv = NULL;
}

bool report_pdf_available(void)
{
	return true;
}

#else /* !HAVE_PDF */

/* Without cairo and pango: every call says what to install. */
static int pdf_begin(struct rctx *c, struct kerr *err)
{
	(void)c;
	return kerr_set(err, K_EUSAGE, NULL, "%s",
			_("PDF reports are not built in: install libcairo2-dev "
			  "and libpango1.0-dev and run configure again"));
}

static int pdf_line(struct rctx *c, enum rline kind, const struct rrow *row,
		    const int64_t *totals, struct kerr *err)
{
	(void)kind;
	(void)row;
	(void)totals;
	return pdf_begin(c, err);
}

static int pdf_end(struct rctx *c, struct kerr *err)
{
	return pdf_begin(c, err);
}

static void pdf_cleanup(struct rctx *c)
{
	(void)c;
}

bool report_pdf_available(void)
{
	return false;
}

#endif /* HAVE_PDF */

const struct rrenderer report_pdf_renderer = {
	.two_pass = true,
	.begin = pdf_begin,
	.line = pdf_line,
	.end = pdf_end,
	.cleanup = pdf_cleanup,
};
