# ingest several kinds into one database, list them, report as JSON and text
. "$LIB"
fixture cur.csv.gz focus.csv
cp "$FIXTURES"/demo/*.csv .
run $PA --db acme.db ingest 123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2026-10.csv cur.csv.gz focus.csv
run $PA --db acme.db files
run $PA --db acme.db report --format json
run $PA --db acme.db report
run $PA --db acme.db report --payer 777777777777 --month 2026-10 --format json
