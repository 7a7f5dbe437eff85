/*
 * main.c - parse the command line and hand over to cli.c.
 */
#include <sys/stat.h>

#include <getopt.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "ingest.h"
#include "source.h"

#define VERSION "0.1.0"

static const char usage_text[] =
"usage: pilvi-analyzer [--db FILE] [--quiet] [--verbose] COMMAND [ARGS]\n"
"\n"
"Read AWS billing files (DBR, monthly and cost allocation reports, CUR,\n"
"CUR 2.0, FOCUS; CSV or Parquet, plain, .gz, .zip, or a delivery folder)\n"
"into a SQLite database and report.\n"
"\n"
"commands:\n"
"  ingest FILE...     add billing files or delivery folders to the\n"
"                     database (- is stdin)\n"
"  report [FILE...]   (ingest FILEs, then) write the report\n"
"  inventory          which services run where; Pilvi support status\n"
"  estimate           monthly budget from a partial month (--backtest)\n"
"  export             the billing-spreadsheet feed (csv, xlsx), or the\n"
"                     lines and summaries as Parquet (parquet DIR)\n"
"  drop DIR           process an email-drop folder (for cron)\n"
"  files              what has been ingested, from which file, with status\n"
"  check FILE...      validate and total files without storing them\n"
"\n"
"options:\n"
"  --db FILE          database (default: $PILVI_DB, else ./pilvi.db;\n"
"                     report FILE... without --db uses a memory database)\n"
"  -q, --quiet        print only errors\n"
"  -v, --verbose      say more\n"
"  -h, --help         this help; COMMAND --help for a command's\n"
"  -V, --version      print the version\n"
"  --max-size SIZE    refuse an input that decompresses to more than SIZE\n"
"                     bytes (K, M, G suffixes; default 64G)\n"
"  --max-ratio N      refuse an input that decompresses to more than N\n"
"                     times its size, past 64 MB (default 100)\n"
"  -j, --jobs N       ingest, report, check, drop: threads reading a\n"
"                     file (default: the cores; 1 uses one core, more\n"
"                     than 2 gain nothing yet)\n"
"\n"
"exit status: 0 all good, 1 some input rejected, 2 usage error, 3 fatal\n";

/* What a command takes after its options. */
enum operands {
	NO_OPERANDS,
	FILES_OPTIONAL,		/* report [FILE...] */
	FILES_REQUIRED,		/* ingest FILE..., check FILE... */
	ONE_FOLDER,		/* drop DIR */
	OUTPUT_OPERAND		/* export [DIR]: the output, as -o */
};

struct command {
	const char *name;
	int (*run)(const struct cli_options *o, char **argv, int argc);
	enum operands operands;
	const char *formats;	/* the --format values; NULL: no --format */
	const char *default_format;	/* NULL: --format must be given */
	int reads_db;		/* needs a database that exists (read-only) */
	const char *help;
};

static int run_ingest(const struct cli_options *, char **, int);
static int run_report(const struct cli_options *, char **, int);
static int run_inventory(const struct cli_options *, char **, int);
static int run_estimate(const struct cli_options *, char **, int);
static int run_export(const struct cli_options *, char **, int);
static int run_drop(const struct cli_options *, char **, int);
static int run_files(const struct cli_options *, char **, int);
static int run_check(const struct cli_options *, char **, int);

