/*
 * masters.h - the master records CRM and ERP share: parties (customers,
 * suppliers, prospects: one party can be several) and items.
 */
#ifndef KONTOR_MASTERS_MASTERS_H
#define KONTOR_MASTERS_MASTERS_H

#include <stdbool.h>
#include <stdint.h>

#include "masters/entity.h"
#include "store/store.h"

/* A contact person of a party (element of party.contacts). */
struct contact {
	struct store_elem e;
	char *name;
	char *role;
	char *phone;
	char *email;
};

struct party {
	struct store_rec h;
	char *code;              /* unique, upper case, [A-Z0-9._-], 1..20 */
	char *name;              /* required, CJK allowed, <= 100 chars */
	bool customer, supplier, prospect;   /* at least one */
	char *tax_id;            /* 统一社会信用代码 or VAT id, optional */
	char *bill_street, *bill_city, *bill_postcode, *bill_country;
	char *ship_street, *ship_city, *ship_postcode, *ship_country;
	char *phone, *email;
	int64_t credit_limit;    /* money, >= 0; 0 = no limit */
	char *salesperson;       /* login or name */
	int64_t parent;          /* REF party: head office / bill-to, 0 none */
	char *notes;
	char *status;            /* "active" | "blocked" */
	struct store_list contacts;   /* struct contact */
	int64_t payment_terms;   /* REF terms, 0 none */
	int64_t currency;        /* REF currency; 0 = the base currency */
};

struct item {
	struct store_rec h;
	char *code;              /* unique, upper case */
	char *description;       /* required, CJK allowed */
	char *type;              /* stocked | purchased | manufactured | service */
	char *category;
	int64_t standard_cost;   /* price scale 4 */
	int64_t list_price;      /* price scale 4 */
	int64_t lead_time;       /* days, 0..999 */
	int64_t safety_stock;    /* qty scale 3, >= 0 */
	char *lot_rule;          /* lot-for-lot | fixed | eoq | period */
	int64_t lot_size;        /* qty: fixed quantity / minimum (fixed, eoq) */
	int64_t lot_periods;     /* periods covered (period rule) */
	int64_t margin;          /* rate scale 6, computed: (price-cost)/price */
	char *status;            /* "active" | "blocked" */
	int64_t uom;             /* REF unit of measure, default "EA" */
	int64_t tax_code;        /* REF tax ("VAT13"), 0 none */
};

extern const struct store_schema party_schema, contact_schema, item_schema;
extern const struct entity party_entity, item_entity;

#endif
