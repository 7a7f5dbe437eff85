/*
 * fuzz_run.c - whole runs, as `pilvi-analyzer report FILE...` and the
 * other commands make them: up to three files ingested into one new
 * database, then the estimate (kept, its history read back, and the
 * budget under the built-in pricing rules, as --pricing makes it), every
 * report writer (text, Markdown, HTML, JSON, the CSV feed and the
 * workbook), the inventory and the file registry, through the core API
 * that cli.c calls.
 *
 * The input is structure-aware, so that mutations land in CSV bodies
 * under headers the format tables know, and in gzip and zip members,
 * rather than in a compressed stream:
 *
 *   input := file (SEPARATOR file){0,2}        SEPARATOR below
 *   file  := CTL HDR body                      CTL in 0x01..0x10
 *          | body                              any other first byte
 *
 * With CTL, c = CTL - 1 chooses: c & 3 the container the target wraps
 * the body in (plain, gzip, zip, tar.gz) and so the file's name;
 * c & 4 a second report and inventory filtered to the first payer,
 * account and month the first report lists; c & 8 a zip or tar.gz that
 * holds a CUR delivery (the body as the data file a manifest lists),
 * planned and read member by member as cli.c does. HDR 0 leaves the body as
 * it is; HDR k puts the real header headers[(k - 1) % NHEADERS] and a
 * newline before it. Without CTL the bytes are one plain CSV file: the
 * fixtures replay as they are.
 *
 * What is checked, besides the sanitizers: ingest fails only as a bad
 * input (never fatal on a private database); a file ingested without a
 * store (check) gives the same payer-months, rows and sums as stored;
 * building the report, estimate and inventory never fails; every
 * writer succeeds; every output is UTF-8 and the JSON ones parse; each
 * record of the CSV feed has the feed's columns; the workbook is a zip;
 * one bill alone is reported with its own payer-months and totals; and
 * no temporary file is left behind.
 */
#define _GNU_SOURCE	/* memfd_create */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "budget.h"
#include "csvread.h"
#include "estimate.h"
#include "fuzz.h"
#include "ingest.h"
#include "inventory.h"
#include "report.h"
#include "store.h"
#include "walk.h"

#define SEPARATOR "\n--pilvi-fuzz-next-file--\n"
#define MAX_FILES 3

/* Headers of real reports, one of each family the format tables know
 * (from fixtures/ and formats.md). */
