# database problems are fatal (exit 3) with a clear message
. "$LIB"
fixture cur.csv
run $PA --db /nonexistent/dir/a.db ingest cur.csv
echo "not a database, just text" > text.db
run $PA --db text.db files
run $PA --db a.db ingest cur.csv >/dev/null 2>&1
run $PA --db a.db report -o /nonexistent/dir/out.txt
