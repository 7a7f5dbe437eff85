# readers never wait for a writer: while another process holds the
# database's write lock (as an ingest does until it commits), files,
# report and estimate answer at once; the bound (20 s) is on waiting,
# not on speed: before, they waited out the 10-minute busy timeout
. "$LIB"
cp "$FIXTURES/cur.csv" .
run $PA --db x.db ingest cur.csv
# a writer that holds the lock until told to stop (sleep.pid)
{
	echo "BEGIN IMMEDIATE;"
	echo "INSERT INTO data_version VALUES ('x', 'y');"
	sleep 30 & echo $! > sleep.pid; wait
	echo "ROLLBACK;"
} | sqlite3 x.db &
sleep 1
run timeout 20 $PA --db x.db files
run timeout 20 $PA --db x.db report --format json -o report.json
timeout 20 $PA --db x.db estimate >/dev/null
echo "estimate: exit $?"
kill "$(cat sleep.pid)"
wait
sqlite3 x.db "SELECT COUNT(*) FROM data_version WHERE name = 'x'"
echo done
