/*
 * cmd_arap.c - kontor ar and kontor ap: post drafts (imported with
 * kontor import or typed on the screens), enter a receipt or payment in
 * one line, a party's balance, the dunning run, the payment proposal
 * and its run, and the control-account check.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/i18n.h"
#include "base/num.h"
#include "cli/cli.h"
#include "finance/subledger.h"
#include "masters/masters.h"

static int ar_help(void)
{
	printf(_("Usage: kontor ar post [--strict] CODE...\n"
		 "       kontor ar receipt PARTY AMOUNT [--date D] [--bank ACCOUNT] [--ref TEXT]\n"
		 "                         [ITEM[=AMOUNT[/WRITEOFF]]]...\n"
		 "       kontor ar reverse RECEIPT [--date D] [--reason TEXT]\n"
		 "       kontor ar balance PARTY\n"
		 "       kontor ar dunning [--date D] [--party PARTY]\n"
		 "       kontor ar verify\n\n"
		 "post     post draft invoices, credit notes (entity arinvoice) or receipts\n"
		 "         (arreceipt) by their code; --strict refuses an invoice that puts\n"
		 "         the customer over its credit limit (else it is a warning)\n"
		 "receipt  post a receipt from PARTY: AMOUNT applied to the open items\n"
		 "         named (ITEM alone: its open amount, as far as the money goes;\n"
		 "         an invoice's number: its instalments in turn), the rest kept\n"
		 "         on account\n"
		 "reverse  reverse a posted receipt (a bounced payment): the items it\n"
		 "         settled open again, its entry mirrored, dated --date (today)\n"
		 "balance  the customer's receivable, credit limit and available credit\n"
		 "dunning  raise the dunning level of overdue items (letters: kontor\n"
		 "         report dunning --param date=D)\n"
		 "verify   the receivable account against the open items\n"));
	return 0;
}

static int ap_help(void)
{
	printf(_("Usage: kontor ap post CODE...\n"
		 "       kontor ap payment PARTY AMOUNT [--date D] [--bank ACCOUNT] [--ref TEXT]\n"
		 "                         [ITEM[=AMOUNT[/WRITEOFF]]]...\n"
		 "       kontor ap reverse PAYMENT [--date D] [--reason TEXT]\n"
		 "       kontor ap balance PARTY\n"
		 "       kontor ap proposal --due D [--date D] [--supplier PARTY] [--bank ACCOUNT]\n"
		 "       kontor ap pay PROPOSAL\n"
		 "       kontor ap verify\n\n"
		 "post      post draft supplier invoices, debit notes (entity apinvoice) or\n"
		 "          payments (appayment) by their code\n"
		 "payment   post a payment to PARTY, like kontor ar receipt\n"
		 "reverse   reverse a posted payment, like kontor ar reverse\n"
		 "proposal  propose paying every open item due by --due, on --date\n"
		 "          (default: the due date); review it on the screen or with\n"
		 "          kontor export approposal, then pay it\n"
		 "pay       pay a proposal: one payment per supplier, all or nothing\n"
		 "verify    the payable account against the open items\n"));
	return 0;
}

static const struct sl_ledger *ledger(const char *cmd)
{
	return strcmp(cmd, "ar") == 0 ? &sl_ar : &sl_ap;
}

/* "--name VALUE" or "--name=VALUE" at argv[*i]: *val, *i moved on. */
static bool opt(int argc, char **argv, int *i, const char *name,
		const char **val)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return false;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return true;
	}
	if (argv[*i][n] == '\0' && *i + 1 < argc) {
		*val = argv[++*i];
		return true;
	}
	return false;
}

static char *money(int64_t v, char *buf)
{
	return num_format(v, 2, true, buf, NUM_BUFSZ);
}

/* ---------------------------------------------------------------- post */

struct which {
	const struct sl_ledger *L;
	const char *code;
	int doc, pay;          /* found in the document / payment table */
};

static int which_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct which *w = arg;
	struct sldoc d;
	struct slpay p;
	int ret;

	memset(&d, 0, sizeof d);
	memset(&p, 0, sizeof p);
	ret = store_find_text(t, w->L->doc, "code", w->code, &d, err);
	w->doc = ret == 0;
	if (ret && ret != K_ENOTFOUND)
		goto out;
	ret = store_find_text(t, w->L->pay, "code", w->code, &p, err);
	w->pay = ret == 0;
	if (ret == K_ENOTFOUND)
		ret = 0;
	kerr_clear(err);
