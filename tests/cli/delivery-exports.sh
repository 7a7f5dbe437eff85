# a Data Exports (CUR 2.0) delivery folder (issue 15, item 2): a new run
# of the whole month each day; the manifest in metadata/ names the
# current run's files (read as JSON: a decoy in a string is not a list);
# without one, the newest run by its timestamp name; billing_period= in
# lower case too; a manifest naming a file that is missing says so; one
# that is not JSON is set aside and the newest run taken
. "$LIB"
G=$(dirname "$PA")/pilvi-gen
total() {
	sqlite3 "$1" "SELECT period, printf('%.2f', SUM(cost) / 1e10) FROM \
	    invoice_day GROUP BY 1 ORDER BY 1"
}
gen() {	# MONTH DAYS FILE
	$G --format cur2 --month "$1" --resources 4 --accounts 2 --days "$2" \
	    -o "$3"
}
gen 2026-10 14 oct-14.csv
gen 2026-10 15 oct-15.csv
head -n 1 oct-15.csv > oct-15-1.csv
cp oct-15-1.csv oct-15-2.csv
tail -n +2 oct-15.csv | awk 'NR % 2 == 1' >> oct-15-1.csv
tail -n +2 oct-15.csv | awk 'NR % 2 == 0' >> oct-15-2.csv
gen 2026-09 29 sep-29.csv
gen 2026-09 30 sep-30.csv

E=exports/cur2/acme
D=$E/data/BILLING_PERIOD=2026-10
S=$E/data/billing_period=2026-09
mkdir -p $D/20261015T061512Z $D/20261016T060844Z $S/20260930T0610Z \
    $S/20261001T0603Z $E/metadata/BILLING_PERIOD=2026-10
gzip -n -c oct-14.csv > $D/20261015T061512Z/acme-00001.csv.gz
gzip -n -c oct-15-1.csv > $D/20261016T060844Z/acme-00001.csv.gz
gzip -n -c oct-15-2.csv > $D/20261016T060844Z/acme-00002.csv.gz
gzip -n -c sep-29.csv > $S/20260930T0610Z/acme-00001.csv.gz
gzip -n -c sep-30.csv > $S/20261001T0603Z/acme-00001.csv.gz
# the older September run was copied last: its name, not its time, says
touch -d 2026-10-01 $S/20261001T0603Z/acme-00001.csv.gz
touch -d 2026-10-02 $S/20260930T0610Z/acme-00001.csv.gz
M=$E/metadata/BILLING_PERIOD=2026-10/acme-Manifest.json
cat > $M <<'EOM'
{
  "executionId": "20261016T060844Z",
  "exportArn": "arn:aws:bcm-data-exports:us-east-1:123456789012:export/acme",
  "comment": "\"dataFiles\": [\"s3://b/cur2/acme/data/BILLING_PERIOD=2026-10/20261015T061512Z/acme-00001.csv.gz\"]",
  "columns": [{"name": "line_item_unblended_cost", "type": "double"}],
  "dataFiles": [
    "s3://acme-billing/cur2/acme/data/BILLING_PERIOD=2026-10/20261016T060844Z/acme-00001.csv.gz",
    "s3://acme-billing/cur2/acme/data/BILLING_PERIOD=2026-10/20261016T060844Z/acme-00002.csv.gz"
  ]
}
EOM

echo "== what the newest runs alone hold"
$PA --db want.db -q ingest sep-30.csv oct-15-1.csv oct-15-2.csv
total want.db
echo "== the folder"
run $PA --db a.db ingest exports
total a.db
echo "== a tar of it"
(cd exports && $(dirname "$PA")/mkarchive ../exports.tar cur2)
run $PA --db t.db -q ingest exports.tar
total t.db

echo "== the next day's run arrives: only it is new"
gen 2026-10 16 oct-16.csv
mkdir $D/20261017T060120Z
gzip -n -c oct-16.csv > $D/20261017T060120Z/acme-00001.csv.gz
sed -i 's/20261016T060844Z\/acme-00001/20261017T060120Z\/acme-00001/;
    /20261016T060844Z\/acme-00002/d; s/csv.gz",$/csv.gz"/' $M
run $PA --db a.db ingest exports
total a.db

echo "== the manifest names a part that is not there"
sed -i 's|"dataFiles": \[|"dataFiles": [\n    "s3://acme-billing/cur2/acme/data/BILLING_PERIOD=2026-10/20261017T060120Z/acme-00002.csv.gz",|' $M
run $PA --db b.db ingest exports
total b.db

echo "== a manifest that is not JSON: the newest run"
printf '{"dataFiles": ["s3://x/acme-00001.csv.gz",' > $M
run $PA --db c.db ingest exports
total c.db
