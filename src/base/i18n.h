/*
 * i18n.h - gettext markers.  Every message meant for people goes
 * through _() (or N_() where the string must stay a constant).
 */
#ifndef KONTOR_BASE_I18N_H
#define KONTOR_BASE_I18N_H

#include "config.h"

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#endif
#define N_(s) (s)

#endif
