# the email-drop folder: each settled file ingested once and moved to
# processed/ or failed/ (with NAME.error); a file still being written is
# left; the same file twice lands once; reports per customer; a second
# run does nothing; a run while another holds the lock leaves at once
. "$LIB"
mkdir in
cp "$BUILT/cur.csv.gz" "$BUILT/dbr.csv.zip" "$BUILT/corrupt.zip" in/
cp "$FIXTURES/monthly-consolidated.csv" in/acme-2026-10.csv
cp in/acme-2026-10.csv in/acme-2026-10-again.csv
printf 'hello,world\n1,2\n' > in/notes.csv
printf '111111111111,Acme Oy,ops@acme.example\n' > in/customers.csv
touch -d '2 hours ago' in/*
printf 'InvoiceID,PayerAccountId\n' > in/half-written.csv
run $PA --db a.db drop in
find in -type f | grep -v '\.lock$' | sort
cat in/failed/*.error
run $PA --db a.db drop in
run $PA --db a.db -q drop in
run $PA --db a.db files
flock in/.pilvi-drop.lock $PA --db a.db drop in
echo "[exit $?]"
cp "$FIXTURES/cur2.csv" in/
touch -d '2 hours ago' in/cur2.csv
run $PA --db a.db drop --dry-run --settle 0 in
ls in/processed | wc -l
run $PA --db a.db drop --settle 0 -q in
run $PA --db a.db drop /nonexistent/folder
run $PA --db a.db drop