static const char *const headers[] = {
	/* monthly report, consolidated */
	"InvoiceID,PayerAccountId,LinkedAccountId,RecordType,RecordID,"
	"BillingPeriodStartDate,BillingPeriodEndDate,InvoiceDate,"
	"PayerAccountName,LinkedAccountName,TaxationAddress,PayerPONumber,"
	"ProductCode,ProductName,SellerOfRecord,UsageType,Operation,RateId,"
	"ItemDescription,UsageStartDate,UsageEndDate,UsageQuantity,"
	"BlendedRate,CurrencyCode,CostBeforeTax,Credits,TaxAmount,TaxType,"
	"TotalCost",
	/* cost allocation report */
	"InvoiceID,PayerAccountId,LinkedAccountId,RecordType,RecordID,"
	"BillingPeriodStartDate,BillingPeriodEndDate,InvoiceDate,"
	"PayerAccountName,LinkedAccountName,TaxationAddress,PayerPONumber,"
	"ProductCode,ProductName,SellerOfRecord,UsageType,Operation,"
	"AvailabilityZone,RateId,ItemDescription,UsageStartDate,UsageEndDate,"
	"UsageQuantity,BlendedRate,CurrencyCode,CostBeforeTax,Credits,"
	"TaxAmount,TaxType,TotalCost,user:Name,user:name",
	/* detailed billing report */
	"InvoiceID,PayerAccountId,LinkedAccountId,RecordType,ProductName,"
	"RateId,SubscriptionId,PricingPlanId,UsageType,Operation,"
	"AvailabilityZone,ReservedInstance,ItemDescription,UsageStartDate,"
	"UsageEndDate,UsageQuantity,BlendedRate,BlendedCost,UnBlendedRate,"
	"UnBlendedCost",
	/* DBR with resources and tags, single account (Cost) */
	"InvoiceID,PayerAccountId,LinkedAccountId,RecordType,RecordId,"
	"ProductName,RateId,SubscriptionId,PricingPlanId,UsageType,Operation,"
	"AvailabilityZone,ReservedInstance,ItemDescription,UsageStartDate,"
	"UsageEndDate,UsageQuantity,Rate,Cost,ResourceId,user:Owner,"
	"user:owner",
	/* DBR with resources and tags, blended only */
	"InvoiceID,PayerAccountId,LinkedAccountId,RecordType,RecordId,"
	"ProductName,RateId,SubscriptionId,PricingPlanId,UsageType,Operation,"
	"AvailabilityZone,ReservedInstance,ItemDescription,UsageStartDate,"
	"UsageEndDate,UsageQuantity,BlendedRate,BlendedCost,ResourceId,"
	"user:Name",
	/* CUR */
	"lineItem/UnblendedCost,identity/LineItemId,bill/PayerAccountId,"
	"bill/InvoiceId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,"
	"lineItem/UsageAccountId,lineItem/LineItemType,"
	"lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,"
	"lineItem/UsageType,lineItem/Operation,lineItem/AvailabilityZone,"
	"lineItem/ResourceId,lineItem/UsageAmount,lineItem/CurrencyCode,"
	"lineItem/LineItemDescription,product/ProductName,product/region,"
	"resourceTags/user:Name",
	/* CUR in Athena's snake case */
	"identity_line_item_id,bill_invoice_id,bill_payer_account_id,"
	"bill_billing_period_start_date,line_item_usage_account_id,"
	"line_item_line_item_type,line_item_usage_start_date,"
	"line_item_usage_end_date,line_item_product_code,"
	"line_item_usage_type,line_item_unblended_cost,product_region,"
	"resource_tags_user_name",
	/* CUR 2.0 */
	"identity_line_item_id,bill_invoice_id,bill_payer_account_id,"
	"bill_payer_account_name,bill_billing_period_start_date,"
	"line_item_usage_account_id,line_item_usage_account_name,"
	"line_item_line_item_type,line_item_usage_start_date,"
	"line_item_usage_end_date,line_item_product_code,line_item_usage_type,"
	"line_item_operation,line_item_availability_zone,"
	"line_item_resource_id,line_item_usage_amount,line_item_currency_code,"
	"line_item_unblended_cost,product_product_name,product_region_code,"
	"resource_tags",
	/* FOCUS */
	"BilledCost,BillingAccountId,BillingAccountName,BillingCurrency,"
	"BillingPeriodStart,BillingPeriodEnd,ChargeCategory,ChargeClass,"
	"ChargeDescription,ChargePeriodStart,ChargePeriodEnd,"
	"ConsumedQuantity,ProviderName,RegionId,AvailabilityZone,ResourceId,"
	"ServiceName,SubAccountId,SubAccountName,Tags,x_ServiceCode,"
	"x_UsageType,x_Operation",
	/* hand-made service lists */
	"service,account,region,monthly_cost,month",
	"Service name,AWS account ID,Account name,AWS Region,Cost (EUR)",
};
#define NHEADERS (sizeof(headers) / sizeof(headers[0]))

/* The name file i is given, by container: CUR-style parts, so the part
 * number is read too. */
static const char *const names[][2] = {
	{ "report-", ".csv" }, { "report-0000", ".csv.gz" },
	{ "export-", ".zip" }, { "export-", ".tar.gz" }
};

/* The process's temporary folder: TMPDIR for the core, where the
 * database and the workbook go; empty after every input. */
static char tmpdir[4096];

/*
 * A new database costs its migrations and reference data, 80 ms under
 * ASan, most of a run: it is made once, kept as bytes, and each input
 * gets a copy as a file, opened as `--db FILE` opens one.
 */
static unsigned char *template_db;
static size_t template_len;

/* Pilvi's built-in pricing rules, for the budget (--pricing). */
static struct pricing_rules rules;

static void
remove_tmpdir(void)
{
	if (tmpdir[0] != '\0')
		rmdir(tmpdir);
}

/* tmpdir/name */
static void
in_tmpdir(char *out, size_t n, const char *name)
{
	if ((size_t)snprintf(out, n, "%s/%s", tmpdir, name) >= n)
		abort();
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *p;
	long n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) <= 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 || (p = malloc((size_t)n)) == NULL ||
	    fread(p, 1, (size_t)n, fp) != (size_t)n)
		abort();
	fclose(fp);
	*len = (size_t)n;
	return p;
}