static const struct command commands[] = {
	{ "ingest", run_ingest, FILES_REQUIRED, NULL, "text", 0,
	  "usage: pilvi-analyzer [--db FILE] ingest FILE|DIR...\n"
	  "\n"
	  "Add billing files to the database, each in one transaction: a file\n"
	  "goes in whole or not at all. The same bytes twice are skipped; a\n"
	  "file repeating lines of an earlier one (same payer, month and\n"
	  "report family) is a re-delivery, and the newer of the two counts,\n"
	  "whatever the names or parts. A bad file is reported with file:line\n"
	  "and the others go on (exit status 1). CSV or Parquet (Parquet needs\n"
	  "libduckdb: make deps, or PILVI_DUCKDB=/path/to/libduckdb.so).\n"
	  "\n"
	  "A folder, or a zip or tar of one, is read as a CUR or Data Exports\n"
	  "delivery: per report and billing period the files the newest\n"
	  "manifest lists, else the newest run; what is skipped is listed with\n"
	  "the reason.\n" },
	{ "report", run_report, FILES_OPTIONAL, "text markdown html email json",
	  "text", 1,
	  "usage: pilvi-analyzer [--db FILE] report [--format FMT] [-o FILE]\n"
	  "                      [--payer ID] [--month YYYY-MM] [--account ID]\n"
	  "                      [--catalog FILE] [--threshold PCT]\n"
	  "                      [--customer NAME] [--pricing FILE] [FILE...]\n"
	  "\n"
	  "Write the support report: header, data status (days, open or final,\n"
	  "reconciliation against the file's own totals, warnings), budget\n"
	  "estimate, service inventory, month by month. Every format says the\n"
	  "same numbers. With FILEs and no --db, they are read into a memory\n"
	  "database. The email format is a reply to paste into a mail to the\n"
	  "customer (72 columns): what came in, services, whether the accounts\n"
	  "can move, the monthly budget (under Pilvi with --pricing) and a\n"
	  "numbered list of what is still needed from them.\n"
	  "\n"
	  "  -f, --format FMT   text, markdown, html, email or json (default: as\n"
	  "                     -o's name ends, .md .html .json, else text)\n"
	  "  -o, --output FILE  write to FILE (replaced atomically, mode 0600)\n"
	  "  --customer NAME    a label for the header\n"
	  "  --payer ID         only this payer account\n"
	  "  --month YYYY-MM    only this billing month\n"
	  "  --account ID       inventory of this account only\n"
	  "  --catalog FILE     Pilvi's services (service_code,status,note)\n"
	  "                     instead of the built-in list\n"
	  "  --threshold PCT    a service's cost 'moved' past PCT % (20)\n"
	  "  --pricing FILE     Pilvi's pricing rules (docs/pricing.md): the\n"
	  "                     budget under Pilvi beside AWS's (pilvi_budget)\n" },
	{ "inventory", run_inventory, NO_OPERANDS, NULL, "text", 1,
	  "usage: pilvi-analyzer [--db FILE] inventory [--payer ID] [--account ID]\n"
	  "                      [--month YYYY-MM] [--catalog FILE] [--threshold PCT]\n"
	  "\n"
	  "Which AWS services run where: per payer, account and service the\n"
	  "regions, usage types, resources, first and last day, cost and share,\n"
	  "and whether Pilvi supports it; tag keys and untagged cost per account;\n"
	  "what needs attention first (unsupported and unknown services by\n"
	  "cost); services and accounts new, gone or moved between months.\n"
	  "Without --month, each payer's latest month. Hand-made service lists\n"
	  "(CSV with a service column, and optionally account, region,\n"
	  "monthly_cost, month) are ingested like bills and count where no bill\n"
	  "covers the account and month.\n"
	  "\n"
	  "  --payer ID         only this payer account\n"
	  "  --account ID       only this account\n"
	  "  --month YYYY-MM    this month instead of the latest\n"
	  "  --catalog FILE     Pilvi's services (service_code,status,note)\n"
	  "                     instead of the built-in list\n"
	  "  --threshold PCT    a service's cost 'moved' past PCT % (20)\n" },
	{ "estimate", run_estimate, NO_OPERANDS, "text json", "text", 1,
	  "usage: pilvi-analyzer [--db FILE] estimate [--payer ID] [--month YYYY-MM]\n"
	  "                      [--format text|json] [--pricing FILE] [--backtest]\n"
	  "\n"
	  "A monthly budget from a partial month: the usage of the complete\n"
	  "days, run on to the month's end (earlier months, a change of level,\n"
	  "services stopped, started or moved, the weekly pattern, unusual days\n"
	  "and a steady trend taken into account); month-long charges once, fees by\n"
	  "the hour at their last rate, a fee of last month not yet posted\n"
	  "expected again, one-time charges as they are; credits and refunds\n"
	  "apart; tax projected apart.\n"
	  "With an 80 % range measured by a backtest, the typical error at that\n"
	  "many days, a confidence and notes. Each estimate is kept; once the\n"
	  "month is complete the output shows how far the earlier ones were off.\n"
	  "Exit status 1 when there is no billing month to estimate.\n"
	  "\n"
	  "  --payer ID         only this payer account\n"
	  "  --month YYYY-MM    this month instead of the latest\n"
	  "  -f, --format FMT   text (default) or json\n"
	  "  --pricing FILE     Pilvi's pricing rules (docs/pricing.md): the\n"
	  "                     budget under Pilvi beside AWS's (pilvi_budget)\n"
	  "  --backtest         cut every month with 20 complete days at days 7,\n"
	  "                     14 and 21, estimate, and compare with the actual,\n"
	  "                     the run-rate and the naive method\n" },
	{ "export", run_export, OUTPUT_OPERAND, "csv xlsx parquet", NULL, 1,
	  "usage: pilvi-analyzer [--db FILE] export --format csv|xlsx -o FILE\n"
	  "       pilvi-analyzer [--db FILE] export --format parquet DIR\n"
	  "                      [--customer NAME] [--customer-id ID]\n"
	  "                      [--payer ID] [--month YYYY-MM] [--account ID]\n"
	  "                      [--catalog FILE] [--pricing FILE]\n"
	  "\n"
	  "The billing-spreadsheet feed, a ledger the spreadsheet can append\n"
	  "(schema_version 2). csv: one row per payer, month, account, service\n"
	  "and charge class (kind actual, the amount exact to the last decimal\n"
	  "the bill has), and one row per open month the estimate projects\n"
	  "(kind estimate: amount, low, high and typical_error_pct). Columns:\n"
	  "schema_version, kind, customer_id, customer_name, payer_account,\n"
	  "account_id, account_name, month, month_status (open, final),\n"
	  "days_covered, as_of, source, service_code, service_name,\n"
	  "pilvi_support, charge_class, currency, amount, low, high,\n"
	  "typical_error_pct. Text a spreadsheet would run as a formula is\n"
	  "made inert. xlsx: sheets Summary, Estimate, Inventory and Monthly\n"
	  "(the csv rows and columns), numbers as the exact decimals. The file\n"
	  "is written beside FILE and renamed into place, mode 0600.\n"
	  "\n"
	  "parquet: a folder for DuckDB, Athena, Trino or Spark, with lines/\n"
	  "(every stored line: day, account, service, usage type, operation,\n"
	  "region, resource...), daily/ (day, account, service, charge class)\n"
	  "and monthly/ (the csv's rows), each in\n"
	  "payer_account=ID/month=YYYY-MM/part-NNNNN.parquet; columns named as\n"
	  "in the csv, money as DECIMAL(38,10). Written beside DIR and put in\n"
	  "its place; DIR must be new, empty, or an earlier export. Needs\n"
	  "libduckdb (make deps, or PILVI_DUCKDB=/path/to/libduckdb.so).\n"
	  "\n"
	  "  -f, --format FMT   csv, xlsx or parquet (default: as -o's name ends)\n"
	  "  -o, --output FILE  where to write (required; - for standard output;\n"
	  "                     for parquet a folder, also given as DIR)\n"
	  "  --customer NAME    the customer_name column (default: empty)\n"
	  "  --customer-id ID   the customer_id column, the spreadsheet's own\n"
	  "                     key for the customer (default: empty)\n"
	  "  --payer ID, --month YYYY-MM, --account ID   what to include (with\n"
	  "                     --account, no estimate rows: they are the payer's)\n"
	  "  --catalog FILE     Pilvi's services (service_code,status,note) for\n"
	  "                     pilvi_support, instead of the built-in list\n"
	  "  --pricing FILE     Pilvi's pricing rules (docs/pricing.md): rows of\n"
	  "                     kind pilvi (the budget under Pilvi per payer-month,\n"
	  "                     with low and high) and pilvi_service (per service\n"
	  "                     and Pilvi's support fee, adding up to it)\n" },
	{ "drop", run_drop, ONE_FOLDER, NULL, "text", 0,
	  "usage: pilvi-analyzer [--db FILE] drop [--quiet] [--dry-run] [--wait]\n"
	  "                      [--settle SECONDS] DIR\n"
	  "\n"
	  "Process an email-drop folder, for cron. Each settled billing file in\n"
	  "DIR is ingested once and moved to DIR/processed/ (also when it is the\n"
	  "same bytes as before) or to DIR/failed/ with NAME.error beside it\n"
	  "saying what was wrong. Nothing is deleted. One run at a time: a\n"
	  "second one exits at once (0) unless --wait. Each customer touched\n"
	  "gets DIR/reports/<customer>/report.txt and billing.csv (its feed\n"
	  "rows), and DIR/reports/billing.csv holds the feed of every customer\n"
	  "(one row set per customer and month, the newest delivery's), all\n"
	  "replaced atomically. Customers come from DIR/customers.csv (payer\n"
	  "account, customer name, contact, optionally customer id). Exit 0\n"
	  "when all went well or nothing was new, 1 when a file failed, 3 when\n"
	  "the run could not work.\n"
	  "E-mail messages (.eml, a Maildir's new/) are read: their billing\n"
	  "attachments go in with sender, subject, Message-ID and date.\n"
	  "\n"
	  "  -q, --quiet        print nothing when all went well\n"
	  "  --dry-run          say what would be done, change nothing\n"
	  "  --wait             wait for a running drop instead of leaving\n"
	  "  --settle SECONDS   leave files modified in the last SECONDS (60)\n" },
	{ "files", run_files, NO_OPERANDS, "text json", "text", 1,
	  "usage: pilvi-analyzer [--db FILE] files [--format text|json]\n"
	  "\n"
	  "List the ingested files: id, status (ok or replaced), format, payer,\n"
	  "billing period, rows, number of warnings, name; json adds each\n"
	  "file's digest, size, container, ingest time, cost basis,\n"
	  "warnings and the e-mail it came in (mail_from, mail_subject).\n"
	  "\n"
	  "  -f, --format FMT   text (default) or json\n" },
	{ "check", run_check, FILES_REQUIRED, NULL, "text", 0,
	  "usage: pilvi-analyzer check FILE...\n"
	  "\n"
	  "Detect, parse and total files without storing anything: format,\n"
	  "payer, period, rows, totals per charge class, reconciliation.\n" },
};

