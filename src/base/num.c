/*
 * num.c - integer money, prices and quantities.
 *
 * Amounts are int64_t scaled by powers of ten.  Products are taken in
 * __int128 and brought back through num_round_div(), the one place that
 * rounds (half away from zero).  Every operation checks for overflow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"

int64_t num_pow10(int scale)
{
	int64_t p = 1;

	if (scale < 0 || scale > 18)
		return 0;
	while (scale-- > 0)
		p *= 10;
	return p;
}

static bool num_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

static bool num_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Checks the integer part p[0..len) (digits, optionally grouped by ','
 * every three digits) and returns true when it is well formed.
 */
static bool num_groups_ok(const char *p, size_t len)
{
	size_t i, run = 0, groups = 0;
	bool grouped = memchr(p, ',', len) != NULL;

	if (!grouped)
		return true;
	for (i = 0; i < len; i++) {
		if (p[i] == ',') {
			/* first group 1..3 digits, the others exactly 3 */
			if (run == 0 || run > 3 || (groups > 0 && run != 3))
				return false;
			groups++;
			run = 0;
		} else {
			run++;
		}
	}
	return run == 3;
}

/*
 * The text is checked completely before its value is computed, so that
 * "12x" with a huge number of digits is reported as not a number rather
 * than as out of range.
 */
int num_parse(const char *s, int scale, int64_t *out, struct kerr *err)
{
	const char *b, *e, *p, *ip, *fp = NULL;
	size_t ilen = 0, flen = 0, i;
	bool neg = false, paren = false;
	unsigned __int128 mag = 0, limit;
	int tlen;

	if (scale < 0 || scale > NUM_MAX_SCALE)
		return kerr_set(err, K_EINVAL, "amount",
				_("number scale %d is out of range (0 to %d)"),
				scale, NUM_MAX_SCALE);
	if (s == NULL)
		return kerr_set(err, K_EINVAL, "amount", _("no number given"));

	for (b = s; num_is_blank(*b); b++)
		;
	for (e = b + strlen(b); e > b && num_is_blank(e[-1]); e--)
		;
	if (b == e)
		return kerr_set(err, K_EINVAL, "amount",
				_("no number given"));
	/* quote at most 200 bytes, not cutting a character in two */
	tlen = e - b > 200 ? 200 : (int)(e - b);
	while (tlen < e - b && tlen > 0 &&
	       ((unsigned char)b[tlen] & 0xC0) == 0x80)
		tlen--;

	p = b;
	if (*p == '(') {
		if (e[-1] != ')')
			goto unbalanced;
		paren = neg = true;
		p++;
		e--;
	} else if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	if (!paren && memchr(p, ')', e - p) != NULL)
		goto unbalanced;
	if (paren && memchr(p, '(', e - p) != NULL)
		goto unbalanced;

	/* integer part: digits and ',' */
	ip = p;
	while (p < e && (num_is_digit(*p) || *p == ','))
		p++;
	ilen = p - ip;
	if (p < e && *p == '.') {
		p++;
		fp = p;
		while (p < e && num_is_digit(*p))
			p++;
		flen = p - fp;
	}
	if (p < e) {
		if (*p == '.')
			return kerr_set(err, K_EINVAL, "amount",
					_("more than one decimal point in \"%.*s\""),
					tlen, b);
		if (*p == ',' && fp != NULL)
			return kerr_set(err, K_EINVAL, "amount",
					_("thousands separator after the decimal point in \"%.*s\""),
					tlen, b);
		return kerr_set(err, K_EINVAL, "amount",
				_("\"%.*s\" is not a number"), tlen, b);
	}
	if (ilen == 0 && flen == 0)
		return kerr_set(err, K_EINVAL, "amount",
				_("\"%.*s\" is not a number"), tlen, b);
	if (!num_groups_ok(ip, ilen))
		return kerr_set(err, K_EINVAL, "amount",
				_("misplaced thousands separator in \"%.*s\""),
				tlen, b);
	if (flen > (size_t)scale)
		return kerr_set(err, K_EINVAL, "amount",
				_("too many decimals in \"%.*s\" (at most %d)"),
				tlen, b, scale);

	/* value: stop as soon as it exceeds 2^63, the largest magnitude */
	limit = (unsigned __int128)INT64_MAX + (neg ? 1 : 0);
	for (i = 0; i < ilen && mag <= limit; i++)
		if (ip[i] != ',')
			mag = mag * 10 + (unsigned)(ip[i] - '0');
	for (i = 0; i < (size_t)scale && mag <= limit; i++)
		mag = mag * 10 + (i < flen ? (unsigned)(fp[i] - '0') : 0);
	if (mag > limit)
		return kerr_set(err, K_ERANGE, "amount",
				_("\"%.*s\" is out of range"), tlen, b);

	if (out != NULL) {
		if (neg)
			*out = mag == (unsigned __int128)INT64_MAX + 1 ?
			       INT64_MIN : -(int64_t)mag;
		else
			*out = (int64_t)mag;
	}
	return K_OK;

unbalanced:
	return kerr_set(err, K_EINVAL, "amount",
			_("unbalanced parentheses in \"%.*s\""), tlen, b);
}

