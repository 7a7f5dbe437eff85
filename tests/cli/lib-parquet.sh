# lib-parquet.sh - sourced by the Parquet cases after lib.sh: C2P, the
# conversion tool, and same(), the comparison of a CSV with its Parquet.
C2P=$(dirname "$PA")/csv2parquet

# need_duckdb: skip the case when libduckdb is missing (make deps
# fetches it; CI has it).
need_duckdb() {
	printf 'a\n1\n' > probe.csv
	$C2P probe.csv probe.parquet 2>/dev/null
	rc=$?
	rm -f probe.csv probe.parquet
	[ $rc = 77 ] && exit 77
	[ $rc = 0 ] || { echo "csv2parquet failed ($rc)"; exit 1; }
}

# What the store and the report say, less what names the file itself:
# its name, digest, size and container. $1 the database, $2 a sed script more.
facts() {
	sqlite3 "$1" "SELECT payer_account, account, period, service_code, \
	    class, currency, cost_units FROM monthly_cost ORDER BY 1, 2, 3, \
	    4, 5, 6"
	echo "--"
	$PA --db "$1" report | sed -e 's/^  #\([0-9]*\) .*/  #\1 FILE/' \
	    -e 's/^\( *[0-9][0-9]*  *\(ok\|replaced\)  .*  \)[^ ]*$/\1FILE/' \
	    -e '/^ *ID  STATUS  FORMAT/,/^$/{s/ ([a-z]*)//; s/  */ /g;}' \
	    -e 's/ ([a-z]*), payer / (C), payer /' -e "${2:-}"
	echo "--"
	$PA --db "$1" report --format json | sed \
	    -e 's/"name": "[^"]*", "sha256": "[0-9a-f]*"/"name": F, "sha256": S/' \
	    -e 's/"size": [0-9]*/"size": N/' \
	    -e 's/"container": "[a-z]*"/"container": C/' -e "${2:-}"
}

# Amounts without their trailing zeros, blanks squeezed (for LOOSE=1).
loose() {
	if [ "${LOOSE:-}" = 1 ]; then
		sed -E -e 's/([0-9]\.[0-9]*[1-9])0+\b/\1/g' \
		    -e 's/([0-9])\.0+\b/\1/g' -e 's/ +/ /g'
	else
		cat
	fi
}

# same LABEL CSV PARQUET [SED]: ingest each into a database of its own and
# compare their facts (SED applied to the CSV's); print one line, or the
# difference. With LOOSE=1 amounts are compared without trailing zeros:
# a DOUBLE keeps no places, and a CSV written with fewer than 10 shows
# them with fewer (parquet.h).
same() {
	rm -f csv.db pq.db
	$PA --db csv.db -q ingest "$2" || echo "$2: ingest failed"
	$PA --db pq.db -q ingest "$3" || echo "$3: ingest failed"
	facts csv.db "${4:-}" | loose > csv.facts
	facts pq.db | loose > pq.facts
	if cmp -s csv.facts pq.facts; then
		echo "$1: same totals, report and estimate"
	else
		echo "$1: DIFFERENT"
		diff csv.facts pq.facts | head -20
	fi
}
