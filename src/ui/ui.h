/*
 * ui.h - the screen engine, as the command line sees it.
 */
#ifndef KONTOR_UI_UI_H
#define KONTOR_UI_UI_H

#include "base/kerr.h"
#include "config/conf.h"
#include "config/formdef.h"
#include "config/perm.h"
#include "store/store.h"

/*
 * The forms folder: given (--forms), else $KONTOR_FORMS, else the
 * source tree's when this program was built there and not installed,
 * else the installed one (PKGDATADIR/forms).
 */
const char *ui_forms_dir(const char *given);

/*
 * Reads every form of dir and checks it against the program's entities
 * and hooks.  K_ECONFIG with "FILE:LINE: ..." on the first problem.
 */
int ui_forms_load(const char *dir, struct formset *fs, struct kerr *err);

struct ui_opts {
	struct store *st;
	const struct kconf *conf;
	const struct perm_user *user;
	const char *home;
	const char *forms_dir;
	const char *start;        /* fast-path text to open first, or NULL */
	char **argv;              /* to restart after an eviction */
};

/*
 * Runs the screens until the clerk quits (0), the terminal is gone
 * (129: SIGHUP or a read error; drafts kept, nothing half-written), or
 * the forms are broken (78, before the screen starts).
 */
int ui_run(const struct ui_opts *o, struct kerr *err);

#endif
