# without --format, the output file's name says which: export -o
# feed.csv writes the CSV feed, -o feed.xlsx a workbook, report -o
# r.html HTML; a name that fits no format of the command is refused as
# before, and --format, when given, wins over the name
. "$LIB"
run $PA --db a.db ingest "$FIXTURES/cur.csv" -q
run $PA --db a.db export -o feed.csv
head -n 1 feed.csv | cut -c1-40
run $PA --db a.db export -o feed.XLSX
head -c 2 feed.XLSX; echo
run $PA --db a.db report -o r.html
head -n 1 r.html
run $PA --db a.db report -o r.md
head -n 1 r.md
run $PA --db a.db report -o r.json
head -c 1 r.json; echo
run $PA --db a.db report -o r.out
head -n 1 r.out
run $PA --db a.db report --format json -o r2.html
head -c 1 r2.html; echo
run $PA --db a.db export -o feed.txt
ls feed.txt 2>&1
