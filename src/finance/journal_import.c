/*
 * journal_import.c - kontor import journal FILE: journal entries from a
 * CSV file, posted through gl_post() in one transaction.
 *
 * The file has a header row naming its columns, in any order:
 *
 *   entry        required: rows with the same value, one after the
 *                other, are one entry
 *   date         required: YYYY-MM-DD, the same on every row of an entry
 *   account      required: the code of a postable, active account
 *   debit        one of debit and credit, the other empty or 0; in the
 *   credit       line's currency ("1,234.50" or "1234.5" or "(12.00)")
 *   description  required on an entry's first row: the entry's; on a
 *                later row, when it differs, the line's memo
 *   party        optional: a party's code
 *   cost_centre  optional: a department's code
 *   currency     optional: a currency's code; debit and credit are then
 *                in that currency, and the base amount is computed by
 *                gl_check from the rate (the base currency's code is the
 *                same as none)
 *   rate         optional with currency: base units for one unit; empty
 *                takes the rate of the entry's date
 *   memo         optional: the line's memo
 *
 * Like every import it reads the file once, row by row, through
 * masters/csvio.c's reader (csvio_reader_scan), inside ONE write
 * transaction, and notes every problem as "FILE:LINE: column: reason"
 * (csvio_problem) while it goes on checking; the transaction commits
 * only when nothing was noted.  An entry's rows are held until its last
 * row has been read (an entry is posted whole); nothing else grows with
 * the file except the set of entry values seen (below).
 *
 * Entries.  A row whose entry value differs from the row before starts
 * a new entry.  A value that comes back after other entries' rows is
 * refused, naming the line it first appeared on: a file sorted wrongly
 * would otherwise post one entry as two.  To know that, the values seen
 * are kept in a hash set: memory grows with the number of entries in
 * the file (about 40 bytes and the value each).
 *
 * What is checked where.  The rows are checked here, so that a message
 * names the row's own line: the date, the account (exists, postable,
 * active), the amounts, the references.  When an entry's last row has
 * been read its sums are compared here too (an entry in the base
 * currency that does not balance names the line of its first row and
 * both sums), then gl_post() checks and posts it; what gl_post refuses
 * (a closed period, a date outside every period, a foreign line without
 * a rate, an unbalanced foreign entry) names the row its message names
 * ("line 3: ..."), else the entry's first row.  Once anything is wrong
 * the following entries are only checked (gl_check), not posted:
 * nothing will be committed, and a transaction in which gl_post failed
 * is not written to again.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/num.h"
#include "base/utf8.h"
#include "finance/gl.h"
#include "finance/glrep.h"
#include "masters/csvio.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "masters/ops.h"

#define MAX_COLS 64               /* fields of one row that are kept */
#define ENTRY_MAX_LINES 100000    /* rows of one entry */
#define PROGRESS_US 200000

enum col {
	C_ENTRY, C_DATE, C_ACCOUNT, C_DEBIT, C_CREDIT, C_DESCRIPTION,
	C_PARTY, C_COST_CENTRE, C_CURRENCY, C_RATE, C_MEMO, C_N
};

static const char *const col_names[C_N] = {
	"entry", "date", "account", "debit", "credit", "description",
	"party", "cost_centre", "currency", "rate", "memo",
};

#define REQUIRED_COLS 6           /* the first six */

/* ------------------------------------------------------------ helpers */

