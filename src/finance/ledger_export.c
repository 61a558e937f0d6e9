/*
 * ledger_export.c - kontor export ledger: the posted ledger as a
 * plain-text accounting journal that hledger (and, mostly, ledger)
 * reads, so that `hledger -f FILE balance` shows the balances of our
 * trial balance.
 *
 * The file:
 *
 *   ; Kontor ledger: the posted journal entries, amounts in CNY
 *   commodity 1000.00 CNY
 *
 *   account 1 资产类                          ; type: A
 *   account 1 资产类:1122 应收账款            ; type: A
 *   ...
 *
 *   2026-01-05 * (JE-000001) Sale to Acme
 *       ; source: manual
 *       1 资产类:1122 应收账款      113.00 CNY  ; party: C001
 *       6 损益类:6001 主营业务收入  -100.00 CNY
 *       ...
 *
 * Account names.  An account is its path in the chart, each level
 * "CODE NAME", joined by colons (hledger's separator), so that
 * hledger's tree is our tree and its subtotals our headings' totals.
 * hledger ends an account name at two spaces or a tab, and takes a colon
 * as a level, a ';' in a description as a comment and a line break as
 * the end of the line: in names and texts control characters and runs
 * of blanks become one space, ':' in a name becomes '-' (": " becomes
 * " - "), and in descriptions and comments ';' becomes ','.  CJK
 * characters need no quoting.
 *
 * Amounts are the lines' base-currency amounts (debit positive, credit
 * negative) in the base currency as the commodity, two decimals; a line
 * in another currency says so in its comment (fx: 100.00 USD @ 7.2).
 *
 * Streaming: one snapshot, the journal walked by its date index, one
 * entry in memory at a time.  Account paths are kept in a small cache
 * keyed by account id (a chart has hundreds of accounts; the cache has
 * ACCT_CACHE slots and forgets on collisions).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/num.h"
#include "base/utf8.h"
#include "finance/gl.h"
#include "finance/glrep.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "masters/ops.h"

#define ACCT_CACHE 1024
#define PATH_MAX_LEVELS 64
#define NAME_MAX_BYTES 4096

struct acache {
	int64_t id;
	char *path;
	char type;                /* hledger's account type: A L E R X */
};

struct exp {
	struct store_txn *t;
	FILE *out;
	const char *commodity;
	struct acache cache[ACCT_CACHE];
	char refbuf[256];
};

/*
 * Appends s to buf (n bytes, *len used) made safe for hledger: control
 * characters and runs of blanks become one space; ':' becomes '-' when
 * colon is set (": " becomes " - "), ';' becomes ',' when semi is set.  Leading and trailing
 * blanks are dropped by the caller's trim (trail).
 */
static void put_clean(char *buf, size_t n, size_t *len, const char *s,
		      bool colon, bool semi)
{
	bool space = *len == 0 || buf[*len - 1] == ' ';

	for (; s && *s && *len + 4 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || c == ' ') {
			if (!space)
				buf[(*len)++] = ' ';
			space = true;
			continue;
		}
		if (colon && c == ':') {
			/* "Inventories: raw materials": " - " */
			if (s[1] == ' ' && !space)
				buf[(*len)++] = ' ';
			c = '-';
		} else if (semi && c == ';')
			c = ',';
		buf[(*len)++] = (char)c;
		space = false;
	}
	buf[*len] = '\0';
}

static void trim_end(char *buf, size_t *len)
{
	while (*len && buf[*len - 1] == ' ')
		buf[--*len] = '\0';
}

static char type_letter(const char *type)
{
	if (!type)
		return 'A';
	if (strcmp(type, "liability") == 0)
		return 'L';
	if (strcmp(type, "equity") == 0)
		return 'E';
	if (strcmp(type, "income") == 0)
		return 'R';
	if (strcmp(type, "expense") == 0)
		return 'X';
	return 'A';
}

/*
 * The hledger name of account id ("1 资产类:1122 应收账款") and its
 * type letter, from the cache or the chart.
 */
