/*
 * main.c - parse the command line and hand over to cli.c.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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
"  export             the billing-spreadsheet feed (csv, xlsx)\n"
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
"\n"
"exit status: 0 all good, 1 some input rejected, 2 usage error, 3 fatal\n";

struct command {
	const char *name;
	const char *opts;	/* the option letters it takes (cmd_opts) */
	const char *help;
};

static const struct command commands[] = {
	{ "ingest", "",
	  "usage: pilvi-analyzer [--db FILE] ingest FILE|DIR...\n"
	  "\n"
	  "Add billing files to the database, each in one transaction: a file\n"
	  "goes in whole or not at all. The same bytes twice are skipped; a\n"
	  "re-delivered month (same payer, month and report family) replaces\n"
	  "the earlier delivery. A bad file is reported with file:line and the\n"
	  "others go on (exit status 1). CSV or Parquet (Parquet needs\n"
	  "libduckdb: make deps, or PILVI_DUCKDB=/path/to/libduckdb.so).\n"
	  "\n"
	  "A folder, or a zip or tar of one, is read as a CUR or Data Exports\n"
	  "delivery: per report and billing period the files the newest\n"
	  "manifest lists, else the newest run; what is skipped is listed with\n"
	  "the reason.\n" },
	{ "report", "fopmacTC",
	  "usage: pilvi-analyzer [--db FILE] report [--format FMT] [-o FILE]\n"
	  "                      [--payer ID] [--month YYYY-MM] [--account ID]\n"
	  "                      [--catalog FILE] [--threshold PCT]\n"
	  "                      [--customer NAME] [FILE...]\n"
	  "\n"
	  "Write the support report: header, data status (days, open or final,\n"
	  "reconciliation against the file's own totals, warnings), budget\n"
	  "estimate, service inventory, month by month. Every format says the\n"
	  "same numbers. With FILEs and no --db, they are read into a memory\n"
	  "database.\n"
	  "\n"
	  "  -f, --format FMT   text (default), markdown, html or json\n"
	  "  -o, --output FILE  write to FILE (replaced atomically, mode 0600)\n"
	  "  --customer NAME    a label for the header\n"
	  "  --payer ID         only this payer account\n"
	  "  --month YYYY-MM    only this billing month\n"
	  "  --account ID       inventory of this account only\n"
	  "  --catalog FILE     Pilvi's services (service_code,status,note)\n"
	  "                     instead of the built-in list\n"
	  "  --threshold PCT    a service's cost 'moved' past PCT %% (20)\n" },
	{ "inventory", "pmacT",
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
	  "  --threshold PCT    a service's cost 'moved' past PCT %% (20)\n" },
	{ "estimate", "pmfB",
	  "usage: pilvi-analyzer [--db FILE] estimate [--payer ID] [--month YYYY-MM]\n"
	  "                      [--format text|json] [--backtest]\n"
	  "\n"
	  "A monthly budget from a partial month: the usage of the complete\n"
	  "days, run on to the month's end (earlier months, a change of level,\n"
	  "the weekly pattern, unusual days and a steady trend taken into\n"
	  "account); month-long charges once, fees by the hour at their last\n"
	  "rate, a fee of last month not yet posted expected again, one-time\n"
	  "charges as they are; credits and refunds apart; tax projected apart.\n"
	  "With an 80 % range measured by a backtest, the typical error at that\n"
	  "many days, a confidence and notes. Each estimate is kept; once the\n"
	  "month is complete the output shows how far the earlier ones were off.\n"
	  "Exit status 1 when there is no billing month to estimate.\n"
	  "\n"
	  "  --payer ID         only this payer account\n"
	  "  --month YYYY-MM    this month instead of the latest\n"
	  "  -f, --format FMT   text (default) or json\n"
	  "  --backtest         cut every month with 20 complete days at days 7,\n"
	  "                     14 and 21, estimate, and compare with the actual,\n"
	  "                     the run-rate and the naive method\n" },
	{ "export", "fopmaC",
	  "usage: pilvi-analyzer [--db FILE] export --format csv|xlsx -o FILE\n"
	  "                      [--payer ID] [--month YYYY-MM] [--account ID]\n"
	  "\n"
	  "The billing-spreadsheet feed. csv: one row per payer, account,\n"
	  "month, service and charge class (schema_version 1: schema_version,\n"
	  "payer_account, account_id, account_name, month, service_code,\n"
	  "service_name, charge_class, currency, amount with 2 decimals);\n"
	  "text a spreadsheet would run as a formula is made inert. xlsx:\n"
	  "sheets Summary, Estimate, Inventory and Monthly (the csv rows).\n"
	  "The file is written beside FILE and renamed into place, mode 0600.\n"
	  "\n"
	  "  -f, --format FMT   csv or xlsx\n"
	  "  -o, --output FILE  where to write (required; - for standard output)\n"
	  "  --payer ID, --month YYYY-MM, --account ID   what to include\n" },
	{ "drop", "nWS",
	  "usage: pilvi-analyzer [--db FILE] drop [--quiet] [--dry-run] [--wait]\n"
	  "                      [--settle SECONDS] DIR\n"
	  "\n"
	  "Process an email-drop folder, for cron. Each settled billing file in\n"
	  "DIR is ingested once and moved to DIR/processed/ (also when it is the\n"
	  "same bytes as before) or to DIR/failed/ with NAME.error beside it\n"
	  "saying what was wrong. Nothing is deleted. One run at a time: a\n"
	  "second one exits at once (0) unless --wait. Each customer touched\n"
	  "gets DIR/reports/<customer>/report.txt and billing.csv, replaced\n"
	  "atomically; names come from DIR/customers.csv (payer account,\n"
	  "customer name, contact). Exit 0 when all went well or nothing was\n"
	  "new, 1 when a file failed, 3 when the run could not work.\n"
	  "E-mail messages (.eml, a Maildir's new/) are read: their billing\n"
	  "attachments go in with sender, subject, Message-ID and date.\n"
	  "\n"
	  "  -q, --quiet        print nothing when all went well\n"
	  "  --dry-run          say what would be done, change nothing\n"
	  "  --wait             wait for a running drop instead of leaving\n"
	  "  --settle SECONDS   leave files modified in the last SECONDS (60)\n" },
	{ "files", "",
	  "usage: pilvi-analyzer [--db FILE] files\n"
	  "\n"
	  "List the ingested files: id, status (ok or replaced), format, payer,\n"
	  "billing period, rows, number of warnings, name.\n" },
	{ "check", "",
	  "usage: pilvi-analyzer check FILE...\n"
	  "\n"
	  "Detect, parse and total files without storing anything: format,\n"
	  "payer, period, rows, totals per charge class, reconciliation.\n" },
};

