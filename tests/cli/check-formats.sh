# check: one fixture of each report kind, totals per class and reconciliation
. "$LIB"
fixture dbr.csv dbr-rt-single.csv cost-allocation.csv monthly-consolidated.csv \
    cur.csv cur2.csv focus.csv
run $PA check dbr.csv dbr-rt-single.csv cost-allocation.csv \
    monthly-consolidated.csv cur.csv cur2.csv focus.csv
