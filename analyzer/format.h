/*
 * format.h - recognise an AWS billing report from its header and map
 * each of its records to canonical charges (charge.h).
 *
 * Columns are always found by name, never by position: CUR headers vary
 * from month to month, CUR 2.0 columns are chosen by the customer, DBRs
 * come with blended or single-account cost columns, tag columns follow.
 */
#ifndef PILVI_FORMAT_H
#define PILVI_FORMAT_H

#include "charge.h"
#include "csvread.h"
#include "error.h"

enum format_kind {
	FORMAT_MONTHLY,
	FORMAT_COST_ALLOCATION,
	FORMAT_DBR,
	FORMAT_DBR_RT,
	FORMAT_CUR,
	FORMAT_CUR2,
	FORMAT_FOCUS,
	FORMAT_MANUAL,		/* a hand-made service list */
	FORMAT_NKIND
};

/* "monthly", "cost-allocation", "dbr", "dbr-rt", "cur", "cur2", "focus",
 * "manual". */
const char *format_name(enum format_kind k);

/*
 * How detailed a report family is: when two families describe the same
 * payer and month, reports count the one with the higher rank.
 */
int format_detail_rank(enum format_kind k);

/* Does the family split one delivery into numbered parts (CUR-style
 * "report-1.csv.gz", "export-00001.csv.gz")? */
int format_has_parts(enum format_kind k);

/* Is rec the "Don't see your tags in the report?" disclaimer line (one
 * field, or that field followed by empty ones as Excel writes it)? */
int format_is_disclaimer(const struct csv_record *rec);

struct format;

/*
 * Detect the report kind from its header record. On success returns 0
 * and a new column map in *out (free with format_free). A CSV that is
 * no billing report and no service list gives -1 and "not an AWS billing
 * report (...)". now is the current time: a service list without a
 * month column describes the month of now.
 */
int format_detect(struct format **out, const struct csv_record *header,
    const char *display, pv_time now, struct pv_error *err);

enum format_kind format_kind(const struct format *f);

/*
 * Which cost the lines carry: "unblended" (UnBlendedCost, CUR's
 * UnblendedCost), "blended" (a DBR whose only cost is BlendedCost: the
 * organisation's average rates, not what each account was charged), or
 * "billed" (a single-account DBR's Cost, a monthly report's totals,
 * FOCUS BilledCost); "" for a service list.
 */
const char *format_cost_basis(const struct format *f);
size_t format_nfields(const struct format *f);

enum format_row_kind {
	ROW_CHARGES,	/* ch[0..nch) are line items (nch may be 0) */
	ROW_TOTAL,	/* total is a statement/invoice/account total */
	ROW_OPEN_MONTH,	/* the EstimatedDisclaimer row: the month is open */
	ROW_OTHER_PROVIDER,	/* a FOCUS row of another cloud: provider, ch[0] */
	ROW_SPLIT		/* a CUR split cost allocation line (an ECS task's
				   or EKS pod's share of an instance whose own
				   line is counted): ch[0], not to be added */
};

#define FORMAT_MAX_TAGS 64	/* tag keys kept per line; more are ignored */

struct format_row {
	enum format_row_kind kind;
	struct charge ch[4];	/* a monthly line splits into cost, credits,
				   tax and what TotalCost says beyond them */
	int nch;
	struct charge_total total;
	int estimated;		/* 1 open month, 0 invoiced, -1 not stated */
	struct pv_str provider;
	int unknown_type;	/* line_type not known: classed by
				 * charge_class_unknown (CUR, FOCUS) or
				 * by its text (DBR, monthly) */
	int cost_places;	/* decimal places the cost column was written with */
	/* tag keys with a non-empty value on this line ("user:Owner",
	 * "user_name", ...); they point into the record or the format */
	struct pv_str tags[FORMAT_MAX_TAGS];
	int ntags;
	pv_time through;	/* ROW_OPEN_MONTH: data through this time; -1 */
	struct pv_str line_id;	/* ROW_CHARGES: the line's own id
				 * (identity/LineItemId, RecordId); empty
				 * when the format or the line has none */
};

/*
 * Map one data record. Returns 0 with *row filled (its strings point
 * into rec, valid until the next record), or -1 with err filled
 * (wrong number of fields, unreadable amount or date).
 */
int format_map(struct format *f, const struct csv_record *rec,
    struct format_row *row, struct pv_error *err);

void format_free(struct format *f);

/* Do the format's lines carry an id of their own (CUR's
 * identity/LineItemId, CUR 2.0's identity_line_item_id, a DBR's
 * RecordId)? 1 or 0. */
int format_has_line_ids(const struct format *f);

/* The columns that tell one line item from another where the format
 * has line ids: the id first, then those of the billing period's start
 * and the usage interval that the header has. Returns how many went
 * into cols, 0 when lines have no id of their own. */
#define FORMAT_IDENTITY_MAX 4

/* A record's line id (empty when it has none, or not the header's
 * number of fields), as format_map sets row->line_id. */
struct pv_str format_line_id(const struct format *f,
    const struct csv_record *rec);
int format_identity_columns(const struct format *f,
    int cols[FORMAT_IDENTITY_MAX]);

/* A usage quantity as strtod reads it (0 for text that is not a number,
 * whole: quantities never fail a file), with a fast path for plain
 * decimals that gives the same double. */
double format_quantity(const char *s, size_t n);

#endif
