# an older delivery of a month ingested after a newer one (a 7-day file
# after the whole month) is kept aside, not counted, and said so; in
# the other order the newer replaces the older as before
. "$LIB"
G=$(dirname "$PA")/pilvi-gen
$G --format cur --month 2026-10 --resources 4 --accounts 1 --days 7 -o week.csv
$G --format cur --month 2026-10 --resources 4 --accounts 1 -o month.csv
total() {
	sqlite3 "$1" "SELECT printf('%.2f', SUM(cost) / 1e10) FROM invoice_day"
}
run $PA --db new-first.db ingest month.csv
run $PA --db new-first.db ingest week.csv
run $PA --db new-first.db files
total new-first.db
run $PA --db old-first.db ingest week.csv
run $PA --db old-first.db ingest month.csv
run $PA --db old-first.db files
total old-first.db
run $PA check month.csv
