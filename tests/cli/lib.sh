# lib.sh - sourced by every CLI case (tests/run.sh sets LIB, PA,
# FIXTURES, BUILT, SAMPLES). The case runs in a fresh directory; copy
# inputs here so names in the output do not depend on where the tree is.

# fixture NAME...: copy fixtures (from fixtures/, or built ones from
# build/fixtures) into the current directory.
fixture() {
	for f in "$@"; do
		if [ -e "$FIXTURES/$f" ]; then
			cp "$FIXTURES/$f" .
		else
			cp "$BUILT/$f" .
		fi
	done
}

# need_samples: skip this case when ../shared/samples is absent; else
# make ./samples point at it.
need_samples() {
	[ -n "$SAMPLES" ] && [ -d "$SAMPLES" ] || exit 77
	ln -s "$SAMPLES" samples
}

# run CMD...: run a command and show its exit status after its output,
# so one case can check several commands.
run() {
	"$@"
	echo "[exit $?]"
}

# dump DB: the database's content, for "unchanged" comparisons.
dump() {
	sqlite3 "$1" .dump
}

# A CUR of daily usage lines of payer (and account) 111122223333 in
# October 2026: oct_daily_header, then oct_daily DAY PRODUCT USAGE_TYPE
# COST for each line.
oct_daily_header() {
	echo "bill/PayerAccountId,bill/InvoiceId,bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/UsageType,lineItem/UnblendedCost,lineItem/CurrencyCode"
}
oct_daily() {
	printf '111122223333,,2026-10-01T00:00:00Z,111122223333,Usage,2026-10-%02dT00:00:00Z,2026-10-%02dT00:00:00Z,%s,%s,%s,USD\n' \
	    "$1" $(($1 + 1)) "$2" "$3" "$4"
}
