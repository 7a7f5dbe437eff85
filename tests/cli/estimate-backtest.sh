# backtest: complete generated months of five workload scenarios, cut at
# days 7, 14 and 21; ours against the naive month-to-date run-rate
. "$LIB"
sh "$FIXTURES/backtest-months.sh" "$(dirname "$PA")/pilvi-gen" months
run $PA --db a.db -q ingest months/*.csv
run $PA --db a.db estimate --backtest
run $PA --db a.db estimate --backtest --payer 100000000003
