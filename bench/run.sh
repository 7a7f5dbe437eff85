#!/bin/sh
# run.sh BUILD [quick] - pilvi-analyzer against the tools people would
# otherwise use, on the same generated files.
#
# Generates once (cached in $BENCH_CACHE, default BUILD/bench-data) a
# DBR-RT of 5 M rows and a CUR of 2 M rows (quick: 500 k and 200 k) with
# each generator of $BENCH_GENERATORS (default both: build/pilvi-gen,
# and bench/gen-alt.py, written apart from it and shaped otherwise: the
# files of the second are named KIND-alt.csv), each plain, gzipped at
# each level of $BENCH_GZIP (default "1 6"; level 1 is KIND.csv.gz,
# level N KIND.csv.N.gz) and, from pilvi-gen, zipped, and times on each
# file, median of $BENCH_RUNS runs (default 3; quick 1):
#   pilvi-analyzer  ingest + report --format json into a fresh database
#   sqlite3         .import + the daily GROUP BY
#   python          bench/peer.py: csv + sqlite3, the same GROUP BY
#   duckdb          bench/duckdb-query.mjs through @duckdb/node-api, when
#                   npm can install it (not for .zip: read_csv reads no zip)
# and prints wall time, MB/s of raw CSV, rows/s, peak RSS (/usr/bin/time)
# and each peer's time over ours. The issue 7 targets are checked on the
# DBR-RT .gz at the end.
set -eu
build=${1:-build}
mode=${2:-full}
here=$(cd "$(dirname "$0")" && pwd)
case $mode in
full)	dbr_rows=5000000 cur_rows=2000000 runs=${BENCH_RUNS:-3} ;;
quick)	dbr_rows=500000 cur_rows=200000 runs=${BENCH_RUNS:-1} ;;
*)	echo "usage: bench/run.sh BUILD [full|quick]" >&2; exit 2 ;;
esac
cache=${BENCH_CACHE:-$build/bench-data}/$mode
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
work=$cache/work
mkdir -p "$work"
analyzer=$(cd "$build" && pwd)/pilvi-analyzer

for tool in /usr/bin/time sqlite3 python3 gzip; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "bench: $tool is needed (make deps installs it)" >&2
		exit 1
	}
done

generators=${BENCH_GENERATORS:-pilvi-gen alt}
levels=${BENCH_GZIP:-1 6}

# The files, made once: a file is complete only when its .done exists.
# Prints the names to time, one a line.
make_inputs() {	# generator kind rows
	name=$2
	[ "$1" = alt ] && name=$2-alt
	base=$cache/$name.csv
	if [ ! -e "$base.done" ]; then
		echo "bench: generating $base ($3 rows, $1)" >&2
		case $1 in
		pilvi-gen) "$build/pilvi-gen" --format "$2" --rows "$3" \
		    -o "$base" ;;
		alt)	python3 "$here/gen-alt.py" "$2" "$3" "$base" ;;
		*)	echo "bench: unknown generator $1" >&2; exit 2 ;;
		esac
		rm -f "$base".*gz "$base.zip"
		[ "$1" = pilvi-gen ] && "$build/mkarchive" "$base.zip" "$base"
		touch "$base.done"
	fi
	echo "$name.csv"
	for l in $levels; do
		gz=$base.gz
		[ "$l" = 1 ] || gz=$base.$l.gz
		[ -e "$gz" ] || gzip "-$l" -c "$base" >"$gz"
		echo "${gz##*/}"
	done
	[ -e "$base.zip" ] && echo "$name.csv.zip"
	return 0
}
: >"$cache/files"
for gen in $generators; do
	make_inputs "$gen" dbr-rt "$dbr_rows" >>"$cache/files"
	make_inputs "$gen" cur "$cur_rows" >>"$cache/files"
done

# DuckDB: a bench-local npm install, once.
duck=$cache/duckdb
if [ ! -e "$duck/node_modules/@duckdb/node-api/package.json" ]; then
	mkdir -p "$duck"
	cp "$here/package.json" "$duck/"
	if ! command -v npm >/dev/null 2>&1 || ! (cd "$duck" &&
	    npm install --no-audit --no-fund --silent >"$duck/npm.log" 2>&1)
	then
		echo "bench: DuckDB skipped: npm could not install" \
		    "@duckdb/node-api (see $duck/npm.log)" >&2
	fi
fi
cp "$here/duckdb-query.mjs" "$duck/" 2>/dev/null || true
have_duck=no
[ -e "$duck/node_modules/@duckdb/node-api/package.json" ] && have_duck=yes

