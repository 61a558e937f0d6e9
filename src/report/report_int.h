/*
 * report_int.h - inside the report engine: what report_run() hands the
 * renderers (text, CSV, PDF), and the helpers they share.
 *
 * report_run() opens one snapshot, runs the definition's source, and
 * turns its rows into lines: a group heading when the group key
 * changes, the row, a subtotal when a group ends, the grand total at
 * the end.  Totals are summed here (checked int64 arithmetic), so every
 * renderer prints the same numbers.  A renderer that needs the page
 * count first (PDF) asks for two passes over the same snapshot.
 */
#ifndef KONTOR_REPORT_REPORT_INT_H
#define KONTOR_REPORT_REPORT_INT_H

#include "report/report.h"

enum rline {
	RL_ROW,          /* a row of the source */
	RL_GROUP,        /* a new group starts: row->group is its key */
	RL_SUBTOTAL,     /* the group just ended: totals[] (see total_key) */
	RL_TOTAL,        /* the end: grand totals[] (see total_key) */
};

struct rctx {
	const struct report *r;
	const struct rparams *p;
	const struct rmeta *m;
	FILE *out;
	int pass;                 /* 0 = counting (two-pass renderers), 1 */
	unsigned long rows;       /* RL_ROW lines so far */
	void *priv;               /* the renderer's state */
	/*
	 * The total line being written (RL_SUBTOTAL, RL_TOTAL).  A report
	 * without total_by writes one line a total: total_key NULL,
	 * total_left 0.  With total_by, a total is a block of lines: one a
	 * value of that column (total_key the value), then one with
	 * totals NULL (no sums) and total_key NULL counting every row of
	 * the group or report.  total_left says how many lines of the
	 * block follow this one, so that a renderer keeps the block
	 * together with the row before it.
	 */
	const char *total_key;
	unsigned long total_rows; /* rows this line counts */
	size_t total_left;
	/* The chart's points (report with a chart), collected by report_run
	   up to RCHART_MAX (later rows are not charted, and the renderer
	   says so under the chart). */
	const char *chart_label[64];
	int64_t chart_value[64];
	size_t chart_n;
	bool chart_cut;
};
#define RCHART_MAX 64

struct rrenderer {
	bool two_pass;
	int (*begin)(struct rctx *c, struct kerr *err);
	/* row: NULL for RL_SUBTOTAL/RL_TOTAL; totals: one per column (only
	   columns with total set are meaningful), NULL for RL_ROW/GROUP. */
	int (*line)(struct rctx *c, enum rline kind, const struct rrow *row,
		    const int64_t *totals, struct kerr *err);
	int (*end)(struct rctx *c, struct kerr *err);
	void (*cleanup)(struct rctx *c);   /* on error too */
};

extern const struct rrenderer report_text_renderer;
extern const struct rrenderer report_csv_renderer;
extern const struct rrenderer report_pdf_renderer;  /* stubs when no cairo */

/*
 * A cell as text: paper (grouped thousands, "13.00%", ISO dates) or raw
 * (csv: no separators, rates as decimals).  Returns buf.
 */
char *report_cell_text(const struct rcol *col, const struct rcell *cell,
		       bool raw, char *buf, size_t n);
/* A total as text in col's format. */
char *report_total_text(const struct rcol *col, int64_t v, bool raw,
			char *buf, size_t n);
/*
 * The label of the total line being written (c->total_key,
 * c->total_rows): "Total GROUP (N rows)" for a subtotal, "Total (N
 * rows)" or, when the report has groups, "Grand total (N rows)" for
 * the end; with a key after the group or the word ("Total CNY (3
 * rows)").  Every renderer says the same.  Returns buf.
 */
char *report_total_label(const struct rctx *c, enum rline kind,
			 const char *group, bool grouped, char *buf, size_t n);
/* "From 2026-01-01, Party P1001" line of parameter values, for headers. */
char *report_params_line(const struct report *r, const struct rparams *p,
			 char *buf, size_t n);

/*
 * Block-character chart for screens and plain text: at most width
 * columns and height lines of UTF-8 into lines[] (each up to
 * (width * 3 + 1) bytes), bars for RC_BAR, a dotted line for RC_LINE.
 * Returns the number of lines written.
 */
int report_chart_blocks(const struct rctx *c, int width, int height,
			char lines[][512], int max_lines);

#endif
