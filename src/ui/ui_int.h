/*
 * ui_int.h - what the screens of the engine share: the terminal, the
 * frame (top line, message line, key line), prompts, and the screens
 * themselves.  Only src/ui includes curses.
 */
#ifndef KONTOR_UI_UI_INT_H
#define KONTOR_UI_UI_INT_H

#include <curses.h>
#include <panel.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/kerr.h"
#include "config/conf.h"
#include "config/formdef.h"
#include "config/perm.h"
#include "masters/entity.h"
#include "store/store.h"
#include "ui/edit.h"

enum ui_status {
	UI_OK = 0,
	UI_HANGUP,        /* leave every screen now: the terminal is gone */
};

enum ui_msgkind { MSG_INFO, MSG_ERROR };

/* Drawing roles: colours when the terminal has them, else attributes. */
enum ui_role {
	R_NORMAL, R_BAR, R_TITLE, R_LABEL, R_REQUIRED, R_INPUT, R_FOCUS,
	R_READONLY, R_ERROR, R_SELECT, R_HEADING, R_DIM,
};

#define UI_MAX_CRUMBS 12

struct ui {
	struct store *st;
	const struct kconf *conf;
	const struct perm_user *user;
	const char *home;
	struct formset fs;
	char **argv;                 /* to restart after an eviction */
	const char *crumbs[UI_MAX_CRUMBS];
	int ncrumbs;
	char msg[512];
	enum ui_msgkind msgkind;
	bool colour;
	/* Redraws the screen under a pop-up (after a resize). */
	void (*redraw)(void *arg);
	void *redraw_arg;
	/* The open form's state, for a draft when the process must leave. */
	void (*save_draft)(void *arg);
	void *save_draft_arg;
};

extern struct ui *U;
extern volatile sig_atomic_t ui_hup;

/* ------------------------------------------------------------ term.c */
int ui_term_start(struct kerr *err);
void ui_term_stop(void);
/* Reads the next key (signals, resize and hang-up become keys). */
void ui_getkey(struct ukey_ev *ev);
attr_t ui_attr(enum ui_role r);
/* Draws s at (y, x) cut and padded to exactly w columns. */
void ui_put(WINDOW *w, int y, int x, const char *s, int width,
	    enum ui_role r);
/* Same, aligned right. */
void ui_put_right(WINDOW *w, int y, int x, const char *s, int width,
		  enum ui_role r);
/* The top line, message line and key line around a screen's body. */
void ui_frame(const char *keys);
void ui_message(enum ui_msgkind k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ui_message_clear(void);
/* Pushes/pops a breadcrumb (the string must outlive the screen). */
void ui_crumb_push(const char *s);
void ui_crumb_pop(void);
/*
 * Asks a question on the message line; returns the answer key (one of
 * answers, lower case), or 0 for Back, or -1 on hang-up.
 */
int ui_ask(const char *question, const char *answers);
/*
 * Reads a line on the message line into buf (start text in buf).
 * Returns 1 on Enter, 0 on Back, -1 on hang-up.
 */
int ui_prompt(const char *label, char *buf, size_t n, enum edit_filter f);
/* True (after showing a notice) when the window is below 80x24. */
bool ui_too_small(void);
/* Rows of the body (between the top lines and the message line). */
int ui_body_rows(void);
#define UI_BODY_TOP 2

/* A pop-up window with a frame and a title, centred; NULL on failure. */
WINDOW *ui_popup(int h, int w, const char *title);
void ui_popup_close(WINDOW *w);
/* Redraws the screen under the pop-ups (the current screen's redraw). */
void ui_behind(void);

/* --------------------------------------------------------- screens */
int ui_menu_run(const struct fd_menu *root);
/*
 * Fast path: asks for a code ("PA" or "PA C0001") unless text is given,
 * checks the permission and opens the screen.
 */
int ui_goto(const char *text);
int ui_open_form_code(const struct formdef *fd, const char *code);
int ui_list(const struct formdef *fd);
/*
 * The form screen on record id (0: a new record).  Navigation moves
 * along the list's order `index` (NULL: code order).
 */
int ui_form(const struct formdef *fd, int64_t id, const char *index);
/*
 * The look-up pop-up over entity ent: returns 1 with the chosen code
 * in out, 0 when the clerk backed out, -1 on hang-up.
 */
int ui_lookup(const struct entity *ent, const char *start, char *out,
	      size_t n);
int ui_history(const struct entity *e, int64_t id, const char *title);
/* The F1 pop-up: the screen's help, the field's, then the key map. */
int ui_help(const char *title, const char *screen_help,
	    const char *field_label, const char *field_help);
/*
 * Checks every form against the entities and the hook table, and every
 * report the menu names against the program's reports.
 */
int ui_formcheck(struct formset *fs, struct kerr *err);
/* The permission a screen asks: "<form permission>.<what>". */
bool ui_allowed(const struct formdef *fd, const char *what);

/* ---------------------------------------------------------- viewer.c */
struct report;
/*
 * A report from the menu: its parameter screen (when it has
 * parameters), then the viewer over its text; F3 in the viewer goes
 * back to the parameters.  UI_OK or UI_HANGUP.
 */
int ui_report(const struct report *r);
/* True when the user may run r (its permission, else "report.NAME"). */
bool ui_report_allowed(const struct report *r);
/*
 * Called by ui_getkey() when nothing was typed for a while: at most
 * every 3 s, a failed print job of this user not yet shown goes to the
 * message line (MSG_ERROR) and is marked seen.  Cheap: one stat() of
 * the spool's failed/ folder unless it changed.
 */
void ui_print_watch(void);

/* ----------------------------------------------------------- drafts */
struct draft {
	int64_t id;                /* record id, 0 for a new record */
	uint32_t version;
	int64_t saved_us;
	char *code;                /* what the clerk typed as the code */
	char **names, **values;    /* field texts */
	size_t n;
	char **cells;              /* grid: nrows * ncols texts */
	size_t nrows, ncols;
};
/* Set when the clerk already said yes to a draft: the form restores it. */
extern bool ui_draft_accepted;
int draft_save(const char *form, const struct draft *d, struct kerr *err);
/* 0 and *d filled, or K_ENOTFOUND when no draft is kept. */
int draft_load(const char *form, struct draft *d, struct kerr *err);
void draft_remove(const char *form);
void draft_free(struct draft *d);

#endif
