/*
 * cmd_print.c - kontor print: hand a file to the daemon's print spool,
 * and list print jobs with how they ended.
 *
 * Neither needs the database open: the spool is files in the home
 * (src/report/spool.h).  The daemon's print runner runs the command.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/utf8.h"
#include "cli/cli.h"
#include "report/spool.h"

/* The home must hold a database and the login must be known. */
static int print_session(struct cli *c)
{
	struct kerr e;
	int ret;

	if ((ret = cli_home(c)))
		return ret;
	if (!store_exists(c->home)) {
		kerr_set(&e, K_ENOTFOUND, NULL,
			 _("%s: no Kontor database here (create one with 'kontor db init')"),
			 c->home);
		return cli_fail(&e);
	}
	/*
	 * With users listed, the login must be one of them.  Without, the
	 * database's creator is the only user, but knowing it means opening
	 * the database: anyone who may write the home's spool may print.
	 */
	if (perm_resolve(c->conf, NULL, NULL, &c->user, &e))
		return cli_fail(&e);
	return 0;
}

static void daemon_note(struct cli *c)
{
	if (!spool_runner_pid(c->home))
		fprintf(stderr, _("kontor: the daemon is not running for %s: "
				  "queued jobs wait until it starts\n"), c->home);
}

static int submit(struct cli *c, const char *file, const char *printer,
		  const char *title)
{
	const struct kconf_user *u;
	char id[64], **words;
	struct kerr e;
	int ret;

	if ((ret = print_session(c)))
		return ret;
	/* A command that cannot work fails here, not in the daemon. */
	if (spool_command_words(c->conf->print_command, "p", "t", &words, &e)) {
		kerr_prefix(&e, "%s: printing.command",
			    c->conf->path ? c->conf->path : "kontor.conf");
		return cli_fail(&e);
	}
	spool_words_free(words);
	if (strcmp(file, "-") == 0)
		file = "/dev/stdin";
	if (spool_submit(c->home, c->user.login, printer, title, file, id,
			 sizeof id, &e))
		return cli_fail(&e);
	if (!printer || !printer[0]) {
		u = kconf_user_find(c->conf, c->user.login);
		printer = u && u->printer ? u->printer : NULL;
	}
	if (printer)
		printf(_("Print job %s queued for printer %s.\n"), id, printer);
	else
		printf(_("Print job %s queued for the default printer.\n"), id);
	daemon_note(c);
	return 0;
}

/* The printer a job went or goes to, as shown: "-" for none. */
static const char *shown_printer(struct cli *c, const struct spool_job *j)
{
	const struct kconf_user *u;

	if (j->printer[0])
		return j->printer;
	if ((j->state == 'n' || j->state == 'w') &&
	    (u = kconf_user_find(c->conf, j->login)) && u->printer)
		return u->printer;
	return "-";
}

static size_t widest(size_t w, const char *s, size_t cap)
{
	size_t n = utf8_width(s);

	if (n > cap)
		n = cap;
	return n > w ? n : w;
}

static int status(struct cli *c, bool all)
{
	struct spool_job *jobs = NULL;
	size_t n, i, wid, wlogin, wprinter, wstate;
	struct kerr e;
	bool queued = false;
	char a[256], b[256], d[256], f[256], ts[32];
	static const char states[] = "nwdf";
	int ret;

	if ((ret = print_session(c)))
		return ret;
	if (all && perm_check(&c->user, "print.admin", &e))
		return cli_fail(&e);
	if (spool_status(c->home, all ? NULL : c->user.login, &jobs, &n, &e))
		return cli_fail(&e);
	if (!n) {
		printf(_("No print jobs.\n"));
		return 0;
	}
	wid = widest(0, _("ID"), 64);
	wlogin = widest(0, _("LOGIN"), 16);
	wprinter = widest(0, _("PRINTER"), 16);
	wstate = widest(0, _("STATE"), 16);
	for (i = 0; i < sizeof states - 1; i++)
		wstate = widest(wstate, spool_state_name(states[i]), 16);
	for (i = 0; i < n; i++) {
		wid = widest(wid, jobs[i].id, 64);
		wlogin = widest(wlogin, jobs[i].login, 16);
		wprinter = widest(wprinter, shown_printer(c, &jobs[i]), 16);
	}
	printf("%s  %-19s  ", utf8_pad(_("ID"), wid, false, a, sizeof a),
	       _("SUBMITTED"));
	if (all)
		printf("%s  ", utf8_pad(_("LOGIN"), wlogin, false, b, sizeof b));
	printf("%s  %s  %s\n",
	       utf8_pad(_("PRINTER"), wprinter, false, d, sizeof d),
	       utf8_pad(_("STATE"), wstate, false, f, sizeof f), _("TITLE"));
	for (i = 0; i < n; i++) {
		const struct spool_job *j = &jobs[i];
		printf("%s  %-19s  ", utf8_pad(j->id, wid, false, a, sizeof a),
		       date_format_ts(j->submitted_us, ts, sizeof ts));
		if (all)
			printf("%s  ", utf8_pad(j->login, wlogin, false, b,
						sizeof b));
		printf("%s  %s  %s\n",
		       utf8_pad(shown_printer(c, j), wprinter, false, d, sizeof d),
		       utf8_pad(spool_state_name(j->state), wstate, false, f,
				sizeof f),
		       j->title);
		if (j->state == 'f')
			printf("    %s\n", j->error);
		if (j->state == 'n')
			queued = true;
	}
	/* Shown here: the screens need not show these failures again. */
	for (i = 0; !all && i < n; i++)
		if (jobs[i].state == 'f' && !jobs[i].seen)
			spool_mark_seen(c->home, jobs[i].id, NULL);
	free(jobs);
	if (queued)
		daemon_note(c);
	return 0;
}

int cmd_print(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "printer", required_argument, NULL, 'p' },
		{ "title", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *printer = NULL, *title = NULL;
	bool all = false;
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "p:t:ah", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			printer = optarg;
			break;
		case 't':
			title = optarg;
			break;
		case 'a':
			all = true;
			break;
		case 'h':
			printf(_("Usage: kontor print FILE [--printer P] [--title T]\n"
				 "       kontor print status [--all]\n\n"
				 "Hands FILE (- for standard input) to the daemon, which runs the\n"
				 "print command of kontor.conf on it; without --printer it goes to\n"
				 "your printer (users[].printer), else the system's default.\n"
				 "'print status' lists your print jobs, newest first, with the\n"
				 "error of those that failed.\n\n"
				 "  --printer P  print on P\n"
				 "  --title T    the job's title (default: the file's name)\n"
				 "  --all        everybody's jobs (permission print.admin)\n"));
			return 0;
		default:
			return cli_usage("print", _("unknown option"));
		}
	}
	if (optind >= argc)
		return cli_usage("print", _("what to print is missing"));
	if (strcmp(argv[optind], "status") == 0) {
		if (optind + 1 != argc)
			return cli_usage("print", _("unexpected argument '%s'"),
					 argv[optind + 1]);
		if (printer || title)
			return cli_usage("print", _("--printer and --title go with a FILE"));
		return status(c, all);
	}
	if (optind + 1 != argc)
		return cli_usage("print", _("unexpected argument '%s'"),
				 argv[optind + 1]);
	if (all)
		return cli_usage("print", _("--all goes with 'status'"));
	return submit(c, argv[optind], printer, title);
}
