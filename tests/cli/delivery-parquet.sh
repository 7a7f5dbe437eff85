# Parquet deliveries (issue 15): legacy CUR through Athena's layout
# (year=/month= folders, no manifest, the status table and the crawler's
# template beside the data) and a FOCUS export of Data Exports with its
# manifest, as a folder and as a zip, give what their CSVs give
. "$LIB"
. "$(dirname "$LIB")/lib-parquet.sh"
need_duckdb
fixture cur.csv focus.csv
total() {
	sqlite3 "$1" "SELECT period, class, SUM(cost_units) FROM monthly_cost \
	    GROUP BY 1, 2 ORDER BY 1, 2"
}
A=tree/athena/acme/acme
mkdir -p $A/year=2026/month=10 $A/cost_and_usage_data_status
$C2P --athena cur.csv $A/year=2026/month=10/acme-00001.snappy.parquet
printf 'status\nREADY\n' > status.csv
$C2P status.csv $A/cost_and_usage_data_status/cost_and_usage_data_status.parquet
printf 'AWSTemplateFormatVersion: 2010-09-09\n' > tree/athena/acme/crawler-cfn.yml
F=tree/focus/acme-focus
mkdir -p "$F/data/BILLING_PERIOD=2026-10/2b7e" \
    "$F/metadata/BILLING_PERIOD=2026-10"
$C2P --null NULL --compression zstd focus.csv \
    "$F/data/BILLING_PERIOD=2026-10/2b7e/acme-focus-00001.snappy.parquet"
cat > "$F/metadata/BILLING_PERIOD=2026-10/acme-focus-Manifest.json" <<'EOM'
{"executionId": "2b7e", "dataFiles": ["s3://b/focus/acme-focus/data/BILLING_PERIOD=2026-10/2b7e/acme-focus-00001.snappy.parquet"]}
EOM

echo "== the CSVs"
$PA --db want.db -q ingest cur.csv focus.csv
total want.db
echo "== the folder"
run $PA --db a.db ingest tree
total a.db
echo "== a zip of it"
(cd tree && $(dirname "$PA")/mkarchive ../tree.zip athena focus)
run $PA --db z.db -q ingest tree.zip
total z.db
