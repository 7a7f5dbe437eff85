# estimate: a service whose lines are missing on the last day is taken
# as late, and the range says what the month is had it stopped. October
# 2026, daily lines: EC2 24.00 a day on days 1..14, S3 6.00 a day on
# days 1..13 only. The 14th is not complete (S3 has not posted): 13 days
# are used, usage so far 13 x 30 = 390.00, the 14th's EC2 24.00 is
# projected anew; the 18 days left at 30.00 are 540.00: 930.00. Had S3
# stopped, 18 x 6 = 108.00 less: the range's low end is 822.00.
. "$LIB"
{
	oct_daily_header
	d=1
	while [ $d -le 14 ]; do
		oct_daily $d AmazonEC2 EU-BoxUsage:m5.large 24.00
		[ $d -le 13 ] && oct_daily $d AmazonS3 EU-TimedStorage-ByteHrs 6.00
		d=$((d + 1))
	done
} > oct.csv
run $PA --db a.db -q ingest oct.csv
run $PA --db a.db estimate
