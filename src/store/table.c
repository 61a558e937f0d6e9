/*
 * table.c - records, indexes, cursors, counters and meta settings.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/num.h"
#include "store/store_int.h"

/* ------------------------------------------------------------ opening */

/*
 * Opening must not sleep on a lock either (HACKING, "Killed
 * processes"): a process killed while it sleeps on one makes failchk
 * hang.  Berkeley DB 5.3's DB->open does, whatever the flags: with
 * DB_AUTO_COMMIT its transaction waits for the handle lock and for the
 * meta page, which a writer allocating pages holds until it commits;
 * and every open in the environment takes one environment-wide lock
 * (__fop_file_setup) without DB_LOCK_NOWAIT.  So each open runs in a
 * transaction of ours with DB_TXN_NOWAIT and is tried again after a
 * short random wait, for up to 10 s (then "records busy"), and a
 * process opens its tables under an fcntl lock on HOME/open.lock
 * (store_tables_open), so that nobody waits for that environment lock
 * but behind a process that died holding it, which failchk frees.
 */
#define OPEN_RETRY_MS 10000

int store_db_open(struct store *st, DB **dbp, const char *file,
		  struct kerr *err)
{
	long start = store_now_ms();
	int ret;

	*dbp = NULL;
	for (int attempt = 0;; attempt++) {
		DB_TXN *txn = NULL;
		DB *db;

		if ((ret = db_create(&db, st->env, 0)) != 0)
			return store_dberr(st, ret, err, file);
		ret = st->env->txn_begin(st->env, NULL, &txn, DB_TXN_NOWAIT);
		/* page versions for snapshot readers, except when bulk
		   loading (store_opts.bulk) */
		if (ret == 0)
			ret = db->open(db, txn, file, NULL, DB_BTREE,
				       DB_CREATE | DB_THREAD |
					       (st->bulk ? 0 : DB_MULTIVERSION),
				       0660);
		if (txn) {
			int t_ret = ret == 0 ? txn->commit(txn, 0) :
					       txn->abort(txn);
			if (ret == 0)
				ret = t_ret;
		}
		if (ret == 0) {
			*dbp = db;
			return 0;
		}
		db->close(db, 0);
		if ((ret != DB_LOCK_NOTGRANTED && ret != DB_LOCK_DEADLOCK) ||
		    store_now_ms() - start > OPEN_RETRY_MS)
			return store_dberr(st, ret, err, file);
		store_backoff(attempt);
	}
}

static bool valid_schema(const struct store_schema *s)
{
	for (size_t i = 0; i < s->nindexes; i++)
		for (int p = 0; p < STORE_IX_MAXPARTS && s->indexes[i].parts[p]; p++)
			if (!store_field_find(s, s->indexes[i].parts[p]))
				return false;
	return s->size >= sizeof(struct store_rec);
}

static int tables_open(struct store *st, const struct store_schema *const *s,
		       size_t n, struct kerr *err);

int store_tables_open(struct store *st, const struct store_schema *const *s,
		      size_t n, struct kerr *err)
{
	int fd, ret;

	/*
	 * One process at a time (above).  The kernel drops the lock when
	 * its holder dies or replaces its image (O_CLOEXEC).  Not for
	 * ever: a holder stuck in Berkeley DB is evicted by the watcher,
	 * which may itself be opening (joining clerks after a restart);
	 * after OPEN_RETRY_MS, and when the file cannot be made (a home
	 * we may only read), the open goes on without it.
	 */
	fd = lockfile_open(st->home, STORE_OPEN_LOCK, true);
	if (fd >= 0 && lockfile_wait(fd, true, OPEN_RETRY_MS) != 0) {
		close(fd);
		fd = -1;
	}
	ret = tables_open(st, s, n, err);
	if (fd >= 0) {
		lockfile_release(fd);
		close(fd);
	}
	return ret;
}

