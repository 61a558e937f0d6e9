/*
 * cfgutil.c - helpers both libconfig readers use (see cfgutil.h).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "config/cfgutil.h"

#define CFG_DEPTH_MAX 32          /* settings, for error paths */

void cfg_setting_path(const config_setting_t *s, char *buf, size_t n)
{
	const config_setting_t *chain[CFG_DEPTH_MAX];
	size_t depth = 0, len = 0, i;

	if (n == 0)
		return;
	buf[0] = '\0';
	while (s != NULL && !config_setting_is_root(s) &&
	       depth < CFG_DEPTH_MAX) {
		chain[depth++] = s;
		s = config_setting_parent(s);
	}
	for (i = depth; i-- > 0;) {
		const char *name = config_setting_name(chain[i]);
		int w;

		if (name != NULL)
			w = snprintf(buf + len, n - len, "%s%s",
				     len > 0 ? "." : "", name);
		else
			w = snprintf(buf + len, n - len, "[%d]",
				     config_setting_index(chain[i]));
		if (w < 0 || (size_t)w >= n - len)
			return;
		len += (size_t)w;
	}
}

const char *cfg_type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		return _("a group { ... }");
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
	case CONFIG_TYPE_FLOAT:
		return _("a number");
	case CONFIG_TYPE_STRING:
		return _("a string");
	case CONFIG_TYPE_BOOL:
		return _("true or false");
	case CONFIG_TYPE_ARRAY:
		return _("an array [ ... ]");
	case CONFIG_TYPE_LIST:
		return _("a list ( ... )");
	default:
		return _("nothing");
	}
}

const config_setting_t *cfg_unknown_key(const config_setting_t *g,
					const char *const *keys, char *known,
					size_t n)
{
	int i, count = config_setting_length(g);

	for (i = 0; i < count; i++) {
		const config_setting_t *s = config_setting_get_elem(g, i);
		const char *name = config_setting_name(s);
		size_t k, len = 0;

		for (k = 0; keys[k] != NULL; k++)
			if (name != NULL && strcmp(name, keys[k]) == 0)
				break;
		if (keys[k] != NULL)
			continue;
		if (n > 0)
			known[0] = '\0';
		for (k = 0; keys[k] != NULL && len < n; k++) {
			int w = snprintf(known + len, n - len, "%s%s",
					 k > 0 ? ", " : "", keys[k]);
			if (w < 0)
				break;
			len += (size_t)w;
		}
		return s;
	}
	return NULL;
}

bool cfg_no_controls(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

bool cfg_fits32(const char *start, const char *end)
{
	const char *q = start;
	unsigned long long v = 0, lim;
	bool neg = false;
	unsigned base = 10;

	if (*q == '-' || *q == '+')
		neg = *q++ == '-';
	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
		base = 16;
		q += 2;
	}
	if (base == 16)
		lim = 0xFFFFFFFFull;
	else
		lim = neg ? (unsigned long long)INT_MAX + 1 : INT_MAX;
	for (; q < end; q++) {
		unsigned dv = *q >= '0' && *q <= '9' ? (unsigned)(*q - '0') :
			      *q >= 'a' && *q <= 'f' ? (unsigned)(*q - 'a' + 10) :
			      (unsigned)(*q - 'A' + 10);

		v = v * base + dv;
		if (v > lim)
			return false;
	}
	return true;
}
