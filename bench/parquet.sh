#!/bin/sh
# parquet.sh BUILD [ROWS...] - peak memory and time of a Parquet CUR's
# ingest (issue 15: bounded memory, stated for 5 M rows).
#
# For each ROWS (default 1000000 5000000): a legacy CUR of that many rows
# from the generator (build/pilvi-gen --format cur), written as AWS's
# Athena-layout Parquet (DOUBLE amounts, TIMESTAMPs, snappy) by
# build/csv2parquet, then `pilvi-analyzer ingest` and `report --format
# json` into a fresh database, each under /usr/bin/time; the CSV of the
# same rows the same way, for comparison. Files are kept in
# $BENCH_CACHE (default BUILD/bench-data)/parquet. Needs libduckdb
# (make deps).
set -eu
build=${1:-build}
shift || true
[ $# -gt 0 ] || set -- 1000000 5000000
cache=${BENCH_CACHE:-$build/bench-data}/parquet
mkdir -p "$cache"
pa=$build/pilvi-analyzer

measure() {	# label command...
	/usr/bin/time -f '%e %M' -o "$cache/time" "$@" >/dev/null
	read -r secs kib < "$cache/time"
	printf '%-28s %8s s %8.1f MiB\n' "$label" "$secs" \
	    "$(echo "$kib" | awk '{ print $1 / 1024 }')"
}

for rows in "$@"; do
	csv=$cache/cur-$rows.csv
	pq=$cache/cur-$rows.parquet
	[ -e "$csv.done" ] || {
		"$build/pilvi-gen" --format cur --rows "$rows" -o "$csv"
		touch "$csv.done"
	}
	[ -e "$pq.done" ] || {
		"$build/csv2parquet" --athena "$csv" "$pq"
		touch "$pq.done"
	}
	for f in "$pq" "$csv"; do
		kind=${f##*.}
		rm -f "$cache/x.db" "$cache/x.db-wal" "$cache/x.db-shm"
		label="$rows rows, $kind, ingest"
		measure "$pa" --db "$cache/x.db" -q ingest "$f"
		label="$rows rows, $kind, report"
		measure "$pa" --db "$cache/x.db" report --format json
	done
done