/* Remove a database file and its companions. */
static void
remove_db(const char *path)
{
	char side[4300];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static void
setup(void)
{
	const char *t = getenv("TMPDIR");
	struct store *st;
	struct pv_error err;
	char path[4200];

	/* tmpfs where there is one: the workbook writer makes a dozen
	 * files a run */
	if (t == NULL || *t == '\0')
		t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(tmpdir, sizeof(tmpdir), "%s/pilvi-fuzz-run.XXXXXX", t);
	if (mkdtemp(tmpdir) == NULL)
		abort();
	atexit(remove_tmpdir);
	setenv("TMPDIR", tmpdir, 1);
	/* the same report for the same input, whenever it runs */
	setenv("SOURCE_DATE_EPOCH", "1790000000", 1);
	/* Parquet is DuckDB's to parse, not ours: left out unless asked */
	setenv("PILVI_DUCKDB", "/nonexistent/libduckdb.so", 0);
	in_tmpdir(path, sizeof(path), "template.db");
	pv_error_clear(&err);
	if (store_open(&st, path, &err) != 0) {
		fprintf(stderr, "fuzz_run: %s\n", err.msg);
		abort();
	}
	store_close(st);
	template_db = slurp(path, &template_len);
	remove_db(path);
	if (pricing_rules_default(&rules, &err) != 0)
		abort();
}

/* The budget under Pilvi of e, as --pricing makes it: NULL when the
 * rules cannot price the bill (a currency they do not convert from:
 * the input's fault, exit status 1). */
static struct budget *
budget_of(struct store *st, const struct estimate *e)
{
	struct budget *b = NULL;
	struct pv_error err;

	pv_error_clear(&err);
	if (budget_build(st, e, &rules, &b, &err) != 0) {
		if (err.kind != PV_ERR_INPUT) {
			fprintf(stderr, "fuzz_run: budget: %s\n", err.msg);
			abort();
		}
		if (getenv("FUZZ_RUN_VERBOSE") != NULL)
			fprintf(stderr, "budget: %s\n", err.msg);
		return NULL;
	}
	if (getenv("FUZZ_RUN_VERBOSE") != NULL)
		fprintf(stderr, "budget: %zu payers\n", b->npayers);
	return b;
}

/* Nothing may be left in tmpdir. */
static void
check_tmpdir_empty(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;

	if (d == NULL)
		abort();
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			fprintf(stderr, "fuzz_run: '%s' was left in TMPDIR\n",
			    e->d_name);
			abort();
		}
	closedir(d);
}

/* ---- building the files ------------------------------------------- */

struct buf {
	unsigned char *p;
	size_t n, cap;
};

static void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			abort();
	}
	if (n > 0)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void
gzip_into(struct buf *out, const unsigned char *p, size_t n)
{
	z_stream z;
	unsigned char chunk[16384];
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = deflate(&z, Z_FINISH);
		if (rc == Z_STREAM_ERROR)
			abort();
		buf_add(out, chunk, sizeof(chunk) - z.avail_out);
	} while (rc != Z_STREAM_END);
	deflateEnd(&z);
}

/* A legacy CUR delivery's date folder: its manifest, then the file. */
#define DELIVERY_DIR "acme/20261001-20261101/"
static const char manifest[] =
    "{\"assemblyId\":\"00000000-0000-0000-0000-000000000001\","
    "\"account\":\"777777777777\",\"reportName\":\"acme\","
    "\"billingPeriod\":{\"start\":\"20261001T000000.000Z\","
    "\"end\":\"20261101T000000.000Z\"},"
    "\"reportKeys\":[\"cur/" DELIVERY_DIR "acme-1.csv\"]}";

static void
add_member(struct archive *a, const char *name, const void *p, size_t n)
{
	struct archive_entry *e = archive_entry_new();

	if (e == NULL)
		abort();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)n);
	archive_entry_set_mtime(e, 1790000000, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    (n > 0 && archive_write_data(a, p, n) != (la_ssize_t)n))
		abort();
	archive_entry_free(e);
}

/* The file as the one member "part-1.csv" of a zip or a tar.gz, or
 * (delivery) as the data file of a CUR delivery, beside its manifest. */
