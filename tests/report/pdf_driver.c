/*
 * pdf_driver.c - the PDF renderer on its own: a made-up report of N
 * rows (codes, Chinese and long names, dates, quantities, amounts,
 * rates; groups with subtotals, a grand total, a chart) fed line by
 * line to report_pdf_renderer through a minimal rctx, the way
 * report_run() does, without a database.  tests/report/pdf.sh checks
 * the file with pdfinfo and pdftotext; tests/bench/pdf.sh times it.
 *
 *   pdf_driver [-n ROWS] [-g ROWS_A_GROUP] [-c bar|line] [-l] [-p]
 *              [-i] [-s] [-t] OUT.pdf
 *
 *   -n  rows (50)                -g  rows a group (0: no groups)
 *   -c  chart of the amounts     -l  Letter (A4)
 *   -p  portrait (landscape)     -i  indent rows (a tree)
 *   -s  begin and end once for both passes (report_run may do either)
 *   -t  print "rows N seconds S cpu_seconds C rows/s R peak_kb K": wall
 *       and CPU time (user + system; the rate is per wall second) and
 *       the peak resident memory (VmHWM)
 *
 * Exit 0, 1 on a renderer error, 64 on usage, 77 when PDF output is
 * not built in (after checking that begin says what to install).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "base/kerr.h"
#include "report/report_int.h"

static const struct rcol cols[] = {
	{ "code",   "Code",     10, RA_LEFT,  RF_TEXT,    false },
	{ "name",   "Name",     34, RA_LEFT,  RF_TEXT,    false },
	{ "city",   "City",     12, RA_LEFT,  RF_TEXT,    false },
	{ "since",  "Since",    10, RA_LEFT,  RF_DATE,    false },
	{ "qty",    "Quantity", 12, RA_RIGHT, RF_QTY,     true },
	{ "amount", "Amount",   16, RA_RIGHT, RF_AMOUNT,  true },
	{ "rate",   "Tax",       8, RA_RIGHT, RF_PERCENT, false },
};
#define NCOLS (sizeof cols / sizeof cols[0])

static const char *const names[] = {
	"上海华东机械有限公司",
	"Nordwind Handels GmbH & Co. KG",
	"北京远景科技有限公司",
	"深圳市南方电子股份有限公司华南区域销售与售后服务中心（一个很长的名字）",
	"Smith & Sons Hardware Ltd.",
	"株式会社東京精密",
	"Compañía Logística del Pacífico S.A. de C.V. — Oficina Central",
};
static const char *const cities[] = {
	"上海", "Hamburg", "北京", "深圳", "Leeds", "東京", "Guadalajara",
};

static struct report rep = {
	.name = "pdftest",
	.title = "Parties and balances",
	.perm = "report.pdftest",
	.cols = cols,
	.ncols = NCOLS,
	.group_label = "Area",
	.chart = RC_NONE,
	.chart_label_col = 0,
	.chart_value_col = 5,
};

static int64_t amount_of(unsigned long i)
{
	int64_t v = (int64_t)((i * 7919UL) % 2000000UL) + 100;

	return i % 17 == 0 ? -v : v;
}

static long peak_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void usage(void)
{
	fprintf(stderr, "usage: pdf_driver [-n ROWS] [-g ROWS] [-c bar|line] "
		"[-l] [-p] [-i] [-s] [-t] OUT.pdf\n");
	exit(64);
}

/* Feeds one pass's lines: groups, rows, subtotals, the total. */
static int feed(struct rctx *c, const struct rrenderer *ren,
		unsigned long n, unsigned long gsize, bool indent,
		struct kerr *err)
{
	int64_t gtot[NCOLS], tot[NCOLS];
	struct rcell cells[NCOLS];
	struct rrow row;
	char code[16], group[32];
	unsigned long i;
	size_t k;
	int rc;

