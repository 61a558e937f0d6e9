/*
 * gl_layout.h - the layouts of the financial statements (balance sheet,
 * income statement) for each chart, as data: see finance/gl_layouts.c,
 * the one place that says which accounts make up which line.
 */
#ifndef KONTOR_FINANCE_GL_LAYOUT_H
#define KONTOR_FINANCE_GL_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

struct stmt_line {
	const char *key;          /* for sums: "tca" */
	char kind;                /* 'H' heading, 'I' item (or 'T', an item
				     not indented), 'S' sum */
	const char *label;        /* as printed (IFRS: N_()) */
	const char *accounts;     /* I: code prefixes, space-separated */
	const char *fallback;     /* I: account types it takes when no
				     prefix matches ("asset"), or NULL */
	const char *sum;          /* S: "+a +b -c", keys of earlier lines */
	int sign;                 /* +1 debit positive, -1 credit positive */
};

struct stmt_layout {
	const char *title;
	const struct stmt_line *lines;
	size_t n;
	const char *check_a, *check_b;   /* two sums that must be equal
					    (total assets, total equity and
					    liabilities), or NULL */
};

extern const struct stmt_layout gl_layout_bs_cn, gl_layout_is_cn,
	gl_layout_bs_ifrs, gl_layout_is_ifrs;

/*
 * The item line (index into l->lines) account `code` of `type` belongs
 * to: the item with the longest prefix of code, else the first whose
 * fallback names type; -1 when none.
 */
int gl_layout_item(const struct stmt_layout *l, const char *code,
		   const char *type);

/* True for an item line ('I' or 'T'). */
bool gl_layout_is_item(const struct stmt_line *ln);

/* The index of the line with this key, or -1. */
int gl_layout_find(const struct stmt_layout *l, const char *key);

#endif
