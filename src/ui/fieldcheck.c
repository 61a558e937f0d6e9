/*
 * fieldcheck.c - the form file's checks on one field.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/num.h"
#include "base/utf8.h"
#include "ui/fieldcheck.h"

int fc_scale(enum store_ftype t)
{
	switch (t) {
	case SF_MONEY: return NUM_MONEY_SCALE;
	case SF_QTY: return NUM_QTY_SCALE;
	case SF_PRICE: return NUM_PRICE_SCALE;
	case SF_RATE: return NUM_RATE_SCALE;
	default: return -1;
	}
}

enum edit_filter fc_filter(const struct fd_field *fd,
			   const struct store_field *sf)
{
	switch (sf->type) {
	case SF_INT:
		return EF_INT;
	case SF_DATE:
		return EF_DATE;
	case SF_MONEY: case SF_QTY: case SF_PRICE: case SF_RATE:
		return EF_AMOUNT;
	case SF_BOOL:
		return EF_BOOL;
	case SF_REF:
		return EF_CODE;
	default:
		return fd && fd->upper && !fd->nchoices ? EF_CODE : EF_TEXT;
	}
}

/* Parses text as a value of type t into *v; false when it is not one. */
static bool value_of(enum store_ftype t, const char *text, int64_t *v)
{
	int scale = fc_scale(t);

	if (scale >= 0)
		return num_parse(text, scale, v, NULL) == 0;
	if (t == SF_INT)
		return num_parse(text, 0, v, NULL) == 0;
	if (t == SF_DATE) {
		kdate d;
		if (date_parse(text, &d, NULL))
			return false;
		*v = d;
		return true;
	}
	return false;
}

int fc_compare(enum store_ftype t, const char *a, const char *b, bool *ok)
{
	int64_t x, y;

	if (t == SF_TEXT || t == SF_BOOL || t == SF_REF || t == SF_LIST) {
		*ok = true;
		return strcmp(a, b);
	}
	*ok = value_of(t, a, &x) && value_of(t, b, &y);
	if (!*ok)
		return 0;
	return x < y ? -1 : x > y;
}

static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int fc_check(const struct fd_field *fd, const struct store_field *sf,
	     const char *text, struct kerr *err)
{
	const char *label = fd->label;
	bool ok;

	if (!*text) {
		if (fd->required)
			return kerr_set(err, K_EINVAL, fd->name,
					_("%s is required"), label);
		return 0;
	}
	if (!utf8_valid(text, strlen(text)))
		return kerr_set(err, K_EINVAL, fd->name,
				_("%s: not valid UTF-8"), label);
	if (fd->max_len > 0 && chars(text) > (size_t)fd->max_len)
		return kerr_set(err, K_EINVAL, fd->name,
				_("%s: at most %d characters"), label,
				fd->max_len);
	if (fd->nchoices) {
		size_t i;
		for (i = 0; i < fd->nchoices; i++)
			if (strcmp(fd->choices[i], text) == 0)
				break;
		if (i == fd->nchoices) {
			char list[256] = "";
			size_t used = 0;
			for (i = 0; i < fd->nchoices && used + 2 < sizeof list; i++) {
				int w = snprintf(list + used, sizeof list - used,
						 "%s%s", i ? ", " : "", fd->choices[i]);
				if (w < 0)
					break;
				used += (size_t)w;
			}
			/* a list cut short ends with a whole character */
			used = strlen(list);
			while (used > 0 && !utf8_valid(list, used))
				list[--used] = '\0';
			return kerr_set(err, K_EINVAL, fd->name,
					_("%s must be one of: %s"), label, list);
		}
	}
	if (fc_scale(sf->type) >= 0 || sf->type == SF_INT ||
	    sf->type == SF_DATE) {
		int64_t v;
		struct kerr why;
		int scale = fc_scale(sf->type);
		if (scale >= 0 && num_parse(text, scale, &v, &why) &&
		    why.code == K_EINVAL && strstr(why.msg, "decimals"))
			/* say why: "too many decimals" beats "not an amount" */
			return kerr_set(err, K_EINVAL, fd->name, "%s: %s", label,
					why.msg);
		if (!value_of(sf->type, text, &v)) {
			if (sf->type == SF_DATE)
				return kerr_set(err, K_EINVAL, fd->name,
						_("%s: not a date (YYYY-MM-DD): %s"),
						label, text);
			return kerr_set(err, K_EINVAL, fd->name,
					sf->type == SF_INT ?
					_("%s: not a whole number: %s") :
					_("%s: not an amount: %s"), label, text);
		}
	}
	if (fd->pattern) {
		regex_t re;
		int m;
		if (regcomp(&re, fd->pattern, REG_EXTENDED | REG_NOSUB))
			return kerr_set(err, K_EINTERNAL, fd->name,
					_("%s: bad pattern"), label);
		m = regexec(&re, text, 0, NULL, 0);
		regfree(&re);
		if (m)
			return kerr_set(err, K_EINVAL, fd->name,
					_("%s: not in the expected form"), label);
	}
	if (fd->min && fc_compare(sf->type, text, fd->min, &ok) < 0 && ok)
		return kerr_set(err, K_EINVAL, fd->name,
				_("%s must be at least %s"), label, fd->min);
	if (fd->max && fc_compare(sf->type, text, fd->max, &ok) > 0 && ok)
		return kerr_set(err, K_EINVAL, fd->name,
				_("%s must be at most %s"), label, fd->max);
	return 0;
}
