# a hand-made service list: header variants, names people type, unknown
# services kept and flagged; a custom Pilvi catalog; bad lists rejected
. "$LIB"
fixture services-variants.csv
cp "$FIXTURES"/bad/services-*.csv .
run $PA check services-variants.csv services-bad-cost.csv services-no-service.csv
run $PA --db a.db ingest services-variants.csv
run $PA --db a.db inventory
cat > catalog.csv <<'CSV'
service_code,status,note
WorkSpaces,supported,
Amazon S3,unsupported,archive tier only
CSV
run $PA --db a.db inventory --catalog catalog.csv
printf 'service_code,status\nEC2,maybe\n' > bad-catalog.csv
run $PA --db a.db inventory --catalog bad-catalog.csv
run $PA --db a.db inventory --catalog missing.csv
