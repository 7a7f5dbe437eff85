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
# the estimate adds no EUR to USD: no all-payers sum, in the key figures,
# the estimate section and the JSON; each payer in its own currency
sed -n '/^Key figures/,/^About this report/p' report.text
$PA --db a.db estimate | head -n 5
$PA --db a.db estimate --format json | sed -n 2,4p
$PA --db a.db estimate --format json | python3 -c '
import json, sys
for p in json.load(sys.stdin)["estimate"]["by_payer"]:
    print(p["payer_account"], p["amount"], p["currency"])'
# services needing attention in both currencies: their cost said in
# each, not summed; the coverage a share of each month in its own
printf 'service_code,status,note\nAmazonEC2,supported,\n' > catalog.csv
$PA --db a.db report --catalog catalog.csv |
    sed -n '/^  Needs attention/,/^About this report/p'