static const struct command *cmd;	/* the one being run, for errors */

static void usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* An error in the command line, and where its help is. */
static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pilvi-analyzer: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd != NULL)
		fprintf(stderr, "\ntry 'pilvi-analyzer %s --help'\n",
		    cmd->name);
	else
		fputs("\ntry 'pilvi-analyzer --help'\n", stderr);
}

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* "64G", "500M", "1000": bytes; 0 when the text is not a size. */
static uint64_t
parse_size(const char *s)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (*s < '0' || *s > '9')
		return 0;
	v = strtoull(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	else if (*end == 'T' || *end == 't')
		shift = 40;
	if (shift != 0)
		end++;
	if (*end != '\0' || v == 0 || v > (UINT64_MAX >> shift))
		return 0;
	return (uint64_t)v << shift;
}

static int
valid_month(const char *s)
{
	return strlen(s) == 7 && s[4] == '-' && s[0] >= '1' && s[0] <= '9' &&
	    s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
	    s[3] >= '0' && s[3] <= '9' &&
	    ((s[5] == '0' && s[6] >= '1' && s[6] <= '9') ||
	    (s[5] == '1' && s[6] >= '0' && s[6] <= '2'));
}

/* ---- options: each declared once ------------------------------------- */

static struct source_limits limits;