static int grow(void *pp, size_t *cap, size_t n, size_t sz)
{
	void **p = pp;
	size_t nc;
	void *np;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	if (!(np = realloc(*p, nc * sz)))
		return K_ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

/* True for errors of the store rather than of the data (stop). */
static bool fatal(int code)
{
	return code != K_EINVAL && code != K_ERANGE && code != K_ENOTFOUND &&
	       code != K_EEXIST && code != K_EREFERENCED;
}

/* A copy of s without leading and trailing blanks. */
static char *trimmed(const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return strndup(s, n);
}

/* FNV-1a. */
static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* ------------------------------------------------------ the entry set */

/* The entry values seen, with the line each first appeared on. */
struct seen {
	char *value;
	unsigned long line;
};

struct seenset {
	struct seen *slot;
	size_t cap, n;              /* cap a power of two, or 0 */
};

static struct seen *seen_find(struct seenset *s, const char *value)
{
	size_t mask, i;

	if (!s->cap)
		return NULL;
	mask = s->cap - 1;
	for (i = (size_t)hash_text(value) & mask; s->slot[i].value;
	     i = (i + 1) & mask)
		if (strcmp(s->slot[i].value, value) == 0)
			return &s->slot[i];
	return NULL;
}

static int seen_add(struct seenset *s, const char *value, unsigned long line)
{
	size_t mask, i;

	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 256;
		struct seen *ns = calloc(nc, sizeof *ns);
		if (!ns)
			return K_ENOMEM;
		for (size_t k = 0; k < s->cap; k++) {
			if (!s->slot[k].value)
				continue;
			i = (size_t)hash_text(s->slot[k].value) & (nc - 1);
			while (ns[i].value)
				i = (i + 1) & (nc - 1);
			ns[i] = s->slot[k];
		}
		free(s->slot);
		s->slot = ns;
		s->cap = nc;
	}
	mask = s->cap - 1;
	for (i = (size_t)hash_text(value) & mask; s->slot[i].value;
	     i = (i + 1) & mask)
		;
	if (!(s->slot[i].value = strdup(value)))
		return K_ENOMEM;
	s->slot[i].line = line;
	s->n++;
	return 0;
}

static void seen_free(struct seenset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i].value);
	free(s->slot);
	memset(s, 0, sizeof *s);
}

/* ---------------------------------------------------------- the state */

struct jimp {
	struct store *st;
	const char *base;               /* path's last part, for source_ref */
	const struct csvio_opts *o;
	struct store_txn *t;
	char base_cur[16];              /* the base currency's code */

	struct csvio_reader rd;         /* the file, its problems */

	/* the header */
	bool have_header;
	int col[C_N];                   /* column of each, or -1 */
	size_t ncol;

	/* the entry being read */
	bool in_entry, entry_bad, foreign;
	char *entry;                    /* its value */
	unsigned long first_line;
	struct journal j;
	unsigned long *line_of;         /* the row of each line */
	size_t cap_lines, cap_line_of;
	int64_t sum_debit, sum_credit;

	struct seenset seen;
	unsigned long rows, posted;
	int64_t last_progress;
};

/* A store error is fatal; a data error is noted against line. */
static void note(struct jimp *im, int ret, const struct kerr *e,
		 unsigned long line, const char *column)
{
	if (fatal(ret))
		csvio_halt(&im->rd, ret, e);
	else
		csvio_problem(&im->rd, line, column, "%s", e->msg);
}

static void progress(struct jimp *im, bool done)
{
	int64_t now;

	if (!im->o->progress)
		return;
	if (!done) {
		if (im->rows % 256)
			return;
		now = date_now_us();
		if (now - im->last_progress < PROGRESS_US)
			return;
		im->last_progress = now;
	}
	im->o->progress(im->o->arg, im->rows, done);
}

/* The value of column c of the current row ("" when the file has none). */
static const char *val(const struct jimp *im, enum col c)
{
	int i = im->col[c];

	return i < 0 ? "" : im->rd.cur[i].s;
}

/* ---------------------------------------------------------- an entry */

static void entry_reset(struct jimp *im)
{
	store_rec_clear(&journal_schema, &im->j);
	memset(&im->j, 0, sizeof im->j);
	im->j.date = DATE_NONE;
	im->cap_lines = 0;         /* lines.items was freed */
	free(im->entry);
	im->entry = NULL;
	im->in_entry = false;
	im->entry_bad = false;
	im->foreign = false;
	im->sum_debit = im->sum_credit = 0;
}

/*
 * The line of the file a gl message is about: "line N: ..." names the
 * entry's N-th line (then *rest points past that prefix), else the
 * entry's first row.
 */
static unsigned long gl_line(const struct jimp *im, const char *msg,
			     const char **rest)
{
	unsigned long n = 0;
	const char *p = msg;
	const char *word = _("line");
	size_t wl = strlen(word);

	*rest = msg;
	if (strncmp(p, word, wl) != 0 || p[wl] != ' ')
		return im->first_line;
	p += wl + 1;
	if (*p < '1' || *p > '9')
		return im->first_line;
	while (*p >= '0' && *p <= '9')
		n = n * 10 + (unsigned long)(*p++ - '0');
	if (*p != ':' || n == 0 || n > im->j.lines.n)
		return im->first_line;
	p++;
	while (*p == ' ')
		p++;
	*rest = p;
	return im->line_of[n - 1];
}