out:
	store_rec_clear(w->L->doc, &d);
	store_rec_clear(w->L->pay, &p);
	return ret;
}

static int post_one(struct cli *c, const struct sl_ledger *L,
		    const char *code, unsigned flags)
{
	struct which w = { L, code, 0, 0 };
	struct sl_posted o;
	struct kerr e;
	char a[NUM_BUFSZ], b[NUM_BUFSZ];
	const char *perm;
	int ret;

	kerr_clear(&e);
	if (store_read(c->st, which_fn, &w, &e))
		return cli_fail(&e);
	if (!w.doc && !w.pay) {
		fprintf(stderr, _("kontor: no draft %s with code %s (import it with kontor import %s or %s)\n"),
			L->name, code, L->doc_entity->name,
			L->pay_entity->name);
		return EX_NOINPUT;
	}
	if (w.doc && w.pay) {
		fprintf(stderr, _("kontor: %s is the code of a document and of a %s; post it on its screen\n"),
			code, L->pay_type);
		return EX_DATAERR;
	}
	perm = w.doc ? (L->sign > 0 ? "ar.invoice.post" : "ap.invoice.post") :
		       (L->sign > 0 ? "ar.receipt.post" : "ap.payment.post");
	if (c->conf->nusers && perm_check(&c->user, perm, &e))
		return cli_fail(&e);
	if (w.doc)
		ret = sl_doc_post(c->st, L, code, flags, &o, &e);
	else
		ret = sl_pay_post(c->st, L, code, &o, &e);
	if (ret) {
		kerr_prefix(&e, "%s", code);
		return cli_fail(&e);
	}
	printf(_("%s posted as %s, %s, entry %s\n"), code, o.number,
	       money(o.gross, a), o.journal[0] ? o.journal : "-");
	if (o.over_limit)
		fprintf(stderr, _("kontor: warning: %s puts the customer's balance at %s, over its credit limit of %s\n"),
			o.number, money(o.balance_after, a),
			money(o.credit_limit, b));
	return 0;
}

static int cmd_post(struct cli *c, const char *cmd, int argc, char **argv)
{
	const struct sl_ledger *L = ledger(cmd);
	unsigned flags = 0;
	int first = 2, ret, status = 0;

	if (argc > 2 && strcmp(argv[2], "--strict") == 0) {
		if (L->sign < 0)
			return cli_usage(cmd, _("--strict is for receivables"));
		flags |= SL_REFUSE_OVER_LIMIT;
		first = 3;
	}
	if (first >= argc)
		return cli_usage(cmd, _("post what? give the drafts' codes"));
	if ((ret = cli_open(c, STORE_ONEOFF, NULL)))
		return ret;
	for (int i = first; i < argc; i++)
		if ((ret = post_one(c, L, argv[i], flags)) && !status)
			status = ret;
	return status;
}

/* ----------------------------------------------------- receipt, payment */

struct quick {
	const struct sl_ledger *L;
	const char *party, *amount, *date, *bank, *ref;
	char **items;
	int nitems;
	struct sl_posted out;
};

/* Field f of the receipt from text, the error naming it. */
static int setf(struct store_txn *t, const struct sl_ledger *L, void *rec,
		const char *field, const char *text, struct kerr *err)
{
	const struct store_field *f = store_field_find(L->pay, field);

	return ent_field_set(t, f, rec, text, err);
}

