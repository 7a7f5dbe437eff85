#!/bin/sh
# run.sh BUILD - ingest speed and peak memory on generated files.
#
# Generates a deterministic DBR-RT and a CUR file of BENCH_BYTES bytes
# (default 1 GB) plus a gzipped copy of the CUR, ingests each into a
# fresh database under /usr/bin/time -v, and prints MB/s and the peak
# resident set size. Comparison with peer tools comes with issue 7.
set -eu
build=${1:-build}
bytes=${BENCH_BYTES:-1000000000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/pilvi-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

measure() {	# name file
	rm -f "$dir/b.db" "$dir/b.db-wal" "$dir/b.db-shm"
	/usr/bin/time -v "$build/pilvi-analyzer" --db "$dir/b.db" -q ingest \
	    "$2" 2>"$dir/time" >/dev/null
	secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' \
	    "$dir/time" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
	size=$(wc -c < "$2")
	awk -v n="$1" -v b="$size" -v s="$secs" -v r="$rss" -v raw="$bytes" \
	    'BEGIN { printf "%-14s %8.1f MB in %6.2f s  %7.1f MB/s (of CSV)  peak RSS %6.1f MiB\n",
	        n, b / 1e6, s, raw / 1e6 / s, r / 1024 }'
}

"$build/pilvi-gen" --format dbr-rt --bytes "$bytes" -o "$dir/dbr-rt.csv"
measure dbr-rt "$dir/dbr-rt.csv"
rm -f "$dir/dbr-rt.csv"
"$build/pilvi-gen" --format cur --bytes "$bytes" -o "$dir/cur.csv"
measure cur "$dir/cur.csv"
gzip -1 "$dir/cur.csv"
measure cur.gz "$dir/cur.csv.gz"
