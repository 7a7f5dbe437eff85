# a drop run killed with SIGKILL in the middle, then run again: the file
# ends processed, the database holds it once and is intact
. "$LIB"
mkdir in
$(dirname "$PA")/pilvi-gen --format cur --bytes 40M -o in/big.csv
touch -d '2 hours ago' in/big.csv
$PA --db a.db -q drop in &
pid=$!
sleep 0.3
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
run $PA --db a.db -q drop in
ls in in/processed
sqlite3 a.db "PRAGMA integrity_check; SELECT COUNT(*), SUM(status = 'ok') FROM file"
run $PA --db a.db -q drop in
