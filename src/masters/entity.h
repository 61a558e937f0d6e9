/*
 * entity.h - the business entities every screen, import and report
 * works on, described once.
 *
 * An entity is a store schema plus what the business knows about it:
 * its code and name fields, its permission, the rules a record must
 * satisfy before it is saved, and which other tables refer to it (so
 * that a delete can be refused with the reason).  The screen engine,
 * the command line and the importers call the same functions, so a rule
 * written here holds everywhere.
 *
 * Field values cross every boundary as text: ent_field_set() parses a
 * text the way a clerk types it (amounts "1,234.50" or "1234.5", ISO
 * dates, "yes"/"no", a referenced record's code) and ent_field_get()
 * formats it back (amounts without thousands separators, which
 * ent_field_set reads again).
 */
#ifndef KONTOR_MASTERS_ENTITY_H
#define KONTOR_MASTERS_ENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/kerr.h"
#include "store/store.h"

struct entity;

/*
 * The record rule: run inside the saving transaction (t may read other
 * tables).  Sets err->field to the field at fault.
 */
typedef int (*ent_validate_fn)(struct store_txn *t, const struct entity *e,
			       void *rec, struct kerr *err);

/* Recomputes derived fields of rec after a field changed (no I/O). */
typedef void (*ent_change_fn)(const struct entity *e, void *rec);

/*
 * An action on one saved record ("block the party").  Runs its own
 * transaction(s) through st; on success rec holds the record as saved
 * and msg (n bytes) what was done, for the message line.
 */
typedef int (*ent_action_fn)(struct store *st, const struct entity *e,
			     void *rec, char *msg, size_t n, struct kerr *err);

enum hook_kind { HOOK_VALIDATE, HOOK_CHANGE, HOOK_ACTION };

struct ent_hook {
	const char *name;             /* as written in forms/ */
	enum hook_kind kind;
	const char *entity;           /* the entity it works on */
	ent_validate_fn validate;
	ent_change_fn change;
	ent_action_fn action;
	const char *perm;             /* HOOK_ACTION: suffix asked, e.g. "edit" */
};

/* A table whose records point at this entity (for delete). */
struct ent_referrer {
	const char *table;            /* referring table */
	const char *index;            /* its non-unique index on the REF field */
	const char *what;             /* "party (parent)", for the message */
};

/*
 * A field's value in a new record, as text ("status", "active").  A
 * default on a reference field is a code ("uom", "EA"): ent_new() has
 * no transaction to look it up, so the new record holds 0 there and
 * ent_check() resolves the code when the field is still 0 (K_ENOTFOUND
 * naming the field when no record has that code).  An empty reference
 * with a default therefore always takes the default.
 */
struct ent_default {
	const char *field;
	const char *value;
};

struct entity {
	const char *name;             /* "party": forms' entity, import name */
	const char *title;            /* N_("Party") */
	const struct store_schema *schema;
	const char *code_field;       /* "code": unique, human key */
	const char *code_index;       /* its unique index */
	const char *name_field;       /* "name": shown next to the code */
	const char *perm;             /* permission prefix: "party" */
	ent_validate_fn validate;     /* built-in rules (always run), or NULL */
	ent_change_fn change;         /* built-in derived fields, or NULL */
	const struct ent_referrer *refs;
	size_t nrefs;
	const struct ent_hook *hooks;     /* the names forms may use */
	size_t nhooks;
	const struct ent_default *defaults;
	size_t ndefaults;
	/*
	 * Data that belongs with the record but lives outside it (a number
	 * series' counter), or NULL.  apply runs in the writing transaction
	 * after the rules, right before the record is written (ent_save;
	 * writers that insert or update themselves call ent_apply()); it
	 * may write and may change rec.  fill runs after a read and puts
	 * that data into the fields that show it (ent_fill(); ent_get_code
	 * and the screens call it).  Rules (validate) only read, so that a
	 * record can be checked in a snapshot.
	 */
	ent_validate_fn apply;
	ent_validate_fn fill;
};

/*
 * A line of figures a screen shows under a record, computed where the
 * figures live (a party's balance and credit, by the receivables): the
 * form names it (`info = "party_credit";`) and shows what fn writes in
 * its last row.  fn reads through t (a snapshot) and writes at most n
 * bytes into buf; rec is the record as saved.
 */
typedef int (*ent_info_fn)(struct store_txn *t, const void *rec, char *buf,
			   size_t n, struct kerr *err);

