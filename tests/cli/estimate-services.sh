# estimate: services that stop or start in an account. October 2026,
# daily lines, days 1..14: EC2 24.00 a day throughout; RDS 48.00 a day
# to the 8th, then nothing (stopped); Lambda 12.00 a day from the 9th
# (started). By hand: usage so far 14 x 24 + 8 x 48 + 6 x 12 = 792.00;
# the 17 days left, EC2 17 x 24 = 408.00 and Lambda 17 x 12 = 204.00,
# RDS nothing: 1,404.00. By service: EC2 744.00, RDS 384.00, Lambda
# 276.00.
. "$LIB"
{
	echo "bill/PayerAccountId,bill/InvoiceId,bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/UsageType,lineItem/UnblendedCost,lineItem/CurrencyCode"
	d=1
	while [ $d -le 14 ]; do
		day=$(printf '2026-10-%02dT00:00:00Z' $d)
		next=$(printf '2026-10-%02dT00:00:00Z' $((d + 1)))
		echo "111122223333,,2026-10-01T00:00:00Z,111122223333,Usage,$day,$next,AmazonEC2,EU-BoxUsage:m5.large,24.00,USD"
		[ $d -le 8 ] && echo "111122223333,,2026-10-01T00:00:00Z,111122223333,Usage,$day,$next,AmazonRDS,EU-InstanceUsage:db.r5.large,48.00,USD"
		[ $d -ge 9 ] && echo "111122223333,,2026-10-01T00:00:00Z,111122223333,Usage,$day,$next,AWSLambda,EU-Lambda-GB-Second,12.00,USD"
		d=$((d + 1))
	done
} > oct.csv
run $PA --db a.db -q ingest oct.csv
run $PA --db a.db estimate
run $PA --db a.db estimate --format json
