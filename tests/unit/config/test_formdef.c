/*
 * test_formdef.c - screen definitions: the .form files and menu.conf.
 *
 * Data files live in tests/unit/config/forms (found through $TEST_SRCDIR,
 * the project's tests/ folder, else SRCDIR "/tests"):
 *   good/      a valid set: menu.conf, party.form (every key), item.form
 *   bad/       one form file per mistake, read with formdef_load()
 *   menus/     one menu.conf per mistake; each is read as the menu.conf
 *              of a temporary folder next to links to good/'s forms
 *   dupcode/   two forms with one code
 *   nomenu/    a form and no menu.conf
 * Every error case checks the exact "FILE:LINE: " and a word of the
 * message.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/kerr.h"
#include "config/formdef.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define PATH_MAX_LEN 1024

/* The tests/ folder of the source tree. */
static const char *tests_dir(void)
{
	const char *d = getenv("TEST_SRCDIR");

	return d != NULL && d[0] != '\0' ? d : SRCDIR "/tests";
}

/* The path of data file name (relative to forms/) into buf. */
static const char *data_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/unit/config/forms/%s", tests_dir(), name);
	return buf;
}

/*
 * Checks that msg is "PATH:LINE: ..." with word somewhere after the
 * prefix.
 */
static void assert_msg(const char *msg, const char *path, unsigned line,
		       const char *word)
{
	char head[PATH_MAX_LEN + 32];
	size_t hl;

	snprintf(head, sizeof head, "%s:%u: ", path, line);
	hl = strlen(head);
	if (strncmp(msg, head, hl) != 0)
		fail_msg("want \"%s...\", got \"%s\"", head, msg);
	if (strstr(msg + hl, word) == NULL)
		fail_msg("want \"%s\" in \"%s\"", word, msg + hl);
}

/* True when every byte of the n at p is b. */
static bool all_bytes(const void *p, size_t n, unsigned char b)
{
	const unsigned char *q = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (q[i] != b)
			return false;
	return true;
}

/* --------------------------------------------------------- temp folders */

/* A temporary folder of links to data files. */
struct tmpset {
	char dir[256];
	char links[8][PATH_MAX_LEN];
	size_t nlinks;
};

/*
 * Makes t->dir and links in it: pairs of (data file, name in the
 * folder), ending with NULL.
 */
static void tmpset_make(struct tmpset *t, const char *const *pairs)
{
	const char *tmp = getenv("TMPDIR");
	char src[PATH_MAX_LEN], dst[PATH_MAX_LEN];

	memset(t, 0, sizeof *t);
	if (tmp == NULL || tmp[0] == '\0' || strlen(tmp) > 200)
		tmp = "/tmp";
	snprintf(t->dir, sizeof t->dir, "%s/kfd.XXXXXX", tmp);
	if (mkdtemp(t->dir) == NULL)
		fail_msg("mkdtemp %s: %s", t->dir, strerror(errno));
	for (; pairs[0] != NULL && t->nlinks < 8; pairs += 2) {
		data_path(src, sizeof src, pairs[0]);
		snprintf(dst, sizeof dst, "%s/%s", t->dir, pairs[1]);
		if (symlink(src, dst) != 0)
			fail_msg("symlink %s: %s", dst, strerror(errno));
		memcpy(t->links[t->nlinks], dst, sizeof dst);
		t->nlinks++;
	}
}