/* Posts (or, after a problem, checks) the entry read so far. */
static void entry_end(struct jimp *im)
{
	struct journal *j = &im->j;
	char a[NUM_BUFSZ], b[NUM_BUFSZ];
	struct kerr err;
	bool check_only;
	int ret;

	if (!im->in_entry || im->rd.stop)
		goto out;
	if (im->entry_bad)
		goto out;
	if (j->lines.n < 2) {
		csvio_problem(&im->rd, im->first_line, "entry",
			      _("entry %s has one line; an entry needs at least two"),
			      im->entry);
		goto out;
	}
	if (!im->foreign && im->sum_debit != im->sum_credit) {
		csvio_problem(&im->rd, im->first_line, "entry",
			      _("entry %s does not balance: debits %s, credits %s"),
			      im->entry,
			      num_format(im->sum_debit, NUM_MONEY_SCALE, true,
					 a, sizeof a),
			      num_format(im->sum_credit, NUM_MONEY_SCALE, true,
					 b, sizeof b));
		goto out;
	}
	check_only = im->rd.nprobs > 0 || im->rd.full;
	kerr_clear(&err);
	ret = check_only ? gl_check(im->t, j, &err) : gl_post(im->t, j, &err);
	if (ret) {
		const char *rest;
		unsigned long line = gl_line(im, err.msg, &rest);
		if (fatal(ret)) {
			csvio_halt(&im->rd, ret, &err);
		} else {
			csvio_problem(&im->rd, line, NULL, _("entry %s: %s"),
				      im->entry, rest);
		}
		goto out;
	}
	if (!check_only)
		im->posted++;
out:
	entry_reset(im);
}

/* Starts the entry `value` at the current row. */
static void entry_begin(struct jimp *im, const char *value)
{
	struct seen *s = seen_find(&im->seen, value);
	char ref[256];

	entry_reset(im);
	im->in_entry = true;
	im->first_line = im->rd.row_line;
	if (!(im->entry = strdup(value))) {
		csvio_halt(&im->rd, K_ENOMEM, NULL);
		return;
	}
	if (s) {
		csvio_problem(&im->rd, im->rd.row_line, "entry",
			      _("entry %s comes back after other entries' rows; it began at line %lu, and the rows of an entry must follow each other"),
			      value, s->line);
		im->entry_bad = true;
	} else if (seen_add(&im->seen, value, im->rd.row_line)) {
		csvio_halt(&im->rd, K_ENOMEM, NULL);
		return;
	}
	/* "journal.csv:E42": where the entry came from. */
	snprintf(ref, sizeof ref, "%s:%s", im->base, value);
	if (!(im->j.source = strdup("import")) ||
	    !(im->j.source_ref = strdup(ref)))
		csvio_halt(&im->rd, K_ENOMEM, NULL);
}

/* Looks up code in entity e; *id gets its id.  Notes a problem on error. */
static bool lookup(struct jimp *im, const struct entity *e, const char *code,
		   const char *column, int64_t *id, void **out)
{
	void *rec = calloc(1, e->schema->size);
	struct kerr err;
	int ret;

	if (!rec) {
		csvio_halt(&im->rd, K_ENOMEM, NULL);
		return false;
	}
	kerr_clear(&err);
	ret = store_find_text(im->t, e->schema, e->code_index, code, rec,
			      &err);
	if (ret == K_ENOTFOUND) {
		csvio_problem(&im->rd, im->rd.row_line, column,
			      _("no %s with code %s"), e->name, code);
	} else if (ret) {
		note(im, ret, &err, im->rd.row_line, column);
	} else {
		*id = ((struct store_rec *)rec)->id;
		if (out) {
			*out = rec;
			return true;
		}
	}
	store_rec_clear(e->schema, rec);
	free(rec);
	return ret == 0;
}

/* An amount column: *v gets it (0 when empty).  False after a problem. */
static bool amount(struct jimp *im, enum col c, int64_t *v)
{
	const char *s = val(im, c);
	struct kerr err;

	*v = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return true;
	kerr_clear(&err);
	if (num_parse(s, NUM_MONEY_SCALE, v, &err)) {
		csvio_problem(&im->rd, im->rd.row_line, col_names[c], "%s",
			      err.msg);
		return false;
	}
	return true;
}