/* Checks of a value, which store it too; 0 or -1 (said). */
static int
set_month(struct cli_options *o, const char *v)
{
	if (!valid_month(v)) {
		usage_error("--month wants YYYY-MM, not '%s'", v);
		return -1;
	}
	o->month = v;
	return 0;
}

static int
set_threshold(struct cli_options *o, const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (*end != '\0' || n < 1 || n > 1000) {
		usage_error("--threshold wants a percentage 1..1000, not '%s'",
		    v);
		return -1;
	}
	o->threshold_pct = (int)n;
	return 0;
}

static int
set_settle(struct cli_options *o, const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (*end != '\0' || n < 0 || n > 86400) {
		usage_error("--settle wants seconds 0..86400, not '%s'", v);
		return -1;
	}
	o->settle_seconds = (int)n;
	return 0;
}

static int
set_max_size(struct cli_options *o, const char *v)
{
	(void)o;
	if ((limits.max_expanded_bytes = parse_size(v)) == 0) {
		usage_error("--max-size wants a size such as 500M or 4G, not "
		    "'%s'", v);
		return -1;
	}
	source_limits_set_default(&limits);
	return 0;
}

static int
set_max_ratio(struct cli_options *o, const char *v)
{
	(void)o;
	if (strspn(v, "0123456789") != strlen(v) ||
	    (limits.max_ratio = parse_size(v)) == 0 ||
	    limits.max_ratio > 1000000) {
		usage_error("--max-ratio wants a number 1..1000000, not '%s'",
		    v);
		return -1;
	}
	source_limits_set_default(&limits);
	return 0;
}

