/*
 * cmd_import.c - kontor import and kontor export: any entity to and from
 * CSV (masters/csvio.c does the work).
 *
 *   kontor import --list
 *   kontor import ENTITY --columns
 *   kontor import ENTITY FILE [--update]
 *   kontor import journal FILE [--dry-run]
 *   kontor export ENTITY [--output FILE]
 *   kontor export ledger [--output FILE]
 *
 * "journal" and "ledger" are not entities' plain CSV: the journal
 * import posts entries through the general ledger (finance/
 * journal_import.c), the ledger export writes an hledger journal
 * (finance/ledger_export.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "base/date.h"
#include "base/i18n.h"
#include "cli/cli.h"
#include "finance/glrep.h"
#include "masters/csvio.h"
#include "masters/entity.h"

static void import_help(void)
{
	printf(_("Usage: kontor import ENTITY FILE [--update]\n"
		 "       kontor import journal FILE [--dry-run]\n"
		 "       kontor import ENTITY --columns\n"
		 "       kontor import --list\n\n"
		 "Reads the CSV file FILE (RFC 4180, UTF-8, a header row of field\n"
		 "names) into ENTITY in one transaction: when any row is bad nothing\n"
		 "is written and every problem is printed as FILE:LINE: column: reason.\n\n"
		 "  --update   a row whose code exists updates that record\n"
		 "  --columns  print the columns of ENTITY: name, type, required\n"
		 "  --list     print the entities, in an order they can be imported in\n\n"
		 "kontor import journal FILE [--dry-run] posts journal entries: columns\n"
		 "entry, date, account, debit, credit, description, and optionally party,\n"
		 "cost_centre, currency, rate, memo; consecutive rows with the same entry\n"
		 "are one entry.  Every entry is posted, or none.\n\n"
		 "Exit status: 0 imported, 65 bad rows, 66 no such file, 75 busy.\n"));
}

static void export_help(void)
{
	printf(_("Usage: kontor export ENTITY [--output FILE]\n"
		 "       kontor export ledger [--output FILE]\n\n"
		 "Writes every record of ENTITY as CSV, in code order, as of one\n"
		 "moment, to standard output or to FILE (written whole or not at\n"
		 "all).  kontor import reads it back.\n\n"
		 "kontor export ledger writes the posted journal entries as an hledger\n"
		 "journal: hledger -f FILE balance shows the trial balance's balances.\n"));
}

/* The entity named name, or NULL after a usage error naming the choices. */
static const struct entity *entity_arg(const char *cmd, const char *name)
{
	const struct entity *e = ent_find(name);
	char names[1024] = "";
	size_t k = 0;

	if (e)
		return e;
	for (size_t i = 0; i < ent_count && k < sizeof names; i++)
		k += (size_t)snprintf(names + k, sizeof names - k, "%s%s",
				      i ? ", " : "", ent_all[i]->name);
	cli_usage(cmd, _("no entity named '%s'; the entities are %s"), name,
		  names);
	return NULL;
}

static int list_entities(void)
{
	const struct entity **es = calloc(ent_count ? ent_count : 1,
					  sizeof *es);

	if (!es) {
		fprintf(stderr, "kontor: %s\n", strerror(ENOMEM));
		return EX_OSERR;
	}
	csvio_order(es);
	for (size_t i = 0; i < ent_count; i++)
		if (strcmp(es[i]->name, "journal") != 0)
			printf("%-14s %s\n", es[i]->name, _(es[i]->title));
	free(es);
	/* Not a table's plain CSV: posted through the general ledger. */
	printf("%-14s %s\n", "journal",
	       _("Journal entries, posted (kontor import journal --columns)"));
	return 0;
}

/* "1,234,567" */
static const char *grouped(unsigned long v, char *buf, size_t n)
{
	char tmp[32];
	size_t len, k = 0;

	snprintf(tmp, sizeof tmp, "%lu", v);
	len = strlen(tmp);
	for (size_t i = 0; i < len && k + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = tmp[i];
	}
	buf[k] = '\0';
	return buf;
}

struct progress {
	const char *entity;
	int64_t start_us;
};