static int account_path(struct exp *x, int64_t id, const char **path,
			char *type, struct kerr *err)
{
	struct acache *c = &x->cache[(uint64_t)id % ACCT_CACHE];
	int64_t chain[PATH_MAX_LEVELS];
	struct account a;
	char buf[NAME_MAX_BYTES];
	size_t len = 0;
	int depth = 0, ret = 0;

	if (c->path && c->id == id) {
		*path = c->path;
		*type = c->type;
		return 0;
	}
	memset(&a, 0, sizeof a);
	/* Up to the top, then written from the top down. */
	for (int64_t at = id; at; ) {
		if (depth >= PATH_MAX_LEVELS)
			return kerr_set(err, K_ECORRUPT, "parent",
					_("the chart of accounts is more than %d levels deep"),
					PATH_MAX_LEVELS);
		chain[depth++] = at;
		if ((ret = store_get(x->t, &account_schema, at, &a, err)))
			goto out;
		if (at == id)
			*type = type_letter(a.type);
		at = a.parent;
	}
	buf[0] = '\0';
	for (int i = depth - 1; i >= 0; i--) {
		if ((ret = store_get(x->t, &account_schema, chain[i], &a, err)))
			goto out;
		if (len)
			buf[len++] = ':';
		buf[len] = '\0';
		put_clean(buf, sizeof buf, &len, a.code, true, false);
		put_clean(buf, sizeof buf, &len, " ", true, false);
		put_clean(buf, sizeof buf, &len, a.name, true, false);
		trim_end(buf, &len);
	}
	free(c->path);
	c->id = id;
	c->type = *type;
	if (!(c->path = strdup(buf))) {
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		goto out;
	}
	*path = c->path;
out:
	store_rec_clear(&account_schema, &a);
	return ret;
}

/* The code of record id of schema s (for comments), or "". */
static const char *code_of(struct exp *x, const struct store_schema *s,
			   int64_t id)
{
	const struct store_field *f = store_field_find(s, "code");
	void *rec;

	x->refbuf[0] = '\0';
	if (!id || !f || !(rec = calloc(1, s->size)))
		return x->refbuf;
	if (store_get(x->t, s, id, rec, NULL) == 0) {
		const char *v = *(char **)((char *)rec + f->offset);
		size_t len = 0;
		put_clean(x->refbuf, sizeof x->refbuf, &len, v, false, true);
	}
	store_rec_clear(s, rec);
	free(rec);
	return x->refbuf;
}

static int wrote(FILE *out, struct kerr *err)
{
	if (ferror(out))
		return kerr_set(err, K_EIO, NULL,
				_("cannot write the ledger: %s"),
				strerror(errno ? errno : EIO));
	return 0;
}

/* The account directives: the chart depth first, like the accounts report. */
static int accounts(struct exp *x, struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct account a;
	int ret;

	memset(&a, 0, sizeof a);
	if ((ret = store_cursor_open(x->t, &account_schema, "code", &c, err)))
		return ret;
	while ((ret = store_cursor_next(c, &a, err)) == 0) {
		const char *path;
		char type;
		if ((ret = account_path(x, a.h.id, &path, &type, err)))
			break;
		fprintf(x->out, "account %s  ; type: %c\n", path, type);
	}
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	store_cursor_close(&c);
	store_rec_clear(&account_schema, &a);
	return ret ? ret : wrote(x->out, err);
}