static int
set_jobs(struct cli_options *o, const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	(void)o;
	if (*end != '\0' || end == v || n < 1 || n > 1024) {
		usage_error("--jobs wants a number of threads 1..1024, not "
		    "'%s'", v);
		return -1;
	}
	ingest_set_default_jobs((int)n);
	return 0;
}

#define FIELD(f)	offsetof(struct cli_options, f)
#define NO_FIELD	((size_t)-1)
#define ANY		NULL	/* every command, and before the command */

/*
 * Every option: its names, where it goes (a text field takes the value
 * as it is, a flag field is set to 1, a check function stores what it
 * has checked), and the commands that take it. Adding an option is one
 * row here (and a line of the command's help).
 */
static const struct option_spec {
	const char *name;
	int letter;			/* the short form, 0 none */
	int takes_value;
	size_t field;			/* FIELD(...), or NO_FIELD with check */
	int (*check)(struct cli_options *, const char *);
	const char *commands;		/* " report export " or ANY */
} option_specs[] = {
	{ "db", 0, 1, FIELD(db), NULL, ANY },
	{ "quiet", 'q', 0, FIELD(quiet), NULL, ANY },
	{ "verbose", 'v', 0, FIELD(verbose), NULL, ANY },
	{ "max-size", 0, 1, NO_FIELD, set_max_size, ANY },
	{ "max-ratio", 0, 1, NO_FIELD, set_max_ratio, ANY },
	{ "jobs", 'j', 1, NO_FIELD, set_jobs, " ingest check report drop " },
	{ "format", 'f', 1, FIELD(format), NULL,
	    " report estimate export files " },
	{ "output", 'o', 1, FIELD(output), NULL, " report export " },
	{ "payer", 0, 1, FIELD(payer), NULL,
	    " report inventory estimate export " },
	{ "month", 0, 1, NO_FIELD, set_month,
	    " report inventory estimate export " },
	{ "account", 0, 1, FIELD(account), NULL,
	    " report inventory export " },
	{ "catalog", 0, 1, FIELD(catalog), NULL,
	    " report inventory export " },
	{ "pricing", 0, 1, FIELD(pricing), NULL, " report estimate export " },
	{ "threshold", 0, 1, NO_FIELD, set_threshold, " report inventory " },
	{ "backtest", 0, 0, FIELD(backtest), NULL, " estimate " },
	{ "customer", 0, 1, FIELD(customer), NULL, " report export " },
	{ "customer-id", 0, 1, FIELD(customer_id), NULL, " export " },
	{ "dry-run", 0, 0, FIELD(dry_run), NULL, " drop " },
	{ "wait", 0, 0, FIELD(wait), NULL, " drop " },
	{ "settle", 0, 1, NO_FIELD, set_settle, " drop " },
};
#define NOPTS	(sizeof(option_specs) / sizeof(option_specs[0]))
#define KEY_HELP	1000	/* getopt's value for --help */
#define KEY_VERSION	1001

