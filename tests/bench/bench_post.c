/*
 * bench_post.c - the posting benchmark's worker (tests/bench/post.sh
 * drives it).  Joins the daemon's environment as a clerk.
 *
 *   bench_post post HOME SECONDS SEED
 *       posts durable 3-line sales entries (receivable debit, revenue
 *       and output VAT credit; random amounts and days of 2026) through
 *       gl_post, one transaction each, for SECONDS; prints
 *       "posted N retries R busy B"
 *   bench_post invoice HOME SECONDS SEED
 *       posts customer invoices the way a clerk does on the screen, for
 *       SECONDS: a draft of 3 lines (random quantities and prices, VAT
 *       13%) for a random customer of the home (every active customer
 *       party) saved with ent_save, then sl_doc_post: two durable
 *       transactions, the draft's and the posting's (the invoice, its
 *       number, its open item, the party balance and the journal entry
 *       of gl_post); prints "posted N busy B"
 *   bench_post load HOME LINES
 *       posts entries of 3 lines until about LINES lines are posted, 500
 *       entries per transaction; prints "loaded N lines in S s"
 *   bench_post tb HOME
 *       the trial balance's reads: gl_balance of every postable account
 *       for 2026-01..2026-12 in one snapshot; prints "tb A accounts in
 *       MS ms, debits D"
 *   bench_post version
 *       prints the Berkeley DB version the programs are linked with (for
 *       the title of tests/bench/table.sh)
 *
 * "busy" counts the transactions store_write gave up on (K_EBUSY) after
 * its retries; the worker then tries the same step again.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <db.h>

#include "base/date.h"
#include "base/num.h"
#include "finance/gl.h"
#include "finance/subledger.h"
#include "masters/entity.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "store/store.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_store(const char *home, struct store **st, struct kerr *e)
{
	struct store_opts o = {
		.home = home, .mode = STORE_CLERK, .login = "bench",
		.wait_ms = 10000, .schemas = ent_schemas,
		.nschemas = ent_nschemas,
	};
	return store_open(&o, st, e);
}

struct accts {
	int64_t ar, rev, vat;
};

static int find_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct accts *a = arg;
	const char *codes[] = { "1122", "6001", "2221.02" };
	int64_t *ids[] = { &a->ar, &a->rev, &a->vat };
	struct account rec;
	int ret = 0;

	memset(&rec, 0, sizeof rec);
	for (int i = 0; i < 3 && !ret; i++) {
		ret = store_find_text(t, &account_schema, "code", codes[i], &rec,
				      err);
		*ids[i] = rec.h.id;
	}
	store_rec_clear(&account_schema, &rec);
	return ret;
}

struct batch {
	const struct accts *a;
	unsigned *seed;
	int entries;
	kdate date;              /* the entries' date; DATE_NONE: random */
};

/* One sale: net 1.00 .. 10,000.00, VAT 13% of it. */
static int one(struct store_txn *t, const struct accts *a, unsigned *seed,
	       kdate date, struct kerr *err)
{
	struct journal j;
	struct jline v[3];
	int64_t net = 100 + rand_r(seed) % 1000000, tax;
	int ret;

	num_mul_scaled(net, 130000, 6, &tax);
	memset(&j, 0, sizeof j);
	memset(v, 0, sizeof v);
	if (date != DATE_NONE)
		j.date = date;
	else
		date_from_ymd(2026, 1 + rand_r(seed) % 12,
			      1 + rand_r(seed) % 28, &j.date);
	j.description = (char *)"bench sale";
	/* What the receivables post (1122 takes no manual lines). */
	j.source = strdup("ar");
	j.lines.items = v;
	j.lines.n = 3;
	v[0].account = a->ar;
	v[0].debit = net + tax;
	v[1].account = a->rev;
	v[1].credit = net;
	v[2].account = a->vat;
	v[2].credit = tax;
	ret = gl_post(t, &j, err);
	/* gl_post set code, series and source on the borrowed record */
	free(j.code);
	free(j.series);
	free(j.source);
	return ret;
}

static int batch_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct batch *b = arg;
	int ret = 0;

	for (int i = 0; i < b->entries && !ret; i++)
		ret = one(t, b->a, b->seed, b->date, err);
	return ret;
}

static volatile sig_atomic_t stop;

static void on_alarm(int sig)
{
	(void)sig;
	stop = 1;
}