struct ent_info {
	const char *name;             /* as written in forms/ */
	const char *entity;           /* the entity it describes */
	ent_info_fn fn;
};

const struct ent_info *ent_info_find(const char *name);

/* Every entity; the schemas of all of them (for store_open). */
extern const struct entity *const ent_all[];
extern const size_t ent_count;
extern const struct store_schema *const ent_schemas[];
extern const size_t ent_nschemas;

const struct entity *ent_find(const char *name);
/* The entity whose schema is table, or NULL. */
const struct entity *ent_by_table(const char *table);
const struct ent_hook *ent_hook_find(const char *name);

/* A new record with the schema's defaults (status "active", ...). */
void *ent_new(const struct entity *e);
/* store_rec_clear + free. */
void ent_free(const struct entity *e, void *rec);

/*
 * Parses text into field f of rec (f may be a field of a list element:
 * rec is then the element).  Empty text clears the field (0, DATE_NONE,
 * NULL).  SF_REF texts are codes of the referenced entity, resolved
 * through t (K_ENOTFOUND: "no party with code X"); t may be NULL for
 * other types.  Errors name the field (err->field = f->name) and say
 * what was expected ("not an amount: 12x", "no such date: 2025-02-30").
 */
int ent_field_set(struct store_txn *t, const struct store_field *f,
		  void *rec, const char *text, struct kerr *err);

/*
 * Formats field f of rec into buf (n bytes): amounts with their scale
 * and no separators, dates ISO, bools "yes"/"no", refs as the code of
 * the referenced record ("#ID" when it is gone), text as is; "" for
 * empty values.  Never fails; t may be NULL only for non-REF fields.
 */
char *ent_field_get(struct store_txn *t, const struct store_field *f,
		    const void *rec, char *buf, size_t n);

/*
 * Runs the entity's rules on rec inside t: resolves the defaults of
 * reference fields still 0 (struct ent_default), recomputes derived
 * fields, then validates.  Writes nothing.
 */
int ent_check(struct store_txn *t, const struct entity *e, void *rec,
	      struct kerr *err);

/*
 * The entity's apply step (struct entity) inside t, the transaction
 * that is about to write rec; 0 when it has none.  Call after
 * ent_check() and before store_insert() or store_update().
 */
int ent_apply(struct store_txn *t, const struct entity *e, void *rec,
	      struct kerr *err);

/*
 * The entity's fill step (struct entity) on rec just read inside t; 0
 * when it has none.
 */
int ent_fill(struct store_txn *t, const struct entity *e, void *rec,
	     struct kerr *err);

/*
 * Saves a record the caller keeps, in one transaction: the entity's
 * rules, then the extra hook (may be NULL), then the entity's apply
 * step, then insert (version 0) or update with the row-version check
 * (K_ECONFLICT "changed by LOGIN at TIME").  rec's id, version and
 * stamp change only when it committed; so do reference fields that
 * took their default.
 */
int ent_save(struct store *st, const struct entity *e, void *rec,
	     ent_validate_fn extra, struct kerr *err);

/*
 * Deletes rec (same version check).  Refused with K_EREFERENCED and a
 * message naming who refers to it ("used by 3 parties (parent), e.g.
 * C0042") when a referrer points at it.
 */
int ent_delete(struct store *st, const struct entity *e, const void *rec,
	       struct kerr *err);

/*
 * One element of a list field as text for people (history screens):
 * its sub-fields formatted by ent_field_get and joined with " | ".
 */
char *ent_elem_text(struct store_txn *t, const struct store_schema *sub,
		    const void *elem, char *buf, size_t n);

/*
 * Calls fn for every field that differs between two versions of a
 * record (old or new NULL: created, deleted), with both values as
 * ent_field_get() gives them (references as codes); a list field is
 * compared element by element, named "contacts[2]".  The value of the
 * side that does not exist is NULL.
 */
typedef void (*ent_diff_fn)(void *arg, const char *field, const char *old,
			    const char *new);
void ent_diff(struct store_txn *t, const struct store_schema *s,
	      const void *old, const void *new, ent_diff_fn fn, void *arg);

/* Reads the record with this code (K_ENOTFOUND), then ent_fill()s it. */
int ent_get_code(struct store_txn *t, const struct entity *e,
		 const char *code, void *rec, struct kerr *err);

#endif
