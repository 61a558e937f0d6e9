/*
 * fuzz_csv.c - the CSV importer under a fuzzer.
 *
 * LLVMFuzzerTestOneInput() writes the input to a file and imports it
 * with csvio_import_opts() in dry-run mode (each transaction is
 * aborted, so the environment stays as it was), once plain and once
 * with --update, into the entity whose field names the first line holds
 * most of (party when none: a mutation of the header changes the entity
 * only when it changes the names), and checks what must always hold: the
 * result is 0, K_EINVAL (bad rows) or K_ENOMEM (a lock table full),
 * every error line starts with "FILE:LINE: ", and every table holds
 * as many records afterwards as before.  The environment, in a temporary folder, is made
 * on the first call (a few parties, units and a currency, so that
 * references resolve) and removed at exit.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined,
 * libFuzzer brings its own main(); `make check` (tests/fuzz/run.sh)
 * links it with driver.c, which runs each file of the seed corpus once.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "masters/csvio.h"
#include "masters/entity.h"
#include "store/store.h"

const char fuzz_name[] = "fuzz_csv";

static struct store *st;
static char home[PATH_MAX + 8], file[PATH_MAX + 16];
static uint64_t *counts, *now;           /* per table: after seeding, now */

static void cleanup(void)
{
	free(counts);
	free(now);
	store_close(&st);
}

/* Commits a small CSV into entity name (if the program has it). */
static void seed(const char *name, const char *csv)
{
	const struct entity *e = ent_find(name);
	struct kerr err;

	if (!e)
		return;
	fuzz_write(file, csv, strlen(csv));
	if (csvio_import(st, e, file, false, NULL, stderr, &err))
		fuzz_fail("seeding %s: %s", name, err.msg);
}

static int count_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	uint64_t *n = arg;
	int ret;

	for (size_t i = 0; i < ent_nschemas; i++)
		if ((ret = store_count(t, ent_schemas[i], &n[i], err)))
			return ret;
	return 0;
}

static void setup(void)
{
	const char *dir = fuzz_dir();
	struct store_opts o = {
		.mode = STORE_CREATE, .login = "fuzzer",
		.cache_bytes = 16LL << 20, .wait_ms = 1000,
		.schemas = ent_schemas, .nschemas = ent_nschemas,
	};
	struct kerr err;

	atexit(cleanup);         /* before fuzz_dir's removal: LIFO */
	snprintf(home, sizeof home, "%s/home", dir);
	snprintf(file, sizeof file, "%s/input.csv", dir);
	o.home = home;
	if (store_open(&o, &st, &err))
		fuzz_fail("%s", err.msg);
	seed("currency", "code,name\nCNY,Renminbi\nUSD,US dollar\n");
	seed("unit", "code,name,decimals\nEA,Each,0\nKG,Kilogram,3\n");
	seed("party", "code,name,customer\nP1,First,yes\nP2,Second,yes\n");
	if (!(counts = calloc(ent_nschemas + 1, sizeof *counts)) ||
	    !(now = calloc(ent_nschemas + 1, sizeof *now)) ||
	    store_read(st, count_fn, counts, &err))
		fuzz_fail("counting: %s", err.msg);
}

/* Every error line must name the file and a line. */
static void check_errors(const char *text, size_t len)
{
	size_t flen = strlen(file);
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q = p + flen;
		if (!nl || (size_t)(nl - p) <= flen || memcmp(p, file, flen) ||
		    *q != ':' || q[1] < '1' || q[1] > '9')
			fuzz_fail("bad error line: %.*s",
				  (int)(nl ? nl - p : end - p), p);
		p = nl + 1;
	}
}

/* The entity whose field names the first line of data holds most of. */
static const struct entity *pick(const uint8_t *data, size_t size)
{
	const struct entity *best = ent_find("party");
	size_t most = 0;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;

	for (size_t i = 0; i < ent_count; i++) {
		const struct store_schema *s = ent_all[i]->schema;
		size_t hits = 0;
		for (size_t j = 0; j < s->nfields; j++) {
			size_t len = strlen(s->fields[j].name);
			for (size_t k = 0; k + len <= n; k++)
				if (memcmp(data + k, s->fields[j].name, len) == 0 &&
				    (k == 0 || data[k - 1] == ',') &&
				    (k + len == n || data[k + len] == ',' ||
				     data[k + len] == '\r')) {
					hits++;
					break;
				}
		}
		if (hits > most) {
			most = hits;
			best = ent_all[i];
		}
	}
	return best ? best : ent_all[0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct entity *e;
	struct kerr err;

	if (!st)
		setup();
	fuzz_write(file, data, size);
	e = pick(data, size);
	for (int update = 0; update < 2; update++) {
		struct csvio_opts o = { .update = update,
					.dry_run = true };
		char *errs = NULL;
		size_t elen = 0;
		FILE *out = open_memstream(&errs, &elen);
		int ret;

		if (!out)
			abort();
		kerr_clear(&err);
		ret = csvio_import_opts(st, e, file, &o, NULL, out,
					&err);
		fclose(out);
		if (ret != 0 && ret != K_EINVAL && ret != K_ENOMEM)
			fuzz_fail("%s: %d %s", e->name, ret, err.msg);
		if (ret == K_EINVAL && elen == 0)
			fuzz_fail("%s: refused without a reason", e->name);
		check_errors(errs, elen);
		free(errs);
	}
	/* A dry run writes nothing. */
	if (store_read(st, count_fn, now, &err) ||
	    memcmp(now, counts, ent_nschemas * sizeof *now) != 0)
		fuzz_fail("a dry run changed the tables");
	return 0;
}
