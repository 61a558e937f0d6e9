/*
 * arcrash.c - ktool's modes for the crash test (tests/crash/run.sh).
 *
 *   ktool arpost HOME SECONDS ID ACKFILE
 *        A clerk: posts customer invoices (a draft of 2 or 3 lines saved
 *        with ent_save, then sl_doc_post) to customer C0N (N = ID mod 8
 *        + 1), and about one time in three a receipt (sl_pay_post_txn,
 *        as kontor ar receipt) allocated to one of its own earlier
 *        invoices, all or part of what is open on it, until SECONDS
 *        pass (SECONDS may be @EPOCH, an absolute end).  Only after a
 *        commit returned success it appends a line to ACKFILE and
 *        fsyncs it:
 *            inv NUMBER DRAFTCODE GROSS
 *            rcp NUMBER AMOUNT INVOICE
 *        It reads ACKFILE back when it starts (a restarted clerk pays
 *        its earlier invoices).  Evicted by the daemon (SIGUSR1), or
 *        stuck for 20 s in one call (SIGALRM), it starts afresh with
 *        the same arguments; a busy database or one being recovered is
 *        waited for.  Any other error ends it with status 1.  One
 *        progress line a second.
 *
 *   ktool archeck HOME ACKFILE...
 *        Reads the receivables, the journal and the series in one
 *        snapshot and checks: every acknowledged invoice and receipt is
 *        there, posted, with the acknowledged amount; no posting is
 *        half there (a posted document has its entry, items and
 *        allocations, an entry of source ar has its document, a draft
 *        has none of them, no receipt is a draft); every entry
 *        balances; the receivable control account equals the sum of
 *        the open items and the invoices less the receipts; the
 *        numbers of each gap-free series run 1..N without a hole and
 *        the series gives N+1 next; no number is used twice.  Prints
 *        one problem a line (the first 20 of each kind) and a summary
 *        line ending "receivable AMOUNT"; exit 1 on any problem.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "base/num.h"
#include "config/perm.h"
#include "finance/gl.h"
#include "finance/subledger.h"
#include "masters/entity.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "masters/ops.h"
#include "store/store.h"
#include "tests/tool/arcrash.h"

#define NCUSTOMERS 8

static int open_ar(const char *home, enum store_mode mode,
		   struct store **st, struct kerr *e)
{
	struct store_opts o = {
		.home = home, .mode = mode, .login = perm_process_login(),
		.wait_ms = 5000, .schemas = ent_schemas,
		.nschemas = ent_nschemas,
	};
	return store_open(&o, st, e);
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p) {
		fprintf(stderr, "ktool: out of memory\n");
		exit(71);
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n ? n : 1))) {
		fprintf(stderr, "ktool: out of memory\n");
		exit(71);
	}
	return p;
}

/* ------------------------------------------------------- evictions */

/*
 * As in ktool.c: the watcher evicts every process (SIGUSR1) when one
 * died holding a Berkeley DB mutex, and nothing in this image can be
 * trusted then: start afresh.  The same when a call takes 20 s.
 */
static char **self_argv;

static void on_evict(int sig)
{
	(void)sig;
	/*
	 * An alarm survives execv: one due while the new image starts,
	 * before it has a handler, would kill it (status 142).
	 */
	alarm(0);
	execv("/proc/self/exe", self_argv);
	_exit(75);
}

static void restart_on_evict(char **argv)
{
	struct sigaction sa = { .sa_handler = on_evict };
	sigset_t set;

	self_argv = argv;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	alarm(0);            /* an alarm survives execv */
	/* A new image inherits the mask the handler ran with. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* ------------------------------------------------------------ clerk */

struct clerk {
	const char *home;
	int id;
	struct store *st;
	int ackfd;
	/* looked up once */
	bool have_ids;
	int64_t party, item, vat6, service;
	kdate first;             /* 2026-01-01 */
	/* acknowledged invoices that may still be open */
	char **open;
	size_t nopen, capopen;
	/* draft codes: W<ID>-<start ms, hex>-<n, hex> */
	unsigned long base;
	unsigned long seq;
	char pending[32];        /* a saved draft not posted yet */
	long inv, rcp, busy, reopen, settled;
};

static void remember_invoice(struct clerk *c, const char *number)
{
	if (c->nopen == c->capopen) {
		c->capopen = c->capopen ? 2 * c->capopen : 64;
		c->open = xrealloc(c->open, c->capopen * sizeof *c->open);
	}
	c->open[c->nopen++] = xstrdup(number);
}

static void forget_invoice(struct clerk *c, size_t i)
{
	free(c->open[i]);
	c->open[i] = c->open[--c->nopen];
}

/* The invoices of an ack file written by an earlier image of us. */
static void read_acks(struct clerk *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256], number[64];

	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		if (!strchr(line, '\n'))
			break;          /* not a whole line: not acknowledged */
		if (sscanf(line, "inv %63s", number) == 1)
			remember_invoice(c, number);
		if (strncmp(line, "rcp ", 4) == 0)
			c->rcp++;
		else
			c->inv++;
	}
	fclose(f);
}