	memset(tot, 0, sizeof tot);
	memset(gtot, 0, sizeof gtot);
	for (i = 1; i <= n; i++) {
		memset(cells, 0, sizeof cells);
		memset(&row, 0, sizeof row);
		snprintf(code, sizeof code, "P%07lu", i);
		cells[0].text = code;
		cells[1].text = names[i % (sizeof names / sizeof names[0])];
		cells[2].text = cities[i % (sizeof cities / sizeof cities[0])];
		cells[3].num = 19000 + (int64_t)(i % 3000);
		cells[4].num = (int64_t)(i % 1000) * 250;
		cells[5].num = amount_of(i);
		cells[6].num = i % 3 == 0 ? 60000 : 130000;
		if (i % 11 == 0)
			cells[2].empty = true;
		row.cells = cells;
		row.indent = indent ? (int)(i % 3) : 0;
		if (gsize > 0) {
			snprintf(group, sizeof group, "Region %lu",
				 (i - 1) / gsize + 1);
			row.group = group;
			if ((i - 1) % gsize == 0) {
				rc = ren->line(c, RL_GROUP, &row, NULL, err);
				if (rc != 0)
					return rc;
			}
		}
		rc = ren->line(c, RL_ROW, &row, NULL, err);
		if (rc != 0)
			return rc;
		c->rows++;
		for (k = 0; k < NCOLS; k++)
			if (cols[k].total) {
				gtot[k] += cells[k].num;
				tot[k] += cells[k].num;
			}
		if (gsize > 0 && (i % gsize == 0 || i == n)) {
			/* As report_run() says how many rows a total counts. */
			c->total_rows = (i - 1) % gsize + 1;
			rc = ren->line(c, RL_SUBTOTAL, NULL, gtot, err);
			if (rc != 0)
				return rc;
			memset(gtot, 0, sizeof gtot);
		}
	}
	c->total_rows = c->rows;
	return ren->line(c, RL_TOTAL, NULL, tot, err);
}

int main(int argc, char **argv)
{
	const struct rrenderer *ren = &report_pdf_renderer;
	static char labels[RCHART_MAX][16];
	struct rparams params = { .n = 0 };
	struct rmeta meta = {
		.company = "上海示范贸易有限公司 Demo Trading Co.",
		.user = "admin",
		.width = 132,
		.page_lines = 66,
		.a4 = true,
		.landscape = true,
	};
	struct rctx c;
	struct kerr err;
	struct timespec t0, t1;
	struct rusage ru;
	unsigned long n = 50, gsize = 0, i;
	bool indent = false, once = false, timing = false;
	FILE *out;
	int opt, rc = 0, pass;
	double secs;

	while ((opt = getopt(argc, argv, "n:g:c:lpist")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'g': gsize = strtoul(optarg, NULL, 10); break;
		case 'c':
			if (strcmp(optarg, "bar") == 0)
				rep.chart = RC_BAR;
			else if (strcmp(optarg, "line") == 0)
				rep.chart = RC_LINE;
			else
				usage();
			break;
		case 'l': meta.a4 = false; break;
		case 'p': meta.landscape = false; break;
		case 'i': indent = true; break;
		case 's': once = true; break;
		case 't': timing = true; break;
		default: usage();
		}
	}
	if (optind + 1 != argc)
		usage();

	memset(&c, 0, sizeof c);
	c.r = &rep;
	c.p = &params;
	c.m = &meta;
	meta.run_us = date_now_us();
	kerr_clear(&err);

	if (!report_pdf_available()) {
		c.out = stdout;
		rc = ren->begin(&c, &err);
		ren->cleanup(&c);
		if (rc != K_EUSAGE || strstr(err.msg, "libcairo2-dev") == NULL) {
			fprintf(stderr, "pdf_driver: without PDF, begin gave %d "
				"\"%s\"\n", rc, err.msg);
			return 1;
		}
		printf("PDF not built: %s\n", err.msg);
		return 77;
	}

	/* The chart's points, as report_run collects them. */
	for (i = 1; i <= n && c.chart_n < RCHART_MAX; i++) {
		snprintf(labels[c.chart_n], sizeof labels[0], "P%07lu", i);
		c.chart_label[c.chart_n] = labels[c.chart_n];
		c.chart_value[c.chart_n] = amount_of(i);
		c.chart_n++;
	}
	c.chart_cut = n > RCHART_MAX;

	out = fopen(argv[optind], "wb");
	if (out == NULL) {
		perror(argv[optind]);
		return 1;
	}
	c.out = out;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (pass = 0; pass <= 1 && rc == 0; pass++) {
		c.pass = pass;
		c.rows = 0;
		if (!once || pass == 0)
			rc = ren->begin(&c, &err);
		if (rc == 0)
			rc = feed(&c, ren, n, gsize, indent, &err);
		if (rc == 0 && (!once || pass == 1))
			rc = ren->end(&c, &err);
	}
	ren->cleanup(&c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (fclose(out) != 0 && rc == 0) {
		perror(argv[optind]);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "pdf_driver: %s\n", err.msg);
		return 1;
	}
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (timing) {
		getrusage(RUSAGE_SELF, &ru);
		printf("rows %lu seconds %.2f cpu_seconds %.2f rows/s %.0f "
		       "peak_kb %ld\n", n, secs,
		       (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
		       secs > 0 ? (double)n / secs : 0.0, peak_kb());
	}
	return 0;
}
