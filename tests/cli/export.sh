# the billing-spreadsheet feed: CSV byte for byte, XLSX read back; a
# formula in a customer's account name is made inert, numbers stay numbers
# and hold the exact decimals; --customer and --customer-id reach every
# sheet with a customer column
. "$LIB"
fixture cur.csv hostile-names.csv
cp "$FIXTURES"/demo/*.csv demo.csv
run $PA --db a.db -q ingest demo.csv cur.csv hostile-names.csv
run $PA --db a.db export --format csv -o feed.csv
cat feed.csv
stat -c '%a %n' feed.csv
run $PA --db a.db export --format xlsx -o feed.xlsx
stat -c '%a %n' feed.xlsx
unzip -p feed.xlsx xl/workbook.xml | grep -o '<sheet name="[A-Za-z]*"'
# a few cells: shared strings hold the texts, sheet4 the feed's rows
unzip -p feed.xlsx xl/sharedStrings.xml | grep -o '<t>[^<]*HYPERLINK[^<]*</t>'
unzip -p feed.xlsx xl/worksheets/sheet4.xml | grep -o '<row r="1"[^>]*>' | head -1
unzip -p feed.xlsx xl/worksheets/sheet4.xml | grep -o '<pane[^>]*>'
unzip -p feed.xlsx xl/worksheets/sheet4.xml | grep -o '<autoFilter[^>]*>'
# the Summary's totals, and the money format
unzip -p feed.xlsx xl/worksheets/sheet1.xml | grep -o '<c r="L[0-9]*"[^>]*><v>[^<]*</v>'
unzip -p feed.xlsx xl/styles.xml | grep -o '<numFmt [^>]*>'
# every number of every sheet is its decimal, not a double's 16 digits
# (9.890000000000001, 76.98999999999999): no mantissa of 15 digits
for s in 1 2 3 4; do
	unzip -p feed.xlsx xl/worksheets/sheet$s.xml | grep -o '<v>[^<]*</v>'
done | sed 's/<v>//; s/<.v>//' | awk '{ m = $0; gsub(/[-.]/, "", m);
    sub(/^0+/, "", m); if (length(m) >= 15) { print "long: " $0; bad = 1 } }
    END { if (!bad) print "no number longer than its decimals" }'
unzip -p feed.xlsx xl/worksheets/sheet4.xml | grep -o '<c r="R[0-9]*"[^>]*><v>[^<]*</v>' |
    sed '1d; s/.*<v>//; s/<.v>//' > xlsx-amounts
sed 1d feed.csv | awk -F, '{ print $(NF - 3) }' > csv-amounts
cmp csv-amounts xlsx-amounts && wc -l < csv-amounts && echo "xlsx amounts: the csv's, digit for digit"
# the customer, in every sheet that has the column
run $PA --db a.db export --format csv --customer 'Acme Oy' \
    --customer-id C-17 --payer 777777777777 -o -
run $PA --db a.db export --format xlsx --customer 'Acme Oy' \
    --customer-id C-17 -o customer.xlsx
unzip -p customer.xlsx xl/sharedStrings.xml | grep -o '<t>[^<]*</t>' |
    grep -c -e '<t>Acme Oy</t>' -e '<t>C-17</t>'
unzip -p customer.xlsx xl/worksheets/sheet1.xml | grep -o '<c r="[AB]2"[^>]*>'
unzip -p customer.xlsx xl/worksheets/sheet4.xml | grep -o '<c r="[CD]2"[^>]*>'
# one account: its rows, no estimate (the estimate is the payer's)
$PA --db a.db export --format csv --account 999999999999 -o - | cut -d, -f2,6,18
# Pilvi's own catalog (--catalog) sets pilvi_support
printf 'service_code,status,note\nAmazonEC2,unsupported,\n' > catalog.csv
$PA --db a.db export --format csv --catalog catalog.csv --payer 123456789012 \
    -o - | cut -d, -f2,13,15 | sort | uniq -c
# -o - : the same bytes on standard output
$PA --db a.db export --format csv -o - > stdout.csv; echo "[exit $?]"
cmp feed.csv stdout.csv && echo "csv on stdout: same bytes"
$PA --db a.db export --format xlsx -o - > stdout.xlsx; echo "[exit $?]"
cmp feed.xlsx stdout.xlsx && echo "xlsx on stdout: same bytes"
run $PA --db a.db export --format pdf -o x.pdf
run $PA --db a.db export --format csv
run $PA --db a.db export --format csv -o /nonexistent/dir/feed.csv
ls  # no temporary file left behind
