# a month counted once, whatever its files are called and however they
# are cut: which files repeat which is read from their lines (issue 13)
. "$LIB"
G=$(dirname "$PA")/pilvi-gen
$G --format cur --month 2024-01 --resources 4 --accounts 2 --days 7 \
    -o January-2024-cur.csv
$G --format cur --month 2024-01 --resources 4 --accounts 2 -o open.csv
$G --format cur --month 2024-01 --resources 4 --accounts 2 \
    --invoice 123456789 -o final.csv
# parts of a file: each with the header, the lines in order (cut by
# time, as a writer that splits by size does) or dealt out in turn
seq_parts() {	# FILE N PREFIX: PREFIX1.csv ... PREFIXN.csv
	head -n 1 "$1" > head.tmp
	tail -n +2 "$1" > body.tmp
	split -n "l/$2" -d -a 1 body.tmp cut.tmp.
	i=1
	for p in cut.tmp.*; do
		cat head.tmp "$p" > "$3$i.csv"
		i=$((i + 1))
	done
	rm -f cut.tmp.* head.tmp body.tmp
}
dealt_parts() {	# FILE N PREFIX
	i=1
	while [ "$i" -le "$2" ]; do
		awk -v n="$2" -v k="$i" 'NR == 1 || (NR - 2) % n == k - 1' \
		    "$1" > "$3$i.csv"
		i=$((i + 1))
	done
}
seq_parts open.csv 3 January-2024-cur-
dealt_parts open.csv 3 report-
dealt_parts final.csv 2 export-0000
total() {
	sqlite3 "$1" "SELECT printf('%.2f', SUM(cost) / 1e10) FROM invoice_day"
}
active() {
	sqlite3 "$1" "SELECT group_concat(f.name, ' ') FROM file f JOIN \
	    file_period fp ON fp.file_id = f.id WHERE fp.active = 1"
}
echo "one file each: open $(run $PA --db o.db ingest open.csv >/dev/null; \
    total o.db), final $(run $PA --db f.db ingest final.csv >/dev/null; \
    total f.db)"

echo "== the 7-day file, then the month in three parts cut by time"
run $PA --db a.db ingest January-2024-cur.csv January-2024-cur-1.csv \
    January-2024-cur-2.csv January-2024-cur-3.csv
total a.db; active a.db
echo "== the other order"
run $PA --db b.db ingest January-2024-cur-3.csv January-2024-cur-1.csv \
    January-2024-cur-2.csv January-2024-cur.csv
total b.db; active b.db
echo "== the 7-day file, then the month in three parts dealt out in turn"
run $PA --db c.db ingest January-2024-cur.csv report-2.csv report-1.csv \
    report-3.csv
total c.db; active c.db
echo "== parts 1-3 of the open month, then the invoiced month as parts 1-2"
run $PA --db d.db ingest report-1.csv report-2.csv report-3.csv
run $PA --db d.db ingest export-00001.csv export-00002.csv
total d.db; active d.db
echo "== the other order: the open parts come after the invoice"
run $PA --db e.db ingest export-00002.csv export-00001.csv
run $PA --db e.db ingest report-1.csv report-2.csv report-3.csv
total e.db; active e.db
echo "== the same month again under another name (other bytes: CRLF)"
sed 's/$/\r/' final.csv > renamed.csv
run $PA --db f.db ingest renamed.csv
total f.db; active f.db