/* Reads the current row into a new line of the entry. */
static void add_row(struct jimp *im)
{
	struct journal *j = &im->j;
	unsigned long line = im->rd.row_line;
	struct jline ln = { 0 };
	char *account = NULL, *desc = NULL, *tmp = NULL;
	struct account *acc = NULL;
	int64_t debit = 0, credit = 0;
	bool bad = false;
	kdate d = DATE_NONE;
	struct kerr err;

	/* Every text must be UTF-8 without NUL bytes. */
	for (int c = 0; c < C_N; c++) {
		int i = im->col[c];
		if (i < 0)
			continue;
		if (strlen(im->rd.cur[i].s) != im->rd.cur[i].len ||
		    !utf8_valid(im->rd.cur[i].s, im->rd.cur[i].len)) {
			csvio_problem(&im->rd, line, col_names[c],
				      _("not valid UTF-8 text"));
			bad = true;
		}
	}
	if (bad)
		goto out;

	/* date: required, the same on every row of an entry */
	if (!(tmp = trimmed(val(im, C_DATE))))
		goto nomem;
	if (!*tmp) {
		csvio_problem(&im->rd, line, "date", _("required"));
		bad = true;
	} else {
		kerr_clear(&err);
		if (date_parse(tmp, &d, &err)) {
			csvio_problem(&im->rd, line, "date", "%s", err.msg);
			bad = true;
		} else if (j->date == DATE_NONE) {
			j->date = d;
		} else if (d != j->date) {
			char x[DATE_BUFSZ];
			csvio_problem(&im->rd, line, "date",
				      _("%s differs from the date of entry %s (%s, line %lu)"),
				      tmp, im->entry,
				      date_format(j->date, x, sizeof x),
				      im->first_line);
			bad = true;
		}
	}
	free(tmp);
	tmp = NULL;

	/* account: postable and active */
	if (!(account = trimmed(val(im, C_ACCOUNT))))
		goto nomem;
	if (!*account) {
		csvio_problem(&im->rd, line, "account", _("required"));
		bad = true;
	} else if (lookup(im, &account_entity, account, "account",
			  &ln.account, (void **)&acc)) {
		if (!acc->postable) {
			csvio_problem(&im->rd, line, "account",
				      _("account %s is a heading; post to an account under it"),
				      account);
			bad = true;
		} else if (acc->status && strcmp(acc->status, "blocked") == 0) {
			csvio_problem(&im->rd, line, "account",
				      _("account %s is blocked"), account);
			bad = true;
		}
	} else {
		bad = true;
	}

	/* debit or credit */
	if (!amount(im, C_DEBIT, &debit) || !amount(im, C_CREDIT, &credit)) {
		bad = true;
	} else if (debit && credit) {
		csvio_problem(&im->rd, line, "debit",
			      _("a debit and a credit on one row; give one, the other empty"));
		bad = true;
	} else if (!debit && !credit) {
		csvio_problem(&im->rd, line, "debit", _("no debit or credit"));
		bad = true;
	}

	/* description: the entry's on its first row; later, a memo */
	if (!(desc = trimmed(val(im, C_DESCRIPTION))))
		goto nomem;
	if (!j->description) {
		if (!*desc) {
			csvio_problem(&im->rd, line, "description",
				      _("required on an entry's first row"));
			bad = true;
		} else {
			j->description = desc;
			desc = NULL;
		}
	}
	if (!(tmp = trimmed(val(im, C_MEMO))))
		goto nomem;
	if (*tmp) {
		ln.memo = tmp;
		tmp = NULL;
	} else if (desc && *desc && j->description &&
		   strcmp(desc, j->description) != 0) {
		ln.memo = desc;
		desc = NULL;
	}
	free(tmp);
	tmp = NULL;

	/* references */
	if (!(tmp = trimmed(val(im, C_PARTY))))
		goto nomem;
	if (*tmp && !lookup(im, &party_entity, tmp, "party", &ln.party, NULL))
		bad = true;
	free(tmp);
	if (!(tmp = trimmed(val(im, C_COST_CENTRE))))
		goto nomem;
	if (*tmp && !lookup(im, &department_entity, tmp, "cost_centre",
			    &ln.cost_centre, NULL))
		bad = true;
	free(tmp);
	if (!(tmp = trimmed(val(im, C_CURRENCY))))
		goto nomem;
	/* The base currency named is no foreign currency. */
	if (*tmp && strcmp(tmp, im->base_cur) != 0 &&
	    !lookup(im, &currency_entity, tmp, "currency", &ln.currency, NULL))
		bad = true;
	free(tmp);
	if (!(tmp = trimmed(val(im, C_RATE))))
		goto nomem;
	if (*tmp) {
		kerr_clear(&err);
		if (num_parse(tmp, NUM_RATE_SCALE, &ln.rate, &err)) {
			csvio_problem(&im->rd, line, "rate", "%s", err.msg);
			bad = true;
		} else if (ln.rate <= 0) {
			csvio_problem(&im->rd, line, "rate",
				      _("must be more than 0"));
			bad = true;
		} else if (!ln.currency) {
			csvio_problem(&im->rd, line, "rate",
				      _("a rate needs a currency other than the base currency"));
			bad = true;
		}
	}
	free(tmp);
	tmp = NULL;

	if (im->rd.stop)
		goto out;
	if (bad) {
		im->entry_bad = true;
		goto out;
	}
	if (j->lines.n >= ENTRY_MAX_LINES) {
		csvio_problem(&im->rd, line, "entry",
			      _("entry %s has more than %d lines"), im->entry,
			      ENTRY_MAX_LINES);
		im->entry_bad = true;
		goto out;
	}
	if (ln.currency) {
		/* In the line's currency: gl_check computes the base amount. */
		ln.fx_amount = debit - credit;
		im->foreign = true;
	} else {
		ln.debit = debit;
		ln.credit = credit;
		if (num_add(im->sum_debit, debit, &im->sum_debit) ||
		    num_add(im->sum_credit, credit, &im->sum_credit)) {
			csvio_problem(&im->rd, line, "debit",
				      _("the entry's sum is too large"));
			im->entry_bad = true;
			goto out;
		}
	}
	if (grow(&j->lines.items, &im->cap_lines, j->lines.n, sizeof ln) ||
	    grow(&im->line_of, &im->cap_line_of, j->lines.n,
		 sizeof *im->line_of))
		goto nomem;
	((struct jline *)j->lines.items)[j->lines.n] = ln;
	im->line_of[j->lines.n] = line;
	j->lines.n++;
	memset(&ln, 0, sizeof ln);
	goto out;
nomem:
	csvio_halt(&im->rd, K_ENOMEM, NULL);
out:
	free(ln.memo);             /* NULL once the line is the entry's */
	if (acc) {
		store_rec_clear(&account_schema, acc);
		free(acc);
	}
	free(account);
	free(desc);
	free(tmp);
}

