# estimate: a service whose lines are missing on the last day is taken
# as late, and the range says what the month is had it stopped. October
# 2026, daily lines: EC2 24.00 a day on days 1..14, S3 6.00 a day on
# days 1..13 only. The 14th is not complete (S3 has not posted): 13 days
# are used, usage so far 13 x 30 = 390.00, the 14th's EC2 24.00 is
# projected anew; the 18 days left at 30.00 are 540.00: 930.00. Had S3
# stopped, 18 x 6 = 108.00 less: the range's low end is 822.00.
. "$LIB"
{
	echo "bill/PayerAccountId,bill/InvoiceId,bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/UsageType,lineItem/UnblendedCost,lineItem/CurrencyCode"
	d=1
	while [ $d -le 14 ]; do
		day=$(printf '2026-10-%02dT00:00:00Z' $d)
		next=$(printf '2026-10-%02dT00:00:00Z' $((d + 1)))
		echo "111122223333,,2026-10-01T00:00:00Z,111122223333,Usage,$day,$next,AmazonEC2,EU-BoxUsage:m5.large,24.00,USD"
		[ $d -le 13 ] && echo "111122223333,,2026-10-01T00:00:00Z,111122223333,Usage,$day,$next,AmazonS3,EU-TimedStorage-ByteHrs,6.00,USD"
		d=$((d + 1))
	done
} > oct.csv
run $PA --db a.db -q ingest oct.csv
run $PA --db a.db estimate
