# estimate: services that stop or start in an account. October 2026,
# daily lines, days 1..14: EC2 24.00 a day throughout; RDS 48.00 a day
# to the 8th, then nothing (stopped); Lambda 12.00 a day from the 9th
# (started). By hand: usage so far 14 x 24 + 8 x 48 + 6 x 12 = 792.00;
# the 17 days left, EC2 17 x 24 = 408.00 and Lambda 17 x 12 = 204.00,
# RDS nothing: 1,404.00. By service: EC2 744.00, RDS 384.00, Lambda
# 276.00.
. "$LIB"
{
	oct_daily_header
	d=1
	while [ $d -le 14 ]; do
		oct_daily $d AmazonEC2 EU-BoxUsage:m5.large 24.00
		[ $d -le 8 ] && oct_daily $d AmazonRDS EU-InstanceUsage:db.r5.large 48.00
		[ $d -ge 9 ] && oct_daily $d AWSLambda EU-Lambda-GB-Second 12.00
		d=$((d + 1))
	done
} > oct.csv
run $PA --db a.db -q ingest oct.csv
run $PA --db a.db estimate
run $PA --db a.db estimate --format json