/*
 * When buf cannot hold the text, or the scale is not 0..18, it is
 * filled with '#' (as a spreadsheet does), never with a cut number.
 */
char *num_format(int64_t v, int scale, bool group, char *buf, size_t n)
{
	char tmp[NUM_BUFSZ];
	char digits[24];
	uint64_t mag;
	size_t nd = 0, len = 0, i, intlen;

	if (buf == NULL || n == 0)
		return buf;
	if (scale < 0 || scale > 18)
		goto hashes;

	mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		digits[nd++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag != 0);
	/* at least one digit before the point */
	while (nd < (size_t)scale + 1)
		digits[nd++] = '0';

	if (v < 0)
		tmp[len++] = '-';
	intlen = nd - (size_t)scale;
	for (i = 0; i < intlen; i++) {
		if (group && i > 0 && (intlen - i) % 3 == 0)
			tmp[len++] = ',';
		tmp[len++] = digits[nd - 1 - i];
	}
	if (scale > 0) {
		tmp[len++] = '.';
		for (i = intlen; i < nd; i++)
			tmp[len++] = digits[nd - 1 - i];
	}
	tmp[len] = '\0';
	if (len + 1 > n)
		goto hashes;
	memcpy(buf, tmp, len + 1);
	return buf;

hashes:
	memset(buf, '#', n - 1);
	buf[n - 1] = '\0';
	return buf;
}

int num_add(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return K_ERANGE;
	*out = r;
	return K_OK;
}

int num_sub(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return K_ERANGE;
	*out = r;
	return K_OK;
}

int num_mul(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return K_ERANGE;
	*out = r;
	return K_OK;
}

int num_round_div(__int128 n, __int128 d, int64_t *out)
{
	unsigned __int128 ur, ud;
	__int128 q, r;

	if (d == 0)
		return K_EINVAL;
	if (d == -1) {
		/* n / -1 overflows __int128 for its minimum; negate by hand */
		if (n < -(__int128)INT64_MAX || n > (__int128)INT64_MAX + 1)
			return K_ERANGE;
		*out = n == (__int128)INT64_MAX + 1 ? INT64_MIN : (int64_t)-n;
		return K_OK;
	}
	q = n / d;
	r = n % d;
	if (r != 0) {
		ur = r < 0 ? (unsigned __int128)0 - (unsigned __int128)r :
			     (unsigned __int128)r;
		ud = d < 0 ? (unsigned __int128)0 - (unsigned __int128)d :
			     (unsigned __int128)d;
		/* ur >= ud / 2, written so that nothing overflows */
		if (ur >= ud - ur)
			q += (n < 0) == (d < 0) ? 1 : -1;
	}
	if (q < INT64_MIN || q > INT64_MAX)
		return K_ERANGE;
	*out = (int64_t)q;
	return K_OK;
}

