/*
 * bench_ui_load - the data of the screen benchmark (tests/bench/ui.sh):
 * a new database home with N parties.
 *
 *   bench_ui_load [--count N] [--cache-mb MB] HOME
 *
 * Creates HOME (STORE_CREATE: alone, no daemon; the creator is the Unix
 * login, so that the screens run by the same login may do everything)
 * with every entity's table and inserts N parties (default 1,000,000),
 * 1000 per store_write transaction, straight through store_insert: code
 * "P0000001".., a name that mixes Latin and Chinese on every fifth row,
 * customer, status active, no currency (the base currency).  The
 * cache of the load is --cache-mb (512; the daemon later sizes it from
 * kontor.conf).
 *
 * Prints one result line of key=value words on stdout (ui.sh reads it);
 * progress and errors go to stderr.  SIGINT and SIGTERM stop the load
 * between two transactions.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/perm.h"
#include "masters/entity.h"
#include "masters/masters.h"
#include "store/store.h"

#define BATCH 1000              /* parties per transaction */

static const char *prog = "bench_ui_load";
static volatile sig_atomic_t stopped;

static void on_stop(int sig)
{
	(void)sig;
	stopped = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A well-mixed 64-bit hash of the row number: names unrelated to codes. */
static uint64_t mix(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xFF51AFD7ED558CCDULL;
	v ^= v >> 33;
	v *= 0xC4CEB9FE1A85EC53ULL;
	v ^= v >> 33;
	return v;
}

static const char *const family[] = {
	"Adler", "Becker", "Castillo", "Delacroix", "Eriksen", "Fontaine",
	"Gruber", "Hoffmann", "Ito", "Jovanovic", "Keller", "Lindqvist",
	"Marchetti", "Nieminen", "Oliveira", "Pavlov", "Richter", "Sato",
	"Toth", "Urban", "Vogel", "Wagner", "Yamada", "Zhou",
};
static const char *const trade[] = {
	"Trading", "Logistics", "Components", "Textiles", "Foods",
	"Machinery", "Chemicals", "Electronics",
};
static const char *const legal[] = { "GmbH", "Ltd", "SA", "AG", "BV", "Oy" };
static const char *const city[] = {
	"Hamburg", "Lyon", "Milano", "Porto", "Gdansk", "Brno", "Turku",
	"Osaka",
};
static const char *const cjk_city[] = {
	"上海", "北京", "广州", "深圳", "杭州", "成都", "南京", "武汉",
};
static const char *const cjk_kind[] = {
	"贸易有限公司", "科技有限公司", "机械制造厂", "电子股份有限公司",
	"物流有限公司", "食品有限公司",
};

#define PICK(a, h) ((a)[(h) % (sizeof(a) / sizeof((a)[0]))])

struct batch {
	int64_t from, to;               /* row numbers [from, to) */
};

static int batch_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	const struct batch *b = arg;
	char code[24], name[160];

	for (int64_t i = b->from; i < b->to; i++) {
		uint64_t h = mix((uint64_t)i + 1);
		struct party p;
		int ret;

		memset(&p, 0, sizeof p);
		snprintf(code, sizeof code, "P%07" PRId64, i + 1);
		if ((i + 1) % 5 == 0) {
			/* Latin and CJK in one name, as clerks in China type them */
			snprintf(name, sizeof name, "%s%s %s %s %04u",
				 PICK(cjk_city, h), PICK(family, h >> 8),
				 PICK(cjk_kind, h >> 16), PICK(trade, h >> 24),
				 (unsigned)((h >> 32) % 10000));
			p.bill_city = (char *)PICK(cjk_city, h >> 40);
		} else {
			snprintf(name, sizeof name, "%s %s %s %04u",
				 PICK(family, h), PICK(trade, h >> 8),
				 PICK(legal, h >> 16),
				 (unsigned)((h >> 32) % 10000));
			p.bill_city = (char *)PICK(city, h >> 40);
		}
		p.code = code;
		p.name = name;
		p.customer = true;
		p.status = (char *)"active";
		if ((ret = store_insert(t, &party_schema, &p, e)))
			return ret;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: %s [--count N] [--cache-mb MB] HOME\n", prog);
	return 64;
}

int main(int argc, char **argv)
{
	const char *home = NULL;
	int64_t n = 1000000, cache_mb = 512, step;
	struct sigaction sa;
	struct store *st;
	struct kerr e;
	double t0, t1, last;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
			n = strtoll(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--cache-mb") == 0 && i + 1 < argc)
			cache_mb = strtoll(argv[++i], NULL, 10);
		else if (argv[i][0] != '-' && !home)
			home = argv[i];
		else
			return usage();
	}
	if (!home || n < 1 || n > 9999999 || cache_mb < 0)
		return usage();

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	struct store_opts o = {
		.home = home, .mode = STORE_CREATE,
		.cache_bytes = cache_mb << 20,
		.login = perm_process_login(), .wait_ms = 10000,
		.schemas = ent_schemas, .nschemas = ent_nschemas,
	};
	kerr_clear(&e);
	if (store_open(&o, &st, &e)) {
		fprintf(stderr, "%s: %s: %s\n", prog, home, e.msg);
		return 1;
	}
	step = n / 10 > BATCH ? n / 10 : BATCH;
	t0 = last = now();
	for (int64_t i = 0; i < n && !stopped; i += BATCH) {
		struct batch b = { i, i + BATCH < n ? i + BATCH : n };

		if (store_write(st, batch_fn, &b, &e)) {
			fprintf(stderr, "%s: rows %" PRId64 "..%" PRId64 ": %s\n",
				prog, b.from + 1, b.to, e.msg);
			status = 1;
			break;
		}
		if (b.to % step == 0 && b.to < n) {
			double t = now();
			fprintf(stderr, "  load: %" PRId64 " of %" PRId64
				" parties, %.0f rows/s lately\n", b.to, n,
				(double)step / (t - last));
			last = t;
		}
	}
	t1 = now();
	store_close(&st);
	if (stopped && !status) {
		fprintf(stderr, "%s: stopped\n", prog);
		return 1;
	}
	if (status)
		return status;
	printf("parties=%" PRId64 " seconds=%.3f rate=%.0f\n", n, t1 - t0,
	       (double)n / (t1 - t0));
	return 0;
}
