/*
 * cmd_history.c - kontor history TABLE KEY: a record's audit trail.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/i18n.h"
#include "cli/cli.h"
#include "masters/entity.h"

struct hist {
	const struct store_schema *s;
	struct store_txn *t;
	const char *key;
	int64_t id;
	unsigned rows;
};

static void print_diff(void *arg, const char *field, const char *old,
		       const char *new)
{
	(void)arg;
	if (!old)
		printf("    %-20s %s\n", field, new);
	else if (!new)
		printf("    %-20s %s %s\n", field, old, _("(removed)"));
	else
		printf("    %-20s %s -> %s\n", field, old, new);
}

static int print_row(const struct store_audit *a, void *arg)
{
	struct hist *h = arg;
	char ts[32];
	const char *what = a->op == 'I' ? _("created") :
			   a->op == 'D' ? _("deleted") : _("changed");

	printf("%s  %-12s %s\n", date_format_ts(a->ts_us, ts, sizeof ts),
	       a->login, what);
	/* References print as codes, lists element by element. */
	ent_diff(h->t, h->s, a->old_rec, a->new_rec, print_diff, h);
	h->rows++;
	return 0;
}

/* KEY is the record's code (first unique text index) or #ID. */
static int find(struct store_txn *t, void *arg, struct kerr *err)
{
	struct hist *h = arg;
	void *rec;
	int ret = K_ENOTFOUND;

	if (h->key[0] == '#') {
		h->id = strtoll(h->key + 1, NULL, 10);
	} else {
		if (!(rec = calloc(1, h->s->size)))
			return kerr_set(err, K_ENOMEM, NULL, NULL);
		for (size_t i = 0; i < h->s->nindexes; i++) {
			const struct store_index *ix = &h->s->indexes[i];
			const struct store_field *f =
				store_field_find(h->s, ix->parts[0]);
			if (!(ix->flags & STORE_IX_UNIQUE) || f->type != SF_TEXT)
				continue;
			ret = store_find_text(t, h->s, ix->name, h->key, rec, err);
			if (ret == 0)
				h->id = ((struct store_rec *)rec)->id;
			store_rec_clear(h->s, rec);
			break;
		}
		free(rec);
		/* A deleted record: its history is still there, by #id. */
		if (ret)
			return ret == K_ENOTFOUND ?
				kerr_set(err, K_ENOTFOUND, NULL,
					 _("%s \"%s\" not found (a deleted record is found by #ID)"),
					 h->s->name, h->key) : ret;
	}
	h->t = t;
	return store_history(t, h->s, h->id, print_row, h, err);
}

int cmd_history(struct cli *c, int argc, char **argv)
{
	struct hist h = { 0 };
	struct kerr e;
	int ret;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		printf(_("Usage: kontor history TABLE KEY\n\n"
			 "Prints who changed the record, when, and each field's old and\n"
			 "new value.  KEY is the record's code, or #ID for its id.\n"));
		return 0;
	}
	if (argc != 3)
		return cli_usage("history", _("give a table and a key"));
	if ((ret = cli_open(c, STORE_ONEOFF, "audit.read")))
		return ret;
	if (!(h.s = store_schema_find(c->st, argv[1]))) {
		fprintf(stderr, _("kontor: no table named '%s'\n"), argv[1]);
		return EX_USAGE;
	}
	h.key = argv[2];
	if (store_read(c->st, find, &h, &e))
		return cli_fail(&e);
	if (!h.rows)
		printf(_("No history for %s %s\n"), argv[1], argv[2]);
	return 0;
}
