# a file that is not billing data is named for what it is, with what to
# send instead (issue 17): a PDF invoice, a screenshot, a manifest, a
# saved web page, an Excel workbook, an old .xls; the other files go on
. "$LIB"
printf '%%PDF-1.4\n%%\342\343\n1 0 obj\n' > invoice.pdf
printf '\211PNG\r\n\032\n\000\000' > shot.png
printf '\377\330\377\340' > photo.jpg
printf '{"assemblyId": "x", "reportKeys": []}\n' > acme-Manifest.json
printf '<!DOCTYPE html>\n<html><body>Bills</body></html>\n' > bills.html
printf '\320\317\021\340\241\261\032\341' > old.xls
cp "$FIXTURES/cur.csv" .
$PA --db x.db ingest cur.csv >/dev/null 2>&1
$PA --db x.db export --format xlsx -o book.xlsx
run $PA --db y.db ingest invoice.pdf shot.png photo.jpg acme-Manifest.json \
    bills.html old.xls book.xlsx cur.csv