/* scale_drop must be 0..18 (K_EINVAL otherwise). */
int num_mul_scaled(int64_t a, int64_t b, int scale_drop, int64_t *out)
{
	if (scale_drop < 0 || scale_drop > 18)
		return K_EINVAL;
	return num_round_div((__int128)a * b, num_pow10(scale_drop), out);
}

int num_mul_div(int64_t a, int64_t num, int64_t den, int64_t *out)
{
	return num_round_div((__int128)a * num, den, out);
}

/* Both scales must be 0..18 (K_EINVAL otherwise). */
int num_rescale(int64_t v, int from_scale, int to_scale, int64_t *out)
{
	if (from_scale < 0 || from_scale > 18 || to_scale < 0 ||
	    to_scale > 18)
		return K_EINVAL;
	if (to_scale >= from_scale)
		return num_mul(v, num_pow10(to_scale - from_scale), out);
	return num_round_div(v, num_pow10(from_scale - to_scale), out);
}

int num_allocate(int64_t total, size_t n, int64_t *parts)
{
	int64_t q, r, step;
	size_t i, extra;

	if (n < 1 || parts == NULL)
		return K_EINVAL;
	if (n > (size_t)INT64_MAX) {
		/* more parts than units: every part is 0 or one unit */
		q = 0;
		r = total;
	} else {
		q = total / (int64_t)n;
		r = total % (int64_t)n;
	}
	step = r < 0 ? -1 : 1;
	extra = r < 0 ? (size_t)0 - (size_t)r : (size_t)r;
	for (i = 0; i < n; i++)
		parts[i] = q + (i < extra ? step : 0);
	return K_OK;
}

struct num_rem {
	unsigned __int128 rem;
	size_t idx;
};

/* Largest remainder first; ties keep their order (earlier part first). */
static int num_rem_cmp(const void *a, const void *b)
{
	const struct num_rem *x = a, *y = b;

	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * Works on the magnitude of total: each part gets
 * floor(|total| * w / sum), then the units left over go one each to the
 * parts with the largest remainders.  A part with weight 0 has
 * remainder 0 and never gets one.  K_ENOMEM when the scratch array
 * cannot be allocated; parts is untouched on every error.
 */
int num_allocate_weighted(int64_t total, size_t n, const int64_t *weights,
			  int64_t *parts)
{
	unsigned __int128 sum = 0, mag, prod, given = 0, left;
	struct num_rem *rems;
	size_t i;

	if (n < 1 || weights == NULL || parts == NULL)
		return K_EINVAL;
	for (i = 0; i < n; i++) {
		if (weights[i] < 0)
			return K_EINVAL;
		if (__builtin_add_overflow(sum, (unsigned __int128)weights[i],
					   &sum))
			return K_ERANGE;
	}
	if (sum == 0)
		return K_EINVAL;

	rems = malloc(n * sizeof *rems);
	if (rems == NULL)
		return K_ENOMEM;
	mag = total < 0 ? (unsigned __int128)((uint64_t)0 - (uint64_t)total) :
			  (unsigned __int128)total;
	for (i = 0; i < n; i++) {
		prod = mag * (unsigned __int128)weights[i];
		rems[i].rem = prod % sum;
		rems[i].idx = i;
		given += prod / sum;
		parts[i] = (int64_t)(uint64_t)(prod / sum);
	}
	left = mag - given;
	qsort(rems, n, sizeof *rems, num_rem_cmp);
	for (i = 0; i < n && (unsigned __int128)i < left; i++)
		parts[rems[i].idx] = (int64_t)((uint64_t)parts[rems[i].idx] + 1);
	if (total < 0)
		for (i = 0; i < n; i++)
			parts[i] = (int64_t)((uint64_t)0 - (uint64_t)parts[i]);
	free(rems);
	return K_OK;
}
