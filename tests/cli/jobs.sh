# --jobs (issue 19): the reading thread working ahead (2, 4) or taking
# turns with the mapping (1) gives the same database, byte for byte in
# every table, the same report and the same errors: a DBR-RT .gz of
# 60,000 rows (many batches), a CUR with repeated lines, a zip of two
# members and a file that fails on its last line
. "$LIB"
G=$(dirname "$PA")/pilvi-gen
MK=$(dirname "$PA")/mkarchive
$G --format dbr-rt --rows 60000 --seed 3 -o big.csv && gzip -1 big.csv
$G --format cur --month 2026-09 --resources 6 --days 12 -o cur.csv
{ cat cur.csv; tail -n +2 cur.csv | head -n 500; } > cur-repeats.csv
$G --format cur --month 2026-08 --resources 5 --seed 2 -o a.csv
$G --format cur2 --month 2026-07 --resources 5 --seed 4 -o b.csv
$MK two.zip a.csv b.csv
{ cat cur.csv; echo "0.5,not,enough,fields"; } > bad-last.csv
for j in 1 2 4; do
	$PA --db "j$j.db" ingest --jobs "$j" big.csv.gz cur-repeats.csv \
	    two.zip bad-last.csv >"ingest-$j.out" 2>"ingest-$j.err"
	echo "--jobs $j: exit $?"
	$PA --db "j$j.db" report --format json > "report-$j.json"
	sqlite3 "j$j.db" .dump > "dump-$j.sql"	# the clock is fixed
done
for j in 2 4; do
	for f in ingest-J.out ingest-J.err report-J.json dump-J.sql; do
		a=$(echo "$f" | sed "s/J/1/") b=$(echo "$f" | sed "s/J/$j/")
		if cmp -s "$a" "$b"; then
			echo "--jobs $j: $(echo "$f" | sed "s/-J//") the same as --jobs 1"
		else
			echo "--jobs $j: $(echo "$f" | sed "s/-J//") DIFFERS"
			diff "$a" "$b" | head -5
		fi
	done
done
echo "what --jobs 1 said:"
cat ingest-1.out ingest-1.err
echo "rows stored: $(sqlite3 j1.db 'SELECT SUM(rows) FROM file')"
