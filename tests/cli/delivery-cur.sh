# a legacy CUR delivery folder (issue 15, item 2): per month the data
# files the newest manifest lists, not the older assemblies; the same as
# a zip and a tar.gz of it; twice, or two copies in one tree, change
# nothing; the skipped runs are listed with the reason
. "$LIB"
G=$(dirname "$PA")/pilvi-gen
MK=$(dirname "$PA")/mkarchive
total() {
	sqlite3 "$1" "SELECT period, printf('%.2f', SUM(cost) / 1e10) FROM \
	    invoice_day GROUP BY 1 ORDER BY 1"
}
# October: an assembly of days 1-10, then one of days 1-20 in two parts
$G --format cur --month 2026-10 --resources 4 --accounts 2 --days 10 \
    -o early.csv
$G --format cur --month 2026-10 --resources 4 --accounts 2 --days 20 \
    -o later.csv
head -n 1 later.csv > later-1.csv
cp later-1.csv later-2.csv
tail -n +2 later.csv | awk 'NR % 2 == 1' >> later-1.csv
tail -n +2 later.csv | awk 'NR % 2 == 0' >> later-2.csv
# September: overwritten in place (no assembly folder), and a manifest
$G --format cur --month 2026-09 --resources 4 --accounts 2 -o sept.csv

R=tree/s3/bills/acme
O=$R/20261001-20261101
mkdir -p $O/6f1e-aaaa $O/9c2d-bbbb $R/20260901-20261001
gzip -n -c early.csv > $O/6f1e-aaaa/acme-1.csv.gz
gzip -n -c later-1.csv > $O/9c2d-bbbb/acme-1.csv.gz
gzip -n -c later-2.csv > $O/9c2d-bbbb/acme-2.csv.gz
cat > $O/acme-Manifest.json <<'EOM'
{"assemblyId": "9c2d-bbbb", "account": "123456789012",
 "columns": [{"category": "lineItem", "name": "UnblendedCost",
  "type": "BigDecimal"}],
 "charset": "UTF-8", "compression": "GZIP", "contentType": "text/csv",
 "reportName": "acme",
 "billingPeriod": {"start": "20261001T000000.000Z",
  "end": "20261101T000000.000Z"},
 "bucket": "acme-billing",
 "reportKeys": ["bills/acme/20261001-20261101/9c2d-bbbb/acme-1.csv.gz",
  "bills/acme/20261001-20261101/9c2d-bbbb/acme-2.csv.gz"],
 "additionalArtifactKeys": []}
EOM
cp $O/acme-Manifest.json $O/9c2d-bbbb/
sed 's/9c2d-bbbb/6f1e-aaaa/; s/, "bills[^]]*-2.csv.gz"//' \
    $O/acme-Manifest.json > $O/6f1e-aaaa/acme-Manifest.json
gzip -n -c sept.csv > $R/20260901-20261001/acme-1.csv.gz
cat > $R/20260901-20261001/acme-Manifest.json <<'EOM'
{"assemblyId": "41aa-cccc", "account": "123456789012", "reportName": "acme",
 "billingPeriod": {"start": "20260901T000000.000Z",
  "end": "20261001T000000.000Z"},
 "reportKeys": ["bills/acme/20260901-20261001/acme-1.csv.gz"]}
EOM
printf 'AWSTemplateFormatVersion: 2010-09-09\n' > $R/crawler-cfn.yml

echo "== what the newest files alone hold"
$PA --db want.db -q ingest sept.csv later-1.csv later-2.csv
total want.db

echo "== the folder"
run $PA --db a.db ingest tree
total a.db
echo "== again: nothing new"
run $PA --db a.db ingest tree
total a.db

echo "== a zip and a tar.gz of it, each into a database of its own"
(cd tree && $MK ../tree.zip s3 && $MK ../tree.tar.gz s3)
run $PA --db z.db -q ingest tree.zip
total z.db
run $PA --db t.db -q ingest tree.tar.gz
total t.db
echo "== the zip after the folder: identical files"
run $PA --db a.db ingest tree.zip
total a.db

echo "== two copies of the delivery in one folder"
mkdir copies
# -p: copies made a second apart would otherwise differ in mtime, and
# the newest manifest (by mtime, then by name) would change with it
cp -rp tree/s3 copies/one
cp -rp tree/s3 copies/two
run $PA --db c.db ingest copies
total c.db

echo "== no manifest: the assembly modified last"
rm -r copies
cp -r tree/s3 nomani
find nomani -name '*Manifest.json' -exec rm {} +
touch -d 2026-10-11 nomani/bills/acme/20261001-20261101/6f1e-aaaa/*
touch -d 2026-10-21 nomani/bills/acme/20261001-20261101/9c2d-bbbb/*
run $PA --db n.db ingest nomani
total n.db
echo "--- given by its absolute path: registered from the folder's name on"
$PA --db abs.db ingest "$(pwd)/tree" >/dev/null 2>&1
sqlite3 abs.db "SELECT name FROM file ORDER BY id"