/* "\rparty: 123,456 rows, 45,000 rows/s" on the terminal. */
static void show_progress(void *arg, unsigned long rows, bool done)
{
	struct progress *p = arg;
	int64_t us = date_now_us() - p->start_us;
	unsigned long rate = us > 0 ? (unsigned long)((double)rows * 1e6 / us) : 0;
	char a[32], b[32];

	fputc('\r', stderr);
	fprintf(stderr, _("%s: %s rows, %s rows/s   "), p->entity,
		grouped(rows, a, sizeof a), grouped(rate, b, sizeof b));
	if (done)
		fputc('\n', stderr);
	fflush(stderr);
}


/* The columns of kontor import journal, for --columns. */
static void journal_columns(void)
{
	printf(_("entry                 text                      required: rows with one value, one after the other, are one entry\n"
		 "date                  date YYYY-MM-DD           required, the same on every row of an entry\n"
		 "account               code of account           required: postable and active\n"
		 "debit                 amount with 2 decimals    one of debit and credit, the other empty or 0\n"
		 "credit                amount with 2 decimals\n"
		 "description           text                      required on an entry's first row; later rows: the line's memo when it differs\n"
		 "party                 code of party\n"
		 "cost_centre           code of department\n"
		 "currency              code of currency          debit and credit are then in this currency\n"
		 "rate                  rate with 6 decimals      base units for one unit; empty: the rate of the date\n"
		 "memo                  text                      the line's memo\n"));
}