/* Appends one acknowledgement and makes it durable before going on. */
static void ack(struct clerk *c, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n <= 0 || (size_t)n >= sizeof buf || write(c->ackfd, buf, (size_t)n) != n ||
	    fsync(c->ackfd) != 0) {
		fprintf(stderr, "ktool arpost %d: cannot write the ack file: %s\n",
			c->id, strerror(errno));
		exit(1);
	}
}

static int find_id(struct store_txn *t, const struct store_schema *s,
		   const char *code, int64_t *id, struct kerr *e)
{
	void *rec = calloc(1, s->size);
	int ret;

	if (!rec)
		return kerr_set(e, K_ENOMEM, NULL, NULL);
	if ((ret = store_find_text(t, s, "code", code, rec, e)) == 0)
		*id = ((struct store_rec *)rec)->id;
	else
		kerr_prefix(e, "%s %s", s->name, code);
	store_rec_clear(s, rec);
	free(rec);
	return ret;
}

static int ids_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	struct clerk *c = arg;
	char party[16];
	int ret;

	snprintf(party, sizeof party, "C%02d", c->id % NCUSTOMERS + 1);
	if ((ret = find_id(t, &party_schema, party, &c->party, e)) ||
	    (ret = find_id(t, &item_schema, "W1", &c->item, e)) ||
	    (ret = find_id(t, &tax_schema, "VAT6", &c->vat6, e)) ||
	    (ret = find_id(t, &account_schema, "6051", &c->service, e)))
		return ret;
	return date_parse("2026-01-01", &c->first, e);
}

static struct slline *add_line(struct sldoc *d)
{
	struct slline *l;

	d->lines.items = xrealloc(d->lines.items,
				  (d->lines.n + 1) * sizeof(struct slline));
	l = (struct slline *)d->lines.items + d->lines.n++;
	memset(l, 0, sizeof *l);
	return l;
}

/*
 * A draft of 2 or 3 lines (saved: one transaction), then its post (a
 * second one).  A draft whose post was busy is posted next time.
 */
static int post_invoice(struct clerk *c, struct kerr *e)
{
	struct sl_posted out;
	char money[NUM_BUFSZ];
	int ret;

	if (!c->pending[0]) {
		struct sldoc *d = ent_new(&arinv_entity);
		struct slline *l;
		char code[32];

		if (!d)
			return kerr_set(e, K_ENOMEM, NULL, NULL);
		snprintf(code, sizeof code, "W%02d-%08lX-%lX", c->id, c->base,
			 c->seq++);
		d->code = xstrdup(code);
		d->party = c->party;
		d->date = c->first + rand() % 181;     /* January to June */
		/* the item at its list price (100.00) and tax (VAT13) */
		l = add_line(d);
		l->item = c->item;
		l->qty = (1 + rand() % 5) * 1000;
		/* a service on revenue account 6051, VAT 6% */
		l = add_line(d);
		l->account = c->service;
		l->description = xstrdup("Service 服务");
		l->qty = 1000;
		l->price = (int64_t)(1 + rand() % 50000) * 100;
		l->tax_code = c->vat6;
		if (rand() % 2) {
			/* freight on the revenue role's account, no tax */
			l = add_line(d);
			l->description = xstrdup("Freight");
			l->qty = (1 + rand() % 3) * 500;
			l->price = (int64_t)(1 + rand() % 9999) * 100;
		}
		ret = ent_save(c->st, &arinv_entity, d, NULL, e);
		ent_free(&arinv_entity, d);
		if (ret) {
			kerr_prefix(e, "save %s", code);
			return ret;
		}
		snprintf(c->pending, sizeof c->pending, "%s", code);
	}
	ret = sl_doc_post(c->st, &sl_ar, c->pending, 0, &out, e);
	if (ret == 0) {
		ack(c, "inv %s %s %s\n", out.number, c->pending,
		    num_format(out.gross, 2, false, money, sizeof money));
		remember_invoice(c, out.number);
		c->inv++;
	}
	/*
	 * Busy: nothing was written, post it next time.  Anything else
	 * (the database being recovered) may or may not have committed:
	 * the draft stays as it is, posted or not, and is not ours to
	 * acknowledge.
	 */
	if (ret != K_EBUSY) {
		if (ret)
			kerr_prefix(e, "post %s", c->pending);
		c->pending[0] = 0;
	}
	return ret;
}