static int entry(struct exp *x, const struct journal *j, struct kerr *err)
{
	char date[DATE_BUFSZ], amt[NUM_BUFSZ], buf[NAME_MAX_BYTES];
	size_t len = 0;
	int ret;

	buf[0] = '\0';
	put_clean(buf, sizeof buf, &len, j->description, false, true);
	trim_end(buf, &len);
	/* A code in parentheses: hledger's transaction code. */
	fprintf(x->out, "\n%s * (%s) %s\n",
		date_format(j->date, date, sizeof date),
		j->code ? j->code : "", buf);
	len = 0;
	buf[0] = '\0';
	put_clean(buf, sizeof buf, &len, j->source_ref, false, true);
	trim_end(buf, &len);
	fprintf(x->out, "    ; source: %s%s%s\n", j->source ? j->source : "",
		len ? ", ref: " : "", buf);
	for (size_t i = 0; i < j->lines.n; i++) {
		const struct jline *l = &((const struct jline *)j->lines.items)[i];
		const char *path;
		char type;
		int64_t v;
		bool tag = false;

		if ((ret = account_path(x, l->account, &path, &type, err)))
			return ret;
		if (num_sub(l->debit, l->credit, &v))
			return kerr_set(err, K_ERANGE, NULL,
					_("entry %s: an amount out of range"),
					j->code ? j->code : "");
		fprintf(x->out, "    %s  %s %s", path,
			num_format(v, NUM_MONEY_SCALE, false, amt, sizeof amt),
			x->commodity);
		if (l->party) {
			fprintf(x->out, "  ; party: %s",
				code_of(x, &party_schema, l->party));
			tag = true;
		}
		if (l->cost_centre) {
			fprintf(x->out, "%s cost_centre: %s", tag ? "," : "  ;",
				code_of(x, &department_schema, l->cost_centre));
			tag = true;
		}
		if (l->currency) {
			char fx[NUM_BUFSZ], rate[NUM_BUFSZ];
			fprintf(x->out, "%s fx: %s %s @ %s", tag ? "," : "  ;",
				num_format(l->fx_amount, NUM_MONEY_SCALE, false,
					   fx, sizeof fx),
				code_of(x, &currency_schema, l->currency),
				num_format(l->rate, NUM_RATE_SCALE, false, rate,
					   sizeof rate));
			tag = true;
		}
		if (l->memo && *l->memo) {
			len = 0;
			buf[0] = '\0';
			put_clean(buf, sizeof buf, &len, l->memo, false, true);
			trim_end(buf, &len);
			/* Alone: the comment; after tags: one more tag. */
			fprintf(x->out, "%s%s", tag ? ", memo: " : "  ; ", buf);
		}
		fputc('\n', x->out);
	}
	return wrote(x->out, err);
}

int gl_export_ledger(struct store *st, const char *commodity, FILE *out,
		     unsigned long *entries, struct kerr *err)
{
	struct exp *x = calloc(1, sizeof *x);
	struct store_cursor *c = NULL;
	struct journal j;
	unsigned long n = 0;
	int ret;

	if (entries)
		*entries = 0;
	if (!x)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	memset(&j, 0, sizeof j);
	x->out = out;
	x->commodity = commodity && *commodity ? commodity : "CNY";
	if ((ret = store_txn_begin(st, true, &x->t, err)))
		goto out;
	fprintf(out, "; Kontor ledger: the posted journal entries, amounts in %s\n",
		x->commodity);
	fprintf(out, "commodity 1000.00 %s\n\n", x->commodity);
	if ((ret = accounts(x, err)))
		goto out;
	if ((ret = store_cursor_open(x->t, &journal_schema, "date", &c, err)))
		goto out;
	while ((ret = store_cursor_next(c, &j, err)) == 0) {
		if ((ret = entry(x, &j, err)))
			break;
		n++;
	}
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	store_cursor_close(&c);
	if (!ret)
		ret = store_txn_commit(&x->t, err);
	if (!ret && (fflush(out) != 0 || ferror(out)))
		ret = kerr_set(err, K_EIO, NULL,
			       _("cannot write the ledger: %s"),
			       strerror(errno ? errno : EIO));
	if (!ret && entries)
		*entries = n;
out:
	store_cursor_close(&c);
	store_txn_abort(&x->t);
	store_rec_clear(&journal_schema, &j);
	for (size_t i = 0; i < ACCT_CACHE; i++)
		free(x->cache[i].path);
	free(x);
	return ret;
}
