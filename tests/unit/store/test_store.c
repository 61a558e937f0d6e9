/*
 * test_store.c - the storage layer on a real Berkeley DB environment.
 *
 * Every test gets a fresh temporary folder with a store created in
 * FOLDER/home (STORE_CREATE, login "tester"); teardown closes it and
 * removes the folder.  No mocks: what is asserted is what a user of the
 * store sees after commit, abort, reopen, backup and restore.
 *
 * Records handed to store_insert/store_update inside a store_write
 * callback live in the test's frame (not in the callback's), because
 * the store writes their new row version into them at commit.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/date.h"
#include "base/kerr.h"
#include "store/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char CJK[] = "上海示例贸易有限公司";

/* ------------------------------------------------------------ schemas */

struct acct {
	struct store_rec h;
	char *code;
	char *name;
	int64_t balance;
	kdate opened;
};

static const struct store_field acct_fields[] = {
	{ 1, "code", SF_TEXT, offsetof(struct acct, code), NULL, NULL },
	{ 2, "name", SF_TEXT, offsetof(struct acct, name), NULL, NULL },
	{ 3, "balance", SF_MONEY, offsetof(struct acct, balance), NULL, NULL },
	{ 4, "opened", SF_DATE, offsetof(struct acct, opened), NULL, NULL },
};
static const struct store_index acct_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
};
static const struct store_schema acct_schema = {
	"acct", 1, sizeof(struct acct), acct_fields, NELEM(acct_fields),
	acct_ix, NELEM(acct_ix), 0,
};

/* Two unique indexes: code, then ean. */
struct item {
	struct store_rec h;
	char *code;
	char *ean;
};

static const struct store_field item_fields[] = {
	{ 1, "code", SF_TEXT, offsetof(struct item, code), NULL, NULL },
	{ 2, "ean", SF_TEXT, offsetof(struct item, ean), NULL, NULL },
};
static const struct store_index item_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "ean", STORE_IX_UNIQUE, { "ean" } },
};
static const struct store_schema item_schema = {
	"item", 1, sizeof(struct item), item_fields, NELEM(item_fields),
	item_ix, NELEM(item_ix), 0,
};

static const struct store_schema *const schemas[] = {
	&acct_schema, &item_schema,
};

/* ------------------------------------------------------------ fixture */

struct fix {
	char dir[512];            /* the temporary folder */
	char home[600];           /* dir/home */
	struct store *st;
};

static int rm_rf(const char *path)
{
	struct stat sb;
	int ret = 0;

	if (lstat(path, &sb) != 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		char sub[PATH_MAX];
		if (!d)
			return -1;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			if (rm_rf(sub))
				ret = -1;
		}
		closedir(d);
		return rmdir(path) ? -1 : ret;
	}
	return unlink(path);
}

static void sub_path(const struct fix *f, char *buf, size_t n,
		     const char *name)
{
	snprintf(buf, n, "%s/%s", f->dir, name);
}

static int open_home(const char *home, enum store_mode mode,
		     struct store **st, struct kerr *e)
{
	struct store_opts o = {
		.home = home, .mode = mode, .login = "tester",
		.cache_bytes = 8LL << 20, .wait_ms = 1000,
		.schemas = schemas, .nschemas = NELEM(schemas),
	};

