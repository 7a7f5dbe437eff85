# billing data stays private: the database, its -wal/-shm, reports,
# exports and the drop folder's reports are created 0600, and a stricter
# umask only takes more away
. "$LIB"
fixture cur.csv
for m in 022 077 0277; do
	mkdir u$m
	(
		cd u$m
		umask $m
		cp ../cur.csv .
		$PA --db a.db -q ingest cur.csv
		$PA --db a.db report -o report.txt
		$PA --db a.db report --format html -o report.html
		$PA --db a.db export --format csv -o feed.csv
		$PA --db a.db export --format xlsx -o feed.xlsx
		mkdir in
		cp cur.csv in/
		touch -d '2 hours ago' in/cur.csv
		$PA --db d.db -q drop in
		echo "umask $m:"
		find . -type f ! -name cur.csv ! -name '*.lock' |
		    sort | xargs stat -c '  %a %n'
	)
done