/* Appends an allocation line to p. */
static int add_alloc(struct slpay *p, const char *item, int64_t amount,
		     int64_t writeoff, struct kerr *err)
{
	struct slpayline *v = realloc(p->allocs.items,
				      (p->allocs.n + 1) * sizeof *v);

	if (!v)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	p->allocs.items = v;
	v += p->allocs.n;
	memset(v, 0, sizeof *v);
	v->due = DATE_NONE;
	v->amount = amount;
	v->writeoff = writeoff;
	p->allocs.n++;
	if (!(v->item = strdup(item)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	return 0;
}

/*
 * ITEM without an amount: its open amount as far as the money left
 * goes; a document number whose instalments are the items ("INV-000042"
 * for INV-000042/1, /2): each open one in turn.
 */
static int add_open(struct store_txn *t, const struct sl_ledger *L,
		    struct slpay *p, const char *code, int64_t *left,
		    struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct openitem it;
	int ret, found = 0;

	memset(&it, 0, sizeof it);
	ret = sl_item_find(t, L, code, &it, err);
	if (ret == 0) {
		int64_t a = it.open > 0 && it.open > *left ?
				    (*left > 0 ? *left : 0) : it.open;
		*left -= a;
		ret = add_alloc(p, code, a, 0, err);
		store_rec_clear(L->item, &it);
		return ret;
	}
	if (ret != K_ENOTFOUND)
		return ret;
	kerr_clear(err);
	if ((ret = store_cursor_open(t, L->item, "doc", &c, err)))
		return ret;
	for (ret = store_cursor_seek(c, code, true, &it, err); ret == 0;
	     ret = store_cursor_next(c, &it, err)) {
		int64_t a;
		if (!it.doc || strcmp(it.doc, code) != 0)
			continue;
		found++;
		if (it.open <= 0 || *left <= 0)
			continue;
		a = it.open > *left ? *left : it.open;
		*left -= a;
		if ((ret = add_alloc(p, it.code, a, 0, err)))
			break;
	}
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	store_cursor_close(&c);
	store_rec_clear(L->item, &it);
	if (!ret && !found)
		ret = kerr_set(err, K_ENOTFOUND, "allocs", _("no open item %s"),
			       code);
	return ret;
}

static int quick_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct quick *q = arg;
	const struct sl_ledger *L = q->L;
	struct slpay p;
	int64_t left;
	int ret;

	memset(&p, 0, sizeof p);
	store_rec_clear(L->pay, &p);
	if ((ret = setf(t, L, &p, "party", q->party, err)) ||
	    (ret = setf(t, L, &p, "amount", q->amount, err)) ||
	    (ret = setf(t, L, &p, "date", q->date, err)) ||
	    (q->bank && (ret = setf(t, L, &p, "bank", q->bank, err))) ||
	    (q->ref && (ret = setf(t, L, &p, "reference", q->ref, err))))
		goto out;
	left = p.amount;
	for (int i = 0; i < q->nitems && !ret; i++) {
		char *spec = strdup(q->items[i]), *eq, *sl;
		int64_t amount = 0, writeoff = 0;
		if (!spec) {
			ret = kerr_set(err, K_ENOMEM, NULL, NULL);
			break;
		}
		eq = strchr(spec, '=');
		sl = eq ? strchr(eq + 1, '/') : NULL;
		if (eq)
			*eq++ = '\0';
		if (sl)
			*sl++ = '\0';
		if (eq && !(ret = num_parse(eq, 2, &amount, err)) &&
		    !(sl && (ret = num_parse(sl, 2, &writeoff, err)))) {
			left -= amount;
			ret = add_alloc(&p, spec, amount, writeoff, err);
		} else if (!eq) {
			ret = add_open(t, L, &p, spec, &left, err);
		}
		if (ret)
			kerr_prefix(err, "%s", q->items[i]);
		free(spec);
	}
	if (!ret)
		ret = sl_pay_post_txn(t, L, &p, &q->out, err);
out:
	store_rec_clear(L->pay, &p);
	return ret;
}

static int cmd_quick(struct cli *c, const char *cmd, int argc, char **argv)
{
	struct quick q = { .L = ledger(cmd), .date = "" };
	char today[DATE_BUFSZ], a[NUM_BUFSZ];
	char **items = calloc((size_t)argc, sizeof *items);
	struct kerr e;
	int ret;

	if (!items)
		return EX_OSERR;
	for (int i = 2; i < argc; i++) {
		const char *v;
		if (opt(argc, argv, &i, "--date", &v))
			q.date = v;
		else if (opt(argc, argv, &i, "--bank", &v))
			q.bank = v;
		else if (opt(argc, argv, &i, "--ref", &v))
			q.ref = v;
		else if (argv[i][0] == '-' && argv[i][1] == '-') {
			free(items);
			return cli_usage(cmd, _("unknown option %s"), argv[i]);
		} else if (!q.party)
			q.party = argv[i];
		else if (!q.amount)
			q.amount = argv[i];
		else
			items[q.nitems++] = argv[i];
	}
	q.items = items;
	if (!q.party || !q.amount) {
		free(items);
		return cli_usage(cmd, _("give the party and the amount"));
	}
	if (!*q.date)
		q.date = date_format(date_today(), today, sizeof today);
	if ((ret = cli_open(c, STORE_ONEOFF, q.L->sign > 0 ? "ar.receipt.post" :
							      "ap.payment.post"))) {
		free(items);
		return ret;
	}
	kerr_clear(&e);
	ret = store_write(c->st, quick_fn, &q, &e);
	free(items);
	if (ret)
		return cli_fail(&e);
	printf(_("Posted %s %s, %s, entry %s\n"), q.L->pay_type, q.out.number,
	       money(q.out.gross, a), q.out.journal[0] ? q.out.journal : "-");
	return 0;
}

/* -------------------------------------------------------------- balance */

struct bal {
	const char *code;
	struct party p;
	int64_t ar, ap;
	struct sl_credit cr;
};

static int bal_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct bal *b = arg;
	int ret;

	store_rec_clear(&party_schema, &b->p);
	ret = store_find_text(t, &party_schema, "code", b->code, &b->p, err);
	if (ret == K_ENOTFOUND)
		kerr_set(err, ret, "party", _("no party with code %s"), b->code);
	if (!ret)
		ret = sl_party_balance(t, b->p.h.id, &b->ar, &b->ap, err);
	if (!ret)
		ret = ar_credit_check(t, b->p.h.id, 0, &b->cr, err);
	return ret;
}

