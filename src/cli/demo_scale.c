/*
 * demo_scale.c - kontor demo --scale N DIR: a big company, the same for
 * the same N, to try Kontor at the size of a real one.
 *
 * What it makes (1 <= N <= 1,000,000), after the demo company's setup
 * (cmd_demo.c: chart, taxes, terms, units, departments, assets, this
 * fiscal year and its recurring entries): N customers and ceil(N / 10)
 * suppliers with Chinese and Latin names, N items, then day by day from
 * the first day of the fiscal year to today 10N customer invoices, N
 * supplier invoices and N expense entries paid from the bank, with the
 * receipts and payments made around the due dates: most in full, some
 * partly, a few overpaid (money on account) or short by a few fen
 * written off, some never, so that the aging reports fill every column.
 *
 * Everything goes through the calls the screens and the importer use:
 * ent_check, ent_apply and store_insert for the masters,
 * sl_doc_post_txn and sl_pay_post_txn for documents (numbers, open
 * items, allocations, party balances, journal entries through gl_post),
 * gl_post for the expense entries.  Nothing is written beside them, so
 * `kontor db verify` holds afterwards as it does after clerks' work.
 *
 * The same N gives the same company: one PRNG (splitmix64) seeded from
 * N, no rand(), no clock in the data; the dates follow the fiscal year
 * of today (KONTOR_TODAY pins it).  The clock only paces the progress
 * line and the checkpoints.
 *
 * A bulk loader: the store is opened with store_opts.bulk (cmd_demo.c),
 * so commits do not wait for the disk and the tables keep no page
 * versions (the database is new and nobody else is in it: a run that
 * fails leaves a folder to delete); GEN_BATCH records share a
 * transaction; at the end a checkpoint writes everything to the disk
 * before it says done.  See HACKING, "A big company".
 *
 * Memory: the ids of the parties and items (8 bytes each) and a heap of
 * the receipts and payments still to come (those of the next weeks);
 * never the invoices themselves.
 */
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/num.h"
#include "cli/cli.h"
#include "finance/gl.h"
#include "finance/subledger.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "masters/ops.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Documents (or master records) a transaction. */
#define GEN_BATCH 200
/* A checkpoint this often while loading, so that old logs can go. */
#define GEN_CHECKPOINT_S 60

/* ------------------------------------------------------------- random */

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 .. n-1 (n >= 1; the modulo's bias is far below anything seen). */
static uint64_t below(uint64_t *s, uint64_t n)
{
	return n > 1 ? rnd(s) % n : 0;
}

/* lo .. hi inclusive. */
static int64_t between(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)below(s, (uint64_t)(hi - lo + 1));
}

/*
 * 0 .. n-1, the low numbers far more often (u^2 of a uniform u): a tenth
 * of the customers gets about a third of the invoices.
 */
static uint64_t skewed(uint64_t *s, uint64_t n)
{
	uint64_t u = rnd(s) >> 32;              /* 0 .. 2^32-1 */
	unsigned __int128 x = (unsigned __int128)u * u;

	return (uint64_t)((x * n) >> 64);
}

/* The stream of record i of a kind: independent of the order made. */
static uint64_t stream(uint64_t seed, unsigned kind, uint64_t i)
{
	uint64_t s = seed ^ ((uint64_t)kind << 56) ^ (i * 0x2545f4914f6cdd1dULL);

	(void)rnd(&s);
	return s;
}

#define PICK(s, a) ((a)[below((s), NELEM(a))])

/* -------------------------------------------------------------- names */

static const char *const cn_city[] = {
	"上海", "北京", "深圳", "广州", "苏州", "杭州", "南京", "天津",
	"重庆", "成都", "武汉", "西安", "宁波", "无锡", "青岛", "厦门",
	"长沙", "郑州", "合肥", "佛山", "东莞", "大连", "济南", "福州",
};
static const char *const cn_word[] = {
	"华东", "恒达", "永信", "宏远", "金桥", "瑞丰", "鼎盛", "新华",
	"中科", "海通", "天成", "博远", "德利", "振华", "嘉禾", "明德",
	"兴业", "长城", "东方", "安泰", "隆基", "精工", "联合", "远航",
	"百川", "万通", "宝成", "立信", "华信", "同舟", "凯达", "圣源",
};
static const char *const cn_trade[] = {
	"机械", "电子", "精密仪器", "五金", "化工", "纺织", "物流", "贸易",
	"建材", "汽车配件", "医疗器械", "食品", "包装", "电气", "模具",
	"塑料制品", "软件", "光电", "环保设备", "自动化",
};
static const char *const cn_suffix[] = {
	"有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司",
};
static const char *const la_name[] = {
	"Northwind", "Bergmann", "Alpine", "Bluewater", "Crescent", "Danube",
	"Everest", "Fjord", "Granite", "Harbour", "Iberia", "Kestrel",
	"Lindqvist", "Meridian", "Nordic", "Orion", "Pacific", "Rhein",
	"Sierra", "Tauern", "Vega", "Müller", "Schäfer", "Weiß", "Nørgaard",
	"Peña", "Gonçalves", "Łukasik", "Åberg", "Dvořák",
};
static const char *const la_trade[] = {
	"Precision", "Trading", "Machinery", "Electronics", "Logistics",
	"Instruments", "Components", "Hydraulics", "Automation", "Textiles",
	"Tools", "Systems",
};
/* A legal form and the country that goes with it. */
static const struct {
	const char *form, *country, *city;
} la_form[] = {
	{ "GmbH", "DE", "Hamburg" }, { "AG", "DE", "München" },
	{ "Ltd.", "GB", "Manchester" }, { "Inc.", "US", "Chicago" },
	{ "S.A.", "ES", "Zaragoza" }, { "B.V.", "NL", "Rotterdam" },
	{ "S.r.l.", "IT", "Torino" }, { "Oy", "FI", "Tampere" },
	{ "A/S", "DK", "Aarhus" }, { "Pte. Ltd.", "SG", "Singapore" },
	{ "Sp. z o.o.", "PL", "Łódź" }, { "SARL", "FR", "Lyon" },
};

