/*
 * fuzz_form.c - the screen definitions' reader under a fuzzer.
 *
 * LLVMFuzzerTestOneInput() reads the input twice, as the admin's two
 * kinds of file:
 *
 *   - as a form: FOLDER/one/input.form with formdef_load(), then, when
 *     it reads, against the entities with ui_formcheck() (the check one
 *     layer up that the program runs at start);
 *   - as a menu, when it holds "menu" or "items": FOLDER/set/menu.conf
 *     with formset_load(), the folder holding a small stub form for
 *     each form id the shipped menu names (party, item, account, ...),
 *     then ui_formcheck();
 *
 * and checks what formdef.h promises:
 *
 *   - the result is 0 or K_ECONFIG, and on error *out is untouched;
 *   - every error is "FILE:LINE: what is wrong", FILE the file read,
 *     LINE inside it;
 *   - a form read is inside the 80x24 screen: rows, columns and widths
 *     in range, no two fields overlapping, the grid clear of the fields,
 *     columns fitting across, names and codes once each, labels and
 *     headings fitting, every text valid UTF-8 without control
 *     characters;
 *   - a menu read has items of exactly one kind (form, report or
 *     sub-menu), keys once each in a list, forms that exist, sub-menus
 *     at most 8 deep;
 *   - formdef_free() / formset_free() free everything (the sanitizer's
 *     leak check).
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/kerr.h"
#include "base/utf8.h"
#include "config/formdef.h"
#include "fuzz.h"
#include "masters/entity.h"

/* src/ui/ui_int.h (which includes curses): forms against the entities. */
int ui_formcheck(struct formset *fs, struct kerr *err);

const char fuzz_name[] = "fuzz_form";

static char one[PATH_MAX], form_path[PATH_MAX + 16];
static char set[PATH_MAX], menu_path[PATH_MAX + 16];

/*
 * The forms the shipped menu.conf names, each a stub of the entity of
 * that name: its first field, listed and sorted by id.
 */
static const char *const stubs[] = {
	"party", "item", "warehouse", "unit", "department", "series",
	"journal", "jtemplate", "account", "tax", "currency", "rate",
	"terms", "fyear", "period", "glrole",
};

static void setup(void)
{
	const char *dir = fuzz_dir();
	char p[PATH_MAX + 64], text[1024];

	snprintf(one, sizeof one, "%s/one", dir);
	snprintf(set, sizeof set, "%s/set", dir);
	if (mkdir(one, 0700) != 0 || mkdir(set, 0700) != 0)
		fuzz_fail("cannot make %s or %s", one, set);
	snprintf(form_path, sizeof form_path, "%s/input.form", one);
	snprintf(menu_path, sizeof menu_path, "%s/menu.conf", set);
	for (size_t i = 0; i < sizeof stubs / sizeof *stubs; i++) {
		const struct entity *e = ent_find(stubs[i]);
		const char *field;

		if (!e || e->schema->fields[0].type == SF_LIST)
			fuzz_fail("no entity %s for a stub form", stubs[i]);
		field = e->schema->fields[0].name;
		snprintf(p, sizeof p, "%s/%s.form", set, stubs[i]);
		snprintf(text, sizeof text,
			 "form = {\n"
			 "  code = \"Z%zu\"; title = \"%s\"; entity = \"%s\";\n"
			 "  fields = ( { name = \"%s\"; label = \"Field\";"
			 " row = 0; col = 0; width = 10; } );\n"
			 "  list = {\n"
			 "    columns = ( { name = \"%s\"; heading = \"Field\";"
			 " width = 10; } );\n"
			 "    sorts = ( { index = \"id\"; label = \"id\"; } );\n"
			 "  };\n"
			 "};\n", i, stubs[i], stubs[i], field, field);
		fuzz_write(p, text, strlen(text));
	}
}

/* ------------------------------------------------------------ checks */