struct rarg {
	const char *invoice;
	unsigned seed;
	bool settled;
	int64_t amount;
	struct sl_posted out;
};

/* A receipt from the invoice's customer, all or part of its open amount. */
static int receipt_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	struct rarg *a = arg;
	struct openitem it;
	struct slpay p;
	struct slpayline *l;
	int ret;

	memset(&it, 0, sizeof it);
	memset(&p, 0, sizeof p);
	store_rec_clear(&arrcpt_schema, &p);
	a->settled = false;
	if ((ret = sl_item_find(t, &sl_ar, a->invoice, &it, e)))
		goto out;
	if (it.open <= 0) {
		a->settled = true;
		ret = kerr_set(e, K_EINVAL, NULL, "%s is settled", a->invoice);
		goto out;
	}
	a->amount = it.open < 2 || rand_r(&a->seed) % 2 ?
			    it.open : 1 + rand_r(&a->seed) % (it.open - 1);
	p.party = it.party;
	p.date = it.date + (kdate)(rand_r(&a->seed) % 20);
	p.amount = a->amount;
	if (!(l = calloc(1, sizeof *l))) {
		ret = kerr_set(e, K_ENOMEM, NULL, NULL);
		goto out;
	}
	p.allocs.items = l;
	p.allocs.n = 1;
	l->item = xstrdup(it.code);
	l->amount = a->amount;
	l->due = DATE_NONE;
	ret = sl_pay_post_txn(t, &sl_ar, &p, &a->out, e);
out:
	store_rec_clear(&arrcpt_schema, &p);
	store_rec_clear(&aritem_schema, &it);
	return ret;
}

static int post_receipt(struct clerk *c, struct kerr *e)
{
	size_t i = (size_t)rand() % c->nopen;
	struct rarg a = { .invoice = c->open[i],
			  .seed = (unsigned)rand() };
	char money[NUM_BUFSZ];
	int ret = store_write(c->st, receipt_fn, &a, e);

	if (ret == 0) {
		ack(c, "rcp %s %s %s\n", a.out.number,
		    num_format(a.amount, 2, false, money, sizeof money),
		    a.invoice);
		c->rcp++;
	}
	if (a.settled) {
		c->settled++;
		forget_invoice(c, i);
		return 0;
	}
	if (ret)
		kerr_prefix(e, "receipt for %s", a.invoice);
	return ret;
}

static void progress(const struct clerk *c)
{
	printf("%.1f arpost %d: %ld invoices %ld receipts %ld settled %ld busy %ld reopened\n",
	       wall(), c->id, c->inv, c->rcp, c->settled, c->busy, c->reopen);
	fflush(stdout);
}