/* Item nouns: Chinese, English, the kind of thing and its tax. */
enum { TX_13, TX_9, TX_6 };
static const struct noun {
	const char *cn, *en, *category, *type, *uom;
	int tax;
} nouns[] = {
	{ "数控车床", "CNC lathe", "机床", "manufactured", "EA", TX_13 },
	{ "数控铣床", "CNC milling machine", "机床", "manufactured", "EA", TX_13 },
	{ "液压泵", "Hydraulic pump", "液压", "purchased", "EA", TX_13 },
	{ "液压站", "Hydraulic power unit", "液压", "manufactured", "SET", TX_13 },
	{ "齿轮箱", "Gear box", "传动", "stocked", "EA", TX_13 },
	{ "减速机", "Speed reducer", "传动", "stocked", "EA", TX_13 },
	{ "伺服电机", "Servo motor", "电气", "purchased", "EA", TX_13 },
	{ "变频器", "Inverter", "电气", "purchased", "EA", TX_13 },
	{ "轴承", "Ball bearing", "传动", "stocked", "EA", TX_13 },
	{ "传感器", "Pressure sensor", "电气", "purchased", "EA", TX_13 },
	{ "控制柜", "Control cabinet", "电气", "manufactured", "SET", TX_13 },
	{ "电磁阀", "Solenoid valve", "液压", "stocked", "EA", TX_13 },
	{ "密封圈", "Seal ring", "液压", "stocked", "BOX", TX_13 },
	{ "联轴器", "Coupling", "传动", "stocked", "EA", TX_13 },
	{ "滚珠丝杠", "Ball screw", "传动", "stocked", "EA", TX_13 },
	{ "直线导轨", "Linear guide", "传动", "stocked", "M", TX_13 },
	{ "硬质合金刀具", "Carbide cutting tool", "工具", "purchased", "EA", TX_13 },
	{ "电缆", "Cable", "电气", "purchased", "M", TX_13 },
	{ "润滑油", "Lubricating oil", "耗材", "purchased", "L", TX_13 },
	{ "钢板", "Steel plate", "原材料", "purchased", "KG", TX_13 },
	{ "铝型材", "Aluminium profile", "原材料", "purchased", "KG", TX_13 },
	{ "包装箱", "Packing case", "耗材", "purchased", "EA", TX_9 },
	{ "技术图书", "Technical manual", "资料", "purchased", "EA", TX_9 },
	{ "安装调试服务", "Installation service", "服务", "service", "HR", TX_6 },
	{ "维修服务", "Repair service", "服务", "service", "HR", TX_6 },
	{ "技术咨询", "Consulting", "服务", "service", "DAY", TX_6 },
};

/* Tax codes of the shipped Chinese chart, output and input. */
static const char *const tax_out_code[] = { "VAT13", "VAT9", "VAT6" };
static const char *const tax_in_code[] = { "VAT13-IN", "VAT9-IN", "VAT6-IN" };

/* Payment terms of customers, with how many in a hundred take them. */
static const struct {
	const char *code;
	int pct;
} cust_terms[] = {
	{ "NET30", 45 }, { "NET60", 15 }, { "EOM30", 15 }, { "NET45", 10 },
	{ "30-70", 5 }, { "COD", 5 }, { "NET0", 5 },
};
static const char *const supp_terms[] = { "NET30", "NET60", "EOM30", "NET45" };

static const char *const units[] = { "EA", "SET", "BOX", "M", "L", "KG",
				      "HR", "DAY" };
static const char *const depts[] = { "D100", "D200", "D300", "CC310",
				     "CC320", "CC330", "D400", "D500", "D600" };
/* Expenses paid from the bank, with the account they go to. */
static const struct {
	const char *account, *memo;
} expenses[] = {
	{ "6601", "运输费 Freight" }, { "6601", "广告费 Advertising" },
	{ "6601", "展会费 Trade fair" }, { "6602", "办公费 Office supplies" },
	{ "6602", "差旅费 Travel" }, { "6602", "水电费 Utilities" },
	{ "6602", "通讯费 Telephone and internet" },
	{ "6602", "业务招待费 Entertainment" }, { "6603", "银行手续费 Bank charges" },
};

/* ---------------------------------------------------------- the state */

enum { PAY_FULL, PAY_PART, PAY_OVER, PAY_WRITEOFF };

/* A receipt or payment to make on a later day. */
struct pend {
	kdate date;
	uint8_t ap;              /* 0: a receipt (AR), 1: a payment (AP) */
	uint8_t how;             /* PAY_* */
	uint16_t x;              /* PART: per mille of the open amount;
				    OVER: fen more; WRITEOFF: fen less */
	int64_t doc;             /* the arinv / apinv id */
	uint64_t seq;            /* ties: the order they were planned in */
};

/* The phases the progress line counts. */
enum { PH_PARTIES, PH_ITEMS, PH_INVOICES, PH_N };

