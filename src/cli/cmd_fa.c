/*
 * cmd_fa.c - kontor fa: the monthly depreciation run and the disposal
 * of a fixed asset, from the command line (cron, scripts).  The same
 * domain calls as the screens' actions (finance/fa.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/i18n.h"
#include "base/num.h"
#include "cli/cli.h"
#include "finance/fa.h"
#include "masters/entity.h"
#include "masters/fin.h"

static int fa_help(void)
{
	printf(_("Usage: kontor fa depreciate --period YYYY-MM\n"
		 "       kontor fa dispose CODE --date YYYY-MM-DD [--proceeds AMOUNT]\n"
		 "                 [--account ACCOUNT]\n\n"
		 "depreciate  post the depreciation of every active asset for the period\n"
		 "            as one journal entry; periods are run in order, and a\n"
		 "            period run before posts nothing more (permission farun.post)\n"
		 "dispose     post the disposal of asset CODE: depreciation up to the\n"
		 "            disposal, then its removal with the proceeds (paid into\n"
		 "            ACCOUNT, default the account of role bank) and the gain or\n"
		 "            loss (permission asset.dispose)\n"));
	return 0;
}

/* "--name VALUE" or "--name=VALUE" at argv[*i]; advances *i. */
static const char *option(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strcmp(argv[*i], name) == 0)
		return *i + 1 < argc ? argv[++*i] : NULL;
	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	return NULL;
}

static int fa_depreciate_cmd(struct cli *c, int argc, char **argv)
{
	const char *period = NULL;
	struct fa_run_result r;
	struct kerr e;
	char b[NUM_BUFSZ];
	int ret;

	for (int i = 2; i < argc; i++) {
		const char *v;
		if ((v = option(argc, argv, &i, "--period")))
			period = v;
		else
			return cli_usage("fa", _("bad argument for depreciate: %s"),
					 argv[i]);
	}
	if (!period)
		return cli_usage("fa", _("depreciate needs --period YYYY-MM"));
	{
		char day[16];
		kdate d;
		snprintf(day, sizeof day, "%.7s-01", period);
		if (strlen(period) != 7 || date_parse(day, &d, NULL))
			return cli_usage("fa", _("not a period: %s (give YYYY-MM)"),
					 period);
	}
	if ((ret = cli_open(c, STORE_ONEOFF, "farun.post")))
		return ret;
	kerr_clear(&e);
	if (fa_depreciate(c->st, period, &r, &e))
		return cli_fail(&e);
	if (r.already)
		printf(_("The depreciation of %s was posted already (%s); nothing more posted\n"),
		       period, r.journal[0] ? r.journal : "-");
	else if (!r.journal[0])
		printf(_("Nothing to depreciate in %s; the run is recorded\n"),
		       period);
	else
		printf(_("Posted %s: depreciation of %s, %d assets, %s (%d fully depreciated now)\n"),
		       r.journal, period, r.assets,
		       num_format(r.amount, NUM_MONEY_SCALE, true, b, sizeof b),
		       r.fully);
	return 0;
}

struct acct_find {
	const char *code;
	int64_t id;
};

static int acct_find_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct acct_find *a = arg;
	struct account rec;
	int ret;

	memset(&rec, 0, sizeof rec);
	ret = ent_get_code(t, &account_entity, a->code, &rec, err);
	a->id = rec.h.id;
	store_rec_clear(&account_schema, &rec);
	return ret;
}

static int fa_dispose_cmd(struct cli *c, int argc, char **argv)
{
	const char *code = NULL, *date = NULL, *proceeds = NULL,
		   *account = NULL;
	struct acct_find af = { NULL, 0 };
	struct fa_disposal out;
	struct kerr e;
	char b1[NUM_BUFSZ], b2[NUM_BUFSZ], b3[NUM_BUFSZ];
	int64_t amount = 0;
	kdate d;
	int ret;

	kerr_clear(&e);
	for (int i = 2; i < argc; i++) {
		const char *v;
		if ((v = option(argc, argv, &i, "--date")))
			date = v;
		else if ((v = option(argc, argv, &i, "--proceeds")))
			proceeds = v;
		else if ((v = option(argc, argv, &i, "--account")))
			account = v;
		else if (argv[i][0] != '-' && !code)
			code = argv[i];
		else
			return cli_usage("fa", _("bad argument for dispose: %s"),
					 argv[i]);
	}
	if (!code || !date)
		return cli_usage("fa", _("dispose needs CODE and --date YYYY-MM-DD"));
	if (date_parse(date, &d, &e))
		return cli_usage("fa", "--date: %s", e.msg);
	if (proceeds && num_parse(proceeds, NUM_MONEY_SCALE, &amount, &e))
		return cli_usage("fa", "--proceeds: %s", e.msg);
	if ((ret = cli_open(c, STORE_ONEOFF, "asset.dispose")))
		return ret;
	if (account) {
		af.code = account;
		if (store_read(c->st, acct_find_fn, &af, &e))
			return cli_fail(&e);
	}
	if (fa_dispose(c->st, code, d, amount, af.id, &out, &e))
		return cli_fail(&e);
	printf(_("Disposed of %s in %s: depreciation to the disposal %s, book value %s, %s %s\n"),
	       code, out.journal,
	       num_format(out.depreciation, NUM_MONEY_SCALE, true, b1, sizeof b1),
	       num_format(out.book, NUM_MONEY_SCALE, true, b2, sizeof b2),
	       out.gain >= 0 ? _("gain") : _("loss"),
	       num_format(out.gain >= 0 ? out.gain : -out.gain,
			  NUM_MONEY_SCALE, true, b3, sizeof b3));
	return 0;
}

int cmd_fa(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("fa", _("which action? depreciate or dispose"));
	const char *act = argv[1];
	if (strcmp(act, "--help") == 0 || strcmp(act, "help") == 0)
		return fa_help();
	if (strcmp(act, "depreciate") == 0)
		return fa_depreciate_cmd(c, argc, argv);
	if (strcmp(act, "dispose") == 0)
		return fa_dispose_cmd(c, argc, argv);
	return cli_usage("fa", _("unknown action: %s"), act);
}
