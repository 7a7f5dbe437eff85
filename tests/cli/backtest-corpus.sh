# backtest-corpus: a small corpus of month shapes (pilvi-corpus), its
# month cuts, deliveries and ablation (pilvi-backtest), as make backtest
# runs them on the full one; the output is a pure function of the seeds
. "$LIB"
B=$(dirname "$PA")
run $B/pilvi-corpus --set test --seeds 2 --families steady,step-down,partial-day -o c
cat c/corpus.csv
ls c | wc -l
ls c/deliveries | wc -l
run $B/pilvi-backtest --ablation c
run $B/pilvi-backtest --trials step-down --cut-days 14 --no-deliveries c
run $B/pilvi-backtest --without nonsense c