struct gen {
	struct cli *c;
	struct store *st;
	struct store_txn *t;
	struct kerr e;
	uint64_t seed, s;        /* s: the documents' stream */
	long n, ncust, nsupp, nitem, ninv;
	int64_t *cust, *supp, *item;
	int64_t terms[NELEM(cust_terms)], sterms[NELEM(supp_terms)];
	int64_t unit[NELEM(units)], tax_out[3], tax_in[3];
	int64_t dept[NELEM(depts)], exp_acct[NELEM(expenses)], bank;
	kdate start, end;
	unsigned in_txn;         /* records written in t */
	struct pend *heap;
	size_t nheap, cap;
	uint64_t seq;
	/* what was made */
	long done[PH_N];
	long rcpt, apinv, pay, je;
	/* pace */
	bool quiet, tty;
	double t0, phase_t0[PH_N], phase_t1[PH_N], next_draw, last_ckpt;
	double cpu0, cpu_inv0, cpu_inv1;   /* processor time: start, invoices */
	int phase, tenth, drawn;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The processor time this process used (a busy machine slows the clock,
   not this). */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int text_dup(char **dst, const char *s, struct kerr *err)
{
	free(*dst);
	if (!(*dst = strdup(s ? s : "")))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	return 0;
}

/* ----------------------------------------------------------- progress */

/* 1,234,567 */
static char *grouped(long v, char *buf, size_t n)
{
	return num_format((int64_t)v, 0, true, buf, n);
}

static char *duration(double s, char *buf, size_t n)
{
	long t = s < 0 ? 0 : (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, n, "%ldh%02ldm", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, n, "%lds", t);
	return buf;
}

static long phase_total(const struct gen *g, int ph)
{
	return ph == PH_PARTIES ? g->ncust + g->nsupp :
	       ph == PH_ITEMS	? g->nitem :
				  g->ninv;
}

/*
 * Seconds a record of phase ph takes: measured once the phase has run
 * a second; before that, guessed from the phase before (an invoice,
 * with its share of receipts, supplier invoices, payments and entries,
 * about 8 master records).
 */
static double per_record(const struct gen *g, int ph, double now)
{
	double el;

	if (ph <= g->phase && g->done[ph] > 0) {
		el = (ph < g->phase ? g->phase_t1[ph] : now) - g->phase_t0[ph];
		if (el >= 1 || ph < g->phase)
			return el / (double)g->done[ph];
	}
	if (ph == PH_PARTIES)
		return 1e-4;
	return per_record(g, ph - 1, now) * (ph == PH_INVOICES ? 8 : 1);
}

static void draw(struct gen *g, bool last)
{
	char a[3][2][32], rate[32], eta[32], line[320];
	double now = now_s(), left = 0, el;
	long frac_done = 0, frac_all = 0;
	int len;

	if (g->quiet)
		return;
	if (!g->tty && !last) {
		/* a line each tenth of the work (an invoice weighs 8) */
		for (int ph = 0; ph < PH_N; ph++) {
			long w = ph == PH_INVOICES ? 8 : 1;
			frac_done += g->done[ph] * w;
			frac_all += phase_total(g, ph) * w;
		}
		if (frac_done * 10 / frac_all <= g->tenth)
			return;
		g->tenth = (int)(frac_done * 10 / frac_all);
	} else if (!last && now < g->next_draw) {
		return;
	}
	g->next_draw = now + 0.25;
	for (int ph = 0; ph < PH_N; ph++) {
		long tot = phase_total(g, ph);
		grouped(g->done[ph], a[ph][0], sizeof a[ph][0]);
		grouped(tot, a[ph][1], sizeof a[ph][1]);
		left += (double)(tot - g->done[ph]) * per_record(g, ph, now);
	}
	el = (last ? g->phase_t1[g->phase] : now) - g->phase_t0[g->phase];
	grouped(el > 0 ? (long)((double)g->done[g->phase] / el) : 0, rate,
		sizeof rate);
	if (last)
		duration(now - g->t0, eta, sizeof eta);
	else
		duration(left, eta, sizeof eta);
	/* TRANSLATORS: the progress line of kontor demo --scale */
	len = snprintf(line, sizeof line,
		       last ? _("parties %s/%s  items %s/%s  invoices %s/%s  %s/s  took %s")
			    : _("parties %s/%s  items %s/%s  invoices %s/%s  %s/s  ETA %s"),
		       a[0][0], a[0][1], a[1][0], a[1][1], a[2][0], a[2][1],
		       rate, eta);
	if (g->tty) {
		fprintf(stderr, "\r%s%*s", line,
			g->drawn > len ? g->drawn - len : 0, "");
		if (last)
			fputc('\n', stderr);
		g->drawn = len;
	} else {
		fprintf(stderr, "%s\n", line);
	}
	fflush(stderr);
}

static void phase_start(struct gen *g, int ph)
{
	double now = now_s();

	if (ph > 0)
		g->phase_t1[ph - 1] = now;
	g->phase = ph;
	g->phase_t0[ph] = now;
}

/* -------------------------------------------------------- transactions */

static int begin(struct gen *g)
{
	g->in_txn = 0;
	return store_txn_begin(g->st, false, &g->t, &g->e);
}

static int commit(struct gen *g)
{
	int ret = store_txn_commit(&g->t, &g->e);

	if (ret)
		return ret;
	if (now_s() - g->last_ckpt >= GEN_CHECKPOINT_S) {
		if ((ret = store_checkpoint(g->st, g->c->conf->db_archive_logs,
					    g->c->conf->db_archive_dir, &g->e)))
			return ret;
		g->last_ckpt = now_s();
	}
	return begin(g);
}

/* The signal that asked us to stop (Ctrl-C, SIGTERM, SIGHUP), or 0. */
static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

/*
 * One more record written: commit every GEN_BATCH, redraw now and then;
 * stop (the transaction is aborted) when asked to.
 */
static int wrote(struct gen *g)
{
	if (stop_sig)
		return kerr_set(&g->e, K_EINTERNAL, NULL, _("interrupted"));
	if (++g->in_txn >= GEN_BATCH) {
		int ret = commit(g);
		if (ret)
			return ret;
	}
	draw(g, false);
	return 0;
}

/* ------------------------------------------------------------ look-ups */

static int find_code(struct store_txn *t, const struct store_schema *s,
		     const char *code, int64_t *id, bool required,
		     struct kerr *err)
{
	void *rec = calloc(1, s->size);
	int ret;

	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	ret = store_find_text(t, s, "code", code, rec, err);
	*id = ret ? 0 : ((struct store_rec *)rec)->id;
	store_rec_clear(s, rec);
	free(rec);
	if (ret == K_ENOTFOUND && !required) {
		kerr_clear(err);
		return 0;
	}
	if (ret == K_ENOTFOUND)
		kerr_set(err, ret, NULL, _("%s %s is missing from the demo data"),
			 s->name, code);
	return ret;
}

static int lookups(struct store_txn *t, void *arg, struct kerr *err)
{
	struct gen *g = arg;
	int ret = 0;

	for (size_t i = 0; i < NELEM(cust_terms) && !ret; i++)
		ret = find_code(t, &terms_schema, cust_terms[i].code,
				&g->terms[i], true, err);
	for (size_t i = 0; i < NELEM(supp_terms) && !ret; i++)
		ret = find_code(t, &terms_schema, supp_terms[i], &g->sterms[i],
				true, err);
	for (size_t i = 0; i < NELEM(units) && !ret; i++)
		ret = find_code(t, &unit_schema, units[i], &g->unit[i], true,
				err);
	for (size_t i = 0; i < 3 && !ret; i++)
		if (!(ret = find_code(t, &tax_schema, tax_out_code[i],
				      &g->tax_out[i], true, err)))
			ret = find_code(t, &tax_schema, tax_in_code[i],
					&g->tax_in[i], true, err);
	for (size_t i = 0; i < NELEM(depts) && !ret; i++)
		ret = find_code(t, &department_schema, depts[i], &g->dept[i],
				false, err);
	for (size_t i = 0; i < NELEM(expenses) && !ret; i++)
		ret = find_code(t, &account_schema, expenses[i].account,
				&g->exp_acct[i], true, err);
	if (!ret)
		ret = gl_role_account(t, "bank", &g->bank, err);
	return ret;
}

/* ------------------------------------------------------------ masters */

/* A company name: Chinese (seven in ten) or Latin, and where it is. */
static void company(uint64_t *s, char *name, size_t n, const char **city,
		    const char **country)
{
	if (below(s, 10) < 7) {
		const char *c = PICK(s, cn_city);
		snprintf(name, n, "%s%s%s%s", c, PICK(s, cn_word),
			 PICK(s, cn_trade), PICK(s, cn_suffix));
		*city = c;
		*country = "CN";
	} else {
		size_t f = below(s, NELEM(la_form));
		snprintf(name, n, "%s %s %s", PICK(s, la_name),
			 PICK(s, la_trade), la_form[f].form);
		*city = la_form[f].city;
		*country = la_form[f].country;
	}
}

static int party_make(struct gen *g, long i, bool supplier)
{
	struct party *p = ent_new(&party_entity);
	uint64_t s = stream(g->seed, supplier ? 2 : 1, (uint64_t)i);
	char code[32], name[200], buf[64];
	const char *city, *country;
	struct kerr *err = &g->e;
	int ret;

	if (!p)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	snprintf(code, sizeof code, "%c%07ld", supplier ? 'S' : 'C', i + 1);
	company(&s, name, sizeof name, &city, &country);
	p->customer = !supplier;
	p->supplier = supplier;
	if ((ret = text_dup(&p->code, code, err)) ||
	    (ret = text_dup(&p->name, name, err)) ||
	    (ret = text_dup(&p->bill_city, city, err)) ||
	    (ret = text_dup(&p->bill_country, country, err)))
		goto out;
	if (strcmp(country, "CN") == 0) {
		/* 统一社会信用代码: 18 characters */
		snprintf(buf, sizeof buf, "91%06" PRId64 "MA%08" PRIX64,
			 between(&s, 110000, 659999),
			 (uint64_t)(rnd(&s) & 0xffffffffU));
		if ((ret = text_dup(&p->tax_id, buf, err)))
			goto out;
		snprintf(buf, sizeof buf, "+86 %" PRId64 " %04" PRId64 " %04" PRId64,
			 between(&s, 10, 29), between(&s, 5000, 8999),
			 between(&s, 0, 9999));
	} else {
		snprintf(buf, sizeof buf, "+%" PRId64 " %" PRId64 " %06" PRId64,
			 between(&s, 30, 65), between(&s, 20, 99),
			 between(&s, 0, 999999));
	}
	if ((ret = text_dup(&p->phone, buf, err)))
		goto out;
	snprintf(buf, sizeof buf, "%s@%c%07ld.example.com",
		 supplier ? "sales" : "ap", supplier ? 's' : 'c', i + 1);
	if ((ret = text_dup(&p->email, buf, err)))
		goto out;
	if (supplier) {
		p->payment_terms = g->sterms[below(&s, NELEM(supp_terms))];
	} else {
		int r = (int)below(&s, 100), k = 0;
		for (; k < (int)NELEM(cust_terms) - 1 && r >= cust_terms[k].pct;
		     k++)
			r -= cust_terms[k].pct;
		p->payment_terms = g->terms[k];
		/* a limit for one customer in five: 100,000.00 .. 2,000,000.00 */
		if (below(&s, 5) == 0)
			p->credit_limit = between(&s, 1, 20) * 10000000;
	}
	if ((ret = ent_check(g->t, &party_entity, p, err)) ||
	    (ret = ent_apply(g->t, &party_entity, p, err)) ||
	    (ret = store_insert(g->t, &party_schema, p, err)))
		goto out;
	(supplier ? g->supp : g->cust)[i] = p->h.id;
out:
	if (ret)
		kerr_prefix(err, _("party %s"), code);
	ent_free(&party_entity, p);
	return ret;
}

/* What item i is: a function of i (the supplier invoices ask again). */
static const struct noun *item_noun(const struct gen *g, long i, uint64_t *s)
{
	*s = stream(g->seed, 3, (uint64_t)i);
	return &nouns[below(s, NELEM(nouns))];
}

static int64_t unit_id(const struct gen *g, const char *code)
{
	for (size_t i = 0; i < NELEM(units); i++)
		if (strcmp(units[i], code) == 0)
			return g->unit[i];
	return 0;
}

/* Sold by weight, length or volume (not by the piece). */
static bool by_measure(const char *uom)
{
	return strcmp(uom, "KG") == 0 || strcmp(uom, "M") == 0 ||
	       strcmp(uom, "L") == 0;
}

static int item_make(struct gen *g, long i)
{
	struct item *it = ent_new(&item_entity);
	uint64_t s;
	const struct noun *nn = item_noun(g, i, &s);
	char code[32], desc[200], model[32];
	int64_t cost, price;
	struct kerr *err = &g->e;
	int ret;

	if (!it)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	snprintf(code, sizeof code, "IT%07ld", i + 1);
	snprintf(model, sizeof model, "%c%c-%" PRId64,
		 (char)('A' + below(&s, 26)), (char)('A' + below(&s, 26)),
		 between(&s, 100, 9999));
	switch (below(&s, 20)) {
	case 0: case 1: case 2: case 3: case 4:
		snprintf(desc, sizeof desc, "%s %s", nn->en, model);
		break;
	case 5: case 6: case 7:
		snprintf(desc, sizeof desc, "%s %s %s", nn->cn, nn->en, model);
		break;
	default:
		snprintf(desc, sizeof desc, "%s %s", nn->cn, model);
	}
	/*
	 * The cost: by the kilo, metre or litre 1.00 .. 99.00; an hour
	 * 100 .. 999, a day 1,000 .. 9,999; a piece 10 .. 999, one in 20
	 * 1,000 .. 9,990 in round tens.  The price 20% to 80%
	 * above, to the fen.
	 */
	if (by_measure(nn->uom))
		cost = between(&s, 100, 9900) * 100;
	else if (strcmp(nn->uom, "HR") == 0)
		cost = between(&s, 100, 999) * 10000;
	else if (strcmp(nn->uom, "DAY") == 0)
		cost = between(&s, 1000, 9999) * 10000;
	else if (below(&s, 20))
		cost = between(&s, 10, 999) * 10000;
	else
		cost = between(&s, 100, 999) * 100000;
	if ((ret = num_mul_div(cost, between(&s, 120, 180), 100, &price)) ||
	    (ret = num_mul_div(price, 1, 100, &price)))
		goto out;
	price *= 100;
	it->standard_cost = cost;
	it->list_price = price;
	it->lead_time = between(&s, 1, 60);
	it->uom = unit_id(g, nn->uom);
	it->tax_code = g->tax_out[nn->tax];
	if ((ret = text_dup(&it->code, code, err)) ||
	    (ret = text_dup(&it->description, desc, err)) ||
	    (ret = text_dup(&it->category, nn->category, err)) ||
	    (ret = text_dup(&it->type, nn->type, err)))
		goto out;
	if ((ret = ent_check(g->t, &item_entity, it, err)) ||
	    (ret = ent_apply(g->t, &item_entity, it, err)) ||
	    (ret = store_insert(g->t, &item_schema, it, err)))
		goto out;
	g->item[i] = it->h.id;
out:
	if (ret)
		kerr_prefix(err, _("item %s"), code);
	ent_free(&item_entity, it);
	return ret;
}

/* ---------------------------------------------------- the pending heap */

static bool pend_before(const struct pend *a, const struct pend *b)
{
	return a->date != b->date ? a->date < b->date : a->seq < b->seq;
}

static int pend_push(struct gen *g, struct pend p)
{
	size_t i;

	if (g->nheap == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 4096;
		struct pend *v = realloc(g->heap, cap * sizeof *v);
		if (!v)
			return kerr_set(&g->e, K_ENOMEM, NULL, NULL);
		g->heap = v;
		g->cap = cap;
	}
	p.seq = g->seq++;
	for (i = g->nheap++; i > 0 && pend_before(&p, &g->heap[(i - 1) / 2]);
	     i = (i - 1) / 2)
		g->heap[i] = g->heap[(i - 1) / 2];
	g->heap[i] = p;
	return 0;
}

static struct pend pend_pop(struct gen *g)
{
	struct pend top = g->heap[0], last = g->heap[--g->nheap];
	size_t i = 0, n = g->nheap;

