/*
 * cmd_period.c - kontor period: create a fiscal year with its monthly
 * periods; list the years and their periods.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/i18n.h"
#include "cli/cli.h"
#include "masters/fin.h"

static int period_help(void)
{
	printf(_("Usage: kontor period create YEAR\n"
		 "       kontor period list [YEAR]\n\n"
		 "create  create fiscal year YEAR and its 12 monthly periods, all open;\n"
		 "        the year starts on the first of company.fiscal_year_start\n"
		 "        (kontor.conf) in YEAR\n"
		 "list    print every fiscal year (or YEAR) with its periods\n"));
	return 0;
}

/* YEAR: 1..9998, digits only. */
static int parse_year(const char *s, int *year)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < 1 || v > 9998)
		return cli_usage("period", _("not a year from 1 to 9998: %s"), s);
	*year = (int)v;
	return 0;
}

static int period_create(struct cli *c, const char *arg)
{
	struct kerr e;
	char a[DATE_BUFSZ], b[DATE_BUFSZ];
	kdate start;
	int year, ret;

	if ((ret = parse_year(arg, &year)))
		return ret;
	if ((ret = cli_open(c, STORE_ONEOFF, "period.create")))
		return ret;
	if (period_create_year(c->st, year, c->conf->fy_start_month, &e))
		return cli_fail(&e);
	/* what period_create_year() made */
	date_from_ymd(year, c->conf->fy_start_month, 1, &start);
	printf(_("Created fiscal year %d, %s to %s, with 12 open periods\n"),
	       year, date_format(start, a, sizeof a),
	       date_format(date_add_months(start, 12) - 1, b, sizeof b));
	return 0;
}

struct listing {
	const char *year;        /* NULL: every year */
	unsigned years;
};

/* Prints the periods of fiscal year y. */
static int print_periods(struct store_txn *t, const struct fyear *y,
			 struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct period p;
	char key[24], a[DATE_BUFSZ], b[DATE_BUFSZ];
	int ret;

	memset(&p, 0, sizeof p);
	if ((ret = store_cursor_open(t, &period_schema, "fyear", &c, err)))
		return ret;
	snprintf(key, sizeof key, "%" PRId64, y->h.id);
	for (ret = store_cursor_seek(c, key, true, &p, err); ret == 0;
	     ret = store_cursor_next(c, &p, err))
		printf("  %-10s %2" PRId64 "  %s  %s  %s\n",
		       p.code ? p.code : "", p.number,
		       date_format(p.start, a, sizeof a),
		       date_format(p.end, b, sizeof b),
		       p.status ? p.status : "");
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	store_cursor_close(&c);
	store_rec_clear(&period_schema, &p);
	return ret;
}

static int list_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct listing *l = arg;
	struct store_cursor *c = NULL;
	struct fyear y;
	char a[DATE_BUFSZ], b[DATE_BUFSZ];
	int ret;

	l->years = 0;
	memset(&y, 0, sizeof y);
	if ((ret = store_cursor_open(t, &fyear_schema, "start", &c, err)))
		return ret;
	while ((ret = store_cursor_next(c, &y, err)) == 0) {
		if (l->year && (!y.code || strcmp(y.code, l->year) != 0))
			continue;
		printf(_("%-12s %s  %s  %s\n"), y.code ? y.code : "",
		       date_format(y.start, a, sizeof a),
		       date_format(y.end, b, sizeof b),
		       y.status ? y.status : "");
		l->years++;
		if ((ret = print_periods(t, &y, err)))
			break;
	}
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	store_cursor_close(&c);
	store_rec_clear(&fyear_schema, &y);
	return ret;
}

static int period_list(struct cli *c, const char *year)
{
	struct listing l = { year, 0 };
	struct kerr e;
	int y, ret;

	if (year && (ret = parse_year(year, &y)))
		return ret;
	if ((ret = cli_open(c, STORE_ONEOFF, "period.read")))
		return ret;
	if (store_read(c->st, list_fn, &l, &e))
		return cli_fail(&e);
	if (year && !l.years) {
		fprintf(stderr, _("kontor: no fiscal year %s; create it with kontor period create %s\n"),
			year, year);
		return EX_NOINPUT;
	}
	if (!l.years)
		printf(_("No fiscal years yet; create one with kontor period create YEAR\n"));
	return 0;
}

int cmd_period(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("period", _("which action? create or list"));
	const char *act = argv[1];
	if (strcmp(act, "--help") == 0 || strcmp(act, "help") == 0)
		return period_help();
	if (strcmp(act, "create") == 0 && argc == 3)
		return period_create(c, argv[2]);
	if (strcmp(act, "list") == 0 && (argc == 2 || argc == 3))
		return period_list(c, argc == 3 ? argv[2] : NULL);
	return cli_usage("period", _("bad action or arguments: %s"), act);
}
