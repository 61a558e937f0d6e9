/*
 * report.h - the report engine: a definition (title, parameters,
 * columns, grouping, totals, an optional chart) plus a row source in
 * the domain layer; renderers for paginated text, CSV and PDF; a
 * viewer on screen (src/ui) and printing through the daemon's spool.
 *
 * Rows stream: the source emits one row at a time from a snapshot read
 * and the renderers write it out at once, so a report of a million rows
 * runs in the memory of one page.  "Page N of M" needs M before page 1
 * is final: the text renderer writes pages to a temporary file and
 * fills M in while copying it out; the PDF renderer runs the source
 * twice in the same snapshot (the first run only counts pages).
 *
 * No curses here (the viewer is in src/ui), no <db.h> (sources read
 * through the store API).
 */
#ifndef KONTOR_REPORT_REPORT_H
#define KONTOR_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/kerr.h"
#include "config/conf.h"
#include "store/store.h"

/* How a column's values look. */
enum rfmt {
	RF_TEXT,        /* as given */
	RF_DATE,        /* kdate, ISO in CSV and on paper */
	RF_AMOUNT,      /* money, scale 2: "1,234.50" on paper, "1234.50" in CSV */
	RF_QTY,         /* scale 3 */
	RF_PRICE,       /* scale 4 */
	RF_PERCENT,     /* rate scale 6 shown as "13.00%" (CSV: 0.130000) */
	RF_INT,
};

enum ralign { RA_LEFT, RA_RIGHT };

struct rcol {
	const char *name;         /* CSV header and --param-free id */
	const char *heading;      /* N_() text on paper */
	int width;                /* display columns in text (80/132 layout) */
	enum ralign align;        /* numbers default right */
	enum rfmt fmt;
	bool total;               /* summed into group and grand totals */
};

/* One value of a row: text for RF_TEXT, num for the others. */
struct rcell {
	const char *text;         /* RF_TEXT; NULL = empty */
	int64_t num;              /* the others (kdate for RF_DATE) */
	bool empty;               /* a blank cell (no value) */
};

/* A text cell; NULL or "" is a blank one.  s is not copied. */
static inline struct rcell rcell_text(const char *s)
{
	return (struct rcell){ .text = s ? s : "", .empty = !s || !*s };
}

/* A number cell (an amount, a date, a count: the column's format says). */
static inline struct rcell rcell_num(int64_t v)
{
	return (struct rcell){ .num = v };
}

/* A blank cell of any column: shown empty, added to no total. */
static inline struct rcell rcell_none(void)
{
	return (struct rcell){ .empty = true };
}

struct rrow {
	const struct rcell *cells;  /* one per column */
	int indent;               /* tree depth: the first column is indented
				     2 columns per level (chart of accounts) */
	const char *group;        /* group key: a change starts a new group
				     (with its subtotal); NULL = no groups */
	bool heading;             /* a heading line (no totals counted) */
};

enum rptype { RP_TEXT, RP_DATE, RP_PERIOD, RP_INT, RP_REF, RP_CHOICE };

struct rparam {
	const char *name;         /* --param NAME=VALUE */
	const char *label;        /* on the parameter form and page header */
	enum rptype type;
	const char *ref;          /* RP_REF: entity name (party, item, account) */
	const char *choices;      /* RP_CHOICE: "a|b|c" */
	const char *def;          /* default text, NULL = none ("today" for dates) */
	bool required;
};

/* Parameter values as given (text, validated against their types). */
struct rparams {
	const char *name[16];
	const char *value[16];
	size_t n;
};

/* The value of parameter name in p ("" when it has none). */
static inline const char *rparam(const struct rparams *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->name[i] && strcmp(p->name[i], name) == 0)
			return p->value[i] ? p->value[i] : "";
	return "";
}

struct report;

/* The row source: calls emit for every row, in order, inside t. */
typedef int (*remit_fn)(void *arg, const struct rrow *row, struct kerr *err);
typedef int (*rsource_fn)(struct store_txn *t, const struct report *r,
			  const struct rparams *p, remit_fn emit, void *arg,
			  struct kerr *err);

enum rchart { RC_NONE, RC_BAR, RC_LINE };

struct report {
	const char *name;         /* "parties": kontor report NAME */
	const char *title;        /* N_("Parties") */
	const char *perm;         /* permission asked: "report.parties" */
	const struct rparam *params;
	size_t nparams;
	const struct rcol *cols;
	size_t ncols;
	bool wide;                /* laid out for 132 columns */
	const char *group_label;  /* heading of group subtotal lines, or NULL */
	/*
	 * The name of a text column (a currency) whose value splits every
	 * total: money in different currencies is never added up.  Each
	 * subtotal and the grand total is then one line per value (sorted,
	 * with that value's rows and sums), then a line counting all the
	 * rows, without sums.  A row with the column empty counts under
	 * rmeta.base_currency.  NULL: one line a total, summing every row.
	 */
	const char *total_by;
	const char *sorted;       /* how rows are ordered (for HACKING/man) */
	enum rchart chart;        /* drawn from label_col / value_col */
	int chart_label_col, chart_value_col;
	rsource_fn source;
};

/* Every report, and by name. */
extern const struct report *const report_all[];
extern const size_t report_count;
const struct report *report_find(const char *name);

/*
 * Checks parameter values against the report's parameters (types,
 * choices, required, unknown names), filling defaults; the result is in
 * *out (strings owned by p or the report).
 */
int report_params(const struct report *r, const struct rparams *given,
		  struct rparams *out, struct kerr *err);

/* What every page header shows. */
struct rmeta {
	const char *company;
	const char *user;         /* display name or login */
	int64_t run_us;           /* when it ran */
	int width;                /* text: 0 the report's own width, else
				     the width asked for (report_width) */
	int page_lines;           /* lines a page (text: kontor.conf print length) */
	const char *base_currency;  /* the company's (kontor.conf): what an
				       empty total_by value counts under */
	bool a4, landscape;       /* PDF paper */
};

enum rformat { RFMT_TEXT, RFMT_CSV, RFMT_PDF };

/*
 * Runs r with params in one snapshot of st and writes it to out in the
 * format.  *rows gets the rows written.  K_ENOTSUP-like K_EUSAGE for
 * PDF when the program was built without cairo/pango (the message says
 * what to install).
 */
int report_run(struct store *st, const struct report *r,
	       const struct rparams *params, const struct rmeta *meta,
	       enum rformat fmt, FILE *out, unsigned long *rows,
	       struct kerr *err);

/*
 * The width of r's text pages, the one rule for kontor report and the
 * viewer: the report's own (132 columns when it is wide, else 80), what
 * its author laid the columns out for.  asked (0: nothing asked) is a
 * width the user asked for explicitly (kontor report --width): wider
 * than the report's own, it widens the page (the widest text column
 * takes the room); never narrower, which would cut columns.
 */
int report_width(const struct report *r, int asked);

/* True when PDF output was built in. */
bool report_pdf_available(void);

#endif