static int cmd_balance(struct cli *c, const char *cmd, int argc, char **argv)
{
	struct bal b;
	struct kerr e;
	char a[NUM_BUFSZ];
	int ret;

	if (argc != 3)
		return cli_usage(cmd, _("balance of which party?"));
	if ((ret = cli_open(c, STORE_ONEOFF, strcmp(cmd, "ar") == 0 ?
					     "ar.invoice.read" :
					     "ap.invoice.read")))
		return ret;
	memset(&b, 0, sizeof b);
	b.code = argv[2];
	if (store_read(c->st, bal_fn, &b, &e)) {
		store_rec_clear(&party_schema, &b.p);
		return cli_fail(&e);
	}
	printf("%s %s\n", b.p.code, b.p.name ? b.p.name : "");
	if (strcmp(cmd, "ar") == 0) {
		printf(_("Receivable       %15s\n"), money(b.ar, a));
		if (b.cr.limit) {
			printf(_("Credit limit     %15s\n"), money(b.cr.limit, a));
			printf(_("Available credit %15s\n"),
			       money(b.cr.available, a));
		} else {
			printf(_("Credit limit     %15s\n"), _("none"));
		}
	} else {
		printf(_("Payable          %15s\n"), money(b.ap, a));
	}
	store_rec_clear(&party_schema, &b.p);
	return 0;
}

/* -------------------------------------------------------------- dunning */

static int find_party(struct store_txn *t, void *arg, struct kerr *err)
{
	const char **code = arg;
	struct party p;
	int ret;

	memset(&p, 0, sizeof p);
	ret = store_find_text(t, &party_schema, "code", code[0], &p, err);
	if (ret == K_ENOTFOUND)
		kerr_set(err, ret, "party", _("no party with code %s"), code[0]);
	if (!ret)
		snprintf((char *)code[1], 32, "%" PRId64, p.h.id);
	store_rec_clear(&party_schema, &p);
	return ret;
}

static int party_id(struct cli *c, const char *code, int64_t *id,
		    struct kerr *e)
{
	char buf[32];
	const char *arg[2] = { code, buf };

	*id = 0;
	if (!code)
		return 0;
	if (store_read(c->st, find_party, arg, e))
		return e->code;
	*id = strtoll(buf, NULL, 10);
	return 0;
}

static int parse_date(const char *cmd, const char *s, kdate *d)
{
	struct kerr e;

	if (!s) {
		*d = date_today();
		return 0;
	}
	if (date_parse(s, d, &e))
		return cli_usage(cmd, "%s", e.msg);
	return 0;
}

