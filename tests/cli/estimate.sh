# estimate: a partial month of generated data, the month before it
# complete (fees expected again), as text and JSON; the log of estimates
# and, once the month is complete, how far they were off
. "$LIB"
G=$(dirname "$PA")/pilvi-gen
$G --format cur --scenario office --month 2026-09 --resources 6 --accounts 1 -o sep.csv
$G --format cur --scenario office --month 2026-10 --resources 6 --accounts 1 --days 12 -o oct12.csv
run $PA --db a.db -q ingest sep.csv oct12.csv
run $PA --db a.db estimate
run $PA --db a.db estimate --format json
run $PA --db a.db estimate --month 2026-09
sqlite3 a.db "SELECT payer_account, period, data_through, days_observed, amount FROM estimate_log"
$G --format cur --scenario office --month 2026-10 --resources 6 --accounts 1 -o oct.csv
run $PA --db a.db -q ingest oct.csv
run $PA --db a.db estimate
run $PA --db a.db estimate --month 2026-13
