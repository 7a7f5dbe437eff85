# drop is restartable at every step (issue 18): killed at each link,
# unlink and rename it makes (strace injects SIGKILL at the K-th call
# of each), the next run leaves the folder whole: the file ingested
# once and moved once (no NAME.1), the customer's report and the feed
# written, no temporary file left. Needs strace and ptrace: skipped
# without.
. "$LIB"
command -v strace >/dev/null || exit 77
strace -f -o /dev/null true 2>/dev/null || exit 77
cp "$FIXTURES/cur.csv" .
check() {	# what a finished run leaves
	left=$(find in -maxdepth 1 -type f ! -name '.*' ! -name customers.csv)
	moved=$(ls in/processed | tr '\n' ' ')
	tmp=$(find in -name '*.tmp.*' | wc -l)
	rep=$(ls in/reports/Acme_Oy 2>/dev/null | tr '\n' ' ')
	rows=$(sqlite3 d.db "SELECT COUNT(*) FROM file WHERE status = 'ok'")
	echo "left [$left] processed [$moved] temporaries $tmp" \
	    "reports [$rep] files $rows"
}
for call in link unlink rename; do
	k=1
	while [ $k -le 4 ]; do
		rm -rf in d.db d.db-wal d.db-shm
		mkdir in
		cp cur.csv in/
		printf '777777777777,Acme Oy\n' > in/customers.csv
		touch -d '2 hours ago' in/cur.csv
		strace -f -o /dev/null \
		    -e inject=$call:signal=SIGKILL:when=$k \
		    $PA --db d.db drop in >/dev/null 2>&1
		$PA --db d.db drop in >/dev/null 2>&1
		printf '%s %d: ' $call $k
		check
		k=$((k + 1))
	done
done
