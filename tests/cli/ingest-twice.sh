# the same bytes twice: skipped, the database does not change
. "$LIB"
fixture cur.csv dbr.csv.zip
run $PA --db a.db ingest cur.csv dbr.csv.zip
dump a.db > before
run $PA --db a.db ingest cur.csv
cp cur.csv renamed.csv
run $PA --db a.db ingest renamed.csv
cat dbr.csv.zip | $PA --db a.db ingest -
echo "[exit $?]"
dump a.db > after
cmp before after && echo "database unchanged"
run $PA --db a.db files
stat -c '%a %n' a.db