static int tables_open(struct store *st, const struct store_schema *const *s,
		       size_t n, struct kerr *err)
{
	char file[128];
	int ret;

	if ((ret = store_db_open(st, &st->meta, STORE_META_FILE, err)) ||
	    (ret = store_db_open(st, &st->counter, "_counter.db", err)) ||
	    (ret = store_db_open(st, &st->seqdb, "_seq.db", err)) ||
	    (ret = store_db_open(st, &st->audit, "_audit.db", err)) ||
	    (ret = store_db_open(st, &st->audit_rec, "_audit.rec.idx", err)))
		return ret;
	if (n && !(st->tables = calloc(n, sizeof *st->tables)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		struct table *tab = &st->tables[i];

		if (!valid_schema(s[i]))
			return kerr_set(err, K_EINTERNAL, NULL,
					"schema %s: index names an unknown field",
					s[i]->name);
		tab->s = s[i];
		st->ntables = i + 1;
		snprintf(file, sizeof file, "%s.db", s[i]->name);
		if ((ret = store_db_open(st, &tab->db, file, err)))
			return ret;
		if (s[i]->nindexes &&
		    !(tab->ix = calloc(s[i]->nindexes, sizeof *tab->ix)))
			return kerr_set(err, K_ENOMEM, NULL, NULL);
		for (size_t x = 0; x < s[i]->nindexes; x++) {
			snprintf(file, sizeof file, "%s.%s.idx", s[i]->name,
				 s[i]->indexes[x].name);
			if ((ret = store_db_open(st, &tab->ix[x], file, err)))
				return ret;
		}
	}
	return 0;
}

/* No sync on close: commits are durable in the log, the daemon checkpoints. */
static void close_db(DB **db)
{
	if (*db)
		(*db)->close(*db, DB_NOSYNC);
	*db = NULL;
}

void store_tables_close(struct store *st)
{
	for (size_t i = 0; i < st->ntables; i++) {
		struct table *tab = &st->tables[i];
		if (tab->seq)
			tab->seq->close(tab->seq, 0);
		for (size_t x = 0; tab->ix && x < tab->s->nindexes; x++)
			close_db(&tab->ix[x]);
		free(tab->ix);
		close_db(&tab->db);
	}
	free(st->tables);
	st->tables = NULL;
	st->ntables = 0;
	close_db(&st->audit_rec);
	close_db(&st->audit);
	close_db(&st->seqdb);
	close_db(&st->counter);
	close_db(&st->meta);
}

struct table *store_table(struct store *st, const struct store_schema *s)
{
	for (size_t i = 0; i < st->ntables; i++)
		if (st->tables[i].s == s)
			return &st->tables[i];
	for (size_t i = 0; i < st->ntables; i++)
		if (strcmp(st->tables[i].s->name, s->name) == 0)
			return &st->tables[i];
	return NULL;
}

const struct store_schema *store_schema_find(const struct store *st,
					     const char *table)
{
	for (size_t i = 0; i < st->ntables; i++)
		if (strcmp(st->tables[i].s->name, table) == 0)
			return st->tables[i].s;
	return NULL;
}

static int no_table(struct kerr *err, const struct store_schema *s)
{
	return kerr_set(err, K_EINTERNAL, NULL, "table %s is not open", s->name);
}

/* ------------------------------------------------------------ keys */

static void *fptr(const struct store_field *f, const void *rec)
{
	return (char *)rec + f->offset;
}

bool store_index_key(const struct store_schema *s, size_t i, const void *rec,
		     int64_t id, bool with_id, struct keybuf *k)
{
	const struct store_index *ix = &s->indexes[i];
	bool fold = ix->flags & STORE_IX_FOLD;

	key_reset(k);
	for (int p = 0; p < STORE_IX_MAXPARTS && ix->parts[p]; p++) {
		const struct store_field *f = store_field_find(s, ix->parts[p]);
		switch (f->type) {
		case SF_TEXT: {
			const char *t = *(char *const *)fptr(f, rec);
			/* A unique key that is empty is not indexed. */
			if (p == 0 && (ix->flags & STORE_IX_UNIQUE) && (!t || !*t))
				return false;
			key_put_text(k, t, fold, false);
			break;
		}
		case SF_DATE:
			key_put_i64(k, *(const kdate *)fptr(f, rec));
			break;
		case SF_BOOL:
			key_put_u16(k, *(const bool *)fptr(f, rec));
			break;
		case SF_LIST:
			return false;
		default:
			key_put_i64(k, *(const int64_t *)fptr(f, rec));
			break;
		}
	}
	if (with_id)
		key_put_u64(k, (uint64_t)id);
	return !k->overflow;
}

static bool ix_unique(const struct store_schema *s, size_t i)
{
	return s->indexes[i].flags & STORE_IX_UNIQUE;
}

static void put_id(uint8_t *b, int64_t id)
{
	for (int i = 7; i >= 0; i--) {
		b[i] = (uint8_t)id;
		id = (int64_t)((uint64_t)id >> 8);
	}
}

/* ------------------------------------------------------------ records */

static int get_raw(struct store_txn *t, DB *db, const void *k, size_t klen,
		   DBT *data, bool rmw, const char *what, struct kerr *err)
{
	DBT key = { .data = (void *)k, .size = (u_int32_t)klen };
	int ret;

	memset(data, 0, sizeof *data);
	data->flags = DB_DBT_MALLOC;
	ret = db->get(db, t->txn, &key, data,
		      rmw && !t->snapshot ? DB_RMW : 0);
	if (ret)
		return store_dberr(t->st, ret, err, what);
	return 0;
}

int store_get(struct store_txn *t, const struct store_schema *s, int64_t id,
	      void *rec, struct kerr *err)
{
	struct table *tab = store_table(t->st, s);
	uint8_t k[8];
	DBT data;
	int ret;

	if (!tab)
		return no_table(err, s);
	put_id(k, id);
	if ((ret = get_raw(t, tab->db, k, 8, &data, false, s->name, err))) {
		if (ret == K_ENOTFOUND)
			kerr_set(err, K_ENOTFOUND, NULL,
				 _("%s record %" PRId64 " not found"), s->name, id);
		return ret;
	}
	ret = codec_decode(s, data.data, data.size, rec, err);
	free(data.data);
	if (ret == 0)
		((struct store_rec *)rec)->id = id;
	return ret;
}

/* Looks up the id stored under key k of index x. */
static int ix_lookup(struct store_txn *t, struct table *tab, size_t x,
		     const struct keybuf *k, bool rmw, int64_t *id,
		     struct kerr *err)
{
	DBT data;
	int ret;

	ret = get_raw(t, tab->ix[x], k->b, k->n, &data, rmw, tab->s->name, err);
	if (ret)
		return ret;
	if (data.size != 8) {
		free(data.data);
		return kerr_set(err, K_ECORRUPT, NULL,
				_("index %s.%s: bad entry"), tab->s->name,
				tab->s->indexes[x].name);
	}
	*id = (int64_t)key_get_u64(data.data);
	free(data.data);
	return 0;
}

static int ix_index_of(const struct store_schema *s, const char *index)
{
	for (size_t i = 0; i < s->nindexes; i++)
		if (strcmp(s->indexes[i].name, index) == 0)
			return (int)i;
	return -1;
}

int store_find(struct store_txn *t, const struct store_schema *s,
	       const char *index, const void *probe, void *rec,
	       struct kerr *err)
{
	struct table *tab = store_table(t->st, s);
	int x = ix_index_of(s, index);
	struct keybuf k;
	int64_t id;
	int ret;

	if (!tab)
		return no_table(err, s);
	if (x < 0 || !ix_unique(s, (size_t)x))
		return kerr_set(err, K_EINTERNAL, NULL,
				"%s has no unique index %s", s->name, index);
	if (!store_index_key(s, (size_t)x, probe, 0, false, &k))
		return kerr_set(err, K_ENOTFOUND, index, _("%s: no key given"),
				index);
	if ((ret = ix_lookup(t, tab, (size_t)x, &k, false, &id, err)))
		return ret;
	return store_get(t, s, id, rec, err);
}

int store_find_text(struct store_txn *t, const struct store_schema *s,
		    const char *index, const char *value, void *rec,
		    struct kerr *err)
{
	int x = ix_index_of(s, index);
	const struct store_field *f;
	void *probe;
	int ret;

	if (x < 0 || !(f = store_field_find(s, s->indexes[x].parts[0])) ||
	    f->type != SF_TEXT)
		return kerr_set(err, K_EINTERNAL, NULL,
				"%s has no text index %s", s->name, index);
	if (!(probe = calloc(1, s->size)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	codec_init(s, probe);
	*(const char **)fptr(f, probe) = value;
	ret = store_find(t, s, index, probe, rec, err);
	free(probe);
	if (ret == K_ENOTFOUND)
		kerr_set(err, K_ENOTFOUND, f->name, _("%s \"%s\" not found"),
			 f->name, value ? value : "");
	return ret;
}

/* Encodes rec as saved now by us with row version `version`. */
static int encode_as(struct store_txn *t, const struct store_schema *s,
		     void *rec, uint32_t version, int64_t now, struct kerr *err)
{
	struct store_rec *h = rec, saved = *h;
	int ret;

	h->version = version;
	h->mtime_us = now;
	snprintf(h->muser, sizeof h->muser, "%s", t->st->login);
	t->enc.n = 0;
	ret = codec_encode(s, rec, &t->enc);
	*h = saved;
	if (ret)
		return kerr_set(err, ret, NULL, NULL);
	return 0;
}

/* Records in rec what was just written. */
static void stamp(struct store_txn *t, void *rec, uint32_t version,
		  int64_t now)
{
	struct store_rec *h = rec;

	h->version = version;
	h->mtime_us = now;
	snprintf(h->muser, sizeof h->muser, "%s", t->st->login);
}

static int dup_key(struct store_txn *t, const struct store_schema *s,
		   size_t x, const void *rec, struct kerr *err)
{
	const struct store_field *f =
		store_field_find(s, s->indexes[x].parts[0]);
	char buf[256];

	(void)t;
	store_field_text(f, rec, buf, sizeof buf);
	return kerr_set(err, K_EEXIST, f->name,
			_("%s \"%s\" is already used by another %s record"),
			f->name, buf, s->name);
}

static int ix_put(struct store_txn *t, struct table *tab, size_t x,
		  const struct keybuf *k, int64_t id, struct kerr *err)
{
	uint8_t v[8];
	DBT key = { .data = (void *)k->b, .size = (u_int32_t)k->n };
	DBT data = { .data = v, .size = 8 };

	put_id(v, id);
	return store_dberr(t->st, tab->ix[x]->put(tab->ix[x], t->txn, &key,
						  &data, 0), err, tab->s->name);
}

static int ix_del(struct store_txn *t, struct table *tab, size_t x,
		  const struct keybuf *k, struct kerr *err)
{
	DBT key = { .data = (void *)k->b, .size = (u_int32_t)k->n };
	int ret = tab->ix[x]->del(tab->ix[x], t->txn, &key, 0);

	return ret == DB_NOTFOUND ? 0 : store_dberr(t->st, ret, err,
						     tab->s->name);
}

/* Refuses a unique key that another record uses. */
static int check_unique(struct store_txn *t, struct table *tab, size_t x,
			const struct keybuf *k, const void *rec, int64_t id,
			struct kerr *err)
{
	int64_t other;
	int ret = ix_lookup(t, tab, x, k, true, &other, err);

	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		return 0;
	}
	if (ret)
		return ret;
	return other == id ? 0 : dup_key(t, tab->s, x, rec, err);
}

static int next_id(struct store_txn *t, struct table *tab, int64_t *id,
		   struct kerr *err)
{
	db_seq_t v;
	int ret;

	if (!tab->seq) {
		char name[80];
		snprintf(name, sizeof name, "id:%s", tab->s->name);
		/* Opened outside t: the sequence keeps its own transactions. */
		DB_SEQUENCE *seq;
		if ((ret = db_sequence_create(&seq, t->st->seqdb, 0)) != 0)
			return store_dberr(t->st, ret, err, name);
		DBT key = { .data = name, .size = (u_int32_t)strlen(name) };
		seq->initial_value(seq, 1);
		seq->set_cachesize(seq, 1000);
		if ((ret = seq->open(seq, NULL, &key, DB_CREATE | DB_THREAD))) {
			seq->close(seq, 0);
			return store_dberr(t->st, ret, err, name);
		}
		tab->seq = seq;
	}
	if ((ret = tab->seq->get(tab->seq, NULL, 1, &v, DB_TXN_NOSYNC)))
		return store_dberr(t->st, ret, err, tab->s->name);
	*id = v;
	return 0;
}

int store_new_id(struct store_txn *t, const struct store_schema *s,
		 int64_t *id, struct kerr *err)
{
	struct table *tab = store_table(t->st, s);

	if (!tab)
		return no_table(err, s);
	return next_id(t, tab, id, err);
}

int store_insert(struct store_txn *t, const struct store_schema *s,
		 void *rec, struct kerr *err)
{
	struct table *tab = store_table(t->st, s);
	struct store_rec *h = rec;
	struct keybuf k;
	uint8_t kb[8];
	int64_t now = date_now_us();
	int ret;

	if (!tab)
		return no_table(err, s);
	if (t->snapshot)
		return kerr_set(err, K_EINTERNAL, NULL, "insert in a snapshot");
	if (h->id == 0 && (ret = next_id(t, tab, &h->id, err)))
		return ret;
	for (size_t x = 0; x < s->nindexes; x++) {
		if (!ix_unique(s, x) ||
		    !store_index_key(s, x, rec, h->id, false, &k))
			continue;
		if ((ret = check_unique(t, tab, x, &k, rec, h->id, err)))
			return ret;
	}
	if ((ret = encode_as(t, s, rec, 1, now, err)))
		return ret;
	put_id(kb, h->id);
	DBT key = { .data = kb, .size = 8 };
	DBT data = { .data = t->enc.p, .size = (u_int32_t)t->enc.n };
	ret = tab->db->put(tab->db, t->txn, &key, &data, DB_NOOVERWRITE);
	if (ret == DB_KEYEXIST)
		return kerr_set(err, K_EEXIST, NULL,
				_("%s record %" PRId64 " exists already"),
				s->name, h->id);
	if (ret)
		return store_dberr(t->st, ret, err, s->name);
	for (size_t x = 0; x < s->nindexes; x++) {
		bool u = ix_unique(s, x);
		if (store_index_key(s, x, rec, h->id, !u, &k) &&
		    (ret = ix_put(t, tab, x, &k, h->id, err)))
			return ret;
	}
	if (!(s->flags & STORE_NOAUDIT) &&
	    (ret = store_audit_write(t, s, h->id, 'I', NULL, 0, t->enc.p,
				     t->enc.n, now, err)))
		return ret;
	stamp(t, rec, 1, now);
	return 0;
}

/* Reads the stored copy of rec for a change and checks its version. */
static int load_for_change(struct store_txn *t, struct table *tab,
			   const struct store_rec *h, DBT *data, void *old,
			   struct kerr *err)
{
	const struct store_schema *s = tab->s;
	uint8_t kb[8];
	uint32_t version;
	int64_t mtime;
	char who[32];
	int ret;

	put_id(kb, h->id);
	if ((ret = get_raw(t, tab->db, kb, 8, data, true, s->name, err))) {
		if (ret == K_ENOTFOUND)
			return kerr_set(err, K_ECONFLICT, NULL,
					_("this %s record was deleted by someone else"),
					s->name);
		return ret;
	}
	if (codec_peek(data->data, data->size, &version, &mtime, who,
		       sizeof who)) {
		free(data->data);
		return kerr_set(err, K_ECORRUPT, NULL,
				_("corrupt %s record %" PRId64), s->name, h->id);
	}
	if (version != h->version) {
		char ts[32];
		free(data->data);
		return kerr_set(err, K_ECONFLICT, NULL,
				_("changed by %s at %s; reload to see the change"),
				who, date_format_ts(mtime, ts, sizeof ts));
	}
	if ((ret = codec_decode(s, data->data, data->size, old, err))) {
		free(data->data);
		return ret;
	}
	((struct store_rec *)old)->id = h->id;
	return 0;
}

int store_update(struct store_txn *t, const struct store_schema *s,
		 void *rec, struct kerr *err)
{
	struct table *tab = store_table(t->st, s);
	struct store_rec *h = rec;
	struct keybuf ok, nk;
	uint8_t kb[8];
	int64_t now = date_now_us();
	DBT old_data;
	void *old;
	int ret;

	if (!tab)
		return no_table(err, s);
	if (t->snapshot)
		return kerr_set(err, K_EINTERNAL, NULL, "update in a snapshot");
	if (!(old = calloc(1, s->size)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if ((ret = load_for_change(t, tab, h, &old_data, old, err))) {
		free(old);
		return ret;
	}
	/* Every unique key is checked before any index changes. */
	for (size_t x = 0; x < s->nindexes && !ret; x++)
		if (ix_unique(s, x) &&
		    store_index_key(s, x, rec, h->id, false, &nk))
			ret = check_unique(t, tab, x, &nk, rec, h->id, err);
	for (size_t x = 0; x < s->nindexes && !ret; x++) {
		bool u = ix_unique(s, x);
		bool oi = store_index_key(s, x, old, h->id, !u, &ok);
		bool ni = store_index_key(s, x, rec, h->id, !u, &nk);
		if (oi == ni && (!oi || (ok.n == nk.n &&
					 memcmp(ok.b, nk.b, ok.n) == 0)))
			continue;
		if (oi && (ret = ix_del(t, tab, x, &ok, err)))
			break;
		if (ni && (ret = ix_put(t, tab, x, &nk, h->id, err)))
			break;
	}
	if (!ret)
		ret = encode_as(t, s, rec, h->version + 1, now, err);
	if (!ret) {
		put_id(kb, h->id);
		DBT key = { .data = kb, .size = 8 };
		DBT data = { .data = t->enc.p, .size = (u_int32_t)t->enc.n };
		ret = store_dberr(t->st, tab->db->put(tab->db, t->txn, &key,
						      &data, 0), err, s->name);
	}
	if (!ret && !(s->flags & STORE_NOAUDIT))
		ret = store_audit_write(t, s, h->id, 'U', old_data.data,
					old_data.size, t->enc.p, t->enc.n, now,
					err);
	if (!ret)
		stamp(t, rec, h->version + 1, now);
	free(old_data.data);
	store_rec_clear(s, old);
	free(old);
	return ret;
}

struct save {
	const struct store_schema *s;
	void *rec;
	void *tmp;
};

static int save_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct save *sv = arg;
	int ret;

	store_rec_clear(sv->s, sv->tmp);
	if ((ret = store_rec_copy(sv->s, sv->tmp, sv->rec)))
		return kerr_set(err, ret, NULL, NULL);
	if (((struct store_rec *)sv->tmp)->version == 0)
		return store_insert(t, sv->s, sv->tmp, err);
	return store_update(t, sv->s, sv->tmp, err);
}

int store_save(struct store *st, const struct store_schema *s, void *rec,
	       struct kerr *err)
{
	struct save sv = { s, rec, calloc(1, s->size) };
	int ret;

	if (!sv.tmp)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	codec_init(s, sv.tmp);
	ret = store_write(st, save_fn, &sv, err);
	if (ret == 0) {
		struct store_rec *h = rec, *n = sv.tmp;
		h->id = n->id;
		h->version = n->version;
		h->mtime_us = n->mtime_us;
		memcpy(h->muser, n->muser, sizeof h->muser);
	}
	store_rec_clear(s, sv.tmp);
	free(sv.tmp);
	return ret;
}

int store_delete(struct store_txn *t, const struct store_schema *s,
		 const void *rec, struct kerr *err)
{
	struct table *tab = store_table(t->st, s);
	const struct store_rec *h = rec;
	struct keybuf ok;
	uint8_t kb[8];
	DBT old_data;
	void *old;
	int ret;

	if (!tab)
		return no_table(err, s);
	if (t->snapshot)
		return kerr_set(err, K_EINTERNAL, NULL, "delete in a snapshot");
	if (!(old = calloc(1, s->size)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if ((ret = load_for_change(t, tab, h, &old_data, old, err))) {
		free(old);
		return ret;
	}
	for (size_t x = 0; x < s->nindexes && !ret; x++) {
		bool u = ix_unique(s, x);
		if (store_index_key(s, x, old, h->id, !u, &ok))
			ret = ix_del(t, tab, x, &ok, err);
	}
	if (!ret) {
		put_id(kb, h->id);
		DBT key = { .data = kb, .size = 8 };
		ret = store_dberr(t->st, tab->db->del(tab->db, t->txn, &key, 0),
				  err, s->name);
	}
	if (!ret && !(s->flags & STORE_NOAUDIT))
		ret = store_audit_write(t, s, h->id, 'D', old_data.data,
					old_data.size, NULL, 0, date_now_us(),
					err);
	free(old_data.data);
	store_rec_clear(s, old);
	free(old);
	return ret;
}

int store_count(struct store_txn *t, const struct store_schema *s,
		uint64_t *n, struct kerr *err)
{
	struct table *tab = store_table(t->st, s);
	DBC *c;
	DBT key = { .flags = DB_DBT_REALLOC };
	DBT data = { .flags = DB_DBT_PARTIAL | DB_DBT_USERMEM };
	int ret;

	*n = 0;
	if (!tab)
		return no_table(err, s);
	if ((ret = tab->db->cursor(tab->db, t->txn, &c, 0)))
		return store_dberr(t->st, ret, err, s->name);
	while ((ret = c->get(c, &key, &data, DB_NEXT)) == 0)
		(*n)++;
	c->close(c);
	free(key.data);
	return ret == DB_NOTFOUND ? 0 : store_dberr(t->st, ret, err, s->name);
}

/* ------------------------------------------------------------ cursors */

struct store_cursor {
	struct store_txn *t;
	const struct store_schema *s;
	struct table *tab;
	int ix;                 /* -1: primary */
	DBC *dbc;
	bool positioned;
	bool bounded;
	struct keybuf prefix;
	DBT key, data;
};

int store_cursor_open(struct store_txn *t, const struct store_schema *s,
		      const char *index, struct store_cursor **out,
		      struct kerr *err)
{
	struct store_cursor *c;
	struct table *tab = store_table(t->st, s);
	int ret;

	*out = NULL;
	if (!tab)
		return no_table(err, s);
	if (!(c = calloc(1, sizeof *c)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	c->t = t;
	c->s = s;
	c->tab = tab;
	c->ix = index ? ix_index_of(s, index) : -1;
	if (index && c->ix < 0) {
		free(c);
		return kerr_set(err, K_EINTERNAL, NULL, "%s has no index %s",
				s->name, index);
	}
	DB *db = c->ix < 0 ? tab->db : tab->ix[c->ix];
	if ((ret = db->cursor(db, t->txn, &c->dbc, 0))) {
		free(c);
		return store_dberr(t->st, ret, err, s->name);
	}
	c->key.flags = DB_DBT_REALLOC;
	c->data.flags = DB_DBT_REALLOC;
	t->ncursors++;
	*out = c;
	return 0;
}

void store_cursor_close(struct store_cursor **cp)
{
	struct store_cursor *c = *cp;

	if (!c)
		return;
	c->dbc->close(c->dbc);
	c->t->ncursors--;
	free(c->key.data);
	free(c->data.data);
	free(c);
	*cp = NULL;
}

/* Turns the cursor's current pair into rec. */
static int load(struct store_cursor *c, void *rec, struct kerr *err)
{
	if (c->bounded && (c->key.size < c->prefix.n ||
			   memcmp(c->key.data, c->prefix.b, c->prefix.n) != 0))
		return kerr_set(err, K_ENOTFOUND, NULL, _("no more records"));
	if (c->ix < 0) {
		int ret;
		if (c->key.size != 8)
			return kerr_set(err, K_ECORRUPT, NULL,
					_("%s: bad key"), c->s->name);
		ret = codec_decode(c->s, c->data.data, c->data.size, rec, err);
		if (ret == 0)
			((struct store_rec *)rec)->id =
				(int64_t)key_get_u64(c->key.data);
		return ret;
	}
	if (c->data.size != 8)
		return kerr_set(err, K_ECORRUPT, NULL, _("index %s.%s: bad entry"),
				c->s->name, c->s->indexes[c->ix].name);
	return store_get(c->t, c->s, (int64_t)key_get_u64(c->data.data), rec,
			 err);
}

/* Moves the cursor; returns Berkeley DB's code. */
static int raw(struct store_cursor *c, const struct keybuf *k, u_int32_t flag)
{
	if (k) {
		void *p = realloc(c->key.data, k->n ? k->n : 1);
		if (!p)
			return ENOMEM;
		memcpy(p, k->b, k->n);
		c->key.data = p;
		c->key.size = (u_int32_t)k->n;
		c->key.ulen = (u_int32_t)k->n;
	}
	return c->dbc->get(c->dbc, &c->key, &c->data, flag);
}

static int finish(struct store_cursor *c, int ret, void *rec, struct kerr *err)
{
	if (ret == DB_NOTFOUND)
		return kerr_set(err, K_ENOTFOUND, NULL, _("no more records"));
	if (ret)
		return store_dberr(c->t->st, ret, err, c->s->name);
	c->positioned = true;
	return load(c, rec, err);
}

static int move(struct store_cursor *c, u_int32_t flag, void *rec,
		struct kerr *err)
{
	return finish(c, raw(c, NULL, flag), rec, err);
}

static int set_range(struct store_cursor *c, const struct keybuf *k,
		     void *rec, struct kerr *err)
{
	return finish(c, raw(c, k, DB_SET_RANGE), rec, err);
}

int store_cursor_first(struct store_cursor *c, void *rec, struct kerr *err)
{
	if (c->bounded)
		return set_range(c, &c->prefix, rec, err);
	return move(c, DB_FIRST, rec, err);
}

int store_cursor_last(struct store_cursor *c, void *rec, struct kerr *err)
{
	if (c->bounded) {
		struct keybuf k = c->prefix;
		uint8_t ff[16];
		int ret;

		memset(ff, 0xff, sizeof ff);
		key_put_bytes(&k, ff, sizeof ff);
		ret = raw(c, &k, DB_SET_RANGE);
		if (ret == DB_NOTFOUND)
			ret = raw(c, NULL, DB_LAST);
		else if (ret == 0)
			ret = raw(c, NULL, DB_PREV);
		return finish(c, ret, rec, err);
	}
	return move(c, DB_LAST, rec, err);
}

int store_cursor_next(struct store_cursor *c, void *rec, struct kerr *err)
{
	return c->positioned ? move(c, DB_NEXT, rec, err) :
			       store_cursor_first(c, rec, err);
}

int store_cursor_prev(struct store_cursor *c, void *rec, struct kerr *err)
{
	return c->positioned ? move(c, DB_PREV, rec, err) :
			       store_cursor_last(c, rec, err);
}

int store_cursor_seek(struct store_cursor *c, const char *text, bool bounded,
		      void *rec, struct kerr *err)
{
	struct keybuf k;

	key_reset(&k);
	if (c->ix < 0) {
		char *end;
		long long id = strtoll(text ? text : "", &end, 10);
		key_put_u64(&k, (uint64_t)(id < 0 ? 0 : id));
		c->bounded = false;
	} else {
		const struct store_index *ix = &c->s->indexes[c->ix];
		const struct store_field *f = store_field_find(c->s, ix->parts[0]);
		if (f->type == SF_TEXT) {
			key_put_text(&k, text, ix->flags & STORE_IX_FOLD, true);
		} else if (f->type == SF_DATE) {
			kdate d;
			if (date_parse(text, &d, err))
				return err ? err->code : K_EINVAL;
			key_put_i64(&k, d);
		} else {
			key_put_i64(&k, strtoll(text ? text : "", NULL, 10));
		}
		c->prefix = k;
		c->bounded = bounded;
	}
	c->positioned = false;
	return set_range(c, &k, rec, err);
}

int store_cursor_seek_rec(struct store_cursor *c, const void *at, void *rec,
			  struct kerr *err)
{
	const struct store_rec *h = at;
	struct keybuf k;

	key_reset(&k);
	if (c->ix < 0)
		key_put_u64(&k, (uint64_t)h->id);
	else if (!store_index_key(c->s, (size_t)c->ix, at, h->id,
				  !ix_unique(c->s, (size_t)c->ix), &k))
		return kerr_set(err, K_ENOTFOUND, NULL, _("no key"));
	return set_range(c, &k, rec, err);
}

int store_cursor_where(struct store_cursor *c, unsigned *permille,
		       struct kerr *err)
{
	DB *db = c->ix < 0 ? c->tab->db : c->tab->ix[c->ix];
	DB_KEY_RANGE r;
	int ret;

	*permille = 0;
	if (!c->positioned)
		return kerr_set(err, K_ENOTFOUND, NULL, _("no current record"));
	if ((ret = db->key_range(db, c->t->txn, &c->key, &r, 0)))
		return store_dberr(c->t->st, ret, err, c->s->name);
	*permille = (unsigned)(r.less * 1000.0 + 0.5);
	if (*permille > 1000)
		*permille = 1000;
	return 0;
}

/* ------------------------------------------------------------ counters */

static int counter_get(struct store_txn *t, const char *series, bool rmw,
		       int64_t *next, struct kerr *err)
{
	DBT data;
	int ret = get_raw(t, t->st->counter, series, strlen(series), &data,
			  rmw, series, err);

	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		*next = 0;
		return 0;
	}
	if (ret)
		return ret;
	if (data.size != 8) {
		free(data.data);
		return kerr_set(err, K_ECORRUPT, NULL,
				_("counter %s: bad value"), series);
	}
	*next = (int64_t)key_get_u64(data.data);
	free(data.data);
	return 0;
}

static int counter_put(struct store_txn *t, const char *series, int64_t next,
		       struct kerr *err)
{
	uint8_t v[8];
	DBT key = { .data = (void *)series, .size = (u_int32_t)strlen(series) };
	DBT data = { .data = v, .size = 8 };

	put_id(v, next);
	return store_dberr(t->st, t->st->counter->put(t->st->counter, t->txn,
						      &key, &data, 0),
			   err, series);
}

int store_counter_next(struct store_txn *t, const char *series,
		       int64_t *out, struct kerr *err)
{
	int64_t next;
	int ret;

	if (t->snapshot)
		return kerr_set(err, K_EINTERNAL, NULL, "counter in a snapshot");
	if ((ret = counter_get(t, series, true, &next, err)))
		return ret;
	if (next == 0)
		next = 1;
	if (next == INT64_MAX)
		return kerr_set(err, K_ERANGE, NULL,
				_("number series %s is exhausted"), series);
	if ((ret = counter_put(t, series, next + 1, err)))
		return ret;
	*out = next;
	return 0;
}

int store_counter_set(struct store_txn *t, const char *series, int64_t next,
		      struct kerr *err)
{
	if (next < 1)
		return kerr_set(err, K_ERANGE, NULL,
				_("number series %s: next number must be 1 or more"),
				series);
	return counter_put(t, series, next, err);
}

int store_counter_peek(struct store_txn *t, const char *series, int64_t *out,
		       struct kerr *err)
{
	return counter_get(t, series, false, out, err);
}

/* ------------------------------------------------------------ meta */

int store_meta_get(struct store_txn *t, const char *key, char *buf, size_t n,
		   struct kerr *err)
{
	DBT data;
	int ret = get_raw(t, t->st->meta, key, strlen(key), &data, false, key,
			  err);

	if (ret)
		return ret;
	snprintf(buf, n, "%.*s", (int)data.size, (const char *)data.data);
	free(data.data);
	return 0;
}

int store_meta_put(struct store_txn *t, const char *key, const char *value,
		   struct kerr *err)
{
	DBT k = { .data = (void *)key, .size = (u_int32_t)strlen(key) };
	DBT d = { .data = (void *)value, .size = (u_int32_t)strlen(value) };

	return store_dberr(t->st, t->st->meta->put(t->st->meta, t->txn, &k, &d,
						   0), err, key);
}
