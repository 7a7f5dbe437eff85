# payers whose latest months differ: no "all payers" headline summing
# one payer, but a sentence that the others are estimated for their own
# latest month (issue 17)
. "$LIB"
cp "$FIXTURES/cur.csv" "$FIXTURES/cur2.csv" .
$PA --db a.db -q ingest cur.csv cur2.csv 2>/dev/null
$PA --db a.db report | sed -n '/^2\. Budget estimate/,/^Payer /p'
