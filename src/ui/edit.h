/*
 * edit.h - the keys of the one key map, and the line editor every input
 * uses (form fields, grid cells, prompts, type-ahead).  No curses here:
 * the editor is a model the screens draw, and the unit tests drive.
 */
#ifndef KONTOR_UI_EDIT_H
#define KONTOR_UI_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* What a key means, whatever the terminal sent for it. */
enum ukey {
	UK_NONE = 0,
	UK_CHAR,        /* a printable character: ev.ch */
	UK_HELP,        /* F1, Esc 1 */
	UK_SAVE,        /* F2, Esc 2 */
	UK_BACK,        /* F3, Esc 3, Esc Esc */
	UK_LOOKUP,      /* F4, Esc 4 */
	UK_NEW,         /* F5, Esc 5; in a grid: insert a line */
	UK_DELETE,      /* F6, Esc 6; in a grid: delete the line */
	UK_PREV,        /* F7, Esc 7: previous record */
	UK_NEXT,        /* F8, Esc 8: next record */
	UK_HISTORY,     /* F9, Esc 9 */
	UK_ACTIONS,     /* F10, Esc 0 */
	UK_GOTO,        /* Ctrl-G: fast path */
	UK_SEARCH,      /* Ctrl-F (and '/' in lists) */
	UK_SORT,        /* Ctrl-O: next sort order */
	UK_FILTER,      /* Ctrl-T */
	UK_ROWUP,       /* Ctrl-U: move the grid line up */
	UK_ROWDOWN,     /* Ctrl-D: move the grid line down */
	UK_REDRAW,      /* Ctrl-L */
	UK_UP, UK_DOWN, UK_LEFT, UK_RIGHT,
	UK_HOME, UK_END, UK_PGUP, UK_PGDN,
	UK_TAB, UK_BTAB, UK_ENTER,
	UK_BS, UK_DEL,
	UK_KILL,        /* Ctrl-K: delete to the end */
	UK_BOL,         /* Ctrl-A */
	UK_EOL,         /* Ctrl-E */
	UK_RESIZE,      /* the window changed size */
	UK_HANGUP,      /* the terminal is gone (SIGHUP, SIGTERM, EIO) */
	UK_IDLE,        /* nothing typed for a while */
};

struct ukey_ev {
	enum ukey k;
	wchar_t ch;
};

#define EDIT_MAX 1024              /* bytes of UTF-8 in one input */

/* Characters a field accepts as they are typed. */
enum edit_filter {
	EF_TEXT = 0,    /* anything printable */
	EF_CODE,        /* letters, digits, . _ - (upper-cased when EDIT_UPPER) */
	EF_INT,         /* digits and a leading minus */
	EF_AMOUNT,      /* digits, one '.', ',', leading minus */
	EF_DATE,        /* digits and '-' */
	EF_BOOL,        /* y n t f 0 1 and letters of yes/no/true/false */
};

struct edit {
	char buf[EDIT_MAX];
	char out[EDIT_MAX];  /* edit_text()'s trimmed copy */
	size_t len;        /* bytes */
	size_t cur;        /* byte offset of the cursor (a character start) */
	int scroll;        /* display column shown at the left edge */
	int width;         /* display columns of the input */
	int max_chars;     /* 0: no limit */
	enum edit_filter filter;
	bool upper;        /* ASCII letters typed become upper case */
	bool readonly;
	bool changed;      /* set by edits; the owner clears it */
	bool fresh;        /* just entered: the first character typed
			      replaces the text (as if it were selected) */
};

void edit_init(struct edit *e, int width, enum edit_filter f);
/*
 * Replaces the text (truncated at a character boundary if too long).
 * A bool input (EF_BOOL) takes y/n/1/0/t/f or Space (toggle) and shows
 * "yes" or "no".
 */
void edit_set(struct edit *e, const char *text);
/* The text without trailing blanks (valid until the next call). */
const char *edit_text(struct edit *e);
/*
 * Applies an editing key; returns true when the key was an editing key
 * (handled, even if refused), false when the owner should handle it.
 */
bool edit_key(struct edit *e, const struct ukey_ev *ev);
/*
 * What to draw: the visible part of the text, padded with blanks to
 * exactly e->width columns (a wide character that would be cut at
 * either edge is shown as a blank), and the cursor's column in it.
 */
void edit_view(struct edit *e, char *out, size_t n, int *cursor_col);

/* What an input shows when it does not have the cursor: its start. */
void edit_view_home(const struct edit *e, char *out, size_t n);

#endif