	for (;;) {
		size_t k = 2 * i + 1;
		if (k >= n)
			break;
		if (k + 1 < n && pend_before(&g->heap[k + 1], &g->heap[k]))
			k++;
		if (!pend_before(&g->heap[k], &last))
			break;
		g->heap[i] = g->heap[k];
		i = k;
	}
	if (n)
		g->heap[i] = last;
	return top;
}

/*
 * How document d (posted, due on due) will be paid: most in full
 * around the due date (20 days early to 40 late), some partly, a few
 * overpaid or a few fen short (written off), one in ten never.  Dates
 * after today are not reached: those stay open.
 */
static int plan_payment(struct gen *g, bool ap, int64_t doc, kdate date,
			kdate due)
{
	struct pend p = { .ap = ap, .doc = doc };
	unsigned r = (unsigned)below(&g->s, 100);

	p.date = due + (kdate)between(&g->s, -20, 40);
	if (p.date < date)
		p.date = date;
	if (r < 76) {
		p.how = PAY_FULL;
	} else if (r < 86) {
		p.how = PAY_PART;
		p.x = (uint16_t)between(&g->s, 200, 900);
	} else if (r < 88) {
		p.how = PAY_OVER;
		p.x = (uint16_t)between(&g->s, 100, 50000);
	} else if (r < 90) {
		p.how = PAY_WRITEOFF;
		p.x = (uint16_t)between(&g->s, 1, SL_WRITEOFF_MAX - 1);
	} else {
		return 0;
	}
	if (p.date > g->end)
		return 0;
	return pend_push(g, p);
}

/* ----------------------------------------------------------- documents */

/* An invoice of ledger L (AR: a customer's; AP: a supplier's) dated day. */
static int invoice(struct gen *g, const struct sl_ledger *L, kdate day)
{
	bool ap = L == &sl_ap;
	struct sldoc d;
	struct slline *v;
	struct sl_posted o;
	char buf[32];
	size_t nl;
	int ret;

	memset(&d, 0, sizeof d);
	/* 1 to 5 lines (AP: 1 to 3), the short ones more often */
	nl = ap ? 1 + below(&g->s, 3) : 1 + skewed(&g->s, 5);
	if (!(v = calloc(nl, sizeof *v)))
		return kerr_set(&g->e, K_ENOMEM, NULL, NULL);
	d.lines.items = v;
	d.lines.n = nl;
	d.date = day;
	d.party = ap ? g->supp[below(&g->s, (uint64_t)g->nsupp)]
		     : g->cust[skewed(&g->s, (uint64_t)g->ncust)];
	for (size_t i = 0; i < nl; i++) {
		long k = (long)skewed(&g->s, (uint64_t)g->nitem);
		uint64_t s;
		const struct noun *nn = item_noun(g, k, &s);
		v[i].item = g->item[k];
		/* by weight or length 0.5 .. 500 (AP: 2.5 .. 2,500), else
		   1 .. 20 pieces (AP: 5 .. 100: we buy in bulk) */
		if (by_measure(nn->uom))
			v[i].qty = between(&g->s, 500, 500000);
		else
			v[i].qty = between(&g->s, 1, 20) * 1000;
		if (ap)
			v[i].qty *= 5;
		if (ap)
			v[i].tax_code = g->tax_in[nn->tax];
		else if (below(&g->s, 7) == 0)
			v[i].discount = below(&g->s, 2) ? 50000 : 100000;
	}
	if (ap || below(&g->s, 5) < 2) {
		snprintf(buf, sizeof buf, "%s%08" PRIu64, ap ? "FP" : "PO-",
			 rnd(&g->s) % 100000000);
		if ((ret = text_dup(&d.reference, buf, &g->e)))
			goto out;
	}
	if ((ret = sl_doc_post_txn(g->t, L, &d, 0, &o, &g->e)))
		goto out;
	ret = plan_payment(g, ap, d.h.id, d.date, d.due);
out:
	store_rec_clear(L->doc, &d);
	return ret;
}

/*
 * The receipt or payment p: reads the document and its open items
 * (one, or one an instalment: "INV-000042", "INV-000042/2") and pays
 * them as planned.
 */
static int pay(struct gen *g, const struct pend *pp)
{
	const struct sl_ledger *L = pp->ap ? &sl_ap : &sl_ar;
	struct kerr *err = &g->e;
	struct sldoc d;
	struct slpay p;
	struct openitem it;
	struct store_cursor *cur = NULL;
	struct slpayline *v;
	char code[64];
	int64_t open = 0, amount, left;
	size_t n;
	int ret;

	memset(&d, 0, sizeof d);
	memset(&p, 0, sizeof p);
	memset(&it, 0, sizeof it);
	if ((ret = store_get(g->t, L->doc, pp->doc, &d, err)))
		goto out;
	if (!(v = calloc(SL_MAX_DUE, sizeof *v))) {
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		goto out;
	}
	p.allocs.items = v;
	/* its open items: the "doc" index, in instalment order */
	if ((ret = store_cursor_open(g->t, L->item, "doc", &cur, err)))
		goto out;
	for (ret = store_cursor_seek(cur, d.number, true, &it, err);
	     ret == 0 && p.allocs.n < SL_MAX_DUE;
	     ret = store_cursor_next(cur, &it, err)) {
		if (strcmp(it.doc, d.number) != 0 || it.document != d.h.id ||
		    it.open == 0)
			continue;
		if ((ret = text_dup(&v[p.allocs.n].item, it.code, err)))
			break;
		v[p.allocs.n++].amount = it.open;
		open += it.open;
	}
	store_cursor_close(&cur);
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	if (ret)
		goto out;
	if (p.allocs.n == 0) {
		ret = kerr_set(err, K_EINTERNAL, NULL, "no open item");
		goto out;
	}
	amount = open;
	switch (pp->how) {
	case PAY_PART:
		if ((ret = num_mul_div(open, pp->x, 1000, &amount)))
			goto out;
		if (amount <= 0)
			amount = 1;
		/* the earliest instalments first, as far as the money goes */
		left = amount;
		for (size_t i = 0; i < p.allocs.n; i++) {
			if (v[i].amount > left)
				v[i].amount = left;
			left -= v[i].amount;
		}
		break;
	case PAY_OVER:
		amount = open + pp->x;
		break;
	case PAY_WRITEOFF:
		/* the last instalment's short by x fen, written off */
		n = p.allocs.n - 1;
		if (v[n].amount > pp->x) {
			amount = open - pp->x;
			v[n].amount -= pp->x;
			v[n].writeoff = pp->x;
		}
		break;
	}
	/* allocations of 0 (a partial payment that ran out) are left out */
	while (p.allocs.n > 0 && v[p.allocs.n - 1].amount == 0) {
		free(v[p.allocs.n - 1].item);
		v[p.allocs.n - 1].item = NULL;
		p.allocs.n--;
	}
	p.party = d.party;
	p.date = pp->date;
	p.amount = amount;
	snprintf(code, sizeof code, "%s %s", pp->ap ? "TT" : "BANK",
		 d.number);
	if ((ret = text_dup(&p.reference, code, err)))
		goto out;
	sl_pay_compute(&p);
	ret = sl_pay_post_txn(g->t, L, &p, NULL, err);
out:
	if (ret)
		kerr_prefix(err, "%s %s", L->pay_type, d.number ? d.number : "");
	store_rec_clear(L->item, &it);
	store_rec_clear(L->pay, &p);
	store_rec_clear(L->doc, &d);
	return ret;
}

/* An expense paid from the bank: 1 to 3 lines, 100.00 .. 50,000.00 each. */
static int expense(struct gen *g, kdate day)
{
	struct journal j;
	struct jline *v;
	size_t nl = 1 + below(&g->s, 3);
	int64_t total = 0;
	size_t k = below(&g->s, NELEM(expenses));
	int ret;

	memset(&j, 0, sizeof j);
	if (!(v = calloc(nl + 1, sizeof *v)))
		return kerr_set(&g->e, K_ENOMEM, NULL, NULL);
	j.lines.items = v;
	j.lines.n = nl + 1;
	j.date = day;
	if ((ret = text_dup(&j.description, expenses[k].memo, &g->e)))
		goto out;
	for (size_t i = 0; i < nl; i++) {
		v[i].account = g->exp_acct[k];
		v[i].debit = between(&g->s, 100, 50000) * 100;
		v[i].cost_centre = g->dept[below(&g->s, NELEM(depts))];
		total += v[i].debit;
		if ((ret = text_dup(&v[i].memo, expenses[k].memo, &g->e)))
			goto out;
	}
	v[nl].account = g->bank;
	v[nl].credit = total;
	ret = gl_post(g->t, &j, &g->e);
out:
	store_rec_clear(&journal_schema, &j);
	return ret;
}

/* ----------------------------------------------------------- the run */

/*
 * Room in every number series for what the company will number: about
 * 21N journal entries (10N invoices, 8N receipts, N supplier invoices,
 * N expenses, payments), so 40N is an upper bound.  The shipped series
 * have 6 digits (999,999 numbers); from N = 25,000 on they get more, as
 * an administrator would widen them (a series that is used up refuses
 * the next number).  Small companies keep the shipped widths.
 */
static int widen_series(struct gen *g)
{
	struct store_cursor *c = NULL;
	struct series sr;
	int64_t need = 1;
	int ret;

	for (int64_t v = 40 * (int64_t)g->ncust; v >= 10; v /= 10)
		need++;
	memset(&sr, 0, sizeof sr);
	if ((ret = store_cursor_open(g->t, &series_schema, NULL, &c, &g->e)))
		return ret;
	while ((ret = store_cursor_next(c, &sr, &g->e)) == 0) {
		if (sr.width >= need || need > SERIES_MAX_WIDTH)
			continue;
		sr.width = need;
		if ((ret = store_update(g->t, &series_schema, &sr, &g->e)))
			break;
	}
	store_cursor_close(&c);
	store_rec_clear(&series_schema, &sr);
	if (ret == K_ENOTFOUND) {
		kerr_clear(&g->e);
		ret = 0;
	}
	return ret;
}

static int gen_masters(struct gen *g)
{
	int ret = 0;

	phase_start(g, PH_PARTIES);
	for (long i = 0; i < g->ncust && !ret; i++)
		if (!(ret = party_make(g, i, false))) {
			g->done[PH_PARTIES]++;
			ret = wrote(g);
		}
	for (long i = 0; i < g->nsupp && !ret; i++)
		if (!(ret = party_make(g, i, true))) {
			g->done[PH_PARTIES]++;
			ret = wrote(g);
		}
	if (ret)
		return ret;
	phase_start(g, PH_ITEMS);
	for (long i = 0; i < g->nitem && !ret; i++)
		if (!(ret = item_make(g, i))) {
			g->done[PH_ITEMS]++;
			ret = wrote(g);
		}
	return ret;
}

/*
 * Day by day: the day's customer invoices (10N spread evenly over the
 * days), after every tenth a supplier invoice and an expense, then the
 * receipts and payments planned for the day.
 */
static int gen_documents(struct gen *g)
{
	long days = (long)(g->end - g->start) + 1, k = 0;
	int ret = 0;

	phase_start(g, PH_INVOICES);
	g->cpu_inv0 = cpu_s();
	for (kdate day = g->start; day <= g->end && !ret; day++) {
		long upto = (long)((int64_t)(day - g->start + 1) * g->ninv / days);
		for (; k < upto && !ret; k++) {
			if ((ret = invoice(g, &sl_ar, day)) || (ret = wrote(g)))
				break;
			g->done[PH_INVOICES]++;
			if (k % 10 != 9)
				continue;
			if ((ret = invoice(g, &sl_ap, day)) || (ret = wrote(g)))
				break;
			g->apinv++;
			if ((ret = expense(g, day)) || (ret = wrote(g)))
				break;
			g->je++;
		}
		while (!ret && g->nheap && g->heap[0].date <= day) {
			struct pend p = pend_pop(g);
			if ((ret = pay(g, &p)) || (ret = wrote(g)))
				break;
			if (p.ap)
				g->pay++;
			else
				g->rcpt++;
		}
	}
	return ret;
}

static off_t du_total;

static int du_add(const char *path, const struct stat *sb, int flag,
		  struct FTW *f)
{
	(void)path;
	(void)flag;
	(void)f;
	du_total += (off_t)sb->st_blocks * 512;
	return 0;
}

/* MiB on the disk under home/sub (what du says). */
static long mib_under(const char *home, const char *sub)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", home, sub);
	du_total = 0;
	if (nftw(path, du_add, 16, FTW_PHYS) != 0)
		return 0;
	return (long)((du_total + (1 << 19)) >> 20);
}

