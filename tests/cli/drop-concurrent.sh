# two drop runs started at the same moment: one works, the other leaves
# at once (or finds nothing new, if it came after); the database is
# consistent and holds the file once
. "$LIB"
mkdir in
$(dirname "$PA")/pilvi-gen --format cur --bytes 40M -o in/big.csv
touch -d '2 hours ago' in/big.csv
$PA --db a.db drop in > out1 2> err1 &
p1=$!
$PA --db a.db drop in > out2 2> err2 &
p2=$!
wait $p1
s1=$?
wait $p2
s2=$?
echo "exit statuses: $s1 $s2"
busy=$(cat err1 err2 | grep -c "another drop run is working")
[ "$busy" -le 1 ] && echo "at most one run turned away"
cat err1 err2 | grep -v "another drop run is working"
cat out1 out2 | grep -c "big.csv: ingested"
ls in/processed
sqlite3 a.db "PRAGMA integrity_check; SELECT COUNT(*) FROM file"
