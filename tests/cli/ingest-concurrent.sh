# two ingests started at the same moment on one new database, each with
# its own file: both succeed (the second waits for the first to finish),
# thirty times over (before the flock in store_open about one round in a
# hundred failed with "database is locked"), and the database ends as if
# they had run one after the other
. "$LIB"
fixture cur.csv dbr.csv
i=1
while [ $i -le 30 ]; do
	rm -f c.db c.db-wal c.db-shm
	$PA --db c.db -q ingest cur.csv 2> err1 &
	p1=$!
	$PA --db c.db -q ingest dbr.csv 2> err2 &
	p2=$!
	wait $p1
	s1=$?
	wait $p2
	s2=$?
	[ $s1 = 0 ] && [ $s2 = 0 ] || { echo "round $i: exit $s1 $s2"; cat err1 err2; }
	i=$((i + 1))
done
echo "thirty rounds done"
$PA --db s.db -q ingest cur.csv
$PA --db s.db -q ingest dbr.csv
for db in c.db s.db; do
	sqlite3 $db "PRAGMA integrity_check; SELECT name, format, rows, status
	    FROM file ORDER BY name; SELECT SUM(cost), COUNT(*) FROM cost_line"
	$PA --db $db inventory > $db.inventory
	$PA --db $db estimate > $db.estimate
done
cmp c.db.inventory s.db.inventory && echo "same inventory"
cmp c.db.estimate s.db.estimate && echo "same estimate"
