# pricing: the budget under Pilvi (--pricing, docs/pricing.md) of a
# final month written by hand, every amount worked out below; the
# built-in 0 % rules give back the AWS budget of a partial month, its
# range too; bad rules are said with FILE:LINE
. "$LIB"
cat > month.csv <<'CSV'
lineItem/UnblendedCost,identity/LineItemId,bill/PayerAccountId,bill/InvoiceId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/UsageType,lineItem/Operation,lineItem/AvailabilityZone,lineItem/ResourceId,lineItem/UsageAmount,lineItem/CurrencyCode,lineItem/LineItemDescription,product/ProductName,product/region,resourceTags/user:Name
1000.0000000000,id1,777777777777,INV-1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,888888888888,Usage,2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,AmazonEC2,EU-BoxUsage:m5.large,RunInstances,eu-west-1a,i-0123,1.0000000000,USD,m5.large hours,Amazon Elastic Compute Cloud,eu-west-1,web
-30.0000000000,id2,777777777777,INV-1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,888888888888,EdpDiscount,2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,AmazonEC2,EU-BoxUsage:m5.large,RunInstances,eu-west-1a,i-0123,1.0000000000,USD,EDP discount,Amazon Elastic Compute Cloud,eu-west-1,web
200.0000000000,id3,777777777777,INV-1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,888888888888,Usage,2026-10-01T00:00:00Z,2026-10-01T01:00:00Z,AmazonS3,EU-TimedStorage-ByteHrs,StandardStorage,,bucket,1.0000000000,USD,storage,Amazon Simple Storage Service,eu-west-1,
150.0000000000,id4,777777777777,INV-1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,777777777777,Fee,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,AWSSupportBusiness,Dollar,,,,1.0000000000,USD,Business support,AWS Support (Business),,
-50.0000000000,id5,777777777777,INV-1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,888888888888,Credit,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,AmazonEC2,,,,,0.0000000000,USD,AWS Activate credit,Amazon Elastic Compute Cloud,,
100.0000000000,id6,777777777777,INV-1,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,888888888888,Tax,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,AmazonEC2,,,,,1.0000000000,USD,Tax,Amazon Elastic Compute Cloud,,
CSV
# At AWS: EC2 1000 - 30 (EDP, carried) = 970, S3 200, Business support
# 150: amount 1320.00 USD; credits -50, tax 100: total 1370.00.
# At Pilvi, in EUR at 0.9:
#   EC2 970 x 1.10 x 0.9 = 960.30 (the markup is on the net: 1100 - 33)
#   S3 200 x 0.9 = 180.00
#   support: AWS's 150 out; 10 % of the spend 1140.30 = 114.03 (above
#   the minimum 100; the spend is under the 10 000 bound)
#   amount 960.30 + 180.00 + 114.03 = 1254.33
#   credits -50 x 0.9 = -45.00, tax (no vat row) 100 x 0.9 = 90.00
#   total 1254.33 - 45.00 + 90.00 = 1299.33
# Effects: support -150.00 AWS +114.03 Pilvi; markup -970.00 AWS
# +960.30 Pilvi; currency -1,320.00 AWS +1,188.00 Pilvi (1320 x 0.9).
cat > rules.csv <<'CSV'
kind,scope,match,percent,amount,date,note
version,,test-2026-11,,,,
markup,service,AmazonEC2,10,,,
support_fee,,,10,10000,,
support_fee,,,7,,,
support_minimum,,,,100,,
currency,USD,EUR,,0.9,2026-10-31,
CSV
run $PA --db a.db -q ingest month.csv
$PA --db a.db estimate --format json --pricing rules.csv > est.json
echo "[exit $?]"
sed -n '/"pilvi_budget"/,$p' est.json
# the report's JSON carries the same member, at its end
$PA --db a.db report --format json --pricing rules.csv > rep.json
echo "[exit $?]"
sed -n '/"pilvi_budget"/,$p' est.json > est.tail
sed -n '/"pilvi_budget"/,$p' rep.json > rep.tail
cmp est.tail rep.tail && echo "report and estimate agree"
# without --pricing nothing of it
$PA --db a.db report --format json | grep -c pilvi_budget

