/*
 * csv.c - a report as CSV for spreadsheets: a header row of the column
 * names, then one line a row with raw values (ISO dates, amounts
 * without thousands separators, rates as decimals), RFC 4180 quoting by
 * libcsv, UTF-8 without a byte order mark, lines ended by LF like
 * kontor export.
 *
 * Group headings, subtotals and the grand total are left out: a
 * spreadsheet sums what it needs, and a total line in the data would be
 * counted twice by a sum over the column.  So is the indentation of a
 * tree (the rows keep their order).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "base/i18n.h"
#include "report/report_int.h"

static int io_error(struct kerr *err)
{
	return kerr_set(err, K_EIO, NULL, _("cannot write the report: %s"),
			strerror(errno ? errno : EIO));
}

/* One value: quoted (quotes doubled) only when it must be. */
static int put_value(FILE *out, const char *v, bool first)
{
	size_t len = strlen(v);
	bool quote = strpbrk(v, ",\"\r\n") != NULL ||
		     (len && (v[0] == ' ' || v[0] == '\t' ||
			      v[len - 1] == ' ' || v[len - 1] == '\t'));

	if (!first && putc(',', out) == EOF)
		return -1;
	if (quote)
		return csv_fwrite(out, v, len) == 0 ? 0 : -1;
	return len && fwrite(v, 1, len, out) != len ? -1 : 0;
}

static int csv_begin(struct rctx *c, struct kerr *err)
{
	const struct report *r = c->r;

	for (size_t i = 0; i < r->ncols; i++)
		if (put_value(c->out, r->cols[i].name, i == 0))
			return io_error(err);
	if (putc('\n', c->out) == EOF)
		return io_error(err);
	return 0;
}

static int csv_line(struct rctx *c, enum rline kind, const struct rrow *row,
		    const int64_t *totals, struct kerr *err)
{
	const struct report *r = c->r;
	char buf[64];

	(void)totals;
	if (kind != RL_ROW)
		return 0;
	for (size_t i = 0; i < r->ncols; i++) {
		const struct rcell *cell = &row->cells[i];
		const char *v;
		/* Texts whole, however long; numbers formatted raw. */
		if (r->cols[i].fmt == RF_TEXT)
			v = cell->empty || !cell->text ? "" : cell->text;
		else
			v = report_cell_text(&r->cols[i], cell, true, buf,
					     sizeof buf);
		if (put_value(c->out, v, i == 0))
			return io_error(err);
	}
	if (putc('\n', c->out) == EOF)
		return io_error(err);
	return 0;
}

static int csv_end(struct rctx *c, struct kerr *err)
{
	if (ferror(c->out))
		return io_error(err);
	return 0;
}

static void csv_cleanup(struct rctx *c)
{
	(void)c;
}

const struct rrenderer report_csv_renderer = {
	.two_pass = false,
	.begin = csv_begin,
	.line = csv_line,
	.end = csv_end,
	.cleanup = csv_cleanup,
};
