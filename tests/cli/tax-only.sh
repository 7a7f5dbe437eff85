# a month of tax lines only (no usage, no complete day): ingested,
# estimated and reported without reading outside the month (the
# sanitizer build crashed here), the estimate's confidence low
. "$LIB"
cp "$FIXTURES/tax-only.csv" .
run $PA --db t.db ingest tax-only.csv
run $PA --db t.db estimate
run $PA --db t.db report --format json -o r.json
grep '"confidence"' r.json
