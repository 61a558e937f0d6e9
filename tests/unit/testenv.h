/*
 * testenv.h - the fixture of every unit test that needs a database: a
 * fresh temporary folder for each test, with a real Berkeley DB store
 * created in FOLDER/home (STORE_CREATE, login "tester", an 8 MiB
 * cache); the test gets it open, and teardown closes it and removes
 * the folder.  No mocks of the store: tests run against the real one.
 *
 * Use (after <cmocka.h>):
 *
 *	#include "../testenv.h"
 *
 *	static int setup(void **state)
 *	{
 *		static const struct testenv_opts o = { .name = "fin" };
 *		return testenv_setup(state, &o);
 *	}
 *
 *	static void test_something(void **state)
 *	{
 *		struct testenv *f = *state;
 *		... f->st (the open store), f->home, f->dir (scratch room) ...
 *	}
 *
 *	#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testenv_teardown)
 *
 * struct testenv_opts:
 *   name      the folder is $TMPDIR/kontor-test-NAME-XXXXXX ("unit")
 *   schemas   the tables to create, nschemas of them (NULL: every
 *             table of ent_schemas[], which is what kontor opens)
 *   load      called with the open store before the test runs, for
 *             data every test of the file needs (a chart of accounts,
 *             currencies); non-zero fails the setup.  arg is its own.
 *
 * The shipped data (the CSV files of data/) is loaded with
 * testenv_import() or, a list of files at once, testenv_import_all(),
 * usually from load:
 *
 *	static const struct testenv_file cn[] = {
 *		{ "currency", "currencies.csv" },
 *		{ "account", "chart-cn.csv" },
 *		{ NULL, NULL },
 *	};
 *
 *	static int load(struct store *st, void *arg)
 *	{
 *		(void)arg;
 *		return testenv_import_all(st, cn);
 *	}
 *
 * Also: testenv_open() opens (creating) another store, e.g. a second
 * home in f->dir for an export/import round trip; testenv_rm_rf()
 * removes a folder and what it holds; testenv_srcdir() is the source
 * tree ($TOP_SRCDIR under make check, else the configured one), for
 * data/ files.
 *
 * Everything is static inline: a test binary is one .c file.
 */
#ifndef KONTOR_TESTS_UNIT_TESTENV_H
#define KONTOR_TESTS_UNIT_TESTENV_H

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/kerr.h"
#include "masters/csvio.h"
#include "masters/entity.h"
#include "store/store.h"

struct testenv {
	char dir[512];            /* the test's temporary folder */
	char home[600];           /* dir/home: the store's */
	struct store *st;         /* open on home */
};

struct testenv_opts {
	const char *name;
	const struct store_schema *const *schemas;
	size_t nschemas;
	int (*load)(struct store *st, void *arg);
	void *arg;
};

/* Removes path, a folder with everything in it, or a file. */
static inline int testenv_rm_rf(const char *path)
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
			if (snprintf(sub, sizeof sub, "%s/%s", path,
				     de->d_name) >= (int)sizeof sub ||
			    testenv_rm_rf(sub))
				ret = -1;
		}
		closedir(d);
		return rmdir(path) ? -1 : ret;
	}
	return unlink(path);
}

/*
 * Opens the store in home, creating it, with schemas (NULL: every
 * entity's table); 0, or -1 after saying why on stderr.
 */
static inline int testenv_open(const char *home,
			       const struct store_schema *const *schemas,
			       size_t nschemas, struct store **st)
{
	struct store_opts o = {
		.home = home, .mode = STORE_CREATE, .login = "tester",
		.cache_bytes = 8LL << 20, .wait_ms = 1000,
		.schemas = schemas ? schemas : ent_schemas,
		.nschemas = schemas ? nschemas : ent_nschemas,
	};
	struct kerr e;

	kerr_clear(&e);
	if (store_open(&o, st, &e)) {
		fprintf(stderr, "open %s: %s\n", home, e.msg);
		return -1;
	}
	return 0;
}

/* A cmocka setup: *state becomes a struct testenv (o may be NULL). */
static inline int testenv_setup(void **state, const struct testenv_opts *o)
{
	struct testenv *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/kontor-test-%s-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp", o && o->name ? o->name : "unit");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->home, sizeof f->home, "%s/home", f->dir);
	if (testenv_open(f->home, o ? o->schemas : NULL, o ? o->nschemas : 0,
			 &f->st))
		goto fail;
	if (o && o->load && o->load(f->st, o->arg)) {
		fprintf(stderr, "%s: loading the test's data failed\n", f->home);
		store_close(&f->st);
		goto fail;
	}
	*state = f;
	return 0;
fail:
	testenv_rm_rf(f->dir);
	free(f);
	return -1;
}

/* The cmocka teardown: closes the store, removes the folder. */
static inline int testenv_teardown(void **state)
{
	struct testenv *f = *state;

	store_close(&f->st);
	testenv_rm_rf(f->dir);
	free(f);
	return 0;
}

/* The source tree: $TOP_SRCDIR (make check sets it), else SRCDIR. */
static inline const char *testenv_srcdir(void)
{
	const char *s = getenv("TOP_SRCDIR");

	return s && *s ? s : SRCDIR;
}

/*
 * Imports data/FILE of the source tree into the entity named entity
 * (csvio_import, no update); *rows (may be NULL) gets the rows written.
 * 0, or -1 after saying why on stderr (the file's problems first).
 */
static inline int testenv_import(struct store *st, const char *entity,
				 const char *file, unsigned long *rows)
{
	const struct entity *e = ent_find(entity);
	char path[PATH_MAX];
	unsigned long n = 0;
	struct kerr err;

	if (!e) {
		fprintf(stderr, "import %s: no entity %s\n", file, entity);
		return -1;
	}
	snprintf(path, sizeof path, "%s/data/%s", testenv_srcdir(), file);
	kerr_clear(&err);
	if (csvio_import(st, e, path, false, &n, stderr, &err)) {
		fprintf(stderr, "import %s into %s: %s\n", path, entity,
			err.msg);
		return -1;
	}
	if (rows)
		*rows = n;
	return 0;
}

/* A file of data/ and the entity it goes into, for testenv_import_all. */
struct testenv_file {
	const char *entity;
	const char *file;
};

/* Imports each file of list, up to { NULL }, in order; 0 or -1. */
static inline int testenv_import_all(struct store *st,
				     const struct testenv_file *list)
{
	for (; list->entity; list++)
		if (testenv_import(st, list->entity, list->file, NULL))
			return -1;
	return 0;
}

#endif
