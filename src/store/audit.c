/*
 * audit.c - the audit trail: who changed what, when, old and new value.
 *
 * _audit.db      be32 pid | be64 time | be32 n  ->  row
 *                (the writer's pid first, so concurrent writers append on
 *                different pages instead of fighting for the last one;
 *                time and a per-process count make it unique, as no two
 *                live processes share a pid)
 * _audit.rec.idx text table | be64 record id | be64 time | audit key -> ""
 *
 * row: be64 time | u8 n login | u8 n table | be64 id | op
 *      | be32 n old | old | be32 n new | new
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "store/store_int.h"

#define AUDIT_KEY_LEN 16

static void be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

int store_audit_write(struct store_txn *t, const struct store_schema *s,
		      int64_t id, char op, const void *old_data,
		      size_t old_len, const void *new_data, size_t new_len,
		      int64_t ts, struct kerr *err)
{
	struct store *st = t->st;
	struct kbuf row = { 0 };
	struct keybuf ak, rk;
	uint8_t hdr[8 + 1 + 1];
	uint8_t tail[8 + 1], len[4];
	size_t ll = strlen(st->login), tl = strlen(s->name);
	int ret;

	/* Strictly increasing within the process, whatever the clock does. */
	if (ts > st->audit_last)
		st->audit_last = ts;
	else
		st->audit_last++;
	key_reset(&ak);
	key_put_u32(&ak, st->shard);
	key_put_u64(&ak, (uint64_t)st->audit_last);
	key_put_u32(&ak, st->audit_n++);

	be(hdr, (uint64_t)ts, 8);
	hdr[8] = (uint8_t)(ll > 255 ? 255 : ll);
	hdr[9] = (uint8_t)(tl > 255 ? 255 : tl);
	be(tail, (uint64_t)id, 8);
	tail[8] = (uint8_t)op;
	ret = kbuf_put(&row, hdr, sizeof hdr);
	ret = ret ? ret : kbuf_put(&row, st->login, hdr[8]);
	ret = ret ? ret : kbuf_put(&row, s->name, hdr[9]);
	ret = ret ? ret : kbuf_put(&row, tail, sizeof tail);
	be(len, old_len, 4);
	ret = ret ? ret : kbuf_put(&row, len, 4);
	ret = ret ? ret : kbuf_put(&row, old_data, old_len);
	be(len, new_len, 4);
	ret = ret ? ret : kbuf_put(&row, len, 4);
	ret = ret ? ret : kbuf_put(&row, new_data, new_len);
	if (ret) {
		kbuf_free(&row);
		return kerr_set(err, ret, NULL, NULL);
	}
	DBT key = { .data = ak.b, .size = (u_int32_t)ak.n };
	DBT data = { .data = row.p, .size = (u_int32_t)row.n };
	ret = st->audit->put(st->audit, t->txn, &key, &data, 0);
	kbuf_free(&row);
	if (ret)
		return store_dberr(st, ret, err, "audit");

	key_reset(&rk);
	key_put_text(&rk, s->name, false, false);
	key_put_u64(&rk, (uint64_t)id);
	key_put_i64(&rk, ts);
	key_put_bytes(&rk, ak.b, ak.n);
	DBT ikey = { .data = rk.b, .size = (u_int32_t)rk.n };
	DBT idata = { .data = "", .size = 0 };
	ret = st->audit_rec->put(st->audit_rec, t->txn, &ikey, &idata, 0);
	return store_dberr(st, ret, err, "audit");
}

/* Parses an audit row; pointers point into data. */
struct row {
	int64_t ts;
	const char *login, *table;
	size_t login_len, table_len;
	int64_t id;
	char op;
	const uint8_t *old, *new;
	uint32_t old_len, new_len;
};