/* A text the reader keeps: UTF-8 without control characters. */
static void check_text(const char *what, const char *s, bool may_be_null,
		       bool may_be_empty)
{
	if (!s) {
		if (!may_be_null)
			fuzz_fail("%s is NULL", what);
		return;
	}
	if (!s[0] && !may_be_empty)
		fuzz_fail("%s is empty", what);
	if (!utf8_valid(s, strlen(s)))
		fuzz_fail("%s is not valid UTF-8", what);
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fuzz_fail("%s holds a control character", what);
}

static void check_range(const char *what, long v, long lo, long hi)
{
	if (v < lo || v > hi)
		fuzz_fail("%s is %ld, outside %ld..%ld", what, v, lo, hi);
}

static void check_columns(const char *what, const struct fd_column *c,
			  size_t n, bool grid)
{
	int total = 0;

	if (n == 0 || !c)
		fuzz_fail("%s: no columns", what);
	for (size_t i = 0; i < n; i++) {
		check_text("column name", c[i].name, false, false);
		check_text("column heading", c[i].heading, false, true);
		check_range("column width", c[i].width, 1, 76);
		if (utf8_width(c[i].heading) > (size_t)c[i].width)
			fuzz_fail("heading \"%s\" wider than %d", c[i].heading,
				  c[i].width);
		total += c[i].width + 1;
		if (!grid && (c[i].total || c[i].lookup || c[i].readonly ||
			      c[i].upper))
			fuzz_fail("a list column with grid settings");
		if (c[i].total && strcmp(c[i].total, "sum") != 0 &&
		    strcmp(c[i].total, "count") != 0)
			fuzz_fail("total \"%s\"", c[i].total);
		check_text("column lookup", c[i].lookup, true, false);
		for (size_t j = 0; j < i; j++)
			if (strcmp(c[j].name, c[i].name) == 0)
				fuzz_fail("column \"%s\" twice", c[i].name);
		if (c[i].line < 1)
			fuzz_fail("column \"%s\" has line %d", c[i].name,
				  c[i].line);
	}
	if (total > FD_SCREEN_COLS)
		fuzz_fail("%s: columns %d wide", what, total);
}

