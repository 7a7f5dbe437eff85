# a bad file leaves the database exactly as it was; other files go on
. "$LIB"
fixture cur.csv dbr.csv truncated.gz
cp "$FIXTURES"/bad/short-row.csv "$FIXTURES"/bad/overflow-sum.csv .
run $PA --db a.db ingest cur.csv
dump a.db > before
run $PA --db a.db ingest short-row.csv
run $PA --db a.db ingest overflow-sum.csv truncated.gz
dump a.db > after
cmp before after && echo "database unchanged"
run $PA --db a.db ingest short-row.csv dbr.csv
run $PA --db a.db files
