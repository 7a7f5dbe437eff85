# the billing-spreadsheet feed: CSV byte for byte, XLSX read back; a
# formula in a customer's account name is made inert, numbers stay numbers
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
# a few cells: shared strings hold the texts, sheet4 the monthly rows
unzip -p feed.xlsx xl/sharedStrings.xml | grep -o '<t>[^<]*HYPERLINK[^<]*</t>'
unzip -p feed.xlsx xl/worksheets/sheet4.xml | grep -o '<row r="1"[^>]*>' | head -1
unzip -p feed.xlsx xl/worksheets/sheet4.xml | grep -o '<pane[^>]*>'
unzip -p feed.xlsx xl/worksheets/sheet4.xml | grep -o '<autoFilter[^>]*>'
unzip -p feed.xlsx xl/worksheets/sheet1.xml | grep -o '<c r="I2"[^>]*><v>[^<]*</v>'
# -o - : the same bytes on standard output
$PA --db a.db export --format csv -o - > stdout.csv; echo "[exit $?]"
cmp feed.csv stdout.csv && echo "csv on stdout: same bytes"
$PA --db a.db export --format xlsx -o - > stdout.xlsx; echo "[exit $?]"
unzip -p stdout.xlsx xl/worksheets/sheet4.xml | cmp - \
    "$(unzip -p feed.xlsx xl/worksheets/sheet4.xml > s4.xml; echo s4.xml)" \
    && echo "xlsx on stdout: same monthly sheet"
run $PA --db a.db export --format pdf -o x.pdf
run $PA --db a.db export --format csv
run $PA --db a.db export --format csv -o /nonexistent/dir/feed.csv
