# a read-only database and a full disk: a clear error, exit status 3,
# and the database as it was (needs root and tmpfs mounts; skipped
# where those are not allowed)
. "$LIB"
[ "$(id -u)" = 0 ] || exit 77
mkdir ro full
mount -t tmpfs -o size=8m tmpfs ro 2>/dev/null || exit 77
if ! mount -t tmpfs -o size=600k tmpfs full 2>/dev/null; then
	umount ro
	exit 77
fi
trap 'umount ro full 2>/dev/null' EXIT
fixture cur.csv dbr.csv
$(dirname "$PA")/pilvi-gen --format cur --rows 20000 -o big.csv

echo "read-only:"
run $PA --db ro/a.db -q ingest cur.csv
mount -o remount,ro ro
dump ro/a.db > before
run $PA --db ro/a.db ingest dbr.csv
run $PA --db ro/a.db files
dump ro/a.db > after
cmp before after && echo "database unchanged"

echo "full disk:"
run $PA --db full/a.db -q ingest cur.csv
dump full/a.db > before
run $PA --db full/a.db ingest big.csv
sqlite3 full/a.db "PRAGMA integrity_check"
dump full/a.db > after
cmp before after && echo "database unchanged"
run $PA --db full/a.db files