/* --------------------------------------------------------- the header */

static void header(struct jimp *im)
{
	bool bad = false;

	im->have_header = true;
	im->ncol = im->rd.ncur;
	for (int c = 0; c < C_N; c++)
		im->col[c] = -1;
	if (im->rd.nrow > MAX_COLS) {
		csvio_problem(&im->rd, im->rd.row_line, NULL,
			      _("the header has %zu columns; at most %d"),
			      im->rd.nrow, MAX_COLS);
		im->rd.stop = K_EINVAL;
		return;
	}
	for (size_t i = 0; i < im->rd.ncur; i++) {
		char *name = trimmed(im->rd.cur[i].s);
		int c;

		if (!name) {
			csvio_halt(&im->rd, K_ENOMEM, NULL);
			return;
		}
		for (c = 0; c < C_N; c++)
			if (strcmp(name, col_names[c]) == 0)
				break;
		if (c == C_N) {
			csvio_problem(&im->rd, im->rd.row_line, name,
				      _("unknown column; the columns are entry, date, account, debit, credit, description, party, cost_centre, currency, rate, memo"));
			bad = true;
		} else if (im->col[c] >= 0) {
			csvio_problem(&im->rd, im->rd.row_line, name,
				      _("the column appears twice (also column %d)"),
				      im->col[c] + 1);
			bad = true;
		} else {
			im->col[c] = (int)i;
		}
		free(name);
	}
	for (int c = 0; c < REQUIRED_COLS; c++)
		if (im->col[c] < 0) {
			csvio_problem(&im->rd, im->rd.row_line, col_names[c],
				      _("the %s column is required"),
				      col_names[c]);
			bad = true;
		}
	if (bad)
		im->rd.stop = K_EINVAL;
}