static int parse_row(const uint8_t *p, size_t n, struct row *r)
{
	size_t off = 10;

	if (n < 10)
		return -1;
	r->ts = (int64_t)key_get_u64(p);
	r->login_len = p[8];
	r->table_len = p[9];
	if (n < off + r->login_len + r->table_len + 9 + 4)
		return -1;
	r->login = (const char *)p + off;
	off += r->login_len;
	r->table = (const char *)p + off;
	off += r->table_len;
	r->id = (int64_t)key_get_u64(p + off);
	r->op = (char)p[off + 8];
	off += 9;
	r->old_len = key_get_u32(p + off);
	off += 4;
	if (r->old_len > n - off)
		return -1;
	r->old = p + off;
	off += r->old_len;
	if (n - off < 4)
		return -1;
	r->new_len = key_get_u32(p + off);
	off += 4;
	if (r->new_len != n - off)
		return -1;
	r->new = p + off;
	return 0;
}

static void *decode_copy(const struct store_schema *s, const uint8_t *p,
			 size_t n, int64_t id, struct kerr *err, int *ret)
{
	void *rec;

	if (!n)
		return NULL;
	if (!(rec = calloc(1, s->size))) {
		*ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		return NULL;
	}
	if ((*ret = codec_decode(s, p, n, rec, err))) {
		free(rec);
		return NULL;
	}
	((struct store_rec *)rec)->id = id;
	return rec;
}

int store_history(struct store_txn *t, const struct store_schema *s,
		  int64_t id, store_audit_fn fn, void *arg, struct kerr *err)
{
	struct store *st = t->st;
	struct keybuf pk;
	DBC *c;
	DBT key = { .flags = DB_DBT_REALLOC }, data = { .flags = DB_DBT_REALLOC };
	DBT row = { .flags = DB_DBT_REALLOC };
	int ret;

	key_reset(&pk);
	key_put_text(&pk, s->name, false, false);
	key_put_u64(&pk, (uint64_t)id);
	if ((ret = st->audit_rec->cursor(st->audit_rec, t->txn, &c, 0)))
		return store_dberr(st, ret, err, "audit");
	key.data = malloc(pk.n);
	if (!key.data) {
		c->close(c);
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	}
	memcpy(key.data, pk.b, pk.n);
	key.size = (u_int32_t)pk.n;
	int flag = DB_SET_RANGE;
	int rc = 0;
	while ((ret = c->get(c, &key, &data, (u_int32_t)flag)) == 0) {
		flag = DB_NEXT;
		if (key.size != pk.n + 8 + AUDIT_KEY_LEN ||
		    memcmp(key.data, pk.b, pk.n) != 0)
			break;
		DBT ak = { .data = (uint8_t *)key.data + pk.n + 8,
			   .size = AUDIT_KEY_LEN };
		if ((ret = st->audit->get(st->audit, t->txn, &ak, &row, 0))) {
			rc = store_dberr(st, ret, err, "audit");
			break;
		}
		struct row r;
		if (parse_row(row.data, row.size, &r)) {
			rc = kerr_set(err, K_ECORRUPT, NULL,
				      _("corrupt audit row for %s %" PRId64),
				      s->name, id);
			break;
		}
		struct store_audit a = { .ts_us = r.ts, .rec_id = r.id,
					 .op = r.op };
		snprintf(a.login, sizeof a.login, "%.*s", (int)r.login_len,
			 r.login);
		snprintf(a.table, sizeof a.table, "%.*s", (int)r.table_len,
			 r.table);
		a.old_rec = decode_copy(s, r.old, r.old_len, id, err, &rc);
		if (!rc)
			a.new_rec = decode_copy(s, r.new, r.new_len, id, err, &rc);
		if (!rc)
			rc = fn(&a, arg);
		if (a.old_rec) {
			store_rec_clear(s, a.old_rec);
			free(a.old_rec);
		}
		if (a.new_rec) {
			store_rec_clear(s, a.new_rec);
			free(a.new_rec);
		}
		if (rc)
			break;
	}
	c->close(c);
	free(key.data);
	free(data.data);
	free(row.data);
	if (rc)
		return rc;
	if (ret && ret != DB_NOTFOUND)
		return store_dberr(st, ret, err, "audit");
	return 0;
}