/* The first day of the fiscal year of today, as cmd_demo makes it. */
static kdate year_start(const struct gen *g)
{
	int m = g->c->conf->fy_start_month, y, mm, d;
	kdate start;

	date_to_ymd(g->end, &y, &mm, &d);
	if (mm < m)
		y--;
	date_from_ymd(y, m, 1, &start);
	return start;
}

int demo_scale_run(struct cli *c, long n, bool quiet)
{
	struct gen g;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old[NELEM(sigs)];
	char a[32], b[32], l[32], t[32], c_[32];
	long inv_rate;
	double took;
	int ret = 0;

	memset(&g, 0, sizeof g);
	g.c = c;
	g.st = c->st;
	g.n = n;
	g.ncust = n;
	g.nsupp = (n + 9) / 10;
	g.nitem = n;
	g.ninv = 10 * n;
	g.seed = 0x4b6f6e746f72ULL ^ ((uint64_t)n * 0x9e3779b97f4a7c15ULL);
	g.s = stream(g.seed, 4, 0);
	g.quiet = quiet;
	g.tty = isatty(STDERR_FILENO);
	g.end = date_today();
	g.start = year_start(&g);
	g.t0 = g.last_ckpt = now_s();
	g.cpu0 = cpu_s();
	g.tenth = -1;
	if (!(g.cust = calloc((size_t)g.ncust, sizeof *g.cust)) ||
	    !(g.supp = calloc((size_t)g.nsupp, sizeof *g.supp)) ||
	    !(g.item = calloc((size_t)g.nitem, sizeof *g.item))) {
		kerr_set(&g.e, K_ENOMEM, NULL, NULL);
		ret = K_ENOMEM;
		goto out;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	stop_sig = 0;
	for (size_t i = 0; i < NELEM(sigs); i++)
		sigaction(sigs[i], &sa, &old[i]);
	if ((ret = store_read(g.st, lookups, &g, &g.e)) ||
	    (ret = begin(&g)) ||
	    (ret = widen_series(&g)) ||
	    (ret = gen_masters(&g)) ||
	    (ret = gen_documents(&g)))
		goto out;
	if ((ret = store_txn_commit(&g.t, &g.e)))
		goto out;
	g.phase_t1[PH_INVOICES] = now_s();
	g.cpu_inv1 = cpu_s();
	/* durable before we say so: the cache into the files, the log
	   flushed (the store was opened for bulk loading) */
	if ((ret = store_checkpoint(g.st, c->conf->db_archive_logs,
				    c->conf->db_archive_dir, &g.e)))
		goto out;
	draw(&g, true);
	took = now_s() - g.t0;
	inv_rate = g.phase_t1[PH_INVOICES] > g.phase_t0[PH_INVOICES] ?
			   (long)((double)g.done[PH_INVOICES] /
				  (g.phase_t1[PH_INVOICES] -
				   g.phase_t0[PH_INVOICES])) :
			   0;
	printf(_("Generated in %s (%s of processor time):\n"),
	       duration(took, t, sizeof t),
	       duration(cpu_s() - g.cpu0, c_, sizeof c_));
	printf("  %-20s %12ld\n", _("customers"), g.ncust);
	printf("  %-20s %12ld\n", _("suppliers"), g.nsupp);
	printf("  %-20s %12ld\n", _("items"), g.nitem);
	printf("  %-20s %12ld\n", _("customer invoices"), g.done[PH_INVOICES]);
	printf("  %-20s %12ld\n", _("receipts"), g.rcpt);
	printf("  %-20s %12ld\n", _("supplier invoices"), g.apinv);
	printf("  %-20s %12ld\n", _("payments"), g.pay);
	printf("  %-20s %12ld\n", _("expense entries"), g.je);
	printf(_("Posted %s customer invoices a second (%s a second of processor time)\n"),
	       grouped(inv_rate, a, sizeof a),
	       grouped(g.cpu_inv1 > g.cpu_inv0 ?
			       (long)((double)g.done[PH_INVOICES] /
				      (g.cpu_inv1 - g.cpu_inv0)) :
			       0,
		       b, sizeof b));
	printf(_("On the disk: tables %s MiB, logs %s MiB\n"),
	       grouped(mib_under(c->home, "data"), b, sizeof b),
	       grouped(mib_under(c->home, "logs"), l, sizeof l));
out:
	if (g.t)
		store_txn_abort(&g.t);
	for (size_t i = 0; i < NELEM(sigs); i++)
		sigaction(sigs[i], &old[i], NULL);
	free(g.cust);
	free(g.supp);
	free(g.item);
	free(g.heap);
	if (ret) {
		if (!quiet && g.tty && g.drawn)
			fputc('\n', stderr);
		cli_fail(&g.e);
		fprintf(stderr, _("kontor: %s is incomplete: delete it and run kontor demo --scale again\n"),
			c->home);
		/* killed by the signal, as far as the shell can tell */
		return stop_sig ? 128 + stop_sig : kerr_exit_status(ret);
	}
	return 0;
}
