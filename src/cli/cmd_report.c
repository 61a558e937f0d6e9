/*
 * cmd_report.c - kontor report: list the reports, describe one, run one
 * as text, CSV or PDF to standard output, a file, or the printer.
 *
 *   kontor report list
 *   kontor report NAME --help
 *   kontor report NAME [--param K=V]... [--format text|csv|pdf]
 *                      [--output FILE | --print]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "base/i18n.h"
#include "cli/cli.h"
#include "report/report.h"
#include "report/spool.h"

static void report_usage(void)
{
	printf(_("Usage: kontor report list\n"
		 "       kontor report NAME --help\n"
		 "       kontor report NAME [--param NAME=VALUE]... [--format text|csv|pdf]\n"
		 "                          [--width 80|132|printer]\n"
		 "                          [--paper a4|letter] [--landscape | --portrait]\n"
		 "                          [--output FILE | --print]\n\n"
		 "Runs a report as of one moment.  text (the default) is paginated for\n"
		 "a line printer: the report's own width (80 columns, 132 for a wide\n"
		 "one), as on screen, unless --width asks for a wider page (printer:\n"
		 "kontor.conf's printing.width), and kontor.conf's printing length.\n"
		 "csv is for spreadsheets, pdf for paper.  The report goes to standard\n"
		 "output, to FILE (written whole or not at all), or with --print to the\n"
		 "printer through kontor daemon.  'kontor report NAME --help' lists the\n"
		 "parameters of a report.\n\n"
		 "Exit status: 0 done, 64 a bad option or parameter, 77 not allowed.\n"));
}

static int list_reports(void)
{
	int w = 12;

	/* Names as wide as the longest ("depreciation-schedule"). */
	for (size_t i = 0; i < report_count; i++)
		if ((int)strlen(report_all[i]->name) > w)
			w = (int)strlen(report_all[i]->name);
	for (size_t i = 0; i < report_count; i++)
		printf("%-*s %s\n", w, report_all[i]->name,
		       _(report_all[i]->title));
	return 0;
}

static const char *type_name(enum rptype t)
{
	switch (t) {
	case RP_TEXT:
		return _("text");
	case RP_DATE:
		return _("date, YYYY-MM-DD or today");
	case RP_PERIOD:
		return _("period, YYYY-MM");
	case RP_INT:
		return _("whole number");
	case RP_REF:
		return _("code");
	case RP_CHOICE:
		return _("one of");
	}
	return "";
}

static int report_help(const struct report *r)
{
	printf(_("Usage: kontor report %s [--param NAME=VALUE]... [--format text|csv|pdf]\n"
		 "       [--width 80|132|printer]\n"
		 "       [--paper a4|letter] [--landscape | --portrait]\n"
		 "       [--output FILE | --print]\n\n"), r->name);
	printf("%s, %s.\n", _(r->title), _(r->sorted));
	printf(_("Laid out for %d columns.\n"), report_width(r, 0));
	if (r->nparams)
		printf(_("\nParameters:\n"));
	for (size_t i = 0; i < r->nparams; i++) {
		const struct rparam *p = &r->params[i];
		printf("  %-10s %s: %s", p->name, _(p->label), type_name(p->type));
		if (p->type == RP_REF)
			printf(_(" of a %s"), p->ref);
		if (p->type == RP_CHOICE) {
			putchar(' ');
			for (const char *s = p->choices; s && *s; s++)
				if (*s == '|')
					fputs(", ", stdout);
				else
					putchar(*s);
		}
		if (p->def)
			printf(_(" (default %s)"), p->def);
		if (p->required)
			printf(_(" (required)"));
		putchar('\n');
	}
	printf(_("\nColumns:\n"));
	for (size_t i = 0; i < r->ncols; i++)
		printf("  %-14s %s%s\n", r->cols[i].name, _(r->cols[i].heading),
		       r->cols[i].total ? _(" (totalled)") : "");
	if (r->group_label)
		printf(_("\nGrouped by %s, with a subtotal a group.\n"),
		       _(r->group_label));
	if (r->total_by)
		printf(_("\nTotals per %s: one line for each, then the number of rows.\n"),
		       r->total_by);
	printf(_("\nPermission: %s\n"), r->perm);
	return 0;
}

/* "--opt VALUE" or "--opt=VALUE": the value, or NULL (then *i moved). */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name) == 0 && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

/* When the report ran: now, or KONTOR_TODAY at midnight (tests). */
static int64_t run_time(void)
{
	const char *pin = getenv("KONTOR_TODAY");
	kdate d;
	int y, m, day;

	if (!pin || date_parse(pin, &d, NULL) != 0)
		return date_now_us();
	date_to_ymd(d, &y, &m, &day);
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = day,
		.tm_isdst = -1,
	};
	time_t t = mktime(&tm);
	return t == (time_t)-1 ? date_now_us() : (int64_t)t * 1000000;
}