/* kontor import journal FILE [--dry-run] | journal --columns */
static int import_journal(struct cli *c, int argc, char **argv)
{
	const char *file = NULL;
	bool columns = false, dry = false;
	unsigned long entries = 0, rows = 0;
	struct kerr err;
	int ret;

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0) {
			import_help();
			return 0;
		} else if (strcmp(a, "--columns") == 0) {
			columns = true;
		} else if (strcmp(a, "--dry-run") == 0) {
			dry = true;
		} else if (strcmp(a, "--update") == 0) {
			return cli_usage("import",
					 _("a posted entry is never updated: --update does not apply to journal"));
		} else if (a[0] == '-' && a[1]) {
			return cli_usage("import", _("unknown option '%s'"), a);
		} else if (!file) {
			file = a;
		} else {
			return cli_usage("import", _("one file at a time"));
		}
	}
	if (columns) {
		if (file || dry)
			return cli_usage("import",
					 _("--columns takes only an entity"));
		journal_columns();
		return 0;
	}
	if (!file)
		return cli_usage("import", _("give the file to import"));
	FILE *fp = fopen(file, "rb");
	if (!fp) {
		fprintf(stderr, "kontor: %s: %s\n", file, strerror(errno));
		return EX_NOINPUT;
	}
	fclose(fp);
	if ((ret = cli_open(c, STORE_ONEOFF, "journal.import")))
		return ret;

	struct progress pg = { "journal", date_now_us() };
	struct csvio_opts o = { .dry_run = dry };
	if (isatty(STDERR_FILENO)) {
		o.progress = show_progress;
		o.arg = &pg;
	}
	if (gl_import_journal(c->st, file, &o, &entries, &rows, stderr, &err))
		return cli_fail(&err);
	if (dry)
		printf(_("Checked %lu rows of %s: nothing wrong, nothing posted (--dry-run)\n"),
		       rows, file);
	else
		printf(entries == 1 ?
		       _("Posted %lu journal entry (%lu rows) from %s\n") :
		       _("Posted %lu journal entries (%lu rows) from %s\n"),
		       entries, rows, file);
	return 0;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	const struct entity *e = NULL;
	const char *file = NULL;
	bool update = false, columns = false, list = false;
	char perm[128];
	struct kerr err;
	int ret;

	if (argc >= 2 && strcmp(argv[1], "journal") == 0)
		return import_journal(c, argc, argv);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0) {
			import_help();
			return 0;
		} else if (strcmp(a, "--update") == 0) {
			update = true;
		} else if (strcmp(a, "--columns") == 0) {
			columns = true;
		} else if (strcmp(a, "--list") == 0) {
			list = true;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage("import", _("unknown option '%s'"), a);
		} else if (!e) {
			if (!(e = entity_arg("import", a)))
				return EX_USAGE;
		} else if (!file) {
			file = a;
		} else {
			return cli_usage("import", _("one file at a time"));
		}
	}
	if (list) {
		if (e || file || update || columns)
			return cli_usage("import", _("--list takes nothing else"));
		return list_entities();
	}
	if (!e)
		return cli_usage("import", _("give an entity and a file"));
	if (columns) {
		if (file || update)
			return cli_usage("import",
					 _("--columns takes only an entity"));
		if ((ret = cli_open(c, STORE_ONEOFF, NULL)))
			return ret;
		if (csvio_columns(c->st, e, stdout, &err))
			return cli_fail(&err);
		return 0;
	}
	if (!file)
		return cli_usage("import", _("give the file to import"));

	/* A missing file is told before the database is opened. */
	FILE *fp = fopen(file, "rb");
	if (!fp) {
		fprintf(stderr, "kontor: %s: %s\n", file, strerror(errno));
		return EX_NOINPUT;
	}
	fclose(fp);

	snprintf(perm, sizeof perm, "%s.import", e->perm);
	if ((ret = cli_open(c, STORE_ONEOFF, perm)))
		return ret;

	struct progress pg = { e->name, date_now_us() };
	struct csvio_opts o = { .update = update };
	unsigned long rows = 0;
	if (isatty(STDERR_FILENO)) {
		o.progress = show_progress;
		o.arg = &pg;
	}
	if (csvio_import_opts(c->st, e, file, &o, &rows, stderr, &err))
		return cli_fail(&err);
	printf(_("Imported %lu %s rows from %s\n"), rows, e->name, file);
	return 0;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	const struct entity *e = NULL;
	const char *output = NULL;
	char perm[128], *tmp = NULL;
	unsigned long rows = 0;
	struct kerr err;
	FILE *out = stdout;
	bool ledger = false;
	int ret;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0) {
			export_help();
			return 0;
		} else if (strcmp(a, "--output") == 0 ||
			   strcmp(a, "-o") == 0) {
			if (++i >= argc)
				return cli_usage("export",
						 _("--output needs a file"));
			output = argv[i];
		} else if (strncmp(a, "--output=", 9) == 0) {
			output = a + 9;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage("export", _("unknown option '%s'"), a);
		} else if (!e && !ledger) {
			if (strcmp(a, "ledger") == 0)
				ledger = true;
			else if (!(e = entity_arg("export", a)))
				return EX_USAGE;
		} else {
			return cli_usage("export", _("one entity at a time"));
		}
	}
	if (!e && !ledger)
		return cli_usage("export", _("give an entity"));
	snprintf(perm, sizeof perm, "%s.export", ledger ? "journal" : e->perm);
	if ((ret = cli_open(c, STORE_ONEOFF, perm)))
		return ret;

	/* FILE.tmp, renamed when whole: a failed export leaves no half file. */
	if (output) {
		size_t n = strlen(output) + 5;
		if (!(tmp = malloc(n))) {
			fprintf(stderr, "kontor: %s\n", strerror(ENOMEM));
			return EX_OSERR;
		}
		snprintf(tmp, n, "%s.tmp", output);
		if (!(out = fopen(tmp, "wb"))) {
			fprintf(stderr, "kontor: %s: %s\n", tmp,
				strerror(errno));
			free(tmp);
			return EX_CANTCREAT;
		}
	}
	setvbuf(out, NULL, _IOFBF, 1 << 16);
	ret = ledger ? gl_export_ledger(c->st, c->conf->base_currency, out,
					&rows, &err) :
		       csvio_export(c->st, e, out, &rows, &err);
	if (output) {
		int e2 = 0;
		if (!ret && (fflush(out) != 0 || fsync(fileno(out)) != 0))
			e2 = errno;
		if (fclose(out) != 0 && !e2)
			e2 = errno;
		if (!ret && !e2 && rename(tmp, output) != 0)
			e2 = errno;
		if (!ret && e2)
			ret = kerr_set(&err, K_EIO, NULL, "%s: %s", output,
				       strerror(e2));
		if (ret)
			unlink(tmp);
		free(tmp);
	}
	if (ret)
		return cli_fail(&err);
	if (output && ledger)
		printf(rows == 1 ? _("Exported %lu journal entry to %s\n") :
		       _("Exported %lu journal entries to %s\n"), rows, output);
	else if (output)
		printf(_("Exported %lu %s rows to %s\n"), rows, e->name,
		       output);
	return 0;
}
