# repeated line items are not counted twice (issue 18): a line with an
# id of its own (CUR's LineItemId and interval, a DBR's RecordId) that
# comes again is left out with a warning naming the first repeat and
# what it would have added; a file without ids that is two copies of
# itself is refused, the database unchanged
. "$LIB"
total() {
	sqlite3 "$1" "SELECT printf('%.2f', SUM(cost) / 1e10) FROM invoice_day"
}
cp "$FIXTURES/cur.csv" "$FIXTURES/cost-allocation.csv" \
    "$FIXTURES/dbr-rt-single.csv" .
run $PA --db one.db ingest cur.csv >/dev/null
echo "cur.csv once: $(total one.db)"

# the fifth line (0.20) 50 times more
{ cat cur.csv; for i in $(seq 50); do sed -n 5p cur.csv; done; } > cur-50.csv
run $PA --db a.db ingest cur-50.csv
echo "with 50 copies of one line: $(total a.db)"

# two copies of the file, the second without its header
{ cat cur.csv; tail -n +2 cur.csv; } > cur-twice.csv
run $PA --db b.db ingest cur-twice.csv
echo "the file twice: $(total b.db)"

# a DBR with resources whose RecordId comes again
{ cat dbr-rt-single.csv; sed -n 4p dbr-rt-single.csv; } > dbr-again.csv
run $PA --db c.db ingest dbr-rt-single.csv >/dev/null
echo "dbr once: $(total c.db)"
run $PA --db d.db ingest dbr-again.csv
echo "dbr with a repeated RecordId: $(total d.db)"

# a cost allocation report twice: no line ids, so refused
{ cat cost-allocation.csv; tail -n +3 cost-allocation.csv; } > ca-twice.csv
run $PA --db e.db ingest cost-allocation.csv >/dev/null
run $PA --db e.db ingest ca-twice.csv
echo "cost allocation once, then twice: $(total e.db)"
run $PA --db e.db files
