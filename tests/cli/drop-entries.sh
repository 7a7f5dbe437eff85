# the drop folder says one line for each entry it skips and why (a
# folder, a symbolic link, a named pipe), and its reports name files as
# the drop folder knows them, never by a path of the support machine
. "$LIB"
drop=$(pwd)/drop
mkdir "$drop" "$drop/old-mails"
cp "$FIXTURES/cur.csv" "$drop/"
ln -s "$FIXTURES/dbr.csv" "$drop/link.csv"
mkfifo "$drop/pipe"
touch -d '2 hours ago' "$drop/cur.csv"
# cron calls it with the folder's absolute path
run $PA --db d.db drop "$drop" | sed "s|$drop|DROP|g"
run $PA --db d.db files
echo "report lines naming the drop folder's path: \
$(grep -c "$drop" "$drop"/reports/*/report.txt)"
grep "cur.csv" "$drop"/reports/*/report.txt