static int arpost(char **argv)
{
	struct clerk c;
	struct kerr e;
	double end, tick;

	memset(&c, 0, sizeof c);
	restart_on_evict(argv);
	c.home = argv[2];
	c.id = atoi(argv[4]);
	end = argv[3][0] == '@' ? atof(argv[3] + 1) : wall() + atof(argv[3]);
	c.base = (unsigned long)(wall() * 1000) & 0xFFFFFFFFUL;
	srand((unsigned)c.id * 7919u ^ (unsigned)getpid() ^ (unsigned)c.base);
	read_acks(&c, argv[5]);
	c.ackfd = open(argv[5], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (c.ackfd < 0) {
		fprintf(stderr, "ktool arpost: %s: %s\n", argv[5], strerror(errno));
		return 1;
	}
	tick = wall() + 1;
	while (wall() < end) {
		int ret;

		if (!c.st) {
			alarm(20);
			ret = open_ar(c.home, STORE_CLERK, &c.st, &e);
			alarm(0);
			if (ret) {
				/* The daemon may be recovering: wait, try again. */
				usleep(100000);
				continue;
			}
		}
		alarm(20);
		if (!c.have_ids) {
			if ((ret = store_read(c.st, ids_fn, &c, &e)) == 0)
				c.have_ids = true;
		} else if (c.nopen && !c.pending[0] && rand() % 3 == 0) {
			ret = post_receipt(&c, &e);
		} else {
			ret = post_invoice(&c, &e);
		}
		alarm(0);
		if (ret == K_EBUSY) {
			c.busy++;
		} else if (ret == K_ERECOVER || (ret && !store_healthy(c.st))) {
			alarm(20);
			store_close(&c.st);
			alarm(0);
			c.reopen++;
		} else if (ret) {
			fprintf(stderr, "ktool arpost %d: %s\n", c.id, e.msg);
			progress(&c);
			return 1;
		}
		if (wall() >= tick) {
			progress(&c);
			tick += 1;
		}
	}
	alarm(20);
	store_close(&c.st);
	alarm(0);
	progress(&c);
	return 0;
}

/* ------------------------------------------------------------ check */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct doc {
	int64_t id, journal, amount, allocated, unapplied;
	bool posted;
	char *code, *number;
	/* what names it */
	int64_t items;           /* sum of its open items' amounts */
	size_t nitems;
	int64_t allocs;          /* a receipt: sum of its allocations */
	size_t nallocs;
	int64_t alloc_item, alloc_amount;   /* the last of them */
	int acks;
};

struct entry {
	int64_t id, debit, credit, total;
	char *code, *source, *ref;
	int refs;                /* documents naming it */
};

struct oitem {
	int64_t id, document, payment, amount, open, allocs;
	char *code, *doc;
};

struct alloc {
	int64_t item, payment, amount, writeoff;
};

struct series_use {
	const char *code;        /* AR-INV */
	char *prefix;
	bool gap_free;
	int64_t next;
};

struct check {
	struct doc *inv, *rcp;   /* by id (the walk's order), later by number */
	size_t ninv, nrcp;
	struct entry *je;
	size_t nje;
	struct oitem *it;
	size_t nit;
	struct alloc *al;
	size_t nal;
	struct series_use ser[3];
	int64_t control;         /* the receivable account, debit - credit */
	unsigned problems;
	unsigned shown[8];
};

enum { P_ACK, P_INV, P_RCP, P_JE, P_ITEM, P_TOTAL, P_SERIES };

static void problem(struct check *k, int kind, const char *fmt, ...)
{
	va_list ap;

	k->problems++;
	if (k->shown[kind]++ >= 20)
		return;
	printf("archeck: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Reads every record of s in id order, calling take(k, rec) for each. */
static int walk(struct store_txn *t, const struct store_schema *s,
		void (*take)(struct check *, void *), struct check *k,
		struct kerr *e)
{
	struct store_cursor *cur;
	void *rec = calloc(1, s->size);
	int ret;

	if (!rec)
		return kerr_set(e, K_ENOMEM, NULL, NULL);
	if ((ret = store_cursor_open(t, s, NULL, &cur, e)) == 0) {
		while ((ret = store_cursor_next(cur, rec, e)) == 0) {
			take(k, rec);
			store_rec_clear(s, rec);
		}
		store_cursor_close(&cur);
		if (ret == K_ENOTFOUND)
			ret = 0;
	}
	free(rec);
	return ret;
}

#define GROW(arr, n) ((arr) = xrealloc((arr), ((n) + 1) * sizeof *(arr)))

static void take_inv(struct check *k, void *rec)
{
	struct sldoc *d = rec;
	struct doc *x;

	GROW(k->inv, k->ninv);
	x = &k->inv[k->ninv++];
	memset(x, 0, sizeof *x);
	x->id = d->h.id;
	x->journal = d->journal;
	x->amount = d->gross;
	x->posted = d->status && strcmp(d->status, "posted") == 0;
	x->code = xstrdup(d->code);
	x->number = xstrdup(d->number);
}

static void take_rcp(struct check *k, void *rec)
{
	struct slpay *p = rec;
	struct doc *x;

	GROW(k->rcp, k->nrcp);
	x = &k->rcp[k->nrcp++];
	memset(x, 0, sizeof *x);
	x->id = p->h.id;
	x->journal = p->journal;
	x->amount = p->amount;
	x->allocated = p->allocated;
	x->unapplied = p->unapplied;
	x->posted = p->status && strcmp(p->status, "posted") == 0;
	x->code = xstrdup(p->code);
	x->number = xstrdup(p->number);
}

static void take_je(struct check *k, void *rec)
{
	struct journal *j = rec;
	const struct jline *l = j->lines.items;
	struct entry *x;

	GROW(k->je, k->nje);
	x = &k->je[k->nje++];
	memset(x, 0, sizeof *x);
	x->id = j->h.id;
	x->total = j->total;
	for (size_t i = 0; i < j->lines.n; i++) {
		x->debit += l[i].debit;
		x->credit += l[i].credit;
	}
	x->code = xstrdup(j->code);
	x->source = xstrdup(j->source);
	x->ref = xstrdup(j->source_ref);
}

static void take_item(struct check *k, void *rec)
{
	struct openitem *o = rec;
	struct oitem *x;

	GROW(k->it, k->nit);
	x = &k->it[k->nit++];
	memset(x, 0, sizeof *x);
	x->id = o->h.id;
	x->document = o->document;
	x->payment = o->payment;
	x->amount = o->amount;
	x->open = o->open;
	x->code = xstrdup(o->code);
	x->doc = xstrdup(o->doc);
}

static void take_alloc(struct check *k, void *rec)
{
	struct slalloc *a = rec;
	struct alloc *x;

	GROW(k->al, k->nal);
	x = &k->al[k->nal++];
	x->item = a->item;
	x->payment = a->payment;
	x->amount = a->amount;
	x->writeoff = a->writeoff;
}

static int read_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	struct check *k = arg;
	struct gl_sum sum;
	int64_t control;
	kdate to;
	int ret;

	if ((ret = walk(t, &arinv_schema, take_inv, k, e)) ||
	    (ret = walk(t, &arrcpt_schema, take_rcp, k, e)) ||
	    (ret = walk(t, &journal_schema, take_je, k, e)) ||
	    (ret = walk(t, &aritem_schema, take_item, k, e)) ||
	    (ret = walk(t, &aralloc_schema, take_alloc, k, e)))
		return ret;
	for (size_t i = 0; i < NELEM(k->ser); i++) {
		struct series s;
		memset(&s, 0, sizeof s);
		if ((ret = store_find_text(t, &series_schema, "code",
					   k->ser[i].code, &s, e)) == 0) {
			k->ser[i].prefix = xstrdup(s.prefix);
			k->ser[i].gap_free = s.gap_free;
			ret = series_next(t, k->ser[i].code, &k->ser[i].next, e);
		}
		store_rec_clear(&series_schema, &s);
		if (ret) {
			kerr_prefix(e, "series %s", k->ser[i].code);
			return ret;
		}
	}
	if ((ret = gl_role_account(t, "receivable", &control, e)) ||
	    (ret = date_parse("2026-12-31", &to, e)) ||
	    (ret = gl_balance(t, control, DATE_NONE, to, -1, &sum, e)))
		return ret;
	k->control = sum.closing;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	/* struct doc, entry and item all start with their id */
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int by_number(const void *a, const void *b)
{
	return strcmp(((const struct doc *)a)->number,
		      ((const struct doc *)b)->number);
}

static void *find_id_in(void *v, size_t n, size_t size, int64_t id)
{
	return id ? bsearch(&id, v, n, size, by_id) : NULL;
}

static const char *m(int64_t v, char *buf)
{
	return num_format(v, 2, false, buf, NUM_BUFSZ);
}

/* The document's entry: there, of source ar, naming it, of its amount. */
static void check_entry(struct check *k, int kind, const struct doc *d)
{
	struct entry *j = find_id_in(k->je, k->nje, sizeof *k->je, d->journal);
	char a[NUM_BUFSZ], b[NUM_BUFSZ];

	if (!j) {
		problem(k, kind, "%s (%s) is posted without its journal entry (#%" PRId64 "): half posted",
			d->number, d->code, d->journal);
		return;
	}
	j->refs++;
	if (strcmp(j->source, "ar") != 0 || strcmp(j->ref, d->number) != 0)
		problem(k, kind, "%s: its entry %s is of source %s for %s",
			d->number, j->code, j->source, j->ref);
	if (j->total != d->amount)
		problem(k, kind, "%s comes to %s, its entry %s to %s", d->number,
			m(d->amount, a), j->code, m(j->total, b));
}

/* What names each document: its items, its allocations. */
static void link_docs(struct check *k)
{
	for (size_t x = 0; x < k->nit; x++) {
		struct oitem *it = &k->it[x];
		struct doc *d = find_id_in(k->inv, k->ninv, sizeof *k->inv,
					   it->document);
		if (it->document && !d) {
			problem(k, P_ITEM, "item %s names invoice #%" PRId64 ", which is not there",
				it->code, it->document);
		} else if (d) {
			d->items += it->amount;
			d->nitems++;
			if (strcmp(it->doc, d->number) != 0)
				problem(k, P_INV, "item %s of %s (%s) names document %s",
					it->code, d->code, d->number, it->doc);
		}
		if (!it->document && !it->payment)
			problem(k, P_ITEM, "item %s has no document", it->code);
	}
	for (size_t x = 0; x < k->nal; x++) {
		struct alloc *a = &k->al[x];
		struct oitem *it = find_id_in(k->it, k->nit, sizeof *k->it,
					     a->item);
		struct doc *d = find_id_in(k->rcp, k->nrcp, sizeof *k->rcp,
					   a->payment);
		if (!it)
			problem(k, P_ITEM, "an allocation names item #%" PRId64 ", which is not there",
				a->item);
		else
			it->allocs += a->amount + a->writeoff;
		if (a->payment && !d) {
			problem(k, P_ITEM, "an allocation names receipt #%" PRId64 ", which is not there",
				a->payment);
		} else if (d) {
			d->allocs += a->amount;
			d->nallocs++;
			d->alloc_item = a->item;
			d->alloc_amount = a->amount;
		}
	}
}

static void check_docs(struct check *k)
{
	char a[NUM_BUFSZ], b[NUM_BUFSZ], c[NUM_BUFSZ];

	for (size_t i = 0; i < k->ninv; i++) {
		struct doc *d = &k->inv[i];

		if (!d->posted) {
			if (d->number[0] || d->journal || d->nitems)
				problem(k, P_INV, "draft %s has number \"%s\", entry #%" PRId64 ", %zu open items: half posted",
					d->code, d->number, d->journal, d->nitems);
			continue;
		}
		if (!d->number[0]) {
			problem(k, P_INV, "%s is posted without a number", d->code);
			continue;
		}
		check_entry(k, P_INV, d);
		if (!d->nitems || d->items != d->amount)
			problem(k, P_INV, "%s comes to %s, its %zu open items to %s: half posted",
				d->number, m(d->amount, a), d->nitems,
				m(d->items, b));
	}
	for (size_t i = 0; i < k->nrcp; i++) {
		struct doc *d = &k->rcp[i];

		if (!d->posted) {
			/* inserted and posted in one transaction */
			problem(k, P_RCP, "receipt %s is a draft: half posted",
				d->code);
			continue;
		}
		check_entry(k, P_RCP, d);
		if (d->allocs != d->allocated ||
		    d->allocated + d->unapplied != d->amount)
			problem(k, P_RCP, "%s: amount %s, allocated %s, its allocations %s: half posted",
				d->number, m(d->amount, a), m(d->allocated, b),
				m(d->allocs, c));
	}
}

static void check_entries(struct check *k)
{
	char a[NUM_BUFSZ], b[NUM_BUFSZ];

	for (size_t i = 0; i < k->nje; i++) {
		struct entry *j = &k->je[i];
		if (j->debit != j->credit || j->total != j->debit)
			problem(k, P_JE, "entry %s does not balance: debits %s, credits %s",
				j->code, m(j->debit, a), m(j->credit, b));
		if (strcmp(j->source, "ar") == 0 && j->refs != 1)
			problem(k, P_JE, "entry %s (%s) is named by %d documents: half posted",
				j->code, j->ref, j->refs);
	}
}

/* Items against allocations; the control account against both. */
static void check_totals(struct check *k)
{
	char a[NUM_BUFSZ], b[NUM_BUFSZ];
	int64_t open = 0, invoiced = 0, received = 0;

	for (size_t i = 0; i < k->nit; i++) {
		struct oitem *it = &k->it[i];
		if (it->open != it->amount - it->allocs)
			problem(k, P_ITEM, "item %s: amount %s less its allocations is not its open %s",
				it->code, m(it->amount, a), m(it->open, b));
		open += it->open;
	}
	for (size_t i = 0; i < k->ninv; i++)
		if (k->inv[i].posted)
			invoiced += k->inv[i].amount;
	for (size_t i = 0; i < k->nrcp; i++)
		if (k->rcp[i].posted)
			received += k->rcp[i].amount;
	if (k->control != open)
		problem(k, P_TOTAL, "the receivable account says %s, the open items %s",
			m(k->control, a), m(open, b));
	if (k->control != invoiced - received)
		problem(k, P_TOTAL, "the receivable account says %s, invoices less receipts %s",
			m(k->control, a), m(invoiced - received, b));
}

/* The numbers series s gave, from the n documents that hold them. */
static void check_series(struct check *k, struct series_use *s,
			 char **numbers, size_t n)
{
	size_t plen = strlen(s->prefix), holes = 0;
	unsigned char *seen = calloc(n + 1, 1);

	if (!seen) {
		fprintf(stderr, "ktool: out of memory\n");
		exit(71);
	}
	for (size_t i = 0; i < n; i++) {
		const char *num = numbers[i];
		char *endp;
		long v;
		if (strncmp(num, s->prefix, plen) != 0 ||
		    (v = strtol(num + plen, &endp, 10)) < 1 || *endp) {
			problem(k, P_SERIES, "%s is not a number of series %s",
				num, s->code);
			continue;
		}
		if ((size_t)v > n) {
			/* above n with n documents: a hole or a twin below */
			if (s->gap_free)
				problem(k, P_SERIES, "series %s gave %s with %zu documents",
					s->code, num, n);
			continue;
		}
		if (seen[v]++)
			problem(k, P_SERIES, "%s is used twice", num);
	}
	for (size_t v = 1; v <= n; v++)
		if (!seen[v])
			holes++;
	if (holes && s->gap_free)
		problem(k, P_SERIES, "series %s (gap free) has %zu holes in 1..%zu",
			s->code, holes, n);
	else if (holes)
		printf("archeck: series %s (not gap free) has %zu holes in 1..%zu\n",
		       s->code, holes, n);
	if (n && s->gap_free && s->next != (int64_t)n + 1)
		problem(k, P_SERIES, "series %s gives %" PRId64 " next after %zu documents",
			s->code, s->next, n);
	free(seen);
}

static void check_numbers(struct check *k)
{
	char **v = xrealloc(NULL, (k->ninv + k->nrcp + k->nje + 1) * sizeof *v);
	size_t n = 0;

	for (size_t i = 0; i < k->ninv; i++)
		if (k->inv[i].posted && k->inv[i].number[0])
			v[n++] = k->inv[i].number;
	check_series(k, &k->ser[0], v, n);
	n = 0;
	for (size_t i = 0; i < k->nrcp; i++)
		if (k->rcp[i].posted && k->rcp[i].number[0])
			v[n++] = k->rcp[i].number;
	check_series(k, &k->ser[1], v, n);
	n = 0;
	for (size_t i = 0; i < k->nje; i++)
		v[n++] = k->je[i].code;
	check_series(k, &k->ser[2], v, n);
	free(v);
}

static struct doc *doc_by_number(struct doc *v, size_t n, const char *number)
{
	struct doc key = { .number = (char *)number };

	return bsearch(&key, v, n, sizeof *v, by_number);
}

/* Every acknowledged posting is there, posted, with its amount. */
static void check_acks(struct check *k, const char *path, long *ninv,
		       long *nrcp)
{
	FILE *f = fopen(path, "r");
	char line[256], number[64], code[64], amount[64], inv[64];
	char a[NUM_BUFSZ];
	int64_t v;
	long lineno = 0;

	if (!f) {
		if (errno != ENOENT)
			problem(k, P_ACK, "%s: %s", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof line, f)) {
		struct doc *d;
		struct oitem *it;
		lineno++;
		if (!strchr(line, '\n'))
			break;          /* a write cut short: not acknowledged */
		if (sscanf(line, "inv %63s %63s %63s", number, code, amount) == 3 &&
		    num_parse(amount, 2, &v, NULL) == 0) {
			(*ninv)++;
			d = doc_by_number(k->inv, k->ninv, number);
			if (!d || !d->posted)
				problem(k, P_ACK, "%s:%ld: acknowledged invoice %s (%s) is not there",
					path, lineno, number, code);
			else if (strcmp(d->code, code) != 0 || d->amount != v)
				problem(k, P_ACK, "%s:%ld: acknowledged %s %s %s, the database has %s %s",
					path, lineno, number, code, amount,
					d->code, m(d->amount, a));
			else if (d->acks++)
				problem(k, P_ACK, "%s:%ld: %s acknowledged twice",
					path, lineno, number);
		} else if (sscanf(line, "rcp %63s %63s %63s", number, amount, inv) == 3 &&
			   num_parse(amount, 2, &v, NULL) == 0) {
			(*nrcp)++;
			d = doc_by_number(k->rcp, k->nrcp, number);
			if (!d || !d->posted) {
				problem(k, P_ACK, "%s:%ld: acknowledged receipt %s is not there",
					path, lineno, number);
				continue;
			}
			if (d->amount != v)
				problem(k, P_ACK, "%s:%ld: acknowledged %s of %s, the database has %s",
					path, lineno, number, amount, m(d->amount, a));
			if (d->acks++)
				problem(k, P_ACK, "%s:%ld: %s acknowledged twice",
					path, lineno, number);
			it = find_id_in(k->it, k->nit, sizeof *k->it,
					d->alloc_item);
			if (d->nallocs != 1 || !it || strcmp(it->doc, inv) != 0 ||
			    d->alloc_amount != v)
				problem(k, P_ACK, "%s:%ld: %s is not one allocation of %s to %s",
					path, lineno, number, amount, inv);
		} else {
			problem(k, P_ACK, "%s:%ld: not an acknowledgement: %s", path,
				lineno, line);
		}
	}
	fclose(f);
}

static int archeck(int argc, char **argv)
{
	struct check k;
	struct store *st = NULL;
	struct kerr e;
	char a[NUM_BUFSZ];
	long ninv = 0, nrcp = 0;
	size_t drafts = 0;
	int ret;

	memset(&k, 0, sizeof k);
	k.ser[0].code = "AR-INV";
	k.ser[1].code = "AR-RCPT";
	k.ser[2].code = GL_SERIES;
	if ((ret = open_ar(argv[2], STORE_ONEOFF, &st, &e)) ||
	    (ret = store_read(st, read_fn, &k, &e))) {
		fprintf(stderr, "ktool archeck: %s\n", e.msg);
		store_close(&st);
		return kerr_exit_status(ret);
	}
	store_close(&st);
	/* the walks went in id order; journal ids too */
	link_docs(&k);
	check_docs(&k);
	check_entries(&k);
	check_totals(&k);
	check_numbers(&k);
	qsort(k.inv, k.ninv, sizeof *k.inv, by_number);
	qsort(k.rcp, k.nrcp, sizeof *k.rcp, by_number);
	for (size_t i = 0; i < k.ninv; i++)
		drafts += !k.inv[i].posted;
	for (int i = 3; i < argc; i++)
		check_acks(&k, argv[i], &ninv, &nrcp);
	printf("archeck: acknowledged %ld invoices and %ld receipts; the database has %zu posted invoices, %zu drafts, %zu receipts, %zu entries, %zu open items; receivable %s\n",
	       ninv, nrcp, k.ninv - drafts, drafts, k.nrcp, k.nje, k.nit,
	       m(k.control, a));
	if (k.problems)
		printf("archeck: %u problems\n", k.problems);
	return k.problems ? 1 : 0;
}

int arcrash_main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "arpost") == 0)
		return arpost(argv);
	if (argc >= 3 && strcmp(argv[1], "archeck") == 0)
		return archeck(argc, argv);
	return -1;
}