/* Does command c take option spec o? */
static int
takes(const struct command *c, const struct option_spec *o)
{
	char word[32];

	if (o->commands == ANY)
		return 1;
	if (c == NULL)
		return 0;
	snprintf(word, sizeof(word), " %s ", c->name);
	return strstr(o->commands, word) != NULL;
}

/* getopt's tables, made from option_specs once: an option's value is
 * its letter, or 256 + its index in option_specs. */
static struct option long_opts[NOPTS + 3];
static char short_opts[2 * NOPTS + 8];	/* after the command: ":fo..." */
static char short_first[2 * NOPTS + 8];	/* before it: "+:fo..." */

static void
build_getopt(void)
{
	size_t i, k = 0;
	char *s = short_opts;

	*s++ = ':';	/* a missing value is told apart */
	for (i = 0; i < NOPTS; i++) {
		const struct option_spec *o = &option_specs[i];

		long_opts[k].name = o->name;
		long_opts[k].has_arg = o->takes_value ? required_argument :
		    no_argument;
		long_opts[k].flag = NULL;
		long_opts[k].val = o->letter ? o->letter : 256 + (int)i;
		k++;
		if (o->letter) {
			*s++ = (char)o->letter;
			if (o->takes_value)
				*s++ = ':';
		}
	}
	long_opts[k++] = (struct option){ "help", no_argument, NULL,
	    KEY_HELP };
	long_opts[k++] = (struct option){ "version", no_argument, NULL,
	    KEY_VERSION };
	long_opts[k] = (struct option){ NULL, 0, NULL, 0 };
	memcpy(s, "hV", 3);
	short_first[0] = '+';
	memcpy(short_first + 1, short_opts, sizeof(short_opts) - 1);
}

static const struct option_spec *
spec_of(int val)
{
	size_t i;

	if (val >= 256 && val < 256 + (int)NOPTS)
		return &option_specs[val - 256];
	for (i = 0; i < NOPTS; i++)
		if (option_specs[i].letter == val)
			return &option_specs[i];
	return NULL;
}

/* The option as the user wrote it, for messages. */
static const char *
written(char **argv, int val)
{
	const struct option_spec *o = spec_of(val);
	static char buf[64];

	if (o != NULL) {
		snprintf(buf, sizeof(buf), "--%s", o->name);
		return buf;
	}
	(void)argv;
	snprintf(buf, sizeof(buf), "-%c", val > 32 && val < 127 ? val : '?');
	return buf;
}

/*
 * Parse options from argv[optind] on; before_command: stop at the
 * first operand (the command), else take options anywhere (GNU getopt
 * moves them before the operands; -- ends them). Returns 0, 1 when
 * help or the version was printed, or -1 (said).
 */
static int
parse_options(int argc, char **argv, int before_command,
    struct cli_options *o)
{
	int c;