/* What formdef.h promises of a form read without error. */
static void check_form(const struct formdef *f, const char *path)
{
	int lw = f->label_width;
	size_t n;

	if (!f->file || strcmp(f->file, path) != 0 || !f->id)
		fuzz_fail("file or id not kept");
	check_text("code", f->code, false, false);
	n = strlen(f->code);
	if (n > 8 || f->code[0] < 'A' || f->code[0] > 'Z')
		fuzz_fail("code \"%s\"", f->code);
	for (size_t i = 1; i < n; i++)
		if (!(f->code[i] >= 'A' && f->code[i] <= 'Z') &&
		    !(f->code[i] >= '0' && f->code[i] <= '9'))
			fuzz_fail("code \"%s\"", f->code);
	check_text("title", f->title, false, false);
	if (utf8_width(f->title) > FD_SCREEN_COLS)
		fuzz_fail("title too wide");
	check_text("entity", f->entity, false, false);
	check_text("permission", f->permission, false, false);
	check_text("help", f->help, true, false);
	check_text("validate", f->validate, true, false);
	check_range("label_width", lw, 4, 40);
	if (f->nfields == 0 || !f->fields)
		fuzz_fail("no fields");
	for (size_t i = 0; i < f->nfields; i++) {
		const struct fd_field *d = &f->fields[i];
		check_text("field name", d->name, false, false);
		check_text("field label", d->label, false, true);
		if (utf8_width(d->label) > (size_t)lw - 1)
			fuzz_fail("label \"%s\" wider than %d", d->label,
				  lw - 1);
		check_text("help", d->help, true, false);
		check_text("default", d->def, true, false);
		check_text("min", d->min, true, false);
		check_text("max", d->max, true, false);
		check_text("pattern", d->pattern, true, false);
		check_text("lookup", d->lookup, true, false);
		check_text("on_change", d->on_change, true, false);
		check_range("row", d->row, 0, FD_BODY_ROWS - 1);
		check_range("col", d->col, 0, FD_SCREEN_COLS - 1);
		check_range("width", d->width, 1, 76);
		check_range("max_len", d->max_len, 0, INT_MAX);
		if (d->col + lw + d->width > FD_SCREEN_COLS)
			fuzz_fail("field \"%s\" off the screen", d->name);
		if ((d->nchoices == 0) != (d->choices == NULL))
			fuzz_fail("choices and their count disagree");
		for (size_t k = 0; k < d->nchoices; k++) {
			check_text("choice", d->choices[k], false, false);
			for (size_t j = 0; j < k; j++)
				if (!strcmp(d->choices[j], d->choices[k]))
					fuzz_fail("choice twice");
		}
		if (d->def && d->nchoices) {
			size_t k;
			for (k = 0; k < d->nchoices; k++)
				if (!strcmp(d->choices[k], d->def))
					break;
			if (k == d->nchoices)
				fuzz_fail("default not a choice");
		}
		for (size_t j = 0; j < i; j++) {
			const struct fd_field *o = &f->fields[j];
			if (!strcmp(o->name, d->name))
				fuzz_fail("field \"%s\" twice", d->name);
			if (o->row == d->row && d->col < o->col + lw + o->width &&
			    o->col < d->col + lw + d->width)
				fuzz_fail("fields \"%s\" and \"%s\" overlap",
					  o->name, d->name);
		}
	}
	if (f->grid) {
		const struct fd_grid *g = f->grid;
		int last = g->row + g->rows + 1, width = 0;
		check_text("grid field", g->field, false, false);
		check_range("grid row", g->row, 0, FD_BODY_ROWS - 1);
		check_range("grid rows", g->rows, 1, FD_BODY_ROWS - 2);
		check_range("grid last row", last, 0, FD_BODY_ROWS - 1);
		check_columns("grid", g->cols, g->ncols, true);
		for (size_t i = 0; i < g->ncols; i++)
			width += g->cols[i].width + 1;
		for (size_t i = 0; i < f->nfields; i++)
			if (f->fields[i].row >= g->row &&
			    f->fields[i].row <= last && f->fields[i].col < width)
				fuzz_fail("the grid overlaps \"%s\"",
					  f->fields[i].name);
		if ((g->diff[0] == NULL) != (g->diff[1] == NULL))
			fuzz_fail("half a difference");
	}
	check_columns("list", f->list.cols, f->list.ncols, false);
	if (f->list.nsorts == 0 || !f->list.sorts)
		fuzz_fail("no sorts");
	for (size_t i = 0; i < f->list.nsorts; i++) {
		check_text("sort index", f->list.sorts[i].index, false, false);
		check_text("sort label", f->list.sorts[i].label, false, false);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(f->list.sorts[j].index,
				    f->list.sorts[i].index))
				fuzz_fail("sort twice");
	}
	for (size_t i = 0; i < f->nactions; i++) {
		check_text("action name", f->actions[i].name, false, false);
		check_text("action label", f->actions[i].label, false, false);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(f->actions[j].name, f->actions[i].name))
				fuzz_fail("action twice");
	}
}

/* What formdef.h promises of a menu (and its sub-menus) read. */
static void check_menu(const struct fd_menu *m, const struct formset *fs,
		       int depth)
{
	if (depth > 8)
		fuzz_fail("sub-menus %d deep", depth);
	check_text("menu title", m->title, false, false);
	if (utf8_width(m->title) > FD_SCREEN_COLS)
		fuzz_fail("menu title too wide");
	if (!m->file || strcmp(m->file, menu_path) != 0)
		fuzz_fail("menu file not kept");
	if ((m->nitems == 0) != (m->items == NULL))
		fuzz_fail("items and their count disagree");
	for (size_t i = 0; i < m->nitems; i++) {
		const struct fd_menu *it = &m->items[i];
		int kinds = (it->form != NULL) + (it->report != NULL) +
			    (it->nitems > 0);
		if (kinds != 1)
			fuzz_fail("menu item \"%s\" is %d things", it->title,
				  kinds);
		if (it->key && !((it->key >= 'A' && it->key <= 'Z') ||
				 (it->key >= '0' && it->key <= '9')))
			fuzz_fail("key %d", it->key);
		for (size_t j = 0; it->key && j < i; j++)
			if (m->items[j].key == it->key)
				fuzz_fail("key %c twice", it->key);
		if (it->form && !formset_find(fs, it->form))
			fuzz_fail("form \"%s\" not there", it->form);
		check_text("report", it->report, true, false);
		if (it->line < 1)
			fuzz_fail("menu item line %d", it->line);
		check_menu(it, fs, depth + 1);
	}
}