# One timed run of a tool on a file: prints "seconds peak-KiB".
run_once() {	# tool file
	rm -f "$work/b.db" "$work/b.db-wal" "$work/b.db-shm" "$work/b.db-journal"
	case $1 in
	pilvi-analyzer)
		set -- sh -c '"$1" --db "$2" -q ingest "$3" &&
		    "$1" --db "$2" report --format json >/dev/null' \
		    sh "$analyzer" "$work/b.db" "$2" ;;
	sqlite3)
		case $(od -An -tx1 -N4 "$2" | tr -d ' ') in
		1f8b*)	src="|gzip -dc '$2'" ;;
		504b0304) src="|unzip -p '$2'" ;;
		*)	src=$2 ;;
		esac
		case $2 in
		*/cur*.csv*) group='"lineItem/UsageAccountId", "lineItem/ProductCode",
		    substr("lineItem/UsageStartDate", 1, 10)'
		    cost='"lineItem/UnblendedCost"' ;;
		*)	group='LinkedAccountId, ProductName, substr(UsageStartDate, 1, 10)'
		    cost=UnBlendedCost ;;
		esac
		printf '%s\n' '.mode csv' ".import \"$src\" line" \
		    "SELECT count(*), round(sum(t), 2) FROM (SELECT sum($cost) AS t
		     FROM line GROUP BY $group);" >"$work/import.sql"
		set -- sh -c 'sqlite3 "$1" < "$2"' sh "$work/b.db" \
		    "$work/import.sql" ;;
	python)	set -- python3 "$here/peer.py" "$2" "$work/b.db" ;;
	duckdb)	set -- node "$duck/duckdb-query.mjs" "$2" ;;
	esac
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" \
	    2>"$work/err" || {
		echo "bench: $* failed:" >&2
		cat "$work/err" >&2
		exit 1
	}
	cat "$work/time"
}

# Median wall time and the largest peak over $runs runs.
measure() {	# tool file
	i=0
	: >"$work/runs"
	while [ "$i" -lt "$runs" ]; do
		run_once "$1" "$2" >>"$work/runs"
		i=$((i + 1))
	done
	sort -n "$work/runs" | awk '{ s[NR] = $1; if ($2 > m) m = $2 }
	    END { print s[int((NR + 1) / 2)], m }'
}

# BENCH_PEERS: the peers to run (default all; "duckdb" for issue 19's
# targets alone)
peers=${BENCH_PEERS:-sqlite3 python duckdb}

printf '%-15s %-20s %8s %8s %10s %9s %12s\n' tool file "wall s" "MB/s" \
    "rows/s" "peak MiB" "its s / ours"
: >"$work/results"
while read -r f; do
	case $f in
	cur*)	rows=$cur_rows ;;
	*)	rows=$dbr_rows ;;
	esac
	raw=$(wc -c <"$cache/${f%%.csv*}.csv")
	file=$cache/$f
	ours=
	for tool in pilvi-analyzer $peers; do
		if [ "$tool" = duckdb ]; then
			[ "$have_duck" = yes ] || continue
			case $f in *.zip)
				printf '%-15s %-20s %s\n' duckdb "$f" \
				    "(read_csv reads no zip)"
				continue ;;
			esac
		fi
		set -- $(measure "$tool" "$file" </dev/null)
		[ -n "$ours" ] || ours=$1
		echo "$tool $f $1" >>"$work/results"
		awk -v t="$tool" -v f="$f" -v s="$1" -v m="$2" -v raw="$raw" \
		    -v rows="$rows" -v o="$ours" \
		    'BEGIN { if (s <= 0) s = 0.01
		        r = t == "pilvi-analyzer" ? "" : sprintf("%.2f", s / o)
		        printf "%-15s %-20s %8.2f %8.1f %10.0f %9.1f %12s\n",
		            t, f, s, raw / 1e6 / s, rows / s, m / 1024, r }'
	done
done <"$cache/files"

# The targets of issue 7, on the DBR-RT .gz, then of issue 19: at most
# 1.0x DuckDB on the plain files, 0.6x on the .gz.
echo
awk '$2 == "dbr-rt.csv.gz" { t[$1] = $3 }
    END {
	o = t["pilvi-analyzer"]
	if (o <= 0) o = 0.01
	if ("duckdb" in t)
		printf "target: at most 1.25x DuckDB: %.2fx  %s\n", o / t["duckdb"],
		    (o / t["duckdb"] <= 1.25 ? "met" : "NOT met")
	else
		print "target: at most 1.25x DuckDB: not measured (no DuckDB)"
	if ("sqlite3" in t)
		printf "target: 4x faster than sqlite3 .import: %.2fx  %s\n",
		    t["sqlite3"] / o, (t["sqlite3"] / o >= 4 ? "met" : "NOT met")
	if ("python" in t)
		printf "target: 5x faster than Python: %.2fx  %s\n",
		    t["python"] / o, (t["python"] / o >= 5 ? "met" : "NOT met")
    }' "$work/results"
awk '{ t[$1 " " $2] = $3; f[$2] = 1 }
    END {
	for (k in f) {
		if (k ~ /zip$/ || !(("duckdb " k) in t))
			continue
		lim = k ~ /gz$/ ? 0.6 : 1.0
		r = t["pilvi-analyzer " k] / t["duckdb " k]
		printf "issue 19: %-19s at most %.1fx DuckDB: %.2fx  %s\n", k,
		    lim, r, (r <= lim ? "met" : "NOT met")
	}
    }' "$work/results" | sort