/* Removes what tmpset_make made. */
static void tmpset_remove(struct tmpset *t)
{
	size_t i;

	for (i = 0; i < t->nlinks; i++)
		unlink(t->links[i]);
	if (t->dir[0] != '\0')
		rmdir(t->dir);
	memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------ NULL and empty */

static void test_null_inputs(void **state)
{
	struct formdef f;
	struct formset fs;
	struct kerr err;

	(void)state;
	formdef_free(NULL);
	formset_free(NULL);
	memset(&f, 0, sizeof f);
	formdef_free(&f);
	memset(&fs, 0, sizeof fs);
	formset_free(&fs);
	assert_null(formset_find(NULL, "party"));
	assert_null(formset_find(&fs, NULL));
	assert_null(formset_find(&fs, "party"));

	kerr_clear(&err);
	assert_int_equal(formdef_load(NULL, &f, &err), K_EINTERNAL);
	assert_int_equal(formdef_load("x.form", NULL, &err), K_EINTERNAL);
	assert_int_equal(formset_load(NULL, &fs, &err), K_EINTERNAL);
	assert_int_equal(formset_load("forms", NULL, NULL), K_EINTERNAL);
}

/* ------------------------------------------------------------ the good */

/* Checks the good set's party form, every key of it. */
static void assert_party(const struct formdef *f, const char *path)
{
	const struct fd_field *d;
	const struct fd_column *c;

	assert_string_equal(f->file, path);
	assert_string_equal(f->id, "party");
	assert_string_equal(f->code, "PA");
	assert_string_equal(f->title, "Party");
	assert_string_equal(f->entity, "party");
	assert_string_equal(f->permission, "party");    /* the default */
	assert_string_equal(f->help, "Customers and suppliers.");
	assert_string_equal(f->validate, "party_validate");
	assert_int_equal(f->label_width, 13);
	assert_int_equal(f->line, 2);
	assert_int_equal(f->entity_line, 5);
	assert_int_equal(f->validate_line, 8);

	assert_int_equal(f->nfields, 6);
	d = &f->fields[0];
	assert_string_equal(d->name, "code");
	assert_string_equal(d->label, "Code");
	assert_string_equal(d->help, "Unique code.");
	assert_int_equal(d->row, 0);
	assert_int_equal(d->col, 0);
	assert_int_equal(d->width, 12);
	assert_int_equal(d->max_len, 12);
	assert_true(d->required);
	assert_true(d->upper);
	assert_false(d->readonly);
	assert_null(d->def);
	assert_null(d->min);
	assert_null(d->max);
	assert_null(d->pattern);
	assert_null(d->lookup);
	assert_null(d->on_change);
	assert_null(d->choices);
	assert_int_equal(d->nchoices, 0);
	assert_int_equal(d->line, 10);

	d = &f->fields[1];
	assert_string_equal(d->name, "name");
	assert_int_equal(d->row, 1);
	assert_int_equal(d->width, 40);
	assert_int_equal(d->max_len, 120);              /* 120L */
	assert_null(d->help);
	assert_int_equal(d->line, 12);

	d = &f->fields[2];
	assert_string_equal(d->name, "status");
	assert_int_equal(d->row, 0);
	assert_int_equal(d->col, 40);
	assert_int_equal(d->width, 8);
	assert_int_equal(d->nchoices, 2);
	assert_string_equal(d->choices[0], "active");
	assert_string_equal(d->choices[1], "blocked");
	assert_string_equal(d->def, "active");
	assert_false(d->required);
	assert_int_equal(d->max_len, 0);

	d = &f->fields[3];
	assert_string_equal(d->name, "email");
	assert_string_equal(d->pattern, "^[^@ ]+@[^@ ]+$");

	d = &f->fields[4];
	assert_string_equal(d->name, "parent");
	assert_string_equal(d->lookup, "party");
	assert_int_equal(d->row, 3);

	d = &f->fields[5];
	assert_string_equal(d->name, "credit_limit");
	assert_string_equal(d->label, "Credit limit");
	assert_int_equal(d->row, 3);
	assert_int_equal(d->col, 40);
	assert_int_equal(d->width, 14);
	assert_string_equal(d->min, "0");
	assert_string_equal(d->max, "99999999.99");
	assert_true(d->readonly);
	assert_string_equal(d->on_change, "party_credit");
	assert_int_equal(d->line, 22);

	assert_non_null(f->grid);
	assert_string_equal(f->grid->field, "contacts");
	assert_int_equal(f->grid->row, 5);
	assert_int_equal(f->grid->rows, 5);
	assert_int_equal(f->grid->line, 26);
	assert_int_equal(f->grid->ncols, 4);
	c = f->grid->cols;
	assert_string_equal(c[0].name, "name");
	assert_string_equal(c[0].heading, "Name");
	assert_int_equal(c[0].width, 20);
	assert_null(c[0].total);
	assert_null(c[0].lookup);
	assert_false(c[0].readonly);
	assert_int_equal(c[0].line, 30);
	assert_string_equal(c[1].name, "phone");
	assert_string_equal(c[1].lookup, "phone");
	assert_string_equal(c[2].name, "calls");
	assert_string_equal(c[2].total, "count");
	assert_true(c[2].readonly);
	assert_int_equal(c[2].line, 32);
	assert_string_equal(c[3].name, "amount");
	assert_string_equal(c[3].heading, "Amount");
	assert_int_equal(c[3].width, 12);
	assert_string_equal(c[3].total, "sum");

	assert_int_equal(f->list.line, 37);
	assert_int_equal(f->list.ncols, 2);
	assert_string_equal(f->list.cols[0].name, "code");
	assert_string_equal(f->list.cols[0].heading, "Code");
	assert_int_equal(f->list.cols[0].width, 12);
	assert_null(f->list.cols[0].total);
	assert_string_equal(f->list.cols[1].name, "name");
	assert_int_equal(f->list.cols[1].width, 40);
	assert_int_equal(f->list.cols[1].line, 40);
	assert_int_equal(f->list.nsorts, 2);
	assert_string_equal(f->list.sorts[0].index, "code");
	assert_string_equal(f->list.sorts[0].label, "Code");
	assert_int_equal(f->list.sorts[0].line, 42);
	assert_string_equal(f->list.sorts[1].index, "name");
	assert_string_equal(f->list.sorts[1].label, "Name");
	assert_int_equal(f->list.sorts[1].line, 43);

	assert_int_equal(f->nactions, 2);
	assert_string_equal(f->actions[0].name, "party_block");
	assert_string_equal(f->actions[0].label, "Block the party");
	assert_int_equal(f->actions[0].line, 46);
	assert_string_equal(f->actions[1].name, "party_merge");
	assert_string_equal(f->actions[1].label, "Merge into another");
}

/* Checks the good set's item form: the defaults. */
static void assert_item(const struct formdef *f, const char *path)
{
	assert_string_equal(f->file, path);
	assert_string_equal(f->id, "item");
	assert_string_equal(f->code, "IT");
	assert_string_equal(f->title, "Item 物料");
	assert_string_equal(f->entity, "item");
	assert_string_equal(f->permission, "stock");
	assert_null(f->help);
	assert_null(f->validate);
	assert_int_equal(f->validate_line, 0);
	assert_int_equal(f->label_width, 14);           /* the default */
	assert_int_equal(f->nfields, 2);
	assert_int_equal(f->fields[0].width, 10);       /* 0xA */
	assert_true(f->fields[0].required);             /* TRUE */
	assert_string_equal(f->fields[1].name, "descr");
	assert_string_equal(f->fields[1].label, "描述 Descr.");
	assert_string_equal(f->fields[1].def, "today");
	assert_int_equal(f->fields[1].width, 50);
	assert_int_equal(f->fields[1].max_len, 0);
	assert_null(f->grid);
	assert_int_equal(f->list.ncols, 1);
	assert_int_equal(f->list.nsorts, 1);
	assert_string_equal(f->list.sorts[0].index, "id");
	assert_int_equal(f->nactions, 0);
	assert_null(f->actions);
}

static void test_good_set(void **state)
{
	char dir[PATH_MAX_LEN], path[PATH_MAX_LEN], menu[PATH_MAX_LEN];
	const struct fd_menu *m, *sub;
	struct formset fs;
	struct kerr err;
	int rc;

	(void)state;
	kerr_clear(&err);
	data_path(dir, sizeof dir, "good");
	rc = formset_load(dir, &fs, &err);
	if (rc != 0)
		fail_msg("%s", err.msg);
	assert_string_equal(fs.dir, dir);

	/* sorted by id; README is not a form */
	assert_int_equal(fs.nforms, 2);
	data_path(path, sizeof path, "good/item.form");
	assert_item(&fs.forms[0], path);
	data_path(path, sizeof path, "good/party.form");
	assert_party(&fs.forms[1], path);

	/* the menu tree */
	data_path(menu, sizeof menu, "good/menu.conf");
	m = &fs.menu;
	assert_string_equal(m->title, "Kontor");
	assert_string_equal(m->file, menu);
	assert_int_equal(m->line, 2);
	assert_int_equal(m->key, 0);
	assert_null(m->form);
	assert_int_equal(m->nitems, 2);
	sub = &m->items[0];
	assert_string_equal(sub->title, "Masters");
	assert_int_equal(sub->key, 'M');                /* "m" */
	assert_null(sub->form);
	assert_int_equal(sub->line, 5);
	assert_ptr_equal(sub->file, m->file);
	assert_int_equal(sub->nitems, 2);
	assert_string_equal(sub->items[0].title, "Parties");
	assert_int_equal(sub->items[0].key, 'P');
	assert_string_equal(sub->items[0].form, "party");
	assert_int_equal(sub->items[0].nitems, 0);
	assert_null(sub->items[0].items);
	assert_int_equal(sub->items[0].line, 6);
	assert_ptr_equal(sub->items[0].file, m->file);
	assert_string_equal(sub->items[1].title, "Items");
	assert_int_equal(sub->items[1].key, 0);
	assert_string_equal(sub->items[1].form, "item");
	assert_int_equal(sub->items[1].line, 7);
	assert_string_equal(m->items[1].title, "Items again");
	assert_int_equal(m->items[1].key, '2');
	assert_string_equal(m->items[1].form, "item");
	assert_int_equal(m->items[1].line, 9);

	formset_free(&fs);
	assert_null(fs.forms);
	assert_int_equal(fs.nforms, 0);
	formset_free(&fs);                  /* twice is harmless */
}

static void test_good_trailing_slash(void **state)
{
	char dir[PATH_MAX_LEN], path[PATH_MAX_LEN];
	struct formset fs;
	struct kerr err;

	(void)state;
	data_path(dir, sizeof dir, "good/");
	assert_int_equal(formset_load(dir, &fs, &err), 0);
	data_path(path, sizeof path, "good/party.form");
	assert_string_equal(fs.forms[1].file, path);
	data_path(path, sizeof path, "good/menu.conf");
	assert_string_equal(fs.menu.file, path);
	formset_free(&fs);
}

static void test_good_form_alone(void **state)
{
	char path[PATH_MAX_LEN];
	struct formdef f;
	struct kerr err;

	(void)state;
	data_path(path, sizeof path, "good/party.form");
	assert_int_equal(formdef_load(path, &f, &err), 0);
	assert_party(&f, path);
	formdef_free(&f);
	assert_null(f.fields);
	assert_null(f.grid);
	formdef_free(&f);

	data_path(path, sizeof path, "good/item.form");
	assert_int_equal(formdef_load(path, &f, NULL), 0);
	assert_item(&f, path);
	formdef_free(&f);

	/* libconfig takes a comment only with a line break after it: the
	 * reader gives the file one */
	data_path(path, sizeof path, "edge/comment_last.form");
	assert_int_equal(formdef_load(path, &f, &err), 0);
	assert_string_equal(f.code, "C");
	formdef_free(&f);

	/* the form of a bad set is good on its own */
	data_path(path, sizeof path, "dupcode/b.form");
	assert_int_equal(formdef_load(path, &f, &err), 0);
	assert_string_equal(f.id, "b");
	assert_string_equal(f.code, "DUP");
	assert_int_equal(f.line, 2);
	formdef_free(&f);
}

static void test_empty_menu(void **state)
{
	static const char *const pairs[] = {
		"menus/empty.conf", "menu.conf", NULL
	};
	struct tmpset t;
	struct formset fs;
	struct kerr err;
	int rc;

	(void)state;
	tmpset_make(&t, pairs);
	kerr_clear(&err);
	rc = formset_load(t.dir, &fs, &err);
	tmpset_remove(&t);
	if (rc != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(fs.nforms, 0);
	assert_string_equal(fs.menu.title, "Kontor");
	assert_int_equal(fs.menu.nitems, 0);
	assert_null(formset_find(&fs, "party"));
	formset_free(&fs);
}

/* report = "NAME": read as given (whether it exists is one layer up). */
static void test_menu_report(void **state)
{
	static const char *const pairs[] = {
		"good/party.form", "party.form",
		"good/item.form", "item.form",
		"menus/report.conf", "menu.conf", NULL
	};
	const struct fd_menu *m, *sub;
	struct tmpset t;
	struct formset fs;
	struct kerr err;
	int rc;

	(void)state;
	tmpset_make(&t, pairs);
	kerr_clear(&err);
	rc = formset_load(t.dir, &fs, &err);
	tmpset_remove(&t);
	if (rc != 0)
		fail_msg("%s", err.msg);
	m = &fs.menu;
	assert_int_equal(m->nitems, 3);
	assert_string_equal(m->items[0].form, "party");
	assert_null(m->items[0].report);
	sub = &m->items[1];
	assert_null(sub->form);
	assert_null(sub->report);
	assert_int_equal(sub->key, 'R');
	assert_int_equal(sub->nitems, 2);
	assert_string_equal(sub->items[0].title, "Party list");
	assert_int_equal(sub->items[0].key, 'P');
	assert_string_equal(sub->items[0].report, "parties");
	assert_null(sub->items[0].form);
	assert_null(sub->items[0].items);
	assert_int_equal(sub->items[0].nitems, 0);
	assert_int_equal(sub->items[0].line, 7);
	assert_ptr_equal(sub->items[0].file, m->file);
	assert_string_equal(sub->items[1].report, "items");
	assert_int_equal(sub->items[1].line, 8);
	assert_string_equal(m->items[2].report, "accounts");
	assert_null(m->items[2].form);
	assert_int_equal(m->items[2].line, 10);
	formset_free(&fs);
	assert_null(fs.menu.items);
}

static void test_find(void **state)
{
	char dir[PATH_MAX_LEN];
	struct formset fs;
	struct kerr err;

	(void)state;
	data_path(dir, sizeof dir, "good");
	assert_int_equal(formset_load(dir, &fs, &err), 0);
	assert_ptr_equal(formset_find(&fs, "party"), &fs.forms[1]);
	assert_ptr_equal(formset_find(&fs, "item"), &fs.forms[0]);
	assert_ptr_equal(formset_find(&fs, "PA"), &fs.forms[1]);
	assert_ptr_equal(formset_find(&fs, "pa"), &fs.forms[1]);
	assert_ptr_equal(formset_find(&fs, "It"), &fs.forms[0]);
	/* ids are exact, codes whole */
	assert_null(formset_find(&fs, "Party"));
	assert_null(formset_find(&fs, "P"));
	assert_null(formset_find(&fs, "PAX"));
	assert_null(formset_find(&fs, ""));
	assert_null(formset_find(&fs, "order"));
	formset_free(&fs);
}

/* ------------------------------------------------------ unreadable files */

static void test_missing_file(void **state)
{
	char path[PATH_MAX_LEN], want[PATH_MAX_LEN + 32];
	struct formdef f;
	struct kerr err;

	(void)state;
	memset(&f, 0xA5, sizeof f);
	data_path(path, sizeof path, "bad/no-such.form");
	assert_int_equal(formdef_load(path, &f, &err), K_EIO);
	snprintf(want, sizeof want, "%s: cannot read: ", path);
	assert_memory_equal(err.msg, want, strlen(want));
	assert_true(all_bytes(&f, sizeof f, 0xA5));

	/* a folder is no form file */
	data_path(path, sizeof path, "good");
	assert_int_equal(formdef_load(path, &f, &err), K_EIO);
	snprintf(want, sizeof want, "%s: cannot read: ", path);
	assert_memory_equal(err.msg, want, strlen(want));
	assert_true(all_bytes(&f, sizeof f, 0xA5));
}

static void test_set_missing_dir(void **state)
{
	char dir[PATH_MAX_LEN], want[PATH_MAX_LEN + 32];
	struct formset fs;
	struct kerr err;

	(void)state;
	memset(&fs, 0xA5, sizeof fs);
	data_path(dir, sizeof dir, "no-such-folder");
	assert_int_equal(formset_load(dir, &fs, &err), K_EIO);
	snprintf(want, sizeof want, "%s: cannot read: ", dir);
	assert_memory_equal(err.msg, want, strlen(want));
	assert_non_null(strstr(err.msg, strerror(ENOENT)));
	assert_true(all_bytes(&fs, sizeof fs, 0xA5));
}

static void test_set_no_menu(void **state)
{
	char dir[PATH_MAX_LEN], want[PATH_MAX_LEN + 32];
	struct formset fs;
	struct kerr err;

	(void)state;
	memset(&fs, 0xA5, sizeof fs);
	data_path(dir, sizeof dir, "nomenu");
	assert_int_equal(formset_load(dir, &fs, &err), K_EIO);
	snprintf(want, sizeof want, "%s/menu.conf: cannot read: ", dir);
	assert_memory_equal(err.msg, want, strlen(want));
	assert_true(all_bytes(&fs, sizeof fs, 0xA5));
}

/* ------------------------------------------------------- set mistakes */

static void test_set_dup_code(void **state)
{
	char dir[PATH_MAX_LEN], a[PATH_MAX_LEN], b[PATH_MAX_LEN];
	char want[3 * PATH_MAX_LEN];
	struct formset fs;
	struct kerr err;

	(void)state;
	memset(&fs, 0xA5, sizeof fs);
	data_path(dir, sizeof dir, "dupcode");
	data_path(a, sizeof a, "dupcode/a.form");
	data_path(b, sizeof b, "dupcode/b.form");
	assert_int_equal(formset_load(dir, &fs, &err), K_ECONFIG);
	/* b.form is read second; the message names both files and lines */
	assert_msg(err.msg, b, 5, "code \"DUP\"");
	snprintf(want, sizeof want, "%s:3", a);
	assert_non_null(strstr(err.msg, want));
	assert_string_equal(err.field, "form.code");
	assert_true(all_bytes(&fs, sizeof fs, 0xA5));
	assert_int_equal(formset_load(dir, &fs, NULL), K_ECONFIG);
}

static void test_set_bad_form(void **state)
{
	static const char *const pairs[] = {
		"good/party.form", "party.form",
		"good/item.form", "item.form",
		"bad/overlap.form", "zz.form",
		"good/menu.conf", "menu.conf", NULL
	};
	char path[PATH_MAX_LEN];
	struct tmpset t;
	struct formset fs;
	struct kerr err;
	int rc;

	(void)state;
	tmpset_make(&t, pairs);
	memset(&fs, 0xA5, sizeof fs);
	rc = formset_load(t.dir, &fs, &err);
	snprintf(path, sizeof path, "%s/zz.form", t.dir);
	tmpset_remove(&t);
	assert_int_equal(rc, K_ECONFIG);
	assert_msg(err.msg, path, 8, "overlaps");
	assert_true(all_bytes(&fs, sizeof fs, 0xA5));
}

/* Hidden files and files not ending in .form are not forms. */
static void test_set_skips(void **state)
{
	static const char *const pairs[] = {
		"good/party.form", "party.form",
		"bad/syntax.form", ".party.form",
		"bad/syntax.form", "party.form~",
		"bad/syntax.form", "party.form.bak",
		"good/item.form", "item.form",
		"good/menu.conf", "menu.conf", NULL
	};
	struct tmpset t;
	struct formset fs;
	struct kerr err;
	int rc;

	(void)state;
	tmpset_make(&t, pairs);
	rc = formset_load(t.dir, &fs, &err);
	tmpset_remove(&t);
	if (rc != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(fs.nforms, 2);
	assert_string_equal(fs.forms[0].id, "item");
	assert_string_equal(fs.forms[1].id, "party");
	formset_free(&fs);
}

/* ------------------------------------------------------ bad form files */

struct bad_case {
	const char *file;      /* under forms/bad/, without .form */
	unsigned line;
	const char *word;      /* in the message after "FILE:LINE: " */
};

#define BAD_CASES(X) \
	/* the text and its syntax */ \
	X("syntax", 4, "syntax error: \"=\" expected, not \"thing\"") \
	X("syntax_string", 3, "syntax error: a setting or \"}\" expected, " \
	  "not \"title\"") \
	X("syntax_late", 7, "syntax error") \
	X("syntax_array", 7, "syntax error: a number, string") \
	X("dup_setting", 4, "duplicate setting") \
	X("choices_mixed", 7, "mismatched element type") \
	X("unterminated", 3, "no closing \"") \
	X("int_wrap", 6, "4294967296 does not fit in 32 bits") \
	X("include", 4, "@include is not allowed") \
	X("nul", 4, "NUL byte") \
	X("no_form", 1, "no form = { ... }") \
	/* unknown keys */ \
	X("top_key", 13, "unknown setting \"version\"") \
	X("form_key", 4, "unknown setting \"form.titel\"") \
	X("field_key", 7, "unknown setting \"form.fields[0].widht\"") \
	X("grid_key", 10, "unknown setting \"form.grid.lines\"") \
	X("column_key", 11, "unknown setting \"form.grid.columns[0].totl\"") \
	X("list_column_total", 10, \
	  "unknown setting \"form.list.columns[1].total\"") \
	X("list_key", 10, "unknown setting \"form.list.sort\"") \
	X("sort_key", 11, "unknown setting \"form.list.sorts[1].name\"") \
	X("action_key", 8, "unknown setting \"form.actions[0].hook\"") \
	/* required keys */ \
	X("no_code", 1, "form has no code") \
	X("no_entity", 1, "form has no entity") \
	X("no_list", 1, "form has no list") \
	X("field_no_width", 7, "form.fields[1] has no width") \
	X("column_no_heading", 10, "form.list.columns[0] has no heading") \
	X("sort_no_label", 10, "form.list.sorts[0] has no label") \
	X("grid_no_columns", 8, "form.grid has no columns") \
	/* types */ \
	X("title_type", 3, "form.title must be a string, not a number") \
	X("row_type", 7, "row must be a whole number, not a string") \
	X("col_float", 6, "col must be a whole number, not a number") \
	X("required_type", 7, "required must be true or false") \
	X("choices_type", 7, "choices must be an array") \
	X("choices_elem", 7, "choices[0] must be a string") \
	X("choices_empty", 7, "choices must not be empty") \
	X("min_type", 7, "min must be a string, not a number") \
	X("fields_type", 5, "form.fields must be a list") \
	X("field_not_group", 6, "form.fields[0] must be a group") \
	X("fields_empty", 5, "form.fields must not be empty") \
	X("sorts_empty", 10, "form.list.sorts must not be empty") \
	X("actions_type", 8, "form.actions must be a list") \
	/* ranges */ \
	X("row_range", 6, "row must be between 0 and 19, not 20") \
	X("col_range", 6, "col must be between 0 and 79, not -1") \
	X("width_range", 6, "width must be between 1 and 76, not 0") \
	X("width_int64", 7, "between 1 and 76, not 4294967306") \
	X("label_width_range", 5, "label_width must be between 4 and 40") \
	X("rows_range", 10, "form.grid.rows must be between 1 and 18") \
	X("max_len_range", 7, "max_len must be between 0 and") \
	X("column_width", 9, "width must be between 1 and 76, not 77") \
	/* positions */ \
	X("offscreen", 7, "field \"b\" is off the screen") \
	X("grid_wide", 13, "are 82 columns wide") \
	X("grid_past", 11, "the grid takes rows 15 to 20") \
	X("list_wide", 11, "are 81 columns wide") \
	X("overlap", 8, "field \"c\" (row 2, columns 23 to 46) overlaps " \
	  "field \"a\" of line 6") \
	X("overlap_grid", 9, "overlaps field \"b\" of line 7") \
	X("label_wide", 6, "label \"A much too long label\" is 21 columns") \
	X("heading_wide", 9, "heading \"Description\" is 11 columns") \
	/* duplicates */ \
	X("dup_field", 9, "field \"a\" is defined twice (first on line 6)") \
	X("dup_column", 11, "column \"a\" is listed twice") \
	X("dup_choice", 10, "choice \"red\" is listed twice") \
	X("dup_sort", 11, "sort by \"id\" is listed twice") \
	X("dup_action", 9, "action \"t_go\" is listed twice") \
	/* values */ \
	X("code_syntax", 2, "\"1T\" is not a fast-path code") \
	X("code_long", 2, "\"PARTYCODE\" is not a fast-path code") \
	X("total_bad", 11, "must be \"sum\" or \"count\", not \"avg\"") \
	X("pattern_bad", 7, "pattern \"([a-z]\" is not a regular expression") \
	X("utf8_bad", 3, "form.title is not valid UTF-8") \
	X("control", 3, "form.title contains a control character") \
	X("control_choice", 8, "choices[1] contains a control character") \
	X("empty_entity", 4, "form.entity must not be empty") \
	X("default_choice", 8, "default \"z\" is not one of its choices")

/* Loads the bad form of the case (in *state) and checks the message. */
static void test_bad(void **state)
{
	const struct bad_case *bc = *state;
	char name[128], path[PATH_MAX_LEN];
	struct formdef f;
	struct kerr err;

	snprintf(name, sizeof name, "bad/%s.form", bc->file);
	data_path(path, sizeof path, name);
	kerr_clear(&err);
	memset(&f, 0xA5, sizeof f);
	assert_int_equal(formdef_load(path, &f, &err), K_ECONFIG);
	assert_int_equal(err.code, K_ECONFIG);
	assert_msg(err.msg, path, bc->line, bc->word);
	assert_true(all_bytes(&f, sizeof f, 0xA5));
	/* the same without a kerr */
	assert_int_equal(formdef_load(path, &f, NULL), K_ECONFIG);
	assert_true(all_bytes(&f, sizeof f, 0xA5));
}

/* err->field names the setting. */
static void test_bad_field(void **state)
{
	static const struct {
		const char *file, *field;
	} cases[] = {
		{ "bad/width_range.form", "form.fields[0].width" },
		{ "bad/dup_field.form", "form.fields[2].name" },
		{ "bad/control_choice.form", "form.fields[0].choices[1]" },
		{ "bad/no_code.form", "form" },
		{ "bad/column_key.form", "form.grid.columns[0].totl" },
		{ "bad/int_wrap.form", "" },
	};
	char path[PATH_MAX_LEN];
	struct formdef f;
	struct kerr err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		data_path(path, sizeof path, cases[i].file);
		assert_int_equal(formdef_load(path, &f, &err), K_ECONFIG);
		assert_string_equal(err.field, cases[i].field);
	}
}

/* ------------------------------------------------------ bad menu files */

struct menu_case {
	const char *file;      /* under forms/menus/, without .conf */
	unsigned line;
	const char *word;
	struct tmpset t;       /* the folder it is read from */
};

#define MENU_CASES(X) \
	X("syntax", 5, "syntax error") \
	X("no_menu", 1, "no menu = { ... }") \
	X("top_key", 5, "unknown setting \"menus\"") \
	X("menu_key", 3, "unknown setting \"menu.help\"") \
	X("no_items", 1, "menu has no items") \
	X("items_type", 3, "menu.items must be a list") \
	X("item_key", 6, "unknown setting \"menu.items[1].fom\"") \
	X("no_title", 5, "menu.items[0].items[0] has no title") \
	X("title_ctrl", 4, "contains a control character") \
	X("missing_form", 6, "there is no form \"order\"") \
	X("both", 5, "\"Masters\" has both form and items") \
	X("neither", 5, "\"Masters\" has neither form nor items") \
	X("sub_empty", 5, "menu.items[0].items must not be empty") \
	X("bad_key", 4, "must be one letter (A to Z) or digit, not \"F2\"") \
	X("key_type", 5, "key must be a string, not a number") \
	X("dup_key", 7, "key \"P\" of \"Prices\" is taken by \"Parties\" " \
	  "on line 4") \
	X("sub_dup_key", 6, "key \"1\" of \"Items\" is taken by \"Parties\" " \
	  "on line 5") \
	X("deep", 11, "nest deeper than 8 levels") \
	X("report_form", 6, "\"Party list\" has both report and form") \
	X("report_items", 6, "\"Reports\" has both report and items") \
	X("report_empty", 4, "menu.items[0].report must not be empty") \
	X("report_type", 7, "menu.items[1].items[0].report must be a string")

/* Makes the folder of a menu case: the good forms and the menu. */
static int menu_setup(void **state)
{
	struct menu_case *mc = *state;
	char menu[256];
	const char *pairs[] = {
		"good/party.form", "party.form",
		"good/item.form", "item.form",
		menu, "menu.conf", NULL
	};

	snprintf(menu, sizeof menu, "menus/%s.conf", mc->file);
	tmpset_make(&mc->t, pairs);
	return 0;
}

static int menu_teardown(void **state)
{
	struct menu_case *mc = *state;

	tmpset_remove(&mc->t);
	return 0;
}

/* Loads the folder of a menu case and checks the message. */
static void test_bad_menu(void **state)
{
	struct menu_case *mc = *state;
	char path[PATH_MAX_LEN + 16];
	struct formset fs;
	struct kerr err;

	snprintf(path, sizeof path, "%s/menu.conf", mc->t.dir);
	kerr_clear(&err);
	memset(&fs, 0xA5, sizeof fs);
	assert_int_equal(formset_load(mc->t.dir, &fs, &err), K_ECONFIG);
	assert_msg(err.msg, path, mc->line, mc->word);
	assert_true(all_bytes(&fs, sizeof fs, 0xA5));
	assert_int_equal(formset_load(mc->t.dir, &fs, NULL), K_ECONFIG);
}

/* ---------------------------------------------------------------- main */

/* One test per bad file, named after it. */
#define BAD_TEST(f, l, w) \
	{ .name = "bad form " f, .test_func = test_bad, \
	  .initial_state = &(struct bad_case){ f, l, w } },
#define MENU_TEST(f, l, w) \
	{ .name = "bad menu " f, .test_func = test_bad_menu, \
	  .setup_func = menu_setup, .teardown_func = menu_teardown, \
	  .initial_state = &(struct menu_case){ f, l, w, { "", { "" }, 0 } } },

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_inputs),
		cmocka_unit_test(test_good_set),
		cmocka_unit_test(test_good_trailing_slash),
		cmocka_unit_test(test_good_form_alone),
		cmocka_unit_test(test_empty_menu),
		cmocka_unit_test(test_menu_report),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_set_missing_dir),
		cmocka_unit_test(test_set_no_menu),
		cmocka_unit_test(test_set_dup_code),
		cmocka_unit_test(test_set_bad_form),
		cmocka_unit_test(test_set_skips),
		BAD_CASES(BAD_TEST)
		cmocka_unit_test(test_bad_field),
		MENU_CASES(MENU_TEST)
	};

	return cmocka_run_group_tests_name("formdef", tests, NULL, NULL);
}