static void usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pilvi-analyzer: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
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

int
main(int argc, char **argv)
{
	static const struct option global_opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "max-size", required_argument, NULL, 'X' },
		{ "max-ratio", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct option cmd_opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "payer", required_argument, NULL, 'p' },
		{ "month", required_argument, NULL, 'm' },
		{ "account", required_argument, NULL, 'a' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "threshold", required_argument, NULL, 'T' },
		{ "backtest", no_argument, NULL, 'B' },
		{ "customer", required_argument, NULL, 'C' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "wait", no_argument, NULL, 'W' },
		{ "settle", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli_options o;
	struct source_limits lim;
	const struct command *cmd;
	const char *db = NULL;
	int c, is_report, is_check;

	memset(&o, 0, sizeof(o));
	source_limits_default(&lim);
	o.format = "text";
	o.settle_seconds = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+qvhV", global_opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'X':
			if ((lim.max_expanded_bytes = parse_size(optarg)) == 0) {
				usage_error("--max-size wants a size such as "
				    "500M or 4G, not '%s'", optarg);
				return EXIT_USAGE;
			}
			source_limits_set_default(&lim);
			break;
		case 'R':
			if (strspn(optarg, "0123456789") != strlen(optarg) ||
			    (lim.max_ratio = parse_size(optarg)) == 0 ||
			    lim.max_ratio > 1000000) {
				usage_error("--max-ratio wants a number "
				    "1..1000000, not '%s'", optarg);
				return EXIT_USAGE;
			}
			source_limits_set_default(&lim);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'V':
			puts("pilvi-analyzer " VERSION);
			return EXIT_OK;
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (cmd == NULL) {
		usage_error("unknown command '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	is_report = strcmp(cmd->name, "report") == 0;
	is_check = strcmp(cmd->name, "check") == 0;
	/* parse the command's own options, after its name */
	argc -= optind;
	argv += optind;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+f:o:qh", cmd_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(cmd->help, stdout);
			return EXIT_OK;
		case 'q':
			o.quiet = 1;
			break;
		case 'f':
		case 'o':
		case 'p':
		case 'm':
		case 'a':
		case 'c':
		case 'T':
		case 'B':
		case 'C':
		case 'n':
		case 'W':
		case 'S':
			if (strchr(cmd->opts, c) == NULL) {
				usage_error("unknown option '%s'",
				    argv[optind - 1]);
				return EXIT_USAGE;
			}
			if (c == 'f')
				o.format = optarg;
			else if (c == 'o')
				o.output = optarg;
			else if (c == 'p')
				o.payer = optarg;
			else if (c == 'm')
				o.month = optarg;
			else if (c == 'a')
				o.account = optarg;
			else if (c == 'c')
				o.catalog = optarg;
			else if (c == 'B')
				o.backtest = 1;
			else if (c == 'C')
				o.customer = optarg;
			else if (c == 'n')
				o.dry_run = 1;
			else if (c == 'W')
				o.wait = 1;
			else if (c == 'S') {
				char *end;
				long v = strtol(optarg, &end, 10);

				if (*end != '\0' || v < 0 || v > 86400) {
					usage_error("--settle wants seconds "
					    "0..86400, not '%s'", optarg);
					return EXIT_USAGE;
				}
				o.settle_seconds = (int)v;
			}
			else {
				char *end;
				long v = strtol(optarg, &end, 10);

				if (*end != '\0' || v < 1 || v > 1000) {
					usage_error("--threshold wants a "
					    "percentage 1..1000, not '%s'",
					    optarg);
					return EXIT_USAGE;
				}
				o.threshold_pct = (int)v;
			}
			break;
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (strcmp(cmd->name, "export") == 0) {
		if (strcmp(o.format, "csv") != 0 &&
		    strcmp(o.format, "xlsx") != 0) {
			usage_error("export wants --format csv or xlsx, not "
			    "'%s'", o.format);
			return EXIT_USAGE;
		}
		if (o.output == NULL) {
			usage_error("%s", "export wants -o FILE (- for "
			    "standard output)");
			return EXIT_USAGE;
		}
	} else if (strcmp(o.format, "text") != 0 &&
	    strcmp(o.format, "json") != 0 && !(is_report &&
	    (strcmp(o.format, "markdown") == 0 ||
	    strcmp(o.format, "html") == 0))) {
		usage_error(is_report ? "unknown report format '%s' (text, "
		    "markdown, html or json)" : "unknown format '%s' (text or "
		    "json)", o.format);
		return EXIT_USAGE;
	}
	if (o.month != NULL && !valid_month(o.month)) {
		usage_error("--month wants YYYY-MM, not '%s'", o.month);
		return EXIT_USAGE;
	}
	/* the database: --db, $PILVI_DB, ./pilvi.db; report FILE... alone
	 * gets a private memory database */
	if (db == NULL && !(is_report && argc > 0))
		db = getenv("PILVI_DB");
	if (db == NULL && !(is_report && argc > 0))
		db = "pilvi.db";
	o.db = db;
	if (strcmp(cmd->name, "drop") == 0) {
		if (argc != 1) {
			usage_error("%s", "drop wants one folder");
			return EXIT_USAGE;
		}
		return cli_drop(&o, argv[0]);
	}
	if ((strcmp(cmd->name, "ingest") == 0 || is_check) && argc == 0) {
		usage_error("%s: no files given", cmd->name);
		return EXIT_USAGE;
	}
	if (!is_report && !is_check && strcmp(cmd->name, "ingest") != 0 &&
	    argc > 0) {
		usage_error("unexpected argument '%s'", argv[0]);
		return EXIT_USAGE;
	}
	if (strcmp(cmd->name, "ingest") == 0)
		return cli_ingest(&o, argv, argc);
	if (is_check)
		return cli_check(&o, argv, argc);
	if (strcmp(cmd->name, "files") == 0)
		return cli_files(&o);
	if (strcmp(cmd->name, "inventory") == 0)
		return cli_inventory(&o);
	if (strcmp(cmd->name, "estimate") == 0)
		return cli_estimate(&o);
	if (strcmp(cmd->name, "export") == 0)
		return cli_export(&o);
	return cli_report(&o, argv, argc);
}