	kerr_clear(e);
	return store_open(&o, st, e);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");
	struct kerr e;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/kontor-test-store-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	sub_path(f, f->home, sizeof f->home, "home");
	if (open_home(f->home, STORE_CREATE, &f->st, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		rm_rf(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	store_close(&f->st);
	rm_rf(f->dir);
	free(f);
	return 0;
}

/* ------------------------------------------------------------ helpers */

static void acct_init(struct acct *a, const char *code, const char *name,
		      int64_t balance)
{
	memset(a, 0, sizeof *a);
	a->code = code ? strdup(code) : NULL;
	a->name = name ? strdup(name) : NULL;
	a->balance = balance;
	a->opened = DATE_NONE;
}

static void acct_clear(struct acct *a)
{
	store_rec_clear(&acct_schema, a);
}

static void set_text(char **p, const char *v)
{
	free(*p);
	*p = v ? strdup(v) : NULL;
}

/* A batch of changes run by one store_write. */
struct batch {
	const struct store_schema *s;
	void **recs;
	size_t n;
	char op;                 /* 'I', 'U', 'D' */
	bool swallow;            /* note the first error and go on */
	int first_ret;
	struct kerr first_err;
	int fail_after;          /* >0: return K_EINVAL after that many */
};

static int batch_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct batch *b = arg;
	int ret;

	b->first_ret = 0;
	for (size_t i = 0; i < b->n; i++) {
		switch (b->op) {
		case 'I':
			ret = store_insert(t, b->s, b->recs[i], err);
			break;
		case 'U':
			ret = store_update(t, b->s, b->recs[i], err);
			break;
		default:
			ret = store_delete(t, b->s, b->recs[i], err);
			break;
		}
		if (ret && b->swallow) {
			if (!b->first_ret) {
				b->first_ret = ret;
				b->first_err = *err;
			}
			kerr_clear(err);
			continue;
		}
		if (ret)
			return ret;
		if (b->fail_after && (int)i + 1 >= b->fail_after)
			return kerr_set(err, K_EINVAL, NULL, "the caller gave up");
	}
	return 0;
}

static int write1(struct store *st, const struct store_schema *s, char op,
		  void *rec, struct kerr *e)
{
	struct batch b = { .s = s, .recs = &rec, .n = 1, .op = op };

	kerr_clear(e);
	return store_write(st, batch_fn, &b, e);
}

static int insert_acct(struct store *st, struct acct *a, struct kerr *e)
{
	return write1(st, &acct_schema, 'I', a, e);
}

/* Reads in a short snapshot transaction. */
static int get_acct(struct store *st, int64_t id, struct acct *out,
		    struct kerr *e)
{
	struct store_txn *t;
	int ret;

	kerr_clear(e);
	assert_int_equal(store_txn_begin(st, true, &t, e), 0);
	ret = store_get(t, &acct_schema, id, out, e);
	store_txn_abort(&t);
	return ret;
}

static int find_acct(struct store *st, const char *code, struct acct *out,
		     struct kerr *e)
{
	struct store_txn *t;
	int ret;

	kerr_clear(e);
	assert_int_equal(store_txn_begin(st, true, &t, e), 0);
	ret = store_find_text(t, &acct_schema, "code", code, out, e);
	store_txn_abort(&t);
	return ret;
}

static uint64_t count(struct store *st, const struct store_schema *s)
{
	struct store_txn *t;
	struct kerr e;
	uint64_t n = 999;

	assert_int_equal(store_txn_begin(st, true, &t, &e), 0);
	assert_int_equal(store_count(t, s, &n, &e), 0);
	store_txn_abort(&t);
	return n;
}

/* store_history into a small array. */
struct hist {
	int n;
	char op[8];
	char login[8][32];
	char table[8][32];
	int64_t id[8];
	int64_t ts[8];
	char old_code[8][32];    /* "-" when no old record */
	char new_code[8][32];
	int64_t new_balance[8];
	uint32_t new_version[8];
};

static int hist_fn(const struct store_audit *a, void *arg)
{
	struct hist *h = arg;
	const struct acct *o = a->old_rec, *n = a->new_rec;

	if (h->n >= 8)
		return K_ERANGE;
	int i = h->n++;
	h->op[i] = a->op;
	snprintf(h->login[i], sizeof h->login[i], "%s", a->login);
	snprintf(h->table[i], sizeof h->table[i], "%s", a->table);
	h->id[i] = a->rec_id;
	h->ts[i] = a->ts_us;
	snprintf(h->old_code[i], 32, "%s", o ? (o->code ? o->code : "") : "-");
	snprintf(h->new_code[i], 32, "%s", n ? (n->code ? n->code : "") : "-");
	h->new_balance[i] = n ? n->balance : 0;
	h->new_version[i] = n ? n->h.version : 0;
	return 0;
}

static int history(struct store *st, const struct store_schema *s,
		   int64_t id, struct hist *h, struct kerr *e)
{
	struct store_txn *t;
	int ret;

	memset(h, 0, sizeof *h);
	kerr_clear(e);
	assert_int_equal(store_txn_begin(st, true, &t, e), 0);
	ret = store_history(t, s, id, hist_fn, h, e);
	store_txn_abort(&t);
	return ret;
}

static unsigned verify(struct store *st)
{
	FILE *out = tmpfile();
	unsigned problems = 99;
	struct kerr e;
	char line[512];

	assert_non_null(out);
	kerr_clear(&e);
	assert_int_equal(store_verify(st, out, &problems, &e), 0);
	rewind(out);
	while (fgets(line, sizeof line, out))
		print_message("# verify: %s", line);
	fclose(out);
	return problems;
}

/* Inserts n accounts C001.. named "Name n" with balance n * 100. */
static void seed(struct store *st, int n)
{
	struct acct *a = calloc((size_t)n, sizeof *a);
	void **p = calloc((size_t)n, sizeof *p);
	char code[16], name[32];
	struct kerr e;

	assert_non_null(a);
	assert_non_null(p);
	for (int i = 0; i < n; i++) {
		snprintf(code, sizeof code, "C%03d", i + 1);
		snprintf(name, sizeof name, "Name %d", i + 1);
		acct_init(&a[i], code, name, (i + 1) * 100);
		p[i] = &a[i];
	}
	struct batch b = { .s = &acct_schema, .recs = p, .n = (size_t)n,
			   .op = 'I' };
	assert_int_equal(store_write(st, batch_fn, &b, &e), 0);
	for (int i = 0; i < n; i++) {
		assert_int_equal(a[i].h.id, i + 1);
		acct_clear(&a[i]);
	}
	free(a);
	free(p);
}

/* ------------------------------------------------------------ opening */

static void test_create_meta(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;
	struct kerr e;
	char buf[64];

	assert_string_equal(store_home(f->st), f->home);
	assert_true(store_is_alone(f->st));
	assert_true(store_healthy(f->st));
	assert_true(store_exists(f->home));
	assert_ptr_equal(store_schema_find(f->st, "acct"), &acct_schema);
	assert_ptr_equal(store_schema_find(f->st, "item"), &item_schema);
	assert_null(store_schema_find(f->st, "nope"));
	assert_int_equal(store_daemon_pid(f->home), 0);
	assert_false(store_daemon_ready(f->home));

	assert_int_equal(store_txn_begin(f->st, false, &t, &e), 0);
	/* written by STORE_CREATE */
	assert_int_equal(store_meta_get(t, "creator", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, "tester");
	assert_int_equal(store_meta_get(t, "format", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, "1");
	assert_int_equal(store_meta_get(t, "created", buf, sizeof buf, &e), 0);
	assert_true(strtoll(buf, NULL, 10) > 0);
	/* missing */
	assert_int_equal(store_meta_get(t, "nope", buf, sizeof buf, &e),
			 K_ENOTFOUND);
	/* put, overwrite, read back, truncate to the buffer */
	assert_int_equal(store_meta_put(t, "company", "Acme", &e), 0);
	assert_int_equal(store_meta_put(t, "company", CJK, &e), 0);
	assert_int_equal(store_meta_put(t, "empty", "", &e), 0);
	assert_int_equal(store_txn_commit(&t, &e), 0);
	assert_null(t);

	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	assert_int_equal(store_meta_get(t, "company", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, CJK);
	assert_int_equal(store_meta_get(t, "empty", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, "");
	assert_int_equal(store_meta_get(t, "creator", buf, 4, &e), 0);
	assert_string_equal(buf, "tes");
	store_txn_abort(&t);
	assert_null(t);

	/* an aborted put leaves the old value */
	assert_int_equal(store_txn_begin(f->st, false, &t, &e), 0);
	assert_int_equal(store_meta_put(t, "company", "Other", &e), 0);
	store_txn_abort(&t);
	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	assert_int_equal(store_meta_get(t, "company", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, CJK);
	store_txn_abort(&t);
}

/* ------------------------------------------------------------ records */

static void test_insert_get_count(void **state)
{
	struct fix *f = *state;
	struct acct a[3], got;
	struct kerr e;
	int64_t before = date_now_us();

	memset(&got, 0, sizeof got);
	/* an empty table */
	assert_int_equal(count(f->st, &acct_schema), 0);
	assert_int_equal(get_acct(f->st, 1, &got, &e), K_ENOTFOUND);
	assert_int_equal(e.code, K_ENOTFOUND);
	assert_int_equal(find_acct(f->st, "A1", &got, &e), K_ENOTFOUND);
	assert_string_equal(e.field, "code");

	acct_init(&a[0], "A1", "First", 100);
	acct_init(&a[1], "A2", CJK, -250);
	acct_init(&a[2], "A3", NULL, 0);
	a[0].opened = 0;
	a[1].opened = 19723;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(insert_acct(f->st, &a[i], &e), 0);
		/* ids 1, 2, 3; the struct knows its new row version */
		assert_int_equal(a[i].h.id, i + 1);
		assert_int_equal(a[i].h.version, 1);
		assert_string_equal(a[i].h.muser, "tester");
		assert_true(a[i].h.mtime_us >= before);
	}
	assert_int_equal(count(f->st, &acct_schema), 3);
	assert_int_equal(count(f->st, &item_schema), 0);

	for (int i = 0; i < 3; i++) {
		assert_int_equal(get_acct(f->st, i + 1, &got, &e), 0);
		assert_int_equal(got.h.id, i + 1);
		assert_int_equal(got.h.version, 1);
		assert_string_equal(got.h.muser, "tester");
		assert_true(got.h.mtime_us == a[i].h.mtime_us);
		assert_string_equal(got.code, a[i].code);
		if (a[i].name)
			assert_string_equal(got.name, a[i].name);
		else
			assert_true(got.name == NULL || *got.name == 0);
		assert_true(got.balance == a[i].balance);
		assert_int_equal(got.opened, a[i].opened);
		acct_clear(&got);
	}
	assert_int_equal(get_acct(f->st, 4, &got, &e), K_ENOTFOUND);
	assert_int_equal(get_acct(f->st, 0, &got, &e), K_ENOTFOUND);
	assert_int_equal(get_acct(f->st, -1, &got, &e), K_ENOTFOUND);

	/* find by code */
	assert_int_equal(find_acct(f->st, "A2", &got, &e), 0);
	assert_int_equal(got.h.id, 2);
	assert_string_equal(got.name, CJK);
	acct_clear(&got);
	assert_int_equal(find_acct(f->st, "a2", &got, &e), K_ENOTFOUND);

	/* inserting in a snapshot is refused */
	struct store_txn *t;
	struct acct x;
	acct_init(&x, "X", "x", 1);
	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	assert_int_not_equal(store_insert(t, &acct_schema, &x, &e), 0);
	store_txn_abort(&t);
	acct_clear(&x);
	assert_int_equal(count(f->st, &acct_schema), 3);

	for (int i = 0; i < 3; i++)
		acct_clear(&a[i]);
	assert_int_equal(verify(f->st), 0);
}

static void test_unique_duplicate_refused(void **state)
{
	struct fix *f = *state;
	struct acct a, dup, got;
	struct hist h;
	struct kerr e;

	memset(&got, 0, sizeof got);
	acct_init(&a, "A1", "Original", 100);
	assert_int_equal(insert_acct(f->st, &a, &e), 0);

	/* refused, and the whole write aborted */
	acct_init(&dup, "A1", "Copy", 200);
	assert_int_equal(insert_acct(f->st, &dup, &e), K_EEXIST);
	assert_int_equal(e.code, K_EEXIST);
	assert_string_equal(e.field, "code");
	assert_non_null(strstr(e.msg, "A1"));
	assert_int_equal(dup.h.version, 0);

	/* refused inside a write that goes on: still nothing written */
	void *p[1] = { &dup };
	struct batch b = { .s = &acct_schema, .recs = p, .n = 1, .op = 'I',
			   .swallow = true };
	dup.h.id = 0;
	assert_int_equal(store_write(f->st, batch_fn, &b, &e), 0);
	assert_int_equal(b.first_ret, K_EEXIST);
	assert_string_equal(b.first_err.field, "code");
	assert_int_equal(dup.h.version, 0);

	assert_int_equal(count(f->st, &acct_schema), 1);
	assert_int_equal(find_acct(f->st, "A1", &got, &e), 0);
	assert_int_equal(got.h.id, a.h.id);
	assert_string_equal(got.name, "Original");
	acct_clear(&got);
	if (dup.h.id) {
		assert_int_not_equal(dup.h.id, a.h.id);
		assert_int_equal(get_acct(f->st, dup.h.id, &got, &e), K_ENOTFOUND);
		assert_int_equal(history(f->st, &acct_schema, dup.h.id, &h, &e), 0);
		assert_int_equal(h.n, 0);
	}
	/* the original has its one insert row and nothing else */
	assert_int_equal(history(f->st, &acct_schema, a.h.id, &h, &e), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.op[0], 'I');
	assert_int_equal(verify(f->st), 0);
	acct_clear(&a);
	acct_clear(&dup);
}

static void test_unique_empty_not_indexed(void **state)
{
	struct fix *f = *state;
	struct acct a, b, c, got;
	struct kerr e;

	memset(&got, 0, sizeof got);
	acct_init(&a, "", "Empty code", 1);
	acct_init(&b, "", "Empty code too", 2);
	acct_init(&c, NULL, "No code", 3);
	assert_int_equal(insert_acct(f->st, &a, &e), 0);
	assert_int_equal(insert_acct(f->st, &b, &e), 0);
	assert_int_equal(insert_acct(f->st, &c, &e), 0);
	assert_int_equal(count(f->st, &acct_schema), 3);
	assert_int_equal(find_acct(f->st, "", &got, &e), K_ENOTFOUND);
	assert_int_equal(find_acct(f->st, NULL, &got, &e), K_ENOTFOUND);

	/* giving one a code indexes it, taking it away unindexes it */
	set_text(&a.code, "X1");
	assert_int_equal(write1(f->st, &acct_schema, 'U', &a, &e), 0);
	assert_int_equal(find_acct(f->st, "X1", &got, &e), 0);
	assert_int_equal(got.h.id, a.h.id);
	acct_clear(&got);
	set_text(&a.code, "");
	assert_int_equal(write1(f->st, &acct_schema, 'U', &a, &e), 0);
	assert_int_equal(find_acct(f->st, "X1", &got, &e), K_ENOTFOUND);
	/* and another record may take the code now */
	set_text(&b.code, "X1");
	assert_int_equal(write1(f->st, &acct_schema, 'U', &b, &e), 0);
	assert_int_equal(find_acct(f->st, "X1", &got, &e), 0);
	assert_int_equal(got.h.id, b.h.id);
	acct_clear(&got);
	assert_int_equal(verify(f->st), 0);
	acct_clear(&a);
	acct_clear(&b);
	acct_clear(&c);
}

static void test_update_moves_index(void **state)
{
	struct fix *f = *state;
	struct acct a, other, got;
	struct kerr e;

	memset(&got, 0, sizeof got);
	acct_init(&a, "A", "Alpha", 10);
	acct_init(&other, "O", "Other", 20);
	assert_int_equal(insert_acct(f->st, &a, &e), 0);
	assert_int_equal(insert_acct(f->st, &other, &e), 0);

	set_text(&a.code, "B");
	a.balance = 11;
	assert_int_equal(write1(f->st, &acct_schema, 'U', &a, &e), 0);
	assert_int_equal(a.h.version, 2);
	assert_int_equal(find_acct(f->st, "A", &got, &e), K_ENOTFOUND);
	assert_int_equal(find_acct(f->st, "B", &got, &e), 0);
	assert_int_equal(got.h.id, a.h.id);
	assert_int_equal(got.h.version, 2);
	assert_int_equal(got.balance, 11);
	acct_clear(&got);

	/* the old code is free again */
	struct acct n;
	acct_init(&n, "A", "New A", 30);
	assert_int_equal(insert_acct(f->st, &n, &e), 0);
	assert_int_equal(find_acct(f->st, "A", &got, &e), 0);
	assert_int_equal(got.h.id, n.h.id);
	acct_clear(&got);

	/* renaming onto a used code is refused and changes nothing */
	set_text(&a.code, "O");
	assert_int_equal(write1(f->st, &acct_schema, 'U', &a, &e), K_EEXIST);
	assert_string_equal(e.field, "code");
	assert_int_equal(a.h.version, 2);
	assert_int_equal(find_acct(f->st, "O", &got, &e), 0);
	assert_int_equal(got.h.id, other.h.id);
	acct_clear(&got);
	assert_int_equal(find_acct(f->st, "B", &got, &e), 0);
	assert_int_equal(got.h.id, a.h.id);
	acct_clear(&got);

	/* saving without a change keeps the entry */
	set_text(&a.code, "B");
	assert_int_equal(write1(f->st, &acct_schema, 'U', &a, &e), 0);
	assert_int_equal(a.h.version, 3);
	assert_int_equal(find_acct(f->st, "B", &got, &e), 0);
	acct_clear(&got);
	assert_int_equal(verify(f->st), 0);
	acct_clear(&a);
	acct_clear(&other);
	acct_clear(&n);
}

/* Walks an index (or the table) forward; names or codes into out. */
static int walk(struct store *st, const char *index, bool names,
		char out[][32], int max)
{
	struct store_txn *t;
	struct store_cursor *c;
	struct acct a;
	struct kerr e;
	int n = 0, ret;

	memset(&a, 0, sizeof a);
	assert_int_equal(store_txn_begin(st, true, &t, &e), 0);
	assert_int_equal(store_cursor_open(t, &acct_schema, index, &c, &e), 0);
	while ((ret = store_cursor_next(c, &a, &e)) == 0) {
		assert_true(n < max);
		const char *v = names ? a.name : a.code;
		snprintf(out[n++], 32, "%s", v ? v : "");
	}
	assert_int_equal(ret, K_ENOTFOUND);
	acct_clear(&a);
	store_cursor_close(&c);
	assert_null(c);
	store_txn_abort(&t);
	return n;
}

static void test_fold_index_order(void **state)
{
	struct fix *f = *state;
	static const char *const names[] = {
		"banana", "Apple", "cherry", "apricot", "APPLE", "Éclair", "apple",
	};
	struct acct a[NELEM(names)];
	char got[16][32];
	struct kerr e;

	for (size_t i = 0; i < NELEM(names); i++) {
		char code[8];
		snprintf(code, sizeof code, "N%zu", i);
		acct_init(&a[i], code, names[i], 0);
		assert_int_equal(insert_acct(f->st, &a[i], &e), 0);
	}
	/* case-insensitive, equal names in insert (id) order */
	static const char *const want[] = {
		"Apple", "APPLE", "apple", "apricot", "banana", "cherry", "Éclair",
	};
	int n = walk(f->st, "name", true, got, 16);
	assert_int_equal(n, NELEM(want));
	for (int i = 0; i < n; i++)
		assert_string_equal(got[i], want[i]);

	/* updates follow: banana -> Aardvark moves it first, cherry -> Zed last */
	set_text(&a[0].name, "Aardvark");
	set_text(&a[2].name, "zed");
	void *p[2] = { &a[0], &a[2] };
	struct batch b = { .s = &acct_schema, .recs = p, .n = 2, .op = 'U' };
	assert_int_equal(store_write(f->st, batch_fn, &b, &e), 0);
	static const char *const want2[] = {
		"Aardvark", "Apple", "APPLE", "apple", "apricot", "zed", "Éclair",
	};
	n = walk(f->st, "name", true, got, 16);
	assert_int_equal(n, NELEM(want2));
	for (int i = 0; i < n; i++)
		assert_string_equal(got[i], want2[i]);

	/* a prefix seek on a folded index ignores case */
	struct store_txn *t;
	struct store_cursor *c;
	struct acct r;
	memset(&r, 0, sizeof r);
	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	assert_int_equal(store_cursor_open(t, &acct_schema, "name", &c, &e), 0);
	assert_int_equal(store_cursor_seek(c, "AP", true, &r, &e), 0);
	assert_string_equal(r.name, "Apple");
	int m = 1;
	while (store_cursor_next(c, &r, &e) == 0)
		m++;
	assert_int_equal(m, 4);    /* Apple APPLE apple apricot */
	assert_int_equal(store_cursor_seek(c, "apr", false, &r, &e), 0);
	assert_string_equal(r.name, "apricot");
	assert_int_equal(store_cursor_next(c, &r, &e), 0);
	assert_string_equal(r.name, "zed");
	acct_clear(&r);
	store_cursor_close(&c);
	store_txn_abort(&t);

	assert_int_equal(verify(f->st), 0);
	for (size_t i = 0; i < NELEM(names); i++)
		acct_clear(&a[i]);
}

static void test_delete(void **state)
{
	struct fix *f = *state;
	struct acct a, b, got;
	char names[8][32];
	struct kerr e;

	memset(&got, 0, sizeof got);
	acct_init(&a, "D1", "Doomed", 1);
	acct_init(&b, "K1", "Kept", 2);
	assert_int_equal(insert_acct(f->st, &a, &e), 0);
	assert_int_equal(insert_acct(f->st, &b, &e), 0);

	assert_int_equal(write1(f->st, &acct_schema, 'D', &a, &e), 0);
	assert_int_equal(count(f->st, &acct_schema), 1);
	assert_int_equal(get_acct(f->st, a.h.id, &got, &e), K_ENOTFOUND);
	assert_int_equal(find_acct(f->st, "D1", &got, &e), K_ENOTFOUND);
	assert_int_equal(walk(f->st, "name", true, names, 8), 1);
	assert_string_equal(names[0], "Kept");
	assert_int_equal(walk(f->st, "code", false, names, 8), 1);
	assert_string_equal(names[0], "K1");
	assert_int_equal(walk(f->st, NULL, false, names, 8), 1);
	assert_int_equal(find_acct(f->st, "K1", &got, &e), 0);
	acct_clear(&got);

	/* deleting it again: it is gone */
	assert_int_not_equal(write1(f->st, &acct_schema, 'D', &a, &e), 0);
	/* the code can be used again, with a new id */
	struct acct n;
	acct_init(&n, "D1", "Reborn", 3);
	assert_int_equal(insert_acct(f->st, &n, &e), 0);
	assert_int_not_equal(n.h.id, a.h.id);
	assert_int_equal(verify(f->st), 0);
	acct_clear(&a);
	acct_clear(&b);
	acct_clear(&n);
}

/* ------------------------------------------------------------ concurrency */

static void test_conflict(void **state)
{
	struct fix *f = *state;
	struct acct a, c1, c2, got;
	struct kerr e;

	memset(&c1, 0, sizeof c1);
	memset(&c2, 0, sizeof c2);
	memset(&got, 0, sizeof got);
	acct_init(&a, "A1", "Shared", 100);
	assert_int_equal(insert_acct(f->st, &a, &e), 0);

	/* two users load the same record */
	assert_int_equal(get_acct(f->st, a.h.id, &c1, &e), 0);
	assert_int_equal(get_acct(f->st, a.h.id, &c2, &e), 0);
	assert_int_equal(c1.h.version, 1);
	assert_int_equal(c2.h.version, 1);

	c1.balance = 111;
	assert_int_equal(write1(f->st, &acct_schema, 'U', &c1, &e), 0);
	assert_int_equal(c1.h.version, 2);

	c2.balance = 222;
	assert_int_equal(write1(f->st, &acct_schema, 'U', &c2, &e), K_ECONFLICT);
	assert_int_equal(e.code, K_ECONFLICT);
	assert_non_null(strstr(e.msg, "changed by tester"));
	assert_int_equal(c2.h.version, 1);

	/* the first save stands */
	assert_int_equal(get_acct(f->st, a.h.id, &got, &e), 0);
	assert_int_equal(got.balance, 111);
	assert_int_equal(got.h.version, 2);
	acct_clear(&got);

	/* a stale copy cannot delete either */
	assert_int_equal(write1(f->st, &acct_schema, 'D', &c2, &e), K_ECONFLICT);
	assert_non_null(strstr(e.msg, "changed by tester"));
	assert_int_equal(count(f->st, &acct_schema), 1);

	/* reloaded, it can; the fresh copy keeps working */
	c1.balance = 112;
	assert_int_equal(write1(f->st, &acct_schema, 'U', &c1, &e), 0);
	assert_int_equal(c1.h.version, 3);
	assert_int_equal(get_acct(f->st, a.h.id, &c2, &e), 0);
	assert_int_equal(c2.h.version, 3);
	assert_int_equal(write1(f->st, &acct_schema, 'D', &c2, &e), 0);
	assert_int_equal(count(f->st, &acct_schema), 0);
	acct_clear(&a);
	acct_clear(&c1);
	acct_clear(&c2);
}

/*
 * Saving a copy of a record someone else deleted: store.h says
 * K_ECONFLICT ("this record was deleted by someone else"), and the code
 * returned must be the one in err.
 */
static void test_conflict_deleted_record(void **state)
{
	struct fix *f = *state;
	struct acct a, c1, c2;
	struct kerr e;

	memset(&c1, 0, sizeof c1);
	memset(&c2, 0, sizeof c2);
	acct_init(&a, "A1", "Soon gone", 100);
	assert_int_equal(insert_acct(f->st, &a, &e), 0);
	assert_int_equal(get_acct(f->st, a.h.id, &c1, &e), 0);
	assert_int_equal(get_acct(f->st, a.h.id, &c2, &e), 0);
	assert_int_equal(write1(f->st, &acct_schema, 'D', &c1, &e), 0);

	c2.balance = 5;
	int ret_u = write1(f->st, &acct_schema, 'U', &c2, &e);
	int code_u = e.code;
	int ret_d = write1(f->st, &acct_schema, 'D', &c2, &e);
	int code_d = e.code;
	uint64_t n = count(f->st, &acct_schema);
	acct_clear(&a);
	acct_clear(&c1);
	acct_clear(&c2);

	if (ret_u != K_ECONFLICT || ret_d != K_ECONFLICT)
		print_error("update returned %d, delete %d (err.code %d, %d; "
			    "K_ECONFLICT is %d)\n", ret_u, ret_d, code_u,
			    code_d, K_ECONFLICT);
	assert_int_equal(n, 0);
	assert_int_equal(code_u, K_ECONFLICT);
	assert_int_equal(code_d, K_ECONFLICT);
	assert_int_equal(ret_u, K_ECONFLICT);
	assert_int_equal(ret_d, K_ECONFLICT);
}

/*
 * A record inserted and then changed again in the same transaction (an
 * order whose number is filled in once its lines are written) is the
 * caller's own work, not someone else's change.
 */
struct twice {
	struct acct *a;
	int ret_update;
	struct kerr err_update;
};

static int insert_then_update_fn(struct store_txn *t, void *arg,
				 struct kerr *err)
{
	struct twice *w = arg;
	int ret = store_insert(t, &acct_schema, w->a, err);

	if (ret)
		return ret;
	w->a->balance = 999;
	w->ret_update = store_update(t, &acct_schema, w->a, err);
	w->err_update = *err;
	return w->ret_update;
}

static void test_insert_then_update_same_txn(void **state)
{
	struct fix *f = *state;
	struct acct a, got;
	struct twice w = { .a = &a };
	struct kerr e;

	memset(&got, 0, sizeof got);
	acct_init(&a, "T1", "Twice", 1);
	kerr_clear(&e);
	int ret = store_write(f->st, insert_then_update_fn, &w, &e);
	uint32_t version = a.h.version;
	int64_t id = a.h.id;
	acct_clear(&a);
	if (ret)
		print_error("update after insert in one transaction: %s\n",
			    w.err_update.msg);
	assert_int_equal(w.ret_update, 0);
	assert_int_equal(ret, 0);
	assert_int_equal(version, 2);
	assert_int_equal(get_acct(f->st, id, &got, &e), 0);
	int64_t balance = got.balance;
	version = got.h.version;
	acct_clear(&got);
	assert_int_equal(balance, 999);
	assert_int_equal(version, 2);
}

static void test_aborted_write_leaves_nothing(void **state)
{
	struct fix *f = *state;
	struct acct a, b, got;
	struct hist h;
	struct kerr e;

	memset(&got, 0, sizeof got);
	acct_init(&a, "AB1", "Aborted", 100);
	acct_init(&b, "AB2", "Aborted too", 200);
	void *p[2] = { &a, &b };
	struct batch bt = { .s = &acct_schema, .recs = p, .n = 2, .op = 'I',
			    .fail_after = 2 };
	kerr_clear(&e);
	assert_int_equal(store_write(f->st, batch_fn, &bt, &e), K_EINVAL);
	assert_string_equal(e.msg, "the caller gave up");

	assert_int_equal(count(f->st, &acct_schema), 0);
	assert_int_equal(find_acct(f->st, "AB1", &got, &e), K_ENOTFOUND);
	assert_int_equal(find_acct(f->st, "AB2", &got, &e), K_ENOTFOUND);
	char names[4][32];
	assert_int_equal(walk(f->st, "name", true, names, 4), 0);
	assert_int_equal(walk(f->st, "code", false, names, 4), 0);
	/*
	 * store_insert() stamps the struct at once (store.h): after the
	 * abort the stamp describes a write that did not happen.  What
	 * counts is the database, checked above and below.
	 */
	for (int64_t id = 1; id <= 3; id++) {
		assert_int_equal(history(f->st, &acct_schema, id, &h, &e), 0);
		assert_int_equal(h.n, 0);
	}
	if (a.h.id) {
		assert_int_equal(history(f->st, &acct_schema, a.h.id, &h, &e), 0);
		assert_int_equal(h.n, 0);
	}

	/* an aborted update leaves the stored record alone */
	struct acct c, d;
	acct_init(&c, "C1", "Committed", 1);
	assert_int_equal(insert_acct(f->st, &c, &e), 0);
	uint32_t v1 = c.h.version;
	set_text(&c.code, "C2");
	c.balance = 2;
	void *q[1] = { &c };
	struct batch bu = { .s = &acct_schema, .recs = q, .n = 1, .op = 'U',
			    .fail_after = 1 };
	assert_int_equal(store_write(f->st, batch_fn, &bu, &e), K_EINVAL);
	assert_int_equal(find_acct(f->st, "C2", &got, &e), K_ENOTFOUND);
	assert_int_equal(find_acct(f->st, "C1", &got, &e), 0);
	assert_int_equal(got.balance, 1);
	assert_int_equal(got.h.version, 1);
	acct_clear(&got);
	assert_int_equal(history(f->st, &acct_schema, c.h.id, &h, &e), 0);
	assert_int_equal(h.n, 1);

	/* store_save() stamps a kept struct only when the commit succeeds */
	c.h.version = v1;
	acct_init(&d, "C9", "Other", 9);
	assert_int_equal(insert_acct(f->st, &d, &e), 0);
	set_text(&c.code, "C9");
	assert_int_equal(store_save(f->st, &acct_schema, &c, &e), K_EEXIST);
	assert_int_equal(c.h.version, 1);
	set_text(&c.code, "C2");
	assert_int_equal(store_save(f->st, &acct_schema, &c, &e), 0);
	assert_int_equal(c.h.version, 2);
	assert_int_equal(find_acct(f->st, "C2", &got, &e), 0);
	assert_int_equal(got.balance, 2);
	acct_clear(&got);
	acct_clear(&d);
	assert_int_equal(verify(f->st), 0);
	acct_clear(&a);
	acct_clear(&b);
	acct_clear(&c);
}

/*
 * An update refused for a duplicate in its second unique index must not
 * have moved the first one: a caller that notes the refusal and goes on
 * (an import skipping bad rows) commits its other changes.
 */
static void test_update_refused_is_atomic(void **state)
{
	struct fix *f = *state;
	struct item i1 = { .code = strdup("I1"), .ean = strdup("E1") };
	struct item i2 = { .code = strdup("I2"), .ean = strdup("E2") };
	struct store_txn *t;
	struct item got;
	struct kerr e;

	memset(&got, 0, sizeof got);
	assert_int_equal(write1(f->st, &item_schema, 'I', &i1, &e), 0);
	assert_int_equal(write1(f->st, &item_schema, 'I', &i2, &e), 0);

	/* new free code, but the ean of i2 */
	set_text(&i1.code, "I9");
	set_text(&i1.ean, "E2");
	void *p[1] = { &i1 };
	struct batch b = { .s = &item_schema, .recs = p, .n = 1, .op = 'U',
			   .swallow = true };
	assert_int_equal(store_write(f->st, batch_fn, &b, &e), 0);
	assert_int_equal(b.first_ret, K_EEXIST);
	assert_string_equal(b.first_err.field, "ean");
	assert_int_equal(i1.h.version, 1);

	/* the stored record and its index entries are unchanged */
	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	int by_new = store_find_text(t, &item_schema, "code", "I9", &got, &e);
	store_rec_clear(&item_schema, &got);
	int by_old = store_find_text(t, &item_schema, "code", "I1", &got, &e);
	char code[16] = "";
	if (by_old == 0)
		snprintf(code, sizeof code, "%s", got.code);
	store_rec_clear(&item_schema, &got);
	store_txn_abort(&t);
	unsigned problems = verify(f->st);
	store_rec_clear(&item_schema, &i1);
	store_rec_clear(&item_schema, &i2);

	assert_int_equal(by_new, K_ENOTFOUND);
	assert_int_equal(by_old, 0);
	assert_string_equal(code, "I1");
	assert_int_equal(problems, 0);
}

static int stop_fn(const struct store_audit *a, void *arg)
{
	(void)a;
	++*(int *)arg;
	return K_ERANGE;
}

static void test_history(void **state)
{
	struct fix *f = *state;
	struct acct a;
	struct hist h;
	struct kerr e;
	int64_t before = date_now_us();

	/* nothing for a record that never was */
	assert_int_equal(history(f->st, &acct_schema, 1, &h, &e), 0);
	assert_int_equal(h.n, 0);

	acct_init(&a, "H1", "History", 100);
	assert_int_equal(insert_acct(f->st, &a, &e), 0);
	a.balance = 200;
	assert_int_equal(write1(f->st, &acct_schema, 'U', &a, &e), 0);
	set_text(&a.code, "H2");
	a.balance = 300;
	assert_int_equal(write1(f->st, &acct_schema, 'U', &a, &e), 0);
	assert_int_equal(write1(f->st, &acct_schema, 'D', &a, &e), 0);

	/* another record's rows do not mix in */
	struct acct other;
	acct_init(&other, "H3", "Other", 1);
	assert_int_equal(insert_acct(f->st, &other, &e), 0);
	assert_int_equal(write1(f->st, &acct_schema, 'U', &other, &e), 0);

	assert_int_equal(history(f->st, &acct_schema, a.h.id, &h, &e), 0);
	assert_int_equal(h.n, 4);
	assert_memory_equal(h.op, "IUUD", 4);
	for (int i = 0; i < 4; i++) {
		assert_string_equal(h.login[i], "tester");
		assert_string_equal(h.table[i], "acct");
		assert_int_equal(h.id[i], a.h.id);
		assert_true(h.ts[i] >= before);
		if (i)
			assert_true(h.ts[i] >= h.ts[i - 1]);
	}
	/* insert: no old; delete: no new */
	assert_string_equal(h.old_code[0], "-");
	assert_string_equal(h.new_code[0], "H1");
	assert_int_equal(h.new_balance[0], 100);
	assert_int_equal(h.new_version[0], 1);
	assert_string_equal(h.old_code[1], "H1");
	assert_string_equal(h.new_code[1], "H1");
	assert_int_equal(h.new_balance[1], 200);
	assert_int_equal(h.new_version[1], 2);
	assert_string_equal(h.old_code[2], "H1");
	assert_string_equal(h.new_code[2], "H2");
	assert_int_equal(h.new_balance[2], 300);
	assert_int_equal(h.new_version[2], 3);
	assert_string_equal(h.old_code[3], "H2");
	assert_string_equal(h.new_code[3], "-");

	assert_int_equal(history(f->st, &acct_schema, other.h.id, &h, &e), 0);
	assert_int_equal(h.n, 2);
	assert_memory_equal(h.op, "IU", 2);
	/* the same id in another table has no history */
	assert_int_equal(history(f->st, &item_schema, a.h.id, &h, &e), 0);
	assert_int_equal(h.n, 0);

	/* a callback's error stops the walk and is returned */
	struct store_txn *t;
	int calls = 0;
	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	assert_int_equal(store_history(t, &acct_schema, other.h.id, stop_fn,
				       &calls, &e), K_ERANGE);
	store_txn_abort(&t);
	assert_int_equal(calls, 1);
	acct_clear(&a);
	acct_clear(&other);
}

/* ------------------------------------------------------------ cursors */

#define NSEED 250

static void test_cursor_walk(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;
	struct store_cursor *c;
	struct acct a;
	struct kerr e;
	char code[16];
	int n;

	memset(&a, 0, sizeof a);
	/* an empty table: nothing in any direction */
	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(store_cursor_open(t, &acct_schema,
						   i ? "code" : NULL, &c, &e), 0);
		assert_int_equal(store_cursor_first(c, &a, &e), K_ENOTFOUND);
		assert_int_equal(store_cursor_last(c, &a, &e), K_ENOTFOUND);
		assert_int_equal(store_cursor_next(c, &a, &e), K_ENOTFOUND);
		assert_int_equal(store_cursor_prev(c, &a, &e), K_ENOTFOUND);
		assert_int_equal(store_cursor_seek(c, NULL, false, &a, &e),
				 K_ENOTFOUND);
		assert_int_equal(store_cursor_seek(c, "", true, &a, &e),
				 K_ENOTFOUND);
		store_cursor_close(&c);
	}
	store_txn_abort(&t);

	seed(f->st, NSEED);
	assert_int_equal(count(f->st, &acct_schema), NSEED);
	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);

	/* primary order: first, then next through all */
	assert_int_equal(store_cursor_open(t, &acct_schema, NULL, &c, &e), 0);
	assert_int_equal(store_cursor_first(c, &a, &e), 0);
	n = 1;
	assert_int_equal(a.h.id, 1);
	while (store_cursor_next(c, &a, &e) == 0) {
		n++;
		assert_int_equal(a.h.id, n);
		snprintf(code, sizeof code, "C%03d", n);
		assert_string_equal(a.code, code);
		assert_int_equal(a.balance, n * 100);
		assert_int_equal(a.h.version, 1);
	}
	assert_int_equal(n, NSEED);
	assert_int_equal(e.code, K_ENOTFOUND);
	/* last, then prev back to the start */
	assert_int_equal(store_cursor_last(c, &a, &e), 0);
	assert_int_equal(a.h.id, NSEED);
	n = NSEED;
	while (store_cursor_prev(c, &a, &e) == 0)
		assert_int_equal(a.h.id, --n);
	assert_int_equal(n, 1);
	store_cursor_close(&c);

	/* an unpositioned cursor: next is first, prev is last */
	assert_int_equal(store_cursor_open(t, &acct_schema, "code", &c, &e), 0);
	assert_int_equal(store_cursor_prev(c, &a, &e), 0);
	assert_string_equal(a.code, "C250");
	store_cursor_close(&c);
	assert_int_equal(store_cursor_open(t, &acct_schema, "code", &c, &e), 0);
	n = 0;
	while (store_cursor_next(c, &a, &e) == 0) {
		snprintf(code, sizeof code, "C%03d", ++n);
		assert_string_equal(a.code, code);
	}
	assert_int_equal(n, NSEED);
	/* backwards over an index */
	assert_int_equal(store_cursor_last(c, &a, &e), 0);
	assert_string_equal(a.code, "C250");
	assert_int_equal(store_cursor_prev(c, &a, &e), 0);
	assert_string_equal(a.code, "C249");
	assert_int_equal(store_cursor_first(c, &a, &e), 0);
	assert_string_equal(a.code, "C001");
	assert_int_equal(store_cursor_prev(c, &a, &e), K_ENOTFOUND);
	store_cursor_close(&c);

	/* no such index */
	assert_int_not_equal(store_cursor_open(t, &acct_schema, "nope", &c, &e), 0);
	assert_null(c);
	acct_clear(&a);
	store_txn_abort(&t);
}

static void test_cursor_seek(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;
	struct store_cursor *c;
	struct acct a;
	struct kerr e;
	char code[16];

	memset(&a, 0, sizeof a);
	seed(f->st, NSEED);
	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	assert_int_equal(store_cursor_open(t, &acct_schema, "code", &c, &e), 0);

	/* a prefix lands on its first match */
	assert_int_equal(store_cursor_seek(c, "C01", false, &a, &e), 0);
	assert_string_equal(a.code, "C010");
	/* unbounded, the walk goes on past the prefix */
	for (int i = 11; i <= 21; i++)
		assert_int_equal(store_cursor_next(c, &a, &e), 0);
	assert_string_equal(a.code, "C021");

	/* bounded: C010..C019, then K_ENOTFOUND */
	assert_int_equal(store_cursor_seek(c, "C01", true, &a, &e), 0);
	assert_string_equal(a.code, "C010");
	int n = 1;
	while (store_cursor_next(c, &a, &e) == 0) {
		snprintf(code, sizeof code, "C%03d", 10 + n++);
		assert_string_equal(a.code, code);
	}
	assert_int_equal(n, 10);
	assert_int_equal(e.code, K_ENOTFOUND);
	assert_int_equal(store_cursor_next(c, &a, &e), K_ENOTFOUND);

	/* bounded last and prev stay inside the prefix */
	assert_int_equal(store_cursor_last(c, &a, &e), 0);
	assert_string_equal(a.code, "C019");
	n = 19;
	while (store_cursor_prev(c, &a, &e) == 0) {
		snprintf(code, sizeof code, "C%03d", --n);
		assert_string_equal(a.code, code);
	}
	assert_int_equal(n, 10);
	assert_int_equal(store_cursor_first(c, &a, &e), 0);
	assert_string_equal(a.code, "C010");

	/* the full code is its own prefix */
	assert_int_equal(store_cursor_seek(c, "C250", true, &a, &e), 0);
	assert_string_equal(a.code, "C250");
	assert_int_equal(store_cursor_next(c, &a, &e), K_ENOTFOUND);
	assert_int_equal(store_cursor_seek(c, "C2", true, &a, &e), 0);
	assert_string_equal(a.code, "C200");
	assert_int_equal(store_cursor_last(c, &a, &e), 0);
	assert_string_equal(a.code, "C250");

	/* no match: unbounded lands after, bounded finds nothing */
	assert_int_equal(store_cursor_seek(c, "C0105", false, &a, &e), 0);
	assert_string_equal(a.code, "C011");
	assert_int_equal(store_cursor_seek(c, "C0105", true, &a, &e), K_ENOTFOUND);
	assert_int_equal(store_cursor_last(c, &a, &e), K_ENOTFOUND);
	assert_int_equal(store_cursor_seek(c, "B", true, &a, &e), K_ENOTFOUND);
	assert_int_equal(store_cursor_seek(c, "B", false, &a, &e), 0);
	assert_string_equal(a.code, "C001");
	/* past the end */
	assert_int_equal(store_cursor_seek(c, "C9", false, &a, &e), K_ENOTFOUND);
	assert_int_equal(store_cursor_seek(c, "D", false, &a, &e), K_ENOTFOUND);
	assert_int_equal(store_cursor_seek(c, "C2501", false, &a, &e), K_ENOTFOUND);
	/* an empty prefix matches everything */
	assert_int_equal(store_cursor_seek(c, "", true, &a, &e), 0);
	assert_string_equal(a.code, "C001");
	assert_int_equal(store_cursor_last(c, &a, &e), 0);
	assert_string_equal(a.code, "C250");
	store_cursor_close(&c);

	/* on the table, seek takes an id */
	assert_int_equal(store_cursor_open(t, &acct_schema, NULL, &c, &e), 0);
	assert_int_equal(store_cursor_seek(c, "100", false, &a, &e), 0);
	assert_int_equal(a.h.id, 100);
	assert_int_equal(store_cursor_next(c, &a, &e), 0);
	assert_int_equal(a.h.id, 101);
	assert_int_equal(store_cursor_seek(c, "0", false, &a, &e), 0);
	assert_int_equal(a.h.id, 1);
	assert_int_equal(store_cursor_seek(c, "251", false, &a, &e), K_ENOTFOUND);
	store_cursor_close(&c);

	acct_clear(&a);
	store_txn_abort(&t);
}

/*
 * Paging as a screen does: a page of 20 per transaction, remembering the
 * last row and seeking back to it in a new transaction and cursor.
 */
static void page_through(struct store *st, const char *index)
{
	struct acct last, a;
	struct kerr e;
	bool seen[NSEED + 1] = { false };
	int total = 0, pages = 0;
	int64_t prev_id = 0;

	memset(&last, 0, sizeof last);
	memset(&a, 0, sizeof a);
	for (;;) {
		struct store_txn *t;
		struct store_cursor *c;
		int ret, n = 0;

		assert_int_equal(store_txn_begin(st, true, &t, &e), 0);
		assert_int_equal(store_cursor_open(t, &acct_schema, index, &c, &e), 0);
		if (pages == 0) {
			ret = store_cursor_first(c, &a, &e);
		} else {
			/* back on the remembered row, then one further */
			assert_int_equal(store_cursor_seek_rec(c, &last, &a, &e), 0);
			assert_int_equal(a.h.id, last.h.id);
			ret = store_cursor_next(c, &a, &e);
		}
		while (ret == 0 && n < 20) {
			assert_true(a.h.id >= 1 && a.h.id <= NSEED);
			assert_false(seen[a.h.id]);
			seen[a.h.id] = true;
			/* the table and the code index are in id order here */
			if (!index || strcmp(index, "code") == 0)
				assert_true(a.h.id > prev_id);
			prev_id = a.h.id;
			n++;
			total++;
			acct_clear(&last);
			assert_int_equal(store_rec_copy(&acct_schema, &last, &a), 0);
			if (n < 20)
				ret = store_cursor_next(c, &a, &e);
		}
		if (ret)
			assert_int_equal(ret, K_ENOTFOUND);
		store_cursor_close(&c);
		store_txn_abort(&t);
		pages++;
		if (ret || n == 0)
			break;
		assert_true(pages < 100);
	}
	assert_int_equal(total, NSEED);
	for (int i = 1; i <= NSEED; i++)
		assert_true(seen[i]);
	acct_clear(&last);
	acct_clear(&a);
}

static void test_cursor_paging(void **state)
{
	struct fix *f = *state;

	struct store_txn *t;
	struct store_cursor *c;
	struct acct a, gone;
	struct kerr e;

	seed(f->st, NSEED);
	page_through(f->st, NULL);
	page_through(f->st, "code");
	page_through(f->st, "name");    /* "Name 1" < "Name 10"...: not id order */

	/* the remembered row was deleted in between: resume after it */
	memset(&a, 0, sizeof a);
	memset(&gone, 0, sizeof gone);
	assert_int_equal(get_acct(f->st, 20, &gone, &e), 0);
	assert_int_equal(write1(f->st, &acct_schema, 'D', &gone, &e), 0);
	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	assert_int_equal(store_cursor_open(t, &acct_schema, "code", &c, &e), 0);
	assert_int_equal(store_cursor_seek_rec(c, &gone, &a, &e), 0);
	assert_string_equal(a.code, "C021");
	store_cursor_close(&c);
	assert_int_equal(store_cursor_open(t, &acct_schema, NULL, &c, &e), 0);
	assert_int_equal(store_cursor_seek_rec(c, &gone, &a, &e), 0);
	assert_int_equal(a.h.id, 21);
	store_cursor_close(&c);
	store_txn_abort(&t);
	acct_clear(&a);
	acct_clear(&gone);
}

/* ------------------------------------------------------------ snapshots */

struct readarg {
	int64_t id;
	int64_t balance;
};

static int read_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct readarg *r = arg;
	struct acct a;
	int ret;

	memset(&a, 0, sizeof a);
	ret = store_get(t, &acct_schema, r->id, &a, err);
	r->balance = a.balance;
	acct_clear(&a);
	return ret;
}

static void test_snapshot_isolation(void **state)
{
	struct fix *f = *state;
	struct store_txn *snap, *snap2;
	struct acct a, got;
	struct kerr e;
	uint64_t n;

	memset(&got, 0, sizeof got);
	acct_init(&a, "S1", "Before", 100);
	assert_int_equal(insert_acct(f->st, &a, &e), 0);

	assert_int_equal(store_txn_begin(f->st, true, &snap, &e), 0);
	assert_ptr_equal(store_txn_store(snap), f->st);
	assert_int_equal(store_get(snap, &acct_schema, a.h.id, &got, &e), 0);
	assert_int_equal(got.balance, 100);

	/* a writer changes it and adds one while the snapshot is open */
	a.balance = 200;
	set_text(&a.name, "After");
	assert_int_equal(write1(f->st, &acct_schema, 'U', &a, &e), 0);
	struct acct b;
	acct_init(&b, "S2", "New", 1);
	assert_int_equal(insert_acct(f->st, &b, &e), 0);

	/* the snapshot still sees the old state */
	assert_int_equal(store_get(snap, &acct_schema, a.h.id, &got, &e), 0);
	assert_int_equal(got.balance, 100);
	assert_string_equal(got.name, "Before");
	assert_int_equal(got.h.version, 1);
	assert_int_equal(store_count(snap, &acct_schema, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_find_text(snap, &acct_schema, "code", "S2", &got,
					 &e), K_ENOTFOUND);

	/* a new snapshot sees the new one */
	assert_int_equal(store_txn_begin(f->st, true, &snap2, &e), 0);
	assert_int_equal(store_get(snap2, &acct_schema, a.h.id, &got, &e), 0);
	assert_int_equal(got.balance, 200);
	assert_string_equal(got.name, "After");
	assert_int_equal(store_count(snap2, &acct_schema, &n, &e), 0);
	assert_int_equal(n, 2);
	store_txn_abort(&snap2);

	/* writes are refused in a snapshot */
	assert_int_not_equal(store_update(snap, &acct_schema, &got, &e), 0);
	assert_int_not_equal(store_delete(snap, &acct_schema, &got, &e), 0);
	int64_t num;
	assert_int_not_equal(store_counter_next(snap, "x", &num, &e), 0);
	/* committing a read-only snapshot is fine */
	assert_int_equal(store_txn_commit(&snap, &e), 0);
	assert_null(snap);

	/* store_read runs its callback in a snapshot of the present */
	struct readarg r = { a.h.id, -1 };
	assert_int_equal(store_read(f->st, read_fn, &r, &e), 0);
	assert_int_equal(r.balance, 200);
	r.id = 999;
	assert_int_equal(store_read(f->st, read_fn, &r, &e), K_ENOTFOUND);
	acct_clear(&got);
	acct_clear(&a);
	acct_clear(&b);
}

/* ------------------------------------------------------------ versions */

/*
 * With MVCC a committed transaction stays in the transaction table (and
 * keeps a mutex) until the last page version it made leaves the cache,
 * and nothing but cache pressure or a later copy of the same page frees
 * versions.  Small commits that each change a page no other one changes
 * (here one note of every sixth, about five fit a page) in a cache that
 * is full pile up committed transactions, up to as many as the cache
 * has buffers.  DB_CONFIG must have room for them: with set_tx_max 1000
 * (no mutexes reserved for them) the 1,920th commit here failed with
 * "out of memory", as did every write and new transaction after it.
 *
 * Under valgrind the test is skipped: this many pages make Berkeley DB
 * split pages and evict them, and it logs and writes their unused bytes,
 * which Debian's build (without --enable-umrw) leaves uninitialised.
 */
struct note {
	struct store_rec h;
	char *text;
	int64_t n;
};

static const struct store_field note_fields[] = {
	{ 1, "text", SF_TEXT, offsetof(struct note, text), NULL, NULL },
	{ 2, "n", SF_INT, offsetof(struct note, n), NULL, NULL },
};
static const struct store_schema note_schema = {
	"note", 1, sizeof(struct note), note_fields, NELEM(note_fields),
	NULL, 0, 0,
};

#define V_CACHE (32LL << 20)     /* about 9,900 buffers of 4 KiB */
#define V_TEXT 600
#define V_NOTES 30000            /* 18 MB, and as much of audit rows */
#define V_BATCH 1000
#define V_STRIDE 6
#define V_COMMITS (V_NOTES / V_STRIDE)

struct vload {
	const char *text;
	int from, to;
};

static int vload_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct vload *l = arg;
	int ret;

	for (int i = l->from; i < l->to; i++) {
		struct note n = { .text = (char *)l->text, .n = i };
		if ((ret = store_insert(t, &note_schema, &n, err)))
			return ret;
	}
	return 0;
}

struct vbump {
	int64_t id;
	int64_t n;
};

static int vbump_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct vbump *b = arg;
	struct note n;
	int ret;

	memset(&n, 0, sizeof n);
	if ((ret = store_get(t, &note_schema, b->id, &n, err)) == 0) {
		n.n += 1000000;
		b->n = n.n;
		ret = store_update(t, &note_schema, &n, err);
	}
	store_rec_clear(&note_schema, &n);
	return ret;
}

static void test_committed_versions_fit(void **state)
{
	struct fix *f = *state;
	static const struct store_schema *const vschemas[] = { &note_schema };
	char home[700], path[800];
	struct store *st;
	struct store_txn *old, *t;
	struct store_txn_usage u;
	struct note n;
	struct kerr e;
	time_t t0 = time(NULL);
	struct store_opts o = {
		.home = home, .mode = STORE_CREATE, .login = "tester",
		.cache_bytes = V_CACHE, .wait_ms = 1000,
		.schemas = vschemas, .nschemas = 1,
	};
	char text[V_TEXT + 1];
	const char *preload = getenv("LD_PRELOAD");

	if (preload && strstr(preload, "vgpreload")) {
		print_message("# skipped under valgrind (see above)\n");
		skip();
	}
	memset(text, 'n', V_TEXT);
	text[V_TEXT] = 0;
	snprintf(home, sizeof home, "%s/versions", f->dir);
	kerr_clear(&e);
	assert_int_equal(store_open(&o, &st, &e), 0);
	store_close(&st);
	/* Commits without fsync, for speed: DB_CONFIG applies on reopening. */
	snprintf(path, sizeof path, "%s/DB_CONFIG", home);
	FILE *cf = fopen(path, "a");
	assert_non_null(cf);
	fputs("set_flags DB_TXN_WRITE_NOSYNC\n", cf);
	assert_int_equal(fclose(cf), 0);
	o.mode = STORE_ONEOFF;
	assert_int_equal(store_open(&o, &st, &e), 0);

	/* Notes 1 .. V_NOTES, written in a few big transactions. */
	for (int i = 0; i < V_NOTES; i += V_BATCH) {
		struct vload l = { text, i, i + V_BATCH };
		assert_int_equal(store_write(st, vload_fn, &l, &e), 0);
	}
	/* A snapshot reader keeps old versions for the first half. */
	assert_int_equal(store_txn_begin(st, true, &old, &e), 0);
	memset(&n, 0, sizeof n);
	assert_int_equal(store_get(old, &note_schema, 1, &n, &e), 0);
	store_rec_clear(&note_schema, &n);

	for (int i = 0; i < V_COMMITS; i++) {
		struct vbump b = { 1 + (int64_t)i * V_STRIDE, 0 };
		kerr_clear(&e);
		if (store_write(st, vbump_fn, &b, &e) != 0)
			fail_msg("commit %d of %d: %s", i + 1, V_COMMITS, e.msg);
		assert_int_equal(b.n, 1000000 + (int64_t)i * V_STRIDE);
		if (old && i == V_COMMITS / 2) {
			assert_int_equal(store_get(old, &note_schema, 1, &n,
						   &e), 0);
			assert_int_equal(n.n, 0);
			store_rec_clear(&note_schema, &n);
			store_txn_abort(&old);
		}
	}

	/* They piled up, and there is room for more. */
	assert_int_equal(store_txn_usage(st, &u, &e), 0);
	print_message("# %lu committed transactions own page versions "
		      "(table %lu), %ld s\n", u.versions, u.max,
		      (long)(time(NULL) - t0));
	assert_true(u.versions > 1000);
	assert_true(u.active + u.versions < u.max);
	assert_int_equal(store_txn_begin(st, false, &t, &e), 0);
	store_txn_abort(&t);
	struct vbump b = { 2, 0 };
	assert_int_equal(store_write(st, vbump_fn, &b, &e), 0);
	assert_int_equal(b.n, 1000001);
	store_close(&st);
}

/* ------------------------------------------------------------ counters */

struct ctr {
	const char *series;
	int64_t got[4];
	int n;
	int64_t set;      /* >0: counter_set first */
	bool fail;        /* return an error after taking */
};

static int ctr_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct ctr *c = arg;
	int ret;

	if (c->set && (ret = store_counter_set(t, c->series, c->set, err)))
		return ret;
	for (int i = 0; i < c->n; i++)
		if ((ret = store_counter_next(t, c->series, &c->got[i], err)))
			return ret;
	return c->fail ? kerr_set(err, K_EINVAL, NULL, "no") : 0;
}

static int64_t peek(struct store *st, const char *series)
{
	struct store_txn *t;
	struct kerr e;
	int64_t v = -1;

	assert_int_equal(store_txn_begin(st, true, &t, &e), 0);
	assert_int_equal(store_counter_peek(t, series, &v, &e), 0);
	store_txn_abort(&t);
	return v;
}

static void test_counters(void **state)
{
	struct fix *f = *state;
	struct kerr e;

	assert_int_equal(peek(f->st, "invoice"), 0);

	/* 1, 2, 3 for one series */
	struct ctr c = { .series = "invoice", .n = 3 };
	assert_int_equal(store_write(f->st, ctr_fn, &c, &e), 0);
	assert_int_equal(c.got[0], 1);
	assert_int_equal(c.got[1], 2);
	assert_int_equal(c.got[2], 3);
	assert_int_equal(peek(f->st, "invoice"), 4);

	/* another series starts at 1 by itself */
	struct ctr o = { .series = "order", .n = 1 };
	assert_int_equal(store_write(f->st, ctr_fn, &o, &e), 0);
	assert_int_equal(o.got[0], 1);
	/* a series whose name starts like another is its own */
	struct ctr o2 = { .series = "order2", .n = 1 };
	assert_int_equal(store_write(f->st, ctr_fn, &o2, &e), 0);
	assert_int_equal(o2.got[0], 1);

	/* taken in an aborted transaction: not consumed */
	struct ctr ab = { .series = "invoice", .n = 2, .fail = true };
	assert_int_equal(store_write(f->st, ctr_fn, &ab, &e), K_EINVAL);
	assert_int_equal(ab.got[0], 4);
	assert_int_equal(peek(f->st, "invoice"), 4);
	struct ctr again = { .series = "invoice", .n = 1 };
	assert_int_equal(store_write(f->st, ctr_fn, &again, &e), 0);
	assert_int_equal(again.got[0], 4);
	assert_int_equal(peek(f->st, "order"), 2);

	/* set then next */
	struct ctr s = { .series = "invoice", .n = 2, .set = 1000 };
	assert_int_equal(store_write(f->st, ctr_fn, &s, &e), 0);
	assert_int_equal(s.got[0], 1000);
	assert_int_equal(s.got[1], 1001);
	assert_int_equal(peek(f->st, "invoice"), 1002);
	/* back to 1 is allowed, below is not */
	struct ctr one = { .series = "order", .n = 1, .set = 1 };
	assert_int_equal(store_write(f->st, ctr_fn, &one, &e), 0);
	assert_int_equal(one.got[0], 1);
	struct ctr zero = { .series = "order", .n = 1, .set = -5 };
	assert_int_equal(store_write(f->st, ctr_fn, &zero, &e), K_ERANGE);
	assert_int_equal(peek(f->st, "order"), 2);

	/* the last number of a series */
	struct ctr end = { .series = "end", .n = 1, .set = INT64_MAX - 1 };
	assert_int_equal(store_write(f->st, ctr_fn, &end, &e), 0);
	assert_true(end.got[0] == INT64_MAX - 1);
	struct ctr over = { .series = "end", .n = 1 };
	assert_int_equal(store_write(f->st, ctr_fn, &over, &e), K_ERANGE);
}

/* ------------------------------------------------------------ admin */

static void test_verify_clean(void **state)
{
	struct fix *f = *state;
	struct acct a;
	struct kerr e;

	memset(&a, 0, sizeof a);
	/* an empty store, then one with data and history */
	assert_int_equal(verify(f->st), 0);
	seed(f->st, 50);
	assert_int_equal(get_acct(f->st, 7, &a, &e), 0);
	set_text(&a.name, "renamed");
	assert_int_equal(write1(f->st, &acct_schema, 'U', &a, &e), 0);
	assert_int_equal(write1(f->st, &acct_schema, 'D', &a, &e), 0);
	assert_int_equal(verify(f->st), 0);
	acct_clear(&a);

	/* the statistics name the tables */
	FILE *out = tmpfile();
	char buf[4096];
	assert_non_null(out);
	assert_int_equal(store_stat(f->st, out, &e), 0);
	rewind(out);
	size_t n = fread(buf, 1, sizeof buf - 1, out);
	buf[n] = 0;
	fclose(out);
	assert_non_null(strstr(buf, "acct"));
	assert_non_null(strstr(buf, "49"));
	assert_int_equal(store_checkpoint(f->st, false, NULL, &e), 0);
}

static void test_reopen(void **state)
{
	struct fix *f = *state;
	struct acct a, got;
	struct kerr e;
	struct store *st = NULL;
	char empty[1024];

	memset(&got, 0, sizeof got);
	acct_init(&a, "P1", CJK, 12345);
	assert_int_equal(insert_acct(f->st, &a, &e), 0);
	a.balance = 54321;
	assert_int_equal(write1(f->st, &acct_schema, 'U', &a, &e), 0);
	struct ctr c = { .series = "inv", .n = 2 };
	assert_int_equal(store_write(f->st, ctr_fn, &c, &e), 0);
	store_close(&f->st);
	assert_null(f->st);

	/* creating over it is refused; a clerk finds no daemon */
	assert_int_equal(open_home(f->home, STORE_CREATE, &st, &e), K_EEXIST);
	assert_null(st);
	assert_int_equal(open_home(f->home, STORE_CLERK, &st, &e), K_ENODAEMON);
	assert_int_equal(e.code, K_ENODAEMON);
	assert_null(st);

	/* reopened alone: everything is there */
	assert_int_equal(open_home(f->home, STORE_ONEOFF, &f->st, &e), 0);
	assert_true(store_is_alone(f->st));
	assert_int_equal(find_acct(f->st, "P1", &got, &e), 0);
	assert_int_equal(got.h.id, a.h.id);
	assert_string_equal(got.name, CJK);
	assert_int_equal(got.balance, 54321);
	assert_int_equal(got.h.version, 2);
	/* and it can be saved with the copy from before the reopen */
	a.balance = 1;
	assert_int_equal(write1(f->st, &acct_schema, 'U', &a, &e), 0);
	assert_int_equal(a.h.version, 3);
	/* new records get new ids, counters go on */
	struct acct b;
	acct_init(&b, "P2", "Second", 2);
	assert_int_equal(insert_acct(f->st, &b, &e), 0);
	assert_true(b.h.id > a.h.id);
	struct ctr c2 = { .series = "inv", .n = 1 };
	assert_int_equal(store_write(f->st, ctr_fn, &c2, &e), 0);
	assert_int_equal(c2.got[0], 3);
	struct hist h;
	assert_int_equal(history(f->st, &acct_schema, a.h.id, &h, &e), 0);
	assert_int_equal(h.n, 3);
	assert_int_equal(verify(f->st), 0);
	acct_clear(&got);
	acct_clear(&a);
	acct_clear(&b);

	/* no home at all */
	st = (struct store *)f;     /* must be reset */
	assert_int_equal(open_home(NULL, STORE_ONEOFF, &st, &e), K_EUSAGE);
	assert_null(st);
	assert_string_equal(e.field, "home");
	assert_int_equal(open_home("", STORE_CREATE, &st, &e), K_EUSAGE);
	assert_null(st);
	/* closing nothing is fine */
	store_close(&st);
	assert_null(st);
	struct store_txn *t = NULL;
	store_txn_abort(&t);
	struct store_cursor *c0 = NULL;
	store_cursor_close(&c0);

	/* folders without a database */
	sub_path(f, empty, sizeof empty, "empty");
	assert_int_equal(mkdir(empty, 0700), 0);
	assert_false(store_exists(empty));
	assert_int_equal(open_home(empty, STORE_ONEOFF, &st, &e), K_ENOTFOUND);
	assert_null(st);
	assert_int_equal(open_home(empty, STORE_CLERK, &st, &e), K_ENOTFOUND);
	assert_null(st);
	sub_path(f, empty, sizeof empty, "absent");
	assert_int_equal(open_home(empty, STORE_ONEOFF, &st, &e), K_ENOTFOUND);
	assert_null(st);
}

/*
 * store_opts.bulk (kontor demo --scale): only for a new database; what
 * the loader committed, snapshot reads included, is all there for the
 * next opener, which keeps page versions again.
 */
static void test_bulk(void **state)
{
	struct fix *f = *state;
	char home[1024];
	struct store *st = NULL;
	struct acct got;
	struct kerr e;
	struct store_opts o = {
		.mode = STORE_CREATE, .login = "tester",
		.cache_bytes = 8LL << 20, .wait_ms = 1000,
		.schemas = schemas, .nschemas = NELEM(schemas), .bulk = true,
	};

	memset(&got, 0, sizeof got);
	/* not for a database that is there */
	o.home = f->home;
	o.mode = STORE_ONEOFF;
	store_close(&f->st);
	kerr_clear(&e);
	assert_int_equal(store_open(&o, &st, &e), K_EINTERNAL);
	assert_null(st);
	assert_non_null(strstr(e.msg, "bulk"));

	sub_path(f, home, sizeof home, "bulk");
	o.home = home;
	o.mode = STORE_CREATE;
	assert_int_equal(store_open(&o, &st, &e), 0);
	/* 300 in one transaction, then a snapshot read: C001 .. C300 */
	seed(st, 300);
	assert_int_equal(count(st, &acct_schema), 300);
	assert_int_equal(find_acct(st, "C300", &got, &e), 0);
	assert_int_equal(got.balance, 30000);
	acct_clear(&got);
	store_close(&st);

	/* a normal opener finds them, and verify is clean */
	assert_int_equal(open_home(home, STORE_ONEOFF, &st, &e), 0);
	assert_int_equal(count(st, &acct_schema), 300);
	assert_int_equal(find_acct(st, "C150", &got, &e), 0);
	assert_int_equal(got.balance, 15000);
	acct_clear(&got);
	assert_int_equal(verify(st), 0);
	store_close(&st);
}

static void test_backup_restore(void **state)
{
	struct fix *f = *state;
	char bdir[1024], home2[1024], moved[128], path[1024], file[PATH_MAX];
	struct store *st2 = NULL;
	struct acct a, got;
	struct kerr e;

	memset(&got, 0, sizeof got);
	seed(f->st, 40);
	acct_init(&a, "B1", CJK, 777);
	assert_int_equal(insert_acct(f->st, &a, &e), 0);
	struct ctr c = { .series = "inv", .n = 3 };
	assert_int_equal(store_write(f->st, ctr_fn, &c, &e), 0);

	sub_path(f, bdir, sizeof bdir, "backup");
	assert_int_equal(store_backup(f->st, bdir, &e), 0);
	/* the original goes on after the backup */
	struct acct later;
	acct_init(&later, "LATER", "After the backup", 1);
	assert_int_equal(insert_acct(f->st, &later, &e), 0);

	/* a backup folder is never overwritten */
	assert_int_equal(store_backup(f->st, bdir, &e), K_EEXIST);
	/* nor is any non-empty folder */
	sub_path(f, path, sizeof path, "full");
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(file, sizeof file, "%s/keep.txt", path);
	FILE *kf = fopen(file, "w");
	assert_non_null(kf);
	fputs("precious\n", kf);
	fclose(kf);
	assert_int_equal(store_backup(f->st, path, &e), K_EEXIST);
	struct stat sb;
	assert_int_equal(stat(file, &sb), 0);

	/* restore into a new home and open it */
	sub_path(f, home2, sizeof home2, "home2");
	moved[0] = 'x';
	assert_int_equal(store_restore(home2, bdir, moved, sizeof moved, &e), 0);
	assert_string_equal(moved, "");
	assert_true(store_exists(home2));
	assert_int_equal(open_home(home2, STORE_ONEOFF, &st2, &e), 0);
	assert_int_equal(count(st2, &acct_schema), 41);
	assert_int_equal(find_acct(st2, "B1", &got, &e), 0);
	assert_int_equal(got.h.id, a.h.id);
	assert_string_equal(got.name, CJK);
	assert_int_equal(got.balance, 777);
	acct_clear(&got);
	assert_int_equal(find_acct(st2, "C040", &got, &e), 0);
	assert_int_equal(got.balance, 4000);
	acct_clear(&got);
	assert_int_equal(find_acct(st2, "LATER", &got, &e), K_ENOTFOUND);
	assert_int_equal(peek(st2, "inv"), 4);
	struct hist h;
	assert_int_equal(history(st2, &acct_schema, a.h.id, &h, &e), 0);
	assert_int_equal(h.n, 1);
	/* the restored store works: a new record does not reuse an id */
	struct acct n;
	acct_init(&n, "NEW", "New", 1);
	assert_int_equal(insert_acct(st2, &n, &e), 0);
	assert_true(n.h.id > a.h.id);
	assert_int_equal(verify(st2), 0);
	store_close(&st2);

	/* restoring over a home keeps what was there aside */
	assert_int_equal(store_restore(home2, bdir, moved, sizeof moved, &e), 0);
	assert_true(strncmp(moved, "pre-restore-", 12) == 0);
	snprintf(file, sizeof file, "%s/%s/data", home2, moved);
	assert_int_equal(stat(file, &sb), 0);
	assert_int_equal(open_home(home2, STORE_ONEOFF, &st2, &e), 0);
	assert_int_equal(find_acct(st2, "NEW", &got, &e), K_ENOTFOUND);
	assert_int_equal(count(st2, &acct_schema), 41);
	store_close(&st2);

	/* a folder that is no backup is refused */
	sub_path(f, path, sizeof path, "full");
	assert_int_equal(store_restore(home2, path, moved, sizeof moved, &e),
			 K_ENOTFOUND);
	acct_clear(&a);
	acct_clear(&later);
	acct_clear(&n);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_meta),
		T(test_insert_get_count),
		T(test_unique_duplicate_refused),
		T(test_unique_empty_not_indexed),
		T(test_update_moves_index),
		T(test_fold_index_order),
		T(test_delete),
		T(test_conflict),
		T(test_conflict_deleted_record),
		T(test_insert_then_update_same_txn),
		T(test_aborted_write_leaves_nothing),
		T(test_update_refused_is_atomic),
		T(test_history),
		T(test_cursor_walk),
		T(test_cursor_seek),
		T(test_cursor_paging),
		T(test_snapshot_isolation),
		T(test_committed_versions_fit),
		T(test_counters),
		T(test_verify_clean),
		T(test_reopen),
		T(test_bulk),
		T(test_backup_restore),
	};
#undef T

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