int cmd_report(struct cli *c, int argc, char **argv)
{
	const struct report *r;
	struct rparams given = { 0 }, params;
	char pnames[sizeof given.name / sizeof *given.name][64];
	enum rformat fmt = RFMT_TEXT;
	const char *output = NULL;
	bool print = false, a4 = true;
	int orient = -1;               /* -1: the report's own (wide = landscape) */
	int width = 0;                 /* 0: the report's own (report_width) */
	const char *width_arg = NULL;
	char *tmp = NULL;
	unsigned long rows = 0;
	struct kerr e;
	FILE *out = stdout;
	int ret;

	if (argc < 2)
		return cli_usage("report", _("give a report's name, or list"));
	if (strcmp(argv[1], "--help") == 0) {
		report_usage();
		return 0;
	}
	if (strcmp(argv[1], "list") == 0) {
		if (argc > 2)
			return cli_usage("report", _("list takes nothing else"));
		return list_reports();
	}
	if (!(r = report_find(argv[1]))) {
		char names[512] = "";
		size_t k = 0;
		for (size_t i = 0; i < report_count && k < sizeof names; i++)
			k += (size_t)snprintf(names + k, sizeof names - k,
					      "%s%s", i ? ", " : "",
					      report_all[i]->name);
		return cli_usage("report",
				 _("no report named '%s'; the reports are %s"),
				 argv[1], names);
	}
	/* Usage errors from here on point at this report's --help. */
	char cmd[64];
	snprintf(cmd, sizeof cmd, "report %s", r->name);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v;
		if (strcmp(a, "--help") == 0) {
			return report_help(r);
		} else if ((v = opt_value(argc, argv, &i, "--param"))) {
			const char *eq = strchr(v, '=');
			if (!eq || eq == v)
				return cli_usage(cmd,
						 _("--param needs NAME=VALUE, not '%s'"),
						 v);
			if (given.n >= sizeof given.name / sizeof *given.name)
				return cli_usage(cmd,
						 _("too many parameters"));
			/* NAME is copied: argv stays as given. */
			snprintf(pnames[given.n], sizeof pnames[given.n],
				 "%.*s", (int)(eq - v), v);
			given.name[given.n] = pnames[given.n];
			given.value[given.n++] = eq + 1;
		} else if ((v = opt_value(argc, argv, &i, "--format"))) {
			if (strcmp(v, "text") == 0)
				fmt = RFMT_TEXT;
			else if (strcmp(v, "csv") == 0)
				fmt = RFMT_CSV;
			else if (strcmp(v, "pdf") == 0)
				fmt = RFMT_PDF;
			else
				return cli_usage(cmd,
						 _("unknown format '%s'; the formats are text, csv and pdf"),
						 v);
		} else if ((v = opt_value(argc, argv, &i, "--width"))) {
			if (strcmp(v, "80") == 0)
				width = 80;
			else if (strcmp(v, "132") == 0)
				width = 132;
			else if (strcmp(v, "printer") == 0)
				width = -1;    /* kontor.conf's, once read */
			else
				return cli_usage(cmd,
						 _("unknown width '%s'; give 80, 132 or printer"),
						 v);
			width_arg = v;
		} else if ((v = opt_value(argc, argv, &i, "--paper"))) {
			if (strcmp(v, "a4") == 0 || strcmp(v, "A4") == 0)
				a4 = true;
			else if (strcmp(v, "letter") == 0)
				a4 = false;
			else
				return cli_usage(cmd,
						 _("unknown paper '%s'; the papers are a4 and letter"),
						 v);
		} else if (strcmp(a, "--landscape") == 0) {
			orient = 1;
		} else if (strcmp(a, "--portrait") == 0) {
			orient = 0;
		} else if ((v = opt_value(argc, argv, &i, "--output"))) {
			output = v;
		} else if (strcmp(a, "--print") == 0) {
			print = true;
		} else if (strcmp(a, "--param") == 0 ||
			   strcmp(a, "--format") == 0 ||
			   strcmp(a, "--width") == 0 ||
			   strcmp(a, "--paper") == 0 ||
			   strcmp(a, "--output") == 0) {
			return cli_usage(cmd, _("%s needs a value"), a);
		} else {
			return cli_usage(cmd, _("unknown argument '%s'"), a);
		}
	}
	if (output && print)
		return cli_usage(cmd, _("give --output or --print, not both"));
	if (width_arg && fmt != RFMT_TEXT)
		return cli_usage(cmd, _("--width %s lays out text, not %s"),
				 width_arg, fmt == RFMT_CSV ? "csv" : "pdf");
	if (fmt == RFMT_PDF && !report_pdf_available()) {
		fprintf(stderr, _("kontor: this kontor was built without PDF "
				  "output: configure did not find cairo and "
				  "pango (Debian: libcairo2-dev "
				  "libpango1.0-dev)\n"));
		return EX_USAGE;
	}
	if (report_params(r, &given, &params, &e))
		return cli_usage(cmd, "%s", e.msg);
	if ((ret = cli_open(c, STORE_ONEOFF, r->perm)))
		return ret;

	/* FILE.tmp, renamed when whole: a failed report leaves no half file. */
	if (print) {
		/* Rendered whole into a private file, then spooled (a copy). */
		const char *dir = getenv("TMPDIR");
		size_t n = (dir && *dir ? strlen(dir) : 4) + 32;
		char **words;
		int fd;
		/* A command that cannot work fails here, not in the daemon. */
		if (spool_command_words(c->conf->print_command, "p", "t",
					&words, &e)) {
			kerr_prefix(&e, "%s: printing.command",
				    c->conf->path ? c->conf->path : "kontor.conf");
			return cli_fail(&e);
		}
		spool_words_free(words);
		if (!(tmp = malloc(n))) {
			fprintf(stderr, "kontor: %s\n", strerror(ENOMEM));
			return EX_OSERR;
		}
		snprintf(tmp, n, "%s/kontor-report.XXXXXX",
			 dir && *dir ? dir : "/tmp");
		/*
		 * Unlinked at once: nothing is left behind when the daemon
		 * evicts us (SIGUSR1 exits at once) or we are killed.
		 */
		if ((fd = mkstemp(tmp)) >= 0)
			unlink(tmp);
		if (fd < 0 || !(out = fdopen(fd, "w+b"))) {
			fprintf(stderr, "kontor: %s: %s\n", tmp, strerror(errno));
			if (fd >= 0)
				close(fd);
			free(tmp);
			return EX_CANTCREAT;
		}
	} else if (output) {
		size_t n = strlen(output) + 5;
		if (!(tmp = malloc(n))) {
			fprintf(stderr, "kontor: %s\n", strerror(ENOMEM));
			return EX_OSERR;
		}
		snprintf(tmp, n, "%s.tmp", output);
		if (!(out = fopen(tmp, "wb"))) {
			fprintf(stderr, "kontor: %s: %s\n", tmp, strerror(errno));
			free(tmp);
			return EX_CANTCREAT;
		}
	}
	setvbuf(out, NULL, _IOFBF, 1 << 16);

	struct rmeta meta = {
		.company = c->conf->company_name,
		.user = c->user.name[0] ? c->user.name : c->user.login,
		.run_us = run_time(),
		/* The report's own width unless one was asked for. */
		.width = width < 0 ? c->conf->print_width : width,
		.page_lines = c->conf->print_length,
		.base_currency = c->conf->base_currency,
		.a4 = a4,
		.landscape = orient < 0 ? r->wide : orient == 1,
	};
	ret = report_run(c->st, r, &params, &meta, fmt, out, &rows, &e);
	if (print) {
		char id[64];
		int e2 = 0;
		if (!ret && fflush(out) != 0)
			e2 = errno;
		if (!ret && !e2)
			ret = spool_submit_fd(c->home, c->user.login, NULL,
					      _(r->title), fileno(out), id,
					      sizeof id, &e);
		fclose(out);          /* read back whole, or not needed */
		free(tmp);
		if (!ret && e2) {
			fprintf(stderr, "kontor: %s\n", strerror(e2));
			return EX_IOERR;
		}
		if (ret)
			return cli_fail(&e);
		printf(_("Print job %s queued (%lu rows).\n"), id, rows);
		if (!spool_runner_pid(c->home))
			fprintf(stderr, _("kontor: the daemon is not running for %s: "
					  "queued jobs wait until it starts\n"),
				c->home);
		return 0;
	}
	if (output) {
		int e2 = 0;
		if (!ret && (fflush(out) != 0 || fsync(fileno(out)) != 0))
			e2 = errno;
		if (fclose(out) != 0 && !e2)
			e2 = errno;
		if (!ret && !e2 && rename(tmp, output) != 0)
			e2 = errno;
		if (ret || e2)
			unlink(tmp);
		free(tmp);
		if (!ret && e2) {
			fprintf(stderr, "kontor: %s: %s\n", output,
				strerror(e2));
			return EX_IOERR;
		}
	}
	if (ret)
		return cli_fail(&e);
	return 0;
}
