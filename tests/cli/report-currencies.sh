# periods in more than one currency: the data status table gets a
# currency column instead of one in the total's title, in every format
# (the third period once read past the check for a second currency)
. "$LIB"
fixture monthly-consolidated-v2.csv cur.csv dbr.csv
$PA --db a.db -q ingest monthly-consolidated-v2.csv cur.csv dbr.csv
for f in text markdown html; do
	run $PA --db a.db report --format $f -o report.$f
done
sed -n '/^1\. Data status/,/^Charges by class/p' report.text
grep -A 5 '^| Payer | Month | Status' report.markdown
grep -c '<th class="n">Total</th><th>Currency</th>' report.html
