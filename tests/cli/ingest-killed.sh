# ingest killed with SIGKILL at many points of a large file: after each
# kill the database opens, PRAGMA integrity_check is ok, and it holds
# either all of that file or none of it (and the file before it, always)
. "$LIB"
fixture dbr.csv
$(dirname "$PA")/pilvi-gen --format cur --rows 500000 -o big.csv
$PA --db base.db -q ingest dbr.csv
cp base.db full.db
$PA --db full.db -q ingest big.csv
q="SELECT COUNT(*) || ' ' || COALESCE(SUM(cost), 0) FROM cost_line
    WHERE file_id IN (SELECT id FROM file WHERE name LIKE '%big.csv')"
all=$(sqlite3 full.db "$q")
before=$(sqlite3 base.db "SELECT COUNT(*) FROM cost_line")
kills=0 running=0 bad=0
for ms in 5 15 30 45 60 75 90 110 130 150 170 190 210 230 250 280 310 \
    340 370 400 450 500 600 800; do
	rm -f k.db k.db-wal k.db-shm
	cp base.db k.db
	$PA --db k.db -q ingest big.csv 2>/dev/null &
	p=$!
	sleep "$(printf '0.%03d' "$ms")"
	kill -9 $p 2>/dev/null && running=$((running + 1))
	wait $p 2>/dev/null
	kills=$((kills + 1))
	ok=$(sqlite3 k.db "PRAGMA integrity_check" 2>&1)
	got=$(sqlite3 k.db "$q" 2>&1)
	kept=$(sqlite3 k.db "SELECT COUNT(*) FROM cost_line WHERE file_id IN
	    (SELECT id FROM file WHERE name LIKE '%dbr.csv')" 2>&1)
	if [ "$ok" != ok ] || [ "$kept" != "$before" ] ||
	    { [ "$got" != "0 0" ] && [ "$got" != "$all" ]; }; then
		echo "after ${ms} ms: integrity '$ok', big.csv '$got' (all is" \
		    "'$all'), dbr.csv lines $kept of $before"
		bad=$((bad + 1))
	fi
done
echo "$kills kills, $bad with a damaged or partial database"
[ $running -ge $((kills / 2)) ] && echo "most kills hit a running ingest"
