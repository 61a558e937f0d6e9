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
 * libFuzzer brings its own main().  Built with FUZZ_MAIN (`make check`,
 * tests/fuzz/run.sh) the main() below runs each file given, or each file
 * of each folder given, once.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "masters/csvio.h"
#include "masters/entity.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *st;
static char dir[PATH_MAX], home[PATH_MAX + 8], file[PATH_MAX + 16];
static uint64_t *counts, *now;           /* per table: after seeding, now */

static void rm_rf(const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	char sub[PATH_MAX * 2];

	if (lstat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(path);
		return;
	}
	if ((d = opendir(path))) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
				snprintf(sub, sizeof sub, "%s/%s", path,
					 de->d_name);
				rm_rf(sub);
			}
		closedir(d);
	}
	rmdir(path);
}

static void cleanup(void)
{
	free(counts);
	free(now);
	store_close(&st);
	if (dir[0])
		rm_rf(dir);
}

/* Commits a small CSV into entity name (if the program has it). */
static void seed(const char *name, const char *csv)
{
	const struct entity *e = ent_find(name);
	struct kerr err;
	FILE *fp;

	if (!e)
		return;
	if (!(fp = fopen(file, "wb")) || fputs(csv, fp) == EOF ||
	    fclose(fp) != 0) {
		perror(file);
		abort();
	}
	if (csvio_import(st, e, file, false, NULL, stderr, &err)) {
		fprintf(stderr, "fuzz_csv: seeding %s: %s\n", name, err.msg);
		abort();
	}
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
	const char *tmp = getenv("TMPDIR");
	struct store_opts o = {
		.mode = STORE_CREATE, .login = "fuzzer",
		.cache_bytes = 16LL << 20, .wait_ms = 1000,
		.schemas = ent_schemas, .nschemas = ent_nschemas,
	};
	struct kerr err;

	snprintf(dir, sizeof dir, "%s/kontor-fuzz-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror(dir);
		abort();
	}
	atexit(cleanup);
	snprintf(home, sizeof home, "%s/home", dir);
	snprintf(file, sizeof file, "%s/input.csv", dir);
	o.home = home;
	if (store_open(&o, &st, &err)) {
		fprintf(stderr, "fuzz_csv: %s\n", err.msg);
		abort();
	}
	seed("currency", "code,name\nCNY,Renminbi\nUSD,US dollar\n");
	seed("unit", "code,name,decimals\nEA,Each,0\nKG,Kilogram,3\n");
	seed("party", "code,name,customer\nP1,First,yes\nP2,Second,yes\n");
	if (!(counts = calloc(ent_nschemas + 1, sizeof *counts)) ||
	    !(now = calloc(ent_nschemas + 1, sizeof *now)) ||
	    store_read(st, count_fn, counts, &err)) {
		fprintf(stderr, "fuzz_csv: counting: %s\n", err.msg);
		abort();
	}
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
		    *q != ':' || q[1] < '1' || q[1] > '9') {
			fprintf(stderr, "fuzz_csv: bad error line: %.*s\n",
				(int)(nl ? nl - p : end - p), p);
			abort();
		}
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
	FILE *fp;

	if (!st)
		setup();
	if (!(fp = fopen(file, "wb")) ||
	    (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
		perror(file);
		abort();
	}
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
		if (ret != 0 && ret != K_EINVAL && ret != K_ENOMEM) {
			fprintf(stderr, "fuzz_csv: %s: %d %s\n",
				e->name, ret, err.msg);
			abort();
		}
		if (ret == K_EINVAL && elen == 0) {
			fprintf(stderr, "fuzz_csv: %s: refused without a reason\n",
				e->name);
			abort();
		}
		check_errors(errs, elen);
		free(errs);
	}
	/* A dry run writes nothing. */
	if (store_read(st, count_fn, now, &err) ||
	    memcmp(now, counts, ent_nschemas * sizeof *now) != 0) {
		fprintf(stderr, "fuzz_csv: a dry run changed the tables\n");
		abort();
	}
	return 0;
}

#ifdef FUZZ_MAIN
static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!fp) {
		perror(path);
		return 1;
	}
	do {
		if (n == cap) {
			uint8_t *nb;
			cap = cap ? cap * 2 : 65536;
			if (!(nb = realloc(buf, cap)))
				abort();
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
	} while (got);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long inputs = 0;
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		struct stat sb;
		DIR *d;
		struct dirent *de;
		char path[PATH_MAX * 2];

		if (stat(argv[i], &sb) != 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(sb.st_mode)) {
			bad |= run_file(argv[i]);
			inputs++;
			continue;
		}
		if (!(d = opendir(argv[i]))) {
			perror(argv[i]);
			return 1;
		}
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/%s", argv[i],
				 de->d_name);
			bad |= run_file(path);
			inputs++;
		}
		closedir(d);
	}
	printf("fuzz_csv: %lu inputs\n", inputs);
	return bad;
}
#endif
