# a monthly report and a DBR-RT of the same payer and month: both kept,
# the more detailed one counted, and the report says so
. "$LIB"
fixture monthly-demo.csv
cp "$FIXTURES"/demo/*.csv demo.csv
run $PA --db a.db -q ingest monthly-demo.csv demo.csv
run $PA --db a.db report --format json