static int post(const char *home, int seconds, unsigned seed)
{
	struct store *st;
	struct kerr e;
	struct accts a;
	long posted = 0, busy = 0;

	if (open_store(home, &st, &e) || store_read(st, find_fn, &a, &e)) {
		fprintf(stderr, "bench_post: %s\n", e.msg);
		return 1;
	}
	seed ^= (unsigned)getpid();
	signal(SIGALRM, on_alarm);
	alarm((unsigned)seconds);
	while (!stop) {
		struct batch b = { &a, &seed, 1, DATE_NONE };
		int ret = store_write(st, batch_fn, &b, &e);
		if (ret == 0)
			posted++;
		else if (ret == K_EBUSY)
			busy++;
		else {
			fprintf(stderr, "bench_post: %s\n", e.msg);
			store_close(&st);
			return 1;
		}
	}
	store_close(&st);
	printf("posted %ld busy %ld\n", posted, busy);
	return 0;
}

/* ------------------------------------------------------------ invoices */

struct customers {
	int64_t *id;
	size_t n, cap;
	int64_t vat13;
};

static int customers_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct customers *c = arg;
	struct store_cursor *cur = NULL;
	struct party p;
	struct tax x;
	int ret;

	memset(&x, 0, sizeof x);
	if ((ret = store_find_text(t, &tax_schema, "code", "VAT13", &x, err)))
		return ret;
	c->vat13 = x.h.id;
	store_rec_clear(&tax_schema, &x);
	memset(&p, 0, sizeof p);
	if ((ret = store_cursor_open(t, &party_schema, NULL, &cur, err)))
		return ret;
	while ((ret = store_cursor_next(cur, &p, err)) == 0) {
		if (!p.customer || strcmp(p.status, "active") != 0)
			continue;
		if (c->n == c->cap) {
			size_t cap = c->cap ? 2 * c->cap : 256;
			int64_t *v = realloc(c->id, cap * sizeof *v);
			if (!v) {
				ret = kerr_set(err, K_ENOMEM, NULL, NULL);
				break;
			}
			c->id = v;
			c->cap = cap;
		}
		c->id[c->n++] = p.h.id;
	}
	store_cursor_close(&cur);
	store_rec_clear(&party_schema, &p);
	if (ret == K_ENOTFOUND)
		ret = c->n ? 0 : kerr_set(err, K_ENOTFOUND, NULL,
					  "no active customer in the home");
	return ret;
}

/* A draft invoice of 3 lines: 1..10 pieces at 1.00..1,000.00, VAT13. */
static struct sldoc *invoice_new(const struct customers *c, unsigned *seed)
{
	static const char *const what[3] = {
		"Widget 部件", "Assembly service", "Freight 运费",
	};
	struct sldoc *d = ent_new(&arinv_entity);
	struct slline *v = calloc(3, sizeof *v);

	if (!d || !v) {
		free(v);
		if (d)
			ent_free(&arinv_entity, d);
		return NULL;
	}
	d->party = c->id[(size_t)rand_r(seed) % c->n];
	date_from_ymd(2026, 1 + rand_r(seed) % 12, 1 + rand_r(seed) % 28,
		      &d->date);
	for (int i = 0; i < 3; i++) {
		v[i].description = strdup(what[i]);
		v[i].qty = (1 + rand_r(seed) % 10) * 1000;
		v[i].price = (100 + rand_r(seed) % 100000) * 100;
		v[i].tax_code = c->vat13;
	}
	d->lines.items = v;
	d->lines.n = 3;
	return d;
}

struct draft_code {
	int64_t id;
	char code[64];
};

static int draft_code_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct draft_code *dc = arg;
	struct sldoc d;
	int ret;

	memset(&d, 0, sizeof d);
	if ((ret = store_get(t, &arinv_schema, dc->id, &d, err)) == 0)
		snprintf(dc->code, sizeof dc->code, "%s", d.code);
	store_rec_clear(&arinv_schema, &d);
	return ret;
}

