#!/bin/sh
# limits.sh BUILD - where the physical limit is: each stage of an ingest
# alone (build/pilvi-limits: read from the page cache, SHA-256, inflate
# with zlib and with ISA-L, tokenize), then the full ingest of the same
# file at --jobs 1, 2 and all the cores, and how far the ingest is from
# each stage and from one core. On the bench's DBR-RT
# (5 M rows; $LIMITS_ROWS to change), plain and gzipped; the files are
# shared with bench/run.sh (cached in $BENCH_CACHE, default
# BUILD/bench-data). Fastest of $BENCH_RUNS runs (default 3).
set -eu
build=${1:-build}
rows=${LIMITS_ROWS:-5000000}
runs=${BENCH_RUNS:-3}
cache=${BENCH_CACHE:-$build/bench-data}/limits-$rows
mkdir -p "$cache"
analyzer=$build/pilvi-analyzer

base=$cache/dbr-rt.csv
if [ ! -e "$base.done" ]; then
	echo "limits: generating $base ($rows rows)" >&2
	"$build/pilvi-gen" --format dbr-rt --rows "$rows" -o "$base"
	rm -f "$base.gz"
	gzip -1 -k "$base"
	touch "$base.done"
fi

# the fastest of $runs ingests of $1 at --jobs $2 into a fresh
# database, in seconds
ingest_time() {
	best=
	i=0
	while [ $i -lt "$runs" ]; do
		rm -f "$cache/l.db" "$cache/l.db-wal" "$cache/l.db-shm"
		t=$( { /usr/bin/time -f '%e' "$analyzer" --db "$cache/l.db" \
		    -q ingest --jobs "$2" "$1" >/dev/null; } 2>&1 | tail -n 1)
		if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then
			best=$t
		fi
		i=$((i + 1))
	done
	rm -f "$cache/l.db" "$cache/l.db-wal" "$cache/l.db-shm"
	echo "$best"
}

echo "machine: $(nproc) cores, $(uname -srm)"
for f in "$base" "$base.gz"; do
	out=$("$build/pilvi-limits" --runs "$runs" "$f")
	echo "$out"
	plain=$(echo "$out" | sed -n 's/.*: \([0-9]*\) bytes uncompressed.*/\1/p')
	# one core, two, all (the same as two here); the speed-up against one
	one=
	for j in $(printf '%s\n' 1 2 "$(nproc)" | sort -nu); do
		t=$(ingest_time "$f" "$j")
		[ -n "$one" ] || one=$t
		[ "$j" = 2 ] && ing=$t
		awk -v t="$t" -v b="$plain" -v j="$j" -v one="$one" 'BEGIN {
		    printf "%-10s %8.2f s %9.1f MB/s   --jobs %d, %.2fx one core\n",
		        "ingest", t, b / t / 1e6, j, one / t }'
	done
	# each stage against the ingest: the ingest takes X times as long
	echo "$out" | awk -v t="$ing" '$3 == "s" && $2 > 0 {
	    printf "  ingest / %-8s %6.2fx\n", $1, t / $2 }'
	echo
done
