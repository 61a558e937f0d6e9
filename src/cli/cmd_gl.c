/*
 * cmd_gl.c - kontor gl: the general ledger's batch work: closing and
 * opening periods, the year-end close, recurring entries, reversing an
 * entry, and checking the balance table against the entries.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/i18n.h"
#include "cli/cli.h"
#include "finance/gl.h"
#include "masters/fin.h"

static int gl_help(void)
{
	printf(_("Usage: kontor gl close PERIOD\n"
		 "       kontor gl reopen PERIOD\n"
		 "       kontor gl close-year YEAR\n"
		 "       kontor gl recur PERIOD\n"
		 "       kontor gl reverse ENTRY [--date DATE]\n"
		 "       kontor gl verify\n\n"
		 "close       close posting period PERIOD (2026-03); earlier periods of\n"
		 "            the year must be closed first\n"
		 "reopen      open PERIOD again (the last closed one first)\n"
		 "close-year  year-end close of fiscal year YEAR: income and expenses to\n"
		 "            the profit role's account, the profit to retained earnings,\n"
		 "            every period and the year closed, the next year created\n"
		 "recur       post the recurring entries due in PERIOD (once each)\n"
		 "reverse     post the reversal of entry ENTRY (JE-000042), dated DATE\n"
		 "            or the entry's own date\n"
		 "verify      recompute the account balances from the entries and\n"
		 "            report any difference (exit 65 when there is one)\n"));
	return 0;
}

static int period_status(struct cli *c, int argc, char **argv, bool close)
{
	struct kerr e;
	int ret;

	if (argc != 3)
		return cli_usage("gl", _("%s needs one PERIOD"), argv[1]);
	if ((ret = cli_open(c, STORE_ONEOFF, "gl.period.close")))
		return ret;
	if (close ? gl_close_period(c->st, argv[2], &e) :
		    gl_reopen_period(c->st, argv[2], &e))
		return cli_fail(&e);
	printf(close ? _("Period %s closed\n") : _("Period %s open again\n"),
	       argv[2]);
	return 0;
}

static int close_year(struct cli *c, int argc, char **argv)
{
	struct kerr e;
	int ret, n = 0;

	if (argc != 3)
		return cli_usage("gl", _("close-year needs one YEAR"));
	if ((ret = cli_open(c, STORE_ONEOFF, "gl.year.close")))
		return ret;
	if (gl_close_year(c->st, argv[2], c->conf->fy_start_month, &n, &e))
		return cli_fail(&e);
	printf(_("Fiscal year %s closed with %d closing entries\n"), argv[2], n);
	return 0;
}

static int recur(struct cli *c, int argc, char **argv)
{
	struct kerr e;
	int ret, posted = 0, skipped = 0;

	if (argc != 3)
		return cli_usage("gl", _("recur needs one PERIOD"));
	if ((ret = cli_open(c, STORE_ONEOFF, "gl.journal.post")))
		return ret;
	if (gl_recur_run(c->st, argv[2], &posted, &skipped, &e))
		return cli_fail(&e);
	printf(_("Recurring entries for %s: %d posted, %d posted before\n"),
	       argv[2], posted, skipped);
	return 0;
}

struct reverse {
	const char *code;
	kdate date;
	struct journal out;
};

static int reverse_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct reverse *r = arg;
	struct journal j;
	int ret;

	memset(&j, 0, sizeof j);
	store_rec_clear(&journal_schema, &r->out);
	ret = store_find_text(t, &journal_schema, "code", r->code, &j, err);
	if (ret == K_ENOTFOUND)
		ret = kerr_set(err, K_ENOTFOUND, "code", _("no entry %s"),
			       r->code);
	if (ret == 0)
		ret = gl_reverse(t, j.h.id, r->date, &r->out, err);
	store_rec_clear(&journal_schema, &j);
	return ret;
}

static int reverse(struct cli *c, int argc, char **argv)
{
	struct reverse r;
	struct kerr e;
	int ret;

	memset(&r, 0, sizeof r);
	r.date = DATE_NONE;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--date") == 0 && i + 1 < argc) {
			if (date_parse(argv[++i], &r.date, &e))
				return cli_usage("gl", "--date: %s", e.msg);
		} else if (!r.code && argv[i][0] != '-') {
			r.code = argv[i];
		} else {
			return cli_usage("gl", _("unknown argument %s"), argv[i]);
		}
	}
	if (!r.code)
		return cli_usage("gl", _("reverse needs an ENTRY"));
	if ((ret = cli_open(c, STORE_ONEOFF, "gl.journal.post")))
		return ret;
	if (store_write(c->st, reverse_fn, &r, &e))
		return cli_fail(&e);
	printf(_("Entry %s reversed by %s\n"), r.code, r.out.code);
	store_rec_clear(&journal_schema, &r.out);
	return 0;
}

static void print_problem(void *arg, const char *msg)
{
	(void)arg;
	printf("%s\n", msg);
}

static int verify(struct cli *c)
{
	struct kerr e;
	unsigned problems = 0;
	int ret;

	if ((ret = cli_open(c, STORE_ONEOFF, "gl.read")))
		return ret;
	if (gl_verify(c->st, print_problem, NULL, &problems, &e))
		return cli_fail(&e);
	if (problems) {
		printf(_("%u problems\n"), problems);
		return EX_DATAERR;
	}
	printf(_("The ledger balances; the balance table and the line index agree with the entries\n"));
	return 0;
}

int cmd_gl(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)
		return argc < 2 ? (gl_help(), EX_USAGE) : gl_help();
	if (strcmp(argv[1], "close") == 0)
		return period_status(c, argc, argv, true);
	if (strcmp(argv[1], "reopen") == 0)
		return period_status(c, argc, argv, false);
	if (strcmp(argv[1], "close-year") == 0)
		return close_year(c, argc, argv);
	if (strcmp(argv[1], "recur") == 0)
		return recur(c, argc, argv);
	if (strcmp(argv[1], "reverse") == 0)
		return reverse(c, argc, argv);
	if (strcmp(argv[1], "verify") == 0 && argc == 2)
		return verify(c);
	return cli_usage("gl", _("unknown gl command %s"), argv[1]);
}