	/* '+': stop at the command word; without it GNU getopt moves the
	 * options before the operands: options anywhere. ':' tells a
	 * missing value apart */
	opterr = 0;
	for (;;) {
		const struct option_spec *spec;
		int prev = optind;

		c = getopt_long(argc, argv, before_command ? short_first :
		    short_opts, long_opts, NULL);
		if (c == -1)
			break;
		if (c == KEY_HELP || c == 'h') {
			fputs(cmd != NULL ? cmd->help : usage_text, stdout);
			return 1;
		}
		if (c == KEY_VERSION || c == 'V') {
			puts("pilvi-analyzer " VERSION);
			return 1;
		}
		if (c == ':') {
			usage_error("%s needs a value", written(argv, optopt));
			return -1;
		}
		if (c == '?') {
			usage_error("unknown option '%s'", argv[prev < argc ?
			    optind - 1 : prev]);
			return -1;
		}
		spec = spec_of(c);
		if (spec == NULL || !takes(cmd, spec)) {
			if (cmd == NULL)
				usage_error("%s goes after the command", written(
				    argv, c));
			else
				usage_error("%s does not take %s", cmd->name,
				    written(argv, c));
			return -1;
		}
		if (spec->check != NULL) {
			if (spec->check(o, optarg) != 0)
				return -1;
		} else if (spec->takes_value)
			*(const char **)((char *)o + spec->field) = optarg;
		else
			*(int *)((char *)o + spec->field) = 1;
	}
	return 0;
}

/* ---- the commands ---------------------------------------------------- */

static int
run_ingest(const struct cli_options *o, char **argv, int argc)
{
	return cli_ingest(o, argv, argc);
}

static int
run_check(const struct cli_options *o, char **argv, int argc)
{
	return cli_check(o, argv, argc);
}

static int
run_report(const struct cli_options *o, char **argv, int argc)
{
	return cli_report(o, argv, argc);
}

static int
run_inventory(const struct cli_options *o, char **argv, int argc)
{
	(void)argv;
	(void)argc;
	return cli_inventory(o);
}

static int
run_estimate(const struct cli_options *o, char **argv, int argc)
{
	(void)argv;
	(void)argc;
	return cli_estimate(o);
}

static int
run_export(const struct cli_options *o, char **argv, int argc)
{
	(void)argv;
	(void)argc;
	if (o->output == NULL) {
		usage_error("%s", strcmp(o->format, "parquet") == 0 ?
		    "export --format parquet wants a folder: DIR or -o DIR" :
		    "export wants -o FILE (- for standard output)");
		return EXIT_USAGE;
	}
	if (strcmp(o->format, "parquet") == 0 && strcmp(o->output, "-") == 0) {
		usage_error("%s", "a Parquet export is a folder, not "
		    "standard output: give DIR");
		return EXIT_USAGE;
	}
	return cli_export(o);
}

static int
run_drop(const struct cli_options *o, char **argv, int argc)
{
	(void)argc;
	return cli_drop(o, argv[0]);
}

static int
run_files(const struct cli_options *o, char **argv, int argc)
{
	(void)argv;
	(void)argc;
	return cli_files(o);
}

/* Is word one of the space-separated words of list? */
static int
one_of(const char *word, const char *list)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' ||
		    p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

/* "text markdown html json" as said: "text, markdown, html or json". */
static const char *
said_list(const char *list)
{
	static char buf[128];
	const char *last = strrchr(list, ' ');
	size_t n = 0;
	const char *p;

	for (p = list; *p != '\0' && n + 5 < sizeof(buf); p++) {
		if (*p != ' ')
			buf[n++] = *p;
		else if (p == last) {
			memcpy(buf + n, " or ", 4);
			n += 4;
		} else {
			memcpy(buf + n, ", ", 2);
			n += 2;
		}
	}
	buf[n] = '\0';
	return buf;
}

/*
 * The format an output file's name asks for, when --format is not
 * given: "-o acme.xlsx" means xlsx. Only a format of this command's
 * list (.md stands for markdown, .htm for html); NULL otherwise.
 */
