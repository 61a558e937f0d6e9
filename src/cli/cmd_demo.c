/*
 * cmd_demo.c - kontor demo DIR: a demo company to try Kontor on;
 * kontor demo --scale N DIR: a big one (demo_scale.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "base/i18n.h"
#include "cli/cli.h"
#include "finance/gl.h"
#include "masters/fin.h"

/* The fiscal year of today, with its periods. */
static int this_year(struct cli *c)
{
	int m = c->conf->fy_start_month, y, mm, d;
	struct kerr e;

	date_to_ymd(date_today(), &y, &mm, &d);
	if (mm < m)
		y--;
	if (period_create_year(c->st, y, m, &e))
		return cli_fail(&e);
	printf(_("Created fiscal year %d with its periods\n"), y);
	/* The recurring entries of the year's months up to this one, so
	   that the ledger and its reports have something to show. */
	kdate start, today = date_today();
	int posted = 0;
	date_from_ymd(y, m, 1, &start);
	for (kdate d = start; d <= today; d = date_add_months(d, 1)) {
		char code[16];
		int n = 0, yy, mo, dd;
		date_to_ymd(d, &yy, &mo, &dd);
		snprintf(code, sizeof code, "%04d-%02d", yy, mo);
		if (gl_recur_run(c->st, code, &n, NULL, &e))
			return cli_fail(&e);
		posted += n;
	}
	printf(_("Posted %d recurring journal entries\n"), posted);
	return 0;
}

/*
 * The demo company's setup in the new database c->st: the Chinese
 * chart with its taxes and terms, rates, units, warehouses,
 * departments, the recurring entries and the assets, then this fiscal
 * year; with masters, the sample parties and items too (--scale makes
 * its own).
 */
static int demo_setup(struct cli *c, bool masters)
{
	int ret;

	if ((ret = cli_load_chart(c, "cn")) ||
	    (ret = cli_load(c, "rate", "rates.csv")) ||
	    (ret = cli_load(c, "unit", "units.csv")) ||
	    (ret = cli_load(c, "warehouse", "warehouses.csv")) ||
	    (ret = cli_load(c, "department", "departments.csv")))
		return ret;
	if (masters && ((ret = cli_load(c, "party", "parties.csv")) ||
			(ret = cli_load(c, "item", "items.csv"))))
		return ret;
	if ((ret = cli_load(c, "jtemplate", "recurring.csv")) ||
	    (ret = cli_load(c, "asset", "assets.csv")))
		return ret;
	return this_year(c);
}

/*
 * --scale: a new company of n customers in c->home (demo_scale.c),
 * made alone, without the daemon, like db init.
 */
static int demo_scale(struct cli *c, long n, bool quiet)
{
	int ret;

	if (store_exists(c->home)) {
		fprintf(stderr, _("kontor: %s holds a Kontor database already; kontor demo --scale makes a new company: give a new folder, or delete this one\n"),
			c->home);
		return EX_CANTCREAT;
	}
	if ((ret = cli_open(c, STORE_CREATE, NULL)))
		return ret;
	if ((ret = demo_setup(c, false)) ||
	    (ret = demo_scale_run(c, n, quiet))) {
		cli_close(c);
		return ret;
	}
	cli_close(c);
	printf(_("Created a company of %ld customers in %s; open it with: kontor demo %s\n"),
	       n, c->home, c->home);
	return 0;
}

/* N of --scale: a whole number from 1 to DEMO_SCALE_MAX. */
static int parse_scale(const char *s, long *n)
{
	char *end = NULL;
	long v = -1;

	errno = 0;
	if (*s >= '0' && *s <= '9')
		v = strtol(s, &end, 10);
	if (v >= 0 && (*end || errno == ERANGE))
		v = -1;
	if (v < 1 || v > DEMO_SCALE_MAX)
		return cli_usage("demo",
				 _("--scale takes the number of customers, a whole number from 1 to 1,000,000; not \"%s\""),
				 s);
	*n = v;
	return 0;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	const char *dir = NULL;
	bool quiet = false;
	long scale = 0;
	int ret;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0) {
			printf(_("Usage: kontor demo DIR\n"
				 "       kontor demo --scale N [--quiet] DIR\n\n"
				 "Creates a demo company in DIR the first time: the Chinese chart\n"
				 "of accounts with its taxes, currencies, exchange rates and payment\n"
				 "terms, units, parties and items with Chinese and Latin names, and\n"
				 "this fiscal year with its periods.  Then starts kontor daemon for\n"
				 "it when it is not running and opens the menu.  Running it again on\n"
				 "the same DIR just opens it.  Without a terminal it prints the\n"
				 "summary.\n\n"
				 "With --scale N (1 to 1,000,000) it makes a big company in DIR,\n"
				 "which must not hold a database yet: N customers, N/10 suppliers,\n"
				 "N items, 10N posted customer invoices with their receipts, supplier\n"
				 "invoices and payments, expense entries; the same N gives the same\n"
				 "company.  It shows its progress on standard error (--quiet: not)\n"
				 "and does not open the menu: run kontor demo DIR for that.\n"));
			return 0;
		}
		if (strcmp(a, "--scale") == 0 || strncmp(a, "--scale=", 8) == 0) {
			const char *v = a[7] == '=' ? a + 8 : NULL;
			if (!v && i + 1 >= argc)
				return cli_usage("demo", _("--scale needs the number of customers (1 to 1,000,000)"));
			if (!v)
				v = argv[++i];
			if ((ret = parse_scale(v, &scale)))
				return ret;
		} else if (strcmp(a, "--quiet") == 0) {
			quiet = true;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage("demo", _("unknown option %s"), a);
		} else if (dir) {
			return cli_usage("demo", _("give one folder, not %s and %s"),
					 dir, a);
		} else {
			dir = a;
		}
	}
	if (!dir)
		return cli_usage("demo", _("give the folder of the demo company"));
	if (quiet && !scale)
		return cli_usage("demo", _("--quiet goes with --scale"));
	free(c->home);
	c->home = strdup(dir);
	if ((ret = cli_home(c)))
		return ret;
	if (scale)
		return demo_scale(c, scale, quiet);
	if (!store_exists(c->home)) {
		if ((ret = cli_open(c, STORE_CREATE, NULL)))
			return ret;
		if ((ret = demo_setup(c, true))) {
			cli_close(c);
			return ret;
		}
		printf(_("Created a demo company in %s\n"), c->home);
		cli_close(c);
	}
	if ((ret = cli_daemon_start(c, true)))
		return ret;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		if ((ret = cli_open(c, STORE_CLERK, NULL)))
			return ret;
		return cli_summary(c);
	}
	return cmd_ui(c, 1, (char *[]){ "ui", NULL });
}