static int cmd_dunning(struct cli *c, int argc, char **argv)
{
	const char *date = NULL, *party = NULL, *v;
	struct kerr e;
	unsigned raised;
	int64_t pid;
	kdate d;
	int ret;

	for (int i = 2; i < argc; i++) {
		if (opt(argc, argv, &i, "--date", &v))
			date = v;
		else if (opt(argc, argv, &i, "--party", &v))
			party = v;
		else
			return cli_usage("ar", _("unknown argument %s"), argv[i]);
	}
	if ((ret = parse_date("ar", date, &d)))
		return ret;
	if ((ret = cli_open(c, STORE_ONEOFF, "ar.dunning")))
		return ret;
	if (party_id(c, party, &pid, &e) ||
	    ar_dunning_run(c->st, d, pid, &raised, &e))
		return cli_fail(&e);
	printf(_("Dunning run of %s: %u items raised a level\n"),
	       date_format(d, (char[DATE_BUFSZ]){ 0 }, DATE_BUFSZ), raised);
	return 0;
}

/* ------------------------------------------------------------- proposal */

static int account_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	const char **code = arg;
	const struct entity *e = ent_find("account");
	void *rec = calloc(1, e->schema->size);
	int ret;

	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	ret = ent_get_code(t, e, code[0], rec, err);
	if (!ret)
		snprintf((char *)code[1], 32, "%" PRId64,
			 ((struct store_rec *)rec)->id);
	ent_free(e, rec);
	return ret;
}

static int cmd_proposal(struct cli *c, int argc, char **argv)
{
	const char *due = NULL, *date = NULL, *party = NULL, *bank = NULL, *v;
	char code[64], a[DATE_BUFSZ], buf[32];
	const char *arg[2] = { NULL, buf };
	int64_t pid, bid = 0;
	struct kerr e;
	size_t lines;
	kdate dd, pd;
	int ret;

	for (int i = 2; i < argc; i++) {
		if (opt(argc, argv, &i, "--due", &v))
			due = v;
		else if (opt(argc, argv, &i, "--date", &v))
			date = v;
		else if (opt(argc, argv, &i, "--supplier", &v))
			party = v;
		else if (opt(argc, argv, &i, "--bank", &v))
			bank = v;
		else
			return cli_usage("ap", _("unknown argument %s"), argv[i]);
	}
	if (!due)
		return cli_usage("ap", _("proposal: --due DATE is required"));
	if ((ret = parse_date("ap", due, &dd)) ||
	    (ret = parse_date("ap", date ? date : due, &pd)))
		return ret;
	if ((ret = cli_open(c, STORE_ONEOFF, "ap.proposal.create")))
		return ret;
	if (party_id(c, party, &pid, &e))
		return cli_fail(&e);
	if (bank) {
		arg[0] = bank;
		if (store_read(c->st, account_fn, arg, &e))
			return cli_fail(&e);
		bid = strtoll(buf, NULL, 10);
	}
	if (ap_proposal_make(c->st, dd, pd, bid, pid, code, sizeof code,
			     &lines, &e))
		return cli_fail(&e);
	if (!lines) {
		printf(_("Nothing is due by %s\n"), date_format(dd, a, sizeof a));
		return 0;
	}
	printf(_("Proposal %s: %zu items due by %s\n"), code, lines,
	       date_format(dd, a, sizeof a));
	return 0;
}

static int cmd_pay(struct cli *c, int argc, char **argv)
{
	struct kerr e;
	char a[NUM_BUFSZ];
	size_t n;
	int64_t total;
	int ret;

	if (argc != 3)
		return cli_usage("ap", _("pay which proposal?"));
	if ((ret = cli_open(c, STORE_ONEOFF, "ap.proposal.pay")))
		return ret;
	if (ap_proposal_pay(c->st, argv[2], &n, &total, &e))
		return cli_fail(&e);
	printf(_("Paid proposal %s: %zu payments, %s in all\n"), argv[2], n,
	       money(total, a));
	return 0;
}

/* -------------------------------------------------------------- reverse */

