/*
 * num.h - integer money, prices and quantities.
 *
 * Every amount is an int64_t scaled by a power of ten:
 *   money      minor units of its currency (scale 2 for CNY, USD, EUR;
 *              scale 0 for JPY): 12.34 CNY is 1234
 *   unit price scale 4 (NUM_PRICE_SCALE): 1.2345 is 12345
 *   quantity   scale 3 (NUM_QTY_SCALE): 2.5 units is 2500
 *   rate       scale 6 (NUM_RATE_SCALE): exchange rates, percentages
 * Never double.  Products go through __int128 and are rounded in ONE
 * place, num_round_div(), half away from zero.
 */
#ifndef KONTOR_BASE_NUM_H
#define KONTOR_BASE_NUM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "base/kerr.h"

#define NUM_MONEY_SCALE 2
#define NUM_PRICE_SCALE 4
#define NUM_QTY_SCALE   3
#define NUM_RATE_SCALE  6
#define NUM_MAX_SCALE   9

/* Longest text num_format() writes, with its NUL. */
#define NUM_BUFSZ 40

/* Returns 10^scale for 0 <= scale <= 18. */
int64_t num_pow10(int scale);

/*
 * Parses decimal text into an integer with the given scale (0..9).
 * Accepts: optional leading/trailing blanks, a sign ('-' or '+'), or
 * a number in parentheses as negative ("(12.50)"), digits with or
 * without thousands separators (',' every three digits, checked), a '.'
 * and at most `scale` decimals.  More decimals than the scale is
 * K_EINVAL ("too many decimals"), never silent rounding; a value that
 * does not fit int64_t is K_ERANGE.  The empty string is K_EINVAL.
 * On error *out is untouched and err (may be NULL) says why.
 */
int num_parse(const char *s, int scale, int64_t *out, struct kerr *err);

/*
 * Formats v with `scale` decimals into buf (NUM_BUFSZ bytes is always
 * enough): "-1,234.50" when group is true, "-1234.50" otherwise.
 * Returns buf.
 */
char *num_format(int64_t v, int scale, bool group, char *buf, size_t n);

/* Checked arithmetic: 0, or K_ERANGE on overflow (then *out untouched). */
int num_add(int64_t a, int64_t b, int64_t *out);
int num_sub(int64_t a, int64_t b, int64_t *out);
int num_mul(int64_t a, int64_t b, int64_t *out);

/*
 * THE rounding function: *out = round(n / d), half away from zero.
 * d must be non-zero (K_EINVAL otherwise); K_ERANGE when the quotient
 * does not fit int64_t.
 */
int num_round_div(__int128 n, __int128 d, int64_t *out);

/*
 * *out = a * b / 10^scale_drop, rounded by num_round_div().
 * Typical: amount = qty(scale 3) * price(scale 4) -> money(scale 2):
 * num_mul_scaled(qty, price, 3 + 4 - 2, &amount).
 */
int num_mul_scaled(int64_t a, int64_t b, int scale_drop, int64_t *out);

/* *out = a * num / den, rounded by num_round_div(). */
int num_mul_div(int64_t a, int64_t num, int64_t den, int64_t *out);

/* Changes the scale of v (more decimals exact; fewer rounded). */
int num_rescale(int64_t v, int from_scale, int to_scale, int64_t *out);

/*
 * Splits total into n parts that add up exactly to total, as even as
 * possible; the first parts take the remainder, one minor unit each:
 * 100.00 over 3 is 33.34, 33.33, 33.33; -100.00 over 3 is -33.34,
 * -33.33, -33.33.  n must be >= 1.
 */
int num_allocate(int64_t total, size_t n, int64_t *parts);

/*
 * Splits total in proportion to weights (all >= 0, sum > 0), by the
 * largest remainder: parts add up exactly to total; ties go to the
 * earlier part.
 */
int num_allocate_weighted(int64_t total, size_t n, const int64_t *weights,
			  int64_t *parts);

#endif