static int invoice(const char *home, int seconds, unsigned seed)
{
	struct store *st;
	struct kerr e;
	struct customers c = { 0 };
	long posted = 0, busy = 0;
	int ret = 0;

	if (open_store(home, &st, &e) || store_read(st, customers_fn, &c, &e)) {
		fprintf(stderr, "bench_post: %s\n", e.msg);
		return 1;
	}
	seed ^= (unsigned)getpid();
	signal(SIGALRM, on_alarm);
	alarm((unsigned)seconds);
	while (!stop && !ret) {
		struct sldoc *d = invoice_new(&c, &seed);
		struct draft_code dc = { 0 };
		struct sl_posted out;

		if (!d) {
			fprintf(stderr, "bench_post: out of memory\n");
			ret = 1;
			break;
		}
		/* the clerk's F2 on the new invoice: the draft */
		while ((ret = ent_save(st, &arinv_entity, d, NULL, &e)) == K_EBUSY)
			busy++;
		/* the code the draft's counter gave it, as the screen shows */
		dc.id = d->h.id;
		if (!ret)
			ret = store_read(st, draft_code_fn, &dc, &e);
		/* then Post */
		while (!ret && (ret = sl_doc_post(st, &sl_ar, dc.code, 0, &out,
						  &e)) == K_EBUSY)
			busy++;
		ent_free(&arinv_entity, d);
		if (ret) {
			fprintf(stderr, "bench_post: invoice %s: %s%s%s\n",
				dc.code, e.field, *e.field ? ": " : "", e.msg);
			ret = 1;
		} else {
			posted++;
		}
	}
	free(c.id);
	store_close(&st);
	if (ret)
		return 1;
	printf("posted %ld busy %ld\n", posted, busy);
	return 0;
}

static int load(const char *home, long lines)
{
	struct store *st;
	struct kerr e;
	struct accts a;
	unsigned seed = 42;
	long done = 0;
	double t0 = now(), tick = t0 + 10;

	if (open_store(home, &st, &e) || store_read(st, find_fn, &a, &e)) {
		fprintf(stderr, "bench_post: %s\n", e.msg);
		return 1;
	}
	kdate jan1;
	date_from_ymd(2026, 1, 1, &jan1);
	while (done < lines) {
		/* In date order over the year, as a company posts: an
		   account's lines of a month lie together in the files. */
		struct batch b = { &a, &seed, 500,
				   jan1 + (kdate)(done * 365 / lines) };
		if (store_write(st, batch_fn, &b, &e)) {
			fprintf(stderr, "bench_post: %s\n", e.msg);
			store_close(&st);
			return 1;
		}
		done += 3 * 500;
		if (now() >= tick) {
			fprintf(stderr, "  ... %ld lines, %.0f lines/s\n", done,
				done / (now() - t0));
			tick += 10;
		}
	}
	store_close(&st);
	printf("loaded %ld lines in %.1f s\n", done, now() - t0);
	return 0;
}

struct tb {
	int accounts;
	int64_t debits;
};

static int tb_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct tb *r = arg;
	struct store_cursor *c = NULL;
	struct account a;
	kdate from, to;
	int ret;

	date_from_ymd(2026, 1, 1, &from);
	date_from_ymd(2026, 12, 31, &to);
	r->accounts = 0;
	r->debits = 0;
	memset(&a, 0, sizeof a);
	if ((ret = store_cursor_open(t, &account_schema, "code", &c, err)))
		return ret;
	while ((ret = store_cursor_next(c, &a, err)) == 0) {
		struct gl_sum s;
		if (!a.postable)
			continue;
		if ((ret = gl_balance(t, a.h.id, from, to, -1, &s, err)))
			break;
		r->accounts++;
		r->debits += s.debit;
	}
	store_cursor_close(&c);
	store_rec_clear(&account_schema, &a);
	return ret == K_ENOTFOUND ? 0 : ret;
}

static int tb(const char *home)
{
	struct store *st;
	struct kerr e;
	struct tb r;
	char d[NUM_BUFSZ];

	if (open_store(home, &st, &e)) {
		fprintf(stderr, "bench_post: %s\n", e.msg);
		return 1;
	}
	double t0 = now();
	if (store_read(st, tb_fn, &r, &e)) {
		fprintf(stderr, "bench_post: %s\n", e.msg);
		return 1;
	}
	double ms = (now() - t0) * 1000;
	store_close(&st);
	printf("tb %d accounts in %.1f ms, debits %s\n", r.accounts, ms,
	       num_format(r.debits, 2, false, d, sizeof d));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "post") == 0)
		return post(argv[2], atoi(argv[3]), (unsigned)atoi(argv[4]));
	if (argc == 5 && strcmp(argv[1], "invoice") == 0)
		return invoice(argv[2], atoi(argv[3]), (unsigned)atoi(argv[4]));
	if (argc == 2 && strcmp(argv[1], "version") == 0) {
		puts(db_version(NULL, NULL, NULL));
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "load") == 0)
		return load(argv[2], atol(argv[3]));
	if (argc == 3 && strcmp(argv[1], "tb") == 0)
		return tb(argv[2]);
	fprintf(stderr, "usage: see the top of tests/bench/bench_post.c\n");
	return 64;
}