static const char *
format_of_output(const char *output, const char *formats)
{
	static const char *const ext[][2] = {
		{ ".csv", "csv" }, { ".xlsx", "xlsx" }, { ".json", "json" },
		{ ".html", "html" }, { ".htm", "html" }, { ".md", "markdown" },
		{ ".txt", "text" },
	};
	size_t i, n, e;

	if (output == NULL || formats == NULL)
		return NULL;
	n = strlen(output);
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		e = strlen(ext[i][0]);
		if (n > e && strcasecmp(output + n - e, ext[i][0]) == 0 &&
		    one_of(ext[i][1], formats))
			return ext[i][1];
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct cli_options o;
	struct stat sb;
	int rc;

	memset(&o, 0, sizeof(o));
	source_limits_default(&limits);
	o.settle_seconds = -1;
	build_getopt();
	if ((rc = parse_options(argc, argv, 1, &o)) != 0)
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	if (optind >= argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if ((cmd = find_command(argv[optind])) == NULL) {
		usage_error("unknown command '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	/* the command's options, anywhere after its name */
	argc -= optind;
	argv += optind;
	optind = 0;	/* 0, not 1: GNU getopt starts afresh (the first
			 * pass's '+' would stick), from argv[1] */
	if ((rc = parse_options(argc, argv, 0, &o)) != 0)
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	argc -= optind;
	argv += optind;

	/* export DIR: the output named without -o */
	if (cmd->operands == OUTPUT_OPERAND && argc > 0) {
		if (argc > 1 || o.output != NULL) {
			usage_error("unexpected argument '%s'", argv[argc > 1 ?
			    1 : 0]);
			return EXIT_USAGE;
		}
		o.output = argv[0];
		argc = 0;
	}
	if (o.format == NULL)
		o.format = format_of_output(o.output, cmd->formats);
	if (o.format == NULL && (o.format = cmd->default_format) == NULL) {
		usage_error("%s wants --format %s", cmd->name,
		    said_list(cmd->formats));
		return EXIT_USAGE;
	}
	if (cmd->formats != NULL && !one_of(o.format, cmd->formats)) {
		usage_error("%s: unknown format '%s' (%s)", cmd->name,
		    o.format, said_list(cmd->formats));
		return EXIT_USAGE;
	}
	if (cmd->formats == NULL && strcmp(o.format, "text") != 0) {
		usage_error("%s has no --format", cmd->name);
		return EXIT_USAGE;
	}
	switch (cmd->operands) {
	case NO_OPERANDS:
		if (argc > 0) {
			usage_error("unexpected argument '%s'", argv[0]);
			return EXIT_USAGE;
		}
		break;
	case FILES_REQUIRED:
		if (argc == 0) {
			usage_error("%s: no files given", cmd->name);
			return EXIT_USAGE;
		}
		break;
	case ONE_FOLDER:
		if (argc != 1) {
			usage_error("%s wants one folder", cmd->name);
			return EXIT_USAGE;
		}
		break;
	case FILES_OPTIONAL:
	case OUTPUT_OPERAND:
		break;
	}
	/* the database: --db, $PILVI_DB, ./pilvi.db; report FILE... alone
	 * gets a private memory database */
	if (o.db == NULL && !(cmd->operands == FILES_OPTIONAL && argc > 0))
		o.db = getenv("PILVI_DB");
	if (o.db == NULL && !(cmd->operands == FILES_OPTIONAL && argc > 0))
		o.db = "pilvi.db";
	/* a command that only reads never makes a database: a typo in
	 * --db, or the wrong folder, is said, not answered with nothing */
	if (cmd->reads_db && argc == 0 && o.db != NULL &&
	    stat(o.db, &sb) != 0) {
		fprintf(stderr, "pilvi-analyzer: no database '%s': ingest files "
		    "first, or name one with --db or $PILVI_DB\n", o.db);
		return EXIT_REJECTED;
	}
	return cmd->run(&o, argv, argc);
}