# 0 % (the built-in rules' file): Pilvi = AWS, the range too, on a
# partial month the estimate projects
G=$(dirname "$PA")/pilvi-gen
$G --format cur --scenario office --month 2026-10 --resources 6 --accounts 1 --days 12 -o oct12.csv
run $PA --db b.db -q ingest oct12.csv
$PA --db b.db estimate --format json \
    --pricing "$FIXTURES/../schema/pricing-rules.csv" > zero.json
echo "[exit $?]"
python3 - <<'PY'
import json
d = json.load(open("zero.json"))
p = d["estimate"]["by_payer"][0]
b = d["pilvi_budget"]["by_payer"][0]
print("version", d["pilvi_budget"]["version"], "effects", len(b["effects"]))
for aws, pilvi in (("amount", "aws_amount"), ("amount", "amount"),
                   ("low", "low"), ("high", "high"), ("tax", "tax"),
                   ("credits", "credits")):
    print(aws, p[aws], pilvi, b[pilvi], "same" if p[aws] == b[pilvi] else "DIFFERENT")
svc = {s["service"]: s["amount"] for s in d["estimate"]["by_service"]}
print("services", all(svc[s["service"]] == s["pilvi"] == s["aws"]
                      for s in b["by_service"]), len(b["by_service"]))
PY

# the feed: a pilvi row per payer-month (1254.33 EUR) and pilvi_service
# rows adding up to it: 960.30 + 180.00 + 0.00 + 114.03 (support fee)
run $PA --db a.db export --format csv -o - --pricing rules.csv | grep pilvi
# ... on the partial month too, where the rest of the rounding goes to
# the largest row
$PA --db b.db export --format csv -o feed.csv \
    --pricing "$FIXTURES/../schema/pricing-rules.csv"
echo "[exit $?]"
python3 - <<'PY'
import csv
from decimal import Decimal
rows = list(csv.DictReader(open("feed.csv", newline="")))
total = [r for r in rows if r["kind"] == "pilvi"]
parts = [r for r in rows if r["kind"] == "pilvi_service"]
est = [r for r in rows if r["kind"] == "estimate"]
print(len(total), "pilvi,", len(parts), "pilvi_service")
print("total", total[0]["amount"], "estimate", est[0]["amount"],
      "services add up:", sum(Decimal(r["amount"]) for r in parts)
      == Decimal(total[0]["amount"]))
PY

# bad rules: the file and line, exit 1; a command without --pricing: 2
printf 'kind,scope,match,percent,amount,date,note\nversion,,x,,,,\nsupport_fee,,,10,80000,,\nsupport_fee,,,7,10000,,\n' > tiers.csv
run $PA --db a.db estimate --format json --pricing tiers.csv
printf 'kind,scope,match,percent,amount,date,note\nversion,,x,,,,\ncurrency,USD,EUR,,0.9,,\n' > nodate.csv
run $PA --db a.db report --format json --pricing nodate.csv
printf 'kind,scope,match,percent,amount,date,note\nversion,,x,,,,\ncurrency,EUR,SEK,,11.2,2026-10-31,\n' > sek.csv
run $PA --db a.db report --format json --pricing sek.csv
# the text, Markdown and HTML reports show it in the estimate's section,
# with the same amounts as the JSON (1254.33 EUR, 1299.33 with tax)
run $PA --db a.db report --pricing rules.csv -o report.txt
sed -n '/^Budget under Pilvi/,/^3\. Service/p' report.txt
run $PA --db a.db report --format markdown --pricing rules.csv -o report.md
grep -c '1,254.33' report.md
run $PA --db a.db report --format html --pricing rules.csv -o report.html
grep -c 'id="pilvi"' report.html
run $PA --db a.db estimate --pricing rules.csv | grep -A 3 'Budget under'
run $PA --db a.db report --format json --pricing missing.csv
run $PA --db a.db inventory --pricing rules.csv
