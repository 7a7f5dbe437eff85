# the drop folder's cumulative feed: DIR/reports/billing.csv holds every
# customer's rows (ids and names from customers.csv), rebuilt atomically
# from the database after each run; a re-delivered month replaces its
# rows, it does not add to them; each customer's folder holds its own
# rows, the same bytes; editing customers.csv renames the rows
. "$LIB"
mkdir in
cat > in/customers.csv <<'CSV'
payer_account,customer_name,contact,customer_id
111111111111,Acme Oy,ops@acme.example,C-1
777777777777,Beta Ab,billing@beta.example,C-2
CSV
cp "$FIXTURES/monthly-consolidated.csv" in/acme-2026-10.csv
cp "$FIXTURES/cur.csv" in/beta-2026-10.csv
touch -d '2 hours ago' in/*
echo "--- round 1: two customers"
run $PA --db a.db drop in
cat in/reports/billing.csv
echo "--- round 2: Acme's month again (20 days), and a payer no one named"
cp "$FIXTURES/monthly-consolidated-v2.csv" in/acme-2026-10-v2.csv
cp "$FIXTURES/cur2.csv" in/unknown.csv
touch -d '1 hour ago' in/acme-2026-10-v2.csv in/unknown.csv
run $PA --db a.db drop in
cat in/reports/billing.csv
echo "--- each folder: its customer's rows of the cumulative feed"
for c in 'Acme_Oy C-1 Acme Oy' 'Beta_Ab C-2 Beta Ab' '010101010101'; do
	set -- $c
	d=$1 id=${2:-}
	shift; [ $# -gt 0 ] && shift
	{ head -n 1 in/reports/billing.csv
	  grep "^2,\"[a-z]*\",\"$id\",\"$*\"," in/reports/billing.csv; } > expect.csv
	cmp expect.csv in/reports/$d/billing.csv && echo "$d: $(sed 1d \
	    in/reports/$d/billing.csv | wc -l) rows, as in the cumulative feed"
done
echo "--- round 3: nothing new, customers.csv unchanged: left as it is"
run $PA --db a.db drop in
echo "--- round 4: the unnamed payer gets a name"
touch -d '1 hour ago' in/reports/billing.csv
printf '010101010101,Gamma Oy,,C-3\n' >> in/customers.csv
run $PA --db a.db drop in
grep -c '"C-3","Gamma Oy","010101010101"' in/reports/billing.csv
ls in/reports in/reports/Acme_Oy
head -n 1 in/reports/Acme_Oy/report.txt in/reports/010101010101/report.txt