/* The error of a refused file: "FILE:LINE: ...", FILE being path. */
static void check_error(int ret, const struct kerr *err, const char *path)
{
	char file[PATH_MAX + 256];
	unsigned long line, lines;

	if (ret != K_ECONFIG)
		fuzz_fail("%s gave %d: %s", path, ret, err->msg);
	if (!fuzz_where(err->msg, file, sizeof file, &line))
		fuzz_fail("the error is not FILE:LINE: %s", err->msg);
	if (strcmp(file, path) != 0)
		fuzz_fail("the error names another file: %s", err->msg);
	lines = fuzz_lines(path);
	if (line > lines + 1)
		fuzz_fail("line %lu of a file of %lu lines: %s", line, lines,
			  err->msg);
}

/* True when the size bytes of data hold word. */
static bool holds(const uint8_t *data, size_t size, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= size; i++)
		if (memcmp(data + i, word, n) == 0)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct formdef f, untouched;
	struct formset fs, fs_untouched;
	struct kerr err;
	int ret;

	if (!one[0])
		setup();

	/* as a form */
	fuzz_write(form_path, data, size);
	memset(&f, 0x5a, sizeof f);
	untouched = f;
	kerr_clear(&err);
	ret = formdef_load(form_path, &f, &err);
	if (ret == 0) {
		struct formset alone;
		check_form(&f, form_path);
		memset(&alone, 0, sizeof alone);
		alone.forms = &f;
		alone.nforms = 1;
		kerr_clear(&err);
		if ((ret = ui_formcheck(&alone, &err)) != 0)
			check_error(ret, &err, form_path);
		fuzz_note("form %s: %s", f.code, ret ? err.msg : "checked");
		formdef_free(&f);
	} else {
		check_error(ret, &err, form_path);
		fuzz_note("form refused: %s", err.msg);
		if (memcmp(&f, &untouched, sizeof f) != 0)
			fuzz_fail("a refused form changed *out");
	}

	/* as a menu, when it may be one (reading the stubs takes time) */
	if (!holds(data, size, "menu") && !holds(data, size, "items"))
		return 0;
	fuzz_write(menu_path, data, size);
	memset(&fs, 0x5a, sizeof fs);
	fs_untouched = fs;
	kerr_clear(&err);
	ret = formset_load(set, &fs, &err);
	if (ret == 0) {
		if (fs.nforms != sizeof stubs / sizeof *stubs)
			fuzz_fail("%zu forms read", fs.nforms);
		for (size_t i = 0; i < fs.nforms; i++)
			if (formset_find(&fs, fs.forms[i].code) != &fs.forms[i])
				fuzz_fail("form %s not found by its code",
					  fs.forms[i].id);
		check_menu(&fs.menu, &fs, 1);
		kerr_clear(&err);
		if ((ret = ui_formcheck(&fs, &err)) != 0)
			check_error(ret, &err, menu_path);
		fuzz_note("menu of %zu items: %s", fs.menu.nitems,
			  ret ? err.msg : "checked");
		formset_free(&fs);
	} else {
		check_error(ret, &err, menu_path);
		fuzz_note("menu refused: %s", err.msg);
		if (memcmp(&fs, &fs_untouched, sizeof fs) != 0)
			fuzz_fail("a refused menu changed *out");
	}
	return 0;
}