/* ------------------------------------------------------------- a row */

static void do_row(struct jimp *im)
{
	char *entry;

	if (im->rd.nrow != im->ncol) {
		csvio_problem(&im->rd, im->rd.row_line, NULL,
			      _("%zu columns where the header has %zu"),
			      im->rd.nrow, im->ncol);
		if (im->in_entry)
			im->entry_bad = true;
		return;
	}
	if (!(entry = trimmed(val(im, C_ENTRY)))) {
		csvio_halt(&im->rd, K_ENOMEM, NULL);
		return;
	}
	if (!*entry) {
		csvio_problem(&im->rd, im->rd.row_line, "entry", _("required"));
		if (im->in_entry)
			im->entry_bad = true;
		free(entry);
		return;
	}
	if (!im->in_entry || strcmp(entry, im->entry) != 0) {
		entry_end(im);
		if (!im->rd.stop)
			entry_begin(im, entry);
	}
	free(entry);
	if (!im->rd.stop)
		add_row(im);
}

/* --------------------------------------------------------- the rows */

/* The reader's row callback: the header, then each row. */
static void import_row(struct csvio_reader *r, void *arg)
{
	struct jimp *im = arg;

	if (!im->have_header) {
		header(im);
		return;
	}
	im->rows++;
	if (r->nrow > MAX_COLS) {
		csvio_problem(r, r->row_line, NULL,
			      _("%zu columns where the header has %zu"),
			      r->nrow, im->ncol);
		if (im->in_entry)
			im->entry_bad = true;
		return;
	}
	do_row(im);
	progress(im, false);
}

int gl_import_journal(struct store *st, const char *path,
		      const struct csvio_opts *o, unsigned long *entries,
		      unsigned long *rows, FILE *errs, struct kerr *err)
{
	static const struct csvio_opts none;
	struct jimp im = { 0 };
	const char *slash;
	FILE *fp;
	int ret;

	if (entries)
		*entries = 0;
	if (rows)
		*rows = 0;
	im.st = st;
	slash = strrchr(path, '/');
	im.base = slash ? slash + 1 : path;
	im.o = o ? o : &none;
	im.j.date = DATE_NONE;
	csvio_reader_init(&im.rd, path, MAX_COLS, 0, import_row, &im);
	if (!(fp = fopen(path, "rb")))
		return kerr_set(err, errno == ENOENT ? K_ENOTFOUND : K_EIO,
				NULL, _("cannot open %s: %s"), path,
				strerror(errno));
	if ((ret = store_txn_begin(st, false, &im.t, err))) {
		fclose(fp);
		return ret;
	}
	/* Written by db init (gl_check reads it too); none: no such rows. */
	if (store_meta_get(im.t, "base_currency", im.base_cur,
			   sizeof im.base_cur, NULL))
		im.base_cur[0] = '\0';
	ret = csvio_reader_scan(&im.rd, fp, err);
	fclose(fp);
	if (!ret && !im.rd.stop)
		entry_end(&im);         /* the last entry */
	progress(&im, true);
	if (!ret && im.rd.stop_err.code) {
		ret = im.rd.stop_err.code;
		if (ret == K_EBUSY)
			kerr_set(err, K_EBUSY, NULL,
				 _("the database is busy: another user is posting; try again"));
		else
			*err = im.rd.stop_err;
	}
	if (ret || im.rd.nprobs || im.rd.full || im.o->dry_run) {
		store_txn_abort(&im.t);
	} else if ((ret = store_txn_commit(&im.t, err)) == K_EBUSY) {
		kerr_set(err, K_EBUSY, NULL,
			 _("the database is busy: another user is posting; try again"));
	}
	if (!ret && (im.rd.nprobs || im.rd.full)) {
		csvio_reader_report(&im.rd, errs);
		ret = kerr_set(err, K_EINVAL, NULL,
			       _("%s: %zu error(s); nothing was posted"),
			       path, im.rd.nprobs);
	}
	if (!ret && entries && !im.o->dry_run)
		*entries = im.posted;
	if (rows)
		*rows = im.rows;
	csvio_reader_free(&im.rd);
	entry_reset(&im);
	free(im.line_of);
	seen_free(&im.seen);
	return ret;
}