static void
archive_into(struct buf *out, const unsigned char *p, size_t n, int zip,
    int delivery)
{
	struct archive *a = archive_write_new();
	size_t cap = n * 2 + 65536, used = 0;
	unsigned char *mem = malloc(cap);

	if (a == NULL || mem == NULL)
		abort();
	if ((zip ? archive_write_set_format_zip(a) :
	    (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ? -1 :
	    archive_write_add_filter_gzip(a))) != ARCHIVE_OK ||
	    archive_write_open_memory(a, mem, cap, &used) != ARCHIVE_OK)
		abort();
	if (delivery) {
		add_member(a, DELIVERY_DIR "acme-Manifest.json", manifest,
		    sizeof(manifest) - 1);
		add_member(a, DELIVERY_DIR "acme-1.csv", p, n);
	} else
		add_member(a, "part-1.csv", p, n);
	if (archive_write_close(a) != ARCHIVE_OK)
		abort();
	archive_write_free(a);
	buf_add(out, mem, used);
	free(mem);
}

struct file {
	struct buf bytes;	/* as ingested */
	char name[32];
	int filtered;		/* c & 4 */
	int delivery;		/* c & 8, for zip and tar.gz */
};

/* Make file f, the input's i-th, from its part p[0..n). */
static void
make_file(struct file *f, size_t i, const unsigned char *p, size_t n)
{
	struct buf plain = { NULL, 0, 0 };
	int c = 0;

	memset(f, 0, sizeof(*f));
	if (n >= 2 && p[0] >= 1 && p[0] <= 16) {
		c = p[0] - 1;
		if (p[1] > 0) {
			const char *h = headers[(p[1] - 1) % NHEADERS];

			buf_add(&plain, h, strlen(h));
			buf_add(&plain, "\n", 1);
		}
		p += 2;
		n -= 2;
	}
	buf_add(&plain, p, n);
	snprintf(f->name, sizeof(f->name), "%s%zu%s", names[c & 3][0], i + 1,
	    names[c & 3][1]);
	f->filtered = (c & 4) != 0;
	f->delivery = (c & 8) != 0;
	switch (c & 3) {
	case 0:
		f->bytes = plain;
		return;
	case 1:
		gzip_into(&f->bytes, plain.p, plain.n);
		break;
	case 2:
	case 3:
		archive_into(&f->bytes, plain.p, plain.n, (c & 3) == 2,
		    f->delivery);
		break;
	}
	free(plain.p);
}

/* ---- checks on the outputs ---------------------------------------- */

struct out {
	char *p;
	size_t n;
	FILE *fp;
};

static FILE *
out_open(struct out *o)
{
	o->p = NULL;
	o->n = 0;
	if ((o->fp = open_memstream(&o->p, &o->n)) == NULL)
		abort();
	return o->fp;
}

/* Close o, abort when the writer said it failed; keeps o->p. */
static void
out_close(struct out *o, int rc)
{
	if (fclose(o->fp) != 0 || rc != 0)
		abort();
}

/* Is s[0..n) UTF-8? The input is (csvread refuses anything else), so
 * every output must be: a name cut to a column's width or a buffer's
 * size must not cut a character. */
