/*
 * cfgutil.h - what kontor.conf (conf.c) and the form files (formdef.c)
 * share in reading libconfig files: the dotted name of a setting for
 * messages, what a setting is ("a string"), the first unknown key of a
 * group, text without control characters, and whether an integer
 * libconfig 1.5 reads without an L fits in 32 bits.  Each reader keeps
 * its own context, failure messages ("FILE:LINE: ...") and line finding.
 *
 * Inside src/config only: it includes <libconfig.h>.
 */
#ifndef KONTOR_CONFIG_CFGUTIL_H
#define KONTOR_CONFIG_CFGUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <libconfig.h>

/*
 * Writes the dotted name of setting s ("printing.width",
 * "users[1].login", "form.fields[2].width") into buf (n bytes; cut at
 * 32 levels or when buf is full).
 */
void cfg_setting_path(const config_setting_t *s, char *buf, size_t n);

/* What s is, translated, for "must be a string, not a number". */
const char *cfg_type_name(const config_setting_t *s);

/*
 * The first member of group g whose name is not in keys (a NULL-ended
 * list), or NULL when all are known; then known (n bytes) holds the
 * keys as "a, b, c" for the message.
 */
const config_setting_t *cfg_unknown_key(const config_setting_t *g,
					const char *const *keys, char *known,
					size_t n);

/* True when s has no control characters (C0 or DEL). */
bool cfg_no_controls(const char *s);

/*
 * True when the integer written from start to end (decimal, or hex
 * with 0x, an optional sign, no L) fits in an int as libconfig 1.5
 * reads it: decimal within INT_MIN..INT_MAX, hex within 32 bits.
 */
bool cfg_fits32(const char *start, const char *end);

#endif
