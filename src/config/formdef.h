/*
 * formdef.h - screen definitions: forms/NAME.form and forms/menu.conf.
 *
 * An admin relabels, reorders or translates a screen by editing these
 * files; the screen engine (src/ui) draws what they say.  This reader
 * only checks what it can see in the files themselves: syntax, known
 * keys, types, ranges, positions inside an 80x24 screen, overlaps,
 * duplicate names and codes.  Whether a field exists in the entity's
 * schema and whether a hook name is known is checked one layer up
 * (ui/formcheck.c), with the line numbers kept here.  Every error is
 * K_ECONFIG with err->msg "FILE:LINE: what is wrong".  Only this folder
 * includes <libconfig.h>.
 *
 * A form file:
 *
 *   form = {
 *     code = "PA";                  # fast-path code: [A-Z][A-Z0-9]{0,7}, unique
 *     title = "Party";
 *     entity = "party";             # the domain entity (schema) it edits
 *     permission = "party";         # optional; default: the entity name.
 *                                   # the engine asks PERM.read/.create/.edit/.delete
 *     help = "What this screen is for.";
 *     label_width = 14;             # optional, 4..40: columns before inputs
 *     validate = "party_validate";  # optional record hook, run on save
 *     fields = (
 *       { name = "code"; label = "Code"; row = 1; col = 0; width = 12;
 *         required = true; upper = true; help = "Unique code."; },
 *       { name = "credit_limit"; label = "Credit limit"; row = 5; col = 0;
 *         width = 14; min = "0"; max = "99999999.99"; },
 *       { name = "status"; label = "Status"; row = 6; col = 40; width = 8;
 *         choices = [ "active", "blocked" ]; default = "active"; },
 *       { name = "email"; ...; pattern = "^[^@ ]+@[^@ ]+$"; },
 *       { name = "parent"; ...; lookup = "party"; },
 *       { name = "margin"; ...; readonly = true; on_change = "item_margin"; }
 *     );
 *     grid = {                      # optional: the record's line list
 *       field = "contacts";         # an SF_LIST field of the entity
 *       row = 12; rows = 5;         # first row of the heading, visible lines
 *       columns = (
 *         { name = "name"; heading = "Name"; width = 20; },
 *         { name = "amount"; heading = "Amount"; width = 12; total = "sum"; }
 *       );
 *     };
 *     list = {
 *       columns = ( { name = "code"; heading = "Code"; width = 12; }, ... );
 *       sorts = ( { index = "code"; label = "Code"; }, { index = "name"; label = "Name"; } );
 *     };
 *     actions = ( { name = "party_block"; label = "Block the party"; } );
 *   };
 *
 * Positions: row 0..FD_BODY_ROWS-1 and col 0..79 inside the body of an
 * 80x24 screen (the top line, message line and key line are the
 * engine's).  A field occupies columns [col, col + label_width + width)
 * of its row (label, then input).  A grid occupies rows
 * [row, row + rows + 2) (heading, lines, footer) across the width of
 * its columns (each column width + 1 separator).
 *
 * menu.conf:
 *
 *   menu = {
 *     title = "Kontor";
 *     items = (
 *       { title = "Masters"; key = "M"; items = (
 *           { title = "Parties"; form = "party"; },
 *           { title = "Items"; form = "item"; }
 *       ); },
 *       { title = "Reports"; key = "R"; items = (
 *           { title = "Parties"; report = "parties"; }
 *       ); },
 *       ...
 *     );
 *   };
 *
 * A menu item has exactly one of form (a form id: the file name
 * without ".form"), report (a report's name: kontor report list) or
 * items (a sub-menu); key (optional) is one character.  Whether the
 * report exists is checked one layer up (ui/formcheck.c).
 */
#ifndef KONTOR_CONFIG_FORMDEF_H
#define KONTOR_CONFIG_FORMDEF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/kerr.h"

#define FD_SCREEN_COLS 80
#define FD_BODY_ROWS 20          /* 24 lines less top, title, message, keys */

struct fd_field {
	char *name;           /* schema field name */
	char *label;
	char *help;           /* NULL when not given */
	char *def;            /* default text, NULL; "today" for dates */
	char *min, *max;      /* texts parsed by the field's type, or NULL */
	char *pattern;        /* POSIX extended regex, or NULL (compiled
				 once here to check it) */
	char *lookup;         /* entity name for F4, or NULL */
	char *on_change;      /* hook name, or NULL */
	char **choices;       /* allowed values, nchoices of them */
	size_t nchoices;
	int row, col, width;  /* width of the input in columns, 1..76 */
	int max_len;          /* characters, 0 = no limit */
	bool required, readonly, upper;
	int line;             /* where the field's group starts */
};

struct fd_column {
	char *name;           /* element (grid) or record (list) field */
	char *heading;
	char *total;          /* "sum", "count" or NULL (grid only) */
	int width;            /* 1..76 */
	bool readonly;
	bool upper;           /* letters typed become capitals (grid only) */
	char *lookup;         /* as fd_field.lookup (grid only) */
	int line;
};

struct fd_grid {
	char *field;          /* the SF_LIST field */
	int row, rows;        /* rows: visible lines, 1..FD_BODY_ROWS-2 */
	struct fd_column *cols;
	size_t ncols;
	char *diff[2];        /* difference = [ A, B ]: the footer shows
				 sum(A) - sum(B); NULL when not asked */
	int line;
};

struct fd_sort {
	char *index;          /* a store index name, or "id" for primary */
	char *label;
	int line;
};

struct fd_list {
	struct fd_column *cols;
	size_t ncols;
	struct fd_sort *sorts;
	size_t nsorts;
	int line;
};

struct fd_action {
	char *name;           /* hook name */
	char *label;
	int line;
};

struct formdef {
	char *file;           /* path as read */
	char *id;             /* file name without ".form" */
	char *code;           /* fast path */
	char *title;
	char *entity;
	char *permission;     /* the entity name when not given */
	char *help;           /* NULL when not given */
	char *validate;       /* hook name, or NULL */
	int label_width;      /* default 14 */
	struct fd_field *fields;
	size_t nfields;
	struct fd_grid *grid; /* NULL when none */
	struct fd_list list;  /* required: at least one column and sort */
	struct fd_action *actions;
	size_t nactions;
	int line;             /* of "form" */
	int entity_line, validate_line;  /* for errors one layer up */
};

struct fd_menu {
	char *title;
	char key;             /* 0 when not given */
	char *form;           /* NULL for a sub-menu or a report */
	char *report;         /* a report's name, or NULL */
	struct fd_menu *items;
	size_t nitems;
	char *file;           /* for errors one layer up (shared, not owned) */
	int line;
};

struct formset {
	char *dir;
	struct formdef *forms;   /* sorted by id */
	size_t nforms;
	struct fd_menu menu;     /* root: title, items */
};

/*
 * Reads one form file.  On error returns K_ECONFIG (err->msg
 * "FILE:LINE: ..."), K_EIO for a file that cannot be read, and *out is
 * untouched.
 */
int formdef_load(const char *path, struct formdef *out, struct kerr *err);
void formdef_free(struct formdef *f);

/*
 * Reads every *.form in dir (sorted by name) and dir/menu.conf.  Beyond
 * each file's own checks: two forms with one code, a menu item naming
 * a form that is not there.  The first error stops the load.
 */
int formset_load(const char *dir, struct formset *out, struct kerr *err);
void formset_free(struct formset *fs);

/* The form with this id or fast-path code (case-insensitive), or NULL. */
const struct formdef *formset_find(const struct formset *fs,
				   const char *id_or_code);

#endif