static int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, len;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		len = p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : p[i] >= 0xc2 ? 2 : 0;
		if (len == 0 || p[i] > 0xf4 || i + len > n)
			return 0;
		for (k = 1; k < len; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

static void
check_utf8(const struct out *o, const char *what)
{
	if (!utf8_valid(o->p, o->n)) {
		fprintf(stderr, "fuzz_run: the %s is not UTF-8\n", what);
		abort();
	}
}

static void
check_json(struct out *o, int rc)
{
	json_error_t jerr;
	json_t *j;

	out_close(o, rc);
	if ((j = json_loadb(o->p, o->n, 0, &jerr)) == NULL) {
		fprintf(stderr, "fuzz_run: bad JSON: %s (line %d)\n",
		    jerr.text, jerr.line);
		abort();
	}
	json_decref(j);
	free(o->p);
}

static void
check_text(struct out *o, int rc, const char *what)
{
	out_close(o, rc);
	check_utf8(o, what);
	free(o->p);
}

static int
on_feed_record(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	(void)ctx;
	(void)err;
	if (rec->nfields != REPORT_FEED_NCOLUMNS) {
		fprintf(stderr, "fuzz_run: feed line %ld has %zu fields\n",
		    rec->line, rec->nfields);
		abort();
	}
	return 0;
}

static void
check_feed(struct out *o, int rc)
{
	struct pv_error err;
	struct csvread *r;

	out_close(o, rc);
	check_utf8(o, "CSV feed");
	r = csvread_new("feed", NULL, on_feed_record, NULL);
	if (csvread_feed(r, o->p, o->n, &err) != 0 ||
	    csvread_finish(r, &err) != 0 || csvread_records(r) < 1)
		abort();
	csvread_free(r);
	free(o->p);
}

static void
check_xlsx(const struct report *r)
{
	char path[4200];
	unsigned char head[4];
	struct pv_error err;
	FILE *fp;

	in_tmpdir(path, sizeof(path), "feed.xlsx");
	pv_error_clear(&err);
	if (report_write_xlsx(r, path, &err) != 0) {
		fprintf(stderr, "fuzz_run: workbook: %s\n", err.msg);
		abort();
	}
	if ((fp = fopen(path, "rb")) == NULL || fread(head, 1, 4, fp) != 4 ||
	    memcmp(head, "PK\3\4", 4) != 0)
		abort();
	fclose(fp);
	unlink(path);
}

/* check (no store) and ingest read a file alike */
static void
check_same_periods(const struct ingest_result *a, const struct ingest_result *b)
{
	size_t i;

	if (a->nperiods != b->nperiods || a->rows != b->rows)
		abort();
	for (i = 0; i < a->nperiods; i++) {
		const struct ingest_period *p = &a->periods[i], *q = &b->periods[i];

		if (strcmp(p->payer, q->payer) != 0 ||
		    strcmp(p->period, q->period) != 0 || p->rows != q->rows ||
		    memcmp(p->sums, q->sums, sizeof(p->sums)) != 0)
			abort();
	}
}

/* ---- the run ------------------------------------------------------ */

/* Ingest path (shown as name) into st, and without a store as check
 * does; *stored is the caller's to release. Returns 0 when the file
 * went in (or was a duplicate), -1 when it was refused. */
static int
ingest_path(struct store *st, const char *path, const char *name,
    struct ingest_result *stored)
{
	struct ingest_options io;
	struct ingest_result checked;
	struct pv_error err, cerr;
	int rc, crc;

	ingest_options_default(&io);
	io.limits.max_expanded_bytes = 64u << 20;
	io.name = name;
	crc = ingest_file(NULL, path, &io, &checked, &cerr);
	rc = ingest_file(st, path, &io, stored, &err);
	if (rc != crc)
		abort();
	if (rc != 0) {
		/* a bad file, said with a message; never "the run cannot go
		 * on" on a private database */
		if (err.kind != PV_ERR_INPUT || err.msg[0] == '\0') {
			fprintf(stderr, "fuzz_run: ingest: %s\n", err.msg);
			abort();
		}
	} else
		check_same_periods(&checked, stored);
	/* FUZZ_RUN_VERBOSE=1: what became of each file, to see what a
	 * corpus reaches */
	if (getenv("FUZZ_RUN_VERBOSE") != NULL) {
		if (rc != 0)
			fprintf(stderr, "%s: %s:%ld: %s\n", name, err.file,
			    err.line, err.msg);
		else
			fprintf(stderr, "%s: %s %s, %ld rows, %zu payer-months"
			    "%s\n", name, stored->container, stored->format,
			    stored->rows, stored->nperiods, stored->status ==
			    INGEST_DUPLICATE ? " (duplicate)" : "");
	}
	ingest_result_release(&checked);
	return rc;
}

/*
 * Ingest f as cli.c's ingest_all does: an archive that holds a delivery
 * is planned (walk.h) and the members the plan takes are ingested, any
 * other file as it is. *res: the result of the last file or member
 * ingested (the caller releases it); *n: how many were tried, *ok: how
 * many went in.
 */
static void
ingest_one(struct store *st, const struct file *f, struct ingest_result *res,
    int *n, int *ok)
{
	struct source_limits lim;
	struct walk_plan plan;
	struct walk_members *m = NULL;
	const struct walk_item *it;
	struct pv_error err;
	char path[64], member[64], shown[600];
	int fd = memfd_create("fuzz-run", MFD_CLOEXEC), r;

	if (fd < 0)
		abort();
	if (f->bytes.n > 0 && write(fd, f->bytes.p, f->bytes.n) !=
	    (ssize_t)f->bytes.n)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	source_limits_default(&lim);
	lim.max_expanded_bytes = 64u << 20;
	if (walk_plan(path, &lim, &plan, &err) != 0)
		plan.delivery = 0;	/* a bad archive: ingest says why */
	if (!plan.delivery || plan.archive == NULL) {
		ingest_result_release(res);
		*ok += ingest_path(st, path, f->name, res) == 0;
		(*n)++;
		goto out;
	}
	for (r = 0; getenv("FUZZ_RUN_VERBOSE") != NULL && (size_t)r <
	    plan.nnotes; r++)
		fprintf(stderr, "%s: %s: %s\n", f->name, plan.notes[r].subject,
		    plan.notes[r].text);
	if (walk_members_open(&m, &plan, &lim, &err) != 0) {
		if (err.kind != PV_ERR_INPUT)
			abort();
		goto out;
	}
	while ((r = walk_members_next(m, &it, member, sizeof(member), &err)) ==
	    1) {
		snprintf(shown, sizeof(shown), "%s(%.500s)", f->name, it->path);
		ingest_result_release(res);
		*ok += ingest_path(st, member, shown, res) == 0;
		(*n)++;
	}
	if (r < 0 && err.kind != PV_ERR_INPUT) {
		fprintf(stderr, "fuzz_run: delivery: %s\n", err.msg);
		abort();
	}
out:
	walk_members_free(m);
	walk_plan_release(&plan);
	close(fd);
}

/*
 * One bill alone in the database: the report's payer-months are the
 * file's, with the file's totals (the report reads them back from the
 * store, so a payer or amount changed on the way shows here).
 */
static void
check_report_periods(const struct report *r, const struct ingest_result *in)
{
	size_t i, j;

	if (strcmp(in->format, "manual") == 0)
		return;		/* a service list has no billing months */
	if (r->nperiods != in->nperiods) {
		fprintf(stderr, "fuzz_run: %zu payer-months ingested, %zu "
		    "reported\n", in->nperiods, r->nperiods);
		abort();
	}
	for (i = 0; i < in->nperiods; i++) {
		const struct ingest_period *p = &in->periods[i];
		money_t total;

		for (j = 0; j < r->nperiods; j++)
			if (strcmp(r->periods[j].payer, p->payer) == 0 &&
			    strcmp(r->periods[j].period, p->period) == 0)
				break;
		if (j == r->nperiods) {
			fprintf(stderr, "fuzz_run: payer '%s' %s ingested, "
			    "not reported\n", p->payer, p->period);
			abort();
		}
		if (ingest_period_total(p, &total) == 0 &&
		    total != r->periods[j].total) {
			fprintf(stderr, "fuzz_run: payer '%s' %s: total "
			    "%lld ingested, %lld reported\n", p->payer,
			    p->period, (long long)total,
			    (long long)r->periods[j].total);
			abort();
		}
	}
}

static void
estimate_all(struct store *st)
{
	struct estimate_options eo = { NULL, NULL, NULL, 0 };
	struct estimate_record *hist = NULL;
	struct estimate *e = NULL;
	struct budget *pilvi;
	struct pv_error err;
	struct out o;
	size_t nhist = 0;

	pv_error_clear(&err);
	if (estimate_build(st, &eo, &e, &err) != 0 ||
	    estimate_record(st, e, &err) != 0 ||
	    estimate_history(st, NULL, &hist, &nhist, &err) != 0) {
		fprintf(stderr, "fuzz_run: estimate: %s\n", err.msg);
		abort();
	}
	pilvi = budget_of(st, e);
	if (e->npayers > 0)
		check_text(&o, report_write_estimate(e, hist, nhist, pilvi,
		    out_open(&o)), "estimate");
	check_json(&o, report_write_estimate_json(e, hist, nhist, pilvi,
	    out_open(&o)));
	budget_free(pilvi);
	estimate_history_free(hist, nhist);
	estimate_free(e);
}

static void
inventory_all(struct store *st, const struct inventory_options *io)
{
	struct inventory *inv;
	struct pv_error err;
	struct out o;

	pv_error_clear(&err);
	if (inventory_build(st, io, &inv, &err) != 0) {
		fprintf(stderr, "fuzz_run: inventory: %s\n", err.msg);
		abort();
	}
	check_text(&o, report_write_inventory(inv, out_open(&o)), "inventory");
	inventory_free(inv);
}

/* The report in every format; the first payer, account and month it
 * lists go to *payer, *account and *month (the caller frees them). */
static void
report_all(struct store *st, const struct report_options *ro,
    const struct ingest_result *only, char **payer, char **account,
    char **month)
{
	struct report *r;
	struct pv_error err;
	struct out o;

	pv_error_clear(&err);
	if (report_build(st, ro, &r, &err) != 0) {
		fprintf(stderr, "fuzz_run: report: %s\n", err.msg);
		abort();
	}
	if (only != NULL)
		check_report_periods(r, only);
	if (r->estimate != NULL)
		r->pilvi = budget_of(st, r->estimate);
	check_text(&o, report_write_text(r, out_open(&o)), "text report");
	check_text(&o, report_write_markdown(r, out_open(&o)), "Markdown");
	check_text(&o, report_write_html(r, out_open(&o)), "HTML report");
	check_json(&o, report_write_json(r, out_open(&o)));
	check_feed(&o, report_write_csv(r, out_open(&o)));
	check_xlsx(r);
	if (payer != NULL) {
		*payer = r->npayers > 0 ? strdup(r->payers[0]) : NULL;
		*account = r->naccounts > 0 ? strdup(r->accounts[0]) : NULL;
		*month = r->nmonths > 0 ? strdup(r->months[r->nmonths - 1]) :
		    NULL;
	}
	report_free(r);
}

static void
files_all(struct store *st)
{
	struct report_options ro = { NULL, NULL, NULL, 0, REPORT_FILES, NULL,
	    NULL };
	struct report *r;
	struct pv_error err;
	struct out o;

	pv_error_clear(&err);
	if (report_build(st, &ro, &r, &err) != 0)
		abort();
	check_text(&o, report_write_files(r, out_open(&o)), "file list");
	check_json(&o, report_write_files_json(r, out_open(&o)));
	report_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct file files[MAX_FILES];
	struct report_options ro = { NULL, NULL, NULL, 0, 0, "Acme <&\"'> Oy",
	    "C-1" };
	struct inventory_options io = { NULL, NULL, NULL, 0 };
	struct ingest_result res;
	struct store *st;
	struct pv_error err;
	char db[4200];
	FILE *fp;
	int tried = 0, ok = 0;
	char *payer = NULL, *account = NULL, *month = NULL;
	const unsigned char *p = data, *end = data + size, *sep;
	size_t nfiles = 0, i;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (data == NULL)	/* size 0 from replay.c */
		p = end = (const unsigned char *)"";
	while (nfiles < MAX_FILES) {
		sep = nfiles + 1 < MAX_FILES ? memmem(p, (size_t)(end - p),
		    SEPARATOR, sizeof(SEPARATOR) - 1) : NULL;
		make_file(&files[nfiles], nfiles, p, sep != NULL ?
		    (size_t)(sep - p) : (size_t)(end - p));
		nfiles++;
		if (sep == NULL)
			break;
		p = sep + sizeof(SEPARATOR) - 1;
	}
	in_tmpdir(db, sizeof(db), "run.db");
	if ((fp = fopen(db, "wb")) == NULL || fwrite(template_db, 1,
	    template_len, fp) != template_len || fclose(fp) != 0)
		abort();
	pv_error_clear(&err);
	if (store_open(&st, db, &err) != 0) {
		fprintf(stderr, "fuzz_run: %s\n", err.msg);
		abort();
	}
	memset(&res, 0, sizeof(res));
	for (i = 0; i < nfiles; i++)
		ingest_one(st, &files[i], &res, &tried, &ok);
	estimate_all(st);
	report_all(st, &ro, tried == 1 && ok == 1 ? &res : NULL, &payer,
	    &account, &month);
	inventory_all(st, &io);
	files_all(st);
	if (files[0].filtered) {
		ro.payer = io.payer = payer;
		ro.month = io.month = month;
		ro.account = io.account = account;
		report_all(st, &ro, NULL, NULL, NULL, NULL);
		inventory_all(st, &io);
	}
	store_close(st);
	remove_db(db);
	check_tmpdir_empty();
	free(payer);
	free(account);
	free(month);
	ingest_result_release(&res);
	for (i = 0; i < nfiles; i++)
		free(files[i].bytes.p);
	return 0;
}
