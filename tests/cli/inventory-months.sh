# three months from the generator: a service gone, back, another gone
. "$LIB"
G=$(dirname "$PA")/pilvi-gen
$G --format cur --month 2026-08 --days 1 -o aug.csv
$G --format cur --month 2026-09 --days 1 --exclude AWSLambda -o sep.csv
$G --format cur --month 2026-10 --days 1 --exclude AmazonRDS -o oct.csv
run $PA --db a.db -q ingest aug.csv sep.csv oct.csv
run $PA --db a.db inventory --account 080580117116
$PA --db a.db report --format json | sed -n '/"inventory_changes"/,$p'