static int cmd_reverse(struct cli *c, const char *cmd, int argc, char **argv)
{
	const struct sl_ledger *L = ledger(cmd);
	const char *number = NULL, *date = NULL, *why = NULL;
	struct sl_posted o;
	struct kerr e;
	char a[NUM_BUFSZ];
	kdate d;
	int ret;

	for (int i = 2; i < argc; i++) {
		if (opt(argc, argv, &i, "--date", &date) ||
		    opt(argc, argv, &i, "--reason", &why))
			continue;
		if (argv[i][0] == '-' || number)
			return cli_usage(cmd, _("bad argument: %s"), argv[i]);
		number = argv[i];
	}
	if (!number)
		return cli_usage(cmd, _("reverse which %s? give its number"),
				 L->pay_type);
	if ((ret = parse_date(cmd, date, &d)))
		return ret;
	if ((ret = cli_open(c, STORE_ONEOFF, L->sign > 0 ? "ar.receipt.reverse" :
							   "ap.payment.reverse")))
		return ret;
	kerr_clear(&e);
	if (sl_pay_reverse(c->st, L, number, d, why, &o, &e)) {
		kerr_prefix(&e, "%s", number);
		return cli_fail(&e);
	}
	printf(_("%s reversed by %s, %s, entry %s\n"), number, o.number,
	       money(o.gross, a), o.journal[0] ? o.journal : "-");
	return 0;
}

/* --------------------------------------------------------------- verify */

static void say(void *arg, const char *msg)
{
	(void)arg;
	printf("%s\n", msg);
}

static int cmd_verify(struct cli *c, const char *cmd)
{
	const struct sl_ledger *L = ledger(cmd);
	unsigned problems = 0;
	struct kerr e;
	int ret;

	if ((ret = cli_open(c, STORE_ONEOFF, NULL)))
		return ret;
	if (arap_verify(c->st, L, say, NULL, &problems, &e))
		return cli_fail(&e);
	if (problems) {
		printf(_("%u problems\n"), problems);
		return EX_DATAERR;
	}
	printf(_("%s: the control account agrees with the open items\n"),
	       L->name);
	return 0;
}

/* --------------------------------------------------------------- tables */

int cmd_ar(struct cli *c, int argc, char **argv)
{
	const char *act = argc > 1 ? argv[1] : "";

	if (argc < 2)
		return cli_usage("ar", _("which action? post, receipt, reverse, balance, dunning or verify"));
	if (!strcmp(act, "--help") || !strcmp(act, "help"))
		return ar_help();
	if (!strcmp(act, "post"))
		return cmd_post(c, "ar", argc, argv);
	if (!strcmp(act, "receipt"))
		return cmd_quick(c, "ar", argc, argv);
	if (!strcmp(act, "reverse"))
		return cmd_reverse(c, "ar", argc, argv);
	if (!strcmp(act, "balance"))
		return cmd_balance(c, "ar", argc, argv);
	if (!strcmp(act, "dunning"))
		return cmd_dunning(c, argc, argv);
	if (!strcmp(act, "verify") && argc == 2)
		return cmd_verify(c, "ar");
	return cli_usage("ar", _("bad action or arguments: %s"), act);
}

int cmd_ap(struct cli *c, int argc, char **argv)
{
	const char *act = argc > 1 ? argv[1] : "";

	if (argc < 2)
		return cli_usage("ap", _("which action? post, payment, reverse, balance, proposal, pay or verify"));
	if (!strcmp(act, "--help") || !strcmp(act, "help"))
		return ap_help();
	if (!strcmp(act, "post"))
		return cmd_post(c, "ap", argc, argv);
	if (!strcmp(act, "payment"))
		return cmd_quick(c, "ap", argc, argv);
	if (!strcmp(act, "reverse"))
		return cmd_reverse(c, "ap", argc, argv);
	if (!strcmp(act, "balance"))
		return cmd_balance(c, "ap", argc, argv);
	if (!strcmp(act, "proposal"))
		return cmd_proposal(c, argc, argv);
	if (!strcmp(act, "pay"))
		return cmd_pay(c, argc, argv);
	if (!strcmp(act, "verify") && argc == 2)
		return cmd_verify(c, "ap");
	return cli_usage("ap", _("bad action or arguments: %s"), act);
}
