# email: report --format email, the reply to paste into a mail to the
# customer, of the move checklist's two months (tests/cli/move-checklist)
# without and with --pricing (tests/cli/pricing's rules: 10 % on EC2, a
# support fee, EUR at 0.9): what came in, the services, readiness, the
# budget and the numbered asks; no line past 72 characters (counted as
# characters: the range's ± and the 80 % are UTF-8)
. "$LIB"
cp "$FIXTURES/move-cur-2026-08.csv" "$FIXTURES/move-cur-2026-09.csv" \
    "$FIXTURES/move-accounts.csv" .
run $PA --db m.db -q ingest move-cur-2026-08.csv move-cur-2026-09.csv \
    move-accounts.csv
run $PA --db m.db report --format email --customer "Acme Oy" -o aws.txt
cat aws.txt
cat > rules.csv <<'CSV'
kind,scope,match,percent,amount,date,note
version,,test-2026-11,,,,
markup,service,AmazonEC2,10,,,
support_fee,,,10,10000,,
support_fee,,,7,,,
support_minimum,,,,100,,
currency,USD,EUR,,0.9,2026-10-31,
CSV
run $PA --db m.db report --format email --customer "Acme Oy" \
    --pricing rules.csv -o pilvi.txt
# only the budget differs
diff aws.txt pilvi.txt
# three payers: a budget each, each ask says its payer, the numbers
# line up past 9
cp "$FIXTURES/cur.csv" "$FIXTURES/dbr.csv" "$FIXTURES/focus.csv" .
run $PA --db p.db -q ingest cur.csv dbr.csv focus.csv
run $PA --db p.db report --format email -o payers.txt
cat payers.txt
echo "long lines:"
python3 -c '
import sys
for f in sys.argv[1:]:
    for n, l in enumerate(open(f, encoding="utf-8"), 1):
        if len(l.rstrip("\n")) > 72:
            print(f, n, len(l) - 1)
' aws.txt pilvi.txt payers.txt
# nothing to ask: a final month with every day in, resource ids and a
# tag, of one service Pilvi supports; nothing projected, so no range
{
	echo "lineItem/UnblendedCost,identity/LineItemId,bill/PayerAccountId,bill/InvoiceId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/UsageType,lineItem/Operation,lineItem/ResourceId,lineItem/UsageAmount,lineItem/CurrencyCode,product/ProductName,product/region,resourceTags/user:Name"
	for d in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 \
	    20 21 22 23 24 25 26 27 28; do
		echo "10.00,id$d,555555555555,INV-2,2026-02-01T00:00:00Z,2026-03-01T00:00:00Z,666666666666,Usage,2026-02-${d}T00:00:00Z,2026-02-${d}T01:00:00Z,AmazonEC2,EU-BoxUsage:m5.large,RunInstances,i-0123,1.0,USD,Amazon Elastic Compute Cloud,eu-west-1,web"
	done
	# the month's last hour: usage reaches the month's end
	echo "1.00,id29,555555555555,INV-2,2026-02-01T00:00:00Z,2026-03-01T00:00:00Z,666666666666,Usage,2026-02-28T23:00:00Z,2026-03-01T00:00:00Z,AmazonEC2,EU-BoxUsage:m5.large,RunInstances,i-0123,1.0,USD,Amazon Elastic Compute Cloud,eu-west-1,web"
} > ready.csv
run $PA --db r.db -q ingest ready.csv
run $PA --db r.db report --format email
# a hand-made list is no bill: the billing files are asked for
run $PA --db l.db -q ingest move-accounts.csv
run $PA --db l.db report --format email
